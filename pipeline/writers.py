"""Export writers: the contract tables (DataFrames or plain `Rows`) -> CSV, Parquet, JSONL and one XLSX.

Reads tables with the DESIGN.md columns (dates as ISO text, lists "; "-joined) and returns the files
written, each atomically; Parquet and XLSX get typed dates (and Parquet typed lists). `Rows` are
written without pandas, byte for byte as the DataFrames would be. Also knows the contract's column
types and reads CSV tables back. It never changes a value except to guard spreadsheet cells against
formula injection, and never touches the database.
"""

from __future__ import annotations

import array
import csv
import datetime
import json
import math
import os
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

import pyarrow as pa

from .records import DOCUMENT_COLUMNS, ITEM_COLUMNS, SECTION_COLUMNS

if TYPE_CHECKING:  # pandas loads where a DataFrame is built or written, not with this module
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
    return arrow_table(table, {c: [coerce(v, c) for v in df[c].tolist()] for c in COLUMNS[table]})


@dataclass
class Rows:
    """A table as plain Python rows: the export's form, written without pandas.

    Its values are those a typed DataFrame (`typed_table`) gives with `.astype(object)`: int,
    float (NaN when empty), bool and text; the writers turn it into the same bytes.

    Examples:
        >>> t = Rows(["doc_id", "pages"], [("907a2ed1a172817c", 2)])
        >>> len(t), t.column("pages")
        (1, [2])
    """

    columns: list[str]
    rows: list[tuple[Any, ...]]

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, name: str) -> list[Any]:
        """The values of one column, in row order."""
        i = self.columns.index(name)
        return [r[i] for r in self.rows]


# The pandas-free export needs each column stored with the contract's own DuckDB type (a database
# of schema 1 may keep some as text: its tables go the DataFrame way).
def _typed_int(v: Any) -> int:
    return 0 if v is None else int(v)


def _typed_float(v: Any) -> float:
    return math.nan if v is None else float(v)


def _typed_bool(v: Any) -> bool:
    return v if isinstance(v, bool) else str(v).strip().lower() in ("true", "1", "yes")


def _typed_list(v: Any) -> str:
    return LIST_SEPARATOR.join(to_list(v))


def _typed_date(v: Any) -> str:
    return d.isoformat() if (d := to_date(v)) else (v if isinstance(v, str) else "")


def _typed_text(v: Any) -> str:
    return "" if v is None else str(v)


def typed_rows(table: str, rows: Sequence[Sequence[Any]]) -> Rows:
    """`typed_table` for rows read from the database (columns in contract order, the text view of
    `text_expr`, every column of its contract type), without pandas: the same values.

    Examples:
        >>> typed_rows("sections", [("907a2ed1a172817c", "s1", None, 1, 1, "I.", "Kết quả", "other", None)]).rows
        [('907a2ed1a172817c', 's1', '', 1, 1, 'I.', 'Kết quả', 'other', 0)]
    """
    columns = COLUMNS[table]
    convert: list[Callable[[Any], Any]] = []
    for c in columns:
        if c in INT_COLUMNS:
            convert.append(_typed_int)
        elif c in FLOAT_COLUMNS or c in OPTIONAL_FLOAT_COLUMNS:
            convert.append(_typed_float)
        elif c in BOOL_COLUMNS:
            convert.append(_typed_bool)
        elif c in LIST_COLUMNS:
            convert.append(_typed_list)
        elif c in DATE_COLUMNS:
            convert.append(_typed_date)
        else:
            convert.append(_typed_text)
    pairs = list(enumerate(convert))
    return Rows(list(columns), [tuple(f(row[i]) for i, f in pairs) for row in rows])


def frame(table: Rows) -> pd.DataFrame:
    """`Rows` as the DataFrame `typed_table` would give (int64, float64, bool and text columns)."""
    import pandas as pd

    return (
        pd.DataFrame(table.rows, columns=table.columns)
        if table.rows
        else pd.DataFrame({c: pd.Series([], dtype=object) for c in table.columns})
    )


Table = Union["pd.DataFrame", Rows]
_EPOCH = datetime.date(1970, 1, 1)
_MAX_OFFSET = 2**31 - 1  # 32-bit offsets of Arrow strings and lists


def _validity(values: Sequence[Any]) -> pa.Buffer | None:
    """Arrow's validity bitmap of `values` (None is null), or None when nothing is null."""
    if all(v is not None for v in values):
        return None
    bits = bytearray((len(values) + 7) // 8)
    for i, v in enumerate(values):
        if v is not None:
            bits[i >> 3] |= 1 << (i & 7)
    return pa.py_buffer(bytes(bits))


def _string_buffers(values: Sequence[str]) -> tuple[pa.Buffer, pa.Buffer] | None:
    """Offsets and data of an Arrow string array, or None past 32-bit offsets."""
    encoded = [v.encode("utf-8") for v in values]
    offsets = array.array("i", [0])
    total = 0
    for b in encoded:
        total += len(b)
        if total > _MAX_OFFSET:
            return None
        offsets.append(total)
    return pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))


