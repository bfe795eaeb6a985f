"""Extract stage, OCR: the handwritten slots of the printed frame, read again with their ink.

Reads the words Tesseract found on a page cleaned of coloured ink and the same page with that
ink kept; returns the words with the number ("Số: ___/TB-UBND") and the day and month ("ngày __
tháng __ năm 2019") that an office wrote by hand in blue pen put back, each pen digit read by a
nearest-neighbour classifier over the handwritten digits scikit-learn ships (no training at run
time beyond loading them, no download; a doubtful digit asked of Tesseract too), and what each
slot gave with its confidence; a number row whose printed frame the pen strokes hid from the page
reading is read again without them first. Never guesses: a slot whose strokes are not clearly
digits, or out of range, is reported, left out.
"""

from __future__ import annotations

import gzip
import importlib.util
import io
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

from ..text.orthography import bare
from . import tess
from .lines import Word

# The printed frame of Nghị định 30/2020 Phụ lục I, matched on the diacritic-free line text (same
# length as the OCR text, so a span is a span of the line):
# "So: 85 /BC-STC" (from "Số: 85 /BC-STC"), "So:6§/TB-UBND": the number slot lies between "Số:" and the slash.
NUMBER_FRAME = re.compile(r"(?<![A-Za-z])S[Oo0]\s*[:;.,]?(?P<slot>[^/]{0,16}?)/\s*[A-Z]")
# A Party body's number (Hướng dẫn 36-HD/VPTW) puts no colon after "Số" and a dash before its type:
# "So 45 -TB/UBKTHU" (from "Số 45 -TB/UBKTHU"): the slot ends at the dash, "-TB" is printed.
PARTY_NUMBER_FRAME = re.compile(
    r"(?<![A-Za-z])S[Oo0](?=\s)(?P<slot>[^/:\-]{0,16}?)-\s*[A-Z]{1,8}\s*/\s*[A-Z]"
)
# "Dak Nong, ngay 04 thang 5 nam 2019", "ngayS© thang 10 nam 2025": day and month slots.
DATE_FRAME = re.compile(
    r"(?<![a-z])ngay(?P<day>[^\n]{0,14}?)thang(?P<month>[^\n]{0,14}?)nam\s*(?:\d|$)", re.IGNORECASE
)
# Coloured-ink pixels: darker with the ink than without it by INK_DELTA grey levels. A slot is
# "written in" when its pen strokes cover at least INK_MIN_SHARE of its crop.
INK_DELTA = 40
INK_MIN_SHARE = 0.004
# Pixels darker than PEN_DARK within PEN_REACH pixels of removed ink belong to the same stroke.
PEN_DARK = 170
PEN_REACH = 5
# The crop reaches this share of the printed line's height above, below and beside the slot:
# handwriting is taller than print and spills over the frame (only pen pixels are read).
REACH_UP = 0.8
REACH_DOWN = 0.5
REACH_SIDE = 0.3
# A number written larger than its blank runs over the print beside it ("1085" over "Số:" and the
# "/" of "Số: ___/QĐ-UBND"): the strokes are looked for REACH_WIDE line heights further on each
# side, and every pen blob that enters the slot's own crop is kept whole.
REACH_WIDE = 1.5
# Pen blobs smaller than this share of the line height (both sides) are specks, not strokes;
# blobs whose x-ranges overlap by half the narrower one are strokes of one digit ("5" in two).
MIN_BLOB = 0.12
SAME_DIGIT_OVERLAP = 0.5
# A digit is at most this wide for its height (two touching digits are wider: not read); a blob
# shorter than MIN_DIGIT_HEIGHT of the printed line is a dash or a dot, not a digit, and one
# shorter than DIGIT_HEIGHT is a stroke the cleaning left only in part: the slot is not read.
MAX_DIGIT_ASPECT = 0.95
# A pen stroke lying wholly above the printed line (its lowest pixel within ABOVE_LINE of a line
# height below the line's top) is no digit of the slot: a signature flourish or the motto's line
# drawn over in ink above "ngày 20 tháng 10" crosses the crop's upper reach.
ABOVE_LINE = 0.25
MIN_DIGIT_HEIGHT = 0.35
DIGIT_HEIGHT = 0.5
# Before it is compared, a digit is set upright (its slant from its second moments, as MNIST's
# deskewing) and its strokes thickened to STROKE_SHARE of its height (a fine pen against the
# samples' thick one); a 32x32 pixel is ink from INK_LEVEL of 255 after the area resampling.
STROKE_SHARE = 0.08
INK_LEVEL = 64
# An upright digit narrower than ONE_WIDTH of its height is a "1" (a pen's single stroke, which
# the samples, written wider, would take for a "2" or a "7").
ONE_WIDTH = 0.3
ONE_CONFIDENCE = 90.0
# Digits: the UCI optical digits in scikit-learn's package data (1797 handwritten digits as 8x8
# counts 0-16 of a 32x32 bitmap, the digit scaled to fill the box's height); K nearest neighbours
# vote, weighted by 1/distance; the winner's share is the confidence.
DIGITS_FILE = ("sklearn", "datasets", "data", "digits.csv.gz")
NEIGHBOURS = 5
BITMAP = 32
MIN_DIGIT_CONFIDENCE = 85.0
# A digit the neighbours agree on less (SECOND_OPINION..MIN_DIGIT_CONFIDENCE: a "6" or a "9" whose
# loop the samples draw otherwise) is asked of Tesseract too, the slot's strokes alone in digit
# mode (one line, digits only): it is read when Tesseract gives as many digits and that one the
# same. Tesseract alone misreads pen digits ("618" read "615"), the two together are sure.
SECOND_OPINION = 60.0
SECOND_OPINION_PSM = 7
# When the slot's reading does not settle it (Tesseract joins or drops a digit of the slot: a pen
# "14" read "1"), the doubtful digit's strokes alone are asked in single-word mode: read when
# Tesseract gives that one digit.
SINGLE_DIGIT_PSM = 8
SECOND_OPINION_PAD = 20
DIGIT_CHARS = "0123456789"
# Digit readings accepted per slot: their length and range (a day 1-31, a month 1-12).
# A number row whose frame the page reading lost ("Số:." or "Bố." for "Số 618-TB/TU" under blue
# strokes, the "-TB/TU" gone): a row beginning with "Số" (or its misreading "Bố") with pen ink to
# its right is read again alone (one line, NUMBER_ROW_PSM) from its crop with the pen strokes made
# paper: removed ink, its pale fringe within PEN_REACH, the dark specks of its core lying wholly in
# it. The crop reaches to the next word of the row (the place-date line beside it) or NUMBER_ROW_REACH
# line heights; the second reading replaces the row's words there only when it shows the frame.
# "Số:", "Số", "Bố.", "sốŠ" (a stroke read onto it): the row's first word
NUMBER_ROW_START = re.compile(r"^[SB][O0]\S{0,2}$", re.IGNORECASE)
NUMBER_ROW_REACH = 16.0
NUMBER_ROW_PSM = 7
PEN_FRINGE_LEVEL = 150
SLOT_DIGITS = {"number": (1, 6), "day": (1, 2), "month": (1, 2)}
SLOT_RANGE = {"day": (1, 31), "month": (1, 12)}


