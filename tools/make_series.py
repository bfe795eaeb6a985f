"""Test series for analysis (issue 18): compile hand-written annotated sources into text and gold.

Reads data/series_eval/<series>/source.txt (documents written by hand, each item line tagged
`[[L tag]]`, `[[T tag id=.. due=.. st=..]]`, ...), writes the plain .txt of every document, the
series gold JSON, the recurrence gold and the task-status gold; `--out DIR` also renders every
document as .txt/.pdf (and .scan.pdf where the manifest asks); `geo` builds data/geo/ from the
vietnam-provinces wheels. It never edits the sources or anything under pipeline/ or tests/.

Usage:
    .venv/bin/python -m tools.make_series                 # regenerate data/series_eval gold + text
    .venv/bin/python -m tools.make_series --check         # fail if committed files are stale
    .venv/bin/python -m tools.make_series --out /tmp/s    # also render .txt/.pdf/.scan.pdf
    .venv/bin/python -m tools.make_series --manifest /tmp/m.json  # series listed in another manifest
    .venv/bin/python -m tools.make_series geo --old vietnam_provinces-0.6.0-py3-none-any.whl \
        --new vietnam_provinces-2025.10.1-py3-none-any.whl
"""

from __future__ import annotations

import argparse
import calendar
import json
import re
import sys
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
EVAL_DIR = REPO / "data" / "series_eval"
GEO_DIR = REPO / "data" / "geo"
MANIFEST = EVAL_DIR / "MANIFEST.json"

DOC_HEAD = re.compile(r"^===\s+(\S+)\s+(\{.*\})\s*$")  # "=== bp_stnmt_2023_01 {"period": "2023-01", ...}"
ITEM_TAG = re.compile(
    r"^\[\[([RLCTO])((?:\s+[^\]]+)?)\]\]\s?(.*)$"
)  # "[[T bp-hoso id=bp01-t1 st=repeated]] 1. …"
MARK = re.compile(r"^(?:[-+•]\s+|[a-zđ]\)\s+|\d+(?:\.\d+)*[.)]\s+)")  # "- ", "+ ", "a) ", "1. ", "1.2. "
NUMBER_LINE = re.compile(r"^Số\s*:?\s*(\S.*)$")  # "Số: 18/TB-STNMT"
PLACE_DATE = re.compile(r"^(.+?),\s*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})$")
# "Bình Phước, ngày 06 tháng 02 năm 2023"
CATEGORY = {"R": "result", "L": "limitation", "C": "cause", "T": "task", "O": "other"}
STATUSES = ("done", "repeated", "open", "overdue")


@dataclass
class Item:
    """One gold item of a document, with its annotation."""

    category: str
    text: str
    topic: str = ""
    tag: str = ""
    id: str = ""
    due: str = ""
    status: str = ""
    done: str = ""
    index: int = 0


@dataclass
class Doc:
    """One document of a series: its plain text, its fields and its items."""

    stem: str
    meta: dict[str, Any]
    lines: list[str] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------- parsing the sources


def _options(raw: str) -> dict[str, str]:
    """`" bp-hoso id=bp01-t1 st=repeated tp +"` -> {"tag": "bp-hoso", "id": "bp01-t1", ...}."""
    out: dict[str, str] = {}
    for tok in raw.split():
        if "=" in tok:
            key, value = tok.split("=", 1)
            out[key] = value
        elif tok in ("tp", "+"):
            out[tok] = "1"
        else:
            out["tag"] = tok
    return out


def _month_span(period: str) -> tuple[str, str]:
    """ "2023-02" -> ("2023-02-01", "2023-02-28")."""
    year, month = (int(x) for x in period.split("-"))
    return f"{period}-01", f"{period}-{calendar.monthrange(year, month)[1]:02d}"


