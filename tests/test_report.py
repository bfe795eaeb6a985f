"""Tests of pipeline/report.py: one offline report.html, escaped text, links, a real browser.

The tables come from analyze_items on the written series (data/series/), with one item whose
text is hostile HTML, as an archive may hold.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from ketluan.analyze import analyze_items
from ketluan.report import write_report

from test_analyze import CALIBRATED, series_frames

HOSTILE = (
    "Hồ sơ <script>alert(1)</script> và <b>đậm</b> \"trích\" 'dẫn' </script><img src=x onerror=alert(2)>"
)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    docs, items = series_frames()
    # the hostile text recurs in two documents, so it reaches the heat map, tables and anchors
    hostile = [
        items[items["doc_id"] == doc].iloc[-1].to_dict() | {"item_id": f"{doc}-900", "category": "limitation",
                                                            "text": "Việc số hóa hồ sơ lưu trữ chậm " + HOSTILE}
        for doc in ("lamha-2024-05", "lamha-2024-06")
    ]  # fmt: skip
    items = pd.concat([items, pd.DataFrame(hostile)], ignore_index=True)
    docs.loc[docs["doc_id"] == "lamha-2024-05", "source_path"] = "lam_ha/<i>tháng 5</i>.pdf"
    items = items.merge(docs[["doc_id", "source_path"]], on="doc_id")
    return analyze_items(items, threshold=CALIBRATED)


@pytest.fixture(scope="module")
def report(tables: dict[str, pd.DataFrame], tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_report(tables, tmp_path_factory.mktemp("report"))


def test_report_is_one_file_named_report_html(report: Path) -> None:
    assert report.name == "report.html" and report.stat().st_size > 100_000


@pytest.mark.parametrize("raw", ["<script>alert(1)</script>", "<b>đậm</b>", "<img src=x", "<i>tháng 5</i>"])
def test_report_escapes_document_text(report: Path, raw: str) -> None:
    page = report.read_text(encoding="utf-8")
    assert raw not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;b&gt;đậm&lt;/b&gt;" in page


def test_report_opens_offline(report: Path) -> None:
    page = report.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=", page)  # the library is inlined, not fetched
    assert not re.search(r"<link[^>]+href=\"?https?:", page)
    assert page.count("window.PlotlyConfig") == 1  # the library is inlined once


def test_report_links_every_recurring_cluster_to_its_items(
    report: Path, tables: dict[str, pd.DataFrame]
) -> None:
    page = report.read_text(encoding="utf-8")
    for cid in tables["recurrence"]["cluster_id"]:
        assert f'id="cluster-{cid}"' in page and f'href="#cluster-{cid}"' in page
    assert "lam_ha/2024/tb_ket_luan_giao_ban_thang_01_2024.pdf</code></a>, p. 1" in page
    for doc in tables["items"]["doc_id"].unique():
        assert f'id="doc-{doc}"' in page


def test_report_writes_into_a_folder_or_a_file(tables: dict[str, pd.DataFrame], tmp_path: Path) -> None:
    assert write_report(tables, tmp_path) == tmp_path / "report.html"
    assert write_report(tables, tmp_path / "x" / "bao-cao.html").is_file()


def test_report_renders_without_recurrence(tmp_path: Path) -> None:
    empty = {k: pd.DataFrame() for k in ("items", "item_clusters", "recurrence", "followups")}
    page = write_report(empty, tmp_path).read_text(encoding="utf-8")
    assert "No limitation recurs" in page


@pytest.mark.slow
def test_report_renders_in_headless_chromium(report: Path, tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed at /usr/bin/chromium")
    errors: list[str] = []
    dialogs: list[str] = []
    requests: list[str] = []
    shot = tmp_path / "report.png"
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(report.as_uri())
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=20_000)
        page.wait_for_timeout(500)
        plots = page.locator(".js-plotly-plot").count()
        svgs = page.locator(".js-plotly-plot .main-svg").count()
        cells = page.locator("#heatmap .heatmaplayer image, #heatmap .hm").count()
        bars = page.locator("#categories .bars .point").count()
        page.screenshot(path=str(shot), full_page=False)
        browser.close()
    assert errors == []
    assert dialogs == []  # the injected script never ran
    assert plots == 2 and svgs >= 2 and cells >= 1 and bars >= 1
    assert all(u.startswith(("file:", "data:", "about:")) for u in requests), requests
    assert shot.stat().st_size > 0
