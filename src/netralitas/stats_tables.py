"""The statistics chapter's results as readers see them: Indonesian labels, formatted intervals."""

from __future__ import annotations

import math

import pandas as pd

from . import vocab
from .stats import ALPHA, _fmt_p, _keys, _require

__all__ = ["fmt_interval", "present", "readings", "baselines_table", "density_table",
           "incidence_table", "position_table", "sanction_table", "provincial_table",
           "power_display", "selection_note", "rules_phrase", "interval_phrase",
           "within_phrase", "category_label", "proven_by_definition", "cases_outside",
           "holm_phrase"]


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


def _election(code) -> str:
    return vocab.election(code) if isinstance(code, str) else "–"


def category_label(code: str) -> str:
    """A baseline category in words; ``all`` prints nothing (the measure says it), a position
    group is named as in the position profile, ``year_YYYY`` is a yearly report."""
    if code == "all":
        return ""
    if isinstance(code, str) and code.startswith("year_"):
        return f"laporan tahun {code[5:]}"
    if code in vocab.labels("position_group"):
        text = vocab.label("position_group", code)
        return text[0].lower() + text[1:]
    return vocab.label("category", code)


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
        measure = vocab.label("measure", b["measure"])
        category = category_label(b["category"])
        # a category whose words the measure already says (campaign_days under "lama masa
        # kampanye") adds nothing
        said = category and set(category.split()) <= set(measure.split())
        what = f"{measure}: {category}" if category and not said else measure
        short = vocab.label("baseline_unit", b["unit"], short=True)
        unit = "" if b["unit"] == "count" else (short if short == "%" else f" {short}")
        value = float(b["value"])
        number = f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"
        shown = f"{number}{unit}"
        if b["unit"] == "percent" and isinstance(b["denominator"], str):
            shown += " " + vocab.label("denominator", b["denominator"])
        status = vocab.label("data_status", b["status"])
        if pd.notna(b["period_end"]):
            status += f", s.d. {pd.Timestamp(b['period_end']).strftime('%Y-%m-%d')}"
        rows.append({"ID": b["baseline_id"], "Pemilihan": _election(b["election"]),
                     "Lembaga": f"{vocab.label('body', b['body'])}, "
                                f"{vocab.label('scope', b['scope'])}",
                     "Ukuran": what, "Nilai": shown, "Posisi data": status,
                     "Sumber": _keys(b["source"])})
    return pd.DataFrame(rows, columns=["ID", "Pemilihan", "Lembaga", "Ukuran", "Nilai",
                                       "Posisi data", "Sumber"])


def density_table(density: pd.DataFrame) -> pd.DataFrame:
    """:func:`~netralitas.indicators.asn_per_100` for display: area, ASN count, population
    denominator, the time between the two counts, which civil servants the ASN count covers
    (short label of vocabulary ``asn_coverage``), ratio."""
    rows = []
    for _, r in density.iterrows():
        if r["asn_id"] == "–":
            asn, pop = "–", f"{r['population_variant']} (rasio yang dinyatakan)"
            when = "–"
        else:
            asn = f"{int(r['asn']):,} ({r['asn_period']})"
            if r.get("part_time", False):
                asn += "; termasuk PPPK paruh waktu (kepekaan)"
            pop = f"{int(r['population']):,} ({r['population_variant']})"
            gap = r.get("gap_days", pd.NA)
            when = ("tanggal penduduk tidak disebut" if pd.isna(gap) else
                    f"tahun sama ({int(gap):,} hari)" if r.get("same_year", False) else
                    f"{int(gap):,} hari")
        rows.append({"Wilayah": vocab.label("scope", r["scope"]).capitalize(),
                     "ASN (tanggal acuan)": asn, "Penduduk (penyebut)": pop,
                     "Selisih tanggal": when,
                     "Cakupan ASN": vocab.label("asn_coverage", r["scope"], short=True),
                     "ASN per 100 penduduk": f"{r['estimate']:.2f}", "Sumber": r["source"]})
    return pd.DataFrame(rows, columns=["Wilayah", "ASN (tanggal acuan)", "Penduduk (penyebut)",
                                       "Selisih tanggal", "Cakupan ASN", "ASN per 100 penduduk",
                                       "Sumber"])


def _choice_text(r) -> str:
    """What an :func:`~netralitas.stats.incidence` row assumes, in words."""
    if pd.isna(r["city_proven"]):
        return "tanpa angka kota"
    if r["choice"] == "main":
        nat = (f"; ASN nasional {r['national_asn_period']}" if r["baseline_id"] != "–"
               else "; tanpa angka nasional")
        return f"{r['choice_label']} ({r['definition_label']}{nat})"
    return str(r["choice_label"])


