"""Item classifier without spaCy: the trained bag-of-words textcat applied with numpy, same numbers.

Reads the weights of the trained `spacy.TextCatBOW.v3` model (hashed unigrams and bigrams of the
token texts, a sparse linear layer, softmax), kept in the cache folder once spaCy has loaded the
model; returns the probabilities spaCy's `nlp.pipe` gives, to the bit (same hashes, float32 sums
in the same order, the same softmax). It never tokenizes (the caller gives the words) and never
loads spaCy: `nlp.py` builds the cache with spaCy the first time and checks the architecture.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .crf_models import files_key

CACHE_FORMAT = "1"
MASK64 = (1 << 64) - 1
M64 = 0xC6A4A7935BD1E995  # MurmurHash64A's multiplier
R64 = 47
ORTH_SEED = 1  # spaCy's hash_string: MurmurHash64A(utf-8, seed 1)
NGRAM_SEED = 0  # thinc's ops.ngrams: MurmurHash64A(n consecutive uint64 keys, seed 0)


def murmur64a(data: bytes, seed: int) -> int:
    """MurmurHash64A of `data` (what murmurhash's `hash64` and so spaCy's string hashes compute).

    Examples:
        >>> murmur64a(b"", 1) == murmur64a(b"", 1) and murmur64a(b"a", 1) != murmur64a(b"b", 1)
        True
    """
    n = len(data)
    h = (seed ^ (n * M64)) & MASK64
    end = n - n % 8
    for i in range(0, end, 8):
        k = (int.from_bytes(data[i : i + 8], "little") * M64) & MASK64
        k ^= k >> R64
        k = (k * M64) & MASK64
        h = ((h ^ k) * M64) & MASK64
    if n % 8:
        h = ((h ^ int.from_bytes(data[end:], "little")) * M64) & MASK64
    h ^= h >> R64
    h = (h * M64) & MASK64
    return h ^ (h >> R64)


@lru_cache(maxsize=1 << 16)
def string_hash(word: str) -> int:
    """spaCy's `hash_string` of a token text ("Tài chính")."""
    return murmur64a(word.encode("utf-8"), ORTH_SEED)


def bigram_keys(keys: np.ndarray) -> np.ndarray:
    """thinc's `ops.ngrams(2, keys)`: MurmurHash64A over each pair of consecutive uint64 keys."""
    if len(keys) < 2:
        return np.zeros(0, dtype=np.uint64)
    m, r = np.uint64(M64), np.uint64(R64)
    h = np.full(len(keys) - 1, (NGRAM_SEED ^ (16 * M64)) & MASK64, dtype=np.uint64)
    for block in (keys[:-1], keys[1:]):
        k = block * m
        k ^= k >> r
        k *= m
        h ^= k
        h *= m
    h ^= h >> r
    h *= m
    h ^= h >> r
    return h


def murmur3_32_uint64(keys: np.ndarray, seed: int) -> np.ndarray:
    """thinc's `MurmurHash3_x86_32_uint64` (sparselinear.pyx) over an array of uint64 keys."""
    c1, c2 = np.uint32(0xCC9E2D51), np.uint32(0x1B873593)
    h = np.full(len(keys), seed, dtype=np.uint32)
    for part in ((keys & np.uint64(0xFFFFFFFF)).astype(np.uint32), (keys >> np.uint64(32)).astype(np.uint32)):
        k = part * c1
        k = (k << np.uint32(15)) | (k >> np.uint32(17))
        k *= c2
        h ^= k
        h = (h << np.uint32(13)) | (h >> np.uint32(19))
        h = h * np.uint32(5) + np.uint32(0xE6546B64)
    h ^= np.uint32(8)
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return h


def words_and_spaces(words: list[str], text: str) -> list[str]:
    """The token texts spaCy's `util.get_words_and_spaces(words, text)` gives: the words, with
    whatever text lies between them other than one space as tokens of their own."""
    tokens: list[str] = []
    pos = 0
    for word in (w for w in words if not w.isspace()):
        start = text[pos:].index(word)
        if start > 0:
            tokens.append(text[pos : pos + start])
            pos += start
        tokens.append(word)
        pos += len(word)
        if pos < len(text) and text[pos] == " ":
            pos += 1
    if pos < len(text):
        tokens.append(text[pos:])
    return tokens


