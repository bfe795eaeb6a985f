"""Items of inspection conclusions and quarterly reviews (engineer I6): a heading that joins the
conclusion with its measures ("KẾT LUẬN VÀ XỬ LÝ"), the right to complain that closes it, a sentence
whose predicate names the causes ("… có nguyên nhân chủ yếu là …"), a shortcoming stated outright
whose subject is a noun pair ("Chế độ thông tin, báo cáo … chưa đúng …") and a denied one
("chưa phát hiện vi phạm").

Each case is a convention of Vietnamese administrative documents (Nghị định 30/2020/NĐ-CP, Luật Thanh
tra 2022, Luật Quản lý thuế) and ANNOTATION.md, built by hand with real Vietnamese text (NFC and NFD);
none runs the whole pipeline.
"""

from __future__ import annotations

import unicodedata

import pytest

from ketluan.cues import names_measures, states_cause
from ketluan.item_cuts import Piece
from ketluan.items import categorize, is_framing, reports_achieved, states_outright
from ketluan.records import Section
from ketluan.sections import section_category

ROOT = Section("s0", "", 0, 0, "", "", "other")
MEASURES = Section("s5", "s0", 5, 1, "III.", "KẾT LUẬN VÀ XỬ LÝ", "task")
FAULTS = Section("s2", "s0", 2, 1, "2.", "Tồn tại, hạn chế", "limitation")
RESULTS = Section("s1", "s0", 1, 1, "I.", "KẾT QUẢ QUÝ III NĂM 2024", "result")
FORMS = ("NFC", "NFD")


# fmt: off
@pytest.mark.parametrize("heading,expected", [
    ("III. KẾT LUẬN VÀ XỬ LÝ", "task"),
    ("III. KẾT LUẬN VÀ XỬ LÝ VI PHẠM", "task"),
    ("IV. KẾT LUẬN, BIỆN PHÁP XỬ LÝ", "task"),
    ("3. Kết luận và kiến nghị", "task"),
    ("III. KẾT LUẬN", "other"),
    ("2. Kết quả xử lý đơn thư", "result"),
    ("III. TRÁCH NHIỆM", "cause"),
])
# fmt: on
@pytest.mark.parametrize("form", FORMS)
def test_items_styles8_measures_heading(heading: str, expected: str, form: str) -> None:
    assert section_category(unicodedata.normalize(form, heading)) == expected


@pytest.mark.parametrize("text,expected", [("KẾT LUẬN VÀ XỬ LÝ", True), ("Kết luận thanh tra", False)])
def test_items_styles8_names_measures(text: str, expected: bool) -> None:
    assert names_measures(text) is expected


# fmt: off
@pytest.mark.parametrize("text", [
    "Truy thu thuế thu nhập doanh nghiệp năm 2022 số tiền 139.790.000 đồng; truy thu thuế giá trị gia tăng"
    " 65.320.000 đồng.",
    "Xử phạt vi phạm hành chính về hành vi khai sai dẫn đến thiếu số thuế phải nộp, số tiền 58.832.000 đồng.",
    "Tính tiền chậm nộp đối với số thuế truy thu theo mức 0,03%/ngày, tạm tính là 18.236.000 đồng.",
    "Công ty điều chỉnh sổ sách kế toán, số liệu trên báo cáo tài chính năm 2022 theo kết quả thanh tra.",
])
# fmt: on
@pytest.mark.parametrize("form", FORMS)
def test_items_styles8_measures_are_tasks(text: str, form: str) -> None:
    piece = Piece(text=unicodedata.normalize(form, text))
    assert categorize(piece, [MEASURES, ROOT], None, 0.6)[0] == "task"


# fmt: off
@pytest.mark.parametrize("text,expected", [
    ("Công ty có quyền khiếu nại theo quy định của Luật Khiếu nại nếu không đồng ý với Kết luận này; trong"
     " thời gian chờ giải quyết khiếu nại vẫn phải thực hiện các nội dung nêu tại Kết luận./.", True),
    ("Đơn vị được kiểm tra có quyền khởi kiện theo quy định của pháp luật./.", True),
    ("Công ty có trách nhiệm chấn chỉnh công tác hạch toán kế toán, rà soát các khoản chi phí.", False),
])
# fmt: on
@pytest.mark.parametrize("form", FORMS)
def test_items_styles8_right_to_complain_is_framing(text: str, expected: bool, form: str) -> None:
    assert is_framing(unicodedata.normalize(form, text)) is expected


