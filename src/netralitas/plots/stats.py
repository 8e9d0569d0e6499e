"""Figures of the statistics chapter: forest plot of rate ratios and power curves."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .. import vocab
from .style import FIG_DPI, PALETTE

__all__ = ["forest_plot", "power_curve_figure"]


def forest_plot(incidence_table: pd.DataFrame, figsize=None):
    """Forest plot of rate ratios (city / national) on a log axis; returns a Figure.

    One line per row of :func:`incidence`, top to bottom in table order. Comparable rows get
    a point and its interval; a ratio of 0 (no city case) is drawn as a left-pointing marker at
    the axis edge with its upper limit; rows without one side carry a text label instead.
    Each label names the election, the national source and what the row assumes (the main
    analysis, or the one choice a sensitivity row changes). All text is at least 10 pt, and the
    figure is narrow enough (6.6 in) to be shown at nearly its own size in the page column; its
    height grows with the rows (``figsize`` overrides).
    """
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FuncFormatter


    t = incidence_table.reset_index(drop=True)
    figsize = figsize or (6.6, 1.5 + 0.5 * len(t))
    fig = Figure(figsize=figsize, dpi=FIG_DPI)
    ax = fig.add_subplot(1, 1, 1)
    comp = t[t["comparable"]]
    finite = pd.concat([comp["lower"][comp["lower"] > 0], comp["upper"][np.isfinite(comp["upper"])],
                        comp["estimate"][comp["estimate"] > 0]])
    xmin = min(0.05, float(finite.min()) / 2) if not finite.empty else 0.05
    xmax = max(20.0, float(finite.max()) * 2) if not finite.empty else 20.0
    colours = {"strict": PALETTE[0], "paper": PALETTE[1]}
    labels = []
    for i, r in t.iterrows():
        y = len(t) - 1 - i
        d = r["definition"]
        nat = f"{r['body']} ({r['baseline_id']})" if r["baseline_id"] != "–" else "tanpa nasional"
        if d == "–":
            what = "tanpa kota"
        elif r.get("choice", "main") == "main":
            what = f"utama, {r['definition_label']}"
        else:
            what = vocab.label("analysis_choice", r["choice"], short=True)
            if r["choice"] == "denominator":
                what += f" (ASN {r['national_asn_period']})"
        labels.append(f"{r['label']}\n{nat} · {what}")
        if not r["comparable"]:
            msg = ("tidak ada angka kota" if r["baseline_id"] != "–" else "tidak ada angka nasional")
            ax.text(math.sqrt(xmin * xmax), y, msg, ha="center", va="center", fontsize=10,
                    color="0.3", style="italic", bbox={"facecolor": "white", "edgecolor": "none"})
            continue
        c = colours.get(d, PALETTE[2])
        lo = max(r["lower"], xmin)
        hi = min(r["upper"], xmax) if np.isfinite(r["upper"]) else xmax
        ax.plot([lo, hi], [y, y], color=c, lw=2, solid_capstyle="butt", gid=f"ci-{i}")
        if r["estimate"] > 0:
            ax.plot([r["estimate"]], [y], "o", color=c, ms=7, gid=f"est-{i}")
        else:
            ax.plot([xmin * 1.12], [y], "<", color=c, ms=8, gid=f"est-{i}")
    ax.axvline(1.0, color="0.3", lw=1, ls="--")
    ax.set_xscale("log")
    ax.set_xlim(xmin, xmax)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
    ax.set_yticks(range(len(t)))
    ax.set_yticklabels(labels[::-1], fontsize=10)
    ax.tick_params(axis="x", labelsize=10)
    ax.set_ylim(-0.7, len(t) - 0.3)
    ax.set_xlabel("Rasio laju, kota / nasional (skala log; 1 = sama)", fontsize=10)
    handles = [Line2D([], [], color=colours[k], marker="o", lw=2, label=f"kota: {v}")
               for k, v in vocab.labels("definition").items()]
    handles.append(Line2D([], [], color=colours["strict"], marker="<", lw=0,
                          label="0 kasus kota (batas atas saja)"))
    handles.append(Line2D([], [], color="0.3", ls="--", lw=1, label="rasio 1 (laju sama)"))
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.35, 1.0), ncol=2,
              fontsize=10, frameon=False)
    fig.tight_layout()
    return fig


def power_curve_figure(curve: pd.DataFrame, city_asn: float | None = None, power: float = 0.8,
                       figsize=(6.6, 4.2)):
    """Power against ASN-elections (log axis), one line per rate ratio; returns a Figure.

    Solid lines: the exact conditional test (``power``); thin dotted lines of the same colour:
    the Wald approximation (``power_wald``, when the column is there), for comparison. A dashed
    line marks the target power; a dotted vertical line marks one election in a city with
    ``city_asn`` civil servants. The legend (above the axes, so that no text crosses a curve)
    names every line.
    """
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FuncFormatter

    fig = Figure(figsize=figsize, dpi=FIG_DPI)
    ax = fig.add_subplot(1, 1, 1)
    wald = "power_wald" in curve
    for k, (rr, g) in enumerate(curve.groupby("ratio", sort=True)):
        g = g.sort_values("asn_elections")
        colour = PALETTE[k % len(PALETTE)]
        ax.plot(g["asn_elections"], g["power"], color=colour, lw=2,
                label=f"rasio laju {rr:g}" + (" (uji eksak)" if wald else ""))
        if wald:
            ax.plot(g["asn_elections"], g["power_wald"], color=colour, lw=1, ls=":",
                    label="_nolegend_")
    ax.axhline(power, color="0.3", lw=1, ls="--", label=f"daya sasaran {power:.0%}")
    if city_asn:
        ax.axvline(city_asn, color="0.3", lw=1.2, ls="-.",
                   label="satu pemilihan di Pangkalpinang")
    handles, labels = ax.get_legend_handles_labels()
    if wald:
        handles.append(Line2D([], [], color="0.3", lw=1, ls=":"))
        labels.append("pendekatan Wald (pembanding)")
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))
    ax.set_ylim(0, 1)
    ax.tick_params(labelsize=10)
    ax.set_xlabel("ASN-pemilihan yang diamati (skala log)", fontsize=10)
    ax.set_ylabel("Daya uji", fontsize=10)
    ax.legend(handles, labels, loc="lower center", bbox_to_anchor=(0.45, 1.0), ncol=2,
              fontsize=10, frameon=False)
    fig.tight_layout()
    return fig
