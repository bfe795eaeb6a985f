"""Tests of the metadata stage (Layout -> Fields) on hand-built layouts and the dev corpus."""

from __future__ import annotations

import json
import re
import unicodedata

import pytest
from rapidfuzz import fuzz

from ketluan.metadata import layout_to_fields
from ketluan.metadata.header import group_agencies
from ketluan.metadata.period import read_period
from ketluan.records import Fields, Layout, Line
from ketluan.text.dates import read_date
from tools.paths import SHARED_OR_DEFAULT

CORPUS = SHARED_OR_DEFAULT / "corpus"
DEV_TEXT = CORPUS / "dev" / "text"
DEV_GOLD = CORPUS / "dev" / "gold"
REAL_PDF = CORPUS / "real" / "qngai_ubnd_tb11_2025_ketluan_cophanhoa_qisc.pdf"

FIELD_NAMES = (
    "doc_number", "doc_type", "issue_date", "place", "issuer", "issuer_parent", "title",
    "period_kind", "period_start", "period_end", "period_label", "meeting_date",
    "meeting_location", "chair", "signer_title", "signer_name", "recipients", "is_conclusion",
)  # fmt: skip
DATE_FIELDS = {"issue_date", "period_start", "period_end", "meeting_date"}

# --- a SMALL test-local splitter (the real layout stage is someone else's) ----------------------
TYPE_WORDS = ("THÔNG BÁO KẾT LUẬN", "KẾT LUẬN", "THÔNG BÁO", "BÁO CÁO", "QUYẾT ĐỊNH", "KẾ HOẠCH",
              "GIẤY MỜI", "TỜ TRÌNH", "CÔNG VĂN")  # fmt: skip
SIGNER_START = re.compile(r"^(?:TM\.|T/M|KT\.|TL\.|TUQ\.|Q\.)")


def _plain(text: str) -> str:
    return text.replace("*", "").strip()


def split_text(text: str, nfc: bool = True) -> Layout:
    """Header = before the type line; title = type line + lines up to a blank; recipients from
    "Nơi nhận" to the first upper-case signer-title-like line; signer = the rest.

    The cut is made on NFC text; with `nfc=False` the lines keep the input's own form."""
    lines: list[Line] = []
    gap = False
    for raw in unicodedata.normalize("NFC", text).splitlines():
        if not raw.strip():
            gap = True
            continue
        lines.append(Line(text=raw.strip(), gap_before=gap, origin="txt"))
        gap = False
    t_idx = next(
        (
            i
            for i, ln in enumerate(lines)
            if _plain(ln.text).upper() in TYPE_WORDS and _plain(ln.text).isupper()
        ),
        0,
    )
    end = t_idx + 1
    while end < len(lines) and not lines[end].gap_before:
        end += 1
    r_idx = next((i for i, ln in enumerate(lines) if _plain(ln.text).startswith("Nơi nhận")), len(lines))
    s_idx = r_idx + 1
    while s_idx < len(lines) and not (
        SIGNER_START.match(_plain(lines[s_idx].text)) or _plain(lines[s_idx].text).isupper()
    ):
        s_idx += 1
    if not nfc:
        originals = [ln.strip() for ln in text.splitlines() if ln.strip()]
        for line, original in zip(lines, originals, strict=True):
            line.text = original
    return Layout(
        header=lines[:t_idx],
        title=lines[t_idx:end],
        body=lines[end:r_idx],
        recipients=lines[r_idx:s_idx],
        signer=lines[s_idx:],
        lines=lines,
    )


def layout_of(header: str, title: str, body: str, recipients: str = "", signer: str = "") -> Layout:
    """A hand-built Layout from five text blocks (one line per text line, blank = paragraph gap)."""

    def part(block: str) -> list[Line]:
        out: list[Line] = []
        gap = False
        for raw in block.strip("\n").splitlines():
            if not raw.strip():
                gap = True
                continue
            out.append(Line(text=raw.strip(), gap_before=gap))
            gap = False
        return out

    parts = [part(b) for b in (header, title, body, recipients, signer)]
    return Layout(*parts, lines=[ln for p in parts for ln in p])


# --- scoring like tools/score.py -----------------------------------------------------------------
TONES = "\u0300\u0301\u0303\u0309\u0323"


def _tone_last(word: str) -> str:
    d = unicodedata.normalize("NFD", word)
    tones = "".join(str(TONES.index(c) + 1) for c in d if c in TONES)
    return unicodedata.normalize("NFC", "".join(c for c in d if c not in TONES)) + tones


def _norm(s: str) -> str:
    s = re.sub(r"\w+", lambda m: _tone_last(m.group()), unicodedata.normalize("NFC", s or ""))
    s = unicodedata.normalize("NFC", s).casefold()
    s = re.sub(r"[^\w\s/]", " ", s)
    return re.sub(r"\s+", " ", s).strip()


def field_ok(name: str, gold: object, pred: object) -> bool:
    if name == "is_conclusion":
        return (str(gold).strip().lower() in ("true", "1")) == (str(pred).strip().lower() in ("true", "1"))
    g, p = str(gold or "").strip(), str(pred or "").strip()
    if name in DATE_FIELDS:
        return g[:10] == p[:10]
    if not g:
        return not p
    if name == "recipients":
        gs = {_norm(x) for x in g.split(";") if _norm(x)}
        ps = {_norm(x) for x in p.split(";") if _norm(x)}
        return len(gs & ps) >= 0.8 * max(len(gs), len(ps))
    return fuzz.ratio(_norm(g), _norm(p)) >= 90


def _gold_stems() -> list[str]:
    return sorted(p.stem for p in DEV_GOLD.glob("*.json"))


def _fields_of(stem: str) -> Fields:
    return layout_to_fields(split_text((DEV_TEXT / f"{stem}.txt").read_text(encoding="utf-8")))


# --- the 13 gold documents -----------------------------------------------------------------------
@pytest.mark.skipif(not DEV_GOLD.exists(), reason="shared dev corpus not mounted")
@pytest.mark.parametrize("stem", _gold_stems() if DEV_GOLD.exists() else [])
def test_metadata_matches_gold_fields(stem: str) -> None:
    gold = json.loads((DEV_GOLD / f"{stem}.json").read_text(encoding="utf-8"))["fields"]
    fields = _fields_of(stem)
    wrong = {
        f: (gold[f], getattr(fields, f))
        for f in FIELD_NAMES
        if f in gold and not field_ok(f, gold[f], getattr(fields, f))
    }
    assert not wrong


@pytest.mark.skipif(not DEV_GOLD.exists(), reason="shared dev corpus not mounted")
def test_metadata_gold_accuracy_at_least_97_percent() -> None:
    hits = total = 0
    for stem in _gold_stems():
        gold = json.loads((DEV_GOLD / f"{stem}.json").read_text(encoding="utf-8"))["fields"]
        fields = _fields_of(stem)
        for f in FIELD_NAMES:
            if f in gold:
                total += 1
                hits += field_ok(f, gold[f], getattr(fields, f))
    assert hits / total >= 0.97


def test_metadata_reads_nfd_input_like_nfc() -> None:
    text = (DEV_TEXT / "d07_benh_vien_giao_ban_thang_nfd.txt").read_text(encoding="utf-8")
    nfd = layout_to_fields(split_text(unicodedata.normalize("NFD", text), nfc=False))
    nfc = layout_to_fields(split_text(unicodedata.normalize("NFC", text)))
    assert nfd == nfc
    assert unicodedata.is_normalized("NFD", nfd.issuer) is False
    assert nfd.issuer_parent.startswith("SỞ Y TẾ")


# --- dates ---------------------------------------------------------------------------------------
# fmt: off
@pytest.mark.parametrize("text, iso", [
    ("Tây Ninh, ngày 18 tháng 5 năm 2020", "2020-05-18"),
    ("Quảng Ngãi, ngày 08/01/2025", "2025-01-08"),
    ("Hà Nội, ngày 08.01.2025", "2025-01-08"),
    ("Đà Nẵng, ngày 5-3-2024", "2024-03-05"),
    ("Quảng Ngãi, ngày   tháng 01 năm 2025", ""),
    ("Hà Nội, ngày 31 tháng 02 năm 2024", ""),
    (unicodedata.normalize("NFD", "Hoằng Hoá, ngày 06 tháng 11 năm 2024"), "2024-11-06"),
])
# fmt: on
def test_metadata_reads_dates(text: str, iso: str) -> None:
    assert read_date(text) == iso


# fmt: off
@pytest.mark.parametrize("lines, expected", [
    (["UBND TỈNH QUẢNG NGÃI", "VĂN PHÒNG"], ["UBND TỈNH QUẢNG NGÃI", "VĂN PHÒNG"]),
    (["ỦY BAN NHÂN DÂN", "HUYỆN NGHĨA HƯNG"], ["ỦY BAN NHÂN DÂN HUYỆN NGHĨA HƯNG"]),
    (["UBND TỈNH NINH THUẬN", "CÔNG TY TNHH MTV KHAI THÁC", "CÔNG TRÌNH THỦY LỢI NINH THUẬN"],
     ["UBND TỈNH NINH THUẬN", "CÔNG TY TNHH MTV KHAI THÁC CÔNG TRÌNH THỦY LỢI NINH THUẬN"]),
    (["SỞ TÀI NGUYÊN VÀ", "MÔI TRƯỜNG"], ["SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG"]),
    (["ĐẢNG BỘ TỈNH BẮC GIANG", "ĐẢNG UỶ KHỐI CÁC CƠ QUAN"], ["ĐẢNG BỘ TỈNH BẮC GIANG", "ĐẢNG UỶ KHỐI CÁC CƠ QUAN"]),
    (["HUYỆN ỦY CẦU NGANG"], ["HUYỆN ỦY CẦU NGANG"]),
    # a line break inside a word: "MÔI" / "TRƯỜNG", "CÔNG" / "NGHỆ" continue the name
    (["UBND TỈNH KHÁNH HÒA", "SỞ TÀI NGUYÊN VÀ MÔI", "TRƯỜNG"], ["UBND TỈNH KHÁNH HÒA", "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG"]),
    (["BỘ KHOA HỌC VÀ CÔNG", "NGHỆ"], ["BỘ KHOA HỌC VÀ CÔNG NGHỆ"]),
    # a complete name before a school's line: two names
    (["UBND HUYỆN GIA LÂM", "TRƯỜNG THCS KIÊU KỴ"], ["UBND HUYỆN GIA LÂM", "TRƯỜNG THCS KIÊU KỴ"]),
    # a comma OCR read at a line end before a unit word is not a cut name; one inside a name goes on
    (["UBND HUYỆN MƯỜNG ẢNG,", "UBND XÃ ẲNG NƯA"], ["UBND HUYỆN MƯỜNG ẢNG", "UBND XÃ ẲNG NƯA"]),
    (["UBND TỈNH NGHỆ AN", "SỞ VĂN HÓA,", "THỂ THAO VÀ DU LỊCH"], ["UBND TỈNH NGHỆ AN", "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"]),
    (["ỦY BAN NHÂN DÂN TỈNH BÀ RỊA -", "VŨNG TÀU"], ["ỦY BAN NHÂN DÂN TỈNH BÀ RỊA - VŨNG TÀU"]),
])
# fmt: on
def test_metadata_groups_header_agency_lines(lines: list[str], expected: list[str]) -> None:
    assert group_agencies(lines) == expected


