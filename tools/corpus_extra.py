"""The extra test corpus (data/corpus/): spec files -> gold JSON, DOCX, LibreOffice PDF, .doc, scans, photos.

    python -m tools.corpus_extra gold                 # data/corpus/specs/*.txt -> data/corpus/gold/*.json
    python -m tools.corpus_extra render --out DIR     # DIR/<kind>/<stem>.<suffix> for every kind

A spec (data/corpus/README.md) is the document written in reading order with a few directives
(@issuer, @number, @title, @body, @table, @recipients, @signer, @appendix, @copy) and, in front of
every body paragraph, the hand annotation of what it is as an item ("[r]", "[l;]", "[t:]" ...).
`compile_gold` turns that annotation into ANNOTATION.md's gold format; `render_docx` lays the
document out as a Word file (python-docx: borderless header/signer tables, ruled task tables,
running header, "Trang x/y" footers); LibreOffice converts it to PDF and .doc; tools/scans.py's
ink and paper models make the scans and phone photos. Nothing here calls the pipeline.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CORPUS = REPO / "data" / "corpus"
SPECS = CORPUS / "specs"
GOLD = CORPUS / "gold"

# kind -> (folder, suffix); suffixes are those of shared/tools/score.py, so stems pair with gold
KINDS: dict[str, str] = {
    "docx": ".docx",
    "lo_pdf": ".lo.pdf",
    "doc": ".doc",
    "scan": ".scan.pdf",
    "photo": ".photo.jpg",
}
DOC_STEMS = ("x03_bhxh_huyen_giao_ban_quy", "x07_tinh_uy_so_ket_6_thang", "x12_ubnd_xa_giao_ban_thang")
# phone photos show page 1 only: they are taken of one-page documents and scored on everything
PHOTO_STEMS = ("x12_ubnd_xa_giao_ban_thang", "n01_giay_moi_so_ket", "n05_cong_van_don_doc")

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
PARTY_MOTTO = "ĐẢNG CỘNG SẢN VIỆT NAM"
TAG = re.compile(r"^\[(?P<cat>[rlcto\-])(?P<mod>[;:]?)\]\s*(?P<text>.+)$")  # "[l;] Còn hạn chế: A; B."
CATEGORY = {"r": "result", "l": "limitation", "c": "cause", "t": "task", "o": "other"}
MARKER = re.compile(
    r"^(?:[-+•]\s+|[a-zđ]\)\s+|\d+(?:\.\d+)*\.\s+|\d+\)\s+|[IVX]+\.\s+|[A-Z]\.\s+)"
)  # "- ", "+ ", "a) ", "1.2. ", "II. "
PLACE_DATE = re.compile(r"^(?P<place>[^,]+),\s*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})$")
NUMBER = re.compile(r"^Số\s*:?\s*(?P<num>.+)$")  # "Số: 1520/TB-CAT-PV01", "Số 125-TB/HU"
DATE_CELL = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")  # "30/11/2023"


@dataclass
class TableSpec:
    """A ruled table: header cells, rows of cells, and each row's gold override (actors, deadline)."""

    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    gold: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Spec:
    """One document of the extra corpus, as its spec file gives it."""

    stem: str
    parent: list[str] = field(default_factory=list)
    issuer: list[str] = field(default_factory=list)
    number: str = ""
    place: str = ""
    party: bool = False
    title: list[str] = field(default_factory=list)
    subject: list[str] = field(default_factory=list)  # a letter's "V/v ..." under its number
    runhead: str = ""
    pages: str = "footer"  # footer ("Trang x/y") | top (Nghị định 30: number at the top from page 2) | none
    fields: dict[str, Any] = field(default_factory=dict)
    body: list[Any] = field(default_factory=list)  # ("p"|"h"|"hi", tag, text) or TableSpec
    recipients: list[str] = field(default_factory=list)
    signer: list[str] = field(default_factory=list)
    appendix: list[Any] = field(default_factory=list)
    copy_left: list[str] = field(default_factory=list)
    copy_right: list[str] = field(default_factory=list)


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def parse_spec(text: str, stem: str) -> Spec:
    """Read a spec file (see data/corpus/README.md for the directives)."""
    spec = Spec(stem=stem)
    part = "head"
    table: TableSpec | None = None
    target: list[Any] = spec.body
    for raw in _nfc(text).splitlines():
        line = raw.rstrip()
        if not line.strip() or line.startswith("#"):
            continue
        if table is not None:
            if line.startswith("|"):
                cells = [c.strip() for c in line.strip().strip("|").split("|")]
                if not table.header:
                    table.header = cells
                else:
                    table.rows.append(cells)
                    table.gold.append({})
                continue
            if line.startswith(">"):
                for kv in line[1:].split("||"):
                    k, _, v = kv.partition(":")
                    table.gold[-1][k.strip()] = v.strip()
                continue
            if line.strip() == "@endtable":
                target.append(table)
                table = None
                continue
            raise ValueError(f"{stem}: unexpected line in a table: {line!r}")
        if line.startswith("@"):
            key, _, value = line[1:].partition(" ")
            value = value.strip()
            if key in ("body", "recipients", "signer", "appendix", "copy"):
                part = key
                target = spec.appendix if key == "appendix" else spec.body
                continue
            if key == "table":
                table = TableSpec(header=[])
                continue
            if key == "field":
                name, _, v = value.partition(":")
                v = v.strip()
                spec.fields[name.strip()] = {"true": True, "false": False}.get(v, v)
                continue
            if key == "party":
                spec.party = True
                continue
            if key in ("parent", "issuer", "title", "subject"):
                getattr(spec, key).append(value)
                continue
            if key in ("number", "place", "runhead", "pages"):
                setattr(spec, key, value)
                continue
            raise ValueError(f"{stem}: unknown directive @{key}")
        if part == "recipients":
            spec.recipients.append(line.strip())
        elif part == "signer":
            spec.signer.append(line.strip())
        elif part == "copy":
            side, _, rest = line.partition(":")
            (spec.copy_left if side.strip() == "L" else spec.copy_right).append(rest.strip())
        elif part in ("body", "appendix"):
            s = line.strip()
            if s.startswith("=~ "):
                target.append(("hi", "", s[3:].strip()))
            elif s.startswith("=. "):
                target.append(("ci", "", s[3:].strip()))
            elif s.startswith("= "):
                target.append(("h", "", s[2:].strip()))
            else:
                m = TAG.match(s)
                if not m:
                    raise ValueError(f"{stem}: body paragraph without an item tag: {s[:60]!r}")
                target.append(("p", m.group("cat") + m.group("mod"), m.group("text").strip()))
        else:
            raise ValueError(f"{stem}: text outside a part: {line!r}")
    return spec