def incidence_table(inc: pd.DataFrame) -> pd.DataFrame:
    """:func:`incidence` for display, main and sensitivity rows together (``Pilihan analisis``
    says what each row assumes). ``Sumber`` holds the sources of the national count, of the
    national ASN count and of the city ASN count; the sources of each city case are in the
    paper's Table 1 (the case ids are shown)."""
    rows = []
    for _, r in inc.iterrows():
        if pd.isna(r["city_proven"]):
            city, cases = "–", "–"
        else:
            city = f"{r['city_rate']:.3f}"
            ids = str(r["city_cases"]).replace(",", ", ")
            cases = f"{int(r['city_proven'])}" + (f" ({ids})" if ids != "–" else "")
        status = ""
        if r["baseline_id"] != "–" and r.get("national_status") == "interim":
            status = f", sementara s.d. {pd.Timestamp(r['national_period_end']):%Y-%m-%d}"
        what = "putusan" if r["body"] == "Bawaslu" else "ASN terbukti"
        nat = (f"{r['national_rate']:.3f} ({int(r['national_proven']):,} {what}, {r['body']}, "
               f"ID {r['baseline_id']}{status}; ASN {r['national_asn_period']})"
               if r["baseline_id"] != "–" else "–")
        rows.append({"Pemilihan": r["label"], "Pilihan analisis": _choice_text(r),
                     "Kasus kota (ID)": cases, "Kota per 1,000 ASN": city,
                     "Nasional per 1,000 ASN": nat,
                     "Rasio laju (selang 95%)": fmt_interval(r["estimate"], r["lower"],
                                                             r["upper"], 2),
                     "p": _fmt_p(r["pvalue"]) if pd.notna(r["pvalue"]) else "–",
                     "Sumber": _keys(r["national_source"], r["city_asn_source"])})
    return pd.DataFrame(rows).reset_index(drop=True)


def position_table(pos: pd.DataFrame) -> pd.DataFrame:
    """:func:`position_profile` for display (sources: the national shares); the case definition
    heads each group's label when the table holds more than one."""
    several = "definition" in pos and pos["definition"].nunique() > 1
    return pd.DataFrame({
        "Kelompok jabatan": [(f"{vocab.label('definition', d)}: {lab}" if several else lab)
                             for d, lab in zip(pos.get("definition", pos["label"]),
                                               pos["label"])],
        "Kasus kota (ID)": [f"{x}/{n}" + (f" ({c.replace(',', ', ')})" if c != "–" else "")
                            for x, n, c in zip(pos["x"], pos["n"], pos["city_cases"])],
        "Bagian kota (selang 95%)": [fmt_interval(e, lo, hi, 2, percent=True) for e, lo, hi in
                                     zip(pos["estimate"], pos["lower"], pos["upper"])],
        "Bagian nasional (ID)": [f"{100 * p:.0f}% ({b})" for p, b in zip(pos["p0"], pos["baseline_id"])],
        "p minlike / sentral (deskriptif)": [f"{_fmt_p(a)} / {_fmt_p(c)}"
                                for a, c in zip(pos["pvalue"], pos["pvalue_central"])],
        "Sumber": pos["national_source"],
    }).reset_index(drop=True)


def proven_by_definition(pos: pd.DataFrame) -> list[str]:
    """For the prose: per definition of :func:`~netralitas.stats.position_profile`, the number of
    proven city cases and their ids, e.g. ``"definisi makalah: 2 kasus (V1, V4)"``."""
    out = []
    for d, g in pos.groupby("definition", sort=False):
        ids = sorted(i for c in g["city_cases"] if c != "–" for i in c.split(","))
        out.append(f"{vocab.label('definition', d)}: {int(g['n'].iloc[0])} kasus "
                   f"({', '.join(ids)})")
    return out


def cases_outside(violations: pd.DataFrame, pos: pd.DataFrame) -> list[str]:
    """Case ids of ``violations`` that no definition of ``pos`` counts as proven."""
    inside = {i for c in pos["city_cases"] if c != "–" for i in c.split(",")}
    return sorted(set(violations["case_id"]) - inside)


def selection_note(cases: int, tests: int) -> str:
    """The note beside the p-values of a binomial table (``note=`` of ``nt.nb.show_table``):
    the city's ``cases`` are the paper's curated list, highlighted comparisons were chosen after
    seeing it, and the table holds ``tests`` tests."""
    return (f"(p deskriptif: {cases} kasus kota adalah daftar pilihan makalah, bukan seluruh "
            f"kasus; perbandingan yang disorot di teks dipilih sesudah melihat data; tabel ini "
            f"memuat {tests} uji)")


