"""Transfer waves (mutasi): their date spans, their position against the legal windows and
the next voting day, totals, and the paper's aggregate claims about them.

:func:`wave_position` is the one classifier of a wave against the UU 10/2016 windows: chapters
D.5, E and Statistik all read a wave's position from it, so they cannot disagree."""

from __future__ import annotations

import math

import pandas as pd

from . import vocab
from .bib import merge_keys
from .calendar import heads_during, legal_windows
from .data import DataError
from .text import date_id

__all__ = ["TENS_RANGE", "wave_spans", "wave_position", "paper_wave_claims", "mutation_totals",
           "unit_label", "record_of", "wave_heads", "waves_table", "calendar_table",
           "head_candidacies", "ran_state", "ran_phrase", "holder_name", "wave_candidacy",
           "wave_candidacy_table", "assumed_month_heads",
           "check_event_pairs", "event_pairs_table", "without_unresolved", "merge_waves",
           "readings", "readings_table", "head_results", "head_results_phrase",
           "pair_waves"]

#: What the word "puluhan" (tens) allows as a count: at least ten, fewer than a hundred.
TENS_RANGE = (10, 99)
#: Order of the positions, strongest first: a wave is as "inside" as its best window allows.
_RANK = {"inside": 2, "partly": 1, "outside": 0}


def _month_or_day(text: str):
    if len(text) == 7:
        first = pd.Timestamp(text + "-01")
        return first, first + pd.offsets.MonthEnd(0), "month"
    if len(text) == 10:
        return pd.Timestamp(text), pd.Timestamp(text), "day"
    raise ValueError(text)


def wave_spans(mutations: pd.DataFrame) -> pd.DataFrame:
    """Each wave with the span its date allows: a day, the whole month for ``YYYY-MM``, or, when
    the optional ``date_to`` is given, from ``date`` to the end of ``date_to`` (an interval of
    months, e.g. "akhir tahun 2023" read as 2023-10 to 2023-12; precision ``month``). ``label``
    is the date as the book writes it (``2023-10–2023-12`` for an interval) and ``assumed`` is
    True when ``date_basis`` is ``assumed``."""
    rows = []
    has_to = "date_to" in mutations.columns
    has_basis = "date_basis" in mutations.columns
    for i, r in enumerate(mutations.itertuples(index=False)):
        text = str(r.date)
        to = r.date_to if has_to else None
        to = None if to is None or pd.isna(to) or not str(to).strip() else str(to)
        try:
            first, last, precision = _month_or_day(text)
            label = text
            if to is not None:
                _, last, p_to = _month_or_day(to)
                precision = "month" if "month" in (precision, p_to) else "day"
                label = f"{text}–{to}"
                if last < first:
                    raise ValueError(to)
        except ValueError:
            raise DataError(f"data/mutations.csv, line {i + 2} (data row {i + 1}), column "
                            f"'{'date_to' if to is not None else 'date'}': {text!r}"
                            f"{' to ' + repr(to) if to is not None else ''} (wave {r.wave_id}) is "
                            "not an existing date (YYYY-MM-DD) or month (YYYY-MM), or ends before "
                            "it starts") from None
        assumed = has_basis and str(r.date_basis) == "assumed"
        rows.append({"wave_id": r.wave_id, "first": first, "last": last, "precision": precision,
                     "label": label, "assumed": assumed})
    return pd.DataFrame(rows, columns=["wave_id", "first", "last", "precision", "label", "assumed"])


def _classify(first, last, windows: pd.DataFrame) -> tuple[str, list[str]]:
    """``inside`` when the span lies wholly in a window, ``partly`` when it only overlaps one,
    ``outside`` otherwise; with the ids of every window the span touches. A window without an
    end (no inauguration yet) is open: it runs on."""
    status, hit = "outside", []
    for _, w in windows.iterrows():
        w_end = w["end"] if pd.notna(w["end"]) else pd.Timestamp.max
        if first >= w["start"] and last <= w_end:
            status = "inside"
            hit.append(w["window_id"])
        elif last >= w["start"] and first <= w_end:
            status = "partly" if status != "inside" else status
            hit.append(w["window_id"])
    return status, hit


