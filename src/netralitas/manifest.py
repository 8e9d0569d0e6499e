"""The single list of the book's tables and figures (``data/manifest.csv``) and its checks."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from . import paths
from .data import DataError

__all__ = ["item", "items", "check_manifest", "labelled_items", "unlisted_items",
           "manifest_tables", "toc_pages", "chapter_labels", "readme_table", "widths_of",
           "MANIFEST_FILE"]

MANIFEST_FILE = "data/manifest.csv"


class ManifestError(DataError):
    """A chapter shows an item the manifest does not list, or lists it with another kind."""


def items(data_dir=None) -> pd.DataFrame:
    """``data/manifest.csv``, validated."""
    from . import data

    return data.load("manifest", data_dir)


def widths_of(cell) -> list[int] | None:
    """A manifest ``widths`` cell (``"16 10 14"``) as integers; None when the cell is empty."""
    if cell is None or (not isinstance(cell, str) and pd.isna(cell)):
        return None
    return [int(w) for w in str(cell).split()] or None


def item(item_id: str, kind: str | None = None, data_dir=None) -> dict:
    """The manifest row of ``item_id`` as a dict (empty cells as ``""``); raises
    :class:`ManifestError` naming the row to add when there is none, or when its kind is not
    ``kind``."""
    m = items(data_dir)
    rows = m[m["item_id"] == item_id]
    if rows.empty:
        raise ManifestError(f"{MANIFEST_FILE}: no row for item '{item_id}' (add one: "
                            f"{item_id},book,<table|figure>,,<title>,<paper section>,<chapter "
                            "label>,book/<chapter>.ipynb,<glue name>,<tbl-…|fig-…>,<maker>,"
                            "<widths>,<fold>,,<source>; `make chapter` writes the rows of a new chapter)")
    row = {k: ("" if (not isinstance(v, str) and pd.isna(v)) else v)
           for k, v in rows.iloc[0].to_dict().items()}
    if kind and row["kind"] != kind:
        raise ManifestError(f"{MANIFEST_FILE}: item '{item_id}' is a {row['kind']}, shown as a {kind}")
    return row


def chapter_labels(book_dir: Path) -> set[str]:
    """Every ``(label)=`` target defined in book pages."""
    labels = set()
    for p in sorted(Path(book_dir).glob("*.md")) + sorted(Path(book_dir).glob("*.ipynb")):
        labels.update(re.findall(r"^\(([A-Za-z0-9_-]+)\)=", _raw_markdown(p), flags=re.M))
    return labels


def _raw_markdown(p: Path) -> str:
    if p.suffix == ".md":
        return p.read_text(encoding="utf-8")
    nb = json.loads(p.read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                     for c in nb.get("cells", []) if c.get("cell_type") == "markdown")


def _titled(block: str, title: str, label: str) -> bool:
    """Whether the glued item ``label`` in ``block`` carries ``title``: the list-table whose
    ``:name:`` is ``label`` has it as its title, or the figure's caption starts with it."""
    for chunk in re.split(r"(?=:::\{list-table\})", block):
        if not re.search(r"^:name:\s*" + re.escape(label) + r"\s*$", chunk, flags=re.M):
            continue
        first = chunk.split("\n", 1)[0]
        if first.startswith(":::{list-table}"):
            return first.split("}", 1)[1].strip().startswith(title)
        caption = chunk.split("\n\n", 1)[1] if "\n\n" in chunk else ""
        return caption.strip().startswith(title)
    return False


def html_id_of(label: str) -> str:
    """The HTML id Sphinx writes for an ASCII label, by the rule of ``docutils.nodes.make_id``
    (lower case, runs of other characters become ``-``, no leading digit or hyphen, no trailing
    hyphen): ``tbl-x_y`` -> ``tbl-x-y``. Kept here so this domain module needs no docutils
    (tests/test_layers.py compares it with docutils)."""
    text = re.sub(r"[^a-z0-9]+", "-", " ".join(label.lower().split()))
    return re.sub(r"^[-0-9]+|-+$", "", text)


