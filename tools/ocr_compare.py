"""Tesseract in process (ketluan.extract.tess) against the `tesseract` CLI, and the Vietnamese models.

On the same page images, one process each with OMP_THREAD_LIMIT=1, measures seconds per page of:
- the bench's floor, `tesseract page.png - -l vie` on the greyscale page (tools/bench.py);
- the CLI with extract/ocr.py's settings (`--psm 4`, TSV) on the prepared, cropped page as a TIFF;
- the in-process engine on the same prepared page (model loaded once, timed apart);
- tesserocr (PyPI wheel, its own bundled libtesseract) on it too, when it is installed;
- extract/ocr.py's whole `ocr_page`, in process as it runs, and through the CLI fallback
  (KETLUAN_LIBTESSERACT=-);
and counts the words that differ between the CLI and each in-process reading. Then the character
accuracy (1 - CER after NFC) of `vie`, Debian's `script/Vietnamese` ("Vietnamese") and
`vie+Vietnamese` through `ocr_pdf_pages` on the real scans against their transcriptions. Prints
a table and writes JSON.

    .venv/bin/python tools/ocr_compare.py --pages 12 --out /tmp/ocr_compare.json
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from tools.paths import SHARED_OR_DEFAULT

REPO = Path(__file__).resolve().parents[1]

REAL = SHARED_OR_DEFAULT / "corpus" / "real"
TESSDATA = Path("/usr/share/tesseract-ocr/5/tessdata")
MODELS = ("vie", "Vietnamese", "vie+Vietnamese")
ONE_THREAD = {**os.environ, "OMP_THREAD_LIMIT": "1", "OPENBLAS_NUM_THREADS": "1"}
DPI = 300


# -- page images -------------------------------------------------------------------------------


def build_pages(work: Path, count: int) -> list[dict[str, Any]]:
    """Scan dev-corpus documents as tools/bench.py does and keep `count` pages in three forms.

    Per page: the greyscale PNG the bench's floor reads, the RGB array `ocr_page` receives, and
    the prepared, cropped greyscale page `_read_page` hands Tesseract (as .npy and as the TIFF
    extract/ocr.py writes).
    """
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    from ketluan.extract import image as prep
    from tools import scans

    work.mkdir(parents=True, exist_ok=True)
    pages: list[dict[str, Any]] = []
    stems = sorted(p.stem for p in scans.TEXT_DIR.glob("*.txt"))
    for k, stem in enumerate(stems):
        if len(pages) >= count:
            break
        scan = work / f"{k:02d}_scan.pdf"
        if not scan.exists():
            pdf = scans.render_corpus_pdf(stem, work / f"{k:02d}.pdf")
            scans.make_scan(pdf, scan, seed=k, stamp=k % 2 == 0, rotate=0.5 + 0.25 * (k % 3))
        document = pdfium.PdfDocument(str(scan))
        for i in range(len(document)):
            if len(pages) >= count:
                break
            name = work / f"{k:02d}_p{i + 1}"
            if not Path(f"{name}.prep.npy").exists():
                page = document[i]
                page.render(scale=DPI / 72, grayscale=True).to_pil().save(f"{name}.png", dpi=(DPI, DPI))
                bitmap = page.render(
                    scale=DPI / 72, rev_byteorder=True, force_bitmap_format=pdfium_c.FPDFBitmap_BGR
                )
                rgb = np.array(bitmap.to_numpy())
                np.save(f"{name}.rgb.npy", rgb)
                steps = prep.DEFAULT_PREPARATION  # the start of ocr.ocr_page at 300 dpi
                gray = prep.prepare_page(rgb, replace(steps, despeckle=False))
                if steps.despeckle:
                    gray = prep.despeckle(gray, DPI)
                top, bottom, left, right = prep.content_box(gray, DPI)
                crop = np.ascontiguousarray(gray[top:bottom, left:right])
                np.save(f"{name}.prep.npy", crop)
                params = [cv2.IMWRITE_TIFF_RESUNIT, 2, cv2.IMWRITE_TIFF_XDPI, DPI, cv2.IMWRITE_TIFF_YDPI, DPI,
                          cv2.IMWRITE_TIFF_COMPRESSION, 1]  # fmt: skip
                cv2.imwrite(f"{name}.prep.tif", crop, params)
            pages.append({"name": name.name, "stem": stem, "page": i + 1, "path": str(name)})
        document.close()
    return pages


# -- the CLI, from this process ------------------------------------------------------------------


def cpu_now() -> float:
    """CPU seconds (user + system) of this process and of its finished children (tesseract CLIs)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


