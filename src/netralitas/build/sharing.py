"""Sphinx extension: what a shared link shows, and how a crawler finds the pages.

Everything is derived from the one repository URL in ``_config.yml`` (``repository: url``, which
Jupyter Book passes to the theme as ``repository_url``): a GitHub repository
``https://github.com/<owner>/<name>`` is published at ``https://<owner>.github.io/<name>/``.
A fork changes that one line; ``html.baseurl`` in ``_config.yml`` overrides the derived address
(e.g. for a custom domain).

- every page gets OpenGraph and Twitter-card ``<meta>`` tags (title, description = the page's
  first paragraph, absolute URL, preview image, ``og:locale`` ``id_ID``);
- every page gets its own preview image, ``_static/og/<page>.png`` (1200×630, drawn with Pillow
  from the book and page titles; PNG without metadata, so the same titles give the same bytes);
- ``sitemap.xml`` lists every page of the book and ``robots.txt`` points to it;
- ``favicon.ico`` is written at the site root (the page's ``<link rel="icon">`` points to the SVG
  favicon set by ``html.favicon``; the .ico answers clients that ask for the root file).
"""

from __future__ import annotations

import html as htmllib
import re
import textwrap
from pathlib import Path
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

__all__ = ["site_url", "plain", "first_paragraph", "image_name", "preview_png", "favicon_ico",
           "meta_tags", "sitemap_xml", "setup"]

OG_SIZE = (1200, 630)
OG_DIR = "_static/og"
BLUE = "#0072B2"
DESCRIPTION_CHARS = 200


def site_url(repository_url: str, baseurl: str = "") -> str:
    """The published address of the book, ending in ``/``."""
    if baseurl:
        return baseurl.rstrip("/") + "/"
    parts = urlsplit(repository_url or "")
    segs = [s for s in parts.path.split("/") if s]
    if parts.netloc.lower() != "github.com" or len(segs) < 2:
        raise ValueError(f"cannot derive the site address from repository url {repository_url!r}; "
                         "set html.baseurl in _config.yml")
    owner, name = segs[0], segs[1].removesuffix(".git")
    if name.lower() == f"{owner.lower()}.github.io":
        return f"https://{owner.lower()}.github.io/"
    return f"https://{owner.lower()}.github.io/{name}/"


def plain(fragment: str) -> str:
    """Text of an HTML fragment: tags dropped, entities decoded, whitespace collapsed."""
    text = re.sub(r"<[^>]+>", "", fragment or "")
    text = htmllib.unescape(text).replace("¶", "").replace("#", "")
    return re.sub(r"\s+", " ", text).strip()


def first_paragraph(body: str, limit: int = DESCRIPTION_CHARS) -> str:
    """The first non-empty paragraph of a page body, cut at a word boundary."""
    for m in re.finditer(r"<p[^>]*>(.*?)</p>", body or "", re.S):
        text = plain(m.group(1))
        if len(text) >= 40:
            return text if len(text) <= limit else textwrap.shorten(text, limit, placeholder=" …")
    return ""


def image_name(pagename: str) -> str:
    return pagename.replace("/", "-") + ".png"


def _font(bold: bool, size: int):
    import matplotlib
    from PIL import ImageFont

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name), size)


def _wrap(draw, text: str, font, width: int, max_lines: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(lines[-1] + " " + word, font=font) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip(".,;:") + " …"
    return lines


def preview_png(title: str, book_title: str, url: str) -> bytes:
    """A 1200×630 preview card: a blue band with the book title, the page title, the address."""
    import io

    from PIL import Image, ImageDraw

    img = Image.new("RGB", OG_SIZE, "white")
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, 0, OG_SIZE[0], 150], fill=BLUE)
    head = _wrap(draw, book_title, _font(False, 34), 1080, 2)
    y = (150 - 46 * len(head)) // 2
    for line in head:
        draw.text((60, y), line, font=_font(False, 34), fill="white")
        y += 46
    y = 200
    big = _font(True, 66)
    for line in _wrap(draw, title, big, 1080, 4):
        draw.text((60, y), line, font=big, fill="#1a1a1a")
        y += 82
    draw.rectangle([60, 540, 160, 548], fill="#E69F00")
    draw.text((60, 562), url, font=_font(False, 28), fill="#444444")
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=False)
    return buf.getvalue()


