"""Discover stage for object stores: URL prefixes (s3://, gs://, memory://, file://) -> `Source`s.

Lists the files under a URL with fsspec, hashes each one (sha256, streamed) so a resumed run
skips it, expands zip archives, and reads a URL source's bytes where it is processed (`fetch`).
It never parses documents, never writes anything and never downloads a file it does not hash or read.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import PurePosixPath
from typing import Any

from . import errors
from .config import Settings
from .discover import Skipped, discover, from_zip, input_kind
from .records import Source

# A URL with a protocol fsspec can open: "s3://luu-tru/2024/ket-luan-thang-5.pdf".
URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")  # "s3://luu-tru/2024/tb-ket-luan.pdf"
# Filesystems that live inside one process: a worker elsewhere cannot open their URLs, so their
# bytes are read during discovery and travel with the Source, like the members of a zip.
PROCESS_LOCAL_PROTOCOLS = frozenset({"memory"})
_CHUNK = 1 << 20


def is_url(path: str) -> bool:
    """True when `path` is a URL fsspec must open rather than a local path.

    Examples:
        >>> is_url("s3://luu-tru/2020/tb-ket-luan-thang-5.pdf")
        True
        >>> is_url("/mnt/luu-tru/2020/tb-ket-luan-thang-5.pdf"), is_url("C:\\\\Kết luận\\\\tb.pdf")
        (False, False)
    """
    return URL.match(path) is not None


def _filesystem(url: str) -> tuple[Any, str]:
    """The fsspec filesystem of a URL and the path inside it."""
    import fsspec

    fs, root = fsspec.core.url_to_fs(url)
    return fs, str(root)


def _protocol(fs: Any) -> str:
    """The first protocol name of a filesystem ("s3", "memory", "file")."""
    proto = fs.protocol
    return str(proto[0] if isinstance(proto, (tuple, list)) else proto)


def discover_url(url: str, settings: Settings, skipped: Skipped | None = None) -> Iterator[Source]:
    """Yield one Source per document file under a URL (a file, or a prefix listed recursively).

    Files come in sorted order; hidden names, `__MACOSX` folders, Office lock files and files
    that are not documents are skipped (and counted in `skipped`);
    `.zip` files are expanded as local zips are. Each file is read once, streamed, to compute
    its sha256 (the resume key); its bytes are kept only for process-local filesystems.

    Args:
        url: "s3://bucket/prefix/", "gs://…", "file:///mnt/luu-tru", "memory://…".
        settings: `zip_max_ratio` and `zip_max_total_mb` for zip archives.
        skipped: counts the files passed over, for the run summary.

    Returns:
        Sources whose `path` is the full URL ("s3://luu-tru/2020/tb-ket-luan.pdf"); a URL that
        cannot be listed or read is one Source with `error` "not_found: …".

    Examples:
        >>> import fsspec
        >>> fsspec.filesystem("memory").pipe("/luu-tru/tb-ket-luan-thang-5.txt", "Kết luận".encode())
        >>> [(s.path, s.input_kind) for s in discover_url("memory://luu-tru/", Settings())]
        [('memory:///luu-tru/tb-ket-luan-thang-5.txt', 'txt')]
    """
    try:
        fs, root = _filesystem(url)
        listed = fs.isdir(root)
        if listed:
            names = sorted(str(p) for p in fs.find(root))
        elif fs.isfile(root):
            names = [root]
        else:
            raise FileNotFoundError(f"no such file or prefix: {url}")
    except Exception as e:  # ImportError of a missing protocol package (s3fs), auth, network
        yield Source(path=url, input_kind=input_kind(url),
                     error=errors.message("not_found", f"cannot list {url}: {type(e).__name__}: {e}"))  # fmt: skip
        return
    keep_bytes = _protocol(fs) in PROCESS_LOCAL_PROTOCOLS
    skipped = skipped if skipped is not None else Skipped()
    for name in names:
        rel = PurePosixPath(name[len(root) :].lstrip("/") or PurePosixPath(name).name)
        if any(p.startswith(".") for p in rel.parts[:-1]) or "__MACOSX" in rel.parts:
            skipped.hidden += 1
            continue
        if listed and skipped.count(rel.name, name):  # a URL naming one file is read as asked
            continue
        yield from _from_object(fs, name, settings, keep_bytes, skipped)


def _from_object(
    fs: Any, name: str, settings: Settings, keep_bytes: bool, skipped: Skipped
) -> Iterator[Source]:
    """One listed object as a Source (hashed), or the members of a zip object."""
    label = str(fs.unstrip_protocol(name))
    kind = input_kind(name)
    try:
        if name.lower().endswith(".zip"):
            yield from from_zip(label, fs.cat_file(name), settings, depth=0, skipped=skipped)
            return
        digest = hashlib.sha256()
        size = 0
        chunks: list[bytes] = []
        with fs.open(name, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
                if keep_bytes:
                    chunks.append(chunk)
    except Exception as e:
        yield Source(path=label, input_kind=kind,
                     error=errors.message("not_found", f"cannot read {label}: {type(e).__name__}: {e}"))  # fmt: skip
        return
    data = b"".join(chunks) if keep_bytes else None
    yield Source(path=label, sha256=digest.hexdigest(), input_kind=kind, data=data, size=size)


def discover_inputs(
    paths: Iterable[str], settings: Settings, skipped: Skipped | None = None
) -> Iterator[Source]:
    """Sources of every input in order: URLs listed with fsspec (`discover_url`), paths walked (`discover`).

    Examples:
        >>> srcs = discover_inputs(["s3://luu-tru/2024/", "ket-luan-quy-1.zip"], Settings())  # doctest: +SKIP
        >>> [s.path for s in srcs][:2]  # doctest: +SKIP
        ['s3://luu-tru/2024/tb-ket-luan-thang-1.pdf', 's3://luu-tru/2024/tb-ket-luan-thang-2.pdf']
    """
    skipped = skipped if skipped is not None else Skipped()
    for path in paths:
        if is_url(path):
            yield from discover_url(path, settings, skipped)
        else:
            yield from discover([path], settings, skipped)


def fetch(source: Source, settings: Settings) -> Source:
    """The source with its bytes read from its URL; local paths and sources with bytes unchanged.

    Runs where the document is processed (a Ray worker), so the driver never downloads the
    archive. A file over `settings.max_file_mb` is not downloaded: it gets a `too_large` error.

    Args:
        source: a Source from `discover_url` (or any Source).
        settings: `max_file_mb`.

    Returns:
        A copy with `data` set, or with `error` set ("not_found: …", "too_large: …").

    Examples:
        >>> import fsspec
        >>> fsspec.filesystem("memory").pipe("/luu-tru/tb-ket-luan.txt", "Kết luận".encode())
        >>> fetch(Source(path="memory:///luu-tru/tb-ket-luan.txt"), Settings()).data.decode()
        'Kết luận'
    """
    if source.data is not None or source.error or not is_url(source.path):
        return source
    try:
        fs, name = _filesystem(source.path)
        size = int(fs.size(name) or 0)
        if size > settings.max_file_mb * 1024 * 1024:
            detail = f"the file is {size / 1048576:.0f} MB, over the {settings.max_file_mb} MB limit"
            return replace(source, error=errors.message("too_large", detail))
        data = fs.cat_file(name)
    except Exception as e:
        return replace(
            source, error=errors.message("not_found", f"cannot read {source.path}: {type(e).__name__}: {e}")
        )
    return replace(source, data=bytes(data), size=len(data))
