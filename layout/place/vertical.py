"""A story's headline block set vertically (竖排标题) beside its body, in whole columns.

`headline_block: vertical` on a story (with `side: right`, the default, or `side: left`)
sets the kicker, the main headline and the deck as vertical lines in a rectangle of whole
basic columns and grid lines at that side of the module; the body takes the other columns.

Which way the lines follow one another: Chinese vertical text reads its lines from right to
left (W3C clreq, text directions: in vertical writing characters run top to bottom and lines
follow from right to left), so a block on the right of its body reads kicker, headline, deck
from the right towards the body. A block on the left of its body reads left to right, so that the
reading still runs from the block's outer edge into the body, as papers set a headline
that stands left of its story; the side is the editor's choice.

Within the block the kicker and the headline start one body em below the block's top and
the deck ends level with the headline's foot.

For the make-up: `vertical_block` sets the block for a cell and returns its items and the
columns it takes (built on `vertical_head`, the set block at a height, `columns_needed` and
`vertical_items`, its lines placed in a rectangle); `place_vertical` is the hook the current
module setter calls (module.py), `vertical_fill_range` the lines such a module may fill and
`vertical_fills` the exact heights the page search offers (variants.py).
"""
from __future__ import annotations

import math

import msgspec
import msgspec.structs

from ..compose.vertical import VerticalSetting, set_vertical
from ..load.issue import Story
from .model import Cell, Finding, PlacedModule, VerticalText
from .textset import Setter

MAX_KICKER_LINES = 2


class VerticalPart(msgspec.Struct, frozen=True):
    role: str
    setting: VerticalSetting
    pitch: float              # distance between the axes of neighbouring lines
    color: str
    align: str                # top: from the block's top; end: ending level with the headline


class VerticalHead(msgspec.Struct, frozen=True):
    parts: tuple[VerticalPart, ...]
    width: float              # pt across all its lines
    height: float             # the height it was set for
    fits: bool

    @property
    def chars(self) -> int:
        return sum(len(p.setting.text) for p in self.parts)

    @property
    def longest(self) -> float:
        return max((ln.length for p in self.parts for ln in p.setting.lines), default=0.0)


def _word_starts(setter: Setter, text: str) -> list[int]:
    starts, i = [], 0
    for w in setter.segmenter.words(text):
        starts.append(i)
        i += len(w)
    return starts


def _part(setter: Setter, text: str, role: str, length: float, size: float, max_lines: int,
          where: str, align: str) -> VerticalPart:
    ts = setter.role(role)
    comp = setter.style.composition
    spans = setter.spans(text, role, size, where)
    setting = set_vertical(spans, length, setter.fonts.faces, level=comp.prohibition,
                           quotes=comp.vertical_quotes,
                           word_starts=_word_starts(setter, text), max_lines=max_lines,
                           shapes=setter.vertical_shapes)
    return VerticalPart(role=role, setting=setting, pitch=ts.leading * size / ts.size, color=ts.color,
                        align=align)


def vertical_head(setter: Setter, story: Story, height: float) -> VerticalHead:
    """The story's kicker, headline and deck set vertically for a block `height` pt high:
    the headline at the largest size from its role's size down to its minimum at which it
    fits the role's lines."""
    grid = setter.style.grid
    length = max(grid.em, height - 2 * grid.em)
    parts = []
    if story.kicker:
        parts.append(_part(setter, story.kicker, "kicker", length, setter.role("kicker").size,
                           MAX_KICKER_LINES, f"story {story.id}, kicker", "top"))
    role = f"headline_{story.level}"
    ts = setter.role(role)
    size, floor = ts.size, ts.min_size or ts.size
    while True:
        main = _part(setter, story.headline, role, length, size, ts.max_lines, f"story {story.id}, headline",
                     "top")
        if main.setting.fits or size - 1.0 < floor - 1e-6:
            break
        size -= 1.0
    parts.append(main)
    if story.deck:
        parts.append(_part(setter, story.deck, "deck", length, setter.role("deck").size, MAX_KICKER_LINES,
                           f"story {story.id}, deck", "end"))
    width = sum(p.pitch * len(p.setting.lines) for p in parts)
    return VerticalHead(parts=tuple(parts), width=width, height=height,
                        fits=all(p.setting.fits for p in parts))


