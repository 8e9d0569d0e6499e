"""Tests of netralitas.stats against values worked out independently.

Expected values come from textbook closed forms or hand computation written out here
(chi-square formula for Poisson limits, the binomial CDF for Clopper–Pearson limits, direct
enumeration for exact p-values, day counts on the calendar), never from the code under test.
Inputs are small synthetic frames built in each test.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from netralitas import calendar, indicators, mutations
from netralitas import stats as st
from netralitas import stats_tables as stt
from netralitas.data import DataError
from netralitas.plots import stats as pst

Z975 = 1.959963984540054  # standard normal 97.5% quantile
Z80 = 0.8416212335729143  # standard normal 80% quantile


# ------------------------------------------------------------------ helpers written for the tests
def binom_pmf(k: int, n: int, p: float) -> float:
    return math.comb(n, k) * p**k * (1 - p) ** (n - k)


def binom_cdf(k: int, n: int, p: float) -> float:
    return sum(binom_pmf(i, n, p) for i in range(k + 1))


def bisect(f, lo: float, hi: float, tol: float = 1e-12) -> float:
    flo = f(lo)
    for _ in range(200):
        mid = (lo + hi) / 2
        fm = f(mid)
        if (fm > 0) == (flo > 0):
            lo, flo = mid, fm
        else:
            hi = mid
        if hi - lo < tol:
            break
    return (lo + hi) / 2


def minlike_p(x: int, n: int, p: float) -> float:
    """Two-sided exact binomial p-value: total probability of outcomes no likelier than x."""
    px = binom_pmf(x, n, p)
    return sum(binom_pmf(k, n, p) for k in range(n + 1) if binom_pmf(k, n, p) <= px * (1 + 1e-7))


def chi2_quantile_even(q: float, df: int) -> float:
    """Quantile of chi-square with even df = 2m: P(X<=x) = 1 - exp(-x/2) sum_{j<m} (x/2)^j / j!."""
    m = df // 2

    def cdf(x):
        h = x / 2
        return 1 - math.exp(-h) * sum(h**j / math.factorial(j) for j in range(m))

    return bisect(lambda x: cdf(x) - q, 0.0, 200.0)


# ------------------------------------------------------------------ exact building blocks
def test_poisson_ci_zero_events_matches_chi_square_formula():
    lo, hi = st.poisson_ci(0)
    # upper = chi2(0.975; 2)/2 = -ln(0.025) = 3.6889
    assert lo == 0.0
    assert hi == pytest.approx(-math.log(0.025), rel=1e-9)
    assert hi == pytest.approx(3.6889, abs=1e-4)


def test_poisson_ci_one_event_with_exposure():
    lo, hi = st.poisson_ci(1, exposure=2.0)
    # Garwood: [chi2(0.025; 2)/2, chi2(0.975; 4)/2] / exposure
    assert lo == pytest.approx(chi2_quantile_even(0.025, 2) / 2 / 2, rel=1e-6)
    assert hi == pytest.approx(chi2_quantile_even(0.975, 4) / 2 / 2, rel=1e-6)
    assert lo == pytest.approx(-math.log(0.975) / 2, rel=1e-6)  # df=2 closed form


def test_clopper_pearson_one_of_four_by_beta_quantile_formula():
    lo, hi = st.clopper_pearson(1, 4)
    # lower: P(X >= 1 | p) = 0.025  ->  1 - (1 - p)^4 = 0.025  ->  p = 1 - 0.975^(1/4)
    assert lo == pytest.approx(1 - 0.975 ** 0.25, rel=1e-9)
    # upper: P(X <= 1 | p) = 0.025, solved on the binomial CDF by bisection
    assert hi == pytest.approx(bisect(lambda p: binom_cdf(1, 4, p) - 0.025, 0, 1), abs=1e-9)
    assert hi == pytest.approx(0.8059, abs=1e-4)


def test_clopper_pearson_edges_zero_and_all():
    lo, hi = st.clopper_pearson(0, 4)
    assert lo == 0.0 and hi == pytest.approx(1 - 0.025 ** 0.25, rel=1e-9)
    lo, hi = st.clopper_pearson(4, 4)
    assert hi == 1.0 and lo == pytest.approx(0.025 ** 0.25, rel=1e-9)
    with pytest.raises(ValueError):
        st.clopper_pearson(5, 4)


def test_rate_ratio_equal_rates_gives_one_and_p_one():
    r = st.rate_ratio(10, 5.0, 10, 5.0)
    assert r["estimate"] == 1.0
    assert r["pvalue"] == pytest.approx(1.0)
    # pi = 1/2 and the CP interval for 10/20 is symmetric about 1/2, so the RR limits are reciprocal
    assert r["lower"] * r["upper"] == pytest.approx(1.0, rel=1e-9)
    assert r["lower"] < 1 < r["upper"]


def test_rate_ratio_zero_events():
    r = st.rate_ratio(0, 1.0, 4, 1.0)
    assert r["estimate"] == 0.0 and r["lower"] == 0.0
    # conditional on 4 events, pi upper (x=0, n=4) = 1 - 0.025^(1/4); RR = pi/(1-pi)
    pi = 1 - 0.025 ** 0.25
    assert r["upper"] == pytest.approx(pi / (1 - pi), rel=1e-9)
    # minlike p under pi0 = 1/2, n = 4: outcomes 0 and 4 have prob 1/16 each -> p = 2/16
    assert r["pvalue"] == pytest.approx(2 / 16)


def test_rate_ratio_one_event_and_unequal_exposures():
    r = st.rate_ratio(1, 1.0, 3, 1.0)
    assert r["estimate"] == pytest.approx(1 / 3)
    # P(X=1)=4/16; outcomes no likelier: 0,1,3,4 -> (1+4+4+1)/16
    assert r["pvalue"] == pytest.approx(10 / 16)
    r = st.rate_ratio(1, 2.0, 3, 8.0)  # rates 0.5 vs 0.375
    assert r["estimate"] == pytest.approx(0.5 / 0.375)
    pi0 = 2.0 / 10.0
    assert r["pvalue"] == pytest.approx(minlike_p(1, 4, pi0), rel=1e-9)
    lo_pi, hi_pi = 1 - 0.975 ** 0.25, bisect(lambda p: binom_cdf(1, 4, p) - 0.025, 0, 1)
    assert r["lower"] == pytest.approx(lo_pi / (1 - lo_pi) * 8.0 / 2.0, rel=1e-9)
    assert r["upper"] == pytest.approx(hi_pi / (1 - hi_pi) * 8.0 / 2.0, rel=1e-6)


def test_rate_ratio_no_events_at_all():
    r = st.rate_ratio(0, 1.0, 0, 1.0)
    assert math.isnan(r["estimate"]) and r["pvalue"] == 1.0


def test_binomial_vs_shares_by_enumeration():
    r = st.binomial_vs_shares(1, 4, 0.5)
    assert r["estimate"] == 0.25
    assert r["pvalue"] == pytest.approx(10 / 16)
    assert r["pvalue_central"] == pytest.approx(2 * 5 / 16)
    r = st.binomial_vs_shares(2, 4, 0.07)
    tail = 1 - binom_cdf(1, 4, 0.07)  # P(X >= 2)
    assert r["pvalue_central"] == pytest.approx(2 * tail, rel=1e-9)
    assert r["pvalue"] == pytest.approx(minlike_p(2, 4, 0.07), rel=1e-9)
    with pytest.raises(ValueError):
        st.binomial_vs_shares(1, 4, 1.5)


# ------------------------------------------------------------------ synthetic data
def _indicators():
    rows = [
        ("c-asn", "city", "asn_total", "x", 1000, "2025-10-08", "k1"),
        ("c-pop-a", "city", "population", "a", 100000, "2020", "k2"),
        ("c-pop-b", "city", "population", "b", 50000, None, "k3"),
        ("c-ratio", "city", "asn_per_resident", "paper", 0.01, None, "k4"),
        ("n-asn-23", "national", "asn_total", "x", 1_000_000, "2023-06", "k5"),
        ("n-asn-24", "national", "asn_total", "y", 2_000_000, "2024", "k6"),
        ("n-pop", "national", "population", "p", 100_000_000, "2024-06", "k7"),
    ]
    return pd.DataFrame(rows, columns=["indicator_id", "scope", "indicator", "variant", "value",
                                       "ref_period", "source"])


def _baselines():
    cols = ["baseline_id", "body", "scope", "election", "period_end", "status", "measure",
            "category", "value", "unit", "denominator", "note", "source"]
    nat, prov, p20, p24, k24 = "national", "province", "pilkada2020", "pemilu2024", "pilkada2024"
    i20, i24, i24b = "2020-06-26", "2024-02-06", "2024-12-02"

    def r(bid, body, scope, election, end, status, measure, cat, value, unit, src):
        den = "proven" if unit == "percent" else None
        return (bid, body, scope, election, end, status, measure, cat, value, unit, den, "", src)

    rows = [
        r("B01", "KASN", nat, p20, None, "final", "reported", "all", 200, "count", "s1"),
        r("B02", "KASN", nat, p20, None, "final", "proven", "all", 100, "count", "s1"),
        r("B03", "KASN", nat, p20, None, "final", "proven", "all", 99, "count", "s2"),
        r("B04", "KASN", nat, p20, i20, "interim", "proven", "all", 10, "count", "s3"),
        r("B05", "KASN", nat, p20, i20, "interim", "reported", "all", 20, "count", "s3"),
        r("B06", "KASN", nat, p24, i24, "interim", "reported", "all", 400, "count", "s4"),
        r("B07", "KASN", nat, p24, i24, "interim", "proven", "all", 200, "count", "s4"),
        r("B08", "KASN", nat, p24, i24, "interim", "sanctioned", "all", 100, "count", "s4"),
        r("B09", "Bawaslu", nat, k24, i24b, "interim", "proven", "all", 300, "count", "s5"),
        r("B10", "KASN", nat, p20, i20, "interim", "share_by_position", "jpt", 40, "percent", "s6"),
        r("B11", "KASN", nat, p20, i20, "interim", "share_by_position", "camat_lurah", 10, "percent",
          "s6"),
        r("B12", "Bawaslu", prov, k24, None, "interim", "reported", "all", 9, "count", "s7"),
        r("B13", "Bawaslu", "city", k24, None, "interim", "reported", "all", 5, "count", "s7"),
        r("B14", "Bawaslu", prov, k24, None, "interim", "period_length", "campaign_days", 43, "days",
          "s7"),
        r("B15", "Bawaslu", nat, k24, i24b, "interim", "reported", "all", 400, "count", "s5"),
        r("B16", "Bawaslu", nat, k24, i24b, "interim", "not_proven", "all", 50, "count", "s5"),
    ]
    b = pd.DataFrame(rows, columns=cols)
    b["period_end"] = pd.to_datetime(b["period_end"])
    return b


def _violations():
    cols = ["case_id", "position_group", "election", "sanction_rank", "public_record",
            "ruled_by", "source"]
    rows = [
        ("V1", "camat_lurah", "pemilu2024", 1, "confirmed", "bawaslu", "v1"),
        ("V2", "camat_lurah", "pilkada2024", 1, "partly_confirmed", None, "v2"),
        ("V3", "jpt", "pilkada2025", 0, "not_found", None, "v3"),
        ("V4", "supervisor", "pilkada2025", 3, "confirmed", "bawaslu", "v4"),
    ]
    return pd.DataFrame(rows, columns=cols)


def _elections():
    rows = [
        ("pemilu2024", "2024-02-14", "pemilu2024", "voting_day", "e1"),
        ("pilkada2024-penetapan", "2024-09-22", "pilkada2024", "candidate_determination", "e2"),
        ("pilkada2024", "2024-11-27", "pilkada2024", "voting_day", "e3"),
        ("pilkada2025-penetapan", "2025-07-22", "pilkada2025", "candidate_determination", "e4"),
        ("pilkada2025", "2025-08-27", "pilkada2025", "voting_day", "e5"),
        ("pilkada2025-pelantikan", "2025-10-15", "pilkada2025", "inauguration", "e6"),
    ]
    e = pd.DataFrame(rows, columns=["event_id", "date", "election", "kind", "source"])
    e["date"] = pd.to_datetime(e["date"])
    e["level"] = ["national"] + ["city"] * (len(e) - 1)  # as in elections.csv (required column)
    return e


# ------------------------------------------------------------------ tables
def test_asn_per_100_every_denominator_and_no_interval():
    t = indicators.asn_per_100(_indicators())
    city = t[(t["scope"] == "city") & (t["asn_id"] != "–")].set_index("population_id")
    assert city.loc["c-pop-a", "estimate"] == pytest.approx(1.0)  # 100 * 1000 / 100000
    assert city.loc["c-pop-b", "estimate"] == pytest.approx(2.0)
    nat = t[(t["scope"] == "national") & (t["asn_id"] != "–")]
    assert sorted(nat["estimate"].round(6)) == [1.0, 2.0]  # 1e6 and 2e6 over 1e8
    assert t["lower"].isna().all() and t["upper"].isna().all()
    paper = t[t["population_id"] == "c-ratio"].iloc[0]
    assert paper["estimate"] == pytest.approx(1.0) and "makalah" in paper["method"]
    assert city.loc["c-pop-a", "source"] == "k1;k2"
    assert "sampel" in city.loc["c-pop-a", "reading"]


def test_city_proven_definitions():
    v = _violations()
    assert list(v.loc[st.city_proven(v, "strict"), "case_id"]) == ["V1", "V4"]
    assert list(v.loc[st.city_proven(v, "paper"), "case_id"]) == ["V1", "V2", "V4"]
    with pytest.raises(ValueError):
        st.city_proven(v, "loose")


def test_city_proven_disputed_case_never_counts_and_strict_needs_a_ruling():
    v = _violations()
    v.loc[v["case_id"] == "V2", "public_record"] = "disputed"
    v.loc[v["case_id"] == "V4", "ruled_by"] = None  # sanctioned by the regional head only
    assert list(v.loc[st.city_proven(v, "paper"), "case_id"]) == ["V1", "V4"]
    assert list(v.loc[st.city_proven(v, "strict"), "case_id"]) == ["V1"]
    assert list(v.loc[st.city_sanctioned(v), "case_id"]) == ["V1", "V4"]
    with pytest.raises(DataError, match="ruled_by"):
        st.city_proven(v.drop(columns="ruled_by"))


def test_national_proven_main_count_earlier_counts_and_one_fact_per_count():
    n = st.national_proven(_baselines())
    # per election (by id): the main count first (final, else latest), then earlier interim ones
    assert list(n["baseline_id"]) == ["B07", "B02", "B04", "B09"]
    assert list(n["role"]) == ["main", "main", "earlier", "main"]
    # a second source of the same count is one fact, named, not a second row
    assert n.loc[1, "same_count"] == "B03: 99" and n.loc[0, "same_count"] == ""
    b = _baselines()
    later = b[b["baseline_id"] == "B07"].assign(baseline_id="B17", value=250,
                                                period_end=pd.Timestamp("2024-06-12"))
    n = st.national_proven(pd.concat([b, later], ignore_index=True))
    p24 = n[n["election"] == "pemilu2024"]
    assert list(zip(p24["baseline_id"], p24["role"])) == [("B17", "main"), ("B07", "earlier")]


def test_incidence_rates_ratios_and_missing_sides():
    t = st.incidence(_baselines(), _violations(), _indicators(), _elections())
    # Pilkada 2020: no city election -> one row per national source, no city side, no ratio
    p20 = t[t["election"] == "pilkada2020"]
    assert list(p20["baseline_id"]) == ["B02"]  # B03 is the same count from another source
    assert p20["city_proven"].isna().all() and not p20["comparable"].any()
    assert p20["estimate"].isna().all()
    assert all("tidak menggelar" in r and "B03: 99" in r for r in p20["reading"])
    # Pemilu 2024, strict: city 1 / (1000/1000) = 1 per thousand; national 200 over the ASN
    # count dated inside the counting window (June 2023: 1e6; "2024" is read as 1 July, after
    # the count ended 2024-02-06) = 0.2 per thousand -> RR 5
    row = t[(t["election"] == "pemilu2024") & (t["definition"] == "strict")].iloc[0]
    assert row["city_rate"] == pytest.approx(1.0)
    assert row["national_rate"] == pytest.approx(200 / 1000)
    assert row["estimate"] == pytest.approx(5.0)
    assert row["pvalue"] == pytest.approx(minlike_p(1, 201, 1 / 1001), rel=1e-6)
    assert "sebelum hari pemungutan suara 2024-02-14" in row["reading"]
    assert row["n"] == 1
    # Pilkada 2024, strict: V2 is only partly confirmed -> zero events
    z = t[(t["election"] == "pilkada2024") & (t["definition"] == "strict")].iloc[0]
    assert z["city_proven"] == 0 and z["estimate"] == 0 and z["lower"] == 0
    pi = 1 - 0.025 ** (1 / 300)
    assert z["upper"] == pytest.approx(pi / (1 - pi) * 2000 / 1, rel=1e-6)
    assert z["city_upper"] == pytest.approx(-math.log(0.025), rel=1e-9)
    # ... and 1 event under the paper's definition
    pz = t[(t["election"] == "pilkada2024") & (t["definition"] == "paper")].iloc[0]
    assert pz["city_proven"] == 1 and pz["city_cases"] == "V2"
    # Pilkada 2025: city only, no national side
    p25 = t[t["election"] == "pilkada2025"]
    assert (p25["baseline_id"] == "–").all() and not p25["comparable"].any()
    assert set(p25["city_proven"]) == {1}


def test_incidence_follows_a_changed_baseline():
    b = _baselines()
    before = st.incidence(b, _violations(), _indicators(), _elections())
    b.loc[b["baseline_id"] == "B07", "value"] = 100
    after = st.incidence(b, _violations(), _indicators(), _elections())
    sel = (before["election"] == "pemilu2024") & (before["definition"] == "strict")
    assert after.loc[sel, "estimate"].iloc[0] == pytest.approx(2 * before.loc[sel, "estimate"].iloc[0])


def test_position_profile_uses_proven_cases_only_per_definition():
    t = st.position_profile(_violations(), _baselines())
    assert list(dict.fromkeys(t["definition"])) == ["paper", "strict"]
    paper = t[t["definition"] == "paper"].set_index("category")
    # paper definition: V1, V2, V4 proven; V3 (no sanction) is in neither numerator nor n
    assert paper.loc["jpt", "x"] == 0 and paper.loc["jpt", "p0"] == pytest.approx(0.40)
    assert paper.loc["camat_lurah", "x"] == 2 and paper.loc["camat_lurah", "n"] == 3
    assert paper.loc["other", "x"] == 1 and paper.loc["other", "p0"] == pytest.approx(0.50)
    assert paper.loc["camat_lurah", "pvalue"] == pytest.approx(minlike_p(2, 3, 0.10), rel=1e-9)
    lo = bisect(lambda p: (1 - binom_cdf(1, 3, p)) - 0.025, 0, 1)  # P(X>=2)=0.025
    assert paper.loc["camat_lurah", "lower"] == pytest.approx(lo, abs=1e-8)
    strict = t[t["definition"] == "strict"].set_index("category")
    assert strict.loc["camat_lurah", "x"] == 1 and strict.loc["camat_lurah", "n"] == 2
    # the national share is named with its election, interim date and count
    assert "data sementara KASN Pilkada 2020 s.d. 2020-06-26" in paper.loc["jpt", "reading"]
    assert stt.proven_by_definition(t) == ["definisi makalah: 3 kasus (V1, V2, V4)",
                                           "definisi ketat: 2 kasus (V1, V4)"]
    assert stt.cases_outside(_violations(), t) == ["V3"]
    shown = stt.position_table(t)
    assert shown.loc[0, "Kelompok jabatan"].startswith("definisi makalah: ")


def test_sanction_outcomes_like_with_like_one_election_at_a_time():
    t = st.sanction_outcomes(_violations(), _baselines())
    # Pilkada 2020 has no city case -> no row (and so no B02/B03 double test)
    assert set(t["election"]) == {"pemilu2024", "pilkada2024"}
    k = t.set_index(["election", "measure", "denominator_kind"])
    p = k.loc[("pemilu2024", "proven", "reported")]
    assert (p["x"], p["n"], p["numerator"], p["denominator"]) == (1, 1, 200, 400)
    assert p["p0"] == pytest.approx(0.5) and p["baseline_id"] == "B07/B06"
    s = k.loc[("pemilu2024", "sanctioned", "reported")]
    assert s["p0"] == pytest.approx(0.25) and s["x"] == 1
    # Bawaslu: reports and decided reports only (proven + not proven) as denominators
    r = k.loc[("pilkada2024", "proven", "reported")]
    d = k.loc[("pilkada2024", "proven", "decided")]
    assert r["p0"] == pytest.approx(300 / 400) and d["p0"] == pytest.approx(300 / 350)
    assert d["baseline_id"] == "B09/(B09+B16)"
    assert r["x"] == 1 and r["n"] == 1  # V2: partly confirmed, sanction not disputed
    v = _violations()
    v.loc[v["case_id"] == "V2", "public_record"] = "disputed"
    t2 = st.sanction_outcomes(v, _baselines()).set_index(["election", "denominator_kind"])
    assert t2.loc[("pilkada2024", "reported"), "x"] == 0  # a disputed case is not proven
    shown = stt.sanction_table(t)
    assert shown.loc[0, "Pembanding nasional"].startswith("KASN: 200/400 laporan terbukti")


def test_provincial_share_and_bad_input():
    t = st.provincial_share(_baselines())
    row = t.iloc[0]
    assert row["x"] == 5 and row["n"] == 9 and row["campaign_days"] == 43
    assert row["estimate"] == pytest.approx(5 / 9)
    assert row["lower"] == pytest.approx(bisect(lambda p: (1 - binom_cdf(4, 9, p)) - 0.025, 0, 1), abs=1e-8)
    assert row["upper"] == pytest.approx(bisect(lambda p: binom_cdf(5, 9, p) - 0.025, 0, 1), abs=1e-8)
    b = _baselines()
    b.loc[b["baseline_id"] == "B13", "value"] = 12
    with pytest.raises(DataError, match="B13"):
        st.provincial_share(b)


# ------------------------------------------------------------------ power
def _closed_form_exposure(r0, rr, n0_exposure, za=Z975, zb=Z80):
    """Wald test on log RR: (ln RR)^2 / (za+zb)^2 = 1/(E r1) + 1/(N0 r0)  ->  solve for E."""
    r1 = rr * r0
    return 1 / (r1 * (math.log(rr) ** 2 / (za + zb) ** 2 - 1 / (n0_exposure * r0)))


@pytest.mark.parametrize("rr", [1.5, 2.0, 3.0])
def test_required_exposure_matches_normal_formula(rr):
    r0, e0 = 0.04, 4000.0  # 160 national cases
    e = st.required_exposure(r0, rr, e0)
    assert e == pytest.approx(_closed_form_exposure(r0, rr, e0), rel=1e-3)
    assert st.power_rr(r0, rr, e, e0) == pytest.approx(0.8, abs=1e-6)


def test_required_cases_with_a_huge_national_count_is_textbook_value():
    # national rate known exactly: cases = (z_.975 + z_.8)^2 / (ln 2)^2 = 16.34
    e = st.required_exposure(0.05, 2.0, 1e9)
    assert e * 2.0 * 0.05 == pytest.approx((Z975 + Z80) ** 2 / math.log(2) ** 2, rel=1e-3)


def test_required_exposure_infinite_when_national_count_too_small():
    # 5 national cases: 1/5 exceeds (ln 1.5)^2/(za+zb)^2 = 0.021 -> never 80% power
    assert math.isinf(st.required_exposure(0.05, 1.5, 100.0))


def test_power_table_rows_and_cases():
    inc = st.incidence(_baselines(), _violations(), _indicators(), _elections())
    t = st.power_table(inc, ratios=(2.0,))
    # one row per election of the main analysis (a second source of a count is not repeated)
    assert sorted(t["baseline_id"]) == ["B02", "B07", "B09"]
    row = t[t["baseline_id"] == "B07"].iloc[0]
    # the design quantity is the exact test's: its own rule, reached and held there
    e = st.required_exposure_exact(0.2, 2.0, 1000.0)
    assert row["estimate"] == pytest.approx(1000 * e, rel=1e-12)
    assert row["power_exact"] >= 0.8
    assert row["n"] == math.ceil(e * 0.4 - 1e-9)
    assert row["elections_city"] == pytest.approx(e, rel=1e-12)  # city has 1,000 ASN
    assert math.isnan(row["lower"])
    # the Wald exposure is only a comparison column; the exact test falls short there
    ew = _closed_form_exposure(0.2, 2.0, 1000.0)
    assert row["wald_exposure"] == pytest.approx(1000 * ew, rel=1e-3)
    assert row["power_exact_at_wald"] < 0.8
    assert row["estimate"] > row["wald_exposure"]
    assert "Wald" in row["reading"] and "eksak" in row["reading"]


def test_power_curve_exact_with_wald_comparison_and_figure():
    c = st.power_curve(0.05, 1e3, ratios=(1.5, 3.0), asn_elections=[1e3, 1e4, 1e5, 1e6])
    assert len(c) == 8
    for rr, g in c.groupby("ratio"):
        assert g["power_wald"].is_monotonic_increasing  # the normal approximation is smooth
        assert g["power"].between(0, 1).all()
        for a, p in zip(g["asn_elections"], g["power"]):
            assert p == pytest.approx(st.power_exact(0.05, rr, a / 1000, 1e3), rel=1e-12)
    big = c[c["asn_elections"] == 1e6]
    assert (big[big["ratio"] == 3.0]["power"].to_numpy() > big[big["ratio"] == 1.5]["power"].to_numpy()).all()
    fig = pst.power_curve_figure(c, city_asn=3648)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    # every line is in the legend (no free text on the plot that curves could cross); the Wald
    # lines share one legend entry
    assert labels == ["rasio laju 1.5 (uji eksak)", "rasio laju 3 (uji eksak)",
                      "daya sasaran 80%", "satu pemilihan di Pangkalpinang",
                      "pendekatan Wald (pembanding)"]
    assert len(ax.texts) == 0
    assert len(ax.lines) == 6  # two exact curves, two Wald curves, target line, city line
    assert ax.get_xscale() == "log"
    # legible at the rendered size: at most 7.5 in wide, no text under 10 pt
    assert fig.get_figwidth() <= 7.5
    sizes = [t.get_fontsize() for t in ax.get_legend().get_texts()]
    sizes += [t.get_fontsize() for t in ax.get_xticklabels() + [ax.xaxis.label, ax.yaxis.label]]
    assert min(sizes) >= 10


# ------------------------------------------------------------------ waves and calendar
def test_legal_windows_from_calendar():
    w = calendar.legal_windows(_elections()).set_index("window_id")
    assert w.loc["p71-pilkada2024", "start"] == pd.Timestamp("2024-03-22")
    # the empty box won 2024: the window runs to the next inauguration (end of acting tenure)
    assert w.loc["p71-pilkada2024", "end"] == pd.Timestamp("2025-10-15")
    assert w.loc["p71-pilkada2025", "end"] == pd.Timestamp("2025-10-15")
    assert w.loc["p71-pilkada2025", "start"] == pd.Timestamp("2025-01-22")
    assert w.loc["p162-pilkada2025", "end"] == pd.Timestamp("2026-04-15")
    assert "p71-pemilu2024" not in w.index
    # the basis is told in words, with the months of the law, not as event ids
    assert w.loc["p71-pilkada2025", "basis"] == ("6 bulan sebelum penetapan pasangan calon Pilkada "
                                                 "ulang 2025 sampai pelantikan hasil Pilkada ulang 2025")
    assert w.loc["p162-pilkada2025", "basis"] == "6 bulan sesudah pelantikan hasil Pilkada ulang 2025"
    assert w.loc["p71-pilkada2024", "label"] == "Pasal 71 · Pilkada 2024"


def test_waves_vs_calendar_day_month_and_after_last_vote():
    m = pd.DataFrame({
        "wave_id": ["W1", "W2", "W3", "W4"],
        "date": ["2023-01-11", "2024-05", "2024-03", "2026-05"],
        "count": pd.array([139, 79, None, 17], dtype="Int64"),
        "source": ["a", "b", "c", "d"],
    })
    t = mutations.wave_position(m, _elections()).set_index("wave_id")
    # 2023-01-11 -> 2024-02-14: 20 (rest of Jan) + 28+31+30+31+30+31+31+30+31+30+31 (Feb-Dec) + 31 + 14
    assert t.loc["W1", "estimate"] == 20 + 334 + 31 + 14 == 399
    assert t.loc["W1", "inside"] == "outside" and t.loc["W1", "precision"] == "day"
    # May 2024 inside 2024-03-22..2025-10-15; to voting day 2024-11-27: from 31 May 180 days, from 1 May 210
    assert t.loc["W2", "inside"] == "inside" and t.loc["W2", "window"] == "p71-pilkada2024"
    assert (t.loc["W2", "lower"], t.loc["W2", "upper"]) == (180, 210)
    # March 2024 straddles the opening on the 22nd
    assert t.loc["W3", "inside"] == "partly"
    assert pd.isna(t.loc["W3", "n"])
    # May 2026: after the last voting day in the data, 16-46 days after 2026-04-15
    assert t.loc["W4", "next_vote"] == "–" and math.isnan(t.loc["W4", "estimate"])
    assert "16–46 hari" in t.loc["W4", "reading"]
    # readings name windows in words and do not repeat the wave id (it labels the bullet)
    assert "Pasal 162 · Pilkada ulang 2025" in t.loc["W4", "reading"]
    assert "W4" not in t.loc["W4", "reading"] and "p162-" not in t.loc["W4", "reading"]
    assert t.loc["W2", "window_label"] == "Pasal 71 · Pilkada 2024"
    assert t.loc["W2", "next_vote_label"] == "Pilkada 2024, 2024-11-27"
    assert (t.loc["W4", "after_lower"], t.loc["W4", "after_upper"]) == (16, 46)
    assert t.loc["W4", "after_window"] == "p162-pilkada2025"


def test_waves_bad_date_names_the_wave():
    m = pd.DataFrame({"wave_id": ["WX"], "date": ["2024-13"], "count": pd.array([1], dtype="Int64"),
                      "source": ["a"]})
    with pytest.raises(DataError, match="WX"):
        mutations.wave_position(m, _elections())


# ------------------------------------------------------------------ forest plot
def test_forest_plot_draws_one_line_per_comparable_row():
    inc = st.incidence(_baselines(), _violations(), _indicators(), _elections())
    fig = pst.forest_plot(inc)
    ax = fig.axes[0]
    ci = [ln for ln in ax.lines if str(ln.get_gid()).startswith("ci-")]
    # Pemilu 2024: main and other denominator (the paper definition counts the same case, so
    # no row); Pilkada 2024: main, paper definition, other denominator
    assert len(ci) == int(inc["comparable"].sum()) == 5
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert len(ticks) == len(inc)
    assert ticks[-1].startswith("Pilkada 2020")  # first table row on top
    texts = [t.get_text() for t in ax.texts]
    # Pilkada 2020: one row (B03 is the same count); Pilkada 2025: strict and paper count the
    # same case, so one row
    assert texts.count("tidak ada angka kota") == 1
    assert texts.count("tidak ada angka nasional") == 1
    # a zero-event row is drawn as a left-pointing marker, not a dot at 0
    markers = [ln.get_marker() for ln in ax.lines if str(ln.get_gid()).startswith("est-")]
    assert markers.count("<") == 2  # Pilkada 2024 strict, with either national denominator
    assert ax.get_xscale() == "log"
    assert ticks[-1] == "Pilkada 2020\nKASN (B02) · tanpa kota"
    # each label says what its row assumes
    assert "Pemilu 2024\nKASN (B07) · utama, definisi ketat" in ticks
    assert "Pemilu 2024\nKASN (B07) · penyebut lain (ASN 2024)" in ticks
    assert not any("Pilkada ulang" in k and "Pilkada 2024" in k for k in ticks)
    # legible: no text under 10 pt; the legend explains both colours, the arrow and the line
    sizes = [t.get_fontsize() for t in ax.get_yticklabels() + ax.texts + ax.get_legend().get_texts()]
    assert min(sizes) >= 10 and fig.get_figwidth() <= 7.5
    assert len(ax.get_legend().get_texts()) == 4


# ------------------------------------------------------------------ presentation
def test_fmt_interval_and_present():
    assert stt.fmt_interval(1.2345, 0.5, 3.25) == "1.23 (0.50–3.25)"
    assert stt.fmt_interval(0.0, 0.0, math.inf, 1) == "0.0 (0.0–∞)"
    assert stt.fmt_interval(float("nan"), 1, 2) == "–"
    assert stt.fmt_interval(399.0, 399.0, 399.0, 0) == "399"
    assert stt.fmt_interval(0.5, 0.25, 0.75, 2, percent=True) == "50.0% (25.0%–75.0%)"
    f = pd.DataFrame({"a": ["x", "y"], "estimate": [2.0, float("nan")], "lower": [1.0, float("nan")],
                      "upper": [4.0, float("nan")], "pvalue": [0.0004, 0.5], "r": [1.0 / 3, 2.0]})
    out = stt.present(f, {"a": "A", "_interval": "RR (95%)", "pvalue": "p", "r": "R"})
    assert list(out.columns) == ["A", "RR (95%)", "p", "R"]
    assert out["RR (95%)"].tolist() == ["2.00 (1.00–4.00)", "–"]
    assert out["p"].tolist() == ["< 0.001", "0.500"]
    assert out["R"].tolist() == ["0.33", "2.00"]


def test_readings_bullets():
    f = pd.DataFrame({"a": ["X", "Y"], "b": ["1", None], "reading": ["satu.", "dua."]})
    md = stt.readings(f, ["a", "b"]).data
    assert md.splitlines() == ["- **X · 1**: satu.", "- **Y**: dua."]
    f["b"] = ["B1", "–"]
    md = stt.readings(f, ["a", "b"], {"b": "baris {}"}).data
    assert md.splitlines() == ["- **X · baris B1**: satu.", "- **Y**: dua."]


def test_readings_describe_definitions_in_words():
    inc = st.incidence(_baselines(), _violations(), _indicators(), _elections())
    text = " ".join(inc["reading"])
    for raw in ("sanction_rank", "public_record", "confirmed", "strict", "per 1.000", "seribu"):
        assert raw not in text
    assert "per 1,000 ASN" in text
    row = inc[(inc["election"] == "pemilu2024") & (inc["definition"] == "strict")].iloc[0]
    assert not row["reading"].startswith("Pemilu 2024")  # the label is the bullet's, not repeated
    assert row["definition_label"] == "definisi ketat"


# ------------------------------------------------------------------ display tables
def test_baselines_table_in_indonesian_with_thousands_separators():
    b = pd.DataFrame({
        "baseline_id": ["X2", "X1", "X3"], "body": ["KASN", "Bawaslu", "KASN"],
        "scope": ["national", "city", "national"],
        "election": ["pilkada2020", "pilkada2024", "pemilu2024"],
        "period_end": pd.to_datetime([None, None, "2024-02-06"]),
        "status": ["final", "interim", "interim"],
        "measure": ["share_by_type", "reported", "proven"],
        "category": ["approaching_parties", "all", "year_2023"],
        "value": [21.0, 2034.0, 45.4], "unit": ["percent", "count", "percent"],
        "denominator": ["proven", None, "reported"], "source": ["a", "b;b", "c"]})
    t = stt.baselines_table(b)
    assert list(t["ID"]) == ["X1", "X2", "X3"]
    assert t.loc[0].tolist() == ["X1", "Pilkada 2024", "Bawaslu, kota", "dilaporkan", "2,034",
                                 "sementara", "b"]
    assert t.loc[1, "Ukuran"] == "bagian menurut bentuk pelanggaran: mendekati partai politik"
    assert t.loc[1, "Nilai"] == "21% dari yang terbukti" and t.loc[1, "Posisi data"] == "akhir"
    assert t.loc[2, "Ukuran"] == "terbukti melanggar: laporan tahun 2023"
    assert t.loc[2, "Posisi data"] == "sementara, s.d. 2024-02-06"
    shown = " ".join(t.drop(columns="Sumber").astype(str).agg(" ".join, axis=1))
    for code in ("share_by_type", "approaching", "reported", "national", "count", "city"):
        assert code not in shown


def test_display_tables_have_labels_not_codes_and_unique_source_keys():
    inc = st.incidence(_baselines(), _violations(), _indicators(), _elections())
    t = stt.incidence_table(inc)
    assert list(t.columns)[:5] == ["Pemilihan", "Pilihan analisis", "Kasus kota (ID)",
                                   "Kota per 1,000 ASN", "Nasional per 1,000 ASN"]
    assert t.loc[0].tolist()[:2] == ["Pilkada 2020", "tanpa angka kota"]
    row = t[(t["Pemilihan"] == "Pilkada 2024")
            & t["Pilihan analisis"].str.contains("hanya dicatat makalah")].iloc[0]
    assert row["Kasus kota (ID)"] == "1 (V2)"
    main = t[(t["Pemilihan"] == "Pemilu 2024")].iloc[0]
    assert main["Pilihan analisis"] == "analisis utama (definisi ketat; ASN nasional 2023-06)"
    assert main["Nasional per 1,000 ASN"] == ("0.200 (200 ASN terbukti, KASN, ID B07, sementara "
                                              "s.d. 2024-02-06; ASN 2023-06)")
    k24 = t[(t["Pemilihan"] == "Pilkada 2024")].iloc[0]
    assert "300 putusan, Bawaslu" in k24["Nasional per 1,000 ASN"]
    for keys in t["Sumber"]:
        ks = keys.split(";") if keys else []
        assert len(ks) == len(set(ks))
    # the sources of the city cases are not repeated in this table (they are in Table 1)
    assert not any("v2" in k.split(";") for k in t["Sumber"])
    d = stt.density_table(indicators.asn_per_100(_indicators()))
    assert set(d["Wilayah"]) == {"Kota", "Nasional"}
    assert set(d["Cakupan ASN"]) == {"ASN Pemkot saja", "seluruh ASN"}
    w = mutations.calendar_table(mutations.wave_position(pd.DataFrame({
        "wave_id": ["W1"], "date": ["2024-05"], "count": pd.array([1079], dtype="Int64"),
        "source": ["a"]}), _elections()))
    assert w.loc[0].tolist() == ["W1, 2024-05", "1,079", "ya (Pasal 71 · Pilkada 2024)",
                                 "180–210 (Pilkada 2024, 2024-11-27)", "a"]


# ------------------------------------------------------------------ exact power (issue #11 item 4)
def _pmf_row(n: int, p: float) -> list[float]:
    return [binom_pmf(k, n, p) for k in range(n + 1)]


def _minlike_rejects(x: int, n: int, p: float, alpha: float, row: list[float]) -> bool:
    px = row[x]
    return sum(v for v in row if v <= px * (1 + 1e-7)) <= alpha


def test_exact_cond_region_by_hand_at_one_half():
    # pi0 = 1/2, alpha = 0.3: N = 2 -> p(0) = 2/4 > 0.3, nothing rejected; N = 3 -> p(0) = 2/8
    # rejects {0, 3}, p(1) = 1; N = 6 -> p(1) = (1 + 6 + 6 + 1)/64 = 0.219 rejects, p(2) = 44/64
    assert st.exact_cond_region(2, 0.5, 0.3) == (-1, 3)
    assert st.exact_cond_region(3, 0.5, 0.3) == (0, 3)
    assert st.exact_cond_region(6, 0.5, 0.3) == (1, 5)
    # alpha = 0.05: no rejection up to N = 5 (p(0) = 2/32), then {0, 6}, ..., {0, 1, 8, 9}
    assert st.exact_cond_region(5, 0.5, 0.05) == (-1, 6)
    assert st.exact_cond_region(6, 0.5, 0.05) == (0, 6)
    assert st.exact_cond_region(9, 0.5, 0.05) == (1, 8)
    assert st.exact_cond_region(0, 0.5, 0.05) == (-1, 1)


@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning")
@pytest.mark.parametrize("n,pi0", [(1, 0.3), (7, 0.5), (12, 0.047), (40, 0.2), (63, 0.5),
                                   (150, 0.047), (201, 1 / 2001)])
def test_exact_cond_region_is_the_tests_region(n, pi0):
    """The region agrees with the p-value statsmodels' exact-cond test gives each outcome."""
    from statsmodels.stats.rates import test_poisson_2indep

    a, b = st.exact_cond_region(n, pi0)
    e1, e2 = pi0, 1 - pi0  # exposures whose e1/(e1+e2) is pi0
    for x in range(n + 1):
        p = test_poisson_2indep(x, e1, n - x, e2, value=1, method="exact-cond").pvalue
        assert (p <= 0.05) == (x <= a or x >= b), (n, pi0, x, p)


