"""The command line (typer CliRunner): help of each command, a run on a small generated input,
the exact summary line, usage errors with their exact text and exit code 1.
"""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ketluan.cli import app
from tools import make_bad_inputs as mbi

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
                "--engine",
                "[local|ray]",
                "--address",
            ],
        ),
        ("analyze", ["--db", "--out", "--threshold", "--across-issuers"]),
        ("eval", ["--gold", "--pred", "--json", "--verbose"]),
    ],
)
def test_cli_help_of_each_command(command: str, options: list[str]) -> None:
    result = runner.invoke(app, [command, "--help"], terminal_width=200)
    assert result.exit_code == 0
    for option in options:
        assert option in result.stdout


def test_cli_help_lists_the_commands() -> None:
    result = runner.invoke(app, ["--help"], terminal_width=200)
    assert result.exit_code == 0
    for command in ("run", "analyze", "eval"):
        assert command in result.stdout


def test_cli_run_prints_the_summary_line(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(inputs), "--out", str(out), "--workers", "2"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"2 ok · 0 partial · 1 error → {out / 'documents.csv'}\n"
    assert "3/3 files" in result.stderr  # the progress bar: files, pages, ETA
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
    (["--max-memory", "-5"], "Error: --max-memory must be 0 (no limit) or a number of MB (got -5)"),
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


def test_cli_option_of_the_wrong_type_is_refused_by_click(inputs: Path) -> None:
    result = runner.invoke(app, ["run", str(inputs), "--workers", "hai"])
    assert result.exit_code == 2  # click's convention for values it cannot parse
    assert "Invalid value for '--workers'" in result.stderr


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
