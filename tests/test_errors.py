"""Tests of pipeline/errors.py and the checks of config.Settings: Problem records, usage errors."""

from __future__ import annotations

import pickle
import unicodedata

import pytest

from ketluan.config import Settings, SettingsError, from_env
from ketluan.errors import (
    EXIT_COMMAND_LINE,
    EXIT_EXPORT,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_OUTPUT,
    EXIT_USAGE,
    DocumentError,
    OutputError,
    Problem,
    UsageError,
    code_of,
)
from ketluan.records import Document, Page
from ketluan.store import MissingDatabase, StoreError


# fmt: off
@pytest.mark.parametrize(("code", "detail", "cell"), [
    ("zip_unsafe", "path traversal '../../ket-luan.pdf'", "zip_unsafe: path traversal '../../ket-luan.pdf'"),
    ("empty_file", "", "empty_file: the file is empty (0 bytes); re-export it from its source"),
    ("ocr_failed", "page 3: " + unicodedata.normalize("NFD", "trang trắng"),
     "ocr_failed: page 3: " + unicodedata.normalize("NFD", "trang trắng")),
])
# fmt: on
def test_errors_problem_is_its_cell_and_keeps_code_and_detail(code: str, detail: str, cell: str) -> None:
    problem = Problem(code, detail)
    assert (problem, problem.code, problem.detail or "") == (cell, code, cell.split(": ", 1)[1])
    again = pickle.loads(pickle.dumps(problem))  # workers send it back to the run
    assert (type(again), again, again.code, again.detail) == (Problem, problem, problem.code, problem.detail)


# fmt: off
@pytest.mark.parametrize(("text", "fallback", "code", "detail"), [
    ("ocr_unavailable: Tesseract 'vie' is missing", "internal", "ocr_unavailable", "Tesseract 'vie' is missing"),
    ("ocr_failed: page 2: tesseract crashed", "internal", "ocr_failed", "page 2: tesseract crashed"),
    ("tệp hỏng", "corrupt_file", "corrupt_file", "tệp hỏng"),
])
# fmt: on
def test_errors_problem_of_reads_legacy_page_text(text: str, fallback: str, code: str, detail: str) -> None:
    problem = Problem.of(text, fallback=fallback)
    assert (problem.code, problem.detail) == (code, detail)
    assert Problem.of(problem) is problem


def test_errors_unknown_code_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown error code"):
        Problem("khong_ro")


def test_errors_problem_exception_carries_the_path() -> None:
    error = Problem("encrypted_pdf").exception("luu-tru/tb-ket-luan-mat-khau.pdf")
    assert isinstance(error, DocumentError) and error.code == "encrypted_pdf"
    assert error.path == "luu-tru/tb-ket-luan-mat-khau.pdf" and error.problem == Problem("encrypted_pdf")


def test_errors_document_keeps_the_problem_it_failed_with() -> None:
    doc = Document(doc_id="907a2ed1a172817c", source_path="bien-ban-hong.pdf")
    doc.fail("corrupt_file", "the zip archive cannot be opened")
    assert (doc.error, doc.error_code) == ("corrupt_file: the zip archive cannot be opened", "corrupt_file")
    assert code_of("timeout: stopped after 3 s") == "timeout" and code_of("") == ""


def test_errors_page_still_takes_a_legacy_error_text() -> None:
    page = Page(number=2, source="none", error="ocr_failed: page 2: tesseract crashed")
    assert Problem.of(page.error).code == "ocr_failed"


# fmt: off
@pytest.mark.parametrize(("overrides", "message"), [
    ({"workers": 0}, "workers must be at least 1 (got 0)"),
    ({"timeout": 0.0}, "timeout must be a positive number of seconds (got 0)"),
    ({"max_memory_mb": -5}, "max_memory_mb must be 0 (no limit) or at least 512 MB (got -5)"),
    ({"max_memory_mb": 1}, "max_memory_mb must be 0 (no limit) or at least 512 MB (got 1)"),
    ({"timeout": float("nan")}, "timeout must be a positive number of seconds (got nan)"),
    ({"timeout": float("inf")}, "timeout must be a positive number of seconds (got inf)"),
    ({"max_file_mb": -1}, "max_file_mb must be at least 1 MB (got -1)"),
    ({"zip_max_total_mb": 0}, "zip_max_total_mb must be at least 1 MB (got 0)"),
    ({"textcat_threshold": float("nan")}, "textcat_threshold must be between 0 and 1 (got nan)"),
    ({"max_pages": 0}, "max_pages must be at least 1 (got 0)"),
    ({"textcat_threshold": 1.5}, "textcat_threshold must be between 0 and 1 (got 1.5)"),
    ({"engine": "Ray"}, "engine must be local or ray (got Ray)"),
    ({"address": "auto"}, "address is the Ray cluster's address; add engine ray (got address auto)"),
    ({"ocr_dpi": 50}, "ocr_dpi must be at least 72 (got 50)"),
])
# fmt: on
def test_errors_settings_checks_every_value(overrides: dict, message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings(**overrides)
    assert str(caught.value) == message
    assert isinstance(caught.value, UsageError) and isinstance(caught.value, ValueError)


def test_errors_settings_error_names_cli_options() -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.resolve({"engine": "local", "address": "ray://10.0.0.5:10001"})
    flags = {"address": "--address", "engine": "--engine"}
    assert caught.value.render(lambda name: flags[name] if name in flags else name) == (
        "--address is the Ray cluster's address; add --engine ray (got --address ray://10.0.0.5:10001)"
    )


def test_errors_store_errors_are_usage_errors() -> None:
    assert issubclass(StoreError, UsageError) and issubclass(MissingDatabase, FileNotFoundError)


# fmt: off
@pytest.mark.parametrize(("env", "message"), [
    ({"KETLUAN_MAX_FILE_MB": "-1"}, "max_file_mb must be at least 1 MB (got -1)"),
    ({"KETLUAN_WORKERS": "hai"}, "workers must be a whole number (got hai)"),
    ({"KETLUAN_TIMEOUT": "inf"}, "timeout must be a positive number of seconds (got inf)"),
])
# fmt: on
def test_errors_env_settings_are_checked(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        from_env(env)
    assert str(caught.value) == message


def test_errors_exit_codes_by_kind() -> None:
    assert (UsageError.exit_code, OutputError.exit_code, StoreError.exit_code) == (1, 3, 3)
    assert MissingDatabase.exit_code == 1  # a wrong --db is a wrong value, not a damaged folder
    assert (EXIT_OK, EXIT_USAGE, EXIT_COMMAND_LINE, EXIT_OUTPUT, EXIT_EXPORT, EXIT_INTERRUPTED) == (0, 1, 2, 3, 4, 130)
