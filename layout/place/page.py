"""Pages: furniture, then modules on the grid (as the plan gives them or made up by the
engine's search), then continuations of stories that jump to a later page.

The make-up itself is in variants.py (every shape a story can take), search.py (the best
guillotine page of them), cost.py (the desk's rules) and hierarchy.py (headline sizes in
order and set apart); this file runs them page by page and reports a page whose copy leaves
white or does not fit, with numbers.
"""
from __future__ import annotations

import math

import msgspec

from ..fonts.fontset import FontSet
from ..load.issue import Issue, Page
from ..load.source import InputError
from ..load.style import Grid, Style
from . import ads, cost, furniture
from .hierarchy import Headline, settle
from .kept import PageSearches, search_key
from .model import Cell, Finding, LaidOutIssue, PlacedModule, PlacedPage, Rule
from .module import NO_PHOTO, ModuleSetter, head_beside_photo, main_line, module_width, story_columns
from .search import Layout, search
from .spread import Spread, crosses, split, spread_frame
from .textset import Setter
from .variants import Variant, Variants, foot_white, head_air, hole_rows

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


def place_issue(issue: Issue, style: Style, fonts: FontSet, searches: PageSearches | None = None) -> LaidOutIssue:
    """`searches`: page make-ups kept from earlier layouts of the issue (the proof server's;
    kept.py): a page whose copy, plan and style are as before is not searched again."""
    setter = Setter(fonts, style)
    grid = style.grid
    ms = ModuleSetter(setter, grid)
    numbers = {p.number for p in issue.pages}
    by_number = {p.number: p for p in issue.pages}
    pages: list[PlacedPage] = []
    findings: list[Finding] = []
    pending: dict[int, list[Slot]] = {}
    imprint_at = furniture.imprint_page(issue, style.imprint_page) if style.imprint_fields or issue.imprint else None
    for page in issue.pages:
        if page.spread and page.number == page.spread[1]:
            continue            # the right-hand page of a spread: made up with its left-hand page
        sheets = [page, by_number[page.spread[1]]] if page.spread else [page]
        heads: list[tuple[list, int, int]] = []     # per page: furniture items, lines at the top and foot
        frame = spread_frame(grid, style.page, grid.lines) if page.spread else None    # place/spread.py
        for sheet, sheet_grid in zip(sheets, (frame.left, frame.right) if frame else (grid,)):
            items: list = []
            if sheet.number == 1:
                f_items, f_find, top = furniture.masthead(issue, setter, sheet_grid)
                findings.extend(f_find)
            else:
                f_items, top = furniture.page_header(issue, sheet, setter, sheet_grid)
            items.extend(f_items)
            findings.extend(furniture.missing_editors(sheet, style.editor_roles))
            foot = 0
            if sheet.number == imprint_at:      # the 报尾 takes lines from the page's foot
                i_items, i_find, foot = furniture.imprint(issue, setter, sheet_grid, sheet.number)
                items.extend(i_items)
                findings.extend(i_find)
            heads.append((items, top, foot))
        top = max(t for _, t, _ in heads)
        lines = grid.lines - max(f for _, _, f in heads)
        if frame is not None:       # one grid across both pages, the lines both have free
            frame = msgspec.structs.replace(frame, grid=msgspec.structs.replace(frame.grid, lines=lines))
            body_grid, body_ms = frame.grid, ModuleSetter(setter, frame.grid)
        else:
            body_grid, body_ms = msgspec.structs.replace(grid, lines=lines), ms
        waiting = [s for sheet in sheets for s in pending.pop(sheet.number, [])]
        slots = _slots(page, msgspec.structs.replace(style, grid=body_grid), top, numbers, issue) + waiting
        groups, modules, body_findings = _make_up_body(page, slots, issue, style, setter, body_ms, body_grid,
                                                       top, numbers, pending, frame, searches)
        if frame is None:
            findings.extend(body_findings)
            pages.append(PlacedPage(number=page.number, name=page.name, width=style.page.width,
                                    height=style.page.height,
                                    items=tuple(heads[0][0] + [it for _, part in groups for it in part]),
                                    modules=tuple(modules)))
            continue
        left, right, mods_left, mods_right = split(frame, groups, modules)
        findings.extend(_findings_of_pages(body_findings, page.spread, modules, mods_left, mods_right))
        for sheet, (f_items, _, _), part, mods, sheet_grid in zip(sheets, heads, (left, right),
                                                                  (mods_left, mods_right), (frame.left, frame.right)):
            pages.append(PlacedPage(number=sheet.number, name=sheet.name, width=style.page.width,
                                    height=style.page.height, items=tuple(f_items + part), modules=tuple(mods),
                                    grid_left=sheet_grid.left if abs(sheet_grid.left - grid.left) > 1e-6 else None,
                                    spread=page.spread))
    for target, slots in pending.items():     # a jump to a page already set (backwards)
        for s in slots:
            findings.append(Finding("error", "jump", None, f"story '{s.story}' jumps to page {target}, which comes "
                                    f"before it: its rest is overset", f"story {s.story}"))
    for mc in fonts.missing:
        findings.append(Finding("error", "missing-glyph", None,
                                f"no font in the '{mc.role}' chain can set {mc.ch!r} (U+{ord(mc.ch):04X})", mc.where))
    setter.save_caches()
    return LaidOutIssue(pages=tuple(pages), findings=tuple(findings))


