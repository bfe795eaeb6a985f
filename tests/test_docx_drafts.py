"""Word drafts ("Dự thảo") as Vietnamese offices pass them around for comment, run end to end.

Each test builds a real .docx with python-docx (raw WordprocessingML through lxml where python-docx
has no API): the header in text boxes, a "DỰ THẢO" mark, tracked changes, comments, notes, fields,
header/footer parts, runs split mid-word, invisible characters, symbol bullets, numbered lists and
NFD text; then runs `ketluan.api.process` on it and checks the fields and the items.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.shared import Pt

from ketluan.api import process
from ketluan.extract.docx import extract_docx

# ---------------------------------------------------------------------------------------------
# The conclusion every draft carries
# ---------------------------------------------------------------------------------------------
NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "w10": "urn:schemas-microsoft-com:office:word",
}
XMLNS = " ".join(f'xmlns:{k}="{v}"' for k, v in NS.items())
W = "{" + NS["w"] + "}"

AGENCY = ["ỦY BAN NHÂN DÂN", "HUYỆN KIM SƠN"]
NUMBER = "Số: 45/TB-UBND"
MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
PLACE_DATE = "Kim Sơn, ngày 08 tháng 4 năm 2024"
TYPE_WORD = "THÔNG BÁO"
EXCERPT = "Kết luận của Chủ tịch UBND huyện Kim Sơn tại cuộc họp giao ban tháng 3/2024"

INTRO = [
    "Ngày 02/4/2024, đồng chí Phạm Văn Hùng - Chủ tịch UBND huyện chủ trì cuộc họp giao ban "
    "tháng 3/2024. Tham dự có các đồng chí Phó Chủ tịch UBND huyện, Trưởng các phòng, ban, "
    "đơn vị thuộc UBND huyện.",
    "Sau khi nghe Văn phòng HĐND và UBND huyện báo cáo kết quả thực hiện nhiệm vụ tháng 3/2024 "
    "và ý kiến của các đại biểu dự họp, Chủ tịch UBND huyện kết luận như sau:",
]
RESULTS = [
    "Trong tháng 3/2024, các phòng, ban, đơn vị đã tập trung triển khai nhiệm vụ theo kế hoạch; "
    "thu ngân sách trên địa bàn đạt 28,5 tỷ đồng, bằng 31% dự toán năm.",
    "Công tác tiếp công dân, giải quyết đơn thư được thực hiện đúng quy định, 12/14 đơn đã được "
    "giải quyết dứt điểm.",
]
LIMITATIONS = [
    "Tiến độ giải ngân vốn đầu tư công còn chậm, mới đạt 12% kế hoạch vốn giao.",
    "Một số xã chưa hoàn thành việc rà soát hồ sơ cấp giấy chứng nhận quyền sử dụng đất lần đầu.",
]
TASKS = [
    "Phòng Tài chính - Kế hoạch chủ trì, phối hợp với các chủ đầu tư đẩy nhanh tiến độ giải ngân "
    "vốn đầu tư công, hoàn thành trước ngày 30/4/2024.",
    "Phòng Tài nguyên và Môi trường hướng dẫn các xã hoàn thành rà soát hồ sơ đất đai tồn đọng.",
    "Văn phòng HĐND và UBND huyện theo dõi, đôn đốc việc thực hiện Thông báo này.",
]
HEADINGS = ["I. KẾT QUẢ ĐẠT ĐƯỢC", "II. HẠN CHẾ, TỒN TẠI", "III. NHIỆM VỤ TRỌNG TÂM THÁNG 4/2024"]
CLOSING = (
    "Trên đây là kết luận của Chủ tịch UBND huyện tại cuộc họp giao ban tháng 3/2024, Văn phòng "
    "HĐND và UBND huyện thông báo để các cơ quan, đơn vị biết, thực hiện./."
)
RECIPIENTS = ["Thường trực Huyện ủy;", "Các phòng, ban, đơn vị;", "Lưu: VT."]
SIGNER = ["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"]
SIGNER_NAME = "Nguyễn Thị Lan"

FIELDS = {
    "issuer": "ỦY BAN NHÂN DÂN HUYỆN KIM SƠN",
    "doc_number": "45/TB-UBND",
    "doc_type": "Thông báo",
    "title": EXCERPT,
    "place": "Kim Sơn",
    "issue_date": "2024-04-08",
    "signer_title": "TL. CHỦ TỊCH / CHÁNH VĂN PHÒNG",
    "signer_name": SIGNER_NAME,
    "recipients": "Thường trực Huyện ủy; Các phòng, ban, đơn vị; Lưu: VT",
    "is_conclusion": True,
}
ITEMS = [
    *(("other", t) for t in INTRO),
    *(("result", t) for t in RESULTS),
    *(("limitation", t) for t in LIMITATIONS),
    *(("task", t) for t in TASKS),
    ("other", CLOSING),
]
# Task paragraphs are numbered "1.", "2.", "3." by hand unless a test numbers them automatically.
TASK_MARKS = ["1.", "2.", "3."]


# ---------------------------------------------------------------------------------------------
# Builders
# ---------------------------------------------------------------------------------------------
Para = Callable[[Any, str], Any]  # (document or cell, text) -> the paragraph written


def plain(container: Any, text: str, bold: bool = False, italic: bool = False) -> Any:
    """A paragraph of one run."""
    p = container.add_paragraph()
    run = p.add_run(text)
    run.bold = bold or None
    run.italic = italic or None
    return p


def fill_header(left: Any, right: Any) -> None:
    """The Nghị định 30/2020 header: agency and number left, motto and place-date right."""
    left.paragraphs[0].add_run(AGENCY[0])
    plain(left, AGENCY[1], bold=True)
    plain(left, NUMBER)
    right.paragraphs[0].add_run(MOTTO[0]).bold = True
    plain(right, MOTTO[1], bold=True)
    plain(right, PLACE_DATE, italic=True)


def write_title(d: Any) -> None:
    """Type word and excerpt, centred and bold."""
    for text in (TYPE_WORD, EXCERPT):
        p = plain(d, text, bold=True)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER


def write_body(d: Any, para: Para | None = None, task_marks: list[str] | None = None) -> list[Any]:
    """Intro, the three sections and the closing; returns the task paragraphs."""
    para = para or (lambda c, t: plain(c, t))
    marks = TASK_MARKS if task_marks is None else task_marks
    for t in INTRO:
        para(d, t)
    plain(d, HEADINGS[0], bold=True)
    for t in RESULTS:
        para(d, "- " + t)
    plain(d, HEADINGS[1], bold=True)
    for t in LIMITATIONS:
        para(d, "- " + t)
    plain(d, HEADINGS[2], bold=True)
    tasks = [para(d, f"{m} {t}".strip()) for m, t in zip(marks, TASKS, strict=True)]
    para(d, CLOSING)
    return tasks


def write_signer(d: Any) -> Any:
    """Recipients left, signer right, in a borderless two-column table."""
    t = d.add_table(rows=2, cols=2)
    left, right = t.cell(0, 0), t.cell(0, 1)
    p = left.paragraphs[0]
    p.add_run("Nơi nhận:").bold = True
    for r in RECIPIENTS:
        plain(left, "- " + r)
    right.paragraphs[0].add_run(SIGNER[0]).bold = True
    plain(right, SIGNER[1], bold=True)
    t.cell(1, 1).paragraphs[0].add_run(SIGNER_NAME).bold = True
    return t


def base_document(header: str = "table", para: Para | None = None) -> Any:
    """The whole conclusion; `header` "table" (a two-column table) or "none" (left to the test)."""
    d = docx.Document()
    d.styles["Normal"].font.name = "Times New Roman"
    d.styles["Normal"].font.size = Pt(13)
    if header == "table":
        t = d.add_table(rows=1, cols=2)
        fill_header(t.cell(0, 0), t.cell(0, 1))
    write_title(d)
    write_body(d, para)
    write_signer(d)
    return d


def to_bytes(d: Any) -> bytes:
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def run_pipeline(data: bytes, tmp_path: Path, name: str = "du-thao.docx") -> Any:
    path = tmp_path / name
    path.write_bytes(data)
    doc = process(path)
    assert doc.status == "ok", doc.error
    assert doc.input_kind == "docx"
    return doc


def field_values(doc: Any) -> dict[str, Any]:
    return {k: getattr(doc.fields, k) for k in FIELDS}


def item_pairs(doc: Any) -> list[tuple[str, str]]:
    return [(it.category, it.text) for it in doc.items]


def body_texts(data: bytes) -> list[str]:
    return [ln.text for p in extract_docx(data) for ln in p.lines]


def xml(fragment: str) -> Any:
    """An lxml element from a fragment using the w/mc/wp/a/wps/v prefixes."""
    end = len(re.match(r"\s*<[\w:]+", fragment).group())  # type: ignore[union-attr]
    return parse_xml(fragment[:end] + " " + XMLNS + fragment[end:])


def run_xml(text: str, props: str = "") -> str:
    """A w:r with optional w:rPr children."""
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'


def para_xml(*runs: str, props: str = "") -> str:
    ppr = f"<w:pPr>{props}</w:pPr>" if props else ""
    return f"<w:p>{ppr}{''.join(runs)}</w:p>"


def replace_paragraph(p: Any, fragment: str) -> Any:
    """Put a raw w:p in place of a python-docx paragraph."""
    new = xml(fragment)
    p._p.addnext(new)
    p._p.getparent().remove(p._p)
    return new


def add_part(data: bytes, name: str, content: str, content_type: str, rel_type: str) -> bytes:
    """A new part in the package, related from word/document.xml (footnotes, endnotes)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                body = body.replace(
                    b"</Types>",
                    f'<Override PartName="/word/{name}" ContentType="{content_type}"/></Types>'.encode(),
                )
            elif info.filename == "word/_rels/document.xml.rels":
                body = body.replace(
                    b"</Relationships>",
                    f'<Relationship Id="rIdD1{name.split(".")[0]}" Type="{rel_type}" '
                    f'Target="{name}"/></Relationships>'.encode(),
                )
            z.writestr(info, body)
        z.writestr(f"word/{name}", content)
    return out.getvalue()


