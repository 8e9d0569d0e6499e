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
about a second; chapters that do not use this module do not pay for it).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from . import bib

ALPHA = 0.05
TIDY = ["estimate", "lower", "upper", "method", "n", "reading"]

ELECTION_LABELS = {
    "pilkada2020": "Pilkada 2020",
    "pemilu2024": "Pemilu 2024",
    "pilkada2024": "Pilkada 2024",
    "pilkada2025": "Pilkada ulang 2025",
}
POSITION_LABELS = {
    "jpt": "Pimpinan tinggi (JPT)",
    "administrator": "Administrator",
    "supervisor": "Pengawas",
    "functional": "Fungsional",
    "implementing": "Pelaksana",
    "camat_lurah": "Camat/lurah",
    "other": "Lainnya/tidak dirinci",
}
DEFINITIONS = {
    "strict": "terbukti bila ada sanksi dan kasusnya dikonfirmasi sumber publik",
    "paper": "terbukti bila makalah mencatat sanksi, dikonfirmasi sumber publik atau tidak",
}
DEFINITION_LABELS = {"strict": "definisi ketat", "paper": "definisi makalah"}
BODY_LABELS = {"KASN": "KASN", "Bawaslu": "Bawaslu"}
SCOPE_LABELS = {"national": "nasional", "province": "provinsi", "city": "kota"}
STATUS_LABELS = {"final": "akhir", "interim": "sementara"}
MEASURE_LABELS = {
    "reported": "dilaporkan",
    "proven": "terbukti melanggar",
    "sanctioned": "dijatuhi sanksi",
    "recommended": "direkomendasikan untuk disanksi",
    "not_proven": "dinyatakan bukan pelanggaran",
    "share_by_type": "bagian menurut bentuk pelanggaran",
    "share_by_position": "bagian menurut jabatan",
    "period_length": "lama masa kampanye",
}
CATEGORY_LABELS = {
    "all": "",
    "social_media": "kampanye lewat media sosial",
    "approaching_parties": "mendekati partai politik",
    "banners": "memasang spanduk atau baliho",
    "declaring_candidacy": "mendeklarasikan diri sebagai bakal calon",
    "attending_declaration": "menghadiri deklarasi pasangan calon",
    "campaign_days": "",
    **{k: v[0].lower() + v[1:] for k, v in POSITION_LABELS.items()},
}
#: What a percentage row is a percentage of (its ``denominator`` column).
DENOMINATOR_LABELS = {"reported": "dari yang dilaporkan", "proven": "dari yang terbukti"}
UNIT_LABELS = {"count": "", "percent": "%", "days": " hari"}
INSIDE_LABELS = {"ya": "ya", "sebagian": "sebagian", "tidak": "tidak"}
COUNTING = {
    "KASN": "KASN menghitung ASN yang dilaporkan dan yang dinyatakan terbukti setelah pemeriksaan",
    "Bawaslu": "Bawaslu menghitung temuan dan laporan yang diputus sebagai pelanggaran",
}


# --------------------------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------------------------
def _keys(*values) -> str:
    """Union of ``;``-separated bib keys, in first-seen order."""
    out: list[str] = []
    for v in values:
        if isinstance(v, str):
            out.extend(bib.split_keys(v))
    return ";".join(dict.fromkeys(out))


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


# --------------------------------------------------------------------------------------------
# exact building blocks
# --------------------------------------------------------------------------------------------
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


# --------------------------------------------------------------------------------------------
# 1. ASN per 100 residents
# --------------------------------------------------------------------------------------------
CENSUS_WHY = ("hitungan lengkap (sensus, registrasi, basis data kepegawaian), bukan sampel: "
              "tidak ada galat sampling, jadi tidak ada selang; ketidakpastiannya adalah "
              "pilihan penyebut, yang ditunjukkan oleh baris-baris alternatif")


