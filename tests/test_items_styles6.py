"""Items of document kinds first met in blind halves 6 and 7 (engineer I4): a body's directive in a
Party conclusion, the Party closing formula, long addressee topics, and units assigned their part.

Each case is a convention of Vietnamese administrative documents (Nghị định 30/2020/NĐ-CP, Hướng dẫn
36-HD/VPTW) and ANNOTATION.md, built by hand with real Vietnamese text (NFC and NFD); none runs the
whole pipeline.
"""

from __future__ import annotations

import unicodedata

import pytest

from ketluan.directives import assigns_unit, body_directs, names_addressees, opens_with_body
from ketluan.item_cuts import Piece, split_block
from ketluan.items import categorize, is_framing
from ketluan.records import Block, Section

ROOT = Section("s0", "", 0, 0, "", "", "other")
RESULTS = Section("s1", "s0", 1, 1, "I.", "KẾT QUẢ ĐẠT ĐƯỢC", "result")
CARRY_OUT = Section("s2", "s0", 2, 1, "5.", "Tổ chức thực hiện", "task")
FIELD = Section("s3", "s0", 3, 1, "4.", "Công tác tổ chức, hành chính và cơ sở vật chất", "other")
LEANS_RESULT = {"result": 0.9, "limitation": 0.02, "cause": 0.02, "task": 0.06}
FORMS = ("NFC", "NFD")


def _piece(text: str, section: str) -> Piece:
    return Piece(text=text, block=Block(text, section_id=section))


# fmt: off
@pytest.mark.parametrize("text,expected", [
    # a body or an official asks others to act: a directive, an adverbial of time may open it
    ("Thời gian tới, Ban Thường vụ Tỉnh ủy yêu cầu các cấp ủy, tổ chức đảng, chính quyền, Mặt trận Tổ quốc"
     " và các đoàn thể chính trị - xã hội tiếp tục quán triệt sâu sắc quan điểm chuyển đổi số.", True),
    ("Ban Thường vụ Đảng ủy xã yêu cầu các chi bộ, cơ quan, đoàn thể tập trung lãnh đạo thực hiện tốt"
     " các nhiệm vụ năm 2024.", True),
    ("Thường trực HĐND tỉnh giao Ban Dân tộc HĐND tỉnh theo dõi, giám sát việc thực hiện các kiến nghị.", True),
    ("Trong thời gian tới, đồng chí Chủ tịch UBND huyện đề nghị các xã khẩn trương hoàn thành kiểm kê.", True),
    # a lead-in introduces the tasks; an act reported done; a requirement named in passing
    ("Bộ trưởng yêu cầu Thủ trưởng các cơ quan, đơn vị thuộc Bộ tập trung chỉ đạo các nhiệm vụ sau:", False),
    ("UBND tỉnh đã giao Sở Tài chính thẩm định dự toán, đến nay đã hoàn thành.", False),
    ("Việc xây dựng phần mềm phải xuất phát từ yêu cầu thực tiễn của từng ngành.", False),
    ("Khoa Hồi sức bàn giao người bệnh giữa các ca trực chưa đầy đủ.", False),
    ("Hiệu trưởng đánh giá cao kết quả tuyển sinh năm 2025.", False),
])
# fmt: on
def test_items_styles6_body_directs(text: str, expected: bool) -> None:
    for form in FORMS:
        assert body_directs(unicodedata.normalize(form, text)) is expected


# fmt: off
@pytest.mark.parametrize("text,section,chain", [
    # before the tasks' heading, read as review, and under a results heading: still a task
    ("Thời gian tới, Ban Thường vụ Tỉnh ủy yêu cầu các cấp ủy, tổ chức đảng tiếp tục quán triệt sâu sắc"
     " quan điểm chuyển đổi số là nhiệm vụ chính trị trọng tâm, thường xuyên, lâu dài.", "s0", [ROOT]),
    ("Ban Thường vụ Huyện ủy yêu cầu các chi bộ tiếp tục củng cố, kiện toàn tổ chức.", "s1", [RESULTS, ROOT]),
])
# fmt: on
def test_items_styles6_body_directive_is_task(text: str, section: str, chain: list[Section]) -> None:
    for form in FORMS:
        t = unicodedata.normalize(form, text)
        assert categorize(_piece(t, section), chain, LEANS_RESULT, 0.5, True, ahead=True)[0] == "task"


