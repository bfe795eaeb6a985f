"""Tests of the Ray engine (engine/ray.py), its wiring (`run` with engine "ray", `ketluan run
--engine ray`) and of object-store inputs (remote.py).

One local Ray cluster (2 CPUs, 127.0.0.1 only, no dashboard) serves the module; `run` and the
CLI join it. The local engine's tables are the reference the Ray run must reproduce exactly.
"""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")  # the cluster binds loopback only
ray = pytest.importorskip("ray")  # the optional extra: pip install 'ketluan[ray]'

import fsspec  # noqa: E402
import pandas as pd  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

import ketluan  # noqa: E402
from ketluan import api, chain, engine, remote  # noqa: E402
from ketluan.cli import app  # noqa: E402
from ketluan.config import Settings  # noqa: E402
from ketluan.discover import discover  # noqa: E402
from ketluan.engine import ray as ray_engine  # noqa: E402
from ketluan.errors import DocumentError  # noqa: E402
from ketluan.records import Document, Source  # noqa: E402
from ketluan.store import Store  # noqa: E402

runner = CliRunner()

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "data" / "samples"
RUN_SETTINGS = {"workers": 2, "ocr_dpi": 200}  # both engines alike; 200 dpi keeps the OCR short
RAY_SETTINGS = {**RUN_SETTINGS, "engine": "ray"}  # address "": joins the module's cluster
# The per-node line `ketluan run --engine ray` prints on stderr.
NODE_LINE = re.compile(r"^node (127\.0\.0\.1 [0-9a-f]{8}): (\d+) documents, (\d+) pages, (\d+) OCR pages, "
                       r"([\d.]+) docs/s, busy ([\d.]+) s$", re.M)  # fmt: skip
KEYS = {
    "documents": ["source_path"],
    "sections": ["doc_id", "section_id"],
    "items": ["doc_id", "item_id"],
}

# A short monthly conclusion in the layout of Nghị định 30/2020/NĐ-CP (header, title, I./II./III.).
CONCLUSION = """ỦY BAN NHÂN DÂN
HUYỆN NGHĨA HƯNG
Số: 112/TB-UBND

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Nghĩa Hưng, ngày 05 tháng 6 năm 2024

THÔNG BÁO
Kết luận của Chủ tịch UBND huyện tại cuộc họp giao ban tháng 5 năm 2024

I. KẾT QUẢ ĐẠT ĐƯỢC
1. Thu ngân sách trên địa bàn đạt 45% dự toán năm.

II. HẠN CHẾ
1. Tiến độ giải ngân vốn đầu tư công còn chậm.

III. NHIỆM VỤ THÁNG 6
1. Phòng Tài chính - Kế hoạch đôn đốc giải ngân vốn đầu tư công, hoàn thành trước ngày 30/6/2024.
"""


@pytest.fixture(scope="module")
def cluster() -> Iterator[None]:
    """A local 2-CPU Ray cluster on 127.0.0.1 for the whole module, stopped at the end."""
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, object_store_memory=300 * 1024 * 1024,
             logging_level="WARNING")  # fmt: skip
    # Functions defined here travel to the workers by value (tests/ is not an installed package).
    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    yield
    ray.shutdown()