def wave_position(mutations: pd.DataFrame, elections: pd.DataFrame,
                  legal_events: pd.DataFrame | None = None,
                  windows: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each wave against the legal windows (:func:`netralitas.calendar.legal_windows`) and the
    next voting day: the one rule every chapter uses.

    Columns: ``wave_id``, ``date``, ``first``/``last`` (the span: a day, or the whole month),
    ``precision``, ``count``; ``pasal71`` and ``pasal162`` (``inside``/``partly``/``outside``)
    with ``pasal71_windows``/``pasal162_windows`` (window ids, ``;``-separated) and
    ``pasal71_elections``; ``inside`` = the strongest position against any window, with
    ``window`` (ids) and ``window_label``; ``next_vote`` (event id or ``–``),
    ``next_vote_date``, ``next_vote_label``; ``estimate``/``lower``/``upper`` = days to it (from
    the middle, the last and the first day of the span); ``after_window`` and
    ``after_lower``/``after_upper`` = the last window that ended before the wave and the days
    since; ``wave_source`` and ``source``; ``reading`` (one Indonesian sentence)."""
    if windows is None:
        windows = legal_windows(elections, legal_events)
    votes = elections[elections["kind"] == "voting_day"].sort_values(["date", "event_id"])
    labels = windows.set_index("window_id")["label"]
    spans = wave_spans(mutations).set_index("wave_id")
    order = mutations.assign(_f=mutations["wave_id"].map(spans["first"]))
    rows = []
    for _, w in order.sort_values(["_f", "wave_id"], kind="stable").iterrows():
        s = spans.loc[w["wave_id"]]
        start, end, precision = s["first"], s["last"], s["precision"]
        row = {"wave_id": w["wave_id"], "date": str(w["date"]), "first": start, "last": end,
               "precision": precision, "count": w["count"]}
        best, ids_all = "outside", []
        for rule in ("p71", "p162"):
            status, ids = _classify(start, end, windows[windows["rule"] == rule])
            key = "pasal71" if rule == "p71" else "pasal162"
            row[key], row[f"{key}_windows"] = status, ";".join(ids)
            if rule == "p71":
                row["pasal71_elections"] = ";".join(
                    windows.set_index("window_id").loc[ids, "election"]) if ids else ""
            if _RANK[status] > _RANK[best]:
                best = status
            ids_all += ids
        row["inside"], row["window"] = best, ";".join(ids_all) or "–"
        row["window_label"] = ", ".join(labels[i] for i in ids_all) or "–"
        nxt = votes[votes["date"] >= start]
        mid = start if precision == "day" else start + (end - start) / 2
        row["date_label"] = s["label"] + (" (asumsi buku ini)" if s["assumed"] else "")
        if nxt.empty:
            row.update({"next_vote": "–", "next_vote_date": pd.NaT, "next_vote_label": "–",
                        "estimate": math.nan, "lower": math.nan, "upper": math.nan})
            when = "tidak ada hari pemungutan suara sesudahnya dalam data"
        else:
            v = nxt.iloc[0]
            name = vocab.election(v["election"])
            row.update({"next_vote": v["event_id"], "next_vote_date": v["date"],
                        "next_vote_label": f"{name}, {date_id(v['date'])}",
                        "estimate": float((v["date"] - mid).days),
                        "lower": float(max(0, (v["date"] - end).days)),
                        "upper": float((v["date"] - start).days)})
            if precision == "day":
                when = f"{int(row['estimate'])} hari sebelum pemungutan suara {name}"
            else:
                known = ("rentang bulan dibaca buku ini dari kata-kata makalah" if s["assumed"]
                         else "hanya bulannya diketahui")
                when = (f"{int(row['lower'])}–{int(row['upper'])} hari sebelum pemungutan suara "
                        f"{name} ({known})")
        before = windows[windows["end"].notna() & (windows["end"] < start)].sort_values("end")
        where = {"inside": "di dalam jendela " + row["window_label"],
                 "partly": "sebagian di dalam jendela " + row["window_label"],
                 "outside": "di luar jendela larangan"}[best]
        if before.empty:
            row.update({"after_window": "–", "after_lower": math.nan, "after_upper": math.nan})
        else:
            last = before.iloc[-1]
            a, z = (start - last["end"]).days, (end - last["end"]).days
            row.update({"after_window": last["window_id"], "after_lower": float(a),
                        "after_upper": float(z)})
            if best == "outside":
                span = f"{a}" if a == z else f"{a}–{z}"
                where += f" ({span} hari sesudah jendela {last['label']} berakhir)"
        count = f"{int(w['count'])} orang" if pd.notna(w["count"]) else "jumlah tidak pasti"
        row.update({
            "method": "tanggal tepat" if precision == "day" else "bulan saja: rentang seluruh bulan",
            "wave_source": merge_keys(w["source"]),
            "n": w["count"],
            "reading": f"{count.capitalize()}; {where}; {when}.",
            "source": merge_keys(w["source"], *windows[windows["window_id"].isin(ids_all)]["source"],
                                 nxt.iloc[0]["source"] if not nxt.empty else None),
        })
        rows.append(row)
    out = pd.DataFrame(rows)
    for c in ("n", "count"):
        out[c] = out[c].astype("Int64")
    return out


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


def unit_label(unit) -> str:
    """Indonesian name of who a wave counts (``ASN``, ``pejabat Eselon II``)."""
    return vocab.label("wave_unit", unit) if isinstance(unit, str) else ""


def record_of(stated_in_paper, found_in_public) -> str:
    """Where a wave is recorded: ``paper_only``, ``public_only``, ``both`` or ``neither``
    (a term of the ``wave_record`` vocabulary)."""
    a, b = bool(stated_in_paper), bool(found_in_public)
    return {(True, False): "paper_only", (False, True): "public_only", (True, True): "both",
            (False, False): "neither"}[(a, b)]


def wave_heads(mutations: pd.DataFrame, leadership: pd.DataFrame) -> pd.DataFrame:
    """Who headed the city during each wave's span: ``wave_id``, ``heads`` (names with their role,
    for tables), ``acting`` (True when every head in the span was an acting mayor) and
    ``record`` (:func:`record_of`), so that counts are taken from data, not from table text."""
    spans = wave_spans(mutations).set_index("wave_id")
    rows = []
    for _, m in mutations.iterrows():
        w = m["wave_id"]
        h = heads_during(leadership, spans.loc[w, "first"], spans.loc[w, "last"])
        rows.append({"wave_id": w,
                     "heads": "; ".join(holder_name(r, vocab.label("role", r.role, short=True))
                                        for r in h.itertuples()) or "–",
                     "acting": bool(len(h)) and bool((h["role"] == "acting").all()),
                     "head_status": _head_status(h),
                     "record": record_of(m["stated_in_paper"], m["found_in_public"])})
    return pd.DataFrame(rows, columns=["wave_id", "heads", "acting", "head_status", "record"])


def _head_status(h: pd.DataFrame) -> str:
    """``acting`` / ``elected`` when every head in the span had that role, ``undetermined`` when
    the span covers both (e.g. an interval across a hand-over), ``–`` when nobody is known."""
    roles = set(h["role"])
    if not roles:
        return "–"
    return next(iter(roles)) if len(roles) == 1 else "undetermined"


def waves_table(mutations: pd.DataFrame, position: pd.DataFrame | None = None,
                leadership: pd.DataFrame | None = None) -> pd.DataFrame:
    """The transfer waves in date order with their count and who is counted (in Indonesian),
    where they are recorded (the paper, public sources), (if ``leadership`` is given) who headed
    the city then, and (if ``position`` from :func:`wave_position` is given) where they fall
    against the Pasal 71 windows. The scope column of the data is left out to keep it narrow."""
    spans = wave_spans(mutations).set_index("wave_id")
    m = mutations.assign(_first=mutations["wave_id"].map(spans["first"]))
    m = m.sort_values(["_first", "wave_id"], kind="stable")

    def count(r):  # the number (or its wording) followed by who is counted, in Indonesian
        q = r["count_qualifier"]
        word = "" if (pd.isna(q) or q == "exact") else vocab.label("count_qualifier", q)
        if pd.isna(r["count"]):
            n = word or "–"
        else:
            n = f"{word} {int(r['count']):,}".strip()
        unit = unit_label(r["unit"])
        return f"{n} {unit}" if unit else n

    out = pd.DataFrame({
        "Gelombang": m["wave_id"].to_numpy(),
        "Waktu": [spans.loc[w, "label"] + (" (asumsi buku ini)" if spans.loc[w, "assumed"] else "")
                  for w in m["wave_id"]],
        "Jumlah": [count(r) for _, r in m.iterrows()],
        "Tercatat di": [vocab.label("wave_record", record_of(a, b)) for a, b in
                        zip(m["stated_in_paper"].fillna(False), m["found_in_public"].fillna(False))],
    })
    if leadership is not None:
        heads = wave_heads(mutations, leadership).set_index("wave_id")
        out["Kepala daerah"] = [heads.loc[w, "heads"] for w in m["wave_id"]]
    if position is not None:
        pos = position.set_index("wave_id")
        out["Jendela Pasal 71"] = [vocab.label("window_position", pos.loc[w, "pasal71"])
                                   for w in m["wave_id"]]
    out["Sumber"] = m["source"].to_numpy()
    return out.reset_index(drop=True)


def calendar_table(position: pd.DataFrame) -> pd.DataFrame:
    """:func:`wave_position` for the statistics chapter: count, position against any legal window
    (with the windows named) and days to the next voting day (sources: the waves themselves)."""
    days = []
    for _, w in position.iterrows():
        if w["next_vote"] == "–":
            days.append("– (tidak ada pemungutan suara sesudahnya dalam data)")
        else:
            span = (f"{w['lower']:.0f}" if w["lower"] == w["upper"]
                    else f"{w['lower']:.0f}–{w['upper']:.0f}")
            days.append(f"{span} ({w['next_vote_label']})")
    return pd.DataFrame({
        "Gelombang (ID, tanggal)": [f"{i}, {d}" for i, d in zip(
            position["wave_id"], position["date_label"] if "date_label" in position else position["date"])],
        "Jumlah": ["tidak pasti" if pd.isna(c) else f"{int(c):,}" for c in position["count"]],
        "Dalam jendela larangan": [vocab.label("window_position", i, short=True)
                                   + (f" ({lab})" if lab != "–" else "")
                                   for i, lab in zip(position["inside"], position["window_label"])],
        "Hari sampai pemungutan suara berikutnya": days,
        "Sumber": position["wave_source"],
    }).reset_index(drop=True)



# ------------------------------------------------------------------ candidacies and event pairs

CANDIDACIES_FILE = "data/candidacies.csv"
PAIRS_FILE = "data/event_pairs.csv"


def _row(i: int) -> str:
    return f"line {i + 2} (data row {i + 1})"


def head_candidacies(leadership: pd.DataFrame, candidacies: pd.DataFrame,
                     elections: pd.DataFrame) -> pd.DataFrame:
    """Whether each head of the city ran in each later city mayoral election: one row per term
    of office and election whose voting day falls on or after the term's first day (a term with
    no start date comes before every election), with ``ran`` (a term of the ``head_ran``
    vocabulary) and the ``candidacy_ids`` it rests on. The one rule, by name and never typed:

    - ``yes`` when the holder's full name is the mayoral or deputy candidate of a pair;
    - ``no`` when the holder's full name is in no pair of that election;
    - ``not_known`` when the sources give the holder only a nickname (``holder_basis``), which
      no candidate's printed name can be matched to."""
    votes = _city_votes(elections, candidacies).drop_duplicates("election")
    rows = []
    for t in leadership.itertuples(index=False):
        nickname = getattr(t, "holder_basis", "full_name") == "nickname"
        for v in votes.itertuples(index=False):
            if pd.notna(t.start) and v.date < t.start:
                continue
            pairs = candidacies[candidacies["election"] == v.election]
            hit = pairs[(pairs["mayor_candidate"] == t.holder) | (pairs["deputy_candidate"] == t.holder)]
            ran = "not_known" if nickname else "yes" if len(hit) else "no"
            rows.append({"term_id": t.term_id, "holder": t.holder, "election": v.election,
                         "ran": ran, "candidacy_ids": ";".join(hit["candidacy_id"]) if ran == "yes" else ""})
    return pd.DataFrame(rows, columns=["term_id", "holder", "election", "ran", "candidacy_ids"])


