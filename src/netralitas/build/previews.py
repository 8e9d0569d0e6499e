"""Sphinx extension ``netralitas.build.previews``: hover (or tap) previews, served from the site.

Hovering, focusing or tapping a link in a chapter shows what it points to, in place:

- a citation (``{cite}`` author–year links and the numbered ones ``compact.py`` makes in source
  columns): the bibliography entry;
- a reference to a table or figure (``{numref}``/``{ref}``): its number and caption (a table also
  its size and columns, a figure a thumbnail);
- a link to a chapter or section: its title and the start of its first paragraph;
- an evidence code (``Q01``, ``V1``, ``M2023-12``, ``P02``, codebook codes ``M1``/``F1``/``T1``,
  ``EP1``, ``B02``, ``C01``, ``ASN-01`` …): the row that defines it.

Evidence codes become links at build time, in one place (here): a table column that holds one
code in every row, none repeated (the first column, or another such as the evidence items'
"Bukti"), is the home of those codes (the first such row in reading order; the row gets the id
``kode-<code>``); cases (``V…``), which Tabel 1 of the paper shows without their
ids, are homed by :data:`DATA_HOMES` (the row whose cell equals the case's field in
``data/violations.csv``). Every other plain-text occurrence of a homed code in any page becomes
a link to its row (never inside a link, code, a title or the home cell itself). Notebooks are
not touched.

When the HTML build finishes, every page gets one ``<script type="application/json"
id="nt-previews">`` with the preview of each link target it has (only those; escaped HTML
without ids or links); ``_static/netralitas-previews.js`` attaches tippy.js to those links.
tippy.js and Popper are vendored under ``_static/vendor`` (``tools/vendor_tippy.sh``): the site
makes no third-party request. Outputs are deterministic (sorted keys, no random file names).
"""

from __future__ import annotations

import csv
import html as htmlmod
import json
import posixpath
import re
from pathlib import Path

from docutils import nodes

__all__ = ["CODE", "DATA_HOMES", "code_homes", "link_codes", "previews_for_site", "setup"]

# A code: capitals then digits ("Q01", "M1", "EP1", "B02"), optionally "-digits" ("M2023-12",
# "R1-1"), or capitals "-" digits ("ASN-01", "BAWASLU-01").
CODE = re.compile(r"[A-Z]{1,8}(?:\d{1,4}(?:-\d{1,2})?|-\d{2})(?![\w-])")
ANCHOR = "kode-"
# Codes whose table shows no id column: (data file, id column, field, table label, table header)
# — the row of the table whose cell under the header equals the field of the record.
DATA_HOMES = [("violations.csv", "case_id", "position", "tbl-d1-tabel1", "Pejabat/Terduga")]
SOURCE_HEADERS = ("Sumber",)
SCRIPT_ID = "nt-previews"
TEXT_CHARS = 320  # a paragraph or a caption in a preview is cut here
CELL_CHARS = 220
_SKIP = (nodes.reference, nodes.literal, nodes.FixedTextElement, nodes.title, nodes.raw,
         nodes.target, nodes.comment, nodes.substitution_definition)


# --- codes: homes (read time) and links (resolve time) -------------------------------------


def _headers(table: nodes.table) -> list[str]:
    thead = next(iter(table.findall(nodes.thead)), None)
    row = next(iter(thead.findall(nodes.row)), None) if thead is not None else None
    return [e.astext().strip() for e in row.children] if row is not None else []


def _body_rows(table: nodes.table) -> list[nodes.row]:
    tbody = next(iter(table.findall(nodes.tbody)), None)
    return list(tbody.findall(nodes.row)) if tbody is not None else []


def _leading_code(text: str, single: bool = False) -> str | None:
    """The code a cell starts with; with ``single``, not the first of a list ("M1; M3")."""
    m = CODE.match(text.strip())
    if not m or single and re.match(r"\s*[;,]", text.strip()[m.end():]):
        return None
    return m.group(0)