@dataclass(frozen=True, slots=True)
class SlotReading:
    """What one handwritten slot gave: `text` the accepted digits ("" when none), `read` what
    Tesseract saw in digit mode, `confidence` its word confidence (0-100)."""

    name: str  # number | day | month
    text: str
    read: str
    confidence: float


@dataclass(frozen=True, slots=True)
class _Slot:
    name: str
    row: list[int]  # indexes of the row's words, left to right
    start: int  # character span of the slot in the row's text
    end: int
    x0: float
    x1: float
    top: float
    bottom: float


def read_slots(
    words: list[Word], clean: np.ndarray, inked: np.ndarray, lang: str = "vie"
) -> tuple[list[Word], list[SlotReading]]:
    """Read the number and date slots of a page again where they hold coloured ink.

    Args:
        words: the page's OCR words, pixel coordinates of `clean` (the page without coloured ink).
        clean: the prepared page Tesseract read.
        inked: the same page with its coloured ink kept (`image.prepare_page_with_ink`).
        lang: the Tesseract model asked for a second opinion on a doubtful digit.

    Returns:
        (the words, the content of every slot that held ink replaced by one word of the digits
        read there, e.g. "Số:" "85" "/BC-STC", or by nothing when they were not clearly digits;
        the readings of those slots).

    Examples:
        >>> row = [Word("Số:", 100, 160, 50, 80), Word("/BC-STC", 260, 420, 50, 80)]
        >>> page = np.full((200, 600), 255, np.uint8)
        >>> pen = page.copy()
        >>> _ = cv2.putText(pen, "5", (190, 82), cv2.FONT_HERSHEY_SCRIPT_SIMPLEX, 1.4, 60, 4)  # a blue "5"
        >>> got, readings = read_slots(row, page, pen)
        >>> [w.text for w in got], readings[0].text
        (['Số:', '5', '/BC-STC'], '5')
    """
    words = _reread_number_rows(words, clean, inked, lang)
    slots = _find_slots(words)
    if not slots:
        return words, []
    readings: list[SlotReading] = []
    rows: dict[int, list[int]] = {}
    edits: dict[int, list[tuple[_Slot, str, float]]] = {}
    for slot in slots:
        box = _crop_box(slot, clean.shape)
        if box is None:
            continue
        top, bottom, left, right = box
        pen = _pen(clean[top:bottom, left:right], inked[top:bottom, left:right])
        if np.count_nonzero(pen) < INK_MIN_SHARE * pen.size:
            continue
        pen = _whole_strokes(slot, box, clean, inked)
        text, read, confidence = _read(pen, slot.name, slot.bottom - slot.top, lang, slot.top - top)
        readings.append(SlotReading(slot.name, text, read, confidence))
        # Read or not, what the cleaned page showed in a written-in slot goes: the remains of
        # the pen strokes the cleaning missed ("„¡is", or a blue "09" read as "22").
        rows[slot.row[0]] = slot.row
        edits.setdefault(slot.row[0], []).append((slot, text, confidence))
    if not rows:
        return words, readings
    replaced = {first: _rewrite_row([words[k] for k in row], edits[first]) for first, row in rows.items()}
    in_rows = {k for row in rows.values() for k in row}
    out: list[Word] = []
    for k, word in enumerate(words):
        if k in replaced:
            out.extend(replaced[k])
        elif k not in in_rows:
            out.append(word)
    return out, readings