@dataclass(frozen=True)
class BowTextcat:
    """The weights of a trained TextCatBOW.v3 (exclusive classes, unigrams and bigrams of ORTH)."""

    labels: tuple[str, ...]
    weights: np.ndarray  # float32, (labels, length): thinc's flat W as rows of one class
    bias: np.ndarray  # float32, (labels,)
    fixed_words: tuple[str, ...]  # the tokenizer's fixed words, saved with the model
    symbols: dict[str, int]  # spaCy's symbol names, whose ids are fixed numbers, not hashes ("X": 101)

    def orth(self, token: str) -> int:
        """spaCy's ORTH id of a token text: a symbol's own id ("X", "NOUN"), else the string's hash."""
        found = self.symbols.get(token)
        return string_hash(token) if found is None else found

    def features(self, tokens: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """extract_ngrams(2, ORTH): the sorted unique keys of a doc and their counts (float32)."""
        unigrams = np.array([self.orth(t) for t in tokens], dtype=np.uint64)
        keys, counts = np.unique(np.concatenate([unigrams, bigram_keys(unigrams)]), return_counts=True)
        return keys, counts.astype(np.float32)

    def scores(self, docs: list[list[str]]) -> np.ndarray:
        """One batch of token lists -> probabilities (float32, docs x labels), as textcat.predict."""
        n_labels, length = self.weights.shape
        if not any(docs):
            return np.zeros((len(docs), n_labels))
        out = np.zeros((len(docs), n_labels), dtype=np.float32)
        out += self.bias
        for row, tokens in enumerate(docs):
            keys, values = self.features(tokens)
            if not len(keys):
                continue
            length64 = np.uint32(length)
            idx = np.empty(2 * len(keys), dtype=np.int64)
            idx[0::2] = murmur3_32_uint64(keys, 0) % length64  # the order set_scoresC adds them in
            idx[1::2] = murmur3_32_uint64(keys, 1) % length64
            terms = self.weights[:, idx] * np.repeat(values, 2)  # float32 products, one per term
            summed = np.add.accumulate(np.concatenate([out[row][:, None], terms], axis=1), axis=1)
            out[row] = summed[:, -1]  # float32 additions one after the other, as the C loop does
        maxes = np.max(out, axis=-1, keepdims=True)  # thinc's Ops.softmax
        new = np.exp(out - maxes)
        new /= new.sum(axis=-1, keepdims=True)
        return new


def source_key(model_dir: Path) -> str | None:
    """A digest of the path, size and modification time of the model's files; None if one is missing."""
    header = f"{CACHE_FORMAT} {sys.version_info[:2]} {np.__version__} {model_dir.resolve()}"
    return files_key(header, model_dir, ("config.cfg", "textcat/model", "textcat/cfg", "tokenizer/cfg"))


def cache_path(cache_dir: Path, model_dir: Path) -> Path | None:
    """Where the weights of `model_dir` are cached, or None when its files cannot be keyed."""
    key = source_key(model_dir)
    return None if key is None else cache_dir / f"textcat-bow-{key}.npz"


def load_cached(path: Path) -> BowTextcat | None:
    """The cached weights, or None when the cache is missing or unreadable."""
    try:
        with np.load(path, allow_pickle=False) as data:
            return BowTextcat(
                labels=tuple(str(x) for x in data["labels"]), weights=data["weights"], bias=data["bias"],
                fixed_words=tuple(str(x) for x in data["fixed_words"]),
                symbols=dict(zip((str(x) for x in data["symbol_names"]), (int(x) for x in data["symbol_ids"]),
                                 strict=True)),
            )  # fmt: skip
    except Exception:  # a damaged or foreign file (not a zip, a missing array): built again
        return None


def store_cache(path: Path, model: BowTextcat) -> None:
    """Write the weights atomically (a temporary file moved into place); a failure is ignored."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp.npz")
        np.savez(tmp, labels=np.array(model.labels), weights=model.weights, bias=model.bias,
                 fixed_words=np.array(model.fixed_words, dtype=str),
                 symbol_names=np.array(list(model.symbols), dtype=str),
                 symbol_ids=np.array(list(model.symbols.values()), dtype=np.uint64))  # fmt: skip
        os.replace(tmp, path)
    except OSError:
        return


def from_spacy(nlp: Any) -> BowTextcat | None:
    """The weights of a loaded spaCy pipeline whose only component is a TextCatBOW.v3 textcat with
    exclusive classes, bigrams and an output layer; None for any other architecture."""
    if list(nlp.pipe_names) != ["textcat"]:
        return None
    pipe = nlp.get_pipe("textcat")
    arch = nlp.config["components"]["textcat"]["model"]
    wanted = {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True, "ngram_size": 2,
              "no_output_layer": False}  # fmt: skip
    if any(arch.get(k) != v for k, v in wanted.items()):
        return None
    layers = [node for node in pipe.model.walk() if node.name == "sparse_linear"]
    extract = [node for node in pipe.model.walk() if node.name == "extract_ngrams"]
    if len(layers) != 1 or len(extract) != 1 or layers[0].attrs.get("v1_indexing", True):
        return None
    from spacy.attrs import ORTH
    from spacy.symbols import IDS

    if extract[0].attrs.get("attr") != ORTH or extract[0].attrs.get("ngram_size") != 2:
        return None
    layer = layers[0]
    n_out, length = layer.get_dim("nO"), layer.get_dim("length")
    weights = np.ascontiguousarray(np.asarray(layer.get_param("W"), dtype=np.float32).reshape(n_out, length))
    bias = np.asarray(layer.get_param("b"), dtype=np.float32).copy()
    fixed = tuple(getattr(nlp.tokenizer, "fixed_words", ()))
    symbols = {str(name): int(i) for name, i in IDS.items()}
    return BowTextcat(
        labels=tuple(pipe.labels), weights=weights, bias=bias, fixed_words=fixed, symbols=symbols
    )
