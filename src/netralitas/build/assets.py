"""Sphinx extension ``netralitas.build.assets``: the site ships only the theme assets it uses.

Runs when an HTML build finishes (``make book`` / ``make build``), on ``_build/html``:

1. **Icons.** pydata-sphinx-theme loads ``_static/scripts/fontawesome.js`` on every page: Font
   Awesome's SVG core plus *every* free icon (about 2,000; 1.49 MB). The icon packs in it are
   cut down to the icons the built pages and the theme's scripts name (``fa-<name>`` classes,
   matched with each icon's aliases); Font Awesome's core code is kept as it is, so the theme's
   buttons render as before (checked in Chromium by ``tests/browser``). The subset is made from
   the theme's own file at every build, so it follows theme upgrades; a page that starts using a
   new icon gets it on the next build. Its licence file stays next to it.
   The theme's stylesheet also carries Font Awesome's webfont rules: one ``.fa-<name>:before``
   rule per icon (kept only for the icons used) and three icon fonts, which the browser fetches
   on every first visit (the ``<i>`` icons render from the font until the script swaps in SVG).
   The fonts are subset (fontTools, WOFF2) to the code points the remaining CSS still names:
   the used icons and the theme's own glyphs (admonitions, breadcrumbs, …).
2. **Source maps** (``*.map``, 3.4 MB) are deleted and their ``sourceMappingURL`` comments
   removed: browsers fetch them only for developer tools.
3. **Unused theme files**: the TrueType copies of the icon fonts (every browser the theme
   supports takes the WOFF2 listed first; their ``url()`` is removed from the theme's CSS), the
   theme's translation catalogues (``_static/locales``, used at build time only), its Jinja
   macro files (``_static/*.html``), thebe's files (``netralitas.build.offline`` drops thebe from
   every page) and launch-button logos that no page shows.

4. **Figures**: every PNG in ``_images/`` gets a lossless WebP copy (the same pixels, about a
   third of the bytes), offered to browsers through ``<picture><source type="image/webp">``
   with the PNG kept as the ``<img>`` fallback; notebooks and downloads keep the PNG.
   The site's copies of the SVG figures lose Matplotlib's RDF metadata block and the
   indentation between elements (the drawing is the same: no number or attribute changes;
   the notebooks keep the SVG as Matplotlib wrote it). Figures are ``loading="lazy"``: a
   browser fetches a figure when it comes near the screen, not with the page (the PDF printer
   and the browser tests switch them to eager before they look).

``trim_site(site)`` returns what it did (bytes before and after), for ``make bench``.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

__all__ = ["used_icons", "subset_icons", "trim_icon_rules", "css_codepoints", "subset_font",
           "webp_copies", "offer_webp", "slim_svg", "lazy_figures", "trim_site", "setup"]

FA_JS = "scripts/fontawesome.js"
# Font Awesome classes that are styles or sizes, not icon names.
NOT_ICONS = {"solid", "regular", "brands", "light", "thin", "duotone", "sharp", "kit", "lg", "xs",
             "sm", "xl", "2xl", "1x", "2x", "3x", "4x", "5x", "6x", "7x", "8x", "9x", "10x", "fw",
             "ul", "li", "border", "pull-left", "pull-right", "spin", "pulse", "beat", "fade",
             "bounce", "flip", "shake", "inverse", "stack", "stack-1x", "stack-2x", "rotate-90",
             "rotate-180", "rotate-270", "flip-horizontal", "flip-vertical", "flip-both", "layers",
             "layers-text", "layers-counter", "sr-only", "swap-opacity"}
_FA_CLASS = re.compile(r"\bfa-([a-z0-9]+(?:-[a-z0-9]+)*)")
# the start of an icon pack: an object literal whose first entry is "name":[width,height,[…
_PACK = re.compile(r'var ([\w$]+)=\{(?=(?:"[^"\\]*"|[\w$]+):\[\d+,\d+,\[)')
_SOURCE_MAP = re.compile(rb"\n?(?://[#@] sourceMappingURL=[^\n]*|/\*[#@] sourceMappingURL=[^*]*\*/)")
UNUSED = ["sphinx-thebe.js", "sphinx-thebe.css", "webpack-macros.html", "sbt-webpack-macros.html",
          "locales"]


def used_icons(site: Path) -> set[str]:
    """Icon names (``fa-<name>``) in the built pages and in the theme's own scripts."""
    names: set[str] = set()
    static = site / "_static"
    files = [p for p in site.rglob("*.html") if static not in p.parents]
    files += [p for p in static.rglob("*.js") if p.name != Path(FA_JS).name]
    for p in files:
        names.update(_FA_CLASS.findall(p.read_text(encoding="utf-8", errors="replace")))
    return names - NOT_ICONS


