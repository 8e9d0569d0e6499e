"""Candidacies per election and pairs of rows that might be one event (netralitas.mutations), on
small synthetic frames built here; plus the book's data."""

from __future__ import annotations

import pandas as pd
import pytest

from netralitas import data, mutations
from netralitas.data import DataError


def _leadership():
    return pd.DataFrame({
        "term_id": ["mayor-1", "pj-1", "mayor-2"],
        "holder": ["Ann", "Bob", "Cid"],
        "holder_basis": ["full_name", "full_name", "full_name"],
        "role": ["elected", "acting", "elected"],
        "start": pd.to_datetime([None, "2023-11-15", "2025-10-15"]),
        "end": pd.to_datetime(["2023-11-15", "2025-10-15", None]),
        "source": ["s1", "s2", "s3"],
    })


def _candidacies(**over):
    c = pd.DataFrame({
        "candidacy_id": ["K01", "K02"], "election": ["e2024", "e2024"],
        "mayor_candidate": ["Ann", "Dee"], "deputy_candidate": ["X", "Y"],
        "result": ["lost", "won"], "votes": pd.array([10, 20], dtype="Int64"),
        "source": ["c1", "c1"],
    })
    for k, v in over.items():
        c[k] = v
    return c


def _elections():
    return pd.DataFrame({"event_id": ["v2024", "v2019"], "election": ["e2024", "e2019"],
                         "kind": ["voting_day", "voting_day"],
                         "date": pd.to_datetime(["2024-11-27", "2019-04-17"])})


def _waves():
    return pd.DataFrame({
        "wave_id": ["W1", "W2", "W3", "W4"],
        "date": ["2023-01-11", "2023-12", "2024-05", "2026-05"],
        "date_basis": ["stated", "assumed", "stated", "stated"],
        "count": pd.array([139, None, 79, 17], dtype="Int64"),
        "count_qualifier": ["exact", "tens", "exact", "exact"],
        "stated_in_paper": [False, True, True, True],
        "found_in_public": [True, False, False, False],
    })


def test_wave_candidacy_says_whether_the_head_ran_in_the_next_city_election():
    w = mutations.wave_candidacy(_waves(), _leadership(), _candidacies(), _elections()).set_index("wave_id")
    assert w.loc["W1", "heads"].startswith("Ann") and w.loc["W1", "head_ran_next"] == "yes"
    assert w.loc["W2", "acting"] and w.loc["W2", "head_ran_next"] == "no"
    assert w.loc["W4", "next_election"] == "–" and w.loc["W4", "head_ran_next"] == "no_next"
    assert w.loc["W1", "head_ran_any"] == "e2024" and w.loc["W2", "date_basis"] == "assumed"
    assert w.loc["W1", "source"] == "s1;c1"


def test_assumed_month_names_the_head_before_and_where_they_ran():
    links = mutations.head_candidacies(_leadership(), _candidacies(), _elections())
    a = mutations.assumed_month_heads(_waves(), _leadership(), links).set_index("wave_id")
    assert list(a.index) == ["W2"]
    assert a.loc["W2", "head"] == "Bob" and a.loc["W2", "since"] == pd.Timestamp("2023-11-15")
    assert a.loc["W2", "previous"] == "Ann" and a.loc["W2", "previous_ran"] == "yes"
    assert a.loc["W2", "previous_ran_in"] == "e2024"


def test_who_ran_follows_the_name_rule():
    links = mutations.head_candidacies(_leadership(), _candidacies(), _elections()).set_index("term_id")
    # Ann (full name) is a mayoral candidate; Bob is in no pair; Cid took office after the vote
    assert links.loc["mayor-1", "ran"] == "yes" and links.loc["mayor-1", "candidacy_ids"] == "K01"
    assert links.loc["pj-1", "ran"] == "no" and links.loc["pj-1", "candidacy_ids"] == ""
    assert "mayor-2" not in links.index
    # a deputy candidate counts as running too
    dep = mutations.head_candidacies(_leadership(), _candidacies(deputy_candidate=["X", "Bob"]),
                                     _elections()).set_index("term_id")
    assert dep.loc["pj-1", "ran"] == "yes" and dep.loc["pj-1", "candidacy_ids"] == "K02"


