"""Fixtures for the browser tests: the built site served on 127.0.0.1 and headless Chromium.

Chromium is Debian's package (/usr/bin/chromium), driven by Playwright's Python API through
``executable_path``: Playwright's own browser download is never used (it needs the network).
"""

from __future__ import annotations

import os
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
