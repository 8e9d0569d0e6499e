"""Sphinx extension: tables and figures the manifest marks ``folded`` start closed on the page.

A chapter page stays short enough to read (about 12 screens at 1280 px, checked by
``tests/browser/test_page_height.py``) when reference material beside the argument (a table of
every baseline, a row-by-row calendar) starts folded. Which items fold is data: the ``fold``
column of ``data/manifest.csv`` (``folded``), next to the item's title and widths, so a chapter
never decides it and a notebook does not change for it.

A folded item becomes the same dropdown as a MyST ``:::{dropdown}`` of sphinx-design (one look
and one print rule for everything folded): its summary line is the item's number and title
("Tabel 20: Angka pembanding nasional dan provinsi"), its body the table (with the legend of its
source numbers, ``netralitas.build.compact``) or the figure. The label stays on the table or
figure, so ``{numref}`` links land on it and the browser opens the dropdown on arrival. Print and
the whole-book PDF show every folded item open (``_static/netralitas.css``, ``@media print``).
HTML builds only.
"""

from __future__ import annotations

from docutils import nodes

__all__ = ["FOLDED", "folded_labels", "setup"]

FOLDED = "folded"


def folded_labels(manifest) -> set[str]:
    """HTML ids of the manifest items marked ``folded``."""
    from ..manifest import html_id_of

    rows = manifest[manifest["fold"].fillna("") == FOLDED]
    return {html_id_of(label) for label in rows["label"] if isinstance(label, str) and label}


def _summary(app, docname: str, node, kind: str) -> str:
    """'Tabel 20: <title>' from the node's own number and title."""
    title = next(iter(node.findall(nodes.title if kind == "table" else nodes.caption)), None)
    text = " ".join(title.astext().split()) if title is not None else ""
    nums = app.env.toc_fignumbers.get(docname, {}).get(kind, {})
    number = next((nums[i] for i in node["ids"] if i in nums), None)
    if number is None:
        return text
    label = app.config.numfig_format.get(kind, "%s") % ".".join(map(str, number))
    return f"{label}: {text}" if text else label


def _fold(node: nodes.Element, summary: str, extra: list[nodes.Node]) -> None:
    from sphinx_design.dropdown import dropdown_main, dropdown_title
    from sphinx_design.icons import get_octicon
    from sphinx_design.shared import create_component

    parent = node.parent
    at = parent.index(node)
    marker = nodes.inline("", "", nodes.raw("", nodes.Text(get_octicon("chevron-right", height="1.5em")),
                                            format="html"),
                          classes=["sd-summary-state-marker", "sd-summary-chevron-right"])
    main = dropdown_main(opened=False, classes=["sd-sphinx-override", "sd-dropdown", "sd-card",
                                                "sd-mb-3", "nt-fold"])
    main += dropdown_title("", "", nodes.inline("", summary, classes=["sd-summary-text"]), marker,
                           classes=["sd-summary-title", "sd-card-header"])
    for n in [node, *extra]:
        parent.remove(n)
    main += create_component("dropdown-body", classes=["sd-summary-content", "sd-card-body"],
                             children=[node, *extra])
    parent.insert(at, main)


def _resolved(app, doctree, docname):
    if app.builder.format != "html":
        return
    folded = set(app.config.nt_folded_labels)
    for kind, cls in (("table", nodes.table), ("figure", nodes.figure)):
        for node in list(doctree.findall(cls)):
            if not set(node["ids"]) & folded:
                continue
            parent = node.parent
            nxt = parent.index(node) + 1
            extra = [parent[nxt]] if (nxt < len(parent) and isinstance(parent[nxt], nodes.paragraph)
                                      and "nt-table-sources" in parent[nxt]["classes"]) else []
            _fold(node, _summary(app, docname, node, kind), extra)


def _read_manifest(app, config):
    # a config value: Sphinx rebuilds every page when the folded items change
    from .. import paths
    from ..manifest import items

    config.nt_folded_labels = sorted(folded_labels(items(paths.root() / "data")))


def setup(app):
    app.add_config_value("nt_folded_labels", [], "env")
    app.connect("config-inited", _read_manifest)
    app.connect("doctree-resolved", _resolved, priority=600)  # after compact's legends (500)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