def code_homes(doctree: nodes.Node, data_dir: Path | None = None) -> dict[str, str]:
    """Give the home row of each code in ``doctree`` its id; returns ``{code: id}``.

    A column is an id column when every body cell of it starts with a code and no code repeats
    (a column after the first must hold one code per cell, not a list); its rows are the homes
    of those codes, first columns before the others, tables in document order, the first home
    of a code winning. A row is the home of one code at most (one id). For the
    :data:`DATA_HOMES` tables the row is found through the data file. The home cell is marked
    (``nt_home``) so that its own code is not linked to itself.
    """
    homes: dict[str, str] = {}

    def mark(row: nodes.row, cell: nodes.entry | None, code: str) -> None:
        taken = [i for i in row["ids"] if i.startswith(ANCHOR)]
        if code in homes or taken and taken != [ANCHOR + code]:
            return
        if not taken:
            row["ids"].append(ANCHOR + code)
        homes[code] = ANCHOR + code
        if cell is not None:
            cell["nt_home"] = code

    tables = list(doctree.findall(nodes.table))
    for first in (True, False):
        for table in tables:
            rows = _body_rows(table)
            width = min((len(r.children) for r in rows), default=0)
            for col in ([0] if first else range(1, width)) if width else []:
                codes = [_leading_code(r.children[col].astext(), single=not first) for r in rows]
                if all(codes) and len(set(codes)) == len(codes):
                    for row, code in zip(rows, codes):
                        mark(row, row.children[col], code)
    for table in tables:
        for file, id_col, field, label, header in DATA_HOMES:
            if label not in table["ids"] or data_dir is None or not (data_dir / file).is_file():
                continue
            heads = _headers(table)
            if header not in heads:
                continue
            col = heads.index(header)
            with (data_dir / file).open(encoding="utf-8", newline="") as f:
                records = list(csv.DictReader(f))
            for row in _body_rows(table):
                cell = row.children[col].astext().strip() if col < len(row.children) else ""
                for rec in records:
                    if rec.get(field, "").strip() == cell and rec.get(id_col):
                        mark(row, None, rec[id_col])
    return homes


def _home_of(node: nodes.Node) -> str | None:
    """The code whose home cell ``node`` is in, if any."""
    while node is not None and not isinstance(node, nodes.entry):
        node = node.parent
    return node.get("nt_home") if node is not None else None


def link_codes(doctree: nodes.Node, targets: dict[str, str]) -> int:
    """Turn plain-text codes in ``doctree`` into links (``targets``: code -> URI); count them."""
    if not targets:
        return 0
    pattern = re.compile(r"(?<![\w-])(" + "|".join(
        re.escape(c) for c in sorted(targets, key=lambda c: (-len(c), c))) + r")(?![\w-])")
    made = 0
    for text in list(doctree.findall(nodes.Text)):
        parent = text.parent
        if parent is None or not pattern.search(text.astext()):
            continue
        anc, skip = parent, False
        while anc is not None:
            if isinstance(anc, _SKIP):
                skip = True
                break
            anc = anc.parent
        if skip:
            continue
        own = _home_of(parent)
        parts: list[nodes.Node] = []
        pos, value = 0, text.astext()
        for m in pattern.finditer(value):
            if m.group(1) == own:  # the code's own cell: not a link to itself
                continue
            if m.start() > pos:
                parts.append(nodes.Text(value[pos:m.start()]))
            ref = nodes.reference(m.group(1), m.group(1), internal=True,
                                  refuri=targets[m.group(1)], classes=["nt-code-ref"])
            parts.append(ref)
            pos = m.end()
            made += 1
        if pos < len(value):
            parts.append(nodes.Text(value[pos:]))
        index = parent.index(text)
        parent.remove(text)
        for offset, part in enumerate(parts):
            parent.insert(index + offset, part)
    return made


def _read(app, doctree):
    homes = code_homes(doctree, Path(app.srcdir) / "data")
    store = getattr(app.env, "nt_code_homes", {})
    store[app.env.docname] = homes
    app.env.nt_code_homes = store


def _purge(app, env, docname):
    getattr(env, "nt_code_homes", {}).pop(docname, None)


def _merge(app, env, docnames, other):
    store = getattr(env, "nt_code_homes", {})
    store.update({d: h for d, h in getattr(other, "nt_code_homes", {}).items() if d in docnames})
    env.nt_code_homes = store


def _reading_order(app) -> list[str]:
    from ..manifest import toc_pages

    env = app.env
    try:
        order = toc_pages(Path(app.srcdir))
    except (OSError, KeyError, TypeError):
        order = []
    return order + sorted(set(env.all_docs) - set(order))


def _merged(app) -> dict[str, tuple[str, str]]:
    """code -> (docname, anchor): the first home in reading order."""
    store = getattr(app.env, "nt_code_homes", {})
    out: dict[str, tuple[str, str]] = {}
    for doc in _reading_order(app):
        for code, anchor in sorted(store.get(doc, {}).items()):
            out.setdefault(code, (doc, anchor))
    return out


def _updated(app, env):
    """When a code's home moved, every page is written again (its links point there)."""
    merged = _merged(app)
    old = getattr(env, "nt_code_links", None)
    env.nt_code_links = merged
    if old is not None and old != merged:
        return sorted(env.all_docs)
    return []


