"""Unit tests for netralitas.build.site and netralitas.build.offline on small synthetic pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from netralitas.build import offline, site

PAGE = """<!DOCTYPE html><html><head>
<link rel="stylesheet" href="../_static/a.css?v=1">
<link rel="stylesheet" href="https://fonts.example.com/css?family=X">
<link rel="next" href="https://example.org/next.html">
<link rel="preload" as="script" href="//cdn.example.net/lib.js">
<script src="../_static/b.js"></script>
<script>const X = "https://inline.example.org/not-a-load.js";</script>
<style>@import "https://styles.example.org/i.css"; .x { background: url(data:image/png;base64,AA) }</style>
</head><body>
<img src="../_images/fig.png" alt="f">
<img srcset="small.png 1x, https://img.example.org/big.png 2x" alt="g">
<a href="https://example.org/">a link is not a load</a>
<div style="background-image: url('https://bg.example.org/p.png')"></div>
</body></html>"""


def test_resources_finds_loads_not_links():
    found = {(r.kind, r.url) for r in site.resources(PAGE)}
    assert ("style", "../_static/a.css?v=1") in found
    assert ("script", "../_static/b.js") in found
    assert ("image", "../_images/fig.png") in found
    assert ("image", "small.png") in found
    # navigation links, anchors and inline script text are not fetches
    assert not any("next.html" in u or u == "https://example.org/" for _, u in found)
    assert not any("inline.example.org" in u for _, u in found)
    assert not any(u.startswith("data:") for _, u in found)


def test_external_lists_every_third_party_load():
    hosts = sorted(r.url.split("/")[2] for r in site.external(PAGE))
    assert hosts == ["bg.example.org", "cdn.example.net", "fonts.example.com",
                     "img.example.org", "styles.example.org"]


def test_external_is_empty_for_local_page():
    html = '<script src="_static/x.js"></script><img src="a.png" alt="">'
    assert site.external(html) == []


def test_css_urls():
    css = """@font-face { src: url("../fonts/a.woff2") format("woff2"), url(b.ttf); }
    @import 'https://x.example.org/y.css'; .i { background: url( data:image/svg+xml;x ) }"""
    assert site.css_urls(css) == ["../fonts/a.woff2", "b.ttf", "https://x.example.org/y.css"]


@pytest.mark.parametrize(
    "url, expected",
    [("https://a.b/c.js", True), ("HTTP://a.b", True), ("//cdn.x/y.js", True),
     ("_static/x.js", False), ("../a.css", False), ("", False), (None, False),
     ("data:image/png;base64,AA", False)],
)
def test_is_external(url, expected):
    assert offline.is_external(url) is expected


def test_page_weight_counts_each_local_file_once(tmp_path):
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "a.js").write_bytes(b"x" * 100)
    (tmp_path / "_static" / "a.css").write_bytes(b"y" * 40)
    (tmp_path / "img.png").write_bytes(b"z" * 7)
    page = tmp_path / "p.html"
    page.write_text('<script src="_static/a.js?v=2"></script><script src="_static/a.js"></script>'
                    '<link rel="stylesheet" href="_static/a.css"><img src="img.png" alt="">')
    w = site.page_weight(page)
    assert w["code"] == 140
    assert w["images"] == 7
    assert w["html"] == page.stat().st_size
    assert w["total"] == w["html"] + 147


def test_page_weight_refuses_third_party(tmp_path):
    page = tmp_path / "p.html"
    page.write_text('<html>\n<script src="https://cdn.example.org/x.js"></script></html>')
    with pytest.raises(ValueError, match=r"p.html: line 2: third-party script"):
        site.page_weight(page)


def test_toc_pages_in_reading_order(tmp_path):
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: book/intro\nparts:\n"
        "  - caption: A\n    chapters:\n      - file: book/a\n        sections:\n"
        "          - file: book/a1.ipynb\n      - file: book/b\n"
        "  - caption: B\n    chapters:\n      - file: book/z.md\n"
    )
    assert site.toc_pages(tmp_path) == ["book/intro", "book/a", "book/a1", "book/b", "book/z"]


class _Asset:
    def __init__(self, filename, **attributes):
        self.filename = filename
        self.attributes = attributes


def test_offline_drops_thebe_and_warns_on_cdn(monkeypatch):
    warnings = []

    class _Logger:
        def warning(self, msg, **kw):
            warnings.append(msg)

    import sphinx.util.logging

    monkeypatch.setattr(sphinx.util.logging, "getLogger", lambda name: _Logger())
    context = {
        "script_files": [_Asset("_static/doctools.js"), _Asset("_static/sphinx-thebe.js"),
                         _Asset(None, body='const THEBE_JS_URL = "https://unpkg.com/x"'),
                         _Asset("https://cdn.example.org/mathjax.js")],
        "css_files": [_Asset("_static/sphinx-thebe.css"), _Asset("_static/theme.css")],
    }
    offline._filter_assets(None, "book/x", "page.html", context, None)
    assert [a.filename for a in context["script_files"]] == [
        "_static/doctools.js", "https://cdn.example.org/mathjax.js"]
    assert [a.filename for a in context["css_files"]] == ["_static/theme.css"]
    assert len(warnings) == 1 and "book/x" in warnings[0] and "cdn.example.org" in warnings[0]


def test_site_cli_without_build(tmp_path, capsys):
    assert site.main(["weight", "--site", str(tmp_path)]) == 1
    assert "make build" in capsys.readouterr().out


def test_local_path_drops_query(tmp_path):
    page = tmp_path / "book" / "p.html"
    assert site.local_path(page, "../_static/a%20b.css?v=1#x") == (
        tmp_path / "_static" / "a b.css").resolve()
    assert isinstance(site.local_path(page, "x.png"), Path)