# --- documents in other styles -------------------------------------------------------------------
CONG_AN = layout_of(
    """
    UBND TỈNH QUẢNG BÌNH
    CÔNG AN TỈNH
    Số: 215/TB-CAT-PV01
    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
    Độc lập - Tự do - Hạnh phúc
    Quảng Bình, ngày 08/01/2025
    """,
    """
    THÔNG BÁO
    Kết luận của Giám đốc Công an tỉnh tại Hội nghị giao ban
    công tác công an tháng 12 năm 2024
    """,
    """
    Chiều ngày 06/01/2025, tại Hội trường Công an tỉnh, Đại tá Nguyễn Hữu Hợp - Giám đốc Công an tỉnh chủ trì Hội nghị giao ban công tác công an tháng 12 năm 2024, triển khai nhiệm vụ tháng 01 năm 2025.

    Sau khi nghe báo cáo, Giám đốc Công an tỉnh kết luận như sau:
    I. KẾT QUẢ
    - Kiềm chế tội phạm về trật tự xã hội.
    """,
    """
    Nơi nhận:
    - Đồng chí Giám đốc;
    - Các đồng chí Phó Giám đốc;
    - Lưu: VT, PV01.
    """,
    """
    KT. GIÁM ĐỐC
    PHÓ GIÁM ĐỐC
    (Đã ký)
    Đại tá
    Trần Hữu Quang
    """,
)

SO_SAO_Y = layout_of(
    """
    UBND TỈNH THANH HÓA
    SỞ TƯ PHÁP
    ------
    Số: 88/TB-STP
    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
    Độc lập - Tự do - Hạnh phúc
    Thanh Hóa, ngày 15 tháng 7 năm 2023
    """,
    """
    THÔNG BÁO KẾT LUẬN
    của Giám đốc Sở tại cuộc họp sơ kết công tác 6 tháng đầu năm 2023
    """,
    """
    Ngày 12/7/2023, tại phòng họp Sở Tư pháp, ông Lê Văn Tùng - Giám đốc Sở chủ trì cuộc họp sơ kết 6 tháng đầu năm 2023, triển khai nhiệm vụ 6 tháng cuối năm 2023.
    """,
    """
    Nơi nhận:
    - Phòng, ban thuộc Sở;
    - Lưu: VT.
    """,
    """
    GIÁM ĐỐC
    (Ký, đóng dấu)
    Lê Văn Tùng
    SAO Y BẢN CHÍNH
    UBND HUYỆN NGA SƠN
    Số: 12/SY-UBND
    Nơi nhận:
    - Các xã;
    TL. CHỦ TỊCH
    CHÁNH VĂN PHÒNG
    Mai Văn Tuấn
    """,
)

TRUONG = layout_of(
    """
    SỞ GD&ĐT BÌNH ĐỊNH
    TRƯỜNG THPT TRẦN PHÚ
    Số: 45/KL-THPT
    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
    Độc lập - Tự do - Hạnh phúc
    Phù Mỹ, ngày 20 tháng 1 năm 2024
    """,
    """
    KẾT LUẬN
    của Hiệu trưởng tại Hội nghị sơ kết học kỳ I, năm học 2023 - 2024
    """,
    """
    Ngày 18/01/2024, tại Hội trường nhà trường, thầy Phạm Minh Đức - Hiệu trưởng chủ trì Hội nghị sơ kết học kỳ I.
    """,
    """
    Nơi nhận:
    - Sở GD&ĐT (b/c);
    - Tổ chuyên môn;
    - Lưu: VT.
    """,
    """
    HIỆU TRƯỞNG
    ThS. Phạm Minh Đức
    """,
)

GIAY_MOI = layout_of(
    """
    ỦY BAN NHÂN DÂN
    HUYỆN ĐỨC PHỔ
    Số: 120/GM-UBND
    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
    Độc lập - Tự do - Hạnh phúc
    Đức Phổ, ngày 02 tháng 3 năm 2024
    """,
    """
    GIẤY MỜI
    Dự họp giao ban đánh giá tình hình kinh tế - xã hội tháng 02 năm 2024
    """,
    """
    Kính gửi: Thủ trưởng các phòng, ban, đơn vị thuộc huyện.
    UBND huyện tổ chức cuộc họp giao ban tháng 02 năm 2024.
    """,
    """
    Nơi nhận:
    - Như trên;
    - Lưu: VT.
    """,
    """
    TL. CHỦ TỊCH
    CHÁNH VĂN PHÒNG
    Trần Văn Bình
    """,
)

KE_HOACH = layout_of(
    """
    UBND TỈNH LÂM ĐỒNG
    SỞ NỘI VỤ
    Số: 4074/KH-SNV
    Lâm Đồng, ngày 10 tháng 01 năm 2024
    """,
    """
    KẾ HOẠCH
    Triển khai công tác cải cách hành chính năm 2024
    """,
    """
    Thực hiện Quyết định số 45/QĐ-UBND ngày 05/01/2024 của UBND tỉnh, Sở Nội vụ xây dựng kế hoạch như sau:
    I. MỤC ĐÍCH
    """,
    "",
    """
    GIÁM ĐỐC
    Đoàn Văn Hải
    """,
)

BAO_CAO = layout_of(
    """
    ỦY BAN NHÂN DÂN
    TỈNH QUẢNG NGÃI
    Số: 23/BC-UBND
    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
    Độc lập - Tự do - Hạnh phúc
    Quảng Ngãi, ngày 23 tháng 01 năm 2025
    """,
    """
    BÁO CÁO
    Tình hình, kết quả thực hiện công tác cải cách thủ tục hành chính tháng 01/2025
    """,
    """
    Thực hiện Công văn số 120/VPCP-KSTT ngày 08/01/2025 của Văn phòng Chính phủ, UBND tỉnh báo cáo như sau:
    """,
    """
    Nơi nhận:
    - Văn phòng Chính phủ (b/c);
    - Lưu: VT, KSTTHC.
    """,
    """
    KT. CHỦ TỊCH
    PHÓ CHỦ TỊCH
    Trần Phước Hiền
    """,
)

QUYET_DINH = layout_of(
    """
    ỦY BAN NHÂN DÂN
    TỈNH HẢI DƯƠNG
    Số: 68/QĐ-UBND
    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
    Độc lập - Tự do - Hạnh phúc
    Hải Dương, ngày 10 tháng 01 năm 2011
    """,
    """
    QUYẾT ĐỊNH
    Về việc tặng danh hiệu Chiến sĩ thi đua cấp tỉnh
    CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH HẢI DƯƠNG
    """,
    """
    Căn cứ Luật Tổ chức chính quyền địa phương;
    """,
    """
    Nơi nhận:
    - Như Điều 3;
    - Lưu: VT, TĐKT.
    """,
    """
    KT. CHỦ TỊCH
    PHÓ CHỦ TỊCH THƯỜNG TRỰC
    Lê Hồng Vân
    """,
)

QUY_ARABIC = layout_of(
    """
    UBND HUYỆN BÌNH SƠN
    PHÒNG TÀI CHÍNH - KẾ HOẠCH
    Số: 31/TB-TCKH
    Bình Sơn, ngày 07 tháng 4 năm 2023
    """,
    """
    THÔNG BÁO
    Ý kiến kết luận của Trưởng phòng tại cuộc họp giao ban quý 1 năm 2023
    """,
    """
    Thực hiện Thông báo số 45/TB-UBND ngày 12/3/2023 của UBND huyện, ngày 05/4/2023, tại phòng họp Phòng Tài chính - Kế hoạch, bà Nguyễn Thị Hạnh - Trưởng phòng chủ trì cuộc họp giao ban quý 1 năm 2023.
    """,
    """
    Nơi nhận:
    - Lãnh đạo phòng;
    - Lưu: VT.
    """,
    """
    TRƯỞNG PHÒNG
    Nguyễn Thị Hạnh
    """,
)

CUOI_NAM = layout_of(
    """
    ĐẢNG BỘ TỈNH NGHỆ AN
    HUYỆN ỦY NAM ĐÀN
    *
    Số 205-TB/HU
    ĐẢNG CỘNG SẢN VIỆT NAM
    Nam Đàn, ngày 05 tháng 01 năm 2024
    """,
    """
    THÔNG BÁO KẾT LUẬN
    của Ban Thường vụ Huyện ủy về kết quả 6 tháng cuối năm 2023
    """,
    """
    Ngày 03/01/2024, Ban Thường vụ Huyện ủy họp nghe báo cáo kết quả 6 tháng cuối năm 2023. Đồng chí Hồ Văn Thành, Bí thư Huyện ủy chủ trì hội nghị.
    """,
    """
    Nơi nhận:
    - Ban Thường vụ Tỉnh ủy (để b/c),
    - Các chi, đảng bộ cơ sở,
    - Lưu Văn phòng Huyện ủy.
    """,
    """
    T/M BAN THƯỜNG VỤ
    BÍ THƯ
    Hồ Văn Thành
    """,
)

OCR_MERGED = layout_of(
    """
    UBND TỈNH QUẢNG NGÃI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
    VĂN PHÒNG Độc lập - Tự do - Hạnh phúc
    Số: 101/TB-VP Quảng Ngãi, ngày 12 tháng 6 năm 2024
    """,
    """
    THÔNG BÁO
    Kết luận của Phó Chủ tịch UBND tỉnh tại cuộc họp giao ban tuần
    """,
    """
    Ngày 10/6/2024, tại phòng họp số 2, trụ sở UBND tỉnh, đồng chí Trần Phước Hiền - Phó Chủ tịch UBND tỉnh chủ trì cuộc họp giao ban tuần từ ngày 03/6 đến ngày 07/6/2024 và triển khai nhiệm vụ tuần tới.
    """,
    """
    Nơi nhận:
    - Như trên;
    - Lưu: VT.
    """,
    """
    KT. CHÁNH VĂN PHÒNG
    PHÓ CHÁNH VĂN PHÒNG
    Nguyễn Văn Hà
    """,
)

CONG_VAN = layout_of(
    """
    UBND TỈNH KON TUM
    SỞ TÀI CHÍNH
    Số: 1520/STC-QLNS
    Kon Tum, ngày 08/5/2024
    """,
    """
    V/v báo cáo tình hình thực hiện dự toán ngân sách quý I năm 2024
    """,
    """
    Kính gửi: UBND các huyện, thành phố.
    """,
    "",
    """
    GIÁM ĐỐC
    Trần Văn Tuấn
    """,
)

NO_HEADER_AGENCY = layout_of(
    """
    Số: /TB-STNMT
    Thái Bình, ngày 20 tháng 9 năm 2022
    """,
    """
    KẾT LUẬN
    của Giám đốc Sở Tài nguyên và Môi trường tại cuộc họp giao ban 9 tháng năm 2022
    """,
    """
    Sáng ngày 19/9/2022, tại Sở Tài nguyên và Môi trường tiến hành họp giao ban 9 tháng năm 2022.
    Giám đốc Sở Tài nguyên và Môi trường kết luận như sau:
    """,
    """
    Nơi nhận:
    - Như trên;
    - Lưu: VT.
    (T.Hà)
    """,
    """
    GIÁM ĐỐC
    """,
)

