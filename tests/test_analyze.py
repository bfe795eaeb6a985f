"""Tests of pipeline/analyze.py: periods, tokens, clustering against gold, follow-ups, files.

Inputs are built by hand: item tables from the corpus gold (d10-d12) and from the written
series in data/series/, and DuckDB databases created here with duckdb + pandas.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

from ketluan import api
from ketluan.analyze import (
    FOLLOWUP_COLUMNS,
    ITEM_CLUSTER_COLUMNS,
    RECURRENCE_COLUMNS,
    analyze_items,
    cluster_items,
    conclusion_items,
    followups,
    recurrence,
    tokenize,
)
from ketluan.evaluate import load_gold_clusters, pairwise_scores
from ketluan.records import DOCUMENT_COLUMNS, ITEM_COLUMNS, SECTION_COLUMNS
from ketluan.store import MissingDatabase, read_database

REPO = Path(__file__).resolve().parent.parent
ANALYSIS = importlib.import_module("ketluan.analyze")  # the module: `ketluan.analyze` is the function
SERIES = sorted((REPO / "data" / "series").glob("*.json"))
BAO_LOC = ("d10_ubnd_tp_bao_loc", "d11_ubnd_tp_bao_loc", "d12_ubnd_tp_bao_loc")
# Calibrated on the corpus (d10-d12) and data/series: P and R are 1.0 on both at 0.20 (sweep
# in test_analyze_threshold_region_holds_on_corpus_and_series). config.DEFAULT_CLUSTER_THRESHOLD
# should be this value.
CALIBRATED = 0.20


# ---------------------------------------------------------------- helpers (also used by test_report.py)


def _fill(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """A frame with exactly `columns`, missing ones empty (typed like the store writes them)."""
    out = df.copy()
    for col in columns:
        if col not in out.columns:
            out[col] = 0 if col in ("seq", "level", "page", "pages", "ocr_pages") else ""
    return out[columns]


def make_db(path: Path, documents: pd.DataFrame, items: pd.DataFrame) -> Path:
    """A `ketluan.duckdb` with the contract tables, built from hand-made frames."""
    docs = _fill(documents, DOCUMENT_COLUMNS)
    docs["is_conclusion"] = docs["is_conclusion"].astype(bool)
    its = _fill(items, ITEM_COLUMNS)
    its["confidence"] = pd.to_numeric(its["confidence"].replace("", 1.0))
    sections = _fill(pd.DataFrame({"doc_id": docs["doc_id"], "section_id": "s1"}), SECTION_COLUMNS)
    con = duckdb.connect(str(path))
    for name, frame in (("documents", docs), ("sections", sections), ("items", its)):
        con.register("frame", frame)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM frame")
        con.unregister("frame")
    con.close()
    return path


def series_frames(paths: list[Path] = SERIES) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(documents, items) of the written series; items keep their gold tag in `gold`."""
    docs, items = [], []
    for p in paths:
        data = json.loads(p.read_text(encoding="utf-8"))
        for d in data["documents"]:
            docs.append({
                "doc_id": d["doc_id"], "source_path": d["source_path"], "issuer": data["issuer"],
                "doc_number": d["doc_number"], "issue_date": d["issue_date"], "period_kind": d["period_kind"],
                "period_start": d["period_start"], "period_end": d["period_end"],
                "period_label": d["period_label"], "is_conclusion": True, "status": "ok",
            })  # fmt: skip
            for k, it in enumerate(d["items"], start=1):
                items.append({
                    "doc_id": d["doc_id"], "item_id": f"{d['doc_id']}-{k:03d}", "seq": k,
                    "category": it["category"], "text": it["text"], "page": 1 + k // 5,
                    "issuer": data["issuer"], "doc_number": d["doc_number"], "issue_date": d["issue_date"],
                    "period_start": d["period_start"], "period_end": d["period_end"],
                    "period_kind": d["period_kind"], "gold": f"{data['issuer']}/{it.get('cluster', '')}",
                })  # fmt: skip
    return pd.DataFrame(docs), pd.DataFrame(items)


