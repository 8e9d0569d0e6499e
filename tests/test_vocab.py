"""Labels are data: ``data/vocabulary.csv`` and ``data/contests.csv``, read by ``netralitas.vocab``.

An id without a label fails validation (file, line, column and the row to add) before any
chapter runs; asking for an unknown label raises ``LabelError`` naming the file; an election id
must be a row of ``contests.csv`` (a foreign key); and no module keeps a dictionary of
reader-facing labels for data ids.
"""

from __future__ import annotations

import ast
import csv
import io
import json
import re
from pathlib import Path

import pytest

from netralitas import data, vocab
from netralitas.build import execute as ex
from netralitas.data import DataError
from netralitas.vocab import LabelError

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "src" / "netralitas"


def _set_cell(path: Path, data_row: int, column: str, value: str) -> None:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[data_row][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _vocabulary_fields() -> list[tuple[str, str, str]]:
    """``(resource, field, vocabulary)`` for every field whose schema names a vocabulary."""
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    out = []
    for r in package["resources"]:
        schema = json.loads((ROOT / "data" / r["schema"]).read_text(encoding="utf-8"))
        out += [(r["name"], f["name"], f["vocabulary"]) for f in schema["fields"]
                if f.get("vocabulary")]
    return out


# ------------------------------------------------------------------------- validation

def test_an_unlabelled_id_fails_validation_with_file_line_column_and_row_to_add(project):
    _set_cell(project / "data" / "violations.csv", 2, "position_group", "sekretaris_dprd")
    with pytest.raises(DataError) as err:
        data.validate(project / "data")
    msg = str(err.value)
    assert msg.startswith("data/violations.csv, line 3 (data row 2), column 'position_group': "
                          "'sekretaris_dprd' has no label in data/vocabulary.csv")
    assert "position_group,sekretaris_dprd,<label_id>,<short_id>,<label_en>,<source>" in msg
    # make book's validation step reports the same single line, before any chapter runs
    assert ex.validate_inputs(project) == msg


def test_adding_the_label_row_makes_the_new_id_valid(project):
    _set_cell(project / "data" / "violations.csv", 2, "position_group", "sekretaris_dprd")
    with open(project / "data" / "vocabulary.csv", "a", encoding="utf-8") as fh:
        fh.write("position_group,sekretaris_dprd,Sekretaris DPRD,,,netralitasbuku2026\n")
    data.validate(project / "data")
    assert vocab.label("position_group", "sekretaris_dprd", data_dir=project / "data") == \
        "Sekretaris DPRD"


@pytest.mark.parametrize("resource, field, voc", _vocabulary_fields(),
                         ids=[f"{r}.{f}" for r, f, _ in _vocabulary_fields()])
def test_every_vocabulary_field_rejects_an_unlabelled_id(project, resource, field, voc):
    package = json.loads((project / "data" / "datapackage.json").read_text(encoding="utf-8"))
    rel = next(r["path"] for r in package["resources"] if r["name"] == resource)
    schema = json.loads((project / "data" / "schemas" / f"{resource}.json").read_text(
        encoding="utf-8"))
    f = next(f for f in schema["fields"] if f["name"] == field)
    _set_cell(project / "data" / rel, 1, field, "istilahbaru")
    with pytest.raises(DataError) as err:
        data.validate(project / "data")
    msg = str(err.value)
    assert msg.startswith(f"data/{rel}, line 2 (data row 1), column '{field}': "), msg
    if f.get("type", "string") == "string" and "enum" not in f.get("constraints", {}):
        # (an enum or a type, where a field has one, rejects the value first)
        assert msg.endswith(f"'istilahbaru' has no label in data/vocabulary.csv (vocabulary "
                            f"'{voc}'; add a row: {voc},istilahbaru,<label_id>,<short_id>,"
                            "<label_en>,<source>)"), msg


def test_there_are_vocabulary_fields_to_check():
    assert len(_vocabulary_fields()) >= 20


# ------------------------------------------------------------------------- vocab.label

def test_label_of_an_unknown_term_names_the_vocabulary_file_and_the_row():
    with pytest.raises(LabelError, match=re.escape(
            "data/vocabulary.csv: 'tidak_ada' has no label in vocabulary 'position_group' "
            "(add a row: position_group,tidak_ada,<label_id>,<short_id>,<label_en>,<source>)")):
        vocab.label("position_group", "tidak_ada")
    with pytest.raises(LabelError, match=r"data/vocabulary\.csv: no vocabulary named 'tidak_ada'"):
        vocab.label("tidak_ada", "x")
    assert issubclass(LabelError, DataError)


def test_label_short_and_english_columns():
    v = data.load("vocabulary")
    row = v[(v["vocabulary"] == "window_position") & (v["term"] == "inside")].iloc[0]
    assert vocab.label("window_position", "inside") == row["label_id"]
    assert vocab.label("window_position", "inside", short=True) == row["short_id"]
    assert vocab.label("window_position", "inside", lang="en") == row["label_en"]
    # an empty short label falls back to the long one; terms keep file order
    assert vocab.label("event_kind", "voting_day", short=True) == \
        vocab.label("event_kind", "voting_day")
    assert vocab.terms("window_position") == list(
        v.loc[v["vocabulary"] == "window_position", "term"])


def test_election_labels_come_from_contests_csv():
    c = data.load("contests").set_index("election")
    for e, row in c.iterrows():
        assert vocab.election(e) == row["label_id"]
        assert vocab.election(e, lang="en") == row["label_en"]
        assert vocab.election_kind(e) == row["kind"]
    with pytest.raises(LabelError, match=re.escape(
            "data/contests.csv: no row for election 'pilkada2029' (add one: pilkada2029,")):
        vocab.election("pilkada2029")
    with pytest.raises(LabelError, match=r"data/contests\.csv: no row for election 'pilkada2029'"):
        vocab.election_kind("pilkada2029")


# ------------------------------------------------------------------ elections are foreign keys

def test_a_new_election_id_not_in_contests_fails_as_a_foreign_key(project):
    path = project / "data" / "elections.csv"
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("pilkada2029,2029-11-28,city,pilkada2029,voting_day,Hari pemungutan suara "
                 "Pilkada 2029,netralitasbuku2026\n")
    n = len(path.read_text(encoding="utf-8").splitlines())
    with pytest.raises(DataError) as err:
        data.validate(project / "data")
    msg = str(err.value)
    assert msg.startswith(f"data/elections.csv, line {n} (data row {n - 1}), column 'election'")
    assert "foreign key" in msg and "pilkada2029" in msg and "contests" in msg
    # with its contest row the same election is valid and has a printed name
    with open(project / "data" / "contests.csv", "a", encoding="utf-8") as fh:
        fh.write("pilkada2029,Pilkada 2029,2029 regional election,regular,2029,netralitasbuku2026\n")
    data.validate(project / "data")
    assert vocab.election("pilkada2029", data_dir=project / "data") == "Pilkada 2029"


def test_every_election_column_is_a_foreign_key():
    """An ``election`` column refers to contests.csv, or (violations) to a calendar event of
    elections.csv, whose own ``election`` refers to contests.csv."""
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    for r in package["resources"]:
        if r["name"] == "contests":
            continue
        schema = json.loads((ROOT / "data" / r["schema"]).read_text(encoding="utf-8"))
        if any(f["name"] == "election" for f in schema["fields"]):
            fks = {tuple(fk["fields"]): fk["reference"] for fk in schema.get("foreignKeys", [])}
            assert fks.get(("election",)) in ({"resource": "contests", "fields": ["election"]},
                                              {"resource": "elections", "fields": ["event_id"]}), \
                r["name"]


# ------------------------------------------------------------------ no label dicts in code

def _terms() -> set[str]:
    """Every id that has a label: vocabulary terms and election ids."""
    with open(ROOT / "data" / "vocabulary.csv", encoding="utf-8") as fh:
        terms = {r["term"] for r in csv.DictReader(fh)}
    with open(ROOT / "data" / "contests.csv", encoding="utf-8") as fh:
        return terms | {r["election"] for r in csv.DictReader(fh)}


def _columns() -> set[str]:
    names = set()
    for p in (ROOT / "data" / "schemas").glob("*.json"):
        names |= {f["name"] for f in json.loads(p.read_text(encoding="utf-8")).get("fields", [])}
    return names


#: A label: words (letters, spaces, a few punctuation marks), at most six of them; not a colour,
#: a one-character marker, a column name, another id or a sentence of explanation.
_LABELISH = re.compile(r"^[A-Za-z][\w ().,/'-]*$")


def label_dicts(pkg: Path, terms: set[str], columns: set[str]) -> list[str]:
    """Dict literals in the package that map label ids to reader-facing labels, and module-level
    ``*_LABEL(S)`` dicts (heuristic: two or more keys are labelled ids and two or more values are
    short phrases)."""
    out = []
    for path in sorted(pkg.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(pkg.parent)
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else (
                [node.target] if isinstance(node, ast.AnnAssign) else [])
            for t in targets:
                if (isinstance(t, ast.Name) and re.search(r"_LABELS?$", t.id)
                        and isinstance(node.value, ast.Dict)):
                    out.append(f"{where}:{node.lineno}: {t.id} is a dict of labels")
        for node in ast.walk(tree):
            if not isinstance(node, ast.Dict):
                continue
            keys = [k.value for k in node.keys if isinstance(k, ast.Constant)
                    and isinstance(k.value, str) and k.value in terms]
            values = [v.value for v in node.values if isinstance(v, ast.Constant)
                      and isinstance(v.value, str) and v.value not in columns | terms
                      and len(v.value) >= 2 and _LABELISH.match(v.value)
                      and len(v.value.split()) <= 6]
            if len(keys) >= 2 and len(values) >= 2:
                out.append(f"{where}:{node.lineno}: dict of labels for {keys[:3]} "
                           f"(put them in data/vocabulary.csv)")
    return out


def test_no_module_keeps_a_dict_of_labels_for_data_ids():
    problems = label_dicts(PKG, _terms(), _columns())
    assert not problems, "\n".join(problems)


def test_the_label_dict_check_finds_a_planted_dict(tmp_path):
    pkg = tmp_path / "netralitas"
    pkg.mkdir()
    (pkg / "a.py").write_text(
        'POSITION_LABELS = {"camat_lurah": "Camat/lurah", "jpt": "Pimpinan tinggi (JPT)"}\n',
        encoding="utf-8")
    (pkg / "b.py").write_text(
        "def f(x):\n    return {'inside': 'di dalam', 'partly': 'sebagian', 'outside': 'di luar'}[x]\n",
        encoding="utf-8")
    # not labels: markers, colours, column names and other ids keyed by ids
    (pkg / "c.py").write_text(
        'M = {"voting_day": "o", "inauguration": "D"}\nC = {"paper_only": "#D55E00", "both": "#000"}\n'
        'K = {"mutations": "count", "violations": "case_id"}\n'
        'R = {"inside": "partly", "partly": "outside"}\n', encoding="utf-8")
    problems = label_dicts(pkg, _terms(), _columns())
    assert [p.split(":")[0] for p in problems] == ["netralitas/a.py", "netralitas/a.py",
                                                   "netralitas/b.py"]
    assert "POSITION_LABELS is a dict of labels" in problems[0]
