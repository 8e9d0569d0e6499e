"""The merged rules, each with one home, on small frames built here:

- ``mutations.wave_position`` (was figures.waves_vs_windows and stats.waves_vs_calendar): an open
  Pasal 71 window runs on; ``inside`` is the strongest position against any window;
- ``indicators.asn_per_100`` (was stats.asn_per_100 and tables.asn_ratios): ``pairing="closest"``
  pairs each population with the ASN count closest in time;
- ``calendar.span``: the range a figure shows, from the data;
- ``text.split_list`` and ``text.join_words``.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from netralitas import calendar, indicators, mutations, text

T = pd.Timestamp
RANK = {"outside": 0, "partly": 1, "inside": 2}


def _elections(rows):
    return pd.DataFrame(rows, columns=["event_id", "date", "level", "election", "kind",
                                       "description", "source"]).assign(
        date=lambda f: pd.to_datetime(f["date"]))


def _waves(*rows):
    """``(wave_id, date, count)`` rows as mutations.csv has them (other columns as the chapter)."""
    f = pd.DataFrame([(w, d, c, "exact", "ASN", "", "", True, False, None, "k") for w, d, c in rows],
                     columns=["wave_id", "date", "count", "count_qualifier", "unit", "scope",
                              "authority", "stated_in_paper", "found_in_public", "date_note",
                              "source"])
    f["count"] = f["count"].astype("Int64")
    return f


@pytest.fixture()
def contests(project):
    """Contest rows for the synthetic elections (ids need a printed name)."""
    with open(project / "data" / "contests.csv", "a", encoding="utf-8") as fh:
        fh.write("x,Pilkada X,Election X,regular,2024,netralitasbuku2026\n"
                 "y,Pilkada Y,Election Y,rerun,2025,netralitasbuku2026\n")
    return project


# ------------------------------------------------------------------ mutations.wave_position

def test_a_wave_after_the_vote_with_no_inauguration_yet_is_inside_the_open_window(contests):
    cal = _elections([
        ("x-det", "2024-09-22", "city", "x", "candidate_determination", "d", "s1"),
        ("x", "2024-11-27", "city", "x", "voting_day", "d", "s1"),
    ])  # no inauguration in the data: the window has not closed
    windows = calendar.legal_windows(cal)
    assert windows["window_id"].tolist() == ["p71-x"] and windows["rule"].tolist() == ["p71"]
    assert pd.isna(windows.loc[0, "end"]), "an open window keeps end NaT"
    assert windows.loc[0, "start"] == T("2024-03-22")
    assert "masih terbuka" in windows.loc[0, "basis"]
    waves = _waves(("before", "2024-02", 10), ("edge", "2024-03", 20), ("in", "2024-05-02", 30),
                   ("late", "2026-08-01", 40), ("latemonth", "2027-01", None))
    p = mutations.wave_position(waves, cal).set_index("wave_id")
    assert p["pasal71"].to_dict() == {"before": "outside", "edge": "partly", "in": "inside",
                                      "late": "inside", "latemonth": "inside"}
    assert p["pasal162"].eq("outside").all()  # no inauguration, no Pasal 162 window
    assert p.loc["late", "inside"] == "inside" and p.loc["late", "window"] == "p71-x"
    assert p.loc["late", "window_label"] == "Pasal 71 · Pilkada X"
    assert p.loc["late", "pasal71_elections"] == "x"
    # after the last vote: no next voting day, and no window ended before the wave
    assert p.loc["late", "next_vote"] == "–" and math.isnan(p.loc["late", "estimate"])
    assert p.loc["late", "after_window"] == "–"
    assert "di dalam jendela Pasal 71 · Pilkada X" in p.loc["late", "reading"]
    assert list(p.index) == ["before", "edge", "in", "late", "latemonth"]  # in date order

    shown = calendar.legal_windows_table(windows)  # the Statistik chapter's table of windows
    assert shown.loc[0, "Selesai"] == "– (masih terbuka)" and shown.loc[0, "Mulai"] == "2024-03-22"
    # a computed start is marked as the book's assumption in both window tables
    assert "asumsi buku ini: awal disimpulkan" in shown.loc[0, "Dasar"]


def test_an_end_at_the_next_inauguration_is_an_assumption_with_the_other_end_named(contests):
    cal = _elections([
        ("x-det", "2024-09-22", "city", "x", "candidate_determination", "d", "s1"),
        ("x", "2024-11-27", "city", "x", "voting_day", "d", "s1"),
        ("y-det", "2025-07-22", "city", "y", "candidate_determination", "d", "s1"),
        ("y-inaug", "2025-10-15", "city", "y", "inauguration", "d", "s2"),
    ])  # x produced no winner: its window runs to y's inauguration
    lead = pd.DataFrame({"term_id": ["pj-a", "pj-b"], "holder": ["A", "B"],
                         "role": ["acting", "acting"],
                         "start": pd.to_datetime(["2024-07-31", "2025-01-13"]),
                         "end": pd.to_datetime(["2025-01-13", "2025-10-15"]), "source": ["s", "s"]})
    t = calendar.windows_table(calendar.pasal71_windows(cal), lead)
    end = t.loc[0, "Akhir jendela"]
    assert end.startswith("2025-10-15") and "asumsi buku ini" in end and "2025-01-13" in end
    assert "asumsi buku ini" not in t.loc[1, "Akhir jendela"]
    shown = calendar.legal_windows_table(calendar.legal_windows(cal)).set_index("Jendela")
    assert "sampai akhir masa jabatan" in shown.loc["Pasal 71 · Pilkada X", "Dasar"]


def test_the_open_window_closes_once_an_inauguration_is_added(contests):
    cal = _elections([
        ("x-det", "2024-09-22", "city", "x", "candidate_determination", "d", "s1"),
        ("x", "2024-11-27", "city", "x", "voting_day", "d", "s1"),
        ("x-inaug", "2025-02-20", "city", "x", "inauguration", "d", "s2"),
    ])
    p = mutations.wave_position(_waves(("late", "2026-08-01", 40)), cal).set_index("wave_id")
    # now outside Pasal 71 (ended 2025-02-20) and outside Pasal 162 (ended 2025-08-20)
    assert (p.loc["late", "pasal71"], p.loc["late", "pasal162"]) == ("outside", "outside")
    assert p.loc["late", "inside"] == "outside"
    assert p.loc["late", "after_window"] == "p162-x"


def _windows(*rows):
    return pd.DataFrame([(f"{r}-{e}", r, f"{r} {e}", e, T(s), T(z) if z else pd.NaT, "b", "s")
                         for r, e, s, z in rows],
                        columns=["window_id", "rule", "label", "election", "start", "end",
                                 "basis", "source"])


def test_inside_is_the_strongest_position_against_any_window(contests):
    cal = _elections([("x", "2025-12-01", "city", "x", "voting_day", "d", "s1")])
    windows = _windows(("p71", "x", "2024-02-15", "2024-06-20"),
                       ("p162", "y", "2024-06-25", "2024-12-31"))
    waves = _waves(
        ("p71only", "2024-04-10", 1),    # inside p71, outside p162
        ("p162only", "2024-08", 2),      # outside p71, inside p162
        ("both_partly", "2024-06", 3),   # straddles the end of p71 and the start of p162
        ("p71partly", "2024-02", 4),     # partly p71 (opens on the 15th), outside p162
        ("p162whole", "2024-07", 5),     # wholly in p162, after p71 ended
        ("none", "2025-03", 6),
    )
    p = mutations.wave_position(waves, cal, windows=windows).set_index("wave_id")
    assert p[["pasal71", "pasal162", "inside"]].to_dict("index") == {
        "p71only": {"pasal71": "inside", "pasal162": "outside", "inside": "inside"},
        "p162only": {"pasal71": "outside", "pasal162": "inside", "inside": "inside"},
        "both_partly": {"pasal71": "partly", "pasal162": "partly", "inside": "partly"},
        "p71partly": {"pasal71": "partly", "pasal162": "outside", "inside": "partly"},
        "p162whole": {"pasal71": "outside", "pasal162": "inside", "inside": "inside"},
        "none": {"pasal71": "outside", "pasal162": "outside", "inside": "outside"},
    }
    for _, r in p.iterrows():  # the rule itself, row by row
        assert RANK[r["inside"]] == max(RANK[r["pasal71"]], RANK[r["pasal162"]])
    assert p.loc["both_partly", "window"] == "p71-x;p162-y"
    assert p.loc["p162only", "window"] == "p162-y" and p.loc["none", "window"] == "–"


def test_overlapping_windows_a_wave_inside_one_and_partly_in_the_other_is_inside(contests):
    cal = _elections([("x", "2025-12-01", "city", "x", "voting_day", "d", "s1")])
    windows = _windows(("p71", "x", "2024-03-10", "2024-12-31"),
                       ("p162", "y", "2024-01-01", "2024-06-30"))
    p = mutations.wave_position(_waves(("w", "2024-03", 1)), cal, windows=windows)
    assert (p.loc[0, "pasal71"], p.loc[0, "pasal162"], p.loc[0, "inside"]) == (
        "partly", "inside", "inside")


# ------------------------------------------------------------------ indicators.asn_per_100

def _indicators():
    rows = [
        ("asn-19", "city", "asn_total", "bkn", 1000, "2019", "a19"),
        ("asn-22", "city", "asn_total", "bkn", 1200, "2022", "a22"),
        ("asn-25", "city", "asn_total", "bkn", 1500, "2025-10-08", "a25"),
        ("pop-20", "city", "population", "sensus", 100_000, "2020", "p20"),
        ("pop-2306", "city", "population", "bps", 120_000, "2023-06", "p23"),
        ("pop-24", "city", "population", "dukcapil", 150_000, "2024", "p24"),
        ("pop-none", "city", "population", "paper", 200_000, None, "p00"),
        ("ratio", "city", "asn_per_resident", "paper", 0.01, None, "r"),
    ]
    return pd.DataFrame(rows, columns=["indicator_id", "scope", "indicator", "variant", "value",
                                       "ref_period", "source"])


def test_closest_pairs_each_population_with_the_asn_count_nearest_in_time():
    r = indicators.asn_per_100(_indicators(), scopes=("city",), pairing="closest", stated=False)
    pairs = dict(zip(r["population_id"], r["asn_id"]))
    # 2020-07-01: 2019-07-01 is 366 days away, 2022-07-01 730 → 2019
    # 2023-06-15: 2022-07-01 is 349 days away, 2025-10-08 846 → 2022
    # 2024-07-01: 2025-10-08 is 464 days away, 2022-07-01 731 → 2025
    # no period: the latest count
    assert pairs == {"pop-20": "asn-19", "pop-2306": "asn-22", "pop-24": "asn-25",
                     "pop-none": "asn-25"}
    est = dict(zip(r["population_id"], r["estimate"]))
    assert est["pop-20"] == pytest.approx(100 * 1000 / 100_000)
    assert est["pop-2306"] == pytest.approx(100 * 1200 / 120_000)
    assert est["pop-24"] == pytest.approx(100 * 1500 / 150_000)
    assert est["pop-none"] == pytest.approx(100 * 1500 / 200_000)
    per = dict(zip(r["population_id"], r["per_resident"]))
    assert per["pop-none"] == pytest.approx(200_000 / 1500)
    src = dict(zip(r["population_id"], r["source"]))
    assert src["pop-2306"] == "a22;p23"
    assert len(r) == 4 and r["lower"].isna().all() and r["upper"].isna().all()


def test_all_pairs_every_count_with_every_population_and_stated_adds_the_papers_ratio():
    r = indicators.asn_per_100(_indicators(), scopes=("city",), pairing="all")
    counted = r[r["asn_id"] != "–"]
    assert len(counted) == 3 * 4
    assert set(zip(counted["asn_id"], counted["population_id"])) == {
        (a, p) for a in ("asn-19", "asn-22", "asn-25")
        for p in ("pop-20", "pop-2306", "pop-24", "pop-none")}
    stated = r[r["asn_id"] == "–"]
    assert stated["population_id"].tolist() == ["ratio"]
    assert stated["estimate"].iloc[0] == pytest.approx(1.0) and "makalah" in stated["method"].iloc[0]


def test_closest_in_time_ties_go_to_the_first_row_and_bad_pairing_is_refused():
    rows = pd.DataFrame({"ref_period": ["2021", "2023"], "indicator_id": ["a", "b"]})
    assert indicators.closest_in_time(rows, "2022")["indicator_id"] == "a"  # 365 days each
    assert indicators.closest_in_time(rows, None)["indicator_id"] == "b"    # the latest
    assert indicators.closest_in_time(rows, T("2024-01-01"))["indicator_id"] == "b"
    with pytest.raises(ValueError, match="pairing"):
        indicators.asn_per_100(_indicators(), scopes=("city",), pairing="nearest")
    with pytest.raises(ValueError, match="scope 'national'"):
        indicators.asn_per_100(_indicators(), scopes=("national",))


# ------------------------------------------------------------------ calendar.span

def test_span_is_first_of_january_of_the_first_year_to_end_of_the_last_year():
    a = pd.DataFrame({"date": pd.to_datetime(["2024-02-14", "2025-08-27"])})
    b = pd.DataFrame({"start": pd.to_datetime([None, "2023-11-15"]),
                      "end": pd.to_datetime(["2023-11-15", None])})
    assert calendar.span(a) == (T("2024-01-01"), T("2025-12-31"))
    assert calendar.span(a, b) == (T("2023-01-01"), T("2025-12-31"))


def test_span_reads_month_and_day_text_in_a_date_column_and_widens_with_new_rows():
    waves = pd.DataFrame({"date": ["2023-01-11", "2024-05", "2026-05"], "count": [1, 2, 3]})
    assert calendar.span(waves) == (T("2023-01-01"), T("2026-12-31"))
    more = pd.concat([waves, pd.DataFrame({"date": ["2029-11"], "count": [4]})])
    assert calendar.span(more)[1] == T("2029-12-31")  # a follow-up row widens the range


def test_span_with_months_before_starts_on_the_first_of_that_month():
    waves = pd.DataFrame({"date": ["2023-01-11", "2026-05"]})
    assert calendar.span(waves, months_before=4) == (T("2022-09-01"), T("2026-12-31"))
    days = pd.DataFrame({"date": pd.to_datetime(["2024-06-30", "2024-07-01"])})
    assert calendar.span(days, months_before=1) == (T("2024-05-01"), T("2024-12-31"))
    assert calendar.span(days, months_before=6) == (T("2023-12-01"), T("2024-12-31"))


def test_span_without_dates_is_an_error():
    with pytest.raises(ValueError, match="no dates"):
        calendar.span(pd.DataFrame({"x": [1]}), pd.DataFrame({"date": [None]}))


# ------------------------------------------------------------------ text

@pytest.mark.parametrize("value, expected", [
    ("M1; T2", ["M1", "T2"]),
    ("key1;key2", ["key1", "key2"]),
    (" a ;; b ; ", ["a", "b"]),
    ("", []),
    (None, []),
    (float("nan"), []),
    (pd.NA, []),
    ("solo", ["solo"]),
])
def test_split_list(value, expected):
    assert text.split_list(value) == expected


def test_split_list_keep_empty_reports_empty_items():
    assert text.split_list("V1;;V2", keep_empty=True) == ["V1", "", "V2"]
    assert text.split_list("V1; ", keep_empty=True) == ["V1", ""]
    assert text.split_list(None, keep_empty=True) == []


@pytest.mark.parametrize("items, last, expected", [
    ([], "dan", ""),
    (["a"], "dan", "a"),
    (["a", "b"], "dan", "a dan b"),
    (["a", "b", "c"], "dan", "a, b dan c"),
    (["x", "y", "z"], "and", "x, y and z"),
    ((1, 2), "dan", "1 dan 2"),
])
def test_join_words(items, last, expected):
    assert text.join_words(items, last=last) == expected


def test_join_words_and_split_list_round_trip_a_cell_into_a_sentence():
    assert text.join_words(text.split_list("Pemilu 2024; Pilkada 2024;Pilkada ulang 2025")) == \
        "Pemilu 2024, Pilkada 2024 dan Pilkada ulang 2025"
