"""Story variants: every shape a module can take on the grid, with its exact height.

For each story to be placed and each width in basic columns (1 .. the style's columns), the
shapes come from composing its copy: its body in the width's story columns (the basic columns,
or fewer and wider ones: 变栏), its headline block across the width (the headline fitted to
its lines: module.ModuleSetter.head), its photo at every size the crop allows (spanning a
third of the story columns to all of them, in whole columns and grid lines), and its
headline block given up to a few lines of air. Each combination is exact: the body is shared
out over the columns to one level bottom (齐底: module.balance), so the module's height in
grid lines is what the copy fills, no more. A module may also be given a line or two more
than that (white at its foot: a costed hole) or, when the page has too little room, fewer
(overset: a costed fault the page reports).

Compositions are cached by (story, measure) in the ModuleSetter, so each story is composed
once per measure however many widths and heights the search tries; the shapes of one piece at
one width are computed once per page.
"""
from __future__ import annotations

import math

import msgspec
import msgspec.structs

from ..load.issue import Issue
from ..load.style import Grid
from . import cost
from .kept import shapes_key
from .module import (NO_PHOTO, ModuleSetter, OffGrid, PhotoPlan, balance, head_beside_photo,
                     level_bottom, main_line, module_width, story_columns, strand_free, strands)

MIN_JUMP_BODY = 6          # a story that jumps shows at least this many lines of body here
MIN_RESERVED = 4           # grid lines of the smallest reserved frame
WRAP_OVER_STEP = 4         # lines between the overset shapes of a story whose photo is wrapped in its text


class Variant(msgspec.Struct, frozen=True):
    """One shape of a module: what the module setter is asked to do in a cell `cols` x `height`."""
    cols: int                       # basic columns
    height: int                     # grid lines of the module
    count: int | None = None        # story columns (None: as the slot says)
    photo: PhotoPlan | None = None  # photo size chosen (None: no photo, or the module decides)
    air: int | None = None          # extra lines of air in the headline block
    head_break: int | None = None   # the main headline in this many lines (None: as few as fit)
    white: int = 0                  # rows left white at the module's foot
    overset: int = 0                # text lines that do not fit
    vertical: bool = False          # the headline block set vertically beside the body (issue 19)
    head_level: int | None = None   # the main headline set at this (larger) level's size (None: its own)
    off_grid: OffGrid | None = None  # its own measure off the basic columns (破栏: search.py pairs)
    short: int = 0                  # lines its shortest column ends above the module's copy (exact shapes)
    blank: int | None = None        # characters of its text area the copy leaves empty (_story's shapes)
    photo_up: bool = False          # the photo at the module's top, the headline beside it (题图并排)


class Piece(msgspec.Struct, frozen=True):
    """What the page search needs to know of a module beside its shapes."""
    index: int                      # the slot's place in the page plan
    level: int                      # headline level (tombstones); 9: no headline of its own
    photo: bool
    story: str | None = None


# a piece's shapes at one width: grid lines -> (cost, variant)
Shapes = dict[int, tuple[float, Variant]]


def enlarged(ms: ModuleSetter, story):
    """The story with its headline a level up (level 3 set as level 2), where the style has
    that level's role and the story's headline is its level's (not a brief's or commentary's)."""
    if story.level <= 1 or ms.headline_role(story) != f"headline_{story.level}":
        return None
    up = msgspec.structs.replace(story, level=story.level - 1)
    return up if ms.headline_role(up) == f"headline_{up.level}" and up.level >= 2 else None


def head_air(variant: Variant) -> int:
    """The headline block's air for a variant: its own air and its foot white, capped (a
    vertical block stands the module's height: its white stays at the foot)."""
    return _head_air(variant.air or 0, variant.white, variant.vertical, variant.photo_up)


def _head_air(air: int, white: int, vertical: bool, photo_up: bool = False) -> int:
    if vertical:
        return 0
    if photo_up:        # more air would lower the text beside the photo, not the photo: white stays at the foot
        return air
    return min(cost.MAX_HEAD_AIR, air + white) if white else air


def foot_white(variant: Variant) -> int:
    """Rows of a variant's white that the headline's air cannot take: left at the foot."""
    return _foot_white(variant.air or 0, variant.white, variant.vertical, variant.photo_up)


def _foot_white(air: int, white: int, vertical: bool, photo_up: bool = False) -> int:
    return air + white - _head_air(air, white, vertical, photo_up)


def hole_rows(variant: Variant) -> int:
    """Lines of white under its whitest column's copy: the rows at its foot and its shortest
    column's (cost.hole_step charges from cost.HOLE_ROWS; page.py searches such a page again)."""
    return foot_white(variant) + variant.short


