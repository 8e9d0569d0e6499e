"""Timelines: the election calendar (chapter A) and the transfer waves on it (chapter D.5).

Every drawn element carries a ``gid`` (``band:<term_id>``, ``event:<event_id>``,
``window:<election>``, ``wave:<wave_id>`` …) so that tests can ask what was drawn."""

from __future__ import annotations

import pandas as pd

from .. import vocab
from ..calendar import KEY_KINDS, terms, timeline_events
from ..calendar import span as data_span
from ..mutations import record_of, unit_label, wave_spans
from ..text import date_id, wrap_words
from .style import FIG_DPI, PALETTE

__all__ = ["election_timeline", "mutation_timeline", "overflowing_labels", "calendar_alt",
           "mutation_alt", "KIND_MARKERS", "UNIT_MARKERS", "WAVE_RECORD_COLOURS"]

KIND_MARKERS = {"voting_day": "o", "candidate_determination": "D", "inauguration": "*"}






def _palette():

    return PALETTE


def _width(figsize, start, end, base_years: float = 4.0, most: float = 1.5):
    """The figure widened with the span it shows (a longer calendar gets more room), up to
    ``most`` times the width drawn for ``base_years`` years."""
    years = (pd.Timestamp(end) - pd.Timestamp(start)).days / 365.25
    return (figsize[0] * min(max(years / base_years, 1.0), most), figsize[1])


def _num(ts):
    import matplotlib.dates as mdates

    return mdates.date2num(pd.Timestamp(ts).to_pydatetime())


def _year_axis(ax, start, end):
    import matplotlib.dates as mdates

    ax.set_xlim(_num(start), _num(end))
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.xaxis.set_minor_locator(mdates.MonthLocator(bymonth=[4, 7, 10]))
    ax.grid(axis="x", which="major", color="#999999", linewidth=0.8)
    ax.grid(axis="x", which="minor", color="#dddddd", linewidth=0.5)
    ax.set_axisbelow(True)


def _free_slot(placed, x, min_gap_days: float = 110.0, right_free: bool = False):
    """First label slot not crowded by a placed label: above or below the lane next to the
    marker; then (if ``right_free``, i.e. nothing follows in the lane within a label's width) to
    the right of the marker; then further tiers above and below."""
    for tier in range(3):
        for side in ("up", "down"):
            if all(abs(x - px) >= min_gap_days for px, ps, pt in placed if (ps, pt) == (side, tier)):
                return side, tier
        if tier == 0 and right_free:
            return "right", 0
    return "up", 3


#: Average glyph width of DejaVu Sans as a share of the font size (used to wrap names to a bar).
_CHAR_EM = 0.62


def _px_per_day(ax) -> float:
    """Display pixels per day on a date x axis (the axes' size and limits must be set)."""
    x0, x1 = ax.get_xlim()
    width_px = ax.get_position().width * ax.figure.get_figwidth() * ax.figure.dpi
    return width_px / (x1 - x0)


def _fit_wrap(name: str, width_px: float, fontsize: float, dpi: float) -> str:
    """``name`` wrapped so that its lines fit ``width_px`` at ``fontsize`` (a word longer than the
    width keeps its own line)."""
    char_px = fontsize * dpi / 72 * _CHAR_EM
    return wrap_words(name, max(1, int(width_px * 0.92 / char_px)))


def _draw_terms(ax, tm, y, height, fontsize=10):
    """Terms of office as bars in one lane, each name wrapped to fit its bar; acting terms also
    shaded over the whole axes by the caller."""
    pal = _palette()
    colours = {"elected": pal[0], "acting": pal[1]}
    ppd = _px_per_day(ax)
    for _, t in tm.iterrows():
        left, width = _num(t["start"]), _num(t["end"]) - _num(t["start"])
        bar = ax.barh(y, width, left=left, height=height, color=colours.get(t["role"], pal[7]),
                      edgecolor="white", linewidth=1.5, label=vocab.label("role", t["role"]))
        bar.patches[0].set_gid(f"band:{t['term_id']}")
        label = _fit_wrap(t["holder"], width * ppd - 6, fontsize, ax.figure.dpi)
        ax.text(left + width / 2, y, label, ha="center", va="center", linespacing=1.1,
                fontsize=fontsize, color="white" if t["role"] == "elected" else "black",
                gid=f"bandlabel:{t['term_id']}")


