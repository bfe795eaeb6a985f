"""Discover stage: input paths (files, folders, zip archives) -> `records.Source`s with sha256.

Walks folders in sorted order, opens zips (nested too) with bomb, traversal and encryption checks,
and never raises for a bad file: a problem becomes a Source whose `error` is "code: detail".
It never parses documents (extract does) and never writes anything.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath

from . import errors
from .config import Settings
from .records import Source

KIND_BY_EXTENSION = {
    ".pdf": "text_pdf",
    ".docx": "docx",
    ".doc": "doc",
    ".txt": "txt",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".tif": "image",
    ".tiff": "image",
}
ZIP_FLAG_UTF8 = 0x800  # general purpose bit 11: the member name is UTF-8
ZIP_FLAG_ENCRYPTED = 0x1
MAX_ZIP_DEPTH = 5  # zips inside zips deeper than this are reported, not opened
_CHUNK = 1 << 20


def input_kind(name: str) -> str:
    """Provisional input kind from a file name's extension ("" when unknown).

    Examples:
        >>> input_kind("Thong bao ket luan 11-TB-UBND.PDF")
        'text_pdf'
        >>> input_kind("biên bản.odt")
        ''
    """
    return KIND_BY_EXTENSION.get(PurePosixPath(name.lower()).suffix, "")


def discover(inputs: Iterable[str | Path], settings: Settings) -> Iterator[Source]:
    """Yield one Source per document file found in the inputs, in a deterministic order.

    Folders are walked recursively (sorted, hidden folders such as `.git` skipped, symlinked
    folders followed once: a loop is skipped); `.zip` files are expanded member by member, zips
    inside zips too, and a member's path is "archive.zip!folder/file.pdf".

    Args:
        inputs: files, folders or zip archives.
        settings: `zip_max_ratio` and `zip_max_total_mb` bound what a zip may expand to.

    Returns:
        An iterator of Sources; disk files have `data=None`, zip members carry their bytes.
        Bad inputs are Sources with `error` set (`not_found`, `corrupt_file`, `zip_unsafe`).

    Examples:
        >>> [s.error.code for s in discover(["/khong/co/ket-luan-thang-5.pdf"], Settings())]
        ['not_found']
    """
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            yield from _walk(path, settings, set())
        elif path.is_file():
            yield from _from_file(path, settings)
        else:
            yield Source(
                path=str(item),
                input_kind=input_kind(str(item)),
                error=errors.message("not_found", f"no such file or folder: {item}"),
            )


def _walk(folder: Path, settings: Settings, seen: set[tuple[int, int]]) -> Iterator[Source]:
    """Files of a folder tree in sorted order, following symlinks but never twice into a folder."""
    try:
        st = folder.stat()
    except OSError:
        return
    key = (st.st_dev, st.st_ino)
    if key in seen:  # a symlink loop, or the same folder reached twice
        return
    seen = seen | {key}
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as e:
        yield Source(path=str(folder), error=errors.message("not_found", f"cannot list folder: {e}"))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            if entry.is_dir():
                yield from _walk(entry, settings, seen)
            elif entry.is_file():
                yield from _from_file(entry, settings)
        except OSError:
            continue


def _from_file(path: Path, settings: Settings) -> Iterator[Source]:
    """A disk file as a Source, or the members of a zip file."""
    try:
        if path.suffix.lower() == ".zip":
            yield from from_zip(str(path), path, settings, depth=0)
            return
        digest, size = _hash_file(path)
    except OSError as e:
        yield Source(path=str(path), input_kind=input_kind(path.name),
                     error=errors.message("not_found", f"cannot read the file: {e}"))  # fmt: skip
        return
    yield Source(path=str(path), sha256=digest, input_kind=input_kind(path.name), size=size)


def _hash_file(path: Path) -> tuple[str, int]:
    """sha256 hex digest and size of a file, read in chunks."""
    h = hashlib.sha256()
    size = 0
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def member_name(info: zipfile.ZipInfo) -> str:
    """The member name with Vietnamese restored when the zip did not flag it as UTF-8.

    zipfile decodes unflagged names as CP437; Windows zip tools wrote them as UTF-8 without the
    flag or in the Vietnamese code page cp1258, so the CP437 text is turned back into its bytes
    and decoded again.

    Examples:
        >>> info = zipfile.ZipInfo("Kết luận.pdf".encode("utf-8").decode("cp437"))
        >>> member_name(info)
        'Kết luận.pdf'
    """
    name = info.filename
    if info.flag_bits & ZIP_FLAG_UTF8:
        return name
    try:
        raw = name.encode("cp437")
    except UnicodeEncodeError:
        return name
    for encoding in ("utf-8", "cp1258"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return name


def _unsafe_name(name: str) -> str:
    """Why a member name is unsafe to use (absolute path, traversal), or ""."""
    norm = name.replace("\\", "/")
    if norm.startswith("/") or (len(norm) > 1 and norm[1] == ":"):
        return f"absolute path {name!r}"
    if ".." in PurePosixPath(norm).parts:
        return f"path traversal {name!r}"
    return ""


def from_zip(label: str, archive: Path | bytes, settings: Settings, depth: int) -> Iterator[Source]:
    """Members of a zip (a file on disk or bytes), checked for bombs, traversal and encryption.

    Args:
        label: how the archive is named in `Source.path` ("luu-tru/ket-luan-quy-1.zip").
        archive: the zip file on disk, or its bytes (a member of another zip, an object in a store).
        settings: zip limits (`zip_max_ratio`, `zip_max_total_mb`).
        depth: nesting level of this archive (0 for one found on disk or at a URL).

    Examples:
        >>> import io, zipfile
        >>> buf = io.BytesIO()
        >>> with zipfile.ZipFile(buf, "w") as zf:
        ...     zf.writestr("2024/tb-ket-luan-thang-5.txt", "THÔNG BÁO KẾT LUẬN")
        >>> [s.path for s in from_zip("ket-luan.zip", buf.getvalue(), Settings(), depth=0)]
        ['ket-luan.zip!2024/tb-ket-luan-thang-5.txt']
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(archive) if isinstance(archive, bytes) else archive)
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as e:
        if isinstance(archive, bytes):
            digest, size = hashlib.sha256(archive).hexdigest(), len(archive)
        else:
            digest, size = _hash_file(archive)
        yield Source(path=label, sha256=digest, size=size,
                     error=errors.message("corrupt_file", f"the zip archive cannot be opened: {e}"))  # fmt: skip
        return
    limit_total = settings.zip_max_total_mb * 1024 * 1024
    used = 0
    with zf:
        for info in infos:
            if info.is_dir():
                continue
            name = member_name(info)
            path = f"{label}!{name}"
            kind = input_kind(name)
            parts = PurePosixPath(name.replace("\\", "/")).parts
            if any(p.startswith(".") and p != ".." for p in parts) or "__MACOSX" in parts:
                continue  # .git/, __MACOSX/._x, .DS_Store: system files, not documents
            reason = _unsafe_name(name)
            if not reason and info.flag_bits & ZIP_FLAG_ENCRYPTED:
                reason = "the member is password-protected"
            if not reason:
                ratio = info.file_size / max(info.compress_size, 1)
                if ratio > settings.zip_max_ratio:
                    reason = (f"declared compression ratio {ratio:.0f} exceeds the limit "
                              f"{settings.zip_max_ratio} (zip bomb)")  # fmt: skip
                elif used + info.file_size > limit_total:
                    reason = f"the archive expands beyond {settings.zip_max_total_mb} MB (zip bomb)"
            if reason:
                yield Source(path=path, input_kind=kind, error=errors.message("zip_unsafe", reason))
                continue
            try:
                content, why = _read_member(zf, info, settings, limit_total - used)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError,
                    NotImplementedError) as e:  # fmt: skip
                yield Source(path=path, input_kind=kind,
                             error=errors.message("corrupt_file", f"the zip member cannot be read: {e}"))  # fmt: skip
                continue
            if content is None:
                yield Source(path=path, input_kind=kind, error=errors.message("zip_unsafe", why))
                continue
            used += len(content)
            if name.lower().endswith(".zip"):
                if depth + 1 > MAX_ZIP_DEPTH:
                    yield Source(path=path, error=errors.message(
                        "zip_unsafe", f"zip archives nested deeper than {MAX_ZIP_DEPTH} levels"))  # fmt: skip
                    continue
                yield from from_zip(path, content, settings, depth + 1)
                continue
            yield Source(path=path, sha256=hashlib.sha256(content).hexdigest(),
                         input_kind=kind, data=content, size=len(content))  # fmt: skip


def _read_member(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, settings: Settings, budget: int
) -> tuple[bytes | None, str]:
    """The member's bytes, or None and why when the actual bytes break the bomb limits.

    The declared sizes can lie, so reading stops as soon as the real output exceeds the ratio
    or the remaining total budget.
    """
    cap_ratio = max(info.compress_size, 1) * settings.zip_max_ratio
    out = bytearray()
    with zf.open(info) as f:
        while chunk := f.read(_CHUNK):
            out += chunk
            if len(out) > cap_ratio:
                return None, (f"actual compression ratio exceeds the limit {settings.zip_max_ratio} "
                              "(zip bomb; the declared size was false)")  # fmt: skip
            if len(out) > budget:
                return None, f"the archive expands beyond {settings.zip_max_total_mb} MB (zip bomb)"
    return bytes(out), ""


def source_bytes(source: Source) -> bytes:
    """The bytes of a source: the zip member's, or the file read from disk.

    Raises:
        OSError: the file cannot be read.
    """
    if source.data is not None:
        return source.data
    return Path(source.path).read_bytes()
