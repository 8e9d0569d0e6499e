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
   The site's copies of the SVG figures are written in fewer bytes (:func:`slim_svg`): no
   metadata, comments or layout whitespace, coordinates rounded to 0.01 pt (glyph outlines to
   the same order) and written as relative path data, unreferenced ids and empty groups gone.
   The drawing is the same to well under a hundredth of a CSS pixel (``tests/test_assets.py``
   checks every point); the notebooks keep the SVG as Matplotlib wrote it. Figures are ``loading="lazy"``: a
   browser fetches a figure when it comes near the screen, not with the page (the PDF printer
   and the browser tests switch them to eager before they look).

5. **Code cells**: Pygments' spans whose class only repeats the code block's own colour
   (names, punctuation, whitespace: :func:`plain_tokens`, read from ``pygments.css``) are
   unwrapped in code cells (:func:`plain_code`); ``_static/netralitas.css`` gives a code
   cell's ``<pre>`` that colour, so the code looks the same.

``trim_site(site)`` returns what it did (bytes before and after), for ``make bench``.
"""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

__all__ = ["used_icons", "subset_icons", "trim_icon_rules", "css_codepoints", "subset_font",
           "webp_copies", "offer_webp", "slim_svg", "lazy_figures", "plain_tokens", "plain_code",
           "trim_site", "setup"]

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

#: Geometry is rounded to this grid in the user units it is written in (Matplotlib: points,
#: 1 pt = 1.33 CSS px), so no point moves by more than half of it: 0.005 pt, under a hundredth
#: of a CSS pixel, a tenth of a device pixel even at 8x zoom on a 2x screen.
SVG_GRID = Decimal("0.01")
#: Matplotlib writes each glyph outline once, in FreeType's 1/64 units, as
#: ``<path id=… d=… transform="scale(0.015625)"/>``, drawn inside ``scale(size/100)``. The site
#: copy writes it in units of 1/8 (``scale(0.125)``) rounded to whole units: a point moves by at
#: most 1/16 of a unit of the text group, 0.0069 pt for the largest text here (11 pt).
GLYPH_SCALE = 'transform="scale(0.015625)"'
GLYPH_FACTOR = 8
_PATH_ARGS = {"M": 2, "L": 2, "Q": 4, "C": 6}
_PATH_TOKEN = re.compile(r"[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_NUMBER = re.compile(r"^[-+]?(?:\d+\.?\d*|\.\d+)$")
_REF = re.compile(r'(?:href="#|url\(#)([^")]+)')
#: properties a ``<use>`` passes to its copy only by inheritance (where the copy sets them too,
#: the copy's values win and the ``<use>``'s are dead)
_INHERITED = {"fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity",
              "stroke-linecap", "stroke-linejoin", "stroke-dasharray", "stroke-dashoffset",
              "stroke-miterlimit"}


def _num(v: Decimal) -> str:
    """Shortest SVG spelling of ``v``: no trailing zeros, no leading zero, no ``-0``."""
    s = format(v.normalize(), "f") if v else "0"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    if s.startswith("0."):
        s = s[1:]
    elif s.startswith("-0."):
        s = "-" + s[2:]
    return "0" if s in ("-0", "") else s


def _join(numbers: list[str]) -> str:
    """Numbers of path data with the fewest separators (``1-2``, ``.5.5``)."""
    out = ""
    for s in numbers:
        last = re.split(r"[-\s]", out)[-1] if out else ""
        if out and not s.startswith("-") and not (s.startswith(".") and "." in last):
            out += " "
        out += s
    return out


def svg_path(d: str, grid: Decimal = SVG_GRID, factor: int = 1) -> str | None:
    """Path data ``d`` (absolute ``M L Q C Z``, as Matplotlib writes it) with every coordinate
    divided by ``factor``, rounded to ``grid`` and written relative to the previous point
    (``m l q c z``; the first move stays absolute). Relative steps are taken between the
    rounded points, so rounding errors never add up: every point of the result is within
    ``grid / 2`` of the original (divided by ``factor``). ``None`` for data it does not know
    (other commands, a missing number), which the caller leaves as it is."""
    tokens = _PATH_TOKEN.findall(d)
    if "".join(tokens) != re.sub(r"[\s,]", "", d):
        return None
    out: list[str] = []
    cx = cy = sx = sy = Decimal(0)
    last, i = "", 0
    while i < len(tokens):
        cmd = tokens[i]
        i += 1
        if cmd in "Zz":
            out.append("z")
            cx, cy, last = sx, sy, "z"
            continue
        n = _PATH_ARGS.get(cmd)
        if n is None:
            return None
        while True:
            args = tokens[i:i + n]
            if len(args) < n or not all(_NUMBER.match(a) for a in args):
                return None
            i += n
            pts = [(Decimal(a) / factor).quantize(grid) for a in args]
            if not out:  # the first move: absolute
                letter, vals = "M", pts
            else:
                letter = cmd.lower()
                vals = [v - (cx if k % 2 == 0 else cy) for k, v in enumerate(pts)]
            cx, cy = pts[-2], pts[-1]
            if cmd == "M":
                sx, sy = cx, cy
            nums = _join([_num(v) for v in vals])
            # a command letter may be left out when it repeats (after m, l is implied; after
            # the absolute M, L would be: the first l is written)
            same = last == letter or (last == "m" and letter == "l")
            sep = " " if same and not nums.startswith(("-", ".")) else ""
            if same and nums.startswith(".") and "." not in re.split(r"[-\sa-z]", out[-1])[-1]:
                sep = ""
            out.append(sep + nums if same else letter + nums)
            last = letter
            if i >= len(tokens) or not _NUMBER.match(tokens[i]):
                break
            cmd = "L" if cmd == "M" else cmd
            n = _PATH_ARGS[cmd]
    return "".join(out)


def _round_attr(m: re.Match) -> str:
    try:
        return f'{m.group(1)}="{_num(Decimal(m.group(2)).quantize(SVG_GRID))}"'
    except ArithmeticError:
        return m.group(0)


def _translate(m: re.Match) -> str:
    parts = re.split(r"[\s,]+", m.group(1).strip())
    if not all(_NUMBER.match(p) for p in parts):
        return m.group(0)
    return "translate(" + " ".join(_num(Decimal(p).quantize(SVG_GRID)) for p in parts) + ")"


def _style(value: str) -> str:
    return ";".join(f"{k.strip()}:{v.strip()}" for k, v in
                    (d.split(":", 1) for d in value.split(";") if ":" in d))


def _can_round(text: str) -> bool:
    """No transform that magnifies (a scale above 1, a matrix, a skew): then an error of
    ``SVG_GRID / 2`` in any element's own units is at most that on the page."""
    if re.search(r"matrix\(|skew[XY]?\(", text):
        return False
    for args in re.findall(r"scale\(([^)]*)\)", text):
        try:
            if any(abs(Decimal(a)) > 1 for a in re.split(r"[\s,]+", args.strip())):
                return False
        except ArithmeticError:
            return False
    return True