class Clock:
    """Wall and CPU seconds of each timed step."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []
        self._t = self._c = 0.0

    def start(self) -> None:
        """Start one step."""
        self._t, self._c = time.perf_counter(), cpu_now()

    def stop(self) -> None:
        """End the step begun by `start`."""
        self.wall.append(time.perf_counter() - self._t)
        self.cpu.append(cpu_now() - self._c)


def time_cli(pages: list[dict[str, Any]]) -> dict[str, Clock]:
    """The bench's floor and the CLI with ocr.py's settings (TSV kept), page by page."""
    floor, ocrpy = Clock(), Clock()
    for p in pages:
        floor.start()
        subprocess.run(["tesseract", f"{p['path']}.png", "-", "-l", "vie"], env=ONE_THREAD, check=True,
                       capture_output=True)  # fmt: skip
        floor.stop()
        ocrpy.start()
        subprocess.run(["tesseract", f"{p['path']}.prep.tif", f"{p['path']}.cli", "-l", "vie", "-c",
                        "tessedit_create_tsv=1", "--psm", "4"], env=ONE_THREAD, check=True, capture_output=True)  # fmt: skip
        ocrpy.stop()
    return {"bench_floor": floor, "cli_psm4_prepared": ocrpy}


# -- children: one fresh process per engine ------------------------------------------------------


def child(kind: str, pages: list[dict[str, Any]]) -> dict[str, Any]:
    """Run one engine over the pages in this (fresh) process: load, then wall and CPU per page.

    Modules are imported before the load is timed: `load_s` is the engine and its model.
    """
    from ketluan.config import Settings
    from ketluan.extract import ocr, tess

    out: dict[str, Any] = {"kind": kind, "texts": []}
    clock = Clock()
    t = time.perf_counter()
    if kind in ("inprocess", "inprocess_bundled"):
        assert tess.available("vie") == "", tess.available("vie")
        out["load_s"] = time.perf_counter() - t
        out["version"] = "libtesseract " + tess.version()
        for p in pages:
            gray = np.load(f"{p['path']}.prep.npy")
            clock.start()
            tsv = tess.image_to_tsv(gray, DPI, "vie", 4)
            clock.stop()
            suffix = "inproc" if kind == "inprocess" else "bundled"
            Path(f"{p['path']}.{suffix}.tsv").write_text(tsv, encoding="utf-8")
    elif kind == "tesserocr":
        import tesserocr

        t = time.perf_counter()
        api = tesserocr.PyTessBaseAPI(path=str(TESSDATA) + "/", lang="vie", psm=tesserocr.PSM.SINGLE_COLUMN)
        out["load_s"] = time.perf_counter() - t
        out["version"] = tesserocr.tesseract_version().split("\n")[0]
        for p in pages:
            gray = np.load(f"{p['path']}.prep.npy")
            clock.start()
            api.SetImageBytes(gray.tobytes(), gray.shape[1], gray.shape[0], 1, gray.shape[1])
            api.SetSourceResolution(DPI)
            api.Recognize()
            tsv = tess.TSV_HEADER + "\n" + api.GetTSVText(0)
            api.Clear()
            clock.stop()
            Path(f"{p['path']}.tesserocr.tsv").write_text(tsv, encoding="utf-8")
        api.End()
    else:  # "page_cli" / "page_inprocess": extract/ocr.py's whole ocr_page (CLI: KETLUAN_LIBTESSERACT=-)
        settings = Settings()
        if kind == "page_inprocess":
            tess.available("vie")
        out["load_s"] = time.perf_counter() - t
        for k, p in enumerate(pages):
            rgb = np.load(f"{p['path']}.rgb.npy")
            clock.start()
            page = ocr.ocr_page(rgb, k + 1, DPI, settings)
            clock.stop()
            out["texts"].append([line.text for line in page.lines])
    out["seconds"], out["cpu_seconds"] = clock.wall, clock.cpu
    return out


def bundled_library() -> str:
    """The libtesseract inside the tesserocr wheel (built without OpenMP), or "" without it."""
    import importlib.util

    spec = importlib.util.find_spec("tesserocr")
    if spec is None or not spec.origin:
        return ""
    libs = sorted((Path(spec.origin).parent.parent / "tesserocr.libs").glob("libtesseract-*.so*"))
    return str(libs[0]) if libs else ""


def run_child(kind: str, work: Path) -> dict[str, Any] | None:
    """Run `child(kind)` in a fresh Python process with one OpenMP thread."""
    env = dict(ONE_THREAD)
    if kind == "page_cli":
        env["KETLUAN_LIBTESSERACT"] = "-"  # extract/ocr.py falls back to the `tesseract` CLI
    if kind == "inprocess_bundled":
        if not bundled_library():
            return None
        env["KETLUAN_LIBTESSERACT"] = bundled_library()
        env["TESSDATA_PREFIX"] = str(TESSDATA)  # its built-in path is "./"
    proc = subprocess.run([sys.executable, "-m", "tools.ocr_compare", "--child", kind, "--work", str(work)], env=env,
                          capture_output=True, text=True, cwd=REPO)  # fmt: skip
    if proc.returncode != 0:
        print(f"{kind}: failed\n{proc.stderr[-2000:]}", file=sys.stderr)
        return None
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


# -- comparing words ------------------------------------------------------------------------------


def words(tsv: str) -> list[tuple[str, ...]]:
    """The word rows (level 5) of a TSV: (text, left, top, width, height, conf)."""
    rows = [r.split("\t") for r in tsv.strip().split("\n")[1:]]
    return [(r[11], r[6], r[7], r[8], r[9], r[10]) for r in rows if len(r) >= 12 and r[0] == "5"]


def word_differences(a: list[tuple[str, ...]], b: list[tuple[str, ...]], fields: slice) -> int:
    """Words of `a` not matched in `b` plus those of `b` not in `a` (multisets of `fields`)."""
    ca, cb = Counter(w[fields] for w in a), Counter(w[fields] for w in b)
    return sum((ca - cb).values()) + sum((cb - ca).values())


def compare_words(pages: list[dict[str, Any]], kind: str) -> dict[str, int]:
    """Differences between the CLI's TSV and an in-process TSV, summed over the pages."""
    total = {"words_cli": 0, "text_differs": 0, "box_or_conf_differs": 0, "pages_identical": 0}
    for p in pages:
        other = Path(f"{p['path']}.{kind}.tsv")
        if not other.exists():
            continue
        cli = Path(f"{p['path']}.cli.tsv").read_text(encoding="utf-8")
        mine = other.read_text(encoding="utf-8")
        a, b = words(cli), words(mine)
        total["words_cli"] += len(a)
        total["text_differs"] += word_differences(a, b, slice(0, 1))
        total["box_or_conf_differs"] += word_differences(a, b, slice(0, 6))
        total["pages_identical"] += int(cli.strip() == mine.strip())
    return total


