"""Items of the calibration series read through a PDF (engineer I1): closing formulas, colons that wrap,
statements before a colon, and headings that name a body.

Each case is a convention of Nghị định 30/2020/NĐ-CP documents and ANNOTATION.md, built by hand with
real Vietnamese text (NFC and NFD); none runs the whole pipeline.
"""

from __future__ import annotations

import unicodedata

import pytest

from ketluan.item_cuts import gives_figures, split_block, states
from ketluan.items import categorize, is_framing
from ketluan.records import Block, Line, Section
from ketluan.sections import body_to_blocks, section_category

TASKS = Section("s1", "s0", 1, 1, "III.", "NHIỆM VỤ THÁNG 02/2020", "task")
ROOT = Section("s0", "", 0, 0, "", "", "other")


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# fmt: off
@pytest.mark.parametrize("text,framing", [
    # the closing sentence asks only that the conclusion be carried out: framing text (`other`)
    ("Yêu cầu các bộ phận triển khai thực hiện./.", True),
    ("Yêu cầu các phòng, đơn vị, trưởng các bản, tổ dân phố triển khai thực hiện./.", True),
    ("Yêu cầu các bộ phận, trưởng thôn, buôn, bon nghiêm túc thực hiện./.", True),
    ("Đề nghị các khoa, phòng căn cứ nội dung kết luận khẩn trương triển khai thực hiện./.", True),
    ("Văn phòng Sở thông báo để các phòng, đơn vị biết, thực hiện./.", True),
    # one that names what to do is a task
    ("Đề nghị các đồng chí Phó Chánh Thanh tra, Trưởng phòng quán triệt nội dung Kết luận này đến toàn thể"
     " công chức, người lao động để tổ chức thực hiện./.", False),
    ("Đề nghị các phòng thực hiện nghiêm túc Kết luận này./.", False),
    ("Yêu cầu các phòng rà soát hồ sơ tồn đọng, triển khai thực hiện./.", False),
    # "thông báo" inside a task is what the task asks, not the office's closing formula
    ("Rà soát 1.240 khoản nộp thừa, thông báo cho người nộp thuế và thực hiện bù trừ theo quy định trước"
     " ngày 31/7/2023.", False),
    ("Phòng Lao động - Việc làm phối hợp Công an huyện xác minh, xử lý các trường hợp tuyển lao động trái"
     " phép; thông báo rộng rãi danh sách doanh nghiệp được cấp phép để người dân biết.", False),
])
# fmt: on
def test_items_styles5_closing_request_is_framing(text: str, framing: bool) -> None:
    assert is_framing(text) is framing
    assert is_framing(_nfd(text)) is framing


@pytest.mark.parametrize(
    "text,category",
    [
        ("Yêu cầu các bộ phận triển khai thực hiện./.", "other"),
        ("Yêu cầu các phòng rà soát hồ sơ tồn đọng, triển khai thực hiện./.", "task"),
    ],
)
def test_items_styles5_closing_request_under_tasks_heading(text: str, category: str) -> None:
    from ketluan.item_cuts import Piece

    for t in (text, _nfd(text)):
        cat, _ = categorize(Piece(text=t, block=Block(t, section_id="s1")), [TASKS, ROOT], None, 0.5)
        assert cat == category


def _pdf_lines(*rows: tuple[str, float, float]) -> list[Line]:
    return [Line(t, page=1, x0=x0, x1=x1, origin="text") for t, x0, x1 in rows]


# fmt: off
@pytest.mark.parametrize("rows,paragraphs", [
    # a full line that ends on a colon wraps mid-sentence: one bullet, its deadline joined
    ([("- Giao Khoa Kiểm soát bệnh tật phối hợp Trạm Y tế các xã vùng", 90.0, 520.0),
      ("cao tổ chức tiêm vét tại thôn, lập danh sách trẻ bỏ mũi, thời gian:", 72.0, 520.0),
      ("trước 20/8/2019.", 72.0, 160.0),
      ("- Giao Phòng Tổ chức - Hành chính hoàn thiện hồ sơ tuyển dụng.", 90.0, 470.0)],
     ["Giao Khoa Kiểm soát bệnh tật phối hợp Trạm Y tế các xã vùng cao tổ chức tiêm vét tại thôn, lập danh"
      " sách trẻ bỏ mũi, thời gian: trước 20/8/2019.",
      "Giao Phòng Tổ chức - Hành chính hoàn thiện hồ sơ tuyển dụng."]),
    # a short lead-in on its own line still closes on its colon
    ([("Giám đốc giao:", 90.0, 180.0),
      ("- Các Chi nhánh: Hướng dẫn người dân nộp hồ sơ trực tuyến.", 90.0, 450.0)],
     ["Giám đốc giao:", "Các Chi nhánh: Hướng dẫn người dân nộp hồ sơ trực tuyến."]),
])
# fmt: on
def test_items_styles5_wrapped_colon_joins_the_paragraph(
    rows: list[tuple[str, float, float]], paragraphs: list[str]
) -> None:
    assert [b.text for b in body_to_blocks(_pdf_lines(*rows))] == paragraphs
    nfd = [(_nfd(t), x0, x1) for t, x0, x1 in rows]
    assert [unicodedata.normalize("NFC", b.text) for b in body_to_blocks(_pdf_lines(*nfd))] == paragraphs


