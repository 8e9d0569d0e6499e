"""Light pages: what a phone downloads, with the site served as a static host serves it.

The built site is served with gzip, ETags and ``Cache-Control: max-age=600`` (as GitHub Pages
does; netralitas.build.transfer). For every page in _toc.yml, in a fresh Chromium context:

- the first visit transfers at most 400 KB (compressed bodies + headers, as Chromium counts them);
- the next page in reading order, visited right after, downloads nothing the first page already
  downloaded (theme assets and search index come from the browser cache) and transfers at most
  60 KB *with every one of its figures fetched* (figures load lazily; the test makes them all
  load, as a reader scrolling through the page would);
- the theme still renders every icon: each Font Awesome icon element in the page's HTML became
  an inline SVG with a drawn path (none left as an empty ``<i>``), every header-bar button shown
  at the test's window size shows an icon, and no web font failed to load.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from netralitas import paths
from netralitas.build import site, transfer

PAGES = site.toc_pages(paths.root())
FIRST_MAX = 400_000
SECOND_MAX = 60_000
STYLE_CLASSES = {"fa-solid", "fa-regular", "fa-brands", "fa-lg", "fa-fw", "fa-xs", "fa-sm",
                 "fa-xl", "fa-2x"}


class _Icons(HTMLParser):
    """Icon elements in the HTML source: any element with an ``fa-<name>`` icon class."""

    def __init__(self):
        super().__init__()
        self.icons: list[str] = []

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        names = [c for c in classes if c.startswith("fa-") and c not in STYLE_CLASSES]
        if names and tag in ("i", "span"):
            self.icons.append(names[0][3:])


ICONS_JS = """() => {
  const svgs = Array.from(document.querySelectorAll('svg.svg-inline--fa'));
  // Font Awesome draws a placeholder (<g class="missing">) for an icon it does not have
  const drawn = svgs.filter(s => !s.querySelector('.missing'))
      .filter(s => Array.from(s.querySelectorAll('path'))
      .some(p => (p.getAttribute('d') || '').length > 10)).map(s => s.getAttribute('data-icon'));
  const left = Array.from(document.querySelectorAll('i[class*="fa-"], span[class*="fa-"]'))
      .filter(e => /(^|\\s)fa-(?!solid|regular|brands|lg|fw)[a-z]/.test(e.className))
      .map(e => e.className);
  const buttons = Array.from(document.querySelectorAll(
      '.bd-header-article button, .bd-header-article a.btn, .bd-header-article .dropdown-toggle'))
      .filter(b => !b.closest('.dropdown-menu'))
      .map(b => { const r = b.getBoundingClientRect();
                  const drawn = Array.from(b.querySelectorAll('svg, img')).some(i => {
                      const ir = i.getBoundingClientRect(); return ir.width > 0 && ir.height > 0; });
                  return [b.className, r.width > 0 && r.height > 0, drawn]; });
  const fonts = Array.from(document.fonts).filter(f => f.status === 'error').map(f => f.family);
  return {drawn, left, buttons, fonts};
}"""


def _next(doc: str) -> str:
    return PAGES[(PAGES.index(doc) + 1) % len(PAGES)]


@pytest.mark.parametrize("doc", PAGES)
def test_first_visit_next_chapter_and_icons(doc, browser, base_url, site_dir):
    parser = _Icons()
    parser.feed((site_dir / f"{doc}.html").read_text(encoding="utf-8"))
    seen: dict = {}

    def check(page):
        page.wait_for_function("document.fonts.status === 'loaded'")
        seen.update(page.evaluate(ICONS_JS))

    first, second = transfer.visit(browser, base_url, doc, _next(doc), check=check,
                                   all_images=True)
    problems = []
    if first.bytes > FIRST_MAX:
        problems.append(f"first visit {first.bytes / 1000:.1f} KB > {FIRST_MAX / 1000:.0f} KB; "
                        f"largest: {first.largest(3)}")
    again = {u: n for u, n in second.by_url.items() if n and first.by_url.get(u)}
    if again:
        problems.append(f"{_next(doc)} after {doc}: theme assets downloaded again: {again}")
    total = second.bytes + second.deferred
    if total > SECOND_MAX:
        problems.append(f"{_next(doc)} after {doc}: {total / 1000:.1f} KB with every figure "
                        f"> {SECOND_MAX / 1000:.0f} KB; largest: {second.largest(3)}")

    if sorted(seen["drawn"]) != sorted(parser.icons):
        problems.append(f"{len(parser.icons)} icons in the HTML ({sorted(set(parser.icons))}), "
                        f"{len(seen['drawn'])} drawn as SVG ({sorted(set(seen['drawn']))})")
    if seen["left"]:
        problems.append(f"icons not rendered: {seen['left']}")
    visible = [(cls, has_icon) for cls, shown, has_icon in seen["buttons"] if shown]
    if len(visible) < 3:  # at least the download, full-screen and theme buttons
        problems.append(f"only {len(visible)} visible header buttons: {seen['buttons']}")
    for cls, has_icon in visible:  # buttons the layout hides at this width are not checked
        if not has_icon:
            problems.append(f"header button {cls!r} shows no icon")
    if seen["fonts"]:
        problems.append(f"web fonts failed to load: {seen['fonts']}")
    assert not problems, f"{doc}:\n  " + "\n  ".join(problems)


def test_static_host_compresses_and_caches(base_url):
    """The server the measurements use behaves like a static host (gzip, ETag, max-age)."""
    import gzip
    import urllib.request

    req = urllib.request.Request(f"{base_url}{PAGES[0]}.html", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(req) as res:
        body, headers = res.read(), res.headers
    assert headers["Content-Encoding"] == "gzip" and b"<html" in gzip.decompress(body)
    assert re.fullmatch(r"max-age=\d+", headers["Cache-Control"])
    req = urllib.request.Request(f"{base_url}{PAGES[0]}.html",
                                 headers={"If-None-Match": headers["ETag"]})
    try:
        urllib.request.urlopen(req)
        status = 200
    except urllib.error.HTTPError as exc:
        status = exc.code
    assert status == 304
