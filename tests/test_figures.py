"""Timelines (chapters A and D.5): windows, wave positions, totals, tables and figure content,
tested on small synthetic calendars built here."""

from __future__ import annotations

import pandas as pd
import pytest

from netralitas import calendar, data, mutations, regulations, text, vocab
from netralitas.data import DataError
from netralitas.plots import style, timelines

T = pd.Timestamp


def _elections(rows):
    return pd.DataFrame(rows, columns=["event_id", "date", "level", "election", "kind",
                                       "description", "source"]).assign(
        date=lambda f: pd.to_datetime(f["date"]))


#: Contest rows for the synthetic elections (an election id without a row in data/contests.csv is
#: an error, never printed raw).
CONTESTS = ("nat,Pemilu N,Election N,regular,2024,netralitasbuku2026\n"
            "a,Pilkada A,Election A,regular,2024,netralitasbuku2026\n"
            "b,Pilkada ulang B,Election B,rerun,2025,netralitasbuku2026\n"
            "c,Pilkada C,Election C,regular,2026,netralitasbuku2026\n")


@pytest.fixture()
def cal(project):
    with open(project / "data" / "contests.csv", "a", encoding="utf-8") as fh:
        fh.write(CONTESTS)
    return _elections([
        ("nat", "2024-02-14", "national", "nat", "voting_day", "d", "s1"),
        ("a-det", "2024-09-22", "city", "a", "candidate_determination", "d", "s2"),
        ("a", "2024-11-27", "city", "a", "voting_day", "d", "s2"),
        ("b-ann", "2024-12-13", "city", "b", "rerun_announcement", "d", "s3"),
        ("b-det", "2025-07-22", "city", "b", "candidate_determination", "d", "s3"),
        ("b", "2025-08-27", "city", "b", "voting_day", "d", "s3"),
        ("b-inaug", "2025-10-15", "city", "b", "inauguration", "d", "s4"),
    ])


@pytest.fixture()
def leaders():
    return pd.DataFrame({
        "term_id": ["old", "pj1", "pj2", "new"],
        "holder": ["A", "B", "C", "D"],
        "role": ["elected", "acting", "acting", "elected"],
        "start": pd.to_datetime([None, "2023-11-15", "2024-07-31", "2025-10-15"]),
        "end": pd.to_datetime(["2023-11-15", "2024-07-31", "2025-10-15", None]),
        "source": ["k"] * 4,
    })


def _legal(rows):
    return pd.DataFrame(rows, columns=["event_id", "date", "election", "reg_id", "kind", "count",
                                       "description", "source"]).assign(
        date=lambda f: pd.to_datetime(f["date"]))


def _waves(rows):
    f = pd.DataFrame(rows, columns=["wave_id", "date", "count", "count_qualifier", "unit", "scope",
                                    "authority", "stated_in_paper", "found_in_public",
                                    "date_note", "source"])
    f["count"] = f["count"].astype("Int64")
    f["stated_in_paper"] = f["stated_in_paper"].astype("boolean")
    f["found_in_public"] = f["found_in_public"].astype("boolean")
    return f


# ------------------------------------------------------------------------------ Pasal 71 windows
def test_window_start_is_six_months_before_determination_when_no_source_states_it(cal):
    w = calendar.pasal71_windows(cal).set_index("election")
    # 2024-09-22 minus six calendar months = 2024-03-22; 2025-07-22 -> 2025-01-22
    assert w.loc["a", "start"] == T("2024-03-22")
    assert w.loc["b", "start"] == T("2025-01-22")
    assert set(w["start_basis"]) == {"inferred"}


def test_stated_start_overrides_computed_start_and_keeps_both(cal):
    legal = _legal([("x", "2024-03-20", "a", "r", "window_start_stated", None, "d", "src9")])
    w = calendar.pasal71_windows(cal, legal).set_index("election")
    assert w.loc["a", "start"] == T("2024-03-20")
    assert w.loc["a", "start_computed"] == T("2024-03-22")
    assert w.loc["a", "start_basis"] == "stated" and w.loc["b", "start_basis"] == "inferred"
    assert "src9" in w.loc["a", "source"].split(";")


def test_window_ends_at_own_inauguration_or_else_the_next_one(cal):
    w = calendar.pasal71_windows(cal).set_index("election")
    # election b has its own inauguration; election a (no winner) runs to the next one at city level
    assert w.loc["b", "end"] == T("2025-10-15") and w.loc["b", "end_basis"] == "inauguration"
    assert w.loc["a", "end"] == T("2025-10-15") and w.loc["a", "end_basis"] == "next_inauguration"


