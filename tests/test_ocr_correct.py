"""Tests of the OCR diacritic post-correction (ocr_correct) and its place in normalize_pages."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from ketluan import ocr_correct, ocr_lexicon
from ketluan.normalize import normalize_pages
from ketluan.ocr_correct import correct_line
from ketluan.ocr_lexicon import build_lexicon, default_lexicon
from ketluan.records import Line, Page
from ketluan.text.canonical import normalize_text
from ketluan.text.orthography import bare
from tools.paths import SHARED_OR_DEFAULT

CORPUS = SHARED_OR_DEFAULT / "corpus" / "dev" / "text"


@pytest.mark.parametrize(
    ("ocr", "expected"),
    [
        ("PHO CHU TỊCH", "PHÓ CHỦ TỊCH"),  # signer title of a scanned báo cáo
        ("KT. CHỦ TỊCH / PHO CHU TỊCH", "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"),
        ("CHANH THANH TRA", "CHÁNH THANH TRA"),
        ("KT. CHU TỊCH", "KT. CHỦ TỊCH"),
        ("I. KÉT QUÁ THỰC HIỆN", "I. KẾT QUẢ THỰC HIỆN"),
        ("I. KẾT QUẢ THỤC HIỆN NHIỆM VỤ", "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ"),
        ("ĐÁNG UY KHÔI CÁC CƠ QUAN TỈNH", "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH"),
        ("QUYÉT ĐỊNH:", "QUYẾT ĐỊNH:"),
        ("KET LUẬN của Hiệu trưởng", "KẾT LUẬN của Hiệu trưởng"),
        ("lãnh đạo Uy ban nhân dân tỉnh", "lãnh đạo Ủy ban nhân dân tỉnh"),
        ("có thành tích xuât sắc trong công tác", "có thành tích xuất sắc trong công tác"),
        ("căn cứ Quyêt định thi hành./.", "căn cứ Quyết định thi hành./."),
        ("quy định chỉ tiết Luật Đất đai", "quy định chi tiết Luật Đất đai"),
        ("thuộc thâm quyền giải quyết", "thuộc thẩm quyền giải quyết"),
        ("Tình hình an nỉnh trật tự", "Tình hình an ninh trật tự"),
        ("- Phòng Tô chức - Hành chính;", "- Phòng Tổ chức - Hành chính;"),
    ],
)
def test_ocr_correct_restores_lost_diacritics(ocr: str, expected: str) -> None:
    assert correct_line(ocr) == expected


@pytest.mark.parametrize(
    "line",
    [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH THƯỜNG TRỰC",
        "Ngày 10/01/2024, tại Hội trường Thanh tra tỉnh, đồng chí Nguyễn Hữu Phước chủ trì.",
        "Giám đốc Sở kết luận như sau:",  # "Sở kết" is no "sơ kết"
        "trong đó, chưa đạt kế hoạch; cuộc họp có 25 đại biểu",  # not "tròng đỏ", "chúa đất"
        "- Lưu: VT, TH.",
        "w47_xi_nghiep_thuy_loi_giao_ban_2021",  # an identifier is no word
        "Số: 23/BC-UBND",
    ],
)
def test_ocr_correct_leaves_valid_text_alone(line: str) -> None:
    assert correct_line(line) == line


@pytest.mark.parametrize(
    ("ocr", "expected"),
    [
        ("ma", "ma"),  # má, mà, mã, mạ: no context, no change
        ("câp", "câp"),  # cấp or cập
        ("Điêu", "Điêu"),  # a word as it stands (điêu khắc)
        ("HÁI", "HÁI"),  # a word as it stands; "TỈNH HÁI DƯƠNG" is fixed by the province list
        ("ma so", "ma so"),  # every word valid and no administrative phrase
        ("ma so thue", "mã số thuế"),  # an administrative term (data/lexicon/ocr_phrases.txt)
    ],
)
def test_ocr_correct_leaves_ambiguous_words_alone(ocr: str, expected: str) -> None:
    assert correct_line(ocr) == expected


def test_ocr_correct_reads_nfd_input() -> None:
    nfd = unicodedata.normalize("NFD", "KT. CHỦ TỊCH / PHO CHU TỊCH")
    assert correct_line(nfd) == "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"


@pytest.mark.parametrize(
    ("entries", "strong", "ocr", "expected"),
    [
        (["phó chủ tịch"], None, "Pho Chu tịch", "Phó Chủ tịch"),  # every letter keeps its case
        (["Quảng Ngãi", "quang ngại"], [], "Quang Ngai", "Quang Ngai"),  # two entries fit: ambiguous
        (["Quảng Ngãi"], None, "tỉnh quang ngai", "tỉnh quang ngai"),  # a place name only when capitalized
        (["Quảng Ngãi"], None, "tỉnh Quang Ngai", "tỉnh Quảng Ngãi"),
        (["hoằng hóa", "hoang hóa"], None, "HOĂNG HOÁ", "HOẰNG HÓA"),  # keeps the breve OCR saw
        (["tròng đỏ", "trong", "đó"], [], "trong đó", "trong đó"),  # valid words need a strong phrase
        (["xuất", "xuát"], [], "xuât", "xuất"),  # "xuát" drops the circumflex OCR saw
        (["xuất", "xuật"], [], "xuât", "xuât"),  # both keep it: ambiguous
    ],
)
def test_ocr_correct_with_a_small_lexicon(
    entries: list[str], strong: list[str] | None, ocr: str, expected: str
) -> None:
    lexicon = build_lexicon(entries, strong=strong)
    assert correct_line(ocr, lexicon) == expected


def test_ocr_correct_lexicon_key_drops_marks_and_case() -> None:
    assert bare("PHÓ CHỦ TỊCH Đà Nẵng", key=True) == "pho chu tich da nang"
    assert build_lexicon(["Đà Nẵng"]).phrases["da nang"] == ("đà nẵng",)


def test_ocr_correct_only_ocr_lines_in_normalize_pages() -> None:
    lines = [
        Line(t, origin=origin)
        for origin in ("ocr", "text", "docx", "txt")
        for t in ("KT. CHỦ TỊCH", "PHO CHU TỊCH")
    ]
    page = normalize_pages([Page(1, lines)])[0]
    assert [(ln.origin, ln.text) for ln in page.lines] == [
        ("ocr", "KT. CHỦ TỊCH"),
        ("ocr", "PHÓ CHỦ TỊCH"),
        ("text", "KT. CHỦ TỊCH"),
        ("text", "PHO CHU TỊCH"),
        ("docx", "KT. CHỦ TỊCH"),
        ("docx", "PHO CHU TỊCH"),
        ("txt", "KT. CHỦ TỊCH"),
        ("txt", "PHO CHU TỊCH"),
    ]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="dev corpus not present")
def test_ocr_correct_changes_no_line_of_correct_text() -> None:
    default_lexicon()
    changed = []
    for path in sorted(CORPUS.glob("*.txt")):
        for raw in path.read_text(encoding="utf-8").splitlines():
            line = normalize_text(raw)
            if line and correct_line(line) != line:
                changed.append((path.name, line, correct_line(line)))
    assert changed == []


@pytest.mark.parametrize(("source", "corrected"), [("ocr", True), ("text", False)])
def test_ocr_correct_table_rows_read_by_ocr(source: str, corrected: bool) -> None:
    """A ruled table's row is origin "table" on any page: its cells are corrected on OCR pages only."""
    cells = ["1", "Rà soát hồ sơ đất đai tồn đọng", "PHO GIAM ĐỐC Sở", "30/6/2025"]
    row = Line(" | ".join(cells), origin="table", table_row=cells)
    page = normalize_pages([Page(1, [row], source=source)])[0]
    fixed = "PHÓ GIÁM ĐỐC Sở" if corrected else "PHO GIAM ĐỐC Sở"
    assert page.lines[0].table_row == ["1", "Rà soát hồ sơ đất đai tồn đọng", fixed, "30/6/2025"]
    assert (fixed in page.lines[0].text) is True


