"""Typed records passed between stages, and the column lists of the output contract.

Every stage reads one of these records and returns the next; field names of `Fields`,
`Section` and `Item` are the column names of DESIGN.md. A failed document keeps empty
strings, never None.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from .errors import Problem

INPUT_KINDS = ("text_pdf", "scanned_pdf", "mixed_pdf", "image", "docx", "doc", "txt")
STATUSES = ("ok", "partial", "error")
PERIOD_KINDS = ("week", "month", "quarter", "half_year", "nine_months", "year", "other")
CATEGORIES = ("result", "limitation", "cause", "task", "other")
SECTION_CATEGORIES = (*CATEGORIES, "mixed")

DOCUMENT_COLUMNS = [
    "doc_id", "source_path", "sha256", "input_kind", "pages", "status", "error", "ocr_pages",
    "ocr_confidence", "issuer", "issuer_parent", "doc_number", "doc_type", "title", "place",
    "issue_date", "period_kind", "period_start", "period_end", "period_label", "meeting_date",
    "meeting_location", "chair", "signer_title", "signer_name", "recipients", "is_conclusion",
    "issuer_id", "duplicate_of", "needs_review", "review",
]  # fmt: skip
SECTION_COLUMNS = [
    "doc_id", "section_id", "parent_id", "seq", "level", "numbering", "heading", "category", "page",
]  # fmt: skip
ITEM_COLUMNS = [
    "doc_id", "item_id", "section_id", "seq", "category", "topic", "text", "actors", "deadline",
    "page", "confidence", "issuer", "issuer_id", "doc_number", "issue_date", "period_start", "period_end",
]  # fmt: skip


@dataclass(slots=True)
class Line:
    """One line of text in reading order, with what the page says about it.

    `gap_before` marks a paragraph boundary (a blank line, a vertical gap, a new DOCX
    paragraph); `column` is "left"/"right" for the two side-by-side header or signer
    columns and "" elsewhere; coordinates are in points (PDF) or pixels scaled to points (OCR).
    """

    text: str
    page: int = 1
    bold: bool = False
    italic: bool = False
    centered: bool = False
    size: float = 0.0
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    page_width: float = 0.0
    gap_before: bool = False
    column: str = ""
    origin: str = "text"  # text | ocr | docx | txt | table
    confidence: float = -1.0  # OCR mean word confidence 0-100, -1 when not OCR
    table_row: list[str] | None = None  # cells of a table row, when the line is one


@dataclass
class Page:
    """One page of a source file as lines; `source` records how its text was obtained."""

    number: int
    lines: list[Line] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0
    source: str = "text"  # text | ocr | none (no usable text and no OCR)
    ocr_confidence: float = -1.0
    error: str = ""  # what was lost on this page: a Problem ("ocr_unavailable: ..."), or legacy text
    # handwritten slots read with their ink: "number"/"day"/"month" -> (digits, "" when not clearly
    # digits; confidence 0-100)
    handwriting: dict[str, tuple[str, float]] = field(default_factory=dict)


@dataclass
class Source:
    """A file found by discovery: where it is, its content hash and what kind of input it is."""

    path: str  # as the user knows it: a file path, or "archive.zip!member/path.pdf"
    sha256: str = ""
    input_kind: str = ""  # provisional from the extension; refined by extraction
    data: bytes | None = None  # the bytes of a zip member (files on disk are read from `path`)
    error: str = ""  # a Problem(code, detail) when discovery itself already failed (bad zip member…)
    size: int = 0

    @property
    def name(self) -> str:
        """The file name without folders or archive prefix."""
        return self.path.replace("\\", "/").rsplit("!", 1)[-1].rsplit("/", 1)[-1]


@dataclass
class Layout:
    """A document cut into its parts (Nghị định 30/2020/NĐ-CP layout), lines in reading order."""

    header: list[Line] = field(default_factory=list)  # agency lines, Số, motto, place and date
    title: list[Line] = field(default_factory=list)  # type word line + trích yếu lines
    body: list[Line] = field(default_factory=list)
    recipients: list[Line] = field(default_factory=list)  # "Nơi nhận:" and its "- ...;" lines
    signer: list[Line] = field(default_factory=list)  # title lines, name, stamps
    lines: list[Line] = field(default_factory=list)  # everything, for fields the parts miss


@dataclass
class Block:
    """A paragraph of the body: wrapped lines joined, its outline marker split off.

    Passed from the sections stage to the items stage; `style` names the marker family
    ("roman", "upper", "arabic", "arabic_paren", "arabic2", "lower", "dash", "plus", "bullet", "" for none).
    """

    text: str
    page: int = 1
    marker: str = ""
    style: str = ""
    bold: bool = False
    upper: bool = False
    section_id: str = ""
    heading: bool = False
    table_row: list[str] | None = None
    table_header: list[str] | None = None


@dataclass
class Fields:
    """Document-level metadata: the `documents.csv` columns read from the text."""

    issuer: str = ""
    issuer_parent: str = ""
    doc_number: str = ""
    doc_type: str = ""
    title: str = ""
    place: str = ""
    issue_date: str = ""
    period_kind: str = ""
    period_start: str = ""
    period_end: str = ""
    period_label: str = ""
    meeting_date: str = ""
    meeting_location: str = ""
    chair: str = ""
    signer_title: str = ""
    signer_name: str = ""
    recipients: str = ""
    is_conclusion: bool = False
    issuer_id: str = ""  # the issuing body and where it sits: "so-tai-nguyen-va-moi-truong/tinh-binh-phuoc"
    duplicate_of: str = ""  # the doc_id kept when this file is another copy of the same issued document
    needs_review: bool = False  # a field a person should check (the reasons are in `review`)
    review: str = ""  # "doc_number: handwriting not read; issue_date: day not read"


@dataclass
class Section:
    """A node of the body's outline tree ("I.", "1.", "1.1.", "a)", bold headings)."""

    section_id: str
    parent_id: str = ""
    seq: int = 0
    level: int = 0
    numbering: str = ""
    heading: str = ""
    category: str = "other"
    page: int = 1


