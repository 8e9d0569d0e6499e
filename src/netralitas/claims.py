"""The claims audit: every number the paper states, checked by a written rule.

A claim's verdict is computed from its check data, never typed. Each row of ``claims.csv`` has a
``check_kind`` (vocabulary ``check_kind``), a ``check_ref`` and an ``assumption``:

* ``recompute`` — ``check_ref`` is an arithmetic expression over the paper's own numbers: other
  claims' stated values (claim ids such as ``C15``) and data rows that rest on the paper alone,
  with ``+ - * /``, parentheses, numbers and ``count(...)`` (how many of its arguments have a
  value). A data row with an independent source may not enter (that is a ``public_record``
  check).
* ``public_record`` — ``check_ref`` names the public figure: one data-row reference or an
  expression over data-row references; ``;`` separates alternatives (the best agreeing one is
  taken); after ``|``, a record at another place than the one the paper names (an agreement
  there makes a disagreement ``partly_wrong``). Empty when nothing in ``data/`` records a
  search (verdict ``not_checked``; ``note`` then says where a record could be found).
* ``list_total`` — the paper states a total and lists parts of it as examples; ``check_ref`` is
  the expression over the listed parts (the paper's own numbers, as for ``recompute``).
* ``legal_reference`` — the paper names a legal instrument; ``check_ref`` names its row in
  ``regulations.csv`` (column ``in_force_at_events``), and the claim holds only if the
  instrument was in force throughout the events.
* ``none`` — no record could check the claim in principle (an anonymous interview, the
  researchers' own working year, a conceptual classification); ``note`` says why.

``assumption`` is empty, or states an assumption of this book that the check depends on (such
as the assumed month of a transfer wave); a reference to the ``date`` of a row whose
``date_basis`` is ``assumed`` must state one.

:func:`verdict_rule` turns the check data into ``(verdict, assumption_flag)``; the verdicts are
the terms of vocabulary ``verdict`` and their reader-facing rules the terms of vocabulary
``verdict_rule`` in ``data/vocabulary.csv`` (the audit chapter's taxonomy table is generated from
them). In short: ``none`` → not_checkable; a public record never looked for → not_checked; one
looked for and not found, or resting on the paper alone → not_found; agreement → consistent;
disagreement → discrepant for a recompute, incomplete for listed parts that fall short of the
total (discrepant if they exceed it), outdated_reference for a legal instrument not in force
throughout the events, partly_wrong when only a record elsewhere agrees, contradicted for an
independent public record — and, when the check depends on an assumption of the book,
differs_if_assumed instead: such a verdict is never ``contradicted``.

``check_scope`` (vocabulary ``check_scope``; empty means ``substance``) says what the check
tests: the substance of the claim, only its year, or only an instrument's legal status
(:func:`narrow_consistent`).

A data-row reference is ``table:row_id`` or ``table:row_id.column`` (row ids without dots;
put spaces around ``-`` between two references). The row id is matched against the table's
first column; the default column per table is in :data:`DEFAULT_COLUMNS`. The pseudo-column
``exists`` is ``yes`` for any row (a claim that an event happened, checked by the record of
it). A row is independent of the paper when its ``found_in_public`` is true, its
``public_record`` is not ``not_found``, or (neither column present) one of its sources is not a
paper key (:data:`netralitas.bib.PAPER_KEYS`); a column listed in :data:`PAPER_COLUMNS` copies
the paper and is never independent.

Values are compared by ``unit``: ``date`` (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, compared at
the stated precision), ``year``, ``status`` (text, compared case-insensitively) or any other
unit (numbers; ``stated_value`` may be a fraction such as ``1/100``). The ``qualifier`` sets
the rule: ``exact`` (equal), ``about`` (within :data:`ABOUT_TOLERANCE`, relative; for dates
within one unit of the stated precision), ``more_than`` (greater), ``at_least`` (not less)."""

from __future__ import annotations

import ast
import operator
import re

import pandas as pd

from . import bib, vocab
from .bib import PAPER_KEYS
from .data import DataError

