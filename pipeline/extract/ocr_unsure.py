"""Extract stage, OCR part: words Tesseract gave no confidence to, read again on their own.

Reads the page image and the runs of words the page reading scored near 0 (pixel boxes); returns
the words a reading of each run's own crop gives with real confidence, placed on the page.
Never keeps a word the crop reading is not sure of, never reads text layers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import cv2
import numpy as np

from .lines import Word

# Read across a whole row, Tesseract's LSTM sometimes scores clean printed words 0 or 1: the
# left header's "VIỆT NAM" of "LIÊN MINH HTX VIỆT NAM" on the row of the national motto, "PCTT"
# (read "PC" "TT") in "Ban Chỉ huy PCTT và TKCN". Dropped with the signature's scribbles, such a
# word leaves a hole the line builder takes for a column gutter. A run of such words between two
# words of its line read with confidence is print, not a scribble: the space between those two
# words (less UNSURE_INSET pixels, UNSURE_PAD of the line height above and below, on a white
# border of UNSURE_BORDER pixels) is read alone as one line; when every word of that reading has
# UNSURE_MIN_CONFIDENCE (clean print reads 90+) they replace the run; when it saw one word over a
# run of several, the run's letters joined make that word; else the run stays dropped (a seal's
# arc "XHI" before "ÁN:" of a signer title gives an unsure crop reading too).
# A run at the end of its line (a signature's scribble beside a title), beside a word read with
# less than UNSURE_NEIGHBOUR_CONFIDENCE ("là!" 34 in a signature), or with a word less than
# UNSURE_MIN_ALNUM letters and digits (".,£7") is dropped as before.
UNSURE_NEIGHBOUR_CONFIDENCE = 70.0
UNSURE_MIN_ALNUM = 0.5
UNSURE_INSET = 2
UNSURE_PAD = 0.2
UNSURE_BORDER = 10
UNSURE_MIN_CONFIDENCE = 80.0
# At most this many runs a page are read again (a page of scribbles costs a bounded time).
UNSURE_MAX_RUNS = 12


@dataclass(slots=True)
class UnsureRun:
    """Adjacent words of one Tesseract line, each read with (almost) no confidence, and the words
    read with confidence just before and after them on the line (None at the line's ends)."""

    words: list[Word]
    before: Word | None = None
    line: tuple[int, int, int] = (0, 0, 0)
    after: Word | None = None


def reread_unsure(
    gray: np.ndarray, runs: list[UnsureRun], read: Callable[[np.ndarray], list[Word]]
) -> list[Word]:
    """The words of each unsure run inside a line, as a reading of its own crop gives them when it
    is sure of each (page pixels).

    Args:
        gray: the page image the runs' boxes refer to.
        runs: the runs of words the page reading scored below its minimum confidence.
        read: reads a crop as one text line and returns its words (crop pixels).

    Returns:
        The words to add to the page's words, with the size of the run's words.

    Examples:
        >>> reread_unsure(np.full((50, 50), 255, np.uint8), [], lambda image: [])
        []
    """
    out: list[Word] = []
    height = gray.shape[0]
    inside = [
        (r, r.before, r.after)
        for r in runs
        if r.before is not None
        and r.after is not None
        and min(r.before.confidence, r.after.confidence) >= UNSURE_NEIGHBOUR_CONFIDENCE
        and all(_alnum_share(w.text) >= UNSURE_MIN_ALNUM for w in r.words)
    ]
    for run, before, after in inside[:UNSURE_MAX_RUNS]:
        row = [before, *run.words, after]
        top, bottom = min(w.top for w in row), max(w.bottom for w in row)
        pad = UNSURE_PAD * (bottom - top)
        left, right = int(before.x1) + UNSURE_INSET, int(after.x0) - UNSURE_INSET
        upper, lower = max(0, int(top - pad)), min(height, int(bottom + pad) + 1)
        size = max(w.size for w in run.words)
        found: list[Word] = []
        if right - left >= 2 and lower - upper >= 2:
            crop = cv2.copyMakeBorder(
                np.ascontiguousarray(gray[upper:lower, left:right]),
                *(UNSURE_BORDER,) * 4, cv2.BORDER_CONSTANT, value=255,
            )  # fmt: skip
            dx, dy = left - UNSURE_BORDER, upper - UNSURE_BORDER
            found = [
                replace(w, x0=w.x0 + dx, x1=w.x1 + dx, top=w.top + dy, bottom=w.bottom + dy, size=size)
                for w in read(np.ascontiguousarray(crop))
            ]
        if found and all(
            w.confidence >= UNSURE_MIN_CONFIDENCE and any(c.isalnum() for c in w.text) for w in found
        ):
            out.extend(found)
        elif len(found) == 1 and len(run.words) > 1 and all(_covers(found[0], w) for w in run.words):
            # Unsure of the letters, but sure the hole holds one word ("PCIT" over "PC" "TT"):
            # the page reading's letters joined into that one word.
            ws = run.words
            out.append(replace(ws[0], text="".join(w.text for w in ws), x1=ws[-1].x1,
                               top=min(w.top for w in ws), bottom=max(w.bottom for w in ws)))  # fmt: skip
    return out


def _alnum_share(text: str) -> float:
    """Share of letters and digits in a word ("PC" 1.0, ".,£7" 0.25)."""
    return sum(c.isalnum() for c in text) / len(text) if text else 0.0


def _covers(word: Word, part: Word) -> bool:
    """Whether the centre of `part` lies inside the horizontal span of `word`."""
    return word.x0 <= (part.x0 + part.x1) / 2 <= word.x1