# ---------------------------------------------------------------- gold


def _item_text(s: str, marker: re.Pattern[str] = MARKER) -> str:
    """ANNOTATION.md / corpus README: no bullet mark, no trailing ";" or ",", a final "." kept."""
    s = marker.sub("", s.strip(), count=1)
    return re.sub(r"[\s;,]+$", "", s)


def _iso(text: str) -> str:
    m = DATE_CELL.search(text)
    return f"{int(m.group(3)):04d}-{int(m.group(2)):02d}-{int(m.group(1)):02d}" if m else ""


def _units(cell: str) -> list[str]:
    return [u.strip() for u in cell.split(";") if u.strip()]


def paragraph_items(tag: str, text: str, marker: re.Pattern[str] = MARKER) -> list[dict[str, Any]]:
    """Gold items of one tagged paragraph (ANNOTATION.md rules 1-4); `marker` is the bullet mark dropped.

    Examples:
        >>> [i["text"] for i in paragraph_items("l;", "- Còn một số hạn chế: thu thuế thấp; hồ sơ chậm.")]
        ['thu thuế thấp', 'hồ sơ chậm.']
        >>> paragraph_items("t:", "- Phòng Tham mưu: Tổng hợp báo cáo.")[0]["topic"]
        'Phòng Tham mưu'
    """
    cat, mod = tag[:1], tag[1:]
    if cat == "-":
        return []
    category = CATEGORY[cat]
    body = marker.sub("", text.strip(), count=1)
    if mod == ";":
        _, _, tail = body.partition(":")
        return [
            {"category": category, "topic": "", "text": _item_text(p, marker)}
            for p in tail.split(";")
            if p.strip()
        ]
    if mod == ":":
        head, _, tail = body.partition(":")
        return [{"category": category, "topic": head.strip(), "text": _item_text(tail, marker)}]
    return [{"category": category, "topic": "", "text": _item_text(body, marker)}]


