"""Audits of the paper, computed from data: claims, citations, legal currency, COREQ, manifest.

Nothing here stores a verdict. Each function takes validated DataFrames (``nt.data.load``) and
returns a DataFrame whose verdict columns are computed, so adding a row to ``data/claims.csv``,
``data/paper_citations.csv``, ``data/paper_reference_list.csv`` or ``references.bib`` changes the
result on the next ``make book`` without any code change.

Claims (:func:`check_claims`)
    Each claim has a ``check_method``:

    * ``recompute`` — ``check_ref`` is an arithmetic expression over other claims' stated values
      (claim ids such as ``C15``) and/or data rows (see below), with ``+ - * /``, parentheses,
      numbers and ``count(...)`` (how many of its arguments have a value). Verdict ``consistent``
      or ``discrepant`` (with the computed value and the gap).
    * ``public_source`` — ``check_ref`` names the public figure: one data-row reference or an
      expression over data-row references; ``;`` separates alternatives. Verdict ``consistent``,
      ``contradicted`` (public value and gap) or ``not_found`` (every referenced row rests on the
      paper alone, or is flagged as absent from public sources).
    * ``not_checkable`` — verdict ``not_checkable``.

    A data-row reference is ``table:row_id`` or ``table:row_id.column`` (row ids without dots;
    put spaces around ``-`` between two references). The row id is matched against the table's
    first column; the default column per table is in :data:`DEFAULT_COLUMNS`.

    Values are compared by ``unit``: ``date`` (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, compared at
    the stated precision), ``year``, ``status`` (text, compared case-insensitively) or any other
    unit (numbers; ``stated_value`` may be a fraction such as ``1/100``). The ``qualifier`` sets
    the rule: ``exact`` (equal), ``about`` (within :data:`ABOUT_TOLERANCE`, relative; for dates
    within one unit of the stated precision), ``more_than`` (greater), ``at_least`` (not less).
"""

from __future__ import annotations

import ast
import difflib
import json
import operator
import re
import unicodedata
from pathlib import Path

import pandas as pd

from . import bib
from .data import DataError

PAPER_KEYS = frozenset({"ansyari2026netralitas"})
ABOUT_TOLERANCE = 0.10
DEFAULT_COLUMNS = {
    "indicators": "value",
    "baselines": "value",
    "mutations": "count",
    "elections": "date",
    "violations": "year",
    "regulations": "in_force_at_events",
    "leadership": "role",
}
VERDICTS = ["consistent", "discrepant", "contradicted", "not_found", "not_checkable"]
VERDICT_LABELS = {
    "consistent": "konsisten",
    "discrepant": "tidak konsisten (hitung ulang)",
    "contradicted": "dibantah sumber publik",
    "not_found": "tidak ditemukan di sumber publik",
    "not_checkable": "tidak dapat diperiksa",
}
VERDICT_SHORT = {
    "consistent": "konsisten",
    "discrepant": "tidak konsisten",
    "contradicted": "dibantah",
    "not_found": "tidak ditemukan",
    "not_checkable": "tak dapat diperiksa",
}
CLAIMS_FILE = "data/claims.csv"

_REF = re.compile(r"\b([a-z_]+):([A-Za-z0-9_-]*[A-Za-z0-9_])(?:\.([a-z_]+))?")
_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
        ast.Div: operator.truediv}


# ------------------------------------------------------------------ safe expressions
class _Missing(Exception):
    """An operand has no value (empty cell)."""


def parse_expression(text: str):
    """Parse ``text`` into ``(tree, refs)``: an AST of the allowed grammar and the data refs.

    Data-row references are replaced by placeholder names ``__ref0``, ``__ref1`` … before
    parsing. Raises ``ValueError`` for anything outside the grammar.
    """
    refs: list[tuple[str, str, str | None]] = []

    def _sub(m):
        refs.append((m.group(1), m.group(2), m.group(3)))
        return f"__ref{len(refs) - 1}"

    source = _REF.sub(_sub, text.strip())
    if not source:
        raise ValueError("empty expression")
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError:
        raise ValueError(f"cannot parse {text!r}") from None
    for node in ast.walk(tree):
        if isinstance(node, (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Name, ast.Load,
                             ast.USub, ast.UAdd, *_OPS)):
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
                and not isinstance(node.value, bool):
            continue
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id == "count" and not node.keywords:
            continue
        raise ValueError(f"{text!r}: {type(node).__name__} is not allowed "
                         "(only numbers, claim ids, data refs, + - * /, count())")
    return tree, refs


def evaluate(tree, lookup):
    """Evaluate a tree from :func:`parse_expression`; ``lookup(name)`` gives operand values."""

    def ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant):
            return float(node.value)
        if isinstance(node, ast.Name):
            value = lookup(node.id)
            if value is None:
                raise _Missing(node.id)
            return float(value)
        if isinstance(node, ast.UnaryOp):
            v = ev(node.operand)
            return -v if isinstance(node.op, ast.USub) else v
        if isinstance(node, ast.BinOp):
            left, right = ev(node.left), ev(node.right)
            if isinstance(node.op, ast.Div) and right == 0:
                raise ValueError("division by zero")
            return _OPS[type(node.op)](left, right)
        if isinstance(node, ast.Call):  # count(): operands that have a value
            n = 0
            for arg in node.args:
                try:
                    ev(arg)
                    n += 1
                except _Missing:
                    pass
            return float(n)
        raise ValueError(f"unexpected node {type(node).__name__}")  # pragma: no cover

    return ev(tree)


def parse_number(text) -> float:
    """A stated value: a number or a fraction/expression of numbers such as ``1/100``."""
    tree, refs = parse_expression(str(text).replace(",", ""))
    if refs or any(isinstance(n, (ast.Name, ast.Call)) for n in ast.walk(tree)):
        raise ValueError(f"{text!r} is not a number")
    return evaluate(tree, lambda name: None)


