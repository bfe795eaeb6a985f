"""Evaluation: score a run's tables (documents.csv, items.csv) against gold annotations.

Reads an output folder and a folder of gold/<stem>.json (ANNOTATION.md format) and returns the
figures of shared/tools/score.py, computed the same way: field accuracy, item P/R/F1, text
coverage. It never changes either folder and prints nothing; `format_report` makes the text.
"""

from __future__ import annotations

import collections
import csv
import itertools
import json
import re
import unicodedata
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

CATS = ("result", "limitation", "cause", "task")
FIELDS = (
    "doc_number", "doc_type", "issue_date", "place", "issuer", "issuer_parent", "title",
    "period_kind", "period_start", "period_end", "period_label", "meeting_date",
    "meeting_location", "chair", "signer_title", "signer_name", "recipients", "is_conclusion",
)  # fmt: skip
SUFFIXES = (
    ".scan.pdf", ".photo.jpg", ".photo.png", ".pdf", ".docx", ".doc", ".txt", ".png", ".jpg",
    ".jpeg", ".tif", ".tiff", ".lo.pdf",
)  # fmt: skip
DATE_FIELDS = {"issue_date", "period_start", "period_end", "meeting_date"}
TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook, dot below
ITEM_MATCH = 80  # rapidfuzz ratio on normalised text for one-to-one item matching
FIELD_MATCH = 90  # rapidfuzz ratio on normalised text for a text field to count as right
RECIPIENTS_OVERLAP = 0.8  # share of recipients both sides must have in common
TRUTHY = ("true", "1", "yes")

WORD = re.compile(r"\w+")  # "Hoà" in "Thanh Hoà"
NOT_WORD = re.compile(r"[^\w\s/]")  # "-" and "," in "kinh tế - xã hội, quốc phòng"
SPACES = re.compile(r"\s+")


@dataclass
class ScoreDetail:
    """Counts behind the report's ratios, and what verbose output lists."""

    field_hits: dict[str, int] = field(default_factory=dict)
    field_n: dict[str, int] = field(default_factory=dict)
    mismatches: list[tuple[str, str, Any, Any]] = field(default_factory=list)  # stem, field, gold, pred
    per_doc: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # stem: matched, gold, pred


class ScoreReport(dict[str, Any]):
    """The report dict of tools/score.py (its JSON is the same); counts ride along as `.detail`."""

    detail: ScoreDetail


def tone_last(word: str) -> str:
    """Write the tone mark as a digit after the syllable, so tone placements compare equal.

    Examples:
        >>> tone_last("hoà") == tone_last("hòa")
        True
        >>> tone_last("thuý")
        'thuy2'
    """
    d = unicodedata.normalize("NFD", word)
    tones = "".join(str(TONES.index(c) + 1) for c in d if c in TONES)
    return unicodedata.normalize("NFC", "".join(c for c in d if c not in TONES)) + tones


def normalize(s: str | None) -> str:
    """Normalise text for comparison: NFC, tone last, casefold, punctuation to spaces.

    Examples:
        >>> normalize("Kinh tế - Xã hội,  Thanh Hoá") == normalize("kinh tế xã hội thanh hóa")
        True
    """
    s = WORD.sub(lambda m: tone_last(m.group()), unicodedata.normalize("NFC", s or ""))
    s = unicodedata.normalize("NFC", s).casefold()
    s = NOT_WORD.sub(" ", s)
    return SPACES.sub(" ", s).strip()


def stem_of(path: str) -> str:
    """The corpus stem of a source path: folders and known suffixes stripped.

    Examples:
        >>> stem_of("out/pdf/d01_vp_ubnd_tinh_giao_ban_thang.scan.pdf")
        'd01_vp_ubnd_tinh_giao_ban_thang'
        >>> stem_of("C:\\\\lưu trữ\\\\ket-luan-thang-5.docx")
        'ket-luan-thang-5'
    """
    name = Path(path.replace("\\", "/")).name
    for suf in sorted(SUFFIXES, key=len, reverse=True):
        if name.lower().endswith(suf):
            return name[: -len(suf)]
    return name.rsplit(".", 1)[0]


