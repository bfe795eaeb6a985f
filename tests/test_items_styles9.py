"""Items of a denunciation conclusion and of a notice after a citizen-reception session (engineer I7):
what the accuser alleges ("I. NỘI DUNG TỐ CÁO") is framing, the verdict on each content ("… là tố cáo
sai", "tố cáo đúng một phần") is a result or a limitation, a citizen's petition ("Bà … đề nghị …") is
framing, a case heading ("Kiến nghị của các hộ dân …") names no task, a session's finding ("Qua buổi
tiếp cho thấy …") is no task, and a concessive opening ("Mặc dù …, ") is no main clause.

Each case is a convention (Luật Tố cáo 2018, Điều 35; Luật Tiếp công dân 2013; Nghị định 30/2020/NĐ-CP;
ANNOTATION.md), built by hand with real Vietnamese text (NFC and NFD); none runs the whole pipeline.
"""

from __future__ import annotations

import unicodedata

import pytest

from ketluan.claims import (
    names_allegation,
    names_petition,
    states_petition,
    verdict_category,
    without_concession,
)
from ketluan.item_cuts import Piece, find_deadline
from ketluan.items import categorize, states_outright
from ketluan.items import find_deadline as items_find_deadline
from ketluan.records import Section
from ketluan.sections import section_category

ROOT = Section("s0", "", 0, 0, "", "", "other")
ALLEGED = Section("s1", "s0", 1, 1, "I.", "NỘI DUNG TỐ CÁO", "other")
VERDICT = Section("s3", "s0", 3, 1, "III.", "KẾT LUẬN NỘI DUNG TỐ CÁO", "other")
MEASURES = Section("s4", "s0", 4, 1, "IV.", "BIỆN PHÁP XỬ LÝ THEO THẨM QUYỀN VÀ KIẾN NGHỊ", "task")
CASE = Section("s5", "s0", 5, 1, "1.", "Vụ việc của ông Nguyễn Văn Hòa, thôn Phú Thạnh", "other")
GROUP = Section("s6", "s0", 6, 1, "3.", "Kiến nghị của các hộ dân thôn Bắc Hội", "other")
GENERAL = Section("s7", "s0", 7, 1, "4.", "Ý kiến chỉ đạo chung", "task")
RESULTS = Section("s8", "s0", 8, 1, "1.", "Về tình hình và kết quả thực hiện", "result")
FORMS = ("NFC", "NFD")


def nfx(text: str, form: str) -> str:
    return unicodedata.normalize(form, text)


# fmt: off
@pytest.mark.parametrize("heading,expected", [
    ("I. NỘI DUNG TỐ CÁO", True),
    ("1. Nội dung đơn khiếu nại", True),
    ("II. KẾT QUẢ XÁC MINH NỘI DUNG TỐ CÁO", False),
    ("III. KẾT LUẬN NỘI DUNG TỐ CÁO", False),
])
# fmt: on
@pytest.mark.parametrize("form", FORMS)
def test_items_styles9_names_allegation(heading: str, expected: bool, form: str) -> None:
    assert names_allegation(nfx(heading, form)) is expected


# fmt: off
@pytest.mark.parametrize("heading,petition,category", [
    ("3. Kiến nghị của các hộ dân thôn Bắc Hội", True, "other"),
    ("1. Vụ việc của ông Nguyễn Văn Hòa, thôn Phú Thạnh", True, "other"),
    ("2. Phản ánh của bà Ka Sim, thôn Phi Nôm", True, "other"),
    ("IV. KIẾN NGHỊ", False, "task"),
    ("3. Kiến nghị của Đoàn kiểm tra", False, "task"),
])
# fmt: on
@pytest.mark.parametrize("form", FORMS)
def test_items_styles9_petition_heading(heading: str, petition: bool, category: str, form: str) -> None:
    assert names_petition(nfx(heading, form)) is petition
    assert section_category(nfx(heading, form)) == category


# fmt: off
@pytest.mark.parametrize("text,expected", [
    ("Nội dung tố cáo ông Hoàng Đức Lâm ký xác nhận nguồn gốc đất không đúng thực tế là tố cáo sai.", "result"),
    ("Nội dung tố cáo ông Hoàng Đức Lâm không chỉ đạo xử lý công trình xây dựng trái phép là tố cáo đúng"
     " một phần, do ông Lâm thiếu trách nhiệm trong việc xử lý vi phạm.", "limitation"),
    ("Nội dung khiếu nại của bà Nguyễn Thị Mai về việc thu hồi đất là khiếu nại đúng.", "limitation"),
    ("Xử lý người tố cáo sai sự thật theo quy định của pháp luật.", ""),
])
# fmt: on
@pytest.mark.parametrize("form", FORMS)
def test_items_styles9_verdict_category(text: str, expected: str, form: str) -> None:
    assert verdict_category(nfx(text, form)) == expected