def ran_state(links: pd.DataFrame) -> str:
    """One ``head_ran`` term for a set of :func:`head_candidacies` rows (e.g. the heads of one
    wave in one election): ``yes`` if any ran, else ``not_known`` if any is not known, else
    ``no``."""
    states = set(links["ran"])
    return "yes" if "yes" in states else "not_known" if "not_known" in states else "no"


def ran_phrase(links: pd.DataFrame, candidacies: pd.DataFrame | None = None,
               lang: str = "id") -> str:
    """:func:`ran_state` of a term's rows in words for prose, with the elections it ran in when
    it did (``"ya: Pilkada 2024"``; with ``candidacies``, how each of those pairs fared, by
    :func:`head_results_phrase`)."""
    state = ran_state(links)
    text = vocab.labels("head_ran", "label_en" if lang == "en" else "label_id")[state]
    if state == "yes":
        text += ": " + (head_results_phrase(head_results(candidacies, links)) if candidacies is not None
                        and lang != "en" else ", ".join(vocab.election(e, lang=lang) for e in dict.fromkeys(
                            links.loc[links["ran"] == "yes", "election"])))
    return text


def holder_name(r, *notes: str) -> str:
    """A head's name for prose and tables, with ``notes`` in brackets; a holder the sources give
    only a nickname says so (``"Molen (terpilih; nama panggilan)"``). ``r``: a row of
    ``leadership.csv`` (Series or named tuple)."""
    row = r._asdict() if hasattr(r, "_asdict") else r
    notes = list(notes)
    if row.get("holder_basis", "full_name") == "nickname":
        notes.append(vocab.label("holder_basis", "nickname", short=True))
    return row["holder"] + (f" ({'; '.join(notes)})" if notes else "")


