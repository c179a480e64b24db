"""Pages: furniture, then modules on the grid (as the plan gives them or made up by the
engine's search), then continuations of stories that jump to a later page.

The make-up itself is in variants.py (every shape a story can take), search.py (the best
guillotine page of them), cost.py (the desk's rules) and hierarchy.py (headline sizes in
order and set apart); this file runs them page by page and reports a page whose copy leaves
white or does not fit, with numbers.
"""
from __future__ import annotations

import msgspec

from ..fonts.fontset import FontSet
from ..load.issue import Issue, Page
from ..load.source import InputError
from ..load.style import Grid, Style
from . import ads, cost, furniture
from .hierarchy import Headline, settle
from .model import Cell, Finding, LaidOutIssue, PlacedModule, PlacedPage, Rule
from .module import NO_PHOTO, ModuleSetter, main_line, story_columns
from .search import Layout, search
from .textset import Setter
from .variants import Variant, Variants

GAP_REPORT_LINES = 2     # white of at least this many lines under the modules is reported


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
    weight: float | None = None   # importance on the page (higher first)
    ad: object = None             # load.issue.Ad: an ad module at its booked size (place/ads.py)


def place_issue(issue: Issue, style: Style, fonts: FontSet) -> LaidOutIssue:
    setter = Setter(fonts, style)
    grid = style.grid
    ms = ModuleSetter(setter, grid)
    numbers = {p.number for p in issue.pages}
    pages: list[PlacedPage] = []
    findings: list[Finding] = []
    pending: dict[int, list[Slot]] = {}
    imprint_at = furniture.imprint_page(issue, style.imprint_page) if style.imprint_fields or issue.imprint else None
    for page in issue.pages:
        items: list = []
        if page.number == 1:
            f_items, f_find, top = furniture.masthead(issue, setter, grid)
            findings.extend(f_find)
        else:
            f_items, top = furniture.page_header(issue, page, setter, grid)
        items.extend(f_items)
        findings.extend(furniture.missing_editors(page, style.editor_roles))
        body_grid = grid
        if page.number == imprint_at:      # the 报尾 takes lines from the page's foot
            i_items, i_find, foot = furniture.imprint(issue, setter, grid, page.number)
            items.extend(i_items)
            findings.extend(i_find)
            body_grid = msgspec.structs.replace(grid, lines=grid.lines - foot)
        slots = _slots(page, msgspec.structs.replace(style, grid=body_grid), top, numbers, issue) + pending.pop(page.number, [])
        cells, layout = _make_up(page, slots, issue, ms, body_grid, top)
        findings.extend(_fit_findings(page, slots, layout, body_grid, numbers))
        caps = _headline_sizes(slots, cells, issue, ms, body_grid, setter)
        modules: list[PlacedModule] = []
        for k, (slot, (cell, auto, variant)) in enumerate(zip(slots, cells)):
            if slot.story:
                story = issue.stories[slot.story]
                columns = slot.columns
                photo = air = head_break = None
                if variant is not None:
                    columns = variant.count if variant.count is not None else slot.columns
                    # white the variant carries at its foot goes into the headline block's air,
                    # up to cost.MAX_HEAD_AIR: the rest stays at the foot (_fit_findings reports it)
                    air, head_break = variant.air, variant.head_break
                    if variant.white:
                        air = head_air(variant)
                    if story.photo is not None and variant.count is not None:     # a story variant chose it
                        photo = variant.photo or NO_PHOTO
                    if variant.head_level is not None:     # the headline set a level up (variants.py)
                        story = msgspec.structs.replace(story, level=variant.head_level)
                    if variant.vertical and story.headline_block != "vertical":
                        # the search chose the headline block vertical (issue 19: variants.py)
                        story = msgspec.structs.replace(story, headline_block="vertical")
                m_items, pm, m_find, nxt = ms.place(story, cell, columns, page.number, auto,
                                                    start=slot.start, jump_to=slot.jump_to,
                                                    jumped_from=slot.jumped_from, chars=slot.chars,
                                                    photo=photo, air=air, head_size=caps.get(k),
                                                    head_break=head_break)
                cols = story_columns(grid, cell.cols, columns, slot.chars)
                if slot.jump_to and nxt < len(ms.body(story, cols.width).lines):
                    # the rest continues on the named page, in the same column measure
                    pending.setdefault(slot.jump_to, []).append(
                        Slot(slot.story, None, None, None, None, start=nxt, jumped_from=page.number,
                             chars=cols.chars))
            elif slot.ad is not None:
                m_items, pm, m_find = ads.place_ad(slot.ad, cell, setter, style, page.number, auto)
            else:
                m_items, pm, f = furniture.reserved_frame(slot.reserved, slot.note, cell, setter, grid,
                                                          page.number, auto)
                m_find = [f]
            items.extend(m_items)
            modules.append(pm)
            findings.extend(m_find)
        items.extend(_separators(modules, body_grid, style, top))
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


