"""Extract stage: a discovered Source -> list[Page] of Lines in reading order.

Chooses the reader by the file's content (magic bytes), not only its extension: PDF, DOCX, legacy
DOC/RTF/ODT (LibreOffice), HTML saved as .doc, plain text, images (OCR). Never normalizes text.
"""

from __future__ import annotations

import io
import os
import re
import zipfile

from .. import errors
from ..config import Settings
from ..discover import LocalFile, ZipMember, read_member
from ..errors import DocumentError
from ..records import Page, Source
from ..text.legacy import detect_legacy, legacy_to_unicode
from .txt import decode_text, extract_html, extract_txt

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# OLE directory entry names are UTF-16LE: a password-protected .docx is an OLE file holding an
# "EncryptedPackage" stream; a Word 97-2003 file holds a "WordDocument" stream.
_OLE_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_OLE_WORD = "WordDocument".encode("utf-16-le")
# A Python object's repr in a library message: "<_io.BytesIO object at 0x7f55d9469490>".
OBJECT_REPR = re.compile(r"<[\w.]+ object at 0x[0-9a-fA-F]+>")
# PIL's decompression-bomb message: "Image size (400000000 pixels) exceeds limit of 178956970 pixels".
PIXELS = re.compile(r"\((\d+) pixels\) exceeds limit of (\d+) pixels")
# The "#2" discover gives the second zip member of the same name: "ket-luan.zip!tb.doc#2".
DUPLICATE_MARK = re.compile(r"#\d+$")
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<body", b"<head", b"<meta ", b"<p ", b"<p>", b"<div")
# First bytes of formats we recognise but cannot read, named in the error so the analyst knows.
_KNOWN_BINARIES = {
    b"MZ": "a Windows program (.exe)",
    b"\x7fELF": "a Linux program",
    b"Rar!": "a RAR archive",
    b"7z\xbc\xaf\x27\x1c": "a 7-Zip archive",
    b"\x1f\x8b": "a gzip archive",
    b"%!PS": "a PostScript file",
}


