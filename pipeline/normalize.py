"""Normalize stage: list[Page] -> list[Page], text-level clean-up of every Line.

Reads extracted pages; returns new pages whose line texts are NFC, in one tone-mark style
(hòa, thúy), converted from TCVN3/VNI when the text is legacy-encoded (`text.canonical`, with the
encoding decided once per document), OCR lines re-accented (`ocr_correct`), with page numbers,
running headers and e-signature stamp lines dropped. Never joins lines into paragraphs and
never changes line order.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .config import DATA_DIR
from .ocr_correct import correct_line
from .records import Line, Page
from .text.canonical import normalize_text
from .text.legacy import detect_legacy
from .text.orthography import alternation

LEGACY_DIR = DATA_DIR / "legacy"

# Page furniture.
PAGE_NUMBER = re.compile(r"^[-–—]?\s*\d{1,3}\s*[-–—]?$")  # "2", "- 2 -"
PAGE_OF = re.compile(r"^\d{1,3}\s*/\s*\d{1,3}$")  # "2/5"
TIMESTAMP = re.compile(
    r"^(?:\d{1,2}[./-]\d{1,2}[./-]\d{4}|\d{4}[./-]\d{1,2}[./-]\d{1,2})[ ,T]+\d{1,2}:\d{2}(?::\d{2})?"
    r"(?:\s*(?:[+-]\d{2}:?\d{2}|(?:GMT|UTC)\s*[+-]?\d{0,2}(?::?\d{2})?|[AP]M))*$",
    re.IGNORECASE,
)  # "09.01.2025 10:21:11 +07:00"
EMAIL_LINE = re.compile(
    r"^(?:E-?mail\s*:\s*)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+\.?$", re.IGNORECASE
)  # "ttcbth@quangngai.gov.vn"
RUNNING_KEY_JUNK = re.compile(r"[\d\W_]+")  # digits and punctuation ignored: "Trang 2 - TB 11/TB-UBND"
MAX_RUNNING_CHARS = 120  # a running header is a short line
EDGE_LINES = 3  # lines at the top and at the bottom of a page looked at for running headers
HEADER_LINES = 8  # the quốc hiệu of a document sits in its first lines


def normalize_pages(pages: list[Page]) -> list[Page]:
    """Normalize every line of a document and drop page furniture.

    Line texts go through `normalize_text` (legacy encoding decided once for the document);
    lines that become empty, page-number lines ("2", "- 2 -", "Trang 2/5") at the top or
    bottom of a page (anywhere in plain text), running headers and footers (the same short
    line, digits ignored, at an edge of at least half the pages of a document of 3 or more
    pages) and e-signature stamp lines ("Người ký: ...", "Thời gian ký: ...") are dropped.
    Lines read by OCR (`origin == "ocr"`) then get diacritics OCR dropped back where a
    lexicon leaves no doubt (`ocr_correct.correct_line`: "PHO CHU TỊCH" -> "PHÓ CHỦ TỊCH").
    Other Line attributes are kept; a dropped line's `gap_before` passes to the next kept
    line of the same page.

    Args:
        pages: the pages of one document, as extracted.

    Returns:
        New Page objects; the input is not modified.

    Examples:
        >>> p = Page(1, [Line("Ủy ban nhân dân tỉnh"), Line("2", page=1)])
        >>> [ln.text for ln in normalize_pages([p])[0].lines]
        ['Ủy ban nhân dân tỉnh']
    """
    furniture = _furniture()
    all_text = "\n".join(ln.text for page in pages for ln in page.lines)
    encoding = detect_legacy(unicodedata.normalize("NFC", all_text))
    texts = [[_line_text(ln, encoding, page.source == "ocr") for ln in page.lines] for page in pages]
    drops: list[list[bool]] = []
    for page, page_texts in zip(pages, texts, strict=True):
        dropped = [not t for t in page_texts]
        _drop_stamps(page.lines, page_texts, dropped, furniture)
        _drop_plain_text_page_numbers(page.lines, page_texts, dropped, furniture)
        drops.append(dropped)
    running = _running_keys(pages, texts, drops, furniture)
    result = []
    for page, page_texts, dropped in zip(pages, texts, drops, strict=True):
        _drop_edges(page.lines, page_texts, dropped, running, furniture)
        kept = _kept_lines(page.lines, page_texts, dropped, encoding, page.source == "ocr")
        result.append(dataclasses.replace(page, lines=kept))
    return result


def _from_ocr(line: Line, ocr_page: bool) -> bool:
    """An OCR line, or a row of a ruled table read by OCR (its origin is "table" on any page)."""
    return line.origin == "ocr" or (ocr_page and line.origin == "table")


def _line_text(line: Line, encoding: str, ocr_page: bool = False) -> str:
    """A Line's normalized text; OCR lines also get the diacritics OCR lost back (ocr_correct)."""
    text = _normalize_line_text(line.text, encoding)
    return correct_line(text) if text and _from_ocr(line, ocr_page) else text


