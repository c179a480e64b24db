"""A photo set inside its story's text, the lines beside it shortened (图文互斥, issue 19).

A story whose photo has `wrap:` stands the photo in a rectangle of its module's text area:
story columns and grid lines (`wrap: {columns: 2, lines: 8-20, chars: 6, side: right}`), or
a place keyword (`left`, `center`, `right`; `true` is `center`) that the engine sizes from
the image's shape. Its caption stands under the image inside the rectangle.

* A photo narrower than its column (`chars`) shortens the lines beside it by its width and
  the gap (the style's `composition.wrap_gap`, in whole characters; one by default), so the
  short lines stay whole characters on the grid; the text keeps to the side away from it.
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

MIN_SHORT_CHARS = 3         # a line beside a photo shorter than this is left empty


class WrapSlot(msgspec.Struct, frozen=True):
    """One grid line of one story column that takes text."""
    column: int
    line: int               # text-area line, 0-based
    offset: float           # from the column's left edge, pt
    measure: float


class WrapPlace(msgspec.Struct, frozen=True):
    """Where the wrapped photo stands, in the module's story columns and text-area lines."""
    column: int             # first story column (0-based)
    columns: int            # story columns it stands in
    line: int               # first text-area line (0-based)
    lines: int              # text-area lines, image and caption
    img_lines: int
    x: float                # left edge from the module's left edge, pt
    width: float
    chars: int | None       # width in characters inside one column; None: whole columns
    side: str
    cap: SetBlock | None
    gap: int                # characters kept clear beside it


def wrap_place(ms: ModuleSetter, story: Story, cols: StoryColumns, body_lines: int) -> WrapPlace:
    """The photo's rectangle for a text area of `body_lines` lines (clamped to the area)."""
    grid = ms.grid
    wrap: Wrap = story.photo.wrap
    gap = ms.setter.style.wrap_gap
    n = cols.count
    if wrap.columns is not None:
        c0 = min(wrap.columns[0], n - 1)
        cn = max(1, min(wrap.columns[1], n - c0))
        chars = wrap.chars
        side = wrap.side
    else:
        c0 = {"left": 0, "center": (n - 1) // 2, "right": n - 1}[wrap.at]
        cn = 1
        chars = wrap.chars or max(MIN_SHORT_CHARS, cols.chars // 2)
        side = wrap.side if wrap.chars else ("left" if wrap.at == "left" else "right")
    if chars is not None and (cn != 1 or chars + gap > cols.chars - MIN_SHORT_CHARS):
        chars = None if cn != 1 or chars >= cols.chars else chars     # too wide to leave text beside
    width = chars * grid.em if chars else cols.xs[c0 + cn - 1] - cols.xs[c0] + cols.width
    x = cols.xs[c0] + (cols.width - width if chars and side == "right" else 0.0)
    ph = story.photo
    cap_text = ph.caption + (f"（{ph.credit}摄）" if ph.credit else "")
    cap = ms.setter.block(cap_text, "caption", width, where=f"story {story.id}, caption") if cap_text else None
    cap_lines = math.ceil(cap.height / grid.pitch) if cap else 0
    if wrap.lines is not None:
        l0, ln = wrap.lines
    else:
        aspect = ms.natural_aspect(story) or PHOTO_ASPECT
        ln = max(3, round(width / aspect / grid.pitch)) + cap_lines
        l0 = max(2, (body_lines - ln) // 3)          # a few full lines above it, the most below
    ln = max(cap_lines + 2, min(ln, body_lines))
    l0 = max(0, min(l0, body_lines - ln))
    return WrapPlace(column=c0, columns=cn, line=l0, lines=ln, img_lines=ln - cap_lines, x=x, width=width,
                     chars=chars, side=side, cap=cap, gap=gap)


def clear_lines(grid, gap: int) -> int:
    """Grid lines kept clear above and below the photo: those whose em box comes nearer than
    `gap` characters to the photo's edge (the photo's edges are its lines' em-box edges)."""
    k = math.ceil((gap + 1) * grid.em / grid.pitch - 1e-9)
    return max(0, k - 1)


def wrap_slots(grid, cols: StoryColumns, place: WrapPlace, body_lines: int, short_cols: int = 0) -> list[WrapSlot]:
    """Every column line that takes text, in reading order (column by column, top down); the
    last `short_cols` columns end a line above the bottom (columns level to within a line)."""
    extra = clear_lines(grid, place.gap)
    top, bottom = place.line - extra, place.line + place.lines - 1 + extra
    short = cols.width - ((place.chars or 0) + place.gap) * grid.em
    slots = []
    for c in range(cols.count):
        inside = place.column <= c < place.column + place.columns
        rows = body_lines - 1 if c >= cols.count - short_cols else body_lines
        for r in range(rows):
            if inside and top <= r <= bottom:
                if place.chars is None or short < MIN_SHORT_CHARS * grid.em - 1e-6:
                    continue
                off = cols.width - short if place.side == "left" else 0.0
                slots.append(WrapSlot(c, r, off, short))
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
    for _kind, parts, where, indent in body_parts(story, ms._role("brief_title", "subhead")):
        s = len(lines)
        rest = [sl.measure for sl in slots[s:]]
        if not rest:
            rest = [slots[-1].measure if slots else 0.0]
        chars = sum(len(t) for t, _ in parts)
        window = rest[:math.ceil(chars * em / max(min(rest), em)) + 2]
        sp = setter.paragraph(parts, window[0], where, indent=indent, line_measures=window)
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
    capacity = sum(round(s.measure / grid.em) for s in wrap_slots(grid, cols, place, body_lines)
                   if not over)
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


def _fit(ms: ModuleSetter, story: Story, cols: StoryColumns, bottom: int, short: int = 0) -> WrapFit:
    """The body set around the photo in a text area `bottom` lines deep, the last `short`
    columns a line shorter."""
    place = wrap_place(ms, story, cols, bottom)
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
    wrap = story.photo.wrap
    lowest = max(wrap.lines[0] + wrap.lines[1] if wrap.lines else 0, 1)
    bottom = min(body_lines, max(lowest, wrap_estimate(ms, story, cols)))
    got = _fit(ms, story, cols, bottom)
    while got.over and bottom < body_lines:           # too short: down a line at a time
        bottom += 1
        got = _fit(ms, story, cols, bottom)
    while not got.over and bottom > lowest:           # room to spare: up while it still fits
        higher = _fit(ms, story, cols, bottom - 1)
        if higher.over:
            break
        bottom, got = bottom - 1, higher
    # the last columns a line short, as balance() does, as few as make the columns end level
    # (within a line); copy too short for a photo placed by the plan cannot be levelled, and
    # keeps its columns full to the photo's foot
    best, spread = got, _spread(got, cols)
    short = 1
    while not got.over and spread > 1 and short < cols.count:
        got = _fit(ms, story, cols, bottom, short)
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
    lost = (place.lines + 2 * clear_lines(grid, place.gap)) * place.columns
    if place.chars:
        lost = math.ceil(lost * (place.chars + place.gap) / cols.chars)
    return max(place.lines, math.ceil((full + lost) / cols.count))


def wrap_fill_range(ms: ModuleSetter, story: Story, cell_cols: int, columns: int | None,
                    head_lines: int) -> tuple[int, int]:
    """(fewest, most) grid lines a module with a wrapped photo fills: exactly the level fit's
    depth under its headline block (wrap_fit), the lines lost beside the photo counted."""
    fit = wrap_fit(ms, story, story_columns(ms.grid, cell_cols, columns), ms.grid.lines)
    return head_lines + fit.bottom, head_lines + fit.bottom
