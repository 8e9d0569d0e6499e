"""The built site as a chat app and a crawler see it, and every request the browser makes.

- every TOC page carries OpenGraph/Twitter-card tags whose URLs are derived from the repository
  URL in _config.yml, and its preview image exists in the built site;
- sitemap.xml lists every TOC page; robots.txt points to it;
- every page names an icon that exists, and a whole visit of the book (fresh browser profile,
  every TOC page) gets no 4xx/5xx answer from the server and logs no console error. The check is
  made on the server's own log, because Chromium fetches favicons outside the page (Playwright's
  page events do not see a ``/favicon.ico`` 404); a control page without an icon proves that the
  log does catch that 404.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
import yaml

from netralitas import paths
from netralitas.build import sharing, site

ROOT = paths.root()
PAGES = site.toc_pages(ROOT)
CFG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
BASE = sharing.site_url(CFG["repository"]["url"], CFG.get("html", {}).get("baseurl", ""))


def _meta(html: str) -> dict[str, str]:
    return {m.group(2): m.group(3) for m in re.finditer(
        r'<meta (property|name)="([^"]+)" content="([^"]*)"', html)}


@pytest.mark.parametrize("doc", PAGES)
def test_page_has_sharing_metadata(doc, site_dir):
    html = (site_dir / f"{doc}.html").read_text(encoding="utf-8")
    meta = _meta(html)
    for key in ("og:title", "og:url", "og:image", "og:description", "twitter:card",
                "twitter:image", "twitter:title"):
        assert meta.get(key), f"{doc}: no {key}"
    assert meta["og:url"] == f"{BASE}{doc}.html"
    assert meta["og:image"].startswith(BASE + sharing.OG_DIR + "/")
    image = site_dir / meta["og:image"][len(BASE):]
    assert image.is_file() and image.stat().st_size > 5_000, f"{doc}: preview image missing"
    assert meta["twitter:card"] == "summary_large_image"
    icon = re.search(r'<link rel="icon" href="([^"]+)"', html)
    assert icon and site.local_path(site_dir / f"{doc}.html", icon.group(1)).is_file(), doc


def test_preview_images_differ_per_chapter(site_dir):
    images = {(site_dir / sharing.OG_DIR / sharing.image_name(d)).read_bytes() for d in PAGES}
    assert len(images) == len(PAGES)


def test_sitemap_lists_every_page(site_dir):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ET.fromstring((site_dir / "sitemap.xml").read_text(encoding="utf-8"))
    locs = {e.text for e in root.findall("s:url/s:loc", ns)}
    missing = [d for d in PAGES if f"{BASE}{d}.html" not in locs]
    assert not missing, f"sitemap.xml lacks {missing}"
    assert all(u.startswith(BASE) for u in locs)
    assert f"Sitemap: {BASE}sitemap.xml" in (site_dir / "robots.txt").read_text(encoding="utf-8")
    assert (site_dir / "favicon.ico").is_file()


class _Recorder(http.server.SimpleHTTPRequestHandler):
    def log_request(self, code="-", size="-"):
        self.server.log.append((self.path, int(code) if str(code).isdigit() else 0))

    def log_message(self, *args):
        pass

    def handle(self):
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass


def _serve(directory):
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Recorder, directory=str(directory)))
    server.log = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def _visit(browser, base: str, docs: list[str], server, settle) -> list[str]:
    """Visit ``docs`` in a fresh context; console errors and page errors, in order.

    Each page is left once it has settled (conftest ``settle``): every request it started has
    ended and its icon was requested; the ``/favicon.ico`` request of a page without an icon
    link is made outside the page, so it is looked for in the server's log."""
    errors: list[str] = []
    ctx = browser.new_context()
    page = ctx.new_page()
    page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"uncaught exception: {e}"))
    wait = settle(page)
    for doc in docs:
        wait.start()
        logged = len(server.log)
        page.goto(f"{base}{doc}", wait_until="load")
        wait(also=lambda icon, since=logged: not icon.endswith("/favicon.ico")
             or any(p == urlsplit(icon).path for p, _ in server.log[since:]))
    ctx.close()
    return errors


def test_control_page_without_icon_shows_favicon_404(browser, tmp_path, settle):
    (tmp_path / "index.html").write_text("<!doctype html><title>x</title><p>x</p>", encoding="utf-8")
    server, base = _serve(tmp_path)
    try:
        _visit(browser, base, ["index.html"], server, settle)
    finally:
        server.shutdown()
        server.server_close()
    assert ("/favicon.ico", 404) in server.log


def test_whole_visit_no_error_answer_and_no_console_error(browser, site_dir, settle):
    server, base = _serve(site_dir)
    try:
        errors = _visit(browser, base, [f"{d}.html" for d in PAGES], server, settle)
    finally:
        server.shutdown()
        server.server_close()
    bad = [f"HTTP {code}: {path}" for path, code in server.log if code >= 400]
    assert not bad + errors, "\n".join(bad + errors)
    assert any(p.startswith("/_static/favicon.svg") and c == 200 for p, c in server.log)
