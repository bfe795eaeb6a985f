"""The contract with users: README shows every command, each command has help, Makefile targets exist."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ketluan.cli import app

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
COMMANDS = ("run", "analyze", "export", "eval")


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


def test_contract_readme_has_no_links_to_the_shared_folder() -> None:
    assert "../shared" not in README  # a user of the repository does not have it


@pytest.mark.parametrize("code", ["0", "1", "2", "3", "4", "130"])
def test_contract_readme_documents_every_exit_code(code: str) -> None:
    assert re.search(rf"^\| `{code}` \|", README, re.MULTILINE), code


def test_contract_readme_library_example_runs_without_a_guard() -> None:
    block = re.search(r"```python\n(.*?)```", README, re.DOTALL)
    assert block is not None and "import ketluan" in block.group(1)
    assert "__main__" not in block.group(1)  # the example works as a plain script (test_cli runs one)


@pytest.mark.slow
def test_contract_wheel_works_on_its_own(tmp_path: Path) -> None:
    """Build the wheel, install it in a fresh environment outside the checkout, run a sample."""
    import shutil
    import subprocess
    import sys
    import sysconfig

    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, src / name)
    shutil.copytree(REPO / "pipeline", src / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "data", src / "data", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "models", src / "models")
    pip = [sys.executable, "-m", "pip"]
    subprocess.run([*pip, "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"), str(src)],
                   check=True, capture_output=True, cwd=tmp_path)  # fmt: skip
    wheel = next((tmp_path / "dist").glob("ketluan-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([*pip, "--python", str(python), "install", "--no-deps", "--no-index", "-q", str(wheel)],
                   check=True, capture_output=True)  # fmt: skip
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    # the dependencies come from this environment; ketluan itself only from the wheel (a path line
    # adds the folder without running its .pth files, so the checkout's editable finder stays out)
    Path(site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KETLUAN_") and k != "PYTHONPATH"}
    where = subprocess.run([str(python), "-c", "import ketluan, ketluan.config as c; print(ketluan.__file__); "
                            "print(c.DATA_DIR); print(c.MODELS_DIR)"], capture_output=True, text=True,
                           check=True, env=env, cwd=tmp_path)  # fmt: skip
    module, data, models = where.stdout.splitlines()
    assert module.startswith(site) and data.startswith(site) and models.startswith(site), where.stdout
    sample = REPO / "data" / "samples" / "thong-bao-ket-luan-giao-ban-quy-1-2024-so-tnmt-thai-nguyen.txt"
    for name, ketluan_bin, cwd in (("wheel", venv / "bin" / "ketluan", tmp_path), ("checkout", None, REPO)):
        cmd = [str(ketluan_bin)] if ketluan_bin else [sys.executable, "-m", "ketluan"]
        result = subprocess.run([*cmd, "run", str(sample), "--out", str(tmp_path / name), "-q"], capture_output=True,
                                text=True, env=env, cwd=cwd, timeout=600)  # fmt: skip
        assert result.returncode == 0, result.stderr[-2000:]
    for table in ("documents.csv", "items.csv"):
        assert (tmp_path / "wheel" / table).read_bytes() == (tmp_path / "checkout" / table).read_bytes(), (
            table
        )
