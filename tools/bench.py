"""`make bench`: speed, memory and scale of the full pipeline, next to the bare tools (not a pytest file).

    python -m tools.bench [--quick] [--workers N] [--work DIR] [--scans-only | --scans-one | --ray-only]

Generates its own corpus from the dev texts (<repo>/../shared/corpus/dev/text, else /work/shared):
every copy gets its own document number and its years shifted by a multiple of four (29/02 stays a
date), so no two files share a sha256 and the archive spans several years. It renders text PDFs and
DOCX (tools/render.py) and scans (tools/scans.py), then measures, in one run on the same files:

- documents/s and pages/s of `ketluan.run` into a fresh folder (every stage, every output file),
  each run in its own process with its peak memory over the process tree (parent + workers): the
  RSS summed per process, and the PSS summed (pages the forked workers share counted once: the
  figure the memory limits read); the load average at its start goes with every figure;
- start-up: `ketluan run one.pdf --out DIR` on one two-page text PDF, the whole command's wall
  time, median of 5, next to bare pdfplumber on that file in a fresh process;
- the bare floor with the same number of processes: `pdftotext` and pdfplumber
  `extract_words(extra_attrs=["fontname", "size"])` for text PDFs, python-docx paragraph iteration
  for .docx, the `tesseract img.png - -l vie` CLI (OMP_THREAD_LIMIT=1, one process per worker) on
  the page images the pipeline OCRs (each scanned page rendered at `ocr_dpi`, greyscale);
- scans with one worker (`--workers 1`) against the bare CLI run page after page in one process on
  the same page images, both pinned to the same single core (issue 19's "1 process each": the
  run's process, its worker and their OCR threads on one core, as one `tesseract` at a time);
- `--workers 1` against `--workers N` on the text PDFs, and `--workers 1` against one pdfplumber
  process on the same files (both whole processes: interpreter start-up and imports included);
- scale: .txt archives of 100, 1,000 and 5,000 documents (50/200/600 with --quick): seconds per
  document must stay flat (the txt reader keeps extraction out, so what grows is the rest);
- `ketluan.analyze` on a database of exactly 10,000 items (whole documents of the largest scale
  run, the last one cut short);
- the Ray engine (`ray_engine.bench_ray`, when Ray is installed) on text PDFs and the scans: a
  local Ray cluster of 1 and 2 CPUs next to the local engine and a plain in-process loop, cold
  and warm, and what going through Ray costs each document (`--ray-only` measures just that).

Prints one Markdown table, the acceptance checks of issues 7 and 19 and the change against the previous
run; writes data/bench/latest.json (the former one becomes data/bench/previous.json) and
data/bench/README.md (the table with the machine it ran on, for the project README).
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import contextlib
import hashlib
import json
import multiprocessing
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from tools.paths import SHARED

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BENCH_DIR = REPO / "data" / "bench"

GIB = 1024**3
MIB = 1024**2
# Acceptance of issues 7 and 19.
MAX_PDF_RATIO = 2.0  # full pipeline / bare pdfplumber extract_words, same files, same processes
MAX_PDF_ONE_RATIO = 1.0  # issue 19: workers 1 / one pdfplumber process, whole processes, same 120 files
MIN_PDF_DOCS_PER_S = 10.0  # on 2 cores
MAX_SCAN_RATIO = 1.0  # issue 19: full pipeline / bare tesseract CLI, same page images, 1 process each
# The single-core rows (scans with one worker against one tesseract process) run on this one CPU.
ONE_CORE_LABEL = "one core"
MAX_RSS = 1 * GIB  # for 5,000 documents, and (issue 19) for the scanned run at 2 workers
MAX_STARTUP_SECONDS = 1.0  # issue 19: `ketluan run one.pdf`, one two-page text PDF, median of 5
STARTUP_REPEATS = 5
MAX_LINEAR_DRIFT = 1.3  # seconds per document of the last scale step / of the step before
ANALYZE_ITEMS = 10_000

# The number line of the header, first match only: "Số: 58/TB-VP", "Số: /TB-TTr", "Số 318-TB/ĐUK".
DOC_NUMBER = re.compile(r"^(\W*Số\s*:?\s*)(\d*)(\s*[/-])")
YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")  # "năm 2024", "31/7/2024", "tháng 5/2020"


@dataclass(frozen=True)
class Sizes:
    """How many documents each measurement uses."""

    pdf: int
    docx: int
    scans: int
    scale: tuple[int, ...]
    archive: int  # files of the mixed archive of issue 6 (PDF, DOCX, TXT, broken files, copies, zips)
    ray_pdf: int = 40  # text PDFs in the Ray section (with every scan); each is run 7 times


# 24 scans (~64 pages): enough pages per worker that start-up (models, the OCR lexicon) and uneven
# page counts per document do not dominate, as they do not in an archive
FULL = Sizes(pdf=120, docx=120, scans=24, scale=(100, 1000, 5000), archive=2000)
QUICK = Sizes(pdf=30, docx=30, scans=1, scale=(50, 200, 600), archive=200, ray_pdf=20)
RAY_WORKERS = (1, 2)
RAY_SCANS = 6  # scanned documents in the Ray section (each input set is run 7 times there)


# ---------------------------------------------------------------- corpus


def find_corpus() -> Path | None:
    """The dev texts: ../shared beside the checkout (CI) or /work/shared (as tests/conftest.py)."""
    for cand in [p for p in (SHARED,) if p]:
        if (cand / "corpus" / "dev" / "text").is_dir():
            return cand / "corpus" / "dev" / "text"
    return None


def vary(text: str, k: int) -> str:
    """Copy k of a document: its own number ("Số: 58/TB-VP" -> "Số: 7/TB-VP"), years + 4·(k mod 6).

    Examples:
        >>> vary("Số: 58/TB-VP\\nBảo Lộc, ngày 07 tháng 8 năm 2024", 7)
        'Số: 8/TB-VP\\nBảo Lộc, ngày 07 tháng 8 năm 2028'
    """
    shift = 4 * (k % 6)
    text = YEAR.sub(lambda m: str(int(m.group(1)) + shift), text)
    lines = text.split("\n")
    for i, line in enumerate(lines):
        nfc = unicodedata.normalize("NFC", line)
        m = DOC_NUMBER.match(nfc)
        if m:
            new = f"{m.group(1)}{k + 1}{m.group(3)}{nfc[m.end() :]}"
            lines[i] = new if nfc == line else unicodedata.normalize("NFD", new)
            break
    return "\n".join(lines)


def _render_one(job: tuple[str, str, int, str]) -> str:
    """Worker: render copy k of a source text as a text PDF, DOCX or txt."""
    kind, source, k, target = job
    text = vary(Path(source).read_text(encoding="utf-8"), k)
    out = Path(target)
    out.parent.mkdir(parents=True, exist_ok=True)
    if kind == "txt":
        out.write_text(text, encoding="utf-8")
        return target
    from tools.render import parse_source, render_docx, render_pdf

    doc = parse_source(text)
    if kind == "pdf":
        render_pdf(doc, out, seed=k % 4)
    else:
        render_docx(doc, out)
    return target


def _scan_one(job: tuple[str, str, int]) -> str:
    """Worker: an office scan (skew, noise, JPEG, a stamp on the last page) of a text PDF."""
    from tools import scans

    pdf, target, k = job
    scans.make_scan(Path(pdf), Path(target), seed=k, stamp=k % 2 == 0, rotate=0.5 + 0.25 * (k % 3))
    return target


def build_corpus(work: Path, texts: list[Path], sizes: Sizes, workers: int) -> dict[str, list[Path]]:
    """Render every input once; the scale runs take the first N of the txt copies."""
    jobs: dict[str, list[tuple[str, str, int, str]]] = {"pdf": [], "docx": [], "txt": []}
    counts = {"pdf": sizes.pdf, "docx": sizes.docx, "txt": max(sizes.scale)}
    for kind, n in counts.items():
        for k in range(n):
            src = texts[k % len(texts)]
            jobs[kind].append((kind, str(src), k, str(work / "input" / kind / f"{k:05d}_{src.stem}.{kind}")))
    out: dict[str, list[Path]] = {}
    ctx = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        for kind, kind_jobs in jobs.items():
            out[kind] = [Path(p) for p in pool.map(_render_one, kind_jobs, chunksize=8)]
        scan_jobs = [(str(out["pdf"][k]), str(work / "input" / "scan" / f"{k:05d}_scan.pdf"), k)
                     for k in range(min(sizes.scans, len(out["pdf"])))]  # fmt: skip
        (work / "input" / "scan").mkdir(parents=True, exist_ok=True)
        out["scan"] = [Path(p) for p in pool.map(_scan_one, scan_jobs)]
    for kind, paths in out.items():
        digests = {hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}
        if len(digests) != len(paths):
            raise SystemExit(f"bench corpus: {len(paths) - len(digests)} {kind} files share a sha256")
    return out


def page_images(scans_: list[Path], folder: Path, dpi: int) -> list[Path]:
    """Each scanned page as a greyscale PNG: rendered at `dpi`, or with `dpi` 0 the page's own
    image at its native resolution (rendered at that resolution when it is not one image)."""
    import pypdfium2 as pdfium
    from PIL import Image

    from ketluan.extract.pdfimage import embedded_scan

    folder.mkdir(parents=True, exist_ok=True)
    images = []
    for pdf in scans_:
        document = pdfium.PdfDocument(str(pdf))
        try:
            for i in range(len(document)):
                page = document[i]
                if dpi:
                    image = page.render(scale=dpi / 72, grayscale=True).to_pil()
                    resolution = float(dpi)
                else:
                    found = embedded_scan(page, 1200.0, 1.0)
                    if found is None:  # not one image: drawn at 300 dpi
                        image, resolution = page.render(scale=300 / 72, grayscale=True).to_pil(), 300.0
                    else:
                        image, resolution = Image.fromarray(found[0]).convert("L"), found[1]
                path = folder / f"{pdf.stem}_p{i + 1}.png"
                image.save(path, dpi=(resolution, resolution))
                images.append(path)
                page.close()
        finally:
            document.close()
    return images


def measure_scans(scans_: list[Path], work: Path, workers: int, log: Callable[[str], None]) -> dict[str, Any]:
    """The scanned PDFs through the pipeline, next to the bare `tesseract` CLI on the same pages
    (one process per worker, one thread each): on each page rendered at `ocr_dpi` as a greyscale
    PNG (the floor of the acceptance check), then on each page's own scanned image at its native
    resolution (what the pipeline would read with `ocr.NATIVE_MIN_DPI` set)."""
    from ketluan.config import Settings
    from ketluan.ocr_correct import default_lexicon

    settings = Settings.resolve(None)  # KETLUAN_OCR_DPI too, as the pipeline runs read it
    default_lexicon()  # its cache is built once per machine (~3 s), as by any earlier OCR run
    log(f"scanned PDFs: pipeline on {len(scans_)} documents ({pdf_pages(scans_)} pages), workers {workers}")
    run = run_pipeline(scans_, work / "out" / "scan", work, workers)
    t = throughput(run, len(scans_), workers)
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    floors = []
    for label, images in (
        (f"tesseract CLI -l vie ({settings.ocr_dpi} dpi page images, 1 thread each)",
         page_images(scans_, work / "pages", settings.ocr_dpi)),
        ("tesseract CLI -l vie (the scans' own images, native dpi, 1 thread each)",
         page_images(scans_, work / "pages_native", 0)),
    ):  # fmt: skip
        log(f"scanned PDFs: bare {label} on {len(images)} page images")
        cmds = [["tesseract", str(p), "-", "-l", settings.ocr_lang] for p in images]
        floors.append(
            floor(label, timed_commands(cmds, workers, env, watch=True), len(scans_), len(images), run)
        )
    t["floors"] = floors
    return t


def one_cpu() -> set[int]:
    """The CPU the single-core rows are pinned to: the last one this process may run on (the
    first takes the interrupts on most machines)."""
    return {max(os.sched_getaffinity(0))}


def measure_scans_one(scans_: list[Path], work: Path, log: Callable[[str], None]) -> dict[str, Any]:
    """Issue 19's criterion as written: the scanned PDFs through the pipeline with one worker
    (`workers=1`), next to the bare `tesseract` CLI run page after page in one process on the same
    300 dpi page images, both pinned to the same single core (`one_cpu`): the run's process, its
    one worker and the OCR threads share that core as the one `tesseract` process has it alone.
    The ratios are pipeline/CLI wall time (the call: worker start-up and models included) and CPU."""
    from ketluan.config import Settings

    settings = Settings.resolve(None)
    cpus = one_cpu()
    log(f"scanned PDFs: pipeline on {len(scans_)} documents, workers 1, {ONE_CORE_LABEL} (CPU {min(cpus)})")
    run = run_pipeline(scans_, work / "out" / "scan1", work, 1, cpus=cpus)
    t = throughput(run, len(scans_), 1)
    stems = {p.stem for p in scans_}
    images = sorted(p for p in (work / "pages").glob("*.png") if p.stem.rsplit("_p", 1)[0] in stems)
    if len(images) != pdf_pages(scans_):  # not yet written by `measure_scans`
        images = page_images(scans_, work / "pages", settings.ocr_dpi)
    label = f"tesseract CLI -l vie ({settings.ocr_dpi} dpi page images), one process, page after page"
    log(f"scanned PDFs: bare {label} on {len(images)} page images, {ONE_CORE_LABEL}")
    cmds = [["tesseract", str(p), "-", "-l", settings.ocr_lang] for p in images]
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    load = os.getloadavg()[0]
    t["floors"] = [
        floor(label, timed_commands(cmds, 1, env, cpus=cpus, watch=True), len(scans_), len(images), run)
    ]
    t["floors"][0]["load"] = round(load, 2)
    t["cpus"] = sorted(cpus)
    return t


def pdf_pages(paths: Iterable[Path]) -> int:
    """Total pages of some PDFs."""
    import pypdfium2 as pdfium

    total = 0
    for p in paths:
        document = pdfium.PdfDocument(str(p))
        total += len(document)
        document.close()
    return total


# ---------------------------------------------------------------- measuring


def pss_bytes(pid: int) -> int | None:
    """A process's proportional set size (its shared pages split among the processes that map
    them), from /proc/PID/smaps_rollup; None where Linux does not give it."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


