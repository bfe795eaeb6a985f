"""Extract stage, Word helpers: text boxes, symbol characters and tracked changes of a .docx body.

Reads WordprocessingML elements (lxml) handed over by `extract.docx`; returns the text boxes a
paragraph anchors with where they stand, plain cell text as Word shows it with all changes
accepted, and the printable form of symbol-font characters. Never reads headers, footers, notes
or comments, and never normalizes text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
V = "{urn:schemas-microsoft-com:vml}"
ALTERNATE = MC + "AlternateContent"
TXBX = W + "txbxContent"
_VAL = W + "val"
# Elements of a run or paragraph that may hold floating shapes and their text boxes.
SHAPE_HOLDERS = {ALTERNATE, W + "drawing", W + "pict", W + "object"}
# Run containers whose text is shown once every tracked change is accepted: insertions and the
# destination of a move are, deletions (w:del) and the origin of a move (w:moveFrom) are not.
RUN_CONTAINERS = {
    W + t
    for t in (
        "hyperlink",
        "ins",
        "moveTo",
        "smartTag",
        "sdt",
        "sdtContent",
        "fldSimple",
        "customXml",
        "dir",
        "bdo",
    )
}
EMU_PER = {
    "pt": 12700.0,
    "in": 914400.0,
    "cm": 360000.0,
    "mm": 36000.0,
    "px": 9525.0,
    "pc": 152400.0,
    "": 9525.0,
}
# A VML length: "margin-left:197.25pt", "width:2.5in", "left:-12px".
VML_LENGTH = re.compile(r"^\s*(-?[\d.]+)\s*([a-z]*)\s*$")
# Symbol-font characters that are text, not bullets, where Word writes them mid-line
# (w:sym or the private-use code point U+F0xx): ≥ ≤ ± × ÷ → ⇒.
SYMBOL_TEXT = {0xB3: "≥", 0xA3: "≤", 0xB1: "±", 0xB4: "×", 0xB8: "÷", 0xAE: "→", 0xDE: "⇒", 0xB0: "°"}
# Private-use code points of symbol fonts (Symbol, Wingdings, Webdings): "\uf0b7" is Symbol's bullet.
SYMBOL_PUA = re.compile(r"[\uf020-\uf0ff]")
# A bullet glyph at the start of a line, before the text: "\uf0b7\tTiến độ ..." -> "- Tiến độ ...".
LEADING_SYMBOL = re.compile(r"^(\s*)[\uf020-\uf0ff]+\s*")


@dataclass
class TextBox:
    """The content of one text box and where it stands (EMU from the left edge of the text
    column; None when Word does not place it, as for an inline box)."""

    content: Any  # w:txbxContent
    x: float | None = None
    y: float | None = None
    width: float = 0.0
    behind: bool = False  # behind the text: a watermark, never part of the document's text

    @property
    def center(self) -> float | None:
        return None if self.x is None else self.x + self.width / 2


def text_boxes(element: Any, column: tuple[float, float]) -> list[TextBox]:
    """Text boxes held by a run child (w:drawing, w:pict, mc:AlternateContent), each once.

    Of an mc:AlternateContent only the first branch holding text boxes is read: Word writes the
    same box as DrawingML (mc:Choice) and as VML (mc:Fallback).

    Args:
        element: a child of a w:r or w:p.
        column: left margin and width of the text column in EMU (`text_column`).

    Returns:
        The boxes in document order; boxes nested in a box are read with their outer box.

    Examples:
        >>> from lxml import etree
        >>> pict = etree.fromstring(
        ...     '<w:pict xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        ...     'xmlns:v="urn:schemas-microsoft-com:vml"><v:shape style="position:absolute;'
        ...     'margin-left:200pt;width:150pt"><v:textbox><w:txbxContent><w:p><w:r><w:t>'
        ...     'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</w:t></w:r></w:p></w:txbxContent></v:textbox>'
        ...     '</v:shape></w:pict>')
        >>> [(b.x, b.width) for b in text_boxes(pict, (1080135.0, 5939790.0))]
        [(2540000.0, 1905000.0)]
    """
    if element.tag == ALTERNATE:
        for branch in element.iterchildren(MC + "Choice", MC + "Fallback"):
            boxes = [b for child in branch.iterchildren() for b in text_boxes(child, column)]
            if boxes:
                return boxes
        return []
    if element.tag == W + "drawing":
        frames = element.iterchildren(WP + "anchor", WP + "inline")
        return [b for frame in frames for b in _drawing_boxes(frame, column)]
    if element.tag in (W + "pict", W + "object"):
        return [_vml_box(tb, column) for tb in _outermost(element)]
    return []


def _outermost(root: Any) -> Iterator[Any]:
    """w:txbxContent elements under `root` that are not inside another one under it."""
    for tb in root.iter(TXBX):
        inner = False
        for anc in tb.iterancestors():
            if anc is root:
                break
            if anc.tag == TXBX:
                inner = True
                break
        if not inner:
            yield tb


def _drawing_boxes(frame: Any, column: tuple[float, float]) -> list[TextBox]:
    """Boxes of a wp:anchor (floating) or wp:inline drawing; shapes of a group placed by their
    offset inside the group."""
    extent = frame.find(WP + "extent")
    width = float(extent.get("cx", "0")) if extent is not None else 0.0
    x = y = None
    if frame.tag == WP + "anchor":
        x = _anchor_offset(frame.find(WP + "positionH"), width, column, horizontal=True)
        y = _anchor_offset(frame.find(WP + "positionV"), 0.0, column, horizontal=False)
    behind = frame.get("behindDoc", "0") in ("1", "true")
    boxes = []
    for tb in _outermost(frame):
        bx, bw = x, width
        shape = next((a for a in tb.iterancestors() if a.tag.endswith("}wsp")), None)
        group = next((a for a in tb.iterancestors() if a.tag.endswith("}wgp")), None)
        if shape is not None and group is not None and x is not None:
            bx, bw = _in_group(shape, group, x, width)
        boxes.append(TextBox(tb, bx, y, bw, behind))
    return boxes


def _in_group(shape: Any, group: Any, x: float, width: float) -> tuple[float, float]:
    """A grouped shape's left edge and width in the column, from the group's child extents."""
    gx = group.find(f"{group.tag[: -len('wgp')]}grpSpPr/{A}xfrm")
    sx = shape.find(f"{shape.tag[: -len('wsp')]}spPr/{A}xfrm")
    if gx is None or sx is None:
        return x, width
    ch_off, ch_ext, off, ext = (
        el.find(A + t) for el, t in ((gx, "chOff"), (gx, "chExt"), (sx, "off"), (sx, "ext"))
    )
    if ch_off is None or ch_ext is None or off is None or ext is None:
        return x, width
    span = float(ch_ext.get("cx", "0")) or 1.0
    scale = width / span if width else 1.0
    return x + (float(off.get("x", "0")) - float(ch_off.get("x", "0"))) * scale, float(
        ext.get("cx", "0")
    ) * scale


def _anchor_offset(pos: Any, width: float, column: tuple[float, float], horizontal: bool) -> float | None:
    """wp:positionH/V -> EMU from the column's left (or the anchor's top); None if unknown."""
    if pos is None:
        return None
    offset = pos.find(WP + "posOffset")
    relative = pos.get("relativeFrom", "")
    if offset is not None and (offset.text or "").strip().lstrip("-").isdigit():
        value = float(offset.text.strip())
        return value - column[0] if horizontal and relative in ("page", "leftMargin") else value
    align = pos.find(WP + "align")
    if align is None or not horizontal:
        return None
    where = (align.text or "").strip()
    return {"left": 0.0, "center": (column[1] - width) / 2, "right": column[1] - width}.get(where)


def _vml_box(tb: Any, column: tuple[float, float]) -> TextBox:
    """A VML text box (v:shape/v:textbox): position from the shape's CSS-like style."""
    # The shape, not its v:textbox (which has a style of its own: "mso-fit-shape-to-text:t").
    shape = next((a for a in tb.iterancestors() if a.tag.startswith(V) and a.tag != V + "textbox"), None)
    if shape is None or not shape.get("style"):
        return TextBox(tb)
    style = {}
    for decl in shape.get("style", "").split(";"):
        key, _, value = decl.partition(":")
        style[key.strip().lower()] = value.strip()
    width = _vml_length(style.get("width", "")) or 0.0
    x = _vml_length(style.get("margin-left", style.get("left", "")))
    align = style.get("mso-position-horizontal", "")
    if align in ("left", "center", "right"):
        x = {"left": 0.0, "center": (column[1] - width) / 2, "right": column[1] - width}[align]
    elif x is not None and style.get("mso-position-horizontal-relative", "") == "page":
        x -= column[0]
    y = _vml_length(style.get("margin-top", style.get("top", "")))
    z = _vml_length(style.get("z-index", "")) if style.get("z-index", "").lstrip("-").isdigit() else None
    behind = z is not None and z < 0
    return TextBox(tb, x, y, width, behind)