def _city_votes(elections: pd.DataFrame, candidacies: pd.DataFrame) -> pd.DataFrame:
    """Voting days of the elections that have candidacies (city mayoral elections), by date."""
    v = elections[(elections["kind"] == "voting_day")
                  & elections["election"].isin(set(candidacies["election"]))]
    return v.sort_values(["date", "event_id"])


def wave_candidacy(mutations: pd.DataFrame, leadership: pd.DataFrame,
                   candidacies: pd.DataFrame, elections: pd.DataFrame) -> pd.DataFrame:
    """For each wave (date order): who headed the city during its span (``term_ids``,
    ``heads``), whether every head was acting (``acting``), the next city mayoral election after
    the wave (``next_election``, ``–`` if none in the data) and whether a head of the wave ran in
    it (``head_ran_next``: a ``head_ran`` term by :func:`head_candidacies`' rule, ``no_next`` when
    there is no next election in the data), the elections any head of the wave ran in
    (``head_ran_any``, ``;``-list), and
    ``date_basis`` (``assumed`` when the month is this book's reading of vaguer wording),
    ``head_status`` (``acting``/``elected``/``undetermined``), ``timed_to`` (the election of the
    next voting day of any election), ``incumbency_test`` (a term of the ``incumbency_test``
    vocabulary: the paper's incumbency reading is tested only for a wave whose next voting day
    is a city mayoral election, ``ran``/``did_not_run``, or ``not_known`` when whether the head
    ran cannot be told from the data; ``not_tested`` when the next vote is
    another election, e.g. Pemilu 2024, for which the paper argues vote-seeking for others, not a
    head's own re-election; ``undetermined`` when the span covers an elected and an acting head;
    ``no_next`` when the data hold no later city election) and ``source`` (the terms of office
    and the next election's candidacies)."""
    links = head_candidacies(leadership, candidacies, elections)
    spans = wave_spans(mutations).set_index("wave_id")
    votes = _city_votes(elections, candidacies)
    all_votes = elections[elections["kind"] == "voting_day"].sort_values(["date", "event_id"])
    lead_src = dict(zip(leadership["term_id"], leadership["source"]))
    cand_src = {e: merge_keys(*g["source"]) for e, g in candidacies.groupby("election", sort=False)}
    basis = (mutations.set_index("wave_id")["date_basis"] if "date_basis" in mutations.columns
             else pd.Series("stated", index=mutations["wave_id"]))
    rows = []
    for w in sorted(mutations["wave_id"], key=lambda x: (spans.loc[x, "first"], x)):
        first, last = spans.loc[w, "first"], spans.loc[w, "last"]
        h = heads_during(leadership, first, last)
        terms = list(h["term_id"])
        nxt = votes[votes["date"] >= last]
        next_el = nxt.iloc[0]["election"] if len(nxt) else "–"
        mine = links[links["term_id"].isin(terms)]
        timed = all_votes[all_votes["date"] >= last]
        timed_to = timed.iloc[0]["election"] if len(timed) else "–"
        status = _head_status(h)
        ran_next = "no_next" if next_el == "–" else ran_state(mine[mine["election"] == next_el])
        if next_el == "–":
            test = "no_next"
        elif timed_to != next_el:
            test = "not_tested"
        elif status == "undetermined":
            test = "undetermined"
        else:
            test = {"yes": "ran", "no": "did_not_run"}.get(ran_next, "not_known")
        rows.append({
            "wave_id": w, "term_ids": ";".join(terms),
            "heads": "; ".join(holder_name(r, vocab.label("role", r.role, short=True))
                               for r in h.itertuples()) or "–",
            "acting": bool(len(h)) and bool((h["role"] == "acting").all()),
            "next_election": next_el,
            "head_ran_next": ran_next,
            "head_ran_any": ";".join(dict.fromkeys(mine.loc[mine["ran"] == "yes", "election"])),
            "date_basis": str(basis.get(w, "stated")),
            "head_status": status, "timed_to": timed_to, "incumbency_test": test,
            "source": merge_keys(*[lead_src[t] for t in terms], cand_src.get(next_el)),
        })
    return pd.DataFrame(rows, columns=["wave_id", "term_ids", "heads", "acting", "next_election",
                                       "head_ran_next", "head_ran_any", "date_basis",
                                       "head_status", "timed_to", "incumbency_test", "source"])