def test_items_styles8_right_to_complain_under_measures_is_other() -> None:
    text = "Công ty có quyền khiếu nại theo quy định của Luật Khiếu nại nếu không đồng ý với Kết luận này./."
    assert categorize(Piece(text=text), [MEASURES, ROOT], None, 0.6)[0] == "other"


# fmt: off
@pytest.mark.parametrize("text,expected", [
    ("Những tồn tại trên có nguyên nhân chủ yếu là Hiệu trưởng chưa sâu sát trong kiểm tra nội bộ, bộ phận"
     " kế toán kiêm nhiệm nhiều việc.", True),
    ("Việc chậm trễ có nguyên nhân khách quan do ảnh hưởng của dịch Covid-19.", True),
    ("Tình trạng này nguyên nhân chính là do ý thức chấp hành của người dân chưa cao.", True),
    ("Đã xác định nguyên nhân là do hệ thống mạng bị lỗi.", False),
    ("Tỷ lệ giải ngân còn thấp, chưa xác định rõ nguyên nhân.", False),
])
# fmt: on
@pytest.mark.parametrize("form", FORMS)
def test_items_styles8_states_cause(text: str, expected: bool, form: str) -> None:
    assert states_cause(unicodedata.normalize(form, text)) is expected


@pytest.mark.parametrize("form", FORMS)
def test_items_styles8_cause_under_limitations(form: str) -> None:
    text = unicodedata.normalize(
        form,
        "Những tồn tại trên có nguyên nhân chủ yếu là Hiệu trưởng chưa sâu sát trong kiểm tra nội bộ,"
        " bộ phận kế toán kiêm nhiệm nhiều việc.",
    )
    assert categorize(Piece(text=text), [FAULTS, ROOT], None, 0.6)[0] == "cause"
    assert not states_outright(text)  # its causes, no shortcoming said outright


# fmt: off
@pytest.mark.parametrize("text,expected", [
    # a noun pair opens the subject: the comma breaks no clause when nothing is reported achieved
    ("Chế độ thông tin, báo cáo của một số Hội LHPN cấp huyện chưa đúng thời gian quy định, số liệu còn"
     " sai lệch giữa các kỳ báo cáo.", "limitation"),
    ("Công tác kiểm tra, giám sát ở một số cơ sở Hội còn hình thức, chưa thường xuyên.", "limitation"),
    # an activity reported with its figures, where the inspection found nothing wrong
    ("Kiểm tra 07/19 cửa hàng xăng dầu tại các huyện miền núi, chưa phát hiện vi phạm về đo lường; số cửa"
     " hàng còn lại sẽ kiểm tra trong tháng 5.", "result"),
    ("Thẩm định 09 dự thảo văn bản quy phạm pháp luật; tự kiểm tra 21 văn bản do UBND tỉnh ban hành, chưa"
     " phát hiện văn bản trái pháp luật.", "result"),
    # what was achieved, with the shortcoming only in an object acted on
    ("Kiểm soát chi 2.146 tỷ đồng, đã từ chối thanh toán 46 khoản chi chưa đủ thủ tục.", "result"),
    ("Các cấp Hội đã chủ động, linh hoạt trong triển khai nhiệm vụ; 100% cơ sở Hội tổ chức sinh hoạt"
     " chuyên đề.", "result"),
])
# fmt: on
@pytest.mark.parametrize("form", FORMS)
def test_items_styles8_outright_under_results(text: str, expected: str, form: str) -> None:
    piece = Piece(text=unicodedata.normalize(form, text))
    assert categorize(piece, [RESULTS, ROOT], None, 0.6)[0] == expected


@pytest.mark.parametrize("text,expected", [
    ("Chế độ thông tin, báo cáo của một số Hội chưa đúng thời gian quy định.", False),
    ("17 hồ sơ chưa được giải quyết, 04 hồ sơ không đạt yêu cầu.", False),
    ("Trong quý đã thành lập mới 12 tổ hợp tác, tổ liên kết.", True),
])  # fmt: skip
def test_items_styles8_reports_achieved(text: str, expected: bool) -> None:
    assert reports_achieved(text) is expected
