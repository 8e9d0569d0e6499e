"""Reader-facing labels for every id, read from ``data/vocabulary.csv`` and ``data/contests.csv``.

No dictionary of labels lives in code. A label is asked for by vocabulary and term::

    vocab.label("position_group", "camat_lurah")          # 'Camat/lurah'
    vocab.label("verdict", "not_found", short=True)        # 'tidak ditemukan'
    vocab.election("pilkada2025")                          # 'Pilkada ulang 2025'

An id without a row is an error that names the file and the row to add (never a silent fall-back
to the raw id, which would print ``pilkada2029`` on a page). Data columns that hold such ids name
their vocabulary in their Table Schema (``"vocabulary": "…"``), so :func:`netralitas.data.validate`
fails on an unlabelled id before any chapter runs.
"""

from __future__ import annotations

import functools

import pandas as pd

from . import paths
from .data import DataError

__all__ = ["label", "labels", "terms", "election", "elections", "election_kind", "LabelError"]

VOCAB_FILE = "data/vocabulary.csv"
CONTESTS_FILE = "data/contests.csv"


class LabelError(DataError):
    """An id has no label in ``data/vocabulary.csv`` (or an election none in ``contests.csv``)."""


@functools.lru_cache(maxsize=8)
def _table(data_dir: str, name: str, _stamp: float) -> pd.DataFrame:
    from . import data

    return data.load(name, data_dir)


def _load(name: str, data_dir=None) -> pd.DataFrame:
    d = paths.data_dir() if data_dir is None else data_dir
    f = d / f"{name}.csv"
    return _table(str(d), name, f.stat().st_mtime_ns if f.exists() else 0.0)


def _key(term) -> str:
    return str(int(term)) if isinstance(term, float) and term.is_integer() else str(term)


def labels(vocabulary: str, column: str = "label_id", data_dir=None) -> dict[str, str]:
    """``{term: label}`` of one vocabulary, in file order (``column``: label_id, short_id or
    label_en; an empty short label falls back to label_id)."""
    v = _load("vocabulary", data_dir)
    rows = v[v["vocabulary"] == vocabulary]
    if rows.empty:
        raise LabelError(f"{VOCAB_FILE}: no vocabulary named '{vocabulary}' (add its rows: "
                         f"{vocabulary},<term>,<label_id>,<short_id>,<label_en>,<source>)")
    out = {}
    for _, r in rows.iterrows():
        text = r[column]
        if column == "short_id" and (pd.isna(text) or not str(text)):
            text = r["label_id"]
        out[str(r["term"])] = "" if pd.isna(text) else str(text)
    return out


def terms(vocabulary: str, data_dir=None) -> list[str]:
    """The terms of one vocabulary in file order (the order tables and legends use)."""
    return list(labels(vocabulary, data_dir=data_dir))


def label(vocabulary: str, term, short: bool = False, lang: str = "id", data_dir=None) -> str:
    """The label of ``term`` in ``vocabulary``; raises :class:`LabelError` naming the row to add."""
    column = "label_en" if lang == "en" else ("short_id" if short else "label_id")
    table = labels(vocabulary, column, data_dir)
    key = _key(term)
    if key not in table:
        raise LabelError(f"{VOCAB_FILE}: '{key}' has no label in vocabulary '{vocabulary}' "
                         f"(add a row: {vocabulary},{key},<label_id>,<short_id>,<label_en>,<source>)")
    text = table[key]
    if lang == "en" and not text:
        raise LabelError(f"{VOCAB_FILE}: vocabulary '{vocabulary}', term '{key}': column "
                         "'label_en' is empty but an English label is asked for")
    return text


def elections(data_dir=None) -> pd.DataFrame:
    """``data/contests.csv``: one row per election (id, labels, kind, year)."""
    return _load("contests", data_dir)


def election(election_id, lang: str = "id", data_dir=None) -> str:
    """Printed name of an election id (``pilkada2025`` → ``Pilkada ulang 2025``)."""
    c = elections(data_dir).set_index("election")
    if election_id not in c.index:
        raise LabelError(f"{CONTESTS_FILE}: no row for election '{election_id}' (add one: "
                         f"{election_id},<label_id>,<label_en>,<kind>,<year>,<source>)")
    return str(c.loc[election_id, "label_en" if lang == "en" else "label_id"])


def election_kind(election_id, data_dir=None) -> str:
    """``regular`` or ``rerun`` (the ``kind`` of the election in ``contests.csv``)."""
    c = elections(data_dir).set_index("election")
    if election_id not in c.index:
        raise LabelError(f"{CONTESTS_FILE}: no row for election '{election_id}'")
    return str(c.loc[election_id, "kind"])
