"""Items of monthly conclusions written by many hands (engineer I13): a shortcoming that came back ("bị … trở
lại", "tái diễn") or a count short of its mark ("chỉ có 395 người", "không vào được") is said outright, even
after its reason ("Do …, …"); an accountability review reported done ("đã tổ chức kiểm điểm") is a result;
"là do" is a whole word; "kế hoạch vốn" names no task; "còn một số vấn đề cần … khắc phục:" lists
shortcomings; a period wrapped off an upper-case heading ("THÁNG" / "7/2022") stays in it; and the plain
paragraphs of a field of work before its directive bullets ("- Giao …") review it.

Each case is a convention (Nghị định 30/2020/NĐ-CP; ANNOTATION.md), built by hand with real Vietnamese text
(NFC and NFD); none runs the whole pipeline.
"""

from __future__ import annotations

import unicodedata

import pytest

from ketluan.harm import harm_kinds
from ketluan.item_cuts import Piece
from ketluan.item_roles import before_directives, before_tasks
from ketluan.items import categorize, wording_category
from ketluan.records import Block, Line, Section
from ketluan.sections import body_to_blocks, section_category

FORMS = ("NFC", "NFD")
CATS = ("result", "limitation", "cause", "task")
ROOT = Section("s0", "", 0, 0, "", "", "other")
ASSESSMENT = Section("s1", "s0", 1, 1, "I.", "ĐÁNH GIÁ CHUNG TÌNH HÌNH THÁNG 9/2024", "mixed")


def nf(text: str, form: str) -> str:
    return unicodedata.normalize(form, text)


# fmt: off
@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a shortcoming that came back after it was dealt with is still open
        ("Sau đợt ra quân, nhiều tuyến hẻm đã bị lấn chiếm trở lại, hàng quán bày bán tràn xuống lòng đường.",
         ("limitation", 0.8)),
        ("Tình trạng xe ba gác chở vật liệu rơi vãi trên tuyến Quốc lộ 1A tái diễn vào ban đêm.", ("limitation", 0.8)),
        ("Tình trạng dán quảng cáo rao vặt trên cột điện, tường rào dọc đường Lê Lợi gia tăng.", ("limitation", 0.8)),
        ("Văn phòng đăng ký đất đai tiếp tục để phát sinh 14 hồ sơ trả kết quả trễ hẹn.", ("limitation", 0.8)),
        # … but what must not come back is asked for, not stated
        ("Không để tình trạng lấn chiếm vỉa hè tái diễn sau đợt ra quân.", ("", 0.4)),
        # an accountability review reported done is a result (what was done), not its shortcoming
        ("Phòng Tư pháp đã tổ chức kiểm điểm, làm rõ trách nhiệm của 03 công chức để hồ sơ chứng thực trễ hạn.",
         ("result", 0.8)),
        # the reason set before it, the statement is a shortfall: a limitation
        ("Do thời tiết mưa nhiều, số lao động được tuyển trong tháng chỉ có 120 người, giảm 35% so với cùng kỳ.",
         ("limitation", 0.8)),
        ("Do mất điện kéo dài, 04 điểm cầu cấp xã không kết nối được hệ thống họp trực tuyến.", ("limitation", 0.8)),
        ("Do mưa bão, cả tháng khu du lịch chỉ đón 2.310 lượt khách, doanh thu đạt 0,4 tỷ đồng.", ("limitation", 0.8)),
        ("Do nhà thầu thiếu vốn và thiếu nhân lực.", ("cause", 0.8)),
        # "không gian" is a noun, no inability
        ("Công tác tuyên truyền trên không gian mạng được chú trọng, nhiều tin bài được chia sẻ rộng rãi.",
         ("result", 0.6)),
    ],
)
def test_items_styles14_wording(form: str, text: str, expected: tuple[str, float]) -> None:
    assert wording_category(nf(text, form), CATS) == expected


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "là do" is a whole word: "chủ yếu là doanh nghiệp" states no cause
        ("Còn 15 đơn vị chậm đóng bảo hiểm xã hội, chủ yếu là doanh nghiệp tư nhân ngành xây dựng.", "limitation"),
        ("Số hồ sơ trễ hạn tăng là do thiếu công chức địa chính.", "cause"),
    ],
)
def test_items_styles14_cause_is_a_whole_word(form: str, text: str, expected: str) -> None:
    assert wording_category(nf(text, form), CATS)[0] == expected


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("1. Về giải ngân kế hoạch vốn", "other"),  # the capital allotted for the year, no plan to carry out
        ("2. Nhiệm vụ giải ngân kế hoạch vốn đầu tư công tháng 10/2024", "task"),
        ("Tuy nhiên, qua theo dõi, còn một số vấn đề cần tập trung khắc phục:", "limitation"),
        ("Các tồn tại, hạn chế cần tập trung khắc phục", "limitation"),
        ("Những hạn chế cần chú ý và nhiệm vụ cần tập trung trong tháng 6/2020", "mixed"),
    ],
)
def test_items_styles14_heading_category(form: str, heading: str, expected: str) -> None:
    assert section_category(nf(heading, form)) == expected
