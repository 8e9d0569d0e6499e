"""The only code that draws: timelines, evidence figures, forest and power plots, the patronage
diagram. Each function takes frames computed by the domain modules (``netralitas.calendar``,
``netralitas.evidence``, ``netralitas.stats``, ``netralitas.patronage`` …) and returns a
:class:`matplotlib.figure.Figure` (never pyplot), every drawn element carrying a ``gid``."""

from __future__ import annotations

import importlib

__all__ = ["style", "timelines", "evidence", "stats", "patronage"]


def __getattr__(name: str):
    # Lazy sub-modules: `nt.plots.timelines.election_timeline(...)` imports matplotlib on use.
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'netralitas.plots' has no attribute {name!r}")
