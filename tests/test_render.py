"""Tests of tools/render.py: corpus text parsed into the Nghị định 30 parts, rendered to PDF/DOCX."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from tools.paths import find_shared  # noqa: E402
from tools.render import (  # noqa: E402
    SAMPLES,
    SourceDoc,
    parse_source,
    render_corpus,
    render_pdf,
)

CORPUS = (find_shared() or Path(__file__).resolve().parents[2] / "shared") / "corpus" / "dev"
TEXT_DIR, GOLD_DIR = CORPUS / "text", CORPUS / "gold"
STEMS = sorted(p.stem for p in TEXT_DIR.glob("*.txt"))
needs_corpus = pytest.mark.skipif(not STEMS, reason="shared/corpus/dev not found next to the repository")
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def _flat(s: str) -> str:
    """Whitespace collapsed, page-number lines and dashes between words dropped.

    pdftotext removes a "-" that ends a line as if it were a hyphen ("Đặng Quốc Bảo -" /
    "Hiệu trưởng" reads "Bảo Hiệu"), so " - " is compared as a space on both sides.
    """
    lines = [ln for ln in s.splitlines() if not re.fullmatch(r"\s*\d{1,3}\s*", ln)]
    flat = re.sub(r"(^|\s)[-–](?=\s)", r"\1", " ".join(lines))
    return re.sub(r"\s+", " ", flat).strip()


def _parse(stem: str) -> SourceDoc:
    return parse_source((TEXT_DIR / f"{stem}.txt").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    """The whole dev corpus rendered once as PDF, DOCX and TXT."""
    return render_corpus(TEXT_DIR, tmp_path_factory.mktemp("rendered"))


@needs_corpus
@pytest.mark.parametrize("stem", STEMS)
def test_render_parses_every_corpus_file(stem: str) -> None:
    doc = _parse(stem)
    assert doc.doc_number_line or doc.place_date_line
    assert doc.title_lines and doc.title_lines[0].isupper()
    assert len(doc.title_lines) >= 2
    assert len([p for p, heading in doc.body_paragraphs if not heading]) >= 3
    assert doc.recipients and all(r.strip() for r in doc.recipients)
    assert doc.signer_titles
    for text, _ in doc.body_paragraphs:
        assert text == _nfc(text) and "\n" not in text and "**" not in text


@needs_corpus
@pytest.mark.parametrize("stem", STEMS)
def test_render_parse_keeps_every_gold_item_inside_one_paragraph(stem: str) -> None:
    gold = json.loads((GOLD_DIR / f"{stem}.json").read_text(encoding="utf-8"))
    doc = _parse(stem)
    paragraphs = [p for p, _ in doc.body_paragraphs]
    for item in gold["items"]:
        assert any(item["text"] in p for p in paragraphs), item["text"]
    # headings are never items (ANNOTATION.md), so no heading contains a gold item
    headings = [p for p, h in doc.body_paragraphs if h]
    assert not any(item["text"] == h for item in gold["items"] for h in headings)


# fmt: off
@needs_corpus
@pytest.mark.parametrize(("stem", "left", "right", "signer"), [
    ("000_907a2ed1a172817c", ["Số: /TB-TTr"], ["Tây Ninh, ngày 18 tháng 5 năm 2020"], ["CHÁNH THANH TRA"]),
    ("d03_ubnd_xa_giao_ban_tuan", ["UBND HUYỆN CẦU NGANG", "UBND XÃ MỸ LONG BẮC", "Số: 37/TB-UBND"],
     ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Mỹ Long Bắc, ngày 17 tháng 6 năm 2024"],
     ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Huỳnh Văn Lực"]),
    ("d06_dang_uy_khoi_so_ket_9_thang",
     ["ĐẢNG BỘ TỈNH BẮC GIANG", "ĐẢNG ỦY KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH", "Số 318-TB/ĐUK"],
     ["ĐẢNG CỘNG SẢN VIỆT NAM", "Bắc Giang, ngày 14 tháng 10 năm 2024"],
     ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Ngô Thị Thu Hà"]),
    ("d07_benh_vien_giao_ban_thang_nfd", ["SỞ Y TẾ THANH HOÁ", "BỆNH VIỆN ĐA KHOA HUYỆN HOẰNG HOÁ", "Số: 245/TB-BV"],
     ["CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Hoằng Hoá, ngày 06 tháng 11 năm 2024"],
     ["GIÁM ĐỐC", "Lê Thị Thuý"]),
    ("d09_cong_ty_thuy_loi_giao_ban_quy_wrapped",
     ["UBND TỈNH NINH THUẬN", "CÔNG TY TNHH MTV KHAI THÁC", "CÔNG TRÌNH THỦY LỢI NINH THUẬN", "Số: 412/TB-CT"],
     ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Ninh Thuận, ngày 12 tháng 7 năm 2024"],
     ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Phan Văn Hiếu"]),
])
# fmt: on
def test_render_parse_splits_header_and_signer(stem: str, left: list[str], right: list[str], signer: list[str]) -> None:
    doc = _parse(stem)
    assert (doc.header_left, doc.header_right, doc.signer_lines) == (left, right, signer)


@needs_corpus
def test_render_parse_seed_keeps_typist_initials_with_recipients() -> None:
    doc = _parse("000_907a2ed1a172817c")
    assert doc.recipients[-2:] == ["- Lưu: VT, HS.", "(M.An)"]
    assert doc.signer_name == ""
    assert doc.title_lines[0] == "KẾT LUẬN"
    assert ("I. Thực hiện nhiệm vụ tháng 5/2020", True) in doc.body_paragraphs  # Markdown bold heading
    # ANNOTATION.md rule 5: the paragraph broken by a blank line is one paragraph
    assert any("nghiêm túc, phải thay đổi biện pháp cách làm" in p for p, _ in doc.body_paragraphs)


# fmt: off
@pytest.mark.parametrize(("text", "title", "paragraphs", "signer"), [
    # no blank lines at all, hard wraps, a page-number line, NFD input, "Số: 11 /TB-UBND"
    (unicodedata.normalize("NFD",
        "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố: 11 /TB-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\nQuảng Ngãi, ngày 08 tháng 01 năm 2025\n\nTHÔNG BÁO\n"
        "Kết luận của Phó Chủ tịch UBND tỉnh tại cuộc họp nghe báo cáo\n\n"
        "Ngày 03/01/2025, Phó Chủ tịch UBND tỉnh Võ Phiên chủ trì họp nghe\n"
        "báo cáo về tình hình thực hiện công tác cổ phần hóa Công ty.\n"
        "1. Công ty tiếp thu các ý kiến tại cuộc họp, khẩn trương rà soát, báo cáo\n"
        "\n   2\n\n"
        "toàn bộ quá trình cổ phần hóa trước ngày 08/02/2025.\n"
        "Nơi nhận:\n- CT, PCT UBND tỉnh;\n- Lưu: VT, KTTHs.\n\nTL. CHỦ TỊCH\nKT. CHÁNH VĂN PHÒNG\n"
        "PHÓ CHÁNH VĂN PHÒNG\n\nNguyễn Phước Bình\n"),
     ["THÔNG BÁO", "Kết luận của Phó Chủ tịch UBND tỉnh tại cuộc họp nghe báo cáo"],
     [("Ngày 03/01/2025, Phó Chủ tịch UBND tỉnh Võ Phiên chủ trì họp nghe báo cáo về tình hình thực hiện "
       "công tác cổ phần hóa Công ty.", False),
      ("1. Công ty tiếp thu các ý kiến tại cuộc họp, khẩn trương rà soát, báo cáo toàn bộ quá trình cổ phần "
       "hóa trước ngày 08/02/2025.", False)],
     ["TL. CHỦ TỊCH", "KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG", "Nguyễn Phước Bình"]),
    # Markdown emphasis, a short numbered heading followed directly by its text, no "Nơi nhận"
    ("**UBND HUYỆN TIÊN DU**\n\nSố: 07/KL-UBND\n\n*Tiên Du, ngày 5 tháng 3 năm 2024*\n\n**KẾT LUẬN**  \n"
     "**của Chủ tịch UBND huyện tại cuộc họp giao ban tháng 2/2024**\n\n"
     "1. Kết quả đạt được\nThu ngân sách đạt 12,4 tỷ đồng.\n2. Tồn tại, hạn chế\n"
     "- Giải ngân vốn đầu tư công còn chậm;\n\nCHỦ TỊCH\n\nNguyễn Văn An",
     ["KẾT LUẬN", "của Chủ tịch UBND huyện tại cuộc họp giao ban tháng 2/2024"],
     [("1. Kết quả đạt được", True), ("Thu ngân sách đạt 12,4 tỷ đồng.", False),
      ("2. Tồn tại, hạn chế", True), ("- Giải ngân vốn đầu tư công còn chậm;", False)],
     ["CHỦ TỊCH", "Nguyễn Văn An"]),
    # a part heading in mixed case ("Phần I." then capitals) followed directly by its first paragraph
    ("UBND TỈNH LONG AN\nSỞ CÔNG THƯƠNG\nSố: 3855/TB-SCT\nLong An, ngày 06 tháng 12 năm 2022\n\nTHÔNG BÁO\n"
     "Kết luận của Giám đốc Sở tại cuộc họp giao ban tháng 11/2022\n\n"
     "Phần I. KẾT QUẢ ĐẠT ĐƯỢC\nToàn bộ 04 công trình lưới điện hạ thế đã được đóng điện.\n"
     "Phần thứ hai. TỒN TẠI, HẠN CHẾ\nTỷ lệ doanh nghiệp gửi báo cáo định kỳ còn thấp.\n\n"
     "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\nTrần Văn Hải",
     ["THÔNG BÁO", "Kết luận của Giám đốc Sở tại cuộc họp giao ban tháng 11/2022"],
     [("Phần I. KẾT QUẢ ĐẠT ĐƯỢC", True), ("Toàn bộ 04 công trình lưới điện hạ thế đã được đóng điện.", False),
      ("Phần thứ hai. TỒN TẠI, HẠN CHẾ", True), ("Tỷ lệ doanh nghiệp gửi báo cáo định kỳ còn thấp.", False)],
     ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Trần Văn Hải"]),
])
# fmt: on
def test_render_parse_handles_variants(
    text: str, title: list[str], paragraphs: list[tuple[str, bool]], signer: list[str]
) -> None:
    doc = parse_source(text)
    assert doc.title_lines == title
    assert doc.body_paragraphs == paragraphs
    assert doc.signer_lines == signer
    assert doc.doc_number_line.startswith("Số") and doc.place_date_line


@needs_corpus
@needs_poppler
@pytest.mark.parametrize("stem", STEMS)
def test_render_pdf_text_layer_reads_title_and_body(stem: str, rendered: dict[str, list[Path]]) -> None:
    pdf = next(p for p in rendered["pdf"] if p.stem == stem)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          encoding="utf-8", check=True).stdout  # fmt: skip
    assert text == _nfc(text)
    flat = _flat(text)
    doc = _parse(stem)
    assert doc.title_lines[0] in flat
    assert _flat(" ".join(doc.title_lines[1:])) in flat
    for paragraph, _ in doc.body_paragraphs:
        assert _flat(paragraph) in flat
    assert doc.signer_titles[0] in flat


@needs_corpus
@needs_poppler
def test_render_pdf_numbers_pages_from_the_second(tmp_path: Path) -> None:
    pdf = render_pdf(_parse("d01_vp_ubnd_tinh_giao_ban_thang"), tmp_path / "d01.pdf", seed=1)
    pages = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                           encoding="utf-8", check=True).stdout.split("\f")  # fmt: skip
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 2
    assert not pages[0].strip().startswith("1")
    assert pages[1].strip().splitlines()[0] == "2"


@needs_corpus
@pytest.mark.parametrize("stem", STEMS)
def test_render_docx_keeps_structure(stem: str, rendered: dict[str, list[Path]]) -> None:
    import docx

    path = next(p for p in rendered["docx"] if p.stem == stem)
    d = docx.Document(str(path))
    doc = _parse(stem)
    header, end = d.tables
    assert header.cell(1, 0).text == doc.doc_number_line
    assert header.cell(1, 1).text == doc.place_date_line
    assert doc.signer_titles[0] in end.cell(0, 1).text
    texts = [p.text for p in d.paragraphs]
    assert doc.title_lines[0] in texts
    body = [p for p in d.paragraphs if p.text in {t for t, _ in doc.body_paragraphs}]
    assert len(body) == len({t for t, _ in doc.body_paragraphs})
    assert all(p.runs[0].font.name in (None, "Times New Roman") for p in body)
    assert d.styles["Normal"].font.name == "Times New Roman"


@needs_corpus
def test_render_corpus_writes_every_kind(rendered: dict[str, list[Path]]) -> None:
    assert sorted(rendered) == ["docx", "pdf", "txt"]
    for kind, paths in rendered.items():
        assert [p.stem for p in paths] == STEMS
        assert all(p.suffix == f".{kind}" and p.parent.name == kind and p.stat().st_size > 0 for p in paths)


def test_render_samples_are_bundled() -> None:
    samples = Path(__file__).resolve().parents[1] / "data" / "samples"
    names = sorted(SAMPLES.values())
    assert sorted(p.name for p in samples.iterdir()) == names  # documents only: make demo reads them all
    assert sum(p.stat().st_size for p in samples.iterdir()) < 1_000_000
