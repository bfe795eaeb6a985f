"""Discover stage: input paths (files, folders, zip archives) -> `records.Source`s with sha256.

Walks folders in sorted order (document types only; hidden, lock and other files skipped and
counted), opens zips (nested too) with bomb, traversal and encryption checks, streaming each
member through its hash without keeping it, and never raises for a bad file: a problem becomes
a Source whose `error` is "code: detail". It never parses documents and never writes anything.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO

from . import errors
from .config import Settings
from .errors import DocumentError
from .records import Source

KIND_BY_EXTENSION = {
    ".pdf": "text_pdf",
    ".docx": "docx",
    ".doc": "doc",
    ".rtf": "doc",
    ".odt": "doc",
    ".txt": "txt",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".tif": "image",
    ".tiff": "image",
    ".bmp": "image",
    ".gif": "image",
    ".webp": "image",
}
ZIP_FLAG_UTF8 = 0x800  # general purpose bit 11: the member name is UTF-8
ZIP_FLAG_ENCRYPTED = 0x1
MAX_ZIP_DEPTH = 5  # zips inside zips deeper than this are reported, not opened
SPOOL_BYTES = 4 << 20  # a nested zip is kept in memory up to this size, then spooled to disk
_CHUNK = 1 << 20
# Office lock files: "~$ket-luan.docx" (Word), ".~lock.ket-luan.docx#" (LibreOffice).
LOCK_FILE = re.compile(r"^(?:~\$|\.~lock\.)")
SURROGATE = re.compile(r"[\ud800-\udfff]")  # a byte of a file name that was not UTF-8: "\udcff"
_SPECIAL = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


@dataclass
class Skipped:
    """Files discovery passed over on purpose, counted for the run summary.

    Examples:
        >>> Skipped(hidden=2, lock=1, other=3).line()
        '6 files skipped (2 hidden, 1 Office lock file, 3 not a document type)'
    """

    hidden: int = 0  # ".DS_Store", ".git/", "__MACOSX/" entries
    lock: int = 0  # Office lock files
    other: int = 0  # files of other types: "SOURCES.tsv", "bang-tinh.xlsx"
    examples: list[str] = field(default_factory=list)  # the first few paths skipped as other types

    @property
    def total(self) -> int:
        """Every file skipped."""
        return self.hidden + self.lock + self.other

    def line(self) -> str:
        """One line for the summary, "" when nothing was skipped."""
        if not self.total:
            return ""
        parts = [f"{n} {what}" for n, what in ((self.hidden, "hidden"), (self.lock, "Office lock file"),
                                               (self.other, "not a document type")) if n]  # fmt: skip
        return f"{self.total} file{'s' if self.total != 1 else ''} skipped ({', '.join(parts)})"

    def count(self, name: str, path: str) -> bool:
        """Count `name` if it is a file to skip; True when it was skipped."""
        base = name.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
        if LOCK_FILE.match(base):
            self.lock += 1
        elif base.startswith(".") or base == "__MACOSX":
            self.hidden += 1
        elif not input_kind(base) and not base.lower().endswith(".zip"):
            self.other += 1
            if len(self.examples) < 5:
                self.examples.append(path)
        else:
            return False
        return True


@dataclass
class ZipMember(Source):
    """A zip member found on disk, read again where it is processed rather than held in memory.

    `archive` is the zip file on disk and `indices` the member's position in each archive level
    (the outer zip, then a zip inside it...), so members of the same name stay apart.
    """

    archive: str = ""
    indices: tuple[int, ...] = ()


@dataclass
class LocalFile(Source):
    """A disk file whose name holds bytes that are not UTF-8 (archives from old Windows systems).

    `path` shows each such byte as "\\xff", so every table, database and terminal can hold it;
    `real_path` (surrogate-escaped, lossless) opens the file.
    """

    real_path: str = ""


def shown(path: str | os.PathLike[str]) -> str:
    """A path as text any output can hold: bytes that are not UTF-8 shown as "\\xff".

    Examples:
        >>> shown(os.fsdecode(b"luu-tru/th\\xf4ng-b\\xe1o.txt"))
        'luu-tru/th\\\\xf4ng-b\\\\xe1o.txt'
        >>> shown("luu-tru/thông-báo.txt")
        'luu-tru/thông-báo.txt'
    """
    text = os.fspath(path)
    if not SURROGATE.search(text):
        return text
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate no file name gives (a path typed by hand)
        return SURROGATE.sub("\ufffd", text)


@dataclass
class _Budget:
    """What one archive (all its nesting levels together) may still expand to, in bytes."""

    left: int
    limit_mb: int


def input_kind(name: str) -> str:
    """Provisional input kind from a file name's extension ("" when unknown).

    Examples:
        >>> input_kind("Thong bao ket luan 11-TB-UBND.PDF")
        'text_pdf'
        >>> input_kind("bảng tổng hợp.xlsx")
        ''
    """
    return KIND_BY_EXTENSION.get(PurePosixPath(name.lower()).suffix, "")


def discover(
    inputs: Iterable[str | Path], settings: Settings, skipped: Skipped | None = None
) -> Iterator[Source]:
    """Yield one Source per document file found in the inputs, in a deterministic order.

    Folders are walked recursively (sorted; symlinked folders followed once: a loop is skipped)
    and only document types are read (.pdf .docx .doc .rtf .odt .txt and images): hidden files
    and folders, Office lock files and other types are skipped and counted in `skipped`. `.zip`
    files are expanded member by member, zips inside zips too, and a member's path is
    "archive.zip!folder/file.pdf" (a second member of the same name gets "file.pdf#2").

    Args:
        inputs: files, folders or zip archives.
        settings: `zip_max_ratio` and `zip_max_total_mb` bound what a zip may expand to.
        skipped: counts the files passed over, for the run summary.

    Returns:
        An iterator of Sources; disk files and members of zips on disk have `data=None`.
        Bad inputs are Sources with `error` set (`not_found`, `corrupt_file`, `zip_unsafe`,
        `unsupported_format` for an empty zip or a special file such as a FIFO).

    Examples:
        >>> [s.error.code for s in discover(["/khong/co/ket-luan-thang-5.pdf"], Settings())]
        ['not_found']
    """
    skipped = skipped if skipped is not None else Skipped()
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            yield from _walk(path, settings, set(), skipped)
        elif path.is_file():
            yield from _from_file(path, settings, skipped)
        else:
            special = _special(path)
            code, detail = ("unsupported_format", special) if special else (
                "not_found", f"no such file or folder: {item}")  # fmt: skip
            yield Source(
                path=shown(item), input_kind=input_kind(str(item)), error=errors.message(code, shown(detail))
            )


def _special(path: Path) -> str:
    """What a path that exists but is not a regular file or folder is ("" when it is not one)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return ""
    for test, what in _SPECIAL:
        if test(mode):
            return f"{what}, not a document file"
    return ""


