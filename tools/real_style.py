"""Real-style test documents (data/real_style/): specs -> transcription + gold, and the files themselves.

    python -m tools.real_style build              # specs -> text/<stem>.txt and gold/<stem>.json, both halves
    python -m tools.real_style check              # gold as a prediction, scored by shared/tools/score.py: 1.000
    python -m tools.real_style --out DIR          # render every document as manifest.json says:
                                                  #   DIR/<half>/<stem>.docx | .pdf | .scan.pdf
    python -m tools.real_style render --out DIR --half report --stems yenbai_ubnd_qd_2025_quyetdinh_hotro_nhao

A spec is the document in reading order with directives (@parent, @issuer, @number, @subject, @place,
@title, @field, @body, @recipients, @signer) and, in front of every body paragraph, its item tag
("[r]", "[l;]", "[t:]", "[o]", "[-]"; "= " marks a heading); see data/real_style/README.md.
Renderings imitate real archives: Word drafts (python-docx, two-column header table, blank number
and day), text PDFs (reportlab, DejaVu or Liberation Serif, an e-signature box on page 1) and office
scans (200-300 dpi, skew, noise, a red round seal over the signer's title, the number and the day
written by hand in blue ink over a printed blank, optionally an e-signature or an old garbled OCR
text layer). Nothing here imports or calls the pipeline.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import re
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from tools import corpus_extra
from tools.paths import SHARED_OR_DEFAULT

REPO = Path(__file__).resolve().parents[1]
ROOT = REPO / "data" / "real_style"
HALVES = ("tune", "report")  # the default; any folder of ROOT with a manifest.json is a half (--half)
SCORER = SHARED_OR_DEFAULT / "tools" / "score.py"
SUFFIX = {"docx": ".docx", "pdf": ".pdf", "scan": ".scan.pdf"}
FONTS = {  # family -> (folder, base name, file suffixes regular/bold/italic/bold-italic)
    "dejavu": ("/usr/share/fonts/truetype/dejavu", "DejaVuSerif", ("", "-Bold", "-Italic", "-BoldItalic")),
    "liberation": ("/usr/share/fonts/truetype/liberation2", "LiberationSerif",
                   ("-Regular", "-Bold", "-Italic", "-BoldItalic")),
}  # fmt: skip
SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
SANS_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
PARTY_MOTTO = ("ĐẢNG CỘNG SẢN VIỆT NAM",)  # Hướng dẫn 36-HD/VPTW: a Party body's header, "*" under its name
PARTY_NUMBER = re.compile(
    r"^Số\s+[\d.…_ ]*-\s*[A-ZĐ]+/"
)  # "Số 45-KL/ĐU", "Số    -TB/TU" (no colon, "-" before the type)
FIELD_ORDER = ("issuer", "issuer_parent", "doc_number", "doc_type", "title", "place", "issue_date",
               "period_kind", "period_start", "period_end", "period_label", "meeting_date",
               "meeting_location", "chair", "signer_title", "signer_name", "recipients", "is_conclusion")  # fmt: skip
CATEGORY = {"r": "result", "l": "limitation", "c": "cause", "t": "task", "o": "other"}

TAG = re.compile(r"^\[(?P<cat>[rlcto\-])(?P<mod>[;:]?)\]\s*(?P<text>.+)$")  # "[l;] Còn hạn chế: A; B."
MARKER = re.compile(
    r"^(?:[-+•]\s+|[a-zđ]\)\s+|\d+(?:\.\d+)*\.\s+|\d+\)\s+|[IVX]+\.\s+|Điều\s+\d+\.\s+)"
)  # "- ", "+ ", "a) ", "đ) ", "1. ", "II. ", "Điều 1. "
PLACE_DATE = re.compile(
    r"^(?P<place>[^,]+),\s*ngày\s*(?P<d>\d{1,2})?[\s.…_]*tháng\s*(?P<m>\d{1,2})?[\s.…_]*năm\s*(?P<y>\d{4})?\s*$"
)  # "Kon Tum, ngày 06 tháng 10 năm 2023", "Hà Tĩnh, ngày    tháng 4 năm 2026"
NUMBER = re.compile(r"^Số\s*:?\s*(?P<num>.*)$")  # "Số: 214/TB-UBND", "Số: .../TB-UBND", "Số:      /PT-VP"
PLACEHOLDER = re.compile(r"^[.…_\-]+")  # the "..." of "Số: .../TB-UBND" holds a number's place


# ---------------------------------------------------------------- specs


@dataclass
class Spec:
    """One document as its spec file gives it (text as printed, NFC)."""

    stem: str
    parent: list[str] = field(default_factory=list)
    issuer: list[str] = field(default_factory=list)
    number: str = ""
    subject: list[str] = field(default_factory=list)  # a letter's "V/v ..." under its number
    place: str = ""
    title: list[str] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)
    body: list[tuple[str, str, str]] = field(default_factory=list)  # (kind "h"|"p", tag, text)
    recipients: list[str] = field(default_factory=list)
    signer: list[str] = field(default_factory=list)

    @property
    def party(self) -> bool:
        """A Party body's document (its number "Số 45-KL/ĐU"): "ĐẢNG CỘNG SẢN VIỆT NAM" and a "*" line."""
        return PARTY_NUMBER.match(self.number) is not None

    @property
    def motto(self) -> tuple[str, ...]:
        """The lines of the header's right column above the place and date."""
        return PARTY_MOTTO if self.party else MOTTO

    @property
    def signer_titles(self) -> list[str]:
        """Uppercase title lines of the signature block ("TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG")."""
        return [s for s in self.signer if _is_upper(s)]

    @property
    def signer_name(self) -> str:
        """The printed name under the signature, or ""."""
        return self.signer[-1] if self.signer and not _is_upper(self.signer[-1]) else ""