def test_window_without_any_inauguration_is_open(cal):
    w = calendar.pasal71_windows(cal[cal["kind"] != "inauguration"])
    assert w["end"].isna().all() and set(w["end_basis"]) == {"open"}


def test_only_elections_with_a_determination_get_a_window(cal):
    assert list(calendar.pasal71_windows(cal)["election"]) == ["a", "b"]


def test_two_determinations_for_one_election_is_a_data_error(cal):
    extra = _elections([("a-det2", "2024-10-01", "city", "a", "candidate_determination", "d", "s")])
    with pytest.raises(DataError, match="election 'a'.*more than one candidate_determination"):
        calendar.pasal71_windows(pd.concat([cal, extra], ignore_index=True))


def test_pasal162_window_is_six_months_after_each_inauguration(cal):
    w = calendar.pasal162_windows(cal)
    assert list(w["start"]) == [T("2025-10-15")] and list(w["end"]) == [T("2026-04-15")]


# ------------------------------------------------------------------------------ waves vs windows
def test_wave_spans_day_and_month():
    s = mutations.wave_spans(_waves([("w1", "2024-02", 5, "exact", "ASN", "", "", True, False, None, "k"),
                                   ("w2", "2023-01-11", 5, "exact", "ASN", "", "", True, False, None, "k")]))
    assert list(s["first"]) == [T("2024-02-01"), T("2023-01-11")]
    assert list(s["last"]) == [T("2024-02-29"), T("2023-01-11")]  # leap year month end
    assert list(s["precision"]) == ["month", "day"]


def test_wave_with_impossible_month_names_file_row_and_column():
    with pytest.raises(DataError, match=r"mutations.csv, line 3 \(data row 2\), column 'date'"):
        mutations.wave_spans(_waves([("w1", "2024-02", 1, "exact", "", "", "", True, False, None, "k"),
                                   ("w2", "2024-13", 1, "exact", "", "", "", True, False, None, "k")]))


def test_waves_inside_partly_outside(cal):
    windows = pd.DataFrame({"window_id": ["p71-a"], "rule": ["p71"], "label": ["Pasal 71 · a"],
                            "election": ["a"], "start": [T("2024-03-22")], "end": [T("2024-10-15")],
                            "basis": ["b"], "source": ["s"]})
    waves = _waves([
        ("before", "2024-01", 1, "exact", "", "", "", True, False, None, "k"),
        ("edge", "2024-03", 1, "exact", "", "", "", True, False, None, "k"),   # 1-31 March: overlaps
        ("in", "2024-05", 1, "exact", "", "", "", True, False, None, "k"),
        ("inday", "2024-10-15", 1, "exact", "", "", "", True, False, None, "k"),  # last day counts
        ("after", "2024-10-16", 1, "exact", "", "", "", True, False, None, "k"),
    ])
    p = mutations.wave_position(waves, cal, windows=windows).set_index("wave_id")["pasal71"]
    assert p.to_dict() == {"before": "outside", "edge": "partly", "in": "inside",
                           "inday": "inside", "after": "outside"}


def test_mutation_totals_hand_computed():
    waves = _waves([
        ("p1", "2024-01", 140, "exact", "", "", "", True, False, None, "k"),
        ("p2", "2024-05", 79, "exact", "", "", "", True, False, None, "k"),
        ("pv", "2023-12", None, "tens", "", "", "", True, False, None, "k"),
        ("pub", "2023-01-11", 139, "exact", "", "", "", False, True, None, "k"),
    ])
    t = mutations.mutation_totals(waves, tens=(10, 99))
    assert (t["n_waves"], t["n_paper"], t["n_public"], t["n_both"]) == (4, 3, 1, 0)
    assert t["sum_paper_exact"] == 219 and t["sum_exact"] == 358
    assert (t["paper_min"], t["paper_max"]) == (229, 318)
    assert (t["all_min"], t["all_max"]) == (368, 457)
    assert t["n_without_count"] == 1


