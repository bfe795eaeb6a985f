"""Local engine: discovered `Source`s -> finished `Document`s in worker processes on this machine.

One document runs in this process (a PDF too: no second process importing the same modules), or,
when `run_batch` forked it early, in the child of `alone.py`.
More run in a pebble pool, forked after the models are loaded
(Linux, several workers; one worker loads them itself, started by `Workers` as soon as the inputs are
listed, while the run opens its store and imports its export modules): each document is a task with a time limit, and the OCR pages of a scanned PDF are tasks
of their own, so one long scan never holds one worker while the others idle; `MemoryWatchdog`
kills a worker over the memory limit; a worker that dies or times out becomes one error row, and a
broken pool is restarted. It never writes the store and never prints.
"""

from __future__ import annotations

import ctypes
import dataclasses
import gc
import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

from .. import errors, remote
from ..chain import empty_document, process_source
from ..config import Settings
from ..errors import DocumentError
from ..records import Document, Page, Source
from .watchdog import MemoryWatchdog, expired_document

TASKS_PER_WORKER = 2  # tasks queued per worker: enough to keep it busy, few bytes held in the queue
MAX_POOL_RESTARTS = 2  # a pool whose workers cannot start is tried this many more times
PR_SET_PDEATHSIG = 1  # prctl option (linux/prctl.h)
M_ARENA_MAX = -8  # mallopt option (malloc.h)
# glibc gives each thread that allocates its own arena (up to 8 per core), and freed page images
# stay in them; two arenas per worker keep a worker's memory to what it holds.
MALLOC_ARENAS = 2
# fork: workers start in milliseconds and share the models loaded before (copy-on-write), and a
# script that calls `ketluan.run` needs no `if __name__ == "__main__":` guard. Linux only: macOS
# system libraries are not fork-safe, Windows has no fork.
START_METHOD = "fork" if sys.platform.startswith("linux") else "spawn"
# Input kinds (from the extension) whose pages may be OCRed.
OCR_KINDS = ("text_pdf", "image")


def load_models(textcat: bool = True, ocr_lang: str = "") -> None:
    """Load what documents need once: underthesea, the textcat model, the readers and, with an
    `ocr_lang`, OpenCV, the OCR lexicon and a Tesseract engine with that model.

    Called in the run's process before the workers are forked (they share what it loaded) or in
    each worker where processes are spawned. A missing model is the document's problem, reported
    there, never this function's.
    """
    try:
        from .. import actors, chain, nlp

        chain.load_stages()
        actors.find_actors("Sở Tài chính chủ trì, phối hợp với UBND các huyện")  # loads underthesea
        if textcat and nlp.model_available():
            nlp.classify(["Tiến độ giải ngân vốn đầu tư công còn chậm"])  # loads the textcat model
        from ..extract import docx, pdf  # noqa: F401  (pypdfium2, python-docx)
    except Exception:
        pass
    if ocr_lang:
        try:
            from ..extract import ocr, tess
            from ..ocr_correct import default_lexicon

            default_lexicon()
            if not ocr.ocr_available(Settings(ocr_lang=ocr_lang)):
                tess.available(ocr_lang)  # an idle engine with the model loaded, borrowed by the first page
        except Exception:
            return


@contextmanager
def _safe_to_fork() -> Iterator[None]:
    """OpenCV without its thread pool while workers are forked: a child inherits the pool's state
    but not its threads, and its first parallel call (or `cv2.setNumThreads`) waits for them
    forever. The parent's setting comes back when the pool is done."""
    cv2 = sys.modules.get("cv2")
    threads = cv2.getNumThreads() if cv2 is not None else 0
    if cv2 is not None:
        cv2.setNumThreads(1)
    gc.freeze()  # the collector never touches what the workers inherit: their pages stay shared
    try:
        yield
    finally:
        gc.unfreeze()
        if cv2 is not None:
            cv2.setNumThreads(threads)


