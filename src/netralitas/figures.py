"""Timelines of the book: the election calendar (chapter A) and the transfer waves (chapter D.5).

Each figure is split in two steps, both tested:

1. *frames*: plain DataFrames computed from the validated data (events, terms of office, the
   UU 10/2016 Pasal 71 and Pasal 162 windows, the waves with their position against the windows);
2. *drawing*: a :class:`matplotlib.figure.Figure` built from those frames (never pyplot, so nothing
   is displayed by accident). Every drawn element carries a ``gid`` (``"band:<term_id>"``,
   ``"event:<event_id>"``, ``"window:<election>"``, ``"wave:<wave_id>"`` …) so that tests can count
   and identify what was drawn without looking at pixels.

Also here: the two tables that sit beside these figures (legal instruments, transfer waves).
"""

from __future__ import annotations

import re

import pandas as pd

from . import bib
from .data import DataError

#: Pasal 71 ayat (2) UU 10/2016: no replacement of officials from this many months before the
#: determination of candidates until the end of the term.
PASAL71_MONTHS_BEFORE = 6
#: Pasal 162 ayat (3) UU 10/2016: replacements need the Minister's approval for this many months
#: after the inauguration of a new regional head.
PASAL162_MONTHS_AFTER = 6
#: What the word "puluhan" (tens) allows as a count: at least ten, fewer than a hundred.
TENS_RANGE = (10, 99)

KIND_LABELS = {
    "voting_day": "Hari pemungutan suara",
    "candidate_determination": "Penetapan pasangan calon",
    "inauguration": "Pelantikan kepala daerah",
    "rerun_announcement": "Pengumuman pilkada ulang",
    "registration_start": "Pendaftaran calon dibuka",
    "campaign_start": "Kampanye dimulai",
    "campaign_end": "Kampanye berakhir",
    "result": "Rekapitulasi hasil",
}
#: Event kinds drawn with their own marker; every other kind is a small grey tick.
KEY_KINDS = ("voting_day", "candidate_determination", "inauguration")
KIND_MARKERS = {"voting_day": "o", "candidate_determination": "D", "inauguration": "*"}
ELECTION_LABELS = {
    "pemilu2024": "Pemilu 2024",
    "pilkada2024": "Pilkada 2024",
    "pilkada2025": "Pilkada ulang 2025",
}
ROLE_LABELS = {"elected": "Wali kota terpilih", "acting": "Penjabat (Pj) wali kota"}


def _palette():
    from .nb import PALETTE

    return PALETTE


def election_label(election: str) -> str:
    """Readable name of an election id (falls back to the id itself)."""
    return ELECTION_LABELS.get(election, election)


def date_id(ts, precision: str = "day") -> str:
    """A date as the book writes it everywhere (ISO): ``2024-02-14`` (day) or ``2024-02`` (month)."""
    ts = pd.Timestamp(ts)
    return f"{ts:%Y-%m}" if precision == "month" else f"{ts:%Y-%m-%d}"


def small_text(fig, min_pt: float = 9.0) -> list[tuple[str, float]]:
    """Every visible, non-empty text of ``fig`` (labels, ticks, legend) smaller than ``min_pt``
    points, as ``(text, size)``: empty for a figure that is legible at the book's page width."""
    from matplotlib.text import Text

    out = []
    for t in fig.findobj(Text):
        if t.get_visible() and t.get_text().strip() and t.get_fontsize() < min_pt:
            out.append((t.get_text(), float(t.get_fontsize())))
    return out


# --------------------------------------------------------------------------------------- frames
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
    ev["label"] = ev["kind"].map(KIND_LABELS).fillna(ev["kind"])
    cols = ["event_id", "date", "election", "kind", "label", "lane", "key", "description", "source"]
    return ev[cols].sort_values(["date", "event_id"]).reset_index(drop=True)


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


def wave_spans(mutations: pd.DataFrame) -> pd.DataFrame:
    """Each wave with the span its date allows: a day, or the whole month for ``YYYY-MM``."""
    rows = []
    for i, r in enumerate(mutations.itertuples(index=False)):
        text = str(r.date)
        try:
            if len(text) == 7:
                first = pd.Timestamp(text + "-01")
                last = first + pd.offsets.MonthEnd(0)
                precision = "month"
            else:
                first = last = pd.Timestamp(text)
                precision = "day"
        except ValueError:
            raise DataError(f"data/mutations.csv, line {i + 2} (data row {i + 1}), column 'date': "
                            f"{text!r} is not an existing date or month") from None
        rows.append({"wave_id": r.wave_id, "first": first, "last": last, "precision": precision})
    return pd.DataFrame(rows, columns=["wave_id", "first", "last", "precision"])


