"""Sphinx extension ``netralitas.build.a11y``: fixes two accessibility faults of the generated markup.

axe-core (run on every page by ``tests/browser``) reports two serious/critical violations that
come from upstream markup, not from the book's text. Both can be fixed here, so they are fixed
rather than allow-listed:

- ``summary-name`` (serious): pydata-sphinx-theme's sidebar draws each expand/collapse toggle as
  a ``<summary>`` holding only a decorative chevron, so a screen reader announces nothing. Each
  such ``<summary>`` gets an ``aria-label`` naming the chapter whose sections it opens.
- ``aria-required-children`` (critical): docutils writes the bibliography as
  ``<div role="list">`` whose entries have ``role="doc-biblioentry"``, a DPUB-ARIA role that
  ARIA 1.2 deprecated and that does not count as a list item. Entries get ``role="listitem"``.
"""

from __future__ import annotations

__all__ = ["TOGGLE_LABEL", "label_toggles", "label_soup", "fix_bibliography_roles", "setup"]

TOGGLE_LABEL = "Tampilkan atau sembunyikan subbab {title}"


def label_toggles(html: str) -> str:
    """Give every unnamed ``<summary>`` in a navigation tree an ``aria-label``."""
    if "<summary" not in html:
        return html
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    return str(soup) if label_soup(soup) else html


def label_soup(soup) -> int:
    """Label the unnamed ``<summary>`` elements of a BeautifulSoup tree in place; return count."""
    changed = 0
    for summary in soup.find_all("summary"):
        if summary.get("aria-label") or summary.get_text(strip=True):
            continue
        item = summary.find_parent("li")
        link = item.find("a") if item else None
        title = link.get_text(" ", strip=True) if link else ""
        summary["aria-label"] = TOGGLE_LABEL.format(title=title).strip()
        changed += 1
    return changed


def fix_bibliography_roles(body: str) -> str:
    """Bibliography entries inside ``role="list"`` become ``role="listitem"``."""
    return body.replace('role="doc-biblioentry"', 'role="listitem"')


def _page_context(app, pagename, templatename, context, doctree):
    if isinstance(context.get("body"), str):
        context["body"] = fix_bibliography_roles(context["body"])
    generate = context.get("generate_toctree_html")
    if generate is None or getattr(generate, "_netralitas_a11y", False):
        return

    def generate_labelled(kind, *args, **kwargs):
        out = generate(kind, *args, **kwargs)
        if isinstance(out, str):
            return label_toggles(out)
        if hasattr(out, "find_all"):  # pydata-sphinx-theme returns a BeautifulSoup tree
            label_soup(out)
        return out

    generate_labelled._netralitas_a11y = True
    context["generate_toctree_html"] = generate_labelled


def setup(app):
    # After pydata-sphinx-theme has put generate_toctree_html into the page context.
    app.connect("html-page-context", _page_context, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
