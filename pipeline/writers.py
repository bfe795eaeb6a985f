"""Export writers: the contract tables (DataFrames) -> CSV, Parquet, JSONL and one XLSX, each atomically.

Reads DataFrames with the DESIGN.md columns (dates as ISO text, lists "; "-joined) and returns
the files written; Parquet and XLSX get typed dates (and Parquet typed lists). Also knows the
contract's column types, its JSON Schemas, and reads CSV tables back. It never changes a value
except to guard spreadsheet cells against formula injection, and never touches the database.
"""

from __future__ import annotations

import datetime
import errno
import json
import math
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from .records import DOCUMENT_COLUMNS, ITEM_COLUMNS, SECTION_COLUMNS

if TYPE_CHECKING:  # pandas loads where a table is built or written, not with this module
    import pandas as pd

XLSX_NAME = "ketluan.xlsx"
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
BOOL_COLUMNS = {"is_conclusion", "needs_review"}
DATE_COLUMNS = {
    "issue_date",
    "period_start",
    "period_end",
    "meeting_date",
    "deadline",
}  # DATE, NULL when empty
LIST_COLUMNS = {"recipients", "actors"}  # VARCHAR[] in DuckDB and Parquet, "; "-joined elsewhere
LIST_SEPARATOR = "; "
# Tables `ketluan analyze` adds to the database and the workbook (columns: analysis.py's DataFrames).
ANALYSIS_TABLES = ("recurrence", "item_clusters", "followups", "task_status")
# Long text wrapped in the workbook's cells (the others stay on one line).
WRAPPED_COLUMNS = {"title", "error", "text", "heading", "recipients", "review", "representative", "actors"}
XLSX_DATE_FORMAT = "yyyy-mm-dd"
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


def sql_type(column: str) -> str:
    """DuckDB type of a contract column.

    Examples:
        >>> sql_type("issue_date"), sql_type("recipients"), sql_type("title")
        ('DATE', 'VARCHAR[]', 'VARCHAR')
    """
    if column in DATE_COLUMNS:
        return "DATE"
    if column in LIST_COLUMNS:
        return "VARCHAR[]"
    if column in INT_COLUMNS:
        return "BIGINT"
    if column in FLOAT_COLUMNS or column in OPTIONAL_FLOAT_COLUMNS:
        return "DOUBLE"
    if column in BOOL_COLUMNS:
        return "BOOLEAN"
    return "VARCHAR"


def arrow_type(column: str) -> pa.DataType:
    """Arrow type of a contract column (the batch tables registered for INSERT ... SELECT)."""
    return {
        "BIGINT": pa.int64(),
        "DOUBLE": pa.float64(),
        "BOOLEAN": pa.bool_(),
        "VARCHAR": pa.string(),
        "DATE": pa.date32(),
        "VARCHAR[]": pa.list_(pa.string()),
    }[sql_type(column)]


def text_expr(column: str) -> str:
    """SQL giving a contract column as the tables' text form: ISO dates ("" when NULL), "; " lists.

    Examples:
        >>> text_expr("deadline")
        "COALESCE(strftime(deadline, '%Y-%m-%d'), '') AS deadline"
    """
    if column in DATE_COLUMNS:
        return f"COALESCE(strftime({column}, '%Y-%m-%d'), '') AS {column}"
    if column in LIST_COLUMNS:
        return f"COALESCE(array_to_string({column}, '{LIST_SEPARATOR}'), '') AS {column}"
    return column