def _ids(text: str) -> str:
    """Ids nothing references are dropped; the referenced ones get short names (``a``, ``b``,
    … ``ba``, in order of definition), references renamed with them."""
    refs = set(_REF.findall(text))
    names: dict[str, str] = {}
    letters = "abcdefghijklmnopqrstuvwxyz"

    def short(k: int) -> str:
        s = letters[k % 26]
        while k >= 26:
            k = k // 26 - 1
            s = letters[k % 26] + s
        return s

    def ident(m):
        if m.group(1) not in refs:
            return ""
        names.setdefault(m.group(1), short(len(names)))
        return f' id="{names[m.group(1)]}"'

    text = re.sub(r' id="([^"]*)"', ident, text)
    return _REF.sub(lambda m: m.group(0)[:-len(m.group(1))] + names.get(m.group(1), m.group(1)),
                    text)


def _bare_groups(text: str) -> str:
    """``<g>`` without attributes (nothing to apply, after dropped ids) replaced by its content."""
    out, stack = [], []
    for m in re.finditer(r"<[^>]*>|[^<]+", text):
        t = m.group(0)
        if t == "<g>":
            stack.append(True)
            continue
        if t.startswith("<g ") and not t.endswith("/>"):
            stack.append(False)
        elif t == "</g>" and stack.pop():
            continue
        out.append(t)
    return "".join(out)