def _rows(words: list[Word]) -> list[list[int]]:
    """Word indexes grouped into visual rows (vertical centres within half a word's height),
    each left to right."""
    order = sorted(range(len(words)), key=lambda k: (words[k].top + words[k].bottom) / 2)
    rows: list[list[int]] = []
    for k in order:
        w = words[k]
        mid, height = (w.top + w.bottom) / 2, max(w.bottom - w.top, 1.0)
        if rows:
            last = words[rows[-1][-1]]
            if abs((last.top + last.bottom) / 2 - mid) <= 0.5 * max(height, last.bottom - last.top):
                rows[-1].append(k)
                continue
        rows.append([k])
    return [sorted(row, key=lambda k: words[k].x0) for row in rows]


def _row_text(words: list[Word], row: list[int]) -> tuple[str, list[tuple[int, int]]]:
    """The row's NFC text (words joined by a space) and each word's character span in it."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    at = 0
    for k in row:
        text = unicodedata.normalize("NFC", words[k].text)
        spans.append((at, at + len(text)))
        parts.append(text)
        at += len(text) + 1
    return " ".join(parts), spans


def _x_at(words: list[Word], row: list[int], spans: list[tuple[int, int]], index: int) -> float:
    """The x of a character boundary of the row's text (inside a word: proportional to its
    characters; in the space between two words: the middle of the gap)."""
    for j, (a, b) in enumerate(spans):
        w = words[row[j]]
        if a <= index <= b:
            return w.x0 + (w.x1 - w.x0) * (index - a) / max(b - a, 1)
        if j + 1 < len(spans) and b < index < spans[j + 1][0]:
            return (w.x1 + words[row[j + 1]].x0) / 2
    return words[row[-1]].x1


def _reread_number_rows(words: list[Word], clean: np.ndarray, inked: np.ndarray, lang: str) -> list[Word]:
    """The words with each number row whose frame was lost read again without its pen strokes."""
    out = words
    for row in _rows(words):
        text, _ = _row_text(words, row)
        if NUMBER_FRAME.search(bare(text)) or PARTY_NUMBER_FRAME.search(bare(text)):
            continue
        first = next((j for j, k in enumerate(row) if NUMBER_ROW_START.match(bare(words[k].text))), None)
        if first is None:
            continue
        start = words[row[first]]
        height = start.bottom - start.top
        right = min(_column_end(words, row[first:]), start.x0 + NUMBER_ROW_REACH * height)
        top, bottom = (
            max(0, int(start.top - 0.5 * height)),
            min(clean.shape[0], int(start.bottom + 0.5 * height)),
        )
        left, right_px = max(0, int(start.x0 - 0.3 * height)), min(clean.shape[1], int(right - 0.2 * height))
        if right_px - left < 3 * height or bottom <= top:
            continue
        crop, pen = (
            clean[top:bottom, left:right_px],
            _pen(clean[top:bottom, left:right_px], inked[top:bottom, left:right_px]),
        )
        if np.count_nonzero(pen[:, int(start.x1) - left :]) < INK_MIN_SHARE * pen.size:
            continue
        read = _read_line(_without_pen(crop, inked[top:bottom, left:right_px]), lang)
        if not read:
            continue
        line = bare(" ".join(w.text for w in read))
        if not (NUMBER_FRAME.search(line) or PARTY_NUMBER_FRAME.search(line)):
            continue
        placed = [
            replace(w, x0=w.x0 + left, x1=w.x1 + left, top=w.top + top, bottom=w.bottom + top) for w in read
        ]
        gone = {id(words[k]) for k in row if words[k].x0 < right_px}
        out = [w for w in out if id(w) not in gone] + placed
    return out


def _column_end(words: list[Word], row: list[int]) -> float:
    """Where the header's left column ends on a row: the x0 of the word after the row's widest gap
    (the place-date line beside the number), when that gap is wider than two line heights."""
    height = words[row[0]].bottom - words[row[0]].top
    gaps = [(words[b].x0 - words[a].x1, words[b].x0) for a, b in zip(row, row[1:], strict=False)]
    widest = max(gaps, default=(0.0, 0.0))
    return widest[1] if widest[0] > 2 * height else float("inf")


def _without_pen(crop: np.ndarray, inked: np.ndarray) -> np.ndarray:
    """The crop with its pen strokes made paper: the pixels the ink cleaning made lighter, their
    pale fringe within PEN_REACH, and the dark specks of a stroke's core lying wholly in it (print
    beside or under a stroke, darker than the fringe and reaching out of it, stays)."""
    removed = (inked.astype(np.int16) + INK_DELTA <= crop.astype(np.int16)).astype(np.uint8)
    out = crop.copy()
    zone = cv2.dilate(removed, np.ones((PEN_REACH, PEN_REACH), np.uint8)) > 0
    out[(removed > 0) | (zone & (crop > PEN_FRINGE_LEVEL))] = 255
    core = cv2.dilate(removed, np.ones((3, 3), np.uint8)) > 0
    count, labels = cv2.connectedComponents((out <= PEN_FRINGE_LEVEL).astype(np.uint8), connectivity=8)
    if count > 1:
        specks = np.setdiff1d(np.arange(1, count), np.unique(labels[~core]))
        out[np.isin(labels, specks)] = 255
    return np.ascontiguousarray(out)


def _read_line(image: np.ndarray, lang: str) -> list[Word]:
    """Tesseract's words of a one-line crop (pixel coordinates of the crop); [] when it cannot run."""
    try:
        data = tess.image_to_data(image, 300.0, lang, NUMBER_ROW_PSM, timeout=10.0)
    except (tess.TessUnavailable, RuntimeError):
        return []
    out = []
    for k, text in enumerate(data["text"]):
        text = str(text).strip()
        if data["level"][k] != 5 or not text or float(data["conf"][k]) < 0:
            continue
        x, y, w, h = (float(data[key][k]) for key in ("left", "top", "width", "height"))
        out.append(Word(text, x, x + w, y, y + h, size=h, confidence=float(data["conf"][k])))
    return out