# fmt: off
STYLE_CASES = [
    ("cong_an_issuer", CONG_AN, "issuer", "CÔNG AN TỈNH"),
    ("cong_an_parent", CONG_AN, "issuer_parent", "UBND TỈNH QUẢNG BÌNH"),
    ("cong_an_number", CONG_AN, "doc_number", "215/TB-CAT-PV01"),
    ("cong_an_issue_date_digits", CONG_AN, "issue_date", "2025-01-08"),
    ("cong_an_signer_name_no_rank", CONG_AN, "signer_name", "Trần Hữu Quang"),
    ("cong_an_signer_title_no_note", CONG_AN, "signer_title", "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC"),
    ("cong_an_chair_keeps_rank_drops_nothing", CONG_AN, "chair", "Đại tá Nguyễn Hữu Hợp - Giám đốc Công an tỉnh"),
    ("cong_an_meeting_date", CONG_AN, "meeting_date", "2025-01-06"),
    ("cong_an_period_reviewed_month", CONG_AN, "period_start", "2024-12-01"),
    ("cong_an_location", CONG_AN, "meeting_location", "Hội trường Công an tỉnh"),
    ("sao_y_number_is_the_document_one", SO_SAO_Y, "doc_number", "88/TB-STP"),
    ("sao_y_signer_before_copy_block", SO_SAO_Y, "signer_name", "Lê Văn Tùng"),
    ("sao_y_signer_title", SO_SAO_Y, "signer_title", "GIÁM ĐỐC"),
    ("sao_y_doc_type", SO_SAO_Y, "doc_type", "Thông báo kết luận"),
    ("sao_y_half_year", SO_SAO_Y, "period_kind", "half_year"),
    ("sao_y_half_year_end", SO_SAO_Y, "period_end", "2023-06-30"),
    ("sao_y_place_with_tone", SO_SAO_Y, "place", "Thanh Hóa"),
    ("truong_issuer", TRUONG, "issuer", "TRƯỜNG THPT TRẦN PHÚ"),
    ("truong_parent", TRUONG, "issuer_parent", "SỞ GD&ĐT BÌNH ĐỊNH"),
    ("truong_semester_other", TRUONG, "period_kind", "other"),
    ("truong_semester_no_dates", TRUONG, "period_start", ""),
    ("truong_semester_label", TRUONG, "period_label", "học kỳ I, năm học 2023 - 2024"),
    ("truong_chair_without_thay", TRUONG, "chair", "Phạm Minh Đức - Hiệu trưởng"),
    ("truong_signer_academic", TRUONG, "signer_name", "ThS. Phạm Minh Đức"),
    ("giay_moi_not_conclusion", GIAY_MOI, "is_conclusion", False),
    ("giay_moi_type", GIAY_MOI, "doc_type", "Giấy mời"),
    ("giay_moi_issuer_two_lines", GIAY_MOI, "issuer", "ỦY BAN NHÂN DÂN HUYỆN ĐỨC PHỔ"),
    ("ke_hoach_not_conclusion", KE_HOACH, "is_conclusion", False),
    ("ke_hoach_type", KE_HOACH, "doc_type", "Kế hoạch"),
    ("ke_hoach_no_reviewed_period", KE_HOACH, "period_kind", ""),
    ("ke_hoach_quoted_decision_is_no_meeting", KE_HOACH, "meeting_date", ""),
    ("bao_cao_not_conclusion", BAO_CAO, "is_conclusion", False),
    ("bao_cao_month_slash", BAO_CAO, "period_label", "tháng 01/2025"),
    ("bao_cao_month_end", BAO_CAO, "period_end", "2025-01-31"),
    ("bao_cao_quoted_letter_not_meeting", BAO_CAO, "meeting_date", ""),
    ("quyet_dinh_not_conclusion", QUYET_DINH, "is_conclusion", False),
    ("quyet_dinh_title_without_authority", QUYET_DINH, "title", "Về việc tặng danh hiệu Chiến sĩ thi đua cấp tỉnh"),
    ("quyet_dinh_signer", QUYET_DINH, "signer_title", "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH THƯỜNG TRỰC"),
    ("quy_arabic_kind", QUY_ARABIC, "period_kind", "quarter"),
    ("quy_arabic_start", QUY_ARABIC, "period_start", "2023-01-01"),
    ("quy_arabic_end", QUY_ARABIC, "period_end", "2023-03-31"),
    ("y_kien_ket_luan_is_conclusion", QUY_ARABIC, "is_conclusion", True),
    ("quoted_notice_not_doc_number", QUY_ARABIC, "doc_number", "31/TB-TCKH"),
    ("quoted_notice_date_not_meeting", QUY_ARABIC, "meeting_date", "2023-04-05"),
    ("quoted_notice_location", QUY_ARABIC, "meeting_location", "phòng họp Phòng Tài chính - Kế hoạch"),
    ("chair_without_ba", QUY_ARABIC, "chair", "Nguyễn Thị Hạnh - Trưởng phòng"),
    ("cuoi_nam_half_kind", CUOI_NAM, "period_kind", "half_year"),
    ("cuoi_nam_half_start", CUOI_NAM, "period_start", "2023-07-01"),
    ("cuoi_nam_half_end", CUOI_NAM, "period_end", "2023-12-31"),
    ("party_number_no_colon", CUOI_NAM, "doc_number", "205-TB/HU"),
    ("party_issuer", CUOI_NAM, "issuer", "HUYỆN ỦY NAM ĐÀN"),
    ("party_recipients_comma", CUOI_NAM, "recipients",
     "Ban Thường vụ Tỉnh ủy (để b/c); Các chi, đảng bộ cơ sở; Lưu Văn phòng Huyện ủy"),
    ("party_chair_comma", CUOI_NAM, "chair", "Hồ Văn Thành, Bí thư Huyện ủy"),
    ("party_no_location", CUOI_NAM, "meeting_location", ""),
    ("ocr_merged_issuer", OCR_MERGED, "issuer", "VĂN PHÒNG"),
    ("ocr_merged_parent", OCR_MERGED, "issuer_parent", "UBND TỈNH QUẢNG NGÃI"),
    ("ocr_merged_number", OCR_MERGED, "doc_number", "101/TB-VP"),
    ("ocr_merged_place", OCR_MERGED, "place", "Quảng Ngãi"),
    ("ocr_merged_date", OCR_MERGED, "issue_date", "2024-06-12"),
    ("week_start_without_year", OCR_MERGED, "period_start", "2024-06-03"),
    ("week_end", OCR_MERGED, "period_end", "2024-06-07"),
    ("week_label", OCR_MERGED, "period_label", "tuần từ ngày 03/6 đến ngày 07/6/2024"),
    ("cong_van_type", CONG_VAN, "doc_type", ""),  # a letter prints no type word
    ("cong_van_not_conclusion", CONG_VAN, "is_conclusion", False),
    ("cong_van_number", CONG_VAN, "doc_number", "1520/STC-QLNS"),
    ("no_header_issuer_from_text", NO_HEADER_AGENCY, "issuer", "Sở Tài nguyên và Môi trường"),
    ("no_header_empty_number", NO_HEADER_AGENCY, "doc_number", "/TB-STNMT"),
    ("nine_months_kind", NO_HEADER_AGENCY, "period_kind", "nine_months"),
    ("nine_months_end", NO_HEADER_AGENCY, "period_end", "2022-09-30"),
    ("typist_initials_not_signer", NO_HEADER_AGENCY, "signer_name", ""),
    ("location_cut_at_verb", NO_HEADER_AGENCY, "meeting_location", "Sở Tài nguyên và Môi trường"),
]
# fmt: on


@pytest.mark.parametrize(
    "layout, field, expected", [c[1:] for c in STYLE_CASES], ids=[c[0] for c in STYLE_CASES]
)
def test_metadata_reads_documents_of_other_styles(layout: Layout, field: str, expected: object) -> None:
    assert getattr(layout_to_fields(layout), field) == expected


def test_metadata_never_edits_lines() -> None:
    before = [ln.text for ln in CONG_AN.lines]
    layout_to_fields(CONG_AN)
    assert [ln.text for ln in CONG_AN.lines] == before


def test_metadata_empty_layout_gives_empty_fields() -> None:
    assert layout_to_fields(Layout()) == Fields()


# --- the real PDF (UBND tỉnh Quảng Ngãi, Thông báo 11/TB-UBND, 2025), lines as its page shows them --
REAL_HEADER = [
    Line("ỦY BAN NHÂN DÂN", column="left"), Line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", column="right"),
    Line("TỈNH QUẢNG NGÃI", column="left"), Line("Độc lập - Tự do - Hạnh phúc", column="right"),
    Line("Số: /TB-UBND", column="left"), Line("Quảng Ngãi, ngày tháng 01 năm 2025", column="right"),
]  # fmt: skip
REAL_TITLE = [
    Line("THÔNG BÁO", centered=True),
    Line("Kết luận của Phó Chủ tịch UBND tỉnh Võ Phiên tại cuộc họp nghe"),
    Line("báo cáo về tình hình thực hiện công tác cổ phần hóa Công ty TNHH"),
    Line("MTV Đầu tư, Xây dựng và Kinh doanh dịch vụ Quảng Ngãi trong"),
    Line("thời gian qua và nhiệm vụ trọng tâm trong thời gian đến"),
]
REAL_BODY = [
    Line("Ngày 03/01/2025, Phó Chủ tịch UBND tỉnh Võ Phiên chủ trì họp nghe", gap_before=True),
    Line("báo cáo về tình hình thực hiện công tác cổ phần hóa Công ty TNHH MTV"),
    Line("Đầu tư, Xây dựng và Kinh doanh dịch vụ Quảng Ngãi (QISC) trong thời gian"),
    Line("qua và nhiệm vụ trọng tâm trong thời gian đến. Tham dự họp có đại diện lãnh"),
    Line("đạo các Sở, ban, ngành: Tài chính, Kế hoạch và Đầu tư; tập thể lãnh đạo QISC."),
    Line("Sau khi nghe các cơ quan, đơn vị báo cáo các nội dung liên quan, ý kiến", gap_before=True),
    Line("phát biểu, thảo luận và đề xuất của các đại biểu dự họp, Phó Chủ tịch UBND"),
    Line("tỉnh Võ Phiên kết luận và chỉ đạo như sau:"),
    Line("1. Công ty TNHH MTV Đầu tư, Xây dựng và Kinh doanh dịch vụ", gap_before=True),
    Line("hóa Công ty trong giai đoạn 2022 - 2025 theo Quyết định số 1479/QĐ-TTg"),
    Line("ngày 29/11/2022 của Thủ tướng Chính phủ đã đảm bảo cơ sở pháp lý để thực"),
]
REAL_RECIPIENTS = [
    Line("Nơi nhận:", column="left"), Line("TL. CHỦ TỊCH", column="right"),
    Line("- CT, PCT UBND tỉnh;", column="left"), Line("KT. CHÁNH VĂN PHÒNG", column="right"),
    Line("- Các Sở: Tài chính, Kế hoạch và Đầu tư,", column="left"),
    Line("PHÓ CHÁNH VĂN PHÒNG", column="right"),
    Line("Tài nguyên và Môi trường, Xây dựng,", column="left"),
    Line("Lao động - Thương binh và Xã hội,", column="left"),
    Line("Nội vụ, Tư pháp;", column="left"),
    Line("- Thanh tra tỉnh;", column="left"),
    Line("- BQL KKT Dung Quất và các KCN Quảng Ngãi;", column="left"),
    Line("- Công ty QISC;", column="left"),
    Line("- VPUB: CVP, PCVP, KTN, NC;", column="left"),
    Line("- Cổng TTĐT tỉnh;", column="left"),
    Line("- Lưu: VT, KTTHh5.", column="left"),
]  # fmt: skip
REAL_SIGNER = [Line("Nguyễn Phước Bình", column="right")]

