"""Items of conclusions written blind by other hands (engineer I11): a dialogue's heading that names what
the enterprises raised and the answer ("KIẾN NGHỊ CỦA DOANH NGHIỆP VÀ HƯỚNG GIẢI QUYẾT") lets each paragraph
take the category its own wording gives; an ask reported done ("đã có văn bản đề nghị …") is no task; the
model turns no shortcoming with a reason after it into a cause; "còn hiệu lực" is no shortcoming; a head
that ends on a breach of a norm ("chưa đúng quy định:") lists its instances; a numbered heading that runs
near the margin stands alone when the next line opens at the same first-line indent.

Each case is a convention (Nghị định 30/2020/NĐ-CP; ANNOTATION.md), built by hand with real Vietnamese text
(NFC and NFD); none runs the whole pipeline.
"""

from __future__ import annotations

import unicodedata

import pytest

from ketluan.claims import names_dialogue
from ketluan.cues import states_shortcoming, without_done_asks
from ketluan.harm import harm_kinds
from ketluan.item_cuts import Piece, names_matter, split_block
from ketluan.items import categorize, wording_category
from ketluan.records import Block, Line, Section
from ketluan.sections import body_to_blocks, section_category
from ketluan.text.canonical import tone_key

FORMS = ("NFC", "NFD")
ROOT = Section("s0", "", 0, 0, "", "", "other")
DIALOGUE = Section("s2", "s0", 2, 1, "II.", "KIẾN NGHỊ CỦA DOANH NGHIỆP VÀ HƯỚNG GIẢI QUYẾT", "mixed")
TOPIC = Section("s3", "s2", 3, 2, "2.", "Thủ tục đất đai, xây dựng", "other")


def nf(text: str, form: str) -> str:
    return unicodedata.normalize(form, text)


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("II. KIẾN NGHỊ CỦA DOANH NGHIỆP VÀ HƯỚNG GIẢI QUYẾT", True),
        ("II. KIẾN NGHỊ CỦA DOANH NGHIỆP VÀ HƯỚNG GIẢI QUYET", True),  # OCR lost the marks
        ("2. Ý kiến, kiến nghị của cử tri và kết quả trả lời", True),
        ("IV. KIẾN NGHỊ", False),
        ("Kiến nghị của Đoàn kiểm tra", False),
    ],
)
@pytest.mark.parametrize("form", FORMS)
def test_items_styles13_dialogue_heading(heading: str, expected: bool, form: str) -> None:
    assert names_dialogue(nf(heading, form)) is expected
    assert (section_category(nf(heading, form)) == "mixed") is expected


@pytest.mark.parametrize(
    ("text", "category"),
    [
        (
            "Công ty Cổ phần Thực phẩm Hòa Khánh Tây phản ánh hồ sơ xin chuyển mục đích sử dụng đất để mở rộng "
            "nhà xưởng đã nộp hơn 5 tháng nhưng chưa được giải quyết.",
            "limitation",
        ),
        (
            "Nguyên nhân là khu đất doanh nghiệp đề nghị chuyển mục đích chưa có trong kế hoạch sử dụng đất năm "
            "2023 của huyện đã được UBND tỉnh phê duyệt.",
            "cause",
        ),
        (
            "UBND huyện đã có văn bản đề nghị Sở Giao thông vận tải sửa chữa đoạn tuyến này; công trình đã được bố "
            "trí vốn bảo trì năm 2023.",
            "result",
        ),
        (
            "Trung tâm Dịch vụ việc làm tỉnh đã phối hợp với UBND huyện tổ chức 06 phiên giao dịch việc làm lưu "
            "động, kết nối thành công hơn 1.300 lao động với doanh nghiệp.",
            "result",
        ),
        (
            "Phòng Lao động - Thương binh và Xã hội phối hợp với Trung tâm Giáo dục nghề nghiệp huyện mở các lớp "
            "đào tạo nghề theo đặt hàng của doanh nghiệp.",
            "task",
        ),
        (
            "Giao Phòng Kinh tế và Hạ tầng theo dõi, đôn đốc nhà thầu hoàn thành trước ngày 31/12/2023.",
            "task",
        ),
    ],
)
@pytest.mark.parametrize("form", FORMS)
def test_items_styles13_dialogue_paragraph_by_its_wording(text: str, category: str, form: str) -> None:
    # before the tasks' heading (`review`), yet the answer's tasks stand under the dialogue heading
    cat, _ = categorize(Piece(text=nf(text, form)), [TOPIC, DIALOGUE, ROOT], None, 0.5, review=True)
    assert cat == category


