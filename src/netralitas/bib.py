"""The bibliography: ``references.bib`` parsed with bibtexparser (v2).

``references.bib`` is the single source registry of the book: every datum in ``data/`` names its
sources by bib key. :func:`parse` refuses a file with unparsable blocks, duplicate keys, entries
without a title, ``@online`` entries without ``url``/``urldate``, and entries without a year (an
entry may omit the year only if its ``note`` says "Year unknown").
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

from . import paths
from .text import split_list

__all__ = ["BibError", "Entry", "PAPER_KEYS", "decode_utf8", "parse", "keys", "split_keys",
           "merge_keys", "unidentified", "unconfirmed"]


class BibError(ValueError):
    """A problem in references.bib, reported as one line: file, line, key, rule."""


@dataclass(frozen=True)
class Entry:
    key: str
    entry_type: str
    fields: dict
    line: int


def _line_of(text: str, start: int) -> int:
    return text.count("\n", 0, start) + 1


def decode_utf8(raw: bytes, where: str, error: type[ValueError]) -> str:
    """Decode a file's bytes as UTF-8 without a byte-order mark, or raise ``error`` with one line
    naming ``where`` and the line of the first bad byte (shared by the bib and the data layer)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raise error(f"{where}, line 1: byte-order mark found; save as UTF-8 without BOM")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error(f"{where}, line {line}: not valid UTF-8 ({exc.reason})") from None


def parse(path: Path | None = None) -> dict[str, Entry]:
    """Parse the bib file and return ``{key: Entry}``; raise :class:`BibError` on any defect."""
    path = Path(path) if path else paths.bib_file()
    raw = path.read_bytes()
    return _parse_cached(str(path), hashlib.sha256(raw).hexdigest(), raw)


@functools.lru_cache(maxsize=8)
def _parse_cached(path: str, _digest: str, raw: bytes) -> dict[str, Entry]:
    import bibtexparser
    from bibtexparser.model import DuplicateBlockKeyBlock, ParsingFailedBlock

    name = Path(path).name
    text = decode_utf8(raw, name, BibError)
    library = bibtexparser.parse_string(text)
    for block in library.failed_blocks:
        line = block.start_line + 1 if block.start_line is not None else "?"
        if isinstance(block, DuplicateBlockKeyBlock):
            raise BibError(f"{name}, line {line}, key '{block.key}': duplicate key")
        if isinstance(block, ParsingFailedBlock):
            first = block.raw.strip().splitlines()[0] if block.raw.strip() else ""
            raise BibError(f"{name}, line {line}: unparsable entry ({first[:60]!r})")
        raise BibError(f"{name}, line {line}: unparsable block")
    entries: dict[str, Entry] = {}
    for e in library.entries:
        fields = {f.key.lower(): f.value for f in e.fields}
        line = (e.start_line or 0) + 1
        if "year" not in fields and "date" not in fields:
            note = fields.get("note", "").lower()
            if "year unknown" not in note:
                raise BibError(
                    f"{name}, line {line}, key '{e.key}': entry has no year "
                    "(add year, or say 'Year unknown' in its note)"
                )
        for req in ("title",):
            if req not in fields:
                raise BibError(f"{name}, line {line}, key '{e.key}': entry has no {req}")
        if e.entry_type.lower() == "online" and ("url" not in fields or "urldate" not in fields):
            raise BibError(f"{name}, line {line}, key '{e.key}': @online entry needs url and urldate")
        entries[e.key] = Entry(e.key, e.entry_type.lower(), fields, line)
    return entries


def keys(path: Path | None = None) -> set[str]:
    """All citation keys of the bibliography."""
    return set(parse(path))


def split_keys(value) -> list[str]:
    """Split a ``source`` cell (``key1;key2``) into keys (:func:`netralitas.text.split_list`)."""
    return split_list(value)


def merge_keys(*values) -> str:
    """Union of ``;``-separated key cells, in first-seen order, as one cell (``a;b;c``)."""
    out: list[str] = []
    for v in values:
        if isinstance(v, str):
            out.extend(split_list(v))
    return ";".join(dict.fromkeys(out))


#: The paper itself (its own bib key): a source that is not independent of the paper.
PAPER_KEYS = frozenset({"ansyari2026netralitas"})


def unconfirmed(entries: dict | None = None) -> frozenset:
    """The keys of public sources this book cites but whose record is not in its fact list
    (``factbase = {no}`` in the bib file): not confirmed here, so never independent support."""
    entries = parse() if entries is None else entries
    return frozenset(k for k, e in entries.items()
                     if str(e.fields.get("factbase", "")).strip().lower() == "no")


def unidentified(keys, entries: dict | None = None) -> list[str]:
    """The keys whose bib ``note`` says the work could not be identified, or only by inference
    (the rule chapter B and the citation audit use to call a cited work uncertain)."""
    import re

    entries = parse() if entries is None else entries
    return [k for k in keys
            if re.search(r"identif|inferred", entries[k].fields.get("note", ""), re.I)]
