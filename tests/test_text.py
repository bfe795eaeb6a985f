"""Tests of the leaf text helpers (ketluan.text): orthography, canonical form, legacy, markup."""

from __future__ import annotations

import ast
import re
import unicodedata
from pathlib import Path

import pytest

import ketluan
from ketluan.text.canonical import clean_characters, normalize_text, tone_key
from ketluan.text.legacy import detect_legacy, legacy_to_unicode
from ketluan.text.markup import clean, strip_edge_marks, strip_markdown
from ketluan.text.orthography import alternation, bare, fold, is_syllable, is_upper, retone, syllable_shares

TEXT_DIR = Path(ketluan.__file__).parent / "text"
# What a text helper may import from the package: itself, the records and the settings.
LEAF_IMPORTS = {"text", "records", "config", "errors"}


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thanh Hoá, thuỷ lợi, khoẻ", "Thanh Hóa, thủy lợi, khỏe"),
        ("HOÀ BÌNH", "HÒA BÌNH"),
        ("hoàn thành kế hoạch", "hoàn thành kế hoạch"),  # a final consonant keeps the tone on "a"
        ("người thuở quốc", "người thuở quốc"),
        (nfd("Thanh Hoá"), "Thanh Hóa"),
        ("café Nguyễn", "café Nguyễn"),  # no syllable: left as it is
    ],
)
def test_text_retone_old_style(text: str, expected: str) -> None:
    assert retone(unicodedata.normalize("NFC", text)) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [("CỘNG HOÀ", "CỘNG HÒA"), ("Thanh Hoá", "Thanh Hóa"), ("thuỷ", "thủy"), (nfd("Khánh Hoà"), "Khánh Hòa")],
)
def test_text_fold_equates_tone_placements_and_keeps_length(a: str, b: str) -> None:
    assert fold(a) == fold(b)
    assert len(fold(a)) == len(unicodedata.normalize("NFC", a))


def test_text_fold_leaves_other_vowel_pairs() -> None:
    assert fold("hoài") == "hoài" and fold("quý") == fold("qúy")


@pytest.mark.parametrize(
    ("text", "plain", "key"),
    [
        ("QUYÉT ĐỊNH", "QUYET DINH", "quyet dinh"),
        ("Nởi nhận:", "Noi nhan:", "noi nhan:"),
        (nfd("Đà Nẵng"), "Da Nang", "da nang"),
        ("số 12/TB-UBND", "so 12/TB-UBND", "so 12/tb-ubnd"),
    ],
)
def test_text_bare_strips_diacritics(text: str, plain: str, key: str) -> None:
    assert bare(text) == plain
    assert len(bare(text)) == len(unicodedata.normalize("NFC", text))
    assert bare(text, key=True) == key


@pytest.mark.parametrize(
    ("text", "threshold", "expected"),
    [
        ("UBND TỈNH QUẢNG NGÃI", 0.9, True),
        ("Thông báo kết luận", 0.9, False),
        ("UBND TỈNH QUẢNG NGÃI Tỉnh", 0.9, False),
        ("UBND TỈNH QUẢNG NGÃI Tỉnh", 0.85, True),
        ("A", 0.9, False),  # fewer than two letters
        ("- 12 -", 0.5, False),
    ],
)
def test_text_is_upper_threshold(text: str, threshold: float, expected: bool) -> None:
    assert is_upper(text, threshold) is expected


def test_text_is_upper_default_is_layouts() -> None:
    assert is_upper("UBND TỈNH QUẢNG NGÃI Tỉnh") is False


def test_text_alternation_longest_first_any_whitespace() -> None:
    pattern = re.compile(rf"^(?:{alternation(['Người ký', 'Người ký số', '', 'Người ký'])})")
    assert pattern.match("Người  ký số: Ủy ban").group() == "Người  ký số"
    assert alternation(["a.b", "x"]) == r"a\.b|x"


def test_text_alternation_with_fold_matches_folded_text() -> None:
    pattern = re.compile(alternation(["CỘNG HOÀ", "CỘNG HÒA"], key=fold))
    assert pattern.pattern == r"CỘNG\s+HÒA"
    assert pattern.search(fold("CỘNG HOÀ XÃ HỘI"))


@pytest.mark.parametrize(
    ("raw", "encoding", "expected"),
    [
        ("Uû ban nh©n d©n tØnh", None, "Ủy ban nhân dân tỉnh"),
        ("Uû ban nh©n d©n tØnh", "", "Uû ban nh©n d©n tØnh"),  # the document was judged Unicode
        ("nh©n", "tcvn3", "nhân"),  # one word: too short to detect, converted when the document is TCVN3
        ("Thanh Hoá,\u00a0ngày  15", None, "Thanh Hóa, ngày 15"),
    ],
)
def test_text_normalize_text_with_document_encoding(raw: str, encoding: str | None, expected: str) -> None:
    assert normalize_text(raw, encoding) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Quyết định 1234/QĐ\ufffeUBND", "Quyết định 1234/QĐ-UBND"),  # PDFium break hyphen
        ("Kết luận\ufffe", "Kết luận-"),
        ("Số\ud800 11", "Số 11"),  # a lone surrogate from a broken ToUnicode map
        ("\ufb01nal\u200b  text\x07", "final text"),
    ],
)
def test_text_clean_characters(raw: str, expected: str) -> None:
    assert clean_characters(raw) == expected


