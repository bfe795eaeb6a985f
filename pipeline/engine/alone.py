"""Local engine, one document: a lone text, Word or PDF document read in a forked child process.

`run_batch` forks the child as soon as the inputs are listed; the run's process meanwhile imports
DuckDB, pyarrow and the export modules and opens its store, which the document never needs, so on
two cores the two overlap. The child sends the finished `Document` back pickled through a pipe and
exits; a child that dies or hangs becomes the document's error row. It never writes the store and
never prints.
"""

from __future__ import annotations

import gc
import os
import pickle
import select
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from typing import NoReturn

from ..chain import empty_document, process_source
from ..config import Settings
from ..records import Document, Source
from .local import START_METHOD, _die_with_parent, process_here, process_many, uses_pool
from .watchdog import expired_document

# Seconds the run waits past a document's time limit (which the child enforces itself) before it
# stops a child stuck where that limit cannot reach (a native reader that never returns).
WAIT_MARGIN = 5.0
READ_CHUNK = 1 << 20


def forks(sources: list[Source], settings: Settings) -> bool:
    """Whether `ForkedDocument` reads `sources`: one text, Word or PDF document, not strict mode,
    on Linux, from a process with no other thread (a fork copies one thread only) and no OpenCV
    thread pool (a child's first parallel OpenCV call would wait for threads it does not have).

    Examples:
        >>> forks([Source(path="thong-bao.txt", input_kind="txt")], Settings(strict=True))
        False
    """
    return (
        START_METHOD == "fork"
        and len(sources) == 1
        and not settings.strict
        and not uses_pool(sources, settings)
        and threading.current_thread() is threading.main_thread()
        and threading.active_count() == 1
        and "cv2" not in sys.modules
    )


class ForkedDocument:
    """One document read in a child process forked now; `documents` hands its result over.

    Args:
        source: the document (its bytes, for a zip member, go with the fork).
        settings: the run settings; the child applies the time limit as `process_here` does.
        func: the per-document function (`chain.process_source`).
    """

    def __init__(
        self,
        source: Source,
        settings: Settings,
        func: Callable[[Source, Settings], Document] = process_source,
    ) -> None:
        self.source, self.settings, self.func = source, settings, func
        self._parent = os.getpid()
        try:  # both sides need it (the textcat here, pyarrow there): imported once, shared
            import numpy  # noqa: F401
        except ImportError:
            pass
        sys.stdout.flush()  # nothing buffered here is written twice by the child
        sys.stderr.flush()
        self.pid, self._fd = 0, -1
        read_end, write_end = os.pipe()
        gc.freeze()  # neither side's collector touches the objects they share: fewer copied pages
        try:
            pid = os.fork()
        except OSError:  # no process to be had (a process limit): the document is read here
            os.close(read_end)
            return
        finally:
            if os.getpid() == self._parent:
                gc.unfreeze()
                os.close(write_end)
        if pid == 0:  # the child (what it shares stays frozen: it never frees any of it)
            os.close(read_end)
            _child(write_end, source, settings, func)
        self.pid, self._fd = pid, read_end

    def documents(
        self, sources: list[Source], settings: Settings, idle: Callable[[], None] | None = None
    ) -> Iterator[Document]:
        """The child's document when `sources` is still that one document, else `process_many`
        over them (a resumed run found it stored: the child is stopped). `idle` runs while the
        child works."""
        if not self.pid or [s.path for s in sources] != [self.source.path] or settings != self.settings:
            self.close()
            yield from process_many(sources, settings, func=self.func)
            return
        if idle is not None:
            idle()
        yield self.result()

    def result(self) -> Document:
        """Wait for the child's document; a child that dies, hangs or sends nothing gives the
        document's error row."""
        deadline = time.monotonic() + self.settings.timeout + WAIT_MARGIN
        pid = self.pid
        chunks: list[bytes] = []
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([self._fd], [], [], left)[0]:
                    self.close()
                    return expired_document(self.source, FutureTimeout(), self.settings, None)
                chunk = os.read(self._fd, READ_CHUNK)
                if not chunk:
                    break
                chunks.append(chunk)
        except BaseException:
            self.close()
            raise
        code = self._reap()
        try:
            got = pickle.loads(b"".join(chunks)) if chunks else None
        except Exception as e:  # a child cut off half way
            got = f"{type(e).__name__}: {e}"
        if isinstance(got, Document):
            return got
        if isinstance(got, str):  # the child's own failure (its document could not be pickled)
            doc = empty_document(self.source)
            doc.fail("internal", got)
            return doc
        from pebble.common import ProcessExpired

        return expired_document(
            self.source, ProcessExpired("the worker process died", code=code, pid=pid), self.settings, None
        )

    def _reap(self) -> int:
        """Wait for the child to exit; its exit code (minus the signal that killed it)."""
        self._close_fd()
        if not self.pid:
            return 0
        pid, self.pid = self.pid, 0
        _, status = os.waitpid(pid, 0)
        return os.waitstatus_to_exitcode(status)

    def _close_fd(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def close(self, finished: bool = False) -> None:
        """Stop the child if it still runs and wait for it (no zombie); closing twice does nothing."""
        self._close_fd()
        if self.pid:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._reap()


def _child(
    fd: int, source: Source, settings: Settings, func: Callable[[Source, Settings], Document]
) -> NoReturn:
    """The child: read the document, write it pickled to `fd`, exit without the parent's exit handlers."""
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C: the run's process says what is saved
        _die_with_parent()
        doc = process_here(source, settings, func)
        try:
            payload = pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as e:
            payload = pickle.dumps(f"the result could not be sent back ({type(e).__name__}: {e})")
        with os.fdopen(fd, "wb") as out:
            out.write(payload)
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:  # the pipe closed (the run stopped): nothing to report to anyone
        code = 1
    finally:
        os._exit(code)