@pytest.mark.parametrize("form", FORMS)
def test_items_styles13_done_ask_is_no_task(form: str) -> None:
    key = tone_key(nf("UBND huyện đã có văn bản đề nghị Sở Giao thông vận tải sửa chữa", form))
    assert "đề nghị" not in without_done_asks(key)
    assert "đề nghị" in without_done_asks(tone_key(nf("Đề nghị Sở Giao thông vận tải sửa chữa", form)))
    cat, _ = wording_category(
        nf("Sở đã yêu cầu nhà thầu bố trí thêm nhân lực, đã hoàn thành 80% khối lượng.", form)
    )
    assert cat == "result"


def test_items_styles13_model_makes_no_cause_of_a_shortcoming() -> None:
    text = (
        "Nhiều doanh nghiệp dệt may, da giày gặp khó khăn trong tuyển dụng lao động có tay nghề; một số "
        "doanh nghiệp nhỏ còn nợ đóng bảo hiểm xã hội kéo dài do đơn hàng sụt giảm."
    )
    probs = {"cause": 0.7, "limitation": 0.2, "result": 0.05, "task": 0.05}
    cat, _ = categorize(Piece(text=text), [TOPIC, DIALOGUE, ROOT], probs, 0.5)
    assert cat == "limitation"


@pytest.mark.parametrize("form", FORMS)
def test_items_styles13_in_force_is_no_shortcoming(form: str) -> None:
    text = (
        "Đến hết tháng 6/2024, toàn tỉnh có 512 dự án FDI còn hiệu lực với tổng vốn đăng ký trên 11,8 tỷ "
        "USD; phần lớn các dự án triển khai đúng tiến độ cam kết."
    )
    assert not states_shortcoming(nf(text, form))
    assert states_shortcoming(nf("Toàn tỉnh còn 23 dự án chậm tiến độ so với cam kết.", form))


@pytest.mark.parametrize("form", FORMS)
def test_items_styles13_breach_of_norm_lists_instances(form: str) -> None:
    text = nf(
        "Việc lưu mẫu thức ăn tại 05 trường chưa đúng quy định: khối lượng mẫu lưu không đủ 100 gam đối với "
        "thức ăn đặc; tủ lưu mẫu không duy trì được nhiệt độ từ 2°C đến 8°C; thời gian lưu mẫu chưa đủ 24 giờ.",
        form,
    )
    parts = [p.text for p in split_block(Block(text, marker="2.2.", style="arabic"))]
    assert parts == [
        nf("khối lượng mẫu lưu không đủ 100 gam đối với thức ăn đặc", form),
        nf("tủ lưu mẫu không duy trì được nhiệt độ từ 2°C đến 8°C", form),
        nf("thời gian lưu mẫu chưa đủ 24 giờ.", form),
    ]


def test_items_styles13_numbered_heading_near_the_margin() -> None:
    lines = [
        Line(
            "Dù công tác cải cách có chuyển biến, nhưng thời gian giải quyết một số hồ sơ",
            x0=120,
            x1=546,
            origin="ocr",
            gap_before=True,
        ),
        Line("vẫn còn kéo dài.", x0=91, x1=300, origin="ocr"),
        Line(
            "1. Hạ tầng giao thông kết nối các khu, cụm công nghiệp",
            x0=121,
            x1=529,
            origin="ocr",
            gap_before=True,
        ),
        Line(
            "Một số doanh nghiệp trong Khu công nghiệp Tân Đức phản ánh tuyến Đường tỉnh",
            x0=120,
            x1=546,
            origin="ocr",
        ),
        Line("824 xuống cấp nghiêm trọng.", x0=91, x1=301, origin="ocr"),
        Line(
            "2. Giao Phòng Kinh tế và Hạ tầng theo dõi, đôn đốc nhà thầu hoàn thành trước",
            x0=120,
            x1=546,
            origin="ocr",
        ),
        Line("ngày 31/12/2023.", x0=91, x1=200, origin="ocr"),
    ]
    blocks = body_to_blocks(lines)
    assert [b.text for b in blocks][1:] == [
        "Hạ tầng giao thông kết nối các khu, cụm công nghiệp",
        "Một số doanh nghiệp trong Khu công nghiệp Tân Đức phản ánh tuyến Đường tỉnh 824 xuống cấp nghiêm trọng.",
        "Giao Phòng Kinh tế và Hạ tầng theo dõi, đôn đốc nhà thầu hoàn thành trước ngày 31/12/2023.",
    ]


