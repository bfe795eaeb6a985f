"""Extract stage, Word: bytes of a .docx -> `records.Page`s of Lines in document order.

Reads body paragraphs and tables with python-docx: two-column layout tables (the Nghị định
30/2020 header and the recipients/signer block) become left then right column lines, data tables
one Line per row with its cells; automatic list numbers ("1.", "a)", "-") are written into the text.
Text boxes are read where their paragraph anchors them (the header drawn as two boxes becomes left
and right column lines), tracked changes as if accepted. Never normalizes text; section headers,
footers, notes, comments and watermarks are ignored.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import DocumentError
from ..records import Line, Page
from . import docx_parts as parts

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _SDT, _R, _T, _BR, _CR = (W + t for t in ("p", "tbl", "sdt", "r", "t", "br", "cr"))
_RENDERED_BREAK = W + "lastRenderedPageBreak"
_VAL = W + "val"
# Containers whose runs are part of the paragraph text (links, tracked insertions and moves' new
# places, smart tags); deleted text (w:del, w:moveFrom) and field instructions are not.
_RUN_CONTAINERS = parts.RUN_CONTAINERS
# A two-column table with more rows than this, or a "STT | Nội dung" header, holds data.
LAYOUT_MAX_ROWS = 8
_DATA_HEADER = re.compile(r"^(stt|tt|số tt|số thứ tự)$", re.IGNORECASE)  # "STT"
_HEADING_STYLES = ("heading", "title", "tiêu đề")
# Bullet glyphs of Symbol/Wingdings fonts are private-use characters; they print as a dash.
_BULLETS = {"-", "+", "–", "•", "*", "o", "▪", "■", "●", "○", "◦"}


@dataclass
class _StyledParagraph:
    """A paragraph element with its style looked up once (python-docx's `Paragraph.style`
    scans every style of the document for the default one on each access)."""

    _p: Any
    style: Any


@dataclass
class _Para:
    """One paragraph as lines of (text, bold, italic) pieces, and page breaks after each line."""

    lines: list[list[tuple[str, bool | None, bool | None]]] = field(default_factory=lambda: [[]])
    breaks_after: list[int] = field(default_factory=lambda: [0])  # page breaks after line i
    boxes: list[parts.TextBox] = field(default_factory=list)  # text boxes anchored here


def extract_docx(data: bytes) -> list[Page]:
    """Pages of a .docx file's bytes.

    Args:
        data: the .docx (Office Open XML) bytes.

    Returns:
        Pages of Lines; a document without page breaks is one page. Each paragraph starts with
        gap_before=True; a soft line break (w:br) starts a new Line of the same paragraph.

    Raises:
        DocumentError: corrupt_file when the package cannot be opened.

    Examples:
        >>> import docx as _d; d = _d.Document(); _ = d.add_paragraph("THÔNG BÁO")
        >>> buf = io.BytesIO(); d.save(buf)
        >>> [ln.text for ln in extract_docx(buf.getvalue())[0].lines]
        ['THÔNG BÁO']
    """
    import docx  # python-docx; imported here so that other readers load without it

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise DocumentError("corrupt_file", f"the Word file cannot be opened: {e}") from e
    except Exception as e:  # lxml XMLSyntaxError and python-docx package errors
        raise DocumentError("corrupt_file", f"the Word file cannot be opened: {type(e).__name__}: {e}") from e
    reader = _Reader(document)
    reader.read_blocks(document.element.body)
    pages = [Page(number=n, source="text") for n in range(1, reader.page + 1)]
    for ln in reader.lines:
        pages[ln.page - 1].lines.append(ln)
    return pages


class _Reader:
    """Walks the body in document order and collects Lines."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.lines: list[Line] = []
        self.page = 1
        body = document.element.body
        # Word records where it last broke pages; when present these give real page numbers,
        # otherwise explicit page breaks are counted.
        self.use_rendered = any(True for _ in body.iter(_RENDERED_BREAK))
        self.numbering = _Numbering(document)
        self.styles: dict[str | None, Any] = {}  # pStyle id (None: the default) -> style
        self.column_box = parts.text_column(body)  # left margin and width of the text (EMU)

    # -- blocks -----------------------------------------------------------------------------
    def read_blocks(self, parent: Any, column: str = "") -> None:
        """Paragraphs and tables of a body, cell or content control, in order."""
        for child in parent.iterchildren():
            if child.tag == _P:
                self.read_paragraph(child, column)
            elif child.tag == _TBL:
                self.read_table(child, column)
            elif child.tag == _SDT:
                content = child.find(W + "sdtContent")
                if content is not None:
                    self.read_blocks(content, column)

    def read_paragraph(self, p: Any, column: str) -> None:
        """One paragraph -> Lines (split at soft breaks); empty ones only mark a gap."""
        para = _StyledParagraph(p, self.style_of(p))
        style_bold, style_italic, heading = _style_flags(para)
        centered = _is_centered(para)
        if _page_break_before(para) and not self.use_rendered and self.lines:
            self.page += 1
        parsed = _Para()
        self._collect(p, parsed)
        for box, side in parts.arrange_boxes(parsed.boxes, self.column_box[1]):
            self.read_blocks(box.content, column or side)
        kept = any(s.strip() for segs in parsed.lines for s, _, _ in segs)
        # A paragraph deleted with its mark takes no number: Word renumbers the list without it.
        label = self.numbering.label(para) if kept or not parts.mark_deleted(p) else ""
        first = True
        for idx, segs in enumerate(parsed.lines):
            text = parts.printable_symbols("".join(s for s, _, _ in segs)).replace("\t", " ").strip()
            if first and label and text:
                text = f"{label} {text}"
            if text:
                total = sum(len(s.strip()) for s, _, _ in segs) or 1
                bold_chars = sum(len(s.strip()) for s, b, _ in segs if (b if b is not None else style_bold))
                italic_chars = sum(
                    len(s.strip()) for s, _, i in segs if (i if i is not None else style_italic)
                )
                self.lines.append(Line(
                    text=text, page=self.page, bold=heading or bold_chars >= 0.9 * total,
                    italic=italic_chars >= 0.9 * total, centered=centered,
                    gap_before=first, column=column, origin="docx",
                ))  # fmt: skip
                first = False
            self.page += parsed.breaks_after[idx]

    def style_of(self, p: Any) -> Any:
        """The paragraph style of a w:p element (None when missing), cached by style id."""
        style_id = p.style
        if style_id not in self.styles:
            from docx.text.paragraph import Paragraph

            try:
                self.styles[style_id] = Paragraph(p, self.document._body).style
            except (KeyError, ValueError):
                self.styles[style_id] = None
        return self.styles[style_id]

    def _collect(self, element: Any, para: _Para) -> None:
        """Text of the runs under `element`, splitting lines at soft breaks."""
        for child in element.iterchildren():
            if child.tag == _R:
                self._collect_run(child, para)
            elif child.tag in _RUN_CONTAINERS:
                self._collect(child, para)
            elif child.tag == parts.ALTERNATE:
                boxes = parts.text_boxes(child, self.column_box)
                if boxes:
                    para.boxes += boxes
                elif (choice := child.find(parts.MC + "Choice")) is not None:
                    self._collect(choice, para)

    def _collect_run(self, r: Any, para: _Para) -> None:
        """One run: its text pieces with bold/italic (None = inherited from the style)."""
        rpr = r.find(W + "rPr")
        if parts.hidden(rpr):
            return
        bold = _toggle(rpr, "b")
        italic = _toggle(rpr, "i")
        for child in r.iterchildren():
            piece = parts.run_piece(child)
            if piece is not None:
                para.lines[-1].append((piece, bold, italic))
            elif child.tag in parts.SHAPE_HOLDERS:
                para.boxes += parts.text_boxes(child, self.column_box)
            elif child.tag in (_BR, _CR):
                if child.get(W + "type") == "page":
                    if not self.use_rendered:
                        para.breaks_after[-1] += 1
                    para.lines.append([])
                    para.breaks_after.append(0)
                elif child.get(W + "type") != "column":
                    para.lines.append([])
                    para.breaks_after.append(0)
            elif child.tag == _RENDERED_BREAK and self.use_rendered:
                if any(s.strip() for s, _, _ in para.lines[-1]) or len(para.lines) > 1:
                    para.breaks_after[-1] += 1
                    para.lines.append([])
                    para.breaks_after.append(0)
                elif self.lines:
                    self.page += 1

    # -- tables -----------------------------------------------------------------------------
    def read_table(self, tbl: Any, column: str) -> None:
        """A layout table (two text columns) column by column; a data table row by row."""
        rows = _table_cells(tbl)
        if not rows:
            return
        ncols = max(len(r) for r in rows)
        filled = [c for c in range(ncols) if any(c < len(r) and _cell_text(r[c]) for r in rows)]
        if ncols == 1 or len(filled) <= 1:
            for r in rows:
                for tc in r:
                    if tc is not None:
                        self.read_blocks(tc, column)
            return
        if len(filled) == 2 and not column and len(rows) <= LAYOUT_MAX_ROWS and not _is_data_header(rows[0]):
            for side, c in zip(("left", "right"), filled, strict=True):
                for r in rows:
                    if c < len(r) and r[c] is not None:
                        self.read_blocks(r[c], side)
            return
        first = True
        for r in rows:
            cells = [_cell_text(tc) if tc is not None else "" for tc in r]
            if not any(cells):
                continue
            self.lines.append(Line(
                text=" | ".join(cells), page=self.page, gap_before=first, column=column,
                origin="table", table_row=cells,
                bold=all(_all_bold(tc) for tc in r if tc is not None and _cell_text(tc)),
            ))  # fmt: skip
            first = False


