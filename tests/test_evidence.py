"""netralitas.evidence: checks, tables and figures on small synthetic frames built here."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.figure import Figure

from netralitas import evidence as ev
from netralitas import text
from netralitas.data import DataError
from netralitas.plots import evidence as pev
from netralitas.vocab import LabelError

TYPES = ["interview", "observation", "document", "news", "case", "statement"]


def _codebook():
    return pd.DataFrame({
        "code_id": ["M2", "M10", "F1", "M1", "T1"],
        "family": ["meaning", "meaning", "factor", "meaning", "theme"],
        "label_id": ["dua", "sepuluh", "faktor satu", "satu", "tema"],
        "label_en": ["two", "ten", "factor one", "one", "theme"],
        "definition": ["d"] * 5,
        "paper_section": ["D.2.b", "D.2.d", "D.4.a", "D.2.a", "A"],
        "source": ["k"] * 5,
    })


def _evidence(rows):
    cols = ["evidence_id", "code_id", "evidence_type", "ref", "finding", "coding"]
    df = pd.DataFrame(rows, columns=cols)
    df["ref"] = df["ref"].astype("string")
    df["summary"] = "s"
    df["source"] = "k"
    return df


def _quotes(codes, language="indonesian", gloss=None, ids=None):
    n = len(codes)
    return pd.DataFrame({
        "quote_id": ids or [f"Q{i + 1}" for i in range(n)],
        "informant_id": ["ASN-01"] * n,
        "language": [language] * n,
        "original": ["o"] * n,
        "gloss_id": pd.array([gloss] * n, dtype="string"),
        "english": ["e"] * n,
        "codes": codes,
        "source": ["k"] * n,
    })


# ------------------------------------------------------------------ checks


def test_unknown_code_in_list_names_file_line_and_column():
    q = _quotes(["M1;M2", "M1;X9"])
    msg = r"quotes\.csv, line 3 \(data row 2\), column 'codes': unknown code 'X9'"
    with pytest.raises(DataError, match=msg):
        ev.check_quote_codes(q, _codebook(), "quotes.csv")


def test_known_codes_pass_and_whitespace_is_ignored():
    ev.check_quote_codes(_quotes(["M1; M2", "T1"]), _codebook())


def test_empty_code_list_is_refused():
    with pytest.raises(DataError, match="no code"):
        ev.check_quote_codes(_quotes([";"]), _codebook())


def test_unknown_ref_is_refused_with_location():
    e = _evidence([["E1", "M1", "case", "V1", "d1", "paper"],
                   ["E2", "M1", "case", None, "d1", "paper"],
                   ["E3", "M1", "case", "V9", "d1", "paper"]])
    ev.check_refs(e.iloc[:2], {"V1": "violations.csv"})
    with pytest.raises(DataError, match=r"line 4 \(data row 3\), column 'ref': unknown reference 'V9'"):
        ev.check_refs(e, {"V1": "violations.csv"}, "evidence.csv")


def test_name_of_non_public_informant_is_refused():
    inf = pd.DataFrame({"informant_id": ["PJ-01", "ASN-01"],
                        "name": pd.array(["Wali", "Someone"], dtype="string"),
                        "public_figure": pd.array([True, False], dtype="boolean")})
    with pytest.raises(DataError, match=r"line 3 \(data row 2\), column 'name'"):
        ev.check_names(inf, "informants.csv")
    ev.check_names(inf.iloc[:1])


def test_bangka_malay_quote_needs_gloss():
    with pytest.raises(DataError, match="column 'gloss_id'"):
        ev.check_glosses(_quotes(["M1"], language="bangka_malay", gloss=None))
    ev.check_glosses(_quotes(["M1"], language="bangka_malay", gloss="glos"))
    ev.check_glosses(_quotes(["M1"], language="indonesian", gloss=None))


def test_quote_code_without_evidence_row_is_refused():
    q = _quotes(["M1;M2"], ids=["Q1"])
    e = _evidence([["E1", "M1", "interview", "Q1", "d2", "paper"]])
    with pytest.raises(DataError, match="code 'M2' of quotation 'Q1' has no evidence row"):
        ev.check_quote_evidence(q, e)
    e2 = _evidence([["E1", "M1", "interview", "Q1", "d2", "paper"],
                    ["E2", "M2", "statement", "Q1", "d2", "book"]])
    ev.check_quote_evidence(q, e2)


# ------------------------------------------------------------------ tables


def test_counts_keep_every_code_and_type_in_natural_order():
    e = _evidence([["E1", "M1", "interview", None, "d2", "paper"],
                   ["E2", "M1", "interview", None, "d2", "paper"],
                   ["E3", "M10", "news", None, "d2", "book"],
                   ["E4", "F1", "case", None, "d4", "paper"]])
    t = ev.counts(e, _codebook(), TYPES, family="meaning")
    assert t.index.tolist() == ["M1", "M2", "M10"]  # M2 (no items) kept; M10 after M2
    assert t.columns.tolist() == TYPES
    assert t.loc["M1", "interview"] == 2 and t.loc["M10", "news"] == 1
    assert t.loc["M2"].sum() == 0 and int(t.to_numpy().sum()) == 3  # F1 not counted


def test_counts_append_a_type_missing_from_the_list():
    e = _evidence([["E1", "M1", "survey", None, "d2", "paper"]])
    t = ev.counts(e, _codebook(), ["interview"], family="meaning")
    assert t.columns.tolist() == ["interview", "survey"]


def test_triangulation_counts_breadth_and_keeps_empty_findings():
    e = _evidence([["E1", "M1", "interview", None, "d1", "paper"],
                   ["E2", "M1", "news", None, "d1", "paper"],
                   ["E3", "M2", "news", None, "d1", "paper"],
                   ["E4", "F1", "case", None, "d4", "paper"]])
    t = ev.triangulation(e, TYPES, ["d1", "d2", "d3", "d4", "d5"])
    assert t.index.tolist() == ["d1", "d2", "d3", "d4", "d5"]
    assert t.loc["d1", "news"] == 2 and t.loc["d1", "total"] == 3 and t.loc["d1", "n_jenis"] == 2
    assert t.loc["d2", "total"] == 0 and t.loc["d4", "n_jenis"] == 1

def test_triangulation_display_puts_types_in_rows_and_findings_in_columns():
    e = _evidence([["E1", "M1", "interview", None, "d1", "paper"],
                   ["E2", "M1", "news", None, "d1", "paper"],
                   ["E3", "M2", "news", None, "d1", "paper"],
                   ["E4", "F1", "case", None, "d4", "paper"]])
    shown = ev.triangulation_display(ev.triangulation(e, ["interview", "news", "case"], ["d1", "d4"]))
    assert shown.columns.tolist() == ["Jenis bukti", "D.1 Struktur", "D.4 Faktor"]
    assert shown["Jenis bukti"].tolist() == ["wawancara", "berita", "kasus/peristiwa",
                                             "Jumlah jenis bukti", "Jumlah butir"]
    assert shown["D.1 Struktur"].tolist() == [1, 2, 0, 2, 3]
    assert shown["D.4 Faktor"].tolist() == [0, 0, 1, 1, 1]
    with pytest.raises(LabelError, match=r"data/vocabulary\.csv: 'd9' has no label in vocabulary 'finding'"):
        ev.finding_short("d9")  # an unknown finding is an error naming the row to add, never its raw id


def test_type_summary_counts_items_codes_findings():
    e = _evidence([["E1", "M1", "news", None, "d1", "paper"],
                   ["E2", "M2", "news", None, "d2", "paper"],
                   ["E3", "M2", "news", None, "d2", "paper"]])
    s = ev.type_summary(e, ["interview", "news"]).set_index("type")
    assert s.loc["news", "Butir"] == 3 and s.loc["news", "Kode"] == 2 and s.loc["news", "Temuan"] == 2
    assert s.loc["interview", "Butir"] == 0


def test_codebook_table_orders_by_family_then_code_and_counts_evidence():
    e = _evidence([["E1", "M2", "news", None, "d2", "paper"]])
    t = ev.codebook_table(_codebook(), e)
    assert t["Kode"].tolist() == ["M1", "M2", "M10", "F1", "T1"]
    assert t["Keluarga"].tolist() == ["makna", "makna", "makna", "faktor", "tema"]
    assert t.set_index("Kode").loc["M2", "Bukti"] == 1 and t.set_index("Kode").loc["M1", "Bukti"] == 0
    assert t["Label"].iloc[0] == "satu (*one*; bagian D.2.a)"
    one = ev.codebook_table(_codebook(), family="factor")
    assert one["Kode"].tolist() == ["F1"] and "Keluarga" not in one.columns and "Bukti" not in one.columns


def test_quotes_table_filters_by_family_and_drops_an_empty_gloss_column():
    q = _quotes(["M1", "F1", "F1;M2"], ids=["Q1", "Q2", "Q3"])
    inf = pd.DataFrame({"informant_id": ["ASN-01"], "role": ["ASN"]})
    t = ev.quotes_table(q, inf, _codebook(), family="meaning")
    assert t["Kutipan"].tolist() == ["Q1 (ASN-01)", "Q3 (ASN-01)"]
    assert ev.GLOSS_COLUMN not in t.columns  # no selected quotation has a gloss
    assert t["Kode"].iloc[1] == "M2; F1"  # codebook order: meanings before factors
    kept = ev.quotes_table(q, inf, _codebook(), family="meaning", gloss=True)
    assert kept[ev.GLOSS_COLUMN].tolist() == ["–", "–"]
    assert len(ev.quotes_widths(t)) == 5 and len(ev.quotes_widths(kept)) == 6
    assert "Melayu Bangka" in ev.quotes_note(t)
    assert ev.quotes_note(kept) == ""


def test_quotes_table_keeps_the_gloss_column_when_a_quotation_has_a_gloss():
    q = pd.concat([_quotes(["F1"], ids=["Q1"]),
                   _quotes(["F1"], language="bangka_malay", gloss="baku", ids=["Q2"])])
    inf = pd.DataFrame({"informant_id": ["ASN-01"], "role": ["ASN"]})
    t = ev.quotes_table(q, inf, _codebook(), family="factor")
    assert t[ev.GLOSS_COLUMN].tolist() == ["–", "baku"]
    assert ev.GLOSS_COLUMN not in ev.quotes_table(q, inf, _codebook(), gloss=False).columns


def test_informant_table_hides_names_of_non_public_informants():
    inf = pd.DataFrame({
        "informant_id": ["PJ-01", "ASN-01"], "institution": ["Pemkot", "Pemkot"],
        "role": ["Pj", "ASN"], "kind": ["public_statement", "interview"],
        "public_figure": pd.array([True, False], dtype="boolean"),
        "name": pd.array(["Wali", "Rahasia"], dtype="string"),
        "paper_section": ["D.2", "D.3"], "note": pd.array([None, "n"], dtype="string"), "source": ["k", "k"]})
    t = ev.informant_table(inf).set_index("Kode")
    assert t.loc["PJ-01", "Lembaga; peran"] == "Pemkot; Pj: Wali"
    assert t.loc["ASN-01", "Lembaga; peran"] == "Pemkot; ASN"
    assert "Rahasia" not in t.to_string()
    assert t.loc["ASN-01", "Cara"] == "wawancara"
    assert t.loc["ASN-01", "Catatan"] == "n (Bagian D.3.)" and t.loc["PJ-01", "Catatan"] == "Bagian D.2."


def test_evidence_items_sorted_by_code_type_and_id():
    e = _evidence([["E10", "F1", "case", None, "d4", "book"],
                   ["E2", "F1", "interview", "Q1", "d4", "paper"],
                   ["E9", "F1", "interview", None, "d4", "paper"],
                   ["E1", "M1", "news", None, "d2", "paper"]])
    t = ev.evidence_items(e, _codebook(), family="factor", types=TYPES)
    assert t["Bukti"].tolist() == ["E2 · wawancara · Q1 · D.4", "E9 · wawancara · D.4",
                                   "E10 · kasus/peristiwa · D.4"]
    assert t["Dikode oleh"].tolist() == ["makalah", "makalah", "buku ini"]


def test_merit_table_in_pillar_order():
    p = pd.DataFrame({"pillar_id": ["P10", "P2"], "label_id": ["b", "a"], "label_en": ["B", "A"],
                      "description": ["d", "d"], "asn_application": ["x", "y"],
                      "note": pd.array([None, "n"], dtype="string"), "source": ["k1", "k2"]})
    t = ev.merit_table(p)
    assert t["Pilar"].tolist() == ["a (*A*)", "b (*B*)"] and t["Sumber"].tolist() == ["k2", "k1"]
    assert t["Catatan rujukan"].tolist() == ["n", "–"]


def test_extreme_codes_keep_ties_and_join_labels_for_prose():
    v = pd.Series({"M1": 3, "M2": 1, "M10": 3})
    assert ev.extreme_codes(v) == ["M1", "M10"]
    assert ev.extreme_codes(v, largest=False) == ["M2"]
    assert ev.join_labels(["M1", "M2", "M10"], _codebook()) == "M1 · satu, M2 · dua dan M10 · sepuluh"
    assert ev.join_labels(["M2"], _codebook(), lang="en") == "M2 · two"
    assert ev.join_labels(["M1", "M2", "M10"], _codebook(), lang="en") == "M1 · one, M2 · two and M10 · ten"
    with pytest.raises(ValueError, match="lang"):
        ev.code_label("M1", _codebook(), lang="fr")


def test_count_en_pluralises():
    assert text.count_en(1, "kind") == "1 kind"
    assert text.count_en(2, "kind") == "2 kinds"
    assert text.count_en(0, "quotation") == "0 quotations"
    assert text.count_en(1200, "person", "people") == "1,200 people"


# ------------------------------------------------------------------ figures


def _meaning_counts():
    e = _evidence([["E1", "M1", "interview", None, "d2", "paper"],
                   ["E2", "M1", "news", None, "d2", "paper"],
                   ["E3", "M2", "news", None, "d2", "paper"]])
    return ev.counts(e, _codebook(), TYPES, family="meaning")


def test_meaning_figure_has_one_bar_per_code_and_type_segment():
    fig = pev.meaning_figure(_meaning_counts(), _codebook())
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    by_y = sorted(zip(ax.get_yticks(), (t.get_text() for t in ax.get_yticklabels())), reverse=True)
    assert [lab for _, lab in by_y] == ["M1 · satu", "M2 · dua", "M10 · sepuluh"]  # top to bottom
    # two types used (interview, news), each drawn for all three codes → 6 bar patches
    assert len(ax.patches) == 6
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["wawancara", "berita"]
    widths = sorted(p.get_width() for p in ax.patches)
    assert widths == [0, 0, 0, 1, 1, 1]


def test_factor_heatmap_shows_all_types_and_cell_values():
    e = _evidence([["E1", "F1", "interview", None, "d4", "paper"],
                   ["E2", "F1", "interview", None, "d4", "paper"],
                   ["E3", "F1", "case", None, "d4", "paper"]])
    t = ev.counts(e, _codebook(), TYPES, family="factor")
    fig = pev.factor_heatmap(t, _codebook())
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert len(ax.get_xticklabels()) == len(TYPES)
    assert [x.get_text() for x in ax.get_yticklabels()] == ["F1 · faktor satu"]
    assert sorted(x.get_text() for x in ax.texts) == ["0", "0", "0", "0", "1", "2"]


# ------------------------------------------------------------------ the project's data


def test_project_corpus_loads_and_every_code_and_finding_is_covered():
    c = ev.load()
    assert set(c.evidence["code_id"]) <= set(c.codebook["code_id"])
    assert set(c.findings) == set(c.evidence["finding"])  # every finding has evidence
    assert "interview" in c.types and "news" in c.types
    # privacy: names only for public office-holders
    named = c.informants[c.informants["name"].notna()]
    assert named["public_figure"].all()


@pytest.fixture()
def corpus_copy(tmp_path, monkeypatch):
    """A throw-away copy of data/ and references.bib (from wherever the package reads them)."""
    import shutil

    from netralitas import paths

    src = paths.root()
    shutil.copytree(src / "data", tmp_path / "data")
    shutil.copy(src / "references.bib", tmp_path / "references.bib")
    monkeypatch.setenv("NETRALITAS_ROOT", str(tmp_path))
    return tmp_path


def test_load_reports_an_unknown_code_in_quotes_csv(corpus_copy):
    path = corpus_copy / "data" / "quotes.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2].replace("F1;F3;F4;T4", "F1;F3;ZZ9;T4")  # quotation Q02, data row 2
    path.write_text("".join(lines), encoding="utf-8")
    msg = r"data/quotes\.csv, line 3 \(data row 2\), column 'codes': unknown code 'ZZ9'"
    with pytest.raises(DataError, match=msg):
        ev.load()


def test_load_reports_a_dangling_ref_in_evidence_csv(corpus_copy):
    path = corpus_copy / "data" / "evidence.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("E01,T5,case,V1,", "E01,T5,case,V99,"), encoding="utf-8")
    msg = r"data/evidence\.csv, line 2 \(data row 1\), column 'ref': unknown reference 'V99'"
    with pytest.raises(DataError, match=msg):
        ev.load()


def _texts(fig):
    from matplotlib.text import Text

    return [t for t in fig.findobj(Text) if t.get_text().strip()]


def test_figures_are_legible_at_page_width():
    """Page column ≈ 720 px at 1280 px: figures no wider than that, no text below 10 pt."""
    from netralitas.plots.style import FIG_DPI

    e = _evidence([["E1", "F1", "interview", None, "d4", "paper"],
                   ["E2", "M1", "news", None, "d2", "paper"]])
    figs = [pev.meaning_figure(_meaning_counts(), _codebook()),
            pev.factor_heatmap(ev.counts(e, _codebook(), TYPES, family="factor"), _codebook())]
    for fig in figs:
        assert fig.get_figwidth() * FIG_DPI <= 740
        sizes = [t.get_fontsize() for t in _texts(fig)]
        assert sizes and min(sizes) >= 10


# ------------------------------------------------------------------ independence (support_of)


def _records():
    violations = pd.DataFrame({
        "case_id": ["C1", "C2", "C3"],
        "public_record": ["confirmed", "partly_confirmed", "not_found"],
        "public_confirms": ["all of it", "only the report", None],
    })
    mutations = pd.DataFrame({"wave_id": ["W1", "W2"], "found_in_public": [True, False]})
    return ev.Records.of(quotes=pd.DataFrame({"quote_id": ["Q1"]}),
                         informants=pd.DataFrame({"informant_id": ["I1"]}),
                         violations=violations, mutations=mutations,
                         regulations=pd.DataFrame({"reg_id": ["law1"]}),
                         paper_keys={"paper2026"}, unconfirmed_keys={"blog"})


@pytest.mark.parametrize("key, etype, source, expected", [
    ("sec:D.3", None, None, "paper"),                 # 1 a section of the paper
    ("C1", "case", "paper2026", "independent"),       # 2 confirmed case, even as the paper tables it
    ("C2", "news", "press", "partial"),               # 2 partly confirmed: partial, even in the press
    ("C3", "case", "paper2026", "paper"),             # 2 not found
    ("W1", None, None, "independent"),                # 3 wave found in public
    ("W2", "case", "paper2026", "paper"),             # 3 wave only in the paper
    ("Q1", "news", "press", "independent"),           # 4 a news item on a quotation: the press
    ("Q1", "news", "paper2026;press", "paper"),       # 4 ... unless its source is the paper
    ("Q1", "statement", "paper2026;press", "paper"),  # 5 a quotation is the paper's report
    ("Q1", None, None, "paper"),
    ("law1", "document", "paper2026", "independent"),  # 6 a regulation
    ("I1", "interview", "paper2026", "paper"),        # 7 fieldwork
    (None, "observation", "press", "paper"),
    ("I1", "news", "press", "independent"),           # 4 the press about an informant
    (None, "statement", "press", "independent"),      # 8 a statement from a public source
    (None, "statement", "paper2026", "paper"),
    (None, "case", "paper2026;article", "paper"),     # 8 a source besides the paper is not enough
    (None, "document", None, "paper"),                # 8 no source at all
    ("Q1", "news", "blog", "unconfirmed"),            # 4 a source outside the fact list only
    ("Q1", "news", "blog;press", "independent"),      # 4 ... one confirmed source is enough
    (None, "statement", "blog", "unconfirmed"),       # 8 likewise
])
def test_support_of_applies_the_written_rule(key, etype, source, expected):
    assert ev.support_of(key, _records(), etype, source) == expected


def test_support_of_refuses_an_unknown_bare_key():
    with pytest.raises(DataError, match="unknown evidence key 'ZZ'"):
        ev.support_of("ZZ", _records())


def test_a_confirmed_case_must_say_what_is_confirmed():
    v = pd.DataFrame({"case_id": ["C1"], "public_record": ["partly_confirmed"],
                      "public_confirms": [None]})
    with pytest.raises(DataError, match=r"line 2 \(data row 1\), column 'public_confirms'"):
        ev.Records.of(violations=v)


def test_support_labels_exist_and_strongest_support_ranks_them():
    from netralitas import vocab

    assert [vocab.label("support", k) for k in ev.SUPPORT_ORDER]  # every term has a label
    assert ev.strongest_support(["paper", "partial"]) == "partial"
    assert ev.strongest_support(["paper", "independent", "partial"]) == "independent"
    assert ev.strongest_support([]) == "paper"
    assert ev.strongest_support(["paper", "unconfirmed"]) == "unconfirmed"
    assert ev.strongest_support(["unconfirmed", "partial"]) == "partial"


def test_the_book_counts_no_unconfirmed_source_as_independent():
    c = ev.load()
    recs = ev.records()
    sup = ev.support(c.evidence, recs)
    # (an item about a publicly confirmed case takes the case's support, whatever its source)
    alone = (c.evidence["source"].map(lambda v: set(ev.split_list(v)) <= set(recs.unconfirmed_keys))
             & ~c.evidence["ref"].isin(list(recs.cases)))
    assert alone.any() and (sup[alone] == "unconfirmed").all()


def test_support_by_finding_counts_independent_items_and_their_kinds():
    e = _evidence([
        ("E1", "M1", "case", "C1", "d1", "paper"),
        ("E2", "M1", "news", "C1", "d1", "book"),
        ("E3", "M1", "interview", "I1", "d1", "paper"),
        ("E4", "M1", "case", "C2", "d2", "paper"),
    ])
    e["source"] = ["paper2026", "press", "paper2026", "paper2026"]
    t = ev.support_by_finding(e, _records(), ["d1", "d2", "d3"])
    assert t.loc["d1", ["independent", "partial", "paper"]].tolist() == [2, 0, 1]
    assert t.loc["d1", "n_independent_types"] == 2
    assert t.loc["d2", "partial"] == 1 and t.loc["d3"].sum() == 0


def test_evidence_items_show_each_items_support():
    e = _evidence([("E1", "M1", "case", "C3", "d1", "paper"), ("E2", "M1", "news", "C1", "d1", "book")])
    e["source"] = ["paper2026", "press"]
    cells = ev.evidence_items(e, _codebook(), family="meaning", types=TYPES, recs=_records())["Bukti"]
    assert cells.tolist() == ["E2 · berita · C1 · D.1 · independen",
                              "E1 · kasus/peristiwa · C3 · D.1 · internal makalah"]


def test_book_evidence_support_counts():
    c = ev.load()
    sup = ev.support(c.evidence, ev.records())
    assert set(sup) <= set(ev.SUPPORT_ORDER)
    # quotations and the paper's own interviews are never independent
    assert (sup[c.evidence["evidence_type"] == "interview"] == "paper").all()
    assert (sup[c.evidence["ref"].isin(c.quotes["quote_id"])
                & (c.evidence["evidence_type"] != "news")] == "paper").all()


def test_triangulation_display_adds_independence_rows():
    e = _evidence([("E1", "M1", "case", "C1", "d1", "paper"), ("E2", "M1", "interview", "I1", "d1", "paper")])
    e["source"] = ["paper2026", "paper2026"]
    tri = ev.triangulation(e, TYPES, ["d1", "d2"])
    out = ev.triangulation_display(tri, ev.support_by_finding(e, _records(), ["d1", "d2"]))
    rows = out.set_index("Jenis bukti")
    assert rows.loc["Butir independen"].tolist() == [1, 0]
    assert rows.loc["Butir internal makalah"].tolist() == [1, 0]
    assert rows.loc["Jenis bukti independen"].tolist() == [1, 0]
    assert len(out) == len(TYPES) + 2 + 5


def test_only_independent_items_that_show_the_claim_corroborate_and_one_event_counts_once():
    e = _evidence([
        ("E1", "M1", "case", "C1", "d1", "paper"),        # confirmed case, shows the claim
        ("E2", "M1", "news", "C1", "d1", "book"),         # same event again: counted once
        ("E3", "M1", "document", "law1", "d1", "book"),   # a statute: independent, not the claim
        ("E4", "F1", "news", "C1", "d2", "paper"),        # independent but contrary
        ("E5", "M1", "interview", "I1", "d2", "paper"),   # fieldwork, content not reported
        ("E6", "M1", "news", None, "d3", "book"),         # independent news of the claim itself
    ])
    e["source"] = ["paper2026", "press", "law", "press", "paper2026", "press"]
    e["bears_on"] = ["claim", "claim", "event", "contrary", "no_content", "claim"]
    cor = ev.corroborates(e, _records())
    assert cor.tolist() == [True, True, False, False, False, True]
    t = ev.corroboration_by_finding(e, _records(), ["d1", "d2", "d3", "d4"])
    assert t["n_events"].tolist() == [1, 0, 1, 0]
    assert t.loc["d1", "events"] == "C1" and t.loc["d3", "events"] == "E6"
    # without the column nothing corroborates (the rule is opt-in, never assumed)
    assert not ev.corroborates(e.drop(columns="bears_on"), _records()).any()
    tri = ev.triangulation(e, TYPES, ["d1", "d2"])
    sup = ev.support_by_finding(e, _records(), ["d1", "d2"]).join(
        ev.corroboration_by_finding(e, _records(), ["d1", "d2"]))
    rows = ev.triangulation_display(tri, sup).set_index("Jenis bukti")
    assert rows.loc["Peristiwa independen yang menopang klaim"].tolist() == [1, 0, 1]


def test_book_meanings_and_factors_have_no_independent_evidence_of_their_claim():
    from netralitas import vocab

    c = ev.load()
    recs = ev.records()
    assert set(c.evidence["bears_on"]) <= set(vocab.terms("bears_on"))
    for family in ("meaning", "factor"):
        s = ev.family_summary(c, family, recs)
        assert s["n_codes_independent"] == 0, family
        assert s["codes_uncorroborated"] == list(s["table"].index)
    cor = ev.corroborates(c.evidence, recs)
    # statutes, interviews and observations never corroborate a finding
    assert not cor[c.evidence["evidence_type"].isin(["document", "interview", "observation"])].any()
    # the governor's "salah imam" (provincial officials) is no longer coded as a meaning
    q06 = c.evidence[c.evidence["ref"] == "Q06"]
    assert "M4" not in set(q06["code_id"])
    # the patronage item that speaks against F1 is marked so
    assert (c.evidence.loc[(c.evidence["code_id"] == "F1") & (c.evidence["ref"] == "V4"),
                           "bears_on"] == "contrary").all()
    t = ev.corroboration_by_finding(c.evidence, recs, c.findings)
    assert t.loc[["d2", "d3", "d4"], "n_events"].tolist() == [0, 0, 0]