def check_manifest(manifest: pd.DataFrame, root: Path, html_dir: Path | None = None):
    """Problems with the table/figure manifest, one line each (empty list: all good).

    Book items (``origin == 'book'``) must have their notebook in ``root``, a stored glue output
    named ``glue`` in it, a Markdown cell that displays that glue (``{glue:…} name``), and the
    label ``label`` defined either in that cell or in the glued Markdown (``:name: label``), and
    no ``number`` (Sphinx numbers them; a typed number would disagree with the printed one). When
    ``html_dir`` is given, the built page must carry ``id="label"``. Paper items
    (``origin == 'paper'``) may name the book item that regenerates them in ``regenerated_by``;
    that id must exist.
    """
    problems = []
    ids = set(manifest["item_id"])
    for _, m in manifest.iterrows():
        item = m["item_id"]
        if m["origin"] == "paper":
            reg = m.get("regenerated_by")
            if isinstance(reg, str) and reg and reg not in ids:
                problems.append(f"{item}: regenerated_by '{reg}' is not an item_id")
            continue
        number = m.get("number")
        if isinstance(number, str) and number.strip():
            problems.append(f"{item}: number '{number}' is set, but Sphinx numbers book items "
                            "(leave it empty; refer to the item with {numref} and its label)")
        path = Path(root) / str(m["file"])
        if not path.exists():
            problems.append(f"{item}: file {m['file']} not found")
            continue
        nb = json.loads(path.read_text(encoding="utf-8"))
        glued, shown, labelled, titled = False, False, False, False
        for cell in nb.get("cells", []):
            src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            if cell.get("cell_type") == "markdown":
                if re.search(r"\{glue(?::[a-z]+)?\}`?\s*" + re.escape(m["glue"]) + r"\b", src):
                    shown = True
                if re.search(r"^:name:\s*" + re.escape(m["label"]) + r"\s*$", src, flags=re.M):
                    labelled = True
            for out in cell.get("outputs", []):
                if out.get("metadata", {}).get("scrapbook", {}).get("name") == m["glue"]:
                    glued = True
                    for val in out.get("data", {}).values():
                        val = "".join(val) if isinstance(val, list) else str(val)
                        if re.search(r"^:name:\s*" + re.escape(m["label"]) + r"\s*$", val,
                                     flags=re.M):
                            labelled = True
                            titled = titled or _titled(val, str(m["title"]), str(m["label"]))
        if not glued:
            problems.append(f"{item}: no stored glue output '{m['glue']}' in {m['file']}")
        elif labelled and not titled:
            problems.append(f"{item}: the glued item in {m['file']} does not carry the manifest "
                            f"title {m['title']!r} (show it with nt.nb.show_table/show_figure)")
        if not shown:
            problems.append(f"{item}: no Markdown cell displays glue '{m['glue']}' in {m['file']}")
        if not labelled:
            problems.append(f"{item}: label '{m['label']}' not defined in {m['file']}")
        if html_dir is not None:
            page = Path(html_dir) / Path(str(m["file"])).with_suffix(".html")
            if not page.exists():
                problems.append(f"{item}: built page {page} not found")
            else:
                html_id = html_id_of(str(m["label"]))
                if f'id="{html_id}"' not in page.read_text(encoding="utf-8"):
                    problems.append(f"{item}: id=\"{html_id}\" missing from {page.name}")
    return problems


_LABEL = re.compile(r"^:name:\s*((?:tbl|fig)-[A-Za-z0-9_-]+)\s*$", flags=re.M)


def labelled_items(book_dir: Path, pages: list[str] | None = None) -> pd.DataFrame:
    """Every labelled table and figure of the book, in reading order.

    A labelled item is a ``:name: tbl-…`` or ``:name: fig-…`` option in a Markdown page, a
    notebook Markdown cell or a stored (glued) Markdown output. ``pages`` gives the reading
    order as docnames relative to the project root (``book/intro``, …; see
    :func:`toc_pages`); files not in it follow, sorted by name. Returns
    ``file`` (``book/x.ipynb``), ``label``, ``kind`` (table/figure) and ``glue`` (the glue output
    that carries the label, or whose ``{glue:figure}`` cell defines it; empty for Markdown pages).
    """
    book_dir = Path(book_dir)
    files = sorted(book_dir.glob("*.md")) + sorted(book_dir.glob("*.ipynb"))
    rank = {name: i for i, name in enumerate(pages or [])}
    files.sort(key=lambda p: (rank.get(f"{book_dir.name}/{p.stem}", len(rank)), p.name))
    rows = []

    def add(p, label, glue_name):
        rows.append({"file": f"{book_dir.name}/{p.name}", "label": label,
                     "kind": "table" if label.startswith("tbl-") else "figure",
                     "glue": glue_name})

    for p in files:
        if p.suffix == ".md":
            for label in _LABEL.findall(p.read_text(encoding="utf-8")):
                add(p, label, "")
            continue
        nb = json.loads(p.read_text(encoding="utf-8"))
        glued: dict[str, list[str]] = {}
        for cell in nb.get("cells", []):
            for out in cell.get("outputs", []):
                name = out.get("metadata", {}).get("scrapbook", {}).get("name")
                for val in out.get("data", {}).values():
                    val = "".join(val) if isinstance(val, list) else str(val)
                    if name:
                        glued.setdefault(name, []).extend(_LABEL.findall(val))
        for cell in nb.get("cells", []):
            if cell.get("cell_type") != "markdown":
                continue
            src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            glue_at = [(m.start(), m.group(1)) for m in
                       re.finditer(r"\{glue(?::[a-z]+)?\}`?\s*([A-Za-z0-9_]+)", src)]
            shown = [name for _, name in glue_at]
            for m in _LABEL.finditer(src):  # the glue directive that opens this label's block
                before = [name for pos, name in glue_at if pos < m.start()]
                add(p, m.group(1), before[-1] if before else "")
            for name in shown:
                for label in glued.get(name, []):
                    add(p, label, name)
    out = pd.DataFrame(rows, columns=["file", "label", "kind", "glue"])
    return out.drop_duplicates(["file", "label"]).reset_index(drop=True)


