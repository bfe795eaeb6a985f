"""What became of each task: the analyse stage's task_status table.

Reads the prepared item rows of the analysis (copies already left out) and their similarity
vectors; returns one row per task with the first later document of the same issuer that reports
it done (a result) or names its problem again (a limitation). Never reads or writes a file.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from .config import DATA_DIR
from .gram import gram
from .parallel import map_texts, map_work
from .similarity import ItemParts, RecurrenceSimilarity, item_parts
from .task_deadlines import task_deadline_of
from .task_evidence import evidence_roles
from .task_figures import (
    NO_FIGURE,
    _lower,
    _progress_words,
    clause_partial,
    result_figures,
    task_target,
)
from .task_objects import compared_texts
from .text.dates import parse_iso_date
from .topics import reports_completion

__all__ = [
    "STATUSES", "TASK_STATUS_COLUMNS", "clause_partial", "result_figures", "specifics", "task_status",
    "task_target",
]  # fmt: skip

if TYPE_CHECKING:
    import pandas as pd

TASK_STATUS_COLUMNS = [
    "task_item_id", "doc_id", "issuer_id", "period", "deadline", "status",
    "evidence_item_id", "evidence_doc_id", "evidence_page",
]  # fmt: skip
STATUSES = ("done", "repeated", "open", "overdue")
# The similarity of two items is the one the recurrence clustering links limitations on
# (`similarity.recurrence_matrix`: text cosine, the topic as a prior of +/-0.1, shared specific
# names weighted by their rarity within the issuer), plus SPECIFIC_BONUS for a shared specific
# (`specifics`). Stop 16: before, the `analyze.vectorize` cosine gave two items of one topic at
# least 0.5, so a distractor of the task's topic named its problem "again" and a reworded repeat
# of another topic (text cosine 0.12) did not. Chosen on the tune split of data/series_eval
# (257 tasks): 244 right, with half the topics hidden 238.8 (the old cosine: 241 and 235.4).
# A later result must reach DONE_THRESHOLD to report a task done (and say the work was done,
# topics.reports_completion), a later limitation REPEAT_THRESHOLD to name its problem again:
# DONE 0.20-0.30 and REPEAT 0.35-0.50 all give 244 on tune; 0.25 is best with topics hidden.
DONE_THRESHOLD = 0.25
REPEAT_THRESHOLD = 0.40
PAIRS_DENSE_MAX = 4000  # rows of one issuer whose pairwise similarities are computed at once (4000: 128 MB)
# A task is set against a problem its own document names as a limitation ("Hồ sơ đất đai còn
# trễ hẹn" -> "Rà soát toàn bộ hồ sơ quá hạn ..."): the anchors of one document are paired one to
# one (a conclusion answers each limitation with its own task, in its own words), the pairing
# that maximises the summed similarity, each pair at least ANCHOR_THRESHOLD; a later limitation
# of the anchor's recurrence cluster names the task's problem again even when the task's own
# wording (the remedy) shares little with it. Tune: 0.05-0.08 give 244 (0.0: 243, 0.10: 243).
ANCHOR_THRESHOLD = 0.05
# A later limitation names the problem of the limitation of the task's document it is most similar
# to: not the task's when another limitation there is closer than the anchor by more than this
# (its text cosine to the other limitation against its similarity to the anchor, whose shared
# topic counts). Stop 18: 0.0 gained on one tune series only and lost with topics hidden; a later
# limitation is given to another problem only when clearly closer to it. 0.05-0.2 alike (tune 292,
# half the topics hidden 287.6 against 287.0, all hidden 286 against 285); chosen on 12 of the 13 tune
# series, 0.1 or 0.2 in every fold (leave-one-series-out 291 against 290).
SIBLING_MARGIN = 0.1
# Added to a similarity when the two items share a specific (a proper name or a count and its noun,
# `specifics`): the task and the limitation it answers, or the result reporting it done, name the
# same village, project or number of households. Tune: 0.10-0.20 alike (0: one task less).
SPECIFIC_BONUS = 0.15
# A task of a later document whose text cosine to a pending task is this high sets it again (the
# same words, "Tiếp tục ..." before them): the work is not done, whatever that document's results say.
SET_AGAIN_THRESHOLD = 0.8
# ... and one that says the work goes on ("Tiếp tục giao …", "Phòng X tiếp tục đôn đốc …") at this
# text cosine: reworded ("đôn đốc các huyện hoàn tất hồ sơ giải thể các hợp tác xã còn lại": 0.52)
CONTINUE_THRESHOLD = 0.4
CONTINUE_WINDOW = 80  # characters of a task's start in which "tiếp tục" says the work goes on
# An anchor the recurrence clustering never saw (a limitation by its words, `task_evidence`, that the
# items stage read as a result) has no cluster: a later limitation at least this similar to it names
# its problem again. Tune through the run (306 tasks): 0.3 gives 287, 0.25-0.4 286, none 284.
LOOSE_LINK = 0.3
# A result reports a task done only when their texts share words: text cosine at least this ("hoàn
# thành kiểm tra việc thực hiện chính sách đối với người có uy tín tại huyện Phù Yên" against
# "kiểm tra việc phát hành báo, tạp chí tại các huyện Bắc Yên, Phù Yên": 0.05, a topic and a
# place shared). Tune: the done pairs of the gold have 0.18 or more.
DONE_MIN_COSINE = 0.1

SPECIFICS_PATH = DATA_DIR / "analysis" / "task_specifics.json"
NAME_BIGRAM = re.compile(r"(?<![\w-])([^\W\d_][\w-]*)(?=\s+([^\W\d_][\w-]*))")  # "Lùng Thắng", "Ất Tỵ"
# a count and its noun ("17 hộ", "03 vụ", "40/42 đơn vị"), not a date "10/8/2023", an amount "9,7 tỷ",
# a document number "số 118/QĐ-SKHĐT" or a percentage "87%"
COUNT = re.compile(r"(?<![\w/.,])(?:\d+/)?(\d+)(?![\w/.,%]|\s*%|[.,]\d)\s*([^\W\d_]+)?")
PREVIOUS_WORD = re.compile(r"(\w+)\s+$")  # "Lốc " before the "1" of "thôn Na Lốc 1"
DATE_BEFORE = re.compile(r"(?:ngày|tháng|năm|quý|số|mốc|hạn|đến|từ)\s*$")


@lru_cache(maxsize=1)
def _non_names() -> frozenset[str]:
    """First syllables of capitalised names that are bodies or documents (data/analysis/task_specifics.json)."""
    data = json.loads(SPECIFICS_PATH.read_text(encoding="utf-8"))
    return frozenset(_lower(w) for w in data["non_names"])


@lru_cache(maxsize=1 << 16)
def specifics(text: str) -> frozenset[str]:
    """The proper names (as capitalised syllable pairs) and counts with their noun of an item.

    Names say which village, project or event the work concerns; counts how many of what. A
    body's name ("Phòng Tài nguyên", "UBND tỉnh") and the first word of the text are no
    specifics; dates, years, document numbers, percentages and amounts with decimals are no counts.

    Args:
        text: an item text, NFC or NFD.

    Examples:
        >>> sorted(specifics("Còn 17 hộ ở thôn Lùng Thắng, Na Lốc 1 sống sát taluy dương chưa được di chuyển."))
        ['#17', '#17 hộ', 'lùng thắng', 'na lốc']
        >>> sorted(specifics("Giao Văn phòng - Thống kê xây dựng lịch trực Tết Nguyên đán Ất Tỵ trước ngày 20/01/2025."))
        ['tết nguyên', 'ất tỵ']
        >>> sorted(specifics("Việc giải thể hợp tác xã cơ bản hoàn thành, đã có 40/42 đơn vị được thu hồi giấy chứng nhận."))
        ['#42', '#42 đơn']
    """
    t = unicodedata.normalize("NFC", text)
    out = set()
    skip = _non_names()
    for m in NAME_BIGRAM.finditer(t):
        a, b = m.group(1), m.group(2)
        if m.start() == 0:
            continue
        if a[0].isupper() and b[0].isupper() and not a.isupper() and a.lower() not in skip:
            out.add(f"{a.lower()} {b.lower()}")
    for m in COUNT.finditer(t):
        if DATE_BEFORE.search(t[max(0, m.start() - 8) : m.start()].lower()) or _in_name(t, m.start()):
            continue  # "ngày 20/01", "số 118/QĐ", "thôn Na Lốc 1", "Quốc lộ 46"
        value = int(m.group(1))
        if value == 0 or 1900 <= value <= 2100:
            continue
        noun = (m.group(2) or "").lower()
        if value >= 10:
            out.add(f"#{value}")
        if noun:
            out.add(f"#{value} {noun}")
    return frozenset(out)


def _in_name(text: str, at: int) -> bool:
    """Whether the number at `at` ends a name: it follows a capitalised word inside a sentence."""
    m = PREVIOUS_WORD.search(text, max(0, at - 24), at)
    if m is None or not m.group(1)[0].isupper():
        return False
    before = text[: m.start(1)].rstrip()
    return bool(before) and before[-1] not in ".;:"


def _specifics_matrix(texts: Sequence[str]) -> sp.csr_matrix:
    """One binary row of `specifics` per text (shared specifics of two rows: their product > 0)."""
    keys: dict[str, int] = {}
    rows, cols = [], []
    for r, found in enumerate(map_texts(specifics, texts)):
        for key in found:
            rows.append(r)
            cols.append(keys.setdefault(key, len(keys)))
    return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(texts), max(1, len(keys))))


def _first_date(*values: object) -> date | None:
    """The first value that parses as an ISO date."""
    for v in values:
        d = parse_iso_date(v)
        if d is not None:
            return d
    return None


def task_status(
    df: pd.DataFrame,
    issuers: Sequence[str],
    *,
    clusters: Mapping[str, str] | None = None,
    parts: ItemParts | None = None,
    done_threshold: float = DONE_THRESHOLD,
    repeat_threshold: float = REPEAT_THRESHOLD,
    anchor_threshold: float = ANCHOR_THRESHOLD,
) -> pd.DataFrame:
    """One row per task: done, repeated, open or overdue, with the evidence item.

    The issuer's documents are read in period order, and each decides the tasks of earlier
    periods still undecided: its result most similar to a task (>= done_threshold) that says
    the work was done (`topics.reports_completion`: "đã ban hành", "xong", ...) and gives no
    share below the whole ("356/412 học sinh", "đạt 86%": progress, see `result_figures`) makes
    it `done`; its limitation most similar (>= repeat_threshold) `repeated` (when both reach
    their threshold, the one further above it). Similarity is the recurrence clustering's
    (`similarity.recurrence_matrix`: wording first, the topic a small prior, shared rare names)
    plus SPECIFIC_BONUS for a shared specific (`specifics`), so a task is matched by what it
    says, not by the topic it shares with every other item of its field. A result reports one
    piece of work: it decides only the pending task(s) it is most similar to. A later
    limitation in the recurrence cluster of the task's anchor (the limitation of its own
    document it is set against, see ANCHOR_THRESHOLD) also makes it `repeated`, unless it reads
    more like another limitation of the task's document (SIBLING_MARGIN). When one document
    both reports and repeats, the closer item decides; a document that sets the task again
    ("Tiếp tục ...", SET_AGAIN_THRESHOLD) reports it done by none of its results. An item
    plays the role its own words give it (`task_evidence.evidence_roles`: "Tuy nhiên, ... vẫn
    chậm" read as a result names a problem, "Giám đốc Sở đã ký 09 quyết định" read as a
    limitation reports work done, a piece of a table row read as a task is none). If none
    does: `overdue` when the task's deadline (the `deadline` cell, else read from its text by
    `task_deadlines.task_deadline_of`; none for a task that recurs) is before the issue date of
    the issuer's latest document, else `open`.

    Args:
        df: prepared item rows (`analyze._prepare`: item_id, doc_id, category, period,
            period_start, issue_date, deadline, page), one issued document once.
        issuers: the issuer key of each row (`analyze.issuer_key`).
        clusters: item_id -> recurrence cluster id of the limitations (`cluster_items`).
        parts: `similarity.item_parts` of the compared texts aligned with df (a task by its
            object, `task_objects.compared_texts`), as the analysis computed them for the clustering;
            None to compute them here (the archive segmented a second time).
        done_threshold: similarity a result must reach.
        repeat_threshold: similarity a limitation must reach.
        anchor_threshold: similarity of a task to a limitation of its own document to be its anchor.

    Returns:
        DataFrame with TASK_STATUS_COLUMNS, tasks in document order.

    Examples:
        >>> from ketluan.analysis import analyze_items  # doctest: +SKIP
        >>> analyze_items(items)["task_status"]["status"].tolist()  # doctest: +SKIP
        ['done', 'repeated', 'overdue', 'open']
    """
    import pandas as pd

    n = len(df)
    cat = df["category"].to_numpy()
    doc = df["doc_id"].to_numpy()
    deadline_col = df["deadline"] if "deadline" in df.columns else pd.Series([""] * n, index=df.index)
    page_col = df["page"] if "page" in df.columns else pd.Series([""] * n, index=df.index)
    start = [_first_date(s, d) for s, d in zip(df["period_start"], df["issue_date"], strict=True)]
    issued = [_first_date(d, s) for s, d in zip(df["period_start"], df["issue_date"], strict=True)]
    who = np.asarray(issuers)
    texts = df["text"].astype(str).tolist()
    # the role an item's own words give it as evidence (`task_evidence.evidence_roles`): a result
    # stating a shortcoming still open names a problem again, a limitation reporting work done is a result
    role = np.array(evidence_roles(cat.tolist(), texts), dtype=object)
    is_result = role == "result"
    done_cue = np.array(
        [r and reports_completion(t) for r, t in zip(is_result, texts, strict=True)], dtype=bool
    )
    frac = np.zeros(n, dtype=bool)
    share = np.full(n, NO_FIGURE)
    rate = np.full(n, NO_FIGURE)
    target = np.full(n, NO_FIGURE)
    for i in np.flatnonzero(done_cue):
        frac[i], share[i], rate[i] = result_figures(texts[i])
    continues = np.zeros(n, dtype=bool)
    for i in np.flatnonzero(cat == "task"):
        target[i] = task_target(texts[i])
        continues[i] = _progress_words()["continues"].search(_lower(texts[i])[:CONTINUE_WINDOW]) is not None
    F = _specifics_matrix(texts)
    if parts is None:
        parts = item_parts(compared_texts(df))
    cols = {c: df[c].astype(str).tolist() for c in ("item_id", "doc_id", "issuer_id", "period")}
    cluster_of = np.array([(clusters or {}).get(i, "") for i in cols["item_id"]], dtype=object)
    t_ord = np.array([(d or date.max).toordinal() for d in start], dtype=np.int64)
    context = _TaskContext(
        cat, doc, who, role, done_cue, (frac, share, rate, target), continues, parts, F, cols, cluster_of,
        t_ord, start, issued, texts, deadline_col, page_col, (done_threshold, repeat_threshold, anchor_threshold),
    )  # fmt: skip
    per_issuer = map_work(_issuer_rows, pd.unique(who[cat == "task"]).tolist(), context=context, work=n)
    rows = [row for issuer_rows in per_issuer for row in issuer_rows]
    out = pd.DataFrame(rows, columns=[*TASK_STATUS_COLUMNS, "_row"])
    return out.sort_values("_row").drop(columns="_row").reset_index(drop=True)


def _decide(
    pairs: _Pairs,
    cand: np.ndarray,
    ev: np.ndarray,
    cat: np.ndarray,
    cluster_of: np.ndarray,
    anchor_of: Mapping[int, int],
    figures: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    thresholds: tuple[float, float],
    texts: Sequence[str],
    siblings: Mapping[int, np.ndarray],
    again: np.ndarray,
) -> dict[int, tuple[int, str]]:
    """The pending tasks one document decides: task row -> (evidence row, "done" / "repeated").

    `siblings`: task row -> the other limitations of its own document (not its anchor);
    `again`: per candidate, whether the document sets the same task again (`_set_again`).
    """
    frac, share, rate, target = figures
    done_threshold, repeat_threshold = thresholds
    S = pairs.similar(cand, ev)
    is_res = cat[ev] == "result"
    anchor = np.array([anchor_of.get(int(t), -1) for t in cand], dtype=np.int64)
    tgt = np.minimum(target[cand], 100.0)[:, None]
    partial = (
        frac[ev][None, :]
        | (share[ev][None, :] < tgt)
        | (np.isfinite(target[cand])[:, None] & (rate[ev][None, :] < tgt))
    )
    for k, j in zip(*np.nonzero(partial & is_res[None, :] & (S >= done_threshold)), strict=True):
        own = clause_partial(texts[cand[k]], texts[ev[j]])
        if own is False and not np.isfinite(target[cand[k]]):
            partial[k, j] = False  # the clause on the task reports it whole; the figure is another's
    # a report of work done names that work in words: a topic and a place shared are not enough
    worded = pairs.cosine(cand, ev) >= DONE_MIN_COSINE
    usable = is_res[None, :] & ~partial & ~again[:, None] & worded
    res_score = np.where(usable, S, -1.0)
    best = res_score.max(axis=0) if len(cand) else np.zeros(len(ev))
    # a result reports one piece of work: the pending task most like it (stop 15 let tasks within
    # 0.7 of the best share it; the rule alone: one task more on tune, one with topics hidden)
    keep = usable & (res_score >= best[None, :])
    margin = np.where(is_res[None, :], np.where(keep, S - done_threshold, -1.0), S - repeat_threshold)
    a_cluster = np.array([cluster_of[a] if a >= 0 else "" for a in anchor], dtype=object)
    same = (a_cluster[:, None] == cluster_of[ev][None, :]) & (a_cluster[:, None] != "") & ~is_res[None, :]
    to_anchor = np.zeros_like(S)
    if (anchor >= 0).any() and (~is_res).any():
        has, lim = np.flatnonzero(anchor >= 0), np.flatnonzero(~is_res)
        to_anchor[np.ix_(has, lim)] = pairs.similar(anchor[has], ev[lim])
        # an anchor the clustering never saw (its words, not its category, make it a limitation)
        loose = (a_cluster == "") & (anchor >= 0)
        same |= loose[:, None] & ~is_res[None, :] & (to_anchor >= LOOSE_LINK)
        _drop_siblings(pairs, cand, ev, anchor, siblings, to_anchor, same, margin, is_res)
    named = same | (~is_res[None, :] & (margin >= 0))
    reported = is_res[None, :] & (margin >= 0)
    out = {}
    for k in np.flatnonzero(named.any(axis=1) | reported.any(axis=1)):
        lims, results = np.flatnonzero(named[k]), np.flatnonzero(reported[k])
        # a document does not both report a task done and name its problem again: the closer says
        repeat = np.maximum(S[k, lims], to_anchor[k, lims]).max() if len(lims) else -1.0
        if len(results) and S[k, results].max() > repeat:
            j = int(results[np.argmax(S[k, results])])
        else:
            # of the limitations that name the task's problem, the one closest to the task and its anchor
            j = int(lims[np.argmax(S[k, lims] + to_anchor[k, lims])])
        e = int(ev[j])
        out[int(cand[k])] = (e, "done" if cat[e] == "result" else "repeated")
    return out


def _set_again(pairs: _Pairs, cand: np.ndarray, tasks: np.ndarray, continues: np.ndarray) -> np.ndarray:
    """Per pending task: whether a task of the later document sets it again.

    A conclusion that sets a task again ("Tiếp tục giao Phòng Doanh nghiệp ... hoàn tất thủ tục
    giải thể ...") says the work goes on: none of its results reports that task done. Again: nearly
    the same words (SET_AGAIN_THRESHOLD), or "tiếp tục" in its first words (`continues`) and
    reworded (CONTINUE_THRESHOLD).
    """
    if not len(tasks) or not len(cand):
        return np.zeros(len(cand), dtype=bool)
    C = pairs.cosine(cand, tasks)
    bar = np.where(continues[tasks], CONTINUE_THRESHOLD, SET_AGAIN_THRESHOLD)[None, :]
    return np.asarray((C >= bar).any(axis=1))


def _drop_siblings(
    pairs: _Pairs,
    cand: np.ndarray,
    ev: np.ndarray,
    anchor: np.ndarray,
    siblings: Mapping[int, np.ndarray],
    to_anchor: np.ndarray,
    same: np.ndarray,
    margin: np.ndarray,
    is_res: np.ndarray,
) -> None:
    """A later limitation closer to another limitation of the task's document than to its anchor is no repeat.

    A conclusion names each of its problems once; a later limitation that reads most like
    another of them ("38 chủ đầu tư chưa gửi báo cáo giám sát" next to a task on late monthly
    reports, whose document also names the late supervision reports) names that other problem,
    however close it is to the task's words. Edits `same` and `margin` in place.
    """
    lim = np.flatnonzero(~is_res)
    for k in np.flatnonzero(anchor >= 0):
        sib = siblings.get(int(cand[k]))
        cols = lim[same[k, lim] | (margin[k, lim] >= 0)]
        if sib is None or not len(sib) or not len(cols):
            continue
        closest = pairs.cosine(ev[cols], sib).max(axis=1)
        other = closest > to_anchor[k, cols] + SIBLING_MARGIN
        same[k, cols[other]] = False
        margin[k, cols[other]] = -1.0


class _Pairs:
    """Similarities among the task, limitation and result rows of one issuer.

    `similar`: `similarity.recurrence_matrix` over the issuer's compared rows (name rarity
    counted among them), plus SPECIFIC_BONUS where two rows share a specific (F); `cosine`: the
    text cosine alone (`ItemParts.text`). A large archive compares an issuer's rows thousands of
    times (per later document, per task); up to PAIRS_DENSE_MAX rows both matrices are computed
    once and each comparison reads its block. Beyond that size each comparison computes the
    rows it needs (`RecurrenceSimilarity.block`, the same values).
    """

    def __init__(self, parts: ItemParts, F: sp.csr_matrix, rows: np.ndarray) -> None:
        self.F = F
        self.X = sp.csr_matrix(parts.text if parts.text is not None else parts.combined)
        self.rec = RecurrenceSimilarity(parts, np.asarray(rows, dtype=np.int64))
        self.pos = {int(r): k for k, r in enumerate(rows)}
        self.dense = len(rows) <= PAIRS_DENSE_MAX
        if self.dense:
            Xr = self.X[rows]
            self.cos = gram(Xr, Xr)
            self.sim = self.rec.block(0, len(rows)).astype(np.float64)
            self.shared = (F[rows] @ F[rows].T).toarray() > 0 if SPECIFIC_BONUS else None

    def _index(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        pa = np.fromiter((self.pos[int(i)] for i in a), dtype=np.int64, count=len(a))
        pb = np.fromiter((self.pos[int(j)] for j in b), dtype=np.int64, count=len(b))
        return pa[:, None], pb[None, :]

    def cosine(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """The text cosines of rows a to rows b (len(a) x len(b))."""
        if not self.dense:
            return gram(self.X[a], self.X[b])
        return np.asarray(self.cos[self._index(a, b)])

    def similar(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Similarity of rows a to rows b: the recurrence similarity, plus SPECIFIC_BONUS for a shared specific."""
        ia, ib = self._index(a, b)
        if not self.dense:
            blocks = [self.rec.block(int(p), int(p) + 1) for p in ia[:, 0]]
            S = np.vstack(blocks)[:, ib[0]].astype(np.float64) if blocks else np.zeros((0, len(b)))
            if SPECIFIC_BONUS:
                S += SPECIFIC_BONUS * ((self.F[a] @ self.F[b].T).toarray() > 0)
            return np.asarray(S)
        S = self.sim[ia, ib]
        if SPECIFIC_BONUS and self.shared is not None:
            S += SPECIFIC_BONUS * self.shared[ia, ib]
        return np.asarray(S)


