"""Items stage: cutting paragraphs into items and giving each its category."""

from __future__ import annotations

import unicodedata

import pytest

from ketluan.config import Settings
from ketluan.items import find_deadline, introduces_list, sections_to_items, split_block, wording_category
from ketluan.records import Block, Fields, Line
from ketluan.sections import body_to_sections

from conftest import text_lines

CONCLUSION = Fields(is_conclusion=True, issue_date="2024-04-08")


def items_of(text: str, fields: Fields = CONCLUSION, **kw):  # type: ignore[no-untyped-def]
    sections, blocks = body_to_sections(text_lines(text))
    return sections_to_items(sections, blocks, fields, Settings(textcat=False), **kw)


# fmt: off
@pytest.mark.parametrize("text,expected", [
    ("báo cáo UBND tỉnh trước ngày 20/4/2024.", "2024-04-20"),
    ("hoàn thành trong tháng 4/2024", "2024-04-30"),
    ("phải hoàn thành trong ngày 19/6/2024.", "2024-06-19"),
    ("chậm nhất ngày 30 tháng 9 năm 2024", "2024-09-30"),
    ("gửi Sở Tài chính thẩm định trước ngày 31/7", "2024-07-31"),
    ("tăng cường tuần tra dịp nghỉ hè", ""),
    ("trước ngày 31/02/2024", ""),
])
# fmt: on
def test_items_find_deadline_as_iso(text: str, expected: str) -> None:
    assert find_deadline(text, 2024) == expected


def test_items_list_after_colon_is_cut_at_semicolons() -> None:
    pieces = split_block(Block(
        "Trong tuần vẫn còn một số tồn tại: việc thu thuế đạt thấp; hồ sơ khai sinh còn sai sót;"
        " một số ấp chưa nộp báo cáo đúng hạn.", marker="-", style="dash",
    ))  # fmt: skip
    assert [p.text for p in pieces] == [
        "việc thu thuế đạt thấp", "hồ sơ khai sinh còn sai sót", "một số ấp chưa nộp báo cáo đúng hạn.",
    ]
    assert {p.lead for p in pieces} == {("limitation",)}


def test_items_topic_bullet_splits_topic_from_text() -> None:
    p = split_block(Block("Sở Tài chính: Theo dõi chặt chẽ tiến độ thu ngân sách.", marker="-", style="dash"))[0]
    assert (p.topic, p.text) == ("Sở Tài chính", "Theo dõi chặt chẽ tiến độ thu ngân sách.")


def test_items_plain_paragraph_with_colon_is_one_item() -> None:
    text = "Tham dự có các đồng chí Phó Chủ tịch UBND tỉnh; Giám đốc các sở: Tài chính, Xây dựng."
    assert [p.text for p in split_block(Block(text))] == [text]


# fmt: off
@pytest.mark.parametrize("text,category", [
    ("Đề nghị các phòng thực hiện nghiêm túc Kết luận này./.", "task"),
    ("Giao Công an huyện chủ trì, phối hợp kiểm tra các cơ sở kinh doanh karaoke.", "task"),
    ("Tỷ lệ hồ sơ giải quyết đúng hạn còn thấp, chưa đạt chỉ tiêu.", "limitation"),
    ("Nguyên nhân chủ yếu do biên chế thiếu, khối lượng công việc lớn.", "cause"),
    ("Thu ngân sách đạt 7.356 tỷ đồng, tăng 8% so với cùng kỳ.", "result"),
])
# fmt: on
def test_items_wording_category_without_heading(text: str, category: str) -> None:
    assert wording_category(text)[0] == category


def test_items_category_comes_from_the_heading_and_mixed_sections_read_the_wording() -> None:
    items = items_of(
        "Ngày 10/6/2024, Chủ tịch UBND xã chủ trì cuộc họp giao ban.\n"
        "Sau khi nghe báo cáo, Chủ tịch UBND xã kết luận như sau:\n"
        "I. KẾT QUẢ\n- Tiếp nhận 46 hồ sơ thủ tục hành chính, 01 hồ sơ trễ hạn.\n"
        "II. HẠN CHẾ VÀ NHIỆM VỤ TUẦN TỚI\n"
        "- Thu thuế sử dụng đất phi nông nghiệp còn chậm, chưa đạt kế hoạch.\n"
        "- Yêu cầu công chức Tài chính đôn đốc thu thuế, hoàn thành trước ngày 30/6/2024.\n"
        "Ủy ban nhân dân xã thông báo để các bộ phận biết, thực hiện./.\n"
    )
    got = [(i.category, i.text[:25]) for i in items]
    assert got == [
        ("other", "Ngày 10/6/2024, Chủ tịch "),
        ("other", "Sau khi nghe báo cáo, Chủ"),
        ("result", "Tiếp nhận 46 hồ sơ thủ tụ"),
        ("limitation", "Thu thuế sử dụng đất phi "),
        ("task", "Yêu cầu công chức Tài chí"),
        ("other", "Ủy ban nhân dân xã thông "),
    ]
    assert items[4].deadline == "2024-06-30"
    # a "1 ha trễ hạn" result stays a result: the heading decides, not the word "trễ hạn"
    assert items[2].confidence == 1.0


