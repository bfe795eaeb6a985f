"""Report stage: the analysis tables as one self-contained, offline `report.html`.

Reads the DataFrames `analyze` returns (items, item_clusters, recurrence, followups) and
writes Plotly charts (JavaScript inlined once) and tables whose numbers link to the items,
source files and pages behind them. Document text is untrusted: it is always escaped.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from .text.periods import period_sort_key

TOP_CLUSTERS = 30  # rows of the heat map and of the top-recurring table
SAMPLES = 2  # sample sentences shown per cluster besides the representative
LABEL_CHARS = 70  # heat-map row labels are cut to this many characters
CATEGORY_ORDER = ("result", "limitation", "cause", "task", "other")
CATEGORY_COLORS = {
    "result": "#2e7d32", "limitation": "#c62828", "cause": "#ef6c00",
    "task": "#1565c0", "other": "#9e9e9e",
}  # fmt: skip
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}

CSS = """
body{font-family:"DejaVu Sans","Liberation Sans",Arial,sans-serif;margin:1.5rem auto;max-width:1200px;color:#222;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}
h3{font-size:1rem;margin-bottom:.3rem}
table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.5rem 0}
th,td{border:1px solid #ddd;padding:.25rem .4rem;vertical-align:top;text-align:left}
th{background:#f3f3f3}td.n{text-align:right;white-space:nowrap}
.muted{color:#666;font-size:.85rem}.summary td{border:none;padding:.1rem .8rem .1rem 0}
code{font-size:.8rem}section.cluster{margin-bottom:1.2rem}
"""


def _e(value: Any) -> str:
    """Escape any cell for HTML text or attribute; NaN and None become ""."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return html.escape(str(value), quote=True)


def _cut(text: str, limit: int) -> str:
    """A label cut to `limit` characters (before escaping, so no entity is cut)."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _anchor(kind: str, key: Any) -> str:
    """An element id for a cluster or document: `cluster-C0001`, `doc-<doc_id>`."""
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in str(key))
    return f"{kind}-{safe}"


def _link(kind: str, key: Any, label: Any) -> str:
    """An in-page link to an anchor, label escaped."""
    return f'<a href="#{_anchor(kind, key)}">{_e(label)}</a>'


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], numeric: Sequence[int] = ()) -> str:
    """An HTML table from already-escaped cells."""
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = "".join(
            f'<td class="n">{c}</td>' if k in numeric else f"<td>{c}</td>" for k, c in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _period_order(periods: Iterable[str]) -> list[str]:
    """Periods in chronological order (keys from `text.periods.period_key`)."""
    return sorted({p for p in periods if p}, key=period_sort_key)


def _members(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """item_clusters joined with the item rows (text, period, source, page)."""
    clusters = tables.get("item_clusters", pd.DataFrame())
    items = tables.get("items", pd.DataFrame())
    if clusters.empty:
        return pd.DataFrame(columns=["item_id", "cluster_id", "similarity"])
    if items.empty or "item_id" not in items.columns:
        return clusters.copy()
    extra = [c for c in items.columns if c not in clusters.columns or c == "item_id"]
    return clusters.merge(items[extra].drop_duplicates("item_id"), on="item_id", how="left")


def heatmap_figure(recurrence: pd.DataFrame, members: pd.DataFrame) -> go.Figure:
    """Recurring clusters (rows) × periods (columns), cell = number of items named.

    Examples:
        >>> fig = heatmap_figure(tables["recurrence"], members)  # doctest: +SKIP
    """
    top = recurrence.head(TOP_CLUSTERS)
    ids = top["cluster_id"].tolist()
    rows = members[members["cluster_id"].isin(ids)] if "period" in members.columns else members.iloc[0:0]
    periods = _period_order(rows["period"]) if "period" in rows.columns else []
    counts = rows.groupby(["cluster_id", "period"]).size() if len(rows) else pd.Series(dtype=int)
    labels, z, hover = [], [], []
    for cid, rep in zip(top["cluster_id"], top["representative"], strict=True):
        labels.append(_e(f"{cid} · {_cut(rep, LABEL_CHARS)}"))
        z.append([int(counts.get((cid, p), 0)) for p in periods])
        hover.append([f"{_e(cid)}<br>{_e(p)}: {int(counts.get((cid, p), 0))}" for p in periods])
    fig = go.Figure(
        go.Heatmap(
            z=z, x=[_e(p) for p in periods], y=labels, text=hover, customdata=[[c] * len(periods) for c in ids],
            hovertemplate="%{text}<extra></extra>", colorscale="Reds", zmin=0, xgap=2, ygap=2,
            colorbar={"title": {"text": "items"}},
        )
    )  # fmt: skip
    fig.update_layout(
        title="Recurring limitations by period (click a cell to see its items)",
        height=max(320, 60 + 26 * len(labels)), margin={"l": 20, "r": 20, "t": 50, "b": 40},
        yaxis={"autorange": "reversed", "automargin": True}, xaxis={"type": "category"},
    )  # fmt: skip
    return fig


def category_figure(items: pd.DataFrame) -> go.Figure:
    """Stacked bars of items per category and period, one view per issuer (a dropdown).

    The first view sums all issuers; each issuer's view has its own periods on the x axis.

    Examples:
        >>> fig = category_figure(tables["items"])  # doctest: +SKIP
    """
    df = items.copy()
    for col in ("issuer", "period", "category"):
        df[col] = df[col].fillna("").astype(str) if col in df.columns else ""
    df["period"] = df["period"].replace("", "(no period)")
    df["issuer"] = df["issuer"].replace("", "(no issuer)")
    present = set(df["category"])
    cats = [c for c in CATEGORY_ORDER if c in present] + sorted(present - set(CATEGORY_ORDER))
    views: list[tuple[str, pd.DataFrame]] = [("All issuers", df)]
    views += [(str(who), g) for who, g in df.groupby("issuer", sort=True)]
    fig = go.Figure()
    for v, (_, frame) in enumerate(views):
        counts = frame.groupby(["period", "category"]).size()
        periods = sorted(set(frame["period"]), key=period_sort_key)
        for cat in cats:
            fig.add_trace(
                go.Bar(
                    name=_e(cat), legendgroup=_e(cat), showlegend=v == 0, visible=v == 0,
                    marker_color=CATEGORY_COLORS.get(cat, "#607d8b"), x=[_e(p) for p in periods],
                    y=[int(counts.get((p, cat), 0)) for p in periods],
                    hovertemplate=f"{_e(cat)} · %{{x}}: %{{y}}<extra></extra>",
                )
            )  # fmt: skip
    buttons = []
    for v, (label, _) in enumerate(views):
        visible = [k // len(cats) == v for k in range(len(views) * len(cats))]
        showlegend = [k // len(cats) == v for k in range(len(views) * len(cats))]
        buttons.append({
            "label": _e(_cut(label, 60)), "method": "update",
            "args": [{"visible": visible, "showlegend": showlegend}],
        })  # fmt: skip
    fig.update_layout(
        barmode="stack", height=420,
        title={"text": "Items per category and period (choose the issuer)", "x": 0.99, "xanchor": "right"},
        margin={"l": 40, "r": 20, "t": 90, "b": 40}, xaxis={"type": "category"},
        updatemenus=[{"buttons": buttons, "direction": "down", "x": 0, "xanchor": "left", "y": 1.18,
                      "yanchor": "top", "showactive": True}],
    )  # fmt: skip
    return fig


def _source_cell(row: Mapping[str, Any]) -> str:
    """Source file and page of an item, with a link to its document row."""
    src = _e(row.get("source_path", "")) or _e(row.get("doc_id", ""))
    page = row.get("page", "")
    page_txt = f", p. {_e(page)}" if _e(page) else ""
    return f'<a href="#{_anchor("doc", row.get("doc_id", ""))}"><code>{src}</code></a>{page_txt}'


def _top_table(recurrence: pd.DataFrame, members: pd.DataFrame) -> str:
    """Top recurring limitations with streaks, periods and sample sentences."""
    rows = []
    for r in recurrence.head(TOP_CLUSTERS).to_dict("records"):
        mates = (
            members[members["cluster_id"] == r["cluster_id"]]
            if "text" in members.columns
            else members.iloc[0:0]
        )
        samples = [t for t in mates.get("text", pd.Series(dtype=str)).tolist() if t != r["representative"]]
        sample_html = "".join(f"<li>{_e(t)}</li>" for t in samples[:SAMPLES])
        rows.append([
            _link("cluster", r["cluster_id"], r["cluster_id"]),
            f"<b>{_e(r['representative'])}</b>" + (f"<ul>{sample_html}</ul>" if sample_html else ""),
            _link("cluster", r["cluster_id"], r["n_items"]), _e(r["n_docs"]), _e(r["n_periods"]),
            _e(r["max_streak"]), _e(r["first_period"]), _e(r["last_period"]), _e(r["issuers"]),
        ])  # fmt: skip
    return _table(
        ["cluster", "representative (and samples)", "items", "docs", "periods", "longest streak",
         "first", "last", "issuers"], rows, numeric=(2, 3, 4, 5),
    )  # fmt: skip


def _cluster_sections(recurrence: pd.DataFrame, members: pd.DataFrame) -> str:
    """One anchored block per recurring cluster listing its items with source and page."""
    blocks = []
    for r in recurrence.to_dict("records"):
        mates = members[members["cluster_id"] == r["cluster_id"]]
        if "period" in mates.columns:
            mates = mates.sort_values(["period", "item_id"])
        rows = [
            [_e(m.get("period", "")), _e(m.get("issuer", "")), _e(m.get("doc_number", "")), _source_cell(m),
             _e(m.get("text", "")), _e(m.get("similarity", ""))]
            for m in mates.to_dict("records")
        ]  # fmt: skip
        blocks.append(
            f'<section class="cluster" id="{_anchor("cluster", r["cluster_id"])}">'
            f"<h3>{_e(r['cluster_id'])} · {_e(r['category'])} · {_e(r['n_items'])} items in "
            f"{_e(r['n_periods'])} periods (longest streak {_e(r['max_streak'])})</h3>"
            + _table(["period", "issuer", "number", "source, page", "text", "similarity"], rows, numeric=(5,))
            + "</section>"
        )
    return "".join(blocks) or '<p class="muted">No limitation recurs in two documents or more.</p>'


def _followup_table(followups: pd.DataFrame, items: pd.DataFrame) -> str:
    """Tasks and the later limitations that name the same problem, with sources."""
    if followups.empty:
        return '<p class="muted">No task is followed by a limitation that names the same problem.</p>'
    by_id = items.drop_duplicates("item_id").set_index("item_id") if "item_id" in items.columns else None

    def src(item_id: Any, doc_id: Any) -> str:
        if by_id is not None and item_id in by_id.index:
            return _source_cell({**by_id.loc[item_id].to_dict(), "doc_id": doc_id})
        return _source_cell({"doc_id": doc_id})

    rows = []
    for f in followups.to_dict("records"):
        cluster = _link("cluster", f["cluster_id"], f["cluster_id"]) if _e(f.get("cluster_id")) else ""
        rows.append([
            _e(f["issuer"]), _e(f["task_period"]), _e(f["task_text"]) + "<br>" + src(f["task_item_id"], f["task_doc_id"]),
            _e(f["limitation_period"]),
            _e(f["limitation_text"]) + "<br>" + src(f["limitation_item_id"], f["limitation_doc_id"]),
            cluster, _e(f["gap_periods"]), _e(f["similarity"]),
        ])  # fmt: skip
    return _table(
        ["issuer", "task period", "task (source)", "later period", "limitation named again (source)",
         "cluster", "gap", "similarity"], rows, numeric=(6, 7),
    )  # fmt: skip


def _document_table(items: pd.DataFrame) -> str:
    """One anchored row per document: source, period, and its item counts per category."""
    if items.empty or "doc_id" not in items.columns:
        return '<p class="muted">No items.</p>'
    cats = [c for c in CATEGORY_ORDER if c in set(items["category"])]
    counts = items.groupby(["doc_id", "category"]).size()
    first = items.drop_duplicates("doc_id")
    rows = []
    for d in first.to_dict("records"):
        doc = d["doc_id"]
        rows.append(
            [f'<span id="{_anchor("doc", doc)}"><code>{_e(d.get("source_path", "")) or _e(doc)}</code></span>',
             _e(d.get("issuer", "")), _e(d.get("doc_number", "")), _e(d.get("period", "")),
             _e(d.get("issue_date", ""))]
            + [_e(int(counts.get((doc, c), 0))) for c in cats]
        )  # fmt: skip
    return _table(["source file", "issuer", "number", "period", "issued", *cats], rows,
                  numeric=tuple(range(5, 5 + len(cats))))  # fmt: skip


def _figure_html(fig: go.Figure, div_id: str, first: bool) -> str:
    """A figure's div; the Plotly library is inlined with the first figure only."""
    return str(
        fig.to_html(full_html=False, include_plotlyjs=bool(first), div_id=div_id, config=PLOTLY_CONFIG)
    )


# Clicking a heat-map cell jumps to the cluster's item list; cluster ids come from our own
# `customdata` (never from document text) and only [A-Za-z0-9_.-] survive into the anchor.
CLICK_SCRIPT = """<script>
(function(){var el=document.getElementById("heatmap");if(!el||!el.on){return;}
el.on("plotly_click",function(d){var id=d&&d.points&&d.points[0]&&d.points[0].customdata;
if(id){location.hash="cluster-"+String(id).replace(/[^A-Za-z0-9_.-]/g,"_");}});})();
</script>"""


def write_report(tables: Mapping[str, pd.DataFrame], out: str | Path) -> Path:
    """Write one self-contained `report.html` (opens offline) from the analysis tables.

    Args:
        tables: `analyze` output: "recurrence", "item_clusters", "followups" and "items" (the
            item rows with `period`, `source_path`, `page`; without them the report still
            renders, with fewer links).
        out: the HTML file to write, or a folder (then `<out>/report.html`).

    Returns:
        The path written.

    Examples:
        >>> write_report(analyze_items(items), "out/")  # doctest: +SKIP
        PosixPath('out/report.html')
    """
    path = Path(out)
    if path.suffix.lower() not in (".html", ".htm"):
        path = path / "report.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    recurrence = tables.get("recurrence", pd.DataFrame())
    followups = tables.get("followups", pd.DataFrame())
    items = tables.get("items", pd.DataFrame())
    members = _members(tables)
    n_docs = items["doc_id"].nunique() if "doc_id" in items.columns else 0
    n_lim = int((items["category"] == "limitation").sum()) if "category" in items.columns else 0

    parts = []
    first = True
    if not recurrence.empty:
        parts.append(_figure_html(heatmap_figure(recurrence, members), "heatmap", first))
        first = False
    heat = (
        parts[0] + CLICK_SCRIPT
        if parts
        else '<p class="muted">No limitation recurs in two documents or more.</p>'
    )
    bars = _figure_html(category_figure(items), "categories", first) if not items.empty else ""
    summary = _table(
        ["documents", "items", "limitations", "recurring clusters", "follow-ups"],
        [[_link("sec", "documents", n_docs), _e(len(items)), _e(n_lim),
          _link("sec", "clusters", len(recurrence)), _link("sec", "followups", len(followups))]],
        numeric=(0, 1, 2, 3, 4),
    )  # fmt: skip
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")  # noqa: UP017 (py3.10)
    body = f"""<h1>ketluan — recurring limitations and follow-ups</h1>
<p class="muted">Generated {_e(stamp)}. Every count links to the items behind it, with source file and page.
Recurring = a group of limitations of one issuer that say the same thing, named in two documents or more.</p>
{summary}
<h2 id="sec-heatmap">Recurring limitations × periods</h2>{heat}
<h2 id="sec-categories">Items per category, period and issuer</h2>{bars}
<h2 id="sec-top">Top recurring limitations</h2>{_top_table(recurrence, members)}
<h2 id="sec-followups">Tasks followed by the same limitation later</h2>{_followup_table(followups, items)}
<h2 id="sec-clusters">Items of each recurring limitation</h2>{_cluster_sections(recurrence, members)}
<h2 id="sec-documents">Documents</h2>{_document_table(items)}"""
    page = (
        '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>ketluan report</title><style>{CSS}</style></head><body>{body}</body></html>\n"
    )
    path.write_text(page, encoding="utf-8")
    return path