def _slots(page: Page, style: Style, top: int, numbers: set[int], issue: Issue) -> list[Slot]:
    grid = style.grid
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
        if mod.ad is not None:      # an ad's cell is fixed before the search: it works around it
            cell = ads.ad_cell(mod.ad, style, top, cell)
        if cell is not None:
            for g in given:
                if g.overlaps(cell):
                    where = mod.area.origin if mod.area else mod.ad.origin
                    raise where.error(f"area {cell.label()} overlaps another module ({g.label()})")
            given.append(cell)
        jump = getattr(mod, "continued_on", None)
        if jump is not None and (jump not in numbers or jump <= page.number):
            raise mod.origin.error(f"jump to page {jump}: the plan has pages {min(numbers)}-{max(numbers)} "
                                   f"and a story can only continue on a later page")
        weight = mod.weight
        if weight is None and mod.story:
            weight = issue.stories[mod.story].weight
        out.append(Slot(mod.story, mod.reserved, mod.note, mod.columns, cell, jump_to=jump, weight=weight,
                        ad=mod.ad))
    return out


def importance(slots: list[Slot]) -> list[int]:
    """The slots in importance order: by `weight:` (higher first) where given, else plan order;
    a continuation from an earlier page comes after the page's own stories."""
    def key(k: int) -> tuple:
        s = slots[k]
        return (1 if s.start else 0, -(s.weight if s.weight is not None else float("-inf")), k)
    ranked = sorted(range(len(slots)), key=key)
    if all(slots[k].weight is None for k in ranked):
        ranked = sorted(ranked, key=lambda k: (1 if slots[k].start else 0, k))
    return ranked


def _make_up(page: Page, slots: list[Slot], issue: Issue, ms: ModuleSetter, grid: Grid,
             top: int) -> tuple[list[tuple[Cell, bool, Variant | None]], Layout | None]:
    """The cell (and chosen variant) of every slot: from the plan where given, else found by
    the page search in the type area around the plan's modules."""
    given = [s.cell for s in slots if s.cell]
    auto = [k for k in range(len(slots)) if slots[k].cell is None]
    placed: dict[int, tuple[Cell, Variant]] = {}
    layout = None
    if auto:
        area = Cell(0, top, grid.columns, grid.lines - top)
        sub = [slots[k] for k in auto]
        ranked = importance(sub)
        # the lead wide first (a hard rule unless nothing fits); then every shape that holds
        # its copy before smaller ones
        for lead_wide, overset in ((True, False), (True, True), (False, False), (False, True)):
            variants = Variants(ms, issue, sub, area.lines, grid.columns, overset=overset, lead_wide=lead_wide)
            layout = search(variants, ranked, area, given, grid.columns)
            if layout is not None:
                layout = _lead_widest(layout, variants, ranked, area, given, grid.columns)
                break
        if layout is None:
            raise _page_error(page, issue, f"no room on the page for its {len(auto)} module(s) without an area "
                                           f"(the plan's areas leave too little of the type area free)")
        for p in layout.placements:
            placed[auto[p.slot]] = (p.cell, p.variant)
    # a module the plan places takes the best variant for its cell, as the search would
    planned = [k for k in range(len(slots)) if slots[k].cell is not None and slots[k].story]
    if planned:
        variants = Variants(ms, issue, slots, grid.lines - top, grid.columns)
        for k in planned:
            cell = slots[k].cell
            got = variants.shapes(k, cell.cols).get(cell.lines)
            if got is not None and not got[1].overset:
                placed[k] = (cell, got[1])
    out = []
    for k, s in enumerate(slots):
        if s.cell:
            out.append((s.cell, False, placed[k][1] if k in placed else None))
        else:
            cell, variant = placed[k]
            out.append((cell, True, variant))
    return out, layout


