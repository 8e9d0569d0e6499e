"""The patronage diagram of chapter D.3, drawn from ``patronage_nodes.csv`` and
``patronage_edges.csv`` (the paper's lost figure, rebuilt as data).

* :func:`check_evidence` checks every evidence key of every edge against the data it points to
  (quote ids in ``quotes.csv``, case ids in ``violations.csv``, wave ids in ``mutations.csv``) or
  against the paper's sections (``sec:D.4.c``), and raises :class:`~netralitas.data.DataError`
  naming file, line and column for the first key that resolves nowhere.
* :func:`graph` builds a :class:`networkx.MultiDiGraph` (parallel exchanges between the same two
  actors are kept apart).
* :func:`positions` is the layout: one row per ``level`` (level 1 on top), nodes of a level spread
  evenly and centred, in file order. Deterministic: no random seed, no iteration.
* :func:`draw` draws it with matplotlib only (no Graphviz): boxes for actors, arrows coloured and
  dashed by kind of exchange (Okabe–Ito colours), each arrow labelled with its ``edge_id`` so that
  the table below the figure gives its evidence.

A node or an edge added to the CSVs appears in the figure and the table with no code change.
"""

from __future__ import annotations

import re

import pandas as pd

from .data import DataError

EDGES_FILE = "data/patronage_edges.csv"
NODES_FILE = "data/patronage_nodes.csv"
#: A section of the paper: A, B, C, D.1 … D.5 (optionally with a sub-point a–d), E.
SECTION_RE = re.compile(r"^sec:(A|B|C|D\.[1-5](\.[a-d])?|E)$")

EXCHANGE_LABELS = {
    "positions": "Jabatan (pengangkatan, promosi, rotasi)",
    "loyalty": "Loyalitas dan kepatuhan",
    "data_mobilisation": "Mobilisasi data",
    "threat": "Ancaman mutasi, pencopotan, non-job",
    "role_model": "Pengaruh sebagai panutan",
    "political_support": "Dukungan politik",
    "direction": "Arahan memilih calon",
}
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
LEVEL_LABELS = {
    1: "Tingkat 1: elite politik dan kepala daerah (PPK)",
    2: "Tingkat 2: pejabat struktural",
    3: "Tingkat 3: ASN tanpa jabatan struktural",
    4: "Tingkat 4: masyarakat",
}


def _row(i: int) -> str:
    return f"line {i + 2} (data row {i + 1})"


# ------------------------------------------------------------------------------------ evidence
def evidence_index(quotes: pd.DataFrame | None = None, violations: pd.DataFrame | None = None,
                   mutations: pd.DataFrame | None = None, quote_key: str = "quote_id") -> dict:
    """Map every citable evidence key to the file it lives in."""
    index = {}
    for frame, col, where in ((quotes, quote_key, "quotes.csv"), (violations, "case_id", "violations.csv"),
                              (mutations, "wave_id", "mutations.csv")):
        if frame is not None:
            for k in frame[col].dropna().astype(str):
                index[k] = where
    return index


