"""The patronage diagram drawn from its data, with matplotlib only, in a fixed layered layout
(deterministic: no random seed, no iteration)."""

from __future__ import annotations

import pandas as pd

from .. import vocab
from ..patronage import graph
from ..text import wrap_words
from .style import FIG_DPI

__all__ = ["EXCHANGE_STYLES", "SUPPORT_STYLES", "positions", "edge_geometry", "label_clashes", "draw",
           "alt_text"]

# Okabe–Ito colours (no yellow: too pale on white) + line styles, so that kinds differ without colour.
EXCHANGE_STYLES = {
    "positions": ("#0072B2", "solid"),
    "loyalty": ("#E69F00", "solid"),
    "data_mobilisation": ("#009E73", (0, (1, 1.5))),
    "threat": ("#D55E00", (0, (5, 2))),
    "role_model": ("#CC79A7", "solid"),
    "political_support": ("#56B4E9", (0, (5, 1.5, 1, 1.5))),
    "direction": ("#000000", (0, (2, 1.5))),
}


#: How an edge's label box shows the independence of its evidence (term of the ``support``
#: vocabulary -> face colour, text colour, the fill in words for the alt text): a dark box for a
#: relation with an independent public record, grey for one only partly confirmed, white for one
#: that rests on the paper alone.
SUPPORT_STYLES = {
    "independent": ("#222222", "white", "gelap"),
    "partial": ("#BBBBBB", "black", "abu-abu"),
    "unconfirmed": ("#EEEEEE", "black", "abu-abu muda"),
    "paper": ("white", "black", "putih"),
}


#: Row spacing of the diagram (data units): tall enough that edges between two rows are steep,
#: so that parallel edges stand apart and their labels can be staggered.
Y_GAP = 2.5


BOX = (2.5, 0.8)


def positions(nodes: pd.DataFrame, x_gap: float = 3.4, y_gap: float = Y_GAP) -> dict:
    """Layered layout: ``{node_id: (x, y)}`` with ``y = -(level - 1) * y_gap`` and the nodes of a
    level at ``x_gap`` apart, centred on ``x = 0``, in file order."""
    pos = {}
    for level, group in nodes.groupby("level", sort=True):
        ids = list(group["node_id"])
        n = len(ids)
        for i, nid in enumerate(ids):
            pos[nid] = ((i - (n - 1) / 2) * x_gap, -(int(level) - 1) * y_gap)
    return pos


def _boxes(nodes, pos, box):
    w, h = box
    return {nid: (x - w / 2, y - h / 2, x + w / 2, y + h / 2) for nid, (x, y) in pos.items()}


def _bezier(ctrl, n: int = 41):
    """Points of a quadratic (3 control points) or cubic (4) Bezier curve."""
    import numpy as np

    t = np.linspace(0.0, 1.0, n)[:, None]
    p = [np.asarray(c, dtype=float) for c in ctrl]
    if len(p) == 3:
        return (1 - t) ** 2 * p[0] + 2 * (1 - t) * t * p[1] + t ** 2 * p[2]
    return ((1 - t) ** 3 * p[0] + 3 * (1 - t) ** 2 * t * p[1] + 3 * (1 - t) * t ** 2 * p[2]
            + t ** 3 * p[3])


def _hits(points, boxes, skip, margin=0.12) -> int:
    n = 0
    for nid, (x0, y0, x1, y1) in boxes.items():
        if nid in skip:
            continue
        inside = ((points[:, 0] > x0 - margin) & (points[:, 0] < x1 + margin)
                  & (points[:, 1] > y0 - margin) & (points[:, 1] < y1 + margin))
        n += int(inside.sum())
    return n


def _ports(edges, nodes, pos, box, side_of):
    """Attachment point of every edge end: the ends on one side of a box are spread evenly along
    that side, ordered by the position of the other end (fewer crossings)."""
    w, h = box
    ends: dict[tuple, list] = {}
    for _, e in edges.iterrows():
        for end, me, other in (("from", e["from"], e["to"]), ("to", e["to"], e["from"])):
            side = side_of[(e["edge_id"], end)]
            ox, oy = pos[other]
            ends.setdefault((me, side), []).append((ox if side in ("top", "bottom") else -oy,
                                                    e["edge_id"], end))
    out = {}
    for (nid, side), items in ends.items():
        items.sort()
        n = len(items)
        x, y = pos[nid]
        extent = w if side in ("top", "bottom") else h
        step = min(extent * 0.8 / max(n, 1), 0.5 if side in ("top", "bottom") else 0.2)
        for k, (_, eid, end) in enumerate(items):
            off = (k - (n - 1) / 2) * step
            out[(eid, end)] = {"top": (x + off, y + h / 2), "bottom": (x + off, y - h / 2),
                               "left": (x - w / 2, y + off), "right": (x + w / 2, y + off)}[side]
    return out


