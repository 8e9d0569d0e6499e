"""Patronage diagram (D.3): evidence checks, graph, layered layout, routing and drawn content,
on small synthetic node/edge tables built here; plus the real data's evidence."""

from __future__ import annotations

import pandas as pd
import pytest

from netralitas import patronage, vocab
from netralitas.data import DataError
from netralitas.plots import patronage as plot
from netralitas.plots import style


def _nodes(rows):
    return pd.DataFrame(rows, columns=["node_id", "label", "level", "description", "source"]).assign(
        level=lambda f: f["level"].astype("Int64"))


def _edges(rows):
    return pd.DataFrame(rows, columns=["edge_id", "from", "to", "exchange", "description",
                                       "evidence", "source"])


@pytest.fixture()
def nodes():
    return _nodes([
        ("top1", "Atas satu", 1, "d", "k"),
        ("top2", "Atas dua", 1, "d", "k"),
        ("mid", "Tengah", 2, "d", "k"),
        ("low", "Bawah", 3, "d", "k"),
    ])


@pytest.fixture()
def edges():
    return _edges([
        ("P1", "top2", "mid", "positions", "d", "W1;sec:D.5", "k"),
        ("P2", "mid", "top2", "loyalty", "d", "sec:D.4.a", "k"),
        ("P3", "mid", "low", "direction", "d", "Q1;sec:D.3", "k"),
        ("P4", "low", "top1", "political_support", "d", "C1;sec:D.3", "k"),
        ("P5", "top2", "top1", "political_support", "d", "sec:A", "k"),
    ])


INDEX = {"Q1": "quotes.csv", "C1": "violations.csv", "W1": "mutations.csv"}


# ---------------------------------------------------------------------------------- evidence
def test_valid_evidence_passes(edges):
    patronage.check_evidence(edges, INDEX)


@pytest.mark.parametrize("evidence, message", [
    ("Q9;sec:D.3", r"line 4 \(data row 3\), column 'evidence': unknown evidence key 'Q9'"),
    ("Q1;sec:F", r"line 4 \(data row 3\), column 'evidence': 'sec:F' is not a section"),
    ("Q1;sec:D.6", r"line 4 \(data row 3\), column 'evidence': 'sec:D.6' is not a section"),
    ("Q1", r"line 4 \(data row 3\), column 'evidence': no section of the paper"),
    ("Q1;;sec:D.3", r"line 4 \(data row 3\), column 'evidence': empty key"),
])
def test_bad_evidence_names_file_line_and_column(edges, evidence, message):
    bad = edges.copy()
    bad.loc[2, "evidence"] = evidence
    with pytest.raises(DataError, match=r"data/patronage_edges.csv, " + message):
        patronage.check_evidence(bad, INDEX)


def test_evidence_index_collects_keys_from_each_file():
    q = pd.DataFrame({"quote_id": ["Q1"]})
    v = pd.DataFrame({"case_id": ["V1"]})
    m = pd.DataFrame({"wave_id": ["M1"]})
    assert patronage.evidence_index(q, v, m) == {"Q1": "quotes.csv", "V1": "violations.csv",
                                              "M1": "mutations.csv"}


def test_unknown_endpoint_and_self_loop_and_kind(nodes, edges):
    bad = edges.copy()
    bad.loc[1, "to"] = "nobody"
    with pytest.raises(DataError, match=r"line 3 \(data row 2\), column 'to': unknown node 'nobody'"):
        patronage.check_edges(nodes, bad)
    loop = edges.copy()
    loop.loc[0, "to"] = "top2"
    with pytest.raises(DataError, match=r"line 2 \(data row 1\), column 'to': an edge from 'top2' to itself"):
        patronage.check_edges(nodes, loop)
    kind = edges.copy()
    kind.loc[4, "exchange"] = "bribes"
    with pytest.raises(DataError, match=r"line 6 \(data row 5\), column 'exchange': unknown kind 'bribes'"):
        patronage.check_edges(nodes, kind)


# ------------------------------------------------------------------------------------ graph
def test_graph_keeps_parallel_exchanges(nodes, edges):
    g = patronage.graph(nodes, edges)
    assert set(g.nodes) == {"top1", "top2", "mid", "low"}
    assert sorted(k for _, _, k in g.edges(keys=True)) == ["P1", "P2", "P3", "P4", "P5"]
    assert g.number_of_edges("top2", "mid") == 1 and g.number_of_edges("mid", "top2") == 1
    assert g.nodes["low"]["level"] == 3


