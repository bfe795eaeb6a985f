"""Extract stage, plain text: bytes of a .txt export -> one `records.Page` per form-feed page.

Decodes the bytes (BOM, UTF-16, UTF-8, else 8-bit) and turns each text line into a Line,
reading the Markdown emphasis exported text often carries (`text.markup`); HTML (a .doc saved as a web page)
is read here too, block tags ending lines. Never normalizes Unicode or
converts legacy TCVN3/VNI text (normalize does).
"""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser

from ..records import Line, Page
from ..text.markup import strip_markdown

_BLANK = re.compile(r"^[\s\u00a0\u200b\ufeff]*$")


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode the bytes of a text file and name the encoding used.

    Order: a BOM (UTF-8, UTF-16 LE/BE), UTF-16 without a BOM (many NUL bytes), UTF-8, then
    8-bit text as latin-1. Latin-1 maps each byte to U+0000–U+00FF one to one, so legacy
    TCVN3 ("Th«ng b¸o") or VNI text keeps its bytes recoverable and normalize can convert it;
    cp1258 text (combining tone marks in 0xCC–0xF2) is recognised by normalize the same way.

    Examples:
        >>> decode_text("Kết luận".encode("utf-16"))
        ('Kết luận', 'utf-16')
        >>> decode_text("Kết luận".encode("utf-8"))
        ('Kết luận', 'utf-8')
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    sample = data[:4096]
    if sample and sample.count(0) >= len(sample) // 4:
        even_nuls = sample[0::2].count(0)
        odd_nuls = sample[1::2].count(0)
        encoding = "utf-16-le" if odd_nuls >= even_nuls else "utf-16-be"
        return data.decode(encoding, errors="replace"), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def text_to_pages(text: str) -> list[Page]:
    """Split decoded text into pages (at form feeds) of Lines.

    A blank line makes the next line's `gap_before` True; trailing Markdown line breaks (two
    spaces or a backslash) are dropped; emphasis marks set bold/italic.

    Examples:
        >>> pages = text_to_pages("**THÔNG BÁO**\\n\\nKết luận của Chánh Thanh tra tỉnh  \\n")
        >>> [(ln.text, ln.bold, ln.gap_before) for ln in pages[0].lines]
        [('THÔNG BÁO', True, False), ('Kết luận của Chánh Thanh tra tỉnh', False, True)]
    """
    pages: list[Page] = []
    for number, chunk in enumerate(text.split("\f"), start=1):
        page = Page(number=number, source="text")
        gap = False
        for raw in chunk.splitlines():
            if _BLANK.match(raw):
                gap = True
                continue
            line = raw.rstrip()
            if line.endswith("\\") and not line.endswith("\\\\"):
                line = line[:-1].rstrip()
            line = line.lstrip("\ufeff")
            body, bold, italic = strip_markdown(line.strip())
            indent = len(line) - len(line.lstrip())
            page.lines.append(
                Line(
                    text=body,
                    page=number,
                    bold=bold,
                    italic=italic,
                    gap_before=gap,
                    x0=float(indent),
                    origin="txt",
                )  # fmt: skip
            )
            gap = False
        pages.append(page)
    while len(pages) > 1 and not pages[-1].lines:
        pages.pop()
    return pages


def extract_txt(data: bytes) -> list[Page]:
    """Pages of a plain-text file's bytes (see `decode_text` and `text_to_pages`)."""
    text, _ = decode_text(data)
    return text_to_pages(text)


# Tags that end a line in HTML (Word "Save as Web Page" .doc files, saved .htm pages).
_BLOCK_TAGS = frozenset(
    "p div br li tr h1 h2 h3 h4 h5 h6 table ul ol title blockquote pre hr section article header footer".split()
)
_BOLD_TAGS = frozenset("b strong h1 h2 h3 h4 h5 h6 th".split())
_ITALIC_TAGS = frozenset("i em".split())
_SKIP_TAGS = frozenset("script style head xml".split())
_CENTER_STYLE = re.compile(r"text-align\s*:\s*center", re.IGNORECASE)  # style="text-align:center"


class _HtmlLines(HTMLParser):
    """Collects text pieces with bold/italic/centred state; block tags end a line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[Line] = []
        self.pieces: list[tuple[str, bool, bool]] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, centred)
        self.skip = 0
        self.gap = False

    def _state(self) -> tuple[bool, bool, bool]:
        tags = {t for t, _ in self.stack}
        return bool(tags & _BOLD_TAGS), bool(tags & _ITALIC_TAGS), any(c for _, c in self.stack)

    def flush(self, paragraph: bool) -> None:
        text = " ".join("".join(p for p, _, _ in self.pieces).split())
        if text:
            total = sum(len(p.strip()) for p, _, _ in self.pieces) or 1
            bold = sum(len(p.strip()) for p, b, _ in self.pieces if b) >= 0.9 * total
            italic = sum(len(p.strip()) for p, _, i in self.pieces if i) >= 0.9 * total
            self.lines.append(Line(text=text, bold=bold, italic=italic, centered=self._state()[2],
                                   gap_before=self.gap or not self.lines, origin="txt"))  # fmt: skip
            self.gap = False
        if paragraph:
            self.gap = True
        self.pieces = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skip += 1
            return
        if tag in _BLOCK_TAGS:
            self.flush(paragraph=tag != "br")
        if tag in ("br", "hr"):
            return
        a = {k.lower(): (v or "") for k, v in attrs}
        centred = a.get("align", "").lower() == "center" or bool(_CENTER_STYLE.search(a.get("style", "")))
        self.stack.append((tag, centred or tag == "center"))

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip = max(self.skip - 1, 0)
            return
        if tag in _BLOCK_TAGS:
            self.flush(paragraph=True)
        for k in range(len(self.stack) - 1, -1, -1):
            if self.stack[k][0] == tag:
                del self.stack[k:]
                break

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        bold, italic, _ = self._state()
        self.pieces.append((data, bold, italic))


def extract_html(data: bytes) -> list[Page]:
    """One page of Lines from HTML bytes (a web page or a Word document saved as .htm/.doc).

    Examples:
        >>> pages = extract_html("<p align=center><b>THÔNG BÁO</b></p><p>Kết luận</p>".encode())
        >>> [(ln.text, ln.bold, ln.centered) for ln in pages[0].lines]
        [('THÔNG BÁO', True, True), ('Kết luận', False, False)]
    """
    text, encoding = decode_text(data)
    declared = _CHARSET.search(data[:4096])
    if declared and encoding in ("latin-1", "utf-8"):
        name = declared.group(1).decode("ascii", "replace").lower()
        try:
            text = data.decode(name, errors="replace")
        except LookupError:
            pass
    parser = _HtmlLines()
    parser.feed(text)
    parser.close()
    parser.flush(paragraph=True)
    return [Page(number=1, lines=parser.lines, source="text")]


_CHARSET = re.compile(
    rb"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.IGNORECASE
)  # <meta charset="windows-1258">
