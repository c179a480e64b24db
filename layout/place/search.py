"""The page search: the best guillotine make-up of a page's free type area.

A page is a guillotine partition of its free area: every region is one module, or is cut
straight across (a top and a bottom region) or down (a left and a right) into two. After
Gange, Marriott and Stuckey ("Optimal guillotine layout", DocEng 2012): the modules are taken
in importance order, and a region holds a run of consecutive stories i..j; cut across, the
top holds i..k and the bottom the rest; cut down, the left holds i..k and the right the rest.
So the first story of any region stands at its top left: the lead at the top left of the page,
importance read top to bottom and left to right.

Regions are rectangles of whole basic columns and grid lines, and a region's best make-up
depends only on its size and its stories, never on where it stands, so

    region(i, j, w) = {height: (cost, how)}

is computed once for each run of stories and width, memoised, from the stories' exact
variants (variants.py): one module, or a cut across (heights add), or a cut down (heights
equal). The full width is searched as rows (bands or runs side by side) stacked down the page,
counting the full-width modules besides the lead, so that a second one is charged as 千层饼
(cost.EXTRA_BAND). Whatever the rows leave at the page's foot is white, costed and reported.
Fixed areas from the plan stay where they are: the free space around them is cut into
rectangles (guillotine, along the fixed areas' edges) and runs of stories are given to them
in reading order.

Bounds: heights past the region, runs whose least area cannot fit, and runs of more than
MAX_RUN stories in one region or row are not searched. Up to MAX_RUN stories a page the search
is exact; beyond, pages are made up of rows of at most MAX_RUN stories (still every row's best).
Deterministic: ties keep the first option in a fixed order.
"""
from __future__ import annotations

import math

import msgspec

from . import cost
from .model import Cell
from .module import OffGrid
from .variants import Variant, Variants

MAX_RUN = 8          # stories in one region or row of the search (beyond: rows of this many)


class Placement(msgspec.Struct, frozen=True):
    slot: int            # index of the slot in the page plan
    cell: Cell
    variant: Variant


class Layout(msgspec.Struct, frozen=True):
    placements: tuple[Placement, ...]
    cost: float
    foot_white: int      # column-lines left white under the modules (in the free areas)
    bands: int           # full-width modules besides the lead
    gaps: tuple[Cell, ...] = ()   # white under the modules, one rectangle per free area
    banded: tuple[int, ...] = ()  # slots of the full-width modules besides the lead
    advice: str = ""              # for a page with a second band: the copy that would set two side by side


class _Edge:
    """The modules along one edge of a made-up region: spans[(offset, columns)] = (run,
    through), `run` the modules of that one span stacked from the edge inwards, `through`
    when they reach the opposite edge; `runs` the same without full-width modules (bands,
    charged by cost.band) and `longest` the longest of them."""
    __slots__ = ("spans", "runs", "longest", "through")

    def __init__(self, spans: dict, columns: int, fold: int | None):
        self.spans = spans
        self.runs = {span: run for span, (run, _) in spans.items() if span[1] < columns and span[1] != fold}
        self.longest = max(self.runs.values(), default=0)
        self.through = any(through for _, through in spans.values())


