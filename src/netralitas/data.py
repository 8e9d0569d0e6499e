"""Validated access to the book's data (``data/datapackage.json`` + ``data/*.csv``).

Every CSV is a resource of a Frictionless Data Package; its Table Schema (types, constraints,
primary and foreign keys, a description of every field) lives in ``data/schemas/<name>.json``.
:func:`validate` checks the whole package with the ``frictionless`` library, plus three rules the
standard does not cover: files are UTF-8 without a byte-order mark, the header is exactly the
schema's fields, every key in a ``source`` column exists in ``references.bib``, and text fields
hold plain text (no HTML tags).

Any defect raises :class:`DataError` with one line naming file, line, column and rule, e.g.::

    data/violations.csv, line 3 (data row 2), column 'year': type error: 'abc' is not an integer

Input files are only read, never modified.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

import pandas as pd

from . import bib, paths

__all__ = ["DataError", "PACKAGE_FILE", "VALIDATOR_FILES", "tree_digest", "validation_key",
           "validate", "resources", "schema", "load", "load_all", "cli"]

PACKAGE_FILE = "datapackage.json"


class DataError(ValueError):
    """A defect in a data file, reported as one line (file, line, column, rule)."""


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(paths.root()))
    except ValueError:
        return str(path)


def _package_descriptor(data_dir: Path) -> dict:
    pkg_path = data_dir / PACKAGE_FILE
    where = _rel(pkg_path)
    try:
        raw = pkg_path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{where}: file not found") from None
    try:
        desc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", "?")
        raise DataError(f"{where}, line {line}: not valid JSON ({exc})") from None
    if not isinstance(desc, dict) or not isinstance(desc.get("resources"), list):
        raise DataError(f"{where}: expected an object with a 'resources' list")
    for i, res in enumerate(desc["resources"]):
        for key in ("name", "path", "schema"):
            if key not in res:
                raise DataError(f"{where}, resource {i + 1}: missing '{key}'")
    return desc


def _schema(data_dir: Path, resource: dict) -> dict:
    schema = resource["schema"]
    if isinstance(schema, dict):
        return schema
    spath = data_dir / schema
    try:
        return json.loads(spath.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(f"{_rel(spath)}: schema file not found") from None
    except json.JSONDecodeError as exc:
        raise DataError(f"{_rel(spath)}, line {exc.lineno}: not valid JSON ({exc.msg})") from None


def _check_bytes(path: Path, fields: list[str]) -> None:
    """Encoding, BOM, emptiness and exact header: rules checked before frictionless."""
    where = _rel(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{where}: file not found") from None
    if not raw.strip():
        raise DataError(f"{where}: file is empty (expected a header row: {','.join(fields)})")
    text = bib.decode_utf8(raw, where, DataError)
    import csv
    import io

    header = next(csv.reader(io.StringIO(text)))
    if header != fields:
        missing = [f for f in fields if f not in header]
        extra = [h for h in header if h not in fields]
        if len(header) == 1 and len(fields) > 1 and (";" in header[0] or "\t" in header[0]):
            raise DataError(f"{where}, line 1: header is not comma-separated (found {header[0]!r})")
        if missing:
            raise DataError(f"{where}, line 1, column '{missing[0]}': missing column "
                            f"(expected header: {','.join(fields)})")
        if extra:
            raise DataError(f"{where}, line 1, column '{extra[0]}': unexpected column "
                            f"(expected header: {','.join(fields)})")
        raise DataError(f"{where}, line 1: columns out of order (expected: {','.join(fields)})")


def _frictionless_error(data_dir: Path, task, err) -> str:
    import re

    path = data_dir / task.place if task.place else data_dir
    loc = _rel(path)
    row = getattr(err, "row_number", None)
    field = getattr(err, "field_name", None)
    cell = getattr(err, "cell", None)
    note = err.note
    if not field and err.type == "foreign-key":
        m = re.search(r'for "([^"]+)"', note)
        field = m.group(1) if m else None
    if row:
        loc += f", line {row} (data row {row - 1})"
    if field:
        loc += f", column '{field}'"
    rule = err.type.replace("-", " ")
    if err.type == "type-error":
        m = re.search(r'type is "([a-z]+)', note)
        note = f"value {cell!r} is not a valid {m.group(1) if m else 'value'}"
        if m and m.group(1) == "date":
            note += " (expected an existing date as YYYY-MM-DD)"
    elif err.type == "constraint-error" and cell in (None, "None") and '"required"' in note:
        rule, note = "missing cell", "the row has fewer cells than the header"
    elif err.type == "constraint-error" and cell in (None, "") and '"required"' in note:
        note = "empty, but a value is required"
    elif err.type == "constraint-error":
        note = f"value {cell!r}: {note}"
    elif err.type == "foreign-key":
        note = re.sub(r'^for "[^"]+": ', "", note)
        own = Path(task.place).stem if task.place else ""
        note = note.replace('lookup table ""', f'lookup table "{own}" (same file)')
    elif err.type == "extra-cell":
        note = "the row has more cells than the header"
    elif err.type == "blank-row":
        note = "the row is empty"
    return f"{loc}: {rule}: {note}"


def _check_sources(data_dir: Path, resource: dict, schema: dict, frame: pd.DataFrame) -> None:
    if "source" not in frame.columns:
        return
    known = bib.keys()
    where = _rel(data_dir / resource["path"])
    for i, value in enumerate(frame["source"].tolist()):
        ks = bib.split_keys(value) if isinstance(value, str) else []
        if not ks:
            raise DataError(f"{where}, line {i + 2} (data row {i + 1}), column 'source': "
                            "no source key (every row needs at least one bib key)")
        for k in ks:
            if k not in known:
                raise DataError(f"{where}, line {i + 2} (data row {i + 1}), column 'source': "
                                f"unknown source key '{k}' (not in references.bib)")


def _check_vocabulary(data_dir: Path, desc: dict) -> None:
    """Every value of a column whose schema field names a ``vocabulary`` has a label row in
    ``vocabulary.csv`` (vocabulary, term): a new id without a label fails here, naming the file,
    line and column, not as a raw id on a page."""
    by_name = {r["name"]: r for r in desc["resources"]}
    if "vocabulary" not in by_name:
        return
    vres = by_name["vocabulary"]
    vocab = _read(data_dir, vres, _schema(data_dir, vres))
    known: dict[str, set[str]] = {}
    for v, term in zip(vocab["vocabulary"], vocab["term"]):
        known.setdefault(str(v), set()).add(str(term))
    vwhere = _rel(data_dir / vres["path"])
    for res in desc["resources"]:
        schema = _schema(data_dir, res)
        fields = [f for f in schema["fields"] if f.get("vocabulary")]
        if not fields:
            continue
        frame = _read(data_dir, res, schema)
        where = _rel(data_dir / res["path"])
        for f in fields:
            name, voc = f["name"], f["vocabulary"]
            if voc not in known:
                raise DataError(f"{_rel(data_dir / res['schema'])}, field '{name}': vocabulary "
                                f"'{voc}' has no rows in {vwhere}")
            for i, value in enumerate(frame[name].tolist()):
                if value is None or (not isinstance(value, str) and pd.isna(value)):
                    continue
                term = str(value)
                if term not in known[voc]:
                    raise DataError(f"{where}, line {i + 2} (data row {i + 1}), column '{name}': "
                                    f"'{term}' has no label in {vwhere} (vocabulary '{voc}'; add "
                                    f"a row: {voc},{term},<label_id>,<short_id>,<label_en>,<source>)")


_MARKUP = None


def _check_markup(data_dir: Path, resource: dict, schema: dict, frame: pd.DataFrame) -> None:
    """Text fields hold plain text: an HTML tag (``<script>``, ``<b>``, ``<!--``) is refused.

    A lone ``<`` (``< 5``, ``<5%``) is allowed; tables escape it when rendering.
    """
    import re

    global _MARKUP
    _MARKUP = _MARKUP or re.compile(r"<\s*/?\s*[A-Za-z!?]")
    where = _rel(data_dir / resource["path"])
    for f in schema["fields"]:
        if f.get("type", "string") != "string" or f["name"] not in frame.columns:
            continue
        for i, value in enumerate(frame[f["name"]].tolist()):
            m = _MARKUP.search(value) if isinstance(value, str) else None
            if m:
                tag = value[m.start():m.start() + 20].split(">")[0] + ">"
                raise DataError(f"{where}, line {i + 2} (data row {i + 1}), column '{f['name']}': "
                                f"markup not allowed: HTML tag {tag!r} in a text field "
                                "(data are plain text)")


def _digest(data_dir: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(data_dir.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(data_dir)).encode())
            h.update(p.read_bytes())
    bibp = paths.bib_file()
    if bibp.exists():
        h.update(bibp.read_bytes())
    return h.hexdigest()


#: Files whose content decides whether the data package is valid (besides data/ and the bib).
VALIDATOR_FILES = ("src/netralitas/data.py", "src/netralitas/bib.py", "src/netralitas/paths.py",
                   "requirements.txt")


def tree_digest(root: Path, parts, skip=frozenset({".git", ".venv", "_build", ".cache",
                                                    "__pycache__", ".ipynb_checkpoints",
                                                    ".pytest_cache", "node_modules"})) -> str:
    """One hash over the paths and bytes of every file in ``parts`` (files or folders)."""
    import os

    h = hashlib.sha256()
    for part in parts:
        base = Path(root) / part
        files = [base] if base.is_file() else []
        if base.is_dir():
            for dirpath, dirnames, filenames in os.walk(base):
                dirnames[:] = sorted(d for d in dirnames if d not in skip)
                files.extend(Path(dirpath) / n for n in sorted(filenames))
        for f in files:
            h.update(f.relative_to(root).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


def validation_key(root: Path) -> str:
    """Content hash of everything validation depends on (data/, references.bib, the validator)."""
    h = hashlib.sha256(tree_digest(Path(root), ["data", "references.bib", *VALIDATOR_FILES]).encode())
    h.update(paths.data_dir().as_posix().encode())
    return h.hexdigest()


def validate(data_dir: Path | None = None) -> None:
    """Validate the whole data package; raise :class:`DataError` on the first defect."""
    data_dir = Path(data_dir) if data_dir else paths.data_dir()
    if _validated_by_executor(data_dir):
        return
    _validate_cached(str(data_dir), _digest(data_dir))


def _validated_by_executor(data_dir: Path) -> bool:
    """True when ``netralitas.build.execute`` validated exactly these bytes before starting the kernel.

    The executor validates the package before running any chapter and passes the content hash
    it validated (data/, references.bib, validator code) in ``NETRALITAS_VALIDATED``; a chapter
    then skips the repeat (same bytes, same verdict) and does not import frictionless.
    """
    import os

    stamp = os.environ.get("NETRALITAS_VALIDATED")
    if not stamp or data_dir.resolve() != paths.data_dir().resolve():
        return False
    return stamp == validation_key(paths.root())


@functools.lru_cache(maxsize=4)
def _validate_cached(data_dir_s: str, _digest_value: str) -> None:
    data_dir = Path(data_dir_s)
    desc = _package_descriptor(data_dir)
    for res in desc["resources"]:
        schema = _schema(data_dir, res)
        _check_bytes(data_dir / res["path"], [f["name"] for f in schema["fields"]])
    import frictionless

    with _cwd(data_dir):
        report = frictionless.validate(PACKAGE_FILE)
    for err in report.errors:
        raise DataError(f"{_rel(data_dir / PACKAGE_FILE)}: {err.type}: {err.note}")
    for task in report.tasks:
        for err in task.errors:
            raise DataError(_frictionless_error(data_dir, task, err))
    for res in desc["resources"]:
        schema = _schema(data_dir, res)
        frame = _read(data_dir, res, schema)
        _check_sources(data_dir, res, schema, frame)
        _check_markup(data_dir, res, schema, frame)
    _check_vocabulary(data_dir, desc)


class _cwd:
    def __init__(self, path: Path):
        self.path = path

    def __enter__(self):
        import os

        self.old = os.getcwd()
        os.chdir(self.path)

    def __exit__(self, *exc):
        import os

        os.chdir(self.old)


_DTYPES = {
    "string": "string",
    "integer": "Int64",
    "number": "Float64",
    "boolean": "boolean",
}


def _read(data_dir: Path, resource: dict, schema: dict) -> pd.DataFrame:
    path = data_dir / resource["path"]
    fields = schema["fields"]
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    for f in fields:
        name, ftype = f["name"], f.get("type", "string")
        col = frame[name]
        if ftype == "date":
            frame[name] = pd.to_datetime(col, format="%Y-%m-%d")
        elif ftype == "boolean":
            true = set(f.get("trueValues", ["true", "True", "TRUE", "1"]))
            frame[name] = col.map(lambda v, true=true: pd.NA if pd.isna(v) else v in true).astype("boolean")
        elif ftype in _DTYPES:
            frame[name] = col.astype(_DTYPES[ftype])
        else:
            frame[name] = col.astype("string")
    return frame


def resources(data_dir: Path | None = None) -> list[str]:
    """Names of all resources in the data package, in package order."""
    data_dir = Path(data_dir) if data_dir else paths.data_dir()
    return [r["name"] for r in _package_descriptor(data_dir)["resources"]]


def schema(name: str, data_dir: Path | None = None) -> dict:
    """The Table Schema of resource ``name``."""
    data_dir = Path(data_dir) if data_dir else paths.data_dir()
    return _schema(data_dir, _resource(data_dir, name))


def _resource(data_dir: Path, name: str) -> dict:
    desc = _package_descriptor(data_dir)
    for res in desc["resources"]:
        if res["name"] == name:
            return res
    known = ", ".join(r["name"] for r in desc["resources"])
    raise DataError(f"{_rel(data_dir / PACKAGE_FILE)}: no resource named '{name}' (known: {known})")


def load(name: str, data_dir: Path | None = None) -> pd.DataFrame:
    """Return resource ``name`` as a validated DataFrame with typed columns.

    The whole package is validated first (foreign keys span files); the result is cached per
    content hash, so repeated calls in one kernel cost one read.
    """
    data_dir = Path(data_dir) if data_dir else paths.data_dir()
    validate(data_dir)
    res = _resource(data_dir, name)
    return _read(data_dir, res, _schema(data_dir, res)).copy()


def cli(argv: list[str] | None = None) -> int:
    """``python -m netralitas.data``: validate the package; print one line; exit 1 on a defect."""
    import sys

    try:
        validate()
        bib.parse()
    except (DataError, bib.BibError) as exc:
        print(f"data error: {exc}", file=sys.stderr)
        return 1
    print(f"data ok: {len(resources())} resources valid, sources resolve in references.bib")
    return 0


if __name__ == "__main__":
    raise SystemExit(cli())


def load_all(names=None, data_dir: Path | None = None) -> dict[str, pd.DataFrame]:
    """All (or the named) resources of the data package as validated DataFrames."""
    return {n: load(n, data_dir) for n in (names or resources(data_dir))}
