"""Store stage: finished `Document` records -> DuckDB -> pandas (files are written by `export`).

Reads `Document`s (each committed in its own transaction, keyed by source_path, so a killed
run loses at most the document in flight) and returns DataFrames in the DESIGN.md contract
(`export` reads plain rows: no pandas for one document); resume asks it what is stored. It never
parses documents and never changes a value.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa

from .database import (
    REBUILD_HINT,
    MissingDatabase,
    StoreError,
    database_problem,
    folder_problem,
    interrupted,
    no_space,
    open_database,
    set_aside,
    table_names,
)
from .errors import Problem, code_of
from .outputs import column_of, mark_duplicates, warm_export, write_tables  # noqa: F401  (warm_export: engine)
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
    ANALYSIS_TABLES,
    COLUMNS,
    DATE_COLUMNS,
    LIST_COLUMNS,
    TABLE_NAMES,
    Rows,
    Table,
    arrow_table,
    coerce,
    read_csv_tables,
    sql_type,
    text_expr,
    typed_rows,
    typed_table,
)

if TYPE_CHECKING:  # pandas loads when tables are read or exported (`warm_export` loads it ahead)
    import pandas as pd

DB_NAME = "ketluan.duckdb"
SCHEMA_VERSION = "2"  # 2: DATE and VARCHAR[] columns (1: all text; migrated in place)
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


def _batch(table: str, rows: Sequence[dict[str, Any]]) -> pa.Table:
    """Rows of one table as an Arrow table with the contract types, columns in contract order."""
    return arrow_table(table, {c: [coerce(r.get(c), c) for r in rows] for c in COLUMNS[table]})


def _read_tables(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """The three contract tables of an open database as DataFrames (dates ISO text, lists "; "-joined)."""
    tables = {}
    for t in TABLE_NAMES:
        cols = ", ".join(text_expr(c) for c in COLUMNS[t])
        df = con.execute(f"SELECT {cols} FROM {t} ORDER BY {ORDER_BY[t]}").df()
        tables[t] = typed_table(t, df)
    return tables


def _read_rows(con: duckdb.DuckDBPyConnection) -> dict[str, Rows] | None:
    """The three contract tables as `Rows`, the values `_read_tables` gives, without pandas; None
    when a column is not stored with its contract type (a database migrated from schema 1)."""
    found = {
        (t, c): kind
        for t, c, kind in con.execute(
            "SELECT table_name, column_name, data_type FROM duckdb_columns() "
            "WHERE database_name = current_database() AND schema_name = 'main'"
        ).fetchall()
    }
    if any(found.get((t, c)) != sql_type(c) for t in TABLE_NAMES for c in COLUMNS[t]):
        return None
    tables = {}
    for t in TABLE_NAMES:
        cols = ", ".join(text_expr(c) for c in COLUMNS[t])
        tables[t] = typed_rows(t, con.execute(f"SELECT {cols} FROM {t} ORDER BY {ORDER_BY[t]}").fetchall())
    return tables


class _StoredRows:
    """The documents rows of a store (source_path -> doc_id, and how many paths share each doc_id)
    and the doc_ids that have sections or items rows: what `Store.commit` would otherwise ask
    the database again at every document."""

    def __init__(self, paths: dict[str, str], with_rows: set[str]) -> None:
        self.paths = paths
        self.with_rows = with_rows
        self.counts: dict[str, int] = {}
        for doc_id in paths.values():
            self.counts[doc_id] = self.counts.get(doc_id, 0) + 1

    def shared(self, doc_id: str) -> bool:
        """True when some stored documents row has this doc_id."""
        return self.counts.get(doc_id, 0) > 0

    def drop_path(self, path: str) -> None:
        doc_id = self.paths.pop(path)
        self.counts[doc_id] -= 1

    def add_path(self, path: str, doc_id: str) -> None:
        self.paths[path] = doc_id
        self.counts[doc_id] = self.counts.get(doc_id, 0) + 1


class Store:
    """The output folder of a run: a DuckDB database plus its exported tables.

    Each `commit` is one transaction keyed by `source_path`, so a second run into the same
    folder replaces rows instead of duplicating them, and a killed run keeps every document
    committed before it. Use it as a context manager, or call `close()`.

    Args:
        out_dir: the output folder; created if missing, with `ketluan.duckdb` inside.
        rebuild: a damaged database, or one ketluan did not write, is renamed
            `ketluan.duckdb.damaged-<time>` and a new one is started (`ketluan run --force`).

    Raises:
        StoreError: the folder cannot be created or written, or the database is in use, damaged,
            not ketluan's, or of a newer schema version; the message names the cause in one line.

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

    def __init__(self, out_dir: str | os.PathLike[str], rebuild: bool = False) -> None:
        self.out_dir = Path(out_dir)
        self.db_path = self.out_dir / DB_NAME
        self.failed: dict[str, str] = {}  # output files the last export could not write: name -> reason
        self.set_aside: Path | None = None  # where a damaged database went (rebuild)
        self._rows: _StoredRows | None = None  # what the tables hold, read at the first commit
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryFile(dir=self.out_dir):  # writable? (as root, permission bits say yes)
                pass
        except OSError as exc:
            raise folder_problem(exc, self.out_dir) from None
        try:
            self._con = open_database(self.db_path)
            self._create_schema()
        except StoreError:
            self.close(quiet=True)
            if not rebuild or not (self.db_path.exists() or self.db_path.is_symlink()):
                raise
            self.set_aside = set_aside(self.db_path)
            self._con = open_database(self.db_path)
            self._create_schema()

    def _create_schema(self) -> None:
        """Create the tables if missing; check an existing database is ketluan's, of a known schema.

        A database of schema 1 (dates and lists as text) is migrated in place to DATE and
        VARCHAR[] columns, in one transaction.
        """
        con = self._con
        try:
            existing = table_names(con)
            if existing and "meta" not in existing:
                raise StoreError(f"{self.db_path} is a DuckDB database that ketluan did not write (tables: "
                                 f"{', '.join(sorted(existing)[:5])}); {REBUILD_HINT}")  # fmt: skip
            fresh = not existing  # a new database: its schema in one transaction (one write, not five)
            if fresh:
                con.execute("BEGIN TRANSACTION")
            con.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
            rows = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
            found = rows[0][0] if rows else None  # fetchall: DuckDB 2 keeps a half-read result busy
            if found == "1":
                self._migrate_from_text()
            elif found is not None and found != SCHEMA_VERSION:
                raise StoreError(
                    f"{self.db_path} was written by another version of ketluan (schema {found}, "
                    f"expected {SCHEMA_VERSION}); use a new output folder"
                )
            for t in TABLE_NAMES:
                cols = ", ".join(f"{c} {sql_type(c)}" for c in COLUMNS[t])
                key = ", PRIMARY KEY (source_path)" if t == "documents" else ""
                con.execute(f"CREATE TABLE IF NOT EXISTS {t} ({cols}{key})")
            if found is None:
                con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])
            if fresh:
                con.execute("COMMIT")
        except duckdb.Error as exc:
            raise database_problem(exc, self.db_path) from None

    def _migrate_from_text(self) -> None:
        """Schema 1 -> 2: ISO text dates become DATE ("" -> NULL), "; " lists become VARCHAR[]."""
        con = self._con
        con.execute("BEGIN TRANSACTION")
        for t in TABLE_NAMES:
            for c in COLUMNS[t]:
                if c in DATE_COLUMNS:
                    con.execute(
                        f"ALTER TABLE {t} ALTER {c} TYPE DATE USING TRY_CAST(NULLIF({c}, '') AS DATE)"
                    )
                elif c in LIST_COLUMNS:
                    con.execute(f"ALTER TABLE {t} ALTER {c} TYPE VARCHAR[] USING CASE WHEN {c} = '' "
                                f"THEN []::VARCHAR[] ELSE string_split({c}, '; ') END")  # fmt: skip
        con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [SCHEMA_VERSION])
        con.execute("COMMIT")

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
        cols = ", ".join(text_expr(c) for c in DOCUMENT_COLUMNS)
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
                f"SELECT {', '.join(text_expr(c) for c in section_cols)} FROM sections WHERE doc_id = ? ORDER BY seq",
                [doc_id],
            ).fetchall()
        ]
        item_cols = [c for c in ITEM_COLUMNS if c in Item.__dataclass_fields__]
        items = [
            Item(**dict(zip(item_cols, r, strict=True)))
            for r in self._con.execute(
                f"SELECT {', '.join(text_expr(c) for c in item_cols)} FROM items WHERE doc_id = ? ORDER BY seq",
                [doc_id],
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
        # The statements whose result the stored rows already tell (no old row, nothing to delete)
        # are left out: a fresh run's commit is the inserts alone.
        stored = self._stored_rows()
        con.execute("BEGIN TRANSACTION")
        try:
            old = stored.paths.get(doc.source_path)
            if old is not None:
                con.execute("DELETE FROM documents WHERE source_path = ?", [doc.source_path])
                stored.drop_path(doc.source_path)
                if old != doc.doc_id and not stored.shared(old):
                    self._delete_rows(old, stored)
            keep = doc.status == "error" and not section_rows and not item_rows
            if not (keep and stored.shared(doc.doc_id)):
                self._delete_rows(doc.doc_id, stored)
                self._insert("sections", sections)
                self._insert("items", items)
                if sections is not None or items is not None:
                    stored.with_rows.add(doc.doc_id)
            # one row: a parameterized VALUES insert (sections and items go in as Arrow batches)
            con.execute(INSERT_DOCUMENT, doc_values)
            con.execute("COMMIT")
            stored.add_path(doc.source_path, doc.doc_id)
        except BaseException as e:
            self._rows = None  # read again from the database at the next commit
            self._rollback()
            if interrupted(e):  # Ctrl-C while DuckDB ran a query: the run stops, no error row
                raise KeyboardInterrupt from e
            if isinstance(e, duckdb.Error) and (no_space(e) or "invalidated" in str(e).lower()):
                raise database_problem(e, self.db_path) from None  # the run stops: no row could be stored
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

    def _stored_rows(self) -> _StoredRows:
        """What the tables hold (documents rows by path, doc_ids with sections or items rows),
        read once and kept up to date by `commit`."""
        if self._rows is None:
            con = self._con
            paths = dict(con.execute("SELECT source_path, doc_id FROM documents").fetchall())
            with_rows = {r[0] for r in con.execute(
                "SELECT DISTINCT doc_id FROM sections UNION SELECT DISTINCT doc_id FROM items").fetchall()}  # fmt: skip
            self._rows = _StoredRows(paths, with_rows)
        return self._rows

    def _delete_rows(self, doc_id: str, stored: _StoredRows) -> None:
        """Delete the sections and items of a doc_id (nothing to do when it has none)."""
        if doc_id not in stored.with_rows:
            return
        self._con.execute("DELETE FROM sections WHERE doc_id = ?", [doc_id])
        self._con.execute("DELETE FROM items WHERE doc_id = ?", [doc_id])
        stored.with_rows.discard(doc_id)

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

    def export(self, xlsx: bool = True, analysis: bool = False) -> dict[str, Path]:
        """Write every table of the database (all runs) as CSV, Parquet, JSONL and one XLSX.

        Each file is written under a temporary name in the output folder and moved into place
        with os.replace, so a run killed during export leaves the previous files whole. A file
        that cannot be written (a full disk, a value a format refuses) keeps its previous
        version and is listed in `self.failed`; the other files and the database are written.

        Args:
            xlsx: also write `ketluan.xlsx` (the slowest file: about 2/3 of the export time
                of a large archive); a previous workbook is left as it is when False.
            analysis: add the analysis tables `ketluan analyze` stored (recurrence,
                item_clusters, followups, task_status) to the workbook as sheets.

        Returns:
            File name -> path of each file written, e.g. {"documents.csv": Path("out/documents.csv"),
            ..., "ketluan.xlsx": ..., "ketluan.duckdb": ...}.

        Examples:
            >>> sorted(store.export())[:3]  # doctest: +SKIP
            ['documents.csv', 'documents.jsonl', 'documents.parquet']
        """
        try:
            rows = _read_rows(self._con)
            tables: dict[str, Table] = dict(rows) if rows is not None else dict(self.tables())
            mark_duplicates(tables)
            self._store_marks(tables)
            sheets = self.analysis_tables() if analysis and xlsx else {}
            result = write_tables(tables, self.out_dir, xlsx=xlsx, sheets=sheets)
            self._con.execute("CHECKPOINT")  # the .duckdb file alone holds everything, for readers
        except duckdb.Error as e:
            if interrupted(e):
                raise KeyboardInterrupt from e
            raise database_problem(e, self.db_path) from None
        self.failed = result.failed
        written = dict(result.written)
        written[DB_NAME] = self.db_path
        return written

    def _store_marks(self, tables: dict[str, Table]) -> None:
        """The database keeps `duplicate_of` and the copies' `issuer_id` as `mark_duplicates` set them
        in the files, so `load`, `read_database` and DuckDB users read the same tables."""
        docs = tables["documents"]
        if len(docs.rows if isinstance(docs, Rows) else docs) <= 1:
            return  # one document is no copy (and loads no pandas)
        import pandas as pd

        marks = pd.DataFrame({c: column_of(docs, c) for c in ("doc_id", "duplicate_of", "issuer_id")})
        self._con.register("kl_marks", marks)
        try:
            self._con.execute("UPDATE documents SET duplicate_of = m.duplicate_of, issuer_id = m.issuer_id "
                              "FROM kl_marks m WHERE documents.doc_id = m.doc_id")  # fmt: skip
            self._con.execute("UPDATE items SET issuer_id = m.issuer_id FROM kl_marks m "
                              "WHERE items.doc_id = m.doc_id AND items.issuer_id IS DISTINCT FROM m.issuer_id")  # fmt: skip
        finally:
            self._con.unregister("kl_marks")

    def write_analysis(self, tables: dict[str, pd.DataFrame]) -> list[str]:
        """Store the analysis tables (recurrence, item_clusters, followups, task_status), replacing old ones.

        Returns:
            The names of the tables stored.
        """
        stored = []
        con = self._con
        try:
            con.execute("BEGIN TRANSACTION")
            for name in ANALYSIS_TABLES:
                df = tables.get(name)
                if df is None:
                    con.execute(f"DROP TABLE IF EXISTS {name}")
                    continue
                frame = df.copy()
                for c in frame.columns:  # lists and sets (periods, issuers) as "; " text, like the CSV
                    if frame[c].map(lambda v: isinstance(v, (list, tuple, set))).any():
                        frame[c] = frame[c].map(
                            lambda v: "; ".join(map(str, v)) if isinstance(v, (list, tuple, set)) else v
                        )
                con.register("_analysis", frame)
                try:
                    con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM _analysis")
                finally:
                    con.unregister("_analysis")
                stored.append(name)
            con.execute("COMMIT")
        except duckdb.Error as e:
            self._rollback()
            raise database_problem(e, self.db_path) from None
        return stored

    def analysis_tables(self) -> dict[str, pd.DataFrame]:
        """The analysis tables stored by `write_analysis`, those that exist."""
        present = table_names(self._con)
        return {t: self._con.execute(f"SELECT * FROM {t}").df() for t in ANALYSIS_TABLES if t in present}

    def close(self, quiet: bool = False) -> None:
        """Checkpoint and close the database (safe to call twice).

        Args:
            quiet: ignore a failing checkpoint (closing after an error, which must stay the one shown).
        """
        con = getattr(self, "_con", None)
        if con is None:
            return
        try:
            con.execute("CHECKPOINT")
        except duckdb.Error as e:
            if interrupted(e):  # every commit is in the WAL: the next open replays it
                raise KeyboardInterrupt from e
            if not quiet:
                raise database_problem(e, self.db_path) from None
        finally:
            try:
                con.close()
            except duckdb.Error:
                pass
            self._con = None  # type: ignore[assignment]

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close(quiet=exc is not None)


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
        except (duckdb.Error, OSError):
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
    """The `items` and `documents` tables of a `ketluan.duckdb` (read-only, in the export's row order).

    Dates come as ISO text ("" when empty) and lists "; "-joined, as in the CSV files.

    Args:
        db: the database file, or the output folder holding it.

    Raises:
        MissingDatabase: there is no database there.
        StoreError: the file is damaged, not a DuckDB database, not ketluan's, or in use by a run.

    Examples:
        >>> sorted(read_database("out/"))  # doctest: +SKIP
        ['documents', 'items']
    """
    path = Path(db)
    if path.is_dir() and not path.name.endswith(".duckdb"):
        path = path / DB_NAME
    if not path.exists():
        raise MissingDatabase(f"database not found: {path} (run 'ketluan run INPUT --out DIR' first)")
    con = open_database(path, read_only=True)
    try:
        missing = {"items", "documents", "meta"} - table_names(con)
        if missing:
            raise StoreError(f"{path} is not a database written by 'ketluan run' (no {', '.join(sorted(missing))} "
                             f"table); pass the ketluan.duckdb of a run with --db")  # fmt: skip
        tables = {}
        for t in ("items", "documents"):
            present = {r[0] for r in con.execute(f"DESCRIBE {t}").fetchall()}
            cols = ", ".join(text_expr(c) if c in present else c for c in COLUMNS[t] if c in present)
            order = ", ".join(
                c for c in ORDER_BY[t].split(", ") if c in present
            )  # not the workers' finish order
            tables[t] = con.execute(f"SELECT {cols} FROM {t}" + (f" ORDER BY {order}" if order else "")).df()
        return tables
    except duckdb.Error as exc:
        raise database_problem(exc, path) from None
    finally:
        con.close()
