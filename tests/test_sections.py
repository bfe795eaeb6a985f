"""Sections stage: paragraphs joined, outline markers, heading categories."""

from __future__ import annotations

import unicodedata

import pytest

from ketluan.cues import heading_categories, states_shortcoming, whole_word
from ketluan.records import Line
from ketluan.sections import (
    body_to_blocks,
    body_to_sections,
    section_category,
    split_marker,
)

from conftest import text_lines


# fmt: off
@pytest.mark.parametrize("text,style,marker,rest", [
    ("I. KẾT QUẢ ĐẠT ĐƯỢC", "roman", "I.", "KẾT QUẢ ĐẠT ĐƯỢC"),
    ("IV- NHIỆM VỤ", "roman", "IV-", "NHIỆM VỤ"),
    ("B. TỒN TẠI, HẠN CHẾ", "upper", "B.", "TỒN TẠI, HẠN CHẾ"),
    ("1.2. Nhiệm vụ cụ thể", "arabic2", "1.2.", "Nhiệm vụ cụ thể"),
    ("3. Giao Sở Tài chính chủ trì.", "arabic", "3.", "Giao Sở Tài chính chủ trì."),
    ("2- Hạn chế, khuyết điểm", "arabic_dash", "2-", "Hạn chế, khuyết điểm"),
    ("đ) Khoa Hóa sinh vận hành máy mới.", "lower", "đ)", "Khoa Hóa sinh vận hành máy mới."),
    ("- Sở Tài chính: theo dõi thu ngân sách.", "dash", "-", "Sở Tài chính: theo dõi thu ngân sách."),
    ("+ Công tác thanh tra: Triển khai 14 cuộc.", "plus", "+", "Công tác thanh tra: Triển khai 14 cuộc."),
    ("• Hoàn thành 320 ha lúa.", "bullet", "•", "Hoàn thành 320 ha lúa."),
    ("PHẦN II. NHIỆM VỤ NĂM HỌC 2024 - 2025", "part", "PHẦN II.", "NHIỆM VỤ NĂM HỌC 2024 - 2025"),
    ("30/9/2024 là hạn cuối.", "", "", "30/9/2024 là hạn cuối."),
    ("Tháng này các công việc cơ bản đảm bảo.", "", "", "Tháng này các công việc cơ bản đảm bảo."),
])
# fmt: on
def test_sections_split_marker_names_the_style(text: str, style: str, marker: str, rest: str) -> None:
    assert split_marker(text) == (style, marker, rest)


# fmt: off
@pytest.mark.parametrize("heading,category", [
    ("KẾT QUẢ THỰC HIỆN NHIỆM VỤ QUÝ II NĂM 2024", "result"),
    ("Thực hiện nhiệm vụ tháng 5/2020", "result"),
    ("Những ưu điểm", "result"),
    ("TỒN TẠI, HẠN CHẾ", "limitation"),
    ("Khó khăn, vướng mắc", "limitation"),
    ("Nguyên nhân của những tồn tại, hạn chế", "cause"),
    ("NHIỆM VỤ TRỌNG TÂM THÁNG 10 NĂM 2024", "task"),
    ("Phương hướng, giải pháp năm 2025", "task"),
    ("Ý kiến chỉ đạo", "task"),
    ("Một số vấn đề cần lưu ý", "task"),
    ("TỒN TẠI VÀ NHIỆM VỤ TUẦN TỚI", "mixed"),
    ("HẠN CHẾ VÀ NGUYÊN NHÂN", "mixed"),
    ("ĐÁNH GIÁ CHUNG", "mixed"),
    ("Về kinh tế", "other"),
])
# fmt: on
def test_sections_heading_category_from_its_words(heading: str, category: str) -> None:
    assert section_category(heading) == category