def _is_upper(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def parse_spec(text: str, stem: str) -> Spec:
    """Read one spec file (format: data/real_style/README.md)."""
    spec = Spec(stem=stem)
    part = "head"
    for raw in unicodedata.normalize("NFC", text).splitlines():
        line = raw.rstrip()
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("@"):
            key, _, value = line[1:].partition(" ")
            value = value.strip()
            if key in ("body", "recipients", "signer"):
                part = key
            elif key == "field":
                name, _, v = value.partition(":")
                v = v.strip()
                spec.fields[name.strip()] = {"true": True, "false": False}.get(v, v)
            elif key in ("parent", "issuer", "title", "subject"):
                getattr(spec, key).append(value)
            elif key == "number":
                spec.number = value
            elif key == "place":
                spec.place = line[len("@place ") :].strip()  # keep the blank of "ngày    tháng"
            else:
                raise ValueError(f"{stem}: unknown directive @{key}")
            continue
        s = line.strip()
        if part == "recipients":
            spec.recipients.append(s)
        elif part == "signer":
            spec.signer.append(s)
        elif part == "body":
            if s.startswith("= "):
                spec.body.append(("h", "", s[2:].strip()))
                continue
            m = TAG.match(s)
            if m:
                spec.body.append(("p", m.group("cat") + m.group("mod"), m.group("text").strip()))
            else:
                spec.body.append(("p", "", s))
        else:
            raise ValueError(f"{stem}: text outside a part: {line!r}")
    return spec


def load_specs(half: str) -> list[Spec]:
    """Every spec of one half, sorted by stem."""
    folder = ROOT / half / "specs"
    return [parse_spec(p.read_text(encoding="utf-8"), p.stem) for p in sorted(folder.glob("*.txt"))]


def load_manifest(half: str) -> dict[str, dict[str, Any]]:
    """stem -> rendering entry of data/real_style/<half>/manifest.json."""
    data = json.loads((ROOT / half / "manifest.json").read_text(encoding="utf-8"))
    return {d["stem"]: d for d in data["documents"]}


# ---------------------------------------------------------------- gold (ANNOTATION.md)


def paragraph_items(tag: str, text: str) -> list[dict[str, Any]]:
    """Gold items of one tagged paragraph, cut as the extra corpus's (ANNOTATION.md rules 1-4),
    with this corpus's bullet marks ("Điều 1. " too).

    Examples:
        >>> [i["text"] for i in paragraph_items("l;", "Còn hạn chế: thu thấp; hồ sơ chậm.")]
        ['thu thấp', 'hồ sơ chậm.']
        >>> paragraph_items("t:", "+ Sở Tài chính: Tham mưu bố trí kinh phí.")[0]["topic"]
        'Sở Tài chính'
    """
    return corpus_extra.paragraph_items(tag, text, marker=MARKER) if tag else []


def derived_fields(spec: Spec) -> dict[str, Any]:
    """Header and signer fields read off the spec as printed (ANNOTATION.md field table + Real archives)."""
    f: dict[str, Any] = {"issuer": " ".join(spec.issuer), "issuer_parent": " ".join(spec.parent)}
    m = NUMBER.match(spec.number)
    f["doc_number"] = PLACEHOLDER.sub("", re.sub(r"\s+", "", m.group("num"))) if m else ""
    f["place"], f["issue_date"] = "", ""
    pd = PLACE_DATE.match(spec.place)
    if pd:
        f["place"] = pd.group("place").strip()
        if pd.group("d") and pd.group("m") and pd.group("y"):
            f["issue_date"] = f"{int(pd.group('y')):04d}-{int(pd.group('m')):02d}-{int(pd.group('d')):02d}"
    if spec.title:
        t = spec.title[0]
        f["doc_type"] = t[:1] + t[1:].lower()
        f["title"] = " ".join(spec.title[1:])
    else:  # a letter (công văn): no type word, its "V/v ..." is the excerpt
        f["doc_type"] = ""
        f["title"] = " ".join(spec.subject)
    f["recipients"] = "; ".join(
        re.sub(r"[\s;,.]+$", "", MARKER.sub("", r))
        for r in spec.recipients
        if not r.lower().startswith("nơi nhận")
    )
    f["signer_title"] = " / ".join(spec.signer_titles)
    f["signer_name"] = spec.signer_name
    return f


def compile_gold(spec: Spec) -> dict[str, Any]:
    """Gold JSON of a spec: derived fields, then the spec's @field lines, and its items."""
    fields = derived_fields(spec)
    fields.update(spec.fields)
    missing = [k for k in FIELD_ORDER if k not in fields]
    if missing:
        raise ValueError(f"{spec.stem}: gold fields missing: {', '.join(missing)}")
    items: list[dict[str, str]] = []
    for kind, tag, text in spec.body:
        if kind != "p":
            continue
        if fields["is_conclusion"] and not tag:
            raise ValueError(f"{spec.stem}: untagged paragraph in a conclusion: {text[:60]!r}")
        items += paragraph_items(tag, text)
    if not fields["is_conclusion"] and any(i["category"] != "other" for i in items):
        raise ValueError(f"{spec.stem}: a non-conclusion with result/limitation/cause/task items")
    return {"source": spec.stem, "fields": {k: fields[k] for k in FIELD_ORDER}, "items": items}


def transcription(spec: Spec) -> str:
    """The document's text as a careful reader transcribes it (header, title, body, recipients, signer)."""
    out = [*spec.parent, *spec.issuer, *(["*"] if spec.party else [])]
    out += [spec.number] if spec.number else []
    out += [*spec.subject, *spec.motto]
    out += [spec.place] if spec.place else []
    if spec.title:
        out += ["", *spec.title]
    out.append("")
    out += [text for _, _, text in spec.body]
    if spec.recipients:
        out += ["", *spec.recipients]
    if spec.signer:
        out += ["", *spec.signer]
    return "\n".join(out) + "\n"


def build(halves: tuple[str, ...] = HALVES) -> list[Path]:
    """Write text/<stem>.txt and gold/<stem>.json of every spec; check items against the text."""
    written = []
    for half in halves:
        manifest = load_manifest(half)
        specs = load_specs(half)
        stems = {s.stem for s in specs}
        if stems != set(manifest):
            raise ValueError(f"{half}: specs and manifest differ: {sorted(stems ^ set(manifest))}")
        for spec in specs:
            gold = compile_gold(spec)
            text = transcription(spec)
            flat = re.sub(r"\s+", " ", text)
            for item in gold["items"]:
                if re.sub(r"\s+", " ", item["text"]) not in flat:
                    raise ValueError(f"{spec.stem}: item not in the text: {item['text'][:60]!r}")
            for sub, content in (
                ("text", text),
                ("gold", json.dumps(gold, ensure_ascii=False, indent=1) + "\n"),
            ):
                path = ROOT / half / sub / f"{spec.stem}.{'txt' if sub == 'text' else 'json'}"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(content, encoding="utf-8")
                written.append(path)
    return written


def check(halves: tuple[str, ...] = HALVES) -> int:
    """Score each half's gold, written as the pipeline's tables, against itself with score.py."""
    status = 0
    for half in halves:
        golds = [
            json.loads(p.read_text(encoding="utf-8")) for p in sorted((ROOT / half / "gold").glob("*.json"))
        ]
        with tempfile.TemporaryDirectory() as tmp:
            with open(Path(tmp) / "documents.csv", "w", encoding="utf-8-sig", newline="") as f:
                w = csv.DictWriter(f, fieldnames=["doc_id", "source_path", *FIELD_ORDER])
                w.writeheader()
                for g in golds:
                    row = {"doc_id": g["source"], "source_path": f"{g['source']}.pdf", **g["fields"]}
                    row["is_conclusion"] = "true" if g["fields"]["is_conclusion"] else "false"
                    w.writerow(row)
            with open(Path(tmp) / "items.csv", "w", encoding="utf-8-sig", newline="") as f:
                w = csv.DictWriter(f, fieldnames=["doc_id", "item_id", "category", "topic", "text"])
                w.writeheader()
                for g in golds:
                    for k, it in enumerate(g["items"]):
                        w.writerow({"doc_id": g["source"], "item_id": f"{g['source']}-{k}", "category": it["category"],
                                    "topic": it["topic"], "text": it["text"]})  # fmt: skip
            res = subprocess.run([sys.executable, str(SCORER), "--pred", tmp, "--gold", str(ROOT / half / "gold")],
                                 capture_output=True, text=True, check=True)  # fmt: skip
        last = res.stdout.strip().splitlines()[-1]
        print(f"{half}: {len(golds)} documents: {last}")
        if "items_f1=1.000 text_f1=1.000 fields=1.000" not in last:
            status = 1
    return status


# ---------------------------------------------------------------- printed text (blanks for handwriting)

NBSP = "\u00a0"


def printed_number(number: str, hand: list[str]) -> str:
    """The "Số:" line as printed before the number is written in: "Số: 45/TB-UBND" -> "Số:      /TB-UBND"."""
    if "number" not in hand:
        return number
    return re.sub(r"^(Số\s*:?)\s*\d*\s*", lambda m: m.group(1) + NBSP * 9, number)


def printed_place(place: str, hand: list[str]) -> str:
    """The place-date line with the handwritten parts left blank ("ngày      tháng 5 năm 2025")."""
    s = place
    if "day" in hand:
        s = re.sub(r"ngày\s*\d*\s*tháng", "ngày" + NBSP * 8 + "tháng", s)
    if "month" in hand:
        s = re.sub(r"tháng\s*\d*\s*năm", "tháng" + NBSP * 7 + "năm", s)
    return s


def hand_values(spec: Spec) -> dict[str, str]:
    """The digits a clerk writes by hand: number, day, month (from the spec's printed values)."""
    out = {}
    m = re.match(r"^Số\s*:?\s*(\d+)", spec.number)
    if m:
        out["number"] = m.group(1)
    pd = PLACE_DATE.match(spec.place)
    if pd:
        out["day"] = pd.group("d") or ""
        out["month"] = pd.group("m") or ""
    return out


# ---------------------------------------------------------------- text PDF (reportlab)


def _register(font: str) -> tuple[str, str, str, str]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder, base, files = FONTS[font]
    names = (base, base + "-Bold", base + "-Italic", base + "-BoldItalic")
    if base not in pdfmetrics.getRegisteredFontNames():
        for name, suffix in zip(names, files, strict=True):
            pdfmetrics.registerFont(TTFont(name, f"{folder}/{base}{suffix}.ttf"))
        pdfmetrics.registerFontFamily(
            base, normal=names[0], bold=names[1], italic=names[2], boldItalic=names[3]
        )
    if "Sans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Sans", SANS))
        pdfmetrics.registerFont(TTFont("Sans-Bold", SANS_BOLD))
    return names[0], names[1], names[2], names[3]