def _walk(folder: Path, settings: Settings, seen: set[tuple[int, int]], skipped: Skipped) -> Iterator[Source]:
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
        yield Source(path=shown(folder), error=errors.message("not_found", shown(f"cannot list folder: {e}")))
        return
    for entry in entries:
        try:
            if entry.is_dir():
                if entry.name.startswith(".") or entry.name == "__MACOSX":
                    skipped.hidden += 1
                    continue
                yield from _walk(entry, settings, seen, skipped)
            elif skipped.count(entry.name, str(entry)):
                continue
            elif entry.is_file():
                yield from _from_file(entry, settings, skipped)
            else:
                special = _special(entry)
                if special:
                    yield Source(path=shown(entry), input_kind=input_kind(entry.name),
                                 error=errors.message("unsupported_format", special))  # fmt: skip
        except OSError:
            continue


def _from_file(path: Path, settings: Settings, skipped: Skipped | None = None) -> Iterator[Source]:
    """A disk file as a Source, or the members of a zip file."""
    try:
        if path.suffix.lower() == ".zip":
            yield from from_zip(shown(path), path, settings, depth=0, skipped=skipped)
            return
        digest, size = _hash_file(path)
    except OSError as e:
        yield Source(path=shown(path), input_kind=input_kind(path.name),
                     error=errors.message("not_found", shown(f"cannot read the file: {e}")))  # fmt: skip
        return
    if shown(path) != str(path):  # a name with bytes that are not UTF-8: shown as "\xff", opened as it is
        yield LocalFile(path=shown(path), sha256=digest, input_kind=input_kind(path.name), size=size,
                        real_path=str(path))  # fmt: skip
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


def _hash_stream(f: IO[bytes]) -> tuple[str, int]:
    """sha256 hex digest and size of an open binary file, from its start."""
    f.seek(0)
    h = hashlib.sha256()
    size = 0
    while chunk := f.read(_CHUNK):
        h.update(chunk)
        size += len(chunk)
    f.seek(0)
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


_READ_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, RuntimeError,
                NotImplementedError, IndexError)  # fmt: skip