def test_sections_joins_a_paragraph_broken_by_a_page_break() -> None:
    lines = text_lines(
        "Đề nghị lãnh đạo các phòng triển khai thực hiện nghiêm túc, phải\n\n"
        "thay đổi biện pháp cách làm./.\n"
    )
    blocks = body_to_blocks(lines)
    assert [b.text for b in blocks] == [
        "Đề nghị lãnh đạo các phòng triển khai thực hiện nghiêm túc, phải thay đổi biện pháp cách làm./."
    ]


def test_sections_joins_hard_wrapped_lines_but_not_finished_sentences() -> None:
    lines = text_lines(
        "1. Công ty đã vận hành hệ thống công trình thủy lợi an toàn, cấp nước phục\n"
        "vụ sản xuất vụ Hè Thu cho 18.650 ha, đạt 101,3% kế hoạch.\n"
        "2. Doanh thu quý II đạt 38,6 tỷ đồng, lũy kế 6 tháng đạt 54,3% kế hoạch năm;\n"
        "thu nộp ngân sách đầy đủ, kịp thời.\n"
        "Sau khi nghe báo cáo, Giám đốc Công ty kết luận như sau:\n"
    )
    texts = [b.text for b in body_to_blocks(lines)]
    assert texts == [
        "Công ty đã vận hành hệ thống công trình thủy lợi an toàn, cấp nước phục vụ sản xuất vụ Hè Thu"
        " cho 18.650 ha, đạt 101,3% kế hoạch.",
        "Doanh thu quý II đạt 38,6 tỷ đồng, lũy kế 6 tháng đạt 54,3% kế hoạch năm; thu nộp ngân sách"
        " đầy đủ, kịp thời.",
        "Sau khi nghe báo cáo, Giám đốc Công ty kết luận như sau:",
    ]


def test_sections_pdf_lines_split_at_short_last_line_and_indent() -> None:
    mk = lambda t, x0, x1, gap=False: Line(t, x0=x0, x1=x1, origin="text", gap_before=gap)  # noqa: E731
    lines = [
        mk("Năm 2023, Thanh tra tỉnh đã bám sát định hướng chương trình thanh tra của", 85, 510),
        mk("Thanh tra Chính phủ, cơ bản hoàn thành các nhiệm vụ được giao.", 57, 400),
        mk("Công tác xây dựng Ngành được quan tâm, nội bộ đoàn kết, không có công chức", 85, 510),
        mk("vi phạm kỷ luật.", 57, 150),
    ]
    texts = [b.text for b in body_to_blocks(lines)]
    assert len(texts) == 2
    assert texts[1].endswith("không có công chức vi phạm kỷ luật.")


def test_sections_outline_tree_levels_and_parents() -> None:
    body = text_lines(
        "Ngày 08/7/2024, UBND huyện họp giao ban.\n"
        "I. ĐÁNH GIÁ CHUNG\n1. Kết quả đạt được\n- Thu ngân sách đạt 52% dự toán.\n"
        "2. Tồn tại, hạn chế\n- Giải ngân còn chậm.\nII. NHIỆM VỤ THÁNG 8\n"
        "1. Giao Phòng Tài chính rà soát nguồn thu, báo cáo trước ngày 15/8/2024.\n"
        "2. Giao nhiệm vụ cụ thể:\n- Phòng Kinh tế: hướng dẫn nông dân phòng rầy nâu.\n"
        "3. Văn phòng theo dõi, đôn đốc thực hiện.\n"
    )
    sections, blocks = body_to_sections(body)
    outline = [(s.numbering, s.level, s.category, s.parent_id) for s in sections[1:]]
    assert outline == [
        ("I.", 1, "mixed", "s0"),
        ("1.", 2, "result", "s1"),
        ("2.", 2, "limitation", "s1"),
        ("II.", 1, "task", "s0"),
        ("2.", 2, "task", "s4"),
    ]
    where = {b.text: b.section_id for b in blocks if not b.heading}
    assert where["Ngày 08/7/2024, UBND huyện họp giao ban."] == "s0"
    assert where["Phòng Kinh tế: hướng dẫn nông dân phòng rầy nâu."] == "s5"
    assert where["Văn phòng theo dõi, đôn đốc thực hiện."] == "s4"


