"""Clause alignment under the sentence model, a part of the analyse stage's similarity.

Reads the item texts of one comparison group; returns how well the clauses of each two items
match (each clause to its closest clause of the other item, `semantic` vectors centred on the
group's clauses), which `similarity.RecurrenceSimilarity` adds to its matrix. Never embeds without
the sentence model; never reads or writes a file but its connector list.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from . import semantic
from .config import DATA_DIR

CONNECTORS_PATH = DATA_DIR / "analysis" / "clause_connectors.txt"
# Share of the clause alignment in the similarity (0: off). Stop 20, weighted on the 36 earlier
# series of data/series_eval (gold items; 0.2 with the bar CLAUSE_THRESHOLD_SHIFT higher): tune
# 0.927 -> 0.931 (tasks 338 -> 340/359), the 21 earlier report series 0.795 -> 0.793 (498 -> 508/608),
# the stop's gate of four blind series 0.773 -> 0.813 (87 -> 90/112). Off: on twenty series written
# blind that stop and scored only at its end it gave 0.786 against 0.804 without (tasks 417 against
# 421 of 540), and it doubles the sentence model's time. Two wordings of one problem share a
# clause ("… còn chậm trả kết quả …") under context that differs; on unseen wording the context
# that differs weighs as much.
CLAUSE_WEIGHT = 0.0
CLAUSE_THRESHOLD_SHIFT = 0.03  # the linkage bar of a group compared with clauses is this much higher
MAX_ROWS = 4000  # items of one group aligned at most (an n x n float32 matrix; beyond: no alignment)
MIN_WORDS = 3  # a shorter piece is no clause of its own ("tính đến ngày 31/7")
ITEM_BLOCK = 256  # items whose clause rows are compared with all clauses at once
# ";", "," and a sentence end cut clauses; so do " - " and the connectors of data/analysis.
PUNCT = r";|,|\.\s|\s-\s"  # "… quá hạn; tính đến …", "Dù đã bố trí thêm người, số phiếu …"


@lru_cache(maxsize=1)
def _breaks() -> re.Pattern[str]:
    """The clause break pattern: punctuation and the connectors of CONNECTORS_PATH."""
    words = [
        unicodedata.normalize("NFC", line.strip())
        for line in CONNECTORS_PATH.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    connectors = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"\s*(?:{PUNCT}|\b(?:{connectors})\b)\s*", re.IGNORECASE)


def clauses(text: str) -> list[str]:
    """The clauses of an item's text (at least MIN_WORDS words each), or the text when none is.

    Examples:
        >>> clauses("Còn 46 hồ sơ quá hạn, phần lớn là hồ sơ của người cư trú ở nhiều tỉnh do phải chờ xác minh.")
        ['Còn 46 hồ sơ quá hạn', 'phần lớn là hồ sơ của người cư trú ở nhiều tỉnh', 'phải chờ xác minh']
        >>> clauses("Còn chậm; thiếu.")  # no piece of three words: the text itself
        ['Còn chậm; thiếu.']
    """
    nfc = unicodedata.normalize("NFC", text)
    pieces = [p.strip(" .;,") for p in _breaks().split(nfc) if p]
    kept = [p for p in pieces if len(p.split()) >= MIN_WORDS]
    return kept or [nfc]


def used(n: int, semantic_on: bool) -> bool:
    """Whether a group of n items compared with the sentence model is aligned clause by clause."""
    return semantic_on and CLAUSE_WEIGHT > 0 and 1 < n <= MAX_ROWS


def clause_texts(texts: Sequence[str]) -> list[str]:
    """Every clause of these texts (what `alignment_matrix` embeds), in order, repeats kept."""
    return [c for t in texts for c in clauses(t)]


def alignment_matrix(texts: Sequence[str]) -> np.ndarray | None:
    """CLAUSE_WEIGHT x the clause alignment of every two items, its mean over pairs taken out.

    The alignment of items a and b is the mean, over a's clauses, of the cosine to the closest
    clause of b, averaged with the same from b's side; cosines of the model vectors centred on the
    group's clauses (`semantic.centered`). None without the model.

    Args:
        texts: the model texts of one comparison group (`semantic.model_text` of each item).

    Returns:
        An n x n float32 matrix (0 on the diagonal), or None.

    Examples:
        >>> A = alignment_matrix(["Còn 39 phiếu lý lịch tư pháp trả chậm so với giấy hẹn.",
        ...     "Tình trạng chậm trả Phiếu lý lịch tư pháp chưa được khắc phục, có hồ sơ kéo dài 25 ngày.",
        ...     "Tỷ lệ hồ sơ nộp trực tuyến chỉ đạt 23%, người dân vẫn đến nộp trực tiếp."])  # doctest: +SKIP
        >>> bool(A[0, 1] > A[0, 2])  # doctest: +SKIP
        True
    """
    n = len(texts)
    per_item = [clauses(t) for t in texts]
    flat = [c for cs in per_item for c in cs]
    X = semantic.sentence_vectors(flat)
    if X is None or n < 2:
        return None
    E = semantic.centered(X)
    sizes = np.array([len(cs) for cs in per_item])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    A = np.empty((n, n), dtype=np.float32)  # A[a, b]: mean over a's clauses of the best match in b
    for lo in range(0, n, ITEM_BLOCK):
        hi = min(lo + ITEM_BLOCK, n)
        r0, r1 = starts[lo], starts[hi - 1] + sizes[hi - 1]
        M = E[r0:r1] @ E.T  # clause rows of items lo..hi x every clause
        best = np.maximum.reduceat(M, starts, axis=1)  # best clause of each item b
        A[lo:hi] = np.add.reduceat(best, starts[lo:hi] - r0, axis=0) / sizes[lo:hi, None]
    S = 0.5 * (A + A.T)
    np.fill_diagonal(S, 0.0)
    off = float(S.sum()) / (n * (n - 1))
    S -= off
    np.fill_diagonal(S, 0.0)
    return np.asarray(CLAUSE_WEIGHT * S, dtype=np.float32)
