"""The election calendar and the legal windows of UU 10/2016.

One home for every calendar rule the chapters state: terms of office, the events of each
election, who headed the city on a date, and the Pasal 71 ayat (2) and Pasal 162 ayat (3)
windows (chapters A, D.5, E and Statistik all call these functions)."""

from __future__ import annotations

import pandas as pd

from . import bib, vocab
from .bib import merge_keys
from .data import DataError
from .text import date_id

__all__ = ["PASAL71_MONTHS_BEFORE", "PASAL162_MONTHS_AFTER", "KEY_KINDS", "terms",
           "timeline_events", "heads_during", "voting_days_heads", "pasal71_windows",
           "pasal162_windows", "legal_windows", "windows_table", "legal_windows_table",
           "span", "election_ids", "alternative_end", "ASSUMED"]


#: Pasal 71 ayat (2) UU 10/2016: no replacement of officials from this many months before the
#: determination of candidates until the end of the term.
PASAL71_MONTHS_BEFORE = 6


#: Pasal 162 ayat (3) UU 10/2016: replacements need the Minister's approval for this many months
#: after the inauguration of a new regional head.
PASAL162_MONTHS_AFTER = 6


#: Event kinds drawn with their own marker; every other kind is a small grey tick.
KEY_KINDS = ("voting_day", "candidate_determination", "inauguration")


