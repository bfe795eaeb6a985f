"""Metadata read by the conventions of the blind real-style sets 28 and 29.

Each case is a convention those sets showed the metadata stage missing: the head's title under a
"TM." line is a line of its own (Nghị định 30/2020/NĐ-CP, Điều 13); a recipient channel whose
mark OCR changed ("Cống thông tin điện tử"); a purpose clause ("nhằm ...") after the meeting's
place; an annual conference named by the year it is held in reviews the year before; a period in
the trích yếu of a cited decision is that decision's, not the one reviewed.
"""

from __future__ import annotations

import pytest

from ketluan.metadata.meeting import read_meeting
from ketluan.metadata.period import read_period
from ketluan.metadata.recipient_words import mend_recipient_phrases
from ketluan.metadata.signer import read_recipients, read_signer
from ketluan.records import Fields, Line


# --- the head's title under a "TM." line is a title line of its own -------------------------------
@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            ["TM. HỘI ĐỒNG NHÂN DÂN", "CHỦ TỊCH", "Đinh Văn Sơn"],
            ("TM. HỘI ĐỒNG NHÂN DÂN / CHỦ TỊCH", "Đinh Văn Sơn"),
        ),
        (
            ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Trần Văn Khởi"],
            ("TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH", "Trần Văn Khởi"),
        ),
        (
            ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Văn Hùng"],
            ("TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH", "Lê Văn Hùng"),
        ),
        (
            ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC SỞ THÔNG TIN VÀ", "TRUYỀN THÔNG", "Nguyễn Văn Bình"],
            ("KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "Nguyễn Văn Bình"),
        ),
        (
            ["TUQ. CHỦ TỊCH", "TRƯỞNG PHÒNG QUẢN LÝ ĐÔ", "THỊ", "Bùi Đức Thịnh"],
            ("TUQ. CHỦ TỊCH / TRƯỞNG PHÒNG QUẢN LÝ ĐÔ THỊ", "Bùi Đức Thịnh"),
        ),
    ],
)
def test_metadata_conventions6_collective_head_title(lines: list[str], expected: tuple[str, str]) -> None:
    assert read_signer(lines) == expected


# --- a listed recipient phrase whose mark OCR changed ---------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- Cống thông tin điện tử Trung tâm;", "- Cổng thông tin điện tử Trung tâm;"),
        ("- Đăng Trang thông tin điện tư huyện;", "- Đăng Trang thông tin điện tử huyện;"),
        ("- CỐNG THÔNG TIN ĐIỆN TỬ TỈNH;", "- CỔNG THÔNG TIN ĐIỆN TỬ TỈNH;"),
        ("- Cổng thông tin điện tử tỉnh;", "- Cổng thông tin điện tử tỉnh;"),
        ("- Cống thoát nước khu phố 3;", "- Cống thoát nước khu phố 3;"),
        ("- Ban Giám hiêu (để b/c);", "- Ban Giám hiệu (để b/c);"),
    ],
)
def test_metadata_conventions6_recipient_phrase_marks(text: str, expected: str) -> None:
    assert mend_recipient_phrases(text) == expected


@pytest.mark.parametrize(
    ("origin", "expected"),
    [("ocr", "Cổng thông tin điện tử Trung tâm"), ("text", "Cống thông tin điện tử Trung tâm")],
)
def test_metadata_conventions6_recipient_phrase_only_on_ocr(origin: str, expected: str) -> None:
    lines = [
        Line("Nơi nhận:", origin=origin),
        Line("- Sở Y tế (để b/c);", origin=origin),
        Line("- Cống thông tin điện tử Trung tâm;", origin=origin),
        Line("- Lưu: VT, TCHC.", origin=origin),
    ]
    recipients, _ = read_recipients(lines)
    assert recipients == ["Sở Y tế (để b/c)", expected, "Lưu: VT, TCHC"]


# --- the place of a meeting ends at a purpose clause ----------------------------------------------
@pytest.mark.parametrize(
    ("opening", "location"),
    [
        (
            "Ngày 09/01/2025, Trường Đại học Quy Nhơn tổ chức Hội nghị viên chức, người lao động năm 2025 "
            "tại Hội trường A nhằm đánh giá kết quả thực hiện nhiệm vụ năm 2024.",
            "Hội trường A",
        ),
        (
            "Ngày 15/3/2024, UBND huyện tổ chức cuộc họp tại Phòng họp số 2 để triển khai kế hoạch phòng, "
            "chống hạn mặn.",
            "Phòng họp số 2",
        ),
    ],
)
def test_metadata_conventions6_location_before_purpose(opening: str, location: str) -> None:
    fields = Fields()
    read_meeting(fields, opening, 2025)
    assert fields.meeting_location == location


# --- the period reviewed ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("title", "opening", "issue_date", "expected"),
    [
        (  # an annual conference named by the year it is held in reviews the year before
            "Kết luận của Hiệu trưởng tại Hội nghị viên chức, người lao động năm 2025",
            "Ngày 09/01/2025, Trường tổ chức Hội nghị viên chức, người lao động năm 2025 tại Hội trường A "
            "nhằm đánh giá kết quả thực hiện nhiệm vụ năm 2024 và bàn biện pháp thực hiện nhiệm vụ năm 2025.",
            "2025-01-14",
            ("year", "2024-01-01", "2024-12-31", "năm 2024"),
        ),
        (  # a review cue governs the title's year: it is the year reviewed
            "Kết luận tại Hội nghị tổng kết công tác năm 2024",
            "Ngày 10/01/2025, Sở tổ chức Hội nghị nhằm đánh giá kết quả thực hiện nhiệm vụ năm 2023.",
            "2025-01-14",
            ("year", "2024-01-01", "2024-12-31", "năm 2024"),
        ),
        (  # a school year in the trích yếu of the decision the inspection carries out
            "Việc chấp hành quy định về an toàn thực phẩm tại bếp ăn tập thể các trường mầm non",
            "Thực hiện Quyết định số 1587/QĐ-SYT ngày 16/9/2024 của Giám đốc Sở Y tế về việc kiểm tra việc "
            "chấp hành quy định về an toàn thực phẩm tại bếp ăn tập thể các trường học năm học 2024 - 2025, "
            "từ ngày 23/9/2024 đến ngày 04/10/2024, Đoàn kiểm tra đã tiến hành kiểm tra.",
            "",
            ("", "", "", ""),
        ),
        (  # a review cue after the decision's name governs the phrase again
            "Kết luận thanh tra",
            "Thực hiện Quyết định số 12/QĐ-TTr ngày 05/3/2024 của Chánh Thanh tra về thanh tra việc thực "
            "hiện chính sách bảo hiểm xã hội năm 2023 tại Công ty A.",
            "",
            ("year", "2023-01-01", "2023-12-31", "năm 2023"),
        ),
    ],
)
def test_metadata_conventions6_period_reviewed(
    title: str, opening: str, issue_date: str, expected: tuple[str, str, str, str]
) -> None:
    assert read_period(title, opening, issue_date) == expected
