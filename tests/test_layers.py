"""The package's layers, read from the source (AST; nothing is imported):

- domain modules (``src/netralitas/*.py``) never import matplotlib, seaborn, sphinx, docutils,
  or myst_nb, nor ``netralitas.plots``, ``netralitas.build`` or ``netralitas.nb``, at
  any depth (also inside functions); ``nb.py`` is the chapters' facade: it may use the domain
  and ``plots``, never ``build``;
- ``plots/`` uses the domain and matplotlib/seaborn, never ``build``, ``nb`` or the Sphinx
  stack;
- nothing outside ``build/`` imports ``netralitas.build`` (tests, tools and the Makefile are
  outside the package and not checked);
- module-level imports among netralitas modules form no cycle;
- chapters (``book/*.ipynb`` code cells) never import or call ``netralitas.build``/``nt.build``;
- every module declares ``__all__`` and every name in it exists.

Each checker takes a package directory, so the tests at the bottom plant wrong-way imports in a
temporary copy and show that the checkers report them.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "src" / "netralitas"
BOOK = ROOT / "book"

#: Libraries of the drawing and documentation stack, which the domain layer never imports.
DRAWING = {"matplotlib", "seaborn"}
SPHINX_STACK = {"sphinx", "docutils", "myst_nb"}


# ------------------------------------------------------------------------------------ checkers

def module_name(path: Path, pkg: Path) -> str:
    """``pkg/plots/style.py`` -> ``netralitas.plots.style`` (``__init__`` names its package)."""
    parts = (pkg.name, *path.relative_to(pkg).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules(pkg: Path) -> dict[str, Path]:
    return {module_name(p, pkg): p for p in sorted(pkg.rglob("*.py"))}


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def imports(path: Path, pkg: Path, module_level: bool = False) -> list[tuple[int, str]]:
    """``(line, module)`` for every import in ``path`` (relative imports resolved; ``from . import
    x`` gives the submodule ``pkg.x`` when there is one). ``module_level``: only statements run on
    import (the module body, including top-level ``if``/``try`` blocks), not inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    here = module_name(path, pkg).split(".")
    package = here if _is_package(path) else here[:-1]
    known = set(_modules(pkg))
    if module_level:
        nodes, todo = [], list(tree.body)
        while todo:
            node = todo.pop(0)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                continue
            nodes.append(node)
            todo.extend(ast.iter_child_nodes(node))
    else:
        nodes = list(ast.walk(tree))
    found = []
    for node in nodes:
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for a in node.names:
                sub = f"{target}.{a.name}"
                found.append((node.lineno, sub if sub in known else target))
    return found


def layer(name: str) -> str:
    """``build``, ``plots``, ``nb`` or ``domain`` (the package ``__init__`` counts as domain)."""
    for part in ("build", "plots"):
        if name == f"netralitas.{part}" or name.startswith(f"netralitas.{part}."):
            return part
    return "nb" if name == "netralitas.nb" else "domain"


def _under(target: str, prefix: str) -> bool:
    return target == prefix or target.startswith(prefix + ".")


def layer_violations(pkg: Path) -> list[str]:
    """One line per import that goes the wrong way between layers (empty: all good)."""
    out = []
    for name, path in _modules(pkg).items():
        where = f"{path.relative_to(pkg.parent)}"
        lay = layer(name)
        for line, target in imports(path, pkg):
            top = target.split(".")[0]
            inner = top == pkg.name
            bad = None
            if lay == "domain":
                if top in DRAWING | SPHINX_STACK:
                    bad = f"a domain module imports {top}"
                elif inner and layer(target) != "domain":
                    bad = f"a domain module imports {target}"
            elif lay == "nb":
                if inner and layer(target) == "build":
                    bad = f"the chapter facade imports {target}"
            elif lay == "plots":
                if top in SPHINX_STACK:
                    bad = f"a plots module imports {top}"
                elif inner and layer(target) in ("build", "nb"):
                    bad = f"a plots module imports {target}"
            if bad:
                out.append(f"{where}:{line}: {bad}")
    return out


