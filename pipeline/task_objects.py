"""What a task asks for, for the analyse stage: a task's text without the body it is addressed to.

Reads a task text and the addressing words (data/analysis/task_leads.json, task_object.json); returns
the work it names ("Giao Phòng Tư pháp chủ trì, phối hợp ... rà soát hồ sơ" -> "rà soát hồ sơ").
Never reads a deadline (`task_deadlines` does), nor any file of a run.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from .config import DATA_DIR
from .topics import LEAD_CLAUSE_MAX, SPACES, _folded, _lower

if TYPE_CHECKING:
    import pandas as pd

TASK_LEADS_PATH = DATA_DIR / "analysis" / "task_leads.json"
TASK_OBJECT_PATH = DATA_DIR / "analysis" / "task_object.json"
TASK_DIRECTIVE_WINDOW = 20  # syllables after the lead within which the addressing must end
CO_ACTOR_MAX = 10  # syllables of a co-acting body's name ended by a comma alone ("Sở Lao động - ... Xã hội,")
# pairs written with a comma inside one term: "phòng, chống dịch" (one verb), "Hội đồng bồi
# thường, hỗ trợ và tái định cư" (one remit, Luật Đất đai): the comma ends no name
FIXED_PAIRS = {("phòng,", "chống"), ("thường,", "hỗ")}


Lexicon = dict[str, tuple[tuple[str, ...], ...]]  # first syllable -> phrases, longest first


def _by_first(phrases: Iterable[str]) -> Lexicon:
    """Lower-case phrases as syllable tuples indexed by their first syllable, longest first."""
    out: dict[str, set[tuple[str, ...]]] = {}
    for p in phrases:
        words = tuple(_lower(p).split())
        if words:
            out.setdefault(words[0], set()).add(words)
    return {w: tuple(sorted(ps, key=lambda q: (-len(q), q))) for w, ps in out.items()}


@dataclass(frozen=True)
class TaskLexicon:
    """The words `task_object` reads (data/analysis/task_leads.json and task_object.json)."""

    leads: Lexicon  # "giao", "đề nghị": open an assignment
    actors: Lexicon  # "phòng", "trưởng các thôn": open the name of a body or an office holder
    directives: Lexicon  # "chủ trì", "đôn đốc": direct without naming the work
    co_actor: frozenset[tuple[str, ...]]  # "phối hợp (với)": the name of a co-acting body follows
    work: Lexicon  # "lập", "bố trí": open the work itself (an addressing ends there)
    units: Lexicon  # "huyện", "thị xã": a list of co-acting bodies goes on after a comma
    ordinals: re.Pattern[str]  # "Thứ tư,", "Một là,": a paragraph's number before its comma


@lru_cache(maxsize=1)
def _task_lexicon() -> TaskLexicon:
    """The task lexicons, read once per process."""
    leads = json.loads(TASK_LEADS_PATH.read_text(encoding="utf-8"))
    more = json.loads(TASK_OBJECT_PATH.read_text(encoding="utf-8"))
    return TaskLexicon(
        leads=_by_first(leads["leads"]),
        actors=_by_first([*leads["actors"], *more["actors"]]),
        directives=_by_first(leads["directives"]),
        co_actor=frozenset(tuple(_lower(p).split()) for p in more["co_actor"]),
        work=_by_first(more["work_verbs"]),
        units=_by_first(more["units"]),
        ordinals=re.compile(
            r"^(?:" + "|".join(re.escape(_lower(w)) for w in leads.get("ordinals", [])) + r")\s*,\s*", re.I
        ),
    )


def _phrase_at(words: Sequence[str], at: int, lexicon: Lexicon, *, cased: bool = False) -> tuple[str, ...]:
    """The lexicon phrase at `words[at]` (empty: none); `cased` wants a lower-case first syllable.

    "Thanh tra tỉnh thanh tra chuyên ngành": with `cased`, only the second "thanh tra" is a verb.
    """
    if at >= len(words) or (cased and words[at][:1].isupper()):
        return ()
    first = words[at].lower().strip(",;")
    for phrase in lexicon.get(first, ()):
        if tuple(w.lower().strip(",;") for w in words[at : at + len(phrase)]) == phrase:
            return phrase
    return ()


def _starts(words: Sequence[str], at: int, lexicon: Lexicon, *, cased: bool = False) -> int:
    """Length of the lexicon phrase at `words[at]` (0: none); `cased` wants a lower-case first syllable."""
    return len(_phrase_at(words, at, lexicon, cased=cased))


def _work_verb_at(words: Sequence[str], at: int, lex: TaskLexicon) -> bool:
    """Whether a work verb (lower case) starts at `words[at]`, not one coordinated inside a name.

    "Hội đồng bồi thường, hỗ trợ và tái định cư huyện": "hỗ trợ và" names the council's remit.
    """
    n = _starts(words, at, lex.work, cased=True)
    return bool(n) and not (
        at + n < len(words) and words[at + n - 1][-1:].isalpha() and words[at + n] == "và"
    )


def _work_at(words: Sequence[str], at: int, lex: TaskLexicon) -> bool:
    """Whether the work (a directive or a work verb, printed lower case) starts at `words[at]`."""
    return bool(_starts(words, at, lex.directives, cased=True) or _work_verb_at(words, at, lex))


def _addressing_end(words: Sequence[str], lex: TaskLexicon) -> int:
    """Where the addressing that opens a task ends (0: it opens with the work).

    Opened by a lead ("Giao", "Đề nghị") or an actor noun ("Phòng", "Trưởng các thôn"), the
    names run up to the first directive or work verb, a list of bodies included ("Ban Chỉ huy
    Quân sự xã, Công an xã bố trí ..."). After a one-syllable body noun the next word still
    names it ("Đoàn kiểm tra liên ngành", "Tổ tuyên truyền").
    """
    lead = _starts(words, 0, lex.leads)
    opened = lead or _starts(words, 0, lex.actors)
    if not opened or (not lead and _starts(words, 0, lex.work) >= opened):
        return 0  # "Tổ chức tuyển dụng ...": the work, not the body "Tổ"
    first = opened + 1 if not lead and opened == 1 else opened
    # the names end at the first directive or work verb ("Ban Chỉ huy Quân sự xã, Công an xã bố trí");
    # a work verb after a lead only when a name follows the lead ("Giao giám định viên phản hồi ...")
    verbs = not lead or _opens_name(words, lead, lex)
    return next(
        (k for k in range(first, _names_end(words, first, lex))
         if _starts(words, k, lex.directives, cased=True) or (verbs and _work_verb_at(words, k, lex))),
        lead,
    )  # fmt: skip


def _names_end(words: Sequence[str], at: int, lex: TaskLexicon) -> int:
    """How far names may run from `at`: TASK_DIRECTIVE_WINDOW syllables, up to a comma after
    which no name follows ("Hợp tác xã dịch vụ môi trường chuyển rác ..., phun ...": the work
    has begun before that comma)."""
    end = min(len(words), TASK_DIRECTIVE_WINDOW)
    for j in range(at, end - 1):
        if (
            words[j].endswith(",")
            and not _fixed_pair(words, j)
            and not (_opens_name(words, j + 1, lex) or _starts(words, j + 1, lex.units))
        ):
            return j + 1
    return end


def _opens_name(words: Sequence[str], at: int, lex: TaskLexicon) -> bool:
    """Whether `words[at]` opens the name of a body: a capital ("Phòng", "UBND") or an actor noun ("các")."""
    return at < len(words) and (words[at][:1].isupper() or bool(_starts(words, at, lex.actors)))


def _co_actor_end(words: Sequence[str], at: int, lex: TaskLexicon) -> int:
    """Where the names of co-acting bodies after "phối hợp (với)" at `at` end (`at`: no name).

    A name runs up to the first directive or work verb, or up to a comma; after the comma the
    list goes on while the next word opens a name (a capital, an actor noun or an
    administrative unit: "phối hợp UBND các huyện, thị xã, thành phố vận động ..."). A name
    ended by a comma alone is at most CO_ACTOR_MAX syllables; a first name with neither end in
    sight is kept ("phối hợp với Bộ Kế hoạch và Đầu tư để sớm ...").

    Examples:
        >>> words = "phối hợp Trạm Chăn nuôi và Thú y lập chốt kiểm dịch".split()
        >>> words[_co_actor_end(words, 2, _task_lexicon())]
        'lập'
    """
    k = at
    while k < len(words) and not _work_at(words, k, lex):
        comma = -1
        for j in range(k, min(len(words), k + TASK_DIRECTIVE_WINDOW)):
            if j > k and _work_at(words, j, lex):
                return j  # a work verb ends the name
            if words[j].endswith(",") and not _fixed_pair(words, j):
                comma = j
                break
        if comma < 0 or comma + 1 - k > CO_ACTOR_MAX:
            return at if k == at else k  # no end in sight: keep what is not known to be a name
        k = comma + 1
        if k < len(words) and not (_opens_name(words, k, lex) or _starts(words, k, lex.units)):
            return k
    return k


def _fixed_pair(words: Sequence[str], at: int) -> bool:
    """Whether the comma after `words[at]` joins a fixed pair ("phòng, chống tảo hôn")."""
    return at + 1 < len(words) and (words[at].lower(), words[at + 1].lower()) in FIXED_PAIRS


def task_object(text: str) -> str:
    """A task without its addressing: what it is about, to compare with limitations and results.

    A task names who must act ("Giao đồng chí Phó Chủ tịch UBND huyện", "Phòng Tài nguyên và
    Môi trường:", "Ban Chỉ huy Quân sự xã, Công an xã"), with whom ("phối hợp Trạm Chăn nuôi
    và Thú y") and directs ("chủ trì", "đôn đốc", "khẩn trương") before it names the work;
    those words say nothing of the problem and dilute its similarity to the limitation it
    answers. Dropped: an addressing before ":" (opened by a lead or an actor noun), a lead
    ("Giao", "Đề nghị") or an actor noun with the names up to the first directive or work
    verb, the directive verbs that follow, and after "phối hợp (với)" the co-acting body's
    name up to the work (data/analysis/task_leads.json, task_object.json).

    Args:
        text: a task text, NFC or NFD.

    Returns:
        The text from its object on (NFC, tone placement folded); the text unchanged when it
        opens with the work itself.

    Examples:
        >>> task_object("Giao đồng chí Phó Chủ tịch UBND xã đôn đốc 14 hộ còn lại khởi công xây dựng nhà.")
        '14 hộ còn lại khởi công xây dựng nhà.'
        >>> task_object("Phòng Tài nguyên và Môi trường: khẩn trương giải quyết dứt điểm hồ sơ trễ hạn.")
        'giải quyết dứt điểm hồ sơ trễ hạn.'
        >>> task_object("Cán bộ thú y phối hợp Trạm Chăn nuôi và Thú y lập chốt kiểm dịch tại cửa khẩu.")
        'lập chốt kiểm dịch tại cửa khẩu.'
        >>> task_object("Ban Chỉ huy Quân sự xã, Công an xã bố trí lực lượng trực tại các điểm sạt lở.")
        'bố trí lực lượng trực tại các điểm sạt lở.'
        >>> task_object("Thứ tư, Phòng Quản lý thu chủ trì, phối hợp Cục Thuế tỉnh đối chiếu số lao động.")
        'đối chiếu số lao động.'
        >>> task_object("Rà soát toàn bộ đơn thư tồn, tham mưu trả lời dứt điểm trước ngày 31/7/2023.")
        'Rà soát toàn bộ đơn thư tồn, tham mưu trả lời dứt điểm trước ngày 31/7/2023.'
    """
    lex = _task_lexicon()
    folded = SPACES.sub(" ", _folded(text)).strip()
    folded = lex.ordinals.sub("", folded, count=1) or folded  # "Thứ tư, Phòng Quản lý thu chủ trì ..."
    head, colon, rest = folded.partition(":")
    words = head.split()
    if (
        colon
        and len(head) <= LEAD_CLAUSE_MAX
        and (_starts(words, 0, lex.leads) or _starts(words, 0, lex.actors))
    ):
        words = rest.split()
    else:
        words = folded.split()
    for _ in range(2):  # "Tiếp tục giao Phòng ... phối hợp ...": an assignment after a directive
        words = words[_addressing_end(words, lex) :]
        k = _skip_directives(words, 0, lex)
        if k >= len(words):
            break
        words = words[k:]
        if not _starts(words, 0, lex.leads):
            break
    return " ".join(words) or folded


def _skip_directives(words: Sequence[str], k: int, lex: TaskLexicon) -> int:
    """Index after the directive verbs at `words[k]` ("chủ trì, phối hợp UBND xã ..., đôn đốc")."""
    while k < len(words):
        phrase = _phrase_at(words, k, lex.directives)
        if phrase:
            k += len(phrase)
            if phrase in lex.co_actor:
                k = _co_actor_end(words, k, lex)
            continue
        if words[k].lower().strip(",;") in ("và", ""):
            k += 1
            continue
        break
    return k


def compared_texts(items: pd.DataFrame) -> list[str]:
    """Item texts as the analysis compares them: a task by its object (`task_objects.task_object`).

    Examples:
        >>> import pandas as pd
        >>> compared_texts(pd.DataFrame({"category": ["task"], "text": ["Giao Phòng Tư pháp đôn đốc xã lập hồ sơ."]}))
        ['xã lập hồ sơ.']
    """
    cats = items["category"].tolist() if "category" in items else [""] * len(items)
    return [task_object(t) if c == "task" else t for t, c in zip(items["text"].tolist(), cats, strict=True)]
