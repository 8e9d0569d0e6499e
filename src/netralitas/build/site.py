"""Checks on the built website (``_build/html``): what each page loads, and how much it weighs.

``python -m netralitas.build.site weight`` prints the page weight of every page in the table of contents
as a Markdown table (the numbers in README "Page weight"). ``tests/test_html.py`` uses
:func:`resources` and :func:`css_urls` to prove that no page loads anything from another host,
and ``tests/browser`` uses :func:`toc_pages` to visit every page.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .. import paths
from ..manifest import toc_pages  # noqa: F401 (re-exported for the browser tests)
from .offline import is_external

__all__ = ["Resource", "resources", "css_urls", "external", "local_path", "page_weight",
           "weights", "toc_pages", "main"]

# <link rel=…> values that make the browser fetch the target (navigation links such as
# rel="next" or rel="search" do not).
LOADING_RELS = {"stylesheet", "preload", "modulepreload", "prefetch", "icon", "shortcut",
                "apple-touch-icon", "manifest", "preconnect", "dns-prefetch"}
# tag -> attributes whose value the browser fetches
LOADING_ATTRS = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "iframe": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
}
_CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.I | re.S)


@dataclass(frozen=True)
class Resource:
    """One thing a page makes the browser fetch: ``kind`` is script, style, image or other."""

    kind: str
    url: str
    line: int


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Resource] = []
        self._in_style = False

    def _add(self, kind: str, url: str | None) -> None:
        if url and url.strip():
            self.found.append(Resource(kind, url.strip(), self.getpos()[0]))

    def handle_starttag(self, tag, attrs):
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "link":
            rels = set(a.get("rel", "").lower().split())
            if rels & LOADING_RELS:
                kind = "style" if "stylesheet" in rels or a.get("as") == "style" else (
                    "script" if a.get("as") == "script" else "other")
                self._add(kind, a.get("href"))
        elif tag in LOADING_ATTRS:
            kind = {"script": "script", "img": "image", "source": "image",
                    "image": "image", "input": "image"}.get(tag, "other")
            for attr in LOADING_ATTRS[tag]:
                value = a.get(attr)
                if not value:
                    continue
                if attr == "srcset":
                    for part in value.split(","):
                        self._add(kind, part.strip().split(" ")[0])
                else:
                    self._add(kind, value)
        if "style" in a:
            for url in css_urls(a["style"]):
                self._add("style", url)
        if tag == "style":
            self._in_style = True

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            for url in css_urls(data):
                self._add("style", url)


def resources(html: str) -> list[Resource]:
    """Everything ``html`` makes a browser fetch (scripts, stylesheets, images, frames, CSS urls).

    Inline ``data:`` URIs are not fetches and are left out.
    """
    parser = _Collector()
    parser.feed(html)
    parser.close()
    return [r for r in parser.found if not r.url.lower().startswith(("data:", "#", "about:"))]


def css_urls(css: str) -> list[str]:
    """The targets of ``url(…)`` and ``@import "…"`` in a stylesheet (``data:`` URIs left out)."""
    out = []
    for m in _CSS_URL.finditer(css):
        url = (m.group(2) if m.group(2) is not None else m.group(4) or "").strip()
        if url and not url.lower().startswith("data:"):
            out.append(url)
    return out


def external(html: str) -> list[Resource]:
    """The resources of ``html`` that come from another host."""
    return [r for r in resources(html) if is_external(r.url)]


def local_path(page: Path, url: str) -> Path:
    """The file a relative URL of ``page`` points to (query and fragment dropped)."""
    return (page.parent / unquote(urlsplit(url).path)).resolve()


def page_weight(page: Path) -> dict[str, int]:
    """Bytes a first visit to ``page`` downloads: HTML, scripts + stylesheets, images.

    Local files referenced by the page are counted once each. Fonts referenced from stylesheets
    are not counted (browsers fetch a font only when text uses it; the theme's icons come from
    a script, which is counted).
    """
    html = page.read_text(encoding="utf-8")
    seen: set[Path] = set()
    sizes = {"html": page.stat().st_size, "code": 0, "images": 0}
    for res in resources(html):
        if is_external(res.url):
            raise ValueError(f"{page}: line {res.line}: third-party {res.kind} {res.url}")
        target = local_path(page, res.url)
        if target in seen or not target.is_file():
            continue
        seen.add(target)
        sizes["images" if res.kind == "image" else "code"] += target.stat().st_size
    sizes["total"] = sum(sizes.values())
    return sizes


def weights(site: Path, pages: list[str]):
    """A DataFrame of :func:`page_weight` (in KiB) for each docname in ``pages``."""
    import pandas as pd

    rows = []
    for doc in pages:
        w = page_weight(site / f"{doc}.html")
        rows.append({"page": doc, **{k: round(v / 1024, 1) for k, v in w.items()}})
    return pd.DataFrame(rows, columns=["page", "html", "code", "images", "total"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Page weight of the built book")
    ap.add_argument("command", choices=["weight"])
    ap.add_argument("--site", type=Path, default=None, help="default: _build/html")
    args = ap.parse_args(argv)
    site = args.site or paths.root() / "_build" / "html"
    if not (site / "index.html").is_file():
        print(f"site: {site}/index.html not found; run `make build` first")
        return 1
    table = weights(site, toc_pages())
    print("| page | HTML (KiB) | scripts + styles (KiB) | images (KiB) | total (KiB) |")
    print("|---|---:|---:|---:|---:|")
    for row in table.itertuples(index=False):
        print(f"| `{row.page}` | {row.html} | {row.code} | {row.images} | {row.total} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
