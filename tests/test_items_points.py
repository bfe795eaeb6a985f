"""Items stage: ordinal points, lines of figures, shortcomings handled or cleared, review sections."""

from __future__ import annotations

import unicodedata

import pytest

from ketluan.config import Settings
from ketluan.item_cuts import is_figures_row, ordinal_points, split_block
from ketluan.items import review_sections, sections_to_items, wording_category
from ketluan.records import Block, Fields, Section
from ketluan.sections import body_to_sections

from conftest import text_lines

CONCLUSION = Fields(is_conclusion=True, issue_date="2023-05-08")


def items_of(text: str) -> list[tuple[str, str]]:
    sections, blocks = body_to_sections(text_lines(text))
    items = sections_to_items(sections, blocks, CONCLUSION, Settings(textcat=False))
    return [(i.category, i.text) for i in items if i.category != "other"]


@pytest.mark.parametrize(
    ("text", "points", "lead"),
    [
        ("Thứ nhất, chất lượng phiếu điều tra còn thấp; thứ hai, việc cập nhật dữ liệu còn chậm; "
         "thứ ba, phối hợp cung cấp số liệu chưa kịp thời.",
         ["Thứ nhất, chất lượng phiếu điều tra còn thấp", "thứ hai, việc cập nhật dữ liệu còn chậm",
          "thứ ba, phối hợp cung cấp số liệu chưa kịp thời."], ()),
        ("Trưởng phòng yêu cầu các bộ phận: thứ nhất, đôn đốc tư vấn nộp dự thảo trước ngày 15/4/2022; "
         "thứ hai, tiếp tục giải quyết hồ sơ đúng hạn.",
         ["thứ nhất, đôn đốc tư vấn nộp dự thảo trước ngày 15/4/2022", "thứ hai, tiếp tục giải quyết hồ sơ đúng hạn."],
         ("task",)),
        ("Một là, tổng thu đạt 286,4 tỷ đồng; hai là, giải ngân đạt 61,3% kế hoạch.",
         ["Một là, tổng thu đạt 286,4 tỷ đồng", "hai là, giải ngân đạt 61,3% kế hoạch."], ()),
        # NFD input (decomposed tones) cuts the same
        (unicodedata.normalize("NFD", "Thứ nhất, hồ sơ còn sai sót; thứ hai, nhập liệu còn chậm."),
         [unicodedata.normalize("NFD", "Thứ nhất, hồ sơ còn sai sót"),
          unicodedata.normalize("NFD", "thứ hai, nhập liệu còn chậm.")], ()),
        # a first clause without an ordinal: one paragraph, one item (ANNOTATION.md rule 2)
        ("Tiến độ lập kế hoạch sử dụng đất còn chậm; thứ nhất, tư vấn chưa nộp dự thảo; thứ hai, 3 phường chưa gửi.",
         [], ()),
        # one ordinal paragraph whose clauses are not numbered: one item
        ("Thứ hai, tỷ lệ bao phủ bảo hiểm y tế mới đạt 88,7%; việc vận động hộ gia đình chuyển biến chậm.", [], ()),
    ],
)  # fmt: skip
def test_items_points_ordinal_clauses_are_items(text: str, points: list[str], lead: tuple[str, ...]) -> None:
    got = ordinal_points(text)
    assert [p for p, _ in got] == points
    assert all(lead_ == lead for _, lead_ in got)


@pytest.mark.parametrize(
    ("head", "tail", "row"),
    [
        ("Vốn ngân sách trung ương", "kế hoạch 1.726,5; đã giải ngân 58,3; đạt 3,4%.", True),
        ("Tổng kế hoạch", "4.739,3; đã giải ngân: 1.324,6; đạt 27,9%.", True),
        ("Dự án được chấp thuận chủ trương đầu tư", "26 dự án; tổng vốn 6.390 tỷ đồng.", True),
        ("còn các hạn chế", "thu thuế đạt thấp; hồ sơ còn sai sót.", False),
        ("Công tác thanh tra", "Triển khai 14 cuộc thanh tra, phát hiện sai phạm 2,1 tỷ đồng.", False),
    ],
)
def test_items_points_figures_row_is_one_item(head: str, tail: str, row: bool) -> None:
    assert is_figures_row(head, tail) is row


def test_items_points_figures_row_keeps_its_label() -> None:
    pieces = split_block(
        Block("Tổng kế hoạch: 4.739,3; đã giải ngân: 1.324,6; đạt 27,9%.", marker="-", style="dash")
    )
    assert [(p.topic, p.text) for p in pieces] == [
        ("", "Tổng kế hoạch: 4.739,3; đã giải ngân: 1.324,6; đạt 27,9%.")
    ]


