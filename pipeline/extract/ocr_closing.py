"""Extract stage, OCR part: the closing block read column by column, and syllables read twice.

Reads Tesseract's words of a page (pixel boxes) and the page image; returns the words with the
closing block ("Nơi nhận:" beside the signer block) read again column by column, or a line's
words without a fragment Tesseract gave twice on one spot. Never reads text layers.
"""

from __future__ import annotations

import statistics
import unicodedata
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from ..text.orthography import bare
from .lines import Word

# The closing block of Nghị định 30/2020 (Phụ lục I) is two columns side by side: "Nơi nhận:" and its
# "- X;" lines on the left, the signer block ("TM. ỦY BAN NHÂN DÂN" / "KT. CHỦ TỊCH" / name) on the
# right, in other sizes and on other baselines. Read across the page Tesseract joins a recipient
# line to a title line beside it ("- Như Điều 3;" + "KT. CHỦ TỊCH" read "em và ... ĐỊCH"), so the
# block, from the "Nơi nhận" row (CLOSING_ABOVE of its height above it) to the last word of the
# page, is read again column by column when a white gap of CLOSING_MIN_GAP_INCHES divides it
# in its middle (CLOSING_GAP_ZONE of its width); a pixel column with at most CLOSING_GAP_INK of
# its height dark (< CLOSING_DARK: a speck left of a removed seal) still counts as white.
CLOSING_CUE = ("noi", "nhan")
CLOSING_ABOVE = 0.6
CLOSING_MIN_GAP_INCHES = 0.1
CLOSING_GAP_ZONE = (0.2, 0.8)
CLOSING_GAP_INK = 0.01
CLOSING_DARK = 128
CLOSING_PAD = 4
SAME_SPOT = 0.6
CLOSING_MIN_WORDS = 0.5
# Tesseract's LSTM sometimes gives one syllable twice, a fragment and the whole word on the same
# spot ("Tỉnh" "ủ" "ủy" in an 11 pt "Ban Thường vụ Tỉnh ủy", "ỦY" "BAN" "BAN" under a seal): a word
# whose box overlaps the next word's of its line by DOUBLED_OVERLAP of the narrower and whose text
# begins the next one's (or is it) is that fragment, dropped (words side by side, "ba bao", "bao
# bao", do not overlap).
DOUBLED_OVERLAP = 0.5


def reread_closing(
    gray: np.ndarray, dpi: float, words: list[Word], read: Callable[[np.ndarray], list[Word]]
) -> list[Word]:
    """The page's words with the closing block ("Nơi nhận:" beside the signer block) read again
    column by column (pixel coordinates); the words as they were when the page has no such block,
    it is not divided by a white gap, or the columns read with less confidence."""
    start = _closing_start(words)
    if start is None:
        return words
    cue = words[start]
    top = max(0, int(cue.top - CLOSING_ABOVE * (cue.bottom - cue.top)))
    below = [w for w in words if w.top >= top]
    bottom = min(int(gray.shape[0]), int(max(w.bottom for w in below)) + CLOSING_PAD)
    left = max(0, int(min(w.x0 for w in below)) - CLOSING_PAD)
    right = min(int(gray.shape[1]), int(max(w.x1 for w in below)) + CLOSING_PAD)
    if bottom <= top or right <= left:
        return words
    block = gray[top:bottom, left:right]
    gap = _column_gap(block, CLOSING_MIN_GAP_INCHES * dpi)
    if gap is None:
        return words
    old = [w for w in words if (w.top + w.bottom) / 2 >= top and left <= (w.x0 + w.x1) / 2 <= right]
    new: list[Word] = []
    for x0, x1 in ((0, gap), (gap, block.shape[1])):
        column = np.ascontiguousarray(block[:, x0:x1])
        found = read(column)
        if not found:
            return words
        dx = left + x0
        placed = [
            replace(w, x0=w.x0 + dx, x1=w.x1 + dx, top=w.top + top, bottom=w.bottom + top) for w in found
        ]
        new.extend(_surer_column(placed, [w for w in old if left + x0 <= (w.x0 + w.x1) / 2 < left + x1]))
    # A word of the page reading that no word of the column readings covers stays: Tesseract
    # sometimes drops a faint word ("b/c);" of "- Bộ trưởng (để b/c);") in one reading, not both.
    kept = [w for w in words if not any(w is o for o in old) or not any(_meet(w, n) for n in new)]
    return kept + [n if any(n is o for o in old) else _surer(n, old) for n in new]