def _make_up_body(page: Page, slots: list[Slot], issue: Issue, style: Style, setter: Setter, ms: ModuleSetter,
                  body_grid: Grid, top: int, numbers: set[int], pending: dict[int, list[Slot]],
                  frame: Spread | None, searches: PageSearches | None = None
                  ) -> tuple[list[tuple[Cell | None, list]], list[PlacedModule], list[Finding]]:
    """The modules of a page (or of a spread, on its one grid) found, set and ruled apart:
    each module's items with its cell, then the rules between them (cell None). `searches`:
    as for place_issue."""
    findings: list[Finding] = []
    groups: list[tuple[Cell | None, list]] = []
    fold = frame.columns if frame is not None else None
    if searches is None:
        cells, layout = _make_up(page, slots, issue, ms, body_grid, top, fold=fold)
    else:
        cells, layout = searches.make_up(page.number, search_key(slots, issue.stories, style, body_grid, top),
                                         lambda: _make_up(page, slots, issue, ms, body_grid, top, fold=fold,
                                                          kept=searches.shapes))
    if frame is not None:
        _check_fold(page, slots, cells, frame)
    findings.extend(_fit_findings(page, slots, layout, body_grid, numbers, frame))
    caps = _headline_sizes(slots, cells, issue, ms, body_grid, setter)
    modules: list[PlacedModule] = []
    for k, (slot, (cell, auto, variant)) in enumerate(zip(slots, cells)):
        if slot.story:
            story = issue.stories[slot.story]
            columns = slot.columns
            photo = air = head_break = across = None
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
                # the headline block stands as the story's shape was measured (variants.py): vertical
                # where the search chose it (issue 19), across where a story asking for a vertical
                # block got a shape with its headline across, no module of the page holding its
                # body beside one (generated broadsheet --vertical seed 4: the block set anyway
                # took a column from the body, 153 lines over); other shapes keep the story's
                block = "vertical" if variant.vertical else "horizontal" if variant.count is not None \
                    else story.headline_block
                if block != story.headline_block:
                    if story.headline_block == "vertical":
                        across = f"the vertical headline of '{story.id}' is set across the top: beside a " \
                                 f"vertical block no module the page can give it ({cell.label()}) holds its body"
                    story = msgspec.structs.replace(story, headline_block=block)
            m_items, pm, m_find, nxt = ms.place(story, cell, columns, page.number, auto,
                                                start=slot.start, jump_to=slot.jump_to,
                                                jumped_from=slot.jumped_from, chars=slot.chars,
                                                photo=photo, air=air, head_size=caps.get(k),
                                                head_break=head_break,
                                                off_grid=variant.off_grid if variant is not None else None,
                                                photo_up=variant is not None and variant.photo_up)
            if across:
                m_find.append(Finding("warning", "vertical-headline", page.number, across, f"story {story.id}"))
            cols = story_columns(body_grid, cell.cols, columns, slot.chars)
            if slot.jump_to and nxt < len(ms.body(story, cols.width).lines):
                # the rest continues on the named page, in the same column measure
                pending.setdefault(slot.jump_to, []).append(
                    Slot(slot.story, None, None, None, None, start=nxt, jumped_from=page.number,
                         chars=cols.chars))
        elif slot.ad is not None:
            m_items, pm, m_find = ads.place_ad(slot.ad, cell, setter, msgspec.structs.replace(style, grid=body_grid),
                                               page.number, auto)
        else:
            m_items, pm, f = furniture.reserved_frame(slot.reserved, slot.note, cell, setter, body_grid,
                                                      page.number, auto)
            m_find = [f]
        groups.append((cell, m_items))
        modules.append(pm)
        findings.extend(m_find)
    groups.append((None, _separators(modules, body_grid, style, top)))
    return groups, modules, findings


