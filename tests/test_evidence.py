"""Tests of evidence from outside the page (metadata/evidence.py, extract/esign.py): a number
read from the file's own name, an issue date from the e-signature's signing time, always flagged."""

from __future__ import annotations

import datetime as dt

import pytest

from ketluan.chain import process_source
from ketluan.extract.esign import parse_pdf_date, pdf_signing_times, printed_signing_dates
from ketluan.metadata.evidence import (
    Evidence,
    date_from_file_name,
    fill_from_outside,
    number_from_file_name,
)
from ketluan.records import Fields, Layout, Line, Source
from ketluan.text.dates import read_slot_parts


def _signed_pdf(*times: str) -> bytes:
    """A one-page PDF whose AcroForm holds one signature field per time, each /M that time."""
    fields = " ".join(f"{4 + 2 * k} 0 R" for k in range(len(times)))
    objects = [
        f"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [{fields}] /SigFlags 3 >> >>".encode(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [{fields}] >>".encode(),
    ]
    for k, when in enumerate(times):
        objects.append(
            f"<< /Type /Annot /Subtype /Widget /FT /Sig /Rect [0 0 0 0] /T (Sig{k}) /P 3 0 R "
            f"/V {5 + 2 * k} 0 R >>".encode()
        )
        objects.append(
            f"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /M ({when}) "
            "/Contents <00> /ByteRange [0 0 0 0] >>".encode()
        )
    out = b"%PDF-1.7\n"
    offsets = []
    for k, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % k + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


@pytest.mark.parametrize(
    ("name", "code", "doc_type", "number"),
    [
        ("tb267_2019.pdf", "/TB-UBND", "Thông báo", "267"),
        ("TB-267-UBND.pdf", "/TB-UBND", "Thông báo", "267"),
        ("267_TB-UBND.pdf", "/TB-UBND", "Thông báo", "267"),
        ("qd68.pdf", "/QĐ-UBND", "Quyết định", "68"),
        ("77-TB-UBND_vũ văn ngoạn.pdf", "/TB-UBND", "Thông báo", "77"),
        ("77BC kq tcd T4.pdf", "/BC-STC", "Báo cáo", "77"),
        ("964-UBND-VP-công trình hồ chứa Nam Xuân.pdf", "/UBND-VP", "", "964"),
        ("1776153109_2191_CT-CS.pdf", "/CT-CS", "", "2191"),
        ("cv2191_2026.pdf", "/CT-CS", "", "2191"),
        ("daknong_krongno_bql_tb12_2019_thongbao_daugia.pdf", "/TB-BQL", "Thông báo", "12"),
        # never a year, never a number glued to other letters, never a stray number
        ("ket-luan-giao-ban-thang-5-2020.pdf", "/TB-TTr", "Thông báo", ""),
        ("tb_2019.pdf", "/TB-UBND", "Thông báo", ""),
        ("ttr_2025-10_totrinh.pdf", "/TTr-CAT-PC06", "Tờ trình", ""),
        ("bao-cao-de-an06_bc_2025-08.pdf", "/BC-BCĐ", "Báo cáo", ""),
        ("SCAN0097.pdf", "/QĐ-UBND", "Quyết định", ""),
        ("tuần 24.pdf", "/LCT-UBND", "Lịch công tác", ""),
        ("17026.pdf", "/TTr-CAT-PC06", "Tờ trình", ""),
        ("tb12_bc13.pdf", "/TB-BC", "Thông báo", ""),  # two numbers: neither
        ("cv2191.pdf", "/TB-UBND", "Thông báo", ""),  # "CV" marks a letter, not a notice
    ],
)
def test_evidence_number_from_file_name(name: str, code: str, doc_type: str, number: str) -> None:
    assert number_from_file_name(name, code, doc_type) == number


@pytest.mark.parametrize(
    ("name", "date"),
    [
        ("tb267_2019-05-09.pdf", dt.date(2019, 5, 9)),
        ("Thong bao ket luan Hoi nghi ngay 22.1.2026.pdf", dt.date(2026, 1, 22)),
        ("43-TB-VP_20190610.pdf", dt.date(2019, 6, 10)),
        ("bc85_2019-04_baocao.pdf", None),
        ("43-TB-VP_20190610104124235230.pdf", None),  # a time stamp, not a date
        ("ket-luan-giao-ban-thang-5-2020.pdf", None),
    ],
)
def test_evidence_date_from_file_name(name: str, date: dt.date | None) -> None:
    assert date_from_file_name(name) == date


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("D:20190509160050+07'00'", dt.datetime(2019, 5, 9, 16, 0, 50)),
        ("D:20260408173556Z", dt.datetime(2026, 4, 8, 17, 35, 56)),
        ("20250108", dt.datetime(2025, 1, 8)),
        ("D:20251340120000", None),
        ("Thời gian ký", None),
    ],
)
def test_evidence_parse_pdf_date(text: str, when: dt.datetime | None) -> None:
    assert parse_pdf_date(text) == when