def _vml_length(value: str) -> float | None:
    """A VML length in EMU ("197.25pt" -> 2505075.0); None when absent or not a length."""
    m = VML_LENGTH.match(value or "")
    if not m or m.group(2) not in EMU_PER:
        return None
    try:
        return float(m.group(1)) * EMU_PER[m.group(2)]
    except ValueError:
        return None


def arrange_boxes(boxes: list[TextBox], text_width: float) -> list[tuple[TextBox, str]]:
    """The boxes a paragraph anchors, in reading order, with the header column each stands in.

    Boxes behind the text (watermarks) are dropped. When boxes stand on both halves of the text
    column, as the two halves of the Nghị định 30/2020 header drawn in boxes do, the left-half
    ones come first, each side top to bottom, labelled "left" and "right"; otherwise the boxes keep
    their order, top to bottom, with no column.

    Examples:
        >>> a, b = TextBox(None, 2500000, 0, 3300000), TextBox(None, -200000, 0, 2600000)
        >>> [(box.x, col) for box, col in arrange_boxes([a, b], 5486400)]
        [(-200000, 'left'), (2500000, 'right')]
    """
    kept = [b for b in boxes if not b.behind]
    mid = text_width / 2
    centers = [b.center for b in kept]
    if len(kept) >= 2 and all(c is not None for c in centers):
        left = [b for b in kept if b.center is not None and b.center < mid]
        right = [b for b in kept if b.center is not None and b.center >= mid]
        if left and right:

            def top(b: TextBox) -> float:
                return b.y if b.y is not None else 0.0

            return [(b, "left") for b in sorted(left, key=top)] + [
                (b, "right") for b in sorted(right, key=top)
            ]
    if all(b.y is not None for b in kept):
        kept = sorted(kept, key=lambda b: b.y or 0.0)
    return [(b, "") for b in kept]