def assumed_month_heads(mutations: pd.DataFrame, leadership: pd.DataFrame,
                        links: pd.DataFrame) -> pd.DataFrame:
    """For each wave whose month is assumed (``date_basis == "assumed"``): the head in office in
    the assumed month (``head``, ``term_id``), the day that head took office (``since``), the head
    before (``previous``, ``previous_term``), whether the previous head ever ran later
    (``previous_ran``: :func:`ran_state` of its :func:`head_candidacies` rows ``links``, ``–``
    when there is no previous head) and the elections it ran in (``previous_ran_in``,
    ``;``-list), so a chapter can say whose wave it is if the month is wrong."""
    if "date_basis" not in mutations.columns:
        return pd.DataFrame(columns=["wave_id", "head", "term_id", "since", "previous",
                                     "previous_term", "previous_ran", "previous_ran_in"])
    spans = wave_spans(mutations).set_index("wave_id")
    lead = leadership.sort_values("start", na_position="first").reset_index(drop=True)
    rows = []
    for w in mutations.loc[mutations["date_basis"] == "assumed", "wave_id"]:
        h = heads_during(leadership, spans.loc[w, "last"], spans.loc[w, "last"])
        if h.empty:
            continue
        cur = h.iloc[-1]
        pos = lead.index[lead["term_id"] == cur["term_id"]][0]
        prev = lead.iloc[pos - 1] if pos > 0 else None
        mine = links[links["term_id"] == (prev["term_id"] if prev is not None else "")]
        rows.append({"wave_id": w, "head": cur["holder"], "term_id": cur["term_id"],
                     "role": cur["role"], "since": cur["start"],
                     "previous": prev["holder"] if prev is not None else "–",
                     "previous_term": prev["term_id"] if prev is not None else "–",
                     "previous_role": prev["role"] if prev is not None else "–",
                     "previous_ran": ran_state(mine) if prev is not None else "–",
                     "previous_ran_in": ";".join(dict.fromkeys(mine.loc[mine["ran"] == "yes", "election"]))})
    return pd.DataFrame(rows)


