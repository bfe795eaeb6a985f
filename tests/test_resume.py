"""Resumable and idempotent runs (issue 6): a `ketluan run` killed with SIGKILL at a random point
and started again gives tables identical to an uninterrupted run; unchanged files are skipped,
changed ones processed again, `--force` redoes all; tables are replaced atomically.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

import ketluan
from ketluan import writers
from tools import make_bad_inputs as mbi

N_FILES = 30
KEYS = {"documents": ["source_path"], "sections": ["doc_id", "section_id"], "items": ["doc_id", "item_id"]}
PROGRESS = re.compile(rb"(\d+)/(\d+) files")  # the tqdm bar: " 12/30 files [00:03<00:04, ...]"
SUMMARY = re.compile(r"^(\d+) ok · (\d+) partial · (\d+) error(?: · (\d+) unchanged \(skipped\))? → (.+)$")


def make_inputs(folder: Path, n: int = N_FILES, seed: int = 0) -> list[Path]:
    """n small conclusions (TXT, DOCX, a few PDFs), one empty file and one duplicate name."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for i in range(n - 2):
        month = 1 + i % 12
        text = (mbi.conclusion(item_extra=f"\n- Nhiệm vụ bổ sung số {i} giao Văn phòng theo dõi.")
                .replace("tháng 5 năm 2024", f"tháng {month} năm 2024")
                .replace("45/TB-UBND", f"{100 + i}/TB-UBND"))  # fmt: skip
        kind = "pdf" if i % 10 == 3 else rng.choice(["txt", "txt", "docx"])
        path = folder / f"{2020 + i % 4}" / f"ket-luan-{i:03d}.{kind}"
        path.parent.mkdir(exist_ok=True)
        if kind == "txt":
            path.write_text(text, encoding="utf-8")
        elif kind == "docx":
            path.write_bytes(mbi._variant_docx(text))
        else:
            mbi.canvas_pdf(text, path)
        written.append(path)
    (folder / "hong.pdf").write_bytes(b"")
    shutil.copyfile(written[0], folder / f"ban-sao{written[0].suffix}")
    return sorted(p for p in folder.rglob("*") if p.is_file())


def read_tables(out: Path) -> dict[str, pd.DataFrame]:
    """documents/sections/items CSV as text, rows sorted by their keys (the export order aside)."""
    tables = {}
    for name, keys in KEYS.items():
        df = pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
        tables[name] = df.sort_values(keys).reset_index(drop=True)
    return tables


def assert_same_tables(got: dict[str, pd.DataFrame], want: dict[str, pd.DataFrame]) -> None:
    for name, keys in KEYS.items():
        assert not got[name].duplicated(keys).any(), f"duplicate {name} rows"
        pd.testing.assert_frame_equal(got[name], want[name], obj=name)