def test_power_exact_by_hand_tiny_rates():
    # lambda1 = 3r, lambda2 = r with r = 0.00025: N is almost never above 3. With alpha = 0.3
    # and pi0 = 1/2 the test first rejects at N = 3 ({0, 3}; see above) and pi = 3/4, so
    # power = P(N = 3) (0.75^3 + 0.25^3) + P(N = 4) (0.75^4 + 0.25^4) + (terms below 1e-17)
    lam = 4 * 0.00025
    hand = math.exp(-lam) * (lam**3 / 6 * (0.75**3 + 0.25**3) + lam**4 / 24 * (0.75**4 + 0.25**4))
    assert st.power_exact(0.00025, 3.0, 1.0, 1.0, alpha=0.3) == pytest.approx(hand, rel=1e-3)
    # under RR = 1 the same sum is the test's size, and it cannot exceed alpha
    size = st.power_exact(0.5, 1.0, 2.0, 3.0)
    assert 0 < size <= 0.05


def test_power_exact_matches_enumeration_over_both_counts():
    """Independent route: sum over (x1, x2) of the two Poisson probabilities where the test's
    minlike p-value (the helper above) is at most alpha."""
    r0, rr, e1, e2 = 1.0, 2.5, 1.0, 2.0
    l1, l2 = rr * r0 * e1, r0 * e2
    pi0 = e1 / (e1 + e2)
    pois = lambda k, m: math.exp(-m) * m**k / math.factorial(k)  # noqa: E731
    total = 0.0
    rows = {}
    for x1 in range(26):
        for x2 in range(26):
            n = x1 + x2
            if n == 0:
                continue
            row = rows.setdefault(n, _pmf_row(n, pi0))
            if _minlike_rejects(x1, n, pi0, 0.05, row):
                total += pois(x1, l1) * pois(x2, l2)
    assert st.power_exact(r0, rr, e1, e2) == pytest.approx(total, rel=1e-9)


