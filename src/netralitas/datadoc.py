"""The data appendix: one row per data file, and the codebook of every field."""

from __future__ import annotations

import pandas as pd

from . import bib
from .tables import to_myst

__all__ = ["codebook", "resources_overview", "codebook_myst", "example_error"]


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
    from .manifest import ManifestError, items, widths_of

    m = items(data_dir).set_index("label")
    parts = []
    for name in data.resources(data_dir):
        label = f"tbl-data-{name}"
        if label not in m.index:
            raise ManifestError(f"data/manifest.csv: no row for label '{label}' (the codebook of "
                                f"data/{name}.csv in book/data_kodebuku.ipynb; copy the row of "
                                "tbl-data-elections and change item_id, title and label)")
        row = m.loc[label]
        widths = widths_of(row["widths"]) or [16, 10, 14, 22, 38]
        parts.append(to_myst(codebook(name, data_dir), row["title"], label, cite_columns=(),
                             widths=widths).data)
    return Markdown("\n".join(parts))


def example_error(resource: str = "violations", column: str = "year", value: str = "20x4",
                  data_row: int = 2, data_dir=None) -> str:
    """The one-line message the validator gives when ``column`` of data row ``data_row`` of
    ``resource`` holds ``value``: a temporary copy of the data package (with references.bib) is
    corrupted and validated, so the example the data appendix prints is the real message, with
    the file named as in the repository. The input files are not touched. Raises
    :class:`RuntimeError` when the corrupted copy passes."""
    import csv
    import io
    import shutil
    import tempfile
    from pathlib import Path

    from . import data, paths

    src = Path(data_dir) if data_dir else paths.data_dir()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(src, root / src.name)
        shutil.copy(paths.bib_file(), root / paths.bib_file().name)
        desc = {r["name"]: r for r in data._package_descriptor(src)["resources"]}
        path = root / src.name / desc[resource]["path"]
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        rows[data_row][rows[0].index(column)] = value
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")
        try:
            data.validate(root / src.name)
        except data.DataError as err:
            return str(err).replace(f"{root}/", "")
    raise RuntimeError(f"example_error: {value!r} in {resource}.{column} passed validation")
