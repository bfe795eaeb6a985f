"""Ray engine: discovered `Source`s -> finished `Document`s as tasks on a cluster, in bounded batches.

Each document is a Ray task (retried when its worker dies, cancelled at the time limit, else one
error row), the OCR pages of a scanned PDF are tasks of their own, and per-node throughput is
counted. Ray is imported only when this engine runs; it never writes the store and never prints.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import socket
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .. import errors, remote
from ..chain import empty_document, process_source
from ..config import Settings
from ..discover import discover
from ..errors import DocumentError, UsageError
from ..records import Document, Page, Source
from .local import process_many as process_locally

DEFAULT_MAX_RETRIES = 2  # a document whose worker dies is run up to 3 times, then an error row
DEFAULT_OCR_PAGES_PER_TASK = 1  # OCR of one page (~3 s) dwarfs a task's cost (~a few ms)
DEFAULT_POLL_SECONDS = 0.5  # how often the driver checks time limits while it waits
# A local cluster binds 127.0.0.1 only: Ray's own switch for laptop clusters (read at `import ray`).
LOOPBACK_ENV = {"RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0"}
LOCAL_ADDRESSES = ("", "local")
PROBE_SECONDS = 5.0  # a head that does not accept a TCP connection in this time is unreachable

ProcessFunction = Callable[[Source, Settings], Document]


class RayEngineError(UsageError, RuntimeError):
    """Ray is not installed, or the cluster cannot be reached (a usage error, not a bad document)."""


class _CarriedError(Exception):
    """A DocumentError on its way back from a worker (DocumentError itself does not unpickle)."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(code, detail)
        self.code = code
        self.detail = detail

    def restore(self, path: str = "") -> DocumentError:
        """The DocumentError it carries."""
        error = DocumentError(self.code, self.detail)
        error.path = path
        return error


@dataclass
class NodeStats:
    """What one node of the cluster did during a run."""

    documents: int = 0  # documents whose task ran there
    pages: int = 0  # pages of those documents
    ocr_pages: int = 0  # pages OCRed there by page tasks (fanned out from any document)
    busy_seconds: float = 0.0  # task time there, not counting time spent waiting for page tasks


@dataclass
class RayReport:
    """Throughput of a Ray run, per node; filled in while `process_many` yields documents."""

    nodes: dict[str, NodeStats] = field(default_factory=dict)
    documents: int = 0
    pages: int = 0
    seconds: float = 0.0  # wall time from connecting to the last document
    cpus: float = 0.0  # CPUs of the cluster when the run started
    retried: int = 0  # documents that needed more than one attempt
    timeouts: int = 0
    crashed: int = 0  # documents given up after `max_retries` dead workers

    def throughput(self) -> dict[str, dict[str, float]]:
        """Node -> documents, pages, OCR pages, busy seconds and documents per second of the run.

        Examples:
            >>> r = RayReport(nodes={"10.0.0.5 1f3a9c2e": NodeStats(documents=40, pages=80)}, seconds=20.0)
            >>> r.throughput()["10.0.0.5 1f3a9c2e"]["documents_per_second"]
            2.0
        """
        wall = max(self.seconds, 1e-9)
        return {
            node: {
                **dataclasses.asdict(s),
                "busy_seconds": round(s.busy_seconds, 3),
                "documents_per_second": round(s.documents / wall, 3),
            }  # fmt: skip
            for node, s in sorted(self.nodes.items())
        }


@dataclass
class _Job:
    """A document submitted to the cluster, and what the driver knows about its attempts."""

    key: int
    source: Source
    attempt: int = 0  # attempts seen started (from the clock actor)
    started: float = 0.0  # driver time the current attempt was first seen running
    cancelled: bool = False


