"""Spreads (通版): two facing pages made up as one design across the fold.

A spread is laid out on one grid of both pages' basic columns (the left page's, then the
right page's), so the make-up search, the modules and their copy see one wide page. The 中缝
(the centre gutter, `page.spread_gutter` in the style) is wider than a column gutter; the grid
"runs on" across it: on the spread's grid the fold is an ordinary gutter, and when the spread is
cut into its two PDF pages everything right of the fold moves over by the difference.

Cutting at the fold (`split`), item by item:
- a line of text goes to the page its glyphs stand on; a line of a module across the fold (a
  headline across both pages) is set on paper across the 中缝 as it stands in its module, and
  cut between two characters with a gutter's width clear of the fold, so that page 2 ends and
  page 3 begins the same headline;
- a photo crossing the fold is printed whole across the 中缝, each page drawing its part (a
  clip at the fold); a frame awaiting its photo is drawn as two marked halves;
- a rule or box crossing the fold runs on across the 中缝 and is cut at the fold, a stroked
  box drawn open on its fold side, so that the two parts read as one frame;
- a module crossing the fold is recorded on both pages: on the left with its copy and capacity,
  on the right as its part (`fold_part`), so that nothing is counted twice.
"""
from __future__ import annotations

import msgspec

from ..load.style import Grid, PageGeometry
from .model import Box, Cell, PhotoFrame, PlacedModule, Rule, TextLine, VerticalText


class Spread(msgspec.Struct, frozen=True):
    """Where the two pages of a spread and their shared grid lie. Coordinates on the spread's
    grid are the left page's (its x from the left page's trim edge)."""
    grid: Grid             # the spread's grid: both pages' columns, lines the two pages share
    left: Grid             # each page's own grid (its type area moved to the 中缝 where the style says)
    right: Grid
    columns: int           # basic columns of one page: the fold follows column `columns`
    page_width: float

    @property
    def fold_left(self) -> float:
        """On the spread's grid: the right edge of the left page's type area."""
        return self.grid.col_x(self.columns) - self.grid.gutter

    @property
    def fold_right(self) -> float:
        """On the spread's grid: the left edge of the right page's type area."""
        return self.grid.col_x(self.columns)

    @property
    def fold(self) -> float:
        return (self.fold_left + self.fold_right) / 2

    def to_left(self, x: float) -> float:
        return x + self.left.left - self.grid.left

    def to_right(self, x: float) -> float:
        """A spread-grid x right of the fold, on the right page (from its trim's left edge)."""
        return x - self.fold_right + self.right.left


def spread_frame(grid: Grid, page: PageGeometry, lines: int) -> Spread:
    """The spread of two pages of this grid, `lines` grid lines (what both pages have free)."""
    gutter = page.spread_gutter if page.spread_gutter is not None else 2 * grid.left
    left = msgspec.structs.replace(grid, left=page.width - gutter / 2 - grid.width)
    right = msgspec.structs.replace(grid, left=gutter / 2)
    wide = msgspec.structs.replace(grid, columns=2 * grid.columns, lines=lines)
    return Spread(grid=wide, left=left, right=right, columns=grid.columns, page_width=page.width)


def crosses(cell: Cell, spread: Spread) -> bool:
    return cell.col < spread.columns < cell.col + cell.cols


# --------------------------------------------------------------------------- cutting at the fold

def on_paper(spread: Spread, x: float) -> float:
    """A spread-grid x on the spread as printed, both pages side by side (the right page's
    trim starts at the left page's width): the 中缝 stretched from a gutter to its width."""
    if x <= spread.fold_left:
        return spread.to_left(x)
    if x >= spread.fold_right:
        return spread.page_width + spread.to_right(x)
    a, b = spread.to_left(spread.fold_left), spread.page_width + spread.to_right(spread.fold_right)
    return a + (x - spread.fold_left) / (spread.fold_right - spread.fold_left) * (b - a)