def _conclusion(month: int) -> bytes:
    """The conclusion above for another month (so every file has its own content and sha256)."""
    text = CONCLUSION.replace("tháng 5 năm 2024", f"tháng {month} năm 2024").replace("45%", f"{40 + month}%")
    return text.encode("utf-8")


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path) -> Path:
    """Text PDFs, a DOCX, a TXT, a zip member, a real 2-page scan and three broken files."""
    folder = tmp_path_factory.mktemp("luu-tru")
    for name in ("ket-luan-giao-ban-thang-5-2020.pdf", "thong-bao-ket-luan-giao-ban-thang-7-2024-bao-loc.pdf",
                 "ket-luan-so-ket-6-thang-dau-nam-2024-huyen-nghia-hung.docx",
                 "thong-bao-ket-luan-giao-ban-quy-1-2024-so-tnmt-thai-nguyen.txt"):  # fmt: skip
        (folder / name).write_bytes((SAMPLES / name).read_bytes())
    scan = "qngai_ubnd_bc23_2025_cchc_thang01.pdf"  # a real 2-page scan: one page task per page
    (folder / scan).write_bytes((shared_dir / "corpus" / "real" / scan).read_bytes())
    with zipfile.ZipFile(folder / "giao-ban-2024.zip", "w") as zf:
        zf.writestr("thang-06/tb-ket-luan-thang-6.txt", _conclusion(6))
    pdf = (SAMPLES / "ket-luan-giao-ban-thang-5-2020.pdf").read_bytes()
    (folder / "bien-ban-rong.pdf").write_bytes(b"")
    (folder / "ket-luan-bi-cat-cut.pdf").write_bytes(pdf[:700])
    (folder / "chuong-trinh-doi-ten.pdf").write_bytes(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" * 20)
    return folder


@pytest.fixture(scope="module")
def two_runs(archive: Path, tmp_path_factory: pytest.TempPathFactory, cluster: None) -> dict:
    """`ketluan.run` on the archive with the local engine, then again with the Ray engine."""
    out = tmp_path_factory.mktemp("out")
    local = ketluan.run([archive], out / "local", settings=RUN_SETTINGS)
    seen: list[str] = []
    summary = ketluan.run([archive], out / "ray", settings=RAY_SETTINGS,
                          on_document=lambda d: seen.append(d.source_path))  # fmt: skip
    return {"local": local, "ray": summary, "out": out, "report": summary.ray, "seen": seen}


def _sorted_csv(path: Path, table: str) -> pd.DataFrame:
    df = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    return df.sort_values(KEYS[table]).reset_index(drop=True)


@pytest.mark.slow  # OCR of a real scan with both engines (shared fixture, ~40 s)
@pytest.mark.parametrize("table", ["documents", "sections", "items"])
def test_ray_engine_tables_match_the_local_engine(two_runs: dict, table: str) -> None:
    out = two_runs["out"]
    local = _sorted_csv(out / "local" / f"{table}.csv", table)
    on_ray = _sorted_csv(out / "ray" / f"{table}.csv", table)
    assert len(on_ray) > 0
    pd.testing.assert_frame_equal(local, on_ray)


@pytest.mark.slow  # OCR of a real scan with both engines (shared fixture, ~40 s)
def test_ray_engine_run_covers_every_kind_and_error(two_runs: dict) -> None:
    docs = _sorted_csv(two_runs["out"] / "ray" / "documents.csv", "documents")
    kinds = set(docs["input_kind"])
    assert {"text_pdf", "scanned_pdf", "docx", "txt"} <= kinds
    errors = dict(zip(docs["source_path"].map(lambda p: p.rsplit("/", 1)[-1]), docs["error"], strict=True))
    assert errors["bien-ban-rong.pdf"].startswith("empty_file")
    assert errors["ket-luan-bi-cat-cut.pdf"].startswith("corrupt_file")
    assert errors["chuong-trinh-doi-ten.pdf"].startswith("unsupported_format")
    assert (two_runs["ray"].ok, two_runs["ray"].error) == (two_runs["local"].ok, two_runs["local"].error)
    assert (two_runs["local"].engine, two_runs["local"].nodes, two_runs["local"].ray) == ("local", {}, None)


@pytest.mark.slow  # OCR of a real scan with both engines (shared fixture, ~40 s)
def test_ray_engine_reports_each_document_once_to_the_progress_callback(two_runs: dict) -> None:
    docs = _sorted_csv(two_runs["out"] / "ray" / "documents.csv", "documents")
    assert sorted(two_runs["seen"]) == sorted(docs["source_path"])
    assert two_runs["ray"].total == len(docs) == 9


@pytest.mark.slow  # OCR of a real scan with both engines (shared fixture, ~40 s)
def test_ray_engine_fans_scanned_pages_out_and_counts_them_per_node(two_runs: dict) -> None:
    report: ray_engine.RayReport = two_runs["report"]
    docs = _sorted_csv(two_runs["out"] / "ray" / "documents.csv", "documents")
    assert report.documents == len(docs) == 9
    assert report.pages == docs["pages"].astype(int).sum() == two_runs["ray"].pages
    assert sum(s.documents for s in report.nodes.values()) == len(docs)
    # every OCRed page was read by a page task of its own
    assert sum(s.ocr_pages for s in report.nodes.values()) == docs["ocr_pages"].astype(int).sum() == 2
    rates = report.throughput()
    assert two_runs["ray"].nodes == rates  # what the CLI prints
    assert all(r["documents_per_second"] > 0 for r in rates.values() if r["documents"])
    assert all(node.startswith("127.0.0.1 ") for node in rates)
    assert (report.retried, report.crashed, report.timeouts, report.cpus) == (0, 0, 0, 2.0)


@pytest.mark.slow  # OCR of a real scan with both engines (shared fixture, ~40 s)
def test_ray_engine_resumed_run_skips_stored_documents(two_runs: dict, archive: Path) -> None:
    before = (two_runs["out"] / "ray" / "documents.csv").read_bytes()
    again = ketluan.run([archive], two_runs["out"] / "ray", settings=RAY_SETTINGS)
    assert (again.total, again.skipped, again.ok + again.partial + again.error) == (9, 9, 0)
    assert again.nodes == {}  # nothing was sent to the cluster
    assert (two_runs["out"] / "ray" / "documents.csv").read_bytes() == before


def _dies(source: Source, settings: Settings) -> Document:
    """Kill this Ray worker mid-document: once for "chet-mot-lan" files, always for "chet-luon"."""
    marker = Path(source.path + ".attempted")
    if "chet-luon" in source.path or ("chet-mot-lan" in source.path and not marker.exists()):
        marker.touch()
        os.kill(os.getpid(), signal.SIGKILL)
    return chain.process_source(source, settings)


def _hangs(source: Source, settings: Settings) -> Document:
    """Hang like a native library stuck on a bad file, for "treo" files."""
    if "treo" in source.path:
        time.sleep(300)
    return chain.process_source(source, settings)


def _hand_made(folder: Path, names: list[str]) -> list[Source]:
    for month, name in enumerate(names, start=1):
        (folder / name).write_bytes(_conclusion(month))
    return list(discover([folder / n for n in names], Settings()))


def test_ray_engine_retries_a_document_whose_worker_died(tmp_path: Path, cluster: None) -> None:
    names = ["tb-thang-1.txt", "tb-thang-2-chet-mot-lan.txt", "tb-thang-3.txt", "tb-thang-4-chet-luon.txt"]
    sources = _hand_made(tmp_path, names)
    report = ray_engine.RayReport()
    docs = list(ray_engine.process_many(sources, Settings(), max_retries=1, report=report, process=_dies))
    by_name = {Path(d.source_path).name: d for d in docs}
    assert sorted(by_name) == sorted(names) and len(docs) == len(names)  # nothing lost, nothing twice
    once = by_name["tb-thang-2-chet-mot-lan.txt"]
    expected = chain.process_source(sources[1], Settings())
    assert (once.status, once.fields, once.items) == ("ok", expected.fields, expected.items)
    dead = by_name["tb-thang-4-chet-luon.txt"]
    assert (dead.status, dead.error.split(":")[0], dead.items) == ("error", "crashed", [])
    assert (report.retried, report.crashed) == (1, 1)


def test_ray_engine_times_out_a_hanging_document(tmp_path: Path, cluster: None) -> None:
    sources = _hand_made(tmp_path, ["tb-thang-1.txt", "tb-thang-2-treo.txt"])
    report = ray_engine.RayReport()
    started = time.monotonic()
    docs = list(ray_engine.process_many(sources, Settings(timeout=3), report=report, process=_hangs))
    by_name = {Path(d.source_path).name: d for d in docs}
    assert by_name["tb-thang-1.txt"].status == "ok"
    assert by_name["tb-thang-2-treo.txt"].error.startswith("timeout: stopped after 3 s")
    assert report.timeouts == 1 and time.monotonic() - started < 60


def test_ray_engine_strict_mode_raises_the_document_error(tmp_path: Path, cluster: None) -> None:
    (tmp_path / "bien-ban-rong.pdf").write_bytes(b"")
    sources = list(discover([tmp_path], Settings()))
    with pytest.raises(DocumentError, match="empty_file"):
        list(ray_engine.process_many(sources, Settings(strict=True)))


@pytest.mark.slow  # three Ray workers are SIGKILLed and restarted (~15 s)
def test_ray_engine_run_survives_workers_killed_mid_document(
    tmp_path: Path, cluster: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = ["tb-thang-1.txt", "tb-thang-2-chet-mot-lan.txt", "tb-thang-3-chet-mot-lan.txt", "tb-thang-4-chet-luon.txt",
             "tb-thang-5.txt"]  # fmt: skip
    (tmp_path / "luu-tru").mkdir()
    _hand_made(tmp_path / "luu-tru", names)
    local = ketluan.run([tmp_path / "luu-tru"], tmp_path / "local", settings=RUN_SETTINGS)
    # `run` wired as for `--engine ray`; only the per-document function is one that SIGKILLs its worker
    monkeypatch.setattr(engine, "process_on_cluster", partial(ray_engine.process_many, process=_dies))
    summary = ketluan.run([tmp_path / "luu-tru"], tmp_path / "ray", settings=RAY_SETTINGS)
    docs = _sorted_csv(tmp_path / "ray" / "documents.csv", "documents")
    assert sorted(docs["source_path"].map(lambda p: Path(p).name)) == names  # every file, exactly once
    assert (summary.total, summary.ok, summary.error) == (5, 4, 1)
    dead = docs[docs["source_path"].str.contains("chet-luon")].iloc[0]
    assert (dead["status"], dead["error"].split(": ")[0]) == ("error", "crashed")
    assert dead["error"].startswith("crashed: the Ray worker died 3 times (")  # DEFAULT_MAX_RETRIES = 2
    # the documents that survived a dead worker are exactly what the local engine made of them
    alive = docs[~docs["source_path"].str.contains("chet-luon")].reset_index(drop=True)
    reference = _sorted_csv(tmp_path / "local" / "documents.csv", "documents")
    pd.testing.assert_frame_equal(alive, reference[~reference["source_path"].str.contains("chet-luon")]
                                  .reset_index(drop=True))  # fmt: skip
    items = _sorted_csv(tmp_path / "ray" / "items.csv", "items")
    assert not items.duplicated(["doc_id", "item_id"]).any()
    assert set(items["doc_id"]) == set(alive["doc_id"])
    report = summary.ray
    assert report is not None and (report.retried, report.crashed, report.documents) == (2, 1, 5)
    assert (
        sum(int(n["documents"]) for n in summary.nodes.values()) == 4
    )  # the crashed one ran nowhere to the end
    assert local.ok == 5


@pytest.fixture(scope="module")
def real_texts(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four real conclusions of the dev corpus (provincial, district, commune, department)."""
    folder = tmp_path_factory.mktemp("van-ban")
    for name in ("d01_vp_ubnd_tinh_giao_ban_thang.txt", "d02_ubnd_huyen_so_ket_6_thang.txt",
                 "d03_ubnd_xa_giao_ban_tuan.txt", "d04_so_tnmt_giao_ban_quy.txt"):  # fmt: skip
        (folder / name).write_bytes((shared_dir / "corpus" / "dev" / "text" / name).read_bytes())
    return folder


@pytest.fixture(scope="module")
def real_local(real_texts: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tables of `ketluan run` with the local engine on the real texts: the reference."""
    out = tmp_path_factory.mktemp("local")
    local = runner.invoke(app, ["run", str(real_texts), "--out", str(out), "-w", "2", "-q"])
    assert local.exit_code == 0, local.stderr
    return out


def test_ray_engine_cli_run_writes_the_tables_of_the_local_engine(
    real_texts: Path, real_local: Path, tmp_path: Path, cluster: None
) -> None:
    result = runner.invoke(
        app, ["run", str(real_texts), "--out", str(tmp_path / "ray"), "-w", "2", "--engine", "ray"]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"4 ok · 0 partial · 0 error → {tmp_path / 'ray' / 'documents.csv'}\n"
    for table in ("documents", "sections", "items"):  # exported in a fixed order: byte for byte the same
        assert (tmp_path / "ray" / f"{table}.csv").read_bytes() == (real_local / f"{table}.csv").read_bytes()
    docs = _sorted_csv(tmp_path / "ray" / "documents.csv", "documents")
    assert docs["doc_number"].tolist()[0] and set(docs["status"]) == {"ok"}
    nodes = NODE_LINE.findall(result.stderr)  # per-node throughput, before the summary line
    assert len(nodes) == 1 and nodes[0][0] == f"127.0.0.1 {ray.get_runtime_context().get_node_id()[:8]}"
    assert (int(nodes[0][1]), int(nodes[0][2]), int(nodes[0][3])) == (4, docs["pages"].astype(int).sum(), 0)
    assert float(nodes[0][4]) > 0
    assert re.search(r"^ray: 1 node, 4 documents in [\d.]+ s \([\d.]+ docs/s\)$", result.stderr, re.M)


@pytest.mark.slow  # a fresh process starts and stops a Ray cluster of its own (~15 s)
def test_ray_engine_cli_starts_and_stops_its_own_cluster(
    real_texts: Path, real_local: Path, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
    command = [sys.executable, "-m", "ketluan", "run", str(real_texts), "--out", str(tmp_path / "ray"),
               "--engine", "ray", "--workers", "1"]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=150, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"4 ok · 0 partial · 0 error → {tmp_path / 'ray' / 'documents.csv'}\n"
    nodes = NODE_LINE.findall(result.stderr)
    assert [(int(n[1]), int(n[3])) for n in nodes] == [(4, 0)]  # one node, 4 documents, no OCR
    assert (tmp_path / "ray" / "documents.csv").read_bytes() == (real_local / "documents.csv").read_bytes()
    assert (tmp_path / "ray" / "items.csv").read_bytes() == (real_local / "items.csv").read_bytes()


def test_ray_engine_cli_reads_file_urls(real_texts: Path, tmp_path: Path, cluster: None) -> None:
    url = real_texts.as_uri() + "/"
    result = runner.invoke(app, ["run", url, "--out", str(tmp_path / "ray"), "--engine", "ray", "-q"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("4 ok · 0 partial · 0 error → ") and result.stderr == ""
    docs = _sorted_csv(tmp_path / "ray" / "documents.csv", "documents")
    local = {d.sha256: d for d in (api.process(p) for p in sorted(real_texts.iterdir()))}
    assert docs["source_path"].tolist() == [
        (real_texts / p.name).as_uri() for p in sorted(real_texts.iterdir())
    ]
    for _, row in docs.iterrows():
        ref = local[row["sha256"]]
        assert (row["doc_number"], row["issue_date"], row["signer_name"]) == (
            ref.fields.doc_number, ref.fields.issue_date, ref.fields.signer_name)  # fmt: skip


def _put_in_memory(prefix: str) -> dict[str, bytes]:
    fs = fsspec.filesystem("memory")
    files = {
        "2024/tb-ket-luan-thang-5.txt": _conclusion(5),
        "2024/tb-ket-luan-thang-6.txt": _conclusion(6),
        "2024/ket-luan-giao-ban-thang-5-2020.pdf": (
            SAMPLES / "ket-luan-giao-ban-thang-5-2020.pdf"
        ).read_bytes(),
        "2024/.DS_Store": b"\x00\x00\x00\x01Bud1",
        "2024/bien-ban-rong.docx": b"",
    }
    for name, data in files.items():
        fs.pipe(f"/{prefix}/{name}", data)
    return files


def test_ray_engine_reads_a_memory_url_prefix(tmp_path: Path, cluster: None) -> None:
    files = _put_in_memory("luu-tru-ray")
    sources = list(remote.discover_url("memory://luu-tru-ray/", Settings()))
    assert [Path(s.path).name for s in sources] == [
        "bien-ban-rong.docx", "ket-luan-giao-ban-thang-5-2020.pdf", "tb-ket-luan-thang-5.txt", "tb-ket-luan-thang-6.txt",
    ]  # fmt: skip
    with Store(tmp_path / "ray") as store:
        for doc in ray_engine.process_many(sources, Settings()):
            store.commit(doc)
        rows = store.tables()["documents"].set_index("source_path")
    assert rows.loc["memory:///luu-tru-ray/2024/bien-ban-rong.docx", "error"].startswith("empty_file")
    pdf = rows.loc["memory:///luu-tru-ray/2024/ket-luan-giao-ban-thang-5-2020.pdf"]
    local = chain.process_source(Source(path="x.pdf", data=files["2024/ket-luan-giao-ban-thang-5-2020.pdf"]))
    assert (pdf["status"], pdf["doc_number"], pdf["issue_date"]) == (
        "ok",
        local.fields.doc_number,
        local.fields.issue_date,
    )


def test_ray_engine_workers_read_file_urls_themselves(tmp_path: Path, cluster: None) -> None:
    sources = _hand_made(tmp_path, ["tb-thang-7.txt", "tb-thang-8.txt"])
    urls = list(remote.discover_url(tmp_path.as_uri(), Settings()))
    assert [s.data for s in urls] == [None, None]  # the bytes stay where they are until a worker reads them
    assert [s.sha256 for s in urls] == [s.sha256 for s in sources]
    docs = sorted(ray_engine.process_many(urls, Settings()), key=lambda d: d.source_path)
    assert [d.source_path for d in docs] == [
        (tmp_path / "tb-thang-7.txt").as_uri(),
        (tmp_path / "tb-thang-8.txt").as_uri(),
    ]
    assert [d.items for d in docs] == [chain.process_source(s).items for s in sources]


# fmt: off
@pytest.mark.parametrize(("path", "expected"), [
    ("s3://luu-tru/2020/tb-ket-luan-thang-5.pdf", True),
    ("gs://so-noi-vu/ket-luan/", True),
    ("memory://luu-tru/", True),
    ("file:///mnt/luu-tru/Kết luận tháng 5.pdf", True),
    ("/mnt/luu-tru/Kết luận tháng 5.pdf", False),
    ("C:\\Lưu trữ\\Kết luận.pdf", False),
    ("luu-tru.zip!thang-5/tb-ket-luan.pdf", False),
])
# fmt: on
def test_remote_is_url(path: str, expected: bool) -> None:
    assert remote.is_url(path) is expected


def test_remote_discover_url_expands_a_zip_and_skips_hidden_files() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("Thông báo kết luận tháng 6.txt", _conclusion(6))
        zf.writestr("__MACOSX/._Thông báo kết luận tháng 6.txt", b"\x00")
    fs = fsspec.filesystem("memory")
    fs.pipe("/luu-tru-zip/2024.zip", buf.getvalue())
    fs.pipe("/luu-tru-zip/.git/config", b"[core]")
    sources = list(remote.discover_url("memory://luu-tru-zip", Settings()))
    assert [s.path for s in sources] == ["memory:///luu-tru-zip/2024.zip!Thông báo kết luận tháng 6.txt"]
    assert sources[0].data == _conclusion(6)


def test_remote_discover_url_reports_a_missing_prefix() -> None:
    sources = list(remote.discover_url("memory://khong-co-thu-muc/", Settings()))
    assert len(sources) == 1 and sources[0].error.startswith("not_found: cannot list memory://khong-co-thu-muc/")


def test_remote_fetch_refuses_a_file_over_the_size_limit() -> None:
    fsspec.filesystem("memory").pipe("/luu-tru-lon/ban-scan.pdf", b"%PDF-1.7\n" + b"0" * (2 * 1024 * 1024))
    src = remote.fetch(Source(path="memory:///luu-tru-lon/ban-scan.pdf"), Settings(max_file_mb=1))
    assert src.data is None and src.error.startswith("too_large: the file is 2 MB")


def test_ray_engine_module_imports_without_ray() -> None:
    code = "import sys, ketluan, ketluan.api, ketluan.engine.ray, ketluan.remote; print('ray' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_ray_engine_says_how_to_install_ray_when_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(ray_engine.RayEngineError, match=r"pip install 'ketluan\[ray\]'"):
        ray_engine.connect("auto")
