"""The city's neutrality cases (violations.csv): the paper's Table 1."""

from __future__ import annotations

import pandas as pd

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