def _default_sigint() -> None:
    """In the child: Ctrl-C raises KeyboardInterrupt even if the test runs in the background."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run_cli(inputs: Path, out: Path, *extra: str, kill_after: int | None = None,
            delay: float = 0.0, sig: int = signal.SIGKILL) -> tuple[int | None, str, str]:  # fmt: skip
    """`python -m ketluan run INPUTS --out OUT --workers 2`; with kill_after, send `sig` to the
    run once the progress bar shows that many documents done (plus `delay` seconds).

    Returns (exit code, or None when killed by SIGKILL; stdout; stderr).
    """
    cmd = [sys.executable, "-m", "ketluan", "run", str(inputs), "--out", str(out), "--workers", "2", *extra]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=_default_sigint)  # fmt: skip
    err = bytearray()
    seen = threading.Event()

    def pump() -> None:
        assert proc.stderr is not None
        while chunk := proc.stderr.read1(4096):  # type: ignore[attr-defined]
            err.extend(chunk)
            done = [int(m.group(1)) for m in PROGRESS.finditer(bytes(err[-400:]))]
            if kill_after is not None and done and max(done) >= kill_after:
                seen.set()

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    killed = False
    try:
        if kill_after is not None:
            while not seen.is_set() and proc.poll() is None:
                time.sleep(0.01)
            time.sleep(delay)
            if proc.poll() is None:
                os.kill(proc.pid, sig)  # the run itself, as `kill -9 PID` (or Ctrl-C) does
                killed = sig == signal.SIGKILL
        out_bytes = proc.stdout.read() if proc.stdout is not None else b""
        code = proc.wait(timeout=300)
        reader.join(timeout=10)
        if killed:
            # the workers die with their parent (PR_SET_PDEATHSIG): nothing keeps running
            assert _session_alive(proc.pid, within=5.0) == [], "workers outlived the killed run"
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return (None if killed else code), out_bytes.decode("utf-8"), err.decode("utf-8", "replace")


def _session_alive(sid: int, within: float) -> list[int]:
    """Processes of a session still running (not zombies) after waiting up to `within` seconds."""
    import psutil

    deadline = time.monotonic() + within
    while True:
        alive = []
        for p in psutil.process_iter(["pid", "status"]):
            try:
                if os.getsid(p.info["pid"]) == sid and p.info["status"] != psutil.STATUS_ZOMBIE:
                    alive.append(p.info["pid"])
            except (ProcessLookupError, PermissionError):
                continue
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.1)


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("resume") / "luu-tru"
    make_inputs(folder)
    return folder


@pytest.fixture(scope="module")
def baseline(archive: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    out = tmp_path_factory.mktemp("resume-baseline")
    code, stdout, stderr = run_cli(archive, out)
    assert code == 0, stderr
    assert SUMMARY.match(stdout.strip()).groups()[:3] == ("29", "0", "1")  # type: ignore[union-attr]
    return read_tables(out)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_resume_after_sigkill_gives_identical_tables(seed: int, archive: Path, baseline: dict[str, pd.DataFrame],
                                                     tmp_path: Path) -> None:  # fmt: skip
    rng = random.Random(seed)
    out = tmp_path / "out"
    # within the first half: the progress bar jumps several files at once and the whole run takes
    # ~2 s once the workers are up, so a later kill point can come after the last document
    kill_after = rng.randint(1, N_FILES // 2)
    code, _, stderr = run_cli(archive, out, kill_after=kill_after, delay=rng.uniform(0.0, 0.1))
    assert code is None, f"the run ended before the kill point {kill_after}: {stderr[-300:]}"
    for leftover in out.glob("*.csv"):  # a table that exists is whole (old or new, never half)
        pd.read_csv(leftover, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    code, stdout, stderr = run_cli(archive, out)
    assert code == 0, stderr
    ok, partial, error, skipped, _ = SUMMARY.match(stdout.strip()).groups()  # type: ignore[union-attr]
    assert int(ok) + int(partial) + int(error) + int(skipped or 0) == N_FILES
    assert int(skipped or 0) >= 1  # the documents committed before the kill were not redone
    assert_same_tables(read_tables(out), baseline)
    assert not list(out.glob(".*.tmp"))


def test_resume_after_ctrl_c_saves_the_finished_documents(archive: Path, baseline: dict[str, pd.DataFrame],
                                                          tmp_path: Path) -> None:  # fmt: skip
    out = tmp_path / "out"
    # one worker: the run lasts long enough that the Ctrl-C lands while documents are in flight even
    # when the test machine is busy (the progress line is read with some delay)
    code, _, stderr = run_cli(archive, out, "--workers", "1", kill_after=3, sig=signal.SIGINT)
    assert code == 130, stderr[-2000:]
    assert stderr.rstrip().endswith(
        "Interrupted: the documents finished so far are saved; run the same command again to resume."
    )
    saved = read_tables(out)["documents"]  # exported on the way out
    assert 3 <= len(saved) <= N_FILES
    code, _, stderr = run_cli(archive, out)
    assert code == 0, stderr
    assert_same_tables(read_tables(out), baseline)


# -- in-process runs: skip unchanged, redo changed, --force, duplicates, atomic tables


@pytest.fixture(scope="module")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """A finished run of 6 files, and a snapshot of its input and output folders."""
    root = tmp_path_factory.mktemp("resume-small")
    folder, out = root / "in", root / "out"
    make_inputs(folder, n=6, seed=4)
    summary = ketluan.run(folder, out, {"workers": 2})
    assert (summary.ok, summary.error, summary.skipped) == (5, 1, 0)
    shutil.copytree(folder, root / "in.snapshot", symlinks=True)
    shutil.copytree(out, root / "out.snapshot")
    return folder, out, root


@pytest.fixture
def small(small_run: tuple[Path, Path, Path]) -> tuple[Path, Path]:
    """The finished small run, restored to its snapshot (same paths) before each test."""
    folder, out, root = small_run
    for live, snap in ((folder, root / "in.snapshot"), (out, root / "out.snapshot")):
        shutil.rmtree(live, ignore_errors=True)
        shutil.copytree(snap, live, symlinks=True)
    return folder, out


def _unique_txt(folder: Path) -> Path:
    """A .txt input whose content no other input shares."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return next(p for p in files if p.suffix == ".txt"
                and sum(q.read_bytes() == p.read_bytes() for q in files) == 1)  # fmt: skip


def test_resume_unchanged_files_are_skipped(small: tuple[Path, Path]) -> None:
    folder, out = small
    before = read_tables(out)
    summary = ketluan.run(folder, out, {"workers": 2})
    assert (summary.ok, summary.partial, summary.error, summary.skipped) == (0, 0, 0, 6)
    assert_same_tables(read_tables(out), before)