@pytest.mark.parametrize(
    ("heading", "category"),
    [
        ("2. Công tác chỉ đạo phòng, chống thiên tai và bảo đảm nguồn nước", "other"),
        ("Về công tác kế hoạch, đầu tư", "other"),
        ("3. Nhiệm vụ trọng tâm quý IV năm 2024", "task"),
    ],
)
def test_sections_topic_heading_names_an_activity_not_a_task(heading: str, category: str) -> None:
    assert section_category(heading) == category


def test_sections_uppercase_heading_with_a_colon_is_a_heading() -> None:
    secs, blocks = body_to_sections(text_lines("PHỤ LỤC: DANH MỤC NHIỆM VỤ NĂM 2022\n\n- Giao dự toán thu năm 2022."))
    assert [b.heading for b in blocks] == [True, False]
    assert secs[1].heading == "PHỤ LỤC: DANH MỤC NHIỆM VỤ NĂM 2022"


def test_sections_pdf_one_line_paragraphs_at_the_indent_are_split() -> None:
    # both lines start at the first-line indent: the first was a one-line paragraph
    lines = [
        Line("Nội dung dòng đầu đủ rộng của đoạn trước, dòng này dài tới lề phải", x0=90, x1=540, origin="text"),
        Line("và kết thúc ở dòng thứ hai ngắn.", x0=62, x1=300, origin="text"),
        Line("- Công an xã chủ trì bảo đảm an ninh, trật tự dịp khai giảng năm học mới.", x0=90, x1=538, origin="text"),
        Line("UBND xã thông báo để các bộ phận, các bản biết, thực hiện./.", x0=90, x1=420, origin="text"),
    ]
    assert [b.text for b in body_to_blocks(lines)][-2:] == [
        "Công an xã chủ trì bảo đảm an ninh, trật tự dịp khai giảng năm học mới.",
        "UBND xã thông báo để các bộ phận, các bản biết, thực hiện./.",
    ]


def test_sections_ocr_numbered_heading_without_bold_ends_before_a_capitalised_line() -> None:
    lines = [
        Line("1. Kết quả hoạt động trong tháng 5 năm 2024", x0=90, x1=380, origin="ocr"),
        Line("Thường trực và các Ban Hội đồng nhân dân huyện đã thực hiện tốt chương", x0=90, x1=540, origin="ocr"),
        Line("trình công tác tháng.", x0=62, x1=200, origin="ocr"),
    ]
    secs, blocks = body_to_sections(lines)
    assert [(b.text, b.heading) for b in blocks] == [
        ("Kết quả hoạt động trong tháng 5 năm 2024", True),
        ("Thường trực và các Ban Hội đồng nhân dân huyện đã thực hiện tốt chương trình công tác tháng.", False),
    ]


@pytest.mark.parametrize(
    ("origin", "prev_end", "dash_x0", "joined"),
    [
        ("text", "đồng chí Nguyễn Văn Thành", 57, True),  # a wrap before "- Phó Giám đốc Sở"
        ("ocr", "đồng chí Nguyễn Văn Thành", 58, True),
        ("text", "đồng chí Nguyễn Văn Thành;", 57, False),  # the line before ends a clause: a list
        ("text", "đồng chí Nguyễn Văn Thành", 85, False),  # at the indent: a bullet
    ],
)
def test_sections_dash_line_after_a_full_line_continues_the_paragraph(
    origin: str, prev_end: str, dash_x0: float, joined: bool
) -> None:
    lines = [
        Line("Sáng ngày 14/3/2025, tại Phòng họp số 2, Sở Nông nghiệp và Môi trường tỉnh", x0=85, x1=510, origin=origin),
        Line(f"Sơn La tổ chức họp giao ban tháng 02/2025 dưới sự chủ trì của {prev_end}", x0=57, x1=510, origin=origin),
        Line("- Phó Giám đốc Sở; tham dự có lãnh đạo các phòng, đơn vị thuộc Sở.", x0=dash_x0, x1=470, origin=origin),
    ]
    blocks = body_to_blocks(lines)
    assert len(blocks) == (1 if joined else 2)
    if joined:
        assert "Nguyễn Văn Thành - Phó Giám đốc Sở; tham dự" in blocks[0].text
    else:
        assert blocks[1].text == "Phó Giám đốc Sở; tham dự có lãnh đạo các phòng, đơn vị thuộc Sở."


