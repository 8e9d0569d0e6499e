"""Sphinx extension: "Reproduksi bab ini" on every notebook chapter, and the appendix table.

Both are generated at build time from the executor's records (:func:`netralitas.build.runlog.
records`: the files a chapter read, its last measured runtime and why it last ran), never stored
in the notebooks, so the stored outputs stay deterministic.

- Every chapter that is a notebook ends with a box: the command that re-runs it, the inputs it
  reads and its last runtime (or a note that this machine has no record yet).
- The directive ``{nt-reproduksi}`` (in ``book/reproduksi.md``) becomes a table with one row
  per chapter: runtime, inputs and the reason of its last run.

A chapter whose record changed is re-written on the next build even if its notebook did not
change (``env-get-outdated``).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from . import runlog

__all__ = ["reason_id", "seconds_id", "placeholder", "ReproTable", "box", "table", "setup"]

REASONS = [
    (r"^no record$", "belum ada catatan eksekusi sebelumnya"),
    (r"^forced$", "dijalankan paksa (--force)"),
    (r"^code changed$", "kode bab berubah"),
    (r"^environment changed$", "lingkungan Python berubah"),
    (r"^outputs missing$", "keluaran belum tersimpan"),
    (r"^stored outputs differ from the last execution$",
     "keluaran tersimpan berbeda dari eksekusi terakhir"),
    (r"^(?P<file>\S+) changed$", "berkas {file} berubah"),
]


def reason_id(reason: str | None) -> str:
    """The executor's reason in Indonesian (unknown reasons are shown as they are)."""
    if not reason:
        return "tidak tercatat"
    for pattern, text in REASONS:
        m = re.match(pattern, reason)
        if m:
            return text.format(**m.groupdict())
    return reason


def seconds_id(seconds: float | None) -> str:
    return "tidak tercatat" if seconds is None else f"{seconds:.1f}".replace(".", ",") + " detik"


class placeholder(nodes.General, nodes.Element):
    """Where ``{nt-reproduksi}`` puts the appendix table."""


class ReproTable(SphinxDirective):
    has_content = False

    def run(self):
        return [placeholder()]


def _notebook(app, docname: str) -> str | None:
    path = Path(app.srcdir) / f"{docname}.ipynb"
    return f"{docname}.ipynb" if path.is_file() else None


def _literal_list(items: list[str]) -> list[nodes.Node]:
    out: list[nodes.Node] = []
    for i, item in enumerate(items):
        if i:
            out.append(nodes.Text(", "))
        out.append(nodes.literal(text=item))
    return out


def _shown_inputs(inputs: list[str]) -> tuple[list[str], int]:
    """Data and bibliography files, and how many schema/package files besides."""
    shown = [i for i in inputs if not i.startswith("data/schemas/") and i != "data/datapackage.json"]
    return shown, len(inputs) - len(shown)


def box(name: str, record: dict | None) -> nodes.Element:
    """The "Reproduksi bab ini" box of notebook ``name`` (``book/x.ipynb``)."""
    adm = nodes.admonition(classes=["nt-repro", "note"])
    adm += nodes.title(text="Reproduksi bab ini")
    items = nodes.bullet_list()

    def item(label: str, *content: nodes.Node) -> None:
        para = nodes.paragraph()
        para += nodes.strong(text=label + ": ")
        para.extend(content)
        items.append(nodes.list_item("", para))

    item("Perintah", nodes.literal(text=f"python -m netralitas.build.execute --force {name}"),
         nodes.Text(" (atau "), nodes.literal(text="make book"), nodes.Text(" untuk semua bab yang "
         "berubah; "), nodes.literal(text="make lab"), nodes.Text(" untuk membukanya di JupyterLab)"))
    if record is None:
        item("Catatan eksekusi", nodes.Text("belum ada di mesin yang membangun halaman ini; "
                                            "jalankan "), nodes.literal(text="make book"))
    else:
        shown, extra = _shown_inputs(record["inputs"])
        content = _literal_list(shown) or [nodes.Text("tidak ada berkas data")]
        if extra:
            content.append(nodes.Text(f", ditambah {extra} berkas skema paket data"))
        item("Masukan yang dibaca", *content)
        item("Waktu jalan terakhir", nodes.Text(f"{seconds_id(record['seconds'])} "
                                                f"({reason_id(record['reason'])})"))
    adm += items
    return adm


