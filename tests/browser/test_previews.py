"""Previews in place (netralitas.build.previews + _static/netralitas-previews.js, tippy.js).

On real built chapters in headless Chromium, one link of each kind — a citation, a numbered
citation of a source column, a reference to a table, a reference to a figure, a link to a chapter
and an evidence code — shows a preview that holds text of its target, read here from the target
page itself (the bibliography label, the caption, the chapter title, the code's row):

- at 1280 px with the mouse (hover), and from the keyboard (focus; Esc closes it);
- at 390 px on a touch screen: the first tap shows the preview and stays on the page, a second
  tap on the same link follows it;
- with a preview open, axe-core finds no serious or critical violation;
- tippy.js and Popper come from the site itself (every page), and nothing else is requested.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from netralitas import paths
from netralitas.build import site

PAGES = site.toc_pages(paths.root())
TIP = "[data-tippy-root] .tippy-content"
# (page, link selector, kind)
LINKS = [
    ("book/d2_makna", '.bd-article p a.reference[href="daftar_pustaka.html#id3"]', "citation"),
    ("book/d2_makna", ".bd-article a.nt-cite-number", "citation"),
    ("book/d2_makna", '.bd-article a[href="#tbl-d2-kutipan"]', "table"),
    ("book/d5_mutasi", '.bd-article a[href="a_pendahuluan.html#fig-a-kalender"]', "figure"),
    ("book/d2_makna", '.bd-article a[href="c_metode.html#ch-c"]', "chapter"),
    ("book/d2_makna", '.bd-article a.nt-code-ref[href="#kode-Q05"]', "code"),
    ("book/d3_patronase", ".bd-article a.nt-code-ref[href$='#kode-V4']", "code"),
    ("book/tanggapan", ".bd-article a.nt-code-ref[href^='d2_makna.html#kode-E']", "code"),
]


@cache
def _soup(path: Path) -> BeautifulSoup:
    """The parsed page (parsed once per process: the tests only read it)."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _words(text: str, n: int = 5) -> str:
    """The first ``n`` words of ``text`` (what any preview of it must show)."""
    return " ".join(text.split()[:n])


def expected(site_dir: Path, doc: str, href: str, kind: str) -> str:
    """Text of the link's target, read from the built target page."""
    path, _, fragment = href.partition("#")
    target = (site_dir / doc).parent / path if path else site_dir / f"{doc}.html"
    el = _soup(target).find(id=fragment)
    assert el is not None, f"{href}: no element with id {fragment!r} in {target.name}"
    if kind == "citation":  # the bibliography's author–year label
        return el.select_one(".label").get_text("").strip("[] ")
    if kind in ("table", "figure"):
        return _words(el.select_one(".caption-text").get_text(""))
    if kind == "chapter":  # the label sits right before the chapter's heading
        heading = el if el.name.startswith("h") else el.find_next(re.compile("^h[1-6]$"))
        return heading.get_text("").rstrip("#").strip()
    cells = el.find_all("td")  # code: its row
    assert el.name == "tr" and len(cells) > 2, f"{href}: not a table row"
    return _words(max((c.get_text(" ") for c in cells[1:]), key=len))


def _norm(text: str) -> str:
    return " ".join(text.split())


def _open_tip(page) -> str:
    page.wait_for_selector(TIP, state="visible", timeout=5_000)
    return _norm(page.locator(TIP).last.inner_text())


@pytest.mark.parametrize("doc,selector,kind", LINKS)
def test_hover_and_focus_show_the_target(doc, selector, kind, browser, base_url, site_dir, guard):
    problems: list[str] = []
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    guard(page, problems)
    page.goto(f"{base_url}{doc}.html", wait_until="load")
    link = page.locator(selector).first
    assert link.count(), f"{doc}: no link {selector}"
    want = expected(site_dir, doc, link.get_attribute("href"), kind)
    assert page.locator(TIP).count() == 0, "a preview is open before any hover"

    link.hover()
    got = _open_tip(page)
    assert _norm(want) in got, f"{doc} {kind} hover: {want!r} not in preview {got!r}"
    assert link.get_attribute("title") is None, "the browser's title tooltip would double it"
    described = link.get_attribute("aria-describedby")
    assert described and page.locator(f"#{described}").count(), "preview not tied to the link"
    page.keyboard.press("Escape")
    page.mouse.move(0, 0)
    page.wait_for_selector(TIP, state="detached", timeout=5_000)

    link.focus()  # keyboard: focus shows it too
    got = _open_tip(page)
    assert _norm(want) in got, f"{doc} {kind} focus: {want!r} not in preview {got!r}"
    page.close()
    assert not problems, problems


