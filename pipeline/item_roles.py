"""Items stage, roles: what part a paragraph plays where its heading leaves it open.

Reads paragraphs, the outline and the cue words of data/rules/categories.json and items.json; returns
the meeting intro, the review before the tasks, closing turns, directives and attendance lead-ins.
It never cuts text nor decides a category.
"""

from __future__ import annotations

import re

from .cues import category_cues, states_shortcoming
from .item_cuts import item_cues
from .records import Block, Section
from .text.canonical import tone_key

# ANNOTATION.md rule 2 gives a paragraph one category, its dominant one: a turn that takes up less
# than this share of it closes a review of what was done ("…; tuy vậy, tỷ lệ hộ nghèo vẫn ở mức cao").
MINOR_TURN_SHARE = 1 / 3
# Under a results heading the turn must carry most of the paragraph to make it a shortcoming: "Công tác
# thanh toán … được thực hiện kịp thời, tỷ lệ … giảm còn 1,2%; tuy vậy vẫn còn một số hồ sơ bị xuất toán …"
# stays a result (its achievements weigh as much as the turn)
MAJOR_TURN_SHARE = 1 / 2
# The last sentence of a paragraph: "… về kết quả 6 tháng đầu năm. Cùng dự có các đồng chí:"
LAST_SENTENCE = re.compile(r"(?:^|[.!?]\s+)([^.!?]*)$")


def minor_turn(text: str) -> bool:
    """A paragraph of an assessment that reports what was done and only closes on a turn to what is
    lacking: the words before the turn state no shortcoming and make up most of it, so it is one item
    of its dominant category, a result (ANNOTATION.md rule 2), unlike "Các Đội đã kiểm tra 126 vụ;
    dẫu vậy, tình trạng buôn bán hàng giả diễn biến phức tạp", whose turn carries its point.

    Examples:
        >>> minor_turn("Sáu tháng đầu năm 2023, Ban Thường vụ Huyện ủy đã lãnh đạo, chỉ đạo thực hiện khá toàn"
        ...            " diện các nhiệm vụ chính trị. Kinh tế tiếp tục tăng trưởng, tốc độ tăng giá trị sản xuất"
        ...            " ước đạt 8,2%, doanh thu du lịch ước đạt 310 tỷ đồng; tuy vậy, tỷ lệ hộ nghèo vẫn ở mức cao.")
        True
        >>> minor_turn("Các Đội đã kiểm tra 126 vụ; dẫu vậy, tình trạng buôn bán hàng giả diễn biến phức tạp.")
        False
        >>> minor_turn("Tuy nhiên, tiến độ giải phóng mặt bằng còn chậm.")
        False
    """
    key = tone_key(text)
    starts = [m.start() for p in category_cues().wording["turn"] for m in p.finditer(key)]
    if not starts:
        return False
    at = min(starts)
    before = key[:at]
    return len(key) - at <= MINOR_TURN_SHARE * len(key) and not states_shortcoming(before)


def major_turn(text: str) -> bool:
    """A paragraph that turns midway from what was done to a shortcoming that still holds, the turn
    taking up most of it: its point is what is lacking, a limitation even under a results heading
    (ANNOTATION.md rule 2: one item, its dominant category).

    Examples:
        >>> major_turn("Việc theo dõi thu nộp tiền sử dụng đất đã có quy chế phối hợp, song trong thực tế việc"
        ...            " luân chuyển hồ sơ ở cấp huyện vẫn còn chậm, có hồ sơ kéo dài trên 30 ngày.")
        True
        >>> major_turn("Công tác thanh toán bảo hiểm y tế được thực hiện kịp thời, tỷ lệ chi phí bị từ chối giám"
        ...            " định giảm còn 1,2%; tuy vậy vẫn còn một số hồ sơ bị xuất toán do chỉ định chưa phù hợp.")
        False
    """
    key = tone_key(text)
    cc = category_cues()
    starts = [m.start() for p in cc.wording["turn"] for m in p.finditer(key)]
    if not starts or len(key) - min(starts) <= MAJOR_TURN_SHARE * len(key):
        return False
    after = key[min(starts) :]
    return bool(cc.outright and cc.outright.search(after)) and states_shortcoming(after)