# fmt: off
REAL_EXPECTED = {
    "issuer": "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", "issuer_parent": "", "doc_number": "/TB-UBND",
    "doc_type": "Thông báo", "place": "Quảng Ngãi", "issue_date": "",
    "title": "Kết luận của Phó Chủ tịch UBND tỉnh Võ Phiên tại cuộc họp nghe báo cáo về tình hình thực hiện "
             "công tác cổ phần hóa Công ty TNHH MTV Đầu tư, Xây dựng và Kinh doanh dịch vụ Quảng Ngãi trong "
             "thời gian qua và nhiệm vụ trọng tâm trong thời gian đến",
    "period_kind": "", "period_start": "", "meeting_date": "2025-01-03", "meeting_location": "",
    "chair": "Phó Chủ tịch UBND tỉnh Võ Phiên",
    "signer_title": "TL. CHỦ TỊCH / KT. CHÁNH VĂN PHÒNG / PHÓ CHÁNH VĂN PHÒNG",
    "signer_name": "Nguyễn Phước Bình",
    "recipients": "CT, PCT UBND tỉnh; Các Sở: Tài chính, Kế hoạch và Đầu tư, Tài nguyên và Môi trường, "
                  "Xây dựng, Lao động - Thương binh và Xã hội, Nội vụ, Tư pháp; Thanh tra tỉnh; "
                  "BQL KKT Dung Quất và các KCN Quảng Ngãi; Công ty QISC; VPUB: CVP, PCVP, KTN, NC; "
                  "Cổng TTĐT tỉnh; Lưu: VT, KTTHh5",
    "is_conclusion": True,
}
# fmt: on


def _real_layout(mode: str) -> Layout:
    header = list(REAL_HEADER)
    recipients = list(REAL_RECIPIENTS)
    signer = list(REAL_SIGNER)
    if mode == "spilled":  # a cut that ended the recipients early: the rest landed in the signer
        left = [ln for ln in REAL_RECIPIENTS if ln.column == "left"]
        right = [ln for ln in REAL_RECIPIENTS if ln.column == "right"]
        recipients, signer = left[:3], [*left[3:], *right, *REAL_SIGNER]
    if mode == "merged":  # pdfplumber extract_text(): both columns of a row on one line, no column info
        header = [Line(f"{a.text} {b.text}") for a, b in zip(header[::2], header[1::2], strict=True)]
        recipients = [
            Line("Nơi nhận: TL. CHỦ TỊCH"), Line("- CT, PCT UBND tỉnh; KT. CHÁNH VĂN PHÒNG"),
            Line("- Các Sở: Tài chính, Kế hoạch và Đầu tư, PHÓ CHÁNH VĂN PHÒNG"),
            *[Line(ln.text) for ln in REAL_RECIPIENTS[6:-1]],
            Line("- Lưu: VT, KTTHh5. Nguyễn Phước Bình"),
        ]  # fmt: skip
        signer = []
    parts = [header, REAL_TITLE, REAL_BODY, recipients, signer]
    return Layout(*parts, lines=[ln for p in parts for ln in p])


@pytest.mark.parametrize("mode", ["columns", "merged", "spilled"])
@pytest.mark.parametrize("field", sorted(REAL_EXPECTED))
def test_metadata_reads_real_quang_ngai_conclusion(mode: str, field: str) -> None:
    assert getattr(layout_to_fields(_real_layout(mode)), field) == REAL_EXPECTED[field]


@pytest.mark.skipif(not REAL_PDF.exists(), reason="real corpus not mounted")
def test_metadata_real_pdf_text_layer_header() -> None:
    pdfplumber = pytest.importorskip("pdfplumber")
    with pdfplumber.open(REAL_PDF) as pdf:
        rows = (pdf.pages[0].extract_text() or "").splitlines()
    lines = [Line(r) for r in rows]
    fields = layout_to_fields(Layout(header=lines[:3], title=lines[3:8], body=lines[8:], lines=lines))
    assert (fields.issuer, fields.doc_number, fields.place) == (
        "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", "/TB-UBND", "Quảng Ngãi",
    )  # fmt: skip
    assert fields.meeting_date == "2025-01-03" and fields.is_conclusion


# --- scanned pages read by OCR: marks confused, stamp debris, parts cut in the wrong place ------------
SCANNED_DECISION = Layout(
    header=[
        Line("ỦY BAN NHÂN DÂN", column="left"), Line("TỈNH HẢI DƯƠNG", column="left"),
        Line("Số: /QĐ-UBND", column="left"), Line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", column="right"),
        Line("Độc lập - Tự do - Hạnh phúc", column="right"),
        Line("Hải Dương, ngày ` tháng 01 năm 2011", column="right"),
    ],
    body=[
        Line("QUYÉT ĐỊNH", gap_before=True), Line("Về việc tặng danh hiệu Chiến sĩ thi đua cấp tỉnh đối với"),
        Line("lãnh đạo UBND tỉnh năm 2010"), Line("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH HẢI DƯƠNG"),
        Line("Căn cứ Luật Tổ chức HĐND và UBND ngày 26 tháng 11 năm 2003;", gap_before=True),
    ],
    signer=[
        Line("KT. CHỦ TỊCH", gap_before=True), Line("PHÓ CHỦ TỊCH THƯỜNG TRỤC"),
        Line("Nởi nhận:", gap_before=True), Line("- Như điều 3;"),
        Line("- Ban Thi đua - Khen thưởng;", column="left"), Line("- Lưu: VT, N.chính (16B).", column="left"),
        Line("⁄", column="right"), Line("„0y", column="right"), Line("- €k 74", column="right"),
        Line("Lê Hồng Vân", column="right"),
    ],
)  # fmt: skip
SCANNED_DECISION.lines = [*SCANNED_DECISION.header, *SCANNED_DECISION.body, *SCANNED_DECISION.signer]

SCANNED_REPORT = layout_of(
    """
    ỦY BAN NHÂN DÂN
    TỈNH QUẢNG NGÃI
    Số: 23 /BC-UBND
    Quảng Ngãi, ngày 23 tháng 01 năm 2025
    """,
    """
    BÁO CÁO
    Tình hình, kết quả thực hiện công tác
    cải cách thủ tục hành chính tháng 01/2025 của tỉnh Quảng Ngãi
    """,
    """
    Kính gửi:
    - Văn phòng Chính phủ;
    - Bộ trưởng Bộ Nội vụ, Tổ phó Tổ công tác cải cách
    thủ tục hành chính của Thủ tướng Chính phủ.
    Thực hiện nội dung Công văn số 5633/VPCP-KSTT ngày 25/7/2023 của
    Văn phòng Chính phủ, UBND tỉnh Quảng Ngãi báo cáo kết quả thực hiện trong tháng 01 năm 2025 như sau:
    """,
    """
    Nơi nhận:
    - Như trên;
    - Lưu: VT, TTHC.
    """,
    """
    KT. CHỦ TỊCH
    :
    PHO CHU TỊCH
    SHP
    Trần Hoàng Tuấn
    """,
)

_TITLE_IN_BODY_LINES = [
    Line("THÔNG BÁO"), Line("Kết luận của Chủ tịch UBND tỉnh tại cuộc họp giao ban"), Line("tháng 3 năm 2024"),
    Line("Ngày 04/4/2024, tại Phòng họp số 1, trụ sở UBND tỉnh, đồng chí Nguyễn Văn An chủ trì.", gap_before=True),
]  # fmt: skip
TITLE_IN_BODY = Layout(
    title=_TITLE_IN_BODY_LINES[:1], body=_TITLE_IN_BODY_LINES[1:], lines=_TITLE_IN_BODY_LINES
)

LETTER_SUBJECT_IN_HEADER = layout_of(
    """
    UBND TỈNH KON TUM
    SỞ TÀI CHÍNH
    Số: 1520/STC-QLNS
    V/v báo cáo tình hình thực hiện dự toán
    ngân sách quý I năm 2024
    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
    Kon Tum, ngày 08/5/2024
    """,
    "",
    """
    Kính gửi: UBND các huyện, thành phố.
    """,
)

PARTY_SCAN_WITH_SEAL = layout_of(
    """
    ĐẢNG BỘ TỈNH BÌNH ĐỊNH
    HUYỆN ỦY TUY PHƯỚC
    *
    Số 214-TB/HU
    ĐẢNG CỘNG SẢN VIỆT NAM
    Tuy Phước, ngày 11 tháng 7 năm 2025
    """,
    """
    THÔNG BÁO
    Kết luận của Ban Thường vụ Huyện ủy tại hội nghị sơ kết 6 tháng đầu năm 2025
    """,
    """
    Ngày 09/7/2025, Ban Thường vụ Huyện ủy họp sơ kết công tác 6 tháng đầu năm 2025.
    """,
    """
    Nơi nhận:
    - Ban Thường vụ Tỉnh ủy (b/c),
    - Lưu Văn phòng Huyện ủy.
    """,
    """
    T/M BAN THƯỜNG VỤ
    PHÓ BÍ THƯ THƯỜNG TRỰC
    ẤN /À /A
    \\ / |
    Nguyễn Thị Thu Hà
    """,
)

