"""The claims audit: every number the paper states, checked by a written rule.

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
    within one unit of the stated precision), ``more_than`` (greater), ``at_least`` (not less)."""

from __future__ import annotations

import ast
import operator
import re

import pandas as pd

from . import bib, vocab
from .bib import PAPER_KEYS
from .data import DataError

__all__ = ["ABOUT_TOLERANCE", "DEFAULT_COLUMNS", "VERDICTS", "CLAIMS_FILE", "parse_expression",
           "evaluate", "parse_number", "compare", "check_claims", "verdict_counts", "ref_label",
           "ref_is_empty", "claims_table"]

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
    result["verdict_label"] = [vocab.label("verdict", v) for v in result["verdict"]]
    return result


def _num(gap):
    return float("nan") if gap is None else float(gap)


def verdict_counts(checked: pd.DataFrame) -> pd.Series:
    """Number of claims per verdict, every verdict listed (zeros included), in fixed order."""
    return checked["verdict"].value_counts().reindex(VERDICTS, fill_value=0).astype(int)






def _display(value: str, unit: str) -> str:
    """Stated or found value for the table: status words in Indonesian, numbers grouped."""
    text = str(value)
    if unit == "status":
        return vocab.label("claim_status", text) if text in vocab.labels("claim_status") else text
    if unit in ("date", "year") or not re.fullmatch(r"-?\d+(\.\d+)?", text):
        return text
    return _fmt(float(text))




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
                text += f" ({vocab.label('data_column', column)})"
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
            text = f"{vocab.label('claim_qualifier', r.qualifier)} {text}"
        stated.append(text)
        result = _display(r.found, r.unit) if r.found != "" else "–"
        found.append(f"{result}; selisih {r.gap_text}" if r.gap_text else result)
    return pd.DataFrame({
        "ID": [f"{i} ({s})" for i, s in zip(checked["claim_id"], checked["section"])],
        "Klaim": checked["claim"].tolist(),
        "Dinyatakan": stated,
        "Dasar periksa": [ref_label(r) for r in checked["check_ref"]],
        "Hasil periksa": found,
        "Putusan": [vocab.label("verdict", v, short=True) for v in checked["verdict"]],
    })
