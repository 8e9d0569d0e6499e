"""The data layer: the real package validates, and each kind of defect gives one clear error."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from netralitas import data
from netralitas.data import DataError


def test_real_package_is_valid():
    data.validate()
    assert set(data.resources()) >= {
        "elections", "leadership", "violations", "indicators", "mutations", "regulations"}


@pytest.mark.parametrize("name", ["elections", "leadership", "violations", "indicators",
                                  "mutations", "regulations"])
def test_every_field_is_described_and_every_row_has_a_source(name):
    schema = data.schema(name)
    for field in schema["fields"]:
        assert field.get("description"), f"{name}.{field['name']} has no description"
    frame = data.load(name)
    assert "source" in frame.columns and frame["source"].notna().all()


def test_dtypes_follow_the_schema():
    v = data.load("violations")
    assert str(v["year"].dtype) == "Int64"
    assert pd.api.types.is_datetime64_any_dtype(v["date"])
    m = data.load("mutations")
    assert str(m["stated_in_paper"].dtype) == "boolean"
    assert str(data.load("indicators")["value"].dtype) == "Float64"


def _replace_cell(path, line_no, column, new):
    """Rewrite one cell of a CSV (1-based file line) through the csv module."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    col = rows[0].index(column)
    rows[line_no - 1][col] = new
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _error(project):
    with pytest.raises(DataError) as info:
        data.load("violations", project / "data")
    msg = str(info.value)
    assert "\n" not in msg, "the error must be one line"
    return msg


def _digest(root):
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()}


def test_wrong_type_names_file_line_and_column(project):
    _replace_cell(project / "data/violations.csv", 3, "year", "dua ribu")
    before = _digest(project)
    msg = _error(project)
    assert msg.startswith("data/violations.csv, line 3 (data row 2), column 'year': type error")
    assert "dua ribu" in msg
    assert _digest(project) == before, "validation must not modify input files"


def test_missing_column(project):
    p = project / "data/violations.csv"
    lines = p.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace("sanction_rank", "sanction_level")
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    msg = _error(project)
    assert msg.startswith("data/violations.csv, line 1, column 'sanction_rank': missing column")


def test_bad_date(project):
    _replace_cell(project / "data/violations.csv", 2, "date", "2024-02-30")
    msg = _error(project)
    assert "data/violations.csv, line 2 (data row 1), column 'date': type error" in msg


def test_duplicate_id(project):
    _replace_cell(project / "data/violations.csv", 3, "case_id", "V1")
    msg = _error(project)
    assert "data/violations.csv, line 3 (data row 2), column 'case_id'" in msg
    assert "unique" in msg


def test_foreign_key_to_nothing(project):
    _replace_cell(project / "data/violations.csv", 4, "election", "pemilu2029")
    msg = _error(project)
    assert msg.startswith("data/violations.csv, line 4 (data row 3)")
    assert "foreign key" in msg and "pemilu2029" in msg


def test_unknown_source_key(project):
    _replace_cell(project / "data/violations.csv", 5, "source", "ansyari2026netralitas;nosuchkey")
    msg = _error(project)
    assert msg == ("data/violations.csv, line 5 (data row 4), column 'source': unknown source key "
                   "'nosuchkey' (not in references.bib)")


def test_constraint_violation_names_the_value(project):
    _replace_cell(project / "data/violations.csv", 2, "sanction_rank", "7")
    msg = _error(project)
    assert "column 'sanction_rank': constraint error: value '7'" in msg


def test_non_utf8_and_bom(project):
    p = project / "data/violations.csv"
    raw = p.read_bytes()
    p.write_bytes(b"\xef\xbb\xbf" + raw)
    assert "byte-order mark" in _error(project)
    p.write_bytes(raw.replace(b"Teguran", "Tegur\xe1n".encode("latin-1"), 1))
    assert "not valid UTF-8" in _error(project)


def test_unknown_resource_is_a_clear_error():
    with pytest.raises(DataError, match="no resource named 'nope'"):
        data.load("nope")