# fmt: off
@pytest.mark.parametrize(("second", "third", "numbering"), [
    ("H. TỒN TẠI, HẠN CHẾ", "HI. NHIỆM VỤ NĂM 2025", ["I.", "II.", "III."]),  # OCR misreadings
    ("II. TỒN TẠI, HẠN CHẾ", "IIl. NHIỆM VỤ NĂM 2025", ["I.", "II.", "III."]),
    ("II. TỒN TẠI, HẠN CHẾ", "III. NHIỆM VỤ NĂM 2025", ["I.", "II.", "III."]),  # read right: unchanged
])
# fmt: on
def test_sections_roman_numerals_misread_by_ocr(second: str, third: str, numbering: list[str]) -> None:
    lines = [Line(t, origin="ocr", gap_before=True) for t in (
        "I. KẾT QUẢ CÔNG TÁC QUÝ I NĂM 2025", "Thu ngân sách trên địa bàn đạt 28% dự toán năm.",
        second, "Tiến độ giải phóng mặt bằng dự án đường ven biển còn chậm.",
        third, "Sở Xây dựng đôn đốc nhà thầu đẩy nhanh tiến độ thi công.",
    )]  # fmt: skip
    sections, blocks = body_to_sections(lines)
    assert [s.numbering for s in sections[1:]] == numbering
    assert [s.category for s in sections[1:]] == ["result", "limitation", "task"]
    assert [s.heading for s in sections[1:]][1:] == ["TỒN TẠI, HẠN CHẾ", "NHIỆM VỤ NĂM 2025"]


def test_sections_lettered_headings_keep_their_h() -> None:
    """A document lettered A.-H. keeps "H." as a letter: the misreading applies only after roman numerals."""
    texts = [f"{c}. {h}" for c, h in zip("ABCDEFGH", (
        "KHÁM BỆNH", "ĐIỀU TRỊ NỘI TRÚ", "DƯỢC", "XÉT NGHIỆM", "CHẨN ĐOÁN HÌNH ẢNH", "KIỂM SOÁT NHIỄM KHUẨN",
        "DINH DƯỠNG", "HẠN CHẾ CHUNG"), strict=True)]  # fmt: skip
    lines = [Line(t, origin="ocr", gap_before=True) for t in ["I. KẾT QUẢ HOẠT ĐỘNG", *texts]]
    sections, _ = body_to_sections(lines)
    assert sections[-1].numbering == "H."


# --- issue 17: real documents ---

# fmt: off
@pytest.mark.parametrize("heading,category", [
    ("1. Đánh giá chung", "mixed"),           # results, and shortcomings where worded so
    ("I. NHẬN XÉT, ĐÁNH GIÁ", "mixed"),
    ("II. KẾT QUẢ THANH TRA", "mixed"),        # an inspection's findings: done right and violations
    ("1. Những nội dung thực hiện đúng quy định", "result"),
    ("2. Những tồn tại, sai phạm", "limitation"),
    ("III. KIẾN NGHỊ BIỆN PHÁP XỬ LÝ SAI PHẠM", "task"),  # the violation is what the task fixes
    ("Giải pháp khắc phục những hạn chế", "task"),
    ("Hạn chế và giải pháp khắc phục", "mixed"),
])
# fmt: on
def test_sections_assessment_and_inspection_headings(heading: str, category: str) -> None:
    assert section_category(heading) == category