def _table_cells(tbl: Any) -> list[list[Any]]:
    """Rows of w:tc elements; a vertically merged continuation cell is None (not repeated)."""
    rows = []
    for tr in tbl.iterchildren(W + "tr"):
        cells: list[Any] = []
        for tc in tr.iterchildren(W + "tc"):
            tcpr = tc.find(W + "tcPr")
            vmerge = tcpr.find(W + "vMerge") if tcpr is not None else None
            if vmerge is not None and vmerge.get(_VAL, "continue") == "continue":
                cells.append(None)
            else:
                cells.append(tc)
            # A horizontal span (gridSpan) keeps the row aligned with the header by empty
            # cells after it; its text is never repeated.
            span = tcpr.find(W + "gridSpan") if tcpr is not None else None
            if span is not None:
                cells.extend([None] * (max(int(span.get(_VAL, "1")), 1) - 1))
        rows.append(cells)
    return rows


def _is_data_header(row: list[Any]) -> bool:
    """The first row starts with a "STT" (ordinal) cell, as data tables do."""
    return bool(row) and row[0] is not None and bool(_DATA_HEADER.match(_cell_text(row[0])))


def _cell_text(tc: Any) -> str:
    """Text of a cell, its paragraphs joined by one space ("" for a merged continuation, None)."""
    if tc is None:
        return ""
    texts = []
    for p in tc.iter(_P):
        if not _same_cell(p, tc):
            continue  # a paragraph of a text box floating in the cell
        text = parts.plain_text(p).strip()
        if text:
            texts.append(text)
    return " ".join(texts)


