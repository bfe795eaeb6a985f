"""Metadata read by the conventions of documents we had not seen (stop 21's blind real-style sets).

Each case is a convention of Nghị định 30/2020/NĐ-CP or Hướng dẫn 36-HD/VPTW that a blind set
showed the metadata stage missing: a standing committee under its council, a signer title a line
break cut, a recipient wrapped after a comma, an inspection conclusion's type line, an invitation
with no excerpt, a Party signer's "T/L", a scan's "6 tháng đâu năm", a working session's leader.
The last test renders a whole conclusion as a text PDF (reportlab, DejaVu) and reads it back.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import pytest

from ketluan.api import process
from ketluan.metadata.header import continues_name, group_agencies
from ketluan.metadata.meeting import _chair, _sentences, read_meeting
from ketluan.metadata.period import read_period
from ketluan.metadata.signer import read_recipients, read_signer
from ketluan.metadata.title import is_conclusion, read_title
from ketluan.records import Fields, Line
from ketluan.text.closed import match_signer_title

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tools import real_style  # noqa: E402


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["HĐND TỈNH THANH HÓA", "THƯỜNG TRỰC"], ["HĐND TỈNH THANH HÓA", "THƯỜNG TRỰC"]),
        (
            ["HỘI ĐỒNG NHÂN DÂN", "TỈNH NGHỆ AN", "THƯỜNG TRỰC"],
            ["HỘI ĐỒNG NHÂN DÂN TỈNH NGHỆ AN", "THƯỜNG TRỰC"],
        ),
        (
            ["UBND TỈNH QUẢNG NAM", "SỞ TÀI NGUYÊN VÀ", "MÔI TRƯỜNG"],
            ["UBND TỈNH QUẢNG NAM", "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG"],
        ),
        # the break falls inside "xã hội", a word the segmenter joins with "chính sách": "HỘI" is no body
        (
            ["NGÂN HÀNG CHÍNH SÁCH XÃ", "HỘI", "CHI NHÁNH TỈNH NAM ĐỊNH"],
            ["NGÂN HÀNG CHÍNH SÁCH XÃ HỘI", "CHI NHÁNH TỈNH NAM ĐỊNH"],
        ),
    ],
)
def test_metadata_conventions_standing_committee_is_the_issuer(lines: list[str], expected: list[str]) -> None:
    assert group_agencies(lines) == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["TUQ. CHỦ TỊCH", "TRƯỞNG PHÒNG QUẢN LÝ ĐÔ", "THỊ", "Bùi Đức Thịnh"],
         ("TUQ. CHỦ TỊCH / TRƯỞNG PHÒNG QUẢN LÝ ĐÔ THỊ", "Bùi Đức Thịnh")),  # cut inside "đô thị"
        (["TUQ. TRƯỞNG BAN", "GIÁM ĐỐC SỞ THÔNG TIN VÀ", "TRUYỀN THÔNG", "Lương Thế Anh"],
         ("TUQ. TRƯỞNG BAN / GIÁM ĐỐC SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "Lương Thế Anh")),  # cut after "VÀ"
        (["TL. CHỦ TỊCH", "CÔNG CHỨC VĂN PHÒNG - THỐNG KÊ", "Võ Thị Kim Ngân"],
         ("TL. CHỦ TỊCH / CÔNG CHỨC VĂN PHÒNG - THỐNG KÊ", "Võ Thị Kim Ngân")),  # a commune's civil servant
        (["CHỦ TRÌ", "PHÓ GIÁM ĐỐC SỞ", "Hà Quang Minh"], ("CHỦ TRÌ / PHÓ GIÁM ĐỐC SỞ", "Hà Quang Minh")),
        (["T/L BAN THƯƠNG VỤ", "PHÓ CHÁNH VĂN PHÒNG", "Bạch Thị Thu Trang"],  # OCR lost a mark, "T/L" stays
         ("T/L BAN THƯỜNG VỤ / PHÓ CHÁNH VĂN PHÒNG", "Bạch Thị Thu Trang")),
        (["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn Sơn"], ("KT. CHỦ TỊCH / PHÓ CHỦ TỊCH", "Nguyễn Văn Sơn")),
        ([unicodedata.normalize("NFD", t) for t in ("TUQ. CHỦ TỊCH", "TRƯỞNG PHÒNG QUẢN LÝ ĐÔ", "THỊ")] + ["Bùi Đức Thịnh"],
         (unicodedata.normalize("NFD", "TUQ. CHỦ TỊCH / TRƯỞNG PHÒNG QUẢN LÝ ĐÔ THỊ"), "Bùi Đức Thịnh")),
    ],
)  # fmt: skip
def test_metadata_conventions_signer_title_lines(lines: list[str], expected: tuple[str, str]) -> None:
    title, name = read_signer(lines)
    assert (unicodedata.normalize("NFC", title), name) == tuple(
        unicodedata.normalize("NFC", x) for x in expected
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("T/M UY BAN KIỂM TRA", ("T/M ỦY BAN KIỂM TRA", True)),  # a Party committee, a mark lost
        ("T/M BAN THƯỜNG VỤ", ("T/M BAN THƯỜNG VỤ", False)),
        ("TM BAN THƯỜNG VỤ", ("TM BAN THƯỜNG VỤ", False)),
    ],
)
def test_metadata_conventions_party_titles(line: str, expected: tuple[str, bool]) -> None:
    assert match_signer_title(line) == expected


@pytest.mark.parametrize(
    ("name", "line", "expected"),
    [
        ("GIÁM ĐỐC SỞ THÔNG TIN VÀ", "TRUYỀN THÔNG", True),
        ("TRƯỞNG PHÒNG QUẢN LÝ ĐÔ", "THỊ", True),
        ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", False),
        ("TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG", False),
    ],
)
def test_metadata_conventions_a_name_cut_by_a_line_break(name: str, line: str, expected: bool) -> None:
    assert continues_name(name, line) is expected


def test_metadata_conventions_recipient_wrapped_after_a_comma() -> None:
    lines = [Line(t) for t in ("Nơi nhận:", "- Thường trực Tỉnh ủy (b/c);", "- Các sở: LĐ-TB&XH, KH&ĐT, Tài chính,",
                               "NN&PTNT;", "- Lưu: VT.")]  # fmt: skip
    assert read_recipients(lines)[0] == ["Thường trực Tỉnh ủy (b/c)", "Các sở: LĐ-TB&XH, KH&ĐT, Tài chính, NN&PTNT",
                                         "Lưu: VT"]  # fmt: skip


def test_metadata_conventions_party_recipients_end_in_commas_and_the_title_stays_beside() -> None:
    lines = [Line(t) for t in ("Nơi nhận:", "- Thường trực Huyện ủy (để b/c),", "- Đảng ủy xã Tề Lỗ (để t/h),",
                               "T/M BAN THƯỜNG VỤ", "- Lưu hồ sơ kiểm tra.")]  # fmt: skip
    recipients, beside = read_recipients(lines)
    assert recipients == ["Thường trực Huyện ủy (để b/c)", "Đảng ủy xã Tề Lỗ (để t/h)", "Lưu hồ sơ kiểm tra"]
    assert [b.text for b in beside] == ["T/M BAN THƯỜNG VỤ"]


@pytest.mark.parametrize(
    ("lines", "expected", "conclusion"),
    [
        (["KẾT LUẬN THANH TRA", "Việc chấp hành pháp luật về lao động tại Công ty TNHH Phú Ninh"],
         ("Kết luận thanh tra", "Việc chấp hành pháp luật về lao động tại Công ty TNHH Phú Ninh"), True),
        (["KẾT LUẬN KIỂM TRA", "Công tác tài chính năm 2023 tại Bệnh viện Đa khoa tỉnh"],
         ("Kết luận kiểm tra", "Công tác tài chính năm 2023 tại Bệnh viện Đa khoa tỉnh"), True),
        (["KẾT LUẬN", "Thanh tra việc quản lý, sử dụng đất đai tại xã Ngọc Thiện"],
         ("Kết luận", "Thanh tra việc quản lý, sử dụng đất đai tại xã Ngọc Thiện"), True),
        (["GIẤY MỜI", "Ủy ban nhân dân huyện Đại Từ tổ chức họp giao ban quý III/2023 và bàn giải pháp xử lý."],
         ("Giấy mời", ""), False),  # a trích yếu has no full stop: this is the body's first sentence
        (["GIẤY MỜI", "Dự họp giao ban công tác quản lý đất đai quý III/2023"],
         ("Giấy mời", "Dự họp giao ban công tác quản lý đất đai quý III/2023"), False),
        (["THÔNG BÁO", "Kết luận của Chủ tịch UBND tỉnh tại buổi làm việc với huyện Mai Châu."],  # kept: a conclusion
         ("Thông báo", "Kết luận của Chủ tịch UBND tỉnh tại buổi làm việc với huyện Mai Châu."), True),
        # Luật Quản lý thuế 2019: "kết luận thanh tra thuế" is its own type
        (["KẾT LUẬN THANH TRA THUẾ", "Tại Công ty Cổ phần Vật liệu xây dựng Phú Bình"],
         ("Kết luận thanh tra thuế", "Tại Công ty Cổ phần Vật liệu xây dựng Phú Bình"), True),
    ],
)  # fmt: skip
def test_metadata_conventions_type_line_and_excerpt(
    lines: list[str], expected: tuple[str, str], conclusion: bool
) -> None:
    assert read_title(lines) == expected
    assert is_conclusion(*expected) is conclusion


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kết quả thực hiện nhiệm vụ chính trị 6 tháng đâu năm 2023, phương hướng 6 tháng cuối năm 2023",
         ("half_year", "2023-01-01", "2023-06-30")),  # OCR lost the grave of "đầu"
        ("Hội nghị sơ kết 6 tháng cuôi năm 2022", ("half_year", "2022-07-01", "2022-12-31")),
        ("Hội nghị sơ kết công tác 6 tháng đầu năm 2024", ("half_year", "2024-01-01", "2024-06-30")),
    ],
)  # fmt: skip
def test_metadata_conventions_half_year_read_through_ocr(text: str, expected: tuple[str, str, str]) -> None:
    assert read_period(text)[:3] == expected


@pytest.mark.parametrize(
    ("opening", "expected"),
    [
        ("Thực hiện Quyết định số 05/QĐ-TTr ngày 15/01/2024 của Chánh Thanh tra huyện về thanh tra việc quản lý, sử "
         "dụng đất đai tại UBND xã Ngọc Thiện, thời kỳ thanh tra từ ngày 01/01/2021 đến ngày 31/12/2023, Đoàn thanh "
         "tra đã tiến hành thanh tra trực tiếp tại đơn vị từ ngày 22/01/2024 đến ngày 01/3/2024.",
         ("other", "2021-01-01", "2023-12-31", "từ ngày 01/01/2021 đến ngày 31/12/2023")),
        ("Thời kỳ kiểm tra: từ năm 2021 đến năm 2023.", ("other", "2021-01-01", "2023-12-31", "từ năm 2021 đến năm 2023")),
        ("thời kỳ giám sát từ ngày 01 tháng 01 năm 2022 đến hết ngày 30 tháng 6 năm 2023.",
         ("other", "2022-01-01", "2023-06-30", "từ ngày 01 tháng 01 năm 2022 đến hết ngày 30 tháng 6 năm 2023")),
        # only the days the team spent at the unit: no period is reviewed
        ("Đoàn thanh tra đã tiến hành thanh tra trực tiếp tại đơn vị từ ngày 12/6/2023 đến ngày 14/7/2023.",
         ("", "", "", "")),
    ],
)  # fmt: skip
def test_metadata_conventions_inspection_period_is_the_span_inspected(
    opening: str, expected: tuple[str, str, str, str]
) -> None:
    assert read_period("Việc chấp hành pháp luật về đất đai", opening, "2024-03-20") == expected
    nfd = unicodedata.normalize("NFD", opening)
    assert read_period("", nfd, "2024-03-20")[:3] == expected[:3]


@pytest.mark.parametrize(
    ("opening", "expected"),
    [
        ("Ngày 25/7/2023, tại Trụ sở Huyện ủy Mai Châu, đồng chí Nguyễn Trọng Khiêm, Bí thư Tỉnh ủy, Chủ tịch HĐND "
         "tỉnh đã làm việc với Ban Thường vụ Huyện ủy Mai Châu. Cùng dự có các đồng chí: Trưởng Ban Tổ chức Tỉnh ủy.",
         "Nguyễn Trọng Khiêm, Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh"),
        ("Ngày 12/5/2024, đồng chí Lê Văn Hòa, Phó Chủ tịch UBND tỉnh chủ trì cuộc họp. Sau đó Đoàn làm việc với các sở.",
         "Lê Văn Hòa, Phó Chủ tịch UBND tỉnh"),  # "chủ trì" first
        ("Ngày 03/4/2024, Đoàn công tác của Sở đã làm việc với UBND huyện về tiến độ dự án.", ""),  # nobody named
    ],
)  # fmt: skip
def test_metadata_conventions_working_session_leader_presides(opening: str, expected: str) -> None:
    assert _chair(_sentences(opening), {}) == expected


SPEC = """@parent HĐND TỈNH THANH HÓA
@issuer THƯỜNG TRỰC
@number Số: 86/KL-HĐND
@place Thanh Hóa, ngày 27 tháng 10 năm 2022
@title KẾT LUẬN
@title Phiên giải trình về thực hiện chương trình giảm nghèo bền vững năm 2022
@field period_kind: year
@field period_start: 2022-01-01
@field period_end: 2022-12-31
@field period_label: năm 2022
@body
[o] Ngày 20/10/2022, Thường trực HĐND tỉnh tổ chức phiên giải trình về chương trình giảm nghèo bền vững năm 2022.
[r] Tỷ lệ hộ nghèo toàn tỉnh giảm còn 3,2%, vượt chỉ tiêu Nghị quyết HĐND tỉnh giao.
[l] Việc giải ngân vốn sự nghiệp của chương trình còn chậm, đến ngày 30/9/2022 mới đạt 27% kế hoạch.
[t] Đề nghị UBND tỉnh chỉ đạo các sở, ngành đẩy nhanh giải ngân vốn sự nghiệp, hoàn thành trước ngày 31/12/2022.
@recipients
Nơi nhận:
- Thường trực Tỉnh ủy (b/c);
- UBND tỉnh;
- Các sở: Lao động - Thương binh và Xã hội, Kế hoạch và Đầu tư, Tài chính, Nông nghiệp và Phát triển nông thôn,
Dân tộc;
- Lưu: VT.
@signer
TM. THƯỜNG TRỰC HĐND
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Lê Thị Thu Trang
"""


def test_metadata_conventions_standing_committee_conclusion_pdf(tmp_path: Path) -> None:
    from ketluan.api import process

    spec = real_style.parse_spec(SPEC, "thanhhoa_tthdnd_kl86_2022")
    pdf = real_style.render_pdf(spec, tmp_path / "kl86.pdf", font="dejavu", size=13.0)
    f = process(pdf).fields
    assert (f.issuer, f.issuer_parent, f.doc_number, f.doc_type) == (
        "THƯỜNG TRỰC",
        "HĐND TỈNH THANH HÓA",
        "86/KL-HĐND",
        "Kết luận",
    )
    assert f.signer_title == "TM. THƯỜNG TRỰC HĐND / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"
    assert f.signer_name == "Lê Thị Thu Trang"
    assert f.is_conclusion is True
    assert (
        "Các sở: Lao động - Thương binh và Xã hội, Kế hoạch và Đầu tư, Tài chính, Nông nghiệp và Phát triển nông thôn, Dân tộc"
        in f.recipients
    )


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("Sở Tài nguyên và Môi trường (b/C)", "Sở Tài nguyên và Môi trường (b/c)"),  # OCR raised a letter
        ("Thanh Tra tỉnh (Thay báo cáo)", "Thanh Tra tỉnh (Thay báo cáo)"),  # a capital as printed stays
        ("Sở Xây dựng (B/c)", "Sở Xây dựng (B/c)"),
    ],
)
def test_metadata_conventions_recipient_note_case(printed: str, expected: str) -> None:
    from ketluan.metadata.signer import clean_recipient

    assert clean_recipient(printed) == expected


@pytest.mark.parametrize(
    ("words", "slot_text", "x"),
    [
        (
            [("Số", 100, 130), ("-TB/UBKTHU", 200, 330)],
            " ",
            (130.0, 200.0),
        ),  # Party: "Số 45-TB/UBKTHU" by hand
        ([("Số", 100, 130), ("-KL/ĐU", 200, 300)], " ", (130.0, 200.0)),
        ([("Số:", 100, 160), ("/BC-STC", 260, 420)], " ", (160.0, 260.0)),  # state: "Số: 85/BC-STC"
    ],
)
def test_metadata_conventions_number_slot_of_a_party_number(
    words: list[tuple[str, int, int]], slot_text: str, x: tuple[float, float]
) -> None:
    from ketluan.extract.lines import Word
    from ketluan.extract.slots import _find_slots, _row_text

    row = [Word(t, x0, x1, 50, 80) for t, x0, x1 in words]
    (slot,) = [s for s in _find_slots(row) if s.name == "number"]
    text, _ = _row_text(row, list(range(len(row))))
    assert text[slot.start : slot.end] == slot_text
    assert (slot.x0, slot.x1) == x
    assert text[slot.end :] == row[-1].text  # the printed "-TB/UBKTHU" is no part of the slot


def test_metadata_conventions_real_style_draws_a_party_header() -> None:
    """The test documents' renderer prints a Party body's header (Hướng dẫn 36-HD/VPTW) from its number."""
    party = real_style.parse_spec(
        "@parent HUYỆN ỦY YÊN LẠC\n@issuer ỦY BAN KIỂM TRA\n@number Số 45-TB/UBKTHU\n"
        "@place Yên Lạc, ngày 16 tháng 9 năm 2024\n@title THÔNG BÁO\n",
        "party",
    )
    state = real_style.parse_spec(
        "@issuer ỦY BAN NHÂN DÂN XÃ MỸ YÊN\n@number Số: 12/TB-UBND\n@title THÔNG BÁO\n", "state"
    )
    assert real_style.transcription(party).splitlines()[:5] == [
        "HUYỆN ỦY YÊN LẠC", "ỦY BAN KIỂM TRA", "*", "Số 45-TB/UBKTHU", "ĐẢNG CỘNG SẢN VIỆT NAM",
    ]  # fmt: skip
    assert (party.party, state.party) == (True, False)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in real_style.transcription(state)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        # "mục tiêu" inside "Chương trình mục tiêu quốc gia" names a programme; it is no plan cue
        ("Kết luận của Phó Thủ tướng Chính phủ tại cuộc họp đánh giá tình hình thực hiện Chương trình mục tiêu "
         "quốc gia giảm nghèo bền vững năm 2023 và nhiệm vụ, giải pháp năm 2024",
         ("year", "2023-01-01", "2023-12-31", "năm 2023")),
        # years the text aims at are horizons, not periods reviewed
        ("Về đẩy mạnh chuyển đổi số tỉnh Phú Thọ đến năm 2025, định hướng đến năm 2030", ("", "", "", "")),
        ("Về phát triển du lịch tới năm 2030, tầm nhìn đến năm 2045", ("", "", "", "")),
        # "tính đến" counts up to a year already reviewed
        ("Kết luận về kết quả thực hiện tính đến năm 2024", ("year", "2024-01-01", "2024-12-31", "năm 2024")),
    ],
)  # fmt: skip
def test_metadata_conventions_horizon_and_programme_names(
    title: str, expected: tuple[str, str, str, str]
) -> None:
    assert read_period(title, "", "2024-03-01") == expected


MINUTES = """UBND HUYỆN NÔNG CỐNG
PHÒNG TÀI NGUYÊN VÀ MÔI TRƯỜNG
Số: 15/BB-TNMT
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Nông Cống, ngày 30 tháng 9 năm 2024

