"""``make pdf``: the whole book as one PDF, printed offline from the built HTML.

``python -m netralitas.build.pdf`` (after ``make build``) writes ``_build/pdf/book.pdf`` and a
copy at ``_build/html/book.pdf`` (the "Unduh PDF" link of every page points there):

- a cover with the book's title, authors and citation (from ``CITATION.cff``), then a table of
  contents with page numbers, then every page of ``_toc.yml`` in reading order (the
  bibliography last), with the site's own numbered tables and figures;
- printed by Debian's Chromium (``/usr/bin/chromium``, or ``$CHROMIUM``) driven by Playwright
  through ``executable_path`` (no browser download), from a local server (no network);
- print CSS (``_static/netralitas.css``, ``@media print``): no sidebars, buttons or folded code;
  tables printed whole; page numbers in the footer;
- two passes (or three): the first finds on which page each chapter starts (the named
  destinations Chromium writes for the contents' links), the next prints those numbers in the
  table of contents, until they no longer move.

As a Sphinx extension (``netralitas.build.pdf`` in ``_config.yml``) it adds "Unduh PDF" to the
download menu of every page.
"""

from __future__ import annotations

import argparse
import functools
import html
import http.server
import os
import re
import shutil
import sys
import threading
from pathlib import Path

from .. import paths
from . import site

__all__ = ["slug", "citation", "combined", "chapter_pages", "build", "main", "setup"]

PDF_NAME = "book.pdf"
TEMP_NAME = "_nt_book_pdf.html"  # written next to the chapters (book/), removed after printing
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
FOOTER = ('<div style="font-size:8pt;width:100%;text-align:center;color:#555;">'
          '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')
HEADER = '<div style="font-size:6pt;width:100%;"></div>'


def slug(doc: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", doc.lower()).strip("-")


def citation(root: Path) -> dict[str, str]:
    import yaml

    cff = yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))
    authors = "; ".join(a.get("name") or " ".join(filter(None, [a.get("given-names"),
                                                                a.get("family-names")]))
                        for a in cff.get("authors", []))
    paper = next((r for r in cff.get("references", []) if r.get("title")), {})
    paper_authors = ", ".join(f"{a.get('given-names', '')} {a.get('family-names', '')}".strip()
                              for a in paper.get("authors", []))
    text = f"{authors}. {cff['title']} (versi {cff.get('version', '')}). {cff.get('url', '')}"
    return {"title": cff["title"], "authors": authors, "version": str(cff.get("version", "")),
            "url": cff.get("url", ""), "citation": text, "paper": paper.get("title", ""),
            "paper_authors": paper_authors}


def _article(page_html: str):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page_html, "html.parser")
    art = soup.find("article", class_="bd-article")
    if art is None:
        raise ValueError("no <article class='bd-article'>")
    return soup, art


def _rewrite(art, doc: str, docs: set[str]) -> None:
    """Ids unique across chapters; links to chapters become links inside the PDF."""
    me = slug(doc)
    for el in art.find_all(id=True):
        el["id"] = f"{me}--{el['id']}"
    base = doc.rsplit("/", 1)[0] if "/" in doc else ""
    for a in art.find_all("a", href=True):
        href = a["href"]
        if re.match(r"^[a-z]+:", href):
            continue  # external: stays a web link
        if href.startswith("#"):
            a["href"] = f"#{me}--{href[1:]}"
            continue
        m = re.match(r"^([^#?]+)\.html(?:#(.*))?$", href)
        target = os.path.normpath(os.path.join(base, m.group(1))) if m else None
        if m and target in docs:
            a["href"] = f"#{slug(target)}--{m.group(2)}" if m.group(2) else f"#ch-{slug(target)}"
        else:
            del a["href"]  # a file of the site (source, image, index): not part of the PDF


def combined(site_dir: Path, docs: list[str], root: Path, pages: dict[str, int] | None) -> str:
    """One HTML document: cover, table of contents (page numbers if known), every page."""
    first = (site_dir / f"{docs[0]}.html").read_text(encoding="utf-8")
    soup, _ = _article(first)
    head_links = "\n".join(str(link) for link in soup.find_all("link", rel="stylesheet"))
    cite = citation(root)
    known = set(docs)
    parts, toc = [], []
    for doc in docs:
        _, art = _article((site_dir / f"{doc}.html").read_text(encoding="utf-8"))
        for a in art.find_all("a", class_="headerlink"):
            a.decompose()
        h1 = art.find("h1")
        title = " ".join(h1.get_text(" ", strip=True).split()) if h1 else doc
        _rewrite(art, doc, known)
        parts.append(f'<section class="nt-pdf-chapter" id="ch-{slug(doc)}">{art.decode_contents()}'
                     "</section>")
        num = str(pages[doc]) if pages and doc in pages else "00"
        toc.append(f'<li><a href="#ch-{slug(doc)}"><span class="nt-toc-title">{html.escape(title)}'
                   f'</span><span class="nt-toc-page">{num}</span></a></li>')
    e = html.escape
    cover = f"""<section class="nt-pdf-cover">
<p class="nt-pdf-kicker">Buku reproduksi</p>
<p class="nt-pdf-title">{e(cite['title'])}</p>
<p class="nt-pdf-paper">Penjelasan dan analisis ulang atas makalah “{e(cite['paper'])}”
oleh {e(cite['paper_authors'])}.</p>
<p class="nt-pdf-authors">{e(cite['authors'])} · versi {e(cite['version'])}</p>
<div class="nt-pdf-cite"><p><strong>Kutip buku ini sebagai:</strong></p>
<p>{e(cite['citation'])}</p>
<p>Edisi web: <a href="{e(cite['url'])}">{e(cite['url'])}</a>. PDF ini dicetak dari situs yang
sama oleh <code>make pdf</code>.</p></div>
</section>"""
    toc_html = ('<nav class="nt-pdf-toc"><h1>Daftar Isi</h1><ol>' + "\n".join(toc)
                + "</ol></nav>")
    return f"""<!DOCTYPE html>
<html lang="id" data-theme="light"><head><meta charset="utf-8">
<title>{e(cite['title'])}</title>
{head_links}
</head>
<body class="nt-pdf">
<div class="bd-main"><div class="bd-content"><div class="bd-article-container">
<article class="bd-article">
{cover}
{toc_html}
{''.join(parts)}
</article></div></div></div>
</body></html>
"""