class PeakRss:
    """Peak memory of a process tree (the process and all its descendants), sampled two ways.

    `peak` sums each process's RSS: pages that forked workers share with the run (the models,
    loaded once before the fork) count once per process. `peak_pss` sums proportional set sizes:
    each shared page counts once over the tree, which is the machine's memory the run uses and
    the figure the memory acceptance reads. For the RSS sum, a worker's child that still runs the
    worker's own executable is a fork between fork() and exec() (pytesseract and LibreOffice
    starting): it shares its parent's pages, so its RSS would count them twice and is left out.
    """

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        import psutil

        self.root = psutil.Process(pid)
        self.interval = interval
        self.peak = 0
        self.peak_pss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        import psutil

        while not self._stop.is_set():
            total = pss = 0
            try:
                procs = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                break
            for p in procs:
                try:
                    rss = p.memory_info().rss
                    pss += pss_bytes(p.pid) or rss
                    parent = p.parent()
                    if p.pid != self.root.pid and parent is not None and parent.pid != self.root.pid \
                            and p.exe() == parent.exe():  # fmt: skip
                        continue  # forked, not yet exec'd
                    total += rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self.peak_pss = max(self.peak_pss, pss)
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


CHILD = r"""
import json, resource, sys, time
args = json.load(open(sys.argv[1], encoding="utf-8"))
import ketluan
def cpu():
    return sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                 resource.getrusage(resource.RUSAGE_CHILDREN)))
cpu0 = cpu()
started = time.perf_counter()
if args["what"] == "run":
    s = ketluan.run(args["inputs"], args["out"], settings=args["settings"])
    result = {"total": s.total, "ok": s.ok, "partial": s.partial, "error": s.error, "pages": s.pages}
else:
    tables = ketluan.analyze(args["db"], args["out"])
    result = {"items": int(len(tables["items"])), "clusters": int(len(tables["recurrence"]))}
result["seconds"] = time.perf_counter() - started
result["cpu_seconds"] = cpu() - cpu0  # the run's process and its (reaped) workers and tesseracts
print(json.dumps(result))
"""