def _resolved(app, doctree, docname):
    if app.builder.format != "html":
        return
    homes = getattr(app.env, "nt_code_links", None) or _merged(app)
    own = getattr(app.env, "nt_code_homes", {}).get(docname, {})
    targets = {code: f"#{anchor}" for code, anchor in own.items()}  # a home in the page first
    for code, (doc, anchor) in homes.items():
        if code not in targets:
            uri = app.builder.get_relative_uri(docname, doc) if doc != docname else ""
            targets[code] = f"{uri}#{anchor}"
    link_codes(doctree, targets)


# --- previews (after the HTML build) ---------------------------------------------------------


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:.") + " …"


def _esc(text: str) -> str:
    return htmlmod.escape(text, quote=False)


def _text(tag) -> str:
    """The text of ``tag`` with its paragraphs (or list items) joined by one space."""
    if tag is None:
        return ""
    blocks = [b for b in tag.find_all(["p", "li", "dd"])
              if b.find_parent(["p", "li", "dd"]) in (None, tag) or b.parent is tag]
    parts = [b.get_text("") for b in blocks] if blocks else [tag.get_text("")]
    return " ".join(" ".join(parts).split())


def _caption(tag) -> tuple[str, str]:
    num = tag.select_one(".caption-number")
    txt = tag.select_one(".caption-text")
    return (_text(num), _text(txt)) if txt is not None else ("", _text(tag))


def _section_preview(section, heading) -> str:
    title = _text(heading).rstrip("#").strip()
    para = None
    for p in section.find_all("p"):
        if p.find_parent(["table", "figure", "nav", "aside"]) is None and _text(p):
            para = p
            break
    out = f'<p class="nt-preview-title">{_esc(title)}</p>'
    if para is not None:
        out += f"<p>{_esc(_short(_text(para), TEXT_CHARS))}</p>"
    return out


def _captioned(num: str, text: str) -> str:
    """A caption: its number ("Tabel 10") as the title, then the text."""
    number = f'<span class="nt-preview-title">{_esc(num)}</span> ' if num else ""
    return f"<p>{number}{_esc(_short(text, TEXT_CHARS))}</p>"


def _table_preview(table) -> str:
    cap = table.find("caption")
    num, text = _caption(cap) if cap is not None else ("", "")
    heads = [_text(th) for th in table.select("thead th")]
    rows = len(table.select("tbody tr"))
    out = _captioned(num, text)
    out += (f'<p class="nt-preview-meta">{rows} baris; kolom: '
            f"{_esc(_short(', '.join(h for h in heads if h), 200))}</p>")
    return out


def _figure_preview(figure, page_dir: str, site: Path, source: Path) -> str:
    cap = figure.find("figcaption")
    num, text = _caption(cap) if cap is not None else ("", "")
    out = ""
    img = figure.find("img")
    if img is not None and img.get("src"):
        target = (source.parent / img["src"]).resolve()
        rel = posixpath.relpath(target.relative_to(site.resolve()).as_posix(), page_dir or ".")
        out += f'<img class="nt-preview-figure" src="{htmlmod.escape(rel)}" alt="" loading="lazy">'
    return out + _captioned(num, text)


def _citation_preview(div) -> str:
    label = _text(div.select_one(".label")).strip("[]")
    body = " ".join(_text(p) for p in div.find_all("p"))
    return (f'<p class="nt-preview-title">{_esc(label)}</p>'
            f"<p>{_esc(_short(body, 2 * TEXT_CHARS))}</p>")


def _row_preview(row, code: str) -> str:
    table = row.find_parent("table")
    heads = [_text(th) for th in table.select("thead th")] if table is not None else []
    cap = table.find("caption") if table is not None else None
    num = _caption(cap)[0] if cap is not None else ""
    out = f'<p class="nt-preview-title">{_esc(code)}' + (f" · {_esc(num)}" if num else "") + "</p>"
    out += '<dl class="nt-preview-row">'
    for i, cell in enumerate(row.find_all(["td", "th"], recursive=False)):
        head = heads[i] if i < len(heads) else ""
        value = _text(cell)
        if value == code or head in SOURCE_HEADERS or not value:
            continue
        out += f"<dt>{_esc(head)}</dt><dd>{_esc(_short(value, CELL_CHARS))}</dd>"
    return out + "</dl>"