# ------------------------------------------------------------------ value comparison
def _precision(text: str) -> str:
    text = str(text).strip()
    if re.fullmatch(r"\d{4}", text):
        return "year"
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return "month"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return "day"
    raise ValueError(f"{text!r} is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)")


def _as_date_text(value) -> str:
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{int(value):04d}"
    return str(value).strip()


def _date_units(text: str, precision: str) -> int:
    """A date as a count of units (years, months or days) at ``precision``."""
    parts = [int(p) for p in text.split("-")]
    if precision == "year":
        return parts[0]
    if len(parts) < 2:
        raise ValueError(f"{text!r} has no month")
    if precision == "month":
        return parts[0] * 12 + parts[1] - 1
    if len(parts) < 3:
        raise ValueError(f"{text!r} has no day")
    return int(pd.Timestamp(text).toordinal())


_UNIT_WORD = {"year": "tahun", "month": "bulan", "day": "hari"}


def compare(stated, found, unit: str, qualifier: str, tolerance: float = ABOUT_TOLERANCE):
    """Compare a stated value with a found (computed or public) value.

    Returns ``(ok, stated_text, found_text, gap, gap_text)``; ``gap`` is found − stated for
    numbers and dates (in units of the stated precision), ``None`` for text.
    """
    if unit in ("date", "year"):
        s_text = str(stated).strip()
        precision = "year" if unit == "year" else _precision(s_text)
        f_text = _as_date_text(found)
        s_units = _date_units(s_text, precision)
        f_units = _date_units(f_text, precision)
        gap = f_units - s_units
        if qualifier == "exact":
            ok = gap == 0
        elif qualifier == "about":
            ok = abs(gap) <= 1
        elif qualifier == "more_than":
            ok = gap > 0
        elif qualifier == "at_least":
            ok = gap >= 0
        else:
            raise ValueError(f"unknown qualifier {qualifier!r}")
        shown = f_text[: {"year": 4, "month": 7, "day": 10}[precision]]
        return ok, s_text, shown, gap, f"{gap:+d} {_UNIT_WORD[precision]}"
    if unit == "status":
        s_text, f_text = str(stated).strip(), str(found).strip()
        return s_text.casefold() == f_text.casefold(), s_text, f_text, None, ""
    s = parse_number(stated)
    f = float(found)
    gap = f - s
    if qualifier == "exact":
        ok = abs(gap) <= 1e-9 * max(1.0, abs(s))
    elif qualifier == "about":
        ok = abs(gap) <= tolerance * abs(s)
    elif qualifier == "more_than":
        ok = f > s
    elif qualifier == "at_least":
        ok = f >= s
    else:
        raise ValueError(f"unknown qualifier {qualifier!r}")
    rel = f" ({gap / s:+.0%})" if s else ""
    raw = str(int(f)) if f.is_integer() else f"{f:.4g}"
    return ok, str(stated).strip(), raw, gap, f"{_fmt(gap, signed=True)}{rel}"


def _fmt(x: float, signed: bool = False) -> str:
    if float(x).is_integer():
        text = f"{int(x):+,d}" if signed else f"{int(x):,d}"
    else:
        text = f"{x:+,.4g}" if signed else f"{x:,.4g}"
    return text


# ------------------------------------------------------------------ data-row references
def _is_public(row: pd.Series, paper_keys) -> bool:
    if "found_in_public" in row.index and not pd.isna(row["found_in_public"]):
        return bool(row["found_in_public"])
    if "public_record" in row.index and not pd.isna(row["public_record"]):
        return str(row["public_record"]) != "not_found"
    return any(k not in paper_keys for k in bib.split_keys(row.get("source", "")))


def _resolve_ref(ref, tables, where: str, paper_keys):
    """Return ``(value, public)`` for a data-row reference ``(table, row_id, column)``."""
    table, row_id, column = ref
    name = f"{table}:{row_id}" + (f".{column}" if column else "")
    if table not in tables:
        raise DataError(f"{where}: unknown table '{table}' in reference '{name}' "
                        f"(known: {', '.join(sorted(tables))})")
    frame = tables[table]
    id_col = frame.columns[0]
    hits = frame[frame[id_col].astype(str) == row_id]
    if hits.empty:
        raise DataError(f"{where}: no row '{row_id}' in data/{table}.csv (column '{id_col}')")
    column = column or DEFAULT_COLUMNS.get(table)
    if column is None:
        raise DataError(f"{where}: reference '{name}' needs a column (table:row.column)")
    if column not in frame.columns:
        raise DataError(f"{where}: no column '{column}' in data/{table}.csv")
    row = hits.iloc[0]
    value = row[column]
    value = None if pd.isna(value) else value
    if hasattr(value, "item") and not isinstance(value, pd.Timestamp):
        value = value.item()
    return value, _is_public(row, paper_keys)


def _claim_lookup(claims: pd.DataFrame, where: str):
    stated = dict(zip(claims["claim_id"].astype(str), claims["stated_value"]))
    units = dict(zip(claims["claim_id"].astype(str), claims["unit"]))

    def lookup(name):
        if name not in stated:
            raise DataError(f"{where}: unknown claim id '{name}'")
        if units[name] in ("date", "status"):
            raise DataError(f"{where}: claim '{name}' has unit '{units[name]}', not a number")
        v = stated[name]
        return None if pd.isna(v) else parse_number(v)

    return lookup