def from_zip(
    label: str, archive: Path | bytes, settings: Settings, depth: int = 0, skipped: Skipped | None = None
) -> Iterator[Source]:
    """Members of a zip (a file on disk or bytes), checked for bombs, traversal and encryption.

    Each member is streamed through its hash and not kept: a member of a zip on disk is a
    `ZipMember` read again where it is processed; a member of a zip given as bytes (an object
    in a store) carries its bytes. Nested zips are spooled (memory, then disk); all nesting
    levels share one budget of `zip_max_total_mb` extracted bytes. A zip that yields no document
    at all (empty, only folders) is one `unsupported_format` Source.

    Args:
        label: how the archive is named in `Source.path` ("luu-tru/ket-luan-quy-1.zip").
        archive: the zip file on disk, or its bytes (an object in a store).
        settings: zip limits (`zip_max_ratio`, `zip_max_total_mb`).
        depth: nesting level of this archive (0 for one found on disk or at a URL).
        skipped: counts hidden, lock and other members passed over.

    Examples:
        >>> import io, zipfile
        >>> buf = io.BytesIO()
        >>> with zipfile.ZipFile(buf, "w") as zf:
        ...     zf.writestr("2024/tb-ket-luan-thang-5.txt", "THÔNG BÁO KẾT LUẬN")
        ...     zf.writestr("2024/tb-ket-luan-thang-5.txt", "THÔNG BÁO KẾT LUẬN (bản 2)")
        >>> [s.path for s in from_zip("ket-luan.zip", buf.getvalue(), Settings())]
        ['ket-luan.zip!2024/tb-ket-luan-thang-5.txt', 'ket-luan.zip!2024/tb-ket-luan-thang-5.txt#2']
    """
    skipped = skipped if skipped is not None else Skipped()
    budget = _Budget(settings.zip_max_total_mb * 1024 * 1024, settings.zip_max_total_mb)
    root = str(archive) if isinstance(archive, Path) else ""
    try:
        fh: IO[bytes] = io.BytesIO(archive) if isinstance(archive, bytes) else open(archive, "rb")
    except OSError as e:
        yield Source(path=label, error=errors.message("not_found", shown(f"cannot read the file: {e}")))
        return
    with fh:
        yield from _zip_members(label, fh, settings, depth, budget, skipped, root, ())


def _zip_members(
    label: str, fh: IO[bytes], settings: Settings, depth: int, budget: _Budget, skipped: Skipped,
    root: str, chain: tuple[int, ...],
) -> Iterator[Source]:  # fmt: skip
    """The members of one open zip (any nesting level); see `from_zip`."""
    try:
        zf = zipfile.ZipFile(fh)
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as e:
        digest, size = _hash_stream(fh)
        yield Source(path=label, sha256=digest, size=size,
                     error=errors.message("corrupt_file", f"the zip archive cannot be opened: {e}"))  # fmt: skip
        return
    yielded = 0
    seen: dict[str, int] = {}
    with zf:
        for index, info in enumerate(infos):
            if info.is_dir():
                continue
            name = member_name(info)
            parts = PurePosixPath(name.replace("\\", "/")).parts
            if any(p.startswith(".") and p != ".." for p in parts[:-1]) or "__MACOSX" in parts:
                skipped.hidden += 1  # .git/, __MACOSX/._x: system files, not documents
                continue
            if skipped.count(name, f"{label}!{name}"):
                continue
            seen[name] = seen.get(name, 0) + 1
            path = f"{label}!{name}" + (f"#{seen[name]}" if seen[name] > 1 else "")
            kind = input_kind(name)
            yielded += 1
            reason = _unsafe_name(name)
            if not reason and info.flag_bits & ZIP_FLAG_ENCRYPTED:
                reason = "the member is password-protected"
            if not reason:
                ratio = info.file_size / max(info.compress_size, 1)
                if ratio > settings.zip_max_ratio:
                    reason = (f"declared compression ratio {ratio:.0f} exceeds the limit "
                              f"{settings.zip_max_ratio} (zip bomb)")  # fmt: skip
                elif info.file_size > budget.left:
                    reason = f"the archive expands beyond {budget.limit_mb} MB (zip bomb)"
            if reason:
                yield Source(path=path, input_kind=kind, error=errors.message("zip_unsafe", reason))
                continue
            nested = name.lower().endswith(".zip")
            if nested and depth + 1 > MAX_ZIP_DEPTH:
                yield Source(path=path, error=errors.message(
                    "zip_unsafe", f"zip archives nested deeper than {MAX_ZIP_DEPTH} levels"))  # fmt: skip
                continue
            keep = nested or not root
            try:
                with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
                    digest, size = _copy_member(zf, info, settings, budget, spool if keep else None,
                                                charge=not nested)  # fmt: skip
                    if nested:
                        yielded -= 1
                        for src in _zip_members(path, spool, settings, depth + 1, budget, skipped,
                                                root, (*chain, index)):  # fmt: skip
                            yielded += 1
                            yield src
                        continue
                    data = spool.read() if keep else None
            except DocumentError as e:
                yield Source(path=path, input_kind=kind, error=errors.message(e.code, e.detail))
                continue
            except _READ_ERRORS as e:
                yield Source(path=path, input_kind=kind,
                             error=errors.message("corrupt_file", f"the zip member cannot be read: {e}"))  # fmt: skip
                continue
            if root:
                yield ZipMember(path=path, sha256=digest, input_kind=kind, size=size,
                                archive=root, indices=(*chain, index))  # fmt: skip
            else:
                yield Source(path=path, sha256=digest, input_kind=kind, data=data, size=size)
    if not yielded:
        digest, size = _hash_stream(fh)
        yield Source(path=label, sha256=digest, size=size, error=errors.message(
            "unsupported_format", "the zip archive holds no document file (it is empty or holds only "
            "folders or other types)"))  # fmt: skip


