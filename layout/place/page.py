"""Pages: furniture, then modules on the grid (as the plan gives them or placed by the engine),
then continuations of stories that jump to a later page."""
from __future__ import annotations

import math
from functools import lru_cache

import msgspec

from ..fonts.fontset import FontSet
from ..load.issue import Issue, Page
from ..load.source import InputError
from ..load.style import Grid, Style
from . import furniture
from .model import Cell, Finding, LaidOutIssue, PlacedModule, PlacedPage, Rule
from .module import HEAD_AIR, ModuleSetter, story_columns
from .textset import Setter

OVERSET_COST = 1000      # a line of overset copy outweighs any amount of white space
NARROW_COST = 60         # per line: a one-column module reads badly
HIERARCHY_COST = 400     # the lead narrower than a story below it


class Slot(msgspec.Struct, frozen=True):
    """One module to place on a page: a story (or its continuation) or reserved space."""
    story: str | None
    reserved: str | None
    note: str | None
    columns: int | None
    cell: Cell | None        # from the plan, or None for the engine to place
    jump_to: int | None = None
    start: int = 0           # first text line (continuations start past the first part)
    jumped_from: int | None = None
    chars: int | None = None  # characters per column (a continuation keeps its first part's)


def place_issue(issue: Issue, style: Style, fonts: FontSet) -> LaidOutIssue:
    setter = Setter(fonts, style)
    grid = style.grid
    ms = ModuleSetter(setter, grid)
    numbers = {p.number for p in issue.pages}
    pages: list[PlacedPage] = []
    findings: list[Finding] = []
    pending: dict[int, list[Slot]] = {}
    for page in issue.pages:
        items: list = []
        if page.number == 1:
            f_items, f_find, top = furniture.masthead(issue, setter, grid)
            findings.extend(f_find)
        else:
            f_items, top = furniture.page_header(issue, page, setter, grid)
        items.extend(f_items)
        slots = _slots(page, grid, top, numbers) + pending.pop(page.number, [])
        cells = _cells_for(page, slots, issue, ms, grid, top)
        modules: list[PlacedModule] = []
        for slot, (cell, auto) in zip(slots, cells):
            if slot.story:
                story = issue.stories[slot.story]
                m_items, pm, m_find, nxt = ms.place(story, cell, slot.columns, page.number, auto,
                                                    start=slot.start, jump_to=slot.jump_to,
                                                    jumped_from=slot.jumped_from, chars=slot.chars)
                cols = story_columns(grid, cell.cols, slot.columns, slot.chars)
                if slot.jump_to and nxt < len(ms.body(story, cols.width).lines):
                    # the rest continues on the named page, in the same column measure
                    pending.setdefault(slot.jump_to, []).append(
                        Slot(slot.story, None, None, None, None, start=nxt, jumped_from=page.number,
                             chars=cols.chars))
            else:
                m_items, pm, f = furniture.reserved_frame(slot.reserved, slot.note, cell, setter, grid,
                                                          page.number, auto)
                m_find = [f]
            items.extend(m_items)
            modules.append(pm)
            findings.extend(m_find)
        items.extend(_separators(modules, grid, style, top))
        pages.append(PlacedPage(number=page.number, name=page.name, width=style.page.width,
                                height=style.page.height, items=tuple(items), modules=tuple(modules)))
    for target, slots in pending.items():     # a jump to a page already set (backwards)
        for s in slots:
            findings.append(Finding("error", "jump", None, f"story '{s.story}' jumps to page {target}, which comes "
                                    f"before it: its rest is overset", f"story {s.story}"))
    for mc in fonts.missing:
        findings.append(Finding("error", "missing-glyph", None,
                                f"no font in the '{mc.role}' chain can set {mc.ch!r} (U+{ord(mc.ch):04X})", mc.where))
    setter.segmenter.save()
    return LaidOutIssue(pages=tuple(pages), findings=tuple(findings))


def _slots(page: Page, grid: Grid, top: int, numbers: set[int]) -> list[Slot]:
    out = []
    given: list[Cell] = []
    for mod in page.modules:
        cell = None
        if mod.area:
            a = mod.area
            cell = Cell(a.col, a.line, a.cols, a.lines)
            if a.col + a.cols > grid.columns or a.line + a.lines > grid.lines:
                raise a.origin.error(f"area {cell.label()} lies outside the page grid "
                                     f"({grid.columns} columns, {grid.lines} lines)")
            if a.line < top:
                raise a.origin.error(f"area starts on line {a.line + 1}, inside the "
                                     f"{'masthead' if page.number == 1 else 'page header'} (lines 1-{top})")
            for g in given:
                if g.overlaps(cell):
                    raise a.origin.error(f"area {cell.label()} overlaps another module ({g.label()})")
            given.append(cell)
        jump = getattr(mod, "continued_on", None)
        if jump is not None and (jump not in numbers or jump <= page.number):
            raise mod.origin.error(f"jump to page {jump}: the plan has pages {min(numbers)}-{max(numbers)} "
                                   f"and a story can only continue on a later page")
        out.append(Slot(mod.story, mod.reserved, mod.note, mod.columns, cell, jump_to=jump))
    return out


