"""One document through every stage: `Source` -> `Document`, never raising for a bad file.

Reads a discovered Source (a URL source's bytes are fetched here, in the worker) and chains
extract -> normalize -> layout -> metadata -> sections -> items (STYLE.md §3). A bad file
becomes a row with status error; only strict mode raises. It never writes and never prints.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from . import errors, remote
from .config import Settings
from .errors import DocumentError, Problem
from .records import Document, Layout, Source

if TYPE_CHECKING:
    from .metadata.evidence import Evidence

# The stages are imported by `process_source`, where a document is read: a run's own process (the
# engine, the store, the exports) never needs them when its documents are read in other processes.


def doc_id_for(sha256: str, path: str) -> str:
    """A document's id: the first 16 hex digits of its content hash (of its path if unreadable).

    Examples:
        >>> doc_id_for("907a2ed1a172817c" + "0" * 48, "luu-tru/tb-ket-luan-thang-5.pdf")
        '907a2ed1a172817c'
        >>> doc_id_for("", "khong-co/ket-luan.pdf")[0]
        'x'
    """
    if sha256:
        return sha256[:16]
    return "x" + hashlib.sha256(path.encode("utf-8", "surrogatepass")).hexdigest()[:15]


def empty_document(source: Source) -> Document:
    """The row a source gets before anything is read: id, path, kind, hash.

    Examples:
        >>> empty_document(Source(path="tb-ket-luan.txt", input_kind="txt")).status
        'ok'
    """
    return Document(
        doc_id=doc_id_for(source.sha256, source.path), source_path=source.path,
        sha256=source.sha256, input_kind=source.input_kind,
    )  # fmt: skip


def load_stages() -> None:
    """Import every stage `process_source` runs, e.g. before worker processes are forked (they
    share what is loaded then)."""
    from . import identity, items, layout, metadata, normalize, review, sections  # noqa: F401
    from .extract import esign  # noqa: F401
    from .metadata import evidence  # noqa: F401


def _classifier(settings: Settings) -> Callable[..., Any] | None:
    """The trained textcat's classify function, or None when it is switched off or not installed."""
    if not settings.textcat:
        return None
    try:
        from . import nlp  # spaCy and the model load only when items are classified

        return nlp.classify if nlp.model_available() else None
    except ImportError:
        return None


def _actor_finder() -> Callable[[str], list[str]] | None:
    """The agency finder of tasks, or None when its NLP dependencies are missing."""
    try:
        from . import actors  # underthesea loads only when tasks are read

        return actors.find_actors
    except ImportError:
        return None


def _known_error(exc: BaseException) -> DocumentError | None:
    """A library exception that means a bad file, as the DocumentError it stands for."""
    if type(exc).__name__ == "DecompressionBombError":  # PIL: more pixels than it decodes safely
        from .extract import too_many_pixels

        return DocumentError("too_large", too_many_pixels(str(exc)))
    return None


def _evidence(source: Source, kind: str, layout: Layout) -> Evidence:
    """What lies outside the page of one source: its file name and its e-signatures' dates
    (the PDF's signature dictionaries, else the printed "Thời gian ký: ..." box)."""
    from .extract.esign import pdf_signing_times, printed_signing_dates
    from .metadata.evidence import Evidence

    signed = [t.date() for t in pdf_signing_times(source.data or b"")] if kind.endswith("pdf") else []
    if not signed:
        signed = printed_signing_dates(line.text for line in layout.lines)
    return Evidence(file_name=source.name, signed=tuple(signed), input_kind=kind)


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
    from .extract import extract_pages, read_bytes, stable_message
    from .identity import issuer_id_of
    from .items import sections_to_items
    from .layout import pages_to_layout
    from .metadata import layout_to_fields
    from .metadata.evidence import fill_from_outside
    from .normalize import normalize_pages
    from .review import flag_document
    from .sections import body_to_sections

    settings = Settings.resolve(settings)
    source = remote.fetch(source, settings)  # a URL source's bytes are read here, where it is processed
    doc = empty_document(source)
    try:
        if source.error:
            raise Problem.of(source.error, fallback="corrupt_file").exception()
        # Read once, hash what was read, parse those bytes: a file changed since discovery is
        # stored under the hash of the content its fields come from.
        data = read_bytes(source, settings)
        digest = hashlib.sha256(data).hexdigest()
        if digest != source.sha256:
            doc.sha256, doc.doc_id = digest, doc_id_for(digest, source.path)
        source = replace(source, data=data, sha256=digest, size=len(data))
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
                raise Problem.of(lost[0].error).exception()
            raise DocumentError("no_text")
        for p in lost:
            doc.warn(f"page {p.number}: {p.error}")
        layout = pages_to_layout(pages)
        doc.fields = layout_to_fields(layout)
        fill_from_outside(doc.fields, layout, _evidence(source, doc.input_kind, layout))
        doc.fields.issuer_id = issuer_id_of(doc.fields)
        doc.sections, blocks = body_to_sections(layout.body)
        doc.items = sections_to_items(doc.sections, blocks, doc.fields, settings,
                                      classifier=_classifier(settings), actor_finder=_actor_finder())  # fmt: skip
        doc.qualify_ids()
        flag_document(doc, pages)
        doc.text = "\n".join(ln.text for ln in layout.lines)
    except DocumentError as e:
        doc.fail(e.code, e.detail)
        if settings.strict:
            e.path = source.path
            raise
    except MemoryError as e:
        doc.fail("memory", errors.MESSAGES["memory"])
        if settings.strict:
            raise Problem("memory").exception(source.path) from e
    except (Exception, SystemExit) as e:  # our bug, or a library's (even exit()): still one row
        known = _known_error(e) if isinstance(e, Exception) else None
        if known is not None:
            doc.fail(known.code, known.detail)
        else:
            doc.fail("internal", stable_message(f"{type(e).__name__}: {e}"))
        if settings.strict:
            if known is not None:
                known.path = source.path
                raise known from e
            raise
    return doc