def test_positions_are_layered_by_level_and_centred(nodes):
    pos = plot.positions(nodes, x_gap=2.0, y_gap=1.0)
    assert pos["top1"] == (-1.0, 0.0) and pos["top2"] == (1.0, 0.0)  # file order, centred
    assert pos["mid"] == (0.0, -1.0) and pos["low"] == (0.0, -2.0)
    # every node of a lower level sits strictly below every node of a higher level
    level = dict(zip(nodes["node_id"], nodes["level"]))
    for a in pos:
        for b in pos:
            if level[a] < level[b]:
                assert pos[a][1] > pos[b][1]


def test_positions_are_deterministic(nodes):
    assert plot.positions(nodes) == plot.positions(nodes.copy())


def test_parallel_edges_get_separate_ports(nodes, edges):
    geo = plot.edge_geometry(nodes, edges).set_index("edge_id")
    # E1 (top2 -> mid) and E2 (mid -> top2) share the same pair of sides but not the same points
    assert geo.loc["P1", "x0"] != geo.loc["P2", "x1"]
    # an edge between rows leaves the bottom of the upper box: its start is below the upper centre
    assert geo.loc["P1", "y0"] < 0 and geo.loc["P1", "y1"] > -plot.Y_GAP


def test_edge_that_would_cross_a_box_goes_round_it():
    # low -> top2 right above the middle box: a straight line would cross 'mid'
    n = _nodes([("top", "A", 1, "d", "k"), ("mid", "B", 2, "d", "k"), ("low", "C", 3, "d", "k")])
    e = _edges([("P1", "low", "top", "political_support", "d", "sec:D.3", "k")])
    geo = plot.edge_geometry(n, e)
    assert geo.loc[0, "route"].startswith("outside")
    pts = plot._bezier(geo.loc[0, "ctrl"])
    boxes = plot._boxes(n, plot.positions(n), plot.BOX)
    assert plot._hits(pts, boxes, skip={"top", "low"}, margin=0.0) == 0


# ---------------------------------------------------------------------------------- drawing
def test_draw_has_every_node_edge_and_label(nodes, edges):
    fig = plot.draw(nodes, edges)
    assert style.drawn(fig, "node:") == ["low", "mid", "top1", "top2"]
    assert style.drawn(fig, "edge:") == ["P1", "P2", "P3", "P4", "P5"]
    assert style.drawn(fig, "edgelabel:") == ["P1", "P2", "P3", "P4", "P5"]
    assert style.drawn(fig, "level:") == ["1", "2", "3"]
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == [vocab.label("exchange", k) for k in
                      ("positions", "loyalty", "political_support", "direction")]


def test_new_node_and_edge_appear_without_code_change(nodes, edges):
    n2 = pd.concat([nodes, _nodes([("new", "Baru", 4, "d", "k")])], ignore_index=True)
    e2 = pd.concat([edges, _edges([("P6", "low", "new", "role_model", "d", "sec:D.1", "k")])],
                   ignore_index=True)
    fig = plot.draw(n2, e2)
    assert "new" in style.drawn(fig, "node:") and "P6" in style.drawn(fig, "edge:")
    assert "4" in style.drawn(fig, "level:")
    t = patronage.edges_table(n2, e2)
    assert t["Relasi"].tolist()[-1] == "P6" and t["Dari → kepada"].tolist()[-1] == "Bawah → Baru"


def test_edges_table_content(nodes, edges):
    t = patronage.edges_table(nodes, edges)
    assert list(t.columns) == ["Relasi", "Dari → kepada", "Pertukaran", "Uraian", "Bukti", "Sumber"]
    row = t.set_index("Relasi").loc["P3"]
    assert row["Dari → kepada"] == "Tengah → Bawah"
    assert row["Bukti"] == "Q1, bagian D.3"


def test_edge_colours_are_distinct_and_not_yellow():
    colours = [c for c, _ in plot.EXCHANGE_STYLES.values()]
    assert len(set(colours)) == len(colours)
    assert "#F0E442" not in colours


