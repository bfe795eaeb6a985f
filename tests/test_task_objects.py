"""What a task asks for (pipeline/task_objects.py): the task text without its numbering and addressing."""

from __future__ import annotations

import unicodedata

import pandas as pd
import pytest

from ketluan.task_objects import compared_texts, task_object


# fmt: off
@pytest.mark.parametrize(("text", "expected"), [
    # a paragraph numbered in words ("Thứ nhất, …", "Một là, …") before its addressing
    ("Thứ tư, Phòng Quản lý thu chủ trì, phối hợp Cục Thuế tỉnh đối chiếu số lao động của doanh nghiệp.",
     "đối chiếu số lao động của doanh nghiệp."),
    ("Thứ nhất, Phòng Khai thác và thu nợ chủ trì, phối hợp BHXH các huyện, thành phố lập danh sách các đơn vị nợ.",
     "lập danh sách các đơn vị nợ."),
    ("Một là, Văn phòng Sở rà soát toàn bộ hồ sơ quá hạn.", "rà soát toàn bộ hồ sơ quá hạn."),
    (unicodedata.normalize("NFD", "Thứ hai, Phòng Truyền thông chủ trì tổ chức 20 hội nghị đối thoại."),
     "tổ chức 20 hội nghị đối thoại."),
    # the social-insurance office and the treasury are bodies that open an addressing
    ("Thứ tư, BHXH các huyện, thành phố tập trung khai thác người tham gia BHXH tự nguyện.",
     "khai thác người tham gia BHXH tự nguyện."),
    ("Giao Bảo hiểm xã hội huyện chủ trì, phối hợp UBND các xã, thị trấn vận động hộ gia đình mua thẻ bảo hiểm y tế.",
     "vận động hộ gia đình mua thẻ bảo hiểm y tế."),
    # "thứ" not numbering a paragraph stays
    ("Rà soát thứ tự ưu tiên các dự án, trình UBND tỉnh.", "Rà soát thứ tự ưu tiên các dự án, trình UBND tỉnh."),
])
# fmt: on
def test_task_objects_numbering_and_addressing_dropped(text: str, expected: str) -> None:
    assert task_object(text) == expected


def test_task_objects_compared_texts_keep_other_items() -> None:
    items = pd.DataFrame({
        "category": ["limitation", "task"],
        "text": ["Thứ nhất, công tác thu hồi nợ chuyển biến chậm.", "Thứ nhất, Phòng Khai thác và thu nợ lập danh sách các đơn vị nợ."],
    })  # fmt: skip
    assert compared_texts(items) == ["Thứ nhất, công tác thu hồi nợ chuyển biến chậm.", "lập danh sách các đơn vị nợ."]
