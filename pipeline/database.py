"""The DuckDB file of a run: open it, and say in one line why it or its folder cannot be used.

Reads a path and DuckDB's or the OS's errors; returns a connection or a `StoreError` naming the
cause (damaged, not ketluan's, in use, read-only, a full disk) with what to do. It never reads
or writes a table (`store` does).
"""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path

import duckdb

from .errors import OutputError, UsageError

REBUILD_HINT = "move it away or rerun with --force to rebuild"
DUCKDB_MAGIC = b"DUCK"  # bytes 8-11 of every DuckDB database file


class StoreError(OutputError, RuntimeError):
    """The output folder or database cannot be used: in use, damaged, read-only, full, another schema."""


class MissingDatabase(UsageError, FileNotFoundError):
    """No database where a run's database was expected (a wrong --db: exit code 1)."""


def _message_of(exc: BaseException) -> str:
    """The first line of a DuckDB or OS error, without DuckDB's "IO Error: " prefix."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    for prefix in ("IO Error: ", "FATAL Error: ", "Invalid Input Error: ", "INTERNAL Error: "):
        text = text.removeprefix(prefix)
    return text


def no_space(exc: BaseException) -> bool:
    """True for a full disk, whether the OS or DuckDB (a FatalException) reports it.

    Examples:
        >>> no_space(OSError(errno.ENOSPC, "No space left on device"))
        True
        >>> no_space(duckdb.IOException('Could not write file "out/ketluan.duckdb": No space left on device'))
        True
    """
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno == errno.ENOSPC:
            return True
        if "no space left on device" in str(seen).lower():
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def database_problem(exc: BaseException, db_path: Path) -> StoreError:
    """One line naming why the database at `db_path` cannot be used, for any error opening or writing it.

    Examples:
        >>> str(database_problem(duckdb.IOException(
        ...     'IO Error: The file "out/ketluan.duckdb" exists, but it is not a valid DuckDB database file!'),
        ...     Path("out/ketluan.duckdb")))  # doctest: +ELLIPSIS
        'out/ketluan.duckdb is damaged or is not a DuckDB database (The file ... file!); move it away or rerun with --force to rebuild'
    """
    text = _message_of(exc)
    low = text.lower()
    if no_space(exc):
        return StoreError(f"no space left on device for {db_path}; free some space and run the same command "
                          "again (the documents finished so far are saved)")  # fmt: skip
    if "could not set lock" in low or "conflicting lock" in low:
        return StoreError(f"{db_path} is in use by another process (a running 'ketluan run' or 'ketluan "
                          f"analyze'?); wait for it to finish or choose another output folder ({text})")  # fmt: skip
    if "is a directory" in low or db_path.is_dir():
        return StoreError(f"{db_path} is a folder, not a database; {REBUILD_HINT}")
    if "read-only file system" in low or "permission denied" in low:
        return StoreError(f"the output folder {db_path.parent} is read-only ({text}); choose another --out "
                          "or make it writable")  # fmt: skip
    damaged = ("not a valid duckdb database", "corrupt", "checksum", "could not read enough bytes",
               "serializ", "invalid", "internal error", "database has been invalidated")  # fmt: skip
    if isinstance(exc, duckdb.Error) and any(d in low for d in damaged):
        return StoreError(f"{db_path} is damaged or is not a DuckDB database ({text}); {REBUILD_HINT}")
    return StoreError(f"{db_path} cannot be used ({type(exc).__name__}: {text}); {REBUILD_HINT}")


def folder_problem(exc: OSError, out_dir: Path) -> StoreError:
    """One line naming why the output folder cannot be created or written.

    Examples:
        >>> str(folder_problem(OSError(errno.ENOSPC, "No space left on device"), Path("ket-qua")))
        'no space left on device for the output folder ket-qua; free some space and run the same command again'
    """
    if exc.errno == errno.ENOSPC:
        return StoreError(f"no space left on device for the output folder {out_dir}; free some space "
                          "and run the same command again")  # fmt: skip
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        where = "is on a read-only file system" if exc.errno == errno.EROFS else "is read-only"
        folder = out_dir if out_dir.is_dir() else next((p for p in out_dir.parents if p.is_dir()), out_dir)
        return StoreError(f"cannot write the output folder {out_dir}: {folder} {where}; choose another --out "
                          "or make it writable")  # fmt: skip
    if isinstance(exc, (NotADirectoryError, FileExistsError)) or exc.errno in (errno.ENOTDIR, errno.EEXIST):
        blocker = next((p for p in [out_dir, *out_dir.parents] if p.exists() and not p.is_dir()), out_dir)
        return StoreError(
            f"cannot create the output folder {out_dir}: {blocker} is a file; choose another --out"
        )
    return StoreError(
        f"cannot create the output folder {out_dir} ({exc.strerror or exc}); choose another --out"
    )


def set_aside(path: Path) -> Path:
    """Rename a damaged database (and its WAL) to `ketluan.duckdb.damaged-<time>`; return the new name."""
    target = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    os.replace(path, target)
    wal = path.with_name(path.name + ".wal")
    if wal.exists():
        os.replace(wal, target.with_name(target.name + ".wal"))
    return target


def open_database(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Connect to a ketluan database; any failure becomes a one-line StoreError naming the cause."""
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a database; {REBUILD_HINT}")
    if path.is_file():  # DuckDB's own error for a file of another kind varies ("in-memory database ...")
        with open(path, "rb") as fh:
            head = fh.read(12)
        if len(head) < 12 or head[8:12] != DUCKDB_MAGIC:
            detail = "an empty file" if not head else "no DuckDB header"
            raise StoreError(f"{path} is damaged or is not a DuckDB database ({detail}); {REBUILD_HINT}")
    try:
        con = duckdb.connect(str(path), read_only=read_only)
        con.execute("SELECT 1").fetchall()
    except (duckdb.Error, OSError) as exc:
        raise database_problem(exc, path) from None
    return con


def table_names(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The tables of the open database's main schema."""
    rows = con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'")
    return {str(r[0]) for r in rows.fetchall()}


def interrupted(exc: BaseException) -> bool:
    """True when DuckDB turned a Ctrl-C (SIGINT) into an exception of its own.

    DuckDB catches SIGINT while a query runs and raises `InterruptException`, or a
    RuntimeError "Query interrupted" (duckdb 2.x), instead of letting KeyboardInterrupt through.

    Examples:
        >>> interrupted(RuntimeError("Query interrupted"))
        True
        >>> interrupted(duckdb.ConstraintException("Duplicate key"))
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