def read_bytes(source: Source, settings: Settings | None = None) -> bytes:
    """The source's bytes, read once: zip member data, a zip member read from its archive, or
    the file on disk; with `settings`, a file over `max_file_mb` is refused before it is read.

    Raises:
        DocumentError: not_found when the file cannot be read, too_large over the limit,
            corrupt_file or zip_unsafe for a zip member that can no longer be read safely.
    """
    if source.data is not None:
        return source.data
    limit = (settings or Settings()).max_file_mb * 1024 * 1024
    if isinstance(source, ZipMember):
        return read_member(source, settings or Settings(), limit)
    try:
        with open(source.real_path if isinstance(source, LocalFile) else source.path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if settings is not None and size > limit:
                raise DocumentError("too_large", _too_large(size, settings))
            data = fh.read(limit + 1) if settings is not None else fh.read()
    except OSError as e:
        raise DocumentError("not_found", f"cannot read the file: {stable_message(str(e))}") from e
    if settings is not None and len(data) > limit:  # it grew while being read
        raise DocumentError("too_large", _too_large(len(data), settings))
    return data


def _too_large(size: int, settings: Settings) -> str:
    """The too_large detail of a file of `size` bytes."""
    return f"the file is {size / 1048576:.0f} MB, over the {settings.max_file_mb} MB limit"


def stable_message(text: str) -> str:
    """A library message without object addresses, so identical runs give identical rows.

    Examples:
        >>> stable_message("cannot identify image file <_io.BytesIO object at 0x7f55d9469490>")
        'cannot identify image file (image data)'
    """
    return OBJECT_REPR.sub("(image data)", text).strip().rstrip(";,: ").strip()


def too_many_pixels(message: str) -> str:
    """The too_large detail of an image PIL refuses to decode (a decompression bomb).

    Examples:
        >>> too_many_pixels("Image size (400000000 pixels) exceeds limit of 178956970 pixels, could be "
        ...                 "decompression bomb DOS attack.")
        'the image has 400000000 pixels, more than the 178956970 that can be decoded safely; scale it down'
    """
    m = PIXELS.search(message)
    if m is None:
        return "the image is too large to decode safely; scale it down"
    return f"the image has {m.group(1)} pixels, more than the {m.group(2)} that can be decoded safely; scale it down"


def sniff(data: bytes, name: str = "") -> str:
    """The reader a file's content needs: pdf, docx, encrypted_docx, doc, office, html, image,
    txt, or "" when unknown.

    Examples:
        >>> sniff(b"%PDF-1.7\\n...")
        'pdf'
        >>> sniff("Kết luận của Chủ tịch UBND tỉnh".encode("utf-8"), "ket_luan.pdf")
        'txt'
        >>> sniff(b"MZ\\x90\\x00\\x03\\x00\\x00\\x00\\x04\\x00", "ket_luan.pdf")
        ''
    """
    head = data[:2048]
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
                mimetype = zf.read("mimetype").decode("ascii", "replace") if "mimetype" in names else ""
        except (zipfile.BadZipFile, OSError, ValueError, KeyError, NotImplementedError, EOFError):
            return "broken_zip"
        if "word/document.xml" in names:
            return "docx"
        if mimetype.startswith("application/vnd.oasis.opendocument.text"):
            return "office"  # an .odt: LibreOffice converts it
        return ""
    if head.startswith(OLE_MAGIC):
        if _OLE_ENCRYPTED in data:
            return "encrypted_docx"
        if _OLE_WORD in data:
            return "doc"
        return ""
    if head.lstrip().startswith(b"{\\rtf"):
        return "office"
    if _is_image(head):
        return "image"
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith(b"<") and any(m in head.lower() for m in _HTML_MARKERS):
        return "html"
    if _looks_like_text(data):
        return "txt"
    return ""


def _is_image(head: bytes) -> bool:
    """Magic bytes of PNG, JPEG, TIFF, BMP, GIF and WebP."""
    return head.startswith(
        (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM", b"GIF8")
    ) or (head.startswith(b"RIFF") and head[8:12] == b"WEBP")


def _looks_like_text(data: bytes) -> bool:
    """Decodes to text with almost no control characters (random bytes have ~12%)."""
    sample = data[:65536]
    text, _ = decode_text(sample)
    if not text.strip():
        return False
    legacy = detect_legacy(text)
    if legacy:  # TCVN3 "VN1" capitals sit on control bytes (0x01-0x1F, 0x80-0x9F): judge the letters
        text = legacy_to_unicode(text, legacy)
    controls = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\r\n\t\f") or 0x7F <= ord(ch) < 0xA0)
    replaced = text.count("\ufffd")
    return (controls + replaced) <= 0.01 * len(text)


def _describe(data: bytes) -> str:
    """What the unreadable content looks like, for the unsupported_format detail."""
    for magic, what in _KNOWN_BINARIES.items():
        if data.startswith(magic):
            return f"the content is {what}, not a document"
    if data.startswith(b"PK\x03\x04"):
        return "the content is a zip package that is not a Word document (an Excel or PowerPoint file?)"
    if data.startswith(OLE_MAGIC):
        return "the content is an Office 97-2003 file that is not a Word document (.xls or .ppt?)"
    return f"the content is not a PDF, Word, text or image file (it starts with {data[:8]!r})"


def extract_pages(source: Source, settings: Settings) -> tuple[list[Page], str]:
    """Read a source into pages of lines and return them with the refined input_kind.

    Args:
        source: a discovered file or zip member.
        settings: limits (`max_file_mb`, `max_pages`), OCR switch and time limit.

    Returns:
        (pages, input_kind) with input_kind one of text_pdf, scanned_pdf, mixed_pdf, image,
        docx, doc, txt.

    Raises:
        DocumentError: a bad file (empty, encrypted, corrupt, unsupported, too large...), the
            error discovery already found, or no usable text at all on any page.

    Examples:
        >>> src = Source(path="ket_luan.txt", data="THÔNG BÁO\\nKết luận".encode())
        >>> pages, kind = extract_pages(src, Settings())
        >>> kind, [ln.text for ln in pages[0].lines]
        ('txt', ['THÔNG BÁO', 'Kết luận'])
    """
    if source.error:
        code, _, detail = source.error.partition(":")
        code = code.strip()
        if code not in errors.MESSAGES:
            code, detail = "internal", source.error
        raise DocumentError(code, detail.strip())
    data = read_bytes(source, settings)
    if not data:
        raise DocumentError("empty_file")
    if len(data) > settings.max_file_mb * 1024 * 1024:
        raise DocumentError("too_large", _too_large(len(data), settings))
    pages, kind = _dispatch(data, DUPLICATE_MARK.sub("", source.name), settings)
    if not any(p.lines for p in pages):
        failed = next((p.error for p in pages if p.error), "")
        if failed:
            code, _, detail = failed.partition(":")
            raise DocumentError(
                code.strip() if code.strip() in errors.MESSAGES else "no_text", detail.strip()
            )
        raise DocumentError("no_text")
    return pages, kind


def _dispatch(data: bytes, name: str, settings: Settings) -> tuple[list[Page], str]:
    """Run the reader the content needs; heavy readers (pdfplumber, OpenCV, Tesseract) load on first use."""
    kind = sniff(data, name)
    if kind == "pdf":
        from .pdf import extract_pdf

        return extract_pdf(data, settings)
    if kind == "docx":
        from .docx import extract_docx

        return extract_docx(data), "docx"
    if kind == "encrypted_docx":
        raise DocumentError("encrypted_docx")
    if kind in ("doc", "office"):
        from .doc import doc_to_docx
        from .docx import extract_docx

        suffix = ".doc" if kind == "doc" else (".rtf" if data.lstrip().startswith(b"{\\rtf") else ".odt")
        return extract_docx(doc_to_docx(data, settings, suffix=suffix)), "doc"
    if kind == "html":
        return extract_html(data), "doc" if name.lower().endswith((".doc", ".docx")) else "txt"
    if kind == "image":
        return _extract_image(data, settings), "image"
    if kind == "txt":
        return extract_txt(data), "txt"
    if kind == "broken_zip":
        raise DocumentError("corrupt_file", "the Word (.docx) package is damaged or truncated")
    if data.startswith(b"%PDF") or b"%PDF" in data[:1024]:
        raise DocumentError("corrupt_file")
    raise DocumentError("unsupported_format", _describe(data))


def _extract_image(data: bytes, settings: Settings) -> list[Page]:
    """OCR an image file (all its frames), or one page saying why it could not be read."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as img:
            frames = getattr(img, "n_frames", 1)
            img.verify()
    except Image.DecompressionBombError as e:
        raise DocumentError("too_large", too_many_pixels(str(e))) from e
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as e:
        raise DocumentError("corrupt_file", f"the image cannot be decoded: {stable_message(str(e))}") from e
    if frames > settings.max_pages:  # a multi-page TIFF is held to the limit of a PDF
        raise DocumentError(
            "too_large", f"the image has {frames} pages (frames), more than the limit of {settings.max_pages}"
        )
    if not settings.ocr:
        detail = "OCR is switched off (--no-ocr); an image has no text layer"
        return [Page(number=1, source="none", error=errors.message("ocr_unavailable", detail))]
    try:
        from .ocr import ocr_images
    except ImportError as e:
        return [
            Page(
                number=1,
                source="none",
                error=errors.message("ocr_unavailable", f"{errors.MESSAGES['ocr_unavailable']} ({e})"),
            )
        ]
    try:
        return ocr_images(data, settings)
    except DocumentError as e:
        if e.code not in ("ocr_unavailable", "ocr_failed"):
            raise
        return [Page(number=1, source="none", error=errors.message(e.code, e.detail))]