# fmt: off
OCR_CASES = [
    ("ocr_type_word_marks_confused", SCANNED_DECISION, "doc_type", "Quyết định"),
    ("ocr_title_stops_at_authority", SCANNED_DECISION, "title",
     "Về việc tặng danh hiệu Chiến sĩ thi đua cấp tỉnh đối với lãnh đạo UBND tỉnh năm 2010"),
    ("ocr_handwritten_day_empty_date", SCANNED_DECISION, "issue_date", ""),
    ("ocr_handwritten_day_keeps_place", SCANNED_DECISION, "place", "Hải Dương"),
    ("legal_basis_date_is_no_meeting", SCANNED_DECISION, "meeting_date", ""),
    ("ocr_recipients_inside_signer_part", SCANNED_DECISION, "signer_title",
     "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH THƯỜNG TRỤC"),
    ("ocr_stamp_debris_skipped", SCANNED_DECISION, "signer_name", "Lê Hồng Vân"),
    ("ocr_recipients_head_marks_confused", SCANNED_DECISION, "recipients",
     "Như điều 3; Ban Thi đua - Khen thưởng; Lưu: VT, N.chính (16B)"),
    ("decision_not_conclusion", SCANNED_DECISION, "is_conclusion", False),
    ("report_number_spaces_removed", SCANNED_REPORT, "doc_number", "23/BC-UBND"),
    ("report_signer_debris", SCANNED_REPORT, "signer_title", "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"),  # the closed list mends OCR tone loss
    ("report_signer_name", SCANNED_REPORT, "signer_name", "Trần Hoàng Tuấn"),
    ("report_addressees_not_opening", SCANNED_REPORT, "meeting_date", ""),
    ("report_period", SCANNED_REPORT, "period_label", "tháng 01/2025"),
    ("excerpt_cut_into_body_title", TITLE_IN_BODY, "title",
     "Kết luận của Chủ tịch UBND tỉnh tại cuộc họp giao ban tháng 3 năm 2024"),
    ("excerpt_cut_into_body_conclusion", TITLE_IN_BODY, "is_conclusion", True),
    ("excerpt_cut_into_body_location", TITLE_IN_BODY, "meeting_location", "Phòng họp số 1, trụ sở UBND tỉnh"),
    ("excerpt_cut_into_body_period", TITLE_IN_BODY, "period_end", "2024-03-31"),
    ("letter_subject_from_header", LETTER_SUBJECT_IN_HEADER, "title",
     "V/v báo cáo tình hình thực hiện dự toán ngân sách quý I năm 2024"),
    ("letter_type_from_header", LETTER_SUBJECT_IN_HEADER, "doc_type", ""),
    ("letter_issuer", LETTER_SUBJECT_IN_HEADER, "issuer", "SỞ TÀI CHÍNH"),
    ("letter_date", LETTER_SUBJECT_IN_HEADER, "issue_date", "2024-05-08"),
    # A seal or signature OCR read as letters and slashes is no part of the title; "T/M" is.
    ("party_seal_debris_title", PARTY_SCAN_WITH_SEAL, "signer_title", "T/M BAN THƯỜNG VỤ / PHÓ BÍ THƯ THƯỜNG TRỰC"),
    ("party_seal_debris_name", PARTY_SCAN_WITH_SEAL, "signer_name", "Nguyễn Thị Thu Hà"),
]
# fmt: on


@pytest.mark.parametrize("layout, field, expected", [c[1:] for c in OCR_CASES], ids=[c[0] for c in OCR_CASES])
def test_metadata_reads_ocr_and_badly_cut_layouts(layout: Layout, field: str, expected: object) -> None:
    assert getattr(layout_to_fields(layout), field) == expected


@pytest.mark.parametrize(
    "motto",
    [
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "ĐỘC LẬP - TỰ DO - HẠNH PHÚC",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
    ],
)
def test_metadata_motto_in_either_tone_style_is_not_an_agency(motto: str) -> None:
    layout = layout_of(f"SỞ Y TẾ THANH HOÁ\nBỆNH VIỆN ĐA KHOA HUYỆN HOẰNG HOÁ\n{motto}", "THÔNG BÁO", "")
    fields = layout_to_fields(layout)
    assert (fields.issuer_parent, fields.issuer) == ("SỞ Y TẾ THANH HOÁ", "BỆNH VIỆN ĐA KHOA HUYỆN HOẰNG HOÁ")


# --- periods -------------------------------------------------------------------------------------
# fmt: off
@pytest.mark.parametrize("title, opening, issue_date, expected", [
    ("Kết luận giao ban quý II/2023", "", "", ("quarter", "2023-04-01", "2023-06-30", "quý II/2023")),
    ("Kết luận hội nghị giao ban Quý III năm 2023", "", "", ("quarter", "2023-07-01", "2023-09-30", "Quý III năm 2023")),
    ("Kết luận giao ban quý 1 năm 2023", "", "", ("quarter", "2023-01-01", "2023-03-31", "quý 1 năm 2023")),
    ("Kết luận giao ban tháng 05 năm 2020", "", "", ("month", "2020-05-01", "2020-05-31", "tháng 05 năm 2020")),
    ("Kết luận sơ kết 6 tháng năm 2023", "", "", ("half_year", "2023-01-01", "2023-06-30", "6 tháng năm 2023")),
    ("Kết luận kiểm điểm công tác 6 tháng cuối năm 2023", "", "",
     ("half_year", "2023-07-01", "2023-12-31", "6 tháng cuối năm 2023")),
    ("Kết luận sơ kết Chín tháng đầu năm 2023", "", "",
     ("nine_months", "2023-01-01", "2023-09-30", "Chín tháng đầu năm 2023")),
    ("Kết luận tổng kết công tác năm 2022, triển khai nhiệm vụ năm 2023", "", "",
     ("year", "2022-01-01", "2022-12-31", "năm 2022")),
    ("Kết luận giao ban tháng 12", "", "2025-01-08", ("month", "2024-12-01", "2024-12-31", "tháng 12")),
    ("Kết luận giao ban quý IV", "", "2025-01-08", ("quarter", "2024-10-01", "2024-12-31", "quý IV")),
    ("Kết luận giao ban tuần 24 (từ ngày 10/6 đến ngày 14/6/2024)", "", "",
     ("week", "2024-06-10", "2024-06-14", "tuần 24 (từ ngày 10/6 đến ngày 14/6/2024)")),
    ("Kết luận giao ban tháng 9 năm 2024 và nhiệm vụ trọng tâm tháng 10", "", "",
     ("month", "2024-09-01", "2024-09-30", "tháng 9 năm 2024")),
    ("Kết luận của Chủ tịch tại cuộc họp giao ban",
     "Ngày 05/8/2024, UBND huyện họp đánh giá tình hình tháng 7, phương hướng nhiệm vụ tháng 8 năm 2024.",
     "2024-08-07", ("month", "2024-07-01", "2024-07-31", "tháng 7")),
    ("Kết luận tại Hội nghị tổng kết năm học 2023 - 2024", "", "", ("other", "", "", "năm học 2023 - 2024")),
    ("Kết luận tại buổi làm việc với UBND huyện Sơn Tịnh", "", "", ("", "", "", "")),
    ("Kế hoạch triển khai nhiệm vụ năm 2024", "", "", ("", "", "", "")),
    ("Kết luận của Chủ tịch UBND tỉnh tại buổi kiểm tra ngày 15/3/2024", "", "", ("", "", "", "")),
])
# fmt: on
def test_metadata_reads_reviewed_period(
    title: str, opening: str, issue_date: str, expected: tuple[str, str, str, str]
) -> None:
    assert read_period(title, opening, issue_date) == expected


# --- meeting date, place and chair in the opening paragraph --------------------------------------
# fmt: off
@pytest.mark.parametrize("opening, expected", [
    ("Ngày 15/3/2024, UBND tỉnh tổ chức cuộc họp dưới sự chủ trì của đồng chí Nguyễn Văn An, "
     "Phó Chủ tịch UBND tỉnh. Tham dự có các sở.",
     ("2024-03-15", "", "Nguyễn Văn An, Phó Chủ tịch UBND tỉnh")),
    ("Chiều ngày 5 tháng 3 năm 2024, tại Hội trường tầng 2, Văn phòng Tỉnh ủy, Thường trực Tỉnh ủy họp. "
     "Chủ trì: đồng chí Lê Văn Bình - Bí thư Tỉnh ủy.",
     ("2024-03-05", "Hội trường tầng 2, Văn phòng Tỉnh ủy", "Lê Văn Bình - Bí thư Tỉnh ủy")),
    ("Thực hiện Kế hoạch số 12/KH-UBND ngày 3/3/2023 của UBND tỉnh, ngày 20/3/2023, tại trụ sở UBND huyện "
     "Sơn Tịnh, Đoàn công tác làm việc với UBND huyện.",
     ("2023-03-20", "trụ sở UBND huyện Sơn Tịnh", "")),
    ("Vào hồi 8 giờ 00 ngày 12/01/2024, tại Phòng họp trực tuyến UBND tỉnh, đồng chí Đặng Văn Dũng, "
     "Chủ tịch UBND tỉnh chủ trì cuộc họp trực tuyến với các huyện.",
     ("2024-01-12", "Phòng họp trực tuyến UBND tỉnh", "Đặng Văn Dũng, Chủ tịch UBND tỉnh")),
    ("Ngày 10/5/2024, Ban Giám đốc Công ty họp giao ban tại phòng họp Công ty do Giám đốc Công ty chủ trì.",
     ("2024-05-10", "phòng họp Công ty", "Giám đốc Công ty")),
    ("Ngày 04/4/2024, tại Phòng họp số 1, UBND tỉnh tổ chức họp giao ban. "
     "Đồng chí Trần Minh Khang - Chủ tịch UBND tỉnh chủ trì.",
     ("2024-04-04", "Phòng họp số 1, UBND tỉnh", "Trần Minh Khang - Chủ tịch UBND tỉnh")),
    ("Sáng ngày 17/6, tại Hội trường UBND xã, ông Huỳnh Văn Lực - Chủ tịch UBND xã chủ trì cuộc họp.",
     ("2024-06-17", "Hội trường UBND xã", "Huỳnh Văn Lực - Chủ tịch UBND xã")),
])
# fmt: on
def test_metadata_reads_meeting_opening(opening: str, expected: tuple[str, str, str]) -> None:
    layout = layout_of("Hà Nội, ngày 20 tháng 6 năm 2024", "THÔNG BÁO\nKết luận cuộc họp", opening)
    fields = layout_to_fields(layout)
    assert (fields.meeting_date, fields.meeting_location, fields.chair) == expected


# fmt: off
@pytest.mark.parametrize("number_line, doc_number", [
    ("Số: 2) /BC-UBND", "/BC-UBND"),      # handwritten "23" read by OCR as "2)": dropped, not kept
    ("Số: 1204/SGDĐT-VP", "1204/SGDĐT-VP"),
    ("Số:    /TB-UBND", "/TB-UBND"),
])
# fmt: on
def test_metadata_number_line_is_never_part_of_the_issuer(number_line: str, doc_number: str) -> None:
    layout = Layout(header=[Line("ỦY BAN NHÂN DÂN", column="left"), Line("TỈNH QUẢNG NGÃI", column="left"),
                            Line(number_line, column="left")],  # fmt: skip
                    title=[Line("BÁO CÁO"), Line("Tình hình cải cách hành chính tháng 01/2025")])
    fields = layout_to_fields(layout)
    assert fields.issuer == "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"
    assert fields.doc_number == doc_number


# --- an invitation's meeting is the one it invites to (labelled lines) -----------------------------
INVITATION_HEADER = "UBND TỈNH NGHỆ AN\nSỞ XÂY DỰNG\nSố: 215/GM-SXD\nNghệ An, ngày 14 tháng 3 năm 2025"
INVITATION_TITLE = "GIẤY MỜI\nHọp giao ban công tác quý I năm 2025"