def test_power_exact_agrees_with_seeded_simulation():
    r0, e0 = 183 / 4734.041, 4734.041
    exact = st.power_exact(r0, 2.0, 232.0, e0)
    sim = st.power_simulated(r0, 2.0, 232.0, e0, n_sim=20_000, seed=7)
    assert sim["n_sim"] == 20_000 and sim["seed"] == 7
    assert abs(sim["power"] - exact) <= 4 * sim["se"]
    # the same seed gives the same draws
    assert st.power_simulated(r0, 2.0, 232.0, e0, n_sim=2_000, seed=7) == \
        st.power_simulated(r0, 2.0, 232.0, e0, n_sim=2_000, seed=7)


def test_referees_figure_exact_power_at_the_wald_exposure():
    # KASN's 183 proven ASN over 4,734,041 ASN (Pemilu 2024): the Wald approximation puts 80%
    # power at about 232,000 ASN-elections for RR = 2; the exact conditional test has ~0.71 there
    r0, e0 = 183 / 4734.041, 4734.041
    ew = st.required_exposure(r0, 2.0, e0)
    assert st.power_rr(r0, 2.0, ew, e0) == pytest.approx(0.8, abs=1e-6)
    assert 1000 * ew == pytest.approx(232_015, rel=1e-4)
    assert st.power_exact(r0, 2.0, ew, e0) == pytest.approx(0.71, abs=0.005)