def asn_per_100(indicators: pd.DataFrame, scopes=("city", "national")) -> pd.DataFrame:
    """ASN per 100 residents for each scope, with every pairing of ASN count and population.

    Each ``asn_total`` row of a scope is paired with each ``population`` row of that scope
    (sensitivity to the denominator). The paper's stated ratio (``asn_per_resident``) is added
    as its own row. ``n`` is the population count. No interval: these are complete counts.
    """
    _require(indicators, ["indicator_id", "scope", "indicator", "variant", "value", "ref_period",
                          "source"], "indicators")
    rows = []
    for scope in scopes:
        ind = indicators[indicators["scope"] == scope]
        asn = ind[ind["indicator"] == "asn_total"]
        pop = ind[ind["indicator"] == "population"]
        if asn.empty or pop.empty:
            raise ValueError(f"indicators: no asn_total or population rows for scope '{scope}'")
        where = "Kota" if scope == "city" else "Nasional"
        for _, a in asn.iterrows():
            for _, p in pop.iterrows():
                est = 100 * float(a["value"]) / float(p["value"])
                rows.append({
                    "scope": scope, "asn_id": a["indicator_id"], "population_id": p["indicator_id"],
                    "asn": int(a["value"]),
                    "asn_period": a["ref_period"] if pd.notna(a["ref_period"]) else "–",
                    "population": int(p["value"]), "population_variant": p["variant"],
                    "population_period": p["ref_period"] if pd.notna(p["ref_period"]) else "–",
                    "estimate": est, "lower": math.nan, "upper": math.nan,
                    "method": "rasio hitungan lengkap; tanpa selang sampling",
                    "n": int(p["value"]),
                    "reading": (f"{where}: {_num(est, 2)} ASN per 100 penduduk "
                                f"(1 ASN per {float(p['value']) / float(a['value']):,.0f} penduduk; "
                                f"penyebut {p['variant']}). Tanpa selang: {CENSUS_WHY}."),
                    "source": _keys(a["source"], p["source"]),
                })
        for _, s in ind[ind["indicator"] == "asn_per_resident"].iterrows():
            est = 100 * float(s["value"])
            rows.append({
                "scope": scope, "asn_id": "–", "population_id": s["indicator_id"], "asn": pd.NA,
                "asn_period": "–", "population": pd.NA, "population_variant": s["variant"],
                "population_period": "–", "estimate": est, "lower": math.nan, "upper": math.nan,
                "method": "rasio yang dinyatakan makalah", "n": pd.NA,
                "reading": f"{where}: makalah menyatakan sekitar {_num(est, 2)} ASN per 100 penduduk.",
                "source": _keys(s["source"]),
            })
    out = pd.DataFrame(rows)
    out["n"] = out["n"].astype("Int64")
    out["asn"] = out["asn"].astype("Int64")
    out["population"] = out["population"].astype("Int64")
    out = out.sort_values(["scope", "method", "estimate", "population_id"], kind="stable")
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# 2. incidence of proven violations per 1,000 ASN, rate ratios
# --------------------------------------------------------------------------------------------
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


