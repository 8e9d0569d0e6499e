"""``make lab``: JupyterLab on the book, offline, with the project's kernel.

JupyterLab is pinned in ``requirements.txt`` (and ``environment.yml``) and installed by
``make setup``. It runs from ``.venv``, so the notebooks' ``python3`` kernel is the project's own
Python (with ``netralitas`` installed); it listens on 127.0.0.1 only, opens the ``book/`` folder,
and never asks the internet for news, updates or extensions (as root, e.g. in a
container, it allows itself to run).
"""

from __future__ import annotations

import argparse
import os
import sys

from .. import paths

__all__ = ["argv", "main"]


def argv(port: int = 8888, root=None, open_browser: bool = False) -> list[str]:
    """The command line of the JupyterLab server (a list for ``subprocess``/``exec``)."""
    root = root or paths.root()
    return [
        sys.executable, "-m", "jupyterlab",
        f"--ServerApp.root_dir={root}",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.open_browser={open_browser}",
        "--LabApp.default_url=/lab/tree/book",
        # offline: no announcements feed, no update check
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",  # no PyPI queries from the extension manager
    ] + (["--ServerApp.allow_root=True"] if hasattr(os, "geteuid") and os.geteuid() == 0 else [])


def main(args: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m netralitas.build.lab", description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, default=int(os.environ.get("LAB_PORT", "8888")))
    ap.add_argument("--open", action="store_true", help="open a browser tab")
    ns = ap.parse_args(args)
    cmd = argv(ns.port, open_browser=ns.open)
    print(f"lab: JupyterLab on http://127.0.0.1:{ns.port}/lab/tree/book "
          f"(kernel: python3 = {sys.executable}); Ctrl-C stops it", flush=True)
    os.execv(cmd[0], cmd)
    return 0  # pragma: no cover


if __name__ == "__main__":
    raise SystemExit(main())
