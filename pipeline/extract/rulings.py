"""Extract stage helper: finds the border lines of ruled tables on a prepared page image.

Reads a greyscale uint8 numpy array of one page (after image.prepare_page) and its resolution;
returns the horizontal and vertical rules in pixels, and a cheap check of whether the page can
hold a ruled table at all. Never runs OCR and never reads files.
"""

from __future__ import annotations

import cv2
import numpy as np

from .image import blob_pixels
from .lines import TABLE_MIN_COLS, TABLE_MIN_ROWS

# A table border is a thin straight line: a horizontal one at least RULE_MIN_H_INCHES long (the
# narrowest "STT" cell is ~0.5 in, and a row's border crosses every cell), a vertical one at least
# RULE_MIN_V_INCHES (one text row with its padding; the tallest letter stroke with its accent,
# "Ộ" in 14 pt, is ~0.15 in), and at most RULE_MAX_THICKNESS_INCHES thick (1.5 pt borders and
# their blur; a filled block or a bold heading is thicker).
RULE_MIN_H_INCHES = 0.4
RULE_MIN_V_INCHES = 0.25
RULE_MAX_THICKNESS_INCHES = 3 / 72
# Breaks of this length in a printed line (toner, JPEG, a speck whitened) are bridged first.
RULE_GAP_INCHES = 1.5 / 72
# A line left slightly skewed after deskew still runs along its kernel: its bounding box may grow
# by this slope (0.5°) over its length beyond its thickness.
RULE_MAX_SLOPE = 0.0087

PixelRule = tuple[float, float, float]  # horizontal: x0, x1, y; vertical: x, top, bottom (pixels)


def find_rulings(gray: np.ndarray, dpi: float) -> tuple[list[PixelRule], list[PixelRule]]:
    """Horizontal and vertical border lines drawn on a (deskewed) page image, in pixels.

    Morphology: the dark pixels are opened with a long one-pixel-thin horizontal kernel (and a
    vertical one), which keeps only straight strokes longer than any letter; each remaining
    connected stroke thin enough for a printed line is one rule. Text, stamps and signatures leave
    nothing; the short rule under "Độc lập - Tự do - Hạnh phúc" is a rule (the table builder
    needs a grid of rows and columns before it calls anything a table).

    A page on which `may_hold_table` finds too few vertical strokes for a table's columns gives
    no rules at all (the table builder needs TABLE_MIN_ROWS + 1 of each before it uses any).

    Args:
        gray: H×W greyscale uint8 page (prepared: background evened out, deskewed).
        dpi: its resolution.

    Returns:
        (horizontal rules as (x0, x1, y), vertical rules as (x, top, bottom)), in pixels.

    Examples:
        >>> page = np.full((1200, 900), 245, np.uint8)
        >>> for y in (300, 400, 500):
        ...     page[y : y + 2, 100:800] = 30  # a table of two rows and two columns
        >>> for x in (100, 450, 798):
        ...     page[300:502, x : x + 2] = 30
        >>> h, v = find_rulings(page, 300)
        >>> [round(y) for _, _, y in h], [round(x) for x, _, _ in v]
        ([300, 400, 500], [100, 450, 798])
    """
    if not may_hold_table(gray, dpi):  # no grid of borders: no rule the table builder would use
        return [], []
    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    gap = max(1, round(RULE_GAP_INCHES * dpi))
    thick = RULE_MAX_THICKNESS_INCHES * dpi
    horizontal = _strokes(ink, (gap, 1), (max(2, round(RULE_MIN_H_INCHES * dpi)), 1), thick)
    if len(horizontal) < TABLE_MIN_ROWS + 1:  # no table without its row borders (most pages: the
        return horizontal, []  # motto's underline at most), so the vertical pass is not needed
    # A vertical stroke is a horizontal one of the transposed page: (top, bottom, x) there.
    turned = _strokes(
        np.ascontiguousarray(ink.T), (gap, 1), (max(2, round(RULE_MIN_V_INCHES * dpi)), 1), thick
    )
    return horizontal, [(x, top, bottom) for top, bottom, x in turned]


