"""One colour-blind-safe palette: every chromatic colour in the package is Okabe–Ito.

Scans src/netralitas/**/*.py (the drawing code is in plots/) for colour literals. A hex colour
that is not grey must be one of ``netralitas.plots.style.PALETTE``; a named colour must be
neutral (white, black, grey, none); a colormap must be a single-hue or perceptually uniform
sequential map (readable with colour-vision deficiency).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from netralitas.plots import style

SRC = Path(__file__).resolve().parents[1] / "src" / "netralitas"
HEX = re.compile(r"""["'](#[0-9A-Fa-f]{6}|#[0-9A-Fa-f]{3})["']""")
NAMED = re.compile(
    r"""\b(?:color|colour|facecolor|edgecolor|c|mec|mfc|linecolor)\s*=\s*["']([A-Za-z]+)["']""")
CMAP = re.compile(r"""\bcmap\s*=\s*["']([A-Za-z_]+)["']""")
NEUTRAL_NAMES = {"white", "black", "none", "grey", "gray", "k", "w"}
SEQUENTIAL_CMAPS = {"Blues", "Greys", "Oranges", "cividis", "viridis",
                    "Blues_r", "Greys_r", "cividis_r", "viridis_r"}
OKABE_ITO = {c.upper() for c in style.PALETTE}


def _expand(hex_colour: str) -> str:
    h = hex_colour.lstrip("#").upper()
    return "#" + ("".join(ch * 2 for ch in h) if len(h) == 3 else h)


def _is_grey(hex_colour: str) -> bool:
    h = _expand(hex_colour)[1:]
    return h[0:2] == h[2:4] == h[4:6]


def test_palette_is_okabe_ito():
    assert OKABE_ITO == {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00",
                         "#CC79A7", "#000000"}


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: p.relative_to(SRC).as_posix())
def test_only_palette_colours_in_source(path):
    text = path.read_text(encoding="utf-8")
    bad = []
    where, use = path.relative_to(SRC), "use netralitas.plots.style.PALETTE"
    for i, line in enumerate(text.splitlines(), 1):
        for h in HEX.findall(line):
            if not _is_grey(h) and _expand(h) not in OKABE_ITO:
                bad.append(f"{where}:{i}: {h} is not an Okabe–Ito colour ({use})")
        for name in NAMED.findall(line):
            if name.lower() not in NEUTRAL_NAMES:
                bad.append(f"{where}:{i}: named colour {name!r} ({use})")
        for cmap in CMAP.findall(line):
            if cmap not in SEQUENTIAL_CMAPS:
                bad.append(f"{where}:{i}: colormap {cmap!r} is not in {sorted(SEQUENTIAL_CMAPS)}")
    assert not bad, "\n".join(bad)


def test_checker_flags_foreign_colours(tmp_path):
    assert not _is_grey("#FF0000") and _is_grey("#ddd") and _expand("#abc") == "#AABBCC"
    line = 'ax.plot(x, color="red"); ax.bar(x, color="#1f77b4"); sns.heatmap(d, cmap="jet")'
    assert HEX.findall(line) == ["#1f77b4"] and NAMED.findall(line) == ["red"]
    assert CMAP.findall(line) == ["jet"]
