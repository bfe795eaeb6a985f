"""Library API: process one file, run a batch into tables, analyze, load.

`process` chains the stages for one file and never raises for a bad file (STYLE.md §3);
`run` discovers inputs, processes them in worker processes with a time limit, commits each
document to the store and exports the tables. Nothing here prints.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import resource
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import errors
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

PathLike = str | os.PathLike[str]


@dataclass
class RunSummary:
    """Counts of a run, and where its tables are."""

    out: str
    total: int = 0
    ok: int = 0
    partial: int = 0
    error: int = 0
    skipped: int = 0
    pages: int = 0
    seconds: float = 0.0
    files: dict[str, str] = field(default_factory=dict)

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


def process_source(source: Source, settings: Settings | None = None) -> Document:
    """Run every stage on one discovered source; a bad file gives an error row, not an exception."""
    settings = Settings.resolve(settings)
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
        doc.text = "\n".join(ln.text for ln in layout.lines)
    except DocumentError as e:
        doc.fail(e.code, e.detail)
        if settings.strict:
            raise
    except MemoryError:
        doc.fail("memory", errors.MESSAGES["memory"])
        if settings.strict:
            raise
    except Exception as e:  # our bug: still one row, with a clear message
        doc.fail("internal", f"{type(e).__name__}: {e}")
        if settings.strict:
            raise
    return doc


def process(path: PathLike, settings: Settings | dict[str, Any] | None = None) -> Document:
    """Process one file into a Document (fields, sections, items); never raises for a bad file.

    Args:
        path: a .pdf, .docx, .doc, .txt or image file.
        settings: Settings, a dict of overrides, or None for defaults.

    Returns:
        The Document; `status` and `error` say what went wrong, if anything.

    Examples:
        >>> doc = process("data/samples/ket-luan-thanh-tra-tay-ninh-thang-5-2020.txt")  # doctest: +SKIP
        >>> doc.fields.doc_number, doc.fields.period_label  # doctest: +SKIP
        ('/TB-TTr', 'tháng 5/2020')
    """
    s = Settings.resolve(settings)
    sources = list(discover([path], s))
    if not sources:
        src = Source(path=str(path), error=errors.message("not_found"))
        return process_source(src, s)
    return process_source(sources[0], s)


def _limit_memory(max_mb: int) -> None:
    """Worker initializer: a per-process address-space limit turns a runaway file into MemoryError."""
    if max_mb > 0:
        limit = max_mb * 1024 * 1024
        try:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ValueError, OSError):
            pass
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def _process_many(sources: list[Source], settings: Settings) -> Iterator[Document]:
    """Process sources in worker processes, each with a time and memory limit; yield as they finish."""
    if settings.strict or not sources:
        for src in sources:
            yield process_source(src, settings)
        return
    from pebble import ProcessPool
    from pebble.common import ProcessExpired

    workers = max(1, min(settings.workers, len(sources)))
    memory_mb = settings.max_memory_mb
    # spawn, not fork: the parent holds a DuckDB connection and native libraries that are not fork-safe
    context = multiprocessing.get_context("spawn")
    with ProcessPool(max_workers=workers, initializer=_limit_memory, initargs=(memory_mb,), context=context) as pool:
        futures = [(src, pool.schedule(process_source, args=(src, settings), timeout=settings.timeout))
                   for src in sources]  # fmt: skip
        for src, fut in futures:
            try:
                yield fut.result()
            except FutureTimeout:
                doc = empty_document(src)
                doc.fail("timeout", f"stopped after {settings.timeout:g} s; {errors.MESSAGES['timeout']}")
                yield doc
            except ProcessExpired as e:
                doc = empty_document(src)
                code = "memory" if e.exitcode in (-9, 137) else "internal"
                doc.fail(code, f"the worker process died (exit code {e.exitcode}); {errors.MESSAGES[code]}")
                yield doc
            except Exception as e:  # pickling or pool errors: still one row
                doc = empty_document(src)
                doc.fail("internal", f"{type(e).__name__}: {e}")
                yield doc


def run(
    inputs: Iterable[PathLike],
    out: PathLike,
    settings: Settings | dict[str, Any] | None = None,
    on_document: Callable[[Document], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> RunSummary:
    """Process every file under `inputs` into the tables of DESIGN.md in `out`.

    Resumable: documents already stored with the same sha256 at the same path are skipped
    (unless `settings.force`); each finished document is committed on its own.

    Args:
        inputs: files, folders (recursive) and .zip archives.
        out: the output folder (created).
        settings: Settings, a dict of overrides, or None.
        on_document: called with each finished Document (the CLI draws its progress bar).
        on_total: called once with the number of files to process.

    Returns:
        A RunSummary with counts and the written files.
    """
    from .store import Store

    s = Settings.resolve(settings)
    started = time.monotonic()
    summary = RunSummary(out=str(out))
    with Store(out) as store:
        known = store.known()
        sources = list(discover(list(inputs), s))
        summary.total = len(sources)
        todo = [src for src in sources if s.force or not src.sha256 or known.get(src.path) != src.sha256]
        summary.skipped = len(sources) - len(todo)
        if on_total is not None:
            on_total(len(todo))
        for doc in _process_many(todo, s):
            store.commit(doc)
            setattr(summary, doc.status, getattr(summary, doc.status) + 1)
            summary.pages += doc.pages
            if on_document is not None:
                on_document(doc)
        summary.files = {k: str(v) for k, v in store.export().items()}
    summary.seconds = round(time.monotonic() - started, 3)
    return summary


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
