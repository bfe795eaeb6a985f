"""Batch engine: input paths -> `Document`s committed one by one to the store, resumably.

`run_batch` lists the inputs, skips what the store already holds, reuses results of identical
content, hands the rest to the local engine (`local.py`: worker processes; `alone.py`: one document
in a child forked while the store opens) or the Ray engine
(`ray.py`: tasks on a cluster), commits each finished document and exports the tables. A Ctrl-C
stops the run at the next document with everything finished saved. It never prints.
"""

from __future__ import annotations

import dataclasses
import functools
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import FrameType
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

from .. import remote
from ..chain import process_source
from ..config import Settings, cpu_count
from ..discover import Skipped
from ..errors import OutputError, UsageError, code_of
from ..records import Document, Source
from . import alone, local
from .alone import ForkedDocument
from .local import Workers, process_many, uses_pool
from .ray import LOCAL_ADDRESSES, RayReport, connect
from .ray import process_many as process_on_cluster

if TYPE_CHECKING:
    from ..store import Store

# Errors that say something about the run (its limits, a crash, our bug), not about the file's
# content: a stored result with one of these is not reused for the same content under another name.
TRANSIENT_CODES = ("timeout", "memory", "crashed", "internal")
# Error rows a resumed run processes again: ours, not the file's (a timeout or a crash would
# only repeat; `--force` redoes those).
RETRY_ON_RESUME = ("internal",)
GUARD_MESSAGE = (
    "ketluan.run was started again inside one of its own worker processes: the script that calls it "
    "runs again in every worker when processes are spawned; put the call under "
    "'if __name__ == \"__main__\":'"
)


@dataclass
class RunSummary:
    """Counts of a run, and where its tables are."""

    out: str
    total: int = 0
    ok: int = 0
    partial: int = 0
    error: int = 0
    skipped: int = 0
    reused: int = 0  # duplicates (same content and extension) filled in without parsing again
    pages: int = 0
    seconds: float = 0.0
    files: dict[str, str] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)  # output files not written: name -> reason
    ignored: int = 0  # hidden files, Office lock files and other types passed over by discovery
    ignored_line: str = ""  # "3 files skipped (2 hidden, 1 Office lock file)"
    workers: int = 0  # worker processes used (the cores and the files to process cap --workers)
    engine: str = "local"
    # Ray engine: node ("IP node-id") -> documents, pages, ocr_pages, busy_seconds, documents_per_second
    nodes: dict[str, dict[str, float]] = field(default_factory=dict)
    ray: RayReport | None = None  # Ray engine: the whole report (retried, crashed, timeouts, cpus)

    def line(self) -> str:
        """The one-line summary the CLI prints: "12 ok · 1 partial · 2 error → out/documents.csv".

        Examples:
            >>> RunSummary(out="out", ok=118, partial=3, error=2).line()
            '118 ok · 3 partial · 2 error → out/documents.csv'
        """
        done = f"{self.ok} ok · {self.partial} partial · {self.error} error"
        if self.skipped:
            done += f" · {self.skipped} unchanged (skipped)"
        if self.ignored:
            done += f" · {self.ignored} skipped (hidden, lock or other files)"
        return f"{done} → {Path(self.out) / 'documents.csv'}"

    def outputs_line(self) -> str:
        """Every output of the run and the next command, for the CLI's last line.

        Examples:
            >>> RunSummary(out="out").outputs_line()
            'tables: out/documents, sections, items (.csv .parquet .jsonl), out/ketluan.xlsx, out/ketluan.duckdb; next: ketluan analyze --db out/ketluan.duckdb'
        """
        out = Path(self.out)
        return (f"tables: {out / 'documents'}, sections, items (.csv .parquet .jsonl), {out / 'ketluan.xlsx'}, "
                f"{out / 'ketluan.duckdb'}; next: ketluan analyze --db {out / 'ketluan.duckdb'}")  # fmt: skip

    def as_dict(self) -> dict[str, object]:
        """The summary as plain JSON-ready values (`ketluan run --json`).

        Examples:
            >>> RunSummary(out="out", ok=2, error=1, total=3).as_dict()["next"]
            'ketluan analyze --db out/ketluan.duckdb'
        """
        data = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "ray"}
        data["summary"] = self.line()
        data["next"] = f"ketluan analyze --db {Path(self.out) / 'ketluan.duckdb'}"
        return data


def content_key(sha256: str, path: str) -> tuple[str, str]:
    """Identical content under the same extension gives an identical result (the extension
    decides, e.g., whether HTML counts as a .doc).

    Examples:
        >>> content_key("907a2ed1", "luu-tru.zip!2020/TB-Ket-Luan.PDF")
        ('907a2ed1', '.pdf')
    """
    return sha256, PurePosixPath(path.replace("\\", "/").rsplit("!", 1)[-1].lower()).suffix


def _copy_for(doc: Document, src: Source) -> Document:
    """The result of identical content, filed under another source path."""
    return dataclasses.replace(doc, source_path=src.path)


