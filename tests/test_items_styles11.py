"""Items of monthly giao ban conclusions written by other hands (engineer I9): a closing sentence that only asks
its addressees to carry out "the conclusion above" is framing; a station's name with its places
("Trạm Trồng trọt và Bảo vệ thực vật thị xã Hòa Thành, thành phố Tây Ninh:") is the topic of its bullet;
smuggled goods, furtive dredging and a fall in a ranking are shortcomings; what an action reported done
cleared ("đã tổ chức cưỡng chế, tháo dỡ xong 03 công trình vi phạm còn lại") is a result; a press
briefing's "Định hướng tuyên truyền" heads tasks; praise ("được bạn đọc đánh giá cao") states a result, a
concession past a noun pair frames one, "mới giải ngân được 3.962 tỷ đồng" is a shortfall; "giảm 6,3%"
is one clause; "còn để xảy ra tình trạng: A; B; C" lists them.

Each case is a convention (Nghị định 30/2020/NĐ-CP; ANNOTATION.md), built by hand with real Vietnamese
text (NFC and NFD); none runs the whole pipeline.
"""

from __future__ import annotations

import unicodedata

import pytest

from ketluan.cues import states_shortcoming
from ketluan.directives import names_addressees
from ketluan.harm import harm_kinds
from ketluan.item_cuts import Piece, split_block
from ketluan.items import categorize, is_framing, wording_category
from ketluan.records import Block, Section
from ketluan.sections import section_category

