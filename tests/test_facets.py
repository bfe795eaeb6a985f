"""Tests of facets.py: the problem clause of a limitation and the failure facets it names.

Inputs are limitations written here as Vietnamese meeting conclusions word them; no pipeline run.
"""

from __future__ import annotations

import unicodedata

import numpy as np
import pytest

from ketluan.facets import compatible, facet_penalty, facets_of, problem_clause


@pytest.mark.parametrize(("text", "clause"), [
    ("Phát rừng làm rẫy ở tiểu khu 816 vẫn xảy ra, do lực lượng tuần tra mỏng.",
     "Phát rừng làm rẫy ở tiểu khu 816 vẫn xảy ra"),
    ("Tuy nhiên, việc giải ngân vốn đầu tư công còn chậm, gây ảnh hưởng đến tăng trưởng.",
     "việc giải ngân vốn đầu tư công còn chậm"),
    ("Qua kiểm tra tại huyện Thạnh Phú, Chợ Lách phát hiện 27 trường hợp ghi sai ngày sinh.",
     "Chợ Lách phát hiện 27 trường hợp ghi sai ngày sinh."),
    ("Bên cạnh đó, báo cáo của một số xã gửi chậm; nguyên nhân là cán bộ kiêm nhiệm.",
     "báo cáo của một số xã gửi chậm"),
    # wrapped line, NFD input: the clause comes back NFC, one space between words
    (unicodedata.normalize("NFD", "Hồ sơ đất đai\n trả chậm, làm ảnh hưởng quyền lợi người dân."),
     "Hồ sơ đất đai trả chậm"),
    # nothing to cut, or too little left: the whole text
    ("Còn 12 hộ chưa nhận tiền bồi thường.", "Còn 12 hộ chưa nhận tiền bồi thường."),
    ("Tuy nhiên, do mưa.", "Tuy nhiên, do mưa."),
])  # fmt: skip
def test_facets_problem_clause_cuts_lead_ins_causes_and_consequences(text: str, clause: str) -> None:
    assert problem_clause(text) == clause


@pytest.mark.parametrize(("text", "facets"), [
    ("Công tác số hóa sổ hộ tịch triển khai chậm, mới đạt 38% dữ liệu.", {"delay", "shortfall"}),
    ("Phát hiện 27 trường hợp đăng ký khai sinh ghi sai ngày sinh, quê quán trong sổ hộ tịch.", {"error"}),
    ("Nhiều cơ quan chưa cập nhật quyết định xử phạt vi phạm hành chính lên Cơ sở dữ liệu quốc gia.",
     {"missing_data"}),  # "xử phạt vi phạm hành chính" names the field, not a violation
    ("Có 14 quyết định xử phạt ban hành không đúng thẩm quyền.", {"error"}),
    ("Một số phòng gửi báo cáo định kỳ không đúng hạn.", {"delay"}),  # late, not wrong
    ("Đường ranh cản lửa rừng trồng tiểu khu 820 chưa phát dọn, nguy cơ cháy rừng cao.", {"delay"}),
    ("Phát rừng làm rẫy ở tiểu khu 816 vẫn xảy ra, do lực lượng tuần tra mỏng.", {"violation"}),
    ("Số liệu thống kê thiếu chính xác, do thiếu cán bộ.", {"error"}),  # the cause's "thiếu" is cut
    ("Nhà trạm y tế xã xuống cấp, mái thấm dột.", {"damage"}),
    ("Tổ chức tốt Hội nghị tổng kết năm.", set()),
])  # fmt: skip
def test_facets_facets_of(text: str, facets: set[str]) -> None:
    assert facets_of(text) == frozenset(facets)


@pytest.mark.parametrize(("a", "b", "expected"), [
    ({"delay"}, {"shortfall"}, True),  # "số hóa chậm" / "chưa đạt chỉ tiêu": one problem reworded
    ({"delay"}, {"backlog"}, True),
    ({"violation"}, {"delay"}, True),  # a violation left unresolved
    ({"delay"}, {"error"}, False),  # late vs written wrong
    ({"missing_data"}, {"error"}, False),  # not entered vs issued without authority
    ({"shortage"}, {"damage"}, False),
    ({"delay", "error"}, {"error"}, True),
    (set(), {"error"}, True),  # no facet: nothing to say
])  # fmt: skip
def test_facets_compatible(a: set[str], b: set[str], expected: bool) -> None:
    assert compatible(frozenset(a), frozenset(b)) is expected
    assert compatible(frozenset(b), frozenset(a)) is expected


def test_facets_facet_penalty_is_the_weight_between_incompatible_items() -> None:
    facets = [frozenset({"delay"}), frozenset({"error"}), frozenset({"shortfall"}), frozenset(),
              frozenset({"delay", "error"})]  # fmt: skip
    onehot, P = facet_penalty(facets, 0.1)
    pen = (onehot @ P @ onehot.T).round(6)
    assert pen.tolist() == [
        [0.0, 0.1, 0.0, 0.0, 0.0],
        [0.1, 0.0, 0.1, 0.0, 0.0],
        [0.0, 0.1, 0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 0.0, 0.0],
    ]
    onehot0, penalty0 = facet_penalty([frozenset(), frozenset()], 0.1)
    assert np.allclose(onehot0 @ penalty0 @ onehot0.T, 0.0)
