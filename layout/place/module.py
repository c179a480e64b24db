"""A story module on the grid: headline block, photo with caption, body in balanced columns.

A module's height is flexible within a range: the photo may grow or shrink (cropped
to another aspect within limits) and the headline block may take up to two more
lines of air, so that the engine can tile a page without white holes.
"""
from __future__ import annotations

import itertools
import math
import re

import msgspec

from ..compose.model import SetLine, SetParagraph
from ..load.issue import Story
from ..load.style import Grid
from .kept import style_digest
from .model import Cell, Finding, PhotoFrame, PlacedModule, TextLine
from .textset import SetBlock, Setter

PHOTO_ASPECT = 1.5          # width / height when the image itself cannot tell
ASPECT_RANGE = (0.75, 2.2)  # the crop may change a photo's aspect within these bounds
HEAD_AIR = 2                # extra grid lines a headline block may take to fill a module


def baseline_in(grid: Grid, line: int, size: float | None = None) -> float:
    """Baseline of grid line `line`: the em box centred in the line pitch (ideographic
    em box bottom at 0.12 em below the baseline, as in Noto CJK and LXGW WenKai)."""
    em = size or grid.em
    return grid.line_top(line) + (grid.pitch - em) / 2 + 0.88 * em


PHOTO_TOP_CLEAR = 2.0      # pt between a rule in a module's top line and a photo standing there


class StoryColumns(msgspec.Struct, frozen=True):
    count: int
    chars: int               # characters per story column
    xs: tuple[float, ...]    # left edge offsets from the module's left edge
    width: float             # measure of one story column


class OffGrid(msgspec.Struct, frozen=True):
    """A module off the basic columns (破栏): one of two stories side by side in a region
    whose cut between them falls inside a basic column, so that copy in any ratio can end
    level (a 5-column region as 2.5 + 2.5). The module is `count` story columns of `chars`
    characters with the style's gutters; `offset` (em) is its left edge from the left edge of
    its cell's first basic column (negative: it reaches into the basic column on its left)."""
    count: int
    chars: int
    offset: float = 0.0

    def width_chars(self, grid: Grid) -> int:
        return self.count * self.chars + (self.count - 1) * grid.gutter_chars

    def columns(self, grid: Grid) -> StoryColumns:
        step = (self.chars + grid.gutter_chars) * grid.em
        return StoryColumns(count=self.count, chars=self.chars, xs=tuple(i * step for i in range(self.count)),
                            width=self.chars * grid.em)


def module_width(grid: Grid, cols: int, off: OffGrid | None = None) -> float:
    """A module's width: its basic columns, or its own measure off the grid."""
    return grid.span_width(cols) if off is None else off.width_chars(grid) * grid.em


def head_beside_photo(width: float, cols: StoryColumns, photo: "PhotoPlan") -> tuple[float, float]:
    """A headline block over the text columns only, the photo standing at the module's top
    in its first (or, `photo.right`, its last) story columns (题图并排): (its offset from
    the module's left edge, its width)."""
    if photo.right:
        return 0.0, cols.xs[cols.count - photo.cols - 1] + cols.width
    offset = cols.xs[photo.cols]
    return offset, width - offset