def terms(leadership: pd.DataFrame, start, end) -> pd.DataFrame:
    """Terms of office clipped to ``[start, end]``: term_id, holder, role, start, end, open_start,
    open_end (True where the data leave the date empty and the plot edge stands in for it)."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    rows = []
    for _, r in leadership.iterrows():
        s = r["start"] if pd.notna(r["start"]) else start
        e = r["end"] if pd.notna(r["end"]) else end
        if e <= start or s >= end:
            continue
        rows.append({"term_id": r["term_id"], "holder": r["holder"], "role": r["role"],
                     "start": max(s, start), "end": min(e, end),
                     "open_start": pd.isna(r["start"]), "open_end": pd.isna(r["end"])})
    out = pd.DataFrame(rows, columns=["term_id", "holder", "role", "start", "end",
                                      "open_start", "open_end"])
    return out.sort_values(["start", "term_id"]).reset_index(drop=True)


def timeline_events(elections: pd.DataFrame, start, end) -> pd.DataFrame:
    """Election events within ``[start, end]`` with their lane (one per election, in order of
    the election's first event) and whether the kind is one of :data:`KEY_KINDS`."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    ev = elections[(elections["date"] >= start) & (elections["date"] <= end)].copy()
    first = ev.groupby("election")["date"].min().sort_values(kind="stable")
    order = {e: i for i, e in enumerate(sorted(first.index, key=lambda e: (first[e], e)))}
    ev["lane"] = ev["election"].map(order)
    ev["key"] = ev["kind"].isin(KEY_KINDS)
    ev["label"] = [vocab.label("event_kind", k) for k in ev["kind"]]
    cols = ["event_id", "date", "election", "kind", "label", "lane", "key", "description", "source"]
    return ev[cols].sort_values(["date", "event_id"]).reset_index(drop=True)


def heads_during(leadership: pd.DataFrame, first, last) -> pd.DataFrame:
    """The terms of office that overlap ``[first, last]`` (a term ends on its successor's first
    day, so that day belongs to the successor)."""
    first, last = pd.Timestamp(first), pd.Timestamp(last)
    starts_ok = leadership["start"].isna() | (leadership["start"] <= last)
    ends_ok = leadership["end"].isna() | (leadership["end"] > first)
    return leadership[starts_ok & ends_ok].sort_values("start", na_position="first")


def voting_days_heads(elections: pd.DataFrame, leadership: pd.DataFrame) -> pd.DataFrame:
    """Each voting day with who headed the city that day (holder, role) and ``acting`` = True
    when it was an acting mayor (Pj)."""
    votes = elections[elections["kind"] == "voting_day"].sort_values(["date", "event_id"])
    rows = []
    for _, v in votes.iterrows():
        h = heads_during(leadership, v["date"], v["date"])
        holder = "; ".join(h["holder"]) if len(h) else "–"
        role = "; ".join(h["role"]) if len(h) else "–"
        rows.append({"event_id": v["event_id"], "election": v["election"], "date": v["date"],
                     "holder": holder, "role": role,
                     "acting": bool(len(h)) and bool((h["role"] == "acting").all())})
    return pd.DataFrame(rows, columns=["event_id", "election", "date", "holder", "role", "acting"])


def pasal71_windows(elections: pd.DataFrame, legal_events: pd.DataFrame | None = None,
                    months: int = PASAL71_MONTHS_BEFORE) -> pd.DataFrame:
    """The Pasal 71 ayat (2) windows, one per election that has a candidate determination.

    * start: the date an official source gives (a ``window_start_stated`` row of
      ``legal_events`` for that election) if there is one, else ``months`` before the candidate
      determination, computed (``start_basis`` says which: ``stated`` or ``inferred``; the
      computed date is always kept in ``start_computed``);
    * end: the inauguration of that election's winner; when the election produced none (in
      Pangkalpinang the empty box won Pilkada 2024) the next inauguration at the same level,
      i.e. the end of the acting heads' tenure (``end_basis``: ``inauguration`` or
      ``next_inauguration``); ``NaT`` when neither exists yet.

    Raises :class:`~netralitas.data.DataError` when an election has two candidate
    determinations, which would make its window ambiguous.
    """
    det = elections[elections["kind"] == "candidate_determination"]
    dup = det["election"][det["election"].duplicated()]
    if not dup.empty:
        raise DataError(f"data/elections.csv: election '{dup.iloc[0]}' has more than one "
                        "candidate_determination event; its Pasal 71 window is ambiguous")
    inaug = elections[elections["kind"] == "inauguration"]
    stated = {}
    if legal_events is not None and len(legal_events):
        st = legal_events[legal_events["kind"] == "window_start_stated"]
        for _, r in st.iterrows():
            stated[r["election"]] = (r["date"], r["source"])
    rows = []
    for _, d in det.sort_values(["date", "election"]).iterrows():
        e = d["election"]
        computed = d["date"] - pd.DateOffset(months=months)
        if e in stated:
            start, basis, src = stated[e][0], "stated", stated[e][1]
        else:
            start, basis, src = computed, "inferred", ""
        own = inaug[inaug["election"] == e]
        if len(own):
            end, end_basis = own["date"].min(), "inauguration"
        else:
            later = inaug[(inaug["level"] == d["level"]) & (inaug["date"] > d["date"])]
            end = later["date"].min() if len(later) else pd.NaT
            end_basis = "next_inauguration" if len(later) else "open"
        sources = bib.split_keys(d["source"]) + (bib.split_keys(src) if src else [])
        rows.append({"election": e, "determination": d["date"], "start": start,
                     "start_computed": computed, "start_basis": basis, "end": end,
                     "end_basis": end_basis, "source": ";".join(dict.fromkeys(sources))})
    return pd.DataFrame(rows, columns=["election", "determination", "start", "start_computed",
                                       "start_basis", "end", "end_basis", "source"])


def pasal162_windows(elections: pd.DataFrame, months: int = PASAL162_MONTHS_AFTER) -> pd.DataFrame:
    """Pasal 162 ayat (3) windows: ``months`` after each inauguration (computed)."""
    inaug = elections[elections["kind"] == "inauguration"].sort_values(["date", "event_id"])
    out = pd.DataFrame({"election": inaug["election"].to_numpy(), "start": inaug["date"].to_numpy(),
                        "source": inaug["source"].to_numpy()})
    out["end"] = out["start"] + pd.DateOffset(months=months)
    return out[["election", "start", "end", "source"]].reset_index(drop=True)


def legal_windows(elections: pd.DataFrame, legal_events: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every period in which replacing officials needs the Minister's written approval: the
    Pasal 71 windows (:func:`pasal71_windows`) and the Pasal 162 windows
    (:func:`pasal162_windows`), one row each.

    Columns: ``window_id`` (``p71-<election>``, ``p162-<election>``), ``rule`` (``p71`` or
    ``p162``), ``label`` (for tables and readings), ``election``, ``start``, ``end`` (``NaT``
    while a window is still open: no inauguration in the data yet), ``basis`` (in words) and
    ``source``. Pemilu 2024 has no such window (it is governed by UU 7/2017).
    """
    inaug = elections[elections["kind"] == "inauguration"].sort_values(["date", "event_id"])
    rows = []
    for _, w in pasal71_windows(elections, legal_events).iterrows():
        label = vocab.election(w["election"])
        begin = (f"{PASAL71_MONTHS_BEFORE} bulan sebelum penetapan pasangan calon {label}"
                 if w["start_basis"] == "inferred"
                 else f"tanggal mulai yang dinyatakan sumber resmi untuk {label}")
        if pd.isna(w["end"]):
            until, end_src = "pelantikan berikutnya (belum ada dalam data: jendela masih terbuka)", None
        else:
            end_row = inaug[inaug["date"] == w["end"]].iloc[0]
            until = f"pelantikan hasil {vocab.election(end_row['election'])}"
            end_src = end_row["source"]
        assumed = []
        if w["start_basis"] == "inferred":
            assumed.append("awal disimpulkan, tidak ditemukan surat")
        if w["end_basis"] == "next_inauguration":
            assumed.append("akhir pada pelantikan berikutnya, padahal Pasal 71 menyebut \"sampai "
                           "akhir masa jabatan\"; bacaan lain mengakhirinya pada pergantian penjabat")
        rows.append({"window_id": f"p71-{w['election']}", "rule": "p71",
                     "label": f"Pasal 71 · {label}",
                     "election": w["election"], "start": w["start"], "end": w["end"],
                     "basis": f"{begin} sampai {until}",
                     "assumption": "; ".join(assumed),
                     "source": merge_keys(w["source"], end_src, "wahananews2024pasal71")})
    for _, w in pasal162_windows(elections).iterrows():
        label = vocab.election(w["election"])
        rows.append({"window_id": f"p162-{w['election']}", "rule": "p162",
                     "label": f"Pasal 162 · {label}",
                     "election": w["election"], "start": w["start"], "end": w["end"],
                     "basis": f"{PASAL162_MONTHS_AFTER} bulan sesudah pelantikan hasil {label}",
                     "assumption": "",
                     "source": merge_keys(w["source"], "radarutara2024pelantikan")})
    return pd.DataFrame(rows, columns=["window_id", "rule", "label", "election", "start", "end",
                                       "basis", "assumption", "source"])


#: Marker of a window edge that is this book's reading, not a date a source gives.
ASSUMED = "asumsi buku ini"


def alternative_end(windows: pd.DataFrame, leadership: pd.DataFrame | None) -> pd.Series:
    """Per window ending at a later inauguration (``end_basis`` ``next_inauguration``), the other
    reading of "sampai akhir masa jabatan" (Pasal 71 ayat 2): the last change of acting head
    after the candidate determination and before that inauguration (``NaT`` otherwise)."""
    out = []
    for _, w in windows.iterrows():
        alt = pd.NaT
        if leadership is not None and w["end_basis"] == "next_inauguration" and pd.notna(w["end"]):
            acting = leadership[(leadership["role"] == "acting")
                                & (leadership["start"] > w["determination"])
                                & (leadership["start"] < w["end"])]
            alt = acting["start"].max() if len(acting) else pd.NaT
        out.append(alt)
    return pd.Series(out, index=windows.index, dtype="datetime64[ns]")


def windows_table(windows: pd.DataFrame, leadership: pd.DataFrame | None = None) -> pd.DataFrame:
    """The Pasal 71 windows from :func:`pasal71_windows` as a readable table: ISO dates, each
    start and end followed by how it was obtained. An inferred start (no circular found) and an
    end at the next inauguration (the law says "until the end of the term") are marked as this
    book's assumption; with ``leadership``, the other end (:func:`alternative_end`) is named."""
    def basis(kind, term):
        return vocab.label(kind, term)

    alt = alternative_end(windows, leadership)
    ends = []
    for d, b, a in zip(windows["end"], windows["end_basis"], alt):
        if pd.isna(d):
            ends.append(basis("window_end_basis", b))
            continue
        text = f"{date_id(d)} ({basis('window_end_basis', b)}"
        if b == "next_inauguration":
            text += f"; {ASSUMED}, Pasal 71 menyebut \"sampai akhir masa jabatan\""
            if pd.notna(a):
                text += f"; bacaan lain: {date_id(a)}, pergantian penjabat"
        ends.append(text + ")")
    return pd.DataFrame({
        "Pemilihan": [vocab.election(e) for e in windows["election"]],
        "Penetapan paslon": windows["determination"].map(date_id).to_numpy(),
        "Awal jendela": [f"{date_id(d)} ({basis('window_start_basis', b)}"
                         + (f"; {ASSUMED}, tidak ditemukan surat" if b == "inferred" else "") + ")"
                         for d, b in zip(windows["start"], windows["start_basis"])],
        "Akhir jendela": ends,
        "Sumber": windows["source"].to_numpy(),
    })


def legal_windows_table(windows: pd.DataFrame) -> pd.DataFrame:
    """:func:`legal_windows` for the statistics chapter (an open window ends "–")."""
    return pd.DataFrame({
        "Jendela": windows["label"],
        "Mulai": windows["start"].map(date_id),
        "Selesai": [date_id(d) if pd.notna(d) else "– (masih terbuka)" for d in windows["end"]],
        "Dasar": [b + (f" ({ASSUMED}: {a})" if isinstance(a, str) and a else "")
                  for b, a in zip(windows["basis"], windows["assumption"] if "assumption" in windows
                                  else [""] * len(windows))],
        "Sumber": windows["source"],
    }).reset_index(drop=True)


def span(*frames: pd.DataFrame, months_before: int = 0) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The time range a figure shows, from the data: every date in ``frames`` (columns of type
    datetime, and ``YYYY-MM``/``YYYY-MM-DD`` text in a ``date`` column) lies inside it.

    The start is 1 January of the earliest year, or with ``months_before`` the first day of the
    month that many months before the earliest date; the end is 31 December of the latest year.
    A follow-up election added as rows widens the range with no code change."""
    dates = []
    for f in frames:
        for c in f.columns:
            col = f[c]
            if pd.api.types.is_datetime64_any_dtype(col):
                dates.extend(col.dropna())
            elif c == "date":
                dates.extend(pd.Timestamp(str(v) + ("-01" if len(str(v)) == 7 else ""))
                             for v in col.dropna())
    if not dates:
        raise ValueError("span: no dates in the given frames")
    first, last = min(dates), max(dates)
    if months_before:
        start = (first - pd.DateOffset(months=months_before)).to_period("M").to_timestamp()
    else:
        start = pd.Timestamp(year=first.year, month=1, day=1)
    return start, pd.Timestamp(year=last.year, month=12, day=31)


def election_ids(elections: pd.DataFrame, kind: str | None = None) -> list[str]:
    """Elections of the calendar in the order of their voting day (``kind``: only events of that
    kind count, e.g. ``voting_day``); the list a sentence names and a count counts."""
    ev = elections if kind is None else elections[elections["kind"] == kind]
    first = ev.groupby("election")["date"].min()
    return sorted(first.index, key=lambda e: (first[e], e))