def edge_geometry(nodes: pd.DataFrame, edges: pd.DataFrame, box=BOX, **layout) -> pd.DataFrame:
    """The route of every edge: its Bezier control points (``ctrl``, data coordinates), the kind of
    route and the point where its label sits.

    Deterministic routing: an edge between rows leaves the bottom of the upper box and enters the
    top of the lower one (ends spread along each side); it is drawn straight, or else with the
    smallest bend that clears every other box; if no bend does, it goes round the outside of the
    rows in between (left or right, whichever side is nearer). An edge within a row joins the
    facing sides. Labels sit on the curve, moved along it when they would cover another label.
    """
    pos = positions(nodes, **layout)
    boxes = _boxes(nodes, pos, box)
    level = dict(zip(nodes["node_id"], nodes["level"].astype(int)))
    w, h = box
    side_of = {}
    # first pass: which side each end uses (outside routes decided below)
    plans = {}
    for _, e in edges.iterrows():
        u, v, eid = e["from"], e["to"], e["edge_id"]
        xu, xv = pos[u][0], pos[v][0]
        if level[u] == level[v]:
            sx = xv > xu
            side_of[(eid, "from")], side_of[(eid, "to")] = ("right", "left") if sx else ("left", "right")
            plans[eid] = "row"
            continue
        down = level[v] > level[u]
        side_of[(eid, "from")], side_of[(eid, "to")] = ("bottom", "top") if down else ("top", "bottom")
        plans[eid] = "between"
    # second pass: with the ports known, an edge that no bend can clear goes round the outside
    ports = _ports(edges, nodes, pos, box, side_of)
    for _, e in edges.iterrows():
        u, v, eid = e["from"], e["to"], e["edge_id"]
        if plans[eid] != "between" or _best_bend(ports[(eid, "from")], ports[(eid, "to")],
                                                 boxes, {u, v}) is not None:
            continue
        lo, hi = sorted((level[u], level[v]))
        around = [n for n, lev in level.items() if lo < lev < hi] + [u, v]
        xs_l = min(boxes[n][0] for n in around)
        xs_r = max(boxes[n][2] for n in around)
        mean = (pos[u][0] + pos[v][0]) / 2
        side = "left" if (mean - xs_l) <= (xs_r - mean) else "right"
        side_of[(eid, "from")], side_of[(eid, "to")] = side, side
        plans[eid] = ("outside", side, xs_l if side == "left" else xs_r)
    ports = _ports(edges, nodes, pos, box, side_of)
    routes = {}
    for _, e in edges.iterrows():
        u, v, eid = e["from"], e["to"], e["edge_id"]
        a, b = ports[(eid, "from")], ports[(eid, "to")]
        plan = plans[eid]
        if isinstance(plan, tuple):
            _, side, edge_x = plan
            gx = edge_x + (-0.7 if side == "left" else 0.7)
            routes[eid] = ([a, (gx, a[1]), (gx, b[1]), b], f"outside-{side}")
        else:
            routes[eid] = _best_bend(a, b, boxes, {u, v}) or _least_bad(a, b, boxes, {u, v})
    _fan_out(edges, plans, ports, boxes, routes)
    curves = {eid: _bezier(c, 81) for eid, (c, _) in routes.items()}
    rows, labels = [], []
    for _, e in edges.iterrows():
        u, v, eid = e["from"], e["to"], e["edge_id"]
        a, b = ports[(eid, "from")], ports[(eid, "to")]
        ctrl, route = routes[eid]
        others = [c for k, c in curves.items() if k != eid]
        lx, ly = _label_point(curves[eid], labels, boxes, others)
        labels.append((lx, ly))
        rows.append({"edge_id": eid, "from": u, "to": v, "exchange": e["exchange"], "route": route,
                     "ctrl": [tuple(float(c) for c in p) for p in ctrl],
                     "x0": float(a[0]), "y0": float(a[1]), "x1": float(b[0]), "y1": float(b[1]),
                     "label_x": float(lx), "label_y": float(ly)})
    return pd.DataFrame(rows)


