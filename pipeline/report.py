"""Report stage: the analysis tables as one self-contained, offline `report.html` for an auditor.

Reads the DataFrames `analyze` returns (items, item_clusters, recurrence, followups, task_status,
optionally documents) and writes findings first, then an HTML/CSS heat map over a complete period
axis, task statuses and the items behind every count, each linked to its source file at its page.
No chart library and no script from outside: the file is small and opens offline. Document text is
untrusted: it is escaped exactly once.
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd

from .config import DATA_DIR
from .text.periods import period_axis
from .topics import topic_labels, topic_of

LABELS_PATH = DATA_DIR / "analysis" / "report_labels.json"
LANGS = ("vi", "en")
TOP_FINDINGS = 5  # longest-running limitations listed first
TOP_CLUSTERS = 40  # rows of each issuer's heat map
LABEL_CHARS = 90  # heat-map row labels are cut to this many characters
CATEGORY_ORDER = ("result", "limitation", "cause", "task", "other")
HEAT_COLORS = ("#fff5f0", "#fcbba1", "#fc9272", "#fb6a4a", "#ef3b2c", "#cb181d", "#99000d")  # 0, 1, 2, ...

CSS = """
*{box-sizing:border-box}
body{font-family:"DejaVu Sans","Liberation Sans",Arial,sans-serif;margin:1.5rem auto;max-width:1200px;color:#222;padding:0 1rem;overflow-wrap:anywhere}
h1{font-size:1.45rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ccc}h3{font-size:1rem;margin:.8rem 0 .3rem}
table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.5rem 0;table-layout:auto}
th,td{border:1px solid #ddd;padding:.25rem .4rem;vertical-align:top;text-align:left}
th{background:#f3f3f3}td.n{text-align:right;white-space:nowrap}
.muted{color:#666;font-size:.85rem}.wrap{overflow-x:auto;max-width:100%}
table.heat{width:auto}table.heat td.c{text-align:center;min-width:2.6rem;font-weight:bold}
table.heat td.c a{display:block;color:inherit;text-decoration:none}
table.heat th.p{writing-mode:vertical-rl;transform:rotate(180deg);font-weight:normal;white-space:nowrap}
.gap{background:repeating-linear-gradient(45deg,#eee,#eee 4px,#fff 4px,#fff 8px)!important;color:#999}
.legend span{display:inline-block;min-width:2rem;text-align:center;border:1px solid #ccc;margin-right:2px}
.st{padding:0 .3rem;border-radius:3px;white-space:nowrap}.st-done{background:#c8e6c9}.st-repeated{background:#ffe0b2}
.st-open{background:#e0e0e0}.st-overdue{background:#ffcdd2}
ul.findings li{margin-bottom:.3rem}code{font-size:.8rem}
select{font-size:.95rem;max-width:100%}
"""

# Shows one issuer's blocks or all; the value comes from our own <option>s (issuer_id slugs).
FILTER_SCRIPT = """<script>
(function(){var s=document.getElementById("issuer-filter");if(!s){return;}
function apply(){var v=s.value;var els=document.querySelectorAll("[data-issuer]");
for(var i=0;i<els.length;i++){els[i].hidden=!(v===""||els[i].getAttribute("data-issuer")===v);}}
s.addEventListener("change",apply);apply();})();
</script>"""


@lru_cache(maxsize=1)
def _all_labels() -> dict[str, Any]:
    """The label file, read once."""
    data: dict[str, Any] = json.loads(LABELS_PATH.read_text(encoding="utf-8"))
    return data


def labels(lang: str = "vi") -> dict[str, Any]:
    """The report's labels in Vietnamese ("vi") or English ("en").

    Examples:
        >>> labels("vi")["status"]["overdue"]
        'quá hạn'
        >>> labels("en")["findings"]
        'Key findings'
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}")
    return dict(_all_labels()[lang])


def _e(value: Any) -> str:
    """Escape any cell for HTML text or attribute; NaN and None become ""."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return html.escape(str(value), quote=True)


def _s(value: Any) -> str:
    """A cell as plain text, NaN and None as ""."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    return str(value)


def _cut(text: str, limit: int) -> str:
    """A label cut to `limit` characters (before escaping, so no entity is cut)."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _anchor(kind: str, key: Any) -> str:
    """An element id: `cluster-C0001`, `doc-<doc_id>`, `item-<item_id>`, `sec-findings`."""
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in str(key))
    return f"{kind}-{safe}"


def _link(kind: str, key: Any, label: Any) -> str:
    """An in-page link to an anchor, label escaped."""
    return f'<a href="#{_anchor(kind, key)}">{_e(label)}</a>'


def _page(value: Any) -> int | None:
    """A page number (1-based) or None."""
    try:
        n = int(float(_s(value)))
    except ValueError:
        return None
    return n if n >= 1 else None


def _href(source: str, page: int | None, base: Path) -> str:
    """A link to the source file at its page ("../luu-tru/tb-07.pdf#page=2"), relative to the report."""
    if not source:
        return ""
    if "://" in source:
        target = source
    else:
        path = Path(source)
        try:
            target = os.path.relpath(path if path.is_absolute() else path.resolve(), base)
        except ValueError:  # another drive (Windows)
            target = str(path)
        target = quote(target.replace(os.sep, "/"))
    return target + (f"#page={page}" if page and source.lower().endswith(".pdf") else "")


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], numeric: Sequence[int] = (),
           row_attrs: Sequence[str] | None = None) -> str:  # fmt: skip
    """An HTML table from already-escaped cells (`row_attrs`: escaped attributes per row)."""
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = []
    for k, row in enumerate(rows):
        cells = "".join(
            f'<td class="n">{c}</td>' if j in numeric else f"<td>{c}</td>" for j, c in enumerate(row)
        )
        attrs = f" {row_attrs[k]}" if row_attrs and row_attrs[k] else ""
        body.append(f"<tr{attrs}>{cells}</tr>")
    return (
        f'<div class="wrap"><table><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'
    )


class _Report:
    """The tables of one report, indexed, with the labels of one language."""

    def __init__(self, tables: Mapping[str, pd.DataFrame], base: Path, lang: str, issuer: str | None) -> None:
        self.L = labels(lang)
        self.topics = topic_labels(lang)
        self.base = base
        items = tables.get("items", pd.DataFrame()).copy()
        for col in ("item_id", "doc_id", "category", "text", "issuer", "issuer_id", "period", "source_path",
                    "doc_number", "issue_date", "page"):  # fmt: skip
            items[col] = items[col].map(_s) if col in items.columns else ""
        items["issuer_id"] = [
            i or n.casefold() for i, n in zip(items["issuer_id"], items["issuer"], strict=True)
        ]
        self.clusters = tables.get("item_clusters", pd.DataFrame())
        if "cluster_id" not in self.clusters.columns:
            self.clusters = pd.DataFrame(columns=["item_id", "cluster_id", "similarity"])
        self.recurrence = tables.get("recurrence", pd.DataFrame())
        if "cluster_id" not in self.recurrence.columns:
            self.recurrence = pd.DataFrame(columns=["cluster_id"])
        self.status = tables.get("task_status", pd.DataFrame())
        if "task_item_id" not in self.status.columns:
            self.status = pd.DataFrame(columns=["task_item_id", "issuer_id", "status", "evidence_item_id"])
        self.documents = tables.get("documents", pd.DataFrame())
        if issuer:
            items = items[items["issuer_id"] == issuer]
        self.items = items.drop_duplicates("item_id").reset_index(drop=True)
        self.by_id = self.items.set_index("item_id")
        keep = set(self.items["item_id"])
        self.clusters = (
            self.clusters[self.clusters["item_id"].isin(keep)] if len(self.clusters) else self.clusters
        )
        ids = set(self.clusters["cluster_id"]) if len(self.clusters) else set()
        if len(self.recurrence):
            self.recurrence = self.recurrence[self.recurrence["cluster_id"].isin(ids)]
        if len(self.status):
            self.status = self.status[self.status["task_item_id"].isin(keep)]
        self.cluster_issuer = {
            c: self.by_id.at[i, "issuer_id"] for i, c in zip(self.clusters.get("item_id", []),
                                                             self.clusters.get("cluster_id", []), strict=True)
        }  # fmt: skip
        self.names = {
            k: _s(g["issuer"].iloc[0]) or k for k, g in self.items.groupby("issuer_id", sort=True)
        }  # fmt: skip
        self.referenced: list[str] = []

    # ------------------------------------------------------------ cells

    def item_ref(self, item_id: str, text: bool = True) -> str:
        """An item's text (optional), its source link at its page and its link into the tables."""
        if item_id not in self.by_id.index:
            return _e(item_id)
        row = self.by_id.loc[item_id]
        if item_id not in self.referenced:
            self.referenced.append(item_id)
        return (
            (f"{_e(row['text'])}<br>" if text else "")
            + self.source(row)
            + " · "
            + _link("item", item_id, item_id)
        )

    def source(self, row: Mapping[str, Any]) -> str:
        """Source file name and page, linked to the file at that page."""
        src = _s(row.get("source_path", "")) or _s(row.get("doc_id", ""))
        page = _page(row.get("page", ""))
        name = _e(Path(src).name or src)
        where = f"{name}, {_e(self.L['page'])} {page}" if page else name
        href = _href(_s(row.get("source_path", "")), page, self.base)
        return f'<a href="{_e(href)}"><code>{where}</code></a>' if href else f"<code>{where}</code>"

    def attr(self, issuer_id: str) -> str:
        """The data-issuer attribute of a block or row."""
        return f'data-issuer="{_e(issuer_id)}"'

    # ------------------------------------------------------------ sections

    def summary(self) -> str:
        """Counts, each a link to the section behind it."""
        L = self.L
        n_copies = 0
        if "duplicate_of" in self.documents.columns:
            n_copies = int(self.documents["duplicate_of"].map(_s).str.strip().ne("").sum())
        st = self.status["status"].value_counts() if len(self.status) else pd.Series(dtype=int)
        cells = [
            _link("sec", "documents", self.items["doc_id"].nunique()), _e(n_copies), _e(len(self.items)),
            _e(int((self.items["category"] == "limitation").sum())), _link("sec", "heatmap", len(self.recurrence)),
            _link("sec", "tasks", len(self.status)),
        ] + [_link("sec", "tasks", int(st.get(s, 0))) for s in ("done", "repeated", "open", "overdue")]  # fmt: skip
        heads = [L["documents"], L["copies"], L["items"], L["limitations"], L["recurring"], L["tasks"],
                 *(L["status"][s] for s in ("done", "repeated", "open", "overdue"))]  # fmt: skip
        return _table(heads, [cells], numeric=tuple(range(len(cells))))

    def findings(self) -> str:
        """Longest-running limitations and overdue tasks, first."""
        L = self.L
        parts = [f"<h3>{_e(L['longest'])}</h3>"]
        if self.recurrence.empty:
            parts.append(f'<p class="muted">{_e(L["no_recurring"])}</p>')
        else:
            top = self.recurrence.sort_values(["n_periods", "max_streak", "n_docs"], ascending=False).head(
                TOP_FINDINGS
            )
            lis = []
            for r in top.to_dict("records"):
                who = self.cluster_issuer.get(r["cluster_id"], "")
                line = L["longest_line"].format(n=r["n_periods"], first=r["first_period"], last=r["last_period"],
                                                streak=r["max_streak"])  # fmt: skip
                lis.append(f"<li {self.attr(who)}><b>{_link('cluster', r['cluster_id'], _cut(r['representative'], 160))}"
                           f"</b> — {_e(self.names.get(who, who))}: {_e(line)}</li>")  # fmt: skip
            parts.append(f'<ul class="findings">{"".join(lis)}</ul>')
        parts.append(f"<h3>{_e(L['overdue_tasks'])}</h3>")
        overdue = self.status[self.status["status"] == "overdue"] if len(self.status) else self.status
        if overdue.empty:
            parts.append(f'<p class="muted">{_e(L["no_overdue"])}</p>')
        else:
            lis = [
                f"<li {self.attr(r['issuer_id'])}>{self.item_ref(r['task_item_id'])} — {_e(L['h_deadline'])} "
                f"{_e(r['deadline'])} ({_e(self.names.get(r['issuer_id'], r['issuer_id']))})</li>"
                for r in overdue.to_dict("records")
            ]  # fmt: skip
            parts.append(f'<ul class="findings">{"".join(lis)}</ul>')
        return "".join(parts)

    def heatmaps(self) -> str:
        """One heat map per issuer: recurring groups x the complete period axis, gaps hatched."""
        L = self.L
        if self.recurrence.empty:
            return f'<p class="muted">{_e(L["no_recurring"])}</p>'
        members = self.clusters.merge(self.items[["item_id", "period", "issuer_id"]], on="item_id")
        counts = members.groupby(["cluster_id", "period"]).size()
        top = int(counts.max()) if len(counts) else 1
        blocks = []
        rec = self.recurrence.assign(_who=self.recurrence["cluster_id"].map(self.cluster_issuer))
        for who, group in rec.groupby("_who", sort=True):
            reported = set(self.items.loc[self.items["issuer_id"] == who, "period"]) - {""}
            axis = period_axis(reported | set(members.loc[members["issuer_id"] == who, "period"]))
            head = "".join(
                f'<th class="p{"" if p in reported else " gap"}" title="{_e(p)}">{_e(p)}</th>' for p in axis
            )
            rows = []
            for r in group.head(TOP_CLUSTERS).to_dict("records"):
                cid = r["cluster_id"]
                topic = self.topics.get(topic_of(_s(r["representative"])), "")
                label = _link("cluster", cid, f"{cid} · {_cut(r['representative'], LABEL_CHARS)}")
                cells = []
                for p in axis:
                    n = int(counts.get((cid, p), 0))
                    cls = "c" if p in reported else "c gap"
                    style = f' style="background:{HEAT_COLORS[min(n, len(HEAT_COLORS) - 1)]}"' if n else ""
                    body = _link("cluster", cid, n) if n else ("" if p in reported else "–")
                    title = f"{cid} · {p}: {n}" if p in reported else f"{p}: {L['no_document']}"
                    cells.append(f'<td class="{cls}"{style} title="{_e(title)}">{body}</td>')
                rows.append(f"<tr><td>{label}{f'<br><span class=muted>{_e(topic)}</span>' if topic else ''}</td>"
                            f"{''.join(cells)}</tr>")  # fmt: skip
            blocks.append(
                f"<div {self.attr(who)}><h3>{_e(self.names.get(who, who))} <code>{_e(who)}</code></h3>"
                f'<div class="wrap"><table class="heat"><thead><tr><th>{_e(L["h_representative"])}</th>{head}</tr>'
                f"</thead><tbody>{''.join(rows)}</tbody></table></div></div>"
            )
        legend = "".join(
            f'<span style="background:{HEAT_COLORS[min(k, len(HEAT_COLORS) - 1)]}">{k}</span>'
            for k in range(top + 1)
        )
        return (f'<p class="muted">{_e(L["heat_note"])}</p><p class="legend">{_e(L["scale"])}: {legend}</p>'
                + "".join(blocks))  # fmt: skip

    def tasks(self) -> str:
        """Every task with its status, deadline and evidence."""
        L = self.L
        if self.status.empty:
            return f'<p class="muted">{_e(L["no_tasks"])}</p>'
        rows, attrs = [], []
        for r in self.status.to_dict("records"):
            ev = _s(r.get("evidence_item_id", ""))
            badge = f'<span class="st st-{_e(r["status"])}">{_e(L["status"].get(r["status"], r["status"]))}</span>'
            rows.append([
                _e(self.names.get(r["issuer_id"], r["issuer_id"])), _e(r["period"]), self.item_ref(r["task_item_id"]),
                _e(r["deadline"]), badge, self.item_ref(ev) if ev else "",
            ])  # fmt: skip
            attrs.append(self.attr(r["issuer_id"]))
        return _table([L["h_issuer"], L["h_period"], L["h_task"], L["h_deadline"], L["h_status"], L["h_evidence"]],
                      rows, row_attrs=attrs)  # fmt: skip

    def cluster_sections(self) -> str:
        """One anchored block per recurring group listing its items with source and page."""
        L = self.L
        if self.recurrence.empty:
            return f'<p class="muted">{_e(L["no_recurring"])}</p>'
        members = self.clusters.merge(self.items, on="item_id")
        blocks = []
        for r in self.recurrence.to_dict("records"):
            mates = members[members["cluster_id"] == r["cluster_id"]].sort_values(["period", "item_id"])
            who = self.cluster_issuer.get(r["cluster_id"], "")
            rows = [
                [_e(m["period"]), _e(m["doc_number"]), self.item_ref(m["item_id"], text=False), _e(m["text"]),
                 _e(m.get("similarity", ""))]
                for m in mates.to_dict("records")
            ]  # fmt: skip
            blocks.append(
                f'<section {self.attr(who)} id="{_anchor("cluster", r["cluster_id"])}">'
                f"<h3>{_e(r['cluster_id'])} · {_e(self.names.get(who, who))} · "
                + _e(
                    L["longest_line"].format(
                        n=r["n_periods"],
                        first=r["first_period"],
                        last=r["last_period"],
                        streak=r["max_streak"],
                    )
                )  # fmt: skip
                + "</h3>"
                + _table(
                    [L["h_period"], L["h_number"], L["h_source"], L["h_text"], L["h_similarity"]],
                    rows,
                    numeric=(4,),
                )  # fmt: skip
                + "</section>"
            )
        return "".join(blocks) or f'<p class="muted">{_e(L["no_recurring"])}</p>'

    def referenced_items(self) -> str:
        """Every item a count or a status refers to, anchored (`#item-<item_id>`)."""
        L = self.L
        rows, attrs = [], []
        for i in self.referenced:
            row = self.by_id.loc[i]
            rows.append([
                f'<span id="{_anchor("item", i)}"><code>{_e(i)}</code></span>', _e(L["category"].get(row["category"],
                row["category"])), _e(row["period"]), self.source(row), _e(row["text"]),
            ])  # fmt: skip
            attrs.append(self.attr(row["issuer_id"]))
        return _table(
            [L["h_item"], L["h_category"], L["h_period"], L["h_source"], L["h_text"]], rows, row_attrs=attrs
        )

    def document_table(self) -> str:
        """One anchored row per document: source, issuer, period, item counts per category."""
        L = self.L
        if self.items.empty:
            return ""
        cats = [c for c in CATEGORY_ORDER if c in set(self.items["category"])]
        counts = self.items.groupby(["doc_id", "category"]).size()
        copies: dict[str, list[str]] = {}
        if {"duplicate_of", "source_path"} <= set(self.documents.columns):
            for src, kept in zip(
                self.documents["source_path"], self.documents["duplicate_of"].map(_s), strict=True
            ):
                if kept:
                    copies.setdefault(kept, []).append(Path(_s(src)).name)
        rows, attrs = [], []
        for d in self.items.drop_duplicates("doc_id").sort_values(["issuer_id", "period"]).to_dict("records"):
            doc = d["doc_id"]
            rows.append(
                [f'<span id="{_anchor("doc", doc)}">{self.source({**d, "page": ""})}</span>'
                 + (f"<br><span class=muted>{_e(L['copies'])}: {_e(', '.join(copies[doc]))}</span>"
                    if doc in copies else ""),
                 _e(self.names.get(d["issuer_id"], d["issuer_id"])), _e(d["doc_number"]), _e(d["period"]),
                 _e(d["issue_date"])]
                + [_e(int(counts.get((doc, c), 0))) for c in cats]
            )  # fmt: skip
            attrs.append(self.attr(d["issuer_id"]))
        heads = [L["h_source"], L["h_issuer"], L["h_number"], L["h_period"], L["h_issued"],
                 *(L["category"].get(c, c) for c in cats)]  # fmt: skip
        return _table(heads, rows, numeric=tuple(range(5, 5 + len(cats))), row_attrs=attrs)

    def filter_select(self) -> str:
        """The issuer selector (all, or one issuer)."""
        opts = "".join(
            f'<option value="{_e(k)}">{_e(_cut(v, 70))} — {_e(k)}</option>'
            for k, v in sorted(self.names.items())
        )
        return (f'<p><label for="issuer-filter">{_e(self.L["issuer_filter"])}: </label><select id="issuer-filter">'
                f'<option value="">{_e(self.L["all_issuers"])}</option>{opts}</select></p>')  # fmt: skip


def write_report(
    tables: Mapping[str, pd.DataFrame], out: str | Path, *, lang: str = "vi", issuer: str | None = None
) -> Path:
    """Write one self-contained `report.html` (opens offline) from the analysis tables.

    Args:
        tables: `analyze` output: "items" (prepared, with `period`, `source_path`, `page`,
            `issuer_id`), "item_clusters", "recurrence", "task_status", optionally "documents"
            (to list copies); without some the report still renders, with fewer sections.
        out: the HTML file to write, or a folder (then `<out>/report.html`).
        lang: "vi" (Vietnamese labels, default) or "en".
        issuer: an issuer_id to report on alone; None for all (a selector shows one at a time).

    Returns:
        The path written.

    Examples:
        >>> write_report(analyze_items(items), "out/", lang="en")  # doctest: +SKIP
        PosixPath('out/report.html')
    """
    path = Path(out)
    if path.suffix.lower() not in (".html", ".htm"):
        path = path / "report.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    r = _Report(tables, path.parent.resolve(), lang, issuer)
    L = r.L
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")  # noqa: UP017 (py3.10)
    findings, heat, tasks, clusters = r.findings(), r.heatmaps(), r.tasks(), r.cluster_sections()
    body = (
        f'<h1>{_e(L["title"])}</h1><p class="muted">{_e(L["generated"])} {_e(stamp)}. {_e(L["intro"])}</p>'
        f'{r.filter_select()}<h2 id="sec-summary">{_e(L["summary"])}</h2>{r.summary()}'
        f'<h2 id="sec-findings">{_e(L["findings"])}</h2>{findings}'
        f'<h2 id="sec-heatmap">{_e(L["heatmap"])}</h2>{heat}'
        f'<h2 id="sec-tasks">{_e(L["task_status"])}</h2>{tasks}'
        f'<h2 id="sec-clusters">{_e(L["clusters"])}</h2>{clusters}'
        f'<h2 id="sec-items">{_e(L["referenced"])}</h2>{r.referenced_items()}'
        f'<h2 id="sec-documents">{_e(L["doc_table"])}</h2>{r.document_table()}'
    )
    page = (
        f'<!DOCTYPE html>\n<html lang="{_e(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(L['title'])}</title><style>{CSS}</style></head><body>{body}{FILTER_SCRIPT}</body></html>\n"
    )
    path.write_text(page, encoding="utf-8")
    return path