class _Clock:
    """Actor: document tasks say when an attempt starts, so time limits count from then."""

    def __init__(self) -> None:
        self.attempts: dict[int, int] = {}

    def started(self, key: int) -> int:
        """An attempt of document `key` started; returns its number (1 for the first)."""
        self.attempts[key] = self.attempts.get(key, 0) + 1
        return self.attempts[key]

    def done(self, keys: list[int]) -> None:
        """Forget finished documents."""
        for k in keys:
            self.attempts.pop(k, None)

    def snapshot(self) -> dict[int, int]:
        """Attempts started per running document."""
        return dict(self.attempts)


# -- work done on the cluster ------------------------------------------------------------------


def _node_label() -> str:
    """This worker's node as "IP node-id-prefix"."""
    import ray

    return f"{ray.util.get_node_ip_address()} {ray.get_runtime_context().get_node_id()[:8]}"


def _cores() -> int:
    """CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _document_task(
    source: Source, settings: Settings, clock: Any, key: int, process: ProcessFunction | None,
    pages_per_task: int, max_retries: int,
) -> tuple[Document, dict[str, Any]]:  # fmt: skip
    """Ray task: read a URL source's bytes here, process it, report where and how long."""
    import ray

    attempt = ray.get(clock.started.remote(key)) if clock is not None else 1
    started = time.monotonic()
    run = process or process_source
    # One Ray task holds one CPU: OCR inside it runs one Tesseract at a time (ocr._workers
    # divides the cores by `workers`), and long scans fan out as page tasks instead.
    worker_settings = dataclasses.replace(settings, workers=max(settings.workers, _cores()))
    fanned: list[tuple[str, int, float]] = []
    waited: list[float] = []
    try:
        with _ocr_fanout(pages_per_task, max_retries, fanned, waited):
            doc = run(remote.fetch(source, settings), worker_settings)
    except DocumentError as e:  # strict mode: the driver raises it again
        raise _CarriedError(e.code, e.detail) from None
    seconds = time.monotonic() - started - sum(waited)
    return doc, {"node": _node_label(), "seconds": seconds, "ocr": fanned, "attempt": attempt}


def _ocr_chunk_task(
    data: Any, numbers: list[int], settings: Settings, options: Any
) -> tuple[list[Page], str, float]:
    """Ray task: OCR some pages of a PDF (its bytes shared through the object store)."""
    started = time.monotonic()
    from ..extract import ocr  # OpenCV and Tesseract load only where pages are OCRed

    try:
        pages = _UNPATCHED.get("ocr_pdf_pages", ocr.ocr_pdf_pages)(data, numbers, settings, options)
    except DocumentError as e:
        raise _CarriedError(e.code, e.detail) from None
    return pages, _node_label(), time.monotonic() - started


_UNPATCHED: dict[str, Any] = {}


@contextmanager
def _ocr_fanout(
    pages_per_task: int, max_retries: int, fanned: list[tuple[str, int, float]], waited: list[float]
) -> Iterator[None]:
    """While a document is processed in a worker, OCR its PDF pages as Ray tasks of their own.

    `extract.pdf` looks up `ocr.ocr_pdf_pages` when it needs OCR, so replacing that attribute
    for the duration of one task (a Ray worker runs one task at a time) routes every scanned
    page through the cluster without a change to the extract stage.
    """
    if pages_per_task <= 0:
        yield
        return
    import ray

    from ..extract import ocr

    original = _UNPATCHED.setdefault("ocr_pdf_pages", ocr.ocr_pdf_pages)
    _, page_task, _ = _remote_functions()

    def fanout(
        data: bytes, page_numbers: list[int], settings: Settings, options: Any = ocr.DEFAULT_OPTIONS
    ) -> list[Page]:
        if len(page_numbers) <= pages_per_task:
            pages, node, seconds = _ocr_chunk_task(data, page_numbers, settings, options)
            fanned.append((node, len(page_numbers), seconds))
            return pages
        missing = ocr.ocr_available(settings)
        if missing:  # fail as the local engine does, before shipping anything
            raise DocumentError("ocr_unavailable", missing)
        shared = ray.put(data)
        chunks = [page_numbers[i : i + pages_per_task] for i in range(0, len(page_numbers), pages_per_task)]
        refs = [
            page_task.options(max_retries=max_retries).remote(shared, c, settings, options) for c in chunks
        ]
        began = time.monotonic()
        out: list[Page] = []
        try:
            for chunk, ref in zip(chunks, refs, strict=True):
                out.extend(_collect_chunk(ray, ref, chunk, fanned))
        finally:
            waited.append(time.monotonic() - began)
        return out

    ocr.ocr_pdf_pages = fanout
    try:
        yield
    finally:
        ocr.ocr_pdf_pages = original


