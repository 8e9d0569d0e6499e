"""Re-execute chapter notebooks in place, deterministically.

``python -m netralitas.execute [--force] [NOTEBOOK ...]``

Without ``--force`` a notebook is executed only when it is *stale*: when the content hash of its
code cells, of the package source (``src/netralitas``), of ``data/`` or of ``references.bib`` differs
from the hash recorded at its last execution. Hashes are recorded in ``.cache/execution.json``
(outside the notebooks, so no timestamps enter stored outputs). A fresh clone has no record, so
every notebook with code runs once.

Outputs are made deterministic: no timing metadata, a fixed kernelspec and language_info without
the Python patch version, cell ids kept.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

from . import paths

CACHE = ".cache/execution.json"
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}


def notebooks(root: Path | None = None) -> list[Path]:
    root = root or paths.root()
    return sorted((root / "book").glob("*.ipynb"))


def _inputs_digest(root: Path) -> str:
    h = hashlib.sha256()
    for base in ("src/netralitas", "data"):
        for p in sorted((root / base).rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts:
                h.update(str(p.relative_to(root)).encode())
                h.update(p.read_bytes())
    h.update((root / "references.bib").read_bytes())
    return h.hexdigest()


def _code_digest(nb) -> str:
    h = hashlib.sha256()
    for cell in nb.cells:
        h.update(cell.cell_type.encode())
        h.update(cell.source.encode())
    return h.hexdigest()


def has_code(nb) -> bool:
    return any(c.cell_type == "code" and c.source.strip() for c in nb.cells)


def normalise(nb) -> None:
    """Strip what varies between runs or machines from notebook metadata."""
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    for key in ("widgets", "papermill", "execution", "jupytext"):
        nb.metadata.pop(key, None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            for out in cell.get("outputs", []):
                out.get("metadata", {}).pop("execution", None)


def execute(path: Path, timeout: int = 600) -> None:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    if has_code(nb):
        client = NotebookClient(
            nb,
            timeout=timeout,
            kernel_name="python3",
            record_timing=False,
            resources={"metadata": {"path": str(path.parent)}},
        )
        client.execute()
    normalise(nb)
    text = nbformat.writes(nb) + "\n"
    if path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notebooks", nargs="*", type=Path)
    ap.add_argument("--force", action="store_true", help="execute even if nothing changed")
    args = ap.parse_args(argv)
    root = paths.root()
    targets = [p.resolve() for p in args.notebooks] or notebooks(root)
    cache_path = root / CACHE
    try:
        cache = json.loads(cache_path.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        cache = {}
    import nbformat

    inputs = _inputs_digest(root)
    failed = []
    for nb_path in targets:
        rel = str(nb_path.relative_to(root))
        nb = nbformat.read(nb_path, as_version=4)
        key = f"{_code_digest(nb)}:{inputs}"
        if not args.force and cache.get(rel) == key:
            continue
        t0 = time.perf_counter()
        try:
            execute(nb_path)
        except Exception as exc:  # report which chapter failed, with the kernel's own message
            msg = str(exc).strip().splitlines()
            tail = [m for m in msg if m.strip()][-1:] or [type(exc).__name__]
            print(f"execute: {rel} FAILED: {tail[0]}", file=sys.stderr)
            failed.append(rel)
            cache.pop(rel, None)
            continue
        cache[rel] = key
        print(f"execute: {rel} ({time.perf_counter() - t0:.1f} s)")
    cache_path.parent.mkdir(parents=True, exist_ok=True)
    cache_path.write_text(json.dumps(cache, indent=1, sort_keys=True) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
