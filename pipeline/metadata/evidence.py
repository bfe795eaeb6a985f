"""Metadata, evidence from outside the page: a number or date the printed frame leaves empty.

Reads the fields just read, the layout (the printed "Số: ___/TB-UBND" frame and the place-date
line's month and year) and what lies outside the page (the file's own name, the e-signature's
signing times); fills `doc_number` or `issue_date` only where the page's slot is empty on an
issued document, only with evidence that agrees with what is printed, and always with a review
reason naming the source ("doc_number: from the file name"). Never changes a value the page gave.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..records import Fields, Layout
from ..text.closed import type_abbreviation
from ..text.dates import EARLIEST_YEAR, parse_iso_date, read_slot_parts
from ..text.markup import clean
from ..text.orthography import bare
from .header import header_lines, join_wrapped_date, read_place_date_checked

DATA = Path(__file__).resolve().parents[2] / "data" / "metadata" / "doc_types.json"
# An editable file (a Word draft, plain text) with an empty slot is a draft not yet numbered or
# dated (ANNOTATION.md "Blank or placeholder number"): nothing outside it may fill the slot.
EDITABLE_KINDS = frozenset({"docx", "doc", "txt"})
# A conclusion is issued within a year of its meeting (as metadata/checks.py); a signature more
# than this many days after the printed month is a later copy (Công báo), not the issuing one.
MEETING_TO_ISSUE_DAYS = 366
# A number in a file name: 1-5 digits, no leading zero, standing apart from other digits and
# letters on the side away from its mark: "tb267_2019.pdf", "TB-267-UBND.pdf", "267_TB-UBND.pdf",
# "qd68.pdf", "77BC kq tcd T4.pdf", "964-UBND-VP-cong trinh.pdf" (matched on the lower-case,
# diacritic-free name)
MARK_THEN_NUMBER = re.compile(r"(?<![a-z0-9])(?P<mark>[a-z]{1,5})[\s_.\-]?(?P<num>[1-9]\d{0,4})(?![\d])")
NUMBER_THEN_MARK = re.compile(r"(?<![a-z0-9])(?P<num>[1-9]\d{0,4})[\s_.\-]?(?P<mark>[a-z]{1,5})(?![a-z])")
# A full date in a file name: "2019-05-16", "16.05.2019", "16-5-2019", "20190516" (year first or last)
NAME_DATE_YMD = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)[\s_.\-]?(?P<m>[01]\d)[\s_.\-]?(?P<d>[0-3]\d)(?!\d)")
NAME_DATE_DMY = re.compile(r"(?<!\d)(?P<d>[0-3]?\d)[_.\-](?P<m>[01]?\d)[_.\-](?P<y>(?:19|20)\d\d)(?!\d)")
LAST_YEAR = dt.date.today().year + 1


@dataclass(frozen=True)
class Evidence:
    """What lies outside the page: the file's own name, when it was signed, what kind of file."""

    file_name: str = ""  # "tb267_2019.pdf": the name without folders
    signed: Sequence[dt.date] = field(default_factory=tuple)  # the e-signatures' dates, earliest first
    input_kind: str = ""  # text_pdf, scanned_pdf, docx, ...


@lru_cache(maxsize=1)
def _letter_marks() -> frozenset[str]:
    """Marks an archive names a letter's file by ("CV"): a letter's number carries no type."""
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    return frozenset(_key(m) for m in raw.get("letter_file_marks", []))


def _key(text: str) -> str:
    """Lower case, no diacritics, đ as d: "QĐ" -> "qd"."""
    return bare(unicodedata.normalize("NFC", text)).lower()


def number_from_file_name(file_name: str, code: str, doc_type: str = "") -> str:
    """The number a file's name gives next to the document's type mark or number code, or "".

    A number counts only when it stands right beside the type abbreviation or a part of the
    printed code ("/TB-UBND": TB, UBND), or beside "CV" for a letter; never a year (1945 to next
    year), never two different numbers.

    Args:
        file_name: the name without folders ("tb267_2019.pdf").
        code: the printed part after the number slot ("/TB-UBND").
        doc_type: the type word read from the title ("Thông báo"), "" for a letter.

    Examples:
        >>> number_from_file_name("tb267_2019.pdf", "/TB-UBND"), number_from_file_name("267_TB-UBND.pdf", "/TB-UBND")
        ('267', '267')
        >>> number_from_file_name("qd68.pdf", "/QĐ-UBND", "Quyết định")
        '68'
        >>> number_from_file_name("ket-luan-giao-ban-thang-5-2020.pdf", "/TB-TTr", "Thông báo")
        ''
        >>> number_from_file_name("tb_2019.pdf", "/TB-UBND"), number_from_file_name("dean06_bc_2025-08.doc", "/BC-BCĐ")
        ('', '')
    """
    stem = _key(file_name.rsplit(".", 1)[0] if "." in file_name else file_name)
    marks = {_key(part) for part in re.split(r"[/\-]", code) if part}
    abbreviation = type_abbreviation(doc_type)
    if abbreviation:
        marks.add(_key(abbreviation))
    if doc_type in ("", "Công văn"):
        marks |= _letter_marks()
    found: set[str] = set()
    for pattern in (MARK_THEN_NUMBER, NUMBER_THEN_MARK):
        for m in pattern.finditer(stem):
            number = m.group("num")
            if m.group("mark") not in marks:
                continue
            if len(number) == 4 and EARLIEST_YEAR <= int(number) <= LAST_YEAR:
                continue  # "tb_2019": a year, never a number
            found.add(number)
    return found.pop() if len(found) == 1 else ""