def columns_needed(setter: Setter, head: VerticalHead) -> int:
    """Whole basic columns that hold the block with half a body em clear at each side."""
    grid = setter.style.grid
    for k in range(1, grid.columns + 1):
        if grid.span_width(k) >= head.width + grid.em - 1e-6:
            return k
    return grid.columns


def vertical_items(head: VerticalHead, x: float, y: float, w: float, h: float, side: str,
                   owner: str, em: float) -> list[VerticalText]:
    """The block's lines placed in the rectangle (x, y, w, h), reading from the outer edge
    (right for side "right", left for "left") towards the body."""
    block = (x, y, w, h)
    step = -1.0 if side == "right" else 1.0
    edge = x + (w + head.width) / 2 if side == "right" else x + (w - head.width) / 2
    top = y + em
    main_end = top + max((ln.length for p in head.parts if p.align == "top" and p.role.startswith("headline")
                          for ln in p.setting.lines), default=0.0)
    items = []
    for part in head.parts:
        for ln in part.setting.lines:
            axis = edge + step * part.pitch / 2
            edge += step * part.pitch
            # kicker and headline from the top; the deck ends level with the headline
            y0 = top if part.align == "top" else max(top, main_end - ln.length)
            items.append(VerticalText(x=axis, y=y0, glyphs=ln.glyphs, color=part.color, owner=owner,
                                      role=part.role, block=block))
    return items


def _needs(setter: Setter, story: Story, lines: int) -> tuple[VerticalHead, int]:
    grid = setter.style.grid
    head = vertical_head(setter, story, lines * grid.pitch)
    return head, columns_needed(setter, head)


def vertical_block(setter: Setter, story: Story, cell: Cell) -> tuple[list[VerticalText], int, VerticalHead]:
    """The story's headline block set vertically for `cell`'s height and placed at its side
    (story.side) of the cell: (items, the basic columns it takes from that side, the block).
    The make-up gives the body the other cell.cols - columns; a block that needs every
    column of the cell leaves none (the caller sets the headline across instead)."""
    grid = setter.style.grid
    head, k = _needs(setter, story, cell.lines)
    k = min(k, cell.cols)
    col = cell.col if story.side == "left" else cell.col + cell.cols - k
    items = vertical_items(head, grid.col_x(col), grid.line_top(cell.line), grid.span_width(k),
                           cell.lines * grid.pitch, story.side, story.id, grid.em)
    return items, k, head


def vertical_fill_range(ms, story: Story, cell_cols: int, columns: int | None) -> tuple[int, int] | None:
    """(fewest, most) grid lines a module `cell_cols` wide with this story's vertical headline
    block can fill; None when the module is too narrow to give the block columns of its own."""
    grid = ms.grid
    if cell_cols < 2:
        return None
    lo, hi = ms.fill_range(story, cell_cols - 1, columns, headless=True)
    head, k = _needs_at(ms, story, hi)
    if k >= cell_cols:
        return None
    if k > 1:
        lo, hi = ms.fill_range(story, cell_cols - k, columns, headless=True)
    # the block must hold its longest line with an em clear at top and bottom
    need = math.ceil((head.longest + 2 * grid.em) / grid.pitch)
    return max(lo, need), max(hi, need)


class VerticalFill(msgspec.Struct, frozen=True):
    """A height at which a module with a vertical headline block ends its body level."""
    lines: int                # grid lines of the module (the block's and the body's)
    short: int                # body column-lines ending one line above the foot (level by the style)
    room_chars: int           # the body's text area, in characters
    copy_chars: int           # the body's characters
    fits: bool = True         # the block holds the headline at a size its role allows


def _needs_at(ms, story: Story, lines: int) -> tuple[VerticalHead, int]:
    """_needs, kept by the module setter: the search asks for one block at many widths."""
    key = (story.id, story.headline, story.kicker, story.deck, lines)
    got = ms.vertical_heads.get(key)
    if got is None:
        got = ms.vertical_heads[key] = _needs(ms.setter, story, lines)
    return got


