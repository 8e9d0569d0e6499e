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
    a sanction was imposed (``sanction_rank >= 1``) **and** public sources confirm the case
    (``public_record == "confirmed"``);
``"paper"``
    the paper records a sanction (``sanction_rank >= 1``), confirmed publicly or not.

The national counts come from two bodies that count differently: KASN counts civil servants
reported to it and those it found in violation (Pilkada 2020, Pemilu 2024); Bawaslu counts
findings and reports that it ruled to be violations (Pilkada 2024). Rates are per 1,000 ASN per
election (one election = one period of exposure), not per year.

statsmodels and scipy are imported inside the functions that use them (importing them costs
about a second; chapters that do not use this module do not pay for it). The chapter's display
tables are in :mod:`netralitas.stats_tables`, its figures in :mod:`netralitas.plots.stats`."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from . import vocab
from .bib import merge_keys
from .indicators import closest_in_time

__all__ = ["ALPHA", "TIDY", "DEFINITIONS", "COUNTING", "poisson_ci", "clopper_pearson",
           "rate_ratio", "city_proven", "national_proven", "incidence", "incidence_row",
           "binomial_vs_shares", "position_profile", "sanction_outcomes", "provincial_share",
           "power_rr", "required_exposure", "power_table", "power_curve"]


def _asn_rows(indicators: pd.DataFrame, scope: str) -> pd.DataFrame:
    asn = indicators[(indicators["scope"] == scope) & (indicators["indicator"] == "asn_total")]
    if asn.empty:
        raise ValueError(f"indicators: no asn_total row for scope '{scope}'")
    return asn


ALPHA = 0.05


TIDY = ["estimate", "lower", "upper", "method", "n", "reading"]


