"""Metadata, header part: issuer, issuer_parent, doc_number, place and issue_date.

Reads the header lines of a layout (agency lines, "Số: ..." and the place-date line, as Nghị
định 30/2020/NĐ-CP prints them) and returns what they say; the issuer a leader title names in
running text when the header gives none. Never edits a line.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from ..records import Layout, Line
from ..text.closed import mend_abbreviation
from ..text.dates import read_date, read_slot_date, starts_with_date
from ..text.markup import clean
from ..text.orthography import bare, fold, is_upper
from .lexicon import CAPITALIZED_WORD, SEPARATOR, SPACES, UPPER_SHARE, lexicon

# "Số" as OCR reads it on a scan, only before its colon ("Sổ: 2417 /QĐ-XPHC", "SỐ:" read "SÔ:");
# "Sở" (a department) is a different vowel and never taken
NUMBER_LABEL_OCR = r"S[ôổồỗộóòõọÔỔỒỖỘÓÒÕỌ](?=\s*:)"

# "Số: 58/TB-VP", "Số 318-TB/ĐUK", "Số: /TB-TTr", "Số: /TB-UBND Quảng Ngãi, ngày tháng 01 năm 2025",
# and OCR'd handwriting before the slash: "Số: 2) /BC-UBND", "Số: Ó # /CT-UBND" (`check_number` drops it);
# a scan's label whose tone mark OCR misread counts with its colon: "Sổ: 2417 /QĐ-XPHC"; a regional
# office's Roman numeral printed apart ends the abbreviation: "Số: 86/TB-KV II" (Kiểm toán nhà nước khu vực II)
NUMBER_LINE = re.compile(
    rf"^(?:Số|SỐ|số|{NUMBER_LABEL_OCR})\s*:?\s*"
    r"(?P<num>(?:\d[\d.]*\s*|(?:[^\s/,;]{1,6}\s*){1,3})?[/-]\s*[^\s,;]+(?:\s?[-/]\s?[^\s,;]+)*"
    r"(?:(?<=[A-ZĐ])\s[IVX]{1,4}(?=[\s,;]|$))?|\d+(?=\s|$))"
    r"(?P<rest>.*)$"
)
# A place-date line wrapped before its year or its date: "Thành phố Hồ Chí Minh, ngày 20 tháng 01 năm" + "2025"
DATE_WRAPPED = re.compile(r"(?:,|\b(?:ngày|tháng|năm))\s*$", re.IGNORECASE)
DATE_CONTINUES = re.compile(r"^(?:\d|ngày\b|tháng\b|năm\b)", re.IGNORECASE)
# The end of a place-date line: "... năm 2026" and nothing after it
LINE_ENDS_AT_YEAR = re.compile(r"n\S{2}\s*\S{0,6}\s*$")
# Where the type abbreviation starts in a number: the first "/" or "-" before a letter.
# "12/TB-UBND", "318-TB/ĐUK", "2/4/CT-CS" (OCR'd handwriting "2/4" before "/CT")
SUFFIX_START = re.compile(r"[/-](?=[^\W\d_])")
# The number part of an issued document: Arabic digits, a law's year after them ("30/2020/NĐ-CP")
NUMBER_DIGITS = re.compile(r"^\d{1,5}(?:/\d{4})?$")
PLACEHOLDER = re.compile(r"^[\s.…_\-–—·:]*$")  # ".../TB-UBND": dots that hold the place of a number
# A number line that lost its "Số:" to OCR: "/TB-UBND", "77/TB-UBND"
BARE_NUMBER = re.compile(r"^\d{0,5}\s*/\s*[A-ZĐ][A-Za-zĐđ]{0,4}(?:-[A-ZĐ][\wĐđ&]*)+$")


@dataclass
class _Header:
    """What the header block says."""

    agencies: list[str]
    subject: list[str]  # a letter's "V/v ..." lines, printed under its number
    doc_number: str = ""  # as printed, spaces removed: `check_number` reads it once the type is known
    place: str = ""
    issue_date: str = ""
    place_found: bool = False
    doubts: list[str] = dataclasses.field(default_factory=list)  # "doc_number: number not read"


def find_type_index(lines: Sequence[Line]) -> int | None:
    """Index of the first type-word line ("THÔNG BÁO", "KẾT LUẬN") among the first lines."""
    lex = lexicon()
    for i, line in enumerate(lines[:60]):
        t = clean(line.text)
        if not is_upper(t, UPPER_SHARE):
            continue
        m = lex.type_line.match(bare(t))
        if m and (not m.group("rest") or len(m.group("type")) >= 8):
            return i
    return None


def header_lines(layout: Layout) -> list[Line]:
    """The header part, or the lines before the type word when the layout missed it."""
    if layout.header:
        return layout.header
    idx = find_type_index(layout.lines)
    return list(layout.lines[: idx if idx is not None else 12])


def read_place_date(text: str) -> tuple[str, str] | None:
    """(place, ISO date or "") when `text` is a place-date line, else None.

    Examples:
        >>> read_place_date("Đăk R’lấp, ngày 09 tháng 5 năm 2019")
        ('Đăk R’lấp', '2019-05-09')
        >>> read_place_date("Krông Nô, ngày - tháng - năm 2019")
        ('Krông Nô', '')
    """
    found = read_place_date_checked(text)
    return None if found is None else (found[0], found[1])


def read_place_date_checked(text: str) -> tuple[str, str, list[str]] | None:
    """(place, ISO date, doubts) of a place-date line; the place is kept when the date is unread.

    The place is read from its position (Nghị định 30/2020/NĐ-CP, Phụ lục I: "Địa danh, ngày …
    tháng … năm …") even when a handwritten day is illegible; a slot holding anything but digits
    leaves the date empty with a doubt ("issue_date: day not read"), never a guess.

    Examples:
        >>> read_place_date_checked("Đắk R lắp, ngày „¡is tháng S` năm 2019")
        ('Đắk R lắp', '', ['issue_date: day not read', 'issue_date: month not read'])
        >>> read_place_date_checked("Hà Nội ngày 08 tháng 4 năm 2026")
        ('Hà Nội', '2026-04-08', [])
    """
    text = unicodedata.normalize("NFC", text)
    m = lexicon().place_date.search(text)
    if not m or (not m.group("comma") and m.start() > 0):
        return None
    place, date_part = m.group("place").strip(), m.group("date")
    slots = read_slot_date(date_part)
    if not m.group("comma") and (slots is None or not LINE_ENDS_AT_YEAR.search(date_part)):
        return None  # without its comma, only a line that is a whole place-date line
    if slots is not None:
        doubts = [f"issue_date: {p}" for p in slots.problems]
        return place, slots.iso, doubts
    if not starts_with_date(date_part):
        return None
    return place, read_date(date_part), []


def check_number(raw: str, doc_type: str = "") -> tuple[str, str]:
    """(doc_number, doubt) with the number part checked before use (Nghị định 30, Phụ lục I).

    The part before the type abbreviation must be Arabic digits: a placeholder ("...") is
    dropped as ANNOTATION.md says, anything else (OCR'd handwriting) is dropped with a doubt.
    The type abbreviation one OCR edit away from the one the type word takes is mended.

    Examples:
        >>> check_number("58/TB-VP"), check_number(".../TB-UBND")
        (('58/TB-VP', ''), ('/TB-UBND', ''))
        >>> check_number("2/4/CT-CS")
        ('/CT-CS', 'doc_number: number not read')
        >>> check_number("2X/TIr-CAT-PC06", "Tờ trình")
        ('/TTr-CAT-PC06', 'doc_number: number not read')
        >>> check_number("30/2020/NĐ-CP"), check_number("318-TB/ĐUK")
        (('30/2020/NĐ-CP', ''), ('318-TB/ĐUK', ''))
    """
    text = SPACES.sub("", raw)
    m = SUFFIX_START.search(text)
    if not m:
        digits = text.strip(".:")
        return (digits, "") if NUMBER_DIGITS.match(digits) else ("", "doc_number: number not read")
    number, sep, suffix = text[: m.start()], text[m.start()], text[m.end() :]
    doubt = ""
    if PLACEHOLDER.match(number):
        number = ""
    elif not NUMBER_DIGITS.match(number):
        number, doubt = "", "doc_number: number not read"
    if doc_type:
        first = re.split(r"[-/]", suffix, maxsplit=1)
        mended = mend_abbreviation(first[0], doc_type)
        suffix = mended + suffix[len(first[0]) :]
    return f"{number}{sep}{suffix}", doubt


def join_wrapped_date(lines: Sequence[Line]) -> list[Line]:
    """Lines with a place-date line that wrapped before its year or date joined to its next line.

    Examples:
        >>> [ln.text for ln in join_wrapped_date([Line("Thành phố Hồ Chí Minh, ngày 20 tháng 01 năm"),
        ...                                         Line("2025"), Line("THÔNG BÁO")])]
        ['Thành phố Hồ Chí Minh, ngày 20 tháng 01 năm 2025', 'THÔNG BÁO']
    """
    out: list[Line] = []
    k = 0
    while k < len(lines):
        line = lines[k]
        t = clean(line.text)
        nxt = clean(lines[k + 1].text) if k + 1 < len(lines) else ""
        if nxt and DATE_WRAPPED.search(t) and DATE_CONTINUES.match(nxt):
            alone, joined = read_place_date(t), read_place_date(f"{t} {nxt}")
            if joined and joined[1] and not (alone and alone[1]):
                out.append(dataclasses.replace(line, text=f"{t} {nxt}"))
                k += 2
                continue
        out.append(line)
        k += 1
    return out


def parse_header(lines: Sequence[Line]) -> _Header:
    """Split header lines into agency lines, the number and the place-date line."""
    lex = lexicon()
    header = _Header(agencies=[], subject=[])
    for line in join_wrapped_date(lines):
        text = clean(line.text)
        # A motto splits a line where OCR put both columns on one row:
        # "UBND TỈNH QUẢNG NGÃI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
        folded = fold(text)
        parts: list[tuple[str, bool]] = []  # (text, may be an agency line)
        pos = 0
        for m in lex.motto.finditer(folded):
            parts.append((text[pos : m.start()].strip(), pos == 0))
            pos = m.end()
        parts.append((text[pos:].strip(), pos == 0))
        for part, left in parts:
            if not part or SEPARATOR.match(part):
                continue
            number = NUMBER_LINE.match(part)
            if number:
                if not header.doc_number:
                    header.doc_number = SPACES.sub("", number.group("num"))
                part = number.group("rest").strip()
                if not part:
                    continue
            elif left and BARE_NUMBER.match(part):  # "/TB-UBND": OCR lost "Số: 77"
                header.doc_number = header.doc_number or SPACES.sub("", part)
                continue
            place_date = read_place_date_checked(part)
            if place_date:
                if not header.place_found:
                    header.place, header.issue_date, doubts = place_date
                    header.doubts.extend(doubts)
                    header.place_found = True
                continue
            if lex.letter_line.match(fold(part)) or (
                header.subject and left and not is_upper(part, UPPER_SHARE)
            ):
                header.subject.append(part)  # "V/v báo cáo tình hình ..." and its wrapped lines
                continue
            if not left or line.column == "right" or not is_upper(part, UPPER_SHARE):
                continue
            fpart = fold(part)
            if (
                lex.header_mark.match(fpart)
                or lex.copy_marker.match(fpart)
                or lex.type_line.fullmatch(bare(part))
            ):
                continue
            header.agencies.append(mend_level(part) if line.origin == "ocr" else part)
    return header


def mend_level(part: str) -> str:
    """An OCR'd agency line with its leading administrative level written back ("TỈNH", "HUYỆN").

    A header line that goes on a name cut before its level ("LIÊN MINH HỢP TÁC XÃ" / "TỈNH ĐỒNG
    THÁP") opens with the level; a first word with the level's letters and other marks is that
    level misread, when a place name follows it.

    Examples:
        >>> mend_level("TÍNH ĐỒNG THÁP"), mend_level("HUYỆN KRÔNG NÔ"), mend_level("TÌNH NGUYỆN")
        ('TỈNH ĐỒNG THÁP', 'HUYỆN KRÔNG NÔ', 'TÌNH NGUYỆN')
    """
    words = part.split(" ")
    level = lexicon().admin_by_bare.get(bare(words[0]).upper())
    if level is None or len(words) < 3 or len(words) > 5 or fold(words[0]) == fold(level):
        return part  # a place name has two or more syllables: "TÌNH NGUYỆN" is no level and place
    return " ".join([level, *words[1:]])


def group_agencies(lines: Sequence[str]) -> list[str]:
    """Join header agency lines into names: a unit word starts a name, other lines continue it.

    Examples:
        >>> group_agencies(["UBND TỈNH NINH THUẬN", "CÔNG TY TNHH MTV KHAI THÁC",
        ...                  "CÔNG TRÌNH THỦY LỢI NINH THUẬN"])[1]
        'CÔNG TY TNHH MTV KHAI THÁC CÔNG TRÌNH THỦY LỢI NINH THUẬN'
        >>> group_agencies(["UBND TỈNH ĐẮK NÔNG", "SỞ TÀI CHÍNH"])  # "nông sở" is no word here
        ['UBND TỈNH ĐẮK NÔNG', 'SỞ TÀI CHÍNH']
    """
    lex = lexicon()
    units: list[str] = []
    for line in lines:
        # a name cut after "VÀ", "-" or "&" goes on; a trailing comma before a unit word does not
        # ("UBND HUYỆN ĐIỆN BIÊN," / "UBND XÃ THANH NƯA": a speck OCR read as a comma)
        dangling = bool(units) and lex.name_connector.search(units[-1])
        whole = bool(units) and lex.local_government.match(fold(units[-1]))
        if not units or (
            lex.unit_start.match(fold(line)) and not dangling and (whole or not _cuts_a_word(units[-1], line))
        ):
            units.append(line)
        else:
            units[-1] = f"{units[-1]} {line}"
    return [unit.rstrip(" ,;") for unit in units]


def continues_name(name: str, line: str) -> bool:
    """True when `line` is the rest of a name a line break cut: after "VÀ", "-" or "&", or inside a word.

    Examples:
        >>> continues_name("GIÁM ĐỐC SỞ THÔNG TIN VÀ", "TRUYỀN THÔNG"), continues_name("TRƯỞNG PHÒNG QUẢN LÝ ĐÔ", "THỊ")
        (True, True)
        >>> continues_name("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
        False
    """
    return bool(lexicon().name_connector.search(name)) or _cuts_a_word(name, line)


def _cuts_a_word(name: str, line: str) -> bool:
    """True when a header line break falls inside a word, so `line` continues `name`.

    The name's last syllable stands alone after word segmentation and forms one word with the
    line's first syllable ("SỞ TÀI NGUYÊN VÀ MÔI" / "TRƯỜNG": "môi trường"); a complete name
    before a school's line ("UBND TỈNH THÁI NGUYÊN" / "TRƯỜNG THPT ...") is not cut.

    Examples:
        >>> _cuts_a_word("SỞ TÀI NGUYÊN VÀ MÔI", "TRƯỜNG")
        True
        >>> _cuts_a_word("UBND TỈNH THÁI NGUYÊN", "TRƯỜNG THPT CHU VĂN AN")
        False
        >>> _cuts_a_word("NGÂN HÀNG CHÍNH SÁCH XÃ", "HỘI")
        True
    """
    # Imported here for load time, not to dodge a cycle (nlp imports no stage): spaCy takes ~0.7 s.
    from ..nlp import word_tokenize

    words = word_tokenize(name.lower())
    first = line.lower().split()[:1]
    if not words or not first:
        return False
    if (
        " " in words[-1]
    ):  # "chính sách xã" (of "chính sách xã hội"): does a word of the joined text span the break?
        return _spans_break(words[-1], line.lower())
    pair = f"{words[-1]} {first[0]}"
    return word_tokenize(f"{words[-1]} {line.lower()}")[:1] == [pair]


def _spans_break(last: str, line: str) -> bool:
    """True when the first word of `last + " " + line` after segmentation runs past `last`."""
    from ..nlp import word_tokenize

    head = word_tokenize(f"{last} {line}")[:1]
    return bool(head) and len(head[0]) > len(last) and head[0].startswith(last)


def issuer_from_text(texts: Sequence[str]) -> str:
    """The agency a leader title names: "Chánh Thanh tra tỉnh kết luận" -> "Thanh tra tỉnh".

    The name runs from its unit word to the first stop word ("kết luận", "tại", "cuộc họp"),
    punctuation or person's name (a surname followed by a capitalized word).
    """
    lex = lexicon()
    best = ""
    for text in texts:
        folded = fold(text)
        for m in lex.leader.finditer(folded):
            offset = m.end() + len(folded[m.end() :]) - len(folded[m.end() :].lstrip())
            unit = lex.unit_in_text.match(folded, offset)
            if not unit:
                continue
            stop = len(text)
            for pattern in (lex.issuer_stop, re.compile(r"[,.;:()]")):
                hit = pattern.search(folded, unit.end())
                if hit and hit.start() < stop:
                    stop = hit.start()
            words = text[offset:stop].split()
            for k in range(1, len(words) - 1):
                if fold(words[k]) in lex.surnames and CAPITALIZED_WORD.match(words[k + 1]):
                    words = words[:k]
                    break
            name = " ".join(words[:10])
            # Prefer the sentence where the agency itself concludes: "Chánh Thanh tra tỉnh kết luận"
            if lex.issuer_verb.match(folded, stop):
                return name
            best = best or name
    return best