def draw_esign(canvas: Any, esign: dict[str, str], page_w: float, page_h: float) -> None:
    """The signing software's box at the top right of page 1: "Ký bởi / Cơ quan / Thời gian ký"."""
    from reportlab.lib.colors import Color
    from reportlab.lib.units import mm

    lines = [f"Ký bởi: {esign['by']}"]
    if esign.get("email"):
        lines.append(f"Email: {esign['email']}")
    lines += [f"Cơ quan: {esign['org']}", f"Thời gian ký: {esign['time']}"]
    size, lead = 6.8, 8.2
    w = 78 * mm
    h = lead * len(lines) + 5
    x, y = page_w - w - 8 * mm, page_h - 4 * mm - h
    canvas.saveState()
    canvas.setStrokeColor(Color(0.75, 0.1, 0.1))
    canvas.setFillColor(Color(1, 1, 1))
    canvas.setLineWidth(0.8)
    canvas.rect(x, y, w, h, stroke=1, fill=1)
    canvas.setFillColor(Color(0.7, 0.05, 0.05))
    for k, s in enumerate(lines):
        canvas.setFont("Sans-Bold" if k == 0 else "Sans", size)
        canvas.drawString(x + 4, y + h - 3 - lead * (k + 1) + 2, s)
    canvas.restoreState()


