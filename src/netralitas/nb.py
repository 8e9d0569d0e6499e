"""Notebook set-up shared by every chapter: deterministic figures and tables.

Call ``netralitas.nb.setup()`` once at the top of a chapter. It fixes the figure size, dpi and
fonts, makes figures SVG without the metadata that could vary (no date; ids from the fixed
``svg.hashsalt``), and makes pandas render tables without random ids.
"""

from __future__ import annotations

FIG_DPI = 110
FIG_SIZE = (8.0, 4.5)
# Okabe–Ito: a colour-blind-safe qualitative palette, used throughout the book.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]


def setup() -> None:
    """Configure matplotlib and pandas for deterministic, readable outputs."""
    import matplotlib

    matplotlib.use("module://matplotlib_inline.backend_inline")
    import matplotlib.pyplot as plt
    import pandas as pd
    from cycler import cycler

    plt.rcParams.update(
        {
            "figure.figsize": FIG_SIZE,
            "figure.dpi": FIG_DPI,
            "savefig.dpi": FIG_DPI,
            "font.family": "DejaVu Sans",
            "font.size": 10,
            "axes.prop_cycle": cycler(color=PALETTE),
            "axes.spines.top": False,
            "axes.spines.right": False,
            "svg.hashsalt": "netralitas",
        }
    )
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        # SVG: sharp at any zoom; deterministic with the fixed svg.hashsalt (ids) and no date
        set_matplotlib_formats("svg", metadata={"Date": None})
    except Exception:  # pragma: no cover - outside IPython
        pass
    pd.set_option("display.max_colwidth", None)
    pd.set_option("display.max_rows", 200)


def table(frame, caption: str | None = None, uid: str = "t"):
    """Return a Styler for ``frame`` with a fixed id (no random uuid in HTML) and no index."""
    styler = frame.style.hide(axis="index").set_uuid(uid)
    if caption:
        styler = styler.set_caption(caption)
    return styler.set_table_attributes('class="dataframe netralitas-table"')
