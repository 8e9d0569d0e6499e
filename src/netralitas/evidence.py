"""Qualitative evidence of the paper as data: informants, codebook, quotes, evidence items.

Used by chapters B (merit pillars), C (informants, evidence types, triangulation), D.2 (the four
meanings of neutrality) and D.4 (the four factors). Everything is driven by the CSVs: codes,
evidence types and findings are read from ``data/`` (types and findings from the
``evidence_type`` and ``finding`` vocabularies of ``data/vocabulary.csv``), so a new code or evidence
row appears in every table and figure without a code change.

Rules a Table Schema cannot express are checked here and raise :class:`netralitas.data.DataError`
naming file, line and column:

- every code in the ``;``-list ``quotes.codes`` exists in ``codebook.csv``;
- every ``evidence.ref`` names a quote, informant, case, regulation or transfer wave that exists;
- a personal name is stored only for public office-holders (``public_figure`` true);
- a Bangka-Malay quotation has a standard-Indonesian gloss;
- every code a quotation carries is backed by an evidence row pointing to that quotation.

The figures drawn from these frames are in :mod:`netralitas.plots.evidence`.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import data as _data
from . import paths, vocab
from .bib import PAPER_KEYS
from .bib import unconfirmed as _bib_unconfirmed
from .data import DataError
from .text import join_words, split_list

__all__ = ["load", "counts", "triangulation", "triangulation_display", "type_summary",
           "codebook_table", "informant_table", "quotes_table", "quotes_widths",
           "quotes_note", "evidence_items", "merit_table", "split_codes", "code_label",
           "join_labels", "extreme_codes", "type_label", "finding_label", "finding_short",
           "family_summary", "Corpus", "TRIANGULATED_MIN", "SUPPORT_ORDER", "Records",
           "records", "support_of", "support", "strongest_support", "support_by_finding",
           "corroborates", "corroboration_by_finding", "BEARS_ON_CLAIM", "case_record_phrase"]

FAMILY_ORDER = ("meaning", "factor", "theme")
#: A finding counts as triangulated when at least this many kinds of evidence back it.
TRIANGULATED_MIN = 2




# Display labels (Indonesian) for the evidence types and findings; an unknown value is shown as is.








REF_TABLES = {
    "quotes": "quote_id",
    "informants": "informant_id",
    "violations": "case_id",
    "regulations": "reg_id",
    "mutations": "wave_id",
}


def split_codes(value) -> list[str]:
    """Split a ``;``-separated list of codes (``"M1;T2"``) into codes; empty → []."""
    return split_list(value)


def code_sort_key(code: str):
    """Natural order of code ids: letters, then number (M2 before M10)."""
    m = re.fullmatch(r"([A-Za-z]+)(\d+)", str(code))
    return (m.group(1), int(m.group(2))) if m else (str(code), 0)


def _ordered_codes(codebook: pd.DataFrame) -> list[str]:
    rank = {f: i for i, f in enumerate(FAMILY_ORDER)}
    rows = sorted(
        zip(codebook["family"], codebook["code_id"]),
        key=lambda fc: (rank.get(fc[0], len(rank)), fc[0], code_sort_key(fc[1])),
    )
    return [c for _, c in rows]


def _loc(where: str, i: int, column: str) -> str:
    return f"{where}, line {i + 2} (data row {i + 1}), column '{column}'"


def _blank(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value)) or not str(value).strip()


def _true(value) -> bool:
    return not (value is None or pd.isna(value)) and bool(value)


def type_label(t: str) -> str:
    return vocab.label("evidence_type", t)


def finding_label(f: str) -> str:
    return vocab.label("finding", f)


def code_label(code: str, codebook: pd.DataFrame, width: int | None = None, lang: str = "id") -> str:
    """``"M1 · Tidak memihak secara terbuka"`` (wrapped to ``width`` characters if given).

    ``lang="en"`` uses the English label (``label_en``), for the English summaries.
    """
    if lang not in ("id", "en"):
        raise ValueError(f"code_label: lang must be 'id' or 'en', not {lang!r}")
    lab = codebook.set_index("code_id").loc[code, f"label_{lang}"]
    text = f"{code} · {lab}"
    return "\n".join(textwrap.wrap(text, width)) if width else text


def extreme_codes(values: pd.Series, largest: bool = True) -> list[str]:
    """All codes (index of ``values``) sharing the largest (or smallest) value, in index order."""
    if values.empty:
        return []
    target = values.max() if largest else values.min()
    return [c for c, v in values.items() if v == target]


def join_labels(codes: list[str], codebook: pd.DataFrame, lang: str = "id") -> str:
    """``"M1 · a, M2 · b dan M4 · c"``: labels of ``codes`` joined for prose.

    ``lang="en"`` gives English labels joined with "and" (``"M1 · a, M2 · b and M4 · c"``).
    """
    return join_words([code_label(c, codebook, lang=lang) for c in codes],
                      last="and" if lang == "en" else "dan")


def check_quote_codes(quotes: pd.DataFrame, codebook: pd.DataFrame, where: str = "quotes.csv") -> None:
    """Every code in ``quotes.codes`` must exist in the codebook."""
    known = set(codebook["code_id"])
    for i, value in enumerate(quotes["codes"].tolist()):
        codes = split_codes(value)
        if not codes:
            raise DataError(f"{_loc(where, i, 'codes')}: no code (every quotation needs at least one)")
        for c in codes:
            if c not in known:
                raise DataError(f"{_loc(where, i, 'codes')}: unknown code '{c}' (not in codebook.csv)")


def check_refs(evidence: pd.DataFrame, known: dict[str, str], where: str = "evidence.csv") -> None:
    """Every non-empty ``evidence.ref`` must be a known id (``known`` maps id → table name)."""
    for i, ref in enumerate(evidence["ref"].tolist()):
        if _blank(ref):
            continue
        if str(ref) not in known:
            tables = ", ".join(sorted(set(known.values()))) or "none"
            raise DataError(f"{_loc(where, i, 'ref')}: unknown reference '{ref}' "
                            f"(not an id in {tables})")


def check_names(informants: pd.DataFrame, where: str = "informants.csv") -> None:
    """A personal name may be stored only for a public office-holder."""
    for i, (name, public) in enumerate(zip(informants["name"], informants["public_figure"])):
        if not _blank(name) and not _true(public):
            raise DataError(f"{_loc(where, i, 'name')}: personal name given for a non-public "
                            "informant (names are allowed only when public_figure is true)")


def check_glosses(quotes: pd.DataFrame, where: str = "quotes.csv") -> None:
    """A Bangka-Malay quotation needs a standard-Indonesian gloss."""
    for i, (lang, gloss) in enumerate(zip(quotes["language"], quotes["gloss_id"])):
        if lang == "bangka_malay" and _blank(gloss):
            raise DataError(f"{_loc(where, i, 'gloss_id')}: Bangka-Malay quotation without a "
                            "standard-Indonesian gloss")


def check_quote_evidence(quotes: pd.DataFrame, evidence: pd.DataFrame, where: str = "quotes.csv") -> None:
    """Each (quotation, code) pair must have an evidence row (ref = quote_id, code_id = code)."""
    backed = set(zip(evidence["ref"].astype("string").fillna(""), evidence["code_id"]))
    for i, (qid, value) in enumerate(zip(quotes["quote_id"], quotes["codes"])):
        for c in split_codes(value):
            if (qid, c) not in backed:
                raise DataError(f"{_loc(where, i, 'codes')}: code '{c}' of quotation '{qid}' has "
                                "no evidence row in evidence.csv (ref = this quote_id)")


@dataclass
class Corpus:
    """The validated qualitative data of the book."""

    informants: pd.DataFrame
    codebook: pd.DataFrame
    quotes: pd.DataFrame
    evidence: pd.DataFrame
    types: list[str]
    findings: list[str]


def load(data_dir: Path | None = None) -> Corpus:
    """Load informants, codebook, quotes and evidence, validated (schema + the rules above)."""
    data_dir = Path(data_dir) if data_dir else paths.data_dir()
    frames = {n: _data.load(n, data_dir) for n in ("informants", "codebook", "quotes", "evidence")}
    rel = {n: _data._rel(data_dir / f"{n}.csv") for n in frames}
    check_names(frames["informants"], rel["informants"])
    check_quote_codes(frames["quotes"], frames["codebook"], rel["quotes"])
    check_glosses(frames["quotes"], rel["quotes"])
    known: dict[str, str] = {}
    for table, key in REF_TABLES.items():
        frame = frames[table] if table in frames else _data.load(table, data_dir)
        for v in frame[key].tolist():
            known.setdefault(str(v), f"{table}.csv")
    check_refs(frames["evidence"], known, rel["evidence"])
    check_quote_evidence(frames["quotes"], frames["evidence"], rel["quotes"])
    return Corpus(
        informants=frames["informants"],
        codebook=frames["codebook"],
        quotes=frames["quotes"],
        evidence=frames["evidence"],
        types=vocab.terms("evidence_type", data_dir),
        findings=vocab.terms("finding", data_dir),
    )


def _types_in(evidence: pd.DataFrame, types: list[str] | None) -> list[str]:
    types = list(types or [])
    return types + sorted(set(evidence["evidence_type"]) - set(types))


def counts(evidence: pd.DataFrame, codebook: pd.DataFrame, types: list[str] | None = None,
           family: str | None = None) -> pd.DataFrame:
    """Evidence items per code (rows, every code of ``family``, zeros kept) × evidence type (columns).

    Columns follow ``types`` (e.g. the schema's enum, so an unused type shows as zeros); any type
    present in the data but not in ``types`` is appended.
    """
    cb = codebook if family is None else codebook[codebook["family"] == family]
    codes = _ordered_codes(cb)
    cols = _types_in(evidence, types)
    ev = evidence[evidence["code_id"].isin(codes)]
    table = pd.crosstab(ev["code_id"], ev["evidence_type"]) if len(ev) else pd.DataFrame()
    table = table.reindex(index=codes, columns=cols, fill_value=0).fillna(0).astype(int)
    table.index.name = "code_id"
    table.columns.name = "evidence_type"
    return table


def triangulation(evidence: pd.DataFrame, types: list[str] | None = None,
                  findings: list[str] | None = None) -> pd.DataFrame:
    """Finding (rows) × evidence type (columns): number of evidence items, plus two summary columns.

    ``n_jenis`` is the number of distinct evidence types behind a finding (its triangulation
    breadth) and ``total`` the number of items. Findings in ``findings`` with no items are kept.
    """
    cols = _types_in(evidence, types)
    rows = list(findings or []) + sorted(set(evidence["finding"]) - set(findings or []))
    table = pd.crosstab(evidence["finding"], evidence["evidence_type"]) if len(evidence) else pd.DataFrame()
    table = table.reindex(index=rows, columns=cols, fill_value=0).fillna(0).astype(int)
    table["n_jenis"] = (table[cols] > 0).sum(axis=1)
    table["total"] = table[cols].sum(axis=1)
    table.index.name = "finding"
    table.columns.name = None
    return table


def finding_short(f: str) -> str:
    """``"D.2 Makna"``: a short column header for a finding; an unknown finding raises
    :class:`~netralitas.vocab.LabelError` naming the row to add."""
    return vocab.label("finding", f, short=True)


def triangulation_display(tri: pd.DataFrame, support: pd.DataFrame | None = None) -> pd.DataFrame:
    """:func:`triangulation` turned for a narrow page: evidence types as rows, findings as columns.

    One row per evidence type (Indonesian label), one column per finding (``"D.1 Struktur"``), and
    two summary rows at the bottom: the number of evidence types behind each finding and the
    number of items. With ``support`` (:func:`support_by_finding`), rows follow for the items of
    each independence (``support`` vocabulary) and the number of evidence types among the
    independent items. Few, short columns, so the table fits the page at 1280 px.
    """
    types = [c for c in tri.columns if c not in ("n_jenis", "total")]
    body = tri[types].T
    body.loc["n_jenis"] = tri["n_jenis"]
    body.loc["total"] = tri["total"]
    labels = [type_label(t) for t in types] + ["Jumlah jenis bukti", "Jumlah butir"]
    if support is not None:
        sup = support.reindex(tri.index).fillna(0)
        for k in SUPPORT_ORDER:
            body.loc[f"support:{k}"] = sup[k]
            labels.append("Butir " + vocab.label("support", k, short=True))
        body.loc["n_independent_types"] = sup["n_independent_types"]
        labels.append("Jenis bukti independen")
        if "n_events" in sup.columns:
            body.loc["n_events"] = sup["n_events"]
            labels.append("Peristiwa independen yang menopang klaim")
    out = body.astype(int).rename(columns={f: finding_short(f) for f in tri.index})
    out.insert(0, "Jenis bukti", labels)
    out.columns.name = None
    return out.reset_index(drop=True)


def type_summary(evidence: pd.DataFrame, types: list[str] | None = None) -> pd.DataFrame:
    """Per evidence type: items, codes and findings it supports (types with no items kept)."""
    rows = []
    for t in _types_in(evidence, types):
        ev = evidence[evidence["evidence_type"] == t]
        rows.append({"Jenis bukti": type_label(t), "type": t, "Butir": len(ev),
                     "Kode": ev["code_id"].nunique(), "Temuan": ev["finding"].nunique()})
    return pd.DataFrame(rows)


def codebook_table(codebook: pd.DataFrame, evidence: pd.DataFrame | None = None,
                   family: str | None = None) -> pd.DataFrame:
    """The codebook (in code order) with, if ``evidence`` is given, the number of items per code.

    Compact for a narrow page: the label cell holds the Indonesian label, the English label in
    italics and the paper section; the family column appears only when all families are shown.
    """
    cb = codebook if family is None else codebook[codebook["family"] == family]
    cb = cb.set_index("code_id").loc[_ordered_codes(cb)].reset_index()
    out = pd.DataFrame({
        "Kode": cb["code_id"],
        "Keluarga": [vocab.label("code_family", f) for f in cb["family"]],
        "Label": [f"{i} (*{e}*; bagian {sec})"
                  for i, e, sec in zip(cb["label_id"], cb["label_en"], cb["paper_section"])],
        "Definisi": cb["definition"],
    })
    if family is not None:
        out = out.drop(columns="Keluarga")
    if evidence is not None:
        n = evidence["code_id"].value_counts()
        out["Bukti"] = [int(n.get(c, 0)) for c in cb["code_id"]]
    out["Sumber"] = cb["source"].tolist()
    return out


def informant_table(informants: pd.DataFrame) -> pd.DataFrame:
    """Coded informants by institution; a personal name only for public office-holders."""
    inf = informants.sort_values(["institution", "informant_id"], key=lambda s: s.map(str))
    roles = []
    for inst, role, name, public in zip(inf["institution"], inf["role"], inf["name"], inf["public_figure"]):
        who = f"{role}: {name}" if (_true(public) and not _blank(name)) else role
        roles.append(f"{inst}; {who}")
    return pd.DataFrame({
        "Kode": inf["informant_id"],
        "Lembaga; peran": roles,
        "Cara": [vocab.label("informant_kind", k) for k in inf["kind"]],
        "Catatan": [f"{n} (Bagian {sec}.)" if not _blank(n) else f"Bagian {sec}."
                    for n, sec in zip(inf["note"], inf["paper_section"])],
        "Sumber": inf["source"],
    }).reset_index(drop=True)


GLOSS_COLUMN = "Glos bahasa Indonesia baku"


def quotes_table(quotes: pd.DataFrame, informants: pd.DataFrame, codebook: pd.DataFrame,
                 family: str | None = None, gloss: str | bool = "auto") -> pd.DataFrame:
    """Quotations carrying at least one code of ``family`` (all if None), in quote order.

    The gloss column (standard Indonesian for Bangka-Malay quotations) is kept when ``gloss`` is
    True, dropped when False, and with ``"auto"`` kept only if a selected quotation has a gloss.
    """
    fam_codes = set(codebook["code_id"] if family is None
                    else codebook.loc[codebook["family"] == family, "code_id"])
    known = set(informants["informant_id"])
    order = _ordered_codes(codebook)
    rows = []
    for _, q in quotes.sort_values("quote_id", key=lambda s: s.map(code_sort_key)).iterrows():
        codes = split_codes(q["codes"])
        if not fam_codes.intersection(codes):
            continue
        if q["informant_id"] not in known:
            raise DataError(f"quotes.csv, quotation '{q['quote_id']}', column 'informant_id': "
                            f"unknown informant '{q['informant_id']}'")
        rows.append({
            "Kutipan": f"{q['quote_id']} ({q['informant_id']})",
            "Asli": q["original"],
            GLOSS_COLUMN: q["gloss_id"] if not _blank(q["gloss_id"]) else "–",
            "English": q["english"],
            "Kode": "; ".join(sorted(codes, key=order.index)),
            "Sumber": q["source"],
        })
    cols = ["Kutipan", "Asli", GLOSS_COLUMN, "English", "Kode", "Sumber"]
    out = pd.DataFrame(rows, columns=cols)
    if gloss == "auto":
        gloss = bool((out[GLOSS_COLUMN] != "–").any())
    return out if gloss else out.drop(columns=GLOSS_COLUMN)


QUOTE_WIDTHS = {"Kutipan": 10, "Asli": 22, GLOSS_COLUMN: 20, "English": 22, "Kode": 8, "Sumber": 18}


def quotes_widths(table: pd.DataFrame) -> list[int]:
    """Relative column widths for :func:`quotes_table` output (with or without the gloss column)."""
    return [QUOTE_WIDTHS.get(c, 12) for c in table.columns]


def quotes_note(table: pd.DataFrame) -> str:
    """A note for the title of a quotes table when the gloss column was left out because no
    quotation needs one (empty otherwise)."""
    if GLOSS_COLUMN in table.columns:
        return ""
    return ("(semuanya berbahasa Indonesia, bukan Melayu Bangka, sehingga kolom glos bahasa "
            "Indonesia baku tidak diperlukan)")


def evidence_items(evidence: pd.DataFrame, codebook: pd.DataFrame, family: str | None = None,
                   types: list[str] | None = None, recs: Records | None = None) -> pd.DataFrame:
    """Evidence items of ``family``'s codes, ordered by code, evidence type and id.

    The ``Bukti`` cell reads ``E26 · wawancara · Q01 · D.3``: id, type, referenced item (if any)
    and the finding it supports; with ``recs`` (:class:`Records`) it ends with the item's
    independence by :func:`support_of` (``… · D.3 · internal makalah``).
    """
    cb = codebook if family is None else codebook[codebook["family"] == family]
    codes = _ordered_codes(cb)
    cols = _types_in(evidence, types)
    ev = evidence[evidence["code_id"].isin(codes)]
    keys = [(codes.index(c), cols.index(t), code_sort_key(i))
            for c, t, i in zip(ev["code_id"], ev["evidence_type"], ev["evidence_id"])]
    ev = ev.iloc[sorted(range(len(ev)), key=keys.__getitem__)]
    cells = []
    sup = support(ev, recs) if recs is not None else None
    for n, (i, t, ref, f) in enumerate(zip(ev["evidence_id"], ev["evidence_type"], ev["ref"],
                                           ev["finding"])):
        parts = [str(i), type_label(t)] + ([] if _blank(ref) else [str(ref)])
        parts.append(finding_label(f).split(" ")[0])
        if sup is not None:
            parts.append(vocab.label("support", sup.iloc[n], short=True))
        cells.append(" · ".join(parts))
    return pd.DataFrame({
        "Kode": ev["code_id"].tolist(),
        "Bukti": cells,
        "Ringkasan": ev["summary"].tolist(),
        "Dikode oleh": ["makalah" if c == "paper" else "buku ini" for c in ev["coding"]],
        "Sumber": ev["source"].tolist(),
    })


def merit_table(pillars: pd.DataFrame) -> pd.DataFrame:
    """The pillars of merit (chapter B) with the works the paper cites for each."""
    p = pillars.sort_values("pillar_id", key=lambda s: s.map(code_sort_key))
    return pd.DataFrame({
        "Pilar": [f"{i} (*{e}*)" for i, e in zip(p["label_id"], p["label_en"])],
        "Makna": p["description"],
        "Penerapan pada ASN": p["asn_application"],
        "Catatan rujukan": p["note"].fillna("–"),
        "Sumber": p["source"],
    }).reset_index(drop=True)


def family_summary(corpus: Corpus, family: str, recs: Records | None = None) -> dict:
    """What chapters D.2 (meanings) and D.4 (factors) say about one code family, computed once:
    the counts table (:func:`counts`), its items, the codes with the most evidence (``top``) and
    with the fewest kinds of evidence (``narrow``), and the numbers their prose states.

    Keys: ``table``, ``items``, ``per_code``, ``breadth``, ``top``, ``narrow`` (frames and code
    lists) and the counts ``n_codes``, ``n_items``, ``top_n``, ``narrow_n``, ``n_types``,
    ``n_types_used``, ``n_empty_types``, ``n_with_interview``, ``n_statement``, ``n_by_book``,
    ``n_quotes_interview``, ``n_quotes_statement``; and, by :func:`support_of` (``recs``, the
    book's :func:`records` if not given), ``support`` (per item), ``n_independent``,
    ``n_partial``, ``n_paper`` (items); by :func:`corroborates`, ``n_corroborating`` (items that
    are independent AND show the code's claim itself), ``codes_independent`` /
    ``n_codes_independent`` (codes with at least one such item) and ``codes_uncorroborated``
    (codes with none); and ``codes_paper_only`` (codes whose items are all paper-internal)."""
    codebook, evidence = corpus.codebook, corpus.evidence
    table = counts(evidence, codebook, corpus.types, family=family)
    items = evidence[evidence["code_id"].isin(table.index)]
    per_code = table.sum(axis=1)
    breadth = (table > 0).sum(axis=1)
    kinds = corpus.informants.set_index("informant_id")["kind"]
    fam_codes = set(codebook.loc[codebook["family"] == family, "code_id"])
    in_family = corpus.quotes["codes"].map(lambda v: bool(fam_codes & set(split_codes(v))))
    quote_kinds = corpus.quotes.loc[in_family, "informant_id"].map(kinds)
    recs = recs if recs is not None else records()
    sup = support(items, recs)
    cor = corroborates(items, recs)
    ind_codes = [c for c in table.index if cor[items["code_id"] == c].any()]
    paper_codes = [c for c in table.index if (sup[items["code_id"] == c] == "paper").all()]
    return {
        "support": sup, "n_independent": int((sup == "independent").sum()),
        "n_partial": int((sup == "partial").sum()), "n_paper": int((sup == "paper").sum()),
        "n_unconfirmed": int((sup == "unconfirmed").sum()),
        "codes_independent": ind_codes, "n_codes_independent": len(ind_codes),
        "codes_uncorroborated": [c for c in table.index if c not in ind_codes],
        "n_corroborating": int(cor.sum()),
        "codes_paper_only": paper_codes,
        "table": table, "items": items, "per_code": per_code, "breadth": breadth,
        "top": extreme_codes(per_code), "narrow": extreme_codes(breadth, largest=False),
        "n_codes": len(table), "n_items": len(items),
        "top_n": int(per_code.max()) if len(per_code) else 0,
        "narrow_n": int(breadth.min()) if len(breadth) else 0,
        "n_types": table.shape[1], "n_types_used": int((table.sum(axis=0) > 0).sum()),
        "n_empty_types": int((table.sum(axis=0) == 0).sum()),
        "n_with_interview": int((table["interview"] > 0).sum()) if "interview" in table else 0,
        "n_statement": int(table["statement"].sum()) if "statement" in table else 0,
        "n_by_book": int((items["coding"] == "book").sum()),
        "n_quotes_interview": int((quote_kinds == "interview").sum()),
        "n_quotes_statement": int((quote_kinds == "public_statement").sum()),
    }


# ------------------------------------------------------------------ independence of evidence

#: The terms of the ``support`` vocabulary, strongest first.
SUPPORT_ORDER = ("independent", "partial", "unconfirmed", "paper")


@dataclass(frozen=True)
class Records:
    """What :func:`support_of` needs to know about the evidence keys: the ids of quotations,
    informants and regulations, each case's ``public_record`` and ``public_confirms``, and
    whether each transfer wave was ``found_in_public``."""

    quotes: frozenset = frozenset()
    informants: frozenset = frozenset()
    regulations: frozenset = frozenset()
    cases: dict = None
    confirms: dict = None
    waves: dict = None
    paper_keys: frozenset = PAPER_KEYS
    unconfirmed_keys: frozenset = frozenset()

    @classmethod
    def of(cls, quotes=None, informants=None, violations=None, mutations=None, regulations=None,
           paper_keys=PAPER_KEYS, unconfirmed_keys=frozenset()) -> Records:
        """Records from the frames (any may be None)."""
        def ids(f, c):
            return frozenset() if f is None else frozenset(f[c].dropna().astype(str))

        cases, confirms, waves = {}, {}, {}
        if violations is not None:
            has = "public_confirms" in violations.columns
            for i, r in enumerate(violations.itertuples(index=False)):
                cases[str(r.case_id)] = str(r.public_record)
                text = r.public_confirms if has else None
                if r.public_record in ("confirmed", "partly_confirmed") and _blank(text):
                    raise DataError(f"{_loc('data/violations.csv', i, 'public_confirms')}: case "
                                    f"'{r.case_id}' is {r.public_record} but does not say what "
                                    "the public record confirms")
                confirms[str(r.case_id)] = "" if _blank(text) else str(text)
        if mutations is not None:
            waves = {str(w): _true(f) for w, f in zip(mutations["wave_id"], mutations["found_in_public"])}
        return cls(quotes=ids(quotes, "quote_id"), informants=ids(informants, "informant_id"),
                   regulations=ids(regulations, "reg_id"), cases=cases, confirms=confirms,
                   waves=waves, paper_keys=frozenset(paper_keys),
                   unconfirmed_keys=frozenset(unconfirmed_keys))


def records(data_dir: Path | None = None) -> Records:
    """:class:`Records` of the book's data (validated files)."""
    frames = {n: _data.load(n, data_dir) for n in
              ("quotes", "informants", "violations", "mutations", "regulations")}
    return Records.of(**frames, unconfirmed_keys=_bib_unconfirmed())


def support_of(key=None, recs: Records | None = None, evidence_type: str | None = None,
               source=None) -> str:
    """THE rule for whether a piece of evidence is independent of the paper: ``independent`` (a
    public record the paper did not produce), ``partial`` (a public record confirms part of it)
    or ``paper`` (paper-internal: the paper's own interviews, observations, tables and
    statements). Terms of the ``support`` vocabulary. Applied in this order:

    1. a section of the paper (``sec:D.3``) is paper-internal;
    2. a case (``violations.csv``) is independent when its ``public_record`` is ``confirmed``,
       partial when ``partly_confirmed`` (``public_confirms`` says what is confirmed), and
       paper-internal when ``not_found``;
    3. a transfer wave (``mutations.csv``) is independent only when ``found_in_public``;
    4. a news item is independent only when its ``source`` does not include the paper and
       names a source confirmed in the book's fact list; one whose sources are all outside that
       list (``factbase = {no}`` in references.bib) is ``unconfirmed``;
    5. a quotation (``quotes.csv``) is paper-internal: it is the paper's report, and a public
       trace of it is a separate news item;
    6. a regulation (``regulations.csv``) is independent: the state, not the paper, published it;
    7. an interview or an observation is paper-internal (the paper's fieldwork);
    8. anything else (a public statement, a document or a case with no key of its own) is
       independent only when it names a source, none of its sources is the paper and one is
       confirmed in the fact list (``unconfirmed`` when none is).

    ``key`` is an evidence key (an ``evidence.ref`` or a key of ``patronage_edges.evidence``);
    ``evidence_type`` and ``source`` (``;``-list of bib keys) describe an evidence item."""
    recs = recs or Records()
    key = None if _blank(key) else str(key)
    sources = split_list(source) if not _blank(source) else []
    if not sources or set(sources) & set(recs.paper_keys):
        by_source = "paper"
    elif set(sources) <= set(recs.unconfirmed_keys):
        by_source = "unconfirmed"
    else:
        by_source = "independent"
    if key is not None and key.startswith("sec:"):
        return "paper"
    if key is not None and key in (recs.cases or {}):
        return {"confirmed": "independent", "partly_confirmed": "partial"}.get(recs.cases[key], "paper")
    if key is not None and key in (recs.waves or {}):
        return "independent" if recs.waves[key] else "paper"
    if evidence_type == "news":
        return by_source
    if key is not None and key in recs.quotes:
        return "paper"
    if key is not None and key in recs.regulations:
        return "independent"
    if evidence_type in ("interview", "observation"):
        return "paper"
    if evidence_type is None and key is not None:
        if key in recs.informants:
            return "paper"
        raise DataError(f"support_of: unknown evidence key {key!r} (not a section, case, wave, "
                        "quotation, informant or regulation)")
    return by_source


def support(evidence: pd.DataFrame, recs: Records) -> pd.Series:
    """:func:`support_of` for every row of ``evidence.csv`` (index kept)."""
    return pd.Series([support_of(r, recs, t, s) for r, t, s in
                      zip(evidence["ref"], evidence["evidence_type"], evidence["source"])],
                     index=evidence.index, name="support", dtype="object")


def strongest_support(values) -> str:
    """The strongest of several supports (``independent`` > ``partial`` > ``unconfirmed`` >
    ``paper``); ``paper`` for none."""
    ranks = [SUPPORT_ORDER.index(v) for v in values]
    return SUPPORT_ORDER[min(ranks)] if ranks else "paper"


def support_by_finding(evidence: pd.DataFrame, recs: Records,
                       findings: list[str] | None = None) -> pd.DataFrame:
    """Finding (rows, every finding of ``findings`` kept) × support (columns in
    :data:`SUPPORT_ORDER`): number of evidence items; plus ``n_independent_types`` = kinds of
    evidence among the independent items (triangulation by independent records only)."""
    sup = support(evidence, recs)
    rows = list(findings or []) + sorted(set(evidence["finding"]) - set(findings or []))
    table = (pd.crosstab(evidence["finding"], sup) if len(evidence) else pd.DataFrame())
    table = table.reindex(index=rows, columns=list(SUPPORT_ORDER), fill_value=0).fillna(0).astype(int)
    ind = evidence[sup == "independent"]
    table["n_independent_types"] = [int(ind.loc[ind["finding"] == f, "evidence_type"].nunique())
                                    for f in rows]
    table.index.name = "finding"
    table.columns.name = None
    return table


#: The ``bears_on`` term of an item that shows its code's claim itself.
BEARS_ON_CLAIM = "claim"


def corroborates(evidence: pd.DataFrame, recs: Records) -> pd.Series:
    """Whether each item corroborates its code's claim from outside the paper: it is
    ``independent`` by :func:`support_of` AND its ``bears_on`` is ``claim``. A statute, a news
    item showing only that an event or a message exists, an item that speaks against the claim
    and an interview or observation whose content is not reported never corroborate, whatever
    their independence. Without a ``bears_on`` column nothing corroborates."""
    sup = support(evidence, recs)
    if "bears_on" not in evidence.columns:
        return pd.Series(False, index=evidence.index, name="corroborates")
    return ((sup == "independent") & (evidence["bears_on"] == BEARS_ON_CLAIM)).rename("corroborates")


def _event_key(ref, evidence_id) -> str:
    return str(evidence_id) if _blank(ref) else str(ref)


def corroboration_by_finding(evidence: pd.DataFrame, recs: Records,
                             findings: list[str] | None = None) -> pd.DataFrame:
    """Triangulation by independent source: per finding (rows, every finding of ``findings``
    kept), ``n_events`` = distinct events or records (an item's ``ref``, else its own id) among
    the items that :func:`corroborates`, so one case reported in three items counts once, and
    ``events`` = their keys (``;``-joined, natural order). Evidence types play no part."""
    cor = corroborates(evidence, recs)
    rows = list(findings or []) + sorted(set(evidence["finding"]) - set(findings or []))
    ev = evidence[cor]
    keys = {f: sorted({_event_key(r, i) for r, i, g in zip(ev["ref"], ev["evidence_id"], ev["finding"])
                       if g == f}, key=code_sort_key) for f in rows}
    out = pd.DataFrame({"n_events": [len(keys[f]) for f in rows],
                        "events": [";".join(keys[f]) for f in rows]}, index=rows)
    out.index.name = "finding"
    return out


#: Order in which :func:`case_record_phrase` lists the public records of cases.
CASE_RECORD_ORDER = ("confirmed", "partly_confirmed", "disputed", "not_found")


def case_record_phrase(cases: pd.DataFrame, lang: str = "id") -> str:
    """The paper's cases grouped by their public record, for a conclusion that must not
    generalise beyond them: ``"2 terkonfirmasi (Camat; Plt. Kepala Dinas Perhubungan); 1 dibantah
    catatan publik (Lurah); 1 tidak ditemukan di sumber publik (Pejabat Eselon II)"``. Counts,
    labels (``public_record`` vocabulary) and positions all come from ``cases``."""
    order = list(CASE_RECORD_ORDER) + sorted(set(cases["public_record"]) - set(CASE_RECORD_ORDER))
    parts = []
    for k in order:
        g = cases[cases["public_record"] == k]
        if g.empty:
            continue
        who = "; ".join(str(p) for p in g["position"])
        parts.append(f"{len(g)} {vocab.label('public_record', k, lang=lang)} ({who})")
    return "; ".join(parts) or "–"
