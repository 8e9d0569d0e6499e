"""Previews in place (netralitas.build.previews): code homes, code links and per-page data."""

from __future__ import annotations

import json
import re

from docutils import nodes

from netralitas.build import previews


def _doc(*children):
    doc = nodes.section()
    for c in children:
        doc += c
    return doc


def test_code_pattern():
    for code in ("Q01", "V1", "M2023-12", "P02", "M1", "EP1", "B02", "C01", "ASN-01", "R1-1",
                 "BAWASLU-01"):
        assert previews.CODE.fullmatch(code), code
    for text in ("UU", "q01", "2024", "Pasal 71"):
        assert not previews.CODE.fullmatch(text), text


def test_a_table_whose_first_column_holds_codes_is_their_home(doc_table):
    quotes = doc_table(["Kutipan", "Asli"], [["Q01 (ASN-01)", "teks satu"], ["Q02", "teks dua"]])
    other = doc_table(["Tahun", "Uraian"], [["2024", "Q01 disebut"], ["Q9", "x"]])
    homes = previews.code_homes(_doc(quotes, other))
    assert homes == {"Q01": "kode-Q01", "Q02": "kode-Q02"}
    rows = list(quotes.findall(nodes.row))[1:]
    assert [r["ids"] for r in rows] == [["kode-Q01"], ["kode-Q02"]]
    assert not any(r["ids"] for r in other.findall(nodes.row))  # not every first cell a code


def test_a_repeated_code_column_is_no_home_but_a_later_id_column_is(doc_table):
    t = doc_table(["Kode", "Bukti", "Kode lain"],
                  [["M1", "E01 · berita", "M1; M3"], ["M1", "E02 · wawancara", "M2"],
                   ["M2", "E03", "M4"]])
    doc = _doc(t)
    want = {"E01": "kode-E01", "E02": "kode-E02", "E03": "kode-E03"}
    assert previews.code_homes(doc) == want  # "M1" repeats; "M1; M3" is a list
    assert previews.code_homes(doc) == want  # idempotent
    assert [r["ids"] for r in list(t.findall(nodes.row))[1:]] == [
        ["kode-E01"], ["kode-E02"], ["kode-E03"]]


def test_first_columns_win_over_later_columns_and_a_row_has_one_id(doc_table):
    a = doc_table(["Bukti", "Kutipan"], [["E01", "Q01"], ["E02", "Q02"]])
    b = doc_table(["Kutipan", "Asli"], [["Q01", "x"], ["Q02", "y"]])
    homes = previews.code_homes(_doc(a, b))
    assert homes == {"E01": "kode-E01", "E02": "kode-E02", "Q01": "kode-Q01", "Q02": "kode-Q02"}
    assert [r["ids"] for r in list(b.findall(nodes.row))[1:]] == [["kode-Q01"], ["kode-Q02"]]


def test_data_homes_find_the_row_of_a_case_without_an_id_column(tmp_path, doc_table):
    (tmp_path / "violations.csv").write_text(
        "case_id,position\nV1,Camat\nV2,Lurah\n", encoding="utf-8")
    t = doc_table(["Tahun", "Pejabat/Terduga", "Sanksi"],
                  [["2024", "Lurah", "Teguran"], ["2024", "Camat", "Teguran"]], ids=["tbl-d1-tabel1"])
    assert previews.code_homes(_doc(t), tmp_path) == {"V2": "kode-V2", "V1": "kode-V1"}


def test_codes_in_text_become_links_but_not_in_links_code_titles_or_their_home_cell(doc_table):
    home = doc_table(["Kode", "Uraian"], [["Q01", "Q01 lagi"]])
    previews.code_homes(_doc(home))
    para = nodes.paragraph()
    para += nodes.Text("Kutipan Q01 dan Q010, M2023-12; V1–V4 serta XQ01.")
    lit = nodes.literal(text="Q01")
    title = nodes.title(text="Q01")
    ref = nodes.reference("", "Q01", refuri="x.html")
    doc = _doc(title, para, nodes.paragraph("", "", lit, ref), home)
    targets = {"Q01": "#kode-Q01", "M2023-12": "d5.html#kode-M2023-12", "V1": "d1.html#kode-V1",
               "V4": "d1.html#kode-V4"}
    made = previews.link_codes(doc, targets)
    links = [r for r in doc.findall(nodes.reference) if "nt-code-ref" in r["classes"]]
    assert made == len(links) == 5  # Q01, M2023-12, V1, V4 in the text + "Q01 lagi" in the row
    assert [r.astext() for r in links] == ["Q01", "M2023-12", "V1", "V4", "Q01"]
    assert para.astext() == "Kutipan Q01 dan Q010, M2023-12; V1–V4 serta XQ01."
    cell = list(home.findall(nodes.entry))[2]  # first body cell: the code's own definition
    assert not list(cell.findall(nodes.reference))
    assert lit.astext() == "Q01" and not list(lit.findall(nodes.reference))
    assert not list(title.findall(nodes.reference))