@dataclass
class Item:
    """One atomic statement of the body (ANNOTATION.md "How text is cut into items")."""

    item_id: str
    section_id: str = ""
    seq: int = 0
    category: str = "other"
    topic: str = ""
    text: str = ""
    actors: str = ""  # "; "-joined
    deadline: str = ""  # ISO date
    page: int = 1
    confidence: float = 1.0


@dataclass
class Document:
    """One per input file, always, even when it fails."""

    doc_id: str
    source_path: str
    sha256: str = ""
    input_kind: str = ""
    pages: int = 0
    status: str = "ok"
    error: str = ""  # a Problem when status is error; what was lost ("page 2: ocr_failed: ...") when partial
    ocr_pages: int = 0
    ocr_confidence: float | str = ""
    fields: Fields = field(default_factory=Fields)
    sections: list[Section] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    text: str = ""  # the normalized text, kept for tests and evaluation; not a contract column

    def fail(self, code: str, detail: str) -> None:
        """Mark the document failed: status error, `Problem(code, detail)` in `error`, no items."""
        self.status = "error"
        self.error = Problem(code, detail)
        self.sections = []
        self.items = []

    @property
    def error_code(self) -> str:
        """The code of a failed document's error ("" unless status is error).

        Examples:
            >>> doc = Document(doc_id="x", source_path="tb-ket-luan.pdf")
            >>> doc.fail("encrypted_pdf", "")
            >>> doc.error_code
            'encrypted_pdf'
        """
        return Problem.of(self.error).code if self.status == "error" and self.error else ""

    def warn(self, message: str) -> None:
        """Mark the document partial: rows came out but `message` says what was lost."""
        if self.status == "ok":
            self.status = "partial"
        self.error = f"{self.error}; {message}" if self.error else message

    def qualify_ids(self) -> None:
        """Make section and item ids unique across documents: "s2" -> "<doc_id>:s2"."""
        prefix = f"{self.doc_id}:"

        def q(local: str) -> str:
            return local if not local or local.startswith(prefix) else prefix + local

        for s in self.sections:
            s.section_id, s.parent_id = q(s.section_id), q(s.parent_id)
        for it in self.items:
            it.item_id, it.section_id = q(it.item_id), q(it.section_id)

    def document_row(self) -> dict[str, Any]:
        """The `documents.csv` row, columns in contract order."""
        row: dict[str, Any] = {
            "doc_id": self.doc_id, "source_path": self.source_path, "sha256": self.sha256,
            "input_kind": self.input_kind, "pages": self.pages, "status": self.status,
            "error": self.error, "ocr_pages": self.ocr_pages, "ocr_confidence": self.ocr_confidence,
        }  # fmt: skip
        row.update(dataclasses.asdict(self.fields))
        return {c: row[c] for c in DOCUMENT_COLUMNS}

    def section_rows(self) -> list[dict[str, Any]]:
        """The `sections.csv` rows of this document."""
        return [{"doc_id": self.doc_id, **dataclasses.asdict(s)} for s in self.sections]

    def item_rows(self) -> list[dict[str, Any]]:
        """The `items.csv` rows, each carrying the document fields analysts filter by."""
        f = self.fields
        rows = []
        for it in self.items:
            row = {"doc_id": self.doc_id, **dataclasses.asdict(it)}
            row.update(issuer=f.issuer, issuer_id=f.issuer_id, doc_number=f.doc_number, issue_date=f.issue_date,
                       period_start=f.period_start, period_end=f.period_end)  # fmt: skip
            rows.append({c: row[c] for c in ITEM_COLUMNS})
        return rows