def _findings_of_pages(findings: list[Finding], spread: tuple[int, int], modules: list[PlacedModule],
                       left: list[PlacedModule], right: list[PlacedModule]) -> list[Finding]:
    """A spread's findings on the page they are about (the make-up names the spread's left
    page for all): a story set on the right-hand page only is reported there; a frame awaiting
    copy, by its place, on each page it stands on."""
    on_left = {m.owner for m in left}
    on_right = {m.owner for m in right} - on_left
    parts = {m.cell.label(): (m, [(spread[0], x) for x in left if x.owner == m.owner],
                              [(spread[1], x) for x in right if x.owner == m.owner]) for m in modules}
    out = []
    for f in findings:
        if f.code == "awaiting-copy" and f.where in parts:
            _, lefts, rights = parts[f.where]
            across = f", across pages {spread[0]}-{spread[1]}" if lefts and rights else ""
            for number, part in lefts + rights:
                message = f.message.replace(f"page {spread[0]}:", f"page {number}:", 1)
                if across:
                    message = message.replace(" characters)", f" characters{across})")
                out.append(msgspec.structs.replace(f, page=number, message=message, where=part.cell.label()))
            continue
        owner = next((o for o in on_right if f.where == f"story {o}" or f.where.startswith(f"story {o},")), None)
        message = f.message
        for label, (m, lefts, rights) in parts.items():     # a module's place in its page's columns
            if f"({label})" in message:
                if lefts and rights:
                    c = m.cell
                    here = (f"columns: {c.col + 1}-{c.col + c.cols} of pages {spread[0]}-{spread[1]}, "
                            f"lines: {c.line + 1}-{c.line + c.lines}")
                else:
                    here = (lefts or rights)[0][1].cell.label()
                message = message.replace(f"({label})", f"({here})")
        out.append(msgspec.structs.replace(f, page=spread[1] if owner and f.page == spread[0] else f.page,
                                           message=message))
    return out