@dataclass(frozen=True)
class _TaskContext:
    """What `task_status` reads for every issuer (one per call; `parallel.map_work` hands it on)."""

    cat: np.ndarray
    doc: np.ndarray
    who: np.ndarray
    role: np.ndarray
    done_cue: np.ndarray
    figures: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # frac, share, rate, target
    continues: np.ndarray
    parts: ItemParts
    F: sp.csr_matrix
    cols: dict[str, list[str]]
    cluster_of: np.ndarray
    t_ord: np.ndarray
    start: list[date | None]
    issued: list[date | None]
    texts: list[str]
    deadline_col: pd.Series
    page_col: pd.Series
    thresholds: tuple[float, float, float]  # done, repeat, anchor


def _issuer_rows(c: _TaskContext, issuer: str) -> list[dict[str, object]]:
    """The task_status rows of one issuer's tasks."""
    cat, doc, role, done_cue, start = c.cat, c.doc, c.role, c.done_cue, c.start
    done_threshold, repeat_threshold, anchor_threshold = c.thresholds
    mine = np.flatnonzero(c.who == issuer)
    doc_start: dict[str, date | None] = {}
    for i in mine:
        doc_start.setdefault(doc[i], start[i])
    order = sorted(doc_start, key=lambda d: (doc_start[d] or date.min, d))
    latest = max((d for d in (c.issued[i] for i in mine) if d is not None), default=None)
    task_rows = mine[cat[mine] == "task"]
    work = mine[(cat[mine] == "task") & (role[mine] == "task")]  # tasks that name work, no report
    lims = mine[role[mine] == "limitation"]
    pairs = _Pairs(c.parts, c.F, np.union1d(np.union1d(task_rows, lims), mine[done_cue[mine]]))
    anchors = _anchors(pairs, work, lims, doc, anchor_threshold)
    anchor_of = dict(zip(work.tolist(), anchors.tolist(), strict=True))
    siblings = {t: lims[(doc[lims] == doc[t]) & (lims != a)] for t, a in anchor_of.items() if a >= 0}
    ev_all = mine[(role[mine] == "limitation") | done_cue[mine]]
    ev_by_doc: dict[str, list[int]] = {}
    for i in ev_all:
        ev_by_doc.setdefault(doc[i], []).append(int(i))
    decided: dict[int, tuple[int, str]] = {}
    pending = work
    for d in order:
        ev = np.asarray(ev_by_doc.get(d, []), dtype=np.int64)
        d_start = doc_start[d]
        if not len(ev) or not len(pending) or d_start is None:
            continue
        cand = pending[c.t_ord[pending] < d_start.toordinal()]
        if not len(cand):
            continue
        again = _set_again(pairs, cand, work[doc[work] == d], c.continues)
        found = _decide(pairs, cand, ev, role, c.cluster_of, anchor_of, c.figures,
                        (done_threshold, repeat_threshold), c.texts, siblings, again)  # fmt: skip
        decided.update(found)
        pending = pending[~np.isin(pending, np.fromiter(found, dtype=np.int64, count=len(found)))]
    return [
        _row(
            c.cols,
            int(t),
            decided.get(int(t)),
            issuer,
            latest,
            c.deadline_col.iat[t],
            c.texts[t],
            (start[t], c.issued[t]),
            c.page_col,
        )  # fmt: skip
        for t in task_rows
    ]