def check(doc: Any, fields: dict[str, Any] | None = None, items: list[tuple[str, str]] | None = None) -> None:
    assert field_values(doc) == (fields or FIELDS)
    assert item_pairs(doc) == (items or ITEMS)


# ---------------------------------------------------------------------------------------------
# The plain draft: the reference every feature below must still reach
# ---------------------------------------------------------------------------------------------
def test_docx_drafts_plain_table_header(tmp_path: Path) -> None:
    check(run_pipeline(to_bytes(base_document()), tmp_path))


# ---------------------------------------------------------------------------------------------
# Text boxes: the header in two boxes, a "DỰ THẢO" mark, a watermark
# ---------------------------------------------------------------------------------------------
def box_paragraphs(lines: list[tuple[str, str]]) -> str:
    """Centred paragraphs for a text box; each line's style is "b", "i" or ""."""
    props = {"b": "<w:b/>", "i": "<w:i/>", "": ""}
    return "".join(para_xml(run_xml(t, props[s]), props='<w:jc w:val="center"/>') for t, s in lines)


def textbox_run(
    content: str, x: int, y: int, width: int, height: int, mode: str, box_id: int, behind: bool = False
) -> str:
    """A w:r holding a floating text box at (x, y) EMU from the column's top-left.

    mode "alternate": DrawingML (wps) with its VML fallback, as Word 2010+ saves; "vml": a w:pict
    v:shape only, as Word 2003 and converters save; "wps": DrawingML without a fallback.
    """
    wps = (
        f'<w:drawing><wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" '
        f'relativeHeight="{251659264 + box_id}" behindDoc="{int(behind)}" locked="0" layoutInCell="1" '
        f'allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="column"><wp:posOffset>{x}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="paragraph"><wp:posOffset>{y}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{width}" cy="{height}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
        f'<wp:docPr id="{box_id}" name="Text Box {box_id}"/><wp:cNvGraphicFramePr/>'
        f'<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f'<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/>'
        f'<a:ext cx="{width}" cy="{height}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        f"<a:noFill/></wps:spPr><wps:txbx><w:txbxContent>{content}</w:txbxContent></wps:txbx>"
        f'<wps:bodyPr rot="0" vert="horz" wrap="square"/></wps:wsp></a:graphicData></a:graphic>'
        f"</wp:anchor></w:drawing>"
    )
    pt = 12700
    vml = (
        f'<w:pict><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
        f'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
        f'<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
        f'<v:shape id="Text Box {box_id}" o:spid="_x0000_s10{box_id}" type="#_x0000_t202" '
        f'style="position:absolute;margin-left:{x / pt:.1f}pt;margin-top:{y / pt:.1f}pt;'
        f"width:{width / pt:.1f}pt;height:{height / pt:.1f}pt;z-index:{-1 if behind else 1};"
        f'mso-position-horizontal-relative:text;mso-position-vertical-relative:text" stroked="f">'
        f'<v:textbox style="mso-fit-shape-to-text:t"><w:txbxContent>{content}</w:txbxContent></v:textbox>'
        "</v:shape></w:pict>"
    )
    if mode == "vml":
        return f"<w:r>{vml}</w:r>"
    if mode == "wps":
        return f"<w:r>{wps}</w:r>"
    return (
        f'<w:r><mc:AlternateContent><mc:Choice Requires="wps">{wps}</mc:Choice>'
        f"<mc:Fallback>{vml}</mc:Fallback></mc:AlternateContent></w:r>"
    )


