"""Store stage: finished `Document` records -> DuckDB -> pandas -> CSV, Parquet, JSONL and XLSX.

Reads `Document`s (each committed in its own transaction, keyed by source_path, so a killed
run loses at most the document in flight) and returns DataFrames and exported files in the
DESIGN.md contract. It never parses documents and never changes a value except to guard
spreadsheet cells against formula injection.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from .records import (
    DOCUMENT_COLUMNS,
    ITEM_COLUMNS,
    SECTION_COLUMNS,
    Document,
    Fields,
    Item,
    Section,
)

DB_NAME = "ketluan.duckdb"
XLSX_NAME = "ketluan.xlsx"
SCHEMA_VERSION = "1"
TABLE_NAMES = ("documents", "sections", "items")
COLUMNS: dict[str, list[str]] = {
    "documents": DOCUMENT_COLUMNS,
    "sections": SECTION_COLUMNS,
    "items": ITEM_COLUMNS,
}
# Column types of the contract; every column not named here is text ("" when empty, never NULL).
INT_COLUMNS = {"pages", "ocr_pages", "seq", "level", "page"}
FLOAT_COLUMNS = {"confidence"}
OPTIONAL_FLOAT_COLUMNS = {"ocr_confidence"}  # float, or empty (NULL in DuckDB/Parquet/JSONL, "" in CSV)
BOOL_COLUMNS = {"is_conclusion"}
# Row order of the exported tables: deterministic, and an item's rows stay together.
ORDER_BY = {
    "documents": "source_path",
    "sections": "doc_id, seq, section_id",
    "items": "issue_date, doc_id, seq, item_id",
}

INSERT_DOCUMENT = (
    f"INSERT INTO documents ({', '.join(DOCUMENT_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in DOCUMENT_COLUMNS)})"
)

XLSX_MAX_ROWS = 1_048_576  # Excel's sheet limit, header row included
XLSX_MAX_CELL_CHARS = 32_767  # Excel's cell limit
XLSX_MAX_WIDTH = 60
XLSX_MIN_WIDTH = 8
# Control characters an XLSX cell cannot hold (openpyxl raises on them): "\x0c" from PDF form feeds,
# plus the XML non-characters U+FFFE/U+FFFF and lone surrogates.
XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Text no UTF-8 file can hold: lone surrogates (CSV, JSONL, Parquet and DuckDB all refuse them).
UNENCODABLE = re.compile(r"[\ud800-\udfff]")

# OWASP CSV injection: a cell starting with one of these is a formula to Excel/LibreOffice.
FORMULA_START = ("=", "+", "@", "\t", "\r")
# A "-" starts a formula only when what follows reads like one; "- Sở Tài chính;" is text.
FORMULA_AFTER_DASH = re.compile(
    r"""^\s*(?:
        [=+\-@]                                   # "--1", "-=1+2", "-@SUM(A1)"
      | [A-Za-z_][A-Za-z0-9_.]*[(|!]              # "-SUM(A1)", "-cmd|' /C calc'!A0", "-HYPERLINK("
      | [$A-Za-z]{0,3}\$?\d[\d.,]*\s*[-+*/^&<>=][\s\d.,$%:()A-Za-z+\-*/^&<>=]*$   # "-1+2", "-2020-2025", "-A1*2"
      | .*[A-Za-z0-9_]\|.*!                       # "-2+3+cmd|' /C calc'!A0" (DDE anywhere)
    )""",
    re.VERBOSE,
)
# Any cell text the guard may touch starts with one of these (a fast pre-filter for whole columns).
GUARD_CANDIDATE = re.compile(r"^[=+@\t\r\-']")


class StoreError(RuntimeError):
    """The output database cannot be used (in use by another process, or of another schema)."""


def _needs_guard(text: str) -> bool:
    """True when a spreadsheet would read `text` as a formula (the OWASP rule, refined for "-")."""
    if not text:
        return False
    if text.startswith(FORMULA_START):
        return True
    return text[0] == "-" and FORMULA_AFTER_DASH.match(text[1:]) is not None


def sanitize_cell(value: object) -> object:
    """Guard one CSV cell against formula injection; non-text values are returned unchanged.

    Rule (OWASP "CSV Injection"): text starting with `=`, `+`, `@`, a tab or a carriage return
    gets a leading single quote, so Excel and LibreOffice show it as text. Text starting with
    `-` gets the quote only when what follows reads like a formula (a number or cell followed
    by an operator, a function call, a DDE `cmd|...!`), because recipient and item lines such
    as "- Sở Tài chính;" are common and harmless. Text that already starts with quotes before
    such a formula gets one more quote, so `unsanitize_cell` restores every value exactly.

    Args:
        value: a cell value as it is stored in the database.

    Returns:
        The value to write in the CSV cell.

    Examples:
        >>> sanitize_cell('=HYPERLINK("http://x.vn","Bấm vào đây")')
        '\\'=HYPERLINK("http://x.vn","Bấm vào đây")'
        >>> sanitize_cell("+ Công tác thanh tra: tiếp tục triển khai")
        "'+ Công tác thanh tra: tiếp tục triển khai"
        >>> sanitize_cell("-2+3+cmd|' /C calc'!A0")
        "'-2+3+cmd|' /C calc'!A0"
        >>> sanitize_cell("- Sở Tài chính;")
        '- Sở Tài chính;'
        >>> sanitize_cell(15)
        15
    """
    if not isinstance(value, str) or not value:
        return value
    if _needs_guard(value) or (value[0] == "'" and _needs_guard(value.lstrip("'"))):
        return "'" + value
    return value


def unsanitize_cell(value: object) -> object:
    """Undo `sanitize_cell` on a value read back from a CSV file.

    Examples:
        >>> unsanitize_cell("'=SUM(A1:A3)")
        '=SUM(A1:A3)'
        >>> unsanitize_cell("'Tây Ninh")
        "'Tây Ninh"
    """
    if isinstance(value, str) and value.startswith("'") and _needs_guard(value.lstrip("'")):
        return value[1:]
    return value


def _duck_type(column: str) -> str:
    """DuckDB type of a contract column."""
    if column in INT_COLUMNS:
        return "BIGINT"
    if column in FLOAT_COLUMNS or column in OPTIONAL_FLOAT_COLUMNS:
        return "DOUBLE"
    if column in BOOL_COLUMNS:
        return "BOOLEAN"
    return "VARCHAR"


def _arrow_type(column: str) -> pa.DataType:
    """Arrow type of a contract column (the batch tables registered for INSERT ... SELECT)."""
    return {
        "BIGINT": pa.int64(),
        "DOUBLE": pa.float64(),
        "BOOLEAN": pa.bool_(),
        "VARCHAR": pa.string(),
    }[_duck_type(column)]


ARROW_SCHEMAS = {t: pa.schema([(c, _arrow_type(c)) for c in cols]) for t, cols in COLUMNS.items()}


def _coerce(value: Any, column: str) -> Any:
    """A contract value of the column's type; None/"" become 0, NULL or "" as the type wants."""
    if column in INT_COLUMNS:
        return int(value) if value not in (None, "") else 0
    if column in FLOAT_COLUMNS:
        return float(value) if value not in (None, "") else 0.0
    if column in OPTIONAL_FLOAT_COLUMNS:
        if value in (None, ""):
            return None
        number = float(value)
        return None if math.isnan(number) else number
    if column in BOOL_COLUMNS:
        if isinstance(value, str):
            return value.strip().lower() in ("true", "1", "yes")
        return bool(value)
    return "" if value is None else safe_text(str(value))


def safe_text(text: str) -> str:
    """Text every exporter can write: lone surrogates shown as escapes, never an encoding error.

    A file name read with surrogate escapes keeps its byte ("a-\\xff.txt"); any other lone
    surrogate (a ToUnicode map to U+D800) becomes U+FFFD.

    Examples:
        >>> safe_text("a-\\udcff.txt")
        'a-\\\\xff.txt'
        >>> safe_text("Kết luận\\ud800")
        'Kết luận\ufffd'
    """
    if not UNENCODABLE.search(text):
        return text
    out = []
    for ch in text:
        if "\udc80" <= ch <= "\udcff":
            out.append(f"\\x{ord(ch) - 0xDC00:02x}")
        elif "\ud800" <= ch <= "\udfff":
            out.append("\ufffd")
        else:
            out.append(ch)
    return "".join(out)


def _interrupted(exc: BaseException) -> bool:
    """True when DuckDB turned a Ctrl-C (SIGINT) into an exception of its own.

    DuckDB catches SIGINT while a query runs and raises `InterruptException`, or a
    RuntimeError "Query interrupted" (duckdb 2.x), instead of letting KeyboardInterrupt through.

    Examples:
        >>> _interrupted(RuntimeError("Query interrupted"))
        True
        >>> _interrupted(duckdb.ConstraintException("Duplicate key"))
        False
    """
    seen: BaseException | None = exc
    while seen is not None:  # a failure while cleaning up an interrupted query carries it as context
        if isinstance(seen, (duckdb.InterruptException, KeyboardInterrupt)):
            return True
        if isinstance(seen, RuntimeError) and "interrupted" in str(seen).lower():
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _batch(table: str, rows: Sequence[dict[str, Any]]) -> pa.Table:
    """Rows of one table as an Arrow table with the contract types, columns in contract order."""
    columns = COLUMNS[table]
    data = {c: [_coerce(r.get(c), c) for r in rows] for c in columns}
    return pa.Table.from_pydict(data, schema=ARROW_SCHEMAS[table])


def _typed(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """Contract columns in order with contract dtypes: int64, float64, bool, text ("" not NaN)."""
    out = pd.DataFrame(index=df.index)
    for c in COLUMNS[table]:
        s = df[c] if c in df.columns else pd.Series([""] * len(df), index=df.index, dtype=object)
        if c in INT_COLUMNS:
            out[c] = pd.to_numeric(s, errors="coerce").fillna(0).astype("int64")
        elif c in FLOAT_COLUMNS or c in OPTIONAL_FLOAT_COLUMNS:
            out[c] = pd.to_numeric(s, errors="coerce").astype("float64")
        elif c in BOOL_COLUMNS:
            if s.dtype == bool:
                out[c] = s
            else:
                out[c] = s.astype(str).str.strip().str.lower().isin(["true", "1", "yes"])
        else:
            out[c] = s.fillna("").astype(str)
    return out.reset_index(drop=True)


def _read_tables(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """The three contract tables of an open database as typed DataFrames."""
    tables = {}
    for t in TABLE_NAMES:
        cols = ", ".join(COLUMNS[t])
        df = con.execute(f"SELECT {cols} FROM {t} ORDER BY {ORDER_BY[t]}").df()
        tables[t] = _typed(t, df)
    return tables


@contextmanager
def _atomic(path: Path) -> Iterator[Path]:
    """Yield a temporary name next to `path`; on success fsync it and os.replace it into place."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        yield tmp
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def _text_columns(table: str) -> list[str]:
    """The text columns of a table (those the CSV formula guard applies to)."""
    return [c for c in COLUMNS[table] if _duck_type(c) == "VARCHAR"]


def _write_csv(table: str, df: pd.DataFrame, path: Path) -> None:
    """CSV in UTF-8 with BOM, booleans as true/false, empty as "", formula cells guarded."""
    out = df.copy()
    for c in _text_columns(table):
        s = out[c].astype(object)
        mask = s.str.match(GUARD_CANDIDATE).fillna(False).astype(bool)
        if mask.any():
            s = s.where(~mask, s[mask].map(sanitize_cell))
        out[c] = s
    for c in BOOL_COLUMNS & set(out.columns):
        out[c] = out[c].map({True: "true", False: "false"})
    out.to_csv(path, index=False, encoding="utf-8-sig", na_rep="", lineterminator="\n")


def _write_jsonl(df: pd.DataFrame, path: Path) -> None:
    """JSON Lines, UTF-8 without escapes (ensure_ascii=False), empty floats as null."""
    records = df.astype(object).where(df.notna(), None).to_dict("records")
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False))
            fh.write("\n")


def _column_width(df: pd.DataFrame, column: str) -> float:
    """Width of an XLSX column: its longest value or header plus a margin, within 8..60."""
    longest = len(column)
    if len(df):
        longest = max(longest, int(df[column].astype(str).str.len().fillna(0).max()))
    return float(min(XLSX_MAX_WIDTH, max(XLSX_MIN_WIDTH, longest + 2)))


def _write_xlsx(tables: dict[str, pd.DataFrame], path: Path) -> None:
    """One workbook, one sheet per table: bold frozen header, autofilter, widths capped at 60.

    Text that a spreadsheet would read as a formula is written as an inline string
    (data_type "s"), so the visible text stays exactly as stored and nothing is evaluated.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    for table, df in tables.items():
        columns = list(df.columns)
        chunk = XLSX_MAX_ROWS - 1
        starts = range(0, max(len(df), 1), chunk)
        for part, start in enumerate(starts, 1):
            rows = df.iloc[start : start + chunk]
            ws = wb.create_sheet(table if part == 1 else f"{table} ({part})")
            ws.freeze_panes = "A2"
            for i, c in enumerate(columns, 1):
                ws.column_dimensions[get_column_letter(i)].width = _column_width(rows, c)
            header = []
            for c in columns:
                cell = WriteOnlyCell(ws, value=c)
                cell.font = bold
                header.append(cell)
            ws.append(header)
            for values in rows.astype(object).itertuples(index=False, name=None):
                ws.append([_xlsx_value(ws, v, WriteOnlyCell) for v in values])
            ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
    wb.save(path)


def _xlsx_value(ws: Any, value: Any, cell_class: Any) -> Any:
    """One XLSX cell value: NaN empty, control characters dropped, formula-like text forced to text."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if not isinstance(value, str):
        return value
    if not value:
        return None  # an empty cell, not an empty string: smaller and faster to write
    if XLSX_ILLEGAL.search(value):
        value = XLSX_ILLEGAL.sub("", value)
    value = value[:XLSX_MAX_CELL_CHARS]
    if value.startswith(("=", "+", "-", "@", "\t", "\r")):
        cell = cell_class(ws, value=value)
        cell.data_type = "s"  # an inline string: shown as typed, never evaluated
        return cell
    return value


def _write_parquet(df: pd.DataFrame, path: Path) -> None:
    """Parquet with the contract types (int64, float64 with nulls, bool, string)."""
    df.to_parquet(path, index=False, engine="pyarrow")


class Store:
    """The output folder of a run: a DuckDB database plus its exported tables.

    Each `commit` is one transaction keyed by `source_path`, so a second run into the same
    folder replaces rows instead of duplicating them, and a killed run keeps every document
    committed before it. Use it as a context manager, or call `close()`.

    Args:
        out_dir: the output folder; created if missing, with `ketluan.duckdb` inside.

    Raises:
        StoreError: the database is in use by another process or has another schema version.

    Examples:
        >>> import tempfile
        >>> from ketluan.records import Document, Fields
        >>> doc = Document(doc_id="907a2ed1a172817c", source_path="tb-ket-luan-thang-5.pdf",
        ...                sha256="907a2ed1a172817c" + "0" * 48, input_kind="text_pdf",
        ...                fields=Fields(issuer="Thanh tra tỉnh", is_conclusion=True))
        >>> with Store(tempfile.mkdtemp()) as store:
        ...     store.commit(doc)
        ...     store.tables()["documents"].loc[0, "issuer"]
        'Thanh tra tỉnh'
    """

    def __init__(self, out_dir: str | os.PathLike[str]) -> None:
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.db_path = self.out_dir / DB_NAME
        try:
            self._con = duckdb.connect(str(self.db_path))
        except duckdb.IOException as exc:
            raise StoreError(
                f"{self.db_path} is in use by another process; wait for that run to finish "
                f"or choose another output folder ({exc})"
            ) from exc
        try:
            self._create_schema()
        except Exception:
            self._con.close()
            raise

    def _create_schema(self) -> None:
        """Create the tables if missing and check the schema version of an existing database."""
        con = self._con
        con.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
        rows = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
        found = rows[0] if rows else None  # fetchall: DuckDB 2 keeps a half-read result busy
        if found is not None and found[0] != SCHEMA_VERSION:
            raise StoreError(
                f"{self.db_path} was written by another version of ketluan (schema {found[0]}, "
                f"expected {SCHEMA_VERSION}); use a new output folder"
            )
        for t in TABLE_NAMES:
            cols = ", ".join(f"{c} {_duck_type(c)}" for c in COLUMNS[t])
            key = ", PRIMARY KEY (source_path)" if t == "documents" else ""
            con.execute(f"CREATE TABLE IF NOT EXISTS {t} ({cols}{key})")
        if found is None:
            con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])

    # -- reading ---------------------------------------------------------------------------

    def known(self, retry: Sequence[str] = ()) -> dict[str, str]:
        """The documents already stored, for resuming: source_path -> sha256.

        Args:
            retry: error codes whose rows are left out, so that a resumed run processes their
                files again (an "internal" row of a run that was stopped while storing).

        Examples:
            >>> store.known(retry=("internal",))  # doctest: +SKIP
            {'luu-tru/2020/tb-ket-luan-thang-5.pdf': '907a2ed1a172817c…'}
        """
        rows = self._con.execute("SELECT source_path, sha256, status, error FROM documents").fetchall()
        return {
            path: sha for path, sha, status, error in rows
            if not (status == "error" and error.split(":", 1)[0] in retry)
        }  # fmt: skip

    def has_content(self, sha256: str) -> str:
        """The source_path of a stored document with this content, or "" (prefers one that did not fail).

        Examples:
            >>> store.has_content("907a2ed1a172817c" + "0" * 48)  # doctest: +SKIP
            'luu-tru/2020/tb-ket-luan-thang-5.pdf'
        """
        if not sha256:
            return ""
        row = self._con.execute(
            "SELECT source_path FROM documents WHERE sha256 = ? "
            "ORDER BY status = 'error', source_path LIMIT 1",
            [sha256],
        ).fetchall()
        return str(row[0][0]) if row else ""

    def fetch(self, source_path: str) -> Document | None:
        """Rebuild the stored `Document` of a path (fields, sections, items), or None.

        Lets a run reuse the result of identical content found under another name
        (`has_content`) without parsing it again: fetch it, change `source_path`, commit it.

        Examples:
            >>> store.fetch("luu-tru/2020/tb-ket-luan-thang-5.pdf").fields.issuer  # doctest: +SKIP
            'Thanh tra tỉnh'
        """
        cols = ", ".join(DOCUMENT_COLUMNS)
        found = self._con.execute(
            f"SELECT {cols} FROM documents WHERE source_path = ?", [source_path]
        ).fetchall()
        if not found:
            return None
        row = dict(zip(DOCUMENT_COLUMNS, found[0], strict=True))
        field_names = Fields.__dataclass_fields__
        fields = Fields(**{k: v for k, v in row.items() if k in field_names})
        doc_id = str(row["doc_id"])
        section_cols = [c for c in SECTION_COLUMNS if c != "doc_id"]
        sections = [
            Section(**dict(zip(section_cols, r, strict=True)))
            for r in self._con.execute(
                f"SELECT {', '.join(section_cols)} FROM sections WHERE doc_id = ? ORDER BY seq",
                [doc_id],
            ).fetchall()
        ]
        item_cols = [c for c in ITEM_COLUMNS if c in Item.__dataclass_fields__]
        items = [
            Item(**dict(zip(item_cols, r, strict=True)))
            for r in self._con.execute(
                f"SELECT {', '.join(item_cols)} FROM items WHERE doc_id = ? ORDER BY seq", [doc_id]
            ).fetchall()
        ]
        ocr = row["ocr_confidence"]
        return Document(
            doc_id=doc_id,
            source_path=str(row["source_path"]),
            sha256=str(row["sha256"]),
            input_kind=str(row["input_kind"]),
            pages=int(row["pages"]),
            status=str(row["status"]),
            error=str(row["error"]),
            ocr_pages=int(row["ocr_pages"]),
            ocr_confidence="" if ocr is None else float(ocr),
            fields=fields,
            sections=sections,
            items=items,
        )

    def tables(self) -> dict[str, pd.DataFrame]:
        """The documents, sections and items tables as DataFrames, contract columns in order.

        Examples:
            >>> store.tables()["items"].loc[0, "text"]  # doctest: +SKIP
            'Tiến độ giải ngân vốn đầu tư công còn chậm'
        """
        return _read_tables(self._con)

    # -- writing ---------------------------------------------------------------------------

    def commit(self, doc: Document) -> None:
        """Store one document in its own transaction, replacing what its path stored before.

        The old row of `doc.source_path` goes; so do the sections and items of its old doc_id
        when no other path still has that content. The sections and items of `doc.doc_id` are
        replaced by this document's, except when this document failed (status "error", no
        rows) and another path with the same content keeps good rows: a failed duplicate must
        not wipe them.

        Args:
            doc: the finished document, also a failed one.

        Examples:
            >>> store.commit(Document(doc_id="", source_path="bien-ban-hong.pdf",
            ...                       status="error", error="corrupt_file: ..."))  # doctest: +SKIP
        """
        raw = doc.document_row()
        doc_values = [_coerce(raw[c], c) for c in DOCUMENT_COLUMNS]
        section_rows = doc.section_rows()
        item_rows = doc.item_rows()
        sections = _batch("sections", section_rows) if section_rows else None
        items = _batch("items", item_rows) if item_rows else None
        con = self._con
        con.execute("BEGIN TRANSACTION")
        try:
            old = con.execute(
                "SELECT doc_id FROM documents WHERE source_path = ?", [doc.source_path]
            ).fetchall()
            con.execute("DELETE FROM documents WHERE source_path = ?", [doc.source_path])
            for (old_id,) in old:
                if old_id != doc.doc_id and not self._shared(old_id):
                    self._delete_rows(old_id)
            keep = doc.status == "error" and not section_rows and not item_rows
            if not (keep and self._shared(doc.doc_id)):
                self._delete_rows(doc.doc_id)
                self._insert("sections", sections)
                self._insert("items", items)
            # one row: a parameterized VALUES insert (sections and items go in as Arrow batches)
            con.execute(INSERT_DOCUMENT, doc_values)
            con.execute("COMMIT")
        except BaseException as e:
            self._rollback()
            if _interrupted(e):  # Ctrl-C while DuckDB ran a query: the run stops, no error row
                raise KeyboardInterrupt from e
            raise

    def _rollback(self) -> None:
        """Roll back the open transaction; a second Ctrl-C during the first attempt is retried."""
        for _ in range(3):
            try:
                self._con.execute("ROLLBACK")
                return
            except duckdb.Error as e:
                if "no transaction is active" in str(e).lower():
                    return
            except (RuntimeError, KeyboardInterrupt):  # the rollback itself was interrupted
                continue

    def _shared(self, doc_id: str) -> bool:
        """True when some stored documents row has this doc_id."""
        found = self._con.execute("SELECT 1 FROM documents WHERE doc_id = ? LIMIT 1", [doc_id])
        return bool(found.fetchall())

    def _delete_rows(self, doc_id: str) -> None:
        """Delete the sections and items of a doc_id."""
        self._con.execute("DELETE FROM sections WHERE doc_id = ?", [doc_id])
        self._con.execute("DELETE FROM items WHERE doc_id = ?", [doc_id])

    def _insert(self, table: str, batch: pa.Table | None) -> None:
        """Insert an Arrow batch with one INSERT ... SELECT (DuckDB reads it without copying)."""
        if batch is None or batch.num_rows == 0:
            return
        name = f"_batch_{table}"
        self._con.register(name, batch)
        try:
            cols = ", ".join(COLUMNS[table])
            self._con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {name}")
        finally:
            try:
                self._con.unregister(name)
            except duckdb.Error:  # the transaction was aborted (an interrupted INSERT): keep its error
                pass

    def export(self, xlsx: bool = True) -> dict[str, Path]:
        """Write every table of the database (all runs) as CSV, Parquet, JSONL and one XLSX.

        Each file is written under a temporary name in the output folder and moved into place
        with os.replace, so a run killed during export leaves the previous files whole.

        Args:
            xlsx: also write `ketluan.xlsx` (the slowest file: about 2/3 of the export time
                of a large archive); a previous workbook is left as it is when False.

        Returns:
            File name -> path, e.g. {"documents.csv": Path("out/documents.csv"), ...,
            "ketluan.xlsx": ..., "ketluan.duckdb": ...}.

        Examples:
            >>> sorted(store.export())[:3]  # doctest: +SKIP
            ['documents.csv', 'documents.jsonl', 'documents.parquet']
        """
        self._remove_stale_temp_files()
        tables = self.tables()
        written: dict[str, Path] = {}
        for table, df in tables.items():
            for ext in ("csv", "parquet", "jsonl"):
                path = self.out_dir / f"{table}.{ext}"
                with _atomic(path) as tmp:
                    if ext == "csv":
                        _write_csv(table, df, tmp)
                    elif ext == "parquet":
                        _write_parquet(df, tmp)
                    else:
                        _write_jsonl(df, tmp)
                written[path.name] = path
        if xlsx:
            workbook = self.out_dir / XLSX_NAME
            with _atomic(workbook) as tmp:
                _write_xlsx(tables, tmp)
            written[workbook.name] = workbook
        self._con.execute("CHECKPOINT")  # the .duckdb file alone holds everything, for readers
        written[DB_NAME] = self.db_path
        return written

    def _remove_stale_temp_files(self) -> None:
        """Delete temporary files a killed export left behind (".items.csv.1234.tmp")."""
        names = {f"{t}.{e}" for t in TABLE_NAMES for e in ("csv", "parquet", "jsonl")} | {XLSX_NAME}
        for p in self.out_dir.glob(".*.tmp"):
            stem = p.name[1:].rsplit(".", 2)[0]
            if stem in names:
                p.unlink(missing_ok=True)

    def close(self) -> None:
        """Checkpoint and close the database (safe to call twice)."""
        con = getattr(self, "_con", None)
        if con is None:
            return
        try:
            con.execute("CHECKPOINT")
        finally:
            con.close()
            self._con = None  # type: ignore[assignment]

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def load(out_dir: str | os.PathLike[str]) -> dict[str, pd.DataFrame]:
    """The documents, sections and items tables of an output folder as DataFrames.

    Reads `DIR/ketluan.duckdb` when it exists and can be opened, else the CSV files (undoing
    the formula guard, restoring integer, float and boolean columns).

    Args:
        out_dir: a folder written by `ketluan run --out DIR`.

    Returns:
        {"documents": ..., "sections": ..., "items": ...}, contract columns in order.

    Raises:
        FileNotFoundError: the folder has neither the database nor the CSV files.

    Examples:
        >>> tables = load("out/")  # doctest: +SKIP
        >>> tables["items"].query("category == 'limitation'")["text"].iloc[0]  # doctest: +SKIP
        'Tiến độ giải ngân vốn đầu tư công còn chậm'
    """
    folder = Path(out_dir)
    db = folder / DB_NAME
    csvs = {t: folder / f"{t}.csv" for t in TABLE_NAMES}
    have_csv = all(p.exists() for p in csvs.values())
    if db.exists():
        try:
            con = duckdb.connect(str(db), read_only=True)
        except duckdb.Error:
            if not have_csv:
                raise
        else:
            try:
                return _read_tables(con)
            finally:
                con.close()
    if not have_csv:
        raise FileNotFoundError(f"{folder} holds no {DB_NAME} and no documents/sections/items CSV files")
    tables = {}
    for t, path in csvs.items():
        df = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        for c in _text_columns(t):
            if c in df.columns:
                df[c] = df[c].map(unsanitize_cell)
        tables[t] = _typed(t, df)
    return tables
