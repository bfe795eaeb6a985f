"""What became of each task: the analyse stage's task_status table.

Reads the prepared item rows of the analysis (copies already left out) and their similarity
vectors; returns one row per task with the first later document of the same issuer that reports
it done (a result) or names its problem again (a limitation). Never reads or writes a file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from .parallel import map_work
from .similarity import ItemParts, item_parts
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
from .task_model import FEATURES, TaskModel, load_task_model, step_features
from .task_objects import compared_texts
from .task_pairs import SPECIFIC_BONUS, _Pairs
from .task_specifics import _specifics_matrix, specifics
from .text.dates import parse_iso_date
from .topics import reports_completion

__all__ = [
    "SPECIFIC_BONUS", "STATUSES", "TASK_STATUS_COLUMNS", "clause_partial", "result_figures", "specifics", "task_status",
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
    model: TaskModel | bool = True,
) -> pd.DataFrame:
    """One row per task: done, repeated, open or overdue, with the evidence item.

    With the evidence model (models/task_status, `task_model`, trained on the series gold and
    chosen by cross-validation by writer) each later document in period order scores every
    pending task against its reports of work done and its limitations (the similarities below,
    the anchor's recurrence cluster, figures, a task set again); the first whose best item reaches
    the model's threshold decides. Without it, the rules:
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
        model: the evidence model that decides instead of the thresholds (`task_model`; True: the
            bundled models/task_status one when present, False: the rules above).

    Returns:
        DataFrame with TASK_STATUS_COLUMNS, tasks in document order.

    Examples:
        >>> from ketluan.analysis import analyze_items  # doctest: +SKIP
        >>> analyze_items(items)["task_status"]["status"].tolist()  # doctest: +SKIP
        ['done', 'repeated', 'overdue', 'open']
    """
    import pandas as pd

    context = task_context(df, issuers, clusters=clusters, parts=parts,
                           thresholds=(done_threshold, repeat_threshold, anchor_threshold), model=model)  # fmt: skip
    per_issuer = map_work(_issuer_rows, pd.unique(context.who[context.cat == "task"]).tolist(), context=context,
                          work=len(df))  # fmt: skip
    rows = [row for issuer_rows in per_issuer for row in issuer_rows]
    out = pd.DataFrame(rows, columns=[*TASK_STATUS_COLUMNS, "_row"])
    return out.sort_values("_row").drop(columns="_row").reset_index(drop=True)


def task_context(
    df: pd.DataFrame,
    issuers: Sequence[str],
    *,
    clusters: Mapping[str, str] | None = None,
    parts: ItemParts | None = None,
    thresholds: tuple[float, float, float] = (DONE_THRESHOLD, REPEAT_THRESHOLD, ANCHOR_THRESHOLD),
    model: TaskModel | None | bool = True,
) -> _TaskContext:
    """What `task_status` reads for every issuer (`tools/train_task_status.py` reads it too).

    `model`: the evidence model (`task_model`; True: the bundled one, else the rules alone).
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
    return _TaskContext(
        cat, doc, who, role, done_cue, (frac, share, rate, target), continues, parts, F, cols, cluster_of,
        t_ord, start, issued, texts, deadline_col, page_col, thresholds,
        load_task_model() if model is True else (model or None),
    )  # fmt: skip


def _decide(
    pairs: _Pairs,
    cand: np.ndarray,
    ev: np.ndarray,
    cat: np.ndarray,
    cluster_of: np.ndarray,
    anchor_of: Mapping[int, int],
    partial: np.ndarray,
    thresholds: tuple[float, float],
    siblings: Mapping[int, np.ndarray],
    again: np.ndarray,
) -> dict[int, tuple[int, str]]:
    """The pending tasks one document decides: task row -> (evidence row, "done" / "repeated").

    `siblings`: task row -> the other limitations of its own document (not its anchor);
    `again`: per candidate, whether the document sets the same task again (`_set_again`);
    `partial`: per (candidate, item), whether a result's figures say the work is partial (`_partial`).
    """
    done_threshold, repeat_threshold = thresholds
    S = pairs.similar(cand, ev)
    is_res = cat[ev] == "result"
    anchor = np.array([anchor_of.get(int(t), -1) for t in cand], dtype=np.int64)
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
    model: TaskModel | None = None


@dataclass
class _Issuer:
    """One issuer's rows as `_issuer_rows` walks them: documents in period order, anchors, evidence."""

    mine: np.ndarray
    order: list[str]
    doc_start: dict[str, date | None]
    task_rows: np.ndarray
    work: np.ndarray
    pairs: _Pairs
    anchor_of: dict[int, int]
    siblings: dict[int, np.ndarray]
    ev_by_doc: dict[str, list[int]]
    cluster_docs: dict[str, np.ndarray]  # anchor cluster -> start ordinals of the documents naming it


def _issuer(c: _TaskContext, issuer: str) -> _Issuer:
    """The per-issuer arrays of `_issuer_rows` (and of `issuer_examples`)."""
    cat, doc, role, done_cue, start = c.cat, c.doc, c.role, c.done_cue, c.start
    mine = np.flatnonzero(c.who == issuer)
    doc_start: dict[str, date | None] = {}
    for i in mine:
        doc_start.setdefault(doc[i], start[i])
    order = sorted(doc_start, key=lambda d: (doc_start[d] or date.min, d))
    task_rows = mine[cat[mine] == "task"]
    work = mine[(cat[mine] == "task") & (role[mine] == "task")]  # tasks that name work, no report
    lims = mine[role[mine] == "limitation"]
    pairs = _Pairs(c.parts, c.F, np.union1d(np.union1d(task_rows, lims), mine[done_cue[mine]]))
    anchors = _anchors(pairs, work, lims, doc, c.thresholds[2])
    anchor_of = dict(zip(work.tolist(), anchors.tolist(), strict=True))
    siblings = {t: lims[(doc[lims] == doc[t]) & (lims != a)] for t, a in anchor_of.items() if a >= 0}
    ev_by_doc: dict[str, list[int]] = {}
    for i in mine[(role[mine] == "limitation") | done_cue[mine]]:
        ev_by_doc.setdefault(doc[i], []).append(int(i))
    cluster_docs: dict[str, set[int]] = {}
    for i in lims:
        if c.cluster_of[i]:
            cluster_docs.setdefault(c.cluster_of[i], set()).add(int(c.t_ord[i]))
    docs_of = {k: np.array(sorted(v), dtype=np.int64) for k, v in cluster_docs.items()}
    return _Issuer(mine, order, doc_start, task_rows, work, pairs, anchor_of, siblings, ev_by_doc, docs_of)


def _issuer_rows(c: _TaskContext, issuer: str) -> list[dict[str, object]]:
    """The task_status rows of one issuer's tasks."""
    u = _issuer(c, issuer)
    latest = max((d for d in (c.issued[i] for i in u.mine) if d is not None), default=None)
    decided: dict[int, tuple[int, str]] = {}
    pending = u.work
    # the model was trained with the sentence model's cosines: an issuer compared on its wording
    # alone (an archive beyond semantic.MAX_TEXTS) is decided by the rules
    model = c.model if u.pairs.rec.semantic else None
    for d in u.order:
        ev = np.asarray(u.ev_by_doc.get(d, []), dtype=np.int64)
        d_start = u.doc_start[d]
        if not len(ev) or not len(pending) or d_start is None:
            continue
        cand = pending[c.t_ord[pending] < d_start.toordinal()]
        if not len(cand):
            continue
        again = _set_again(u.pairs, cand, u.work[c.doc[u.work] == d], c.continues)
        if model is not None:
            m = _step(c, u, cand, ev, again, d_start)
            P = model.probability(step_features(m)).reshape(len(cand), len(ev))
            P[_vetoed(m, m["C"])] = 0.0  # what the rules never allow, the model does not either
            best = P.argmax(axis=1)
            hit = P[np.arange(len(cand)), best] >= model.threshold
            found = {int(cand[k]): (int(ev[best[k]]), "done" if c.role[ev[best[k]]] == "result" else "repeated")
                     for k in np.flatnonzero(hit)}  # fmt: skip
        else:
            partial = _partial(c, cand, ev, c.role[ev] == "result", u.pairs.similar(cand, ev))
            found = _decide(u.pairs, cand, ev, c.role, c.cluster_of, u.anchor_of, partial, c.thresholds[:2],
                            u.siblings, again)  # fmt: skip
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
            (c.start[t], c.issued[t]),
            c.page_col,
        )  # fmt: skip
        for t in u.task_rows
    ]