LEFT_BOX = [(AGENCY[0], ""), (AGENCY[1], "b"), (NUMBER, "")]
RIGHT_BOX = [(MOTTO[0], "b"), (MOTTO[1], "b"), (PLACE_DATE, "i")]
DRAFT_BOX = [("DỰ THẢO", "b")]


def header_boxes(mode: str, draft: str = "") -> str:
    """The empty first paragraph anchoring the header boxes, the right one first as Word often
    saves them; `draft` "left"/"right" adds a small "DỰ THẢO" box above that side."""
    boxes = [
        textbox_run(box_paragraphs(RIGHT_BOX), 2500000, 0, 3300000, 800000, mode, 2),
        textbox_run(box_paragraphs(LEFT_BOX), -200000, 0, 2600000, 800000, mode, 1),
    ]
    if draft:
        x = -200000 if draft == "left" else 4600000
        boxes.insert(0, textbox_run(box_paragraphs(DRAFT_BOX), x, -500000, 900000, 300000, mode, 3))
    return para_xml(*boxes)


def textbox_document(mode: str, draft: str = "") -> Any:
    d = base_document(header="none")
    body = d.element.body
    body.insert(0, xml(header_boxes(mode, draft)))
    body.insert(1, xml("<w:p/>"))
    return d


@pytest.mark.parametrize("mode", ["alternate", "vml", "wps"])
def test_docx_drafts_header_in_text_boxes(tmp_path: Path, mode: str) -> None:
    data = to_bytes(textbox_document(mode))
    texts = body_texts(data)
    assert texts[:6] == [*AGENCY, NUMBER, *MOTTO, PLACE_DATE]  # one copy, left box first
    check(run_pipeline(data, tmp_path))


