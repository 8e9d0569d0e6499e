"""The verdict taxonomy of the claims audit: every rule of ``claims.verdict_rule`` on small
synthetic claims built here, the vocabulary that labels and defines the verdicts, and the real
claims (no assumed check is ever 'contradicted')."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from netralitas import bib, data, mutations, vocab
from netralitas import claims as cl
from netralitas.data import DataError

PAPER = "paperkey"
COLS = ["claim_id", "section", "claim", "stated_value", "unit", "qualifier", "check_kind",
        "check_ref", "assumption", "note", "source"]


def _claim(cid, stated, unit, qualifier, kind, ref="", assumption="", note="why"):
    return (cid, "s", f"claim {cid}", stated, unit, qualifier, kind, ref, assumption, note, PAPER)


def _claims(*rows):
    return pd.DataFrame([dict(zip(COLS, r)) for r in rows])


def _tables():
    indicators = pd.DataFrame({
        "indicator_id": ["asn", "pop-paper", "opd-new"],
        "value": [50.0, 1000.0, 18.0],
        "ref_period": ["2025", None, "2024-01-15"],
        "source": ["news1", PAPER, f"{PAPER};news2"],
    })
    mutations_ = pd.DataFrame({
        "wave_id": ["W-pub", "W-paper", "W-assumed"],
        "date": ["2023-01-11", "2024-01", "2023-12"],
        "date_basis": ["stated", "stated", "assumed"],
        "count": pd.array([139, 140, None], dtype="Int64"),
        "found_in_public": pd.array([True, False, False], dtype="boolean"),
        "source": ["news3", PAPER, PAPER],
    })
    leadership = pd.DataFrame({
        "term_id": ["mayor", "acting"], "role": ["elected", "acting"],
        "source": ["news4", "news4"]})
    violations = pd.DataFrame({
        "case_id": ["V1", "V2"], "year": [2024, 2025], "date": [pd.Timestamp("2024-02-01"), None],
        "public_record": ["confirmed", "not_found"], "source": [f"{PAPER};news5", PAPER]})
    evidence = pd.DataFrame({
        "evidence_id": ["E-news", "E-paper"], "source": ["news6", PAPER]})
    # searches on record for every paper-only row (the book's fact list reports them)
    searches = pd.DataFrame({
        "search_id": ["S1", "S2", "S3", "S4", "S5"],
        "table": ["indicators", "mutations", "mutations", "violations", "evidence"],
        "row_id": ["pop-paper", "W-paper", "W-assumed", "V2", "E-paper"]})
    return {"indicators": indicators, "mutations": mutations_, "leadership": leadership,
            "violations": violations, "evidence": evidence, "searches": searches}


def _check(*rows, tables=None):
    out = cl.check_claims(_claims(*rows), tables if tables is not None else _tables(),
                          paper_keys={PAPER})
    return {r.claim_id: (r.verdict, bool(r.assumption_flag)) for r in out.itertuples()}


# ------------------------------------------------------------------ rule 1: none
def test_none_is_not_checkable_never_flagged_and_must_say_why():
    got = _check(_claim("C1", "3", "pilar", "exact", "none"),
                 _claim("C2", "3", "pilar", "exact", "none", assumption="an assumption"))
    assert got == {"C1": ("not_checkable", False), "C2": ("not_checkable", False)}
    with pytest.raises(DataError, match=r"line 2 \(claim C1\), column 'note'"):
        _check(_claim("C1", "3", "pilar", "exact", "none", note=""))


# ------------------------------------------------------------------ rules 2-3: not checked, not found
def test_public_record_resting_on_the_paper_is_not_found_and_one_never_looked_for_not_checked():
    got = _check(
        _claim("C1", "1000", "jiwa", "exact", "public_record", "indicators:pop-paper"),
        _claim("C2", "140", "ASN", "exact", "public_record", "mutations:W-paper"),
        _claim("C3", "2025", "year", "exact", "public_record", "violations:V2"),
        _claim("C4", "1998", "year", "exact", "public_record", ""),
        _claim("C5", "1998", "year", "exact", "public_record", "", assumption="assumed"),
    )
    assert got == {"C1": ("not_found", False), "C2": ("not_found", False),
                   "C3": ("not_found", False), "C4": ("not_checked", False),
                   "C5": ("not_checked", True)}
    with pytest.raises(DataError, match="column 'note'"):
        _check(_claim("C1", "1998", "year", "exact", "public_record", "", note=""))


def test_a_paper_only_row_never_searched_for_is_not_checked_not_not_found():
    tables = _tables()
    tables["searches"] = tables["searches"][tables["searches"]["row_id"] != "W-paper"]
    claim = _claim("C1", "140", "ASN", "exact", "public_record", "mutations:W-paper")
    assert _check(claim, tables=tables) == {"C1": ("not_checked", False)}
    assert _check(claim) == {"C1": ("not_found", False)}
    # with no searches at all nothing can be 'not found'
    tables.pop("searches")
    assert _check(_claim("C1", "1000", "jiwa", "exact", "public_record", "indicators:pop-paper"),
                  tables=tables) == {"C1": ("not_checked", False)}
    # a found independent record needs no search
    assert _check(_claim("C1", "50", "orang", "exact", "public_record", "indicators:asn"),
                  tables=tables) == {"C1": ("consistent", False)}


def test_a_search_must_name_a_real_row():
    tables = _tables()
    tables["searches"] = pd.DataFrame({"search_id": ["S1"], "table": ["mutations"],
                                       "row_id": ["W-nowhere"]})
    with pytest.raises(DataError, match=r"data/searches.csv, line 2, column 'row_id': 'W-nowhere'"):
        _check(_claim("C1", "140", "ASN", "exact", "public_record", "mutations:W-paper"), tables=tables)
    tables["searches"] = pd.DataFrame({"search_id": ["S1"], "table": ["nowhere"], "row_id": ["x"]})
    with pytest.raises(DataError, match=r"line 2, column 'table': no data table 'nowhere'"):
        _check(_claim("C1", "140", "ASN", "exact", "public_record", "mutations:W-paper"), tables=tables)


def test_a_column_copying_the_paper_is_not_an_independent_record():
    # V1 is publicly confirmed, but its 'year' column copies the paper's Table 1
    assert "year" in cl.PAPER_COLUMNS["violations"]
    got = _check(_claim("C1", "2023", "year", "exact", "public_record", "violations:V1.year"),
                 _claim("C2", "2023", "year", "exact", "public_record", "violations:V1.date"))
    assert got == {"C1": ("not_found", False), "C2": ("contradicted", False)}


def test_exists_checks_the_record_of_an_event():
    got = _check(_claim("C1", "yes", "status", "exact", "public_record", "evidence:E-news.exists"),
                 _claim("C2", "yes", "status", "exact", "public_record", "evidence:E-paper.exists"))
    assert got == {"C1": ("consistent", False), "C2": ("not_found", False)}


# ------------------------------------------------------------------ rules 3 and 6: public record
def test_independent_public_record_consistent_or_contradicted():
    got = _check(_claim("C1", "50", "orang", "exact", "public_record", "indicators:asn"),
                 _claim("C2", "60", "orang", "exact", "public_record", "indicators:asn"),
                 _claim("C3", "2026-03", "date", "exact", "public_record",
                        "indicators:opd-new.ref_period"))
    assert got == {"C1": ("consistent", False), "C2": ("contradicted", False),
                   "C3": ("contradicted", False)}


def test_an_assumed_check_is_flagged_and_never_contradicted():
    got = _check(
        _claim("C1", "elected", "status", "exact", "public_record", "leadership:acting.role",
               assumption="the wave fell after the acting mayor took office"),
        _claim("C2", "acting", "status", "exact", "public_record", "leadership:acting.role",
               assumption="the wave fell after the acting mayor took office"))
    assert got == {"C1": ("differs_if_assumed", True), "C2": ("consistent", True)}


def test_a_check_on_an_assumed_date_must_state_the_assumption():
    row = _claim("C1", "2023-12", "date", "about", "public_record", "mutations:W-assumed.date")
    with pytest.raises(DataError, match="column 'assumption'.*date this book assumed"):
        _check(row)
    flagged = row[:8] + ("December read from 'akhir 2023'",) + row[9:]
    assert _check(flagged) == {"C1": ("not_found", True)}  # the row rests on the paper
    # at year precision the assumed month plays no part
    assert _check(_claim("C1", "2023", "year", "exact", "public_record",
                         "mutations:W-assumed.date")) == {"C1": ("not_found", False)}


# ------------------------------------------------------------------ rule 4: recompute
def test_recompute_consistent_or_discrepant_and_flag_does_not_change_it():
    got = _check(_claim("C1", "50", "orang", "exact", "none"),
                 _claim("C2", "1000", "jiwa", "exact", "none"),
                 _claim("C3", "1/20", "rasio", "about", "recompute", "C1 / C2"),
                 _claim("C4", "1/100", "rasio", "about", "recompute", "C1 / C2"),
                 _claim("C5", "1/100", "rasio", "about", "recompute", "C1 / C2",
                        assumption="an assumption"))
    assert got["C3"] == ("consistent", False)
    assert got["C4"] == ("discrepant", False)
    assert got["C5"] == ("discrepant", True)


def test_recompute_over_an_independent_record_is_refused():
    with pytest.raises(DataError, match="paper's own numbers.*public_record"):
        _check(_claim("C1", "50", "orang", "exact", "recompute", "indicators:asn * 1"))
    with pytest.raises(DataError, match="paper's own numbers"):
        _check(_claim("C1", "2", "waves", "at_least", "list_total",
                      "count(mutations:W-pub, mutations:W-paper)"))


# ------------------------------------------------------------------ rule 5: list against total
def test_list_total_incomplete_consistent_or_discrepant():
    parts = [_claim("C1", "140", "ASN", "exact", "public_record", "mutations:W-paper"),
             _claim("C2", "79", "ASN", "exact", "none"),
             _claim("C3", "17", "ASN", "exact", "none")]
    got = _check(*parts,
                 _claim("C4", "300", "ASN", "more_than", "list_total", "C1 + C2 + C3"),
                 _claim("C5", "200", "ASN", "more_than", "list_total", "C1 + C2 + C3"),
                 _claim("C6", "5", "waves", "at_least", "list_total", "count(C1, C2, C3)"),
                 _claim("C7", "230", "ASN", "exact", "list_total", "C1 + C2 + C3"))
    assert got["C4"] == ("incomplete", False)    # 236 listed, more than 300 stated
    assert got["C5"] == ("consistent", False)
    assert got["C6"] == ("incomplete", False)    # three listed, at least five stated
    assert got["C7"] == ("discrepant", False)    # the parts exceed an exact total


# ------------------------------------------------------------------ the rule itself
def test_verdict_rule_over_every_combination():
    seen = set()
    for kind, ok, independent, gap, assumption, located, elsewhere in itertools.product(
            cl.CHECK_KINDS, (True, False, None), (True, False), (-1.0, 1.0, None), ("", "a"),
            (True, False), (True, False)):
        check = {"check_kind": kind, "ok": ok, "independent": independent, "gap": gap,
                 "assumption": assumption, "located": located, "elsewhere_ok": elsewhere}
        if kind in ("recompute", "list_total") and ok is None:
            with pytest.raises(ValueError):
                cl.verdict_rule(check)
            continue
        verdict, flag = cl.verdict_rule(check)
        seen.add(verdict)
        assert verdict in cl.VERDICTS
        assert flag == (bool(assumption) and kind != "none")
        if flag:
            assert verdict != "contradicted"
        if verdict == "contradicted":
            assert kind == "public_record" and independent and not assumption and not elsewhere
        if verdict == "partly_wrong":
            assert kind == "public_record" and independent and elsewhere and not assumption
        if verdict == "outdated_reference":
            assert kind == "legal_reference" and independent and ok is False
        if verdict == "not_checked":
            assert kind == "public_record" and not located
        if kind == "public_record" and not located:
            assert verdict == "not_checked"  # never 'not found' without a search
        if verdict == "discrepant":
            assert kind in ("recompute", "list_total")
        if verdict == "incomplete":
            assert kind == "list_total" and gap is not None and gap <= 0
        if verdict == "not_checkable":
            assert kind == "none"
    assert seen == set(cl.VERDICTS)
    with pytest.raises(ValueError, match="unknown check_kind"):
        cl.verdict_rule({"check_kind": "guess"})


def test_unknown_check_kind_names_the_line_and_column():
    with pytest.raises(DataError, match=r"line 2 \(claim C1\), column 'check_kind'"):
        _check(_claim("C1", "1", "x", "exact", "guess", "indicators:asn"))


# ------------------------------------------------------------------ labels and rules are data
def test_every_verdict_kind_and_the_flag_have_labels_and_rules_in_the_vocabulary():
    assert vocab.terms("verdict") == cl.VERDICTS
    assert vocab.terms("check_kind") == cl.CHECK_KINDS
    assert vocab.terms("verdict_rule") == cl.VERDICTS + [cl.FLAG]
    assert vocab.terms("verdict_flag") == [cl.FLAG]
    for v in cl.VERDICTS:
        assert vocab.label("verdict", v) and vocab.label("verdict", v, short=True)
        assert len(vocab.label("verdict_rule", v).split()) > 8  # a rule, not a label


def test_ref_label_names_an_election_row_never_by_its_raw_id():
    name = vocab.election("pemilu2024")
    assert cl.ref_label("elections:pemilu2024") == f"elections.csv, baris {name}"
    assert cl.ref_label("elections:pilkada2025-penetapan.date") == (
        "elections.csv, baris pilkada2025-penetapan (tanggal)")


def test_taxonomy_table_and_claims_table_show_verdict_and_flag():
    claims = _claims(
        _claim("C1", "elected", "status", "exact", "public_record", "leadership:acting.role",
               assumption="after the acting mayor took office"),
        _claim("C2", "50", "orang", "exact", "public_record", "indicators:asn"))
    checked = cl.check_claims(claims, _tables(), paper_keys={PAPER})
    tax = cl.taxonomy_table(checked)
    flag_col = f"Di antaranya {vocab.label('verdict_flag', cl.FLAG)}"
    assert list(tax.columns) == ["Putusan", "Aturan", "Jumlah klaim", flag_col]
    # the flag is a column, not a row: verdict rows plus one total row, counts add up
    assert len(tax) == len(cl.VERDICTS) + 1
    assert tax["Jumlah klaim"].iloc[:-1].sum() == len(checked) == tax["Jumlah klaim"].iloc[-1]
    assert tax[flag_col].iloc[:-1].sum() == 1 == cl.flag_count(checked) == tax[flag_col].iloc[-1]
    assert tax["Aturan"].iloc[:-1].tolist() == [vocab.label("verdict_rule", t)
                                                for t in cl.VERDICTS]
    table = cl.claims_table(checked)
    flag = vocab.label("verdict_flag", cl.FLAG, short=True)
    assert table["Putusan"].tolist() == [
        f"{vocab.label('verdict', 'differs_if_assumed', short=True)}; {flag}",
        vocab.label("verdict", "consistent", short=True)]
    assert table.loc[0, "Dasar periksa"].endswith(f"; {flag}: after the acting mayor took office")


# ------------------------------------------------------------------ the real claims
def test_real_claims_follow_the_taxonomy():
    tables = data.load_all()
    claims = tables["claims"]
    out = cl.check_claims(claims, tables)
    assert cl.verdict_counts(out).sum() == len(out) == len(claims)
    assert not ((out["verdict"] == "contradicted") & out["assumption_flag"]).any()
    assert set(claims["check_kind"]) <= set(cl.CHECK_KINDS)
    # 'not checkable' and 'nothing located' always say why
    why = claims["check_kind"].eq("none") | (claims["check_kind"].eq("public_record")
                                              & claims["check_ref"].isna())
    assert claims.loc[why, "note"].notna().all()
    # chapter D.5 still reads the paper's aggregate wave claims from claims.csv
    agg = mutations.paper_wave_claims(claims)
    by_id = out.set_index("claim_id")
    assert by_id.loc[agg["asn"]["claim_id"], "verdict"] == "incomplete"
    assert by_id.loc[agg["waves"]["claim_id"], "verdict"] == "incomplete"


# ------------------------------------------------------------------ review R1-6 .. R1-16
def _law_tables():
    tables = _tables()
    tables["regulations"] = pd.DataFrame({
        "reg_id": ["old", "mid", "new", "p2", "p3", "unk"],
        "binds": [None, None, None, "campaign implementers", "ASN", None],
        "in_force_at_events": ["no", "partly", "yes", "yes", "yes", "unknown"],
        "source": ["news7"] * 6})
    return tables


def test_a_cited_law_not_in_force_throughout_the_events_is_an_outdated_reference():
    got = _check(_claim("C1", "yes", "status", "exact", "legal_reference", "regulations:old"),
                 _claim("C2", "yes", "status", "exact", "legal_reference", "regulations:mid"),
                 _claim("C3", "yes", "status", "exact", "legal_reference", "regulations:new"),
                 tables=_law_tables())
    assert got == {"C1": ("outdated_reference", False), "C2": ("outdated_reference", False),
                   "C3": ("consistent", False)}
    # R3-9: a status the records leave unknown was not found, never outdated or consistent
    assert _check(_claim("C1", "yes", "status", "exact", "legal_reference", "regulations:unk"),
                  tables=_law_tables()) == {"C1": ("not_found", False)}
    table = cl.claims_table(cl.check_claims(_claims(
        _claim("C1", "yes", "status", "exact", "legal_reference", "regulations:mid")),
        _law_tables(), paper_keys={PAPER}))
    assert table.loc[0, "Hasil periksa"].endswith(vocab.label("in_force", "partly"))


def test_a_record_that_agrees_only_elsewhere_makes_the_claim_partly_wrong():
    ref = "regulations:p2.binds | regulations:p3.binds"
    got = _check(_claim("C1", "ASN", "status", "exact", "public_record", ref),
                 _claim("C2", "campaign implementers", "status", "exact", "public_record", ref),
                 _claim("C3", "voters", "status", "exact", "public_record", ref),
                 _claim("C4", "ASN", "status", "exact", "public_record", ref, assumption="a"),
                 tables=_law_tables())
    assert got == {"C1": ("partly_wrong", False), "C2": ("consistent", False),
                   "C3": ("contradicted", False), "C4": ("differs_if_assumed", True)}
    assert "di tempat lain" in cl.ref_label(ref, "public_record")
    shown = cl.ref_label("same(violations:V1.election, 'pemilu2024')", "list_total")
    assert shown == f"violations.csv, [baris V1 (pemilihan) = {vocab.election('pemilu2024')}]"


def test_same_counts_the_papers_own_cases_and_refuses_stray_text():
    ref = "same(violations:V1.year, '2024') + same(violations:V2.year, '2024')"
    got = _check(_claim("C1", "1", "kasus", "more_than", "list_total", ref))
    assert got == {"C1": ("incomplete", False)}  # one of two cases, 'more than one' stated
    assert _check(_claim("C1", "1", "kasus", "at_least", "list_total", ref)) == {
        "C1": ("consistent", False)}
    with pytest.raises(ValueError, match="only be the second argument of same"):
        cl.parse_expression("'2024' + 1")


def test_real_claims_follow_the_referees_findings():
    tables = data.load_all()
    claims = tables["claims"]
    by_id = cl.check_claims(claims, tables).set_index("claim_id")
    # R1-6: a public record never looked for is 'not checked', never 'not found'
    # R3-4: ... and so is one whose row rests on the paper alone with no search on record (the
    # book's fact list records no search for the late-2023 wave of 'puluhan' ASN)
    unsearched = claims[claims["check_kind"].eq("public_record") & claims["check_ref"].isna()]
    late_2023 = claims[claims["check_ref"].fillna("").str.startswith("mutations:M2023-12")]
    assert len(late_2023) > 0
    # R3-3: ... and so is one whose only record is a source outside the book's fact list
    outside = bib.unconfirmed()
    only_outside = [cid for cid, ref in zip(claims["claim_id"], claims["check_ref"].fillna(""))
                    if ref.startswith("evidence:") and set(bib.split_keys(tables["evidence"].set_index(
                        "evidence_id").loc[ref.split(":")[1].split(".")[0], "source"])) <= outside]
    assert only_outside
    assert set(by_id[by_id["verdict"] == "not_checked"].index) == (
        set(unsearched["claim_id"]) | set(late_2023["claim_id"]) | set(only_outside))
    searched = {(t, r) for t, r in zip(tables["searches"]["table"], tables["searches"]["row_id"])}
    for cid in by_id.index[by_id["verdict"] == "not_found"]:
        if claims.set_index("claim_id").loc[cid, "check_kind"] != "public_record":
            continue
        rows = {(t, r) for t, r, _ in cl.parse_expression(by_id.loc[cid, "check_ref"].split("|")[0])[1]}
        assert rows & searched or any(tables[t].set_index(tables[t].columns[0]).loc[r, "source"]
                                      != "ansyari2026netralitas" for t, r in rows), cid
    # R1-7: instruments the paper cites without dating them are outdated references at most
    laws = claims[claims["check_kind"] == "legal_reference"]["claim_id"]
    assert not by_id.loc[laws, "verdict"].eq("contradicted").any()
    assert (by_id.loc[laws, "check_scope"] == "legal_status").all()
    # R1-8 / R1-9 / R1-14: no verdict that rests on an assumption is unflagged or contradicted
    flagged = claims[claims["assumption"].notna()]["claim_id"]
    assert by_id.loc[flagged, "assumption_flag"].all()
    assert not (by_id["verdict"] == "contradicted").any() or not by_id.loc[
        by_id["verdict"] == "contradicted", "assumption_flag"].any()
    # R1-15: how many 'consistent' verdicts test only a year or a legal status is computable
    narrow = cl.narrow_consistent(by_id.reset_index())
    assert set(narrow["check_scope"]) <= {"year_only", "legal_status"}
    assert set(by_id["check_scope"]) <= set(cl.CHECK_SCOPES)
    assert vocab.terms("check_scope") == cl.CHECK_SCOPES
