"""Library API: process one file, run a batch into tables, analyze, load.

`process` chains the stages for one file and never raises for a bad file (STYLE.md §3);
`run` discovers inputs (paths or URLs), processes them in worker processes with a time and memory
limit or as tasks on a Ray cluster, commits each document to the store and exports the tables.
Nothing here prints.
"""

from __future__ import annotations

import dataclasses
import hashlib
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, CancelledError, Future, wait
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from . import errors, remote
from .config import Settings
from .discover import discover
from .errors import DocumentError
from .extract import extract_pages
from .items import sections_to_items
from .layout import pages_to_layout
from .metadata import layout_to_fields
from .normalize import normalize_pages
from .records import Document, Source
from .sections import body_to_sections

if TYPE_CHECKING:
    from .ray_engine import RayReport
    from .store import Store

PathLike = str | os.PathLike[str]
MB = 1024 * 1024
TASKS_PER_WORKER = 2  # documents queued per worker: enough to keep it busy, few bytes held in the queue
WATCHDOG_INTERVAL = 0.2  # seconds between two RSS samples of the workers
# Errors that say something about the run (its limits, a crash, our bug), not about the file's
# content: a stored result with one of these is not reused for the same content under another name.
TRANSIENT_CODES = ("timeout", "memory", "crashed", "internal")
# Error rows a resumed run processes again: ours, not the file's (a timeout or a crash would
# only repeat; `--force` redoes those).
RETRY_ON_RESUME = ("internal",)
MAX_POOL_RESTARTS = 2  # a pool whose workers cannot start is tried this many more times
_PR_SET_PDEATHSIG = 1  # prctl option (linux/prctl.h)


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
    engine: str = "local"
    # Ray engine: node ("IP node-id") -> documents, pages, ocr_pages, busy_seconds, documents_per_second
    nodes: dict[str, dict[str, float]] = field(default_factory=dict)
    ray: RayReport | None = None  # Ray engine: the whole report (retried, crashed, timeouts, cpus)

    def line(self) -> str:
        """The one-line summary the CLI prints: "12 ok · 1 partial · 2 error → out/documents.csv"."""
        done = f"{self.ok} ok · {self.partial} partial · {self.error} error"
        if self.skipped:
            done += f" · {self.skipped} unchanged (skipped)"
        return f"{done} → {Path(self.out) / 'documents.csv'}"


def doc_id_for(sha256: str, path: str) -> str:
    """A document's id: the first 16 hex digits of its content hash (of its path if unreadable)."""
    if sha256:
        return sha256[:16]
    return "x" + hashlib.sha256(path.encode("utf-8")).hexdigest()[:15]


def empty_document(source: Source) -> Document:
    """The row a source gets before anything is read: id, path, kind, hash."""
    return Document(
        doc_id=doc_id_for(source.sha256, source.path), source_path=source.path,
        sha256=source.sha256, input_kind=source.input_kind,
    )  # fmt: skip


def _classifier(settings: Settings) -> Any:
    """The trained textcat's classify function, or None when it is switched off or not installed."""
    if not settings.textcat:
        return None
    try:
        from . import nlp

        return nlp.classify if nlp.model_available() else None
    except ImportError:
        return None


def _actor_finder() -> Any:
    try:
        from . import nlp

        return nlp.find_actors
    except ImportError:
        return None


def _known_error(exc: BaseException) -> DocumentError | None:
    """A library exception that means a bad file, as the DocumentError it stands for."""
    if type(exc).__name__ == "DecompressionBombError":  # PIL: more pixels than it decodes safely
        return DocumentError("too_large", f"the image is too large to decode safely ({exc}); scale it down")
    return None