def _string_end(s: str, i: int) -> int:
    """Index of the quote that closes the string literal opening at ``s[i]`` (escapes skipped)."""
    quote, i = s[i], i + 1
    while s[i] != quote:
        i += 2 if s[i] == "\\" else 1
    return i


def _structure(s: str, start: int = 0):
    """``(index, char, depth)`` for every character of ``s`` from ``start`` outside string
    literals, ``depth`` counting the ``{``/``[`` still open after that character."""
    depth, i, n = 0, start, len(s)
    while i < n:
        c = s[i]
        if c == '"' or c == "'":
            i = _string_end(s, i)
        else:
            if c in "{[":
                depth += 1
            elif c in "}]":
                depth -= 1
            yield i, c, depth
        i += 1


def _object_end(s: str, start: int) -> int:
    """Index just past the ``}`` closing the object literal that opens at ``s[start]``."""
    for i, c, depth in _structure(s, start):
        if c in "}]" and depth == 0:
            return i + 1
    raise ValueError("unterminated object literal")


def _entries(body: str) -> list[str]:
    """Top-level ``key:value`` entries of an object literal's body (between the braces)."""
    out, start = [], 0
    for i, c, depth in _structure(body):
        if c == "," and depth == 0:
            out.append(body[start:i])
            start = i + 1
    if body[start:].strip():
        out.append(body[start:])
    return out


_KEY = re.compile(r'^\s*(?:"((?:[^"\\]|\\.)*)"|([\w$]+))\s*:')
_ALIASES = re.compile(r'^\[\s*\d+\s*,\s*\d+\s*,\s*\[([^\]]*)\]')


def subset_icons(js: str, keep: set[str]) -> tuple[str, int, int]:
    """``js`` with every icon pack cut down to the icons in ``keep`` (names or aliases).

    Returns the new text, the number of icons before and after. A pack is an object literal
    ``var p={"name":[width,height,[aliases…],"unicode","svg path"],…}`` in Font Awesome's
    bundled ``all.js``.
    """
    out, pos, before, after = [], 0, 0, 0
    for m in _PACK.finditer(js):
        if m.start() < pos:
            continue
        open_at = m.end() - 1
        close_at = _object_end(js, open_at)
        entries = _entries(js[open_at + 1:close_at - 1])
        icons = []
        for e in entries:
            k = _KEY.match(e)
            if not k:
                icons = None
                break
            value = e[k.end():].lstrip()
            a = _ALIASES.match(value)
            if not a:
                icons = None
                break
            names = {k.group(1) or k.group(2)} | set(re.findall(r'"([^"]+)"', a.group(1)))
            icons.append((names, e))
        if not icons:  # not an icon pack: leave it alone
            continue
        kept = [e for names, e in icons if names & keep]
        before += len(icons)
        after += len(kept)
        out.append(js[pos:open_at + 1] + ",".join(kept) + "}")
        pos = close_at
    out.append(js[pos:])
    return "".join(out), before, after