def story_columns(grid: Grid, basic_cols: int, count: int | None, chars: int | None = None) -> StoryColumns:
    """Story columns in a module `basic_cols` wide; `count` other than basic_cols is 变栏:
    the module's characters (columns and gutters) shared out in whole characters. `chars`
    asks for columns of that many characters (a continuation keeps its first part's measure)."""
    total_chars = basic_cols * grid.column_chars + (basic_cols - 1) * grid.gutter_chars
    if chars:
        count = max(1, (total_chars + grid.gutter_chars) // (chars + grid.gutter_chars))
    n = min(count or basic_cols, max(1, basic_cols * 2))
    if chars and chars != grid.column_chars:
        spare = total_chars - n * chars - (n - 1) * grid.gutter_chars
        gap = grid.gutter_chars * grid.em + (spare * grid.em / (n - 1) if n > 1 else 0.0)
        return StoryColumns(count=n, chars=chars, xs=tuple(i * (chars * grid.em + gap) for i in range(n)),
                            width=chars * grid.em)
    if n == basic_cols:
        chars = grid.column_chars
        xs = tuple(i * (grid.column_width + grid.gutter) for i in range(n))
    else:
        chars = (total_chars - (n - 1) * grid.gutter_chars) // n
        spare = total_chars - n * chars - (n - 1) * grid.gutter_chars
        gap = grid.gutter_chars * grid.em + (spare * grid.em / (n - 1) if n > 1 else 0.0)
        xs = tuple(i * (chars * grid.em + gap) for i in range(n))
    return StoryColumns(count=n, chars=chars, xs=xs, width=chars * grid.em)


def main_line(story: Story) -> int:
    """Which block of the headline block is the main line (after a label and a kicker)."""
    return (1 if story.label else 0) + (1 if story.kicker else 0)


class HeadBlock(msgspec.Struct, frozen=True):
    blocks: tuple[SetBlock, ...]
    lines: int               # grid lines the headline block needs
    fits: bool


_NOTE_LINE = re.compile(r"line (\d+)-(\d+): ")


def composition_findings(text: StoryText, start: int, end: int, page: int) -> list[Finding]:
    """The composer's notes (overfull, underfull, loose lines) on the paragraphs that begin
    among lines start..end of a story's text, as findings located by story and paragraph,
    each naming the line's text instead of the composer's character offsets."""
    out = []
    for k in range(start, end):
        pi = text.lines[k][0]
        if k > 0 and text.lines[k - 1][0] == pi:
            continue                     # reported where the paragraph begins
        par = text.paragraphs[pi]
        where = text.wheres[pi] if pi < len(text.wheres) else ""
        lines_told = set()
        for note in par.notes:
            found = _NOTE_LINE.match(note)
            if found:
                if found.group(0) in lines_told:
                    continue             # one finding a line (the realiser's width check repeats it)
                lines_told.add(found.group(0))
                line = par.text[int(found.group(1)):int(found.group(2))].strip()
                note = f"line '{line}': {note[found.end():]}"
            # a line the composer could not set well warns; a dateline's brackets set in the
            # style's form is for information
            out.append(Finding("warning" if found else "info", "composition", page, f"{where}: {note}", where))
    return out


class StoryText(msgspec.Struct):
    """A story's body composed at one measure (reused across placement candidates)."""
    paragraphs: list[SetParagraph]
    lines: list[tuple[int, SetLine]]      # (paragraph index, line)
    kinds: list[str]                      # paragraph kinds (body / subhead)
    chars: int
    wheres: list[str] = []                # each paragraph's place in the story (for findings)


class StoryLines(msgspec.Struct, frozen=True):
    """A story's body broken into lines at one measure, not set: what the make-up's variants
    measure (how many lines, each line's paragraph, for distribute and strands), without
    the glyphs of the many measures a search tries and does not choose."""
    lines: tuple[tuple[int, None], ...]   # (paragraph index, None): StoryText.lines without the line
    kinds: list[str]
    chars: int


class PhotoPlan(msgspec.Struct, frozen=True):
    cols: int                # story columns the photo spans
    img_lines: int           # grid lines of the image
    cap: SetBlock | None
    cap_lines: int
    # the photo in the module's last story columns, the text opening beside it at the top
    # left (the make-up's choice where the photo at the left would open the story in a few
    # lines under it: variants.py, cost.photo_opening); else in its first columns, the habit
    right: bool = False

    @property
    def lines(self) -> int:  # image, caption and a line of air under it
        return self.img_lines + self.cap_lines + 1 if self.cols else 0

    def first(self, count: int) -> int:
        """The photo's first story column of `count`."""
        return count - self.cols if self.right else 0

    def starts(self, count: int, top: int = 0) -> tuple[int, ...]:
        """Each story column's first text line: under the photo in its columns (`top`: lines
        the photo starts above the text area, beside the headline block)."""
        under = (self.lines - top,) * self.cols
        rest = (0,) * (count - self.cols)
        return rest + under if self.right else under + rest


NO_PHOTO = PhotoPlan(0, 0, None, 0)


class Flow(msgspec.Struct, frozen=True):
    """How a module's text area is used: where each column starts and how many lines it takes."""
    photo: PhotoPlan
    starts: tuple[int, ...]
    counts: tuple[int, ...]
    bottom: int
    placed: int              # text lines placed
    white: int               # empty line slots above the common bottom


def body_parts(story: Story, brief_title_role: str = "subhead"):
    """The story's body paragraphs as the setter takes them: (kind, [(text, role)], where,
    indent or None). The dateline runs into the first body paragraph, wherever the subheads
    stand; with subheads only, the dateline alone leads. A brief's title is a bold lead-in
    set in `brief_title_role` and counted as a subhead (kept with its text)."""
    lead = next((i for i, p in enumerate(story.body) if p.kind != "subhead"), None)
    if story.dateline and lead is None:
        yield "body", [(story.dateline, "dateline")], f"story {story.id}, dateline", None
    for i, p in enumerate(story.body):
        where = f"story {story.id}, paragraph {i + 1}"
        if p.kind == "brief_title":
            yield "subhead", [(p.text, brief_title_role)], where, 0.0
        elif p.kind == "subhead":
            yield p.kind, [(p.text, "subhead")], where, 0.0
        elif i == lead and story.dateline:
            yield p.kind, [(story.dateline, "dateline"), (p.text, "body")], where, None
        else:
            yield p.kind, [(p.text, "body")], where, None


class ModuleSetter:
    def __init__(self, setter: Setter, grid: Grid):
        self.setter = setter
        self.grid = grid
        self._text: dict[tuple, StoryText] = {}
        self._lines: dict[tuple, StoryLines] = {}      # bodies counted, not set (body_lines)
        self._head: dict[tuple, HeadBlock] = {}
        self._photos: dict[tuple, list[PhotoPlan]] = {}
        self._aspects: dict[tuple, float] = {}     # photo file (path, size, mtime) -> natural_aspect
        self._wraps: dict[tuple, object] = {}      # place/wrap.py: a wrapped body's level fit
        self.vertical_heads: dict[tuple, object] = {}  # place/vertical.py: a vertical block at a height
        # variants.py: level bottoms and stranded breaks by copy and column starts, kept for
        # every search of the issue (a page is searched up to four times: page._make_up)
        self.levels: dict[tuple, tuple[int, list[int]]] = {}
        self.strands: dict[tuple, bool] = {}
        self._style_digest: str | None = None

    def style_digest(self) -> str:
        """The digest of the style and grid this setter sets in (variants kept between layouts)."""
        if self._style_digest is None:
            self._style_digest = style_digest(self.setter.style, self.grid)
        return self._style_digest

    # -- pieces --------------------------------------------------------
    def _role(self, name: str, fallback: str) -> str:
        """A kind's own role where the style names it, else the general one it stands in for."""
        return name if name in self.setter.style.roles else fallback

    def headline_role(self, story: Story) -> str:
        """Briefs and commentary have their own headline style (headline_briefs,
        headline_commentary) where the style gives one; other stories their level's."""
        return self._role(f"headline_{story.kind}", f"headline_{story.level}")

    def body(self, story: Story, measure: float) -> StoryText:
        key = (story.id, round(measure, 3))
        if key not in self._text:
            paras, lines, kinds, chars, wheres = [], [], [], 0, []
            for kind, parts, where, indent in body_parts(story, self._role("brief_title", "subhead")):
                sp = self.setter.paragraph(parts, measure, where, indent=indent)
                lines.extend((len(paras), ln) for ln in sp.lines)
                paras.append(sp)
                wheres.append(where)
                kinds.append(kind)
                chars += len(sp.text)
            self._text[key] = StoryText(paragraphs=paras, lines=lines, kinds=kinds, chars=chars, wheres=wheres)
        return self._text[key]

    def body_lines(self, story: Story, measure: float) -> StoryText | StoryLines:
        """The story's body at `measure` as far as the variants need it: its lines counted, not
        set (the body itself where it is already set)."""
        key = (story.id, round(measure, 3))
        got = self._text.get(key) or self._lines.get(key)
        if got is None:
            lines, kinds, chars = [], [], 0
            for kind, parts, where, indent in body_parts(story, self._role("brief_title", "subhead")):
                n, c = self.setter.paragraph_lines(parts, measure, where, indent=indent)
                lines.extend([(len(kinds), None)] * n)
                kinds.append(kind)
                chars += c
            got = self._lines[key] = StoryLines(lines=tuple(lines), kinds=kinds, chars=chars)
        return got

    def head(self, story: Story, width: float, max_size: float | None = None,
             lines: int | None = None) -> HeadBlock:
        """The headline block (kicker, main line, deck) across `width`; `max_size` caps the main
        line's size (the make-up sets headlines apart and in order: hierarchy.py), `lines` asks
        for a main line in that many lines where it would take fewer."""
        key = (story.id, self.headline_role(story), round(width, 3), max_size, lines)   # role: a level set up
        if key not in self._head:
            pad = self.grid.em
            measure = width - 2 * pad
            blocks = []
            if story.label:          # 栏目: the module's label stands over everything in it
                blocks.append(self.setter.block(story.label, self._role("column_label", "kicker"), measure,
                                                align="start", where=f"story {story.id}, label"))
            if story.kicker:
                blocks.append(self.setter.deck(story.kicker, "kicker", measure, where=f"story {story.id}, kicker"))
            main, fits = self.setter.headline(story.headline, self.headline_role(story), measure,
                                              where=f"story {story.id}, headline", max_size=max_size,
                                              lines=lines)
            blocks.append(main)
            if story.byline:         # commentary: the author line under its headline
                blocks.append(self.setter.block(story.byline, self._role("byline", "deck"), measure,
                                                where=f"story {story.id}, byline"))
            if story.deck:
                blocks.append(self.setter.deck(story.deck, "deck", measure, where=f"story {story.id}, deck"))
            height = sum(b.height for b in blocks)
            lines = math.ceil((height + self.grid.pitch) / self.grid.pitch)   # half a line of air above and below
            self._head[key] = HeadBlock(blocks=tuple(blocks), lines=lines, fits=fits)
        return self._head[key]

    def natural_aspect(self, story: Story) -> float:
        """Width / height of the story's photo as on file (PHOTO_ASPECT when it cannot tell)."""
        ph = story.photo
        if ph is None or ph.file is None:
            return PHOTO_ASPECT
        try:
            st = ph.file.stat()
        except OSError:
            return PHOTO_ASPECT
        # every variant of the story asks (a page's search opened each photo 12 times); a
        # file replaced in the serving process has another size or time, and is read again
        key = (str(ph.file), st.st_size, st.st_mtime_ns)
        got = self._aspects.get(key)
        if got is None:
            got = self._aspects[key] = _file_aspect(ph.file)
        return got

    def photo_plans(self, story: Story, cols: StoryColumns, every_width: bool = False) -> list[PhotoPlan]:
        """Every photo size the module may use, smallest first; `every_width`: the photo may
        span any number of story columns from a third of the module to all of it (the make-up
        search weighs them), else a third or a half."""
        ph = story.photo
        if ph is None:
            return [NO_PHOTO]
        key = (story.id, cols.count, round(cols.width, 3), every_width)
        if key in self._photos:
            return self._photos[key]
        natural = self.natural_aspect(story)
        lo_a, hi_a = max(ASPECT_RANGE[0], natural / 1.5), min(ASPECT_RANGE[1], natural * 1.5)
        if story.kind == "photo":       # photo news: the photo is the story, across the module
            widths = [cols.count]
        elif ph.columns:
            widths = [min(cols.count, ph.columns)]
        elif cols.count == 1:
            widths = [1]
        elif every_width:
            widths = list(range(max(1, cols.count // 3), cols.count + 1))
        else:
            widths = sorted({max(1, cols.count // 3), max(1, round(cols.count / 2))})
        cap_text = ph.caption + (f"（{ph.credit}摄）" if ph.credit else "")
        plans = []
        for k in widths:
            width = cols.xs[k - 1] + cols.width
            cap = self.setter.block(cap_text, "caption", width, where=f"story {story.id}, caption")
            cap_lines = math.ceil(cap.height / self.grid.pitch)
            lo = max(3, math.ceil(width / hi_a / self.grid.pitch))
            hi = max(lo, math.floor(width / lo_a / self.grid.pitch))
            for n in range(lo, hi + 1):
                plans.append(PhotoPlan(k, n, cap, cap_lines))
        plans.sort(key=lambda p: (p.cols * p.lines, p.cols))
        self._photos[key] = plans
        return plans

    def flow(self, story: Story, cols: StoryColumns, body_lines: int, start: int = 0,
             fill: bool = False, plans: list[PhotoPlan] | None = None, photo_top: int = 0) -> Flow:
        """Choose the photo size and column split for a text area of `body_lines` lines.
        Prefers: everything placed; then the fullest area (least white); then a photo near
        its natural shape. `fill` (a story that jumps) uses every line of the area. `plans`:
        the photo sizes to choose from (the make-up search's choice), else every size.
        `photo_top`: lines the photo starts above the text area (beside the headline block)."""
        text = self.body(story, cols.width)
        todo = len(text.lines) - start
        if plans is None:
            plans = self.photo_plans(story, cols) if start == 0 else [NO_PHOTO]
        best: tuple | None = None
        natural_mid = None
        for plan in plans:
            if plan.cols and plan.lines - photo_top - 1 > body_lines:     # the air line may fall off the bottom
                continue
            starts = list(plan.starts(cols.count, photo_top))
            limit = body_lines
            if fill:
                bottom, counts = limit, _fill_counts(todo, starts, limit)
            else:
                bottom, counts = distribute(text, start, starts, todo, limit)
            placed = sum(counts)
            white = sum(max(0, limit - s) for s in starts) - placed
            if natural_mid is None and plan.cols:
                natural_mid = plan
            shape = abs(plan.img_lines - (plans[len(plans) // 2].img_lines if plan.cols else 0))
            score = (todo - placed, white, shape)
            if best is None or score < best[0]:
                best = (score, Flow(plan, tuple(starts), tuple(counts), bottom, placed, white))
        if best is None:      # not even the smallest photo fits: set the text without it
            starts = [0] * cols.count
            bottom, counts = distribute(text, start, starts, todo, body_lines)
            return Flow(NO_PHOTO, tuple(starts), tuple(counts), bottom, sum(counts),
                        body_lines * cols.count - sum(counts))
        return best[1]

    # -- the whole module ----------------------------------------------
    def fill_range(self, story: Story, cell_cols: int, columns: int | None = None,
                   headless: bool = False) -> tuple[int, int]:
        """(fewest, most) grid lines the module can fill with all its copy, columns level.
        `headless`: the body only (a vertical headline block stands beside it)."""
        if story.headline_block == "vertical" and not headless:    # issue 19 hook: place/vertical.py
            from .vertical import vertical_fill_range
            got = vertical_fill_range(self, story, cell_cols, columns)
            if got is not None:
                return got
        grid = self.grid
        cols = story_columns(grid, cell_cols, columns)
        head = None if headless else self.head(story, grid.span_width(cell_cols))
        if story.photo is not None and story.photo.wrap is not None:     # issue 19: place/wrap.py
            from .wrap import wrap_fill_range
            return wrap_fill_range(self, story, cell_cols, columns, 0 if headless else head.lines)
        text = self.body_lines(story, cols.width)
        n = len(text.lines)
        # every photo size gives the lines the module fills: the text's level bottom, or the
        # photo and caption where they reach lower
        fills = []
        for plan in self.photo_plans(story, cols):
            starts = plan.starts(cols.count)
            b = level_bottom(n, starts)
            fills.append(max(b, plan.lines - 1 if plan.cols else 0))
        if headless:
            return min(fills), max(fills)
        return head.lines + min(fills), head.lines + HEAD_AIR + max(fills)

    def jump_head(self, story: Story, width: float) -> SetBlock:
        """A continuation's headline: the story's headline again, smaller, as furniture."""
        key = ("jump", story.id, round(width, 3))
        if key not in self._head:
            blk, _ = self.setter.headline(story.headline, "headline_3", width - 2 * self.grid.em,
                                          where=f"story {story.id}, jump headline")
            self._head[key] = blk
        return self._head[key]

    def jump_head_lines(self, story: Story, width: float) -> int:
        return math.ceil((self.jump_head(story, width).height + self.grid.pitch) / self.grid.pitch)

    def place(self, story: Story, cell: Cell, columns: int | None, page: int, auto: bool,
              start: int = 0, jump_to: int | None = None, jumped_from: int | None = None,
              chars: int | None = None, photo: PhotoPlan | None = None, air: int | None = None,
              head_size: float | None = None, head_break: int | None = None,
              headless: bool = False, off_grid: OffGrid | None = None, photo_up: bool = False
              ) -> tuple[list, PlacedModule, list[Finding], int]:
        """Set the story (from text line `start`) in `cell`. Returns items, the module record,
        findings, and the index of the first text line that did not fit. The make-up search
        may fix the photo size (`photo`), the headline block's extra air (`air`) and cap the
        headline's size (`head_size`: the block keeps its lines, the smaller type centred) and
        break it in `head_break` lines. `headless`: the body only (a vertical headline block
        stands beside it). `off_grid`: the module's own measure and left edge (破栏).
        `photo_up`: the photo (`photo`, the search's size) stands at the module's top and the
        headline block over the text columns beside it (题图并排), `air` lines of air in it."""
        if start == 0 and story.headline_block == "vertical" and not headless:   # issue 19 hook
            from .vertical import place_vertical
            return place_vertical(self, story, cell, columns, page, auto, jump_to, jumped_from, chars)
        grid = self.grid
        items: list = []
        findings: list[Finding] = []
        x0 = grid.col_x(cell.col) + (off_grid.offset * grid.em if off_grid else 0.0)
        width = module_width(grid, cell.cols, off_grid)
        cols = off_grid.columns(grid) if off_grid else story_columns(grid, cell.cols, columns, chars)
        text = self.body(story, cols.width)
        photo_up = photo_up and start == 0 and not headless and photo is not None and 0 < photo.cols < cols.count
        head_x, head_width = head_beside_photo(width, cols, photo) if photo_up else (0.0, width)
        if headless:
            head_blocks, head_lines, owner_head = (), 0, story.id
        elif start == 0:
            head = self.head(story, head_width, lines=head_break)
            if head_size is not None:
                # smaller type keeps the lines it had (one line in a block made for two is a hole)
                kept = head_break or len(head.blocks[main_line(story)].lines)
                capped = self.head(story, head_width, max_size=head_size, lines=kept if kept > 1 else None)
                if capped.lines <= head.lines:
                    head = HeadBlock(blocks=capped.blocks, lines=head.lines, fits=capped.fits)
            if not head.fits:
                findings.append(Finding("warning", "headline-fit", page,
                                        f"headline of '{story.id}' does not fit "
                                        f"{self.setter.role(self.headline_role(story)).max_lines} line(s) even at "
                                        f"its minimum size", f"story {story.id}"))
            head_blocks, head_lines = head.blocks, head.lines
            owner_head = story.id
        else:   # a continuation: the headline again, smaller, as furniture
            head_blocks = (self.jump_head(story, width),)
            head_lines = self.jump_head_lines(story, width)
            owner_head = f"jump:{story.id}"
        if start == 0 and not jump_to and not jumped_from and story.photo is not None \
                and story.photo.wrap is not None:           # issue 19: the photo inside the text
            from .wrap import place_wrapped, wrap_fit
            if not headless:     # white under the level bottom goes into the headline's air, as below
                spare = max(0, cell.lines - head_lines - wrap_fit(self, story, cols, cell.lines - head_lines).bottom)
                head_lines += min(HEAD_AIR if air is None else air, spare)
            self._head_items(items, head_blocks, head_lines, cell, x0, owner_head)
            return place_wrapped(self, story, cell, columns, page, auto, chars, head_blocks, head_lines,
                                 owner_head, items, findings)
        photo_top = 0
        if photo_up:        # the air the search chose, before the flow: the photo columns start under the photo
            head_lines += air or 0
            photo_top, air = head_lines, 0
        body_lines = cell.lines - head_lines
        jump_line = 1 if jump_to else 0
        cont_line = 1 if jumped_from else 0
        flow = self.flow(story, cols, body_lines - jump_line - cont_line, start, fill=bool(jump_to),
                         plans=[photo] if photo is not None else None, photo_top=photo_top)
        if not photo_up:
            # when the flow leaves white below a level bottom, give the headline up to HEAD_AIR lines of it
            used = max(flow.bottom, flow.photo.lines - 1 if flow.photo.cols else 0)   # the photo may reach lower
            spare = max(0, body_lines - jump_line - cont_line - used) if not jump_to else 0
            air = min(HEAD_AIR if air is None else air, spare) if not headless else 0
            head_lines += air
        body_top = cell.line + head_lines + cont_line
        self._head_items(items, head_blocks, head_lines, cell, x0 + head_x, owner_head)
        if jumped_from:
            items.extend(self._jump_text(f"（上接第{jumped_from}版）", x0, cols.width, body_top - 1, story.id, "start"))
        plan = flow.photo
        if plan.cols:
            # a photo at the module's very top (a vertical headline beside it) stands clear of
            # the story separator drawn in that line's top
            self._photo(items, findings, story, plan, cols, x0, body_top - photo_top, page,
                        clear=PHOTO_TOP_CLEAR if body_top - photo_top == cell.line else 0.0)
        idx = start
        last_line_of_col = []
        for c, n in enumerate(flow.counts):
            for j in range(n):
                _, ln = text.lines[idx]
                items.append(TextLine(x=x0 + cols.xs[c], baseline=baseline_in(grid, body_top + flow.starts[c] + j),
                                      glyphs=ln.glyphs, color="black", owner=story.id, role="body"))
                idx += 1
            last_line_of_col.append(flow.starts[c] + n)
        findings.extend(composition_findings(text, start, idx, page))
        left = len(text.lines) - idx
        if jump_to and left:
            c = cols.count - 1
            items.extend(self._jump_text(f"（下转第{jump_to}版）", x0 + cols.xs[c], cols.width,
                                         body_top + max(last_line_of_col[c], flow.starts[c]), story.id, "end"))
        set_chars = sum(len(ln.glyphs) for _, ln in text.lines[start:idx])
        rest_chars = sum(len(ln.glyphs) for _, ln in text.lines[idx:])
        lost_caption = 0
        if start == 0 and story.photo is not None and not plan.cols:
            smallest = self.photo_plans(story, cols)[0]
            lost_caption = smallest.cap.chars if smallest.cap else 0
            findings.append(Finding("error", "photo-fit", page,
                                    f"photo of story '{story.id}' does not fit its module ({cell.label()}): it needs "
                                    f"{smallest.lines - 1} lines, the text area has {body_lines}; photo and caption "
                                    f"left out", f"story {story.id}, photo"))
        if left and not jump_to:
            findings.append(Finding("error", "overset", page,
                                    f"story '{story.id}' overset: {left} lines, {rest_chars} characters do not fit "
                                    f"its module ({cell.label()})", f"story {story.id}"))
        # the text area: below the headline block and its air, beside and under the photo
        capacity = (sum(max(0, body_lines - air - jump_line - cont_line - s) for s in flow.starts)) * cols.chars
        head_chars = sum(sum(len(ln.glyphs) for _, ln in b.lines) for b in head_blocks) if start == 0 else 0
        cap_chars = plan.cap.chars if plan.cols else 0
        pm = PlacedModule(owner=story.id, cell=cell, auto=auto, capacity=capacity,
                          copy_chars=(text.chars if start == 0 else rest_chars + set_chars) + head_chars + cap_chars
                          + lost_caption,
                          set_chars=set_chars + head_chars + cap_chars,
                          overset_chars=(0 if jump_to else rest_chars) + lost_caption,
                          overset_lines=0 if jump_to else left,
                          body_chars=set_chars + rest_chars,
                          span=(x0 - grid.col_x(cell.col), width) if off_grid else None)
        return items, pm, findings, idx

    def _head_items(self, items: list, head_blocks, head_lines: int, cell: Cell, x0: float,
                    owner: str) -> None:
        """The headline block's lines, the block centred vertically in its grid lines."""
        grid = self.grid
        block_h = sum(b.height for b in head_blocks)
        y = grid.line_top(cell.line) + (head_lines * grid.pitch - block_h) / 2
        for b in head_blocks:
            for off, ln in b.lines:
                base = y + (b.leading - b.size) / 2 + 0.88 * b.size
                items.append(TextLine(x=x0 + grid.em + off, baseline=base, glyphs=ln.glyphs,
                                      color=b.style.color, owner=owner, role=b.style.role))
                y += b.leading

    def _photo(self, items, findings, story: Story, plan: PhotoPlan, cols: StoryColumns, x0: float,
               body_top: int, page: int, clear: float = 0.0) -> None:
        grid = self.grid
        first = plan.first(cols.count)
        x0 += cols.xs[first]
        pw = cols.xs[first + plan.cols - 1] - cols.xs[first] + cols.width
        py = grid.line_top(body_top) + clear
        ph = story.photo
        present = ph.file is not None and ph.file.is_file()
        items.append(PhotoFrame(x=x0, y=py, w=pw, h=plan.img_lines * grid.pitch - (grid.pitch - grid.em) / 2 - clear,
                                path=ph.file if present else None, present=present, owner=story.id,
                                label=ph.file_text or "（未提供图片文件）", fit=ph.fit, focus=ph.focus))
        if not present:
            findings.append(Finding("warning", "missing-photo", page,
                                    f"photo '{ph.file_text or '(no file named)'}' of story '{story.id}' is not on "
                                    f"file; its frame is kept and marked", f"story {story.id}, photo"))
        for j, (off, ln) in enumerate(plan.cap.lines):
            items.append(TextLine(x=x0 + off, baseline=baseline_in(grid, body_top + plan.img_lines + j),
                                  glyphs=ln.glyphs, color=plan.cap.style.color, owner=story.id, role="caption"))

    def _jump_text(self, text: str, x: float, width: float, line: int, sid: str, align: str) -> list:
        blk = self.setter.block(text, "dateline", width, align=align, where=f"story {sid}, jump line")
        return [TextLine(x=x + off, baseline=baseline_in(self.grid, line), glyphs=ln.glyphs,
                         color="black", owner=f"jump:{sid}", role="jump") for off, ln in blk.lines]


def balance(count: int, starts: list[int], limit: int, least: int | None = None) -> tuple[int, list[int]]:
    """Fill columns to one common bottom line: the lowest bottom (<= limit) that holds `count`
    lines given each column's first free line. Returns (bottom, lines per column). `least`:
    level_bottom(count, starts), when the caller has it."""
    if count <= 0:
        return max(starts, default=0), [0] * len(starts)
    bottom = min(_least_bottom(count, starts) if least is None else least, limit)
    return bottom, _level_counts(count, starts, bottom)


def level_bottom(count: int, starts) -> int:
    """balance's bottom line with no limit, without the counts per column (the variants ask it
    of every photo size, most of which they then refuse)."""
    return _least_bottom(count, starts) if count > 0 else max(starts, default=0)


def _least_bottom(count: int, starts: list[int]) -> int:
    """The lowest bottom line whose room (every column from its start down to it) holds
    `count` lines: filled like water, the columns that start highest first. In closed form per
    number of columns reached (the variants ask this thousands of times a page: a bisection
    over bottoms took a third of the search's time, measured on 8-story pages)."""
    order = sorted(starts)
    above = 0
    for k, s in enumerate(order, 1):
        above += s
        bottom = -(-(count + above) // k)          # k columns reach a common bottom
        if k == len(order) or bottom <= order[k]:  # the next column starts at or below it
            return bottom
    return order[-1] + count


def short_order(starts) -> list[int]:
    """The columns in the order they end a line short of a level bottom: the last first, those
    under a photo after the others. The habit, the photo in the first columns, is the last
    first; a photo in the last columns (PhotoPlan.right) keeps the lines under it, so that a
    short column is not cut to a stub there (cost.photo_stub)."""
    top = min(starts)
    return sorted(range(len(starts)), key=lambda c: (starts[c] > top, -c))


def _level_counts(count: int, starts: list[int], bottom: int) -> list[int]:
    """Counts that reach `bottom` in every column but a few (short_order), which end one line
    higher, so a story's columns end level to within one line."""
    room = [max(0, bottom - s) for s in starts]
    spare = sum(room) - count
    if spare <= 0:
        return _fill_counts(count, starts, bottom)
    counts = list(room)
    order = short_order(starts)
    for k, c in enumerate(order):          # shorten columns by one line each
        if spare == 0:
            break
        if counts[c] > 0:
            take = 1 if spare < sum(1 for x in order[k:] if counts[x] > 0) else min(counts[c], spare)
            counts[c] -= take
            spare -= take
    return counts


def _fill_counts(count: int, starts: list[int], bottom: int) -> list[int]:
    counts, left = [], count
    for s in starts:
        n = min(max(0, bottom - s), left)
        counts.append(n)
        left -= n
    return counts


def _bad_break(text: StoryText, pos: int) -> bool:
    """Whether a column break before text line `pos` strands a line: a paragraph's first line
    alone at a column foot (orphan), its last line alone at a column head (widow), or a
    subhead at a column foot."""
    lines = text.lines
    if pos <= 0 or pos >= len(lines):
        return False
    prev_para, next_para = lines[pos - 1][0], lines[pos][0]
    if prev_para != next_para:
        return text.kinds[prev_para] == "subhead"
    first = pos - 1 == 0 or lines[pos - 2][0] != prev_para
    last = pos + 1 >= len(lines) or lines[pos + 1][0] != next_para
    return first or last


def distribute(text: StoryText, start: int, starts: list[int], count: int, limit: int,
               balanced: tuple[int, list[int]] | None = None) -> tuple[int, list[int]]:
    """Lines per column: level (every column reaches the common bottom or ends one line above
    it), choosing which columns end short so that no break strands a line. When no choice
    avoids it, level columns win (the style's rule: columns end level to within one line).
    `balanced`: balance(count, starts, limit), when the caller has it."""
    bottom, level = balanced or balance(count, starts, limit)
    if count <= 0:
        return bottom, level
    room = [max(0, bottom - s) for s in starts]
    spare = sum(room) - count
    active = [c for c, r in enumerate(room) if r > 0]
    if 0 <= spare <= len(active):
        # prefer the columns short that balance() shortens (short_order)
        rank = {c: k for k, c in enumerate(short_order(starts))}
        for short in sorted(itertools.combinations(active, spare), key=lambda cs: sorted(rank[c] for c in cs)):
            counts = list(room)
            for c in short:
                counts[c] -= 1
            if not strands(text, start, counts):
                return bottom, counts
    return bottom, level


def strand_free(text: StoryText, start: int, room: list[int], spare: int) -> bool:
    """Whether some choice of `spare` columns ending a line short (of those with room)
    strands no line at a break: what distribute() looks for, answered without trying every
    choice (the variants ask it of every shape they keep). Dynamic programming over the
    columns and the short ones so far: a break's place is the lines before it, which only
    that count changes; a column left empty makes no break (strands())."""
    # states: (short columns so far, whether a column before holds text)
    states = {(0, False)}
    before = start                     # text lines in the columns so far, none short
    for r in room:
        nxt = set()
        for used, filled in states:
            for take in ((0, 1) if r > 0 else (0,)):
                if used + take > spare:
                    continue
                n = r - take
                if n and filled and _bad_break(text, before - used):
                    continue           # the break before this column strands a line
                nxt.add((used + take, filled or n > 0))
        states = nxt
        before += r
    return any(used == spare for used, _ in states)


def _file_aspect(path) -> float:
    """Width / height of an image file's pixels (PHOTO_ASPECT when it cannot be read)."""
    try:
        import warnings

        from PIL import Image
        with warnings.catch_warnings():     # the loader already capped the pixel count
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                return im.width / im.height
    except Exception:
        return PHOTO_ASPECT


def strands(text: StoryText, start: int, counts: list[int]) -> bool:
    """Whether the columns' breaks (from text line `start`, `counts` lines a column) strand a
    line (_bad_break): an orphan, a widow or a subhead at a column's foot. A column with no
    text (all photo) is no break: the text runs on from the column before it to the next one
    that holds text (a dateline alone under a photo, its paragraph going on two columns over,
    was not seen as an orphan)."""
    pos = start
    filled = [n for n in counts if n]
    for n in filled[:-1]:
        pos += n
        if _bad_break(text, pos):
            return True
    return False
