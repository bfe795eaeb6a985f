"""Pair model of the analyse stage: how likely two limitations of one issuer name the same problem.

Reads one issuer's similarity matrix (`similarity.RecurrenceSimilarity`, with the sentence model)
and its item parts, and a logistic regression kept as JSON in models/recurrence (trained by
tools/train_recurrence.py on the gold of data/series_eval); returns a probability per pair, the
similarity `analysis.cluster_items` links on. Never trains, never reads tables.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from .config import MODELS_DIR
from .similarity import ItemParts

MODEL_PATH = MODELS_DIR / "recurrence" / "pair_model.json"
PAIR_BLOCK = 200_000  # pairs whose features are computed at once
# `PairModel.floor` unless the model file says otherwise: chosen by cross-validation (tools/
# train_recurrence.py) and on corpus/dev, whose three-month archive has two unrelated one-off
# problems that are each other's best match (-0.05: CV F1 0.876 against 0.880 without a floor).
FLOOR = -0.05
# What the model reads of a pair (i, j) of two documents of one issuer. The first eleven come
# from the issuer's similarity matrix S (`RecurrenceSimilarity`, whose bar is
# `similarity.issuer_threshold`): S[i, j], its distance to the bar, the bar; how j ranks among
# the items of its own document as a match for i and i among those of its document for j (0: the
# best), the lower and higher of the two; the margin of S[i, j] over the best other item of that
# document, lower and higher; S[i, j] as a z-score of each item's row, lower and higher. Then the
# sentence model's cosine, centred on the issuer (`semantic.group_vectors`) and raw; then the
# item parts (cosines of the wording, its syllables and words, the local word vectors, topic
# agreement, shared words, length ratio, months apart). A recurring problem is the best match of
# its other months; a one-off problem beside it that shares its object is the second best.
FEATURES = (
    "similarity", "above_bar", "bar", "rank_best", "rank_worst", "margin_low", "margin_high",
    "z_low", "z_high", "sentence_centred", "sentence_raw",
    "combined", "syllable", "word", "embedding", "topic_same", "topic_differ", "topic_one",
    "shared_words", "length_ratio", "periods_apart",
)  # fmt: skip


@dataclass(frozen=True)
class PairModel:
    """A logistic regression over pair features (standardised), with its linkage threshold.

    Attributes:
        features: feature names, in the order of `coef`.
        mean: feature means of the training pairs.
        scale: feature standard deviations of the training pairs.
        coef: coefficients on the standardised features.
        intercept: the intercept.
        threshold: the average-linkage probability two clusters must reach (chosen by
            cross-validation over series grouped by the hand that wrote them).
        floor: how far below its group's bar the similarity of a pair may be and the model still
            link it (FEATURES "above_bar"): below, the probability is 0. The model re-ranks the
            pairs near the bar; two items the similarity puts far below it ("thu gom rác thải"
            beside "sạt lở taluy" in a three-month archive, each the other's only match) are
            never linked on rank and margin alone.
        meta: training configuration (series, C, date, CV figures).
    """

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float
    floor: float = FLOOR
    meta: dict[str, Any] = field(default_factory=dict)

    def probability(self, F: np.ndarray) -> np.ndarray:
        """P(same problem) of feature rows F (one row per pair, columns as `features`); 0 below the floor."""
        z = ((F - self.mean) / self.scale) @ self.coef + self.intercept
        p = np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float32)
        p[F[:, FEATURES.index("above_bar")] < self.floor] = 0.0
        return p

    def to_json(self) -> dict[str, Any]:
        """The model as a JSON object (`load_pair_model` reads it back)."""
        return {
            "features": list(self.features), "mean": self.mean.tolist(), "scale": self.scale.tolist(),
            "coef": self.coef.tolist(), "intercept": self.intercept, "threshold": self.threshold,
            "floor": self.floor, "meta": self.meta,
        }  # fmt: skip


def load_pair_model(path: str | Path | None = None) -> PairModel | None:
    """The pair model of a JSON file (default models/recurrence/pair_model.json), or None if absent.

    A file of other features than FEATURES is not read (None): the similarity alone is safer
    than a model read wrongly.

    Examples:
        >>> model = load_pair_model()
        >>> model is None or 0.0 < model.threshold < 1.0
        True
    """
    if path is None:
        return _default_model()
    data = read_logistic(path, FEATURES)
    if data is None:
        return None
    return PairModel(**data, floor=float(data["meta"].pop("floor", FLOOR)))


def read_logistic(path: str | Path, features: tuple[str, ...]) -> dict[str, Any] | None:
    """The fields of a logistic model's JSON file (features, mean, scale, coef, intercept,
    threshold, meta), or None when the file is missing or holds other features than `features`.

    Keys beyond those go into `meta` (the pair model's "floor"), so one reader serves the pair
    model and `task_model.load_task_model`.
    """
    p = Path(path)
    if not p.exists():
        return None
    data = json.loads(p.read_text(encoding="utf-8"))
    if tuple(data.get("features", ())) != features:
        return None
    known = {"features", "mean", "scale", "coef", "intercept", "threshold", "meta"}
    meta = dict(data.get("meta", {}))
    meta.update({k: v for k, v in data.items() if k not in known})
    return {
        "features": features, "mean": np.array(data["mean"]), "scale": np.array(data["scale"]),
        "coef": np.array(data["coef"]), "intercept": float(data["intercept"]),
        "threshold": float(data["threshold"]), "meta": meta,
    }  # fmt: skip


@lru_cache(maxsize=1)
def _default_model() -> PairModel | None:
    """The bundled model, read once per process."""
    return load_pair_model(MODEL_PATH)


def months_of(period: str) -> float:
    """A period key as a month count (NaN when unknown), for the distance of two periods.

    Examples:
        >>> months_of("2024-12") - months_of("2024-07")  # tháng 7 and tháng 12/2024
        5.0
    """
    from .text.periods import period_ordinal

    ordinal = period_ordinal(period)
    if ordinal is None:
        return math.nan
    kind, index = ordinal
    per = {"month": 1, "quarter": 3, "half_year": 6, "week": 0.25, "nine_months": 12, "year": 12}.get(
        kind, 12
    )
    return float(index * per)


def _rowwise(A: sp.csr_matrix, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Dot products of rows first[k] and second[k] of A."""
    return np.asarray(A[first].multiply(A[second]).sum(axis=1)).ravel()


def part_features(parts: ItemParts, first: np.ndarray, second: np.ndarray, months: np.ndarray) -> np.ndarray:
    """The last ten FEATURES (the item parts) of the pairs (first[k], second[k]) of item rows.

    Args:
        parts: `similarity.item_parts` of the items.
        first: first rows of the pairs.
        second: second rows of the pairs.
        months: `months_of` each row's period (NaN when unknown).

    Examples:
        >>> from ketluan.similarity import item_parts
        >>> parts = item_parts(["Việc giải ngân vốn đầu tư công vẫn chậm.",
        ...                     "Tỷ lệ giải ngân vốn đầu tư công còn thấp."], semantic_mode="off")
        >>> F = part_features(parts, np.array([0]), np.array([1]), np.array([24294.0, 24295.0]))
        >>> F[0, 4], F[0, 7], F[0, 9]  # topic_same, shared_words, periods_apart
        (np.float64(1.0), np.float64(4.0), np.float64(1.0))
    """
    n = len(first)
    F = np.zeros((n, 10), dtype=np.float64)
    if n == 0:
        return F
    F[:, 0] = _rowwise(parts.combined, first, second)
    F[:, 1] = _rowwise(parts.syllables, first, second)
    F[:, 2] = _rowwise(parts.words, first, second)
    if parts.embedding is not None:
        E = parts.embedding
        F[:, 3] = np.einsum("ij,ij->i", E[first], E[second])
    topics = np.asarray(parts.topics, dtype=object)
    ti, tj = topics[first], topics[second]
    has_i, has_j = ti != "", tj != ""
    F[:, 4] = has_i & has_j & (ti == tj)
    F[:, 5] = has_i & has_j & (ti != tj)
    F[:, 6] = has_i ^ has_j
    F[:, 7] = _rowwise(parts.presence, first, second)
    ni, nj = parts.n_words[first], parts.n_words[second]
    F[:, 8] = np.minimum(ni, nj) / np.maximum(np.maximum(ni, nj), 1)
    apart = np.abs(months[first] - months[second])
    F[:, 9] = np.where(np.isnan(apart), 1.0, np.minimum(apart, 12.0))
    return F


@dataclass
class MatchTable:
    """How each item matches the items of every other document of its group (from S).

    `best[i, c]` and `second[i, c]` are the highest and second-highest S[i, k] over the items k
    of document c (-1 where there is no such item); `code[k]` is item k's document.
    """

    code: np.ndarray
    best: np.ndarray
    second: np.ndarray
    mean: np.ndarray  # mean of S[i, k] over the items k of other documents
    std: np.ndarray

    @classmethod
    def of(cls, S: np.ndarray, docs: Sequence[str]) -> MatchTable:
        """The table of a group's similarity matrix S and the document of each row."""
        n = S.shape[0]
        code = np.unique(np.asarray(docs, dtype=object), return_inverse=True)[1].astype(np.int64)
        n_docs = int(code.max()) + 1 if n else 0
        best = np.full((n, n_docs), -1.0)
        second = np.full((n, n_docs), -1.0)
        S64 = S.astype(np.float64)
        for c in range(n_docs):
            cols = np.flatnonzero(code == c)
            top = np.sort(S64[:, cols], axis=1)[:, ::-1]
            best[:, c] = top[:, 0]
            if len(cols) > 1:
                second[:, c] = top[:, 1]
        other = code[:, None] != code[None, :]
        counts = np.maximum(other.sum(axis=1), 1)
        mean = np.where(other, S64, 0.0).sum(axis=1) / counts
        var = np.where(other, (S64 - mean[:, None]) ** 2, 0.0).sum(axis=1) / counts
        return cls(code, best, second, mean, np.sqrt(var) + 1e-6)

    def features(self, S: np.ndarray, first: np.ndarray, second: np.ndarray) -> np.ndarray:
        """Rank, margin and z-score columns (FEATURES 3-8) of the pairs (first[k], second[k])."""
        s = S[first, second].astype(np.float64)
        cj, ci = self.code[second], self.code[first]
        # j against the other items of its document as a match for i, and i for j
        rank_ij = (self._row_above(S, first, cj, s)).astype(np.float64)
        rank_ji = (self._row_above(S, second, ci, s)).astype(np.float64)
        other_ij = np.where(s >= self.best[first, cj], self.second[first, cj], self.best[first, cj])
        other_ji = np.where(s >= self.best[second, ci], self.second[second, ci], self.best[second, ci])
        margin_ij, margin_ji = s - other_ij, s - other_ji
        z_i = (s - self.mean[first]) / self.std[first]
        z_j = (s - self.mean[second]) / self.std[second]
        return np.column_stack([
            np.minimum(rank_ij, rank_ji), np.maximum(rank_ij, rank_ji),
            np.minimum(margin_ij, margin_ji), np.maximum(margin_ij, margin_ji),
            np.minimum(z_i, z_j), np.maximum(z_i, z_j),
        ])  # fmt: skip

    def _row_above(self, S: np.ndarray, rows: np.ndarray, doc: np.ndarray, s: np.ndarray) -> np.ndarray:
        """How many items of document doc[k] match rows[k] better than s[k]."""
        out = np.zeros(len(rows), dtype=np.int64)
        for c in np.unique(doc):
            sel = np.flatnonzero(doc == c)
            cols = np.flatnonzero(self.code == c)
            out[sel] = (S[np.ix_(rows[sel], cols)] > s[sel, None]).sum(axis=1)
        return out


def group_features(
    S: np.ndarray,
    bar: float,
    docs: Sequence[str],
    parts: ItemParts,
    rows: np.ndarray,
    months: np.ndarray,
    centred: np.ndarray | None,
    raw: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(i, j, feature rows) of every pair i < j of two documents of one group (columns FEATURES).

    Args:
        S: the group's similarity matrix (`RecurrenceSimilarity.matrix`).
        bar: the group's threshold (`similarity.issuer_threshold`).
        docs: the document of each row of S.
        parts: `similarity.item_parts` of all items.
        rows: the item rows of the group (into `parts`).
        months: `months_of` each item row (all items).
        centred: the group's centred sentence vectors (`semantic.group_vectors`), or None.
        raw: the unit sentence vectors of its items (`semantic.sentence_vectors`), or None.
    """
    n = S.shape[0]
    code = np.unique(np.asarray(docs, dtype=object), return_inverse=True)[1]
    first, second = np.triu_indices(n, 1)
    keep = code[first] != code[second]
    first, second = first[keep], second[keep]
    F = np.zeros((len(first), len(FEATURES)), dtype=np.float64)
    if len(first) == 0:
        return first, second, F
    table = MatchTable.of(S, docs)
    s = S[first, second].astype(np.float64)
    F[:, 0], F[:, 1], F[:, 2] = s, s - bar, bar
    F[:, 3:9] = table.features(S, first, second)
    if centred is not None:
        F[:, 9] = np.einsum("ij,ij->i", centred[first], centred[second])
    if raw is not None:
        F[:, 10] = np.einsum("ij,ij->i", raw[first], raw[second])
    F[:, 11:] = part_features(parts, rows[first], rows[second], months)
    return first, second, F


def probability_matrix(
    model: PairModel, F: np.ndarray, first: np.ndarray, second: np.ndarray, n: int
) -> np.ndarray:
    """The dense n x n float32 matrix of the model's probabilities (0 on pairs of one document).

    Examples:
        >>> m = PairModel(FEATURES, np.zeros(21), np.ones(21), np.eye(21)[0], 0.0, 0.5)
        >>> P = probability_matrix(m, np.eye(21)[[0]] * 2.0 + np.eye(21)[[1]], np.array([0]), np.array([1]), 2)
        >>> round(float(P[1, 0]), 3)
        0.881
    """
    P = np.zeros((n, n), dtype=np.float32)
    for lo in range(0, len(first), PAIR_BLOCK):
        sl = slice(lo, lo + PAIR_BLOCK)
        p = model.probability(F[sl])
        P[first[sl], second[sl]] = p
        P[second[sl], first[sl]] = p
    return P
