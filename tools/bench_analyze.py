"""Time `ketluan.analysis.analyze_items` on a large archive (issue 18 acceptance: 100,000 items < 60 s).

    .venv/bin/python -m tools.bench_analyze [--items 100000] [--issuers 200] [--per-issuer 728]

Builds the archive from the hand-written series of data/series_eval and data/series, read as one
endless stream of documents: every issuer (a district of data/geo, in another year) takes the next
documents of the stream up to `--per-issuer` items, and every item names its district, so no two
item texts are equal (nothing is served from a cache). The issuer size stays that of stop 14 (about
734 items: one copy of the 12 series there were then) however many series are added, so 100,000
items are 137 issuers as then (stop 15 added five series: one copy of all is 1,331 items, which
made 76 issuers). Prints wall and CPU seconds of `analyze_items` and the load average (on a shared
machine the wall time follows the load).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd

REPO = Path(__file__).resolve().parent.parent


def _templates() -> list[dict[str, Any]]:
    """Documents of the written series: (period offset, items) in series order."""
    docs = []
    for path in sorted((REPO / "data" / "series_eval").glob("*.json")) + sorted(
        (REPO / "data" / "series").glob("*.json")
    ):
        data = json.loads(path.read_text(encoding="utf-8"))
        if "documents" not in data:
            continue
        for k, d in enumerate(data["documents"]):
            docs.append({"month": k, "items": [(it["category"], it["text"]) for it in d["items"]]})
    return docs


# items of one issuer: stop 14's 12 series were 734 items a copy; whole documents overshoot by
# half a document, so 728 gives the 137 issuers of about 734 items (median 733) of then
PER_ISSUER = 728


def archive(n_items: int, n_issuers: int, per_issuer: int = PER_ISSUER) -> pd.DataFrame:
    """An item table of exactly n_items rows, issuers of about `per_issuer` items (at most n_issuers ids)."""
    geo = json.loads((REPO / "data" / "geo" / "units.json").read_text(encoding="utf-8"))["before_2025_07"]
    places = [(p["key"], d["full_name"]) for p in geo for d in p["districts"]]
    templates = _templates()
    rows: list[dict[str, Any]] = []
    copy, t_no = 0, 0
    while len(rows) < n_items:
        key, district = places[copy % len(places)]
        issuer = f"uy-ban-nhan-dan-{copy % n_issuers}/{key}"
        year = 2000 + (copy // n_issuers) % 25
        mine = 0
        while mine < per_issuer:
            t = templates[t_no % len(templates)]
            month = (t_no % 12) + 1
            doc = f"c{copy}-d{t_no}"
            for k, (cat, text) in enumerate(t["items"], start=1):
                rows.append({
                    "doc_id": doc, "item_id": f"{doc}-{k:03d}", "category": cat, "text": f"{text} ({district}, đợt {copy})",
                    "issuer": f"UBND {district.upper()}", "issuer_id": issuer, "page": 1 + k // 8, "deadline": "",
                    "issue_date": f"{year}-{month:02d}-20", "period_kind": "month",
                    "period_start": f"{year}-{month:02d}-01", "period_end": f"{year}-{month:02d}-28",
                })  # fmt: skip
                if len(rows) == n_items:
                    return pd.DataFrame(rows)
            mine += len(t["items"])
            t_no += 1
        copy += 1
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--issuers", type=int, default=200)
    parser.add_argument(
        "--per-issuer", type=int, default=PER_ISSUER, help="items of one issuer (whole documents)"
    )
    args = parser.parse_args(argv)
    from ketluan import analyze as analysis_module  # noqa: F401 (import time is not analysis time)
    from ketluan.analysis import analyze_items

    items = archive(args.items, args.issuers, args.per_issuer)
    start, cpu = time.perf_counter(), time.process_time()
    tables = analyze_items(items)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"analyze_items: {len(items):,} items, {items['doc_id'].nunique():,} documents, "
          f"{items['issuer_id'].nunique()} issuers: {seconds:.1f} s wall, {cpu:.1f} s CPU, load {load} "
          f"on {os.cpu_count()} cores ({len(tables['recurrence']):,} recurring groups, "
          f"{len(tables['task_status']):,} tasks)")  # fmt: skip
    print("acceptance (< 60 s):", "pass" if seconds < 60 else "FAIL")
    return 0 if seconds < 60 else 1


if __name__ == "__main__":
    sys.exit(main())