def parse_series(path: Path) -> list[Doc]:
    """Read an annotated source: `=== stem {json}` heads, then the document's lines."""
    docs: list[Doc] = []
    for raw in unicodedata.normalize("NFC", path.read_text(encoding="utf-8")).splitlines():
        line = raw.rstrip()
        head = DOC_HEAD.match(line)
        if head:
            docs.append(Doc(head.group(1), json.loads(head.group(2))))
            continue
        if not docs or line.startswith("#"):
            continue
        doc = docs[-1]
        tag = ITEM_TAG.match(line)
        if not tag:
            doc.lines.append(line)
            continue
        kind, opts, printed = tag.group(1), _options(tag.group(2)), tag.group(3)
        text = MARK.sub("", printed, count=1)
        topic = ""
        if "tp" in opts:
            topic, text = (s.strip() for s in text.split(": ", 1))
        if "+" in opts:  # a clause of a list run inside the previous line ("còn hạn chế: A; B; C.")
            prev = doc.lines[-1]
            doc.lines[-1] = (
                prev + ("" if prev.endswith(": ") else " " if prev.endswith(":") else "; ") + printed
            )
            text = text.rstrip(";")
        else:
            doc.lines.append(printed)
        doc.items.append(Item(CATEGORY[kind], text, topic, opts.get("tag", ""), opts.get("id", ""),
                              opts.get("due", ""), opts.get("st", ""), opts.get("done", "")))  # fmt: skip
    for doc in docs:
        while doc.lines and not doc.lines[-1]:
            doc.lines.pop()
        for k, it in enumerate(doc.items, start=1):
            it.index = k
        doc.fields = _fields(doc)
    return docs


def _fields(doc: Doc) -> dict[str, Any]:
    """Document fields: number and place/date read from the text, the rest from the head JSON."""
    number = next((m.group(1).replace(" ", "") for s in doc.lines if (m := NUMBER_LINE.match(s))), "")
    pd = next((m for s in doc.lines if (m := PLACE_DATE.match(s))), None)
    if pd is None:
        raise ValueError(f"{doc.stem}: no place-date line")
    start, end = _month_span(doc.meta["period"])
    k = doc.lines.index("THÔNG BÁO")
    title = doc.lines[k + 1]
    r = doc.lines.index("Nơi nhận:")
    recipients, j = [], r + 1
    while j < len(doc.lines) and doc.lines[j].startswith("- "):
        recipients.append(doc.lines[j][2:].rstrip(";.").strip())
        j += 1
    signer = [s for s in doc.lines[j:] if s]
    fields = {
        "issuer": doc.meta["issuer"], "issuer_parent": doc.meta.get("issuer_parent", ""),
        "issuer_id": doc.meta["issuer_id"], "doc_number": number, "doc_type": "Thông báo",
        "place": pd.group(1), "issue_date": date(int(pd.group(4)), int(pd.group(3)), int(pd.group(2))).isoformat(),
        "period_kind": "month", "period_start": start, "period_end": end,
        "period_label": doc.meta["period_label"], "meeting_date": doc.meta.get("meeting_date", ""),
        "meeting_location": doc.meta.get("meeting_location", ""), "chair": doc.meta.get("chair", ""),
        "signer_title": " / ".join(signer[:-1]), "signer_name": signer[-1], "recipients": "; ".join(recipients),
        "title": title, "is_conclusion": True,
    }  # fmt: skip
    return fields


# ---------------------------------------------------------------- gold


def _item_ref(doc: Doc, it: Item) -> dict[str, Any]:
    return {"doc": doc.stem, "index": it.index, "item_id": f"{doc.stem}-{it.index:03d}",
            "category": it.category, "topic": it.topic, "text": it.text}  # fmt: skip


def expected_status(docs: list[Doc], d: int, task: Item) -> tuple[str, dict[str, Any] | None]:
    """The status the rule gives a task of docs[d] (documents in period order, one issuer).

    The first later document that speaks of the task decides: a result reporting it done ->
    done; a limitation naming its problem again (same tag) -> repeated. With nothing said:
    overdue when its deadline is before the issuer's latest issue date, else open.
    """
    latest = max(doc.fields["issue_date"] for doc in docs)
    for doc in docs[d + 1 :]:
        done = [it for it in doc.items if it.category == "result" and task.id and it.done == task.id]
        again = [it for it in doc.items if it.category == "limitation" and task.tag and it.tag == task.tag]
        if done and again:
            raise ValueError(f"{doc.stem}: task {task.id} both done and repeated in one document")
        if done:
            return "done", _item_ref(doc, done[0])
        if again:
            return "repeated", _item_ref(doc, again[0])
    if task.due and task.due < latest:
        return "overdue", None
    return "open", None


