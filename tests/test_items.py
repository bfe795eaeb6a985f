"""Items stage: cutting paragraphs into items and giving each its category."""

from __future__ import annotations

import pytest

from ketluan.config import Settings
from ketluan.items import find_deadline, sections_to_items, split_block, wording_category
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
