"""Realistic test documents rendered from corpus text (a helper module, not a test file).

Reads a conclusion written as plain text in document order (header, type line, trích yếu, body,
"Nơi nhận:", signer) and lays it out as a real one per Nghị định 30/2020/NĐ-CP: a text PDF
(reportlab, DejaVu Serif), a DOCX (python-docx, Times New Roman) or a copy of the .txt. It never
changes the words: text is NFC-normalised, hard-wrapped paragraph lines are joined, page-number
lines and decorations ("*", "-----") are dropped.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {
    "DejaVuSerif": "DejaVuSerif.ttf",
    "DejaVuSerif-Bold": "DejaVuSerif-Bold.ttf",
    "DejaVuSerif-Italic": "DejaVuSerif-Italic.ttf",
    "DejaVuSerif-BoldItalic": "DejaVuSerif-BoldItalic.ttf",
}
KINDS = ("pdf", "docx", "txt")
ALL_KINDS = (*KINDS, "scan")  # "scan": the PDF rasterised like an office scan (tools/scans.py)
FIXED_TIME = datetime(2024, 1, 1)  # DOCX core properties and zip member times
HEADER_SCAN = 25  # header cues are looked for among the first lines only
TITLE_MAX_LINES = 5  # type line + up to four lines of trích yếu

# --- structural cues (Nghị định 30/2020/NĐ-CP, Phụ lục I; Quy định 66-QĐ/TW for party documents)
MOTTO = re.compile(r"^C[ỘO]NG\s+H(?:ÒA|OÀ)\s+X[ÃA]\s+H[ỘO]I\s+CH[ỦU]\s+NGH[ĨI]A\s+VI[ỆE]T\s+NAM$", re.I)
# "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"
SUB_MOTTO = re.compile(r"^Độc\s+lập\s*[-–—]\s*Tự\s+do\s*[-–—]\s*Hạnh\s+phúc$", re.I)
# "Độc lập - Tự do - Hạnh phúc"
PARTY_MOTTO = re.compile(r"^ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM$")  # "ĐẢNG CỘNG SẢN VIỆT NAM"
PLACE_DATE = re.compile(r"^[^\d,]{2,60},\s*ngày\s*[\d.…_ ]*\s*tháng\s*[\d.…_ ]*\s*năm\s*[\d.…_ ]*$", re.I)
# "Tây Ninh, ngày 18 tháng 5 năm 2020", "Hà Nội, ngày      tháng     năm 2024"
DOC_NUMBER = re.compile(r"^Số\s*:?\s*[\d\s]*[/-]?\S*$")  # "Số: /TB-TTr", "Số 318-TB/ĐUK", "Số: 11 /TB-UBND"
RECIPIENTS_HEAD = re.compile(r"^Nơi\s+nhận\s*:?", re.I)  # "Nơi nhận:"
PAGE_NUMBER = re.compile(r"^(?:[-–]\s*)?(?:Trang\s+)?\d{1,3}(?:\s*[-–])?$")  # "2", "- 2 -"
DECORATION = re.compile(r"^[\s*_\-–—=~.]+$")  # "*", "-----", "___"
BULLET = re.compile(
    r"^(?:[-+•*–]\s"  # "- Sở Tài chính: …", "+ Công tác thanh tra: …"
    r"|[a-zđ]\)\s"  # "a) Về kinh tế", "đ) Khoa Hoá sinh …"
    r"|\d+(?:\.\d+)*[.)]\s"  # "1. Kết quả đạt được", "1.1. Kết quả đạt được"
    r"|\d+\s*-\s"  # "1- Kết quả đạt được" (party style)
    r"|[IVXLC]+\.\s"  # "II. TỒN TẠI, HẠN CHẾ"
    r"|[A-Z]\.\s"  # "A. KẾT QUẢ HOẠT ĐỘNG THÁNG 10/2024"
    r"|(?:PHẦN|Phần)\s+(?:[IVXLC\d]+\b|thứ\s))"  # "PHẦN I. ĐÁNH GIÁ …", "Phần I. KẾT QUẢ ĐẠT ĐƯỢC"
)
MD_BOLD = re.compile(r"^\*\*(.+?)\*\*$")  # "**I. Thực hiện nhiệm vụ tháng 5/2020**"
MD_EMPHASIS = re.compile(r"^\*{1,3}(.+?)\*{1,3}$")  # "***Nơi nhận:***", "*Quy Nhơn, ngày …*"
SENTENCE_END = (".", "!", "?", "./.")
CLAUSE_END = (".", "!", "?", ":", ";", ",")
HEADING_MAX_CHARS = 60  # a numbered line longer than this without a final stop is a wrapped line


@dataclass
class SourceLine:
    """One line of the source text with its Markdown emphasis removed."""

    text: str
    bold: bool = False
    blank_before: bool = False


@dataclass
class SourceDoc:
    """A conclusion cut into the parts of the Nghị định 30 layout, text as printed (NFC).

    `title_lines` starts with the type line ("THÔNG BÁO", "KẾT LUẬN"); `body_paragraphs` are
    (text, is_heading) with hard wraps joined; `signer_lines` are the title line(s) then the name.
    """

    header_left: list[str] = field(default_factory=list)
    header_right: list[str] = field(default_factory=list)
    title_lines: list[str] = field(default_factory=list)
    body_paragraphs: list[tuple[str, bool]] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    signer_lines: list[str] = field(default_factory=list)

    @property
    def agency_lines(self) -> list[str]:
        """Header left lines without the "Số: …" line."""
        return [s for s in self.header_left if not DOC_NUMBER.match(s)]

    @property
    def doc_number_line(self) -> str:
        """The "Số: …" line, or ""."""
        return next((s for s in self.header_left if DOC_NUMBER.match(s)), "")

    @property
    def motto_lines(self) -> list[str]:
        """Header right lines without the place-date line."""
        return [s for s in self.header_right if not PLACE_DATE.match(s)]

    @property
    def place_date_line(self) -> str:
        """The "<place>, ngày … tháng … năm …" line, or ""."""
        return next((s for s in self.header_right if PLACE_DATE.match(s)), "")

    @property
    def is_party(self) -> bool:
        """True for the party layout ("ĐẢNG CỘNG SẢN VIỆT NAM" in place of the national motto)."""
        return any(PARTY_MOTTO.match(s) for s in self.header_right)

    @property
    def signer_titles(self) -> list[str]:
        """The uppercase title lines of the signature block ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")."""
        return [s for s in self.signer_lines if _is_upper(s)]

    @property
    def signer_name(self) -> str:
        """The name under the signature ("Võ Thị Thanh Hương"), or "" when none is printed."""
        last = self.signer_lines[-1] if self.signer_lines else ""
        return "" if not last or _is_upper(last) else last

    def text(self) -> str:
        """The document as plain text in reading order, one paragraph a line."""
        parts = [*self.header_left, *self.header_right, *self.title_lines]
        parts += [p for p, _ in self.body_paragraphs]
        if self.recipients:
            parts += ["Nơi nhận:", *self.recipients]
        parts += self.signer_lines
        return "\n".join(parts)