__all__ = ["ABOUT_TOLERANCE", "DEFAULT_COLUMNS", "PAPER_COLUMNS", "VERDICTS", "CHECK_KINDS",
           "FLAG", "CLAIMS_FILE", "parse_expression", "evaluate", "parse_number", "compare",
           "verdict_rule", "check_claims", "verdict_counts", "flag_count", "taxonomy_table",
           "CHECK_SCOPES", "narrow_consistent", "SEARCHES_FILE", "recorded_searches",
           "ref_label", "ref_is_empty", "claims_table"]

ABOUT_TOLERANCE = 0.10


DEFAULT_COLUMNS = {
    "indicators": "value",
    "baselines": "value",
    "mutations": "count",
    "elections": "date",
    "violations": "date",
    "regulations": "in_force_at_events",
    "leadership": "role",
}

#: Columns that copy the paper's own statements (Table 1 of the paper): a reference to them is
#: never an independent record, whatever the row's other sources. ``election`` follows from the
#: year and the act the paper's Table 1 gives (a DPRD candidate in 2024, a pre-candidate for
#: regional head in 2024, a mayoral pair in 2025), so it too is the paper's own.
PAPER_COLUMNS = {
    "violations": ("year", "position", "act", "sanction", "sanction_rank", "paper_table_row",
                   "election"),
}

#: The outcomes :func:`verdict_rule` can assign (the terms of vocabulary ``verdict``).
VERDICTS = ["consistent", "discrepant", "incomplete", "partly_wrong", "outdated_reference",
            "contradicted", "differs_if_assumed", "not_found", "not_checked", "not_checkable"]

#: The kinds of check (the terms of vocabulary ``check_kind``).
CHECK_KINDS = ["recompute", "public_record", "list_total", "legal_reference", "none"]

#: What a check actually tests (the terms of vocabulary ``check_scope``): the substance of the
#: claim, only its year, or only the legal status of an instrument.
CHECK_SCOPES = ["substance", "year_only", "legal_status"]

#: The term of vocabulary ``verdict_flag`` (and ``verdict_rule``) for a verdict that depends on
#: an assumption of the book.
FLAG = "assumption"


CLAIMS_FILE = "data/claims.csv"


_REF = re.compile(r"\b([a-z_]+):([A-Za-z0-9_-]*[A-Za-z0-9_])(?:\.([a-z_]+))?")


_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
        ast.Div: operator.truediv}


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
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id == "same" and not node.keywords and len(node.args) == 2 \
                and isinstance(node.args[0], ast.Name) and node.args[0].id.startswith("__ref") \
                and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str):
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            continue  # only as the second argument of same() (checked below)
        raise ValueError(f"{text!r}: {type(node).__name__} is not allowed "
                         "(only numbers, claim ids, data refs, + - * /, count(), "
                         "same(ref, 'text'))")
    texts = {id(p.args[1]) for p in ast.walk(tree)
             if isinstance(p, ast.Call) and isinstance(p.func, ast.Name) and p.func.id == "same"}
    for node in ast.walk(tree):  # a text constant may stand only inside same()
        if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and id(node) not in texts:
            raise ValueError(f"{text!r}: a text may only be the second argument of same()")
    return tree, refs


def evaluate(tree, lookup, raw=None):
    """Evaluate a tree from :func:`parse_expression`; ``lookup(name)`` gives operand values.
    ``same(ref, 'text')`` is 1 when the referenced cell (``raw(name)``, default ``lookup``)
    equals the text (case-insensitively), else 0."""

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
        if isinstance(node, ast.Call) and node.func.id == "same":
            value = (raw or lookup)(node.args[0].id)
            return float(value is not None
                         and str(value).strip().casefold() == node.args[1].value.casefold())
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


def _row_is_public(tables, table: str, row_id: str, dependent_keys) -> bool:
    frame = tables[table]
    hits = frame[frame[frame.columns[0]].astype(str) == row_id]
    return bool(len(hits)) and _is_public(hits.iloc[0], dependent_keys)