def wave_candidacy_table(candidacy: pd.DataFrame, candidacies: pd.DataFrame) -> pd.DataFrame:
    """:func:`wave_candidacy` for a chapter: per wave, who headed the city, whether the month is
    assumed, the next city mayoral election and whether that head ran in it, with the candidate
    pairs of that election (result and votes) and their sources."""
    pairs = {}
    for e, g in candidacies.groupby("election", sort=False):
        pairs[e] = "; ".join(
            f"{r.mayor_candidate}–{r.deputy_candidate} "
            f"({vocab.label('candidacy_result', r.result, short=True)}"
            + (f", {int(r.votes):,} suara" if pd.notna(r.votes) else "") + ")"
            for r in g.itertuples())
    return pd.DataFrame({
        "Gelombang": candidacy["wave_id"],
        "Kepala daerah": [h + (" (waktu: asumsi buku ini; kepala daerah belum tentu)"
                               if b == "assumed" and st == "undetermined"
                               else " (waktu: asumsi buku ini)" if b == "assumed" else "")
                          for h, b, st in zip(candidacy["heads"], candidacy["date_basis"],
                                              candidacy["head_status"])],
        "Pemilihan wali kota berikutnya": [vocab.election(e) if e != "–" else "– (tidak ada dalam data)"
                                           for e in candidacy["next_election"]],
        "Pasangan calon": [pairs.get(e, "–") for e in candidacy["next_election"]],
        "Kepala daerah itu mencalonkan diri?": [vocab.label("head_ran", v, short=True)
                                                for v in candidacy["head_ran_next"]],
        "Uji tafsir petahana": [vocab.label("incumbency_test", v) for v in candidacy["incumbency_test"]],
        "Sumber": candidacy["source"],
    }).reset_index(drop=True)


def check_event_pairs(pairs: pd.DataFrame, frames: dict, where: str = PAIRS_FILE) -> None:
    """Both rows of every pair exist in the file the pair names (``frames``: resource name ->
    frame; the key is the frame's first column), and a ``merged`` pair leaves only one row."""
    for i, r in enumerate(pairs.itertuples(index=False)):
        frame = frames.get(r.table)
        if frame is None:
            raise DataError(f"{where}, {_row(i)}, column 'table': no data for '{r.table}'")
        ids = set(frame.iloc[:, 0].astype(str))
        for col in ("event_a", "event_b"):
            v = getattr(r, col)
            if r.treatment == "merged" and col == "event_b":
                if v in ids:
                    raise DataError(f"{where}, {_row(i)}, column 'event_b': pair is merged but "
                                    f"'{v}' is still a row of {r.table}.csv")
                continue
            if v not in ids:
                raise DataError(f"{where}, {_row(i)}, column '{col}': '{v}' is not a row of "
                                f"{r.table}.csv")


def event_pairs_table(pairs: pd.DataFrame) -> pd.DataFrame:
    """The checked pairs for a chapter: the two rows, the verdict, what speaks for one event and
    for two, how the book counts them, and the sources."""
    return pd.DataFrame({
        "Pasangan": [f"{p}: {a} / {b}" for p, a, b in zip(pairs["pair_id"], pairs["event_a"],
                                                          pairs["event_b"])],
        "Putusan": [f"{vocab.label('pair_verdict', v)}; {vocab.label('pair_treatment', t, short=True)}"
                    for v, t in zip(pairs["verdict"], pairs["treatment"])],
        "Berkas": [f"`{t}.csv`" for t in pairs["table"]],
        "Tanda satu peristiwa": pairs["for_same"],
        "Tanda dua peristiwa": pairs["for_distinct"],
        "Penghitungan": pairs["counting"],
        "Sumber": pairs["source"],
    }).reset_index(drop=True)