def render_pdf(spec: Spec, out: Path, *, font: str = "dejavu", esign: dict[str, str] | None = None,
               hand: list[str] | None = None, size: float = 13.0) -> Path:  # fmt: skip
    """Render a spec as an A4 text PDF in the Nghị định 30/2020/NĐ-CP layout.

    `hand` lists the parts printed blank for a clerk to fill by hand ("number", "day", "month");
    `esign` draws the e-signature box on page 1.
    """
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
    from reportlab.platypus.flowables import HRFlowable

    regular, bold, italic, bold_italic = _register(font)
    hand = hand or []
    out.parent.mkdir(parents=True, exist_ok=True)
    base = ParagraphStyle("base", fontName=regular, fontSize=12, leading=14.5, alignment=TA_CENTER)
    agency_b = ParagraphStyle("ab", parent=base, fontName=bold)
    number_s = ParagraphStyle("num", parent=base, fontSize=12.5, leading=16)
    subject_s = ParagraphStyle("subj", parent=base, fontSize=11.5, leading=13.5)
    motto_s = ParagraphStyle("motto", parent=base, fontName=bold, fontSize=11.8)
    sub_s = ParagraphStyle("sub", parent=motto_s, fontSize=12.5)
    place_s = ParagraphStyle("place", parent=base, fontName=italic, fontSize=12.5, leading=16)
    type_s = ParagraphStyle("type", parent=base, fontName=bold, fontSize=14, leading=18)
    excerpt_s = ParagraphStyle("exc", parent=type_s, fontSize=13.5, leading=17)
    body_s = ParagraphStyle("body", fontName=regular, fontSize=size, leading=size * 1.32, alignment=TA_JUSTIFY,
                            firstLineIndent=10 * mm, spaceAfter=4.5)  # fmt: skip
    head_s = ParagraphStyle("head", parent=body_s, fontName=bold)
    head_c = ParagraphStyle("headc", parent=head_s, alignment=TA_CENTER, firstLineIndent=0)
    rec_head = ParagraphStyle("rh", fontName=bold_italic, fontSize=11.5, leading=14, alignment=TA_LEFT)
    rec_s = ParagraphStyle("rec", fontName=regular, fontSize=10.5, leading=12.5, alignment=TA_LEFT)
    sig_s = ParagraphStyle("sig", parent=base, fontName=bold, fontSize=12.5, leading=15.5)

    def p(text: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(escape(text), style)

    def fit(text: str, style: ParagraphStyle, width: float) -> Paragraph:
        """A header line kept on one line: the font shrinks (down to 10 pt) when it is too long."""
        from reportlab.pdfbase.pdfmetrics import stringWidth

        natural = stringWidth(text, style.fontName, style.fontSize)
        if natural <= width * 0.98:
            return p(text, style)
        pt = max(10.0, style.fontSize * width * 0.98 / natural)
        return p(text, ParagraphStyle(f"{style.name}-fit", parent=style, fontSize=pt, leading=pt * 1.22))

    def rule(width: float) -> HRFlowable:
        return HRFlowable(
            width=width, thickness=0.6, color="black", hAlign="CENTER", spaceBefore=1, spaceAfter=3
        )

    left_w, right_w = 72 * mm, 93 * mm
    left: list[Any] = [fit(s, base, left_w) for s in spec.parent] + [
        fit(s, agency_b, left_w) for s in spec.issuer
    ]
    left.append(p("*", agency_b) if spec.party else rule(24 * mm))
    if spec.party:
        right: list[Any] = [fit(PARTY_MOTTO[0], sub_s, right_w), rule(62 * mm)]
    else:
        right = [fit(MOTTO[0], motto_s, right_w), fit(MOTTO[1], sub_s, right_w), rule(52 * mm)]
    low_left: list[Any] = [p(printed_number(spec.number, hand), number_s)] if spec.number else []
    low_left += [p(s, subject_s) for s in spec.subject]
    low_right: list[Any] = [p(printed_place(spec.place, hand), place_s)] if spec.place else []
    header = Table([[left, right], [low_left, low_right]], colWidths=[left_w, right_w])
    header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 1), (-1, 1), 2)]))  # fmt: skip
    story: list[Any] = [header, Spacer(1, 7 * mm)]
    if spec.title:
        story.append(p(spec.title[0], type_s))
        if len(spec.title) > 1:
            story.append(p(" ".join(spec.title[1:]), excerpt_s))
        story += [rule(38 * mm), Spacer(1, 4 * mm)]
    else:
        story.append(Spacer(1, 2 * mm))
    flow: list[Any] = []
    for kind, _, text in spec.body:
        if kind == "h":
            flow.append(p(text, head_c if _is_upper(text) and not MARKER.match(text) else head_s))
        else:
            flow.append(p(text, body_s))
    rec: list[Any] = []
    if spec.recipients:
        rec.append(p(spec.recipients[0], rec_head))
        rec += [p(s, rec_s) for s in spec.recipients[1:]]
    sig: list[Any] = [p(s, sig_s) for s in spec.signer_titles]
    if spec.signer_name:
        sig += [Spacer(1, 25 * mm), p(spec.signer_name, sig_s)]
    tail: list[Any] = []
    if rec or sig:
        end = Table([[rec, sig]], colWidths=[left_w + 8 * mm, right_w - 8 * mm])
        end.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        tail = [Spacer(1, 4 * mm), end]
    story += flow[:-1] + [KeepTogether([*flow[-1:], *tail])]

    def first(canvas: Any, _doc: Any) -> None:
        if esign:
            draw_esign(canvas, esign, A4[0], A4[1])

    def later(canvas: Any, _doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(regular, 12)
        canvas.drawCentredString(A4[0] / 2, A4[1] - 12 * mm, str(canvas.getPageNumber()))
        canvas.restoreState()

    doc = SimpleDocTemplate(str(out), pagesize=A4, leftMargin=30 * mm, rightMargin=15 * mm, topMargin=20 * mm,
                            bottomMargin=20 * mm, title=" ".join(spec.title[1:] or spec.subject),
                            author="ketluan tools/real_style.py", invariant=True)  # fmt: skip
    doc.build(story, onFirstPage=first, onLaterPages=later)
    return out


# ---------------------------------------------------------------- DOCX (python-docx)


def render_docx(spec: Spec, out: Path, *, font: str = "Times New Roman", size: float = 14.0) -> Path:
    """Render a spec as a Word draft: a borderless 2x2 header table (agency | motto, Số | place-date),
    centred bold type line and excerpt, justified body, a recipients | signer table."""
    from docx import Document as DocxDocument
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    out.parent.mkdir(parents=True, exist_ok=True)
    d = DocxDocument()
    sec = d.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.left_margin, sec.right_margin, sec.top_margin, sec.bottom_margin = Cm(3.0), Cm(2.0), Cm(2.0), Cm(2.0)
    normal = d.styles["Normal"]
    normal.font.name = font
    normal.font.size = Pt(size)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), font)
    normal.paragraph_format.space_after = Pt(0)

    def no_borders(table: Any) -> None:
        borders = OxmlElement("w:tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            el = OxmlElement(f"w:{edge}")
            el.set(qn("w:val"), "nil")
            borders.append(el)
        table._tbl.tblPr.append(borders)

    def widths(table: Any, ws: list[Any]) -> None:
        table.autofit = False
        for col, w in zip(table.columns, ws, strict=True):
            col.width = w  # the grid (w:gridCol) that LibreOffice and Word lay out from
        for row in table.rows:
            for cell, w in zip(row.cells, ws, strict=True):
                cell.width = w

    def add(cell: Any, text: str, *, bold: bool = False, italic: bool = False, pt: float = 13,
            align: Any = WD_ALIGN_PARAGRAPH.CENTER) -> Any:  # fmt: skip
        par = cell.paragraphs[0] if cell.paragraphs and not cell.paragraphs[0].runs else cell.add_paragraph()
        par.alignment = align
        run = par.add_run(text)
        run.bold, run.italic, run.font.size = bold, italic, Pt(pt)
        return par

    def rule(cell: Any, indent: float) -> None:
        par = cell.add_paragraph()
        fmt = par.paragraph_format
        fmt.left_indent = fmt.right_indent = Cm(indent)
        ppr = par._p.get_or_add_pPr()
        bdr = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
            bottom.set(qn(k), v)
        bdr.append(bottom)
        ppr.append(bdr)
        par.add_run("").font.size = Pt(2)

    header = d.add_table(rows=2, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    no_borders(header)
    for s in spec.parent:
        add(header.cell(0, 0), s, pt=12.5)
    for s in spec.issuer:
        add(header.cell(0, 0), s, bold=True, pt=12.5)
    if spec.party:
        add(header.cell(0, 0), "*", bold=True, pt=12.5)
        add(header.cell(0, 1), PARTY_MOTTO[0], bold=True, pt=13)
    else:
        rule(header.cell(0, 0), 2.0)
        add(header.cell(0, 1), MOTTO[0], bold=True, pt=12)
        add(header.cell(0, 1), MOTTO[1], bold=True, pt=13)
    rule(header.cell(0, 1), 2.6)
    if spec.number:
        add(header.cell(1, 0), spec.number, pt=13)
    for s in spec.subject:
        add(header.cell(1, 0), s, pt=12)
    if spec.place:
        add(header.cell(1, 1), spec.place, italic=True, pt=13)
    widths(header, [Cm(6.2), Cm(9.8)])
    d.add_paragraph()
    for s in spec.title:
        par = d.add_paragraph()
        par.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = par.add_run(s)
        run.bold, run.font.size = True, Pt(14)
    d.add_paragraph()
    for kind, _, text in spec.body:
        par = d.add_paragraph()
        par.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        fmt = par.paragraph_format
        fmt.first_line_indent, fmt.space_after, fmt.line_spacing = Cm(1.0), Pt(6), 1.1
        run = par.add_run(text)
        run.font.size = Pt(size)
        if kind == "h":
            run.bold = True
            if _is_upper(text) and not MARKER.match(text):
                par.alignment, fmt.first_line_indent = WD_ALIGN_PARAGRAPH.CENTER, Cm(0)
    if spec.recipients or spec.signer:
        d.add_paragraph()
        end = d.add_table(rows=1, cols=2)
        no_borders(end)
        for k, s in enumerate(spec.recipients):
            add(
                end.cell(0, 0),
                s,
                bold=k == 0,
                italic=k == 0,
                pt=12 if k == 0 else 11,
                align=WD_ALIGN_PARAGRAPH.LEFT,
            )
        for s in spec.signer_titles:
            add(end.cell(0, 1), s, bold=True, pt=13)
        if spec.signer_name:
            for _ in range(4):
                end.cell(0, 1).add_paragraph()
            add(end.cell(0, 1), spec.signer_name, bold=True, pt=13)
        widths(end, [Cm(8.0), Cm(8.0)])
        end.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    d.core_properties.title = " ".join(spec.title[1:] or spec.subject)
    d.core_properties.author = "ketluan tools/real_style.py"
    from datetime import datetime

    d.core_properties.created = d.core_properties.modified = datetime(2024, 1, 1)
    d.save(str(out))
    return out


# ---------------------------------------------------------------- scans: handwriting, seal, paper

# digits as pen strokes in a unit box (x right, y down), each a list of polylines
DIGITS: dict[str, list[list[tuple[float, float]]]] = {
    "0": [[(0.5 + 0.42 * math.cos(a), 0.5 + 0.5 * math.sin(a)) for a in [-1.7 + k * 0.42 for k in range(17)]]],
    "1": [[(0.25, 0.28), (0.58, 0.0), (0.52, 1.0)]],
    "2": [[(0.1, 0.28), (0.3, 0.04), (0.62, 0.0), (0.86, 0.2), (0.78, 0.48), (0.1, 1.0), (0.96, 0.96)]],
    "3": [[(0.1, 0.12), (0.45, 0.0), (0.82, 0.16), (0.7, 0.38), (0.4, 0.47), (0.84, 0.62), (0.8, 0.9),
           (0.45, 1.0), (0.06, 0.88)]],
    "4": [[(0.62, 0.0), (0.05, 0.66), (0.98, 0.66)], [(0.72, 0.3), (0.66, 1.0)]],
    "5": [[(0.88, 0.02), (0.25, 0.02), (0.16, 0.46), (0.55, 0.38), (0.88, 0.58), (0.84, 0.86), (0.5, 1.0),
           (0.08, 0.9)]],
    "6": [[(0.8, 0.04), (0.42, 0.12), (0.14, 0.55), (0.2, 0.92), (0.55, 1.0), (0.86, 0.8), (0.7, 0.52),
           (0.36, 0.5), (0.15, 0.65)]],
    "7": [[(0.04, 0.06), (0.96, 0.02), (0.42, 1.0)], [(0.28, 0.52), (0.78, 0.5)]],
    "8": [[(0.5 + 0.4 * math.sin(2 * a), 0.5 - 0.5 * math.cos(a)) for a in [k * 0.2 for k in range(33)]]],
    "9": [[(0.86, 0.3), (0.6, 0.02), (0.22, 0.1), (0.14, 0.38), (0.45, 0.55), (0.84, 0.34), (0.8, 0.1),
           (0.76, 0.6), (0.62, 1.0)]],
}  # fmt: skip
INK_BLUE = (28, 48, 150)


def _chaikin(pts: Any, rounds: int = 2) -> Any:
    import numpy as np

    for _ in range(rounds):
        q = 0.75 * pts[:-1] + 0.25 * pts[1:]
        r = 0.25 * pts[:-1] + 0.75 * pts[1:]
        mid = np.empty((len(q) * 2, 2))
        mid[0::2], mid[1::2] = q, r
        pts = np.vstack([pts[:1], mid, pts[-1:]])
    return pts


def write_by_hand(ink: Any, text: str, box: tuple[float, float, float, float], rng: Any, *,
                  illegible: bool = False) -> None:  # fmt: skip
    """Write digits in blue pen strokes centred in a pixel box (x0, top, x1, bottom) of an ink layer.

    A careful reader reads them; `illegible` scrawls over them until nobody can.
    """
    import cv2
    import numpy as np

    x0, top, x1, bottom = box
    h = (bottom - top) * rng.uniform(1.25, 1.5)
    w = h * 0.58
    gap = h * 0.12
    total = len(text) * w + (len(text) - 1) * gap
    cx = (x0 + x1) / 2 + rng.uniform(-0.08, 0.08) * (x1 - x0)
    base_y = bottom - (bottom - top) * 0.05
    slant = rng.uniform(0.12, 0.28)
    thick = max(2, int(round(h / 14)))
    color = tuple(int(c + rng.integers(-10, 10)) for c in INK_BLUE)
    x = cx - total / 2
    for ch in text:
        for stroke in DIGITS[ch]:
            pts = np.array(stroke, dtype=np.float64)
            pts = pts + rng.normal(0, 0.025, pts.shape)
            pts = _chaikin(pts)
            px = x + (pts[:, 0] + slant * (1 - pts[:, 1])) * w
            py = base_y - h + pts[:, 1] * h
            cv2.polylines(
                ink, [np.stack([px, py], 1).round().astype(np.int32)], False, color, thick, cv2.LINE_AA
            )
        x += w + gap * rng.uniform(0.7, 1.3)
    if illegible:  # a clerk's overwritten, smeared day: loops over loops
        for _ in range(4):
            t = np.linspace(0, 1, 90)
            px = cx - total * 0.7 + t * total * 1.4 + np.cos(t * 40) * w * 0.35
            py = base_y - h / 2 + np.sin(t * rng.uniform(30, 44) + rng.uniform(0, 6)) * h * 0.5
            cv2.polylines(
                ink, [np.stack([px, py], 1).round().astype(np.int32)], False, color, thick, cv2.LINE_AA
            )


def draw_seal(ink: Any, center: tuple[int, int], radius: int, ring_text: str, rng: Any) -> None:
    """A red round office seal: two rings, the agency's name round the ring, a star in the middle."""
    import cv2
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    red = (205, 35, 45)
    cx, cy = center
    cv2.circle(ink, center, radius, red, max(3, radius // 16), cv2.LINE_AA)
    cv2.circle(ink, center, int(radius * 0.7), red, max(2, radius // 34), cv2.LINE_AA)
    star = [(cx + (radius * (0.2 if k % 2 == 0 else 0.08)) * math.sin(k * math.pi / 5),
             cy - (radius * (0.2 if k % 2 == 0 else 0.08)) * math.cos(k * math.pi / 5)) for k in range(10)]  # fmt: skip
    cv2.fillPoly(ink, [np.array(star).round().astype(np.int32)], red, cv2.LINE_AA)
    font = ImageFont.truetype(SANS_BOLD, max(8, int(radius * 0.17)))
    text = f"{ring_text} ★ "
    n = len(text)
    layer = Image.fromarray(ink)
    for k, ch in enumerate(text):
        a = -math.pi / 2 + 2 * math.pi * k / n - math.pi * 0.95
        r = radius * 0.85
        side = int(font.size * 2)
        glyph = Image.new("RGBA", (side, side), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((font.size // 2, font.size // 3), ch, font=font, fill=(*red, 255))
        glyph = glyph.rotate(-math.degrees(a) - 90, resample=Image.Resampling.BICUBIC)
        px, py = int(cx + r * math.cos(a) - glyph.width / 2), int(cy + r * math.sin(a) - glyph.height / 2)
        layer.paste(glyph, (px, py), glyph)
    ink[:] = np.asarray(layer)
    # uneven stamp pad: lighten the seal in patches
    mask = (ink[..., 0] > 150) & (ink[..., 1] < 120)
    patch = cv2.GaussianBlur(rng.random(ink.shape[:2]).astype(np.float32), (0, 0), radius / 12)
    patch = (patch - patch.min()) / (np.ptp(patch) + 1e-6)
    light = mask & (patch > 0.72)
    ink[light] = (ink[light].astype(np.float32) * 0.4 + 255 * 0.6).astype(np.uint8)


def draw_signature(ink: Any, box: tuple[int, int, int, int], rng: Any) -> None:
    """A blue scribbled signature across a box."""
    import cv2
    import numpy as np

    x0, top, x1, bottom = box
    t = np.linspace(0, 1, 80)
    px = x0 + t * (x1 - x0)
    py = (
        (top + bottom) / 2
        + np.sin(t * rng.uniform(14, 22)) * (bottom - top) * 0.35
        + rng.normal(0, 2, t.shape)
    )
    cv2.polylines(ink, [np.stack([px, py], 1).round().astype(np.int32)], False, INK_BLUE, 3, cv2.LINE_AA)
    cv2.line(
        ink, (int(x0), int(bottom)), (int(x1 + 20), int(top + (bottom - top) * 0.7)), INK_BLUE, 2, cv2.LINE_AA
    )


def degrade(img: Any, rng: Any, *, rotate: float, noise: float, blur: float, quality: int, paper: int) -> Any:
    """A clean page made to look scanned: greyish paper, skew, blur, noise, specks, JPEG."""
    import cv2
    import numpy as np

    f = img.astype(np.float32) / 255
    h, w = f.shape[:2]
    tone = paper / 255 * (1 - 0.05 * np.linspace(0, 1, w, dtype=np.float32)[None, :])
    f = (1 - (1 - f) * 0.9) * tone[..., None]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), rotate, 1.0)
    f = cv2.warpAffine(f, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=(paper / 255,) * 3)
    f = cv2.GaussianBlur(f, (0, 0), blur)
    f = f + rng.normal(0, noise / 255, f.shape).astype(np.float32)
    f[rng.random((h, w)) < 0.0003] = 0.25
    out = np.clip(f * 255, 0, 255).astype(np.uint8)
    _, enc = cv2.imencode(".jpg", out[..., ::-1], [cv2.IMWRITE_JPEG_QUALITY, quality])
    decoded = cv2.imdecode(enc, cv2.IMREAD_COLOR)
    if decoded is None:
        raise RuntimeError("JPEG round trip failed")
    return np.asarray(decoded[..., ::-1])


def _words(pdf: Path) -> list[tuple[float, float, list[dict[str, Any]]]]:
    import pdfplumber

    with pdfplumber.open(str(pdf)) as doc:
        return [(pg.width, pg.height, pg.extract_words(keep_blank_chars=False)) for pg in doc.pages]


def _gap_after(
    words: list[dict[str, Any]], first: str, height: float
) -> tuple[float, float, float, float] | None:
    """The blank between a word starting `first` in the header and the next word on its line."""
    for w in words:
        if w["top"] < height * 0.3 and w["text"].startswith(first):
            same = [v for v in words if abs(v["top"] - w["top"]) < 3 and v["x0"] > w["x1"] + 1]
            if same:
                nxt = min(same, key=lambda v: v["x0"])
                return (w["x1"], w["top"], nxt["x0"], w["bottom"])
    return None


def garble(word: str, rng: Any) -> str:
    """A word as an old OCR without Vietnamese read it: accents lost, case flipped, letters confused."""
    s = unicodedata.normalize("NFD", word.replace("đ", "d").replace("Đ", "D"))
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    swap = {"n": "h", "h": "n", "a": "e", "o": "c", "u": "y", "i": "l", "A": "H", "O": "Q"}
    out = []
    for c in s:
        if c in swap and rng.random() < 0.08:
            c = swap[c]
        if c.isalpha() and rng.random() < 0.22:
            c = c.swapcase()
        out.append(c)
    return "".join(out)


def render_scan(spec: Spec, entry: dict[str, Any], out: Path) -> Path:
    """An office scan of the printed document, written on by hand, stamped, signed and degraded."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    rng = np.random.default_rng(entry.get("seed", 0))
    dpi = int(entry.get("dpi", 250))
    hand = list(entry.get("hand", []))
    illegible = set(entry.get("illegible", []))
    values = hand_values(spec)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        printed = render_pdf(spec, Path(tmp) / "printed.pdf", font=entry.get("font", "dejavu"),
                             hand=[h for h in hand], size=float(entry.get("size", 13)))  # fmt: skip
        words = _words(printed)
        pdf = pdfium.PdfDocument(str(printed))
        pages = [np.asarray(pg.render(scale=dpi / 72).to_pil().convert("RGB")).copy() for pg in pdf]
        pdf.close()
    s = dpi / 72
    images = []
    for k, img in enumerate(pages):
        ink = np.full_like(img, 255)
        width, height, ws = words[k]
        if k == 0:
            for part, first in (("number", "Số"), ("day", "ngày"), ("month", "tháng")):
                if part not in hand:
                    continue
                gap = _gap_after(ws, first, height)
                if gap is None:
                    raise RuntimeError(f"{spec.stem}: no printed blank for the {part}")
                digits = values.get(part) or "".join(rng.choice(list("0123456789"), 2))
                write_by_hand(ink, digits, tuple(v * s for v in gap), rng, illegible=part in illegible)  # type: ignore[arg-type]
        name = spec.signer_name.split()[-1] if spec.signer_name else ""
        hits = [w for w in ws if name and w["text"] == name and w["x0"] > width * 0.45]
        if hits and entry.get("seal", True):
            nm = hits[-1]
            first_title = spec.signer_titles[0].split()[0] if spec.signer_titles else ""
            tops = [
                w for w in ws if w["text"] == first_title and w["x0"] > width * 0.45 and w["top"] < nm["top"]
            ]
            t_top = max(tops, key=lambda w: w["top"])["top"] if tops else nm["top"] - 90
            block_x0 = min(
                [w["x0"] for w in ws if w["x0"] > width * 0.45 and t_top - 2 <= w["top"] <= nm["bottom"]]
            )
            block_x1 = max(
                [w["x1"] for w in ws if w["x0"] > width * 0.45 and t_top - 2 <= w["top"] <= nm["bottom"]]
            )
            r = int(17.5 / 25.4 * dpi)
            titles_bottom = nm["top"] - 25 / 25.4 * 72 * 0.95
            cx = int((block_x0 + (block_x1 - block_x0) * 0.3) * s)
            cy = int(((t_top + titles_bottom) / 2 + 14) * s)
            draw_signature(ink, (int((block_x0 + 40) * s), int((titles_bottom + 4) * s), int((block_x1 - 20) * s),
                                 int((nm["top"] - 6) * s)), rng)  # fmt: skip
            draw_seal(ink, (cx, cy), r, entry.get("seal_text", " ".join(spec.issuer + spec.parent[-1:])), rng)
        img = (img.astype(np.float32) * ink.astype(np.float32) / 255).astype(np.uint8)
        img = degrade(img, rng, rotate=float(entry.get("skew", 0.7)) * (-1) ** k, noise=5 + k % 2,
                      blur=0.55, quality=int(entry.get("jpeg", 68)), paper=int(entry.get("paper", 234)))  # fmt: skip
        images.append(img)
    layer = entry.get("layer", "none")
    if layer == "none":
        pil = [Image.fromarray(i) for i in images]
        pil[0].save(out, "PDF", resolution=float(dpi), save_all=True, append_images=pil[1:])
        return out
    c = Canvas(str(out), pagesize=A4, invariant=1)
    c.setAuthor("ketluan tools/real_style.py")
    _register(entry.get("font", "dejavu"))
    for k, img in enumerate(images):
        buf = io.BytesIO()
        Image.fromarray(img).save(buf, "JPEG", quality=int(entry.get("jpeg", 68)))
        c.drawImage(ImageReader(io.BytesIO(buf.getvalue())), 0, 0, A4[0], A4[1])
        width, height, ws = words[k]
        if layer == "garbled":  # an old OCR's invisible text, without diacritics
            fx, fy = A4[0] / width, A4[1] / height
            text = c.beginText()
            text.setTextRenderMode(3)
            for w in ws:
                size = max(6.0, (w["bottom"] - w["top"]) * fy * 0.9)
                text.setFont("Sans", size)
                text.setTextOrigin(w["x0"] * fx, A4[1] - w["bottom"] * fy + 1.5)
                text.textOut(garble(w["text"], rng))
            c.drawText(text)
        if layer == "esign" and k == 0 and entry.get("esign"):
            draw_esign(c, entry["esign"], A4[0], A4[1])
        c.showPage()
    c.save()
    return out


# ---------------------------------------------------------------- driver


def render(out: Path, halves: tuple[str, ...] = HALVES, stems: tuple[str, ...] = ()) -> list[Path]:
    """Render every document of the halves as its manifest entry says, into out/<half>/."""
    done = []
    for half in halves:
        manifest = load_manifest(half)
        for spec in load_specs(half):
            if stems and spec.stem not in stems:
                continue
            entry = manifest[spec.stem]
            target = out / half / f"{spec.stem}{SUFFIX[entry['render']]}"
            if entry["render"] == "docx":
                render_docx(
                    spec, target, font=entry.get("font", "Times New Roman"), size=float(entry.get("size", 14))
                )
            elif entry["render"] == "pdf":
                render_pdf(spec, target, font=entry.get("font", "dejavu"), esign=entry.get("esign"),
                           size=float(entry.get("size", 13)))  # fmt: skip
            else:
                render_scan(spec, entry, target)
            done.append(target)
    return done


def main(argv: list[str] | None = None) -> int:
    """`build`, `check`, or `render` (the default) `--out DIR [--half H] [--stems ...]`."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("command", nargs="?", default="render", choices=("render", "build", "check"))
    ap.add_argument("--out", type=Path, default=Path("/tmp/ketluan-real-style"))
    known = sorted(p.parent.name for p in ROOT.glob("*/manifest.json"))
    ap.add_argument("--half", choices=known, action="append")
    ap.add_argument("--stems", nargs="*", default=[])
    a = ap.parse_args(argv)
    halves = tuple(a.half or HALVES)
    if a.command == "build":
        paths = build(halves)
        print(f"wrote {len(paths)} files under {ROOT}")
        return check(halves)
    if a.command == "check":
        return check(halves)
    for path in render(a.out, halves, tuple(a.stems)):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
