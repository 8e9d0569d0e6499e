"""The executor: validates first, re-runs a chapter only when what it reads changed, skips no-op
builds, and keeps heavy libraries out of module import time.

The kernel tests run tiny synthetic notebooks in a temporary project (``project`` fixture:
a copy of data/ and references.bib selected through NETRALITAS_ROOT).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from netralitas.build import execute as ex

ROOT = Path(__file__).resolve().parents[1]


def _nb(path: Path, *cells) -> Path:
    nb = new_notebook(cells=list(cells))
    nb.metadata["kernelspec"] = dict(ex.KERNELSPEC)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def _touch_text(path: Path, marker: str) -> None:
    """Change one free-text cell of a CSV (the last column that is not `source`), keeping it valid."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    header = rows[0]
    schema = json.loads((path.parent / "schemas" / f"{path.stem}.json").read_text(encoding="utf-8"))
    free = [f["name"] for f in schema["fields"]
            if f.get("type", "string") == "string" and f["name"] != "source"
            and not set(f.get("constraints", {})) & {"enum", "pattern", "unique"}
            and "vocabulary" not in f
            and f["name"] not in schema.get("primaryKey", [])
            and not any(f["name"] in fk["fields"] for fk in schema.get("foreignKeys", []))]
    col = header.index(free[-1])
    rows[1][col] = (rows[1][col] + " " + marker).strip()
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _run_main(capsys, *args) -> tuple[int, list[str], str]:
    rc = ex.main(list(args))
    cap = capsys.readouterr()
    ran = sorted(line.split()[1] for line in cap.out.splitlines() if line.startswith("execute: "))
    return rc, ran, cap.err


@pytest.mark.slow
def test_only_chapters_that_read_a_changed_file_rerun(project, capsys):
    # A loads violations through the package (validation reads every file: not counted);
    # B reads elections.csv directly, without the package.
    a = _nb(project / "book" / "a.ipynb", new_markdown_cell("# A"), new_code_cell(
        "import netralitas as nt\nv = nt.data.load('violations')\nlen(v) > 0"))
    b = _nb(project / "book" / "b.ipynb", new_code_cell(
        "text = open('../data/elections.csv', encoding='utf-8').read()\n'event_id' in text"))
    # make book checks the executed chapters' labels against the manifest, over the _toc.yml pages
    (project / "_toc.yml").write_text("format: jb-book\nroot: book/a\nchapters:\n- file: book/b\n",
                                      encoding="utf-8")

    rc, ran, err = _run_main(capsys)
    assert (rc, ran) == (0, ["book/a.ipynb", "book/b.ipynb"]), err
    deps = json.loads((project / ex.CACHE).read_text())["notebooks"]
    assert "data/violations.csv" in deps["book/a.ipynb"]["deps"]
    assert "data/elections.csv" not in deps["book/a.ipynb"]["deps"]
    assert any(d.endswith("netralitas/data.py") for d in deps["book/a.ipynb"]["deps"])
    assert set(deps["book/b.ipynb"]["deps"]) == {"data/elections.csv"}
    assert "frictionless" not in deps["book/a.ipynb"]["imports"], "kernel re-validated"

    before = {p: p.read_bytes() for p in (a, b)}
    assert _run_main(capsys)[:2] == (0, []), "nothing changed, nothing may run"
    assert {p: p.read_bytes() for p in (a, b)} == before

    nb = nbformat.read(a, as_version=4)  # markdown-only edit: no re-execution
    nb.cells[0].source = "# A, reworded"
    nbformat.write(nb, a)
    assert _run_main(capsys)[:2] == (0, [])

    _touch_text(project / "data" / "elections.csv", "(diubah)")
    assert _run_main(capsys)[:2] == (0, ["book/b.ipynb"])

    _touch_text(project / "data" / "violations.csv", "(diubah)")
    rc, ran, _ = _run_main(capsys)
    assert (rc, ran) == (0, ["book/a.ipynb"])


def test_bad_data_stops_before_any_chapter_runs(project, capsys):
    nb = _nb(project / "book" / "a.ipynb", new_code_cell("1 + 1"))
    before = nb.read_bytes()
    p = project / "data" / "violations.csv"
    p.write_text(p.read_text(encoding="utf-8").replace(",2024,", ",dua ribu,", 1), encoding="utf-8")
    rc, ran, err = _run_main(capsys)
    assert rc == 1 and ran == []
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err
    assert lines[0].startswith("data error: data/violations.csv, line 2 (data row 1), column 'year'")
    assert nb.read_bytes() == before
    cache = ex.load_cache(project)
    assert cache["notebooks"] == {} and "validated" not in cache