def import_cycles(pkg: Path) -> list[list[str]]:
    """Cycles among the package's modules through module-level imports (each once, as a path
    that returns to its start). Packages' ``__init__`` are left out: they import lazily."""
    mods = _modules(pkg)
    graph = {n: sorted({t for _, t in imports(p, pkg, module_level=True)
                        if t in mods and not _is_package(mods[t]) and t != n})
             for n, p in mods.items() if not _is_package(p)}
    cycles, state, stack = [], {}, []

    def visit(n):
        state[n] = "open"
        stack.append(n)
        for m in graph.get(n, []):
            if state.get(m) == "open":
                cycles.append(stack[stack.index(m):] + [m])
            elif m not in state:
                visit(m)
        stack.pop()
        state[n] = "done"

    for n in graph:
        if n not in state:
            visit(n)
    return cycles


def _cell_source(cell) -> str:
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


def chapter_build_uses(book: Path) -> list[str]:
    """``file, cell n: …`` for every chapter code cell that imports or calls the build layer."""
    out = []
    for nb_path in sorted(book.glob("*.ipynb")):
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        for i, cell in enumerate(nb.get("cells", []), 1):
            if cell.get("cell_type") != "code":
                continue
            src = _cell_source(cell)
            where = f"{nb_path.name}, cell {i}"
            code = "\n".join("" if ln.lstrip().startswith(("%", "!")) else ln
                             for ln in src.splitlines())
            try:
                tree = ast.parse(code)
            except SyntaxError:
                if re.search(r"\b(?:nt|netralitas)\.build\b", src):
                    out.append(f"{where}: uses the build layer")
                continue
            aliases = set()
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    for a in node.names:
                        if _under(a.name, "netralitas.build"):
                            out.append(f"{where}, line {node.lineno}: imports {a.name}")
                        elif a.name == "netralitas" or a.name.startswith("netralitas."):
                            aliases.add(a.asname or "netralitas")
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [f"{node.module}.{a.name}" for a in node.names]
                    if _under(node.module, "netralitas.build") or "netralitas.build" in names:
                        out.append(f"{where}, line {node.lineno}: imports from {node.module}")
            for node in ast.walk(tree):
                if (isinstance(node, ast.Attribute) and node.attr == "build"
                        and isinstance(node.value, ast.Name) and node.value.id in aliases):
                    out.append(f"{where}, line {node.lineno}: {node.value.id}.build")
    return out