def table_items(table: TableSpec) -> list[dict[str, Any]]:
    """One task per row of a "Danh mục nhiệm vụ" table, with actors and deadline (issue 9)."""
    head = [h.lower() for h in table.header]
    task = next(i for i, h in enumerate(head) if "nội dung" in h or "nhiệm vụ" in h)
    actor_cols = [
        i
        for i, h in enumerate(head)
        if any(w in h for w in ("chủ trì", "phối hợp", "đơn vị", "cơ quan")) and "thời" not in h
    ]
    due = next((i for i, h in enumerate(head) if "thời hạn" in h or "thời gian" in h), -1)
    out = []
    for row, over in zip(table.rows, table.gold, strict=True):
        actors = "; ".join(u for i in actor_cols for u in _units(row[i]))
        deadline = _iso(row[due]) if due >= 0 else ""
        out.append({
            "category": "task", "topic": "", "text": _item_text(row[task]),
            "actors": over.get("actors", actors), "deadline": over.get("deadline", deadline),
        })  # fmt: skip
    return out


def derived_fields(spec: Spec) -> dict[str, Any]:
    """The header and signer fields, read off the spec as the document prints them."""
    f: dict[str, Any] = {
        "issuer": " ".join(spec.issuer),
        "issuer_parent": " ".join(spec.parent),
        "doc_number": "",
    }
    number = NUMBER.match(spec.number)
    if number:
        f["doc_number"] = re.sub(r"\s+", "", number.group("num"))
    m = PLACE_DATE.match(spec.place)
    if m:
        f["place"] = m.group("place").strip()
        f["issue_date"] = f"{int(m.group(4)):04d}-{int(m.group(3)):02d}-{int(m.group(2)):02d}"
    if spec.title:
        t = spec.title[0]
        f["doc_type"] = t[:1] + t[1:].lower()
        f["title"] = " ".join(spec.title[1:])
    elif spec.subject:  # a công văn: no type word, its "V/v" subject is the title (ANNOTATION.md)
        f["doc_type"] = ""
        f["title"] = " ".join(spec.subject)
    f["recipients"] = "; ".join(re.sub(r"[\s;,.]+$", "", MARKER.sub("", r)) for r in spec.recipients
                                if not r.lower().startswith("nơi nhận"))  # fmt: skip
    titles = [s for s in spec.signer if s.isupper()]
    name = spec.signer[-1] if spec.signer and not spec.signer[-1].isupper() else ""
    f["signer_title"] = " / ".join(titles)
    f["signer_name"] = name
    return f


def compile_gold(spec: Spec) -> dict[str, Any]:
    """Gold JSON of a spec: fields (derived, then the spec's own @field lines) and items."""
    fields = derived_fields(spec)
    fields.update(spec.fields)
    order = ("issuer", "issuer_parent", "doc_number", "doc_type", "title", "place", "issue_date",
             "period_kind", "period_start", "period_end", "period_label", "meeting_date",
             "meeting_location", "chair", "signer_title", "signer_name", "recipients", "is_conclusion")  # fmt: skip
    missing = [k for k in order if k not in fields]
    if missing:
        raise ValueError(f"{spec.stem}: gold fields missing: {', '.join(missing)}")
    items: list[dict[str, Any]] = []
    for block in [*spec.body, *spec.appendix]:
        if isinstance(block, TableSpec):
            if fields["is_conclusion"]:  # a plan's task table assigns nothing a meeting concluded
                items += table_items(block)
        elif block[0] == "p":
            items += paragraph_items(block[1], block[2])
    if not fields["is_conclusion"] and any(i["category"] != "other" for i in items):
        raise ValueError(f"{spec.stem}: a non-conclusion with result/limitation/cause/task items")
    return {"source": spec.stem, "fields": {k: fields[k] for k in order}, "items": items}