@pytest.mark.parametrize("mode", ["alternate", "vml"])
@pytest.mark.parametrize("side", ["left", "right"])
def test_docx_drafts_draft_mark_text_box_over_boxed_header(tmp_path: Path, mode: str, side: str) -> None:
    doc = run_pipeline(to_bytes(textbox_document(mode, side)), tmp_path)
    check(doc)


@pytest.mark.parametrize("mode", ["alternate", "vml"])
def test_docx_drafts_draft_mark_text_box_over_table_header(tmp_path: Path, mode: str) -> None:
    d = base_document()
    d.element.body.insert(
        0, xml(para_xml(textbox_run(box_paragraphs(DRAFT_BOX), 4600000, -300000, 900000, 300000, mode, 3)))
    )
    check(run_pipeline(to_bytes(d), tmp_path))


WATERMARK_VML = (
    '<w:r><w:pict><v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
    'path="m@7,l@8,m@5,21600l@6,21600e"><v:path textpathok="t" o:connecttype="custom"/>'
    '<v:textpath on="t" fitshape="t"/></v:shapetype><v:shape id="PowerPlusWaterMarkObject1" '
    'o:spid="_x0000_s2049" type="#_x0000_t136" style="position:absolute;margin-left:0;margin-top:0;'
    "width:412.4pt;height:247.45pt;rotation:315;z-index:-251657216;mso-position-horizontal:center;"
    'mso-position-horizontal-relative:margin;mso-position-vertical:center;mso-position-vertical-relative:margin" '
    'fillcolor="silver" stroked="f"><v:fill opacity=".5"/>'
    '<v:textpath style="font-family:&quot;Times New Roman&quot;;font-size:1pt" string="DỰ THẢO"/>'
    "</v:shape></w:pict></w:r>"
)


@pytest.mark.parametrize("where", ["header_part", "body_wordart", "body_vml"])
def test_docx_drafts_watermark_is_no_text(tmp_path: Path, where: str) -> None:
    d = base_document()
    if where == "header_part":
        hp = d.sections[0].header.paragraphs[0]
        hp._p.append(xml(WATERMARK_VML))
    else:
        # WordArt behind the text, anchored in the first result paragraph.
        anchor = next(p for p in d.paragraphs if p.text.startswith("- Trong tháng 3"))
        if where == "body_wordart":
            mark = textbox_run(
                box_paragraphs(DRAFT_BOX), 500000, 200000, 4000000, 1500000, "alternate", 9, True
            )
        else:
            mark = WATERMARK_VML
        anchor._p.insert(1, xml(mark))
    data = to_bytes(d)
    assert not any("THẢO" in t for t in body_texts(data))
    check(run_pipeline(data, tmp_path))


# ---------------------------------------------------------------------------------------------
# Tracked changes and comments
# ---------------------------------------------------------------------------------------------
REV = 'w:author="Chuyên viên VP" w:date="2024-04-05T09:00:00Z"'


def ins(text: str, rid: int) -> str:
    return f'<w:ins w:id="{rid}" {REV}>{run_xml(text)}</w:ins>'


def dele(text: str, rid: int) -> str:
    return f'<w:del w:id="{rid}" {REV}><w:r><w:delText xml:space="preserve">{text}</w:delText></w:r></w:del>'


def paragraph_starting(d: Any, start: str) -> Any:
    return next(p for p in d.paragraphs if p.text.startswith(start))


