"""Fixtures for the browser tests: the built site served on 127.0.0.1 and headless Chromium.

Chromium is Debian's package (/usr/bin/chromium), driven by Playwright's Python API through
``executable_path``: Playwright's own browser download is never used (it needs the network).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from netralitas import paths

SITE = paths.root() / "_build" / "html"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def site_dir() -> Path:
    if not (SITE / "index.html").is_file():
        pytest.fail(f"{SITE}/index.html is missing: run `make build` before the browser tests")
    return SITE


@pytest.fixture(scope="session")
def base_url(site_dir):
    """_build/html served as a static host serves it (gzip, ETag, Cache-Control: max-age=600;
    netralitas.build.transfer), on 127.0.0.1 and a free port."""
    from netralitas.build import transfer

    with transfer.serve(site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def guard(base_url):
    """``guard(page, problems)``: the page may fetch from the site only (any other host is
    aborted and recorded), and every console error and uncaught exception is recorded."""
    def install(page, problems: list[str]) -> None:
        def on_request(route):
            url = route.request.url
            if url.startswith(base_url) or url.startswith(("data:", "blob:")):
                route.continue_()
            else:
                problems.append(f"request to a third-party host: {url}")
                route.abort()

        page.route("**/*", on_request)
        page.on("console", lambda m: problems.append(f"console {m.type}: {m.text} @ {m.location}")
                if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(f"uncaught exception: {e}"))

    return install


ICON_JS = """() => { const l = document.querySelector('link[rel~="icon"]');
    return l ? l.href : location.origin + '/favicon.ico'; }"""


@pytest.fixture(scope="session")
def settle():
    """``wait = settle(page)`` before ``page.goto``; ``wait()`` after the load event returns once
    every request the page started has ended (finished or failed) and the page's icon was
    requested (the icon request follows the load event), at most ``timeout`` seconds: the exact
    condition instead of ``networkidle`` (500 ms without a request). ``also()`` may add a
    condition. Chromium makes a ``/favicon.ico`` request outside the page, which page events do
    not see: a page without an icon link waits for its requests only, unless ``also`` says more."""
    def watch(page):
        pending: set = set()
        seen: list[str] = []
        page.on("request", lambda r: (pending.add(r), seen.append(r.url)))
        page.on("requestfinished", lambda r: pending.discard(r))
        page.on("requestfailed", lambda r: pending.discard(r))

        def wait(also=None, timeout: float = 10.0):
            icon = page.evaluate(ICON_JS)
            own_icon = not icon.endswith("/favicon.ico")
            for _ in range(int(timeout / 0.02)):
                if not pending and (not own_icon or icon in seen) and (also is None or also(icon)):
                    return
                page.wait_for_timeout(20)

        def start():  # before the next page.goto of the same tab
            seen.clear()

        wait.start = start
        return wait

    return watch


# The axe allow-list must not hold entries that no page needs any more. With pytest-xdist the
# pages are spread over workers, so each worker reports the entries it used and the controller
# checks the union when the session ends.
def _used_allowlist() -> set[int] | None:
    """Allow-list entries used by this process's page tests (None: test_pages.py not loaded)."""
    for mod in list(sys.modules.values()):
        if getattr(mod, "__file__", None) and Path(mod.__file__).name == "test_pages.py" \
                and hasattr(mod, "USED_ALLOWLIST"):
            return set(mod.USED_ALLOWLIST)
    return None


def pytest_sessionfinish(session, exitstatus):
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: hand the used entries to the controller
        used = _used_allowlist()
        workeroutput["axe_used"] = None if used is None else sorted(used)
        return
    used = getattr(session.config, "_axe_used", None)
    if used is None:  # no xdist: test_allowlist_entries_have_reasons_and_are_used checked it
        return
    import yaml

    allow = yaml.safe_load((Path(__file__).with_name("axe_allowlist.yml")).read_text("utf-8")) or []
    ran_pages = getattr(session.config, "_axe_pages_ran", False)
    stale = [e for i, e in enumerate(allow) if i not in used]
    if stale and ran_pages and exitstatus == 0:
        print(f"\nbrowser: allow-list entries that match no violation any more: {stale}")
        session.exitstatus = 1


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    out = getattr(node, "workeroutput", {}) or {}
    node.config._axe_used = getattr(node.config, "_axe_used", set())
    if out.get("axe_used") is not None:  # this worker ran page tests
        node.config._axe_used |= set(out["axe_used"])
        node.config._axe_pages_ran = True


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield chromium
    chromium.close()
    pw.stop()


@pytest.fixture(scope="session")
def view(browser, base_url):
    """``view(doc, width, height, touch=False, take=False)``: a tab showing ``doc`` at that window
    size, loaded once (wait until "load", as the tests always did) and shared by the checks that
    only read it; each window size has its own browser context for the session (its cache warm,
    as when one tab went through every page). ``take=True`` hands over a tab nobody else will
    see (the caller may change the page and closes it). Tabs of another page are closed when a
    page is asked for: the checks of one page run one after another (the scheduler below)."""
    contexts: dict = {}
    tabs: dict = {}

    def get(doc: str, width: int, height: int, touch: bool = False, take: bool = False):
        for key in [k for k in tabs if k[0] != doc]:
            tabs.pop(key).close()
        size = (width, height, touch)
        key = (doc, *size)
        tab = tabs.pop(key, None)
        if tab is None:
            if size not in contexts:
                options = {"has_touch": True} if touch else {}
                contexts[size] = browser.new_context(
                    viewport={"width": width, "height": height}, **options)
            tab = contexts[size].new_page()
            tab.goto(f"{base_url}{doc}.html", wait_until="load")
        if not take:
            tabs[key] = tab
        return tab

    yield get
    for context in contexts.values():
        context.close()


# Scheduling under pytest-xdist (pytest 9 ignores the node-id suffix --dist loadgroup relies on):
# the checks of one page that share its tabs (fixture ``view``) go to one worker together, as
# do the PDF tests (one text extraction); the longest units are handed out first.
SHARED_VIEW = ("test_page_height.py", "test_tables_fit.py", "test_figures_open.py",
               "test_long_tables.py")
HEAVY = {"pdf": 60, "tests/browser/test_sharing_site.py::"
         "test_whole_visit_no_error_answer_and_no_console_error": 30}


def _unit(nodeid: str) -> str:
    path = nodeid.split("::", 1)[0]
    if path.endswith("test_pdf.py"):
        return "pdf"
    doc = re.search(r"\[(?:\d+-)?((?:book/)?[a-z0-9_]+)\]$", nodeid)
    if path.endswith(SHARED_VIEW) and doc:
        return f"page:{doc.group(1)}"
    return nodeid


def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    class PageScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return _unit(nodeid)

        def _assign_work_unit(self, node) -> None:
            heaviest = max(self.workqueue, key=lambda u: HEAVY.get(u, len(self.workqueue[u])))
            self.workqueue.move_to_end(heaviest, last=False)
            super()._assign_work_unit(node)

    return PageScheduling(config, log)
