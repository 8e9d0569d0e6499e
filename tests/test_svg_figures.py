"""Figures are SVG and deterministic (netralitas.nb.setup): stored outputs and a fresh render."""

from __future__ import annotations

import json
import re

import pytest

from netralitas import paths

BOOK = sorted((paths.root() / "book").glob("*.ipynb"))


def _images(nb: dict) -> list[tuple[str, str]]:
    found = []
    for c in nb["cells"]:
        for o in c.get("outputs", []):
            for k, v in o.get("data", {}).items():
                if "image/" in k:
                    found.append((k, "".join(v) if isinstance(v, list) else v))
    return found


def test_book_has_figures_and_all_are_svg():
    images = [i for p in BOOK for i in _images(json.loads(p.read_text(encoding="utf-8")))]
    assert len(images) >= 5
    assert all(k.endswith("image/svg+xml") for k, _ in images), [k for k, _ in images]


@pytest.mark.parametrize("path", BOOK, ids=lambda p: p.stem)
def test_stored_svg_has_nothing_that_varies(path):
    for _, svg in _images(json.loads(path.read_text(encoding="utf-8"))):
        assert "<dc:date>" not in svg, f"{path.name}: a date in the SVG metadata"
        assert svg.lstrip().startswith("<?xml") and "</svg>" in svg


def test_fresh_render_is_byte_identical():
    pytest.importorskip("matplotlib_inline")
    import matplotlib.pyplot as plt
    from IPython.core.pylabtools import print_figure

    from netralitas import nb

    nb.setup()
    assert plt.rcParams["svg.hashsalt"]

    def render() -> str:
        fig, ax = plt.subplots()
        ax.plot([0, 1, 2], [2, 0, 1], label="a")
        ax.fill_between([0, 1, 2], 0, 1, alpha=0.3)  # a clip path: its id comes from the salt
        ax.legend()
        svg = print_figure(fig, "svg", metadata={"Date": None})
        plt.close(fig)
        return svg

    a, b = render(), render()
    assert a == b
    assert not re.search(r"<dc:date>", a)