def _pinned(cpus: set[int] | None) -> Callable[[], None] | None:
    """A `preexec_fn` that pins the child (and all it starts) to `cpus`; None leaves it free."""
    if not cpus:
        return None
    return lambda: os.sched_setaffinity(0, cpus)


def in_child(args: dict[str, Any], work: Path, cpus: set[int] | None = None) -> dict[str, Any]:
    """Run `ketluan.run` or `ketluan.analyze` in a fresh Python process; time it and its peak RSS.

    `seconds` covers the call (worker start-up and model loading included, interpreter start-up
    and `import ketluan` not); `cpu_seconds` the CPU time of the call's process tree; `wall` is
    the whole process. With `cpus` the process and its workers run on those CPUs only.
    `sampler_cpu_seconds` is what the memory sampler (`PeakRss`, in this process) used meanwhile:
    CPU the run's cores lose to the measurement, which the floors it is compared with pay too
    (`timed_commands(watch=True)`).
    """
    fd, arg_file = tempfile.mkstemp(suffix=".json", dir=work)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(args, fh, ensure_ascii=False)
    load = os.getloadavg()[0]
    started = time.perf_counter()
    own = time.process_time()
    proc = subprocess.Popen([sys.executable, "-c", CHILD, arg_file], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=REPO, preexec_fn=_pinned(cpus))  # fmt: skip
    with PeakRss(proc.pid) as rss:
        stdout, stderr = proc.communicate()
    wall = time.perf_counter() - started
    sampler = time.process_time() - own
    os.unlink(arg_file)
    if proc.returncode != 0:
        raise RuntimeError(f"bench child failed ({proc.returncode}):\n{stderr[-3000:]}")
    result: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    result.update(
        wall=wall,
        peak_rss_mb=round(rss.peak / MIB, 1),
        peak_pss_mb=round(rss.peak_pss / MIB, 1),
        load=round(load, 2),
        sampler_cpu_seconds=round(sampler, 2),
    )
    return result


def run_pipeline(
    inputs: list[Path], out: Path, work: Path, workers: int, cpus: set[int] | None = None, **settings: Any
) -> dict[str, Any]:
    """`ketluan.run(inputs, out)` into a fresh folder (on `cpus` only, if given); returns counts,
    seconds and peak RSS."""
    shutil.rmtree(out, ignore_errors=True)
    args = {"what": "run", "inputs": [str(p) for p in inputs], "out": str(out),
            "settings": {"workers": workers, "force": True, **settings}}  # fmt: skip
    return in_child(args, work, cpus)


def _noop() -> int:
    """Worker warm-up."""
    return os.getpid()


def _import_floor_libraries() -> int:
    import docx  # noqa: F401
    import pdfplumber  # noqa: F401

    return os.getpid()


def _plumber_words(path: str) -> int:
    """Bare pdfplumber: every page's extract_words with font name and size; returns pages."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_words(extra_attrs=["fontname", "size"])
        return len(pdf.pages)


def _docx_paragraphs(path: str) -> int:
    """Bare python-docx: open and iterate the body paragraphs' text; returns paragraphs."""
    import docx

    return sum(1 for p in docx.Document(path).paragraphs if p.text)


def _tree_cpu(pids: Iterable[int]) -> float:
    """CPU seconds (user + system) used so far by some live processes."""
    import psutil

    total = 0.0
    for pid in pids:
        try:
            t = psutil.Process(pid).cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total


def _children_cpu() -> float:
    """CPU seconds of this process's reaped children (the CLI floors)."""
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed_pool(fn: Callable[[str], int], paths: list[Path], workers: int) -> tuple[float, float]:
    """Wall and CPU seconds to map `fn` over `paths` in `workers` warm processes."""
    ctx = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        pids = {f.result() for f in [pool.submit(_import_floor_libraries) for _ in range(workers * 3)]}
        cpu0 = _tree_cpu(pids)
        started = time.perf_counter()
        list(pool.map(fn, [str(p) for p in paths], chunksize=1))
        return time.perf_counter() - started, _tree_cpu(pids) - cpu0


def timed_commands(
    commands: list[list[str]],
    workers: int,
    env: dict[str, str] | None = None,
    cpus: set[int] | None = None,
    watch: bool = False,
) -> tuple[float, float]:
    """Wall and CPU seconds to run CLI commands, `workers` at a time (on `cpus` only, if given).

    With `watch` the memory sampler the pipeline runs under (`PeakRss`, every 50 ms over the
    process tree: about 1.6 ms of CPU per process and sample) watches these commands too, so that
    a floor and the run it is compared with lose the same share of the cores to the measurement.
    """

    def one(cmd: list[str]) -> None:
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False,
                       preexec_fn=_pinned(cpus))  # fmt: skip

    cpu0 = _children_cpu()
    started = time.perf_counter()
    with (
        PeakRss(os.getpid()) if watch else contextlib.nullcontext(),
        cf.ThreadPoolExecutor(max_workers=workers) as pool,
    ):
        list(pool.map(one, commands))
    return time.perf_counter() - started, _children_cpu() - cpu0


PLUMBER_PROCESS = r"""
import json, sys, time
started = time.perf_counter()
import pdfplumber
pages = 0
for path in json.load(open(sys.argv[1], encoding="utf-8")):
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_words(extra_attrs=["fontname", "size"])
        pages += len(pdf.pages)
print(json.dumps({"pages": pages, "seconds": time.perf_counter() - started}))
"""