def tracked_body_document() -> Any:
    d = base_document()
    # A date corrected, a phrase inserted, an opening deleted, a bold run unbolded (rPrChange).
    replace_paragraph(
        paragraph_starting(d, "Ngày 02/4"),
        para_xml(
            run_xml("Ngày "),
            dele("01/4/2024", 11),
            ins("02/4/2024", 12),
            run_xml(INTRO[0][len("Ngày 02/4/2024") :]),
        ),
    )
    t0 = TASKS[0]
    cut = t0.index(", phối hợp")
    cut2 = t0.index(" đẩy nhanh")
    replace_paragraph(
        paragraph_starting(d, "1. Phòng Tài chính"),
        para_xml(
            run_xml("1. "), dele("Trong tháng tới, ", 13), run_xml(t0[:cut]), ins(t0[cut:cut2], 14),
            f'<w:r><w:rPr><w:rPrChange w:id="15" {REV}><w:rPr><w:b/></w:rPr></w:rPrChange></w:rPr>'
            f'<w:t xml:space="preserve">{t0[cut2:]}</w:t></w:r>',
        ),
    )  # fmt: skip
    # A whole limitation deleted, its paragraph mark too.
    lim = paragraph_starting(d, "- Một số xã")
    lim._p.addnext(
        xml(
            f'<w:p><w:pPr><w:rPr><w:del w:id="16" {REV}/></w:rPr></w:pPr>'
            f"{dele('- Công tác phòng cháy, chữa cháy chưa được quan tâm đúng mức.', 17)}</w:p>"
        )
    )
    # The last task moved from the top of the list to the bottom.
    first_task = paragraph_starting(d, "1. Phòng Tài chính")
    first_task._p.addprevious(
        xml(
            f'<w:p><w:pPr><w:rPr><w:moveFrom w:id="18" {REV}/></w:rPr></w:pPr>'
            f'<w:moveFromRangeStart w:id="19" {REV} w:name="move1"/>'
            f'<w:moveFrom w:id="20" {REV}>{run_xml("1. " + TASKS[2])}</w:moveFrom>'
            f'<w:moveFromRangeEnd w:id="19"/></w:p>'
        )
    )
    replace_paragraph(
        paragraph_starting(d, "3. Văn phòng"),
        f'<w:p><w:moveToRangeStart w:id="21" {REV} w:name="move1"/>'
        f'<w:moveTo w:id="22" {REV}>{run_xml("3. " + TASKS[2])}</w:moveTo><w:moveToRangeEnd w:id="21"/></w:p>',
    )
    return d


def test_docx_drafts_tracked_changes_in_body(tmp_path: Path) -> None:
    data = to_bytes(tracked_body_document())
    texts = body_texts(data)
    assert not any("01/4/2024" in t or "phòng cháy" in t or "Trong tháng tới" in t for t in texts)
    assert sum(TASKS[2] in t for t in texts) == 1
    check(run_pipeline(data, tmp_path))


def cell_para(cell: Any, fragment: str) -> None:
    """Replace the (single) paragraph of a cell with a raw w:p."""
    replace_paragraph(cell.paragraphs[0], fragment)


TABLE_TASKS = [
    ["STT", "Nội dung công việc", "Đơn vị chủ trì", "Thời hạn"],
    ["1", "Hoàn thành giải ngân vốn đầu tư công đợt 1", "Phòng Tài chính - Kế hoạch", "30/4/2024"],
    ["2", "Rà soát hồ sơ đất đai tồn đọng", "Phòng Tài nguyên và Môi trường", "15/5/2024"],
]


def test_docx_drafts_tracked_changes_in_table_cells(tmp_path: Path) -> None:
    d = base_document()
    # The number and the signer's name corrected in the layout tables.
    head, sign = d.tables[0], d.tables[1]
    number = head.cell(0, 0).paragraphs[2]
    replace_paragraph(number, para_xml(run_xml("Số: "), dele("44", 31), ins("45", 32), run_xml("/TB-UBND")))
    replace_paragraph(
        sign.cell(1, 1).paragraphs[0],
        para_xml(dele("Trần Văn Bình", 33), ins(SIGNER_NAME, 34)),
    )
    # A data table of tasks after the last task paragraph, with edits in its cells.
    anchor = paragraph_starting(d, "3. Văn phòng")
    t = d.add_table(rows=3, cols=4)
    for r, row in enumerate(TABLE_TASKS):
        for c, text in enumerate(row):
            t.cell(r, c).text = text
    cell_para(
        t.cell(1, 1),
        para_xml(run_xml("Hoàn thành giải ngân vốn đầu tư công "), dele("quý I", 35), ins("đợt 1", 36)),
    )
    cell_para(
        t.cell(2, 2),
        para_xml(
            f'<w:moveFrom w:id="37" {REV}>{run_xml("Phòng Nội vụ, ")}</w:moveFrom>',
            run_xml("Phòng Tài nguyên và Môi trường"),
        ),
    )
    anchor._p.addnext(t._tbl)
    data = to_bytes(d)
    texts = body_texts(data)
    assert "Số: 45/TB-UBND" in texts and SIGNER_NAME in texts and "Trần Văn Bình" not in " ".join(texts)
    rows = [ln.table_row for pg in extract_docx(data) for ln in pg.lines if ln.table_row]
    assert rows == TABLE_TASKS
    doc = run_pipeline(data, tmp_path)
    assert field_values(doc) == FIELDS
    joined = " ".join(it.text for it in doc.items)
    assert "quý I" not in joined and "Phòng Nội vụ" not in joined
    assert "Hoàn thành giải ngân vốn đầu tư công đợt 1" in joined