def _arrow_array(kind: pa.DataType, values: list[Any]) -> pa.Array | None:
    """An Arrow array of contract values built from its buffers: what `pa.array(values, kind)`
    gives, without the pandas import pyarrow's converter makes. None when it cannot (a value
    of another Python type, text past 2 GiB): the caller converts that column the usual way."""
    n = len(values)
    try:
        if kind == pa.string():
            if not all(type(v) is str for v in values):
                return None
            bufs = _string_buffers(values)
            return None if bufs is None else pa.Array.from_buffers(kind, n, [None, *bufs])
        if kind == pa.int64():
            if not all(type(v) is int for v in values):
                return None
            return pa.Array.from_buffers(kind, n, [None, pa.py_buffer(array.array("q", values))])
        if kind == pa.float64():
            if not all(v is None or type(v) is float for v in values):
                return None
            data = array.array("d", [0.0 if v is None else v for v in values])
            return pa.Array.from_buffers(kind, n, [_validity(values), pa.py_buffer(data)])
        if kind == pa.bool_():
            if not all(type(v) is bool for v in values):
                return None
            bits = bytearray((n + 7) // 8)
            for i, v in enumerate(values):
                if v:
                    bits[i >> 3] |= 1 << (i & 7)
            return pa.Array.from_buffers(kind, n, [None, pa.py_buffer(bytes(bits))])
        if kind == pa.date32():
            if not all(v is None or type(v) is datetime.date for v in values):
                return None
            days = array.array("i", [0 if v is None else (v - _EPOCH).days for v in values])
            return pa.Array.from_buffers(kind, n, [_validity(values), pa.py_buffer(days)])
        if kind == pa.list_(pa.string()):
            if not all(type(v) is list and all(type(p) is str for p in v) for v in values):
                return None
            flat = [p for v in values for p in v]
            offsets = array.array("i", [0])
            count = 0
            for v in values:
                count += len(v)
                offsets.append(count)
            child = _arrow_array(pa.string(), flat)
            if child is None:
                return None
            return pa.Array.from_buffers(kind, n, [None, pa.py_buffer(offsets)], children=[child])
    except (OverflowError, TypeError, ValueError):
        return None
    return None


def arrow_table(table: str, data: dict[str, list[Any]]) -> pa.Table:
    """Coerced contract values (`coerce`) of each column as an Arrow table with the contract types.

    The same table as `pa.Table.from_pydict(data, schema=ARROW_SCHEMAS[table])`, built from
    buffers: pyarrow's converter imports pandas (about 0.2 s), which a run of one document never
    needs otherwise.

    Examples:
        >>> arrow_table("sections", {c: [] for c in COLUMNS["sections"]}).num_rows
        0
    """
    schema = ARROW_SCHEMAS[table]
    arrays = []
    for f in schema:
        built = _arrow_array(f.type, data[f.name])
        arrays.append(built if built is not None else pa.array(data[f.name], type=f.type))
    return pa.Table.from_arrays(arrays, schema=schema)


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


def write_csv_table(table: str, df: Table, path: Path) -> None:
    """CSV in UTF-8 with BOM, booleans as true/false, empty as "", formula cells guarded."""
    if isinstance(df, Rows):
        _write_csv_rows(table, df, path)
        return
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


def _csv_text(v: Any) -> Any:
    return sanitize_cell(v) if isinstance(v, str) else ("" if v is None or v != v else v)


def _csv_bool(v: Any) -> str:
    return "true" if v is True else "false" if v is False else ""


def _csv_other(v: Any) -> Any:
    if isinstance(v, float):
        return "" if v != v else repr(v)  # numpy's str of a float64 is its repr
    return "" if v is None else v


def _write_csv_rows(table: str, rows: Rows, path: Path) -> None:
    """`write_csv_table` of `Rows`: the csv module as pandas drives it (minimal quoting, "\n")."""
    guarded = set(text_columns(table))
    convert = [
        _csv_text if c in guarded else _csv_bool if c in BOOL_COLUMNS else _csv_other for c in rows.columns
    ]
    pairs = list(enumerate(convert))
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n", delimiter=",", quotechar='"', quoting=csv.QUOTE_MINIMAL)
        writer.writerow(rows.columns)
        writer.writerows([f(row[i]) for i, f in pairs] for row in rows.rows)


def write_jsonl(df: Table, path: Path) -> None:
    """JSON Lines, UTF-8 without escapes (ensure_ascii=False), empty floats as null."""
    if isinstance(df, Rows):
        cols = df.columns
        records: Any = (
            dict(
                zip(
                    cols,
                    [None if v is None or (isinstance(v, float) and v != v) else v for v in row],
                    strict=True,
                )
            )
            for row in df.rows
        )
    else:
        records = df.astype(object).where(df.notna(), None).to_dict("records")
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False))
            fh.write("\n")


def write_parquet(df: Table, path: Path, table: str = "") -> None:
    """Parquet with the contract types: int64, float64 with nulls, bool, string, date32, list<string>."""
    if table in COLUMNS:
        import pyarrow.parquet as pq

        if isinstance(df, Rows):
            data = {c: [coerce(v, c) for v in df.column(c)] for c in COLUMNS[table]}
            pq.write_table(arrow_table(table, data), path)
        else:
            pq.write_table(to_arrow(table, df), path)
    else:
        (frame(df) if isinstance(df, Rows) else df).to_parquet(path, index=False, engine="pyarrow")


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