def favicon_ico() -> bytes:
    """The favicon as .ico (16, 32, 48 px): the SVG's blue rounded square with a white N."""
    import io

    from PIL import Image, ImageDraw

    big = Image.new("RGBA", (256, 256), (0, 0, 0, 0))
    d = ImageDraw.Draw(big)
    d.rounded_rectangle([0, 0, 255, 255], radius=48, fill=BLUE)
    s = 8  # the SVG's 32-unit grid scaled to 256 px
    d.polygon([(8 * s, 25 * s), (8 * s, 7 * s), (12.2 * s, 7 * s), (19.8 * s, 18 * s),
               (19.8 * s, 7 * s), (24 * s, 7 * s), (24 * s, 25 * s), (19.8 * s, 25 * s),
               (12.2 * s, 14 * s), (12.2 * s, 25 * s)], fill="white")
    buf = io.BytesIO()
    big.save(buf, format="ICO", sizes=[(16, 16), (32, 32), (48, 48)])
    return buf.getvalue()


def _site(app) -> str:
    opts = app.config.html_theme_options or {}
    return site_url(opts.get("repository_url", ""), app.config.html_baseurl or "")


def meta_tags(title: str, description: str, url: str, image: str, site_name: str) -> str:
    def m(attr: str, key: str, value: str) -> str:
        return f'<meta {attr}="{key}" content="{htmllib.escape(value, quote=True)}" />'

    tags = [
        m("property", "og:type", "website"),
        m("property", "og:site_name", site_name),
        m("property", "og:locale", "id_ID"),
        m("property", "og:title", title),
        m("property", "og:url", url),
        m("property", "og:image", image),
        m("property", "og:image:type", "image/png"),
        m("property", "og:image:width", str(OG_SIZE[0])),
        m("property", "og:image:height", str(OG_SIZE[1])),
        m("property", "og:image:alt", f"{title} — {site_name}"),
        m("name", "twitter:card", "summary_large_image"),
        m("name", "twitter:title", title),
        m("name", "twitter:image", image),
    ]
    if description:
        tags.insert(4, m("property", "og:description", description))
        tags.append(m("name", "twitter:description", description))
        tags.append(m("name", "description", description))
    return "\n".join(tags) + "\n"


def _page_context(app, pagename, templatename, context, doctree):
    if app.builder.format != "html" or doctree is None:
        return
    base = _site(app)
    title = plain(context.get("title", "")) or plain(app.config.html_title or app.config.project)
    site_name = plain(app.config.html_title or app.config.project)
    image_url = base + OG_DIR + "/" + image_name(pagename)
    url = base + app.builder.get_target_uri(pagename)
    desc = first_paragraph(context.get("body", ""))
    context["metatags"] = context.get("metatags", "") + meta_tags(title, desc, url, image_url, site_name)
    out = Path(app.outdir) / OG_DIR / image_name(pagename)
    out.parent.mkdir(parents=True, exist_ok=True)
    png = preview_png(title, site_name, base.removeprefix("https://").rstrip("/"))
    if not out.is_file() or out.read_bytes() != png:
        out.write_bytes(png)


def sitemap_xml(urls: list[str]) -> str:
    rows = "".join(f"  <url><loc>{escape(u)}</loc></url>\n" for u in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + rows + "</urlset>\n")


def _finished(app, exc):
    if exc is not None or app.builder.format != "html":
        return
    base = _site(app)
    docs = sorted(app.env.found_docs)
    urls = [base + app.builder.get_target_uri(d) for d in docs]
    out = Path(app.outdir)
    (out / "sitemap.xml").write_text(sitemap_xml(urls), encoding="utf-8")
    (out / "robots.txt").write_text(f"User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n",
                                    encoding="utf-8")
    (out / "favicon.ico").write_bytes(favicon_ico())


def setup(app):
    app.connect("html-page-context", _page_context)
    app.connect("build-finished", _finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