# fmt: on


@pytest.mark.parametrize("form", FORMS)
def test_items_styles14_period_wrapped_off_an_upper_case_heading(form: str) -> None:
    lines = [
        Line(nf("I. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ THÁNG", form), bold=True, x0=85, x1=420, gap_before=True),
        Line("8/2023", bold=True, x0=85, x1=130),
        Line(nf("1. Về giải ngân kế hoạch vốn", form), bold=True, x0=85, x1=300, gap_before=True),
    ]
    blocks = body_to_blocks(lines)
    assert [b.text for b in blocks] == [nf("TÌNH HÌNH THỰC HIỆN NHIỆM VỤ THÁNG 8/2023", form),
                                        nf("Về giải ngân kế hoạch vốn", form)]  # fmt: skip


@pytest.mark.parametrize("form", FORMS)
def test_items_styles14_review_before_directive_bullets(form: str) -> None:
    blocks = [
        Block(
            nf("Duy trì 12 tuyến đường văn minh đô thị; xử lý 187 trường hợp vi phạm.", form), section_id="s1"
        ),
        Block(nf("Tình trạng lấn chiếm vỉa hè trên đường Trần Hưng Đạo tái diễn.", form), section_id="s1"),
        Block(
            nf("Giao Ủy ban nhân dân các phường ra quân xử lý dứt điểm.", form),
            marker="-",
            style="dash",
            section_id="s1",
        ),  # fmt: skip
        Block(nf("Phòng Tài chính cần rà soát các khoản thu.", form), section_id="s2"),
        Block(
            nf("Giao Phòng Tài chính báo cáo trước ngày 05/10.", form),
            marker="-",
            style="dash",
            section_id="s2",
        ),
    ]
    assert sorted(before_directives(blocks)) == [0, 1]  # "… cần rà soát …" asks: no review
    secs = [ROOT, Section("s1", "s0", 1, 1, "1.", "Về trật tự đô thị", "other")]
    assert sorted(before_tasks(secs, blocks, blocks)) == [0, 1]


@pytest.mark.parametrize("form", FORMS)
def test_items_styles14_reason_first_shortfall_under_an_assessment(form: str) -> None:
    text = nf(
        "Do các doanh nghiệp ít về địa bàn tuyển chọn, số người xuất cảnh trong tháng chỉ có 210 người.", form
    )
    piece = Piece(text=text, block=Block(text, section_id="s1"))
    assert categorize(piece, [ASSESSMENT, ROOT], None, 0.6) == ("limitation", 0.8)
    cause = nf("Do một số xã chưa quyết liệt trong chỉ đạo.", form)
    assert categorize(Piece(text=cause, block=Block(cause, section_id="s1")), [ASSESSMENT, ROOT], None, 0.6)[
        0
    ] == ("cause")


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # fighting a fire and rescue answer a harm: a drill reports what was done
        (
            "Hoàn thành diễn tập phòng cháy, chữa cháy và cứu nạn, cứu hộ tại Trạm biến áp 110 kV Đông Hưng.",
            [],
        ),
        # a fall of losses is good news
        ("Tỷ lệ tổn thất điện năng tháng 3 thực hiện 5,02%, giảm 0,21% so với cùng kỳ.", []),
        ("Trong tháng xảy ra 02 vụ cháy rừng tại xã Phước Hà.", ["incident"]),
    ],
)
def test_items_styles14_harm_answered(form: str, text: str, expected: list[str]) -> None:
    assert harm_kinds(nf(text, form)) == expected


@pytest.mark.parametrize("form", FORMS)
def test_items_styles14_list_of_proposals_sent(form: str) -> None:
    text = nf(
        "Văn phòng UBND phường đã gửi danh sách đề nghị cấp chứng thư chữ ký số cho 07 công chức.", form
    )
    assert wording_category(text, CATS)[0] == "result"  # no ask: "đề nghị" names the list


# fmt: off
@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an enforcement act with its count reports what was done; the violations are its object
        ("Trạm kiểm tra tải trọng xe lưu động kiểm tra 968 lượt xe, xử phạt 204 xe vi phạm.", ("result", 0.8)),
        ("Các phường ra quân trên 37 tuyến đường, thu giữ 215 bàn ghế, dù bạt lấn chiếm vỉa hè.", ("result", 0.8)),
        # … unless it asks for it
        ("Công an huyện kiểm tra 15 cơ sở kinh doanh karaoke trước ngày 30/6.", ("task", 0.6)),
    ],
)
def test_items_styles14_enforcement_with_count(form: str, text: str, expected: tuple[str, float]) -> None:
    assert wording_category(nf(text, form), CATS) == expected
# fmt: on
