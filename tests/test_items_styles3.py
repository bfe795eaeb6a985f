"""Items through the whole run on documents in the styles of the fresh series (engineer B2).

Each tests/data/item_styles3/text/<stem>.txt (fictional, Nghị định 30/2020/NĐ-CP layout) has its items as
ANNOTATION.md gives them in gold/<stem>.json; the pipeline must cut and categorise them the same. The
documents of tests/data/item_styles3_check/ were written before the rules and never tuned on: their
figure is held at what the rules reach, not asserted item by item. The unit cases pin each rule alone.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from test_items_styles import CATS, pair_items

from ketluan.api import process
from ketluan.config import Settings
from ketluan.cues import bare_label, heading_categories, states_shortcoming
from ketluan.item_cuts import split_block
from ketluan.items import sections_to_items
from ketluan.records import Block, Fields
from ketluan.sections import body_to_sections

from conftest import text_lines

DATA = Path(__file__).parent / "data"
TUNE = DATA / "item_styles3"
CHECK = DATA / "item_styles3_check"
CONCLUSION = Fields(is_conclusion=True, issue_date="2021-09-09")


def _problems(folder: Path, stem: str) -> tuple[list[str], int]:
    gold = json.loads((folder / "gold" / f"{stem}.json").read_text(encoding="utf-8"))["items"]
    doc = process(folder / "text" / f"{stem}.txt")
    pred = [(i.category, i.text) for i in doc.items if i.category in CATS]
    scored = [g for g in gold if g["category"] in CATS]
    return pair_items(scored, pred), len(scored)


@pytest.mark.parametrize("stem", sorted(p.stem for p in (TUNE / "gold").glob("*.json")))
def test_items_styles3_documents_match_their_annotation(stem: str) -> None:
    assert _problems(TUNE, stem)[0] == []


def test_items_styles3_check_documents_stay_at_their_figure() -> None:
    stems = sorted(p.stem for p in (CHECK / "gold").glob("*.json"))
    wrong = total = 0
    for stem in stems:
        problems, n = _problems(CHECK, stem)
        wrong += len(problems)
        total += n
    assert len(stems) == 3
    assert wrong <= CHECK_WRONG, f"{wrong} differences over {total} gold items"


CHECK_WRONG = 0  # differences left on the check set (item missing, extra, or in another category)


# fmt: off
@pytest.mark.parametrize(("head", "tail", "category"), [
    # a bare category noun before a sentence of its own labels one statement (rule 2, rule 6)
    ("Tồn tại", "Tổ COVID cộng đồng chưa nắm chắc 14 hộ; có 05 người không có mặt.", "limitation"),
    ("Hạn chế", "16 hộ dân tiếp tục khiếu nại; việc giải quyết đã quá thời hạn.", "limitation"),
    ("Khó khăn, vướng mắc", "Giá phân bón tăng cao; hợp tác xã chưa ký hợp đồng.", "limitation"),
    ("Nguyên nhân", "Kinh phí được giao thấp; mưa lớn kéo dài.", "cause"),
    (unicodedata.normalize("NFD", "Tồn tại"), unicodedata.normalize("NFD", "Đường chưa xong; cầu chậm."), "limitation"),
    # a lead-in with a quantifier, a verb or a name, or a list that goes on in lower case, is no label
    ("còn các hạn chế", "Thu thuế đạt thấp; hồ sơ còn sai sót.", ""),
    ("Một số tồn tại", "Thu thuế đạt thấp; hồ sơ còn sai sót.", ""),
    ("Những hạn chế sau", "Thu thuế đạt thấp; hồ sơ còn sai sót.", ""),
    ("Nguyên nhân", "định mức biên chế chưa tương xứng; thu nhập còn thấp.", ""),
    ("Hạn chế và nguyên nhân", "Thu thuế đạt thấp; do dịch bệnh.", ""),
    ("Về quốc phòn", "An ninh được giữ vững; đã đối thoại 9 hộ.", ""),
])
# fmt: on
def test_items_styles3_a_bare_category_noun_labels_one_statement(head: str, tail: str, category: str) -> None:
    assert bare_label(head, tail) == category


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Tồn tại: Tổ COVID cộng đồng tại xã Ea Kly chưa nắm chắc 14 hộ có người theo dõi sức khỏe tại nhà;"
            " qua kiểm tra đột xuất, có 05 người không có mặt tại nơi ở.",
            [("limitation", 2)],
        ),
        ("còn các hạn chế: thu thuế đạt thấp; hồ sơ còn sai sót.", [("limitation", 0), ("limitation", 0)]),
        (
            "Trong tháng còn một số việc chưa đạt yêu cầu: người dân vẫn nộp hồ sơ trực tiếp; giấy tờ gửi"
            " qua bưu điện muộn hơn ngày hẹn; việc phát ngôn còn chậm.",
            [("limitation", 0)] * 3,
        ),
    ],
)
def test_items_styles3_cut_after_a_label_or_a_lead_in(text: str, expected: list[tuple[str, int]]) -> None:
    pieces = split_block(Block(text))
    assert [(p.lead[0] if p.lead else "", p.text.count(";") + p.text.count(":")) for p in pieces] == [
        (c, n) for c, n in expected
    ]


def test_items_styles3_labelled_bullet_takes_its_label_category() -> None:
    piece = split_block(Block("Khó khăn: Giá phân bón tăng cao; hợp tác xã chưa ký hợp đồng.", marker="-", style="dash"))
    assert [(p.topic, p.lead, p.text) for p in piece] == [
        ("Khó khăn", ("limitation",), "Giá phân bón tăng cao; hợp tác xã chưa ký hợp đồng.")
    ]


@pytest.mark.parametrize(
    ("head", "cats"),
    [
        ("Trong tháng còn một số việc chưa đạt yêu cầu", ["limitation"]),
        ("Việc quản lý bảo trì đường bộ chưa đáp ứng yêu cầu", ["limitation"]),
        ("Yêu cầu các phòng tập trung thực hiện", ["task"]),
        ("Những hạn chế và yêu cầu đặt ra", ["limitation", "task"]),
    ],
)
def test_items_styles3_a_requirement_not_met_is_no_request(head: str, cats: list[str]) -> None:
    assert heading_categories(head) == cats


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Song, vào các ngày lễ, rác thải tại bến thuyền không được thu gom kịp thời.", True),
        ("Nhưng, tại một số chợ nông thôn, hàng hóa không rõ nguồn gốc không được kiểm soát chặt chẽ.", True),
        # "còn lại" is the rest, no shortcoming still held; a check done jointly is what was handled
        ("Đã tiêm cho 1.240 trẻ, các xã còn lại sẽ tiêm trong tháng 6.", False),
        (
            "Thanh tra Sở đã phối hợp kiểm tra 12/43 cơ sở, nhắc nhở 04 cơ sở chưa niêm yết giá; việc kiểm tra"
            " tại các điểm còn lại sẽ tiếp tục thực hiện trong tháng 3.",
            False,
        ),
        ("Song song với đó, Sở đã tổ chức 3 lớp tập huấn.", False),
    ],
)
def test_items_styles3_assessment_turns_and_the_rest(text: str, expected: bool) -> None:
    assert states_shortcoming(text) is expected


def _items(text: str) -> list[tuple[str, str]]:
    sections, blocks = body_to_sections(text_lines(text))
    items = sections_to_items(sections, blocks, CONCLUSION, Settings(textcat=False))
    return [(i.category, i.text[:12]) for i in items if i.category != "other"]


LABELLED = (
    "I. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ THÁNG 8 NĂM 2021\n\n"
    "Về kinh tế: Các địa phương đã thu hoạch 2.140 ha lúa Hè Thu; thu ngân sách đạt 67,8% dự toán.\n"
    "Tồn tại: Tổ COVID cộng đồng chưa nắm chắc 14 hộ; qua kiểm tra, có 05 người không có mặt tại nơi ở.\n"
    "Về quốc phòng - an ninh, nội chính: An ninh nông thôn được giữ vững; Thanh tra huyện đã đối thoại với"
    " 9/16 hộ dân, các hộ còn lại chưa thống nhất với phương án giải quyết.\n"
    "Về văn hóa - xã hội: Tuy nhiên, tỷ lệ tiêm vắc xin mũi 2 còn thấp.\n"
)


def test_items_styles3_field_paragraphs_beside_labelled_shortcomings_are_results() -> None:
    assert _items(LABELLED) == [
        ("result", "Về kinh tế: "),
        ("limitation", "Tồn tại: Tổ "),
        ("result", "Về quốc phòn"),
        ("limitation", "Về văn hóa -"),
    ]
    # without a labelled shortcoming beside it, the assessment reads each paragraph's own words
    plain = LABELLED.replace("Tồn tại: ", "")
    assert _items(plain)[2][0] == "limitation"


def test_items_styles3_an_additive_opening_continues_the_turn() -> None:
    text = (
        "1. Đánh giá chung\n"
        "Thư viện tỉnh luân chuyển 3.200 bản sách về 12 điểm bưu điện văn hóa xã.\n"
        "Tuy vậy, nhiều hạng mục hư hỏng tại các di tích vẫn chưa được sửa chữa.\n"
        "Ngoài ra, một số điểm kinh doanh trò chơi điện tử mở cửa sau 22 giờ, thu hút học sinh.\n"
        "2. Nhiệm vụ thời gian tới\n"
        "a) Phòng Quản lý Du lịch: Kiểm tra các điểm kinh doanh trò chơi điện tử.\n"
    )
    assert [c for c, _ in _items(text)] == ["result", "limitation", "limitation", "task"]
    before = text.replace("Tuy vậy, nhiều hạng mục hư hỏng tại các di tích vẫn chưa được sửa chữa.\n", "")
    assert [c for c, _ in _items(before)] == ["result", "result", "task"]


def test_items_styles3_labels_without_headings_keep_the_intro_and_the_tasks() -> None:
    text = (
        "Ngày 05/6/2023, đồng chí Chủ tịch UBND xã chủ trì cuộc họp giao ban tháng 5/2023.\n\n"
        "Về kinh tế: Nông dân đã xuống giống 420 ha lúa; các hộ còn lại chưa xuống giống do thiếu nước.\n\n"
        "Hạn chế: Thu ngân sách mới đạt 31% dự toán; 12 hộ chưa nộp thuế sử dụng đất.\n\n"
        "Giao công chức Địa chính rà soát các hộ chưa nộp thuế, báo cáo trước ngày 20/6/2023.\n"
    )
    sections, blocks = body_to_sections(text_lines(text))
    items = sections_to_items(sections, blocks, CONCLUSION, Settings(textcat=False))
    assert [(i.category, i.text[:10]) for i in items] == [
        ("other", "Ngày 05/6/"),
        ("result", "Về kinh tế"),
        ("limitation", "Hạn chế: T"),
        ("task", "Giao công "),
    ]