def _check_fold(page: Page, slots: list[Slot], cells: list, frame: Spread) -> None:
    """A module across a spread's fold keeps the basic columns: a story column of 变栏 would
    stand on the 中缝."""
    for slot, (cell, _, variant) in zip(slots, cells):
        count = variant.count if variant is not None and variant.count is not None else slot.columns
        if crosses(cell, frame) and count not in (None, cell.cols):
            mod = next((m for m in page.modules if m.story == slot.story), None)
            where = mod.origin if mod is not None else page.origin
            raise where.error(f"story '{slot.story}' crosses the fold of pages {page.spread[0]}-{page.spread[1]} "
                              f"({cell.label()} of the spread's {2 * frame.columns} columns) in {count} story "
                              f"columns: across the fold a module keeps its basic columns (drop 'columns:' or "
                              f"give it an area on one page)")


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
             top: int, fold: int | None = None, kept=None) -> tuple[list[tuple[Cell, bool, Variant | None]], Layout | None]:
    """The cell (and chosen variant) of every slot: from the plan where given, else found by
    the page search in the type area around the plan's modules. `kept`: story shapes kept
    from earlier layouts (kept.KeptShapes, the proof server's), or None."""
    given = [s.cell for s in slots if s.cell]
    auto = [k for k in range(len(slots)) if slots[k].cell is None]
    placed: dict[int, tuple[Cell, Variant]] = {}
    layout = None
    if auto:
        area = Cell(0, top, grid.columns, grid.lines - top)
        sub = [slots[k] for k in auto]
        ranked = importance(sub)
        # the lead wide first (a hard rule unless nothing fits); then every shape that holds
        # its copy before smaller ones. A wide lead is not bought with much copy lost: past
        # cost.LEAD_WIDE_OVERSET lines over, a narrower lead that sets all the copy wins
        # Copy that fits only with more white at a module's foot than the first search offers
        # (generated seed 3 page 4 set two lines over beside a module three rows short), or
        # only with faults dearer than a stacked page and a squeezed headline (gen --wrap
        # --vertical stood four bands high), is searched again with up to cost.WIDE_FOOT_WHITE
        # rows, the cheaper kept: white, costed and reported, before overset
        # A page still stacked (千层饼) or with a module with a hole at its foot is searched once
        # more with pairs side by side allowed to cut inside a basic column (破栏,
        # search.off_grid_splits), the cheaper kept: two stories of like length under the lead on
        # five columns level at 2.5 + 2.5, not 3 + 2; so is a page with copy over, which 破栏 pairs
        # may set in full (generated kecheng --ads seed 1 page 2: 2 lines over, 298 against 2,142
        # with all set). (Pages costly for other reasons, a squeezed headline, are not: on 100 test
        # pages 22 such searches gained 4 pages a few characters of white each, and took a fifth
        # of the make-up's time on new copy.)
        # A search again is kept only when it is cheaper than the page in hand, so it is bounded
        # by that page's cost (`bound`: search.search finds nothing dearer; the lead widest is
        # searched on narrower shapes, so never cheaper, and is not kept over that page either)
        # The search's rungs (cost.SEARCH_BOUNDS) make a cheap page quick to find; a page that
        # holds its copy in none of the searches so far is not likely cheap, so later searches
        # start unbounded (exact either way: search()): an overset page with an ad searched
        # every rung of eight searches that found nothing (generated kecheng --ads seed 5 page 3)
        none_found = False
        free_at_top = _free_at_top(area, given)
        # the stories' shapes, made once for the page's searches with the same overset and foot white
        shapes: dict[tuple[bool, int], tuple[dict, dict]] = {}

        def attempt(lead_wide: bool, overset: bool, white: int, off_grid: bool = False,
                    bound: float = math.inf) -> tuple[Layout | None, Variants]:
            tried = Variants(ms, issue, sub, area.lines, grid.columns, overset=overset, lead_wide=lead_wide,
                             foot_white=white, off_grid=off_grid, kept=kept,
                             shared=shapes.setdefault((overset, white), ({}, {})), fold=fold,
                             free_at_top=free_at_top)
            nonlocal none_found
            rungs = () if none_found else cost.SEARCH_BOUNDS
            found = search(tried, ranked, area, given, grid.columns, fold=fold, bound=bound, rungs=rungs)
            if found is None and not overset:
                none_found = True
            if found is not None:
                found = _lead_widest(found, tried, ranked, area, given, grid.columns, fold)
            return found, tried

        wide_over = None
        for lead_wide, overset in ((True, False), (True, True), (False, False), (False, True)):
            if wide_over is not None and overset:
                # no narrower lead sets all the copy: the wide one, reported over. `variants` stay
                # the narrower lead's that hold their copy, so that a stacked page or one with a
                # hole is searched below once more with 破栏 pairs, which may set it all (generated
                # tabloid seed 1 page 1: 312 against 6,202 with the wide lead's copy over)
                layout = wide_over
                break
            layout, variants = attempt(lead_wide, overset, cost.MAX_FOOT_WHITE)
            if not overset and (layout is None or layout.cost >= cost.WIDE_SEARCH_COST):
                other, wider = attempt(lead_wide, False, cost.WIDE_FOOT_WHITE,
                                       bound=math.inf if layout is None else layout.cost)
                if other is not None and (layout is None or other.cost < layout.cost):
                    layout, variants = other, wider
            if layout is not None:
                if lead_wide and overset and sum(p.variant.overset for p in layout.placements) > cost.LEAD_WIDE_OVERSET:
                    wide_over, layout = layout, None
                    continue
                break
        if layout is None:
            raise _page_error(page, issue, f"no room on the page for its {len(auto)} module(s) without an area "
                                           f"(the plan's areas leave too little of the type area free)")
        if layout.bands >= 2 or any(hole_rows(p.variant) >= cost.HOLE_ROWS or p.variant.overset
                                    for p in layout.placements):
            other, off = attempt(variants.lead_wide, variants.overset, variants.foot_white, off_grid=True,
                                 bound=layout.cost)
            if other is not None and other.cost < layout.cost:
                layout, variants = other, off
        if layout.bands >= 2:
            layout = msgspec.structs.replace(layout, advice=_side_by_side_advice(variants, layout.banded, grid))
        layout = _white_under_foot_modules(layout, area)
        for p in layout.placements:
            placed[auto[p.slot]] = (p.cell, p.variant)
    # a module the plan places takes the best variant for its cell, as the search would
    planned = [k for k in range(len(slots)) if slots[k].cell is not None and slots[k].story]
    if planned:
        variants = Variants(ms, issue, slots, grid.lines - top, grid.columns, fold=fold)
        # the page's lead keeps its headline across, planned or not (issue 19: no vertical lead)
        lead = next((k for k in importance(slots) if slots[k].story and not slots[k].start), None)
        for k in planned:
            cell = slots[k].cell
            got = variants.shapes(k, cell.cols, lead=(k == lead)).get(cell.lines)
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