def _same_cell(p: Any, tc: Any) -> bool:
    """`p` sits in `tc` itself, not in a text box inside it (the cell may be inside a box)."""
    for anc in p.iterancestors():
        if anc is tc:
            return True
        if anc.tag == parts.TXBX:
            return False
    return True


def _all_bold(tc: Any) -> bool:
    """Every run with text in the cell is explicitly bold (header rows of data tables)."""
    runs = [r for r in tc.iter(_R) if "".join(t.text or "" for t in r.iter(_T)).strip()]
    return bool(runs) and all(_toggle(r.find(W + "rPr"), "b") for r in runs)


def _toggle(rpr: Any, name: str) -> bool | None:
    """A run's w:b / w:i toggle: True, False, or None when not set on the run."""
    if rpr is None:
        return None
    el = rpr.find(W + name)
    if el is None:
        return None
    return el.get(_VAL, "true").lower() not in ("0", "false", "off", "none")


def _style_chain(style: Any) -> Iterator[Any]:
    """A style and its base styles."""
    seen = 0
    while style is not None and seen < 20:
        yield style
        style = style.base_style
        seen += 1


def _style_flags(para: Any) -> tuple[bool, bool, bool]:
    """Bold and italic inherited from the paragraph style, and whether it is a heading/title."""
    bold = italic = False
    heading = False
    try:
        style = para.style
    except (KeyError, ValueError):
        style = None
    bold_set = italic_set = False
    for s in _style_chain(style):
        name = (s.name or "").lower()
        if name.startswith(_HEADING_STYLES):
            heading = True
        font = s.font
        if not bold_set and font.bold is not None:
            bold, bold_set = bool(font.bold), True
        if not italic_set and font.italic is not None:
            italic, italic_set = bool(font.italic), True
    return bold, italic, heading


def _is_centered(para: Any) -> bool:
    """Paragraph alignment (w:jc) "center", set on the paragraph or inherited from its style.

    Read from the XML: python-docx rejects values LibreOffice writes, such as "start".
    """
    sources = [para._p.pPr]
    try:
        sources += [getattr(s.element, "pPr", None) for s in _style_chain(para.style)]
    except (KeyError, ValueError):
        pass
    for ppr in sources:
        if ppr is None:
            continue
        jc = ppr.find(W + "jc")
        if jc is not None:
            return jc.get(_VAL, "") == "center"
    return False


def _page_break_before(para: Any) -> bool:
    """The paragraph has pageBreakBefore set."""
    ppr = para._p.pPr
    if ppr is None:
        return False
    el = ppr.find(W + "pageBreakBefore")
    return el is not None and el.get(_VAL, "true").lower() not in ("0", "false", "off")


