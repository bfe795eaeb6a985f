"""Catalogue of row-level error codes: one place for codes and the messages analysts read.

A `DocumentError` is a bad input (expected, user-facing); any other exception is our bug and
becomes an `internal` row. A `Problem(code, detail)` is what Source, Page and Document carry;
a `UsageError` is a wrong call (a setting, the output folder), shown by the CLI as one line.
"""

from __future__ import annotations

from typing import Any

MESSAGES: dict[str, str] = {
    "unsupported_format": "the file type is not supported; convert it to PDF, DOCX, DOC, TXT or an image",
    "empty_file": "the file is empty (0 bytes); re-export it from its source",
    "encrypted_pdf": "the PDF is password-protected; remove the password and run again",
    "encrypted_docx": "the Word file is password-protected; save it without a password and run again",
    "corrupt_file": "the file is damaged or truncated and cannot be opened; re-export it from its source",
    "no_text": "no text could be read from the file; check that it is a document and not a blank scan",
    "ocr_unavailable": "the page has no text layer and Tesseract OCR with Vietnamese ('vie') is not installed; run 'make setup'",
    "ocr_failed": "OCR of the page failed",
    "doc_unavailable": "legacy .doc files need LibreOffice (soffice) to convert them; run 'make setup' or apt-get install libreoffice-writer",
    "too_large": "the file is larger than the configured limit; split it or raise the limit",
    "zip_unsafe": "the zip member was skipped because it is unsafe",
    "timeout": "processing took longer than the time limit and was stopped; raise --timeout or split the file",
    "memory": "processing used more memory than the limit and was stopped; raise --max-memory or split the file",
    "crashed": "the worker process reading the file crashed in a native library; the file is probably damaged, re-export it from its source or report it with the file",
    "not_found": "the file does not exist or cannot be read",
    "internal": "an unexpected error in ketluan; please report it with the file",
}


class Problem(str):
    """What went wrong with a file or a page: a catalogue `code` and a `detail`.

    It is the `error` cell as well ("code: detail", a `str`, so rows, comparisons and logs take
    it as it is), but code and detail are read from its attributes, never parsed back out.

    Args:
        code: a key of `MESSAGES`, e.g. "zip_unsafe".
        detail: what exactly was wrong; defaults to the catalogue message.

    Examples:
        >>> p = Problem("zip_unsafe", "path traversal '../../ket-luan.pdf'")
        >>> p.code, p
        ('zip_unsafe', "zip_unsafe: path traversal '../../ket-luan.pdf'")
    """

    code: str
    detail: str

    def __new__(cls, code: str, detail: str = "") -> Problem:
        if code not in MESSAGES:
            raise ValueError(f"unknown error code {code!r}")
        detail = detail or MESSAGES[code]
        self = super().__new__(cls, f"{code}: {detail}")
        self.code = code
        self.detail = detail
        return self

    def __reduce__(self) -> tuple[Any, tuple[str, str]]:
        return (Problem, (self.code, self.detail))

    @classmethod
    def of(cls, value: str, fallback: str = "internal") -> Problem:
        """`value` as a Problem: a Problem as it is, a legacy "code: detail" text read once.

        An unknown code keeps the whole text as the detail of `fallback`.

        Examples:
            >>> Problem.of("ocr_failed: page 3: tesseract crashed").detail
            'page 3: tesseract crashed'
            >>> Problem.of("hỏng rồi", fallback="corrupt_file")
            'corrupt_file: hỏng rồi'
        """
        if isinstance(value, Problem):
            return value
        code = code_of(value)
        if code in MESSAGES:
            return cls(code, value.partition(":")[2].strip())
        return cls(fallback, value)

    def exception(self, path: str = "") -> DocumentError:
        """The DocumentError to raise for it, carrying the input's `path` (strict mode)."""
        error = DocumentError(self.code, self.detail)
        error.path = path
        return error


def code_of(cell: str) -> str:
    """The code of an `error` cell read back from a table ("" for an empty cell).

    Examples:
        >>> code_of("timeout: stopped after 300 s; processing took longer than the time limit")
        'timeout'
    """
    return cell.code if isinstance(cell, Problem) else cell.partition(":")[0].strip()


# Exit codes of the `ketluan` command (README "Troubleshooting" lists them).
EXIT_OK = 0  # the run finished; bad documents are rows with status `error`
EXIT_USAGE = 1  # a wrong value: an option, a missing input, no document in the inputs
EXIT_COMMAND_LINE = 2  # the command line itself: an unknown option, a value of the wrong type
EXIT_OUTPUT = 3  # the output folder or its database cannot be used (damaged, locked, read-only, disk full)
EXIT_EXPORT = 4  # every document is stored, but one output file could not be written
EXIT_INTERRUPTED = 130  # Ctrl-C: the documents finished so far are saved


class UsageError(Exception):
    """ketluan was called wrongly (a setting out of range, Ray missing, no document to read).

    Not a bad document: the CLI prints it as one line and exits with `exit_code` (1).
    """

    exit_code = EXIT_USAGE


class OutputError(UsageError):
    """The output folder or its database cannot be used: damaged, locked, read-only, disk full.

    The CLI prints it as one line naming the cause and exits with code 3.
    """

    exit_code = EXIT_OUTPUT


class DocumentError(Exception):
    """A problem with one input file: becomes a `documents.csv` row with status `error`.

    Args:
        code: a key of `MESSAGES`, e.g. "encrypted_pdf".
        detail: what exactly was wrong; defaults to the catalogue message.

    Examples:
        >>> str(DocumentError("empty_file"))
        'empty_file: the file is empty (0 bytes); re-export it from its source'
    """

    def __init__(self, code: str, detail: str = "") -> None:
        if code not in MESSAGES:
            raise ValueError(f"unknown error code {code!r}")
        self.code = code
        self.detail = detail or MESSAGES[code]
        self.path = ""  # the input file, set by the API when the error is raised in strict mode
        super().__init__(f"{code}: {self.detail}")

    @property
    def problem(self) -> Problem:
        """The Problem this error puts in its row."""
        return Problem(self.code, self.detail)


def message(code: str, detail: str = "") -> Problem:
    """The `error` of a code: `code: detail`, detail defaulting to the catalogue message.

    Examples:
        >>> message("not_found", "no such file or folder: khong-co/ket-luan.pdf").code
        'not_found'
    """
    return Problem(code, detail)
