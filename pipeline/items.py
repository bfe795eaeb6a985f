"""Items stage: sections and paragraphs -> atomic items with category, topic, actors, deadline.

Cuts paragraphs as ANNOTATION.md "How text is cut into items" says (item_cuts.py: bullets, paragraphs,
in-sentence lists, "Topic: text" bullets; here task-table rows) and gives each item a category: the
heading's when it names one, else the item's own wording (rules, then the trained textcat where
installed). It never changes the paragraph text beyond trimming.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from .claims import (
    names_allegation,
    names_dialogue,
    names_petition,
    states_answer,
    states_finding,
    states_petition,
    verdict_category,
    without_concession,
)
from .config import Settings
from .cues import (
    category_cues,
    heading_categories,
    is_assessment,
    is_background,
    states_cause,
    states_shortcoming,
    without_done_asks,
    without_handled,
    without_names,
)
from .directives import assigns_unit, body_directs
from .harm import states_harm
from .item_cuts import (  # noqa: F401 (introduces_list, split_block, find_deadline: used from here)
    Piece,
    clean_text,
    deadline_cell,
    find_deadline,
    introduces_list,
    item_cues,
    split_block,
)
from .item_roles import (  # noqa: F401 (is_directive, opening_blocks: used by tests from here)
    before_tasks,
    closes_on_attendance,
    is_directive,
    major_turn,
    minor_turn,
    opening_blocks,
    section_chain,
)
from .records import Block, Fields, Item, Section
from .text.canonical import tone_key
from .text.dates import has_numeric_date

CATS = ("result", "limitation", "cause", "task")
# The note under an appendix heading: part of the heading, never an item (Nghị định 30/2020, Phụ lục I)
# "(Kèm theo Thông báo số 1520/TB-CAT-PV01 ngày 06/10/2023 của Công an tỉnh)"
ATTACHMENT_NOTE = re.compile(r"^\(\s*(?:Ban hành )?[Kk]èm theo\b[^()]*(?:\([^()]*\)[^()]*)*\)\.?$")
CLAUSE_BREAK = re.compile(r"[,;.:]")  # "…giải quyết xong, đến nay…"
LEADING_DETERMINER = re.compile(r"^(?:những|các|một số)\s+")  # "các nhiệm vụ trọng tâm" -> "nhiệm vụ …"
FIELD_OPENING = re.compile(r"^Về [^,;:.]{1,80},\s*")  # "Về cụm công nghiệp, trong 5 tháng chưa có …"
REASON_FIRST = re.compile(r"^(?:Do|do)\s+")  # "Do nhà thầu thiếu vốn, công trình chậm tiến độ."
TURN_OPENING = re.compile(
    r"^(?:tuy nhiên|tuy vậy|bên cạnh đó|mặt khác|song|nhưng)\s*,?\s*"
)  # "tuy nhiên, cần …"


Classifier = Callable[[list[str]], list[dict[str, float]]]


def wording_category(text: str, allowed: tuple[str, ...] = CATS, review: bool = False) -> tuple[str, float]:
    """The category an item's own words give, with a rule confidence.

    Examples:
        >>> wording_category("Đề nghị các phòng thực hiện nghiêm túc Kết luận này./.")
        ('task', 0.8)
        >>> wording_category("Hoạt động của đoàn thanh tra chưa chặt chẽ khoa học")
        ('limitation', 0.7)
        >>> wording_category("Tính đến nay, 12/12 xã đã tổ chức hội nghị kết luận địa bàn.")
        ('result', 0.8)
        >>> wording_category("39 hồ sơ quá hẹn đã được giải quyết xong, đến nay không còn hồ sơ trễ hạn.")
        ('result', 0.8)
        >>> wording_category("Hoàn thành gieo cấy 412 ha lúa mùa, đạt 100% kế hoạch.", review=True)
        ('result', 0.8)
        >>> wording_category("Tuy nhiên, dịch tả lợn châu Phi đã xuất hiện tại 03 thôn.")
        ('limitation', 0.8)
        >>> wording_category("Tiêm phòng lở mồm long móng đợt 2 cho đàn trâu, bò mới đạt 58% kế hoạch.")
        ('limitation', 0.8)
    """
    key = without_done_asks(tone_key(text))  # "đã có văn bản đề nghị Sở …": done, no ask
    cc = category_cues()
    w = cc.wording

    def hit(cat: str, first_only: bool = False, on: str = key) -> bool:
        pats = w[cat][:1] if first_only else w[cat]
        return any(p.search(on) for p in pats)

    if "cause" in allowed and hit("cause") and not key.startswith("đã "):
        # "Do nhà thầu thiếu vốn, công trình chậm tiến độ": a shortcoming with its reason set before it
        main = main_clause(text)
        if not (main and wording_category(main, ("result", "limitation"))[0] == "limitation"):
            return "cause", 0.8  # "Đã xác định nguyên nhân … là do …" reports what was done
        if "limitation" in allowed:
            return "limitation", 0.8
    if ("task" in allowed or review) and hit("task", first_only=True):
        # "Tổ chức kiểm tra 18 cơ sở, đã xử lý 3 trường hợp": an activity reported done with its figures
        asks = hit("directive") or any(p.search(key) for p in w["task"][1:])
        if "result" in allowed and hit("done_with_count") and not asks:
            return "result", 0.8
        if "result" in allowed and review and not any(p.search(key) for p in cc.ask):
            # under a field-of-work heading before the tasks: "Hoàn thành gieo cấy 412 ha lúa mùa."
            return ("limitation", 0.8) if states_shortcoming(text, turning=True) else ("result", 0.8)
        if "task" in allowed:
            return "task", 0.8
    if (
        "limitation" in allowed
        and states_shortcoming(text, turning=True)
        and not cc.ask[0].search(after_turn(key))
    ):
        return (
            "limitation",
            0.8,
        )  # "Tuy nhiên, tỷ lệ tham gia bảo hiểm y tế mới đạt 86,1%", not "Tuy nhiên, cần …"
    if cc.remedy is not None:  # "đã ký 09 quyết định xử phạt vi phạm": the violation is what was punished
        key = cc.remedy.sub(lambda m: m.group("verb"), key)
    if "limitation" in allowed and hit("limitation", on=without_handled(key)):
        key = without_handled(key)
        clauses = CLAUSE_BREAK.split(key)
        cleared, still = category_cues().cleared, category_cues().still
        open_ = [
            c for c in clauses if not (cleared and cleared.search(c) and not (still and still.search(c)))
        ]
        # a figure short of its target ("… mới đạt 58% kế hoạch") is a limitation no model outranks
        # a turn inside the paragraph to what is lacking ("…; dẫu vậy, tình trạng … diễn biến phức tạp") too
        # … unless it also asks for something ("…; tuy nhiên, tiến độ còn chậm. Giao Sở … chủ trì …")
        asks_too = any(p.search(key) for p in (*w["task"][1:], *cc.ask))
        turned = not asks_too and any(p.search(key) for p in w["turn"])
        conf = 0.8 if turned or any(p.search(", ".join(open_)) for p in w["shortfall"]) else 0.7
        if len(open_) == len(clauses) or "result" not in allowed:
            return "limitation", conf
        if any(p.search(", ".join(open_)) for p in w["limitation"]):
            return "limitation", conf
        return "result", 0.8  # its shortcoming words name what was cleared: "… không còn hồ sơ trễ hạn."
    if "result" in allowed and hit("result_strong") and not hit("task"):
        return "result", 0.8  # "Như vậy, việc thu hồi đất đã được thực hiện đúng quy định."
    if "task" in allowed and hit("task"):
        return "task", 0.6
    if "result" in allowed and hit("result"):
        return "result", 0.6
    return (allowed[0] if len(allowed) == 1 else ""), 0.4


def main_clause(text: str) -> str:
    """The main clause of a sentence that opens on its reason ("Do …, …", "Do … nên …"), or "".
    The reason clause comes first in Vietnamese; the statement is what follows "nên" or its comma.

    Examples:
        >>> main_clause("Do nhà thầu gặp khó khăn về tài chính nên lực lượng thi công tiếp tục giảm.")
        'lực lượng thi công tiếp tục giảm.'
        >>> main_clause("Do mưa lớn kéo dài, 17 hồ sơ chưa được giải quyết.")
        '17 hồ sơ chưa được giải quyết.'
        >>> main_clause("Do biên chế còn thiếu."), main_clause("Số hồ sơ trễ hạn là do thiếu người.")
        ('', '')
    """
    text = unicodedata.normalize("NFC", text)
    m = REASON_FIRST.match(text)
    if not m:
        return ""
    rest = text[m.end() :]
    head, sep, tail = rest.partition(" nên ")
    if sep and not CLAUSE_BREAK.search(head.rstrip(",")):
        return tail.strip()
    head, sep, tail = rest.partition(", ")
    return tail.strip() if sep else ""


def states_outright(text: str) -> bool:
    """A statement of a shortcoming in its own words, read under a results heading (ANNOTATION.md
    `limitation`: "chưa ...", "chậm ..."; rule 6: an item's own lead-in, "Hạn chế là ...", names its
    category). Both the words of an assessment's shortcoming and those of a limitation say so, once
    what was handled, cleared or denied is set aside; and its first clause, the state of what it speaks
    of, says the shortcoming still holds (chưa, còn, vẫn) or opens with it ("Hạn chế là", "Tình trạng"):
    not an object acted on ("Kiểm soát chi 2.146 tỷ đồng, đã từ chối thanh toán 46 khoản chi chưa đủ
    thủ tục"), a measure that fell, nor a low figure alone. An item that reports nothing achieved is read
    whole ("Chế độ thông tin, báo cáo … chưa đúng thời gian quy định": a noun pair, no clause).

    Examples:
        >>> states_outright("Tình trạng tập kết vật liệu trên lòng đường vẫn còn diễn ra tại một số tuyến ngõ.")
        True
        >>> states_outright("Hạn chế là việc hướng dẫn quyết toán kinh phí còn lúng túng.")
        True
        >>> states_outright("Về cụm công nghiệp, trong 5 tháng chưa có thêm cụm nào hoàn thành hạ tầng kỹ thuật.")
        True
        >>> states_outright("Tiếp nhận 46 hồ sơ, trong đó 45 hồ sơ đúng hạn, 01 hồ sơ trễ hạn do chờ xác minh.")
        False
        >>> states_outright("Đã giải quyết 39 hồ sơ quá hạn, đến nay không còn hồ sơ trễ hạn.")
        False
        >>> states_outright("Kiểm soát chi 2.146 tỷ đồng, đã từ chối thanh toán 46 khoản chi chưa đủ thủ tục.")
        False
        >>> states_outright("Tỷ lệ hồ sơ trễ hạn giảm còn 0,8%, thấp hơn cùng kỳ.")
        False
    """
    # the subject's state, not an object acted on; a field named first ("Về cụm công nghiệp, …") is no clause
    text = without_concession(text)  # "Mặc dù … đã vượt mức …, quy mô … vẫn chưa tương xứng"
    opened = FIELD_OPENING.sub("", unicodedata.normalize("NFC", text), count=1)
    first = CLAUSE_BREAK.split(opened, maxsplit=1)[0]
    cc = category_cues()
    if states_cause(text):
        return False  # "Việc chậm trễ có nguyên nhân khách quan do …": its causes, no shortcoming
    spans = [first] if reports_achieved(text) else [first, text]  # nothing achieved: "thông tin, báo cáo" is
    return (  # a noun pair, no clause: the whole is read too
        any(
            not (cc.eased and cc.eased.search(tone_key(span)))  # "Tỷ lệ hồ sơ trễ hạn giảm còn 0,8%"
            and bool(cc.outright and cc.outright.search(tone_key(span)))  # "… chưa …", "… vẫn còn …"
            and states_shortcoming(span)
            for span in spans
        )
        and states_shortcoming(text)
        and wording_category(text, ("result", "limitation"))[0] == "limitation"
    )


def reports_achieved(text: str) -> bool:
    """Words of what was achieved (wording.result, result_strong: "đã", "đạt", "được", …), once what
    was not done ("chưa được", "không đạt") is set aside.

    Examples:
        >>> reports_achieved("Chế độ thông tin, báo cáo của một số Hội chưa đúng thời gian quy định.")
        False
        >>> reports_achieved("Kiểm soát chi 2.146 tỷ đồng, đã từ chối thanh toán 46 khoản chi chưa đủ thủ tục.")
        True
        >>> reports_achieved("17 hồ sơ chưa được giải quyết.")
        False
    """
    cc = category_cues()
    key = cc.not_achieved.sub(" ", tone_key(text))
    return any(p.search(key) for p in (*cc.wording["result"], *cc.wording["result_strong"]))


def after_turn(key: str) -> str:
    """A tone key without the contrast word that opens it ("tuy nhiên, cần …" -> "cần …").

    Examples:
        >>> after_turn("tuy nhiên, cần khẩn trương hoàn thiện hồ sơ.")
        'cần khẩn trương hoàn thiện hồ sơ.'
    """
    return TURN_OPENING.sub("", key, count=1)


def is_framing(text: str) -> bool:
    """Framing text (ANNOTATION.md `other`): closing formulas and "kết luận như sau:" lines. The words
    of a body's capitalised name ("Ủy ban Kiểm tra") name no work asked for (Nghị định 30/2020).

    Examples:
        >>> is_framing("Phó Giám đốc Trung tâm yêu cầu các phòng tổ chức thực hiện./.")
        True
        >>> is_framing("Đề nghị các Ban, Ủy ban Kiểm tra và các công đoàn cấp trên cơ sở nghiêm túc triển khai thực hiện./.")
        True
        >>> is_framing("Yêu cầu các đơn vị tập trung hoàn thành các chỉ tiêu kế hoạch năm 2019./.")
        False
    """
    keys = {tone_key(text), tone_key(without_names(text))}
    return any(p.search(key) for p in category_cues().wording["other"] for key in keys)


def under_category(chain: list[Section]) -> list[Section]:
    """The sections of a chain (nearest first) up to the first that names a category: a field of work
    ("1. Công tác quản lý thị trường") inside a review section ("I. CÔNG TÁC THÁNG 5/2022", before
    "II. NHIỆM VỤ THÁNG 6/2022") is review too.

    Examples:
        >>> chain = [Section("s2", "s1", 2, 2, "1.", "Công tác quản lý thị trường", "other"),
        ...          Section("s1", "s0", 1, 1, "I.", "CÔNG TÁC THÁNG 5/2022", "other"),
        ...          Section("s0", "", 0, 0, "", "", "other")]
        >>> [s.section_id for s in under_category(chain)]
        ['s2', 's1', 's0']
    """
    out: list[Section] = []
    for sec in chain:
        if sec.category != "other":
            break
        out.append(sec)
    return out


def review_sections(sections: list[Section]) -> set[str]:
    """Headings that name only a field of work ("1. Về kinh tế, tài chính") placed before a sibling that
    names the tasks ("4. Nhiệm vụ tháng 12/2024"): a conclusion reviews the period before it sets
    tasks (Nghị định 30/2020, Phụ lục I: the body's order), so what they hold is review.

    Examples:
        >>> secs = [Section("s1", "s0", 1, 1, "1.", "Về kinh tế", "other"),
        ...         Section("s2", "s0", 2, 1, "2.", "Nhiệm vụ tháng 12/2024", "task")]
        >>> sorted(review_sections(secs))
        ['s1']
        >>> review_sections([Section("s1", "s0", 1, 1, "1.", "Đối với xây dựng phần mềm chuyên ngành", "other"),
        ...                  Section("s2", "s0", 2, 1, "2.", "Đối với triển khai dự án GIS", "task")])
        set()
    """
    heads = category_cues().task_heads

    def names_tasks(later: Section, sec: Section) -> bool:
        head = LEADING_DETERMINER.sub("", tone_key(later.heading))
        return later.parent_id == sec.parent_id and later.category == "task" and bool(heads.match(head))

    out: set[str] = set()
    for k, sec in enumerate(sections):
        if sec.category == "other" and sec.numbering and any(names_tasks(x, sec) for x in sections[k + 1 :]):
            out.add(sec.section_id)
    return out


def categorize(
    piece: Piece,
    chain: list[Section],
    model_probs: dict[str, float] | None,
    threshold: float,
    review: bool = False,
    sorted_out: bool = False,
    previous: str = "",
    ahead: bool = False,
    turned: bool = False,
) -> tuple[str, float]:
    """Category and confidence of one piece (ANNOTATION.md rule 6; issue #8 rules + model); `review`
    for a piece under a field-of-work heading before the tasks (`review_sections`), `sorted_out` for one
    in a section whose shortcomings carry their own label ("Tồn tại: …"), `previous` the category of
    the item before it in its section, `ahead` for one before the lead-in of the tasks (`before_tasks`):
    there only a sentence that opens with what it asks ("Đề nghị …", "Giao …") is a task, not one that
    names a request in passing ("… bảo đảm đúng thời gian Quận yêu cầu"); `turned` once a shortcoming
    in its section has turned from what was achieved ("Tuy nhiên, … còn chậm")."""
    text = piece.text
    if is_framing(text) and not piece.lead:
        return "other", 0.9
    if piece.lead and len(piece.lead) == 1:
        return piece.lead[0], 0.95
    case = any(names_petition(s.heading) for s in chain)  # "1. Vụ việc của ông …": a citizen's case
    if (
        any(is_background(s.heading) or names_allegation(s.heading) for s in chain)
        or states_petition(text, case)
        or states_answer(text)
    ):
        return "other", 0.9  # "I. KHÁI QUÁT CHUNG", "I. NỘI DUNG TỐ CÁO", "Bà … đề nghị …": framing, claims
    key = tone_key(text)
    named = next((s.category for s in chain if s.category != "other"), "")
    verdict = verdict_category(text) if named != "task" else ""
    if verdict or (named in ("task", "") and not piece.opening and states_finding(text)):
        lacking = verdict == "limitation" or (not verdict and states_shortcoming(text))
        return (
            ("limitation", 0.9) if lacking else ("result", 0.9)
        )  # "… là tố cáo sai", "Qua buổi tiếp cho thấy …"
    if not piece.opening and named != "task" and body_directs(text):
        return "task", 0.9  # "Thời gian tới, Ban Thường vụ Tỉnh ủy yêu cầu …", whatever heading
    allowed: tuple[str, ...] = CATS
    mixed = next((s.heading for s in chain if s.category == "mixed"), "")
    if (
        sorted_out
        and not piece.opening
        and (named == "" or (named == "mixed" and "result" in heading_categories(mixed)))
    ):
        return labelled_review(text)
    if named == "mixed":
        heading = mixed
        if is_assessment(heading):  # "Đánh giá chung": results, unless the words state a shortcoming
            # "Do …, <a shortfall>": the reason set before it, the statement is the shortcoming
            said = wording_category(text, ("cause", "limitation")[: 2 if REASON_FIRST.match(text) else 1])
            if said[0] and said[1] >= 0.8:
                return said[0], 0.8
            additive = category_cues().additive
            if previous == "limitation" and additive is not None and additive.search(key):
                return "limitation", 0.8  # "Ngoài ra, …" after a shortcoming: one more of them
            # rule 2: one item, its dominant category; a closing "…; tuy vậy, …" leaves it a result
            lacking = (states_shortcoming(text) or states_harm(text)) and not minor_turn(text)
            return ("limitation", 0.8) if lacking else ("result", 0.8)
        # "KIẾN NGHỊ CỦA DOANH NGHIỆP VÀ HƯỚNG GIẢI QUYẾT": each paragraph by its own wording, the answer
        # (tasks) under it however early it stands
        review = review and not names_dialogue(heading)
        allowed = (
            () if names_dialogue(heading) else tuple(c for c in heading_categories(heading) if c in CATS)
        )
        allowed = allowed or CATS
        if "limitation" in allowed and "cause" not in allowed:
            allowed = (*allowed, "cause")
    elif named in CATS:
        # a paragraph that starts "Nguyên nhân ..." under a limitations heading is a cause
        if named in ("limitation", "result") and (key.startswith("nguyên nhân") or states_cause(text)):
            return "cause", 0.9  # "Những tồn tại trên có nguyên nhân chủ yếu là …" too
        if named == "result" and (
            states_shortcoming(text, turning=True) or states_outright(text) or major_turn(text)
        ):
            return "limitation", 0.9  # "Tuy nhiên, tiến độ giải ngân còn chậm" closing a results section
        if named == "result" and turned and previous == "limitation" and states_shortcoming(text):
            return "limitation", 0.9  # after the turn, "… số doanh nghiệp … còn ít." goes on with it
        return named, 1.0
    if piece.opening:
        return "other", 0.9
    asks = category_cues().ask[:1] if ahead else category_cues().ask
    if review and "result" in allowed and not any(p.search(after_turn(key)) for p in asks):
        allowed = tuple(c for c in allowed if c != "task")  # review asks for nothing: no task, model or rule
    rule_cat, rule_conf = wording_category(text, allowed, review)
    if not rule_cat and "limitation" in allowed and states_harm(text):
        rule_cat, rule_conf = "limitation", 0.8  # harm.json: "Bà phản ánh nước thải … bốc mùi hôi"
    if "task" in allowed and rule_cat in ("task", "result", "") and assigns_unit(text):
        rule_cat, rule_conf = "task", 0.8  # "Phòng Tổ chức - Hành chính chủ trì chuẩn bị …": work assigned
    if rule_cat == "limitation" and rule_conf < 0.8 and states_outright(text):
        rule_conf = 0.8  # "Chưa thu hút được nông dân tham gia …", "Còn 27 đơn vị nợ …": said outright
    if model_probs:
        probs = {c: model_probs.get(c, 0.0) for c in allowed}
        best = max(probs, key=lambda c: probs[c])
        total = sum(probs.values()) or 1.0
        conf = probs[best] / total
        # a shortcoming with its reason after it ("… kéo dài do đơn hàng sụt giảm") states no cause
        worded = best != "cause" or rule_cat != "limitation" or states_cause(text)
        if conf >= threshold and (rule_conf < 0.8 or best == rule_cat) and worded:
            return best, round(conf, 3)
    if rule_cat:
        return rule_cat, rule_conf
    if review and not named and "result" in allowed:
        return "result", 0.5  # a review reports what was done: "Phòng xét nghiệm thực hiện 14.260 mẫu …"
    return ("other", 0.5) if not named else (allowed[0], 0.4)


def labelled_review(text: str) -> tuple[str, float]:
    """The category of a paragraph in a section whose shortcomings carry their own label ("Tồn tại: …",
    "Hạn chế: …"): the author sorts them out by label (ANNOTATION.md rule 6: each item takes the category
    its own lead-in gives), so a paragraph labelled by a field of work reviews it, a result, unless it
    asks for something, states a cause, turns to what is lacking or says so in its first clause.

    Examples:
        >>> labelled_review("Về quốc phòng - an ninh, nội chính: An ninh nông thôn được giữ vững; Thanh tra huyện"
        ...                 " đã tổ chức đối thoại với 9/16 hộ dân, các hộ còn lại chưa thống nhất.")
        ('result', 0.9)
        >>> labelled_review("Về văn hóa - xã hội: Tuy nhiên, tỷ lệ tiêm vắc xin mũi 2 còn thấp.")
        ('limitation', 0.9)
    """
    cat, conf = wording_category(text, ("task", "cause"))
    if cat and conf >= 0.8:
        return cat, conf
    head, sep, tail = text.partition(":")
    statement = tail.strip() if sep and len(head) <= 80 and tail.strip() else text
    if states_shortcoming(statement, turning=True) or states_outright(statement):
        return "limitation", 0.9
    return "result", 0.9


def table_pieces(block: Block, header: list[str], default_year: int) -> list[Piece]:
    """A task-table row (STT | Nội dung | Đơn vị chủ trì | Phối hợp | Thời hạn) -> one task piece."""
    cells = block.table_row or []
    if not header or len(header) != len(cells):
        text = " ".join(c for c in cells if c and not re.fullmatch(r"\d+\.?", c))
        return [Piece(text=clean_text(text), block=block)] if text else []
    cues = item_cues()
    task_col = next((i for i, h in enumerate(header) if cues.table_task_head.search(h)), -1)
    if task_col < 0:
        return []
    actors = [cells[i].strip() for i, h in enumerate(header)
              if i != task_col and cues.table_actor_head.search(h) and cells[i].strip()]  # fmt: skip
    deadline = ""
    for i, h in enumerate(header):
        if cues.table_deadline_head.search(h) and i != task_col:
            deadline = deadline_cell(cells[i], default_year)
    text = clean_text(cells[task_col])
    if not text:
        return []
    actor_list = [a.strip() for cell in actors for a in re.split(r"[;\n]|,\s(?=[A-ZĐ])", cell) if a.strip()]
    return [Piece(text=text, lead=("task",), block=block, actors="; ".join(actor_list), deadline=deadline)]


def is_table_header(cells: list[str]) -> bool:
    """The header row of a task table: "STT" first, or column names without data (no dates).

    Examples:
        >>> is_table_header(["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Thời hạn"])
        True
        >>> is_table_header(["1", "Rà soát hồ sơ", "Văn phòng", "30/6/2024"])
        False
    """
    cues = item_cues()
    return any(cues.table_number_head.match(c) for c in cells[:1]) or (
        any(cues.table_task_head.search(c) for c in cells)
        and any(cues.table_deadline_head.search(c) or cues.table_actor_head.search(c) for c in cells)
        and not any(has_numeric_date(c) for c in cells)
    )


def merge_continued_rows(blocks: list[Block]) -> list[Block]:
    """Join a table row that a page break cut in two (ANNOTATION.md rule 5 for tables).

    A row carried over to the next page comes back after the repeated header row with an empty
    ordinal ("STT") cell; its cells continue those of the last numbered row before the break.

    Examples:
        >>> rows = [Block("", page=3, table_row=["STT", "Nội dung nhiệm vụ", "Thời hạn"]),
        ...         Block("", page=3, table_row=["5", "Tổng kết công tác năm 2022, xây dựng", "15/12/2022"]),
        ...         Block("", page=4, table_row=["STT", "Nội dung nhiệm vụ", "Thời hạn"]),
        ...         Block("", page=4, table_row=["", "Chương trình năm 2023", ""])]
        >>> [b.table_row[1] for b in merge_continued_rows(rows)]
        ['Nội dung nhiệm vụ', 'Tổng kết công tác năm 2022, xây dựng Chương trình năm 2023', 'Nội dung nhiệm vụ']
    """
    out: list[Block] = []
    last = -1  # index in `out` of the last data row of a table whose header starts with "STT"
    numbered = False
    for b in blocks:
        if b.table_row is None:
            if not b.heading:
                last = -1
            out.append(b)
            continue
        cells = [c.strip() for c in b.table_row]
        if is_table_header(cells):
            numbered = bool(cells) and bool(item_cues().table_number_head.match(cells[0]))
            out.append(b)
            continue
        prev = out[last].table_row if last >= 0 else None
        if (
            numbered
            and prev is not None
            and not cells[0]
            and b.page > out[last].page
            and len(cells) == len(prev)
        ):
            joined = [f"{a} {c}".strip() for a, c in zip(prev, cells, strict=True)]
            out[last] = Block(text=" | ".join(joined), page=out[last].page, section_id=out[last].section_id,
                              table_row=joined)  # fmt: skip
            continue
        out.append(b)
        last = len(out) - 1
    return out


def sections_to_items(
    sections: list[Section],
    blocks: list[Block],
    fields: Fields,
    settings: Settings,
    classifier: Classifier | None = None,
    actor_finder: Callable[[str], list[str]] | None = None,
) -> list[Item]:
    """Cut the body's paragraphs into items and categorise them.

    Args:
        sections: the outline from the sections stage.
        blocks: the paragraphs, each with its section_id.
        fields: document fields (a non-conclusion gets only `other` items; years for deadlines).
        settings: `textcat_threshold` and whether to use the model.
        classifier: texts -> per-category probabilities (the trained textcat), or None.
        actor_finder: text -> agencies/people a task is assigned to, or None.
    """
    by_id = {s.section_id: s for s in sections}
    default_year = int(fields.issue_date[:4]) if fields.issue_date[:4].isdigit() else 0
    pieces: list[Piece] = []
    header: list[str] = []
    merged = merge_continued_rows(blocks)
    opening = opening_blocks(merged)
    for k, b in enumerate(merged):
        if b.heading or ATTACHMENT_NOTE.match(b.text):
            continue
        nxt = merged[k + 1] if k + 1 < len(merged) else None
        if b.table_row is None and b.text.endswith(":") and nxt is not None and nxt.table_row is not None:
            continue  # rule 1: "Một số nhiệm vụ cụ thể giao các đơn vị như sau:" only introduces the table
        if k in opening:  # the meeting intro is framing, whole, whatever punctuation it holds
            pieces.append(Piece(text=clean_text(b.text), block=b, opening=True))
            continue
        if b.table_row is None and b.text.endswith(":") and nxt is not None:
            # rule 1: "Để hoàn thành các chỉ tiêu năm 2024, yêu cầu các sở, ngành:" only introduces
            pieces.append(Piece(text=clean_text(b.text), lead=("other",), block=b))
            continue
        if b.table_row is not None:
            cells = [c.strip() for c in b.table_row]
            if is_table_header(cells):
                header = cells
                continue
            pieces.extend(table_pieces(b, header, default_year))
            continue
        sec = by_id.get(b.section_id)
        if sec is not None and not sec.numbering and item_cues().attendance.search(sec.heading):
            pieces.append(Piece(text=clean_text(b.text), lead=("other",), block=b))  # who attended
            continue
        pieces.extend(split_block(b))
    pieces = [p for p in pieces if p.text]
    model_probs: list[dict[str, float] | None] = [None] * len(pieces)
    if classifier is not None and settings.textcat and fields.is_conclusion:
        need = [i for i, p in enumerate(pieces) if _needs_model(p, by_id)]
        if need:
            probs = classifier([pieces[i].text for i in need])
            for i, pr in zip(need, probs, strict=True):
                model_probs[i] = pr
    items: list[Item] = []
    heading_actors: dict[str, str] = {}
    reviewed = review_sections(sections)
    before = before_tasks(sections, [p.block for p in pieces if p.block is not None], merged)
    # sections whose shortcomings carry their own label: "Tồn tại: …" beside "Về kinh tế: …"
    sorted_out = {p.block.section_id for p in pieces if p.label == "limitation" and p.block is not None}
    last: dict[str, str] = {}  # the category of the last item of each section
    turned: set[str] = set()  # sections whose review has turned to what is lacking ("Tuy nhiên, …")
    for n, p in enumerate(pieces):
        assert p.block is not None
        sid = p.block.section_id
        chain = section_chain(by_id, sid)
        if fields.is_conclusion:
            review = bool(chain) and any(s.section_id in reviewed for s in under_category(chain))
            ahead = not review and n in before
            cat, conf = categorize(p, chain, model_probs[n], settings.textcat_threshold, review or ahead,
                                   sid in sorted_out, last.get(sid, ""), ahead, sid in turned)  # fmt: skip
            if cat == "limitation" and states_shortcoming(p.text, turning=True):
                turned.add(sid)
        else:
            cat, conf = "other", 1.0
        last[sid] = cat
        actors = p.actors
        if cat == "task" and not actors and actor_finder is not None:
            found = actor_finder(f"{p.topic}: {p.text}" if p.topic else p.text)
            actors = "; ".join(dict.fromkeys(found)) or _heading_actors(chain, actor_finder, heading_actors)
        deadline = p.deadline or (find_deadline(p.text, default_year) if cat == "task" else "")
        items.append(Item(item_id=f"i{n + 1}", section_id=p.block.section_id, seq=n + 1, category=cat,
                          topic=p.topic, text=p.text, actors=actors, deadline=deadline, page=p.block.page,
                          confidence=conf))  # fmt: skip
    return items


def _heading_actors(
    chain: list[Section], actor_finder: Callable[[str], list[str]], cache: dict[str, str]
) -> str:
    """The agencies a task's lead-in or addressee heading names ("Giao Sở Nội vụ chủ trì, phối hợp
    các đơn vị liên quan:" over "a) Rà soát …"), nearest first, up to the heading that names a
    category; "" when none does."""
    for sec in chain:
        if (sec.category != "other" and not is_directive(sec.heading)) or sec.section_id == "s0":
            return ""  # "Giao Phòng Nội vụ:" names tasks and their agency; "II. NHIỆM VỤ" no agency
        if sec.section_id not in cache:
            cache[sec.section_id] = "; ".join(dict.fromkeys(actor_finder(sec.heading)))
        if cache[sec.section_id]:
            return cache[sec.section_id]
    return ""


def _needs_model(piece: Piece, by_id: dict[str, Section]) -> bool:
    """The model is asked only where no heading or lead-in settles the category."""
    if piece.lead:
        return False
    assert piece.block is not None
    chain = section_chain(by_id, piece.block.section_id)
    named = next((s.category for s in chain if s.category != "other"), "")
    return named in ("", "mixed")
