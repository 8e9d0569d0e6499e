"""Bad input never passes silently.

Each case corrupts a temporary copy of data/ + references.bib (``project`` fixture) and runs the
check that ``make book`` runs before executing anything (``netralitas.build.execute.validate_inputs``:
``bib.parse`` + ``data.validate``). Every case must give one line naming the file, the row and
column where they apply, and the rule; the input files must be byte-identical afterwards.

The cases are generated from ``data/datapackage.json`` at test time, so every CSV (including
ones added later) gets a structural and a content corruption; further cases target a kind of
field (integer, date, foreign key, …) on the first resource that has one. Three cases run the
real ``make book`` on a copy of the repository.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from netralitas.build import execute as ex

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
SCHEMAS = {r["name"]: json.loads((ROOT / "data" / r["schema"]).read_text(encoding="utf-8"))
           for r in PACKAGE["resources"]}
PATHS = {r["name"]: r["path"] for r in PACKAGE["resources"]}
RULE_WORDS = ("missing column", "unexpected column", "out of order", "empty", "comma-separated",
              "UTF-8", "byte-order mark", "unknown source key", "type error", "constraint error",
              "primary key", "foreign key", "unique", "extra cell", "missing cell", "markup",
              "not valid JSON", "not found", "missing", "duplicate key", "no year", "no title",
              "unparsable", "url and urldate", "blank row")


# ---------------------------------------------------------------------------------- helpers

def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def _write(path: Path, rows, delimiter=",") -> None:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _set(path: Path, data_row: int, column: str, value: str) -> None:
    rows = _rows(path)
    rows[data_row][rows[0].index(column)] = value
    _write(path, rows)


def _fields(name: str, pred) -> list[dict]:
    return [f for f in SCHEMAS[name]["fields"] if pred(f)]


def _con(f: dict) -> dict:
    return f.get("constraints", {})


def _fks(name: str) -> set[str]:
    return {c for fk in SCHEMAS[name].get("foreignKeys", []) for c in fk["fields"]}


def _free_text(name: str) -> list[str]:
    """String fields without enum/pattern/unique constraints and not part of a key."""
    keys = set(SCHEMAS[name].get("primaryKey", [])) | _fks(name) | {"source"}
    return [f["name"] for f in _fields(name, lambda f: f.get("type", "string") == "string"
                                       and not set(_con(f)) & {"enum", "pattern", "unique"}
                                       and "vocabulary" not in f)
            if f["name"] not in keys]


def _digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@dataclass
class Case:
    id: str
    corrupt: Callable[[Path], None]
    expect: list[str] = field(default_factory=list)


def check(project: Path) -> str:
    """Run make book's validation step on ``project``; return its one-line message."""
    before = _digest(project)
    msg = ex.validate_inputs(project)
    assert _digest(project) == before, "validation modified an input file"
    assert msg is not None, "the corruption passed validation silently"
    assert "\n" not in msg and "Traceback" not in msg
    assert "unexpectedly" not in msg, f"validator crashed instead of reporting a rule: {msg}"
    assert any(w in msg for w in RULE_WORDS), f"no rule named: {msg}"
    return msg


# ------------------------------------------------------------------- cases for every CSV

def _structural(name: str, kind: str) -> Case:
    rel = f"data/{PATHS[name]}"
    cols = [f["name"] for f in SCHEMAS[name]["fields"]]
    col = cols[1]

    def corrupt(root: Path) -> None:
        p = root / rel
        rows = _rows(p)
        if kind == "missing column":
            i = rows[0].index(col)
            _write(p, [r[:i] + r[i + 1:] for r in rows])
        elif kind == "extra column":
            _write(p, [r + (["catatan"] if j == 0 else ["x"]) for j, r in enumerate(rows)])
        elif kind == "renamed column":
            rows[0][rows[0].index(col)] = col + "_baru"
            _write(p, rows)
        elif kind == "columns out of order":
            rows = [[r[1], r[0], *r[2:]] for r in rows]
            _write(p, rows)
        elif kind == "empty file":
            p.write_bytes(b"")
        elif kind == "wrong delimiter":
            _write(p, rows, delimiter=";")
        elif kind == "non-UTF-8":
            last = len(rows) - 1
            _set(p, last, rows[0][-2], "ZZMARK")
            p.write_bytes(p.read_bytes().replace(b"ZZMARK", "Pangkalpinang é".encode("latin-1")))
        elif kind == "byte-order mark":
            p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes())

    n_rows = len(_rows(ROOT / "data" / PATHS[name])) - 1
    expect = {
        "missing column": [f"{rel}, line 1, column '{col}': missing column"],
        "renamed column": [f"{rel}, line 1, column '{col}': missing column"],
        "extra column": [f"{rel}, line 1, column 'catatan': unexpected column"],
        "columns out of order": [f"{rel}, line 1: columns out of order"],
        "empty file": [f"{rel}: file is empty"],
        "wrong delimiter": [f"{rel}, line 1: header is not comma-separated"],
        "non-UTF-8": [f"{rel}, line {n_rows + 1}: not valid UTF-8"],
        "byte-order mark": [f"{rel}, line 1: byte-order mark"],
    }[kind]
    return Case(f"{name}-{kind.replace(' ', '_')}", corrupt, expect)