# Engineer I12: a wrapped "3)" that closes a parenthesis is no outline marker; a heading that names
# the answer to what enterprises raised ("GIẢI ĐÁP MỘT SỐ KIẾN NGHỊ") is a dialogue's; "Đối với <one
# matter>: …" is a topic, not the lead-in of a list; a concession's correlative "nhưng" is no turn;
# "giảm còn" is the level a measure fell to; a nuisance a citizen or an enterprise reports is a
# limitation.
ANSWERS = Section("s2", "s0", 2, 1, "II.", "GIẢI ĐÁP MỘT SỐ KIẾN NGHỊ CỤ THỂ", "mixed")
MATTER = Section("s3", "s2", 3, 2, "1.", "Về kiểm tra cơ sở sản xuất, năng lực sản xuất", "other")
CITIZEN = Section("s1", "s0", 1, 1, "1.", "Bà Trần Thị Hoa, trú tại tổ dân phố 25", "other")
ASSESSED = Section("s1", "s0", 1, 1, "1.", "Đánh giá chung", "mixed")


@pytest.mark.parametrize("form", FORMS)
def test_items_styles13_wrap_closing_a_parenthesis(form: str) -> None:
    lines = [
        Line(nf("Công ty TNHH Giày Lộc Thành (Khu công nghiệp Nam Tân Uyên", form), x0=85, x1=540,
             origin="text", gap_before=True),
        Line(nf("2) phản ánh việc kiểm tra cơ sở sản xuất bị trùng lặp, gây mất thời gian.", form),
             x0=85, x1=400, origin="text"),
        Line(nf("2) Giao Phòng Nghiệp vụ rà soát đầu mối kiểm tra.", form), x0=85, x1=380, origin="text",
             gap_before=True),
    ]  # fmt: skip
    blocks = body_to_blocks(lines)
    assert [(b.marker, b.text) for b in blocks] == [
        ("", nf("Công ty TNHH Giày Lộc Thành (Khu công nghiệp Nam Tân Uyên 2) phản ánh việc kiểm tra cơ sở "
                "sản xuất bị trùng lặp, gây mất thời gian.", form)),
        ("2)", nf("Giao Phòng Nghiệp vụ rà soát đầu mối kiểm tra.", form)),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("II. GIẢI ĐÁP MỘT SỐ KIẾN NGHỊ CỤ THỂ", True),
        ("3. Trả lời ý kiến, kiến nghị của cử tri", True),
        ("Tiếp thu, giải đáp các vướng mắc của doanh nghiệp", True),
        ("IV. KIẾN NGHỊ", False),
        ("3. Giải quyết khó khăn, vướng mắc cho doanh nghiệp", False),
    ],
)
@pytest.mark.parametrize("form", FORMS)
def test_items_styles13_answer_heading_is_a_dialogue(heading: str, expected: bool, form: str) -> None:
    assert names_dialogue(nf(heading, form)) is expected
    assert (section_category(nf(heading, form)) == "mixed") is expected