def test_required_exposure_exact_follows_its_rule():
    r0, rr, e0 = 0.1, 2.0, 2000.0
    e = st.required_exposure_exact(r0, rr, e0)
    k = round(st.POWER_GRID_PER_DECADE * math.log10(e))
    assert e == pytest.approx(10 ** (k / st.POWER_GRID_PER_DECADE), rel=1e-12)
    width = math.floor(st.POWER_GRID_PER_DECADE * math.log10(st.POWER_CHECK_SPAN) + 1e-9)
    grid = [10 ** (j / st.POWER_GRID_PER_DECADE) for j in range(k - 1, k + width + 1)]
    powers = [st.power_exact(r0, rr, g, e0) for g in grid]
    assert powers[0] < 0.8  # the grid point below fails ...
    assert min(powers[1:]) >= 0.8  # ... and power holds from e up to span * e
    # the window is every grid point up to span * e, and no further
    assert grid[-1] <= st.POWER_CHECK_SPAN * e < grid[-1] * 10 ** (1 / st.POWER_GRID_PER_DECADE)
    with pytest.raises(ValueError):
        st.required_exposure_exact(r0, 1.0, e0)


# ------------------------------------------------------------------ sensitivity rows
def test_rerun_of_maps_the_rerun_to_the_election_it_repeats():
    assert st.rerun_of(_elections()) == {"pilkada2025": "pilkada2024"}


