"""Evidence figures: stacked bars per meaning (D.2) and the factor heatmap (D.4)."""

from __future__ import annotations

import pandas as pd

from ..evidence import code_label, type_label
from .style import FIG_DPI, PALETTE

__all__ = ["type_colors", "evidence_figure", "meaning_figure", "factor_heatmap"]

# Okabe–Ito colours dark enough for white labels on top.
_DARK = ("#0072B2", "#D55E00", "#000000", "#009E73")


def type_colors(types: list[str]) -> dict[str, str]:
    """A fixed Okabe–Ito colour per evidence type (by position in ``types``)."""

    return {t: PALETTE[i % len(PALETTE)] for i, t in enumerate(types)}


FIG_WIDTH = 6.6  # inches: at 110 dpi the figure is shown at (nearly) its own size in the page


FONT = 10  # smallest text in these figures, in points


def evidence_figure(table: pd.DataFrame, codebook: pd.DataFrame, title: str,
                    colors: dict[str, str] | None = None):
    """Horizontal stacked bars: one bar per code (rows of ``table``), one segment per evidence type.

    ``table`` is the output of :func:`counts`. Types with no items anywhere are left out of the
    legend, which sits below the bars. Returns a ``matplotlib.figure.Figure`` (not pyplot).
    """
    from matplotlib.figure import Figure


    used = [t for t in table.columns if table[t].sum() > 0]
    colors = colors or type_colors(list(table.columns))
    n = len(table.index)
    fig = Figure(figsize=(FIG_WIDTH, 1.9 + 0.6 * max(n, 1)), dpi=FIG_DPI, layout="constrained")
    ax = fig.add_subplot()
    labels = [code_label(c, codebook, width=26) for c in table.index]
    y = list(range(n))[::-1]
    left = [0] * n
    for t in used:
        vals = table[t].tolist()
        bars = ax.barh(y, vals, left=left, color=colors[t], label=type_label(t),
                       edgecolor="white", height=0.62)
        for bar, v in zip(bars, vals):
            if v:
                ax.text(bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2,
                        str(v), ha="center", va="center", fontsize=FONT,
                        color="white" if colors[t] in _DARK else "black")
        left = [a + b for a, b in zip(left, vals)]
    ax.set_yticks(y)
    ax.set_yticklabels(labels)
    ax.tick_params(labelsize=FONT)
    ax.set_xlabel("Jumlah butir bukti", fontsize=FONT)
    ax.set_title(title, loc="left", fontsize=FONT + 1)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlim(0, max(max(left, default=0), 1) * 1.05)
    if used:
        fig.legend(title="Jenis bukti", loc="outside lower center", ncols=min(len(used), 3),
                   frameon=False, fontsize=FONT, title_fontsize=FONT)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return fig


def meaning_figure(table: pd.DataFrame, codebook: pd.DataFrame, colors=None):
    """Evidence per meaning of neutrality by evidence type (chapter D.2)."""
    return evidence_figure(table, codebook, "Bukti per makna netralitas, menurut jenis bukti", colors)


def factor_heatmap(table: pd.DataFrame, codebook: pd.DataFrame):
    """Seaborn heatmap: factor (rows) × evidence type (columns), cells = number of items.

    ``table`` is :func:`counts` for ``family="factor"``; every type column is shown, so an empty
    column reads as "no evidence of this kind". Returns a ``matplotlib.figure.Figure``.
    """
    import seaborn as sns
    from matplotlib.figure import Figure


    data = table.copy()
    data.index = [code_label(c, codebook, width=24) for c in table.index]
    data.columns = [type_label(t) for t in table.columns]
    n_rows, n_cols = data.shape
    fig = Figure(figsize=(FIG_WIDTH, 2.2 + 0.75 * max(n_rows, 1)), dpi=FIG_DPI, layout="constrained")
    ax = fig.add_subplot()
    vmax = max(int(data.to_numpy().max()) if data.size else 0, 1)
    sns.heatmap(data, ax=ax, annot=True, fmt="d", cmap="Blues", vmin=0, vmax=vmax,
                linewidths=0.8, linecolor="white", annot_kws={"fontsize": FONT + 1},
                cbar_kws={"label": "Jumlah butir bukti", "ticks": list(range(vmax + 1))})
    ax.set_xlabel("Jenis bukti", fontsize=FONT)
    ax.set_ylabel("")
    ax.set_title("Faktor × jenis bukti", loc="left", fontsize=FONT + 1)
    ax.tick_params(axis="both", labelsize=FONT)
    ax.tick_params(axis="x", labelrotation=35)
    for lab in ax.get_xticklabels():
        lab.set_horizontalalignment("right")
        lab.set_rotation_mode("anchor")
    ax.tick_params(axis="y", labelrotation=0)
    cbar = ax.collections[0].colorbar
    cbar.ax.tick_params(labelsize=FONT)
    cbar.set_label("Jumlah butir bukti", fontsize=FONT)
    return fig