def _is_upper(s: str) -> bool:
    """True when every letter is uppercase and there are at least two ("KT. CHỦ TỊCH")."""
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _clean(raw: str) -> tuple[str, bool]:
    """Strip Markdown emphasis and trailing hard-break spaces; say whether the line was bold."""
    s = raw.strip()
    if DECORATION.match(s):
        return s, False
    bold = False
    m = MD_BOLD.match(s)
    if m and "**" not in m.group(1).strip("*"):
        bold = True
    m = MD_EMPHASIS.match(s)
    if m:
        s = m.group(1).strip("*").strip()
    return s.replace("**", ""), bold


def _lines(text: str) -> list[SourceLine]:
    """Non-empty lines of `text` (NFC) with their blank-line-before flag."""
    out: list[SourceLine] = []
    blank = False
    for raw in unicodedata.normalize("NFC", text).splitlines():
        s, bold = _clean(raw)
        if not s:
            blank = True
            continue
        out.append(SourceLine(s, bold, blank))
        blank = False
    return out


def _starts_lower(s: str) -> bool:
    """True when the first letter of `s` is lowercase ("thay đổi biện pháp …")."""
    return s[:1].isalpha() and s[:1].islower()


def _is_heading_line(line: SourceLine, nxt: SourceLine | None) -> bool:
    """A heading: bold, all uppercase, or a short numbered line without a final stop."""
    s = line.text
    if s.endswith(CLAUSE_END):
        return False
    if line.bold or (_is_upper(s) and len(s) > 3):
        return True
    if not BULLET.match(s) or s[:1] in "-+•*–":
        return False
    wrapped = nxt is not None and _starts_lower(nxt.text) and not BULLET.match(nxt.text)
    return len(s) <= HEADING_MAX_CHARS and not wrapped