def _closest_asn(indicators: pd.DataFrame, scope: str, when: pd.Timestamp) -> pd.Series:
    asn = indicators[(indicators["scope"] == scope) & (indicators["indicator"] == "asn_total")]
    if asn.empty:
        raise ValueError(f"indicators: no asn_total row for scope '{scope}'")
    periods = asn["ref_period"].fillna("")

    def as_date(s: str) -> pd.Timestamp:
        parts = s.split("-")
        if len(parts) == 1:
            return pd.Timestamp(f"{parts[0]}-07-01")
        if len(parts) == 2:
            return pd.Timestamp(f"{s}-15")
        return pd.Timestamp(s)

    gaps = [abs((as_date(p) - when).days) if p else 10**6 for p in periods]
    return asn.iloc[int(np.argmin(gaps))]


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
    elections_all = sorted(set(nat["election"]) | (set(violations["election"]) & city_elections),
                           key=lambda e: (e[-4:], e))
    city_asn_row = _closest_asn(indicators, "city", pd.Timestamp("2100-01-01"))
    city_exposure = float(city_asn_row["value"]) / 1000
    rows = []
    for el in elections_all:
        label = ELECTION_LABELS.get(el, el)
        nat_rows = nat[nat["election"] == el]
        has_city = el in city_elections
        cases = violations[violations["election"] == el]
        defs = list(definitions) if has_city else [None]
        nat_iter = list(nat_rows.iterrows()) if not nat_rows.empty else [(None, None)]
        for _, nrow in nat_iter:
            for d in defs:
                row = {"election": el, "label": label, "definition": d or "–",
                       "definition_label": DEFINITION_LABELS.get(d, "tanpa angka kota")}
                if nrow is not None:
                    when = (nrow["period_end"] if pd.notna(nrow["period_end"])
                            else voting.get(el, pd.Timestamp(f"{el[-4:]}-07-01")))
                    nasn = _closest_asn(indicators, "national", pd.Timestamp(when))
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
        return (f"Pilkada ulang hanya digelar di daerah yang dimenangkan kotak kosong; tidak ada "
                f"angka nasional pembanding, jadi tidak ada rasio. Kota: {row['city_proven']} kasus "
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


# --------------------------------------------------------------------------------------------
# 3. exact binomial comparisons
# --------------------------------------------------------------------------------------------
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
        label = POSITION_LABELS.get(cat, cat)
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
            label = ELECTION_LABELS.get(ref["election"], ref["election"])
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


# --------------------------------------------------------------------------------------------
# 4. power
# --------------------------------------------------------------------------------------------
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
            label = ELECTION_LABELS.get(b["election"], b["election"])
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


# --------------------------------------------------------------------------------------------
# 5. transfer waves vs the election calendar
# --------------------------------------------------------------------------------------------
def legal_windows(elections: pd.DataFrame, legal_events: pd.DataFrame | None = None) -> pd.DataFrame:
    """Periods in which replacing officials needs the Minister's written approval.

    One row per window, in the form the statistics tables use (``window_id``, ``rule``,
    ``election``, ``start``, ``end``, ``basis``, ``source``). The rules themselves live in one
    place, :func:`netralitas.figures.pasal71_windows` and :func:`~netralitas.figures.pasal162_windows`
    (also used by the D.5 timeline): Pasal 71 ayat (2) UU 10/2016 runs from 6 months before each
    candidate determination (or the start date an official source states, from ``legal_events``)
    to the inauguration of that election's winner or, where the election produced none, the next
    inauguration at the same level; Pasal 162 ayat (3) covers the 6 months after an
    inauguration. Pemilu 2024 has no such window (it is governed by UU 7/2017).
    """
    from . import figures

    inaug = elections[elections["kind"] == "inauguration"].sort_values(["date", "event_id"])
    rows = []
    for _, w in figures.pasal71_windows(elections, legal_events).iterrows():
        if pd.isna(w["end"]):
            continue
        end_row = inaug[inaug["date"] == w["end"]].iloc[0]
        label = _election(w["election"])
        begin = (f"{figures.PASAL71_MONTHS_BEFORE} bulan sebelum penetapan pasangan calon {label}"
                 if w["start_basis"] == "inferred"
                 else f"tanggal mulai yang dinyatakan sumber resmi untuk {label}")
        rows.append({"window_id": f"p71-{w['election']}", "rule": "Pasal 71 ayat (2) UU 10/2016",
                     "label": f"Pasal 71 · {label}",
                     "election": w["election"], "start": w["start"], "end": w["end"],
                     "basis": f"{begin} sampai pelantikan hasil {_election(end_row['election'])}",
                     "source": _keys(w["source"], end_row["source"], "wahananews2024pasal71")})
    for _, w in figures.pasal162_windows(elections).iterrows():
        label = _election(w["election"])
        rows.append({"window_id": f"p162-{w['election']}", "rule": "Pasal 162 ayat (3) UU 10/2016",
                     "label": f"Pasal 162 · {label}",
                     "election": w["election"], "start": w["start"], "end": w["end"],
                     "basis": (f"{figures.PASAL162_MONTHS_AFTER} bulan sesudah pelantikan hasil "
                               f"{label}"),
                     "source": _keys(w["source"], "radarutara2024pelantikan")})
    return pd.DataFrame(rows, columns=["window_id", "rule", "label", "election", "start", "end",
                                       "basis", "source"])


def _wave_span(value: str, wave_id: str) -> tuple[pd.Timestamp, pd.Timestamp, str]:
    try:
        if len(value) == 10:
            t = pd.Timestamp(value)
            return t, t, "day"
        start = pd.Timestamp(f"{value}-01")
    except ValueError:
        from .data import DataError

        raise DataError(f"data/mutations.csv, wave {wave_id}, column 'date': "
                        f"{value!r} is not YYYY-MM-DD or YYYY-MM") from None
    return start, start + pd.offsets.MonthEnd(0), "month"


def waves_vs_calendar(mutations: pd.DataFrame, elections: pd.DataFrame,
                      windows: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each transfer wave against the legal windows and the next voting day.

    Waves known only to the month are treated as the whole month: ``inside`` is "ya" when the
    whole month lies in a window, "tidak" when none of it does, and "sebagian" otherwise; the
    days to the next voting day are given as a range (``lower`` from the month's last day,
    ``upper`` from its first) with the middle of the month (its 15th day) as the marker for
    ``estimate``. ``n`` is the number of people transferred (empty where the source gives
    none). ``after_window`` names the last window that ended before the wave,
    ``after_lower``/``after_upper`` the days since.
    """
    _require(mutations, ["wave_id", "date", "count", "source"], "mutations")
    if windows is None:
        windows = legal_windows(elections)
    votes = elections[elections["kind"] == "voting_day"].sort_values("date")
    labels = (windows.set_index("window_id")["label"] if "label" in windows
              else pd.Series(dtype=str))
    rows = []
    for _, w in mutations.sort_values(["date", "wave_id"]).iterrows():
        start, end, precision = _wave_span(str(w["date"]), w["wave_id"])
        inside, win_ids = "tidak", []
        for _, win in windows.iterrows():
            if start >= win["start"] and end <= win["end"]:
                inside = "ya"
                win_ids = [win["window_id"]]
                break
            if start <= win["end"] and end >= win["start"]:
                inside = "sebagian"
                win_ids.append(win["window_id"])
        nxt = votes[votes["date"] >= start]
        mid = start if precision == "day" else start + pd.Timedelta(days=14)
        row = {"wave_id": w["wave_id"], "date": str(w["date"]), "precision": precision,
               "count": w["count"], "inside": inside, "window": ",".join(win_ids) or "–"}
        if nxt.empty:
            row.update({"next_vote": "–", "next_vote_date": pd.NaT, "estimate": math.nan,
                        "lower": math.nan, "upper": math.nan})
            when = "tidak ada hari pemungutan suara sesudahnya dalam data"
        else:
            v = nxt.iloc[0]
            row.update({"next_vote": v["event_id"], "next_vote_date": v["date"],
                        "estimate": float((v["date"] - mid).days),
                        "lower": float(max(0, (v["date"] - end).days)),
                        "upper": float((v["date"] - start).days)})
            label = ELECTION_LABELS.get(v["election"], v["election"])
            if precision == "day":
                when = f"{int(row['estimate'])} hari sebelum pemungutan suara {label}"
            else:
                when = (f"{int(row['lower'])}–{int(row['upper'])} hari sebelum pemungutan suara "
                        f"{label} (hanya bulannya diketahui)")
        win_label = ", ".join(labels.get(i, i) for i in win_ids) or "–"
        row["window_label"] = win_label
        row["next_vote_label"] = ("–" if nxt.empty else f"{_election(nxt.iloc[0]['election'])}, "
                                  f"{nxt.iloc[0]['date'].strftime('%Y-%m-%d')}")
        where = {"ya": "di dalam jendela " + win_label,
                 "sebagian": "sebagian di dalam jendela " + win_label,
                 "tidak": "di luar jendela larangan"}[inside]
        before = windows[windows["end"] < start].sort_values("end")
        row["after_window"] = before.iloc[-1]["window_id"] if not before.empty else "–"
        row["after_lower"] = float((start - before.iloc[-1]["end"]).days) if not before.empty else math.nan
        row["after_upper"] = float((end - before.iloc[-1]["end"]).days) if not before.empty else math.nan
        if inside == "tidak" and not before.empty:
            last = before.iloc[-1]
            a, z = (start - last["end"]).days, (end - last["end"]).days
            span = f"{a}" if a == z else f"{a}–{z}"
            last_label = labels.get(last["window_id"], last["window_id"])
            where += f" ({span} hari sesudah jendela {last_label} berakhir)"
        count = f"{int(w['count'])} orang" if pd.notna(w["count"]) else "jumlah tidak pasti"
        row.update({
            "method": "tanggal tepat" if precision == "day" else "bulan saja: rentang seluruh bulan",
            "wave_source": _keys(w["source"]),
            "n": w["count"],
            "reading": f"{count.capitalize()}; {where}; {when}.",
            "source": _keys(w["source"], *(windows[windows["window_id"].isin(win_ids)]["source"]),
                            nxt.iloc[0]["source"] if not nxt.empty else None),
        })
        rows.append(row)
    out = pd.DataFrame(rows)
    out["n"] = out["n"].astype("Int64")
    out["count"] = out["count"].astype("Int64")
    return out


# --------------------------------------------------------------------------------------------
# figures
# --------------------------------------------------------------------------------------------
def forest_plot(incidence_table: pd.DataFrame, figsize=(6.6, 6.4)):
    """Forest plot of rate ratios (city / national) on a log axis; returns a Figure.

    One line per row of :func:`incidence`, top to bottom in table order. Comparable rows get
    a point and its interval; a ratio of 0 (no city case) is drawn as a left-pointing marker at
    the axis edge with its upper limit; rows without one side carry a text label instead.
    All text is at least 10 pt, and the figure is narrow enough (6.6 in) to be shown at
    nearly its own size in the page column.
    """
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FuncFormatter

    from .nb import FIG_DPI, PALETTE

    t = incidence_table.reset_index(drop=True)
    fig = Figure(figsize=figsize, dpi=FIG_DPI)
    ax = fig.add_subplot(1, 1, 1)
    comp = t[t["comparable"]]
    finite = pd.concat([comp["lower"][comp["lower"] > 0], comp["upper"][np.isfinite(comp["upper"])],
                        comp["estimate"][comp["estimate"] > 0]])
    xmin = min(0.05, float(finite.min()) / 2) if not finite.empty else 0.05
    xmax = max(20.0, float(finite.max()) * 2) if not finite.empty else 20.0
    colours = {"strict": PALETTE[0], "paper": PALETTE[1]}
    labels = []
    for i, r in t.iterrows():
        y = len(t) - 1 - i
        d = r["definition"]
        nat = f"{r['body']} ({r['baseline_id']})" if r["baseline_id"] != "–" else "tanpa nasional"
        city = DEFINITION_LABELS[d] if d in DEFINITION_LABELS else "tanpa kota"
        labels.append(f"{r['label']}\n{nat} · {city}")
        if not r["comparable"]:
            msg = ("tidak ada angka kota" if r["baseline_id"] != "–" else "tidak ada angka nasional")
            ax.text(math.sqrt(xmin * xmax), y, msg, ha="center", va="center", fontsize=10,
                    color="0.3", style="italic", bbox={"facecolor": "white", "edgecolor": "none"})
            continue
        c = colours.get(d, PALETTE[2])
        lo = max(r["lower"], xmin)
        hi = min(r["upper"], xmax) if np.isfinite(r["upper"]) else xmax
        ax.plot([lo, hi], [y, y], color=c, lw=2, solid_capstyle="butt", gid=f"ci-{i}")
        if r["estimate"] > 0:
            ax.plot([r["estimate"]], [y], "o", color=c, ms=7, gid=f"est-{i}")
        else:
            ax.plot([xmin * 1.12], [y], "<", color=c, ms=8, gid=f"est-{i}")
    ax.axvline(1.0, color="0.3", lw=1, ls="--")
    ax.set_xscale("log")
    ax.set_xlim(xmin, xmax)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
    ax.set_yticks(range(len(t)))
    ax.set_yticklabels(labels[::-1], fontsize=10)
    ax.tick_params(axis="x", labelsize=10)
    ax.set_ylim(-0.7, len(t) - 0.3)
    ax.set_xlabel("Rasio laju, kota / nasional (skala log; 1 = sama)", fontsize=10)
    handles = [Line2D([], [], color=colours[k], marker="o", lw=2, label=f"kota: {v}")
               for k, v in DEFINITION_LABELS.items()]
    handles.append(Line2D([], [], color=colours["strict"], marker="<", lw=0,
                          label="0 kasus kota (batas atas saja)"))
    handles.append(Line2D([], [], color="0.3", ls="--", lw=1, label="rasio 1 (laju sama)"))
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.35, 1.0), ncol=2,
              fontsize=10, frameon=False)
    fig.tight_layout()
    return fig


def power_curve_figure(curve: pd.DataFrame, city_asn: float | None = None, power: float = 0.8,
                       figsize=(6.6, 4.6)):
    """Power against ASN-elections (log axis), one line per rate ratio; returns a Figure.

    A dashed line marks the target power; a dotted vertical line marks one election in a city
    with ``city_asn`` civil servants. The legend (above the axes, so that no text crosses a
    curve) names every line.
    """
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    from .nb import FIG_DPI, PALETTE

    fig = Figure(figsize=figsize, dpi=FIG_DPI)
    ax = fig.add_subplot(1, 1, 1)
    for k, (rr, g) in enumerate(curve.groupby("ratio", sort=True)):
        g = g.sort_values("asn_elections")
        ax.plot(g["asn_elections"], g["power"], color=PALETTE[k % len(PALETTE)], lw=2,
                label=f"rasio laju {rr:g}")
    ax.axhline(power, color="0.3", lw=1, ls="--", label=f"daya sasaran {power:.0%}")
    if city_asn:
        ax.axvline(city_asn, color="0.3", lw=1.2, ls=":", label="satu pemilihan di Pangkalpinang")
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))
    ax.set_ylim(0, 1)
    ax.tick_params(labelsize=10)
    ax.set_xlabel("ASN-pemilihan yang diamati (skala log)", fontsize=10)
    ax.set_ylabel("Daya uji", fontsize=10)
    ax.legend(loc="lower center", bbox_to_anchor=(0.45, 1.0), ncol=2, fontsize=10, frameon=False)
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------------------------
# presentation
# --------------------------------------------------------------------------------------------
def fmt_interval(estimate, lower, upper, digits: int = 2, percent: bool = False) -> str:
    """``"est (lower–upper)"``; ``–`` for a missing estimate, ``∞`` for an infinite limit.

    A degenerate interval (lower = upper = estimate, e.g. an exact date) prints as the estimate.
    """
    def f(v):
        if v is None or pd.isna(v):
            return "–"
        if math.isinf(v):
            return "∞"
        return f"{100 * v:.{max(digits - 1, 0)}f}%" if percent else f"{v:,.{digits}f}"

    if estimate is None or pd.isna(estimate):
        return "–"
    if lower is None or pd.isna(lower) or (lower == upper == estimate):
        return f(estimate)
    return f"{f(estimate)} ({f(lower)}–{f(upper)})"


def present(frame: pd.DataFrame, columns: dict, digits: int = 2, percent: bool = False,
            interval: tuple = ("estimate", "lower", "upper")) -> pd.DataFrame:
    """A display copy of a result table: columns picked and renamed in ``columns`` order.

    The key ``"_interval"`` in ``columns`` inserts the formatted ``estimate (lower–upper)``;
    a ``pvalue``/``pvalue_central`` column is printed with 3 decimals (``< 0.001`` below);
    other floats are rounded to ``digits``.
    """
    out = pd.DataFrame(index=frame.index)
    for col, label in columns.items():
        if col == "_interval":
            e, lo, hi = interval
            out[label] = [fmt_interval(a, b, c, digits, percent)
                          for a, b, c in zip(frame[e], frame[lo], frame[hi])]
        elif col.startswith("pvalue"):
            out[label] = [_fmt_p(v) if pd.notna(v) else "–" for v in frame[col]]
        elif pd.api.types.is_float_dtype(frame[col]):
            out[label] = [("–" if pd.isna(v) else f"{v:,.{digits}f}") for v in frame[col]]
        else:
            out[label] = [("–" if (not isinstance(v, str) and pd.isna(v)) else str(v))
                          for v in frame[col]]
    return out.reset_index(drop=True)


def readings(frame: pd.DataFrame, label_columns: list[str], formats: dict | None = None):
    """The ``reading`` column as a MyST bullet list (IPython Markdown, for ``glue``).

    Each bullet starts with the row's label (``label_columns`` joined by `` · ``) in bold;
    missing values and ``–`` are left out; ``formats`` maps a column to a format string with
    one ``{}`` (e.g. ``{"baseline_id": "baris {}"}``).
    """
    from IPython.display import Markdown

    formats = formats or {}
    lines = []
    for _, r in frame.iterrows():
        label = " · ".join(formats.get(c, "{}").format(r[c]) for c in label_columns
                           if not (not isinstance(r[c], str) and pd.isna(r[c])) and r[c] != "–")
        lines.append(f"- **{label}**: {str(r['reading']).strip()}")
    return Markdown("\n".join(lines) + "\n")


# --------------------------------------------------------------------------------------------
# display tables (Indonesian labels; what the chapter shows)
# --------------------------------------------------------------------------------------------
def _election(code) -> str:
    return ELECTION_LABELS.get(code, code) if isinstance(code, str) else "–"


def _category_label(code: str) -> str:
    if code in CATEGORY_LABELS:
        return CATEGORY_LABELS[code]
    if isinstance(code, str) and code.startswith("year_"):
        return f"laporan tahun {code[5:]}"
    return code


def baselines_table(baselines: pd.DataFrame) -> pd.DataFrame:
    """The baselines as the chapter shows them: Indonesian labels, one fact per row.

    Columns: ``ID`` (the ``baseline_id``, for tracing), ``Pemilihan``, ``Lembaga``
    (body and scope), ``Ukuran`` (measure and category in words), ``Nilai`` (thousands
    separators; percentages say what they are a percentage of), ``Posisi data`` (final or
    interim, with the date the count runs to) and ``Sumber``.
    """
    _require(baselines, ["baseline_id", "body", "scope", "election", "period_end", "status",
                         "measure", "category", "value", "unit", "denominator", "source"],
             "baselines")
    rows = []
    for _, b in baselines.sort_values("baseline_id").iterrows():
        measure = MEASURE_LABELS.get(b["measure"], b["measure"])
        category = _category_label(b["category"])
        what = f"{measure}: {category}" if category else measure
        unit = UNIT_LABELS.get(b["unit"], f" {b['unit']}")
        value = float(b["value"])
        number = f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"
        shown = f"{number}{unit}"
        if b["unit"] == "percent" and isinstance(b["denominator"], str):
            shown += " " + DENOMINATOR_LABELS.get(b["denominator"], f"dari {b['denominator']}")
        status = STATUS_LABELS.get(b["status"], b["status"])
        if pd.notna(b["period_end"]):
            status += f", s.d. {pd.Timestamp(b['period_end']).strftime('%Y-%m-%d')}"
        rows.append({"ID": b["baseline_id"], "Pemilihan": _election(b["election"]),
                     "Lembaga": f"{BODY_LABELS.get(b['body'], b['body'])}, "
                                f"{SCOPE_LABELS.get(b['scope'], b['scope'])}",
                     "Ukuran": what, "Nilai": shown, "Posisi data": status,
                     "Sumber": _keys(b["source"])})
    return pd.DataFrame(rows, columns=["ID", "Pemilihan", "Lembaga", "Ukuran", "Nilai",
                                       "Posisi data", "Sumber"])


def density_table(density: pd.DataFrame) -> pd.DataFrame:
    """:func:`asn_per_100` for display: scope, ASN count, population denominator, ratio."""
    rows = []
    for _, r in density.iterrows():
        if r["asn_id"] == "–":
            asn, pop = "–", f"{r['population_variant']} (rasio yang dinyatakan)"
        else:
            asn = f"{int(r['asn']):,} ({r['asn_period']})"
            pop = f"{int(r['population']):,} ({r['population_variant']})"
        rows.append({"Cakupan": SCOPE_LABELS.get(r["scope"], r["scope"]).capitalize(),
                     "ASN (tanggal acuan)": asn, "Penduduk (penyebut)": pop,
                     "ASN per 100 penduduk": f"{r['estimate']:.2f}", "Sumber": r["source"]})
    return pd.DataFrame(rows, columns=["Cakupan", "ASN (tanggal acuan)", "Penduduk (penyebut)",
                                       "ASN per 100 penduduk", "Sumber"])


def incidence_table(inc: pd.DataFrame) -> pd.DataFrame:
    """:func:`incidence` for display. ``Sumber`` holds the sources of the national count, of the
    national ASN count and of the city ASN count; the sources of each city case are in the
    paper's Table 1 (the case ids are shown)."""
    rows = []
    for _, r in inc.iterrows():
        d = r["definition"]
        what = f"{r['label']} · {DEFINITION_LABELS.get(d, 'tanpa angka kota')}"
        if pd.isna(r["city_proven"]):
            city, cases = "–", "–"
        else:
            city = f"{r['city_rate']:.3f}"
            ids = str(r["city_cases"]).replace(",", ", ")
            cases = f"{int(r['city_proven'])}" + (f" ({ids})" if ids != "–" else "")
        nat = (f"{r['national_rate']:.3f} ({r['body']}, ID {r['baseline_id']})"
               if r["baseline_id"] != "–" else "–")
        rows.append({"Pemilihan · definisi kota": what, "Kasus kota (ID)": cases,
                     "Kota per 1,000 ASN": city, "Nasional per 1,000 ASN": nat,
                     "Rasio laju (selang 95%)": fmt_interval(r["estimate"], r["lower"],
                                                             r["upper"], 2),
                     "p": _fmt_p(r["pvalue"]) if pd.notna(r["pvalue"]) else "–",
                     "Sumber": _keys(r["national_source"], r["city_asn_source"])})
    return pd.DataFrame(rows).reset_index(drop=True)


def position_table(pos: pd.DataFrame) -> pd.DataFrame:
    """:func:`position_profile` for display (sources: the national shares)."""
    return pd.DataFrame({
        "Kelompok jabatan": pos["label"],
        "Kasus kota (ID)": [f"{x}/{n}" + (f" ({c.replace(',', ', ')})" if c != "–" else "")
                            for x, n, c in zip(pos["x"], pos["n"], pos["city_cases"])],
        "Bagian kota (selang 95%)": [fmt_interval(e, lo, hi, 2, percent=True) for e, lo, hi in
                                     zip(pos["estimate"], pos["lower"], pos["upper"])],
        "Bagian nasional (ID)": [f"{100 * p:.0f}% ({b})" for p, b in zip(pos["p0"], pos["baseline_id"])],
        "p minlike / sentral": [f"{_fmt_p(a)} / {_fmt_p(c)}"
                                for a, c in zip(pos["pvalue"], pos["pvalue_central"])],
        "Sumber": pos["national_source"],
    }).reset_index(drop=True)


def sanction_table(sanc: pd.DataFrame) -> pd.DataFrame:
    """:func:`sanction_outcomes` for display (sources: the national counts)."""
    nat = []
    for _, r in sanc.iterrows():
        what = "terbukti" if r["measure"] == "proven" else "disanksi"
        nat.append(f"{_election(r['election'])}, {r['body']}: {100 * r['p0']:.1f}% laporan "
                   f"{what} (ID {r['baseline_id']})")
    return pd.DataFrame({
        "Definisi kota": sanc["definition"].map(DEFINITION_LABELS),
        "Kasus kota (ID)": [f"{x}/{n} ({c.replace(',', ', ')})"
                            for x, n, c in zip(sanc["x"], sanc["n"], sanc["city_cases"])],
        "Bagian kota (selang 95%)": [fmt_interval(e, lo, hi, 2, percent=True) for e, lo, hi in
                                     zip(sanc["estimate"], sanc["lower"], sanc["upper"])],
        "Pembanding nasional": nat,
        "p minlike / sentral": [f"{_fmt_p(a)} / {_fmt_p(c)}"
                                for a, c in zip(sanc["pvalue"], sanc["pvalue_central"])],
        "Sumber": sanc["national_source"],
    }).reset_index(drop=True)


def provincial_table(prov: pd.DataFrame) -> pd.DataFrame:
    """:func:`provincial_share` for display."""
    return pd.DataFrame({
        "Pemilihan (lembaga)": [f"{_election(e)} ({b})" for e, b in zip(prov["election"], prov["body"])],
        "Kota / provinsi (ID)": [f"{x} / {n} ({i})" for x, n, i in
                                 zip(prov["x"], prov["n"], prov["baseline_id"])],
        "Hari kampanye": ["–" if pd.isna(d) else f"{int(d)}" for d in prov["campaign_days"]],
        "Bagian kota (selang 95%)": [fmt_interval(e, lo, hi, 1, percent=True) for e, lo, hi in
                                     zip(prov["estimate"], prov["lower"], prov["upper"])],
        "Sumber": prov["source"],
    }).reset_index(drop=True)


def power_display(power: pd.DataFrame) -> pd.DataFrame:
    """:func:`power_table` for display."""
    return pd.DataFrame({
        "Laju acuan per 1,000 ASN (ID)": [f"{_election(e)}, {b}: {r:.3f} ({i})" for e, b, r, i in
                                          zip(power["election"], power["body"],
                                              power["national_rate"], power["baseline_id"])],
        "Rasio laju": [f"{v:g}" for v in power["ratio"]],
        "Kasus kota dibutuhkan": [f"{int(v):,}" for v in power["n"]],
        "ASN-pemilihan": [f"{v:,.0f}" for v in power["estimate"]],
        "Pemilihan seukuran kota": [f"{v:,.1f}" for v in power["elections_city"]],
        "Sumber": power["source"],
    }).reset_index(drop=True)


def windows_table(windows: pd.DataFrame) -> pd.DataFrame:
    """:func:`legal_windows` for display."""
    return pd.DataFrame({
        "Jendela": windows["label"],
        "Mulai": windows["start"].dt.strftime("%Y-%m-%d"),
        "Selesai": windows["end"].dt.strftime("%Y-%m-%d"),
        "Dasar": windows["basis"],
        "Sumber": windows["source"],
    }).reset_index(drop=True)


def waves_table(waves: pd.DataFrame) -> pd.DataFrame:
    """:func:`waves_vs_calendar` for display (sources: the waves themselves)."""
    days = []
    for _, w in waves.iterrows():
        if w["next_vote"] == "–":
            days.append("– (tidak ada pemungutan suara sesudahnya dalam data)")
        else:
            span = (f"{w['lower']:.0f}" if w["lower"] == w["upper"]
                    else f"{w['lower']:.0f}–{w['upper']:.0f}")
            days.append(f"{span} ({w['next_vote_label']})")
    return pd.DataFrame({
        "Gelombang (ID, tanggal)": [f"{i}, {d}" for i, d in zip(waves["wave_id"], waves["date"])],
        "Jumlah": ["tidak pasti" if pd.isna(c) else f"{int(c):,}" for c in waves["count"]],
        "Dalam jendela larangan": [INSIDE_LABELS[i] + (f" ({lab})" if lab != "–" else "")
                                   for i, lab in zip(waves["inside"], waves["window_label"])],
        "Hari sampai pemungutan suara berikutnya": days,
        "Sumber": waves["wave_source"],
    }).reset_index(drop=True)