def overflowing_labels(fig, prefix: str = "bandlabel:", bar_prefix: str = "band:") -> list[str]:
    """Ids of the bar labels (gid ``bandlabel:<id>``) whose rendered text is wider or taller than
    their bar (gid ``band:<id>``): empty when every name sits inside its bar."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    renderer = canvas.get_renderer()
    bars, labels = {}, {}
    for ax in fig.axes:
        for p in ax.patches:
            g = p.get_gid()
            if g and g.startswith(bar_prefix):
                bars[g[len(bar_prefix):]] = p.get_window_extent(renderer)
        for t in ax.texts:
            g = t.get_gid()
            if g and g.startswith(prefix):
                labels[g[len(prefix):]] = t.get_window_extent(renderer)
    out = []
    for k, lb in sorted(labels.items()):
        bb = bars.get(k)
        if bb is None or lb.x0 < bb.x0 or lb.x1 > bb.x1 or lb.y0 < bb.y0 or lb.y1 > bb.y1:
            out.append(k)
    return out


def election_timeline(elections: pd.DataFrame, leadership: pd.DataFrame,
                      start=None, end=None, figsize=(7.5, 5.6)):
    """Chapter A: the election calendar over ``start``–``end`` (default: the span of the data,
    :func:`netralitas.calendar.span`; the figure widens with it). One lane per election with its
    events (voting days, candidate determinations and inaugurations as large markers with their
    ISO date, other steps as grey ticks), a lane of the mayor's office with elected and acting
    terms as bars (names wrapped to fit), and every acting term shaded across the whole figure."""
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch


    if start is None or end is None:
        start, end = data_span(elections, leadership)
    figsize = _width(figsize, start, end)
    pal = _palette()
    ev = timeline_events(elections, start, end)
    tm = terms(leadership, start, end)
    n_lanes = int(ev["lane"].max()) + 1 if len(ev) else 0
    fig = Figure(figsize=figsize, dpi=FIG_DPI)
    ax = fig.add_axes((0.215, 0.27, 0.765, 0.71))
    _year_axis(ax, start, end)
    ax.tick_params(axis="both", labelsize=11)

    for _, t in tm[tm["role"] == "acting"].iterrows():
        span = ax.axvspan(_num(t["start"]), _num(t["end"]), color=pal[1], alpha=0.13, lw=0)
        span.set_gid(f"acting:{t['term_id']}")

    lane_y = {i: n_lanes - i for i in range(n_lanes)}  # first election on top
    term_y = 0
    _draw_terms(ax, tm, term_y, 0.8, fontsize=10)

    date_pt = 10
    # a date label is about ten characters wide: that many days apart, labels do not touch
    gap_days = (10 * date_pt * FIG_DPI / 72 * _CHAR_EM + 8) / _px_per_day(ax)
    kind_colour = {"voting_day": pal[3], "candidate_determination": pal[0], "inauguration": pal[2]}
    for lane, group in ev.groupby("lane", sort=True):
        y = lane_y[lane]
        ax.axhline(y, color="#bbbbbb", lw=0.8, zorder=1)
        placed = []  # (x, side, tier) of date labels already in this lane
        xs = sorted(_num(d) for d in group["date"])
        for _, e in group.iterrows():
            x = _num(e["date"])
            if e["key"]:
                size = 12 if e["kind"] == "inauguration" else 9
                (mk,) = ax.plot([x], [y], marker=KIND_MARKERS[e["kind"]], ms=size,
                                color=kind_colour[e["kind"]], mec="black", mew=0.6, ls="none", zorder=4)
                mk.set_gid(f"event:{e['event_id']}")
                later = [v for v in xs if v > x]
                right_free = (not later or later[0] - x > gap_days) and \
                    x + gap_days < ax.get_xlim()[1]
                side, tier = _free_slot(placed, x, gap_days, right_free)
                placed.append((x, side, tier))
                if side == "right":
                    offset, ha, va = (9, 0), "left", "center"
                else:
                    offset = (0, (8 + 15 * tier) * (1 if side == "up" else -1))
                    ha, va = "center", "bottom" if side == "up" else "top"
                ax.annotate(date_id(e["date"]), (x, y), xytext=offset,
                            textcoords="offset points", ha=ha, va=va, fontsize=date_pt,
                            gid=f"date:{e['event_id']}",
                            bbox=dict(boxstyle="square,pad=0.1", facecolor="white", alpha=0.85, lw=0),
                            arrowprops=dict(arrowstyle="-", color="#666666", lw=0.7,
                                            shrinkA=0, shrinkB=5) if tier else None)
            else:
                (mk,) = ax.plot([x], [y], marker="|", ms=10, mew=1.5, color="#777777", ls="none",
                                zorder=3)
                mk.set_gid(f"event:{e['event_id']}")

    ticks = [term_y] + [lane_y[i] for i in range(n_lanes)]
    names = ["Wali kota"] + [vocab.election(ev.loc[ev["lane"] == i, "election"].iloc[0])
                             for i in range(n_lanes)]
    ax.set_yticks(ticks, names)
    ax.set_ylim(-0.6, n_lanes + 0.7)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)

    handles = [Line2D([], [], marker=KIND_MARKERS[k], color=kind_colour[k], mec="black", mew=0.6,
                      ls="none", ms=9, label=vocab.label("event_kind", k)) for k in KEY_KINDS]
    if (~ev["key"]).any():
        handles.append(Line2D([], [], marker="|", color="#777777", ls="none", ms=10, mew=1.5,
                              label="Tahapan lain"))
    roles = [r for r in ("elected", "acting") if r in set(tm["role"])]
    handles += [Patch(color=pal[0] if r == "elected" else pal[1], label=vocab.label("role", r))
                for r in roles]
    if "acting" in roles:
        handles.append(Patch(color=pal[1], alpha=0.13, label="Masa penjabat (arsiran)"))
    fig.legend(handles=handles, loc="lower center", ncol=2, frameon=False, fontsize=10,
               columnspacing=1.5, handletextpad=0.5, bbox_to_anchor=(0.5, 0.0))
    return fig


#: Who a wave counts (``unit`` in mutations.csv): label in the table and marker in the figure.


UNIT_MARKERS = {"ASN": "o", "Eselon II officials": "^"}


#: Colour of a wave by where it is recorded (terms of the ``wave_record`` vocabulary, whose
#: short labels are the legend entries).
WAVE_RECORD_COLOURS = {"paper_only": "#D55E00", "public_only": "#0072B2", "both": "#009E73",
                       "neither": "#777777"}


def mutation_timeline(mutations: pd.DataFrame, elections: pd.DataFrame, leadership: pd.DataFrame,
                      windows: pd.DataFrame, approval: pd.DataFrame | None = None,
                      legal_events: pd.DataFrame | None = None,
                      start=None, end=None, figsize=(7.5, 9.0)):
    """Chapter D.5: the transfer waves on the election calendar.

    Top panel: one lane per Pasal 71 window (bar from its start to its end, hatched where the
    start is inferred rather than stated, a diamond at the candidate determination), the Pasal 162
    windows (a triangle where officials were still held by caretakers), and the mayor's office.
    Bottom panel: each wave with a stated count as a stem whose height is that count, coloured by
    whether the paper states it and whether a public source reports it, shaped by who is counted
    (circle: ASN; triangle: Eselon II officials); a wave counted only in words ("puluhan") is a
    hollow marker in a strip below the axis, never a zero. The Pasal 71 windows are shaded in the
    bottom panel in the colours of their bars; voting days are dashed lines in both panels. The
    legend names every colour, band and marker.
    """
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch


    if start is None or end is None:
        start, end = data_span(elections, leadership, mutations, months_before=4)
    figsize = _width(figsize, start, end)
    pal = _palette()
    fig = Figure(figsize=figsize, dpi=FIG_DPI)
    top = fig.add_axes((0.25, 0.615, 0.72, 0.33))
    bot = fig.add_axes((0.25, 0.285, 0.72, 0.3), sharex=top)
    for ax in (top, bot):
        _year_axis(ax, start, end)
        ax.tick_params(axis="both", labelsize=10)
    top.tick_params(axis="x", labelbottom=False)

    shown = (elections["date"] >= pd.Timestamp(start)) & (elections["date"] <= pd.Timestamp(end))
    votes = elections[(elections["kind"] == "voting_day") & shown].sort_values("date")
    for _, v in votes.iterrows():
        for ax in (top, bot):
            ln = ax.axvline(_num(v["date"]), color="#444444", ls="--", lw=0.9, zorder=2)
            ln.set_gid(f"vote:{v['event_id']}")
        name = vocab.election(v["election"]).rsplit(" ", 1)
        top.annotate("\n".join(name), (_num(v["date"]), 1.0),
                     xycoords=("data", "axes fraction"), xytext=(0, 3),
                     textcoords="offset points", ha="center", va="bottom", fontsize=10,
                     color="#333333")

    # lanes in the top panel
    lanes, y = [], 0
    tm = terms(leadership, start, end)
    _draw_terms(top, tm, y, 1.25, fontsize=10)
    lanes.append((y, "Wali kota"))
    y += 0.35
    handles_win = []
    if approval is not None and len(approval):
        for _, w in approval.iterrows():
            y += 1
            b = top.barh(y, _num(w["end"]) - _num(w["start"]), left=_num(w["start"]), height=0.5,
                         color=pal[4], edgecolor="black", linewidth=0.6)
            b.patches[0].set_gid(f"approval:{w['election']}")
            lanes.append((y, "Pasal 162 ayat (3):\nsesudah pelantikan"))
        handles_win.append(Patch(facecolor=pal[4], edgecolor="black", lw=0.6,
                                 label="Jendela Pasal 162 ayat (3)"))
        if legal_events is not None:
            held = legal_events[legal_events["kind"] == "acting_officials_held"]
            for _, h in held.iterrows():
                (mk,) = top.plot([_num(h["date"])], [y], marker="v", ms=9, color="black", ls="none",
                                 zorder=5)
                mk.set_gid(f"legal:{h['event_id']}")
    win_colour = [pal[5], pal[2], pal[0], pal[6]]
    for i, (_, w) in enumerate(windows.sort_values("start", kind="stable").iterrows()):
        y += 1
        end_w = w["end"] if pd.notna(w["end"]) else pd.Timestamp(end)
        colour = win_colour[i % len(win_colour)]
        inferred = w["start_basis"] == "inferred"
        b = top.barh(y, _num(end_w) - _num(w["start"]), left=_num(w["start"]), height=0.5,
                     color=colour, edgecolor="black", linewidth=0.6)
        b.patches[0].set_gid(f"window:{w['election']}")
        if inferred:
            b.patches[0].set_hatch("///")
        basis = "awal dihitung" if inferred else "awal menurut sumber"
        lanes.append((y, f"Pasal 71:\n{vocab.election(w['election'])}\n({basis})"))
        span = bot.axvspan(_num(w["start"]), _num(end_w), color=colour, alpha=0.2, lw=0, zorder=0)
        span.set_gid(f"shade:{w['election']}")
        handles_win.append(Patch(facecolor=colour, edgecolor="black", lw=0.6,
                                 hatch="///" if inferred else None,
                                 label=f"Jendela Pasal 71, {vocab.election(w['election'])}"
                                       + (" (awal dihitung)" if inferred else "")))
        (dm,) = top.plot([_num(w["determination"])], [y], marker="D", ms=7, color=pal[0],
                         mec="black", mew=0.6, ls="none", zorder=5)
        dm.set_gid(f"determination:{w['election']}")
    top.set_yticks([lane[0] for lane in lanes], [lane[1] for lane in lanes], fontsize=10)
    top.set_ylim(-0.75, y + 0.6)
    top.tick_params(axis="y", length=0)
    top.spines["left"].set_visible(False)

    # waves in the bottom panel
    spans = wave_spans(mutations).set_index("wave_id")
    counts = mutations["count"].dropna()
    ymax = float(counts.max()) * 1.4 if len(counts) else 10.0
    strip = -0.16 * ymax  # the strip below the axis for waves without a number
    has_vague = bool(mutations["count"].isna().any())
    for _, m in mutations.sort_values("wave_id").iterrows():
        colour = WAVE_RECORD_COLOURS[record_of(m["stated_in_paper"], m["found_in_public"])]
        s = spans.loc[m["wave_id"]]
        x0, x1 = _num(s["first"]), _num(s["last"]) + (1 if s["precision"] == "month" else 0)
        xm = (x0 + x1) / 2
        marker = UNIT_MARKERS.get(m["unit"], "s")
        if pd.notna(m["count"]):
            height = float(m["count"])
            bot.vlines(xm, 0, height, color=colour, lw=2.2, zorder=3)
            (mk,) = bot.plot([xm], [height], marker=marker, ms=9, color=colour, mec="black",
                             mew=0.6, ls="none", zorder=4)
            if s["precision"] == "month":
                bot.hlines(height, x0, x1, color=colour, lw=4, alpha=0.6, zorder=3)
            label = f"{int(m['count']):,}\n{m['wave_id']}"
            bot.annotate(label, (xm, height), xytext=(0, 7), textcoords="offset points",
                         ha="center", va="bottom", fontsize=10, gid=f"wavelabel:{m['wave_id']}")
        else:  # no number: a hollow marker in the strip, never a bar of height zero
            (mk,) = bot.plot([xm], [strip], marker=marker, ms=10, mfc="white", mec=colour,
                             mew=2.2, ls="none", zorder=4)
            if s["precision"] == "month":
                bot.hlines(strip, x0, x1, color=colour, lw=4, alpha=0.6, zorder=3)
            q = m["count_qualifier"]
            word = (f'"{vocab.label("count_qualifier", q)}"' if isinstance(q, str) and q != "exact"
                    else "tanpa angka")
            bot.annotate(f"{m['wave_id']}: {word}, jumlah tidak disebut", (xm, strip),
                         xytext=(9, 0), textcoords="offset points", ha="left", va="center",
                         fontsize=10,
                         gid=f"wavelabel:{m['wave_id']}",
                         bbox=dict(boxstyle="square,pad=0.1", facecolor="white", alpha=0.85, lw=0))
        mk.set_gid(f"wave:{m['wave_id']}")
    if has_vague:
        band = bot.axhspan(strip * 1.6, strip * 0.4, color="#eeeeee", lw=0, zorder=0)
        band.set_gid("strip:no-count")
        bot.axhline(0, color="black", lw=0.8, zorder=2)
        bot.set_ylim(strip * 1.6, ymax)
        ticks = [t for t in bot.get_yticks() if 0 <= t <= ymax]
        bot.set_yticks(ticks + [strip], [f"{int(t):,}" for t in ticks] + ["tanpa\nangka"])
    else:
        bot.set_ylim(0, ymax)
    bot.set_ylabel("Jumlah orang yang dimutasi", fontsize=10)

    # legend: every colour, band and marker used
    present = {record_of(a, b) for a, b in zip(mutations["stated_in_paper"],
                                                mutations["found_in_public"])}
    handles = [Line2D([], [], color=WAVE_RECORD_COLOURS[k], lw=2.5,
                      label=vocab.label("wave_record", k, short=True))
               for k in vocab.terms("wave_record") if k in present]
    units_exact = [u for u in UNIT_MARKERS if (mutations["count"].notna() & (mutations["unit"] == u)).any()]
    for u in units_exact:
        handles.append(Line2D([], [], marker=UNIT_MARKERS[u], color="#555555", mec="black", mew=0.6,
                              ls="none", ms=9, label=f"Jumlah {unit_label(u)}"))
    if has_vague:
        handles.append(Line2D([], [], marker="o", mfc="white", mec="#555555", mew=2, ls="none", ms=9,
                              label="Jumlah tidak disebut (\"puluhan\")"))
    handles += handles_win
    handles.append(Line2D([], [], marker="D", color=pal[0], mec="black", mew=0.6, ls="none", ms=7,
                          label="Penetapan pasangan calon"))
    if legal_events is not None and (legal_events["kind"] == "acting_officials_held").any():
        handles.append(Line2D([], [], marker="v", color="black", ls="none", ms=8,
                              label="Jabatan masih dipegang Plt"))
    handles.append(Line2D([], [], color="#444444", ls="--", lw=0.9, label="Hari pemungutan suara"))
    roles = [r for r in ("elected", "acting") if r in set(tm["role"])]
    handles += [Patch(color=pal[0] if r == "elected" else pal[1], label=vocab.label("role", r))
                for r in roles]
    for h in handles:
        h.set_label(wrap_words(h.get_label(), 34))
    fig.legend(handles=handles, loc="lower center", ncol=2, frameon=False, fontsize=10,
               columnspacing=1.2, handletextpad=0.5, labelspacing=0.45, bbox_to_anchor=(0.5, 0.0))
    return fig


def calendar_alt(elections: pd.DataFrame, leadership: pd.DataFrame, start=None, end=None) -> str:
    """Alt text of :func:`election_timeline`, from the same data: the years shown, the elections
    with a lane (named), and the terms of office drawn."""
    from ..calendar import election_ids
    from ..text import join_words

    if start is None or end is None:
        start, end = data_span(elections, leadership)
    ev = timeline_events(elections, start, end)
    tm = terms(leadership, start, end)
    names = [vocab.election(e) for e in election_ids(ev)]
    n_acting = int((tm["role"] == "acting").sum())
    return (f"Garis waktu {pd.Timestamp(start).year}–{pd.Timestamp(end).year}. Lajur-lajur atas "
            f"memuat peristiwa {join_words(names)} (hari pemungutan suara, penetapan pasangan "
            "calon, pelantikan, tahapan lain); lajur bawah memuat masa jabatan wali kota "
            f"terpilih dan {n_acting} penjabat yang berturut-turut memimpin kota, dan masa "
            "penjabat diarsir di seluruh tinggi gambar.")


def mutation_alt(mutations: pd.DataFrame, windows: pd.DataFrame) -> str:
    """Alt text of :func:`mutation_timeline`, from the same data: the Pasal 71 windows drawn
    (named, and which start is inferred), and how the waves are encoded."""
    from ..text import join_words

    w = windows.sort_values("start", kind="stable")
    names = [vocab.election(e) for e in w["election"]]
    inferred = [vocab.election(e) for e in w.loc[w["start_basis"] == "inferred", "election"]]
    hatch = (f" (berarsir bila awalnya dihitung: {join_words(inferred)})" if inferred else "")
    return (f"Dua panel berbagi sumbu waktu. Panel atas: lajur jendela Pasal 71 untuk "
            f"{join_words(names)}{hatch}, jendela Pasal 162 setelah pelantikan, dan masa jabatan "
            f"wali kota serta penjabat. Panel bawah: {len(mutations)} gelombang mutasi; yang "
            "jumlahnya disebut digambar sebagai batang setinggi jumlah orang, berwarna menurut "
            "tempat tercatatnya (makalah, sumber publik, atau keduanya), segitiga untuk gelombang "
            "yang menghitung pejabat Eselon II, lingkaran kosong di bawah garis nol untuk gelombang "
            "tanpa angka. Jendela Pasal 71 diarsir di panel bawah; garis putus-putus menandai hari "
            "pemungutan suara.")