@pytest.mark.parametrize(
    ("text", "category"),
    [
        (
            "Công ty TNHH Điện tử Minh Khang phản ánh bị hai Chi cục Hải quan kiểm tra cơ sở sản xuất đối với "
            "cùng một hợp đồng gia công, gây mất thời gian và ảnh hưởng đến kế hoạch sản xuất.",
            "limitation",
        ),
        (
            "Cục trưởng ghi nhận phản ánh của doanh nghiệp; giao Phòng Nghiệp vụ thống nhất một đầu mối kiểm tra "
            "cơ sở sản xuất đối với mỗi doanh nghiệp.",
            "task",
        ),
    ],
)
@pytest.mark.parametrize("form", FORMS)
def test_items_styles13_paragraph_under_answer_heading(text: str, category: str, form: str) -> None:
    cat, _ = categorize(Piece(text=nf(text, form)), [MATTER, ANSWERS, ROOT], None, 0.5)
    assert cat == category


@pytest.mark.parametrize("form", FORMS)
def test_items_styles13_one_matter_is_a_topic(form: str) -> None:
    text = nf(
        "Đối với kiến nghị kéo dài giờ làm thủ tục tại cảng cạn Tân Cảng Long Bình: Cục trưởng đồng ý chủ "
        "trương; giao Chi cục Hải quan Biên Hòa bố trí công chức làm việc đến 20 giờ.",
        form,
    )
    pieces = split_block(Block(text))
    assert [(p.topic, p.text) for p in pieces] == [
        (
            nf("Đối với kiến nghị kéo dài giờ làm thủ tục tại cảng cạn Tân Cảng Long Bình", form),
            nf("Cục trưởng đồng ý chủ trương; giao Chi cục Hải quan Biên Hòa bố trí công chức làm việc đến 20 giờ.",
               form),
        )
    ]  # fmt: skip
    assert names_matter(
        nf("Đối với kiến nghị kéo dài giờ làm thủ tục tại cảng cạn", form), "Cục trưởng đồng ý."
    )
    listed = split_block(Block(nf("Về những tồn tại, hạn chế: thu thuế đạt thấp; hồ sơ còn sai sót.", form)))
    assert [p.text for p in listed] == [nf("thu thuế đạt thấp", form), nf("hồ sơ còn sai sót.", form)]


@pytest.mark.parametrize(
    ("text", "lacking"),
    [
        (
            "Trong 6 tháng đầu năm, mặc dù chịu ảnh hưởng của mưa lũ và giá cà phê giảm mạnh, nhưng với sự chỉ đạo"
            " quyết liệt của Thường trực Huyện ủy, tình hình kinh tế - xã hội tiếp tục ổn định.",
            False,
        ),
        ("Mặc dù đã có nhiều cố gắng, nhưng tiến độ giải ngân vốn đầu tư công vẫn chậm.", True),
        ("Thời gian chờ khám bình quân tại khoa Khám bệnh giảm còn khoảng 35 phút.", False),
        ("Tỷ lệ hộ nghèo giảm xuống còn 2,1%, vượt chỉ tiêu Nghị quyết.", False),
        ("Toàn huyện còn 14 hồ sơ đất đai trễ hẹn.", True),
    ],
)
@pytest.mark.parametrize("form", FORMS)
def test_items_styles13_concession_and_fall_are_no_shortcoming(text: str, lacking: bool, form: str) -> None:
    assert states_shortcoming(nf(text, form)) is lacking
    cat, _ = categorize(Piece(text=nf(text, form)), [ASSESSED, ROOT], None, 0.5)
    assert cat == ("limitation" if lacking else "result")


@pytest.mark.parametrize(
    ("text", "kinds", "category"),
    [
        (
            "Bà phản ánh nước thải của cơ sở chế biến hải sản chảy tràn ra hẻm, bốc mùi hôi, ảnh hưởng đến sinh"
            " hoạt của các hộ dân.",
            ["nuisance"],
            "limitation",
        ),
        ("Ông hỏi về thủ tục cấp Giấy chứng nhận quyền sử dụng đất cho thửa đất của gia đình.", [], "other"),
        ("Thi công vào ban đêm, bảo đảm không ảnh hưởng đến sinh hoạt của nhân dân.", [], None),
    ],
)
@pytest.mark.parametrize("form", FORMS)
def test_items_styles13_reported_nuisance(
    text: str, kinds: list[str], category: str | None, form: str
) -> None:
    assert harm_kinds(nf(text, form)) == kinds
    if category is not None:
        cat, _ = categorize(Piece(text=nf(text, form)), [CITIZEN, ROOT], None, 0.5)
        assert cat == category
