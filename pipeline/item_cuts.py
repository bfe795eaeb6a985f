"""Items stage, cutting: one paragraph -> the pieces ANNOTATION.md "How text is cut into items" makes.

Reads a Block (and the cue words of data/rules/items.json); returns Pieces: bullets and paragraphs
whole, in-sentence lists after a colon and ordinal points ("Thứ nhất, …; thứ hai, …") cut at their
semicolons, "Topic: text" bullets split, lines of figures kept whole, a paragraph labelled by a bare
category noun ("Tồn tại: …") kept whole with the label's category, a statement before a colon
("… còn buông lỏng: 14 tàu …") kept whole. It never reads headings.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass

from .config import DATA_DIR
from .cues import bare_label, category_cues, heading_categories, states_shortcoming, without_names
from .directives import names_addressees
from .records import Block
from .sections import ORDINAL_POINT
from .text.canonical import tone_key
from .text.dates import DAY_SOURCE, MONTH_SOURCE, iso_date, month_end_iso, read_cell_date
from .text.orthography import alternation

RULES_FILE = DATA_DIR / "rules" / "items.json"
TRAILING = re.compile(r"[\s;,]+$")  # "- Sở Tài chính;" -> "Sở Tài chính"
TOPIC_HEAD = re.compile(r"^[^:;]{2,70}$")  # "Công tác thanh tra" of "+ Công tác thanh tra: …"
# A sentence ends inside a paragraph: "… hiệu quả kinh tế - xã hội…. Báo cáo phải …"
SENTENCE_BREAK = re.compile(r"[.!?…](?=\s+[A-ZĐÀ-Ỹ])")
# A figure standing alone: "358" of "nợ đến 31/12/2018 ước 358 tỷ đồng", never the "4" of "Quốc lộ 4D"
FIGURE = re.compile(r"(?<![\w/.,])\d+(?:[.,/]\d+)*(?!\w)")
FIGURES_LABEL_WORDS = 12  # the label of a line of figures: "Trong đó vốn nước ngoài (ODA)"
FIGURES_CLAUSE_WORDS = 8  # one figure with its name and unit: "tổng vốn đăng ký 1.946 tỷ đồng."


@dataclass(frozen=True)
class ItemCues:
    """The cue words of data/rules/items.json compiled into patterns."""

    list_lead: re.Pattern[str]  # "gồm các nội dung sau:"
    deadline_day: re.Pattern[str]  # "trước ngày 20/4/2024", "chậm nhất ngày 30 tháng 9 năm 2024"
    deadline_month: re.Pattern[str]  # "trong tháng 4/2024"
    intro: re.Pattern[str]  # "Sáng ngày 17/6, đồng chí A chủ trì họp ..."
    table_task_head: re.Pattern[str]  # "Nội dung nhiệm vụ"
    table_actor_head: re.Pattern[str]  # "Đơn vị chủ trì"
    table_deadline_head: re.Pattern[str]  # "Thời hạn"
    table_number_head: re.Pattern[str]  # "STT"
    topic_start: re.Pattern[str]  # "Đối với việc điều chỉnh hướng tuyến tại Km78+00 - Km81+00"
    meeting_label: re.Pattern[str]  # "Chủ trì" of "- Chủ trì: đồng chí Phó Chủ tịch UBND huyện"
    attendance: re.Pattern[str]  # "Tham dự cuộc họp có:"
    opening_lead: re.Pattern[str]  # "… kết luận và chỉ đạo một số nội dung sau:"
    statement: re.Pattern[str]  # "còn" of "Việc giám sát tàu cá qua hệ thống VMS còn buông lỏng"
    topic_head: re.Pattern[str]  # "đối với" of "Đối với các dự án chưa hoàn thành"
    set_word: re.Pattern[str]  # "một số" of "… còn một số hạn chế"


@functools.cache
def item_cues() -> ItemCues:
    """Load and compile data/rules/items.json once per process."""
    raw = json.loads(RULES_FILE.read_text(encoding="utf-8"))

    def alt(key: str) -> str:
        return alternation(unicodedata.normalize("NFC", str(w)) for w in raw[key])

    i = re.IGNORECASE
    return ItemCues(
        list_lead=re.compile(rf"\b({alt('list_lead')})\s*$", i),
        deadline_day=re.compile(rf"(?:{alt('deadline_day_cues')})\s*(?:là\s*)?(?:ngày\s*)?{DAY_SOURCE}", i),
        deadline_month=re.compile(rf"(?:{alt('deadline_month_cues')}){MONTH_SOURCE}", i),
        intro=re.compile(rf"\b({alt('intro_cues')})\b", i),
        table_task_head=re.compile(alt("table_task_heads"), i),
        table_actor_head=re.compile(alt("table_actor_heads"), i),
        table_deadline_head=re.compile(alt("table_deadline_heads"), i),
        table_number_head=re.compile(rf"^({alt('table_number_heads')})$", i),
        topic_start=re.compile(rf"^({alt('topic_starts')})\s", i),
        meeting_label=re.compile(rf"^({alt('meeting_labels')})$", i),
        attendance=re.compile(
            rf"^(?:{alt('attendance_leads')})\b|\b(?:{alt('attendance_leads')})\s+(?:cuộc họp|hội nghị|buổi làm việc)?\s*(?:có|gồm)\b",
            i,
        ),
        opening_lead=re.compile(rf"\b({alt('opening_leads')})\b", i),
        statement=re.compile(rf"(?<!\w)(?:{alt('statement_words')})(?!\w)"),
        topic_head=re.compile(rf"^(?:{alt('topic_heads')})(?!\w)"),
        set_word=re.compile(rf"(?<!\w)(?:{alt('set_words')})(?!\w)"),
    )


@dataclass
class Piece:
    """An item before it gets its id: text, topic and the lead-in categories that govern it."""

    text: str
    topic: str = ""
    lead: tuple[str, ...] = ()
    block: Block | None = None
    actors: str = ""
    deadline: str = ""
    opening: bool = False  # part of the meeting intro before the conclusions start
    label: str = ""  # the category its own label names: "limitation" of "Tồn tại: …" (`bare_label`)


def word_count(text: str) -> int:
    """The words of a text, not its dashes.

    Examples:
        >>> word_count("Công chức Địa chính - Xây dựng - Đô thị và Môi trường")
        11
    """
    return sum(1 for w in text.split() if any(c.isalnum() for c in w))


def clean_text(text: str) -> str:
    """Item text without a trailing ";" or "," (a final "." or "./." is kept)."""
    return TRAILING.sub("", text.strip())


def introduces_list(head: str) -> bool:
    """A lead-in that announces a list (ANNOTATION.md rule 3): it names a category, ends in a list
    word or gives a directive to its addressee — "còn các hạn chế:", "gồm các nội dung sau:", "Giao
    Sở Thông tin và Truyền thông, cơ quan thường trực Ban Chỉ đạo:" — unlike "phối hợp với các Sở: A,
    B; ..." or a bare addressee ("a) Phòng Kế hoạch - Tài chính: Rà soát …; đề xuất …", rule 4).

    Examples:
        >>> introduces_list("còn các hạn chế"), introduces_list("Phòng Kế hoạch - Tài chính")
        (True, False)
        >>> introduces_list("Giao Sở Thông tin và Truyền thông, cơ quan thường trực Ban Chỉ đạo")
        True
    """
    return listed_by_words(head) or directs(head)


def listed_by_words(head: str) -> bool:
    """A lead-in that names a category or ends in a list word ("còn các hạn chế", "gồm các nội dung sau")."""
    nfc = unicodedata.normalize("NFC", head)  # the cue words are NFC: "tình trạng" typed decomposed too
    return bool(heading_categories(without_names(head))) or bool(item_cues().list_lead.search(nfc))


def directs(head: str) -> bool:
    """A lead-in that opens or closes on a directive verb ("Giao Sở Tài chính", "Chủ tịch UBND huyện
    đề nghị"): what its colon introduces are tasks (ANNOTATION.md: đề nghị, yêu cầu, giao).

    Examples:
        >>> directs("Giao Sở Thông tin và Truyền thông"), directs("Phòng Kế hoạch - Tài chính")
        (True, False)
    """
    lead = category_cues().directive_lead
    return lead is not None and bool(lead.search(tone_key(head).strip() + ":"))


def lists_shortcomings(head: str) -> bool:
    """A lead-in that states a shortcoming of a set it then lists (ANNOTATION.md rule 3 and
    `limitation`): "còn một số khoản chi sai quy định sau:", whose clauses are the shortcomings,
    though it names no category ("hạn chế", "tồn tại") and its clauses may hold no shortcoming word.

    Examples:
        >>> lists_shortcomings("Qua kiểm tra chứng từ, còn một số khoản chi sai quy định sau")
        True
        >>> lists_shortcomings("Đoàn đã kiểm tra các nội dung sau"), lists_shortcomings("Tiến độ còn chậm")
        (False, False)
    """
    return bool(item_cues().set_word.search(tone_key(head))) and states_shortcoming(head)


def gives_figures(head: str, tail: str) -> bool:
    """A statement of a result or a shortcoming whose colon gives its figures: "Thứ nhất, công tác thu
    hồi nợ thuế chưa đạt yêu cầu: nợ đến 31/12/2018 ước 358 tỷ đồng …; số tiền thu được … rất hạn chế."
    Its head states something of one subject (`states`) and names no set of them ("còn một số hạn chế:"),
    and the first clause after the colon opens the evidence with a figure: one assessment, one item
    (ANNOTATION.md rule 2), not a list of its instances (rule 3: "Việc quản lý bảo trì đường bộ chưa đạt
    yêu cầu: một số đoạn trên Quốc lộ 4D còn ổ gà; hệ thống biển báo … bị mất …").

    Examples:
        >>> gives_figures("Tuy nhiên, tiến độ giải ngân vốn đầu tư công chưa đạt yêu cầu đề ra",
        ...               "đến ngày 31/7/2019 toàn tỉnh mới giải ngân 1.214 tỷ đồng; nhiều chủ đầu tư còn chờ.")
        True
        >>> gives_figures("Việc quản lý bảo trì đường bộ chưa đạt yêu cầu",
        ...               "một số đoạn trên Quốc lộ 4D còn ổ gà; hệ thống biển báo bị mất.")
        False
        >>> gives_figures("Bên cạnh kết quả đạt được, còn một số hạn chế", "thu thuế mới đạt 45%; hồ sơ còn sai sót.")
        False
    """
    cats = heading_categories(without_names(head))
    if "task" in cats and len(cats) > 1 and not directs(head) and names_work_only(head):
        cats = [c for c in cats if c != "task"]  # "việc tổ chức thực hiện còn sai sót": the work reviewed
    if not cats or not set(cats) <= {"result", "limitation"} or not states(head):
        return False
    if item_cues().set_word.search(tone_key(head)):
        return False
    return bool(FIGURE.search(tail.split(";", 1)[0]))


# A task cue after a nominalizer names the work under review, no task: "việc tổ chức thực hiện còn sai sót"
NOMINALIZER = re.compile(r"(?:^|(?<=\s))(?:việc|công tác)\s+$")


def names_work_only(head: str) -> bool:
    """Every task word of `head` stands after "việc" or "công tác", naming the work reviewed.

    Examples:
        >>> names_work_only("Trường đã ban hành quy chế, nhưng việc tổ chức thực hiện còn sai sót")
        True
        >>> names_work_only("Cần tổ chức thực hiện các nội dung sau")
        False
    """
    key = tone_key(without_names(head)).strip()
    spans = [m.start() for p in category_cues().heading_words["task"] for m in p.finditer(key)]
    return bool(spans) and all(NOMINALIZER.search(key[:a]) for a in spans)


def states(head: str) -> bool:
    """A head before a colon that is a statement, not a noun phrase: it holds a predicate ("đã", "được",
    "chưa", "còn", "vẫn" …) and opens with neither a preposition of topic nor a plural addressee
    (data/rules/items.json `statement_words`, `topic_heads`). What follows its colon gives its details,
    so the paragraph is one item (ANNOTATION.md rule 2), no "Topic: text" bullet (rule 4).

    Examples:
        >>> states("Việc giám sát tàu cá qua hệ thống VMS còn buông lỏng"), states("Vốn đầu tư công đã giải ngân")
        (True, True)
        >>> states("Công tác thanh tra"), states("Các trường chưa được công nhận lại chuẩn quốc gia")
        (False, False)
    """
    key = tone_key(head).strip()
    cues = item_cues()
    return bool(cues.statement.search(key)) and not cues.topic_head.match(key)


MATTER_TAIL_WORDS = 4  # the last words of a topic head: "… tại cảng cạn ICD Sóng Thần", no category


def names_matter(head: str, tail: str) -> bool:
    """A head that names the one matter its paragraph answers ("Đối với kiến nghị bố trí làm thủ tục
    ngoài giờ tại cảng cạn ICD Sóng Thần: Cục trưởng đồng ý chủ trương; giao …"): it opens with a
    topic word (`topic_starts`), then a category noun with what it is about ("kiến nghị bố trí …"),
    states nothing, names no set ("các", "những", "một số") and does not end on the category
    ("Về những tồn tại, hạn chế:"); what follows its colon opens a sentence. It is a topic
    (ANNOTATION.md rule 4), whether bulleted or not, never the lead-in of a list (rule 3): the
    category word names the matter, not the items. A field of work alone ("Về kinh tế: …") is no
    such matter.

    Examples:
        >>> names_matter("Đối với kiến nghị bố trí làm thủ tục ngoài giờ tại cảng cạn ICD Sóng Thần",
        ...              "Cục trưởng đồng ý chủ trương; giao Chi cục Hải quan Sóng Thần bố trí công chức.")
        True
        >>> names_matter("Về những tồn tại, hạn chế", "Thu thuế đạt thấp; hồ sơ còn sai sót.")
        False
        >>> names_matter("Về cơ bản, chất lượng phiếu điều tra còn thấp", "Nhiều phiếu thiếu thông tin.")
        False
        >>> names_matter("Về kinh tế", "Các địa phương đã thu hoạch 2.140 ha lúa Hè Thu; thu ngân sách đạt 67,8%.")
        False
    """
    cues = item_cues()
    nfc = unicodedata.normalize("NFC", head).strip()
    key = tone_key(nfc).strip()
    if not cues.topic_start.match(nfc) or not tail.strip()[:1].isupper() or "," in key:
        return False
    if cues.statement.search(key) or cues.set_word.search(key) or cues.list_lead.search(nfc):
        return False
    named = heading_categories(without_names(nfc))
    return bool(named) and not heading_categories(" ".join(nfc.split()[-MATTER_TAIL_WORDS:]))


def split_block(block: Block) -> list[Piece]:
    """Cut one paragraph into pieces (ANNOTATION.md rules 1-4).

    Examples:
        >>> [p.text for p in split_block(Block("còn các hạn chế: thu thuế đạt thấp; hồ sơ còn sai sót."))]
        ['thu thuế đạt thấp', 'hồ sơ còn sai sót.']
        >>> p = split_block(Block("Công tác thanh tra: Các cuộc thanh tra phải chặt chẽ hơn.", marker="+", style="plus"))[0]
        >>> p.topic, p.text
        ('Công tác thanh tra', 'Các cuộc thanh tra phải chặt chẽ hơn.')
    """
    text = block.text.strip()
    points = ordinal_points(text)
    if points:
        return [Piece(text=p, lead=lead, block=block) for p, lead in points]
    head, sep, tail = text.partition(":")
    if sep and tail.strip() and is_figures_row(head.strip(), tail.strip()):
        return [Piece(text=clean_text(text), block=block)]
    if sep and tail.strip():
        head_s, tail_s = head.strip(), tail.strip()
        label = bare_label(head_s, tail_s) if len(head_s) <= 60 else ""  # "Tồn tại: <one statement>"
        # rule 3: "còn các hạn chế: A; B; C" -> A, B, C (the lead-in words are not part of them);
        # only a list that ends its sentence, after a lead-in that starts it
        one_sentence = not SENTENCE_BREAK.search(head_s) and not SENTENCE_BREAK.search(tail_s)
        if (
            ";" in tail_s
            and ";" not in head_s
            and len(head_s) <= 250
            and one_sentence
            and not label
            and (introduces_list(head_s) if not block.marker else listed_by_words(head_s))
            and not gives_figures(head_s, tail_s)
            and not names_matter(head_s, tail_s)
        ):
            parts = [clean_text(p) for p in re.split(r";\s*", tail_s)]
            parts = [p for p in parts if len(p) > 1]
            if len(parts) >= 2:
                # the list follows the last category its lead-in names: "Bên cạnh kết quả ... còn các hạn chế:"
                named = heading_categories(without_names(head_s), by_last=True, qualified=True)
                # "Giao Sở X: A; B; C" in a paragraph; a bullet "- Giao Phòng Y: A; B" is one task (rule 1)
                named = named or (["task"] if directs(head_s) else [])
                # "Qua kiểm tra chứng từ, còn một số khoản chi sai quy định sau:": the instances of a
                # shortcoming its lead-in states (còn, sai quy định) are shortcomings
                named = named or (["limitation"] if lists_shortcomings(head_s) else [])
                lead: tuple[str, ...] = (named[-1],) if named else ()
                return [Piece(text=p, lead=lead, block=block) for p in parts]
        # rule 4: "+ Công tác thanh tra: <text>" -> topic + text
        if (
            (block.marker or names_matter(head_s, tail_s))
            and not states(head_s)
            and (
                (TOPIC_HEAD.match(head_s) and word_count(head_s) <= 12 and not re.search(r"\d$", head_s))
                or (
                    item_cues().topic_start.match(unicodedata.normalize("NFC", head_s))
                    and len(head_s) <= 160
                    and ";" not in head_s
                )
                or names_addressees(head_s)  # "Các chủ đầu tư và Ban Quản lý các dự án thủy lợi: …"
            )
        ):
            cause = ("cause",) if head_s.lower().startswith("nguyên nhân") else ((label,) if label else ())
            if item_cues().meeting_label.match(head_s):
                cause = ("other",)  # "- Chủ trì: đồng chí Phó Chủ tịch UBND huyện" describes the meeting
            return [Piece(text=clean_text(tail_s), topic=head_s, lead=cause, block=block, label=label)]
        if label:  # rules 2 and 6: a plain paragraph labelled by its category is one item of it
            return [Piece(text=clean_text(text), lead=(label,), block=block, label=label)]
    return [Piece(text=clean_text(text), block=block)]


def is_figures_row(head: str, tail: str) -> bool:
    """A line of figures under its label ("Vốn ngân sách trung ương: kế hoạch 1.726,5; đã giải ngân 58,3;
    đạt 3,4%."): one statement whose subject is the label, neither a list (rule 3) nor a topic (rule 4).
    Each clause after the colon is a few words with a figure.

    Examples:
        >>> is_figures_row("Tổng kế hoạch", "4.739,3; đã giải ngân: 1.324,6; đạt 27,9%.")
        True
        >>> is_figures_row("còn các hạn chế", "thu thuế đạt thấp; hồ sơ còn sai sót.")
        False
    """
    clauses = [c.strip() for c in tail.split(";") if c.strip()]
    if len(clauses) < 2 or len(head.split()) > FIGURES_LABEL_WORDS:
        return False
    if {"limitation", "cause"} & set(heading_categories(without_names(head))):
        return False
    return all(len(c.split()) <= FIGURES_CLAUSE_WORDS and any(ch.isdigit() for ch in c) for c in clauses)


def ordinal_points(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """The points of one sentence numbered by ordinal words, cut at its semicolons (ANNOTATION.md
    rules 1 and 3: each numbered point is an item, a lead-in before a colon is not part of them),
    with the category the lead-in names; [] unless every clause opens with an ordinal.

    Examples:
        >>> [p for p, _ in ordinal_points("Thứ nhất, phiếu điều tra còn sai sót; thứ hai, việc nhập liệu còn chậm.")]
        ['Thứ nhất, phiếu điều tra còn sai sót', 'thứ hai, việc nhập liệu còn chậm.']
        >>> ordinal_points("Yêu cầu các bộ phận: thứ nhất, rà soát hồ sơ; thứ hai, báo cáo trước ngày 15/4.")[1]
        ('thứ hai, báo cáo trước ngày 15/4.', ('task',))
        >>> ordinal_points("Tiến độ còn chậm; thứ nhất, tư vấn chưa nộp dự thảo; thứ hai, 3 phường chưa gửi nhu cầu.")
        []
    """
    if ";" not in text:
        return []
    head, sep, tail = text.partition(":")
    body = tail.strip() if sep and ORDINAL_POINT.match(tone_key(tail.strip())) else text
    if body is not text and (";" in head or SENTENCE_BREAK.search(head)):
        return []
    parts = [clean_text(p) for p in re.split(r";\s*", body) if p.strip()]
    if len(parts) < 2 or not all(ORDINAL_POINT.match(tone_key(p)) for p in parts):
        return []
    named = (
        heading_categories(without_names(head.strip()), by_last=True, qualified=True)
        if body is not text
        else []
    )
    lead: tuple[str, ...] = (named[-1],) if named else ()
    return [(p, lead) for p in parts]


def find_deadline(text: str, default_year: int = 0) -> str:
    """The deadline a task gives, as an ISO date, or "".

    Examples:
        >>> find_deadline("báo cáo UBND tỉnh trước ngày 20/4/2024.")
        '2024-04-20'
        >>> find_deadline("hoàn thành trong tháng 4/2024")
        '2024-04-30'
        >>> find_deadline("gửi Văn phòng trước ngày 31/01", 2024)
        '2024-01-31'
    """
    cues = item_cues()
    m = cues.deadline_day.search(text)
    if m:
        year = int(m.group(3)) if m.group(3) else default_year
        if year:
            iso = iso_date(year, int(m.group(2)), int(m.group(1)))
            if iso:
                return iso
    m2 = cues.deadline_month.search(text)
    if m2:
        return month_end_iso(int(m2.group(2)), int(m2.group(1)))
    return ""


def deadline_cell(text: str, default_year: int) -> str:
    """The deadline of a task table's cell: a date or month it holds, else a deadline phrase."""
    found = read_cell_date(text)
    return found if found is not None else find_deadline(text, default_year)
