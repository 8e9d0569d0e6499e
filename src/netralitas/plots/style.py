"""Figure style shared by every drawing: size, dpi, Okabe–Ito palette, deterministic output,
and the two checks tests run on any figure (text size, drawn elements)."""

from __future__ import annotations

__all__ = ["FIG_DPI", "FIG_SIZE", "PALETTE", "setup", "small_text", "drawn"]

FIG_DPI = 110


FIG_SIZE = (8.0, 4.5)


# Okabe–Ito: a colour-blind-safe qualitative palette, used throughout the book.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]


def setup() -> None:
    """Configure matplotlib (inline backend, size, dpi, fonts, palette; SVG output with no date
    and ids from the fixed hash salt) and pandas display options, for deterministic outputs."""
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


def small_text(fig, min_pt: float = 9.0) -> list[tuple[str, float]]:
    """Every visible, non-empty text of ``fig`` (labels, ticks, legend) smaller than ``min_pt``
    points, as ``(text, size)``: empty for a figure that is legible at the book's page width."""
    from matplotlib.text import Text

    out = []
    for t in fig.findobj(Text):
        if t.get_visible() and t.get_text().strip() and t.get_fontsize() < min_pt:
            out.append((t.get_text(), float(t.get_fontsize())))
    return out


def drawn(fig, prefix: str) -> list[str]:
    """Sorted ids of everything drawn in ``fig`` whose gid starts with ``prefix`` (the part after
    the prefix: ``drawn(fig, "event:")`` → ``["pemilu2024", …]``), bars inside containers
    included: the way tests and readers ask what a figure shows without looking at pixels."""
    found = set()
    for ax in fig.axes:
        for art in ax.get_children():
            for a in [art, *getattr(art, "patches", [])]:
                gid = a.get_gid()
                if gid and gid.startswith(prefix):
                    found.add(gid[len(prefix):])
    return sorted(found)
