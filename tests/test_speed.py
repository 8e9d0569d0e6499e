"""The build's shared lookups (``netralitas.build.speed``) change how often, never what.

A small Sphinx project with tables and figures numbered across pages and referenced from several
pages is built twice, without and with the extension: the HTML must be the same, and with the
extension each target page's doctree is unpickled once however many links point into it.
pybtex's plugin lookup returns the same classes and scans the entry points once per name.
"""

from __future__ import annotations

import importlib.metadata
import io
from pathlib import Path

import pytest

INDEX = """Index
=====

.. toctree::
   :numbered:

   a
   b
   c
"""
PAGE_A = """A
=

.. _tbl-one:

.. table:: First table

   ===  ===
   x    y
   ===  ===
   1    2
   ===  ===

.. _fig-one:

.. figure:: pic.png

   A figure caption

See :numref:`tbl-two` and :numref:`tbl-one`.
"""
PAGE_B = """B
=

.. _tbl-two:

.. table:: Second table

   ===  ===
   p    q
   ===  ===
   3    4
   ===  ===

Back to :numref:`tbl-one`, :numref:`fig-one` and :numref:`Tabel {number}: {name} <tbl-one>`.
"""
PAGE_C = """C
=

Again :numref:`tbl-one`, :numref:`tbl-two`, :numref:`fig-one`, :ref:`tbl-two`.
"""
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                    "0000000d4944415478da63f8ffffff7f0009fb03fd2a86e3ad0000000049454e44ae426082")


def _project(root: Path) -> Path:
    src = root / "src"
    src.mkdir(parents=True)
    for name, text in {"index": INDEX, "a": PAGE_A, "b": PAGE_B, "c": PAGE_C}.items():
        (src / f"{name}.rst").write_text(text, encoding="utf-8")
    (src / "pic.png").write_bytes(PNG)
    (src / "conf.py").write_text("numfig = True\n", encoding="utf-8")
    return src


def _build(src: Path, out: Path, extensions: list[str]) -> dict[str, str]:
    from sphinx.application import Sphinx

    app = Sphinx(str(src), str(src), str(out / "html"), str(out / "doctrees"), "html",
                 confoverrides={"extensions": extensions}, status=io.StringIO(),
                 warning=io.StringIO(), freshenv=True)
    app.build()
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((out / "html").glob("*.html"))}


def test_numbered_references_are_the_same_and_each_doctree_is_unpickled_once(tmp_path,
                                                                             monkeypatch):
    from sphinx.domains.std import StandardDomain
    from sphinx.environment import BuildEnvironment

    from netralitas.build import speed

    # Sphinx's own lookup for the plain build, even if this process already loaded the extension
    # (restored after the test)
    monkeypatch.setattr(StandardDomain, "_resolve_numref_xref",
                        speed.ORIGINALS.get("numref", StandardDomain._resolve_numref_xref))
    src = _project(tmp_path)
    loads: list[str] = []
    original = BuildEnvironment.get_doctree

    def counting(self, docname):
        loads.append(docname)
        return original(self, docname)

    monkeypatch.setattr(BuildEnvironment, "get_doctree", counting)
    plain = _build(src, tmp_path / "plain", [])
    plain_loads, loads[:] = list(loads), []
    shared = _build(src, tmp_path / "shared", ["netralitas.build.speed"])
    assert shared == plain, "the extension changed the HTML"
    assert "Table 2" in plain["c.html"] and "Fig. 1" in plain["b.html"], "links were not numbered"
    # pages a and b hold the targets: 6 links point into a, 2 into b. Without the extension a
    # page is unpickled to be written and again for every link; with it, once for all links.
    assert (plain_loads.count("a"), plain_loads.count("b")) == (1 + 6, 1 + 2), plain_loads
    assert (loads.count("a"), loads.count("b")) == (1 + 1, 1 + 1), loads
    assert [loads.count(d) for d in ("c", "index")] == [plain_loads.count(d) for d in ("c", "index")]


def test_pybtex_plugins_are_looked_up_once_per_name(monkeypatch):
    import pybtex.plugin

    from netralitas.build import speed

    monkeypatch.setattr(pybtex.plugin, "find_plugin",
                        speed.ORIGINALS.get("find_plugin", pybtex.plugin.find_plugin))
    before = {g: pybtex.plugin.find_plugin(g, n) for g, n in
              (("pybtex.backends", "plaintext"), ("pybtex.style.formatting", "unsrt"))}
    calls = []
    real = importlib.metadata.entry_points

    def counting(**kw):
        calls.append(kw.get("group"))
        return real(**kw)

    monkeypatch.setattr(pybtex.plugin, "entry_points", counting)
    speed._patch_pybtex()
    for _ in range(5):
        after = {g: pybtex.plugin.find_plugin(g, n) for g, n in
                 (("pybtex.backends", "plaintext"), ("pybtex.style.formatting", "unsrt"))}
    assert after == before
    assert len(calls) <= 4, calls  # at most one scan per name (and its alias group)
    cls = before["pybtex.backends"]
    assert pybtex.plugin.find_plugin("pybtex.backends", cls) is cls
    # a plugin registered for the next build is found once the cache is cleared (builder-inited)
    pybtex.plugin.register_plugin("pybtex.backends", "plaintext", dict, force=True)
    try:
        speed._forget_plugins(None)
        assert pybtex.plugin.find_plugin("pybtex.backends", "plaintext") is dict
    finally:
        pybtex.plugin.register_plugin("pybtex.backends", "plaintext", cls, force=True)
        speed._forget_plugins(None)
    with pytest.raises(pybtex.plugin.PluginNotFound):
        pybtex.plugin.find_plugin("pybtex.backends", "no-such-backend")


def test_the_build_skips_revalidating_only_what_the_executor_validated(monkeypatch):
    import os

    from netralitas import paths
    from netralitas.build import execute, speed
    from netralitas.data import validation_key

    key = validation_key(paths.root())
    for recorded, trusted in ((key, True), ("0" * 64, False), (None, False)):
        monkeypatch.delenv("NETRALITAS_VALIDATED", raising=False)
        monkeypatch.setattr(execute, "load_cache", lambda root, r=recorded: {"validated": r})
        speed._trust_the_executors_validation()
        assert (os.environ.get("NETRALITAS_VALIDATED") == key) is trusted, recorded