def test_items_headings_are_never_items_and_text_is_in_the_body() -> None:
    body = "I. KẾT QUẢ ĐẠT ĐƯỢC\n- Hoàn thành 27 hạng mục kênh mương.\nII. NHIỆM VỤ\n- Nhiệm vụ trọng tâm:\n+ Rà soát hồ sơ.\n"
    items = items_of(body)
    texts = [i.text for i in items]
    assert "KẾT QUẢ ĐẠT ĐƯỢC" not in texts and "Nhiệm vụ trọng tâm:" not in texts
    assert all(t in body for t in texts)


def test_items_non_conclusion_gets_only_other_items() -> None:
    items = items_of(
        "I. KẾT QUẢ\n- Hoàn thành 320 ha lúa.\nII. NHIỆM VỤ\n- Giao Phòng Kinh tế hướng dẫn nông dân.\n",
        fields=Fields(is_conclusion=False),
    )
    assert items and {i.category for i in items} == {"other"}


def test_items_task_table_rows_become_tasks_with_actors_and_deadline() -> None:
    rows = [
        ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn"],
        ["1", "Rà soát quy hoạch sử dụng đất năm 2025", "Phòng Tài nguyên và Môi trường", "UBND các xã", "30/6/2025"],
        ["2", "Tổ chức đối thoại với doanh nghiệp", "Văn phòng HĐND và UBND", "Phòng Kinh tế", "Tháng 7/2025"],
    ]
    lines = [Line("II. NHIỆM VỤ", origin="txt")] + [
        Line(" | ".join(r), origin="table", table_row=r) for r in rows
    ]
    sections, blocks = body_to_sections(lines)
    items = sections_to_items(sections, blocks, Fields(is_conclusion=True, issue_date="2025-06-01"), Settings(textcat=False))
    assert [(i.category, i.text, i.actors, i.deadline) for i in items] == [
        ("task", "Rà soát quy hoạch sử dụng đất năm 2025", "Phòng Tài nguyên và Môi trường; UBND các xã", "2025-06-30"),
        ("task", "Tổ chức đối thoại với doanh nghiệp", "Văn phòng HĐND và UBND; Phòng Kinh tế", "2025-07-31"),
    ]


def test_items_actor_finder_is_used_for_tasks() -> None:
    items = items_of(
        "II. NHIỆM VỤ\n- Sở Tài chính: Theo dõi chặt chẽ tiến độ thu ngân sách.\n",
        actor_finder=lambda text: ["Sở Tài chính"] if "Sở Tài chính" in text else [],
    )
    assert items[0].actors == "Sở Tài chính"


def _row(page: int, *cells: str) -> Block:
    return Block(" | ".join(cells), page=page, table_row=list(cells))


def test_items_table_row_cut_by_a_page_break_is_one_task() -> None:
    header = ("STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn")
    blocks = [
        Block("Giao các đơn vị thực hiện các nhiệm vụ cụ thể sau:"),
        _row(3, *header),
        _row(3, "5", "Tổng kết công tác năm 2022, xây dựng Chương trình công", "Văn phòng Tổng cục",
             "Các vụ, cục, đơn vị thuộc Tổng", "15/12/2022"),
        _row(4, *header),
        _row(4, "", "tác năm 2023 của Tổng cục", "", "cục", ""),
    ]
    fields = Fields(is_conclusion=True, issue_date="2022-07-22")
    items = sections_to_items([], blocks, fields, Settings(textcat=False))
    assert [(i.category, i.text, i.actors, i.deadline) for i in items] == [(
        "task", "Tổng kết công tác năm 2022, xây dựng Chương trình công tác năm 2023 của Tổng cục",
        "Văn phòng Tổng cục; Các vụ, cục, đơn vị thuộc Tổng cục", "2022-12-15",
    )]


