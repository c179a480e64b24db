"""The punctuation rules: how wide every mark is, by the style, in every place.

One width per mark and pair, by the style (``composition.punctuation``), wherever it
falls inside a line (clreq "Punctuation Width Adjustment"; GB/T 15834 5.1.10):

* ``full`` (全角): every mark one em; two adjacent marks that would take 2 em take
  1.5 em (``。”`` ``”，`` ``）、`` ``（“``: the blank halves that meet are one);
* ``full-uncompressed`` (全角不挤压): every mark one em, pairs 2 em (every mark on the
  character grid);
* ``kaiming`` (开明): sentence-final marks (。？！) one em, the others half; two
  full-width marks that meet are compressed as in ``full``;
* ``half`` (半角): every mark half an em.

Inside a line nothing changes these widths: an isolated mark stays full width, a
compressed pair stays at 1.5 em (justification spreads the line evenly instead).
Only at the two ends of a line (today's line-start and line-end rules):

* a mark with its blank on the right at the line's end may be set half width (to
  push a character in, or as GB/T 15834 5.1.10 allows);
* with ``hanging``, one of 、，。 may hang past the measure.

An opening bracket at a line's start keeps its leading half, like every other line
start (clreq allows either; one way everywhere, and every glyph drawn inside its
column).

``mark_states`` gives, for each compressible mark of a cluster, its states as
(width, cost, tag), the natural one first; pieces.py combines them.  Tags: N full,
P half in a pair, Y half by the style, E half at the line end, H hanging.
"""
from __future__ import annotations

from . import charclass as cc

STYLES = ("full", "full-uncompressed", "kaiming", "half")

# costs (the breakers add these up with the others of pieces.py)
END_HALF = 0.5       # a mark at the line end set half width (GB/T 15834 5.1.10)
HANG = 3.0           # a hanging mark at the line end


def half_by_style(cls_code: str, style: str) -> bool:
    """The style sets this class of mark half width everywhere."""
    if style == "half":
        return True
    if style == "kaiming":
        return not cc.CLASSES[cls_code].final
    return False


def natural_states(comp: list, cls: list, s: int, e: int, style: str) -> dict[int, str]:
    """Natural state of each compressible mark of chars [s, e): 'N' full, 'Y' half by
    the style, 'P' the half of an adjacent pair that is taken away."""
    nat: dict[int, str] = {}
    for k in range(s, e):
        if comp[k]:
            nat[k] = "Y" if half_by_style(cls[k], style) else "N"
    if style == "full-uncompressed":
        return nat
    for k in range(s, e - 1):
        a, b = comp[k], comp[k + 1]
        if a and b and nat[k] == "N" and nat[k + 1] == "N":
            blank_right = a in "RB"
            blank_left = b in "LB"
            if blank_right and blank_left:      # 。“  ，（ : the second loses its leading half
                nat[k + 1] = "P"
            elif blank_right and b == "R":      # 。” ”， : the first loses its trailing half
                nat[k] = "P"
            elif a == "L" and blank_left:       # （“ : the second loses its leading half
                nat[k + 1] = "P"
    return nat


def mark_states(side: str, natural: str, full: float, last: bool,
                hangable: bool) -> list[tuple[float, float, str]]:
    """States of one compressible mark (ink side ``side``: L, R or B) of width ``full``
    when set full: the natural one first, then what the line's start or end allows."""
    half = full * 0.5
    if natural == "N":
        states = [(full, 0.0, "N")]
        if last and side in "RB":
            states.append((half, END_HALF, "E"))
    elif natural == "P":
        states = [(half, 0.0, "P")]
    else:  # 'Y'
        states = [(half, 0.0, "Y")]
    if last and hangable:
        states.append((0.0, HANG, "H"))
    return states