def _value_of(expr: str, claims, tables, where, paper_keys, allow_claims: bool):
    """Evaluate one expression; return ``(value, public)``. Single refs may be non-numeric."""
    try:
        tree, refs = parse_expression(expr)
    except ValueError as exc:
        raise DataError(f"{where}: {exc}") from None
    resolved = [_resolve_ref(r, tables, where, paper_keys) for r in refs]
    public = all(p for _, p in resolved)
    body = tree.body
    if isinstance(body, ast.Name) and body.id.startswith("__ref"):
        return resolved[int(body.id[5:])][0], public
    claim_lookup = _claim_lookup(claims, where)

    def lookup(name):
        if name.startswith("__ref"):
            v = resolved[int(name[5:])][0]
            if v is None:
                return None
            if not isinstance(v, (int, float)):
                raise DataError(f"{where}: '{v}' is not a number and cannot enter arithmetic")
            return v
        if not allow_claims:
            raise DataError(f"{where}: a public_source check may use data refs only, not '{name}'")
        return claim_lookup(name)

    try:
        return evaluate(tree, lookup), public
    except _Missing as exc:
        if not public:
            return None, public
        raise DataError(f"{where}: operand '{exc}' has no value") from None
    except ValueError as exc:
        raise DataError(f"{where}: {exc}") from None


def check_claims(claims: pd.DataFrame, data: dict, *, tolerance: float = ABOUT_TOLERANCE,
                 paper_keys=PAPER_KEYS, where: str = CLAIMS_FILE) -> pd.DataFrame:
    """Compute a verdict for every claim (see the module docstring for the rules).

    ``data`` maps table names to validated DataFrames (the public figures). Returns the claims
    in input order with ``stated``, ``found`` (computed or public value), ``gap`` (numeric, or
    ``NaN``), ``gap_text``, ``verdict`` (one of :data:`VERDICTS`) and ``verdict_label``.
    A reference to a missing claim, table, row or column raises :class:`DataError` naming the
    file, line and column.
    """
    rows = []
    for i, c in enumerate(claims.to_dict("records")):
        loc = f"{where}, line {i + 2} (claim {c['claim_id']}), column 'check_ref'"
        method, unit, qual = c["check_method"], c["unit"], c["qualifier"]
        ref = "" if pd.isna(c.get("check_ref")) else str(c["check_ref"]).strip()
        out = {"claim_id": c["claim_id"], "section": c["section"], "claim": c["claim"],
               "stated": str(c["stated_value"]), "unit": unit, "qualifier": qual,
               "check_method": method, "check_ref": ref, "found": "", "gap": float("nan"),
               "gap_text": "", "verdict": "not_checkable"}
        if method == "not_checkable":
            rows.append(out)
            continue
        if not ref:
            raise DataError(f"{loc}: empty, but check_method is '{method}'")
        try:
            if method == "recompute":
                value, _ = _value_of(ref, claims, data, loc, paper_keys, allow_claims=True)
                ok, _, found, gap, gap_text = compare(c["stated_value"], value, unit, qual,
                                                      tolerance)
                out.update(found=found, gap=_num(gap), gap_text="" if ok else gap_text,
                           verdict="consistent" if ok else "discrepant")
            elif method == "public_source":
                results = []
                for alt in [a for a in ref.split(";") if a.strip()]:
                    value, public = _value_of(alt, claims, data, loc, paper_keys,
                                              allow_claims=False)
                    if public and value is not None:
                        results.append(compare(c["stated_value"], value, unit, qual, tolerance))
                if not results:
                    out["verdict"] = "not_found"
                else:
                    best = next((r for r in results if r[0]), None)
                    if best is None:  # closest contradicting value
                        best = min(results, key=lambda r: abs(r[3]) if r[3] is not None else 0)
                    ok, _, found, gap, gap_text = best
                    out.update(found=found, gap=_num(gap), gap_text="" if ok else gap_text,
                               verdict="consistent" if ok else "contradicted")
            else:
                raise DataError(f"{where}, line {i + 2} (claim {c['claim_id']}), column "
                                f"'check_method': unknown method '{method}'")
        except ValueError as exc:
            if isinstance(exc, DataError):
                raise
            raise DataError(f"{where}, line {i + 2} (claim {c['claim_id']}): {exc}") from None
        rows.append(out)
    result = pd.DataFrame(rows)
    result["verdict_label"] = result["verdict"].map(VERDICT_LABELS)
    return result


def _num(gap):
    return float("nan") if gap is None else float(gap)


def verdict_counts(checked: pd.DataFrame) -> pd.Series:
    """Number of claims per verdict, every verdict listed (zeros included), in fixed order."""
    return checked["verdict"].value_counts().reindex(VERDICTS, fill_value=0).astype(int)


_STATUS_WORDS = {"yes": "ya", "no": "tidak", "unknown": "tidak diketahui", "elected": "definitif",
                 "acting": "penjabat"}
_QUALIFIER = {"exact": "tepat", "about": "sekitar", "more_than": "lebih dari",
              "at_least": "sedikitnya"}


def _display(value: str, unit: str) -> str:
    """Stated or found value for the table: status words in Indonesian, numbers grouped."""
    text = str(value)
    if unit == "status":
        return _STATUS_WORDS.get(text, text)
    if unit in ("date", "year") or not re.fullmatch(r"-?\d+(\.\d+)?", text):
        return text
    return _fmt(float(text))


_COLUMN_WORDS = {"in_force_at_events": "berlaku saat peristiwa", "ref_period": "periode",
                 "date": "tanggal", "role": "jabatan", "value": "nilai", "count": "jumlah",
                 "year": "tahun", "status_today": "status kini"}