def _surer_column(new: list[Word], old: list[Word]) -> list[Word]:
    """A column's words from the surer reading: the column reading, or the page reading's words
    of the column when they were read with more confidence on average or the column reading found
    less than CLOSING_MIN_WORDS of their number (a signer block under a seal read as four words)."""
    if old and (
        len(new) < CLOSING_MIN_WORDS * len(old)
        or statistics.fmean(o.confidence for o in old) > statistics.fmean(w.confidence for w in new)
    ):
        return old
    return new


def _surer(new: Word, old: list[Word]) -> Word:
    """The column reading's word, or the page reading's word on the same spot (boxes overlapping
    by SAME_SPOT of their union) when that one was read with more confidence ("VT." 51 against
    "VF." 40 in "- Lưu: VT.")."""
    same = [o for o in old if _overlap_share(o, new) >= SAME_SPOT]
    if len(same) == 1 and same[0].confidence > new.confidence:
        return same[0]
    return new


def _overlap_share(a: Word, b: Word) -> float:
    """Intersection over union of two word boxes."""
    width = min(a.x1, b.x1) - max(a.x0, b.x0)
    height = min(a.bottom, b.bottom) - max(a.top, b.top)
    if width <= 0 or height <= 0:
        return 0.0
    inter = width * height
    union = (a.x1 - a.x0) * (a.bottom - a.top) + (b.x1 - b.x0) * (b.bottom - b.top) - inter
    return inter / union if union > 0 else 0.0


def _meet(a: Word, b: Word) -> bool:
    """Whether two word boxes overlap."""
    return min(a.x1, b.x1) > max(a.x0, b.x0) and min(a.bottom, b.bottom) > max(a.top, b.top)


def _closing_start(words: list[Word]) -> int | None:
    """Index of the last "Nơi" word followed by "nhận" (or "Nơi nhận:" read as one word)."""
    found = None
    for k, word in enumerate(words):
        parts = bare(word.text, key=True).replace(":", " ").split()
        if k + 1 < len(words) and len(parts) == 1:
            parts += bare(words[k + 1].text, key=True).replace(":", " ").split()[:1]
        if tuple(parts[:2]) == CLOSING_CUE:
            found = k
    return found


def _column_gap(block: np.ndarray, min_width: float) -> int | None:
    """The x of the middle of the widest white column run in the middle zone of a block, or None
    when there is none at least `min_width` pixels wide."""
    width = block.shape[1]
    ink = (block < CLOSING_DARK).sum(axis=0) <= CLOSING_GAP_INK * block.shape[0]
    lo, hi = int(CLOSING_GAP_ZONE[0] * width), int(CLOSING_GAP_ZONE[1] * width)
    best: tuple[int, int] | None = None
    run = -1
    for x in range(lo, hi + 1):
        if x < hi and ink[x]:
            run = x if run < 0 else run
            continue
        if run >= 0 and (best is None or x - run > best[1] - best[0]):
            best = (run, x)
        run = -1
    if best is None or best[1] - best[0] < min_width:
        return None
    return (best[0] + best[1]) // 2


def without_doubled(words: list[Word], lines: list[tuple[int, int, int]]) -> list[Word]:
    """The words without a syllable Tesseract gave twice: a fragment that overlaps the next word of
    its line and begins its text ("ủ" before "ủy", "Ủ" before "Ủy") is dropped."""
    out: list[Word] = []
    for k, word in enumerate(words):
        following = words[k + 1] if k + 1 < len(words) and lines[k + 1] == lines[k] else None
        if following is not None and _doubled(word, following):
            continue
        out.append(word)
    return out


def _doubled(word: Word, following: Word) -> bool:
    """Whether `word` is a fragment of `following` (or the same word) read on the same spot."""
    overlap = min(word.x1, following.x1) - max(word.x0, following.x0)
    narrower = min(word.x1 - word.x0, following.x1 - following.x0)
    if narrower <= 0 or overlap < DOUBLED_OVERLAP * narrower:
        return False
    first = unicodedata.normalize("NFC", word.text).casefold()
    second = unicodedata.normalize("NFC", following.text).casefold()
    return len(first) <= len(second) and second.startswith(first)