# fmt: off
@pytest.mark.parametrize("chain,text,expected", [
    ([ALLEGED, ROOT], "Ông Hoàng Đức Lâm ký xác nhận nguồn gốc, thời điểm sử dụng đất không đúng thực tế.", "other"),
    ([ALLEGED, ROOT], "Ông Hoàng Đức Lâm nhận tiền của các hộ dân khi giải quyết hồ sơ tách thửa đất.", "other"),
    ([VERDICT, ROOT], "Nội dung tố cáo ông Hoàng Đức Lâm nhận tiền của các hộ dân khi giải quyết hồ sơ tách"
     " thửa là tố cáo sai.", "result"),
    ([VERDICT, ROOT], "Nội dung tố cáo ông Hoàng Đức Lâm không chỉ đạo xử lý công trình xây dựng trái phép là"
     " tố cáo đúng một phần, do ông Lâm thiếu trách nhiệm.", "limitation"),
    ([MEASURES, ROOT], "Giao Thanh tra huyện theo dõi, đôn đốc việc thực hiện Kết luận này và thông báo kết quả"
     " giải quyết tố cáo cho người tố cáo.", "task"),
    ([CASE, ROOT], "Ông Hòa phản ánh hộ ông Lê Văn Tấn xây tường rào lấn sang thửa đất số 112, thôn đã hòa"
     " giải nhưng không thành.", "other"),
    ([CASE, ROOT], "Bà Ka Sim đề nghị xem xét đưa gia đình vào danh sách hộ nghèo do chồng bị tai nạn lao"
     " động.", "other"),
    ([GROUP, ROOT], "Đại diện 02 hộ dân thôn Bắc Hội phản ánh tuyến đường bê tông nội thôn dài khoảng 400 m bị"
     " xuống cấp, mùa mưa lầy lội.", "other"),
    ([GENERAL, ROOT], "Qua buổi tiếp cho thấy một số vụ việc phát sinh ở cơ sở chưa được Trưởng thôn quan tâm"
     " giải quyết ngay từ đầu, để công dân phải đến UBND xã kiến nghị nhiều lần.", "limitation"),
    ([GENERAL, ROOT], "Yêu cầu Trưởng các thôn, tổ hòa giải chủ động nắm tình hình, hòa giải kịp thời các mâu"
     " thuẫn.", "task"),
])
# fmt: on
@pytest.mark.parametrize("form", FORMS)
def test_items_styles9_categorize(chain: list[Section], text: str, expected: str, form: str) -> None:
    assert categorize(Piece(text=nfx(text, form)), chain, None, 0.6)[0] == expected


# fmt: off
@pytest.mark.parametrize("text,case,expected", [
    ("Bà Ka Sim đề nghị xem xét đưa gia đình vào danh sách hộ nghèo.", False, True),
    ("Công dân Nguyễn Văn Bình trình bày việc chưa được cấp giấy chứng nhận.", False, True),
    ("Đại diện 02 hộ dân thôn Bắc Hội phản ánh tuyến đường bị xuống cấp.", True, True),
    ("Người dân phản ánh mùi hôi tại điểm tập kết rác tạm cạnh chợ Sa Nam.", False, False),
    ("Ông Nguyễn Văn An, Giám đốc Sở đề nghị các phòng rà soát hồ sơ.", False, False),
    ("Giao công chức Văn hóa - Xã hội chủ trì khảo sát hoàn cảnh gia đình bà Ka Sim.", True, False),
])
# fmt: on
@pytest.mark.parametrize("form", FORMS)
def test_items_styles9_states_petition(text: str, case: bool, expected: bool, form: str) -> None:
    assert states_petition(nfx(text, form), case) is expected


def test_items_styles9_review_item_named_by_citizens_stays_a_shortcoming() -> None:
    text = "Người dân phản ánh mùi hôi tại điểm tập kết rác tạm cạnh chợ Sa Nam do rác không được chuyển đi."
    faults = Section("s2", "s0", 2, 1, "2.", "Tồn tại, hạn chế", "limitation")
    assert categorize(Piece(text=text), [faults, ROOT], None, 0.6)[0] == "limitation"


# fmt: off
@pytest.mark.parametrize("text,expected", [
    ("Mặc dù lượng khách quốc tế đã vượt mức trước đại dịch, quy mô, chất lượng và hiệu quả của ngành du lịch"
     " vẫn chưa tương xứng với tiềm năng, lợi thế.", True),
    ("Dù thời tiết mưa bão kéo dài, các trường đã bố trí dạy bù đủ chương trình.", False),
])
# fmt: on
@pytest.mark.parametrize("form", FORMS)
def test_items_styles9_concession_is_no_main_clause(text: str, expected: bool, form: str) -> None:
    assert states_outright(nfx(text, form)) is expected
    assert categorize(Piece(text=nfx(text, form)), [RESULTS, ROOT], None, 0.6)[0] == (
        "limitation" if expected else "result"
    )


def test_items_styles9_without_concession_keeps_a_turn() -> None:
    assert without_concession("Dù vậy, tiến độ còn chậm.") == "Dù vậy, tiến độ còn chậm."
    assert without_concession("Mặc dù đã cố gắng, tiến độ còn chậm.") == "tiến độ còn chậm."


def test_items_styles9_find_deadline_moved_keeps_its_name() -> None:
    assert find_deadline("báo cáo kết quả về UBND huyện trước ngày 30/11/2024.") == "2024-11-30"
    assert items_find_deadline is find_deadline
