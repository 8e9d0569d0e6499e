"""``make test``'s shared execution: nbval's comparison on fresh outputs (netralitas.build.nbreplay).

Each case is a small notebook whose stored outputs are right or wrong. nbval itself (executing
the notebook in its own kernel) and the replay plugin (comparing the stored notebook with a
fresh execution by the book's executor) must give the same verdict: pass for right outputs,
fail for a changed value, pass for a changed value under ``NBVAL_IGNORE_OUTPUT``, fail for an
exception. The verdicts are nbval's, not copied from the plugin.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from netralitas import execute as ex

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


def _pytest(*args, cwd) -> int:
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "--nbval-sanitize-with", str(SANITIZE), *args], cwd=cwd,
                          capture_output=True, text=True).returncode


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(CASES))
def test_replay_gives_nbvals_verdict(case, tmp_path):
    cells, nbval_passes = CASES[case]
    (tmp_path / "stored").mkdir()
    (tmp_path / "fresh").mkdir()
    stored = _write(tmp_path / "stored" / "n.ipynb", cells)
    nbval_rc = _pytest("--nbval", str(stored), cwd=tmp_path)
    assert (nbval_rc == 0) is nbval_passes, f"nbval itself: rc {nbval_rc}"

    fresh = tmp_path / "fresh" / "n.ipynb"
    shutil.copy(stored, fresh)
    try:
        ex.execute(fresh, root=tmp_path)
    except Exception:  # noqa: BLE001 - the executor refuses a failing cell: nothing to compare
        assert case == "exception"
        return
    rc = _pytest("-p", "netralitas.build.nbreplay", "--nbval-stored", str(tmp_path / "stored"),
                 str(fresh), cwd=tmp_path)
    assert rc == nbval_rc, f"{case}: replay rc {rc}, nbval rc {nbval_rc}"


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