# fmt: off
@pytest.mark.parametrize("body, expected", [
    # one line per label, as a .docx paragraph each
    ("Sở Xây dựng tổ chức họp giao ban đánh giá kết quả công tác quý I năm 2025.\n\n"
     "Trân trọng kính mời: Trưởng các phòng, đơn vị thuộc Sở.\n\n"
     "Thời gian: 14 giờ 00, ngày 20/3/2025 (thứ Năm).\n\n"
     "Địa điểm: Phòng họp số 1, trụ sở Sở Xây dựng, số 18 đường Trường Thi, thành phố Vinh.\n\n"
     "Chủ trì: đồng chí Phan Văn Đức - Giám đốc Sở.",
     ("2025-03-20", "Phòng họp số 1, trụ sở Sở Xây dựng, số 18 đường Trường Thi, thành phố Vinh",
      "Phan Văn Đức - Giám đốc Sở")),
    # bulleted labels, values wrapped as a PDF prints them, date in words, no year on the time line
    ("Sở Xây dựng trân trọng kính mời đại diện lãnh đạo các đơn vị dự họp:\n"
     "- Thời gian: 08 giờ 00 phút, ngày 25 tháng 3\n"
     "năm 2025.\n"
     "- Địa điểm: Hội trường tầng 3, Trung tâm Phục vụ hành chính công\n"
     "tỉnh Nghệ An.\n"
     "- Chủ trì cuộc họp: Ông Nguyễn Hữu Lâm - Phó Giám đốc Sở.\n"
     "Đề nghị các đơn vị cử đại diện tham dự đúng thành phần./.",
     ("2025-03-25", "Hội trường tầng 3, Trung tâm Phục vụ hành chính công tỉnh Nghệ An",
      "Nguyễn Hữu Lâm - Phó Giám đốc Sở")),
    # the year left out of the date, taken from the issue date; a degree kept in the chair
    ("Thời gian: 7 giờ 30, ngày 22/3 (thứ Bảy).\n\n"
     "Địa điểm: Hội trường Trường Đại học Vinh.\n\n"
     "Chủ trì: PGS.TS. Trần Văn Sơn - Hiệu trưởng.",
     ("2025-03-22", "Hội trường Trường Đại học Vinh", "PGS.TS. Trần Văn Sơn - Hiệu trưởng")),
    # decomposed Unicode (NFD) as some exports write it
    (unicodedata.normalize("NFD", "Thời gian: 15 giờ 00, ngày 27/3/2025.\n\nĐịa điểm: Phòng họp trực tuyến "
                                  "của Sở.\n\nChủ trì: Bà Lê Thị Huệ - Giám đốc Sở."),
     ("2025-03-27", "Phòng họp trực tuyến của Sở", "Lê Thị Huệ - Giám đốc Sở")),
])
# fmt: on
def test_metadata_invitation_has_no_meeting_fields(body: str, expected: tuple[str, str, str]) -> None:
    # ANNOTATION.md "Real archives": the meeting an invitation invites to is not a meeting it
    # concludes, and an invitation names no period of its own; the labelled lines stay readable.
    fields = layout_to_fields(layout_of(INVITATION_HEADER, INVITATION_TITLE, body))
    assert fields.doc_type == "Giấy mời"
    assert fields.is_conclusion is False
    assert (fields.meeting_date, fields.meeting_location, fields.chair) == ("", "", "")
    assert (fields.period_kind, fields.period_label) == ("", "")
    # the meeting the lines name is the invitation's subject, not a field: it stays in the body
    body_text = " ".join(ln.text for ln in layout_of(INVITATION_HEADER, INVITATION_TITLE, body).body)
    assert all(unicodedata.normalize("NFC", part) in unicodedata.normalize("NFC", body_text) for part in expected[1:])


def test_metadata_labelled_lines_are_read_only_for_invitations() -> None:
    body = ("Ngày 02/4/2025, tại Phòng họp số 2, Sở Xây dựng, đồng chí Phan Văn Đức - Giám đốc Sở chủ trì họp "
            "giao ban quý I năm 2025.\n\n1. Thời gian: bảo đảm tiến độ đến ngày 30/6/2025.")  # fmt: skip
    fields = layout_to_fields(layout_of(INVITATION_HEADER, "THÔNG BÁO\nKết luận giao ban quý I năm 2025", body))
    assert (fields.meeting_date, fields.meeting_location, fields.chair) == (
        "2025-04-02", "Phòng họp số 2, Sở Xây dựng", "Phan Văn Đức - Giám đốc Sở")  # fmt: skip


# --- plans and letters review no period and record no meeting of their own --------------------------
# fmt: off
@pytest.mark.parametrize("header, title, body", [
    ("UBND TỈNH GIA LAI\nSỞ Y TẾ\nSố: 87/KH-SYT\nGia Lai, ngày 10 tháng 01 năm 2025",
     "KẾ HOẠCH\nPhòng, chống dịch bệnh truyền nhiễm năm 2025",
     "Thực hiện Chỉ thị số 05/CT-UBND ngày 02/01/2025 của UBND tỉnh, Sở Y tế xây dựng Kế hoạch như sau:"),
    ("UBND HUYỆN THANH OAI\nPHÒNG GIÁO DỤC VÀ ĐÀO TẠO\nSố: 12/KH-PGDĐT\nThanh Oai, ngày 05 tháng 8 năm 2024",
     "KẾ HOẠCH\nTổ chức các hoạt động tháng 9/2024",
     "Ngày 15/8/2024, tại Hội trường Phòng, Phòng Giáo dục và Đào tạo tổ chức triển khai kế hoạch."),
    ("UBND TỈNH BÌNH THUẬN\nSỞ CÔNG THƯƠNG\nSố: 640/SCT-QLTM\nV/v triển khai Thông báo kết luận\n"
     "giao ban tháng 3/2025 của UBND tỉnh\nBình Thuận, ngày 09 tháng 4 năm 2025",
     "",
     "Kính gửi: Phòng Kinh tế các huyện, thị xã, thành phố.\n\n"
     "Thực hiện Thông báo số 120/TB-UBND ngày 04/4/2025 của UBND tỉnh kết luận của Chủ tịch UBND tỉnh tại "
     "cuộc họp giao ban tháng 3/2025, Sở Công thương đề nghị các đơn vị báo cáo trước ngày 20/4/2025."),
    # a cut that left the motto and the place-date line at the top of the letter's body
    ("UBND TỈNH BÌNH THUẬN\nSỞ CÔNG THƯƠNG\nSố: 641/SCT-QLTM\nV/v đôn đốc thực hiện kết luận giao ban quý I/2025",
     "",
     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nBình Thuận, ngày 10 tháng 4 năm 2025\n\n"
     "Kính gửi: Các phòng thuộc Sở.\n\n"
     "Thực hiện kết luận của Giám đốc Sở tại cuộc họp giao ban quý I/2025, đề nghị các phòng khẩn trương "
     "triển khai."),
])
# fmt: on
def test_metadata_plans_and_letters_have_no_period_or_meeting(header: str, title: str, body: str) -> None:
    fields = layout_to_fields(layout_of(header, title, body))
    assert fields.doc_type in ("Kế hoạch", "")
    assert fields.issue_date.startswith(("2024-", "2025-"))
    assert (fields.period_kind, fields.period_start, fields.period_end, fields.period_label) == ("", "", "", "")
    assert (fields.meeting_date, fields.meeting_location, fields.chair) == ("", "", "")


def test_metadata_report_keeps_the_period_it_reports_on() -> None:
    fields = layout_to_fields(layout_of(
        "UBND HUYỆN ĐỨC PHỔ\nPHÒNG NÔNG NGHIỆP\nSố: 44/BC-PNN\nĐức Phổ, ngày 28 tháng 6 năm 2024",
        "BÁO CÁO\nKết quả sản xuất nông nghiệp 6 tháng đầu năm 2024", "Phòng Nông nghiệp báo cáo như sau:"))  # fmt: skip
    assert (fields.period_kind, fields.period_start, fields.period_end) == ("half_year", "2024-01-01", "2024-06-30")


# --- a meeting place runs over its commas until the sentence goes on ---------------------------------
# fmt: off
@pytest.mark.parametrize("opening, location", [
    # an address after the building: number, street, city
    ("Ngày 21/10/2024, tại trụ sở Cục, số 12 đường Lê Duẩn, thành phố Buôn Ma Thuột, Cục Hải quan tỉnh "
     "tổ chức hội nghị giao ban quý III năm 2024.", "trụ sở Cục, số 12 đường Lê Duẩn, thành phố Buôn Ma Thuột"),
    ("Ngày 21/10/2024, tại trụ sở Bộ, số 10 Hoa Lư, Hà Nội, Bộ Xây dựng tổ chức hội nghị.",
     "trụ sở Bộ, số 10 Hoa Lư, Hà Nội"),
    # a lower-case building part, then a person with a degree and no honorific
    ("Sáng ngày 03/02/2025, tại phòng giao ban, tầng 4, nhà B, ThS.BS. Võ Văn Tám - Giám đốc Trung tâm chủ "
     "trì họp giao ban tháng 01/2025.", "phòng giao ban, tầng 4, nhà B"),
    # the place ends before "dưới sự chủ trì", "có sự tham dự", a clause with its own verb
    ("Ngày 12/9/2024, tại Hội trường A, khu Hành chính, dưới sự chủ trì của ông Đinh Văn Hòa - Chủ tịch "
     "UBND huyện, UBND huyện họp giao ban tháng 8/2024.", "Hội trường A, khu Hành chính"),
    ("Ngày 12/9/2024, tại Hội trường UBND thị xã, có sự tham dự của lãnh đạo các phòng, UBND thị xã họp.",
     "Hội trường UBND thị xã"),
    ("Ngày 12/9/2024, tại Hội trường UBND thị xã, UBND thị xã tổ chức họp giao ban tháng 8/2024.",
     "Hội trường UBND thị xã"),
    # a name with its title in the next comma part
    ("Ngày 12/9/2024, tại phòng họp số 3, Đặng Thị Mai, Giám đốc Chi nhánh chủ trì cuộc họp.",
     "phòng họp số 3"),
])
# fmt: on
def test_metadata_meeting_location_runs_to_where_the_place_ends(opening: str, location: str) -> None:
    fields = layout_to_fields(layout_of("Đắk Lắk, ngày 25 tháng 10 năm 2024", "THÔNG BÁO\nKết luận cuộc họp",
                                        opening))  # fmt: skip
    assert fields.meeting_location == location


# --- a chair written with a degree before the name ---------------------------------------------------
# fmt: off
@pytest.mark.parametrize("opening, chair", [
    ("Sáng ngày 03/02/2025, tại phòng giao ban, tầng 4, nhà B, ThS.BS. Võ Văn Tám - Giám đốc Trung tâm chủ "
     "trì họp giao ban tháng 01/2025.", "ThS.BS. Võ Văn Tám - Giám đốc Trung tâm"),
    ("Ngày 10/3/2025, tại Hội trường Khoa, TS. Hồ Thị Lan - Trưởng khoa chủ trì họp khoa.",
     "TS. Hồ Thị Lan - Trưởng khoa"),
    ("Ngày 10/3/2025, Bệnh viện họp giao ban dưới sự chủ trì của BS.CKI. Đào Văn Nam - Giám đốc Bệnh viện. "
     "Tham dự có các khoa, phòng.", "BS.CKI. Đào Văn Nam - Giám đốc Bệnh viện"),
    ("Ngày 10/3/2025, Viện tổ chức hội nghị. Chủ trì: PGS.TS. Ngô Minh Đức - Viện trưởng.",
     "PGS.TS. Ngô Minh Đức - Viện trưởng"),
])
# fmt: on
def test_metadata_chair_keeps_a_degree_before_the_name(opening: str, chair: str) -> None:
    fields = layout_to_fields(layout_of("Cần Thơ, ngày 12 tháng 3 năm 2025", "THÔNG BÁO\nKết luận cuộc họp",
                                        opening))  # fmt: skip
    assert fields.chair == chair


