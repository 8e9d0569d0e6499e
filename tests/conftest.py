"""Shared fixtures: a throw-away copy of the project's data and bibliography, and a builder of
docutils tables shaped like the book's (for the HTML-time transforms)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def project(tmp_path, monkeypatch):
    """A copy of data/ and references.bib in a temporary root, selected via NETRALITAS_ROOT."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copy(ROOT / "references.bib", tmp_path / "references.bib")
    monkeypatch.setenv("NETRALITAS_ROOT", str(tmp_path))
    return tmp_path


@pytest.fixture()
def doc_table():
    """``build(headers, rows, widths=(), ids=())``: a docutils table (with those ``ids``) with a
    header row and one row per ``rows`` item; a cell is text or a docutils node, each in its own
    paragraph."""
    from docutils import nodes

    def build(headers, rows, widths=(), ids=()):
        table = nodes.table(ids=list(ids))
        group = nodes.tgroup(cols=len(headers))
        table += group
        for w in widths:
            group += nodes.colspec(colwidth=w)
        head = nodes.thead()
        hrow = nodes.row()
        for h in headers:
            hrow += nodes.entry("", nodes.paragraph(text=h))
        head += hrow
        group += head
        body = nodes.tbody()
        for cells in rows:
            row = nodes.row()
            for c in cells:
                para = nodes.paragraph()
                para += c if isinstance(c, nodes.Node) else nodes.Text(c)
                row += nodes.entry("", para)
            body += row
        group += body
        return table

    return build


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "slow: starts a kernel or runs make (a few seconds each); still part of make test")


def pytest_collection_modifyitems(session, config, items):
    """The longest files first: the follow-up module (it runs `make book` and a strict build in
    a copy, and its tests share that copy), then the files with slow tests, then the rest, each
    group in collection order. `make unit` hands whole files to the workers (``--dist
    loadfile --no-loadscope-reorder``: xdist would otherwise reorder the files by their number of
    tests), so starting the long ones first keeps one worker from finishing alone."""
    def rank(item):
        if item.get_closest_marker("followup"):
            return 0
        return 1 if any(i.get_closest_marker("slow") for i in by_file[item.path]) else 2

    by_file: dict = {}
    for item in items:
        by_file.setdefault(item.path, []).append(item)
    items[:] = sorted(items, key=rank)  # stable: collection order within each rank
