"""What a chapter notebook calls to show things: set-up, glued values, and the book's tables and
figures by their id in ``data/manifest.csv``.

The manifest is the single list of tables and figures: :func:`show_table` and :func:`show_figure`
take an item's title, label, glue name and column widths from its row, so a title is typed once
and a chapter cannot show an item the manifest does not list (the error names the chapter's item
and the row to add). This is the top of the package: it may use the domain modules and
:mod:`netralitas.plots`; nothing imports it but the chapters.
"""

from __future__ import annotations

__all__ = ["setup", "glue_values", "show_table", "show_figure", "table", "require", "ProseError"]


def setup() -> None:
    """Once at the top of a chapter: deterministic figures (:func:`netralitas.plots.style.setup`)
    and pandas display options."""
    from .plots.style import setup as _setup

    _setup()


def _gluable(value):
    """Lists become words in a sentence (``a, b dan c``) as Markdown; everything else as is."""
    from IPython.display import Markdown

    from .text import join_words

    if isinstance(value, (list, tuple)):
        return Markdown(join_words(value) or "–")
    return value


def glue_values(**values) -> None:
    """Glue every keyword as a value for the chapter's prose (``{glue:text}`` / ``{glue:md}``):
    ``glue_values(d5_n_waves=5, d5_inside_ids=["M2024-01"])``. A list is glued as words in a
    sentence, so a counted list and its count come from the same frame."""
    from myst_nb import glue

    for name, value in values.items():
        glue(name, _gluable(value), display=False)


def show_table(item_id: str, frame, cite_columns=("Sumber",), widths=None, note: str = "") -> None:
    """Glue ``frame`` as the manifest item ``item_id``: a MyST list-table with the item's title
    (followed by ``note``, e.g. why a column is absent), label and widths (``widths`` overrides
    the manifest's), under the item's glue name; the chapter's Markdown shows it with
    ``{glue:md}``."""
    from myst_nb import glue

    from .manifest import item, widths_of
    from .tables import to_myst

    row = item(item_id, kind="table")
    widths = widths or widths_of(row["widths"])
    title = f"{row['title']} {note}".strip()
    glue(row["glue"], to_myst(frame, title, row["label"], cite_columns=cite_columns,
                              widths=widths), display=False)


def show_figure(item_id: str, fig, alt: str, caption: str = "") -> None:
    """Glue ``fig`` as the manifest item ``item_id``: the image under ``<glue>_img`` and, under the
    item's glue name, the whole figure block (label, ``alt`` text, and the caption: the item's
    title, then ``caption``, which may hold ``{glue:…}`` roles). The chapter's Markdown shows it
    with ``{glue:md}``, like a table."""
    from IPython.display import Markdown
    from myst_nb import glue

    from .manifest import item

    row = item(item_id, kind="figure")
    glue(f"{row['glue']}_img", fig, display=False)
    alt_text = " ".join(str(alt).split())
    body = f"{row['title']}. {caption}".strip()
    block = (f"```{{glue:figure}} {row['glue']}_img\n:name: {row['label']}\n:alt: {alt_text}\n\n"
             f"{body}\n```\n")
    glue(row["glue"], Markdown(block), display=False)


def table(frame, caption: str | None = None, uid: str = "t"):
    """Return a Styler for ``frame`` with a fixed id (no random uuid in HTML) and no index."""
    styler = frame.style.hide(axis="index").set_uuid(uid)
    if caption:
        styler = styler.set_caption(caption)
    return styler.set_table_attributes('class="dataframe netralitas-table"')


class ProseError(AssertionError):
    """A sentence of a chapter no longer holds for the data: the message says which."""


def require(condition, claim: str) -> None:
    """Stop the chapter with a readable error when ``condition`` is false: ``claim`` is what the
    chapter's prose states (e.g. "claim C26 is the only flagged verdict"), so the author knows
    which sentence to rewrite when the data change. Prefer a glued phrase computed from the data
    where the prose can follow the data; use this only where it cannot."""
    if not bool(condition):
        raise ProseError(f"the prose states that {claim}, but the data no longer say so: "
                         "rewrite that sentence (or compute it from the data)")