def _collect_chunk(ray: Any, ref: Any, chunk: list[int], fanned: list[tuple[str, int, float]]) -> list[Page]:
    """The pages of one page task; a page task that failed for good is lost pages, not a lost document."""
    try:
        pages, node, seconds = ray.get(ref)
    except ray.exceptions.RayTaskError as e:
        if isinstance(e.cause, _CarriedError):
            raise e.cause.restore() from None  # corrupt_file and the like: the document's error, as locally
        reason = f"{type(e.cause).__name__}: {e.cause}"
        return [
            Page(number=n, source="none", error=errors.message("ocr_failed", f"page {n}: {reason}"))
            for n in chunk
        ]
    except ray.exceptions.RayError as e:
        reason = f"the OCR worker died ({type(e).__name__})"
        return [
            Page(number=n, source="none", error=errors.message("ocr_failed", f"page {n}: {reason}"))
            for n in chunk
        ]
    fanned.append((node, len(chunk), seconds))
    return list(pages)


@lru_cache(maxsize=1)
def _remote_functions() -> tuple[Any, Any, Any]:
    """The Ray task and actor wrappers (made on first use, so importing this module needs no Ray)."""
    import ray

    document_task = ray.remote(num_cpus=1)(_document_task)
    page_task = ray.remote(num_cpus=1)(_ocr_chunk_task)
    clock = ray.remote(num_cpus=0)(_Clock)
    return document_task, page_task, clock


# -- the driver ---------------------------------------------------------------------------------


def connect(address: str | None = None, num_cpus: int | None = None) -> tuple[Any, bool]:
    """Import Ray and connect to a cluster, or start a local one on 127.0.0.1.

    Args:
        address: None or "local" starts a local cluster (or uses the one this process already
            joined, or $RAY_ADDRESS); "auto" joins the cluster `ray start` runs on this machine;
            "ray://head:10001" connects with Ray Client; "10.0.0.5:6379" joins that head.
        num_cpus: CPUs of a local cluster (None: all cores).

    Returns:
        (the ray module, True when this call started or joined and must `ray.shutdown()`).

    Raises:
        RayEngineError: Ray is not installed, or the cluster cannot be reached.

    Examples:
        >>> ray, owned = connect("auto")  # doctest: +SKIP
    """
    local = (address or "") in LOCAL_ADDRESSES and not os.environ.get("RAY_ADDRESS")
    if local:
        for k, v in LOOPBACK_ENV.items():
            os.environ.setdefault(k, v)
    try:
        import ray
    except ImportError as e:
        raise RayEngineError(
            f"the Ray engine needs Ray ({e}); install it with: pip install 'ketluan[ray]'"
        ) from e
    if ray.is_initialized():
        return ray, False
    unreachable = "" if local else _probe(address or os.environ.get("RAY_ADDRESS", ""))
    if unreachable:  # ray.init retries an unreachable GCS address for minutes: fail now instead
        raise RayEngineError(
            f"cannot connect to the Ray cluster at {address or os.environ.get('RAY_ADDRESS')!r}: {unreachable}; "
            "start it with 'ray start --head' and pass --address auto (on the head) or ray://HEAD:10001"
        )
    options: dict[str, Any] = {"log_to_driver": False, "logging_level": logging.WARNING}
    try:
        if local:
            # "local": a new cluster even on a machine where `ray start` runs one (that is --address auto)
            ray.init(address="local", num_cpus=num_cpus, include_dashboard=False, **options)
        else:
            ray.init(address=address or None, **options)
    except Exception as e:  # ConnectionError, RuntimeError, ValueError from a bad address
        raise RayEngineError(
            f"cannot connect to the Ray cluster at {address or os.environ.get('RAY_ADDRESS')!r}: {e}; "
            "start it with 'ray start --head' and pass --address auto (on the head) or ray://HEAD:10001"
        ) from e
    return ray, True