def _strokes(
    ink: np.ndarray, close: tuple[int, int], length: tuple[int, int], thick: float
) -> list[PixelRule]:
    """Horizontal strokes of a 0/255 ink mask as (x0, x1, y): bridged, opened, then measured.

    The mask is first narrowed by half along the strokes (a pixel is ink when both of its two
    are): every row stays, so a one-pixel rule keeps its row and thickness, and the long opening
    that costs most does half the work on half the pixels; letters do not grow into strokes.
    Ends come back to within a pixel.
    """
    width = ink.shape[1] - ink.shape[1] % 2
    narrow = np.minimum(ink[:, 0:width:2], ink[:, 1:width:2])
    bridge = max(1, -(-close[0] // 2))
    run = max(1, length[0] // 2)
    bridged = cv2.morphologyEx(
        narrow, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (bridge, 1))
    )
    lines = cv2.morphologyEx(bridged, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (run, 1)))
    # Few strokes survive the opening: measure each from its outline (labelling every pixel of
    # the page, as connectedComponentsWithStats does, costs several times more).
    contours, _ = cv2.findContours(lines, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    found: list[tuple[int, int, PixelRule]] = []
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        if w < run or h > thick + RULE_MAX_SLOPE * 2 * w:
            continue
        pixels = blob_pixels(contour, lines, (x, y, w, h))
        area = int(pixels.sum())
        # Mean thickness (area over length) of a thin line; its box may be taller when skewed.
        if area and area / w <= thick:
            rows, cols = np.nonzero(pixels)
            first = int(cols[rows == rows.min()].min())  # top to bottom, then left to right
            rule = (float(2 * x), float(2 * (x + w) - 1), float(y + rows.mean()))
            found.append((y + int(rows.min()), x + first, rule))
    return [rule for *_, rule in sorted(found)]


# The table gate: vertical strokes are looked for on every TABLE_GATE_SCALE-th row of the page (a
# vertical border runs through all of them), thresholded a little below paper, at least a row
# shorter than RULE_MIN_V_INCHES; breaks are not bridged (a table's border broken by a speck is
# two strokes: more, not fewer). It finds every vertical border `find_rulings` finds (and some
# more; no table was missed on the dev and real scans) on a quarter of the pixels.
TABLE_GATE_SCALE = 4
TABLE_GATE_SLACK = 20  # grey levels above the page's Otsu threshold still counted as ink


def may_hold_table(gray: np.ndarray, dpi: float) -> bool:
    """Whether the page has enough long vertical strokes (TABLE_MIN_COLS + 1) to be a ruled table.

    A cheap, generous test on every TABLE_GATE_SCALE-th row: a page of
    running text (every page of most conclusions) says no and `find_rulings` skips its morphology.

    Args:
        gray: H×W greyscale uint8 page.
        dpi: its resolution.

    Returns:
        False when no table border grid can be on the page.

    Examples:
        >>> page = np.full((1200, 900), 245, np.uint8)
        >>> page[300:302, 100:800] = 30  # the underline of "Độc lập - Tự do - Hạnh phúc"
        >>> may_hold_table(page, 300)
        False
        >>> for x in (100, 450, 798):
        ...     page[300:502, x : x + 2] = 30  # the columns of a table
        >>> may_hold_table(page, 300)
        True
    """
    rows = np.ascontiguousarray(gray[::TABLE_GATE_SCALE])
    threshold, _ = cv2.threshold(
        np.ascontiguousarray(rows[:, ::TABLE_GATE_SCALE]), 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU
    )
    _, ink = cv2.threshold(rows, min(254.0, threshold + TABLE_GATE_SLACK), 255, cv2.THRESH_BINARY_INV)
    run = max(2, int(RULE_MIN_V_INCHES * dpi / TABLE_GATE_SCALE) - 1)
    strokes = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, run)))
    contours, _ = cv2.findContours(strokes, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    return len(contours) >= TABLE_MIN_COLS + 1
