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
        "role": ["elected", "acting", "elected"],
        "start": pd.to_datetime([None, "2023-11-15", "2025-10-15"]),
        "end": pd.to_datetime(["2023-11-15", "2025-10-15", None]),
        "source": ["s1", "s2", "s3"],
    })


def _candidacies(**over):
    c = pd.DataFrame({
        "candidacy_id": ["K01", "K02"], "election": ["e2024", "e2024"],
        "mayor_candidate": ["Ann", "Dee"], "deputy_candidate": ["X", "Y"],
        "includes_head": [True, False], "head_term": ["mayor-1", None],
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
    assert w.loc["W1", "heads"].startswith("Ann") and w.loc["W1", "head_ran_next"] is True
    assert w.loc["W2", "acting"] and w.loc["W2", "head_ran_next"] is False
    assert w.loc["W4", "next_election"] == "–" and w.loc["W4", "head_ran_next"] is None
    assert w.loc["W1", "head_ran_any"] == "e2024" and w.loc["W2", "date_basis"] == "assumed"
    assert w.loc["W1", "source"] == "s1;c1"


def test_assumed_month_names_the_head_before_and_where_they_ran():
    a = mutations.assumed_month_heads(_waves(), _leadership(), _candidacies()).set_index("wave_id")
    assert list(a.index) == ["W2"]
    assert a.loc["W2", "head"] == "Bob" and a.loc["W2", "since"] == pd.Timestamp("2023-11-15")
    assert a.loc["W2", "previous"] == "Ann" and a.loc["W2", "previous_ran"] == "e2024"


@pytest.mark.parametrize("over, message", [
    ({"head_term": ["mayor-1", "pj-1"]}, r"line 3 \(data row 2\), column 'head_term': includes_head is False"),
    ({"head_term": ["pj-1", None]}, r"line 2 \(data row 1\), column 'head_term': the holder of 'pj-1' \(Bob\)"),
])
def test_bad_candidacies_are_refused(over, message):
    with pytest.raises(DataError, match=message):
        mutations.check_candidacies(_candidacies(**over), _leadership())


def _pairs(**over):
    p = pd.DataFrame({"pair_id": ["EP1"], "table": ["mutations"], "event_a": ["W1"],
                      "event_b": ["W3"], "verdict": ["unresolved"], "treatment": ["kept_both"],
                      "for_same": ["s"], "for_distinct": ["d"], "counting": ["c"], "source": ["k"]})
    for k, v in over.items():
        p[k] = v
    return p


def test_without_unresolved_keeps_the_papers_row_recorded_in_both():
    alt = mutations.without_unresolved(_waves(), _pairs())
    assert alt["wave_id"].tolist() == ["W2", "W3", "W4"]
    t = mutations.mutation_totals(alt)
    assert t["n_waves"] == 3 and t["n_both"] == 1 and t["sum_exact"] == 96
    # distinct pairs change nothing
    assert len(mutations.without_unresolved(_waves(), _pairs(verdict=["distinct"]))) == 4


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
    # no acting mayor ran for mayor; the elected mayor of the January 2023 wave did
    assert not w.loc[w["acting"], "head_ran_next"].any()
    assert w.set_index("wave_id").loc["M2023-01", "head_ran_next"]