def _find_slots(words: list[Word]) -> list[_Slot]:
    """The number and date slots of the printed frame found in the rows of the page."""
    slots: list[_Slot] = []
    for row in _rows(words):
        text, spans = _row_text(words, row)
        plain = bare(text)
        top = min(words[k].top for k in row)
        bottom = max(words[k].bottom for k in row)
        found: list[tuple[str, int, int]] = []
        number = PARTY_NUMBER_FRAME.search(plain) or NUMBER_FRAME.search(plain)
        if number:
            found.append(("number", number.start("slot"), number.end("slot")))
        date = DATE_FRAME.search(plain)
        if date:
            found += [
                ("day", date.start("day"), date.end("day")),
                ("month", date.start("month"), date.end("month")),
            ]
        for name, start, end in found:
            x0, x1 = _x_at(words, row, spans, start), _x_at(words, row, spans, end)
            inside = [k for j, k in enumerate(row) if spans[j][0] < end and spans[j][1] > start]
            line_top = min((words[k].top for k in inside), default=top)
            line_bottom = max((words[k].bottom for k in inside), default=bottom)
            slots.append(_Slot(name, row, start, end, x0, x1, min(top, line_top), max(bottom, line_bottom)))
    return slots


def _crop_box(slot: _Slot, shape: tuple[int, ...]) -> tuple[int, int, int, int] | None:
    """(top, bottom, left, right) of the slot's crop, or None when it is too narrow to hold a digit."""
    height = slot.bottom - slot.top
    if slot.x1 - slot.x0 < 0.25 * height:
        return None
    top = max(0, int(slot.top - REACH_UP * height))
    bottom = min(int(shape[0]), int(slot.bottom + REACH_DOWN * height))
    left = max(0, int(slot.x0 - REACH_SIDE * height))
    right = min(int(shape[1]), int(slot.x1 + REACH_SIDE * height))
    return (top, bottom, left, right) if right > left and bottom > top else None


