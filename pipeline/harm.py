"""Items stage, harm: whether a review sentence reports harm or a failure without the usual cue words.

Reads the text of one item and the predicates of data/rules/harm.json (incident, decline, overrun,
breakdown, lateness, shortage, non-compliance); returns the kinds of harm it reports as still holding.
It never decides a category by itself nor reads headings.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass

from .config import DATA_DIR
from .cues import category_cues
from .text.canonical import tone_key

# One part of a sentence up to ";" or ".", and one clause of it: "Tuyến cống bị bồi lắng, nhiều hố ga …"
PART = re.compile(r"(?:[^;.]|(?<=\d)\.(?=\d))+")  # "420/1.150 hộ" is one number
CLAUSE = re.compile(r"(?:[^,:]|(?<=\d),(?=\d))+")  # "giảm 6,3% so với cùng kỳ" is one clause


@dataclass(frozen=True)
class HarmCues:
    """The harm predicates by kind and what sets a clause of them aside, as tone-key patterns."""

    kinds: dict[str, tuple[re.Pattern[str], ...]]
    remedy: re.Pattern[str]
    bad_measure: re.Pattern[str]
    done: re.Pattern[str]  # an action reported done before the harm names it as its object, not a state
    # that holds: "Điện lực đã cải tạo xong 5/9 trạm biến áp quá tải", not "các xe đẩy đã quay lại tụ tập"
    turn: re.Pattern[str]  # "đã kiểm tra 6 trường, nhưng 2 trường bị …": what follows holds again
    decline: re.Pattern[str]  # "kim ngạch xuất khẩu giảm 12% so với cùng kỳ"


@functools.lru_cache(maxsize=1)
def harm_cues() -> HarmCues:
    """Load the harm predicates once per process."""
    raw = json.loads((DATA_DIR / "rules" / "harm.json").read_text(encoding="utf-8"))
    return HarmCues(
        kinds={k: tuple(re.compile(tone_key(p)) for p in ps) for k, ps in raw["kinds"].items()},
        remedy=re.compile(tone_key(raw["remedy"])),
        bad_measure=re.compile(tone_key(raw["bad_measure"])),
        done=re.compile(rf"(?<!\w)đã (?:được )?(?!{_alternation(raw['not_done_after'])})\w"),
        turn=re.compile(rf"(?<!\w)(?:{_alternation(raw['turn_words'])})(?!\w)"),
        decline=re.compile(rf"(?<!\w)(?:{_alternation(raw['decline_words'])})(?!\w)"),
    )


def _alternation(words: list[str]) -> str:
    """Tone-key words as one regex alternation, longest first ("sụt giảm" before "giảm")."""
    return "|".join(re.escape(tone_key(w)) for w in sorted(words, key=len, reverse=True))


def harm_kinds(text: str) -> list[str]:
    """The kinds of harm or failure a sentence reports as still holding, in lexicon order: a clause
    counts unless it reports the harm handled or fixed ("đã khắc phục sự cố"), denies it ("không để
    xảy ra cháy nổ"), says it was cleared, or reports a fall of something bad ("số vụ tai nạn giảm
    12% so với cùng kỳ").

    Examples:
        >>> harm_kinds("Phần mềm quản lý văn bản thường xuyên bị lỗi kết nối, công chức phải nhập lại.")
        ['breakdown']
        >>> harm_kinds("Báo cáo tháng của huyện Tuyên Hóa tiếp tục nộp muộn, nhiều chỉ tiêu không khớp.")
        ['lateness', 'non_compliance']
        >>> harm_kinds("Điện lực đã khắc phục sự cố mất điện tại xã Văn Quán trong ngày.")
        []
        >>> harm_kinds("An ninh trật tự được giữ vững, không để xảy ra cháy nổ.")
        []
        >>> harm_kinds("Số vụ tai nạn giao thông giảm 12% so với cùng kỳ.")
        []
    """
    cc = category_cues()
    hc = harm_cues()
    key = tone_key(text)
    if cc.denied is not None:
        key = cc.denied.sub(" ", key)  # "không để xảy ra điểm nóng"
    if cc.setting is not None:
        key = cc.setting.sub(" ", key)  # "trong bối cảnh …, các trường đã …"
    found: list[str] = []
    for part in PART.finditer(key):
        for m in CLAUSE.finditer(part.group()):
            clause = m.group()
            if hc.remedy.search(clause) or (cc.cleared and cc.cleared.search(clause)):
                continue  # "39 hồ sơ quá hạn đã được giải quyết xong", "đã tháo dỡ phần sai phép"
            fell = hc.decline.search(clause)
            if fell and hc.bad_measure.search(part.group()[: m.start() + fell.start()]):
                continue  # "tỷ lệ hồ sơ trễ hạn giảm còn 0,8%"
            for kind, pats in hc.kinds.items():
                hits = [h for p in pats for h in p.finditer(clause)]
                if kind not in found and any(
                    not _acted_on(part.group()[: m.start() + h.start()]) for h in hits
                ):
                    found.append(kind)
    return [k for k in hc.kinds if k in found]


def _acted_on(before: str) -> bool:
    """The words before a harm predicate in its part report an action done on it, with no turn since."""
    cues = harm_cues()
    turns = list(cues.turn.finditer(before))
    return bool(cues.done.search(before[turns[-1].end() :] if turns else before))


def states_harm(text: str) -> bool:
    """A review sentence that reports harm or a failure still holding (`harm_kinds`).

    Examples:
        >>> states_harm("Hệ thống xử lý nước thải vận hành không ổn định, có 02 chỉ tiêu vượt quy chuẩn.")
        True
        >>> states_harm("Hoàn thành tiêm mũi 3 vắc xin phòng COVID-19 cho 71,4% người từ 18 tuổi trở lên.")
        False
    """
    return bool(harm_kinds(text))
