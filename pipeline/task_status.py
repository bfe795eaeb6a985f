"""What became of each task: the analyse stage's task_status table.

Reads the prepared item rows of the analysis (copies already left out) and their similarity
vectors; returns one row per task with the first later document of the same issuer that reports
it done (a result) or names its problem again (a limitation). Never reads or writes a file.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from .text.dates import parse_iso_date
from .topics import reports_completion

if TYPE_CHECKING:
    import pandas as pd

TASK_STATUS_COLUMNS = [
    "task_item_id", "doc_id", "issuer_id", "period", "deadline", "status",
    "evidence_item_id", "evidence_doc_id", "evidence_page",
]  # fmt: skip
STATUSES = ("done", "repeated", "open", "overdue")
# Cosine (analyze.vectorize: words, syllables, topic) a later result must reach to report a task
# done, and a later limitation to name its problem again: the middle of the plateau where the
# four tune series of data/series_eval score 1.0 (done 0.20-0.30, repeat 0.30-0.50). A result
# must also say the work was done (topics.reports_completion), which lets DONE sit low.
DONE_THRESHOLD = 0.25
REPEAT_THRESHOLD = 0.40
TASK_BLOCK = 512  # tasks compared with an issuer's evidence at once (memory ~ TASK_BLOCK x evidence)


def _first_date(*values: object) -> date | None:
    """The first value that parses as an ISO date."""
    for v in values:
        d = parse_iso_date(v)
        if d is not None:
            return d
    return None


def task_status(
    df: pd.DataFrame,
    X: sp.csr_matrix,
    issuers: Sequence[str],
    *,
    done_threshold: float = DONE_THRESHOLD,
    repeat_threshold: float = REPEAT_THRESHOLD,
) -> pd.DataFrame:
    """One row per task: done, repeated, open or overdue, with the evidence item.

    For a task of period P, the issuer's later documents are read in period order; the first
    one that speaks of it decides: its result most similar to the task (>= done_threshold)
    that says the work was done (`topics.reports_completion`: "đã ban hành", "xong", ...)
    makes it `done`, its limitation most similar (>= repeat_threshold) `repeated` (when both
    reach their threshold, the one further above it). If none does: `overdue` when the task's
    deadline is before the issue date of the issuer's latest document, else `open`.

    Args:
        df: prepared item rows (`analyze._prepare`: item_id, doc_id, category, period,
            period_start, issue_date, deadline, page), one issued document once.
        X: `analyze.vectorize` rows aligned with df.
        issuers: the issuer key of each row (`analyze.issuer_key`).
        done_threshold: similarity a result must reach.
        repeat_threshold: similarity a limitation must reach.

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
    done_cue = np.array(
        [c == "result" and reports_completion(t) for c, t in zip(cat, texts, strict=True)], dtype=bool
    )
    cols = {c: df[c].astype(str).tolist() for c in ("item_id", "doc_id", "issuer_id", "period")}
    rows = []
    for issuer in pd.unique(who[cat == "task"]):
        mine = np.flatnonzero(who == issuer)
        doc_start: dict[str, date | None] = {}
        for i in mine:
            doc_start.setdefault(doc[i], start[i])
        order = sorted(doc_start, key=lambda d: (doc_start[d] or date.min, d))
        latest = max((d for d in (issued[i] for i in mine) if d is not None), default=None)
        rank = {d: k for k, d in enumerate(order)}
        # a result is evidence only when it says the work was done (data/analysis/completion.txt)
        ev_rows = mine[(cat[mine] == "limitation") | ((cat[mine] == "result") & done_cue[mine])]
        task_rows = mine[cat[mine] == "task"]
        ev_rank = np.array([rank[doc[i]] for i in ev_rows], dtype=np.int64)
        ev_start = np.array([(doc_start[doc[i]] or date.min).toordinal() for i in ev_rows], dtype=np.int64)
        need = np.where(cat[ev_rows] == "result", done_threshold, repeat_threshold)
        for lo in range(0, len(task_rows), TASK_BLOCK):
            block = task_rows[lo : lo + TASK_BLOCK]
            sims = (X[block] @ X[ev_rows].T).toarray() if len(ev_rows) else np.zeros((len(block), 0))
            for k, t in enumerate(block):
                pick = _first_mention(sims[k] - need, ev_start, ev_rank, start[t])
                found = None
                if pick is not None:
                    c = int(ev_rows[pick])
                    found = (c, "done" if cat[c] == "result" else "repeated")
                rows.append(_row(cols, t, found, issuer, latest, deadline_col.iat[t], page_col))
    out = pd.DataFrame(rows, columns=[*TASK_STATUS_COLUMNS, "_row"])
    return out.sort_values("_row").drop(columns="_row").reset_index(drop=True)


def _first_mention(
    margin: np.ndarray, ev_start: np.ndarray, ev_rank: np.ndarray, task_start: date | None
) -> int | None:
    """Index of the evidence that decides: in the first later document speaking of the task, the best."""
    if task_start is None or len(margin) == 0:
        return None
    ok = (margin >= 0) & (ev_start > task_start.toordinal())
    if not ok.any():
        return None
    cand = np.flatnonzero(ok & (ev_rank == ev_rank[ok].min()))
    return int(cand[np.argmax(margin[cand])])


def _row(cols: dict[str, list[str]], t: int, found: tuple[int, str] | None, issuer: str, latest: date | None,
         deadline_cell: object, pages: pd.Series) -> dict[str, object]:  # fmt: skip
    """One task_status row (with `_row`, the task's position, for sorting)."""
    deadline = parse_iso_date(deadline_cell)
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
