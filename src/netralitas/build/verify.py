"""``make test``'s execution check: every chapter executed once, checked two ways.

``python -m netralitas.build.verify [--sanitize FILE] [--jobs N]``

1. The notebooks in ``book/`` are copied aside as stored (the reference).
2. The executor re-executes every chapter (``python -m netralitas.build.execute --force``, in parallel).
   A chapter that fails stops here, with the executor's one-line error.
3. nbval's sanitised cell-by-cell comparison of the stored against the fresh outputs
   (``netralitas.build.nbreplay``: nbval's comparison code and rules, strict mode).
4. The byte-level check: every notebook is byte-identical to its stored copy, and
   ``git status -- book data`` is clean (as ``make clean-check`` requires).

Step 3 and 4 report separately, so a failure says whether a value changed (nbval) or only bytes
(metadata, image encoding, key order).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .. import paths
from . import execute as ex

__all__ = ["main"]


def _git_changes(root: Path) -> str | None:
    """``git status --short -- book data`` ('' when clean), or None outside a git work tree."""
    try:
        res = subprocess.run(["git", "status", "--porcelain", "--", "book", "data"], cwd=root,
                             capture_output=True, text=True)
    except FileNotFoundError:
        return None
    return res.stdout if res.returncode == 0 else None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sanitize", default="tests/nbval_sanitize.cfg",
                    help="nbval sanitize file (default: tests/nbval_sanitize.cfg)")
    ap.add_argument("--jobs", "-j", type=int, default=None, help="chapters executed at once")
    args = ap.parse_args(argv)
    root = paths.root()
    notebooks = ex.notebooks(root)
    with tempfile.TemporaryDirectory(prefix="nt-stored-") as tmp:
        stored = Path(tmp)
        for nb in notebooks:
            shutil.copy2(nb, stored / nb.name)

        run = ["--force"] + (["--jobs", str(args.jobs)] if args.jobs else [])
        if ex.main(run) != 0:
            print("verify: re-execution failed (see the line above); nothing compared",
                  file=sys.stderr)
            return 1

        import pytest

        sanitize = Path(args.sanitize)
        rc = pytest.main(["-q", "-p", "no:cacheprovider", "-p", "netralitas.build.nbreplay",
                          "--nbval-stored", str(stored),
                          *(["--nbval-sanitize-with", str(sanitize)] if sanitize.is_file() else []),
                          *(ex.rel(nb, Path.cwd()) for nb in notebooks)])
        if rc != 0:
            print("verify: nbval: fresh outputs differ from the stored ones (cells above)",
                  file=sys.stderr)
            return 1
        print(f"verify: nbval (strict, sanitised, cell by cell): {len(notebooks)} chapters match")

        changed = [nb.name for nb in notebooks
                   if nb.read_bytes() != (stored / nb.name).read_bytes()]
    git = _git_changes(root)
    if changed or git:
        print("verify: re-executing the chapters changed stored files:", file=sys.stderr)
        for name in changed:
            print(f"  book/{name}: bytes differ from the stored notebook", file=sys.stderr)
        if git:
            print(git.rstrip(), file=sys.stderr)
        return 1
    print("verify: re-execution left book/ and data/ byte-identical"
          + (" (git status clean)" if git == "" else " (no git work tree: compared bytes only)"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