def ref_label(check_ref: str) -> str:
    """``check_ref`` in words for readers: which data file, row and column a claim is checked
    against, or which claims are recomputed.

    ``regulations:uu5_2014.in_force_at_events`` → ``regulations.csv, baris uu5_2014 (berlaku saat
    peristiwa)``; ``indicators:a - indicators:b`` → ``indicators.csv, baris a − baris b``;
    ``C29 + C30`` → ``hitung ulang: C29 + C30``; ``count(C1, C2)`` → ``hitung ulang: banyaknya
    C1, C2``. Alternatives (``;``) are joined with ``atau``. Empty → ``–``.
    """
    ref = "" if ref_is_empty(check_ref) else str(check_ref).strip()
    if not ref:
        return "–"
    parts = []
    for alt in [a.strip() for a in ref.split(";") if a.strip()]:
        refs = _REF.findall(alt)
        tables = list(dict.fromkeys(t for t, _, _ in refs))
        prefix = len(tables) != 1

        def word(m, prefix=prefix):
            table, row, column = m.group(1), m.group(2), m.group(3)
            text = (f"{table}.csv, " if prefix else "") + f"baris {row}"
            if column:
                text += f" ({_COLUMN_WORDS.get(column, column.replace('_', ' '))})"
            return text

        text = _REF.sub(word, alt)
        text = re.sub(r"\s+-\s+", " \u2212 ", text)
        if not refs:
            text = re.sub(r"count\((.*)\)", r"banyaknya \1", text)
            text = "hitung ulang: " + text
        elif len(tables) == 1:
            text = f"{tables[0]}.csv, {text}"
        parts.append(text)
    return " atau ".join(parts)


def ref_is_empty(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value)) or not str(value).strip()


def claims_table(checked: pd.DataFrame) -> pd.DataFrame:
    """The claims audit as shown in the book: six columns, Indonesian headers and values."""
    stated, found = [], []
    for r in checked.itertuples():
        text = _display(r.stated, r.unit)
        if r.unit not in ("date", "year", "status"):
            text = f"{text} {r.unit}"
        if r.qualifier != "exact":
            text = f"{_QUALIFIER.get(r.qualifier, r.qualifier)} {text}"
        stated.append(text)
        result = _display(r.found, r.unit) if r.found != "" else "–"
        found.append(f"{result}; selisih {r.gap_text}" if r.gap_text else result)
    return pd.DataFrame({
        "ID": [f"{i} ({s})" for i, s in zip(checked["claim_id"], checked["section"])],
        "Klaim": checked["claim"].tolist(),
        "Dinyatakan": stated,
        "Dasar periksa": [ref_label(r) for r in checked["check_ref"]],
        "Hasil periksa": found,
        "Putusan": checked["verdict"].map(VERDICT_SHORT).tolist(),
    })


# ------------------------------------------------------------------ legal currency
_CITED = {"explicit": "eksplisit", "implicit": "implisit (lewat perubahan)", "no": "tidak"}
_IN_FORCE = {"yes": "ya", "no": "tidak", "unknown": "tidak diketahui"}
_STATUS = {"in_force": "berlaku", "amended": "berlaku dengan perubahan", "repealed": "dicabut",
           "unknown": "tidak diketahui"}


def legal_currency(regulations: pd.DataFrame, include_uncited: bool = False) -> pd.DataFrame:
    """For each instrument the paper invokes: in force at the events, status today, successor.

    The successor chain (``superseded_by``) is followed to its end; a cycle raises ValueError.
    ``relied_on_repealed`` is True where the paper invokes an instrument that was no longer in
    force when the events happened.
    """
    regs = regulations.set_index("reg_id", drop=False)
    rows = []
    for _, r in regs.iterrows():
        if not include_uncited and r["cited_in_paper"] == "no":
            continue
        chain, seen, nxt = [], {r["reg_id"]}, r["superseded_by"]
        while isinstance(nxt, str) and nxt:
            if nxt in seen:
                raise ValueError(f"regulations: superseded_by cycle at '{nxt}'")
            if nxt not in regs.index:
                raise ValueError(f"regulations: superseded_by '{nxt}' is not a reg_id")
            seen.add(nxt)
            chain.append(nxt)
            nxt = regs.loc[nxt, "superseded_by"]
        name = r["instrument"] + (f", {r['article']}" if isinstance(r["article"], str) else "")
        rows.append({
            "reg_id": r["reg_id"], "instrument": name, "cited_in_paper": r["cited_in_paper"],
            "in_force_at_events": r["in_force_at_events"], "status_today": r["status_today"],
            "successor": " → ".join(regs.loc[k, "instrument"].split(" tentang ")[0] for k in chain),
            "relied_on_repealed": r["cited_in_paper"] != "no" and r["in_force_at_events"] == "no",
            "source": r["source"]})
    return pd.DataFrame(rows)


def legal_table(currency: pd.DataFrame) -> pd.DataFrame:
    """The legal-currency table for readers: five columns; the status today names the
    successor (``dicabut; diganti UU Nomor 20 Tahun 2023``)."""
    status = []
    for r in currency.itertuples():
        text = _STATUS.get(r.status_today, r.status_today)
        if r.successor:
            text += f"; {'diganti' if r.status_today == 'repealed' else 'diubah'} {r.successor}"
        status.append(text)
    return pd.DataFrame({
        "Instrumen": currency["instrument"].tolist(),
        "Disebut makalah": currency["cited_in_paper"].map(_CITED).tolist(),
        "Berlaku saat peristiwa": currency["in_force_at_events"].map(_IN_FORCE).tolist(),
        "Status kini": status,
        "Sumber": currency["source"].tolist(),
    })


# ------------------------------------------------------------------ paper citation audit
def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z ]", "", text.lower()).strip()


def first_author(author_text: str) -> str:
    """Surname of the first author, folded: ``Pratama et al.`` / ``Pratama, W. Y., …`` → pratama."""
    text = str(author_text).strip()
    head = re.split(r",|\bet al\b|&|\band\b|\bdan\b", text)[0]
    return _fold(head)


