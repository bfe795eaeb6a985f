"""Store stage: finished `Document` records -> DuckDB -> pandas (files are written by `export`).

Reads `Document`s (each committed in its own transaction, keyed by source_path, so a killed
run loses at most the document in flight) and returns DataFrames in the DESIGN.md contract;
resume asks it what is stored. It never parses documents and never changes a value.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from .duplicates import find_duplicates
from .errors import Problem, UsageError, code_of
from .records import (
    DOCUMENT_COLUMNS,
    ITEM_COLUMNS,
    SECTION_COLUMNS,
    Document,
    Fields,
    Item,
    Section,
)
from .writers import (
    ARROW_SCHEMAS,
    COLUMNS,
    TABLE_NAMES,
    coerce,
    read_csv_tables,
    sql_type,
    typed_table,
    write_tables,
)

DB_NAME = "ketluan.duckdb"
SCHEMA_VERSION = "1"
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


class StoreError(UsageError, RuntimeError):
    """The output database cannot be used (in use by another process, or of another schema)."""


class MissingDatabase(StoreError, FileNotFoundError):
    """No database where a run's database was expected."""


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
    data = {c: [coerce(r.get(c), c) for r in rows] for c in columns}
    return pa.Table.from_pydict(data, schema=ARROW_SCHEMAS[table])


def _read_tables(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """The three contract tables of an open database as typed DataFrames."""
    tables = {}
    for t in TABLE_NAMES:
        cols = ", ".join(COLUMNS[t])
        df = con.execute(f"SELECT {cols} FROM {t} ORDER BY {ORDER_BY[t]}").df()
        tables[t] = typed_table(t, df)
    return tables


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
            cols = ", ".join(f"{c} {sql_type(c)}" for c in COLUMNS[t])
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
            if not (status == "error" and code_of(error) in retry)
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
            error=Problem.of(str(row["error"]))
            if row["status"] == "error" and row["error"]
            else str(row["error"]),
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
        doc_values = [coerce(raw[c], c) for c in DOCUMENT_COLUMNS]
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
        tables = self.tables()
        docs = tables["documents"]
        docs["duplicate_of"] = find_duplicates(docs)  # copies of one issued document: across the whole run
        written = write_tables(tables, self.out_dir, xlsx=xlsx)
        self._con.execute("CHECKPOINT")  # the .duckdb file alone holds everything, for readers
        written[DB_NAME] = self.db_path
        return written

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
    if db.exists():
        try:
            con = duckdb.connect(str(db), read_only=True)
        except duckdb.Error:
            from_csv = read_csv_tables(folder)
            if from_csv is None:
                raise
            return from_csv
        try:
            return _read_tables(con)
        finally:
            con.close()
    from_csv = read_csv_tables(folder)
    if from_csv is None:
        raise FileNotFoundError(f"{folder} holds no {DB_NAME} and no documents/sections/items CSV files")
    return from_csv


def read_database(db: str | os.PathLike[str]) -> dict[str, pd.DataFrame]:
    """The `items` and `documents` tables of a `ketluan.duckdb` as stored (read-only, row order kept).

    Args:
        db: the database file, or the output folder holding it.

    Raises:
        MissingDatabase: there is no database there.

    Examples:
        >>> sorted(read_database("out/"))  # doctest: +SKIP
        ['documents', 'items']
    """
    path = Path(db)
    if path.is_dir():
        path = path / DB_NAME
    if not path.is_file():
        raise MissingDatabase(f"database not found: {path} (run 'ketluan run INPUT --out DIR' first)")
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {
            "items": con.execute("SELECT * FROM items").df(),
            "documents": con.execute("SELECT * FROM documents").df(),
        }
    finally:
        con.close()