def _whole_strokes(
    slot: _Slot, box: tuple[int, int, int, int], clean: np.ndarray, inked: np.ndarray
) -> np.ndarray:
    """The pen strokes of the slot's crop widened by REACH_WIDE line heights on each side, keeping
    only the blobs that enter the slot's own crop (`box`): a digit that runs over the print beside
    the blank is read whole, a stroke of another slot further on is not read."""
    top, bottom, left, right = box
    reach = int(REACH_WIDE * (slot.bottom - slot.top))
    wide_left, wide_right = max(0, left - reach), min(int(clean.shape[1]), right + reach)
    pen = _pen(clean[top:bottom, wide_left:wide_right], inked[top:bottom, wide_left:wide_right])
    count, labels = cv2.connectedComponents(pen, connectivity=8)
    inside = np.unique(labels[:, left - wide_left : right - wide_left])
    return np.isin(labels, inside[inside > 0]).astype(np.uint8)


def _pen(clean: np.ndarray, inked: np.ndarray) -> np.ndarray:
    """The pen strokes of a crop (uint8 0/1): pixels the ink cleaning made much lighter, and the
    dark pixels right next to them (a stroke's pale, unsaturated edges the cleaning left)."""
    removed = (inked.astype(np.int16) + INK_DELTA <= clean.astype(np.int16)).astype(np.uint8)
    near = cv2.dilate(removed, np.ones((PEN_REACH, PEN_REACH), np.uint8)) > 0
    return np.asarray((removed > 0) | (near & (inked < PEN_DARK))).astype(np.uint8)


