"""Train the analysis word vectors (models/word_vectors) from the Vietnamese text kept locally.

Sources: the dev and real corpus texts (../shared/corpus), data/series, the tune series of
data/series_eval (never a `report` series), data/real_style/tune, data/samples, data/training,
and the word-segmented VLSP 2013 sentences underthesea ships with its POS model. Sentences are
tokenised as `similarity.tokenize` does, then `embeddings.train` (PPMI + truncated SVD).

    .venv/bin/python -m tools.train_vectors                  # write models/word_vectors
    .venv/bin/python -m tools.train_vectors --no-series-eval --out /tmp/wv   # leave-out check
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "corpus"
SENTENCE = re.compile(r"(?<=[.;!?])\s+|\n")  # "... còn chậm. Tỷ lệ ..." -> two sentences


def _texts(series_eval: bool) -> dict[str, list[str]]:
    """Raw texts by source name."""
    out: dict[str, list[str]] = {}

    def add(name: str, paths: list[Path]) -> None:
        out[name] = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(paths)]

    add("corpus/dev/text", list((SHARED / "dev" / "text").glob("*.txt")))
    add("corpus/real/text", list((SHARED / "real" / "text").glob("*.txt")))
    add("data/real_style/tune", list((REPO / "data" / "real_style" / "tune" / "text").glob("*.txt")))
    add("data/samples", list((REPO / "data" / "samples").glob("*.txt")))
    add("data/training", list((REPO / "data" / "training").rglob("*.txt")))
    series = []
    for p in sorted((REPO / "data" / "series").glob("*.json")):
        data = json.loads(p.read_text(encoding="utf-8"))
        series.append("\n".join(it["text"] for d in data["documents"] for it in d["items"]))
    out["data/series"] = series
    if series_eval:
        manifest = json.loads((REPO / "data" / "series_eval" / "MANIFEST.json").read_text(encoding="utf-8"))
        listed = {s["name"]: s["split"] for s in manifest["series"]}
        paths = []
        for folder in sorted((REPO / "data" / "series_eval").iterdir()):
            gold = folder.with_suffix(".json")
            # a series not (yet) in the manifest: the split its own gold names; none -> left out
            split = listed.get(folder.name) or (
                json.loads(gold.read_text(encoding="utf-8")).get("split", "") if gold.exists() else ""
            )
            if folder.is_dir() and split == "tune":
                paths += list((folder / "text").glob("*.txt"))
        add("data/series_eval (tune only)", paths)
    vlsp = _vlsp_sentences()
    if vlsp:
        out["underthesea VLSP 2013 POS test output"] = vlsp
    return out


def _vlsp_sentences() -> list[str]:
    """Sentences of the word-segmented VLSP 2013 sample underthesea ships (words joined again)."""
    import underthesea

    path = next(Path(underthesea.__file__).parent.glob("pipeline/pos_tag/models/*/test_output.txt"), None)
    if path is None:
        return []
    sentences, words = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if words:
                sentences.append(" ".join(words))
            words = []
        else:
            words.append(line.split("\t", 1)[0])
    return sentences


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help="folder (default models/word_vectors)")
    parser.add_argument("--no-series-eval", action="store_true", help="leave data/series_eval out")
    parser.add_argument("--dim", type=int, default=None)
    args = parser.parse_args(argv)

    from ketluan.embeddings import MODEL_DIR, TrainConfig, save_vectors, train
    from ketluan.similarity import tokenize_all

    config = TrainConfig() if args.dim is None else TrainConfig(dim=args.dim)
    texts = _texts(not args.no_series_eval)
    sentences = [s.strip() for docs in texts.values() for t in docs for s in SENTENCE.split(t) if s.strip()]
    tokens = tokenize_all(sentences)
    wv = train((tokens[s] for s in sentences), config)
    sources = {name: len(docs) for name, docs in texts.items()}
    sources["sentences"] = len(sentences)
    sources["tokens"] = sum(len(tokens[s]) for s in sentences)
    save_vectors(wv, args.out or MODEL_DIR, config, sources)
    print(f"{len(wv.vocab)} words x {wv.dim} from {len(sentences)} sentences -> {args.out or MODEL_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
