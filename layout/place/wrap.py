"""A photo set inside its story's text, the lines beside it shortened (图文互斥, issue 19).

A story whose photo has `wrap:` stands the photo in a rectangle of its module's text area:
story columns and grid lines (`wrap: {columns: 2, lines: 8-20, chars: 6, side: right}`), or
a place keyword (`left`, `center`, `right`; `true` is `center`) that the engine sizes from
the image's shape. Its caption stands under the image inside the rectangle.

* The photo may stand in part of one column or across gutters in parts of two or more
  (`wrap: center` in a module of two or more columns: across the middle gutter, a column and
  a little more wide). Each column's lines beside it are the column less the photo's overlap
  and the gap (the style's `composition.wrap_gap`, in whole characters; one by default),
  counted from that column's edge, so the short lines stay whole characters on the grid; the
  text keeps to the side of the column away from it. A line that would be shorter than
  MIN_SHORT_CHARS is not set: the photo takes that column.
* A photo of whole columns takes the whole column width of the lines it covers: those lines
  stay empty and the text goes on under it.
* Above and below, the grid lines closer to the photo than the gap are kept clear (shortened
  or left empty as beside it).

The text flows column by column, top to bottom, over the lines that are left, so it reads
in order around the photo; each paragraph gets the measures of the lines it falls on
(compose_paragraph's `line_measures`), so the short lines are set with every rule the full
ones are (prohibitions, punctuation widths, justification). Columns end level (齐底): the
lowest common bottom that holds the copy as it is actually set around the photo, the last
columns a line above it where the copy falls short (wrap_fit); the make-up's variant takes
that depth, so the module is exactly as tall as its copy. Copy too short for a photo the
plan places deeper is reported (wrap-level), not left silently ragged.
"""
from __future__ import annotations

import math

import msgspec

from ..compose.model import SetLine
from ..load.issue import Story, Wrap
from .model import Cell, Finding, PhotoFrame, PlacedModule, TextLine
from .module import PHOTO_ASPECT, ModuleSetter, StoryColumns, baseline_in, body_parts, story_columns
from .textset import SetBlock

TOP_LINES = 2               # an automatic photo's least text-area lines above it
MIN_SHORT_CHARS = 4         # a line beside a photo shorter than this is not set: the photo takes the column


class WrapSlot(msgspec.Struct, frozen=True):
    """One grid line of one story column that takes text."""
    column: int
    line: int               # text-area line, 0-based
    offset: float           # from the column's left edge, pt
    measure: float


class WrapPlace(msgspec.Struct, frozen=True):
    """Where the wrapped photo stands, in the module's story columns and text-area lines: a
    rectangle that may stand across gutters, in parts of two or more story columns."""
    column: int             # first story column it reaches into (0-based)
    columns: int            # story columns it reaches into
    line: int               # first text-area line (0-based)
    lines: int              # text-area lines, image and caption
    img_lines: int
    x: float                # left edge from the module's left edge, pt
    width: float
    chars: int | None       # width in characters; None: whole columns
    side: str
    cap: SetBlock | None
    gap: int                # characters kept clear beside it


def default_chars(cols: StoryColumns, gap: int, gutter: int) -> int | None:
    """The width of a `wrap: center` photo across a gutter: each column beside it keeps a
    readable short line (about a third of the column, at least MIN_SHORT_CHARS) and gives the photo
    the rest, so the photo is one column and a little more wide; where the columns are too
    narrow for that to leave the photo half of each, None (the photo takes whole columns)."""
    short = max(MIN_SHORT_CHARS, round(cols.chars * 0.35))
    into = cols.chars - short - gap
    return 2 * into + gutter if into >= (cols.chars + 1) // 2 else None


def _span_x(cols: StoryColumns, c0: int, cn: int) -> tuple[float, float]:
    return cols.xs[c0], cols.xs[c0 + cn - 1] + cols.width


def _snap(cols: StoryColumns, x: float, width: float, gap: int, em: float) -> tuple[float, float]:
    """The photo widened to a column's edge wherever the line it would leave beside it in that
    column is shorter than MIN_SHORT_CHARS: no stub lines, the photo takes that column."""
    lo, hi = x, x + width
    for a in cols.xs:
        b = a + cols.width
        if a + 1e-6 < lo < b - 1e-6 and math.floor((lo - a) / em + 1e-6) - gap < MIN_SHORT_CHARS:
            lo = a
        if a + 1e-6 < hi < b - 1e-6 and cols.chars - math.ceil((hi - a) / em - 1e-6) - gap < MIN_SHORT_CHARS:
            hi = b
    return lo, hi - lo