def to_date(value: Any) -> datetime.date | None:
    """An ISO date text as a date; "", None and text that is not a whole ISO date give None.

    Examples:
        >>> to_date("2024-05-18"), to_date(""), to_date("tháng 5/2024")
        (datetime.date(2024, 5, 18), None, None)
    """
    if value is None or value != value:  # None, NaN, NaT
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def to_list(value: Any) -> list[str]:
    """A "; "-joined cell as a list (an existing list kept), empty parts dropped.

    Examples:
        >>> to_list("UBND các huyện; Sở Tài chính")
        ['UBND các huyện', 'Sở Tài chính']
        >>> to_list("- Sở Tài chính;")
        ['- Sở Tài chính;']
        >>> to_list("")
        []
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    if isinstance(value, (list, tuple)) or hasattr(value, "tolist"):  # a list, or numpy's array from Parquet
        parts = [str(p) for p in (value.tolist() if hasattr(value, "tolist") else value)]
    else:
        parts = str(value).split(LIST_SEPARATOR)  # "; " exactly: "- Sở Tài chính;" stays whole
    return [safe_text(p) for p in parts if p.strip()]


ARROW_SCHEMAS = {t: pa.schema([(c, arrow_type(c)) for c in cols]) for t, cols in COLUMNS.items()}


def coerce(value: Any, column: str) -> Any:
    """A contract value of the column's type; None/"" become 0, NULL, [] or "" as the type wants."""
    if column in DATE_COLUMNS:
        return to_date(value)
    if column in LIST_COLUMNS:
        return to_list(value)
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


def typed_table(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """Contract columns in order with contract dtypes: int64, float64, bool, text ("" not NaN)."""
    import pandas as pd

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
        elif c in LIST_COLUMNS:
            out[c] = s.map(lambda v: LIST_SEPARATOR.join(to_list(v)))
        elif c in DATE_COLUMNS:
            out[c] = s.map(
                lambda v: d.isoformat() if (d := to_date(v)) else (v if isinstance(v, str) else "")
            )
        else:
            out[c] = s.fillna("").astype(str)
    return out.reset_index(drop=True)


def to_arrow(table: str, df: pd.DataFrame) -> pa.Table:
    """A contract table (text view) as Arrow with the contract types: DATE and LIST columns typed.

    Examples:
        >>> import pandas as pd
        >>> t = to_arrow("items", typed_table("items", pd.DataFrame({"deadline": ["2024-06-30"],
        ...                                                         "actors": ["Sở Tài chính; UBND huyện"]})))
        >>> t.schema.field("deadline").type, t.column("actors").to_pylist()
        (DataType(date32[day]), [['Sở Tài chính', 'UBND huyện']])
    """
    data = {c: [coerce(v, c) for v in df[c].tolist()] for c in COLUMNS[table]}
    return pa.Table.from_pydict(data, schema=ARROW_SCHEMAS[table])


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
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


def text_columns(table: str) -> list[str]:
    """The text columns of a table (those the CSV formula guard applies to)."""
    return [c for c in COLUMNS[table] if sql_type(c) == "VARCHAR" or c in LIST_COLUMNS]


def write_csv_table(table: str, df: pd.DataFrame, path: Path) -> None:
    """CSV in UTF-8 with BOM, booleans as true/false, empty as "", formula cells guarded."""
    out = df.copy()
    for c in text_columns(table):
        s = out[c].astype(object)
        mask = s.str.match(GUARD_CANDIDATE).fillna(False).astype(bool)
        if mask.any():
            s = s.where(~mask, s[mask].map(sanitize_cell))
        out[c] = s
    for c in BOOL_COLUMNS & set(out.columns):
        out[c] = out[c].map({True: "true", False: "false"})
    out.to_csv(path, index=False, encoding="utf-8-sig", na_rep="", lineterminator="\n")


def write_jsonl(df: pd.DataFrame, path: Path) -> None:
    """JSON Lines, UTF-8 without escapes (ensure_ascii=False), empty floats as null."""
    records = df.astype(object).where(df.notna(), None).to_dict("records")
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False))
            fh.write("\n")


def column_width(df: pd.DataFrame, column: str) -> float:
    """Width of an XLSX column: its longest value or header plus a margin, within 8..60."""
    longest = len(column)
    if len(df):
        longest = max(longest, int(df[column].astype(str).str.len().fillna(0).max()))
    return float(min(XLSX_MAX_WIDTH, max(XLSX_MIN_WIDTH, longest + 2)))