def split_evidence(value) -> list[str]:
    """``"V1; sec:D.1"`` -> ``["V1", "sec:D.1"]`` (empty list for an empty cell)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return []
    return [k.strip() for k in str(value).split(";")]


def check_evidence(edges: pd.DataFrame, index: dict, where: str = EDGES_FILE) -> None:
    """Every edge has evidence, every key resolves (in ``index`` or as a paper section), and every
    edge names at least one section of the paper. Raises :class:`DataError` on the first defect."""
    for i, value in enumerate(edges["evidence"].tolist()):
        keys = split_evidence(value)
        if not keys:
            raise DataError(f"{where}, {_row(i)}, column 'evidence': no evidence key")
        for k in keys:
            if not k:
                raise DataError(f"{where}, {_row(i)}, column 'evidence': empty key in {value!r}")
            if k.startswith("sec:"):
                if not SECTION_RE.match(k):
                    raise DataError(f"{where}, {_row(i)}, column 'evidence': '{k}' is not a section "
                                    "of the paper (use sec:A … sec:E, e.g. sec:D.4.c)")
            elif k not in index:
                raise DataError(f"{where}, {_row(i)}, column 'evidence': unknown evidence key '{k}' "
                                "(not a quote id in quotes.csv, a case_id in violations.csv, a "
                                "wave_id in mutations.csv, nor sec:<section>)")
        if not any(k.startswith("sec:") for k in keys):
            raise DataError(f"{where}, {_row(i)}, column 'evidence': no section of the paper "
                            "(add sec:<section>, e.g. sec:D.3)")


def check_edges(nodes: pd.DataFrame, edges: pd.DataFrame, where: str = EDGES_FILE) -> None:
    """Endpoints exist, no self-loops, exchange kinds are known."""
    known = set(nodes["node_id"])
    for i in range(len(edges)):
        for col in ("from", "to"):
            v = edges.iloc[i][col]
            if v not in known:
                raise DataError(f"{where}, {_row(i)}, column '{col}': unknown node '{v}' "
                                f"(not a node_id in {NODES_FILE})")
        if edges.iloc[i]["from"] == edges.iloc[i]["to"]:
            raise DataError(f"{where}, {_row(i)}, column 'to': an edge from '{edges.iloc[i]['from']}' "
                            "to itself")
        if edges.iloc[i]["exchange"] not in EXCHANGE_STYLES:
            raise DataError(f"{where}, {_row(i)}, column 'exchange': unknown kind "
                            f"'{edges.iloc[i]['exchange']}' (known: {', '.join(EXCHANGE_STYLES)})")


def book_index(data_dir=None) -> dict:
    """:func:`evidence_index` over the book's data (quotes.csv only if the package has it)."""
    from . import data

    quotes, qkey = None, "quote_id"
    if "quotes" in data.resources(data_dir):
        quotes = data.load("quotes", data_dir)
        pk = data.schema("quotes", data_dir).get("primaryKey", ["quote_id"])
        qkey = pk[0] if isinstance(pk, list) else pk
    return evidence_index(quotes, data.load("violations", data_dir), data.load("mutations", data_dir),
                          quote_key=qkey)


