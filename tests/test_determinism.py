"""Two clean executions of a chapter give byte-identical notebooks.

Kept cheap for ``make test``: two chapters (the model chapter D.1 and the first chapter with a
figure), each executed twice into separate temporary copies with the executor's own
``execute()`` (the same code path as ``make book``), then compared byte for byte. The first run
starts its kernel plainly, the second forks it from the warm server that ``make book`` uses
(``netralitas.build.forkserver``), so the two ways of starting a kernel are compared too. The
full-book version of this check is ``make clean-check`` (re-execute everything, ``git status``
clean).
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
from pathlib import Path

import pytest

from netralitas.build import execute as ex
from netralitas.build import forkserver

ROOT = Path(__file__).resolve().parents[1]


def _chapters() -> list[Path]:
    books = sorted((ROOT / "book").glob("*.ipynb"))
    chosen = [p for p in books if p.name == "d1_struktur.ipynb"]
    for p in books:
        nb = json.loads(p.read_text(encoding="utf-8"))
        if p not in chosen and any(k.endswith(("image/svg+xml", "image/png"))  # glued figures
                                   for c in nb["cells"] for o in c.get("outputs", [])
                                   for k in o.get("data", {})):
            chosen.append(p)
            break
    return chosen


@pytest.mark.slow
@pytest.mark.parametrize("chapter", _chapters(), ids=lambda p: p.stem)
def test_two_clean_executions_are_byte_identical(chapter, tmp_path, monkeypatch):
    assert ex.validate_inputs(ROOT) is None, "the data package must be valid"
    monkeypatch.setenv("NETRALITAS_VALIDATED", ex.validation_key(ROOT))
    runs, imported = [], []
    for i, start in ((1, contextlib.nullcontext), (2, forkserver.running)):
        d = tmp_path / f"run{i}"
        d.mkdir()
        nb = d / chapter.name
        shutil.copy(chapter, nb)
        with start():
            imported.append(ex.execute(nb, root=ROOT, trace=True)["imports"])
        runs.append(nb.read_bytes())
    assert "pandas" in imported[0] and "pandas" not in imported[1], "the second run was not forked"
    assert runs[0] == runs[1], f"{chapter.name}: a plain and a forked execution differ"
    text = runs[0].decode("utf-8")
    assert not re.search(r"at 0x[0-9a-f]{6,}", text), "an object repr with a memory address"
    assert '"execution":' not in text and "iopub.execute_input" not in text, "timing metadata"
