"""Compact source columns (netralitas.build.compact) on a docutils table like the book's."""

from __future__ import annotations

from docutils import nodes

from netralitas.build import compact


def _cite(*labels):
    span = nodes.inline(classes=["bibtex-citation"], ids=["id9"])
    span += nodes.Text("(")
    for i, label in enumerate(labels):
        if i:
            span += nodes.Text("; ")
        ref = nodes.reference("", "", refuri=f"daftar_pustaka.html#{label[:3]}",
                              reftitle=f"Rujukan lengkap {label}", internal=True)
        ref += nodes.Text(label)
        span += ref
    span += nodes.Text(")")
    return span


def test_citations_become_numbers_with_links_titles_and_a_legend(doc_table):
    t = doc_table(["Tahun", "Uraian", "Sumber"],
                  [["2024", "teks panjang " * 10, _cite("Ansyari dan Fernanda 2026", "iNews Bangka 2024")],
                   ["2025", "teks", _cite("Tribun Bangka 2025a", "Ansyari dan Fernanda 2026")]],
                  [10, 60, 30])
    works = compact.compact_table(t)
    cells = [r.children[2].astext() for r in t.findall(nodes.row)][1:]
    assert cells == ["[1, 2]", "[3, 1]"]
    refs = [r for r in t.findall(nodes.reference)]
    assert [r.astext() for r in refs] == ["1", "2", "3", "1"]
    assert refs[0]["refuri"] == "daftar_pustaka.html#Ans" and refs[0]["reftitle"].startswith("Rujukan")
    assert next(t.findall(nodes.inline))["ids"] == ["id9"]  # back-links still land
    assert [w.astext() for w in works] == ["Ansyari dan Fernanda 2026", "iNews Bangka 2024",
                                           "Tribun Bangka 2025a"]
    legend = compact.legend(works).astext()
    assert legend == ("Sumber tabel: [1] Ansyari dan Fernanda 2026; [2] iNews Bangka 2024; "
                      "[3] Tribun Bangka 2025a")


def test_table_without_source_column_is_left_alone(doc_table):
    t = doc_table(["A", "B"], [["x", _cite("Ansyari dan Fernanda 2026")]], [50, 50])
    assert compact.compact_table(t) == []
    assert "Ansyari" in t.astext()


def test_fit_gives_short_cells_room_and_sums_to_100(doc_table):
    t = doc_table(["ID", "Pemilihan", "Ukuran", "Sumber"],
                  [["B01", "Pilkada 2020", "bagian menurut jabatan " * 4, "[1, 2]"]],
                  [5, 8, 60, 27])
    compact._fit(t, [3])
    widths = [s["colwidth"] for s in t.findall(nodes.colspec)]
    assert abs(sum(widths) - 100) < 0.1
    assert widths[1] >= 100 * (len("Pilkada 2020") + compact.PAD_CHARS) / compact.LINE_CHARS - 0.01
    assert widths[3] < 27  # the compact source column gives its room away
    assert widths[2] > 60  # ... to the long-text column
    cls = [e.get("classes", []) for e in t.findall(nodes.entry)]
    assert ["nt-short"] in cls  # "Pilkada 2020" stays on one line
    assert "nt-wide" not in t["classes"]  # its columns fit the text column


def test_a_table_whose_columns_need_more_than_the_text_column_is_wide(doc_table):
    # seven columns of short cells that should each stay on one line: 7 × 18 characters
    cells = ["3,648 (2025-10-08)", "25% (5%–57%)", "1,013 hari", "KASN, nasional",
             "Pilkada ulang 2025", "0.373 (1,597 ASN)", "[1, 2, 3]"]
    t = doc_table([f"Kolom {i}" for i in range(len(cells))], [cells], [1] * len(cells))
    compact._fit(t, [])
    assert "nt-wide" in t["classes"]
    widths = [s["colwidth"] for s in t.findall(nodes.colspec)]
    assert abs(sum(widths) - 100) < 0.1


def test_a_long_literal_beside_words_breaks_anywhere_and_short_cells_stay_on_one_line(doc_table):
    para = nodes.paragraph()
    para += nodes.Text("wajib; pola ")
    para += nodes.literal(text="^[A-Za-z0-9_.:-]+(;[A-Za-z0-9_.:-]+)*$")
    t = doc_table(["Kolom", "Batasan", "Bagian kota (selang 95%)"],
                  [["`id`", para, "100.0% (2.5%–100.0%)"]], [20, 50, 30])
    compact._fit(t, [])
    assert "nt-break-all" in next(t.findall(nodes.literal))["classes"]
    assert "nt-short" in list(t.findall(nodes.entry))[-1]["classes"]  # 20 characters: one line
