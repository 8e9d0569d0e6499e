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


def _height(view, doc: str) -> int:
    return view(doc, 1280, SCREEN).evaluate("document.documentElement.scrollHeight")


@pytest.mark.parametrize("doc", [d for d in PAGES if d not in EXEMPT])
def test_no_page_taller_than_12_screens_at_1280(view, doc):
    h = _height(view, doc)
    assert h <= MAX_SCREENS * SCREEN, \
        f"page taller than {MAX_SCREENS} screens at 1280 × {SCREEN}: {doc}: {h / SCREEN:.1f} screens ({h} px)"


def test_exemptions_are_pages():
    assert set(EXEMPT) <= set(PAGES)


@pytest.mark.parametrize("doc", sorted(EXEMPT))
def test_exemptions_are_real(view, doc):
    assert _height(view, doc) > MAX_SCREENS * SCREEN, \
        f"{doc} fits in 12 screens now: remove it from EXEMPT"


def _folded_items():
    rows = csv.DictReader((ROOT / "data" / "manifest.csv").open(encoding="utf-8"))
    return [r for r in rows if r["fold"] == "folded"]


def test_manifest_folds_some_items():
    assert _folded_items(), "no item of data/manifest.csv is folded"


@pytest.mark.parametrize("doc", sorted({r["file"].removesuffix(".ipynb") for r in _folded_items()}))
def test_manifest_folds_items_on_their_pages(view, doc):
    from netralitas.manifest import html_id_of

    page = view(doc, 1280, SCREEN)
    bad = []
    for r in [r for r in _folded_items() if r["file"].removesuffix(".ipynb") == doc]:
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


@pytest.mark.parametrize("doc", PAGES)
def test_folded_content_is_folded_on_screen_and_open_in_print(view, doc):
    page = view(doc, 1280, SCREEN)
    bad = []
    # what a dropdown holds (a long table's search-and-pages bar is a screen control: not printed)
    body = ("d => Array.from(d.querySelectorAll(':scope > .sd-summary-content > *'))"
            ".filter(e => !e.matches('.nt-dt-bar'))")
    n = page.evaluate("document.querySelectorAll('.bd-article details.sd-dropdown').length")
    if doc == "book/statistik":
        assert n >= 5, f"{doc}: {n} dropdowns"
    if not n:
        return
    shown = page.eval_on_selector_all(
        ".bd-article details.sd-dropdown",
        f"ds => ds.filter(d => ({body})(d).some(e => e.checkVisibility())).length")
    if shown:
        bad.append(f"{doc}: {shown} of {n} dropdowns show their content before a click")
    page.emulate_media(media="print")
    try:
        hidden = page.eval_on_selector_all(
            ".bd-article details.sd-dropdown",
            f"ds => ds.filter(d => !({body})(d).every(e => e.checkVisibility()))"
            ".map(d => d.innerText.slice(0, 60))")
    finally:
        page.emulate_media(media="screen")  # the tab is shared: back as the others expect it
    if hidden:
        bad.append(f"{doc}: print hides folded content: {hidden}")
    assert not bad, "\n".join(bad)