def _continues(prev: SourceLine, prev_heading: bool, line: SourceLine) -> bool:
    """True when `line` is the rest of the paragraph `prev` ends (a hard wrap or page break)."""
    s, p = line.text, prev.text
    if prev_heading or BULLET.match(s) or line.bold != prev.bold:
        return False
    if p.endswith(SENTENCE_END):
        return False
    if _starts_lower(s):
        return True
    # ANNOTATION.md rule 5: a wrap may fall before a capitalised word ("… Giám đốc / Công ty …",
    # "… ý kiến của các đơn vị, / Giám đốc Công ty kết luận"); across a blank line only a
    # lowercase start is trusted, since blank lines separate paragraphs.
    return not line.blank_before and not p.endswith((":", ";"))


def _paragraphs(lines: list[SourceLine]) -> list[tuple[str, bool]]:
    """Body lines to (paragraph, is_heading), wrapped lines joined with one space."""
    lines = [ln for ln in lines if not PAGE_NUMBER.match(ln.text) and not DECORATION.match(ln.text)]
    out: list[tuple[str, bool]] = []
    prev: SourceLine | None = None
    prev_heading = False
    for k, ln in enumerate(lines):
        nxt = lines[k + 1] if k + 1 < len(lines) else None
        if prev is not None and out and _continues(prev, prev_heading, ln):
            text, _ = out[-1]
            out[-1] = (f"{text} {ln.text}", False)
        else:
            out.append((ln.text, False))
        heading = _is_heading_line(ln, nxt) and out[-1][0] == ln.text
        if heading:
            out[-1] = (ln.text, True)
        prev, prev_heading = ln, heading
    return out


def _header_end(lines: list[SourceLine]) -> int:
    """Index of the last header line (Số, motto, place-date), or -1 when there is no header."""
    end = -1
    for k, ln in enumerate(lines[:HEADER_SCAN]):
        s = ln.text
        if len(s) > 120:  # a body paragraph: the header is over
            break
        if MOTTO.match(s) or SUB_MOTTO.match(s) or PARTY_MOTTO.match(s) or PLACE_DATE.match(s):
            end = k
        elif DOC_NUMBER.match(s) and len(s) < 40:
            end = k
    return end