def _free_at_top(area: Cell, fixed: list[Cell]) -> int:
    """The most side-by-side columns of the type area's top line no fixed area covers: the
    widest the lead can be at the top of the page (cost.lead_min_columns)."""
    covered = {c for f in fixed if f.line <= area.line < f.line + f.lines for c in range(f.col, f.col + f.cols)}
    run = most = 0
    for c in range(area.col, area.col + area.cols):
        run = 0 if c in covered else run + 1
        most = max(most, run)
    return most


def _white_under_foot_modules(layout: Layout, area: Cell) -> Layout:
    """A module standing on the type area's foot with rows of white under its copy (more
    than its headline's air takes) is as tall as its copy, and the rows under it are the
    page's white in its columns (a gap the desk fills with a brief or an ad, reported as the
    page's: underfull), not a hole in the module."""
    bottom = area.line + area.lines
    placements, gaps, white = [], list(layout.gaps), layout.foot_white
    for p in layout.placements:
        rows = foot_white(p.variant)
        if rows >= GAP_REPORT_LINES and p.cell.line + p.cell.lines == bottom:
            kept = head_air(p.variant)      # the air the headline block takes stays in it
            variant = msgspec.structs.replace(p.variant, height=p.variant.height - rows,
                                              white=max(0, kept - (p.variant.air or 0)))
            cell = msgspec.structs.replace(p.cell, lines=p.cell.lines - rows)
            p = msgspec.structs.replace(p, cell=cell, variant=variant)
            gaps.append(Cell(cell.col, bottom - rows, cell.cols, rows))
            white += rows * cell.cols
        placements.append(p)
    return msgspec.structs.replace(layout, placements=tuple(placements), gaps=tuple(gaps), foot_white=white)