def _is_public(row: pd.Series, dependent_keys) -> bool:
    """Whether a data row rests on a record independent of the paper: its own flag where it has
    one, else a source key outside ``dependent_keys`` (:func:`check_claims`)."""
    if "found_in_public" in row.index and not pd.isna(row["found_in_public"]):
        return bool(row["found_in_public"])
    if "public_record" in row.index and not pd.isna(row["public_record"]):
        return str(row["public_record"]) != "not_found"
    return any(k not in dependent_keys for k in bib.split_keys(row.get("source", "")))


def _resolve_ref(ref, tables, where: str, dependent_keys):
    """Return ``(value, independent, assumed)`` for a data-row reference ``(table, row_id,
    column)``; ``assumed`` when the value is a date this book assumed."""
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
    row = hits.iloc[0]
    independent = _is_public(row, dependent_keys) and column not in PAPER_COLUMNS.get(table, ())
    if column == "exists":
        return "yes", independent, False
    if column not in frame.columns:
        raise DataError(f"{where}: no column '{column}' in data/{table}.csv")
    value = row[column]
    value = None if pd.isna(value) else value
    if hasattr(value, "item") and not isinstance(value, pd.Timestamp):
        value = value.item()
    assumed = (column == "date" and "date_basis" in row.index
               and str(row["date_basis"]) == "assumed")
    return value, independent, assumed


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


def _value_of(expr: str, claims, tables, where, dependent_keys, allow_claims: bool):
    """Evaluate one expression; return ``(value, independent, assumed)``. Single refs may be
    non-numeric. ``independent``: every data ref is independent of the paper (and there is one);
    ``assumed``: a data ref is a date this book assumed."""
    try:
        tree, refs = parse_expression(expr)
    except ValueError as exc:
        raise DataError(f"{where}: {exc}") from None
    resolved = [_resolve_ref(r, tables, where, dependent_keys) for r in refs]
    independent = bool(resolved) and all(r[1] for r in resolved)
    assumed = any(r[2] for r in resolved)
    body = tree.body
    if isinstance(body, ast.Name) and body.id.startswith("__ref"):
        return resolved[int(body.id[5:])][0], independent, assumed
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
            raise DataError(f"{where}: a public_record check may use data refs only, not '{name}'")
        return claim_lookup(name)

    def raw(name):
        return resolved[int(name[5:])][0]

    try:
        return evaluate(tree, lookup, raw), independent, assumed
    except _Missing as exc:
        if not independent:
            return None, independent, assumed
        raise DataError(f"{where}: operand '{exc}' has no value") from None
    except ValueError as exc:
        raise DataError(f"{where}: {exc}") from None


SEARCHES_FILE = "data/searches.csv"


def recorded_searches(searches: pd.DataFrame | None, tables: dict | None = None,
                      where: str = SEARCHES_FILE) -> set[tuple[str, str]]:
    """The data rows ``(table, row_id)`` whose public record was searched for and not found, as
    ``data/searches.csv`` records them (each search with the fact-list entry that reports it).
    A row that rests on the paper alone and is not listed here was never searched for, so a
    claim checked against it is ``not_checked``, not ``not_found``. With ``tables``, every
    listed row must exist (:class:`DataError` naming the line otherwise)."""
    if searches is None or searches.empty:
        return set()
    out = set()
    for i, r in enumerate(searches.itertuples(index=False)):
        if tables is not None:
            frame = tables.get(r.table)
            if frame is None:
                raise DataError(f"{where}, line {i + 2}, column 'table': no data table '{r.table}'")
            if str(r.row_id) not in set(frame.iloc[:, 0].astype(str)):
                raise DataError(f"{where}, line {i + 2}, column 'row_id': '{r.row_id}' is not a "
                                f"row of data/{r.table}.csv")
        out.add((str(r.table), str(r.row_id)))
    return out