def _lead_widest(layout: Layout, variants: Variants, ranked: list[int], area: Cell, given: list[Cell],
                 columns: int) -> Layout:
    """The lead is the widest story on the page: a layout with a story wider than the lead is
    searched again with no story wider than it (kept only when one is found)."""
    lead = next((p for p in layout.placements if p.slot == ranked[0]), None)
    if lead is None or variants.slots[lead.slot].story is None:
        return layout
    wider = [p for p in layout.placements if p is not lead and variants.slots[p.slot].story is not None
             and p.cell.cols > lead.cell.cols]
    if not wider:
        return layout
    again = search(variants.narrowed(lead.cell.cols), ranked, area, given, columns)
    if again is None:
        return layout
    moved = next(p for p in again.placements if p.slot == ranked[0])
    # the lead on top comes first: not bought by moving it down under a fixed area
    return again if moved.cell.line <= lead.cell.line else layout


def _headline_sizes(slots: list[Slot], cells: list, issue: Issue, ms: ModuleSetter, grid: Grid,
                    setter: Setter) -> dict[int, float]:
    """Caps on headline sizes so that they read in order and never stand side by side at one
    size (hierarchy.py)."""
    heads = []
    order = importance(slots)
    lead = next((k for k in order if slots[k].story and not slots[k].start), None)
    for k, (slot, (cell, auto, _)) in enumerate(zip(slots, cells)):
        if not slot.story or slot.start:
            continue
        story = issue.stories[slot.story]
        if ms.headline_role(story) == "headline_briefs":
            continue        # the briefs' label (简讯) is no headline: it caps none below it
        variant = cells[k][2]
        if variant is not None and variant.head_level is not None:
            story = msgspec.structs.replace(story, level=variant.head_level)
        head = ms.head(story, grid.span_width(cell.cols), lines=variant.head_break if variant else None)
        main = head.blocks[main_line(story)]
        role = setter.role(ms.headline_role(story))
        heads.append(Headline(k, cell, main.size, role.min_size or role.size, lead=(k == lead)))
    return settle(heads)


def head_air(variant: Variant) -> int:
    """The headline block's air for a variant: its own air and its foot white, capped."""
    return min(cost.MAX_HEAD_AIR, (variant.air or 0) + variant.white) if variant.white else (variant.air or 0)


def foot_white(variant: Variant) -> int:
    """Rows of a variant's white that the headline's air cannot take: left at the foot."""
    return (variant.air or 0) + variant.white - head_air(variant)


def _page_error(page: Page, issue: Issue, message: str) -> InputError:
    if page.origin is not None:
        return page.origin.error(message)
    return InputError(issue.display, None, None, f"page {page.number}", message)


def _fit_findings(page: Page, slots: list[Slot], layout: Layout | None, grid: Grid,
                  numbers: set[int]) -> list[Finding]:
    """Too little copy: the white the make-up could not fill, in lines and characters. Too
    much: the lines to cut, and the story to jump."""
    if layout is None:
        return []
    out = []
    for gap in layout.gaps:
        if gap.lines >= GAP_REPORT_LINES:
            chars = gap.lines * gap.cols * grid.column_chars
            out.append(Finding("warning", "underfull", page.number,
                               f"page {page.number}: {gap.lines} lines x {gap.cols} columns empty "
                               f"({gap.label()}), about {chars:,} characters more copy wanted",
                               gap.label()))
    story_ids = [s.story for s in slots if s.cell is None]
    for p in layout.placements:
        rows = foot_white(p.variant)
        if rows and story_ids[p.slot] is not None:
            chars = rows * p.cell.cols * grid.column_chars
            out.append(Finding("warning", "module-white", page.number,
                               f"page {page.number}: module '{story_ids[p.slot]}' ({p.cell.label()}) ends "
                               f"{rows} line(s) x {p.cell.cols} columns short of its foot, about {chars:,} "
                               f"characters more copy wanted", f"story {story_ids[p.slot]}"))
    over = [(p.variant.overset, p.slot) for p in layout.placements if p.variant.overset]
    if over:
        lines = sum(n for n, _ in over)
        worst_lines, worst = max(over)
        sid = [s for s in slots if s.cell is None][worst].story
        later = sorted(n for n in numbers if n > page.number)
        where = f"page {later[0]} (jump: {later[0]})" if later else "a later page"
        out.append(Finding("warning", "overfull", page.number,
                           f"page {page.number}: copy over by {lines} line(s): "
                           + ", ".join(f"cut {n} from '{[s for s in slots if s.cell is None][k].story}'"
                                       for n, k in sorted(over, reverse=True))
                           + f"; or jump '{sid}' ({worst_lines} lines over) to {where}", f"story {sid}"))
    return out


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