def workbook_sheets(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The sheets of `ketluan.xlsx`: each table, the items sheet with its file's source_path beside doc_id.

    An analyst filtering items wants the file and page at hand; two copies of one file share a
    doc_id, and the first path (sorted) names it.
    """
    sheets = dict(tables)
    items, docs = tables.get("items"), tables.get("documents")
    known = docs is not None and {"doc_id", "source_path"} <= set(docs.columns)
    if (
        items is not None
        and docs is not None
        and known
        and "doc_id" in items.columns
        and "source_path" not in items
    ):
        paths = docs.sort_values("source_path").drop_duplicates("doc_id").set_index("doc_id")["source_path"]
        items = items.copy()
        items.insert(1, "source_path", items["doc_id"].map(paths).fillna(""))
        sheets["items"] = items
    return sheets


def write_xlsx(tables: dict[str, pd.DataFrame], path: Path) -> None:
    """One workbook, one sheet per table: bold frozen header, autofilter, widths capped at 60.

    Dates are date cells (yyyy-mm-dd), long text columns wrap, the items sheet carries each
    item's source_path and page. Text that a spreadsheet would read as a formula is written as
    an inline string (data_type "s"), so the visible text stays exactly as stored and nothing is
    evaluated. An interrupted save (Ctrl-C) closes the sheets' XML streams before it propagates,
    so no "Exception ignored ... LxmlSyntaxError" is printed when they are collected.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    try:
        for table, df in workbook_sheets(tables).items():
            columns = list(df.columns)
            chunk = XLSX_MAX_ROWS - 1
            starts = range(0, max(len(df), 1), chunk)
            wrapped = [c in WRAPPED_COLUMNS for c in columns]
            dated = [c in DATE_COLUMNS for c in columns]
            for part, start in enumerate(starts, 1):
                rows = df.iloc[start : start + chunk]
                ws = wb.create_sheet(table if part == 1 else f"{table} ({part})")
                ws.freeze_panes = "A2"
                for i, c in enumerate(columns, 1):
                    ws.column_dimensions[get_column_letter(i)].width = column_width(rows, c)
                header = []
                for c in columns:
                    cell = WriteOnlyCell(ws, value=c)
                    cell.font = bold
                    header.append(cell)
                ws.append(header)
                for values in rows.astype(object).itertuples(index=False, name=None):
                    row = []
                    for v, wraps, is_date in zip(values, wrapped, dated, strict=True):
                        if is_date and (day := to_date(v)) is not None:
                            cell = WriteOnlyCell(ws, value=day)
                            cell.number_format = XLSX_DATE_FORMAT
                            row.append(cell)
                            continue
                        value = xlsx_value(ws, v, WriteOnlyCell)
                        if wraps and isinstance(value, str):
                            value = WriteOnlyCell(ws, value=value)
                        if wraps and hasattr(value, "alignment"):
                            value.alignment = wrap
                        row.append(value)
                    ws.append(row)
                ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
        wb.save(path)
    except BaseException:
        _close_sheet_streams(wb)
        raise


def _close_sheet_streams(wb: Any) -> None:
    """Close the XML writers of a write-only workbook whose save was interrupted, quietly."""
    for ws in getattr(wb, "_sheets", []):
        rows = getattr(ws, "_rows", None)  # the sheetData generator, inside the writer's worksheet element
        if rows is not None:
            try:
                rows.close()
            except Exception:
                pass
        writer = getattr(ws, "_writer", None)
        stream = getattr(writer, "xf", None)
        if stream is None:
            continue
        try:
            stream.close()
        except Exception:  # the half-written element: lxml complains, nobody needs to read it
            pass
        out = getattr(writer, "out", None)
        try:
            if out is not None and hasattr(out, "close"):
                out.close()
        except Exception:
            pass


def xlsx_value(ws: Any, value: Any, cell_class: Any) -> Any:
    """One XLSX cell value: NaN empty, lists "; "-joined, control characters dropped, formula-like text as text."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (list, tuple)):
        value = LIST_SEPARATOR.join(str(v) for v in value)
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


def write_parquet(df: pd.DataFrame, path: Path, table: str = "") -> None:
    """Parquet with the contract types: int64, float64 with nulls, bool, string, date32, list<string>."""
    if table in COLUMNS:
        import pyarrow.parquet as pq

        pq.write_table(to_arrow(table, df), path)
    else:
        df.to_parquet(path, index=False, engine="pyarrow")


@dataclass
class ExportResult:
    """What `write_tables` wrote, and the files it could not write (name -> one-line reason)."""

    written: dict[str, Path] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)


def failure_reason(exc: BaseException) -> str:
    """One line saying why a file could not be written; a full disk is named as such.

    Examples:
        >>> failure_reason(OSError(errno.ENOSPC, "No space left on device"))
        'no space left on device'
        >>> failure_reason(ValueError("All strings must be XML compatible"))
        'ValueError: All strings must be XML compatible'
    """
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return "no space left on device"
    if isinstance(exc, OSError) and exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return f"the folder is read-only ({exc.strerror})"
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def write_tables(
    tables: dict[str, pd.DataFrame],
    out_dir: Path,
    xlsx: bool = True,
    sheets: dict[str, pd.DataFrame] | None = None,
) -> ExportResult:
    """Write each table as CSV, Parquet and JSONL, and all of them as one XLSX, atomically.

    Each file is written under a temporary name in `out_dir` and moved into place with
    os.replace, so an export killed half-way leaves the previous files whole. A file that
    cannot be written (a full disk, a value a format refuses) leaves its previous version and
    is reported in `failed`; the other files are still written.

    Args:
        tables: {"documents": ..., "sections": ..., "items": ...}, contract columns.
        out_dir: the output folder.
        xlsx: also write `ketluan.xlsx`.
        sheets: more tables for the workbook only (the analysis tables of `ketluan analyze`).

    Returns:
        An ExportResult: file name -> path written, file name -> reason for each failure.

    Examples:
        >>> sorted(write_tables(store.tables(), Path("out")).written)[:3]  # doctest: +SKIP
        ['documents.csv', 'documents.jsonl', 'documents.parquet']
    """
    remove_stale_temp_files(out_dir)
    result = ExportResult()

    def attempt(path: Path, write: Any) -> None:
        try:
            with atomic_path(path) as tmp:
                write(tmp)
        except Exception as e:
            result.failed[path.name] = failure_reason(e)
        else:
            result.written[path.name] = path

    for table, df in tables.items():
        attempt(out_dir / f"{table}.csv", lambda tmp, t=table, d=df: write_csv_table(t, d, tmp))
        attempt(out_dir / f"{table}.parquet", lambda tmp, t=table, d=df: write_parquet(d, tmp, t))
        attempt(out_dir / f"{table}.jsonl", lambda tmp, d=df: write_jsonl(d, tmp))
    if xlsx:
        attempt(out_dir / XLSX_NAME, lambda tmp: write_xlsx({**tables, **(sheets or {})}, tmp))
    return result


def remove_stale_temp_files(out_dir: Path) -> None:
    """Delete temporary files a killed export left behind (".items.csv.1234.tmp")."""
    names = {f"{t}.{e}" for t in TABLE_NAMES for e in ("csv", "parquet", "jsonl")} | {XLSX_NAME}
    for p in out_dir.glob(".*.tmp"):
        stem = p.name[1:].rsplit(".", 2)[0]
        if stem in names:
            p.unlink(missing_ok=True)


def read_csv_tables(folder: Path) -> dict[str, pd.DataFrame] | None:
    """The three tables from their CSV files (formula guard undone, types restored), or None.

    Examples:
        >>> read_csv_tables(Path("out"))["items"].columns[:2].tolist()  # doctest: +SKIP
        ['doc_id', 'item_id']
    """
    import pandas as pd

    csvs = {t: folder / f"{t}.csv" for t in TABLE_NAMES}
    if not all(p.exists() for p in csvs.values()):
        return None
    tables = {}
    for t, path in csvs.items():
        df = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        for c in text_columns(t):
            if c in df.columns:
                df[c] = df[c].map(unsanitize_cell)
        tables[t] = typed_table(t, df)
    return tables


def write_frame_csv(df: pd.DataFrame, path: Path) -> Path:
    """Write an analysis table as UTF-8 CSV with BOM (Excel keeps the diacritics), atomically."""
    with atomic_path(path) as tmp:
        df.to_csv(tmp, index=False, encoding="utf-8-sig")
    return path
