"""Word vectors learned offline from Vietnamese administrative text, for the analyse stage.

Trains (tools/train_vectors.py) and reads (`similarity.vectorize`) the word vectors in
models/word_vectors: positive PMI of word co-occurrence reduced by truncated SVD. Returns dense
item rows; never downloads anything and never reads a file other than the stored model.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from .config import MODELS_DIR

MODEL_DIR = MODELS_DIR / "word_vectors"
VECTORS_FILE = "vectors.npz"
CONFIG_FILE = "config.json"
MEAN_PRIOR = 50  # items: the archive's mean is removed in full only from archives well above this


@dataclass(frozen=True)
class TrainConfig:
    """How the vectors are learned (stored next to them in config.json)."""

    dim: int = 64  # SVD components kept
    window: int = 4  # words either side counted as context (weight 1/distance)
    min_count: int = 2  # a word seen fewer times gets no vector
    cds: float = 0.75  # context distribution smoothing of the PMI (Levy et al. 2015)
    eig: float = 0.5  # vectors = U * S**eig


@dataclass(frozen=True)
class WordVectors:
    """Unit-length word vectors: `vocab[word]` is the row of `matrix`."""

    vocab: dict[str, int]
    matrix: np.ndarray  # float32, (len(vocab), dim)

    @property
    def dim(self) -> int:
        """Number of components."""
        return int(self.matrix.shape[1])

    def similarity(self, a: str, b: str) -> float:
        """Cosine of two words as `similarity.tokenize` writes them (0.0 when one is unknown).

        Examples:
            >>> wv = load_vectors()
            >>> wv.similarity("chậm", "chậm")
            1.0
        """
        if a not in self.vocab or b not in self.vocab:
            return 0.0
        return round(float(self.matrix[self.vocab[a]] @ self.matrix[self.vocab[b]]), 4)


def train(sentences: Iterable[Sequence[str]], config: TrainConfig = TrainConfig()) -> WordVectors:
    """Word vectors from tokenised sentences: PPMI of windowed co-occurrence, truncated SVD.

    Args:
        sentences: word lists as `similarity.tokenize` gives them
            (["giải_ngân", "vốn", "đầu_tư", "công", "chậm"]).
        config: window, dimension, minimum count, smoothing.

    Returns:
        WordVectors with unit-length rows (words seen at least `min_count` times).

    Examples:
        >>> wv = train([["hồ_sơ", "đất_đai", "chậm"], ["hồ_sơ", "đất_đai", "trễ"]] * 3,
        ...            TrainConfig(dim=2, min_count=1))
        >>> sorted(wv.vocab)
        ['chậm', 'hồ_sơ', 'trễ', 'đất_đai']
    """
    from scipy.sparse.linalg import svds

    sents = [list(s) for s in sentences]
    counts = Counter(w for s in sents for w in s)
    words = sorted(w for w, c in counts.items() if c >= config.min_count)
    vocab = {w: k for k, w in enumerate(words)}
    rows, cols, vals = [], [], []
    for s in sents:
        ids = [vocab[w] for w in s if w in vocab]
        for i, a in enumerate(ids):
            for d in range(1, config.window + 1):
                if i + d >= len(ids):
                    break
                b = ids[i + d]
                if a != b:
                    rows += [a, b]
                    cols += [b, a]
                    vals += [1.0 / d, 1.0 / d]
    n = len(vocab)
    C = sp.csr_matrix((vals, (rows, cols)), shape=(n, n), dtype=np.float64)
    C.sum_duplicates()
    total = C.sum()
    w_sum = np.asarray(C.sum(axis=1)).ravel()
    c_pow = np.asarray(C.sum(axis=0)).ravel() ** config.cds
    C = C.tocoo()
    pmi = np.log(C.data * c_pow.sum() / (w_sum[C.row] * c_pow[C.col])) if total else C.data
    keep = pmi > 0
    P = sp.csr_matrix((pmi[keep], (C.row[keep], C.col[keep])), shape=(n, n))
    k = max(1, min(config.dim, n - 2))
    U, S, _ = svds(P, k=k, random_state=0) if n > 2 else (np.eye(n, k), np.ones(k), None)
    order = np.argsort(-S)
    M = (U[:, order] * S[order] ** config.eig).astype(np.float32)
    M *= np.sign(M.sum(axis=0, keepdims=True) + 1e-12)  # a fixed sign per component: reproducible
    norms = np.linalg.norm(M, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return WordVectors(vocab, M / norms)


def save_vectors(
    wv: WordVectors, folder: str | Path, config: TrainConfig, sources: dict[str, object]
) -> None:
    """Write vectors.npz (vocabulary + float16 matrix) and config.json (how they were trained)."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    words = np.array(sorted(wv.vocab, key=wv.vocab.__getitem__))
    np.savez_compressed(out / VECTORS_FILE, words=words, matrix=wv.matrix.astype(np.float16))
    meta = {"method": "PPMI + truncated SVD of word co-occurrence", **config.__dict__,
            "vocabulary": len(words), "sources": sources}  # fmt: skip
    (out / CONFIG_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


@lru_cache(maxsize=4)
def load_vectors(folder: str | None = None) -> WordVectors | None:
    """The stored word vectors (models/word_vectors), or None when no model is there.

    Examples:
        >>> load_vectors("/nonexistent") is None
        True
    """
    path = Path(folder or MODEL_DIR) / VECTORS_FILE
    if not path.exists():
        return None
    with np.load(path, allow_pickle=False) as data:
        words = [str(w) for w in data["words"]]
        matrix = data["matrix"].astype(np.float32)
    return WordVectors({w: k for k, w in enumerate(words)}, matrix)


def item_vectors(weights: sp.csr_matrix, columns: Sequence[str], wv: WordVectors, n_fit: int) -> np.ndarray:
    """Dense unit rows: TF-IDF-weighted mean of word vectors, the archive's mean removed.

    A soft cosine: two items that use different words of similar use ("chậm" / "trễ",
    "tồn đọng" / "chưa giải quyết") get a positive similarity. The mean item of the archive is
    taken out first (every item of an administrative archive shares its register), so only
    what sets an item apart counts; in part only for a small archive (MEAN_PRIOR).

    Args:
        weights: TF-IDF rows over `columns` (unigram columns only are read).
        columns: the word of each column.
        wv: the word vectors.
        n_fit: the first `n_fit` rows are the archive the mean is taken over.
    """
    idx = np.array([wv.vocab.get(c, -1) for c in columns], dtype=np.int64)
    known = np.flatnonzero(idx >= 0)
    W = sp.csr_matrix(weights[:, known])
    E = np.asarray(W @ wv.matrix[idx[known]], dtype=np.float32)
    norms = np.linalg.norm(E, axis=1, keepdims=True)
    has = norms[:, 0] > 0
    E[has] /= norms[has]
    fit = E[:n_fit][has[:n_fit]]
    if len(fit):
        # shrunk toward 0 for a small archive: the mean of two items is half of each of them
        E[has] -= fit.mean(axis=0) * (len(fit) / (len(fit) + MEAN_PRIOR))
    norms = np.linalg.norm(E, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return E / norms