# fmt: off
@pytest.mark.parametrize("head,stated", [
    ("Việc giám sát tàu cá qua hệ thống VMS còn buông lỏng", True),
    ("Vốn đầu tư công đã giải ngân", True),
    ("Nguồn thu từ đất tiếp tục lệch xa kế hoạch", True),
    ("Công tác thanh tra", False),
    ("Phòng Kế hoạch - Tài chính", False),
    ("Các trường chưa được công nhận lại chuẩn quốc gia", False),   # a plural addressee
    ("Đối với các dự án chưa hoàn thành quyết toán", False),       # a preposition of topic
])
# fmt: on
def test_items_styles5_statement_head(head: str, stated: bool) -> None:
    assert states(head) is stated
    assert states(_nfd(head)) is stated


# fmt: off
@pytest.mark.parametrize("text,pieces", [
    # a statement before the colon: the bullet is one item, no "Topic: text" (rule 4)
    ("Việc giám sát tàu cá qua hệ thống VMS còn buông lỏng: 14 tàu đang hoạt động vùng khơi \"mất dấu\" trên"
     " phần mềm nhiều ngày nhưng chưa có biện pháp xử lý.",
     [("", "Việc giám sát tàu cá qua hệ thống VMS còn buông lỏng: 14 tàu")]),
    ("Vốn đầu tư công đã giải ngân: 612,4 tỷ đồng; đạt 12,9% kế hoạch (cùng kỳ năm 2020: 10,7%).",
     [("", "Vốn đầu tư công đã giải ngân: 612,4 tỷ ")]),
    # a noun phrase before the colon stays a topic
    ("Phòng Kế hoạch - Tài chính: Rà soát, thống kê phòng học tạm trước ngày 30/4/2022.",
     [("Phòng Kế hoạch - Tài chính", "Rà soát, thống kê phòng học tạm trước ")]),
    # a statement whose colon gives its figures is one item (rule 2), not a list (rule 3)
    ("Thứ nhất, công tác thu hồi nợ thuế chưa đạt yêu cầu: nợ đến 31/12/2018 ước 358 tỷ đồng, không đạt chỉ"
     " tiêu dưới 5%; số tiền thu được từ các biện pháp cưỡng chế rất hạn chế.",
     [("", "Thứ nhất, công tác thu hồi nợ thuế chưa")]),
    # … while a set of shortcomings, or instances without figures, is cut at its semicolons
    ("Bên cạnh kết quả đạt được, công tác tháng 3 còn một số hạn chế: thu thuế mới đạt 45% dự toán; hồ sơ"
     " hoàn thuế còn sai sót.",
     [("", "thu thuế mới đạt 45% dự toán"), ("", "hồ sơ hoàn thuế còn sai sót.")]),
    ("Việc quản lý bảo trì đường bộ chưa đạt yêu cầu: một số đoạn trên Quốc lộ 4D còn ổ gà; hệ thống biển báo"
     " trên tuyến tỉnh lộ 128 bị mất.",
     [("", "một số đoạn trên Quốc lộ 4D còn ổ gà"), ("", "hệ thống biển báo trên tuyến tỉnh lộ 12")]),
])
# fmt: on
def test_items_styles5_statement_before_colon_cuts(text: str, pieces: list[tuple[str, str]]) -> None:
    for t in (text, _nfd(text)):
        got = split_block(Block(t, marker="-", style="dash"))
        want = [(unicodedata.normalize("NFC", top), unicodedata.normalize("NFC", txt)) for top, txt in pieces]
        assert [(unicodedata.normalize("NFC", p.topic), unicodedata.normalize("NFC", p.text)[: len(w[1])])
                for p, w in zip(got, want, strict=True)] == want  # fmt: skip


# fmt: off
@pytest.mark.parametrize("head,tail,figures", [
    ("Tuy nhiên, tiến độ giải ngân vốn đầu tư công chưa đạt yêu cầu đề ra",
     "đến ngày 31/7/2019 toàn tỉnh mới giải ngân 1.214 tỷ đồng; nhiều chủ đầu tư còn tâm lý chờ.", True),
    ("Công tác tổ chức cán bộ được thực hiện đúng quy trình",
     "đã bổ nhiệm lại 04 Hiệu trưởng; hoàn thành đánh giá, xếp loại viên chức.", True),
    ("Việc quản lý bảo trì đường bộ chưa đạt yêu cầu", "một số đoạn trên Quốc lộ 4D còn ổ gà; biển báo bị mất.", False),
    ("Trong tháng còn một số việc chưa đạt yêu cầu", "thu đạt 40% dự toán; hồ sơ còn chậm.", False),
    ("Giao Sở Tài chính", "thẩm định 12 dự án; báo cáo trước ngày 20/4.", False),
])
# fmt: on
def test_items_styles5_statement_gives_figures(head: str, tail: str, figures: bool) -> None:
    assert gives_figures(head, tail) is figures
    assert gives_figures(_nfd(head), _nfd(tail)) is figures


# fmt: off
@pytest.mark.parametrize("heading,category", [
    ("Phòng Kế hoạch - Nghiệp vụ", "other"),        # a body's name: "Kế hoạch" is no plan
    ("Phòng Kế hoạch - Tài chính:", "other"),
    ("1. Đánh giá chung", "mixed"),
    ("L Đánh giá chung", "mixed"),                  # OCR of "1." as "L": no name follows it
    ("Khoa Kiểm soát bệnh tật", "other"),
    ("III. NHIỆM VỤ TRỌNG TÂM THÁNG 10 NĂM 2023", "task"),
    ("Nhiệm vụ tháng 8/2019", "task"),
    ("Giao Sở Tài chính:", "task"),
    ("Kế hoạch tháng 9/2024", "task"),
])
# fmt: on
def test_items_styles5_heading_naming_a_body(heading: str, category: str) -> None:
    assert section_category(heading) == category
    assert section_category(_nfd(heading)) == category