def test_text_tone_key_folds_case_and_tone_place() -> None:
    assert tone_key("Hoà Bình") == tone_key("HÒA BÌNH".lower()) == "hòa bình"


def test_text_legacy_round_trip() -> None:
    assert detect_legacy("Th«ng b¸o kÕt luËn cña Chñ tÞch") == "tcvn3"
    assert legacy_to_unicode("Th«ng b¸o kÕt luËn", "tcvn3") == "Thông báo kết luận"
    assert is_syllable("luận") and not is_syllable("luËn")


@pytest.mark.parametrize(
    ("line", "edges", "cleaned"),
    [
        ("**KẾT LUẬN**", "KẾT LUẬN", "KẾT LUẬN"),
        ("***Nơi nhận:***  ", "Nơi nhận:", "Nơi nhận:"),
        ("> # THÔNG BÁO", "THÔNG BÁO", "THÔNG BÁO"),
        ("**1.** Kết quả", "1.** Kết quả", "1. Kết quả"),
        ("__Số:\u00a0 58/TB-VP__", "Số:\u00a0 58/TB-VP", "Số: 58/TB-VP"),
        (nfd("*Hoà*"), nfd("Hoà"), "Hoà"),
    ],
)
def test_text_markup_edge_marks_and_clean(line: str, edges: str, cleaned: str) -> None:
    assert strip_edge_marks(line) == edges
    assert clean(line) == cleaned


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("**THÔNG BÁO**", ("THÔNG BÁO", True, False)),
        ("*Tây Ninh, ngày 18 tháng 5 năm 2020*", ("Tây Ninh, ngày 18 tháng 5 năm 2020", False, True)),
        ("- **Sở Tài chính:** chủ trì", ("- Sở Tài chính: chủ trì", False, False)),
    ],
)
def test_text_markup_strip_markdown(line: str, expected: tuple[str, bool, bool]) -> None:
    assert strip_markdown(line) == expected


def _package_imports(path: Path) -> set[str]:
    """First component of every `ketluan` module a text module imports (relative or absolute)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1:
                found.add("text")
            elif node.level == 2:
                names = [node.module] if node.module else [a.name for a in node.names]
                found.update(n.split(".")[0] for n in names)
            elif node.module and node.module.startswith("ketluan."):
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("ketluan."))
    return found


@pytest.mark.parametrize("path", sorted(TEXT_DIR.glob("*.py")), ids=lambda p: p.name)
def test_text_modules_import_no_stage(path: Path) -> None:
    assert _package_imports(path) <= LEAF_IMPORTS, path.name


@pytest.mark.parametrize("text, expected", [
    ("Ủy ban nhân dân tỉnh Quảng Ngãi", (7, 1.0, 0.86)),
    ("UBND TỈNH ĐẮK NÔNG SỞ TÀI CHÍNH", (5, 1.0, 1.0)),  # "UBND", "ĐẮK": short capitals, not counted
    ("uY BAN NgAN nAN THONGBAo", (5, 0.2, 0.0)),  # an old OCR layer
    ("UY BAN NHAN DAN TINH CA MAU", (7, 1.0, 0.0)),  # syllables that lost every mark
    (unicodedata.normalize("NFD", "Kết luận của Chủ tịch"), (5, 1.0, 1.0)),
    ("12/TB-UBND", (0, 1.0, 1.0)),
])  # fmt: skip
def test_text_syllable_shares_tell_vietnamese_from_garbage(
    text: str, expected: tuple[int, float, float]
) -> None:
    assert syllable_shares(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Báo cáo ﬁnal và kế hoạch ﬂood", "Báo cáo final và kế hoạch flood"),  # ligatures of a PDF text layer
        ("Sở Tài chính", "Sở Tài chính"),
    ],
)
def test_text_clean_characters_ligatures(text: str, expected: str) -> None:
    assert clean_characters(text) == expected


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("UBND tinh Quang Ngai", ""),  # ASCII: no 8-bit letter to weigh
        ("THOÂNG BAÙO keát luaän cuûa Chuû tòch", "vni"),
        ("Uû ban nh©n d©n tØnh Qu¶ng Ng·i", "tcvn3"),
        ("Ủy ban nhân dân tỉnh Quảng Ngãi", ""),
    ],
)
def test_text_detect_legacy_ascii_and_unicode(text: str, encoding: str) -> None:
    assert detect_legacy(text) == encoding


def test_text_tone_key_is_remembered_and_equal_for_both_tone_styles() -> None:
    assert tone_key("Hoà Bình, THUỶ LỢI") == tone_key("hòa bình, thủy lợi") == "hòa bình, thủy lợi"
    hits = tone_key.cache_info().hits
    tone_key("Hoà Bình, THUỶ LỢI")
    assert tone_key.cache_info().hits == hits + 1