def closes_on_attendance(text: str) -> bool:
    """A paragraph of the meeting intro whose last sentence introduces who attended ("Cùng dự có các
    đồng chí:", "Tham dự cuộc họp có:"): the list after its colon is part of the intro (ANNOTATION.md
    `other`), and its colon opens no conclusions.

    Examples:
        >>> closes_on_attendance("Ngày 25/7/2023, đồng chí Bí thư Tỉnh ủy làm việc với Ban Thường vụ Huyện ủy"
        ...                      " về kết quả lãnh đạo, chỉ đạo 6 tháng đầu năm 2023. Cùng dự có các đồng chí:")
        True
        >>> closes_on_attendance("Sau khi nghe báo cáo, đồng chí Bí thư Tỉnh ủy kết luận như sau:")
        False
    """
    key = tone_key(text).rstrip()
    if not key.endswith(":"):
        return False
    m = LAST_SENTENCE.search(key.rstrip(":"))
    return bool(m and item_cues().attendance.search(m.group(1).strip()))


def is_directive(text: str) -> bool:
    """An item that opens with a directive ("Giao", "Đề nghị", "Yêu cầu", "Tiếp tục" …).

    Examples:
        >>> is_directive("Giao Phòng Văn hóa chủ trì tổ chức hội nghị tổng kết.")
        True
        >>> is_directive("Thực hiện Kế hoạch số 12/KH-UBND, ngày 05/3/2025 UBND huyện họp giao ban.")
        False
    """
    key = tone_key(text)
    return any(p.search(key) for p in category_cues().wording["directive"])


def section_chain(sections: dict[str, Section], section_id: str) -> list[Section]:
    """The sections that hold a section, nearest first, up to the root ("1." under "I." under s0)."""
    chain = []
    sid = section_id
    while sid and sid in sections:
        chain.append(sections[sid])
        sid = sections[sid].parent_id
    return chain


def before_tasks(sections: list[Section], piece_blocks: list[Block], blocks: list[Block]) -> set[int]:
    """Pieces (by index) that come before the heading or lead-in of the document's tasks ("Chủ tịch UBND
    phường giao:", "II. CHỈ ĐẠO", "2. Nhiệm vụ tháng 4/2021") in the section that holds it or one above
    it: a conclusion reviews the period before it sets tasks (Nghị định 30/2020, Phụ lục I: the body's
    order), so what precedes them is review, not a task, unless it asks.

    Examples:
        >>> secs = [Section("s0", "", 0, 0, "", "", "other"),
        ...         Section("s1", "s0", 1, 1, "", "Chủ tịch UBND phường giao", "task")]
        >>> blocks = [Block("Hoàn thành giao 19/19 thanh niên nhập ngũ.", section_id="s0"),
        ...           Block("Chủ tịch UBND phường giao:", section_id="s1", heading=True),
        ...           Block("Lập hồ sơ vi phạm đối với 02 công trình.", section_id="s1")]
        >>> sorted(before_tasks(secs, [blocks[0], blocks[2]], blocks))
        [0]
    """
    by_id = {s.section_id: s for s in sections}
    topic = item_cues().topic_start
    tasks = [
        s for s in sections if s.category == "task" and s.parent_id and not topic.match(tone_key(s.heading))
    ]
    ahead = before_directives(piece_blocks)
    if not tasks:
        return ahead
    first = tasks[0]
    at = {id(b): k for k, b in enumerate(blocks)}
    start = next((k for k, b in enumerate(blocks) if b.heading and b.section_id == first.section_id), -1)
    if start < 0:
        return set()
    out: set[int] = set()
    for n, b in enumerate(piece_blocks):
        chain = {s.section_id for s in section_chain(by_id, b.section_id)}
        if at.get(id(b), len(blocks)) < start and first.parent_id in chain:
            out.add(n)
    return out | ahead