def merge_waves(mutations: pd.DataFrame, pairs: pd.DataFrame, pair_ids=None) -> pd.DataFrame:
    """The waves with the wave pairs ``pair_ids`` (all pairs of table ``mutations`` if None)
    counted as one event each; pairs sharing a wave merge into one event. The row kept for an
    event is the one found in public sources (its date and count are the confirmed record),
    else one with a stated date and an exact count, else the first; it counts as stated in the
    paper and found in public wherever any merged row was."""
    w = pairs[pairs["table"] == "mutations"]
    if pair_ids is not None:
        w = w[w["pair_id"].isin(list(pair_ids))]
    parent = {x: x for x in mutations["wave_id"]}

    def root(x):
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in zip(w["event_a"], w["event_b"]):
        parent[root(b)] = root(a)
    m = mutations.set_index("wave_id", drop=False)
    paper = m["stated_in_paper"].fillna(False).astype(bool)
    public = m["found_in_public"].fillna(False).astype(bool)
    basis = m["date_basis"] if "date_basis" in m.columns else pd.Series("stated", index=m.index)
    groups: dict = {}
    for x in mutations["wave_id"]:
        groups.setdefault(root(x), []).append(x)
    keep_rows = []
    for members in groups.values():
        rank = sorted(members, key=lambda x: (not public[x],
                                              not (basis[x] == "stated" and pd.notna(m.loc[x, "count"])),
                                              members.index(x)))
        keep = rank[0]
        row = m.loc[keep].copy()
        row["stated_in_paper"] = bool(paper[members].any())
        row["found_in_public"] = bool(public[members].any())
        keep_rows.append(row)
    out = pd.DataFrame(keep_rows).reset_index(drop=True)
    order = mutations["wave_id"].tolist()
    return out.sort_values("wave_id", key=lambda c: c.map(order.index)).reset_index(drop=True)