def _read(
    pen: np.ndarray, name: str, line_height: float, lang: str = "vie", line_top: float | None = None
) -> tuple[str, str, float]:
    """(accepted digits or "", what was read ("?" for a blob that is no digit), its confidence).

    `line_top` is the printed line's top in the crop (strokes wholly above it are not read)."""
    digits = _digit_blobs(pen, line_height, line_top)
    if not digits:
        return "", "", 0.0
    read, confidences, doubtful = [], [], []
    for blob, cut in digits:
        height, width = blob.shape
        if cut or width > MAX_DIGIT_ASPECT * height:  # running out of the slot, or two digits
            read.append("?")  # written together: not guessed
            confidences.append(0.0)
            continue
        digit, confidence = classify_digit(blob)
        if SECOND_OPINION <= confidence < MIN_DIGIT_CONFIDENCE:
            doubtful.append((len(read), digit, blob))
        read.append(digit if confidence >= MIN_DIGIT_CONFIDENCE else "?")
        confidences.append(confidence)
    if doubtful and read.count("?") == len(doubtful):
        second = _tesseract_digits(pen, lang)
        if len(second) == len(read) and all(second[k] == digit for k, digit, _ in doubtful):
            for k, digit, _ in doubtful:
                read[k] = digit
        else:
            for k, digit, blob in doubtful:
                if _tesseract_digit(blob, lang) == digit:
                    read[k] = digit
    text = "".join(read)
    confidence = round(min(confidences), 1)
    return (text if _acceptable(name, text) else ""), text, confidence


def _tesseract_digits(pen: np.ndarray, lang: str) -> str:
    """What Tesseract reads in the pen strokes alone (black on white), digits only, as one line;
    "" when it reads nothing or cannot run."""
    return _tesseract_read(pen, lang, SECOND_OPINION_PSM)


def _tesseract_digit(blob: np.ndarray, lang: str) -> str:
    """What Tesseract reads in one digit's strokes alone, as a single word ("" as above)."""
    return _tesseract_read(blob, lang, SINGLE_DIGIT_PSM)


def _tesseract_read(pen: np.ndarray, lang: str, psm: int) -> str:
    """Tesseract's digits of pen strokes (0/1) drawn black on white in page segmentation `psm`."""
    image = cv2.copyMakeBorder(
        np.where(pen > 0, 0, 255).astype(np.uint8), *(SECOND_OPINION_PAD,) * 4, cv2.BORDER_CONSTANT, value=255
    )
    try:
        data = tess.image_to_data(
            image, 300.0, lang, psm, {"tessedit_char_whitelist": DIGIT_CHARS}, timeout=10.0
        )
    except (tess.TessUnavailable, RuntimeError):
        return ""
    found = [str(t).strip() for t, level in zip(data["text"], data["level"], strict=True) if level == 5]
    text = "".join(found)
    return text if text.isascii() and text.isdigit() else ""