def corpus_frames(corpus_dev: Path, stems: tuple[str, ...] = BAO_LOC) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(documents, items) from the corpus gold: issuer and period from `fields`."""
    docs, items = [], []
    for p in sorted((corpus_dev / "gold").glob("*.json")):
        if stems and not p.stem.startswith(stems):
            continue
        g = json.loads(p.read_text(encoding="utf-8"))
        f = g["fields"]
        docs.append({"doc_id": p.stem, "source_path": f"text/{p.stem}.txt", "is_conclusion": True, "status": "ok",
                     **{k: f.get(k, "") for k in DOCUMENT_COLUMNS if k in f and k != "is_conclusion"}})  # fmt: skip
        for k, it in enumerate(g["items"], start=1):
            items.append({
                "doc_id": p.stem, "item_id": f"{p.stem}-{k:03d}", "seq": k, "category": it["category"],
                "topic": it.get("topic", ""), "text": unicodedata.normalize("NFC", it["text"]), "page": 1,
                "issuer": f.get("issuer", ""), "doc_number": f.get("doc_number", ""),
                "issue_date": f.get("issue_date", ""), "period_start": f.get("period_start", ""),
                "period_end": f.get("period_end", ""), "period_kind": f.get("period_kind", ""),
            })  # fmt: skip
    return pd.DataFrame(docs), pd.DataFrame(items)


def series_gold(items: pd.DataFrame) -> list[list[str]]:
    """Gold recurrence clusters of the series: limitations sharing a tag, per issuer."""
    lim = items[items["category"] == "limitation"]
    return [g["item_id"].tolist() for _, g in lim.groupby("gold")]


def score_corpus(items: pd.DataFrame, corpus_dev: Path, **options: Any) -> tuple[float, float]:
    """Pairwise P/R of cluster_items on corpus items against recurrence_gold.json."""
    clusters = cluster_items(items, **options)
    key = dict(zip(items["item_id"], zip(items["doc_id"], items["text"], strict=True), strict=True))
    pred = {key[i]: c for i, c in zip(clusters["item_id"], clusters["cluster_id"], strict=True)}
    return pairwise_scores(pred, load_gold_clusters(corpus_dev / "recurrence_gold.json"))


def score_series(items: pd.DataFrame, **options: Any) -> tuple[float, float]:
    """Pairwise P/R of cluster_items on the series, pairs across issuers ignored."""
    clusters = cluster_items(items, **options)
    pred = dict(zip(clusters["item_id"], clusters["cluster_id"], strict=True))
    return pairwise_scores(
        pred, series_gold(items), group=dict(zip(items["item_id"], items["issuer"], strict=True))
    )


# ---------------------------------------------------------------- tokens and periods


# fmt: off
@pytest.mark.parametrize(("text", "expected"), [
    ("Tiến độ giải ngân vốn đầu tư công còn chậm, mới đạt 32,6%.",
     ["giải_ngân", "vốn", "đầu_tư", "công", "chậm", "đạt"]),
    (unicodedata.normalize("NFD", "Tình trạng quá tải tại khoa Nhi"), ["quá_tải", "khoa", "nhi"]),
    ("Dịch tả heo châu Phi chưa được khống chế", ["dịch", "tả", "lợn", "châu_phi", "khống_chế"]),
    ("còn 63 hồ sơ quá hạn (31/7/2024)", ["hồ_sơ", "quá", "hạn"]),
])
# fmt: on
def test_analyze_tokenize_drops_numbers_stopwords_and_maps_variants(text: str, expected: list[str]) -> None:
    assert tokenize(text) == expected


# ---------------------------------------------------------------- clustering


@pytest.fixture(scope="module")
def bao_loc(corpus_dev: Path) -> pd.DataFrame:
    return corpus_frames(corpus_dev)[1]


@pytest.fixture(scope="module")
def series() -> pd.DataFrame:
    return series_frames()[1]


@pytest.mark.parametrize("only_limitations", [False, True])
def test_analyze_corpus_recurrence_meets_acceptance(bao_loc: pd.DataFrame, corpus_dev: Path, only_limitations: bool) -> None:
    items = bao_loc[bao_loc["category"] == "limitation"] if only_limitations else bao_loc
    precision, recall = score_corpus(items, corpus_dev, threshold=CALIBRATED)
    assert precision >= 0.85 and recall >= 0.85, (precision, recall)


def test_analyze_series_recurrence_meets_acceptance(series: pd.DataFrame) -> None:
    precision, recall = score_series(series, threshold=CALIBRATED)  # both issuers, one archive
    assert precision >= 0.85 and recall >= 0.85, (precision, recall)


@pytest.mark.parametrize("path", SERIES, ids=[p.stem for p in SERIES])
def test_analyze_series_file_alone_keeps_precision(path: Path) -> None:
    # One file alone (~45 items) gives a noisier IDF: so_y_te's "quá tải" cluster splits in two
    # pairs (recall 0.81); precision stays 1.0.
    precision, recall = score_series(series_frames([path])[1], threshold=CALIBRATED)
    assert precision >= 0.85 and recall >= 0.8, (precision, recall)


@pytest.mark.parametrize("threshold", [0.19, 0.20, 0.22])
def test_analyze_threshold_region_holds_on_corpus_and_series(
    bao_loc: pd.DataFrame, series: pd.DataFrame, corpus_dev: Path, threshold: float
) -> None:
    both = pd.concat([bao_loc, series], ignore_index=True)  # one archive: IDF over all items
    c = score_corpus(both[both["doc_id"].str.startswith(BAO_LOC)], corpus_dev, threshold=threshold)
    s = score_series(both[~both["doc_id"].str.startswith(BAO_LOC)], threshold=threshold)
    assert min(*c, *s) >= 0.85, (threshold, c, s)


def test_analyze_one_document_gives_at_most_one_item_per_cluster() -> None:
    items = pd.DataFrame({
        "item_id": ["a1", "a2", "b1"], "doc_id": ["d-07", "d-07", "d-08"], "category": "limitation",
        "issuer": "UBND THÀNH PHỐ BẢO LỘC",
        "text": ["Tiến độ giải ngân vốn đầu tư công còn chậm.",
                 "Tiến độ giải ngân vốn đầu tư công các dự án chuyển tiếp còn chậm.",
                 "Việc giải ngân vốn đầu tư công vẫn chậm."],
    })  # fmt: skip
    for linkage in ("average", "single"):
        clusters = cluster_items(items, threshold=CALIBRATED, linkage=linkage)
        by = dict(zip(clusters["item_id"], clusters["cluster_id"], strict=True))
        assert by["a1"] != by["a2"], linkage
        assert by["b1"] in (by["a1"], by["a2"]), linkage


def test_analyze_issuers_apart_unless_asked() -> None:
    items = pd.DataFrame({
        "item_id": ["x", "y"], "doc_id": ["lamha-06", "soyte-08"], "category": "limitation",
        "issuer": ["ỦY BAN NHÂN DÂN HUYỆN LÂM HÀ", "SỞ Y TẾ"],
        "text": ["Tỷ lệ giải ngân vốn đầu tư công đạt thấp, mới đạt 35% kế hoạch.",
                 "Giải ngân vốn đầu tư công các dự án y tế chậm, mới đạt 30% kế hoạch."],
    })  # fmt: skip
    assert cluster_items(items, threshold=CALIBRATED)["cluster_id"].nunique() == 2
    assert cluster_items(items, threshold=CALIBRATED, across_issuers=True)["cluster_id"].nunique() == 1


def test_analyze_dense_and_sparse_average_linkage_agree(series: pd.DataFrame, monkeypatch: pytest.MonkeyPatch) -> None:
    dense = cluster_items(series, threshold=CALIBRATED)
    monkeypatch.setattr(ANALYSIS, "DENSE_MAX", 0)
    sparse = cluster_items(series, threshold=CALIBRATED)
    pd.testing.assert_frame_equal(dense, sparse)


def test_analyze_cluster_items_lists_every_limitation_with_similarity(series: pd.DataFrame) -> None:
    clusters = cluster_items(series, threshold=CALIBRATED)
    assert list(clusters.columns[:3]) == ITEM_CLUSTER_COLUMNS
    assert set(clusters["item_id"]) == set(series.loc[series["category"] == "limitation", "item_id"])
    sizes = clusters["cluster_id"].map(clusters["cluster_id"].value_counts())
    assert (clusters.loc[sizes == 1, "similarity"] == 1.0).all()
    assert clusters.loc[sizes > 1, "similarity"].between(CALIBRATED - 0.2, 1.0).all()


@pytest.mark.parametrize("bad", [{"linkage": "complete"}, {"threshold": 0.0}, {"threshold": 1.5}])
def test_analyze_cluster_items_rejects_bad_options(series: pd.DataFrame, bad: dict) -> None:
    with pytest.raises(ValueError):
        cluster_items(series.head(3), **bad)


# ---------------------------------------------------------------- recurrence and follow-ups


# fmt: off
@pytest.mark.parametrize(("member", "periods", "streak"), [
    ("Thu ngân sách nhà nước trên địa bàn đạt thấp, mới đạt 9,5% dự toán năm.",
     "2024-02; 2024-03; 2024-04; 2024-05; 2024-06", 5),
    ("Tiến độ giải phóng mặt bằng các công trình trọng điểm chưa đáp ứng yêu cầu, còn 27 hộ chưa đồng ý nhận tiền bồi thường.",
     "2024-01; 2024-02; 2024-03; 2024-05", 3),
    ("Bệnh viện Đa khoa tỉnh thường xuyên quá tải, có thời điểm 2 người bệnh nằm chung một giường.",
     "2024-07; 2024-10; 2024-11; 2024-12", 3),
])
# fmt: on
def test_analyze_recurrence_reports_periods_and_streak(series: pd.DataFrame, member: str, periods: str, streak: int) -> None:
    clusters = cluster_items(series, threshold=CALIBRATED)
    table = recurrence(series, clusters)
    assert list(table.columns) == RECURRENCE_COLUMNS
    cid = clusters.set_index("item_id").loc[series.loc[series["text"] == member, "item_id"].iloc[0], "cluster_id"]
    row = table.set_index("cluster_id").loc[cid]
    assert (row["periods"], row["max_streak"]) == (periods, streak)
    assert row["first_period"] == periods.split("; ")[0] and row["last_period"] == periods.split("; ")[-1]
    assert row["n_docs"] == row["n_items"] == row["n_periods"] == len(periods.split("; "))


def test_analyze_recurrence_lists_only_recurring_unless_asked(series: pd.DataFrame) -> None:
    clusters = cluster_items(series, threshold=CALIBRATED)
    assert (recurrence(series, clusters)["n_docs"] >= 2).all()
    assert len(recurrence(series, clusters, min_docs=1)) == clusters["cluster_id"].nunique()


def test_analyze_followups_link_tasks_to_later_limitations(series: pd.DataFrame) -> None:
    table = followups(series)
    assert list(table.columns) == FOLLOWUP_COLUMNS
    gold = set()
    for t in series[series["category"] == "task"].itertuples():
        later = series[(series["category"] == "limitation") & (series["gold"] == t.gold)
                       & (series["period_start"] > t.period_start)]  # fmt: skip
        gold |= {(t.item_id, i) for i in later["item_id"]}
    pred = set(zip(table["task_item_id"], table["limitation_item_id"], strict=True))
    precision, recall = len(pred & gold) / len(pred), len(pred & gold) / len(gold)
    assert precision >= 0.9 and recall >= 0.6, (precision, recall)
    assert (table["limitation_period"] > table["task_period"]).all()
    assert (table["gap_periods"] >= 1).all()


def test_analyze_followups_example_from_corpus(bao_loc: pd.DataFrame) -> None:
    # d10 (7/2024) sets "giải quyết dứt điểm các hồ sơ đất đai quá hạn"; d11 names late land files again
    table = followups(bao_loc)
    row = table[table["task_text"].str.startswith("Phối hợp với Chi nhánh Văn phòng Đăng ký đất đai")]
    assert "2024-08" in set(row["limitation_period"])
    assert row["limitation_text"].str.contains("hồ sơ đất đai").any()


# ---------------------------------------------------------------- database and files


def test_analyze_writes_tables_from_duckdb(tmp_path: Path) -> None:
    docs, items = series_frames()
    invitation = {"doc_id": "lamha-giaymoi", "source_path": "lam_ha/giay_moi.pdf", "is_conclusion": False,
                  "issuer": "ỦY BAN NHÂN DÂN HUYỆN LÂM HÀ", "period_kind": "month",
                  "period_start": "2024-03-01", "period_end": "2024-03-31"}  # fmt: skip
    docs = pd.concat([docs, pd.DataFrame([invitation])], ignore_index=True)
    stray = items.iloc[[1]].assign(doc_id="lamha-giaymoi", item_id="lamha-giaymoi-001")
    db = make_db(tmp_path / "ketluan.duckdb", docs, pd.concat([items, stray], ignore_index=True))
    tables = api.analyze(db, tmp_path / "out", threshold=CALIBRATED)
    out = tmp_path / "out"
    for name, columns in (("recurrence", RECURRENCE_COLUMNS), ("item_clusters", ITEM_CLUSTER_COLUMNS),
                          ("followups", FOLLOWUP_COLUMNS)):  # fmt: skip
        raw = (out / f"{name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name  # UTF-8 with BOM
        frame = pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig", dtype=str)
        assert list(frame.columns) == columns
    assert (out / "report.html").stat().st_size > 0
    assert "lamha-giaymoi-001" not in set(tables["items"]["item_id"])  # not a conclusion
    rec = pd.read_csv(out / "recurrence.csv", encoding="utf-8-sig")
    assert rec["representative"].str.contains("thu ngân sách", case=False).any()
    assert len(pd.read_csv(out / "item_clusters.csv", encoding="utf-8-sig")) == (items["category"] == "limitation").sum()


def test_analyze_conclusion_items_joins_documents(tmp_path: Path) -> None:
    docs, items = series_frames()
    db = make_db(tmp_path / "ketluan.duckdb", docs, items)
    loaded = conclusion_items(**read_database(db))
    assert {"period", "period_kind", "period_label", "source_path"} <= set(loaded.columns)
    row = loaded[loaded["item_id"] == "soyte-2024-07-002"].iloc[0]
    assert (row["period"], row["source_path"]) == ("2024-07", "so_y_te/tb_giao_ban_thang_7_2024.docx")


def test_analyze_missing_database_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(MissingDatabase, match="ketluan run"):
        api.analyze(tmp_path / "nothing.duckdb")
    assert issubclass(MissingDatabase, FileNotFoundError)


def test_analyze_empty_database_gives_empty_tables(tmp_path: Path) -> None:
    docs, items = series_frames()
    db = make_db(tmp_path / "ketluan.duckdb", docs.head(0), items.head(0))
    tables = api.analyze(db, tmp_path)
    assert tables["recurrence"].empty and tables["followups"].empty and tables["item_clusters"].empty
    assert (tmp_path / "report.html").is_file()


def test_analyze_items_without_files(series: pd.DataFrame) -> None:
    tables = analyze_items(series, threshold=CALIBRATED)
    assert set(tables) == {"items", "item_clusters", "recurrence", "followups"}
    assert tables["recurrence"].iloc[0]["n_periods"] == 5


# ---------------------------------------------------------------- notebook


NOTEBOOK = REPO / "notebooks" / "analysis.ipynb"


@pytest.mark.slow
def test_analyze_notebook_runs_top_to_bottom(tmp_path: Path) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    from jupyter_client.kernelspec import KernelSpecManager

    if "python3" not in KernelSpecManager().find_kernel_specs():  # setup: register the venv kernel
        subprocess.run([sys.executable, "-m", "ipykernel", "install", "--sys-prefix", "--name", "python3"], check=True)
    nb = nbformat.read(NOTEBOOK, as_version=4)
    env_out = os.environ.pop("KETLUAN_OUT", None)  # the notebook builds its own database
    try:
        os.environ["KETLUAN_NOTEBOOK_WORKDIR"] = str(tmp_path)
        client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                         resources={"metadata": {"path": str(REPO / "notebooks")}})  # fmt: skip
        client.execute()
    finally:
        os.environ.pop("KETLUAN_NOTEBOOK_WORKDIR", None)
        if env_out is not None:
            os.environ["KETLUAN_OUT"] = env_out
    outputs = "".join(
        o.get("text", "") + json.dumps(o.get("data", {}), ensure_ascii=False)
        for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
    )  # fmt: skip
    assert "giải ngân vốn đầu tư công" in outputs.lower()
    assert (tmp_path / "report.html").is_file()


def test_analyze_item_ids_numbered_per_document_are_qualified(series: pd.DataFrame) -> None:
    # the store numbers items per document ("i1", "i2", ...): ids repeat across documents
    items = series.assign(item_id="i" + series["seq"].astype(str))
    tables = analyze_items(items, threshold=CALIBRATED)
    clusters = tables["item_clusters"]
    assert clusters["item_id"].is_unique
    assert "soyte-2024-07:i2" in set(clusters["item_id"])
    assert set(clusters["item_id"]) <= set(tables["items"]["item_id"])
    assert tables["followups"]["task_item_id"].str.contains(":").all()
    assert tables["recurrence"].iloc[0]["n_periods"] == 5


def test_analyze_stays_callable_after_the_submodule_is_imported(tmp_path: Path) -> None:
    """Importing the submodule `ketluan.analyze` again leaves `ketluan.analyze` the function."""
    import importlib

    import ketluan

    importlib.import_module("ketluan.analyze")
    docs, items = series_frames()
    db = make_db(tmp_path / "ketluan.duckdb", docs, items)
    tables = ketluan.analyze(db, tmp_path / "out", threshold=CALIBRATED)
    rec = tables["recurrence"]
    assert rec["representative"].str.contains("thu ngân sách", case=False).any()
    assert (tmp_path / "out" / "report.html").stat().st_size > 0