def _normalize_line_text(text: str, encoding: str) -> str:
    """One Line's text: normalized with the document's encoding, on one line."""
    return normalize_text(text, encoding).replace("\n", " ")


# ---------------------------------------------------------------- page furniture


@dataclass(frozen=True)
class _Furniture:
    """Compiled patterns from data/legacy/furniture.json."""

    strong_label: re.Pattern[str]
    weak_label: re.Pattern[str]
    inline_label: re.Pattern[str]
    page_word: re.Pattern[str]
    signer_title: re.Pattern[str]
    protected: frozenset[str]


@lru_cache(maxsize=1)
def _furniture() -> _Furniture:
    """Stamp labels, page words and protected lines, compiled once."""
    data: dict[str, Any] = json.loads((LEGACY_DIR / "furniture.json").read_text(encoding="utf-8"))
    strong = alternation(data["stamp_labels_strong"])
    weak = alternation(data["stamp_labels_weak"])
    words = alternation(data["page_words"])
    return _Furniture(
        # "Người ký: Ủy ban Nhân dân tỉnh Quảng Ngãi", "Signature Not Verified"
        strong_label=re.compile(rf"^(?:{strong})(?:\s*:|\s*$)", re.IGNORECASE),
        # "Cơ quan: Tỉnh Quảng Ngãi", "Email: vp@quangngai.gov.vn"
        weak_label=re.compile(rf"^(?:{weak})\s*:\s*\S", re.IGNORECASE),
        # "TRUNG TÂM CÔNG BÁO Cơ quan: Tỉnh Quảng Ngãi" (two stamp columns on one line)
        inline_label=re.compile(rf"\s(?:{strong}|{weak})\s*:", re.IGNORECASE),
        # "Trang 2", "Trang 2/5", "Page 2 of 5"
        page_word=re.compile(rf"^(?:{words})\s*\d{{1,3}}(?:\s*(?:/|trên|of)\s*\d{{1,3}})?$", re.IGNORECASE),
        # "KT. CHỦ TỊCH", "PHÓ CHÁNH VĂN PHÒNG"
        signer_title=re.compile(rf"^(?:{alternation(data['signer_title_starts'])})(?:\s|$)"),
        protected=frozenset(_running_key(normalize_text(line)) for line in data["protected_lines"]),
    )


def is_page_number(text: str) -> bool:
    """Whether a normalized line is only a page number ("2", "- 2 -", "Trang 2/5", "2/5").

    Examples:
        >>> is_page_number("- 3 -"), is_page_number("Trang 2/5"), is_page_number("2024")
        (True, True, False)
    """
    return bool(PAGE_NUMBER.match(text) or PAGE_OF.match(text) or _furniture().page_word.match(text))


def _stamp_strength(text: str, furniture: _Furniture) -> int:
    """2 for a line only a signature stamp prints, 1 for one that may be, 0 otherwise."""
    if furniture.strong_label.match(text) or TIMESTAMP.match(text):
        return 2
    if furniture.weak_label.match(text) or EMAIL_LINE.match(text):
        return 1
    return 0


