"""End to end: the dev corpus rendered as text PDF, DOCX and TXT, run and scored against its gold.

Inputs are generated in a session fixture with real libraries (reportlab + DejaVu, python-docx);
nothing is committed. Thresholds are the acceptance figures of the end-to-end issue.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import ketluan
from ketluan.evaluate import score
from ketluan.text.canonical import tone_key
from tools.render import render_corpus

KINDS = ("pdf", "docx", "txt")


@pytest.fixture(scope="session")
def corpus_runs(corpus_dev: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("e2e")
    render_corpus(corpus_dev / "text", root / "input", kinds=KINDS)
    outs = {}
    for kind in KINDS:
        out = root / kind
        ketluan.run([root / "input" / kind], out=out, settings={"workers": 2})
        outs[kind] = out
    return outs


@pytest.mark.parametrize("kind", KINDS)
def test_e2e_fields_and_items_meet_the_acceptance_figures(
    kind: str, corpus_runs: dict[str, Path], corpus_dev: Path
) -> None:
    report = score(corpus_runs[kind], corpus_dev / "gold")
    assert report["docs_missing"] == []
    assert report["fields_acc"] >= 0.95, report["fields"]
    assert report["items_f1"] >= 0.85, report["items"]
    assert report["text_f1"] >= 0.85, report["text"]


@pytest.mark.parametrize("kind", KINDS)
def test_e2e_one_ok_row_per_input_and_contract_tables(
    kind: str, corpus_runs: dict[str, Path], corpus_dev: Path
) -> None:
    out = corpus_runs[kind]
    docs = pd.read_csv(out / "documents.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert len(docs) == len(list((corpus_dev / "text").glob("*.txt")))
    assert set(docs["status"]) == {"ok"}
    assert set(docs["is_conclusion"].str.lower()) == {"true"}
    for name in ("documents", "sections", "items"):
        assert (out / f"{name}.parquet").exists() and (out / f"{name}.jsonl").exists()
    assert (out / "ketluan.xlsx").exists() and (out / "ketluan.duckdb").exists()
    items = pd.read_csv(out / "items.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert set(items["category"]) <= {"result", "limitation", "cause", "task", "other"}
    assert set(items["doc_id"]) <= set(docs["doc_id"])
    assert items["item_id"].is_unique  # ids are qualified by doc_id, so they join across documents
    sections = pd.read_csv(out / "sections.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert sections["section_id"].is_unique and set(items["section_id"]) <= set(sections["section_id"])


def test_e2e_item_text_occurs_in_the_normalized_document(corpus_dev: Path) -> None:
    for path in sorted((corpus_dev / "text").glob("*.txt")):
        doc = ketluan.process(path)
        body = " ".join(tone_key(doc.text).split())
        for item in doc.items:
            assert " ".join(tone_key(item.text).split()) in body, (path.name, item.text)


def test_e2e_headings_are_never_items(corpus_dev: Path) -> None:
    for path in sorted((corpus_dev / "text").glob("*.txt")):
        doc = ketluan.process(path)
        headings = {s.heading for s in doc.sections if s.heading}
        assert not headings & {i.text for i in doc.items}, path.name


def test_e2e_real_issued_pdf_with_signature_stamp(shared_dir: Path) -> None:
    doc = ketluan.process(shared_dir / "corpus" / "real" / "qngai_ubnd_tb11_2025_ketluan_cophanhoa_qisc.pdf")
    f = doc.fields
    assert doc.status == "ok" and doc.input_kind == "text_pdf" and doc.pages == 2
    assert f.issuer.upper() == "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"
    assert f.doc_type == "Thông báo" and f.is_conclusion
    assert f.place == "Quảng Ngãi" and f.meeting_date == "2025-01-03"
    assert f.signer_name == "Nguyễn Phước Bình"
    assert f.signer_title.startswith("TL. CHỦ TỊCH")
    tasks = [i for i in doc.items if i.category == "task"]
    assert len(tasks) == 3
    assert tasks[1].text.startswith("Trên cơ sở báo cáo của Công ty TNHH MTV")
    assert tasks[1].deadline == "2025-02-20" and tasks[1].page == 1
    assert "Sở Tài chính" in tasks[1].actors
    assert not [i for i in doc.items if i.category in ("result", "limitation", "cause")]


def test_e2e_largest_files_are_processed_first_and_rows_stay_sorted(tmp_path: Path) -> None:
    # A long document started last would keep one worker busy while the others wait: the run
    # starts the largest files first, and the tables are ordered by path whatever the order.
    folder = tmp_path / "in"
    folder.mkdir()
    paragraph = "- Tiến độ giải ngân vốn đầu tư công còn chậm, nhiều dự án chưa hoàn thành thủ tục.\n"
    sizes = {"a-ngan.txt": 1, "b-dai.txt": 40, "c-vua.txt": 12}
    for name, repeat in sizes.items():
        text = ("THÔNG BÁO\nKết luận của Chủ tịch UBND tỉnh tại cuộc họp giao ban tháng 5 năm 2024\n"
                + "II. TỒN TẠI, HẠN CHẾ\n" + paragraph * repeat)  # fmt: skip
        (folder / name).write_text(text, encoding="utf-8")
    seen: list[str] = []
    ketluan.run(
        folder,
        tmp_path / "out",
        {"workers": 1},
        on_document=lambda doc: seen.append(Path(doc.source_path).name),
    )
    assert seen == ["b-dai.txt", "c-vua.txt", "a-ngan.txt"]
    rows = ketluan.load(tmp_path / "out")["documents"]
    assert [Path(p).name for p in rows["source_path"]] == ["a-ngan.txt", "b-dai.txt", "c-vua.txt"]
