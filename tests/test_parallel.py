"""Parallel execution (``netralitas.build.parallel``) writes the same bytes as a serial run.

The byte-level check uses real chapters in a temporary copy of the project: D.1 (tables), A (a
figure) and the citation audit (it reads every other chapter's notebook). They are executed
serially, their outputs are then cleared, and they are executed again over two workers; the two
runs must give byte-identical notebooks, equal to the stored ones. The scheduling test replaces
the kernel run with a timed sleep to show that independent chapters overlap and that a chapter
which read another chapter's notebook waits for it.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import nbformat
import pytest

from netralitas.build import execute as ex
from netralitas.build import forkserver, parallel

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ["d1_struktur", "a_pendahuluan", "audit_sitasi"]


def _clear(nb_path: Path) -> None:
    nb = nbformat.read(nb_path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nbformat.write(nb, nb_path)


@pytest.mark.slow
def test_parallel_and_serial_runs_write_identical_bytes(tmp_path, monkeypatch, capsys):
    copy = ex.copy_project(tmp_path / "repo", ROOT)
    monkeypatch.setenv("NETRALITAS_ROOT", str(copy))
    monkeypatch.delenv("NETRALITAS_VALIDATED", raising=False)
    nbs = [copy / "book" / f"{c}.ipynb" for c in CHAPTERS]
    stored = {p.name: p.read_bytes() for p in nbs}

    with forkserver.running():  # one warm server for both runs (each would start its own)
        assert ex.main(["--force", "--jobs", "1", *map(str, nbs)]) == 0, capsys.readouterr().err
        serial = {p.name: p.read_bytes() for p in nbs}
        for p in nbs:
            _clear(p)
        assert all(p.read_bytes() != serial[p.name] for p in nbs), "outputs were not cleared"
        assert ex.main(["--force", "--jobs", "2", *map(str, nbs)]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert sum(line.startswith("execute: ") for line in out.splitlines()) >= len(nbs), out
    par = {p.name: p.read_bytes() for p in nbs}

    differ = [n for n in serial if serial[n] != par[n]]
    assert not differ, f"parallel and serial runs differ: {differ}"
    assert par == stored, [n for n in par if par[n] != stored[n]]
    assert not list((copy / "book").glob(".*.ipynb")), "temporary notebook files left behind"


def _fake_work(log: Path):
    def work(nb_path, root):
        start = time.monotonic()
        time.sleep(0.6)
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(json.dumps([Path(nb_path).name, start, time.monotonic()]) + "\n")
        return "ok", {}, 0.6
    return work


def test_independent_chapters_overlap_and_readers_wait(tmp_path, monkeypatch, capsys):
    log = tmp_path / "log.jsonl"
    monkeypatch.setattr(parallel, "_work", _fake_work(log))
    monkeypatch.setattr(ex, "record_for", lambda *a, **k: {})
    monkeypatch.setattr(ex, "_snapshot", lambda *a, **k: {})
    cache = {"notebooks": {"book/c.ipynb": {"deps": {"book/a.ipynb": "x", "data/d.csv": "y"}}}}
    plan = [(tmp_path / f"{n}.ipynb", f"book/{n}.ipynb", "r") for n in ("a", "b", "c")]
    failed: list[str] = []
    parallel.run_plan(tmp_path, ex._order(plan, cache, tmp_path), failed, cache, jobs=3)
    assert failed == []
    runs = {name: (s, e) for name, s, e in map(json.loads, log.read_text().splitlines())}
    assert set(runs) == {"a.ipynb", "b.ipynb", "c.ipynb"}
    assert runs["c.ipynb"][0] >= runs["a.ipynb"][1], "c read a's notebook: it must start after a"
    a, b = runs["a.ipynb"], runs["b.ipynb"]
    assert max(a[0], b[0]) < min(a[1], b[1]), "a and b are independent: they must overlap"
    assert len(capsys.readouterr().out.splitlines()) == 3


def test_a_failed_chapter_is_one_line_and_dropped_from_the_cache(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(parallel, "_work", lambda nb, root: ("error", "KeyError: 'x'", 0.1))
    ex.update_cache(tmp_path, {"book/a.ipynb": {"deps": {}}})
    failed: list[str] = []
    plan = [(tmp_path / "a.ipynb", "book/a.ipynb", "r"), (tmp_path / "b.ipynb", "book/b.ipynb", "r")]
    parallel.run_plan(tmp_path, plan, failed, ex.load_cache(tmp_path), jobs=2)
    err = capsys.readouterr().err.strip().splitlines()
    assert sorted(failed) == ["book/a.ipynb", "book/b.ipynb"]
    assert sorted(err) == ["execute: book/a.ipynb FAILED: KeyError: 'x'",
                           "execute: book/b.ipynb FAILED: KeyError: 'x'"]
    assert ex.load_cache(tmp_path)["notebooks"] == {}


def test_jobs_from_the_environment(monkeypatch):
    monkeypatch.setenv("NETRALITAS_JOBS", "3")
    assert parallel.default_jobs() == 3
    monkeypatch.setenv("NETRALITAS_JOBS", "zwei")
    with pytest.raises(SystemExit, match="NETRALITAS_JOBS must be a whole number"):
        parallel.default_jobs()
    monkeypatch.delenv("NETRALITAS_JOBS")
    assert parallel.default_jobs() >= 1