# -- automatic numbering ---------------------------------------------------------------------
def _roman(n: int) -> str:
    """Upper-case Roman numeral ("IV")."""
    vals = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
            (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))  # fmt: skip
    out = ""
    for v, s in vals:
        while n >= v:
            out += s
            n -= v
    return out


# Vietnamese lists use the Vietnamese alphabet for a), b), c), d), đ), e) (Nghị định 30/2020).
_VI_LETTERS = "abcdđeghiklmnopqrstuvxy"


def _format_number(n: int, fmt: str) -> str:
    """A counter in a numFmt ("decimal", "upperRoman", "lowerLetter"...)."""
    if fmt in ("upperRoman", "lowerRoman"):
        r = _roman(max(n, 1))
        return r if fmt == "upperRoman" else r.lower()
    if fmt in ("lowerLetter", "upperLetter"):
        letters = "abcdefghijklmnopqrstuvwxyz"
        s = letters[(n - 1) % 26] * ((n - 1) // 26 + 1)
        return s if fmt == "lowerLetter" else s.upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


class _Numbering:
    """Renders automatic list labels ("1.", "a)", "-") from numbering.xml with live counters."""

    def __init__(self, document: Any) -> None:
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # numId -> ilvl -> (start, fmt, text)
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        abstract: dict[str, dict[int, tuple[int, str, str]]] = {}
        for an in root.iterchildren(W + "abstractNum"):
            abstract[an.get(W + "abstractNumId")] = self._levels(an)
        for num in root.iterchildren(W + "num"):
            ref = num.find(W + "abstractNumId")
            if ref is None:
                continue
            levels = dict(abstract.get(ref.get(_VAL), {}))
            for ov in num.iterchildren(W + "lvlOverride"):
                ilvl = int(ov.get(W + "ilvl", "0"))
                so = ov.find(W + "startOverride")
                lvl = ov.find(W + "lvl")
                if lvl is not None:
                    levels.update(self._levels_of([lvl]))
                elif so is not None and ilvl in levels:
                    _, fmt, text = levels[ilvl]
                    levels[ilvl] = (int(so.get(_VAL, "1")), fmt, text)
            self.levels[num.get(W + "numId")] = levels

    def _levels(self, an: Any) -> dict[int, tuple[int, str, str]]:
        return self._levels_of(list(an.iterchildren(W + "lvl")))

    @staticmethod
    def _levels_of(lvls: list[Any]) -> dict[int, tuple[int, str, str]]:
        out = {}
        for lvl in lvls:
            ilvl = int(lvl.get(W + "ilvl", "0"))
            start_el, fmt_el, text_el = lvl.find(W + "start"), lvl.find(W + "numFmt"), lvl.find(W + "lvlText")
            start = int(start_el.get(_VAL, "1")) if start_el is not None else 1
            fmt = fmt_el.get(_VAL, "decimal") if fmt_el is not None else "decimal"
            text = text_el.get(_VAL, "") if text_el is not None else ""
            out[ilvl] = (start, fmt, text)
        return out

    def label(self, para: Any) -> str:
        """The label of a numbered paragraph ("1.", "a)", "-"), advancing its counter; "" if none."""
        num_id, ilvl = self._num_pr(para)
        if num_id is None or num_id == "0" or num_id not in self.levels:
            return ""
        levels = self.levels[num_id]
        if ilvl not in levels:
            return ""
        start, fmt, text = levels[ilvl]
        if fmt == "none":
            return ""
        if fmt == "bullet":
            glyph = text.strip()
            return glyph if glyph in _BULLETS else "-"
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, levels[ilvl][0] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        out = text
        for k in range(9):
            if f"%{k + 1}" in out:
                s, f, _ = levels.get(k, (1, "decimal", ""))
                value = counters.get(k, s)
                out = out.replace(f"%{k + 1}", _format_number(value, f))
        return out.strip()

    @staticmethod
    def _num_pr(para: Any) -> tuple[str | None, int]:
        """numId and ilvl from the paragraph, else from its style chain."""
        sources = [para._p.pPr]
        try:
            sources += [s.element.pPr for s in _style_chain(para.style)]
        except (KeyError, ValueError):
            pass
        num_id: str | None = None
        ilvl: int | None = None
        for ppr in sources:
            if ppr is None:
                continue
            numpr = ppr.find(W + "numPr")
            if numpr is None:
                continue
            if num_id is None and numpr.find(W + "numId") is not None:
                num_id = numpr.find(W + "numId").get(_VAL)
            if ilvl is None and numpr.find(W + "ilvl") is not None:
                ilvl = int(numpr.find(W + "ilvl").get(_VAL, "0"))
        return num_id, ilvl or 0