def _use_styles(text: str) -> str:
    """A ``<use>``'s ``style`` dropped where the element it copies sets the same inherited
    properties to the same values (Matplotlib repeats a marker's style on every copy)."""
    styles = {m.group(1): m.group(2) for m in
              re.finditer(r'<path id="([^"]+)"[^>]*? style="([^"]*)"', text)}

    def repl(m):
        ref, style = m.group(1), m.group(2)
        props = {d.split(":", 1)[0] for d in style.split(";")}
        if styles.get(ref) == style and props <= _INHERITED:
            return m.group(0).replace(f' style="{style}"', "")
        return m.group(0)

    return re.sub(r'<use xlink:href="#([^"]+)"[^>]*? style="([^"]*)"[^>]*>', repl, text)


def _path_tag(m: re.Match) -> str:
    """One ``<path>`` tag with its data rounded: in user units when it has no transform, in
    1/8 glyph units for a Matplotlib glyph outline, left alone under any other transform."""
    tag = m.group(0)
    glyph = GLYPH_SCALE in tag
    if " transform=" in tag and not glyph:
        return tag
    d = re.search(r' d="([^"]*)"', tag)
    new = d and svg_path(d.group(1), grid=Decimal(1) if glyph else SVG_GRID,
                         factor=GLYPH_FACTOR if glyph else 1)
    if not new:
        return tag
    tag = tag[:d.start()] + f' d="{new}"' + tag[d.end():]
    scale = _num(Decimal("0.015625") * GLYPH_FACTOR)
    return tag.replace(GLYPH_SCALE, f'transform="scale({scale})"') if glyph else tag


def _use_translate(m: re.Match) -> str:
    """``<use transform="translate(x y)">`` as ``<use x y>``: for ``<use>`` the two are the
    same by definition (x and y add a translation after the transform)."""
    if re.search(r'\s[xy]="', m.group(0)):
        return m.group(0)
    y = f' y="{m.group(3)}"' if m.group(3) and m.group(3) != "0" else ""
    return f'<use {m.group(1)}x="{m.group(2)}"{y}'


def slim_svg(text: str) -> str:
    """The site's copy of a Matplotlib SVG figure: the same drawing in fewer bytes.

    - Matplotlib's metadata block, the DOCTYPE, comments (the text of each label, which the
      drawing shows as glyph outlines) and the layout whitespace between elements go;
    - coordinates are rounded to :data:`SVG_GRID` (0.01 pt), glyph outlines to 1/8 of
      FreeType's units (:data:`GLYPH_FACTOR`), path data is written relative, in short form
      (:func:`svg_path`), ``<use transform="translate(x y)">`` becomes ``<use x y>``
      (the same by definition) — only when no transform magnifies (:func:`_can_round`);
    - ids nothing references are dropped and the others shortened, then ``<g>`` elements left
      without attributes are unwrapped; styles lose their spaces; a ``<use>`` loses a style that
      the element it copies repeats (:func:`_use_styles`).

    Left alone when the figure has text nodes whose spaces could matter. The notebooks keep
    the SVG as Matplotlib wrote it."""
    if "<text" in text or "xml:space" in text:
        return text
    text = _SVG_META.sub("", text)
    text = re.sub(r"<!DOCTYPE[^>]*>\s*|<!--.*?-->", "", text, flags=re.S)
    text = re.sub(r">\s*\n\s*<", "><", text)
    text = re.sub(r"[ \t]*\n[ \t]*", " ", text).strip()
    if _can_round(text):
        text = re.sub(r"<path\b[^>]*>", _path_tag, text)
        text = re.sub(r'<use ([^>]*?)transform="translate\(([^)\s,]+)(?:[\s,]+([^)\s,]+))?\)"',
                      _use_translate, text)
        text = re.sub(r"<(?!svg\b)\w+\b[^>]*>", lambda m: re.sub(
            r'(?<=\s)(x|y|width|height)="([^"]*)"', _round_attr, m.group(0)), text)
        text = re.sub(r"translate\(([^)]*)\)", _translate, text)
    text = re.sub(r' style="([^"]*)"', lambda m: f' style="{_style(m.group(1))}"', text)
    text = _use_styles(text)
    text = _ids(text)
    return _bare_groups(text) + "\n"


