"""Pages: furniture, then modules on the grid (as the plan gives them or placed by the engine)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..fonts.fontset import FontSet
from ..load.issue import Issue, Module, Page
from ..load.style import Style
from . import furniture
from .model import Cell, CharCount, Finding, LaidOutIssue, PlacedModule, PlacedPage, Rule
from .module import ModuleSetter
from .textset import Setter

OVERSET_COST = 1000      # a line of overset copy outweighs any amount of white space


@dataclass(frozen=True)
class Region:
    col: int
    line: int
    cols: int
    lines: int


def place_issue(issue: Issue, style: Style, fonts: FontSet) -> LaidOutIssue:
    setter = Setter(fonts, style)
    grid = style.grid
    ms = ModuleSetter(setter, grid)
    pages: list[PlacedPage] = []
    findings: list[Finding] = []
    for page in issue.pages:
        items: list = []
        if page.number == 1:
            f_items, f_find, top = furniture.masthead(issue, setter, grid)
            findings.extend(f_find)
        else:
            f_items, top = furniture.page_header(issue, page, setter, grid)
        items.extend(f_items)
        cells = _cells_for(page, issue, ms, grid, top)
        modules: list[PlacedModule] = []
        for mod, (cell, auto) in zip(page.modules, cells):
            if mod.story:
                m_items, pm, m_find = ms.place(issue.stories[mod.story], cell, mod.columns, page.number, auto)
            else:
                m_items, pm, f = furniture.reserved_frame(mod.reserved, mod.note, cell, setter, grid,
                                                          page.number, auto)
                m_find = [f]
            items.extend(m_items)
            modules.append(pm)
            findings.extend(m_find)
        items.extend(_separators(modules, grid, style, top))
        pages.append(PlacedPage(number=page.number, name=page.name, width=style.page.width,
                                height=style.page.height, items=tuple(items), modules=tuple(modules)))
    for mc in fonts.missing:
        findings.append(Finding("error", "missing-glyph", None,
                                f"no font in the '{mc.role}' chain can set {mc.ch!r} (U+{ord(mc.ch):04X})", mc.where))
    accounting = tuple(CharCount(owner=m.owner, copy=m.copy_chars, set=m.set_chars, overset=m.overset_chars,
                                 unsettable=0) for p in pages for m in p.modules if not m.reserved)
    return LaidOutIssue(pages=tuple(pages), findings=tuple(findings), accounting=accounting)


def _cells_for(page: Page, issue: Issue, ms: ModuleSetter, grid, top: int) -> list[tuple[Cell, bool]]:
    """The grid cell of every module: from the plan where given, else placed by the engine."""
    given: list[Cell] = []
    for mod in page.modules:
        if mod.area:
            a = mod.area
            if a.col + a.cols > grid.columns or a.line + a.lines > grid.lines:
                raise a.origin.error(f"area {Cell(a.col, a.line, a.cols, a.lines).label()} lies outside the "
                                     f"page grid ({grid.columns} columns, {grid.lines} lines)")
            if a.line < top:
                raise a.origin.error(f"area starts on line {a.line + 1}, inside the "
                                     f"{'masthead' if page.number == 1 else 'page header'} (lines 1-{top})")
            c = Cell(a.col, a.line, a.cols, a.lines)
            for g in given:
                if g.overlaps(c):
                    raise a.origin.error(f"area {c.label()} overlaps another module ({g.label()})")
            given.append(c)
    auto_mods = [m for m in page.modules if not m.area]
    auto_cells: list[Cell] = []
    if auto_mods:
        start = max([top] + [g.line + g.lines for g in given])
        if start >= grid.lines:
            raise page.modules[0].origin.error("no room left on the page for the modules without an area")
        auto_cells = auto_place(auto_mods, issue, ms, Region(0, start, grid.columns, grid.lines - start))
    out, k = [], 0
    for mod in page.modules:
        if mod.area:
            a = mod.area
            out.append((Cell(a.col, a.line, a.cols, a.lines), False))
        else:
            out.append((auto_cells[k], True))
            k += 1
    return out


def auto_place(mods: list[Module], issue: Issue, ms: ModuleSetter, region: Region) -> list[Cell]:
    """Guillotine placement in priority (plan) order: each module either takes the full width
    of what is left at the top, or a band of columns at the left at full height; the arrangement
    with the least overset, then the least white space, wins (deterministic)."""

    def needed(i: int, cols: int) -> int:
        mod = mods[i]
        if mod.story is None:
            return 10**6     # reserved space: takes whatever it is given
        return ms.needed_lines(issue.stories[mod.story], cols, mod.columns)

    @lru_cache(maxsize=None)
    def best(i: int, col: int, line: int, cols: int, lines: int) -> tuple[float, tuple[Cell, ...]]:
        n = len(mods) - i
        if n == 0:
            return (cols * lines * 1.0 if lines > 0 and cols > 0 else 0.0), ()
        if cols <= 0 or lines <= 0:
            return float("inf"), ()
        if n == 1:
            need = needed(i, cols)
            over = max(0, need - lines)
            white = 0 if mods[i].story is None else max(0, lines - need) * cols
            score = over * cols * OVERSET_COST + white + (50 * lines if cols == 1 else 0)
            return score, (Cell(col, line, cols, lines),)
        options: list[tuple[float, tuple[Cell, ...]]] = []
        # (a) across the full width at the top, as tall as it needs
        need = needed(i, cols)
        h = min(need, lines - 3)
        if h >= 3:
            s, rest = best(i + 1, col, line + h, cols, lines - h)
            over = max(0, need - h)
            options.append((s + over * cols * OVERSET_COST, (Cell(col, line, cols, h),) + rest))
        # (b) a band of columns on the left at full height
        for c in range(2, cols - 1):
            need = needed(i, c)
            over = max(0, need - lines)
            white = max(0, lines - need) * c
            s, rest = best(i + 1, col + c, line, cols - c, lines)
            # hierarchy: the lead should not be narrower than what follows it
            penalty = 200 if i == 0 and c < cols - c else 0
            options.append((s + over * c * OVERSET_COST + white + penalty, (Cell(col, line, c, lines),) + rest))
        if not options:
            return float("inf"), ()
        return min(options, key=lambda o: (o[0], [(x.col, x.line, x.cols, x.lines) for x in o[1]]))

    score, cells = best(0, region.col, region.line, region.cols, region.lines)
    if len(cells) != len(mods):
        raise mods[0].origin.error("the page has too little room for its modules")
    return list(cells)


def _separators(modules: list[PlacedModule], grid, style: Style, top: int) -> list:
    """Hairline rules between neighbouring modules (in the gutter, or in the line above)."""
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