def _side_by_side_advice(variants: Variants, banded: tuple[int, ...], grid: Grid) -> str:
    """What copy would let two stacked bands stand side by side: for the pair of bands and
    the split of the page's columns where the least copy changes, how many characters the
    shorter story would need, or the taller one would have to lose, for their columns to end
    level at one height (each at its fullest exact shape)."""
    best = None
    for a, b in zip(banded, banded[1:]):
        for w in range(1, grid.columns):
            tall = {k: min((h for h, (c, v) in variants.shapes(k, cols).items() if not v.overset and not v.white),
                           default=None) for k, cols in ((a, w), (b, grid.columns - w))}
            if None in tall.values():
                continue
            diff = tall[a] - tall[b]
            short, long_, short_cols, long_cols = (b, a, grid.columns - w, w) if diff > 0 else (a, b, w, grid.columns - w)
            add = abs(diff) * short_cols * grid.column_chars
            cut = abs(diff) * long_cols * grid.column_chars
            if best is None or min(add, cut) < best[0]:
                best = (min(add, cut), w, short, long_, add, cut)
    if best is None:
        return ""
    _, w, short, long_, add, cut = best
    sid = [s.story for s in variants.slots]
    return (f"side by side in {w} + {grid.columns - w} columns, '{sid[short]}' wants about {add:,} characters more "
            f"or '{sid[long_]}' about {cut:,} fewer")


def _lead_widest(layout: Layout, variants: Variants, ranked: list[int], area: Cell, given: list[Cell],
                 columns: int, fold: int | None = None) -> Layout:
    """The lead is the widest story on the page: a layout with a story wider than the lead is
    searched again with no story wider than it (kept only when one is found)."""
    lead = next((p for p in layout.placements if p.slot == ranked[0]), None)
    if lead is None or variants.slots[lead.slot].story is None:
        return layout
    wider = [p for p in layout.placements if p is not lead and variants.slots[p.slot].story is not None
             and p.cell.cols > lead.cell.cols]
    if not wider:
        return layout
    # (searched from the last rung: with narrower shapes it costs more than the page in hand,
    # and the lower ones fail)
    again = search(variants.narrowed(lead.cell.cols), ranked, area, given, columns, fold=fold,
                   rungs=cost.SEARCH_BOUNDS[-1:])
    if again is None:
        return layout
    moved = next(p for p in again.placements if p.slot == ranked[0])
    # the lead on top comes first: not bought by moving it down under a fixed area; nor at
    # more than cost.LEAD_NOT_WIDEST (a squeezed headline, a 通天柱: generated broadsheet seed 7
    # page 1 set a 1,051-character story in one column, its headline squeezed, at 2,692 against
    # 393 with a band across the foot wider than the lead)
    if moved.cell.line > lead.cell.line or again.cost > layout.cost + cost.LEAD_NOT_WIDEST:
        return layout
    return again


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
        width = module_width(grid, cell.cols, variant.off_grid if variant else None)
        if variant is not None and variant.photo_up:      # the headline over the text beside the photo
            _, width = head_beside_photo(width, story_columns(grid, cell.cols, variant.count), variant.photo)
        head = ms.head(story, width, lines=variant.head_break if variant else None)
        main = head.blocks[main_line(story)]
        role = setter.role(ms.headline_role(story))
        heads.append(Headline(k, cell, main.size, role.min_size or role.size, lead=(k == lead)))
    return settle(heads)


def _page_error(page: Page, issue: Issue, message: str) -> InputError:
    if page.origin is not None:
        return page.origin.error(message)
    return InputError(issue.display, None, None, f"page {page.number}", message)


