"""Command line: a thin typer shim over the library API (run, analyze, export, eval).

Parses options, calls `ketluan.api`, shows progress (a bar on a terminal, one line per file in a
log) and prints one summary line on stdout (or JSON with --json), then the outputs and the next
command on stderr. Bad documents are not usage errors: they are rows with status `error`, and
the exit code is 0. Every other problem is one line on stderr with a documented exit code
(`errors.EXIT_*`: 1 a wrong value, 2 a command line not understood, 3 the output folder or
database, 4 an output file not written, 130 Ctrl-C).
"""

from __future__ import annotations

import errno
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

try:  # typer >= 0.25 carries its own copy of click
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover - older typer runs on click itself
    from click import exceptions as click_errors  # type: ignore[no-redef]

from . import api
from .config import (
    DEFAULT_CLUSTER_THRESHOLD,
    DEFAULT_MAX_MEMORY_MB,
    DEFAULT_MAX_PAGES,
    DEFAULT_TEXTCAT_THRESHOLD,
    DEFAULT_TIMEOUT,
    Settings,
    SettingsError,
    cpu_count,
)
from .errors import (
    EXIT_COMMAND_LINE,
    EXIT_EXPORT,
    EXIT_INTERRUPTED,
    EXIT_OUTPUT,
    EXIT_USAGE,
    DocumentError,
    UsageError,
)
from .evaluate import format_report, score
from .records import Document
from .remote import is_url


class OneLineErrors(TyperGroup):
    """The command group, with click's usage errors as one line on stderr (exit code 2), not a box."""

    def main(  # type: ignore[override]
        self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
        standalone_mode: bool = True, **extra: Any,
    ) -> Any:  # fmt: skip
        if not standalone_mode:
            return super().main(args=args, prog_name=prog_name, complete_var=complete_var,
                                standalone_mode=False, **extra)  # fmt: skip
        try:
            code = super().main(args=args, prog_name=prog_name, complete_var=complete_var,
                                standalone_mode=False, **extra)  # fmt: skip
        except click_errors.NoArgsIsHelpError as e:  # `ketluan` alone: the help, as usual
            e.show()
            sys.exit(e.exit_code)
        except click_errors.ClickException as e:
            typer.echo(f"Error: {' '.join(e.format_message().split())}", err=True)
            sys.exit(EXIT_COMMAND_LINE if isinstance(e, click_errors.UsageError) else EXIT_USAGE)
        except typer.Abort:
            typer.echo("Aborted.", err=True)
            sys.exit(EXIT_INTERRUPTED)
        sys.exit(code if isinstance(code, int) else 0)


app = typer.Typer(
    cls=OneLineErrors,
    add_completion=False,
    no_args_is_help=True,
    help="ketluan: Vietnamese meeting conclusions (Kết luận, Thông báo kết luận) to tables.",
)

OutOpt = Annotated[Path, typer.Option("--out", "-o", help="Output folder for the tables.")]