class _Search:
    def __init__(self, variants: Variants, order: list[int], height: int, columns: int,
                 fold: int | None = None, whole_page: bool = True, bound: float = math.inf):
        self.v = variants
        # every make-up costing `bound` or more is dropped (search(): a page's parts cost no
        # more than the page, so a page found under the bound is the one the unbounded search finds)
        self.bound = bound
        self.fold = fold            # a spread (通版): the columns of its left page (see search())
        # the stories after a run still need this page's room (False: a spread's page, whose
        # later stories may stand on the facing page)
        self.whole_page = whole_page
        self.order = order
        self.n = len(order)
        self.height = height
        self.columns = columns
        self.regions: dict[tuple[int, int, int], dict[int, tuple[float, tuple]]] = {}
        self._edges: dict[tuple, tuple[_Edge, _Edge]] = {}         # see edges()
        self._module_edges: dict[int, tuple[_Edge, _Edge]] = {}    # one module w columns wide
        self._edge_intern: dict[tuple, _Edge] = {}                 # see _edge()
        self._pairs: dict[tuple, _Edge] = {}                       # see _run_on(), _beside()
        self.no_edge = self._edge({})                              # (an edge of no modules)
        self._head_memo: dict[tuple[int, int, int], list] = {}    # see _heads()
        self._foot_memo: dict[tuple[int, int, int], list] = {}    # see _feet()
        self._meets: dict[tuple, bool] = {}                       # see _layered()
        self._row_heads: dict[tuple[int, int], tuple[list, float]] = {}   # page(): a row's heights and edges, its cheapest
        # (foot, the region or row under it) -> its heights with their costs and REGION_LAYERS
        # (_under): the inner loops ask for every pair of heights, of a few distinct edges
        # (interned: one object for equal spans, hashed by identity)
        self._charges: dict[tuple, list[tuple[int, float]]] = {}
        self._splits: dict[int, list] = {}          # region width -> off_grid_splits
        self.rows: dict[tuple[int, int], dict[int, tuple[float, tuple]]] = {}
        self.pages: dict[int, list[dict]] = {}
        pieces = [variants.pieces[k] for k in order]
        self.levels = [p.level for p in pieces]
        photo = [p.photo for p in pieces]
        self.photo_prefix = [0]
        for f in photo:
            self.photo_prefix.append(self.photo_prefix[-1] + (1 if f else 0))
        self.area = [variants.min_area(k, lead=(pos == 0), bound=bound) for pos, k in enumerate(order)]
        self.area_prefix = [0]
        for a in self.area:
            self.area_prefix.append(self.area_prefix[-1] + a)

    def has_photo(self, i: int, j: int) -> bool:
        return self.photo_prefix[j + 1] - self.photo_prefix[i] > 0

    def least_area(self, i: int, j: int) -> int:
        return self.area_prefix[j + 1] - self.area_prefix[i]

    def prune(self, shapes: dict) -> dict:
        """Bound: a region's heights costing PRUNE_SLACK more than its best height are dropped
        (a page needing one is worse than a page with another fault). Only while every shape
        holds its copy: when the page is overset, costs of whole lines of overset compete and
        the search stays exact."""
        if not shapes or self.v.overset:
            return shapes
        limit = min(c for c, _ in shapes.values()) + cost.PRUNE_SLACK
        return {h: v for h, v in shapes.items() if v[0] <= limit}

    def single(self, i: int, w: int) -> dict:
        got = self.v.shapes(self.order[i], w, lead=(i == 0), bound=self.bound)
        bound = self.bound
        return {h: (c, ("one", v)) for h, (c, v) in got.items() if c < bound}

    # -- regions narrower than the page (and fixed-area rectangles) -----------------------------
    def region(self, i: int, j: int, w: int) -> dict:
        key = (i, j, w)
        got = self.regions.get(key)
        if got is not None:
            return got
        out: dict[int, tuple[float, tuple]] = {}
        if i == j:
            out = self.single(i, w)
            if (w == self.columns or w == self.fold) and i != 0:     # a band across the page (or a spread's page)
                out = {h: (c + cost.BAND, how) for h, (c, how) in out.items() if c + cost.BAND < self.bound}
        elif j - i < MAX_RUN and self.least_area(i, j) <= w * self.height:
            for k in range(i, j):             # cut across: i..k on top
                self._stack(out, self.region(i, k, w), self.region(k + 1, j, w),
                            cost.photo_under_photo(self.has_photo(i, k), self.has_photo(k + 1, j)), ("stack", k),
                            ((i, k, w), (k + 1, j, w)))
            self._sides(out, i, j, w)
        out = self.prune(out)
        self.regions[key] = out
        return out

    def edges(self, kind: str, i: int, j: int, w: int, h: int) -> tuple[_Edge, _Edge]:
        """The modules along the top and the bottom edge of a made-up region ("region") or
        full-width row ("row") of stories i..j, w columns and h lines (_Edge). Where two
        regions stack, a run at the top one's foot meets one at the bottom one's head; three
        or more modules of one span in a column is 千层饼 inside the page (cost.REGION_LAYERS).
        Memoised: _stack and page() ask for every height."""
        key = (kind, i, j, w, h)
        got = self._edges.get(key)
        if got is None:
            how = (self.rows[(i, j)] if kind == "row" else self.regions[(i, j, w)])[h][1]
            if how[0] == "one":
                got = self._module_edges.get(w)
                if got is None:
                    one = self._edge({(0, w): (1, True)})
                    got = self._module_edges[w] = (one, one)
            elif how[0] == "stack":
                _, k, h1 = how
                head_of_top, foot_of_top = self.edges("region", i, k, w, h1)
                head_of_foot, foot_of_foot = self.edges("region", k + 1, j, w, h - h1)
                got = (self._run_on(head_of_top, head_of_foot), self._run_on(foot_of_foot, foot_of_top))
            elif how[0] == "side":
                _, k, w1 = how
                left = self.edges("region", i, k, w1, h)
                right = self.edges("region", k + 1, j, w - w1, h)
                got = (self._beside(left[0], right[0], w1), self._beside(left[1], right[1], w1))
            else:               # a pair off the basic columns: no span runs on through it
                got = (self.no_edge, self.no_edge)
            self._edges[key] = got
        return got

    def _edge(self, spans: dict) -> _Edge:
        """One _Edge for equal spans: the search meets few distinct edges, and the memo of
        what stacking costs (_under, keyed by the edge itself) holds while the search lives."""
        key = tuple(spans.items())
        got = self._edge_intern.get(key)
        if got is None:
            got = self._edge_intern[key] = _Edge(spans, self.columns, self.fold)
        return got

    def _beside(self, left: _Edge, right: _Edge, offset: int) -> _Edge:
        """The edge of two regions side by side, the right one `offset` columns in (memoised
        by the pair of interned edges, as _run_on is: the search meets few distinct pairs)."""
        key = (left, right, offset)
        got = self._pairs.get(key)
        if got is None:
            got = self._pairs[key] = self._edge(
                {**left.spans, **{(o + offset, n): run for (o, n), run in right.spans.items()}})
        return got

    def _run_on(self, near: _Edge, far: _Edge) -> _Edge:
        """The edge of a stack on the `near` part's side: a run that goes through the near part
        goes on into the far part's modules of the same span."""
        if not near.through or not far.spans:
            return near
        key = (near, far)
        got = self._pairs.get(key)
        if got is None:
            got = self._pairs[key] = self._runs_on(near, far)
        return got

    def _runs_on(self, near: _Edge, far: _Edge) -> _Edge:
        spans = {}
        for span, (run, through) in near.spans.items():
            if through:
                more = far.spans.get(span)
                run, through = (run + more[0], more[1]) if more else (run, False)
            spans[span] = (run, through)
        return self._edge(spans)

    def _heads(self, part: tuple) -> list[tuple]:
        """A made-up region's heights in order, each with its cost and the _Edge along its
        head: the bottom part of every cut across it is under; memoised."""
        got = self._head_memo.get(part)
        if got is None:
            got = sorted(((h, c, self.edges("region", *part, h)[0]) for h, (c, _) in self.regions[part].items()),
                         key=lambda entry: entry[0])
            self._head_memo[part] = got
        return got

    def _feet(self, part: tuple) -> list[tuple]:
        """A made-up region's heights (in the order its table holds them: ties keep the first),
        each with its cost and the _Edge along its foot: the top part of every cut across it
        stands on it; memoised."""
        got = self._foot_memo.get(part)
        if got is None:
            got = self._foot_memo[part] = [(h, c, self.edges("region", *part, h)[1])
                                           for h, (c, _) in self.regions[part].items()]
        return got

    def _under(self, foot: _Edge, part: tuple, below: list[tuple]) -> list[tuple[int, float]]:
        """The heights of the region (or row) `part` under `foot` (`below`: its _heads or
        page()'s row entries), each with its cost and what stacking it there adds:
        cost.REGION_LAYERS where a column of one span runs on to three modules. Memoised by
        the foot (interned) and the part: the inner loops ask once per foot, not per pair of
        heights."""
        key = (foot, part)
        got = self._charges.get(key)
        if got is None:
            layer, longest, layered = cost.REGION_LAYERS, foot.longest, self._layered
            got = self._charges[key] = [
                (entry[0], entry[1] + (layer if longest + entry[2].longest >= 3 and layered(foot, entry[2]) else 0.0))
                for entry in below]
        return got

    def _layered(self, foot: _Edge, head: _Edge) -> bool:
        """Three modules or more of one span in a column across a cut (the foot of the top
        region meeting the head of the bottom one); memoised by the pair."""
        key = (foot, head)
        got = self._meets.get(key)
        if got is None:
            runs = foot.runs
            got = self._meets[key] = any(run + runs.get(span, 0) >= 3 for span, run in head.runs.items())
        return got

    def _stack(self, out: dict, top: dict, bottom: dict, join: float, tag: tuple,
               parts: tuple) -> None:
        """Cut across: every top height with every bottom height that fits under it (a
        min-plus product over heights, in lists indexed by height: the search's inner loop).
        `parts`: the two regions' keys; where a column of one span runs on across the cut to
        three modules or more, the join costs cost.REGION_LAYERS (千层饼 in a region, _under)."""
        if not top or not bottom:
            return
        below = self._heads(parts[1])
        lowest = below[0][0]
        room_of = self.height - lowest
        bound = self.bound
        cheapest = min(entry[1] for entry in below)      # (before any layer charge)
        best = [bound] * (self.height + 1)
        split = [0] * (self.height + 1)
        for h, (c, _) in out.items():
            best[h] = c
        under = self._under
        for h1, c1, foot in self._feet(parts[0]):
            if h1 > room_of:
                continue
            room = self.height - h1
            base = c1 + join
            if base + cheapest >= bound:
                continue
            for h2, c2 in under(foot, parts[1], below):
                if h2 > room:
                    break
                c = base + c2
                h = h1 + h2
                if c < best[h]:
                    best[h] = c
                    split[h] = h1
        for h, h1 in enumerate(split):
            if h1:
                out[h] = (best[h], tag + (h1,))

    def _sides(self, out: dict, i: int, j: int, w: int) -> None:
        if self.v.off_grid and j == i + 1 and i != 0:      # (never the lead: it keeps the grid)
            self._off_grid_sides(out, i, w)
        bound = self.bound
        for k in range(i, j):                 # cut down: i..k on the left
            join = cost.tombstone(self.levels[i], self.levels[k + 1])
            for w1 in range(1, w):
                if self.least_area(i, k) > w1 * self.height or self.least_area(k + 1, j) > (w - w1) * self.height:
                    continue
                left = self.region(i, k, w1)
                if not left:
                    continue
                right = self.region(k + 1, j, w - w1)
                if not right:
                    continue
                if len(right) < len(left):
                    pairs = ((h, left.get(h), r) for h, r in right.items())
                else:
                    pairs = ((h, lf, right.get(h)) for h, lf in left.items())
                for h, lf, rt in pairs:
                    if lf is None or rt is None:
                        continue
                    c = lf[0] + rt[0] + join
                    old = out.get(h)
                    if c < (bound if old is None else old[0]):
                        out[h] = (c, ("side", k, w1))

    def _off_grid_sides(self, out: dict, i: int, w: int) -> None:
        """Stories i and i + 1 side by side in `w` columns cut inside a basic column (破栏),
        each in its own measure (off_grid_splits): where no split of whole columns lets
        their copy end level at one height (a 5-column region under the lead, two stories of
        like length: 2.5 + 2.5 columns)."""
        join = cost.tombstone(self.levels[i], self.levels[i + 1]) + cost.OFF_GRID
        splits = self._splits.get(w)
        if splits is None:
            splits = self._splits[w] = off_grid_splits(self.v.grid, w)
        for left_off, right_off, w1, offset in splits:
            left = self.v.off_grid_shapes(self.order[i], left_off)
            if not left:
                continue
            right = self.v.off_grid_shapes(self.order[i + 1], right_off)
            for h, lf in left.items():
                rt = right.get(h)
                if rt is None:
                    continue
                c = lf[0] + rt[0] + join
                old = out.get(h)
                if c < (self.bound if old is None else old[0]):
                    out[h] = (c, ("off", left_off, right_off, w1, offset))

    # -- the full width: rows stacked down the page ------------------------------------------
    def row(self, i: int, j: int) -> dict:
        """Stories i..j across the full width: one band (i == j) or side by side."""
        key = (i, j)
        got = self.rows.get(key)
        if got is None:
            if i == j:
                got = self.single(i, self.columns)
            else:
                got = {}
                if self.least_area(i, j) <= self.columns * self.height:
                    self._sides(got, i, j, self.columns)
                got = self.prune(got)
            self.rows[key] = got
        return got

    def page(self, start: int) -> list[dict]:
        """best[m][(bands, h)]: stories start..m-1 as rows filling h lines of the full width.
        Beside it, bottoms[m][(bands, h)]: the modules along that make-up's foot
        (edges()), so that a column of one span running on from row to row is charged as it
        is inside a region (cost.REGION_LAYERS). A state keeps the foot of its cheapest
        make-up only: a dearer one with another foot is not kept for the rows below it (a
        bound on the state, as (bands, h) is, not an exact search of feet)."""
        got = self.pages.get(start)
        if got is not None:
            return got
        best: list[dict] = [dict() for _ in range(self.n + 1)]
        bottoms: list[dict] = [dict() for _ in range(self.n + 1)]
        best[start][(0, 0)] = (0.0, None)
        bottoms[start][(0, 0)] = self.no_edge
        bound = self.bound
        for m in range(start + 1, self.n + 1):
            rest = self.least_area(m, self.n - 1) if m < self.n and self.whole_page else 0
            for k in range(max(start, m - MAX_RUN), m):
                if not best[k]:
                    continue
                row = self.row(k, m - 1)
                if not row:
                    continue
                is_band = k == m - 1 and k != 0
                join = cost.photo_under_photo(self.has_photo(start, k - 1), self.has_photo(k, m - 1)) if k > start else 0.0
                heads = self._row_heads.get((k, m))
                if heads is None:
                    heads = self._row_heads[(k, m)] = (sorted(
                        ((h, c) + self.edges("row", k, m - 1, self.columns, h) for h, (c, _) in row.items()),
                        key=lambda entry: entry[0]), min(c for c, _ in row.values()))
                below, cheapest = heads         # (the cheapest before any layer charge)
                for (b, h1), (c1, _) in best[k].items():
                    extra = join + (cost.band(b) if is_band else 0.0)
                    if c1 + extra + cheapest >= bound:
                        continue        # nothing under it is kept (a second band under the bound, most)
                    nb = min(b + 1, 2) if is_band else b
                    room = self.height - h1
                    above = bottoms[k][(b, h1)]
                    for (h2, c2), (_, _, _, foot) in zip(self._under(above, ("row", k, m), below), below):
                        if h2 > room:
                            break
                        c = c1 + c2 + extra
                        key = (nb, h1 + h2)
                        old = best[m].get(key)
                        if c < (bound if old is None else old[0]):
                            best[m][key] = (c, (k, b, h1, h2))
                            # the page's foot: the row's, runs through it going on from above
                            bottoms[m][key] = self._run_on(foot, above)
            # prune: the stories still to come need room below
            if rest and m < self.n:
                need = -(-rest // self.columns)
                best[m] = {k2: v for k2, v in best[m].items() if k2[1] + need <= self.height}
        self.pages[start] = best
        return best

    # -- reading the choice back ----------------------------------------------------------
    def place_region(self, i: int, j: int, w: int, h: int, col: int, line: int, out: list) -> None:
        self._place(self.region(i, j, w)[h][1], i, j, w, h, col, line, out)

    def place_row(self, i: int, j: int, h: int, col: int, line: int, out: list) -> None:
        self._place(self.row(i, j)[h][1], i, j, self.columns, h, col, line, out)

    def _place(self, how: tuple, i: int, j: int, w: int, h: int, col: int, line: int, out: list) -> None:
        if how[0] == "one":
            out.append(Placement(self.order[i], Cell(col, line, w, h), how[1]))
        elif how[0] == "stack":
            _, k, h1 = how
            self.place_region(i, k, w, h1, col, line, out)
            self.place_region(k + 1, j, w, h - h1, col, line + h1, out)
        elif how[0] == "off":
            _, left_off, right_off, w1, offset = how
            left = self.v.off_grid_shapes(self.order[i], left_off)[h][1]
            right = self.v.off_grid_shapes(self.order[j], right_off)[h][1]
            right = msgspec.structs.replace(right, off_grid=msgspec.structs.replace(right_off, offset=offset))
            out.append(Placement(self.order[i], Cell(col, line, w1, h), left))
            out.append(Placement(self.order[j], Cell(col + w1, line, w - w1, h), right))
        else:
            _, k, w1 = how
            self.place_region(i, k, w1, h, col, line, out)
            self.place_region(k + 1, j, w - w1, h, col + w1, line, out)

    def place_rows(self, start: int, end: int, key: tuple[int, int], col: int, line: int, out: list) -> None:
        best = self.page(start)
        m, state = end, key
        rows = []
        while m > start:
            _, back = best[m][state]
            k, b, h1, h2 = back
            rows.append((k, m - 1, h1, h2))
            m, state = k, (b, h1)
        for k, last, h1, h2 in reversed(rows):
            self.place_row(k, last, h2, col, line + h1, out)


def off_grid_splits(grid, w: int) -> list[tuple[OffGrid, OffGrid, int, float]]:
    """The cuts of a region `w` basic columns wide into two modules off the basic columns:
    (left, right, the left one's basic columns, the right one's offset from its first basic
    column in em). Each module is whole story columns of whole characters within
    cost.OFF_GRID_MEASURE of the basic measure, with the style's gutters; the characters left
    over (a gutter at most) widen the gutter between the two. Cuts on a column boundary are
    the search's ordinary ones and not repeated here."""
    basic, gutter = grid.column_chars, grid.gutter_chars
    total = w * basic + (w - 1) * gutter
    pitch = basic + gutter
    lo, hi = max(cost.MIN_OFF_GRID_CHARS, basic + cost.OFF_GRID_MEASURE[0]), basic + cost.OFF_GRID_MEASURE[1]
    out = []
    for k1 in range(1, w + 1):
        for m1 in range(lo, hi + 1):
            left = OffGrid(k1, m1)
            width1 = left.width_chars(grid)
            if (width1 + gutter) % pitch == 0:
                continue                      # on a column boundary
            w1 = round((width1 + gutter) / pitch)
            if not 1 <= w1 < w:
                continue
            for k2 in range(1, w + 1):
                m2 = (total - width1 - gutter - (k2 - 1) * gutter) // k2     # the widest measure that fits
                if not lo <= m2 <= hi:
                    continue
                right = OffGrid(k2, m2)
                spare = total - width1 - gutter - right.width_chars(grid)
                if spare > gutter:
                    continue                  # more than a gutter's white between them
                start = width1 + gutter + spare                 # the right module's left edge in the region
                out.append((left, right, w1, start - w1 * pitch))
    return out


MAX_PARTITIONS = 4     # ways of cutting the free space around fixed areas at their edges the search tries
BAND_STEP = 3          # lines between the cuts across the search tries under (or over) fixed areas off the
MIN_BAND = 6           # full width, a band of at least MIN_BAND lines across the page beyond them


def free_rectangles(area: Cell, fixed: list[Cell]) -> list[Cell]:
    """The free space of `area` around the fixed cells, cut guillotine-wise into rectangles
    (across where no fixed cell straddles the cut, then down), in reading order."""
    return free_partitions(area, fixed)[0]


def free_partitions(area: Cell, fixed: list[Cell], most: int = MAX_PARTITIONS) -> list[list[Cell]]:
    """The ways of cutting the free space of `area` around the fixed cells guillotine-wise into
    rectangles, each in reading order; the first cuts across where it can (free_rectangles).
    At each step the first cut across and the first cut down that no fixed cell straddles:
    an ad in a top corner (报眼) leaves the type area beside it and the page under it, cut
    across (a strip beside the ad, too shallow for the lead: kept white at the page's head,
    generated --ads seed 77 page 3) or down (the lead beside the ad, from the top of the page,
    and the columns under the ad): the search takes the cheaper page. At most `most`."""
    inside = [f for f in fixed if f.overlaps(area)]
    if not inside:
        return [[area]]
    if any(f.col <= area.col and f.line <= area.line and f.col + f.cols >= area.col + area.cols
           and f.line + f.lines >= area.line + area.lines for f in inside):
        return [[]]
    out: list[list[Cell]] = []
    for horizontal in (True, False):
        lo, size = (area.line, area.lines) if horizontal else (area.col, area.cols)
        cuts = set()
        for f in inside:
            a, b = (f.line, f.line + f.lines) if horizontal else (f.col, f.col + f.cols)
            cuts.update(x for x in (a, b) if lo < x < lo + size)
        for x in sorted(cuts):
            if all(not ((f.line if horizontal else f.col) < x < ((f.line + f.lines) if horizontal else (f.col + f.cols)))
                   for f in inside):
                first, second = _cut(area, x, horizontal)
                for head in free_partitions(first, fixed, most):
                    for rest in free_partitions(second, fixed, most):
                        if head + rest not in out and len(out) < most:
                            out.append(head + rest)
                break
    if out:
        return out
    # no guillotine cut separates the fixed cells: keep the largest free band below them
    bottom = max(f.line + f.lines for f in inside)
    if bottom < area.line + area.lines:
        return [[Cell(area.col, bottom, area.cols, area.line + area.lines - bottom)]]
    return [[]]


def _cut(area: Cell, x: int, horizontal: bool) -> tuple[Cell, Cell]:
    """`area` cut across at line x (or down at column x): the part above (left) and below (right)."""
    if horizontal:
        return Cell(area.col, area.line, area.cols, x - area.line), Cell(area.col, x, area.cols, area.line + area.lines - x)
    return Cell(area.col, area.line, x - area.col, area.lines), Cell(x, area.line, area.col + area.cols - x, area.lines)


def band_partitions(area: Cell, fixed: list[Cell]) -> list[list[Cell]]:
    """More ways of cutting the free space where the fixed areas stand off the full width at its
    head (an ad in a top corner, 报眼) or its foot (半通栏): a band across the whole width beyond
    them, cut every BAND_STEP lines, and the part holding them cut down beside them (the lead
    beside the ad, the columns under it, and a band across the page under both: the copy of
    the columns under the ad need not fill them to the page's foot, generated --ads pages)."""
    inside = [f for f in fixed if f.overlaps(area)]
    if not inside or any(f.cols >= area.cols for f in inside):
        return []
    top = min(f.line for f in inside)
    bottom = max(f.line + f.lines for f in inside)
    end = area.line + area.lines
    out: list[list[Cell]] = []
    if top == area.line:                # the fixed areas at the head: bands under them
        cuts = range(bottom + MIN_BAND, end - MIN_BAND + 1, BAND_STEP)
    elif bottom == end:                 # at the foot: bands over them
        cuts = range(top - MIN_BAND, area.line + MIN_BAND - 1, -BAND_STEP)
    else:
        return []
    for x in cuts:
        first, second = _cut(area, x, True)
        held, band = (first, second) if top == area.line else (second, first)
        for part in free_partitions(held, fixed):
            if part and all(r.cols < area.cols for r in part):        # cut down beside the fixed areas
                out.append(part + [band] if band is second else [band] + part)
    return out


def search(variants: Variants, order: list[int], area: Cell, fixed: list[Cell], columns: int,
           fold: int | None = None, bound: float = math.inf,
           rungs: tuple[float, ...] = cost.SEARCH_BOUNDS) -> Layout | None:
    """The best make-up of the slots `order` (importance order) in `area` around `fixed` cells;
    None when no make-up sets them all (even overset).

    `fold`: the area is a spread's (place/spread.py), its left page `fold` columns wide. The
    free rectangles part at the fold; one across the whole spread takes the spread's lead across
    the fold and each page's part under it (_SpreadRuns). No other module straddles the fold,
    where a reader would have to jump the gutter in mid-story.

    Searched under each of `rungs` in turn (cost.SEARCH_BOUNDS; branch and bound on cost):
    every cost term and join is positive, so each part of a page costs no more than the page,
    and a page found under a bound is exactly the one the unbounded search finds; the parts
    over it (most heights of most regions) are never joined, and the lower the bound the fewer
    are made (an 8-story page under 500 in about two thirds of the time under 1000). A page
    found at the bound or over is itself a bound (the best page costs no more), so the search
    again is under its cost; with none found, the next rung, then unbounded. `bound`: the
    caller wants no page costing that much (None when no page is cheaper). A search offering
    overset shapes (the copy did not fit) starts unbounded: its page costs an overset line at
    least, cost.OVERSET_LINE."""
    def under(limit: float) -> tuple[Layout | None, bool]:
        found = _search(variants, order, area, fixed, columns, fold, limit)
        return found, found is not None and found.cost < limit

    for limit in ([] if variants.overset else [b for b in rungs if b < bound]):
        found, done = under(limit)
        if done:
            return found
        if found is not None:       # the best costs no more than this page
            found, done = under(min(bound, found.cost + 1e-6))
            if done:
                return found
            break
    found, done = under(bound)
    return found if done else None


def _search(variants: Variants, order: list[int], area: Cell, fixed: list[Cell], columns: int,
            fold: int | None, bound: float) -> Layout | None:
    """The best make-up over the ways of cutting the free space: free_rectangles' first, then
    the others (free_partitions, band_partitions), which replace it only when cheaper (a tie
    keeps the earlier). The first is searched alone in its own height, as it always was; the
    others share the regions' tables made once for the tallest of them."""
    # (not on a spread: a band across both pages would cross the fold, which only the spread's
    # lead may; each page's part is cut around its ads as any page's rectangles are)
    ways = [[r for r in rects if r.lines >= 3]
            for rects in free_partitions(area, fixed) + (band_partitions(area, fixed) if fold is None else [])]
    best = None
    for group in (ways[:1], ways[1:]):
        found = _search_ways(variants, order, area, group, columns, fold, bound)
        if found is not None and (best is None or found.cost < best.cost):
            best = found
            bound = min(bound, found.cost)
    return best


def _search_ways(variants: Variants, order: list[int], area: Cell, ways: list[list[Cell]], columns: int,
                 fold: int | None, bound: float) -> Layout | None:
    """The best make-up over these ways of cutting the free space, one _Search for them all."""
    tallest = max((r.lines for rects in ways for r in rects), default=0)
    # one free rectangle across the page (fixed areas above or below it or none) holds every
    # story, so those after a row still need its room (_Search.page prunes by it)
    full = len(ways) == 1 and len(ways[0]) == 1 and ways[0][0].cols == columns
    if not tallest or not order:
        return None
    s = _Search(variants, order, tallest, columns,
                fold=fold if fold and area.col == 0 and area.cols == columns else None, bound=bound,
                whole_page=full)
    runs = _SpreadRuns(variants, order, s) if s.fold else None
    filled: dict[tuple[Cell, int, int], tuple[float, object]] = {}      # (rectangle, i, j): _fill_cost
    best = None
    for rects in ways:
        if s.fold:      # a spread: rectangles part at the fold, but for ones across the whole spread
            rects = [part for r in rects for part in _at_fold(r, s.fold, columns)]
        found = _made_up(s, runs, rects, filled)
        if found is not None and (best is None or found.cost < best.cost):
            best = found
    return best


def _fill_cost(s: _Search, runs, r: Cell, i: int, j: int) -> tuple[float, object]:
    """Stories i..j (none when j < i) in the free rectangle `r`: the cheapest of their heights
    that fit it, with the white under it (cost.page_foot), and how it is made up."""
    if j < i:
        return cost.page_foot(r.cols * r.lines), None
    columns = s.columns
    best = None
    if runs is not None and r.cols == columns:
        got = runs.best(i, j, r.lines)
        if got is not None:
            best = (got[0], ("spread", got[1]))
    elif r.cols == columns:      # rows down the full width, a second band charged (cost.band)
        table = s.page(i)[j + 1]
        for (b, h), (c, _) in table.items():
            if h <= r.lines:
                t = c + cost.page_foot(columns * (r.lines - h))
                if best is None or t < best[0]:
                    best = (t, ("rows", (b, h)))
    else:
        for h, (c, _) in s.region(i, j, r.cols).items():
            if h <= r.lines:
                t = c + cost.page_foot(r.cols * (r.lines - h))
                if best is None or t < best[0]:
                    best = (t, ("region", h))
    return best if best is not None else (float("inf"), None)


def _made_up(s: _Search, runs, rects: list[Cell], filled: dict) -> Layout | None:
    """The best make-up of the search's stories into `rects` in reading order, each taking the
    next run of stories (possibly none); None when none sets them all. `filled`: _fill_cost
    memoised by rectangle, for the search's other ways of cutting the free space."""
    n, columns = s.n, s.columns
    if not rects:
        return None

    def fill_cost(r: Cell, i: int, j: int) -> tuple[float, object]:
        key = (r, i, j)
        got = filled.get(key)
        if got is None:
            got = filled[key] = _fill_cost(s, runs, r, i, j)
        return got

    memo: dict[tuple[int, int], tuple[float, list]] = {}

    def assign(r: int, i: int) -> tuple[float, list]:
        if r == len(rects):
            return (0.0, []) if i == n else (float("inf"), [])
        key = (r, i)
        if key not in memo:
            best = (float("inf"), [])
            for j in range(i - 1, n):
                c, how = fill_cost(rects[r], i, j)
                if c == float("inf"):
                    continue
                rest, plan = assign(r + 1, j + 1)
                if c + rest < best[0]:
                    best = (c + rest, [(r, i, j, how)] + plan)
            memo[key] = best
        return memo[key]

    total, plan = assign(0, 0)
    # (assign refers to itself through its closure: a cycle that kept the search's tables alive,
    # 20,000 objects a page, until a collection walked them)
    del assign
    if total == float("inf"):
        return None
    out: list[Placement] = []
    white = 0
    gaps = []
    for r, i, j, how in plan:
        rect = rects[r]
        if how is None:
            white += rect.cols * rect.lines
            gaps.append(rect)
            continue
        if how[0] == "spread":
            w, g = runs.place(how[1], j, rect, out)
            white += w
            gaps.extend(g)
            continue
        if how[0] == "rows":
            b, h = how[1]
            s.place_rows(i, j + 1, (b, h), rect.col, rect.line, out)
        else:
            h = how[1]
            s.place_region(i, j, rect.cols, h, rect.col, rect.line, out)
        white += rect.cols * (rect.lines - h)
        if h < rect.lines:
            gaps.append(Cell(rect.col, rect.line + h, rect.cols, rect.lines - h))
    banded = tuple(p.slot for p in out if p.cell.cols in (columns, s.fold) and p.slot != s.order[0])
    return Layout(placements=tuple(out), cost=total, foot_white=white, bands=len(banded), gaps=tuple(gaps),
                  banded=banded)


def _at_fold(r: Cell, fold: int, columns: int) -> list[Cell]:
    """A free rectangle of a spread parted at the fold, unless it spans the whole spread."""
    if r.cols == columns or not r.col < fold < r.col + r.cols:
        return [r]
    return [Cell(r.col, r.line, fold - r.col, r.lines), Cell(fold, r.line, r.col + r.cols - fold, r.lines)]


class _SpreadRuns:
    """A spread's make-up (通版) in a rectangle across both pages: the spread's lead across the
    fold at the top, its headline and photo over the 中缝 (or no module across, a costed
    fault); under it each page's part made up as a page is (rows, a band counted as on a page),
    the left page taking the next stories in importance order and the right page the rest, both
    to the same foot."""

    def __init__(self, variants: Variants, order: list[int], s: _Search):
        self.s = s
        self.fold, self.columns = s.fold, s.columns
        self.half = _Search(variants, order, s.height, s.fold, whole_page=False, bound=s.bound)
        self.memo: dict[tuple[int, int, int], tuple[float, tuple] | None] = {}

    def _halves(self, first: int, last: int, room: int) -> tuple[float, tuple] | None:
        """Stories first..last in `room` lines: the left page first..k, the right page the rest."""
        out = None
        none = {(0, 0): (0.0, None)}
        for k in range(first - 1, last + 1):           # the left page takes first..k (none when k < first)
            lefts = self.half.page(first)[k + 1] if k >= first else none
            rights = self.half.page(k + 1)[last + 1] if k < last else none
            if not lefts or not rights:
                continue
            sides = []
            for table, width in ((lefts, self.fold), (rights, self.columns - self.fold)):
                sides.append(min(((c + cost.page_foot(width * (room - key[1])), key) for key, (c, _) in table.items()
                                  if key[1] <= room), default=None))
            if None in sides:
                continue
            c = sides[0][0] + sides[1][0]
            if out is None or c < out[0]:
                out = (c, (first, k, sides[0][1], sides[1][1]))
        return out

    def best(self, i: int, j: int, lines: int) -> tuple[float, tuple] | None:
        """Stories i..j in a rectangle `lines` high across the spread: (cost, plan) or None."""
        key = (i, j, lines)
        if key in self.memo:
            return self.memo[key]
        best = None
        got = self._halves(i, j, lines)
        if got is not None:
            best = (got[0] + (cost.spread_lead(False) if i == 0 else 0.0), (None, got[1]))
        if i == 0:                  # only the spread's lead stands across the fold
            for h0, (c0, how) in self.s.single(0, self.columns).items():
                if h0 > lines or h0 == lines and j > 0:
                    continue
                rest = self._halves(1, j, lines - h0) if j > 0 else (cost.page_foot(self.columns * (lines - h0)), None)
                if rest is not None and (best is None or c0 + rest[0] < best[0]):
                    best = (c0 + rest[0], ((h0, how[1]), rest[1]))
        self.memo[key] = best
        return best

    def place(self, plan: tuple, j: int, rect: Cell, out: list) -> tuple[int, list[Cell]]:
        """Place a plan of best(); returns the white it leaves (column-lines) and its gaps."""
        band, halves = plan
        line = rect.line
        if band is not None:
            h0, variant = band
            out.append(Placement(self.s.order[0], Cell(rect.col, line, self.columns, h0), variant))
            line += h0
        room = rect.line + rect.lines - line
        gaps, white = [], 0
        if halves is None:
            if room:
                gaps.append(Cell(rect.col, line, self.columns, room))
                white += self.columns * room
            return white, gaps
        first, k, lkey, rkey = halves
        for start, end, key, col, width in ((first, k + 1, lkey, rect.col, self.fold),
                                            (k + 1, j + 1, rkey, rect.col + self.fold, self.columns - self.fold)):
            if end > start:
                self.half.place_rows(start, end, key, col, line, out)
            used = key[1] if end > start else 0
            if used < room:
                gaps.append(Cell(col, line + used, width, room - used))
                white += width * (room - used)
        return white, gaps
