"""README's list of tables and figures, generated from ``data/manifest.csv``.

``python -m netralitas.build.readme`` rewrites the block between the markers
``<!-- manifest:start -->`` and ``<!-- manifest:end -->`` in README.md (``make book`` runs it);
``--check`` exits 1, naming the first differing line, when README and the manifest disagree
(``make test`` runs it through tests/test_readme.py). The manifest is the single list: a title is
changed there, never in README.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import data, paths
from ..manifest import readme_table, toc_pages

__all__ = ["START", "END", "expected_block", "current_block", "main"]

START, END = "<!-- manifest:start -->", "<!-- manifest:end -->"


def expected_block(root: Path) -> str:
    """The generated block (markers included)."""
    table = readme_table(data.load("manifest", root / "data"), toc_pages(root))
    note = ("Generated from `data/manifest.csv` by `python -m netralitas.build.readme` "
            "(`make book` runs it); edit the manifest, not this table.")
    return f"{START}\n{note}\n\n{table}{END}"


def current_block(text: str, where: str = "README.md") -> tuple[int, int]:
    """Start and end offsets of the marked block in ``text``; ValueError naming what is missing."""
    s, e = text.find(START), text.find(END)
    if s < 0 or e < 0 or e < s:
        raise ValueError(f"{where}: markers {START} … {END} not found (the generated list of "
                         "tables and figures goes between them)")
    return s, e + len(END)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if README differs from the manifest")
    args = ap.parse_args(argv)
    root = paths.root()
    readme = root / "README.md"
    text = readme.read_text(encoding="utf-8")
    try:
        s, e = current_block(text)
    except ValueError as exc:
        print(f"readme: {exc}", file=sys.stderr)
        return 1
    want = expected_block(root)
    if text[s:e] == want:
        return 0
    if args.check:
        have = text[s:e].splitlines()
        for i, (a, b) in enumerate(zip(have + [""] * len(want.splitlines()), want.splitlines())):
            if a != b:
                print(f"readme: README.md differs from data/manifest.csv in the list of tables "
                      f"and figures (line {i + 1} of the block): has {a!r}, manifest gives {b!r}; "
                      "run `python -m netralitas.build.readme`", file=sys.stderr)
                break
        return 1
    readme.write_text(text[:s] + want + text[e:], encoding="utf-8")
    print("readme: list of tables and figures regenerated from data/manifest.csv")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