# fmt: off
@pytest.mark.parametrize("text,numbered_heading", [
    ("4. Về kinh phí sự nghiệp môi trường năm 2025\nSở Tài chính tham mưu bố trí kinh phí.", True),
    ("6. Các phòng, ban chuyên môn; UBND các xã, thị trấn\nChủ động rà soát hồ sơ tồn đọng.", True),
    ("2. Hoàn thành kiểm kê đất đai năm 2024.\nSở Tài chính tham mưu bố trí kinh phí.", False),
])
# fmt: on
def test_sections_short_numbered_line_over_a_paragraph_is_a_heading(text: str, numbered_heading: bool) -> None:
    _, blocks = body_to_sections(text_lines(text.replace("\n", "\n\n")))
    assert blocks[0].heading is numbered_heading and not blocks[1].heading


def test_sections_a_lead_in_opens_a_section_that_the_next_heading_closes() -> None:
    sections, blocks = body_to_sections(text_lines(
        "II. NHIỆM VỤ TRỌNG TÂM\n1. Về cải cách hành chính\n"
        "Giao Văn phòng HĐND và UBND huyện chủ trì, phối hợp với các đơn vị:\n"
        "a) Rà soát quy trình nội bộ giải quyết thủ tục hành chính.\nb) Công khai thủ tục hành chính.\n"
        "Giao Phòng Nội vụ:\na) Tổ chức đánh giá chỉ số cải cách hành chính.\n"
        "2. Về chuyển đổi số\nc) Triển khai chữ ký số cho công chức cấp xã.\n"
    ))
    by_id = {s.section_id: s for s in sections}
    leads = [s for s in sections if s.heading.startswith("Giao")]
    assert [by_id[s.parent_id].heading for s in leads] == ["Về cải cách hành chính"] * 2  # siblings, not nested
    last = next(b for b in blocks if b.text.startswith("Triển khai chữ ký số"))
    assert by_id[last.section_id].heading == "Về chuyển đổi số"


def test_sections_framing_lead_in_is_not_a_heading() -> None:
    _, blocks = body_to_sections(text_lines(
        "Sau khi nghe báo cáo, đồng chí Chủ tịch UBND huyện kết luận như sau:\n- Giao Phòng Tư pháp rà soát văn bản.\n"
    ))
    assert not blocks[0].heading


def test_sections_long_lettered_lead_in_is_a_heading() -> None:
    lead = ("d) Đối với việc thi công tại 03 vị trí: nút giao Quốc lộ 20 tại Km12+400, cầu Đại Nga và đoạn"
            " qua thị trấn Di Linh từ Km0+000 đến Km2+350 thuộc dự án đường tránh phía Đông (giai đoạn 2):")
    _, blocks = body_to_sections(text_lines(lead + "\nĐề nghị nhà đầu tư huy động đủ nhân lực, thiết bị."))
    assert len(blocks[0].text) > 160 and blocks[0].heading


# fmt: off
@pytest.mark.parametrize("text,style,marker", [
    ("2x1, Các tồn tại, hạn chế", "arabic2", "2x1,"),   # OCR of "2.1."
    ("2,1. Các nguyên nhân", "arabic2", "2,1."),
    ("2,5 tỷ đồng đã được giải ngân.", "", ""),
])
# fmt: on
def test_sections_arabic_marker_misread_by_ocr(text: str, style: str, marker: str) -> None:
    assert split_marker(text)[:2] == (style, marker)