def init_worker(textcat: bool = True, preloaded: bool = False, ocr_lang: str = "") -> None:
    """Worker initializer: one OCR thread, capped malloc arenas, die with the parent, load the models.

    No RLIMIT_AS here: an address-space limit counts reserved virtual memory, not memory in
    use, and made shared libraries fail to load ("failed to map segment") at 1 GB while the
    process used 200 MB; the parent's `MemoryWatchdog` limits resident memory instead.
    Loading the models here (spawned workers; forked ones have them already) keeps that time
    out of the first document's time limit.
    """
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    os.environ.setdefault("MALLOC_ARENA_MAX", str(MALLOC_ARENAS))  # Tesseract processes started here
    _cap_arenas()
    _die_with_parent()
    if not preloaded:
        load_models(textcat, ocr_lang)


def _libc() -> Any:
    """The C library of this process, or None (not glibc-like)."""
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def _cap_arenas() -> None:
    """At most MALLOC_ARENAS glibc arenas in this process (threads share them)."""
    try:
        _libc().mallopt(M_ARENA_MAX, MALLOC_ARENAS)
    except AttributeError:  # not glibc
        return


def release_memory() -> None:
    """Give the memory freed by the last task (page images, PDF bytes) back to the system."""
    try:
        _libc().malloc_trim(0)
    except AttributeError:  # not glibc
        return


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this worker when the run that started it dies (`kill -9` of the run)."""
    parent = os.getppid()
    try:
        _libc().prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except AttributeError:  # not Linux: workers exit when their pipe closes
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


# -- OCR pages as tasks of their own --------------------------------------------------------------


class _PagesNeeded(BaseException):
    """Raised through the chain (which turns every Exception into an error row) when a PDF's OCR
    pages are to be read by page tasks; carries the page numbers and, for a URL source, the bytes."""

    def __init__(self, numbers: list[int], data: bytes | None) -> None:
        super().__init__(numbers)
        self.numbers = numbers
        self.data = data


@dataclass(frozen=True)
class PageWork:
    """A document's answer when its OCR pages go to page tasks: which pages, and the PDF bytes when
    the workers cannot read them from the source itself (a URL)."""

    numbers: list[int]
    data: bytes | None = None


@dataclass(frozen=True)
class PageFailure:
    """The DocumentError an OCR page task met that is the document's (corrupt_file), carried back
    to be raised where the document is assembled, as the sequential path raises it."""

    code: str
    detail: str


PageResult = Page | PageFailure


@contextmanager
def ocr_routing(split: bool, pages: dict[int, PageResult] | None) -> Iterator[None]:
    """While one document runs in this process, route its PDF OCR through page tasks.

    `extract.pdf` looks up `extract.ocr.ocr_pdf_pages` each time it needs OCR (as the Ray engine
    relies on too). With `split`, a request for two pages or more stops the document with
    `_PagesNeeded`; with `pages`, the pages read by the page tasks are handed back in place of
    reading them again. Neither: nothing changes.
    """
    if not split and pages is None:
        yield
        return
    try:
        from ..extract import ocr
    except ImportError:  # no OCR here: the document says so itself
        yield
        return
    original = ocr.ocr_pdf_pages

    def routed(data: bytes, page_numbers: list[int], settings: Settings, *args: Any, **kw: Any) -> list[Page]:
        if pages is not None and all(n in pages for n in page_numbers):
            out: list[Page] = []
            for n in page_numbers:
                got = pages[n]
                if isinstance(got, PageFailure):
                    raise DocumentError(got.code, got.detail)
                out.append(got)
            return out
        if split and len(page_numbers) > 1 and not args and not kw:
            raise _PagesNeeded(list(page_numbers), data)
        return original(data, page_numbers, settings, *args, **kw)

    ocr.ocr_pdf_pages = routed
    try:
        yield
    finally:
        ocr.ocr_pdf_pages = original


def run_document(
    func: Callable[[Source, Settings], Document], source: Source, settings: Settings,
    split: bool = False, pages: dict[int, PageResult] | None = None,
) -> Document | PageWork:  # fmt: skip
    """Worker task: one document, or the page tasks its OCR needs first (`PageWork`).

    Args:
        func: the per-document function (`chain.process_source`).
        source: the document.
        settings: the run settings.
        split: hand a PDF's OCR pages (two or more) back as `PageWork` instead of reading them.
        pages: the pages the page tasks read, used in place of OCR.

    Examples:
        >>> run_document(process_source, Source(path="giay-moi.txt", data=b""), Settings()).error
        'empty_file: the file is empty (0 bytes); re-export it from its source'
    """
    try:
        with ocr_routing(split, pages):
            return func(source, settings)
    except _PagesNeeded as need:
        # bytes go back only when the page tasks cannot read them themselves (a URL source)
        local = source.data is not None or not remote.is_url(source.path)
        return PageWork(need.numbers, None if local else need.data)
    finally:
        if source.input_kind in OCR_KINDS:  # page images may have been held: give them back
            release_memory()


def read_page(source: Source, number: int, settings: Settings, data: bytes | None = None) -> PageResult:
    """Worker task: OCR one page of a PDF source (rendered and read as the whole document would).

    Errors are what `extract.pdf` makes of them for the sequential path: OCR unavailable or
    failed is a page without text; anything else is carried back as the document's error.
    """
    from ..extract import ocr, read_bytes

    try:
        pdf = data if data is not None else read_bytes(source)
        got = ocr.ocr_pdf_pages(pdf, [number], settings)
        del pdf
        return next((p for p in got if p.number == number), None) or Page(
            number=number, source="none", error=errors.message("ocr_failed")
        )
    except DocumentError as e:
        if e.code in ("ocr_unavailable", "ocr_failed"):
            return Page(number=number, source="none", error=errors.message(e.code, e.detail))
        return PageFailure(e.code, e.detail)
    finally:
        release_memory()


# -- one document here ----------------------------------------------------------------------------


class _Timeout(BaseException):
    """The time limit of a document run in this process (not an Exception: the chain lets it through)."""


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise `_Timeout` in this thread after `seconds` (SIGALRM: Unix, main thread; else no limit)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise _Timeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# One document of these kinds runs in this process, with its time limit (a timer signal). A text,
# a Word file or a PDF alone is the common one-file run (`ketluan run one.pdf`): a worker would
# import the same modules again and load the models once more, about half a second of CPU, for
# no parallel work. An image or a .doc goes to a worker even alone (OCR of a whole photo,
# LibreOffice): a native reader that crashes or hangs costs that worker, never the run or the
# document's row. Several documents always go to workers, however many: the run's process commits
# one while a worker reads the next.
IN_PROCESS_KINDS = frozenset({"txt", "docx", "text_pdf"})


def process_here(
    source: Source, settings: Settings, func: Callable[[Source, Settings], Document]
) -> Document:
    """One document in this process, with its time limit; its OCR uses every core (no other
    document competes), so `workers` counts as 1 for it."""
    try:
        with _time_limit(settings.timeout):
            return func(source, dataclasses.replace(settings, workers=1))
    except _Timeout:
        return expired_document(source, FutureTimeout(), settings, None)


# -- the pool -------------------------------------------------------------------------------------


@dataclass
class _Job:
    """A document in the pool: its page tasks waiting or running, and the pages they read."""

    source: Source
    numbers: list[int] = field(default_factory=list)
    data: bytes | None = None  # a URL source's bytes for its page tasks
    pages: dict[int, PageResult] = field(default_factory=dict)


# A task: ("doc", job, 0) reads the document, ("page", job, n) OCRs page n, ("assemble", job, 0)
# finishes the document with its pages.
_Task = tuple[str, _Job, int]


def _make_pool(workers: int, settings: Settings, context: Any, preloaded: bool, ocr_lang: str) -> Any:
    from pebble import ProcessPool

    return ProcessPool(max_workers=workers, initializer=init_worker,
                       initargs=(settings.textcat, preloaded, ocr_lang), context=context)  # fmt: skip


def uses_pool(sources: list[Source], settings: Settings) -> bool:
    """Whether `process_many` reads `sources` in worker processes (not strict mode, not one text,
    Word or PDF document alone).

    Examples:
        >>> uses_pool([Source(path="thong-bao.txt", input_kind="txt")], Settings())
        False
    """
    if settings.strict or not sources:
        return False
    return not (len(sources) == 1 and sources[0].input_kind in IN_PROCESS_KINDS)


class Workers:
    """The worker processes of a run, started before its documents are known in detail.

    `run_batch` starts them right after discovery, before the store is opened and the run's
    process imports its export modules: a worker loads its models (about a second) while the run
    does the rest, so neither waits for the other. `process_many` then hands them documents; a pool
    that breaks is replaced here. Closing twice does nothing.

    Args:
        sources: the documents the pool will read (their number caps the workers; their kinds
            decide whether OCR is loaded); the run may read fewer of them.
        settings: the run settings.
    """

    def __init__(self, sources: list[Source], settings: Settings) -> None:
        self.settings = settings
        self.workers = max(1, min(settings.workers, len(sources)))
        self.context = multiprocessing.get_context(START_METHOD)
        # Several workers: the models load once here and every worker forked below shares them (so
        # do their replacements). One worker loads them itself, right after it is forked, while
        # this process goes on with its own work: on two cores the two overlap.
        self.preloaded = START_METHOD == "fork" and self.workers > 1
        # OCR (OpenCV, the lexicon, a Tesseract engine: about half a second) is loaded ahead for
        # images, and for PDFs when the workers share what this process loads; a lone worker
        # loads it at the first PDF page without a text layer, so a text PDF never waits for it.
        kinds = {s.input_kind for s in sources}
        wants_ocr = "image" in kinds or (self.preloaded and not kinds.isdisjoint(OCR_KINDS))
        self.ocr_lang = settings.ocr_lang if settings.ocr and wants_ocr else ""
        if self.preloaded:
            load_models(settings.textcat, self.ocr_lang)
        self._fork_guard = _safe_to_fork() if START_METHOD == "fork" else nullcontext()
        self._fork_guard.__enter__()
        self.watchdog: MemoryWatchdog | None
        try:
            self.watchdog = MemoryWatchdog(settings.max_memory_mb)
        except ImportError:  # psutil missing: time limit only
            self.watchdog = None
        if self.watchdog is not None:
            self.watchdog.__enter__()
        self.pool: Any = None
        self._closed = self._joined = False
        try:
            self.pool = self.restart()
        except BaseException:
            self.close(finished=False)
            raise

    def restart(self) -> Any:
        """A new pool in place of the current one (stopped first, if any)."""
        if self.pool is not None:
            self.pool.stop()
            self.pool.join()
        self.pool = _make_pool(self.workers, self.settings, self.context, self.preloaded, self.ocr_lang)
        _ = self.pool.active  # pebble starts its workers at the first task otherwise: start them now
        return self.pool

    def close(self, finished: bool = True, wait: bool = True) -> None:
        """Let the workers finish (`finished`) or stop them now; with `wait`, wait for them to exit
        and stop the watchdog. Called again after `wait=False`, it waits; otherwise it does nothing.

        `run_batch` lets a finished pool's workers exit while it exports the tables (`wait=False`
        from `process_many`), and waits for them at the end.
        """
        if not self._closed:
            self._closed = True
            if self.pool is not None:
                if finished:
                    self.pool.close()
                else:  # interrupted (Ctrl-C, the consumer stopped): do not wait for queued documents
                    self.pool.stop()
        if not wait or self._joined:
            return
        self._joined = True
        try:
            if self.pool is not None:
                self.pool.join()
        finally:
            if self.watchdog is not None:
                self.watchdog.__exit__()
            self._fork_guard.__exit__(None, None, None)


def process_many(
    sources: list[Source],
    settings: Settings,
    func: Callable[[Source, Settings], Document] = process_source,
    idle: Callable[[], None] | None = None,
    started: Workers | None = None,
) -> Iterator[Document]:
    """Process sources in worker processes, each with a time and memory limit; yield as they finish.

    `idle` is called once in this process while the first documents are read (the store imports
    its export modules then, on the core the worker leaves free). `started` is a pool started
    earlier for these sources (`Workers`); it is used when the sources need a pool, and closed
    when the generator ends either way.

    One text, Word or PDF document runs in this process (no pool to start; its time limit still holds). Otherwise a
    few tasks per worker are queued at a time (a zip member's bytes are held only while it
    waits); with two workers or more, a PDF whose OCR needs several pages hands them back as page
    tasks, which run before new documents, and is finished once they are read. A worker that
    times out, dies or goes over `max_memory_mb` is replaced by pebble and its document becomes
    an error row. A pool that breaks (workers that cannot start) is restarted a few times, then
    the documents left get an error row each. Strict mode runs in this process, so the
    DocumentError reaches the caller.
    """
    if not uses_pool(sources, settings):
        if started is not None:
            started.close(finished=False)
        if settings.strict or not sources:
            for src in sources:
                yield func(src, settings)
            return
        yield process_here(sources[0], settings, func)
        return
    from concurrent.futures.process import BrokenProcessPool

    state = started if started is not None else Workers(sources, settings)
    workers, watchdog = state.workers, state.watchdog
    split = workers > 1 and settings.ocr  # one worker: its pages are read where the document is
    pool = state.pool
    pending: dict[Future[Any], _Task] = {}
    ready: deque[_Task] = deque()  # page and assemble tasks: before any new document
    queue = deque(sources)
    restarts = 0
    broken = ""
    finished = False

    def submit(task: _Task) -> None:
        kind, job, number = task
        if kind == "page":
            fut = pool.schedule(
                read_page, args=(job.source, number, settings, job.data), timeout=settings.timeout
            )
        else:
            args = (
                func,
                job.source,
                settings,
                split and kind == "doc",
                job.pages if kind == "assemble" else None,
            )
            fut = pool.schedule(run_document, args=args, timeout=settings.timeout)
        pending[fut] = task

    def fail(job: _Job, exc: BaseException) -> Document:
        """The document's error row; its other page tasks are dropped."""
        for fut, (_, other, _) in list(pending.items()):
            if other is job:
                fut.cancel()
                pending.pop(fut)
        for task in [t for t in ready if t[1] is job]:
            ready.remove(task)
        return expired_document(job.source, exc, settings, watchdog)

    try:
        while queue or pending or ready:
            while (ready or queue) and len(pending) < workers * TASKS_PER_WORKER and not broken:
                task = ready.popleft() if ready else ("doc", _Job(queue.popleft()), 0)
                try:
                    submit(task)
                except RuntimeError as e:  # the pool is broken: its workers died or could not start
                    ready.appendleft(task)
                    broken = str(e)
            if idle is not None:
                idle()
                idle = None
            done = wait(list(pending), return_when=FIRST_COMPLETED)[0] if pending else set()
            for fut in done:
                if fut not in pending:  # dropped by fail() of the same document
                    continue
                kind, job, number = task = pending.pop(fut)
                try:
                    result = fut.result()
                    restarts = 0  # the pool works: only consecutive failures count
                except BrokenProcessPool as e:  # not this task's fault: try it again
                    ready.appendleft(task)
                    broken = broken or str(e) or "the worker processes stopped"
                    continue
                except (Exception, SystemExit) as e:  # SystemExit: a library called exit() in the worker
                    yield fail(job, e)
                    continue
                if isinstance(result, PageWork):
                    job.numbers, job.data = result.numbers, result.data
                    ready.extendleft(("page", job, n) for n in reversed(result.numbers))
                    continue
                if kind == "page":
                    job.pages[number] = result
                    if len(job.pages) == len(job.numbers):
                        job.data = None
                        ready.appendleft(("assemble", job, 0))
                    continue
                job.source.data = None  # the bytes of a finished zip member are no longer needed
                yield result
            if broken and not pending:
                if restarts >= MAX_POOL_RESTARTS:
                    jobs = {id(t[1]): t[1] for t in ready} | {id(src): _Job(src) for src in queue}
                    for job in jobs.values():
                        doc = empty_document(job.source)
                        doc.fail("internal", f"the worker processes could not be started ({broken}); "
                                             "check that 'python -c \"import ketluan\"' works")  # fmt: skip
                        yield doc
                    queue.clear()
                    ready.clear()
                    break
                restarts += 1
                broken = ""
                pool = state.restart()
        finished = True
    finally:
        # a pool started by the caller is waited for by the caller (`run_batch`: after the export)
        state.close(finished, wait=started is None or not finished)
