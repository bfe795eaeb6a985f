"""The contract with users: README shows every command, each command has help, Makefile targets exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ketluan.cli import app

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
COMMANDS = ("run", "analyze", "eval")


@pytest.mark.parametrize("command", COMMANDS)
def test_contract_every_command_is_in_the_readme(command: str) -> None:
    assert f"ketluan {command}" in README


@pytest.mark.parametrize("command", COMMANDS)
def test_contract_every_command_has_help(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output and command in result.output


@pytest.mark.parametrize("target", ["demo", "test", "eval", "bench", "train", "setup"])
def test_contract_readme_make_targets_exist(target: str) -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert re.search(rf"^{target}:", makefile, re.MULTILINE)
    assert f"make {target}" in README


def test_contract_ci_runs_make_test() -> None:
    assert "make test" in (REPO / ".ci" / "run").read_text(encoding="utf-8")