def test_sections_ocr_speck_between_lines_does_not_break_a_paragraph() -> None:
    lines = [Line(t, origin="ocr") for t in (
        "- Tích cực chỉ đạo ban hành văn bản hướng dẫn tạo điều kiện cho các thôn triển khai", "|",
        "thực hiện, đồng thời thường xuyên theo dõi, kiểm tra.",
    )]  # fmt: skip
    texts = [b.text for b in body_to_blocks(lines)]
    assert texts == ["Tích cực chỉ đạo ban hành văn bản hướng dẫn tạo điều kiện cho các thôn triển khai"
                     " thực hiện, đồng thời thường xuyên theo dõi, kiểm tra."]


# fmt: off
@pytest.mark.parametrize("heading,category", [
    # a chair's acknowledgment announces results, even where it names the tasks that were done
    ("1. Giám đốc Sở ghi nhận sự nỗ lực của các phòng, đơn vị trong tháng đầu năm; nổi bật là:", "result"),
    ("Giám đốc Sở đánh giá cao các phòng, đơn vị đã hoàn thành các nhiệm vụ được giao; trong đó:", "result"),
    ("Giám đốc Sở ghi nhận toàn ngành đã kết thúc năm học an toàn, đúng kế hoạch; nổi bật là:", "result"),
    ("Chủ tịch UBND huyện biểu dương các xã đã hoàn thành tốt nhiệm vụ:", "result"),
    ("Giám đốc Sở ghi nhận:", "result"),
    ("Đạt được một số kết quả nổi bật:", "result"),
    # a task word outside what was done keeps the lead-in a task one
    ("Để thực hiện tốt nhiệm vụ tháng 3/2022, Giám đốc Sở yêu cầu:", "task"),
    ("Để hoàn thành nhiệm vụ năm 2024, yêu cầu các phòng, ban:", "task"),
    # a directive verb opening or closing a lead-in announces tasks
    ("Giao Sở Tài chính:", "task"),
    ("Giao Sở Nội vụ chủ trì, phối hợp với các cơ quan, đơn vị liên quan:", "task"),
    ("Chủ tịch UBND huyện đề nghị:", "task"),
    ("Giao ban tháng 5", "other"),
    ("Bên cạnh đó, Giám đốc Sở chỉ rõ một số tồn tại, hạn chế cần sớm khắc phục:", "limitation"),
    ("Khó khăn, vướng mắc:", "limitation"),
])
# fmt: on
def test_sections_lead_in_verbs_name_the_category(heading: str, category: str) -> None:
    assert section_category(heading) == category
    assert section_category(unicodedata.normalize("NFD", heading)) == category


def test_sections_ocr_comma_after_a_two_level_number_is_still_a_marker() -> None:
    assert split_marker("2.1, Các tồn tại, hạn chế") == ("arabic2", "2.1,", "Các tồn tại, hạn chế")


@pytest.mark.parametrize(
    ("cue", "key", "found"),
    [
        ("hạn chế", "những hạn chế cần chú ý", True),
        ("hạn chế", "hạn chếch", False),  # part of a longer word
        ("nhiệm vụ", "nhiệm vụ, giải pháp", True),
        ("tồn tại", "1.tồn tại", True),  # a marker glued to the word
    ],
)
def test_sections_whole_word_cue(cue: str, key: str, found: bool) -> None:
    assert bool(whole_word(cue).search(key)) is found


@pytest.mark.parametrize(
    ("heading", "by_last", "categories"),
    [
        ("Những hạn chế cần chú ý và nhiệm vụ cần tập trung trong tháng 6/2020", False, ["limitation", "task"]),
        ("Nhiệm vụ khắc phục những hạn chế", False, ["task"]),  # the shortcoming is what the task fixes
        ("Kết quả, hạn chế và kết quả đạt được", False, ["result", "limitation"]),
        ("Kết quả, hạn chế và kết quả đạt được", True, ["limitation", "result"]),  # by the last mention
        ("KẾT QUẢ THỰC HIỆN NHIỆM VỤ QUÝ II NĂM 2024", False, ["result"]),
        ("I. ĐÁNH GIÁ CHUNG", False, ["result", "limitation"]),
    ],
)
def test_sections_heading_categories_in_order(heading: str, by_last: bool, categories: list[str]) -> None:
    assert heading_categories(heading, by_last=by_last) == categories