def _copy_member(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, settings: Settings, budget: _Budget,
    out: IO[bytes] | None, limit: int = -1, charge: bool = True,
) -> tuple[str, int]:  # fmt: skip
    """Stream a member through its hash (into `out` when given), within the bomb limits.

    The declared sizes can lie, so reading stops as soon as the real output exceeds the ratio,
    the budget the archive has left, or `limit` (when not -1). The size is charged to the
    budget unless `charge` is False (a nested zip: its members are charged instead).

    Raises:
        DocumentError: zip_unsafe (a bomb) or too_large (over `limit`).
    """
    cap_ratio = max(info.compress_size, 1) * settings.zip_max_ratio
    h = hashlib.sha256()
    size = 0
    with zf.open(info) as f:
        while chunk := f.read(_CHUNK):
            size += len(chunk)
            if size > cap_ratio:
                raise DocumentError("zip_unsafe", f"actual compression ratio exceeds the limit "
                                    f"{settings.zip_max_ratio} (zip bomb; the declared size was false)")  # fmt: skip
            if size > budget.left:
                raise DocumentError(
                    "zip_unsafe", f"the archive expands beyond {budget.limit_mb} MB (zip bomb)"
                )
            if limit >= 0 and size > limit:
                raise DocumentError("too_large", f"the file is over the {limit // 1048576} MB limit")
            h.update(chunk)
            if out is not None:
                out.write(chunk)
    if charge:
        budget.left -= size
    if out is not None:
        out.seek(0)
    return h.hexdigest(), size


def read_member(source: ZipMember, settings: Settings, limit: int) -> bytes:
    """The bytes of a zip member on disk, read again from its archive (nested zips spooled).

    Args:
        source: a `ZipMember` from `discover`.
        settings: the zip limits, checked again (the archive may have changed).
        limit: the most bytes the member may have (`max_file_mb`).

    Raises:
        DocumentError: not_found (the archive is gone or changed), corrupt_file, zip_unsafe,
            too_large.

    Examples:
        >>> import io, zipfile, tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> with zipfile.ZipFile(folder / "ket-luan.zip", "w") as zf:
        ...     zf.writestr("tb-ket-luan.txt", "THÔNG BÁO KẾT LUẬN")
        >>> member = next(discover([folder / "ket-luan.zip"], Settings()))
        >>> member.data is None, read_member(member, Settings(), 1 << 20).decode()
        (True, 'THÔNG BÁO KẾT LUẬN')
    """
    budget = _Budget(settings.zip_max_total_mb * 1024 * 1024, settings.zip_max_total_mb)
    try:
        with open(source.archive, "rb") as fh:
            return _read_nested(fh, source.indices, settings, budget, limit)
    except DocumentError:
        raise
    except FileNotFoundError as e:
        raise DocumentError("not_found", f"the zip archive is gone: {source.archive}") from e
    except IndexError as e:
        raise DocumentError("not_found", "the zip archive changed since it was listed; run again") from e
    except _READ_ERRORS as e:
        raise DocumentError("corrupt_file", f"the zip member cannot be read: {e}") from e


def _read_nested(
    fh: IO[bytes], indices: tuple[int, ...], settings: Settings, budget: _Budget, limit: int
) -> bytes:
    """The member at `indices` (one index per nesting level) of the zip open in `fh`."""
    with zipfile.ZipFile(fh) as zf:
        info = zf.infolist()[indices[0]]
        if len(indices) == 1:
            buf = io.BytesIO()
            _copy_member(zf, info, settings, budget, buf, limit)
            return buf.getvalue()
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
            _copy_member(zf, info, settings, budget, spool, charge=False)
            return _read_nested(spool, indices[1:], settings, budget, limit)


def source_bytes(source: Source) -> bytes:
    """The bytes of a source: the zip member's, or the file read from disk.

    Raises:
        OSError: the file cannot be read.
        DocumentError: a zip member that can no longer be read.
    """
    if source.data is not None:
        return source.data
    if isinstance(source, ZipMember):
        return read_member(source, Settings(), Settings().max_file_mb * 1024 * 1024)
    return Path(source.path).read_bytes()