# --- the place as printed, a place-date line wrapped before its year --------------------------------
# fmt: off
@pytest.mark.parametrize("header, place, issue_date", [
    ("SỞ Y TẾ\nBỆNH VIỆN NHI ĐỒNG 2\nSố: 35/TB-BVNĐ2\nThành phố Hồ Chí Minh, ngày 06 tháng 3 năm 2025",
     "Thành phố Hồ Chí Minh", "2025-03-06"),
    ("UBND TỈNH THANH HÓA\nUBND THỊ XÃ NGHI SƠN\nSố: 90/TB-UBND\nThị xã Nghi Sơn, ngày 14/5/2024",
     "Thị xã Nghi Sơn", "2024-05-14"),
    ("UBND TỈNH ĐẮK NÔNG\nUBND THÀNH PHỐ GIA NGHĨA\nSố: 17/TB-UBND\nThành phố Gia Nghĩa, ngày 08 tháng 11 năm\n2023",
     "Thành phố Gia Nghĩa", "2023-11-08"),
    ("SỞ Y TẾ\nBỆNH VIỆN NHI ĐỒNG 2\nSố: 35/TB-BVNĐ2\nThành phố Hồ Chí Minh, ngày 06 tháng\n3 năm 2025",
     "Thành phố Hồ Chí Minh", "2025-03-06"),
    ("SỞ Y TẾ\nBỆNH VIỆN NHI ĐỒNG 2\nSố: 35/TB-BVNĐ2\nThành phố Hồ Chí Minh,\nngày 06 tháng 3 năm 2025",
     "Thành phố Hồ Chí Minh", "2025-03-06"),
    ("UBND TỈNH LONG AN\nUBND HUYỆN ĐỨC HÒA\nSố: 17/TB-UBND\nĐức Hòa, ngày 09 tháng 12 năm 2023",
     "Đức Hòa", "2023-12-09"),
])
# fmt: on
def test_metadata_place_as_printed_and_wrapped_date(header: str, place: str, issue_date: str) -> None:
    fields = layout_to_fields(layout_of(header, "THÔNG BÁO\nKết luận giao ban tháng 02/2025", "Ngày 03/3/2025."))
    assert (fields.place, fields.issue_date) == (place, issue_date)
    assert issue_date[:4] not in fields.issuer


# --- a dash that a line wrap put at the start of a line is not a bullet ------------------------------
# fmt: off
@pytest.mark.parametrize("body, chair", [
    ("Ngày 11/11/2024, tại phòng họp Xí nghiệp, đồng chí Mai Văn Lộc\n"
     "- Phó Giám đốc Công ty chủ trì cuộc họp giao ban tháng 10/2024. Dự họp có\n"
     "các tổ sản xuất.\n"
     "- Tổ Quản lý nước: hoàn thành kế hoạch tháng.", "Mai Văn Lộc - Phó Giám đốc Công ty"),
    ("Ngày 11/11/2024, tại phòng họp Xí nghiệp, Xí nghiệp họp giao ban tháng 10/2024.\n"
     "- Đồng chí Mai Văn Lộc - Phó Giám đốc Công ty chủ trì.", ""),
])
# fmt: on
def test_metadata_wrapped_dash_in_the_opening_is_not_a_bullet(body: str, chair: str) -> None:
    fields = layout_to_fields(layout_of("Quảng Bình, ngày 14 tháng 11 năm 2024",
                                        "THÔNG BÁO\nKết luận giao ban tháng 10/2024", body))  # fmt: skip
    assert (fields.meeting_date, fields.chair) == ("2024-11-11", chair)


# --- issue 17: real archives ------------------------------------------------------------------------
from ketluan.metadata.header import check_number, read_place_date_checked  # noqa: E402
from ketluan.metadata.period import has_own_period  # noqa: E402
from ketluan.metadata.signer import read_signer  # noqa: E402
from ketluan.text.closed import match_doc_type, match_signer_title, mend_abbreviation  # noqa: E402


# fmt: off
@pytest.mark.parametrize("raw, doc_type, number, doubt", [
    ("85/BC-STC", "Báo cáo", "85/BC-STC", ""),
    (".../TB-UBND", "Thông báo", "/TB-UBND", ""),             # a draft's placeholder (ANNOTATION)
    ("/TB-UBND", "Thông báo", "/TB-UBND", ""),
    ("6§/TB-UBND", "Thông báo", "/TB-UBND", "doc_number: number not read"),   # handwriting
    (".““//TB-UBND", "Thông báo", "/TB-UBND", "doc_number: number not read"),
    ("2/4/CT-CS", "", "/CT-CS", "doc_number: number not read"),
    (":-/UBND-VP", "", "/UBND-VP", ""),                     # dashes hold the place (flagged on a scan)
    ("2X/TIr-CAT-PC06", "Tờ trình", "/TTr-CAT-PC06", "doc_number: number not read"),
    ("/QĐĐ-UBND", "Quyết định", "/QĐ-UBND", ""),              # the abbreviation one edit off its type
    ("964/STC-NS", "", "964/STC-NS", ""),                     # a letter's agency code is left alone
    ("30/2020/NĐ-CP", "Nghị định", "30/2020/NĐ-CP", ""),
    ("318-TB/ĐUK", "Thông báo", "318-TB/ĐUK", ""),
])
# fmt: on
def test_metadata_number_digits_checked_before_use(raw: str, doc_type: str, number: str, doubt: str) -> None:
    assert check_number(raw, doc_type) == (number, doubt)


# fmt: off
@pytest.mark.parametrize("line, place, iso, doubts", [
    ("Đăk R’lấp, ngày 09 tháng 5 năm 2019", "Đăk R’lấp", "2019-05-09", []),
    ("Đắk R lắp, ngày „¡is tháng S` năm 2019", "Đắk R lắp", "",
     ["issue_date: day not read", "issue_date: month not read"]),
    ("Krông Nô, ngày - tháng - năm 2019", "Krông Nô", "", []),   # blank slots: the place stays
    ("Hà Nội ngày 08 tháng 4 năm 2026", "Hà Nội", "2026-04-08", []),   # OCR lost the comma
    ("Quận 8, ngày 23 tháng 01 năm 2025", "Quận 8", "2025-01-23", []),   # a unit named by a number
    ("Phường 15, ngày 03 tháng 02 năm 2026", "Phường 15", "2026-02-03", []),
    ("Lâm Đông, ngàyS© tháng 10 năm 2025", "Lâm Đông", "", ["issue_date: day not read"]),
    (unicodedata.normalize("NFD", "Lâm Đồng, ngày    tháng 4 năm 2026"), "Lâm Đồng", "", []),
])
# fmt: on
def test_metadata_place_read_even_when_the_date_is_not(line: str, place: str, iso: str, doubts: list[str]) -> None:
    assert read_place_date_checked(line) == (place, iso, doubts)


@pytest.mark.parametrize("line", ["Sáng ngày 17 tháng 6 năm 2024, tại Hội trường UBND xã", "Nay UBND huyện ngày 5/3"])
def test_metadata_running_text_is_not_a_place_date_line(line: str) -> None:
    assert read_place_date_checked(line) is None


# fmt: off
@pytest.mark.parametrize("doc_type, title, own", [
    ("Báo cáo", "Kết quả triển khai Đề án 06 trên địa bàn tỉnh tháng 8/2025", True),
    ("", "TỔNG HỢP KẾT QUẢ CÔNG TÁC TIẾP CÔNG DÂN THÁNG 4 NĂM 2019", True),   # a report table's title
    ("Thông báo", "Lịch tiếp công dân tháng 05 năm 2019", True),
    ("Lịch công tác", "TUẦN THỨ 24 - NĂM 2019 Từ ngày 10/6/2019 đến ngày 14/6/2019", True),
    ("Báo cáo", "Về việc điều chỉnh dự toán ngân sách năm 2024", False),     # one matter
    ("Quyết định", "Về việc tặng danh hiệu thi đua năm 2010", False),
    ("Tờ trình", "Đề nghị ban hành Báo cáo kết quả tháng 10/2025", False),
    ("Giấy mời", "Dự Hội nghị sơ kết công tác 6 tháng đầu năm 2024", False),
    ("Kế hoạch", "Tuyên truyền cải cách hành chính năm 2019", False),
    ("Thông báo", "V/v lựa chọn tổ chức bán đấu giá tài sản", False),
    ("", "V/v chính sách thuế năm 2026", False),
])
# fmt: on
def test_metadata_period_only_for_periodic_documents(doc_type: str, title: str, own: bool) -> None:
    assert has_own_period(doc_type, title) is own


# fmt: off
@pytest.mark.parametrize("title, body, period", [
    # a one-matter working session: a year in the opening is not a period reviewed
    ("THÔNG BÁO\nKết luận của Phó Chủ tịch UBND tỉnh tại buổi làm việc với Sở Khoa học và Công nghệ",
     "Ngày 10/4/2026, Phó Chủ tịch UBND tỉnh làm việc với Sở về nhiệm vụ năm 2026.", ("", "")),
    # a decision citing a year in its opening
    ("QUYẾT ĐỊNH\nVề việc khen thưởng", "Căn cứ Luật Thi đua, khen thưởng năm 2022;", ("", "")),
    # a report's reviewed period, though "triển khai" precedes it
    ("BÁO CÁO\nKết quả triển khai Đề án 06 trên địa bàn tỉnh tháng 8/2025", "Thực hiện chỉ đạo.", ("month", "tháng 8/2025")),
    # a schedule's week with its dates on the same title
    ("LỊCH CÔNG TÁC TUẦN THỨ 24 - NĂM 2019 Từ ngày 10/6/2019 đến ngày 14/6/2019", "", (
        "week", "TUẦN THỨ 24 - NĂM 2019 Từ ngày 10/6/2019 đến ngày 14/6/2019")),
    # a conclusion's review cue in the opening still counts
    ("THÔNG BÁO\nKết luận cuộc họp", "Sáng ngày 17/6/2024, UBND xã họp giao ban đánh giá kết quả tháng 5/2024.",
     ("month", "tháng 5/2024")),
])
# fmt: on
def test_metadata_period_gate_by_document(title: str, body: str, period: tuple[str, str]) -> None:
    fields = layout_to_fields(layout_of("Lâm Đồng, ngày 20 tháng 6 năm 2025", title, body))
    assert (fields.period_kind, fields.period_label) == period


