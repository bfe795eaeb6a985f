"""Metadata, cross-checks: the doubts one field casts on another, and a value no field can hold.

Reads the fields just read and the layout's lines (whether they came from OCR) and returns the
doubts a reviewer should see ("issue_date: day not read", "issue_date: before the meeting date");
drops a signer name that is the document's place (an e-signature box's "Cơ quan: Tỉnh / Đắk
Nông" wrapped under the title). Never guesses a value.
"""

from __future__ import annotations

import datetime as dt

from ..records import Fields, Layout
from ..text.dates import parse_iso_date
from ..text.orthography import bare

MEETING_TO_ISSUE_DAYS = 366  # a conclusion is issued within a year of its meeting
# Types printed without a trích yếu as often as with one (Nghị định 30/2020, Phụ lục III: an
# invitation names its meeting in the body); every other type word has its title under it.
TITLE_OPTIONAL = frozenset({"giấy mời"})


def _scanned(layout: Layout) -> bool:
    """True when the first page was read by OCR (a scan, where handwriting fills the slots)."""
    head = layout.header or layout.lines[:20]
    return any(line.origin == "ocr" for line in head)


def cross_check(fields: Fields, layout: Layout) -> list[str]:
    """Doubts about the fields, from how they were read and from each other; mends the signer.

    Examples:
        >>> from ketluan.records import Line
        >>> f = Fields(doc_number="/TB-UBND", title="V/v kết quả tiếp công dân", place="Krông Nô",
        ...            signer_name="Krông Nô")
        >>> cross_check(f, Layout(lines=[Line("Số: /TB-UBND", origin="ocr")])), f.signer_name
        (['doc_number: number not read', 'issue_date: not read'], '')
        >>> cross_check(Fields(doc_number="/TB-UBND", place="Lâm Đồng"), Layout(lines=[Line("Số: /TB-UBND", origin="docx")]))
        []
        >>> cross_check(Fields(doc_number="/PT-NC", doc_type="Phiếu trình"), Layout(lines=[Line("Số: /PT-NC", origin="docx")]))
        ['title: not found']
    """
    doubts: list[str] = []
    if fields.signer_name and bare(fields.signer_name, key=True) == bare(fields.place, key=True):
        fields.signer_name = ""
    scanned = _scanned(layout)
    if scanned and (not fields.doc_number or fields.doc_number.startswith(("/", "-"))):
        doubts.append("doc_number: number not read")  # a blank slot on a scan: handwriting lost
    if scanned and not fields.issue_date:
        doubts.append("issue_date: not read")
    if not fields.title and (scanned or (fields.doc_type and fields.doc_type.lower() not in TITLE_OPTIONAL)):
        doubts.append("title: not found")
    issued, met = parse_iso_date(fields.issue_date), parse_iso_date(fields.meeting_date)
    if issued and met:
        if issued < met:
            doubts.append("issue_date: before the meeting date")
        elif issued - met > dt.timedelta(days=MEETING_TO_ISSUE_DAYS):
            doubts.append("issue_date: over a year after the meeting")
    return doubts