def verdict_rule(check) -> tuple[str, bool]:
    """THE rule from a claim's check data to ``(verdict, assumption_flag)``.

    ``check`` maps ``check_kind``, ``assumption`` (text; empty or missing: none), ``located``
    (for ``public_record``: a data row was named, i.e. the book looked for a record; default
    true), ``ok`` (the stated value agrees with the found one: ``True``/``False``, ``None`` when
    nothing was found), ``independent`` (for ``public_record`` and ``legal_reference``: the
    found value rests on a record independent of the paper), ``elsewhere_ok`` (for
    ``public_record``: a record at another place than the one the paper names agrees) and
    ``gap`` (found − stated, for ``list_total``). Rules, in order:

    1. ``none`` → ``not_checkable`` (no record could check it; never flagged);
    2. ``public_record`` with no data row named, or whose rows all rest on the paper alone and
       none is listed in ``data/searches.csv`` → ``not_checked`` (a record may exist, but nothing in
       ``data/`` records a search for it: :func:`recorded_searches`);
    3. ``public_record`` or ``legal_reference`` with no independent value (for a legal status:
       ``unknown`` in ``regulations.csv``) → ``not_found``
       (the row records that it was looked for and not found, or rests on the paper alone);
    4. agreement (``ok``) → ``consistent``;
    5. ``recompute`` that disagrees → ``discrepant`` (the paper's own numbers disagree);
    6. ``list_total`` whose parts fall short of the total → ``incomplete`` (the paper's own
       itemisation does not support the total); parts that exceed it → ``discrepant``;
    7. ``legal_reference`` whose instrument was not (or not throughout) in force at the events
       → ``outdated_reference`` (the paper names an instrument without saying it governed the
       events; the reference is outdated, not contradicted);
    8. ``public_record`` that disagrees → ``differs_if_assumed`` when the check depends on an
       assumption of the book (an assumed check is never contradicted); else ``partly_wrong``
       when a record at another place agrees (``elsewhere_ok``: the substance holds, the place
       the paper names does not); else ``contradicted``.

    The flag is true whenever ``assumption`` is stated (rule 1 excepted).
    """
    kind = check["check_kind"]
    if kind not in CHECK_KINDS:
        raise ValueError(f"unknown check_kind {kind!r} (known: {', '.join(CHECK_KINDS)})")
    assumption = check.get("assumption")
    flag = not ref_is_empty(assumption)
    if kind == "none":
        return "not_checkable", False
    ok = check.get("ok")
    if kind == "public_record" and not check.get("located", True):
        return "not_checked", flag
    if kind in ("public_record", "legal_reference") and (not check.get("independent")
                                                         or ok is None):
        return "not_found", flag
    if ok is None:
        raise ValueError(f"a {kind} check needs a result (ok is None)")
    if ok:
        return "consistent", flag
    if kind == "recompute":
        return "discrepant", flag
    if kind == "list_total":
        gap = check.get("gap")
        # short of the total (for 'more than', reaching it exactly is short too)
        return ("incomplete" if gap is not None and gap <= 0 else "discrepant"), flag
    if kind == "legal_reference":
        return "outdated_reference", flag
    if flag:
        return "differs_if_assumed", flag
    return ("partly_wrong" if check.get("elsewhere_ok") else "contradicted"), flag