def split(spread: Spread, groups: list[tuple[Cell | None, list]],
          modules: list[PlacedModule]) -> tuple[list, list, list, list]:
    """The spread's items (in groups: a module's items with its cell, or the rules between
    modules with None) and its modules cut into the left page's and the right page's."""
    left: list = []
    right: list = []
    for cell, items in groups:
        span = None
        if cell is not None and crosses(cell, spread):
            x0 = spread.grid.col_x(cell.col)
            x1 = x0 + spread.grid.span_width(cell.cols)
            span = (x0, x1, on_paper(spread, x0), on_paper(spread, x1))
        for it in items:
            a, b = _split_item(spread, it, span)
            left.extend(a)
            right.extend(b)
    mods_left: list[PlacedModule] = []
    mods_right: list[PlacedModule] = []
    n = spread.columns
    for m in modules:
        c = m.cell
        if c.col + c.cols <= n:
            mods_left.append(m)
        elif c.col >= n:
            mods_right.append(msgspec.structs.replace(m, cell=Cell(c.col - n, c.line, c.cols, c.lines)))
        else:
            mods_left.append(msgspec.structs.replace(m, cell=Cell(c.col, c.line, n - c.col, c.lines),
                                                     across_fold=True))
            mods_right.append(msgspec.structs.replace(
                m, cell=Cell(0, c.line, c.col + c.cols - n, c.lines), capacity=0, copy_chars=0, set_chars=0,
                overset_chars=0, overset_lines=0, body_chars=0, fold_part=True, across_fold=True))
    return left, right, mods_left, mods_right


def _split_item(spread: Spread, it, span) -> tuple[list, list]:
    if isinstance(it, TextLine):
        return _split_line(spread, it, span)
    if isinstance(it, VerticalText):          # one column of characters: on the side of its axis
        if it.x < spread.fold:
            return [_moved(it, spread.to_left)], []
        return [], [_moved(it, spread.to_right)]
    if isinstance(it, Rule):
        return _split_rule(spread, it)
    if isinstance(it, Box):
        return _split_box(spread, it)
    if isinstance(it, PhotoFrame):
        return _split_photo(spread, it)
    raise TypeError(f"no way to cut {type(it).__name__} at the fold")


def _moved(it, to):
    out = msgspec.structs.replace(it, x=to(it.x))
    if isinstance(it, VerticalText):
        bx, by, bw, bh = it.block
        out = msgspec.structs.replace(out, block=(to(bx), by, bw, bh))
    return out


def _split_line(spread: Spread, ln: TextLine, span) -> tuple[list, list]:
    if not ln.glyphs:
        return ([_moved(ln, spread.to_left)], []) if ln.x < spread.fold else ([], [_moved(ln, spread.to_right)])
    g0, g1 = ln.glyphs[0], ln.glyphs[-1]
    start, end = ln.x + g0.x, ln.x + g1.x + g1.advance
    if end <= spread.fold or span is None and (start + end) / 2 < spread.fold:
        return [_moved(ln, spread.to_left)], []
    if start >= spread.fold or span is None:
        return [], [_moved(ln, spread.to_right)]
    # a line of a module across the fold (its headline, a caption): set on paper as it stands
    # in its module -- centred, or kept to the module's left or right edge -- then cut between
    # two characters, the fold a gutter's width from either part
    x0, x1, paper0, paper1 = span
    before, after = start - x0, x1 - end
    if abs(before - after) <= 1.0:
        shift = (paper0 + paper1) / 2 - (start + end) / 2
    elif before < after:
        shift = paper0 - x0
    else:
        shift = paper1 - x1
    fold = spread.page_width
    glyph_x = [ln.x + shift + g.x for g in ln.glyphs]
    cut = next((k for k, g in enumerate(ln.glyphs) if glyph_x[k] + g.advance / 2 >= fold), len(ln.glyphs))
    if cut in (0, len(ln.glyphs)):
        return ([msgspec.structs.replace(ln, x=ln.x + shift)], []) if cut else \
            ([], [msgspec.structs.replace(ln, x=ln.x + shift - fold)])
    last, first = ln.glyphs[cut - 1], ln.glyphs[cut]
    clear = spread.grid.gutter / 2
    back = min(0.0, fold - clear - (glyph_x[cut - 1] + last.advance))
    on = max(0.0, fold + clear - glyph_x[cut])
    a = msgspec.structs.replace(ln, x=ln.x + shift + back, glyphs=ln.glyphs[:cut])
    b = msgspec.structs.replace(ln, x=ln.x + shift + on - fold, glyphs=ln.glyphs[cut:])
    return [a], [b]


