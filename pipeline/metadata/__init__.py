"""Metadata stage: a `records.Layout` -> `records.Fields` (the `documents.csv` columns).

Reads the normalized lines of the layout parts (header, title, body opening, recipients,
signer; `layout.lines` as a fallback when a part is missing) and returns the document fields
of ANNOTATION.md. It never edits a line and never invents a value the text does not print:
what it cannot read stays an empty string.
"""

from __future__ import annotations

from ..records import Fields, Layout
from ..text.markup import clean
from ..text.orthography import fold
from .checks import cross_check
from .header import (
    NUMBER_LINE,
    check_number,
    group_agencies,
    header_lines,
    issuer_from_text,
    join_wrapped_date,
    parse_header,
    read_place_date_checked,
)
from .lexicon import SPACES, lexicon
from .meeting import opening_text, read_meeting
from .period import has_own_period, read_period
from .signer import read_recipients, read_signer, signature_lines, tail_parts
from .title import find_title_lines, is_conclusion, read_title

__all__ = ["layout_to_fields"]


def layout_to_fields(layout: Layout) -> Fields:
    """Read the document fields of ANNOTATION.md from a document's layout.

    Args:
        layout: the layout stage's cut of the document (`header`, `title`, `body`,
            `recipients`, `signer`, and `lines` with everything).

    Returns:
        The `Fields` record; a value the text does not give stays "". What the stage doubts
        (a number or day it could not read) is left in `review` for the review stage.

    Examples:
        >>> from ketluan.records import Layout, Line
        >>> f = layout_to_fields(Layout(
        ...     header=[Line("UBND TỈNH QUẢNG NGÃI"), Line("VĂN PHÒNG"), Line("Số: 58/TB-VP"),
        ...             Line("Quảng Ngãi, ngày 08 tháng 4 năm 2024")],
        ...     title=[Line("THÔNG BÁO"), Line("Kết luận của Chủ tịch UBND tỉnh tại cuộc họp giao ban tháng 3 năm 2024")]))
        >>> (f.issuer, f.issuer_parent, f.doc_number, f.issue_date, f.period_start, f.is_conclusion)
        ('VĂN PHÒNG', 'UBND TỈNH QUẢNG NGÃI', '58/TB-VP', '2024-04-08', '2024-03-01', True)
    """
    fields = Fields()
    doubts: list[str] = []
    header = parse_header(header_lines(layout))
    units = group_agencies(header.agencies)
    if units:
        fields.issuer = units[-1]
        fields.issuer_parent = units[-2] if len(units) > 1 else ""
    raw_number = header.doc_number
    if not raw_number:
        for line in layout.lines[:20]:
            m = NUMBER_LINE.match(clean(line.text))
            if m:
                raw_number = SPACES.sub("", m.group("num"))
                break
    fields.place, fields.issue_date = header.place, header.issue_date
    doubts.extend(header.doubts)
    if not header.place_found:
        for line in join_wrapped_date(layout.lines):
            place_date = read_place_date_checked(clean(line.text))
            if place_date:
                fields.place, fields.issue_date, found = place_date
                doubts.extend(found)
                break

    title_lines = find_title_lines(layout)
    fields.doc_type, fields.title = read_title(title_lines)
    if not fields.doc_type and not fields.title and header.subject:
        fields.doc_type, fields.title = read_title(header.subject)
    fields.is_conclusion = is_conclusion(fields.doc_type, fields.title)
    fields.doc_number, doubt = check_number(raw_number, fields.doc_type) if raw_number else ("", "")
    doubts.append(doubt)

    opening = opening_text(layout, title_lines)
    issue_year = int(fields.issue_date[:4]) if fields.issue_date else None
    if not fields.issuer:
        fields.issuer = issuer_from_text([opening, fields.title])

    # ANNOTATION.md "Real archives": a period only for conclusions and periodic reports or
    # schedules; meeting fields only for the meeting a conclusion concludes (the conclusion of an
    # inspection or of a denunciation concludes no meeting).
    if fields.is_conclusion:
        fields.period_kind, fields.period_start, fields.period_end, fields.period_label = read_period(
            fields.title, opening, fields.issue_date
        )
        if fold(fields.doc_type).upper() not in lexicon().no_own_meeting_types:
            read_meeting(fields, opening, issue_year)
    elif has_own_period(fields.doc_type, fields.title):
        fields.period_kind, fields.period_start, fields.period_end, fields.period_label = read_period(
            fields.title, "", fields.issue_date, fields.doc_type
        )

    recipient_lines, signer_lines = tail_parts(layout)
    recipients, beside = read_recipients(recipient_lines)
    fields.recipients = "; ".join(recipients)
    fields.signer_title, fields.signer_name = read_signer(signature_lines(layout, signer_lines, beside))
    doubts.extend(cross_check(fields, layout))
    fields.review = "; ".join(dict.fromkeys(d for d in doubts if d))
    return fields