DEFINITIONS = {
    "strict": "terbukti bila ada sanksi dan kasusnya dikonfirmasi sumber publik",
    "paper": "terbukti bila makalah mencatat sanksi, dikonfirmasi sumber publik atau tidak",
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
    _require(violations, ["sanction_rank", "public_record"], "violations")
    sanctioned = violations["sanction_rank"].fillna(0).astype(int) >= 1
    if definition == "strict":
        return sanctioned & (violations["public_record"] == "confirmed")
    if definition == "paper":
        return sanctioned
    raise ValueError(f"unknown definition {definition!r} (use 'strict' or 'paper')")


def national_proven(baselines: pd.DataFrame) -> pd.DataFrame:
    """The national 'proven' counts used as baselines, one row per source.

    Per election: rows with scope national, measure proven, category all, unit count; the
    final count when there is one, else the latest ``period_end``. Disagreeing sources for the
    same count (e.g. KASN's own figure and the figure Bawaslu quotes) are all kept.
    """
    _require(baselines, ["baseline_id", "body", "scope", "election", "period_end", "status",
                         "measure", "category", "value", "unit", "source"], "baselines")
    b = baselines[(baselines["scope"] == "national") & (baselines["measure"] == "proven")
                  & (baselines["category"] == "all") & (baselines["unit"] == "count")]
    keep = []
    for _, g in b.groupby("election", sort=True):
        final = g[g["status"] == "final"]
        if not final.empty:
            keep.append(final)
        else:
            latest = g["period_end"].max()
            keep.append(g[g["period_end"] == latest])
    if not keep:
        return b.iloc[0:0].copy()
    return pd.concat(keep).sort_values(["election", "baseline_id"]).reset_index(drop=True)


def incidence(baselines: pd.DataFrame, violations: pd.DataFrame, indicators: pd.DataFrame,
              elections: pd.DataFrame, definitions=("strict", "paper"),
              alpha: float = ALPHA) -> pd.DataFrame:
    """Proven violations per 1,000 ASN per election, city vs national, with rate ratios.

    One row per election × national source × city definition. A side that does not exist is
    left empty and the reading says why: the city side exists only for elections held in
    Pangkalpinang (a voting day in ``elections``), the national side only where
    :func:`national_proven` has a count. ``n`` is the city's count of proven cases.
    The national denominator is the national ASN count closest in time to the count's end date
    (or to the election year); the city's is its only ASN count.
    """
    _require(elections, ["event_id", "date", "election", "kind"], "elections")
    nat = national_proven(baselines)
    voting = elections[elections["kind"] == "voting_day"].set_index("election")["date"]
    city_elections = set(voting.index)
    year = vocab.elections().set_index("election")["year"]
    elections_all = sorted(set(nat["election"]) | (set(violations["election"]) & city_elections),
                           key=lambda e: (int(year[e]), e))
    city_asn_row = closest_in_time(_asn_rows(indicators, "city"), None)
    city_exposure = float(city_asn_row["value"]) / 1000
    rows = []
    for el in elections_all:
        label = vocab.election(el)
        nat_rows = nat[nat["election"] == el]
        has_city = el in city_elections
        cases = violations[violations["election"] == el]
        defs = list(definitions) if has_city else [None]
        nat_iter = list(nat_rows.iterrows()) if not nat_rows.empty else [(None, None)]
        for _, nrow in nat_iter:
            for d in defs:
                row = {"election": el, "label": label, "definition": d or "–",
                       "definition_label": vocab.label("definition", d) if d else "tanpa angka kota"}
                if nrow is not None:
                    when = (nrow["period_end"] if pd.notna(nrow["period_end"])
                            else voting.get(el, pd.Timestamp(f"{int(year[el])}-07-01")))
                    nasn = closest_in_time(_asn_rows(indicators, "national"), pd.Timestamp(when))
                    nexp = float(nasn["value"]) / 1000
                    ncount = int(nrow["value"])
                    nlo, nhi = poisson_ci(ncount, nexp, alpha)
                    row.update({
                        "body": nrow["body"], "baseline_id": nrow["baseline_id"],
                        "national_period_end": nrow["period_end"], "national_proven": ncount,
                        "national_asn": int(nasn["value"]), "national_asn_id": nasn["indicator_id"],
                        "national_rate": ncount / nexp, "national_lower": nlo, "national_upper": nhi,
                    })
                else:
                    row.update({"body": "–", "baseline_id": "–", "national_period_end": pd.NaT,
                                "national_proven": pd.NA, "national_asn": pd.NA,
                                "national_asn_id": "–", "national_rate": math.nan,
                                "national_lower": math.nan, "national_upper": math.nan})
                if d is not None:
                    mask = city_proven(cases, d)
                    ccount = int(mask.sum())
                    clo, chi = poisson_ci(ccount, city_exposure, alpha)
                    row.update({
                        "city_cases": ",".join(sorted(cases.loc[mask, "case_id"])) or "–",
                        "city_proven": ccount, "city_asn": int(city_asn_row["value"]),
                        "city_rate": ccount / city_exposure, "city_lower": clo, "city_upper": chi,
                    })
                else:
                    row.update({"city_cases": "–", "city_proven": pd.NA, "city_asn": pd.NA,
                                "city_rate": math.nan, "city_lower": math.nan,
                                "city_upper": math.nan})
                comparable = nrow is not None and d is not None
                row["comparable"] = comparable
                if comparable:
                    rr = rate_ratio(row["city_proven"], city_exposure, row["national_proven"],
                                    float(row["national_asn"]) / 1000, alpha)
                    row.update({"estimate": rr["estimate"], "lower": rr["lower"],
                                "upper": rr["upper"], "pvalue": rr["pvalue"],
                                "method": "rasio laju; uji eksak bersyarat (binomial) dan selang "
                                          "Clopper–Pearson yang dipetakan ke rasio"})
                else:
                    row.update({"estimate": math.nan, "lower": math.nan, "upper": math.nan,
                                "pvalue": math.nan, "method": "tidak dapat dibandingkan"})
                row["n"] = row["city_proven"]
                row["reading"] = _incidence_reading(row, has_city)
                src = [nrow["source"] if nrow is not None else None]
                if nrow is not None:
                    src.append(indicators.set_index("indicator_id").loc[row["national_asn_id"], "source"])
                if d is not None:
                    src.append(city_asn_row["source"])
                    src.extend(cases.loc[city_proven(cases, d), "source"].tolist())
                row["national_source"] = _keys(*src[:2]) if nrow is not None else ""
                row["city_asn_source"] = _keys(city_asn_row["source"]) if d is not None else ""
                row["source"] = _keys(*src)
                rows.append(row)
    out = pd.DataFrame(rows)
    for c in ("national_proven", "national_asn", "city_proven", "city_asn", "n"):
        out[c] = out[c].astype("Int64")
    return out


def _incidence_reading(row: dict, has_city: bool) -> str:
    if row["baseline_id"] == "–":
        why = ("Pilkada ulang hanya digelar di daerah yang dimenangkan kotak kosong; tidak ada "
               "angka nasional pembanding" if vocab.election_kind(row["election"]) == "rerun"
               else "Data belum memuat angka nasional pembanding untuk pemilihan ini")
        return (f"{why}, jadi tidak ada rasio. Kota: {row['city_proven']} kasus "
                f"terbukti ({DEFINITIONS[row['definition']]}).")
    nat = (f"nasional {_num(row['national_rate'])} per 1,000 ASN ({row['national_proven']:,} "
           f"terbukti menurut {row['body']}; {COUNTING[row['body']]})")
    if not has_city:
        return (f"Pangkalpinang tidak menggelar pilkada ini, jadi tidak ada angka kota dan tidak "
                f"ada rasio; hanya {nat}.")
    rr = row["estimate"]
    if row["city_proven"] == 0:
        head = (f"Kota 0 kasus terbukti, jadi rasio laju 0 terhadap {nat}; batas atas selangnya "
                f"{_num(row['upper'], 1)}")
    else:
        head = (f"Kota {row['city_proven']} kasus terbukti, {_num(row['city_rate'])} per "
                f"1,000 ASN, {_num(rr, 1)} kali {nat}; selang {_num(row['lower'], 1)}–"
                f"{_num(row['upper'], 1)}")
    verdict = ("perbedaan ini tidak dapat dibedakan dari kebetulan" if row["pvalue"] >= 0.05
               else "perbedaan ini jarang terjadi bila lajunya sama")
    return (f"{head}; p = {_fmt_p(row['pvalue'])}: {verdict}. Definisi kota: "
            f"{DEFINITIONS[row['definition']]}.")


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


def _binom_verdict(res: dict, alpha: float = ALPHA) -> str:
    inside = res["lower"] <= res["p0"] <= res["upper"]
    if inside and res["pvalue"] >= alpha:
        return "Selangnya memuat angka nasional: tidak ada bukti perbedaan."
    if inside:
        return ("Uji minlike menolak kesamaan pada taraf 5%, tetapi selang Clopper–Pearson "
                f"masih memuat angka nasional (p sentral = {_fmt_p(res['pvalue_central'])}): "
                "hasil di batas, tidak kokoh dengan hitungan sekecil ini.")
    return "Angka nasional berada di luar selang."


def position_profile(violations: pd.DataFrame, baselines: pd.DataFrame,
                     alpha: float = ALPHA) -> pd.DataFrame:
    """The city's cases by position group against KASN's national shares by position.

    ``n`` is the number of city cases (all rows of ``violations``: the national shares are of
    all violators KASN recorded, and the city's tabled cases are the closest analogue). Groups
    the national source does not list are pooled as ``other`` with the remaining share.
    """
    _require(violations, ["case_id", "position_group", "source"], "violations")
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
    for cat, p0, bid, src in spec:
        x = int((groups == cat).sum())
        res = binomial_vs_shares(x, n, p0, alpha)
        ids = ",".join(sorted(violations.loc[groups == cat, "case_id"])) or "–"
        label = vocab.label("position_group", cat)
        rows.append({
            "category": cat, "label": label, "x": x, "city_cases": ids, "baseline_id": bid, **res,
            "method": "Clopper–Pearson; uji binomial eksak dua sisi", "n": n,
            "reading": (f"{label}: {x} dari {n} kasus kota ({_pct(x / n)}; selang "
                        f"{_pct(res['lower'])}–{_pct(res['upper'])}) dibanding {_pct(p0)} secara "
                        f"nasional; p = {_fmt_p(res['pvalue'])}. " + _binom_verdict(res, alpha)),
            "national_source": _keys(src),
            "source": _keys(src, *violations.loc[groups == cat, "source"]),
        })
    return pd.DataFrame(rows)


def _count(b: pd.DataFrame, measure: str) -> pd.DataFrame:
    return b[(b["measure"] == measure) & (b["unit"] == "count") & (b["category"] == "all")]


def sanction_outcomes(violations: pd.DataFrame, baselines: pd.DataFrame,
                      definitions=("paper", "strict"), alpha: float = ALPHA) -> pd.DataFrame:
    """Share of the city's cases that ended proven (with a sanction) vs national shares.

    National shares are computed from the counts (not the printed percentages), within one
    body, election and period (the final count, else the latest period that has both counts):
    proven / reported and sanctioned / reported. A national
    ``reported`` count paired with two disagreeing ``proven`` counts gives two rows. ``n`` is
    the number of city cases; ``x`` the cases proven under ``definition``.
    """
    _require(baselines, ["baseline_id", "body", "scope", "election", "period_end", "measure",
                         "category", "value", "unit", "source"], "baselines")
    b = baselines[baselines["scope"] == "national"].copy()
    b["_period"] = b["period_end"].astype("string").fillna("final")
    refs = []
    for (body, el), ge in b.groupby(["body", "election"], sort=True):
        periods = list(ge["_period"].unique())
        periods = ["final"] * ("final" in periods) + sorted((p for p in periods if p != "final"),
                                                            reverse=True)
        for period in periods:
            g = ge[ge["_period"] == period]
            rep = _count(g, "reported")
            found = []
            if len(rep) == 1:
                rep = rep.iloc[0]
                for measure in ("proven", "sanctioned"):
                    for _, num in _count(g, measure).iterrows():
                        found.append({
                            "body": body, "election": el, "measure": measure,
                            "p0": float(num["value"]) / float(rep["value"]),
                            "numerator": int(num["value"]), "denominator": int(rep["value"]),
                            "baseline_id": f"{num['baseline_id']}/{rep['baseline_id']}",
                            "source": _keys(num["source"], rep["source"])})
            if found:
                refs.extend(found)
                break
    n = len(violations)
    rows = []
    for d in definitions:
        mask = city_proven(violations, d)
        x = int(mask.sum())
        for ref in refs:
            res = binomial_vs_shares(x, n, ref["p0"], alpha)
            what = "terbukti" if ref["measure"] == "proven" else "disanksi"
            label = vocab.election(ref["election"])
            rows.append({
                "definition": d, "x": x, "city_cases": ",".join(sorted(violations.loc[mask, "case_id"])),
                **{k: ref[k] for k in ("body", "election", "measure", "numerator", "denominator",
                                       "baseline_id")},
                **res, "method": "Clopper–Pearson; uji binomial eksak dua sisi", "n": n,
                "reading": (f"Kota: {x} dari {n} kasus berujung sanksi ({_pct(x / n)}; selang "
                            f"{_pct(res['lower'])}–{_pct(res['upper'])}); {label} "
                            f"({ref['body']}): {_pct(ref['p0'])} laporan {what}; "
                            f"p = {_fmt_p(res['pvalue'])}. {_binom_verdict(res, alpha)} "
                            f"Definisi kota: {DEFINITIONS[d]}."),
                "national_source": ref["source"],
                "source": _keys(ref["source"], *violations.loc[mask, "source"]),
            })
    out = pd.DataFrame(rows)
    return out.sort_values(["definition", "election", "body", "measure", "baseline_id"],
                           kind="stable").reset_index(drop=True)


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
    """Power of the two-sided Wald test on log RR (city rate ``ratio*rate0`` vs ``rate0``).

    statsmodels ``power_poisson_ratio_2indep`` (Zhu & Lakkis; ``method_var="alt"``) with the
    city as group 1 (exposure ``exposure``, in 1,000 ASN-elections) and the nation as group 2
    (``exposure0``). Its normal approximation: power ≈ Φ(|ln RR| / se − z₁₋α/₂) with
    se² = 1/(exposure·rate1) + 1/(exposure0·rate0).
    """
    from statsmodels.stats.rates import power_poisson_ratio_2indep

    pw = power_poisson_ratio_2indep(rate1=ratio * rate0, rate2=rate0, nobs1=exposure,
                                    nobs_ratio=exposure0 / exposure, exposure=1, value=1,
                                    alpha=alpha, alternative="two-sided", method_var="alt",
                                    return_results=False)
    return float(pw)


def required_exposure(rate0: float, ratio: float, exposure0: float, power: float = 0.8,
                      alpha: float = ALPHA) -> float:
    """Exposure (1,000 ASN-elections) at which :func:`power_rr` reaches ``power``.

    Solved numerically (scipy ``brentq``). ``inf`` when even unlimited city exposure cannot
    reach ``power`` because the national count itself is too small.
    """
    from scipy.optimize import brentq

    if ratio <= 0 or ratio == 1 or rate0 <= 0:
        raise ValueError("required_exposure: need rate0 > 0 and a ratio > 0, != 1")
    hi = 1.0
    f = lambda e: power_rr(rate0, ratio, e, exposure0, alpha) - power  # noqa: E731
    while f(hi) < 0:
        hi *= 4
        if hi > 1e12:
            return math.inf
    lo = hi / 4
    while f(lo) > 0 and lo > 1e-12:
        lo /= 4
    return float(brentq(f, lo, hi, xtol=1e-10, rtol=1e-12))


def power_table(incidence_table: pd.DataFrame, ratios=(1.5, 2.0, 3.0), power: float = 0.8,
                alpha: float = ALPHA) -> pd.DataFrame:
    """Cases and ASN-elections a follow-up study needs to detect each rate ratio.

    One row per national baseline (unique ``baseline_id`` of ``incidence_table``) × ratio.
    ``estimate`` = ASN-elections of observation needed (no interval: a design quantity);
    ``n`` = proven cases expected in the city over that exposure (rounded up);
    ``elections_city`` = how many elections of a city with Pangkalpinang's ASN count that is.
    """
    base = incidence_table[incidence_table["baseline_id"] != "–"].drop_duplicates("baseline_id")
    city = incidence_table["city_asn"].dropna()
    city_asn = int(city.iloc[0]) if not city.empty else math.nan
    rows = []
    for _, b in base.iterrows():
        r0 = float(b["national_rate"])
        e0 = float(b["national_asn"]) / 1000
        for rr in ratios:
            e = required_exposure(r0, rr, e0, power, alpha)
            cases = e * rr * r0
            asn_el = e * 1000
            n_el = asn_el / city_asn
            label = vocab.election(b["election"])
            rows.append({
                "election": b["election"], "body": b["body"], "baseline_id": b["baseline_id"],
                "national_rate": r0, "ratio": rr, "cases": cases, "elections_city": n_el,
                "estimate": asn_el, "lower": math.nan, "upper": math.nan,
                "method": (f"power_poisson_ratio_2indep (Wald log-RR, dua sisi, α = {alpha}, "
                           f"daya {power:.0%}), diselesaikan dengan brentq"),
                "n": int(math.ceil(cases - 1e-9)),
                "reading": (f"Terhadap laju {label} ({b['body']}, {_num(r0)} per 1,000 ASN), "
                            f"rasio {rr:g} baru terdeteksi dengan daya {power:.0%} setelah "
                            f"sekitar {math.ceil(cases - 1e-9)} kasus terbukti di kota, yaitu "
                            f"{asn_el:,.0f} ASN-pemilihan: {n_el:,.0f} kali pemilihan di kota "
                            f"seukuran Pangkalpinang."),
                "source": b["national_source"],
            })
    return pd.DataFrame(rows)


def power_curve(rate0: float, exposure0: float, ratios=(1.5, 2.0, 3.0),
                asn_elections=None, alpha: float = ALPHA) -> pd.DataFrame:
    """Power against ASN-elections of observation, long format (ratio, asn_elections, power)."""
    if asn_elections is None:
        asn_elections = np.geomspace(1e3, 1e7, 161)
    rows = [{"ratio": rr, "asn_elections": float(a),
             "power": power_rr(rate0, rr, float(a) / 1000, exposure0, alpha)}
            for rr in ratios for a in asn_elections]
    return pd.DataFrame(rows)


def incidence_row(inc: pd.DataFrame, election: str, definition: str) -> pd.Series:
    """The row of :func:`incidence` for ``election`` and the city case ``definition``
    (``"strict"`` or ``"paper"``): the first national source when there are several.

    Raises :class:`KeyError` naming both when the table has no such row (e.g. an election the
    city did not hold, which has no city definition)."""
    rows = inc[(inc["election"] == election) & (inc["definition"] == definition)]
    if rows.empty:
        raise KeyError(f"incidence: no row for election '{election}' and definition "
                       f"'{definition}'")
    return rows.iloc[0]