def _commit(store: Store, doc: Document) -> Document:
    """Commit one document; if storing it fails, commit an error row in its place.

    A database that cannot take any row (a full disk, a damaged file) stops the run instead.
    """
    try:
        store.commit(doc)
        return doc
    except OutputError:
        raise
    except Exception as e:  # a value the database refuses: the row must still exist
        row = Document(doc_id=doc.doc_id, source_path=doc.source_path, sha256=doc.sha256,
                       input_kind=doc.input_kind, pages=doc.pages)  # fmt: skip
        row.fail("internal", f"the result could not be stored ({type(e).__name__}: {e})")
        store.commit(row)
        return row


def _inside(path: str, folder: Path) -> bool:
    """True for a file of the output folder itself (`ketluan run . --out out` must not read it)."""
    if remote.is_url(path):
        if not path.lower().startswith("file://"):
            return False  # an object store is never the output folder
        path = unquote(urlparse(path).path)
    disk = Path(path.split("!", 1)[0])
    try:
        return disk.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):
        return False


def _stored_result(store: Store, src: Source, settings: Settings) -> Document | None:
    """The stored result of the same content under another name, unless it must be redone."""
    if settings.force:
        return None
    path = store.has_content(src.sha256)
    if not path or content_key(src.sha256, path) != content_key(src.sha256, src.path):
        return None
    doc = store.fetch(path)
    if doc is None or (doc.status == "error" and code_of(doc.error) in TRANSIENT_CODES):
        return None
    return doc


@contextmanager
def cluster(settings: Settings) -> Iterator[RayReport | None]:
    """The Ray engine's connection for one run, or None for the local engine.

    Connecting comes before the store is opened and the inputs are listed, so a missing Ray or
    an unreachable cluster stops the run before anything is written or downloaded. A cluster
    this run started (address "") is shut down at the end; one it joined is left running.
    """
    if settings.engine != "ray":
        yield None
        return
    local = settings.address in LOCAL_ADDRESSES
    ray, owned = connect(settings.address or None, settings.workers if local else None)
    try:
        yield RayReport()
    finally:
        if owned:
            ray.shutdown()


@contextmanager
def workers_without_main() -> Iterator[None]:
    """Spawned workers never run the caller's script again: a plain script needs no guard.

    With the `spawn` (and `forkserver`) start method, multiprocessing runs the main script again
    in every worker, as `__mp_main__`, so a script calling `ketluan.run(...)` at its top level,
    without `if __name__ == "__main__":`, would start a run in each worker. The workers run
    ketluan's own functions only, so the main module is left out of what spawn sends them
    while the pool lives. (On Linux the local engine forks, which never re-runs the script.)
    """
    main = sys.modules.get("__main__")
    if main is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    saved: dict[str, Any] = {k: main.__dict__[k] for k in ("__file__", "__spec__") if k in main.__dict__}
    main.__dict__.pop("__file__", None)
    main.__spec__ = None
    try:
        yield
    finally:
        main.__dict__.pop("__spec__", None)
        main.__dict__.update(saved)


@contextmanager
def ctrl_c_flag() -> Iterator[threading.Event]:
    """A flag set by Ctrl-C, which still raises KeyboardInterrupt as usual.

    DuckDB checks for signals while a query runs and may turn a Ctrl-C into an error of its own
    or drop it when the query ends first; the flag lets the run stop at the next document anyway.
    Outside the main thread (no signal handler can be set) the flag is never set.
    """
    flag = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield flag
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        flag.set()
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield flag
    finally:
        signal.signal(signal.SIGINT, previous)


def _plan(
    sources: list[Source], store: Store, settings: Settings, record: Callable[[Document], None],
    summary: RunSummary,
) -> tuple[list[Source], dict[tuple[str, str], list[Source]]]:  # fmt: skip
    """The sources to process, and the duplicates waiting for each one's result.

    Stored content under another name is committed at once (through `record`).
    """
    unique: list[Source] = []
    copies: dict[tuple[str, str], list[Source]] = {}
    for src in sources:
        key = content_key(src.sha256, src.path)
        if not src.sha256 or src.error:
            unique.append(src)
        elif key in copies:
            copies[key].append(src)
        else:
            stored = _stored_result(store, src, settings)
            if stored is not None:
                summary.reused += 1
                record(_commit(store, _copy_for(stored, src)))
                continue
            copies[key] = []
            unique.append(src)
    # Largest files first: a long scan started last would leave the other workers idle at
    # the end of the run (size is the cost estimate at hand; the tables are sorted anyway).
    # Strict mode keeps the given order: it stops at the first bad file the user listed.
    if not settings.strict:
        unique.sort(key=lambda src: -src.size)
    return unique, copies


