"""Command line: a thin typer shim over the library API (run, analyze, eval).

Parses options, calls `ketluan.api`, draws the progress bar and prints one summary line (after a
Ray run, per-node throughput on stderr first). Bad documents are not usage errors: they are rows
with status `error`, and the exit code is 0.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from . import api
from .config import (
    DEFAULT_CLUSTER_THRESHOLD,
    DEFAULT_MAX_MEMORY_MB,
    DEFAULT_MAX_PAGES,
    DEFAULT_TEXTCAT_THRESHOLD,
    DEFAULT_TIMEOUT,
    Settings,
    SettingsError,
)
from .errors import DocumentError, UsageError
from .evaluate import format_report, score
from .records import Document
from .remote import is_url

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="ketluan: Vietnamese meeting conclusions (Kết luận, Thông báo kết luận) to tables.",
)

OutOpt = Annotated[Path, typer.Option("--out", "-o", help="Output folder for the tables.")]


def fail(message: str) -> NoReturn:
    """A usage error: one clean line on stderr, exit code 1."""
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(1)


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


def _progress_bar(total: int, quiet: bool) -> Any:
    """A tqdm bar on stderr: files done of total, pages read, ETA, the last file's status."""
    from tqdm import tqdm

    return tqdm(total=total, unit="file", disable=quiet, file=sys.stderr, dynamic_ncols=True,
                smoothing=0.1, bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} files "
                "[{elapsed}<{remaining}, {rate_fmt}{postfix}]")  # fmt: skip


# CLI options named differently from the Settings field they set
OPTION_FLAGS = {"max_memory_mb": "--max-memory", "textcat_threshold": "--threshold", "textcat": "--no-model",
                "ocr": "--no-ocr"}  # fmt: skip


def _flag(name: str) -> str:
    """The option that sets a Settings field: "workers" -> "--workers"."""
    return OPTION_FLAGS.get(name, "--" + name.replace("_", "-"))


@contextmanager
def usage_errors(bar: list[Any] | None = None) -> Iterator[None]:
    """Known errors as one line on stderr and exit code 1; Ctrl-C as exit code 130.

    A bad setting names the option ("--workers must be at least 1 (got 0)"); a strict-mode
    DocumentError names the file; store, Ray and missing-database errors say what to do.
    `bar` holds the progress bar to close first, if one was drawn.
    """
    try:
        yield
    except SettingsError as e:
        fail(e.render(_flag))
    except UsageError as e:  # StoreError, RayEngineError, MissingDatabase: whatever a library said, one line
        fail(" ".join(str(e).split()))
    except DocumentError as e:  # --strict: the first bad file stops the run
        fail(f"{e.path}: {e}" if e.path else str(e))
    except KeyboardInterrupt:
        for b in bar or []:
            b.close()
        typer.echo("Interrupted: the documents finished so far are saved; run the same command again to resume.",
                   err=True)  # fmt: skip
        raise typer.Exit(130) from None
    finally:
        for b in bar or []:
            b.close()


def _check_paths(inputs: list[str], out: Path) -> None:
    """Usage errors about paths: an input that does not exist, an output folder that is a file."""
    missing = [p for p in inputs if not is_url(p) and not Path(p).exists() and not Path(p).is_symlink()]
    if missing:
        fail(f"input not found: {', '.join(missing)}")
    if out.exists() and not out.is_dir():
        fail(f"--out must be a folder, but {out} is a file")


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
        int, typer.Option("--workers", "-w", help="Worker processes (files processed in parallel).")
    ] = 1,
    timeout: Annotated[
        float, typer.Option(help="Seconds allowed per document before it is stopped.")
    ] = DEFAULT_TIMEOUT,
    max_memory: Annotated[
        int, typer.Option("--max-memory", help="MB of memory allowed per worker (0: no limit).")
    ] = DEFAULT_MAX_MEMORY_MB,
    max_pages: Annotated[
        int, typer.Option("--max-pages", help="Longer PDFs are reported, not read.")
    ] = DEFAULT_MAX_PAGES,
    force: Annotated[bool, typer.Option("--force", help="Re-process files already in the database.")] = False,
    no_ocr: Annotated[bool, typer.Option("--no-ocr", help="Do not OCR pages without a text layer.")] = False,
    no_model: Annotated[bool, typer.Option("--no-model", help="Rules only, no trained classifier.")] = False,
    threshold: Annotated[
        float, typer.Option(help="Minimum classifier confidence to use its label.")
    ] = DEFAULT_TEXTCAT_THRESHOLD,
    strict: Annotated[
        bool, typer.Option("--strict", help="Stop at the first bad file and show the error.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar, no per-node summary.")
    ] = False,
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
    bars: list[Any] = []
    with usage_errors(bars):
        settings = Settings.resolve({
            "workers": workers, "timeout": timeout, "force": force, "ocr": not no_ocr,
            "textcat": not no_model, "textcat_threshold": threshold, "strict": strict,
            "max_memory_mb": max_memory, "max_pages": max_pages, "engine": engine, "address": address,
        })  # fmt: skip
        pages = 0

        def on_document(doc: Document) -> None:
            nonlocal pages
            pages += doc.pages
            for bar in bars:
                bar.set_postfix_str(
                    f"{pages} pages, {doc.status}: {Path(doc.source_path).name[:40]}", refresh=False
                )
                bar.update(1)

        summary = api.run(inputs, out, settings, on_document=on_document,
                          on_total=lambda n: bars.append(_progress_bar(n, quiet)))  # fmt: skip
    if summary.engine == "ray" and summary.nodes and not quiet:
        for line in _node_lines(summary.nodes, summary.ray.seconds if summary.ray else summary.seconds):
            typer.echo(line, err=True)
    typer.echo(summary.line())


@app.command()
def analyze(
    db: Annotated[Path, typer.Option("--db", help="The ketluan.duckdb of a run (or its folder).")] = Path(
        "out/ketluan.duckdb"
    ),
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Folder for the analysis (default: beside the db).")
    ] = None,
    threshold: Annotated[
        float, typer.Option(help="Similarity above which limitations are grouped.")
    ] = DEFAULT_CLUSTER_THRESHOLD,
    across_issuers: Annotated[
        bool, typer.Option("--across-issuers", help="Group limitations of different issuers too.")
    ] = False,
) -> None:
    """Recurring limitations, task follow-ups and report.html from a run's database."""
    target = out if out is not None else (db if db.is_dir() else db.parent)
    with usage_errors():
        tables = api.analyze(db, target, threshold=threshold, across_issuers=across_issuers)
    recurring = tables.get("recurrence")
    n = len(recurring) if recurring is not None else 0
    typer.echo(f"{n} limitation clusters → {target / 'recurrence.csv'}, {target / 'report.html'}")


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
    """Entry point of the `ketluan` console script."""
    app(args=argv)