def load_specs(folder: Path = SPECS) -> list[Spec]:
    """Every spec of the corpus, sorted by stem."""
    return [parse_spec(p.read_text(encoding="utf-8"), p.stem) for p in sorted(folder.glob("*.txt"))]


def write_gold(folder: Path = GOLD) -> list[Path]:
    """Compile every spec's annotation into data/corpus/gold/<stem>.json."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for spec in load_specs():
        path = folder / f"{spec.stem}.json"
        path.write_text(json.dumps(compile_gold(spec), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        out.append(path)
    return out


# ---------------------------------------------------------------- DOCX (python-docx)


def _field_run(paragraph: Any, instr: str) -> None:
    """A PAGE / NUMPAGES field in a paragraph (Word and LibreOffice compute it when laying out)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), ("instr", instr), ("separate", None), ("text", "1"), ("end", None)):
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {text} "
        elif kind == "text":
            el = OxmlElement("w:t")
            el.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        run._r.append(el)


def _rule_paragraph(cell: Any, indent_cm: float = 0) -> None:
    """The short line under the issuer / motto (a bottom border on an empty centred paragraph)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    p = cell.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = p.paragraph_format
    fmt.space_after = Pt(2)
    fmt.left_indent = fmt.right_indent = Cm(indent_cm or 1.8)
    ppr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(k), v)
    bdr.append(bottom)
    ppr.append(bdr)
    run = p.add_run("")
    run.font.size = Pt(2)


def _grid(table: Any) -> None:
    """Single borders on every edge of a table (a ruled data table)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        for k, v in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
            el.set(qn(k), v)
        borders.append(el)
    table._tbl.tblPr.append(borders)