STRUCTURAL = ["missing column", "extra column", "renamed column", "columns out of order",
              "empty file", "wrong delimiter", "non-UTF-8", "byte-order mark"]


def _content(name: str, kind: str) -> Case:
    rel = f"data/{PATHS[name]}"
    n_rows = len(_rows(ROOT / "data" / PATHS[name])) - 1
    pk = SCHEMAS[name]["primaryKey"][0]
    if kind == "duplicate key" and n_rows >= 2:
        # overwrite the key of a row nothing refers to (a self-reference such as
        # regulations.superseded_by would otherwise dangle first) with the first row's key
        j = _unreferenced_row(name, pk)

        def corrupt(root, j=j):
            _set(root / rel, j, pk, _rows(root / rel)[1][_rows(root / rel)[0].index(pk)])
        return Case(f"{name}-duplicate_key", corrupt, [f"{rel}, line {j + 1} (data row {j})"])
    required = [f["name"] for f in _fields(name, lambda f: _con(f).get("required"))
                if f["name"] not in (pk, "source")]
    if kind == "required value missing" and required:
        col = required[-1]
        return Case(f"{name}-required_empty", lambda root: _set(root / rel, n_rows, col, ""),
                    [f"{rel}, line {n_rows + 1} (data row {n_rows})", f"column '{col}'",
                     "constraint error"])
    # default: an unknown source key in the last row
    return Case(f"{name}-unknown_source_key",
                lambda root: _set(root / rel, n_rows, "source", "kuncitakdikenal2099"),
                [f"{rel}, line {n_rows + 1} (data row {n_rows}), column 'source': unknown source "
                 "key 'kuncitakdikenal2099' (not in references.bib)"])


CONTENT = ["unknown source key", "duplicate key", "required value missing"]


def _unreferenced_row(name: str, pk: str) -> int:
    """The first data row after the first whose key no other cell of any data file holds (else 2)."""
    rows = _rows(ROOT / "data" / PATHS[name])
    i = rows[0].index(pk)
    cells: dict[str, int] = {}
    for other in PATHS.values():
        for r in _rows(ROOT / "data" / other)[1:]:
            for c in r:
                for part in c.split(";"):
                    cells[part.strip()] = cells.get(part.strip(), 0) + 1
    return next((j for j in range(2, len(rows)) if cells.get(rows[j][i], 0) <= 1), 2)


def _per_csv_cases() -> list[Case]:
    cases = []
    for i, name in enumerate(PATHS):
        cases.append(_structural(name, STRUCTURAL[i % len(STRUCTURAL)]))
        cases.append(_content(name, CONTENT[i % len(CONTENT)]))
    return cases


# ---------------------------------------------------------- cases for a kind of field

def _first(pred) -> tuple[str, dict] | None:
    for name in PATHS:
        for f in SCHEMAS[name]["fields"]:
            if pred(name, f):
                return name, f
    return None


def _cell_case(cid: str, pred, value: str, rule: str) -> list[Case]:
    found = _first(pred)
    if not found:
        return []
    name, f = found
    rel = f"data/{PATHS[name]}"
    return [Case(cid, lambda root: _set(root / rel, 1, f["name"], value),
                 [f"{rel}, line 2 (data row 1), column '{f['name']}'", rule, repr(value)])]


def _typed(t):
    return lambda name, f: f.get("type") == t


