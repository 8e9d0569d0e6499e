"""Sphinx extension ``netralitas.build.offline``: the built book loads nothing from a third-party host.

Jupyter Book 1.x always loads ``sphinx_thebe``, which writes the address of the thebe bundle on a
CDN into every page (fetched when a reader presses a "live code" button). The book has no live
code (``launch_buttons.thebe: false``; Binder and Colab buttons are plain links), so this
extension drops thebe's scripts, stylesheet and per-page configuration from every page.

It then checks each page's remaining ``<script src>`` and ``<link href>`` assets (MathJax on a
page with math, widget loaders, analytics) and emits a build *warning* for any that points to
another host, so ``jupyter-book build -W`` fails instead of publishing a page that phones out.
``tests/test_html.py`` checks the built HTML itself as a second line of defence.
"""

from __future__ import annotations

from urllib.parse import urlsplit

__all__ = ["is_external", "setup"]

THEBE_FILES = {"sphinx-thebe.js", "sphinx-thebe.css"}
THEBE_BODY_MARKER = "THEBE_JS_URL"
THEBE_RAW_MARKERS = ("text/x-thebe-config", "kernelName = ")


def is_external(url: str | None) -> bool:
    """True when ``url`` names another host (``http(s)://…`` or protocol-relative ``//…``)."""
    if not url:
        return False
    url = str(url).strip()
    if url.startswith("//"):
        return True
    return urlsplit(url).scheme.lower() in {"http", "https"}


def _is_thebe(asset) -> bool:
    name = str(getattr(asset, "filename", "") or "")
    body = str(getattr(asset, "attributes", {}).get("body", "") or "")
    return name.split("?")[0].rsplit("/", 1)[-1] in THEBE_FILES or THEBE_BODY_MARKER in body


def _filter_assets(app, pagename, templatename, context, doctree):
    from sphinx.util import logging

    logger = logging.getLogger(__name__)
    for key in ("script_files", "css_files"):
        assets = context.get(key)
        if assets is None:
            continue
        kept = [a for a in assets if not _is_thebe(a)]
        context[key] = kept
        for asset in kept:
            name = getattr(asset, "filename", None)
            if is_external(name):
                logger.warning(
                    f"{pagename}: {key[:-6]} asset from a third-party host: {name} "
                    "(the book must work offline; vendor it under _static or switch it off)",
                    type="netralitas",
                    subtype="offline",
                )


def _drop_thebe_config(app, doctree, docname):
    from docutils import nodes

    for node in list(doctree.findall(nodes.raw)):
        if any(marker in node.astext() for marker in THEBE_RAW_MARKERS):
            node.parent.remove(node)


def setup(app):
    # Run after sphinx_thebe (priority 500) and after the mathjax/theme handlers.
    app.connect("doctree-resolved", _drop_thebe_config, priority=900)
    app.connect("html-page-context", _filter_assets, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