BIÊN BẢN
Cuộc họp giao ban công tác tháng 9 năm 2024

I. THỜI GIAN, ĐỊA ĐIỂM
- Thời gian: 14 giờ 00 phút, ngày 30/9/2024.
- Địa điểm: Phòng họp Phòng Tài nguyên và Môi trường huyện Nông Cống.
II. NỘI DUNG
1. Bà Trịnh Thị Hà báo cáo kết quả công tác tháng 9 năm 2024: Phòng đã thẩm định 142 hồ sơ.
2. Kết luận của chủ trì cuộc họp:
- Giải quyết dứt điểm 18 hồ sơ quá hạn trong tháng 10/2024.
Cuộc họp kết thúc vào lúc 16 giờ 30 phút cùng ngày./.

THƯ KÝ
Trịnh Thị Hà

CHỦ TRÌ
Lê Văn Cường
"""


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_metadata_conventions_minutes_signed_by_the_chair(tmp_path: Path, form: str) -> None:
    path = tmp_path / "bien_ban.txt"
    path.write_text(unicodedata.normalize(form, MINUTES), encoding="utf-8")
    doc = process(path)
    f = doc.fields
    assert (unicodedata.normalize("NFC", f.signer_title), unicodedata.normalize("NFC", f.signer_name)) == (
        "CHỦ TRÌ",
        "Lê Văn Cường",
    )
    assert f.is_conclusion is False
    # minutes of a periodic meeting name the period they cover, as a periodic report does
    assert (f.period_kind, f.period_start, f.period_end) == ("month", "2024-09-01", "2024-09-30")
    assert [i for i in doc.items if i.category in ("result", "limitation", "cause", "task")] == []


@pytest.mark.parametrize(
    ("opening", "expected"),
    [
        # the place follows the verb: the chair before "chủ trì" is still read
        ("Ngày 05/4/2022, ông Lê Minh Hiếu - Giám đốc Văn phòng Đăng ký đất đai chủ trì cuộc họp giao ban tháng "
         "3/2022 tại hội trường Văn phòng Đăng ký đất đai, kết nối trực tuyến đến các Chi nhánh.",
         ("2022-04-05", "hội trường Văn phòng Đăng ký đất đai", "Lê Minh Hiếu - Giám đốc Văn phòng Đăng ký đất đai")),
        # a deputy presiding by delegation: the clause before names the delegating leader
        ("Ngày 31/10/2018, tại Phòng họp số 1, được sự ủy quyền của Cục trưởng, Phó Cục trưởng Trần Thị Lan chủ trì "
         "hội nghị giao ban tháng 10 năm 2018.",
         ("2018-10-31", "Phòng họp số 1", "Phó Cục trưởng Trần Thị Lan")),
        # an inspection conclusion's basis: the date of the report it considers is no meeting's
        ("Đoàn thanh tra đã tiến hành thanh tra trực tiếp tại đơn vị từ ngày 12/6/2023 đến ngày 14/7/2023. Xét báo "
         "cáo kết quả thanh tra ngày 04/8/2023 của Trưởng đoàn thanh tra, Chánh Thanh tra huyện kết luận như sau:",
         ("", "", "")),
        # the place comes first: it is no part of the chair
        ("Ngày 12/5/2024, tại Phòng họp số 2, UBND tỉnh, đồng chí Lê Văn Hòa, Phó Chủ tịch UBND tỉnh chủ trì cuộc họp.",
         ("2024-05-12", "Phòng họp số 2, UBND tỉnh", "Lê Văn Hòa, Phó Chủ tịch UBND tỉnh")),
    ],
)  # fmt: skip
def test_metadata_conventions_chair_before_a_place_that_follows_the_verb(
    opening: str, expected: tuple[str, str, str]
) -> None:
    fields = Fields()
    read_meeting(fields, opening, 2024)
    assert (fields.meeting_date, fields.meeting_location, fields.chair) == expected


@pytest.mark.parametrize(
    ("title", "opening", "expected"),
    [
        # a monitoring conclusion's title names the span it reviews
        ("Việc thực hiện công tác bồi thường, hỗ trợ, tái định cư trên địa bàn huyện từ ngày 01/01/2022 đến ngày "
         "30/6/2024", "Từ ngày 09/9/2024 đến ngày 27/9/2024, Đoàn đã nghe UBND huyện và UBND các xã báo cáo.",
         ("other", "2022-01-01", "2024-06-30", "từ ngày 01/01/2022 đến ngày 30/6/2024")),
        # a compliance inspection names the year whose compliance it inspects
        ("Tại Công ty Cổ phần Vật liệu xây dựng Phú Bình",
         "Căn cứ Quyết định số 1127/QĐ-CTTNG ngày 18/9/2023 của Cục trưởng về việc thanh tra việc chấp hành pháp "
         "luật thuế năm 2022 tại Công ty, Đoàn thanh tra đã làm việc từ ngày 25/9/2023 đến ngày 20/10/2023.",
         ("year", "2022-01-01", "2022-12-31", "năm 2022")),
    ],
)  # fmt: skip
def test_metadata_conventions_reviewed_span_of_a_monitoring_or_inspection(
    title: str, opening: str, expected: tuple[str, str, str, str]
) -> None:
    assert read_period(title, opening, "2024-10-15") == expected


@pytest.mark.parametrize(
    ("opening", "expected"),
    [
        # the minutes an inspection conclusion is based on are a cited document, not a meeting
        ("Trên cơ sở Biên bản thanh tra ký ngày 20/10/2023 và báo cáo của Trưởng đoàn thanh tra, Cục trưởng Cục "
         "Thuế tỉnh kết luận như sau:", ("", "")),
        # a mass organisation's seat is a unit: the standing committee after it is the subject, not the place
        ("Chiều ngày 03/10/2024, tại trụ sở Hội LHPN tỉnh, Ban Thường vụ Hội LHPN tỉnh tổ chức hội nghị giao ban.",
         ("2024-10-03", "trụ sở Hội LHPN tỉnh")),
        ("Ngày 28/8/2024, tại phòng họp Ủy ban MTTQ Việt Nam tỉnh, Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh họp "
         "phiên thường kỳ tháng 8/2024.", ("2024-08-28", "phòng họp Ủy ban MTTQ Việt Nam tỉnh")),
    ],
)  # fmt: skip
def test_metadata_conventions_meeting_of_other_bodies(opening: str, expected: tuple[str, str]) -> None:
    fields = Fields()
    read_meeting(fields, opening, 2024)
    assert (fields.meeting_date, fields.meeting_location) == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["TM. BAN VĂN HÓA - XÃ HỘI", "TRƯỞNG BAN", "Trần Thị Kim Phượng"],
         ("TM. BAN VĂN HÓA - XÃ HỘI / TRƯỞNG BAN", "Trần Thị Kim Phượng")),
        # a scan: ink with no letters between the words of a title ("__" of a seal's edge)
        (["TL. GIÁM ĐỐC", "TRƯỞNG __ PHÒNG THAM MƯU", "Thượng tá Lê Quang Thắng"],
         ("TL. GIÁM ĐỐC / TRƯỞNG PHÒNG THAM MƯU", "Thượng tá Lê Quang Thắng")),
    ],
)  # fmt: skip
def test_metadata_conventions_signer_titles_with_dashes_and_ink(
    lines: list[str], expected: tuple[str, str]
) -> None:
    assert read_signer(lines) == expected
