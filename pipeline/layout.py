"""Layout stage: normalized pages -> Layout(header, title, body, recipients, signer).

Cuts the line sequence by the parts every administrative document has (Nghị định
30/2020/NĐ-CP, Phụ lục I): header block, type word + trích yếu, body, "Nơi nhận:" and the
signature block. It never edits line text and never reads metadata values.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass

from .config import DATA_DIR
from .records import Layout, Line, Page
from .text.closed import closed_lists, match_doc_type
from .text.markup import strip_edge_marks
from .text.orthography import is_upper

SEPARATOR = re.compile(r"^[\s\-_*=~.·]{1,}$")  # "-----", "*", "___"
PLACE_DATE = re.compile(r",\s*ngày\b.{0,40}\bnăm\b", re.IGNORECASE)  # "Tây Ninh, ngày 18 tháng 5 năm 2020"
# "Số: 58/TB-VP", "Số 318-TB/ĐUK", and a scan's "Sổ: 2417 /QĐ-XPHC" (OCR misread the tone mark; colon needed)
NUMBER_LINE = re.compile(r"^\s*(?:Số\b\s*:?|S[ôổồỗộóòõọ]\s*:)", re.IGNORECASE)
VV_LINE = re.compile(r"^\s*V\s*[/\-.]\s*v\b", re.IGNORECASE)  # "V/v triển khai kế hoạch ...", OCR "V-v"
# Paragraph openings that cannot continue a title: "Ngày 04/4/2024, tại ...", "Căn cứ Luật ..."
BODY_OPENING = re.compile(
    r"^(Căn cứ|Thực hiện|Ngày \d|Vào (lúc|hồi|ngày)|Sáng|Chiều|Tối|Hôm nay|Trong (ngày|tuần|tháng)|Kính gửi)\b"
)
LEGAL_BASIS = re.compile(
    r"^(Căn cứ|Theo đề nghị|Xét đề nghị)\b"
)  # "Căn cứ Luật Tổ chức chính quyền địa phương ..."
DAMAGED_UPPER = 0.75  # share of capitals of a type-word line OCR damaged ("THONGBAo")
SIGNER_LINE_MAX = 60  # a signature block line (title, "(Đã ký)", rank and name) is shorter than this
DIVISION_NUMBER = re.compile(r"^\s+(?:[IVXLC]+|\d+|THỨ\s+\S+)\s*[.:]?\s*$")  # "Chương I", "Phần thứ nhất"
ROMAN_OR_NUMBER_HEAD = re.compile(r"^([IVXLC]+|\d+|[A-Z])[.\-)]\s")  # "I. KẾT QUẢ", "1. Kết quả"


@dataclass(frozen=True)
class LayoutCues:
    """Upper-case cue words from data/rules/layout.json."""

    doc_types: tuple[str, ...]
    motto: tuple[str, ...]
    signer_prefixes: tuple[str, ...]
    signer_heads: tuple[str, ...]
    recipients_head: tuple[str, ...]
    appendix_head: tuple[str, ...]
    copy_markers: tuple[str, ...]
    division_heads: tuple[str, ...]


@functools.lru_cache(maxsize=1)
def cues() -> LayoutCues:
    """Load the layout cue words once per process."""
    raw = json.loads((DATA_DIR / "rules" / "layout.json").read_text(encoding="utf-8"))
    # one closed list of types (data/metadata/closed_lists.json) with the layout cues' own
    doc_types = tuple(sorted({*raw["doc_types"], *closed_lists().doc_types}, key=len, reverse=True))
    return LayoutCues(
        doc_types=doc_types,
        motto=tuple(raw["motto"]),
        signer_prefixes=tuple(raw["signer_prefixes"]),
        signer_heads=tuple(sorted(raw["signer_heads"], key=len, reverse=True)),
        recipients_head=tuple(raw["recipients_head"]),
        appendix_head=tuple(raw["appendix_head"]),
        copy_markers=tuple(raw.get("copy_markers", ())),
        division_heads=tuple(raw.get("division_heads", ())),
    )


def type_word(text: str) -> str:
    """The document type word a title line starts with ("THÔNG BÁO KẾT LUẬN"), or ""."""
    t = strip_edge_marks(text)
    # a type word OCR damaged ("THONGBAo", "QUYÉT ĐINH"): its letters, within the closed list's tolerance
    damaged = is_upper(t, DAMAGED_UPPER) and len(t.split()) <= 12
    if not is_upper(t.split(" của ")[0].split(" CỦA ")[0]) and not is_upper(t) and not damaged:
        return ""
    up = t.upper()
    for dt in cues().doc_types:
        if up == dt or (up.startswith(dt + " ") and is_upper(t[: len(dt)])):
            return dt
    if damaged:
        # a lone first word of a type ("THÔNG": a stamp took "BÁO") stands in the type word's place
        m = match_doc_type(t, truncated=len(t.split()) == 1)
        if m and (not m.rest or len(m.doc_type) >= 8):
            return m.doc_type
    return ""


def is_motto(text: str) -> bool:
    """The national or party motto lines of the header."""
    up = re.sub(r"\s+", " ", strip_edge_marks(text).upper().replace("–", "-"))
    return any(m in up for m in cues().motto)


def is_division_head(text: str) -> bool:
    """A division line of a regulation's body: "Chương I", "CHƯƠNG II", "Mục 1", "Phần thứ nhất".

    Examples:
        >>> is_division_head("Chương I"), is_division_head("Chương trình công tác năm 2024")
        (True, False)
    """
    up = unicodedata.normalize("NFC", strip_edge_marks(text)).upper()
    return any(up.startswith(h) and DIVISION_NUMBER.match(up[len(h) :]) for h in cues().division_heads)


def is_recipients_head(text: str) -> bool:
    """ "Nơi nhận:" (possibly with the first recipient on the same line)."""
    up = strip_edge_marks(text).upper()
    return any(up.startswith(h) for h in cues().recipients_head)


def is_signer_title(text: str) -> bool:
    """A signature-block title line: "KT. CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN", "CHÁNH THANH TRA"."""
    t = strip_edge_marks(text)
    if not t or len(t) > 80 or not is_upper(t):
        return False
    up = t.upper()
    if any(up.startswith(p) for p in cues().signer_prefixes):
        return True
    return any(up == h or up.startswith(h + " ") for h in cues().signer_heads)


def is_appendix_head(text: str) -> bool:
    """ "PHỤ LỤC ..." starts an appendix that belongs to the body."""
    up = strip_edge_marks(text).upper()
    return any(up.startswith(h) for h in cues().appendix_head)


def pages_to_lines(pages: list[Page]) -> list[Line]:
    """All lines of all pages in reading order; a page break starts a paragraph candidate."""
    out: list[Line] = []
    for page in pages:
        out.extend(page.lines)
    return out


def find_title(lines: list[Line]) -> int:
    """Index of the type-word line ("THÔNG BÁO", "KẾT LUẬN"…) or of a "V/v" line, else -1."""
    limit = min(len(lines), 60)
    # The type word is printed on the first page (Nghị định 30/2020/NĐ-CP, Phụ lục I): a type word
    # after the document's "Nơi nhận" or on a later page heads an attached document.
    first_page = [i for i in range(limit) if lines[i].page == lines[0].page]
    if len(first_page) >= 8:
        limit = len(first_page)
    limit = next((i for i in range(limit) if is_recipients_head(lines[i].text)), limit)
    # The capital line under "Chương I" names the chapter ("QUY ĐỊNH CHUNG"), it is no type word.
    typed_all = [
        i
        for i in range(limit)
        if type_word(lines[i].text)
        and not is_motto(lines[i].text)
        and not (i > 0 and is_division_head(lines[i - 1].text))
    ]
    # A type-like word inside a header column is the end of a wrapped agency name ("BAN QUẢN LÝ DỰ
    # ÁN … CÔNG TRÌNH GIAO" / "THÔNG"): the type word stands under the header, outside its columns.
    typed = next((i for i in typed_all if not lines[i].column), typed_all[0] if typed_all else -1)
    letter = next((i for i in range(limit) if VV_LINE.match(strip_edge_marks(lines[i].text))), -1)
    if letter >= 0 and (typed < 0 or letter < typed):
        return letter
    return typed


def header_end(lines: list[Line]) -> int:
    """Index after the header block of a document without a type word.

    The header (Nghị định 30/2020/NĐ-CP, Phụ lục I) is the agency lines and "Số:" in the left
    column, the motto and the place-date line in the right one: it ends at the first line after
    the motto or the number that is none of these and stands in neither column. Without a motto
    or a number it runs to the place-date or number line, whichever is later.

    Examples:
        >>> header_end([Line("SỞ TÀI CHÍNH", column="left"), Line("Số: 77/BC-STC", column="left"),
        ...             Line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", column="right"),
        ...             Line("TỔNG HỢP KẾT QUẢ TIẾP CÔNG DÂN THÁNG 4 NĂM 2019", centered=True)])
        3
    """
    seen = False
    last = -1
    for i, ln in enumerate(lines[:30]):
        t = strip_edge_marks(ln.text)
        furniture = bool(is_motto(t) or NUMBER_LINE.match(t) or PLACE_DATE.search(t))
        if furniture:
            seen, last = True, i
        elif seen and not ln.column and not SEPARATOR.match(t):
            return last + 1
        elif seen and ln.column:
            last = i
    return 1 + max(
        (i for i, ln in enumerate(lines[:30]) if PLACE_DATE.search(ln.text) or NUMBER_LINE.match(ln.text)),
        default=-1,
    )


def untyped_title_end(lines: list[Line], start: int) -> int:
    """Index after a title block that has no type word: the capital lines under the header.

    A table report prints its excerpt in centred capitals where a type word would stand
    ("TỔNG HỢP KẾT QUẢ CÔNG TÁC TIẾP CÔNG DÂN ... THÁNG 4 NĂM 2019"); the body or a note in
    brackets follows. Returns `start` when the first line there is not such a line.

    Examples:
        >>> untyped_title_end([Line("TỔNG HỢP KẾT QUẢ TIẾP CÔNG DÂN"), Line("THÁNG 4 NĂM 2019"),
        ...                    Line("(Số liệu tính đến ngày 18/4/2019)")], 0)
        2
    """
    i = start
    while i < len(lines) and i - start < 6:
        t = strip_edge_marks(lines[i].text)
        if (
            not is_upper(t)
            or lines[i].table_row is not None
            or len(t) > 160
            or is_motto(t)
            or is_signer_title(t)
            or is_recipients_head(t)
            or ROMAN_OR_NUMBER_HEAD.match(t)
            or (i > start and lines[i].gap_before and not lines[i].centered)
        ):
            break
        i += 1
    return i


def title_end(lines: list[Line], start: int) -> int:
    """Index after the last trích yếu line that follows the type word at `start`."""
    first = lines[start]
    geometric = first.origin in ("text", "ocr", "docx") and (first.centered or first.bold)
    i = start + 1
    taken = 0
    while i < len(lines) and taken < 6:
        ln = lines[i]
        t = strip_edge_marks(ln.text)
        if not t or SEPARATOR.match(t):
            break
        if taken and ln.gap_before and not (geometric and ln.centered and ln.bold == lines[i - 1].bold):
            break
        if (
            taken == 0
            and ln.gap_before
            and not geometric
            and not type_word(first.text) == strip_edge_marks(first.text).upper()
        ):
            break
        # a line closing a bracket the line above opened goes on it, whatever it starts with:
        # "... lần thứ 21 (khóa" + "XXVIII) về tình hình ..." is no heading "XXVIII)"
        opened = strip_edge_marks(lines[i - 1].text)
        if opened.count("(") <= opened.count(")") and (
            BODY_OPENING.match(t) or ROMAN_OR_NUMBER_HEAD.match(t)
        ):
            break
        # OCR's centring and weight are guesses: a line wrapped without a gap goes on the excerpt
        if geometric and ln.origin in ("text", "docx") and not (ln.centered or ln.bold):
            break
        if geometric and ln.origin == "ocr" and not (ln.centered or ln.bold) and ln.gap_before:
            break
        # an excerpt in capitals ends where running text starts ("L Tổng quan chung ...": OCR'd "I.")
        excerpt = [strip_edge_marks(x.text) for x in lines[start + 1 : i]]
        if excerpt and all(is_upper(x) for x in excerpt) and not is_upper(t):
            break
        if is_recipients_head(t) or is_signer_title(t) or PLACE_DATE.search(t) or is_motto(t):
            break
        i += 1
        taken += 1
    return i


def tail_start(lines: list[Line], body_start: int) -> int:
    """Index where the body ends: the "Nơi nhận:" line or the signature block, whichever is first."""
    n = len(lines)
    recipients = next((i for i in range(body_start, n) if is_recipients_head(lines[i].text)), -1)
    # the signature block: a signer-title line in the last part of the document
    search_from = recipients if recipients >= 0 else max(body_start, n - 25)
    if recipients >= 0:
        search_from = max(body_start, min(recipients, n - 25))
    signer = next(
        (i for i in range(search_from, n) if is_signer_title(lines[i].text) and opens_signature(lines, i)), -1
    )
    candidates = [i for i in (recipients, signer) if i >= 0]
    return min(candidates) if candidates else n


def opens_signature(lines: list[Line], i: int) -> bool:
    """Whether the signer-title-like line at `i` starts a signature block, not body text.

    A Quyết định prints its authority in capitals above the legal bases ("CHỦ TỊCH ỦY BAN NHÂN
    DÂN TỈNH" then "Căn cứ Luật ..."); a signature block goes on with short lines: titles,
    "(Đã ký)", a name.

    Examples:
        >>> opens_signature([Line("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH KON TUM"),
        ...                  Line("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;")], 0)
        False
        >>> opens_signature([Line("KT. CHỦ TỊCH"), Line("PHÓ CHỦ TỊCH"), Line("Nguyễn Hữu Tháp")], 0)
        True
    """
    nxt = next((strip_edge_marks(ln.text) for ln in lines[i + 1 : i + 2] if strip_edge_marks(ln.text)), "")
    if not nxt or is_recipients_head(nxt):
        return True
    return not (
        BODY_OPENING.match(nxt)
        or LEGAL_BASIS.match(nxt)
        or (len(nxt) > SIGNER_LINE_MAX and not is_upper(nxt))
    )


def copy_block(tail: list[Line]) -> set[int]:
    """Indexes of the tail lines that belong to a copy block ("SAO Y BẢN CHÍNH" and its own
    number, place-date, recipients and signer; Nghị định 30/2020/NĐ-CP, Phụ lục I mục IV).

    The block starts at the copy marker or at a number line in the tail (the document's own
    number is in the header), taking the copying agency's capitalised name printed above that
    number; on a laid-out page it is everything from that height down, else everything after.
    """
    anchor = next(
        (
            k
            for k, ln in enumerate(tail)
            if is_copy_marker(ln.text) or NUMBER_LINE.match(strip_edge_marks(ln.text))
        ),
        -1,
    )
    if anchor < 0:
        return set()
    start = anchor
    if NUMBER_LINE.match(strip_edge_marks(tail[anchor].text)):
        while start > 0 and is_upper(strip_edge_marks(tail[start - 1].text)) and tail[start - 1].column == tail[anchor].column \
                and not is_signer_title(tail[start - 1].text):  # fmt: skip
            start -= 1
    first = tail[start]
    if all(ln.top > 0 or ln.bottom > 0 for ln in tail):
        return {k for k, ln in enumerate(tail) if (ln.page, ln.top) >= (first.page, first.top - 2.0)}
    return set(range(start, len(tail)))


def is_copy_marker(text: str) -> bool:
    """ "SAO Y BẢN CHÍNH", "SAO LỤC", "TRÍCH SAO" (the heading of a copy block)."""
    up = re.sub(r"\s+", " ", strip_edge_marks(text).upper())
    return any(up == m or up.startswith(m + " ") for m in cues().copy_markers)


def split_tail(tail: list[Line]) -> tuple[list[Line], list[Line], list[Line]]:
    """Cut the lines after the body into recipients, signer and an appendix (returned to the body).

    A copy block ("SAO Y BẢN CHÍNH" with its own number and recipients) belongs to neither part.
    """
    recipients: list[Line] = []
    signer: list[Line] = []
    in_recipients = False
    end = next(
        (k for k, ln in enumerate(tail) if k > 0 and is_appendix_head(strip_edge_marks(ln.text))), len(tail)
    )
    appendix = tail[end:]
    copy = copy_block(tail[:end])
    for k, ln in enumerate(tail[:end]):
        t = strip_edge_marks(ln.text)
        if k in copy:
            continue
        if is_recipients_head(t):
            in_recipients = True
            recipients.append(ln)
            continue
        if in_recipients:
            prev = strip_edge_marks(recipients[-1].text) if recipients else ""
            bullet = t[:1] in "-+•–*" and not SEPARATOR.match(t)
            continuation = (
                not bullet
                and not is_signer_title(t)
                and (ln.column == recipients[-1].column or not ln.column)
                and not prev.endswith((";", ".", ","))
                and len(recipients) > 1
                and not t.startswith("(")
            )
            if bullet or continuation:
                recipients.append(ln)
                continue
            in_recipients = False
        signer.append(ln)
    return recipients, signer, appendix


def lines_to_layout(lines: list[Line]) -> Layout:
    """Cut lines into the parts of an administrative document.

    Args:
        lines: normalized lines in reading order (header columns already separated).

    Returns:
        The Layout; `lines` keeps everything for fields the parts miss.

    Examples:
        >>> ls = [Line("UBND TỈNH QUẢNG NGÃI"), Line("THÔNG BÁO", gap_before=True),
        ...       Line("Kết luận của Chủ tịch UBND tỉnh"), Line("Ngày 04/4/2024, tại ...", gap_before=True),
        ...       Line("Nơi nhận:", gap_before=True), Line("- Lưu: VT."), Line("CHỦ TỊCH")]
        >>> lay = lines_to_layout(ls)
        >>> [ln.text for ln in lay.title], len(lay.body), lay.signer[0].text
        (['THÔNG BÁO', 'Kết luận của Chủ tịch UBND tỉnh'], 1, 'CHỦ TỊCH')
    """
    lines = [ln for ln in lines if strip_edge_marks(ln.text)]
    t = find_title(lines)
    if t >= 0:
        header = lines[:t]
        end = title_end(lines, t)
        title = lines[t:end]
    else:
        last = header_end(lines)
        header = lines[:last]
        end = untyped_title_end(lines, last)
        title = lines[last:end]
    tail_at = tail_start(lines, end)
    body = [ln for ln in lines[end:tail_at] if not SEPARATOR.match(strip_edge_marks(ln.text))]
    recipients, signer, appendix = split_tail(lines[tail_at:])
    body.extend(appendix)
    return Layout(header=header, title=title, body=body, recipients=recipients, signer=signer, lines=lines)


def pages_to_layout(pages: list[Page]) -> Layout:
    """`lines_to_layout` over all pages of a document."""
    return lines_to_layout(pages_to_lines(pages))
