"""Tests of the review stage: needs_review and the reasons, from doubts, OCR confidence and plausibility."""

from __future__ import annotations

import unicodedata

import pytest

from ketluan.records import Document, Fields, Line, Page
from ketluan.review import flag_document, plausibility


def _doc(**fields: object) -> Document:
    return Document("d1", "tb.pdf", fields=Fields(**fields))  # type: ignore[arg-type]


def _page(*lines: tuple[str, float]) -> Page:
    return Page(1, lines=[Line(t, origin="ocr", confidence=c) for t, c in lines], source="ocr")


# fmt: off
@pytest.mark.parametrize("text, plausible", [
    ("Kết luận của Chủ tịch UBND tỉnh tại buổi làm việc", True),
    ("ỦY BAN NHÂN DÂN HUYỆN KRÔNG NÔ", True),
    ("VĂN PHÒNG HĐND&UBND", True),                  # joined abbreviations
    ("Phòng TN&MT", True),
    (unicodedata.normalize("NFD", "Báo cáo kết quả triển khai Đề án 06"), True),
    ("Vệ À .^A điều .À chỉnh k4 toán", False),      # a stamp's shadow read as letters
    ("uY BAN NgAN nAN", False),                     # an old OCR layer without diacritics
    ("", True),
])
# fmt: on
def test_review_plausibility_of_a_field(text: str, plausible: bool) -> None:
    assert (plausibility(text) >= 0.8) is plausible


# fmt: off
@pytest.mark.parametrize("fields, pages, reasons", [
    # the metadata stage's doubt is kept, the generic one dropped for the precise one
    (dict(title="V/v thu hồi giấy chứng nhận", review="issue_date: day not read; issue_date: not read"), [],
     "issue_date: day not read"),
    # a title read from a line OCR was unsure of
    (dict(title="Kết luận của Chủ tịch UBND huyện tại buổi đối thoại"),
     [_page(("Kết luận của Chủ tịch UBND huyện tại buổi đối thoại", 41.0))], "title: OCR confidence 41"),
    # the number line itself doubted by OCR
    (dict(doc_number="6/TB-UBND", title="Kết luận giao ban"),
     [_page(("Số: 6 /TB-UBND", 52.0), ("Kết luận giao ban", 95.0))], "doc_number: OCR confidence 52"),
    # seal debris in the issuer
    (dict(issuer="uY BAN NgAN nAN", title="Kết luận giao ban"), [], "issuer: unusual characters"),
])
# fmt: on
def test_review_flags_a_doubted_field(fields: dict[str, object], pages: list[Page], reasons: str) -> None:
    doc = _doc(**fields)
    flag_document(doc, pages)
    assert doc.fields.needs_review is True
    assert doc.fields.review == reasons


# fmt: off
@pytest.mark.parametrize("fields, pages", [
    # a born-digital conclusion: nothing to doubt
    (dict(doc_number="11/TB-UBND", title="Kết luận của Phó Chủ tịch UBND tỉnh tại cuộc họp",
          issuer="ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", signer_title="KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"), []),
    # a clean scan read with high confidence
    (dict(doc_number="43/TB-VP", title="Ý kiến kết luận và chỉ đạo của đồng chí Phó Chủ tịch UBND huyện"),
     [_page(("Số: 43 /TB-VP", 91.0), ("Ý kiến kết luận và chỉ đạo của đồng chí Phó Chủ tịch UBND huyện", 95.0))]),
])
# fmt: on
def test_review_leaves_a_sound_document_unflagged(fields: dict[str, object], pages: list[Page]) -> None:
    doc = _doc(**fields)
    flag_document(doc, pages)
    assert (doc.fields.needs_review, doc.fields.review) == (False, "")


def test_review_never_changes_a_value() -> None:
    doc = _doc(doc_number="/TB-UBND", title="Vệ À .^A điều", review="doc_number: number not read")
    flag_document(doc, [])
    assert (doc.fields.doc_number, doc.fields.title) == ("/TB-UBND", "Vệ À .^A điều")


@pytest.mark.parametrize(
    ("origin", "source", "confidence", "flagged"),
    [
        ("ocr", "text", 52.0, True),  # a text page whose name was read badly from the signature image
        ("ocr", "text", 88.0, False),  # read cleanly: clean print in an image, like the text layer
        ("text", "text", -1.0, False),  # the name printed in the text layer
        ("ocr", "ocr", 52.0, False),  # a scan: every line is OCR, nothing special about the name
    ],
)
def test_review_signer_name_read_from_signature_image(
    origin: str, source: str, confidence: float, flagged: bool
) -> None:
    doc = Document("d1", "bc77.pdf", fields=Fields(signer_title="KT.GIÁM ĐỐC / PHÓ GIÁM ĐỐC", signer_name="Phan Thị Hiếu"))
    lines = [Line("KT.GIÁM ĐỐC"), Line("Phan Thị Hiếu", origin=origin, confidence=confidence)]
    flag_document(doc, [Page(1, lines=lines, source=source)])
    assert ("signer_name: read by OCR from the signature image" in doc.fields.review) is flagged


# fmt: off
@pytest.mark.parametrize("reads, fields, reasons", [
    # the seal region of a scan gave the name (extract/signature.py records what it read)
    ({"signer_name": ("Trần Bình Tiến", 71.0)}, dict(signer_name="Trần Bình Tiến", signer_title="KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"),
     "signer_name: read from the seal region"),
    # the red stamp gave the title
    ({"signer_title": ("KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC", 80.0)}, dict(signer_title="KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC"),
     "signer_title: read from the stamp's red ink"),
    # a read that did not become the field flags nothing
    ({"signer_name": ("Trần Bình Tiến", 71.0)}, dict(signer_name=""), ""),
])
# fmt: on
def test_review_signer_read_from_the_seal_region(
    reads: dict[str, tuple[str, float]], fields: dict[str, object], reasons: str
) -> None:
    page = _page(("THÔNG BÁO", 93.0))
    page.handwriting.update(reads)
    doc = _doc(**fields)
    flag_document(doc, [page])
    assert doc.fields.review == reasons
    assert doc.fields.needs_review is bool(reasons)