def _defined(tree: ast.Module) -> set[str]:
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            for t in node.targets:
                names |= {e.id for e in (t.elts if isinstance(t, ast.Tuple) else [t])
                          if isinstance(e, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Import):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            names |= {a.asname or a.name for a in node.names}
    return names


def all_problems(pkg: Path) -> list[str]:
    """Modules without a literal ``__all__``, and names in it that the module does not define
    (for a package: nor is a submodule of it)."""
    out = []
    for path in _modules(pkg).values():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        decl = [n for n in tree.body
                if (isinstance(n, ast.Assign) and any(getattr(t, "id", None) == "__all__"
                                                      for t in n.targets))
                or (isinstance(n, ast.AnnAssign) and getattr(n.target, "id", None) == "__all__")]
        where = str(path.relative_to(pkg.parent))
        if not decl:
            out.append(f"{where}: no __all__")
            continue
        try:
            listed = ast.literal_eval(decl[-1].value)
        except ValueError:
            out.append(f"{where}: __all__ is not a literal list of names")
            continue
        if len(set(listed)) != len(listed):
            out.append(f"{where}: __all__ lists a name twice")
        subs = ({p.stem for p in path.parent.glob("*.py")} | {p.name for p in path.parent.iterdir()
                                                             if (p / "__init__.py").is_file()}
                if _is_package(path) else set())
        for n in listed:
            if n not in _defined(tree) and n not in subs:
                out.append(f"{where}: __all__ names {n!r}, which the module does not define")
    return out


# ------------------------------------------------------------------------ the real package

def test_layers_import_only_downwards():
    problems = layer_violations(PKG)
    assert not problems, "\n".join(problems)


def test_there_is_a_domain_a_plots_and_a_build_layer():
    # the checks above are vacuous if the layers are not where the checker looks
    layers = {layer(n) for n in _modules(PKG)}
    assert layers == {"domain", "plots", "build", "nb"}
    assert layer("netralitas.calendar") == "domain" and layer("netralitas.plots.style") == "plots"


def test_no_import_cycle_among_modules():
    cycles = import_cycles(PKG)
    assert not cycles, "\n".join(" -> ".join(c) for c in cycles)


def test_chapters_never_use_the_build_layer():
    assert sorted(BOOK.glob("*.ipynb")), "no chapters found"
    problems = chapter_build_uses(BOOK)
    assert not problems, "\n".join(problems)


def test_every_module_declares_an_existing_all():
    problems = all_problems(PKG)
    assert not problems, "\n".join(problems)


def test_manifest_html_ids_follow_docutils_without_importing_it():
    """manifest.html_id_of re-states docutils' rule so that the domain layer needs no docutils."""
    from docutils.nodes import make_id

    from netralitas import data, manifest

    labels = list(data.load("manifest")["label"].dropna())
    labels += ["tbl-x_y", "fig-A__b", "tbl--x-", "tbl-1a", "2-tbl", "Tbl X y"]
    assert [manifest.html_id_of(x) for x in labels] == [make_id(x) for x in labels]


# ------------------------------------------------- the checkers catch what they are meant to

@pytest.fixture()
def pkg_copy(tmp_path):
    dst = tmp_path / "netralitas"
    shutil.copytree(PKG, dst, ignore=shutil.ignore_patterns("__pycache__"))
    return dst


def test_clean_copy_passes_every_checker(pkg_copy):
    assert layer_violations(pkg_copy) == []
    assert import_cycles(pkg_copy) == []
    assert all_problems(pkg_copy) == []


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n" + text, encoding="utf-8")


@pytest.mark.parametrize("module, planted, expect", [
    ("calendar.py", "import matplotlib\n", "netralitas/calendar.py:{n}: a domain module imports matplotlib"),
    ("calendar.py", "def _late():\n    import seaborn.objects as so\n    return so\n",
     "netralitas/calendar.py:{n}: a domain module imports seaborn"),
    ("mutations.py", "def _f():\n    from .plots import style\n    return style\n",
     "netralitas/mutations.py:{n}: a domain module imports netralitas.plots.style"),
    ("text.py", "from netralitas.build.execute import main\n",
     "netralitas/text.py:{n}: a domain module imports netralitas.build.execute"),
    ("vocab.py", "def _g():\n    from . import nb\n    return nb\n",
     "netralitas/vocab.py:{n}: a domain module imports netralitas.nb"),
    ("regulations.py", "def _h():\n    from docutils import nodes\n    return nodes\n",
     "netralitas/regulations.py:{n}: a domain module imports docutils"),
    ("nb.py", "def _i():\n    from .build import execute\n    return execute\n",
     "netralitas/nb.py:{n}: the chapter facade imports netralitas.build.execute"),
    ("plots/style.py", "def _j():\n    from ..build import site\n    return site\n",
     "netralitas/plots/style.py:{n}: a plots module imports netralitas.build.site"),
    ("plots/timelines.py", "from .. import nb\n",
     "netralitas/plots/timelines.py:{n}: a plots module imports netralitas.nb"),
    ("plots/stats.py", "import sphinx\n", "netralitas/plots/stats.py:{n}: a plots module imports sphinx"),
])
def test_a_planted_wrong_way_import_is_reported(pkg_copy, module, planted, expect):
    path = pkg_copy / module
    n = len(path.read_text(encoding="utf-8").splitlines()) + 2  # line of the planted import
    n += planted.splitlines()[0].startswith("def ")
    _append(path, planted)
    assert expect.format(n=n) in layer_violations(pkg_copy)


def test_allowed_imports_are_not_reported(pkg_copy):
    # the facade may draw; plots may use matplotlib and the domain; build may use anything
    _append(pkg_copy / "nb.py", "def _k():\n    from .plots import timelines\n    return timelines\n")
    _append(pkg_copy / "plots/style.py", "import matplotlib\nfrom .. import calendar\n")
    _append(pkg_copy / "build/site.py", "from .. import nb\nfrom ..plots import style\n")
    assert layer_violations(pkg_copy) == []


def test_a_planted_cycle_is_reported(pkg_copy):
    _append(pkg_copy / "text.py", "from . import calendar\n")  # calendar imports text already
    cycles = import_cycles(pkg_copy)
    assert ["netralitas.calendar", "netralitas.text", "netralitas.calendar"] in cycles or \
        ["netralitas.text", "netralitas.calendar", "netralitas.text"] in cycles
    # an import inside a function runs late and closes no cycle at import time
    _append(pkg_copy / "text.py", "")
    (pkg_copy / "text.py").write_text((pkg_copy / "text.py").read_text(encoding="utf-8").replace(
        "from . import calendar\n", "def _late():\n    from . import calendar\n    return calendar\n"),
        encoding="utf-8")
    assert import_cycles(pkg_copy) == []


def test_missing_or_wrong_all_is_reported(pkg_copy):
    path = pkg_copy / "text.py"
    path.write_text(path.read_text(encoding="utf-8").replace(
        '__all__ = ["date_id"', '__all__ = ["no_such_function", "date_id"', 1), encoding="utf-8")
    (pkg_copy / "plots" / "extra.py").write_text("def f():\n    return 1\n", encoding="utf-8")
    problems = all_problems(pkg_copy)
    assert "netralitas/text.py: __all__ names 'no_such_function', which the module does not define" \
        in problems
    assert "netralitas/plots/extra.py: no __all__" in problems


def _notebook(path: Path, *sources: str) -> None:
    cells = [{"cell_type": "code", "source": s, "metadata": {}, "outputs": [],
              "execution_count": None} for s in sources]
    cells.insert(0, {"cell_type": "markdown", "source": "nt.build is fine in prose", "metadata": {}})
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4,
                                "nbformat_minor": 5}), encoding="utf-8")


