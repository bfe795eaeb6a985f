"""Items stage, roles: what part a paragraph plays where its heading leaves it open.

Reads the text of one paragraph (and the cue words of data/rules/categories.json and items.json);
returns whether a turn to a shortcoming is only its closing remark, and whether a lead-in closes on
the list of who attended. It never cuts text nor reads the outline.
"""

from __future__ import annotations

import re

from .cues import category_cues, states_shortcoming
from .item_cuts import item_cues
from .text.canonical import tone_key

# ANNOTATION.md rule 2 gives a paragraph one category, its dominant one: a turn that takes up less
# than this share of it closes a review of what was done ("…; tuy vậy, tỷ lệ hộ nghèo vẫn ở mức cao").
MINOR_TURN_SHARE = 1 / 3
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
