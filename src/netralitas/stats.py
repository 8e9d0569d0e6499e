"""Comparative statistics: Pangkalpinang against national and provincial baselines.

The paper is qualitative; this module adds what a careful quantitative reader would ask, and
treats small counts honestly: exact intervals, exact tests, and a power analysis that says what
a follow-up study would need.

Every table function returns a tidy :class:`pandas.DataFrame` with the columns

``estimate``, ``lower``, ``upper``
    the point estimate and its interval (``NaN`` where no interval applies, e.g. for census
    counts, and the reading says why);
``method``
    how the estimate and interval were obtained;
``n``
    the count that drives the uncertainty (documented per function);
``reading``
    one plain-language sentence in Indonesian;

plus the identifying columns of the row and a ``source`` column (``;``-separated bib keys),
so that each result can be traced to its data row and source.

Which city cases count as *proven* (``definition``):

``"strict"``
    Bawaslu publicly ruled the act a violation (``ruled_by == "bawaslu"``) **and** a sanction
    was announced publicly (``sanction_rank >= 1`` and ``public_record == "confirmed"``);
``"paper"``
    the paper records a sanction (``sanction_rank >= 1``) and the public record does not
    dispute the case (``public_record != "disputed"``: a case whose sanctioning official publicly
    judged the act permissible is never counted as proven).

The national counts come from two bodies that count differently: KASN counts civil servants
reported to it and those it found in violation (Pilkada 2020, Pemilu 2024); Bawaslu counts
findings and reports that it ruled to be violations (Pilkada 2024). Rates are per 1,000 ASN per
election (one election = one period of exposure), not per year.

statsmodels and scipy are imported inside the functions that use them (importing them costs
about a second; chapters that do not use this module do not pay for it). The chapter's display
tables are in :mod:`netralitas.stats_tables`, its figures in :mod:`netralitas.plots.stats`."""

from __future__ import annotations

import functools
import math

import numpy as np
import pandas as pd

from . import vocab
from .bib import merge_keys
from .indicators import closest_in_time, within_count

__all__ = ["ALPHA", "TIDY", "DEFINITIONS", "COUNTING", "SELECTION", "poisson_ci", "clopper_pearson",
           "rate_ratio", "city_proven", "city_sanctioned", "national_proven", "rerun_of",
           "incidence", "incidence_row", "holm",
           "binomial_vs_shares", "position_profile", "share_context", "sanction_outcomes", "provincial_share",
           "CITY_OUTCOME", "power_rr", "required_exposure", "power_exact", "power_simulated",
           "required_exposure_exact", "exact_cond_region", "power_table", "power_curve",
           "POWER_TAIL", "POWER_GRID_PER_DECADE", "POWER_CHECK_SPAN"]


def _asn_rows(indicators: pd.DataFrame, scope: str) -> pd.DataFrame:
    asn = indicators[(indicators["scope"] == scope) & (indicators["indicator"] == "asn_total")]
    if asn.empty:
        raise ValueError(f"indicators: no asn_total row for scope '{scope}'")
    return asn


ALPHA = 0.05


TIDY = ["estimate", "lower", "upper", "method", "n", "reading"]


DEFINITIONS = {
    "strict": ("terbukti bila Bawaslu memutusnya sebagai pelanggaran dan sanksinya diumumkan "
               "(terkonfirmasi sumber publik)"),
    "paper": ("terbukti bila makalah mencatat sanksi dan catatan publik tidak membantahnya "
              "(kasus yang perbuatannya dinyatakan boleh oleh penjabat wali kota tidak "
              "dihitung)"),
}


COUNTING = {
    "KASN": "KASN menghitung ASN yang dilaporkan dan yang dinyatakan terbukti setelah pemeriksaan",
    "Bawaslu": "Bawaslu menghitung temuan dan laporan yang diputus sebagai pelanggaran",
}


_keys = merge_keys


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _num(x: float, nd: int = 3) -> str:
    return f"{x:,.{nd}f}"