def process_source(source: Source, settings: Settings | None = None) -> Document:
    """Run every stage on one discovered source; a bad file gives an error row, not an exception.

    Args:
        source: a file or zip member found by `discover`.
        settings: Settings, or None for defaults; with `strict` the DocumentError is raised
            (its `path` set to the source's) instead of being written into the row.

    Returns:
        The Document, status ok, partial or error.

    Examples:
        >>> src = Source(path="giay-moi.txt", data=b"")
        >>> process_source(src).error
        'empty_file: the file is empty (0 bytes); re-export it from its source'
    """
    settings = Settings.resolve(settings)
    source = remote.fetch(source, settings)  # a URL source's bytes are read here, where it is processed
    doc = empty_document(source)
    try:
        if source.error:
            code, _, detail = source.error.partition(": ")
            raise DocumentError(code if code in errors.MESSAGES else "corrupt_file", detail or source.error)
        pages, kind = extract_pages(source, settings)
        doc.input_kind = kind or doc.input_kind
        doc.pages = len(pages)
        ocr = [p for p in pages if p.source == "ocr"]
        doc.ocr_pages = len(ocr)
        confs = [p.ocr_confidence for p in ocr if p.ocr_confidence >= 0]
        doc.ocr_confidence = round(sum(confs) / len(confs), 1) if confs else ""
        lost = [p for p in pages if p.error]
        pages = normalize_pages(pages)
        if not any(p.lines for p in pages):
            if lost:
                raise DocumentError(lost[0].error.split(":", 1)[0], lost[0].error.split(": ", 1)[-1])
            raise DocumentError("no_text")
        for p in lost:
            doc.warn(f"page {p.number}: {p.error}")
        layout = pages_to_layout(pages)
        doc.fields = layout_to_fields(layout)
        doc.sections, blocks = body_to_sections(layout.body)
        doc.items = sections_to_items(doc.sections, blocks, doc.fields, settings,
                                      classifier=_classifier(settings), actor_finder=_actor_finder())  # fmt: skip
        doc.qualify_ids()
        doc.text = "\n".join(ln.text for ln in layout.lines)
    except DocumentError as e:
        doc.fail(e.code, e.detail)
        if settings.strict:
            e.path = source.path
            raise
    except MemoryError as e:
        doc.fail("memory", errors.MESSAGES["memory"])
        if settings.strict:
            raise _strict_error("memory", "", source) from e
    except (Exception, SystemExit) as e:  # our bug, or a library's (even exit()): still one row
        known = _known_error(e) if isinstance(e, Exception) else None
        if known is not None:
            doc.fail(known.code, known.detail)
        else:
            doc.fail("internal", f"{type(e).__name__}: {e}")
        if settings.strict:
            if known is not None:
                known.path = source.path
                raise known from e
            raise
    return doc


def _strict_error(code: str, detail: str, source: Source) -> DocumentError:
    """A DocumentError carrying the source's path, for strict mode."""
    err = DocumentError(code, detail)
    err.path = source.path
    return err


def process(path: PathLike, settings: Settings | dict[str, Any] | None = None) -> Document:
    """Process one file into a Document (fields, sections, items); never raises for a bad file.

    Args:
        path: a .pdf, .docx, .doc, .txt or image file, or its URL ("s3://luu-tru/tb-ket-luan.pdf").
        settings: Settings, a dict of overrides, or None for defaults; `{"strict": True}`
            raises the DocumentError instead.

    Returns:
        The Document; `status` and `error` say what went wrong, if anything.

    Examples:
        >>> doc = process("data/samples/ket-luan-thanh-tra-tay-ninh-thang-5-2020.txt")  # doctest: +SKIP
        >>> doc.fields.doc_number, doc.fields.period_label  # doctest: +SKIP
        ('/TB-TTr', 'tháng 5/2020')
        >>> process("khong-co/ket-luan.pdf").error  # doctest: +SKIP
        'not_found: no such file or folder: khong-co/ket-luan.pdf'
    """
    s = Settings.resolve(settings)
    sources = list(discover_inputs([os.fspath(path)], s))
    if not sources:
        src = Source(path=str(path), error=errors.message("not_found"))
        return process_source(src, s)
    return process_source(sources[0], s)


# -- worker processes ------------------------------------------------------------------------


