"""Privacy guard: no personal name of a non-public informant or civil servant in the book.

Informants are coded (ASN-01, …) and civil servants who are not elected or appointed heads of
government are named by position only. This test fails when a guarded name appears in
``data/``, ``book/``, ``references.bib`` or the built HTML (``_build/html``, when present).

The guarded names are stored only as salted hashes: ``sha256(SALT + token)`` of a lower-cased
word or of two consecutive words joined by one space; every word and word pair of every scanned
file is hashed and compared. To guard another name without writing it into the repository, run
``python tests/test_privacy.py --hash "<name>"`` and add the printed hashes to ``GUARDED``.

Guarded now: the interviewed ASN whom the paper names (D.4), the only civil servant named in
the paper or in the public-facts notes (these use position titles; the one person named in the
paper's prose besides authors is the acting mayor, a public office-holder, who may be named).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SALT = "netralitas-privacy-guard-v1:"
GUARDED = {
    # interviewed ASN named in the paper (coded ASN-02 in data/informants.csv)
    "5cdeb7a656ce1395a0b7a0a4b352af7a2b0d27da7a3f4076d2093050fb46d173",
}
WORD = re.compile(r"[^\W\d_]+")
TEXT_SUFFIXES = {".csv", ".json", ".md", ".ipynb", ".bib", ".html", ".txt", ".yml", ".js", ".cfg"}


def salted(token: str) -> str:
    return hashlib.sha256((SALT + token.lower()).encode("utf-8")).hexdigest()


def tokens(text: str):
    """Every lower-cased word and every pair of consecutive words of ``text``."""
    words = WORD.findall(text.lower())
    yield from words
    for a, b in zip(words, words[1:]):
        yield f"{a} {b}"


def _notebook_text(raw: str) -> str:
    """Notebook text without embedded images (base64 is not prose, and could match by chance)."""
    nb = json.loads(raw)
    parts = []
    for cell in nb.get("cells", []):
        parts.append("".join(cell.get("source", "")))
        for out in cell.get("outputs", []):
            parts.append("".join(out.get("text", "")))
            for mime, value in out.get("data", {}).items():
                if not mime.startswith("image/"):
                    parts.append(value if isinstance(value, str) else json.dumps(value))
    return "\n".join(parts)


def scan(paths, guarded=GUARDED) -> list[str]:
    """``file:line: guarded name (hash …)`` for every hit; the name itself is never printed."""
    hits = []
    for path in paths:
        raw = path.read_text(encoding="utf-8", errors="replace")
        text = _notebook_text(raw) if path.suffix == ".ipynb" else raw
        for n, line in enumerate(text.splitlines(), 1):
            for tok in tokens(line):
                h = salted(tok)
                if h in guarded:
                    hits.append(f"{path}:{n}: guarded name (hash {h[:12]}…)")
        # a name split across a line break
        flat = " ".join(text.split())
        for tok in tokens(flat):
            h = salted(tok)
            if h in guarded and not any(f"hash {h[:12]}" in x and str(path) in x for x in hits):
                hits.append(f"{path}: guarded name across lines (hash {h[:12]}…)")
    return hits


def _files(base: Path, skip=("_static",)):
    if base.is_file():
        return [base]
    return sorted(p for p in base.rglob("*") if p.is_file() and p.suffix in TEXT_SUFFIXES
                  and not any(s in p.parts for s in skip) and ".ipynb_checkpoints" not in p.parts)


def test_guarded_names_are_stored_as_hashes_only():
    assert GUARDED and all(re.fullmatch(r"[0-9a-f]{64}", h) for h in GUARDED)


def test_no_guarded_name_in_data_book_or_bibliography():
    files = _files(ROOT / "data") + _files(ROOT / "book") + _files(ROOT / "references.bib")
    assert len(files) > 10
    hits = scan(files)
    assert not hits, "personal names of non-public people found:\n" + "\n".join(hits)


def test_no_guarded_name_in_built_html():
    html = ROOT / "_build" / "html"
    if not (html / "index.html").exists():
        pytest.skip("no built book (_build/html); `make test` builds it and re-runs this check")
    files = _files(html)  # pages, page sources and the search index (not theme assets)
    assert any(p.name == "searchindex.js" for p in files)
    hits = scan(files)
    assert not hits, "personal names of non-public people in the built HTML:\n" + "\n".join(hits)


def test_non_public_informants_have_no_name():
    """data/informants.csv: a name is allowed only for public office-holders."""
    from netralitas import data

    if "informants" not in data.resources():
        pytest.skip("no informants table")
    inf = data.load("informants")
    if "name" not in inf.columns:
        return
    named = inf[inf["name"].notna() & (inf["name"].str.strip() != "")]
    assert named["public_figure"].all(), named["informant_id"].tolist()


def test_the_guard_finds_a_planted_name_in_words_pairs_and_notebooks(tmp_path):
    fake = {salted("zqxwvy"), salted("budi zqxw")}
    (tmp_path / "a.md").write_text("Kata Pak Zqxwvy, ASN kota.\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("id,note\n1,wawancara dengan Budi\n2,ZQXW soal mutasi\n")
    nb = {"cells": [{"cell_type": "markdown", "source": ["nama: zqxwvy-asn"]},
                    {"cell_type": "code", "source": "", "outputs": [
                        {"output_type": "display_data", "data": {"image/png": "zqxwvy"}}]}]}
    (tmp_path / "c.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    (tmp_path / "d.md").write_text("Nama samaran lain, bukan yang dijaga.\n")
    hits = scan(sorted(tmp_path.iterdir()), fake)
    assert [h.split(":")[0].rsplit("/", 1)[-1] for h in hits] == ["a.md", "b.csv", "c.ipynb"]
    assert all("zqxw" not in h.lower() for h in hits), "a hit must not print the name"


if __name__ == "__main__":  # python tests/test_privacy.py --hash "<name>"
    if len(sys.argv) == 3 and sys.argv[1] == "--hash":
        for tok in dict.fromkeys(tokens(sys.argv[2])):
            print(salted(tok), "# one word" if " " not in tok else "# word pair")
    else:
        print(__doc__)
