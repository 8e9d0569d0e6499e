"""The bibliography parses cleanly, and defects are reported with file, line and key."""

from __future__ import annotations

import pytest

from netralitas import bib, data
from netralitas.bib import BibError


def test_real_bib_parses_and_every_data_source_resolves():
    entries = bib.parse()
    assert "ansyari2026netralitas" in entries
    known = set(entries)
    for name in data.resources():
        for value in data.load(name)["source"]:
            assert set(bib.split_keys(value)) <= known


def test_online_entries_have_url_and_urldate():
    for e in bib.parse().values():
        if e.entry_type == "online":
            assert e.fields["url"].startswith("http") and e.fields["urldate"]


def _write(tmp_path, text):
    p = tmp_path / "refs.bib"
    p.write_text(text, encoding="utf-8")
    return p


GOOD = "@article{a1,\n  title = {T},\n  author = {X, Y},\n  year = {2020}\n}\n"


def test_duplicate_key(tmp_path):
    p = _write(tmp_path, GOOD + "\n" + GOOD)
    with pytest.raises(BibError, match=r"refs.bib, line 7, key 'a1': duplicate key"):
        bib.parse(p)


def test_unparsable_entry(tmp_path):
    p = _write(tmp_path, GOOD + "\n@article{broken,\n  title = {T\n")
    with pytest.raises(BibError, match="unparsable"):
        bib.parse(p)


def test_entry_without_year(tmp_path):
    p = _write(tmp_path, "@book{b1,\n  title = {T},\n  author = {X}\n}\n")
    with pytest.raises(BibError, match=r"line 1, key 'b1': entry has no year"):
        bib.parse(p)


def test_online_without_urldate(tmp_path):
    p = _write(tmp_path, "@online{o1,\n  title = {T},\n  year = {2024},\n  url = {https://x.org}\n}\n")
    with pytest.raises(BibError, match="needs url and urldate"):
        bib.parse(p)
