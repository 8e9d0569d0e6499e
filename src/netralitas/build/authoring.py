"""Create a new chapter from the template: ``python -m netralitas.build.authoring NAME [--title T]``.

``make chapter NAME=…`` runs this. It

1. checks ``NAME`` (lower-case letters, digits and ``_``; not already a chapter);
2. fills ``book/_templates/chapter.md`` (MyST notebook: overview, prerequisites, analysis,
   English summary) with the name, the cross-reference label ``ch-<name>`` and the title, and
   writes ``book/<NAME>.ipynb`` via jupytext;
3. registers ``book/<NAME>`` at the end of the "Analisis tambahan" part of ``_toc.yml``
   (a text edit, so comments and layout of the file are kept).

The Makefile target then executes the new notebook so that its outputs are stored.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from .. import paths

__all__ = ["TEMPLATE", "PART", "NAME_RE", "AuthoringError", "check_name", "label_for", "item_for",
           "render", "register", "create", "add_manifest_rows", "main"]

TEMPLATE = Path("book/_templates/chapter.md")
PART = "Analisis tambahan"
NAME_RE = re.compile(r"^[a-z][a-z0-9_]{1,40}$")


class AuthoringError(ValueError):
    """A chapter cannot be created as asked (the message says why)."""


def check_name(name: str, root: Path) -> None:
    if not NAME_RE.match(name or ""):
        raise AuthoringError(
            f"NAME={name!r}: use 2-41 lower-case letters, digits or '_', starting with a letter "
            "(e.g. NAME=pilkada_2029)")
    for suffix in (".ipynb", ".md"):
        if (root / "book" / f"{name}{suffix}").exists():
            raise AuthoringError(f"book/{name}{suffix} already exists: choose another NAME")
    toc = (root / "_toc.yml").read_text(encoding="utf-8")
    if re.search(rf"file:\s*book/{re.escape(name)}(\.ipynb|\.md)?\s*$", toc, re.M):
        raise AuthoringError(f"_toc.yml already lists book/{name}")


def label_for(name: str) -> str:
    return "ch-" + name.replace("_", "-")


def item_for(name: str) -> str:
    """Manifest id of the chapter's example table (``pilkada_2029`` → ``B-PILKADA-2029-KASUS``)."""
    return "B-" + name.upper().replace("_", "-") + "-KASUS"


def render(template: str, name: str, title: str) -> str:
    """The template text with ``{{name}}``, ``{{label}}``, ``{{item}}`` and ``{{title}}`` filled in."""
    text = (template.replace("{{name}}", name).replace("{{label}}", label_for(name))
            .replace("{{item}}", item_for(name)).replace("{{title}}", title))
    left = sorted(set(re.findall(r"\{\{\s*\w+\s*\}\}", text)))
    if left:
        raise AuthoringError(f"{TEMPLATE}: unknown placeholders {left}")
    return text


def register(toc_text: str, docname: str, part: str = PART) -> str:
    """``toc_text`` with ``- file: <docname>`` appended to the chapters of ``part``."""
    lines = toc_text.splitlines()
    start = next((i for i, line in enumerate(lines)
                  if re.match(rf"^\s*- caption:\s*['\"]?{re.escape(part)}['\"]?\s*(#.*)?$", line)),
                 None)
    if start is None:
        raise AuthoringError(f"_toc.yml: no part with caption '{part}'")
    indent = len(lines[start]) - len(lines[start].lstrip())
    end = len(lines)
    for j in range(start + 1, len(lines)):
        stripped = lines[j].strip()
        if stripped and not stripped.startswith("#") and len(lines[j]) - len(lines[j].lstrip()) <= indent:
            end = j
            break
    block = lines[start + 1:end]
    chapter_lines = [k for k, line in enumerate(block) if re.match(r"^\s*- file:", line)]
    if chapter_lines:
        first = block[chapter_lines[0]]
        entry_indent = len(first) - len(first.lstrip())
        # after the last line that belongs to the part (its last chapter and that chapter's sections)
        last = max(k for k, line in enumerate(block) if line.strip())
        insert_at = start + 1 + last + 1
    else:
        entry_indent = indent + 4
        has_key = any(line.strip() == "chapters:" for line in block)
        if not has_key:
            lines.insert(start + 1, " " * (indent + 2) + "chapters:")
            end += 1
        insert_at = start + 2 if not block else end
    lines.insert(insert_at, " " * entry_indent + f"- file: {docname}")
    return "\n".join(lines) + "\n"


def create(name: str, title: str | None = None, root: Path | None = None) -> Path:
    import jupytext
    import nbformat

    root = root or paths.root()
    check_name(name, root)
    title = title or name.replace("_", " ").capitalize()
    text = render((root / TEMPLATE).read_text(encoding="utf-8"), name, title)
    nb = jupytext.reads(text, fmt="md:myst")
    nb.metadata.pop("jupytext", None)
    out = root / "book" / f"{name}.ipynb"
    out.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
    toc = root / "_toc.yml"
    toc.write_text(register(toc.read_text(encoding="utf-8"), f"book/{name}"), encoding="utf-8")
    add_manifest_rows(root, name)
    return out


def add_manifest_rows(root: Path, name: str) -> None:
    """Append the new chapter's example table to ``data/manifest.csv`` (the single list of tables
    and figures), so the chapter builds and is listed in README and the appendix at once."""
    import csv
    import io

    path = root / "data" / "manifest.csv"
    text = path.read_text(encoding="utf-8")
    header = next(csv.reader(io.StringIO(text)))
    row = {"item_id": item_for(name), "origin": "book", "kind": "table",
           "title": "Contoh tabel: kasus pelanggaran netralitas", "chapter": label_for(name),
           "file": f"book/{name}.ipynb", "glue": f"{name}_tbl_cases",
           "label": f"tbl-{label_for(name)}-kasus", "maker": "netralitas.cases.table1",
           "source": "ansyari2026netralitas"}
    out = io.StringIO()
    csv.DictWriter(out, fieldnames=header, lineterminator="\n").writerow(
        {k: row.get(k, "") for k in header})
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    with path.open("a", encoding="utf-8") as fh:
        fh.write(out.getvalue())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Create a new chapter from book/_templates/chapter.md")
    ap.add_argument("name", help="file name without extension, e.g. pilkada_2029")
    ap.add_argument("--title", default=None, help="chapter title (default: from NAME)")
    args = ap.parse_args(argv)
    try:
        out = create(args.name, args.title)
    except AuthoringError as exc:
        print(f"chapter: {exc}", file=sys.stderr)
        return 2
    root = paths.root()
    print(f"chapter: created {out.relative_to(root)} (label {label_for(args.name)}) "
          f"and added it to _toc.yml under '{PART}'")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
