"""Tests of one document read in a forked child (engine/alone.py): the same Document as in this
process, the run's process never imports the document's modules, a child that dies or hangs is
the document's error row, and no child is left behind (no zombie).
"""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from ketluan.chain import process_source
from ketluan.config import Settings
from ketluan.engine import alone, local
from ketluan.records import Document, Source

pytestmark = pytest.mark.skipif(local.START_METHOD != "fork", reason="the child is forked on Linux only")

# A short conclusion in the layout of Nghị định 30/2020/NĐ-CP (header, title, I./II./III., signer).
CONCLUSION = """ỦY BAN NHÂN DÂN
HUYỆN GIAO THỦY
Số: 57/TB-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Giao Thủy, ngày 12 tháng 7 năm 2024
THÔNG BÁO
Kết luận của Chủ tịch UBND huyện tại cuộc họp giao ban tháng 6/2024
I. KẾT QUẢ ĐẠT ĐƯỢC
1. Thu ngân sách trên địa bàn đạt 52% dự toán năm.
II. TỒN TẠI, HẠN CHẾ
1. Công tác giải phóng mặt bằng dự án đường trục xã còn chậm.
III. NHIỆM VỤ THỜI GIAN TỚI
1. Phòng Tài nguyên và Môi trường chủ trì, phối hợp với UBND các xã hoàn thành giải phóng mặt bằng.
Nơi nhận:
- Như trên;
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Nguyễn Văn Hùng
"""


def _source(text: str = CONCLUSION) -> Source:
    return Source(path="tb-ket-luan-giao-ban.txt", data=text.encode("utf-8"), input_kind="txt")


def _crashes(source: Source, settings: Settings) -> Document:
    os.kill(os.getpid(), signal.SIGTERM)  # killed from outside (SIGSEGV would dump a traceback here)
    return process_source(source, settings)


def _hangs(source: Source, settings: Settings) -> Document:
    """Stuck where the child's own time limit cannot reach it (its timer signal ignored)."""
    signal.signal(signal.SIGALRM, signal.SIG_IGN)
    time.sleep(60)
    return process_source(source, settings)


def _gone(pid: int) -> bool:
    """True when `pid` is no child of this process any more (exited and reaped: no zombie)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@pytest.mark.parametrize("text", [CONCLUSION, CONCLUSION.replace("tháng 6/2024", "tháng 6/2024\n1. Thuế.")])
def test_engine_alone_child_gives_the_document_of_this_process(text: str) -> None:
    settings = Settings(workers=1)
    child = alone.ForkedDocument(_source(text), settings)
    (doc,) = child.documents([_source(text)], settings)
    assert _gone(child.pid or os.getpid() + 10**6)
    expected = process_source(_source(text), settings)
    assert dataclasses.asdict(doc) == dataclasses.asdict(expected)
    assert (doc.status, doc.fields.doc_number) == ("ok", "57/TB-UBND")


def test_engine_alone_child_that_dies_is_an_error_row() -> None:
    child = alone.ForkedDocument(_source(), Settings(), func=_crashes)
    pid = child.pid
    doc = child.result()
    assert doc.status == "error"
    assert doc.error.startswith("crashed: the worker process died with signal SIGTERM")
    assert _gone(pid)


def test_engine_alone_child_past_its_time_limit_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(alone, "WAIT_MARGIN", 0.5)
    child = alone.ForkedDocument(_source(), Settings(timeout=0.5), func=_hangs)
    pid = child.pid
    started = time.monotonic()
    doc = child.result()
    assert time.monotonic() - started < 10
    assert doc.error.startswith("timeout: stopped after 0.5 s; ")
    assert _gone(pid)


def test_engine_alone_child_not_needed_is_stopped() -> None:
    # a resumed run found the document stored: nothing to read, the child is stopped and reaped
    child = alone.ForkedDocument(_source(), Settings(), func=_hangs)
    pid = child.pid
    assert list(child.documents([], Settings())) == []
    assert _gone(pid)
    child.close()  # twice: nothing happens


@pytest.mark.parametrize("sources, settings, expected", [
    ([Source(path="thong-bao.txt", input_kind="txt")], Settings(), True),
    ([Source(path="ket-luan.pdf", input_kind="text_pdf")], Settings(), True),
    ([Source(path="thong-bao.txt", input_kind="txt")], Settings(strict=True), False),
    ([Source(path="anh-chup.jpg", input_kind="image")], Settings(), False),
    ([Source(path="a.txt", input_kind="txt"), Source(path="b.txt", input_kind="txt")], Settings(), False),
])  # fmt: skip
def test_engine_alone_forks_one_text_word_or_pdf_document(
    sources: list[Source], settings: Settings, expected: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(sys.modules, "cv2", raising=False)  # another test may have loaded OpenCV
    assert alone.forks(sources, settings) is expected


def test_engine_alone_run_keeps_document_modules_out_of_the_run_process(tmp_path: Path) -> None:
    txt = tmp_path / "tb-ket-luan-giao-ban.txt"
    txt.write_text(CONCLUSION, encoding="utf-8")
    script = textwrap.dedent(f"""
        import json, os, sys
        import ketluan
        summary = ketluan.run([{str(txt)!r}], {str(tmp_path / "out")!r}, {{"workers": 1}})
        try:
            os.waitpid(-1, os.WNOHANG)
            children = True
        except ChildProcessError:
            children = False
        loaded = [m for m in ("ketluan.items", "ketluan.nlp", "ketluan.actors", "cv2") if m in sys.modules]
        print(json.dumps({{"ok": summary.ok, "loaded": loaded, "children": children}}))
    """)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    assert json.loads(run.stdout.strip().splitlines()[-1]) == {"ok": 1, "loaded": [], "children": False}
    rows = (tmp_path / "out" / "documents.csv").read_text(encoding="utf-8-sig")
    assert "57/TB-UBND" in rows


def test_engine_alone_without_a_process_to_fork_reads_the_document_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    child = alone.ForkedDocument(_source(), Settings())
    (doc,) = child.documents([_source()], Settings())
    assert child.pid == 0
    assert (doc.status, doc.fields.doc_number) == ("ok", "57/TB-UBND")
