"""OCR accuracy and speed benchmark on realistic scans of the corpus documents (not a pytest file).

Renders each corpus document to a text PDF, degrades it into a scan (tools/scans.py), OCRs it with
several engine/preparation variants and prints the character accuracy (1 - CER, NFC, whitespace
collapsed) per document, and seconds per page next to bare `tesseract` on the same page image.
With --correct the accuracy is measured after the pipeline's diacritic post-correction of OCR
lines (ketluan.ocr_correct), and the raw figure is kept as "accuracy_raw".

    .venv/bin/python -m tools.bench_ocr --variants prepared_psm4,raw_psm4 --out /tmp/ocr_bench.json
    .venv/bin/python -m tools.bench_ocr --variants prepared_psm4 --correct
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import tempfile
import time
import unicodedata
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium
from rapidfuzz.distance import Levenshtein

from ketluan.config import Settings  # noqa: E402
from ketluan.extract import image as prep  # noqa: E402
from ketluan.extract.ocr import OcrOptions, ocr_page, ocr_pdf_pages  # noqa: E402
from ketluan.ocr_correct import correct_line  # noqa: E402
from tools import scans  # noqa: E402

STEMS = sorted(p.stem for p in scans.TEXT_DIR.glob("*.txt"))
VARIANTS: dict[str, OcrOptions] = {
    "prepared_psm4": OcrOptions(psm=4),
    "prepared_psm3": OcrOptions(psm=3),
    "raw_psm4": OcrOptions(psm=4, preparation=prep.RAW, orientation=True),
    "raw_psm3": OcrOptions(psm=3, preparation=prep.RAW, orientation=True),
    "no_ink_removal": OcrOptions(
        psm=4, preparation=replace(prep.DEFAULT_PREPARATION, remove_color_ink=False)
    ),
    "no_background": OcrOptions(
        psm=4, preparation=replace(prep.DEFAULT_PREPARATION, normalize_background=False)
    ),
    "no_deskew": OcrOptions(psm=4, preparation=replace(prep.DEFAULT_PREPARATION, deskew=False)),
    "no_despeckle": OcrOptions(psm=4, preparation=replace(prep.DEFAULT_PREPARATION, despeckle=False)),
    "no_crop": OcrOptions(psm=4, preparation=replace(prep.DEFAULT_PREPARATION, crop_page=False)),
    "binarized": OcrOptions(psm=4, preparation=replace(prep.DEFAULT_PREPARATION, binarize=True)),
}
_SPACE = re.compile(r"\s+")


def scan_params(index: int) -> dict[str, object]:
    """Degradation of document `index`: 200-300 dpi, ±0.5-1.5°, noise, blur, JPEG; a few specials."""
    params: dict[str, object] = {
        "dpi": (200, 250, 300)[index % 3],
        "rotate": (0.5, 1.0, 1.5)[(index // 3) % 3] * (-1) ** index,
        "noise": 4.0 + 2 * (index % 4),
        "blur": (0.5, 0.8, 1.0)[index % 3],
        "jpeg_quality": (55, 65, 75)[index % 3],
        "background": 225 + 3 * (index % 4),
        "seed": index,
    }
    if index == 1:
        params["upside_down_pages"] = (2,)
    if index == 2:
        params["photo"] = True
    if index in (1, 3, 10):
        params["stamp"] = True
    return params


def build_fixtures(folder: Path) -> dict[str, Path]:
    """Render and scan every corpus document once (cached in `folder`)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for index, stem in enumerate(STEMS):
        scan = folder / f"{stem}.scan.pdf"
        if not scan.exists():
            pdf = scans.render_corpus_pdf(stem, folder / f"{stem}.pdf")
            scans.make_scan(pdf, scan, **scan_params(index))  # type: ignore[arg-type]
        out[stem] = scan
    return out


