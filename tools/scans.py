"""Realistic scan fixtures for OCR tests and the OCR benchmark (a helper, not a test file).

Renders a corpus document to a text PDF (a small reportlab renderer with DejaVu Serif in the
Nghị định 30 layout; tools/render.py did not exist when this was written), then rasterises it into an image-only PDF that looks like an
office scan (200-300 dpi, small rotation, blur, noise, JPEG artefacts, greyish paper, optional
upside-down pages, a red stamp and a blue signature), or into a JPEG phone photo of one page.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pdfplumber
import pypdfium2 as pdfium
from PIL import Image

from tools.paths import SHARED_OR_DEFAULT

CORPUS = SHARED_OR_DEFAULT / "corpus"
TEXT_DIR = CORPUS / "dev" / "text"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

_MOTTO = re.compile(r"^(CỘNG HÒA|CỘNG HOÀ|Độc lập|ĐẢNG CỘNG SẢN)")  # "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
_DATE_LINE = re.compile(r"ngày\s+\S*\s+tháng\s+\S*\s+năm\s+\d{4}")  # "Quảng Ngãi, ngày 08 tháng 4 năm 2024"
_RECIPIENTS = re.compile(r"^Nơi nhận:?$")  # "Nơi nhận:"
_HEADING = re.compile(r"^([IVX]+\.|[A-Z]\.|PHẦN\s)")  # "I. ĐÁNH GIÁ CHUNG"


def _clean(line: str) -> tuple[str, bool]:
    """Strip Markdown emphasis and hard-break spaces; say whether the line was bold."""
    s = line.rstrip()
    bold = "**" in s
    s = s.replace("***", "").replace("**", "").strip()
    if s.startswith("*") and s.endswith("*") and len(s) > 2:
        s = s[1:-1].strip()
    return s, bold


def parse_source(text: str) -> dict[str, Any]:
    """Cut a corpus text into header columns, title, body, recipients and signer lines."""
    lines = [unicodedata.normalize("NFC", x) for x in text.splitlines()]
    i, header_left, header_right = 0, [], []
    while i < len(lines):
        s, _ = _clean(lines[i])
        i += 1
        if not s:
            continue
        (header_right if _MOTTO.match(s) or _DATE_LINE.search(s) else header_left).append(s)
        if _DATE_LINE.search(s):
            break
    while i < len(lines) and not _clean(lines[i])[0]:
        i += 1
    title = []
    while i < len(lines) and _clean(lines[i])[0]:
        title.append(_clean(lines[i])[0])
        i += 1
    body: list[tuple[str, bool]] = []
    while i < len(lines) and not _RECIPIENTS.match(_clean(lines[i])[0]):
        s, bold = _clean(lines[i])
        if s:
            body.append((s, bold or bool(_HEADING.match(s))))
        i += 1
    recipients, signer = [], []
    if i < len(lines):
        recipients.append(_clean(lines[i])[0])
        i += 1
    while i < len(lines):
        s, _ = _clean(lines[i])
        i += 1
        if not s:
            continue
        if not signer and s[0] in "-(":
            recipients.append(s)
        else:
            signer.append(s)
    return {"header_left": header_left, "header_right": header_right, "title": title,
            "body": body, "recipients": recipients, "signer": signer}  # fmt: skip


def source_text(parts: dict[str, Any]) -> str:
    """The text a perfect OCR of the rendered PDF would read, in reading order."""
    out = [*parts["header_left"], *parts["header_right"], *parts["title"]]
    out += [s for s, _ in parts["body"]]
    out += [*parts["recipients"], *parts["signer"]]
    return "\n".join(out)


def _fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "Serif" in pdfmetrics.getRegisteredFontNames():
        return
    for name, file in [("Serif", "DejaVuSerif.ttf"), ("Serif-Bold", "DejaVuSerif-Bold.ttf"),
                       ("Serif-Italic", "DejaVuSerif-Italic.ttf"), ("Serif-BoldItalic", "DejaVuSerif-BoldItalic.ttf")]:  # fmt: skip
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    pdfmetrics.registerFontFamily("Serif", normal="Serif", bold="Serif-Bold", italic="Serif-Italic",
                                  boldItalic="Serif-BoldItalic")  # fmt: skip


def render_text_pdf(text: str, out: Path) -> Path:
    """Render a corpus text as an A4 text PDF in the Nghị định 30 layout (DejaVu Serif)."""
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    _fonts()
    parts = parse_source(text)
    esc = lambda s: s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")  # noqa: E731
    center = ParagraphStyle("c", fontName="Serif", fontSize=10.5, leading=13.5, alignment=TA_CENTER)
    center_b = ParagraphStyle("cb", parent=center, fontName="Serif-Bold")
    title_s = ParagraphStyle("t", parent=center_b, fontSize=14, leading=18)
    body_s = ParagraphStyle("b", fontName="Serif", fontSize=13, leading=18, alignment=TA_JUSTIFY,
                            firstLineIndent=10 * mm, spaceAfter=4)  # fmt: skip
    head_s = ParagraphStyle("h", parent=body_s, fontName="Serif-Bold")
    small = ParagraphStyle("s", fontName="Serif", fontSize=10.5, leading=13, alignment=TA_LEFT)
    small_b = ParagraphStyle("sb", parent=small, fontName="Serif-BoldItalic", fontSize=11.5)

    def col(lines: list[str], right: bool) -> list[Paragraph]:
        # Nghị định 30: the governing body in regular capitals, the issuer (the last capitals
        # line before "Số") in bold; the motto and the signer's title in bold.
        caps = [k for k, s in enumerate(lines) if s.isupper() and not s.startswith("Số")]
        out = []
        for k, s in enumerate(lines):
            if _DATE_LINE.search(s):
                out.append(Paragraph(f"<i>{esc(s)}</i>", center))
            elif s.startswith("Số") or s == "*":
                out.append(Paragraph(esc(s), center))
            else:
                bold = right or (bool(caps) and k >= caps[-1] - (1 if len(caps) > 2 else 0))
                out.append(Paragraph(esc(s), center_b if bold else center))
        return out

    story: list[Any] = []
    header = Table([[col(parts["header_left"], False), col(parts["header_right"], True)]],
                   colWidths=[64 * mm, 101 * mm])  # fmt: skip
    header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story += [header, Spacer(1, 8 * mm)]
    for k, s in enumerate(parts["title"]):
        story.append(Paragraph(esc(s), title_s if k == 0 else center_b))
    story.append(Spacer(1, 6 * mm))
    for s, bold in parts["body"]:
        story.append(Paragraph(esc(s), head_s if bold else body_s))
    rec = [Paragraph(esc(s), small_b if k == 0 else small) for k, s in enumerate(parts["recipients"])]
    sig = col(parts["signer"][:-1], True) + [Spacer(1, 22 * mm)]
    if parts["signer"]:
        sig.append(Paragraph(esc(parts["signer"][-1]), center_b))
    end = Table([[rec, sig]], colWidths=[80 * mm, 85 * mm])
    end.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story += [Spacer(1, 4 * mm), KeepTogether([end])]
    doc = SimpleDocTemplate(str(out), pagesize=A4, leftMargin=30 * mm, rightMargin=15 * mm,
                            topMargin=20 * mm, bottomMargin=20 * mm)  # fmt: skip
    doc.build(story)
    return out


def render_corpus_pdf(stem: str, out: Path, *, shared: bool = False) -> Path:
    """Render corpus document `stem` (e.g. "d01_vp_ubnd_tinh_giao_ban_thang") as a text PDF.

    `shared=True` uses tools/render.py's `render_pdf` (the e2e renderer) instead of this module's.
    """
    text = (TEXT_DIR / f"{stem}.txt").read_text(encoding="utf-8")
    if shared:
        from tools import render  # tests/ is on sys.path under pytest and in bench_ocr.py

        return Path(render.render_pdf(text, out))
    return render_text_pdf(text, out)


def corpus_source_text(stem: str, *, shared: bool = False) -> str:
    """The reference text of a corpus document, in the reading order of its rendered PDF."""
    text = (TEXT_DIR / f"{stem}.txt").read_text(encoding="utf-8")
    if shared:
        from tools import render

        doc = render.parse_source(text)
        parts = [*doc.header_left, *doc.header_right, *doc.title_lines, *(p for p, _ in doc.body_paragraphs),
                 *doc.recipients, *doc.signer_lines]  # fmt: skip
        return "\n".join(parts)
    return source_text(parse_source(text))


def rasterize(pdf: Path, dpi: int) -> list[np.ndarray]:
    """Render every page of a PDF to an RGB uint8 array."""
    doc = pdfium.PdfDocument(str(pdf))
    try:
        return [np.asarray(page.render(scale=dpi / 72).to_pil().convert("RGB")) for page in doc]
    finally:
        doc.close()


def signer_box(pdf: Path, dpi: int) -> tuple[int, int, int, int] | None:
    """Pixel box (x0, top, x1, bottom) of the signer block on the last page, or None."""
    with pdfplumber.open(str(pdf)) as doc:
        page = doc.pages[-1]
        words = [w for w in page.extract_words() if w["x0"] > page.width * 0.5]
    if not words:
        return None
    last = max(w["bottom"] for w in words)
    block = [w for w in words if w["bottom"] > last - 130]
    s = dpi / 72
    return (int(min(w["x0"] for w in block) * s), int(min(w["top"] for w in block) * s),
            int(max(w["x1"] for w in block) * s), int(last * s))  # fmt: skip


def add_stamp(img: np.ndarray, box: tuple[int, int, int, int], rng: np.random.Generator) -> np.ndarray:
    """Draw a red round office stamp and a blue scribbled signature over a signer block."""
    out = img.copy()
    x0, top, x1, bottom = box
    h = bottom - top
    r = int(h * 0.6)
    cx, cy = x0 + int((x1 - x0) * 0.3), top + h // 2
    ink = np.full_like(out, 255)
    red = (200, 30, 40)
    cv2.circle(ink, (cx, cy), r, red, max(3, r // 18), cv2.LINE_AA)
    cv2.circle(ink, (cx, cy), int(r * 0.78), red, max(2, r // 30), cv2.LINE_AA)
    cv2.circle(ink, (cx, cy), int(r * 0.18), red, -1, cv2.LINE_AA)
    for k in range(16):  # letters round the ring, as blobs
        a = 2 * np.pi * k / 16
        px, py = int(cx + 0.89 * r * np.cos(a)), int(cy + 0.89 * r * np.sin(a))
        cv2.ellipse(ink, (px, py), (r // 22, r // 14), np.degrees(a), 0, 360, red, -1)
    pts = []
    sx, sy = x0 + (x1 - x0) * 0.35, top + h * 0.55
    for t in np.linspace(0, 1, 40):
        pts.append((int(sx + t * (x1 - x0) * 0.4), int(sy + np.sin(t * 19) * h * 0.12 + rng.normal(0, 3))))
    cv2.polylines(ink, [np.array(pts, np.int32)], False, (30, 50, 170), max(2, r // 40), cv2.LINE_AA)
    # ink multiplies with the paper: black text under the stamp stays dark
    return (out.astype(np.float32) * ink.astype(np.float32) / 255).astype(np.uint8)


def degrade(img: np.ndarray, rng: np.random.Generator, *, rotate: float, noise: float, blur: float,
            jpeg_quality: int, background: int) -> np.ndarray:  # fmt: skip
    """Make a clean render look scanned: grey paper, rotation, blur, noise, specks, JPEG."""
    f = img.astype(np.float32) / 255
    h, w = f.shape[:2]
    paper = background / 255 * (1 - 0.04 * np.linspace(0, 1, w, dtype=np.float32)[None, :])
    f = 1 - (1 - f) * 0.92  # toner not perfectly black
    f = f * paper[..., None]
    if rotate:
        m = cv2.getRotationMatrix2D((w / 2, h / 2), rotate, 1.0)
        f = cv2.warpAffine(f, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=(background / 255,) * 3)
    if blur:
        f = cv2.GaussianBlur(f, (0, 0), blur)
    f = f + rng.normal(0, noise / 255, f.shape).astype(np.float32)
    specks = rng.random((h, w)) < 0.0004
    f[specks] = 0.2
    out = np.clip(f * 255, 0, 255).astype(np.uint8)
    ok, enc = cv2.imencode(".jpg", out[..., ::-1], [cv2.IMWRITE_JPEG_QUALITY, jpeg_quality])
    return np.asarray(cv2.imdecode(enc, cv2.IMREAD_COLOR)[..., ::-1])


def make_scan(pdf: Path, out: Path, *, dpi: int = 250, rotate: float = 1.0, noise: float = 6.0,
              blur: float = 0.7, jpeg_quality: int = 70, background: int = 232,
              upside_down_pages: Iterable[int] = (), photo: bool = False, stamp: bool = False,
              seed: int = 0, grey: bool = False) -> Path:  # fmt: skip
    """Rasterise a text PDF into an image-only PDF that looks like an office scan.

    Args:
        pdf: the text PDF; out: where to write the scanned PDF.
        dpi: scan resolution; rotate: skew in degrees (alternating sign per page).
        upside_down_pages: 1-based pages turned 180°.
        photo: the last page becomes a phone photo (perspective, uneven light) of the page.
        stamp: a red stamp and a blue signature over the signer block of the last page.
        grey: store greyscale pages (as many office scanners do) instead of colour.
    """
    rng = np.random.default_rng(seed)
    pages = rasterize(pdf, dpi)
    box = signer_box(pdf, dpi) if stamp else None
    upside = set(upside_down_pages)
    images = []
    for k, img in enumerate(pages, start=1):
        if k == len(pages) and box is not None:
            img = add_stamp(img, box, rng)
        if k in upside:
            img = np.ascontiguousarray(img[::-1, ::-1])
        if photo and k == len(pages):
            img = photograph(img, rng)
        else:
            img = degrade(img, rng, rotate=rotate * (-1) ** k, noise=noise, blur=blur,
                          jpeg_quality=jpeg_quality, background=background)  # fmt: skip
        pil = Image.fromarray(img)
        images.append(pil.convert("L") if grey else pil)
    images[0].save(out, "PDF", resolution=float(dpi), save_all=True, append_images=images[1:])
    return out


def photograph(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A phone photo of a page: desk around it, perspective, uneven light, blur, JPEG."""
    h, w = img.shape[:2]
    pad = int(0.08 * w)
    canvas = np.full((h + 2 * pad, w + 2 * pad, 3), (90, 80, 70), np.uint8)
    canvas[pad : pad + h, pad : pad + w] = img
    H, W = canvas.shape[:2]
    src = np.float32([[pad, pad], [pad + w, pad], [pad + w, pad + h], [pad, pad + h]])
    dst = src + rng.uniform(-0.035, 0.035, (4, 2)).astype(np.float32) * np.float32([w, h])
    m = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(canvas, m, (W, H), borderValue=(90, 80, 70)).astype(np.float32)
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    cx, cy = W * rng.uniform(0.2, 0.8), H * rng.uniform(0.1, 0.5)
    light = 1.0 - 0.35 * np.sqrt(((xx - cx) / W) ** 2 + ((yy - cy) / H) ** 2)
    warped = warped * light[..., None] * np.float32([1.0, 0.97, 0.9])  # warm light
    warped = cv2.GaussianBlur(warped, (0, 0), 1.0) + rng.normal(0, 5, warped.shape).astype(np.float32)
    out = np.clip(warped, 0, 255).astype(np.uint8)
    ok, enc = cv2.imencode(".jpg", out[..., ::-1], [cv2.IMWRITE_JPEG_QUALITY, 80])
    return np.asarray(cv2.imdecode(enc, cv2.IMREAD_COLOR)[..., ::-1])


