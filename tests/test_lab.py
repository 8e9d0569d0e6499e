"""``make lab``: JupyterLab starts from the project environment, offline, on the book."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from netralitas import paths
from netralitas.build import lab

ROOT = paths.root()


def _pins(text: str) -> dict[str, str]:
    return dict(re.findall(r"^\s*(?:- )?([A-Za-z0-9_.-]+)==(\S+)\s*$", text, re.M))


def test_jupyterlab_pinned_in_both_environment_files():
    req = _pins((ROOT / "requirements.txt").read_text(encoding="utf-8"))
    env = _pins((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert "jupyterlab" in req and req == env


def test_makefile_has_lab_target():
    mk = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^lab: setup$", mk, re.M) and "netralitas.build.lab" in mk


def test_argv_is_offline_and_local():
    cmd = lab.argv(9999, root=ROOT)
    assert "--ServerApp.ip=127.0.0.1" in cmd and "--LabApp.news_url=None" in cmd
    assert "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate" in cmd
    assert "--LabApp.extension_manager=readonly" in cmd
    assert cmd[0] == sys.executable


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, token: str):
    req = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(req, timeout=5) as r:
        return json.loads(r.read().decode("utf-8"))


@pytest.mark.slow
def test_lab_serves_the_book_with_the_project_kernel(tmp_path):
    port, token = _free_port(), "netralitas-test"
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "rt"),
               JUPYTER_CONFIG_DIR=str(tmp_path / "cfg"), JUPYTER_DATA_DIR=str(tmp_path / "data"))
    log = (tmp_path / "lab.log").open("w")
    proc = subprocess.Popen(lab.argv(port, root=ROOT) + [f"--IdentityProvider.token={token}"],
                            stdout=log, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
    try:
        base = f"http://127.0.0.1:{port}"
        status = None
        for _ in range(240):
            try:
                status = _get(f"{base}/api/status", token)
                break
            except OSError:
                if proc.poll() is not None:
                    break
                time.sleep(0.25)
        assert status is not None, (tmp_path / "lab.log").read_text()
        specs = _get(f"{base}/api/kernelspecs", token)
        assert "python3" in specs["kernelspecs"]
        book = _get(f"{base}/api/contents/book", token)
        names = {c["name"] for c in book["content"]}
        assert {p.name for p in (ROOT / "book").glob("*.ipynb")} <= names
        # the kernel a notebook gets is this environment's Python, with the package importable
        kernel = urllib.request.Request(f"{base}/api/kernels", data=b'{"name": "python3"}',
                                        headers={"Authorization": f"token {token}"}, method="POST")
        with urllib.request.urlopen(kernel, timeout=30) as r:
            kid = json.loads(r.read().decode("utf-8"))["id"]
        import psutil

        kernels = [p for p in psutil.Process(proc.pid).children(recursive=True)
                   if any(kid in a for a in p.cmdline())]
        assert kernels, "no kernel process"
        assert Path(kernels[0].cmdline()[0]).resolve() == Path(sys.executable).resolve()
        for _ in range(240):  # the kernel comes up (its five ZMQ ports listen) before it stops
            if len([c for c in kernels[0].net_connections("tcp") if c.status == "LISTEN"]) >= 5:
                break
            time.sleep(0.25)
        assert len([c for c in kernels[0].net_connections("tcp") if c.status == "LISTEN"]) >= 5
        urllib.request.urlopen(urllib.request.Request(
            f"{base}/api/kernels/{kid}", headers={"Authorization": f"token {token}"},
            method="DELETE"), timeout=30).close()
        # while serving (before the shutdown below): no error, no request for news or updates
        log.flush()
        text = (tmp_path / "lab.log").read_text()
        assert "feed.xml" not in text and "Traceback" not in text, text[-2000:]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