def normalize(text: str) -> str:
    """NFC, whitespace collapsed to single spaces."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def char_accuracy(ocr: str, reference: str) -> float:
    """1 - character error rate of `ocr` against `reference`."""
    a, b = normalize(ocr), normalize(reference)
    return 1 - Levenshtein.distance(a, b) / max(len(b), 1)


def page_count(pdf: Path) -> int:
    doc = pdfium.PdfDocument(str(pdf))
    try:
        return len(doc)
    finally:
        doc.close()


def run_variant(
    name: str, fixtures: dict[str, Path], settings: Settings, correct: bool = False
) -> dict[str, dict[str, float]]:
    """OCR every fixture with one variant: accuracy, confidence and seconds per document.

    With `correct`, "accuracy" is that of the post-corrected lines and "accuracy_raw" that of
    the OCR output as it came.
    """
    options = VARIANTS[name]
    rows = {}
    for stem, scan in fixtures.items():
        n = page_count(scan)
        t = time.perf_counter()
        pages = ocr_pdf_pages(scan.read_bytes(), list(range(1, n + 1)), settings, options)
        secs = time.perf_counter() - t
        text = "\n".join(line.text for p in pages for line in p.lines)
        confs = [p.ocr_confidence for p in pages if p.ocr_confidence >= 0]
        reference = scans.corpus_source_text(stem)
        if correct:
            corrected = "\n".join(correct_line(line.text) for p in pages for line in p.lines)
            rows[stem] = {"accuracy_raw": round(char_accuracy(text, reference), 4)}
            text = corrected
        rows[stem] = rows.get(stem, {}) | {
            "pages": n,
            "accuracy": round(char_accuracy(text, reference), 4),
            "confidence": round(float(np.mean(confs)), 1) if confs else -1.0,
            "seconds": round(secs, 2),
        }
    return rows


def timing(fixtures: dict[str, Path], settings: Settings, pages: int = 6) -> dict[str, float]:
    """Seconds per page, one at a time: our `ocr_page` vs bare `tesseract` CLI on the same image."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    ours, bare, bare_png, render = [], [], [], []
    done = 0
    with tempfile.TemporaryDirectory() as tmp:
        for scan in fixtures.values():
            doc = pdfium.PdfDocument(str(scan))
            for k in range(len(doc)):
                if done >= pages:
                    break
                t = time.perf_counter()
                rgb = np.array(
                    doc[k].render(scale=settings.ocr_dpi / 72, rev_byteorder=True).to_numpy()[..., :3]
                )
                render.append(time.perf_counter() - t)
                gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
                pgm, png = Path(tmp) / "page.pgm", Path(tmp) / "page.png"
                cv2.imwrite(str(pgm), gray)
                t = time.perf_counter()
                cv2.imwrite(str(png), gray)
                png_write = time.perf_counter() - t
                for target, out in ((pgm, bare), (png, bare_png)):
                    t = time.perf_counter()
                    subprocess.run(["tesseract", str(target), str(Path(tmp) / "out"), "-l", settings.ocr_lang,
                                    "--psm", "4", "--dpi", str(settings.ocr_dpi), "tsv"],
                                   env=env, check=True, capture_output=True)  # fmt: skip
                    out.append(time.perf_counter() - t + (png_write if target == png else 0))
                t = time.perf_counter()
                ocr_page(rgb, k + 1, settings.ocr_dpi, settings)
                ours.append(time.perf_counter() - t)
                done += 1
            doc.close()
    return {
        "pages": done,
        "render_s": round(float(np.mean(render)), 3),
        "ours_s_per_page": round(float(np.mean(ours)), 3),
        "bare_tesseract_pgm_s_per_page": round(float(np.mean(bare)), 3),
        "bare_tesseract_png_s_per_page": round(float(np.mean(bare_png)), 3),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fixtures", type=Path, default=Path(tempfile.gettempdir()) / "ketluan_scans")
    ap.add_argument("--variants", default="prepared_psm4,raw_psm4,prepared_psm3")
    ap.add_argument("--docs", default="", help="comma-separated stems (default: all 13)")
    ap.add_argument("--timing", action="store_true", help="also time ours vs bare tesseract")
    ap.add_argument(
        "--correct", action="store_true", help="score the text after the diacritic post-correction"
    )
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    settings = Settings.resolve(None)  # defaults with the KETLUAN_* environment, as a run reads them
    fixtures = build_fixtures(args.fixtures)
    if args.docs:
        fixtures = {k: v for k, v in fixtures.items() if k in args.docs.split(",")}
    results: dict[str, object] = {}
    for name in args.variants.split(","):
        t = time.perf_counter()
        rows = run_variant(name, fixtures, settings, args.correct)
        pages = sum(r["pages"] for r in rows.values())
        wall = time.perf_counter() - t
        results[name] = {"docs": rows, "mean_accuracy": round(float(np.mean([r["accuracy"] for r in rows.values()])), 4),
                         "wall_s_per_page": round(wall / pages, 3)}  # fmt: skip
        print(
            f"{name:16} mean accuracy {results[name]['mean_accuracy']:.4f}  {wall / pages:.2f} s/page (parallel)"
        )  # type: ignore[index]
        if args.correct:
            raw = round(float(np.mean([r["accuracy_raw"] for r in rows.values()])), 4)
            results[name]["mean_accuracy_raw"] = raw  # type: ignore[index]
            print(f"{'':16} before correction {raw:.4f}")
    print()
    names = args.variants.split(",")
    print(f"{'document':48} {'pg':>3} " + " ".join(f"{n[:15]:>15}" for n in names))
    for stem in fixtures:
        r0 = results[names[0]]["docs"][stem]  # type: ignore[index]
        cells = " ".join(f"{results[n]['docs'][stem]['accuracy']:>15.4f}" for n in names)  # type: ignore[index]
        print(f"{stem:48} {r0['pages']:>3} {cells}")
    if args.timing:
        results["timing"] = timing(fixtures, settings)
        print("\ntiming", results["timing"])
    if args.out:
        args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
