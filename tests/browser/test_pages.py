"""Every page of the book in real headless Chromium (Debian package, driven by Playwright).

For every page listed in _toc.yml (plus the search and index pages):
- it loads with no console error, no uncaught exception, no failed or 4xx/5xx request, and no
  request to any host but the local server (the book works offline);
- every <img> decodes (naturalWidth > 0);
- every internal link resolves to a built file, and every #anchor to an element id there;
- axe-core finds no serious or critical accessibility violation (or the violation is in
  tests/browser/axe_allowlist.yml with its reason).
The search page finds "netralitas".
"""

from __future__ import annotations

import fnmatch
import os
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from netralitas import paths
from netralitas.build import site

ALLOWLIST_FILE = Path(__file__).with_name("axe_allowlist.yml")
ALLOWLIST = yaml.safe_load(ALLOWLIST_FILE.read_text(encoding="utf-8")) or []
PAGES = site.toc_pages(paths.root()) + ["search", "genindex"]
BLOCKING = {"serious", "critical"}
USED_ALLOWLIST: set[int] = set()


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k == "id" or (tag == "a" and k == "name"):
                self.ids.add(v or "")


@cache
def ids_in(path: Path) -> frozenset[str]:
    parser = _Ids()
    parser.feed(path.read_text(encoding="utf-8"))
    return frozenset(parser.ids)


def _target_file(site_dir: Path, url_path: str) -> Path:
    rel = unquote(url_path).lstrip("/")
    target = site_dir / rel
    return target / "index.html" if rel == "" or url_path.endswith("/") else target


def _allowed(doc: str, violation: dict, target: str) -> bool:
    for i, entry in enumerate(ALLOWLIST):
        if (entry.get("rule") == violation["id"] and fnmatch.fnmatch(doc, entry.get("pages", "*"))
                and entry.get("target", "") in target):
            USED_ALLOWLIST.add(i)
            return True
    return False


IMAGES_JS = """async () => Promise.all(Array.from(document.images).map(async (img) => {
    img.loading = "eager";
    try { await img.decode(); } catch (e) {}
    return [img.getAttribute("src"), img.naturalWidth];
}))"""


@pytest.mark.parametrize("doc", PAGES)
def test_page(doc, browser, base_url, site_dir, guard):
    from axe_playwright_python.sync_playwright import Axe

    problems: list[str] = []
    page = browser.new_page()
    guard(page, problems)
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url} {r.failure}")
            if r.url.startswith(base_url) else None)
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}")
            if r.status >= 400 else None)

    page.goto(f"{base_url}{doc}.html", wait_until="load")
    page.wait_for_load_state("networkidle")

    for src, width in page.evaluate(IMAGES_JS):
        if not width:
            problems.append(f"image does not decode: {src}")

    for href in page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)"):
        if not href.startswith(base_url):
            continue  # external links are plain links (launch buttons, sources); never loaded
        parts = urlsplit(href)
        target = _target_file(site_dir, parts.path)
        if not target.is_file():
            problems.append(f"broken link: {href}")
        elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in ids_in(target):
            problems.append(f"missing anchor: {href}")

    # Snapshot before axe runs: axe pre-loads stylesheets with requests of its own (it resolves
    # the theme's @import against the page URL and gets a 404), which are not the page's.
    load_problems = list(problems)
    result = Axe().run(page)
    for v in result.response["violations"]:
        if v.get("impact") not in BLOCKING:
            continue
        for node in v["nodes"]:
            target = " ".join(map(str, node.get("target", [])))
            if not _allowed(doc, v, target):
                load_problems.append(f"axe {v['impact']} {v['id']}: {target} — {v['help']}")
    page.close()
    assert not load_problems, f"{doc}:\n  " + "\n  ".join(load_problems)


def test_search_finds_netralitas(browser, base_url):
    page = browser.new_page()
    page.goto(f"{base_url}search.html?q=netralitas", wait_until="load")
    page.wait_for_selector("#search-results ul.search li", timeout=20_000)
    hits = page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(a => a.href)")
    page.close()
    assert hits, "search for 'netralitas' found nothing"
    assert all(h.startswith(base_url) for h in hits)
    assert any(re.search(r"/book/[a-z0-9_]+\.html", h) for h in hits)


def test_root_redirects_to_first_page(browser, base_url):
    page = browser.new_page()
    page.goto(base_url, wait_until="load")
    page.wait_for_url(re.compile(r".*/book/.*\.html.*"), timeout=10_000)
    url = page.url
    page.close()
    assert urlsplit(url).path == f"/{PAGES[0]}.html"


def test_allowlist_entries_have_reasons_and_are_used():
    """Runs last (file order): an entry that matched nothing is stale and must be removed.

    Under pytest-xdist the pages run on several workers: this test then checks the reasons only,
    and tests/browser/conftest.py checks the union of used entries when the session ends."""
    for entry in ALLOWLIST:
        assert entry.get("rule") and len(str(entry.get("reason", "")).split()) >= 5, entry
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    stale = [e for i, e in enumerate(ALLOWLIST) if i not in USED_ALLOWLIST]
    assert not stale, f"allow-list entries that match no violation any more: {stale}"
