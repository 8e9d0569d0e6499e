"""Two repeated lookups of the HTML build, done once (Sphinx extension; output unchanged).

A profile of the strict build showed two library paths that redo the same work many times:

- **numbered references.** To number ``{numref}`` / ``{ref}`` links to tables and figures,
  Sphinx's standard domain unpickles the *whole* doctree of the target page for every link
  (``StandardDomain._resolve_numref_xref`` → ``env.get_doctree``): about 200 links, many of them
  to the two largest pages (the data appendix and Statistik), so the same pickles were loaded
  over and over — the largest single cost of the writing phase. The lookup only reads the target
  node (its type, ids and caption), so during the writing phase each page's doctree is unpickled
  once and shared by all the links that point into it (read-only; the cache is dropped when the
  build finishes).
- **bibliography plugins.** sphinxcontrib-bibtex asks pybtex for its formatting and back-end
  plugins once per citation (``pybtex.plugin.find_plugin``), and each call scanned every
  installed package's entry points. The answer for a (group, name) pair cannot change during a
  build, so it is cached for the build (cleared when the next build starts).

A third repeat was the project's own: extensions that read a data table (the manifest, for
folding) validated the whole data package again inside the build (~1.8 s), although the executor
had just validated exactly these bytes. When the executor's record (``.cache/execution.json``)
holds the content hash of the current ``data/``, ``references.bib`` and validator, the build
skips that repeat, as the chapters' kernels do (``netralitas.data.validate``); otherwise it
validates as before.

The strict build, the browser tests (every numbered link and citation resolves to the same
target and text) and ``tests/test_speed.py`` check that the site is the same.
"""

from __future__ import annotations

import functools

__all__ = ["setup"]

_DOCTREES: dict[tuple[int, str], object] = {}
#: The library functions as they were before this extension replaced them (tests restore them).
ORIGINALS: dict[str, object] = {}


class _ReadOnlyDoctrees:
    """The build environment as the numbered-reference lookup sees it: doctrees shared."""

    def __init__(self, env):
        self._env = env

    def get_doctree(self, docname: str):
        key = (id(self._env), docname)
        if key not in _DOCTREES:
            _DOCTREES[key] = self._env.get_doctree(docname)
        return _DOCTREES[key]

    def __getattr__(self, name):
        return getattr(self._env, name)


def _patch_numref() -> None:
    from sphinx.domains.std import StandardDomain

    original = StandardDomain._resolve_numref_xref
    if getattr(original, "_nt_shared", False):
        return
    ORIGINALS["numref"] = original

    @functools.wraps(original)
    def resolve(self, env, *args, **kwargs):
        return original(self, _ReadOnlyDoctrees(env), *args, **kwargs)

    resolve._nt_shared = True
    StandardDomain._resolve_numref_xref = resolve


def _patch_pybtex() -> None:
    import pybtex.plugin

    if getattr(pybtex.plugin.find_plugin, "_nt_cached", False):
        return
    original = ORIGINALS["find_plugin"] = pybtex.plugin.find_plugin

    @functools.wraps(original)
    def find_plugin(plugin_group, name=None, filename=None):
        if isinstance(name, type):  # a class passed through: nothing to look up
            return original(plugin_group, name, filename)
        return _found(plugin_group, name, filename)

    @functools.cache
    def _found(plugin_group, name, filename):
        return original(plugin_group, name, filename)

    find_plugin._nt_cached = True
    find_plugin.cache_clear = _found.cache_clear
    pybtex.plugin.find_plugin = find_plugin


def _forget_plugins(app) -> None:
    """A new build may register other plugins under the same names (``sphinxext`` registers the
    book's citation style for each Sphinx app): lookups are cached within one build only."""
    import pybtex.plugin

    clear = getattr(pybtex.plugin.find_plugin, "cache_clear", None)
    if clear is not None:
        clear()


def _trust_the_executors_validation() -> None:
    import os

    from .. import paths
    from ..data import validation_key
    from .execute import load_cache

    root = paths.root()
    key = validation_key(root)
    if load_cache(root).get("validated") == key:
        os.environ["NETRALITAS_VALIDATED"] = key


def _drop(app, exc) -> None:
    _DOCTREES.clear()


def setup(app):
    _patch_numref()
    _patch_pybtex()
    _trust_the_executors_validation()
    app.connect("builder-inited", _forget_plugins)
    app.connect("build-finished", _drop)
    app.connect("env-updated", lambda app, env: _DOCTREES.clear())
    return {"parallel_read_safe": True, "parallel_write_safe": True}