def test_a_head_known_only_by_a_nickname_is_never_matched_by_name():
    lead = _leadership()
    lead.loc[0, ["holder", "holder_basis"]] = ["Annie", "nickname"]
    # even a candidate printed with the same string is not taken to be that head
    cands = _candidacies(mayor_candidate=["Annie", "Dee"])
    links = mutations.head_candidacies(lead, cands, _elections()).set_index("term_id")
    assert links.loc["mayor-1", "ran"] == "not_known"
    w = mutations.wave_candidacy(_waves(), lead, cands, _elections()).set_index("wave_id")
    assert w.loc["W1", "head_ran_next"] == "not_known" and w.loc["W1", "head_ran_any"] == ""
    assert w.loc["W1", "incumbency_test"] == "not_known"
    assert "nama panggilan" in w.loc["W1", "heads"]
    assert mutations.head_results(cands, mutations.head_candidacies(lead, cands, _elections())).empty
    t = mutations.wave_candidacy_table(w.reset_index().assign(next_election="pilkada2024"),
                                       cands.assign(election="pilkada2024")).set_index("Gelombang")
    assert t.loc["W1", "Kepala daerah itu mencalonkan diri?"].startswith("tidak diketahui")


def test_ran_state_and_phrase():
    rows = pd.DataFrame({"term_id": ["t"] * 3, "holder": ["A"] * 3, "election": ["e1", "e2", "pilkada2024"],
                         "ran": ["no", "not_known", "yes"], "candidacy_ids": ["", "", "K1"]})
    assert mutations.ran_state(rows.iloc[:1]) == "no"
    assert mutations.ran_state(rows.iloc[:2]) == "not_known"
    assert mutations.ran_state(rows) == "yes"
    assert mutations.ran_phrase(rows) == "ya: Pilkada 2024"
    assert mutations.ran_phrase(rows.iloc[:2], lang="en").startswith("not known")


def _pairs(**over):
    p = pd.DataFrame({"pair_id": ["EP1"], "table": ["mutations"], "event_a": ["W1"],
                      "event_b": ["W3"], "verdict": ["unresolved"], "treatment": ["kept_both"],
                      "for_same": ["s"], "for_distinct": ["d"], "counting": ["c"], "source": ["k"]})
    for k, v in over.items():
        p[k] = v
    return p


def test_without_unresolved_keeps_the_public_row_recorded_in_both():
    # one event: the confirmed record (the public row's date and count) is kept
    alt = mutations.without_unresolved(_waves(), _pairs())
    assert alt["wave_id"].tolist() == ["W1", "W2", "W4"]
    assert alt.set_index("wave_id").loc["W1", "stated_in_paper"]
    t = mutations.mutation_totals(alt)
    assert t["n_waves"] == 3 and t["n_both"] == 1 and t["sum_exact"] == 156
    # distinct pairs change nothing
    assert len(mutations.without_unresolved(_waves(), _pairs(verdict=["distinct"]))) == 4


def test_merge_waves_joins_chained_pairs_and_prefers_a_stated_exact_paper_row():
    p = pd.concat([_pairs(), _pairs(pair_id=["EP2"], event_a=["W2"], event_b=["W3"])])
    two_paper = mutations.merge_waves(_waves(), p, ["EP2"])
    assert two_paper["wave_id"].tolist() == ["W1", "W3", "W4"]  # W3: stated date, exact count
    chained = mutations.merge_waves(_waves(), p)
    assert chained["wave_id"].tolist() == ["W1", "W4"]


def test_readings_tally_every_combination_of_unresolved_pairs():
    p = pd.concat([_pairs(), _pairs(pair_id=["EP2"], event_a=["W2"], event_b=["W3"])])
    w = _waves().assign(unit="ASN", source="k")
    el = _elections().assign(election=["pilkada2024", "pilkada2020"], source="s")
    r = mutations.readings(w, p, _leadership(), el).set_index("merged")
    assert list(r.index) == ["", "EP1", "EP2", "EP1;EP2"]
    assert r["n_waves"].tolist() == [4, 3, 3, 2]
    assert r.loc["", "largest_id"] == "W1" and r.loc["", "largest_margin"] == 60
    assert r.loc["EP1", "n_paper"] == 3 and r.loc["EP1;EP2", "n_paper"] == 2
    # W2 (assumed December) lies under the acting head; W1 under the elected one
    assert r.loc["", "n_acting"] == 2 and r.loc["", "n_elected"] == 2


