"""Shared fixtures: a throw-away copy of the project's data and bibliography."""

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


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "slow: starts a kernel or runs make (a few seconds each); still part of make test")
