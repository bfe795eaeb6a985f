"""Export stage, the files: the contract tables -> every CSV, Parquet and JSONL file (`writers`) and
one workbook, `ketluan.xlsx`, each written atomically.

Reads the tables as DataFrames or `writers.Rows` (the workbook gets typed dates, wrapped text and
each item's source file) and returns the files written and those that failed. It never changes a
value except to keep spreadsheet cells as text, and never touches the database.
"""

from __future__ import annotations

import errno
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import writers
from .writers import (
    DATE_COLUMNS,
    LIST_SEPARATOR,
    TABLE_NAMES,
    WRAPPED_COLUMNS,
    XLSX_DATE_FORMAT,
    XLSX_ILLEGAL,
    XLSX_MAX_CELL_CHARS,
    XLSX_MAX_ROWS,
    XLSX_MAX_WIDTH,
    XLSX_MIN_WIDTH,
    XLSX_NAME,
    Rows,
    Table,
    frame,
    to_date,
)

if TYPE_CHECKING:  # pandas loads where a DataFrame is written, not with this module
    import pandas as pd


def mark_duplicates(tables: dict[str, Table]) -> None:
    """Set the documents' duplicate_of (copies of one issued document across the whole run: same
    issuer+number+date, or same text), and give a copy and its items the issuer_id of the copy kept
    (one document, one issuer: a scan that misread a letter of the issuer's name is not another body).
    One document is no copy: no pandas, no search."""
    docs, items = tables["documents"], tables["items"]
    if isinstance(docs, Rows) and len(docs) <= 1:
        at = docs.columns.index("duplicate_of")
        docs.rows = [(*row[:at], "", *row[at + 1 :]) for row in docs.rows]
        return
    from .duplicates import find_duplicates

    item_frame = frame(items) if isinstance(items, Rows) else items
    if isinstance(docs, Rows):
        at = docs.columns.index("duplicate_of")
        found = find_duplicates(frame(docs), item_frame).tolist()
        docs.rows = [(*row[:at], dup, *row[at + 1 :]) for row, dup in zip(docs.rows, found, strict=True)]
        doc_ids = docs.column("doc_id")
    else:
        docs["duplicate_of"] = find_duplicates(docs, item_frame)
        found, doc_ids = docs["duplicate_of"].tolist(), docs["doc_id"].tolist()
    key_of = dict(zip(doc_ids, column_of(docs, "issuer_id"), strict=True)) if _has(docs, "issuer_id") else {}
    kept = {d: key_of[dup] for d, dup in zip(doc_ids, found, strict=True) if dup and dup in key_of}
    if kept:
        for table in (docs, items):
            _set_issuer(table, kept)


def _has(table: Table, column: str) -> bool:
    return column in (table.columns if isinstance(table, Rows) else table.columns.tolist())


def column_of(table: Table, column: str) -> list[Any]:
    """One column of a table, DataFrame or `writers.Rows`, as a list."""
    return table.column(column) if isinstance(table, Rows) else table[column].tolist()


def _set_issuer(table: Table, key_of_doc: dict[str, Any]) -> None:
    """issuer_id := key_of_doc[doc_id] on the rows of those documents (documents or items)."""
    if not (_has(table, "issuer_id") and _has(table, "doc_id")):
        return
    if isinstance(table, Rows):
        key, doc = table.columns.index("issuer_id"), table.columns.index("doc_id")
        table.rows = [
            (*row[:key], key_of_doc[row[doc]], *row[key + 1 :]) if row[doc] in key_of_doc else row
            for row in table.rows
        ]
    else:
        hit = table["doc_id"].isin(list(key_of_doc))
        table.loc[hit, "issuer_id"] = table.loc[hit, "doc_id"].map(key_of_doc)


def column_width(df: pd.DataFrame, column: str) -> float:
    """Width of an XLSX column: its longest value or header plus a margin, within 8..60."""
    longest = len(column)
    if len(df):
        longest = max(longest, int(df[column].astype(str).str.len().fillna(0).max()))
    return float(min(XLSX_MAX_WIDTH, max(XLSX_MIN_WIDTH, longest + 2)))


def _rows_width(table: Rows, index: int, start: int, stop: int) -> float:
    """`column_width` of one column of `Rows` (rows start..stop): str() of each value, as pandas."""
    longest = len(table.columns[index])
    for row in table.rows[start:stop]:
        longest = max(longest, len(str(row[index])))
    return float(min(XLSX_MAX_WIDTH, max(XLSX_MIN_WIDTH, longest + 2)))


def _rows_with_paths(items: Rows, docs: Rows) -> Rows:
    """The items `Rows` with source_path after doc_id (`workbook_sheets` without pandas)."""
    path_at, id_at = docs.columns.index("source_path"), docs.columns.index("doc_id")
    paths: dict[Any, Any] = {}
    for row in sorted(docs.rows, key=lambda r: r[path_at]):
        paths.setdefault(row[id_at], row[path_at])
    at = items.columns.index("doc_id")
    columns = list(items.columns)
    columns.insert(1, "source_path")
    rows = []
    for row in items.rows:
        path = paths.get(row[at], "")
        rows.append((*row[:1], "" if path is None else path, *row[1:]))
    return Rows(columns, rows)