def _cells_for(page: Page, slots: list[Slot], issue: Issue, ms: ModuleSetter, grid: Grid,
               top: int) -> list[tuple[Cell, bool]]:
    """The grid cell of every slot: from the plan where given, else placed by the engine
    in the space below the plan's modules."""
    given = [s.cell for s in slots if s.cell]
    auto = [s for s in slots if s.cell is None]
    auto_cells: list[Cell] = []
    if auto:
        start = max([top] + [g.line + g.lines for g in given])
        if start >= grid.lines - 3:
            raise _page_error(page, issue, "no room left on the page for the modules without an area")
        auto_cells = auto_place(auto, issue, ms, grid, Cell(0, start, grid.columns, grid.lines - start), page)
    out, k = [], 0
    for s in slots:
        if s.cell:
            out.append((s.cell, False))
        else:
            out.append((auto_cells[k], True))
            k += 1
    return out


def _page_error(page: Page, issue: Issue, message: str) -> InputError:
    if page.origin is not None:
        return page.origin.error(message)
    return InputError(issue.display, None, None, f"page {page.number}", message)


def auto_place(slots: list[Slot], issue: Issue, ms: ModuleSetter, grid: Grid, region: Cell,
               page: Page) -> list[Cell]:
    """Guillotine placement in priority (plan) order: each module either takes the full width
    of what is left at the top (at any height it can fill) or a band of columns at the left at
    full height. Every arrangement is scored (overset, white space, narrow modules, headline
    hierarchy) and the best wins; ties break on the cells, so the result is deterministic."""

    @lru_cache(maxsize=None)
    def fill(i: int, cols: int) -> tuple[int, int]:
        s = slots[i]
        if s.story is None:
            return 4, 10**6                          # reserved space takes what it is given
        story = issue.stories[s.story]
        if s.jump_to:
            return ms.head(story, grid.span_width(cols)).lines + 6, 10**6
        if s.start:                                  # a continuation: its rest, level
            sc = story_columns(grid, cols, s.columns, s.chars)
            rest = len(ms.body(story, sc.width).lines) - s.start
            need = 4 + math.ceil(rest / sc.count)
            return need, need + HEAD_AIR
        return ms.fill_range(story, cols, s.columns)

    def cost(i: int, cols: int, lines: int) -> float:
        lo, hi = fill(i, cols)
        over = max(0, lo - lines)
        white = max(0, lines - hi)
        return over * cols * OVERSET_COST + white * cols + (NARROW_COST * lines if cols == 1 else 0)

    @lru_cache(maxsize=None)
    def best(i: int, col: int, line: int, cols: int, lines: int) -> tuple[float, tuple[Cell, ...]]:
        n = len(slots) - i
        if n == 0:
            return float(cols * lines), ()
        if cols <= 0 or lines <= 0:
            return float("inf"), ()
        if n == 1:
            return cost(i, cols, lines), (Cell(col, line, cols, lines),)
        options: list[tuple[float, tuple[Cell, ...]]] = []
        # (a) across the full width at the top, at any height it can fill
        lo, hi = fill(i, cols)
        top_h = min(hi, lines - 4)
        for h in range(min(lo, top_h), top_h + 1):
            if h < 4:
                continue
            s, rest = best(i + 1, col, line + h, cols, lines - h)
            options.append((s + cost(i, cols, h), (Cell(col, line, cols, h),) + rest))
        # (b) a band of columns on the left at full height
        for c in range(1, cols):
            s, rest = best(i + 1, col + c, line, cols - c, lines)
            penalty = HIERARCHY_COST if i == 0 and c < cols - c else 0
            options.append((s + cost(i, c, lines) + penalty, (Cell(col, line, c, lines),) + rest))
        if not options:
            return float("inf"), ()
        return min(options, key=lambda o: (o[0], [(x.col, x.line, x.cols, x.lines) for x in o[1]]))

    _, cells = best(0, region.col, region.line, region.cols, region.lines)
    if len(cells) != len(slots):
        raise _page_error(page, issue, f"the page has too little room for its {len(slots)} modules")
    return list(cells)


def _separators(modules: list[PlacedModule], grid: Grid, style: Style, top: int) -> list:
    """Rules between neighbouring modules: a hairline in the gutter, a rule in the line above."""
    out = []
    w = style.rules["column_rule"]
    for m in modules:
        c = m.cell
        if c.col > 0:
            x = grid.col_x(c.col) - grid.gutter / 2
            out.append(Rule(x, grid.line_top(c.line) + 2, x, grid.line_top(c.line + c.lines) - 2, w, "black"))
        if c.line > top:
            y = grid.line_top(c.line) + 1
            out.append(Rule(grid.col_x(c.col), y, grid.col_x(c.col) + grid.span_width(c.cols), y,
                            style.rules["story_separator"], "black"))
    return out
