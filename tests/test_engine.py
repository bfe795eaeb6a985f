"""Tests of the local engine (engine/local.py): OCR pages as tasks of their own give the document
the sequential path gives, one document runs without a pool, workers are forked (a plain script
without a main guard works), and the time limit holds for a document run in the caller's process.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from ketluan.chain import process_source
from ketluan.config import Settings
from ketluan.engine import local
from ketluan.records import Document, Source

REPO = Path(__file__).resolve().parents[1]
# A dev-corpus conclusion that renders on three A4 pages (tools/render.py).
THREE_PAGE_TEXT = "d01_vp_ubnd_tinh_giao_ban_thang"
OCR_SETTINGS = {"workers": 2, "ocr_dpi": 200}  # 200 dpi keeps the OCR short

# A short monthly conclusion in the layout of Nghị định 30/2020/NĐ-CP (header, title, I./II.).
CONCLUSION = """ỦY BAN NHÂN DÂN
HUYỆN NGHĨA HƯNG
Số: 112/TB-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Nghĩa Hưng, ngày 05 tháng 6 năm 2024
THÔNG BÁO
Kết luận của Chủ tịch UBND huyện tại cuộc họp giao ban tháng 5/2024
I. KẾT QUẢ ĐẠT ĐƯỢC
1. Thu ngân sách trên địa bàn đạt 45% dự toán năm.
II. TỒN TẠI, HẠN CHẾ
1. Tiến độ giải ngân vốn đầu tư công còn chậm.
III. NHIỆM VỤ THỜI GIAN TỚI
1. Phòng Tài chính - Kế hoạch chủ trì, phối hợp với các xã đẩy nhanh tiến độ giải ngân.
Nơi nhận:
- Như trên;
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Trần Văn Bình
"""


@pytest.fixture(scope="module")
def scan3(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path) -> Path:
    """A three-page office scan (skew, noise, JPEG, a stamp on the last page) of a dev conclusion."""
    from tools import scans
    from tools.render import parse_source, render_pdf

    folder = tmp_path_factory.mktemp("scan3")
    text = (shared_dir / "corpus" / "dev" / "text" / f"{THREE_PAGE_TEXT}.txt").read_text(encoding="utf-8")
    pdf = render_pdf(parse_source(text), folder / "text.pdf", seed=0)
    return scans.make_scan(pdf, folder / "scan.pdf", seed=1, stamp=True, rotate=0.5)


def _source(path: Path) -> Source:
    return Source(path=str(path), input_kind="text_pdf", size=path.stat().st_size)


def _spy_read_page(source: Source, number: int, settings: Settings, data: bytes | None = None) -> object:
    """`local.read_page` that notes each page it reads in the file named by KETLUAN_TEST_PAGES."""
    with open(os.environ["KETLUAN_TEST_PAGES"], "a", encoding="utf-8") as fh:
        fh.write(f"{number}\n")
    return _REAL_READ_PAGE(source, number, settings, data)


_REAL_READ_PAGE = local.read_page


def _sleepy(source: Source, settings: Settings) -> Document:
    """A per-document function that never finishes in time."""
    time.sleep(30)
    return process_source(source, settings)


def test_engine_run_document_hands_back_the_ocr_pages(scan3: Path) -> None:
    work = local.run_document(process_source, _source(scan3), Settings(**OCR_SETTINGS), split=True)
    assert work == local.PageWork(numbers=[1, 2, 3], data=None)


def test_engine_run_document_without_split_is_the_document() -> None:
    src = Source(path="thong-bao-ket-luan.txt", data=CONCLUSION.encode("utf-8"), input_kind="txt")
    doc = local.run_document(process_source, src, Settings(), split=True)
    assert isinstance(doc, Document)
    assert (doc.status, doc.fields.doc_number) == ("ok", "112/TB-UBND")


@pytest.mark.slow
def test_engine_page_split_gives_the_sequential_document(
    scan3: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(**OCR_SETTINGS)
    note = tmp_path / "pages.txt"
    monkeypatch.setenv("KETLUAN_TEST_PAGES", str(note))
    monkeypatch.setattr(local, "read_page", _spy_read_page)  # forked workers inherit the spy
    txt = tmp_path / "thong-bao.txt"
    txt.write_text(CONCLUSION, encoding="utf-8")
    sources = [_source(scan3), Source(path=str(txt), input_kind="txt", size=txt.stat().st_size)]
    docs = {d.source_path: d for d in local.process_many(sources, settings)}
    sequential = process_source(_source(scan3), settings)
    split = docs[str(scan3)]
    assert sorted(note.read_text().split()) == ["1", "2", "3"]  # three page tasks
    assert (split.status, split.pages, split.ocr_pages, split.input_kind) == ("ok", 3, 3, "scanned_pdf"), (
        split.error
    )
    assert dataclasses.asdict(split) == dataclasses.asdict(sequential)
    assert docs[str(txt)].fields.doc_number == "112/TB-UBND"


def test_engine_one_document_runs_without_a_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pool(*args: object) -> None:
        raise AssertionError("a pool was started for one document")

    monkeypatch.setattr(local, "_make_pool", no_pool)
    src = Source(path="thong-bao-ket-luan.txt", data=CONCLUSION.encode("utf-8"), input_kind="txt")
    (doc,) = local.process_many([src], Settings(workers=2))
    assert (doc.status, doc.fields.doc_number) == ("ok", "112/TB-UBND")


def test_engine_one_document_keeps_its_time_limit() -> None:
    src = Source(path="thong-bao-ket-luan.txt", data=CONCLUSION.encode("utf-8"), input_kind="txt")
    started = time.monotonic()
    (doc,) = local.process_many([src], Settings(timeout=0.5), func=_sleepy)
    assert time.monotonic() - started < 10
    assert doc.error.startswith("timeout: stopped after 0.5 s; ")


@pytest.mark.skipif(local.START_METHOD != "fork", reason="workers are forked on Linux only")
def test_engine_plain_script_without_main_guard_runs(tmp_path: Path) -> None:
    folder = tmp_path / "luu-tru"
    folder.mkdir()
    for k in range(3):
        (folder / f"tb-{k}.txt").write_text(CONCLUSION.replace("112/", f"{112 + k}/"), encoding="utf-8")
    script = tmp_path / "chay.py"
    script.write_text(
        textwrap.dedent(f"""
        import ketluan
        summary = ketluan.run({str(folder)!r}, {str(tmp_path / "out")!r}, {{"workers": 2}})
        print(summary.ok, summary.error)
        """),
        encoding="utf-8",
    )
    out = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300, cwd=tmp_path
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["3", "0"]


def test_engine_modules_load_without_pandas() -> None:
    """The engine, the store and a worker import no pandas (the export loads it, or `warm_export`)."""
    code = (
        "import sys, ketluan.engine.local, ketluan.store, ketluan.chain; "
        "print(sorted(m for m in ('pandas', 'spacy', 'underthesea') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_engine_one_worker_loads_models_itself_same_rows(tmp_path: Path) -> None:
    """One PDF alone runs in the run's process; two copies of it go to one worker forked before any
    model is loaded (it loads them itself while the run's process imports the export modules). The
    rows of both runs equal the document processed here, column by column."""
    import shutil

    import ketluan
    from ketluan.store import load

    pdf = (
        Path(__file__).resolve().parents[1]
        / "data"
        / "samples"
        / "thong-bao-ket-luan-giao-ban-thang-7-2024-bao-loc.pdf"
    )
    here = process_source(Source(path=str(pdf), input_kind="text_pdf", sha256=""), Settings(workers=1))
    alone = ketluan.run([pdf], tmp_path / "alone", settings={"workers": 1, "force": True})
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copyfile(pdf, folder / "a.pdf")
    (folder / "b.pdf").write_bytes(pdf.read_bytes() + b"\n% ban sao\n")  # other bytes: read, not reused
    pooled = ketluan.run([folder], tmp_path / "pooled", settings={"workers": 1, "force": True})
    assert (alone.ok, alone.workers, pooled.ok, pooled.workers, pooled.reused) == (1, 1, 2, 1, 0)
    items = load(tmp_path / "alone")["items"]
    assert items["text"].tolist() == [i.text for i in here.items]
    assert items["category"].tolist() == [i.category for i in here.items]
    tables = load(tmp_path / "pooled")
    for path in (folder / "a.pdf", folder / "b.pdf"):
        doc_id = tables["documents"].set_index("source_path").loc[str(path), "doc_id"]
        rows = tables["items"][tables["items"]["doc_id"] == doc_id].drop(
            columns=["doc_id", "item_id", "section_id"]
        )
        assert rows.reset_index(drop=True).equals(items.drop(columns=["doc_id", "item_id", "section_id"]))


# fmt: off
@pytest.mark.parametrize("kinds,settings,expected", [
    (["txt"], {}, False),                       # one text document: read in the caller's process
    (["docx"], {}, False),
    (["text_pdf"], {}, False),                  # `ketluan run one.pdf`: no worker importing it all again
    (["image"], {}, True),                      # a photo's OCR goes to a worker even alone
    (["doc"], {}, True),
    (["txt", "txt"], {}, True),
    (["text_pdf", "image"], {"strict": True}, False),  # strict mode stops at the first bad file here
    ([], {}, False),
])
# fmt: on
def test_engine_uses_pool_only_for_work_in_workers(kinds: list[str], settings: dict[str, object], expected: bool) -> None:
    sources = [Source(path=f"thong-bao-{k}.{kind}", input_kind=kind) for k, kind in enumerate(kinds)]
    assert local.uses_pool(sources, Settings(**settings)) is expected  # type: ignore[arg-type]


@pytest.mark.skipif(local.START_METHOD != "fork", reason="workers are started early where they are forked")
def test_engine_workers_started_early_are_stopped_when_nothing_is_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A resumed run whose files are all done still started its workers (before the store said
    so): they are stopped, and the run's tables are written as before."""
    import psutil

    import ketluan

    folder = tmp_path / "luu-tru"
    folder.mkdir()
    for k in range(2):
        (folder / f"tb-{k}.txt").write_text(CONCLUSION.replace("112/", f"{112 + k}/"), encoding="utf-8")
    started: list[local.Workers] = []
    real = local.Workers.__init__

    def spy(self: local.Workers, sources: list[Source], settings: Settings) -> None:
        real(self, sources, settings)
        started.append(self)

    monkeypatch.setattr(local.Workers, "__init__", spy)
    first = ketluan.run(folder, tmp_path / "out", {"workers": 1})
    again = ketluan.run(folder, tmp_path / "out", {"workers": 1})
    assert (first.ok, again.ok, again.skipped) == (2, 0, 2)
    assert len(started) == 2 and all(w._closed and w._joined for w in started)
    assert [p for p in psutil.Process().children() if p.is_running() and p.status() != "zombie"] == []


def test_engine_workers_close_twice_waits_once() -> None:
    src = [Source(path="thong-bao-ket-luan.txt", data=CONCLUSION.encode("utf-8"), input_kind="txt")] * 2
    workers = local.Workers(src, Settings(workers=1))
    docs = list(local.process_many(src, Settings(workers=1), started=workers))
    assert [d.fields.doc_number for d in docs] == ["112/TB-UBND"] * 2
    assert workers._closed and not workers._joined  # the caller waits, after its own work
    workers.close()
    workers.close()
    assert workers._joined