# ------------------------------------------------------------------------------------- tables
def test_waves_table_in_date_order_with_words_for_vague_counts():
    waves = _waves([
        ("late", "2026-05", 17, "exact", "Eselon II officials", "x", "", True, False, None, "k1"),
        ("vague", "2023-12", None, "tens", "ASN", "y", "", True, False, None, "k2"),
        ("pub", "2023-01-11", 139, "exact", "ASN", "z", "", False, True, None, "k3"),
    ])
    pos = pd.DataFrame({"wave_id": ["late", "vague", "pub"],
                        "pasal71": ["outside", "partly", "inside"]})
    t = mutations.waves_table(waves, pos)
    assert list(t["Gelombang"]) == ["pub", "vague", "late"]
    assert list(t["Jumlah"]) == ["139 ASN", "puluhan ASN", "17 pejabat Eselon II"]
    assert list(t["Waktu"]) == ["2023-01-11", "2023-12", "2026-05"]  # ISO, month precision kept
    assert list(t["Jendela Pasal 71"]) == ["di dalam", "sebagian", "di luar"]
    assert list(t["Tercatat di"]) == ["sumber publik saja", "makalah saja", "makalah saja"]
    assert list(t["Sumber"]) == ["k3", "k2", "k1"]


def test_waves_table_is_in_indonesian_with_thousands_separators():
    waves = _waves([
        ("big", "2024-01", 1200, "exact", "ASN", "x", "", True, True, None, "k1"),
        ("es2", "2026-05", 17, "exact", "Eselon II officials", "y", "", True, False, None, "k2"),
    ])
    t = mutations.waves_table(waves)
    assert list(t["Jumlah"]) == ["1,200 ASN", "17 pejabat Eselon II"]
    assert list(t["Tercatat di"]) == ["makalah dan sumber publik", "makalah saja"]
    assert "Cakupan" not in t.columns and "officials" not in " ".join(t["Jumlah"])


def test_regulations_table_names_the_replacement_and_orders_by_citation():
    regs = pd.DataFrame({
        "reg_id": ["new", "old", "impl"],
        "instrument": ["UU Baru", "UU Lama", "UU Lain"],
        "article": [None, None, "Pasal 9"],
        "subject": ["s1", "s2", "s3"],
        "cited_in_paper": ["no", "explicit", "implicit"],
        "in_force_at_events": ["yes", "no", "yes"],
        "status_today": ["in_force", "repealed", "amended"],
        "superseded_by": [None, "new", None],
        "note": [None] * 3,
        "source": ["a", "b", "c"],
    })
    t = regulations.regulations_table(regulations.legal_currency(regs, include_uncited=True))
    assert list(t["Instrumen"]) == ["UU Lama", "UU Lain, Pasal 9", "UU Baru"]
    # the replacement is named in the status cell (one narrow column instead of two)
    assert list(t["Status kini"]) == ["dicabut; diganti UU Baru", "berlaku dengan perubahan",
                                      "berlaku"]
    assert list(t.columns) == ["Instrumen", "Mengatur", "Dikutip makalah", "Berlaku saat peristiwa",
                               "Status kini", "Sumber"]
    assert list(t["Dikutip makalah"]) == [vocab.label("cited_in_paper", c)
                                          for c in ("explicit", "implicit", "no")]


def test_short_instrument_names():
    assert regulations.short_instrument("UU Nomor 5 Tahun 2014 tentang ASN") == "UU 5/2014 tentang ASN"
    assert regulations.short_instrument("PP Nomor 94 Tahun 2021") == "PP 94/2021"
    assert regulations.short_instrument("SKB Netralitas ASN 2022") == "SKB Netralitas ASN 2022"
    regs = pd.DataFrame({
        "reg_id": ["old", "new"], "instrument": ["UU Nomor 1 Tahun 2000 tentang X",
                                                 "UU Nomor 2 Tahun 2020 tentang Y"],
        "article": [None, None], "subject": ["s", "s"], "cited_in_paper": ["explicit", "no"],
        "in_force_at_events": ["no", "yes"], "status_today": ["repealed", "in_force"],
        "superseded_by": ["new", None], "note": [None, None], "source": ["a", "b"]})
    t = regulations.regulations_table(regulations.legal_currency(regs, include_uncited=True))
    assert list(t["Instrumen"]) == ["UU 1/2000 tentang X", "UU 2/2020 tentang Y"]
    assert t["Status kini"][0] == "dicabut; diganti UU 2/2020"  # short code of the replacement


# ------------------------------------------------------------------------------------ figures
def test_election_timeline_draws_every_term_acting_band_and_event(cal, leaders):
    fig = timelines.election_timeline(cal, leaders, start="2023-01-01", end="2026-12-31")
    assert style.drawn(fig, "band:") == ["new", "old", "pj1", "pj2"]
    assert style.drawn(fig, "acting:") == ["pj1", "pj2"]
    assert style.drawn(fig, "event:") == sorted(cal["event_id"])
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    # lanes in order of each election's first event
    assert labels == ["Wali kota", "Pemilu N", "Pilkada A", "Pilkada ulang B"]


