"""Tables (cases.table1, indicators.asn_per_100, tables.to_myst, datadoc): content checks on small
frames built here and on the real data."""

from __future__ import annotations

import pandas as pd

from netralitas import cases, data, datadoc, indicators, tables


def test_table1_has_the_papers_columns_in_the_papers_order():
    t = cases.table1(data.load("violations"))
    assert list(t.columns) == ["Tahun", "Pejabat/Terduga", "Bentuk Pelanggaran", "Sanksi", "Sumber"]
    # every row cites the paper itself and at least one source
    assert t["Sumber"].str.contains("ansyari2026netralitas").all()


def test_table1_order_and_filter_from_synthetic_rows():
    v = pd.DataFrame({
        "case_id": ["V2", "V1", "V9"], "year": [2025, 2024, 2023],
        "position": ["b", "a", "z"], "act": ["x", "y", "w"], "sanction": ["s", "t", "u"],
        "paper_table_row": pd.array([2, 1, None], dtype="Int64"), "source": ["k", "k", "k"]})
    t = cases.table1(v)
    assert t["Pejabat/Terduga"].tolist() == ["a", "b"]  # paper order; untabled case dropped


def test_asn_ratios_hand_computed():
    ind = pd.DataFrame({
        "indicator_id": ["I-ASN", "I-P1", "I-P2"],
        "scope": ["city"] * 3,
        "indicator": ["asn_total", "population", "population"],
        "variant": ["a", "p1", "p2"],
        "value": [50.0, 1000.0, 5000.0],
        "ref_period": ["2025", "2020", None],
        "source": ["s1", "s2", "s3"],
    })
    r = (indicators.asn_per_100(ind, scopes=("city",), pairing="closest", stated=False)
         .sort_values("population").reset_index(drop=True))
    # 50 / 1000 * 100 = 5.0 per 100; 50 / 5000 * 100 = 1.0 per 100
    assert r["estimate"].tolist() == [5.0, 1.0]
    assert r["per_resident"].tolist() == [20.0, 100.0]
    # bib.merge_keys keeps the order of its arguments: the ASN count's keys, then the population's
    assert r["source"].tolist() == ["s1;s2", "s1;s3"]
    shown = indicators.ratio_table(r)  # chapter D.1: smallest population first
    assert shown["ASN per 100"].tolist() == ["5.00", "1.00"]
    assert shown["Penduduk per ASN"].tolist() == ["20.00", "100.00"]
    assert shown["Sumber"].tolist() == ["s1;s2", "s1;s3"]


def test_to_myst_renders_citations_and_keeps_pipes():
    df = pd.DataFrame({"A": ["x|y"], "Sumber": ["k1;k2"]})
    md = tables.to_myst(df, "Judul `a.csv`", "tbl-x").data
    # a colon fence, so a title with backticks stays a valid directive
    assert md.startswith(":::{list-table} Judul `a.csv`\n:header-rows: 1\n:name: tbl-x")
    assert md.rstrip().endswith(":::")
    # list-table cells need no pipe escaping (a backslash would show inside code spans)
    assert "{cite:p}`k1,k2`" in md and "* - x|y" in md


def test_codebook_lists_every_field_with_keys(project):
    cb = datadoc.codebook("violations", project / "data")
    schema = data.schema("violations", project / "data")
    assert cb["Kolom"].tolist() == [f"`{f['name']}`" for f in schema["fields"]]
    keys = dict(zip(cb["Kolom"], cb["Kunci"]))
    assert keys["`case_id`"] == "PK"
    assert keys["`election`"] == "FK → elections.event_id"
    assert cb["Keterangan"].str.len().gt(0).all()


def test_codebook_reflects_a_new_field(project):
    import json

    sp = project / "data/schemas/mutations.json"
    schema = json.loads(sp.read_text())
    schema["fields"].insert(0, schema["fields"][0] | {"name": "extra_col", "description": "X"})
    sp.write_text(json.dumps(schema))
    cb = datadoc.codebook("mutations", project / "data")
    assert cb["Kolom"].iloc[0] == "`extra_col`" and cb["Keterangan"].iloc[0] == "X"


def test_resources_overview_counts_rows(project):
    ov = datadoc.resources_overview(project / "data")
    lookup = dict(zip(ov["Berkas"], ov["Baris"]))
    with open(project / "data/violations.csv", encoding="utf-8") as fh:
        n_lines = sum(1 for _ in fh) - 1
    assert lookup["`violations.csv`"] == n_lines