def author_count(author_text: str, form: str = "text") -> int | None:
    """Authors implied by an author string.

    ``form="text"`` (in-text citation): ``X et al.`` → None (three or more), ``X & Y`` → 2,
    ``X`` → 1. ``form="list"`` (reference-list entry ``Surname, I., Surname, I., & Surname, I.``):
    the number of surnames, i.e. of comma/ampersand-separated parts that are not initials.
    """
    text = str(author_text).strip()
    if form == "text":
        if re.search(r"\bet al\b", text):
            return None
        return 1 + len(re.findall(r"&|\band\b|\bdan\b", text))
    parts = [t.strip() for t in re.split(r",|&", text) if t.strip()]
    names = [t for t in parts if not re.fullmatch(r"(?:[A-Z][a-z]?\.[\s-]*)+", t)]
    return max(1, len(names))


def check_paper_citations(citations: pd.DataFrame, reference_list: pd.DataFrame,
                          entries: dict | None = None, spelling_cutoff: float = 0.8):
    """Compare the paper's in-text citations with its printed reference list.

    Matching is by first author's surname and year (not by bib key). Returns a DataFrame of
    findings with columns ``kind``, ``item`` (citation_id or ref_id), ``author_text``, ``year``,
    ``detail`` — kinds: ``cited_not_listed``, ``listed_not_cited``, ``year_mismatch``,
    ``spelling_mismatch``, ``author_count_mismatch`` (in-text form vs list, or list vs the
    bibliographic record in ``entries``), ``no_year``, ``order`` (list not alphabetical).
    """
    refs = reference_list.assign(
        _a=reference_list["author_text"].map(first_author),
        _y=reference_list["year"].astype("string").fillna(""))
    cits = citations.assign(
        _a=citations["author_text"].map(first_author),
        _y=citations["year_text"].astype("string").fillna(""))
    findings = []

    def add(kind, item, author, year, detail):
        findings.append({"kind": kind, "item": item, "author_text": author,
                         "year": "" if pd.isna(year) else str(year), "detail": detail})

    matched_refs = set()
    for _, c in cits.iterrows():
        if not c["_y"]:
            add("no_year", c["citation_id"], c["author_text"], "", "sitasi tanpa tahun")
        same = refs[(refs["_a"] == c["_a"]) & (refs["_y"] == c["_y"])]
        if not same.empty:
            r = same.iloc[0]
            matched_refs.add(r["ref_id"])
            n_cit = author_count(c["author_text"], "text")
            n_ref = author_count(r["author_text"], "list")
            if (n_cit is None and n_ref < 3) or (n_cit is not None and n_cit != n_ref):
                add("author_count_mismatch", c["citation_id"], c["author_text"], c["_y"],
                    f"teks: {c['author_text']}; daftar: {n_ref} penulis")
            continue
        by_author = refs[refs["_a"] == c["_a"]]
        if not by_author.empty:
            r = by_author.iloc[0]
            matched_refs.add(r["ref_id"])
            add("year_mismatch", c["citation_id"], c["author_text"], c["_y"],
                f"daftar pustaka: {r['year']}")
            continue
        near = difflib.get_close_matches(c["_a"], refs.loc[refs["_y"] == c["_y"], "_a"].tolist(),
                                         n=1, cutoff=spelling_cutoff)
        if near:
            r = refs[(refs["_a"] == near[0]) & (refs["_y"] == c["_y"])].iloc[0]
            matched_refs.add(r["ref_id"])
            add("spelling_mismatch", c["citation_id"], c["author_text"], c["_y"],
                f"daftar pustaka: {r['author_text'].split(',')[0]}")
            continue
        add("cited_not_listed", c["citation_id"], c["author_text"], c["_y"],
            "tidak ada di daftar pustaka")
    for _, r in refs.iterrows():
        if r["ref_id"] not in matched_refs:
            add("listed_not_cited", r["ref_id"], r["author_text"], r["_y"],
                "tidak disitasi dalam teks")
    if entries is not None:
        for _, r in refs.iterrows():
            e = entries.get(r["bib_key"]) if isinstance(r["bib_key"], str) else None
            if e is None:
                continue
            n_bib = len([a for a in re.split(r"\s+and\s+", e.fields.get("author", "")) if a])
            n_ref = author_count(r["author_text"], "list")
            if n_bib and n_ref != n_bib:
                add("author_count_mismatch", r["ref_id"], r["author_text"], r["_y"],
                    f"daftar: {n_ref} penulis; rekaman bibliografis: {n_bib}")
            if str(e.fields.get("year", r["_y"])) != r["_y"]:
                add("year_mismatch", r["ref_id"], r["author_text"], r["_y"],
                    f"rekaman bibliografis: {e.fields.get('year')}")
    order = refs.sort_values("position") if "position" in refs.columns else refs
    for i in _out_of_order([_fold(a) for a in order["author_text"]]):
        r = order.iloc[i]
        add("order", r["ref_id"], r["author_text"], r["_y"], "di luar urutan alfabetis")
    out = pd.DataFrame(findings, columns=["kind", "item", "author_text", "year", "detail"])
    return out.sort_values(["kind", "item"], kind="stable").reset_index(drop=True)


def _out_of_order(keys: list[str]) -> list[int]:
    """Indices not in a longest non-decreasing subsequence (the fewest entries to move)."""
    n = len(keys)
    best, prev = [1] * n, [-1] * n
    for i in range(n):
        for j in range(i):
            if keys[j] <= keys[i] and best[j] + 1 > best[i]:
                best[i], prev[i] = best[j] + 1, j
    keep, i = set(), (max(range(n), key=lambda k: (best[k], -k)) if n else -1)
    while i >= 0:
        keep.add(i)
        i = prev[i]
    return [i for i in range(n) if i not in keep]