def test_election_timeline_drops_events_outside_the_range(cal, leaders):
    fig = timelines.election_timeline(cal, leaders, start="2025-01-01", end="2025-12-31")
    assert style.drawn(fig, "event:") == ["b", "b-det", "b-inaug"]
    assert style.drawn(fig, "band:") == ["new", "pj2"]


def test_adding_an_event_row_adds_a_marker(cal, leaders):
    extra = _elections([("c", "2026-06-01", "city", "c", "voting_day", "d", "s")])
    fig = timelines.election_timeline(pd.concat([cal, extra], ignore_index=True), leaders)
    assert "c" in style.drawn(fig, "event:")
    assert len(fig.axes[0].get_yticklabels()) == 5


def test_mutation_timeline_shades_every_window_and_marks_every_wave(cal, leaders):
    legal = _legal([("x", "2024-03-22", "a", "r", "window_start_stated", None, "d", "s"),
                    ("h", "2026-01-12", "b", "r", "acting_officials_held", 8, "d", "s")])
    windows = calendar.pasal71_windows(cal, legal)
    waves = _waves([("w1", "2024-05", 79, "exact", "", "", "", True, False, None, "k"),
                    ("w2", "2023-12", None, "tens", "", "", "", True, False, None, "k"),
                    ("w3", "2023-01-11", 139, "exact", "", "", "", False, True, None, "k")])
    fig = timelines.mutation_timeline(waves, cal, leaders, windows, calendar.pasal162_windows(cal), legal)
    assert style.drawn(fig, "shade:") == ["a", "b"]
    assert style.drawn(fig, "window:") == ["a", "b"]
    assert style.drawn(fig, "wave:") == ["w1", "w2", "w3"]
    assert style.drawn(fig, "approval:") == ["b"]
    assert style.drawn(fig, "legal:") == ["h"]
    # voting days as dashed lines in both panels
    assert style.drawn(fig, "vote:") == ["a", "b", "nat"]
    hatched = [p.get_gid() for ax in fig.axes for p in ax.patches if p.get_hatch()]
    assert hatched == ["window:b"]  # only the inferred start is hatched


def _d5_figure(cal, leaders, waves):
    legal = _legal([("x", "2024-03-22", "a", "r", "window_start_stated", None, "d", "s"),
                    ("h", "2026-01-12", "b", "r", "acting_officials_held", 8, "d", "s")])
    windows = calendar.pasal71_windows(cal, legal)
    return timelines.mutation_timeline(waves, cal, leaders, windows, calendar.pasal162_windows(cal),
                                     legal)


def test_wave_without_a_number_is_a_hollow_marker_below_zero_not_a_zero_count(cal, leaders):
    waves = _waves([("w1", "2024-05", 79, "exact", "ASN", "", "", True, False, None, "k"),
                    ("w2", "2023-12", None, "tens", "ASN", "", "", True, False, None, "k")])
    fig = _d5_figure(cal, leaders, waves)
    marks = {m.get_gid(): m for ax in fig.axes for m in ax.lines if m.get_gid()}
    assert marks["wave:w1"].get_ydata()[0] == 79
    assert marks["wave:w2"].get_ydata()[0] < 0            # in the strip, not on the zero line
    assert marks["wave:w2"].get_markerfacecolor() == "white"  # hollow
    assert style.drawn(fig, "strip:") == ["no-count"]
    legend = " ".join(t.get_text() for t in fig.legends[0].get_texts())
    assert "Jumlah tidak disebut" in legend


def test_eselon_wave_has_its_own_marker_and_legend_entry(cal, leaders):
    waves = _waves([("asn", "2024-05", 79, "exact", "ASN", "", "", True, False, None, "k"),
                    ("es", "2026-05", 17, "exact", "Eselon II officials", "", "", True, False, None, "k")])
    fig = _d5_figure(cal, leaders, waves)
    marks = {m.get_gid(): m for ax in fig.axes for m in ax.lines if m.get_gid()}
    assert marks["wave:asn"].get_marker() != marks["wave:es"].get_marker()
    legend = [t.get_text().replace("\n", " ") for t in fig.legends[0].get_texts()]
    assert "Jumlah ASN" in legend and "Jumlah pejabat Eselon II" in legend
    # without an Eselon II wave there is no Eselon II entry
    fig2 = _d5_figure(cal, leaders, waves.iloc[:1])
    assert not any("Eselon" in t.get_text() for t in fig2.legends[0].get_texts())


