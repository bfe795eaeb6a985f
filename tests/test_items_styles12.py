"""Items of conclusions written blind by other hands (engineer I10): an inspection's "còn một số khoản chi
sai quy định sau: A; B; C" lists the violations, each a limitation; "Những hạn chế trên có nguyên nhân từ …"
states causes; under a results heading a paragraph whose turn ("…, song trong thực tế … vẫn còn chậm")
carries most of it is a limitation, one whose achievements weigh as much stays a result; an official who
reports having answered the citizens at a dialogue ("đã giải thích để các hộ dân biết …") states an act of
the session, framing.

Each case is a convention (Nghị định 30/2020/NĐ-CP; Luật Tiếp công dân 2013; ANNOTATION.md), built by
hand with real Vietnamese text (NFC and NFD); none runs the whole pipeline.
"""

from __future__ import annotations

import unicodedata

import pytest

from ketluan.claims import states_answer
from ketluan.cues import states_cause
from ketluan.item_cuts import Piece, lists_shortcomings, split_block
from ketluan.item_roles import major_turn
from ketluan.items import categorize
from ketluan.records import Block, Section

FORMS = ("NFC", "NFD")
ROOT = Section("s0", "", 0, 0, "", "", "other")
RESULTS = Section("s1", "s0", 1, 1, "I.", "KẾT QUẢ ĐẠT ĐƯỢC", "result")
PETITIONS = Section("s2", "s0", 2, 1, "2.", "Về các kiến nghị cụ thể của hộ dân", "task")


def nfd(text: str, form: str) -> str:
    return unicodedata.normalize(form, text)


@pytest.mark.parametrize("form", FORMS)
def test_items_styles12_violations_after_sau_are_cut(form: str) -> None:
    text = nfd(
        "Qua kiểm tra chứng từ, còn một số khoản chi sai quy định sau: chi hỗ trợ cước điện thoại cho người "
        "hoạt động không chuyên trách vượt mức quy chế chi tiêu nội bộ, số tiền 12.600.000 đồng; thanh toán "
        "công tác phí cho 04 chuyến công tác không có giấy đi đường, số tiền 5.480.000 đồng; chi tiếp khách "
        "vượt định mức, số tiền 3.150.000 đồng.",
        form,
    )
    pieces = split_block(Block(text, marker="b)", style="lower"))
    assert [unicodedata.normalize("NFC", p.text)[:22] for p in pieces] == [
        "chi hỗ trợ cước điện t",
        "thanh toán công tác ph",
        "chi tiếp khách vượt đị",
    ]
    assert all(p.lead == ("limitation",) for p in pieces)


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ("Qua kiểm tra chứng từ, còn một số khoản chi sai quy định sau", True),
        ("Đoàn đã kiểm tra các nội dung sau", False),
        ("Tiến độ giải ngân còn chậm", False),
    ],
)
def test_items_styles12_lists_shortcomings(head: str, expected: bool) -> None:
    assert lists_shortcomings(head) is expected


def test_items_styles12_statement_with_figures_stays_whole() -> None:
    text = "Tuy nhiên, tiến độ giải ngân vốn đầu tư công chưa đạt yêu cầu: đến ngày 31/7 mới giải ngân 1.214 tỷ đồng; nhiều chủ đầu tư còn chờ."
    assert len(split_block(Block(text))) == 1


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Những hạn chế trên có nguyên nhân từ điều kiện kinh tế - xã hội của các huyện miền núi còn nhiều khó "
         "khăn, nhưng chủ yếu vẫn là do một bộ phận cán bộ quản lý chưa quyết liệt.", True),
        ("Những tồn tại trên có nguyên nhân chủ yếu là sự phối hợp chưa chặt chẽ.", True),
        ("Đã xác định nguyên nhân từ nhà thầu thiếu năng lực.", False),
    ],
)  # fmt: skip
def test_items_styles12_cause_from(form: str, text: str, expected: bool) -> None:
    assert states_cause(nfd(text, form)) is expected


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Việc theo dõi, đôn đốc thu nộp tiền sử dụng đất giữa cơ quan thuế và cơ quan tài nguyên đã có quy "
         "chế phối hợp, song trong thực tế việc luân chuyển hồ sơ xác định nghĩa vụ tài chính ở cấp huyện vẫn "
         "còn chậm, có hồ sơ kéo dài trên 30 ngày so với quy định.", "limitation"),
        ("Công tác thanh toán bảo hiểm y tế được thực hiện kịp thời, tỷ lệ chi phí bị từ chối giám định giảm "
         "còn 1,2%; tuy vậy vẫn còn một số hồ sơ bị xuất toán do chỉ định xét nghiệm chưa phù hợp với chẩn "
         "đoán.", "result"),
        ("Công tác xây dựng Đảng được chú trọng, Đảng ủy đã kết nạp 05 đảng viên mới, đạt 50% chỉ tiêu năm, "
         "tuy vậy việc tạo nguồn phát triển đảng viên ở chi bộ thôn 3 và thôn 7 vẫn còn chậm.", "result"),
    ],
)  # fmt: skip
def test_items_styles12_turn_under_results(form: str, text: str, expected: str) -> None:
    cat, _ = categorize(Piece(text=nfd(text, form)), [RESULTS, ROOT], None, 0.5)
    assert cat == expected
    assert major_turn(nfd(text, form)) is (expected == "limitation")


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đối với các nội dung khiếu nại vượt thẩm quyền, Phó Chủ tịch UBND thành phố đã giải thích để các hộ "
         "dân biết và thực hiện quyền khiếu nại theo đúng trình tự của Luật Khiếu nại.", "other"),
        ("Giao Trung tâm Phát triển quỹ đất thành phố phối hợp với đơn vị tư vấn giải thích cụ thể cho từng hộ "
         "cách xác định giá đất.", "task"),
        ("Chủ tịch UBND xã đã giải thích cho công dân; đề nghị Công an xã tiếp tục xác minh, báo cáo trước "
         "ngày 30/11/2024.", "task"),
    ],
)  # fmt: skip
def test_items_styles12_answer_at_dialogue_is_framing(form: str, text: str, expected: str) -> None:
    cat, _ = categorize(Piece(text=nfd(text, form)), [PETITIONS, ROOT], None, 0.5)
    assert cat == expected
    assert states_answer(nfd(text, form)) is (expected == "other")