def symbol_char(font: str, char: str) -> str:
    """The private-use code point Word shows for a w:sym ("Symbol", "F0B7" -> "\\uf0b7").

    Examples:
        >>> symbol_char("Symbol", "B7"), symbol_char("Wingdings", "F0A7")
        ('\\uf0b7', '\\uf0a7')
    """
    del font  # every symbol font maps to U+F000 + its code; what it means is decided by place
    try:
        code = int(char, 16)
    except ValueError:
        return ""
    return chr(0xF000 + (code & 0xFF)) if code < 0xF100 else ""


def printable_symbols(text: str) -> str:
    """Symbol-font characters as printable text: a leading glyph is a bullet ("-"), a known
    mathematical sign inside a line its Unicode form, any other glyph dropped.

    Examples:
        >>> printable_symbols("\\uf0b7\\tTiến độ giải ngân còn chậm")
        '- Tiến độ giải ngân còn chậm'
        >>> printable_symbols("tỷ lệ hộ nghèo \\uf0a3 2%")
        'tỷ lệ hộ nghèo ≤ 2%'
    """
    if not SYMBOL_PUA.search(text):
        return text
    text = LEADING_SYMBOL.sub(lambda m: m.group(1) + "- ", text)
    return SYMBOL_PUA.sub(lambda m: SYMBOL_TEXT.get(ord(m.group()) - 0xF000, ""), text)


