"""Extract stage helper: positioned words (PDF text layer or OCR) -> `records.Line`s in reading order.

Reads `Word`s of one page in any order and returns Lines with bold/italic/centred/gap flags and the
two side-by-side columns of the Nghị định 30/2020 header and signer block emitted column-wise;
given the page's border lines, a ruled table becomes one Line per row with its cells.
Never changes the words' text (no normalization) and never reads files.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from ..records import Line

# A row is two-column when its widest gap is at least this share of the page width
# (on A4 the gap between "TỈNH QUẢNG NGÃI" and "Độc lập - Tự do - Hạnh phúc" is ~6%) ...
COLUMN_GAP_MIN = 0.04
# ... and clearly wider than the other gaps of the row (blanks left for a hand-written number
# or day, "Số:      /TB-UBND", "ngày    tháng 01", are narrower than the column gap).
COLUMN_GAP_DOMINANCE = 1.5
# A narrower gap (wide fonts, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in 13 pt) still splits when
# it is many times wider than every word gap of the row.
COLUMN_GAP_NARROW = 0.03
COLUMN_GAP_NARROW_DOMINANCE = 3.0
# A line is centred when its left and right margins inside the text block differ by at most
# this share of the page width (2% ≈ 12 pt on A4, room for OCR noise) ...
CENTER_TOLERANCE = 0.02
# ... or by this share of the larger margin, and both margins are at least MIN_CENTER_MARGIN.
CENTER_RELATIVE_TOLERANCE = 0.35
MIN_CENTER_MARGIN = 0.015
# First-line indent of a paragraph ("    1. Công ty TNHH MTV ... tiếp thu"), share of page width.
INDENT_MIN = 0.025
# Extra vertical space (over the usual interline gap) that starts a paragraph, share of line height.
PARAGRAPH_GAP = 0.4
# Inside a run a row splits only at a gap of at least this share of the page width (word gaps
# of a justified line are ~1%), and a right-only row starts no further left than the middle
# minus this share ("Quảng Ngãi, ngày ... năm 2025" is right of the middle).
RUN_SPLIT_GAP_MIN = 0.02
RIGHT_ONLY_SLACK = 0.02
# A run of column rows ends at a vertical gap larger than this many line heights.
RUN_BREAK_GAP = 4.0
# A ruled table (cell borders as thin lines, from a PDF's drawing or a page image) is read row by
# row when its ruling forms at least this many rows and columns.
TABLE_MIN_ROWS = 2
TABLE_MIN_COLS = 2
RULE_SNAP = 2.0  # border lines closer than this (points) are one edge; segments this close touch
# A cell border read by OCR as a character: "| Phòng Hành |", "2_" (the row's bottom border).
BORDER_GLYPHS = "|¦│_"
# An OCR "word" without a letter or digit ("`", "|", "_") this far (share of the page width, about
# two word spaces) from both neighbours on its row is a mark in a gutter, not text ("Độc lập - Tự do"
# keeps its dashes: they sit one space from their words).
STRAY_MARK_GAP = 0.012
STRAY_MARK_SPACES = 1.5  # ... or within this many of its row's median word spaces

HRule = tuple[float, float, float]  # a horizontal border: x0, x1, y (points, top-left origin)
VRule = tuple[float, float, float]  # a vertical border: x, top, bottom
Box = tuple[float, float, float, float]  # x0, top, x1, bottom


@dataclass(slots=True)
class Word:
    """One word with its box in points (top-left origin), as pdfplumber or Tesseract gives it.

    Examples:
        >>> Word("TỈNH", 117.0, 150.1, 87.8, 100.7, bold=True, size=13.0).bold
        True
    """

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    bold: bool = False
    italic: bool = False
    size: float = 0.0
    confidence: float = -1.0


@dataclass
class _Row:
    """Words sharing one visual line; split into left/right parts inside a column run."""

    words: list[Word]
    left: list[Word] = field(default_factory=list)
    right: list[Word] = field(default_factory=list)
    in_run: bool = False

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)


def words_to_lines(
    words: list[Word],
    page: int,
    page_width: float,
    page_height: float,
    origin: str = "text",
    rulings: tuple[list[HRule], list[VRule]] | None = None,
) -> list[Line]:
    """Group the words of one page into visual lines, in reading order.

    Words are grouped into rows by vertical overlap; a row whose words form two clusters
    separated by a wide gap (left cluster in the left half, right cluster in the right half)
    starts a two-column run, as in the header of a Nghị định 30/2020 document. The run's
    following rows that fit its gutter (also left-only or right-only rows) are emitted column by
    column: every left line first (column="left"), then every right line (column="right").

    Args:
        words: the words of one page, in any order.
        page: the 1-based page number set on every Line.
        page_width: the page width in the words' unit (points).
        page_height: the page height (unused by the rules, kept for OCR callers' symmetry).
        origin: "text" for a PDF text layer, "ocr" for Tesseract words.
        rulings: the page's horizontal and vertical border lines, when known; a ruled table
            becomes one Line per row with its cells in `table_row` (origin "table"), in place.

    Returns:
        Lines with text, font flags, box, centred/gap_before/column and confidence.

    Examples:
        >>> ws = [Word("UBND", 120, 160, 70, 83), Word("TỈNH", 164, 200, 70, 83),
        ...       Word("CỘNG", 300, 340, 70, 83), Word("HÒA", 344, 380, 70, 83),
        ...       Word("Số:", 120, 140, 90, 103), Word("Độc", 320, 345, 90, 103),
        ...       Word("lập", 349, 370, 90, 103)]
        >>> [(ln.text, ln.column) for ln in words_to_lines(ws, 1, 595, 842)]
        [('UBND TỈNH', 'left'), ('Số:', 'left'), ('CỘNG HÒA', 'right'), ('Độc lập', 'right')]
    """
    del page_height  # geometry rules use the width only
    words = [w for w in words if w.text.strip() and w.x1 >= w.x0 and w.bottom >= w.top]
    if not words:
        return []
    width = page_width if page_width > 0 else max(w.x1 for w in words)
    tables: list[Line] = []
    if rulings is not None:
        tables, boxes = table_lines(words, rulings[0], rulings[1], page, width)
        words = [w for w in words if not inside(w, boxes)]
        if not words:
            return tables
    rows = _group_rows(words)
    if origin == "ocr":
        rows = _drop_stray_marks(rows, width)
    heights = [r.bottom - r.top for r in rows]
    line_height = statistics.median(heights) if heights else 1.0
    _mark_runs(rows, width, line_height)

    # Emit: plain rows as they come; a run as its left column then its right column.
    blocks: list[tuple[str, list[list[Word]]]] = []
    i = 0
    while i < len(rows):
        if not rows[i].in_run:
            blocks.append(("", [rows[i].words]))
            i += 1
            continue
        j = i
        while j < len(rows) and rows[j].in_run:
            j += 1
        run = rows[i:j]
        left = [r.left for r in run if r.left]
        right = [r.right for r in run if r.right]
        if left:
            blocks.append(("left", left))
        if right:
            blocks.append(("right", right))
        i = j

    lines: list[Line] = []
    for column, groups in blocks:
        for k, group in enumerate(groups):
            line = _make_line(sorted(group, key=lambda w: w.x0), page, width, origin)
            line.column = column
            line.gap_before = bool(column) and k == 0
            lines.append(line)
    _set_centered(lines, width)
    _set_gaps(lines, width, line_height)
    return insert_rows(lines, tables) if tables else lines


def _drop_stray_marks(rows: list[_Row], width: float) -> list[_Row]:
    """Rows without the OCR marks that stand alone in a gutter ("UBND HUYỆN ĐIỆN BIÊN ` CỘNG HÒA"):
    such a mark would hide the gap between the header's two columns. A mark as near its
    neighbours as the row's own word spaces allow is text: a justified row's spaces are wider
    ("Phan Văn Lộc - Phó Bí thư" keeps its dash)."""
    out = []
    for row in rows:
        ws = row.words
        spaces = [
            b.x0 - a.x1 for a, b in zip(ws, ws[1:], strict=False)
            if any(c.isalnum() for c in a.text) and any(c.isalnum() for c in b.text)
        ]  # fmt: skip
        gap = STRAY_MARK_GAP * width
        if spaces:
            gap = max(gap, STRAY_MARK_SPACES * statistics.median(spaces))
        keep = [
            w for k, w in enumerate(ws)
            if any(c.isalnum() for c in w.text)
            or (k > 0 and w.x0 - ws[k - 1].x1 < gap)
            or (k + 1 < len(ws) and ws[k + 1].x0 - w.x1 < gap)
            or len(ws) == 1
        ]  # fmt: skip
        if keep:
            row.words = keep
            out.append(row)
    return out


def _group_rows(words: list[Word]) -> list[_Row]:
    """Rows of words that overlap vertically by at least half the smaller height."""
    ordered = sorted(words, key=lambda w: ((w.top + w.bottom) / 2, w.x0))
    rows: list[_Row] = []
    bands: list[tuple[float, float]] = []  # median top/bottom of each open row
    for w in ordered:
        h = max(w.bottom - w.top, 0.1)
        best, best_overlap = -1, 0.0
        # Only recent rows can overlap a word sorted by its vertical centre.
        for idx in range(len(rows) - 1, max(len(rows) - 4, -1), -1):
            top, bottom = bands[idx]
            overlap = min(bottom, w.bottom) - max(top, w.top)
            need = 0.5 * min(h, max(bottom - top, 0.1))
            if overlap >= need and overlap > best_overlap:
                best, best_overlap = idx, overlap
        if best < 0:
            rows.append(_Row([w]))
            bands.append((w.top, w.bottom))
        else:
            row = rows[best]
            row.words.append(w)
            bands[best] = (
                statistics.median(x.top for x in row.words),
                statistics.median(x.bottom for x in row.words),
            )
    rows.sort(key=lambda r: (statistics.median(w.top for w in r.words), r.words[0].x0))
    for r in rows:
        r.words.sort(key=lambda w: w.x0)
    return rows


def _column_split(words: list[Word], width: float) -> int:
    """Index where a row splits into a left and a right column, or -1 if it is one line."""
    if len(words) < 2:
        return -1
    gaps = [(words[k].x0 - words[k - 1].x1, k) for k in range(1, len(words))]
    gaps.sort(reverse=True)
    widest, k = gaps[0]
    second = gaps[1][0] if len(gaps) > 1 else 0.0
    if widest >= COLUMN_GAP_MIN * width:
        if widest < COLUMN_GAP_DOMINANCE * second:
            return -1
    elif widest < COLUMN_GAP_NARROW * width or widest < COLUMN_GAP_NARROW_DOMINANCE * second:
        return -1
    mid = width / 2
    left_centre = (words[0].x0 + max(w.x1 for w in words[:k])) / 2
    right_centre = (words[k].x0 + words[-1].x1) / 2
    if left_centre >= mid or right_centre <= mid:
        return -1
    return k


def _fit_run(words: list[Word], left_edge: float, right_edge: float, width: float) -> int:
    """Split index that keeps the run's gutter open (left x1 < right x0), or -1 if none does.

    `left_edge` is the rightmost x1 of the run's left column so far, `right_edge` the leftmost
    x0 of its right column; a row fits when its words fall on either side of the gutter, split
    at a column-sized gap. A right-only row must start in the right half: the centred title
    "THÔNG BÁO" under the header crosses the middle and ends the run. 0 means right-only,
    len(words) left-only.
    """
    best, best_gap = -1, -1.0
    n = len(words)
    for k in range(n + 1):
        lx1 = max([left_edge, *(w.x1 for w in words[:k])])
        rx0 = min([right_edge, *(w.x0 for w in words[k:])])
        if lx1 >= rx0:
            continue
        if k == 0:
            if words[0].x0 <= left_edge or words[0].x0 < (0.5 - RIGHT_ONLY_SLACK) * width:
                continue
            gap = words[0].x0 - left_edge
        elif k == n:
            if words[-1].x1 >= right_edge:
                continue
            gap = right_edge - words[-1].x1
        else:
            gap = words[k].x0 - words[k - 1].x1
            if gap < RUN_SPLIT_GAP_MIN * width:
                continue
        if gap > best_gap:
            best, best_gap = k, gap
    return best


def _mark_runs(rows: list[_Row], width: float, line_height: float) -> None:
    """Find runs of two-column rows and split each run row into its left and right words."""
    i = 0
    while i < len(rows):
        k = _column_split(rows[i].words, width)
        if k < 0:
            i += 1
            continue
        start = rows[i]
        left_edge = max(w.x1 for w in start.words[:k])
        right_edge = min(w.x0 for w in start.words[k:])
        start.left, start.right, start.in_run = start.words[:k], start.words[k:], True
        # Extend backwards over right-only rows (a right column that starts a little higher);
        # left-only rows before the run are already in reading order.
        b = i - 1
        while b >= 0 and not rows[b].in_run:
            if rows[b + 1].top - rows[b].bottom > RUN_BREAK_GAP * line_height:
                break
            kb = _fit_run(rows[b].words, left_edge, right_edge, width)
            if kb != 0:
                break
            rows[b].left, rows[b].right, rows[b].in_run = rows[b].words[:kb], rows[b].words[kb:], True
            b -= 1
        # Extend forwards over rows that fit the gutter.
        j = i + 1
        while j < len(rows):
            if rows[j].top - rows[j - 1].bottom > RUN_BREAK_GAP * line_height:
                break
            kj = _fit_run(rows[j].words, left_edge, right_edge, width)
            if kj < 0:
                break
            row = rows[j]
            row.left, row.right, row.in_run = row.words[:kj], row.words[kj:], True
            if row.left:
                left_edge = max(left_edge, max(w.x1 for w in row.left))
            if row.right:
                right_edge = min(right_edge, min(w.x0 for w in row.right))
            j += 1
        i = j


def _make_line(words: list[Word], page: int, width: float, origin: str) -> Line:
    """One Line from the words of one visual line (sorted left to right)."""
    chars = [max(len(w.text), 1) for w in words]
    total = sum(chars)
    bold = sum(c for w, c in zip(words, chars, strict=True) if w.bold) * 2 > total
    italic = sum(c for w, c in zip(words, chars, strict=True) if w.italic) * 2 > total
    sizes = [w.size for w in words if w.size > 0]
    confs = [w.confidence for w in words if w.confidence >= 0]
    return Line(
        text=" ".join(w.text.strip() for w in words),
        page=page,
        bold=bold,
        italic=italic,
        size=round(statistics.median(sizes), 2) if sizes else 0.0,
        x0=min(w.x0 for w in words),
        x1=max(w.x1 for w in words),
        top=min(w.top for w in words),
        bottom=max(w.bottom for w in words),
        page_width=width,
        origin=origin,
        confidence=round(sum(confs) / len(confs), 2) if confs else -1.0,
    )


def _text_block(lines: list[Line]) -> tuple[float, float]:
    """Left and right edge of the page's text block, from its widest lines (justified body)."""
    if not lines:
        return 0.0, 0.0
    lo = min(ln.x0 for ln in lines)
    hi = max(ln.x1 for ln in lines)
    wide = [ln for ln in lines if ln.x1 - ln.x0 >= 0.6 * (hi - lo)]
    if len(wide) >= 3:
        # Low/high quantiles, not medians: indented first lines and centred title lines are a
        # minority of the wide lines, and one stray mark (OCR noise) does not move a quantile.
        x0s = sorted(ln.x0 for ln in wide)
        x1s = sorted(ln.x1 for ln in wide)
        k = int(0.2 * (len(wide) - 1))
        return x0s[k], x1s[len(wide) - 1 - k]
    return lo, hi


def _is_centered(line: Line, left: float, right: float, width: float) -> bool:
    """Both margins inside [left, right] substantial and about equal."""
    ml, mr = line.x0 - left, right - line.x1
    if min(ml, mr) < MIN_CENTER_MARGIN * width:
        return False
    return abs(ml - mr) <= max(CENTER_TOLERANCE * width, CENTER_RELATIVE_TOLERANCE * max(ml, mr))


def _set_centered(lines: list[Line], width: float) -> None:
    """Centred relative to the text block, or to its own column for column lines."""
    plain = [ln for ln in lines if not ln.column]
    left, right = _text_block(plain or lines)
    for ln in plain:
        ln.centered = _is_centered(ln, left, right, width)
    for column in ("left", "right"):
        col = [ln for ln in lines if ln.column == column]
        if len(col) < 2:
            # A single line in a column is centred in the column by convention (Nghị định 30).
            for ln in col:
                ln.centered = True
            continue
        # Inside a narrow column only the margins' balance counts; the widest line spans the
        # column and is centred when most other lines are (a centred agency stack), not when
        # they are flush left (the "- ...;" recipients list).
        cl, cr = min(ln.x0 for ln in col), max(ln.x1 for ln in col)
        widest = [ln.x1 - ln.x0 >= 0.97 * (cr - cl) for ln in col]
        for ln, wide in zip(col, widest, strict=True):
            ml, mr = ln.x0 - cl, cr - ln.x1
            tol = max(CENTER_TOLERANCE * width, CENTER_RELATIVE_TOLERANCE * max(ml, mr))
            ln.centered = not wide and abs(ml - mr) <= tol
        others = [ln.centered for ln, wide in zip(col, widest, strict=True) if not wide]
        majority = not others or sum(others) * 2 >= len(others)
        for ln, wide in zip(col, widest, strict=True):
            if wide:
                ln.centered = majority


def _set_gaps(lines: list[Line], width: float, line_height: float) -> None:
    """gap_before on an extra vertical gap or a first-line indent, within each flow."""
    plain = [ln for ln in lines if not ln.column]
    left, _ = _text_block(plain or lines)
    prev: Line | None = None
    gaps = []
    for ln in lines:
        if prev is not None and prev.column == ln.column and ln.top > prev.bottom - 0.5 * line_height:
            gaps.append(max(ln.top - prev.bottom, 0.0))
        prev = ln
    # The usual interline gap; capped so that a page of few, spaced lines still shows its gaps.
    usual = min(statistics.median(gaps), 0.6 * line_height) if gaps else 0.0
    prev = None
    for ln in lines:
        if prev is None:
            prev = ln
            continue
        if ln.column != prev.column:
            ln.gap_before = True
            prev = ln
            continue
        gap = ln.top - prev.bottom
        if gap > usual + PARAGRAPH_GAP * line_height:
            ln.gap_before = True
        elif (
            not ln.centered
            and ln.x0 - left >= INDENT_MIN * width
            and ln.x0 - prev.x0 >= INDENT_MIN * width * 0.8
        ):
            ln.gap_before = True
        prev = ln


# -- ruled tables ------------------------------------------------------------------------------
def _snap(values: list[float]) -> list[float]:
    """Sorted values with those within RULE_SNAP of the previous one merged."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > RULE_SNAP:
            out.append(v)
    return out


def _grids(horizontal: list[HRule], vertical: list[VRule]) -> list[tuple[list[float], list[VRule], Box]]:
    """Groups of touching border lines that form a grid: (row edges, vertical lines, box)."""
    n_h = len(horizontal)
    parent = list(range(n_h + len(vertical)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (x0, x1, y) in enumerate(horizontal):
        for j, (x, top, bottom) in enumerate(vertical):
            if x0 - RULE_SNAP <= x <= x1 + RULE_SNAP and top - RULE_SNAP <= y <= bottom + RULE_SNAP:
                parent[find(i)] = find(n_h + j)
    groups: dict[int, tuple[list[HRule], list[VRule]]] = {}
    for i, h in enumerate(horizontal):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vertical):
        groups.setdefault(find(n_h + j), ([], []))[1].append(v)
    grids = []
    for hs, vs in groups.values():
        ys = _snap([y for _, _, y in hs])
        xs = _snap([x for x, _, _ in vs])
        if len(ys) - 1 < TABLE_MIN_ROWS or len(xs) - 1 < TABLE_MIN_COLS:
            continue
        grids.append((ys, vs, (xs[0], ys[0], xs[-1], ys[-1])))
    return grids


def _cell_text(words: list[Word]) -> str:
    """A cell's words in reading order, its wrapped lines joined by one space; a border that OCR
    read as a bar ("| Phòng Hành |") is not text. Lines are grouped by vertical overlap, as on the
    page: OCR boxes end at each word's own glyphs ("vụ" starts lower than "phục" on its line)."""
    if not words:
        return ""
    texts = (w.text.strip(BORDER_GLYPHS) for row in _group_rows(words) for w in row.words)
    return " ".join(t for t in texts if t)


def table_cells(horizontal: list[HRule], vertical: list[VRule]) -> list[Box]:
    """The cells of every ruled table of a page: one box per cell, row by row.

    Examples:
        >>> table_cells([(50, 550, 100), (50, 550, 130), (50, 550, 200)],
        ...             [(50, 100, 200), (90, 100, 200), (550, 100, 200)])
        [(50, 100, 90, 130), (90, 100, 550, 130), (50, 130, 90, 200), (90, 130, 550, 200)]
    """
    if len(horizontal) < TABLE_MIN_ROWS + 1 or len(vertical) < TABLE_MIN_COLS + 1:
        return []
    cells: list[Box] = []
    for ys, vs, _ in _grids(horizontal, vertical):
        for top, bottom in zip(ys, ys[1:], strict=False):
            mid = (top + bottom) / 2
            edges = _snap([x for x, t, b in vs if t - RULE_SNAP <= mid <= b + RULE_SNAP])
            cells.extend((x0, top, x1, bottom) for x0, x1 in zip(edges, edges[1:], strict=False))
    return cells


def table_lines(words: list[Word], horizontal: list[HRule], vertical: list[VRule], page: int,
                width: float) -> tuple[list[Line], list[Box]]:  # fmt: skip
    """One Line per row of each ruled table (its cells in `table_row`), and the tables' boxes.

    A task table ("STT | Nội dung nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Thời hạn") must be
    read row by row: read as lines, its cells would be interleaved line by line. A cell spanning
    several columns keeps the row aligned with empty cells after it.
    """
    if len(horizontal) < TABLE_MIN_ROWS + 1 or len(vertical) < TABLE_MIN_COLS + 1:
        return [], []
    lines: list[Line] = []
    boxes: list[Box] = []
    for ys, vs, box in _grids(horizontal, vertical):
        columns = _snap([x for x, _, _ in vs])
        in_box = [w for w in words if inside(w, [box])]
        if not in_box:
            continue
        boxes.append(box)
        first = True
        for top, bottom in zip(ys, ys[1:], strict=False):
            mid = (top + bottom) / 2
            edges = _snap([x for x, t, b in vs if t - RULE_SNAP <= mid <= b + RULE_SNAP])
            if len(edges) < 2:
                continue
            cells: list[str] = []
            for x0, x1 in zip(edges, edges[1:], strict=False):
                cell_words = [
                    w
                    for w in in_box
                    if x0 <= (w.x0 + w.x1) / 2 <= x1 and top <= (w.top + w.bottom) / 2 <= bottom
                ]
                cells.append(_cell_text(cell_words))
                spanned = sum(1 for c in columns if x0 + RULE_SNAP < c < x1 - RULE_SNAP)
                cells.extend([""] * spanned)
            if not any(cells):
                continue
            lines.append(Line(
                text=" | ".join(cells), page=page, x0=box[0], x1=box[2], top=top, bottom=bottom,
                page_width=width, gap_before=first, origin="table", table_row=cells,
            ))  # fmt: skip
            first = False
    return lines, boxes


def inside(word: Word, boxes: list[Box]) -> bool:
    """Whether a word's centre lies in one of the boxes."""
    cx, cy = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def insert_rows(lines: list[Line], rows: list[Line]) -> list[Line]:
    """Table row lines put in reading order: before the first plain line that starts below them."""
    out = list(lines)
    for row in sorted(rows, key=lambda r: r.top):
        at = next((i for i, ln in enumerate(out) if ln.origin != "table" and ln.top >= row.top), len(out))
        out.insert(at, row)
    return out
