"""Citation audits: the paper's citations against its reference list, and the book's own."""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from pathlib import Path

import pandas as pd

from . import bib, vocab

__all__ = ["first_author", "author_count", "check_paper_citations", "book_cite_keys", "data_keys",
           "check_book_citations", "book_citation_summary", "keys_markdown", "finding_names",
           "fit_summary"]


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
    bibliographic record in ``entries``), ``no_year``, ``order`` (list not alphabetical),
    ``source_fit`` (the citation's ``fit`` column judges that the cited work does not fit the
    sentence it supports; ``detail`` is its ``fit_note``) and ``record_conflict`` (the
    bibliographic record contradicts itself: a printed volume that the DOI's ``vNiM`` does not
    match). Matching by author and year says nothing about fit; ``source_fit`` does.
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
    if "fit" in cits.columns:
        for _, c in cits[cits["fit"] == "mismatch"].iterrows():
            add("source_fit", c["citation_id"], c["author_text"], c["_y"],
                str(c.get("fit_note", "")) if not pd.isna(c.get("fit_note")) else "")
    if entries is not None:
        for _, r in refs.drop_duplicates("bib_key").iterrows():
            e = entries.get(r["bib_key"]) if isinstance(r["bib_key"], str) else None
            if e is None:
                continue
            volume = str(e.fields.get("volume", "")).strip()
            m = re.search(r"\.v(\d+)i(\d+)", e.fields.get("doi", ""))
            if volume and m and m.group(1) != volume:
                add("record_conflict", r["ref_id"], r["author_text"], r["_y"],
                    f"volume tercetak {volume}, DOI menyebut volume {m.group(1)} nomor "
                    f"{m.group(2)}")
    order = refs.sort_values("position") if "position" in refs.columns else refs
    for i in _out_of_order([_fold(a) for a in order["author_text"]]):
        r = order.iloc[i]
        add("order", r["ref_id"], r["author_text"], r["_y"], "di luar urutan alfabetis")
    out = pd.DataFrame(findings, columns=["kind", "item", "author_text", "year", "detail"])
    return out.sort_values(["kind", "item"], kind="stable").reset_index(drop=True)


def fit_summary(citations: pd.DataFrame) -> dict:
    """Counts of the ``fit`` judgements of the paper's citations (vocabulary ``citation_fit``),
    every term listed (zeros included)."""
    counts = citations["fit"].value_counts()
    return {t: int(counts.get(t, 0)) for t in vocab.terms("citation_fit")}


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




def book_citation_summary(book: pd.DataFrame) -> pd.DataFrame:
    """Entries per status of :func:`check_book_citations` (every status, zeros included, in
    ``book_citation_status`` vocabulary order): ``Status`` (Indonesian) and ``Jumlah kunci``."""
    counts = book["status"].value_counts()
    return pd.DataFrame({
        "Status": list(vocab.labels("book_citation_status").values()),
        "Jumlah kunci": [int(counts.get(k, 0)) for k in vocab.terms("book_citation_status")],
    })


def keys_markdown(book: pd.DataFrame, status: str) -> str:
    """The keys with ``status`` as a compact, wrappable Markdown list (``a``, ``b``, …) or ``–``."""
    keys = sorted(book.loc[book["status"] == status, "key"])
    return ", ".join(f"`{k}`" for k in keys) or "–"


def finding_names(findings: pd.DataFrame, kind: str, with_year: bool = True) -> list[str]:
    """The distinct works among the :func:`check_paper_citations` findings of ``kind``, as the
    paper prints them: ``author (year)``, or the author alone when ``with_year`` is false or the
    citation has no year; in the findings' order, one entry per author and year."""
    rows = findings[findings["kind"] == kind].drop_duplicates(["author_text", "year"])
    return [f"{r.author_text} ({r.year})" if with_year and r.year else str(r.author_text)
            for r in rows.itertuples()]
