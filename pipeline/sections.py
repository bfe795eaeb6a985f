"""Sections stage: body lines -> paragraphs (Blocks) and the outline tree (Sections) with categories.

Joins wrapped lines and page breaks into paragraphs (ANNOTATION.md rule 5), recognises
outline markers (I./A./1./1.1./a)/-/+) and headings, and names each section's category
from its heading words. It never cuts paragraphs into items.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .claims import names_dialogue, names_petition
from .cues import (
    category_cues,
    ends_on_field_label,
    heading_categories,
    names_body,
    names_measures,
    names_responsibility,
    without_names,
)
from .records import Block, Line, Section
from .text.canonical import tone_key
from .text.markup import strip_edge_marks
from .text.orthography import is_upper

# Outline markers, most specific first; each names a style (a family of sibling markers).
MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("part", re.compile(r"^(PHẦN|Phần)\s+(THỨ\s+\w+|thứ\s+\w+|[IVXLC]+|\d+)\s*[.:\-–]?\s*")),  # "PHẦN I."
    ("roman", re.compile(r"^([IVX]{1,5})\s*[.\-–)]\s*(?=\S)")),  # "II. TỒN TẠI, HẠN CHẾ"
    ("upper", re.compile(r"^([A-HJ-UWYZĐ])\s*[.)]\s+")),  # "B. TỒN TẠI, HẠN CHẾ"
    ("arabic3", re.compile(r"^(\d{1,2}\.\d{1,2}\.\d{1,2})\.?\s+")),  # "1.2.3. ..."
    ("arabic2", re.compile(r"^(\d{1,2}\.\d{1,2})\.?\s+")),  # "1.1. Kết quả"
    ("arabic2", re.compile(r"^(\d)[,x.](\d)[.,]\s+(?=[A-ZĐ])")),  # OCR of "2.1.": "2x1, Các", "2.1, Các"
    ("arabic", re.compile(r"^(\d{1,2})\s*[.]\s+")),  # "1. Kết quả đạt được"
    # "1) Một số cửa hàng …" under "2. Về tồn tại, hạn chế": a family of its own, one level below "1."
    ("arabic_paren", re.compile(r"^(\d{1,2})\s*[)]\s+")),
    ("arabic_dash", re.compile(r"^(\d{1,2})\s*[-–]\s+")),  # "1- Kết quả đạt được"
    ("lower", re.compile(r"^([a-zđ])\s*[).]\s+")),  # "a) Khám, chữa bệnh: ..."
    ("dash", re.compile(r"^[-–—]\s*(?=[^\s\d\-])")),  # "- Sở Tài chính: ..."
    ("plus", re.compile(r"^\+\s*")),  # "+ Công tác thanh tra: ..."
    ("bullet", re.compile(r"^[•●▪◦∙·►➢✓]\s*")),  # "• ..."
    ("star", re.compile(r"^\*\s+(?=\S)")),  # "* Nhiệm vụ trọng tâm"
]
# A heading naming a field of work: "Công tác chỉ đạo ...", "Về công tác kế hoạch", "Lĩnh vực đầu tư"
TOPIC_HEADING = re.compile(r"^(?:về\s+)?(?:công tác|lĩnh vực)\s")
# The lead-in of the conclusions, framing text and never a heading: "… kết luận như sau:"
FRAMING_LEAD = re.compile(r"kết luận|như sau|sau khi|chỉ đạo như", re.IGNORECASE)
CONCLUDING = re.compile(r"kết luận|sau khi|chỉ đạo như", re.IGNORECASE)  # "… Giám đốc kết luận như sau:"
# The ordinal opening of each point a plain lead-in sentence announces ("Thứ nhất, số tiền thuế nợ
# còn lớn …", "Một là, việc giải quyết hồ sơ còn chậm …"), on `tone_key` text.
LEAD_TAIL_WORDS = 4  # the words at the end of such a sentence that name what it announces
ORDINAL_OPENING = re.compile(r"^(?:thứ nhất|một là)\b")  # "thứ nhất, số tiền thuế nợ …"
# Any ordinal opening of a point, on `tone_key` text: "thứ hai, việc cập nhật …", "ba là, …"
ORDINAL_POINT = re.compile(
    r"^(?:thứ (?:nhất|hai|ba|tư|năm|sáu|bảy|tám|chín|mười)|(?:một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười) là)\b"
)
# The words that close a lead-in on its list: "… những nhiệm vụ trọng tâm sau.", "… như sau:"
LIST_CLOSE = re.compile(r"(?:,?\s+cụ thể)?(?:\s+(?:như sau|sau đây|dưới đây|sau))?\s*[.:]?$")
# The period a lead-in names is no figure of a statement: "Để hoàn thành nhiệm vụ năm 2022, …",
# "Trong tháng 5/2023, …", "quý III/2022"
PERIOD_FIGURES = re.compile(
    r"\b(?:năm|tháng|quý|kỳ|giai đoạn)\s+[\dIVX]+(?:\s*[/-]\s*\d{2,4})*(?:\s*-\s*\d{4})?", re.IGNORECASE
)

TERMINAL = (".", "!", "?", ";", ":", "./.", ".”", '."')
LOWER_START = re.compile(r"^[a-zđàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ(]")

# A document number wrapped at its hyphen: "Quyết định số 1234/QĐ-" + "UBND ngày ..." (no space between).
NUMBER_HYPHEN_END = re.compile(r"[/\dA-ZĐ]-$")
UPPER_START = re.compile(r"^[A-ZĐ]{2}")
BARE_FIGURE = re.compile(r"^[\d/.\-]{1,10}$")  # "7/2022" wrapped off "I. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ THÁNG"


def join_wrapped(texts: Iterable[str]) -> str:
    """Join the wrapped lines of one paragraph with spaces, except inside a document number.

    Examples:
        >>> join_wrapped(["theo Quyết định số 1234/QĐ-", "UBND ngày 05/3/2024"])
        'theo Quyết định số 1234/QĐ-UBND ngày 05/3/2024'
        >>> join_wrapped(["công tác phối hợp", "giữa các sở"])
        'công tác phối hợp giữa các sở'
    """
    out = ""
    for t in texts:
        if out and not (NUMBER_HYPHEN_END.search(out) and UPPER_START.match(t)):
            out += " "
        out += t
    return out


def split_marker(text: str) -> tuple[str, str, str]:
    """Split an outline marker off a paragraph: (style, marker, rest).

    Examples:
        >>> split_marker("II. TỒN TẠI, HẠN CHẾ")
        ('roman', 'II.', 'TỒN TẠI, HẠN CHẾ')
        >>> split_marker("+ Công tác thanh tra: Triển khai 14 cuộc")
        ('plus', '+', 'Công tác thanh tra: Triển khai 14 cuộc')
    """
    for style, rx in MARKERS:
        m = rx.match(text)
        if m:
            rest = text[m.end() :].strip()
            if not rest:
                continue
            return style, text[: m.end()].strip(), rest
    return "", "", text


def section_category(text: str) -> str:
    """One category for a heading: the one it names, "mixed" for two or more, "other" for none.

    A heading that names a field of work ("Công tác chỉ đạo phòng, chống thiên tai", "Về công tác
    kế hoạch") is a topic: its task words name the activity, not what is to be done.

    Examples:
        >>> section_category("2. Công tác chỉ đạo phòng, chống thiên tai và bảo đảm nguồn nước")
        'other'
        >>> section_category("III. NHIỆM VỤ TRỌNG TÂM THÁNG 10 NĂM 2023")
        'task'
        >>> section_category("Giao Sở Tài chính:"), section_category("Giám đốc Sở ghi nhận:")
        ('task', 'result')
        >>> section_category("III. TRÁCH NHIỆM"), section_category("III. KẾT LUẬN VÀ XỬ LÝ")
        ('cause', 'task')
    """
    rest = split_marker(text)[2]  # "Phòng Kế hoạch - Nghiệp vụ" names a body, no plan
    if names_petition(rest):
        return "other"  # "3. Kiến nghị của các hộ dân thôn Bắc Hội": a citizen's case (Luật Tiếp công dân)
    if names_dialogue(rest):
        return "mixed"  # "KIẾN NGHỊ CỦA DOANH NGHIỆP VÀ HƯỚNG GIẢI QUYẾT": what was raised, and the answer
    if names_responsibility(rest):
        return "cause"  # who answers for the violations of an inspection (Luật Thanh tra 2022)
    if names_measures(rest):
        return "task"  # "KẾT LUẬN VÀ XỬ LÝ": truy thu, xử phạt, … (Luật Thanh tra 2022, Luật Quản lý thuế)
    cats = heading_categories(without_names(rest) if names_body(rest) else text, qualified=True)
    if "task" in cats and TOPIC_HEADING.match(split_marker(tone_key(text))[2]):
        cats.remove("task")
    lead = category_cues().directive_lead
    if not cats and lead is not None and lead.search(tone_key(text).strip()):
        cats = ["task"]
    if not cats:
        return "other"
    return cats[0] if len(cats) == 1 else "mixed"


# The words a category heading may open with before its cue: "Những hạn chế", "Về nhiệm vụ thời gian tới"
HEADING_OPENERS = re.compile(r"^(?:(?:về|những|các|một số|i+\.?)\s+)*")
PLAIN_HEADING_WORDS = 10  # "Nhiệm vụ trọng tâm thời gian tới", "Kết quả đạt được trong 6 tháng đầu năm"


def plain_heading(text: str) -> bool:
    """An unmarked line that is a category heading: short, unpunctuated, and opening with the cue it
    names ("Đánh giá chung", "Nhiệm vụ thời gian tới", "Những hạn chế"), as a heading of a document
    without outline markers reads once OCR has lost its bold.

    Examples:
        >>> plain_heading("Đánh giá chung"), plain_heading("Nhiệm vụ thời gian tới")
        (True, True)
        >>> plain_heading("Giao Phòng Nội vụ theo dõi nhiệm vụ"), plain_heading("Kết quả đạt được.")
        (False, False)
    """
    t = text.strip()
    if not t or t.endswith(TERMINAL) or ":" in t or len(t.split()) > PLAIN_HEADING_WORDS:
        return False
    if LOWER_START.match(t) or _starts_marker(t):
        return False
    key = tone_key(t).strip()
    cc = category_cues()
    starts = [m.start() for ws in cc.heading_words.values() for w in ws for m in w.finditer(key)]
    starts += [m.start() for w in cc.assessment_words for m in w.finditer(key)]
    opener = HEADING_OPENERS.match(key)
    return bool(heading_categories(t)) and (opener.end() if opener else 0) in starts


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith(TERMINAL)


def _starts_marker(text: str) -> bool:
    return bool(split_marker(text)[0])


def _wrapped_dash(prev: Line, ln: Line, ptext: str, t: str, left: float, right: float) -> bool:
    """A "- ..." line that continues a justified paragraph: "đồng chí Trương Minh Quân" wrapped
    before "- Giám đốc Công ty chủ trì ...". The line before it runs to the right margin (a line
    of a justified paragraph that is not its last) without ending a sentence, and it starts at
    the left margin, not at the indent where bullets stand."""
    if ln.origin not in ("text", "ocr") or right <= left or split_marker(t)[0] != "dash":
        return False
    width = right - left
    full = prev.x1 >= right - 0.02 * width
    return full and not _ends_sentence(ptext) and ln.x0 <= left + 0.01 * width


def _wrapped_colon(prev: Line, ln: Line, ptext: str, t: str, left: float, right: float) -> bool:
    """A colon at the end of a full line inside a paragraph: "…, lập danh sách trẻ bỏ mũi, thời gian:"
    wrapped before "trước 20/8/2019.". A lead-in closes on its colon and what it introduces opens a new
    line with a capital or a marker (Nghị định 30/2020); a line of a justified paragraph that runs to
    the right margin and is followed by a lower-case line without a marker wraps mid-sentence.

    Examples:
        >>> _wrapped_colon(Line("cao tổ chức tiêm vét tại thôn, lập danh sách trẻ bỏ mũi, thời gian:", x0=0.1,
        ...     x1=0.9, origin="text"), Line("trước 20/8/2019.", x0=0.1, x1=0.3, origin="text"),
        ...     "cao tổ chức tiêm vét tại thôn, lập danh sách trẻ bỏ mũi, thời gian:", "trước 20/8/2019.", 0.1, 0.9)
        True
        >>> _wrapped_colon(Line("Giám đốc giao:", x0=0.1, x1=0.3, origin="text"),
        ...     Line("các phòng rà soát hồ sơ.", x0=0.1, x1=0.5, origin="text"),
        ...     "Giám đốc giao:", "các phòng rà soát hồ sơ.", 0.1, 0.9)
        False
    """
    if ln.origin not in ("text", "ocr") or right <= left or ln.page != prev.page:
        return False
    if not ptext.rstrip().endswith(":") or not LOWER_START.match(t) or _starts_marker(t):
        return False
    return prev.x1 >= right - 0.02 * (right - left)


def _split_ocr_line(
    prev: Line, ln: Line, ptext: str, t: str, span: tuple[float, float], indents: bool
) -> bool:
    """A line the OCR cut in two or flagged with a gap it does not have, inside one paragraph: a piece
    that opens in lower case well right of the margin ("và TKCN, phân công thành viên phụ", the right
    half of a line), or, where paragraphs open at an indent, a line at the margin after a full line
    that ends a clause with ";" or "," or none ("… theo phương châm "bốn tại chỗ";" | "100% phường,
    xã đã kiện toàn …"): a new paragraph opens with a capital at the indent (Nghị định 30/2020).

    Examples:
        >>> _split_ocr_line(Line("phương châm bốn tại chỗ;", x0=91, x1=546, origin="ocr"),
        ...     Line("100% phường, xã đã kiện toàn", x0=92, x1=318, origin="ocr", gap_before=True),
        ...     "phương châm bốn tại chỗ;", "100% phường, xã đã kiện toàn", (91.0, 546.0), True)
        True
        >>> _split_ocr_line(Line("… không để xảy ra thiệt hại về người.", x0=91, x1=300, origin="ocr"),
        ...     Line("Tuy nhiên, công tác chuẩn bị …", x0=120, x1=546, origin="ocr", gap_before=True),
        ...     "… không để xảy ra thiệt hại về người.", "Tuy nhiên, công tác chuẩn bị …", (91.0, 546.0), True)
        False
    """
    left, right = span
    if (
        ln.origin != "ocr"
        or prev.origin != "ocr"
        or right <= left
        or ln.page != prev.page
        or _starts_marker(t)
    ):
        return False
    width = right - left
    if LOWER_START.match(t) and ln.x0 > left + 0.25 * width:
        return True
    full = prev.x1 >= right - 0.02 * width
    clause = not ptext.rstrip().endswith((".", ":", "!", "?", ".”", '."'))
    return indents and full and clause and ln.x0 <= left + 0.01 * width


def _carried_over(prev: Line, ln: Line, ptext: str, t: str, left: float, right: float) -> bool:
    """A paragraph carried over a page break: the last line of the page stops mid-sentence and the
    first of the next carries no marker, or the last line ends a clause of a list with ";" and the next
    starts in lower case, as the list's next clause does (a new paragraph opens with a capital or a
    marker; Nghị định 30/2020). A figure goes on ("… hoàn thành trước ngày" | "28/02/2023.");
    so does a capitalised name when the last line runs to the right margin, as every line of a
    justified paragraph but its last does ("…, báo cáo" | "Trưởng Ban trước ngày 20/3/2023.").

    Examples:
        >>> _carried_over(Line("tháo gỡ vướng mắc trong giải ngân, báo cáo", page=1, x0=0.1, x1=0.9, origin="text"),
        ...     Line("Trưởng Ban trước ngày 20/3/2023.", page=2, x0=0.1, x1=0.4, origin="text"),
        ...     "tháo gỡ vướng mắc trong giải ngân, báo cáo", "Trưởng Ban trước ngày 20/3/2023.", 0.1, 0.9)
        True
        >>> _carried_over(Line("định; tỷ lệ vệ sinh tay mới đạt 72%;", page=1, x0=0.1, x1=0.5, origin="text"),
        ...     Line("buồng đệm chưa có bồn rửa tay.", page=2, x0=0.1, x1=0.4, origin="text"),
        ...     "định; tỷ lệ vệ sinh tay mới đạt 72%;", "buồng đệm chưa có bồn rửa tay.", 0.1, 0.9)
        True
    """
    if ln.page <= prev.page or _starts_marker(t):
        return False
    if ptext.rstrip().endswith(";") and LOWER_START.match(t):
        return True  # a list inside one sentence goes on: "…; tỷ lệ … mới đạt 72%;" | "buồng đệm … chưa có …"
    if _ends_sentence(ptext):
        return False
    geometric = ln.origin in ("text", "ocr") and right > left
    full = geometric and prev.x1 >= right - 0.02 * (right - left)
    if t[:1].isdigit():
        return full or not geometric
    return full and t[:1].isupper() and not is_upper(t)


# A wrapped line that opens on the close of a parenthesis: "3) phản ánh …" after "(Khu công nghiệp Mỹ Phước"
CLOSING_PAREN_START = re.compile(r"^[\w.,/-]{1,8}\)")


def _closes_parenthesis(so_far: str, t: str) -> bool:
    """A line whose "3)" or "a)" closes a parenthesis the paragraph opened on a line before ("Công ty
    TNHH Giày Tân Phú Thịnh (Khu công nghiệp Mỹ Phước" | "3) phản ánh …"): a wrap inside the
    parenthesis, no outline marker (a marker opens a paragraph; Nghị định 30/2020).

    Examples:
        >>> _closes_parenthesis("Công ty TNHH Giày Tân Phú Thịnh (Khu công nghiệp Mỹ Phước", "3) phản ánh Công ty")
        True
        >>> _closes_parenthesis("Giao các phòng thực hiện các việc sau (theo phụ lục).", "1) Rà soát hồ sơ.")
        False
    """
    return bool(CLOSING_PAREN_START.match(t)) and so_far.count("(") > so_far.count(")")


def body_to_blocks(lines: list[Line]) -> list[Block]:
    """Join body lines into paragraphs (ANNOTATION.md rule 5: a broken paragraph is one item).

    A line starts a new paragraph when it has a gap or indent before it, carries an outline
    marker, or follows a finished sentence on a short line; it continues the paragraph when the
    previous line stops mid-sentence and it starts in lower case, even across a page break.
    """
    blocks: list[Block] = []
    cur: list[Line] = []
    geometric = [ln for ln in lines if ln.origin in ("text", "ocr") and ln.x1 > ln.x0]
    left = min((ln.x0 for ln in geometric), default=0.0)
    right = max((ln.x1 for ln in geometric), default=0.0)
    # paragraphs that open at an indent: "Thời gian qua, …" 6 mm right of the lines that wrap under it
    indents = sum(1 for ln in geometric if ln.gap_before and ln.x0 > left + 0.03 * (right - left)) >= 2
    lengths = sorted(len(ln.text) for ln in lines if ln.origin not in ("text", "ocr"))
    long_line = lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0

    def flush() -> None:
        if not cur:
            return
        if cur[0].table_row is not None:
            for ln in cur:
                blocks.append(Block(text=ln.text, page=ln.page, table_row=list(ln.table_row or [])))
            cur.clear()
            return
        text = join_wrapped(strip_edge_marks(ln.text) for ln in cur)
        text = re.sub(r"\s+", " ", text).strip()
        # a word hyphenated at a line end: "phối-\nhợp" is rare in Vietnamese, keep the hyphen
        style, marker, rest = split_marker(text)
        bold = all(ln.bold for ln in cur)
        blocks.append(Block(text=rest, page=cur[0].page, marker=marker, style=style, bold=bold,
                            upper=is_upper(rest)))  # fmt: skip
        cur.clear()

    for ln in lines:
        t = strip_edge_marks(ln.text)
        if not t or (ln.origin == "ocr" and not any(c.isalnum() for c in t)):
            continue  # an OCR speck ("|" of a page edge) between the lines of one paragraph
        if ln.table_row is not None or (cur and cur[0].table_row is not None):
            flush()
            cur.append(ln)
            flush()
            continue
        if not cur:
            cur.append(ln)
            continue
        prev = cur[-1]
        ptext = strip_edge_marks(prev.text)
        continues = not _ends_sentence(ptext) and bool(LOWER_START.match(t)) and not _starts_marker(t)
        continues = continues or _wrapped_dash(prev, ln, ptext, t, left, right)
        continues = continues or _carried_over(prev, ln, ptext, t, left, right)
        continues = continues or _wrapped_colon(prev, ln, ptext, t, left, right)
        continues = continues or _split_ocr_line(prev, ln, ptext, t, (left, right), indents)
        continues = continues or (is_upper(ptext) and bool(BARE_FIGURE.match(t)))
        continues = continues or (
            bool(CLOSING_PAREN_START.match(t)) and _closes_parenthesis(" ".join(c.text for c in cur), t)
        )
        # "… số lượng hồ sơ lớn. Chủ trì:" | "Văn phòng UBND tỉnh. Thời hạn: …": a task's particulars
        continues = continues or (not _starts_marker(t) and ends_on_field_label(ptext))
        new = False
        if _starts_marker(t) and not continues:
            new = True
        elif (
            prev.bold != ln.bold
            and ln.origin != "ocr"
            and not continues
            and ((prev.bold and all(c.bold for c in cur)) or _ends_sentence(ptext))
        ):
            new = True  # a bold heading ends, or a bold one starts after a finished sentence
        elif ln.gap_before and not continues:
            new = True
        elif ptext.endswith(":") and not continues:
            new = True
        elif is_upper(ptext) and not is_upper(t) and len(ptext) > 3 and not BARE_FIGURE.match(t):
            new = True
        elif ln.origin in ("text", "ocr") and right > left and not continues:
            width = right - left
            short_prev = prev.x1 < right - 0.12 * width
            # a justified paragraph's later lines start at the margin: a line at the first-line
            # indent after a line that also started there opens a new paragraph
            at_indent = ln.x0 > left + 0.03 * width
            indented = at_indent and (
                ln.x0 > prev.x0 + 0.02 * width
                or (prev.x0 > left + 0.03 * width and abs(ln.x0 - prev.x0) < 0.01 * width)
            )
            # a lone numbered line stopping short of the margin before a capitalised line is a
            # heading ("1. Kết quả hoạt động trong tháng 5 năm 2024"), bold or not (OCR loses bold)
            heading = len(cur) == 1 and short_prev and _starts_marker(ptext) and not LOWER_START.match(t)
            # … or running near the margin, when the next line opens at the same first-line indent: a
            # wrapped line would start at the margin ("1. Hạ tầng giao thông kết nối các khu, cụm công nghiệp")
            heading = heading or (
                len(cur) == 1 and indents and at_indent and prev.x0 > left + 0.03 * width
                and abs(ln.x0 - prev.x0) < 0.01 * width and _starts_marker(ptext) and t[:1].isupper()
            )  # fmt: skip
            # so is a lone unmarked category heading ("Đánh giá chung", "Nhiệm vụ thời gian tới")
            heading = heading or (
                len(cur) == 1 and short_prev and not LOWER_START.match(t) and plain_heading(ptext)
            )
            new = (short_prev and _ends_sentence(ptext)) or (indented and _ends_sentence(ptext)) or heading
        elif (
            ln.origin in ("txt", "docx")
            and not LOWER_START.match(t)
            and (_ends_sentence(ptext) or len(ptext) < 0.6 * long_line)
        ):
            new = True  # a finished sentence, or a short line (a heading) before an upper-case start
        if new:
            flush()
        cur.append(ln)
    flush()
    return blocks


def is_heading(block: Block, next_block: Block | None) -> bool:
    """A heading or a lead-in: short, not a finished statement, and marked as structure."""
    text = block.text
    if block.table_row is not None:
        return False
    if block.style == "part":
        return True
    if text.endswith(":") and len(text) <= 400:
        # "- Nhiệm vụ tuần tới:" introduces a list; "Sau khi nghe ..., kết luận như sau:" is framing text
        if block.style:
            return len(text) <= 160 or introduces_next(next_block)
        if not CONCLUDING.search(text) and announces_points(block, next_block):
            return True  # "Bên cạnh kết quả đạt được, … còn những tồn tại, hạn chế, cụ thể như sau:" + "Thứ nhất, …"
        if FRAMING_LEAD.search(text):
            return False
        # "Giao Sở Nội vụ chủ trì, phối hợp các đơn vị liên quan:" before "a) ...", "b) ...": a lead-in
        return (len(text) <= 80 and bool(heading_categories(text))) or introduces_next(
            next_block, marked=True
        )
    if announces_points(block, next_block):
        return True  # "Bên cạnh kết quả đạt được, … còn một số tồn tại, hạn chế." before "Thứ nhất, …"
    if len(text) > 160:
        return False
    if block.upper and len(text.split()) >= 2 and not text.endswith((".", ";", ",")):
        return True  # "PHỤ LỤC: DANH MỤC NHIỆM VỤ NĂM 2022" (a topic item is never all capitals)
    if re.search(r":\s*\S", text):
        return False  # "+ Công tác thanh tra: ..." is a topic item
    if text.endswith((".", ";", ",", "./.")):
        return False
    if block.upper and len(text.split()) >= 2:
        return True
    if block.bold and len(text) <= 120:
        return True
    if block.style in ("roman", "upper", "part"):
        return True
    if (
        not block.style
        and plain_heading(text)
        and next_block is not None
        and not plain_heading(next_block.text)
    ):
        return True  # "Đánh giá chung" over its paragraphs, its bold lost to OCR
    if (
        block.style in ("arabic", "arabic_paren", "arabic2", "arabic3", "arabic_dash", "lower")
        and len(text) <= 90
    ):
        # "1. Kết quả đạt được" followed by deeper content, or "4. Về kinh phí cho hoạt động khoa
        # học" over a plain paragraph, is a heading; a short numbered statement followed by a sibling
        # is an item
        return (
            bool(heading_categories(text))
            or (next_block is not None and next_block.style != block.style and bool(next_block.style))
            or introduces_next(next_block, plain=True)
        )
    return False


def announces_points(block: Block, next_block: Block | None) -> bool:
    """A plain sentence that names a category and is followed by "Thứ nhất, …" paragraphs: a lead-in.

    ANNOTATION.md rule 6: the category comes from the nearest lead-in that says it, also when the
    lead-in is a whole sentence ending in a full stop ("Bên cạnh kết quả đạt được, công tác thuế
    còn một số tồn tại, hạn chế.") and its points are paragraphs opened by an ordinal.

    Examples:
        >>> announces_points(Block("Bên cạnh kết quả đạt được, công tác thuế còn một số tồn tại, hạn chế."),
        ...                  Block("Thứ nhất, số tiền thuế nợ còn lớn."))
        True
        >>> announces_points(Block("Công tác thuế còn một số tồn tại, hạn chế."), Block("Ngoài ra, ..."))
        False
    """
    if block.style or block.table_row is not None or next_block is None:
        return False
    if next_block.style or next_block.table_row is not None:
        return False
    text = tone_key(block.text).strip()
    if (
        len(text) > 200
        or not text.endswith((".", ":"))
        or any(c.isdigit() for c in PERIOD_FIGURES.sub("", text))
    ):
        return False  # a lead-in gives no figures but the period it speaks of
    if not ORDINAL_OPENING.match(tone_key(next_block.text).strip()):
        return False
    # it ends on what it announces: "… còn một số tồn tại, hạn chế.", "… những nhiệm vụ trọng tâm sau.";
    # a colon says it announces what follows: "… tồn tại, hạn chế cần sớm được khắc phục, cụ thể như sau:"
    body = LIST_CLOSE.sub("", text.rstrip(".:").rstrip())
    return bool(heading_categories(body if text.endswith(":") else " ".join(body.split()[-LEAD_TAIL_WORDS:])))


def lead_category(text: str) -> str:
    """The category a lead-in sentence announces: the last one it names.

    Examples:
        >>> lead_category("Bên cạnh kết quả đạt được, công tác thuế còn một số tồn tại, hạn chế.")
        'limitation'
    """
    cats = heading_categories(text, by_last=True)
    return cats[-1] if cats else "other"


def introduces_next(next_block: Block | None, marked: bool = False, plain: bool = False) -> bool:
    """Whether a paragraph is followed by what a lead-in or heading introduces: a bullet or
    numbered paragraph (`marked`), a plain paragraph (`plain`), or either (neither flag)."""
    if next_block is None or next_block.table_row is not None or next_block.style == "part":
        return False
    if marked:
        return bool(next_block.style)
    if plain:
        return not next_block.style
    return True


# OCR misreadings of the roman numerals of top-level headings ("II. TỒN TẠI" read as "H. TỒN TẠI",
# "III." as "HI." or "IIl."): the letters a scan confuses with "I" are H, l, L, 1 and |.
ROMAN_MISREAD = re.compile(r"^([IHlL1|]{1,4})\s*[.\-–)]\s*(?=\S)")  # "H. TỒN TẠI, HẠN CHẾ"
ROMAN_VALUES = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}


def _misread_roman(block: Block, expected: int) -> str:
    """The roman numeral an OCR-misread heading marker stands for, when it can only be the next one.

    "H." after "I." is "II." when no lettered heading ("A.", "B.", …) came before; the
    misread marker must have the next numeral's strokes ("HI." for "III.", never "H." for "III.").

    Examples:
        >>> _misread_roman(Block("TỒN TẠI, HẠN CHẾ", marker="H.", style="upper", upper=True), 2)
        'II'
        >>> _misread_roman(Block("HI. NHIỆM VỤ NĂM 2024", upper=True), 3)
        'III'
        >>> _misread_roman(Block("Hội nghị đã thống nhất", marker="H.", style="upper"), 2)
        ''
    """
    if not 2 <= expected <= 3 or not block.upper:  # only II and III are written with I's alone
        return ""
    numeral = "I" * expected
    m = ROMAN_MISREAD.match(f"{block.marker} {block.text}" if block.marker else block.text)
    if not m or m.group(1) == numeral:
        return ""
    strokes = sum(2 if c == "H" else 1 for c in m.group(1))  # "H" is two strokes run together
    return numeral if strokes == len(numeral) else ""


def blocks_to_sections(blocks: list[Block]) -> list[Section]:
    """Build the outline tree; assign each block its section and mark headings.

    The level of a marker style is given by its first use: a style seen again closes the
    sections opened below it (the usual way outline numbering is read). Blocks before the
    first heading belong to a root section "s0" (the opening of the document).
    """
    root = Section(section_id="s0", parent_id="", seq=0, level=0, numbering="", heading="", category="other")
    sections: list[Section] = [root]
    stack: list[tuple[str, Section]] = [("", root)]  # (style, section)
    style_rank: dict[str, int] = {}

    def pop_to(style: str) -> None:
        """Close open sections of `style` or deeper."""
        if not style:
            return
        for k in range(len(stack) - 1, 0, -1):
            if stack[k][0] == style:
                del stack[k:]
                return
        rank = style_rank.get(style)
        if rank is None:
            return
        while len(stack) > 1 and rank_at(len(stack) - 1) >= rank:
            stack.pop()

    def rank_at(k: int) -> float:
        """The rank of an open section; a lead-in sits just below the section it opens in."""
        if stack[k][0] != "lead":
            return style_rank.get(stack[k][0], -1)
        return (rank_at(k - 1) if k > 1 else 0) + 0.5

    last_roman = 0
    counted: set[str] = set()  # lead-ins whose "Thứ nhất, …" point has come
    for i, b in enumerate(blocks):
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if last_roman and b.style in ("", "upper") and "upper" not in style_rank:
            numeral = _misread_roman(b, last_roman + 1)
            if numeral:  # "H. TỒN TẠI" -> "II." + "TỒN TẠI"; "HI. NHIỆM VỤ" (no marker found) -> "III."
                body = b.text if b.marker else ROMAN_MISREAD.sub("", b.text, count=1)
                b.style, b.marker, b.text = "roman", f"{numeral}.", body.strip()
        if b.style == "roman":
            last_roman = ROMAN_VALUES.get(b.marker.rstrip(".-–)").strip(), last_roman)
        style = b.style or ("bold" if b.bold and not b.marker else "")
        if is_heading(b, nxt):
            points = announces_points(b, nxt)
            if not style and (b.text.endswith(":") or points):
                style = "lead"  # a plain lead-in: it closes the lead-in before it, nothing else
                while stack[-1][0] == "lead":
                    stack.pop()
            else:
                pop_to(style)
            if style and style != "lead" and style not in style_rank:
                style_rank[style] = len(stack)
            parent = stack[-1][1]
            sec = Section(
                section_id=f"s{len(sections)}", parent_id=parent.section_id, seq=len(sections),
                level=len(stack), numbering=b.marker, heading=b.text.rstrip(":").strip(),
                category=lead_category(b.text) if points else section_category(b.text), page=b.page,
            )  # fmt: skip
            sections.append(sec)
            stack.append((style, sec))
            b.heading = True
            b.section_id = sec.section_id
        else:
            if b.style:
                pop_to(b.style)
            elif stack[-1][0] == "lead" and b.table_row is None and ORDINAL_OPENING.match(tone_key(b.text)):
                # "Thứ nhất, …" again: a new list starts, which the lead-in of the last one does not govern
                if stack[-1][1].section_id in counted:
                    while stack[-1][0] == "lead":
                        stack.pop()
                else:
                    counted.add(stack[-1][1].section_id)
            b.section_id = stack[-1][1].section_id
    return sections


def body_to_sections(lines: list[Line]) -> tuple[list[Section], list[Block]]:
    """Paragraphs and outline of a body.

    Examples:
        >>> secs, blocks = body_to_sections([Line("I. KẾT QUẢ", gap_before=True, origin="txt"),
        ...     Line("- Hoàn thành 320 ha lúa.", origin="txt"), Line("II. TỒN TẠI, HẠN CHẾ", origin="txt"),
        ...     Line("- Thu thuế còn chậm.", origin="txt")])
        >>> [(s.numbering, s.category) for s in secs[1:]], [b.section_id for b in blocks if not b.heading]
        ([('I.', 'result'), ('II.', 'limitation')], ['s1', 's2'])
    """
    blocks = body_to_blocks(lines)
    return blocks_to_sections(blocks), blocks
