"""Population and civil-service counts: ASN per 100 residents with every denominator.

The one home of the ASN-per-100 ratio and of the rule that pairs a count with the count of
another indicator closest in time (also used for the exposure of the incidence rates)."""

from __future__ import annotations

import math

import pandas as pd

from . import vocab
from .bib import merge_keys

__all__ = ["CENSUS_WHY", "period_date", "closest_in_time", "within_count", "asn_per_100",
           "ratio_table", "PART_TIME_NOTE"]


def period_date(period) -> pd.Timestamp | None:
    """A ``ref_period`` as a date: ``YYYY`` → 1 July, ``YYYY-MM`` → the 15th, a day as is;
    empty → None."""
    if period is None or (not isinstance(period, str) and pd.isna(period)) or not str(period):
        return None
    parts = str(period).split("-")
    if len(parts) == 1:
        return pd.Timestamp(f"{parts[0]}-07-01")
    if len(parts) == 2:
        return pd.Timestamp(f"{period}-15")
    return pd.Timestamp(period)


def closest_in_time(rows: pd.DataFrame, when) -> pd.Series:
    """The row of ``rows`` whose ``ref_period`` (:func:`period_date`) is closest to ``when`` (a
    date or a ``ref_period`` text); with no ``when``, the latest row. Rows without a period come
    last; ties go to the first row in file order."""
    if rows.empty:
        raise ValueError("closest_in_time: no rows to choose from")
    dates = [period_date(p) for p in rows["ref_period"]]
    target = when if isinstance(when, pd.Timestamp) else period_date(when)
    if target is None:
        known = [(d, i) for i, d in enumerate(dates) if d is not None]
        return rows.iloc[max(known)[1] if known else len(rows) - 1]
    gaps = [abs((d - target).days) if d is not None else 10**9 for d in dates]
    return rows.iloc[gaps.index(min(gaps))]


def within_count(rows: pd.DataFrame, end) -> pd.Series:
    """The denominator for a count that runs to ``end``: the latest row of ``rows`` dated on or
    before ``end`` (staff counted after the counting stopped did not contribute to it; a year-only
    period is read as 1 July, :func:`period_date`); when no row is dated that early, the row
    closest in time (:func:`closest_in_time`). With no ``end``, the latest row."""
    if rows.empty:
        raise ValueError("within_count: no rows to choose from")
    target = end if isinstance(end, pd.Timestamp) else period_date(end)
    if target is None:
        return closest_in_time(rows, None)
    dates = [period_date(p) for p in rows["ref_period"]]
    before = [(d, -i) for i, d in enumerate(dates) if d is not None and d <= target]
    if not before:
        return closest_in_time(rows, target)
    return rows.iloc[-max(before)[1]]


PART_TIME_NOTE = ("kepekaan: ASN ditambah PPPK paruh waktu yang sedang diangkat pada tanggal yang "
                  "sama, dibagi hitungan penduduk terbesar")


CENSUS_WHY = ("hitungan lengkap (sensus, registrasi, basis data kepegawaian), bukan sampel: "
              "tidak ada galat sampling, jadi tidak ada selang; ketidakpastiannya adalah "
              "pilihan penyebut, yang ditunjukkan oleh baris-baris alternatif")


