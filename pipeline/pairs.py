"""Pair model of the analyse stage: how likely two limitations name the same problem.

Reads the item parts of `similarity.item_parts` and a logistic regression kept as JSON in
models/recurrence (trained by tools/train_recurrence.py); returns a probability per candidate
pair, the similarity `analysis.cluster_items` links on. Never trains, never reads tables.
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
# Pairs whose `vectorize` cosine is below this are never candidates (probability 0): chosen so
# that every same-problem pair of the tune split passes (the lowest is ~0.06) while most pairs
# of an archive are skipped before any feature is computed.
PREFILTER = 0.04
PAIR_BLOCK = 200_000  # candidate pairs whose features are computed at once
FEATURES = (
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
            leave-one-series-out cross-validation).
        prefilter: the `vectorize` cosine below which a pair is not a candidate.
        meta: training configuration (series, C, date, CV figures).
    """

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float
    prefilter: float = PREFILTER
    meta: dict[str, Any] = field(default_factory=dict)

    def probability(self, F: np.ndarray) -> np.ndarray:
        """P(same problem) of feature rows F (one row per pair, columns as `features`)."""
        z = ((F - self.mean) / self.scale) @ self.coef + self.intercept
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float32)

    def to_json(self) -> dict[str, Any]:
        """The model as a JSON object (`load_pair_model` reads it back)."""
        return {
            "features": list(self.features), "mean": self.mean.tolist(), "scale": self.scale.tolist(),
            "coef": self.coef.tolist(), "intercept": self.intercept, "threshold": self.threshold,
            "prefilter": self.prefilter, "meta": self.meta,
        }  # fmt: skip


def load_pair_model(path: str | Path | None = None) -> PairModel | None:
    """The pair model of a JSON file (default models/recurrence/pair_model.json), or None if absent.

    Examples:
        >>> model = load_pair_model()
        >>> model is None or 0.0 < model.threshold < 1.0
        True
    """
    if path is None:
        return _default_model()
    p = Path(path)
    if not p.exists():
        return None
    data = json.loads(p.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES[: len(data["features"])] or len(data["features"]) != len(FEATURES):
        return None  # a model of other features: the cosine fallback is safer than a wrong reading
    return PairModel(
        features=tuple(data["features"]), mean=np.array(data["mean"]), scale=np.array(data["scale"]),
        coef=np.array(data["coef"]), intercept=float(data["intercept"]), threshold=float(data["threshold"]),
        prefilter=float(data.get("prefilter", PREFILTER)), meta=dict(data.get("meta", {})),
    )  # fmt: skip


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


def pair_features(
    parts: ItemParts,
    first: np.ndarray,
    second: np.ndarray,
    months: np.ndarray,
    cosine: np.ndarray | None = None,
) -> np.ndarray:
    """Feature rows (columns as FEATURES) of the pairs (first[k], second[k]) of item rows.

    Args:
        parts: `similarity.item_parts` of the items.
        first: first rows of the pairs.
        second: second rows of the pairs.
        months: `months_of` each row's period (NaN when unknown).
        cosine: the `vectorize` cosine of each pair, if already computed.

    Examples:
        >>> from ketluan.similarity import item_parts
        >>> parts = item_parts(["Việc giải ngân vốn đầu tư công vẫn chậm.",
        ...                     "Tỷ lệ giải ngân vốn đầu tư công còn thấp."])
        >>> F = pair_features(parts, np.array([0]), np.array([1]), np.array([24294.0, 24295.0]))
        >>> dict(zip(FEATURES, F[0].round(2)))["topic_same"], dict(zip(FEATURES, F[0].round(2)))["shared_words"]
        (np.float64(1.0), np.float64(4.0))
    """
    n = len(first)
    F = np.zeros((n, len(FEATURES)), dtype=np.float64)
    if n == 0:
        return F
    F[:, 0] = cosine if cosine is not None else _rowwise(parts.combined, first, second)
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


def candidate_pairs(
    X: sp.csr_matrix, docs: Sequence[str], prefilter: float, block: int = 1024
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs (i < j) of rows of X from two documents with cosine >= prefilter, and their cosine.

    X is one comparison group (one issuer's limitations); computed `block` rows at a time.
    """
    n = X.shape[0]
    codes = np.unique(np.asarray(docs, dtype=object), return_inverse=True)[1]
    XT = X.T.tocsc()
    out_i, out_j, out_s = [], [], []
    for lo in range(0, n, block):
        S = (X[lo : lo + block] @ XT).toarray()
        bi, bj = np.nonzero(S >= prefilter)
        gi = bi + lo
        keep = (gi < bj) & (codes[gi] != codes[bj])
        out_i.append(gi[keep])
        out_j.append(bj[keep])
        out_s.append(S[bi[keep], bj[keep]])
    if not out_i:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    return np.concatenate(out_i), np.concatenate(out_j), np.concatenate(out_s)


def pair_probabilities(
    model: PairModel, parts: ItemParts, rows: np.ndarray, docs: Sequence[str], months: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(i, j, probability) of the candidate pairs among `rows` (local indexes into `rows`).

    Args:
        model: the pair model.
        parts: `similarity.item_parts` of all items.
        rows: the item rows of one comparison group.
        docs: the document of each of `rows`.
        months: `months_of` each item row (all items).
    """
    first, second, cos = candidate_pairs(parts.combined[rows], docs, model.prefilter)
    probs = np.zeros(len(first), dtype=np.float32)
    for lo in range(0, len(first), PAIR_BLOCK):
        sl = slice(lo, lo + PAIR_BLOCK)
        F = pair_features(parts, rows[first[sl]], rows[second[sl]], months, cos[sl])
        probs[sl] = model.probability(F)
    return first, second, probs