def issuer_examples(
    c: _TaskContext, issuer: str, evidence_of: Mapping[int, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(task rows, item rows, feature rows) of every pair the evidence model would score for one issuer.

    For training (`tools/train_task_status.py`): a task is pending at a later document up to the
    document of its gold evidence (`evidence_of`: task row -> evidence row; absent: never decided),
    as if every earlier decision had been right.
    """
    u = _issuer(c, issuer)
    out_t, out_e, out_f = [], [], []
    stop = {t: c.t_ord[e] for t, e in evidence_of.items()}
    for d in u.order:
        ev = np.asarray(u.ev_by_doc.get(d, []), dtype=np.int64)
        d_start = u.doc_start[d]
        if not len(ev) or d_start is None:
            continue
        o = d_start.toordinal()
        cand = u.work[
            (c.t_ord[u.work] < o) & np.array([stop.get(int(t), o) >= o for t in u.work], dtype=bool)
        ]
        if not len(cand):
            continue
        again = _set_again(u.pairs, cand, u.work[c.doc[u.work] == d], c.continues)
        out_f.append(step_features(_step(c, u, cand, ev, again, d_start)))
        out_t.append(np.repeat(cand, len(ev)))
        out_e.append(np.tile(ev, len(cand)))
    if not out_f:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros((0, len(FEATURES)))
    return np.concatenate(out_t), np.concatenate(out_e), np.vstack(out_f)


def _step(c: _TaskContext, u: _Issuer, cand: np.ndarray, ev: np.ndarray, again: np.ndarray, d_start: date) -> dict[str, np.ndarray]:  # fmt: skip
    """The matrices `task_model.step_features` reads for pending tasks `cand` and the items `ev` of one document."""
    pairs = u.pairs
    S, C = pairs.similar(cand, ev), pairs.cosine(cand, ev)
    is_res = c.role[ev] == "result"
    anchor = np.array([u.anchor_of.get(int(t), -1) for t in cand], dtype=np.int64)
    has = anchor >= 0
    a_cluster = np.array([c.cluster_of[a] if a >= 0 else "" for a in anchor], dtype=object)
    same = (a_cluster[:, None] == c.cluster_of[ev][None, :]) & (a_cluster[:, None] != "") & ~is_res[None, :]
    to_anchor, cos_anchor, sibling = np.zeros_like(S), np.zeros_like(S), np.zeros_like(S)
    sent, sent_anchor = pairs.sentence(cand, ev), np.zeros_like(S)
    if has.any():
        hi = np.flatnonzero(has)
        to_anchor[hi] = pairs.similar(anchor[hi], ev)
        cos_anchor[hi] = pairs.cosine(anchor[hi], ev)
        sent_anchor[hi] = pairs.sentence(anchor[hi], ev)
        for k in hi:
            sib = u.siblings.get(int(cand[k]))
            if sib is not None and len(sib):
                sibling[k] = pairs.cosine(ev, sib).max(axis=1)
    o = d_start.toordinal()
    between = np.array([
        bool(((docs > c.t_ord[t]) & (docs < o)).any()) if (docs := u.cluster_docs.get(a_cluster[k])) is not None
        else False for k, t in enumerate(cand)
    ], dtype=bool)  # fmt: skip
    order_in_doc = np.cumsum(same, axis=1)
    first = same & (order_in_doc == 1) & ~between[:, None]
    partial = _partial(c, cand, ev, is_res, S)
    doc_rank = {d: k for k, d in enumerate(u.order)}
    here = doc_rank[c.doc[ev[0]]]
    return {
        "S": S, "C": C, "is_res": is_res, "partial": partial.astype(np.float64), "again": again.astype(np.float64),
        "same": same.astype(np.float64), "loose": ((a_cluster == "") & has).astype(np.float64),
        "to_anchor": to_anchor, "cos_anchor": cos_anchor, "sibling": sibling, "sent": sent,
        "sent_anchor": sent_anchor, "has_anchor": has.astype(np.float64), "first": first.astype(np.float64),
        "docs_after": np.array([here - doc_rank[c.doc[t]] for t in cand], dtype=np.float64),
        "months_after": np.minimum((o - c.t_ord[cand]) / 30.0, 12.0),
    }  # fmt: skip


def _vetoed(m: dict[str, np.ndarray], cosine: np.ndarray) -> np.ndarray:
    """Pairs the rules rule out: a partial figure, a task set again, no shared words (DONE_MIN_COSINE),
    a result more like another pending task; a limitation clearly closer to another limitation of
    the task's document than to its anchor (SIBLING_MARGIN), or sharing no words with the task
    (DONE_MIN_COSINE) or less like it than an anchor must be (ANCHOR_THRESHOLD) outside its
    anchor's cluster (LOOSE_LINK to the anchor)."""
    res = m["is_res"][None, :]
    S = np.where(res, m["S"], -np.inf)
    other = (m["partial"] > 0) | (m["again"][:, None] > 0) | (cosine < DONE_MIN_COSINE)
    best = np.where(other, -np.inf, S).max(axis=0, keepdims=True)
    result_out = res & (other | (S < best))
    sibling_out = ~res & (m["has_anchor"][:, None] > 0) & (m["sibling"] > m["to_anchor"] + SIBLING_MARGIN)
    # a limitation names the task's problem in words, or through the anchor's cluster or wording
    weak = (cosine < DONE_MIN_COSINE) | (m["S"] < ANCHOR_THRESHOLD)
    unrelated = ~res & (m["same"] == 0) & weak & (m["to_anchor"] < LOOSE_LINK)
    return np.asarray(result_out | sibling_out | unrelated)


def _partial(
    c: _TaskContext, cand: np.ndarray, ev: np.ndarray, is_res: np.ndarray, S: np.ndarray
) -> np.ndarray:
    """Whether a result's figures say the work of a task is partial (`result_figures`, `clause_partial`)."""
    frac, share, rate, target = c.figures
    tgt = np.minimum(target[cand], 100.0)[:, None]
    partial = (
        frac[ev][None, :]
        | (share[ev][None, :] < tgt)
        | (np.isfinite(target[cand])[:, None] & (rate[ev][None, :] < tgt))
    )
    for k, j in zip(*np.nonzero(partial & is_res[None, :] & (S >= c.thresholds[0])), strict=True):
        own = clause_partial(c.texts[cand[k]], c.texts[ev[j]])
        if own is False and not np.isfinite(target[cand[k]]):
            partial[k, j] = False  # the clause on the task reports it whole; the figure is another's
    return np.asarray(partial)


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
