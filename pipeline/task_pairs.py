"""Similarities of one issuer's rows for the analyse stage's task_status (tasks, limitations, results).

Reads the item parts of the analysis (`similarity.item_parts`) and the specifics matrix
(`task_specifics`); returns blocks of the recurrence similarity, text cosines and sentence
cosines between rows. Never reads tables or files.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .gram import gram
from .similarity import ItemParts, RecurrenceSimilarity

PAIRS_DENSE_MAX = 4000  # rows of one issuer whose pairwise similarities are computed at once (4000: 128 MB)
# Added to a similarity when the two items share a specific (a proper name or a count and its noun,
# `specifics`): the task and the limitation it answers, or the result reporting it done, name the
# same village, project or number of households. Tune: 0.10-0.20 alike (0: one task less).
SPECIFIC_BONUS = 0.15


class _Pairs:
    """Similarities among the task, limitation and result rows of one issuer.

    `similar`: `similarity.recurrence_matrix` over the issuer's compared rows (name rarity
    counted among them), plus SPECIFIC_BONUS where two rows share a specific (F); `cosine`: the
    text cosine alone (`ItemParts.text`). A large archive compares an issuer's rows thousands of
    times (per later document, per task); up to PAIRS_DENSE_MAX rows both matrices are computed
    once and each comparison reads its block. Beyond that size each comparison computes the
    rows it needs (`RecurrenceSimilarity.block`, the same values).
    """

    def __init__(self, parts: ItemParts, F: sp.csr_matrix, rows: np.ndarray) -> None:
        self.F = F
        self.X = sp.csr_matrix(parts.text if parts.text is not None else parts.combined)
        self.rec = RecurrenceSimilarity(parts, np.asarray(rows, dtype=np.int64))
        self.pos = {int(r): k for k, r in enumerate(rows)}
        self.dense = len(rows) <= PAIRS_DENSE_MAX
        if self.dense:
            Xr = self.X[rows]
            self.cos = gram(Xr, Xr)
            self.sim = self.rec.block(0, len(rows)).astype(np.float64)
            self.shared = (F[rows] @ F[rows].T).toarray() > 0 if SPECIFIC_BONUS else None

    def _index(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        pa = np.fromiter((self.pos[int(i)] for i in a), dtype=np.int64, count=len(a))
        pb = np.fromiter((self.pos[int(j)] for j in b), dtype=np.int64, count=len(b))
        return pa[:, None], pb[None, :]

    def cosine(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """The text cosines of rows a to rows b (len(a) x len(b))."""
        if not self.dense:
            return gram(self.X[a], self.X[b])
        return np.asarray(self.cos[self._index(a, b)])

    def sentence(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """The sentence model's cosines of rows a to rows b (centred on the issuer; 0 without the model)."""
        E = self.rec.centred
        if E is None:
            return np.zeros((len(a), len(b)))
        ia, ib = self._index(a, b)
        return np.asarray(E[ia[:, 0]] @ E[ib[0]].T, dtype=np.float64)

    def similar(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Similarity of rows a to rows b: the recurrence similarity, plus SPECIFIC_BONUS for a shared specific."""
        ia, ib = self._index(a, b)
        if not self.dense:
            blocks = [self.rec.block(int(p), int(p) + 1) for p in ia[:, 0]]
            S = np.vstack(blocks)[:, ib[0]].astype(np.float64) if blocks else np.zeros((0, len(b)))
            if SPECIFIC_BONUS:
                S += SPECIFIC_BONUS * ((self.F[a] @ self.F[b].T).toarray() > 0)
            return np.asarray(S)
        S = self.sim[ia, ib]
        if SPECIFIC_BONUS and self.shared is not None:
            S += SPECIFIC_BONUS * self.shared[ia, ib]
        return np.asarray(S)
