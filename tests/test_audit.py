"""Audits: the logic on small synthetic inputs built here, then the real data and book wiring."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from netralitas import bib, data, paths, text, vocab
from netralitas import citations as ci
from netralitas import claims as cl
from netralitas import coreq as cq
from netralitas import manifest as mf
from netralitas import regulations as rg
from netralitas.bib import Entry
from netralitas.data import DataError

PAPER = "paperkey"


def _claims(*rows):
    cols = ["claim_id", "section", "claim", "stated_value", "unit", "qualifier", "check_kind",
            "check_ref", "assumption", "note", "source"]
    return pd.DataFrame([dict(zip(cols, r + ("", "why", PAPER))) for r in rows])


def _tables():
    indicators = pd.DataFrame({
        "indicator_id": ["asn", "pop-paper", "opd-old", "opd-new"],
        "value": [50.0, 1000.0, 15.0, 18.0],
        "ref_period": ["2025", None, "2024-01-15", "2024-01-15"],
        "source": ["news1", PAPER, "news2", f"{PAPER};news2"],
    })
    mutations = pd.DataFrame({
        "wave_id": ["W1", "W2", "W3"],
        "count": pd.array([10, 20, None], dtype="Int64"),
        "found_in_public": pd.array([True, False, False], dtype="boolean"),
        "source": ["news3", PAPER, PAPER],
    })
    regulations = pd.DataFrame({
        "reg_id": ["old_law", "new_law"], "in_force_at_events": ["no", "yes"],
        "source": ["news4", "news4"]})
    searches = pd.DataFrame({"search_id": ["S1", "S2"], "table": ["indicators", "mutations"],
                             "row_id": ["pop-paper", "W2"]})
    return {"indicators": indicators, "mutations": mutations, "regulations": regulations,
            "searches": searches}


def _verdicts(claims, tables=None, **kw):
    out = cl.check_claims(claims, tables if tables is not None else _tables(), paper_keys={PAPER},
                             **kw)
    return dict(zip(out["claim_id"], out["verdict"])), out.set_index("claim_id")


# ------------------------------------------------------------------ claims
def test_recompute_finds_a_ratio_that_does_not_hold():
    claims = _claims(
        ("C1", "s", "asn", "50", "orang", "exact", "none", ""),
        ("C2", "s", "pop", "1000", "jiwa", "exact", "none", ""),
        ("C3", "s", "ratio stated as about 1/100", "1/100", "rasio", "about", "recompute", "C1 / C2"),
        ("C4", "s", "ratio stated as about 1/20", "1/20", "rasio", "about", "recompute", "C1/C2"),
    )
    verdicts, out = _verdicts(claims)
    # 50 / 1000 = 0.05: five times 0.01 (discrepant), equal to 1/20 (consistent)
    assert verdicts == {"C1": "not_checkable", "C2": "not_checkable", "C3": "discrepant",
                        "C4": "consistent"}
    assert out.loc["C3", "gap"] == pytest.approx(0.04)
    assert "+400%" in out.loc["C3", "gap_text"]
    assert out.loc["C4", "gap_text"] == ""


def test_more_than_and_at_least_against_the_listed_parts():
    claims = _claims(
        ("C1", "s", "wave a", "140", "ASN", "exact", "none", ""),
        ("C2", "s", "wave b", "79", "ASN", "exact", "none", ""),
        ("C3", "s", "wave c", "17", "ASN", "exact", "none", ""),
        ("C4", "s", "more than 300 in all", "300", "ASN", "more_than", "recompute", "C1 + C2 + C3"),
        ("C5", "s", "more than 200 in all", "200", "ASN", "more_than", "recompute", "C1 + C2 + C3"),
        ("C6", "s", "at least five waves", "5", "waves", "at_least", "recompute",
         "count(C1, C2, C3)"),
        ("C7", "s", "at least three waves", "3", "waves", "at_least", "recompute",
         "count(C1, C2, C3)"),
    )
    verdicts, out = _verdicts(claims)
    assert verdicts["C4"] == "discrepant" and out.loc["C4", "gap"] == -64  # 236 - 300
    assert verdicts["C5"] == "consistent"
    assert verdicts["C6"] == "discrepant" and out.loc["C6", "gap"] == -2
    assert verdicts["C7"] == "consistent"


def test_count_skips_empty_data_cells():
    claims = _claims(("C1", "s", "waves with a number", "1", "waves", "exact", "recompute",
                      "count(mutations:W2, mutations:W3)"))
    verdicts, _ = _verdicts(claims)
    assert verdicts["C1"] == "consistent"  # W3 has no count


def test_public_source_verdicts():
    claims = _claims(
        ("C1", "s", "asn", "50", "orang", "exact", "public_record", "indicators:asn"),
        ("C2", "s", "asn wrong", "60", "orang", "exact", "public_record", "indicators:asn"),
        ("C3", "s", "population only in the paper", "1000", "jiwa", "exact", "public_record",
         "indicators:pop-paper"),
        ("C4", "s", "wave flagged absent from public sources", "20", "ASN", "exact",
         "public_record", "mutations:W2"),
        ("C5", "s", "three agencies added", "3", "dinas", "exact", "public_record",
         "indicators:opd-new - indicators:opd-old"),
        ("C6", "s", "added in March 2026", "2026-03", "date", "exact", "public_record",
         "indicators:opd-new.ref_period"),
        ("C7", "s", "added in 2024", "2024", "year", "exact", "public_record",
         "indicators:opd-new.ref_period"),
        ("C8", "s", "law in force", "yes", "status", "exact", "public_record",
         "regulations:old_law"),
        ("C9", "s", "either figure", "50", "orang", "exact", "public_record",
         "indicators:opd-old; indicators:asn"),
    )
    verdicts, out = _verdicts(claims)
    assert verdicts == {"C1": "consistent", "C2": "contradicted", "C3": "not_found",
                        "C4": "not_found", "C5": "consistent", "C6": "contradicted",
                        "C7": "consistent", "C8": "contradicted", "C9": "consistent"}
    assert out.loc["C2", "gap"] == -10
    assert out.loc["C6", "found"] == "2024-01" and out.loc["C6", "gap"] == -26  # months
    assert out.loc["C8", "found"] == "no" and math.isnan(out.loc["C8", "gap"])


def test_about_tolerance_is_a_parameter():
    claims = _claims(("C1", "s", "about 55", "55", "orang", "about", "public_record",
                      "indicators:asn"))
    assert _verdicts(claims)[0]["C1"] == "consistent"  # |50-55|/55 = 9 % <= 10 %
    assert _verdicts(claims, tolerance=0.05)[0]["C1"] == "contradicted"


def test_adding_a_row_changes_the_counts():
    base = [("C1", "s", "asn", "50", "orang", "exact", "public_record", "indicators:asn")]
    before = cl.verdict_counts(cl.check_claims(_claims(*base), _tables(),
                                                     paper_keys={PAPER}))
    more = base + [("C2", "s", "wrong", "51", "orang", "exact", "public_record", "indicators:asn")]
    after = cl.verdict_counts(cl.check_claims(_claims(*more), _tables(), paper_keys={PAPER}))
    assert list(before.index) == cl.VERDICTS
    assert (before["contradicted"], after["contradicted"]) == (0, 1)


@pytest.mark.parametrize("ref, message", [
    ("C9 + C1", "unknown claim id 'C9'"),
    ("indicators:nope", "no row 'nope' in data/indicators.csv"),
    ("nosuch:asn", "unknown table 'nosuch'"),
    ("indicators:asn.colour", "no column 'colour'"),
    ("C1 ** 2", "Pow is not allowed"),
    ("__import__('os')", "is not allowed"),
    ("C1.real", "is not allowed"),
])
def test_bad_references_name_the_line_and_column(ref, message):
    claims = _claims(("C1", "s", "a", "1", "x", "exact", "none", ""),
                     ("C2", "s", "b", "1", "x", "exact", "recompute", ref))
    with pytest.raises(DataError) as info:
        cl.check_claims(claims, _tables(), where="data/claims.csv")
    msg = str(info.value)
    assert msg.startswith("data/claims.csv, line 3 (claim C2), column 'check_ref'")
    assert message in msg


def test_public_source_may_not_use_claim_ids():
    claims = _claims(("C1", "s", "a", "1", "x", "exact", "public_record", "C1"))
    with pytest.raises(DataError, match="data refs only"):
        cl.check_claims(claims, _tables())


def test_parse_number_accepts_fractions_only_of_numbers():
    assert cl.parse_number("1/100") == 0.01
    assert cl.parse_number("3648") == 3648
    with pytest.raises(ValueError):
        cl.parse_number("C1")


@pytest.mark.parametrize("ref, label", [
    ("regulations:uu5_2014.in_force_at_events",
     "regulations.csv, baris uu5_2014 (berlaku saat peristiwa)"),
    ("indicators:a-1 - indicators:b", "indicators.csv, baris a-1 \u2212 baris b"),
    ("indicators:a - mutations:W1", "indicators.csv, baris a \u2212 mutations.csv, baris W1"),
    ("C13 / C14", "hitung ulang: C13 / C14"),
    ("count(C1, C2)", "hitung ulang: banyaknya C1, C2"),
    ("indicators:x; indicators:y.ref_period",
     "indicators.csv, baris x atau indicators.csv, baris y (periode)"),
    ("", "\u2013"), (None, "\u2013"),
])
def test_ref_label_reads_as_words(ref, label):
    assert cl.ref_label(ref) == label


def test_claims_table_is_in_indonesian_with_readable_references():
    claims = _claims(
        ("C1", "s", "asn", "50", "orang", "exact", "public_record", "indicators:asn"),
        ("C2", "s", "asn wrong", "4000", "orang", "about", "public_record", "indicators:asn"),
        ("C3", "s", "history", "32", "tahun", "exact", "none", ""))
    table = cl.claims_table(cl.check_claims(claims, _tables(), paper_keys={PAPER}))
    assert list(table.columns) == ["ID", "Klaim", "Dinyatakan", "Dasar periksa",
                                   "Hasil periksa", "Putusan"]
    assert table["Putusan"].tolist() == ["konsisten", "dibantah", "tak dapat diperiksa"]
    assert table["Dasar periksa"].tolist() == ["indicators.csv, baris asn"] * 2 + [
        vocab.label("check_kind", "none", short=True)]
    assert table.loc[1, "Dinyatakan"] == "sekitar 4,000 orang"  # international grouping
    assert table.loc[1, "Hasil periksa"].startswith("50; selisih -3,950")
    assert not any("\u200b" in str(v) for v in table.to_numpy().ravel())


# ------------------------------------------------------------------ the paper's citations
def test_citation_audit_finds_every_kind_of_gap():
    citations = pd.DataFrame({
        "citation_id": ["T1", "T2", "T3", "T4", "T5", "T6", "T7"],
        "author_text": ["Adams", "Brown et al.", "Smyth", "Walker", "Quinn & Rowe", "Nobody",
                        "Org, Code"],
        "year_text": ["2020", "2021", "2018", "2017", "2015", "2019", None],
        "bib_key": ["a", "b", "s", "w", "q", "n", "o"]})
    reference_list = pd.DataFrame({
        "ref_id": ["R1", "R2", "R3", "R4", "R5", "R6", "R7"],
        "position": [1, 2, 3, 4, 5, 6, 7],
        "author_text": ["Adams, J.", "Brown, A., Cole, B., & Dunn, C.", "Zeta, Z.", "Quinn, Q.",
                        "Smith, S.", "Walker, W.", "Young, Y."],
        "year": [2020, 2021, 2010, 2015, 2018, 2016, 2012],
        "bib_key": ["a", "b", "z", "q", "s", "w", "y"]})
    entries = {"y": Entry("y", "article", {"author": "Young, Y. and Other, O.", "year": "2012",
                                           "title": "t"}, 1)}
    found = ci.check_paper_citations(citations, reference_list, entries)
    got = set(zip(found["kind"], found["item"]))
    assert got == {
        ("cited_not_listed", "T6"), ("cited_not_listed", "T7"), ("no_year", "T7"),
        ("spelling_mismatch", "T3"),          # Smyth 2018 vs Smith 2018
        ("year_mismatch", "T4"),              # Walker 2017 vs 2016
        ("author_count_mismatch", "T5"),      # Quinn & Rowe vs Quinn alone
        ("author_count_mismatch", "R7"),      # list: one author; record: two
        ("listed_not_cited", "R3"), ("listed_not_cited", "R7"),
        ("order", "R3"),                      # Zeta printed between Brown and Quinn
    }


def test_citation_audit_flags_a_source_that_does_not_fit_and_a_self_contradicting_record():
    citations = pd.DataFrame({
        "citation_id": ["T1", "T2"], "author_text": ["Adams", "Brown"],
        "year_text": ["2020", "2021"], "bib_key": ["a", "b"],
        "fit": ["mismatch", "not_assessed"], "fit_note": ["a news report cited for a concept", None]})
    reference_list = pd.DataFrame({
        "ref_id": ["R1", "R2"], "position": [1, 2], "author_text": ["Adams, J.", "Brown, B."],
        "year": [2020, 2021], "bib_key": ["a", "b"]})
    entries = {"b": Entry("b", "article", {"author": "Brown, B.", "year": "2021", "title": "t",
                                           "volume": "6", "doi": "10.1/x.v5i1.2690"}, 1)}
    found = ci.check_paper_citations(citations, reference_list, entries)
    got = {(k, i): d for k, i, d in zip(found["kind"], found["item"], found["detail"])}
    assert got == {("source_fit", "T1"): "a news report cited for a concept",
                   ("record_conflict", "R2"): "volume tercetak 6, DOI menyebut volume 5 nomor 1"}
    assert set(vocab.terms("citation_kind")) >= {"source_fit", "record_conflict"}
    real = data.load("paper_citations")
    assert ci.fit_summary(real)["mismatch"] == int((real["fit"] == "mismatch").sum()) > 0
    assert real.loc[real["fit"] == "mismatch", "fit_note"].notna().all()  # a reason each


def test_author_count_forms():
    assert ci.author_count("Pratama et al.") is None
    assert ci.author_count("Pardede & Kristian") == 2
    assert ci.author_count("Firnas") == 1
    assert ci.author_count("Budiman, A., Yuwanto, Y., Nurhidayat, N., & Alfirdaus, L. K.",
                              "list") == 4
    assert ci.author_count("Berg, B. L. & Lune, H.", "list") == 2
    assert ci.author_count("Asrinaldi", "list") == 1
    assert ci.first_author("Pratama et al.") == ci.first_author("Pratama, W. Y., & X, Y.")


def test_out_of_order_moves_the_fewest_entries():
    assert ci._out_of_order(["a", "b", "z", "c", "d"]) == [2]
    assert ci._out_of_order(["a", "b", "c"]) == []


# ------------------------------------------------------------------ the book's own citations
def test_book_citations_resolve_and_every_entry_is_used(tmp_path):
    book = tmp_path / "book"
    book.mkdir()
    (book / "page.md").write_text("Teks {cite:p}`k1,k2` dan {cite:t}`ghost`; kode `{cite}` saja.\n",
                                  encoding="utf-8")
    nb = {"cells": [{"cell_type": "code", "source": "x", "metadata": {}, "outputs": [
        {"output_type": "display_data", "metadata": {},
         "data": {"application/papermill.record/text/markdown": "* - {cite:p}`k3`"}}]}],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (book / "ch.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    cited = ci.book_cite_keys(book)
    assert cited == {"k1": {"page.md"}, "k2": {"page.md"}, "ghost": {"page.md"},
                     "k3": {"ch.ipynb"}}

    def entry(key, **f):
        return Entry(key, "misc", {"title": "t", "year": "2020", **f}, 1)

    entries = {k: entry(k) for k in ("k1", "k2", "k3", "d1", "idle")}
    entries["lst"] = entry("lst", keywords="listed")
    out = ci.check_book_citations(entries, cited, {"d1"}).set_index("key")["status"]
    assert out.to_dict() == {"ghost": "unresolved", "d1": "used_in_data", "idle": "unused",
                             "k1": "used_in_book", "k2": "used_in_book", "k3": "used_in_book",
                             "lst": "listed"}
    book = ci.check_book_citations(entries, cited, {"d1"})
    summary = ci.book_citation_summary(book)
    assert summary["Jumlah kunci"].tolist() == [1, 3, 1, 1, 1]  # unresolved, book, data, …
    assert summary["Status"].tolist() == list(vocab.labels("book_citation_status").values())
    assert ci.keys_markdown(book, "used_in_book") == "`k1`, `k2`, `k3`"
    assert ci.keys_markdown(book[book["status"] != "unused"], "unused") == "\u2013"


def test_count_en_pluralises():
    assert text.count_en(1, "case") == "1 case"
    assert text.count_en(0, "case") == "0 cases"
    assert text.count_en(2, "entry", "entries") == "2 entries"
    assert text.count_en(1200, "item") == "1,200 items"


def test_data_keys_reads_source_and_bib_key_columns():
    tables = {"a": pd.DataFrame({"source": ["x;y", "z"]}),
              "b": pd.DataFrame({"bib_key": ["w", None], "source": ["x", "x"]})}
    assert ci.data_keys(tables) == {"w", "x", "y", "z"}


# ------------------------------------------------------------------ legal currency, COREQ
def test_legal_currency_follows_the_chain_and_flags_reliance_on_repealed_law():
    regs = pd.DataFrame({
        "reg_id": ["a", "b", "c", "d"],
        "instrument": ["UU A tentang X", "UU B tentang X", "UU C tentang X", "PP D"],
        "article": [None, None, None, None], "subject": ["x"] * 4,
        "cited_in_paper": ["explicit", "no", "no", "explicit"],
        "in_force_at_events": ["no", "no", "yes", "yes"],
        "status_today": ["repealed", "repealed", "in_force", "in_force"],
        "superseded_by": ["b", "c", None, None],
        "source": ["s"] * 4})
    out = rg.legal_currency(regs).set_index("reg_id")
    assert list(out.index) == ["a", "d"]
    assert out.loc["a", "successor"] == "UU B → UU C"
    assert out["relied_on_repealed"].to_dict() == {"a": True, "d": False}
    regs.loc[2, "superseded_by"] = "a"
    with pytest.raises(ValueError, match="cycle"):
        rg.legal_currency(regs)


def test_legal_table_has_five_indonesian_columns_and_names_the_successor():
    regs = pd.DataFrame({
        "reg_id": ["a", "b"], "instrument": ["UU A tentang X", "UU B tentang X"],
        "article": [None, None], "subject": ["x", "x"], "cited_in_paper": ["explicit", "no"],
        "in_force_at_events": ["no", "yes"], "status_today": ["repealed", "in_force"],
        "superseded_by": ["b", None], "source": ["s1;s2", "s1"]})
    table = rg.regulations_table(rg.legal_currency(regs), subject=False)
    # one table with chapter A (regulations_table): the column is "Dikutip makalah" there too
    assert list(table.columns) == ["Instrumen", "Dikutip makalah", "Berlaku saat peristiwa",
                                   "Status kini", "Sumber"]
    assert table.iloc[0].tolist() == ["UU A tentang X", "eksplisit", "tidak",
                                      "dicabut; diganti UU B", "s1;s2"]


def test_coreq_by_domain_counts_every_status_in_domain_order():
    coreq = pd.DataFrame({"domain": ["2 Desain", "1 Tim", "1 Tim", "2 Desain", "2 Desain"],
                          "paper_status": ["reported", "not_reported", "not_reported", "partly",
                                           "not_reported"]})
    out = cq.coreq_by_domain(coreq)
    assert list(out.columns) == ["Ranah", "Dilaporkan", "Sebagian", "Tidak dilaporkan",
                                 "Jumlah butir"]
    assert out.values.tolist() == [["1 Tim", 0, 0, 2, 2], ["2 Desain", 1, 1, 1, 3]]
    coreq.loc[0, "paper_status"] = "maybe"
    with pytest.raises(DataError, match="paper_status.*maybe"):
        cq.coreq_by_domain(coreq)


def test_coreq_table_links_chapters_and_sorts_items():
    coreq = pd.DataFrame({"item": [2, 1], "item_name_id": ["Gelar", "Pewawancara"],
                          "guide_question": ["q2", "q1"],
                          "paper_status": ["partly", "not_reported"],
                          "paper_section": ["C", "not reported"],
                          "book_chapter": ["ch-c;ch-e", None],
                          "book_role": ["reconstructed", None]})
    out = cq.coreq_table(coreq)
    role = vocab.label("coreq_book_role", "reconstructed", short=True)
    assert out.values.tolist() == [
        [1, "Pewawancara", "q1", "tidak dilaporkan", "\u2013", "\u2013"],
        [2, "Gelar", "q2", "sebagian", "C", f"{role}: {{ref}}`ch-c`, {{ref}}`ch-e`"]]


def test_coreq_summary_counts():
    coreq = pd.DataFrame({"paper_status": ["reported", "partly", "not_reported", "not_reported"],
                          "book_chapter": ["", "ch-x", "ch-y", None],
                          "book_role": [None, "reconstructed", "assessed", None]})
    # no 'completed by the book' count: a reconstruction is not the study's reporting
    assert cq.coreq_summary(coreq) == {"items": 4, "reported": 1, "partly": 1,
                                          "not_reported": 2, "book_reconstructed": 1,
                                          "book_assessed": 1, "book_touched": 2,
                                          "book_where_not_reported": 2}


def test_real_coreq_book_roles_are_reconstructions_or_assessments_never_completions():
    coreq = data.load("coreq")
    has_chapter = coreq["book_chapter"].notna()
    assert (coreq["book_role"].notna() == has_chapter).all()
    assert set(coreq["book_role"].dropna()) <= set(vocab.terms("coreq_book_role"))
    assert not any("added" in key or "complet" in key for key in cq.coreq_summary(coreq))


# ------------------------------------------------------------------ manifest
def _nb(glue_name, label, shown=True, in_output=True):
    out = {"output_type": "display_data",
           "metadata": {"scrapbook": {"name": glue_name, "mime_prefix": "x/"}},
           "data": {"x/text/markdown": f":::{{list-table}} T\n:name: {label}\n:::"
                    if in_output else "2"}}
    md = f"```{{glue:md}} {glue_name}\n:format: myst\n```" if shown else "nothing"
    return {"cells": [{"cell_type": "code", "source": "glue()", "metadata": {}, "outputs": [out]},
                      {"cell_type": "markdown", "source": md, "metadata": {}}],
            "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def _manifest(**over):
    row = {"item_id": "B-X", "origin": "book", "kind": "table", "title": "T",
           "file": "book/x.ipynb", "glue": "x_tbl", "label": "tbl-x", "regenerated_by": None}
    row.update(over)
    paper = {"item_id": "P-X", "origin": "paper", "kind": "table", "title": "Tabel X",
             "file": None, "glue": None, "label": None, "regenerated_by": "B-X"}
    return pd.DataFrame([paper, row])


def test_manifest_passes_when_glue_display_and_label_exist(tmp_path):
    (tmp_path / "book").mkdir()
    (tmp_path / "book/x.ipynb").write_text(json.dumps(_nb("x_tbl", "tbl-x")), encoding="utf-8")
    assert mf.check_manifest(_manifest(), tmp_path) == []
    html = tmp_path / "html/book"
    html.mkdir(parents=True)
    (html / "x.html").write_text('<table id="tbl-x">', encoding="utf-8")
    assert mf.check_manifest(_manifest(), tmp_path, tmp_path / "html") == []
    (html / "x.html").write_text("<table>", encoding="utf-8")
    assert mf.check_manifest(_manifest(), tmp_path, tmp_path / "html") == [
        'B-X: id="tbl-x" missing from x.html']


def test_manifest_fails_for_missing_glue_display_label_or_item(tmp_path):
    (tmp_path / "book").mkdir()
    nb_path = tmp_path / "book/x.ipynb"
    nb_path.write_text(json.dumps(_nb("other", "tbl-x")), encoding="utf-8")
    problems = mf.check_manifest(_manifest(), tmp_path)
    assert any("no stored glue output 'x_tbl'" in p for p in problems)
    assert any("no Markdown cell displays glue 'x_tbl'" in p for p in problems)
    nb_path.write_text(json.dumps(_nb("x_tbl", "tbl-y")), encoding="utf-8")
    assert mf.check_manifest(_manifest(), tmp_path) == [
        "B-X: label 'tbl-x' not defined in book/x.ipynb"]
    bad = _manifest()
    bad.loc[0, "regenerated_by"] = "B-NONE"
    assert "P-X: regenerated_by 'B-NONE' is not an item_id" in mf.check_manifest(bad, tmp_path)
    assert mf.check_manifest(_manifest(file="book/none.ipynb"), tmp_path) == [
        "B-X: file book/none.ipynb not found"]
    nb_path.write_text(json.dumps(_nb("x_tbl", "tbl-x")), encoding="utf-8")
    numbered = mf.check_manifest(_manifest(number="Tabel St.1"), tmp_path)
    assert len(numbered) == 1 and numbered[0].startswith("B-X: number 'Tabel St.1' is set")
    retitled = mf.check_manifest(_manifest(title="Judul lain"), tmp_path)
    assert len(retitled) == 1 and "does not carry the manifest title 'Judul lain'" in retitled[0]


def test_labelled_items_finds_tables_and_figures_in_pages_cells_and_outputs(tmp_path):
    book = tmp_path / "book"
    book.mkdir()
    nb = _nb("x_tbl", "tbl-x")
    nb["cells"].append({"cell_type": "markdown", "metadata": {}, "source":
                        "Teks `:name:` saja.\n```{glue:figure} x_fig\n:alt: a\n:name: fig-x\n\nCap\n```"})
    nb["cells"].append({"cell_type": "markdown", "metadata": {},
                        "source": "```{glue:md} other\n:format: myst\n```"})  # no label
    (book / "x.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    (book / "a.md").write_text("```{figure} p.png\n:name: fig-a\n```\n", encoding="utf-8")
    items = mf.labelled_items(book, pages=["book/x", "book/a"])
    assert items.values.tolist() == [["book/x.ipynb", "tbl-x", "table", "x_tbl"],
                                     ["book/x.ipynb", "fig-x", "figure", "x_fig"],
                                     ["book/a.md", "fig-a", "figure", ""]]
    manifest = pd.DataFrame({"file": ["book/x.ipynb", "book/a.md", None],
                             "label": ["tbl-x", "fig-a", None]})
    problems = mf.unlisted_items(manifest, items)
    assert len(problems) == 1 and problems[0].startswith("book/x.ipynb: label 'fig-x'")


def test_manifest_tables_link_items_and_show_no_invented_numbers():
    manifest = _manifest(number="Tabel Z.9", title="Judul buku", chapter="ch-x")
    manifest.loc[0, ["number", "title", "paper_section"]] = ["Tabel 1", "Judul makalah", "D.1"]
    paper, book = mf.manifest_tables(manifest)
    assert paper.iloc[0].tolist() == ["Tabel 1 makalah", "Judul makalah", "D.1",
                                      "{numref}`tbl-x`"]
    assert book.iloc[0].tolist() == ["{numref}`tbl-x`", "Judul buku", "{ref}`ch-x`", "`x_tbl`"]
    assert list(book.columns) == ["Butir", "Judul", "Bab", "Nama glue"]
    assert "Z.9" not in book.to_string()
    extra = {"number": "", "title": "t", "chapter": "ch-x", "paper_section": None}
    two = pd.concat([_manifest(label="tbl-late", file="book/z.ipynb", **extra),
                     _manifest(item_id="B-Y", label="tbl-early", file="book/a.ipynb",
                               **extra).iloc[[1]]])
    _, book = mf.manifest_tables(two, pages=["book/a", "book/z"])
    assert book["Butir"].tolist() == ["{numref}`tbl-early`", "{numref}`tbl-late`"]
    _, book = mf.manifest_tables(two)
    assert book["Butir"].tolist() == ["{numref}`tbl-late`", "{numref}`tbl-early`"]


# ------------------------------------------------------------------ the real data and book
def test_real_claims_are_all_checked_with_known_verdicts():
    tables = data.load_all()
    out = cl.check_claims(tables["claims"], tables)
    assert len(out) == len(tables["claims"]) and set(out["verdict"]) <= set(cl.VERDICTS)
    assert cl.verdict_counts(out).sum() == len(out)


def test_real_citation_keys_exist_in_the_bibliography():
    keys = bib.keys()
    for name in ("paper_citations", "paper_reference_list"):
        frame = data.load(name)
        missing = set(frame["bib_key"].dropna()) - keys
        assert not missing, f"data/{name}.csv: bib_key not in references.bib: {sorted(missing)}"


def test_real_coreq_has_the_32_items_and_book_chapters_exist():
    coreq = data.load("coreq")
    assert sorted(coreq["item"].tolist()) == list(range(1, 33))
    assert ((coreq["paper_status"] == "not_reported") == (coreq["paper_section"] == "not reported")).all()
    labels = mf.chapter_labels(paths.book_dir())
    for value in coreq["book_chapter"].dropna():
        for label in bib.split_keys(value):
            assert label in labels, f"data/coreq.csv: book_chapter '{label}' is not a chapter label"


def test_real_book_citations_resolve_and_every_bib_entry_is_used():
    entries = bib.parse()
    cited = ci.book_cite_keys(paths.book_dir())
    result = ci.check_book_citations(entries, cited, ci.data_keys(data.load_all()))
    unresolved = result[result["status"] == "unresolved"]
    assert unresolved.empty, "cited in book/ but not in references.bib: " + ", ".join(
        f"{k} ({p})" for k, p in zip(unresolved["key"], unresolved["pages"]))
    unused = result.loc[result["status"] == "unused", "key"].tolist()
    assert not unused, ("references.bib entries used nowhere (cite them, name them in a data "
                        f"`source`, or add keywords = {{listed}}): {unused}")


def test_manifest_html_check_uses_the_docutils_id_of_a_label(tmp_path):
    # a label with an underscore is written by Sphinx as an id with a hyphen
    (tmp_path / "book").mkdir()
    (tmp_path / "book/x.ipynb").write_text(json.dumps(_nb("x_tbl", "tbl-x_y")), encoding="utf-8")
    manifest = _manifest(label="tbl-x_y")
    html = tmp_path / "html/book"
    html.mkdir(parents=True)
    (html / "x.html").write_text('<table id="tbl-x-y">', encoding="utf-8")
    assert mf.check_manifest(manifest, tmp_path, tmp_path / "html") == []
    (html / "x.html").write_text('<table id="tbl-x_y">', encoding="utf-8")
    assert mf.check_manifest(manifest, tmp_path, tmp_path / "html") == [
        'B-X: id="tbl-x-y" missing from x.html']


def test_real_manifest_items_have_their_generating_glue_and_label():
    manifest = data.load("manifest")
    problems = mf.check_manifest(manifest, paths.root())
    assert not problems, "\n".join(problems)


def test_real_manifest_items_are_in_the_built_html_when_the_build_is_current():
    html = paths.root() / "_build/html"
    manifest = data.load("manifest")
    book = manifest[manifest["origin"] == "book"]
    pages = [html / f.replace(".ipynb", ".html") for f in book["file"]]
    notebooks = [paths.root() / f for f in book["file"]]
    if not all(p.exists() for p in pages) or any(
            p.stat().st_mtime < n.stat().st_mtime for p, n in zip(pages, notebooks)):
        pytest.skip("_build/html is missing or older than the notebooks (run make book)")
    problems = mf.check_manifest(manifest, paths.root(), html)
    assert not problems, "\n".join(problems)


def test_real_manifest_lists_every_labelled_table_and_figure_of_the_book():
    items = mf.labelled_items(paths.book_dir(), mf.toc_pages())
    assert len(items) > 0
    problems = mf.unlisted_items(data.load("manifest"), items)
    assert not problems, "\n".join(problems)