def plumber_process(paths: list[Path], work: Path) -> dict[str, float]:
    """Bare pdfplumber in one fresh Python process over `paths` (start-up and import included,
    as for a `ketluan.run` process): its whole wall time, the time after start-up, and CPU."""
    fd, arg_file = tempfile.mkstemp(suffix=".json", dir=work)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump([str(p) for p in paths], fh)
    load = os.getloadavg()[0]
    cpu0 = _children_cpu()
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", PLUMBER_PROCESS, arg_file], capture_output=True, text=True,
                         check=True, cwd=REPO)  # fmt: skip
    wall = time.perf_counter() - started
    os.unlink(arg_file)
    inner = json.loads(out.stdout.strip().splitlines()[-1])
    return {"wall": wall, "seconds": inner["seconds"], "cpu_seconds": _children_cpu() - cpu0, "load": load}


def cli_command() -> list[str]:
    """`ketluan` as a user runs it: the venv's console script, else `python -m ketluan`."""
    script = Path(sys.executable).with_name("ketluan")
    return [str(script)] if script.exists() else [sys.executable, "-m", "ketluan"]


def compile_package() -> None:
    """Byte-compile the ketluan package, as installing it does: in a source checkout run with
    PYTHONDONTWRITEBYTECODE, a module changed since its .pyc was written is compiled again by
    every process, which the start-up figure would count."""
    import compileall

    import ketluan

    compileall.compile_dir(Path(ketluan.__file__).parent, quiet=1)


