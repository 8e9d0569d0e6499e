"""Where the book's files are.

The project root is found from the package location (the package is installed editable from
``src/``). Tests and authors may point elsewhere with the environment variable
``NETRALITAS_ROOT`` (a folder holding ``data/`` and ``references.bib``).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["root", "data_dir", "bib_file", "book_dir"]


def root() -> Path:
    env = os.environ.get("NETRALITAS_ROOT")
    if env:
        return Path(env).resolve()
    return Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    return root() / "data"


def bib_file() -> Path:
    return root() / "references.bib"


def book_dir() -> Path:
    return root() / "book"