def waves_vs_windows(mutations: pd.DataFrame, windows: pd.DataFrame,
                     approval: pd.DataFrame | None = None) -> pd.DataFrame:
    """Position of each wave against the Pasal 71 windows (and the Pasal 162 windows if given).

    ``pasal71`` is ``inside`` when the wave's whole span lies in a window, ``partly`` when its span
    (a month) overlaps a window's edge, ``outside`` otherwise; ``pasal71_elections`` names the
    windows concerned. ``pasal162`` is the same against the post-inauguration windows.
    """
    spans = wave_spans(mutations)

    def classify(first, last, wins):
        status, hit = "outside", []
        for _, w in wins.iterrows():
            w_end = w["end"] if pd.notna(w["end"]) else pd.Timestamp.max
            if first >= w["start"] and last <= w_end:
                status = "inside"
                hit.append(w["election"])
            elif last >= w["start"] and first <= w_end:
                status = "partly" if status != "inside" else status
                hit.append(w["election"])
        return status, ";".join(hit)

    rows = []
    for _, s in spans.iterrows():
        p71, e71 = classify(s["first"], s["last"], windows)
        row = {"wave_id": s["wave_id"], "first": s["first"], "last": s["last"],
               "precision": s["precision"], "pasal71": p71, "pasal71_elections": e71}
        if approval is not None:
            row["pasal162"], row["pasal162_elections"] = classify(s["first"], s["last"], approval)
        rows.append(row)
    return pd.DataFrame(rows)


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


def paper_wave_claims(claims: pd.DataFrame, section: str = "D.5") -> dict:
    """The paper's aggregate statements on the transfer waves, read from ``claims.csv`` (kept
    there once, for the claims audit): ``{"waves": row, "asn": row}`` where each row has
    ``claim_id``, ``value`` (a number), ``qualifier`` and ``claim``. Rows are found by section and
    unit (``gelombang`` for waves, ``ASN`` for people) among the aggregate qualifiers
    (at_least, more_than). Raises :class:`DataError` when either is missing or ambiguous."""
    c = claims[(claims["section"] == section) & claims["qualifier"].isin(["at_least", "more_than"])]
    out = {}
    for key, unit in (("waves", "gelombang"), ("asn", "ASN")):
        rows = c[c["unit"] == unit]
        if len(rows) != 1:
            raise DataError(f"data/claims.csv: expected one aggregate claim (at_least/more_than) in "
                            f"section {section} with unit '{unit}', found {len(rows)}")
        r = rows.iloc[0]
        try:
            value = float(r["stated_value"])
        except (TypeError, ValueError):
            raise DataError(f"data/claims.csv, claim {r['claim_id']}, column 'stated_value': "
                            f"{r['stated_value']!r} is not a number") from None
        out[key] = {"claim_id": r["claim_id"], "value": int(value) if value.is_integer() else value,
                    "qualifier": r["qualifier"], "claim": r["claim"]}
    return out


def heads_during(leadership: pd.DataFrame, first, last) -> pd.DataFrame:
    """The terms of office that overlap ``[first, last]`` (a term ends on its successor's first
    day, so that day belongs to the successor)."""
    first, last = pd.Timestamp(first), pd.Timestamp(last)
    starts_ok = leadership["start"].isna() | (leadership["start"] <= last)
    ends_ok = leadership["end"].isna() | (leadership["end"] > first)
    return leadership[starts_ok & ends_ok].sort_values("start", na_position="first")


def mutation_totals(mutations: pd.DataFrame, spans: pd.DataFrame | None = None,
                    tens: tuple[int, int] = TENS_RANGE) -> dict:
    """Totals over the waves: counts of waves (all, stated in the paper, found in public sources),
    the sum of exact counts (all waves, and the paper's own waves), and the bounds that waves
    counted only in words ("puluhan") allow."""
    m = mutations
    exact = m[m["count"].notna()]
    vague = m[m["count"].isna()]
    paper = m[m["stated_in_paper"].fillna(False).astype(bool)]
    paper_exact = paper[paper["count"].notna()]
    paper_vague = paper[paper["count"].isna()]
    bounds = {"tens": tens}
    lo = sum(bounds.get(q, (0, 0))[0] for q in paper_vague["count_qualifier"])
    hi = sum(bounds.get(q, (0, 0))[1] for q in paper_vague["count_qualifier"])
    lo_all = sum(bounds.get(q, (0, 0))[0] for q in vague["count_qualifier"])
    hi_all = sum(bounds.get(q, (0, 0))[1] for q in vague["count_qualifier"])
    return {
        "n_waves": len(m),
        "n_paper": len(paper),
        "n_public": int(m["found_in_public"].fillna(False).astype(bool).sum()),
        "n_both": int((m["stated_in_paper"].fillna(False) & m["found_in_public"].fillna(False)).sum()),
        "n_paper_only": int((m["stated_in_paper"].fillna(False) & ~m["found_in_public"].fillna(False)).sum()),
        "n_public_only": int((~m["stated_in_paper"].fillna(False)
                              & m["found_in_public"].fillna(False)).sum()),
        "n_without_count": len(vague),
        "sum_exact": int(exact["count"].sum()),
        "sum_paper_exact": int(paper_exact["count"].sum()),
        "paper_min": int(paper_exact["count"].sum()) + lo,
        "paper_max": int(paper_exact["count"].sum()) + hi,
        "all_min": int(exact["count"].sum()) + lo_all,
        "all_max": int(exact["count"].sum()) + hi_all,
    }