def test_incidence_sensitivity_rows():
    t = st.incidence(_baselines(), _violations(), _indicators(), _elections())
    p24 = t[t["election"] == "pemilu2024"].set_index("choice")
    # the paper definition counts the same case (V1) as the strict one: no identical row
    assert list(p24.index) == ["main", "denominator"]
    assert p24.loc["main", "main"] and not p24.loc["denominator", "main"]
    # main denominator: the latest ASN count dated on or before the end of the national count
    # (2024-02-06): June 2023 (236 days); "2024" is read as 1 July (146 days after) -> sensitivity
    assert p24.loc["main", "national_asn_id"] == "n-asn-23"
    assert p24.loc["main", "national_asn_gap_days"] == 236
    assert p24.loc["denominator", "national_asn_id"] == "n-asn-24"
    assert p24.loc["denominator", "national_asn_gap_days"] == 146
    assert p24.loc["denominator", "national_rate"] == pytest.approx(200 / 2000)
    assert p24.loc["denominator", "estimate"] == pytest.approx(1.0 / 0.1)
    assert p24.loc["denominator", "choice_label"].endswith("(y)")  # the count's variant
    k24 = t[t["election"] == "pilkada2024"].set_index("choice")
    # no pooling with the re-run: that would borrow another election's baseline
    assert list(k24.index) == ["main", "definition", "denominator"]
    assert "rerun" not in set(t["choice"])
    # strict vs paper: the case without a Bawaslu ruling (V2) is the only difference
    assert (k24.loc["main", "city_proven"], k24.loc["definition", "city_proven"]) == (0, 1)
    # readings no longer say "borderline"-type verdicts
    assert not t["reading"].str.contains("batas, |kebetulan").any()
    assert st.incidence_row(t, "pemilu2024", "strict")["choice"] == "main"