CITATION_KINDS = {
    "cited_not_listed": "disitasi tetapi tidak ada di daftar pustaka",
    "listed_not_cited": "ada di daftar pustaka tetapi tidak disitasi",
    "year_mismatch": "tahun tidak cocok",
    "spelling_mismatch": "ejaan nama tidak cocok",
    "author_count_mismatch": "jumlah penulis tidak cocok",
    "no_year": "sitasi tanpa tahun",
    "order": "urutan daftar pustaka (masalah bentuk)",
}


# ------------------------------------------------------------------ the book's own citations
# a role, not inline code that shows one (`{cite}`)
_CITE = re.compile(r"(?<!`)\{cite(?::[a-z]+)?\}`([^`]*)`")


def _page_texts(book_dir: Path, exclude=(), outputs: bool = True):
    for p in sorted(book_dir.glob("*.md")):
        if p.name not in exclude:
            yield p, p.read_text(encoding="utf-8")
    for p in sorted(book_dir.glob("*.ipynb")):
        if p.name in exclude:
            continue
        nb = json.loads(p.read_text(encoding="utf-8"))
        parts = []
        for cell in nb.get("cells", []):
            src = cell.get("source", "")
            src = "".join(src) if isinstance(src, list) else src
            if cell.get("cell_type") == "markdown":
                parts.append(src)
            for out in cell.get("outputs", []) if outputs else []:
                for mime, val in out.get("data", {}).items():
                    if mime.endswith("text/markdown"):
                        parts.append("".join(val) if isinstance(val, list) else val)
        yield p, "\n".join(parts)


def book_cite_keys(book_dir: Path, exclude=(), outputs: bool = True) -> dict[str, set[str]]:
    """``{key: {page, …}}`` for every key cited with ``{cite…}`` in book pages (Markdown pages,
    notebook Markdown cells and stored Markdown outputs such as glued tables).

    ``exclude`` names pages to skip. ``outputs=False`` reads only what authors wrote (Markdown
    pages and cells), not stored outputs: a chapter that runs this audit uses it (and excludes
    itself) so that its result does not depend on the order in which chapters are executed.
    Citations in glued tables come from data ``source`` columns, which :func:`data_keys` covers.
    """
    used: dict[str, set[str]] = {}
    for p, text in _page_texts(Path(book_dir), exclude, outputs):
        for m in _CITE.finditer(text):
            for k in m.group(1).split(","):
                if k.strip():
                    used.setdefault(k.strip(), set()).add(p.name)
    return used


def data_keys(tables: dict) -> set[str]:
    """Bib keys named by data: every ``source`` cell and every ``bib_key`` cell."""
    keys: set[str] = set()
    for frame in tables.values():
        for col in ("source", "bib_key"):
            if col in frame.columns:
                for v in frame[col].dropna():
                    keys.update(bib.split_keys(v))
    return keys


def check_book_citations(entries: dict, cited: dict, in_data: set) -> pd.DataFrame:
    """Every ``{cite}`` key resolves; every bib entry is used (page or data) or deliberately
    listed (its ``keywords`` field contains ``listed``). One row per key with ``status``:
    ``unresolved``, ``used_in_book``, ``used_in_data``, ``listed`` or ``unused``."""
    rows = []
    for key in sorted(set(cited) - set(entries)):
        rows.append({"key": key, "status": "unresolved", "pages": ", ".join(sorted(cited[key]))})
    for key in sorted(entries):
        kw = entries[key].fields.get("keywords", "").lower()
        if key in cited:
            status = "used_in_book"
        elif key in in_data:
            status = "used_in_data"
        elif "listed" in kw:
            status = "listed"
        else:
            status = "unused"
        rows.append({"key": key, "status": status, "pages": ", ".join(sorted(cited.get(key, ())))})
    return pd.DataFrame(rows, columns=["key", "status", "pages"])


BOOK_CITATION_STATUS = {
    "unresolved": "dirujuk tetapi tidak ada di references.bib",
    "used_in_book": "disitasi dalam teks halaman buku",
    "used_in_data": "hanya dipakai sebagai sumber baris data",
    "listed": "sengaja dicantumkan (kata kunci listed)",
    "unused": "tidak dipakai",
}


def book_citation_summary(book: pd.DataFrame) -> pd.DataFrame:
    """Entries per status of :func:`check_book_citations` (every status, zeros included, in
    :data:`BOOK_CITATION_STATUS` order): ``Status`` (Indonesian) and ``Jumlah kunci``."""
    counts = book["status"].value_counts()
    return pd.DataFrame({
        "Status": list(BOOK_CITATION_STATUS.values()),
        "Jumlah kunci": [int(counts.get(k, 0)) for k in BOOK_CITATION_STATUS],
    })


def keys_markdown(book: pd.DataFrame, status: str) -> str:
    """The keys with ``status`` as a compact, wrappable Markdown list (``a``, ``b``, …) or ``–``."""
    keys = sorted(book.loc[book["status"] == status, "key"])
    return ", ".join(f"`{k}`" for k in keys) or "–"


def count_en(n: int, singular: str, plural: str | None = None) -> str:
    """``1 case`` / ``2 cases`` / ``0 cases`` for English summaries (numbers grouped: 1,000)."""
    return f"{n:,} {singular if n == 1 else (plural or singular + 's')}"


# ------------------------------------------------------------------ COREQ
def coreq_summary(coreq: pd.DataFrame) -> dict:
    """Counts: items, reported / partly / not reported by the paper, added by the book."""
    status = coreq["paper_status"].value_counts()
    added = coreq["book_chapter"].fillna("").str.strip() != ""
    return {"items": len(coreq), "reported": int(status.get("reported", 0)),
            "partly": int(status.get("partly", 0)),
            "not_reported": int(status.get("not_reported", 0)),
            "added_by_book": int(added.sum()),
            "added_where_not_reported": int((added & (coreq["paper_status"] != "reported")).sum())}


