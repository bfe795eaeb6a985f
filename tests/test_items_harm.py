"""Harm and failure predicates (pipeline/harm.py) and their use under an assessment heading."""

from __future__ import annotations

import unicodedata

import pytest

from ketluan.harm import harm_kinds, states_harm
from ketluan.item_cuts import Piece
from ketluan.items import categorize
from ketluan.records import Block, Section

ASSESSMENT = [
    Section("s1", "s0", 1, 1, "I.", "ĐÁNH GIÁ TÌNH HÌNH THỰC HIỆN NHIỆM VỤ THÁNG 11/2020", "mixed"),
    Section("s0", "", 0, 0, "", "", "other"),
]


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        (
            "Phần mềm quản lý văn bản thường xuyên bị lỗi kết nối với Hệ thống thông tin giải quyết TTHC.",
            ["breakdown"],
        ),
        (
            "Báo cáo tháng của huyện Tuyên Hóa tiếp tục nộp muộn, nhiều chỉ tiêu không khớp với phần mềm.",
            ["lateness", "non_compliance"],
        ),  # fmt: skip
        ("Kết quả quan trắc quý I/2022 có 02 chỉ tiêu vượt quy chuẩn cho phép.", ["overrun"]),
        ("Trên địa bàn phát sinh 3 ổ dịch sốt xuất huyết với 14 ca mắc.", ["incident"]),
        ("Kim ngạch xuất khẩu 6 tháng giảm 12% so với cùng kỳ.", ["decline"]),
        (
            "Sau đợt ra quân, các xe đẩy bán hàng rong đã quay lại tụ tập dọc đường Hoàng Diệu 2.",
            ["incident"],
        ),
        (
            "Gói thầu số 3 phải tổ chức lựa chọn nhà thầu lại, thời gian kéo dài thêm khoảng 45 ngày.",
            ["overrun"],
        ),
        ("Bệnh viện huyện thường xuyên quá tải, thiếu bác sĩ chuyên khoa.", ["overrun", "shortage"]),
        # what was fixed, denied, cleared, or a bad measure that fell: no harm
        ("Điện lực đã khắc phục sự cố mất điện tại xã Văn Quán trong ngày.", []),
        ("An ninh trật tự được giữ vững, không để xảy ra cháy nổ.", []),
        ("Số vụ tai nạn giao thông giảm 12% so với cùng kỳ.", []),
        ("Tỷ lệ hồ sơ trễ hạn giảm còn 0,8%, thấp hơn cùng kỳ.", []),
        ("39 hồ sơ quá hạn đã được giải quyết xong.", []),
        ("Công ty Điện lực đã cải tạo xong 5/9 trạm biến áp quá tải tại huyện Yên Lạc.", []),
        ("Trạm Y tế đã phun hóa chất diệt muỗi được 420/1.150 hộ trong vùng ổ dịch khu phố 3.", []),
        ("Chương trình Vui Tết Trung thu được tổ chức với 420 thiếu nhi tham gia.", []),
        ("Ghi nhận sự cố gắng của các sở, ngành trong tháng 7/2019.", []),
        ("Phòng Người có công đã trình ký quyết định cho 46 hồ sơ, 15 hồ sơ trả lời không đủ điều kiện.", []),
    ],
)
def test_items_harm_kinds(text: str, kinds: list[str]) -> None:
    assert harm_kinds(text) == kinds
    assert harm_kinds(unicodedata.normalize("NFD", text)) == kinds  # decomposed input reads the same


@pytest.mark.parametrize(
    ("text", "category"),
    [
        (
            "Hệ thống xử lý nước thải y tế vận hành không ổn định, có 02 chỉ tiêu vượt quy chuẩn cho phép.",
            "limitation",
        ),  # fmt: skip
        (
            "Báo cáo tháng của Tuyên Hóa, Quảng Trạch tiếp tục nộp muộn, Văn phòng Sở phải gọi điện đối chiếu lại.",
            "limitation",
        ),  # fmt: skip
        ("Người dân xã Dân Thành tiếp tục phản ánh bụi từ khu chứa chất thải rắn bay vào nhà.", "limitation"),
        (
            "Ngành đã giải quyết việc làm cho 17.860 lao động, không để xảy ra tai nạn lao động nghiêm trọng.",
            "result",
        ),  # fmt: skip
        ("Điện lực đã khắc phục xong sự cố lưới điện trung thế tại huyện Lập Thạch.", "result"),
        ("Số hồ sơ trễ hạn giảm 40% so với cùng kỳ, tỷ lệ đúng hạn đạt 98,6%.", "result"),
    ],
)
def test_items_harm_assessment_category(text: str, category: str) -> None:
    piece = Piece(text=text, block=Block(text, section_id="s1"))
    assert categorize(piece, ASSESSMENT, None, 0.5)[0] == category


def test_items_harm_states_harm_wrapped_line() -> None:
    text = "Máy tính tại phòng tiếp công dân đã cũ, thường xuyên\nhỏng; 03/05 máy tính bị lỗi phần mềm."
    assert states_harm(text)