def hidden(rpr: Any) -> bool:
    """The run is hidden text (w:vanish): Word neither shows nor prints it."""
    if rpr is None:
        return False
    el = rpr.find(W + "vanish")
    return el is not None and el.get(_VAL, "true").lower() not in ("0", "false", "off")


def mark_deleted(p: Any) -> bool:
    """The paragraph mark itself is a tracked deletion (or the origin of a move)."""
    ppr = p.find(W + "pPr")
    rpr = ppr.find(W + "rPr") if ppr is not None else None
    return rpr is not None and (rpr.find(W + "del") is not None or rpr.find(W + "moveFrom") is not None)


def plain_text(element: Any) -> str:
    """Text of a paragraph (or any run container) with tracked changes accepted, without text
    boxes, hidden runs or field instructions; symbols printable.

    Examples:
        >>> from lxml import etree
        >>> p = etree.fromstring(
        ...     '<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        ...     '<w:r><w:t>Phòng </w:t></w:r><w:del><w:r><w:delText>Nội vụ</w:delText></w:r></w:del>'
        ...     '<w:ins><w:r><w:t>Tài chính</w:t><w:noBreakHyphen/><w:t>Kế hoạch</w:t></w:r></w:ins></w:p>')
        >>> plain_text(p)
        'Phòng Tài chính-Kế hoạch'
    """
    return printable_symbols("".join(_pieces(element)))


def _pieces(element: Any) -> Iterator[str]:
    for child in element.iterchildren():
        tag = child.tag
        if tag == W + "r":
            if hidden(child.find(W + "rPr")):
                continue
            for el in child.iterchildren():
                piece = run_piece(el)
                if piece is not None:
                    yield piece.replace("\t", " ")
        elif tag in RUN_CONTAINERS:
            yield from _pieces(child)
        elif tag == ALTERNATE:
            branch = child.find(MC + "Choice")
            if branch is not None:
                yield from _pieces(branch)


def run_piece(el: Any) -> str | None:
    """The text of one run child that is not a break: w:t, tab, symbol, Word's hyphen marks.

    Returns None for anything else (breaks, field codes, note and comment references, shapes).
    """
    tag = el.tag
    if tag == W + "t":
        return str(el.text or "")
    if tag in (W + "tab", W + "ptab"):
        return "\t"
    if tag == W + "noBreakHyphen":
        return "-"
    if tag == W + "softHyphen":
        return ""
    if tag == W + "sym":
        return symbol_char(el.get(W + "font", ""), el.get(W + "char", ""))
    return None


def text_column(body: Any) -> tuple[float, float]:
    """Left margin and width of the text column in EMU from the body's last w:sectPr (A4 with
    Nghị định 30/2020 margins when absent); twips are 635 EMU."""
    sect = body.find(W + "sectPr")
    width, left, right = 11906.0, 1701.0, 1134.0  # A4; 3 cm left, 2 cm right
    if sect is not None:
        size, margins = sect.find(W + "pgSz"), sect.find(W + "pgMar")
        if size is not None and (size.get(W + "w") or "").isdigit():
            width = float(size.get(W + "w"))
        if margins is not None:
            left = _twips(margins.get(W + "left"), left)
            right = _twips(margins.get(W + "right"), right)
    return left * 635.0, max(width - left - right, 1.0) * 635.0


def _twips(value: str | None, default: float) -> float:
    try:
        return float(value) if value is not None else default
    except ValueError:
        return default