def _serve(directory: Path):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def chapter_pages(pdf_path: Path, docs: list[str]) -> dict[str, int]:
    """The 1-based page on which each chapter starts: the table of contents links to every
    chapter, so Chromium writes a named destination ``ch-<chapter>`` for each."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdf_path))
    dests = reader.named_destinations
    missing = [d for d in docs if f"/ch-{slug(d)}" not in dests]
    if missing:
        raise RuntimeError(f"PDF has no destination for {missing}")
    return {d: reader.get_destination_page_number(dests[f"/ch-{slug(d)}"]) + 1 for d in docs}


def _print(browser, url: str, out: Path) -> None:
    page = browser.new_page()
    page.goto(url, wait_until="load")
    page.evaluate("""async () => {
        for (const img of document.images) { img.loading = "eager"; }
        await Promise.all(Array.from(document.images).map(i => i.decode().catch(() => null)));
        await document.fonts.ready;
    }""")
    page.emulate_media(media="print")
    page.pdf(path=str(out), format="A4", print_background=True, outline=True, tagged=True,
             display_header_footer=True, header_template=HEADER, footer_template=FOOTER,
             margin={"top": "16mm", "bottom": "18mm", "left": "16mm", "right": "16mm"})
    page.close()


def build(root: Path | None = None, chromium: str = CHROMIUM) -> Path:
    root = root or paths.root()
    site_dir = root / "_build" / "html"
    if not (site_dir / "index.html").is_file():
        raise SystemExit("pdf: _build/html is missing: run make build first")
    if not Path(chromium).is_file():
        raise SystemExit(f"pdf: {chromium} not found: apt-get install -y chromium (or set CHROMIUM)")
    from playwright.sync_api import sync_playwright

    docs = site.toc_pages(root)
    out_dir = root / "_build" / "pdf"
    out_dir.mkdir(parents=True, exist_ok=True)
    temp = site_dir / docs[0].rsplit("/", 1)[0] / TEMP_NAME if "/" in docs[0] else site_dir / TEMP_NAME
    url_path = temp.relative_to(site_dir).as_posix()
    final = out_dir / PDF_NAME
    server, base = _serve(site_dir)
    pw = sync_playwright().start()
    browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
    try:
        pages = None
        for _ in range(3):  # numbers can shift the contents by a line: print until stable
            temp.write_text(combined(site_dir, docs, root, pages), encoding="utf-8")
            _print(browser, base + url_path, final)
            found = chapter_pages(final, docs)
            if found == pages:
                break
            pages = found
        else:
            raise RuntimeError("pdf: the table of contents page numbers did not settle")
    finally:
        temp.unlink(missing_ok=True)
        browser.close()
        pw.stop()
        server.shutdown()
        server.server_close()
    shutil.copyfile(final, site_dir / PDF_NAME)
    return final


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m netralitas.build.pdf", description=__doc__.split("\n")[0])
    ap.add_argument("--chromium", default=CHROMIUM)
    args = ap.parse_args(argv)
    out = build(chromium=args.chromium)
    from pypdf import PdfReader

    n = len(PdfReader(str(out)).pages)
    print(f"pdf: {out.relative_to(paths.root())} ({n} pages, {out.stat().st_size / 1e6:.1f} MB)")
    return 0


# --------------------------------------------------------------------------------------------
# Sphinx extension: "Unduh PDF" on every page


def _download_link(app, pagename, templatename, context, doctree):
    if app.builder.format != "html" or "header_buttons" not in context:
        return
    button = {"type": "link", "url": context["pathto"](PDF_NAME, 1), "text": "Unduh PDF (buku)",
              "tooltip": "Unduh seluruh buku sebagai satu PDF", "icon": "fas fa-file-pdf",
              "label": "download-book-pdf-button"}
    for group in context["header_buttons"]:
        if group.get("label") == "download-buttons":
            group["buttons"].insert(0, button)
            return
    context["header_buttons"].append({"type": "group", "tooltip": "Unduh", "icon": "fas fa-download",
                                      "buttons": [button], "label": "download-buttons"})


def setup(app):
    app.connect("html-page-context", _download_link, priority=502)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}


if __name__ == "__main__":
    sys.exit(main())