def without_unresolved(mutations: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """The other reading of the waves: every wave pair whose verdict is ``unresolved`` counted as
    one event (:func:`merge_waves`: the public row's date and count are kept)."""
    w = pairs[(pairs["table"] == "mutations") & (pairs["verdict"] == "unresolved")]
    return merge_waves(mutations, pairs, w["pair_id"].tolist())


def readings(mutations: pd.DataFrame, pairs: pd.DataFrame, leadership: pd.DataFrame,
             elections: pd.DataFrame, legal_events: pd.DataFrame | None = None,
             claims: dict | None = None) -> pd.DataFrame:
    """Per-reading tallies for every combination of the unresolved wave pairs counted as one
    event (none, each alone, all together; pairs in file order), each by :func:`merge_waves`.

    Columns: ``merged`` (pair ids, ``;``), ``n_waves``, ``n_paper`` (events the paper names),
    ``n_both`` (of those, found in public), ``sum_exact``, ``sum_paper_exact``, ``paper_max``
    (with "puluhan" at most :data:`TENS_RANGE`), ``n_acting``/``n_elected``/``n_undetermined``
    (waves by their head: :func:`wave_heads`), ``largest_id``, ``largest_count``,
    ``largest_date`` (the date as written, assumption marked), ``largest_days`` (days to the next
    voting day, ``lower–upper``), ``largest_next`` (that vote) and ``largest_margin`` (persons
    between the largest and the next largest wave); with ``claims``
    (:func:`paper_wave_claims`), ``waves_reached`` and ``asn_reached`` (``ya``/``tidak``/
    ``hanya bila …``)."""
    import itertools

    w = pairs[(pairs["table"] == "mutations") & (pairs["verdict"] == "unresolved")]
    ids = w["pair_id"].tolist()
    rows = []
    for k in range(len(ids) + 1):
        for combo in itertools.combinations(ids, k):
            m = merge_waves(mutations, pairs, combo)
            t = mutation_totals(m)
            heads = wave_heads(m, leadership)
            pos = wave_position(m, elections, legal_events).set_index("wave_id")
            asn = m[(m["unit"] == "ASN") & m["count"].notna()].sort_values("count", ascending=False)
            big = asn.iloc[0]
            second = int(asn.iloc[1]["count"]) if len(asn) > 1 else 0
            p = pos.loc[big["wave_id"]]
            days = (f"{p['lower']:.0f}" if p["lower"] == p["upper"]
                    else f"{p['lower']:.0f}–{p['upper']:.0f}")
            row = {"merged": ";".join(combo), "n_waves": t["n_waves"], "n_paper": t["n_paper"],
                   "n_both": t["n_both"], "sum_exact": t["sum_exact"],
                   "sum_paper_exact": t["sum_paper_exact"], "paper_max": t["paper_max"],
                   "n_acting": int((heads["head_status"] == "acting").sum()),
                   "n_elected": int((heads["head_status"] == "elected").sum()),
                   "n_undetermined": int((heads["head_status"] == "undetermined").sum()),
                   "largest_id": big["wave_id"], "largest_count": int(big["count"]),
                   "largest_date": p["date_label"], "largest_days": days,
                   "largest_next": p["next_vote_label"],
                   "largest_margin": int(big["count"]) - second}
            if claims is not None:
                need_w, need_a = int(claims["waves"]["value"]), int(claims["asn"]["value"])
                row["waves_reached"] = "ya" if t["n_waves"] >= need_w else "tidak"
                if t["sum_exact"] > need_a:
                    row["asn_reached"] = "ya"
                elif t["all_max"] > need_a:
                    row["asn_reached"] = (f"hanya bila gelombang \"puluhan\" sedikitnya "
                                          f"{need_a + 1 - t['sum_exact']} orang")
                else:
                    row["asn_reached"] = "tidak"
            rows.append(row)
    return pd.DataFrame(rows)


def readings_table(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`readings` for a chapter (Indonesian headers; one row per reading)."""
    out = pd.DataFrame({
        "Bacaan": ["semua dihitung terpisah" if not m else
                   "satu peristiwa: " + ", ".join(split_pairs(m)) for m in table["merged"]],
        "Gelombang (disebut makalah; terkonfirmasi publik)": [
            f"{a} ({b}; {c})" for a, b, c in zip(table["n_waves"], table["n_paper"], table["n_both"])],
        "ASN pasti (seluruhnya; makalah)": [f"{a:,} ({b:,})" for a, b in
                                            zip(table["sum_exact"], table["sum_paper_exact"])],
        "Kepala daerah: Pj / terpilih / belum tentu": [
            f"{a} / {b} / {c}" for a, b, c in zip(table["n_acting"], table["n_elected"],
                                                   table["n_undetermined"])],
        "Gelombang ASN terbesar": [
            f"{i}: {n:,} ASN, {d}; {dd} hari sebelum {nx}; selisih {g} orang dari berikutnya"
            for i, n, d, dd, nx, g in zip(table["largest_id"], table["largest_count"],
                                          table["largest_date"], table["largest_days"],
                                          table["largest_next"], table["largest_margin"])],
    })
    if "asn_reached" in table.columns:
        out["Klaim makalah tercapai? (gelombang; ASN)"] = [
            f"{a}; {b}" for a, b in zip(table["waves_reached"], table["asn_reached"])]
    return out


def split_pairs(value) -> list[str]:
    return [x for x in str(value).split(";") if x]


def head_results(candidacies: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """How the pairs that include a sitting or former head fared (``yes`` in
    :func:`head_candidacies`' ``links``; a head whose running is not known is not counted): per
    such candidacy, ``election``,
    ``result``, ``votes``, ``vote_share`` (as the source prints it, may be missing), ``rank``
    by votes among that election's pairs, ``n_pairs`` and ``note`` (the source's other figures,
    e.g. the empty box). Ranks come from the votes in the data, not from prose."""
    rows = []
    ids = {c for v in links.loc[links["ran"] == "yes", "candidacy_ids"] for c in split_pairs(v)}
    for r in candidacies[candidacies["candidacy_id"].isin(ids)].itertuples(index=False):
        g = candidacies[candidacies["election"] == r.election]
        rank = int((g["votes"].astype("Float64") > float(r.votes)).sum()) + 1 if pd.notna(r.votes) else None
        rows.append({"candidacy_id": r.candidacy_id, "election": r.election, "result": r.result,
                     "votes": r.votes, "vote_share": r.vote_share, "rank": rank,
                     "n_pairs": len(g), "note": r.note, "source": r.source})
    return pd.DataFrame(rows, columns=["candidacy_id", "election", "result", "votes", "vote_share",
                                       "rank", "n_pairs", "note", "source"])


def head_results_phrase(results: pd.DataFrame) -> str:
    """:func:`head_results` as one Indonesian phrase for prose (``"Pilkada 2024: kalah …, 35,177
    suara (42.02%), urutan 1 dari 1 pasangan (catatan sumber); …"``)."""
    parts = []
    for r in results.itertuples(index=False):
        text = (f"{vocab.election(r.election)}: {vocab.label('candidacy_result', r.result)}, "
                f"{int(r.votes):,} suara")
        if pd.notna(r.vote_share):
            text += f" ({float(r.vote_share):.2f}%)"
        text += f", urutan {r.rank} dari {r.n_pairs} pasangan"
        if isinstance(r.note, str) and r.note.strip():
            text += f" ({r.note.strip().rstrip('.')})"
        parts.append(text)
    return "; ".join(parts) or "–"


def pair_waves(pairs: pd.DataFrame, mutations: pd.DataFrame) -> list[str]:
    """Each wave pair as words for prose: ``"M2023-01 (139 orang) dan M2024-01 (140 orang)"``; a
    wave without a number shows its wording (``"puluhan"``)."""
    m = mutations.set_index("wave_id")

    def size(w):
        c, q = m.loc[w, "count"], m.loc[w, "count_qualifier"]
        if pd.notna(c):
            return f"{int(c)} orang"
        return vocab.label("count_qualifier", q) if isinstance(q, str) else "jumlah tidak disebut"

    return [f"{a} ({size(a)}) / {b} ({size(b)})" for a, b in zip(pairs["event_a"], pairs["event_b"])]
