"""`make chapter NAME=…`: the template, the _toc.yml edit, and a real run in a temporary copy."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
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


def _copy_project(dst: Path) -> None:
    """Tracked (and not-ignored new) files of the project, as they are in the working tree."""
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                           cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    for rel in filter(None, files):
        src = ROOT / rel
        if src.is_file():
            (dst / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst / rel)
    (dst / ".venv").symlink_to(ROOT / ".venv")


def _make(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"NETRALITAS_ROOT", "MAKEFLAGS", "MFLAGS"}}
    # -o setup: reuse this project's .venv as it is (the copy links to it)
    return subprocess.run(["make", "--no-print-directory", "-o", "setup", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=1200)


def _add_dataset(proj: Path) -> None:
    """CONTRIBUTING, "Add a dataset": CSV + Table Schema + datapackage.json entry + bib keys +
    the codebook's manifest row."""
    import csv
    import io
    import json

    (proj / "data" / "contoh_survei.csv").write_text(
        "item_id,answer,count,source\nq1,ya,3,ansyari2026netralitas\nq2,tidak,5,ansyari2026netralitas\n",
        encoding="utf-8")
    schema = {
        "fields": [
            {"name": "item_id", "type": "string", "description": "Identifier of the item.",
             "constraints": {"required": True, "unique": True}},
            {"name": "answer", "type": "string", "description": "Answer category.",
             "constraints": {"required": True, "enum": ["ya", "tidak"]}},
            {"name": "count", "type": "integer", "description": "Number of answers.",
             "constraints": {"required": True, "minimum": 0}},
            {"name": "source", "type": "string",
             "description": "Semicolon-separated citation keys in references.bib.",
             "constraints": {"required": True}},
        ],
        "primaryKey": ["item_id"],
    }
    (proj / "data" / "schemas" / "contoh_survei.json").write_text(
        json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    package_path = proj / "data" / "datapackage.json"
    package = json.loads(package_path.read_text(encoding="utf-8"))
    package["resources"].append({
        "name": "contoh_survei", "path": "contoh_survei.csv", "schema": "schemas/contoh_survei.json",
        "format": "csv", "encoding": "utf-8", "mediatype": "text/csv",
        "description": "Example survey answers added by the authoring test."})
    package_path.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    # its codebook's row in the manifest: a copy of the row of tbl-data-elections
    manifest = proj / "data" / "manifest.csv"
    rows = list(csv.reader(io.StringIO(manifest.read_text(encoding="utf-8"))))
    col = {c: i for i, c in enumerate(rows[0])}
    new = list(next(r for r in rows if r[col["label"]] == "tbl-data-elections"))
    new[col["item_id"]] = "B-DATA-CONTOH-SURVEI"
    new[col["title"]] = "Kodebuku `contoh_survei.csv`"
    new[col["label"]] = "tbl-data-contoh_survei"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows + [new])
    manifest.write_text(out.getvalue(), encoding="utf-8")


def test_new_dataset_and_chapter_in_a_copy_then_strict_build(tmp_path):
    proj = tmp_path / "proj"
    proj.mkdir()
    _copy_project(proj)
    _add_dataset(proj)
    env = {k: v for k, v in os.environ.items() if k != "NETRALITAS_ROOT"}
    env["NETRALITAS_ROOT"] = str(proj)
    checked = subprocess.run([str(proj / ".venv" / "bin" / "python"), "-m", "netralitas.data"],
                             cwd=proj, env=env, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # the codebook appendix lists every resource of the package: re-execute it
    codebook = subprocess.run([str(proj / ".venv" / "bin" / "python"), "-m", "netralitas.build.execute",
                               "book/data_kodebuku.ipynb"], cwd=proj, env=env,
                              capture_output=True, text=True)
    assert codebook.returncode == 0, codebook.stdout + codebook.stderr

    made = _make(proj, "chapter", "NAME=bab_uji", "TITLE=Bab uji penulis")
    assert made.returncode == 0, made.stdout + made.stderr
    nb_path = proj / "book" / "bab_uji.ipynb"
    assert nb_path.is_file()
    assert "book/bab_uji" in _part((proj / "_toc.yml").read_text(), "Analisis tambahan")

    import nbformat

    nb = nbformat.read(nb_path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.get("execution_count") for c in code), "the new chapter was not executed"
    assert not any(o.get("output_type") == "error" for c in code for o in c.outputs)

    again = _make(proj, "chapter", "NAME=bab_uji")
    assert again.returncode != 0 and "already exists" in again.stderr

    built = _make(proj, "build")
    log = (built.stdout + built.stderr)[-6000:]
    assert built.returncode == 0, "strict build with the new chapter failed:\n" + log
    html = (proj / "_build" / "html" / "book" / "bab_uji.html").read_text(encoding="utf-8")
    article = html.split('<article class="bd-article">', 1)[1].split("</article>", 1)[0]
    text = re.sub(r"<[^>]+>", " ", article)
    assert "Bab uji penulis" in text and "English summary" in text
    assert "{glue" not in article and "glue:text" not in article
    n_id = re.search(r"Data memuat\s+(\d+)\s+kasus", text)
    n_en = re.search(r"the data hold\s+(\d+)\s+cases", text)
    assert n_id and n_en and n_id.group(1) == n_en.group(1) and int(n_id.group(1)) > 0
    intro = (proj / "_build" / "html" / "book" / "intro.html").read_text(encoding="utf-8")
    assert 'href="bab_uji.html"' in intro, "the new chapter is not in the sidebar"
    kodebuku = (proj / "_build" / "html" / "book" / "data_kodebuku.html").read_text(encoding="utf-8")
    assert "contoh_survei" in kodebuku, "the new dataset is not in the Data & Kodebuku appendix"