def test_d5_legend_names_every_window_band(cal, leaders):
    waves = _waves([("w1", "2024-05", 79, "exact", "ASN", "", "", True, False, None, "k")])
    fig = _d5_figure(cal, leaders, waves)
    legend = [t.get_text().replace("\n", " ") for t in fig.legends[0].get_texts()]
    # one entry per shaded Pasal 71 window (named from data/contests.csv) plus Pasal 162
    assert any(t.startswith("Jendela Pasal 71, Pilkada A") for t in legend)
    assert "Jendela Pasal 71, Pilkada ulang B (awal dihitung)" in legend
    assert "Jendela Pasal 162 ayat (3)" in legend
    assert "Penetapan pasangan calon" in legend and "Jabatan masih dipegang Plt" in legend


def test_small_text_finds_text_below_the_threshold():
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.add_subplot()
    ax.text(0, 0, "kecil", fontsize=7)
    ax.text(0, 0, "besar", fontsize=12)
    ax.tick_params(labelsize=10)
    assert style.small_text(fig) == [("kecil", 7.0)]


def test_book_figures_are_legible_and_names_fit_their_bars():
    el, le = data.load("elections"), data.load("leadership")
    lg, mut = data.load("legal_events"), data.load("mutations")
    # chapter A's range: the span of every dated frame it shows (book/a_pendahuluan)
    start, end = calendar.span(el, le, mut, lg)
    a = timelines.election_timeline(el, le, start=start, end=end)
    d5 = timelines.mutation_timeline(mut, el, le, calendar.pasal71_windows(el, lg),
                                   calendar.pasal162_windows(el), lg, start="2022-09-01")
    for fig in (a, d5):
        assert style.small_text(fig, 10.0) == []
        assert timelines.overflowing_labels(fig) == []
    # the date labels of chapter A do not overlap one another
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    canvas = FigureCanvasAgg(a)
    canvas.draw()  # places the annotations
    renderer = canvas.get_renderer()
    boxes = [Text.get_window_extent(t, renderer) for t in a.axes[0].texts  # text only, no leader
             if (t.get_gid() or "").startswith("date:")]
    assert len(boxes) == int(el["kind"].isin(calendar.KEY_KINDS).sum())
    for i, b1 in enumerate(boxes):
        for b2 in boxes[i + 1:]:
            assert not b1.overlaps(b2)


def test_overflowing_labels_catches_a_name_wider_than_its_bar(leaders):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4, 2))
    ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
    timelines._year_axis(ax, "2023-01-01", "2026-12-31")
    tm = calendar.terms(leaders, "2023-01-01", "2026-12-31")
    timelines._draw_terms(ax, tm, 0, 0.8)
    assert timelines.overflowing_labels(fig) == []
    # a label with one unbreakable long word cannot be wrapped into the short term pj1
    for t in ax.texts:
        if t.get_gid() == "bandlabel:pj1":
            t.set_text("Abcdefghijklmnopqrstuvwxyz")
    assert timelines.overflowing_labels(fig) == ["pj1"]


def test_real_windows_follow_the_data():
    """On the book's data: the Pilkada 2024 start comes from the stated row, the re-run's is computed."""
    w = calendar.pasal71_windows(data.load("elections"), data.load("legal_events")).set_index("election")
    legal = data.load("legal_events")
    stated = legal[legal["kind"] == "window_start_stated"].set_index("election")["date"]
    for e in w.index:
        if e in stated.index:
            assert w.loc[e, "start"] == stated[e] and w.loc[e, "start_basis"] == "stated"
        else:
            assert w.loc[e, "start"] == w.loc[e, "determination"] - pd.DateOffset(months=6)


def test_heads_during_uses_successor_on_changeover_day(leaders):
    h = calendar.heads_during(leaders, "2024-07-31", "2024-07-31")
    assert list(h["term_id"]) == ["pj2"]
    h = calendar.heads_during(leaders, "2024-07-01", "2024-07-31")  # a month spanning the change
    assert list(h["term_id"]) == ["pj1", "pj2"]
    assert list(calendar.heads_during(leaders, "2023-01-11", "2023-01-11")["term_id"]) == ["old"]