def _fmt_p(p: float) -> str:
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "–"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def _require(frame: pd.DataFrame, columns: list[str], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        from .data import DataError

        raise DataError(f"{name}: missing column '{missing[0]}' (needed by netralitas.stats)")


def poisson_ci(count: int, exposure: float = 1.0, alpha: float = ALPHA) -> tuple[float, float]:
    """Exact (Garwood) two-sided interval for a Poisson rate ``count / exposure``.

    Equivalent to ``chi2.ppf(alpha/2, 2k)/2`` and ``chi2.ppf(1-alpha/2, 2k+2)/2`` divided by the
    exposure; the lower limit is 0 when ``count == 0``.
    """
    from statsmodels.stats.rates import confint_poisson

    if count < 0 or exposure <= 0:
        raise ValueError(f"poisson_ci: need count >= 0 and exposure > 0 (got {count}, {exposure})")
    lo, hi = confint_poisson(int(count), float(exposure), method="exact-c", alpha=alpha)
    return float(lo), float(hi)


def clopper_pearson(x: int, n: int, alpha: float = ALPHA) -> tuple[float, float]:
    """Clopper–Pearson (exact, beta-quantile) interval for a proportion ``x / n``."""
    from statsmodels.stats.proportion import proportion_confint

    if n <= 0 or not 0 <= x <= n:
        raise ValueError(f"clopper_pearson: need 0 <= x <= n and n > 0 (got x={x}, n={n})")
    lo, hi = proportion_confint(int(x), int(n), alpha=alpha, method="beta")
    lo = 0.0 if x == 0 else float(lo)
    hi = 1.0 if x == n else float(hi)
    return lo, hi


def rate_ratio(count1: int, exposure1: float, count2: int, exposure2: float,
               alpha: float = ALPHA) -> dict:
    """Rate ratio ``(count1/exposure1) / (count2/exposure2)`` with exact conditional inference.

    Conditional on the total ``count1 + count2``, ``count1`` is binomial with
    ``pi = RR*e1 / (RR*e1 + e2)``. The test of RR = 1 is statsmodels'
    ``test_poisson_2indep(method="exact-cond")`` (two-sided, "minlike" binomial p-value).
    statsmodels has no exact interval for the ratio, so the interval is the Clopper–Pearson
    interval for ``pi`` mapped back: ``RR = pi/(1-pi) * e2/e1``.
    Returns ``estimate, lower, upper, pvalue`` (all NaN, p = 1, when both counts are zero).
    """
    from statsmodels.stats.rates import test_poisson_2indep

    c1, c2 = int(count1), int(count2)
    if min(c1, c2) < 0 or exposure1 <= 0 or exposure2 <= 0:
        raise ValueError("rate_ratio: counts must be >= 0 and exposures > 0")
    total = c1 + c2
    if total == 0:
        return {"estimate": math.nan, "lower": math.nan, "upper": math.nan, "pvalue": 1.0}
    scale = exposure2 / exposure1
    lo_p, hi_p = clopper_pearson(c1, total, alpha)
    lower = lo_p / (1 - lo_p) * scale
    upper = math.inf if hi_p >= 1 else hi_p / (1 - hi_p) * scale
    estimate = math.inf if c2 == 0 else (c1 / exposure1) / (c2 / exposure2)
    res = test_poisson_2indep(c1, exposure1, c2, exposure2, value=1, method="exact-cond")
    return {"estimate": estimate, "lower": lower, "upper": upper,
            "pvalue": float(min(1.0, res.pvalue))}


def city_proven(violations: pd.DataFrame, definition: str = "strict") -> pd.Series:
    """Boolean mask: which city cases count as proven under ``definition`` (see module doc)."""
    _require(violations, ["sanction_rank", "public_record", "ruled_by"], "violations")
    sanctioned = violations["sanction_rank"].fillna(0).astype(int) >= 1
    if definition == "strict":
        return (sanctioned & (violations["public_record"] == "confirmed")
                & (violations["ruled_by"].fillna("") == "bawaslu"))
    if definition == "paper":
        return sanctioned & (violations["public_record"] != "disputed")
    raise ValueError(f"unknown definition {definition!r} (use 'strict' or 'paper')")


def city_sanctioned(violations: pd.DataFrame) -> pd.Series:
    """Boolean mask: cases that ended in a sanction the public record does not dispute (the
    city analogue of KASN's 'sanctioned'; equal to the paper definition of :func:`city_proven`)."""
    return city_proven(violations, "paper")


def holm(pvalues) -> np.ndarray:
    """Holm-adjusted p-values (statsmodels ``multipletests``, method ``holm``) for one family of
    tests, in the order given; NaN p-values are left out of the family and stay NaN."""
    from statsmodels.stats.multitest import multipletests

    p = np.asarray(pvalues, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        out[ok] = multipletests(p[ok], method="holm")[1]
    return out


def national_proven(baselines: pd.DataFrame) -> pd.DataFrame:
    """The national 'proven' counts used as baselines.

    Per election: rows with scope national, measure proven, category all, unit count. The
    **main** count (``role == "main"``) is the final count when there is one, else the one with
    the latest ``period_end``; earlier interim counts of the same election are kept with
    ``role == "earlier"`` (a sensitivity row of :func:`incidence`). Disagreeing sources for the
    same count (e.g. KASN's own figure and the figure Bawaslu quotes) are one fact, not two
    tests: the first ``baseline_id`` is kept and the others are named in ``same_count`` (e.g.
    ``"B03: 1,596"``; empty when there are none).
    """
    _require(baselines, ["baseline_id", "body", "scope", "election", "period_end", "status",
                         "measure", "category", "value", "unit", "source"], "baselines")
    b = baselines[(baselines["scope"] == "national") & (baselines["measure"] == "proven")
                  & (baselines["category"] == "all") & (baselines["unit"] == "count")]
    keep = []
    for _, g in b.groupby("election", sort=True):
        g = g.assign(_period=g["period_end"].astype("string").fillna("final"))
        final = g[g["status"] == "final"]
        periods = (["final"] if not final.empty else []) + sorted(
            (p for p in g.loc[g["status"] != "final", "_period"].unique()), reverse=True)
        for k, period in enumerate(dict.fromkeys(periods)):
            same = g[g["_period"] == period].sort_values("baseline_id")
            first = same.iloc[[0]].copy()
            first["role"] = "main" if k == 0 else "earlier"
            first["same_count"] = "; ".join(f"{r['baseline_id']}: {int(r['value']):,}"
                                            for _, r in same.iloc[1:].iterrows())
            keep.append(first.drop(columns="_period"))
    if not keep:
        out = b.iloc[0:0].copy()
        return out.assign(role=pd.Series(dtype=str), same_count=pd.Series(dtype=str))
    out = pd.concat(keep)
    out["_main"] = out["role"] != "main"
    return (out.sort_values(["election", "_main", "baseline_id"]).drop(columns="_main")
            .reset_index(drop=True))


def rerun_of(elections: pd.DataFrame) -> dict[str, str]:
    """Each re-run election held in the city mapped to the election it repeats: the latest
    regular election with a city voting day before the re-run's voting day (kinds from
    ``data/contests.csv``)."""
    _require(elections, ["date", "election", "kind"], "elections")
    voting = elections[elections["kind"] == "voting_day"].sort_values("date")
    out = {}
    for _, r in voting.iterrows():
        if vocab.election_kind(r["election"]) != "rerun":
            continue
        before = voting[(voting["date"] < r["date"])
                        & voting["election"].map(lambda e: vocab.election_kind(e) == "regular")]
        if "level" in voting:
            before = before[before["level"] == r.get("level", "city")]
        if not before.empty:
            out[r["election"]] = before["election"].iloc[-1]
    return out


def _national_side(nrow, nasn, when: pd.Timestamp, alpha: float) -> dict:
    """The national half of an :func:`incidence` row: count ``nrow`` over the ASN count
    ``nasn``; ``national_asn_gap_days`` = days between the ASN count's reference date
    (:func:`~netralitas.indicators.period_date`) and ``when``."""
    from .indicators import period_date

    nexp = float(nasn["value"]) / 1000
    ncount = int(nrow["value"])
    nlo, nhi = poisson_ci(ncount, nexp, alpha)
    d = period_date(nasn["ref_period"])
    return {"body": nrow["body"], "baseline_id": nrow["baseline_id"],
            "national_period_end": nrow["period_end"], "national_status": nrow["status"],
            "national_note": nrow.get("note", ""), "same_count": nrow.get("same_count", ""),
            "national_proven": ncount,
            "national_asn": int(nasn["value"]), "national_asn_id": nasn["indicator_id"],
            "national_asn_period": str(nasn["ref_period"]),
            "national_asn_gap_days": abs((d - when).days) if d is not None else math.nan,
            "national_rate": ncount / nexp, "national_lower": nlo, "national_upper": nhi}


_NO_NATIONAL = {"body": "–", "baseline_id": "–", "national_period_end": pd.NaT,
                "national_status": "–", "national_note": "", "same_count": "",
                "national_proven": pd.NA, "national_asn": pd.NA, "national_asn_id": "–",
                "national_asn_period": "–", "national_asn_gap_days": math.nan,
                "national_rate": math.nan, "national_lower": math.nan,
                "national_upper": math.nan}

_NO_CITY = {"city_cases": "–", "city_proven": pd.NA, "city_asn": pd.NA, "city_elections": pd.NA,
            "city_rate": math.nan, "city_lower": math.nan, "city_upper": math.nan}


def incidence(baselines: pd.DataFrame, violations: pd.DataFrame, indicators: pd.DataFrame,
              elections: pd.DataFrame, definitions=("strict", "paper"),
              alpha: float = ALPHA) -> pd.DataFrame:
    """Proven violations per 1,000 ASN per election, city vs national, with rate ratios and a
    sensitivity row for every analytic choice that could go either way.

    For each election the **main** row (``choice == "main"``) uses the main national count of
    :func:`national_proven` (the final count, else the latest interim one; a second source for
    the same count is named in ``same_count``, not tested again), the first of ``definitions``
    (strict: a Bawaslu ruling and an announced sanction), the national ASN count dated inside
    the counting window (:func:`~netralitas.indicators.within_count`: the latest count dated
    on or before the end of the national count, else the closest; for a final count without an
    end date, the election's voting day or mid-year) and the election alone. Each sensitivity
    row changes one of these choices and says which in ``choice``:

    ``definition``
        another city case definition (the paper's), shown only when it counts other cases than
        the main row (an identical row would be the same test twice);
    ``denominator``
        another national ASN count (each other ``asn_total`` row of the national scope);
    ``national_count``
        an earlier interim national count of the same election (``role == "earlier"``).

    The city's cases of a re-run are not pooled with the election it repeats: a re-run has no
    national count, and borrowing the repeated election's rate would be an assumption, not a
    sensitivity analysis of the same quantity.

    A side that does not exist is left empty and the reading says why: the city side exists
    only for elections held in Pangkalpinang (a voting day in ``elections``), the national side
    only where :func:`national_proven` has a count. ``n`` is the city's count of proven cases;
    ``city_elections`` the elections of city exposure. The city's denominator is its only ASN
    count.
    """
    _require(elections, ["event_id", "date", "election", "kind"], "elections")
    nat = national_proven(baselines)
    voting = elections[elections["kind"] == "voting_day"].set_index("election")["date"]
    city_elections = set(voting.index)
    reruns = rerun_of(elections)
    year = vocab.elections().set_index("election")["year"]
    elections_all = sorted(set(nat["election"]) | (set(violations["election"]) & city_elections),
                           key=lambda e: (int(year[e]), e))
    city_asn_row = closest_in_time(_asn_rows(indicators, "city"), None)
    city_exposure = float(city_asn_row["value"]) / 1000
    national_asn = _asn_rows(indicators, "national")
    ind_source = indicators.set_index("indicator_id")["source"]
    main_def = definitions[0]
    rows = []

    def city_side(els: list[str], d: str) -> dict:
        cases = violations[violations["election"].isin(els)]
        mask = city_proven(cases, d)
        count = int(mask.sum())
        exposure = city_exposure * len(els)
        lo, hi = poisson_ci(count, exposure, alpha)
        return {"city_cases": ",".join(sorted(cases.loc[mask, "case_id"])) or "–",
                "city_proven": count, "city_asn": int(city_asn_row["value"]),
                "city_elections": len(els), "city_rate": count / exposure, "city_lower": lo,
                "city_upper": hi, "_case_sources": cases.loc[mask, "source"].tolist()}

    def add(el, choice, d, nside, cside, nrow, extra=""):
        row = {"election": el, "label": vocab.election(el), "choice": choice,
               "_voting_day": voting.get(el),
               "choice_label": vocab.label("analysis_choice", choice) + extra,
               "main": choice == "main", "definition": d or "–",
               "definition_label": vocab.label("definition", d) if d else "tanpa angka kota"}
        row.update(nside)
        case_sources = cside.pop("_case_sources", [])
        row.update(cside)
        comparable = nrow is not None and d is not None
        row["comparable"] = comparable
        if comparable:
            rr = rate_ratio(row["city_proven"], city_exposure * row["city_elections"],
                            row["national_proven"], float(row["national_asn"]) / 1000, alpha)
            row.update({"estimate": rr["estimate"], "lower": rr["lower"], "upper": rr["upper"],
                        "pvalue": rr["pvalue"],
                        "method": "rasio laju; uji eksak bersyarat (binomial) dan selang "
                                  "Clopper–Pearson yang dipetakan ke rasio"})
        else:
            row.update({"estimate": math.nan, "lower": math.nan, "upper": math.nan,
                        "pvalue": math.nan, "method": "tidak dapat dibandingkan"})
        row["n"] = row["city_proven"]
        row["reading"] = _incidence_reading(row, d is not None, reruns)
        row.pop("_voting_day")
        nat_src = ([nrow["source"], ind_source[row["national_asn_id"]]]
                   if nrow is not None else [])
        city_src = [city_asn_row["source"]] if d is not None else []
        row["national_source"] = _keys(*nat_src) if nat_src else ""
        row["city_asn_source"] = _keys(*city_src) if city_src else ""
        row["source"] = _keys(*nat_src, *city_src, *case_sources)
        rows.append(row)

    def national(nrow):
        when = (nrow["period_end"] if pd.notna(nrow["period_end"])
                else voting.get(el, pd.Timestamp(f"{int(year[el])}-07-01")))
        when = pd.Timestamp(when)
        chosen = within_count(national_asn, when)
        return when, chosen, _national_side(nrow, chosen, when, alpha)

    for el in elections_all:
        nat_rows = nat[nat["election"] == el]
        has_city = el in city_elections
        if nat_rows.empty:
            seen = []
            for d in definitions:
                cside = city_side([el], d)
                if d != main_def and cside["city_cases"] in seen:
                    continue
                seen.append(cside["city_cases"])
                add(el, "main" if d == main_def else "definition", d, _NO_NATIONAL, cside, None)
            continue
        nrow = nat_rows[nat_rows["role"] == "main"].iloc[0]
        when, chosen, nside = national(nrow)
        if not has_city:
            add(el, "main", None, nside, dict(_NO_CITY), nrow)
            continue
        main_city = city_side([el], main_def)
        add(el, "main", main_def, nside, dict(main_city), nrow)
        for d in definitions[1:]:
            cside = city_side([el], d)
            if cside["city_cases"] != main_city["city_cases"]:
                add(el, "definition", d, nside, cside, nrow)
        for _, other in national_asn.iterrows():
            if other["indicator_id"] == chosen["indicator_id"]:
                continue
            add(el, "denominator", main_def, _national_side(nrow, other, when, alpha),
                city_side([el], main_def), nrow, f" ({other['variant']})")
        for _, earlier in nat_rows[nat_rows["role"] == "earlier"].iterrows():
            _, _, eside = national(earlier)
            add(el, "national_count", main_def, eside, city_side([el], main_def), earlier,
                f" ({earlier['baseline_id']}, s.d. "
                f"{pd.Timestamp(earlier['period_end']).strftime('%Y-%m-%d')})")
    out = pd.DataFrame(rows)
    for c in ("national_proven", "national_asn", "city_proven", "city_asn", "city_elections",
              "n"):
        out[c] = out[c].astype("Int64")
    return out


#: A national count whose source note holds one of these words carries the note into the reading.
_CAVEAT_WORDS = ("tidak konsisten", "tidak pasti")


def _incidence_reading(row: dict, has_city: bool, reruns: dict) -> str:
    if row["baseline_id"] == "–":
        why = ("Pilkada ulang hanya digelar di daerah yang dimenangkan kotak kosong; tidak ada "
               "angka nasional pembanding" if vocab.election_kind(row["election"]) == "rerun"
               else "Data belum memuat angka nasional pembanding untuk pemilihan ini")
        return (f"{why}, jadi tidak ada rasio. Kota: {row['city_proven']} kasus "
                f"terbukti ({DEFINITIONS[row['definition']]}).")
    what = (f"temuan dan laporan yang diputus {row['body']} sebagai pelanggaran"
            if row["body"] == "Bawaslu" else f"ASN terbukti menurut {row['body']}")
    nat = (f"nasional {_num(row['national_rate'])} per 1,000 ASN ({row['national_proven']:,} "
           f"{what}, dibagi {row['national_asn']:,} ASN nasional per "
           f"{row['national_asn_period']}; {COUNTING[row['body']]})")
    notes = []
    end, vote = row["national_period_end"], row.get("_voting_day")
    if row["national_status"] == "interim" and pd.notna(end):
        when = pd.Timestamp(end).strftime("%Y-%m-%d")
        if vote is not None and pd.notna(vote) and pd.Timestamp(end) < pd.Timestamp(vote):
            notes.append(f"hitungan nasional adalah potret sementara yang berakhir {when}, "
                         f"sebelum hari pemungutan suara {pd.Timestamp(vote).strftime('%Y-%m-%d')}")
        else:
            notes.append(f"hitungan nasional adalah angka sementara sampai {when}")
    if isinstance(row.get("same_count"), str) and row["same_count"]:
        notes.append(f"sumber lain mencatat hitungan yang sama sebagai {row['same_count']} "
                     "(satu fakta, bukan uji kedua)")
    if any(w in str(row.get("national_note", "")) for w in _CAVEAT_WORDS):
        notes.append(f"catatan sumber: {row['national_note']}")
    extra_nat = (" " + "; ".join(notes)[0].upper() + "; ".join(notes)[1:] + ".") if notes else ""
    if not has_city:
        return (f"Pangkalpinang tidak menggelar pilkada ini, jadi tidak ada angka kota dan tidak "
                f"ada rasio; hanya {nat}. Data tidak memuat hitungan ASN nasional tahun "
                f"pemilihan ini; yang terdekat dipakai.{extra_nat}")
    rr = row["estimate"]
    per = ("1,000 ASN" if row["city_elections"] == 1
           else f"1,000 ASN per pemilihan ({row['city_elections']} pemilihan)")
    if row["city_proven"] == 0:
        head = (f"Tabel 1 makalah: 0 kasus kota terbukti, jadi rasio laju 0 terhadap {nat}; "
                f"batas atas selangnya {_num(row['upper'], 1)}")
    else:
        head = (f"Tabel 1 makalah: {row['city_proven']} kasus kota terbukti, "
                f"{_num(row['city_rate'])} per "
                f"{per}, {_num(rr, 1)} kali {nat}; selang {_num(row['lower'], 1)}–"
                f"{_num(row['upper'], 1)}")
    verdict = ("selang memuat rasio 1: data ini tidak membedakan laju kota dari laju nasional"
               if row["lower"] <= 1 <= row["upper"]
               else "selang tidak memuat rasio 1")
    return (f"{head}; p = {_fmt_p(row['pvalue'])}: {verdict}. Definisi kota: "
            f"{DEFINITIONS[row['definition']]}.{extra_nat}")


def binomial_vs_shares(x: int, n: int, p0: float, alpha: float = ALPHA) -> dict:
    """Share ``x/n`` with Clopper–Pearson interval and exact binomial tests of ``p = p0``.

    ``pvalue`` is ``scipy.stats.binomtest`` two-sided (the "minlike" rule: sum the
    probabilities of outcomes no more likely than ``x``; statsmodels wraps the same routine).
    ``pvalue_central`` doubles the smaller one-sided tail; it is the test that matches the
    Clopper–Pearson interval (it rejects exactly when ``p0`` lies outside the interval), so
    with tiny ``n`` the two p-values can fall on different sides of ``alpha``.
    """
    from scipy.stats import binomtest

    if not 0 <= p0 <= 1:
        raise ValueError(f"binomial_vs_shares: p0 must lie in [0, 1] (got {p0})")
    lo, hi = clopper_pearson(x, n, alpha)
    p = float(binomtest(int(x), int(n), float(p0)).pvalue)
    less = float(binomtest(int(x), int(n), float(p0), alternative="less").pvalue)
    greater = float(binomtest(int(x), int(n), float(p0), alternative="greater").pvalue)
    return {"estimate": x / n, "lower": lo, "upper": hi, "p0": p0, "pvalue": min(1.0, p),
            "pvalue_central": min(1.0, 2 * min(less, greater))}


#: Said beside every binomial p-value of the chapter: what the city's cases are and are not.
SELECTION = ("kasus kota adalah daftar yang dipilih makalah (Tabel 1), bukan seluruh kasus atau "
             "sampel acak, dan perbandingan yang disorot dipilih sesudah melihat data; p di sini "
             "menggambarkan jarak daftar itu dari angka nasional, bukan bukti tentang seluruh "
             "ASN kota")


def _binom_verdict(res: dict, alpha: float = ALPHA) -> str:
    """Where the national share lies against the interval, and whether the two p-values agree;
    no verdict words ("borderline", "significant"): the selection sentence follows."""
    inside = res["lower"] <= res["p0"] <= res["upper"]
    if inside and res["pvalue"] >= alpha:
        return "Selang memuat angka nasional."
    if inside:
        return ("p minlike di bawah α, tetapi selang Clopper–Pearson memuat angka nasional "
                f"(p sentral = {_fmt_p(res['pvalue_central'])}): kedua aturan tidak sepakat.")
    return "Angka nasional berada di luar selang."


def position_profile(violations: pd.DataFrame, baselines: pd.DataFrame,
                     definitions=("paper", "strict"), alpha: float = ALPHA) -> pd.DataFrame:
    """The city's proven cases by position group against KASN's national shares by position.

    The national shares are shares of *proven* violators, so numerator and denominator on the
    city side are the cases proven under each of ``definitions`` (:func:`city_proven`): a case
    not processed or disputed by the public record is in neither. One block of rows per
    definition (column ``definition``); ``n`` is the number of proven city cases. Groups the
    national source does not list are pooled as ``other`` with the remaining share. A
    definition with no proven case gives no rows.
    """
    _require(violations, ["case_id", "position_group", "source"], "violations")
    blocks = []
    for d in definitions:
        proven = violations[city_proven(violations, d)]
        if proven.empty:
            continue
        block = _position_block(proven, baselines, alpha)
        block.insert(0, "definition", d)
        blocks.append(block)
    if not blocks:
        raise ValueError("violations: no proven case under any definition")
    return pd.concat(blocks, ignore_index=True)


def _position_block(violations: pd.DataFrame, baselines: pd.DataFrame,
                    alpha: float) -> pd.DataFrame:
    shares = baselines[(baselines["measure"] == "share_by_position") & (baselines["unit"] == "percent")]
    if shares.empty:
        raise ValueError("baselines: no share_by_position rows")
    n = len(violations)
    if n == 0:
        raise ValueError("violations: no cases")
    rows = []
    listed = set(shares["category"])
    groups = violations["position_group"].where(violations["position_group"].isin(listed), "other")
    rest = max(0.0, 1 - float(shares["value"].sum()) / 100)
    spec = [(r["category"], float(r["value"]) / 100, r["baseline_id"], r["source"])
            for _, r in shares.sort_values("value", ascending=False).iterrows()]
    spec.append(("other", rest, ", ".join(shares["baseline_id"]), _keys(*shares["source"])))
    context = share_context(baselines, shares.iloc[0])
    for cat, p0, bid, src in spec:
        x = int((groups == cat).sum())
        res = binomial_vs_shares(x, n, p0, alpha)
        ids = ",".join(sorted(violations.loc[groups == cat, "case_id"])) or "–"
        label = vocab.label("position_group", cat)
        rows.append({
            "category": cat, "label": label, "x": x, "city_cases": ids, "baseline_id": bid, **res,
            "method": "Clopper–Pearson; uji binomial eksak dua sisi", "n": n,
            "reading": (f"{label}: {x} dari {n} kasus kota terbukti ({_pct(x / n)}; selang "
                        f"{_pct(res['lower'])}–{_pct(res['upper'])}) dibanding {_pct(p0)} "
                        f"pelanggar terbukti {context}; p = {_fmt_p(res['pvalue'])}. "
                        + _binom_verdict(res, alpha)
                        + f" Konteks p: {SELECTION}."),
            "national_source": _keys(src),
            "source": _keys(src, *violations.loc[groups == cat, "source"]),
        })
    return pd.DataFrame(rows)


def share_context(baselines: pd.DataFrame, share) -> str:
    """Where a national share comes from, in words: body, election, interim status with the date
    it runs to, and the count it is a share of (the ``proven`` count of the same body, election
    and period), e.g. ``"dalam data sementara KASN Pilkada 2020 s.d. 2020-06-26 (n = 283)"``."""
    b = baselines
    same = b[(b["body"] == share["body"]) & (b["election"] == share["election"])
             & (b["measure"] == share["denominator"]) & (b["unit"] == "count")
             & (b["category"] == "all")]
    if pd.notna(share["period_end"]):
        same = same[same["period_end"] == share["period_end"]]
    n = f" (n = {int(same['value'].iloc[0]):,})" if len(same) == 1 else ""
    status = "data sementara" if share["status"] == "interim" else "data akhir"
    until = (f" s.d. {pd.Timestamp(share['period_end']).strftime('%Y-%m-%d')}"
             if pd.notna(share["period_end"]) else "")
    return f"dalam {status} {share['body']} {vocab.election(share['election'])}{until}{n}"


def _count(b: pd.DataFrame, measure: str) -> pd.DataFrame:
    return b[(b["measure"] == measure) & (b["unit"] == "count") & (b["category"] == "all")]


def _national_shares(baselines: pd.DataFrame) -> list[dict]:
    """National shares ``measure / reported`` per body, election and measure (proven,
    sanctioned): the final counts when they hold both, else the latest period that does. A
    second source for the same count is one fact (named in ``same_count``), not a second test.
    Where a body also counts reports ruled *not* a violation (``not_proven``) in the same period,
    a second ``proven`` share over decided reports only (``denominator_kind == "decided"``)."""
    b = baselines[baselines["scope"] == "national"].copy()
    b["_period"] = b["period_end"].astype("string").fillna("final")
    refs = []
    for (body, el), ge in b.groupby(["body", "election"], sort=True):
        periods = list(ge["_period"].unique())
        periods = ["final"] * ("final" in periods) + sorted((p for p in periods if p != "final"),
                                                            reverse=True)
        for measure in ("proven", "sanctioned"):
            for period in periods:
                g = ge[ge["_period"] == period]
                rep, nums = _count(g, "reported"), _count(g, measure).sort_values("baseline_id")
                if len(rep) != 1 or nums.empty:
                    continue
                rep, num = rep.iloc[0], nums.iloc[0]
                same = "; ".join(f"{r['baseline_id']}: {int(r['value']):,}"
                                 for _, r in nums.iloc[1:].iterrows())
                base = {"body": body, "election": el, "measure": measure,
                        "period_end": num["period_end"], "status": num["status"],
                        "numerator": int(num["value"]), "same_count": same}
                refs.append({**base, "denominator": int(rep["value"]),
                             "denominator_kind": "reported",
                             "baseline_id": f"{num['baseline_id']}/{rep['baseline_id']}",
                             "source": _keys(num["source"], rep["source"])})
                notp = _count(g, "not_proven")
                if measure == "proven" and len(notp) == 1:
                    no = notp.iloc[0]
                    refs.append({**base, "denominator": int(num["value"]) + int(no["value"]),
                                 "denominator_kind": "decided",
                                 "baseline_id": f"{num['baseline_id']}/({num['baseline_id']}"
                                                f"+{no['baseline_id']})",
                                 "source": _keys(num["source"], no["source"])})
                break
    for r in refs:
        r["p0"] = r["numerator"] / r["denominator"]
    return refs


#: What the city side of :func:`sanction_outcomes` counts for each national measure.
CITY_OUTCOME = {
    "proven": "diputus Bawaslu sebagai pelanggaran atau disanksi tanpa dibantah catatan publik",
    "sanctioned": "disanksi dan tidak dibantah catatan publik",
}


def sanction_outcomes(violations: pd.DataFrame, baselines: pd.DataFrame,
                      alpha: float = ALPHA) -> pd.DataFrame:
    """Like with like, one election at a time: the share of the city's Table 1 cases of an
    election that ended *proven* (or *sanctioned*) against the national share of reports of the
    same election that ended proven (or sanctioned), from :func:`_national_shares`.

    City side (``n`` = the paper's cases of that election; ``x`` = those with the outcome):
    proven = a Bawaslu ruling or a sanction the public record does not dispute; sanctioned = a
    sanction the public record does not dispute (:data:`CITY_OUTCOME`). Elections without city
    cases give no row. ``denominator`` is the national count the share is taken of, with its
    kind (``reported``, or ``decided`` = reports ruled either way).
    """
    _require(baselines, ["baseline_id", "body", "scope", "election", "period_end", "measure",
                         "category", "value", "unit", "source"], "baselines")
    _require(violations, ["case_id", "election", "ruled_by", "source"], "violations")
    rows = []
    for ref in _national_shares(baselines):
        cases = violations[violations["election"] == ref["election"]]
        if cases.empty:
            continue
        sanctioned = city_sanctioned(cases)
        mask = (sanctioned | (cases["ruled_by"].fillna("") == "bawaslu")
                if ref["measure"] == "proven" else sanctioned)
        x, n = int(mask.sum()), len(cases)
        res = binomial_vs_shares(x, n, ref["p0"], alpha)
        what = "terbukti" if ref["measure"] == "proven" else "disanksi"
        label = vocab.election(ref["election"])
        of = ("laporan yang diputus (terbukti atau tidak)" if ref["denominator_kind"] == "decided"
              else "laporan")
        status = ("sementara s.d. " + pd.Timestamp(ref["period_end"]).strftime("%Y-%m-%d")
                  if pd.notna(ref["period_end"]) else "akhir")
        same = (f" Sumber lain mencatat hitungan yang sama sebagai {ref['same_count']} (satu "
                "fakta, bukan uji kedua)." if ref["same_count"] else "")
        rows.append({
            "x": x, "city_cases": ",".join(sorted(cases.loc[mask, "case_id"])) or "–",
            "city_all": ",".join(sorted(cases["case_id"])),
            **{k: ref[k] for k in ("body", "election", "measure", "numerator", "denominator",
                                   "denominator_kind", "baseline_id", "status", "period_end",
                                   "same_count")},
            **res, "method": "Clopper–Pearson; uji binomial eksak dua sisi", "n": n,
            "reading": (f"{label}: {x} dari {n} kasus kota dalam Tabel 1 makalah {what} "
                        f"({CITY_OUTCOME[ref['measure']]}; {_pct(x / n)}; selang "
                        f"{_pct(res['lower'])}–{_pct(res['upper'])}); nasional ({ref['body']}, "
                        f"angka {status}): {ref['numerator']:,} dari {ref['denominator']:,} "
                        f"{of} {what} ({_pct(ref['p0'])}); p = {_fmt_p(res['pvalue'])}. "
                        f"{_binom_verdict(res, alpha)}{same} Konteks p: {SELECTION}."),
            "national_source": ref["source"],
            "source": _keys(ref["source"], *cases["source"]),
        })
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    kind = out["denominator_kind"].map({"reported": 0, "decided": 1})
    return (out.assign(_k=kind).sort_values(["election", "body", "measure", "_k"], kind="stable")
            .drop(columns="_k").reset_index(drop=True))


def provincial_share(baselines: pd.DataFrame, alpha: float = ALPHA) -> pd.DataFrame:
    """The city's share of the provincial count of alleged violations, per election.

    ``x`` = the city row, ``n`` = the province row (same body, election, measure ``reported``),
    with a Clopper–Pearson interval. No test: the data hold no provincial population or ASN
    count that would give a share expected under equal rates.
    """
    rep = baselines[(baselines["measure"] == "reported") & (baselines["unit"] == "count")]
    prov = rep[rep["scope"] == "province"]
    city = rep[rep["scope"] == "city"]
    days = baselines[baselines["measure"] == "period_length"]
    rows = []
    for _, p in prov.iterrows():
        c = city[(city["election"] == p["election"]) & (city["body"] == p["body"])]
        if c.empty:
            continue
        c = c.iloc[0]
        x, n = int(c["value"]), int(p["value"])
        if x > n:
            from .data import DataError

            raise DataError(f"data/baselines.csv, row {c['baseline_id']}: city count {x} exceeds "
                            f"provincial count {n} ({p['baseline_id']})")
        lo, hi = clopper_pearson(x, n, alpha)
        d = days[(days["election"] == p["election"]) & (days["scope"] == "province")]
        ndays = int(d["value"].iloc[0]) if not d.empty else pd.NA
        rows.append({
            "election": p["election"], "body": p["body"], "x": x,
            "baseline_id": f"{c['baseline_id']}/{p['baseline_id']}", "campaign_days": ndays,
            "estimate": x / n, "lower": lo, "upper": hi, "method": "Clopper–Pearson", "n": n,
            "reading": (f"{x} dari {n} dugaan pelanggaran di provinsi terjadi di Pangkalpinang "
                        f"({_pct(x / n)}; selang {_pct(lo)}–{_pct(hi)}). Tanpa uji: data tidak "
                        f"memuat penduduk atau ASN provinsi untuk menentukan bagian yang "
                        f"diharapkan."),
            "source": _keys(c["source"], p["source"], *(d["source"] if not d.empty else [])),
        })
    out = pd.DataFrame(rows)
    if not out.empty:
        out["campaign_days"] = out["campaign_days"].astype("Int64")
    return out


def power_rr(rate0: float, ratio: float, exposure: float, exposure0: float,
             alpha: float = ALPHA) -> float:
    """Power of the two-sided **Wald** test on log RR (city rate ``ratio*rate0`` vs ``rate0``).

    Kept only as a comparison: the chapter's test is the exact conditional test, whose power is
    :func:`power_exact`. statsmodels ``power_poisson_ratio_2indep`` (Zhu & Lakkis;
    ``method_var="alt"``) with the city as group 1 (exposure ``exposure``, in 1,000
    ASN-elections) and the nation as group 2 (``exposure0``). Its normal approximation:
    power ≈ Φ(|ln RR| / se − z₁₋α/₂) with se² = 1/(exposure·rate1) + 1/(exposure0·rate0).
    """
    from statsmodels.stats.rates import power_poisson_ratio_2indep

    pw = power_poisson_ratio_2indep(rate1=ratio * rate0, rate2=rate0, nobs1=exposure,
                                    nobs_ratio=exposure0 / exposure, exposure=1, value=1,
                                    alpha=alpha, alternative="two-sided", method_var="alt",
                                    return_results=False)
    return float(pw)


def required_exposure(rate0: float, ratio: float, exposure0: float, power: float = 0.8,
                      alpha: float = ALPHA) -> float:
    """Exposure (1,000 ASN-elections) at which the **Wald** power :func:`power_rr` reaches
    ``power`` (a comparison only; the chapter's design quantity is
    :func:`required_exposure_exact`).

    Solved numerically (scipy ``brentq``). ``inf`` when even unlimited city exposure cannot
    reach ``power`` because the national count itself is too small.
    """
    from scipy.optimize import brentq

    if ratio <= 0 or ratio == 1 or rate0 <= 0:
        raise ValueError("required_exposure: need rate0 > 0 and a ratio > 0, != 1")
    hi = 1.0

    def f(e):
        return power_rr(rate0, ratio, e, exposure0, alpha) - power

    while f(hi) < 0:
        hi *= 4
        if hi > 1e12:
            return math.inf
    lo = hi / 4
    while f(lo) > 0 and lo > 1e-12:
        lo /= 4
    return float(brentq(f, lo, hi, xtol=1e-10, rtol=1e-12))


#: Truncation of the Poisson total N in :func:`power_exact`: the mass left out on both sides
#: together is below this.
POWER_TAIL = 1e-12
#: The grid of :func:`required_exposure_exact`: exposures 10**(k / POWER_GRID_PER_DECADE),
#: i.e. steps of about 1.2%.
POWER_GRID_PER_DECADE = 200
#: ... and how far above a candidate exposure power must stay at or above the target (factor).
POWER_CHECK_SPAN = 1.5


#: :func:`exact_cond_region` evaluates the binomial only on mean ± (REGION_SD·sd + REGION_PAD)
#: (the region's two boundaries lie there): where the probability of an outcome is below
#: REGION_TINY × the mode's, the outcome is rejected whatever the rest is, so it need not be
#: computed. A window whose edges are not that small falls back to every outcome.
REGION_SD, REGION_PAD, REGION_TINY = 30.0, 30, 1e-30


@functools.lru_cache(maxsize=500_000)
def exact_cond_region(total: int, pi0: float, alpha: float = ALPHA) -> tuple[int, int]:
    """Rejection region of the exact conditional test given ``total`` = X1 + X2 events.

    Under RR = 1, X1 | total ~ Binomial(total, pi0) with pi0 = e1/(e1+e2). The two-sided
    "minlike" p-value of x (scipy ``binomtest``, which statsmodels'
    ``test_poisson_2indep(method="exact-cond")`` calls) is the probability of all outcomes no
    likelier than x (within a relative 1e-7). The test rejects when p <= alpha; since the
    binomial is unimodal that is two tails, returned as ``(a, b)``: reject x <= a or x >= b
    (a = -1 / b = total + 1 when a tail is empty). p-values within 1e-6·alpha of alpha are
    recomputed with ``binomtest`` itself, so the region is the test's, not an approximation.

    Only the outcomes within :data:`REGION_SD` standard deviations (+ :data:`REGION_PAD`) of
    the mean are evaluated when the probability at both edges of that window is below
    :data:`REGION_TINY` × the largest: every outcome outside has a p-value below
    (total + 1)·REGION_TINY (all outcomes no likelier than it lie outside too), so it is
    rejected, and leaving that mass out of the p-values inside moves them by less than that,
    far inside the 1e-6·alpha band that ``binomtest`` decides. The regions are the same as
    over every outcome (``tests/test_stats.py`` compares both).
    """
    n = int(total)
    if n <= 0:
        return -1, 1
    sd = math.sqrt(n * pi0 * (1 - pi0))
    lo = max(0, int(n * pi0 - REGION_SD * sd) - REGION_PAD)
    hi = min(n, int(n * pi0 + REGION_SD * sd) + REGION_PAD)
    return _region(n, pi0, alpha, lo, hi)


def _region(n: int, pi0: float, alpha: float, lo: int = 0, hi: int | None = None
            ) -> tuple[int, int]:
    """:func:`exact_cond_region` on the outcomes lo..hi (all of them: ``lo=0, hi=None``)."""
    from scipy.stats import binom, binomtest

    hi = n if hi is None else hi
    x = np.arange(lo, hi + 1)
    # binom._pmf is what binom.pmf computes for outcomes inside the support (the same values,
    # bit for bit; tests/test_stats.py), without its argument checking, which took most of the
    # chapter's time: this runs some 150,000 times
    pm = binom._pmf(x, n, pi0) if 0 < pi0 < 1 else binom.pmf(x, n, pi0)
    top = pm.max()
    if (lo > 0 and not pm[0] <= REGION_TINY * top) or (hi < n and not pm[-1] <= REGION_TINY * top):
        return _region(n, pi0, alpha)  # the window's edges are not negligible: every outcome
    srt = np.sort(pm)
    cum = np.cumsum(srt)
    p = cum[np.searchsorted(srt, pm * (1 + 1e-7), side="right") - 1]
    for k in np.flatnonzero(np.abs(p - alpha) <= 1e-6 * alpha):
        p[k] = binomtest(int(k) + lo, n, pi0).pvalue
    reject = p <= alpha
    mode = int(np.argmax(pm))
    low = np.flatnonzero(reject[: mode + 1])
    high = np.flatnonzero(reject[mode:]) + mode
    # outside the window every outcome is rejected: a tail empty inside it starts at its edge
    a = int(low.max()) + lo if low.size else lo - 1
    b = int(high.min()) + lo if high.size else hi + 1
    if reject.sum() != (a - lo + 1) + (hi + 1 - b):  # not two tails: cannot happen for a binomial
        raise AssertionError(f"exact_cond_region: region for n={n}, pi0={pi0} is not two tails")
    return a, b


def power_exact(rate0: float, ratio: float, exposure: float, exposure0: float,
                alpha: float = ALPHA) -> float:
    """Power of the chapter's test (exact conditional, two-sided, minlike) by exact enumeration.

    City exposure ``exposure`` with rate ``ratio*rate0``, national exposure ``exposure0`` with
    rate ``rate0`` (exposures in 1,000 ASN-elections, rates per 1,000 ASN per election). The
    total N = X1 + X2 is Poisson(λ1 + λ2) with λ1 = ratio·rate0·exposure and
    λ2 = rate0·exposure0; given N, X1 ~ Binomial(N, π) with π = λ1/(λ1 + λ2), and the test
    rejects in the region :func:`exact_cond_region` (N, π0 = e1/(e1+e2)). Power =
    Σ_N P(N)·P(X1 in region | N), summed over the N that hold all but :data:`POWER_TAIL` of the
    Poisson mass (N = 0 never rejects).
    """
    from scipy.stats import binom, poisson

    if min(rate0, ratio, exposure, exposure0) <= 0:
        raise ValueError("power_exact: rate0, ratio and exposures must be > 0")
    lam1, lam2 = ratio * rate0 * exposure, rate0 * exposure0
    lam = lam1 + lam2
    pi1, pi0 = lam1 / lam, exposure / (exposure + exposure0)
    lo = max(int(poisson.ppf(POWER_TAIL / 2, lam)), 1)
    hi = int(poisson.isf(POWER_TAIL / 2, lam)) + 1
    totals = np.arange(lo, hi + 1)
    bounds = np.array([exact_cond_region(int(n), pi0, alpha) for n in totals])
    conditional = (binom.cdf(bounds[:, 0], totals, pi1)
                   + binom.sf(bounds[:, 1] - 1, totals, pi1))
    return float(np.sum(poisson.pmf(totals, lam) * conditional))


def power_simulated(rate0: float, ratio: float, exposure: float, exposure0: float,
                    alpha: float = ALPHA, n_sim: int = 20_000, seed: int = 20261130) -> dict:
    """Power of the exact conditional test by seeded simulation (a check on
    :func:`power_exact`): draw X1 ~ Poisson(ratio·rate0·exposure), X2 ~ Poisson(rate0·exposure0)
    ``n_sim`` times with ``numpy.random.default_rng(seed)``, run statsmodels
    ``test_poisson_2indep(method="exact-cond")`` on each and count p <= alpha.
    Returns ``power``, its Monte Carlo standard error ``se``, ``n_sim`` and ``seed``."""
    from statsmodels.stats.rates import test_poisson_2indep

    rng = np.random.default_rng(seed)
    x1 = rng.poisson(ratio * rate0 * exposure, n_sim)
    x2 = rng.poisson(rate0 * exposure0, n_sim)
    pvalue = {}
    for pair in set(zip(x1.tolist(), x2.tolist())):
        if pair[0] + pair[1] == 0:
            pvalue[pair] = 1.0
        else:
            pvalue[pair] = float(test_poisson_2indep(pair[0], exposure, pair[1], exposure0,
                                                     value=1, method="exact-cond").pvalue)
    hits = sum(pvalue[p] <= alpha for p in zip(x1.tolist(), x2.tolist()))
    pw = hits / n_sim
    return {"power": pw, "se": math.sqrt(pw * (1 - pw) / n_sim), "n_sim": n_sim, "seed": seed}


def required_exposure_exact(rate0: float, ratio: float, exposure0: float, power: float = 0.8,
                            alpha: float = ALPHA, per_decade: int = POWER_GRID_PER_DECADE,
                            span: float = POWER_CHECK_SPAN, max_exposure: float = 1e9) -> float:
    """Exposure (1,000 ASN-elections) at which the exact test (:func:`power_exact`) reaches
    ``power`` and stays there.

    Exact power is not monotone in exposure (the test is discrete: its size and power jump as
    the region of :func:`exact_cond_region` moves), so "the exposure where power reaches 80%"
    needs a rule. Here: exposures are taken on the grid 10**(k/per_decade); the answer is the
    smallest grid exposure E with power >= ``power`` at E **and** at every grid exposure up to
    ``span``·E. The search starts below the Wald answer (:func:`required_exposure`, halved until
    power is below target) and walks up the grid. ``inf`` when no such E lies below
    ``max_exposure``.
    """
    if ratio <= 0 or ratio == 1 or rate0 <= 0:
        raise ValueError("required_exposure_exact: need rate0 > 0 and a ratio > 0, != 1")
    cache: dict[int, float] = {}

    def grid(k: int) -> float:
        return 10 ** (k / per_decade)

    def pw(k: int) -> float:
        if k not in cache:
            cache[k] = power_exact(rate0, ratio, grid(k), exposure0, alpha)
        return cache[k]

    wald = required_exposure(rate0, ratio, exposure0, power, alpha)
    start = wald if math.isfinite(wald) else 1.0
    halve = max(1, round(per_decade * math.log10(2)))
    k = math.floor(per_decade * math.log10(start)) - halve
    while pw(k) >= power:
        k -= halve
        if grid(k) < 1e-9:
            raise ValueError("required_exposure_exact: power at target even at no exposure")
    # smallest k whose window k..k+width all reach the target; a failure at j rules out every
    # candidate up to j, so each window is checked from its far end and the search jumps past it
    width = math.floor(per_decade * math.log10(span) + 1e-9)
    k += 1
    while grid(k) <= max_exposure:
        failed = next((j for j in range(k + width, k - 1, -1) if pw(j) < power), None)
        if failed is None:
            return grid(k)
        k = failed + 1
    return math.inf


def power_table(incidence_table: pd.DataFrame, ratios=(1.5, 2.0, 3.0), power: float = 0.8,
                alpha: float = ALPHA) -> pd.DataFrame:
    """Cases and ASN-elections a follow-up study needs to detect each rate ratio with the test
    the chapter uses (exact conditional).

    One row per election of the main analysis (``main`` rows of ``incidence_table`` with a
    national count; one national count per election, so a second source of the same count is
    not a second reference rate) × ratio. The case counts assume a complete register of the
    city's cases (Poisson counts); a curated list such as the paper's Table 1 is not one.
    ``estimate`` = ASN-elections of observation needed by :func:`required_exposure_exact` (no
    interval: a design quantity); ``power_exact`` = the exact power there; ``n`` = proven cases
    expected in the city over that exposure (rounded up); ``elections_city`` = how many
    elections of a city with Pangkalpinang's ASN count that is. Comparison only:
    ``wald_exposure`` (ASN-elections where the Wald approximation :func:`power_rr` says
    ``power``), ``wald_cases`` and ``power_exact_at_wald``, the exact test's power at that
    exposure.
    """
    main = incidence_table["main"] if "main" in incidence_table else True
    base = incidence_table[main & (incidence_table["baseline_id"] != "–")]
    base = base.drop_duplicates("election")
    city = incidence_table["city_asn"].dropna()
    city_asn = int(city.iloc[0]) if not city.empty else math.nan
    rows = []
    for _, b in base.iterrows():
        r0 = float(b["national_rate"])
        e0 = float(b["national_asn"]) / 1000
        for rr in ratios:
            e = required_exposure_exact(r0, rr, e0, power, alpha)
            ew = required_exposure(r0, rr, e0, power, alpha)
            cases = e * rr * r0
            asn_el = e * 1000
            n_el = asn_el / city_asn
            at_wald = power_exact(r0, rr, ew, e0, alpha)
            label = vocab.election(b["election"])
            need = math.ceil(cases - 1e-9)
            rows.append({
                "election": b["election"], "body": b["body"], "baseline_id": b["baseline_id"],
                "national_rate": r0, "ratio": rr, "cases": cases, "elections_city": n_el,
                "estimate": asn_el, "lower": math.nan, "upper": math.nan,
                "power_exact": power_exact(r0, rr, e, e0, alpha),
                "wald_exposure": ew * 1000, "wald_cases": ew * rr * r0,
                "power_exact_at_wald": at_wald,
                "method": (f"daya uji eksak bersyarat (enumerasi eksak), dua sisi, α = {alpha}, "
                           f"sasaran {power:.0%}: paparan terkecil pada kisi "
                           f"{POWER_GRID_PER_DECADE} titik per dekade yang dayanya tetap di atas "
                           f"sasaran sampai {POWER_CHECK_SPAN:g} kali paparan itu; pembanding: "
                           "pendekatan Wald log-RR (power_poisson_ratio_2indep)"),
                "n": int(need),
                "reading": (f"Terhadap laju {label} ({b['body']}, {_num(r0)} per 1,000 ASN), "
                            f"uji eksak bersyarat mencapai daya {power:.0%} untuk rasio {rr:g} "
                            f"setelah sekitar {need} kasus terbukti di kota, yaitu "
                            f"{asn_el:,.0f} ASN-pemilihan: {n_el:,.0f} kali pemilihan di kota "
                            f"seukuran Pangkalpinang. Pendekatan Wald menyebut {ew * 1000:,.0f} "
                            f"ASN-pemilihan; di sana daya uji eksak hanya {at_wald:.2f}."),
                "source": b["national_source"],
            })
    return pd.DataFrame(rows)


def power_curve(rate0: float, exposure0: float, ratios=(1.5, 2.0, 3.0),
                asn_elections=None, alpha: float = ALPHA) -> pd.DataFrame:
    """Power against ASN-elections of observation, long format: ``ratio``, ``asn_elections``,
    ``power`` (exact conditional test, :func:`power_exact`) and ``power_wald`` (the Wald
    approximation, :func:`power_rr`, for comparison)."""
    if asn_elections is None:
        asn_elections = np.geomspace(1e3, 1e7, 81)
    rows = [{"ratio": rr, "asn_elections": float(a),
             "power": power_exact(rate0, rr, float(a) / 1000, exposure0, alpha),
             "power_wald": power_rr(rate0, rr, float(a) / 1000, exposure0, alpha)}
            for rr in ratios for a in asn_elections]
    return pd.DataFrame(rows)


def incidence_row(inc: pd.DataFrame, election: str, definition: str) -> pd.Series:
    """The row of :func:`incidence` for ``election`` and the city case ``definition``
    (``"strict"`` or ``"paper"``): the first national source when there are several.

    Raises :class:`KeyError` naming both when the table has no such row (e.g. an election the
    city did not hold, which has no city definition)."""
    rows = inc[(inc["election"] == election) & (inc["definition"] == definition)]
    if "choice" in inc:  # the main row or the definition's own row, not another sensitivity row
        rows = rows[rows["choice"].isin(["main", "definition"])]
    if rows.empty:
        raise KeyError(f"incidence: no row for election '{election}' and definition "
                       f"'{definition}'")
    return rows.iloc[0]