# fmt: off
@pytest.mark.parametrize(("ocr", "expected"), [
    ("- Thường trực HĐND tỉnh (b/€);", "- Thường trực HĐND tỉnh (b/c);"),
    ("- Tổng Giám đốc Tập đoàn (b/e);", "- Tổng Giám đốc Tập đoàn (b/c);"),
    ("- D/c Phó Chủ tịch UBND thành phố;", "- Đ/c Phó Chủ tịch UBND thành phố;"),
    ("- Đ/c Bí thư Huyện ủy (để b/c);", "- Đ/c Bí thư Huyện ủy (để b/c);"),  # already right
    ("V/v triển khai kế hoạch năm 2026", "V/v triển khai kế hoạch năm 2026"),
    ("đạt 3/4 chỉ tiêu, điểm a/b khoản 2", "đạt 3/4 chỉ tiêu, điểm a/b khoản 2"),  # no abbreviation
])
# fmt: on
def test_ocr_correct_slash_abbreviations(ocr: str, expected: str) -> None:
    assert correct_line(ocr) == expected


@pytest.fixture
def lexicon_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache folder for default_lexicon, and its in-process cache cleared around the test."""
    folder = tmp_path / "cache"
    monkeypatch.setattr(ocr_lexicon, "CACHE_DIR", folder)
    default_lexicon.cache_clear()
    yield folder
    default_lexicon.cache_clear()


def test_default_lexicon_is_built_once_then_loaded_from_the_cache(
    lexicon_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = default_lexicon()
    files = sorted(lexicon_cache.glob("ocr_lexicon-*.pickle"))
    assert len(files) == 1 and files[0].stat().st_size > 100_000
    default_lexicon.cache_clear()

    def no_build(*args: object, **kwargs: object) -> None:
        raise AssertionError("the lexicon was built again instead of loaded")

    monkeypatch.setattr(ocr_lexicon, "build_lexicon", no_build)
    loaded = default_lexicon()
    assert loaded == built and loaded is not built
    assert correct_line("PHO CHU TỊCH", loaded) == "PHÓ CHỦ TỊCH"


def test_default_lexicon_rebuilds_a_damaged_cache_and_follows_its_sources(
    lexicon_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ocr_lexicon, "package_dir", lambda: None)  # the project's lists only: fast
    lexicon_cache.mkdir()
    vocabulary = tmp_path / "ocr_vocabulary.txt"
    vocabulary.write_text(ocr_lexicon.VOCABULARY_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(ocr_lexicon, "VOCABULARY_FILE", vocabulary)
    first = default_lexicon()
    (cached,) = lexicon_cache.glob("ocr_lexicon-*.pickle")
    cached.write_bytes(b"not a pickle")  # a cache cut short by a full disk
    default_lexicon.cache_clear()
    assert default_lexicon() == first
    # An entry added to the vocabulary is a new source: a new cache file replaces the old one.
    vocabulary.write_text(vocabulary.read_text(encoding="utf-8") + "\nthẩm định giá\n", encoding="utf-8")
    default_lexicon.cache_clear()
    changed = default_lexicon()
    assert "thẩm định giá" in changed.strong and "thẩm định giá" not in first.strong
    (newer,) = lexicon_cache.glob("ocr_lexicon-*.pickle")
    assert newer.name != cached.name


def test_default_lexicon_works_when_the_cache_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setattr(ocr_lexicon, "CACHE_DIR", blocked / "ketluan")
    monkeypatch.setattr(ocr_lexicon, "package_dir", lambda: None)  # the project's lists only: fast
    default_lexicon.cache_clear()
    try:
        assert correct_line("PHO CHU TỊCH", default_lexicon()) == "PHÓ CHỦ TỊCH"
    finally:
        default_lexicon.cache_clear()


@pytest.mark.parametrize("line", [
    "hỗ trợ xóa nhà ở dột nát cho hộ nghèo",  # "dột nát" (leaking, dilapidated) is a word pair
    "Thanh tra đột xuất các cơ sở",  # and "đột" is a word of its own: neither is rewritten
])  # fmt: skip
def test_ocr_correct_leaves_valid_word_pairs_alone(line: str) -> None:
    assert correct_line(line) == line


@pytest.mark.parametrize(
    ("ocr", "expected"),
    [
        ("CỤC THUE", "CỤC THUẾ"),  # header of a scanned công văn: "thue" is no syllable
        ("tại buỗi đối thoại, tiếp công dân", "tại buổi đối thoại, tiếp công dân"),
        ("Trên đây là kết quả buôi làm việc với ông", "Trên đây là kết quả buổi làm việc với ông"),
        ("công dân liên quan đên việc Công", "công dân liên quan đến việc Công"),
        ("thiếu kiểm tra đôn đóc kịp thời.", "thiếu kiểm tra đôn đốc kịp thời."),
        ("1. Diễn biến chỉ sô giá tiêu dùng (CPI):", "1. Diễn biến chỉ số giá tiêu dùng (CPI):"),
        ("sao chứng chỉ hành nghê đấu giá", "sao chứng chỉ hành nghề đấu giá"),
    ],
)
def test_ocr_correct_context_fixes_misread_syllables(ocr: str, expected: str) -> None:
    assert correct_line(ocr) == expected


@pytest.mark.parametrize(
    ("ocr", "expected"),
    [
        ("CÔNG AN TỈNH LÂM ĐÒNG", "CÔNG AN TỈNH LÂM ĐỒNG"),  # "đòng" is a word, not a province
        ("Lâm Đông, ngày 15 tháng 10 năm 2025", "Lâm Đồng, ngày 15 tháng 10 năm 2025"),
        ("Hà Nói, ngày 10 tháng 4 năm 2026", "Hà Nội, ngày 10 tháng 4 năm 2026"),
        ("UBND TĨNH ĐAKNÔNG", "UBND TỈNH ĐẮK NÔNG"),  # level word and a name read as one word
        ("UBND TINH ĐAKNÔNG", "UBND TỈNH ĐẮK NÔNG"),
        ("UBND HUYỆN KRÔNGNÔ", "UBND HUYỆN KRÔNG NÔ"),
        ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH HÁI DƯƠNG", "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH HẢI DƯƠNG"),
        ("viện Hành chính quốc gia Thành phố Hô Chí Minh", "viện Hành chính quốc gia Thành phố Hồ Chí Minh"),
    ],
)
def test_ocr_correct_place_names_of_the_header_and_place_line(ocr: str, expected: str) -> None:
    assert correct_line(ocr) == expected


@pytest.mark.parametrize(
    "line",
    [
        "ông Nguyễn Văn Liên (thôn Đăk Tân)",  # a name is no "nguyên văn"
        "của Đồng chí Nguyễn Xuân Danh - Phó Chủ tịch",
        "bà Hà nói rằng gia đình chưa nhận được",  # "Hà nói" is no "Hà Nội" in running text
        "Giao trách nhiệm cho Ban CHQS cấp xã là cơ quan thường trực",
        "và nghĩa vụ trong công tác kê khai",
        "lãnh đạo UBND tỉnh năm 2010",  # "tỉnh năm" is no "tỉnh Nam Định"
        "bia Saigon Lager: 225.000 đồng/thùng",  # a brand, not "Sài Gòn"
        "Đề nghị chuyên đề thuê nhà ở yên tĩnh",  # valid syllables stay, whatever their pairs
        "UBND TỈNH HÀ TĨNH",
        "KT-XH năm 2025",
        "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH",
    ],
)
def test_ocr_correct_context_leaves_valid_syllables_alone(line: str) -> None:
    assert correct_line(line) == line


@pytest.mark.parametrize(
    ("ocr", "expected"),
    [
        ("V-v chính sách thuế thu nhập doanh nghiệp", "V/v chính sách thuế thu nhập doanh nghiệp"),
        ("- UBND tỉnh (b-c);", "- UBND tỉnh (b/c);"),
        ("khu A-B của dự án", "khu A-B của dự án"),  # "a/b" is no abbreviation
    ],
)
def test_ocr_correct_hyphen_read_for_the_slash_of_an_abbreviation(ocr: str, expected: str) -> None:
    assert correct_line(ocr) == expected


@pytest.mark.parametrize(
    ("entries", "pairs", "ocr", "expected"),
    [
        (["buổi", "bãi buôi"], ["tại buổi"], "tại buôi họp", "tại buổi họp"),  # rare "buôi"
        (["buổi", "buồi"], ["tại buổi"], "tại buỗi họp", "tại buổi họp"),
        (["buổi", "buồi"], [], "tại buỗi họp", "tại buỗi họp"),  # no attested neighbour
        (["đến", "đèn"], ["đến nay", "đèn nay"], "đên nay", "đến nay"),  # fewer marks changed
        (["đến", "đền"], ["đến nay", "đền nay"], "đên nay", "đên nay"),  # as close: ambiguous
        (["thuê", "thuế"], ["cục thuế", "thuê nhà"], "thuê nhà", "thuê nhà"),  # fits as written
        (["Đắk Nông", "tỉnh Đắk Nông"], [], "TỈNH ĐAKNÔNG", "TỈNH ĐẮK NÔNG"),
        (["Đắk Nông"], [], "tỉnh daknong", "tỉnh daknong"),  # only a capitalized word is cut
        (["buổi", "buồi"], None, "tại buỗi họp", "tại buỗi họp"),  # no general text: no context pass
    ],
)
def test_ocr_correct_context_with_a_small_lexicon(
    entries: list[str], pairs: list[str] | None, ocr: str, expected: str
) -> None:
    lexicon = build_lexicon(entries, strong=[], pairs=pairs)
    assert correct_line(ocr, lexicon) == expected


def test_ocr_correct_header_lines_in_normalize_pages() -> None:
    lines = [Line(unicodedata.normalize("NFD", t), origin="ocr") for t in ("UBND TĨNH ĐAKNÔNG", "CỤC THUE")]
    page = normalize_pages([Page(1, lines)])[0]
    assert [ln.text for ln in page.lines] == ["UBND TỈNH ĐẮK NÔNG", "CỤC THUẾ"]


# Real OCR-damaged lines of scanned letters and notices: a valid syllable that the administrative
# term around it shows to be wrong.
@pytest.mark.parametrize(
    ("ocr", "expected"),
    [
        ("BAN QLDA VÀ PT QUY ĐẤT", "BAN QLDA VÀ PT QUỸ ĐẤT"),
        ("V/v chuyên nội dung kiến nghị của", "V/v chuyển nội dung kiến nghị của"),
        ("V/v chính sách thuê ITNIDN", "V/v chính sách thuế ITNIDN"),
        ("thuộc ngành, nghề ưu đãi thuê TNDN.", "thuộc ngành, nghề ưu đãi thuế TNDN."),
        ("số thuê phải nộp trong 9 năm tiếp theo).", "số thuế phải nộp trong 9 năm tiếp theo)."),
        ("KT. TRƯỞNG BAN BAN CHÍNH SÁCH, THUẾ QUỐC TẺ", "KT. TRƯỞNG BAN BAN CHÍNH SÁCH, THUẾ QUỐC TẾ"),
        ("phục vụ chuyên đổi số quốc gia giai đoạn 2022 - 2025", "phục vụ chuyển đổi số quốc gia giai đoạn 2022 - 2025"),
    ],
)
def test_ocr_correct_administrative_terms_fix_a_valid_syllable(ocr: str, expected: str) -> None:
    assert correct_line(ocr) == expected


@pytest.mark.parametrize(
    "line",
    [
        "2. Doanh nghiệp khoa học và công nghệ được ưu tiên thuê đất.",  # "thuê đất": rent land
        "miễn tiền thuê đất, thuê mặt nước theo chính sách thuê đất",  # "thuê đất" keeps "thuê"
        "đơn vị biết, tổ chức thực hiện; Quy định về đất đai",
        "chuyên đề thuê nhà ở; chuyên viên Phòng Tài chính",
        "kinh tế - xã hội; khu vui chơi tẻ nhạt",
    ],
)
def test_ocr_correct_administrative_terms_leave_valid_phrases_alone(line: str) -> None:
    assert correct_line(line) == line


@pytest.mark.parametrize(
    ("ocr", "expected"),
    [
        ("Đắk R lắp, ngày tháng 5 năm 2019", "Đắk R’lấp, ngày tháng 5 năm 2019"),  # place line
        ("HUYỆN ĐẮK R°LÁP", "HUYỆN ĐẮK R’LẤP"),
        ("HUYỆN ĐĂK R'LÁP", "HUYỆN ĐĂK R'LẤP"),  # "Đăk" is a spelling in use; "'" as read
        ('Kết luận của Lãnh đạo UBND huyện Đắk R"lấp', "Kết luận của Lãnh đạo UBND huyện Đắk R’lấp"),
        ("Kiến Đức, huyện Đắk R'lắp, tỉnh Đắk Nông", "Kiến Đức, huyện Đắk R'lấp, tỉnh Đắk Nông"),
        ("huyện Cư M gar, tỉnh Đắk Lắk", "huyện Cư M’gar, tỉnh Đắk Lắk"),
        ("đak r lap", "đak r lap"),  # not capitalized as the name is
    ],
)
def test_ocr_correct_place_names_with_an_apostrophe(ocr: str, expected: str) -> None:
    assert correct_line(ocr) == expected


@pytest.mark.parametrize(
    ("ocr", "expected"),
    [
        ("01 | 02/5/2019 | Nguyễn Tắn Bi | Giám đốc", "01 | 02/5/2019 | Nguyễn Tấn Bi | Giám đốc"),
        ("GIÁM ĐỐC / NGUYỄN TẮN BI", "GIÁM ĐỐC / NGUYỄN TẤN BI"),
        ("bà Nguyễn Thị Thu Nga, trú tại Tổ dân phố 3", "bà Nguyễn Thị Thu Nga, trú tại Tổ dân phố 3"),
        ("ông Nguyễn Văn Liên (thôn Đăk Tân)", "ông Nguyễn Văn Liên (thôn Đăk Tân)"),
        ("Tắn Bi", "Tắn Bi"),  # no family name before it: not known to be a name
    ],
)
def test_ocr_correct_syllables_of_personal_names(ocr: str, expected: str) -> None:
    assert correct_line(ocr) == expected


def test_ocr_correct_lexicon_keeps_place_names_with_an_apostrophe() -> None:
    lexicon = build_lexicon(["Đắk Nông"], strong=["Đắk R’Lấp", "huyện Đắk R'Lấp", "Lấp Vò", "Đăk Hà"])
    assert lexicon.apostrophe_names == ("Đắk R'Lấp",)
    assert correct_line("UBND HUYỆN ĐÁK R°LÁP", lexicon) == "UBND HUYỆN ĐẮK R’LẤP"
    assert correct_line("huyện Đăk R lấp", lexicon) == "huyện Đăk R’lấp"


@pytest.mark.parametrize(
    "line",
    [
        "KT. CHỦ TỊCH / PHO CHU TỊCH",
        "Kết luận của Lãnh đạo UBND huyện Đắk R’lấp về buổi đối thoại",
        "THOÂNG BAÙO keát luaän cuûa Chuû tòch",  # VNI read as latin-1: the phrase is legacy, its words are not
        "Uû ban nh©n d©n tØnh Qu¶ng Ng·i",
        "Thanh Hoá, thuỷ lợi, KHOẺ",  # tone placement moves word by word
        unicodedata.normalize("NFD", "Ủy ban nhân dân huyện Krông Nô"),
    ],
)
def test_ocr_correct_windows_give_the_forms_of_whole_phrases(line: str) -> None:
    text = unicodedata.normalize("NFC", line)
    for run in ocr_correct._runs(text):
        words = [text[a:b] for a, b in run]
        windows = ocr_correct._Windows(words)
        for i in range(len(words)):
            for n in range(1, len(words) - i + 1):
                phrase = " ".join(words[i : i + n])
                assert windows.form(i, n) == ocr_lexicon.canonical(phrase)
                assert windows.key(i, n) == bare(phrase, key=True)


def test_ocr_correct_windows_of_a_legacy_phrase_convert_it_whole() -> None:
    windows = ocr_correct._Windows(["THOÂNG", "BAÙO", "keát", "luaän"])
    assert windows.form(0, 2) == "thông báo"
    assert windows.form(0, 1) == "thoâng"  # one word alone is never taken for legacy text
    assert windows.key(2, 2) == "keat luaan"


@pytest.mark.parametrize(
    ("word", "votes"),
    [("thoâng", 1), ("baùo", 1), ("thông", 0), ("nh©n", 1), ("ubnd", 0), ("quảng", 0), ("tØnh", 1)],
)
def test_ocr_correct_legacy_votes_of_one_word(word: str, votes: int) -> None:
    assert ocr_correct._legacy_votes(word) == votes


@pytest.mark.parametrize(
    ("word", "key"),
    [("TỊCH", "tich"), ("Đắk", "dak"), ("thuỷ", "thuy"), (unicodedata.normalize("NFD", "Nguyễn"), "nguyen")],
)
def test_ocr_correct_lookup_key_drops_marks_and_case(word: str, key: str) -> None:
    assert ocr_correct.lookup_key(word) == key