def test_evidence_pdf_signing_times_reads_every_signature_earliest_first() -> None:
    data = _signed_pdf("D:20250109100916+07'00'", "D:20250108173049+07'00'")
    assert pdf_signing_times(data) == [
        dt.datetime(2025, 1, 8, 17, 30, 49),
        dt.datetime(2025, 1, 9, 10, 9, 16),
    ]
    assert pdf_signing_times(b"%PDF-1.7 broken") == []
    assert pdf_signing_times("Thông báo kết luận".encode()) == []


@pytest.mark.parametrize(
    ("lines", "dates"),
    [
        (["Ký bởi: Cục Thuế", "Cơ quan: Bộ Tài chính", "Thời gian ký: 08.04.2026 10:15:30 +07:00"],
         [dt.date(2026, 4, 8)]),
        (["Thoi gian ky: 09/01/2025 10:21"], [dt.date(2025, 1, 9)]),
        (["Ngày ký: 24-01-2025"], [dt.date(2025, 1, 24)]),
        (["Thời gian ký: 31.02.2025 10:15"], []),
        (["Quảng Ngãi, ngày 08 tháng 01 năm 2025"], []),
    ],
)  # fmt: skip
def test_evidence_printed_signing_dates(lines: list[str], dates: list[dt.date]) -> None:
    assert printed_signing_dates(lines) == dates


@pytest.mark.parametrize(
    ("line", "parts"),
    [
        ("Krông Nô, ngày    tháng 5 năm 2019", (None, 5, 2019)),
        ("Đăk R’lấp, ngày 09 tháng 5 năm 2019", (9, 5, 2019)),
        ("Hà Nội, ngày „¡is tháng S` năm 2026", (None, None, 2026)),
        ("Lâm Đồng, ngày ... tháng 10 năm 2025", (None, 10, 2025)),
        ("Kính gửi: Thuế tỉnh Ninh Bình.", None),
    ],
)
def test_evidence_read_slot_parts(line: str, parts: tuple[int | None, ...] | None) -> None:
    assert read_slot_parts(line) == parts


def _scan_layout(number_line: str, date_line: str) -> Layout:
    lines = [Line("ỦY BAN NHÂN DÂN", origin="ocr"), Line("HUYỆN KRÔNG NÔ", origin="ocr"),
             Line(number_line, origin="ocr"), Line(date_line, origin="ocr"), Line("THÔNG BÁO", origin="ocr")]  # fmt: skip
    return Layout(header=lines[:4], lines=lines)


