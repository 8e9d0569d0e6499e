"""The "Reproduksi bab ini" boxes and the appendix table in the built site."""

from __future__ import annotations

import html as html_lib
import re

import pytest

from netralitas import paths
from netralitas.build import runlog, site

ROOT = paths.root()
CHAPTERS = [d for d in site.toc_pages(ROOT) if (ROOT / f"{d}.ipynb").is_file()]


@pytest.mark.parametrize("doc", CHAPTERS)
def test_chapter_has_box(doc, site_dir):
    html = (site_dir / f"{doc}.html").read_text(encoding="utf-8")
    m = re.search(r'<div class="[^"]*\bnt-repro(?=[\s"])[^"]*">(.*?)</div>', html, re.S)
    assert m, f"{doc}: no Reproduksi box"
    box = " ".join(html_lib.unescape(re.sub(r"<[^>]+>", "", m.group(1))).split())
    assert "Reproduksi bab ini" in box
    assert f"python -m netralitas.build.execute --force {doc}.ipynb" in box
    rec = runlog.records(ROOT).get(f"{doc}.ipynb")
    if rec is not None:  # built on a machine with records: they are what the box shows
        for f in rec["inputs"]:
            if not f.startswith("data/schemas/") and f != "data/datapackage.json":
                assert f in box, f"{doc}: input {f} missing from the box"
        if rec["seconds"] is not None:
            assert f"{rec['seconds']:.1f}".replace(".", ",") + " detik" in box


def test_appendix_lists_every_chapter(site_dir):
    html = (site_dir / "book" / "reproduksi.html").read_text(encoding="utf-8")
    table = html.split('nt-repro-table', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)[1:]
    assert len(rows) == len(CHAPTERS)
    for doc, row in zip(CHAPTERS, rows):
        assert f'href="{doc.split("/")[-1]}.html"' in row, (doc, row[:200])


def test_non_notebook_pages_have_no_box(site_dir):
    for doc in site.toc_pages(ROOT):
        if doc not in CHAPTERS:
            assert not re.search(r'class="[^"]*\bnt-repro(?=[\s"])', (site_dir / f"{doc}.html").read_text(
                encoding="utf-8")), doc