def version_text() -> str:
    """ "ketluan 0.1.0": the installed package's version."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"ketluan {version('ketluan')}"
    except PackageNotFoundError:
        return "ketluan (version unknown: not installed)"


def _show_version(value: bool) -> None:
    if value:
        typer.echo(version_text())
        raise typer.Exit()


@app.callback()
def _main_options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """ketluan: Vietnamese meeting conclusions (Kết luận, Thông báo kết luận) to tables."""


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """A usage error: one clean line on stderr, exit code 1 (or `code`)."""
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code)


def _node_lines(nodes: dict[str, dict[str, float]], seconds: float) -> list[str]:
    """Per-node throughput of a Ray run, one line per node, then the cluster's total.

    Examples:
        >>> _node_lines({"10.0.0.5 1f3a9c2e": {"documents": 40, "pages": 80, "ocr_pages": 0,
        ...                                    "busy_seconds": 19.5, "documents_per_second": 2.0}}, 20.0)[0]
        'node 10.0.0.5 1f3a9c2e: 40 documents, 80 pages, 0 OCR pages, 2.00 docs/s, busy 19.5 s'
    """
    lines = [
        f"node {node}: {int(n['documents'])} documents, {int(n['pages'])} pages, "
        f"{int(n['ocr_pages'])} OCR pages, {n['documents_per_second']:.2f} docs/s, busy {n['busy_seconds']:.1f} s"
        for node, n in nodes.items()
    ]
    docs = sum(int(n["documents"]) for n in nodes.values())
    lines.append(f"ray: {len(nodes)} node{'s' if len(nodes) != 1 else ''}, {docs} documents "
                 f"in {seconds:.1f} s ({docs / max(seconds, 1e-9):.2f} docs/s)")  # fmt: skip
    return lines


class Progress:
    """Progress on stderr: a tqdm bar on a terminal, one line per file otherwise (a log keeps each).

    `level` 0 is --quiet (nothing), 1 the default, 2 --verbose (a line per file on a terminal too,
    with the error of a failed file). No bar is drawn when nothing is left to do (a resumed run).
    """

    def __init__(self, level: int) -> None:
        self.level = level
        self.total = 0
        self.done = 0
        self.pages = 0
        self.bar: Any = None
        self.lines = level >= 2 or not sys.stderr.isatty()

    def start(self, total: int) -> None:
        self.total = total
        if self.level and total and not self.lines:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="file", file=sys.stderr, dynamic_ncols=True, smoothing=0.1,
                            bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} files "
                            "[{elapsed}<{remaining}, {rate_fmt}{postfix}]")  # fmt: skip

    def update(self, doc: Document) -> None:
        self.done += 1
        self.pages += doc.pages
        name = Path(doc.source_path).name
        if self.bar is not None:
            self.bar.set_postfix_str(f"{self.pages} pages, {doc.status}: {name[:40]}", refresh=False)
            self.bar.update(1)
        elif self.level and self.total:
            line = f"{self.done}/{self.total} files · {self.pages} pages · {doc.status}: {doc.source_path}"
            if self.level >= 2 and doc.error:
                line += f" ({' '.join(str(doc.error).split())})"
            typer.echo(line, err=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


# CLI options named differently from the Settings field they set
OPTION_FLAGS = {"max_memory_mb": "--max-memory", "textcat_threshold": "--threshold", "textcat": "--no-model",
                "ocr": "--no-ocr", "workers": "--workers", "timeout": "--timeout", "max_pages": "--max-pages",
                "engine": "--engine", "address": "--address", "force": "--force", "strict": "--strict"}  # fmt: skip


def _flag(name: str) -> str:
    """The option that sets a Settings field ("workers" -> "--workers"), else its env variable.

    Examples:
        >>> _flag("max_memory_mb"), _flag("max_file_mb")
        ('--max-memory', 'KETLUAN_MAX_FILE_MB')
    """
    return OPTION_FLAGS.get(name, f"KETLUAN_{name.upper()}")


def _os_problem(e: OSError) -> str:
    """One line for an OS error writing the outputs (a full disk, a read-only folder)."""
    if e.errno == errno.ENOSPC:
        return f"no space left on device ({e.filename or 'the output folder'}); free some space and run the same command again"
    if e.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return f"cannot write {e.filename or 'the output folder'}: {e.strerror}; choose another --out or make it writable"
    return f"{e.strerror or e}: {e.filename or ''}".rstrip(": ")


@contextmanager
def usage_errors(progress: Progress | None = None) -> Iterator[None]:
    """Known errors as one line on stderr and their exit code; Ctrl-C as exit code 130.

    A bad setting names the option ("--workers must be at least 1 (got 0)"); a strict-mode
    DocumentError names the file; store, Ray and database errors say what to do (exit code 3 for
    the output folder and its database); a full disk or a read-only folder is named as such.
    """
    try:
        yield
    except SettingsError as e:
        _close(progress)
        fail(e.render(_flag))
    except UsageError as e:  # StoreError, RayEngineError, MissingDatabase: whatever a library said, one line
        _close(progress)
        fail(" ".join(str(e).split()), e.exit_code)
    except DocumentError as e:  # --strict: the first bad file stops the run
        _close(progress)
        fail(f"{e.path}: {e}" if e.path else str(e))
    except OSError as e:  # writing the outputs: a full disk, a read-only folder
        if e.errno not in (errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM):
            raise
        _close(progress)
        fail(_os_problem(e), EXIT_OUTPUT)
    except KeyboardInterrupt:
        _close(progress)
        typer.echo("Interrupted: the documents finished so far are saved; run the same command again to resume.",
                   err=True)  # fmt: skip
        raise typer.Exit(EXIT_INTERRUPTED) from None
    finally:
        _close(progress)


def _close(progress: Progress | None) -> None:
    if progress is not None:
        progress.close()


def _check_paths(inputs: list[str], out: Path) -> None:
    """Usage errors about paths: an input that does not exist, an output folder that is a file."""
    missing = [p for p in inputs if not is_url(p) and not Path(p).exists() and not Path(p).is_symlink()]
    if missing:
        fail(f"input not found: {', '.join(missing)}")
    if out.exists() and not out.is_dir():
        fail(f"--out must be a folder, but {out} is a file")


def _export_failed(failed: dict[str, str], out: Path) -> str:
    """The one line saying which output files were not written and how to write them again."""
    names = "; ".join(f"{name} ({reason})" for name, reason in failed.items())
    return (f"not written: {names}; the database and the other files are; fix the cause, then run "
            f"'ketluan export --out {out}'")  # fmt: skip


@app.command()
def run(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Files, folders, .zip archives or URLs (s3://, gs://, file://).", show_default=False
        ),
    ],
    out: OutOpt = Path("out"),
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            "-w",
            show_default=False,
            help=f"Worker processes [default: the number of cores, {cpu_count()} here; "
            "never more than the cores or the files].",
        ),
    ] = None,  # fmt: skip
    timeout: Annotated[
        float, typer.Option(help="Seconds allowed per document before it is stopped.")
    ] = DEFAULT_TIMEOUT,
    max_memory: Annotated[
        int, typer.Option("--max-memory", help="MB of memory allowed per worker (0: no limit).")
    ] = DEFAULT_MAX_MEMORY_MB,
    max_pages: Annotated[
        int, typer.Option("--max-pages", help="Longer PDFs are reported, not read.")
    ] = DEFAULT_MAX_PAGES,
    force: Annotated[
        bool, typer.Option("--force", help="Re-process files already in the database; rebuild a damaged one.")
    ] = False,
    no_ocr: Annotated[bool, typer.Option("--no-ocr", help="Do not OCR pages without a text layer.")] = False,
    no_model: Annotated[bool, typer.Option("--no-model", help="Rules only, no trained classifier.")] = False,
    threshold: Annotated[
        float, typer.Option(help="Minimum classifier confidence to use its label.")
    ] = DEFAULT_TEXTCAT_THRESHOLD,
    strict: Annotated[
        bool, typer.Option("--strict", help="Stop at the first bad file and show the error.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Nothing on stderr but errors (no progress, no hints).")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="One line per file, with the reason of each failure.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the run summary as JSON on stdout.")] = False,
    engine: Annotated[
        str, typer.Option(metavar="[local|ray]", help="Worker processes here, or tasks on a Ray cluster.")
    ] = "local",
    address: Annotated[
        str,
        typer.Option(help='Ray cluster: "" starts one here with --workers CPUs; "auto"; "ray://HEAD:10001".'),
    ] = "",
) -> None:
    """Process INPUTS into documents/sections/items tables (CSV, Parquet, JSONL, XLSX, DuckDB) in OUT.

    Resumable: after an interruption, run the same command again; only new or changed files are processed.
    """
    _check_paths(inputs, out)
    progress = Progress(0 if quiet else 2 if verbose else 1)
    with usage_errors(progress):
        overrides: dict[str, Any] = {
            "timeout": timeout, "force": force, "ocr": not no_ocr, "textcat": not no_model,
            "textcat_threshold": threshold, "strict": strict, "max_memory_mb": max_memory,
            "max_pages": max_pages, "engine": engine, "address": address,
        }  # fmt: skip
        if workers is not None:
            overrides["workers"] = workers
        elif "KETLUAN_WORKERS" not in os.environ:
            overrides["workers"] = cpu_count()
        settings = Settings.resolve(overrides)
        summary = api.run(inputs, out, settings, on_document=progress.update, on_total=progress.start)
    if summary.engine == "ray" and summary.nodes and not quiet:
        for line in _node_lines(summary.nodes, summary.ray.seconds if summary.ray else summary.seconds):
            typer.echo(line, err=True)
    typer.echo(json.dumps(summary.as_dict(), ensure_ascii=False) if as_json else summary.line())
    if summary.failed:
        fail(_export_failed(summary.failed, out), EXIT_EXPORT)
    if summary.total == 0:
        skipped = f"; {summary.ignored_line}" if summary.ignored_line else ""
        typer.echo(f"Warning: no documents found in {', '.join(inputs)}{skipped}; ketluan reads .pdf, .docx, "
                   ".doc, .txt, images and .zip archives", err=True)  # fmt: skip
        raise typer.Exit(EXIT_USAGE)
    if not quiet and not as_json:
        typer.echo(summary.outputs_line(), err=True)


@app.command()
def analyze(
    db: Annotated[Path, typer.Option("--db", help="The ketluan.duckdb of a run (or its folder).")] = Path(
        "out/ketluan.duckdb"
    ),
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Folder for the analysis (default: beside the db).")
    ] = None,
    threshold: Annotated[
        float,
        typer.Option(
            help="How alike two limitations must be to be grouped (0 to 1): with the pair model of models/recurrence, its probability (the default stands for the model's own bar)."
        ),
    ] = DEFAULT_CLUSTER_THRESHOLD,
    across_issuers: Annotated[
        bool, typer.Option("--across-issuers", help="Group limitations of different issuers too.")
    ] = False,
    lang: Annotated[
        str, typer.Option("--lang", help="Report labels: vi (Vietnamese) or en (English).")
    ] = "vi",
    issuer: Annotated[
        str | None,
        typer.Option("--issuer", help="Report on one issuer_id only (default: all, with a selector)."),
    ] = None,
    semantic: Annotated[
        str,
        typer.Option(
            "--semantic",
            help="Sentence model in the similarity: auto (if installed and at most 2,000 new texts), on, off.",
        ),
    ] = "auto",
) -> None:
    """Recurring limitations, task follow-ups and report.html from a run's database.

    The analysis tables also go into the database and, as sheets, into ketluan.xlsx beside it.
    """
    if not 0.0 < threshold <= 1.0:  # nan fails both comparisons
        fail(f"--threshold must be between 0 and 1 (got {threshold:g})")
    if out is not None and out.exists() and not out.is_dir():
        fail(f"--out must be a folder, but {out} is a file")
    if lang not in ("vi", "en"):
        fail(f"--lang must be vi or en (got {lang})")
    if semantic not in ("auto", "on", "off"):
        fail(f"--semantic must be auto, on or off (got {semantic})")
    target = out if out is not None else (db if db.is_dir() else db.parent)
    with usage_errors():
        tables = api.analyze(
            db, target, threshold=threshold, across_issuers=across_issuers, lang=lang, issuer=issuer,
            semantic=semantic,
        )  # fmt: skip
    recurring = tables.get("recurrence")
    n = len(recurring) if recurring is not None else 0
    typer.echo(f"{n} limitation clusters → {target / 'recurrence.csv'}, {target / 'report.html'}")


@app.command()
def export(
    out: OutOpt = Path("out"),
    no_xlsx: Annotated[bool, typer.Option("--no-xlsx", help="Skip the workbook (the slowest file).")] = False,
) -> None:
    """Write OUT's tables again (CSV, Parquet, JSONL, XLSX) from its ketluan.duckdb."""
    if out.exists() and not out.is_dir():
        fail(f"--out must be a folder, but {out} is a file")
    with usage_errors():
        written, failed = api.export_files(out, xlsx=not no_xlsx)
    typer.echo(f"{len(written)} files written → {out}")
    if failed:
        fail(_export_failed(failed, out), EXIT_EXPORT)