# fmt: off
@pytest.mark.parametrize("text,framing", [
    # the Party closing formula (Hướng dẫn 36-HD/VPTW): framing, like "đề nghị … triển khai thực hiện"
    ("Kết luận này được phổ biến đến chi bộ.", True),
    ("Thông báo này được phổ biến đến chi bộ./.", True),
    ("Kết luận này phổ biến đến các chi bộ, cán bộ, đảng viên.", True),
    # a body given work with it is a task
    ("Các huyện ủy, thành ủy tổ chức quán triệt Kết luận này đến chi bộ, hoàn thành trong quý IV năm 2023.", False),
    ("Kết luận này được phổ biến đến chi bộ; các cấp ủy xây dựng chương trình hành động thực hiện.", False),
])
# fmt: on
def test_items_styles6_party_closing(text: str, framing: bool) -> None:
    for form in FORMS:
        t = unicodedata.normalize(form, text)
        assert is_framing(t) is framing
        if framing:
            assert categorize(_piece(t, "s2"), [CARRY_OUT, ROOT], None, 0.5)[0] == "other"


# fmt: off
@pytest.mark.parametrize("text,topic", [
    # the addressees before the colon are the topic (ANNOTATION.md rule 4), however long, "và" joining them
    ("Các chủ đầu tư và Ban Quản lý các dự án thủy lợi: đẩy nhanh tiến độ thi công, giải ngân; đến cuối"
     " tháng 9 năm 2022 giải ngân tối thiểu 60% kế hoạch vốn được giao.",
     "Các chủ đầu tư và Ban Quản lý các dự án thủy lợi"),
    ("Sở Kế hoạch và Đầu tư, Sở Tài chính và Kho bạc Nhà nước tỉnh: rà soát, điều chuyển vốn của các dự án"
     " giải ngân chậm sang các dự án có khối lượng hoàn thành.",
     "Sở Kế hoạch và Đầu tư, Sở Tài chính và Kho bạc Nhà nước tỉnh"),
    # a statement before the colon stays one item without a topic
    ("Tiến độ giải ngân vốn đầu tư công của các chủ đầu tư và ban quản lý dự án còn chậm: mới đạt 24,5%"
     " kế hoạch; nhiều dự án chưa bàn giao mặt bằng.", ""),
])
# fmt: on
def test_items_styles6_addressee_topic(text: str, topic: str) -> None:
    for form in FORMS:
        pieces = split_block(Block(unicodedata.normalize(form, text), marker="6.", style="arabic"))
        assert len(pieces) == 1
        assert unicodedata.normalize("NFC", pieces[0].topic) == topic


# fmt: off
@pytest.mark.parametrize("head,expected", [
    ("Các chủ đầu tư và Ban Quản lý các dự án thủy lợi", True),
    ("Cục Chăn nuôi và Cục Thú y", True),
    ("Tiến độ giải ngân vốn đầu tư công và các dự án", False),
    ("Công tác thanh tra", False),
])
# fmt: on
def test_items_styles6_names_addressees(head: str, expected: bool) -> None:
    assert names_addressees(unicodedata.normalize("NFD", head)) is expected


# fmt: off
@pytest.mark.parametrize("text,category", [
    # a unit and its part in work yet to be done: a task, whatever the model leans to
    ("Phòng Tổ chức - Hành chính chủ trì chuẩn bị chu đáo các hoạt động kỷ niệm 43 năm Ngày Nhà giáo Việt"
     " Nam (20/11/1982 - 20/11/2025), bảo đảm trang trọng, tiết kiệm.", "task"),
    ("Trung tâm Y tế huyện có trách nhiệm hướng dẫn các trạm y tế xã hoàn thiện hồ sơ.", "task"),
    ("Văn phòng tham mưu Hiệu trưởng ban hành quy chế chi tiêu nội bộ năm 2026.", "task"),
    # reported done: review
    ("Phòng Tài chính - Kế hoạch đã phối hợp với Kho bạc Nhà nước huyện giải ngân 85% kế hoạch vốn.", "result"),
])
# fmt: on
def test_items_styles6_unit_assigned(text: str, category: str) -> None:
    for form in FORMS:
        t = unicodedata.normalize(form, text)
        assert categorize(_piece(t, "s3"), [FIELD, ROOT], LEANS_RESULT, 0.5)[0] == category


# fmt: off
@pytest.mark.parametrize("text,expected", [
    ("Phòng Khoa học, Sau đại học và Hợp tác quốc tế phối hợp với các khoa rà soát đề tài quá hạn.", True),
    ("Hiệu trưởng chủ trì cuộc họp giao ban tháng 10 năm 2025.", False),
    ("Công tác phối hợp giữa các phòng còn chậm.", False),
])
# fmt: on
def test_items_styles6_assigns_unit(text: str, expected: bool) -> None:
    assert assigns_unit(unicodedata.normalize("NFD", text)) is expected


def test_items_styles6_opens_with_body() -> None:
    assert opens_with_body("Ban Thường vụ Tỉnh ủy") and opens_with_body("UBND huyện")
    assert not opens_with_body("Việc số hóa hồ sơ")
