"""The quiet-pages rule (netralitas.build.tags): every chapter's cell tags agree with it."""

from __future__ import annotations

import copy
import json

import pytest

from netralitas import paths
from netralitas.build import tags

BOOK = sorted((paths.root() / "book").glob("*.ipynb"))
R = "application/papermill.record/"


def _glue(mime: str, value) -> dict:
    return {"output_type": "display_data", "metadata": {},
            "data": {R + mime: value, R + "text/plain": "x"}}


def _cell(outputs=(), tags_=None, count=1, source="x = 1") -> dict:
    md = {"tags": list(tags_)} if tags_ is not None else {}
    return {"cell_type": "code", "execution_count": count, "id": "c", "metadata": md,
            "outputs": list(outputs), "source": source}


TABLE = ":::{list-table} Judul\n:header-rows: 1\n:name: tbl-x\n\n* - a\n:::\n"


@pytest.mark.parametrize("cell, want", [
    (_cell(source="import netralitas as nt\nnt.nb.setup()"), "remove-cell"),  # set-up only
    (_cell([_glue("text/plain", "3")]), "remove-cell"),  # glues a number
    (_cell([_glue("text/markdown", "**tebal**")]), "remove-cell"),  # glues prose
    (_cell([_glue("text/plain", "3"), _glue("text/markdown", TABLE)]), "hide-input"),  # a table
    (_cell([_glue("image/png", "iVBOR")]), "hide-input"),  # a figure
    (_cell([_glue("image/svg+xml", "<svg/>")]), "hide-input"),
    (_cell([{"output_type": "stream", "name": "stdout", "text": "hi"}]), None),  # shows itself
    (_cell([{"output_type": "display_data", "metadata": {}, "data": {"text/plain": "1"}}]), None),
])
def test_rule(cell, want):
    assert tags.rule(cell) == want


def test_apply_keeps_other_tags_and_is_idempotent():
    nb = {"cells": [
        _cell([_glue("image/png", "x")], tags_=["remove-cell", "raises-exception"]),
        _cell(tags_=["hide-input"]),
        {"cell_type": "markdown", "metadata": {}, "source": "teks"},
        _cell(count=None, tags_=["hide-input"]),  # not executed yet: left alone
    ]}
    assert tags.apply(nb) is True
    assert nb["cells"][0]["metadata"]["tags"] == ["raises-exception", "hide-input"]
    assert nb["cells"][1]["metadata"]["tags"] == ["remove-cell"]
    assert nb["cells"][2]["metadata"] == {}
    assert nb["cells"][3]["metadata"]["tags"] == ["hide-input"]
    again = copy.deepcopy(nb)
    assert tags.apply(again) is False and again == nb
    assert tags.disagreements(nb) == []


@pytest.mark.parametrize("path", BOOK, ids=lambda p: p.stem)
def test_chapter_tags_follow_the_rule(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    bad = tags.disagreements(nb)
    assert not bad, (f"{path.name}: cell tags disagree with the quiet-pages rule "
                     f"(run `python -m netralitas.build.tags`): {bad}")


@pytest.mark.parametrize("path", BOOK, ids=lambda p: p.stem)
def test_check_detects_a_changed_tag(path):
    """The check above can fail: drop one managed tag and the rule reports that cell."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    judged = [c for c in nb["cells"] if tags.judged(c)]
    assert judged, f"{path.name} has no executed code cell"
    judged[0]["metadata"]["tags"] = []
    assert tags.disagreements(nb)


def test_every_chapter_hides_its_glue_code():
    """Each notebook chapter removes at least one cell and no executed cell stays plain."""
    for path in BOOK:
        nb = json.loads(path.read_text(encoding="utf-8"))
        found = [t for c in nb["cells"] if tags.judged(c) for t in c["metadata"].get("tags", [])]
        assert "remove-cell" in found or "hide-input" in found, path.name


def test_tag_file_writes_nbformat_layout(tmp_path):
    src = BOOK[0]
    nb = json.loads(src.read_text(encoding="utf-8"))
    for c in nb["cells"]:
        c.get("metadata", {}).pop("tags", None)
    dst = tmp_path / src.name
    dst.write_text(json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    assert tags.tag_file(dst, check=True) is True
    assert tags.tag_file(dst) is True
    assert dst.read_text(encoding="utf-8") == src.read_text(encoding="utf-8")
    assert tags.tag_file(dst) is False