def build_gold(name: str, meta: dict[str, Any], docs: list[Doc]) -> dict[str, Any]:
    """Series gold (data/series format plus fields, ids and task status), checked against the rule."""
    docs = sorted(docs, key=lambda x: x.fields["period_start"])
    ids = [it.id for doc in docs for it in doc.items if it.id]
    if len(ids) != len(set(ids)):
        raise ValueError(f"{name}: duplicate item ids")
    tasks_by_id = {it.id for doc in docs for it in doc.items if it.category == "task" and it.id}
    for doc in docs:
        for it in doc.items:
            if it.done and it.done not in tasks_by_id:
                raise ValueError(f"{doc.stem}: result reports unknown task {it.done}")
    status_rows: list[dict[str, Any]] = []
    out_docs: list[dict[str, Any]] = []
    for d, doc in enumerate(docs):
        items = []
        for it in doc.items:
            row: dict[str, Any] = {"category": it.category, "text": it.text}
            if it.topic:
                row["topic"] = it.topic
            if it.tag:
                row["cluster"] = it.tag
            if it.id:
                row["id"] = it.id
            if it.done:
                row["reports_done"] = it.done
            if it.category == "task":
                status, evidence = expected_status(docs, d, it)
                if it.status != status:
                    raise ValueError(
                        f"{doc.stem} #{it.index}: written status {it.status!r}, rule gives {status!r}"
                    )
                row.update(deadline=it.due, status=status, evidence=evidence)
                status_rows.append({
                    "task": _item_ref(doc, it), "issuer_id": doc.fields["issuer_id"],
                    "period": doc.meta["period"], "deadline": it.due, "status": status, "evidence": evidence,
                })  # fmt: skip
            items.append(row)
        out_docs.append({
            "doc_id": doc.stem, "source_path": f"{name}/{doc.stem}.pdf", **doc.fields,
            "files": [{"file": f"{doc.stem}.{ext}", "input_kind": kind, "duplicate_of": dup(doc.stem)}
                      for ext, kind, dup in _copies(meta)],
            "items": items,
        })  # fmt: skip
    clusters: dict[str, list[tuple[Doc, Item]]] = {}
    for doc in docs:
        for it in doc.items:
            if it.category == "limitation":
                if not it.tag:
                    raise ValueError(f"{doc.stem} #{it.index}: limitation without a tag")
                clusters.setdefault(it.tag, []).append((doc, it))
    recurrence = [
        {"cluster": tag, "items": [[doc.stem, it.text] for doc, it in members]}
        for tag, members in clusters.items()
        if len({doc.stem for doc, _ in members}) >= 2
    ]
    return {
        "description": meta["description"],
        "series": name,
        "split": meta["split"],
        "issuer": docs[0].fields["issuer"] if meta.get("issuer") is None else meta["issuer"],
        "issuer_id": meta["issuer_id"],
        "documents": out_docs,
        "_recurrence": recurrence,
        "_task_status": status_rows,
    }