COREQ_STATUS = {"reported": "Dilaporkan", "partly": "Sebagian", "not_reported": "Tidak dilaporkan"}


def coreq_by_domain(coreq: pd.DataFrame) -> pd.DataFrame:
    """Items per COREQ domain and paper status (Indonesian headers), domains in COREQ order,
    with a total column; every status is a column even when its count is zero."""
    unknown = set(coreq["paper_status"]) - set(COREQ_STATUS)
    if unknown:
        raise DataError(f"data/coreq.csv, column 'paper_status': unknown value(s) {sorted(unknown)}")
    counts = pd.crosstab(coreq["domain"], coreq["paper_status"]).reindex(
        columns=list(COREQ_STATUS), fill_value=0)
    counts = counts.loc[sorted(counts.index)]
    out = counts.rename(columns=COREQ_STATUS).astype(int)
    out.insert(0, "Ranah", [str(d) for d in counts.index])
    out["Jumlah butir"] = counts.sum(axis=1).astype(int)
    return out.reset_index(drop=True)


def coreq_table(coreq: pd.DataFrame) -> pd.DataFrame:
    """The COREQ items for readers, in COREQ order: number, Indonesian item name, guiding
    question, paper status (Indonesian), paper section and ``{ref}`` links to the book chapters
    that add the item (``–`` where none)."""
    def refs(value):
        labels = bib.split_keys(value) if isinstance(value, str) else []
        return ", ".join("{ref}`" + label + "`" for label in labels) or "–"

    out = pd.DataFrame({
        "No.": coreq["item"].astype(int),
        "Butir": coreq["item_name_id"],
        "Pertanyaan": coreq["guide_question"],
        "Makalah": coreq["paper_status"].map(COREQ_STATUS).str.lower(),
        "Bagian": coreq["paper_section"].replace("not reported", "–"),
        "Ditambah buku": coreq["book_chapter"].map(refs),
    })
    return out.sort_values("No.").reset_index(drop=True)


def chapter_labels(book_dir: Path) -> set[str]:
    """Every ``(label)=`` target defined in book pages."""
    labels = set()
    for p in sorted(Path(book_dir).glob("*.md")) + sorted(Path(book_dir).glob("*.ipynb")):
        labels.update(re.findall(r"^\(([A-Za-z0-9_-]+)\)=", _raw_markdown(p), flags=re.M))
    return labels


def _raw_markdown(p: Path) -> str:
    if p.suffix == ".md":
        return p.read_text(encoding="utf-8")
    nb = json.loads(p.read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                     for c in nb.get("cells", []) if c.get("cell_type") == "markdown")


# ------------------------------------------------------------------ table/figure manifest
def check_manifest(manifest: pd.DataFrame, root: Path, html_dir: Path | None = None):
    """Problems with the table/figure manifest, one line each (empty list: all good).

    Book items (``origin == 'book'``) must have their notebook in ``root``, a stored glue output
    named ``glue`` in it, a Markdown cell that displays that glue (``{glue:…} name``), and the
    label ``label`` defined either in that cell or in the glued Markdown (``:name: label``), and
    no ``number`` (Sphinx numbers them; a typed number would disagree with the printed one). When
    ``html_dir`` is given, the built page must carry ``id="label"``. Paper items
    (``origin == 'paper'``) may name the book item that regenerates them in ``regenerated_by``;
    that id must exist.
    """
    problems = []
    ids = set(manifest["item_id"])
    for _, m in manifest.iterrows():
        item = m["item_id"]
        if m["origin"] == "paper":
            reg = m.get("regenerated_by")
            if isinstance(reg, str) and reg and reg not in ids:
                problems.append(f"{item}: regenerated_by '{reg}' is not an item_id")
            continue
        number = m.get("number")
        if isinstance(number, str) and number.strip():
            problems.append(f"{item}: number '{number}' is set, but Sphinx numbers book items "
                            "(leave it empty; refer to the item with {numref} and its label)")
        path = Path(root) / str(m["file"])
        if not path.exists():
            problems.append(f"{item}: file {m['file']} not found")
            continue
        nb = json.loads(path.read_text(encoding="utf-8"))
        glued, shown, labelled = False, False, False
        for cell in nb.get("cells", []):
            src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            if cell.get("cell_type") == "markdown":
                if re.search(r"\{glue(?::[a-z]+)?\}`?\s*" + re.escape(m["glue"]) + r"\b", src):
                    shown = True
                if re.search(r"^:name:\s*" + re.escape(m["label"]) + r"\s*$", src, flags=re.M):
                    labelled = True
            for out in cell.get("outputs", []):
                if out.get("metadata", {}).get("scrapbook", {}).get("name") == m["glue"]:
                    glued = True
                    for val in out.get("data", {}).values():
                        val = "".join(val) if isinstance(val, list) else str(val)
                        if re.search(r"^:name:\s*" + re.escape(m["label"]) + r"\s*$", val,
                                     flags=re.M):
                            labelled = True
        if not glued:
            problems.append(f"{item}: no stored glue output '{m['glue']}' in {m['file']}")
        if not shown:
            problems.append(f"{item}: no Markdown cell displays glue '{m['glue']}' in {m['file']}")
        if not labelled:
            problems.append(f"{item}: label '{m['label']}' not defined in {m['file']}")
        if html_dir is not None:
            page = Path(html_dir) / Path(str(m["file"])).with_suffix(".html")
            if not page.exists():
                problems.append(f"{item}: built page {page} not found")
            else:
                # Sphinx turns a label into an HTML id the docutils way (`_` becomes `-`, …)
                from docutils.nodes import make_id

                html_id = make_id(str(m["label"]))
                if f'id="{html_id}"' not in page.read_text(encoding="utf-8"):
                    problems.append(f"{item}: id=\"{html_id}\" missing from {page.name}")
    return problems