def _fit_findings(page: Page, slots: list[Slot], layout: Layout | None, grid: Grid,
                  numbers: set[int], frame: Spread | None = None) -> list[Finding]:
    """Too little copy: the white the make-up could not fill, in lines and characters. Too
    much: the lines to cut, and the story to jump. On a spread, white is reported on the page
    it is on, in that page's columns."""
    if layout is None:
        return []
    out = []
    last = page.spread[1] if page.spread else page.number
    for gap in layout.gaps:
        parts = [(page.number, gap)]
        if frame is not None:
            n = frame.columns
            parts = [(page.spread[0], Cell(gap.col, gap.line, min(gap.col + gap.cols, n) - gap.col, gap.lines)),
                     (page.spread[1], Cell(max(gap.col, n) - n, gap.line, gap.col + gap.cols - max(gap.col, n),
                                           gap.lines))]
        for number, cell in parts:
            if cell.lines >= GAP_REPORT_LINES and cell.cols > 0:
                chars = cell.lines * cell.cols * grid.column_chars
                out.append(Finding("warning", "underfull", number,
                                   f"page {number}: {cell.lines} lines x {cell.cols} columns empty "
                                   f"({cell.label()}), about {chars:,} characters more copy wanted",
                                   cell.label()))
    story_ids = [s.story for s in slots if s.cell is None]
    for p in layout.placements:
        rows = foot_white(p.variant)
        if rows and story_ids[p.slot] is not None:
            number, cell = page.number, p.cell
            if frame is not None and cell.col >= frame.columns:     # a spread's right-hand page
                number, cell = page.spread[1], Cell(cell.col - frame.columns, cell.line, cell.cols, cell.lines)
            chars = rows * cell.cols * grid.column_chars
            out.append(Finding("warning", "module-white", number,
                               f"page {number}: module '{story_ids[p.slot]}' ({cell.label()}) ends "
                               f"{rows} line(s) x {cell.cols} columns short of its foot, about {chars:,} "
                               f"characters more copy wanted", f"story {story_ids[p.slot]}"))
    if layout.bands >= 2:
        # the search charges a second band more than a reported hole of a module's depth
        # (cost.EXTRA_BAND): it stands only where no side-by-side make-up levels the copy
        bands = [story_ids[k] for k in layout.banded if story_ids[k] is not None]
        out.append(Finding("warning", "stacked", page.number,
                           f"page {page.number}: {layout.bands} full-width modules besides the lead "
                           f"(千层饼): no make-up sets {', '.join(repr(b) for b in bands)} side by side with "
                           f"level columns; lengthen or cut one of them, or add a photo"
                           + (f" ({layout.advice})" if layout.advice else ""),
                           f"story {bands[0]}" if bands else f"page {page.number}"))
    over = [(p.variant.overset, p.slot) for p in layout.placements if p.variant.overset]
    if over:
        lines = sum(n for n, _ in over)
        worst_lines, worst = max(over)
        sid = [s for s in slots if s.cell is None][worst].story
        later = sorted(n for n in numbers if n > last)
        where = f"page {later[0]} (jump: {later[0]})" if later else "a later page"
        name = f"pages {page.spread[0]}-{page.spread[1]}" if page.spread else f"page {page.number}"
        out.append(Finding("warning", "overfull", page.number,
                           f"{name}: copy over by {lines} line(s): "
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
        x0, width = m.x_width(grid)
        if c.col > 0:
            x = x0 - grid.gutter / 2
            if m.span is not None:
                # off the basic columns (破栏): midway to the module on the left, the gutter
                # between the two may be wider than the style's
                left = [lx + lw for lx, lw in (n.x_width(grid) for n in modules if n is not m
                                               and n.cell.line < c.line + c.lines and c.line < n.cell.line + n.cell.lines)
                        if lx + lw <= x0 + 0.01]
                if left:
                    x = (max(left) + x0) / 2
            out.append(Rule(x, grid.line_top(c.line) + 2, x, grid.line_top(c.line + c.lines) - 2, w, "black"))
        if c.line > top:
            y = grid.line_top(c.line) + 1
            out.append(Rule(x0, y, x0 + width, y, style.rules["story_separator"], "black"))
    return out
