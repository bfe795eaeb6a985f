"""Tests of the normalize stage: tone style, NFC, legacy TCVN3/VNI, page furniture."""

from __future__ import annotations

import dataclasses
import json
import random
import shutil
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from ketluan.normalize import is_page_number, normalize_pages
from ketluan.records import Line, Page
from ketluan.text.canonical import normalize_text, tone_key
from ketluan.text.legacy import LEGACY_DIR, detect_legacy, legacy_to_unicode
from ketluan.text.orthography import is_syllable
from tools.paths import SHARED_OR_DEFAULT

CORPUS = SHARED_OR_DEFAULT / "corpus" / "dev" / "text"

# ----------------------------------------------------------------------------- tables
# The generator of data/legacy/*.json, kept here so the tables can be rebuilt and checked.

TONES = ["", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"]  # none, acute, grave, hook, tilde, dot
BASES = ["a", "a\u0306", "a\u0302", "e", "e\u0302", "i", "o", "o\u0302", "o\u031b", "u", "u\u031b", "y"]


def vietnamese_letters() -> list[str]:
    """The 134 non-ASCII Vietnamese letters: 67 lowercase, then their capitals."""
    lower = [unicodedata.normalize("NFC", b + t) for b in BASES for t in TONES]
    lower = [c for c in lower if not c.isascii()] + ["đ"]
    return lower + [c.upper() for c in lower]


def build_vni_table() -> dict[str, str]:
    """VNI-Windows from its structure: base byte + tone / circumflex / breve modifier byte."""
    tone_mod = {"\u0301": 0xF9, "\u0300": 0xF8, "\u0309": 0xFB, "\u0303": 0xF5, "\u0323": 0xEF}  # ù ø û õ ï
    circ_mod = {
        "": 0xE2,
        "\u0301": 0xE1,
        "\u0300": 0xE0,
        "\u0309": 0xE5,
        "\u0303": 0xE3,
        "\u0323": 0xE4,
    }  # â á à å ã ä
    breve_mod = {
        "": 0xEA,
        "\u0301": 0xE9,
        "\u0300": 0xE8,
        "\u0309": 0xFA,
        "\u0303": 0xFC,
        "\u0323": 0xEB,
    }  # ê é è ú ü ë
    i_single = {"\u0301": 0xED, "\u0300": 0xEC, "\u0309": 0xE6, "\u0303": 0xF3, "\u0323": 0xF2}  # í ì æ ó ò
    table: dict[str, list[int]] = {}
    for letter in vietnamese_letters()[:67]:
        if letter == "đ":
            table[letter] = [0xF1]  # ñ
            continue
        base, marks = unicodedata.normalize("NFD", letter)[0], unicodedata.normalize("NFD", letter)[1:]
        tone = next((m for m in marks if m in tone_mod), "")
        quality = next((m for m in marks if m in "\u0302\u0306\u031b"), "")
        if quality == "\u0302":
            seq = [ord(base), circ_mod[tone]]
        elif quality == "\u0306":
            seq = [ord(base), breve_mod[tone]]
        elif quality == "\u031b":  # ơ = ô, ư = ö
            seq = [0xF4 if base == "o" else 0xF6] + ([tone_mod[tone]] if tone else [])
        elif base == "i":
            seq = [i_single[tone]]
        elif base == "y" and tone == "\u0323":
            seq = [0xEE]  # ỵ = î
        else:
            seq = [ord(base), tone_mod[tone]]
        table[letter] = seq
    for letter in list(table):  # capitals: ASCII base upper, modifier byte - 0x20
        table[letter.upper()] = [b - 0x20 if b >= 0xE0 or 0x61 <= b <= 0x7A else b for b in table[letter]]
    return {k: " ".join(f"{b:02X}" for b in v) for k, v in table.items()}


def load_table(name: str) -> dict[str, bytes]:
    data = json.loads((LEGACY_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return {k: bytes.fromhex(v) for k, v in data["letters"].items()}


def encode_legacy(text: str, name: str, capitals_as_lower: bool = False) -> bytes:
    """Unicode -> legacy bytes with the inverse table; `capitals_as_lower` types as .VnTimeH does."""
    table = load_table(name)
    out = bytearray()
    for char in text:
        lower = char.lower()
        if capitals_as_lower and char != lower and lower in table and lower not in "ăâêôơưđ":
            out += table[lower]
        elif char in table:
            out += table[char]
        else:
            out += char.encode("latin-1")
    return bytes(out)


def decode_cp1252(data: bytes) -> str:
    """Decode as Windows does: cp1252, with the five undefined bytes as C1 controls."""
    return "".join(
        chr(b) if b in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else bytes([b]).decode("cp1252") for b in data
    )


@pytest.mark.parametrize("name", ["tcvn3", "vni"])
def test_normalize_legacy_table_has_all_134_letters(name: str) -> None:
    table = load_table(name)
    assert sorted(table) == sorted(vietnamese_letters())
    assert len(set(table.values())) == 134  # no two letters share a code


def test_normalize_vni_table_matches_generator() -> None:
    data = json.loads((LEGACY_DIR / "vni.json").read_text(encoding="utf-8"))
    assert data["letters"] == build_vni_table()


# fmt: off
@pytest.mark.parametrize("letters, vni", [
    # rows of the VNI-Windows chart (xvnkb vni.h): none, acute, grave, hook, tilde, dot
    ("AÁÀẢÃẠ", "A AÙ AØ AÛ AÕ AÏ"),
    ("ÂẤẦẨẪẬ", "AÂ AÁ AÀ AÅ AÃ AÄ"),
    ("ĂẮẰẲẴẶ", "AÊ AÉ AÈ AÚ AÜ AË"),
    ("ƠỚỜỞỠỢ", "Ô ÔÙ ÔØ ÔÛ ÔÕ ÔÏ"),
    ("ƯỨỪỬỮỰ", "Ö ÖÙ ÖØ ÖÛ ÖÕ ÖÏ"),
    ("IÍÌỈĨỊ", "I Í Ì Æ Ó Ò"),
    ("YÝỲỶỸỴ", "Y YÙ YØ YÛ YÕ Î"),
    ("iíìỉĩị", "i í ì æ ó ò"),
    ("êếềểễệ", "eâ eá eà eå eã eä"),
    ("ưứừửữự", "ö öù öø öû öõ öï"),
    ("Đđ", "Ñ ñ"),
])
# fmt: on
def test_normalize_vni_table_matches_chart(letters: str, vni: str) -> None:
    table = load_table("vni")
    got = [table[c].decode("latin-1") if c in table else c for c in letters]
    assert got == vni.split()


@pytest.mark.skipif(shutil.which("iconv") is None, reason="iconv not installed")
def test_normalize_tcvn3_table_matches_iconv() -> None:
    probe = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=b"\xb8", capture_output=True)
    if probe.returncode != 0:
        pytest.skip("iconv has no TCVN5712-1")
    for letter, code in load_table("tcvn3").items():
        out = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=code, capture_output=True)
        assert out.stdout.decode("utf-8") == letter


# fmt: off
@pytest.mark.parametrize("letters, tcvn3", [
    # the VN3 lowercase codes of the .VnTime fonts (TCVN 5712:1993)
    ("àảãáạ", "µ¶·¸¹"), ("ằẳẵắặ", "»¼½¾Æ"), ("ầẩẫấậ", "ÇÈÉÊË"), ("èẻẽéẹ", "ÌÎÏÐÑ"),
    ("ềểễếệ", "ÒÓÔÕÖ"), ("ìỉĩíị", "×ØÜÝÞ"), ("òỏõóọ", "ßáâãä"), ("ồổỗốộ", "åæçèé"),
    ("ờởỡớợ", "êëìíî"), ("ùủũúụ", "ïñòóô"), ("ừửữứự", "õö÷øù"), ("ỳỷỹýỵ", "úûüýþ"),
    ("ăâêôơưđ", "¨©ª«¬\xad®"), ("ĂÂÊÔƠƯĐ", "¡¢£¤¥¦§"),
])
# fmt: on
def test_normalize_tcvn3_table_matches_chart(letters: str, tcvn3: str) -> None:
    table = load_table("tcvn3")
    assert "".join(table[c].decode("latin-1") for c in letters) == tcvn3


ROUND_TRIP = (
    "ỦY BAN NHÂN DÂN TỈNH BÌNH ĐỊNH\n"
    "THÔNG BÁO\n"
    "Kết luận của Chủ tịch Ủy ban nhân dân tỉnh tại cuộc họp giao ban tháng 3 năm 2024\n"
    "Ngày 15 tháng 3 năm 2024, đồng chí Phó Chủ tịch chủ trì cuộc họp; dự họp có lãnh đạo các sở, ban, ngành.\n"
    "- Tiến độ giải ngân vốn đầu tư công còn chậm, chưa đạt kế hoạch đề ra. Ở một số địa phương, "
    "việc bồi thường, giải phóng mặt bằng còn vướng mắc.\n"
    "- Yêu cầu Sở Tài chính khẩn trương hoàn thành, báo cáo trước ngày 30/4/2024./.\n"
    # capitals with VN1 codes in 0x80-0x9F (cp1252 punctuation) and in C0, inside capitalised words
    "HÀ BẢN NÃO BÁO TẠI ĐẶC LUẬN ĐÈN KẺ VẼ XÉT HẸN VIỆT BÌNH TỈNH NGHĨA CHÍNH TỊCH HÒA HỎI VÕ CÓ HỌC HỘI "
    "GIỜ SỞ GỠ LỚP HỢP CÙNG CỦA VŨ; ÚP ỤP LỪA TỬ LỮ ỨNG LỰC HUỲNH THỦY LỸ HUÝ LỴ; ỨNG DỤNG CÔNG NGHỆ "
    "THÔNG TIN, CẢI CÁCH HÀNH CHÍNH, ĐẨY MẠNH THU NGÂN SÁCH; Ấp Ông Đồn, Ỷ Lan, Ắc quy, Ẩm thực, "
    "Ổn định, Ồn ào, Ùn tắc, Ủng hộ, Ụ nổi, Ỳ ạch, Ý kiến, Ích lợi, Ít, Ước tính, Ứng dụng, Ừ, Ưu tiên, Ơn."
)


@pytest.mark.parametrize("name", ["tcvn3", "vni"])
@pytest.mark.parametrize("decode", [lambda b: b.decode("latin-1"), decode_cp1252], ids=["latin1", "cp1252"])
def test_normalize_legacy_round_trip_is_exact(name: str, decode: object) -> None:
    assert callable(decode)
    legacy = decode(encode_legacy(ROUND_TRIP, name))
    assert legacy != ROUND_TRIP
    assert detect_legacy(legacy) == name
    assert legacy_to_unicode(legacy, name) == ROUND_TRIP


def test_normalize_legacy_round_trip_covers_every_letter() -> None:
    letters = vietnamese_letters()
    text = " ".join(letters)
    for name in ("tcvn3", "vni"):
        assert legacy_to_unicode(encode_legacy(text, name).decode("latin-1"), name) == text


# ----------------------------------------------------------------------------- tones

# fmt: off
TONE_CASES = [
    ("hoà", "hòa"), ("thuý", "thúy"), ("khoẻ", "khỏe"), ("Hoá", "Hóa"), ("tuỳ", "tùy"), ("HOÀ", "HÒA"),
    ("thuỷ", "thủy"), ("Thuỷ lợi", "Thủy lợi"), ("uỷ ban", "ủy ban"), ("Uỷ ban", "Ủy ban"), ("UỶ BAN", "ỦY BAN"),
    ("Thanh Hoá", "Thanh Hóa"), ("Hoằng Hoá", "Hoằng Hóa"), ("hoá đơn", "hóa đơn"), ("toà án", "tòa án"),
    ("hoạ sĩ", "họa sĩ"), ("loè loẹt", "lòe loẹt"), ("luỹ kế", "lũy kế"), ("Thuỵ Điển", "Thụy Điển"),
    ("suy thoái", "suy thoái"), ("goá", "góa"), ("xoà", "xòa"), ("tuý luý", "túy lúy"),
    # stays: qu/gi onsets, final consonants, marked vowels, three-vowel rhymes
    ("quý", "quý"), ("Quý II", "Quý II"), ("quả", "quả"), ("quà", "quà"), ("quốc", "quốc"), ("quyết", "quyết"),
    ("quỳnh", "quỳnh"), ("giữa", "giữa"), ("giữ", "giữ"), ("già", "già"), ("giải", "giải"), ("giúp", "giúp"),
    ("gìn giữ", "gìn giữ"), ("giếng", "giếng"), ("hoàng", "hoàng"), ("hoàn thành", "hoàn thành"),
    ("hoạch", "hoạch"), ("thuyết", "thuyết"), ("huỳnh", "huỳnh"), ("thuở", "thuở"), ("khuya", "khuya"),
    ("khuỷu", "khuỷu"), ("loại", "loại"), ("ngoài", "ngoài"), ("xoáy", "xoáy"), ("người", "người"),
    ("của", "của"), ("mùa", "mùa"), ("tuổi", "tuổi"), ("chuyện", "chuyện"), ("Nguyễn", "Nguyễn"),
    ("khuấy", "khuấy"), ("hươu", "hươu"), ("ý kiến", "ý kiến"), ("hòa", "hòa"), ("thúy", "thúy"),
    # a common old typing slip: the tone of "qu" + vowel on the u
    ("qúa", "quá"), ("qúy", "quý"),
    # not Vietnamese: untouched
    ("café", "café"), ("Noël", "Noël"), ("hoá-2", "hóa-2"),
]
# fmt: on


@pytest.mark.parametrize("raw, expected", TONE_CASES)
def test_normalize_tone_style_old_placement(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


@pytest.mark.parametrize("raw, expected", TONE_CASES)
def test_normalize_tone_style_from_nfd_input(raw: str, expected: str) -> None:
    out = normalize_text(unicodedata.normalize("NFD", raw))
    assert out == expected
    assert unicodedata.is_normalized("NFC", out)


# fmt: off
@pytest.mark.parametrize("a, b", [
    ("hoà", "hòa"), ("thuý", "thúy"), ("khoẻ", "khỏe"), ("hoá", "hóa"), ("tuỳ", "tùy"), ("Thanh Hoá", "thanh hóa"),
    ("HOÀ BÌNH", "hòa bình"), ("Uỷ ban", "ủy ban"), ("thuỷ lợi", "THỦY LỢI"), ("Hoằng Hoá", "hoằng hóa"),
    ("kh\u006f\u0309e", "khỏe"), ("Công  ty\u00a0Thuỷ lợi", "công ty thủy lợi"),
])
# fmt: on
def test_normalize_tone_key_equates_conventions(a: str, b: str) -> None:
    assert tone_key(a) == tone_key(b)


# fmt: off
@pytest.mark.parametrize("a, b", [("hòa", "hoa"), ("quý", "quỹ"), ("hoàn", "hoạn"), ("thủy", "thúy")])
# fmt: on
def test_normalize_tone_key_keeps_tones_apart(a: str, b: str) -> None:
    assert tone_key(a) != tone_key(b)


def _new_style(text: str) -> str:
    """Rewrite old-style oa/oe/uy tones to the new style (hòa -> hoà), for the property test."""
    out = []
    for word in unicodedata.normalize("NFD", text).split(" "):
        for pair in ("oa", "oe", "uy"):
            for tone in "\u0300\u0301\u0303\u0309\u0323":
                word = word.replace(pair[0] + tone + pair[1], pair[0] + pair[1] + tone)
        out.append(word)
    return unicodedata.normalize("NFC", " ".join(out))


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.stem[:12])
def test_normalize_tone_key_equates_conventions_on_corpus(path: Path) -> None:
    for line in path.read_text(encoding="utf-8").splitlines()[:60]:
        assert tone_key(line) == tone_key(_new_style(normalize_text(line)))


def test_normalize_nfd_corpus_file_comes_out_nfc() -> None:
    raw = (CORPUS / "d07_benh_vien_giao_ban_thang_nfd.txt").read_text(encoding="utf-8")
    assert not unicodedata.is_normalized("NFC", raw)
    out = normalize_text(raw)
    assert unicodedata.is_normalized("NFC", out)
    assert "hoà" not in out and "Thuý" not in out and "khoẻ" not in out
    assert "hòa" in out or "HÒA" in out


# ----------------------------------------------------------------------------- clean-up

# fmt: off
@pytest.mark.parametrize("raw, expected", [
    ("Số:\u00a011/TB-UBND", "Số: 11/TB-UBND"),
    ("Kết luận  của   Chủ tịch ", "Kết luận của Chủ tịch"),
    ("\tCăn cứ\tNghị định 30/2020/NĐ-CP", "Căn cứ Nghị định 30/2020/NĐ-CP"),
    ("thông\u200b báo\ufeff", "thông báo"),
    ("giao\u00adban", "giao ban"),  # two syllables: the invisible mark stood between two words
    ("Qu\u00adảng", "Quảng"),  # inside one syllable: dropped
    ("kết\x07 luận\x00", "kết luận"),
    ("Nghị\u2009định", "Nghị định"),
    ("ﬁle đính kèm", "file đính kèm"),
    ("   ", ""),
    ("dòng 1\r\ndòng  2", "dòng 1\ndòng 2"),
])
# fmt: on
def test_normalize_cleans_spaces_and_invisible_characters(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


IDEMPOTENCE_POOL = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯQYàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
    "ÀÁẢÃẠỲÝỶỸỴ \u00a0\u200b\u00ad\t\u0300\u0301\u0303\u0309\u0323\u0302\u031b0123456789.,;:-/()"
    "©¬®§¸µ¶·¹«»¨ª¡¢£¤¥¦ÒÕÖÞãäèéùüöñôïø€“”–•™"
)


def test_normalize_text_is_idempotent_on_random_text() -> None:
    rng = random.Random(20240315)
    for _ in range(3000):
        text = "".join(rng.choice(IDEMPOTENCE_POOL) for _ in range(rng.randint(0, 40)))
        once = normalize_text(text)
        assert normalize_text(once) == once, repr(text)
        assert unicodedata.is_normalized("NFC", once)


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.stem[:12])
def test_normalize_text_is_idempotent_on_corpus(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for variant in (text, unicodedata.normalize("NFD", text), _new_style(text)):
        once = normalize_text(variant)
        assert normalize_text(once) == once


@pytest.mark.parametrize("name", ["tcvn3", "vni"])
def test_normalize_text_is_idempotent_on_legacy(name: str) -> None:
    legacy = decode_cp1252(encode_legacy(ROUND_TRIP, name))
    once = normalize_text(legacy)
    assert normalize_text(once) == once
    assert once == normalize_text(ROUND_TRIP)


# ----------------------------------------------------------------------------- legacy text

TCVN3_PARAGRAPH = (
    "ñY BAN NH¢N D¢N TØNH B×NH §ÞNH\n"
    "TH¤NG B¸O\n"
    "KÕt luËn cña Chñ tÞch Uû ban nh©n d©n tØnh t¹i cuéc häp giao ban th¸ng 3 n¨m 2024\n"
    "Ngµy 15 th¸ng 3 n¨m 2024, ®ång chÝ Phã Chñ tÞch chñ tr× cuéc häp; dù häp cã l·nh ®¹o c¸c së, ban, ngµnh.\n"
    "- TiÕn ®é gi¶i ng©n vèn ®Çu t\xad c«ng cßn chËm, ch\xada ®¹t kÕ ho¹ch ®Ò ra;\n"
    "- Yªu cÇu Së Tµi chÝnh khÈn tr\xad¬ng hoµn thµnh, b¸o c¸o tr\xadíc ngµy 30/4/2024./."
)
VNI_PARAGRAPH = (
    "UÛY BAN NHAÂN DAÂN TÆNH BÌNH ÑÒNH\n"
    "THOÂNG BAÙO\n"
    "Keát luaän cuûa Chuû tòch UÛy ban nhaân daân tænh taïi cuoäc hoïp giao ban thaùng 3 naêm 2024\n"
    "Ngaøy 15 thaùng 3 naêm 2024, ñoàng chí Phoù Chuû tòch chuû trì cuoäc hoïp; döï hoïp coù laõnh ñaïo caùc sôû, ban, ngaønh.\n"
    "- Tieán ñoä giaûi ngaân voán ñaàu tö coâng coøn chaäm, chöa ñaït keá hoaïch ñeà ra;\n"
    "- Yeâu caàu Sôû Taøi chính khaån tröông hoaøn thaønh, baùo caùo tröôùc ngaøy 30/4/2024./."
)
UNICODE_PARAGRAPH = (
    "ỦY BAN NHÂN DÂN TỈNH BÌNH ĐỊNH\n"
    "THÔNG BÁO\n"
    "Kết luận của Chủ tịch Ủy ban nhân dân tỉnh tại cuộc họp giao ban tháng 3 năm 2024\n"
    "Ngày 15 tháng 3 năm 2024, đồng chí Phó Chủ tịch chủ trì cuộc họp; dự họp có lãnh đạo các sở, ban, ngành.\n"
    "- Tiến độ giải ngân vốn đầu tư công còn chậm, chưa đạt kế hoạch đề ra;\n"
    "- Yêu cầu Sở Tài chính khẩn trương hoàn thành, báo cáo trước ngày 30/4/2024./."
)


@pytest.mark.parametrize("legacy, name", [(TCVN3_PARAGRAPH, "tcvn3"), (VNI_PARAGRAPH, "vni")])
def test_normalize_legacy_paragraph_converted_exactly(legacy: str, name: str) -> None:
    assert detect_legacy(legacy) == name
    assert normalize_text(legacy) == UNICODE_PARAGRAPH


# fmt: off
@pytest.mark.parametrize("legacy, name, expected", [
    ("Uû ban nh©n d©n tØnh", "tcvn3", "Ủy ban nhân dân tỉnh"),
    ("CéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM", "tcvn3", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),  # .VnTimeH capitals
    ("§éc lËp - Tù do - H¹nh phóc", "tcvn3", "Độc lập - Tự do - Hạnh phúc"),
    ("Sè: 58/TB-VP", "tcvn3", "Số: 58/TB-VP"),
    ("“Th«ng b¸o” kÕt luËn – giao ban", "tcvn3", "“Thông báo” kết luận – giao ban"),  # real quotes and dash
    ("CéNG HOµ X· HéI CHñ NGH\x8fA", "tcvn3", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA"),  # VN1 capital code 0x8F
    ("“B¸O C¸O” cña V” V¡N A", "tcvn3", "“BÁO CÁO” của VÕ VĂN A"),  # ” after capitals: a quote, or Õ
    ("PH’NG GI¸O DôC; H–C SINH; C• TR¸CH NHIÖM", "tcvn3", "PHÒNG GIÁO DỤC; HỌC SINH; CÓ TRÁCH NHIỆM"),
    ("™ mét sè ®Þa ph\xad¬ng", "tcvn3", "Ở một số địa phương"),
    ("THOÂNG BAÙO keát luaän", "vni", "THÔNG BÁO kết luận"),
    ("Maõ baïn choïn khoâng hôïp leä!", "vni", "Mã bạn chọn không hợp lệ!"),
    ("Xin chaøo caùc baïn", "vni", "Xin chào các bạn"),
    ("ÑAÛNG COÄNG SAÛN VIEÄT NAM", "vni", "ĐẢNG CỘNG SẢN VIỆT NAM"),
    ("Thuûy lôïi, khoûe, hoøa", "vni", "Thủy lợi, khỏe, hòa"),
])
# fmt: on
def test_normalize_legacy_lines_converted(legacy: str, name: str, expected: str) -> None:
    assert normalize_text(legacy_to_unicode(legacy, name)) == expected


# fmt: off
@pytest.mark.parametrize("text", [
    "Ủy ban nhân dân tỉnh Quảng Ngãi",
    "Thái Bình, Hà Nội, Đà Nẵng",
    "Thái Bình",
    "Bình Định ngày 15 tháng 3 năm 2024",
    "hoà thuý khoẻ hoá tuỳ",
    unicodedata.normalize("NFD", "Thông báo kết luận của Chủ tịch Ủy ban nhân dân tỉnh"),
    "The meeting reviewed the results of the first quarter and set the tasks for the next one.",
    "Microsoft® Word© 2010 — “smart quotes” • bullets – dashes…",
    "Le café est à côté de la gare, près de l'église où il est né.",
    "Après la réunion, le comité a approuvé le procès-verbal; à bientôt, chère collègue.",
    "Il est né à Paris, là où il a vécu; thé ou café?",
    "Señor Müller, naïve façade, crème brûlée, São Paulo, Ærø, Þór",
    "ª º « » ° ± ² ³ ´ µ ¶ · ¸ ¹ ¼ ½ ¾ ¿ × ÷",
    "30°C, ±5%, x² + y³, 1½ giờ",
    "",
])
# fmt: on
def test_normalize_detect_legacy_no_false_positive(text: str) -> None:
    assert detect_legacy(text) == ""
    assert normalize_text(text) == normalize_text(unicodedata.normalize("NFC", text))


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.stem[:12])
def test_normalize_detect_legacy_no_false_positive_on_corpus(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert detect_legacy(unicodedata.normalize("NFC", text)) == ""
    assert detect_legacy(text) == ""


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.stem[:12])
@pytest.mark.parametrize("name", ["tcvn3", "vni"])
def test_normalize_corpus_in_legacy_encoding_round_trips(path: Path, name: str) -> None:
    text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
    text = text.translate(str.maketrans("“”‘’–—…•", "\"\"''--.-"))  # cp1252 punctuation has its own test
    legacy = decode_cp1252(encode_legacy(text, name))
    assert detect_legacy(legacy) == name
    assert normalize_text(legacy) == normalize_text(text)


# fmt: off
@pytest.mark.parametrize("word, expected", [
    ("Quốc", True), ("khuya", True), ("nghiêng", True), ("giữa", True), ("oà", True), ("HOÀ", True),
    ("café", False), ("lỔ", False), ("thoâng", False), ("bac", False), ("bàc", False), ("TNHH", False),
])
# fmt: on
def test_normalize_is_syllable(word: str, expected: bool) -> None:
    assert is_syllable(word) is expected


def test_normalize_legacy_to_unicode_rejects_unknown_encoding() -> None:
    with pytest.raises(ValueError, match="unknown legacy encoding"):
        legacy_to_unicode("abc", "viscii")
    assert legacy_to_unicode("nh©n", "") == "nh©n"


# ----------------------------------------------------------------------------- pages


def ln(text: str, page: int = 1, **kw: Any) -> Line:
    return Line(text, page, **kw)


def texts(pages: list[Page]) -> list[list[str]]:
    return [[line.text for line in page.lines] for page in pages]


def three_page_document() -> list[Page]:
    """A 3-page text PDF: page numbers, a running header from page 2 and a running footer."""
    p1 = Page(1, [
        ln("ỦY BAN NHÂN DÂN", 1, bold=True, column="left", x0=60.0),
        ln("TỈNH BÌNH ĐỊNH", 1, bold=True, column="left"),
        ln("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 1, bold=True, column="right"),
        ln("Độc lập - Tự do - Hạnh phúc", 1, bold=True, column="right"),
        ln("THÔNG BÁO", 1, bold=True, centered=True, gap_before=True, size=14.0),
        ln("Kết luận của Chủ tịch UBND tỉnh tại cuộc họp giao ban tháng 3 năm 2024", 1, centered=True),
        ln("1. Tiến độ giải ngân vốn đầu tư công còn chậm,", 1, gap_before=True),
        ln("Công báo tỉnh Bình Định - Số 12 - 20/3/2024", 1, gap_before=True),
        ln("1", 1),
    ], width=595.0, height=842.0)  # fmt: skip
    p2 = Page(2, [
        ln("- 2 -", 2),
        ln("Thông báo số 15/TB-UBND ngày 20/3/2024", 2, italic=True, gap_before=True),
        ln("chưa đạt kế hoạch đề ra. Thuỷ lợi và giao thông", 2, gap_before=True, x0=57.0, top=90.0),
        ln("2", 2, gap_before=True),  # a lone number in the middle of a PDF page is content
        ln("tiếp tục thực hiện kế hoạch.", 2),
        ln("Công báo tỉnh Bình Định - Số 12 - 20/3/2024", 2, gap_before=True),
    ], width=595.0, height=842.0)  # fmt: skip
    p3 = Page(3, [
        ln("Trang 3/3", 3),
        ln("Thông báo số 15/TB-UBND ngày 20/3/2024", 3, italic=True),
        ln("2. Giao Sở Tài chính chủ trì, báo cáo trước ngày 30/4/2024./.", 3, gap_before=True),
        ln("Nơi nhận:", 3, bold=True, italic=True, column="left"),
        ln("Công báo tỉnh Bình Định - Số 13 - 21/3/2024", 3),
    ], width=595.0, height=842.0)  # fmt: skip
    return [p1, p2, p3]


def test_normalize_pages_drops_page_numbers_and_running_lines() -> None:
    out = normalize_pages(three_page_document())
    assert texts(out) == [
        ["ỦY BAN NHÂN DÂN", "TỈNH BÌNH ĐỊNH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
         "THÔNG BÁO", "Kết luận của Chủ tịch UBND tỉnh tại cuộc họp giao ban tháng 3 năm 2024",
         "1. Tiến độ giải ngân vốn đầu tư công còn chậm,"],
        ["chưa đạt kế hoạch đề ra. Thủy lợi và giao thông", "2", "tiếp tục thực hiện kế hoạch."],
        ["2. Giao Sở Tài chính chủ trì, báo cáo trước ngày 30/4/2024./.", "Nơi nhận:"],
    ]  # fmt: skip


def test_normalize_pages_keeps_line_attributes() -> None:
    pages = three_page_document()
    out = normalize_pages(pages)
    first, title = out[0].lines[0], out[0].lines[4]
    assert (first.bold, first.column, first.x0, first.page) == (True, "left", 60.0, 1)
    assert (title.bold, title.centered, title.gap_before, title.size) == (True, True, True, 14.0)
    body = out[1].lines[0]
    assert (body.x0, body.top, body.page, body.gap_before) == (57.0, 90.0, 2, True)
    assert out[2].lines[1].italic and out[2].lines[1].column == "left"
    assert (out[0].width, out[0].height, out[1].number) == (595.0, 842.0, 2)


def test_normalize_pages_passes_gap_of_dropped_line_on() -> None:
    page = Page(1, [ln("Kết luận:"), ln("\u200b", gap_before=True), ln("1. Giao Sở Nội vụ"), ln("2", gap_before=True)])
    out = normalize_pages([page])
    assert texts(out) == [["Kết luận:", "1. Giao Sở Nội vụ"]]
    assert out[0].lines[1].gap_before is True


def test_normalize_pages_does_not_modify_input() -> None:
    pages = three_page_document()
    before = [[dataclasses.astuple(line) for line in page.lines] for page in pages]
    normalize_pages(pages)
    assert [[dataclasses.astuple(line) for line in page.lines] for page in pages] == before


def test_normalize_pages_keeps_running_lines_of_two_page_documents() -> None:
    pages = three_page_document()[:2]
    out = normalize_pages(pages)
    assert "Công báo tỉnh Bình Định - Số 12 - 20/3/2024" in texts(out)[0]
    assert "1" not in texts(out)[0] and "- 2 -" not in texts(out)[1]


def test_normalize_pages_keeps_each_documents_header_in_a_bundle() -> None:
    """A scanned bundle of one-page documents: every page opens with the same header lines."""
    pages = [
        Page(n, [ln("ỦY BAN NHÂN DÂN TỈNH HẢI DƯƠNG", n), ln("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", n),
                 ln("Độc lập - Tự do - Hạnh phúc", n), ln(f"Số: {60 + n}/QĐ-UBND", n), ln("QUYẾT ĐỊNH", n),
                 ln(f"Về việc tặng danh hiệu số {n}", n)])
        for n in (1, 2, 3, 4)
    ]  # fmt: skip
    out = normalize_pages(pages)
    assert all(page[0] == "ỦY BAN NHÂN DÂN TỈNH HẢI DƯƠNG" for page in texts(out))
    assert all(len(page) == 6 for page in texts(out))


# fmt: off
@pytest.mark.parametrize("text, expected", [
    ("2", True), ("- 2 -", True), ("-2-", True), ("– 12 –", True), ("Trang 2", True), ("Trang 2/5", True),
    ("trang 2 / 5", True), ("2/5", True), ("Page 3 of 7", True), ("Tr. 4", True),
    ("2024", False), ("1.", False), ("I", False), ("2. Giao Sở Tài chính", False), ("Trang thông tin điện tử", False),
])
# fmt: on
def test_normalize_is_page_number(text: str, expected: bool) -> None:
    assert is_page_number(text) is expected


def test_normalize_pages_keeps_lone_number_inside_pdf_page() -> None:
    page = Page(1, [ln("Số đơn đã tiếp nhận:"), ln("12"), ln("trong đó đã giải quyết xong.")])
    assert texts(normalize_pages([page])) == [["Số đơn đã tiếp nhận:", "12", "trong đó đã giải quyết xong."]]


def test_normalize_pages_drops_lone_number_between_txt_lines() -> None:
    """As in a wrapped plain-text file: a page-number line inside a task item (corpus d09)."""
    lines = [
        ln("2. Phòng Quản lý nước và công trình chủ trì, phối hợp với chính quyền địa", origin="txt"),
        ln("2", origin="txt", gap_before=True),
        ln("phương kiểm tra, lập biên bản các trường hợp vi phạm", origin="txt", gap_before=True),
        ln("- 3 -", origin="txt"),
        ln("trước ngày 30/9/2024.", origin="txt"),
    ]  # fmt: skip
    out = normalize_pages([Page(1, lines)])
    assert texts(out) == [[lines[0].text, lines[2].text, lines[4].text]]
    assert [line.origin for line in out[0].lines] == ["txt"] * 3


def test_normalize_pages_keeps_numbers_in_table_rows() -> None:
    row = ln("2", table_row=["2", "Sở Tài chính", "30/4/2024"], origin="table")
    out = normalize_pages([Page(1, [ln("Bảng phân công:"), row])])
    assert texts(out) == [["Bảng phân công:", "2"]]
    assert out[0].lines[1].table_row == ["2", "Sở Tài chính", "30/4/2024"]


def test_normalize_pages_normalizes_table_cells() -> None:
    row = ln("Thuỷ lợi | hoà", table_row=["Thuỷ\u00a0lợi", "hoà"], origin="table")
    out = normalize_pages([Page(1, [row])])
    assert out[0].lines[0].table_row == ["Thủy lợi", "hòa"]


# ----------------------------------------------------------------------------- signature stamps

BODY_END = ["Nay, thông báo kết luận của Phó Chủ tịch UBND tỉnh để các cơ quan thực hiện./.", "Nơi nhận:"]
SIGNER = ["KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG", "Nguyễn Phước Bình"]

# fmt: off
STAMPS = {
    "vgca_block": ["Người ký: Ủy ban Nhân dân tỉnh Quảng Ngãi", "Email: ubnd@quangngai.gov.vn",
                   "Cơ quan: Tỉnh Quảng Ngãi", "Thời gian ký: 09.01.2025 08:30:12 +07:00"],
    "cong_bao_block": ["TRUNG TÂM CÔNG BÁO", "VÀ TIN HỌC", "ttcbth@quangngai.gov.vn", "09.01.2025 10:21:11 +07:00"],
    "cong_bao_one_line": ["TRUNG TÂM CÔNG BÁO VÀ TIN HỌC", "congbao@binhdinh.gov.vn", "24.01.2025 20:06:24 +07:00"],
    "ky_boi": ["Ký bởi: Ủy ban nhân dân tỉnh Quảng Ngãi", "Cơ quan: Tỉnh Quảng Ngãi",
               "Thời gian ký: 24/01/2025 14:23:43"],
    "english": ["Signature Not Verified", "Digitally signed by: SO TAI CHINH", "Date: 2025-01-09 08:30:12"],
    "two_weak": ["Cơ quan: Sở Tài chính tỉnh Bình Định", "Email: stc@binhdinh.gov.vn"],
}
# fmt: on


@pytest.mark.parametrize("where", ["top", "bottom", "after_signer"])
@pytest.mark.parametrize("stamp", list(STAMPS), ids=list(STAMPS))
def test_normalize_pages_drops_signature_stamp(stamp: str, where: str) -> None:
    lines = BODY_END + SIGNER
    if where == "top":
        lines = STAMPS[stamp] + lines
    elif where == "bottom":
        lines = lines + STAMPS[stamp]
    else:
        lines = BODY_END + SIGNER[:2] + STAMPS[stamp] + SIGNER[2:]
    out = normalize_pages([Page(1, [ln(t) for t in lines])])
    assert texts(out) == [BODY_END + SIGNER]


def test_normalize_pages_cuts_stamp_column_merged_into_a_line() -> None:
    """Two stamps side by side read as one line each: the left column is kept unless it is a stamp."""
    lines = SIGNER + [
        "Ký bởi: Ủy ban nhân dân tỉnh Quảng Ngãi",
        "TRUNG TÂM CÔNG BÁO Cơ quan: Tỉnh Quảng Ngãi",
        "VÀ TIN HỌC Thời gian ký: 24/01/2025 14:23:43",
        "ttcbth@quangngai.gov.vn",
        "24.01.2025 20:06:24 +07:00",
    ]
    assert texts(normalize_pages([Page(1, [ln(t) for t in lines])])) == [SIGNER]
    merged = ["- Lưu: VT, KTTH. Thời gian ký: 24/01/2025 14:23:43"]
    assert texts(normalize_pages([Page(1, [ln(t) for t in merged])])) == [["- Lưu: VT, KTTH."]]


# fmt: off
@pytest.mark.parametrize("line", [
    "Cơ quan: Sở Tài chính tỉnh Bình Định",          # one weak label alone is body text
    "Email: vanphong@binhdinh.gov.vn",
    "Cơ quan chủ trì: Sở Kế hoạch và Đầu tư",
    "Ngày ký hợp đồng: chậm nhất 30/4/2024",
    "Quảng Ngãi, ngày 08 tháng 01 năm 2025",
    "TRUNG TÂM CÔNG BÁO VÀ TIN HỌC",                  # the agency named in a recipient list
    "- Trung tâm Công báo và Tin học tỉnh;",
    "Thời gian: 08 giờ 00, ngày 15/3/2024",
])
# fmt: on
def test_normalize_pages_keeps_lines_that_only_look_like_stamps(line: str) -> None:
    lines = ["- Sở Tài chính;", line, "- Lưu: VT."]
    assert texts(normalize_pages([Page(1, [ln(t) for t in lines])])) == [lines]


def test_normalize_pages_converts_legacy_document_line_by_line() -> None:
    """Encoding is decided for the whole document, so a short legacy line is converted too."""
    pages = [Page(1, [ln(t) for t in TCVN3_PARAGRAPH.split("\n")] + [ln("B¸O C¸O")])]
    out = normalize_pages(pages)
    assert texts(out)[0] == UNICODE_PARAGRAPH.split("\n") + ["BÁO CÁO"]


def test_normalize_pages_leaves_unicode_lines_of_a_legacy_document() -> None:
    pages = [Page(1, [ln(t) for t in VNI_PARAGRAPH.split("\n")] + [ln("Đã ký: Nguyễn Văn Hoà")])]
    out = normalize_pages(pages)
    assert texts(out)[0] == UNICODE_PARAGRAPH.split("\n") + ["Đã ký: Nguyễn Văn Hòa"]


def test_normalize_pages_empty_input() -> None:
    assert normalize_pages([]) == []
    assert texts(normalize_pages([Page(1, [])])) == [[]]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_normalize_pages_on_real_signed_pdf() -> None:
    """The issued PDF of a provincial conclusion: e-office stamp on page 1, page number on page 2."""
    pdf = SHARED_OR_DEFAULT / "corpus" / "real" / "qngai_ubnd_tb11_2025_ketluan_cophanhoa_qisc.pdf"
    if not pdf.exists():
        pytest.skip("real corpus not available")
    # pdftotext (not pdfplumber) prints the text of the signature widgets, as a flattened PDF would
    raw = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = [Page(n, [ln(t, n) for t in body.split("\n")]) for n, body in enumerate(raw.split("\f")[:-1], 1)]
    assert "ttcbth@quangngai.gov.vn" in raw and "\f2\n" in raw
    out = texts(normalize_pages(pages))
    assert out[0][:2] == ["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NGÃI"]
    assert out[1][0].startswith("thực hiện theo đúng quy định")
    assert out[1][-1] == "Nguyễn Phước Bình"
    flat = "\n".join(line for page in out for line in page)
    for stamp_text in ("TRUNG TÂM CÔNG BÁO", "VÀ TIN HỌC", "ttcbth@", "+07:00"):
        assert stamp_text not in flat
