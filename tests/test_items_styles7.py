"""Items of six-month series of monthly conclusions (engineer I5): closing requests with the one who
asks and what they point back to, shortcoming lead-ins qualified by "cần …", a shortcoming with its
reason set first ("Do …, …"), counts that are only so many, objects of what was handled, and plain
review statements.

Each case is a convention of Vietnamese administrative documents (Nghị định 30/2020/NĐ-CP) and
ANNOTATION.md, built by hand with real Vietnamese text (NFC and NFD); none runs the whole pipeline.
"""

from __future__ import annotations

import unicodedata

import pytest

from ketluan.cues import heading_categories, without_handled
from ketluan.item_cuts import Piece, split_block
from ketluan.items import categorize, is_framing, main_clause, states_outright, wording_category
from ketluan.records import Block, Section
from ketluan.text.canonical import tone_key

ROOT = Section("s0", "", 0, 0, "", "", "other")
FIELD = Section("s1", "s0", 1, 1, "1.", "Về công tác phòng, chống dịch", "other")
FORMS = ("NFC", "NFD")


# fmt: off
@pytest.mark.parametrize("text,expected", [
    # the closing request: the one who asks may open it, "các nội dung trên" may close it
    ("Yêu cầu các khoa, phòng và trạm y tế phường nghiêm túc triển khai thực hiện các nội dung trên./.", True),
    ("Giám đốc Trung tâm yêu cầu các khoa, phòng, trạm y tế phường triển khai nghiêm túc các nội dung"
     " trên trong điều kiện giãn cách xã hội./.", True),
    ("Phó Giám đốc Trung tâm yêu cầu các phòng tổ chức thực hiện./.", True),
    ("Phó Giám đốc Chi nhánh yêu cầu các phòng chuyên môn, Phòng giao dịch các huyện, thành phố thực"
     " hiện nghiêm túc các nội dung trên./.", True),
    # a body's capitalised name ("Ủy ban Kiểm tra") names no work
    ("Đề nghị các Ban, Văn phòng, Ủy ban Kiểm tra Liên đoàn Lao động tỉnh và các công đoàn cấp trên cơ"
     " sở nghiêm túc triển khai thực hiện./.", True),
    # a request that names the work is a task
    ("Giám đốc Chi nhánh yêu cầu các đơn vị tập trung hoàn thành các chỉ tiêu kế hoạch năm 2019./.", False),
    ("Đề nghị các phòng kiểm tra, xử lý dứt điểm các hồ sơ trễ hạn, báo cáo trước ngày 15/3./.", False),
])
# fmt: on
def test_items_styles7_closing_request(text: str, expected: bool) -> None:
    for form in FORMS:
        assert is_framing(unicodedata.normalize(form, text)) is expected


# fmt: off
@pytest.mark.parametrize("head,expected", [
    ("Các tồn tại, hạn chế cần tập trung khắc phục", ["limitation"]),
    ("Những hạn chế cần chú ý và nhiệm vụ cần tập trung", ["limitation", "task"]),
    ("Nhiệm vụ cần tập trung trong tháng 10", ["task"]),
])
# fmt: on
def test_items_styles7_qualified_lead_in(head: str, expected: list[str]) -> None:
    for form in FORMS:
        assert heading_categories(unicodedata.normalize(form, head), by_last=True, qualified=True) == expected


def test_items_styles7_qualified_list_is_shortcomings() -> None:
    text = (
        "Các tồn tại, hạn chế cần tập trung khắc phục: việc cấp kinh phí công đoàn về cơ sở còn chậm;"
        " nhiều doanh nghiệp từ 25 lao động trở lên vẫn chưa có tổ chức công đoàn."
    )
    for form in FORMS:
        pieces = split_block(Block(unicodedata.normalize(form, text)))
        assert [p.lead for p in pieces] == [("limitation",), ("limitation",)]


# fmt: off
@pytest.mark.parametrize("text,main", [
    ("Do nhà thầu gặp khó khăn về tài chính nên lực lượng thi công tiếp tục giảm.",
     "lực lượng thi công tiếp tục giảm."),
    ("Do việc xác nhận thời gian đóng bảo hiểm mất nhiều thời gian, 17 trường hợp chưa được giải quyết.",
     "17 trường hợp chưa được giải quyết."),
    ("Do biên chế còn thiếu.", ""),
    ("Số hồ sơ trễ hạn tăng là do thiếu người.", ""),
])
# fmt: on
def test_items_styles7_main_clause(text: str, main: str) -> None:
    assert main_clause(text) == main


