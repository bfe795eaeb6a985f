"""Tests of pipeline/duplicates.py: copies of one issued document in a run's documents table.

Tables are built by hand: a text PDF and a scan of the same "Thông báo kết luận" (number, date,
issuer), a .docx of it without a readable number, and monthly conclusions that are not copies.
"""

from __future__ import annotations

import unicodedata

import pandas as pd
import pytest

from ketluan.duplicates import find_duplicates

HG = "thanh-tra/tinh-hau-giang"
TEXT_07 = [
    "Tiếp nhận, xử lý 42 đơn khiếu nại, tố cáo, kiến nghị, phản ánh; đã giải quyết 35 đơn thuộc thẩm quyền.",
    "Việc thực hiện kết luận thanh tra về thu hồi tiền sai phạm còn chậm, mới thu hồi được 38% số tiền phải thu.",
    "Một số cuộc thanh tra kéo dài thời gian ban hành kết luận so với quy định của Luật Thanh tra.",
    "Phòng Nghiệp vụ 1: Đôn đốc thu hồi tiền sai phạm theo kết luận thanh tra, hoàn thành trước ngày 30/8/2019.",
]
TEXT_08 = [
    "Tổ chức tiếp 27 lượt công dân đến khiếu nại, tố cáo, kiến nghị, phản ánh tại Trụ sở tiếp công dân tỉnh.",
    "Công tác tự kiểm tra nội bộ của các phòng nghiệp vụ chưa thực hiện thường xuyên theo kế hoạch.",
    "Tỷ lệ thu hồi tiền sai phạm theo kết luận thanh tra vẫn đạt thấp so với yêu cầu của Thanh tra Chính phủ.",
    "Văn phòng: Tổng hợp báo cáo công tác thanh tra tháng 9/2019, gửi Thanh tra Chính phủ đúng hạn.",
]


def _ocr(text: str) -> str:
    """A scan's reading of the text: some tone marks lost, NFD, one letter confused."""
    return unicodedata.normalize("NFD", text.replace("ố", "ô").replace("ờ", "ơ").replace("l", "I", 1))


def _docs(rows: list[dict]) -> pd.DataFrame:
    base = {"status": "ok", "issuer": "THANH TRA TỈNH", "issuer_id": HG, "ocr_confidence": ""}
    return pd.DataFrame([base | r for r in rows])


def _items(texts: dict[str, list[str]]) -> pd.DataFrame:
    return pd.DataFrame([{"doc_id": d, "text": t} for d, ts in texts.items() for t in ts])


# fmt: off
@pytest.mark.parametrize(("kinds", "confidences", "kept"), [
    (["scanned_pdf", "text_pdf"], ["94.9", ""], 1),      # the text layer is kept
    (["text_pdf", "scanned_pdf"], ["", "94.9"], 0),
    (["scanned_pdf", "image"], ["88.0", "95.2"], 1),     # no text layer: best OCR confidence
    (["docx", "scanned_pdf"], ["", "97.0"], 0),
])
# fmt: on
def test_duplicates_same_number_date_issuer_keeps_best_copy(kinds: list[str], confidences: list[str], kept: int) -> None:
    docs = _docs([
        {"doc_id": f"d{k}", "input_kind": kind, "ocr_confidence": conf, "doc_number": "215/TB-TTr",
         "issue_date": "2019-08-05"}
        for k, (kind, conf) in enumerate(zip(kinds, confidences, strict=True))
    ])  # fmt: skip
    out = find_duplicates(docs).tolist()
    assert out[kept] == ""
    assert out[1 - kept] == f"d{kept}"


def test_duplicates_other_number_or_date_or_issuer_is_not_a_copy() -> None:
    docs = _docs([
        {"doc_id": "a", "input_kind": "text_pdf", "doc_number": "215/TB-TTr", "issue_date": "2019-08-05"},
        {"doc_id": "b", "input_kind": "text_pdf", "doc_number": "243/TB-TTr", "issue_date": "2019-09-06"},
        {"doc_id": "c", "input_kind": "text_pdf", "doc_number": "215/TB-TTr", "issue_date": "2019-08-05",
         "issuer_id": "thanh-tra/tinh-tay-ninh"},
        {"doc_id": "d", "input_kind": "text_pdf", "doc_number": "/TB-TTr", "issue_date": "2019-08-05"},
        {"doc_id": "e", "input_kind": "text_pdf", "doc_number": "/TB-TTr", "issue_date": "2019-08-05"},
    ])  # fmt: skip
    assert find_duplicates(docs).tolist() == ["", "", "", "", ""]


LC = "chi-cuc-hai-quan-cua-khau-quoc-te/cuc-hai-quan/tinh-lao-cai"


# fmt: off
@pytest.mark.parametrize(("scan_issuer", "scan_key", "copy"), [
    # a scan misreads one letter of the issuer ("CỬỦA KHẨU"): the same number and date make it a copy
    ("CHI CỤC HẢI QUAN CỬỦA KHẨU QUỐC TẾ LÀO CAI", "chi-cuc-hai-quan-cuua-khau-quoc-te/cuc-hai-quan/tinh-lao-cai", True),
    ("CHI CUC HAI QUAN CUA KHAU QUOC TE LAO CAl", "chi-cuc-hai-quan-cua-khau-quoc-te/cuc-hai-quan/tinh-lao-cai", True),
    # another body of the same kind (another border gate) or of another province is no copy
    ("CHI CỤC HẢI QUAN CỬA KHẨU BÁT XÁT", "chi-cuc-hai-quan-cua-khau-bat-xat/cuc-hai-quan/tinh-lao-cai", False),
    ("CHI CỤC HẢI QUAN CỬA KHẨU QUỐC TẾ", "chi-cuc-hai-quan-cua-khau-quoc-te/cuc-hai-quan/tinh-ha-giang", False),
])
# fmt: on
def test_duplicates_scan_with_a_misread_issuer_is_a_copy(scan_issuer: str, scan_key: str, copy: bool) -> None:
    docs = _docs([
        {"doc_id": "pdf", "input_kind": "text_pdf", "doc_number": "468/TB-CCHQCKQT", "issue_date": "2020-09-08",
         "issuer": "CHI CỤC HẢI QUAN CỬA KHẨU QUỐC TẾ LÀO CAI", "issuer_id": LC},
        {"doc_id": "scan", "input_kind": "scanned_pdf", "doc_number": "468/TB-CCHQCKQT", "issue_date": "2020-09-08",
         "issuer": scan_issuer, "issuer_id": scan_key, "ocr_confidence": "88.5"},
    ])  # fmt: skip
    assert find_duplicates(docs).tolist() == ["", "pdf" if copy else ""]