_THEME_RULE = re.compile(r'(html\[data-theme="(\w+)"\] )?\.highlight(?: \.([\w-]+))? \{([^}]*)\}')


def plain_tokens(pygments_css: str) -> set[str]:
    """Pygments token classes that look exactly like plain code: in every colour theme of
    ``pygments.css`` their only rule is ``color:`` the theme's ``.highlight`` colour."""
    base: dict[str, str] = {}
    rules: dict[str, dict[str, str]] = {}
    for m in _THEME_RULE.finditer(pygments_css):
        theme, cls, body = m.group(2) or "", m.group(3), m.group(4).strip().rstrip(";")
        decls = dict(d.split(":", 1) for d in body.split(";") if ":" in d)
        decls = {k.strip(): v.strip().lower() for k, v in decls.items()}
        if cls is None:
            if "color" in decls:
                base[theme] = decls["color"]
        else:
            rules.setdefault(cls, {})[theme] = decls.get("color", "") if set(decls) == {"color"} \
                else "?"
    return {cls for cls, by_theme in rules.items()
            if base and set(by_theme) == set(base) and all(by_theme[t] == base[t] for t in base)}


_CELL_CODE = re.compile(r'(<div class="cell_input[^"]*">\s*<div class="highlight-[^"]*">'
                        r'<div class="highlight"><pre>)(.*?)(</pre>)', re.S)


def plain_code(html: str, tokens: set[str]) -> str:
    """Code cells' ``<span class="n">x</span>`` (a class of :func:`plain_tokens`) as plain ``x``.
    ``_static/netralitas.css`` makes text in a code cell's ``<pre>`` take the ``.highlight``
    colour, which these classes only repeat: the code looks the same (checked in Chromium by
    ``tests/browser``), in fewer bytes."""
    if not tokens:
        return html
    span = re.compile(r'<span class="(?:' + "|".join(map(re.escape, sorted(tokens))) +
                      r')">([^<]*)</span>')
    return _CELL_CODE.sub(lambda m: m.group(1) + span.sub(r"\1", m.group(2)) + m.group(3), html)


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
    css = static / "pygments.css"
    tokens = plain_tokens(css.read_text(encoding="utf-8")) if css.is_file() else set()
    report["plain_tokens"] = sorted(tokens)
    for page in site.rglob("*.html"):
        if static in page.parents:
            continue
        text = page.read_text(encoding="utf-8")
        new = plain_code(lazy_figures(offer_webp(text, page)), tokens)
        if new != text:
            page.write_text(new, encoding="utf-8")
    report["static_after"] = _size(static)
    return report


def _on_finished(app, exc) -> None:
    if exc is not None or getattr(app.builder, "format", "") != "html":
        return
    trim_site(Path(app.outdir))


def setup(app):
    # after the theme's own build-finished handlers (pydata-sphinx-theme writes the light/dark
    # pygments.css there, which plain_tokens reads); before the previews (priority 600)
    app.connect("build-finished", _on_finished, priority=550)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
