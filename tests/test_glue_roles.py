"""Every glued value is shown with a role that can render it: a value glued as Markdown
(``Markdown(...)``: its plain-text form is ``<IPython.core.display.Markdown object>``) must be
used as ``{glue:md}``; ``{glue:text}`` or ``{glue}`` would print the object's repr on the page."""

from __future__ import annotations

import json
import re

import pytest

from netralitas import paths

ROLE = re.compile(r"\{glue(?::(\w+))?\}`([^`]+)`")
OBJECT_REPR = re.compile(r"^<IPython\.core\.display\.\w+ object>$")


def _glued(nb: dict) -> dict[str, dict]:
    out = {}
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            name = o.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                out[name] = {k.rsplit("/", 2)[-2] + "/" + k.rsplit("/", 1)[-1]: v
                             for k, v in o.get("data", {}).items()}
    return out


def misused(nb: dict) -> list[tuple[int, str, str]]:
    """(cell, role, name) for every glue role that would print an object's repr."""
    glued = _glued(nb)
    bad = []
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        for role, name in ROLE.findall("".join(cell["source"])):
            name = name.split(":")[0].strip()
            data = glued.get(name, {})
            plain = "".join(data.get("text/plain", ""))
            if role in ("", "text") and OBJECT_REPR.match(plain.strip("'\"")):
                bad.append((i, role or "glue", name))
    return bad


def test_detector_catches_a_markdown_object_shown_as_text():
    nb = {"cells": [
        {"cell_type": "code", "source": [], "outputs": [{
            "metadata": {"scrapbook": {"name": "x"}},
            "data": {"application/papermill.record/text/markdown": "one wave",
                     "application/papermill.record/text/plain": "<IPython.core.display.Markdown object>"}}]},
        {"cell_type": "markdown", "source": ["Only {glue:text}`x` and {glue:md}`x`."]}]}
    assert misused(nb) == [(1, "text", "x")]


@pytest.mark.parametrize("chapter", sorted(p.relative_to(paths.root()).as_posix()
                                           for p in (paths.root() / "book").glob("*.ipynb")))
def test_chapters_show_markdown_glue_with_the_md_role(chapter):
    nb = json.loads((paths.root() / chapter).read_text(encoding="utf-8"))
    bad = misused(nb)
    assert not bad, f"{chapter}: " + "; ".join(
        f"cell {i}: {{glue:{r}}}`{n}` shows a Markdown object; use {{glue:md}}" for i, r, n in bad)
