"""Train and evaluate ketluan's item classifier (the `make train` tool; not a pytest file).

Builds DocBins from data/training (gold items of the dev corpus, written examples, distant
supervision from headed documents), cross-validates by document (rules / model / rules + model),
trains the final model with spaCy's config system and writes models/item_textcat/{model,scores.json}.

    .venv/bin/python tools/train_textcat.py            # CV + final model, CPU, fixed seed
    .venv/bin/python tools/train_textcat.py --refresh-gold   # re-copy gold items from ../shared
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import io
import json
import random
import re
import shutil
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import spacy
from sklearn.metrics import accuracy_score, f1_score
from spacy.cli.train import train as spacy_train
from spacy.tokens import DocBin

from ketluan import registrations  # noqa: F401  (the `--code` of `spacy train`)
from ketluan.nlp import TEXTCAT_LABELS, blank_nlp

REPO = Path(__file__).resolve().parents[1]
TRAINING_DIR = REPO / "data" / "training"
LEXICON_DIR = REPO / "data" / "lexicon"
MODEL_HOME = REPO / "models" / "item_textcat"
CONFIG = MODEL_HOME / "config.cfg"
CORPUS_DEV = REPO.parent / "shared" / "corpus" / "dev"
GOLD_FILE = TRAINING_DIR / "gold_items.jsonl"
SEED = 42
FOLDS = 5
LABELS = list(TEXTCAT_LABELS)

# "I. KẾT QUẢ", "1.", "1.1.", "a)", "A.", "PHẦN I", "1-" (party style)
NUMBERED = re.compile(r"^(?:PHẦN\s+[IVX\d]+[.:]?|[IVX]+\.|[A-ZĐ]\.|\d+(?:\.\d+)*\.?|[a-zđ]\)|\d+-)\s*(.*)$")
BULLET = re.compile(r"^(?:[-+•*]|\d+(?:\.\d+)*[.)]|[a-zđ]\)|[A-ZĐ]\.|\d+-)\s+")  # "- ", "+ ", "1. ", "a) "
MARKDOWN = re.compile(r"\*+|_{2,}")  # "**I. Thực hiện nhiệm vụ tháng 5/2020**"
LABEL_LINE = re.compile(r"^(result|limitation|cause|task|other)\t(.+)$")  # "task\tGiao Sở …"
DOC_LINE = re.compile(r"^## doc:\s*(\S+)")  # "## doc: w01_so_tc_giao_ban_thang_2019"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def collapse(text: str) -> str:
    return " ".join(nfc(text).split())


# --------------------------------------------------------------------------- cue lexicons


def load_json(name: str) -> dict[str, Any]:
    return json.loads((LEXICON_DIR / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


HEADING_CUES = {k: v for k, v in load_json("heading_cues.json").items() if not k.startswith("_")}
LEAD = load_json("lead_cues.json")
STRONG = {cat: [re.compile(p, re.I) for p in pats] for cat, pats in LEAD["strong"].items()}
CLOSING = [re.compile(p, re.I) for p in LEAD["closing"]]
WEAK_ORDER = ["other", "cause", "limitation", "task", "result"]
WEAK = {cat: [re.compile(p, re.I) for p in LEAD["weak"][cat]] for cat in WEAK_ORDER}
CUE_LIST = sorted(
    ((c.casefold(), cat) for cat, cues in HEADING_CUES.items() for c in cues), key=lambda x: -len(x[0])
)


def heading_categories(text: str) -> set[str]:
    """Categories a heading or lead-in names; the longest cue consumes its words."""
    low = " " + collapse(text).casefold() + " "
    body = NUMBERED.match(collapse(MARKDOWN.sub("", text)))
    if (body.group(1) if body else collapse(text)).casefold().startswith("nguyên nhân"):
        return {"cause"}  # "Nguyên nhân của tồn tại, hạn chế": a cause heading, not a mixed one
    found: set[str] = set()
    for cue, cat in CUE_LIST:
        pattern = re.compile(r"(?<!\w)" + re.escape(cue) + r"(?!\w)")
        if pattern.search(low):
            found.add(cat)
            low = pattern.sub(" # ", low)
    return found


def is_heading(line: str) -> bool:
    """A numbered/uppercase short line without final period, or a short lead-in ending in ':'."""
    text = MARKDOWN.sub("", line).strip()
    if not text or len(text.split()) > 20:
        return False
    if text.endswith(":") and len(text.split()) <= 15:
        return True
    if text.endswith((".", ";", ",")) and not text.isupper():
        return False
    letters = [c for c in text if c.isalpha()]
    if len(letters) > 3 and sum(c.isupper() for c in letters) / len(letters) > 0.8:
        return True
    m = NUMBERED.match(text)
    return bool(m and m.group(1))


# --------------------------------------------------------------------------- data


def read_written() -> list[dict[str, Any]]:
    """Items of data/training/written_*.txt (pseudo-documents of annotated sentences)."""
    out = []
    for path in sorted(TRAINING_DIR.glob("written_*.txt")):
        doc = path.stem
        for line in path.read_text(encoding="utf-8").splitlines():
            if m := DOC_LINE.match(line):
                doc = m.group(1)
            elif m := LABEL_LINE.match(line):
                out.append({"doc": doc, "text": nfc(m.group(2).strip()), "label": m.group(1),
                            "source": "written", "heading": "", "mixed": False})  # fmt: skip
    return out


def lines_with_headings(text: str) -> tuple[list[str], list[set[str] | None]]:
    """Collapsed lines, and for each the categories it names when it is a heading (None if not)."""
    lines = [collapse(MARKDOWN.sub("", ln)) for ln in nfc(text).splitlines()]
    return lines, [heading_categories(ln) if is_heading(ln) else None for ln in lines]


def heading_above(heads: list[set[str] | None], index: int) -> set[str]:
    """Categories of the nearest heading above line `index` that names any (ANNOTATION.md rule 6)."""
    for j in range(index - 1, -1, -1):
        cats = heads[j]
        if cats:
            return cats
    return set()


def read_distant() -> list[dict[str, Any]]:
    """Distant supervision: items under a heading naming one category, heading words removed."""
    out = []
    for path in sorted((TRAINING_DIR / "distant").glob("*.txt")):
        lines, heads = lines_with_headings(path.read_text(encoding="utf-8"))
        for i, line in enumerate(lines):
            if not line or heads[i] is not None:
                continue
            cats = heading_above(heads, i)
            if len(cats) != 1:
                continue
            body = BULLET.sub("", line)
            lead, sep, rest = body.partition(":")
            if sep and heading_categories(lead) and ";" in rest:
                # ANNOTATION.md rule 3: "còn một số hạn chế: A; B; C" -> A, B, C without the lead-in
                parts = rest.split(";")
            else:
                parts = [body]
            for part in parts:
                part = part.strip()
                if len(part.split()) >= 3:
                    out.append({"doc": "distant_" + path.stem, "text": part, "label": next(iter(cats)),
                                "source": "distant", "heading": next(iter(cats)), "mixed": False})  # fmt: skip
    return out


def refresh_gold() -> None:
    """Copy the dev corpus gold items to data/training/gold_items.jsonl with their heading."""
    rows = []
    for gold_path in sorted((CORPUS_DEV / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        text = (CORPUS_DEV / "text" / f"{gold_path.stem}.txt").read_text(encoding="utf-8")
        lines, heads = lines_with_headings(text)
        starts, pos = [], 0
        for ln in lines:
            starts.append(pos)
            pos += len(ln) + 1
        joined = " ".join(lines)
        for item in gold["items"]:
            item_text = collapse(item["text"])
            at = joined.find(item_text)
            if at < 0:
                at = joined.find(item_text[:40])
            cats: set[str] = set()
            if at >= 0:
                li = bisect.bisect_right(starts, at) - 1
                prefix = joined[starts[li] : at]
                if ":" in prefix and heading_categories(prefix.rsplit(":", 1)[0]):
                    cats = heading_categories(prefix.rsplit(":", 1)[0])  # same-line lead-in
                else:
                    cats = heading_above(heads, li)
            rows.append({"doc": gold_path.stem, "text": item_text, "label": item["category"], "source": "gold",
                         "heading": next(iter(cats)) if len(cats) == 1 else "", "mixed": len(cats) > 1,
                         "heading_cats": sorted(cats)})  # fmt: skip
    with GOLD_FILE.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def read_gold() -> list[dict[str, Any]]:
    return [json.loads(ln) for ln in GOLD_FILE.read_text(encoding="utf-8").splitlines() if ln.strip()]


# --------------------------------------------------------------------------- rules


def lead_rule(text: str) -> str:
    """Category a lead word states (closing formula, "Nguyên nhân", "Giao", "Đề nghị" …), or ""."""
    t = collapse(text)
    if any(p.search(t) for p in CLOSING):
        return "other"
    for cat, pats in STRONG.items():
        if any(p.search(t) for p in pats):
            return cat
    return ""


def weak_rule(text: str) -> str:
    t = collapse(text)
    for cat in WEAK_ORDER:
        if any(p.search(t) for p in WEAK[cat]):
            return cat
    return "other"


def rules_only(ex: dict[str, Any]) -> str:
    return lead_rule(ex["text"]) or ex["heading"] or weak_rule(ex["text"])


def rules_and_model(ex: dict[str, Any], probs: dict[str, float]) -> str:
    """Lead word, else the explicit heading, else the model; under a heading naming two
    categories ("Tồn tại và nhiệm vụ"), the model chooses between those two (ANNOTATION.md rule 6)."""
    allowed = ex.get("heading_cats") if ex.get("mixed") else None
    model_label = max(allowed or probs, key=lambda c: probs[c])
    return lead_rule(ex["text"]) or ex["heading"] or model_label


# --------------------------------------------------------------------------- training


def to_docbin(examples: list[dict[str, Any]], docs: dict[str, Any], path: Path) -> None:
    db = DocBin(store_user_data=False)
    for ex in examples:
        doc = docs[ex["text"]].copy()
        doc.cats = {label: float(label == ex["label"]) for label in LABELS}
        db.add(doc)
    db.to_disk(path)


def train_model(train: list[dict[str, Any]], dev: list[dict[str, Any]], docs: dict[str, Any], out: Path,
                quiet: bool) -> Path:  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)
    to_docbin(train, docs, out / "train.spacy")
    to_docbin(dev, docs, out / "dev.spacy")
    overrides = {"paths.train": str(out / "train.spacy"), "paths.dev": str(out / "dev.spacy")}
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink) if quiet else contextlib.nullcontext():
        spacy_train(CONFIG, out / "output", overrides=overrides, use_gpu=-1)
    return out / "output" / "model-last"


def predict(model_path: Path, texts: list[str]) -> list[dict[str, float]]:
    nlp = spacy.load(model_path)
    return [dict(doc.cats) for doc in nlp.pipe(texts)]


def trim_model(path: Path) -> None:
    """Drop the temporary corpus paths from the saved config: the model needs no training data."""
    cfg = spacy.util.load_config(path / "config.cfg", interpolate=False)
    cfg["paths"]["train"] = None
    cfg["paths"]["dev"] = None
    cfg.to_disk(path / "config.cfg")


def metrics(gold: list[str], pred: list[str]) -> dict[str, float]:
    present = [label for label in LABELS if label in set(gold) | set(pred)]  # absent labels are not 0
    return {"n": len(gold), "accuracy": round(float(accuracy_score(gold, pred)), 4),
            "macro_f1": round(float(f1_score(gold, pred, labels=present, average="macro", zero_division=0)), 4)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--refresh-gold", action="store_true", help="re-copy gold items from ../shared/corpus/dev"
    )
    parser.add_argument("--folds", type=int, default=FOLDS)
    parser.add_argument("--no-cv", action="store_true", help="train the final model only")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    started = time.time()
    if args.refresh_gold or not GOLD_FILE.exists():
        refresh_gold()
    examples = read_gold() + read_written() + read_distant()
    nlp = blank_nlp()
    texts = list(dict.fromkeys(ex["text"] for ex in examples))
    docs = dict(zip(texts, nlp.pipe(texts), strict=True))
    by_source = Counter(ex["source"] for ex in examples)
    print(f"examples: {len(examples)} {dict(by_source)} labels: {dict(Counter(ex['label'] for ex in examples))}",
          file=sys.stderr)  # fmt: skip

    scores: dict[str, Any] = {
        "config": "models/item_textcat/config.cfg", "seed": SEED, "folds": args.folds,
        "examples": len(examples), "by_source": dict(by_source),
        "by_label": dict(Counter(ex["label"] for ex in examples)),
        "documents": len({ex["doc"] for ex in examples}),
    }  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="ketluan_textcat_") as tmp:
        if not args.no_cv:
            doc_ids = sorted({ex["doc"] for ex in examples})
            random.Random(SEED).shuffle(doc_ids)
            fold_of = {d: i % args.folds for i, d in enumerate(doc_ids)}
            model_pred: dict[int, dict[str, float]] = {}
            for fold in range(args.folds):
                train = [ex for ex in examples if fold_of[ex["doc"]] != fold]
                held = [i for i, ex in enumerate(examples) if fold_of[ex["doc"]] == fold]
                path = train_model(
                    train, [examples[i] for i in held], docs, Path(tmp) / f"fold{fold}", not args.verbose
                )
                for i, probs in zip(held, predict(path, [examples[i]["text"] for i in held]), strict=True):
                    model_pred[i] = probs
                print(f"fold {fold}: {len(held)} held-out items", file=sys.stderr)
            subsets = {
                "all": lambda ex: True,
                "no_explicit_heading": lambda ex: not ex["heading"],
                "dev_corpus": lambda ex: ex["source"] == "gold",
                "dev_corpus_no_explicit_heading": lambda ex: ex["source"] == "gold" and not ex["heading"],
                "dev_corpus_mixed_sections": lambda ex: ex["source"] == "gold" and ex["mixed"],
                "written": lambda ex: ex["source"] == "written",
            }
            cv: dict[str, Any] = {}
            for name, keep in subsets.items():
                idx = [i for i, ex in enumerate(examples) if keep(ex)]
                gold = [examples[i]["label"] for i in idx]
                cv[name] = {
                    "rules": metrics(gold, [rules_only(examples[i]) for i in idx]),
                    "model": metrics(gold, [max(model_pred[i], key=lambda c: model_pred[i][c]) for i in idx]),
                    "rules_model": metrics(gold, [rules_and_model(examples[i], model_pred[i]) for i in idx]),
                }
            scores["cross_validation"] = cv
            scores["cross_validation_note"] = (
                "group k-fold over source documents (never by sentence); rules = lead word, else the explicit "
                "heading, else weak cue words; rules_model = lead word, else explicit heading, else the model"
            )
        t0 = time.time()
        final = train_model(examples, [ex for ex in examples if ex["source"] == "gold"], docs, Path(tmp) / "final",
                            not args.verbose)  # fmt: skip
        scores["final_train_seconds"] = round(time.time() - t0, 1)
        target = MODEL_HOME / "model"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(final, target)
        trim_model(target)
        meta_path = target / "meta.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        meta.update(
            name="item_textcat", version="0.1.0", description="ketluan item classifier (vi, underthesea)"
        )
        meta.pop("performance", None)  # training-set scores would mislead: see scores.json
        meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
    scores["model_bytes"] = size
    scores["total_seconds"] = round(time.time() - started, 1)
    (MODEL_HOME / "scores.json").write_text(
        json.dumps(scores, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print(json.dumps(scores.get("cross_validation", {}), indent=1), file=sys.stderr)
    print(f"model: {target} ({size / 1e6:.1f} MB), total {scores['total_seconds']} s", file=sys.stderr)


if __name__ == "__main__":
    main()
