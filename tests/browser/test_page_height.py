"""Pages a reader can get through (issue #12): no TOC page is taller than 12 screens at 1280 px.

Measured in Chromium at 1280 × 900 (one screen = 900 px) as a reader first sees the page: folded
content folded (MyST dropdowns, the tables and figures ``data/manifest.csv`` marks ``folded``,
``netralitas.build.fold``), long tables on their first page of rows. Folded content is still
there: on screen it opens on a click, and in print (the whole-book PDF too) it is open.
"""

from __future__ import annotations

import csv

import pytest

from netralitas import paths
from netralitas.build import site

ROOT = paths.root()
PAGES = site.toc_pages(ROOT)
SCREEN = 900
MAX_SCREENS = 12
# page: why it may be taller
EXEMPT = {
    "book/data_kodebuku": "the data appendix: every data file's codebook, the reference the "
                          "chapters point to (issue #12 exempts it)",
}


@pytest.fixture(scope="module")
def heights(browser, base_url):
    page = browser.new_page(viewport={"width": 1280, "height": SCREEN})
    out = {}
    for doc in PAGES:
        page.goto(f"{base_url}{doc}.html", wait_until="load")
        out[doc] = page.evaluate("document.documentElement.scrollHeight")
    page.close()
    return out


def test_no_page_taller_than_12_screens_at_1280(heights):
    tall = {d: f"{h / SCREEN:.1f} screens ({h} px)" for d, h in heights.items()
            if h > MAX_SCREENS * SCREEN and d not in EXEMPT}
    assert not tall, f"pages taller than {MAX_SCREENS} screens at 1280 × {SCREEN}: {tall}"


def test_exemptions_are_real(heights):
    assert set(EXEMPT) <= set(PAGES)
    assert all(heights[d] > MAX_SCREENS * SCREEN for d in EXEMPT), \
        "an exempt page fits in 12 screens now: remove it from EXEMPT"


def _folded_items():
    rows = csv.DictReader((ROOT / "data" / "manifest.csv").open(encoding="utf-8"))
    return [r for r in rows if r["fold"] == "folded"]


def test_manifest_folds_items_on_their_pages(browser, base_url):
    from netralitas.manifest import html_id_of

    items = _folded_items()
    assert items, "no item of data/manifest.csv is folded"
    page = browser.new_page(viewport={"width": 1280, "height": SCREEN})
    bad = []
    for r in items:
        doc = r["file"].removesuffix(".ipynb")
        page.goto(f"{base_url}{doc}.html", wait_until="load")
        tid = html_id_of(r["label"])
        state = page.evaluate("""id => { const el = document.getElementById(id);
            if (!el) return null;
            const d = el.closest('details.nt-fold');
            return d && [d.open, el.checkVisibility(),
                         d.querySelector(':scope > summary').innerText.trim()]; }""", tid)
        kind = "Tabel" if r["kind"] == "table" else "Gambar"
        if not state:
            bad.append(f"{doc} {tid}: not in a folded dropdown")
        elif state[0] or state[1] or not state[2].startswith(kind) \
                or " ".join(r["title"].replace("`", "").split())[:30] not in state[2]:
            bad.append(f"{doc} {tid}: open={state[0]} visible={state[1]} summary={state[2][:60]!r}")
    page.close()
    assert not bad, "\n".join(bad)


def test_a_numbered_link_opens_the_folded_item(browser, base_url):
    from netralitas.manifest import html_id_of

    r = _folded_items()[0]
    doc, tid = r["file"].removesuffix(".ipynb"), html_id_of(r["label"])
    page = browser.new_page(viewport={"width": 1280, "height": SCREEN})
    page.goto(f"{base_url}{doc}.html#{tid}", wait_until="load")
    page.wait_for_function("id => document.getElementById(id).checkVisibility()", arg=tid,
                           timeout=5000)
    page.close()


def test_folded_content_is_folded_on_screen_and_open_in_print(browser, base_url):
    page = browser.new_page(viewport={"width": 1280, "height": SCREEN})
    count = {}
    bad = []
    # what a dropdown holds (a long table's search-and-pages bar is a screen control: not printed)
    body = ("d => Array.from(d.querySelectorAll(':scope > .sd-summary-content > *'))"
            ".filter(e => !e.matches('.nt-dt-bar'))")
    for doc in PAGES:
        page.goto(f"{base_url}{doc}.html", wait_until="load")
        n = page.evaluate("document.querySelectorAll('.bd-article details.sd-dropdown').length")
        if not n:
            continue
        count[doc] = n
        shown = page.eval_on_selector_all(
            ".bd-article details.sd-dropdown",
            f"ds => ds.filter(d => ({body})(d).some(e => e.checkVisibility())).length")
        if shown:
            bad.append(f"{doc}: {shown} of {n} dropdowns show their content before a click")
        page.emulate_media(media="print")
        hidden = page.eval_on_selector_all(
            ".bd-article details.sd-dropdown",
            f"ds => ds.filter(d => !({body})(d).every(e => e.checkVisibility()))"
            ".map(d => d.innerText.slice(0, 60))")
        if hidden:
            bad.append(f"{doc}: print hides folded content: {hidden}")
        page.emulate_media(media="screen")
    page.close()
    assert count.get("book/statistik", 0) >= 5, count
    assert not bad, "\n".join(bad)