def read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV written with or without a BOM."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def field_ok(name: str, gold: Any, pred: Any) -> bool:
    """Whether a predicted field value counts as right against the gold one.

    Dates compare on their first 10 characters, recipients as sets (80 % overlap), other text
    fuzzily (ratio ≥ 90 after `normalize`); an empty gold value wants an empty prediction.

    Examples:
        >>> field_ok("issuer", "ỦY BAN NHÂN DÂN HUYỆN NGHĨA HƯNG", "Ủy ban nhân dân huyện Nghĩa Hưng")
        True
        >>> field_ok("issue_date", "2024-07-17", "2024-07-17T00:00:00")
        True
        >>> field_ok("is_conclusion", True, "false")
        False
    """
    if name == "is_conclusion":
        return (str(gold).strip().lower() in TRUTHY) == (str(pred).strip().lower() in TRUTHY)
    g, p = (gold or "").strip(), (pred or "").strip()
    if name in DATE_FIELDS:
        return bool(g[:10] == p[:10])
    if not g:
        return not p
    if name == "recipients":
        gs = {normalize(x) for x in g.split(";") if normalize(x)}
        ps = {normalize(x) for x in p.split(";") if normalize(x)}
        return len(gs & ps) >= RECIPIENTS_OVERLAP * max(len(gs), len(ps))
    return bool(fuzz.ratio(normalize(g), normalize(p)) >= FIELD_MATCH)