def _digit_blobs(
    pen: np.ndarray, line_height: float, line_top: float | None = None
) -> list[tuple[np.ndarray, bool]]:
    """The pen strokes cut into digits, left to right: each its bounding-box crop (0/1) and
    whether it is cut (it touches the crop's side, the stroke going on beyond the slot, or it is
    too short for a whole digit). With `line_top` (the printed line's top in the crop), strokes
    lying wholly above the line are left out."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(pen, connectivity=8)
    least = MIN_BLOB * line_height
    above = -1.0 if line_top is None else line_top + ABOVE_LINE * line_height
    blobs = [
        (int(stats[k, 0]), int(stats[k, 0] + stats[k, 2]), k)
        for k in range(1, count)
        if max(stats[k, 2], stats[k, 3]) >= least and stats[k, 1] + stats[k, 3] > above
    ]
    groups: list[list[tuple[int, int, int]]] = []
    for x0, x1, k in sorted(blobs):
        if groups:
            g0, g1 = min(b[0] for b in groups[-1]), max(b[1] for b in groups[-1])
            overlap = min(g1, x1) - max(g0, x0)
            if overlap >= SAME_DIGIT_OVERLAP * min(g1 - g0, x1 - x0):
                groups[-1].append((x0, x1, k))
                continue
        groups.append([(x0, x1, k)])
    out = []
    for group in groups:
        mask = np.isin(labels, [k for *_, k in group]).astype(np.uint8)
        ys, xs = np.nonzero(mask)
        if ys.max() - ys.min() + 1 < MIN_DIGIT_HEIGHT * line_height:
            continue
        partial = ys.max() - ys.min() + 1 < DIGIT_HEIGHT * line_height
        cut = bool(partial or xs.min() == 0 or xs.max() == pen.shape[1] - 1)
        out.append((mask[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1], cut))
    return out


def classify_digit(blob: np.ndarray) -> tuple[str, float]:
    """The handwritten digit a pen blob shows, and the neighbours' agreement (0-100).

    Args:
        blob: a 0/1 (or 0/255) uint8 array cut to the digit's bounding box.

    Returns:
        ("0".."9", confidence).

    Examples:
        >>> seven = np.zeros((40, 30), np.uint8)
        >>> _ = cv2.line(seven, (2, 3), (27, 3), 1, 4); _ = cv2.line(seven, (27, 3), (10, 38), 1, 4)
        >>> classify_digit(seven)[0]
        '7'
    """
    upright = _upright((blob > 0).astype(np.uint8))
    if upright.shape[1] < ONE_WIDTH * upright.shape[0]:  # a bar: the samples' ones are wider
        return "1", ONE_CONFIDENCE
    features, labels = _digits()
    if not len(labels):  # scikit-learn's data is not installed: no digit is read
        return "?", 0.0
    sample = _features(blob)
    distances = np.sqrt(((features - sample) ** 2).sum(axis=1))
    nearest = np.argsort(distances)[:NEIGHBOURS]
    votes = np.zeros(10)
    for k in nearest:
        votes[labels[k]] += 1.0 / (distances[k] + 1e-6)
    best = int(votes.argmax())
    return str(best), round(100.0 * float(votes[best] / votes.sum()), 1)


def _features(blob: np.ndarray) -> np.ndarray:
    """A digit blob as the optical-digits features: set upright, strokes thickened, scaled to fill
    a 32x32 box by its longer side, centred, then the ink pixels of each 4x4 block counted (0-16)."""
    ink = _thickened(_upright((blob > 0).astype(np.uint8)))
    height, width = ink.shape
    scale = BITMAP / max(height, width)
    h, w = max(1, round(height * scale)), max(1, round(width * scale))
    small = cv2.resize(ink * 255, (w, h), interpolation=cv2.INTER_AREA) >= INK_LEVEL
    box = np.zeros((BITMAP, BITMAP), np.uint8)
    top, left = (BITMAP - h) // 2, (BITMAP - w) // 2
    box[top : top + h, left : left + w] = small
    return box.reshape(8, 4, 8, 4).sum(axis=(1, 3)).reshape(64).astype(np.float64)


def _upright(ink: np.ndarray) -> np.ndarray:
    """The digit sheared so that its main axis is vertical (a slanted "1" is a bar, not a "7")."""
    moments = cv2.moments(ink, True)
    if abs(moments["mu02"]) < 1e-2:
        return ink
    skew = moments["mu11"] / moments["mu02"]
    height = ink.shape[0]
    pad = int(abs(skew) * height) + 2
    wide = np.pad(ink, ((0, 0), (pad, pad)))
    shear = np.array([[1.0, -skew, skew * height / 2], [0.0, 1.0, 0.0]], dtype=np.float32)
    return _trimmed(cv2.warpAffine(wide, shear, (wide.shape[1], height), flags=cv2.INTER_NEAREST))


def _thickened(ink: np.ndarray) -> np.ndarray:
    """The digit with its strokes grown to STROKE_SHARE of its height when they are thinner."""
    distance = cv2.distanceTransform(ink, cv2.DIST_L2, 3)
    stroke = 2 * float(distance[ink > 0].mean())
    grow = int(round(STROKE_SHARE * ink.shape[0] - stroke))
    if grow < 1:
        return ink
    size = grow | 1
    return _trimmed(cv2.dilate(np.pad(ink, size), np.ones((size, size), np.uint8)))


def _trimmed(ink: np.ndarray) -> np.ndarray:
    """The 0/1 image cut to its ink's bounding box."""
    ys, xs = np.nonzero(ink)
    if not len(ys):
        return ink
    return np.asarray(ink[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1])


