"""Tests of pipeline/report.py: one small offline report.html for an auditor, escaped, linked, in a browser.

The tables come from analyze_items on the written series (data/series/), with one recurring item
whose text is hostile HTML and a source path with markup, as an archive may hold; the source
files exist (empty PDFs) so that file links can be checked.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pandas as pd
import pytest

from ketluan.analysis import analyze_items
from ketluan.report import labels, write_report

from test_analyze import CALIBRATED, series_frames

HOSTILE = (
    "Hồ sơ <script>alert(1)</script> và <b>đậm</b> \"trích\" 'dẫn' </script><img src=x onerror=alert(2)>"
)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("report")


@pytest.fixture(scope="module")
def tables(folder: Path) -> dict[str, pd.DataFrame]:
    docs, items = series_frames()
    hostile = [
        items[items["doc_id"] == doc].iloc[-1].to_dict() | {"item_id": f"{doc}-900", "category": "limitation",
                                                            "text": "Việc số hóa hồ sơ lưu trữ chậm " + HOSTILE}
        for doc in ("lamha-2024-05", "lamha-2024-06")
    ]  # fmt: skip
    items = pd.concat([items, pd.DataFrame(hostile)], ignore_index=True)
    docs.loc[docs["doc_id"] == "lamha-2024-05", "source_path"] = "lam_ha/<i>tháng 5</i>.pdf"
    docs["source_path"] = [str(folder / "nguon" / p) for p in docs["source_path"]]
    for p in docs["source_path"]:  # the archive beside the report: links must resolve
        Path(p).parent.mkdir(parents=True, exist_ok=True)
        Path(p).write_bytes(b"%PDF-1.4\n")
    items = items.merge(docs[["doc_id", "source_path"]], on="doc_id")
    return analyze_items(items, threshold=CALIBRATED)


@pytest.fixture(scope="module")
def report(tables: dict[str, pd.DataFrame], folder: Path) -> Path:
    return write_report(tables, folder / "out")


def test_report_is_one_small_file_named_report_html(report: Path) -> None:
    assert report.name == "report.html"
    assert 10_000 < report.stat().st_size < 400_000  # no chart library inlined (plotly alone was 4.6 MB)


@pytest.mark.parametrize("raw", ["<script>alert(1)</script>", "<b>đậm</b>", "<img src=x", "<i>tháng 5</i>"])
def test_report_escapes_document_text(report: Path, raw: str) -> None:
    page = report.read_text(encoding="utf-8")
    assert raw not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;b&gt;đậm&lt;/b&gt;" in page


def test_report_escapes_once_no_literal_entities(report: Path) -> None:
    page = report.read_text(encoding="utf-8")
    assert (
        "&amp;quot;" not in page and "&amp;lt;" not in page and "&amp;#x27;" not in page
    )  # issue 15 finding 18
    assert "&quot;trích&quot;" in page


def test_report_opens_offline(report: Path) -> None:
    page = report.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=", page)
    assert not re.search(r"<link[^>]+href=\"?https?:", page)
    assert "https://" not in page and "http://" not in page


@pytest.mark.parametrize(("lang", "title", "overdue"), [
    ("vi", "Phát hiện chính", "Nhiệm vụ quá hạn, chưa có báo cáo"),
    ("en", "Key findings", "Overdue tasks with nothing reported"),
])  # fmt: skip
def test_report_labels_in_vietnamese_or_english(tables: dict[str, pd.DataFrame], tmp_path: Path, lang: str,
                                                title: str, overdue: str) -> None:  # fmt: skip
    page = write_report(tables, tmp_path, lang=lang).read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in page
    assert title in page and overdue in page
    assert page.index(title) < page.index(labels(lang)["heatmap"])  # findings first


def test_report_rejects_unknown_language(tables: dict[str, pd.DataFrame], tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="vi, en"):
        write_report(tables, tmp_path, lang="fr")


def test_report_links_counts_and_items_to_sources_and_tables(
    report: Path, tables: dict[str, pd.DataFrame]
) -> None:
    page = report.read_text(encoding="utf-8")
    for cid in tables["recurrence"]["cluster_id"]:
        assert f'id="cluster-{cid}"' in page and f'href="#cluster-{cid}"' in page
    for doc in tables["items"]["doc_id"].unique():
        assert f'id="doc-{doc}"' in page
    assert re.search(r'href="\.\./nguon/lam_ha/2024/tb_ket_luan_giao_ban_thang_01_2024\.pdf#page=\d"', page)
    ids = set(re.findall(r'id="([^"]+)"', page))
    targets = set(re.findall(r'href="#([^"]+)"', page))
    assert targets <= ids, targets - ids  # every in-page link resolves
    for href in re.findall(r'href="([^"#][^"]*)"', page):
        assert (report.parent / unquote(href.split("#")[0])).exists(), href  # every file link resolves


def test_report_heat_map_has_complete_period_axis_and_whole_numbers(report: Path) -> None:
    page = report.read_text(encoding="utf-8")
    heat = page[page.index('id="sec-heatmap"') : page.index('id="sec-tasks"')]
    periods = re.findall(r'<th class="p[^"]*" title="([^"]+)"', heat)
    assert "2024-01" in periods and "2024-12" in periods
    months = [p for p in periods if re.fullmatch(r"\d{4}-\d{2}", p)]
    assert len(months) == len(set(months)) and len(months) >= 12
    cells = re.findall(r'<td class="c[^"]*"[^>]*><a href="#cluster-C\d+">([^<]+)</a>', heat)
    assert cells and all(c.isdigit() for c in cells)
    assert re.search(r'class="legend">[^<]*(<span[^>]*>\d+</span>)+', heat)


def test_report_lists_task_status_with_evidence(report: Path, tables: dict[str, pd.DataFrame]) -> None:
    page = report.read_text(encoding="utf-8")
    status = tables["task_status"]
    assert len(status) > 0
    for item_id in status["task_item_id"]:
        assert f'id="item-{item_id}"' in page
    for ev in status.loc[status["evidence_item_id"] != "", "evidence_item_id"]:
        assert f'href="#item-{ev}"' in page


def test_report_one_issuer_alone(tables: dict[str, pd.DataFrame], tmp_path: Path) -> None:
    keys = sorted(set(tables["items"]["issuer_id"]) | set(tables["items"]["issuer"].str.casefold()))
    one = next(k for k in keys if "lâm hà" in k or "lam-ha" in k)
    page = write_report(tables, tmp_path, issuer=one).read_text(encoding="utf-8")
    assert "soyte-2024-07" not in page and "lamha-2024-05" in page
    assert 'id="issuer-filter"' in page


def test_report_writes_into_a_folder_or_a_file(tables: dict[str, pd.DataFrame], tmp_path: Path) -> None:
    assert write_report(tables, tmp_path) == tmp_path / "report.html"
    assert write_report(tables, tmp_path / "x" / "bao-cao.html").is_file()


def test_report_renders_without_recurrence(tmp_path: Path) -> None:
    empty = {k: pd.DataFrame() for k in ("items", "item_clusters", "recurrence", "followups", "task_status")}
    page = write_report(empty, tmp_path).read_text(encoding="utf-8")
    assert "Không có hạn chế nào lặp lại" in page


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
        page.wait_for_selector("table.heat")
        scroll = page.evaluate("document.documentElement.scrollWidth")
        broken = page.evaluate(
            """() => [...document.querySelectorAll('a[href^="#"]')]
                 .map(a => a.getAttribute('href').slice(1)).filter(id => !document.getElementById(id))"""
        )
        shown_all = page.locator("[data-issuer]:visible").count()
        first = page.evaluate("document.querySelectorAll('#issuer-filter option')[1].value")
        page.select_option("#issuer-filter", first)
        hidden = page.evaluate(
            "k => [...document.querySelectorAll('[data-issuer]')].filter(e => e.hidden).length", first
        )
        wrong = page.evaluate(
            "k => [...document.querySelectorAll('[data-issuer]')].filter(e => !e.hidden && e.getAttribute('data-issuer') !== k).length",
            first,
        )  # fmt: skip
        page.locator("a[href^='#cluster-']:visible").first.click()
        page.screenshot(path=str(shot), full_page=False)
        browser.close()
    assert errors == []
    assert dialogs == []  # the injected script never ran
    assert scroll <= 1280  # no horizontal scroll at 1280 px
    assert broken == []
    assert shown_all > 0 and hidden > 0 and wrong == 0  # one issuer at a time
    assert all(u.startswith(("file:", "data:", "about:")) for u in requests), requests
    assert shot.stat().st_size > 0
