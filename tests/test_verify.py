"""``make test``'s shared execution: nbval's comparison on fresh outputs (netralitas.build.nbreplay).

Each case is a small notebook whose stored outputs are right or wrong. nbval itself (executing
the notebook in its own kernel) and the replay plugin (comparing the stored notebook with a
fresh execution by the book's executor) must give the same verdict: pass for right outputs,
fail for a changed value, pass for a changed value under ``NBVAL_IGNORE_OUTPUT``, fail for an
exception. The verdicts are nbval's, not copied from the plugin.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from netralitas.build import execute as ex

ROOT = Path(__file__).resolve().parents[1]
SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"


def _stream(text):
    return new_output("stream", name="stdout", text=text)


def _result(text):
    return new_output("execute_result", data={"text/plain": text}, execution_count=2)


CASES = {
    # name: (cells [(source, stored outputs)], nbval passes?)
    "right": ([("print(1 + 1)", [_stream("2\n")]), ("'a' * 3", [_result("'aaa'")])], True),
    "changed_value": ([("print(1 + 1)", [_stream("3\n")]), ("'a' * 3", [_result("'aaa'")])],
                      False),
    "changed_result": ([("print(1 + 1)", [_stream("2\n")]), ("'a' * 3", [_result("'aa'")])],
                       False),
    "ignored": ([("# NBVAL_IGNORE_OUTPUT\nprint(1 + 1)", [_stream("3\n")])], True),
    "missing_output": ([("print(1 + 1)", [])], False),
    "exception": ([("1 / 0", [])], False),
}


def _write(path: Path, cells) -> Path:
    nb = new_notebook(cells=[new_markdown_cell("# t")] + [
        new_code_cell(src, outputs=outs, execution_count=i + 1)
        for i, (src, outs) in enumerate(cells)])
    nb.metadata["kernelspec"] = dict(ex.KERNELSPEC)
    nbformat.write(nb, path)
    return path


def _failed_files(*args, cwd) -> set[str]:
    """Run pytest; the notebook files with a failed or erroring cell."""
    res = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rfE", "-p", "no:cacheprovider",
                          "--nbval-sanitize-with", str(SANITIZE), *args], cwd=cwd,
                         capture_output=True, text=True)
    assert res.returncode in (0, 1), res.stdout[-2000:] + res.stderr[-2000:]
    return set(re.findall(r"^(?:FAILED|ERROR) \S*?(\w+)\.ipynb::", res.stdout, re.M))


@pytest.mark.slow
def test_replay_gives_nbvals_verdict(tmp_path):
    """One nbval run and one replay run over all cases (a kernel per case, not per check)."""
    (tmp_path / "stored").mkdir()
    (tmp_path / "fresh").mkdir()
    for case, (cells, _) in CASES.items():
        _write(tmp_path / "stored" / f"{case}.ipynb", cells)
    nbval_failed = _failed_files("--nbval", "stored", cwd=tmp_path)
    assert nbval_failed == {c for c, (_, ok) in CASES.items() if not ok}, "nbval's own verdicts"

    executed = []
    for case in CASES:
        fresh = tmp_path / "fresh" / f"{case}.ipynb"
        shutil.copy(tmp_path / "stored" / f"{case}.ipynb", fresh)
        try:
            ex.execute(fresh, root=tmp_path)
            executed.append(case)
        except Exception:  # noqa: BLE001 - the executor refuses a failing cell: nothing to compare
            assert case == "exception"
            fresh.unlink()
    assert "exception" not in executed
    replay_failed = _failed_files("-p", "netralitas.build.nbreplay", "--nbval-stored", "stored",
                                  "fresh", cwd=tmp_path)
    assert replay_failed == nbval_failed - {"exception"}


def test_replay_reports_an_error_output_like_nbval(tmp_path):
    """An error output in the fresh notebook (e.g. a `raises-exception` cell gone wrong)."""
    (tmp_path / "stored").mkdir()
    err = new_output("error", ename="ZeroDivisionError", evalue="division by zero", traceback=[])
    stored = _write(tmp_path / "stored" / "n.ipynb", [("1 / 0", [err])])
    fresh = tmp_path / "n.ipynb"
    shutil.copy(stored, fresh)
    res = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p",
                          "netralitas.build.nbreplay", "--nbval-stored", str(tmp_path / "stored"),
                          str(fresh)], cwd=tmp_path, capture_output=True, text=True)
    assert res.returncode == 1 and "Cell execution caused an exception" in res.stdout
