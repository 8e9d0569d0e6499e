"""Words and numbers as the book writes them: ISO dates, wrapped names, English counts, lists.

The one home of the small text rules every other module uses (no second ``;``-splitter, no second
``count_en``)."""

from __future__ import annotations

import pandas as pd

__all__ = ["date_id", "wrap_words", "count_en", "split_list", "join_words"]


def split_list(value, keep_empty: bool = False) -> list[str]:
    """A ``;``-separated cell (``"M1; T2"``, ``"key1;key2"``) as a list of stripped items.

    An empty or missing cell gives ``[]``. ``keep_empty`` keeps empty items (``"V1;;V2"`` gives
    ``["V1", "", "V2"]``) for checks that must report them."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return []
    items = [k.strip() for k in str(value).split(";")]
    return items if keep_empty else [k for k in items if k]


def join_words(items, last: str = "dan") -> str:
    """``a``, ``a dan b``, ``a, b dan c``: a list in a sentence (``last="and"`` in English)."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


def date_id(ts, precision: str = "day") -> str:
    """A date as the book writes it everywhere (ISO): ``2024-02-14`` (day) or ``2024-02`` (month)."""
    ts = pd.Timestamp(ts)
    return f"{ts:%Y-%m}" if precision == "month" else f"{ts:%Y-%m-%d}"


def wrap_words(name: str, width: int = 14) -> str:
    """Break ``name`` into lines of at most ``width`` characters at spaces (long words stay whole)."""
    words, lines, cur = name.split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    lines.append(cur)
    return "\n".join(lines)


def count_en(n: int, singular: str, plural: str | None = None) -> str:
    """``1 case`` / ``2 cases`` / ``0 cases`` for English summaries (numbers grouped: 1,000)."""
    n = int(n)
    return f"{n:,} {singular if n == 1 else (plural or singular + 's')}"