#: Extra bend per step away from the middle of a bundle of edges joining the same two actors.
FAN_STEP = 0.12


def _fan_out(edges, plans, ports, boxes, routes, step=FAN_STEP):
    """Edges between the same two actors (either direction) run side by side; bend them apart
    (the middle one straight, the outer ones outwards) so that they and their labels separate.
    A bend that would cross a box is not applied. Changes ``routes`` in place."""
    import numpy as np

    groups: dict[frozenset, list] = {}
    for _, e in edges.iterrows():
        if plans[e["edge_id"]] == "between":
            groups.setdefault(frozenset((e["from"], e["to"])), []).append(e)
    for members in groups.values():
        if len(members) < 2:
            continue
        ab = {e["edge_id"]: (np.asarray(ports[(e["edge_id"], "from")], float),
                             np.asarray(ports[(e["edge_id"], "to")], float)) for e in members}
        # a common direction (from the first actor of the pair to the second) and its normal
        ref = members[0]
        a0, b0 = ab[ref["edge_id"]]
        d = (b0 - a0) / np.linalg.norm(b0 - a0)
        normal = np.array([-d[1], d[0]])
        mids = {eid: (a + b) / 2 for eid, (a, b) in ab.items()}
        centre = np.mean(list(mids.values()), axis=0)
        order = sorted(mids, key=lambda k: (float((mids[k] - centre) @ normal), k))
        n = len(order)
        for i, eid in enumerate(order):
            k = i - (n - 1) / 2
            if k == 0:
                continue
            a, b = ab[eid]
            for rad in (step * abs(k), -step * abs(k)):
                ctrl = _quad(tuple(a), tuple(b), rad)
                if float((np.asarray(ctrl[1]) - mids[eid]) @ normal) * k > 0:
                    break
            skip = {e["from"] for e in members} | {e["to"] for e in members}
            if _hits(_bezier(ctrl), boxes, skip) == 0:
                routes[eid] = (ctrl, "bend")


_BENDS = (0.0, 0.15, -0.15, 0.3, -0.3, 0.45, -0.45, 0.6, -0.6)