def render_docx(spec: Spec, out: Path) -> Path:
    """Lay a spec out as an A4 Word file in the Nghị định 30/2020/NĐ-CP layout.

    Header and signature are borderless 2-column tables; task tables are ruled with a bold
    "STT" header row; from page 2 a running header and/or page number ("Trang x/y" in the
    footer, or the plain number at the top) are printed; an appendix starts on a new page;
    a "SAO Y BẢN CHÍNH" copy block follows the original under a line.
    """
    from docx import Document as DocxDocument
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    from tools.render import _freeze_zip, _no_borders, _widths

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    d = DocxDocument()
    sec = d.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.left_margin, sec.right_margin = Cm(3.0), Cm(2.0)
    sec.top_margin, sec.bottom_margin = Cm(2.0), Cm(2.0)
    sec.header_distance = sec.footer_distance = Cm(1.0)
    normal = d.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    normal.paragraph_format.space_after = Pt(0)

    # running header and page numbers from page 2 (the first page has its own, empty ones)
    sec.different_first_page_header_footer = True
    if spec.runhead or spec.pages == "top":
        p = sec.header.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if spec.pages == "top":
            _field_run(p, "PAGE")
            if spec.runhead:
                p = sec.header.add_paragraph()
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if spec.runhead:
            r = p.add_run(spec.runhead)
            r.italic, r.font.size = True, Pt(10)
    if spec.pages == "footer":
        for footer in (sec.footer, sec.first_page_footer):
            p = footer.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            for piece in ("Trang ", "PAGE", "/", "NUMPAGES"):
                if piece in ("PAGE", "NUMPAGES"):
                    _field_run(p, piece)
                else:
                    p.add_run(piece)
            for r in p.runs:
                r.font.size = Pt(11)

    def add(container: Any, text: str, *, bold: bool = False, italic: bool = False, size: float = 13,
            align: Any = WD_ALIGN_PARAGRAPH.CENTER) -> Any:  # fmt: skip
        first = container.paragraphs[0] if hasattr(container, "paragraphs") and container.paragraphs else None
        p = first if first is not None and not first.text and not first.runs else container.add_paragraph()
        p.alignment = align
        run = p.add_run(text)
        run.bold, run.italic, run.font.size = bold, italic, Pt(size)
        return p

    # header: agency | motto, number | place-date (Phụ lục I, mục II: ô số 1-4)
    header = d.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(header)
    left, right = header.cell(0, 0), header.cell(0, 1)
    for s in spec.parent:
        add(left, s, size=12)
    for s in spec.issuer:
        add(left, s, bold=True, size=12)
    if spec.party:
        add(left, "*", size=13)
    else:
        _rule_paragraph(left)
    if spec.number:
        add(left, spec.number, size=13)
    for s in spec.subject:
        add(left, s, size=12)
    if spec.party:
        p = add(right, PARTY_MOTTO, bold=True, size=14)
        _rule_paragraph(right, 3)
    else:
        add(right, MOTTO[0], bold=True, size=12)
        add(right, MOTTO[1], bold=True, size=13.5)
        _rule_paragraph(right, 3)
    if spec.party:
        add(right, "", size=8)
    add(right, spec.place, italic=True, size=13.5)
    _widths(header, [Cm(6.6), Cm(9.6)])

    if spec.title:
        d.add_paragraph()
        for s in spec.title:
            p = d.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(s)
            run.bold, run.font.size = True, Pt(14)
        _rule_paragraph(d, 6)
    d.add_paragraph()

    def body(blocks: list[Any]) -> None:
        for block in blocks:
            if isinstance(block, TableSpec):
                table = d.add_table(rows=1 + len(block.rows), cols=len(block.header))
                table.alignment = WD_TABLE_ALIGNMENT.CENTER
                _grid(table)
                widths = {5: [Cm(1.2), Cm(5.8), Cm(3.0), Cm(3.4), Cm(2.7)],
                          4: [Cm(1.2), Cm(7.6), Cm(4.4), Cm(2.8)]}.get(len(block.header))  # fmt: skip
                for j, h in enumerate(block.header):
                    add(table.cell(0, j), h, bold=True, size=12)
                for i, row in enumerate(block.rows, start=1):
                    for j, c in enumerate(row):
                        align = WD_ALIGN_PARAGRAPH.JUSTIFY if j == 1 else WD_ALIGN_PARAGRAPH.CENTER
                        add(table.cell(i, j), c, size=12, align=align)
                # the header row repeats on every page, as Word's "Repeat header row" does
                tr_pr = table.rows[0]._tr.get_or_add_trPr()
                tr_pr.append(OxmlElement("w:tblHeader"))
                if widths:
                    _widths(table, widths)
                d.add_paragraph()
                continue
            kind, _, text = block
            p = d.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            fmt = p.paragraph_format
            fmt.first_line_indent = Cm(1.0)
            fmt.space_after = Pt(6)
            fmt.line_spacing = 1.1
            run = p.add_run(text)
            run.font.size = Pt(14)
            if kind == "ci":
                run.italic = True
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                fmt.first_line_indent = Cm(0)
            if kind in ("h", "hi"):
                run.bold = True
                run.italic = kind == "hi"
                if text.isupper() and not MARKER.match(text):
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                    fmt.first_line_indent = Cm(0)

    body(spec.body)

    d.add_paragraph()
    end = d.add_table(rows=1, cols=2)
    _no_borders(end)
    left, right = end.cell(0, 0), end.cell(0, 1)
    for k, s in enumerate(spec.recipients):
        if k == 0:
            add(left, s, bold=True, italic=True, size=12, align=WD_ALIGN_PARAGRAPH.LEFT)
        else:
            add(left, s, size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    name = spec.signer[-1] if spec.signer and not spec.signer[-1].isupper() else ""
    titles = spec.signer[:-1] if name else spec.signer
    for s in titles:
        if s.startswith("("):
            add(right, s, italic=True, size=13)
        else:
            add(right, s, bold=True, size=13)
    if name:
        for _ in range(4 if any(s.startswith("(") for s in titles) else 5):
            right.add_paragraph()
        add(right, name, bold=True, size=13)
    _widths(end, [Cm(8.0), Cm(8.0)])
    end.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    tail = d.add_paragraph()  # Word always keeps a paragraph after a table; a tiny one
    tail.paragraph_format.space_after = Pt(0)
    tail.paragraph_format.line_spacing = Pt(1)

    if spec.copy_left or spec.copy_right:
        p = d.add_paragraph()
        _rule_paragraph(d, 0.01)
        copy = d.add_table(rows=1, cols=2)
        _no_borders(copy)
        for cell, lines in ((copy.cell(0, 0), spec.copy_left), (copy.cell(0, 1), spec.copy_right)):
            for s in lines:
                if not s:
                    cell.add_paragraph()
                    continue
                is_left = cell is copy.cell(0, 0)
                bold = s.isupper() or (not is_left and not s.startswith("(") and "ngày" not in s)
                italic = "ngày" in s or s.startswith("(") or s.startswith("Nơi nhận")
                align = (
                    WD_ALIGN_PARAGRAPH.LEFT
                    if is_left and s[:1] in "-N" and not s.isupper()
                    else WD_ALIGN_PARAGRAPH.CENTER
                )
                add(cell, s, bold=bold and not s.startswith("-"), italic=italic, size=12, align=align)
        _widths(copy, [Cm(7.0), Cm(9.0)])
        copy.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))

    if spec.appendix:
        p = d.add_paragraph()
        p.add_run().add_break(WD_BREAK.PAGE)
        body(spec.appendix)

    d.core_properties.title = " ".join(spec.title[1:] or spec.subject)
    d.core_properties.author = "ketluan tools/corpus_extra.py"
    d.save(str(out))
    _freeze_zip(out)
    return out


