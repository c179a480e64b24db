"""A story module on the grid: headline block, photo with caption, body in balanced columns."""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..compose.model import SetLine, SetParagraph
from ..load.issue import Story
from ..load.style import Grid
from .model import Cell, Finding, PhotoFrame, PlacedModule, TextLine
from .textset import SetBlock, Setter

PHOTO_ASPECT = 1.5          # width / height when the image itself cannot tell


def baseline_in(grid: Grid, line: int, size: float | None = None) -> float:
    """Baseline of grid line `line`: the em box centred in the line pitch (ideographic
    em box bottom at 0.12 em below the baseline, as in the Noto CJK / Adobe-Japan1 design)."""
    em = size or grid.em
    return grid.line_top(line) + (grid.pitch - em) / 2 + 0.88 * em


@dataclass(frozen=True)
class StoryColumns:
    count: int
    chars: int               # characters per story column
    xs: tuple[float, ...]    # left edge offsets from the module's left edge
    width: float             # measure of one story column


def story_columns(grid: Grid, basic_cols: int, count: int | None) -> StoryColumns:
    """Story columns in a module `basic_cols` wide; `count` other than basic_cols is 变栏."""
    n = count or basic_cols
    total_chars = basic_cols * grid.column_chars + (basic_cols - 1) * grid.gutter_chars
    if n == basic_cols:
        chars = grid.column_chars
        xs = tuple(i * (grid.column_width + grid.gutter) for i in range(n))
    else:
        chars = (total_chars - (n - 1) * grid.gutter_chars) // n
        spare = total_chars - n * chars - (n - 1) * grid.gutter_chars
        gap = (grid.gutter_chars * grid.em + (spare * grid.em / (n - 1) if n > 1 else 0.0))
        xs = tuple(i * (chars * grid.em + gap) for i in range(n))
    return StoryColumns(count=n, chars=chars, xs=xs, width=chars * grid.em)


@dataclass(frozen=True)
class HeadBlock:
    blocks: tuple[SetBlock, ...]
    lines: int               # grid lines the headline block takes
    fits: bool


@dataclass
class StoryText:
    """A story's body composed at one measure (reused across placement candidates)."""
    paragraphs: list[SetParagraph]
    lines: list[tuple[int, SetLine]]      # (paragraph index, line)
    chars: int