def check_claims(claims: pd.DataFrame, data: dict, *, tolerance: float = ABOUT_TOLERANCE,
                 paper_keys=PAPER_KEYS, where: str = CLAIMS_FILE) -> pd.DataFrame:
    """Compute a verdict for every claim (see the module docstring and :func:`verdict_rule`).

    ``data`` maps table names to validated DataFrames (the public figures). Returns the claims
    in input order with ``stated``, ``found`` (computed or public value), ``gap`` (numeric, or
    ``NaN``), ``gap_text``, ``independent``, ``assumption``, ``verdict`` (one of
    :data:`VERDICTS`), ``assumption_flag``, ``verdict_label`` and ``flag_label``. A reference to
    a missing claim, table, row or column, a recompute over an independent record, a check of
    kind ``none`` (or a ``public_record`` without a reference) without a ``note``, and a check on
    an assumed date without an ``assumption``, raise :class:`DataError` naming the file, line and
    column.
    """
    rows = []
    # keys that never make a row an independent record: the paper's, and those of sources this
    # book cites but that are not in its fact list (factbase = {no} in references.bib)
    dependent = frozenset(paper_keys) | bib.unconfirmed()
    searched = recorded_searches(data.get("searches"), data)
    for i, c in enumerate(claims.to_dict("records")):
        line = f"{where}, line {i + 2} (claim {c['claim_id']})"
        loc = f"{line}, column 'check_ref'"
        kind, unit, qual = c["check_kind"], c["unit"], c["qualifier"]
        ref = "" if ref_is_empty(c.get("check_ref")) else str(c["check_ref"]).strip()
        assumption = "" if ref_is_empty(c.get("assumption")) else str(c["assumption"]).strip()
        out = {"claim_id": c["claim_id"], "section": c["section"], "claim": c["claim"],
               "stated": str(c["stated_value"]), "unit": unit, "qualifier": qual,
               "check_kind": kind, "check_ref": ref, "assumption": assumption,
               "check_scope": ("substance" if ref_is_empty(c.get("check_scope"))
                               else str(c["check_scope"]).strip()), "found": "",
               "gap": float("nan"), "gap_text": "", "independent": False}
        if kind not in CHECK_KINDS:
            raise DataError(f"{line}, column 'check_kind': unknown kind '{kind}' "
                            f"(known: {', '.join(CHECK_KINDS)})")
        check = {"check_kind": kind, "assumption": assumption, "ok": None, "independent": False,
                 "gap": None, "located": bool(ref), "elsewhere_ok": False}
        if kind == "none" or (kind == "public_record" and not ref):
            if ref_is_empty(c.get("note")):
                raise DataError(f"{line}, column 'note': empty, but a claim checked by "
                                f"'{kind}'{' without a reference' if kind != 'none' else ''} "
                                "must say why (what no record could check, or what was "
                                "looked for)")
        elif not ref:
            raise DataError(f"{loc}: empty, but check_kind is '{kind}'")
        try:
            if kind in ("recompute", "list_total") and ref:
                value, _, assumed = _value_of(ref, claims, data, loc, dependent,
                                              allow_claims=True)
                _, refs = parse_expression(ref)
                if any(_resolve_ref(r, data, loc, dependent)[1] for r in refs):
                    raise DataError(f"{loc}: a {kind} check uses the paper's own numbers; a "
                                    "record independent of the paper makes it a "
                                    "public_record check")
                ok, _, found, gap, gap_text = compare(c["stated_value"], value, unit, qual,
                                                      tolerance)
                check.update(ok=ok, gap=gap)
                out.update(found=found, gap=_num(gap), gap_text="" if ok else gap_text)
            elif kind in ("public_record", "legal_reference") and ref:
                main, _, elsewhere = ref.partition("|")
                if elsewhere.strip() and kind != "public_record":
                    raise DataError(f"{loc}: '|' (a record elsewhere) is for public_record only")
                results, assumed = [], False
                for alt in [a for a in main.split(";") if a.strip()]:
                    value, independent, alt_assumed = _value_of(alt, claims, data, loc,
                                                                 dependent, allow_claims=False)
                    assumed = assumed or alt_assumed
                    # a legal status the records leave unknown is not a found value
                    if independent and value is not None and not (
                            kind == "legal_reference" and str(value) == "unknown"):
                        results.append(compare(c["stated_value"], value, unit, qual, tolerance))
                if results:
                    best = next((r for r in results if r[0]), None)
                    if best is None:  # closest disagreeing value
                        best = min(results, key=lambda r: abs(r[3]) if r[3] is not None else 0)
                    ok, _, found, gap, gap_text = best
                    check.update(ok=ok, gap=gap, independent=True)
                    out.update(found=found, gap=_num(gap), gap_text="" if ok else gap_text,
                               independent=True)
                if not results:
                    # no independent value: "not found" only where a search is on record
                    # (a row that rests on a public record was evidently looked up)
                    rows_named = {(t, r) for alt in main.split(";") if alt.strip()
                                  for t, r, _ in parse_expression(alt)[1]}
                    check.update(located=bool(rows_named & searched) or any(
                        _row_is_public(data, t, r, dependent) for t, r in rows_named))
                if elsewhere.strip():
                    value, independent, _ = _value_of(elsewhere, claims, data, loc, dependent,
                                                      allow_claims=False)
                    if independent and value is not None:
                        elsewhere_ok = compare(c["stated_value"], value, unit, qual, tolerance)[0]
                        check.update(elsewhere_ok=elsewhere_ok)
                        if elsewhere_ok and check["ok"] is False:
                            out["found"] = f"{out['found']} (di tempat lain: {value})"
            else:
                assumed = False
        except ValueError as exc:
            if isinstance(exc, DataError):
                raise
            raise DataError(f"{line}: {exc}") from None
        if assumed and not assumption and unit == "date":
            raise DataError(f"{line}, column 'assumption': empty, but the check compares a date "
                            "this book assumed (date_basis 'assumed'); state the assumption")
        out["verdict"], out["assumption_flag"] = verdict_rule(check)
        rows.append(out)
    result = pd.DataFrame(rows)
    result["verdict_label"] = [vocab.label("verdict", v) for v in result["verdict"]]
    result["flag_label"] = [vocab.label("verdict_flag", FLAG, short=True) if f else ""
                            for f in result["assumption_flag"]]
    return result


