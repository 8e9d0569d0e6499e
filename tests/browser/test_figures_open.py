"""At phone width (390 px) a tap opens every chapter figure at full size (SVG, scrollable)."""

from __future__ import annotations

import re

import pytest

from netralitas import paths
from netralitas.build import site

PAGES = site.toc_pages(paths.root())
SITE = paths.root() / "_build" / "html"


def _with_figures(site_dir) -> list[str]:
    return [d for d in PAGES if re.search(r'<figure[^>]*>\s*<img[^>]*src="[^"]*_images/',
                                          (site_dir / f"{d}.html").read_text(encoding="utf-8"))]


# pages with figures, found when the tests are collected (none when the site is not built:
# then the site_dir fixture fails the tests that remain)
FIGURE_PAGES = _with_figures(SITE) if (SITE / "index.html").is_file() else []


def test_some_pages_have_figures(site_dir):
    assert len(_with_figures(site_dir)) >= 4
    assert FIGURE_PAGES == _with_figures(site_dir)


@pytest.mark.parametrize("doc", FIGURE_PAGES)
def test_tap_opens_figure_full_size(view, doc):
    page = view(doc, 390, 844, touch=True, take=True)
    figs = page.locator(".bd-article figure img")
    links = page.locator(".bd-article figure a.nt-figure-open > img")
    assert figs.count() == links.count() >= 1, f"{doc}: a figure is not a full-size link"
    for src in page.eval_on_selector_all(".bd-article figure a.nt-figure-open",
                                         "els => els.map(a => a.getAttribute('href'))"):
        assert src.endswith(".svg"), f"{doc}: {src} is not SVG"
    link = page.locator(".bd-article figure a.nt-figure-open").first
    link.scroll_into_view_if_needed()
    link.tap()
    page.wait_for_function("document.querySelector('dialog.nt-figure-dialog').open")
    width = page.evaluate("document.querySelector('dialog.nt-figure-dialog img')"
                          ".getBoundingClientRect().width")
    assert width >= 2 * 390, f"{doc}: figure opens only {width:.0f} px wide"
    page.keyboard.press("Escape")
    assert not page.evaluate("document.querySelector('dialog.nt-figure-dialog').open")
    page.close()


@pytest.mark.parametrize("doc", FIGURE_PAGES)
@pytest.mark.parametrize("width", [390, 1280])
def test_figures_fit_the_column(view, width, doc):
    """In the page a figure never overflows its column (no sideways scrolling of the page)."""
    page = view(doc, width, 900)
    over = page.evaluate("""() => Array.from(document.querySelectorAll('.bd-article figure img'))
        .filter(i => i.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .map(i => i.getAttribute('src'))""")
    assert not over, f"{doc} at {width}px: {over}"