def _entry(nb: dict, root: Path, nb_path: Path, deps: dict) -> dict:
    return {"code": ex.code_digest(nb), "outputs": ex.outputs_digest(nb),
            "notebook": ex.sha256_file(nb_path),
            "env": ex.env_digest(root), "deps": deps, "imports": []}


def test_staleness_rules_without_a_kernel(tmp_path):
    (tmp_path / "requirements.txt").write_text("x==1\n")
    (tmp_path / "data").mkdir()
    dep = tmp_path / "data" / "d.csv"
    dep.write_text("a\n1\n")
    nb = new_notebook(cells=[new_markdown_cell("hi"), new_code_cell("x = 1", execution_count=1)])
    path = tmp_path / "n.ipynb"
    nbformat.write(nb, path)
    env = ex.env_digest(tmp_path)
    entry = _entry(json.loads(path.read_text()), tmp_path, path, {"data/d.csv": ex.sha256_file(dep)})

    assert ex.why_stale(path, tmp_path, None, env) == ("no record", False)
    assert ex.why_stale(path, tmp_path, entry, env) == (None, False)
    assert ex.why_stale(path, tmp_path, entry, "other-env")[0] == "environment changed"
    nb.cells[0].source = "hello"  # markdown only
    nbformat.write(nb, path)
    assert ex.why_stale(path, tmp_path, entry, env) == (None, True)
    nb.cells[1].outputs = [new_output("stream", name="stdout", text="other\n")]
    nbformat.write(nb, path)  # outputs from elsewhere (e.g. a merge): re-execute
    assert ex.why_stale(path, tmp_path, entry, env)[0].startswith("stored outputs differ")
    nb.cells[1].outputs = []
    nb.cells[1].execution_count = None  # outputs stripped (e.g. by jupytext)
    nbformat.write(nb, path)
    assert ex.why_stale(path, tmp_path, entry, env)[0] == "outputs missing"
    nb.cells[1].source = "x = 2"
    nbformat.write(nb, path)
    assert ex.why_stale(path, tmp_path, entry, env)[0] == "code changed"
    nbformat.write(new_notebook(cells=[new_markdown_cell("hi"),
                                       new_code_cell("x = 1", execution_count=1)]), path)
    entry["notebook"] = ex.sha256_file(path)
    dep.write_text("a\n2\n")
    assert ex.why_stale(path, tmp_path, entry, env)[0] == "data/d.csv changed"
    dep.unlink()
    assert ex.why_stale(path, tmp_path, entry, env)[0] == "data/d.csv changed"


def test_code_digest_ignores_markdown_but_not_code():
    a = new_notebook(cells=[new_markdown_cell("x"), new_code_cell("1")])
    b = new_notebook(cells=[new_markdown_cell("y"), new_code_cell("1")])
    c = new_notebook(cells=[new_markdown_cell("x"), new_code_cell("2")])
    assert ex.code_digest(a) == ex.code_digest(b) != ex.code_digest(c)


def test_failure_line_is_one_clean_line():
    class CellError(Exception):
        ename, evalue = "DataError", "data/x.csv, line 2: bad\n"

    assert ex.failure_line(CellError("\x1b[31mTraceback\x1b[0m\n...")) == "DataError: data/x.csv, line 2: bad"
    assert ex.failure_line(RuntimeError("a\n\n\x1b[0;31mKeyError\x1b[0m: 'k'\n")) == "KeyError: 'k'"


def test_no_op_build_is_skipped_only_while_sources_are_unchanged(tmp_path):
    for d in ("book", "tests", "_build/html", ".cache"):
        (tmp_path / d).mkdir(parents=True)
    (tmp_path / "book" / "a.md").write_text("# A\n")
    (tmp_path / "_toc.yml").write_text("root: book/a\n")
    assert not ex.built_is_current(tmp_path)  # never built
    ex.update_cache(tmp_path, built=ex.source_digest(tmp_path))
    assert not ex.built_is_current(tmp_path)  # no index.html
    (tmp_path / "_build" / "html" / "index.html").write_text("<html></html>")
    assert ex.built_is_current(tmp_path)
    (tmp_path / "tests" / "test_x.py").write_text("# tests do not shape the HTML\n")
    (tmp_path / ".cache" / "junk").write_text("x")
    assert ex.built_is_current(tmp_path)
    (tmp_path / "book" / "a.md").write_text("# A!\n")
    assert not ex.built_is_current(tmp_path)
    (tmp_path / "book" / "a.md").write_text("# A\n")
    assert ex.built_is_current(tmp_path)
    (tmp_path / "_toc.yml").write_text("root: book/b\n")
    assert not ex.built_is_current(tmp_path)


