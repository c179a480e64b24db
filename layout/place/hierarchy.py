"""Headline sizes settled once the page is made up: in order, and set apart.

The search (search.py) chooses the modules and their widths; each headline is then fitted at
the largest size of its level that its width allows. Two rules of the desk need the finished
page, so they are applied here, top to bottom and left to right:

- the lead has the largest headline, and a story never has a bigger headline than a story
  standing above it in the same columns (a lower story's headline is capped);
- two headlines side by side at one height are never of one size (碰题, tombstones): the later
  one steps down by cost.TOMBSTONE_STEP, not below its level's smallest size.

A headline only ever gets smaller here, so it never needs more lines: its module keeps the
lines the search gave it and the smaller type is centred in them.
"""
from __future__ import annotations

import msgspec

from . import cost
from .model import Cell


class Headline(msgspec.Struct, frozen=True):
    slot: int
    cell: Cell
    size: float          # the size its width allows
    min_size: float      # its level's smallest size
    lead: bool = False


def _beside(a: Cell, b: Cell) -> bool:
    return a.line == b.line and (a.col + a.cols == b.col or b.col + b.cols == a.col)


def _above(upper: Cell, lower: Cell) -> bool:
    return (upper.line + upper.lines <= lower.line
            and upper.col < lower.col + lower.cols and lower.col < upper.col + upper.cols)


def settle(heads: list[Headline]) -> dict[int, float]:
    """The size each headline is set at: slot -> size (only those that change)."""
    lead = next((h.size for h in heads if h.lead), None)
    done: list[tuple[Headline, float]] = []
    out: dict[int, float] = {}
    for h in sorted(heads, key=lambda h: (h.cell.line, h.cell.col)):
        size = h.size
        if lead is not None and not h.lead:
            size = min(size, lead)
        for d, ds in done:
            if _above(d.cell, h.cell):
                size = min(size, ds)
        for d, ds in done:
            if _beside(d.cell, h.cell) and abs(size - ds) < cost.TOMBSTONE_NEAR:
                size = max(h.min_size, min(size, ds - cost.TOMBSTONE_STEP))
        done.append((h, size))
        if size < h.size - 1e-6:
            out[h.slot] = size
    return out


def tombstones(heads: list[tuple[Cell, float]]) -> list[tuple[Cell, Cell]]:
    """Pairs of headlines side by side at one height and of one size (for checks and tests)."""
    out = []
    for a, sa in heads:
        for b, sb in heads:
            if a.col < b.col and _beside(a, b) and abs(sa - sb) < cost.TOMBSTONE_NEAR:
                out.append((a, b))
    return out