def _num(gap):
    return float("nan") if gap is None else float(gap)


def verdict_counts(checked: pd.DataFrame) -> pd.Series:
    """Number of claims per verdict, every verdict listed (zeros included), in fixed order."""
    return checked["verdict"].value_counts().reindex(VERDICTS, fill_value=0).astype(int)


def flag_count(checked: pd.DataFrame) -> int:
    """Number of claims whose verdict depends on an assumption of the book."""
    return int(checked["assumption_flag"].sum())


def narrow_consistent(checked: pd.DataFrame) -> pd.DataFrame:
    """The ``consistent`` claims whose check tests only a year or only the legal status of an
    instrument (``check_scope`` other than ``substance``): agreement on them says nothing about
    the substance of the claim."""
    return checked[(checked["verdict"] == "consistent") & (checked["check_scope"] != "substance")]


def taxonomy_table(checked: pd.DataFrame) -> pd.DataFrame:
    """The verdict taxonomy as shown in the book, generated from the vocabularies ``verdict``,
    ``verdict_rule`` and ``verdict_flag``: one row per verdict (in :data:`VERDICTS` order) with
    its rule, the number of claims it was assigned to and, as a column (not a row: a flag is
    not a verdict), how many of them rest on an assumption of the book; a last row gives the
    totals, so the counts add up to the number of claims."""
    counts = verdict_counts(checked)
    flagged = checked[checked["assumption_flag"].astype(bool)]["verdict"].value_counts()
    flag_col = f"Di antaranya {vocab.label('verdict_flag', FLAG)}"
    rows = [{"Putusan": vocab.label("verdict", v), "Aturan": vocab.label("verdict_rule", v),
             "Jumlah klaim": int(counts[v]), flag_col: int(flagged.get(v, 0))}
            for v in VERDICTS]
    rows.append({"Putusan": "Jumlah", "Aturan": "\u2013", "Jumlah klaim": int(counts.sum()),
                 flag_col: flag_count(checked)})
    return pd.DataFrame(rows)


def _display(value: str, unit: str) -> str:
    """Stated or found value for the table: status words in Indonesian, numbers grouped."""
    text = str(value)
    if unit == "status":
        return vocab.label("claim_status", text) if text in vocab.labels("claim_status") else text
    if unit in ("date", "year") or not re.fullmatch(r"-?\d+(\.\d+)?", text):
        return text
    return _fmt(float(text))




