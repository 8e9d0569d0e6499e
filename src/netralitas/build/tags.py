"""Cell tags of the chapters, set by one deterministic rule (quiet pages).

A reader came for the argument, not for the code that computes it. Every chapter therefore
follows one rule, applied by ``python -m netralitas.build.tags`` (run by ``make book`` before
and after execution) and checked by ``tests/test_tags.py``:

- a code cell whose stored outputs include a glued **figure** (an image) or a glued **table**
  (MyST ``list-table``/``table``/``csv-table`` directive) gets ``hide-input``: its code stays in
  the page, folded behind the theme's "show code" toggle;
- every other code cell only sets up (imports, loads, ``nt.nb.setup()``) or only glues values
  for the text: it gets ``remove-cell`` and disappears from the page;
- a cell that shows something itself (a visible output, a stream, an error) gets neither tag.

Only these two tags are managed; other tags are kept in their order. A cell that has not been
executed yet (no execution count) keeps its tags until it has outputs to judge. Only cell
metadata changes, never sources or outputs, so the executor does not re-run a chapter for it and
the downloadable notebook keeps every cell.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from .. import paths

__all__ = ["glued_kinds", "rule", "judged", "expected_tags", "apply", "disagreements", "tag_file",
           "main"]

MANAGED = ("remove-cell", "hide-input")
_RECORD = "application/papermill.record/"
_TABLE = re.compile(r"^\s*(:{3,}|`{3,})\{(list-table|table|csv-table)\}", re.M)


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value or "")


def _source(cell) -> str:
    return _text(cell.get("source", ""))


def glued_kinds(cell) -> set[str]:
    """What a code cell's outputs hold: ``figure``, ``table``, ``value`` (glued only) or
    ``visible`` (something the cell itself shows)."""
    kinds: set[str] = set()
    for out in cell.get("outputs", []):
        if out.get("output_type") in ("stream", "error"):
            kinds.add("visible")
            continue
        data = out.get("data", {})
        glued = [k[len(_RECORD):] for k in data if k.startswith(_RECORD)]
        if not glued:
            kinds.add("visible")
        elif any(k.startswith("image/") for k in glued):
            kinds.add("figure")
        elif "text/markdown" in glued and _TABLE.search(_text(data[_RECORD + "text/markdown"])):
            kinds.add("table")
        else:
            kinds.add("value")
    return kinds


def rule(cell) -> str | None:
    """The managed tag a code cell should carry (None: neither tag)."""
    kinds = glued_kinds(cell)
    if "visible" in kinds:
        return None
    if kinds & {"figure", "table"}:
        return "hide-input"
    return "remove-cell"


def judged(cell) -> bool:
    """A code cell the rule can judge: executed, with some source."""
    return (cell.get("cell_type") == "code" and _source(cell).strip() != ""
            and cell.get("execution_count") is not None)


def expected_tags(cell) -> list[str]:
    """The cell's tags after the rule: unmanaged tags kept in order, the managed one appended."""
    tags = list(cell.get("metadata", {}).get("tags", []))
    if not judged(cell):
        return tags
    keep = [t for t in tags if t not in MANAGED]
    want = rule(cell)
    return keep + ([want] if want else [])


def apply(nb: dict) -> bool:
    """Set the tags of every judged cell of ``nb`` (a notebook as a dict); True if any changed."""
    changed = False
    for cell in nb.get("cells", []):
        if not judged(cell):
            continue
        want = expected_tags(cell)
        md = cell.setdefault("metadata", {})
        if md.get("tags", []) != want:
            changed = True
            if want:
                md["tags"] = want
            else:
                md.pop("tags", None)
    return changed


def disagreements(nb: dict) -> list[tuple[int, list[str], list[str]]]:
    """(cell index, tags found, tags the rule wants) for every cell that disagrees."""
    out = []
    for i, cell in enumerate(nb.get("cells", [])):
        if judged(cell):
            have = list(cell.get("metadata", {}).get("tags", []))
            want = expected_tags(cell)
            if have != want:
                out.append((i, have, want))
    return out


def _dump(nb: dict) -> str:
    # the layout nbformat writes (indent 1, non-ASCII kept, trailing newline)
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def tag_file(path: Path, check: bool = False) -> bool:
    """Apply the rule to one notebook file in place; True if it changed (or would change)."""
    text = Path(path).read_text(encoding="utf-8")
    nb = json.loads(text)
    if not apply(nb):
        return False
    if not check:
        Path(path).write_text(_dump(nb), encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m netralitas.build.tags", description=__doc__.split("\n")[0])
    ap.add_argument("notebooks", nargs="*", type=Path, help="default: book/*.ipynb")
    ap.add_argument("--check", action="store_true", help="exit 1 if a notebook's tags disagree")
    args = ap.parse_args(argv)
    files = args.notebooks or sorted((paths.root() / "book").glob("*.ipynb"))
    changed = [p for p in files if tag_file(p, check=args.check)]
    for p in changed:
        print(f"tags: {'disagree' if args.check else 'updated'}: {p}")
    return 1 if (args.check and changed) else 0


if __name__ == "__main__":
    raise SystemExit(main())
