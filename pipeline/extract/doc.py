"""Extract stage, legacy Word: bytes of a .doc -> `records.Page`s, via LibreOffice then the docx reader.

Runs `soffice --headless --convert-to docx` in a private temporary profile with a time limit.
Never leaves files behind and never normalizes text.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..config import Settings
from ..errors import DocumentError
from ..records import Page
from .docx import extract_docx

SOFFICE_NAMES = ("soffice", "libreoffice")


def find_soffice() -> str | None:
    """Path of the LibreOffice binary on PATH, or None."""
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def doc_to_docx(data: bytes, settings: Settings, suffix: str = ".doc") -> bytes:
    """Convert legacy Word (or RTF/HTML saved as .doc) bytes to .docx bytes with LibreOffice.

    Args:
        data: the file's bytes.
        settings: `timeout` bounds the conversion.
        suffix: extension given to the temporary input file (LibreOffice sniffs content anyway).

    Raises:
        DocumentError: doc_unavailable (no soffice), timeout, corrupt_file (nothing produced).

    Examples:
        >>> doc_to_docx(b"", Settings()) if find_soffice() is None else b"PK"  # doctest: +SKIP
    """
    soffice = find_soffice()
    if soffice is None:
        raise DocumentError("doc_unavailable")
    with tempfile.TemporaryDirectory(prefix="ketluan-doc-") as tmp:
        folder = Path(tmp)
        src = folder / f"input{suffix}"
        src.write_bytes(data)
        out = folder / "out"
        profile = (folder / "profile").as_uri()
        cmd = [soffice, "--headless", "--norestore", "--nologo", "--nodefault",
               f"-env:UserInstallation={profile}", "--convert-to", "docx", "--outdir", str(out), str(src)]  # fmt: skip
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=settings.timeout, check=False)
        except subprocess.TimeoutExpired as e:
            raise DocumentError(
                "timeout", f"LibreOffice did not convert the .doc within {settings.timeout:.0f} s"
            ) from e
        except OSError as e:
            raise DocumentError("doc_unavailable", f"LibreOffice could not be started: {e}") from e
        result = out / "input.docx"
        if not result.is_file() or result.stat().st_size == 0:
            why = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            raise DocumentError(
                "corrupt_file",
                "LibreOffice could not convert the .doc file" + (f" ({why[-1]})" if why else ""),
            )
        return result.read_bytes()


def extract_doc(data: bytes, settings: Settings) -> list[Page]:
    """Pages of a legacy .doc file: converted to .docx by LibreOffice, then read as .docx."""
    return extract_docx(doc_to_docx(data, settings))