@pytest.mark.parametrize(
    ("fields", "date_line", "evidence", "number", "date", "review"),
    [
        # a scan with the number and the day written by hand, both lost: file name and e-signature
        (Fields(doc_number="/TB-UBND", doc_type="Thông báo", place="Krông Nô"),
         "Krông Nô, ngày    tháng 5 năm 2019",
         Evidence("77-TB-UBND_vu van ngoan.pdf", (dt.date(2019, 5, 16),), "scanned_pdf"),
         "77/TB-UBND", "2019-05-16", "doc_number: from the file name; issue_date: from the e-signature time"),
        # the signature is of another month than the printed one: no date
        (Fields(doc_number="/TB-UBND", doc_type="Thông báo", place="Krông Nô"),
         "Krông Nô, ngày    tháng 5 năm 2019",
         Evidence("scan.pdf", (dt.date(2019, 6, 3),), "scanned_pdf"), "/TB-UBND", "", ""),
        # the first signature disagrees (a later one agrees): it is not the issuing one, no date
        (Fields(doc_number="/TB-UBND", place="Krông Nô"), "Krông Nô, ngày    tháng 5 năm 2019",
         Evidence("scan.pdf", (dt.date(2019, 4, 30), dt.date(2019, 5, 2)), "scanned_pdf"), "/TB-UBND", "", ""),
        # month unreadable, year printed: the signature fills the day and month
        (Fields(doc_number="/CT-CS", place="Hà Nội"), "Hà Nội, ngày „¡is tháng S` năm 2026",
         Evidence("1776153109_2191_CT-CS.pdf", (dt.date(2026, 4, 8),), "scanned_pdf"),
         "2191/CT-CS", "2026-04-08", "doc_number: from the file name; issue_date: from the e-signature time"),
        # a signature before the meeting it concludes: no date
        (Fields(doc_number="12/TB-UBND", place="Krông Nô", meeting_date="2019-05-20"),
         "Krông Nô, ngày    tháng 5 năm 2019",
         Evidence("scan.pdf", (dt.date(2019, 5, 9),), "scanned_pdf"), "12/TB-UBND", "", ""),
        # no signature: a full date in the file name that agrees with the printed month and year
        (Fields(doc_number="/TB-VP", place="Krông Nô"), "Krông Nô, ngày    tháng 6 năm 2019",
         Evidence("43-TB-VP_20190610.pdf", (), "scanned_pdf"),
         "43/TB-VP", "2019-06-10", "doc_number: from the file name; issue_date: from the file name"),
        # the file name's date in another month: not used
        (Fields(doc_number="43/TB-VP", place="Krông Nô"), "Krông Nô, ngày    tháng 6 năm 2019",
         Evidence("43-TB-VP_2019-05-29.pdf", (), "scanned_pdf"), "43/TB-VP", "", ""),
        # the page gave the number and the date: nothing from outside
        (Fields(doc_number="85/BC-STC", issue_date="2019-05-04", place="Đắk Nông"),
         "Đắk Nông, ngày 04 tháng 5 năm 2019",
         Evidence("bc113_2019-05.pdf", (dt.date(2019, 5, 9),), "scanned_pdf"), "85/BC-STC", "2019-05-04", ""),
        # a Word draft: its blank number and day are not yet given, whatever its name says
        (Fields(doc_number="/TB-UBND", place="Lâm Đồng"), "Lâm Đồng, ngày    tháng 4 năm 2026",
         Evidence("tb12_draft_2026-04-16.docx", (), "docx"), "/TB-UBND", "", ""),
    ],
)  # fmt: skip
def test_evidence_fill_from_outside(
    fields: Fields, date_line: str, evidence: Evidence, number: str, date: str, review: str
) -> None:
    layout = _scan_layout(f"Số: {fields.doc_number}", date_line)
    fill_from_outside(fields, layout, evidence)
    assert (fields.doc_number, fields.issue_date, fields.review) == (number, date, review)


def test_evidence_process_source_flags_what_came_from_outside() -> None:
    text = (
        "ỦY BAN NHÂN DÂN\nHUYỆN KRÔNG NÔ\nSố:    /TB-UBND\nKrông Nô, ngày    tháng 5 năm 2019\n\n"
        "THÔNG BÁO\nV/v kết quả tiếp công dân ngày 15/5/2019\n\nNgày 15/5/2019, Chủ tịch UBND huyện chủ trì.\n"
    )
    doc = process_source(Source(path="luu-tru/77-TB-UBND.txt", input_kind="txt", data=text.encode()))
    assert doc.fields.doc_number == "/TB-UBND"  # plain text is editable: a draft, never filled
