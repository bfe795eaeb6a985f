"""How much of a task a later result reports, for the analyse stage's task_status: its figures.

Reads the cue words of data/analysis/progress.json and maps a result's text to the share of the
work it reports ("356/412 học sinh", "đạt 78% kế hoạch", "12 trên tổng số 15 hồ sơ": progress, not
done) and a task's text to the target it sets. Pure text functions: no DataFrames, no run files.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache

from .config import DATA_DIR
from .task_evidence import cue_pattern

PROGRESS_PATH = DATA_DIR / "analysis" / "progress.json"
# "356/412 học sinh", "15/17 nhà", "612/1.040 bồn" (a dot groups thousands)
FRACTION = re.compile(
    r"(?<![\d/.,])(\d{1,3}(?:\.\d{3})+|\d{1,6})\s*/\s*(\d{1,3}(?:\.\d{3})+|\d{1,6})(?![\d/]|,\d)"
)
PERCENT = re.compile(r"(?<![\d.,])(\d{1,3}(?:[.,]\d+)?)\s*%")  # "đạt 86%", "bằng 37,6% dự toán"
CLAUSE_END = re.compile(r"[;.]\s|[;]")  # "đã động thổ; 05 nhà đã lên mái"
NO_FIGURE = float("inf")
# The lead's switches (stop 19): PARTIAL_FORMS reads the shares written in words ("12 trên tổng số
# 15 hồ sơ"), a percentage of a plan after a rate word ("tỷ lệ giải ngân đạt 78% kế hoạch") and a
# remainder under way ("còn 3 điểm đang thi công"); POSTPONED_PARTIAL reads a result that puts part
# of the work off ("huyện X đề nghị lùi thời gian kiểm tra sang tháng 11") as reporting none whole.
PARTIAL_FORMS = True
POSTPONED_PARTIAL = True
# ... and IN_PROGRESS_PARTIAL a result whose work is under way ("đang triển khai", "đang thi công").
IN_PROGRESS_PARTIAL = True
# ... and EXPECTED_PARTIAL a result that says what is expected ("dự kiến hoàn thành trong tháng 10") with no
# "đã" before it.
EXPECTED_PARTIAL = True
# "đã ban hành kế hoạch, dự kiến tổ chức vào tháng 10", "Hoàn thành các bước chuẩn bị …": completion before
DONE_BEFORE = re.compile(r"(?<!\w)(?:đã|hoàn\s+thành|hoàn\s+tất|xong)(?!\w)")
_NUMBER = r"(\d{1,3}(?:\.\d{3})+|\d{1,6})"
# "12 trên tổng số 15 hồ sơ", "được 12 hồ sơ trong số 15", "12 trên 15 xã": a count out of a total in words
OUT_OF = re.compile(
    rf"(?<![\d/.,]){_NUMBER}\s+(?:(?:[^\W\d_]+\s+){{0,3}}(?:trên|trong)\s+(?:tổng\s+)?số|trên)\s+{_NUMBER}(?![\d/]|[.,]\d)"
)
# "3,8/6,5 km mương thoát nước", "12,5/20 ha": a decimal quantity out of its total (a date has no comma)
DECIMAL_FRACTION = re.compile(r"(?<![\d/.,])(\d{1,6}(?:,\d+)?)\s*/\s*(\d{1,6}(?:,\d+)?)(?![\d/]|[.,]\d)")
# "còn 3 điểm đang thi công", "còn lại 02 hồ sơ chờ bổ sung": a remainder of the work under way
REMAINDER = re.compile(
    r"(?<!\w)còn(?:\s+lại)?\s+(?:\d+|một\s+số|một\s+phần)[^,;.]{0,40}?(?<!\w)(?:đang|chờ)(?!\w)"
)


@lru_cache(maxsize=1)
def _progress_words() -> dict[str, re.Pattern[str]]:
    """Word patterns of data/analysis/progress.json (rate words, date words, target cues)."""
    data = json.loads(PROGRESS_PATH.read_text(encoding="utf-8"))
    out = {}
    keys = "rate_words date_words target_cues change_words verdicts under_way continues plan_nouns postponed in_progress expected"
    for key in keys.split():
        out[key] = cue_pattern(data[key])
    return out


def _percent(value: str) -> float:
    return float(value.replace(",", "."))


def result_figures(text: str) -> tuple[bool, float, float]:
    """What share of the work a result reports: (a count below its total, lowest share %, lowest rate %).

    A count "a/b" with a < b ("356/412 học sinh") is partial unless it follows a date word
    ("mốc 30/4"); a percentage is a rate when a rate word ("tỷ lệ") comes before it in its
    clause, else a share. `inf` where the result gives none. With PARTIAL_FORMS a count out
    of a total in words ("12 trên tổng số 15 hồ sơ") is partial, a remainder under way ("còn 3
    điểm đang thi công") too, and a percentage of a plan ("78% kế hoạch") is a share after a
    rate word; with POSTPONED_PARTIAL part of the work put off ("đề nghị lùi thời gian") and
    with IN_PROGRESS_PARTIAL work under way ("đang triển khai") are partial.

    Examples:
        >>> result_figures("Đã vận động được 356/412 học sinh bỏ học trở lại trường.")
        (True, inf, inf)
        >>> result_figures("Các huyện đã cấp được 612/1.040 bồn chứa nước cho hộ nghèo.")
        (True, inf, inf)
        >>> result_figures("Giải ngân vốn đầu tư công đạt 86% kế hoạch.")
        (False, 86.0, inf)
        >>> result_figures("Cuộc bầu cử diễn ra an toàn, tỷ lệ cử tri đi bầu đạt 99,6%.")
        (False, inf, 99.6)
        >>> result_figures("Chủ đầu tư đã nộp hồ sơ thiết kế cơ sở, phòng chuyên môn đang xem xét.")
        (True, inf, inf)
        >>> result_figures("Còn 02 nhà chưa hoàn thành theo mốc 30/4.")
        (False, inf, inf)
        >>> result_figures("Thu ngân sách cả năm ước đạt 561,7 tỷ đồng, vượt 10,6% dự toán.")
        (False, inf, inf)
        >>> result_figures("Việc giải thể hợp tác xã cơ bản hoàn thành, đã có 40/42 đơn vị được thu hồi giấy chứng nhận.")
        (False, inf, inf)
    """
    t = _lower(text)
    words = _progress_words()
    if words["verdicts"].search(t):
        return False, NO_FIGURE, NO_FIGURE  # "cơ bản hoàn thành, 40/42 đơn vị ...": the writer's verdict
    partial = words["under_way"].search(t) is not None  # "…, phòng chuyên môn đang xem xét": progress
    if PARTIAL_FORMS:
        partial |= REMAINDER.search(t) is not None or any(
            0 < int(m.group(1).replace(".", "")) < int(m.group(2).replace(".", ""))
            for m in OUT_OF.finditer(t)
        )
        partial |= any(  # "3,8/6,5 km"
            "," in m.group(0) and 0 < _percent(m.group(1)) < _percent(m.group(2))
            for m in DECIMAL_FRACTION.finditer(t)
        )
    partial |= POSTPONED_PARTIAL and postponed(t)
    for key, on in (("in_progress", IN_PROGRESS_PARTIAL), ("expected", EXPECTED_PARTIAL)):
        m = words[key].search(t) if on else None
        partial |= m is not None and DONE_BEFORE.search(t, 0, m.start()) is None
    for m in FRACTION.finditer(t):
        a, b = int(m.group(1).replace(".", "")), int(m.group(2).replace(".", ""))
        before = t[max(0, m.start() - 16) : m.start()]
        if 0 < b and a < b and not words["date_words"].search(before.split(",")[-1]):
            partial = True
    share = rate = NO_FIGURE
    for m in PERCENT.finditer(t):
        clause = CLAUSE_END.split(t[: m.start()])[-1]
        value = _percent(m.group(1))
        if words["change_words"].search(clause[-24:]):
            continue  # "vượt 10,6% dự toán", "tăng 12% so với cùng kỳ": a change, not a share
        of_plan = PARTIAL_FORMS and words["plan_nouns"].match(t, m.end() + 1) is not None  # "78% kế hoạch"
        if words["rate_words"].search(clause) and not of_plan:
            rate = min(rate, value)
        else:
            share = min(share, value)
    return partial, share, rate


def postponed(text: str) -> bool:
    """Whether a result reports part of the work put off ("đề nghị lùi thời gian", "gia hạn", "tạm hoãn").

    Examples:
        >>> postponed("huyện Mỏ Cày Bắc đề nghị lùi thời gian kiểm tra sang tháng 11.")
        True
        >>> postponed("Đã kiểm tra 03 huyện theo kế hoạch.")
        False
    """
    return _progress_words()["postponed"].search(_lower(text)) is not None


SYLLABLES = re.compile(r"[^\W\d_]+")  # "tổ", "chức", "đối", "thoại" of "tổ chức 02 buổi đối thoại"


def clause_partial(task: str, result: str) -> bool | None:
    """Whether the clause of a result that speaks of the task gives a share below the whole.

    A result may report several things in clauses cut at ";" ("Hội đồng bồi thường đã tổ
    chức 02 buổi đối thoại; 31/38 hộ đồng ý nhận tiền"): the clause sharing most words with
    the task is the one that reports on it, and only its figures count. None when the result
    is one clause (its figures as a whole decide).

    Examples:
        >>> clause_partial("Tổ chức đối thoại với các hộ chưa đồng thuận.",
        ...                "Đã tổ chức 02 buổi đối thoại; 31/38 hộ đồng ý nhận tiền.")
        False
        >>> clause_partial("Vận động các hộ nhận tiền bồi thường, bàn giao đất.",
        ...                "Đã tổ chức 02 buổi đối thoại; 31/38 hộ đồng ý nhận tiền, bàn giao đất.")
        True
    """
    parts = [c for c in _lower(result).split(";") if c.strip()]
    if len(parts) < 2:
        return None
    if POSTPONED_PARTIAL and postponed(_lower(result)):
        return True  # "Đoàn kiểm tra đã làm việc tại huyện A; huyện B đề nghị lùi thời gian kiểm tra": part put off
    words = set(SYLLABLES.findall(_lower(task)))
    best = max(parts, key=lambda c: len(words & set(SYLLABLES.findall(c))))
    frac, share, _ = result_figures(best)
    return frac or share < 100.0


def task_target(text: str) -> float:
    """The percentage a task sets as its target ("phấn đấu giải ngân đạt 25% kế hoạch vốn"), inf if none.

    Examples:
        >>> task_target("Phấn đấu giải ngân đạt 25% kế hoạch vốn trước ngày 30/4/2021.")
        25.0
        >>> task_target("Giao Bộ phận một cửa phấn đấu tỷ lệ hồ sơ nộp trực tuyến đạt trên 50% trong tháng 5.")
        50.0
        >>> task_target("Rà soát toàn bộ hồ sơ đang quá hạn, hoàn thành trước ngày 28/02/2023.")
        inf
    """
    t = _lower(text)
    cue = _progress_words()["target_cues"]
    values = [
        _percent(m.group(1)) for m in PERCENT.finditer(t) if cue.search(t[max(0, m.start() - 24) : m.start()])
    ]
    return max(values) if values else NO_FIGURE


def _lower(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower()