@pytest.mark.parametrize("doc,selector,kind", LINKS)
def test_tap_shows_then_follows(doc, selector, kind, browser, base_url, site_dir, guard):
    problems: list[str] = []
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True,
                                  is_mobile=True, device_scale_factor=2)
    page = context.new_page()
    guard(page, problems)
    url = f"{base_url}{doc}.html"
    page.goto(url, wait_until="load")
    link = page.locator(selector).first
    href = link.get_attribute("href")
    want = expected(site_dir, doc, href, kind)
    link.scroll_into_view_if_needed()
    link.tap()
    got = _open_tip(page)
    assert _norm(want) in got, f"{doc} {kind} tap: {want!r} not in preview {got!r}"
    assert "Ketuk tautan sekali lagi" in got
    page.wait_for_timeout(300)
    assert page.url == url, f"the first tap left the page for {page.url}"
    box = page.locator("[data-tippy-root] .tippy-box").last.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390 + 1, f"preview off screen {box}"

    link.tap()  # the second tap follows the link
    path, _, fragment = href.partition("#")
    page.wait_for_function("([p, f]) => location.pathname.endsWith(p || location.pathname)"
                           " && location.hash === (f ? '#' + f : '')", arg=[path, fragment],
                           timeout=5_000)
    context.close()
    assert not problems, problems


def test_axe_with_a_preview_open(browser, base_url):
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base_url}book/d2_makna.html", wait_until="load")
    page.locator('.bd-article a.nt-code-ref[href="#kode-Q05"]').first.hover()
    _open_tip(page)
    result = Axe().run(page)
    bad = [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}"
           for v in result.response["violations"] if v.get("impact") in ("serious", "critical")
           and any("tippy" in str(n.get("target")) or "nt-preview" in str(n.get("target"))
                   for n in v["nodes"])]
    page.close()
    assert not bad, bad


def test_tippy_assets_are_local_on_every_page(site_dir):
    """Every page loads tippy.js and Popper from the site's own _static/vendor (files present);
    no page names a CDN."""
    problems = []
    for doc in PAGES:
        page = site_dir / f"{doc}.html"
        html = page.read_text(encoding="utf-8")
        urls = [r.url for r in site.resources(html) if r.kind == "script"
                and re.search(r"tippy|popper|previews", r.url)]
        names = {Path(u.split("?")[0]).name for u in urls}
        if names != {"popper.min.js", "tippy-bundle.umd.min.js", "netralitas-previews.js"}:
            problems.append(f"{doc}: preview scripts {sorted(names)}")
        for u in urls:
            if site.is_external(u) or not site.local_path(page, u).is_file():
                problems.append(f"{doc}: {u} is not a file of the site")
        if re.search(r"unpkg\.com|cdn\.jsdelivr|cdnjs", html):
            problems.append(f"{doc}: names a CDN")
    assert not problems, "\n".join(problems)


def test_previews_cover_every_chapter_with_links(site_dir):
    """Every chapter with a citation has previews, and evidence codes are links with a target."""
    pages_with_codes = 0
    for doc in PAGES:
        soup = _soup(site_dir / f"{doc}.html")
        data = soup.find("script", id="nt-previews")
        cites = soup.select(".bd-article a[href*='daftar_pustaka.html#']")
        if cites:
            assert data is not None, f"{doc}: citations but no previews"
        codes = soup.select(".bd-article a.nt-code-ref")
        pages_with_codes += bool(codes)
        for a in codes:
            path, _, frag = a["href"].partition("#")
            target = (site_dir / doc).parent / path if path else site_dir / f"{doc}.html"
            row = _soup(target).find(id=frag) if path else soup.find(id=frag)
            assert row is not None and row.name == "tr", f"{doc}: {a['href']} has no row"
    assert pages_with_codes >= 5