# --------------------------------------------------------------------------------------- tables
_CITED = {"explicit": "ya", "implicit": "tersirat", "no": "tidak"}
_YESNO = {"yes": "ya", "no": "tidak", "unknown": "tidak diperiksa"}
_STATUS = {"in_force": "berlaku", "amended": "berlaku dengan perubahan", "repealed": "dicabut",
           "unknown": "tidak diperiksa"}


_INSTRUMENT_RE = re.compile(r"^(UU|PP|Perpres|Permen\w*) Nomor (\S+) Tahun (\d{4})\b")


def short_instrument(name: str) -> str:
    """``UU Nomor 5 Tahun 2014 tentang …`` -> ``UU 5/2014 tentang …`` (other names unchanged)."""
    return _INSTRUMENT_RE.sub(lambda m: f"{m.group(1)} {m.group(2)}/{m.group(3)}", str(name))


def _status_text(status: str, by: str | None) -> str:
    """``dicabut, diganti UU …`` / ``berlaku dengan perubahan oleh UU …`` / ``berlaku``."""
    text = _STATUS.get(status, status)
    if not by:
        return text
    if status == "repealed":
        return f"{text}, diganti {by}"
    if status == "amended":
        return f"berlaku, diubah oleh {by}"
    return f"{text} ({by})"


def regulations_table(regulations: pd.DataFrame) -> pd.DataFrame:
    """The legal instruments: what each rules, whether the paper cites it, whether it was in force
    at the events, and its status today with what replaced or amended it (by name, not id), in
    one column so that the table stays narrow.

    Rows: the paper's instruments first (explicitly cited, then implied), then those the book
    adds; within each group in file order.
    """
    names = dict(zip(regulations["reg_id"], regulations["instrument"].map(short_instrument) +
                     regulations["article"].fillna("").map(lambda a: f", {a}" if a else "")))
    # in the status column the replacement is named by its short code (its own row has the title)
    codes = {r: m.group(0) if (m := re.match(r"^\S+ \S+/\d{4}", n)) else n
             for r, n in zip(regulations["reg_id"], regulations["instrument"].map(short_instrument))}
    order = {"explicit": 0, "implicit": 1, "no": 2}
    reg = regulations.assign(_o=regulations["cited_in_paper"].map(order),
                             _i=range(len(regulations)))
    reg = reg.sort_values(["_o", "_i"], kind="stable")
    out = pd.DataFrame({
        "Instrumen": [names[r] for r in reg["reg_id"]],
        "Mengatur": reg["subject"].to_numpy(),
        "Dikutip makalah": reg["cited_in_paper"].map(_CITED).to_numpy(),
        "Berlaku saat peristiwa": reg["in_force_at_events"].map(_YESNO).to_numpy(),
        "Status kini": [_status_text(st, codes.get(sb, sb) if isinstance(sb, str) else None)
                        for st, sb in zip(reg["status_today"],
                                          reg["superseded_by"].astype(object).where(
                                              reg["superseded_by"].notna(), None))],
        "Sumber": reg["source"].to_numpy(),
    })
    return out.reset_index(drop=True)


_P71 = {"inside": "di dalam", "partly": "sebagian", "outside": "di luar"}
_START_BASIS = {"stated": "menurut sumber resmi", "inferred": "dihitung mundur"}
_END_BASIS = {"inauguration": "pelantikan hasil pemilihan ini",
              "next_inauguration": "pelantikan berikutnya; pemilihan tanpa pemenang",
              "open": "terbuka, belum ada pelantikan"}
_RECORDED = {(True, False): "makalah saja", (False, True): "sumber publik saja",
             (True, True): "makalah dan sumber publik", (False, False): "tidak keduanya"}