# fmt: off
@pytest.mark.parametrize("text,expected", [
    # the reason first, then the shortcoming: a limitation
    ("Do việc xác nhận thời gian đóng bảo hiểm thất nghiệp với cơ quan Bảo hiểm xã hội mất nhiều thời"
     " gian, 17 trường hợp chưa được ban hành quyết định hưởng.", "limitation"),
    ("Do nhà thầu gặp khó khăn về tài chính, nợ lương công nhân nên lực lượng thi công tiếp tục giảm,"
     " công trình có nguy cơ không kịp đưa vào sử dụng.", "limitation"),
    # a cause alone, and "do" only as the start of a word ("Doanh nghiệp")
    ("Do biên chế còn thiếu, cán bộ kiêm nhiệm nhiều việc.", "cause"),
    ("Nguyên nhân chủ yếu là khối lượng công việc lớn.", "cause"),
    ("Doanh nghiệp tham gia sàn giao dịch việc làm tăng 12 đơn vị so với tháng trước.", "result"),
    # a count that is only so many
    ("Lũy kế quý I chỉ có 19 người xuất cảnh; các huyện Kon Plông, Đăk Glei chưa có người đi.", "limitation"),
])
# fmt: on
def test_items_styles7_wording(text: str, expected: str) -> None:
    for form in FORMS:
        assert wording_category(unicodedata.normalize(form, text))[0] == expected


# fmt: off
@pytest.mark.parametrize("text,confidence", [
    # "chỉ có N", "mới có N": a count short of what was wanted, said outright (no model outranks it)
    ("Kết quả tháng đầu năm thấp, chỉ có 03 lao động xuất cảnh.", 0.8),
    ("Số người được hỗ trợ học nghề rất ít, 02 tháng đầu năm mới có 04 người, chưa tương xứng.", 0.8),
    ("Việc cập nhật dữ liệu còn chậm.", 0.7),
])
# fmt: on
def test_items_styles7_only_so_many_is_said_outright(text: str, confidence: float) -> None:
    for form in FORMS:
        assert wording_category(unicodedata.normalize(form, text)) == ("limitation", confidence)


# fmt: off
@pytest.mark.parametrize("text,expected", [
    ("Về cụm công nghiệp, trong 5 tháng chưa có thêm cụm nào hoàn thành hạ tầng kỹ thuật.", True),
    ("Về điện nông thôn, đã hoàn thành cải tạo 12 trạm biến áp.", False),
])
# fmt: on
def test_items_styles7_field_named_first(text: str, expected: bool) -> None:
    for form in FORMS:
        assert states_outright(unicodedata.normalize(form, text)) is expected


# fmt: off
@pytest.mark.parametrize("text,blanked", [
    # the object of what was handled, a shortcoming named inside it
    ("Khoa Dược đã ký hợp đồng cung ứng đối với 05 hoạt chất còn thiếu.", True),
    ("Trung tâm Y tế quận đã hoàn thành rà soát danh sách người chưa tiêm mũi nhắc lại.", True),
    ("Sở đã có Báo cáo số 1420/BC-SCT gửi UBND tỉnh về 4 chủ đầu tư chậm tiến độ.", True),
    # what remains, at the start of a clause
    ("Đã kiểm tra 6 trường, còn 2 trường chưa báo cáo.", False),
])
# fmt: on
def test_items_styles7_handled_object(text: str, blanked: bool) -> None:
    for form in FORMS:
        key = tone_key(unicodedata.normalize(form, text))
        out = without_handled(key)
        assert ("chưa" not in out and "còn" not in out) is blanked


def test_items_styles7_review_statement_is_result() -> None:
    text = "Phòng xét nghiệm thực hiện 14.260 mẫu xét nghiệm RT-PCR, trả kết quả trong vòng 24 giờ."
    for form in FORMS:
        t = unicodedata.normalize(form, text)
        piece = Piece(text=t, block=Block(t, section_id="s1"))
        assert categorize(piece, [FIELD, ROOT], None, 0.6, review=True)[0] == "result"