def startup(pdf: Path, work: Path, repeats: int = 5) -> dict[str, Any]:
    """`ketluan run one.pdf --out DIR` on one two-page text PDF, `repeats` times into fresh folders:
    the median wall time of the whole command (interpreter, imports, models, store, every export),
    next to bare pdfplumber reading the same file in a fresh process, also the median of `repeats`."""
    import statistics

    compile_package()
    walls: list[float] = []
    cpus: list[float] = []
    peaks: list[float] = []
    load = os.getloadavg()[0]
    for k in range(repeats):
        out = work / "out" / f"startup{k}"
        shutil.rmtree(out, ignore_errors=True)
        cpu0 = _children_cpu()
        started = time.perf_counter()
        proc = subprocess.Popen([*cli_command(), "run", str(pdf), "--out", str(out), "--quiet"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=work)  # fmt: skip
        with PeakRss(proc.pid) as rss:
            _, stderr = proc.communicate()
        walls.append(time.perf_counter() - started)
        cpus.append(_children_cpu() - cpu0)
        peaks.append(rss.peak_pss / MIB)
        if proc.returncode != 0:
            raise RuntimeError(f"ketluan run failed ({proc.returncode}):\n{stderr[-3000:]}")
    bare = [plumber_process([pdf], work)["wall"] for _ in range(repeats)]
    median = statistics.median(walls)
    return {
        "file": pdf.name, "pages": pdf_pages([pdf]), "repeats": repeats, "seconds": round(median, 3),
        "runs": [round(w, 3) for w in walls], "cpu_seconds": round(statistics.median(cpus), 3),
        "peak_pss_mb": round(max(peaks), 1), "load": round(load, 2),
        "floor": {"tool": "pdfplumber extract_words in a fresh Python process", "seconds": round(statistics.median(bare), 3)},
        "ratio": round(median / statistics.median(bare), 2),
    }  # fmt: skip


def two_page_pdf(pdfs: list[Path]) -> Path:
    """The first text PDF of two pages (the start-up figure's file), else the first."""
    return next((p for p in pdfs if pdf_pages([p]) == 2), pdfs[0])


def floor(
    name: str, timed: tuple[float, float], docs: int, pages: int, run: dict[str, Any]
) -> dict[str, Any]:
    """A floor's figures and the pipeline/floor ratios of wall time and of CPU time."""
    seconds, cpu = timed
    return {
        "tool": name, "seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3),
        "docs_per_s": round(docs / seconds, 2), "pages_per_s": round(pages / seconds, 2),
        "ratio": round(run["seconds"] / seconds, 2),
        "cpu_ratio": round(run["cpu_seconds"] / cpu, 2) if cpu > 0 else None,
    }  # fmt: skip


def throughput(result: dict[str, Any], docs: int, cores: int) -> dict[str, Any]:
    """docs/s and pages/s of a pipeline run; `cpu_docs_per_s` is what `cores` idle cores would
    give if the run were CPU-bound (documents per CPU-second x cores)."""
    s, cpu = result["seconds"], result["cpu_seconds"]
    return {
        "docs": docs, "pages": result["pages"], "seconds": round(s, 3), "cpu_seconds": round(cpu, 3),
        "docs_per_s": round(docs / s, 2), "pages_per_s": round(result["pages"] / s, 2),
        "cpu_docs_per_s": round(docs / cpu * cores, 2), "peak_rss_mb": result["peak_rss_mb"],
        "peak_pss_mb": result.get("peak_pss_mb"), "process_wall": round(result["wall"], 3),
        "load": result.get("load"), "status": {k: result[k] for k in ("ok", "partial", "error")},
        "sampler_cpu_seconds": result.get("sampler_cpu_seconds"),
    }  # fmt: skip


def scale_summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Marginal cost per document between consecutive sizes (wall and CPU); time is linear when
    the last step costs no more per document than the one before (`drift` <= MAX_LINEAR_DRIFT).
    The drift is judged on CPU time, which other processes on the machine do not inflate."""

    def marginal(key: str) -> list[float]:
        return [(b[key] - a[key]) / (b["docs"] - a["docs"]) for a, b in zip(runs, runs[1:], strict=False)]

    wall, cpu = marginal("seconds"), marginal("cpu_seconds")

    def drift(m: list[float]) -> float:
        return round(m[-1] / m[-2], 2) if len(m) >= 2 and m[-2] > 0 else 1.0

    return {
        "runs": runs, "marginal_ms_per_doc": [round(m * 1000, 2) for m in wall],
        "marginal_cpu_ms_per_doc": [round(m * 1000, 2) for m in cpu],
        "fixed_seconds": round(runs[0]["seconds"] - wall[0] * runs[0]["docs"], 2) if wall else 0.0,
        "drift_wall": drift(wall), "drift": drift(cpu),
    }  # fmt: skip


# ---------------------------------------------------------------- analyze database


def analyze_db(source_db: Path, target: Path, n_items: int = ANALYZE_ITEMS) -> tuple[int, int]:
    """A database with exactly `n_items` items: whole documents of a run's database in path
    order, the last one cut short. Returns (items, documents)."""
    import duckdb

    from ketluan.store import Store

    shutil.rmtree(target, ignore_errors=True)
    with Store(target):
        pass  # the contract schema
    con = duckdb.connect(str(target / "ketluan.duckdb"))
    try:
        con.execute(f"ATTACH '{source_db}' AS src (READ_ONLY)")
        con.execute(
            "CREATE TEMP TABLE pick AS SELECT d.doc_id, d.source_path, sum(count(i.item_id)) OVER "
            "(ORDER BY d.source_path) AS upto FROM src.documents d JOIN src.items i USING (doc_id) "
            "GROUP BY d.doc_id, d.source_path"
        )
        row = con.execute("SELECT min(upto) FROM pick WHERE upto >= ?", [n_items]).fetchone()
        if row is None or row[0] is None:
            raise RuntimeError(f"{source_db} holds fewer than {n_items} items; use a larger scale run")
        con.execute("DELETE FROM pick WHERE upto > ?", [row[0]])
        con.execute(
            "INSERT INTO documents SELECT * FROM src.documents WHERE doc_id IN (SELECT doc_id FROM pick)"
        )
        con.execute(
            "INSERT INTO items SELECT i.* FROM src.items i JOIN pick p USING (doc_id) "
            "ORDER BY p.source_path, i.seq LIMIT ?",
            [n_items],
        )
        counted = con.execute(
            "SELECT (SELECT count(*) FROM items), (SELECT count(*) FROM documents)"
        ).fetchone()
        con.execute("DETACH src")
    finally:
        con.close()
    return (int(counted[0]), int(counted[1])) if counted else (0, 0)


# ---------------------------------------------------------------- machine, table, JSON


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    import psutil

    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    versions = {}
    for mod in ("pypdfium2", "pdfplumber", "docx", "duckdb", "spacy", "underthesea"):
        try:
            versions[mod] = getattr(__import__(mod), "__version__", "?")
        except ImportError:
            versions[mod] = "missing"
    try:
        tess = subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout.split("\n")[
            0
        ]
    except OSError:
        tess = "missing"
    versions["tesseract"] = tess.replace("tesseract ", "")
    return {
        "cpu": cpu, "cores": cores, "memory_gib": round(psutil.virtual_memory().total / GIB, 1),
        "os": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
        "versions": versions, "load_before": [round(x, 2) for x in os.getloadavg()],
    }  # fmt: skip


def _fmt(value: Any, digits: int = 1) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def table(r: dict[str, Any]) -> str:
    """The one table: throughput next to the floors, workers, scale, analyze (Markdown).

    `wall s` is elapsed time, `CPU s` the CPU time of the whole process tree; the ratios are
    pipeline/floor on the same files with the same number of processes.
    """
    head = ["measure", "load", "docs", "pages", "wall s", "CPU s", "docs/s", "pages/s", "peak RSS MiB",
            "peak PSS MiB", "bare floor (same files, same processes)", "floor wall s", "floor CPU s",
            "floor pages/s", "pipeline/floor wall", "pipeline/floor CPU"]  # fmt: skip
    rows: list[list[str]] = []
    w = r["workers"]
    blank = [""] * 10

    def lead(label: str, t: dict[str, Any]) -> list[str]:
        return [label, _fmt(t.get("load"), 2), _fmt(t["docs"]), _fmt(t["pages"]), _fmt(t["seconds"]),
                _fmt(t["cpu_seconds"]), _fmt(t["docs_per_s"]), _fmt(t["pages_per_s"]), _fmt(t["peak_rss_mb"], 0),
                _fmt(t.get("peak_pss_mb"), 0)]  # fmt: skip

    names = {"text_pdf": f"text PDF, workers {w}", "docx": f".docx, workers {w}",
             "scanned_pdf": f"scanned PDF, workers {w}",
             "scanned_pdf_workers_1": f"scanned PDF, workers 1, {ONE_CORE_LABEL}"}  # fmt: skip
    for kind, label in names.items():
        t = r["throughput"].get(kind)
        if not t:
            continue
        for k, f in enumerate(t["floors"]):
            cpu_ratio = f"{f['cpu_ratio']:.2f}×" if f.get("cpu_ratio") is not None else ""
            rows.append((lead(label, t) if k == 0 else blank)
                        + [f["tool"], _fmt(f["seconds"]), _fmt(f["cpu_seconds"]), _fmt(f["pages_per_s"]),
                           f"{f['ratio']:.2f}×", cpu_ratio])  # fmt: skip
    st = r["startup"]
    rows.append([f"start-up: `ketluan run` on one {st['pages']}-page text PDF (median of {st['repeats']})",
                 _fmt(st["load"], 2), "1", _fmt(st["pages"]), _fmt(st["seconds"], 2), _fmt(st["cpu_seconds"]), "",
                 "", "", _fmt(st["peak_pss_mb"], 0), st["floor"]["tool"], _fmt(st["floor"]["seconds"], 2), "", "",
                 f"{st['ratio']:.2f}×", ""])  # fmt: skip
    for key, t in r["workers_compare"].items():
        f = t.get("floor")
        if f:  # whole processes on both sides: interpreter, imports and models included
            rows.append(lead(f"text PDF, {key} (whole process)", {**t, "seconds": t["process_wall"]})
                        + [f["tool"], _fmt(f["wall"]), _fmt(f["cpu_seconds"]), "", f"{f['ratio']:.2f}×", ""])  # fmt: skip
        else:
            note = f"{t['speedup']:.2f}× the docs/s of workers 1" if "speedup" in t else ""
            rows.append(lead(f"text PDF, {key}", t) + [note, "", "", "", "", ""])
    for s in r["scale"]["runs"]:
        rows.append(lead(f"scale: {s['docs']:,} .txt, workers {w}", s)
                    + [f"{s['ms_per_doc']:.1f} ms/doc wall, {s['cpu_ms_per_doc']:.1f} ms/doc CPU", "", "", "", "", ""])  # fmt: skip
    sc = r["scale"]
    rows.append(["scale: marginal cost per document", *blank[1:],
                 "wall " + " → ".join(f"{m:.1f}" for m in sc["marginal_ms_per_doc"]) + " ms; CPU "
                 + " → ".join(f"{m:.1f}" for m in sc["marginal_cpu_ms_per_doc"]) + " ms", "", "", "", "", ""])  # fmt: skip
    arc = r.get("archive")
    if arc:
        st_ = arc["status"]
        rows.append(lead(f"archive: {arc['files']:,} mixed files, workers {w}", arc)
                    + [f"{st_['ok']} ok · {st_['partial']} partial · {st_['error']} error (broken files)",
                       "", "", "", "", ""])  # fmt: skip
    a = r["analyze"]
    rows.append([f"analyze {a['items']:,} items", _fmt(a.get("load"), 2), _fmt(a["docs"]), "", _fmt(a["seconds"]),
                 _fmt(a["cpu_seconds"]), "", "", _fmt(a["peak_rss_mb"], 0), _fmt(a.get("peak_pss_mb"), 0),
                 f"{a['clusters']:,} recurring clusters", "", "", "", "", ""])  # fmt: skip
    widths = [max(len(x) for x in col) for col in zip(head, *rows, strict=True)]
    lines = ["| " + " | ".join(h.ljust(wd) for h, wd in zip(head, widths, strict=True)) + " |",
             "|" + "|".join("-" * (wd + 2) for wd in widths) + "|"]  # fmt: skip
    for row in rows:
        lines.append("| " + " | ".join(c.ljust(wd) for c, wd in zip(row, widths, strict=True)) + " |")
    return "\n".join(lines)


def measure_ray(inputs: list[Path], workers: tuple[int, ...] = RAY_WORKERS) -> dict[str, Any]:
    """`ray_engine.bench_ray` on the inputs: rows keyed "engine workers", or why it was skipped."""
    try:
        import ray  # noqa: F401
    except ImportError:
        return {"skipped": "ray is not installed (pip install 'ketluan[ray]')"}
    from ketluan.engine.ray import bench_ray

    rows = bench_ray(inputs, workers=workers)
    ray_one = next((r for r in rows if r["engine"] == "ray" and r["workers"] == 1), {})
    return {"rows": {f"{r['engine']} {r['workers']}": r for r in rows},
            "overhead_per_document": ray_one.get("overhead_per_document", 0.0)}  # fmt: skip


def ray_table(ray: dict[str, Any]) -> str:
    """The Ray engine next to the local engine and the in-process floor (Markdown), or why not."""
    if "rows" not in ray:
        return f"Ray engine: not measured, {ray.get('skipped', 'no inputs')}."
    head = ["engine", "workers", "docs", "pages", "OCR pages", "wall s (cold)", "warm s", "docs/s",
            "s/page", "cluster start s", "Ray overhead s/doc"]  # fmt: skip
    rows = [[r["engine"], _fmt(r["workers"]), _fmt(r["documents"]), _fmt(r["pages"]), _fmt(r["ocr_pages"]),
             _fmt(r["seconds"], 2), _fmt(r["warm_seconds"], 2) if r["engine"] == "ray" else "",
             _fmt(r["documents_per_second"], 2), _fmt(r["seconds_per_page"], 3),
             _fmt(r["start_seconds"], 2) if r["engine"] == "ray" else "",
             _fmt(r["overhead_per_document"], 3) if r["engine"] == "ray" and r["workers"] == 1 else ""]
            for r in ray["rows"].values()]  # fmt: skip
    widths = [max(len(x) for x in col) for col in zip(head, *rows, strict=True)]
    lines = ["| " + " | ".join(h.ljust(wd) for h, wd in zip(head, widths, strict=True)) + " |",
             "|" + "|".join("-" * (wd + 2) for wd in widths) + "|"]  # fmt: skip
    for row in rows:
        lines.append("| " + " | ".join(c.ljust(wd) for c, wd in zip(row, widths, strict=True)) + " |")
    return "\n".join(lines) + (
        "\n\ndocs/s and s/page are warm for Ray (workers started, models loaded: a long run's steady "
        "state); Ray overhead = (warm Ray at 1 worker - in-process) / documents."
    )


def _memory_mb(t: dict[str, Any]) -> float:
    """The memory a run used: the tree's peak PSS (shared pages once), else its RSS sum."""
    return float(t.get("peak_pss_mb") or t["peak_rss_mb"])


def _memory_check(t: dict[str, Any], note: str) -> dict[str, Any]:
    used = _memory_mb(t)
    return {"value": used, "limit": MAX_RSS / MIB, "pass": used * MIB < MAX_RSS, "load": t.get("load"),
            "note": f"peak PSS of the process tree; RSS summed per process {t['peak_rss_mb']:.0f} MiB"
                    + (f"; {note}" if note else "")}  # fmt: skip


def acceptance(r: dict[str, Any], quick: bool) -> dict[str, dict[str, Any]]:
    """The acceptance criteria of issues 7 and 19, each with the measured figure and the load average."""
    out: dict[str, dict[str, Any]] = {}
    pdf = r["throughput"].get("text_pdf")
    if pdf:
        plumber = next((f for f in pdf["floors"] if f["tool"].startswith("pdfplumber")), None)
        if plumber:
            out["text_pdf_within_2x_pdfplumber"] = {"value": plumber["ratio"], "limit": MAX_PDF_RATIO,
                                                    "pass": plumber["ratio"] <= MAX_PDF_RATIO, "load": pdf["load"]}  # fmt: skip
        out["text_pdf_docs_per_s"] = {"value": pdf["docs_per_s"], "limit": MIN_PDF_DOCS_PER_S,
                                      "pass": pdf["docs_per_s"] >= MIN_PDF_DOCS_PER_S, "workers": r["workers"],
                                      "load": pdf["load"],
                                      "note": f"{pdf['cpu_docs_per_s']} docs/s if the {r['workers']} cores "
                                              "were free (documents per CPU-second x cores)"}  # fmt: skip
    one = r["workers_compare"].get("workers 1", {})
    if one.get("floor"):
        f = one["floor"]
        out["text_pdf_workers_1_vs_1_pdfplumber"] = {
            "value": f["ratio"], "limit": MAX_PDF_ONE_RATIO, "pass": f["ratio"] <= MAX_PDF_ONE_RATIO,
            "load": one["load"], "note": f"whole processes, {one['docs']} files; {f['call_ratio']:.2f}× "
                                         "counting from the call (no interpreter start, no import)",
        }  # fmt: skip
    st = r.get("startup")
    if st:
        out["startup_one_document_under_1_s"] = {
            "value": st["seconds"], "limit": MAX_STARTUP_SECONDS, "pass": st["seconds"] < MAX_STARTUP_SECONDS,
            "load": st["load"], "note": f"median of {st['repeats']} ({', '.join(map(str, st['runs']))} s); "
                                        f"bare pdfplumber {st['floor']['seconds']} s",
        }  # fmt: skip
    scan = r["throughput"].get("scanned_pdf")
    if scan and scan["floors"]:
        ratio = scan["floors"][0]["ratio"]
        out["scans_within_1.0x_tesseract"] = {"value": ratio, "limit": MAX_SCAN_RATIO, "pass": ratio <= MAX_SCAN_RATIO,
                                              "load": scan["load"]}  # fmt: skip
        out["scan_peak_memory_under_1_gib"] = _memory_check(scan, f"workers {r['workers']}")
    out.update(_scan_one_check(r))
    runs = r["scale"]["runs"]
    big = runs[-1]
    out["peak_rss_under_1_gib"] = _memory_check(big, f"{big['docs']:,} documents"
                                                + ("; quick run: not the 5,000-document figure" if quick else ""))  # fmt: skip
    arc = r.get("archive")
    if arc:
        out["archive_peak_rss_under_1_gib"] = _memory_check(
            arc, f"{arc['docs']:,} documents rows ({arc['status']}) from a mixed archive"
            + ("; quick run: not the 2,000-file figure" if quick else ""))  # fmt: skip
    drift = r["scale"]["drift"]
    out["time_linear"] = {"value": drift, "limit": MAX_LINEAR_DRIFT, "pass": drift <= MAX_LINEAR_DRIFT}
    return out


def _scan_one_check(r: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Issue 19's scan criterion as written (one worker against one tesseract process, one core),
    when the run measured it."""
    one = r["throughput"].get("scanned_pdf_workers_1")
    if not one or not one["floors"]:
        return {}
    f = one["floors"][0]
    return {"scans_workers_1_within_1.0x_tesseract": {
        "value": f["ratio"], "limit": MAX_SCAN_RATIO, "pass": f["ratio"] <= MAX_SCAN_RATIO, "load": one["load"],
        "note": f"workers 1 and one tesseract process, both on CPU {one['cpus'][0]}; CPU {f['cpu_ratio']}×",
    }}  # fmt: skip


def flatten(d: Any, prefix: str = "") -> dict[str, float]:
    """Numeric leaves of a nested dict/list as "a.b.c" -> value."""
    out: dict[str, float] = {}
    if isinstance(d, dict):
        for k, v in d.items():
            out.update(flatten(v, f"{prefix}{k}."))
    elif isinstance(d, list):
        for i, v in enumerate(d):
            key = str(v.get("docs", v.get("tool", i))) if isinstance(v, dict) else str(i)
            out.update(flatten(v, f"{prefix}{key}."))
    elif isinstance(d, int | float) and not isinstance(d, bool):
        out[prefix.rstrip(".")] = float(d)
    return out


KEY_FIGURES = ("docs_per_s", "pages_per_s", "ratio", "peak_rss_mb", "peak_pss_mb", "ms_per_doc", "drift",
               "documents_per_second", "overhead_per_document")  # fmt: skip


def delta(previous: dict[str, Any], latest: dict[str, Any]) -> list[str]:
    """Lines "figure: before → now (+x%)" for the key figures both runs have."""
    a, b = flatten(previous), flatten(latest)
    lines = []
    for key in b:
        if key in a and key.rsplit(".", 1)[-1] in KEY_FIGURES and not key.startswith("machine"):
            before, now = a[key], b[key]
            change = f"{(now - before) / before * 100:+.0f}%" if before else "new"
            lines.append(f"  {key}: {before:g} → {now:g} ({change})")
    return lines


def readme_section(r: dict[str, Any], tbl: str, checks: dict[str, dict[str, Any]]) -> str:
    """The section the project README shows: machine, table, acceptance."""
    m = r["machine"]
    ok = ", ".join(f"{k} {'✓' if v['pass'] else '✗'} ({v['value']})" for k, v in checks.items())
    return (
        "## Speed and memory (`make bench`)\n\n"
        f"Measured {r['when'][:16].replace('T', ' ')} UTC on {m['cpu']}, {m['cores']} cores, "
        f"{m['memory_gib']} GiB RAM, {m['os']}, Python {m['python']} (load average before the run "
        f"{m['load_before'][0]}, after {r['load_after'][0]}){' — quick run' if r['quick'] else ''}. "
        "Every figure is the full pipeline (`ketluan.run` into a fresh folder: all stages, CSV, "
        "Parquet, JSONL, XLSX, DuckDB) in one process tree, next to the bare tools on the same files "
        "with the same number of processes; `load` is the load average when the figure's run started. "
        "Peak RSS sums each process's resident memory (pages the forked workers share with the run "
        "count once per process); peak PSS counts every page once over the process tree: the "
        "memory the run takes from the machine, and the figure the memory limits read.\n\n"
        f"{tbl}\n\nAcceptance (issues 7 and 19): {ok}.\n\n"
        f"Ray engine (`ketluan run --engine ray`, a local cluster on the same machine):\n\n{ray_table(r.get('ray', {}))}\n\n"
        "Re-run with `make bench` (about 18 minutes) or `python -m tools.bench --quick` (under 3); "
        "figures are in `data/bench/latest.json`.\n"
    )


def scans_only(
    scans_: list[Path], work: Path, workers: int, a: argparse.Namespace, info: dict[str, Any],
    log: Callable[[str], None],
) -> int:  # fmt: skip
    """`--scans-only`: the scanned rows alone (pipeline against bare tesseract, peak memory at
    `workers`), printed with their acceptance checks and written to scans.json beside --json;
    `--scans-one`: only the one-core row (workers 1 against one CLI process), to scans_one.json."""
    if not shutil.which("tesseract"):
        print("tesseract is not installed", file=sys.stderr)
        return 1
    one_only = bool(getattr(a, "scans_one", False))
    t = None if one_only else measure_scans(scans_, work, workers, log)
    one = measure_scans_one(scans_, work, log)
    rows = {"scanned_pdf_workers_1": one} if t is None else {"scanned_pdf": t, "scanned_pdf_workers_1": one}
    r = {"when": datetime.now(timezone.utc).isoformat(timespec="seconds"), "quick": a.quick, "workers": workers,
         "machine": info, "throughput": rows}  # fmt: skip
    labelled = (
        [(f"workers 1, {ONE_CORE_LABEL}", one)]
        if t is None
        else [(f"workers {workers}", t), (f"workers 1, {ONE_CORE_LABEL}", one)]
    )
    for label, row in labelled:
        for f in row["floors"]:
            print(f"scanned PDF, {label}: {row['docs']} docs, {row['pages']} pages, {row['seconds']:.1f} s wall, "
                  f"{row['cpu_seconds']:.1f} s CPU ({1000 * row['cpu_seconds'] / max(row['pages'], 1):.0f} ms "
                  f"CPU/page), peak PSS {_memory_mb(row):.0f} MiB, load {row['load']}\n  vs {f['tool']}: "
                  f"{f['seconds']:.1f} s wall, {f['cpu_seconds']:.1f} s CPU → {f['ratio']:.2f}× wall, "
                  f"{f['cpu_ratio']}× CPU")  # fmt: skip
    checks = dict(_scan_one_check(r))
    if t is not None:
        ratio = t["floors"][0]["ratio"]
        checks = {"scans_within_1.0x_tesseract": {"value": ratio, "pass": ratio <= MAX_SCAN_RATIO}, **checks,
                  "scan_peak_memory_under_1_gib": _memory_check(t, f"workers {workers}")}  # fmt: skip
    r["acceptance"] = checks
    for name, c in checks.items():
        print(f"{'PASS' if c['pass'] else 'FAIL'}  {name}: {c['value']}")
    target = a.json.with_name("scans_one.json" if one_only else "scans.json")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(r, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nfigures → {target}")
    return 0


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    """Build the corpus, measure everything, print the table, write the JSON."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes (scale 50/200/500); under 3 minutes")
    ap.add_argument("--workers", type=int, default=0, help="worker processes (default: the cores, 2 on CI)")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "ketluan-bench",
                    help="scratch folder for the generated corpus and outputs (emptied first)")  # fmt: skip
    ap.add_argument("--json", type=Path, default=BENCH_DIR / "latest.json", help="where to write the figures")
    ap.add_argument("--scans-only", action="store_true",
                    help="only the scanned PDFs against bare tesseract (ratio, peak memory); figures go to "
                         "scans.json beside --json")  # fmt: skip
    ap.add_argument("--scans-one", action="store_true",
                    help="only issue 19's one-core row: the scans with workers 1 against one tesseract CLI "
                         "process, both pinned to one CPU; figures go to scans_one.json beside --json")  # fmt: skip
    ap.add_argument("--ray-only", action="store_true",
                    help="only the Ray section (text PDFs and scans); figures go to ray.json beside --json")  # fmt: skip
    a = ap.parse_args(argv)

    texts_dir = find_corpus()
    if texts_dir is None:
        print("corpus not found: expected ../shared/corpus/dev/text beside the repository", file=sys.stderr)
        return 1
    texts = sorted(texts_dir.glob("*.txt"))
    sizes = QUICK if a.quick else FULL
    info = machine()
    workers = a.workers or min(info["cores"], 2) or 1
    work: Path = a.work
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    started = time.perf_counter()
    log = lambda msg: print(f"[{time.perf_counter() - started:6.0f} s] {msg}", file=sys.stderr, flush=True)  # noqa: E731

    a.scans_only = a.scans_only or a.scans_one
    if a.scans_only:  # the text PDFs the scans are made from, nothing else
        sizes = Sizes(pdf=sizes.scans, docx=0, scans=sizes.scans, scale=(0,), archive=0)
    if a.ray_only:  # no docx and no txt archives to render: just what the Ray section reads
        sizes = Sizes(
            pdf=sizes.ray_pdf, docx=0, scans=sizes.scans, scale=(0,), archive=0, ray_pdf=sizes.ray_pdf
        )
    log(f"generating the corpus in {work} ({len(texts)} source texts)")
    corpus = build_corpus(work, texts, sizes, workers)
    ray_inputs = corpus["pdf"][: sizes.ray_pdf] + corpus["scan"][:RAY_SCANS]
    if a.ray_only:
        log(f"ray: {len(ray_inputs)} documents, workers {', '.join(map(str, RAY_WORKERS))}")
        ray = measure_ray(ray_inputs)
        print(ray_table(ray))
        target = a.json.with_name("ray.json")
        target.parent.mkdir(parents=True, exist_ok=True)
        ray.update(when=datetime.now(timezone.utc).isoformat(timespec="seconds"), quick=a.quick, machine=info)
        target.write_text(json.dumps(ray, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"\nfigures → {target}")
        return 0
    if a.scans_only:
        return scans_only(corpus["scan"], work, workers, a, info, log)
    results: dict[str, Any] = {
        "version": 1, "when": datetime.now(timezone.utc).isoformat(timespec="seconds"), "quick": a.quick,
        "workers": workers, "machine": info, "throughput": {}, "workers_compare": {},
    }  # fmt: skip

    # start-up: `ketluan run one.pdf` (interpreter, imports, models, store, every export), median of 5
    one_pdf = two_page_pdf(corpus["pdf"])
    log(f"start-up: ketluan run {one_pdf.name}, {STARTUP_REPEATS} times")
    results["startup"] = startup(one_pdf, work, STARTUP_REPEATS)

    # text PDFs: pipeline, then the floors on the same files
    pdfs = corpus["pdf"]
    log(f"text PDFs: pipeline on {len(pdfs)} documents, workers {workers}")
    run = run_pipeline(pdfs, work / "out" / "pdf", work, workers)
    t = throughput(run, len(pdfs), workers)
    floors = []
    log("text PDFs: bare pdfplumber extract_words")
    floors.append(floor('pdfplumber extract_words(extra_attrs=["fontname","size"])',
                        timed_pool(_plumber_words, pdfs, workers), len(pdfs), t["pages"], run))  # fmt: skip
    if shutil.which("pdftotext"):
        log("text PDFs: bare pdftotext")
        cmds = [["pdftotext", "-q", str(p), "-"] for p in pdfs]
        floors.append(floor("pdftotext", timed_commands(cmds, workers), len(pdfs), t["pages"], run))
    t["floors"] = floors
    results["throughput"]["text_pdf"] = t

    # workers 1 vs N on the same PDFs; workers 1 against one pdfplumber process, both whole processes
    log("text PDFs: pipeline with workers 1")
    one = throughput(run_pipeline(pdfs, work / "out" / "pdf1", work, 1), len(pdfs), 1)
    log("text PDFs: one bare pdfplumber process")
    bare = plumber_process(pdfs, work)
    one["floor"] = {"tool": "one pdfplumber process (start-up included)", "wall": round(bare["wall"], 3),
                    "seconds": round(bare["seconds"], 3), "cpu_seconds": round(bare["cpu_seconds"], 3),
                    "load": round(bare["load"], 2), "ratio": round(one["process_wall"] / bare["wall"], 2),
                    "call_ratio": round(one["seconds"] / bare["seconds"], 2)}  # fmt: skip
    results["workers_compare"]["workers 1"] = one
    many = {k: v for k, v in t.items() if k != "floors"}
    many["speedup"] = round(t["docs_per_s"] / one["docs_per_s"], 2)
    results["workers_compare"][f"workers {workers}"] = many

    # DOCX
    docxs = corpus["docx"]
    log(f".docx: pipeline on {len(docxs)} documents")
    run = run_pipeline(docxs, work / "out" / "docx", work, workers)
    t = throughput(run, len(docxs), workers)
    log(".docx: bare python-docx")
    t["floors"] = [floor("python-docx paragraph iteration", timed_pool(_docx_paragraphs, docxs, workers),
                         len(docxs), t["pages"], run)]  # fmt: skip
    results["throughput"]["docx"] = t

    # scans
    scans_ = corpus["scan"]
    if scans_ and shutil.which("tesseract"):
        results["throughput"]["scanned_pdf"] = measure_scans(scans_, work, workers, log)
        results["throughput"]["scanned_pdf_workers_1"] = measure_scans_one(scans_, work, log)

    # scale
    scale_runs = []
    for n in sizes.scale:
        log(f"scale: {n} txt documents")
        run = run_pipeline(corpus["txt"][:n], work / "out" / f"scale{n}", work, workers)
        s = throughput(run, n, workers)
        s["ms_per_doc"] = round(run["seconds"] / n * 1000, 2)
        s["cpu_ms_per_doc"] = round(run["cpu_seconds"] / n * 1000, 2)
        scale_runs.append(s)
    results["scale"] = scale_summary(scale_runs)

    # issue 6: a mixed archive (text PDFs, DOCX, TXT, ~3% broken files, ~10% copies under other
    # names, part of it zipped), one run, peak RSS of the whole process tree
    from tools import make_bad_inputs

    log(f"archive: generating {sizes.archive} mixed files")
    make_bad_inputs.make_archive(work / "archive", sizes.archive)
    log(f"archive: pipeline on {sizes.archive} files, workers {workers}")
    run = run_pipeline([work / "archive"], work / "out" / "archive", work, workers)
    t = throughput(run, run["total"], workers)
    t["files"] = sizes.archive
    results["archive"] = t

    # analyze on exactly 10,000 items
    log(f"analyze: {ANALYZE_ITEMS} items")
    db_dir = work / "out" / "analyze"
    n_items, n_docs = analyze_db(work / "out" / f"scale{sizes.scale[-1]}" / "ketluan.duckdb", db_dir)
    res = in_child({"what": "analyze", "db": str(db_dir / "ketluan.duckdb"), "out": str(db_dir)}, work)
    results["analyze"] = {"items": n_items, "docs": n_docs, "seconds": round(res["seconds"], 3),
                          "cpu_seconds": round(res["cpu_seconds"], 3), "peak_rss_mb": res["peak_rss_mb"],
                          "peak_pss_mb": res["peak_pss_mb"], "load": res["load"],
                          "clusters": res["clusters"]}  # fmt: skip

    # the Ray engine next to the local one (a local cluster of 1 and 2 CPUs)
    log(f"ray: {len(ray_inputs)} documents, workers {', '.join(map(str, RAY_WORKERS))}")
    results["ray"] = measure_ray(ray_inputs)

    results["load_after"] = [round(x, 2) for x in os.getloadavg()]
    results["bench_seconds"] = round(time.perf_counter() - started, 1)
    checks = acceptance(results, a.quick)
    results["acceptance"] = checks
    tbl = table(results)

    print(tbl)
    print()
    print(ray_table(results["ray"]))
    print()
    for name, c in checks.items():
        print(
            f"{'PASS' if c['pass'] else 'FAIL'}  {name}: {c['value']} (limit {c['limit']}"
            f"{', load ' + str(c['load']) if c.get('load') is not None else ''}){' — ' + c['note'] if c.get('note') else ''}"
        )
    m = info
    print(f"\n{m['cpu']} · {m['cores']} cores · {m['memory_gib']} GiB · load {m['load_before'][0]} → "
          f"{results['load_after'][0]} · bench {results['bench_seconds']:.0f} s")  # fmt: skip

    target: Path = a.json
    target.parent.mkdir(parents=True, exist_ok=True)
    previous_path = target.with_name("previous.json")
    if target.exists():
        shutil.copyfile(target, previous_path)
        previous = json.loads(target.read_text(encoding="utf-8"))
        print(f"\nchange against the previous run ({previous.get('when', '?')}"
              f"{', quick' if previous.get('quick') else ''}):")  # fmt: skip
        print("\n".join(delta(previous, results)) or "  (no common figures)")
    target.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (target.parent / "README.md").write_text(readme_section(results, tbl, checks), encoding="utf-8")
    print(f"\nfigures → {target}; README section → {target.parent / 'README.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