def _split_tail(lines: list[SourceLine]) -> tuple[int, list[str], list[str]]:
    """Where the body ends, the recipient lines and the signer lines."""
    nn = max((k for k, ln in enumerate(lines) if RECIPIENTS_HEAD.match(ln.text)), default=-1)
    recipients: list[str] = []
    signer: list[str] = []
    if nn >= 0:
        head_rest = RECIPIENTS_HEAD.sub("", lines[nn].text).strip()
        if head_rest:
            recipients.append(head_rest)
        k = nn + 1
        while k < len(lines):
            ln = lines[k]
            if recipients and (ln.blank_before or (_is_upper(ln.text) and not BULLET.match(ln.text))):
                break
            recipients.append(ln.text)
            k += 1
        signer = [ln.text for ln in lines[k:]]
        body_end = nn
        if signer:
            return body_end, recipients, signer
        lines = lines[:nn]  # signature printed above "Nơi nhận:"
    # no recipients block after it: the signer is the trailing uppercase block and the name
    k = len(lines)
    if k and not _is_upper(lines[-1].text) and len(lines[-1].text) < 60 and not lines[-1].text.endswith("."):
        k -= 1
    while k > 0 and _is_upper(lines[k - 1].text) and len(lines[k - 1].text) < 60:
        k -= 1
    if k == len(lines) or all(not _is_upper(ln.text) for ln in lines[k:]):
        return (nn if nn >= 0 else len(lines)), recipients, signer
    signer = [ln.text for ln in lines[k:]]
    return (min(k, nn) if nn >= 0 else k), recipients, signer


def parse_source(text: str) -> SourceDoc:
    """Cut a conclusion's plain text into the parts of the Nghị định 30 layout.

    Only structural cues are used: the motto lines, "Số", the place-date line, the uppercase
    type line, "Nơi nhận:" and the uppercase signer lines. Markdown emphasis is removed (bold
    marks headings), text is NFC, hard wraps inside a paragraph are joined.

    Args:
        text: the document as UTF-8 text, e.g. a file of corpus/dev/text.

    Returns:
        The parts, each as printed.

    Examples:
        >>> doc = parse_source("UBND TỈNH X\\nSố: 5/TB-UBND\\nX, ngày 1 tháng 2 năm 2024\\n\\n"
        ...     "THÔNG BÁO\\nKết luận giao ban tháng 1\\n\\nNgày 30/1/2024, họp giao ban.\\n\\n"
        ...     "Nơi nhận:\\n- Lưu: VT.\\n\\nCHỦ TỊCH\\n\\nNguyễn Văn A")
        >>> doc.title_lines, doc.signer_name
        (['THÔNG BÁO', 'Kết luận giao ban tháng 1'], 'Nguyễn Văn A')
    """
    lines = _lines(text)
    doc = SourceDoc()
    end = _header_end(lines)
    for ln in lines[: end + 1]:
        s = ln.text
        if DECORATION.match(s):
            continue
        if MOTTO.match(s) or SUB_MOTTO.match(s) or PARTY_MOTTO.match(s) or PLACE_DATE.match(s):
            doc.header_right.append(s)
        else:
            doc.header_left.append(s)
    k = end + 1
    while k < len(lines) and DECORATION.match(lines[k].text):
        k += 1
    start = k
    # the type line: the first uppercase line after the header (else the first line)
    for j in range(k, min(k + 3, len(lines))):
        if _is_upper(lines[j].text):
            start = j
            break
    doc.header_left += [ln.text for ln in lines[k:start] if not DECORATION.match(ln.text)]
    body_start = start
    if start < len(lines):
        title = [lines[start]]
        j = start + 1
        while j < len(lines) and len(title) < TITLE_MAX_LINES:
            ln = lines[j]
            if ln.blank_before or DECORATION.match(ln.text) or ln.bold != title[-1].bold and len(title) > 1:
                break
            if title[-1].text.endswith(SENTENCE_END) or ln.text.endswith((".", ":")) or len(ln.text) > 110:
                break
            title.append(ln)
            j += 1
        doc.title_lines = [ln.text for ln in title]
        body_start = j
    rest = lines[body_start:]
    body_end, doc.recipients, doc.signer_lines = _split_tail(rest)
    doc.body_paragraphs = _paragraphs(rest[:body_end])
    return doc


# ---------------------------------------------------------------- PDF (reportlab)


