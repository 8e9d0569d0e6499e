"""README's list of tables and figures is generated from data/manifest.csv and cannot drift;
every maker the manifest names exists in the package."""

from __future__ import annotations

import importlib

import pytest

from netralitas import data, paths
from netralitas.build import readme


def test_readme_list_matches_manifest():
    root = paths.root()
    text = (root / "README.md").read_text(encoding="utf-8")
    s, e = readme.current_block(text)
    assert text[s:e] == readme.expected_block(root), (
        "README.md's list of tables and figures differs from data/manifest.csv: run "
        "`python -m netralitas.build.readme` (make book does)")


def test_readme_check_fails_on_drift(tmp_path, monkeypatch):
    root = paths.root()
    (tmp_path / "README.md").write_text(
        (root / "README.md").read_text(encoding="utf-8").replace(
            "| Tabel `tbl-d1-tabel1` | ", "| Tabel `tbl-d1-tabel1` | typed by hand ", 1),
        encoding="utf-8")
    for name in ("data", "_toc.yml", "references.bib"):
        (tmp_path / name).symlink_to(root / name)
    monkeypatch.setenv("NETRALITAS_ROOT", str(tmp_path))
    assert readme.main(["--check"]) == 1
    assert readme.main([]) == 0  # regenerates
    assert readme.main(["--check"]) == 0


def test_readme_without_markers_is_an_error():
    with pytest.raises(ValueError, match="markers"):
        readme.current_block("# no markers here\n")


@pytest.mark.parametrize("maker", sorted({m for cell in data.load("manifest")["maker"].dropna()
                                          for m in str(cell).split()}))
def test_every_maker_exists(maker):
    module, _, name = maker.rpartition(".")
    mod = importlib.import_module(module)
    assert hasattr(mod, name), f"data/manifest.csv names {maker}, which does not exist"
    assert name in getattr(mod, "__all__", []), f"{maker} is not in {module}.__all__"