def test_asn_per_100_time_gap_and_coverage():
    t = indicators.asn_per_100(_indicators(), pairing="closest").set_index("population_id")
    # 2020 -> 1 July 2020; ASN 2025-10-08: 1,925 days later
    assert t.loc["c-pop-a", "gap_days"] == (pd.Timestamp("2025-10-08")
                                             - pd.Timestamp("2020-07-01")).days
    assert not t.loc["c-pop-a", "same_year"]
    assert pd.isna(t.loc["c-pop-b", "gap_days"]) and not t.loc["c-pop-b", "same_year"]
    # closest national ASN to June 2024 is "2024" (1 July): 16 days, same year
    assert t.loc["n-pop", "asn_id"] == "n-asn-24"
    assert t.loc["n-pop", "gap_days"] == 16 and t.loc["n-pop", "same_year"]
    assert "Pemerintah Kota" in t.loc["c-pop-a", "coverage"]
    assert "pusat" in t.loc["n-pop", "coverage"]
    assert "berselisih 1,925 hari" in t.loc["c-pop-a", "reading"]


def test_binomial_readings_state_the_selection_and_no_verdict_words():
    pos = st.position_profile(_violations(), _baselines())
    sanc = st.sanction_outcomes(_violations(), _baselines())
    for text in list(pos["reading"]) + list(sanc["reading"]):
        assert st.SELECTION in text
        for word in ("batas", "borderline", "signifikan", "kokoh"):
            assert word not in text
    note = stt.selection_note(4, len(pos))
    assert "4 kasus kota" in note and f"{len(pos)} uji" in note
    assert "p minlike / sentral (deskriptif)" in stt.position_table(pos).columns