@pytest.mark.parametrize(
    "note",
    [
        "(Kèm theo Thông báo số 1520/TB-CAT-PV01 ngày 06/10/2023 của Công an tỉnh)",
        "(Ban hành kèm theo Kế hoạch số 118/KH-SNV ngày 25/01/2024 của Sở Nội vụ)",
    ],
)
def test_items_attachment_note_of_an_appendix_is_not_an_item(note: str) -> None:
    blocks = [Block(note), Block("Tổ chức sơ kết công tác tăng cường Công an chính quy về xã.", marker="-", style="dash")]
    items = sections_to_items([], blocks, Fields(is_conclusion=True), Settings(textcat=False))
    assert [i.text for i in items] == ["Tổ chức sơ kết công tác tăng cường Công an chính quy về xã."]


# --- issue 17: real documents (opening, lead-ins, assessments, inspections, inline lists) ---

OPENING_WITH_SEMICOLONS = (
    "Ngày 12/3/2025, đồng chí Lê Hoàng Phương - Phó Chủ tịch UBND tỉnh chủ trì buổi làm việc với Sở Công"
    " Thương về các nội dung: chợ đầu mối; cụm công nghiệp; điện nông thôn. Tham dự có lãnh đạo các sở,"
    " ngành: Tài chính; Xây dựng; Nông nghiệp và Môi trường; UBND các huyện Đức Hòa, Bến Lức.\n"
    "Sau khi nghe báo cáo và ý kiến của các đại biểu, đồng chí Phó Chủ tịch UBND tỉnh kết luận như sau:\n"
)


# fmt: off
@pytest.mark.parametrize("body", [
    OPENING_WITH_SEMICOLONS + "1. Giao Sở Công Thương hoàn thiện đề án chợ đầu mối trước ngày 30/4/2025.\n",
    OPENING_WITH_SEMICOLONS + "Giao Sở Công Thương hoàn thiện đề án chợ đầu mối trước ngày 30/4/2025.\n",
    # an earlier colon in the intro ("ý kiến của các đại biểu:") is not the lead-in of the conclusions
    "Sáng 05/8/2024, UBND huyện họp nghe báo cáo tiến độ; tham dự có Phòng Tài chính - Kế hoạch; Phòng"
    " Kinh tế và Hạ tầng.\nSau khi nghe Phòng Kinh tế và Hạ tầng báo cáo; ý kiến của các đại biểu:\n"
    "Căn cứ tình hình thực tế, đồng chí Chủ tịch UBND huyện kết luận một số nội dung sau:\n"
    "1. Giao Sở Công Thương hoàn thiện đề án chợ đầu mối trước ngày 30/4/2025.\n",
])
# fmt: on
def test_items_opening_paragraphs_are_framing_whole(body: str) -> None:
    items = items_of(body)
    *opening, last = items
    assert {i.category for i in opening} == {"other"}
    assert all(";" in i.text or i.text.endswith(":") for i in opening)  # never cut at semicolons
    assert (last.category, last.text[:24]) == ("task", "Giao Sở Công Thương hoàn")


# fmt: off
@pytest.mark.parametrize("lead", [
    "Để hoàn thành các chỉ tiêu kế hoạch năm 2025, đồng chí Chủ tịch UBND huyện yêu cầu các phòng, ban:",
    "Giao Phòng Nội vụ chủ trì, phối hợp với các cơ quan, đơn vị liên quan:",
    "Trong thời gian tới, UBND huyện có ý kiến như sau:",
])
# fmt: on
def test_items_a_lead_in_of_a_list_is_not_a_task(lead: str) -> None:
    items = items_of(
        "II. NHIỆM VỤ THỜI GIAN TỚI\n" + lead + "\na) Rà soát biên chế các đơn vị sự nghiệp.\n"
        "b) Tổ chức thi tuyển công chức cấp xã trong quý III/2025.\n"
    )
    assert [(i.category, i.text[:12]) for i in items if i.category != "other"] == [
        ("task", "Rà soát biên"), ("task", "Tổ chức thi "),
    ]


