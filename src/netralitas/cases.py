"""The city's neutrality cases (violations.csv): the paper's Table 1."""

from __future__ import annotations

import pandas as pd

__all__ = ["TABLE1_COLUMNS", "table1", "paper_cases"]

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
    rows = paper_cases(violations)
    out = rows[list(TABLE1_COLUMNS)].rename(columns=TABLE1_COLUMNS)
    return out.reset_index(drop=True)


def paper_cases(violations: pd.DataFrame) -> pd.DataFrame:
    """The cases the paper tables (``paper_table_row`` set), in the paper's order: the one frame
    that both Table 1 and every count stated about it are computed from."""
    rows = violations[violations["paper_table_row"].notna()]
    return rows.sort_values(["paper_table_row", "case_id"], kind="stable").reset_index(drop=True)