class _Page:
    def __init__(self, site: Path, path: Path):
        from bs4 import BeautifulSoup

        self.path = path
        self.rel = path.relative_to(site).as_posix()
        self.text = path.read_text(encoding="utf-8")
        # only the article is read (the theme's navigation is most of a page)
        start = self.text.find('<article class="bd-article"')
        end = self.text.find("</article>", start)
        part = self.text[start:end + len("</article>")] if start >= 0 and end >= 0 else ""
        self.article = BeautifulSoup(part, "html.parser").find("article") if part else None
        self._ids: dict | None = None

    def by_id(self, fragment: str):
        """The first element of the article with this id (an index built once per page: a
        search of the whole tree per link took most of this extension's time)."""
        if self._ids is None:
            self._ids = {}
            for el in self.article.find_all(id=True) if self.article is not None else []:
                self._ids.setdefault(el["id"], el)
        return self._ids.get(fragment)


def _preview(page: _Page, fragment: str | None, page_dir: str, site: Path) -> str | None:
    art = page.article
    if art is None:
        return None
    if not fragment:
        section = art.find("section")
        heading = section.find(re.compile(r"^h[1-6]$")) if section is not None else None
        return _section_preview(section, heading) if heading is not None else None
    el = page.by_id(fragment)
    if el is None:
        return None
    if fragment.startswith(ANCHOR) and el.name == "tr":
        return _row_preview(el, fragment[len(ANCHOR):])
    classes = el.get("class") or []
    if "citation" in classes:
        return _citation_preview(el)
    if el.name == "table":
        return _table_preview(el)
    if el.name == "figure":
        return _figure_preview(el, page_dir, site, page.path)
    if el.name == "section":
        heading = el.find(re.compile(r"^h[1-6]$"))
        return _section_preview(el, heading) if heading is not None else None
    if el.name == "span" and not _text(el):  # a label right before a heading
        heading = el.find_next_sibling(re.compile(r"^h[1-6]$"))
        if heading is not None and heading.parent is not None:
            return _section_preview(heading.parent, heading)
    return None


_SCRIPT = re.compile(r'\n<script type="application/json" id="' + SCRIPT_ID + r'">.*?</script>\n',
                     re.S)


def previews_for_site(site: Path) -> dict[str, int]:
    """Write every page's preview data; returns ``{page: number of previews}``."""
    site = Path(site)
    static = site / "_static"
    paths = sorted(p for p in site.rglob("*.html") if static not in p.parents)
    pages = {p.relative_to(site).as_posix(): _Page(site, p) for p in paths}
    cache: dict[tuple[str, str | None, str], str | None] = {}
    report = {}
    for rel, page in pages.items():
        found: dict[str, str] = {}
        page_dir = posixpath.dirname(rel)
        for a in page.article.find_all("a", href=True) if page.article is not None else []:
            href = a["href"]
            classes = a.get("class") or []
            if "headerlink" in classes or re.match(r"^[a-z][a-z0-9+.-]*:|^//", href, re.I):
                continue
            path, _, fragment = href.partition("#")
            target = posixpath.normpath(posixpath.join(page_dir, path)) if path else rel
            if target not in pages:
                continue
            key = (target, fragment or None, page_dir)
            if key not in cache:
                cache[key] = _preview(pages[target], fragment or None, page_dir, site)
            if cache[key]:
                found[href] = cache[key]
        data = json.dumps(found, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        data = data.replace("</", "<\\/")
        text = _SCRIPT.sub("", page.text)
        if found:
            block = f'\n<script type="application/json" id="{SCRIPT_ID}">{data}</script>\n'
            text = text.replace("</body>", block + "</body>", 1)
        if text != page.text:
            page.path.write_text(text, encoding="utf-8")
        report[rel] = len(found)
    return report


def _finished(app, exc):
    if exc is not None or getattr(app.builder, "format", "") != "html":
        return
    previews_for_site(Path(app.outdir))


SCRIPTS = ("vendor/popper.min.js", "vendor/tippy-bundle.umd.min.js", "netralitas-previews.js")


def _config(app, config):
    """Jupyter Book adds every ``*.js`` under ``_static`` to ``html_js_files`` (in file-system
    order, not deferred); the preview scripts are added once by :func:`setup`, in order."""
    config.html_js_files = [e for e in config.html_js_files
                            if (e if isinstance(e, str) else e[0]) not in SCRIPTS]


def setup(app):
    for name in SCRIPTS:  # Popper before tippy.js before the previews; none blocks rendering
        app.add_js_file(name, loading_method="defer")
    app.connect("config-inited", _config)
    app.connect("doctree-read", _read)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-updated", _updated)
    app.connect("doctree-resolved", _resolved)
    app.connect("build-finished", _finished, priority=600)  # after assets (WebP, icons)

    # env_version: raise it when the rule for homes changes (Sphinx then re-reads every page)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1",
            "env_version": 2}
