"""The book's response to its reviewers (``data/reviews.csv``): each finding of a hostile review,
whether the book changed (and where) or why not. Later reviews add rows; the appendix page
"Tanggapan atas telaah" is computed from them."""

from __future__ import annotations

import pandas as pd

from . import vocab
from .text import split_list

__all__ = ["response_table", "status_counts"]


def _link(label: str) -> str:
    """A MyST link to a table/figure (numbered) or a chapter."""
    return ("{numref}`" if label.startswith(("tbl-", "fig-")) else "{ref}`") + label + "`"


def response_table(reviews: pd.DataFrame) -> pd.DataFrame:
    """One row per finding, in finding order: id, chapter (link), severity, the finding, status,
    the response and links to the affected tables, figures or chapters."""
    def order(fid: str):
        r, n = fid[1:].split("-")
        return int(r), int(n)

    r = reviews.assign(_o=reviews["finding_id"].map(order)).sort_values("_o", kind="stable")
    return pd.DataFrame({
        "Temuan": r["finding_id"].to_numpy(),
        "Bab": [_link(c) for c in r["chapter"]],
        "Bobot": [vocab.label("review_severity", s) for s in r["severity"]],
        "Isi temuan": r["finding"].to_numpy(),
        "Status": [vocab.label("review_status", s, short=True) for s in r["status"]],
        "Tanggapan": r["response"].to_numpy(),
        "Tautan": [", ".join(_link(x) for x in split_list(v)) or "–" for v in r["links"]],
    }).reset_index(drop=True)


def status_counts(reviews: pd.DataFrame) -> dict[str, int]:
    """Findings per status (every status of the vocabulary, zeros included)."""
    counts = reviews["status"].value_counts()
    return {s: int(counts.get(s, 0)) for s in vocab.terms("review_status")}