# ---------------------------------------------------------------------------------- real data
def test_book_data_evidence_resolves_and_every_exchange_kind_is_drawn():
    n, e = patronage.load()
    assert set(e["from"]) | set(e["to"]) <= set(n["node_id"])
    fig = plot.draw(n, e)
    assert style.drawn(fig, "edge:") == sorted(e["edge_id"])


def test_unknown_evidence_key_in_the_files_is_reported_with_its_line(project):
    path = project / "data" / "patronage_edges.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    head, first = lines[0], lines[1].split(",")
    cols = head.split(",")
    # replace the first edge's evidence (no quoted commas in the first row) with an unknown key
    first[cols.index("evidence")] = "ZZ99;sec:D.3"
    lines[1] = ",".join(first)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"patronage_edges.csv, line 2 \(data row 1\), column 'evidence': "
                                        r"unknown evidence key 'ZZ99'"):
        patronage.load()


def test_evidence_kinds_per_edge(edges):
    k = patronage.evidence_kinds(edges, INDEX).set_index("edge_id")
    cols = ["kutipan", "kasus", "mutasi", "bagian", "data"]
    assert k.loc["P1", cols].tolist() == [False, False, True, True, True]
    assert k.loc["P2", "data"] == False  # noqa: E712 - only a section of the paper
    assert k.loc["P3", "kutipan"] and k.loc["P4", "kasus"]
    assert int(k["data"].sum()) == 3


# ------------------------------------------------------------------------------- legibility
def test_parallel_edges_between_two_actors_fan_out():
    # three exchanges between the same two actors: the outer two bend away from the middle one
    n = _nodes([("a", "A", 1, "d", "k"), ("b", "B", 2, "d", "k")])
    e = _edges([("P1", "a", "b", "positions", "d", "sec:D.5", "k"),
                ("P2", "b", "a", "loyalty", "d", "sec:D.4.a", "k"),
                ("P3", "a", "b", "threat", "d", "sec:D.5", "k")])
    geo = plot.edge_geometry(n, e).set_index("edge_id")
    assert sorted(geo["route"]) == ["bend", "bend", "straight"]
    mid = {k: plot._bezier(geo.loc[k, "ctrl"])[20] for k in geo.index}  # curve midpoints
    xs = sorted(float(m[0]) for m in mid.values())
    # the midpoints are further apart than the ports at the boxes (fanned, not parallel)
    ports = sorted(float(geo.loc[k, "x0"]) if geo.loc[k, "y0"] < 0 else float(geo.loc[k, "x1"])
                   for k in geo.index)
    assert xs[-1] - xs[0] > ports[-1] - ports[0]


def test_label_clashes_reports_a_label_lying_on_another_edge():
    geo = pd.DataFrame({"edge_id": ["P1", "P2"],
                        "ctrl": [[(0.0, 0.0), (0.0, 1.0), (0.0, 2.0)],
                                 [(-1.0, 1.0), (0.0, 1.0), (1.0, 1.0)]],
                        "label_x": [0.0, 0.8], "label_y": [1.0, 1.0]})
    # P1's label sits where P2 crosses it; P2's label is clear of P1
    assert plot.label_clashes(geo) == [("P1", "edge:P2")]


def test_book_diagram_labels_clear_of_other_edges_and_level_names_in_their_own_lane():
    n, e = patronage.load()
    assert plot.label_clashes(plot.edge_geometry(n, e)) == []
    fig = plot.draw(n, e)
    lane, drawing = fig.axes[0], fig.axes[1]
    levels = [t for t in lane.texts if (t.get_gid() or "").startswith("level:")]
    assert len(levels) == n["level"].nunique()
    assert not any((p.get_gid() or "").startswith("edge:") for p in lane.patches)
    assert lane.get_position().x1 <= drawing.get_position().x0  # the lane is left of the drawing
    assert style.small_text(fig, 10.0) == []


# ------------------------------------------------------------------------------ independence
def _recs():
    from netralitas import evidence

    return evidence.Records.of(
        quotes=pd.DataFrame({"quote_id": ["Q1"]}),
        violations=pd.DataFrame({"case_id": ["C1"], "public_record": ["partly_confirmed"],
                                 "public_confirms": ["only the report"]}),
        mutations=pd.DataFrame({"wave_id": ["W1"], "found_in_public": [True]}))