_FA_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+:(?:before|after),)*\.fa-[a-z0-9-]+:(?:before|after))'
                      r'\{content:"[^"]*"\}')


def trim_icon_rules(css: str, keep: set[str]) -> tuple[str, int, int]:
    """``css`` without the ``.fa-<name>:before{content:…}`` rules of icons not in ``keep``."""
    total = kept = 0

    def repl(m):
        nonlocal total, kept
        total += 1
        names = set(re.findall(r"\.fa-([a-z0-9-]+):", m.group(1)))
        if names & keep:
            kept += 1
            return m.group(0)
        return ""

    return _FA_RULE.sub(repl, css), total, kept


def css_codepoints(css: str) -> set[int]:
    """Private-use code points a stylesheet names (``"\\f09b"`` escapes or literal glyphs)."""
    cps = {int(h, 16) for h in re.findall(r'\\([0-9a-fA-F]{4,5})(?![0-9a-fA-F])', css)}
    cps |= {ord(c) for c in css if 0xE000 <= ord(c) <= 0xF8FF or 0xF0000 <= ord(c)}
    return {c for c in cps if 0xE000 <= c <= 0xF8FF or c >= 0xF0000}


def subset_font(path: Path, codepoints: set[int]) -> None:
    """Rewrite the WOFF2 font ``path`` with only the glyphs of ``codepoints``."""
    from fontTools import subset

    opts = subset.Options()
    opts.flavor = "woff2"
    opts.layout_features = ["*"]
    opts.name_IDs = ["*"]
    opts.notdef_outline = True
    opts.recalc_timestamp = False
    font = subset.load_font(str(path), opts)
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=sorted(codepoints))
    sub.subset(font)
    tmp = path.with_suffix(".tmp")
    subset.save_font(font, str(tmp), opts)
    font.close()
    tmp.replace(path)


_IMG = re.compile(r'<img\b[^>]*\bsrc="([^"]*_images/[^"]+)\.png"[^>]*>')


def webp_copies(site: Path) -> int:
    """Lossless WebP next to every PNG in ``_images/`` (pixels compared); returns the count."""
    from PIL import Image

    made = 0
    for png in sorted((site / "_images").glob("*.png")) if (site / "_images").is_dir() else []:
        webp = png.with_suffix(".webp")
        if webp.exists() and webp.stat().st_mtime_ns >= png.stat().st_mtime_ns:
            continue
        with Image.open(png) as im:
            im.load()
            tmp = webp.with_suffix(".tmp")
            im.save(tmp, "WEBP", lossless=True, quality=100, method=4)
            with Image.open(tmp) as back:  # refuse a copy whose pixels differ
                same = back.convert("RGBA").tobytes() == im.convert("RGBA").tobytes()
        if same and tmp.stat().st_size < png.stat().st_size:
            tmp.replace(webp)
            made += 1
        else:
            tmp.unlink()
    return made


def offer_webp(html: str, page: Path) -> str:
    """Wrap each ``<img src=…_images/x.png>`` whose WebP copy exists in a ``<picture>``."""

    def repl(m):
        stem = m.group(1)
        done = html[:m.start()].endswith('type="image/webp">')  # wrapped by an earlier build
        if not done and (page.parent / f"{stem}.webp").is_file():
            return (f'<picture><source srcset="{stem}.webp" type="image/webp">{m.group(0)}'
                    "</picture>")
        return m.group(0)

    return _IMG.sub(repl, html)


_SVG_META = re.compile(r"<metadata>.*?</metadata>\s*", re.S)
_FIGURE_IMG = re.compile(r'<img\b(?![^>]*\bloading=)([^>]*\bsrc="[^"]*_images/[^"]+")')


def slim_svg(text: str) -> str:
    """An SVG figure without Matplotlib's metadata block and without the line breaks and
    indentation between elements and inside path data (whitespace the SVG grammar ignores).
    Left alone when the figure has text nodes whose spaces could matter."""
    if "<text" in text or "xml:space" in text:
        return text
    text = _SVG_META.sub("", text)
    text = re.sub(r">\s*\n\s*<", "><", text)
    return re.sub(r"[ \t]*\n[ \t]*", " ", text).strip() + "\n"


