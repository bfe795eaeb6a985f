"""Metadata, meeting part: meeting_date, meeting_location and chair from the body's opening.

Reads the opening paragraph(s) of the body ("Ngày 04/4/2024, tại Phòng họp số 1, đồng chí A -
Chủ tịch UBND tỉnh chủ trì ...") or an invitation's labelled lines ("Thời gian: ...") and returns
the date, place and chair as written; a date that cites a document or sets a deadline is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..records import Fields, Layout
from ..text.dates import DateSpan, starts_with_text_date, text_dates
from ..text.markup import clean
from ..text.orthography import fold, is_upper
from .header import find_type_index, read_place_date
from .lexicon import BULLET, CAPITALIZED_WORD, PARENTHESIZED, UPPER, UPPER_SHARE, lexicon

# A document reference right before a date: "Thông báo số 45/TB-UBND ngày 12/3/2023"
DOC_REFERENCE_BEFORE = re.compile(r"(?:\bsố\s*[\w./\-&]*|\b\d+[\w.\-]*/[\w./\-&]+)\s*$", re.IGNORECASE)
# The basis a document is issued on (Nghị định 30/2020, Phụ lục I): "Căn cứ Luật Tổ chức chính quyền địa
# phương ...", "Xét báo cáo kết quả thanh tra ngày 04/8/2023 của Trưởng đoàn ...": its dates are no meeting's
LEGAL_BASIS = re.compile(r"^\s*(?:Căn\s+cứ|Xét)\b", re.IGNORECASE)
# A heading or bullet that ends the opening paragraphs: "I. KẾT QUẢ", "1. Kết quả đạt được", "1- Kết quả",
# "a) Về kinh tế", "PHẦN I.", "- Giá trị sản xuất ..."
HEADING = re.compile(
    r"^(?:(?:[IVXLC]+|\d+(?:\.\d+)*|[A-ZĐ]|[a-zđ])\s*[.)\-–]\s|PHẦN\s|Phần\s+[IVX\d]|[-+•]\s)"
)
ADDRESSEES = re.compile(r"^Kính\s+gửi\b", re.IGNORECASE)  # "Kính gửi: UBND các huyện, thành phố."
# Sentence boundary in running text: "... năm học 2024 - 2025. PGS.TS. Đặng Quốc Bảo ..."
SENTENCE_END = re.compile(rf"(?<=[.!?])\s+(?=[{UPPER}])")
LOCATION_START = re.compile(r"(?<!\w)tại\s+", re.IGNORECASE)  # "tại Phòng họp số 1, trụ sở UBND tỉnh"
CHAIR_OF = re.compile(
    r"(?:dưới\s+sự\s+)?chủ\s+trì(?!\w)\s*(?:của\s+)?", re.IGNORECASE
)  # "dưới sự chủ trì của"
WORKED_WITH = re.compile(
    r"(?<!\w)(?:đã\s+)?(?:có\s+buổi\s+)?làm\s+việc\s+với(?!\w)", re.IGNORECASE
)  # "đã làm việc với"
CHAIR_COLON = re.compile(
    r"(?<!\w)Chủ\s+trì\s*(?:cuộc họp|hội nghị)?\s*:\s*", re.IGNORECASE
)  # "Chủ trì: đồng chí A"
# A word that starts a person's written form without an honorific: "BS.CKII. Nguyễn Thị Thu Hà"
WORD_START = re.compile(r"(?:^|(?<=[\s,]))(?=\S)")
PERSON_DASH = re.compile(r"\s[-–]\s+")  # "Nguyễn Thị Thu Hà - Giám đốc Bệnh viện"


def opening_text(layout: Layout, title_lines: Sequence[str] = ()) -> str:
    """The opening paragraph(s) of the body, wrapped lines joined, up to the first heading.

    Body lines that were read as the title (a cut that left the excerpt in the body) are skipped.
    """
    body = list(layout.body)
    own = set(title_lines)
    while body and clean(body[0].text) in own:
        body.pop(0)
    if not body:
        idx = find_type_index(layout.lines)
        start = (idx or 0) + max(1, len(layout.title))
        body = list(layout.lines[start : start + 30])
    parts: list[str] = []
    paragraphs = 0
    addressees = False  # "Kính gửi: - Văn phòng Chính phủ; ..." is not the opening
    for line in body:
        t = clean(line.text)
        if not t:
            continue
        if not parts and (lexicon().motto.match(fold(t)) or _is_place_date_line(t)):
            continue  # the national motto or the place-date line a cut left in the body
        if not parts and (
            ADDRESSEES.match(t) or (addressees and (BULLET.match(t) or not CAPITALIZED_WORD.match(t)))
        ):
            addressees = True
            continue
        # A dash wrapped to the start of a line mid-sentence is not a bullet: "đồng chí Trương Minh Quân"
        # + "- Giám đốc Công ty chủ trì cuộc họp ..."
        wrapped_dash = bool(parts and not line.gap_before and BULLET.match(t) and parts[-1][-1:].isalnum())
        if parts and not wrapped_dash and (HEADING.match(t) or (is_upper(t, UPPER_SHARE) and len(t) > 3)):
            break
        if line.gap_before and parts:
            paragraphs += 1
            if paragraphs >= 3:
                break
        parts.append(t)
        if lexicon().opening_end.search(t) or len(parts) >= 30:
            break
    return " ".join(parts)


def _is_place_date_line(text: str) -> bool:
    """True for the "<place>, ngày .. tháng .. năm ...." line; a paragraph that opens the body
    ("Thực hiện Luật Tiếp công dân ..., ngày 15/11/2024, tại ...") is never it."""
    found = read_place_date(text)
    if found is None or lexicon().body_opening.match(text):
        return False
    # the place opens the line: "Được sự phân công của Giám đốc Ban, ngày 03/11/2022, tại" is a sentence
    before = text[: text.find(found[0])] if found[0] in text else ""
    return not any(w[:1].islower() for w in before.split())


def _sentences(text: str) -> list[str]:
    """Sentences of running text; "PGS.TS." and "TP." do not end one."""
    lex = lexicon()
    out: list[str] = []
    start = 0
    for m in SENTENCE_END.finditer(text):
        before = text[start : m.start()]
        last = before.split()[-1] if before.split() else ""
        if lex.academic.match(last + " ") or lex.abbreviation.fullmatch(last):
            continue
        if lex.academic.match(text[m.end() :]) and not before.endswith("."):
            continue
        out.append(text[start : m.start()].strip())
        start = m.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


def _meeting_date(text: str, default_year: int | None) -> DateSpan | None:
    """The first date of the opening that is not a document reference or a deadline."""
    lex = lexicon()
    if LEGAL_BASIS.match(text):
        return None
    for date in text_dates(text, default_year):
        before = text[max(0, date.start - 60) : date.start]
        clause_start = max(text.rfind(c, 0, date.start) for c in ",;.:") + 1
        # a type word opening the text is the document's own excerpt, not a cited document
        cited = [c for c in lex.cited_doc.finditer(text, clause_start, date.start) if c.start() > 0]
        if DOC_REFERENCE_BEFORE.search(before) or lex.range_before.search(before) or cited:
            continue
        if date.iso:
            return date
    return None


def _has_unit(text: str) -> bool:
    """True when a phrase names an organization ("UBND tỉnh"), not only a room ("Phòng họp số 1")."""
    lex = lexicon()
    folded = lex.room.sub(lambda m: "_" * len(m.group(0)), fold(text))
    return bool(lex.unit_in_text.search(folded) or lex.host_unit.search(folded))


def _names_tier(text: str) -> bool:
    """True when a room is the facility of an administrative tier ("Trung tâm Hội nghị tỉnh",
    "Nhà văn hóa huyện"): it says where it is, so it is no bare room a following body locates."""
    lex = lexicon()
    words = lex.room.sub(lambda m: "_" * len(m.group(0)), fold(text)).split()
    return any(lex.admin_in_text.match(" ".join(words[-k:]).lower()) for k in (1, 2) if len(words) > k)


def _cut_at_verb(text: str) -> tuple[str, bool]:
    """The part of a segment before its verb ("Thanh tra tỉnh tiến hành họp" -> "Thanh tra tỉnh")."""
    lex = lexicon()
    folded = lex.room.sub(lambda m: "_" * len(m.group(0)), fold(text))
    cut = len(text)
    for pattern in (lex.verb, lex.span_stop):
        m = pattern.search(folded)
        if m and m.start() < cut:
            cut = m.start()
    return text[:cut].strip().rstrip(".;:").strip(), cut < len(text)


def _names_person(segment: str, following: str = "") -> bool:
    """True when a comma part of the opening names a person, so the place before it has ended.

    "đồng chí Lê Văn A", "Đại tá Nguyễn B", "BS.CKII. Trần C - Giám đốc Bệnh viện", "Giám đốc Sở",
    or a name followed by its title in the next part ("Nguyễn Văn D, Giám đốc Sở chủ trì").
    """
    lex = lexicon()
    fs = fold(segment)
    return bool(
        lex.honorific.match(fs)
        or lex.rank.match(fs)
        or lex.academic.match(segment)
        or lex.leader.match(fs)
        or any(lex.leader.match(fs, d.end()) for d in PERSON_DASH.finditer(fs))
        or lex.leader.match(fold(following.strip()))
    )


def _location_starts(sentence: str) -> list[re.Match[str]]:
    """Where a place may start: after "tại", or after an online meeting's "trực tuyến giữa"."""
    folded = fold(sentence)
    found = [*LOCATION_START.finditer(folded), *lexicon().online_opener.finditer(folded)]
    return sorted(found, key=lambda m: m.start())