@pytest.mark.parametrize(
    ("lead", "first", "is_lead", "category"),
    [
        ("Bên cạnh kết quả đạt được, công tác thuế còn một số tồn tại, hạn chế.",
         "Thứ nhất, số tiền thuế nợ đến cuối tháng 2 là 95 tỷ đồng, tăng 7% so với cuối năm 2020.", True, "limitation"),
        ("Tuy nhiên, việc thực hiện nhiệm vụ vẫn còn những hạn chế.",
         "Một là, việc giải quyết hồ sơ đất đai còn chậm, có 12 hồ sơ quá hạn.", True, "limitation"),
        # NFD input (a Word draft's decomposed tones) reads the same
        (unicodedata.normalize("NFD", "Bên cạnh kết quả đạt được, công tác thuế còn một số tồn tại, hạn chế."),
         unicodedata.normalize("NFD", "Thứ nhất, hồ sơ hoàn thuế còn tồn đọng."), True, "limitation"),
        # no ordinal point after it: the sentence is an item of its own section
        ("Công tác thu ngân sách còn một số tồn tại, hạn chế.",
         "Số tiền thuế nợ đến cuối tháng 2 là 95 tỷ đồng.", False, ""),
        # an ordinal point after a sentence naming no category: no lead-in
        ("Năm 2021 là năm đầu thực hiện kế hoạch 5 năm.",
         "Thứ nhất, tổng thu ngân sách đạt 412 tỷ đồng.", False, ""),
    ],
)  # fmt: skip
def test_sections_sentence_lead_in_before_ordinal_points(lead: str, first: str, is_lead: bool, category: str) -> None:
    sections, blocks = body_to_sections(text_lines(
        f"I. ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN\n\nTổng thu ngân sách tháng 2 đạt 412 tỷ đồng.\n\n{lead}\n\n{first}\n\n"
        "Thứ hai, việc giải quyết hồ sơ hoàn thuế còn chậm.\n\nII. NHIỆM VỤ TRỌNG TÂM\n\n"
        "1. Tập trung đôn đốc thu hồi nợ thuế.\n"
    ))  # fmt: skip
    by_id = {s.section_id: s for s in sections}
    lead_block = blocks[2]
    assert lead_block.heading is is_lead
    points = [b for b in blocks if b.text.startswith(("Thứ", "Một là", "Số tiền"))]
    if is_lead:
        assert [by_id[b.section_id].category for b in points] == [category] * len(points)
        task = next(b for b in blocks if b.text.startswith("Tập trung"))
        assert by_id[task.section_id].category == "task"  # the next heading closes the lead-in
    else:
        assert {by_id[b.section_id].heading for b in points} == {"ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN"}


@pytest.mark.parametrize(
    ("text", "shortcoming"),
    [
        ("Khu điều trị tầng 3 đã đưa vào sử dụng với 24 giường; Khoa Nội tổng hợp không còn người bệnh nằm ghép.", False),
        (unicodedata.normalize("NFD", "Đến nay không còn hồ sơ giải quyết quá hạn."), False),
        ("Không có công chức vi phạm kỷ luật.", False),
        # the denial covers its own clause only
        ("Không còn hồ sơ quá hạn, song việc số hóa hồ sơ còn chậm.", True),
        ("Trong kho còn 18 khoản thuốc cận hạn sử dụng, chưa có kế hoạch sử dụng.", True),
    ],
)  # fmt: skip
def test_sections_denied_shortcoming_is_not_stated(text: str, shortcoming: bool) -> None:
    assert states_shortcoming(text) is shortcoming