def test_docx_drafts_comments_stay_out(tmp_path: Path) -> None:
    d = base_document()
    lim = paragraph_starting(d, "- Tiến độ giải ngân")
    d.add_comment(
        lim.runs, text="Đề nghị bổ sung số liệu giải ngân của từng chủ đầu tư.", author="Phó Chánh VP"
    )
    title = paragraph_starting(d, EXCERPT)
    d.add_comment(title.runs[0], text="Xem lại trích yếu cho ngắn gọn.", author="Chánh VP", initials="CVP")
    data = to_bytes(d)
    assert b"commentReference" in zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    assert not any("bổ sung số liệu" in t or "trích yếu" in t for t in body_texts(data))
    check(run_pipeline(data, tmp_path))


# ---------------------------------------------------------------------------------------------
# Notes, fields, header and footer parts
# ---------------------------------------------------------------------------------------------
FOOTNOTES = (
    f'<w:footnotes {XMLNS}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
    '</w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
    '</w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/>'
    "</w:rPr><w:footnoteRef/></w:r>"
    '<w:r><w:t xml:space="preserve"> Số liệu của Chi cục Thuế khu vực tính đến ngày 31/3/2024.</w:t></w:r>'
    "</w:p></w:footnote></w:footnotes>"
)
ENDNOTES = FOOTNOTES.replace("footnote", "endnote").replace(
    "Số liệu của Chi cục Thuế khu vực tính đến ngày 31/3/2024.", "Theo Báo cáo số 87/BC-TTr ngày 29/3/2024."
)
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
CT = "application/vnd.openxmlformats-officedocument.wordprocessingml."


def field(instruction: str, result: str) -> str:
    """A complex field: instruction runs are not text, the cached result is."""
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f'<w:r><w:t>{result}</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def test_docx_drafts_notes_fields_header_footer(tmp_path: Path) -> None:
    d = base_document()
    # The number typed through a DOCPROPERTY field of the template.
    head = d.tables[0]
    replace_paragraph(
        head.cell(0, 0).paragraphs[2],
        para_xml(run_xml("Số: "), field("DOCPROPERTY SoVanBan \\* MERGEFORMAT", "45"), run_xml("/TB-UBND")),
    )
    # A footnote after the revenue figure, an endnote after the petitions figure.
    note = '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:{0}Reference w:id="1"/></w:r>'
    r0 = paragraph_starting(d, "- Trong tháng 3")
    r0._p.append(xml(note.format("footnote")))
    r1 = paragraph_starting(d, "- Công tác tiếp công dân")
    r1._p.append(xml(note.format("endnote")))
    # Header part repeating the agency; footer "Trang 1/3" from PAGE and NUMPAGES fields.
    section = d.sections[0]
    section.header.paragraphs[0].text = "ỦY BAN NHÂN DÂN HUYỆN KIM SƠN"
    section.different_first_page_header_footer = False
    fp = section.footer.paragraphs[0]
    fp._p.append(xml('<w:r><w:t xml:space="preserve">Trang </w:t></w:r>'))
    for frag in (field("PAGE", "1"), run_xml("/"), field("NUMPAGES", "3")):
        for r in xml(f"<w:p>{frag}</w:p>").findall(W + "r"):
            fp._p.append(r)
    data = to_bytes(d)
    data = add_part(data, "footnotes.xml", FOOTNOTES, CT + "footnotes+xml", REL + "footnotes")
    data = add_part(data, "endnotes.xml", ENDNOTES, CT + "endnotes+xml", REL + "endnotes")
    texts = body_texts(data)
    assert "Số: 45/TB-UBND" in texts
    joined = "\n".join(texts)
    for absent in ("DOCPROPERTY", "Chi cục Thuế", "87/BC-TTr", "Trang 1", "1/3"):
        assert absent not in joined
    assert joined.count("HUYỆN KIM SƠN") == 1
    check(run_pipeline(data, tmp_path))


