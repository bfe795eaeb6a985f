"""Local engine: discovered `Source`s -> finished `Document`s in worker processes on this machine.

Each document runs in a pebble worker with a time limit; `MemoryWatchdog` kills a worker over
the memory limit; a worker that dies or times out becomes one error row, and a broken pool is
restarted. It never writes the store and never prints.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, CancelledError, Future, wait
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from .. import errors
from ..chain import empty_document, process_source
from ..config import Settings
from ..records import Document, Source

MB = 1024 * 1024
TASKS_PER_WORKER = 2  # documents queued per worker: enough to keep it busy, few bytes held in the queue
WATCHDOG_INTERVAL = 0.2  # seconds between two RSS samples of the workers
MAX_POOL_RESTARTS = 2  # a pool whose workers cannot start is tried this many more times
PR_SET_PDEATHSIG = 1  # prctl option (linux/prctl.h)


def init_worker(textcat: bool = True) -> None:
    """Worker initializer: one OCR thread, die with the parent, load the models.

    No RLIMIT_AS here: an address-space limit counts reserved virtual memory, not memory in
    use, and made shared libraries fail to load ("failed to map segment") at 1 GB while the
    process used 200 MB; the parent's `MemoryWatchdog` limits resident memory instead.
    Loading the models here (about 2 s) keeps that time out of the first document's time limit.
    """
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    _die_with_parent()
    try:
        from .. import actors, nlp

        actors.find_actors("Sở Tài chính chủ trì, phối hợp với UBND các huyện")  # loads underthesea
        if textcat and nlp.model_available():
            nlp.classify(["Tiến độ giải ngân vốn đầu tư công còn chậm"])  # loads the textcat model
        from ..extract import docx, pdf  # noqa: F401  (pdfplumber, pypdfium2, python-docx)
    except Exception:  # a missing model is the document's problem, reported there
        return


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this worker when the run that started it dies (`kill -9` of the run)."""
    parent = os.getppid()
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
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


def expired_document(
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


def process_many(
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
        max_workers=workers, initializer=init_worker, initargs=(settings.textcat,), context=context
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
                    doc = expired_document(src, e, settings, watchdog)
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
                    initializer=init_worker,
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