def _meeting_location(sentence: str, room_only: bool = False) -> tuple[str, int]:
    """("tại" place, end offset) of the opening sentence, e.g. "Phòng họp số 1, trụ sở UBND tỉnh".

    With `room_only`, only a place that starts with a room word counts ("cuộc họp được tổ chức
    tại Phòng họp Bảo hiểm xã hội huyện" in a sentence after the date's).
    """
    lex = lexicon()
    for m in _location_starts(sentence):
        rest = sentence[m.end() :]
        before = fold(sentence[: m.start()])
        if (
            lex.not_location.match(fold(rest))
            or lex.residence.search(before)
            or lex.attendance.search(before)
        ):
            continue  # "tại cuộc họp", "trú tại Tổ dân phố 3", "tham dự tại điểm cầu tỉnh"
        if (room_only and not lex.room.match(fold(rest))) or starts_with_text_date(rest):
            continue  # "trực tuyến từ ngày 05/5" is a time, not an end
        # ";" ends the place, and so does a conjunction that joins other ends or attendees:
        # "tại Hội trường Cục Thống kê; các Chi cục ...", "giữa Hội trường Cục Thống kê và 8 Chi cục"
        rest = rest.split(";")[0]
        link = lex.link_stop.search(fold(rest))
        rest = rest[: link.start()] if link else rest
        segments = rest.split(",")
        span, stopped = _cut_at_verb(segments[0])
        consumed = len(span)
        for n, seg in enumerate(segments[1:6], start=1):
            if stopped:
                break
            s = seg.strip()
            following = segments[n + 1] if n + 1 < len(segments) else ""
            if not s or starts_with_text_date(s):
                break
            piece, stopped = _cut_at_verb(s)
            # the part before its verb names a person: "đồng chí A chủ trì"; a person after the verb
            # is the sentence's ("UBND tỉnh tổ chức phiên họp dưới sự chủ trì của đồng chí A - ...")
            if not piece or _names_person(piece, "" if stopped else following):
                break
            # a name that runs on through lower-case comma parts into a verb is the sentence's
            # subject: "tại Phòng họp số 1, Trụ sở Tỉnh ủy, Ban Chỉ đạo phòng, chống tham nhũng,
            # tiêu cực tỉnh họp phiên thường kỳ"
            stopped = stopped or (bool(CAPITALIZED_WORD.match(s)) and _runs_into_verb(segments[n + 1 : 6]))
            if stopped:
                # A clause with its own verb is the sentence going on; its subject is part of the
                # place only after a bare room: "tại Hội trường A, Trường Đại học X tổ chức ...";
                # a unit word alone is the issuer speaking of itself ("..., nhà A, Bệnh viện tổ chức").
                if (
                    _has_unit(span)
                    or _names_tier(span)
                    or not _has_unit(piece)
                    or not CAPITALIZED_WORD.match(piece)
                    or lex.unit_in_text.fullmatch(fold(piece))
                ):
                    break
            elif not (CAPITALIZED_WORD.match(s) or lex.room.match(fold(s)) or lex.address.match(fold(s))):
                break  # "có sự tham dự của ...", "theo hình thức trực tuyến"
            span = f"{span}, {piece}"
            consumed = rest.find(piece, consumed) + len(piece)
        return span, m.end() + consumed
    return "", 0


