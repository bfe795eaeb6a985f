"""Tests of the OCR diacritic post-correction (ocr_correct) and its place in normalize_pages."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from ketluan import ocr_correct
from ketluan.normalize import normalize_pages
from ketluan.ocr_correct import build_lexicon, correct_line, default_lexicon
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
        ("TỈNH HÁI DƯƠNG", "TỈNH HÁI DƯƠNG"),  # hái is a word; the place name alone cannot tell
        ("ma so thue", "ma so thue"),  # every word valid and no administrative phrase
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
    monkeypatch.setattr(ocr_correct, "CACHE_DIR", folder)
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

    monkeypatch.setattr(ocr_correct, "build_lexicon", no_build)
    loaded = default_lexicon()
    assert loaded == built and loaded is not built
    assert correct_line("PHO CHU TỊCH", loaded) == "PHÓ CHỦ TỊCH"


def test_default_lexicon_rebuilds_a_damaged_cache_and_follows_its_sources(
    lexicon_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lexicon_cache.mkdir()
    vocabulary = tmp_path / "ocr_vocabulary.txt"
    vocabulary.write_text(ocr_correct.VOCABULARY_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(ocr_correct, "VOCABULARY_FILE", vocabulary)
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
    monkeypatch.setattr(ocr_correct, "CACHE_DIR", blocked / "ketluan")
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