def _specific_cases() -> list[Case]:
    cases: list[Case] = []
    cases += _cell_case("wrong_type-integer", _typed("integer"), "dua ribu", "type error")
    cases += _cell_case("wrong_type-number", _typed("number"), "12,5 ribu", "type error")
    cases += _cell_case("wrong_type-boolean", _typed("boolean"), "mungkin", "type error")
    cases += _cell_case("wrong_type-date", _typed("date"), "kemarin", "type error")
    cases += _cell_case("impossible_date", _typed("date"), "2024-02-30", "type error")
    cases += _cell_case("impossible_date-month13", _typed("date"), "2024-13-01", "type error")
    cases += _cell_case("negative_count", lambda n, f: f["name"] == "count"
                        and f.get("type") == "integer", "-5", "constraint error")
    cases += _cell_case("negative_value", lambda n, f: f["name"] == "value"
                        and "minimum" in _con(f), "-1", "constraint error")
    cases += _cell_case("enum_violation", lambda n, f: "enum" in _con(f), "lainnya_xyz",
                        "constraint error")
    cases += _cell_case("pattern_violation", lambda n, f: "pattern" in _con(f)
                        and f["name"] != "source", "bukan pola!", "constraint error")
    cases += _cell_case("source_pattern", lambda n, f: f["name"] == "source"
                        and "pattern" in _con(f), "kunci dengan spasi", "constraint error")
    cases += _cell_case("too_long", lambda n, f: "maxLength" in _con(f),
                        "x" * 5000, "constraint error")
    # every foreign key of the package (the dangling value matches every id pattern, so only
    # the foreign key can fail)
    for name in PATHS:
        for fk in SCHEMAS[name].get("foreignKeys", []):
            col = fk["fields"][0]
            rel = f"data/{PATHS[name]}"
            cases.append(Case(f"dangling_foreign_key-{name}-{col}",
                              lambda root, rel=rel, col=col: _set(root / rel, 1, col, "tidakada99"),
                              [rel, "(data row 1)", "foreign key", "tidakada99"]))
    # HTML / script in text
    q = next((n for n in PATHS if n == "quotes"), None)
    if q:
        col = "original" if "original" in _free_text(q) else _free_text(q)[0]
        cases.append(Case("html_script_in_quote", lambda root, col=col: _set(
            root / "data/quotes.csv", 1, col, 'Kata ASN: <script>alert("x")</script>'),
            ["data/quotes.csv, line 2 (data row 1)", f"column '{col}'", "markup not allowed",
             "<script>"]))
    name = next(n for n in PATHS if _free_text(n))
    col = _free_text(name)[0]
    cases.append(Case("html_tag_in_text", lambda root, name=name, col=col: _set(
        root / f"data/{PATHS[name]}", 1, col, "teks <b>tebal</b>"),
        [f"data/{PATHS[name]}, line 2 (data row 1), column '{col}'", "markup not allowed"]))
    # rows with too many / too few cells, and a blank row
    name = "violations" if "violations" in PATHS else next(iter(PATHS))
    rel = f"data/{PATHS[name]}"

    def extra_cell(root):
        rows = _rows(root / rel)
        rows[1].append("sel-lebih")
        _write(root / rel, rows)

    def missing_cell(root):
        rows = _rows(root / rel)
        rows[1] = rows[1][:-2]
        _write(root / rel, rows)

    def blank_row(root):
        p = root / rel
        lines = p.read_text(encoding="utf-8").split("\n")
        lines.insert(2, "," * (len(_rows(p)[0]) - 1))
        p.write_text("\n".join(lines), encoding="utf-8")

    cases += [Case("extra_cell", extra_cell, [rel, "(data row 1)", "extra cell"]),
              Case("missing_cell", missing_cell, [rel, "(data row 1)", "missing cell"]),
              Case("blank_row", blank_row, [rel, "(data row 2)", "blank row"])]
    return cases


# ---------------------------------------------------------------- datapackage.json, schemas

