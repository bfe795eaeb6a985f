"""Catalogue of row-level error codes: one place for codes and the messages analysts read.

A `DocumentError` is a bad input (expected, user-facing); any other exception is our bug and
becomes an `internal` row. Each message says what to do about it.
"""

from __future__ import annotations

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


def message(code: str, detail: str = "") -> str:
    """The `error` cell for a code: `code: detail`, detail defaulting to the catalogue message."""
    return f"{code}: {detail or MESSAGES[code]}"