def windows_table(windows: pd.DataFrame) -> pd.DataFrame:
    """The Pasal 71 windows from :func:`pasal71_windows` as a readable table: ISO dates, each
    start and end followed by how it was obtained."""
    return pd.DataFrame({
        "Pemilihan": windows["election"].map(election_label).to_numpy(),
        "Penetapan paslon": windows["determination"].map(date_id).to_numpy(),
        "Awal jendela": [f"{date_id(d)} ({_START_BASIS[b]})"
                         for d, b in zip(windows["start"], windows["start_basis"])],
        "Akhir jendela": [f"{date_id(d)} ({_END_BASIS[b]})" if pd.notna(d) else _END_BASIS[b]
                          for d, b in zip(windows["end"], windows["end_basis"])],
        "Sumber": windows["source"].to_numpy(),
    })


def waves_table(mutations: pd.DataFrame, position: pd.DataFrame | None = None,
                leadership: pd.DataFrame | None = None) -> pd.DataFrame:
    """The transfer waves in date order with their count and who is counted (in Indonesian),
    where they are recorded (the paper, public sources), (if ``leadership`` is given) who headed
    the city then, and (if ``position`` from :func:`waves_vs_windows` is given) where they fall
    against the Pasal 71 windows. The scope column of the data is left out to keep it narrow."""
    spans = wave_spans(mutations).set_index("wave_id")
    m = mutations.assign(_first=mutations["wave_id"].map(spans["first"]))
    m = m.sort_values(["_first", "wave_id"], kind="stable")
    words = {"tens": "puluhan", "at_least": "setidaknya", "about": "sekitar"}

    def count(r):  # the number (or its wording) followed by who is counted, in Indonesian
        if pd.isna(r["count"]):
            n = words.get(r["count_qualifier"], "–")
        else:
            n = f"{words.get(r['count_qualifier'], '')} {int(r['count']):,}".strip()
        unit = unit_label(r["unit"])
        return f"{n} {unit}" if unit else n

    out = pd.DataFrame({
        "Gelombang": m["wave_id"].to_numpy(),
        "Waktu": [date_id(spans.loc[w, "first"], spans.loc[w, "precision"]) for w in m["wave_id"]],
        "Jumlah": [count(r) for _, r in m.iterrows()],
        "Tercatat di": [_RECORDED[(bool(a), bool(b))] for a, b in
                        zip(m["stated_in_paper"].fillna(False), m["found_in_public"].fillna(False))],
    })
    if leadership is not None:
        heads = []
        for w in m["wave_id"]:
            h = heads_during(leadership, spans.loc[w, "first"], spans.loc[w, "last"])
            heads.append("; ".join(f"{r.holder} ({'Pj' if r.role == 'acting' else 'terpilih'})"
                                   for r in h.itertuples()) or "–")
        out["Kepala daerah"] = heads
    if position is not None:
        pos = position.set_index("wave_id")
        out["Jendela Pasal 71"] = [_P71[pos.loc[w, "pasal71"]] for w in m["wave_id"]]
    out["Sumber"] = m["source"].to_numpy()
    return out.reset_index(drop=True)


# -------------------------------------------------------------------------------------- drawing
def _num(ts):
    import matplotlib.dates as mdates

    return mdates.date2num(pd.Timestamp(ts).to_pydatetime())


def _year_axis(ax, start, end):
    import matplotlib.dates as mdates

    ax.set_xlim(_num(start), _num(end))
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.xaxis.set_minor_locator(mdates.MonthLocator(bymonth=[4, 7, 10]))
    ax.grid(axis="x", which="major", color="#999999", linewidth=0.8)
    ax.grid(axis="x", which="minor", color="#dddddd", linewidth=0.5)
    ax.set_axisbelow(True)


def _free_slot(placed, x, min_gap_days: float = 110.0, right_free: bool = False):
    """First label slot not crowded by a placed label: above or below the lane next to the
    marker; then (if ``right_free``, i.e. nothing follows in the lane within a label's width) to
    the right of the marker; then further tiers above and below."""
    for tier in range(3):
        for side in ("up", "down"):
            if all(abs(x - px) >= min_gap_days for px, ps, pt in placed if (ps, pt) == (side, tier)):
                return side, tier
        if tier == 0 and right_free:
            return "right", 0
    return "up", 3


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


#: Average glyph width of DejaVu Sans as a share of the font size (used to wrap names to a bar).
_CHAR_EM = 0.62


def _px_per_day(ax) -> float:
    """Display pixels per day on a date x axis (the axes' size and limits must be set)."""
    x0, x1 = ax.get_xlim()
    width_px = ax.get_position().width * ax.figure.get_figwidth() * ax.figure.dpi
    return width_px / (x1 - x0)


def _fit_wrap(name: str, width_px: float, fontsize: float, dpi: float) -> str:
    """``name`` wrapped so that its lines fit ``width_px`` at ``fontsize`` (a word longer than the
    width keeps its own line)."""
    char_px = fontsize * dpi / 72 * _CHAR_EM
    return wrap_words(name, max(1, int(width_px * 0.92 / char_px)))