def lazy_figures(html: str) -> str:
    """``loading="lazy"`` on every figure of ``_images/`` that does not say how to load."""
    return _FIGURE_IMG.sub(r'<img loading="lazy"\1', html)


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() \
        else (path.stat().st_size if path.exists() else 0)


def trim_site(site: Path) -> dict:
    """Trim ``site`` (``_build/html``) in place; return a summary of what changed."""
    static = site / "_static"
    report = {"static_before": _size(static), "icons_before": 0, "icons_after": 0}
    fa = static / FA_JS
    keep = used_icons(site)
    report["icons_used"] = sorted(keep)
    if fa.is_file():
        text = fa.read_text(encoding="utf-8")
        if "netralitas.build.assets" not in text:  # not subset yet (Sphinx copies it anew)
            new, report["icons_before"], report["icons_after"] = subset_icons(text, keep)
            note = ("/* Icon subset made by netralitas.build.assets (`make book`) from the theme's "
                    "fontawesome.js: only the icons the pages use. */\n")
            fa.write_text(note + new, encoding="utf-8")
    for css in sorted(static.rglob("*.css")):
        text = css.read_text(encoding="utf-8")
        new, total, _ = trim_icon_rules(text, keep)
        if total and new != text:
            css.write_text(new, encoding="utf-8")
    for p in list(static.rglob("*.map")):
        p.unlink()
    for p in list(static.rglob("*.js")) + list(static.rglob("*.css")):
        data = p.read_bytes()
        new = _SOURCE_MAP.sub(b"", data)
        if p.parent.name == "styles" or p.name.endswith(".css"):
            # drop the TrueType fallbacks of the icon fonts (WOFF2 comes first and is used)
            new = re.sub(rb',\s*url\([^)]*?webfonts/[^)]*?\.ttf\)\s*format\(["\']truetype["\']\)',
                         b"", new)
        if new != data:
            p.write_bytes(new)
    for p in list(static.rglob("*.ttf")):
        if "webfonts" in p.parts:
            p.unlink()
    fonts = sorted(static.rglob("webfonts/*.woff2"))
    if fonts:  # always: Sphinx may copy a font anew while the trimmed CSS stays
        cps = set()
        for css in static.rglob("*.css"):
            cps |= css_codepoints(css.read_text(encoding="utf-8"))
        report["glyphs_kept"] = len(cps)
        for font in fonts:
            subset_font(font, cps)
    for name in UNUSED:
        p = static / name
        if p.is_dir():
            shutil.rmtree(p)
        elif p.exists():
            p.unlink()
    pages = "\n".join(p.read_text(encoding="utf-8", errors="replace")
                      for p in site.rglob("*.html") if static not in p.parents)
    for logo in list((static / "images").glob("logo_*")) if (static / "images").is_dir() else []:
        if logo.name not in pages:
            logo.unlink()
    report["webp_made"] = webp_copies(site)
    for svg in sorted((site / "_images").glob("*.svg")) if (site / "_images").is_dir() else []:
        text = svg.read_text(encoding="utf-8")
        new = slim_svg(text)
        if new != text:
            svg.write_text(new, encoding="utf-8")
    for page in site.rglob("*.html"):
        if static in page.parents:
            continue
        text = page.read_text(encoding="utf-8")
        new = lazy_figures(offer_webp(text, page))
        if new != text:
            page.write_text(new, encoding="utf-8")
    report["static_after"] = _size(static)
    return report


def _on_finished(app, exc) -> None:
    if exc is not None or getattr(app.builder, "format", "") != "html":
        return
    trim_site(Path(app.outdir))


def setup(app):
    app.connect("build-finished", _on_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
