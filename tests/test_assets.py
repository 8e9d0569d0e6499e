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


def test_slim_svg_drops_metadata_and_layout_whitespace_only():
    from netralitas.build import assets

    svg = ('<?xml version="1.0" encoding="utf-8" standalone="no"?>\n<svg width="10pt">\n'
           ' <metadata>\n  <rdf:RDF><cc:Work/></rdf:RDF>\n </metadata>\n <g id="figure_1">\n'
           '  <path d="M 0 1.5 \nL 2 3 \nz\n" style="fill: #fff"/>\n </g>\n</svg>\n')
    out = assets.slim_svg(svg)
    assert "<metadata" not in out and "\n " not in out
    assert '<g id="figure_1"><path d="M 0 1.5 L 2 3 z " style="fill: #fff"/></g></svg>' in out
    text = '<svg><text x="1"> a  b </text>\n</svg>'
    assert assets.slim_svg(text) == text  # text nodes: spaces may matter, left alone


def test_figures_load_lazily_unless_the_page_says_otherwise():
    from netralitas.build import assets

    html = ('<img alt="a" src="../_images/x.svg"><img src="../_static/logo.svg">'
            '<img loading="eager" src="../_images/y.svg">')
    assert assets.lazy_figures(html) == (
        '<img loading="lazy" alt="a" src="../_images/x.svg"><img src="../_static/logo.svg">'
        '<img loading="eager" src="../_images/y.svg">')