def before_directives(piece_blocks: list[Block]) -> set[int]:
    """Plain paragraphs (by index) that come before the bullets of their section opening with a directive
    ("1. Về trật tự đô thị" / "Duy trì 14 tuyến đường văn minh đô thị; xử lý 211 trường hợp …" /
    "- Giao Ủy ban nhân dân các phường tháo dỡ …"): the field of work is reviewed, then its tasks are
    set (Nghị định 30/2020, Phụ lục I: the body's order), so they are review, unless they ask.

    Examples:
        >>> blocks = [Block("Duy trì 14 tuyến đường văn minh đô thị; xử lý 211 trường hợp vi phạm.", section_id="s1"),
        ...           Block("Giao Ủy ban nhân dân các phường tháo dỡ bảng quảng cáo.", marker="-", style="dash",
        ...                 section_id="s1")]
        >>> sorted(before_directives(blocks))
        [0]
    """
    ask = category_cues().ask
    by_section: dict[str, list[int]] = {}
    for n, b in enumerate(piece_blocks):
        by_section.setdefault(b.section_id, []).append(n)
    out: set[int] = set()
    for members in by_section.values():
        marked = [n for n in members if piece_blocks[n].marker]
        asks = [n for n in marked if is_directive(piece_blocks[n].text)]
        if not asks:
            continue
        for n in members:
            b = piece_blocks[n]
            if n < asks[-1] and not (marked and marked[0] < n) and not b.marker and b.table_row is None:
                if not any(p.search(tone_key(b.text)) for p in ask):
                    out.add(n)
    return out


def opening_blocks(blocks: list[Block]) -> set[int]:
    """The meeting intro (ANNOTATION.md `other`): indices of the plain paragraphs before the first
    heading up to the lead-in that opens the conclusions ("… kết luận và chỉ đạo như sau:"); without
    such a lead-in, those that describe the meeting ("chủ trì", "tham dự", "họp").

    Examples:
        >>> blocks = [Block("Ngày 16/4/2026, đồng chí Phó Chủ tịch UBND tỉnh chủ trì buổi làm việc. Tham dự có"
        ...                 " lãnh đạo các sở, ngành: Tài chính; Nội vụ; Văn phòng UBND tỉnh.", section_id="s0"),
        ...           Block("Sau khi nghe báo cáo, đồng chí Phó Chủ tịch kết luận như sau:", section_id="s0"),
        ...           Block("Giao Sở Tài chính thẩm định dự toán.", marker="1.", style="arabic", section_id="s0")]
        >>> sorted(opening_blocks(blocks))
        [0, 1]
    """
    root: list[int] = []
    for k, b in enumerate(blocks):
        if b.section_id != "s0" or b.style or b.table_row is not None or b.heading:
            break
        root.append(k)
    cues = item_cues()
    first_directive = next((k for k in root if is_directive(blocks[k].text)), len(blocks))
    # "… Cùng dự có các đồng chí:" closes on who attended, not on the conclusions' lead-in
    ends = [k for k in root[:8] if blocks[k].text.endswith(":") and k < first_directive
            and not closes_on_attendance(blocks[k].text)]  # fmt: skip
    lead = next((k for k in ends if cues.opening_lead.search(blocks[k].text)), ends[0] if ends else -1)
    if lead >= 0:
        return set(root[: root.index(lead) + 1])
    out: set[int] = set()
    for k in root:
        listed = k - 1 in out and closes_on_attendance(blocks[k - 1].text)  # the list of who attended
        if not (listed or cues.intro.search(blocks[k].text)) or is_directive(blocks[k].text):
            break  # "Giao Phòng Văn hóa chủ trì tổ chức hội nghị …" is a task, not the intro
        out.add(k)
    return out