def vertical_fills(ms, story: Story, cell_cols: int, columns: int | None,
                   worth=None) -> list[VerticalFill]:
    """The heights a module `cell_cols` wide with this story's vertical headline block fills
    exactly: the body, beside the block's columns at that height and with each photo size the
    module setter may choose (ModuleSetter.flow), ends level at the module's foot or one line
    above it, and the block holds its headline. Between such heights the body would end short
    of the foot (issue 21 saw holes of 3 and 17 lines under vertical modules). `worth`: a test
    of a height; heights it refuses are not set (the search's bound: a horizontal block is
    cheaper there)."""
    from .module import balance, story_columns

    got = vertical_fill_range(ms, story, cell_cols, columns)
    if got is None:
        return []
    lo, hi = got
    out: list[VerticalFill] = []
    fills_of: dict[int, dict[int, VerticalFill]] = {}     # body columns -> height -> its fill
    for h in range(lo, hi + 2):
        if worth is not None and not worth(h):
            continue
        head, k = _needs_at(ms, story, h)
        need = math.ceil((head.longest + 2 * ms.grid.em) / ms.grid.pitch)
        if k >= cell_cols or need > h:
            continue
        fills = fills_of.get(cell_cols - k)
        if fills is None:
            fills = fills_of[cell_cols - k] = _level_fills(ms, story, cell_cols - k, columns)
        best = fills.get(h)
        if best is not None:
            out.append(msgspec.structs.replace(best, fits=head.fits))
    return out


def _level_fills(ms, story: Story, body_cols: int, columns: int | None) -> dict[int, VerticalFill]:
    """The heights at which the body in `body_cols` columns beside the block ends level (at
    the foot or a line above it in every column), each with the photo size leaving the fewest
    short columns (the first of equals, in the module setter's order). A photo size's columns
    are the same at every height that holds its copy, so each is balanced once and stands at
    its bottom line or one below (asked per height and photo size, this was a seventh of a
    photo page's variants)."""
    from .module import balance, story_columns

    sc = story_columns(ms.grid, body_cols, columns if columns and columns <= 2 * body_cols else None)
    text = ms.body_lines(story, sc.width)      # counted, not set: only the page's choice is set
    n = len(text.lines)
    out: dict[int, VerticalFill] = {}
    for plan in ms.photo_plans(story, sc):
        starts = list(plan.starts(sc.count))
        bottom, per_column = balance(n, starts, max(starts, default=0) + max(n, 1))
        photo_foot = plan.lines - 1 if plan.cols else 0
        used = max(bottom, photo_foot)
        # each column's end: its text, or the photo's foot where no text stands under it
        first = plan.first(sc.count)
        ends = [photo_foot if per_column[c] == 0 and first <= c < first + plan.cols else starts[c] + per_column[c]
                for c in range(sc.count)]
        for h in (used, used + 1):
            if h - min(ends) > 1:
                continue
            short = sum(h - end for end in ends)
            best = out.get(h)
            if best is None or short < best.short:
                room = sum(max(0, h - st) for st in starts)
                out[h] = VerticalFill(h, short, room * sc.chars, text.chars)
    return out


def place_vertical(ms, story: Story, cell: Cell, columns: int | None, page: int, auto: bool,
                   jump_to: int | None, jumped_from: int | None,
                   chars: int | None) -> tuple[list, PlacedModule, list[Finding], int]:
    """Set the story with its headline block vertical at its side of `cell`, the body in the
    remaining columns (ModuleSetter.place's result). A module too narrow to give the block
    columns of its own sets the headline across the top, with a warning."""
    head_items, k, head = vertical_block(ms.setter, story, cell) if cell.cols >= 2 else ([], cell.cols, None)
    if k >= cell.cols:
        flat = msgspec.structs.replace(story, headline_block="horizontal")
        got = ms.place(flat, cell, columns, page, auto, 0, jump_to, jumped_from, chars)
        got[2].append(Finding("warning", "vertical-headline", page,
                              f"the vertical headline block of '{story.id}' needs {k} of the module's "
                              f"{cell.cols} column(s) ({cell.label()}); set across the top instead",
                              f"story {story.id}"))
        return got
    body_cell = Cell(cell.col + (k if story.side == "left" else 0), cell.line, cell.cols - k, cell.lines)
    body_columns = columns if columns and columns <= 2 * body_cell.cols else None
    items, pm, findings, nxt = ms.place(story, body_cell, body_columns, page, auto, 0, jump_to, jumped_from,
                                        chars, headless=True)
    items = items + head_items
    if not head.fits:
        findings.append(Finding("warning", "headline-fit", page,
                                f"vertical headline block of '{story.id}' does not fit {cell.lines} grid lines "
                                f"even at its minimum size", f"story {story.id}"))
    chars_set = head.chars
    pm = msgspec.structs.replace(pm, cell=cell, copy_chars=pm.copy_chars + chars_set,
                                 set_chars=pm.set_chars + chars_set)
    return items, pm, findings, nxt
