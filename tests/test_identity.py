"""Tests of pipeline/identity.py: issuer_id from the header fields of one document.

Fields are built by hand from real Vietnamese headers (Nghị định 30/2020/NĐ-CP layout): the
corpus and series expectations of data/series_eval/issuer_ids_corpus.json and MANIFEST.json,
abbreviations, NFD input, OCR damage and the July 2025 merger of provinces.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from ketluan.identity import issuer_id_of, load_geo
from ketluan.records import Fields

REPO = Path(__file__).resolve().parent.parent
EVAL = REPO / "data" / "series_eval"


# fmt: off
@pytest.mark.parametrize(("issuer", "parent", "place", "issued", "expected"), [
    ("SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG", "UBND TỈNH BÌNH PHƯỚC", "Bình Phước", "2023-02-06",
     "so-tai-nguyen-va-moi-truong/tinh-binh-phuoc"),
    ("SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG", "ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ", "Quảng Trị", "2022-08-03",
     "so-tai-nguyen-va-moi-truong/tinh-quang-tri"),
    ("Sở TN&MT", "UBND tỉnh Bình Phước", "", "2023-02-06", "so-tai-nguyen-va-moi-truong/tinh-binh-phuoc"),
    ("SỞ TN & MT", "UBND TỈNH BÌNH PHƯỚC", "", "", "so-tai-nguyen-va-moi-truong/tinh-binh-phuoc"),
    ("UBND HUYỆN CAM LÂM", "", "Cam Lâm", "2021-04-06", "uy-ban-nhan-dan-huyen-cam-lam/tinh-khanh-hoa"),
    ("ỦY BAN NHÂN DÂN HUYỆN CAM LÂM", "", "Cam Lâm", "2021-05-07", "uy-ban-nhan-dan-huyen-cam-lam/tinh-khanh-hoa"),
    ("UỶ BAN NHÂN DÂN HUYỆN CAM LÂM", "", "Cam Lâm", "", "uy-ban-nhan-dan-huyen-cam-lam/tinh-khanh-hoa"),
    ("HUYỆN CAM LÂM", "ỦY BAN NHÂN DÂN", "Cam Lâm", "", "uy-ban-nhan-dan-huyen-cam-lam/tinh-khanh-hoa"),
    ("THANH TRA TỈNH", "UBND TỈNH HẬU GIANG", "Hậu Giang", "2019-08-05", "thanh-tra/tinh-hau-giang"),
    ("Thanh tra tỉnh", "", "Tây Ninh", "2020-05-18", "thanh-tra/tinh-tay-ninh"),
    ("VĂN PHÒNG", "UBND TỈNH QUẢNG NGÃI", "Quảng Ngãi", "2024-04-08", "van-phong/tinh-quang-ngai"),
    ("VP UBND TỈNH QUẢNG NGÃI", "", "Quảng Ngãi", "", "van-phong/tinh-quang-ngai"),
    ("UBND XÃ MỸ LONG BẮC", "UBND HUYỆN CẦU NGANG", "Mỹ Long Bắc", "2024-06-17",
     "uy-ban-nhan-dan-xa-my-long-bac/uy-ban-nhan-dan-huyen-cau-ngang/tinh-tra-vinh"),
    ("BỆNH VIỆN ĐA KHOA HUYỆN HOẰNG HOÁ", "SỞ Y TẾ THANH HOÁ", "Hoằng Hoá", "2024-11-06",
     "benh-vien-da-khoa-huyen-hoang-hoa/so-y-te/tinh-thanh-hoa"),
    ("TRƯỜNG ĐẠI HỌC SƯ PHẠM KỸ THUẬT DUYÊN HẢI", "BỘ GIÁO DỤC VÀ ĐÀO TẠO", "Quy Nhơn", "2024-08-19",
     "truong-dai-hoc-su-pham-ky-thuat-duyen-hai/bo-giao-duc-va-dao-tao"),
    ("CÔNG TY TNHH MTV KHAI THÁC CÔNG TRÌNH THỦY LỢI NINH THUẬN", "UBND TỈNH NINH THUẬN", "Ninh Thuận", "",
     "cong-ty-trach-nhiem-huu-han-mot-thanh-vien-khai-thac-cong-trinh-thuy-loi/tinh-ninh-thuan"),
    ("ỦY BAN NHÂN DÂN THÀNH PHỐ BẢO LỘC", "", "Bảo Lộc", "2024-08-07", "uy-ban-nhan-dan-thanh-pho-bao-loc/tinh-lam-dong"),
    ("UBND THÀNH PHỐ HÀ NỘI", "", "Hà Nội", "", "uy-ban-nhan-dan/thanh-pho-ha-noi"),
    ("UBND TỈNH QUẢNG NGÃI", "", "Quảng Ngãi", "", "uy-ban-nhan-dan/tinh-quang-ngai"),
    # abbreviated parents of the courts, procuracies and mass organisations (Nghị định 30, Phụ lục III)
    ("VIỆN KIỂM SÁT NHÂN DÂN HUYỆN BÙ ĐĂNG", "VIỆN KSND TỈNH BÌNH PHƯỚC", "Bù Đăng", "2024-02-05",
     "vien-kiem-sat-nhan-dan-huyen-bu-dang/vien-kiem-sat-nhan-dan/tinh-binh-phuoc"),
    ("TÒA ÁN NHÂN DÂN HUYỆN MƯỜNG TÈ", "TAND TỈNH LAI CHÂU", "Mường Tè", "2024-03-11",
     "toa-an-nhan-dan-huyen-muong-te/toa-an-nhan-dan/tinh-lai-chau"),
    ("BAN THƯỜNG VỤ", "HỘI LHPN TỈNH NINH BÌNH", "Ninh Bình", "2024-10-02",
     "ban-thuong-vu/hoi-lien-hiep-phu-nu/tinh-ninh-binh"),
    # a ward after the 2025 merger, under a parent line that is the province alone
    ("ỦY BAN NHÂN DÂN PHƯỜNG PHAN RANG", "TỈNH KHÁNH HÒA", "Phan Rang", "2025-08-05",
     "uy-ban-nhan-dan-phuong-phan-rang/tinh-khanh-hoa"),
])
# fmt: on
def test_identity_issuer_id_of_real_headers(issuer: str, parent: str, place: str, issued: str, expected: str) -> None:
    assert issuer_id_of(Fields(issuer=issuer, issuer_parent=parent, place=place, issue_date=issued)) == expected


# fmt: off
@pytest.mark.parametrize(("issuer", "parent"), [
    ("SỞ TÀI NGUYEN VÀ MÔI TRUỜNG", "UBND TỈNH BlNH PHƯỚC"),  # marks and a letter lost by OCR
    ("SỞ TÀI NGUYÊN VÀ MÔl TRƯỜNG", "ỦY BAN NHÂN DẦN TỈNH BÌNH PHƯỚC"),
    (unicodedata.normalize("NFD", "Sở Tài nguyên và Môi trường"), unicodedata.normalize("NFD", "UBND tỉnh Bình Phước")),
    ("SỞ TÀI NGUYÊN\nVÀ MÔI TRƯỜNG", "UBND TỈNH  BÌNH PHƯỚC"),  # a wrapped line, two spaces
])
# fmt: on
def test_identity_folds_case_tone_and_ocr_damage(issuer: str, parent: str) -> None:
    assert issuer_id_of(Fields(issuer=issuer, issuer_parent=parent)) == "so-tai-nguyen-va-moi-truong/tinh-binh-phuoc"


# fmt: off
@pytest.mark.parametrize("printings", [
    # the province-level unit word printed or not, with or without the province's name
    [("TRUNG TÂM Y TẾ HUYỆN ĐỊNH QUÁN", "SỞ Y TẾ ĐỒNG NAI"), ("TRUNG TÂM Y TẾ HUYỆN ĐỊNH QUÁN", "SỞ Y TẾ TỈNH ĐỒNG NAI"),
     ("Trung tâm Y tế huyện Định Quán", "Sở Y tế tỉnh Đồng Nai")],
    [("THANH TRA TỈNH", "UBND TỈNH HẬU GIANG"), ("THANH TRA TỈNH HẬU GIANG", "UBND TỈNH HẬU GIANG"),
     ("THANH TRA HẬU GIANG", "ỦY BAN NHÂN DÂN TỈNH HẬU GIANG")],
    [("CỤC THUẾ TỈNH THÁI BÌNH", "TỔNG CỤC THUẾ"), ("CỤC THUẾ THÁI BÌNH", "TỔNG CỤC THUẾ")],
    [("ỦY BAN NHÂN DÂN", "TỈNH TRÀ VINH"), ("UBND TỈNH TRÀ VINH", ""), ("ỦY BAN NHÂN DÂN TỈNH TRÀ VINH", "")],
    # an abbreviated parent: "PTNT" is "phát triển nông thôn" (Nghị định 30/2020, Phụ lục III)
    [("CHI CỤC KIỂM LÂM", "SỞ NÔNG NGHIỆP VÀ PTNT TỈNH KON TUM"),
     ("CHI CỤC KIỂM LÂM", "SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN KON TUM"), ("CHI CỤC KIỂM LÂM", "SỞ NN&PTNT KON TUM")],
    # a scan's OCR moved or lost the spaces of the province and misread a letter
    [("CHI CỤC TRỒNG TRỌT VÀ BẢO VỆ THỰC VẬT", "SỞ NÔNG NGHIỆP VÀ PTNT TỈNH TÂY NINH"),
     ("CHI CỤC TRỒNG TRỌT VÀ BẢO VỆ THỰC VẬT", "SỞ NÔNG NGHIỆP VÀ PTNT TINH IAYNINH"),
     ("CHI CỤC TRÔNG TRỢT VÀ BẢO VỆ THỰC VẬT", "SỞ NÔNG NGHIỆP VÀ PTNT TINHIAYNINH")],
    # a mass organisation's executive committee: "BCH" is "Ban Chấp hành"
    [("BCH HỘI NÔNG DÂN TỈNH BẮC GIANG", "HỘI NÔNG DÂN VIỆT NAM"),
     ("BAN CHẤP HÀNH HỘI NÔNG DÂN TỈNH BẮC GIANG", "HỘI NÔNG DÂN VIỆT NAM")],
])
# fmt: on
def test_identity_one_agency_printed_several_ways_gets_one_key(printings: list[tuple[str, str]]) -> None:
    keys = {issuer_id_of(Fields(issuer=i, issuer_parent=p, issue_date="2022-08-05")) for i, p in printings}
    assert len(keys) == 1, keys
    key = keys.pop()
    assert "/tinh-" in key and "-tinh/" not in key


@pytest.mark.parametrize(("issuer", "expected"), [
    ("UBND THÀNH PHỐ BẮCNINH", "tinh-bac-ninh"),  # a city named like its province stays a city
    ("UBND HUYỆN TAYNINH", ""),  # no such district: the name is no province either
])  # fmt: skip
def test_identity_squeezed_name_of_a_local_unit_is_not_the_province_body(issuer: str, expected: str) -> None:
    key = issuer_id_of(Fields(issuer=issuer, place="Bắc Ninh" if expected else ""))
    assert key.startswith("uy-ban-nhan-dan-") and key.endswith(expected)


def test_identity_same_short_name_in_two_provinces_differs() -> None:
    binh_phuoc = issuer_id_of(Fields(issuer="SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG", issuer_parent="UBND TỈNH BÌNH PHƯỚC"))
    quang_tri = issuer_id_of(Fields(issuer="SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG", issuer_parent="UBND TỈNH QUẢNG TRỊ"))
    assert binh_phuoc != quang_tri


# fmt: off
@pytest.mark.parametrize(("fields", "expected"), [
    # after 2025-07-01 the province is the merged one (Bình Phước became part of Đồng Nai)
    (Fields(issuer="SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG", issuer_parent="UBND TỈNH BÌNH PHƯỚC", issue_date="2025-08-04"),
     "so-tai-nguyen-va-moi-truong/tinh-dong-nai"),
    (Fields(issuer="SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG", issuer_parent="UBND TỈNH BÌNH PHƯỚC", issue_date="2025-06-30"),
     "so-tai-nguyen-va-moi-truong/tinh-binh-phuoc"),
    (Fields(issuer="UBND HUYỆN CAM LÂM", place="Cam Lâm", issue_date="2025-07-01"),
     "uy-ban-nhan-dan-huyen-cam-lam/tinh-khanh-hoa"),
    # tỉnh Thừa Thiên Huế became thành phố Huế on 2025-01-01 (Nghị quyết 1314/NQ-UBTVQH15)
    (Fields(issuer="TRUNG TÂM KIỂM SOÁT BỆNH TẬT", issuer_parent="SỞ Y TẾ THỪA THIÊN HUẾ", place="Thừa Thiên Huế",
            issue_date="2022-03-08"),
     "trung-tam-kiem-soat-benh-tat/so-y-te/tinh-thua-thien-hue"),
    (Fields(issuer="SỞ Y TẾ", issuer_parent="UBND TỈNH THỪA THIÊN HUẾ", issue_date="2024-12-31"),
     "so-y-te/tinh-thua-thien-hue"),
    (Fields(issuer="SỞ Y TẾ", issuer_parent="UBND THÀNH PHỐ HUẾ", issue_date="2025-01-02"), "so-y-te/thanh-pho-hue"),
    (Fields(issuer="SỞ Y TẾ", issuer_parent="UBND THÀNH PHỐ HUẾ", issue_date="2025-09-15"), "so-y-te/thanh-pho-hue"),
    (Fields(issuer="SỞ Y TẾ", issuer_parent="UBND TỈNH THỪA THIÊN HUẾ"), "so-y-te/thanh-pho-hue"),  # no date: today's map
    # "Huế" is no province's name before 2025-01-01: the heritage centre of 2021 keeps it
    (Fields(issuer="TRUNG TÂM BẢO TỒN DI TÍCH CỐ ĐÔ HUẾ", issuer_parent="UBND TỈNH THỪA THIÊN HUẾ", issue_date="2021-08-10"),
     "trung-tam-bao-ton-di-tich-co-do-hue/tinh-thua-thien-hue"),
    (Fields(issuer="SỞ VĂN HÓA VÀ THỂ THAO HUẾ", issuer_parent="UBND THÀNH PHỐ HUẾ", issue_date="2025-03-10"),
     "so-van-hoa-va-the-thao/thanh-pho-hue"),
])
# fmt: on
def test_identity_province_as_it_was_on_the_issue_date(fields: Fields, expected: str) -> None:
    assert issuer_id_of(fields) == expected


def test_identity_empty_issuer_gives_empty_key() -> None:
    assert issuer_id_of(Fields(place="Cam Lâm")) == ""


def test_identity_geo_lists_provinces_and_districts() -> None:
    geo = load_geo()
    assert len({p.key for p in geo.provinces.values()}) == 63
    assert geo.provinces["thua thien hue"].key == "thanh-pho-hue"
    assert geo.districts["bao loc"] == ("lam dong",)


def _corpus_fields() -> list[tuple[str, Fields, str]]:
    expected = json.loads((EVAL / "issuer_ids_corpus.json").read_text(encoding="utf-8"))["corpus_dev"]
    corpus = REPO.parent / "shared" / "corpus" / "dev"
    if not corpus.is_dir():
        corpus = Path("/work/shared/corpus/dev")
    out = []
    for stem, key in expected.items():
        path = corpus / "gold" / f"{stem}.json"
        if path.exists():
            f = json.loads(path.read_text(encoding="utf-8"))["fields"]
            fields = Fields(**{k: f.get(k, "") for k in ("issuer", "issuer_parent", "place", "issue_date")})
            out.append((stem, fields, key))
    return out


def test_identity_corpus_gold_fields_give_the_expected_keys() -> None:
    cases = _corpus_fields()
    assert len(cases) == 13
    wrong = [(stem, issuer_id_of(f), key) for stem, f, key in cases if issuer_id_of(f) != key]
    assert wrong == []


def test_identity_every_series_document_gets_its_series_key() -> None:
    manifest = json.loads((EVAL / "MANIFEST.json").read_text(encoding="utf-8"))
    for s in manifest["series"]:
        data = json.loads((EVAL / s["files"]["series_gold"]).read_text(encoding="utf-8"))
        for d in data["documents"]:
            f = Fields(issuer=d["issuer"], issuer_parent=d["issuer_parent"], place=d["place"], issue_date=d["issue_date"])
            assert issuer_id_of(f) == s["issuer_id"], d["doc_id"]