def test_duplicates_two_communes_with_one_number_and_date_are_two_documents() -> None:
    docs = _docs([
        {"doc_id": f"x{k}", "input_kind": "text_pdf", "doc_number": "12/TB-UBND", "issue_date": "2024-06-17",
         "issuer": f"UBND XÃ MỸ LONG {name.upper()}",
         "issuer_id": f"uy-ban-nhan-dan-xa-my-long-{key}/uy-ban-nhan-dan-huyen-cau-ngang/tinh-tra-vinh"}
        for k, (name, key) in enumerate([("Bắc", "bac"), ("Nam", "nam")])
    ])  # fmt: skip
    assert find_duplicates(docs).tolist() == ["", ""]


def test_duplicates_near_identical_text_is_a_copy_without_a_number() -> None:
    docs = _docs([
        {"doc_id": "pdf07", "input_kind": "text_pdf", "doc_number": "215/TB-TTr", "issue_date": "2019-08-05"},
        {"doc_id": "scan07", "input_kind": "scanned_pdf", "ocr_confidence": "91.0", "doc_number": "",
         "issue_date": ""},  # number and date not read on the scan
        {"doc_id": "pdf08", "input_kind": "text_pdf", "doc_number": "243/TB-TTr", "issue_date": "2019-09-06"},
    ])  # fmt: skip
    items = _items({"pdf07": TEXT_07, "scan07": [_ocr(t) for t in TEXT_07], "pdf08": TEXT_08})
    assert find_duplicates(docs, items).tolist() == ["", "pdf07", ""]
    assert find_duplicates(docs).tolist() == ["", "", ""]  # without the items, only the header decides


def test_duplicates_one_template_two_months_are_two_documents() -> None:
    # June's notice repeats May's text word for word but prints its own number and date: two
    # issued documents, both counted; a scan of May whose number was misread is still May's copy
    june = [t.replace("30/8/2019", "30/9/2019") for t in TEXT_07]
    docs = _docs([
        {"doc_id": "may", "input_kind": "text_pdf", "doc_number": "215/TB-TTr", "issue_date": "2019-08-05"},
        {"doc_id": "june", "input_kind": "text_pdf", "doc_number": "243/TB-TTr", "issue_date": "2019-09-06"},
        {"doc_id": "scan", "input_kind": "scanned_pdf", "ocr_confidence": "90.5", "doc_number": "2l5/TB-TTr",
         "issue_date": "2019-08-05"},
    ])  # fmt: skip
    items = _items({"may": TEXT_07, "june": june, "scan": [_ocr(t) for t in TEXT_07]})
    assert find_duplicates(docs, items).tolist() == ["", "", "may"]


@pytest.mark.parametrize(("june_kind", "copy"), [("txt", False), ("text_pdf", False), ("scanned_pdf", True)])
def test_duplicates_one_template_two_numbers_on_one_day(june_kind: str, copy: bool) -> None:
    # two notices of one template issued on the same day with their own numbers: a text layer misreads
    # no number, so two documents; a scan that prints another number on the same day may be a misread copy
    june = [t.replace("30/8/2019", "30/9/2019") for t in TEXT_07]
    docs = _docs([
        {"doc_id": "may", "input_kind": "txt", "doc_number": "45/TB-TTr", "issue_date": "2019-08-05"},
        {"doc_id": "june", "input_kind": june_kind, "doc_number": "52/TB-TTr", "issue_date": "2019-08-05",
         "ocr_confidence": "91.0" if june_kind == "scanned_pdf" else ""},
    ])  # fmt: skip
    items = _items({"may": TEXT_07, "june": june})
    assert find_duplicates(docs, items).tolist() == ["", "may" if copy else ""]


def test_duplicates_failed_files_and_empty_tables() -> None:
    docs = _docs([
        {"doc_id": "a", "input_kind": "text_pdf", "doc_number": "215/TB-TTr", "issue_date": "2019-08-05"},
        {"doc_id": "b", "input_kind": "scanned_pdf", "doc_number": "215/TB-TTr", "issue_date": "2019-08-05",
         "status": "error"},
    ])  # fmt: skip
    assert find_duplicates(docs).tolist() == ["", ""]
    assert find_duplicates(pd.DataFrame(columns=["doc_id"])).tolist() == []


def test_duplicates_index_is_kept() -> None:
    docs = _docs([
        {"doc_id": "a", "input_kind": "scanned_pdf", "doc_number": "05/TB-TTr", "issue_date": "2020-01-06"},
        {"doc_id": "b", "input_kind": "text_pdf", "doc_number": "05/TB-TTr", "issue_date": "2020-01-06"},
    ]).set_index(pd.Index([10, 20]))  # fmt: skip
    out = find_duplicates(docs)
    assert list(out.index) == [10, 20] and out.loc[10] == "b"
