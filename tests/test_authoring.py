"""`make chapter NAME=…`: the template and the _toc.yml edit.

The real run (a new dataset, ``make chapter`` and a strict build in a copy of the project) is the
last stage of ``tests/test_followup.py``: it extends the follow-up copy, whose book is already
built, so the strict build there re-reads only the pages the new dataset and chapter change.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from netralitas.build import authoring

ROOT = Path(__file__).resolve().parents[1]

TOC = """# comment kept
format: jb-book
root: book/intro
parts:
  - caption: Makalah
    chapters:
      - file: book/a
        sections:
          - file: book/a1
  - caption: Analisis tambahan
    chapters:
      - file: book/statistik
        sections:
          - file: book/statistik_detail

  - caption: Lampiran  # appendices
    chapters:
      - file: book/z
"""


def _part(toc_text: str, caption: str) -> list[str]:
    toc = yaml.safe_load(toc_text)
    part = next(p for p in toc["parts"] if p["caption"] == caption)
    return [c["file"] for c in part.get("chapters", [])]


def test_register_appends_to_the_part_and_keeps_the_rest():
    out = authoring.register(TOC, "book/baru")
    assert _part(out, "Analisis tambahan") == ["book/statistik", "book/baru"]
    assert _part(out, "Lampiran") == ["book/z"]
    assert _part(out, "Makalah") == ["book/a"]
    # the sections of the last chapter stay with it; comments survive
    toc = yaml.safe_load(out)
    stat = toc["parts"][1]["chapters"][0]
    assert stat["sections"] == [{"file": "book/statistik_detail"}]
    assert out.startswith("# comment kept\n") and "# appendices" in out


def test_register_into_last_part_and_empty_part():
    last = TOC.replace("Lampiran", "Analisis tambahan").replace(
        "  - caption: Analisis tambahan\n    chapters:\n      - file: book/statistik\n"
        "        sections:\n          - file: book/statistik_detail\n\n", "")
    assert _part(authoring.register(last, "book/baru"), "Analisis tambahan") == ["book/z", "book/baru"]
    empty = "format: jb-book\nroot: book/intro\nparts:\n  - caption: Analisis tambahan\n"
    assert _part(authoring.register(empty, "book/baru"), "Analisis tambahan") == ["book/baru"]


def test_register_without_the_part_fails():
    with pytest.raises(authoring.AuthoringError, match="no part with caption 'Analisis tambahan'"):
        authoring.register("format: jb-book\nroot: book/intro\n", "book/baru")


@pytest.mark.parametrize("name", ["", "Bab", "1bab", "bab-baru", "bab baru", "b"])
def test_bad_names_are_refused(name, tmp_path):
    (tmp_path / "_toc.yml").write_text(TOC)
    (tmp_path / "book").mkdir()
    with pytest.raises(authoring.AuthoringError, match="lower-case letters"):
        authoring.check_name(name, tmp_path)


def test_existing_chapter_is_refused(tmp_path):
    (tmp_path / "_toc.yml").write_text(TOC)
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "ada.md").write_text("x")
    with pytest.raises(authoring.AuthoringError, match="book/ada.md already exists"):
        authoring.check_name("ada", tmp_path)
    with pytest.raises(authoring.AuthoringError, match="already lists book/statistik"):
        authoring.check_name("statistik", tmp_path)


def test_template_has_the_four_parts_and_all_placeholders_fill():
    text = authoring.render((ROOT / authoring.TEMPLATE).read_text(), "bab_x", "Judul X")
    assert "{{" not in text
    assert text.index("(ch-bab-x)=\n# Judul X") > 0
    for part in ("**Ikhtisar.**", "**Prasyarat.**", "## Analisis", "{admonition} English summary"):
        assert part in text, part
    # values glued with nt.nb.glue_values(name=…), the table shown by its manifest id; every glue
    # name the chapter defines or displays is the chapter's own
    glued = {k for call in re.findall(r"glue_values\(([^)]*)\)", text)
             for k in re.findall(r"(\w+)=", call)}
    shown = set(re.findall(r"\{glue:(?:text|md)\}`([^`]+)`", text))
    shown |= set(re.findall(r"```\{glue:md\} (\S+)", text))
    assert glued and shown and all(g.startswith("bab_x_") for g in glued | shown)
    assert re.findall(r'show_table\("([^"]+)"', text) == [authoring.item_for("bab_x")]
    with pytest.raises(authoring.AuthoringError, match="unknown placeholders"):
        authoring.render("{{name}} {{oops}}", "a", "b")