def _quad(a, b, rad):
    mx, my = (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
    dx, dy = b[0] - a[0], b[1] - a[1]
    return [a, (mx + rad * dy, my - rad * dx), b]


def _best_bend(a, b, boxes, skip):
    """The straight line or smallest bend from ``a`` to ``b`` that clears the boxes, or None."""
    for r in _BENDS:
        ctrl = _quad(a, b, r)
        if _hits(_bezier(ctrl), boxes, skip) == 0:
            return ctrl, "straight" if r == 0 else "bend"
    return None


def _least_bad(a, b, boxes, skip):
    scored = [(_hits(_bezier(_quad(a, b, r)), boxes, skip), i) for i, r in enumerate(_BENDS)]
    return _quad(a, b, _BENDS[min(scored)[1]]), "bend"


#: Half width and half height (data units) of the box kept free around an edge label: an "P01"
#: label at :data:`LABEL_FONTSIZE` fits inside it at the scale :func:`draw` uses.
LABEL_HALF = (0.32, 0.19)


LABEL_FONTSIZE = 10.5


def _label_point(pts, placed, boxes, others=(), half=LABEL_HALF):
    """The point of the curve nearest its middle where a label covers no other label, no box and
    no other edge; if there is none, the point that covers the fewest other edges."""
    import numpy as np

    n = len(pts)
    order = sorted(range(n // 6, n - n // 6), key=lambda i: (abs(i - n // 2), i))
    fallback = None
    for i in order:
        x, y = pts[i]
        if any(abs(x - px) < 2 * half[0] and abs(y - py) < 2 * half[1] for px, py in placed):
            continue
        if any(x0 - half[0] < x < x1 + half[0] and y0 - half[1] < y < y1 + half[1]
               for (x0, y0, x1, y1) in boxes.values()):
            continue
        crossed = sum(int(np.any((np.abs(o[:, 0] - x) < half[0]) & (np.abs(o[:, 1] - y) < half[1])))
                      for o in others)
        if crossed == 0:
            return x, y
        if fallback is None or crossed < fallback[0]:
            fallback = (crossed, x, y)
    if fallback is not None:
        return fallback[1], fallback[2]
    return pts[n // 2]


def label_clashes(geo: pd.DataFrame, half=LABEL_HALF) -> list[tuple[str, str]]:
    """Pairs ``(label, what)`` where the label box of an edge in ``geo`` (from
    :func:`edge_geometry`) covers another edge's curve or another label: empty for a clean
    drawing."""
    import numpy as np

    out = []
    curves = {e: _bezier(c, 81) for e, c in zip(geo["edge_id"], geo["ctrl"])}
    for _, r in geo.iterrows():
        x, y = r["label_x"], r["label_y"]
        for eid, pts in curves.items():
            if eid != r["edge_id"] and np.any((np.abs(pts[:, 0] - x) < half[0])
                                              & (np.abs(pts[:, 1] - y) < half[1])):
                out.append((r["edge_id"], f"edge:{eid}"))
        for _, o in geo.iterrows():
            if o["edge_id"] > r["edge_id"] and abs(o["label_x"] - x) < 2 * half[0] \
                    and abs(o["label_y"] - y) < 2 * half[1]:
                out.append((r["edge_id"], f"label:{o['edge_id']}"))
    return out


def _level_text(level: int) -> str:
    text = vocab.label("patronage_level", level)
    head, _, rest = text.partition(": ")
    return head + ("\n" + wrap_words(rest, 16) if rest else "")


def draw(nodes: pd.DataFrame, edges: pd.DataFrame, figsize=(7.5, 9.4), box=BOX,
         support: pd.DataFrame | None = None):
    """The patronage diagram as a :class:`matplotlib.figure.Figure` (gids: ``node:<id>``,
    ``edge:<id>``, ``edgelabel:<id>``, ``level:<n>``).

    With ``support`` (:func:`netralitas.patronage.edge_support`) every edge label is filled by
    the independence of the edge's evidence (:data:`SUPPORT_STYLES`) and a second legend
    (``fig.legends[1]``) names the fills; the first legend stays the kinds of exchange.

    The level names sit in their own lane left of the drawing (a separate axes), so that no
    edge can run under them; every edge carries its id, placed where it covers no other edge."""
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
    from matplotlib.path import Path


    g = graph(nodes, edges)  # validates endpoints and kinds
    pos = positions(nodes, y_gap=Y_GAP)
    geo = edge_geometry(nodes, edges, box=box, y_gap=Y_GAP)
    w, h = box
    sup = None if support is None else dict(zip(support["edge_id"], support["support"]))
    if sup is not None:
        figsize = (figsize[0], figsize[1] + 0.6)
    fig = Figure(figsize=figsize, dpi=FIG_DPI)
    bottom = 0.12 if sup is None else 0.16
    height = 0.99 - bottom
    lane = fig.add_axes((0.0, bottom, 0.17, height))
    ax = fig.add_axes((0.17, bottom, 0.83, height))
    for a in (lane, ax):
        a.set_axis_off()
    xs = [b for nid in pos for b in (pos[nid][0] - w / 2, pos[nid][0] + w / 2)]
    xs += [x for c in geo["ctrl"] for x, _ in c]
    ys = [p[1] for p in pos.values()]
    left, right = min(xs) - 0.2, max(xs) + 0.2
    ax.set_xlim(left, right)
    ylim = (min(ys) - h / 2 - 0.35, max(ys) + h / 2 + 0.35)
    ax.set_ylim(*ylim)
    lane.set_xlim(0, 1)
    lane.set_ylim(*ylim)

    for level in sorted({int(v) for v in nodes["level"]}):
        y = -(level - 1) * Y_GAP
        for a in (lane, ax):
            a.axhspan(y - h / 2 - 0.15, y + h / 2 + 0.15, color="#f0f0f0", lw=0, zorder=0)
        head, _, rest = _level_text(level).partition("\n")
        t = lane.text(0.06, y + 0.12, head, ha="left", va="bottom", fontsize=10.5,
                      fontweight="bold", color="#222222", zorder=4)
        t.set_gid(f"level:{level}")
        lane.text(0.06, y + 0.08, rest, ha="left", va="top", fontsize=10, color="#222222",
                  linespacing=1.15, zorder=4)

    for nid, data in g.nodes(data=True):
        x, y = pos[nid]
        patch = FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.02,rounding_size=0.12",
                               facecolor="white", edgecolor="#333333", linewidth=1.3, zorder=3)
        patch.set_gid(f"node:{nid}")
        ax.add_patch(patch)
        ax.text(x, y, wrap_words(data["label"], 20), ha="center", va="center", fontsize=10.5,
                fontweight="bold", zorder=4)

    for _, e in geo.iterrows():
        colour, style = EXCHANGE_STYLES[e["exchange"]]
        ctrl = e["ctrl"]
        codes = [Path.MOVETO] + [Path.CURVE3 if len(ctrl) == 3 else Path.CURVE4] * (len(ctrl) - 1)
        arrow = FancyArrowPatch(path=Path(ctrl, codes), arrowstyle="-|>", mutation_scale=17,
                                color=colour, linewidth=2.0, linestyle=style, zorder=2)
        arrow.set_gid(f"edge:{e['edge_id']}")
        ax.add_patch(arrow)
        face, ink, _ = SUPPORT_STYLES[sup.get(e["edge_id"], "paper") if sup else "paper"]
        lab = ax.text(e["label_x"], e["label_y"], e["edge_id"], ha="center", va="center",
                      fontsize=LABEL_FONTSIZE, fontweight="bold", zorder=5, color=ink,
                      bbox=dict(boxstyle="round,pad=0.2", facecolor=face, edgecolor=colour, lw=1.4))
        lab.set_gid(f"edgelabel:{e['edge_id']}")

    used = [k for k in EXCHANGE_STYLES if k in set(edges["exchange"])]
    handles = [Line2D([], [], color=EXCHANGE_STYLES[k][0], linestyle=EXCHANGE_STYLES[k][1], lw=2.2,
                      label=vocab.label("exchange", k)) for k in used]
    fig.legend(handles=handles, loc="lower center", ncol=2, frameon=False, fontsize=10,
               handlelength=3.0, columnspacing=1.2,
               bbox_to_anchor=(0.5, 0.0 if sup is None else 0.05))
    if sup is not None:
        from matplotlib.patches import Patch

        shown = [k for k in SUPPORT_STYLES if k in set(sup.values())]
        marks = [Patch(facecolor=SUPPORT_STYLES[k][0], edgecolor="#555555",
                       label="Relasi " + vocab.label("support", k)) for k in shown]
        fig.legend(handles=marks, loc="lower center", ncol=1, frameon=False, fontsize=10,
                   handlelength=1.6, columnspacing=1.2, bbox_to_anchor=(0.5, 0.0))
    return fig


def alt_text(nodes: pd.DataFrame, edges: pd.DataFrame, support: pd.DataFrame | None = None) -> str:
    """Alt text of :func:`draw`, from the same data: the levels top to bottom and which kinds of
    exchange run down, up and within a level; with ``support``, which relations rest on an
    independent public record."""
    from ..text import join_words

    levels = sorted({int(v) for v in nodes["level"]})
    names = [vocab.label("patronage_level", lv).split(": ", 1)[-1] for lv in levels]
    level = dict(zip(nodes["node_id"], nodes["level"].astype(int)))
    step = edges["to"].map(level) - edges["from"].map(level)

    def kinds(mask):
        used = set(edges.loc[mask, "exchange"])
        return join_words([vocab.label("exchange", k).lower() for k in vocab.terms("exchange")
                           if k in used]) or "tidak ada"

    return (f"Bagan berlapis {len(levels)} tingkat dari atas ke bawah: {join_words(names)}. "
            f"Panah turun membawa {kinds(step > 0)}; panah naik membawa {kinds(step < 0)}; "
            f"panah dalam satu tingkat: {kinds(step == 0)}. Setiap panah diberi nomor relasinya."
            + ("" if support is None else _support_alt(support)))


def _support_alt(support: pd.DataFrame) -> str:
    from ..text import join_words

    parts = []
    for k in SUPPORT_STYLES:
        ids = support.loc[support["support"] == k, "edge_id"].tolist()
        if ids:
            face = SUPPORT_STYLES[k][2]
            parts.append(f"label {face} untuk relasi {vocab.label('support', k, short=True)} "
                         f"({join_words(ids)})")
    return " Isi label menunjukkan kemandirian bukti: " + "; ".join(parts) + "."