def _copies(meta: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """(extension, input_kind, duplicate_of-of-stem) for every rendering the manifest asks for."""
    rows: list[tuple[str, str, Any]] = [("pdf", "text_pdf", lambda stem: "")]
    if "scan" in meta.get("renders", []):
        rows.append(("scan.pdf", "scanned_pdf", lambda stem: f"{stem}.pdf"))
    return rows


def write_series(meta: dict[str, Any], *, check: bool = False) -> list[str]:
    """Compile one series; returns the files that differ from what is committed (check mode)."""
    name = meta["name"]
    folder = EVAL_DIR / name
    docs = parse_series(folder / "source.txt")
    gold = build_gold(name, meta, docs)
    recurrence = gold.pop("_recurrence")
    status = gold.pop("_task_status")
    outputs: dict[Path, str] = {
        EVAL_DIR / f"{name}.json": json.dumps(gold, ensure_ascii=False, indent=1) + "\n",
        folder / "recurrence_gold.json": json.dumps(recurrence, ensure_ascii=False, indent=1) + "\n",
        folder / "task_status_gold.json": json.dumps(status, ensure_ascii=False, indent=1) + "\n",
    }
    for doc in docs:
        outputs[folder / "text" / f"{doc.stem}.txt"] = "\n".join(doc.lines) + "\n"
        corpus_gold = {  # the corpus format (ANNOTATION.md), for `ketluan eval` / tools/score.py
            "source": doc.stem,
            "fields": {k: v for k, v in doc.fields.items() if k != "issuer_id"}
            | {"issuer_id": doc.fields["issuer_id"]},
            "items": [{"category": it.category, "topic": it.topic, "text": it.text} for it in doc.items],
        }
        outputs[folder / "gold" / f"{doc.stem}.json"] = (
            json.dumps(corpus_gold, ensure_ascii=False, indent=1) + "\n"
        )
    stale = []
    for path, text in outputs.items():
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(str(path.relative_to(REPO)))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return stale


def render_series(meta: dict[str, Any], out: Path, scans: str = "manifest") -> list[Path]:
    """Render every document of a series as .txt and .pdf, and .scan.pdf where asked."""
    from tools import render  # tools/render.py (and tools/scans.py through it)

    written = []
    texts = sorted((EVAL_DIR / meta["name"] / "text").glob("*.txt"))
    for k, path in enumerate(texts):
        doc = render.parse_source(path.read_text(encoding="utf-8"))
        target = out / meta["name"]
        written.append(render.render_txt(path, target / path.name))
        written.append(render.render_pdf(doc, target / f"{path.stem}.pdf", seed=meta.get("seed", 0) + k))
        if scans == "all" or (scans == "manifest" and "scan" in meta.get("renders", [])):
            written.append(render.scan_like_archive(doc, target / f"{path.stem}.scan.pdf", seed=k))
    return written


# ---------------------------------------------------------------- geo (data/geo from vietnam-provinces)

# Nghị quyết 202/2025/QH15 (in force 2025-07-01): each of the 34 units and the units it was formed from.
MERGER_2025 = {
    "Hà Nội": ["Hà Nội"], "Huế": ["Huế"], "Lai Châu": ["Lai Châu"], "Điện Biên": ["Điện Biên"],
    "Sơn La": ["Sơn La"], "Lạng Sơn": ["Lạng Sơn"], "Quảng Ninh": ["Quảng Ninh"], "Thanh Hóa": ["Thanh Hóa"],
    "Nghệ An": ["Nghệ An"], "Hà Tĩnh": ["Hà Tĩnh"], "Cao Bằng": ["Cao Bằng"],
    "Tuyên Quang": ["Tuyên Quang", "Hà Giang"], "Lào Cai": ["Lào Cai", "Yên Bái"],
    "Thái Nguyên": ["Thái Nguyên", "Bắc Kạn"], "Phú Thọ": ["Phú Thọ", "Vĩnh Phúc", "Hòa Bình"],
    "Bắc Ninh": ["Bắc Ninh", "Bắc Giang"], "Hưng Yên": ["Hưng Yên", "Thái Bình"],
    "Hải Phòng": ["Hải Phòng", "Hải Dương"], "Ninh Bình": ["Ninh Bình", "Hà Nam", "Nam Định"],
    "Quảng Trị": ["Quảng Trị", "Quảng Bình"], "Đà Nẵng": ["Đà Nẵng", "Quảng Nam"],
    "Quảng Ngãi": ["Quảng Ngãi", "Kon Tum"], "Gia Lai": ["Gia Lai", "Bình Định"],
    "Khánh Hòa": ["Khánh Hòa", "Ninh Thuận"], "Lâm Đồng": ["Lâm Đồng", "Đắk Nông", "Bình Thuận"],
    "Đắk Lắk": ["Đắk Lắk", "Phú Yên"], "Hồ Chí Minh": ["Hồ Chí Minh", "Bình Dương", "Bà Rịa - Vũng Tàu"],
    "Đồng Nai": ["Đồng Nai", "Bình Phước"], "Tây Ninh": ["Tây Ninh", "Long An"],
    "Cần Thơ": ["Cần Thơ", "Sóc Trăng", "Hậu Giang"], "Vĩnh Long": ["Vĩnh Long", "Bến Tre", "Trà Vinh"],
    "Đồng Tháp": ["Đồng Tháp", "Tiền Giang"], "Cà Mau": ["Cà Mau", "Bạc Liêu"],
    "An Giang": ["An Giang", "Kiên Giang"],
}  # fmt: skip
PROVINCE_ALIASES = {
    "Huế": ["Thừa Thiên Huế", "Thừa Thiên - Huế"],
    "Hồ Chí Minh": ["TP. Hồ Chí Minh", "TP.HCM"],
}
# Province-level units renamed before the 2025 merger, with the day the new name took effect: a
# document issued earlier names the old unit (Nghị quyết 1314/NQ-UBTVQH15: tỉnh Thừa Thiên Huế became
# the centrally-run thành phố Huế on 2025-01-01).
PROVINCE_EARLIER = {
    "Huế": [{"until": "2025-01-01", "full_name": "Tỉnh Thừa Thiên Huế", "key": "tinh-thua-thien-hue"}]
}
UNIT_PREFIXES = (("Thành phố", "thành phố"), ("Thị xã", "thị xã"), ("Quận", "quận"), ("Huyện", "huyện"),
                 ("Tỉnh", "tỉnh"))  # fmt: skip


def slug(text: str) -> str:
    """ASCII key of a Vietnamese name: "Tỉnh Bình Phước" -> "tinh-binh-phuoc", "Hoà"/"Hòa" alike."""
    folded = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    folded = "".join(c for c in folded if unicodedata.category(c) != "Mn").lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


def _split_unit(full: str, province_level: bool) -> tuple[str, str]:
    """ "Huyện Cam Lâm" -> ("huyện", "Cam Lâm"); "Thành phố Hà Nội" at province level -> TW city."""
    for prefix, kind in UNIT_PREFIXES:
        if full.lower().startswith(prefix.lower() + " "):
            if province_level and kind == "thành phố":
                kind = "thành phố trực thuộc trung ương"
            return kind, full[len(prefix) + 1 :]
    return ("tỉnh" if province_level else ""), full


def _wheel_json(wheel: Path) -> tuple[str, list[dict[str, Any]]]:
    with zipfile.ZipFile(wheel) as z:
        version = re.search(r"-(\d[^-]*)-py", wheel.name)
        data = json.loads(z.read("vietnam_provinces/data/nested-divisions.json"))
    return (version.group(1) if version else ""), data


def make_geo(old_wheel: Path, new_wheel: Path, out: Path = GEO_DIR) -> list[Path]:
    """Write data/geo/units.json and units.tsv from two vietnam-provinces wheels (offline)."""
    old_version, old = _wheel_json(old_wheel)
    new_version, new = _wheel_json(new_wheel)
    merged_into = {slug(src): dst for dst, srcs in MERGER_2025.items() for src in srcs}
    before = []
    for p in old:
        kind, name = _split_unit(p["name"], True)
        if name == "Huế":
            kind = "thành phố trực thuộc trung ương"
        districts = []
        for d in p["districts"]:
            dkind, dname = _split_unit(d["name"], False)
            full = (
                f"{dkind[:1].upper()}{dkind[1:]} {dname}" if dkind else d["name"]
            )  # "Thành Phố X" -> "Thành phố X"
            districts.append({"name": dname, "full_name": full, "unit_type": dkind, "code": d["code"],
                              "key": slug(d["name"])})  # fmt: skip
        before.append({
            "name": name, "full_name": p["name"], "unit_type": kind, "code": p["code"], "key": slug(p["name"]),
            "aliases": PROVINCE_ALIASES.get(name, []), "merged_into_2025": merged_into[slug(name)],
            **({"earlier": PROVINCE_EARLIER[name]} if name in PROVINCE_EARLIER else {}),
            "districts": districts,
        })  # fmt: skip
    after = []
    for p in new:
        kind = "thành phố trực thuộc trung ương" if "trung ương" in p["division_type"] else "tỉnh"
        _, name = _split_unit(p["name"], True)
        full = p["name"] if p["name"].startswith("Thành phố") else f"Tỉnh {name}"
        after.append({"name": name, "full_name": full, "unit_type": kind, "code": p["code"], "key": slug(full),
                      "aliases": PROVINCE_ALIASES.get(name, []), "formed_from": MERGER_2025[name],
                      "n_wards": len(p.get("wards", []))})  # fmt: skip
    if len(before) != 63 or len(after) != 34 or set(MERGER_2025) != {p["name"] for p in after}:
        raise ValueError("unexpected province lists in the wheels")
    data = {
        "source": {
            "package": "vietnam-provinces (PyPI; data of Tổng cục Thống kê / GSO)",
            "versions": {"before_2025_07": old_version, "from_2025_07": new_version},
            "merger": "Nghị quyết 202/2025/QH15 (63 -> 34 provinces, in force 2025-07-01), written by hand",
            "generated_by": "tools/make_series.py geo",
        },
        "unit_types": ["tỉnh", "thành phố trực thuộc trung ương", "thành phố", "thị xã", "quận", "huyện"],
        "before_2025_07": before,
        "from_2025_07": after,
    }
    out.mkdir(parents=True, exist_ok=True)
    js = out / "units.json"
    js.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    rows = ["era\tlevel\tunit_type\tname\tfull_name\tcode\tkey\tprovince\tprovince_2025"]
    for p in before:
        rows.append(f"before_2025_07\tprovince\t{p['unit_type']}\t{p['name']}\t{p['full_name']}\t{p['code']}"
                    f"\t{p['key']}\t\t{p['merged_into_2025']}")  # fmt: skip
        for d in p["districts"]:
            rows.append(f"before_2025_07\tdistrict\t{d['unit_type']}\t{d['name']}\t{d['full_name']}\t{d['code']}"
                        f"\t{d['key']}\t{p['name']}\t{p['merged_into_2025']}")  # fmt: skip
    for p in after:
        rows.append(f"from_2025_07\tprovince\t{p['unit_type']}\t{p['name']}\t{p['full_name']}\t{p['code']}"
                    f"\t{p['key']}\t\t{p['name']}")  # fmt: skip
    tsv = out / "units.tsv"
    tsv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return [js, tsv]


# ---------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", default="series", choices=["series", "geo"])
    parser.add_argument("--check", action="store_true", help="fail if committed text/gold are stale")
    parser.add_argument("--out", type=Path, help="also render every document into DIR/<series>/")
    parser.add_argument("--scans", choices=["manifest", "all", "none"], default="manifest")
    parser.add_argument("--only", nargs="*", help="series names (default: all in MANIFEST.json)")
    parser.add_argument("--manifest", type=Path, default=MANIFEST,
                        help="a manifest of the same format (series not yet in MANIFEST.json)")  # fmt: skip
    parser.add_argument("--old", type=Path, help="geo: vietnam-provinces 0.6.0 wheel (63 provinces)")
    parser.add_argument("--new", type=Path, help="geo: vietnam-provinces 2025.x wheel (34 provinces)")
    args = parser.parse_args(argv)
    if args.command == "geo":
        if not (args.old and args.new):
            parser.error("geo needs --old and --new wheels")
        for path in make_geo(args.old, args.new):
            print(path)
        return 0
    manifest = json.loads(args.manifest.read_text(encoding="utf-8"))
    chosen = [m for m in manifest["series"] if not args.only or m["name"] in args.only]
    stale: list[str] = []
    for meta in chosen:
        stale += write_series(meta, check=args.check)
        if args.out:
            for path in render_series(meta, args.out, args.scans):
                print(path)
    if stale:
        print("stale: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
