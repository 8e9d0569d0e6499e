"""pytest plugin: nbval's cell-by-cell check of *fresh* outputs the executor already produced.

``make test`` executes every chapter once (``python -m netralitas.build.verify``: the executor with
``--force``, in parallel). This plugin then runs nbval's own comparison on each code cell, with
nbval's rules unchanged: its sanitize file (``--nbval-sanitize-with``), its cell markers and tags
(``NBVAL_IGNORE_OUTPUT``, ``NBVAL_SKIP``, ``raises-exception``, …), its stream coalescing, its
list of compared keys (strict mode, not ``--nbval-lax``) and its failure report. The reference is
the notebook as stored before the run (a copy in ``--nbval-stored DIR``); the "test" outputs are
the ones the executor just wrote to ``book/``. Only the kernel round-trip is not repeated: the
notebook was executed by the executor moments before, so nbval does not execute it a second time.

Loaded with ``-p netralitas.build.nbreplay``; it collects ``*.ipynb`` only when ``--nbval-stored``
is given and ``--nbval`` is not (``make nbval`` still runs nbval's own kernel, unchanged).
"""

from __future__ import annotations

import copy
from collections import defaultdict
from pathlib import Path

import nbformat
import pytest
from nbval.plugin import (
    IPyNbCell,
    IPyNbFile,
    coalesce_streams,
    find_comment_markers,
    find_metadata_tags,
)

__all__ = ["pytest_addoption", "pytest_collect_file", "StoredVsFresh", "FreshCell"]


def pytest_addoption(parser):
    parser.getgroup("nbval").addoption(
        "--nbval-stored", default=None,
        help="folder with the notebooks as stored before a fresh execution; the collected "
             "notebooks hold the fresh outputs, compared cell by cell with nbval's rules")


def pytest_collect_file(file_path, parent):
    opt = parent.config.option
    if opt.nbval_stored and not (opt.nbval or opt.nbval_lax) and file_path.suffix == ".ipynb":
        return StoredVsFresh.from_parent(parent, path=file_path)
    return None


def _code_cells(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code"]


class StoredVsFresh(IPyNbFile):
    """One chapter: stored notebook (reference) vs the freshly executed one (test)."""

    def setup(self):  # no kernel: the executor already ran this notebook
        self.setup_sanitize_files()

    def collect(self):
        stored_path = Path(self.config.option.nbval_stored) / self.path.name
        if not stored_path.is_file():
            raise pytest.UsageError(f"{self.path.name}: no stored copy in {stored_path.parent}")
        self.nb = nbformat.read(str(stored_path), as_version=4)
        fresh = nbformat.read(str(self.path), as_version=4)
        stored_cells, fresh_cells = _code_cells(self.nb), _code_cells(fresh)
        if [c.source for c in stored_cells] != [c.source for c in fresh_cells]:
            raise pytest.UsageError(f"{self.path.name}: code cells of the stored and the fresh "
                                    "notebook differ (was the notebook edited during the run?)")
        for cell_num, (cell, fresh_cell) in enumerate(zip(stored_cells, fresh_cells)):
            # nbval's own option logic (IPyNbFile.collect): metadata tags, then comment markers
            options = defaultdict(bool, find_metadata_tags(cell.metadata))
            options.update(dict(find_comment_markers(cell.source)))
            options.setdefault("check", self.compare_outputs)
            yield FreshCell.from_parent(self, name=f"Cell {cell_num}", cell_num=cell_num,
                                        cell=cell, options=options, fresh=fresh_cell)


class FreshCell(IPyNbCell):
    def __init__(self, name, parent, cell_num, cell, options, fresh):
        super().__init__(name, parent, cell_num, cell, options)
        self.fresh = fresh

    def runtest(self):
        """nbval's ``IPyNbCell.runtest`` after the kernel round-trip, on the fresh outputs."""
        if self.options["skip"]:
            pytest.skip()
        outs = [copy.deepcopy(o) for o in self.fresh.get("outputs", [])]
        self.test_outputs = outs
        for out in outs:
            if out.output_type == "error" and not self.options["check_exception"]:
                self.raise_cell_error("Cell execution caused an exception",
                                      "\n" + "\n".join(out.get("traceback", [])))
        if self.fresh.get("execution_count") is None and self.fresh.source.strip():
            self.raise_cell_error("Cell was not executed in the fresh run")
        outs[:] = coalesce_streams(outs)
        unrun = self.cell.execution_count is None
        if unrun and self.cell.outputs:
            self.raise_cell_error("Unrun reference cell has outputs")
        if self.options["check"] and not unrun:
            ref = coalesce_streams([copy.deepcopy(o) for o in self.cell.outputs])
            if not self.compare_outputs(outs, ref):
                self.raise_cell_error("Cell outputs differ", "\n".join(self.comparison_traceback))