def _runs_into_verb(segments: Sequence[str]) -> bool:
    """True when the comma parts after a place part go on in lower case, naming no place, up to
    a verb ("chống tham nhũng", "tiêu cực tỉnh họp ..."): the part before them opens a clause."""
    lex = lexicon()
    for seg in segments:
        s = seg.strip()
        if not s or CAPITALIZED_WORD.match(s) or starts_with_text_date(s):
            return False
        fs = fold(s)
        if lex.room.match(fs) or lex.address.match(fs) or _names_person(s):
            return False
        piece, stopped = _cut_at_verb(s)
        if stopped:
            return bool(piece)
    return False


def _strip_honorific(text: str) -> str:
    """Drop a leading "đồng chí", "ông", "bà"... before a capitalized word."""
    lex = lexicon()
    t = text.strip()
    m = lex.honorific.match(fold(t))
    if m and CAPITALIZED_WORD.match(t[m.end() :]):
        return t[m.end() :].strip()
    return t


def _first_clause(text: str, stops: re.Pattern[str]) -> str:
    """`text` up to the first stop that is not the dot of a degree ("ThS. Lê Thị Ngọc Ánh; ...")."""
    lex = lexicon()
    for m in stops.finditer(text):
        words = text[: m.start() + 1].split()
        if m.group(0).startswith(".") and words and lex.academic.match(words[-1] + " "):
            continue
        return text[: m.start()]
    return text