def make_photo(pdf: Path, out: Path, *, page: int = 1, dpi: int = 200, seed: int = 0) -> Path:
    """A JPEG phone photo of one page of a text PDF (no dpi in the file, as phones write)."""
    rng = np.random.default_rng(seed)
    img = photograph(rasterize(pdf, dpi)[page - 1], rng)
    Image.fromarray(img).save(out, "JPEG", quality=85)
    return out


def make_image(pdf: Path, out: Path, *, pages: Iterable[int] = (1,), dpi: int = 200, seed: int = 0,
               rotate: float = 0.8) -> Path:  # fmt: skip
    """A scanned image file of some pages: PNG/JPEG of one page, or a multi-page TIFF by suffix."""
    rng = np.random.default_rng(seed)
    all_pages = rasterize(pdf, dpi)
    images = [Image.fromarray(degrade(all_pages[p - 1], rng, rotate=rotate, noise=5, blur=0.6,
                                      jpeg_quality=80, background=235)).convert("L") for p in pages]  # fmt: skip
    if out.suffix.lower() in (".tif", ".tiff"):
        images[0].save(out, "TIFF", dpi=(dpi, dpi), save_all=True, append_images=images[1:],
                       compression="tiff_deflate")  # fmt: skip
    else:
        images[0].save(out, dpi=(dpi, dpi))
    return out


def image_bytes(img: np.ndarray, fmt: str = "PNG", dpi: int = 200) -> bytes:
    """Encode an array as image file bytes."""
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, fmt, dpi=(dpi, dpi))
    return buf.getvalue()
