"""The legal instruments the paper relies on: what each rules, whether the paper cites it,
whether it was in force at the events, and its status today with what replaced or amended it.

One analysis (:func:`legal_currency`) and one table (:func:`regulations_table`) serve chapter A
and the claims audit, with the status words of ``data/vocabulary.csv`` (``cited_in_paper``,
``in_force``, ``status_today``): the two chapters cannot word the same status differently."""

from __future__ import annotations

import re

import pandas as pd

from . import vocab

__all__ = ["short_instrument", "legal_currency", "regulations_table"]

_INSTRUMENT_RE = re.compile(r"^(UU|PP|Perpres|Permen\w*) Nomor (\S+) Tahun (\d{4})\b")
#: Rows in this order: the paper's instruments first (explicitly cited, then implied), then
#: those the book adds; within each group in file order.
_CITED_ORDER = ("explicit", "implicit", "no")


def short_instrument(name: str) -> str:
    """``UU Nomor 5 Tahun 2014 tentang …`` -> ``UU 5/2014 tentang …`` (other names unchanged)."""
    return _INSTRUMENT_RE.sub(lambda m: f"{m.group(1)} {m.group(2)}/{m.group(3)}", str(name))


def _short_code(name: str) -> str:
    """``UU Nomor 20 Tahun 2023 tentang …`` -> ``UU 20/2023`` (the name as a status cell cites it);
    a name without a number keeps what precedes ``tentang`` (``UU B tentang X`` -> ``UU B``)."""
    short = short_instrument(name)
    m = re.match(r"^\S+ \S+/\d{4}", short)
    return m.group(0) if m else short.split(" tentang ")[0]


def legal_currency(regulations: pd.DataFrame, include_uncited: bool = False) -> pd.DataFrame:
    """For each instrument the paper invokes: in force at the events, status today, successor.

    The successor chain (``superseded_by``) is followed to its end; a cycle raises ValueError.
    ``relied_on_repealed`` is True where the paper invokes an instrument that was no longer in
    force when the events happened (``in_force_at_events`` ``no``); an instrument in force for
    some events only (``partly``, e.g. UU 5/2014 until its successor took effect) is not
    counted there: the claims audit calls both an outdated reference.
    """
    regs = regulations.set_index("reg_id", drop=False)
    rows = []
    for _, r in regs.iterrows():
        if not include_uncited and r["cited_in_paper"] == "no":
            continue
        chain, seen, nxt = [], {r["reg_id"]}, r["superseded_by"]
        while isinstance(nxt, str) and nxt:
            if nxt in seen:
                raise ValueError(f"regulations: superseded_by cycle at '{nxt}'")
            if nxt not in regs.index:
                raise ValueError(f"regulations: superseded_by '{nxt}' is not a reg_id")
            seen.add(nxt)
            chain.append(nxt)
            nxt = regs.loc[nxt, "superseded_by"]
        name = r["instrument"] + (f", {r['article']}" if isinstance(r["article"], str) else "")
        rows.append({
            "reg_id": r["reg_id"], "instrument": name,
            "subject": r["subject"], "cited_in_paper": r["cited_in_paper"],
            "in_force_at_events": r["in_force_at_events"], "status_today": r["status_today"],
            "successor": " → ".join(regs.loc[k, "instrument"].split(" tentang ")[0] for k in chain),
            "successor_codes": " → ".join(_short_code(regs.loc[k, "instrument"]) for k in chain),
            "relied_on_repealed": r["cited_in_paper"] != "no" and r["in_force_at_events"] == "no",
            "source": r["source"]})
    return pd.DataFrame(rows)


def regulations_table(currency: pd.DataFrame, subject: bool = True) -> pd.DataFrame:
    """:func:`legal_currency` for readers: instrument (short form, with article), what it rules
    (``subject=False`` leaves that column out), cited in the paper, in force at the events, and
    the status today naming the successor or amendment by its short code, then the sources.
    Rows: the paper's instruments first (explicitly cited, then implied), then the book's."""
    cur = currency.assign(_o=currency["cited_in_paper"].map(
        {c: i for i, c in enumerate(_CITED_ORDER)}), _i=range(len(currency)))
    cur = cur.sort_values(["_o", "_i"], kind="stable")
    status = []
    for r in cur.itertuples():
        text = vocab.label("status_today", r.status_today)
        if r.successor_codes:
            verb = "diganti" if r.status_today == "repealed" else "diubah oleh"
            text += f"; {verb} {r.successor_codes}"
        status.append(text)
    out = {"Instrumen": [short_instrument(n) for n in cur["instrument"]]}
    if subject:
        out["Mengatur"] = cur["subject"].tolist()
    out.update({
        "Dikutip makalah": [vocab.label("cited_in_paper", c) for c in cur["cited_in_paper"]],
        "Berlaku saat peristiwa": [vocab.label("in_force", c) for c in cur["in_force_at_events"]],
        "Status kini": status,
        "Sumber": cur["source"].tolist(),
    })
    return pd.DataFrame(out).reset_index(drop=True)