# -- models on the real scans ------------------------------------------------------------------------


def scanned_documents(max_pages: int) -> list[tuple[Path, int]]:
    """The real PDFs whose SOURCES.tsv text_layer says "scanned", with at most `max_pages` pages."""
    import csv

    out = []
    with (REAL / "SOURCES.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if not (row.get("text_layer") or "").startswith("scanned"):
                continue
            pages = row.get("pages") or ""
            n = int(pages) if pages.isdigit() else 0
            if (REAL / row["file"]).exists() and (REAL / "text" / f"{Path(row['file']).stem}.txt").exists():
                if n == 0 or n <= max_pages:
                    out.append((REAL / row["file"], n))
    return out


def accuracy(ocr_text: str, reference: str) -> tuple[float | None, float]:
    """(bench_ocr's 1 - CER on the whole text, None for a transcription with "[...]" gaps; the
    figure of tools/eval_real.py, which compares each gapped part with the stretch that holds it)."""
    from tools.bench_ocr import char_accuracy

    whole = None if "[...]" in reference else char_accuracy(ocr_text, reference)
    try:
        from tools.eval_real import ocr_accuracy

        return whole, float(ocr_accuracy(ocr_text, reference)["accuracy"])
    except Exception:  # eval_real is being written by another engineer: the whole-text figure
        return whole, char_accuracy(ocr_text, reference)


def compare_models(max_pages: int, models: list[str]) -> dict[str, Any]:
    """Each model through `ocr_pdf_pages` (in process, one thread) on the real scans."""
    import pypdfium2 as pdfium

    from ketluan.config import Settings
    from ketluan.extract import ocr, tess

    docs = scanned_documents(max_pages)
    result: dict[str, Any] = {"library": tess.version(), "documents": {}, "models": {}}
    for lang in models:
        settings = Settings(ocr_lang=lang, workers=2)  # cores // workers = 1 OCR thread
        wholes, segs, secs, pages_total = [], [], 0.0, 0
        for path, _ in docs:
            data = path.read_bytes()
            document = pdfium.PdfDocument(data)
            n = len(document)
            document.close()
            t = time.perf_counter()
            pages = ocr.ocr_pdf_pages(data, list(range(1, n + 1)), settings)
            secs += time.perf_counter() - t
            pages_total += n
            text = "\n".join(line.text for p in pages for line in p.lines)
            reference = (REAL / "text" / f"{path.stem}.txt").read_text(encoding="utf-8")
            whole, seg = accuracy(text, reference)
            if whole is not None:
                wholes.append(whole)
            segs.append(seg)
            result["documents"].setdefault(path.stem, {"pages": n})[lang] = {
                "whole": None if whole is None else round(whole, 4), "segments": round(seg, 4)}  # fmt: skip
        result["models"][lang] = {"accuracy_whole_full_transcriptions": round(mean(wholes), 4),
                                  "full_transcriptions": len(wholes),
                                  "accuracy_segments": round(mean(segs), 4),
                                  "s_per_page": round(secs / max(pages_total, 1), 3), "pages": pages_total}  # fmt: skip
    return result


# -- main ---------------------------------------------------------------------------------------------


def mean(xs: list[float]) -> float:
    """Mean, 0 for no values."""
    return statistics.fmean(xs) if xs else 0.0


def print_models(models: dict[str, Any], max_pages: int) -> None:
    """The accuracy table of the models on the real scans."""
    names = list(models["models"])
    print(f"\nmodels on {len(models['documents'])} real scans (≤ {max_pages} pages), ocr_pdf_pages, "
          f"libtesseract {models['library']}, 1 - CER after NFC")  # fmt: skip
    print(f"{'model':16} {'eval-real':>9} {'full-transcr.':>13} {'s/page':>7} {'pages':>6}")
    for lang, r in models["models"].items():
        print(f"{lang:16} {r['accuracy_segments']:9.4f} {r['accuracy_whole_full_transcriptions']:13.4f} "
              f"{r['s_per_page']:7.3f} {r['pages']:6d}")  # fmt: skip
    print(f"\n{'document':58} " + " ".join(f"{m[:14]:>14}" for m in names))
    for stem, d in models["documents"].items():
        print(f"{stem[:58]:58} " + " ".join(f"{d[m]['segments']:14.4f}" for m in names))


def time_engines(work: Path, count: int) -> dict[str, Any]:
    """Part 1: every engine on the same pages, and the words that differ from the CLI's."""
    pages = build_pages(work, count)
    (work / "pages.json").write_text(json.dumps(pages), encoding="utf-8")
    n = len(pages)
    clocks = time_cli(pages)
    runs = {
        kind: run_child(kind, work)
        for kind in ("inprocess", "inprocess_bundled", "tesserocr", "page_cli", "page_inprocess")
    }
    floor, floor_cpu = mean(clocks["bench_floor"].wall), mean(clocks["bench_floor"].cpu)
    timing: dict[str, Any] = {"pages": n, "machine": f"{os.cpu_count()} cores", "engines": {}}

    def row(name: str, wall: list[float], cpu: list[float], load: float = 0.0, note: str = "") -> None:
        per, per_cpu = mean(wall), mean(cpu)
        timing["engines"][name] = {
            "s_per_page": round(per, 3), "cpu_s_per_page": round(per_cpu, 3), "load_s": round(load, 3),
            "ratio_to_bench_floor": round(per / floor, 3) if floor else None,
            "cpu_ratio_to_bench_floor": round(per_cpu / floor_cpu, 3) if floor_cpu else None,
            "note": note, "wall": [round(x, 3) for x in wall], "cpu": [round(x, 3) for x in cpu],
        }  # fmt: skip

    row("tesseract CLI, bench floor (png, psm 3, txt)", clocks["bench_floor"].wall, clocks["bench_floor"].cpu,
        note="tools/bench.py floor, model load included")  # fmt: skip
    row("tesseract CLI, ocr.py settings (prepared tif, psm 4)", clocks["cli_psm4_prepared"].wall,
        clocks["cli_psm4_prepared"].cpu, note="model load included")  # fmt: skip
    for kind, label in (("inprocess", "in process, tess.py (ctypes, system lib)"),
                        ("inprocess_bundled", "in process, tess.py on tesserocr's bundled lib"),
                        ("tesserocr", "tesserocr wheel (bundled lib)"),
                        ("page_cli", "ocr_page through the CLI (KETLUAN_LIBTESSERACT=-)"),
                        ("page_inprocess", "ocr_page (prepare + in process + tables/bold/slots)")):  # fmt: skip
        r = runs.get(kind)
        if r:
            row(label, r["seconds"], r["cpu_seconds"], r.get("load_s", 0.0), r.get("version", ""))
    same = {kind: compare_words(pages, kind) for kind in ("inproc", "bundled", "tesserocr")}
    if runs.get("page_cli") and runs.get("page_inprocess"):
        a_lines, b_lines = runs["page_cli"]["texts"], runs["page_inprocess"]["texts"]  # type: ignore[index]
        same["ocr_page_lines"] = {
            "lines": sum(len(x) for x in a_lines),
            "pages_identical": sum(int(x == y) for x, y in zip(a_lines, b_lines, strict=True)),
            "lines_differ": sum(word_differences([(s,) for s in x], [(s,) for s in y], slice(0, 1))
                                for x, y in zip(a_lines, b_lines, strict=True)),
        }  # fmt: skip
    print(f"\nOCR engines on {n} scanned dev pages at {DPI} dpi, one process each, OMP_THREAD_LIMIT=1")
    print(f"{'engine':56} {'wall s/pg':>9} {'cpu s/pg':>9} {'load s':>7} {'wall×floor':>10} {'cpu×floor':>9}")
    for name, r in timing["engines"].items():
        print(f"{name:56} {r['s_per_page']:9.3f} {r['cpu_s_per_page']:9.3f} {r['load_s']:7.3f} "
              f"{r['ratio_to_bench_floor'] or 0:10.3f} {r['cpu_ratio_to_bench_floor'] or 0:9.3f}")  # fmt: skip
    print("\nwords against the CLI with ocr.py's settings:")
    for kind, r in same.items():
        print(f"  {kind:16} {r}")
    return {"timing": timing, "identity": same}


def main(argv: list[str] | None = None) -> int:
    """Build the pages, time every engine, compare the words and the models; print and save."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--pages", type=int, default=12)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "ketluan_ocr_compare")
    ap.add_argument("--out", type=Path, default=Path("/tmp/ocr_compare.json"))
    ap.add_argument("--max-doc-pages", type=int, default=4, help="real scans with at most this many pages")
    ap.add_argument("--skip-models", action="store_true")
    ap.add_argument("--skip-timing", action="store_true")
    ap.add_argument(
        "--models", default=",".join(MODELS), help="Tesseract languages to score on the real scans"
    )
    ap.add_argument(
        "--bundled", action="store_true", help="score the models on tesserocr's bundled libtesseract"
    )
    ap.add_argument("--child", default="")
    a = ap.parse_args(argv)
    if a.child:
        pages = json.loads((a.work / "pages.json").read_text(encoding="utf-8"))
        print(json.dumps(child(a.child, pages)))
        return 0
    results: dict[str, Any] = {}
    if not a.skip_timing:
        results.update(time_engines(a.work, a.pages))
    if not a.skip_models:
        if a.bundled:  # before the first engine loads the library
            os.environ["KETLUAN_LIBTESSERACT"] = bundled_library()
            os.environ["TESSDATA_PREFIX"] = str(TESSDATA)
        results["models"] = compare_models(a.max_doc_pages, a.models.split(","))
        print_models(results["models"], a.max_doc_pages)
    a.out.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"\nwritten {a.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
