"""Kernels forked from the warm server (``netralitas.build.forkserver``) behave like plain ones.

The byte-level comparison on real chapters is in ``tests/test_determinism.py`` (one execution in a
plainly started kernel, one in a forked kernel) and, for the whole book, in ``make test``'s
verify step. Here, on small notebooks: the fork is really taken (the chapter finds the preloaded
libraries already imported and its kernel is a child of the server), a kernel whose start-up
environment differs is launched plainly, errors and timeouts reach the executor as before, and
nothing outlives the server.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import nbformat
import pytest
from nbclient.exceptions import CellExecutionError, CellTimeoutError

from netralitas.build import execute as ex
from netralitas.build import forkserver

ROOT = Path(__file__).resolve().parents[1]
PROBE = """import os, sys
print("pid", os.getpid(), "ppid", os.getppid(), "pandas", "pandas" in sys.modules,
      "netralitas", any(m.split(".")[0] == "netralitas" for m in sys.modules),
      "cwd", os.getcwd() == {cwd!r})"""


def _notebook(path: Path, *sources: str) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nbformat.write(nb, path)
    return path


def _probe(path: Path) -> dict[str, str]:
    nb = nbformat.read(path, as_version=4)
    words = "".join(o.get("text", "") for o in nb.cells[0].outputs).split()
    return dict(zip(words[::2], words[1::2]))


def test_a_kernel_in_the_block_is_forked_from_the_warm_server(tmp_path):
    nb = _notebook(tmp_path / "probe.ipynb", PROBE.format(cwd=str(tmp_path)))
    with forkserver.running():
        server = forkserver._SERVER["pid"]
        ex.execute(nb, root=ROOT)
        forked = _probe(nb)
    assert forked["ppid"] == str(server), "the kernel was not forked by the server"
    assert forked["pandas"] == "True", "the preloaded libraries were not there"
    assert forked["netralitas"] == "False", "the project was imported before the chapter ran"
    assert forked["cwd"] == "True", "the kernel did not start in the notebook's folder"
    ex.execute(nb, root=ROOT)  # outside the block: a plain kernel, as before
    plain = _probe(nb)
    assert plain["ppid"] != str(server) and plain["pandas"] == "False"
    with pytest.raises(ProcessLookupError):
        os.kill(server, 0)  # the server is gone (and was reaped)
    with pytest.raises(ProcessLookupError):
        os.kill(int(forked["pid"]), 0)  # and so is the kernel it forked


def test_a_different_start_up_environment_gets_a_plain_kernel(tmp_path, monkeypatch):
    nb = _notebook(tmp_path / "probe.ipynb", PROBE.format(cwd=str(tmp_path)))
    with forkserver.running():
        server = forkserver._SERVER["pid"]
        monkeypatch.setenv("PYTHONHASHSEED", "12345")  # fixed when an interpreter starts
        ex.execute(nb, root=ROOT)
    probe = _probe(nb)
    assert probe["ppid"] != str(server) and probe["pandas"] == "False"


def test_errors_and_timeouts_in_a_forked_kernel_reach_the_executor(tmp_path):
    failing = _notebook(tmp_path / "fail.ipynb", "x = 1", "raise KeyError('kolom_hilang')")
    slow = _notebook(tmp_path / "slow.ipynb", "import time\ntime.sleep(60)")
    with forkserver.running():
        with pytest.raises(CellExecutionError, match="kolom_hilang"):
            ex.execute(failing, root=ROOT)
        t0 = time.monotonic()
        with pytest.raises(CellTimeoutError):
            ex.execute(slow, root=ROOT, timeout=2)
        assert time.monotonic() - t0 < 20, "the timed-out kernel was not interrupted or killed"


def test_nothing_of_the_project_is_preloaded():
    # the executor records the project modules and files a chapter reads; and a chapter must
    # not re-validate the data package (frictionless), which tests/test_execute.py checks
    assert not [m for m in forkserver.PRELOAD if m.split(".")[0] in {"netralitas", "frictionless"}]


def test_a_kernel_whose_manager_dies_is_killed():
    import asyncio

    with forkserver.running():
        km = forkserver.kernel_manager()
        asyncio.run(km.start_kernel())
        pid = km.provisioner.pid
        assert pid and km.provisioner.process.sock.fileno() >= 0
        os.kill(pid, 0)  # running
        km.provisioner.process.sock.close()  # what a worker's death does to the connection
        for _ in range(100):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the kernel outlived the process that managed it")


def test_a_server_that_cannot_start_gives_plain_kernels_at_once(tmp_path, monkeypatch):
    # a socket path longer than Unix allows (107 bytes): the server cannot bind and says so
    deep = tmp_path / ("x" * 60) / ("y" * 60)
    deep.mkdir(parents=True)
    real = forkserver.tempfile.mkdtemp
    monkeypatch.setattr(forkserver.tempfile, "mkdtemp", lambda *a, **kw: str(deep)
                        if kw.get("prefix") == "nt-fork-" else real(*a, **kw))
    nb = _notebook(tmp_path / "probe.ipynb", PROBE.format(cwd=str(tmp_path)))
    t0 = time.monotonic()
    with forkserver.running():
        server = forkserver._SERVER["pid"]
        ex.execute(nb, root=ROOT)
    probe = _probe(nb)
    assert probe["ppid"] != str(server) and probe["pandas"] == "False"
    assert time.monotonic() - t0 < forkserver.READY_TIMEOUT / 2, "it waited for a dead server"