def test_items_tasks_under_a_lead_in_take_its_agency_as_actors() -> None:
    items = items_of(
        "II. NHIỆM VỤ\nGiao Phòng Nội vụ:\na) Rà soát biên chế các đơn vị sự nghiệp.\n"
        "b) Phòng Tài chính - Kế hoạch bố trí kinh phí tuyển dụng.\n",
        actor_finder=lambda t: [a for a in ("Phòng Nội vụ", "Phòng Tài chính - Kế hoạch") if a in t],
    )
    assert [i.actors for i in items] == ["Phòng Nội vụ", "Phòng Tài chính - Kế hoạch"]


# fmt: off
@pytest.mark.parametrize("heading", ["1. Đánh giá chung", "I. ĐÁNH GIÁ CHUNG", "1. Nhận xét chung"])
# fmt: on
def test_items_an_assessment_holds_results_and_worded_shortcomings(heading: str) -> None:
    items = items_of(
        OPENING_WITH_SEMICOLONS + heading + "\n"
        "UBND tỉnh ghi nhận sự nỗ lực của Sở Công Thương trong việc phối hợp với các địa phương.\n"
        "Tổ chức thành công Hội chợ hàng Việt năm 2025, thu hút 250 gian hàng.\n"
        "Tuy nhiên, tiến độ đầu tư hạ tầng cụm công nghiệp còn chậm, chưa thu hút được nhà đầu tư.\n"
        "Nguyên nhân chủ yếu do vướng mắc trong bồi thường, giải phóng mặt bằng.\n"
        "2. Nhiệm vụ thời gian tới\nKhẩn trương hoàn thiện hồ sơ cụm công nghiệp Đức Hòa III.\n"
    )
    assert [i.category for i in items if i.category != "other"] == ["result", "result", "limitation", "cause", "task"]


def test_items_inspection_conclusion_categories() -> None:
    items = items_of(
        "Căn cứ Quyết định số 35/QĐ-TTr ngày 02/5/2024 của Chánh Thanh tra huyện, Chánh Thanh tra huyện kết luận như sau:\n"
        "I. KẾT QUẢ KIỂM TRA\n1. Những nội dung thực hiện đúng quy định\n"
        "- Trường đã lập dự toán thu, chi học phí đúng quy định.\n2. Những tồn tại, sai phạm\n"
        "- Chi bồi dưỡng dạy thêm vượt định mức 12.400.000 đồng.\n3. Nguyên nhân\n"
        "- Kế toán chưa nắm vững chế độ tài chính.\nII. KIẾN NGHỊ BIỆN PHÁP XỬ LÝ\n"
        "1. Thu hồi số tiền chi vượt 12.400.000 đồng nộp ngân sách nhà nước.\n"
        "2. Yêu cầu Hiệu trưởng tổ chức kiểm điểm trách nhiệm kế toán.\n"
    )
    assert [i.category for i in items if i.category != "other"] == ["result", "limitation", "cause", "task", "task"]


def test_items_list_in_a_longer_paragraph_is_not_cut() -> None:
    text = ("Năm 2024, công tác chuyển đổi số được triển khai trên các lĩnh vực: y tế, giáo dục, đất đai."
            " Nhiều chỉ tiêu vượt kế hoạch; một số dịch vụ công được đánh giá cao.")
    assert [p.text for p in split_block(Block(text))] == [text]
    inline = "Đề nghị nhà thầu bổ sung các nội dung gồm: an toàn lao động; vệ sinh môi trường. Báo cáo trước ngày 5/5."
    assert len(split_block(Block(inline, marker="-", style="dash"))) == 1


# fmt: off
@pytest.mark.parametrize("text,topic", [
    ("Đối với việc nâng cấp tuyến ĐT.725 đoạn Km12+300 - Km15+800: Đề nghị chủ đầu tư đẩy nhanh tiến độ.",
     "Đối với việc nâng cấp tuyến ĐT.725 đoạn Km12+300 - Km15+800"),
    ("Về kinh phí sửa chữa trụ sở làm việc của UBND các xã sau sắp xếp năm 2025: Giao Sở Tài chính thẩm định.",
     "Về kinh phí sửa chữa trụ sở làm việc của UBND các xã sau sắp xếp năm 2025"),
    ("+ Sở Y tế: Chỉ đạo các bệnh viện bảo đảm thuốc, vật tư y tế.", "Sở Y tế"),
])
# fmt: on
def test_items_topic_bullet_with_a_topic_starter(text: str, topic: str) -> None:
    style, marker = ("plus", "+") if text.startswith("+") else ("lower", "b)")
    piece = split_block(Block(text.lstrip("+ "), marker=marker, style=style))[0]
    assert piece.topic == topic and not piece.text.startswith(topic)


