"""What the place stage hands to emit and check: pages of positioned items.

Coordinates are points from the trim's top-left corner, y growing downwards
(the emit stage converts to PDF space and adds the bleed).
"""
from __future__ import annotations

from pathlib import Path

import msgspec

from ..compose.model import SetGlyph
from ..compose.vertical import VerticalGlyph


class TextLine(msgspec.Struct, frozen=True):
    x: float                     # left edge of the line
    baseline: float
    glyphs: tuple[SetGlyph, ...]
    color: str                   # colour name from the style
    owner: str                   # story id or furniture name
    role: str


class Rule(msgspec.Struct, frozen=True):
    x0: float
    y0: float
    x1: float
    y1: float
    width: float
    color: str
    dash: tuple[float, ...] | None = None


class Box(msgspec.Struct, frozen=True):
    x: float
    y: float
    w: float
    h: float
    fill: str | None = None
    stroke: str | None = None
    width: float = 0.5
    dash: tuple[float, ...] | None = None


class PhotoFrame(msgspec.Struct, frozen=True):
    x: float
    y: float
    w: float
    h: float
    path: Path | None            # None or missing: a marked placeholder is drawn
    present: bool
    owner: str
    label: str                   # what the placeholder says
    fit: str = "fill"            # fill: crop to the frame; fit: the whole image inside it
    focus: tuple[float, float] = (0.5, 0.5)   # kept in view when cropping (0..1 from left, top)
    color: bool = False          # keep colour (a logo: CMYK) rather than the style's photo mode
    clear: tuple[float, float, float, float] | None = None   # a photo wrapped in text (issue 19): its
                                 # rectangle (image and caption) and the gap, kept free of text (x, y, w, h)
    clip: tuple[float, float, float, float] | None = None   # a photo across a spread's fold: the part
                                 # this page shows (x, y, w, h), up to the fold; None: the whole frame


class VerticalText(msgspec.Struct, frozen=True):
    """One vertical line of a headline block set vertically (issue 19, place/vertical.py):
    glyphs positioned from the line's central axis `x` and its top `y`."""
    x: float                     # the line's central axis
    y: float                     # top of the line
    glyphs: tuple[VerticalGlyph, ...]
    color: str
    owner: str
    role: str
    block: tuple[float, float, float, float]   # the whole headline block (x, y, w, h), for the proofs


Item = TextLine | Rule | Box | PhotoFrame | VerticalText


class Cell(msgspec.Struct, frozen=True):
    """A rectangle on the grid, 0-based basic column and grid line."""
    col: int
    line: int
    cols: int
    lines: int

    def overlaps(self, o: "Cell") -> bool:
        return not (self.col + self.cols <= o.col or o.col + o.cols <= self.col
                    or self.line + self.lines <= o.line or o.line + o.lines <= self.line)

    def label(self) -> str:
        c = f"{self.col + 1}-{self.col + self.cols}" if self.cols > 1 else f"{self.col + 1}"
        li = f"{self.line + 1}-{self.line + self.lines}"
        return f"columns: {c}, lines: {li}"


class PlacedModule(msgspec.Struct, frozen=True):
    owner: str                   # story id or "reserved:<title>"
    cell: Cell
    auto: bool                   # placed by the engine (not given in the plan)
    capacity: int                # body characters the module's text area holds
    copy_chars: int              # characters of copy (0 for reserved space)
    set_chars: int               # characters set on the page
    overset_chars: int
    overset_lines: int
    reserved: bool = False
    body_chars: int = 0          # body copy (what capacity is measured against)
    fold_part: bool = False      # the right page's part of a module across a spread's fold (its copy
                                 # and capacity are counted on the left page)
    across_fold: bool = False    # a part of a module across a spread's fold: it runs on to the fold
    span: tuple[float, float] | None = None   # off the basic columns (破栏, module.OffGrid): its left
                                 # edge from its cell's first column and its width, pt (None: its columns)

    def x_width(self, grid) -> tuple[float, float]:
        """The module's left edge and width on `grid`."""
        x = grid.col_x(self.cell.col)
        if self.span is None:
            return x, grid.span_width(self.cell.cols)
        return x + self.span[0], self.span[1]


class Finding(msgspec.Struct, frozen=True):
    severity: str                # error | warning | info
    code: str                    # overset, missing-glyph, missing-photo, awaiting-copy, ...
    page: int | None
    message: str
    where: str = ""


class PlacedPage(msgspec.Struct, frozen=True):
    number: int
    name: str
    width: float
    height: float
    items: tuple[Item, ...]
    modules: tuple[PlacedModule, ...]
    grid_left: float | None = None   # the type area's left edge when a spread's 中缝 moves it
    spread: tuple[int, int] | None = None   # the spread (通版) the page is half of


class LaidOutIssue(msgspec.Struct, frozen=True):
    pages: tuple[PlacedPage, ...]
    findings: tuple[Finding, ...]