def register_fonts() -> None:
    """Register DejaVu Serif regular/bold/italic/bold-italic as the family "DejaVuSerif"."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "DejaVuSerif-Italic" in pdfmetrics.getRegisteredFontNames():
        return
    for name, file in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    pdfmetrics.registerFontFamily(
        "DejaVuSerif",
        normal="DejaVuSerif",
        bold="DejaVuSerif-Bold",
        italic="DejaVuSerif-Italic",
        boldItalic="DejaVuSerif-BoldItalic",
    )


def _as_doc(src: SourceDoc | str | Path) -> SourceDoc:
    """A SourceDoc from itself, its text, or a path to a .txt file."""
    if isinstance(src, SourceDoc):
        return src
    if isinstance(src, Path):
        return parse_source(src.read_text(encoding="utf-8"))
    return parse_source(src)


def _rule(width: float) -> Any:
    """A short centred horizontal rule, as under the agency name, the motto and the title."""
    from reportlab.platypus.flowables import HRFlowable

    return HRFlowable(width=width, thickness=0.6, color="black", hAlign="CENTER", spaceBefore=2, spaceAfter=2)


def render_pdf(src: SourceDoc | str, out: Path, *, seed: int = 0) -> Path:
    """Render a conclusion as an A4 text PDF laid out per Nghị định 30/2020/NĐ-CP.

    `seed` varies the body size (13/14 pt), the indent and the margins a little, so that a
    test set is not one template; seed 0 is the standard layout.

    Args:
        src: the parsed document, or its text.
        out: the PDF to write.
        seed: layout variant.

    Returns:
        `out`.

    Examples:
        >>> render_pdf(Path("../shared/corpus/dev/text/000_907a2ed1a172817c.txt").read_text(),
        ...            Path("/tmp/seed.pdf"))  # doctest: +SKIP
        PosixPath('/tmp/seed.pdf')
    """
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    register_fonts()
    doc = _as_doc(src)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    body_size = 13.0 if seed % 2 == 0 else 14.0
    indent = (10 + 2.5 * (seed % 3)) * mm
    left_margin = (30 - 2 * (seed % 2)) * mm

    base = ParagraphStyle("base", fontName="DejaVuSerif", fontSize=12, leading=14.5, alignment=TA_CENTER)
    agency = ParagraphStyle("agency", parent=base, fontName="DejaVuSerif-Bold")
    motto = ParagraphStyle("motto", parent=base, fontName="DejaVuSerif-Bold")
    sub_motto = ParagraphStyle("sub", parent=motto, fontSize=12.5)
    number = ParagraphStyle("number", parent=base, fontSize=12.5)
    place = ParagraphStyle("place", parent=base, fontName="DejaVuSerif-Italic", fontSize=12.5)
    type_style = ParagraphStyle("type", parent=base, fontName="DejaVuSerif-Bold", fontSize=14, leading=18)
    excerpt = ParagraphStyle("excerpt", parent=type_style, fontSize=13.5, leading=17)
    body = ParagraphStyle(
        "body",
        fontName="DejaVuSerif",
        fontSize=body_size,
        leading=body_size * 1.3,
        alignment=TA_JUSTIFY,
        firstLineIndent=indent,
        spaceBefore=0,
        spaceAfter=5,
    )
    heading = ParagraphStyle("heading", parent=body, fontName="DejaVuSerif-Bold")
    rec_head = ParagraphStyle(
        "rec_head", fontName="DejaVuSerif-BoldItalic", fontSize=11.5, leading=14, alignment=TA_LEFT
    )
    rec_line = ParagraphStyle("rec", fontName="DejaVuSerif", fontSize=10, leading=12.5, alignment=TA_LEFT)
    signer_style = ParagraphStyle(
        "signer", parent=base, fontName="DejaVuSerif-Bold", fontSize=12.5, leading=15.5
    )

    def para(text: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(escape(text), style)

    def fitted(text: str, style: ParagraphStyle, width: float) -> Paragraph:
        """A header line on one line: the font shrinks (to 10.5 pt at most; then it wraps) when too long."""
        size = style.fontSize
        natural = stringWidth(text, style.fontName, size)
        if natural > width * 0.97:
            size = max(10.5, size * width * 0.97 / natural)
        return para(
            text, ParagraphStyle(f"{style.name}-fit", parent=style, fontSize=size, leading=size * 1.2)
        )

    left_w, right_w = 70 * mm, (210 - 15) * mm - left_margin - 70 * mm
    left: list[Any] = [fitted(s, agency, left_w) for s in doc.agency_lines]
    if doc.agency_lines:
        left.append(para("*", base) if doc.is_party else _rule(26 * mm))
    right: list[Any] = []
    for s in doc.motto_lines:
        right.append(fitted(s, sub_motto if SUB_MOTTO.match(s) else motto, right_w))
    if doc.motto_lines:
        right.append(_rule(50 * mm))
    rows = [[left, right], [para(doc.doc_number_line, number), fitted(doc.place_date_line, place, right_w)]]
    header = Table(rows, colWidths=[left_w, right_w])
    header.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 1), (-1, 1), 4),
            ]
        )
    )
    story: list[Any] = [header, Spacer(1, 7 * mm)]
    if doc.title_lines:
        # the trích yếu wraps where the column ends, as a word processor would wrap it
        story.append(para(doc.title_lines[0], type_style))
        if len(doc.title_lines) > 1:
            story.append(para(" ".join(doc.title_lines[1:]), excerpt))
        story += [_rule(40 * mm), Spacer(1, 5 * mm)]
    flow = [para(text, heading if is_heading else body) for text, is_heading in doc.body_paragraphs]

    rec: list[Any] = []
    if doc.recipients:
        rec.append(para("Nơi nhận:", rec_head))
        rec += [para(s, rec_line) for s in doc.recipients]
    sig: list[Any] = [para(s, signer_style) for s in doc.signer_titles]
    if doc.signer_name:
        sig += [Spacer(1, 24 * mm), para(doc.signer_name, signer_style)]
    end = Table([[rec, sig]], colWidths=[left_w + 12 * mm, right_w - 12 * mm])
    end.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    # the signature never stands alone on a page: it keeps the last paragraph with it
    story += flow[:-1] + [KeepTogether([*flow[-1:], Spacer(1, 4 * mm), end])]

    def page_number(canvas: Any, template: Any) -> None:
        """Nghị định 30: page numbers from page 2, centred in the top margin."""
        canvas.saveState()
        canvas.setFont("DejaVuSerif", 12)
        canvas.drawCentredString(A4[0] / 2, A4[1] - 12 * mm, str(canvas.getPageNumber()))
        canvas.restoreState()

    title = " ".join(doc.title_lines)
    pdf = SimpleDocTemplate(
        str(out),
        pagesize=A4,
        leftMargin=left_margin,
        rightMargin=15 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=title,
        author="ketluan tools/render.py",
        invariant=True,  # no timestamp or random id: the same text gives the same bytes
    )
    pdf.build(story, onLaterPages=page_number)
    return out


# ---------------------------------------------------------------- DOCX (python-docx)


def _no_borders(table: Any) -> None:
    """Remove every border of a python-docx table (header and signer blocks are borderless)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _widths(table: Any, widths: list[Any]) -> None:
    """Fix column widths (Word and LibreOffice read the grid, the cells and autofit)."""
    table.autofit = False
    for col, width in zip(table.columns, widths, strict=True):
        col.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def render_docx(src: SourceDoc | str, out: Path) -> Path:
    """Render a conclusion as a DOCX with the same structure as `render_pdf`.

    Header and signature are two-column borderless tables; the type line and trích yếu are
    centred bold; body paragraphs are justified with a first-line indent; Times New Roman 13 pt.

    Args:
        src: the parsed document, or its text.
        out: the .docx to write.

    Returns:
        `out`.

    Examples:
        >>> render_docx("THÔNG BÁO\\nKết luận giao ban tuần\\n\\nNgày 17/6/2024, họp.", Path("/tmp/a.docx"))  # doctest: +SKIP
        PosixPath('/tmp/a.docx')
    """
    from docx import Document as DocxDocument
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = _as_doc(src)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    d = DocxDocument()
    section = d.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3.0), Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    normal = d.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    normal.paragraph_format.space_after = Pt(0)

    def add(
        container: Any,
        text: str,
        *,
        bold: bool = False,
        italic: bool = False,
        size: float = 13,
        align: Any = WD_ALIGN_PARAGRAPH.CENTER,
        first: bool = True,
    ) -> Any:
        p = (
            container.paragraphs[0]
            if first and not container.paragraphs[0].text
            else container.add_paragraph()
        )
        p.alignment = align
        run = p.add_run(text)
        run.bold, run.italic, run.font.size = bold, italic, Pt(size)
        return p

    header = d.add_table(rows=2, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(header)
    cell = header.cell(0, 0)
    for k, s in enumerate(doc.agency_lines):
        add(cell, s, bold=True, size=12, first=k == 0)
    cell = header.cell(0, 1)
    for k, s in enumerate(doc.motto_lines):
        add(cell, s, bold=True, size=12, first=k == 0)
    add(header.cell(1, 0), doc.doc_number_line, size=13)
    add(header.cell(1, 1), doc.place_date_line, italic=True, size=13)
    _widths(header, [Cm(6.3), Cm(10.2)])

    d.add_paragraph()
    for k, s in enumerate(doc.title_lines):
        p = d.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(s)
        run.bold, run.font.size = True, Pt(14 if k == 0 else 13.5)
    d.add_paragraph()
    for text, is_heading in doc.body_paragraphs:
        p = d.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        p.paragraph_format.first_line_indent = Cm(1.0)
        p.paragraph_format.space_after = Pt(6)
        run = p.add_run(text)
        run.bold = is_heading

    d.add_paragraph()
    end = d.add_table(rows=1, cols=2)
    _no_borders(end)
    cell = end.cell(0, 0)
    if doc.recipients:
        add(cell, "Nơi nhận:", bold=True, italic=True, size=12, align=WD_ALIGN_PARAGRAPH.LEFT)
        for s in doc.recipients:
            add(cell, s, size=11, align=WD_ALIGN_PARAGRAPH.LEFT, first=False)
    cell = end.cell(0, 1)
    for k, s in enumerate(doc.signer_titles):
        add(cell, s, bold=True, size=13, first=k == 0)
    if doc.signer_name:
        for _ in range(4):
            cell.add_paragraph()
        add(cell, doc.signer_name, bold=True, size=13, first=False)
    _widths(end, [Cm(8.0), Cm(8.5)])
    # the signature block is one row that never splits across pages (w:cantSplit)
    tr_pr = end.rows[0]._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    d.core_properties.title = " ".join(doc.title_lines)
    d.core_properties.created = d.core_properties.modified = FIXED_TIME
    d.save(str(out))
    _freeze_zip(out)
    return out


def _freeze_zip(path: Path) -> None:
    """Rewrite a zip with fixed member times, so the same text gives the same bytes."""
    with zipfile.ZipFile(path) as z:
        members = [(info.filename, z.read(info)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            z.writestr(
                zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6]), data, zipfile.ZIP_DEFLATED
            )


# ---------------------------------------------------------------- TXT, corpus, samples


def render_txt(src_path: Path, out: Path) -> Path:
    """Copy a .txt source unchanged (the pipeline's own normalisation is what is tested)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src_path, out)
    return out


def scan_like_archive(doc: SourceDoc, out: Path, seed: int) -> Path:
    """Render a document and rasterise it the way archives look (issue #4 fixtures): 200–300 dpi,
    ±0.5–1.5° skew, noise, blur, JPEG artefacts, greyish paper; every third one stamped and signed,
    the second one with an upside-down page 2, the third one with a photo-like last page."""
    import tempfile

    from tools import scans

    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        pdf = render_pdf(doc, Path(tmp) / "page.pdf", seed=seed)
        return scans.make_scan(
            pdf, out, dpi=(200, 250, 300)[seed % 3], rotate=(0.5, 1.0, 1.5)[seed % 3] * (-1) ** seed,
            noise=4 + 2 * (seed % 4), blur=0.5 + 0.25 * (seed % 3), jpeg_quality=55 + 5 * (seed % 5),
            background=226 + 3 * (seed % 4), upside_down_pages=(2,) if seed == 1 else (),
            photo=seed == 2, stamp=seed % 3 == 0, seed=seed,
        )  # fmt: skip


def render_corpus(
    text_dir: Path, out_dir: Path, kinds: tuple[str, ...] | list[str] = KINDS
) -> dict[str, list[Path]]:
    """Render every `<text_dir>/*.txt` as `<out_dir>/<kind>/<stem>.<kind>` for each kind.

    Examples:
        >>> render_corpus(Path("../shared/corpus/dev/text"), Path("/tmp/r"), ["pdf"])["pdf"][0].name  # doctest: +SKIP
        '000_907a2ed1a172817c.pdf'
    """
    unknown = set(kinds) - set(ALL_KINDS)
    if unknown:
        raise ValueError(f"unknown kinds: {', '.join(sorted(unknown))}; use {', '.join(ALL_KINDS)}")
    done: dict[str, list[Path]] = {kind: [] for kind in kinds}
    for path in sorted(Path(text_dir).glob("*.txt")):
        doc = parse_source(path.read_text(encoding="utf-8"))
        for kind in kinds:
            target = Path(out_dir) / kind / f"{path.stem}.{kind}"
            if kind == "scan":
                target = Path(out_dir) / kind / f"{path.stem}.scan.pdf"
                scan_like_archive(doc, target, seed=len(done[kind]))
            elif kind == "pdf":
                render_pdf(doc, target)
            elif kind == "docx":
                render_docx(doc, target)
            else:
                render_txt(path, target)
            done[kind].append(target)
    return done


# corpus stem -> (sample file name, kind); d10-d12 are one issuer over three months (a series)
SAMPLES = {
    "000_907a2ed1a172817c": "ket-luan-giao-ban-thang-5-2020.pdf",
    "d02_ubnd_huyen_so_ket_6_thang": "ket-luan-so-ket-6-thang-dau-nam-2024-huyen-nghia-hung.docx",
    "d04_so_tnmt_giao_ban_quy": "thong-bao-ket-luan-giao-ban-quy-1-2024-so-tnmt-thai-nguyen.txt",
    "d10_ubnd_tp_bao_loc_giao_ban_thang_07": "thong-bao-ket-luan-giao-ban-thang-7-2024-bao-loc.pdf",
    "d11_ubnd_tp_bao_loc_giao_ban_thang_08": "thong-bao-ket-luan-giao-ban-thang-8-2024-bao-loc.pdf",
    "d12_ubnd_tp_bao_loc_giao_ban_thang_09": "thong-bao-ket-luan-giao-ban-thang-9-2024-bao-loc.pdf",
}


def corpus_text_dir() -> Path:
    """`<repo>/../shared/corpus/dev/text`, where the corpus sits next to the repository."""
    return Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dev" / "text"


def make_samples(out_dir: Path, text_dir: Path | None = None) -> list[Path]:
    """Regenerate the bundled samples of data/samples/ (see data/SAMPLES.md).

    Examples:
        >>> make_samples(Path("data/samples"))  # doctest: +SKIP
    """
    text_dir = Path(text_dir) if text_dir else corpus_text_dir()
    written = []
    for stem, name in SAMPLES.items():
        src = text_dir / f"{stem}.txt"
        target = Path(out_dir) / name
        if name.endswith(".pdf"):
            render_pdf(parse_source(src.read_text(encoding="utf-8")), target)
        elif name.endswith(".docx"):
            render_docx(parse_source(src.read_text(encoding="utf-8")), target)
        else:
            render_txt(src, target)
        written.append(target)
    return written


if __name__ == "__main__":
    import sys

    make_samples(
        Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "data" / "samples"
    )