def asn_per_100(indicators: pd.DataFrame, scopes=("city", "national"),
                pairing: str = "all", stated: bool = True,
                part_time: bool = False) -> pd.DataFrame:
    """ASN per 100 residents for each scope, one row per pairing of an ASN count with a
    population count (the one home of this ratio: chapters D.1 and Statistik both call it).

    ``pairing="all"`` pairs every ``asn_total`` row of a scope with every ``population`` row
    (sensitivity to both counts); ``pairing="closest"`` pairs each population row with the ASN
    count closest to it in time (:func:`closest_in_time`; the latest when the population has no
    reference period). ``stated`` adds the paper's own ratio (``asn_per_resident``) as its own
    row. ``n`` is the population count; ``per_resident`` residents per ASN; ``gap_days`` the
    days between the two counts' reference dates (NA when one is undated); ``same_year`` whether
    both fall in one calendar year (the only pairs that are like-for-like in time);
    ``coverage`` which civil servants the ASN count covers (vocabulary ``asn_coverage``: the
    city's count is municipal staff only, the national one every agency, so no pair of a city
    and a national ratio is like-for-like in scope). No interval: these are complete counts.

    ``part_time=True`` adds, for a scope with a ``pppk_part_time`` row dated like an
    ``asn_total`` row, one sensitivity row (``part_time`` True, ``asn_id`` "<asn>+<part-time>")
    whose ASN count includes the part-time PPPK being appointed, over the largest population
    count (every population count predates the ASN count and the city grows, so the largest is
    the least stale; :data:`PART_TIME_NOTE`). Other rows have ``part_time`` False.
    """
    if pairing not in ("all", "closest"):
        raise ValueError(f"asn_per_100: pairing must be 'all' or 'closest' (got {pairing!r})")
    rows = []
    for scope in scopes:
        ind = indicators[indicators["scope"] == scope]
        asn = ind[ind["indicator"] == "asn_total"]
        pop = ind[ind["indicator"] == "population"]
        if asn.empty or pop.empty:
            raise ValueError(f"indicators: no asn_total or population rows for scope '{scope}'")
        where = vocab.label("scope", scope).capitalize()
        pairs = ([(a, p) for _, a in asn.iterrows() for _, p in pop.iterrows()]
                 if pairing == "all" else
                 [(closest_in_time(asn, p["ref_period"]), p) for _, p in pop.iterrows()])
        coverage = vocab.label("asn_coverage", scope)
        for a, p in pairs:
            est = 100 * float(a["value"]) / float(p["value"])
            da, dp = period_date(a["ref_period"]), period_date(p["ref_period"])
            gap = abs((da - dp).days) if da is not None and dp is not None else pd.NA
            same = da is not None and dp is not None and da.year == dp.year
            when = ("tahun yang sama" if same else
                    "tanggal penduduk tidak disebut" if dp is None else
                    f"hitungan ASN dan penduduk berselisih {gap:,} hari")
            rows.append({
                "scope": scope, "asn_id": a["indicator_id"], "population_id": p["indicator_id"],
                "asn": int(a["value"]),
                "asn_period": a["ref_period"] if pd.notna(a["ref_period"]) else "–",
                "population": int(p["value"]), "population_variant": p["variant"],
                "population_period": p["ref_period"] if pd.notna(p["ref_period"]) else "–",
                "estimate": est, "lower": math.nan, "upper": math.nan,
                "method": "rasio hitungan lengkap; tanpa selang sampling",
                "n": int(p["value"]),
                "per_resident": float(p["value"]) / float(a["value"]),
                "gap_days": gap, "same_year": same, "coverage": coverage,
                "reading": (f"{where}: {f'{est:,.2f}'} ASN per 100 penduduk "
                            f"(1 ASN per {float(p['value']) / float(a['value']):,.0f} penduduk; "
                            f"penyebut {p['variant']}; {when}; cakupan ASN: {coverage}). "
                            f"Tanpa selang: {CENSUS_WHY}."),
                "source": merge_keys(a["source"], p["source"]), "part_time": False,
            })
        extra = ind[ind["indicator"] == "pppk_part_time"] if part_time else ind.iloc[0:0]
        for _, x in extra.iterrows():
            same = asn[asn["ref_period"] == x["ref_period"]]
            if same.empty:
                continue
            a, p = same.iloc[0], pop.loc[pop["value"].astype(float).idxmax()]
            total = int(a["value"]) + int(x["value"])
            est = 100 * total / float(p["value"])
            rows.append({
                "scope": scope, "asn_id": f"{a['indicator_id']}+{x['indicator_id']}",
                "population_id": p["indicator_id"], "asn": total,
                "asn_period": a["ref_period"], "population": int(p["value"]),
                "population_variant": p["variant"],
                "population_period": p["ref_period"] if pd.notna(p["ref_period"]) else "–",
                "estimate": est, "lower": math.nan, "upper": math.nan,
                "method": "rasio hitungan lengkap; tanpa selang sampling",
                "n": int(p["value"]), "per_resident": float(p["value"]) / total,
                "gap_days": pd.NA, "same_year": False, "coverage": coverage,
                "reading": (f"{where}: {est:,.2f} ASN per 100 penduduk bila {int(x['value']):,} "
                            f"PPPK paruh waktu ikut dihitung ({PART_TIME_NOTE}; penyebut "
                            f"{p['variant']})."),
                "source": merge_keys(a["source"], x["source"], p["source"]), "part_time": True,
            })
        for _, s in ind[ind["indicator"] == "asn_per_resident"].iterrows() if stated else []:
            est = 100 * float(s["value"])
            rows.append({
                "scope": scope, "asn_id": "–", "population_id": s["indicator_id"], "asn": pd.NA,
                "asn_period": "–", "population": pd.NA, "population_variant": s["variant"],
                "population_period": "–", "estimate": est, "lower": math.nan, "upper": math.nan,
                "method": "rasio yang dinyatakan makalah", "n": pd.NA, "per_resident": math.nan,
                "gap_days": pd.NA, "same_year": False, "coverage": coverage,
                "reading": f"{where}: makalah menyatakan sekitar {f'{est:,.2f}'} ASN per 100 penduduk.",
                "source": merge_keys(s["source"]), "part_time": False,
            })
    out = pd.DataFrame(rows)
    out["n"] = out["n"].astype("Int64")
    out["asn"] = out["asn"].astype("Int64")
    out["population"] = out["population"].astype("Int64")
    out["gap_days"] = out["gap_days"].astype("Int64")
    out = out.sort_values(["scope", "method", "estimate", "population_id"], kind="stable")
    return out.reset_index(drop=True)


def ratio_table(ratios: pd.DataFrame) -> pd.DataFrame:
    """:func:`asn_per_100` for chapter D.1: one row per population denominator, smallest first;
    a part-time sensitivity row (``part_time``) last, labelled in ``ASN dihitung``."""
    r = ratios[ratios["asn_id"] != "–"].copy()
    if "part_time" not in r:
        r["part_time"] = False
    r = r.sort_values(["part_time", "population", "population_variant"])
    return pd.DataFrame({
        "ASN dihitung": ["PNS + PPPK + PPPK paruh waktu (kepekaan)" if pt else "PNS + PPPK"
                         for pt in r["part_time"]],
        "Penyebut": r["population_variant"].to_numpy(),
        "Periode": r["population_period"].to_numpy(),
        "Penduduk": [f"{int(v):,}" for v in r["population"]],
        "ASN": [f"{int(v):,}" for v in r["asn"]],
        "ASN per 100": [f"{v:.2f}" for v in r["estimate"]],
        "Penduduk per ASN": [f"{v:.2f}" for v in r["per_resident"]],
        "Sumber": r["source"].to_numpy(),
    }).reset_index(drop=True)
