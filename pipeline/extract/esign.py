"""Extract stage, e-signatures: when a PDF was signed, from its signature dictionaries or its box.

Reads a PDF's bytes (each signature dictionary's /M signing time, through pypdfium2) or the lines
of a page (the printed e-signature box "Ký bởi: … Thời gian ký: 08.04.2026 10:15"); returns the
signing times as written, in the signer's own time zone. Never opens anything but the bytes given
and never raises for a damaged or unsigned file: it has no signing time.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable

from ..text.orthography import bare

# A PDF date (ISO 32000-1 §7.9.4): "D:20190509160050+07'00'", "D:20260408173556Z", "D:20250108"
PDF_DATE = re.compile(
    r"^(?:D:)?(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})(?:(?P<H>\d{2})(?P<M>\d{2})(?P<S>\d{2})?)?"
)
# The printed box of a Vietnamese e-signature (Nghị định 30/2020, Phụ lục I mục II: chữ ký số của
# cơ quan), matched on the diacritic-free text: "Thời gian ký: 08.04.2026 10:15:30 +07:00",
# "Thoi gian ky: 09/01/2025 10:21", "Ngày ký: 24-01-2025"
PRINTED_TIME = re.compile(
    r"(?:thoi\s*gian|ngay)\s*ky\s*:?\s*(?P<d>\d{1,2})\s*[./-]\s*(?P<m>\d{1,2})\s*[./-]\s*(?P<y>\d{4})",
    re.IGNORECASE,
)


def pdf_signing_times(data: bytes) -> list[dt.datetime]:
    """The /M signing time of every signature dictionary of a PDF, earliest first.

    Args:
        data: the PDF file's bytes.

    Returns:
        Naive datetimes as the signer's clock wrote them ("D:20190509160050+07'00'" ->
        2019-05-09 16:00:50); [] for an unsigned or unreadable file, or no PDF at all.

    Examples:
        >>> pdf_signing_times(b"Th\\xc3\\xb4ng b\\xc3\\xa1o k\\xe1\\xba\\xbft lu\\xe1\\xba\\xadn")
        []
    """
    if not data.startswith(b"%PDF") and b"%PDF" not in data[:1024]:
        return []
    try:
        import pypdfium2 as pdfium
        import pypdfium2.raw as raw
    except ImportError:
        return []
    try:
        pdf = pdfium.PdfDocument(data)
    except Exception:  # a damaged file: the reading stage reports it, here it has no signature
        return []
    times: list[dt.datetime] = []
    try:
        for k in range(max(0, raw.FPDF_GetSignatureCount(pdf.raw))):
            signature = raw.FPDF_GetSignatureObject(pdf.raw, k)
            if not signature:
                continue
            size = raw.FPDFSignatureObj_GetTime(signature, None, 0)
            if size <= 0:
                continue
            buffer = ctypes.create_string_buffer(size)
            raw.FPDFSignatureObj_GetTime(signature, buffer, size)
            when = parse_pdf_date(buffer.value.decode("latin-1"))
            if when is not None:
                times.append(when)
    finally:
        pdf.close()
    return sorted(times)


def parse_pdf_date(text: str) -> dt.datetime | None:
    """A PDF date string as a naive datetime on the writer's clock, None when it is no date.

    Examples:
        >>> parse_pdf_date("D:20190509160050+07'00'")
        datetime.datetime(2019, 5, 9, 16, 0, 50)
        >>> parse_pdf_date("D:20250108"), parse_pdf_date("D:20251340120000")
        (datetime.datetime(2025, 1, 8, 0, 0), None)
    """
    m = PDF_DATE.match(text.strip())
    if not m:
        return None
    try:
        return dt.datetime(
            int(m["y"]), int(m["m"]), int(m["d"]), int(m["H"] or 0), int(m["M"] or 0), int(m["S"] or 0)
        )
    except ValueError:
        return None


def printed_signing_dates(texts: Iterable[str]) -> list[dt.date]:
    """The dates of the printed e-signature boxes among some lines, earliest first.

    Examples:
        >>> printed_signing_dates(["Ký bởi: Cục Thuế", "Cơ quan: Bộ Tài chính",
        ...                        "Thời gian ký: 08.04.2026 10:15:30 +07:00"])
        [datetime.date(2026, 4, 8)]
        >>> printed_signing_dates(["Hà Nội, ngày 08 tháng 4 năm 2026"])
        []
    """
    found: list[dt.date] = []
    for text in texts:
        for m in PRINTED_TIME.finditer(bare(unicodedata.normalize("NFC", text))):
            try:
                found.append(dt.date(int(m["y"]), int(m["m"]), int(m["d"])))
            except ValueError:
                continue
    return sorted(found)
