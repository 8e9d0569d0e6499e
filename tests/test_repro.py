"""Reproduction records (netralitas.build.runlog) and the "Reproduksi bab ini" box (repro)."""

from __future__ import annotations

import importlib.util
import json

from netralitas import paths
from netralitas.build import repro, runlog


def test_parse_report_lines():
    text = ("validate: ok\nexecute: book/d1_struktur.ipynb (2.0 s; code changed)\n"
            "execute: book/x.ipynb FAILED: boom\n"
            "execute: book/statistik.ipynb (12.5 s; data/baselines.csv changed)\n")
    assert runlog.parse(text) == {
        "book/d1_struktur.ipynb": {"seconds": 2.0, "reason": "code changed"},
        "book/statistik.ipynb": {"seconds": 12.5, "reason": "data/baselines.csv changed"},
    }


def test_records_join_executor_record_and_runs(tmp_path):
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "execution.json").write_text(json.dumps({"notebooks": {
        "book/a.ipynb": {"deps": {"data/x.csv": "h", "src/netralitas/data.py": "h",
                                  "references.bib": "h"}},
        "book/b.ipynb": {"deps": {}, "seconds": 1.5, "reason": "forced"},
    }}))
    runlog.save({"book/a.ipynb": {"seconds": 3.25, "reason": "no record"},
                 "book/b.ipynb": {"seconds": 9.0, "reason": "code changed"}}, root=tmp_path)
    recs = runlog.records(tmp_path)
    assert recs["book/a.ipynb"] == {"inputs": ["data/x.csv", "references.bib"], "seconds": 3.25,
                                    "reason": "no record"}
    assert recs["book/b.ipynb"]["seconds"] == 1.5  # the executor's own fields win
    assert runlog.records(tmp_path / "nowhere") == {}


def test_main_runs_the_executor_and_keeps_what_it_reported(tmp_path, monkeypatch, capsys):
    from netralitas.build import execute

    monkeypatch.setenv("NETRALITAS_ROOT", str(tmp_path))

    def fake_main(argv):
        assert argv == ["--force"]
        print("execute: book/a.ipynb (4.2 s; forced)")
        return 3

    monkeypatch.setattr(execute, "main", fake_main)
    assert runlog.main(["--force"]) == 3
    assert "execute: book/a.ipynb (4.2 s; forced)" in capsys.readouterr().out
    saved = json.loads((tmp_path / ".cache" / "runs.json").read_text())
    assert saved == {"book/a.ipynb": {"seconds": 4.2, "reason": "forced"}}


def test_reasons_in_indonesian():
    assert repro.reason_id("code changed") == "kode bab berubah"
    assert repro.reason_id("data/baselines.csv changed") == "berkas data/baselines.csv berubah"
    assert repro.reason_id("forced") == "dijalankan paksa (--force)"
    assert repro.reason_id(None) == "tidak tercatat"
    assert repro.seconds_id(2.25) == "2,2 detik" or repro.seconds_id(2.25) == "2,3 detik"
    assert repro.seconds_id(None) == "tidak tercatat"


def test_box_with_and_without_record():
    rec = {"inputs": ["data/schemas/x.json", "data/x.csv", "references.bib"], "seconds": 2.0,
           "reason": "code changed"}
    text = repro.box("book/a.ipynb", rec).astext()
    assert "Reproduksi bab ini" in text
    assert "python -m netralitas.build.execute --force book/a.ipynb" in text
    # the command names a module that exists (it once named one that had moved)
    module = text.split("python -m ", 1)[1].split()[0]
    assert importlib.util.find_spec(module) is not None, module
    assert "data/x.csv, references.bib, ditambah 1 berkas skema" in text
    assert "2,0 detik (kode bab berubah)" in text
    empty = repro.box("book/a.ipynb", None).astext()
    assert "belum ada" in empty and "make book" in empty


def test_notebooks_never_store_the_box():
    for nb in (paths.root() / "book").glob("*.ipynb"):
        text = nb.read_text(encoding="utf-8")
        assert "Reproduksi bab ini" not in text and "nt-repro" not in text, nb.name