def _column_white(starts: tuple[int, ...], per_column: list[int], used: int, first: int, photo_cols: int,
                  photo_foot: int) -> tuple[float, int]:
    """What a shape's columns leave white above its foot line `used`: each column ending a
    line short (level, by the style) or more (a hole), and the hole step once for its
    shortest (cost.hole_step); with the most lines any column ends short. A photo column
    (`photo_cols` from `first`) with no text under it ends at the photo's foot."""
    white, short = 0.0, 0
    for c, start in enumerate(starts):
        lines = per_column[c]
        end = photo_foot if lines == 0 and first <= c < first + photo_cols else start + lines
        gap = used - end
        if gap > short:
            short = gap
        white += cost.level_short(gap) if gap <= 1 else cost.hole(gap)
    return white + cost.hole_step(short), short


class Variants:
    """The shapes of a page's modules, computed on demand and kept for the page's search."""

    def __init__(self, ms: ModuleSetter, issue: Issue, slots: list, height: int, page_columns: int,
                 overset: bool = False, lead_wide: bool = False, widest: int | None = None,
                 foot_white: int = cost.MAX_FOOT_WHITE, off_grid: bool = False, kept=None,
                 shared: tuple[dict, dict] | None = None, fold: int | None = None,
                 free_at_top: int | None = None):
        self.ms = ms
        # a spread's (通版) left page columns: a module across the fold keeps its basic columns
        self.fold = fold
        # story shapes kept between layouts (the proof server's: kept.KeptShapes), or None
        self.kept = kept
        self._kept_keys: dict[int, str] = {}
        # the desk's hard rule on the lead (issue 21): at least cost.lead_min_columns() wide
        # (`lead_wide`; `free_at_top`: the most columns fixed areas leave free at the type area's
        # top), and no other story wider than it (`widest`: its width)
        self.lead_wide = lead_wide
        self.lead_least = cost.lead_min_columns(page_columns, free_at_top)
        self.widest = widest
        self.grid: Grid = ms.grid
        self.issue = issue
        self.slots = slots
        self.height = height
        self.page_columns = page_columns
        self.overset = overset          # also offer shapes too small for their copy
        self.foot_white = foot_white    # rows of white a shape may carry at its foot
        self.off_grid = off_grid        # pairs side by side may cut inside a basic column (破栏)
        # the shapes at basic widths and off the grid; `shared`: those of an earlier search of the
        # page with the same `overset` and `foot_white`, what they depend on beside the page
        # (the lead's width and the widest are asked of them in shapes() and off_grid_shapes())
        self._shapes: dict[tuple[int, int, bool], Shapes]
        self._off_shapes: dict[tuple[int, int, int], Shapes]
        self._shapes, self._off_shapes = shared if shared is not None else ({}, {})
        self._levels = ms.levels        # (shared by every page's variants: pure in their keys)
        self._strands = ms.strands
        self.pieces = [self._piece(i, s) for i, s in enumerate(slots)]

    def _piece(self, i: int, slot) -> Piece:
        if slot.story is None:
            return Piece(i, 9, False)
        story = self.issue.stories[slot.story]
        if slot.start:
            return Piece(i, 9, False, story.id)
        return Piece(i, story.level, story.photo is not None, story.id)

    def narrowed(self, widest: int) -> "Variants":
        """The same pieces with no story but the lead wider than `widest` (shapes shared)."""
        out = Variants.__new__(Variants)
        out.__dict__.update(self.__dict__)
        out.widest = widest
        return out

    def shapes(self, i: int, cols: int, lead: bool = False, bound: float = math.inf) -> Shapes:
        """The piece's shapes at `cols` basic columns (memoised). `bound`: the search wants no
        shape costing that much, so a story whose every shape at this width would (_floor) is
        not made for it: {} (not kept: a search under a higher bound makes them)."""
        slot = self.slots[i]
        if slot.story is not None and not slot.start:
            if lead and self.lead_wide and cols < self.lead_least:
                return {}
            if not lead and self.widest is not None and cols > self.widest:
                return {}
        key = (i, cols, lead)
        got = self._shapes.get(key)
        if got is None:
            slot = self.slots[i]
            if slot.story is None:
                got = self._reserved(cols)
            elif slot.jump_to:
                got = self._jumping(slot, cols)
            elif slot.start:
                got = self._continuation(slot, cols)
            elif bound < math.inf and self._floor(slot, cols, lead) >= bound:
                return {}
            elif self.kept is not None:
                kept_key = (self._kept_key(i), cols, lead)
                got = self.kept.get(kept_key)
                if got is None:
                    got = self._story(slot, cols, lead)
                    self.kept.put(kept_key, got)
            else:
                got = self._story(slot, cols, lead)
            self._shapes[key] = got
        return got

    def _kept_key(self, i: int) -> str:
        """The story of slot i and what its shapes depend on here, digested (kept.shapes_key):
        the style and grid, the type area's height and columns, overset and foot white, the
        lead's least width."""
        got = self._kept_keys.get(i)
        if got is None:
            slot = self.slots[i]
            context = (self.ms.style_digest(), self.height, self.page_columns, self.overset, self.foot_white,
                       self.lead_least)
            got = self._kept_keys[i] = shapes_key(slot, self.issue.stories[slot.story], context)
        return got

    def off_grid_shapes(self, i: int, off: OffGrid) -> Shapes:
        """A story's shapes in its own measure (`off`: story columns of so many characters)
        off the basic columns, for a pair side by side (search.py); no lead, no jump or
        continuation, no photo inside the text, no vertical headline, nothing overset."""
        grid = self.grid
        cols = max(1, round((off.width_chars(grid) + grid.gutter_chars) / (grid.column_chars + grid.gutter_chars)))
        if self.widest is not None and cols > self.widest:
            return {}
        key = (i, off.count, off.chars)
        got = self._off_shapes.get(key)
        if got is None:
            slot = self.slots[i]
            got = {}
            if slot.story is not None and not slot.start and not slot.jump_to and not slot.columns:
                got = self._story(slot, cols, False, off=off)
            self._off_shapes[key] = got
        return got

    def min_area(self, i: int, lead: bool = False, bound: float = math.inf) -> int:
        """The least column-lines the piece takes at any width (a bound for the search), of
        the shapes a search under `bound` can use."""
        areas = [h * w for w in range(1, self.page_columns + 1) for h in self.shapes(i, w, lead, bound)]
        return min(areas, default=self.height * self.page_columns + 1)

    # -- kinds of module ---------------------------------------------------------------
    def _reserved(self, cols: int) -> Shapes:
        """Space for copy not on file takes whatever it is given."""
        return {h: (0.0, Variant(cols, h)) for h in range(MIN_RESERVED, self.height + 1)}

    def _jumping(self, slot, cols: int) -> Shapes:
        """A story that continues on another page fills its module; what is left jumps."""
        story = self.issue.stories[slot.story]
        grid = self.grid
        head = self.ms.head(story, grid.span_width(cols))
        sc = story_columns(grid, cols, slot.columns)
        n = len(self.ms.body_lines(story, sc.width).lines)
        whole = head.lines + 1 + math.ceil(n / sc.count)
        out: Shapes = {}
        for h in range(head.lines + MIN_JUMP_BODY, self.height + 1):
            out[h] = (cost.hole(max(0, h - whole) * cols), Variant(cols, h))
        return out

    def _continuation(self, slot, cols: int) -> Shapes:
        """The rest of a story from an earlier page, in its first part's measure, no photo."""
        story = self.issue.stories[slot.story]
        grid = self.grid
        sc = story_columns(grid, cols, None, slot.chars)
        head_lines = self.ms.jump_head_lines(story, grid.span_width(cols)) + 1     # and 上接 line
        n = len(self.ms.body_lines(story, sc.width).lines) - slot.start
        bottom, _ = self._level(n, (0,) * sc.count)
        short = sc.count * bottom - n
        exact: Shapes = {}
        for a in range(cost.air_limit(head_lines) + 1):
            h = head_lines + a + bottom
            if h <= self.height:
                self._keep(exact, h, cost.air(a) + cost.level_short(short), Variant(cols, h, air=a))
        out = self._with_foot_white(exact, cols)
        if self.overset:
            for h in range(head_lines + 2, min(exact, default=self.height + 1)):
                over = n - (h - head_lines) * sc.count
                if over > 0:
                    self._keep(out, h, cost.overset(over), Variant(cols, h, air=0, overset=over))
        return out

    def _story(self, slot, cols: int, lead: bool, off: OffGrid | None = None) -> Shapes:
        """`off`: the story in its own measure off the basic columns (off_grid_shapes)."""
        story = self.issue.stories[slot.story]
        grid, ms = self.grid, self.ms
        width = module_width(grid, cols, off)
        head, base = self._head_base(story, width, cols, lead)
        if story.photo is not None and story.photo.wrap is not None and story.headline_block != "vertical":
            return self._wrapped(story, cols, slot.columns, head.lines, base) if off is None else {}
        if off is not None and story.headline_block == "vertical":
            return {}
        heads = [(None, head, 0.0, None)] + self._two_lines(story, width, head, 0.0, None)
        # a module with white to spare may set its headline a size level up (放大标题) rather
        # than carry more air than cost.MAX_HEAD_AIR: the block grows, the white goes
        up = enlarged(ms, story)
        if up is not None and head.fits:
            big = ms.head(up, width)
            if big.fits and big.lines > head.lines:
                heads.append((None, big, cost.HEADLINE_ENLARGED, up.level))
            heads.extend(self._two_lines(up, width, big, cost.HEADLINE_ENLARGED, up.level))
        if off is not None:
            counts = [off.count]
        elif slot.columns:
            if slot.columns >= cols and cols < self.page_columns:
                return {}                  # 变栏 asked for: the module is wider than its story columns
            counts = [slot.columns]
        else:
            # three basic columns as two (变栏), for items short enough that a second measure is cheap
            short = sum(len(p.text) for p in story.body) <= cost.VARIABLE_COLUMNS_CHARS
            counts = [cols] + ([cols - 1] if cols == 3 and short else [])
            counts += self._shallow_counts(story, cols, counts)
        natural = ms.natural_aspect(story) if story.photo is not None else 1.0
        # each headline block with its air: (lines, block cost, air cost, break, level, air)
        # (one row a height: of the blocks and airs that take as many lines only the cheapest,
        # the first of equals, can be kept, the rest of a shape's cost being the same there)
        head_rows = {}
        for brk, hb, hc, hl in heads:
            for a in range(cost.air_limit(hb.lines) + 1):
                old = head_rows.get(hb.lines + a)
                if old is None or hc + cost.air(a) < old[1] + old[2]:
                    head_rows[hb.lines + a] = (hb.lines + a, hc, cost.air(a), brk, hl, a)
        head_rows = list(head_rows.values())
        kept: dict[int, tuple] = {}         # grid lines -> (cost, the fields of its Variant)
        # the photo may stand beside the headline block (_photo_up): not over a label (栏目), which
        # heads everything in its module, nor in a measure off the grid, nor beside a headline
        # the editor set vertical (place/vertical.py sets that module)
        photo_up = off is None and not story.label and story.headline_block != "vertical"
        smallest: list[tuple[int, PhotoPlan, list[int], int]] = []
        row_chars = cols * grid.column_chars if off is None else off.count * off.chars   # a body line across
        for count in counts:
            sc = story_columns(grid, cols, count) if off is None else off.columns(grid)
            text = ms.body_lines(story, sc.width)
            n = len(text.lines)
            fixed = base + cost.narrow_module(cols, n, grid.column_chars)
            if sc.count != cols and off is None:
                fixed += cost.VARIABLE_COLUMNS
            plans = ms.photo_plans(story, sc, every_width=True)
            copy_chars = text.chars
            copy_key = (slot.story, round(sc.width, 3))
            lifted: dict[int, bool] = {}       # photo columns -> shapes with the photo beside the headline
            # photo columns -> the level bottom at most (the text in the other columns alone)
            most = {k: -(-n // (sc.count - k)) for k in range(1, sc.count)}
            for plan in plans:
                photo_foot = plan.lines - 1 if plan.cols else 0
                if plan is not plans[0] and 0 < plan.cols < sc.count and lifted.get(plan.cols) is False \
                        and not cost.photo_allowed(plan.cols, sc.count, plan.lines, max(photo_foot, most[plan.cols])):
                    continue        # too large a photo even for the most lines its text could need
                starts = plan.starts(sc.count)
                # (the bottom alone first: most photo sizes are not allowed, and the columns'
                # counts were two fifths of a photo story's variants)
                text_bottom = level_bottom(n, starts)
                used = max(text_bottom, photo_foot)
                shape = 0.0
                if plan.cols:
                    lift = lifted.get(plan.cols)
                    if lift is None:
                        # beside the headline: where even the smallest photo of this width (the
                        # first plan of its width) reaches two lines or more below its text (one
                        # is level)
                        lift = lifted[plan.cols] = photo_up and photo_foot - text_bottom >= 2
                    if lift or plan is plans[0] or cost.photo_allowed(plan.cols, sc.count, plan.lines, used):
                        photo_width = sc.xs[plan.cols - 1] + sc.width
                        shape = cost.photo_shape(plan.img_lines, photo_width / natural / grid.pitch, plan.cols,
                                                 sc.count)
                    if lift:        # (till the photo outgrows the text beside it there too)
                        lifted[plan.cols] = self._photo_up(story, width, sc, text, plan, copy_key, fixed + shape,
                                                           row_chars, kept, count)
                if plan.cols and plan is not plans[0] and not cost.photo_allowed(plan.cols, sc.count, plan.lines, used):
                    continue
                white, short, room_chars, side, starts, asked = self._sides(text, copy_key, starts, text_bottom,
                                                                            used, plan, photo_foot, sc)
                entries = []
                full_from = cost.full_from(max(0, room_chars - copy_chars))
                for head_lines, hc, air_cost, brk, hl, a in head_rows:
                    h = head_lines + used
                    if h <= self.height:
                        area = h * row_chars
                        full = cost.module_fill(room_chars, copy_chars, area) if area < full_from else 0.0
                        entries.append((h, fixed + white + full + shape + hc + air_cost, brk, hl, a))
                # a line stranded at a column break (cost.STRANDED) is asked only of a plan with a
                # height it could win without it (the check sets the columns: a third of a photo
                # page's variants, most of them plans another already beats)
                if not any(h not in kept or c < kept[h][0] for h, c, *_ in entries):
                    continue
                if not asked and self._stranded(text, copy_key, n, starts):
                    entries = [(h, c + cost.STRANDED, brk, hl, a) for h, c, brk, hl, a in entries]
                # (the shape's fields, made a Variant only if it is kept at the end: most are beaten)
                blank = max(0, room_chars - copy_chars)
                for h, c, brk, hl, a in entries:
                    old = kept.get(h)
                    if old is None or c < old[0]:
                        kept[h] = (c, count, side, a, brk, hl, short, blank, False)
            smallest.append((count, plans[0], n, fixed))
        exact: Shapes = {h: (c, Variant(cols, h, count=count, photo=plan if plan.cols else None, air=a, head_break=brk,
                                        head_level=hl, off_grid=off, short=short, blank=blank, photo_up=up))
                         for h, (c, count, plan, a, brk, hl, short, blank, up) in kept.items()}
        out = self._with_foot_white(exact, cols)
        if off is not None:
            return out
        asked = story.headline_block == "vertical"
        vertical = self._vertical(story, cols, lead, slot.columns, across=None if asked else out)
        if asked and vertical:
            return vertical                # the editor's choice: its shapes, not a horizontal block's
        if asked:       # none at this width: the headline across, costed (page.py sets and reports it)
            out = {h: (c + cost.VERTICAL_REFUSED, v) for h, (c, v) in out.items()}
        for h, (c, v) in vertical.items():
            self._keep(out, h, c, v)
        if self.overset:
            low = min(exact, default=self.height + 1)
            for count, plan, n, fixed in smallest:
                sc = story_columns(grid, cols, count)
                for h in range(head.lines + 2, low):
                    body = h - head.lines
                    use = plan if plan.cols and plan.lines - 1 <= body else NO_PHOTO
                    dropped = cost.HEADLINE_SQUEEZED if plan.cols and not use.cols else 0.0
                    room = sum(max(0, body - (use.lines if c < use.cols else 0)) for c in range(sc.count))
                    over = n - room
                    if over > 0:
                        self._keep(out, h, fixed + dropped + cost.overset(over),
                                   Variant(cols, h, count=count, photo=use if use.cols else None, air=0,
                                           overset=over))
        return out

    def _shallow_counts(self, story, cols: int, counts: list[int]) -> list[int]:
        """Fewer, wider story columns (变栏) for a body too shallow to end level across `cols`
        basic columns: a few lines a column with two or more columns a line short (a short item
        across the page, its six lines set as two in the first column and one in each of four
        more: 40% of its body white, generated 5-column seeds 206 and 239), down to columns of
        cost.VARIABLE_MEASURE_CHARS characters."""
        if cols < 3 or self.fold is not None and cols > min(self.fold, self.page_columns - self.fold):
            return []       # (a module this wide on a spread stands across the fold: basic columns)
        grid = self.grid
        n = len(self.ms.body_lines(story, story_columns(grid, cols, cols).width).lines)
        bottom = -(-n // cols)
        if bottom > cost.SHALLOW_BODY_LINES or bottom * cols - n < 2:
            return []
        return [k for k in range(cols - 1, 1, -1)
                if k not in counts and story_columns(grid, cols, k).chars <= cost.VARIABLE_MEASURE_CHARS]

    def _two_lines(self, story, width: float, head, base: float, level: int | None) -> list[tuple]:
        """The main headline broken in two lines where one would hold it (a taller block)."""
        main = head.blocks[main_line(story)]
        if head.fits and len(main.lines) == 1 and self.ms.setter.role(self.ms.headline_role(story)).max_lines >= 2:
            two = self.ms.head(story, width, lines=2)
            if two.lines > head.lines and len(two.blocks[main_line(story)].lines) == 2:
                return [(2, two, base + cost.TWO_LINE_HEADLINE, level)]
        return []

    def _wrapped(self, story, cols: int, columns: int | None, head_lines: int, base: float) -> Shapes:
        """A story whose photo stands inside its text (place/wrap.py): exactly the lines its
        copy takes set around the photo's rectangle, columns level (wrap.wrap_fit, the same
        fit the module setter places), and the usual white."""
        from .wrap import column_ends, wrap_fit

        sc = story_columns(self.grid, cols, columns)
        fit = wrap_fit(self.ms, story, sc, self.grid.lines)
        h = head_lines + fit.bottom
        ends = column_ends(fit, sc)
        fixed = base + cost.narrow_module(cols, len(self.ms.body_lines(story, sc.width).lines), self.grid.column_chars)
        if fit.over or h > self.height:
            return self._wrapped_over(story, sc, cols, head_lines, fixed)
        if max(ends) - min(ends) > 1:
            # copy too short to end level round the photo at this width: no exact shape; where the
            # search offers faults as a last resort (`overset`), the shape as it falls, its white
            # costed as holes (the module setter reports it: wrap-level). A page of one story
            # across the broadsheet's eight columns had no other (generated --wrap --fill 1.0 seed 5)
            if not self.overset:
                return {}
            return {h: (fixed + cost.hole(sum(max(ends) - e for e in ends)) + cost.HOLE_STEP,
                        Variant(cols, h, count=sc.count))}
        return self._with_foot_white({h: (fixed + cost.level_short(fit.short),
                                          Variant(cols, h, count=sc.count))}, cols)

    def _wrapped_over(self, story, sc, cols: int, head_lines: int, fixed: float) -> Shapes:
        """A wrapped story whose copy no text area of the page holds: where the search offers
        copy over (`overset`), the fit as deep as the area lets it, every WRAP_OVER_STEP lines
        up from there (the module setter sets the same fit and reports what is over). Without
        them a page whose one story wraps its photo round more copy than the page holds found
        no make-up at all (exit 2, 'no room on the page', generated --wrap --fill 1.0)."""
        from .wrap import wrap_fit

        if not self.overset:
            return {}
        out: Shapes = {}
        for h in range(self.height, max(head_lines + 3, self.height // 2) - 1, -WRAP_OVER_STEP):
            fit = wrap_fit(self.ms, story, sc, h - head_lines)
            if fit.over:
                out[h] = (fixed + cost.overset(fit.over), Variant(cols, h, count=sc.count, overset=fit.over))
        return out

    def _head_base(self, story, width: float, cols: int, lead: bool) -> tuple:
        """The headline block across `width` and what every shape with it costs: a headline
        that does not fit at its smallest size, a lead narrower than two thirds of the page."""
        head = self.ms.head(story, width)
        base = cost.HEADLINE_SQUEEZED if not head.fits else 0.0
        if lead:
            base += cost.lead_width(cols, self.lead_least)
        return head, base

    def _floor(self, slot, cols: int, lead: bool) -> float:
        """What every shape of a story at `cols` basic columns costs at least: the fixed costs
        of _story's shapes (a headline that does not fit, a narrow lead, a long story in one
        column), or a vertical headline's device where the story may stand so (_vertical).
        Found from the compositions alone (in the search's first rung a fifth of the variants'
        time went to widths no shape of which it could use: squeezed headlines, 通天柱)."""
        story = self.issue.stories[slot.story]
        grid, ms = self.grid, self.ms
        _, floor = self._head_base(story, module_width(grid, cols), cols, lead)
        if cols == 1:       # (cost.narrow_module: nothing at other widths, and no composing)
            sc = story_columns(grid, 1, slot.columns)
            floor += cost.narrow_module(1, len(ms.body_lines(story, sc.width).lines), grid.column_chars)
        if self._vertical_offered(story, cols, lead, slot.columns):
            floor = min(floor, cost.vertical_headline(story.headline_block == "vertical"))
        return floor

    @staticmethod
    def _vertical_offered(story, cols: int, lead: bool, columns: int | None) -> bool:
        """Whether _vertical makes shapes for the story at this width: one that asks for it,
        or a short plain headline: not the lead, no kicker or deck (they would stand as extra
        vertical lines), a news story without a label (briefs, photo news and commentary keep
        their furniture across), not a story the editor set in story columns (变栏: the desk
        chose its shape)."""
        if story.headline_block == "vertical":
            return True
        return not (lead or cols < 2 or story.deck or story.kicker or columns is not None
                    or story.kind != "news" or story.label
                    or len(story.headline) > cost.VERTICAL_HEADLINE_CHARS)

    def _vertical(self, story, cols: int, lead: bool, columns: int | None, across: Shapes | None = None) -> Shapes:
        """Shapes with the headline block set vertically beside the body (place/vertical.py):
        for a story that asks for it, and as a variant the search may choose for a story
        whose main headline is short (cost.VERTICAL_HEADLINE_CHARS), not the page's lead.
        `across`: the story's horizontal shapes; a vertical block is set only at heights where
        it (with its foot white) could be cheaper than they are (the device costs
        cost.VERTICAL_HEADLINE at least)."""
        from .vertical import vertical_fills

        asked = story.headline_block == "vertical"
        if not self._vertical_offered(story, cols, lead, columns):
            return {}
        vstory = story if asked else msgspec.structs.replace(story, headline_block="vertical")
        out: Shapes = {}
        area_chars = cols * self.grid.column_chars
        worth = None
        if across is not None:
            def worth(h: int) -> bool:
                return any(across.get(h + extra, (math.inf,))[0] >= cost.VERTICAL_HEADLINE
                           for extra in range(self.foot_white + 1))
        for fill in vertical_fills(self.ms, vstory, cols, columns, worth):
            if fill.lines > self.height:
                break
            full = cost.module_fill(fill.room_chars, fill.copy_chars, fill.lines * area_chars)
            squeezed = 0.0 if fill.fits else cost.HEADLINE_SQUEEZED
            out[fill.lines] = (cost.vertical_headline(asked) + cost.level_short(fill.short) + full + squeezed
                               + cost.unfilled(fill.room_chars - fill.copy_chars),
                               # (vertical_fills: every column ends at the foot or a line above it)
                               Variant(cols, fill.lines, vertical=True, short=1 if fill.short else 0,
                                       blank=max(0, fill.room_chars - fill.copy_chars)))
        return self._with_foot_white(out, cols)

    def _photo_up(self, story, module_w: float, sc, text, plan: PhotoPlan, copy_key: tuple, fixed: float,
                  row_chars: int, kept: dict, count: int) -> bool:
        """Shapes with the photo at the module's top and the headline block over the text
        columns beside it (题图并排), into `kept`: offered where the photo under a headline
        across reaches lower than the text beside it (a tall photo, short copy: the hole a desk
        closes by lifting the photo beside the headline). The photo at least as tall as the
        headline block; costed cost.PHOTO_BESIDE_HEAD, with the air and white of any shape.
        False when this photo reaches two lines or more below the text beside it at every air
        (a larger one of its width would too), or the headline does not fit beside it."""
        _, width = head_beside_photo(module_w, sc, plan)
        head = self.ms.head(story, width)
        if not head.fits:
            return False
        if plan.img_lines < head.lines:
            return True
        n, copy_chars = len(text.lines), text.chars
        outgrown = True
        for a in range(cost.air_limit(head.lines) + 1):
            top = head.lines + a           # the text columns start under the headline block
            starts = plan.starts(sc.count, top)
            photo_foot = plan.lines - 1 - top
            text_bottom = level_bottom(n, starts)
            outgrown = outgrown and photo_foot - text_bottom >= 2
            used = max(text_bottom, photo_foot)
            h = top + used
            if h > self.height:
                break
            least = fixed + cost.air(a) + cost.PHOTO_BESIDE_HEAD
            old = kept.get(h)
            if old is not None and least >= old[0] or not cost.photo_allowed(plan.cols, sc.count, plan.lines, h):
                continue        # (beaten before its columns are counted: most are)
            # (the headline beside a photo at the right is as wide: the story columns are equal)
            white, short, room_chars, side, starts, asked = self._sides(text, copy_key, starts, text_bottom, used,
                                                                        plan, photo_foot, sc, top)
            c = least + white + cost.module_fill(room_chars, copy_chars, h * row_chars)
            if old is not None and c >= old[0]:
                continue
            if not asked and self._stranded(text, copy_key, n, starts):
                c += cost.STRANDED
                if old is not None and c >= old[0]:
                    continue
            kept[h] = (c, count, side, a, None, None, short, max(0, room_chars - copy_chars), True)
        return not outgrown

    # -- helpers -----------------------------------------------------------------------
    def _body_white(self, text, starts: tuple[int, ...], bottom: int, used: int, plan: PhotoPlan,
                    photo_foot: int, sc) -> tuple[float, int, int, float]:
        """A shape's body as the desk sees it, for the photo under the headline and beside it
        alike: the copy balanced from `starts` to its level `bottom`, the module's foot at
        `used`; the white its columns leave (_column_white), the characters of its text area
        the copy leaves empty, a stub of text under the photo (cost.photo_stub) and the story
        opening under it in a few lines (cost.photo_opening). Returns (cost, lines its
        shortest column ends short, characters of its text area, the opening's cost in it)."""
        _, per_column = self._level(len(text.lines), starts, bottom)
        room_chars = sum(max(0, used - st) for st in starts) * sc.chars
        first = plan.first(sc.count)
        white, short = _column_white(starts, per_column, used, first, plan.cols, photo_foot)
        opening = cost.photo_opening(per_column, first, plan.cols)
        white += cost.unfilled(room_chars - text.chars) + cost.photo_stub(per_column, first, plan.cols) + opening
        return white, short, room_chars, opening

    def _sides(self, text, copy_key: tuple, starts: tuple[int, ...], bottom: int, used: int, plan: PhotoPlan,
               photo_foot: int, sc, top: int = 0) -> tuple[float, int, int, PhotoPlan, tuple[int, ...], bool]:
        """The shape's body (_body_white) with its photo at the left, or at the right where at
        the left the story would open under it in a few lines (cost.photo_opening) and the
        right is cheaper: (cost, short, characters of its text area, the plan, its columns'
        starts, whether a line stranded at a column break (cost.STRANDED) is counted in the
        cost: it is where both sides were weighed, else the caller asks, when it must). `top`:
        lines the photo starts above the text area (beside the headline block)."""
        white, short, room_chars, opening = self._body_white(text, starts, bottom, used, plan, photo_foot, sc)
        if not opening:
            return white, short, room_chars, plan, starts, False
        n = len(text.lines)
        if self._stranded(text, copy_key, n, starts):
            white += cost.STRANDED
        right = msgspec.structs.replace(plan, right=True)
        right_starts = right.starts(sc.count, top)
        other, other_short, _, _ = self._body_white(text, right_starts, bottom, used, right, photo_foot, sc)
        other += cost.PHOTO_AT_RIGHT + (cost.STRANDED if self._stranded(text, copy_key, n, right_starts) else 0.0)
        if other < white:
            return other, other_short, room_chars, right, right_starts, True
        return white, short, room_chars, plan, starts, True

    def _level(self, lines: int, starts: tuple[int, ...], least: int | None = None) -> tuple[int, list[int]]:
        """module.balance without a limit, memoised: many photo sizes share column starts.
        The bound max(starts) + lines always holds the copy, so the bottom is as unbounded.
        `least`: its bottom, where the caller found it (level_bottom)."""
        key = (lines, starts)
        got = self._levels.get(key)
        if got is None:
            got = self._levels[key] = balance(lines, list(starts), max(starts, default=0) + max(lines, 1), least)
        return got

    def _stranded(self, text, copy: tuple, lines: int, starts: tuple[int, ...]) -> bool:
        """Whether the level columns the module setter will set (module.distribute) must
        strand a line at a column break, for this copy (story, measure) and these column
        starts; memoised."""
        key = (copy, lines, starts)
        got = self._strands.get(key)
        if got is None:
            bottom, counts = self._level(lines, starts)
            got = strands(text, 0, counts)
            if got:
                # distribute() takes the first choice of short columns that strands nothing
                # (the level counts above are one of them: most break clean), else those
                room = [max(0, bottom - s) for s in starts]
                spare = sum(room) - lines
                got = not (lines > 0 and 0 <= spare <= sum(1 for r in room if r) and strand_free(text, 0, room, spare))
            self._strands[key] = got
        return got

    @staticmethod
    def _keep(shapes: Shapes, h: int, c: float, v: Variant) -> None:
        old = shapes.get(h)
        if old is None or c < old[0]:
            shapes[h] = (c, v)

    def _with_foot_white(self, exact: Shapes, cols: int) -> Shapes:
        """The exact shapes, and each with a row or two of white at its foot (a hole, costed).
        Rows the headline block takes as air (head_air, up to cost.MAX_HEAD_AIR) are not
        white at the foot; those left are, in the hole step (a column with three lines of white
        under its copy) and, for a story's shapes, in the module's fill (cost.module_fill: a
        short module with rows at its foot was costed as full as its exact shape)."""
        out = dict(exact)
        # (a shape of a wider one is made only where it is kept: most are beaten by an exact
        # shape at their height; made for every one, they were a fifth of a photo story's variants)
        column_chars = self.grid.column_chars
        extras = range(1, self.foot_white + 1)
        white_of = [0.0] + [cost.hole(extra * cols) + cost.unfilled(extra * cols * column_chars) for extra in extras]
        for h0, (c, v) in sorted(exact.items()):
            row = v.off_grid.count * v.off_grid.chars if v.off_grid is not None else cols * column_chars
            air = v.air or 0
            step = cost.hole_step(hole_rows(v))
            fill = cost.module_fill(v.blank, 0, h0 * row) if v.blank is not None else 0.0
            floor = c - fill        # what every wider shape costs at least, before its own white
            for extra in extras:
                h = h0 + extra
                if h > self.height:
                    break
                old = out.get(h)
                if old is not None and floor + white_of[extra] >= old[0]:
                    continue        # (beaten already: most are)
                rows = _foot_white(air, extra, v.vertical, v.photo_up)       # (foot_white of the wider shape)
                added = white_of[extra] + cost.hole_step(rows + v.short) - step
                if v.blank is not None:
                    added += cost.module_fill(v.blank + rows * row, 0, h * row) - fill
                if old is None or c + added < old[0]:
                    out[h] = (c + added, msgspec.structs.replace(v, height=h, white=extra))
        return out