# fmt: off
@pytest.mark.parametrize("text,category", [
    ("Như vậy, việc cấp giấy chứng nhận cho hộ ông Thạch đã được thực hiện đúng trình tự.", "result"),
    ("Tính đến hết tháng 6, toàn huyện đã giải ngân 64% kế hoạch vốn.", "result"),
    ("Tổ chức kiểm tra 18 cơ sở, đã xử lý 3 trường hợp vi phạm an toàn thực phẩm.", "result"),
    ("Thống nhất chủ trương thí điểm chính quyền số tại 05 xã biên giới.", "task"),
    ("Tiếp tục triển khai các nhiệm vụ đã được phê duyệt, hoàn thành trước ngày 30/9.", "task"),
])
# fmt: on
def test_items_wording_of_results_and_decisions(text: str, category: str) -> None:
    assert wording_category(text)[0] == category


# fmt: off
@pytest.mark.parametrize("heading,text,category", [
    ("I. KẾT QUẢ ĐẠT ĐƯỢC", "Tuy nhiên, tỷ lệ giải ngân vốn đầu tư công còn thấp, mới đạt 41% kế hoạch.", "limitation"),
    ("I. KẾT QUẢ ĐẠT ĐƯỢC", "Tỷ lệ hồ sơ trễ hạn giảm còn 0,8%, thấp hơn cùng kỳ.", "result"),
    ("1. Đánh giá chung", "An ninh nông thôn được giữ vững, không để xảy ra khiếu kiện đông người.", "result"),
    ("1. Đánh giá chung", "Không có công chức vi phạm kỷ luật trong năm 2024.", "result"),
    ("1. Đánh giá chung", "Việc cập nhật dữ liệu dân cư ở một số xã chưa kịp thời.", "limitation"),
])
# fmt: on
def test_items_turn_to_shortcomings_inside_a_review(heading: str, text: str, category: str) -> None:
    items = items_of(heading + "\n\n" + text + "\n")
    assert [i.category for i in items] == [category]


def test_items_meeting_particulars_and_attendance_are_framing() -> None:
    items = items_of(
        "- Thời gian: 14 giờ 00 ngày 18/9/2025.\n- Chủ trì: đồng chí Đinh Văn Lực - Phó Chủ tịch UBND huyện.\n"
        "Tham dự cuộc họp có:\n- Đại diện lãnh đạo Phòng Tài chính - Kế hoạch;\n- Chủ tịch UBND các xã;\n"
        "I. KẾT LUẬN\n1. Giao Phòng Tài chính - Kế hoạch rà soát nguồn vốn, báo cáo trước ngày 30/9/2025.\n"
    )
    assert [(i.category, i.topic) for i in items] == [
        ("other", "Thời gian"), ("other", "Chủ trì"), ("other", ""), ("other", ""), ("task", ""),
    ]


# fmt: off
@pytest.mark.parametrize("first,opening", [
    ("Chiều ngày 02/10/2025, UBND huyện tổ chức họp giao ban công tác quý III.", True),
    ("Thực hiện Chương trình công tác năm 2025, ngày 02/10 UBND huyện họp giao ban.", True),
    ("Giao Phòng Văn hóa chủ trì tổ chức hội nghị tổng kết phong trào.", False),
])
# fmt: on
def test_items_intro_without_a_lead_in_ends_at_a_directive(first: str, opening: bool) -> None:
    items = items_of(first + "\n\nGiao Phòng Nội vụ chủ trì hội nghị tuyển dụng viên chức.\n")
    assert [i.category for i in items] == ["other" if opening else "task", "task"]


def test_items_a_colon_after_a_directive_does_not_end_the_intro() -> None:
    items = items_of(
        "Ngày 03/11/2025, UBND xã họp bàn công tác phòng, chống bão.\n\n"
        "Giao công chức Địa chính rà soát các hộ dân sống ven sông.\n\n"
        "Yêu cầu các thôn thực hiện các nội dung sau:\n- Kiểm tra nhà tạm, nhà xuống cấp.\n"
    )
    assert [i.category for i in items] == ["other", "task", "task"]  # the lead-in is a heading


