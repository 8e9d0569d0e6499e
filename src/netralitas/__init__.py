"""netralitas — data, analysis and figures for the reproducibility book on
"Netralitas Birokrasi dalam Pemilu dan Pilkada sejak Tahun 2024 di Kota Pangkalpinang".

Submodules are imported on demand so that a chapter pays only for the libraries it uses:

- ``netralitas.data``    validated loading of ``data/*.csv`` (Frictionless Data Package)
- ``netralitas.bib``     the bibliography (``references.bib``) via bibtexparser
- ``netralitas.tables``  tables of the book (DataFrames)
- ``netralitas.nb``      notebook set-up (deterministic figures, display helpers)
- ``netralitas.plots``   the drawing code (matplotlib), on frames from the domain modules

Build machinery (re-execution of chapters, site checks) is in ``netralitas.build``; chapters
never import it.
"""

from __future__ import annotations

import importlib

__all__ = ["data", "bib", "tables", "nb", "plots", "paths"]
__version__ = "0.1.0"


def __getattr__(name: str):
    # Lazy submodule access: `import netralitas as nt; nt.data.load(...)`.
    if name.startswith("_"):
        raise AttributeError(name)
    try:
        return importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"{__name__}.{name}":
            raise AttributeError(f"module 'netralitas' has no attribute {name!r}") from None
        raise
