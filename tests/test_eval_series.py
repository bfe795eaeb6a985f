"""Tests of tools/eval_series.py helpers: constant overrides and the sentence-vector cache.

No series is scored here (that is `tools.eval_series` itself); vectors are made up, unit length.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ketluan import semantic, similarity
from tools.eval_series import load_vector_cache, save_vector_cache, set_constant


@pytest.mark.parametrize(("spec", "module", "name", "value"), [
    ("similarity.FACET_WEIGHT=0", similarity, "FACET_WEIGHT", 0),
    ("semantic.CLAUSE_ONLY=false", semantic, "CLAUSE_ONLY", False),
    ("similarity.SEMANTIC_WEIGHT=0.25", similarity, "SEMANTIC_WEIGHT", 0.25),
])  # fmt: skip
def test_eval_series_set_constant(
    spec: str, module: object, name: str, value: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(module, name, getattr(module, name))  # restored after the test
    set_constant(spec)
    assert getattr(module, name) == value


def test_eval_series_set_constant_unknown_name() -> None:
    with pytest.raises(SystemExit, match="no NO_SUCH"):
        set_constant("similarity.NO_SUCH=1")


def test_eval_series_vector_cache_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(semantic, "_cache", {})
    v = np.zeros(semantic.DIM, dtype=np.float32)
    v[3] = 1.0
    key = semantic.text_key("Giải ngân vốn đầu tư công còn chậm.")
    semantic.remember({key: v})
    path = tmp_path / "e5.npz"
    assert save_vector_cache(path) == 1
    monkeypatch.setattr(semantic, "_cache", {})
    assert load_vector_cache(path) == 1
    assert np.array_equal(semantic._cache[key], v)
    assert load_vector_cache(tmp_path / "none.npz") == 0  # no cache yet: nothing read, no error
