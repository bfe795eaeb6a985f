"""Bad-input corpus for the batch tests, and a large generated archive for `make bench`.

`build_corpus(folder)` writes every broken, hostile or odd input of issue 6 (empty, truncated,
encrypted, renamed, zip bombs, legacy encodings, injection text, symlink loops...) and returns
the cases with the row each input must give. `make_archive(folder, n)` writes n documents
(text PDFs, DOCX, TXT, some broken files, duplicates under other names) for measuring a run.
Nothing is committed: the files are built with reportlab, python-docx, LibreOffice and zlib.

    python -m tools.make_bad_inputs corpus OUT_DIR
    python -m tools.make_bad_inputs archive OUT_DIR [N]
    python -m tools.make_bad_inputs bench OUT_DIR [N] [WORKERS]   (generate, run, print peak RSS and time)
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import unicodedata
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
LEGACY = REPO / "data" / "legacy"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")

# A fictional monthly conclusion of a district People's Committee, in the layout of
# Nghị định 30/2020/NĐ-CP. {title_extra}, {item_extra} and {first_recipient} let a case inject text.
CONCLUSION = """UBND TỈNH THÁI NGUYÊN
ỦY BAN NHÂN DÂN HUYỆN ĐẠI TỪ
Số: 45/TB-UBND

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Đại Từ, ngày 12 tháng 6 năm 2024

THÔNG BÁO
Kết luận của Chủ tịch UBND huyện tại cuộc họp giao ban tháng 5 năm 2024{title_extra}

Ngày 10/6/2024, tại trụ sở UBND huyện, đồng chí Nguyễn Văn An - Chủ tịch UBND huyện chủ trì cuộc họp giao ban đánh giá kết quả thực hiện nhiệm vụ tháng 5 năm 2024. Sau khi nghe báo cáo và ý kiến các đại biểu, Chủ tịch UBND huyện kết luận như sau:

I. KẾT QUẢ ĐẠT ĐƯỢC
- Thu ngân sách trên địa bàn đạt 45,2 tỷ đồng, bằng 52% dự toán năm.
- Hoàn thành giải phóng mặt bằng dự án đường liên xã Hùng Sơn - Tiên Hội.

II. TỒN TẠI, HẠN CHẾ
- Tiến độ giải ngân vốn đầu tư công còn chậm, mới đạt 31% kế hoạch.
- Việc giải quyết hồ sơ đất đai còn để quá hạn.{limitation_extra}

III. NHIỆM VỤ THÁNG 6 NĂM 2024
- Phòng Tài chính - Kế hoạch đôn đốc các chủ đầu tư đẩy nhanh tiến độ giải ngân, báo cáo trước ngày 25/6/2024.
- Văn phòng Đăng ký đất đai giải quyết dứt điểm hồ sơ quá hạn trong tháng 6 năm 2024.{item_extra}

Nơi nhận:
{first_recipient}- Thường trực Huyện ủy;
- Các phòng, ban chuyên môn;
- Lưu: VT.

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Trần Thị Bình
"""

INVITATION = """ỦY BAN NHÂN DÂN HUYỆN ĐẠI TỪ
VĂN PHÒNG
Số: 112/GM-VP

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Đại Từ, ngày 05 tháng 6 năm 2024

GIẤY MỜI
Họp giao ban tháng 5 năm 2024

Văn phòng HĐND và UBND huyện trân trọng kính mời đại diện lãnh đạo các phòng, ban chuyên môn dự cuộc họp giao ban tháng 5 năm 2024.
Thời gian: 08 giờ 00 phút, ngày 10/6/2024.
Địa điểm: Hội trường UBND huyện.
Đề nghị các đơn vị chuẩn bị báo cáo kết quả thực hiện nhiệm vụ tháng 5 năm 2024.

Nơi nhận:
- Như trên;
- Lưu: VT.

CHÁNH VĂN PHÒNG

Lê Văn Cường
"""

PLAN = """ỦY BAN NHÂN DÂN HUYỆN ĐẠI TỪ
Số: 88/KH-UBND

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Đại Từ, ngày 02 tháng 3 năm 2024

KẾ HOẠCH
Cải cách hành chính năm 2024

I. MỤC ĐÍCH, YÊU CẦU
1. Nâng cao chất lượng giải quyết thủ tục hành chính cho người dân và doanh nghiệp.
2. Phấn đấu 100% hồ sơ được giải quyết đúng hạn.

II. NỘI DUNG THỰC HIỆN
1. Rà soát, đơn giản hóa thủ tục hành chính thuộc thẩm quyền giải quyết của huyện.
2. Đẩy mạnh cung cấp dịch vụ công trực tuyến toàn trình.

Nơi nhận:
- UBND tỉnh;
- Lưu: VT.

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH

Nguyễn Văn An
"""

ENGLISH = """PEOPLE'S COMMITTEE OF DAI TU DISTRICT
No. 45/TB-UBND

Dai Tu, 12 June 2024

NOTICE
Conclusions of the Chairman at the monthly briefing meeting of May 2024

On 10 June 2024 the Chairman chaired the monthly briefing meeting and concluded as follows:

I. RESULTS
- Budget revenue reached 45.2 billion dong, 52% of the annual estimate.

II. SHORTCOMINGS
- Disbursement of public investment capital is still slow.

III. TASKS FOR JUNE
- The Finance Office shall speed up disbursement and report before 25 June 2024.

Recipients:
- Standing Committee;
- Archive.

