"""Extract stage, legacy Word: bytes of a .doc -> `records.Page`s, via LibreOffice then the docx reader.

Runs `soffice --headless --convert-to docx` in a private temporary profile with a time limit,
without network (a new network namespace where `unshare` allows one), link updates or macros.
Never leaves files behind, never lets a document fetch a URL, and never normalizes text.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

from ..config import Settings
from ..errors import DocumentError
from ..records import Page
from .docx import extract_docx

SOFFICE_NAMES = ("soffice", "libreoffice")
# The profile's settings: no macros, no links fetched from untrusted documents, link updates off
# in Writer (LinkUpdateModes NEVER = 0) and Calc (ScLkUpdMode LM_NEVER = 1), no update checks.
PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Field" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>1</value></prop></item>
<item oor:path="/org.openoffice.Office.Update/Update"><prop oor:name="Enabled" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Jobs/Jobs/org.openoffice.Office.Jobs:Job['UpdateCheck']/Arguments"><prop oor:name="AutoCheckEnabled" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""
USE_NETWORK_NAMESPACE = True  # tests switch it off to check that the profile alone blocks links


def find_soffice() -> str | None:
    """Path of the LibreOffice binary on PATH, or None."""
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


@lru_cache(maxsize=1)
def offline_prefix() -> tuple[str, ...]:
    """The command prefix that runs a program without network: `unshare -rn` when this system
    allows an unprivileged network namespace, else nothing (the profile settings still hold)."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return ()
    for prefix in ((unshare, "-n"), (unshare, "-rn")):
        try:
            ok = (
                subprocess.run([*prefix, "true"], capture_output=True, timeout=10, check=False).returncode
                == 0
            )
        except (OSError, subprocess.SubprocessError):
            ok = False
        if ok:
            return prefix
    return ()


def write_profile(folder: Path) -> str:
    """A fresh LibreOffice profile under `folder` with `PROFILE_SETTINGS`; returns its file URL."""
    user = folder / "profile" / "user"
    user.mkdir(parents=True)
    (user / "registrymodifications.xcu").write_text(PROFILE_SETTINGS, encoding="utf-8")
    return (folder / "profile").as_uri()


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
        profile = write_profile(folder)
        prefix = offline_prefix() if USE_NETWORK_NAMESPACE else ()
        cmd = [*prefix, soffice, "--headless", "--norestore", "--nologo", "--nodefault",
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
