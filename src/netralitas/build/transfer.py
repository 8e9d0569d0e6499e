"""What a reader's browser downloads: the built site served as a static host serves it.

:class:`StaticHost` serves a folder the way GitHub Pages (or any common static host) does:
gzip for text (HTML, CSS, JavaScript, SVG, JSON) when the browser asks for it, an ``ETag`` with
``304 Not Modified`` on revalidation, and ``Cache-Control: max-age=600``. :func:`visit` opens a
page in a fresh Chromium context (empty cache: a first visit), then a second page in the same
context (assets cached), and counts the bytes that crossed the network for each, as Chromium
reports them (``encodedDataLength`` of every finished request: compressed bodies plus headers).

Used by ``tests/browser`` (every chapter, with the targets) and by ``make bench`` (this site and
a peer site with the unmodified theme assets, in the same run).
"""

from __future__ import annotations

import gzip
import hashlib
import http.server
import mimetypes
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

__all__ = ["serve", "Visit", "visit", "measure_site"]

COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml",
                "application/xml", "application/x-javascript")
MAX_AGE = 600  # seconds, as GitHub Pages sends
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    site: Path = Path(".")
    cache: dict = {}
    lock = threading.Lock()

    def log_message(self, *args):  # keep test output readable
        pass

    def _file(self) -> Path | None:
        rel = unquote(urlsplit(self.path).path).lstrip("/")
        target = (self.site / rel).resolve()
        if self.site not in target.parents and target != self.site:
            return None
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    def _entry(self, path: Path) -> tuple[bytes, bytes | None, str, str]:
        key = (path, path.stat().st_mtime_ns)
        with self.lock:
            if key not in self.cache:
                body = path.read_bytes()
                ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                if ctype.startswith("text/") or ctype in ("application/javascript",):
                    ctype += "; charset=utf-8"
                packed = gzip.compress(body, 6, mtime=0) if ctype.startswith(COMPRESSIBLE) else None
                self.cache[key] = (body, packed, ctype, '"' + hashlib.sha1(body).hexdigest() + '"')
            return self.cache[key]

    def do_GET(self, head: bool = False):  # noqa: N802 - http.server's naming
        try:
            path = self._file()
            if path is None:
                body = b"not found"
                self.send_response(404)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if not head:
                    self.wfile.write(body)
                return
            body, packed, ctype, etag = self._entry(path)
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Cache-Control", f"max-age={MAX_AGE}")
                self.end_headers()
                return
            use_gzip = packed is not None and "gzip" in self.headers.get("Accept-Encoding", "")
            data = packed if use_gzip else body
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", f"max-age={MAX_AGE}")
            self.send_header("ETag", etag)
            if packed is not None:
                self.send_header("Vary", "Accept-Encoding")
            if use_gzip:
                self.send_header("Content-Encoding", "gzip")
            self.end_headers()
            if not head:
                self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the browser closed a tab mid-request
            pass

    def do_HEAD(self):  # noqa: N802
        self.do_GET(head=True)


@contextmanager
def serve(site: Path):
    """Serve ``site`` on 127.0.0.1 (a free port); yields the base URL ending in ``/``."""
    handler = type("Handler", (_Handler,), {"site": Path(site).resolve(), "cache": {}})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Visit:
    """Bytes over the network for one page view, and per URL (largest first)."""

    doc: str
    bytes: int = 0
    requests: int = 0
    from_cache: int = 0
    by_url: dict[str, int] = field(default_factory=dict)
    #: bytes of the lazily loaded figures the page fetches once every one is on screen
    #: (measured with ``all_images=True``; not included in ``bytes``)
    deferred: int = 0

    def largest(self, n: int = 5) -> list[tuple[str, int]]:
        return sorted(self.by_url.items(), key=lambda kv: -kv[1])[:n]


EAGER_JS = """async () => Promise.all(Array.from(document.images).map(async (img) => {
    img.loading = "eager"; try { await img.decode(); } catch (e) {} }))"""


def _load(page, cdp_events: list, base_url: str, doc: str, all_images: bool = False) -> Visit:
    start = len(cdp_events)
    page.goto(f"{base_url}{doc}.html", wait_until="load")
    page.wait_for_load_state("networkidle")
    visit = _count(Visit(doc), cdp_events[start:], base_url)
    if all_images:  # as if the reader scrolled through the page: every lazy figure fetched
        start = len(cdp_events)
        page.evaluate(EAGER_JS)
        # the page's load state is already "networkidle": wait until every request the eager
        # figures started has finished (its CDP event arrived), at most 10 s
        for _ in range(100):
            events = cdp_events[start:]
            began = {p["requestId"] for k, p in events if k == "response"}
            ended = {p["requestId"] for k, p in events if k == "finished"}
            if began <= ended:
                page.wait_for_timeout(300)
                if len(cdp_events) == start + len(events):
                    break
            else:
                page.wait_for_timeout(100)
        visit.deferred = _count(Visit(doc), cdp_events[start:], base_url).bytes
    return visit


def _count(visit: Visit, events: list, base_url: str) -> Visit:
    urls = {}
    for kind, params in events:
        if kind == "response":
            urls[params["requestId"]] = params["response"]["url"]
            if params["response"].get("fromDiskCache") or params["response"].get("fromMemoryCache"):
                visit.from_cache += 1
        elif kind == "cached":
            visit.from_cache += 1
        elif kind == "finished":
            n = int(params.get("encodedDataLength", 0))
            url = urls.get(params["requestId"], params["requestId"])
            visit.bytes += n
            visit.requests += 1
            rel = url[len(base_url):] if url.startswith(base_url) else url
            visit.by_url[rel] = visit.by_url.get(rel, 0) + n
    return visit


def visit(browser, base_url: str, first: str, second: str | None = None,
          check=None, all_images: bool = False) -> list[Visit]:
    """A first visit of ``first`` (new context, empty cache), then ``second`` in the same tab.

    ``check(page)``, if given, runs on the first page once it has loaded."""
    context = browser.new_context()
    try:
        page = context.new_page()
        events: list = []
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.on("Network.responseReceived", lambda p: events.append(("response", p)))
        cdp.on("Network.requestServedFromCache", lambda p: events.append(("cached", p)))
        cdp.on("Network.loadingFinished", lambda p: events.append(("finished", p)))
        out = [_load(page, events, base_url, first)]
        if check is not None:
            check(page)
        if second:
            out.append(_load(page, events, base_url, second, all_images))
        return out
    finally:
        context.close()


def measure_site(site: Path, pages: list[str], chromium: str = "/usr/bin/chromium") -> list[dict]:
    """For each page: its first-visit bytes, and the bytes of the next page in reading order
    visited right after it (the last page is followed by the first): as loaded (``second``)
    and with every figure of it fetched (``second_all``)."""
    from playwright.sync_api import sync_playwright

    rows = []
    with serve(site) as base_url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        try:
            for i, doc in enumerate(pages):
                nxt = pages[(i + 1) % len(pages)]
                first, second = visit(browser, base_url, doc, nxt, all_images=True)
                rows.append({"page": doc, "first": first.bytes, "next": nxt,
                             "second": second.bytes, "second_all": second.bytes + second.deferred,
                             "largest": first.largest(3)})
        finally:
            browser.close()
    return rows