_LABEL = re.compile(r"^:name:\s*((?:tbl|fig)-[A-Za-z0-9_-]+)\s*$", flags=re.M)


def labelled_items(book_dir: Path, pages: list[str] | None = None) -> pd.DataFrame:
    """Every labelled table and figure of the book, in reading order.

    A labelled item is a ``:name: tbl-…`` or ``:name: fig-…`` option in a Markdown page, a
    notebook Markdown cell or a stored (glued) Markdown output. ``pages`` gives the reading
    order as docnames relative to the project root (``book/intro``, …; see
    :func:`netralitas.site.toc_pages`); files not in it follow, sorted by name. Returns
    ``file`` (``book/x.ipynb``), ``label``, ``kind`` (table/figure) and ``glue`` (the glue output
    that carries the label, or whose ``{glue:figure}`` cell defines it; empty for Markdown pages).
    """
    book_dir = Path(book_dir)
    files = sorted(book_dir.glob("*.md")) + sorted(book_dir.glob("*.ipynb"))
    rank = {name: i for i, name in enumerate(pages or [])}
    files.sort(key=lambda p: (rank.get(f"{book_dir.name}/{p.stem}", len(rank)), p.name))
    rows = []

    def add(p, label, glue_name):
        rows.append({"file": f"{book_dir.name}/{p.name}", "label": label,
                     "kind": "table" if label.startswith("tbl-") else "figure",
                     "glue": glue_name})

    for p in files:
        if p.suffix == ".md":
            for label in _LABEL.findall(p.read_text(encoding="utf-8")):
                add(p, label, "")
            continue
        nb = json.loads(p.read_text(encoding="utf-8"))
        glued: dict[str, list[str]] = {}
        for cell in nb.get("cells", []):
            for out in cell.get("outputs", []):
                name = out.get("metadata", {}).get("scrapbook", {}).get("name")
                for val in out.get("data", {}).values():
                    val = "".join(val) if isinstance(val, list) else str(val)
                    if name:
                        glued.setdefault(name, []).extend(_LABEL.findall(val))
        for cell in nb.get("cells", []):
            if cell.get("cell_type") != "markdown":
                continue
            src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            glue_at = [(m.start(), m.group(1)) for m in
                       re.finditer(r"\{glue(?::[a-z]+)?\}`?\s*([A-Za-z0-9_]+)", src)]
            shown = [name for _, name in glue_at]
            for m in _LABEL.finditer(src):  # the glue directive that opens this label's block
                before = [name for pos, name in glue_at if pos < m.start()]
                add(p, m.group(1), before[-1] if before else "")
            for name in shown:
                for label in glued.get(name, []):
                    add(p, label, name)
    out = pd.DataFrame(rows, columns=["file", "label", "kind", "glue"])
    return out.drop_duplicates(["file", "label"]).reset_index(drop=True)


def unlisted_items(manifest: pd.DataFrame, items: pd.DataFrame) -> list[str]:
    """Labelled book items (:func:`labelled_items`) that have no row in the manifest."""
    listed = set(zip(manifest["file"].dropna(), manifest["label"].dropna()))
    return [f"{r.file}: label '{r.label}' ({r.kind}, glue '{r.glue}') has no row in "
            "data/manifest.csv" for r in items.itertuples() if (r.file, r.label) not in listed]


def manifest_tables(manifest: pd.DataFrame, pages: list[str] | None = None):
    """The manifest for readers as two DataFrames ``(paper, book)``, no invented numbers.

    Book items: ``Butir`` is a ``{numref}`` link to the item (Sphinx prints its number and the
    reader can click to it), then ``Judul``, ``Bab`` (a ``{ref}`` to the chapter) and
    ``Nama glue``. ``pages`` (docnames in reading order, :func:`netralitas.site.toc_pages`) sorts
    the book items by the page that shows them, then in manifest order; pages not listed go last.
    Paper items: the paper's own name, title, section and the book item that regenerates it
    (``{numref}``) or ``belum dibuat ulang``.
    """
    label_of = dict(zip(manifest["item_id"], manifest["label"]))
    paper = manifest[manifest["origin"] == "paper"]
    book = manifest[manifest["origin"] == "book"]
    rank = {page: i for i, page in enumerate(pages or [])}
    book = book.assign(_r=[rank.get(str(f).rsplit(".", 1)[0], len(rank)) for f in book["file"]])
    book = book.sort_values("_r", kind="stable")

    def regen(item):
        if not isinstance(item, str) or not item:
            return "belum dibuat ulang"
        return "{numref}`" + label_of[item] + "`"

    paper_out = pd.DataFrame({
        "Butir makalah": [f"{n} makalah" for n in paper["number"]],
        "Judul": paper["title"].tolist(),
        "Bagian makalah": [x if isinstance(x, str) and x else "–" for x in paper["paper_section"]],
        "Dibuat ulang di buku": [regen(x) for x in paper["regenerated_by"]],
    })
    book_out = pd.DataFrame({
        "Butir": ["{numref}`" + label + "`" for label in book["label"]],
        "Judul": book["title"].tolist(),
        "Bab": ["{ref}`" + c + "`" for c in book["chapter"]],
        "Nama glue": [f"`{g}`" for g in book["glue"]],
    })
    return paper_out, book_out


def load_tables(names=None) -> dict:
    """All (or the named) resources of the data package as validated DataFrames."""
    from . import data

    names = names or data.resources()
    return {n: data.load(n) for n in names}
