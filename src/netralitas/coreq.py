"""COREQ (32 items): what the paper reports, partly reports or omits, and what the book does
about an item (``book_role``: reconstructs something in its place, or assesses it). Only the
study can complete a COREQ item, so nothing here counts items as completed by the book."""

from __future__ import annotations

import pandas as pd

from . import bib, vocab
from .data import DataError

__all__ = ["coreq_summary", "coreq_by_domain", "coreq_table"]


def coreq_summary(coreq: pd.DataFrame) -> dict:
    """Counts: items, reported / partly / not reported by the paper, and per ``book_role``
    (``book_<role>`` for every term of vocabulary ``coreq_book_role``) the items the book
    reconstructs or assesses, with ``book_touched`` (any role) and
    ``book_where_not_reported`` (any role, on an item the paper does not fully report). There is
    no 'completed by the book' count: a reconstruction is not the study's reporting."""
    status = coreq["paper_status"].value_counts()
    role = coreq["book_role"].fillna("").str.strip()
    touched = role != ""
    out = {"items": len(coreq), "reported": int(status.get("reported", 0)),
           "partly": int(status.get("partly", 0)),
           "not_reported": int(status.get("not_reported", 0))}
    out.update({f"book_{t}": int((role == t).sum()) for t in vocab.terms("coreq_book_role")})
    out.update(book_touched=int(touched.sum()),
               book_where_not_reported=int((touched & (coreq["paper_status"] != "reported")).sum()))
    return out




def coreq_by_domain(coreq: pd.DataFrame) -> pd.DataFrame:
    """Items per COREQ domain and paper status (Indonesian headers), domains in COREQ order,
    with a total column; every status is a column even when its count is zero."""
    status = vocab.labels("coreq_status")
    unknown = set(coreq["paper_status"]) - set(status)
    if unknown:
        raise DataError(f"data/coreq.csv, column 'paper_status': unknown value(s) {sorted(unknown)}")
    counts = pd.crosstab(coreq["domain"], coreq["paper_status"]).reindex(
        columns=list(status), fill_value=0)
    counts = counts.loc[sorted(counts.index)]
    out = counts.rename(columns=status).astype(int)
    out.insert(0, "Ranah", [str(d) for d in counts.index])
    out["Jumlah butir"] = counts.sum(axis=1).astype(int)
    return out.reset_index(drop=True)


def coreq_table(coreq: pd.DataFrame) -> pd.DataFrame:
    """The COREQ items for readers, in COREQ order: number, Indonesian item name, guiding
    question, paper status (Indonesian), paper section and what the book does about the item
    (its ``book_role`` label with ``{ref}`` links to the chapters; ``–`` where none)."""
    def refs(value):
        labels = bib.split_keys(value) if isinstance(value, str) else []
        return ", ".join("{ref}`" + label + "`" for label in labels) or "–"

    out = pd.DataFrame({
        "No.": coreq["item"].astype(int),
        "Butir": coreq["item_name_id"],
        "Pertanyaan": coreq["guide_question"],
        "Makalah": [vocab.label("coreq_status", s).lower() for s in coreq["paper_status"]],
        "Bagian": coreq["paper_section"].replace("not reported", "–"),
        "Peran buku": [
            f"{vocab.label('coreq_book_role', role, short=True)}: {refs(ch)}"
            if isinstance(role, str) and role.strip() else "\u2013"
            for role, ch in zip(coreq.get("book_role", [None] * len(coreq)),
                                coreq["book_chapter"])],
    })
    return out.sort_values("No.").reset_index(drop=True)