FORMS = ("NFC", "NFD")
ROOT = Section("s0", "", 0, 0, "", "", "other")
REVIEW = Section("s1", "s0", 1, 1, "I.", "TÌNH HÌNH THỰC HIỆN NHIỆM VỤ THÁNG 04/2021", "mixed")
FIELD = Section("s2", "s1", 2, 2, "2.", "Công tác thanh tra, kiểm tra chuyên ngành", "other")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def test_items_styles11_list_lead_still_cuts() -> None:
    pieces = split_block(
        Block("Bên cạnh kết quả đạt được, còn các hạn chế: thu thuế đạt thấp; hồ sơ còn sai sót.")
    )
    assert [p.text for p in pieces] == ["thu thuế đạt thấp", "hồ sơ còn sai sót."]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Yêu cầu Trưởng các phòng, khoa, trung tâm nghiêm túc triển khai thực hiện các nội dung kết luận "
         "trên./.", True),
        ("Giám đốc Trung tâm yêu cầu các khoa, phòng, trạm y tế căn cứ kết luận này để tổ chức thực hiện./.",
         True),
        ("Giám đốc Công ty đề nghị các đơn vị khẩn trương triển khai thực hiện; trong quá trình thực hiện có "
         "khó khăn, vướng mắc báo cáo Giám đốc Công ty (qua Phòng Kế hoạch - Tổng hợp) để chỉ đạo./.", True),
        ("Yêu cầu các đơn vị tập trung hoàn thành các chỉ tiêu kế hoạch năm 2019./.", False),
        ("Đề nghị các phòng quán triệt nội dung Kết luận này đến toàn thể công chức để tổ chức thực hiện./.",
         False),
    ],
)  # fmt: skip
def test_items_styles11_closing_request_is_framing(form: str, text: str, expected: bool) -> None:
    assert is_framing(unicodedata.normalize(form, text)) is expected


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Trạm Trồng trọt và Bảo vệ thực vật thị xã Hòa Thành, thành phố Tây Ninh: Yêu cầu các cửa hàng bố "
         "trí người bán hàng có giấy chứng nhận bồi dưỡng chuyên môn; gửi danh sách về Chi cục trước ngày "
         "31/5/2021.", "Trạm Trồng trọt và Bảo vệ thực vật thị xã Hòa Thành, thành phố Tây Ninh"),
        ("Trạm Trồng trọt và Bảo vệ thực vật huyện Tân Châu, Dương Minh Châu, Tân Biên: Kiên quyết vận động "
         "nhổ bỏ ngay cây mì bệnh; báo cáo kết quả về Chi cục trước ngày 20/5/2021.",
         "Trạm Trồng trọt và Bảo vệ thực vật huyện Tân Châu, Dương Minh Châu, Tân Biên"),
    ],
)  # fmt: skip
def test_items_styles11_station_with_places_is_topic(form: str, text: str, topic: str) -> None:
    pieces = split_block(Block(unicodedata.normalize(form, text), marker="a)", style="lower"))
    assert [nfc(p.topic) for p in pieces] == [topic]
    assert nfc(pieces[0].text) == nfc(text).split(": ", 1)[1]


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ("Trạm Trồng trọt và Bảo vệ thực vật thị xã Trảng Bàng, huyện Gò Dầu", True),
        ("Trạm bơm Xuân Quan, huyện Văn Giang", False),
        ("Tiến độ giải ngân vốn đầu tư công và các dự án", False),
    ],
)
def test_items_styles11_names_addressees_with_places(head: str, expected: bool) -> None:
    assert names_addressees(head) is expected


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Qua kiểm tra phát hiện 03 cơ sở tàng trữ, kinh doanh 146 kg thuốc trừ sâu nhập lậu từ Campuchia.",
         "non_compliance"),
        ("Nhu cầu cát san lấp tăng cao kéo theo tình trạng lén lút múc, hút cát lòng sông Kinh Thầy.",
         "non_compliance"),
        ("Chỉ số cải cách hành chính năm 2018 cho thấy tỉnh giảm điểm ở các chỉ số thành phần.", "decline"),
        ("Đợt cao điểm kiểm tra hàng nhập lậu trong tháng 6 đã hoàn thành: kiểm tra 57 lượt, xử lý 19 vụ.", ""),
        ("Lực lượng chức năng đã tổ chức truy quét hoạt động hút cát lậu trên sông Đá Vách.", ""),
    ],
)  # fmt: skip
def test_items_styles11_harm_of_smuggling_and_ranking(form: str, text: str, kind: str) -> None:
    assert harm_kinds(unicodedata.normalize(form, text)) == ([kind] if kind else [])


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("UBND phường Hiệp An và phường An Lưu đã tổ chức cưỡng chế, tháo dỡ xong 03 công trình vi "
         "phạm còn lại, trả lại hiện trạng đất nông nghiệp.", "result"),
        ("Đã hoàn thiện và chuyển Phòng Lao động - Thương binh và Xã hội huyện đủ 12 hồ sơ đề nghị "
         "hưởng trợ cấp xã hội hàng tháng còn tồn của tháng trước.", "result"),
        ("Qua kiểm tra phát hiện 05 cửa hàng tại các xã biên giới bày bán thuốc bảo vệ thực vật nhập "
         "lậu, nhãn mác tiếng nước ngoài.", "limitation"),
    ],
)  # fmt: skip
def test_items_styles11_review_items(form: str, text: str, expected: str) -> None:
    cat, _ = categorize(Piece(text=unicodedata.normalize(form, text)), [FIELD, REVIEW, ROOT], None, 0.5)
    assert cat == expected


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Định hướng tuyên truyền tháng 5 năm 2024", "task"),
        ("Về hoạt động báo chí tháng 4 năm 2024", "other"),
    ],
)
def test_items_styles11_press_orientation_heading(form: str, heading: str, expected: str) -> None:
    assert section_category(unicodedata.normalize(form, heading)) == expected


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # praise by others states a result (wording.result_strong)
        ("Nhiều tác phẩm phản ánh gương người tốt, việc tốt được bạn đọc đánh giá cao; công tác đấu tranh phản "
         "bác các quan điểm sai trái, thù địch trên không gian mạng được chú trọng hơn.", "result"),
        # what was done, then only so much reached: a shortfall no model outranks
        ("Mặc dù UBND tỉnh đã ban hành nhiều văn bản chỉ đạo và thành lập các tổ công tác đôn đốc, đến ngày "
         "30/6/2024 toàn tỉnh mới giải ngân được 3.962 tỷ đồng, đạt 38,4% kế hoạch vốn Thủ tướng Chính phủ giao, "
         "thấp hơn mức bình quân chung của cả nước.", "limitation"),
    ],
)  # fmt: skip
def test_items_styles11_wording_of_review(form: str, text: str, expected: str) -> None:
    assert (
        wording_category(unicodedata.normalize(form, text), ("result", "limitation", "cause", "task"))[0]
        == expected
    )


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a concession that runs past a noun pair frames what was achieved (categories.json `setting`)
        ("Trong 9 tháng năm 2023, mặc dù tình hình sản xuất, kinh doanh của nhiều doanh nghiệp gặp khó khăn, "
         "toàn Ngành đã bám sát chỉ tiêu được giao, chủ động triển khai đồng bộ các giải pháp.", False),
        ("Mặc dù đã có nhiều cố gắng, tiến độ giải phóng mặt bằng vẫn còn chậm.", True),
    ],
)  # fmt: skip
def test_items_styles11_concession_past_a_noun_pair(form: str, text: str, expected: bool) -> None:
    assert states_shortcoming(unicodedata.normalize(form, text)) is expected


@pytest.mark.parametrize("form", FORMS)
def test_items_styles11_decimal_comma_keeps_the_clause(form: str) -> None:
    text = "Bên cạnh những kết quả đạt được, số người tham gia bảo hiểm xã hội tự nguyện giảm 6,3% so với cùng kỳ."
    assert harm_kinds(unicodedata.normalize(form, text)) == ["decline"]


@pytest.mark.parametrize("form", FORMS)
def test_items_styles11_situations_lead_in_lists(form: str) -> None:
    text = (
        "Một số tỉnh còn để xảy ra tình trạng: số tiền chậm đóng kéo dài trên 3 tháng tăng; việc đối chiếu dữ"
        " liệu với cơ quan thuế chưa kịp thời; giám định chi phí tại một số cơ sở y tế chưa chặt chẽ."
    )
    pieces = split_block(Block(unicodedata.normalize(form, text)))
    assert [nfc(p.text)[:20] for p in pieces] == [
        "số tiền chậm đóng ké",
        "việc đối chiếu dữ li",
        "giám định chi phí tạ",
    ]