def load(data_dir=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Nodes and edges from the data package, with every edge's evidence checked."""
    from . import data

    nodes = data.load("patronage_nodes", data_dir)
    edges = data.load("patronage_edges", data_dir)
    check_edges(nodes, edges)
    check_evidence(edges, book_index(data_dir))
    return nodes, edges


EVIDENCE_KINDS = {"quotes.csv": "kutipan", "violations.csv": "kasus", "mutations.csv": "mutasi"}


def evidence_kinds(edges: pd.DataFrame, index: dict) -> pd.DataFrame:
    """Per edge, which kinds of evidence support it: one boolean column per kind (kutipan, kasus,
    mutasi, bagian = a section of the paper) and ``data`` = any evidence beyond the paper's text."""
    rows = []
    for eid, value in zip(edges["edge_id"], edges["evidence"]):
        ks = split_evidence(value)
        found = {EVIDENCE_KINDS.get(index.get(k), "") for k in ks if not k.startswith("sec:")}
        row = {"edge_id": eid}
        for kind in EVIDENCE_KINDS.values():
            row[kind] = kind in found
        row["bagian"] = any(k.startswith("sec:") for k in ks)
        row["data"] = any(row[kind] for kind in EVIDENCE_KINDS.values())
        rows.append(row)
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------- graph
def graph(nodes: pd.DataFrame, edges: pd.DataFrame):
    """A ``networkx.MultiDiGraph``: node attributes label/level, edge key = edge_id."""
    import networkx as nx

    check_edges(nodes, edges)
    g = nx.MultiDiGraph()
    for r in nodes.itertuples(index=False):
        g.add_node(r.node_id, label=r.label, level=int(r.level))
    for _, r in edges.iterrows():
        g.add_edge(r["from"], r["to"], key=r["edge_id"], exchange=r["exchange"],
                   evidence=r["evidence"])
    return g


def positions(nodes: pd.DataFrame, x_gap: float = 3.4, y_gap: float = 1.8) -> dict:
    """Layered layout: ``{node_id: (x, y)}`` with ``y = -(level - 1) * y_gap`` and the nodes of a
    level at ``x_gap`` apart, centred on ``x = 0``, in file order."""
    pos = {}
    for level, group in nodes.groupby("level", sort=True):
        ids = list(group["node_id"])
        n = len(ids)
        for i, nid in enumerate(ids):
            pos[nid] = ((i - (n - 1) / 2) * x_gap, -(int(level) - 1) * y_gap)
    return pos


def _wrap(text: str, width: int = 22) -> str:
    words, lines, cur = text.split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    lines.append(cur)
    return "\n".join(lines)


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
        step = min(extent * 0.8 / max(n, 1), 0.42 if side in ("top", "bottom") else 0.2)
        for k, (_, eid, end) in enumerate(items):
            off = (k - (n - 1) / 2) * step
            out[(eid, end)] = {"top": (x + off, y + h / 2), "bottom": (x + off, y - h / 2),
                               "left": (x - w / 2, y + off), "right": (x + w / 2, y + off)}[side]
    return out


def edge_geometry(nodes: pd.DataFrame, edges: pd.DataFrame, box=(2.5, 0.75), **layout) -> pd.DataFrame:
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
    rows, labels = [], []
    for _, e in edges.iterrows():
        u, v, eid = e["from"], e["to"], e["edge_id"]
        a, b = ports[(eid, "from")], ports[(eid, "to")]
        plan = plans[eid]
        if isinstance(plan, tuple):
            _, side, edge_x = plan
            gx = edge_x + (-0.7 if side == "left" else 0.7)
            ctrl = [a, (gx, a[1]), (gx, b[1]), b]
            route = f"outside-{side}"
        else:
            ctrl, route = _best_bend(a, b, boxes, {u, v}) or _least_bad(a, b, boxes, {u, v})
        pts = _bezier(ctrl)
        lx, ly = _label_point(pts, labels, boxes, {u, v})
        labels.append((lx, ly))
        rows.append({"edge_id": eid, "from": u, "to": v, "exchange": e["exchange"], "route": route,
                     "ctrl": [tuple(float(c) for c in p) for p in ctrl],
                     "x0": float(a[0]), "y0": float(a[1]), "x1": float(b[0]), "y1": float(b[1]),
                     "label_x": float(lx), "label_y": float(ly)})
    return pd.DataFrame(rows)


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


def _label_point(pts, placed, boxes, skip, half=(0.22, 0.13)):
    """The point of the curve nearest its middle where a label does not cover another label or
    a box."""
    n = len(pts)
    order = sorted(range(n // 5, n - n // 5), key=lambda i: (abs(i - n // 2), i))
    for i in order:
        x, y = pts[i]
        if any(abs(x - px) < 2 * half[0] and abs(y - py) < 2 * half[1] for px, py in placed):
            continue
        if any(x0 - half[0] < x < x1 + half[0] and y0 - half[1] < y < y1 + half[1]
               for nid, (x0, y0, x1, y1) in boxes.items()):
            continue
        return x, y
    return pts[n // 2]


def draw(nodes: pd.DataFrame, edges: pd.DataFrame, figsize=(7.4, 7.8), box=(2.5, 0.75)):
    """The patronage diagram as a :class:`matplotlib.figure.Figure` (gids: ``node:<id>``,
    ``edge:<id>``, ``edgelabel:<id>``, ``level:<n>``)."""
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
    from matplotlib.path import Path

    from .nb import FIG_DPI

    g = graph(nodes, edges)  # validates endpoints and kinds
    pos = positions(nodes)
    geo = edge_geometry(nodes, edges, box=box)
    w, h = box
    fig = Figure(figsize=figsize, dpi=FIG_DPI)
    ax = fig.add_axes((0.0, 0.15, 1.0, 0.85))
    ax.set_axis_off()
    xs = [b for nid in pos for b in (pos[nid][0] - w / 2, pos[nid][0] + w / 2)]
    xs += [x for c in geo["ctrl"] for x, _ in c]
    ys = [p[1] for p in pos.values()]
    left, right = min(xs) - 0.3, max(xs) + 0.3
    ax.set_xlim(left, right)
    ax.set_ylim(min(ys) - h / 2 - 0.2, max(ys) + h / 2 + 0.55)

    for level in sorted({int(v) for v in nodes["level"]}):
        y = -(level - 1) * 1.8
        ax.axhspan(y - h / 2 - 0.1, y + h / 2 + 0.1, color="#f0f0f0", lw=0, zorder=0)
        t = ax.text(left + 0.05, y + h / 2 + 0.14, LEVEL_LABELS.get(level, f"Tingkat {level}"),
                    ha="left", va="bottom", fontsize=8.5, color="#333333", style="italic", zorder=4,
                    bbox=dict(boxstyle="square,pad=0.1", facecolor="white", alpha=0.8, lw=0))
        t.set_gid(f"level:{level}")

    for nid, data in g.nodes(data=True):
        x, y = pos[nid]
        patch = FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.02,rounding_size=0.12",
                               facecolor="white", edgecolor="#333333", linewidth=1.3, zorder=3)
        patch.set_gid(f"node:{nid}")
        ax.add_patch(patch)
        ax.text(x, y, _wrap(data["label"], 20), ha="center", va="center", fontsize=9.5,
                fontweight="bold", zorder=4)

    for _, e in geo.iterrows():
        colour, style = EXCHANGE_STYLES[e["exchange"]]
        ctrl = e["ctrl"]
        codes = [Path.MOVETO] + [Path.CURVE3 if len(ctrl) == 3 else Path.CURVE4] * (len(ctrl) - 1)
        arrow = FancyArrowPatch(path=Path(ctrl, codes), arrowstyle="-|>", mutation_scale=16,
                                color=colour, linewidth=2.0, linestyle=style, zorder=2)
        arrow.set_gid(f"edge:{e['edge_id']}")
        ax.add_patch(arrow)
        lab = ax.text(e["label_x"], e["label_y"], e["edge_id"], ha="center", va="center",
                      fontsize=8, zorder=5,
                      bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor=colour, lw=1))
        lab.set_gid(f"edgelabel:{e['edge_id']}")

    used = [k for k in EXCHANGE_STYLES if k in set(edges["exchange"])]
    handles = [Line2D([], [], color=EXCHANGE_STYLES[k][0], linestyle=EXCHANGE_STYLES[k][1], lw=2.2,
                      label=EXCHANGE_LABELS[k]) for k in used]
    fig.legend(handles=handles, loc="lower center", ncol=2, frameon=False, fontsize=9,
               handlelength=3.0, columnspacing=1.2, bbox_to_anchor=(0.5, 0.0))
    return fig


def edges_table(nodes: pd.DataFrame, edges: pd.DataFrame) -> pd.DataFrame:
    """One row per edge, in edge_id order: who gives what to whom, the evidence and the sources."""
    label = dict(zip(nodes["node_id"], nodes["label"]))
    e = edges.sort_values("edge_id", kind="stable")
    return pd.DataFrame({
        "Relasi": e["edge_id"].to_numpy(),
        "Dari → kepada": (e["from"].map(label) + " → " + e["to"].map(label)).to_numpy(),
        "Pertukaran": e["exchange"].map(EXCHANGE_LABELS).to_numpy(),
        "Uraian": e["description"].to_numpy(),
        "Bukti": [", ".join(k.replace("sec:", "bagian ") for k in split_evidence(v))
                  for v in e["evidence"]],
        "Sumber": e["source"].to_numpy(),
    })


def drawn(fig, prefix: str) -> list[str]:
    """Sorted ids (the part after ``prefix``) of the artists drawn with gid ``prefix…``."""
    out = set()
    for ax in fig.axes:
        for art in ax.get_children():
            gid = art.get_gid()
            if gid and gid.startswith(prefix):
                out.add(gid[len(prefix):])
    return sorted(out)