# ------------------------------------------------------------------ referee round 2 (F1)
def test_within_count_prefers_a_count_dated_inside_the_window():
    rows = _indicators()
    nat = rows[(rows["indicator"] == "asn_total") & (rows["scope"] == "national")]
    # "2024" is read as 1 July 2024: after a count ending 2024-06-12, so June 2023 is chosen
    assert indicators.within_count(nat, pd.Timestamp("2024-06-12"))["indicator_id"] == "n-asn-23"
    # a count ending in December 2024: both are dated before it; the latest one wins
    assert indicators.within_count(nat, pd.Timestamp("2024-12-02"))["indicator_id"] == "n-asn-24"
    # nothing dated that early: the closest count
    assert indicators.within_count(nat, pd.Timestamp("2020-12-09"))["indicator_id"] == "n-asn-23"
    assert indicators.within_count(nat, None)["indicator_id"] == "n-asn-24"  # the latest


def test_incidence_earlier_interim_count_is_a_sensitivity_row_with_its_caveat():
    b = _baselines()
    later = b[b["baseline_id"] == "B07"].assign(
        baseline_id="B17", value=250, period_end=pd.Timestamp("2024-06-12"),
        note="jumlah dua angka; sumber tidak konsisten tentang salah satunya")
    t = st.incidence(pd.concat([b, later], ignore_index=True), _violations(), _indicators(),
                     _elections())
    p24 = t[t["election"] == "pemilu2024"].set_index("choice")
    assert list(p24.index) == ["main", "denominator", "national_count"]
    assert p24.loc["main", "baseline_id"] == "B17"
    assert p24.loc["main", "estimate"] == pytest.approx(1.0 / (250 / 1000))
    assert "tidak konsisten" in p24.loc["main", "reading"]  # the source's caveat is carried
    early = p24.loc["national_count"]
    assert early["baseline_id"] == "B07" and early["estimate"] == pytest.approx(5.0)
    assert "sebelum hari pemungutan suara 2024-02-14" in early["reading"]
    # the power table still has one reference rate per election
    assert sorted(st.power_table(t, ratios=(3.0,))["baseline_id"]) == ["B02", "B09", "B17"]


