"""The bibliography parses cleanly, and defects are reported with file, line and key."""

from __future__ import annotations

import pytest

from netralitas import bib, data, paths
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


def test_factbase_marks_match_the_fact_list():
    """An online source whose address is not in the project's fact list carries
    ``factbase = {no}`` (so evidence resting on it alone is 'unconfirmed'), and only such a
    source does. Needs the fact list beside the checkout (../shared/facts)."""
    facts_file = paths.root().parent / "shared" / "facts" / "public-facts.md"
    if not facts_file.exists():
        pytest.skip("the fact list is not beside this checkout")
    facts = facts_file.read_text(encoding="utf-8")
    entries = bib.parse()
    outside = set()
    for key, e in entries.items():
        url = str(e.fields.get("url", "")).replace("\\_", "_")
        if url and url not in facts and url.split("?")[0] not in facts and url.rstrip("/") not in facts:
            outside.add(key)
    assert outside == set(bib.unconfirmed(entries))