def wrap_place(ms: ModuleSetter, story: Story, cols: StoryColumns, body_lines: int,
               img: int | None = None) -> WrapPlace:
    """The photo's rectangle for a text area of `body_lines` lines (clamped to the area).
    The plan's `columns` (with `chars` and `side`: its width and which edge of those columns
    it keeps, or `center`), or a place keyword: `center` stands across the middle gutter
    (default_chars wide), `left`/`right` at the module's edge as wide; a one-column module
    keeps a photo half its column wide at the column's edge."""
    grid = ms.grid
    em = grid.em
    wrap: Wrap = story.photo.wrap
    gap = ms.setter.style.wrap_gap
    n = cols.count
    side = wrap.side
    if wrap.columns is not None:
        c0 = min(wrap.columns[0], n - 1)
        cn = max(1, min(wrap.columns[1], n - c0))
        a, b = _span_x(cols, c0, cn)
        width = min(wrap.chars * em, b - a) if wrap.chars else b - a
        off = {"left": 0.0, "right": b - a - width}.get(side, round((b - a - width) / 2 / em) * em)
        x = a + off
    elif n == 1:
        chars = wrap.chars or cols.chars // 2
        width = min(chars * em, cols.width)
        side = wrap.side if wrap.chars else ("left" if wrap.at == "left" else "right")
        x = cols.width - width if side == "right" else 0.0
    else:
        chars = wrap.chars or default_chars(cols, gap, round((cols.xs[1] - cols.xs[0] - cols.width) / em))
        mid = n // 2                                  # the gutter left of this column
        if wrap.at == "left":
            a, b = _span_x(cols, 0, 2)
            width = min(chars * em, b - a) if chars else cols.width
            x, side = 0.0, "left"
        elif wrap.at == "right":
            a, b = _span_x(cols, n - 2, 2)
            width = min(chars * em, b - a) if chars else cols.width
            x, side = b - width, "right"
        else:
            a, b = _span_x(cols, mid - 1, 2)
            width = min(chars * em, b - a) if chars else cols.width
            if chars:       # centred on the gutter, its left edge whole characters into its column
                x = a + round((b - a - width) / 2 / em) * em
            else:
                x = cols.xs[mid]
            side = "center"
    x, width = _snap(cols, x, width, gap, em)
    inside = [c for c, a in enumerate(cols.xs) if a < x + width - 1e-6 and x < a + cols.width - 1e-6]
    c0, cn = inside[0], len(inside)
    whole = all(x <= cols.xs[c] + 1e-6 and cols.xs[c] + cols.width <= x + width + 1e-6 for c in inside)
    chars = None if whole else round(width / em)
    ph = story.photo
    cap_text = ph.caption + (f"（{ph.credit}摄）" if ph.credit else "")
    cap = ms.setter.block(cap_text, "caption", width, where=f"story {story.id}, caption") if cap_text else None
    cap_lines = math.ceil(cap.height / grid.pitch) if cap else 0
    if wrap.lines is not None:
        l0, ln = wrap.lines
    else:
        aspect = ms.natural_aspect(story) or PHOTO_ASPECT
        ln = (img or max(3, round(width / aspect / grid.pitch))) + cap_lines
        l0 = max(TOP_LINES, (body_lines - ln) // 3)  # a few full lines above it, the most below
    ln = max(cap_lines + 2, min(ln, body_lines))
    below = 0 if wrap.lines is not None else clear_lines(grid, gap) + 1     # its gap kept inside the module
    l0 = max(0, min(l0, body_lines - ln - below))
    return WrapPlace(column=c0, columns=cn, line=l0, lines=ln, img_lines=ln - cap_lines, x=x, width=width,
                     chars=chars, side=side, cap=cap, gap=gap)


def clear_lines(grid, gap: int) -> int:
    """Grid lines kept clear above and below the photo: those whose em box comes nearer than
    `gap` characters to the photo's edge (the photo's edges are its lines' em-box edges)."""
    k = math.ceil((gap + 1) * grid.em / grid.pitch - 1e-9)
    return max(0, k - 1)


def beside(cols: StoryColumns, c: int, place: WrapPlace, em: float) -> tuple[float, float] | None:
    """(offset, measure) of story column `c`'s lines beside the photo: the whole column where
    the photo and its gap do not reach it; else the longer of the parts left of and right of
    them, in whole characters from the column's edge; None where that is shorter than
    MIN_SHORT_CHARS (the line is left empty)."""
    a = cols.xs[c]
    lo, hi = place.x - place.gap * em, place.x + place.width + place.gap * em
    if hi <= a + 1e-6 or lo >= a + cols.width - 1e-6:
        return 0.0, cols.width
    left = max(0, math.floor((lo - a) / em + 1e-6))
    start = min(cols.chars, max(0, math.ceil((hi - a) / em - 1e-6)))
    right = cols.chars - start
    if max(left, right) < MIN_SHORT_CHARS:
        return None
    return (0.0, left * em) if left >= right else (start * em, right * em)


def wrap_slots(grid, cols: StoryColumns, place: WrapPlace, body_lines: int, short_cols: int = 0) -> list[WrapSlot]:
    """Every column line that takes text, in reading order (column by column, top down); the
    last `short_cols` columns end a line above the bottom (columns level to within a line)."""
    extra = clear_lines(grid, place.gap)
    top, bottom = place.line - extra, place.line + place.lines - 1 + extra
    slots = []
    for c in range(cols.count):
        part = beside(cols, c, place, grid.em)
        rows = body_lines - 1 if c >= cols.count - short_cols else body_lines
        for r in range(rows):
            if top <= r <= bottom:
                if part is not None:
                    slots.append(WrapSlot(c, r, part[0], part[1]))
            else:
                slots.append(WrapSlot(c, r, 0.0, cols.width))
    return slots


def set_around(ms: ModuleSetter, story: Story, slots: list[WrapSlot]) -> tuple[list[SetLine], int]:
    """The body set into `slots` in order: its lines (one per slot, as far as they go) and
    the number of lines that did not fit."""
    setter = ms.setter
    em = ms.grid.em
    lines: list[SetLine] = []
    over = 0
    full = max((sl.measure for sl in slots), default=0.0)
    for _kind, parts, where, indent in body_parts(story, ms._role("brief_title", "subhead")):
        s = len(lines)
        rest = [sl.measure for sl in slots[s:]]
        if not rest:
            rest = [slots[-1].measure if slots else 0.0]
        chars = sum(len(t) for t, _ in parts)
        window = rest[:math.ceil(chars * em / max(min(rest), em)) + 2]
        # a paragraph running beside the photo hangs no mark (行末悬挂): at the photo's side it
        # would stand in the gap round the picture (the preflight's wrap-clear)
        beside = any(m < full - 1e-6 for m in window)
        sp = setter.paragraph(parts, window[0], where, indent=indent, line_measures=window, hanging=not beside)
        lines.extend(sp.lines)
    if len(lines) > len(slots):
        over = len(lines) - len(slots)
    return lines, over


def place_wrapped(ms: ModuleSetter, story: Story, cell: Cell, columns: int | None, page: int, auto: bool,
                  chars: int | None, head_blocks, head_lines: int, owner_head: str,
                  items: list, findings: list[Finding]) -> tuple[list, PlacedModule, list[Finding], int]:
    """The module body with its photo wrapped; the headline block is already in `items`."""
    grid = ms.grid
    x0 = grid.col_x(cell.col)
    cols = story_columns(grid, cell.cols, columns, chars)
    body_lines = cell.lines - head_lines
    body_top = cell.line + head_lines
    got = wrap_fit(ms, story, cols, body_lines)
    place, slots, lines, over = got.place, got.slots, got.lines, got.over
    ends = column_ends(got, cols)
    if not over and max(ends) - min(ends) > 1:
        findings.append(Finding("warning", "wrap-level", page,
                                f"story '{story.id}': its columns end {max(ends) - min(ends)} lines apart "
                                f"(lines per column {', '.join(map(str, ends))}): the copy is too short for its "
                                f"wrapped photo's place (story lines {place.line + 1}-{place.line + place.lines})",
                                f"story {story.id}, photo"))
    ph = story.photo
    present = ph.file is not None and ph.file.is_file()
    top = grid.line_top(body_top + place.line) + (grid.pitch - grid.em) / 2
    img_h = place.img_lines * grid.pitch - (grid.pitch - grid.em)
    gap = place.gap * grid.em
    rect_h = place.lines * grid.pitch - (grid.pitch - grid.em)
    items.append(PhotoFrame(x=x0 + place.x, y=top, w=place.width, h=img_h,
                            path=ph.file if present else None, present=present, owner=story.id,
                            label=ph.file_text or "（未提供图片文件）", fit=ph.fit, focus=ph.focus,
                            clear=(x0 + place.x - gap, top - gap, place.width + 2 * gap, rect_h + 2 * gap)))
    if not present:
        findings.append(Finding("warning", "missing-photo", page,
                                f"photo '{ph.file_text or '(no file named)'}' of story '{story.id}' is not on "
                                f"file; its frame is kept and marked", f"story {story.id}, photo"))
    if place.cap:
        for j, (off, ln) in enumerate(place.cap.lines):
            items.append(TextLine(x=x0 + place.x + off,
                                  baseline=baseline_in(grid, body_top + place.line + place.img_lines + j),
                                  glyphs=ln.glyphs, color=place.cap.style.color, owner=story.id, role="caption"))
    for slot, ln in zip(slots, lines):
        items.append(TextLine(x=x0 + cols.xs[slot.column] + slot.offset,
                              baseline=baseline_in(grid, body_top + slot.line), glyphs=ln.glyphs,
                              color="black", owner=story.id, role="body"))
    placed = min(len(lines), len(slots))
    set_chars = sum(len(ln.glyphs) for ln in lines[:placed])
    rest_chars = sum(len(ln.glyphs) for ln in lines[placed:])
    if over:
        findings.append(Finding("error", "overset", page,
                                f"story '{story.id}' overset: {over} lines, {rest_chars} characters do not fit "
                                f"its module ({cell.label()}) around its wrapped photo", f"story {story.id}"))
    capacity = sum(round(s.measure / grid.em) for s in wrap_slots(grid, cols, place, body_lines))
    head_chars = sum(sum(len(ln.glyphs) for _, ln in b.lines) for b in head_blocks)
    cap_chars = place.cap.chars if place.cap else 0
    pm = PlacedModule(owner=story.id, cell=cell, auto=auto, capacity=capacity,
                      copy_chars=set_chars + rest_chars + head_chars + cap_chars,
                      set_chars=set_chars + head_chars + cap_chars, overset_chars=rest_chars,
                      overset_lines=over, body_chars=set_chars + rest_chars)
    return items, pm, findings, len(ms.body(story, cols.width).lines) if not over else placed


class WrapFit(msgspec.Struct, frozen=True):
    """A wrapped body set into a text area: the photo's place, the slots in reading order,
    the lines set into them and how many did not fit; the text area's depth (`bottom`) and
    how many of the last columns end a line above it (`short`)."""
    place: WrapPlace
    slots: list[WrapSlot]
    lines: list[SetLine]
    over: int
    bottom: int
    short: int


def _fit(ms: ModuleSetter, story: Story, cols: StoryColumns, bottom: int, short: int = 0,
         img: int | None = None) -> WrapFit:
    """The body set around the photo in a text area `bottom` lines deep, the last `short`
    columns a line shorter (the photo's image `img` lines high where given)."""
    place = wrap_place(ms, story, cols, bottom, img)
    slots = wrap_slots(ms.grid, cols, place, bottom, short)
    lines, over = set_around(ms, story, slots)
    return WrapFit(place, slots, lines, over, bottom, short)


def wrap_fit(ms: ModuleSetter, story: Story, cols: StoryColumns, body_lines: int) -> WrapFit:
    """The wrapped body in a text area of at most `body_lines` lines, its columns level (齐底):
    the lowest common bottom that holds the copy (the lines lost beside the photo counted, as
    the short lines are actually set), then as many of the last columns a line above it as
    the copy allows, so every column ends at the bottom or one line above it. A photo placed
    by the plan keeps its lines (the text area reaches at least its foot); an automatic one
    stands a third of the way down. Where even `body_lines` does not hold the copy, the fit
    at that depth (its `over` lines are overset). Cached per story and measure."""
    key = (story.id, round(cols.width, 3), cols.count)
    best = ms._wraps.get(key)
    if best is None:
        best = ms._wraps[key] = _level_fit(ms, story, cols, ms.grid.lines)
    if best.bottom <= body_lines and not best.over:
        return best
    key = key + (body_lines,)
    got = ms._wraps.get(key)
    if got is None:
        got = ms._wraps[key] = _level_fit(ms, story, cols, body_lines)
    return got


def _level_fit(ms: ModuleSetter, story: Story, cols: StoryColumns, body_lines: int) -> WrapFit:
    """The level fit; an automatic photo too tall for its copy to end level around it is cut
    a line lower at a time (cropped, never below half as high as wide) until the copy levels."""
    wrap = story.photo.wrap
    if wrap.lines:
        return _level_at(ms, story, cols, body_lines, wrap.lines[0] + wrap.lines[1], None)
    natural = wrap_place(ms, story, cols, 10**4)
    cap = natural.lines - natural.img_lines
    least = max(3, math.ceil((natural.width / 2 + ms.grid.pitch - ms.grid.em) / ms.grid.pitch - 1e-9))  # image >= width / 2
    best = None
    for img in range(natural.img_lines, min(least, natural.img_lines) - 1, -1):
        # full lines above the photo and at least one under its clear lines
        lowest = img + cap + TOP_LINES + clear_lines(ms.grid, ms.setter.style.wrap_gap) + 1
        got = _level_at(ms, story, cols, body_lines, lowest, img)
        if best is None or (not got.over and (best.over or _spread(got, cols) < _spread(best, cols))):
            best = got
        if got.over or _spread(got, cols) <= 1:
            break
    return best


def _level_at(ms: ModuleSetter, story: Story, cols: StoryColumns, body_lines: int, lowest: int,
              img: int | None) -> WrapFit:
    bottom = min(body_lines, max(lowest, wrap_estimate(ms, story, cols)))
    got = _fit(ms, story, cols, bottom, 0, img)
    while got.over and bottom < body_lines:           # too short: down a line at a time
        bottom += 1
        got = _fit(ms, story, cols, bottom, 0, img)
    while not got.over and bottom > lowest:           # room to spare: up while it still fits
        higher = _fit(ms, story, cols, bottom - 1, 0, img)
        if higher.over:
            break
        bottom, got = bottom - 1, higher
    # the last columns a line short, as balance() does, as few as make the columns end level
    # (within a line); copy too short for a photo placed by the plan cannot be levelled, and
    # keeps its columns full to the photo's foot
    best, spread = got, _spread(got, cols)
    short = 1
    while not got.over and spread > 1 and short < cols.count:
        got = _fit(ms, story, cols, bottom, short, img)
        if not got.over and _spread(got, cols) < spread:
            best, spread = got, _spread(got, cols)
        short += 1
    return best


def _spread(fit: WrapFit, cols: StoryColumns) -> int:
    ends = column_ends(fit, cols)
    return max(ends) - min(ends)


def column_ends(fit: WrapFit, cols: StoryColumns) -> list[int]:
    """Per story column, the text-area line after its last line of text, or of the photo
    where the photo stands lowest in it: where the column ends."""
    ends = [0] * cols.count
    for slot, _ln in zip(fit.slots, fit.lines):
        ends[slot.column] = max(ends[slot.column], slot.line + 1)
    p = fit.place
    for c in range(p.column, p.column + p.columns):
        ends[c] = max(ends[c], p.line + p.lines)
    return ends


def wrap_estimate(ms: ModuleSetter, story: Story, cols: StoryColumns) -> int:
    """Text-area lines a wrapped module needs, about: the body's lines at the full measure
    plus the lines the photo and its clear lines take, levelled over the columns."""
    grid = ms.grid
    full = len(ms.body(story, cols.width).lines)
    place = wrap_place(ms, story, cols, 10**4)
    parts = [beside(cols, c, place, grid.em) for c in range(cols.count)]
    lost_chars = sum(cols.chars - (round(p[1] / grid.em) if p else 0) for p in parts)
    lost = math.ceil((place.lines + 2 * clear_lines(grid, place.gap)) * lost_chars / cols.chars)
    return max(place.lines, math.ceil((full + lost) / cols.count))


def wrap_fill_range(ms: ModuleSetter, story: Story, cell_cols: int, columns: int | None,
                    head_lines: int) -> tuple[int, int]:
    """(fewest, most) grid lines a module with a wrapped photo fills: exactly the level fit's
    depth under its headline block (wrap_fit), the lines lost beside the photo counted."""
    fit = wrap_fit(ms, story, story_columns(ms.grid, cell_cols, columns), ms.grid.lines)
    return head_lines + fit.bottom, head_lines + fit.bottom