def _from_person_prefix(text: str) -> str:
    """`text` from its first word that opens a person's written form (a degree or a rank), or ""."""
    lex = lexicon()
    for m in WORD_START.finditer(text):
        rest = text[m.start() :]
        if lex.academic.match(rest) or lex.rank.match(fold(rest)):
            return rest
    return ""


def _chair(sentences: Sequence[str], skip_to: dict[int, tuple[int, int]]) -> str:
    """Who presided: "đồng chí Trần Minh Khang - Chủ tịch UBND tỉnh chủ trì" -> the name and title."""
    lex = lexicon()
    for k, sentence in enumerate(sentences):
        folded = fold(sentence)
        colon = CHAIR_COLON.search(folded)
        if colon:
            value = _first_clause(sentence[colon.end() :], lex.chair_colon_end)
            return _strip_honorific(value.rstrip(" .;,"))
        for m in CHAIR_OF.finditer(folded):
            after = sentence[m.end() :]
            if m.group(0).lower().rstrip().endswith("của") or folded[m.start() :].startswith("dưới"):
                value = _first_clause(after, lex.chair_of_end)
                return _strip_honorific(value.rstrip(" .;,"))
            value = _subject_before(sentence[_skip(skip_to, k, m.start()) : m.start()])
            if value:
                return value
    # a working session names no "chủ trì": the leader who works with the host presides
    # ("đồng chí Nguyễn Trọng Khiêm, Bí thư Tỉnh ủy đã làm việc với Ban Thường vụ Huyện ủy")
    for k, sentence in enumerate(sentences):
        worked = WORKED_WITH.search(fold(sentence))
        start = _skip(skip_to, k, worked.start()) if worked else 0
        if not worked:
            continue
        subject = sentence[start : worked.start()]
        if lex.honorific.search(fold(subject)):
            value = _subject_before(subject)
            if value:
                return value
        # no honorific: a leader's title and name as the subject ("Thứ trưởng Đỗ Minh Thuận đã làm
        # việc với Ủy ban nhân dân tỉnh Gia Lai"); a body ("Đoàn giám sát của Ban") is no chair
        value = _subject_before(subject)
        if value and _titled_person(value):
            return value
    return ""


def _titled_person(value: str) -> bool:
    """True when a subject is a person by title and name: "Thứ trưởng Đỗ Minh Thuận", "Đại tá
    Nguyễn Văn B", "PGS.TS. Trần C"; "Giám đốc Sở" (no name) and "Ủy ban nhân dân tỉnh" are not."""
    lex = lexicon()
    folded = fold(value)
    m = lex.leader.match(folded) or lex.rank.match(folded) or lex.academic.match(value)
    if not m:
        return False
    words = value[m.end() :].replace(",", " ").split()
    return (
        len(words) >= 2
        and all(CAPITALIZED_WORD.match(w) for w in words[:2])
        and not _has_unit(" ".join(words[:3]))
    )