def workbook_sheets(tables: dict[str, Table]) -> dict[str, Table]:
    """The sheets of `ketluan.xlsx`: each table, the items sheet with its file's source_path beside doc_id.

    An analyst filtering items wants the file and page at hand; two copies of one file share a
    doc_id, and the first path (sorted) names it.
    """
    sheets = dict(tables)
    items, docs = tables.get("items"), tables.get("documents")
    if isinstance(items, Rows) and isinstance(docs, Rows):
        if {"doc_id", "source_path"} <= set(docs.columns) and "doc_id" in items.columns \
                and "source_path" not in items.columns:  # fmt: skip
            sheets["items"] = _rows_with_paths(items, docs)
        return sheets
    if isinstance(items, Rows):
        items = frame(items)
    if isinstance(docs, Rows):
        docs = frame(docs)
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


def write_xlsx(tables: dict[str, Table], path: Path) -> None:
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
                ws = wb.create_sheet(table if part == 1 else f"{table} ({part})")
                ws.freeze_panes = "A2"
                values: Any
                if isinstance(df, Rows):
                    values = df.rows[start : start + chunk]
                    count = len(values)
                    for i in range(len(columns)):
                        ws.column_dimensions[get_column_letter(i + 1)].width = _rows_width(
                            df, i, start, start + chunk
                        )
                else:
                    rows = df.iloc[start : start + chunk]
                    count = len(rows)
                    for i, c in enumerate(columns, 1):
                        ws.column_dimensions[get_column_letter(i)].width = column_width(rows, c)
                    values = rows.astype(object).itertuples(index=False, name=None)
                header = []
                for c in columns:
                    cell = WriteOnlyCell(ws, value=c)
                    cell.font = bold
                    header.append(cell)
                ws.append(header)
                for record in values:
                    row = []
                    for v, wraps, is_date in zip(record, wrapped, dated, strict=True):
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
                ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
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
    tables: dict[str, Table],
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
        tables: {"documents": ..., "sections": ..., "items": ...}, contract columns (DataFrames,
            or `Rows`: written without pandas, the same bytes).
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
    done: list[tuple[Path, Path]] = []  # (temporary file, its name): written, to be synced and moved

    def attempt(path: Path, write: Any) -> None:
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            write(tmp)
        except Exception as e:
            tmp.unlink(missing_ok=True)
            result.failed[path.name] = failure_reason(e)
        else:
            done.append((tmp, path))

    try:
        for table, df in tables.items():
            attempt(out_dir / f"{table}.csv", lambda tmp, t=table, d=df: writers.write_csv_table(t, d, tmp))
            attempt(out_dir / f"{table}.parquet", lambda tmp, t=table, d=df: writers.write_parquet(d, tmp, t))
            attempt(out_dir / f"{table}.jsonl", lambda tmp, d=df: writers.write_jsonl(d, tmp))
        if xlsx:
            attempt(out_dir / XLSX_NAME, lambda tmp: write_xlsx({**tables, **(sheets or {})}, tmp))
        for (tmp, path), problem in zip(done, sync_files([tmp for tmp, _ in done]), strict=True):
            try:
                if problem is not None:
                    raise problem
                os.replace(tmp, path)
            except Exception as e:
                result.failed[path.name] = failure_reason(e)
            else:
                result.written[path.name] = path
    finally:
        for tmp, _ in done:  # those not moved into place (a failure, a Ctrl-C)
            tmp.unlink(missing_ok=True)
    return result


def sync_files(paths: list[Path]) -> list[Exception | None]:
    """fsync each file, all at once (one thread each: the disk commits them together instead of
    one after the other); the error of each file, or None.

    Examples:
        >>> sync_files([])
        []
    """

    def sync(path: Path) -> Exception | None:
        try:
            with open(path, "rb") as fh:
                os.fsync(fh.fileno())
        except Exception as e:
            return e
        return None

    if len(paths) < 2:
        return [sync(p) for p in paths]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=len(paths)) as pool:
        return list(pool.map(sync, paths))


def remove_stale_temp_files(out_dir: Path) -> None:
    """Delete temporary files a killed export left behind (".items.csv.1234.tmp")."""
    names = {f"{t}.{e}" for t in TABLE_NAMES for e in ("csv", "parquet", "jsonl")} | {XLSX_NAME}
    for p in out_dir.glob(".*.tmp"):
        stem = p.name[1:].rsplit(".", 2)[0]
        if stem in names:
            p.unlink(missing_ok=True)


def warm_export(several: bool = False) -> None:
    """Import what `Store.export` needs (Parquet, openpyxl), e.g. while a worker reads the
    first document: the export of a small run then spends no time loading modules. With
    `several` documents, also pandas and scikit-learn's text vectorizer (about a second), which
    the search for copies among them needs; one document never does."""
    import openpyxl.cell  # noqa: F401
    import pyarrow.parquet  # noqa: F401

    if several:
        from . import duplicates  # noqa: F401  (pandas)

        try:
            import sklearn.feature_extraction.text  # noqa: F401
        except ImportError:  # the export reports it, if it needs it
            return