def test_edge_support_takes_the_strongest_key(edges):
    s = patronage.edge_support(edges.assign(exchange_shown=True), _recs()).set_index("edge_id")
    assert s["support"].to_dict() == {"P1": "independent", "P2": "paper", "P3": "paper",
                                      "P4": "partial", "P5": "paper"}
    assert s.loc["P1", "independent_keys"] == "W1"
    assert s.loc["P4", "confirms"] == "C1: only the report"


def test_edges_table_with_support_adds_a_column_and_the_note(nodes, edges):
    e = edges.assign(note=["", "n", "", "", ""], exchange_shown=True)
    t = patronage.edges_table(nodes, e, patronage.edge_support(e, _recs())).set_index("Relasi")
    assert list(t.columns) == ["Dari → kepada", "Pertukaran", "Uraian", "Bukti", "Dukungan", "Sumber"]
    assert t.loc["P1", "Dukungan"] == "independen (W1)"
    assert t.loc["P4", "Dukungan"] == "sebagian (C1)"
    assert t.loc["P3", "Dukungan"] == "internal makalah"
    assert t.loc["P2", "Uraian"] == "d. *Catatan:* n" and t.loc["P1", "Uraian"] == "d"


def test_draw_marks_support_on_labels_with_a_second_legend(nodes, edges):
    sup = patronage.edge_support(edges.assign(exchange_shown=True), _recs())
    fig = plot.draw(nodes, edges, support=sup)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == [vocab.label("exchange", k) for k in
                      ("positions", "loyalty", "political_support", "direction")]
    marks = [t.get_text() for t in fig.legends[1].get_texts()]
    assert marks == ["Relasi " + vocab.label("support", k) for k in ("independent", "partial", "paper")]
    faces = {t.get_gid().split(":")[1]: t.get_bbox_patch().get_facecolor()
             for t in fig.axes[1].texts if (t.get_gid() or "").startswith("edgelabel:")}
    assert faces["P1"] != faces["P2"] and faces["P4"] not in (faces["P1"], faces["P2"])
    assert "P1" in plot.alt_text(nodes, edges, sup)


def test_book_edges_evidence_independence_after_the_review():
    from netralitas import evidence

    n, e = patronage.load()
    s = patronage.edge_support(e, evidence.records()).set_index("edge_id")
    # P04 no longer cites case V4 (a sanction for a breach, not a threat for refusing orders)
    assert "V4" not in e.set_index("edge_id").loc["P04", "evidence"]
    assert s.loc["P04", "support"] == "paper"
    # an edge is independent only through a key with an independent public record
    assert all(k for k in s.loc[s["support"] == "independent", "independent_keys"])


def test_a_public_record_of_the_event_alone_does_not_support_the_exchange(nodes, edges):
    # THE rule: without a record of the exchange itself (exchange_shown false or missing) every
    # edge rests on the paper, even one citing an independent wave (W1) or a partial case (C1)
    for e in (edges, edges.assign(exchange_shown=False)):
        s = patronage.edge_support(e, _recs()).set_index("edge_id")
        assert set(s["support"]) == {"paper"}
        assert s.loc["P1", "event_support"] == "independent" and s.loc["P4", "event_support"] == "partial"
        assert s.loc["P1", "independent_keys"] == "W1"
    shown = edges.assign(exchange_shown=[True, False, False, False, False])
    s = patronage.edge_support(shown, _recs()).set_index("edge_id")
    assert s["support"].to_dict() == {"P1": "independent", "P2": "paper", "P3": "paper",
                                      "P4": "paper", "P5": "paper"}
    t = patronage.edges_table(nodes, edges.assign(note=""), patronage.edge_support(edges, _recs()))
    assert t.set_index("Relasi").loc["P1", "Dukungan"] == (
        "internal makalah; peristiwanya tercatat publik (W1), pertukarannya tidak")


def test_book_edges_no_public_record_shows_an_exchange_and_the_book_addition_is_apart():
    from netralitas import evidence

    n, e = patronage.load()
    s = patronage.edge_support(e, evidence.records()).set_index("edge_id")
    paper = s[s["coding"] == "paper"]
    assert (paper["support"] == "paper").all()
    assert len(paper) == len(e) - 1 and s.loc["P02", "coding"] == "book"
    # the events behind P02, P10 and P11 are public, their exchanges are not
    assert set(s.index[s["event_support"] == "independent"]) == {"P02", "P10", "P11"}