# ---------------------------------------------------------------- LibreOffice, scans, photos


def soffice_convert(files: list[Path], fmt: str, outdir: Path) -> list[Path]:
    """Convert files with LibreOffice headless in a private profile; returns the new files."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) is not installed: run `make system`")
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ketluan-lo-") as tmp:
        cmd = [soffice, "--headless", "--norestore", "--nologo", f"-env:UserInstallation={Path(tmp).as_uri()}",
               "--convert-to", fmt, "--outdir", str(outdir), *map(str, files)]  # fmt: skip
        subprocess.run(cmd, capture_output=True, timeout=60 + 20 * len(files), check=True)
    ext = fmt.split(":")[0]
    made = [outdir / f"{f.stem}.{ext}" for f in files]
    missing = [p for p in made if not p.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice did not write {missing}")
    return made


def signer_name_box(pdf: Path, spec: Spec, dpi: int) -> tuple[int, tuple[int, int, int, int]] | None:
    """(page index, pixel box) of the signature block: the page and place of the signer's name."""
    import pdfplumber

    name = spec.signer[-1] if spec.signer else ""
    last_word = name.split()[-1] if name else ""
    with pdfplumber.open(str(pdf)) as doc:
        for number, page in enumerate(doc.pages):
            words = page.extract_words()
            hits = [w for w in words if w["text"] == last_word and w["x0"] > page.width * 0.45]
            if not hits:
                continue
            w = hits[0]
            s = dpi / 72
            top = max(0.0, w["top"] - 110)
            return number, (
                int((w["x0"] - 120) * s),
                int(top * s),
                int((w["x1"] + 40) * s),
                int(w["bottom"] * s),
            )
    return None


def make_scan(pdf: Path, spec: Spec, out: Path, *, seed: int) -> Path:
    """An office scan of the LibreOffice PDF: red round stamp and blue signature over the signer
    block, 200-300 dpi, a small skew alternating per page, noise, JPEG, greyish paper."""
    import numpy as np
    from PIL import Image

    from tools import scans

    rng = np.random.default_rng(seed)
    dpi = (200, 250, 300)[seed % 3]
    pages = scans.rasterize(pdf, dpi)
    box = signer_name_box(pdf, spec, dpi)
    images = []
    for k, img in enumerate(pages):
        if box is not None and box[0] == k:
            img = scans.add_stamp(img, box[1], rng)
        img = scans.degrade(img, rng, rotate=(0.4 + 0.3 * (seed % 3)) * (-1) ** k, noise=5.0 + seed % 3,
                            blur=0.6, jpeg_quality=72, background=236)  # fmt: skip
        images.append(Image.fromarray(img))
    images[0].save(out, "PDF", resolution=float(dpi), save_all=True, append_images=images[1:])
    return out


