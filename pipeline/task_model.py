"""Evidence model of the analyse stage's task_status: how likely a later item is what became of a task.

Reads the similarities `task_status` computes between a pending task and the items of one later
document of its issuer, and a logistic regression kept as JSON in models/task_status (trained by
tools/train_task_status.py on the gold of data/series_eval); returns a probability per (task,
item) pair. Never trains, never reads tables or files other than the model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .config import MODELS_DIR

MODEL_PATH = MODELS_DIR / "task_status" / "evidence_model.json"
# What the model reads of a pair (task t, item e of a later document d of its issuer). A result
# (a report of work done) and a limitation (a problem named again) are told apart by `is_result`,
# and most columns are kept per role (0 for the other): the similarity of `task_status` (the
# recurrence similarity plus the shared-specific bonus) and the text cosine; for a result, whether
# a figure says the work is partial, whether d sets the task again, how far t is above the best
# other pending task as e's match and e above the best other result of d as t's; for a
# limitation, whether e is in the recurrence cluster of t's anchor (the limitation of t's own
# document it answers), the similarity and cosine of e to that anchor, how much closer e is to
# another limitation of t's document, e's margin over the other limitations of d (to t and to
# the anchor); the sentence model's cosines; how many documents and months d comes after t.
FEATURES = (
    "is_result",
    "res_similarity", "res_cosine", "res_partial", "res_again", "res_task_margin", "res_doc_margin",
    "res_sentence",
    "lim_similarity", "lim_cosine", "lim_same_cluster", "lim_loose_cluster", "lim_to_anchor",
    "lim_cos_anchor", "lim_sibling_gap", "lim_doc_margin", "lim_anchor_margin", "lim_sentence",
    "lim_sentence_anchor", "lim_has_anchor", "lim_cluster_first",
    "docs_after", "months_after",
)  # fmt: skip


@dataclass(frozen=True)
class TaskModel:
    """A logistic regression over (task, later item) features (standardised), with its decision threshold.

    Attributes:
        features: feature names, in the order of `coef`.
        mean: feature means of the training pairs.
        scale: feature standard deviations of the training pairs.
        coef: coefficients on the standardised features.
        intercept: the intercept.
        threshold: the probability the best item of a later document must reach to decide a task
            (chosen by cross-validation over series grouped by the hand that wrote them).
        meta: training configuration (series, C, date, CV figures).
    """

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float
    meta: dict[str, Any] = field(default_factory=dict)

    def probability(self, F: np.ndarray) -> np.ndarray:
        """P(the item is the task's evidence) of feature rows F (columns as `features`)."""
        z = ((F - self.mean) / self.scale) @ self.coef + self.intercept
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)

    def to_json(self) -> dict[str, Any]:
        """The model as a JSON object (`load_task_model` reads it back)."""
        return {
            "features": list(self.features), "mean": self.mean.tolist(), "scale": self.scale.tolist(),
            "coef": self.coef.tolist(), "intercept": self.intercept, "threshold": self.threshold,
            "meta": self.meta,
        }  # fmt: skip


def load_task_model(path: str | Path | None = None) -> TaskModel | None:
    """The evidence model of a JSON file (default models/task_status/evidence_model.json), or None.

    A file of other features than FEATURES is not read (None): the rules of `task_status` decide.

    Examples:
        >>> model = load_task_model()
        >>> model is None or 0.0 < model.threshold < 1.0
        True
    """
    from .pairs import read_logistic

    if path is None:
        return _default_model()
    data = read_logistic(path, FEATURES)
    return TaskModel(**data) if data is not None else None


@lru_cache(maxsize=1)
def _default_model() -> TaskModel | None:
    """The bundled model, read once per process."""
    return load_task_model(MODEL_PATH)


def _margin(M: np.ndarray, axis: int, mask: np.ndarray) -> np.ndarray:
    """M minus the best other entry along `axis` among entries where mask holds (-1 where none)."""
    X = np.where(mask, M, -np.inf)
    top = np.sort(X, axis=axis)
    best = np.take(top, [-1], axis=axis)
    second = np.take(top, [-2], axis=axis) if X.shape[axis] > 1 else np.full_like(best, -np.inf)
    other = np.where(X >= best, second, best)
    out = M - other
    return np.where(np.isfinite(out) & mask, out, np.where(mask, 1.0, 0.0))


def step_features(m: dict[str, np.ndarray]) -> np.ndarray:
    """Feature rows (len(cand) * len(ev), FEATURES) of one later document, row k * len(ev) + j.

    Args:
        m: the matrices of `task_status._step` (cand x ev unless noted): S (similarity), C
            (cosine), is_res (per ev), partial, again (per cand), same (e in the anchor's cluster),
            loose (the anchor has no cluster, per cand), to_anchor, cos_anchor, sibling (cosine
            of e to the closest other limitation of the task's document), sent, sent_anchor,
            has_anchor (per cand), first (e is the first member of the anchor's cluster after
            the task), docs_after and months_after (per cand).

    Examples:
        >>> z = np.zeros((1, 1))
        >>> m = {"S": z + 0.5, "C": z + 0.4, "is_res": np.array([True]), "partial": z, "again": np.zeros(1),
        ...      "same": z, "loose": np.zeros(1), "to_anchor": z, "cos_anchor": z, "sibling": z, "sent": z,
        ...      "sent_anchor": z, "has_anchor": np.zeros(1), "first": z, "docs_after": np.ones(1),
        ...      "months_after": np.ones(1)}
        >>> step_features(m)[0, :3].tolist()
        [1.0, 0.5, 0.4]
    """
    S, C = m["S"], m["C"]
    k, j = S.shape
    res = np.broadcast_to(m["is_res"][None, :], (k, j)).astype(np.float64)
    lim = 1.0 - res
    res_mask, lim_mask = res > 0, lim > 0
    has = np.broadcast_to(m["has_anchor"][:, None], (k, j)).astype(np.float64)
    cols = [
        res,
        res * S,
        res * C,
        res * m["partial"],
        res * m["again"][:, None],
        res * _margin(S, 0, res_mask),
        res * _margin(S, 1, res_mask),
        res * m["sent"],
        lim * S,
        lim * C,
        lim * m["same"],
        lim * m["loose"][:, None] * m["to_anchor"],
        lim * m["to_anchor"],
        lim * m["cos_anchor"],
        lim * has * np.maximum(m["sibling"] - m["to_anchor"], -1.0),
        lim * _margin(S, 1, lim_mask),
        lim * has * _margin(m["to_anchor"], 1, lim_mask),
        lim * m["sent"],
        lim * m["sent_anchor"],
        lim * has,
        lim * m["first"],
        np.broadcast_to(m["docs_after"][:, None], (k, j)),
        np.broadcast_to(m["months_after"][:, None], (k, j)),
    ]
    return np.stack([np.asarray(c, dtype=np.float64).reshape(-1) for c in cols], axis=1)