def table(app, docname: str, recs: dict[str, dict]) -> nodes.Element:
    """The appendix table: one row per notebook chapter in reading order."""
    order = [d for d in app.env.found_docs if _notebook(app, d)]
    toc = getattr(app.env, "nt_toc_order", None) or sorted(order)
    order = [d for d in toc if d in order] + sorted(set(order) - set(toc))
    tbl = nodes.table(classes=["nt-repro-table", "colwidths-given"])
    group = nodes.tgroup(cols=4)
    tbl += group
    for w in (19, 15, 34, 32):  # the reason may name a data file (e.g. "berkas data/x.csv berubah")
        group += nodes.colspec(colwidth=w)
    head = nodes.thead()
    row = nodes.row()
    for h in ("Bab", "Waktu jalan", "Masukan (di data/ bila tanpa folder)", "Alasan eksekusi terakhir"):
        row += nodes.entry("", nodes.paragraph(text=h))
    head += row
    group += head
    body = nodes.tbody()
    for doc in order:
        name = f"{doc}.ipynb"
        rec = recs.get(name)
        row = nodes.row()
        link = nodes.paragraph()
        ref = nodes.reference("", "", internal=True,
                              refuri=app.builder.get_relative_uri(docname, doc))
        ref += nodes.Text(app.env.titles[doc].astext() if doc in app.env.titles else doc)
        link += ref
        row += nodes.entry("", link)
        if rec is None:
            row += nodes.entry("", nodes.paragraph(text="–"))
            row += nodes.entry("", nodes.paragraph(text="belum ada catatan di mesin ini"))
            row += nodes.entry("", nodes.paragraph(text="–"))
        else:
            shown, extra = _shown_inputs(rec["inputs"])
            book = [i for i in shown if i.startswith("book/")]
            shown = [i.removeprefix("data/") for i in shown if not i.startswith("book/")]
            para = nodes.paragraph()
            para.extend(_literal_list(shown) or [nodes.Text("–")])
            if book:
                para += nodes.Text(f"{', ' if shown else ''}{len(book)} berkas bab di ")
                para += nodes.literal(text="book/")
            if extra:
                para += nodes.Text(f" (+{extra} skema)")
            row += nodes.entry("", nodes.paragraph(text=seconds_id(rec["seconds"])))
            row += nodes.entry("", para)
            row += nodes.entry("", nodes.paragraph(text=reason_id(rec["reason"])))
        body += row
    group += body
    return tbl


def _digest(record) -> str:
    return hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()


def _outdated(app, env, added, changed, removed):
    recs = runlog.records(Path(app.srcdir))
    old = getattr(env, "nt_repro", {})
    new = {d: _digest(recs.get(f"{d}.ipynb")) for d in env.found_docs if _notebook(app, d)}
    env.nt_repro = new
    moved = [d for d, h in new.items() if old.get(d) != h]
    if moved:
        moved += [d for d in getattr(env, "nt_repro_tables", ())]
    return sorted(set(moved) - set(added) - set(changed))


def _read(app, doctree):
    if any(True for _ in doctree.findall(placeholder)):
        tables = set(getattr(app.env, "nt_repro_tables", ()))
        tables.add(app.env.docname)
        app.env.nt_repro_tables = sorted(tables)


def _resolved(app, doctree, docname):
    recs = runlog.records(Path(app.srcdir))
    for ph in list(doctree.findall(placeholder)):
        ph.replace_self(table(app, docname, recs) if app.builder.format == "html" else [])
    name = _notebook(app, docname)
    if name and app.builder.format == "html":
        section = next(iter(doctree.findall(nodes.section)), None)
        (section if section is not None else doctree).append(box(name, recs.get(name)))


def _toc_order(app, env):
    """Reading order of the documents (for the appendix table), from the toctree."""
    order: list[str] = []

    def walk(doc):
        if doc in order:
            return
        order.append(doc)
        for child in env.toctree_includes.get(doc, []):
            walk(child)

    walk(app.config.root_doc)
    env.nt_toc_order = order


def setup(app):
    app.add_node(placeholder)
    app.add_directive("nt-reproduksi", ReproTable)
    app.connect("env-get-outdated", _outdated)
    app.connect("doctree-read", _read)
    app.connect("env-updated", _toc_order)
    app.connect("doctree-resolved", _resolved)
    return {"parallel_read_safe": False, "parallel_write_safe": True, "version": "1"}