def test_validation_stamp_skips_only_identical_bytes(project, monkeypatch):
    from netralitas import data

    key = ex.validation_key(project)
    monkeypatch.setenv("NETRALITAS_VALIDATED", key)
    assert data._validated_by_executor(project / "data")
    p = project / "data" / "violations.csv"
    p.write_text(p.read_text(encoding="utf-8").replace(",2024,", ",dua ribu,", 1), encoding="utf-8")
    assert not data._validated_by_executor(project / "data")
    with pytest.raises(data.DataError, match="column 'year'"):
        data.validate(project / "data")


HEAVY = ("seaborn", "statsmodels", "scipy", "networkx", "frictionless", "matplotlib")


def test_package_modules_import_heavy_libraries_lazily():
    """Importing any netralitas module must not import seaborn, statsmodels, … (only calls may)."""
    pkg = ROOT / "src" / "netralitas"
    mods = sorted(".".join(("netralitas",) + p.relative_to(pkg).with_suffix("").parts)
                  .removesuffix(".__init__") for p in pkg.rglob("*.py") if p.stem != "__main__")
    code = (
        "import importlib, json, sys\n"
        f"heavy = {HEAVY!r}\n"
        "out = {}\n"
        f"for m in {mods!r}:\n"
        "    importlib.import_module(m)\n"
        "    out[m] = sorted(h for h in heavy if h in sys.modules)\n"
        "print(json.dumps(out))\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    seen = json.loads(res.stdout)
    culprits, prev = {}, set()
    for m in mods:  # attribute each heavy import to the first module after which it appears
        new = set(seen[m]) - prev
        if new:
            culprits[m] = sorted(new)
        prev |= set(seen[m])
    assert culprits == {}, f"module-level heavy imports (import them inside functions): {culprits}"


def test_sha_and_tree_digest_follow_content_not_mtime(tmp_path):
    import os

    f = tmp_path / "x.txt"
    f.write_text("a")
    d1 = ex.tree_digest(tmp_path, ["x.txt"])
    os.utime(f, (1, 1))
    assert ex.tree_digest(tmp_path, ["x.txt"]) == d1
    f.write_text("b")
    assert ex.tree_digest(tmp_path, ["x.txt"]) != d1
    assert ex.sha256_file(f) == hashlib.sha256(b"b").hexdigest()


def test_chapters_read_by_other_planned_chapters_run_first():
    cache = {"notebooks": {
        "book/audit.ipynb": {"deps": {"book/b.ipynb": "x", "data/a.csv": "y"}},
        "book/b.ipynb": {"deps": {"data/a.csv": "y"}},
    }}
    plan = [(None, n, "r") for n in ("book/a.ipynb", "book/audit.ipynb", "book/b.ipynb")]
    order = [n for _, n, _ in ex._order(plan, cache, Path("."))]
    assert order == ["book/b.ipynb", "book/a.ipynb", "book/audit.ipynb"]


def test_longest_chapter_first_by_last_runtime_else_by_notebook_size(tmp_path):
    for name, size in (("a", 10), ("b", 300), ("c", 20)):
        (tmp_path / f"{name}.ipynb").write_bytes(b"x" * size)
    plan = [(tmp_path / f"{n}.ipynb", f"book/{n}.ipynb", "r") for n in "abc"]
    fresh = {"notebooks": {}}  # a fresh clone: no runtimes recorded yet
    assert [n for _, n, _ in ex._order(plan, fresh, tmp_path)] == \
        ["book/b.ipynb", "book/c.ipynb", "book/a.ipynb"]
    timed = {"notebooks": {"book/a.ipynb": {"seconds": 7.0}, "book/b.ipynb": {"seconds": 0.5},
                           "book/c.ipynb": {"seconds": 1.0}}}
    assert [n for _, n, _ in ex._order(plan, timed, tmp_path)] == \
        ["book/a.ipynb", "book/c.ipynb", "book/b.ipynb"]
    # a chapter without a runtime (new, or failed last time) is not taken for the quickest
    mixed = {"notebooks": {"book/a.ipynb": {"seconds": 7.0}, "book/c.ipynb": {"seconds": 1.0}}}
    assert [n for _, n, _ in ex._order(plan, mixed, tmp_path)] == \
        ["book/b.ipynb", "book/a.ipynb", "book/c.ipynb"]


def test_make_book_copy_arguments_never_reinstall_the_shared_venv(tmp_path):
    dst = ex.copy_project(tmp_path / "repo", ROOT)
    args, env = ex.copy_env(dst, ROOT)
    assert args[0] == f"VENV={ROOT / '.venv'}" and args[1] == "-o"
    assert Path(args[2]).parent == ROOT / ".venv" and Path(args[2]).name.startswith(".installed-")
    assert env["PYTHONPATH"] == str(dst / "src") and "NETRALITAS_VALIDATED" not in env
    assert not (dst / ".git").exists() and not (dst / ".venv").exists()
    assert (dst / "data" / "datapackage.json").read_bytes() == \
        (ROOT / "data" / "datapackage.json").read_bytes()