# ---------------------------------------------------------------------------------------------
# Characters: split runs, invisible characters, Word's hyphen elements, symbol bullets, NFD
# ---------------------------------------------------------------------------------------------
def split_runs(text: str, cuts: list[int]) -> str:
    """`text` as runs cut at `cuts`, alternating font size/colour/italic mid-word, all bold."""
    props = [
        '<w:b/><w:sz w:val="28"/>',
        '<w:b/><w:color w:val="1F3864"/>',
        '<w:b/><w:sz w:val="26"/><w:lang w:val="vi-VN"/>',
    ]
    bounds = [0, *cuts, len(text)]
    return "".join(
        run_xml(text[a:b], props[k % 3]) for k, (a, b) in enumerate(zip(bounds, bounds[1:], strict=False))
    )


def test_docx_drafts_split_runs_and_invisible_characters(tmp_path: Path) -> None:
    d = base_document()
    head, sign = d.tables[0], d.tables[1]
    # "Số:<NBSP>45/TB‑UBND" with Word's non-breaking hyphen element.
    replace_paragraph(
        head.cell(0, 0).paragraphs[2],
        '<w:p><w:r><w:t xml:space="preserve">Số:\u00a045/TB</w:t><w:noBreakHyphen/><w:t>UBND</w:t></w:r></w:p>',
    )
    replace_paragraph(
        head.cell(0, 1).paragraphs[2],
        para_xml(run_xml("Kim Sơn, ngày\u00a008\u00a0tháng 4 năm\u00a02024", "<w:i/>")),
    )
    # Type word and excerpt cut mid-word ("Kế" + "t luận"), centred.
    centre = '<w:jc w:val="center"/>'
    replace_paragraph(paragraph_starting(d, TYPE_WORD), para_xml(split_runs(TYPE_WORD, [2, 5]), props=centre))
    replace_paragraph(
        paragraph_starting(d, EXCERPT), para_xml(split_runs(EXCERPT, [2, 6, 14, 30, 41]), props=centre)
    )
    # Soft hyphens (the character and Word's element), zero-width spaces, a BOM, NBSPs in the body.
    replace_paragraph(
        paragraph_starting(d, "- Trong tháng 3"),
        para_xml(
            run_xml(
                "\u200b- "
                + RESULTS[0].replace("28,5 tỷ", "28,5\u00a0tỷ").replace("ngân sách", "ngân\u00ad sách")
            )
        ),
    )
    replace_paragraph(
        paragraph_starting(d, "- Tiến độ"),
        '<w:p><w:r><w:t xml:space="preserve">\ufeff- Tiến độ giải ngân vốn đầu tư công còn chậm, mới đạt 12% '
        "kế hoạch vốn giao.</w:t></w:r></w:p>",
    )
    replace_paragraph(
        paragraph_starting(d, "3. Văn phòng"),
        '<w:p><w:r><w:t xml:space="preserve">3. Văn phòng HĐND và UB</w:t><w:softHyphen/>'
        '<w:t xml:space="preserve">ND huyện theo dõi,\u200b đôn đốc việc thực hiện Thông báo này.</w:t></w:r></w:p>',
    )
    replace_paragraph(sign.cell(1, 1).paragraphs[0], para_xml(run_xml("Nguyễn\u00a0Thị\u00a0Lan", "<w:b/>")))
    data = to_bytes(d)
    assert "Số:\u00a045/TB-UBND" in body_texts(data)
    check(run_pipeline(data, tmp_path))


SYMBOL_RUN = (
    '<w:r><w:rPr><w:rFonts w:ascii="{0}" w:hAnsi="{0}"/></w:rPr><w:sym w:font="{0}" w:char="{1}"/></w:r>'
)


@pytest.mark.parametrize(
    ("font", "char"),
    [("Symbol", "F02D"), ("Symbol", "F0B7"), ("Wingdings", "F0A7"), ("Wingdings", "F0D8")],
)
def test_docx_drafts_symbol_font_bullets(tmp_path: Path, font: str, char: str) -> None:
    d = base_document()
    for start in ("- Trong tháng 3", "- Công tác tiếp", "- Tiến độ", "- Một số xã"):
        p = paragraph_starting(d, start)
        replace_paragraph(
            p, para_xml(SYMBOL_RUN.format(font, char), "<w:r><w:tab/></w:r>", run_xml(p.text[2:]))
        )
    data = to_bytes(d)
    texts = body_texts(data)
    assert any(t.endswith(LIMITATIONS[0]) and t[0] in "-•▪+" for t in texts)
    check(run_pipeline(data, tmp_path))


def test_docx_drafts_symbol_font_private_use_text(tmp_path: Path) -> None:
    """A bullet typed as a private-use character in a Symbol-font run (pasted from old files)."""
    d = base_document()
    for start in ("- Tiến độ", "- Một số xã"):
        p = paragraph_starting(d, start)
        replace_paragraph(
            p,
            para_xml(
                run_xml("\uf0b7", '<w:rFonts w:ascii="Symbol" w:hAnsi="Symbol"/>'), run_xml(" " + p.text[2:])
            ),
        )
    check(run_pipeline(to_bytes(d), tmp_path))