CHAIR_STYLE = (
    "Ngày 05/4/2022, Giám đốc Sở Giáo dục và Đào tạo chủ trì cuộc họp giao ban tháng 3/2022."
    " Giám đốc Sở kết luận như sau:\n"
    "1. Giám đốc Sở ghi nhận sự nỗ lực của các phòng, đơn vị trong tháng; nổi bật là:\n"
    "- Hoàn thành kiểm tra, đánh giá cuối học kỳ I năm học 2021 - 2022 an toàn, đúng kế hoạch.\n"
    "- Tổ chức Hội thi giáo viên dạy giỏi cấp tỉnh bậc học mầm non với 126 giáo viên tham gia.\n"
    "2. Bên cạnh đó, Giám đốc Sở chỉ rõ một số tồn tại, hạn chế cần sớm khắc phục:\n"
    "a) Toàn ngành còn thiếu 1.146 giáo viên so với định mức.\n"
    "Nguyên nhân: định mức biên chế chưa tương xứng với số lớp; thu nhập của giáo viên còn thấp.\n"
    "3. Giám đốc Sở yêu cầu các phòng, đơn vị tập trung thực hiện:\n"
    "a) Phòng Kế hoạch - Tài chính: Rà soát, thống kê phòng học tạm; đề xuất lộ trình xóa phòng học tạm,"
    " trình Giám đốc Sở trước ngày 30/4/2022.\n"
    "b) Văn phòng Sở: Nhắc nhở các đơn vị thực hiện nghiêm chế độ báo cáo thống kê định kỳ.\n"
    "Văn phòng Sở thông báo để các phòng, đơn vị biết, thực hiện./.\n"
)


def test_items_chair_acknowledgment_lead_in_makes_results_and_addressees_stay_whole() -> None:
    items = items_of(CHAIR_STYLE, fields=Fields(is_conclusion=True, issue_date="2022-04-08"))
    got = [(i.category, i.topic, i.text[:20]) for i in items]
    assert got == [
        ("other", "", "Ngày 05/4/2022, Giám"),
        ("result", "", "Hoàn thành kiểm tra,"),
        ("result", "", "Tổ chức Hội thi giáo"),
        ("limitation", "", "Toàn ngành còn thiếu"),
        ("cause", "", "định mức biên chế ch"),
        ("cause", "", "thu nhập của giáo vi"),
        ("task", "Phòng Kế hoạch - Tài chính", "Rà soát, thống kê ph"),
        ("task", "Văn phòng Sở", "Nhắc nhở các đơn vị "),
        ("other", "", "Văn phòng Sở thông b"),
    ]
    assert items[6].deadline == "2022-04-30"
    # the same in NFD (decomposed) input
    nfd = items_of(unicodedata.normalize("NFD", CHAIR_STYLE), fields=Fields(is_conclusion=True))
    assert [i.category for i in nfd] == [c for c, _, _ in got]


# fmt: off
@pytest.mark.parametrize("head,introduces", [
    ("còn các hạn chế", True),
    ("Bên cạnh kết quả đạt được, còn một số hạn chế", True),
    ("Phòng Kế hoạch - Tài chính", False),      # an addressee: its capitalised words are a name
    ("Ban Chỉ đạo xóa nhà tạm thị trấn", False),
])
# fmt: on
def test_items_a_proper_name_does_not_introduce_a_list(head: str, introduces: bool) -> None:
    assert introduces_list(head) is introduces


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # a shortcoming stated as cleared reports a result
        ("39 hồ sơ quá hẹn đã được Chi nhánh Văn phòng Đăng ký đất đai giải quyết xong, đến nay "
         "lĩnh vực đất đai không còn hồ sơ trễ hạn.", "result"),
        ("Đến nay không còn tình trạng chậm chi trả chế độ cho đối tượng bảo trợ xã hội.", "result"),
        (unicodedata.normalize("NFD", "Các hồ sơ tồn đọng đã được xử lý dứt điểm."), "result"),
        # ... but not when a clause still holds one, or "không còn" is itself the loss
        ("Đã triển khai xong nhưng chưa nghiệm thu, việc thanh toán còn chậm.", "limitation"),
        ("Nhiều hộ dân không còn đất sản xuất, đời sống còn khó khăn.", "limitation"),
        ("Không còn hồ sơ trễ hạn nhưng chất lượng thẩm định chưa cao.", "limitation"),
    ],
)  # fmt: skip
def test_items_cleared_shortcoming_is_a_result(text: str, category: str) -> None:
    assert wording_category(text)[0] == category
    items = items_of(f"1. Về công tác đất đai\n- {text}\n- Giao Phòng Tài nguyên và Môi trường rà soát hồ sơ.\n")
    assert items[0].category == category
