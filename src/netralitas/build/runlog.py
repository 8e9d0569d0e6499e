"""Runtime and reason of each chapter's last execution, kept next to the executor's records.

``python -m netralitas.build.runlog [args]`` runs the executor (``python -m netralitas.build.execute
[args]``, same arguments, same output, same exit code) and keeps, for every chapter it executed,
the measured runtime and the reason it ran, in ``.cache/runs.json`` (outside the notebooks, so
stored outputs stay deterministic). It reads them from the executor's own report line,
``execute: book/x.ipynb (2.3 s; code changed)``. ``make book`` runs the executor this way.

:func:`records` joins them with the executor's records (``.cache/execution.json``: what each
chapter read); if a later executor writes ``seconds``/``reason`` into its records itself, those
win. The "Reproduksi bab ini" boxes and the appendix table (``netralitas.build.repro``) use it.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from .. import paths

__all__ = ["parse", "save", "records", "main"]

RUNS = Path(".cache") / "runs.json"
EXECUTION = Path(".cache") / "execution.json"
LINE = re.compile(r"^execute: (?P<name>\S+\.ipynb) \((?P<seconds>[0-9.]+) s; (?P<reason>.*)\)$")


def parse(text: str) -> dict[str, dict]:
    """``{notebook: {"seconds": float, "reason": str}}`` from the executor's report lines."""
    runs = {}
    for line in text.splitlines():
        m = LINE.match(line.strip())
        if m:
            runs[m["name"]] = {"seconds": float(m["seconds"]), "reason": m["reason"]}
    return runs


def _read(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def save(runs: dict[str, dict], root: Path | None = None) -> None:
    if not runs:
        return
    path = (root or paths.root()) / RUNS
    data = _read(path)
    data.update(runs)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(dict(sorted(data.items())), indent=1) + "\n", encoding="utf-8")
    tmp.replace(path)


def records(root: Path | None = None) -> dict[str, dict]:
    """Per notebook (``book/x.ipynb``): ``inputs`` (files read, from the executor's record),
    ``seconds`` and ``reason`` (None when unknown)."""
    root = root or paths.root()
    executed = _read(root / EXECUTION).get("notebooks", {})
    runs = _read(root / RUNS)
    out = {}
    for name, entry in executed.items():
        run = runs.get(name, {})
        out[name] = {
            "inputs": sorted(d for d in entry.get("deps", {}) if not d.startswith("src/")),
            "seconds": entry.get("seconds", run.get("seconds")),
            "reason": entry.get("reason", run.get("reason")),
        }
    return out


class _Tee:
    def __init__(self, stream):
        self.stream, self.parts = stream, []

    def write(self, s):
        self.parts.append(s)
        return self.stream.write(s)

    def flush(self):
        self.stream.flush()

    def __getattr__(self, name):
        return getattr(self.stream, name)


def main(argv: list[str] | None = None) -> int:
    from . import execute

    tee = _Tee(sys.stdout)
    sys.stdout = tee
    try:
        code = execute.main(argv if argv is not None else sys.argv[1:])
    finally:
        sys.stdout = tee.stream
    save(parse("".join(tee.parts)))
    return code


if __name__ == "__main__":
    raise SystemExit(main())