def run_batch(
    paths: list[str],
    out: str | os.PathLike[str],
    settings: Settings,
    on_document: Callable[[Document], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> RunSummary:
    """Process every input into the store in `out` and export its tables (`api.run` documents it).

    Examples:
        >>> run_batch(["luu-tru/2024/"], "out/", Settings()).line()  # doctest: +SKIP
        '118 ok · 3 partial · 2 error → out/documents.csv'
    """
    if getattr(multiprocessing.current_process(), "_inheriting", False):  # a spawned worker re-ran the script
        raise UsageError(GUARD_MESSAGE)
    started_at = time.monotonic()
    summary = RunSummary(out=str(out), engine=settings.engine)
    if settings.engine == "local":  # more workers than cores only slows every document down
        settings = dataclasses.replace(settings, workers=min(settings.workers, cpu_count()))
    out_dir = Path(out)
    with ctrl_c_flag() as interrupted:
        started: Workers | ForkedDocument | None = None
        try:
            with cluster(settings) as report:
                skipped = Skipped()
                sources = [
                    s
                    for s in remote.discover_inputs(paths, settings, skipped)
                    if not _inside(s.path, out_dir)
                ]
                if report is None and local.START_METHOD == "fork" and uses_pool(sources, settings):
                    # The workers start now, before the store is opened and DuckDB, pyarrow and the
                    # export modules are imported (the workers need none of them): they load their
                    # models while this process does all that. (Spawned workers start inside
                    # `workers_without_main`, from `process_many`.)
                    started = Workers(sources, settings)
                elif report is None and alone.forks(sources, settings):
                    # One document: a child reads it while this process does the same (both
                    # forked before the store's modules are imported: the child needs none).
                    started = ForkedDocument(sources[0], settings)
                from ..store import Store, warm_export

                with Store(out, rebuild=settings.force) as store:
                    _run(store, sources, skipped, settings, summary, report, started, interrupted,
                         on_document, on_total, warm_export)  # fmt: skip
        except Exception as e:
            # a Ctrl-C that DuckDB turned into an error of its own (a query of the final export,
            # the checkpoint on close): the run was interrupted, whatever the error says
            from ..store import interrupted as interrupted_query

            if interrupted.is_set() or interrupted_query(e):
                raise KeyboardInterrupt from e
            raise
        finally:
            if (
                started is not None
            ):  # its workers exit (or are stopped) now, if process_many has not seen to it
                started.close(finished=False)
    summary.seconds = round(time.monotonic() - started_at, 3)
    return summary


def _run(
    store: Store, sources: list[Source], skipped: Skipped, settings: Settings, summary: RunSummary,
    report: RayReport | None, started: Workers | ForkedDocument | None, interrupted: threading.Event,
    on_document: Callable[[Document], None] | None, on_total: Callable[[int], None] | None,
    idle: Callable[[bool], None],
) -> None:  # fmt: skip
    """The body of `run_batch` once the inputs are listed and the store is open."""

    def record(doc: Document) -> None:
        setattr(summary, doc.status, getattr(summary, doc.status) + 1)
        summary.pages += doc.pages
        if on_document is not None:
            on_document(doc)
        if interrupted.is_set():  # a Ctrl-C that DuckDB swallowed inside a query
            raise KeyboardInterrupt

    known = {} if settings.force else store.known(retry=RETRY_ON_RESUME)
    summary.ignored, summary.ignored_line = skipped.total, skipped.line()
    summary.total = len(sources)
    todo = [src for src in sources if not (src.sha256 and known.get(src.path) == src.sha256)]
    summary.skipped = len(sources) - len(todo)
    if on_total is not None:
        on_total(len(todo))
    unique, copies = _plan(todo, store, settings, record, summary)
    key_of = {src.path: content_key(src.sha256, src.path) for src in unique}
    summary.workers = max(1, min(settings.workers, len(unique))) if unique else 0
    if report is not None:
        finished = process_on_cluster(unique, settings, address=settings.address or None, report=report)
    elif isinstance(started, ForkedDocument):
        finished = started.documents(unique, settings, idle=functools.partial(idle, False))
    else:
        finished = process_many(
            unique, settings, idle=functools.partial(idle, len(sources) > 1), started=started
        )
    stop = getattr(finished, "close", lambda: None)  # a generator: close() stops its workers
    try:
        with workers_without_main():
            for doc in finished:
                record(_commit(store, doc))
                key = key_of.get(doc.source_path, content_key(doc.sha256, doc.source_path))
                for dup in copies.pop(key, []):
                    if key[0] != doc.sha256:  # changed after it was hashed: copies read on their own
                        record(_commit(store, process_source(dup, settings)))
                        continue
                    summary.reused += 1
                    record(_commit(store, _copy_for(doc, dup)))
    except KeyboardInterrupt:
        stop()  # stop the workers now, without waiting for queued documents
        store.export()  # the tables show every document committed so far
        raise
    finally:
        stop()
    if report is not None:
        summary.ray, summary.nodes = report, report.throughput()
    summary.files = {k: str(v) for k, v in store.export().items()}
    summary.failed = dict(store.failed)
    if interrupted.is_set():  # pressed after the last document: all is saved, still say so
        raise KeyboardInterrupt