def _probe(address: str, seconds: float = PROBE_SECONDS) -> str:
    """Why a "host:port" or "ray://host:port" address does not accept a TCP connection ("" if it does).

    "auto" and other addresses without a port are left to Ray.

    Examples:
        >>> _probe("auto")
        ''
        >>> _probe("127.0.0.1:1").startswith("nothing accepts connections on 127.0.0.1:1")
        True
    """
    target = address.split("://", 1)[-1].rstrip("/")
    host, _, port = target.rpartition(":")
    if not host or not port.isdigit():
        return ""
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=seconds):
            return ""
    except OSError as e:
        return f"nothing accepts connections on {host}:{port} ({type(e).__name__}: {e.strerror or e})"


def process_many(
    sources: Iterable[Source],
    settings: Settings,
    *,
    address: str | None = None,
    max_retries: int = DEFAULT_MAX_RETRIES,
    ocr_pages_per_task: int = DEFAULT_OCR_PAGES_PER_TASK,
    batch_size: int | None = None,
    max_in_flight: int | None = None,
    report: RayReport | None = None,
    process: ProcessFunction | None = None,
) -> Iterator[Document]:
    """Process sources as Ray tasks and yield each finished Document once, as batches come back.

    The drop-in for `engine.local.process_many`: every source gives exactly one Document, also when
    its worker died (retried `max_retries` times, then a `crashed` error row), when it ran
    over `settings.timeout` (cancelled, a `timeout` row, counted from the start of the attempt,
    not from submission) or when Ray itself failed (`internal`). Scanned PDF pages are OCRed
    by page tasks of their own (`ocr_pages_per_task` pages each; 0 keeps them in the document's
    task). At most `max_in_flight` documents are submitted at a time and results are fetched
    `batch_size` at a time, so memory stays bounded on any archive size.

    Args:
        sources: discovered files (local paths the workers can read, zip members with bytes,
            or URLs from `remote.discover_url`, read by the workers with fsspec).
        settings: the run settings (`timeout`, `strict`, `workers` = CPUs of a local cluster).
        address: see `connect`; None starts a local cluster of `settings.workers` CPUs.
        max_retries: attempts after a worker dies (a node lost, a native crash, the OOM killer).
        ocr_pages_per_task: pages per OCR task.
        batch_size: results fetched per `ray.wait` (default: the cluster's CPUs).
        max_in_flight: documents submitted and not yet returned (default: CPUs + a quarter,
            at least CPUs + 2: a document blocked on its page tasks keeps a worker process
            alive, so a larger window costs memory, about 400 MB per waiting worker).
        report: filled with per-node throughput as documents finish.
        process: the per-document function (default `chain.process_source`); tests pass their own.

    Returns:
        An iterator of Documents in the order they finish.

    Raises:
        RayEngineError: Ray is missing or the cluster cannot be reached.
        DocumentError: in strict mode, the first bad document's error.

    Examples:
        >>> srcs = list(discover(["luu-tru/2024/"], Settings()))  # doctest: +SKIP
        >>> [d.status for d in process_many(srcs, Settings(), address="auto")][:2]  # doctest: +SKIP
        ['ok', 'ok']
    """
    queue = deque(enumerate(sources))
    if not queue:
        return
    report = report if report is not None else RayReport()
    started = time.monotonic()
    num_cpus = settings.workers if (address or "") in LOCAL_ADDRESSES else None
    ray, owned = connect(address, num_cpus)
    document_task, _, clock_actor = _remote_functions()
    pending: dict[Any, _Job] = {}
    try:
        report.cpus = float(ray.cluster_resources().get("CPU", 1.0))
        cpus = max(1, int(report.cpus))
        window = max_in_flight or cpus + max(2, cpus // 4)
        batch = batch_size or cpus
        clock = clock_actor.remote()
        submit = document_task.options(max_retries=max_retries)
        while queue or pending:
            while queue and len(pending) < window:
                key, source = queue.popleft()
                ref = submit.remote(source, settings, clock, key, process, ocr_pages_per_task, max_retries)
                pending[ref] = _Job(key=key, source=source)
            ready, _ = ray.wait(
                list(pending), num_returns=min(batch, len(pending)), timeout=DEFAULT_POLL_SECONDS
            )
            finished = []
            for ref in ready:
                job = pending.pop(ref)
                finished.append(job.key)
                doc = _finish(ray, ref, job, settings, max_retries, report)
                report.documents += 1
                report.pages += doc.pages
                report.seconds = round(time.monotonic() - started, 3)
                yield doc
            if finished:
                clock.done.remote(finished)
            if pending:
                _enforce_time_limit(ray, clock, pending, settings.timeout)
    finally:
        for ref in pending:  # the caller stopped early, or strict mode raised
            ray.cancel(ref, force=True)
        report.seconds = round(time.monotonic() - started, 3)
        if owned:
            ray.shutdown()


def _enforce_time_limit(ray: Any, clock: Any, pending: dict[Any, _Job], timeout: float) -> None:
    """Cancel (kill) every document task whose current attempt has run longer than `timeout`."""
    attempts = ray.get(clock.snapshot.remote())
    now = time.monotonic()
    for ref, job in pending.items():
        seen = attempts.get(job.key, 0)
        if seen > job.attempt:  # a (new) attempt started: its time limit counts from now
            job.attempt, job.started = seen, now
        if job.started and not job.cancelled and now - job.started > timeout:
            ray.cancel(ref, force=True, recursive=True)
            job.cancelled = True


def _finish(
    ray: Any, ref: Any, job: _Job, settings: Settings, max_retries: int, report: RayReport
) -> Document:
    """The Document of a finished task, or the error row of a task that did not finish."""
    exc = ray.exceptions
    try:
        doc, info = ray.get(ref)
    except exc.RayTaskError as e:
        cause = e.cause if isinstance(e.cause, BaseException) else e
        if isinstance(cause, _CarriedError):
            cause = cause.restore(job.source.path)
        if settings.strict:
            raise cause from None
        doc = empty_document(job.source)
        if isinstance(cause, DocumentError):
            doc.fail(cause.code, cause.detail)
        else:
            doc.fail("internal", f"{type(cause).__name__}: {cause}")
        return doc
    except (exc.TaskCancelledError, exc.WorkerCrashedError) as e:
        doc = empty_document(job.source)
        if job.cancelled:
            report.timeouts += 1
            doc.fail("timeout", f"stopped after {settings.timeout:g} s; {errors.MESSAGES['timeout']}")
        else:
            report.crashed += 1
            doc.fail("crashed", f"the Ray worker died {max_retries + 1} times ({type(e).__name__}); "
                                f"{errors.MESSAGES['crashed']}")  # fmt: skip
        return doc
    except exc.OutOfMemoryError:
        doc = empty_document(job.source)
        doc.fail("memory", f"Ray's memory monitor stopped the worker; {errors.MESSAGES['memory']}")
        return doc
    except exc.RayError as e:  # a node lost with the object, the task unschedulable…
        doc = empty_document(job.source)
        doc.fail("internal", f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")
        return doc
    if int(info["attempt"]) > 1:
        report.retried += 1
    node = report.nodes.setdefault(info["node"], NodeStats())
    node.documents += 1
    node.pages += doc.pages
    node.busy_seconds += float(info["seconds"])
    for where, pages, seconds in info["ocr"]:
        other = report.nodes.setdefault(where, NodeStats())
        other.ocr_pages += pages
        other.busy_seconds += seconds
    return doc


# -- benchmark ----------------------------------------------------------------------------------


def bench_ray(
    inputs: Iterable[str | os.PathLike[str]],
    workers: Iterable[int] = (1, 2),
    settings: Settings | None = None,
    ocr_pages_per_task: int = DEFAULT_OCR_PAGES_PER_TASK,
) -> list[dict[str, Any]]:
    """Time the same inputs in-process, with the local engine and with Ray at each worker count.

    For `make bench`: each row is one engine and worker count. "in-process" is a plain loop
    over `process_source` with warm models (the floor). "local" rows run `engine.local.process_many`
    as a run does (pool start-up included). Ray rows start a fresh local cluster of `workers`
    CPUs (its start-up is `start_seconds`), run the inputs once cold (`seconds`: worker start
    and model loading included, as in a short run) and once more warm (`warm_seconds`: the
    steady state of a long run). `overhead_per_document` = (warm Ray seconds at 1 worker -
    in-process seconds) / documents: what going through Ray costs each document.

    Args:
        inputs: files or folders, as for `ketluan run`.
        workers: worker counts to try.
        settings: base settings (`workers` is replaced).
        ocr_pages_per_task: as for `process_many`.

    Returns:
        Rows with engine, workers, documents, pages, ocr_pages, seconds, warm_seconds,
        documents_per_second, seconds_per_page (wall seconds / pages, warm for Ray),
        start_seconds and overhead_per_document.

    Examples:
        >>> rows = bench_ray(["data/samples"], workers=(1, 2))  # doctest: +SKIP
        >>> [(r["engine"], r["workers"]) for r in rows][:3]  # doctest: +SKIP
        [('in-process', 1), ('local', 1), ('local', 2)]
    """
    base = Settings.resolve(settings)
    sources = list(discover([str(p) for p in inputs], base))
    counts = list(workers)
    rows: list[dict[str, Any]] = []

    def row(engine: str, n: int, docs: list[Document], seconds: float, warm: float = 0.0,
            start: float = 0.0) -> dict[str, Any]:  # fmt: skip
        pages = sum(d.pages for d in docs)
        steady = warm or seconds
        return {
            "engine": engine, "workers": n, "documents": len(docs), "pages": pages,
            "ocr_pages": sum(d.ocr_pages for d in docs), "seconds": round(seconds, 3),
            "warm_seconds": round(warm, 3), "documents_per_second": round(len(docs) / max(steady, 1e-9), 3),
            "seconds_per_page": round(steady / max(pages, 1), 3), "start_seconds": round(start, 3),
            "overhead_per_document": 0.0,
        }  # fmt: skip

    one = dataclasses.replace(base, workers=1)
    if sources:
        process_source(sources[0], one)  # warm the models, as a long-running worker is
    began = time.monotonic()
    serial = [process_source(s, one) for s in sources]
    rows.append(row("in-process", 1, serial, time.monotonic() - began))
    for n in counts:
        began = time.monotonic()
        docs = list(process_locally(sources, dataclasses.replace(base, workers=n)))
        rows.append(row("local", n, docs, time.monotonic() - began))
    for n in counts:
        began = time.monotonic()
        ray, owned = connect(None, num_cpus=n)
        start = time.monotonic() - began
        run_settings = dataclasses.replace(base, workers=n)
        try:
            timings = []
            for _ in range(2):  # cold, then warm
                began = time.monotonic()
                docs = list(process_many(sources, run_settings, ocr_pages_per_task=ocr_pages_per_task))
                timings.append(time.monotonic() - began)
            rows.append(row("ray", n, docs, timings[0], timings[1], start))
        finally:
            if owned:
                ray.shutdown()
    serial_seconds = rows[0]["seconds"]
    for r in rows:
        if r["engine"] == "ray" and r["workers"] == 1 and r["documents"]:
            r["overhead_per_document"] = round((r["warm_seconds"] - serial_seconds) / r["documents"], 3)
    return rows