PAGE = """<html><body><div class="bd-page"><nav>Q01 <a href="b.html#x">nav</a></nav>
<article class="bd-article" role="main">
<section id="bab-a"><span id="ch-a"></span><h1>A. Bab<a class="headerlink" href="#bab-a">#</a></h1>
<p>Pembuka bab A (<a class="reference internal" href="b.html#id3" title="t">Penulis 2026</a>).</p>
<p>Lihat <a class="reference internal" href="#tbl-x"><span>Tabel 1</span></a>,
<a class="reference internal" href="b.html#fig-y">Gambar 1</a>,
<a class="reference internal" href="b.html#ch-b">B</a>,
<a class="nt-code-ref reference internal" href="#kode-Q01">Q01</a> dan
<a class="reference external" href="https://example.org/">luar</a>.</p>
<table class="table" id="tbl-x"><caption><span class="caption-number">Tabel 1 </span>
<span class="caption-text">Kutipan para informan</span></caption>
<thead><tr><th>Kutipan</th><th>Asli</th><th>Sumber</th></tr></thead>
<tbody><tr id="kode-Q01"><td><p>Q01</p></td><td><p>kata-kata asli</p></td><td><p>[1]</p></td></tr>
</tbody></table></section></article></div></body></html>"""

PAGE_B = """<html><body><article class="bd-article" role="main">
<section id="bab-b"><span id="ch-b"></span><h1>B. Bab kedua</h1><p>Isi bab B.</p>
<figure id="fig-y"><img src="../_images/y.svg" alt="gambar"><figcaption><p>
<span class="caption-number">Gambar 1 </span><span class="caption-text">Garis waktu</span></p>
</figcaption></figure>
<div class="citation" id="id3" role="listitem">
<span class="label"><span>[</span>Penulis 2026<span>]</span></span>
<p>Penulis. Judul karya <a href="https://example.org">URL</a>.</p></div>
</section></article></body></html>"""


def _data(page) -> dict:
    m = re.search(r'<script type="application/json" id="nt-previews">(.*?)</script>\n</body>',
                  page.read_text(encoding="utf-8"), re.S)
    assert m, "no preview data before </body>"
    return json.loads(m.group(1))


def test_previews_for_site_writes_each_pages_targets(tmp_path):
    (tmp_path / "book").mkdir()
    a, b = tmp_path / "book" / "a.html", tmp_path / "book" / "b.html"
    a.write_text(PAGE, encoding="utf-8")
    b.write_text(PAGE_B, encoding="utf-8")
    report = previews.previews_for_site(tmp_path)
    assert report == {"book/a.html": 5, "book/b.html": 0}
    data = _data(a)
    assert set(data) == {"b.html#id3", "#tbl-x", "b.html#fig-y", "b.html#ch-b", "#kode-Q01"}
    assert "Penulis 2026" in data["b.html#id3"] and "Judul karya" in data["b.html#id3"]
    assert "<a" not in data["b.html#id3"] and "id=" not in data["b.html#id3"]
    assert "Tabel 1" in data["#tbl-x"] and "Kutipan para informan" in data["#tbl-x"]
    assert "1 baris" in data["#tbl-x"]
    assert "Garis waktu" in data["b.html#fig-y"] and 'src="../_images/y.svg"' in data["b.html#fig-y"]
    assert "B. Bab kedua" in data["b.html#ch-b"] and "Isi bab B." in data["b.html#ch-b"]
    assert "kata-kata asli" in data["#kode-Q01"] and "[1]" not in data["#kode-Q01"]  # no Sumber
    assert "nt-previews" not in b.read_text(encoding="utf-8")  # nothing to preview there
    before = a.read_text(encoding="utf-8")
    previews.previews_for_site(tmp_path)  # idempotent
    assert a.read_text(encoding="utf-8") == before