def _split_rule(spread: Spread, r: Rule) -> tuple[list, list]:
    x0, x1 = sorted((r.x0, r.x1))
    if x0 == x1 and abs(x0 - spread.fold) < 1e-6:
        return [], []           # a column rule in the fold's gutter: the 中缝 itself parts the pages
    if x1 <= spread.fold:
        return [msgspec.structs.replace(r, x0=spread.to_left(r.x0), x1=spread.to_left(r.x1))], []
    if x0 >= spread.fold:
        return [], [msgspec.structs.replace(r, x0=spread.to_right(r.x0), x1=spread.to_right(r.x1))]
    # a rule across the fold (only a horizontal one can be): one rule on paper, cut at the fold
    fold = spread.page_width
    return ([msgspec.structs.replace(r, x0=on_paper(spread, x0), x1=fold)],
            [msgspec.structs.replace(r, x0=0.0, x1=on_paper(spread, x1) - fold)])


def _one_side(spread: Spread, it) -> tuple[list, list] | None:
    """An item (with x and w) wholly on one side of the fold, moved onto its page; None if it crosses."""
    if it.x + it.w <= spread.fold:
        return [_moved(it, spread.to_left)], []
    if it.x >= spread.fold:
        return [], [_moved(it, spread.to_right)]
    return None


def _split_box(spread: Spread, bx: Box) -> tuple[list, list]:
    side = _one_side(spread, bx)
    if side is not None:
        return side
    fold = spread.page_width
    lx0, rx1 = on_paper(spread, bx.x), on_paper(spread, bx.x + bx.w) - fold
    left: list = []
    right: list = []
    if bx.fill:
        left.append(msgspec.structs.replace(bx, x=lx0, w=fold - lx0, stroke=None))
        right.append(msgspec.structs.replace(bx, x=0.0, w=rx1, stroke=None))
    if bx.stroke:       # a frame across the fold: one frame on paper, each page's part open at the fold
        inset = bx.width / 2        # its rules drawn inside the box's edges, as the box's path is
        y0, y1 = bx.y + inset, bx.y + bx.h - inset

        def rule(xa, ya, xb, yb):
            return Rule(xa, ya, xb, yb, bx.width, bx.stroke, bx.dash)
        left += [rule(lx0, y0, fold, y0), rule(lx0, y1, fold, y1), rule(lx0 + inset, y0, lx0 + inset, y1)]
        right += [rule(0.0, y0, rx1, y0), rule(0.0, y1, rx1, y1), rule(rx1 - inset, y0, rx1 - inset, y1)]
    return left, right


def _split_photo(spread: Spread, fr: PhotoFrame) -> tuple[list, list]:
    side = _one_side(spread, fr)
    if side is not None:
        return side
    fold = spread.page_width
    x0, x1 = on_paper(spread, fr.x), on_paper(spread, fr.x + fr.w)
    if not fr.present:
        # a frame awaiting its photo: two marked halves that meet at the fold
        return ([msgspec.structs.replace(fr, x=x0, w=fold - x0)],
                [msgspec.structs.replace(fr, x=0.0, w=x1 - fold)])
    # the photo printed whole across the 中缝: one frame as wide as it stands on paper, each
    # page showing its part up to the fold (the trim edge the two pages share)
    return ([msgspec.structs.replace(fr, x=x0, w=x1 - x0, clip=(x0, fr.y, fold - x0, fr.h))],
            [msgspec.structs.replace(fr, x=x0 - fold, w=x1 - x0, clip=(0.0, fr.y, x1 - fold, fr.h))])