def test_a_chapter_using_the_build_layer_is_reported(tmp_path):
    _notebook(tmp_path / "ok.ipynb", "import netralitas as nt\nnt.nb.setup()\nbuilder = 'build'")
    _notebook(tmp_path / "a.ipynb", "import netralitas as nt\nnt.build.execute.main([])")
    _notebook(tmp_path / "b.ipynb", "%matplotlib inline\nfrom netralitas.build import site")
    _notebook(tmp_path / "c.ipynb", "from netralitas import build")
    _notebook(tmp_path / "d.ipynb", "import netralitas.build.execute as ex")
    problems = chapter_build_uses(tmp_path)
    assert [p.split(",")[0] for p in problems] == ["a.ipynb", "b.ipynb", "c.ipynb", "d.ipynb"]
    assert "a.ipynb, cell 2, line 2: nt.build" in problems


def chapter_code_problems(book: Path) -> list[str]:
    """Chapters stay thin: no function or class definitions, no lambda bound to a name, and no
    bare ``assert`` (a follow-up's data would stop the build with an empty AssertionError; a
    sentence that must hold uses ``nt.nb.require(condition, "what the prose states")``)."""
    out = []
    for nb_path in sorted(book.glob("*.ipynb")):
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        for i, cell in enumerate(nb.get("cells", [])):
            if cell.get("cell_type") != "code":
                continue
            try:
                tree = ast.parse(_cell_source(cell))
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                what = None
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    what = f"defines {node.name}"
                elif isinstance(node, ast.Assert):
                    what = "uses assert (use nt.nb.require with the claim it guards)"
                elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Lambda):
                    what = "binds a lambda to a name"
                if what:
                    out.append(f"{nb_path.name}, cell {i}, line {node.lineno}: {what}")
    return out


def test_chapters_hold_no_definitions_and_no_bare_asserts():
    assert chapter_code_problems(BOOK) == []


def test_a_planted_definition_or_assert_is_reported(tmp_path):
    _notebook(tmp_path / "x.ipynb", "def f():\n    return 1", "assert 1 == 1")
    found = chapter_code_problems(tmp_path)
    assert any("defines f" in p for p in found) and any("assert" in p for p in found)
