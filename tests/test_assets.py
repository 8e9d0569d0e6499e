"""netralitas.build.assets: the icon subset, the icon CSS rules and the font code points."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from netralitas.build import assets

PACK = ('!function(){var o={x:1};var p={"a-b":[10,20,[61,"alias-one"],"f001","M0 0"],'
        'c:[1,1,[],"f002","M1 1"],"d":[5,5,[62],"f003","M2 \\"q\\" 2"]};d("fas",p)}();'
        'var q={foo(){return "}"}};')


def test_subset_keeps_icons_named_or_aliased_and_leaves_other_code_alone():
    out, before, after = assets.subset_icons(PACK, {"alias-one", "d"})
    assert (before, after) == (3, 2)
    assert '"a-b":[10,20,[61,"alias-one"],"f001","M0 0"]' in out
    assert '"d":[5,5,[62],"f003","M2 \\"q\\" 2"]' in out
    assert 'c:[1,1' not in out
    assert out.startswith('!function(){var o={x:1};var p={') and out.endswith(
        'd("fas",p)}();var q={foo(){return "}"}};')


def test_subset_of_the_real_theme_file():
    import pydata_sphinx_theme

    src = next(Path(pydata_sphinx_theme.__file__).parent.glob("theme/*/static/scripts/fontawesome.js"))
    text = src.read_text(encoding="utf-8")
    out, before, after = assets.subset_icons(text, {"bars", "github", "search"})
    assert before > 1500
    # "search" is an alias of magnifying-glass; github is in the brands pack
    assert after == 3, after
    assert '"magnifying-glass":[' in out and "github:[" in out and "bars:[" in out
    assert '"file-pdf":[' not in out and len(out) < len(text) / 10


def test_icon_rules_are_trimmed_to_used_names():
    css = ('.fa{x:1}.fa-a:before{content:"\\f001"}.fa-b:before,.fa-bee:before{content:"\\f002"}'
           '.fa-c:before{content:"\\f003"}.pst{--pst-icon-x:"\uf104"}')
    out, total, kept = assets.trim_icon_rules(css, {"bee"})
    assert (total, kept) == (3, 1)
    assert out == '.fa{x:1}.fa-b:before,.fa-bee:before{content:"\\f002"}.pst{--pst-icon-x:"\uf104"}'
    assert assets.css_codepoints(out) == {0xF002, 0xF104}


@pytest.mark.parametrize("css, cps", [('a:before{content:"\\f09b"}', {0xF09B}),
                                      ('a{--i:"\\e4a0"}', {0xE4A0}),
                                      ('a:before{content:"\\201c"}', set())])
def test_css_codepoints_only_private_use(css, cps):
    assert assets.css_codepoints(css) == cps


def test_font_subset_keeps_only_requested_glyphs(tmp_path):
    import pydata_sphinx_theme
    from fontTools.ttLib import TTFont

    src = next(Path(pydata_sphinx_theme.__file__).parent.glob(
        "theme/*/static/vendor/fontawesome/webfonts/fa-solid-900.woff2"))
    font = tmp_path / "f.woff2"
    font.write_bytes(src.read_bytes())
    assets.subset_font(font, {0xF002, 0xF0C9})
    cmap = TTFont(font).getBestCmap()
    assert set(cmap) == {0xF002, 0xF0C9}
    assert font.stat().st_size < src.stat().st_size / 10
    assert re.match(rb"wOF2", font.read_bytes()[:4])


def test_webp_copies_are_lossless_and_offered_with_the_png_as_fallback(tmp_path):
    from PIL import Image, ImageDraw

    (tmp_path / "_images").mkdir()
    (tmp_path / "book").mkdir()
    im = Image.new("RGBA", (300, 200), (255, 255, 255, 255))
    d = ImageDraw.Draw(im)
    for i in range(0, 300, 7):
        d.line([(i, 0), (300 - i, 200)], fill=(i % 256, 90, 200 - i % 200, 255), width=2)
    im.save(tmp_path / "_images" / "fig.png", optimize=False, compress_level=1)
    page = tmp_path / "book" / "p.html"
    img = '<img alt="a chart of lines" src="../_images/fig.png" />'
    page.write_text(f"<p>{img}</p>", encoding="utf-8")

    assert assets.webp_copies(tmp_path) == 1
    webp = tmp_path / "_images" / "fig.webp"
    with Image.open(webp) as w, Image.open(tmp_path / "_images" / "fig.png") as p:
        assert w.format == "WEBP" and w.convert("RGBA").tobytes() == p.convert("RGBA").tobytes()
    html = assets.offer_webp(page.read_text(encoding="utf-8"), page)
    assert html == (f'<p><picture><source srcset="../_images/fig.webp" type="image/webp">{img}'
                    "</picture></p>")
    assert assets.offer_webp(html, page) == html, "a second build must not wrap it again"
    assert assets.webp_copies(tmp_path) == 0, "an up-to-date copy is not made again"


def test_slim_svg_drops_metadata_comments_and_layout_whitespace():
    from netralitas.build import assets

    svg = ('<?xml version="1.0" encoding="utf-8" standalone="no"?>\n<!DOCTYPE svg PUBLIC "-//W3C//'
           'DTD SVG 1.1//EN" "x.dtd">\n<svg width="10pt">\n <metadata>\n  <rdf:RDF><cc:Work/>'
           '</rdf:RDF>\n </metadata>\n <g id="figure_1">\n  <!-- label -->\n'
           '  <path d="M 0 1.5 \nL 2 3 \nz\n" style="fill: #fff"/>\n </g>\n</svg>\n')
    out = assets.slim_svg(svg)
    assert "<metadata" not in out and "\n " not in out and "DOCTYPE" not in out and "<!--" not in out
    # the unreferenced id goes, and with it the group that only carried it
    assert out.endswith('<svg width="10pt"><path d="M0 1.5l2 1.5z" style="fill:#fff"/></svg>\n')
    text = '<svg><text x="1"> a  b </text>\n</svg>'
    assert assets.slim_svg(text) == text  # text nodes: spaces may matter, left alone


def _absolute(d: str) -> list[tuple[float, float]]:
    """Every point of path data (absolute or relative M L Q C Z, implicit repeats) in order."""
    import re

    args = {"m": 2, "l": 2, "q": 4, "c": 6}
    tokens = re.findall(r"[A-Za-z]|-?(?:\d+\.?\d*|\.\d+)", d)
    pts, cx, cy, sx, sy, i, cmd = [], 0.0, 0.0, 0.0, 0.0, 0, ""
    while i < len(tokens):
        if tokens[i].isalpha():
            cmd, i = tokens[i], i + 1
            if cmd in "Zz":
                cx, cy = sx, sy
                pts.append((cx, cy))
                continue
        n = args[cmd.lower()]
        vals = [float(v) for v in tokens[i:i + n]]
        i += n
        rel = cmd.islower()
        xy = [(v + (cx if k % 2 == 0 else cy)) if rel else v for k, v in enumerate(vals)]
        pts += list(zip(xy[::2], xy[1::2]))
        cx, cy = xy[-2], xy[-1]
        if cmd in "Mm":
            sx, sy = cx, cy
            cmd = "l" if rel else "L"
    return pts


def test_svg_path_keeps_every_point_within_half_the_grid():
    from decimal import Decimal

    from netralitas.build import assets

    d = ("M 241.251563 350.601562 L 460.72429 350.601562 Q 1.0049 -2.5 3 4 C 0.333333 0.666667 "
         "1 1 -0.004 0.0049 z M 10.125 20.875 L 10.135 20.865 11 21 z")
    out = assets.svg_path(d)
    assert out.startswith("M241.25 350.6l219.47 0q") and "z" in out and "," not in out
    grid = float(assets.SVG_GRID)
    before, after = _absolute(d), _absolute(out)
    assert len(before) == len(after)
    assert max(max(abs(a - b), abs(c - e)) for (a, c), (b, e) in zip(before, after)) <= grid / 2 + 1e-9
    # glyph outlines: whole units of 1/8, the same points divided by 8 within half a unit
    glyph = "M 2034 4250 Q 1547 4250 1301 3770 L 684 794 z"
    g = assets.svg_path(glyph, grid=Decimal(1), factor=8)
    for (a, c), (b, e) in zip(_absolute(glyph), _absolute(g)):
        assert abs(a / 8 - b) <= 0.5 and abs(c / 8 - e) <= 0.5
    assert assets.svg_path("M 0 0 A 1 1 0 0 1 2 2") is None  # arcs: not Matplotlib's, left alone
    assert assets.svg_path("M 0 0 L 1") is None


def _stored_figures():
    import json

    from netralitas import paths

    found = []
    for nb in sorted((paths.root() / "book").glob("*.ipynb")):
        for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
            for o in cell.get("outputs", []):
                for key, svg in o.get("data", {}).items():  # shown or glued (papermill.record)
                    if key.endswith("image/svg+xml"):
                        found.append("".join(svg) if isinstance(svg, list) else svg)
    return found


def test_slim_svg_on_the_book_figures_same_geometry_fewer_bytes():
    """Every stored figure: valid XML, each path's points within the tolerance, every
    reference resolves, the same elements drawn, at least 30 % fewer gzip bytes."""
    import gzip
    import re
    import xml.etree.ElementTree as ET

    from netralitas.build import assets

    figures = _stored_figures()
    assert len(figures) >= 5
    for svg in figures:
        out = assets.slim_svg(svg)
        ET.fromstring(out.encode())  # well-formed
        assert assets.slim_svg(out) == out or len(assets.slim_svg(out)) <= len(out)
        ids = set(re.findall(r' id="([^"]+)"', out))
        refs = set(re.findall(r'(?:href="#|url\(#)([^")]+)', out))
        assert refs <= ids and ids <= refs, "every id referenced, every reference defined"
        for tag in ("path", "use", "image", "rect", "clipPath", "pattern"):
            assert out.count(f"<{tag} ") + out.count(f"<{tag}>") == \
                svg.count(f"<{tag} ") + svg.count(f"<{tag}>"), tag
        old = re.findall(r'<path\b[^>]*\bd="([^"]*)"([^>]*)>', svg)
        new = re.findall(r'<path\b[^>]*\bd="([^"]*)"([^>]*)>', out)
        assert len(old) == len(new)
        for (d0, rest0), (d1, _) in zip(old, new):
            glyph = assets.GLYPH_SCALE in rest0
            f = assets.GLYPH_FACTOR if glyph else 1
            tol = 0.5 if glyph else float(assets.SVG_GRID) / 2
            p0, p1 = _absolute(d0), _absolute(d1)
            assert len(p0) == len(p1)
            err = max((max(abs(a / f - b), abs(c / f - e)) for (a, c), (b, e) in zip(p0, p1)),
                      default=0)
            assert err <= tol + 1e-6, (d0[:80], d1[:80], err)
        before = len(gzip.compress(svg.encode(), 6))
        assert len(gzip.compress(out.encode(), 6)) < 0.7 * before


def test_slim_svg_keeps_title_aria_and_referenced_ids():
    import xml.etree.ElementTree as ET

    from netralitas.build import assets

    svg = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
           'role="img" aria-label="Kurva daya"><title>Kurva daya</title><defs>'
           '<clipPath id="p0"><rect x="1.234567" y="2" width="3" height="4"/></clipPath>'
           '<path id="m1" d="M 0 0 L 0 3.5" style="stroke: #000; stroke-width: 0.8"/></defs>'
           '<g id="axes_1"><use xlink:href="#m1" x="10.123456" y="5" '
           'style="stroke: #000; stroke-width: 0.8"/>'
           '<use xlink:href="#m1" transform="translate(3.5 0)" style="stroke: red"/>'
           '<path d="M 1 1 L 2 2" clip-path="url(#p0)"/></g></svg>')
    out = assets.slim_svg(svg)
    root = ET.fromstring(out)
    assert root.get("aria-label") == "Kurva daya" and root.get("role") == "img"
    assert root.find("{http://www.w3.org/2000/svg}title").text == "Kurva daya"
    assert '<clipPath id="a"><rect x="1.23" y="2"' in out and 'clip-path="url(#a)"' in out
    assert '<path id="b" d="M0 0l0 3.5" style="stroke:#000;stroke-width:0.8"/>' in out
    # the first copy repeats its marker's style (dropped), the second sets its own (kept)
    assert '<use xlink:href="#b" x="10.12" y="5"/>' in out
    assert '<use xlink:href="#b" x="3.5" style="stroke:red"/>' in out
    assert "axes_1" not in out


def test_slim_svg_does_not_round_under_a_magnifying_transform():
    from netralitas.build import assets

    svg = ('<svg><g transform="scale(20)"><path d="M 0.123456 0 L 1 1"/></g>'
           '<use xlink:href="#x" transform="translate(1.23456 0)"/></svg>')
    out = assets.slim_svg(svg)
    assert "0.123456" in out and "translate(1.23456 0)" in out


def test_figures_load_lazily_unless_the_page_says_otherwise():
    from netralitas.build import assets

    html = ('<img alt="a" src="../_images/x.svg"><img src="../_static/logo.svg">'
            '<img loading="eager" src="../_images/y.svg">')
    assert assets.lazy_figures(html) == (
        '<img loading="lazy" alt="a" src="../_images/x.svg"><img src="../_static/logo.svg">'
        '<img loading="eager" src="../_images/y.svg">')


def test_plain_code_unwraps_only_tokens_coloured_like_the_code_block():
    from netralitas.build import assets

    css = ('html[data-theme="light"] .highlight { background: #fefefe; color: #080808 }\n'
           'html[data-theme="light"] .highlight .n { color: #080808 } /* Name */\n'
           'html[data-theme="light"] .highlight .o { color: #00622F }\n'
           'html[data-theme="light"] .highlight .k { color: #080808; font-weight: bold }\n'
           'html[data-theme="light"] .highlight .p { color: #080808 }\n'
           'html[data-theme="dark"] .highlight { background: #2b2b2b; color: #F8F8F2 }\n'
           'html[data-theme="dark"] .highlight .n { color: #F8F8F2 }\n'
           'html[data-theme="dark"] .highlight .o { color: #ABE338 }\n'
           'html[data-theme="dark"] .highlight .k { color: #F8F8F2; font-weight: bold }\n'
           'html[data-theme="dark"] .highlight .p { color: #FF0000 }\n')
    # .p differs in the dark theme, .k is bold, .o has its own colour: only .n is plain
    assert assets.plain_tokens(css) == {"n"}
    code = ('<div class="highlight"><pre><span class="n">a</span> <span class="o">=</span> '
            '<span class="n">b</span></pre></div>')
    html = ('<div class="cell_input docutils container">\n<div class="highlight-python notranslate">'
            + code + '</div></div><div class="highlight-python notranslate">' + code + '</div>')
    out = assets.plain_code(html, {"n"})
    assert out.count('<span class="n">') == 2, "only code cells: another code block keeps its spans"
    assert '<pre>a <span class="o">=</span> b</pre>' in out
    assert assets.plain_code(html, set()) == html


def test_site_css_gives_code_cells_the_highlight_colour():
    from netralitas import paths

    css = (paths.root() / "_static" / "netralitas.css").read_text(encoding="utf-8")
    assert "div.cell_input div.highlight pre { color: inherit; }" in css
