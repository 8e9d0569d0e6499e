"""Tables as MyST for ``{glue:md}``: every source column becomes citations."""

from __future__ import annotations

import pandas as pd

from . import bib

__all__ = ["cite", "to_myst"]


def _cell(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "–"
    text = str(value).replace("\n", " ").strip()
    # literal text: `<`, `>` and `&` are backslash-escaped so MyST never reads them as HTML
    for ch in "&<>":
        text = text.replace(ch, "\\" + ch)
    return text or "–"


def cite(keys: str | list[str]) -> str:
    """MyST parenthetical citation for ``key1;key2`` (or a list of keys)."""
    ks = bib.split_keys(keys) if isinstance(keys, str) else list(keys)
    return "{cite:p}`" + ",".join(ks) + "`" if ks else "–"


def to_myst(frame: pd.DataFrame, title: str, name: str, cite_columns=("Sumber",),
            widths: list[int] | None = None):
    """Render ``frame`` as a MyST ``list-table`` (to be glued and shown with ``{glue:md}``).

    Returns an ``IPython.display.Markdown`` object (its text is in ``.data``), so that
    ``glue(name, to_myst(...), display=False)`` stores a ``text/markdown`` output.

    Columns in ``cite_columns`` hold ``;``-separated bib keys and become ``{cite:p}`` citations,
    so every source in a table links to the bibliography.
    """
    # A colon fence: its title may contain backticks (file names), which a ``` fence forbids.
    lines = [f":::{{list-table}} {title}", ":header-rows: 1", f":name: {name}"]
    if widths:
        lines.append(":widths: " + " ".join(str(w) for w in widths))
    lines.append("")
    header = list(frame.columns)
    lines.append("* - " + "\n  - ".join(_cell(h) for h in header))
    for _, row in frame.iterrows():
        cells = [cite(row[c]) if c in cite_columns else _cell(row[c]) for c in header]
        lines.append("* - " + "\n  - ".join(cells))
    lines.append(":::")
    from IPython.display import Markdown

    return Markdown("\n".join(lines) + "\n")