def _pkg(root: Path, edit) -> None:
    p = root / "data" / "datapackage.json"
    d = json.loads(p.read_text(encoding="utf-8"))
    edit(d)
    p.write_text(json.dumps(d, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _schema_edit(root: Path, name: str, edit) -> None:
    p = root / "data" / "schemas" / f"{name}.json"
    d = json.loads(p.read_text(encoding="utf-8"))
    edit(d)
    p.write_text(json.dumps(d, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _package_cases() -> list[Case]:
    first = next(iter(PATHS))
    fk_name = next(n for n in PATHS if SCHEMAS[n].get("foreignKeys"))
    pkg = "data/datapackage.json"

    def not_json(root):
        p = root / pkg
        p.write_text(p.read_text(encoding="utf-8").replace('"resources": [', '"resources": [,', 1),
                     encoding="utf-8")

    def fk_to_nowhere(d):
        d["foreignKeys"][0]["reference"]["resource"] = "tabel_hantu"

    return [
        Case("package-not_json", not_json, [pkg, "line", "not valid JSON"]),
        Case("package-resource_without_path",
             lambda root: _pkg(root, lambda d: d["resources"][0].pop("path")),
             [pkg, "resource 1", "missing 'path'"]),
        Case("package-path_to_missing_csv",
             lambda root: _pkg(root, lambda d: d["resources"][0].update(path="hilang.csv")),
             ["data/hilang.csv", "not found"]),
        Case("package-schema_file_missing",
             lambda root: (root / "data" / "schemas" / f"{first}.json").unlink(),
             [f"data/schemas/{first}.json", "not found"]),
        Case("schema-not_json", lambda root: (root / "data" / "schemas" / f"{first}.json")
             .write_text('{"fields": [', encoding="utf-8"),
             [f"data/schemas/{first}.json", "not valid JSON"]),
        Case("schema-foreign_key_to_unknown_resource",
             lambda root: _schema_edit(root, fk_name, fk_to_nowhere),
             ["foreign key", "tabel_hantu"]),
        Case("schema-field_renamed",
             lambda root: _schema_edit(root, first, lambda d: d["fields"][1].update(name="baru")),
             [f"data/{PATHS[first]}, line 1, column 'baru': missing column"]),
    ]


# ----------------------------------------------------------------------- references.bib

def _bib(edit) -> Callable[[Path], None]:
    def corrupt(root: Path) -> None:
        p = root / "references.bib"
        p.write_bytes(edit(p.read_bytes()))
    return corrupt


def _bib_cases() -> list[Case]:
    text = (ROOT / "references.bib").read_text(encoding="utf-8")
    n_lines = text.count("\n")
    used = "ansyari2026netralitas"

    def drop_entry(raw: bytes) -> bytes:
        s = raw.decode("utf-8")
        start = s.index("{" + used + ",")
        start = s.rindex("@", 0, start)
        end = s.index("\n}", start) + 2
        return (s[:start] + s[end:]).encode("utf-8")

    extra = [
        ("bib-unparsable_entry", "\n@article{rusak2024,\n  title = {Tanpa kurung tutup,\n  year = 2024\n",
         [f"references.bib, line {n_lines + 2}", "unparsable"]),
        ("bib-duplicate_key", "\n@misc{" + used + ",\n  title = {Duplikat},\n  year = {2026}\n}\n",
         [f"references.bib, line {n_lines + 2}, key '{used}': duplicate key"]),
        ("bib-entry_without_year", "\n@misc{tanpatahun,\n  title = {Tanpa tahun}\n}\n",
         ["references.bib", "key 'tanpatahun': entry has no year"]),
        ("bib-entry_without_title", "\n@misc{tanpajudul,\n  year = {2024}\n}\n",
         ["references.bib", "key 'tanpajudul': entry has no title"]),
        ("bib-online_without_url", "\n@online{tanpaurl,\n  title = {Web},\n  year = {2024}\n}\n",
         ["references.bib", "key 'tanpaurl'", "url and urldate"]),
    ]
    cases = [Case(cid, _bib(lambda raw, add=add: raw + add.encode("utf-8")), expect)
             for cid, add, expect in extra]
    cases += [
        Case("bib-byte_order_mark", _bib(lambda raw: b"\xef\xbb\xbf" + raw),
             ["references.bib, line 1: byte-order mark"]),
        Case("bib-non_utf8", _bib(lambda raw: raw + "\n% catatan: é\n".encode("latin-1")),
             [f"references.bib, line {n_lines + 2}: not valid UTF-8"]),
        Case("bib-entry_used_by_data_removed", _bib(drop_entry),
             ["column 'source': unknown source key 'ansyari2026netralitas'"]),
    ]
    return cases


CASES = _per_csv_cases() + _specific_cases() + _package_cases() + _bib_cases()


def test_there_are_at_least_30_distinct_corruptions_covering_every_csv():
    assert len({c.id for c in CASES}) == len(CASES) >= 30
    for name in PATHS:
        assert sum(c.id.startswith(name + "-") for c in CASES) >= 2, name


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_corruption_is_refused_with_one_clear_line(project, case):
    case.corrupt(project)
    msg = check(project)
    for part in case.expect:
        assert part in msg, f"expected {part!r} in: {msg}"


def test_plain_text_with_a_less_than_sign_is_accepted(project):
    name = next(n for n in PATHS if _free_text(n))
    _set(project / "data" / PATHS[name], 1, _free_text(name)[0], "kurang dari < 5 persen & naik")
    assert ex.validate_inputs(project) is None


# ------------------------------------------------------- HTML in data renders as literal text

def test_to_myst_escapes_html_so_it_renders_as_text(tmp_path):
    """Text reaching a table is escaped; a real Sphinx + MyST build shows it as literal text."""
    import sys

    import pandas as pd

    from netralitas import tables

    payload = '<script>alert("x")</script> & <b>tebal</b> < 5'
    md = tables.to_myst(pd.DataFrame({"Kutipan": [payload]}), "Uji", "tbl-uji",
                        cite_columns=()).data
    assert "<script>" not in md and "\\<script\\>" in md
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text("extensions = ['myst_parser']\n")
    raw = "```{list-table} Mentah\n:header-rows: 1\n\n* - Kutipan\n* - " + payload + "\n```\n"
    (src / "index.md").write_text("# Uji\n\n" + md + "\n" + raw, encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "html", str(src),
                          str(tmp_path / "out")], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    body = html.split("<h1>", 1)[1]
    # the escaped table shows the text; the unescaped control would inject a live script
    assert "&lt;script&gt;alert(" in body  # Sphinx turns the quotes into typographic ones
    assert "&lt;/script&gt; &amp; &lt;b&gt;tebal&lt;/b&gt; &lt; 5" in body
    assert body.count('<script>alert("x")</script>') == 1, "control case must show the danger"


# ------------------------------------------------------- the real `make book` entry path

def _make_book(tmp_path: Path, corrupt) -> tuple[subprocess.CompletedProcess, dict, dict]:
    dst = ex.copy_project(tmp_path / "repo", ROOT)
    corrupt(dst)
    before = {d: _digest(dst / d) for d in ("data", "book")}
    before["bib"] = hashlib.sha256((dst / "references.bib").read_bytes()).hexdigest()
    args, env = ex.copy_env(dst, ROOT)
    res = subprocess.run(["make", "--no-print-directory", "book", *args], cwd=dst, env=env,
                         capture_output=True, text=True, timeout=300)
    after = {d: _digest(dst / d) for d in ("data", "book")}
    after["bib"] = hashlib.sha256((dst / "references.bib").read_bytes()).hexdigest()
    return res, before, after


MAKE_CASES = {
    "wrong_type": (lambda root: _set(root / "data/violations.csv", 1, "year", "dua ribu"),
                   "data error: data/violations.csv, line 2 (data row 1), column 'year': type error"),
    "script_in_quote": (lambda root: _set(root / "data/quotes.csv", 1, "original",
                                          "<script>alert(1)</script>"),
                        "data error: data/quotes.csv, line 2 (data row 1), column 'original': "
                        "markup not allowed"),
    "duplicate_bib_key": (_bib(lambda raw: raw + b"\n@misc{ansyari2026netralitas,\n  title = {D},"
                               b"\n  year = {2026}\n}\n"),
                          "data error: references.bib, line"),
}


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(MAKE_CASES))
def test_make_book_stops_with_the_one_line_message(tmp_path, kind):
    corrupt, expected = MAKE_CASES[kind]
    if kind == "script_in_quote" and "quotes" not in PATHS:
        pytest.skip("no quotes.csv in the package")
    res, before, after = _make_book(tmp_path, corrupt)
    assert res.returncode != 0
    assert "Traceback" not in res.stderr + res.stdout
    lines = [line for line in res.stderr.splitlines() if not line.startswith("make")]
    assert len(lines) == 1 and lines[0].startswith(expected), res.stderr
    assert "execute: " not in res.stdout and "build:" not in res.stdout, "ran past validation"
    assert before == after, "make book modified input files"