def _draw_terms(ax, tm, y, height, fontsize=10):
    """Terms of office as bars in one lane, each name wrapped to fit its bar; acting terms also
    shaded over the whole axes by the caller."""
    pal = _palette()
    colours = {"elected": pal[0], "acting": pal[1]}
    ppd = _px_per_day(ax)
    for _, t in tm.iterrows():
        left, width = _num(t["start"]), _num(t["end"]) - _num(t["start"])
        bar = ax.barh(y, width, left=left, height=height, color=colours.get(t["role"], pal[7]),
                      edgecolor="white", linewidth=1.5, label=ROLE_LABELS.get(t["role"], t["role"]))
        bar.patches[0].set_gid(f"band:{t['term_id']}")
        label = _fit_wrap(t["holder"], width * ppd - 6, fontsize, ax.figure.dpi)
        ax.text(left + width / 2, y, label, ha="center", va="center", linespacing=1.1,
                fontsize=fontsize, color="white" if t["role"] == "elected" else "black",
                gid=f"bandlabel:{t['term_id']}")


def overflowing_labels(fig, prefix: str = "bandlabel:", bar_prefix: str = "band:") -> list[str]:
    """Ids of the bar labels (gid ``bandlabel:<id>``) whose rendered text is wider or taller than
    their bar (gid ``band:<id>``): empty when every name sits inside its bar."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    renderer = canvas.get_renderer()
    bars, labels = {}, {}
    for ax in fig.axes:
        for p in ax.patches:
            g = p.get_gid()
            if g and g.startswith(bar_prefix):
                bars[g[len(bar_prefix):]] = p.get_window_extent(renderer)
        for t in ax.texts:
            g = t.get_gid()
            if g and g.startswith(prefix):
                labels[g[len(prefix):]] = t.get_window_extent(renderer)
    out = []
    for k, lb in sorted(labels.items()):
        bb = bars.get(k)
        if bb is None or lb.x0 < bb.x0 or lb.x1 > bb.x1 or lb.y0 < bb.y0 or lb.y1 > bb.y1:
            out.append(k)
    return out


def election_timeline(elections: pd.DataFrame, leadership: pd.DataFrame,
                      start="2023-01-01", end="2026-12-31", figsize=(7.5, 5.6)):
    """Chapter A: the 2023–2026 calendar. One lane per election with its events (voting days,
    candidate determinations and inaugurations as large markers with their ISO date, other steps
    as grey ticks), a lane of the mayor's office with elected and acting terms as bars (names
    wrapped to fit), and every acting term shaded across the whole figure."""
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from .nb import FIG_DPI

    pal = _palette()
    ev = timeline_events(elections, start, end)
    tm = terms(leadership, start, end)
    n_lanes = int(ev["lane"].max()) + 1 if len(ev) else 0
    fig = Figure(figsize=figsize, dpi=FIG_DPI)
    ax = fig.add_axes((0.215, 0.27, 0.765, 0.71))
    _year_axis(ax, start, end)
    ax.tick_params(axis="both", labelsize=11)

    for _, t in tm[tm["role"] == "acting"].iterrows():
        span = ax.axvspan(_num(t["start"]), _num(t["end"]), color=pal[1], alpha=0.13, lw=0)
        span.set_gid(f"acting:{t['term_id']}")

    lane_y = {i: n_lanes - i for i in range(n_lanes)}  # first election on top
    term_y = 0
    _draw_terms(ax, tm, term_y, 0.8, fontsize=10)

    date_pt = 10
    # a date label is about ten characters wide: that many days apart, labels do not touch
    gap_days = (10 * date_pt * FIG_DPI / 72 * _CHAR_EM + 8) / _px_per_day(ax)
    kind_colour = {"voting_day": pal[3], "candidate_determination": pal[0], "inauguration": pal[2]}
    for lane, group in ev.groupby("lane", sort=True):
        y = lane_y[lane]
        ax.axhline(y, color="#bbbbbb", lw=0.8, zorder=1)
        placed = []  # (x, side, tier) of date labels already in this lane
        xs = sorted(_num(d) for d in group["date"])
        for _, e in group.iterrows():
            x = _num(e["date"])
            if e["key"]:
                size = 12 if e["kind"] == "inauguration" else 9
                (mk,) = ax.plot([x], [y], marker=KIND_MARKERS[e["kind"]], ms=size,
                                color=kind_colour[e["kind"]], mec="black", mew=0.6, ls="none", zorder=4)
                mk.set_gid(f"event:{e['event_id']}")
                later = [v for v in xs if v > x]
                right_free = (not later or later[0] - x > gap_days) and \
                    x + gap_days < ax.get_xlim()[1]
                side, tier = _free_slot(placed, x, gap_days, right_free)
                placed.append((x, side, tier))
                if side == "right":
                    offset, ha, va = (9, 0), "left", "center"
                else:
                    offset = (0, (8 + 15 * tier) * (1 if side == "up" else -1))
                    ha, va = "center", "bottom" if side == "up" else "top"
                ax.annotate(date_id(e["date"]), (x, y), xytext=offset,
                            textcoords="offset points", ha=ha, va=va, fontsize=date_pt,
                            gid=f"date:{e['event_id']}",
                            bbox=dict(boxstyle="square,pad=0.1", facecolor="white", alpha=0.85, lw=0),
                            arrowprops=dict(arrowstyle="-", color="#666666", lw=0.7,
                                            shrinkA=0, shrinkB=5) if tier else None)
            else:
                (mk,) = ax.plot([x], [y], marker="|", ms=10, mew=1.5, color="#777777", ls="none",
                                zorder=3)
                mk.set_gid(f"event:{e['event_id']}")

    ticks = [term_y] + [lane_y[i] for i in range(n_lanes)]
    names = ["Wali kota"] + [election_label(ev.loc[ev["lane"] == i, "election"].iloc[0])
                             for i in range(n_lanes)]
    ax.set_yticks(ticks, names)
    ax.set_ylim(-0.6, n_lanes + 0.7)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)

    handles = [Line2D([], [], marker=KIND_MARKERS[k], color=kind_colour[k], mec="black", mew=0.6,
                      ls="none", ms=9, label=KIND_LABELS[k]) for k in KEY_KINDS]
    if (~ev["key"]).any():
        handles.append(Line2D([], [], marker="|", color="#777777", ls="none", ms=10, mew=1.5,
                              label="Tahapan lain"))
    roles = [r for r in ("elected", "acting") if r in set(tm["role"])]
    handles += [Patch(color=pal[0] if r == "elected" else pal[1], label=ROLE_LABELS[r]) for r in roles]
    if "acting" in roles:
        handles.append(Patch(color=pal[1], alpha=0.13, label="Masa penjabat (arsiran)"))
    fig.legend(handles=handles, loc="lower center", ncol=2, frameon=False, fontsize=10,
               columnspacing=1.5, handletextpad=0.5, bbox_to_anchor=(0.5, 0.0))
    return fig


#: Who a wave counts (``unit`` in mutations.csv): label in the table and marker in the figure.
UNIT_LABELS = {"ASN": "ASN", "Eselon II officials": "pejabat Eselon II"}
UNIT_MARKERS = {"ASN": "o", "Eselon II officials": "^"}
WAVE_SOURCE_STYLES = {
    (True, False): ("#D55E00", "Disebut makalah, tidak ditemukan di sumber publik"),
    (False, True): ("#0072B2", "Hanya dari sumber publik"),
    (True, True): ("#009E73", "Disebut makalah dan dikonfirmasi sumber publik"),
    (False, False): ("#777777", "Tidak disebut makalah dan tidak ditemukan"),
}


def unit_label(unit) -> str:
    """Indonesian name of who a wave counts (``ASN``, ``pejabat Eselon II``)."""
    return UNIT_LABELS.get(unit, unit) if isinstance(unit, str) else ""


def mutation_timeline(mutations: pd.DataFrame, elections: pd.DataFrame, leadership: pd.DataFrame,
                      windows: pd.DataFrame, approval: pd.DataFrame | None = None,
                      legal_events: pd.DataFrame | None = None,
                      start="2023-01-01", end="2026-12-31", figsize=(7.5, 9.0)):
    """Chapter D.5: the transfer waves on the election calendar.

    Top panel: one lane per Pasal 71 window (bar from its start to its end, hatched where the
    start is inferred rather than stated, a diamond at the candidate determination), the Pasal 162
    windows (a triangle where officials were still held by caretakers), and the mayor's office.
    Bottom panel: each wave with a stated count as a stem whose height is that count, coloured by
    whether the paper states it and whether a public source reports it, shaped by who is counted
    (circle: ASN; triangle: Eselon II officials); a wave counted only in words ("puluhan") is a
    hollow marker in a strip below the axis, never a zero. The Pasal 71 windows are shaded in the
    bottom panel in the colours of their bars; voting days are dashed lines in both panels. The
    legend names every colour, band and marker.
    """
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from .nb import FIG_DPI

    pal = _palette()
    fig = Figure(figsize=figsize, dpi=FIG_DPI)
    top = fig.add_axes((0.25, 0.615, 0.72, 0.33))
    bot = fig.add_axes((0.25, 0.285, 0.72, 0.3), sharex=top)
    for ax in (top, bot):
        _year_axis(ax, start, end)
        ax.tick_params(axis="both", labelsize=10)
    top.tick_params(axis="x", labelbottom=False)

    votes = elections[elections["kind"] == "voting_day"].sort_values("date")
    for _, v in votes.iterrows():
        for ax in (top, bot):
            ln = ax.axvline(_num(v["date"]), color="#444444", ls="--", lw=0.9, zorder=2)
            ln.set_gid(f"vote:{v['event_id']}")
        name = election_label(v["election"]).rsplit(" ", 1)
        top.annotate("\n".join(name), (_num(v["date"]), 1.0),
                     xycoords=("data", "axes fraction"), xytext=(0, 3),
                     textcoords="offset points", ha="center", va="bottom", fontsize=10,
                     color="#333333")

    # lanes in the top panel
    lanes, y = [], 0
    tm = terms(leadership, start, end)
    _draw_terms(top, tm, y, 1.25, fontsize=10)
    lanes.append((y, "Wali kota"))
    y += 0.35
    handles_win = []
    if approval is not None and len(approval):
        for _, w in approval.iterrows():
            y += 1
            b = top.barh(y, _num(w["end"]) - _num(w["start"]), left=_num(w["start"]), height=0.5,
                         color=pal[4], edgecolor="black", linewidth=0.6)
            b.patches[0].set_gid(f"approval:{w['election']}")
            lanes.append((y, "Pasal 162 ayat (3):\nsesudah pelantikan"))
        handles_win.append(Patch(facecolor=pal[4], edgecolor="black", lw=0.6,
                                 label="Jendela Pasal 162 ayat (3)"))
        if legal_events is not None:
            held = legal_events[legal_events["kind"] == "acting_officials_held"]
            for _, h in held.iterrows():
                (mk,) = top.plot([_num(h["date"])], [y], marker="v", ms=9, color="black", ls="none",
                                 zorder=5)
                mk.set_gid(f"legal:{h['event_id']}")
    win_colour = [pal[5], pal[2], pal[0], pal[6]]
    for i, (_, w) in enumerate(windows.sort_values("start", kind="stable").iterrows()):
        y += 1
        end_w = w["end"] if pd.notna(w["end"]) else pd.Timestamp(end)
        colour = win_colour[i % len(win_colour)]
        inferred = w["start_basis"] == "inferred"
        b = top.barh(y, _num(end_w) - _num(w["start"]), left=_num(w["start"]), height=0.5,
                     color=colour, edgecolor="black", linewidth=0.6)
        b.patches[0].set_gid(f"window:{w['election']}")
        if inferred:
            b.patches[0].set_hatch("///")
        basis = "awal dihitung" if inferred else "awal menurut sumber"
        lanes.append((y, f"Pasal 71:\n{election_label(w['election'])}\n({basis})"))
        span = bot.axvspan(_num(w["start"]), _num(end_w), color=colour, alpha=0.2, lw=0, zorder=0)
        span.set_gid(f"shade:{w['election']}")
        handles_win.append(Patch(facecolor=colour, edgecolor="black", lw=0.6,
                                 hatch="///" if inferred else None,
                                 label=f"Jendela Pasal 71, {election_label(w['election'])}"
                                       + (" (awal dihitung)" if inferred else "")))
        (dm,) = top.plot([_num(w["determination"])], [y], marker="D", ms=7, color=pal[0],
                         mec="black", mew=0.6, ls="none", zorder=5)
        dm.set_gid(f"determination:{w['election']}")
    top.set_yticks([lane[0] for lane in lanes], [lane[1] for lane in lanes], fontsize=10)
    top.set_ylim(-0.75, y + 0.6)
    top.tick_params(axis="y", length=0)
    top.spines["left"].set_visible(False)

    # waves in the bottom panel
    spans = wave_spans(mutations).set_index("wave_id")
    counts = mutations["count"].dropna()
    ymax = float(counts.max()) * 1.4 if len(counts) else 10.0
    strip = -0.16 * ymax  # the strip below the axis for waves without a number
    has_vague = bool(mutations["count"].isna().any())
    for _, m in mutations.sort_values("wave_id").iterrows():
        key = (bool(m["stated_in_paper"]), bool(m["found_in_public"]))
        colour, _ = WAVE_SOURCE_STYLES[key]
        s = spans.loc[m["wave_id"]]
        x0, x1 = _num(s["first"]), _num(s["last"]) + (1 if s["precision"] == "month" else 0)
        xm = (x0 + x1) / 2
        marker = UNIT_MARKERS.get(m["unit"], "s")
        if pd.notna(m["count"]):
            height = float(m["count"])
            bot.vlines(xm, 0, height, color=colour, lw=2.2, zorder=3)
            (mk,) = bot.plot([xm], [height], marker=marker, ms=9, color=colour, mec="black",
                             mew=0.6, ls="none", zorder=4)
            if s["precision"] == "month":
                bot.hlines(height, x0, x1, color=colour, lw=4, alpha=0.6, zorder=3)
            label = f"{int(m['count']):,}\n{m['wave_id']}"
            bot.annotate(label, (xm, height), xytext=(0, 7), textcoords="offset points",
                         ha="center", va="bottom", fontsize=10, gid=f"wavelabel:{m['wave_id']}")
        else:  # no number: a hollow marker in the strip, never a bar of height zero
            (mk,) = bot.plot([xm], [strip], marker=marker, ms=10, mfc="white", mec=colour,
                             mew=2.2, ls="none", zorder=4)
            if s["precision"] == "month":
                bot.hlines(strip, x0, x1, color=colour, lw=4, alpha=0.6, zorder=3)
            word = {"tens": "\"puluhan\""}.get(m["count_qualifier"], "tanpa angka")
            bot.annotate(f"{m['wave_id']}: {word}, jumlah tidak disebut", (xm, strip),
                         xytext=(9, 0), textcoords="offset points", ha="left", va="center",
                         fontsize=10,
                         gid=f"wavelabel:{m['wave_id']}",
                         bbox=dict(boxstyle="square,pad=0.1", facecolor="white", alpha=0.85, lw=0))
        mk.set_gid(f"wave:{m['wave_id']}")
    if has_vague:
        band = bot.axhspan(strip * 1.6, strip * 0.4, color="#eeeeee", lw=0, zorder=0)
        band.set_gid("strip:no-count")
        bot.axhline(0, color="black", lw=0.8, zorder=2)
        bot.set_ylim(strip * 1.6, ymax)
        ticks = [t for t in bot.get_yticks() if 0 <= t <= ymax]
        bot.set_yticks(ticks + [strip], [f"{int(t):,}" for t in ticks] + ["tanpa\nangka"])
    else:
        bot.set_ylim(0, ymax)
    bot.set_ylabel("Jumlah orang yang dimutasi", fontsize=10)

    # legend: every colour, band and marker used
    present = {(bool(a), bool(b)) for a, b in zip(mutations["stated_in_paper"], mutations["found_in_public"])}
    handles = [Line2D([], [], color=c, lw=2.5, label=lab)
               for k, (c, lab) in WAVE_SOURCE_STYLES.items() if k in present]
    units_exact = [u for u in UNIT_MARKERS if (mutations["count"].notna() & (mutations["unit"] == u)).any()]
    for u in units_exact:
        handles.append(Line2D([], [], marker=UNIT_MARKERS[u], color="#555555", mec="black", mew=0.6,
                              ls="none", ms=9, label=f"Jumlah {UNIT_LABELS[u]}"))
    if has_vague:
        handles.append(Line2D([], [], marker="o", mfc="white", mec="#555555", mew=2, ls="none", ms=9,
                              label="Jumlah tidak disebut (\"puluhan\")"))
    handles += handles_win
    handles.append(Line2D([], [], marker="D", color=pal[0], mec="black", mew=0.6, ls="none", ms=7,
                          label="Penetapan pasangan calon"))
    if legal_events is not None and (legal_events["kind"] == "acting_officials_held").any():
        handles.append(Line2D([], [], marker="v", color="black", ls="none", ms=8,
                              label="Jabatan masih dipegang Plt"))
    handles.append(Line2D([], [], color="#444444", ls="--", lw=0.9, label="Hari pemungutan suara"))
    roles = [r for r in ("elected", "acting") if r in set(tm["role"])]
    handles += [Patch(color=pal[0] if r == "elected" else pal[1], label=ROLE_LABELS[r]) for r in roles]
    for h in handles:
        h.set_label(wrap_words(h.get_label(), 34))
    fig.legend(handles=handles, loc="lower center", ncol=2, frameon=False, fontsize=10,
               columnspacing=1.2, handletextpad=0.5, labelspacing=0.45, bbox_to_anchor=(0.5, 0.0))
    return fig


def artists_by_gid(fig, prefix: str) -> list[str]:
    """The gids starting with ``prefix`` of everything drawn in ``fig`` (sorted): the way tests
    and readers can ask what a figure shows."""
    found = set()
    for ax in fig.axes:
        for art in ax.get_children():
            gid = art.get_gid()
            if gid and gid.startswith(prefix):
                found.add(gid)
            if hasattr(art, "patches"):
                for p in art.patches:
                    g = p.get_gid()
                    if g and g.startswith(prefix):
                        found.add(g)
    return sorted(found)