def ref_label(check_ref: str, kind: str = "recompute") -> str:
    """``check_ref`` in words for readers: which data file, row and column a claim is checked
    against, or which claims are recomputed.

    ``regulations:uu5_2014.in_force_at_events`` → ``regulations.csv, baris uu5_2014 (berlaku saat
    peristiwa)``; ``indicators:a - indicators:b`` → ``indicators.csv, baris a − baris b``;
    ``C29 + C30`` → ``hitung ulang: C29 + C30``; ``count(C1, C2)`` → ``hitung ulang: banyaknya
    C1, C2`` (the prefix is the short label of ``kind`` in vocabulary ``check_kind``, e.g.
    ``rincian`` for ``list_total``). A row id that is an election id is printed by its name
    (``elections:pemilu2024`` → ``elections.csv, baris Pemilu 2024``), never raw. Alternatives
    (``;``) are joined with ``atau``. Empty → ``–``.
    """
    ref = "" if ref_is_empty(check_ref) else str(check_ref).strip()
    if not ref:
        return "–"
    if "|" in ref:  # a record at another place than the one the paper names
        main, _, elsewhere = ref.partition("|")
        return f"{ref_label(main, kind)}; di tempat lain: {ref_label(elsewhere, kind)}"
    parts = []
    election_ids = set(vocab.elections()["election"])
    for alt in [a.strip() for a in ref.split(";") if a.strip()]:
        refs = _REF.findall(alt)
        tables = list(dict.fromkeys(t for t, _, _ in refs))
        prefix = len(tables) != 1

        def word(m, prefix=prefix):
            table, row, column = m.group(1), m.group(2), m.group(3)
            shown = vocab.election(row) if row in election_ids else row  # no raw election id
            text = (f"{table}.csv, " if prefix else "") + f"baris {shown}"
            if column:
                text += f" ({vocab.label('data_column', column)})"
            return text

        text = _REF.sub(word, alt)
        text = re.sub(r"\s+-\s+", " \u2212 ", text)
        # same(ref, 'value') -> [ref = value] (1 when the cell equals the value)
        text = re.sub(r"same\(((?:[^()]|\([^()]*\))*), '([^']*)'\)",
                      lambda m: f"[{m.group(1)} = {_shown_value(m.group(2), election_ids)}]",
                      text)
        if not refs:
            text = re.sub(r"count\((.*)\)", r"banyaknya \1", text)
            text = f"{vocab.label('check_kind', kind, short=True)}: {text}"
        elif len(tables) == 1:
            text = f"{tables[0]}.csv, {text}"
        parts.append(text)
    return " atau ".join(parts)


def _shown_value(value: str, election_ids) -> str:
    """A compared value for readers: an election id by its name, anything else as it is."""
    return vocab.election(value) if value in election_ids else value


def ref_is_empty(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value)) or not str(value).strip()


def claims_table(checked: pd.DataFrame) -> pd.DataFrame:
    """The claims audit as shown in the book: six columns, Indonesian headers and values. The
    check basis names the book's assumption when there is one; the verdict carries the
    assumption flag's short label."""
    stated, found, basis, verdict = [], [], [], []
    flag = vocab.label("verdict_flag", FLAG, short=True)
    for r in checked.itertuples():
        text = _display(r.stated, r.unit)
        if r.unit not in ("date", "year", "status"):
            text = f"{text} {r.unit}"
        if r.qualifier != "exact":
            text = f"{vocab.label('claim_qualifier', r.qualifier)} {text}"
        stated.append(text)
        if r.found == "":
            result = "\u2013"
        elif getattr(r, "check_kind", "") == "legal_reference":
            result = f"berlaku saat peristiwa: {vocab.label('in_force', r.found)}"
        else:
            result = _display(r.found, r.unit)
        found.append(f"{result}; selisih {r.gap_text}" if r.gap_text else result)
        kind = getattr(r, "check_kind", "recompute")
        ref = (vocab.label("check_kind", kind, short=True) if kind == "none"
               else ref_label(r.check_ref, kind))
        assumption = getattr(r, "assumption", "")
        basis.append(f"{ref}; {flag}: {assumption}" if not ref_is_empty(assumption) else ref)
        text = vocab.label("verdict", r.verdict, short=True)
        verdict.append(f"{text}; {flag}" if getattr(r, "assumption_flag", False) else text)
    return pd.DataFrame({
        "ID": [f"{i} ({s})" for i, s in zip(checked["claim_id"], checked["section"])],
        "Klaim": checked["claim"].tolist(),
        "Dinyatakan": stated,
        "Dasar periksa": basis,
        "Hasil periksa": found,
        "Putusan": verdict,
    })