# fmt: off
@pytest.mark.parametrize("title, body", [
    ("THÔNG BÁO\nVề việc thu hồi giấy chứng nhận quyền sử dụng đất",
     "UBND huyện nhận được Công văn số 72/CV-TN&MT, ngày 10 tháng 5 năm 2019 của Phòng Tài nguyên."),
    ("THÔNG BÁO\nV/v kết quả tiếp công dân ngày 15/5/2019",
     "Ngày 15/5/2019, tại Trụ sở Ban Tiếp công dân, ông Ngô Văn Đông - Chủ tịch UBND huyện chủ trì."),
])
# fmt: on
def test_metadata_meeting_fields_only_for_conclusions(title: str, body: str) -> None:
    fields = layout_to_fields(layout_of("Krông Nô, ngày 16 tháng 5 năm 2019", title, body))
    assert fields.is_conclusion is False
    assert (fields.meeting_date, fields.meeting_location, fields.chair) == ("", "", "")


def test_metadata_residence_is_not_the_meeting_location() -> None:
    body = ("Ngày 17/4/2019, UBND huyện tổ chức đối thoại với bà Trần Thị Lan, trú tại Tổ dân phố 3, "
            "thị trấn Kiến Đức.")  # fmt: skip
    fields = layout_to_fields(layout_of("Đăk R’lấp, ngày 09 tháng 5 năm 2019",
                                        "THÔNG BÁO\nKết luận của Lãnh đạo UBND huyện tại buổi đối thoại", body))  # fmt: skip
    assert (fields.meeting_date, fields.meeting_location) == ("2019-04-17", "")


# fmt: off
@pytest.mark.parametrize("line, doc_type", [
    ("THÔNG BÁO", "THÔNG BÁO"),
    ("THONGBAo", "THÔNG BÁO"),                 # an old OCR layer without diacritics
    ("QUYÉT ĐINH", "QUYẾT ĐỊNH"),
    ("LỊCH CÔNG TÁC TUẦN THỨ 24", "LỊCH CÔNG TÁC"),
    (unicodedata.normalize("NFD", "TỜ TRÌNH"), "TỜ TRÌNH"),
    ("CÔNG AN TỈNH LÂM ĐỒNG", None),           # an agency, not CÔNG VĂN
    ("ĐOÀN THANH TRA", None),
    ("KẾT QUẢ ĐẠT ĐƯỢC", None),
])
# fmt: on
def test_metadata_type_word_from_the_closed_list(line: str, doc_type: str | None) -> None:
    m = match_doc_type(line)
    assert (m.doc_type if m else None) == doc_type


# fmt: off
@pytest.mark.parametrize("lines, title", [
    (["THÔNG", "Kết luận của Chủ tịch UBND tỉnh tại buổi làm việc với Sở Xây dựng"], ("Thông báo", True)),
    (["THONGBAo", "Kết luận của Chủ tịch UBND huyện"], ("Thông báo", True)),
    (["THÔNG", "V/v lịch tiếp công dân"], ("Thông báo", False)),
])
# fmt: on
def test_metadata_damaged_type_word_still_gives_the_type(lines: list[str], title: tuple[str, bool]) -> None:
    fields = layout_to_fields(Layout(title=[Line(t) for t in lines]))
    assert (fields.doc_type, fields.is_conclusion) == title


# fmt: off
@pytest.mark.parametrize("line, expected", [
    ("KT. CHỦ TỊCH", ("KT. CHỦ TỊCH", False)),
    ("KT.GIÁM ĐỐC", ("KT.GIÁM ĐỐC", False)),           # kept as printed
    ("GLÁM ĐÓC", ("GIÁM ĐỐC", True)),
    ("CHANH H Á VĂN VÀ PHÒN ONG", None),               # too damaged: no guess
    ("CHANH Á VAN Ă PHONG", ("CHÁNH VĂN PHÒNG", True)),
    ("TM. UY BAN NHANDAN", ("TM. ỦY BAN NHÂN DÂN", True)),
    ("CHU-“TỊCH", ("CHỦ TỊCH", True)),
    ("“ữ GIÁM ĐỐC", ("GIÁM ĐỐC", True)),
    ("TC LẢ", None),
    ("TM. THƯỜNG TRỰC HĐND", ("TM. THƯỜNG TRỰC HĐND", False)),   # the agency's abbreviation kept
])
# fmt: on
def test_metadata_signer_title_from_the_closed_list(line: str, expected: tuple[str, bool] | None) -> None:
    assert match_signer_title(line) == expected


# fmt: off
@pytest.mark.parametrize("segment, doc_type, mended", [
    ("TIr", "Tờ trình", "TTr"), ("QĐĐ", "Quyết định", "QĐ"), ("TB", "Thông báo", "TB"),
    ("STC", "Báo cáo", "STC"), ("UBND", "", "UBND"),
])
# fmt: on
def test_metadata_number_abbreviation_mended_from_the_type(segment: str, doc_type: str, mended: str) -> None:
    assert mend_abbreviation(segment, doc_type) == mended


# fmt: off
@pytest.mark.parametrize("lines, expected", [
    # the e-signature box and its wrapped lines are no part of the block
    (["KT.GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Ký bởi: Sở Tài", "chính", "Email:", "stc@daknong.gov.vn",
      "Cơ quan: Tỉnh", "Đắk Nông", "24.04.2019", "11:03:36 +07:00"], ("KT.GIÁM ĐỐC / PHÓ GIÁM ĐỐC", "")),
    (["TL. CHỦ TỊCH", "s3 BH ÁNH VĂN PHÒNG", "X 4", "Cao Văn Tính"], ("TL. CHỦ TỊCH / CHÁNH VĂN PHÒNG", "Cao Văn Tính")),
    (["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "TC LẢ", "Nguyễn Ngọc Đức"], ("KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC", "Nguyễn Ngọc Đức")),
    (["GIÁM ĐỐC", "Thiếu tướng Trương Minh Hùng"], ("GIÁM ĐỐC", "Thiếu tướng Trương Minh Hùng")),  # rank on the name line
    (["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Thượng tá", "Phan Văn Hiếu"], ("KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC", "Phan Văn Hiếu")),
])
# fmt: on
def test_metadata_signer_block_under_seal_and_esignature(lines: list[str], expected: tuple[str, str]) -> None:
    assert read_signer(lines) == expected


# fmt: off
@pytest.mark.parametrize("agencies, units", [
    (["UBND TỈNH ĐẮK NÔNG", "SỞ TÀI CHÍNH"], ["UBND TỈNH ĐẮK NÔNG", "SỞ TÀI CHÍNH"]),
    (["ỦY BAN NHÂN DÂN HUYỆN KRÔNG NÔ", "VĂN PHÒNG"], ["ỦY BAN NHÂN DÂN HUYỆN KRÔNG NÔ", "VĂN PHÒNG"]),
    (["SỞ TÀI NGUYÊN VÀ MÔI", "TRƯỜNG"], ["SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG"]),
])
# fmt: on
def test_metadata_header_agency_lines_kept_apart(agencies: list[str], units: list[str]) -> None:
    assert group_agencies(agencies) == units


# fmt: off
@pytest.mark.parametrize("header, doc_number, issuer", [
    # OCR lost "Số: 77": the bare number line never joins the issuer
    (["ỦY BAN NHÂN DÂN", "HUYỆN KRÔNG NÔ", "/TB-UBND"], "/TB-UBND", "ỦY BAN NHÂN DÂN HUYỆN KRÔNG NÔ"),
    (["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NGÃI", "Số: Ó # /CT-UBND"], "/CT-UBND", "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"),
])
# fmt: on
def test_metadata_number_column_kept_apart(header: list[str], doc_number: str, issuer: str) -> None:
    fields = layout_to_fields(Layout(header=[Line(t, column="left") for t in header],
                                     title=[Line("CHỈ THỊ"), Line("Về tăng cường kỷ luật")]))  # fmt: skip
    assert (fields.doc_number, fields.issuer) == (doc_number, issuer)


def test_metadata_doubts_left_for_review() -> None:
    layout = Layout(header=[Line("UBND HUYỆN KRÔNG NÔ", column="left", origin="ocr"),
                            Line("Số: 6§/TB-UBND", column="left", origin="ocr"),
                            Line("Krông Nô, ngày 3| tháng 12 năm 2024", column="right", origin="ocr")],
                    title=[Line("THÔNG BÁO", origin="ocr"), Line("Kết luận giao ban", origin="ocr")])  # fmt: skip
    fields = layout_to_fields(layout)
    assert (fields.doc_number, fields.issue_date, fields.place) == ("/TB-UBND", "", "Krông Nô")
    assert fields.review.split("; ")[:2] == ["issue_date: day not read", "doc_number: number not read"]


# fmt: off
@pytest.mark.parametrize("block, recipients", [
    # a footnote under the list
    (["Nơi nhận:", "- Như trên;", "- Lãnh đạo Sở;", "- Lưu: VT, CCHC&VTLT (Quý).",
      "1 Gồm: Sở Khoa học và Công nghệ, Sở Tài chính"], ["Như trên", "Lãnh đạo Sở", "Lưu: VT, CCHC&VTLT (Quý)"]),
    # the e-signature box beside the list
    (["Nơi nhận:", "- Thanh tra tỉnh;", "- Lưu: VT,TTr (Ti).", "Cơ quan: Tỉnh Bắc", "Kạn", "09:12:05 +07:00"],
     ["Thanh tra tỉnh", "Lưu: VT,TTr (Ti)"]),
    # an attached document after "Lưu: ... ."
    (["Nơi nhận:", "- CT, các PCT UBND huyện;", "- Lưu: VT, BTCD.", "V/v làm việc với công dân", "I. Thời gian"],
     ["CT, các PCT UBND huyện", "Lưu: VT, BTCD"]),
    # a wrapped recipient still joins
    (["Nơi nhận:", "- Như trên;", "- Sở Tài chính (để", "phối hợp);", "- Lưu: VT."],
     ["Như trên", "Sở Tài chính (để phối hợp)", "Lưu: VT"]),
])
# fmt: on
def test_metadata_recipients_end_with_the_file_copy(block: list[str], recipients: list[str]) -> None:
    from ketluan.metadata.signer import read_recipients

    assert read_recipients([Line(t) for t in block])[0] == recipients


@pytest.mark.parametrize(
    ("lines", "flagged"),
    [
        # a Word phiếu trình whose trích yếu was not found: a type word always has one
        (["VĂN PHÒNG UBND TỈNH LÂM ĐỒNG", "Số: .../PT-NC", "Lâm Đồng, ngày    tháng 01 năm 2026", "PHIẾU TRÌNH"], True),
        # an invitation may print none
        (["ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", "Số: 85/GM-UBND", "Lâm Đồng, ngày 19 tháng 01 năm 2026", "GIẤY MỜI"], False),
    ],
)
def test_metadata_title_not_found_is_a_doubt_when_the_type_needs_one(lines: list[str], flagged: bool) -> None:
    fields = layout_to_fields(Layout(lines=[Line(t, origin="docx") for t in lines]))
    assert fields.title == ""
    assert ("title: not found" in fields.review) is flagged
