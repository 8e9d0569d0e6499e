"""The patronage relations of chapter D.3 as data (``patronage_nodes.csv``,
``patronage_edges.csv``): checks, the graph and the table of exchanges. The drawing is in
:mod:`netralitas.plots.patronage`."""

from __future__ import annotations

import re

import pandas as pd

from . import evidence as _evidence
from . import vocab
from .data import DataError
from .text import split_list

__all__ = ["EDGES_FILE", "NODES_FILE", "SECTION_RE", "evidence_index", "split_evidence",
           "check_evidence", "check_edges", "book_index", "load", "evidence_kinds", "graph",
           "edges_table", "edge_support"]

EDGES_FILE = "data/patronage_edges.csv"


NODES_FILE = "data/patronage_nodes.csv"


#: A section of the paper: A, B, C, D.1 … D.5 (optionally with a sub-point a–d), E.
SECTION_RE = re.compile(r"^sec:(A|B|C|D\.[1-5](\.[a-d])?|E)$")






def _blank(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value)) or not str(value).strip()


def _row(i: int) -> str:
    return f"line {i + 2} (data row {i + 1})"


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
    """``"V1; sec:D.1"`` -> ``["V1", "sec:D.1"]`` (empty list for an empty cell); empty items are
    kept so that :func:`check_evidence` can report them."""
    return split_list(value, keep_empty=True)


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
        kinds = vocab.terms("exchange")
        if edges.iloc[i]["exchange"] not in kinds:
            raise DataError(f"{where}, {_row(i)}, column 'exchange': unknown kind "
                            f"'{edges.iloc[i]['exchange']}' (known: {', '.join(kinds)})")


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




def evidence_kinds(edges: pd.DataFrame, index: dict) -> pd.DataFrame:
    """Per edge, which kinds of evidence support it: one boolean column per kind (kutipan, kasus,
    mutasi, bagian = a section of the paper) and ``data`` = any evidence beyond the paper's text."""
    rows = []
    for eid, value in zip(edges["edge_id"], edges["evidence"]):
        ks = split_evidence(value)
        kinds = vocab.labels("patronage_evidence")
        found = {kinds.get(str(index.get(k, "")).removesuffix(".csv"), "") for k in ks
                 if not k.startswith("sec:")}
        row = {"edge_id": eid}
        for kind in kinds.values():
            row[kind] = kind in found
        row["bagian"] = any(k.startswith("sec:") for k in ks)
        row["data"] = any(row[kind] for kind in kinds.values())
        rows.append(row)
    return pd.DataFrame(rows)


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


def edge_support(edges: pd.DataFrame, recs) -> pd.DataFrame:
    """Per edge, how independent its evidence is, by :func:`netralitas.evidence.support_of`
    applied to every key.

    THE rule for an exchange: a public record that the paper did not produce supports an edge
    only when it shows the exchange itself (column ``exchange_shown`` true), not merely that the
    event behind it happened; a missing column counts as false. Columns: ``support`` (of the
    exchange: the strongest key's support when ``exchange_shown``, else ``paper``),
    ``event_support`` (the strongest key's support, whatever it shows), ``independent_keys`` and
    ``partial_keys`` (``;``-lists, records of events), ``confirms`` (for a partial key, what the
    public record confirms, from ``violations.public_confirms``) and ``coding`` (``paper`` or
    ``book``: who proposes the edge; ``paper`` when the column is missing)."""
    rows = []
    shown_col = edges["exchange_shown"] if "exchange_shown" in edges.columns else [False] * len(edges)
    coding_col = edges["coding"] if "coding" in edges.columns else ["paper"] * len(edges)
    for eid, value, shown, coding in zip(edges["edge_id"], edges["evidence"], shown_col, coding_col):
        keys = split_evidence(value)
        sup = {k: _evidence.support_of(k, recs) for k in keys}
        part = [k for k in keys if sup[k] == "partial"]
        event = _evidence.strongest_support(sup.values())
        shown = not _blank(shown) and bool(shown)
        rows.append({"edge_id": eid, "support": event if shown else "paper", "event_support": event,
                     "independent_keys": ";".join(k for k in keys if sup[k] == "independent"),
                     "partial_keys": ";".join(part),
                     "confirms": "; ".join(f"{k}: {(recs.confirms or {}).get(k, '')}" for k in part),
                     "coding": "paper" if _blank(coding) else str(coding)})
    return pd.DataFrame(rows, columns=["edge_id", "support", "event_support", "independent_keys",
                                       "partial_keys", "confirms", "coding"])


def _support_cell(row) -> str:
    text = vocab.label("support", row["support"], short=True)
    keys = [k for k in split_list(row["independent_keys"])] or split_list(row["partial_keys"])
    if keys and row["support"] != "paper":
        text += f" ({', '.join(keys)})"
    elif keys:
        text += f"; peristiwanya tercatat publik ({', '.join(keys)}), pertukarannya tidak"
    if row.get("coding", "paper") == "book":
        text += "; tambahan buku ini"
    return text


def edges_table(nodes: pd.DataFrame, edges: pd.DataFrame,
                support: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per edge, in edge_id order: who gives what to whom, the evidence and the sources;
    with ``support`` (from :func:`edge_support`) a column *Dukungan* says whether the edge rests on
    an independent public record (naming the keys that do) or only on the paper, and the
    description carries the edge's note (what its evidence does not show)."""
    label = dict(zip(nodes["node_id"], nodes["label"]))
    e = edges.sort_values("edge_id", kind="stable")
    out = pd.DataFrame({
        "Relasi": e["edge_id"].to_numpy(),
        "Dari → kepada": (e["from"].map(label) + " → " + e["to"].map(label)).to_numpy(),
        "Pertukaran": [vocab.label("exchange", k) for k in e["exchange"]],
        "Uraian": e["description"].to_numpy(),
        "Bukti": [", ".join(k.replace("sec:", "bagian ") for k in split_evidence(v))
                  for v in e["evidence"]],
        "Sumber": e["source"].to_numpy(),
    })
    if support is not None:
        sup = support.set_index("edge_id")
        out.insert(5, "Dukungan", [_support_cell(sup.loc[i]) for i in e["edge_id"]])
        if "note" in e.columns:
            out["Uraian"] = [d if _blank(n) else f"{d}. *Catatan:* {n}"
                             for d, n in zip(e["description"], e["note"])]
    return out