Tran Thi Binh
"""


def conclusion(title_extra: str = "", item_extra: str = "", first_recipient: str = "",
               limitation_extra: str = "") -> str:  # fmt: skip
    """The fictional conclusion, with optional injected text."""
    return CONCLUSION.format(title_extra=title_extra, item_extra=item_extra,
                             first_recipient=first_recipient, limitation_extra=limitation_extra)  # fmt: skip


def no_header() -> str:
    """The conclusion without its header block: it starts at the body."""
    text = conclusion()
    return text[text.index("Ngày 10/6/2024") :]


# ------------------------------------------------------------------ legacy encodings


def encode_legacy(text: str, encoding: str, capitals: str = "own") -> bytes:
    """Bytes of `text` in TCVN3 (ABC) or VNI-Windows, with the tables of data/legacy/*.json.

    `capitals="lower"` types accented capitals with the lowercase codes, as TCVN3 files set
    in the capital fonts (.VnTimeH) do; "own" uses the table's capital codes.

    Examples:
        >>> encode_legacy("Thông báo", "tcvn3")
        b'Th\\xabng b\\xb8o'
    """
    table = json.loads((LEGACY / f"{encoding}.json").read_text(encoding="utf-8"))["letters"]
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        if capitals == "lower" and ord(ch) >= 128 and ch.isupper():
            ch = ch.lower()
        if ch in table:
            out += bytes.fromhex(table[ch].replace(" ", ""))
        elif ord(ch) < 128:
            out += ch.encode("ascii")
        else:
            raise ValueError(f"{ch!r} has no {encoding} code")
    return bytes(out)


# ------------------------------------------------------------------ PDF, DOCX, images


def _font() -> str:
    """Register DejaVu Serif with reportlab (Vietnamese glyphs) and return its name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "DejaVuSerif" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSerif", str(FONT)))
    return "DejaVuSerif"


def canvas_pdf(text: str, out: Path, encrypt: Any = None) -> Path:
    """A plain text PDF (one line per text line, wrapped to the page) with optional encryption."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas

    font = _font()
    c = canvas.Canvas(str(out), pagesize=A4, encrypt=encrypt, invariant=1)
    width, height = A4
    y = height - 60
    for raw in text.splitlines():
        for line in simpleSplit(raw, font, 11, width - 120) or [""]:
            if y < 60:
                c.showPage()
                y = height - 60
            c.setFont(font, 11)
            c.drawString(60, y, line)
            y -= 16
    c.save()
    return out


def good_pdf(text: str, out: Path) -> Path:
    """A real-looking conclusion PDF (tools/render.py layout), or a plain one if that fails."""
    try:
        from tools.render import render_pdf

        return render_pdf(text, out)
    except Exception:
        return canvas_pdf(text, out)


def good_docx(text: str, out: Path) -> Path:
    """A conclusion DOCX (tools/render.py layout), or one paragraph per line."""
    try:
        from tools.render import render_docx

        return render_docx(text, out)
    except Exception:
        import docx

        d = docx.Document()
        for line in text.splitlines():
            d.add_paragraph(line)
        d.save(str(out))
        return out


def many_pages_pdf(out: Path, pages: int = 1000) -> Path:
    """A PDF of `pages` tiny pages, each with two different lines of Vietnamese text."""
    from reportlab.pdfgen import canvas

    font = _font()
    # Lines long enough that every page has a usable text layer (no page goes to OCR).
    lines = [ln for ln in (conclusion() + PLAN + INVITATION).splitlines() if len(ln) > 45]
    c = canvas.Canvas(str(out), pagesize=(300, 60), invariant=1)
    for i in range(pages):
        c.setFont(font, 5)
        c.drawString(5, 40, f"{lines[(2 * i) % len(lines)][:100]} ({i // len(lines)})")
        c.drawString(5, 30, lines[(2 * i + 1) % len(lines)][:100])
        c.showPage()
    c.save()
    return out


ZERO_PAGE_PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n"
    b"trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n109\n%%EOF\n"
)


def broken_xref(data: bytes) -> bytes:
    """The PDF with every xref offset and the startxref pointer wrong (readers must rebuild)."""
    start = data.rindex(b"xref")
    tail = re.sub(rb"\d{10} (\d{5}) n", rb"0000099999 \1 n", data[start:])
    tail = re.sub(rb"startxref\s+\d+", b"startxref\n12345", tail)
    return data[:start] + tail


def png(width: int, height: int) -> bytes:
    """A valid 1-bit black PNG of any size, built row by row (a 20000×20000 one is 50 KB)."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    comp = zlib.compressobj(9)
    data = b"".join(comp.compress(row) for _ in range(height)) + comp.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def blank_png(out: Path) -> Path:
    """A small white page with nothing on it."""
    from PIL import Image

    Image.new("L", (400, 300), 255).save(out)
    return out


def soffice_doc(docx_path: Path, out_dir: Path) -> Path | None:
    """A Word 97-2003 .doc converted from a DOCX by LibreOffice, or None when soffice is missing."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        return None
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "doc",
             "--outdir", str(out_dir), str(docx_path)],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
    out = out_dir / (docx_path.stem + ".doc")
    return out if out.exists() else None


def encrypted_docx(docx_path: Path, out: Path) -> Path:
    """A password-protected .docx: an OLE compound file with an EncryptedPackage stream.

    Uses msoffcrypto-tool (Agile encryption, as Word writes it) when installed; otherwise a
    compound-file header followed by the stream names Word writes, which is what the reader
    recognises.
    """
    try:
        from msoffcrypto.format.ooxml import OOXMLFile

        with open(docx_path, "rb") as src, open(out, "wb") as dst:
            OOXMLFile(src).encrypt("matkhau", dst)
        return out
    except ImportError:
        header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
        names = "EncryptionInfo".encode("utf-16-le") + b"\x00" * 34 + "EncryptedPackage".encode("utf-16-le")
        out.write_bytes(header + names + os.urandom(4096))
        return out


def xlsx_bytes() -> bytes:
    """An Excel workbook (a zip package that is not a Word document)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["Kết quả", 1])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ------------------------------------------------------------------ zips


def zip_bytes(members: list[tuple[str, bytes]], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip of (name, bytes) members."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in members:
            z.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), data, compression)
    return buf.getvalue()


def zip_with_raw_name(raw: bytes, data: bytes) -> bytes:
    """A zip whose one member name is `raw` bytes, without the UTF-8 flag (legacy tools)."""
    placeholder = "N" * (len(raw) - 4) + ".txt"
    blob = zip_bytes([(placeholder, data)])
    return blob.replace(placeholder.encode("ascii"), raw)


def zip_with_flag(members: list[tuple[str, bytes]], flag: int) -> bytes:
    """A zip whose members all have general-purpose `flag` bits set (0x1: encrypted)."""
    blob = bytearray(zip_bytes(members, zipfile.ZIP_STORED))
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        i = blob.find(sig)
        while i >= 0:
            bits = struct.unpack_from("<H", blob, i + offset)[0]
            struct.pack_into("<H", blob, i + offset, bits | flag)
            i = blob.find(sig, i + 4)
    return bytes(blob)


def zip_lying_size(name: str, data: bytes, declared: int) -> bytes:
    """A zip member that declares `declared` bytes uncompressed but holds `data`."""
    blob = bytearray(zip_bytes([(name, data)]))
    for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        i = blob.find(sig)
        struct.pack_into("<I", blob, i + offset, declared)
    return bytes(blob)


# ------------------------------------------------------------------ the corpus


@dataclass
class Expect:
    """The documents row an input must give."""

    status: str
    code: str = ""  # the error code `error` starts with ("" for ok)
    contains: str = ""  # a piece of the message
    fields: dict[str, Any] = field(default_factory=dict)  # document columns to check
    no_items: tuple[str, ...] = ()  # item categories that must not appear


@dataclass
class Case:
    """One bad or odd input: the paths given to `run` and the rows they must give, by source_path."""

    name: str
    inputs: list[Path]
    rows: dict[str, Expect]


FIELDS = {"doc_number": "45/TB-UBND", "issuer": "ỦY BAN NHÂN DÂN HUYỆN ĐẠI TỪ", "is_conclusion": True}
NOT_CONCLUSION = ("result", "limitation", "cause", "task")
HYPERLINK = '=HYPERLINK("#Sheet1!A1";"Bấm vào đây")'
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"  # a file name can hold this (no "/")
# Cases whose expected row fails today because of a bug in a stage this corpus does not own;
# the test marks them xfail(strict=True), so fixing the bug turns them into failures to update.
KNOWN_BUGS: dict[str, str] = {}


def build_corpus(root: Path) -> list[Case]:
    """Write the bad-input corpus under `root` and return its cases (one or more rows each)."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    rng = random.Random(6)
    cases: list[Case] = []

    def add(
        name: str, data: bytes | None, expect: Expect | dict[str, Expect], *, path: Path | None = None
    ) -> Path:
        target = path or root / name
        if data is not None:
            target.write_bytes(data)
        rows = expect if isinstance(expect, dict) else {str(target): expect}
        cases.append(Case(name, [target], rows))
        return target

    def member(zip_path: Path, name: str) -> str:
        return f"{zip_path}!{name}"

    text = conclusion()
    work = root / "_build"
    work.mkdir(exist_ok=True)
    pdf = good_pdf(text, work / "good.pdf").read_bytes()
    docx_path = good_docx(text, work / "good.docx")
    docx_data = docx_path.read_bytes()

    # Files that hold nothing, or nothing readable
    add("empty.pdf", b"", Expect("error", "empty_file", "0 bytes"))
    add("rong.txt", b"", Expect("error", "empty_file", "0 bytes"))
    add("zero-pages.pdf", ZERO_PAGE_PDF, Expect("error", "no_text", "no pages"))
    add(
        "blank-scan.png",
        None,
        Expect("error", "no_text", "no text could be read"),
        path=blank_png(root / "blank-scan.png"),
    )
    # Damaged PDFs
    add("truncated.pdf", pdf[: len(pdf) // 3], Expect("error", "corrupt_file", "cannot be opened"))
    add("broken-xref.pdf", broken_xref(pdf), Expect("ok", fields=FIELDS))
    add(
        "pdf-header-garbage.pdf",
        b"%PDF-1.7\n" + rng.randbytes(3000),
        Expect("error", "corrupt_file", "cannot be opened"),
    )
    # Encrypted PDFs: a user password blocks reading; an owner password alone does not
    from reportlab.lib.pdfencrypt import StandardEncryption

    enc = StandardEncryption("matkhau", ownerPassword="chu", canPrint=0)
    add("encrypted-user.pdf", None, Expect("error", "encrypted_pdf", "password"),
        path=canvas_pdf(text, root / "encrypted-user.pdf", encrypt=enc))  # fmt: skip
    owner_only = StandardEncryption("", ownerPassword="chu", canPrint=0, canModify=0)
    add("encrypted-owner-only.pdf", None, Expect("ok", fields={"doc_number": "45/TB-UBND"}),
        path=canvas_pdf(text, root / "encrypted-owner-only.pdf", encrypt=owner_only))  # fmt: skip
    add(
        "1000-pages.pdf",
        None,
        Expect("ok", fields={"pages": 1000}),
        path=many_pages_pdf(root / "1000-pages.pdf"),
    )
    # Images
    add("huge-20000x20000.png", png(20000, 20000),
        Expect("error", "too_large", "pixels, more than the 178956970 that can be decoded safely; scale it down"))  # fmt: skip
    add(
        "corrupt.png",
        png(50, 50)[:40] + rng.randbytes(200),
        Expect("error", "corrupt_file", "cannot identify image file (image data)"),  # no object address
    )
    # Renamed and mislabelled files
    add(
        "program.pdf",
        b"MZ\x90\x00\x03\x00\x00\x00" + rng.randbytes(2000),
        Expect("error", "unsupported_format", "Windows program"),
    )
    add(
        "random-bytes.pdf",
        rng.randbytes(5000),
        Expect("error", "unsupported_format", "not a PDF, Word, text or image"),
    )
    add(
        "binary.txt",
        bytes(range(256)) * 20,
        Expect("error", "unsupported_format", "not a PDF, Word, text or image"),
    )
    add("workbook.docx", xlsx_bytes(), Expect("error", "unsupported_format", "not a Word document"))
    html = "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>" + "".join(
        f"<p>{line}</p>" for line in text.splitlines() if line.strip()) + "</body></html>"  # fmt: skip
    add("html-saved-as.doc", html.encode("utf-8"), Expect("ok", fields={**FIELDS, "input_kind": "doc"}))
    # Word files
    add(
        "truncated.docx",
        docx_data[: len(docx_data) // 2],
        Expect("error", "corrupt_file", "damaged or truncated"),
    )
    add("password.docx", None, Expect("error", "encrypted_docx", "password-protected"),
        path=encrypted_docx(docx_path, root / "password.docx"))  # fmt: skip
    real_doc = soffice_doc(docx_path, work)
    if real_doc is not None:
        add("real.doc", real_doc.read_bytes(), Expect("ok", fields={**FIELDS, "input_kind": "doc"}))
    else:  # no LibreOffice here: a Word 97 container, and the row must say what to install
        ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "WordDocument".encode("utf-16-le")
        add("real.doc", ole + b"\x00" * 2048, Expect("error", "doc_unavailable", "LibreOffice"))
    # Text encodings: legacy Vietnamese code pages are converted, UTF-16 and NFD read as Unicode
    add("tcvn3-abc.txt", encode_legacy(text, "tcvn3", capitals="lower"), Expect("ok", fields=FIELDS))
    add("tcvn3-vn1-capitals.txt", encode_legacy(text, "tcvn3"), Expect("ok", fields=FIELDS))
    add("vni-windows.txt", encode_legacy(text, "vni"), Expect("ok", fields=FIELDS))
    add("utf16.txt", text.encode("utf-16"), Expect("ok", fields=FIELDS))
    add("nfd.txt", unicodedata.normalize("NFD", text).encode("utf-8"), Expect("ok", fields=FIELDS))
    # Documents that are not (Vietnamese) conclusions, or lack parts
    add(
        "english.txt",
        ENGLISH.encode("utf-8"),
        Expect("ok", fields={"is_conclusion": False}, no_items=NOT_CONCLUSION),
    )
    add("khong-co-header.txt", no_header().encode("utf-8"), Expect("ok", fields={"doc_number": ""}))
    add("giay-moi.txt", INVITATION.encode("utf-8"),
        Expect("ok", fields={"is_conclusion": False, "doc_number": "112/GM-VP"}, no_items=NOT_CONCLUSION))  # fmt: skip
    add("ke-hoach.txt", PLAN.encode("utf-8"),
        Expect("ok", fields={"is_conclusion": False, "doc_number": "88/KH-UBND"}, no_items=NOT_CONCLUSION))  # fmt: skip
    # Untrusted text: formula and HTML injection
    inj = conclusion(item_extra=f"\n- {HYPERLINK}", first_recipient="- +SUM(1);\n")
    add("formula-injection.txt", inj.encode("utf-8"), Expect("ok", fields={"doc_number": "45/TB-UBND"}))
    lim = f"\n- Cổng thông tin điện tử của huyện còn lỗi hiển thị {SCRIPT}"
    xss = conclusion(title_extra=f" {SCRIPT}", limitation_extra=lim)
    add("html-injection.txt", xss.encode("utf-8"), Expect("ok", fields={"doc_number": "45/TB-UBND"}))
    june = xss.replace("tháng 5 năm 2024", "tháng 6 năm 2024").replace("45/TB-UBND", "52/TB-UBND")
    add(f"{IMG}.txt", june.encode("utf-8"), Expect("ok", fields={"doc_number": "52/TB-UBND"}))
    # Zips
    nested = root / "nested.zip"
    inner = zip_bytes([("a/b/ke-hoach.txt", PLAN.encode("utf-8"))])
    nested.write_bytes(zip_bytes([
        ("2024/thang-05/ket-luan.txt", text.encode("utf-8")),
        ("2024/thang-06/giay-moi.txt", INVITATION.encode("utf-8")),
        ("2024/inner.zip", inner),
    ]))  # fmt: skip
    add("nested.zip", None, {
        member(nested, "2024/thang-05/ket-luan.txt"): Expect("ok", fields=FIELDS),
        member(nested, "2024/thang-06/giay-moi.txt"): Expect("ok", fields={"is_conclusion": False}),
        member(nested, "2024/inner.zip!a/b/ke-hoach.txt"): Expect("ok", fields={"doc_number": "88/KH-UBND"}),
    }, path=nested)  # fmt: skip
    trav = root / "traversal.zip"
    trav.write_bytes(zip_bytes([("../../evil.txt", b"x" * 100), ("/etc/evil.txt", b"y" * 100),
                                ("ket-luan.txt", text.encode("utf-8"))]))  # fmt: skip
    add("traversal.zip", None, {
        member(trav, "../../evil.txt"): Expect("error", "zip_unsafe", "path traversal"),
        member(trav, "/etc/evil.txt"): Expect("error", "zip_unsafe", "absolute path"),
        member(trav, "ket-luan.txt"): Expect("ok", fields=FIELDS),
    }, path=trav)  # fmt: skip
    bomb = root / "bomb.zip"
    bomb.write_bytes(zip_bytes([("bomb.txt", b"0" * (40 * 1024 * 1024))]))
    add("bomb.zip", None, {member(bomb, "bomb.txt"): Expect("error", "zip_unsafe", "zip bomb")}, path=bomb)
    nbomb = root / "nested-bomb.zip"
    layer = zip_bytes([("layer.txt", b"0" * (20 * 1024 * 1024))])
    nbomb.write_bytes(zip_bytes([(f"part{i}.zip", layer) for i in range(3)], zipfile.ZIP_STORED))
    add("nested-bomb.zip", None, {member(nbomb, f"part{i}.zip!layer.txt"): Expect("error", "zip_unsafe", "zip bomb")
                                  for i in range(3)}, path=nbomb)  # fmt: skip
    lying = root / "lying-size.zip"
    lying.write_bytes(zip_lying_size("ket-luan.txt", b"0" * (5 * 1024 * 1024), 100))
    add("lying-size.zip", None, {member(lying, "ket-luan.txt"): Expect("error", "corrupt_file", "cannot be read")},
        path=lying)  # fmt: skip
    locked = root / "encrypted-member.zip"
    locked.write_bytes(zip_with_flag([("ket-luan.txt", text.encode("utf-8"))], 0x1))
    add("encrypted-member.zip", None, {member(locked, "ket-luan.txt"): Expect("error", "zip_unsafe", "password")},
        path=locked)  # fmt: skip
    broken_zip = root / "truncated.zip"
    broken_zip.write_bytes(zip_bytes([("ket-luan.txt", text.encode("utf-8"))])[:60])
    add(
        "truncated.zip",
        None,
        Expect("error", "corrupt_file", "zip archive cannot be opened"),
        path=broken_zip,
    )
    # Member names written without the UTF-8 flag: UTF-8 bytes, Windows-1258, CP437
    name_vi = "Thông báo kết luận tháng 5.txt"
    utf8z = root / "name-utf8-noflag.zip"
    utf8z.write_bytes(zip_with_raw_name(name_vi.encode("utf-8"), text.encode("utf-8")))
    add("name-utf8-noflag.zip", None, {member(utf8z, name_vi): Expect("ok", fields=FIELDS)}, path=utf8z)
    name_1258 = "Kết luận giao ban.txt"
    cp1258z = root / "name-cp1258.zip"
    cp1258z.write_bytes(zip_with_raw_name(_cp1258(name_1258), text.encode("utf-8")))
    add("name-cp1258.zip", None, {member(cp1258z, name_1258): Expect("ok", fields=FIELDS)}, path=cp1258z)
    cp437z = root / "name-cp437.zip"
    cp437z.write_bytes(zip_with_raw_name("Ñòt-bien-ban.txt".encode("cp437"), text.encode("utf-8")))
    add("name-cp437.zip", None, {f"{cp437z}!*": Expect("ok", fields=FIELDS)}, path=cp437z)
    # File-system oddities: a symlink loop, a dangling self-link, a folder named like a file
    loop = root / "symlink-loop"
    loop.mkdir(exist_ok=True)
    (loop / "ket-luan.txt").write_bytes(text.encode("utf-8"))
    _symlink(loop / "vong-lap", loop)
    _symlink(loop / "sub-up", root / "symlink-loop")
    add("symlink-loop", None, {str(loop / "ket-luan.txt"): Expect("ok", fields=FIELDS)}, path=loop)
    self_link = root / "self-link.pdf"
    _symlink(self_link, self_link)
    add("self-link.pdf", None, Expect("error", "not_found", "no such file"), path=self_link)
    folder = root / "thu-muc.pdf"
    folder.mkdir(exist_ok=True)
    (folder / "ket-luan.txt").write_bytes(text.encode("utf-8"))
    add("thu-muc.pdf", None, {str(folder / "ket-luan.txt"): Expect("ok", fields=FIELDS)}, path=folder)
    _issue_15_inputs(root, add, member, text)
    # Good files, and a duplicate under another name: the batch must still give them their rows
    add("good.pdf", pdf, Expect("ok", fields={**FIELDS, "input_kind": "text_pdf"}))
    add("good.docx", docx_data, Expect("ok", fields={**FIELDS, "input_kind": "docx"}))
    add("good-copy.pdf", pdf, Expect("ok", fields={**FIELDS, "input_kind": "text_pdf"}))
    shutil.rmtree(work)
    return cases


# Issue 15 (inputs) and 16 (which files are documents): one case per finding.
ISSUE_15_CASES = (
    "name-invalid-utf8", "zip-duplicate-names.zip", "cp1258.txt", "utf8-trailing-ff.txt",
    "utf8-one-latin1-byte.txt", "utf8-nul.txt", "utf8-cesu.txt", "utf32.txt", "utf32-no-bom.txt",
    "tcvn3-in-utf8-guess.txt", "surrogate-tounicode.pdf", "empty.zip", "folders-only.zip",
    "special-files", "fifo-on-command-line.pdf", "devzero-on-command-line.pdf", "tiff-2100-frames.tif",
    "signer-zero-width.txt", "merged-cells.docx", "not-documents",
)  # fmt: skip

CASE_NAMES = (
    "empty.pdf", "rong.txt", "zero-pages.pdf", "blank-scan.png", "truncated.pdf", "broken-xref.pdf",
    "pdf-header-garbage.pdf", "encrypted-user.pdf", "encrypted-owner-only.pdf", "1000-pages.pdf",
    "huge-20000x20000.png", "corrupt.png", "program.pdf", "random-bytes.pdf", "binary.txt",
    "workbook.docx", "html-saved-as.doc", "truncated.docx", "password.docx", "real.doc",
    "tcvn3-abc.txt", "tcvn3-vn1-capitals.txt", "vni-windows.txt", "utf16.txt", "nfd.txt",
    "english.txt", "khong-co-header.txt", "giay-moi.txt", "ke-hoach.txt", "formula-injection.txt",
    "html-injection.txt", f"{IMG}.txt", "nested.zip", "traversal.zip", "bomb.zip",
    "nested-bomb.zip", "lying-size.zip", "encrypted-member.zip", "truncated.zip",
    "name-utf8-noflag.zip", "name-cp1258.zip", "name-cp437.zip", "symlink-loop", "self-link.pdf",
    "thu-muc.pdf", *ISSUE_15_CASES, "good.pdf", "good.docx", "good-copy.pdf",
)  # fmt: skip


def _issue_15_inputs(root: Path, add: Any, member: Any, text: str) -> None:
    """The input-side cases of issue 15 (findings 2, 3, 5, 6, 7, 12, 15, 16, 17, 18) and 16."""
    fields = FIELDS
    # 2: a file name with a byte that is not UTF-8 (old Windows archives): shown as "\xff"
    folder = root / "name-invalid-utf8"
    folder.mkdir(exist_ok=True)
    bad = folder / os.fsdecode(b"thong-bao-\xff-ket-luan.txt")
    bad.write_bytes(text.encode("utf-8"))
    add(
        "name-invalid-utf8",
        None,
        {f"{folder}/thong-bao-*-ket-luan.txt": Expect("ok", fields=fields)},
        path=folder,
    )
    # 3: two members of one name: both kept, the second as "name#2"
    dup = root / "zip-duplicate-names.zip"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns "Duplicate name"
        dup.write_bytes(
            zip_bytes([("ket-luan.txt", text.encode("utf-8")), ("ket-luan.txt", INVITATION.encode("utf-8"))])
        )
    add("zip-duplicate-names.zip", None, {
        member(dup, "ket-luan.txt"): Expect("ok", fields=fields),
        member(dup, "ket-luan.txt#2"): Expect("ok", fields={"is_conclusion": False, "doc_number": "112/GM-VP"}),
    }, path=dup)  # fmt: skip
    # 5, 6: Windows-1258, UTF-8 with a few bad bytes (partial, with the reason), NUL, CESU-8, UTF-32
    add("cp1258.txt", _cp1258(text), Expect("ok", fields=fields))
    add("utf8-trailing-ff.txt", text.encode("utf-8") + b"\xff",
        Expect("partial", contains="1 byte that is not valid UTF-8 was replaced by U+FFFD", fields=fields))  # fmt: skip
    latin = text.replace("Lưu: VT.", "Lưu: VT, café.").encode("utf-8").replace("café".encode(), b"caf\xe9")
    add("utf8-one-latin1-byte.txt", latin,
        Expect("partial", contains="1 byte that is not valid UTF-8", fields=fields))  # fmt: skip
    add(
        "utf8-nul.txt",
        text.replace("Hoàn thành", "Hoàn\x00 thành").encode("utf-8"),
        Expect("ok", fields=fields),
    )
    cesu = text.encode("utf-8") + b"\n\xed\xa0\xbd\xed\xb3\x81"  # CESU-8 of U+1F4C1
    add("utf8-cesu.txt", cesu, Expect("ok", fields=fields))
    add("utf32.txt", text.encode("utf-32"), Expect("ok", fields=fields))
    add("utf32-no-bom.txt", text.encode("utf-32-le"), Expect("ok", fields=fields))
    add(
        "tcvn3-in-utf8-guess.txt",
        encode_legacy(text, "tcvn3", capitals="lower") + b"\xff",
        Expect("ok", fields=fields),
    )
    # 7: a lone surrogate in a PDF text layer (a ToUnicode map to U+D800), with a character
    # outside the BMP so pdfium's text is read character by character
    add("surrogate-tounicode.pdf", surrogate_pdf(text), Expect("ok", fields=fields))
    # 16: an empty zip, a zip of folders only, special files in a folder and on the command line
    add("empty.zip", zip_bytes([]), Expect("error", "unsupported_format", "holds no document file"))
    add("folders-only.zip", zip_bytes([("2024/", b""), ("2024/thang-05/", b"")]),
        Expect("error", "unsupported_format", "holds no document file"))  # fmt: skip
    special = root / "special-files"
    special.mkdir(exist_ok=True)
    (special / "ket-luan.txt").write_bytes(text.encode("utf-8"))
    rows = {str(special / "ket-luan.txt"): Expect("ok", fields=fields)}
    if hasattr(os, "mkfifo"):
        os.mkfifo(special / "ong-dan.pdf")
        rows[str(special / "ong-dan.pdf")] = Expect("error", "unsupported_format", "named pipe (FIFO)")
    if Path("/dev/zero").exists():
        _symlink(special / "zero.docx", Path("/dev/zero"))
        rows[str(special / "zero.docx")] = Expect("error", "unsupported_format", "character device")
    add("special-files", None, rows, path=special)
    fifo = root / "fifo-on-command-line.pdf"
    os.mkfifo(fifo)
    add("fifo-on-command-line.pdf", None, Expect("error", "unsupported_format", "named pipe"), path=fifo)
    zero = root / "devzero-on-command-line.pdf"
    _symlink(zero, Path("/dev/zero"))
    add(
        "devzero-on-command-line.pdf",
        None,
        Expect("error", "unsupported_format", "character device"),
        path=zero,
    )
    # 15: a multi-frame TIFF over the page limit is refused at once, like a long PDF
    add("tiff-2100-frames.tif", many_frames_tiff(2100),
        Expect("error", "too_large", "the image has 2100 pages (frames), more than the limit of 2000"))  # fmt: skip
    # 18: a zero-width non-joiner typed between the words of the signer's name
    zw = text.replace("Trần Thị Bình", "Trần\u200cThị\u200bBình").replace(
        "Nguyễn Văn An", "\u202bNguyễn Văn An\u202c"
    )
    add(
        "signer-zero-width.txt",
        zw.encode("utf-8"),
        Expect("ok", fields={**fields, "signer_name": "Trần Thị Bình"}),
    )
    # a Word table whose rows have merged cells (gridSpan, vMerge): a .doc of a real archive crashed here
    add("merged-cells.docx", merged_cells_docx(text), Expect("ok", fields={**fields, "input_kind": "docx"}))
    # issue 16: only document types are read; hidden files, Office lock files and other types are skipped
    other = root / "not-documents"
    other.mkdir(exist_ok=True)
    (other / "ket-luan.txt").write_bytes(text.encode("utf-8"))
    (other / "SOURCES.tsv").write_text(
        "file\tsource\nket-luan.txt\thttps://example.org/tb-45\n", encoding="utf-8"
    )
    (other / "~$ket-luan.docx").write_bytes(b"\x0bNguyen Van An" + b"\x00" * 150)
    (other / ".~lock.ket-luan.docx#").write_text("Nguyen Van An,may-tinh,01.06.2024 08:00", encoding="utf-8")
    (other / ".ban-nhap.txt").write_bytes(INVITATION.encode("utf-8"))
    (other / "ghi-chu.md").write_bytes(text.encode("utf-8"))
    add("not-documents", None, {str(other / "ket-luan.txt"): Expect("ok", fields=fields)}, path=other)


SKIPPED_IN_CORPUS = 5  # the five files of "not-documents" that are not read


def surrogate_pdf(text: str) -> bytes:
    """A text PDF whose ToUnicode map sends one glyph to a lone surrogate (U+D800) and another
    to a character outside the BMP (U+1D400), as a broken PDF producer writes them."""
    from reportlab.pdfgen import canvas

    font = _font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pageCompression=0, invariant=1)
    c.setFont(font, 10)
    y = 800.0
    for line in text.replace("Lưu: VT.", "Lưu: VT (Ω, Σ).").splitlines():
        c.drawString(50, y, line)
        y -= 15
    c.save()
    data = re.sub(rb"(<[0-9A-F]{2}> )<03A9>", rb"\1<D800>", buf.getvalue())
    return re.sub(rb"(<[0-9A-F]{2}> )<03A3>\n", rb"\1<D835DC00>\n", data)  # readers rebuild the xref


def many_frames_tiff(frames: int) -> bytes:
    """A multi-page TIFF of `frames` blank 8×8 pages."""
    from PIL import Image

    pages = [Image.new("1", (8, 8), 1) for _ in range(frames)]
    buf = io.BytesIO()
    pages[0].save(buf, "TIFF", save_all=True, append_images=pages[1:])
    return buf.getvalue()


def merged_cells_docx(text: str) -> bytes:
    """The conclusion as paragraphs, then a task table with a horizontally and a vertically merged cell."""
    import docx

    d = docx.Document()
    for line in text.splitlines():
        d.add_paragraph(line)
    table = d.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "Nhiệm vụ tháng 6"
    table.cell(0, 2).text = "Đơn vị"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "1"
    table.cell(1, 1).text = "Đôn đốc giải ngân vốn đầu tư công"
    table.cell(1, 2).text = "Phòng Tài chính - Kế hoạch"
    table.cell(2, 1).text = "Giải quyết hồ sơ đất đai quá hạn"
    table.cell(2, 2).text = "Văn phòng Đăng ký đất đai"
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _cp1258(text: str) -> bytes:
    """Windows-1258 bytes: base letters with their circumflex/breve/horn, tones as combining marks."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
        out += base.encode("cp1258") + "".join(c for c in decomposed if c in tones).encode("cp1258")
    return bytes(out)


def _symlink(link: Path, target: Path) -> None:
    """Create (or replace) a symbolic link."""
    if link.is_symlink():
        link.unlink()
    os.symlink(target, link)


# ------------------------------------------------------------------ runaway documents


def runaway(source: Any, settings: Any) -> Any:
    """A stand-in for `api.process_source` that misbehaves on purpose, chosen by the file name:
    hang (never returns), hog (allocates memory until stopped), crash (SIGSEGV), exit (exit
    code 3), sysexit (sys.exit(2)), orphan (starts a child process, writes its pid to `<path>.pid`, then hangs);
    any other name is processed normally. Module-level, so spawned workers can import it.
    """
    from ketluan.chain import process_source

    stem = source.name.rsplit(".", 1)[0]
    if stem == "hang":
        time.sleep(3600)
    elif stem == "hog":
        hoard = []
        while True:
            hoard.append(b"\x01" * (50 * 1024 * 1024))  # written, so it is resident
            time.sleep(0.02)
    elif stem == "crash":
        os.kill(os.getpid(), signal.SIGSEGV)
        time.sleep(10)
    elif stem == "exit":
        os._exit(3)
    elif stem == "sysexit":  # a library that calls sys.exit() must not end the batch
        sys.exit(2)
    elif stem == "orphan":
        child = subprocess.Popen(["sleep", "300"])
        Path(source.path + ".pid").write_text(str(child.pid))
        time.sleep(3600)
    return process_source(source, settings)


# ------------------------------------------------------------------ the benchmark archive


def make_archive(root: Path, n: int = 2000, seed: int = 0) -> list[Path]:
    """Write an archive of `n` files: text PDFs and DOCX of varied conclusions, TXT, ~3% broken
    files and ~10% duplicates under other names, in year/month folders, part of them zipped.

    Returns the inputs to give `ketluan run` (the archive folder).
    """
    rng = random.Random(seed)
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    templates = []
    for month in range(1, 13):
        t = (
            conclusion()
            .replace("tháng 5 năm 2024", f"tháng {month} năm 2024")
            .replace("tháng 6 năm 2024", f"tháng {month % 12 + 1} năm 2024")
        )
        templates.append(t.replace("45/TB-UBND", f"{40 + month}/TB-UBND"))
    base_pdfs = []
    base_docx = []
    work = root / "_templates"
    work.mkdir(exist_ok=True)
    for i, t in enumerate(templates):
        base_pdfs.append(good_pdf(t, work / f"t{i}.pdf").read_bytes())
        base_docx.append(good_docx(t, work / f"t{i}.docx").read_bytes())
    shutil.rmtree(work)
    written: list[Path] = []
    originals: list[Path] = []
    zipped: list[tuple[str, bytes]] = []
    for i in range(n):
        year = 2015 + i % 10
        month = 1 + (i // 10) % 12
        folder = root / str(year) / f"thang-{month:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        roll = rng.random()
        if roll < 0.10 and originals:
            src = rng.choice(originals)
            data = src.read_bytes()
            path = folder / f"ban-sao-{i:05d}{src.suffix}"
        elif roll < 0.13:
            kind = rng.choice(["empty", "truncated", "random"])
            path = folder / f"hong-{i:05d}.pdf"
            tpl = rng.choice(base_pdfs)
            data = {"empty": b"", "truncated": tpl[: len(tpl) // 3], "random": rng.randbytes(4000)}[kind]
        else:
            j = rng.randrange(len(templates))
            # A unique sentence per file, so each one is new content and is really parsed.
            extra = f"\n- Nội dung bổ sung số {i} của hồ sơ lưu trữ năm {year}."
            text = templates[j].replace("trong tháng", f"trong tháng (văn bản {i})")
            if roll < 0.55:
                path = folder / f"ket-luan-{i:05d}.pdf"
                data = _variant_pdf(text + extra, rng)
            elif roll < 0.85:
                path = folder / f"ket-luan-{i:05d}.docx"
                data = _variant_docx(text + extra)
            else:
                path = folder / f"ket-luan-{i:05d}.txt"
                data = (text + extra).encode("utf-8")
        if i % 20 == 19:  # every 20th file goes into a zip of its year
            zipped.append((f"{year}/{path.name}", data))
            continue
        path.write_bytes(data)
        written.append(path)
        if not path.name.startswith("hong-"):
            originals.append(path)
    if zipped:
        (root / "luu-tru-nen.zip").write_bytes(zip_bytes(zipped))
    return [root]


def _variant_pdf(text: str, rng: random.Random) -> bytes:
    """A small text PDF (plain canvas layout, to keep generation fast)."""
    buf = Path(tempfile.mkstemp(suffix=".pdf")[1])
    try:
        canvas_pdf(text, buf)
        return buf.read_bytes()
    finally:
        buf.unlink()


def _variant_docx(text: str) -> bytes:
    """A small DOCX, one paragraph per line."""
    import docx

    d = docx.Document()
    for line in text.splitlines():
        if line.strip():
            d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def measure(cmd: list[str], interval: float = 0.1) -> dict[str, float]:
    """Run a command; return its wall time and the peak RSS summed over its process tree
    (the run plus its workers and their children), sampled every `interval` seconds."""
    import psutil

    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    root = psutil.Process(proc.pid)
    peak = peak_parent = 0
    workers = 0
    while proc.poll() is None:
        try:
            family = [root, *root.children(recursive=True)]
            total = 0
            for p in family:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    continue
            peak = max(peak, total)
            peak_parent = max(peak_parent, root.memory_info().rss)
            workers = max(workers, len(family) - 1)
        except psutil.Error:
            pass
        time.sleep(interval)
    out = proc.stdout.read() if proc.stdout else ""
    return {"seconds": round(time.monotonic() - started, 1), "peak_rss_mb": round(peak / 2**20),
            "peak_parent_rss_mb": round(peak_parent / 2**20), "processes": workers + 1,
            "exit_code": proc.returncode, "summary": out.strip()}  # fmt: skip


def main(argv: list[str]) -> int:
    """`corpus OUT_DIR`, `archive OUT_DIR [N]` or `bench OUT_DIR [N] [WORKERS]`."""
    if len(argv) >= 2 and argv[0] == "bench":
        n = int(argv[2]) if len(argv) > 2 else 2000
        workers = argv[3] if len(argv) > 3 else "2"
        folder = Path(argv[1])
        started = time.monotonic()
        make_archive(folder / "archive", n)
        made = time.monotonic() - started
        shutil.rmtree(folder / "out", ignore_errors=True)
        cmd = [sys.executable, "-m", "ketluan", "run", str(folder / "archive"), "--out", str(folder / "out"),
               "--workers", workers, "--quiet"]  # fmt: skip
        figures = {"files": n, "workers": int(workers), "generate_seconds": round(made, 1), **measure(cmd)}
        figures["docs_per_second"] = round(n / figures["seconds"], 1)
        figures["load_average"] = os.getloadavg()[0]
        print(json.dumps(figures, ensure_ascii=False, indent=1))
        return 0
    if len(argv) < 2 or argv[0] not in ("corpus", "archive"):
        print(__doc__)
        return 2
    started = time.monotonic()
    if argv[0] == "corpus":
        cases = build_corpus(Path(argv[1]))
        print(f"{len(cases)} cases, {sum(len(c.rows) for c in cases)} rows → {argv[1]}")
    else:
        n = int(argv[2]) if len(argv) > 2 else 2000
        make_archive(Path(argv[1]), n)
        files = sum(1 for p in Path(argv[1]).rglob("*") if p.is_file())
        print(f"{files} files (+ zip members) → {argv[1]} in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