def unlisted_items(manifest: pd.DataFrame, items: pd.DataFrame) -> list[str]:
    """Labelled book items (:func:`labelled_items`) that have no row in the manifest."""
    listed = set(zip(manifest["file"].dropna(), manifest["label"].dropna()))
    return [f"{r.file}: label '{r.label}' ({r.kind}, glue '{r.glue}') has no row in "
            "data/manifest.csv" for r in items.itertuples() if (r.file, r.label) not in listed]


def manifest_tables(manifest: pd.DataFrame, pages: list[str] | None = None):
    """The manifest for readers as two DataFrames ``(paper, book)``, no invented numbers.

    Book items: ``Butir`` is a ``{numref}`` link to the item (Sphinx prints its number and the
    reader can click to it), then ``Judul``, ``Bab`` (a ``{ref}`` to the chapter) and
    ``Nama glue``. ``pages`` (docnames in reading order, :func:`toc_pages`) sorts
    the book items by the page that shows them, then in manifest order; pages not listed go last.
    Paper items: the paper's own name, title, section and the book item that regenerates it
    (``{numref}``) or ``belum dibuat ulang``.
    """
    label_of = dict(zip(manifest["item_id"], manifest["label"]))
    paper = manifest[manifest["origin"] == "paper"]
    book = manifest[manifest["origin"] == "book"]
    rank = {page: i for i, page in enumerate(pages or [])}
    book = book.assign(_r=[rank.get(str(f).rsplit(".", 1)[0], len(rank)) for f in book["file"]])
    book = book.sort_values("_r", kind="stable")

    def regen(item):
        if not isinstance(item, str) or not item:
            return "belum dibuat ulang"
        return "{numref}`" + label_of[item] + "`"

    paper_out = pd.DataFrame({
        "Butir makalah": [f"{n} makalah" for n in paper["number"]],
        "Judul": paper["title"].tolist(),
        "Bagian makalah": [x if isinstance(x, str) and x else "–" for x in paper["paper_section"]],
        "Dibuat ulang di buku": [regen(x) for x in paper["regenerated_by"]],
    })
    book_out = pd.DataFrame({
        "Butir": ["{numref}`" + label + "`" for label in book["label"]],
        "Judul": book["title"].tolist(),
        "Bab": ["{ref}`" + c + "`" for c in book["chapter"]],
        "Nama glue": [f"`{g}`" for g in book["glue"]],
    })
    return paper_out, book_out


def toc_pages(root: Path | None = None) -> list[str]:
    """Docnames of every page in ``_toc.yml`` (root first, then in reading order)."""
    import yaml

    root = root or paths.root()
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                pages.append(node["file"])
            for key in ("parts", "chapters", "sections"):
                for child in node.get(key, []) or []:
                    walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(toc)
    return [str(Path(p).with_suffix("")) if Path(p).suffix in {".md", ".ipynb"} else p
            for p in pages]


def readme_table(manifest: pd.DataFrame, pages: list[str] | None = None) -> str:
    """README's list of tables and figures, generated from the manifest (book items in reading
    order): a Markdown table with the label, title, chapter file and the functions that make it.
    A test compares README with this text, so the two cannot drift."""
    book = manifest[manifest["origin"] == "book"]
    rank = {page: i for i, page in enumerate(pages or [])}
    book = book.assign(_r=[rank.get(str(f).rsplit(".", 1)[0], len(rank)) for f in book["file"]])
    book = book.sort_values("_r", kind="stable")
    lines = ["| item | title | chapter (file) | made by |", "|---|---|---|---|"]
    for r in book.itertuples():
        what = "Tabel" if r.kind == "table" else "Gambar"
        makers = ", ".join(f"`{m}`" for m in str(r.maker or "").split()) or "–"
        lines.append(f"| {what} `{r.label}` | {r.title} | `{r.file}` | {makers} |")
    return "\n".join(lines) + "\n"