def test_resume_processes_again_a_file_whose_result_could_not_be_stored(small: tuple[Path, Path]) -> None:
    """An `internal` row (the run was stopped while storing it) is ours, not the file's: redone."""
    from ketluan.store import Store

    folder, out = small
    before = read_tables(out)
    target = _unique_txt(folder)
    with Store(out) as store:
        doc = store.fetch(str(target))
        assert doc is not None
        doc.fail("internal", "the result could not be stored (TransactionException: aborted)")
        store.commit(doc)
        store.export()
    assert read_tables(out)["documents"].set_index("source_path").loc[str(target), "status"] == "error"
    summary = ketluan.run(folder, out, {"workers": 1})
    assert (summary.ok, summary.skipped) == (1, 5)
    assert_same_tables(read_tables(out), before)


def test_resume_changed_file_is_processed_again(small: tuple[Path, Path]) -> None:
    folder, out = small
    before = read_tables(out)
    changed = _unique_txt(folder)
    changed.write_text(
        changed.read_text(encoding="utf-8").replace("Trần Thị Bình", "Hoàng Văn Dũng"), encoding="utf-8"
    )
    summary = ketluan.run(folder, out, {"workers": 1})
    assert (summary.ok, summary.skipped) == (1, 5)
    after = read_tables(out)
    docs = after["documents"].set_index("source_path")
    assert len(docs) == 6
    assert docs.loc[str(changed), "signer_name"] == "Hoàng Văn Dũng"
    old_id = before["documents"].set_index("source_path").loc[str(changed), "doc_id"]
    assert docs.loc[str(changed), "doc_id"] != old_id
    assert old_id not in set(after["items"]["doc_id"])  # no rows of the old content are left
    for name in KEYS:
        assert not after[name].duplicated(KEYS[name]).any()


def test_resume_force_processes_every_file_again(small: tuple[Path, Path]) -> None:
    folder, out = small
    before = read_tables(out)
    summary = ketluan.run(folder, out, {"workers": 2, "force": True})
    assert (summary.ok, summary.error, summary.skipped) == (5, 1, 0)
    assert_same_tables(read_tables(out), before)


def test_resume_renamed_copy_reuses_the_stored_result(small: tuple[Path, Path]) -> None:
    folder, out = small
    source = _unique_txt(folder)
    copy = folder / "2024" / f"ten-khac{source.suffix}"
    copy.parent.mkdir(exist_ok=True)
    shutil.copyfile(source, copy)
    summary = ketluan.run(folder, out, {"workers": 2})
    assert (summary.ok, summary.skipped, summary.reused) == (1, 6, 1)
    docs = read_tables(out)["documents"].set_index("source_path")
    # the same fields; one of the two is marked as the other's copy (duplicates.find_duplicates)
    fields = [c for c in docs.columns if c != "duplicate_of"]
    assert docs.loc[str(copy), fields].equals(docs.loc[str(source), fields])


def test_resume_tables_are_replaced_atomically(
    small: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, out = small
    before = {p.name: p.read_bytes() for p in out.glob("*.csv")}
    real = writers.write_csv_table

    def dies_half_way(table: str, df: writers.Table, path: Path) -> None:
        half = (writers.Rows(df.columns, df.rows[: len(df) // 2]) if isinstance(df, writers.Rows)
                else df.iloc[: len(df) // 2])  # fmt: skip
        real(table, half, path)  # half the rows are on disk under the temp name
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writers, "write_csv_table", dies_half_way)
    summary = ketluan.run(folder, out, {"workers": 1})  # nothing to process: only the export runs
    assert summary.failed == {
        f"{t}.csv": "no space left on device" for t in ("documents", "sections", "items")
    }
    assert (
        "items.parquet" in summary.files and "ketluan.xlsx" in summary.files
    )  # the other files still written
    assert {p.name: p.read_bytes() for p in out.glob("*.csv")} == before
    assert not list(out.glob(".*.tmp"))


def test_resume_output_inside_input_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "ket-luan.txt").write_text(mbi.conclusion(), encoding="utf-8")
    for _ in range(2):  # the second run sees out/ with its tables and database
        summary = ketluan.run(tmp_path, tmp_path / "out", {"workers": 1})
    assert summary.total == 1
    assert list(ketluan.load(tmp_path / "out")["documents"]["source_path"]) == [
        str(tmp_path / "ket-luan.txt")
    ]


def test_resume_ctrl_c_that_duckdb_turns_into_its_own_error_is_an_interrupt(
    small: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Why the Ctrl-C test once gave exit 1: the Ctrl-C landed in a query of the final export."""
    import duckdb

    from ketluan import store as store_module

    folder, out = small

    def interrupted_query(con: object) -> None:
        raise duckdb.InterruptException("INTERRUPT Error: Interrupted!")

    monkeypatch.setattr(store_module, "_read_rows", interrupted_query)  # the export's first query
    with pytest.raises(KeyboardInterrupt):  # the CLI's exit code 130, not a traceback and exit 1
        ketluan.run(folder, out, {"workers": 1})
