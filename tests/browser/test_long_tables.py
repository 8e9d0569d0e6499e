"""Long tables (over 12 rows) are searchable, sortable and paginated (_static/netralitas-tables.js),
while the static HTML keeps every row for print, the PDF and readers without JavaScript."""

from __future__ import annotations

import re

import pytest

from netralitas import paths
from netralitas.build import site

PAGES = site.toc_pages(paths.root())
SITE = paths.root() / "_build" / "html"
MIN_ROWS = 13
VISIBLE = "t => [...t.tBodies[0].rows].filter(r => r.offsetParent)"
PRINTED = "t => [...t.tBodies[0].rows].filter(r => getComputedStyle(r).display !== 'none').length"
ALL_FIRST = "t => [...t.tBodies[0].rows].map(r => r.cells[0].innerText.trim())"
OPEN_FOLDS = "document.querySelectorAll('.bd-article details.sd-dropdown').forEach(d => { d.open = true; })"


def _long_tables(html: str) -> dict[str, int]:
    """Table id -> number of body rows, from the static HTML."""
    out = {}
    table = r'<table class="(?:[^"]* )?table(?: [^"]*)?" id="([^"]+)">(.*?)</table>'  # any classes
    for m in re.finditer(table, html, re.S):
        body = m.group(2).split("<tbody>", 1)[-1]
        n = len(re.findall(r"<tr\b", body))
        if n >= MIN_ROWS:
            out[m.group(1)] = n
    return out


@pytest.fixture(scope="module")
def long_pages(site_dir):
    return _long_pages(site_dir)


def _long_pages(site_dir) -> dict[str, dict[str, int]]:
    found = {d: _long_tables((site_dir / f"{d}.html").read_text(encoding="utf-8")) for d in PAGES}
    return {d: t for d, t in found.items() if t}


# pages with long tables, found when the tests are collected (none when the site is not built:
# then the site_dir fixture fails the tests that remain)
LONG_PAGES = sorted(_long_pages(SITE)) if (SITE / "index.html").is_file() else []


def test_book_has_long_tables(long_pages):
    assert "book/statistik" in long_pages and sum(map(len, long_pages.values())) >= 5
    assert LONG_PAGES == sorted(long_pages)


@pytest.mark.parametrize("doc", LONG_PAGES)
def test_long_tables_are_paginated_and_complete(view, long_pages, doc):
    tables = long_pages[doc]
    page = view(doc, 1280, 900, take=True)
    page.evaluate(OPEN_FOLDS)  # a table the manifest folds is paginated all the same
    for tid, n in tables.items():
        t = f"#{tid}"
        assert page.locator(f".nt-dt-bar:has([aria-controls='{tid}'])").count() == 1, (doc, tid)
        assert page.eval_on_selector(t, "t => t.tBodies[0].rows.length") == n
        shown = page.eval_on_selector(t, VISIBLE + ".length")
        assert shown == 10, (doc, tid, shown)
    page.emulate_media(media="print")
    for tid, n in tables.items():
        shown = page.eval_on_selector(f"#{tid}", PRINTED)
        assert shown == n, f"{doc} {tid}: print shows {shown} of {n} rows"
    page.close()


def test_search_sort_and_pages(browser, base_url, long_pages):
    doc, tables = "book/statistik", long_pages["book/statistik"]
    tid, n = max(tables.items(), key=lambda kv: kv[1])
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base_url}{doc}.html", wait_until="load")
    page.evaluate(OPEN_FOLDS)
    bar = page.locator(f".nt-dt-bar:has([aria-controls='{tid}'])")
    visible = VISIBLE + ".map(r => r.cells[0].innerText.trim())"
    first = page.eval_on_selector(f"#{tid}", visible)
    bar.locator(".nt-dt-next").click()
    second = page.eval_on_selector(f"#{tid}", visible)
    assert second and not set(first) & set(second)
    # sort by the first column, descending on the second click
    head = page.locator(f"#{tid} thead th button.nt-dt-sort").first
    head.click()
    head.click()
    assert page.eval_on_selector(f"#{tid} thead th", "th => th.getAttribute('aria-sort')") == "descending"
    col = page.eval_on_selector(f"#{tid}", ALL_FIRST)
    assert col == sorted(col, key=lambda s: [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", s)],
                         reverse=True)
    # search narrows the rows to those containing the text
    target = col[0]
    bar.locator(".nt-dt-search").fill(target)
    rows = page.eval_on_selector(f"#{tid}", VISIBLE + ".map(r => r.innerText)")
    assert rows and all(target.lower() in r.lower() for r in rows) and len(rows) < n
    assert f"dari {n}" in bar.locator(".nt-dt-info").inner_text()
    page.close()
