"""Extract stage, plain text: bytes of a .txt export -> one `records.Page` per form-feed page.

Decodes the bytes (BOM, UTF-16, UTF-8, else 8-bit) and turns each text line into a Line,
reading the Markdown emphasis exported text often carries (`text.markup`); HTML (a .doc saved as a web page)
is read here too, block tags ending lines. Never normalizes Unicode or
converts legacy TCVN3/VNI text (normalize does).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser

from .. import errors
from ..records import Line, Page
from ..text.legacy import detect_legacy, legacy_to_unicode
from ..text.markup import strip_markdown
from ..text.orthography import is_syllable

_BLANK = re.compile(r"^[\s\u00a0\u200b\ufeff]*$")
# BOMs, longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# A surrogate pair written as two 3-byte sequences (CESU-8, Java's modified UTF-8): "😀" as ED A0 BD ED B8 80.
CESU_PAIR = re.compile(rb"\xed[\xa0-\xaf][\x80-\xbf]\xed[\xb0-\xbf][\x80-\xbf]")
WORD = re.compile(r"[^\W\d_]+")  # "Kết" in "Kết luận"
ESCAPED = re.compile(r"[\udc80-\udcff]")  # a byte UTF-8 could not decode, kept by surrogateescape
ESCAPED_RUN = re.compile(r"[\udc80-\udcff]+")
MAX_BAD_SHARE = 0.01  # UTF-8 text with at most 1% bad bytes (or MIN_BAD_BYTES) is read with a warning
MIN_BAD_BYTES = 8


@dataclass
class Decoded:
    """Text decoded from bytes, the encoding chosen, and how many bad bytes were replaced."""

    text: str
    encoding: str
    replaced: int = 0  # bytes that were not valid UTF-8, replaced by U+FFFD


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode the bytes of a text file and name the encoding used (see `decode_bytes`).

    Examples:
        >>> decode_text("Kết luận".encode("utf-16"))
        ('Kết luận', 'utf-16')
        >>> decode_text("Kết luận".encode("utf-8"))
        ('Kết luận', 'utf-8')
    """
    decoded = decode_bytes(data)
    return decoded.text, decoded.encoding


def decode_bytes(data: bytes) -> Decoded:
    """Decode a text file's bytes, choosing the encoding by the share of Vietnamese syllables.

    Order: a BOM (UTF-8, UTF-32, UTF-16), UTF-32/UTF-16 without a BOM (their NUL-byte pattern),
    valid UTF-8 (CESU-8 surrogate pairs repaired). Otherwise the candidates are UTF-8 with at
    most `MAX_BAD_SHARE` of its bytes invalid (replaced by U+FFFD, counted in `replaced`), Windows-1258
    (its combining tone marks composed, NFC) and 8-bit text as latin-1, which keeps TCVN3
    ("Th«ng b¸o") or VNI bytes recoverable for normalize; the one whose words (legacy text
    converted for the count) are most often valid Vietnamese syllables wins.

    Examples:
        >>> decode_bytes("Kết luận".encode("utf-8") + b"\\xff").encoding
        'utf-8'
        >>> decode_bytes(b"K\\xea\\xect lu\\xe2\\xf2n cu\\xd2a Chu\\xd2 ti\\xf2ch").text
        'Kết luận của Chủ tịch'
        >>> decode_bytes(b"Th\\xabng b\\xb8o k\\xd5t lu\\xcbn").encoding
        'latin-1'
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            if encoding == "utf-8":
                return _utf8(data[len(bom) :], "utf-8-sig")
            return Decoded(data.decode(encoding, errors="replace"), encoding)
    sample = data[:4096]
    if sample and sample.count(0) >= len(sample) // 4:
        wide = _wide_encoding(sample)
        if wide:
            return Decoded(data.decode(wide, errors="replace"), wide)
    data = CESU_PAIR.sub(_cesu_pair, data) if b"\xed" in data else data
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    candidates = []
    utf8 = _utf8(data, "utf-8")
    if utf8.replaced <= max(MIN_BAD_BYTES, MAX_BAD_SHARE * len(data)):
        candidates.append((syllable_share(utf8.text), 2, utf8))
    cp1258 = unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))
    candidates.append((syllable_share(cp1258), 1, Decoded(cp1258, "cp1258")))
    latin = data.decode("latin-1")
    legacy = detect_legacy(latin[:65536])
    share = syllable_share(legacy_to_unicode(latin, legacy) if legacy else latin)
    candidates.append((share, 0, Decoded(latin, "latin-1")))
    # equal shares (text that is not Vietnamese): the reading that loses nothing
    return max(candidates, key=lambda c: (round(c[0], 3), c[2].replaced == 0, c[1]))[2]


def syllable_share(text: str) -> float:
    """The share of the words of a text (up to 5,000) that are Vietnamese syllables.

    Examples:
        >>> syllable_share("Kết luận của Chủ tịch UBND tỉnh Thái Nguyên ngày 15/3")
        0.9
    """
    words = WORD.findall(text[:200_000])[:5000]
    if not words:
        return 0.0
    return sum(1 for w in words if is_syllable(w)) / len(words)


def _utf8(data: bytes, name: str) -> Decoded:
    """UTF-8 with each run of invalid bytes replaced by one U+FFFD; `replaced` counts the bytes."""
    text = data.decode("utf-8", errors="surrogateescape")
    bad = len(ESCAPED.findall(text))
    return Decoded(ESCAPED_RUN.sub("\ufffd", text) if bad else text, name, bad)


def _wide_encoding(sample: bytes) -> str:
    """UTF-32 or UTF-16 (LE/BE) told by where the NUL bytes of ASCII-range text fall, or ""."""
    quads = [sample[i::4].count(0) for i in range(4)]
    n = len(sample) // 4 or 1
    if quads[2] >= 0.9 * n and quads[3] >= 0.9 * n:
        return "utf-32-le"
    if quads[0] >= 0.9 * n and quads[1] >= 0.9 * n:
        return "utf-32-be"
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    return "utf-16-le" if odd_nuls >= even_nuls else "utf-16-be"


def _cesu_pair(m: re.Match[bytes]) -> bytes:
    """A CESU-8 surrogate pair (6 bytes) as the 4-byte UTF-8 of its character."""
    pair = m.group(0).decode("utf-8", errors="surrogatepass")
    return pair.encode("utf-16-le", errors="surrogatepass").decode("utf-16-le").encode("utf-8")


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
    """Pages of a plain-text file's bytes (see `decode_bytes` and `text_to_pages`).

    UTF-8 text with a few invalid bytes is read with them replaced; the first page's `error`
    says how many, so the document is `partial` with the reason.

    Examples:
        >>> pages = extract_txt("Kết luận".encode() + b"\\xff")
        >>> pages[0].lines[0].text, pages[0].error
        ('Kết luận\ufffd', 'corrupt_file: 1 byte that is not valid UTF-8 was replaced by U+FFFD')
    """
    decoded = decode_bytes(data)
    pages = text_to_pages(decoded.text)
    if decoded.replaced and pages:
        n = decoded.replaced
        what = "1 byte that is not valid UTF-8 was" if n == 1 else f"{n} bytes that are not valid UTF-8 were"
        pages[0].error = errors.message("corrupt_file", f"{what} replaced by U+FFFD")
    return pages


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