@pytest.mark.parametrize(
    ("text", "kwargs", "category"),
    [
        # a shortcoming named as the object of an action reported done
        ("Phòng Quản lý chất lượng đã lập danh mục 23 công trình bàn giao sử dụng khi chưa qua kiểm tra.", {},
         "result"),
        ("Giám đốc Sở đã ký 09 quyết định xử phạt vi phạm hành chính với tổng số tiền 415 triệu đồng.", {}, "result"),
        ("Đã kiểm tra 6 trường, còn 2 trường chưa báo cáo kết quả tự kiểm tra.", {}, "limitation"),
        ("Nhiều cơ sở chế biến hoạt động khi chưa có giấy phép.", {}, "limitation"),
        # a turn from what was achieved
        ("Tuy nhiên, dịch tả lợn châu Phi đã xuất hiện tại 03 thôn, buộc tiêu hủy 86 con.", {}, "limitation"),
        ("Tuy nhiên, tỷ lệ tham gia bảo hiểm y tế mới đạt 86,1%, còn cách xa chỉ tiêu.", {}, "limitation"),
        ("Tuy nhiên, cần khẩn trương hoàn thiện hồ sơ thanh toán.", {}, "task"),
        # an investigation reported done
        ("Đã xác định nguyên nhân lún, nứt sân trường là do nền đắp không được đầm chặt.", {}, "result"),
        ("Nguyên nhân là do nền đắp không được đầm chặt.", {}, "cause"),
        # under a field-of-work heading before the tasks: what was done, unless it asks
        ("Hoàn thành tiêm phòng lở mồm long móng đợt 2 cho 28.460 con trâu, bò.", {"review": True}, "result"),
        ("Tổ chức tốt các hoạt động kỷ niệm Ngày Phụ nữ Việt Nam 20/10.", {"review": True}, "result"),
        ("Tiếp tục vận động hộ gia đình mua thẻ bảo hiểm y tế.", {"review": True}, "task"),
        ("Tổ chức tốt các hoạt động kỷ niệm Ngày Phụ nữ Việt Nam 20/10.", {}, "task"),
    ],
)  # fmt: skip
def test_items_points_wording_reads_the_main_clause(
    text: str, kwargs: dict[str, bool], category: str
) -> None:
    assert wording_category(text, **kwargs)[0] == category
    assert wording_category(unicodedata.normalize("NFD", text), **kwargs)[0] == category


def test_items_points_review_sections_precede_tasks() -> None:
    secs = [
        Section("s1", "s0", 1, 1, "1.", "Về kinh tế, tài chính", "other"),
        Section("s2", "s0", 2, 1, "2.", "Về văn hóa - xã hội", "other"),
        Section("s3", "s0", 3, 1, "3.", "Nhiệm vụ tháng 12/2024", "task"),
        Section("s4", "s0", 4, 1, "4.", "Về tổ chức thực hiện", "other"),
    ]
    assert review_sections(secs) == {"s1", "s2"}


THU_NHAT = """Sau khi nghe báo cáo, Giám đốc kết luận như sau:

Quý III năm 2022, đơn vị đã hoàn thành cơ bản các nhiệm vụ được giao, trong đó nổi bật là những kết quả sau.

Một là, tổng thu ngân sách đạt 286,4 tỷ đồng, bằng 78% dự toán năm.

Hai là, giải ngân vốn đầu tư công đạt 61,3% kế hoạch vốn giao.

Tuy vậy, công tác của đơn vị trong quý vẫn còn một số hạn chế.

Một là, tiến độ kiểm soát chi một số dự án còn chậm.

Hai là, việc đối chiếu số dư tài khoản tiền gửi chưa đầy đủ.

Để hoàn thành nhiệm vụ năm 2022, Giám đốc yêu cầu các tổ tập trung thực hiện tốt những nhiệm vụ trọng tâm sau.

Một là, Tổ Kế toán chủ trì đối chiếu số dư tài khoản tiền gửi, hoàn thành trước ngày 25/10/2022.

Hai là, các tổ tiếp tục duy trì việc hạch toán chứng từ thu trong ngày.
"""


def test_items_points_ordinal_paragraphs_follow_their_lead_in() -> None:
    got = items_of(THU_NHAT)
    assert [c for c, _ in got] == ["result", "result", "limitation", "limitation", "task", "task"]
    assert all(t.startswith(("Một là", "Hai là")) for _, t in got)


TOPICS = """Chủ tịch UBND huyện kết luận như sau:

1. Về kinh tế, tài chính

Hoàn thành tiêm phòng lở mồm long móng đợt 2 cho 28.460 con trâu, bò.

Tuy nhiên, số vốn đầu tư chưa được thanh toán còn tới 58 tỷ đồng.

2. Nhiệm vụ tháng 12/2024

- Giao Phòng Tài chính - Kế hoạch đôn đốc từng chủ đầu tư, hoàn thành thanh toán trước ngày 20/12/2024.
"""


def test_items_points_field_of_work_sections_before_tasks_review() -> None:
    assert [c for c, _ in items_of(TOPICS)] == ["result", "limitation", "task"]
