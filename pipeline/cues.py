"""Category cues: the words of headings, lead-ins and assessments that name an item category.

Reads data/rules/categories.json (and the agency head words of data/lexicon/agencies.txt) once;
returns the categories a heading names, whether it names a body, and whether a sentence of an
assessment states a shortcoming. It never cuts text or builds the outline.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass, field

from .config import DATA_DIR
from .text.canonical import tone_key

# A turn inside a clause of what was done: what follows still holds ("đã kiểm tra 6 trường, còn 2 …");
# "còn" says what remains where it opens a clause, not inside the object ("… với 05 hoạt chất còn thiếu")
# … or says it reached only so much: "đã ban hành nhiều văn bản, đến ngày 30/6 toàn tỉnh mới giải ngân được 3.962 tỷ"
HELD = re.compile(
    r"(?:^|[,;:]\s*)còn(?!\w)|(?<!\w)(?:vẫn|nhưng|song|tuy nhiên|tuy vậy)(?!\w)"
    r"|(?<!\w)(?:mới|chỉ)(?: \w+){1,4} được \d"
)


@dataclass(frozen=True)
class CategoryCues:
    """Cue phrases per category, as tone keys (data/rules/categories.json)."""

    heading: dict[str, tuple[str, ...]]
    result_overrides_task: tuple[str, ...]
    wording: dict[str, tuple[re.Pattern[str], ...]]
    assessment: tuple[str, ...] = ()  # "đánh giá chung": results, and shortcomings where worded so
    assessment_limitation: tuple[re.Pattern[str], ...] = ()
    contrast: tuple[re.Pattern[str], ...] = ()  # "Tuy nhiên, …": the turn to what is lacking
    additive: re.Pattern[str] | None = None  # "Ngoài ra, …": one more of what the paragraph before says
    denied: re.Pattern[str] | None = None  # "không để xảy ra điểm nóng": no shortcoming
    cleared: re.Pattern[str] | None = None  # "đến nay không còn hồ sơ trễ hạn": a shortcoming cleared
    outright: re.Pattern[str] | None = None  # "Một số tổ dân phố chưa …": a shortcoming that still holds
    eased: re.Pattern[str] | None = None  # "Tỷ lệ hồ sơ trễ hạn giảm còn 0,8%": a measure that fell
    setting: re.Pattern[str] | None = None  # "trong bối cảnh còn nhiều khó khăn, …": a setting
    still: re.Pattern[str] | None = None  # "… xong nhưng chưa nghiệm thu": one that still holds
    # "Giao Sở Nội vụ:", "Chủ tịch UBND huyện đề nghị:": a directive lead-in announces tasks
    directive_lead: re.Pattern[str] | None = None
    remedy: re.Pattern[str] | None = None  # "xử lý sai phạm": the shortcoming is what a task fixes
    handled: re.Pattern[str] | None = None  # "đã lập danh mục … khi chưa qua kiểm tra": what was handled
    ask: tuple[re.Pattern[str], ...] = ()  # "Đề nghị …", "… trước ngày 20/3": what asks for a task
    task_heads: re.Pattern[str] = re.compile(r"(?!)")  # "nhiệm vụ tháng 12/2024": a heading of the tasks
    # The heading and assessment cues as whole-word patterns, compiled once: "hạn chế" in
    # "những hạn chế cần chú ý" but not in "hạn chếch".
    heading_words: dict[str, tuple[re.Pattern[str], ...]] = field(default_factory=dict)
    assessment_words: tuple[re.Pattern[str], ...] = ()
    background: tuple[re.Pattern[str], ...] = ()  # "Khái quát chung": the setting, framing text
    overrides: tuple[re.Pattern[str], ...] = ()  # result_overrides_task, as written
    responsibility: re.Pattern[str] = re.compile(r"(?!)")  # "trách nhiệm": who answers for the violations
    basis: re.Pattern[str] = re.compile(r"(?!)")  # "từ kết quả thanh tra nêu trên, ": what a lead-in rests on
    field_label: re.Pattern[str] = re.compile(r"(?!)")  # "… hồ sơ lớn. Chủ trì:": a task's particulars inline
    measures: re.Pattern[str] = re.compile(r"(?!)")  # "KẾT LUẬN VÀ XỬ LÝ": the measures of an inspection
    cause_predicate: re.Pattern[str] = re.compile(r"(?!)")  # "Những tồn tại trên có nguyên nhân chủ yếu là …"
    not_achieved: re.Pattern[str] = re.compile(r"(?!)")  # "chưa được", "không đạt": what was not done
    done_ask: re.Pattern[str] = re.compile(r"(?!)")  # "đã có văn bản đề nghị": an ask reported done
    # "Về giải ngân kế hoạch vốn": a thing named by a cue word ("kế hoạch vốn"), no category
    heading_neutral: re.Pattern[str] = re.compile(r"(?!)")


def without_done_asks(key: str) -> str:
    """A tone key with the verb of an ask reported done blanked ("đã có văn bản đề nghị Sở …"): what the
    body did, no task cue (categories.json `done_ask`).

    Examples:
        >>> without_done_asks("ubnd huyện đã có văn bản đề nghị sở giao thông vận tải sửa chữa")
        'ubnd huyện đã có văn bản _______ sở giao thông vận tải sửa chữa'
        >>> without_done_asks("đề nghị sở giao thông vận tải sửa chữa")
        'đề nghị sở giao thông vận tải sửa chữa'
    """

    def blank(m: re.Match[str]) -> str:
        a, b = m.span(1)  # the verb, the only group
        return m.group()[: a - m.start()] + "_" * (b - a) + m.group()[b - m.start() :]

    return category_cues().done_ask.sub(blank, key)


def whole_word(cue: str) -> re.Pattern[str]:
    """A cue phrase matched as whole words of a tone key.

    Examples:
        >>> bool(whole_word("hạn chế").search("những hạn chế cần chú ý")), bool(whole_word("hạn chế").search("hạn chếch"))
        (True, False)
    """
    return re.compile(r"(?<!\w)" + re.escape(cue) + r"(?!\w)")


@functools.lru_cache(maxsize=1)
def category_cues() -> CategoryCues:
    """Load category cue phrases once per process."""
    raw = json.loads((DATA_DIR / "rules" / "categories.json").read_text(encoding="utf-8"))
    heading = {c: tuple(tone_key(w) for w in ws) for c, ws in raw["heading"].items()}
    wording = {c: tuple(re.compile(tone_key(p)) for p in ps) for c, ps in raw["wording"].items()}
    wording["shortfall"] += wording["recurrence"]  # a shortcoming that came back is said outright too
    overrides = tuple(tone_key(w) for w in raw["result_overrides_task"])
    shortcomings = "|".join(re.escape(w) for w in heading["limitation"])
    verbs = "|".join(re.escape(tone_key(w)) for w in raw["remedy"])
    lead = "|".join(re.escape(tone_key(w)) for w in raw["directive_lead"])
    return CategoryCues(
        heading=heading, result_overrides_task=overrides, wording=wording,
        assessment=tuple(tone_key(w) for w in raw["assessment"]),
        assessment_limitation=tuple(re.compile(tone_key(p)) for p in raw["assessment_limitation"]),
        contrast=tuple(re.compile(tone_key(p)) for p in raw["contrast"]),
        additive=re.compile("^(?:" + "|".join(re.escape(tone_key(w)) for w in raw["additive"]) + r")(?!\w)"),
        denied=re.compile(tone_key(raw["denied"])),
        cleared=re.compile(tone_key(raw["cleared"])),
        setting=re.compile(tone_key(raw["setting"])),
        eased=re.compile(tone_key(raw["eased"])),
        outright=re.compile(tone_key(raw["outright"])),
        still=re.compile(tone_key(raw["still"])),
        directive_lead=re.compile(rf"^(?:{lead})\s.*:$|\s(?:{lead})\s*:$"),
        remedy=re.compile(rf"(?<!\w)(?P<verb>{verbs})(?:,? (?:các|những|mọi))? (?:{shortcomings})(?!\w)"),
        handled=re.compile(tone_key(raw["handled"])),
        ask=tuple(re.compile(tone_key(p)) for p in raw["ask"]),
        task_heads=re.compile("|".join(re.escape(tone_key(w)) + r"(?!\w)" for w in raw["task_heads"])),
        heading_words={c: tuple(whole_word(w) for w in ws) for c, ws in heading.items()},
        assessment_words=tuple(whole_word(tone_key(w)) for w in raw["assessment"]),
        background=tuple(whole_word(tone_key(w)) for w in raw["background"]),
        overrides=tuple(re.compile(re.escape(o)) for o in overrides),
        responsibility=re.compile(tone_key(raw["responsibility"])),
        basis=re.compile(tone_key(raw["basis"])),
        field_label=re.compile(r"[.;]\s+(?:" + "|".join(re.escape(tone_key(w)) for w in raw["field_labels"]) + r")\s*:$"),
        measures=re.compile(tone_key(raw["measures"])),
        cause_predicate=re.compile(tone_key(raw["cause_predicate"])),
        not_achieved=re.compile(tone_key(raw["not_achieved"])),
        done_ask=re.compile(tone_key(raw["done_ask"])),
        heading_neutral=re.compile("|".join(r"(?<!\w)" + re.escape(tone_key(w)) + r"(?!\w)" for w in raw["heading_neutral"])),
    )  # fmt: skip


# What a shortcoming noun's relative clause asks for describes the noun, asks nothing: "Các tồn tại, hạn
# chế cần tập trung khắc phục:" lists shortcomings; up to "và", where the next noun phrase starts
# ("Những hạn chế cần chú ý và nhiệm vụ cần tập trung").
QUALIFIER = re.compile(r"(?<=\w) cần(?!\w)(?:(?! và )[^,;:.])*")


def without_qualifier(key: str, cc: CategoryCues) -> str:
    """A tone key with the "cần …" relative clause that follows a shortcoming noun blanked.

    Examples:
        >>> without_qualifier("các tồn tại, hạn chế cần tập trung khắc phục", category_cues())
        'các tồn tại, hạn chế _______________________'
        >>> without_qualifier("những hạn chế cần chú ý và nhiệm vụ cần tập trung", category_cues())
        'những hạn chế _________ và nhiệm vụ cần tập trung'
    """
    nouns = [m.end() for p in cc.heading_words["limitation"] for m in p.finditer(key)]

    def blank(m: re.Match[str]) -> str:
        return " " + "_" * (len(m.group()) - 1) if m.start() in nouns else m.group()

    return QUALIFIER.sub(blank, key)


def heading_categories(text: str, by_last: bool = False, qualified: bool = False) -> list[str]:
    """Categories a heading or lead-in names, in order of appearance (of last mention with `by_last`).

    Examples:
        >>> heading_categories("Những hạn chế cần chú ý và nhiệm vụ cần tập trung trong tháng 6/2020")
        ['limitation', 'task']
        >>> heading_categories("KẾT QUẢ THỰC HIỆN NHIỆM VỤ QUÝ II NĂM 2024")
        ['result']
        >>> heading_categories("Từ kết quả thanh tra nêu trên, Chánh Thanh tra huyện kiến nghị và yêu cầu")
        ['task']

    With `qualified`, the lead-in of an in-sentence list (ANNOTATION.md rule 3): a "cần …" clause after
    a shortcoming noun qualifies it.

        >>> heading_categories("Các tồn tại, hạn chế cần tập trung khắc phục", qualified=True)
        ['limitation']
    """
    cc = category_cues()
    # "Từ kết quả thanh tra nêu trên, Chánh Thanh tra kiến nghị và yêu cầu": the results are its basis
    key = cc.basis.sub("", tone_key(text).lstrip(), count=1)
    # "kế hoạch vốn": a thing, no task; an OCR "_" joins no words ("I_TÌNH HÌNH THỰC HIỆN NHIỆM VỤ")
    key = cc.heading_neutral.sub(lambda m: "_" * len(m.group()), key.replace("_", " "))
    # "Nguyên nhân của những tồn tại, hạn chế": what follows "của" qualifies the head noun
    head, sep, _ = key.partition(" của ")
    head_noun = re.sub(r"^(những|các|một số)\s+", "", head)
    if sep and any(head_noun.startswith(w) for ws in cc.heading.values() for w in ws):
        key = head
    if cc.remedy is not None:  # "Biện pháp xử lý sai phạm": "sai phạm" is what the task fixes
        key = cc.remedy.sub(lambda m: m.group("verb") + "_" * (m.end() - m.end("verb")), key)
    if qualified:
        key = without_qualifier(key, cc)
    # a cue inside a longer cue of another category is a word of that phrase: "yêu cầu" in "chưa đạt
    # yêu cầu" names the requirement not met, no request
    spans = [(m.start(), m.end(), cat) for cat, patterns in cc.heading_words.items() for p in patterns
             for m in p.finditer(key)]  # fmt: skip
    found: list[tuple[int, str]] = []
    for cat in cc.heading_words:
        positions = [
            a for a, b, c in spans
            if c == cat and not any(c2 != cat and a2 <= a and b <= b2 and b2 - a2 > b - a for a2, b2, c2 in spans)
        ]  # fmt: skip
        if positions:
            found.append((max(positions) if by_last else min(positions), cat))
    assessed = [m.start() for p in cc.assessment_words for m in p.finditer(key)]
    if assessed:  # "Đánh giá chung" reviews what was done and what is lacking
        found = [f for f in found if f[1] not in ("result", "limitation")]
        found += [(min(assessed), "result"), (min(assessed) + 1, "limitation")]
    cats = [c for _, c in sorted(found)]
    if "task" in cats and not _task_outside_overrides(key, cc):
        # "Kết quả thực hiện nhiệm vụ quý II", "ghi nhận … đã hoàn thành các nhiệm vụ được giao": the
        # "nhiệm vụ" is what was done, not what is to do; alone, "Thực hiện nhiệm vụ tháng 5" reviews
        if "result" in cats:
            cats.remove("task")
        elif len(cats) == 1:
            cats = ["result"]
    return cats


def without_names(text: str) -> str:
    """A lead-in with the capitalised words inside it blanked: they belong to a proper name ("Phòng
    Kế hoạch - Tài chính", "Ban Chỉ đạo"), whose words name no category (Nghị định 30/2020, Phụ lục
    I: a body's name is capitalised); the first word and acronyms ("UBND") are kept.

    Examples:
        >>> without_names("Phòng Kế hoạch - Tài chính")
        'Phòng __ hoạch - ___ chính'
        >>> without_names("còn các hạn chế")
        'còn các hạn chế'
    """
    words = text.split(" ")
    return " ".join(
        [words[0]] + ["_" * len(w) if w[:1].isupper() and not w.isupper() else w for w in words[1:]]
    )


@functools.cache
def agency_heads() -> tuple[str, ...]:
    """The head words that open a body's name (data/lexicon/agencies.txt: "Phòng", "Sở", "Trung tâm" …)."""
    lines = (DATA_DIR / "lexicon" / "agencies.txt").read_text(encoding="utf-8").splitlines()
    return tuple(
        unicodedata.normalize("NFC", w.strip()) for w in lines if w.strip() and not w.startswith("#")
    )


def names_body(text: str) -> bool:
    """A heading that is a body's name: an agency head word, then a capitalised word of the name
    ("Phòng Kế hoạch - Nghiệp vụ", "Trung tâm Y tế huyện"); Nghị định 30/2020 capitalises a name's words.

    Examples:
        >>> names_body("Phòng Kế hoạch - Nghiệp vụ"), names_body("Kế hoạch tháng 9/2024")
        (True, False)
        >>> names_body("L Đánh giá chung")
        False
    """
    t = unicodedata.normalize("NFC", text).strip()
    return any(
        t.startswith(h + " ") and t[len(h) + 1 : len(h) + 2].isupper()
        for h in agency_heads()
        if not h.isupper()
    )


# What joins the category nouns of one label: "Tồn tại, hạn chế", "Khó khăn và vướng mắc", "Hạn chế/tồn tại"
LABEL_JOINERS = re.compile(r"(?<!\w)và(?!\w)|[\s,;/&\-–]")  # "khó khăn, vướng mắc" -> "khó khănvướng mắc"


def bare_label(head: str, tail: str) -> str:
    """The category a label of one statement names, or "": a bare category noun before the colon
    ("Tồn tại: Tổ COVID cộng đồng … chưa nắm chắc 14 hộ …; qua kiểm tra …"), as "Công tác thanh tra:"
    labels its bullet (ANNOTATION.md rules 2 and 4), with the statement after it opening a sentence of
    its own (a capital or a figure). A lead-in that introduces a list (rule 3) says more than the noun:
    a quantifier or plural ("các", "những", "một số"), "sau", a verb ("còn các hạn chế:"), or a list
    that goes on in lower case ("Nguyên nhân: do …; do …").

    Examples:
        >>> bare_label("Tồn tại", "Tổ COVID cộng đồng chưa nắm chắc 14 hộ; có 05 người không có mặt.")
        'limitation'
        >>> bare_label("Một số tồn tại", "Thu thuế đạt thấp; hồ sơ còn sai sót.")
        ''
        >>> bare_label("Nguyên nhân", "định mức biên chế chưa tương xứng; thu nhập còn thấp.")
        ''
    """
    start = tail.strip()[:1]
    if not (start.isupper() or start.isdigit()):
        return ""
    cats = heading_categories(head)
    if len(cats) != 1:
        return ""
    rest = tone_key(head).strip()
    for pattern in sorted(category_cues().heading_words[cats[0]], key=lambda p: -len(p.pattern)):
        rest = pattern.sub(" ", rest)
    return "" if LABEL_JOINERS.sub("", rest) else cats[0]


def _task_outside_overrides(key: str, cc: CategoryCues) -> bool:
    """A task cue of the tone key outside every phrase of what was done ("hoàn thành các nhiệm vụ")."""
    covered = [(m.start(), m.end()) for o in cc.overrides for m in o.finditer(key)]
    return any(
        not any(a <= m.start() < b for a, b in covered)
        for p in cc.heading_words["task"]
        for m in p.finditer(key)
    )


def without_handled(key: str) -> str:
    """A tone key with what an action reported done handled blanked: the shortcoming it names is the
    action's object ("đã lập danh mục 23 công trình bàn giao khi chưa qua kiểm tra"), unless the clause
    turns or says what remains ("đã kiểm tra 6 trường, còn 2 trường chưa …").

    Examples:
        >>> without_handled("phòng đã lập danh mục 23 công trình khi chưa qua kiểm tra.")
        'phòng ___________________________________________________.'
        >>> without_handled("đã kiểm tra 6 trường, còn 2 trường chưa báo cáo")
        'đã kiểm tra 6 trường, còn 2 trường chưa báo cáo'
        >>> without_handled("khoa dược đã ký hợp đồng đối với 05 hoạt chất còn thiếu")
        'khoa dược _____________________________________________'
    """
    cc = category_cues()
    if cc.handled is None:
        return key

    def blank(m: re.Match[str]) -> str:
        return m.group() if HELD.search(m.group()) else "_" * len(m.group())

    return cc.handled.sub(blank, key)


def is_background(text: str) -> bool:
    """A heading that describes the body inspected or the setting ("I. KHÁI QUÁT CHUNG"): its
    paragraphs frame the conclusion and are no results.

    Examples:
        >>> is_background("I. KHÁI QUÁT CHUNG"), is_background("II. KẾT QUẢ KIỂM TRA, XÁC MINH")
        (True, False)
    """
    key = tone_key(text)
    return any(p.search(key) for p in category_cues().background)


def names_responsibility(text: str) -> bool:
    """A heading that names who answers for the violations an inspection found ("III. TRÁCH NHIỆM",
    "Xác định trách nhiệm"): Luật Thanh tra 2022 and Nghị định 43/2023 put it beside their causes, so
    its paragraphs are causes; not "Trách nhiệm thực hiện", "Trách nhiệm của các sở, ngành" (tasks).
    `text` is the heading without its outline marker.

    Examples:
        >>> names_responsibility("TRÁCH NHIỆM"), names_responsibility("Trách nhiệm của tập thể, cá nhân")
        (True, True)
        >>> names_responsibility("Trách nhiệm của các sở, ban, ngành, UBND các xã, phường")
        False
    """
    key = tone_key(text).strip().rstrip(":.").strip()
    return bool(category_cues().responsibility.match(key))


def names_measures(text: str) -> bool:
    """A heading that joins the conclusion with the measures it takes ("III. KẾT LUẬN VÀ XỬ LÝ",
    "Kết luận, kiến nghị biện pháp xử lý"): Luật Thanh tra 2022 and Luật Quản lý thuế put the measures
    (truy thu, xử phạt, thu hồi, tính tiền chậm nộp) under it, so its paragraphs are tasks.
    `text` is the heading without its outline marker.

    Examples:
        >>> names_measures("KẾT LUẬN VÀ XỬ LÝ"), names_measures("Kết luận, biện pháp xử lý")
        (True, True)
        >>> names_measures("KẾT LUẬN"), names_measures("Kết quả xử lý đơn thư")
        (False, False)
    """
    key = tone_key(text).strip().rstrip(":.").strip()
    return bool(category_cues().measures.match(key))


def states_cause(text: str) -> bool:
    """A sentence whose predicate names the causes ("Những tồn tại trên có nguyên nhân chủ yếu là …",
    "Tình trạng này có nguyên nhân do …"): it states causes (ANNOTATION.md `cause`), whatever heading
    it stands under.

    Examples:
        >>> states_cause("Những tồn tại trên có nguyên nhân chủ yếu là Hiệu trưởng chưa sâu sát.")
        True
        >>> states_cause("Tỷ lệ giải ngân còn thấp, chưa xác định rõ nguyên nhân.")
        False
    """
    return bool(category_cues().cause_predicate.search(tone_key(text).strip()))


def ends_on_field_label(text: str) -> bool:
    """A line that ends on the label of a task's particular after a finished sentence ("… số lượng hồ
    sơ lớn. Chủ trì:"): the label's value follows on the next line, inside the same paragraph.

    Examples:
        >>> ends_on_field_label("chính còn hiệu lực đối với các thủ tục có số lượng hồ sơ lớn. Chủ trì:")
        True
        >>> ends_on_field_label("Ban Chỉ đạo giao các cơ quan thực hiện các nhiệm vụ sau:")
        False
    """
    return bool(category_cues().field_label.search(tone_key(text).rstrip()))


def is_assessment(text: str) -> bool:
    """A heading that assesses the period as a whole ("Đánh giá chung", "Kết quả kiểm tra"): its
    items are results unless their own words state a shortcoming.

    Examples:
        >>> is_assessment("I. ĐÁNH GIÁ CHUNG"), is_assessment("1. Kết quả đạt được")
        (True, False)
    """
    key = tone_key(text)
    return any(p.search(key) for p in category_cues().assessment_words)


def states_shortcoming(text: str, turning: bool = False) -> bool:
    """Words that state a shortcoming in an assessment ("Tuy nhiên, ... còn chậm"); with `turning`,
    only after a turn from what was achieved ("Tuy nhiên", "Bên cạnh đó").

    Examples:
        >>> states_shortcoming("Tuy nhiên, tiến độ giải phóng mặt bằng còn chậm.")
        True
        >>> states_shortcoming("Sở đã phối hợp tháo gỡ nhiều khó khăn, vướng mắc cho doanh nghiệp.")
        False
        >>> states_shortcoming("An ninh được giữ vững, không để xảy ra điểm nóng, không có vi phạm.")
        False
    """
    key = tone_key(text)
    cc = category_cues()
    if turning and not any(p.search(key) for p in cc.contrast):
        return False
    if cc.denied is not None:
        key = cc.denied.sub(" ", key)
    if cc.setting is not None:  # "Dù thời tiết mưa bão kéo dài, các trường đã bố trí dạy bù"
        key = cc.setting.sub(" ", key)
    if cc.remedy is not None:  # "đã ký 09 quyết định xử phạt vi phạm": the violation is what was punished
        key = cc.remedy.sub(lambda m: m.group("verb"), key)
    key = without_handled(key)
    return any(p.search(key) for p in cc.assessment_limitation)