def _init_worker(textcat: bool = True) -> None:
    """Worker initializer: one OCR thread, die with the parent, load the models.

    No RLIMIT_AS here: an address-space limit counts reserved virtual memory, not memory in
    use, and made shared libraries fail to load ("failed to map segment") at 1 GB while the
    process used 200 MB; the parent's `MemoryWatchdog` limits resident memory instead.
    Loading the models here (about 2 s) keeps that time out of the first document's time limit.
    """
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    _die_with_parent()
    try:
        from . import nlp

        nlp.find_actors("Sở Tài chính chủ trì, phối hợp với UBND các huyện")  # loads underthesea
        if textcat and nlp.model_available():
            nlp.classify(["Tiến độ giải ngân vốn đầu tư công còn chậm"])  # loads the textcat model
        from .extract import docx, pdf  # noqa: F401  (pdfplumber, pypdfium2, python-docx)
    except Exception:  # a missing model is the document's problem, reported there
        return


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this worker when the run that started it dies (`kill -9` of the run)."""
    parent = os.getppid()
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: workers exit when their pipe closes
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


class MemoryWatchdog:
    """Samples the resident memory of the pool's workers (and their children: soffice,
    tesseract) and kills a worker that goes over the limit; pebble then reports the task
    as expired and starts a new worker.

    It also kills what a stopped worker left running (a soffice conversion whose worker
    timed out).

    Args:
        max_mb: the limit per worker in MB (its own RSS plus its children's); 0 disables it.
        interval: seconds between samples.
    """

    def __init__(self, max_mb: int, interval: float = WATCHDOG_INTERVAL) -> None:
        import psutil

        self._psutil = psutil
        self.limit = max_mb * MB
        self.interval = interval
        self.killed: dict[int, int] = {}  # worker pid -> RSS in bytes when it was killed
        self.peak = 0  # highest RSS of one worker seen, bytes
        self._me = psutil.Process()
        self._before = {p.pid for p in self._me.children()}
        self._workers: dict[int, bool] = {}  # pid -> is a pool worker
        self._families: dict[int, list[Any]] = {}  # worker pid -> its descendants last seen
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="ketluan-memory-watchdog", daemon=True)

    def __enter__(self) -> MemoryWatchdog:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        try:  # the pool has been joined: what its workers left running (a timed-out worker's
            self.check()  # soffice or tesseract, started after the last sample) is killed now
        except Exception:  # never let sampling take the run down
            return

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.check()
            except Exception:  # never let sampling take the run down
                continue

    def _is_worker(self, proc: Any) -> bool:
        """A process spawned by multiprocessing after the watchdog started (not the resource tracker)."""
        if proc.pid in self._before:
            return False
        if proc.pid not in self._workers:
            try:
                self._workers[proc.pid] = "--multiprocessing-fork" in proc.cmdline()
            except self._psutil.Error:
                return False
        return self._workers[proc.pid]

    def check(self) -> None:
        """One sample: kill workers over the limit and the orphans of vanished workers."""
        ps = self._psutil
        alive = set()
        for worker in self._me.children():
            if not self._is_worker(worker):
                continue
            alive.add(worker.pid)
            try:
                family = worker.children(recursive=True)
            except ps.Error:
                continue
            self._families[worker.pid] = family
            rss = 0
            for proc in (worker, *family):
                try:
                    rss += proc.memory_info().rss
                except ps.Error:
                    continue
            self.peak = max(self.peak, rss)
            if self.limit and rss > self.limit:
                self.killed[worker.pid] = rss
                for proc in (*family, worker):
                    try:
                        proc.kill()
                    except ps.Error:
                        continue
        for pid in set(self._families) - alive:
            for proc in self._families.pop(pid):
                try:
                    if proc.is_running():
                        proc.kill()
                except ps.Error:
                    continue


def _expired_document(
    src: Source, exc: BaseException, settings: Settings, watchdog: MemoryWatchdog | None
) -> Document:
    """The error row of a document whose worker died, timed out or failed to return it."""
    from pebble.common import ProcessExpired

    doc = empty_document(src)
    if isinstance(exc, FutureTimeout):
        doc.fail("timeout", f"stopped after {settings.timeout:g} s; {errors.MESSAGES['timeout']}")
    elif isinstance(exc, ProcessExpired):
        code = exc.exitcode
        if watchdog is not None and exc.pid in watchdog.killed:
            used = watchdog.killed[exc.pid] / MB
            doc.fail("memory", f"the worker used {used:.0f} MB, over the limit of {settings.max_memory_mb} MB, "
                               "and was stopped; raise --max-memory or split the file")  # fmt: skip
        elif code == -signal.SIGKILL:
            doc.fail("memory", "the worker was killed by the system (SIGKILL), most likely because the "
                               "machine ran out of memory; use fewer --workers or split the file")  # fmt: skip
        elif code is not None and code < 0:
            name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
            doc.fail("crashed", f"the worker process died with signal {name}; {errors.MESSAGES['crashed']}")
        else:
            doc.fail("crashed", f"the worker process exited with code {code}; {errors.MESSAGES['crashed']}")
    elif isinstance(exc, CancelledError):
        doc.fail("internal", "the document was cancelled before it was processed; run the same command again")
    else:  # pickling errors, a broken pool: still one row
        doc.fail("internal", f"{type(exc).__name__}: {exc}")
    return doc


def _process_many(
    sources: list[Source],
    settings: Settings,
    func: Callable[[Source, Settings], Document] = process_source,
) -> Iterator[Document]:
    """Process sources in worker processes, each with a time and memory limit; yield as they finish.

    A few documents per worker are queued at a time (a zip member's bytes are held only while
    it waits); a worker that times out, dies or goes over `max_memory_mb` is replaced by pebble
    and its document becomes an error row. A pool that breaks (workers that cannot start) is
    restarted a few times, then the documents left get an error row each. Strict mode runs in
    this process, so the DocumentError reaches the caller.
    """
    if settings.strict or not sources:
        for src in sources:
            yield func(src, settings)
        return
    from concurrent.futures.process import BrokenProcessPool

    from pebble import ProcessPool

    workers = max(1, min(settings.workers, len(sources)))
    # spawn, not fork: the parent holds a DuckDB connection and native libraries that are not fork-safe
    context = multiprocessing.get_context("spawn")
    watchdog: MemoryWatchdog | None
    try:
        watchdog = MemoryWatchdog(settings.max_memory_mb)
    except ImportError:  # psutil missing: time limit only
        watchdog = None
    if watchdog is not None:
        watchdog.__enter__()
    pool = ProcessPool(
        max_workers=workers, initializer=_init_worker, initargs=(settings.textcat,), context=context
    )
    pending: dict[Future[Document], Source] = {}
    queue = deque(sources)
    restarts = 0
    broken = ""
    finished = False
    try:
        while queue or pending:
            while queue and len(pending) < workers * TASKS_PER_WORKER and not broken:
                src = queue.popleft()
                try:
                    pending[pool.schedule(func, args=(src, settings), timeout=settings.timeout)] = src
                except RuntimeError as e:  # the pool is broken: its workers died or could not start
                    queue.appendleft(src)
                    broken = str(e)
            if pending:
                done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
            else:
                done = set()
            for fut in done:
                src = pending.pop(fut)
                try:
                    doc = fut.result()
                    restarts = 0  # the pool works: only consecutive failures count
                except BrokenProcessPool as e:  # not this document's fault: try it again
                    queue.appendleft(src)
                    broken = broken or str(e) or "the worker processes stopped"
                    continue
                except (Exception, SystemExit) as e:  # SystemExit: a library called exit() in the worker
                    doc = _expired_document(src, e, settings, watchdog)
                src.data = None  # the bytes of a finished zip member are no longer needed
                yield doc
            if broken and not pending:
                pool.stop()
                pool.join()
                if restarts >= MAX_POOL_RESTARTS:
                    for src in queue:
                        doc = empty_document(src)
                        doc.fail("internal", f"the worker processes could not be started ({broken}); "
                                             "check that 'python -c \"import ketluan\"' works")  # fmt: skip
                        yield doc
                    queue.clear()
                    break
                restarts += 1
                broken = ""
                pool = ProcessPool(
                    max_workers=workers,
                    initializer=_init_worker,
                    initargs=(settings.textcat,),
                    context=context,
                )
        finished = True
    finally:
        if finished:
            pool.close()
        else:  # interrupted (Ctrl-C, the consumer stopped): do not wait for queued documents
            pool.stop()
        pool.join()
        if watchdog is not None:
            watchdog.__exit__()


# -- a batch run ---------------------------------------------------------------------------------


def _content_key(sha256: str, path: str) -> tuple[str, str]:
    """Identical content under the same extension gives an identical result (the extension
    decides, e.g., whether HTML counts as a .doc)."""
    return sha256, PurePosixPath(path.replace("\\", "/").rsplit("!", 1)[-1].lower()).suffix


def _copy_for(doc: Document, src: Source) -> Document:
    """The result of identical content, filed under another source path."""
    return dataclasses.replace(doc, source_path=src.path)


def _commit(store: Store, doc: Document) -> Document:
    """Commit one document; if storing it fails, commit an error row in its place."""
    try:
        store.commit(doc)
        return doc
    except Exception as e:  # a value the database refuses: the row must still exist
        row = Document(doc_id=doc.doc_id, source_path=doc.source_path, sha256=doc.sha256,
                       input_kind=doc.input_kind, pages=doc.pages)  # fmt: skip
        row.fail("internal", f"the result could not be stored ({type(e).__name__}: {e})")
        store.commit(row)
        return row


def run(
    inputs: Iterable[PathLike] | PathLike,
    out: PathLike,
    settings: Settings | dict[str, Any] | None = None,
    on_document: Callable[[Document], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> RunSummary:
    """Process every file under `inputs` into the tables of DESIGN.md in `out`.

    Every file gets exactly one `documents` row (status ok, partial or error). With
    `settings.engine == "ray"` the documents are tasks on the Ray cluster at `settings.address`
    (connected before anything is written); the store and resume logic are the same. Each finished
    document is committed on its own, so a run that is killed loses only the documents in
    flight, and the same command again finishes the rest: a file already stored with the same
    sha256 at the same path is skipped (unless `settings.force`), a changed file is processed
    again. Content seen before under another name with the same extension is not parsed again.
    The tables are exported at the end, each file written atomically.

    Args:
        inputs: files, folders (recursive) and .zip archives (one path or several), and URLs
            fsspec opens ("s3://luu-tru/2024/", "file:///mnt/luu-tru/"), listed recursively.
        out: the output folder (created).
        settings: Settings, a dict of overrides, or None.
        on_document: called with each finished Document (the CLI draws its progress bar).
        on_total: called once with the number of files to process.

    Returns:
        A RunSummary with counts and the written files.

    Raises:
        store.StoreError: the output database is in use by another run.
        errors.DocumentError: in strict mode, the first bad file (its `path` says which).
        ray_engine.RayEngineError: the Ray engine without Ray installed, or an unreachable cluster.

    Examples:
        >>> summary = run(["luu-tru/2024/", "ket-luan-quy-1.zip"], out="out/")  # doctest: +SKIP
        >>> summary.line()  # doctest: +SKIP
        '118 ok · 3 partial · 2 error → out/documents.csv'
    """
    from .store import Store

    s = Settings.resolve(settings)
    paths = [os.fspath(p) for p in ([inputs] if isinstance(inputs, (str, os.PathLike)) else inputs)]
    started = time.monotonic()
    summary = RunSummary(out=str(out))

    def record(doc: Document) -> None:
        setattr(summary, doc.status, getattr(summary, doc.status) + 1)
        summary.pages += doc.pages
        if on_document is not None:
            on_document(doc)

    summary.engine = s.engine
    with _cluster(s) as report, Store(out) as store:
        known = {} if s.force else store.known(retry=RETRY_ON_RESUME)
        sources = [src for src in discover_inputs(paths, s) if not _inside(src.path, store.out_dir)]
        summary.total = len(sources)
        todo = [src for src in sources if not (src.sha256 and known.get(src.path) == src.sha256)]
        summary.skipped = len(sources) - len(todo)
        if on_total is not None:
            on_total(len(todo))
        unique: list[Source] = []
        copies: dict[tuple[str, str], list[Source]] = {}
        for src in todo:
            key = _content_key(src.sha256, src.path)
            if not src.sha256 or src.error:
                unique.append(src)
            elif key in copies:
                copies[key].append(src)
            else:
                stored = _stored_result(store, src, s)
                if stored is not None:
                    summary.reused += 1
                    record(_commit(store, _copy_for(stored, src)))
                    continue
                copies[key] = []
                unique.append(src)
        # Largest files first: a long scan started last would leave the other workers idle at
        # the end of the run (size is the cost estimate at hand; the tables are sorted anyway).
        # Strict mode keeps the given order: it stops at the first bad file the user listed.
        if not s.strict:
            unique.sort(key=lambda src: -src.size)
        if report is not None:
            from . import ray_engine

            finished = ray_engine.process_many(unique, s, address=s.address or None, report=report)
        else:
            finished = _process_many(unique, s)
        stop = getattr(finished, "close", lambda: None)  # a generator: close() stops its workers
        try:
            for doc in finished:
                record(_commit(store, doc))
                for dup in copies.pop(_content_key(doc.sha256, doc.source_path), []):
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
    summary.seconds = round(time.monotonic() - started, 3)
    return summary


def discover_inputs(paths: Iterable[str], settings: Settings) -> Iterator[Source]:
    """Sources of every input in order: URLs listed with fsspec (`remote`), paths walked (`discover`).

    Examples:
        >>> srcs = discover_inputs(["s3://luu-tru/2024/", "ket-luan-quy-1.zip"], Settings())  # doctest: +SKIP
        >>> [s.path for s in srcs][:2]  # doctest: +SKIP
        ['s3://luu-tru/2024/tb-ket-luan-thang-1.pdf', 's3://luu-tru/2024/tb-ket-luan-thang-2.pdf']
    """
    for path in paths:
        if remote.is_url(path):
            yield from remote.discover_url(path, settings)
        else:
            yield from discover([path], settings)


@contextmanager
def _cluster(settings: Settings) -> Iterator[RayReport | None]:
    """The Ray engine's connection for one run, or None for the local engine.

    Connecting comes before the store is opened and the inputs are listed, so a missing Ray or
    an unreachable cluster stops the run before anything is written or downloaded. A cluster
    this run started (address "") is shut down at the end; one it joined is left running.
    """
    if settings.engine != "ray":
        yield None
        return
    from . import ray_engine

    local = settings.address in ray_engine.LOCAL_ADDRESSES
    ray, owned = ray_engine.connect(settings.address or None, settings.workers if local else None)
    try:
        yield ray_engine.RayReport()
    finally:
        if owned:
            ray.shutdown()


def _inside(path: str, folder: Path) -> bool:
    """True for a file of the output folder itself (`ketluan run . --out out` must not read it)."""
    if remote.is_url(path):
        if not path.lower().startswith("file://"):
            return False  # an object store is never the output folder
        from urllib.parse import unquote, urlparse

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
    if not path or _content_key(src.sha256, path) != _content_key(src.sha256, src.path):
        return None
    doc = store.fetch(path)
    if doc is None or (doc.status == "error" and doc.error.split(":", 1)[0] in TRANSIENT_CODES):
        return None
    return doc


def analyze(db_or_out: PathLike, out: PathLike | None = None, **options: Any) -> dict[str, Any]:
    """Recurrence, clusters, follow-ups and report.html from a run's database (see analyze.py)."""
    from .analyze import analyze as _analyze

    db = Path(db_or_out)
    if db.is_dir():
        db = db / "ketluan.duckdb"
    return _analyze(db, Path(out) if out is not None else db.parent, **options)


def load(out: PathLike) -> dict[str, Any]:
    """The tables of a run as pandas DataFrames: {"documents": ..., "sections": ..., "items": ...}."""
    from .store import load as _load

    return _load(out)