@lru_cache(maxsize=1)
def _digits() -> tuple[np.ndarray, np.ndarray]:
    """The optical-digits samples (64 features each) and their labels, read from scikit-learn's
    installed package data without importing it; empty arrays when it is not installed."""
    spec = importlib.util.find_spec(DIGITS_FILE[0])
    if spec is None or not spec.submodule_search_locations:
        return np.zeros((0, 64)), np.zeros(0, np.int64)
    path = Path(next(iter(spec.submodule_search_locations))).joinpath(*DIGITS_FILE[1:])
    rows = np.loadtxt(io.StringIO(gzip.decompress(path.read_bytes()).decode("ascii")), delimiter=",")
    return rows[:, :64].astype(np.float64), rows[:, 64].astype(np.int64)


def _acceptable(name: str, read: str) -> bool:
    """All digits, of the slot's length, in its range."""
    low, high = SLOT_DIGITS[name]
    if not (read.isascii() and read.isdigit() and low <= len(read) <= high):
        return False
    if name in SLOT_RANGE:
        first, last = SLOT_RANGE[name]
        return first <= int(read) <= last
    return int(read) > 0


def _rewrite_row(row: list[Word], edits: list[tuple[_Slot, str, float]]) -> list[Word]:
    """The row's words with each read slot's characters replaced by one word of its digits."""
    text, spans = _row_text(row, list(range(len(row))))
    cuts = sorted((slot.start, slot.end, digits, conf, slot) for slot, digits, conf in edits)
    out: list[Word] = []
    for j, word in enumerate(row):
        a, b = spans[j]
        pieces = [(a, b)]
        for start, end, *_ in cuts:
            pieces = [p for lo, hi in pieces for p in ((lo, min(hi, start)), (max(lo, end), hi))]
        for lo, hi in pieces:
            part = text[lo:hi].strip()
            if hi <= lo or not part:
                continue
            if (lo, hi) == (a, b):
                out.append(word)
                continue
            width = word.x1 - word.x0
            out.append(
                replace(word, text=part, x0=word.x0 + width * (lo - a) / max(b - a, 1),
                        x1=word.x0 + width * (hi - a) / max(b - a, 1))
            )  # fmt: skip
    for _, _, digits, conf, slot in cuts:
        if not digits:
            continue
        size = max((w.size for w in row), default=0.0)
        out.append(Word(digits, slot.x0, slot.x1, slot.top, slot.bottom, size=size, confidence=conf))
    return sorted(out, key=lambda w: w.x0)