def _skip(skip_to: dict[int, tuple[int, int]], k: int, verb: int) -> int:
    """Where the chair's subject may start in sentence k: after the date, and after the place when
    the place comes before the verb ("Ngày 05/4, tại Hội trường X, ông A chủ trì"), not when it
    follows it ("ông A chủ trì cuộc họp tại hội trường X")."""
    date_end, place_end = skip_to.get(k, (0, 0))
    return max(date_end, place_end) if place_end <= verb else date_end


def _subject_before(before: str) -> str:
    """The person and title a verb follows: from the last honorific before it ("các đồng chí" lists
    attendees), else the capitalized span; "" when none fits."""
    lex = lexicon()
    # an aside in brackets names who delegated, never who presided: "đồng chí A - Phó Bí thư
    # (được đồng chí Bí thư phân công) chủ trì"
    before = PARENTHESIZED.sub("", before)
    hits = [h for h in lex.honorific.finditer(fold(before)) if CAPITALIZED_WORD.match(before[h.end() :])]
    hits = [h for h in hits if not fold(before[: h.start()]).rstrip().lower().endswith("các")]
    if hits:
        value = before[hits[-1].end() :]
    else:
        value = before.lstrip(" ,")
        if value.lower().startswith("do "):
            value = value[3:]
        last = value.rsplit(",", 1)[-1].strip()
        if (
            not CAPITALIZED_WORD.match(value)
            and CAPITALIZED_WORD.match(last)
            and lex.leader.match(fold(last))
        ):
            value = last  # "được sự ủy quyền của Cục trưởng, Phó Cục trưởng Trần Thị Lan chủ trì"
        elif not CAPITALIZED_WORD.match(value):  # "..., nhà B, BS.CKII. Trần Văn C - Giám đốc"
            value = _from_person_prefix(value)
    value = lex.chair_tail.sub("", value.strip().rstrip(",")).strip()
    return value if value and len(value) <= 150 and CAPITALIZED_WORD.match(value) else ""


def _without_delegation(chair: str) -> str:
    """The chair's name and title without the aside on who delegated the chair.

    "Lê Văn Hiếu - Phó Giám đốc Sở (được Giám đốc Sở ủy quyền)" -> "Lê Văn Hiếu - Phó Giám đốc Sở";
    "Nguyễn Thị Ba, Phó Chủ tịch UBND huyện, được Chủ tịch UBND huyện phân công" -> the name and title.
    """
    m = lexicon().delegation_aside.search(fold(chair))
    return chair[: m.start()].rstrip(" ,;") if m and m.start() > 0 else chair


def read_meeting(fields: Fields, opening: str, issue_year: int | None) -> None:
    """meeting_date, meeting_location and chair from the opening paragraph(s).

    Examples:
        >>> f = Fields()
        >>> read_meeting(f, "Ngày 05/5/2021, tại Phòng họp tầng 3, đồng chí Lê Thu Hà - Phó Giám đốc Sở"
        ...     " (được Giám đốc Sở ủy quyền) chủ trì cuộc họp giao ban tháng 4/2021.", 2021)
        >>> f.meeting_date, f.meeting_location, f.chair
        ('2021-05-05', 'Phòng họp tầng 3', 'Lê Thu Hà - Phó Giám đốc Sở')
    """
    sentences = _sentences(opening)
    skip_to: dict[int, tuple[int, int]] = {}
    for k, sentence in enumerate(sentences):
        hit = _meeting_date(sentence, issue_year)
        if hit is None:
            continue
        fields.meeting_date = hit.iso
        location, loc_end = _meeting_location(sentence)
        fields.meeting_location = location
        skip_to[k] = (hit.end, loc_end)
        if not location:
            # the place in a sentence of its own: "Cuộc họp được tổ chức trực tuyến giữa Hội trường
            # Cục Thống kê và 8 Chi cục", "... với thành phần thu gọn tại Phòng họp Bảo hiểm xã hội huyện"
            for later in sentences[k + 1 :]:
                location = _meeting_location(later, room_only=True)[0]
                if location:
                    fields.meeting_location = location
                    break
        break
    fields.chair = _without_delegation(_chair(sentences, skip_to))