NUMBERING = (
    '<w:abstractNum w:abstractNumId="71"><w:multiLevelType w:val="multilevel"/>'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="-"/></w:lvl>'
    "</w:abstractNum>"
)


def numbered(level: int) -> Para:
    def write(container: Any, text: str) -> Any:
        p = plain(container, text)
        p._p.get_or_add_pPr().append(
            xml(f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="71"/></w:numPr>')
        )
        return p

    return write


def test_docx_drafts_numbered_lists(tmp_path: Path) -> None:
    d = docx.Document()
    numbering = d.part.numbering_part.element
    numbering.insert(0, xml(NUMBERING))
    numbering.append(xml('<w:num w:numId="71"><w:abstractNumId w:val="71"/></w:num>'))
    t = d.add_table(rows=1, cols=2)
    fill_header(t.cell(0, 0), t.cell(0, 1))
    write_title(d)
    for text in INTRO:
        plain(d, text)
    plain(d, HEADINGS[0], bold=True)
    for text in RESULTS:
        numbered(2)(d, text)  # "-"
    plain(d, HEADINGS[1], bold=True)
    for text in LIMITATIONS:
        numbered(1)(d, text)  # "a)", "b)"
    plain(d, HEADINGS[2], bold=True)
    for text in TASKS:
        numbered(0)(d, text)  # "1.", "2.", "3."
    plain(d, CLOSING)
    write_signer(d)
    data = to_bytes(d)
    texts = body_texts(data)
    assert [t for t in texts if t[:2] in ("- ", "a)", "b)", "1.", "2.", "3.")][:7] == [
        *("- " + r for r in RESULTS), "a) " + LIMITATIONS[0], "b) " + LIMITATIONS[1],
        *(f"{k}. {x}" for k, x in enumerate(TASKS, 1)),
    ]  # fmt: skip
    check(run_pipeline(data, tmp_path))


def test_docx_drafts_nfd_text_comes_out_nfc(tmp_path: Path) -> None:
    d = base_document()
    for t in d.element.body.iter(W + "t"):
        t.text = unicodedata.normalize("NFD", t.text or "")
    data = to_bytes(d)
    assert any(unicodedata.normalize("NFC", x) != x for x in body_texts(data))
    check(run_pipeline(data, tmp_path))


WPG = "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup"


def group_shape(content: str, x: int, width: int) -> str:
    return (
        f'<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="{x}" y="0"/>'
        f'<a:ext cx="{width}" cy="900000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr>'
        f"<wps:txbx><w:txbxContent>{content}</w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp>"
    )


def test_docx_drafts_header_in_grouped_text_boxes(tmp_path: Path) -> None:
    """Both header boxes grouped into one drawing (Ctrl+G), the right one first."""
    group = (
        f'<w:r><w:drawing><wp:anchor xmlns:wpg="{WPG}" distT="0" distB="0" distL="0" distR="0" simplePos="0" '
        'relativeHeight="1" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="page"><wp:posOffset>800000</wp:posOffset></wp:positionH>'
        '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        '<wp:extent cx="5800000" cy="870000"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
        '<wp:docPr id="7" name="Group 7"/><wp:cNvGraphicFramePr/>'
        f'<a:graphic><a:graphicData uri="{WPG}"><wpg:wgp><wpg:cNvGrpSpPr/><wpg:grpSpPr><a:xfrm>'
        '<a:off x="0" y="0"/><a:ext cx="5800000" cy="870000"/><a:chOff x="0" y="0"/>'
        '<a:chExt cx="6000000" cy="900000"/></a:xfrm></wpg:grpSpPr>'
        f"{group_shape(box_paragraphs(RIGHT_BOX), 3000000, 3000000)}"
        f"{group_shape(box_paragraphs(LEFT_BOX), 0, 2700000)}"
        "</wpg:wgp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>"
    )
    d = base_document(header="none")
    d.element.body.insert(0, xml(para_xml(group)))
    data = to_bytes(d)
    assert body_texts(data)[:6] == [*AGENCY, NUMBER, *MOTTO, PLACE_DATE]
    check(run_pipeline(data, tmp_path))


def test_docx_drafts_hidden_text_is_not_read(tmp_path: Path) -> None:
    """A drafter's note hidden with w:vanish: Word neither shows nor prints it."""
    d = base_document()
    p = paragraph_starting(d, "2. Phòng Tài nguyên")
    p._p.append(xml(run_xml(" (chờ ý kiến Phòng Nội vụ, chưa thống nhất)", "<w:vanish/>")))
    data = to_bytes(d)
    assert not any("chưa thống nhất" in t for t in body_texts(data))
    check(run_pipeline(data, tmp_path))