def date_from_file_name(file_name: str) -> dt.date | None:
    """The one full date a file's name holds, None for none or several.

    Examples:
        >>> date_from_file_name("tb267_2019-05-09.pdf"), date_from_file_name("bc85_2019-04.pdf")
        (datetime.date(2019, 5, 9), None)
        >>> date_from_file_name("Thong bao ket luan ngay 22.1.2026.pdf")
        datetime.date(2026, 1, 22)
    """
    stem = file_name.rsplit(".", 1)[0] if "." in file_name else file_name
    found: set[dt.date] = set()
    for pattern in (NAME_DATE_YMD, NAME_DATE_DMY):
        for m in pattern.finditer(stem):
            try:
                found.add(dt.date(int(m["y"]), int(m["m"]), int(m["d"])))
            except ValueError:
                continue
    return found.pop() if len(found) == 1 else None


def printed_date_parts(fields: Fields, layout: Layout) -> tuple[int | None, int | None, int | None] | None:
    """(day, month, year) as printed in the document's place-date line, None without one."""
    lines = [*header_lines(layout), *layout.lines[:30]]
    for line in join_wrapped_date(lines):
        text = clean(line.text)
        found = read_place_date_checked(text)
        if found is None or (fields.place and found[0] != fields.place):
            continue
        parts = read_slot_parts(text)
        if parts is not None:
            return parts
    return None


def _agrees(when: dt.date, month: int | None, year: int | None, fields: Fields) -> bool:
    """A date outside the page fits the printed month and year and the meeting it concludes."""
    if year is None or when.year != year or (month is not None and when.month != month):
        return False
    met = parse_iso_date(fields.meeting_date)
    return met is None or dt.timedelta(0) <= when - met <= dt.timedelta(days=MEETING_TO_ISSUE_DAYS)


def fill_from_outside(fields: Fields, layout: Layout, evidence: Evidence) -> None:
    """Fill an empty number or day slot of an issued document from outside the page, flagged.

    The number comes from the file's name ("tb267_2019.pdf" for a printed "Số: ___/TB-UBND");
    the date from the first e-signature's time, else from a full date in the file's name, only
    where it agrees with the printed month and year. Each filled field gets a review reason that
    names its source; `needs_review` is set by the review stage.

    Examples:
        >>> from ketluan.records import Line
        >>> f = Fields(doc_number="/TB-UBND", doc_type="Thông báo", place="Đăk R’lấp")
        >>> layout = Layout(lines=[Line("Số: /TB-UBND"), Line("Đăk R’lấp, ngày    tháng 5 năm 2019")])
        >>> fill_from_outside(f, layout, Evidence("tb267_2019.pdf", (dt.date(2019, 5, 9),), "scanned_pdf"))
        >>> f.doc_number, f.issue_date, f.review
        ('267/TB-UBND', '2019-05-09', 'doc_number: from the file name; issue_date: from the e-signature time')
        >>> g = Fields(doc_number="/TB-UBND", place="Lâm Đồng")
        >>> fill_from_outside(g, layout, Evidence("tb267_2019.docx", (), "docx")); g.doc_number
        '/TB-UBND'
    """
    if evidence.input_kind in EDITABLE_KINDS:
        return
    reasons: list[str] = []
    if fields.doc_number[:1] in ("/", "-"):  # the frame is printed, its number slot empty
        number = number_from_file_name(evidence.file_name, fields.doc_number, fields.doc_type)
        if number:
            fields.doc_number = number + fields.doc_number
            reasons.append("doc_number: from the file name")
    if not fields.issue_date:
        parts = printed_date_parts(fields, layout)
        if parts is not None:
            _, month, year = parts
            signed = [d for d in evidence.signed if _agrees(d, month, year, fields)]
            named = date_from_file_name(evidence.file_name)
            if signed and signed[0] == min(evidence.signed, default=signed[0]):
                fields.issue_date = signed[0].isoformat()
                reasons.append("issue_date: from the e-signature time")
            elif not evidence.signed and named and month is not None and _agrees(named, month, year, fields):
                fields.issue_date = named.isoformat()
                reasons.append("issue_date: from the file name")
    if reasons:
        fields.review = "; ".join(r for r in (fields.review, *reasons) if r)
