"""Review flags: Document -> needs_review and the reasons a person should check a field.

Reads the fields of one processed document, the doubts the metadata stage left in `review`
("doc_number: number not read") and what its pages say about how they were read (OCR
confidence per line, character plausibility); writes `fields.needs_review` and `fields.review`.
Never changes a field's value.
"""

from __future__ import annotations

import re
import unicodedata

from .records import Document, Line, Page
from .text.markup import clean
from .text.orthography import bare, is_syllable

LOW_CONFIDENCE = 75.0  # OCR mean word confidence (0-100) under which a field's line is doubted
# A name read from a text page's signature image (a printed name in an image, clean print): on
# the real e-signed reports right names read at 73-96 and tone slips ("Tắn" for "Tấn") at 82-88,
# so confidence cannot tell them apart there; only a reading under this is doubted.
SIGNATURE_IMAGE_CONFIDENCE = 70.0
PLAUSIBLE_SHARE = 0.8  # share of words that are Vietnamese syllables in a plausible field
EDGE_PUNCT = " ,;:.()\"'“”-–"  # around a word: "(để", "huyện,"
ABBREVIATION = re.compile(
    r"^[^\W\d_]{1,4}(?:[/.&-][^\W\d_]{1,6})+\.?$"
)  # "V/v", "TP.HCM", "HĐND&UBND", "TN&MT"
NUMBER_HEAD = re.compile(r"^\W*S[oốóồổỗộ]\b", re.IGNORECASE)  # "Số: 85/BC-STC", OCR "Sô:"
CHECKED_FIELDS = ("issuer", "title", "signer_title", "signer_name")


def plausibility(text: str) -> float:
    """Share of the words of `text` that are Vietnamese syllables or abbreviations (1.0 for none).

    A word is a syllable ("luận"), a capital abbreviation ("UBND", "HĐND") or an abbreviation
    with a slash or dot inside ("V/v", "Đ/c", "TP."); stray letters and letters mixed with
    digits ("k4", ".^A") are not; numbers and punctuation are not counted.

    Examples:
        >>> plausibility("V/v kết quả tiếp công dân ngày 15/5/2019")
        1.0
        >>> round(plausibility("Vệ À .^A điều .À chỉnh k4 toán"), 2) < 0.8
        True
    """
    good = total = 0
    for token in unicodedata.normalize("NFC", text).split():
        word = token.strip(EDGE_PUNCT)
        if not any(c.isalpha() for c in word):
            continue
        total += 1
        if ABBREVIATION.match(word) or (
            len(word) >= 2 and word.isalpha() and (is_syllable(word) or word.isupper())
        ):
            good += 1
    return good / total if total else 1.0


def _first_page_ocr_lines(pages: list[Page]) -> list[Line]:
    """The OCR'd lines of the first page that has text (where the header and title are)."""
    for page in pages:
        if page.lines:
            return [ln for ln in page.lines if ln.origin == "ocr" and ln.confidence >= 0]
    return []


def _confidence_of(value: str, lines: list[Line]) -> float | None:
    """Lowest OCR confidence of the lines a field's value was read from, None when none is OCR."""
    if not value:
        return None
    key = bare(value, key=True)
    confs = [
        ln.confidence for ln in lines if len(clean(ln.text)) >= 4 and bare(clean(ln.text), key=True) in key
    ]
    return min(confs) if confs else None


def flag_document(doc: Document, pages: list[Page]) -> None:
    """Set `needs_review` and `review` ("; "-joined reasons) on a processed document.

    Reasons: the metadata stage's doubts (a number or day that is not digits, a blank slot on a
    scan, dates that contradict each other), a field read from OCR lines of low confidence
    ("title: OCR confidence 41"), and a field whose words are mostly not Vietnamese syllables
    ("issuer: unusual characters").

    Examples:
        >>> from ketluan.records import Fields
        >>> doc = Document("d1", "tb.pdf", fields=Fields(title="Vệ À .^A điều .À chỉnh k4 toán"))
        >>> page = Page(1, lines=[Line("Vệ À .^A điều .À chỉnh k4 toán", origin="ocr", confidence=41)])
        >>> flag_document(doc, [page]); doc.fields.needs_review, doc.fields.review
        (True, 'title: OCR confidence 41; title: unusual characters')
    """
    f = doc.fields
    reasons = [r for r in f.review.split("; ") if r]
    ocr_lines = _first_page_ocr_lines(pages)
    if ocr_lines:
        for name in ("title", "issuer"):
            conf = _confidence_of(getattr(f, name), ocr_lines)
            if conf is not None and conf < LOW_CONFIDENCE:
                reasons.append(f"{name}: OCR confidence {conf:.0f}")
        number_lines = [ln for ln in ocr_lines[:25] if NUMBER_HEAD.match(clean(ln.text))]
        if f.doc_number and number_lines and number_lines[0].confidence < LOW_CONFIDENCE:
            reasons.append(f"doc_number: OCR confidence {number_lines[0].confidence:.0f}")
    image_confs = [
        ln.confidence
        for p in pages
        if p.source == "text"
        for ln in p.lines
        if f.signer_name and ln.origin == "ocr" and clean(ln.text) == f.signer_name
    ]  # a text page whose signer name was printed only in the signature image (extract/pdf.py)
    if image_confs and min(image_confs) < SIGNATURE_IMAGE_CONFIDENCE:
        reasons.append(
            f"signer_name: read by OCR from the signature image, confidence {min(image_confs):.0f}"
        )
    scan_reads = {k for p in pages if p.source == "ocr" for k in p.handwriting}  # extract/signature.py
    if f.signer_name and "signer_name" in scan_reads:
        reasons.append("signer_name: read from the seal region")
    if f.signer_title and "signer_title" in scan_reads:
        reasons.append("signer_title: read from the stamp's red ink")
    for name in CHECKED_FIELDS:
        if plausibility(getattr(f, name)) < PLAUSIBLE_SHARE:
            reasons.append(f"{name}: unusual characters")
    # "issue_date: day not read" says more than "issue_date: not read": keep the precise one
    fields_with_reason = {r.split(":")[0] for r in reasons if not r.endswith(": not read")}
    reasons = [r for r in reasons if not (r.endswith(": not read") and r.split(":")[0] in fields_with_reason)]
    f.review = "; ".join(dict.fromkeys(reasons))
    f.needs_review = bool(reasons)