def test_waves_table_names_the_head_of_the_city(leaders):
    waves = _waves([("w", "2023-12", None, "tens", "ASN", "x", "", True, False, None, "k")])
    t = mutations.waves_table(waves, leadership=leaders)
    assert list(t["Kepala daerah"]) == ["B (Pj)"]


def test_date_labels_of_close_events_get_different_slots():
    placed = []
    for x in (0.0, 36.0, 85.0):  # three events within three months in one lane
        slot = timelines._free_slot(placed, x, min_gap_days=110)
        placed.append((x, *slot))
    assert [(s, t) for _, s, t in placed] == [("up", 0), ("down", 0), ("up", 1)]
    # far apart events reuse the first slot
    assert timelines._free_slot([(0.0, "up", 0)], 400.0) == ("up", 0)
    # with room to the right of the marker, the third label goes there before a higher tier
    placed = [(0.0, "up", 0), (36.0, "down", 0)]
    assert timelines._free_slot(placed, 85.0, 110, right_free=True) == ("right", 0)


def test_windows_table_says_how_start_and_end_were_obtained(cal):
    legal = _legal([("x", "2024-03-20", "a", "r", "window_start_stated", None, "d", "src9")])
    t = calendar.windows_table(calendar.pasal71_windows(cal, legal))
    assert list(t["Pemilihan"]) == ["Pilkada A", "Pilkada ulang B"]
    assert list(t["Awal jendela"]) == ["2024-03-20 (menurut sumber resmi)",
                                       "2025-01-22 (dihitung mundur; asumsi buku ini, tidak "
                                       "ditemukan surat)"]
    assert t["Akhir jendela"].tolist()[0].startswith("2025-10-15 (pelantikan berikutnya")
    assert list(t.columns) == ["Pemilihan", "Penetapan paslon", "Awal jendela", "Akhir jendela",
                               "Sumber"]
    t_open = calendar.windows_table(calendar.pasal71_windows(cal[cal["kind"] != "inauguration"]))
    assert [v.startswith("terbuka") for v in t_open["Akhir jendela"]] == [True, True]


def test_date_id_is_iso():
    assert text.date_id(T("2024-02-14")) == "2024-02-14"
    assert text.date_id(T("2023-12-01"), "month") == "2023-12"


def _claims(rows):
    return pd.DataFrame(rows, columns=["claim_id", "section", "claim", "stated_value", "unit",
                                       "qualifier", "check_method", "check_ref", "note", "source"])


def test_paper_wave_claims_picks_the_aggregates_of_the_section():
    c = _claims([
        ("C1", "D.5", "waves", "5", "gelombang", "at_least", "recompute", "", "", "k"),
        ("C2", "D.5", "people", "300", "ASN", "more_than", "recompute", "", "", "k"),
        ("C3", "D.5", "one wave", "140", "ASN", "exact", "not_checkable", "", "", "k"),
        ("C4", "D.1", "other", "3648", "ASN", "more_than", "public_source", "", "", "k"),
    ])
    got = mutations.paper_wave_claims(c)
    assert (got["waves"]["claim_id"], got["waves"]["value"]) == ("C1", 5)
    assert (got["asn"]["claim_id"], got["asn"]["value"], got["asn"]["qualifier"]) == ("C2", 300, "more_than")


def test_paper_wave_claims_missing_or_not_numeric_is_a_data_error():
    c = _claims([("C1", "D.5", "waves", "5", "gelombang", "at_least", "recompute", "", "", "k")])
    with pytest.raises(DataError, match="unit 'ASN', found 0"):
        mutations.paper_wave_claims(c)
    c2 = _claims([("C1", "D.5", "waves", "lima", "gelombang", "at_least", "recompute", "", "", "k"),
                  ("C2", "D.5", "people", "300", "ASN", "more_than", "recompute", "", "", "k")])
    with pytest.raises(DataError, match=r"claim C1, column 'stated_value': 'lima' is not a number"):
        mutations.paper_wave_claims(c2)


def test_voting_days_heads(cal, leaders):
    v = calendar.voting_days_heads(cal, leaders).set_index("event_id")
    # nat 2024-02-14 -> pj1; a 2024-11-27 -> pj2; b 2025-08-27 -> pj2 (new mayor only from 2025-10-15)
    assert v["holder"].to_dict() == {"nat": "B", "a": "C", "b": "C"}
    assert v["acting"].all()
    late = _elections([("c", "2026-01-05", "city", "c", "voting_day", "d", "s")])
    v2 = calendar.voting_days_heads(late, leaders)
    assert list(v2["holder"]) == ["D"] and not v2["acting"].any()