@app.command("eval")
def eval_(
    gold: Annotated[Path, typer.Option("--gold", help="Folder of gold/<stem>.json annotations.")],
    pred: Annotated[Path, typer.Option("--pred", help="Output folder of a run (documents.csv, items.csv).")],
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write the figures as JSON.")] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show every wrong field and per-document counts.")
    ] = False,
) -> None:
    """Score a run's tables against gold annotations (same figures as tools/score.py)."""
    if not gold.is_dir():
        fail(f"gold folder not found: {gold}")
    if not (pred / "documents.csv").exists():
        fail(f"no documents.csv in {pred}")
    report = score(pred, gold)
    typer.echo(format_report(report, verbose=verbose))
    if json_out is not None:
        json_out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `ketluan` console script.

    When the command is done, the process ends without tearing down every module (pandas,
    DuckDB, spaCy: about 0.1 s of CPU, more on a loaded machine): the exit handlers run and the
    streams are flushed first, and only when no other thread is left (else Python exits as usual).
    """
    try:
        app(args=argv)
    except SystemExit as e:
        _exit_now(e)
        raise


def _exit_now(e: SystemExit) -> None:
    """os._exit with the code `e` carries, after atexit handlers and a flush of stdout/stderr;
    returns (to exit as usual) when another thread is alive or a stream cannot be flushed."""
    import atexit
    import threading

    if threading.active_count() > 1:
        return
    code = e.code
    if code is not None and not isinstance(code, int):  # sys.exit("message"): Python prints it
        return
    try:
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:  # a closed pipe (`ketluan run … | head`): let Python report it as usual
        return
    os._exit(code or 0)