def make_photo(pdf: Path, spec: Spec, out: Path, *, seed: int) -> Path:
    """A phone photo (perspective, uneven light, desk around it) of page 1, stamp included."""
    import numpy as np
    from PIL import Image

    from tools import scans

    rng = np.random.default_rng(seed)
    dpi = 200
    img = scans.rasterize(pdf, dpi)[0]
    box = signer_name_box(pdf, spec, dpi)
    if box is not None and box[0] == 0:
        img = scans.add_stamp(img, box[1], rng)
    Image.fromarray(scans.photograph(img, rng)).save(out, "JPEG", quality=85)
    return out


def render_all(
    out: Path, kinds: tuple[str, ...] = tuple(KINDS), stems: tuple[str, ...] = ()
) -> dict[str, list[Path]]:
    """Render the corpus into out/<kind>/<stem><suffix>; returns the files per kind.

    DOCX always (the other kinds are made from it); "lo_pdf" by LibreOffice; "doc" for
    DOC_STEMS; "scan" from the LibreOffice PDF of every document; "photo" for PHOTO_STEMS.
    """
    specs = [s for s in load_specs() if not stems or s.stem in stems]
    done: dict[str, list[Path]] = {k: [] for k in kinds}
    docx_dir = out / "docx"
    docx_files = [render_docx(s, docx_dir / f"{s.stem}.docx") for s in specs]
    if "docx" in done:
        done["docx"] = docx_files
    need_pdf = any(k in kinds for k in ("lo_pdf", "scan", "photo"))
    pdfs: dict[str, Path] = {}
    if need_pdf:
        tmp = out / "_lo"
        made = soffice_convert(docx_files, "pdf", tmp)
        (out / "lo_pdf").mkdir(parents=True, exist_ok=True)
        for spec, pdf in zip(specs, made, strict=True):
            target = out / "lo_pdf" / f"{spec.stem}.lo.pdf"
            os.replace(pdf, target)
            pdfs[spec.stem] = target
        shutil.rmtree(tmp, ignore_errors=True)
        if "lo_pdf" in done:
            done["lo_pdf"] = list(pdfs.values())
    if "doc" in kinds:
        sel = [f for f in docx_files if f.stem in DOC_STEMS]
        if sel:
            done["doc"] = soffice_convert(sel, "doc:MS Word 97", out / "doc")
    if "scan" in kinds:
        (out / "scan").mkdir(parents=True, exist_ok=True)
        for k, spec in enumerate(specs):
            done["scan"].append(
                make_scan(pdfs[spec.stem], spec, out / "scan" / f"{spec.stem}.scan.pdf", seed=k)
            )
    if "photo" in kinds:
        (out / "photo").mkdir(parents=True, exist_ok=True)
        for k, spec in enumerate(specs):
            if spec.stem in PHOTO_STEMS:
                done["photo"].append(
                    make_photo(pdfs[spec.stem], spec, out / "photo" / f"{spec.stem}.photo.jpg", seed=k)
                )
    return done


def main(argv: list[str] | None = None) -> int:
    """`gold` compiles the annotations; `render --out DIR [--kinds ...]` makes the input files."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("gold")
    r = sub.add_parser("render")
    r.add_argument("--out", type=Path, default=Path("/tmp/ketluan-extra/input"))
    r.add_argument("--kinds", nargs="+", default=list(KINDS), choices=list(KINDS))
    r.add_argument("--stems", nargs="*", default=[])
    a = ap.parse_args(argv)
    if a.cmd == "gold":
        for p in write_gold():
            print(p)
        return 0
    done = render_all(a.out, tuple(a.kinds), tuple(a.stems))
    for kind, files in done.items():
        print(f"{kind}: {len(files)} files in {a.out / kind}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
