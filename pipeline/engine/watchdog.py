"""Worker limits of the local engine: the memory watchdog, and the error row of a worker that died.

Reads the RSS of the pool's workers (psutil) and the exception a task ended with; returns nothing
but kills, or one `Document` error row. It never writes the store and never prints.
"""

from __future__ import annotations

import signal
import threading
from concurrent.futures import CancelledError
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from .. import errors
from ..chain import empty_document
from ..config import Settings
from ..records import Document, Source

MB = 1024 * 1024
WATCHDOG_INTERVAL = 0.2  # seconds between two RSS samples of the workers


class MemoryWatchdog:
    """Samples the resident memory of the pool's workers (and their children: soffice,
    tesseract) and kills a worker that goes over the limit; pebble then reports the task as
    expired and starts a new worker. A forked worker's RSS counts the models it shares with the
    run, as a spawned worker's counts its own copy: the limit means the same either way.

    It also kills what a stopped worker left running (a soffice conversion whose worker
    timed out).

    Args:
        max_mb: the limit per worker in MB (its own memory plus its children's); 0 disables it.
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
        self._cmdline = self._me.cmdline()
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
        """A pool worker started after the watchdog: spawned ("--multiprocessing-fork") or forked
        (the run's own command line); not the resource tracker."""
        if proc.pid in self._before:
            return False
        if proc.pid not in self._workers:
            try:
                cmdline = proc.cmdline()
            except self._psutil.Error:
                return False
            self._workers[proc.pid] = "--multiprocessing-fork" in cmdline or cmdline == self._cmdline
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
            used = 0
            for proc in (worker, *family):
                try:
                    used += proc.memory_info().rss
                except ps.Error:
                    continue
            self.peak = max(self.peak, used)
            if self.limit and used > self.limit:
                self.killed[worker.pid] = used
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