def sanction_table(sanc: pd.DataFrame) -> pd.DataFrame:
    """:func:`sanction_outcomes` for display (sources: the national counts): one election and
    one outcome per row, the national numerator and denominator stated."""
    nat, head = [], []
    for _, r in sanc.iterrows():
        what = "terbukti" if r["measure"] == "proven" else "disanksi"
        of = "laporan yang diputus" if r["denominator_kind"] == "decided" else "laporan"
        status = (f"sementara s.d. {pd.Timestamp(r['period_end']):%Y-%m-%d}"
                  if pd.notna(r["period_end"]) else "akhir")
        same = f"; sumber lain: {r['same_count']}" if r["same_count"] else ""
        nat.append(f"{r['body']}: {r['numerator']:,}/{r['denominator']:,} {of} {what} = "
                   f"{100 * r['p0']:.1f}% ({status}; ID {r['baseline_id']}{same})")
        head.append(f"{_election(r['election'])}: {what}")
    return pd.DataFrame({
        "Pemilihan: hasil": head,
        "Kasus kota (ID)": [f"{x}/{n} ({c.replace(',', ', ')} dari {a.replace(',', ', ')})"
                            if c != "–" else f"{x}/{n} (dari {a.replace(',', ', ')})"
                            for x, n, c, a in zip(sanc["x"], sanc["n"], sanc["city_cases"],
                                                  sanc["city_all"])],
        "Bagian kota (selang 95%)": [fmt_interval(e, lo, hi, 2, percent=True) for e, lo, hi in
                                     zip(sanc["estimate"], sanc["lower"], sanc["upper"])],
        "Pembanding nasional": nat,
        "p minlike / sentral (deskriptif)": [f"{_fmt_p(a)} / {_fmt_p(c)}"
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
    """:func:`power_table` for display: the exact test's design first, the Wald approximation
    only as a labelled comparison (its exposure and the exact power there)."""
    return pd.DataFrame({
        "Laju acuan per 1,000 ASN (ID)": [f"{_election(e)}, {b}: {r:.3f} ({i})" for e, b, r, i in
                                          zip(power["election"], power["body"],
                                              power["national_rate"], power["baseline_id"])],
        "Rasio laju": [f"{v:g}" for v in power["ratio"]],
        "Kasus kota dibutuhkan (uji eksak)": [f"{int(v):,}" for v in power["n"]],
        "ASN-pemilihan (uji eksak)": [f"{v:,.0f}" for v in power["estimate"]],
        "Pemilihan seukuran kota": [f"{v:,.1f}" for v in power["elections_city"]],
        "Pembanding Wald: ASN-pemilihan (daya eksak di sana)": [
            f"{w:,.0f} ({p:.2f})" for w, p in zip(power["wald_exposure"],
                                                   power["power_exact_at_wald"])],
        "Sumber": power["source"],
    }).reset_index(drop=True)


def rules_phrase(pvalue: float, pvalue_central: float, alpha: float = ALPHA) -> str:
    """How the two-sided binomial rules read one row, in words for the prose (so the sentence
    follows the data instead of being typed): ``kedua aturan tidak sepakat`` when the minlike and
    the central p-value fall on different sides of ``alpha``, else whether both are below it."""
    a, c = pvalue < alpha, pvalue_central < alpha
    if a != c:
        return "kedua aturan tidak sepakat"
    return ("kedua aturan sepakat bahwa p di bawah α" if a
            else "kedua aturan sepakat bahwa p tidak di bawah α")


def holm_phrase(adjusted, alpha: float = ALPHA, lang: str = "id") -> str:
    """How many tests of a family survive a Holm correction (``adjusted`` from
    :func:`~netralitas.stats.holm`), in words for the prose (``lang`` "id" or "en")."""
    k = int(sum(1 for p in adjusted if p == p and p < alpha))
    if lang == "en":
        return "no test survives" if k == 0 else f"{k} of the tests survive"
    if k == 0:
        return "tidak satu pun uji bertahan"
    return f"{k} uji bertahan"


def interval_phrase(lower: float, upper: float, value: float = 1.0) -> str:
    """``selangnya memuat rasio satu`` or ``selangnya tidak memuat rasio satu`` (any ``value``)."""
    inside = lower <= value <= upper
    what = "rasio satu" if value == 1.0 else f"{value:g}"
    return f"selangnya {'memuat' if inside else 'tidak memuat'} {what}"


def within_phrase(estimate: float, reference: float, se: float, k: float = 3.0) -> str:
    """A seeded simulation against an exact value: ``sesuai dengan`` when they differ by at most
    ``k`` standard errors, else ``berbeda dari`` (a check the reader can see, not an assert)."""
    return "sesuai dengan" if abs(estimate - reference) <= k * se else "berbeda dari"
