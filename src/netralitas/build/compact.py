"""Sphinx extension: compact source columns in the book's tables (numbered citations).

A table's "Sumber" column held author–year citations such as "(Ansyari dan Fernanda 2026;
iNews Bangka Belitung 2024)", which wrapped one word per line in a narrow column. After the
citations are resolved, each such cell shows numbers instead, "[1, 2]": every number is still a
link to the bibliography entry with the full reference as its hover title, and a line under the
table ("Sumber tabel: [1] Ansyari dan Fernanda 2026; [2] …") gives each number its author–year
label, so print, PDF and readers without a mouse keep the key. Numbers follow the order of first
appearance within the table. The citation's element and its id stay (back-links still land).
Only columns whose header is in :data:`SOURCE_HEADERS` change; HTML builds only.
"""

from __future__ import annotations

from docutils import nodes

__all__ = ["compact_table", "legend", "setup"]

SOURCE_HEADERS = ("Sumber",)
SHORT_CHARS = 20  # a cell this short should not wrap
LINE_CHARS = 86  # characters of table text across the text column at 1280 px
PAD_CHARS = 2  # cell padding, in characters
NOWRAP_CHARS = 20  # a multi-word cell this short never wraps (class nt-short)
WIDE = 1.36  # a wide table (class nt-wide) spans the text column and the right margin (CSS)


def _header_cells(table: nodes.table) -> list[str]:
    thead = next(iter(table.findall(nodes.thead)), None)
    if thead is None:
        return []
    row = next(iter(thead.findall(nodes.row)), None)
    return [e.astext().strip() for e in row.children] if row is not None else []


def _key(ref: nodes.reference) -> str:
    return ref.get("refuri") or ("#" + ref.get("refid", ""))


def compact_table(table: nodes.table) -> list[nodes.reference]:
    """Number the citations of the table's source column in place; the cited works in order."""
    headers = _header_cells(table)
    cols = [i for i, h in enumerate(headers) if h in SOURCE_HEADERS]
    if not cols:
        return []
    numbers: dict[str, int] = {}
    works: list[nodes.reference] = []
    tbody = next(iter(table.findall(nodes.tbody)), None)
    for row in (tbody.findall(nodes.row) if tbody is not None else []):
        for col in cols:
            if col >= len(row.children):
                continue
            for cite in list(row.children[col].findall(
                    lambda n: isinstance(n, nodes.inline) and "bibtex-citation" in n["classes"])):
                refs = list(cite.findall(nodes.reference))
                if not refs:
                    continue
                parts: list[nodes.Node] = [nodes.Text("[")]
                for i, ref in enumerate(refs):
                    key = _key(ref)
                    if key not in numbers:
                        numbers[key] = len(works) + 1
                        works.append(ref.deepcopy())
                    num = ref.deepcopy()
                    num.children = []
                    num += nodes.Text(str(numbers[key]))
                    num["classes"] = [*num.get("classes", []), "nt-cite-number"]
                    if i:
                        parts.append(nodes.Text(", "))
                    parts.append(num)
                parts.append(nodes.Text("]"))
                cite.children = []
                cite.extend(parts)
                cite["classes"].append("nt-cite-compact")
    return works


def _fit(table: nodes.table, cols: list[int]) -> None:
    """Column widths that keep short cells on one line.

    The widths the chapters give (``:widths:``) are kept as proportions, but no column gets less
    than its longest short cell (up to :data:`SHORT_CHARS` characters, such as "Pilkada 2020" or
    "KASN, nasional") or its longest word (header included) needs, measured in characters of a
    text column about :data:`LINE_CHARS` characters wide; the compact source columns get just
    what they need.
    A table whose columns need more than the text column is *wide* (class ``nt-wide``): on a
    screen with a right margin it spans the text column and the margin, :data:`WIDE` times the
    text column (``_static/netralitas.css``), and its columns are measured against that width.
    A literal longer than :data:`SHORT_CHARS` in a cell with other words (a pattern after
    "wajib; pola") gets class ``nt-break-all``: it breaks anywhere instead of starting a line of
    its own.
    The other columns give up the difference in proportion to their slack; if the short cells
    alone need more than the whole width, every column shrinks in proportion.
    """
    specs = list(table.findall(nodes.colspec))
    headers = _header_cells(table)
    if len(specs) != len(headers):
        return
    widths = [float(s.get("colwidth", 1)) for s in specs]
    total = sum(widths)
    widths = [100 * w / total for w in widths]
    need = [100 * (max(map(len, h.split()), default=0) + PAD_CHARS) / LINE_CHARS for h in headers]
    tbody = next(iter(table.findall(nodes.tbody)), None)
    for row in (tbody.findall(nodes.row) if tbody is not None else []):
        for i, entry in enumerate(row.children[:len(specs)]):
            text = " ".join(entry.astext().split())
            longest = len(text) if len(text) <= SHORT_CHARS else max(map(len, text.split()))
            if len(text) <= NOWRAP_CHARS and " " in text:
                entry["classes"].append("nt-short")  # kept on one line (CSS)
            for lit in entry.findall(nodes.literal):
                if len(lit.astext()) > SHORT_CHARS and " " in text:
                    lit["classes"].append("nt-break-all")  # breaks anywhere (CSS)
            need[i] = max(need[i], 100 * (longest + PAD_CHARS) / LINE_CHARS)
    if sum(need) > 100:  # the text column cannot give every column what it needs
        table["classes"].append("nt-wide")
        need = [n / WIDE for n in need]
    for i in cols:
        widths[i] = need[i]
    want = [max(w, n) for w, n in zip(widths, need)]
    extra = sum(want) - 100
    slack = [max(0.0, w - n) for w, n in zip(want, need)]
    if extra > 0 and sum(slack) > 0:
        cut = min(1.0, extra / sum(slack))
        want = [w - s * cut for w, s in zip(want, slack)]
    want = [100 * w / sum(want) for w in want]  # never wider than the text column
    for s, w in zip(specs, want):
        s["colwidth"] = round(w, 2)


def legend(works: list[nodes.reference]) -> nodes.paragraph:
    para = nodes.paragraph(classes=["nt-table-sources"])
    para += nodes.Text("Sumber tabel: ")
    for n, ref in enumerate(works, 1):
        if n > 1:
            para += nodes.Text("; ")
        para += nodes.Text(f"[{n}] ")
        para += ref
    return para


def _resolved(app, doctree, docname):
    if app.builder.format != "html":
        return
    for table in list(doctree.findall(nodes.table)):
        works = compact_table(table)
        headers = _header_cells(table)
        _fit(table, [i for i, h in enumerate(headers) if h in SOURCE_HEADERS and works])
        if works:
            parent = table.parent
            parent.insert(parent.index(table) + 1, legend(works))


def setup(app):
    app.connect("doctree-resolved", _resolved)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
