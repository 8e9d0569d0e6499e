"""Sharing metadata (netralitas.build.sharing): site address, meta tags, preview images, sitemap."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest
import yaml
from PIL import Image

from netralitas import paths
from netralitas.build import sharing


@pytest.mark.parametrize("repo, base, want", [
    ("https://github.com/netralitas-book/netralitas-pangkalpinang", "",
     "https://netralitas-book.github.io/netralitas-pangkalpinang/"),
    ("https://github.com/Someone/fork.git", "", "https://someone.github.io/fork/"),
    ("https://github.com/someone/someone.github.io", "", "https://someone.github.io/"),
    ("https://github.com/a/b", "https://buku.example.org/netralitas", "https://buku.example.org/netralitas/"),
])
def test_site_url(repo, base, want):
    assert sharing.site_url(repo, base) == want


def test_site_url_refuses_what_it_cannot_derive():
    with pytest.raises(ValueError, match="html.baseurl"):
        sharing.site_url("https://gitlab.com/a/b")


def test_config_has_one_repository_url():
    cfg = yaml.safe_load((paths.root() / "_config.yml").read_text(encoding="utf-8"))
    assert sharing.site_url(cfg["repository"]["url"], cfg.get("html", {}).get("baseurl", ""))
    assert cfg["html"]["favicon"] == "_static/favicon.svg"
    assert (paths.root() / cfg["html"]["favicon"]).is_file()


def test_meta_tags_escape_and_describe():
    tags = sharing.meta_tags('Bab "A" & B', "Ringkas <b>", "https://x/y.html", "https://x/y.png", "Buku")
    assert 'content="Bab &quot;A&quot; &amp; B"' in tags
    assert 'content="Ringkas &lt;b&gt;"' in tags
    for key in ("og:title", "og:description", "og:url", "og:image", "twitter:card", "twitter:image"):
        assert f'"{key}"' in tags
    assert "og:description" not in sharing.meta_tags("t", "", "u", "i", "s")


def test_first_paragraph():
    body = ("<h1>Judul<a class='headerlink'>#</a></h1><p>pendek</p>"
            "<p><strong>Ikhtisar.</strong> Makalah (<a href='#'>Ansyari dan Fernanda 2026</a>) "
            + "kata " * 80 + "</p>")
    text = sharing.first_paragraph(body)
    assert text.startswith("Ikhtisar. Makalah (Ansyari dan Fernanda 2026) kata")
    assert len(text) <= sharing.DESCRIPTION_CHARS and text.endswith("…")


def test_preview_png_is_deterministic_and_sized():
    a = sharing.preview_png("Statistik Komparatif", "Buku", "contoh.github.io/buku")
    assert a == sharing.preview_png("Statistik Komparatif", "Buku", "contoh.github.io/buku")
    assert a != sharing.preview_png("Bab lain", "Buku", "contoh.github.io/buku")
    img = Image.open(io.BytesIO(a))
    assert img.size == sharing.OG_SIZE and not img.info.get("Software")


def test_favicon_ico_sizes():
    ico = Image.open(io.BytesIO(sharing.favicon_ico()))
    assert {(16, 16), (32, 32), (48, 48)} <= set(ico.info["sizes"])


def test_sitemap_xml_parses():
    xml = sharing.sitemap_xml(["https://x/a.html", "https://x/b&c.html"])
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in ET.fromstring(xml).findall("s:url/s:loc", ns)]
    assert locs == ["https://x/a.html", "https://x/b&c.html"]
