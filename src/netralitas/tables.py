"""Tables of the book, built from validated data (DataFrames in, DataFrames or MyST out)."""

from __future__ import annotations

import pandas as pd

from . import bib

TABLE1_COLUMNS = {
    "year": "Tahun",
    "position": "Pejabat/Terduga",
    "act": "Bentuk Pelanggaran",
    "sanction": "Sanksi",
    "source": "Sumber",
}


def table1(violations: pd.DataFrame) -> pd.DataFrame:
    """The paper's Table 1 (year, official, form of violation, sanction) plus its sources.

    Rows are the cases the paper tables (``paper_table_row`` set), in the paper's order.
    """
    rows = violations[violations["paper_table_row"].notna()]
    rows = rows.sort_values(["paper_table_row", "case_id"], kind="stable")
    out = rows[list(TABLE1_COLUMNS)].rename(columns=TABLE1_COLUMNS)
    return out.reset_index(drop=True)


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


def asn_ratios(indicators: pd.DataFrame, scope: str = "city") -> pd.DataFrame:
    """ASN per 100 residents for ``scope`` with every available population denominator.

    Each population row is paired with the ASN count of that scope closest in time to it
    (the latest when the population row has no reference period). Censuses and registers are
    complete counts, so no sampling interval applies.
    """
    ind = indicators[indicators["scope"] == scope]
    asn = ind[ind["indicator"] == "asn_total"].sort_values("ref_period", na_position="first")
    pop = ind[ind["indicator"] == "population"]
    if asn.empty or pop.empty:
        raise ValueError(f"indicators: no asn_total or population rows for scope '{scope}'")
    rows = []
    for _, p in pop.iterrows():
        a = _closest(asn, p["ref_period"])
        rows.append(
            {
                "penyebut": p["variant"],
                "periode_penduduk": p["ref_period"] if pd.notna(p["ref_period"]) else "–",
                "penduduk": int(p["value"]),
                "asn": int(a["value"]),
                "periode_asn": a["ref_period"],
                "asn_per_100": 100 * a["value"] / p["value"],
                "penduduk_per_asn": p["value"] / a["value"],
                "source": ";".join(dict.fromkeys(bib.split_keys(p["source"]) + bib.split_keys(a["source"]))),
            }
        )
    return pd.DataFrame(rows).sort_values(["penduduk", "penyebut"]).reset_index(drop=True)


def _closest(rows: pd.DataFrame, period) -> pd.Series:
    if pd.isna(period):
        return rows.iloc[-1]
    years = rows["ref_period"].str.slice(0, 4).astype(int)
    target = int(str(period)[:4])
    return rows.iloc[int((years - target).abs().to_numpy().argmin())]


def _constraints_text(field: dict) -> str:
    c = field.get("constraints", {})
    parts = []
    if c.get("required"):
        parts.append("wajib")
    if c.get("unique"):
        parts.append("unik")
    if "enum" in c:
        parts.append("salah satu dari: " + ", ".join(f"`{v}`" for v in c["enum"]))
    for key, label in (("minimum", "min"), ("maximum", "maks")):
        if key in c:
            parts.append(f"{label} {c[key]}")
    if "pattern" in c:
        parts.append(f"pola `{c['pattern']}`")
    return "; ".join(parts) or "–"


def codebook(name: str, data_dir=None) -> pd.DataFrame:
    """The codebook of one data file: every field with type, constraints, keys and description."""
    from . import data

    schema = data.schema(name, data_dir)
    pk = set(schema.get("primaryKey", []))
    fks = {}
    for fk in schema.get("foreignKeys", []):
        ref = fk["reference"]
        target = ref.get("resource") or name
        for f, t in zip(fk["fields"], ref["fields"]):
            fks[f] = f"{target}.{t}"
    rows = []
    for f in schema["fields"]:
        key = "PK" if f["name"] in pk else ("FK → " + fks[f["name"]] if f["name"] in fks else "")
        rows.append({
            "Kolom": f"`{f['name']}`",
            "Tipe": f.get("type", "string"),
            "Kunci": key or "–",
            "Batasan": _constraints_text(f),
            "Keterangan": f.get("description", ""),
        })
    return pd.DataFrame(rows)


def resources_overview(data_dir=None) -> pd.DataFrame:
    """One row per data file: name, rows, fields, number of distinct sources, description."""
    from . import data

    desc = {r["name"]: r for r in data._package_descriptor(data_dir or data.paths.data_dir())["resources"]}
    rows = []
    for name in data.resources(data_dir):
        frame = data.load(name, data_dir)
        keys = set()
        if "source" in frame:
            keys = {k for v in frame["source"].dropna() for k in bib.split_keys(v)}
        rows.append({
            "Berkas": f"`{desc[name]['path']}`",
            "Baris": len(frame),
            "Kolom": frame.shape[1],
            "Sumber berbeda": len(keys),
            "Isi": desc[name].get("description", ""),
        })
    return pd.DataFrame(rows)


def codebook_myst(data_dir=None):
    """All codebooks as one MyST block (a list-table per data file), for ``{glue:md}``."""
    from IPython.display import Markdown

    from . import data

    parts = []
    for name in data.resources(data_dir):
        parts.append(to_myst(codebook(name, data_dir), f"Kodebuku `{name}.csv`",
                             f"tbl-data-{name}", cite_columns=(), widths=[16, 10, 14, 22, 38]).data)
    return Markdown("\n".join(parts))
