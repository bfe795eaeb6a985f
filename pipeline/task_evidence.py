"""What a later item says of a task, for the analyse stage's task_status: the role its words give it.

Reads the cue words of data/analysis/progress.json and maps item categories and texts to the role
each item plays as evidence of a task: a report of work done, a shortcoming named again, or a task
that names work. Pure text functions: no DataFrames of a run, never reads or writes a run's files.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from .config import DATA_DIR
from .text.dates import deadline_date

PROGRESS_PATH = DATA_DIR / "analysis" / "progress.json"
LETTERS = re.compile(r"[^\W\d_]+")  # "đã", "giải", "ngân" of "đã giải ngân: 1.324,6"
# A task names the work to be done: a piece of a table row cut off as a task ("4.739,3", "đạt
# 27,9%.", "đã giải ngân: 1.324,6") names none and is set against no limitation.
MIN_TASK_SYLLABLES = 4
FIRST_CLAUSE = re.compile(r"[,;:.(]")  # "Giám đốc Sở đã ký 09 quyết định xử phạt[,] buộc ..."
MID_TURN_BEFORE = re.compile(r"[,;]\s*$")  # "..., song việc xử lý không theo kịp"
DENIED_CLAUSE = re.compile(r"\x00[^,.;]*")  # "không còn[ hồ sơ chưa giải quyết]" after a denial
RELATIVE_NOT_YET = re.compile(r"(?<!\w)(?:khi|lúc)\s+chưa(?!\w)")  # "bàn giao sử dụng khi chưa qua kiểm tra"


def cue_pattern(words: Sequence[str]) -> re.Pattern[str]:
    """One whole-word pattern of cue words, longest first, each space any run of spaces.

    Examples:
        >>> cue_pattern(["đang", "đang thẩm định"]).search("hồ sơ đang  thẩm định").group(0)
        'đang  thẩm định'
    """
    alts = sorted((re.escape(w).replace(r"\ ", r"\s+") for w in words), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)")


@lru_cache(maxsize=1)
def _cues() -> dict[str, re.Pattern[str]]:
    """Patterns of the evidence cue lists of data/analysis/progress.json."""
    data = json.loads(PROGRESS_PATH.read_text(encoding="utf-8"))
    keys = "turns still_open still_positive denials perfective completion_openers asks ask_openers not_yet"
    keys += " relative_before not_turns quantifiers"
    return {k: cue_pattern(data[k]) for k in keys.split()}


def _lower(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text).lower()).strip()


def names_work(text: str) -> bool:
    """Whether a task names work: at least MIN_TASK_SYLLABLES syllables of words.

    Examples:
        >>> names_work("đạt 27,9%.")
        False
        >>> names_work("Rà soát toàn bộ hồ sơ quá hạn trước ngày 28/02/2023.")
        True
    """
    return len(LETTERS.findall(text)) >= MIN_TASK_SYLLABLES


def _turns(t: str) -> bool:
    """A turn from what was done to what is lacking: at the start, or after a comma or semicolon."""
    cues = _cues()
    t = cues["not_turns"].sub(" ", t)
    for m in cues["turns"].finditer(t):
        if m.start() == 0 or MID_TURN_BEFORE.search(t[: m.start()]):
            return True
    return False


def _still(t: str) -> bool:
    """Whether "vẫn" says a shortcoming still holds ("vẫn ì ạch", "vẫn chưa"), not a state kept ("vẫn được bảo đảm")."""
    cues = _cues()
    kept = cues["still_positive"]
    return any(m.group(0) == "vẫn" and not kept.match(t, m.start()) for m in cues["still_open"].finditer(t))


def _not_yet(t: str) -> bool:
    """Whether "chưa" says work is not yet done, outside a denied clause and a relative one ("khi chưa …")."""
    cues = _cues()
    kept = DENIED_CLAUSE.sub(" ", cues["denials"].sub(lambda m: "\x00", t))
    for m in cues["not_yet"].finditer(kept):
        before = kept[: m.start()].split()
        if not (before and cues["relative_before"].fullmatch(before[-1])):
            return True
    return False


def states_open_shortcoming(text: str) -> bool:
    """Whether a result's own words state a shortcoming that still holds: it names a problem again.

    A turn ("Tuy nhiên, …", "…, song việc xử lý không theo kịp"), "vẫn" before a shortcoming
    ("Tiến độ … vẫn ì ạch") or "chưa" (not yet: "còn 3 huyện chưa gửi hồ sơ") makes a paragraph a limitation (ANNOTATION.md rule 2), whatever
    category the items stage gave it.

    Examples:
        >>> states_open_shortcoming("Tiến độ lập quy hoạch chung thị trấn Chư Sê vẫn ì ạch; đơn vị tư vấn nhiều lần lùi thời điểm nộp.")
        True
        >>> states_open_shortcoming("Số hồ sơ gửi về Sở tăng mạnh sau Tết, song việc xử lý không theo kịp.")
        True
        >>> states_open_shortcoming("Tuy nhiên, số người mua thẻ bảo hiểm y tế hộ gia đình sụt giảm.")
        True
        >>> states_open_shortcoming("An ninh chính trị vẫn được bảo đảm, không để xảy ra điểm nóng.")
        False
        >>> states_open_shortcoming("Danh sách người có uy tín chưa được trình phê duyệt đúng hạn, còn 3 huyện chưa gửi hồ sơ.")
        True
        >>> states_open_shortcoming("Phòng đã lập danh mục 23 công trình bàn giao sử dụng khi chưa qua kiểm tra.")
        False
        >>> states_open_shortcoming("04 hồ sơ tồn đọng đã được trả kết quả; hiện không còn hồ sơ quá hạn.")
        False
    """
    t = _lower(text)
    return _turns(t) or _still(t) or _not_yet(t)


def reports_done(text: str) -> bool:
    """Whether an item's own words report a piece of work done, whatever category it was given.

    The perfective "đã" in the first clause, after the subject ("Giám đốc Sở đã ký 09 quyết định
    xử phạt …", "Đã xác định nguyên nhân lún, nứt …"), or a report opening with the completion
    verb ("Hoàn thành tiêm phòng đợt 2 cho 28.460 con trâu, bò"); with no word saying a
    shortcoming still holds ("chưa", "vẫn", "chậm", "xảy ra", outside a denial "không còn …"),
    no turn, and no word of an assignment or a deadline ("giao", "trước ngày").

    Examples:
        >>> reports_done("Giám đốc Sở đã ký 09 quyết định xử phạt vi phạm hành chính, buộc tháo dỡ phần xây dựng sai phép.")
        True
        >>> reports_done("Hoàn thành tiêm phòng lở mồm long móng đợt 2 cho 28.460 con trâu, bò.")
        True
        >>> reports_done("Trong dịp nghỉ lễ đã xảy ra 02 vụ đuối nước làm 03 học sinh tử vong.")
        False
        >>> reports_done("Hoàn thành giải ngân 100% kế hoạch vốn trước ngày 31/12/2024.")
        False
        >>> reports_done("Hoàn tất hồ sơ xử phạt 09 công trình xây dựng không phép trong tháng 4/2024.")
        False
        >>> reports_done("Phòng Quản lý chất lượng đã lập danh mục 23 công trình bàn giao khi chưa qua kiểm tra.")
        True
        >>> reports_done("Các hộ đã tự ý xây dựng nhà trên đất nông nghiệp.")
        False
        >>> reports_done("Tập trung thực hiện các nhiệm vụ theo kế hoạch đã được phê duyệt.")
        False
    """
    t = _lower(text)
    cues = _cues()
    first = FIRST_CLAUSE.split(t, maxsplit=1)[0]
    opener = cues["completion_openers"].match(t) is not None
    perfective = cues["perfective"].search(first) is not None
    if not (opener or perfective) or cues["asks"].search(t) or cues["ask_openers"].match(t) or _turns(t):
        return False
    if perfective and not opener and not (_reporting_subject(text) and _perfective_before_work(text)):
        # "Tập trung thực hiện … đã được phê duyệt", "Các hộ đã tự ý …": no body reports its work;
        # "Trung tâm … hoàn chỉnh phương án … đã được phê duyệt": "đã" inside the object of an order
        return False
    # "hoàn tất hồ sơ … trong tháng 4/2024": the completion verb of an order with its deadline
    if opener and not perfective and deadline_date(t, 2000):
        return False
    open_words = cues["denials"].sub(" ", t)
    # "… 23 công trình bàn giao sử dụng khi chưa qua kiểm tra": a relative clause names what the work concerned
    open_words = RELATIVE_NOT_YET.sub(" ", open_words)
    return cues["still_open"].search(open_words) is None


def _perfective_before_work(text: str) -> bool:
    """Whether the first "đã" of an item's first clause comes before its first work verb: the aspect of the predicate.

    A Vietnamese aspect marker stands before the verb it marks ("Giám đốc Sở đã ký 09 quyết
    định"); a "đã" after the clause's work verb sits in a relative clause of its object ("Sở
    Nông nghiệp và Môi trường hướng dẫn thủ tục … các mỏ đã có trong quy hoạch"), and the
    clause is an order, not a report. The work verbs are those of data/analysis/task_object.json,
    printed lower case: one printed with a capital is part of a body's name ("Đội Kiểm tra thuế
    đã …"), except as the item's first word ("Tổ chức thực hiện nghiêm Kế hoạch … đã được phê duyệt").

    Args:
        text: an item, NFC or NFD.

    Examples:
        >>> _perfective_before_work("Đội Kiểm tra thuế đã đưa 27 hộ kinh doanh vào quản lý thuế.")
        True
        >>> _perfective_before_work("Trung tâm Phát triển quỹ đất hoàn chỉnh phương án đấu giá các khu đất đã được phê duyệt.")
        False
    """
    from .task_objects import _task_lexicon, _work_verb_at

    clause = FIRST_CLAUSE.split(unicodedata.normalize("NFC", text).strip(), maxsplit=1)[0]
    words = clause.split()
    if words:
        words[0] = words[0].lower()
    lex = _task_lexicon()
    for k, w in enumerate(words):
        if w.lower() == "đã":
            return True
        if _work_verb_at(words, k, lex):
            return False
    return False


def _reporting_subject(text: str) -> bool:
    """Whether an item opens with "đã" or with the name of a body or office holder ("Giám đốc Sở",
    "Phòng Kế hoạch - Nghiệp vụ"), printed with a capital, not a subject of many ("Các hộ", "Một số")."""
    from .task_objects import _starts, _task_lexicon

    words = unicodedata.normalize("NFC", text).split()
    if not words:
        return False
    low = [w.lower() for w in words]
    if low[0] == "đã":
        return True
    return (
        words[0][:1].isupper()
        and not _cues()["quantifiers"].match(" ".join(low[:2]))
        and bool(_starts(words, 0, _task_lexicon().actors))
    )


def evidence_roles(categories: Sequence[str], texts: Sequence[str]) -> list[str]:
    """The role of each item as evidence of a task: "result" (reports work done), "limitation"
    (names a shortcoming), "task" (sets work), or "" (none).

    The category decides, except where the item's own words say otherwise: a result that states
    a shortcoming still open is a limitation (`states_open_shortcoming`); a limitation, cause,
    task or other item that reports work done is a result (`reports_done`); a task that names no
    work (`names_work`: a piece of a table row) plays no role.

    Examples:
        >>> evidence_roles(["result", "limitation", "task", "task"],
        ...     ["Tuy nhiên, độ bao phủ bảo hiểm y tế chỉ đạt 87,4%.",
        ...      "Phòng Kế hoạch - Nghiệp vụ đã báo cáo danh sách 03 khoa vi phạm.",
        ...      "đạt 27,9%.", "Giao Phòng Y tế kiểm tra các cơ sở trước ngày 10/12/2024."])
        ['limitation', 'result', '', 'task']
    """
    out = []
    for cat, text in zip(categories, texts, strict=True):
        role = cat
        if cat == "result":
            role = "limitation" if states_open_shortcoming(text) else "result"
        elif cat in ("limitation", "cause", "task", "other") and reports_done(text):
            role = "result"
        elif cat == "task" and not names_work(text):
            role = ""
        out.append(role if role in ("result", "limitation", "task") else "")
    return out