class ModuleSetter:
    def __init__(self, setter: Setter, grid: Grid):
        self.setter = setter
        self.grid = grid
        self._text_cache: dict[tuple[str, float], StoryText] = {}
        self._head_cache: dict[tuple[str, float], HeadBlock] = {}

    # -- pieces --------------------------------------------------------
    def body(self, story: Story, measure: float) -> StoryText:
        key = (story.id, round(measure, 3))
        if key in self._text_cache:
            return self._text_cache[key]
        paras, lines, chars = [], [], 0
        for i, p in enumerate(story.body):
            where = f"story {story.id}, paragraph {i + 1}"
            if p.kind == "subhead":
                sp = self.setter.paragraph([(p.text, "subhead")], measure, where, indent=0.0)
            elif i == 0 and story.dateline:
                sp = self.setter.paragraph([(story.dateline, "dateline"), (p.text, "body")], measure, where)
            else:
                sp = self.setter.paragraph([(p.text, "body")], measure, where)
            paras.append(sp)
            chars += len(sp.text)
            lines.extend((i, ln) for ln in sp.lines)
        st = StoryText(paragraphs=paras, lines=lines, chars=chars)
        self._text_cache[key] = st
        return st

    def head(self, story: Story, width: float) -> HeadBlock:
        key = (story.id, round(width, 3))
        if key in self._head_cache:
            return self._head_cache[key]
        pad = self.grid.em
        measure = width - 2 * pad
        blocks = []
        if story.kicker:
            blocks.append(self.setter.block(story.kicker, "kicker", measure, where=f"story {story.id}, kicker"))
        main, fits = self.setter.headline(story.headline, f"headline_{story.level}", measure,
                                          where=f"story {story.id}, headline")
        blocks.append(main)
        if story.deck:
            blocks.append(self.setter.block(story.deck, "deck", measure, where=f"story {story.id}, deck"))
        height = sum(b.height for b in blocks)
        lines = math.ceil((height + self.grid.pitch) / self.grid.pitch)   # half a line of air above and below
        hb = HeadBlock(blocks=tuple(blocks), lines=lines, fits=fits)
        self._head_cache[key] = hb
        return hb

    def photo_lines(self, story: Story, cols: StoryColumns) -> tuple[int, int, SetBlock | None]:
        """(story columns, grid lines incl. caption and a line of air, caption block)."""
        ph = story.photo
        if ph is None:
            return 0, 0, None
        k = min(cols.count, ph.columns or max(1, round(cols.count / 3)))
        width = cols.xs[k - 1] + cols.width
        aspect = PHOTO_ASPECT
        if ph.file is not None and ph.file.is_file():
            try:
                from PIL import Image
                with Image.open(ph.file) as im:
                    aspect = im.width / im.height
            except Exception:
                pass
        img_lines = max(3, round(width / aspect / self.grid.pitch))
        cap_text = ph.caption + (f"（{ph.credit}摄）" if ph.credit else "")
        cap = self.setter.block(cap_text, "caption", width, where=f"story {story.id}, caption")
        cap_lines = math.ceil(cap.height / self.grid.pitch)
        return k, img_lines + cap_lines + 1, cap

    # -- the whole module ----------------------------------------------
    def needed_lines(self, story: Story, cell_cols: int, columns: int | None = None) -> int:
        """Grid lines the module needs at this width to set all its copy with level columns."""
        grid = self.grid
        cols = story_columns(grid, cell_cols, columns)
        head = self.head(story, grid.span_width(cell_cols))
        text = self.body(story, cols.width)
        k, plines, _ = self.photo_lines(story, cols)
        starts = [plines if c < k else 0 for c in range(cols.count)]
        bottom, _ = balance(len(text.lines), starts, 10**6)
        return head.lines + bottom

    def place(self, story: Story, cell: Cell, columns: int | None, page: int, auto: bool
              ) -> tuple[list, PlacedModule, list[Finding]]:
        grid = self.grid
        items: list = []
        findings: list[Finding] = []
        x0 = grid.col_x(cell.col)
        width = grid.span_width(cell.cols)
        cols = story_columns(grid, cell.cols, columns)
        head = self.head(story, width)
        if not head.fits:
            findings.append(Finding("warning", "headline-fit", page,
                                    f"headline of '{story.id}' does not fit {self.setter.role(f'headline_{story.level}').max_lines} "
                                    f"line(s) even at its minimum size", f"story {story.id}"))
        # headline block, centred vertically in its grid lines
        block_h = sum(b.height for b in head.blocks)
        y = grid.line_top(cell.line) + (head.lines * grid.pitch - block_h) / 2
        pad = grid.em
        for b in head.blocks:
            for off, ln in b.lines:
                base = y + (b.leading - b.size) / 2 + 0.88 * b.size
                items.append(TextLine(x=x0 + pad + off, baseline=base, glyphs=ln.glyphs,
                                      color=b.style.color, owner=story.id, role=b.style.role))
                y += b.leading
        body_top = cell.line + head.lines
        body_lines = cell.lines - head.lines
        # photo at the head of the first story columns, caption under it
        k, plines, cap = self.photo_lines(story, cols)
        if k:
            pw = cols.xs[k - 1] + cols.width
            img_lines = plines - 1 - math.ceil(cap.height / grid.pitch)
            py = grid.line_top(body_top)
            ph = story.photo
            present = ph.file is not None and ph.file.is_file()
            items.append(PhotoFrame(x=x0, y=py, w=pw, h=img_lines * grid.pitch - (grid.pitch - grid.em) / 2,
                                    path=ph.file if present else None, present=present, owner=story.id,
                                    label=ph.file_text or "（未提供图片文件）"))
            if not present:
                findings.append(Finding("warning", "missing-photo", page,
                                        f"photo '{ph.file_text or '(no file named)'}' of story '{story.id}' is not on file; "
                                        f"its frame is kept and marked", f"story {story.id}, photo"))
            for j, (off, ln) in enumerate(cap.lines):
                items.append(TextLine(x=x0 + off, baseline=baseline_in(grid, body_top + img_lines + j),
                                      glyphs=ln.glyphs, color=cap.style.color, owner=story.id, role="caption"))
        text = self.body(story, cols.width)
        starts = [plines if c < k else 0 for c in range(cols.count)]
        bottom, counts = balance(len(text.lines), starts, body_lines)
        idx = 0
        for c, n in enumerate(counts):
            for j in range(n):
                _, ln = text.lines[idx]
                items.append(TextLine(x=x0 + cols.xs[c], baseline=baseline_in(grid, body_top + starts[c] + j),
                                      glyphs=ln.glyphs, color="black", owner=story.id, role="body"))
                idx += 1
        overset_lines = len(text.lines) - idx
        set_chars = sum(len(ln.glyphs) for _, ln in text.lines[:idx])
        overset_chars = text.chars - set_chars
        if overset_lines:
            findings.append(Finding("error", "overset", page,
                                    f"story '{story.id}' overset: {overset_lines} lines, {overset_chars} characters do not fit "
                                    f"its module ({cell.label()})", f"story {story.id}"))
        capacity = sum(max(0, body_lines - s) for s in starts) * cols.chars
        head_chars = sum(b.chars for b in head.blocks)
        cap_chars = cap.chars if cap else 0
        pm = PlacedModule(owner=story.id, cell=cell, auto=auto, capacity=capacity,
                          copy_chars=text.chars + head_chars + cap_chars,
                          set_chars=set_chars + head_chars + cap_chars,
                          overset_chars=overset_chars, overset_lines=overset_lines)
        return items, pm, findings


def balance(count: int, starts: list[int], limit: int) -> tuple[int, list[int]]:
    """Fill columns to one common bottom line: the lowest bottom (<= limit) that holds `count`
    lines given each column's first free line. Returns (bottom, lines per column)."""
    if count == 0:
        return max(starts, default=0), [0] * len(starts)
    lo = min(starts) + 1
    bottom = limit
    for b in range(lo, limit + 1):
        if sum(max(0, b - s) for s in starts) >= count:
            bottom = b
            break
    counts, left = [], count
    for s in starts:
        n = min(max(0, bottom - s), left)
        counts.append(n)
        left -= n
    return bottom, counts
