"""The whole-book PDF of `make pdf` (_build/pdf/book.pdf), read back with pypdf.

- it opens; its page count is in a sane range for the book;
- page 1 is the cover with the book's citation (CITATION.cff); the table of contents lists every
  page of _toc.yml in order with the page on which it starts (checked against the PDF's own
  destinations), and the chapters appear in that order;
- every table and figure of the manifest appears with its number and title, and so does the
  bibliography; folded content (MyST dropdowns, items the manifest marks folded) is printed open;
- every font is embedded; no page is blank; page numbers are printed in the footer;
- every page of the site links the PDF ("Unduh PDF").
"""

from __future__ import annotations

import re
import unicodedata

import pytest

from netralitas import paths
from netralitas.build import pdf, site

ROOT = paths.root()
PDF = ROOT / "_build" / "pdf" / pdf.PDF_NAME
DOCS = site.toc_pages(ROOT)
# one worker runs the whole module (make browser: --dist loadgroup): the text of every page is
# extracted once, not once per worker
pytestmark = pytest.mark.xdist_group("pdf")


def _norm(text: str) -> str:
    # NFKC: the PDF's ligatures ("ﬁ") read as their letters
    return " ".join(unicodedata.normalize("NFKC", text).replace("\u00ad", "").split())


@pytest.fixture(scope="module")
def reader():
    from pypdf import PdfReader

    if not PDF.is_file():
        pytest.fail(f"{PDF} is missing: run `make pdf` before these tests")
    return PdfReader(str(PDF))


@pytest.fixture(scope="module")
def texts(reader) -> list[str]:
    return [page.extract_text() or "" for page in reader.pages]


def test_page_count_is_sane(reader):
    n = len(reader.pages)
    assert 2 * len(DOCS) <= n <= 25 * len(DOCS), n


def test_cover_has_the_citation(texts):
    cite = pdf.citation(ROOT)
    cover = _norm(texts[0])
    assert _norm(cite["title"]) in cover
    assert "Kutip buku ini sebagai" in cover and cite["url"] in cover


def test_contents_page_numbers_match_the_chapters(reader, texts):
    pages = pdf.chapter_pages(PDF, DOCS)
    assert list(pages.values()) == sorted(pages.values()), "chapters out of TOC order"
    assert pages[DOCS[0]] > 2  # cover and contents come first
    toc = re.sub(r"\d+ / \d+", "", texts[1])  # without the footer
    numbers = [int(n) for n in re.findall(r"(\d+)\s*$", toc, re.M)]
    assert numbers[-len(DOCS):] == [pages[d] for d in DOCS], "contents page numbers are wrong"


def test_footer_page_numbers(texts):
    total = len(texts)
    for i in (0, total // 2, total - 1):
        assert f"{i + 1} / {total}" in texts[i], f"page {i + 1}: no footer page number"


def test_manifest_tables_and_figures_in_the_pdf(texts, site_dir):
    import csv

    whole = _norm(" ".join(texts))
    rows = list(csv.DictReader((ROOT / "data" / "manifest.csv").open(encoding="utf-8")))
    book = [r for r in rows if r["origin"] == "book" and r["label"]]
    assert book
    missing = []
    for r in book:
        page = site_dir / r["file"].replace(".ipynb", ".html")
        html = page.read_text(encoding="utf-8")
        label = re.escape(r["label"].replace("_", "-"))
        m = re.search(f'id="{label}".*?<span class="caption-number">([^<]+)</span>', html, re.S)
        number = _norm(m.group(1)) if m else ""
        title = _norm(r["title"].replace("`", ""))  # code markup is not printed
        if not number or number not in whole or title[:40] not in whole:
            missing.append(f"{r['label']} ({number or 'no number'}): {r['title'][:40]}")
    assert not missing, "tables/figures missing from the PDF:\n" + "\n".join(missing)


def test_folded_content_is_printed(texts, site_dir):
    from bs4 import BeautifulSoup

    whole = _norm(" ".join(texts)).replace(" ", "")
    missing, n = [], 0
    for doc in DOCS:
        soup = BeautifulSoup((site_dir / f"{doc}.html").read_text(encoding="utf-8"), "html.parser")
        for d in soup.select("article.bd-article details.sd-dropdown"):
            body = d.select_one(".sd-summary-content")
            for bar in body.select(".nt-dt-bar, a.headerlink"):  # not printed
                bar.decompose()
            words = _norm(body.get_text(" ")).split()[:8]
            n += 1
            # compared without spaces: the PDF's text breaks lines and table cells its own way
            if words and "".join(words) not in whole:
                missing.append(f"{doc}: {' '.join(words)}")
    assert n >= 10, n
    assert not missing, "folded content missing from the PDF:\n" + "\n".join(missing)


def test_bibliography_is_last(texts):
    pages = pdf.chapter_pages(PDF, DOCS)
    start = pages[DOCS[-1]]
    assert DOCS[-1].endswith("daftar_pustaka")
    assert "Ansyari" in " ".join(texts[start - 1:])


def _fonts(obj, seen):
    from pypdf.generic import IndirectObject

    obj = obj.get_object() if isinstance(obj, IndirectObject) else obj
    res = obj.get("/Resources")
    res = res.get_object() if res is not None else {}
    for font in (res.get("/Font") or {}).values():
        font = font.get_object()
        for f in [font] + [d.get_object() for d in font.get("/DescendantFonts", [])]:
            seen.append(f)
    for xo in (res.get("/XObject") or {}).values():
        xo = xo.get_object()
        if xo.get("/Subtype") == "/Form":
            _fonts(xo, seen)


def test_fonts_embedded(reader):
    fonts = []
    for page in reader.pages:
        _fonts(page, fonts)
    assert fonts
    bad = []
    for f in fonts:
        if f.get("/Subtype") == "/Type0":
            continue  # checked through its descendant font
        desc = f.get("/FontDescriptor")
        desc = desc.get_object() if desc is not None else {}
        files = ("/FontFile", "/FontFile2", "/FontFile3")
        if f.get("/Subtype") != "/Type3" and not any(k in desc for k in files):
            bad.append(str(f.get("/BaseFont")))
    assert not bad, f"fonts not embedded: {sorted(set(bad))}"


def test_no_blank_page(reader, texts):
    blank = []
    for i, (page, text) in enumerate(zip(reader.pages, texts)):
        body = re.sub(r"\d+ / \d+", "", text).strip()
        res = page.get("/Resources")
        xobjects = (res.get_object().get("/XObject") if res is not None else None) or {}
        if not body and not xobjects:
            blank.append(i + 1)
    assert not blank, f"blank pages: {blank}"


def test_every_page_links_the_pdf(site_dir):
    missing = []
    for doc in DOCS + ["search", "genindex"]:
        html = (site_dir / f"{doc}.html").read_text(encoding="utf-8")
        if not re.search(r'href="(\.\./)?book\.pdf"', html) or "Unduh PDF" not in html:
            missing.append(doc)
    assert not missing, f"pages without the 'Unduh PDF' link: {missing}"
    assert (site_dir / pdf.PDF_NAME).read_bytes() == PDF.read_bytes()