def match_items(gold_items: list[dict[str, Any]], pred_items: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Greedy one-to-one pairs (gold index, pred index), best similarity first, ratio ≥ 80.

    Examples:
        >>> match_items([{"text": "Thu tiền sử dụng đất đạt thấp"}],
        ...             [{"text": "- Thu tiền sử dụng đất đạt thấp;"}, {"text": "Khác hẳn"}])
        [(0, 0)]
    """
    pairs = []
    for i, g in enumerate(gold_items):
        for j, p in enumerate(pred_items):
            s = fuzz.ratio(normalize(g["text"]), normalize(p["text"]))
            if s >= ITEM_MATCH:
                pairs.append((s, i, j))
    pairs.sort(reverse=True)
    gi: set[int] = set()
    pj: set[int] = set()
    out = []
    for _, i, j in pairs:
        if i in gi or j in pj:
            continue
        gi.add(i)
        pj.add(j)
        out.append((i, j))
    return out


def tokens(text: str) -> collections.Counter[str]:
    """Normalised word counts of a text (for granularity-free coverage)."""
    return collections.Counter(normalize(text).split())


def _f1(p: float, r: float) -> float:
    """Harmonic mean, 0 when both are 0."""
    return 2 * p * r / (p + r) if p + r else 0.0


def score(pred_dir: Path, gold_dir: Path) -> ScoreReport:
    """Score the tables of a run against gold annotations, exactly as tools/score.py does.

    A predicted document is paired with gold/<stem>.json by its `source_path` with folders and
    suffixes (.pdf, .scan.pdf, .docx …) stripped; gold documents without a row count as missing
    (their fields wrong, their items unmatched).

    Args:
        pred_dir: output folder holding documents.csv and items.csv (either may be absent).
        gold_dir: folder of <stem>.json gold files.

    Returns:
        The report: docs_gold, docs_missing, fields {field: accuracy}, items {category: p, r,
        f1, gold, pred}, text {category: p, r, f1}, items_f1, text_f1, fields_acc, filled_acc;
        the counts behind them are in `.detail`.

    Examples:
        >>> report = score(Path("out/pdf"), Path("../shared/corpus/dev/gold"))  # doctest: +SKIP
        >>> round(report["items_f1"], 3)  # doctest: +SKIP
        0.912
    """
    pred_dir, gold_dir = Path(pred_dir), Path(gold_dir)
    golds = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(gold_dir.glob("*.json"))}
    docs = read_csv(pred_dir / "documents.csv") if (pred_dir / "documents.csv").exists() else []
    items = read_csv(pred_dir / "items.csv") if (pred_dir / "items.csv").exists() else []
    by_doc: dict[str, list[dict[str, str]]] = collections.defaultdict(list)
    for it in items:
        by_doc[it.get("doc_id", "")].append(it)
    doc_of = {}
    for row in docs:
        st = stem_of(row.get("source_path", ""))
        if st in golds:
            doc_of[st] = row  # a later row of the same stem wins, as in score.py
    field_hits: collections.Counter[str] = collections.Counter()
    field_n: collections.Counter[str] = collections.Counter()
    filled_hits = filled_n = 0  # only fields whose gold value is not empty
    tp: collections.Counter[str] = collections.Counter()
    npred: collections.Counter[str] = collections.Counter()
    ngold: collections.Counter[str] = collections.Counter()
    cov_hit: collections.Counter[str] = collections.Counter()
    cov_gold: collections.Counter[str] = collections.Counter()
    cov_pred: collections.Counter[str] = collections.Counter()
    missing: list[str] = []
    detail = ScoreDetail()
    for st, gold in golds.items():
        d = doc_of.get(st)
        gitems = [g for g in gold["items"] if g["category"] in CATS]
        for g in gitems:
            ngold[g["category"]] += 1
        if d is None:
            missing.append(st)
            for f in FIELDS:
                if f in gold["fields"]:
                    field_n[f] += 1
            for c in CATS:
                cov_gold[c] += sum(sum(tokens(g["text"]).values()) for g in gitems if g["category"] == c)
            continue
        for f in FIELDS:
            if f in gold["fields"]:
                field_n[f] += 1
                ok = field_ok(f, gold["fields"][f], d.get(f, ""))
                field_hits[f] += ok
                if str(gold["fields"][f] or "").strip():
                    filled_n += 1
                    filled_hits += ok
                if not ok:
                    detail.mismatches.append((st, f, gold["fields"][f], d.get(f, "")))
        pitems = [p for p in by_doc.get(d.get("doc_id", ""), []) if p.get("category") in CATS]
        for p in pitems:
            npred[p["category"]] += 1
        doc_tp = 0
        for i, j in match_items(gitems, pitems):
            if gitems[i]["category"] == pitems[j]["category"]:
                tp[gitems[i]["category"]] += 1
                doc_tp += 1
        detail.per_doc[st] = (doc_tp, len(gitems), len(pitems))
        for c in CATS:
            gt: collections.Counter[str] = collections.Counter()
            for g in gitems:
                if g["category"] == c:
                    gt += tokens(g["text"])
            pt: collections.Counter[str] = collections.Counter()
            for p in pitems:
                if p["category"] == c:
                    pt += tokens(p["text"])
            inter = sum((gt & pt).values())
            cov_hit[c] += inter
            cov_gold[c] += sum(gt.values())
            cov_pred[c] += sum(pt.values())

    report = ScoreReport(docs_gold=len(golds), docs_missing=missing, fields={}, items={}, text={})
    for f in FIELDS:
        if field_n[f]:
            report["fields"][f] = field_hits[f] / field_n[f]
    fields_acc = sum(field_hits.values()) / max(1, sum(field_n.values()))
    filled_acc = filled_hits / max(1, filled_n)
    for c in CATS:
        P = tp[c] / npred[c] if npred[c] else 0.0
        R = tp[c] / ngold[c] if ngold[c] else 0.0
        report["items"][c] = {"p": P, "r": R, "f1": _f1(P, R), "gold": ngold[c], "pred": npred[c]}
        tP = cov_hit[c] / cov_pred[c] if cov_pred[c] else 0.0
        tR = cov_hit[c] / cov_gold[c] if cov_gold[c] else 0.0
        report["text"][c] = {"p": tP, "r": tR, "f1": _f1(tP, tR)}
    P = sum(tp.values()) / max(1, sum(npred.values()))
    R = sum(tp.values()) / max(1, sum(ngold.values()))
    tP = sum(cov_hit.values()) / max(1, sum(cov_pred.values()))
    tR = sum(cov_hit.values()) / max(1, sum(cov_gold.values()))
    report.update(items_f1=_f1(P, R), text_f1=_f1(tP, tR), fields_acc=fields_acc, filled_acc=filled_acc)
    detail.field_hits = {f: field_hits[f] for f in FIELDS if field_n[f]}
    detail.field_n = {f: field_n[f] for f in FIELDS if field_n[f]}
    report.detail = detail
    return report


def summary_line(report: dict[str, Any]) -> str:
    """The last line of the report, as tools/score.py prints it.

    Examples:
        >>> summary_line({"items_f1": 0.5, "text_f1": 0.75, "fields_acc": 1.0, "filled_acc": 0.9})
        'items_f1=0.500 text_f1=0.750 fields=1.000 filled=0.900'
    """
    return (
        f"items_f1={report['items_f1']:.3f} text_f1={report['text_f1']:.3f} "
        f"fields={report['fields_acc']:.3f} filled={report['filled_acc']:.3f}"
    )


def format_report(report: dict[str, Any], verbose: bool = False) -> str:
    """The text tools/score.py prints for `report`, line for line.

    With `verbose`, every wrong field comes first and matched counts per document come before
    the last line, as with `score.py --verbose`. A plain dict (e.g. the report read back from
    JSON) has no counts: field lines then show the accuracy only.

    Args:
        report: what `score` returned.
        verbose: add the wrong fields and per-document counts.

    Returns:
        The lines joined with newlines, ending with "items_f1=.. text_f1=.. fields=.. filled=..".

    Examples:
        >>> print(format_report(score(Path("out/pdf"), Path("gold"))).splitlines()[0])  # doctest: +SKIP
        documents: 13 gold, 13 found in output
    """
    detail: ScoreDetail | None = getattr(report, "detail", None)
    lines: list[str] = []
    if verbose and detail is not None:
        lines += [f"  {st} {f}: gold={g!r} pred={p!r}" for st, f, g, p in detail.mismatches]
    n_gold, missing = report["docs_gold"], report["docs_missing"]
    lines.append(f"documents: {n_gold} gold, {n_gold - len(missing)} found in output")
    lines.append("field accuracy:")
    for f, acc in report["fields"].items():
        counts = f"  ({detail.field_hits[f]}/{detail.field_n[f]})" if detail is not None else ""
        lines.append(f"  {f:16s} {acc:.3f}{counts}")
    lines.append("items (P R F1, n_gold):")
    for c in CATS:
        it, tx = report["items"][c], report["text"][c]
        lines.append(
            f"  {c:11s} items P={it['p']:.3f} R={it['r']:.3f} F1={it['f1']:.3f} (gold {it['gold']}, pred {it['pred']})"
            f" | text P={tx['p']:.3f} R={tx['r']:.3f} F1={tx['f1']:.3f}"
        )
    if verbose and detail is not None:
        for st, (t, g, p) in sorted(detail.per_doc.items()):
            lines.append(f"  {st}: matched {t} of gold {g}, pred {p}")
    lines.append(summary_line(report))
    return "\n".join(lines)


# ---------------------------------------------------------------- recurrence clusters


def pairwise_scores(
    pred: Mapping[Hashable, Hashable],
    gold: Iterable[Iterable[Hashable]],
    *,
    group: Mapping[Hashable, Hashable] | None = None,
) -> tuple[float, float]:
    """Pairwise precision and recall of a clustering against gold clusters.

    A pair of items is positive when both are in one cluster. Only items in `pred` are
    scored; gold items missing from `pred` are ignored, and items of `pred` absent from every
    gold cluster are gold singletons. With `group` (item -> issuer), pairs that cross groups
    are ignored (corpus/README.md: evaluate recurrence within an issuer).

    Args:
        pred: item key -> predicted cluster id.
        gold: gold clusters, each an iterable of item keys.
        group: item key -> group (optional).

    Returns:
        (precision, recall); 1.0 when there is no predicted (resp. gold) pair.

    Examples:
        >>> pairwise_scores({"a": 1, "b": 1, "c": 1}, [["a", "b"]])
        (0.3333333333333333, 1.0)
    """
    gold_of: dict[Hashable, int] = {}
    for n, cluster in enumerate(gold):
        for key in cluster:
            gold_of[key] = n
    keys = list(pred)

    def same_group(a: Hashable, b: Hashable) -> bool:
        return group is None or group.get(a) == group.get(b)

    def pairs(label: Mapping[Hashable, Hashable]) -> set[tuple[int, int]]:
        by: dict[Hashable, list[int]] = {}
        for k, key in enumerate(keys):
            if key in label:
                by.setdefault(label[key], []).append(k)
        return {
            (a, b)
            for m in by.values()
            for a, b in itertools.combinations(m, 2)
            if same_group(keys[a], keys[b])
        }

    p, g = pairs(pred), pairs(gold_of)
    hit = len(p & g)
    return (hit / len(p) if p else 1.0, hit / len(g) if g else 1.0)


def load_gold_clusters(path: str | Path) -> list[list[tuple[str, str]]]:
    """Gold recurrence clusters: `[{"cluster": name, "items": [[stem, text], ...]}, ...]`.

    Returns:
        One list of (stem, NFC text) keys per cluster.

    Examples:
        >>> gold = load_gold_clusters("../shared/corpus/dev/recurrence_gold.json")  # doctest: +SKIP
        >>> len(gold)  # doctest: +SKIP
        2
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return [[(str(stem), unicodedata.normalize("NFC", str(text))) for stem, text in c["items"]] for c in data]