def _is_stamp_org(text: str) -> bool:
    """A short capitalised line, as the organisation name a stamp prints above its e-mail."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and len(text) <= 60 and text.isupper() and text[-1] not in ".;:,"


def _drop_stamps(lines: list[Line], texts: list[str], dropped: list[bool], furniture: _Furniture) -> None:
    """Drop e-signature stamp lines in place; a stamp column merged into a line is cut off.

    A run of consecutive stamp-like lines is a stamp when it holds a strong line (a
    "Người ký:"/"Thời gian ký:" label or a timestamp) or two weak ones ("Cơ quan:", an
    e-mail). Capitalised lines right above a stamp's e-mail line are the stamping body's name.
    """
    strength = [0] * len(texts)
    prefix = [""] * len(texts)
    for i, text in enumerate(texts):
        if dropped[i]:
            continue
        strength[i] = _stamp_strength(text, furniture)
        if not strength[i]:
            inline = furniture.inline_label.search(text)
            if inline and _stamp_strength(text[inline.start() :].strip(), furniture):
                strength[i] = _stamp_strength(text[inline.start() :].strip(), furniture)
                prefix[i] = text[: inline.start()].strip()
    i = 0
    while i < len(texts):
        if not strength[i]:
            i += 1
            continue
        j = i
        while j < len(texts) and (strength[j] or not texts[j]):
            j += 1
        run = [k for k in range(i, j) if strength[k]]
        if max(strength[k] for k in run) == 2 or len(run) >= 2:
            for k in run:
                if prefix[k]:
                    texts[k] = prefix[k]  # keep what stood left of the stamp column
                else:
                    dropped[k] = True
            for k in run:
                if not prefix[k] and EMAIL_LINE.match(texts[k]):
                    _drop_org_lines_above(lines, texts, dropped, k, furniture)
        i = j


def _drop_org_lines_above(
    lines: list[Line], texts: list[str], dropped: list[bool], k: int, furniture: _Furniture
) -> None:
    """Drop up to two capitalised lines directly above stamp line k ("TRUNG TÂM CÔNG BÁO").

    A signer title ("PHÓ CHÁNH VĂN PHÒNG") is never the stamp's name, nor a line printed in
    another font size than the stamp's e-mail line.
    """
    count = 0
    m = k - 1
    while m >= 0 and count < 2:
        if not texts[m]:  # an empty line is no barrier
            m -= 1
            continue
        size_differs = lines[m].size > 0 and lines[k].size > 0 and abs(lines[m].size - lines[k].size) > 1.0
        if (
            dropped[m]
            or size_differs
            or not _is_stamp_org(texts[m])
            or furniture.signer_title.match(texts[m])
        ):
            return
        dropped[m] = True
        count += 1
        m -= 1


def _drop_plain_text_page_numbers(
    lines: list[Line], texts: list[str], dropped: list[bool], furniture: _Furniture
) -> None:
    """In plain text (no page geometry) a lone page-number line is dropped wherever it is."""
    for i, line in enumerate(lines):
        if line.origin == "txt" and not dropped[i] and is_page_number(texts[i]):
            dropped[i] = True


def _running_key(text: str) -> str:
    """Key of a normalized line for running headers: casefolded, digits and punctuation removed."""
    return RUNNING_KEY_JUNK.sub(" ", text.casefold()).strip()


def _edge_indexes(dropped: list[bool]) -> tuple[list[int], list[int]]:
    """Indexes of the first and last EDGE_LINES kept lines of a page."""
    kept = [i for i, d in enumerate(dropped) if not d]
    return kept[:EDGE_LINES], kept[-EDGE_LINES:]


def _starts_document(texts: list[str], dropped: list[bool], furniture: _Furniture) -> bool:
    """Whether the page opens a document: its first lines hold the quốc hiệu or tiêu ngữ."""
    kept = [texts[i] for i, d in enumerate(dropped) if not d][:HEADER_LINES]
    return any(_running_key(t) in furniture.protected for t in kept)


def _running_keys(
    pages: list[Page], texts: list[list[str]], drops: list[list[bool]], furniture: _Furniture
) -> frozenset[str]:
    """Keys of lines at a page edge on at least half of the pages (documents of 3+ pages)."""
    if len(pages) < 3:
        return frozenset()
    counts: dict[str, int] = {}
    for page_texts, dropped in zip(texts, drops, strict=True):
        if _starts_document(page_texts, dropped, furniture):
            continue  # a document's own header and signature are no running lines (bundled scans)
        top, bottom = _edge_indexes(dropped)
        keys = {_running_key(page_texts[i]) for i in top + bottom if len(page_texts[i]) <= MAX_RUNNING_CHARS}
        for key in keys - {""}:
            counts[key] = counts.get(key, 0) + 1
    need = max(2, math.ceil(len(pages) / 2))
    return frozenset(k for k, n in counts.items() if n >= need and k not in furniture.protected)


def _drop_edges(
    lines: list[Line], texts: list[str], dropped: list[bool], running: frozenset[str], furniture: _Furniture
) -> None:
    """Peel page numbers and running headers/footers off the top and the bottom of a page."""
    starts_document = _starts_document(texts, dropped, furniture)

    def furniture_line(i: int, at_top: bool) -> bool:
        if lines[i].origin == "table" or lines[i].table_row is not None:
            return False
        if is_page_number(texts[i]):
            return True
        if at_top and starts_document:
            return False
        return len(texts[i]) <= MAX_RUNNING_CHARS and _running_key(texts[i]) in running

    _peel(dropped, lambda i: furniture_line(i, True), range(len(lines)))
    _peel(dropped, lambda i: furniture_line(i, False), range(len(lines) - 1, -1, -1))


def _peel(dropped: list[bool], is_furniture: Callable[[int], bool], order: range) -> None:
    """Drop lines in `order` while they are furniture, skipping lines already dropped."""
    for i in order:
        if dropped[i]:
            continue
        if not is_furniture(i):
            return
        dropped[i] = True


def _kept_lines(
    lines: list[Line], texts: list[str], dropped: list[bool], encoding: str, ocr_page: bool = False
) -> list[Line]:
    """New Line objects for the kept lines; a dropped line's gap_before goes to the next one."""
    out: list[Line] = []
    pending_gap = False
    for line, text, drop in zip(lines, texts, dropped, strict=True):
        if drop:
            pending_gap = pending_gap or line.gap_before
            continue
        row = None
        if line.table_row is not None:
            row = [_normalize_line_text(c, encoding) for c in line.table_row]
            if _from_ocr(line, ocr_page):
                row = [correct_line(c) if c else c for c in row]
        out.append(
            dataclasses.replace(line, text=text, gap_before=line.gap_before or pending_gap, table_row=row)
        )
        pending_gap = False
    return out