def test_an_interval_of_months_spans_a_hand_over_and_leaves_the_head_undetermined():
    w = _waves()
    w["date"] = ["2023-01-11", "2023-10", "2024-05", "2026-05"]
    w["date_to"] = [None, "2023-12", None, None]
    s = mutations.wave_spans(w).set_index("wave_id")
    assert s.loc["W2", "first"] == pd.Timestamp("2023-10-01")
    assert s.loc["W2", "last"] == pd.Timestamp("2023-12-31")
    assert s.loc["W2", "label"] == "2023-10–2023-12" and s.loc["W2", "assumed"]
    h = mutations.wave_heads(w, _leadership()).set_index("wave_id")
    assert h.loc["W2", "head_status"] == "undetermined" and not h.loc["W2", "acting"]
    c = mutations.wave_candidacy(w, _leadership(), _candidacies(), _elections()).set_index("wave_id")
    assert c.loc["W2", "incumbency_test"] == "undetermined"
    bad = w.assign(date_to=[None, "2023-09", None, None])
    with pytest.raises(DataError, match=r"line 3 \(data row 2\), column 'date_to'"):
        mutations.wave_spans(bad)


def test_incumbency_is_tested_only_for_waves_timed_to_a_mayoral_election():
    el = pd.concat([_elections(), pd.DataFrame({
        "event_id": ["vp"], "election": ["pres"], "kind": ["voting_day"],
        "date": pd.to_datetime(["2024-02-14"])})])
    c = mutations.wave_candidacy(_waves(), _leadership(), _candidacies(), el).set_index("wave_id")
    # W1 and W2 come before the presidential vote: the paper's own-re-election reading is not tested
    assert c.loc["W1", "incumbency_test"] == "not_tested" and c.loc["W1", "timed_to"] == "pres"
    assert c.loc["W3", "incumbency_test"] == "did_not_run"
    assert c.loc["W4", "incumbency_test"] == "no_next"


def test_head_results_rank_pairs_by_votes():
    c = _candidacies(votes=pd.array([10, 20], dtype="Int64"), vote_share=[33.3, None], note=["n", None],
                     election=["pilkada2024"] * 2)
    r = mutations.head_results(c, mutations.head_candidacies(_leadership(), c, _elections().assign(
        election=["pilkada2024", "e2019"])))
    assert r["rank"].tolist() == [2] and r["n_pairs"].tolist() == [2]
    assert "urutan 2 dari 2 pasangan (n)" in mutations.head_results_phrase(r)


def test_check_event_pairs_refuses_a_missing_row_and_a_merged_row_left_in_place():
    frames = {"mutations": _waves()}
    mutations.check_event_pairs(_pairs(), frames)
    with pytest.raises(DataError, match=r"line 2 \(data row 1\), column 'event_b': 'W9'"):
        mutations.check_event_pairs(_pairs(event_b=["W9"]), frames)
    with pytest.raises(DataError, match="pair is merged but 'W3' is still a row"):
        mutations.check_event_pairs(_pairs(treatment=["merged"]), frames)


def test_book_pairs_and_candidacies():
    frames = {n: data.load(n) for n in ("mutations", "violations", "quotes", "evidence")}
    pairs = data.load("event_pairs")
    mutations.check_event_pairs(pairs, frames)
    # the near-identical January waves (public 2023, paper 2024) carry an explicit judgement
    jan = pairs[(pairs["event_a"] == "M2023-01") & (pairs["event_b"] == "M2024-01")]
    assert len(jan) == 1
    w = mutations.wave_candidacy(frames["mutations"], data.load("leadership"),
                                 data.load("candidacies"), data.load("elections"))
    # no acting mayor ran for mayor; whether the elected mayor of the January 2023 wave ran is
    # not known (the sources give only his nickname), and that wave is timed to Pemilu 2024, so
    # the paper's incumbency reading is not tested on it
    assert (w.loc[w["acting"], "head_ran_next"].isin(["no", "no_next"])).all()
    w = w.set_index("wave_id")
    assert w.loc["M2023-01", "head_ran_next"] == "not_known"
    assert w.loc["M2023-01", "incumbency_test"] == "not_tested"
    # "akhir tahun 2023" is an interval across the hand-over of 2023-11-15: head undetermined
    assert w.loc["M2023-12", "head_status"] == "undetermined"
    assert (w["incumbency_test"].isin(["ran", "did_not_run"])).sum() == 1
    # both wave pairs stay open; every combination is tallied, with the public date when EP1 holds
    assert set(pairs.loc[pairs["table"] == "mutations", "verdict"]) == {"unresolved"}
    r = mutations.readings(frames["mutations"], pairs, data.load("leadership"),
                           data.load("elections"), data.load("legal_events")).set_index("merged")
    assert r.loc["EP1", "largest_id"] == "M2023-01" and r.loc["EP1", "largest_date"] == "2023-01-11"