def test_holm_adjustment_by_hand_and_phrase():
    # Holm: sorted p (0.01, 0.02, 0.04) times (3, 2, 1), running maximum: 0.03, 0.04, 0.04
    adj = st.holm([0.04, 0.01, 0.02, float("nan")])
    assert adj[:3] == pytest.approx([0.04, 0.03, 0.04])
    assert math.isnan(adj[3])
    assert stt.holm_phrase(adj) == "3 uji bertahan"
    assert stt.holm_phrase(st.holm([0.135, 0.07, 1.0])) == "tidak satu pun uji bertahan"
    assert stt.holm_phrase(st.holm([0.5]), lang="en") == "no test survives"


def test_asn_per_100_part_time_sensitivity_row():
    ind = pd.concat([_indicators(), pd.DataFrame([{
        "indicator_id": "c-pt", "scope": "city", "indicator": "pppk_part_time", "variant": "x",
        "value": 500, "ref_period": "2025-10-08", "source": "k9"}])], ignore_index=True)
    plain = indicators.asn_per_100(ind, scopes=("city",), pairing="closest", stated=False)
    assert not plain["part_time"].any()
    t = indicators.asn_per_100(ind, scopes=("city",), pairing="closest", stated=False,
                               part_time=True)
    pt = t[t["part_time"]]
    assert len(pt) == 1 and len(t) == len(plain) + 1
    row = pt.iloc[0]
    # 1,000 ASN + 500 part-time over the largest population count (100,000) = 1.5 per 100
    assert row["asn"] == 1500 and row["population_id"] == "c-pop-a"
    assert row["estimate"] == pytest.approx(1.5)
    assert row["source"] == "k1;k9;k2"
    shown = indicators.ratio_table(t)
    assert list(shown["ASN dihitung"])[-1].startswith("PNS + PPPK + PPPK paruh waktu")
    d = stt.density_table(t)
    assert d["ASN (tanggal acuan)"].str.contains("paruh waktu").sum() == 1


def test_share_context_names_election_status_and_count():
    b = _baselines()
    b.loc[b["baseline_id"] == "B04", "value"] = 283
    share = b[b["baseline_id"] == "B10"].iloc[0]
    assert st.share_context(b, share) == ("dalam data sementara KASN Pilkada 2020 s.d. "
                                          "2020-06-26 (n = 283)")


def test_exact_cond_region_window_matches_every_outcome():
    """The region from the window around the mean equals the region over every outcome
    (stats._region with lo=0), across totals and null shares like the chapter's."""
    import numpy as np

    from netralitas import stats

    rng = np.random.default_rng(13)
    totals = np.unique(np.concatenate([np.arange(1, 60), rng.integers(60, 2500, 120)]))
    shares = [0.0007, 0.0023, 0.011, 0.02, 0.07, 0.15, 0.25, 0.5, 0.83]
    from scipy.stats import binom

    for n in totals:
        for pi0 in shares:
            x = np.arange(n + 1)
            assert np.array_equal(binom._pmf(x, n, pi0), binom.pmf(x, n, pi0))
            got = stats.exact_cond_region.__wrapped__(int(n), pi0)
            assert got == stats._region(int(n), pi0, stats.ALPHA), (n, pi0)
