"""Tests of the discover stage: folders, zips (nested, unsafe, legacy names), missing paths."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from pathlib import Path

import pytest

from ketluan.config import Settings
from ketluan.discover import LocalFile, Skipped, ZipMember, discover, input_kind, member_name, source_bytes
from ketluan.errors import DocumentError

SETTINGS = Settings()


def _codes(sources: list) -> list[str]:
    return [s.error.split(":", 1)[0] for s in sources]


class _LegacyName(zipfile.ZipInfo):
    """A ZipInfo written with raw name bytes and no UTF-8 flag, as old Windows zip tools did."""

    raw: bytes = b""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:  # noqa: N802 (zipfile's name)
        return self.raw, self.flag_bits & ~0x800


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


# fmt: off
KIND_CASES = [
    ("Thông báo kết luận.PDF", "text_pdf"),
    ("ket-luan.docx", "docx"),
    ("ket-luan-2003.doc", "doc"),
    ("ban-go.txt", "txt"),
    ("anh-chup.JPEG", "image"),
    ("scan.tif", "image"),
    ("bang-tinh.xlsx", ""),
    ("SOURCES.tsv", ""),
    ("ban-chuyen-doi.odt", "doc"),
]
# fmt: on


@pytest.mark.parametrize(("name", "kind"), KIND_CASES)
def test_discover_input_kind_from_extension(name: str, kind: str) -> None:
    assert input_kind(name) == kind


def test_discover_folder_recursion_sorted_hidden_skipped(tmp_path: Path) -> None:
    (tmp_path / "2024" / "thang-03").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    (tmp_path / "2024" / "thang-03" / "b.pdf").write_bytes(b"%PDF-1.4 b")
    (tmp_path / "2024" / "a.docx").write_bytes(b"PK a")
    (tmp_path / "kết luận.txt").write_text("Kết luận", encoding="utf-8")
    (tmp_path / ".git" / "HEAD").write_text("ref")
    sources = list(discover([tmp_path], SETTINGS))
    rel = [Path(s.path).relative_to(tmp_path).as_posix() for s in sources]
    assert rel == ["2024/a.docx", "2024/thang-03/b.pdf", "kết luận.txt"]
    assert [s.input_kind for s in sources] == ["docx", "text_pdf", "txt"]
    assert sources[1].sha256 == hashlib.sha256(b"%PDF-1.4 b").hexdigest()
    assert sources[1].size == 10 and sources[1].data is None and sources[1].error == ""


def test_discover_missing_path_is_a_not_found_source(tmp_path: Path) -> None:
    sources = list(discover([tmp_path / "khong-co.pdf"], SETTINGS))
    assert _codes(sources) == ["not_found"]
    assert sources[0].path.endswith("khong-co.pdf") and sources[0].input_kind == "text_pdf"


def test_discover_symlink_loop_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_text("Kết luận")
    os.symlink(tmp_path / "a", tmp_path / "a" / "loop")
    os.symlink(tmp_path / "a" / "x.txt", tmp_path / "a" / "y.txt")
    sources = list(discover([tmp_path], SETTINGS))
    names = sorted(Path(s.path).name for s in sources)
    assert names == ["x.txt", "y.txt"]


def test_discover_zip_members_with_nested_folder_and_zip(tmp_path: Path) -> None:
    inner = _zip({"thang-5/kl.txt": "Kết luận tháng 5".encode()})
    archive = tmp_path / "luu-tru.zip"
    archive.write_bytes(_zip({"2024/": b"", "2024/tb-12.pdf": b"%PDF-1.4 x", "con.zip": inner}))
    sources = list(discover([archive], SETTINGS))
    assert [s.path for s in sources] == [
        f"{archive}!2024/tb-12.pdf",
        f"{archive}!con.zip!thang-5/kl.txt",
    ]
    # members are not held in memory: they are read again from the archive where they are processed
    assert [s.data for s in sources] == [None, None]
    assert source_bytes(sources[0]) == b"%PDF-1.4 x" and sources[0].input_kind == "text_pdf"
    assert source_bytes(sources[1]) == "Kết luận tháng 5".encode() and sources[1].name == "kl.txt"
    assert sources[1].sha256 == hashlib.sha256(source_bytes(sources[1])).hexdigest()


# fmt: off
UNSAFE_CASES = [
    ("../../etc/passwd.txt", "path traversal"),
    ("/tmp/tuyet-doi.pdf", "absolute path"),
    ("thu-muc/../../x.pdf", "path traversal"),
]
# fmt: on


@pytest.mark.parametrize(("name", "reason"), UNSAFE_CASES)
def test_discover_zip_unsafe_member_names(tmp_path: Path, name: str, reason: str) -> None:
    archive = tmp_path / "a.zip"
    archive.write_bytes(_zip({name: b"x", "ok.txt": b"Ket luan"}))
    sources = list(discover([archive], SETTINGS))
    assert _codes(sources) == ["zip_unsafe", ""]
    assert reason in sources[0].error and sources[0].data is None


def test_discover_zip_bomb_member_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "bom.zip"
    archive.write_bytes(_zip({"zeros.txt": b"\0" * (50 * 1024 * 1024), "ok.txt": b"Ket luan"}))
    sources = list(discover([archive], SETTINGS))
    assert _codes(sources) == ["zip_unsafe", ""]
    assert "zip bomb" in sources[0].error


def test_discover_zip_total_limit(tmp_path: Path) -> None:
    archive = tmp_path / "lon.zip"
    archive.write_bytes(
        _zip({"a.txt": os.urandom(700_000), "b.txt": os.urandom(700_000)}, zipfile.ZIP_STORED)
    )
    sources = list(discover([archive], Settings(zip_max_total_mb=1)))
    assert _codes(sources) == ["", "zip_unsafe"]


def test_discover_zip_lying_sizes_stop_reading(tmp_path: Path) -> None:
    # The central directory claims a small size; the real data inflates to 5 MB.
    data = bytearray(_zip({"x.txt": b"\0" * (5 * 1024 * 1024)}))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).infolist()[0]
    real = info.file_size.to_bytes(4, "little")
    fake = (info.compress_size * 2).to_bytes(4, "little")
    data = bytes(data).replace(real, fake)
    archive = tmp_path / "doi.zip"
    archive.write_bytes(data)
    sources = list(discover([archive], SETTINGS))
    assert _codes(sources) in (["zip_unsafe"], ["corrupt_file"])


def test_discover_zip_encrypted_member(tmp_path: Path) -> None:
    # zipfile cannot write encrypted members: set the "encrypted" flag bit in both headers.
    data = bytearray(_zip({"mat.pdf": b"%PDF-1.4"}))
    local, central = data.find(b"PK\x03\x04"), data.find(b"PK\x01\x02")
    data[local + 6] |= 0x1
    data[central + 8] |= 0x1
    archive = tmp_path / "mat.zip"
    archive.write_bytes(bytes(data))
    sources = list(discover([archive], SETTINGS))
    assert _codes(sources) == ["zip_unsafe"] and "password" in sources[0].error


# fmt: off
NAME_CASES = [
    ("Kết luận giao ban tháng 5.pdf".encode(), "Kết luận giao ban tháng 5.pdf"),
    ("Báo cáo tháng 5.doc".encode("cp1258"), "Báo cáo tháng 5.doc"),
    (b"plain-ascii.txt", "plain-ascii.txt"),
]
# fmt: on


@pytest.mark.parametrize(("raw", "expected"), NAME_CASES)
def test_discover_zip_legacy_member_names(tmp_path: Path, raw: bytes, expected: str) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        info = _LegacyName(raw.decode("cp437"))
        info.raw = raw
        zf.writestr(info, b"Ket luan")
    assert zipfile.ZipFile(io.BytesIO(buf.getvalue())).infolist()[0].flag_bits & 0x800 == 0
    archive = tmp_path / "cu.zip"
    archive.write_bytes(buf.getvalue())
    sources = list(discover([archive], SETTINGS))
    assert sources[0].path == f"{archive}!{expected}"
    assert member_name(zipfile.ZipInfo("Kết luận.pdf")) == "Kết luận.pdf"


def test_discover_corrupt_zip_is_one_error_source(tmp_path: Path) -> None:
    archive = tmp_path / "hong.zip"
    archive.write_bytes(b"PK\x03\x04 not really a zip")
    sources = list(discover([archive], SETTINGS))
    assert _codes(sources) == ["corrupt_file"] and sources[0].sha256


def test_discover_zip_duplicate_member_names_are_kept_apart(tmp_path: Path) -> None:
    archive = tmp_path / "trung-ten.zip"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf, pytest.warns(UserWarning, match="Duplicate name"):
        zf.writestr("2024/ket-luan.txt", "Kết luận tháng 5".encode())
        zf.writestr("2024/ket-luan.txt", "Kết luận tháng 6".encode())
        zf.writestr("2024/ket-luan.txt", "Kết luận tháng 7".encode())
    archive.write_bytes(buf.getvalue())
    sources = list(discover([archive], SETTINGS))
    assert [s.path.rsplit("!", 1)[1] for s in sources] == [
        "2024/ket-luan.txt",
        "2024/ket-luan.txt#2",
        "2024/ket-luan.txt#3",
    ]
    assert [source_bytes(s).decode() for s in sources] == [f"Kết luận tháng {m}" for m in (5, 6, 7)]
    assert [s.input_kind for s in sources] == ["txt"] * 3
    assert len({s.sha256 for s in sources}) == 3


def test_discover_nested_zips_share_one_budget(tmp_path: Path) -> None:
    # three nested zips of 400 KB each under a 1 MB limit: the third one is refused (each nested
    # zip used to get a budget of its own)
    parts = {
        f"phan-{i}.zip": _zip({"ket-luan.txt": os.urandom(400_000)}, zipfile.ZIP_STORED) for i in range(3)
    }
    archive = tmp_path / "long-nhau.zip"
    archive.write_bytes(_zip(parts, zipfile.ZIP_STORED))
    sources = list(discover([archive], Settings(zip_max_total_mb=1)))
    assert [s.path.split("!", 1)[1] for s in sources] == ["phan-0.zip!ket-luan.txt", "phan-1.zip!ket-luan.txt",
                                                          "phan-2.zip"]  # fmt: skip
    assert _codes(sources) == ["", "", "zip_unsafe"]
    assert "beyond 1 MB" in sources[2].error


def test_discover_zip_members_are_streamed_not_held(tmp_path: Path) -> None:
    archive = tmp_path / "lon.zip"
    archive.write_bytes(_zip({f"tb-{i}.txt": os.urandom(300_000) for i in range(5)}, zipfile.ZIP_STORED))
    sources = list(discover([archive], SETTINGS))
    assert all(isinstance(s, ZipMember) and s.data is None and s.size == 300_000 for s in sources)
    assert sources[3].indices == (3,) and sources[3].archive == str(archive)
    archive.write_bytes(_zip({"khac.txt": b"x"}))  # the archive changed after it was listed
    with pytest.raises(DocumentError) as raised:
        source_bytes(sources[3])
    assert raised.value.code == "not_found"


@pytest.mark.parametrize(
    ("members", "why"),
    [({}, "empty"), ({"2024/": b"", "2024/thang-05/": b""}, "folders"), ({"bang-tinh.xlsx": b"PK"}, "other")],
)
def test_discover_zip_without_documents_gives_one_row(
    tmp_path: Path, members: dict[str, bytes], why: str
) -> None:
    archive = tmp_path / f"{why}.zip"
    archive.write_bytes(_zip(members))
    sources = list(discover([archive], SETTINGS))
    assert [s.path for s in sources] == [str(archive)]
    assert _codes(sources) == ["unsupported_format"] and "holds no document file" in sources[0].error
    assert sources[0].sha256 == hashlib.sha256(archive.read_bytes()).hexdigest()


def test_discover_skips_and_counts_hidden_lock_and_other_files(tmp_path: Path) -> None:
    for name in ("ket-luan.pdf", "SOURCES.tsv", "~$ket-luan.docx", ".~lock.ket-luan.docx#", ".DS_Store",
                 "bang-tinh.xlsx", "giay-moi.docx"):  # fmt: skip
        (tmp_path / name).write_bytes(b"%PDF-1.4 x" if name.endswith(".pdf") else b"x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref")
    archive = tmp_path / "nen.zip"
    archive.write_bytes(_zip({"a/ket-luan.txt": b"Ket luan", "a/~$ket-luan.docx": b"x", "__MACOSX/a/._x": b"x",
                              "a/so-lieu.csv": b"x"}))  # fmt: skip
    skipped = Skipped()
    sources = list(discover([tmp_path], SETTINGS, skipped))
    assert sorted(Path(s.path.split("!")[0]).name + ("!" + s.path.split("!")[1] if "!" in s.path else "")
                  for s in sources) == ["giay-moi.docx", "ket-luan.pdf", "nen.zip!a/ket-luan.txt"]  # fmt: skip
    assert (skipped.hidden, skipped.lock, skipped.other) == (3, 3, 3)
    assert skipped.line() == "9 files skipped (3 hidden, 3 Office lock file, 3 not a document type)"


def test_discover_special_files_are_unsupported_not_missing(tmp_path: Path) -> None:
    folder = tmp_path / "thu-muc"
    folder.mkdir()
    os.mkfifo(folder / "ong.pdf")
    os.symlink("/dev/zero", folder / "zero.txt")
    (folder / "ket-luan.txt").write_text("Kết luận", encoding="utf-8")
    sources = list(discover([folder, folder / "ong.pdf", folder / "zero.txt"], SETTINGS))
    assert [(Path(s.path).name, s.error.split(":")[0]) for s in sources] == [
        ("ket-luan.txt", ""), ("ong.pdf", "unsupported_format"), ("zero.txt", "unsupported_format"),
        ("ong.pdf", "unsupported_format"), ("zero.txt", "unsupported_format"),
    ]  # fmt: skip
    assert "named pipe (FIFO)" in sources[1].error and "character device" in sources[2].error


def test_discover_name_with_invalid_utf8_is_shown_escaped_and_still_opens(tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/thong-bao-\xff-ket-luan.txt"
    with open(raw, "wb") as fh:
        fh.write("Kết luận".encode())
    with zipfile.ZipFile(os.fsdecode(os.fsencode(tmp_path) + b"/n\xe9n.zip"), "w") as zf:
        zf.writestr("tb.txt", "Thông báo")
    sources = list(discover([tmp_path], SETTINGS))
    assert [s.path for s in sources] == [
        f"{tmp_path}/n\\xe9n.zip!tb.txt",
        f"{tmp_path}/thong-bao-\\xff-ket-luan.txt",
    ]
    assert all(s.path.encode("utf-8") for s in sources)  # no surrogate reaches a table
    assert isinstance(sources[1], LocalFile) and sources[1].real_path == os.fsdecode(raw)
    from ketluan.extract import read_bytes

    assert read_bytes(sources[1]).decode() == "Kết luận"
    assert read_bytes(sources[0]).decode() == "Thông báo"