def _anchors(
    pairs: _Pairs, tasks: np.ndarray, limits: np.ndarray, doc: np.ndarray, threshold: float
) -> np.ndarray:
    """Row of each task's anchor: the limitation of its document it is paired with (-1: none).

    Within one document tasks and limitations are paired one to one so that the summed
    similarity is highest (`scipy.optimize.linear_sum_assignment`); a pair below `threshold`
    is no pair. A conclusion lists its tasks against its limitations ("b) Sau thời gian dài
    học trực tuyến, còn 412 học sinh chưa trở lại trường" -> "a) ... vận động 412 học sinh
    trở lại lớp"): a weak match that is the only one left for both is still the pair, and a
    limitation already answered by a closer task is not given to a second one.
    """
    from scipy.optimize import linear_sum_assignment

    out = np.full(len(tasks), -1, dtype=np.int64)
    if len(limits) == 0 or len(tasks) == 0:
        return out
    lim_by_doc: dict[str, list[int]] = {}
    for j, d in enumerate(doc[limits]):
        lim_by_doc.setdefault(d, []).append(j)
    task_by_doc: dict[str, list[int]] = {}
    for i, d in enumerate(doc[tasks]):
        task_by_doc.setdefault(d, []).append(i)
    for d, ti in task_by_doc.items():
        lj = lim_by_doc.get(d)
        if not lj:
            continue
        S = pairs.similar(tasks[ti], limits[lj])
        rows, cols = linear_sum_assignment(-S)
        for r, c in zip(rows, cols, strict=True):
            if S[r, c] >= threshold:
                out[ti[r]] = limits[lj[c]]
    return out


def _row(cols: dict[str, list[str]], t: int, found: tuple[int, str] | None, issuer: str, latest: date | None,
         deadline_cell: object, text: str, when: tuple[date | None, date | None], pages: pd.Series) -> dict[str, object]:  # fmt: skip
    """One task_status row (with `_row`, the task's position, for sorting); `when`: its period start and issue date."""
    deadline = task_deadline_of(deadline_cell, text, *when)
    if found is not None:
        ev, status = found
        ev_item, ev_doc, ev_page = cols["item_id"][ev], cols["doc_id"][ev], pages.iat[ev]
    else:
        status = "overdue" if deadline is not None and latest is not None and deadline < latest else "open"
        ev_item = ev_doc = ev_page = ""
    return {
        "task_item_id": cols["item_id"][t], "doc_id": cols["doc_id"][t], "issuer_id": cols["issuer_id"][t] or issuer,
        "period": cols["period"][t], "deadline": deadline.isoformat() if deadline else "", "status": status,
        "evidence_item_id": ev_item, "evidence_doc_id": ev_doc, "evidence_page": "" if ev_page is None else ev_page,
        "_row": t,
    }  # fmt: skip
