"""Make-up by search: pages an editor would sign off.

Measured from the laid-out records (module cells, body lines, photo frames) and, for one
issue, from the PDF read back: at most one full-width module besides the lead, modules full,
columns level, no white hole of three grid lines or more in any column, modules side by side,
headlines in order and never side by side at one size; white and overset reported with
numbers. Generated issues are test copy (tools/gen_issue.py, 【测试稿】)."""
from __future__ import annotations

import re
import subprocess
import sys
from collections import defaultdict

import pytest
import yaml

from layout.pipeline import render
from layout.place import cost
from layout.place.hierarchy import tombstones
from layout.check.report import summary_lines
from layout.place.model import Cell, PhotoFrame, Rule, TextLine, VerticalText
from seed import ROOT

sys.path.insert(0, str(ROOT))
from tools.gen_issue import generate  # noqa: E402

ISSUE = ROOT / "issues" / "1640" / "issue.yaml"
STYLES = ["kecheng", "kecheng-5col"]
SEEDS = [1, 2, 3, 4]
OTHER_TRIMS = ["kecheng-broadsheet", "kecheng-tabloid"]    # checked on fewer seeds (test time)
OTHER_SEEDS = [1, 2]


def _top(page) -> int:
    """The first grid line of the type area under the masthead or page header: where the
    page's lead stands (the search puts it at the top left), whatever the style's trim."""
    return min(m.cell.line for m in page.modules)


def _full_width_besides_lead(page, grid) -> int:
    stories = [m for m in page.modules if not m.reserved]
    return sum(1 for m in stories[1:] if m.cell.cols == grid.columns)


def _column_ends(page, m, grid) -> dict[float, int]:
    """Story column (x) -> the grid line after its last body line."""
    ends: dict[float, int] = {}
    off = (grid.pitch - grid.em) / 2 + 0.88 * grid.em
    for it in page.items:
        if isinstance(it, TextLine) and it.owner == m.owner and it.role == "body":
            line = round((it.baseline - grid.top - off) / grid.pitch)
            x = round(it.x, 1)
            ends[x] = max(ends.get(x, 0), line + 1)
    return ends


def _photo_bottom(page, m, grid) -> tuple[float, float, int] | None:
    """(x0, x1, line after its caption) of the module's photo."""
    frames = [it for it in page.items if isinstance(it, PhotoFrame) and it.owner == m.owner]
    if not frames:
        return None
    f = frames[0]
    caps = [it for it in page.items if isinstance(it, TextLine) and it.owner == m.owner and it.role == "caption"]
    bottom = max([it.baseline for it in caps] + [f.y + f.h])
    return f.x, f.x + f.w, int((bottom - grid.top) // grid.pitch) + 1


def holes(page, grid) -> list[tuple[str, float, int]]:
    """White of 3+ grid lines in a column: under a story column's last line (beside a photo
    counted from the photo's foot), and page area no module covers."""
    out = []
    for m in page.modules:
        if m.reserved or m.overset_lines:
            continue
        bottom = m.cell.line + m.cell.lines
        photo = _photo_bottom(page, m, grid)
        for x, end in _column_ends(page, m, grid).items():
            if photo and photo[0] - 0.5 <= x < photo[1]:
                end = max(end, photo[2])
            if bottom - end >= 3:
                out.append((m.owner, x, bottom - end))
    for col in range(grid.columns):
        covered = sorted((m.cell.line, m.cell.line + m.cell.lines) for m in page.modules
                         if m.cell.col <= col < m.cell.col + m.cell.cols)
        line = _top(page)
        for a, b in covered + [(grid.lines, grid.lines)]:
            if a - line >= 3:
                out.append(("page", col, a - line))
            line = max(line, b)
    return out


def level_faults(page, grid) -> list[tuple[str, int]]:
    """Story columns ending two lines or more above the module's other columns."""
    out = []
    for m in page.modules:
        if m.reserved:
            continue
        ends = _column_ends(page, m, grid)
        photo = _photo_bottom(page, m, grid)
        text_only = [e for x, e in ends.items() if not (photo and photo[0] - 0.5 <= x < photo[1])]
        if len(text_only) > 1 and max(text_only) - min(text_only) >= 2:
            out.append((m.owner, max(text_only) - min(text_only)))
    return out


def headline_white(page, m, grid) -> float | None:
    """Grid lines of white in a module's headline block, read from the set lines: from the
    module's top to its body (or photo) below the headline, less the headline lines' extent
    (first line's em box top to the last one's bottom). None: no headline above the body."""
    mine = [it for it in page.items if isinstance(it, TextLine) and it.owner == m.owner]
    body = [it for it in mine if it.role == "body"]
    if not body:
        return None
    first = min(it.baseline for it in body)
    head = [it for it in mine if it.role not in ("body", "caption") and it.baseline < first]
    if not head:
        return None
    below = first - (grid.pitch - grid.em) / 2 - 0.88 * grid.em
    below = min([below] + [f.y for f in page.items if isinstance(f, PhotoFrame) and f.owner == m.owner])
    top = min(it.baseline - 0.88 * it.glyphs[0].size for it in head)
    bottom = max(it.baseline + 0.12 * it.glyphs[0].size for it in head)
    return (below - grid.line_top(m.cell.line) - (bottom - top)) / grid.pitch


# a nominal block has at most two lines of white (half a line above and below, and the rounding
# to whole lines), up to two more when hierarchy.py sets its type a size level smaller than the
# block was made for; the make-up adds at most cost.MAX_HEAD_AIR (issue 21 saw 8 lines round a
# short headline on 1640, 6-10 on generated pages)
HEAD_WHITE_NOMINAL = 4.0


def headline_air_faults(page, grid) -> list[tuple[str, float]]:
    out = []
    for m in page.modules:
        if m.reserved:
            continue
        w = headline_white(page, m, grid)
        if w is not None and w > HEAD_WHITE_NOMINAL + cost.MAX_HEAD_AIR:
            out.append((m.owner, round(w, 2)))
    return out


def side_by_side(page) -> bool:
    mods = [m.cell for m in page.modules]
    return any(a.col + a.cols <= b.col and a.line < b.line + b.lines and b.line < a.line + a.lines
               for a in mods for b in mods)


def headlines(page, r) -> list[tuple[Cell, float]]:
    out = []
    for m in page.modules:
        if m.reserved:
            continue
        story = r.issue.stories[m.owner]
        role = f"headline_{story.level}"
        heads = [it for it in page.items if isinstance(it, TextLine) and it.owner == m.owner and it.role == role]
        if heads:
            out.append((m.cell, heads[0].glyphs[0].size))
    return out


# -- issue 1640, both styles -------------------------------------------------------------------

@pytest.fixture(scope="module", params=STYLES)
def front(request):
    return render(str(ISSUE), style_arg=request.param, write=False)


def test_1640_front_page_is_made_up_not_stacked(front):
    grid = front.style.grid
    p1 = front.laid.pages[0]
    assert _full_width_besides_lead(p1, grid) <= 1
    assert side_by_side(p1)
    lead = p1.modules[0]
    assert lead.owner == "lead" and lead.cell.line == 9       # right under the masthead
    assert lead.cell.cols == max(m.cell.cols for m in p1.modules)


def fill(m, grid) -> float:
    """A module's fill as the desk reads it (cost.filled): the share of its area not white
    (a module off the basic columns, 破栏: its own width's share of characters)."""
    _, width = m.x_width(grid)
    row = width / grid.span_width(m.cell.cols) * m.cell.cols * grid.column_chars
    return cost.filled(m.capacity, m.body_chars, round(m.cell.lines * row))


def reported_white(r, page) -> dict[str, tuple[int, int, int]]:
    """Modules whose foot white the run reports: owner -> (lines, columns, characters)."""
    out = {}
    for f in r.laid.findings:
        if f.code == "module-white" and f.page == page.number:
            g = re.search(r"module '([^']+)' .* ends (\d+) line\(s\) x (\d+) columns short .*about ([\d,]+) characters",
                          f.message)
            assert g, f.message
            out[g.group(1)] = (int(g.group(2)), int(g.group(3)), int(g.group(4).replace(",", "")))
    return out


def test_1640_every_module_full_and_level(front):
    """Every module at least 95% full (not an unrounded 94.97%), or the white it is left with
    (the copy is short for any make-up without a hole round its headline) reported with its
    lines, columns and characters; columns level; no hole but a reported one."""
    grid = front.style.grid
    p1 = front.laid.pages[0]
    told = reported_white(front, p1)
    for m in p1.modules:
        assert m.overset_chars == 0
        if m.owner in told:
            lines, cols, chars = told[m.owner]
            assert cols == m.cell.cols and chars == lines * cols * grid.column_chars
            assert m.capacity - m.body_chars >= (lines - 1) * cols * grid.column_chars
        else:
            assert fill(m, grid) >= 0.95, (m.owner, m.body_chars, m.capacity, m.cell)
    assert not level_faults(p1, grid)
    # a reported module's columns end at most its reported rows (and one line, level) short
    assert all(owner in told and lines <= told[owner][0] + 1 for owner, _, lines in holes(p1, grid))


def test_1640_feature_is_full(front):
    """The feature (963 characters in 77 lines of 13: one column a line short at any width)
    is at least 95% full as the desk reads a module, on both styles."""
    grid = front.style.grid
    m = next(m for m in front.laid.pages[0].modules if m.owner == "feature")
    assert fill(m, grid) >= 0.95, (m.body_chars, m.capacity, m.cell)


def test_1640_headline_air_is_capped(front):
    """No headline block with more white than a nominal block and cost.MAX_HEAD_AIR lines
    (main had 8 lines round the brief's headline in the six-column style)."""
    p1 = front.laid.pages[0]
    assert not headline_air_faults(p1, front.style.grid)
    # every headline stands over its body, or beside it as a vertical block (the make-up's device)
    vertical = {it.owner for it in p1.items if isinstance(it, VerticalText)}
    assert all(headline_white(p1, m, front.style.grid) is not None or m.owner in vertical for m in p1.modules)


def test_1640_lead_is_widest_on_top(front):
    grid = front.style.grid
    p1 = front.laid.pages[0]
    lead = next(m for m in p1.modules if m.owner == "lead")
    assert lead.cell.line == _top(p1)
    assert lead.cell.cols >= cost.lead_min_columns(grid.columns)
    assert all(m.cell.cols <= lead.cell.cols for m in p1.modules)


def test_1640_headlines_in_order(front):
    p1 = front.laid.pages[0]
    heads = headlines(p1, front)
    lead_size = heads[0][1]
    assert all(size <= lead_size for _, size in heads)
    assert not tombstones(heads)


# -- generated issues: --fill 0.95, 2-6 stories a page ------------------------------------------

@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = []
    runs = [(style, seed) for style in STYLES for seed in SEEDS] + \
        [(style, seed) for style in OTHER_TRIMS for seed in OTHER_SEEDS]
    for style, seed in runs:
        d = tmp_path_factory.mktemp(f"fill-{style}-{seed}")
        path = generate(d, pages=4, stories_per_page=(2, 6), photos=seed % 2 == 0, seed=seed, style=style,
                        fill=0.95)
        out.append((style, seed, render(str(path), write=False)))
    return out


def test_generated_pages_follow_the_desk(generated):
    """The rules that hold on every generated page: the lead on top and widest, headline air
    capped, columns level, no tombstones, modules side by side on at least half the pages."""
    pages = side = 0
    for style, seed, r in generated:
        grid = r.style.grid
        for p in r.laid.pages:
            where = f"{style} seed {seed} page {p.number}"
            pages += 1
            side += side_by_side(p)
            assert not level_faults(p, grid), where
            assert not tombstones(headlines(p, r)), where
            assert not headline_air_faults(p, grid), where
            lead = p.modules[0]                        # generated plans carry no weight: plan order
            assert lead.cell.line == _top(p), where
            assert lead.cell.cols >= cost.lead_min_columns(grid.columns), where
            assert all(m.cell.cols <= lead.cell.cols for m in p.modules), where
    assert side * 2 >= pages


def _reported_gaps(r, page) -> set[tuple[int, int, int]]:
    """(first column, columns, lines) of the white the run reports under a page's modules."""
    out = set()
    for f in r.laid.findings:
        if f.code == "underfull" and f.page == page.number:
            g = re.search(r"(\d+) lines x (\d+) columns empty \(columns: (\d+)", f.message)
            out.add((int(g.group(3)) - 1, int(g.group(2)), int(g.group(1))))
    return out


def _without_extra_band_cost(path: str, style: str, number: int):
    """Page `number` made up when a second band costs more than anything else the search can
    choose (more overset, a narrower lead): what it holds then is what the band saved."""
    old = cost.EXTRA_BAND
    cost.EXTRA_BAND = 1e9
    try:
        r = render(path, style_arg=style, write=False)
    finally:
        cost.EXTRA_BAND = old
    return next(p for p in r.laid.pages if p.number == number), r.style.grid


def _overset(page) -> int:
    return sum(m.overset_lines for m in page.modules)


def test_generated_pages_full_without_bands(generated):
    """Every generated page (--fill 0.95): every story module at least 90% full as the desk
    reads it (fill(): the set headline and photo are not white; body / capacity alone cannot
    reach 90% in a narrow column whose paragraphs end in short lines and open indented), no
    hole of three lines or more in any module, and white under the modules only where the run
    reports it (a page short of copy: issue 21 item 4). At most one full-width module besides
    the lead, unless nothing else fits (the issue's rule): a page with a second band is one
    where the search finds no make-up without it, and the run says so (stacked)."""
    for style, seed, r in generated:
        grid = r.style.grid
        for p in r.laid.pages:
            where = f"{style} seed {seed} page {p.number}"
            bands = _full_width_besides_lead(p, grid)
            stacked = [f for f in r.laid.findings if f.code == "stacked" and f.page == p.number]
            if bands > 1:
                assert len(stacked) == 1, where
                other, _ = _without_extra_band_cost(str(r.issue.path), style, p.number)
                # without the second band: the same bands (nothing else fits), or more copy over,
                # or a lead narrower than the bands (the lead no longer the widest), or a hole of
                # three rows or more in a module (what the search leaves only when nothing else fits)
                assert (_full_width_besides_lead(other, grid) == bands or _overset(other) > _overset(p)
                        or other.modules[0].cell.cols < grid.columns
                        or any(owner != "page" for owner, _, _ in holes(other, grid))), where
            else:
                assert not stacked, where
            gaps = _reported_gaps(r, p)
            for owner, x, lines in holes(p, grid):
                assert owner == "page" and any(c <= x < c + n and lines <= h for c, n, h in gaps), \
                    (where, owner, x, lines)
            for m in p.modules:
                if not m.overset_lines and not m.reserved:
                    assert fill(m, grid) >= 0.90, (where, m.owner, m.body_chars, m.capacity)


def _without_off_grid(path: str, style: str | None = None):
    """The issue made up without pairs cut inside a basic column (破栏: cost.OFF_GRID
    prohibitive): where the page stacks its bands when only whole columns are cut."""
    old = cost.OFF_GRID
    cost.OFF_GRID = 1e9
    try:
        return render(path, style_arg=style, write=False)
    finally:
        cost.OFF_GRID = old


@pytest.fixture(scope="module")
def stacked_5col(generated):
    """kecheng-5col seed 1, whose page 1 stacks three photo-less stories when only whole
    columns are cut (3 + 2 levels neither way)."""
    style, seed, r = next((st, sd, r) for st, sd, r in generated if (st, sd) == ("kecheng-5col", 1))
    return style, r, _without_off_grid(str(r.issue.path), style)


def test_off_grid_pair_sets_the_bands_side_by_side(stacked_5col):
    """The page that stacks on whole columns is made up with its two stories under the lead
    side by side, the cut between them inside a basic column (破栏): each module in whole story
    columns of whole characters, its lines inside its own frame, columns level, no hole, the
    hairline midway between the two, and the report naming the measure."""
    style, r, whole = stacked_5col
    grid = r.style.grid
    assert _full_width_besides_lead(whole.laid.pages[0], grid) == 2
    p1 = r.laid.pages[0]
    assert _full_width_besides_lead(p1, grid) == 0 and not holes(p1, grid) and not level_faults(p1, grid)
    assert not [f for f in r.laid.findings if f.page == 1 and f.code in ("stacked", "overfull", "underfull")]
    pair = [m for m in p1.modules if m.span is not None]
    assert len(pair) == 2
    left, right = sorted(pair, key=lambda m: m.cell.col)
    (lx, lw), (rx, rw) = left.x_width(grid), right.x_width(grid)
    assert left.cell.line == right.cell.line and left.cell.lines == right.cell.lines
    assert abs(lx - grid.col_x(0)) < 0.01 and abs(rx + rw - (grid.col_x(0) + grid.width)) < 0.01
    cut = lx + lw + (rx - lx - lw) / 2
    steps = (cut - grid.col_x(0) + grid.gutter / 2) / (grid.column_width + grid.gutter)
    assert abs(steps - round(steps)) > 0.05                         # not on a column boundary
    assert grid.gutter - 0.01 <= rx - lx - lw <= 2 * grid.gutter + 0.01
    for m, (x0, width) in ((left, (lx, lw)), (right, (rx, rw))):
        body = [it for it in p1.items if isinstance(it, TextLine) and it.owner == m.owner and it.role == "body"]
        starts = sorted({round(it.x - x0, 2) for it in body})
        measure = (width - (len(starts) - 1) * grid.gutter) / len(starts) / grid.em
        assert abs(measure - round(measure)) < 0.01                  # whole characters
        for a, b in zip(starts, starts[1:]):
            assert abs(b - a - (round(measure) * grid.em + grid.gutter)) < 0.01
        assert all(x0 - 0.01 <= it.x and it.x + it.glyphs[-1].x + it.glyphs[-1].advance <= x0 + width + 0.5
                   for it in body)
    rules = [it for it in p1.items if isinstance(it, Rule) and abs(it.x0 - it.x1) < 0.01
             and it.y0 >= grid.line_top(left.cell.line)]
    assert any(abs(ru.x0 - cut) < 0.01 for ru in rules)
    assert len(re.findall(r"off the basic columns: \d+ characters wide", "\n".join(summary_lines(r)))) == 2


def test_stacked_advice_sets_the_bands_side_by_side(stacked_5col):
    """The stacked page's advice holds (made up on whole columns): the copy it names added to
    the shorter story (its own test copy again, 【测试稿】) lets the search set the two side by
    side on whole columns, level, no white."""
    style, _, r = stacked_5col
    note = next(f for f in r.laid.findings if f.code == "stacked" and f.page == 1)
    g = re.search(r"'([^']+)' wants about ([\d,]+) characters more", note.message)
    assert g, note.message
    short, chars = g.group(1), int(g.group(2).replace(",", ""))
    data = yaml.safe_load(r.issue.path.read_text(encoding="utf-8"))
    story = next(s for s in data["stories"] if s["id"] == short)
    copy = "".join(p for p in story["body"] if isinstance(p, str))
    story["body"].append(copy[:chars])
    path = r.issue.path.parent / "advised.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    again = _without_off_grid(str(path), style)
    p1 = again.laid.pages[0]
    assert _full_width_besides_lead(p1, again.style.grid) <= 1
    assert not [f for f in again.laid.findings if f.page == 1 and f.code in ("stacked", "overfull", "underfull")]
    assert not holes(p1, again.style.grid)


def test_white_before_overset(tmp_path):
    """Copy that fits the page with more white at a module's foot than the first search
    offers (cost.MAX_FOOT_WHITE) is set whole, the white reported: generated --photos --seed 3
    page 4 was set two lines over beside a module three rows short (its two lower stories
    end level at 3 + 3 columns only a line apart). On whole columns it takes the white; with
    a cut inside a basic column (破栏) the two end level with none."""
    path = generate(tmp_path, pages=4, stories_per_page=(2, 6), photos=True, seed=3, fill=0.95)
    for r, white in ((_without_off_grid(str(path)), True), (render(str(path), write=False), False)):
        p4 = r.laid.pages[3]
        assert not any(m.overset_lines for m in p4.modules)
        assert not [f for f in r.laid.findings if f.page == 4 and f.code == "overfull"]
        # the white at a module's foot, or under a module standing on the page's foot (the page's)
        told = [lines for lines, _, _ in reported_white(r, p4).values()] + [h for _, _, h in _reported_gaps(r, p4)]
        if white:
            assert told and all(lines > cost.MAX_FOOT_WHITE for lines in told)
        else:
            assert not told and not holes(p4, r.style.grid) and any(m.span for m in p4.modules)
        assert _full_width_besides_lead(p4, r.style.grid) <= 1


def _same_span_columns(page, grid) -> list[tuple[int, int, int]]:
    """(first column, columns, modules) of every column of three modules or more of one span
    narrower than the page, each standing right under the one before: 千层饼 inside the page."""
    spans = defaultdict(list)
    for m in page.modules:
        if m.cell.cols < grid.columns:
            spans[(m.cell.col, m.cell.cols)].append(m.cell)
    out = []
    for (col, cols), cells in spans.items():
        cells.sort(key=lambda c: c.line)
        run = 1
        for above, below in zip(cells, cells[1:]):
            run = run + 1 if below.line == above.line + above.lines else 1
            if run >= 3:
                out.append((col, cols, run))
    return out


def test_no_column_of_three_modules_of_one_width(generated):
    """No generated page stacks three modules of one span down the page (the lead and two
    more across four columns of six), inside a region or from one row of the page into the
    next: cost.REGION_LAYERS where a column of one span runs on across a cut."""
    for style, seed, r in generated:
        for p in r.laid.pages:
            assert not _same_span_columns(p, r.style.grid), (style, seed, p.number)


def test_a_column_of_one_span_is_charged_across_rows(tmp_path):
    """gen_issue --fill 0.95 --photos --seed 18, page 3: the four-column lead over three more
    four-column modules (two rows of the page, each a four-column stack beside a two-column
    one) won while the charge counted modules inside one region only. Charged where the
    rows meet, the page sets two of them side by side; without the charge the column is back."""
    path = generate(tmp_path, pages=4, stories_per_page=(2, 6), photos=True, seed=18, fill=0.95)
    got = render(str(path), write=False)
    assert not _same_span_columns(got.laid.pages[2], got.style.grid)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cost, "REGION_LAYERS", 0.0)
        free = render(str(path), write=False)
    assert _same_span_columns(free.laid.pages[2], free.style.grid)
    p3 = got.laid.pages[2]
    assert not holes(p3, got.style.grid) and not _overset(p3)


@pytest.mark.parametrize("style, seed", [("kecheng", 7), ("kecheng-5col", 8)])
def test_white_at_a_module_foot_costs_its_fill(tmp_path, style, seed):
    """Pages of four to eight stories with photos (short items): a module with rows of white at
    its foot was costed as full as its exact shape, so a two-column item stood 88% full over a
    three-line hole (kecheng --seed 7 page 1) and a five-column one 89% over holes of three and
    four (kecheng-5col --seed 8 page 1). Costed at its fill, and with the step a hole of three
    lines takes (cost.hole_step, its shortest column counted), every module of these pages is
    full and holds no hole."""
    path = generate(tmp_path, pages=4, stories_per_page=(4, 8), photos=True, seed=seed, style=style, fill=0.95)
    r = render(str(path), style_arg=style, write=False)
    grid = r.style.grid
    for p in r.laid.pages:
        gaps = _reported_gaps(r, p)
        for owner, x, lines in holes(p, grid):
            assert owner == "page" and any(c <= x < c + n and lines <= h for c, n, h in gaps), \
                (p.number, owner, x, lines)
        for m in p.modules:
            if not m.overset_lines and not m.reserved:
                assert fill(m, grid) >= 0.90, (p.number, m.owner, fill(m, grid))


@pytest.mark.parametrize("style, seed, fill", [("kecheng", 2, 0.95), ("kecheng-5col", 3, 0.95),
                                              ("kecheng", 2, 0.7), ("kecheng", 1, 1.25)])
def test_the_bounded_search_finds_the_unbounded_page(tmp_path, style, seed, fill):
    """search.search looks under each of cost.SEARCH_BOUNDS in turn and drops every part costing
    the bound or more; since no cost term or join is negative, a page found under a bound must be the
    page the unbounded search finds (the same modules, shapes and cost), and pages at the bound
    or over are searched again under their own cost. A search again of the page (page.py) is
    bounded by the page in hand: it finds the unbounded search's page when that is cheaper, else
    none. Both are asked on every page of 6-8 stories with photos."""
    import math
    from layout.place import search as search_mod

    asked = {"under": 0, "again": 0}
    bounded = search_mod.search

    def both(variants, order, area, fixed, columns, fold=None, bound=math.inf, **rungs):
        got = bounded(variants, order, area, fixed, columns, fold=fold, bound=bound, **rungs)
        free = search_mod._search(variants, order, area, fixed, columns, fold, math.inf)
        if free is not None and free.cost >= bound:
            free = None                 # (the caller asked for a page cheaper than `bound` only)
        assert (got is None) == (free is None)
        if got is not None:
            assert got.cost == free.cost and got.placements == free.placements
            asked["under" if got.cost < cost.SEARCH_BOUNDS[0] else "again"] += 1
        return got

    path = generate(tmp_path, pages=3, stories_per_page=(6, 8), photos=True, seed=seed, style=style, fill=fill)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(search_mod, "search", both)
        from layout.place import page as page_mod
        mp.setattr(page_mod, "search", both)
        render(str(path), style_arg=style, write=False)
    assert asked["under"] + asked["again"] >= 3, asked


def test_stacked_pages_are_few(generated):
    """A second full-width band is the exception: on at most one page in eight."""
    pages = [(r, p) for _, _, r in generated for p in r.laid.pages]
    stacked = sum(_full_width_besides_lead(p, r.style.grid) > 1 for r, p in pages)
    assert stacked * 8 <= len(pages), stacked


@pytest.mark.parametrize("seed", [11, 12])
def test_a_page_with_an_ad_is_not_stacked(tmp_path, seed):
    """An ad (or any fixed area) leaves the stories a free rectangle across the page: it is
    searched as rows, a second full-width band charged (cost.band), as a page with no fixed
    area is. Searched as one region, bands cost only cost.BAND each, and generated five-column
    pages with ads (--ads --fill 0.95, seeds 11 and 12) stood three stories in bands over a
    通栏 ad (one of them five lines high)."""
    style = "kecheng-5col"
    path = generate(tmp_path, pages=6, photos=seed % 2 == 0, seed=seed, style=style, fill=0.95, ads=True)
    r = render(str(path), style_arg=style, write=False)
    grid = r.style.grid
    with_ads = 0
    for p in r.laid.pages:
        stories = [m for m in p.modules if not m.reserved and not m.owner.startswith("ad:")]
        with_ads += len(stories) < len(p.modules)
        bands = sum(1 for m in stories[1:] if m.cell.cols == grid.columns)
        assert bands <= 1, (seed, p.number, [(m.owner, m.cell.label()) for m in p.modules])
    assert with_ads == len(r.laid.pages)


def test_the_lead_widest_is_not_bought_with_a_squeezed_headline(tmp_path):
    """The lead is the widest module unless that costs more than cost.LEAD_NOT_WIDEST: on the
    eight-column broadsheet (generated seed 7, page 1) the page with no story wider than the
    lead set a 1,051-character story in one column from the head of the page to its foot, its
    headline squeezed; the page kept has a band across the foot instead, every headline fits,
    and no news story stands in one column."""
    style = "kecheng-broadsheet"
    path = generate(tmp_path, pages=4, stories_per_page=(2, 6), photos=False, seed=7, style=style, fill=0.95)
    r = render(str(path), style_arg=style, write=False)
    page = r.laid.pages[0]
    assert not [f for f in r.laid.findings if f.page == 1 and f.code == "headline-fit"]
    assert all(m.cell.cols > 1 for m in page.modules if not m.reserved)
    lead = page.modules[0]
    assert lead.cell.line == _top(page) and lead.cell.cols >= cost.lead_min_columns(r.style.grid.columns)
    assert not holes(page, r.style.grid) and not level_faults(page, r.style.grid)


def test_generated_copy_is_the_fill_asked_for():
    """--fill F makes about F of each page's body area in copy (it overshot by half a paragraph
    a story, 3-22 %: page 1 of --seed 2 --photos came out as two bands 216 and 77 characters
    over), counting every photo the page has."""
    from tools.gen_issue import build, fill_budget
    for seed in SEEDS:
        issue, _ = build(4, (2, 6), seed % 2 == 0, seed, fill=0.95)
        by_id = {s["id"]: s for s in issue["stories"]}
        for page in issue["pages"]:
            stories = [by_id[m["story"]] for m in page["modules"]]
            copy = sum(len(p) for s in stories for p in s["body"] if isinstance(p, str))
            budget = fill_budget("kecheng", page["number"] == 1, len(stories), 0.95,
                                 photos=sum("photo" in s for s in stories))
            assert abs(copy / budget - 1) <= 0.07, (seed, page["number"], copy, budget)


def test_generated_photos_have_copy_to_stand_beside():
    """A pictured story gets at least as much copy as its photo's area (the engine prints a
    photo at most half its module: cost.PHOTO_MAX_AREA), and a page carries no more photos
    than its copy can (issue 21: a tabloid page of four photos and 1,347 characters was white
    at the foot whatever the make-up)."""
    from tools.gen_issue import LINE_FILL, PHOTO_AREA, body_area, copy_shares
    shares = copy_shares(1000, [3.0, 2.0, 1.0], [False, False, True], 300)
    assert shares[2] == 300 and sum(shares) == pytest.approx(1000, abs=2) and shares[0] > shares[1]
    for style in ("kecheng", "kecheng-tabloid"):
        for seed in (2, 4):
            issue, _ = __import__("tools.gen_issue", fromlist=["build"]).build(
                4, (2, 6), True, seed, style=style, fill=0.95)
            by_id = {s["id"]: s for s in issue["stories"]}
            for page in issue["pages"]:
                least = PHOTO_AREA * body_area(style, page["number"] == 1)[1] * LINE_FILL * 0.95
                for m in page["modules"]:
                    st = by_id[m["story"]]
                    copy = sum(len(p) for p in st["body"] if isinstance(p, str))
                    if "photo" in st:
                        assert copy >= 0.8 * least, (style, seed, st["id"], copy, least)   # (whole sentences)


def test_generated_seed_2_front_fits(generated):
    """The page issue 21 saw overset: --pages 4 --seed 2 --fill 0.95 --photos, page 1."""
    r = next(r for style, seed, r in generated if style == "kecheng" and seed == 2)
    p1 = r.laid.pages[0]
    assert not any(m.overset_lines for m in p1.modules)
    assert _full_width_besides_lead(p1, r.style.grid) <= 1


def test_overset_is_reported_with_lines_to_cut(generated):
    """Whatever does not fit is reported per page: the lines to cut and the story to jump."""
    for style, seed, r in generated:
        for p in r.laid.pages:
            over = [m for m in p.modules if m.overset_lines]
            notes = [f for f in r.laid.findings if f.code == "overfull" and f.page == p.number]
            if over:
                assert len(notes) == 1
                total = sum(m.overset_lines for m in over)
                assert f"copy over by {total} line(s)" in notes[0].message
                assert "jump" in notes[0].message
            else:
                assert not notes


def test_a_page_with_too_little_copy_reports_its_gap(tmp_path):
    """A page whose copy fills half of it: the photos and headlines grow within limits, then
    the white is reported in lines, columns and characters."""
    path = generate(tmp_path, pages=2, stories_per_page=(2, 3), seed=5, fill=0.5)
    r = render(str(path), write=False)
    gaps = [f for f in r.laid.findings if f.code == "underfull"]
    assert gaps, [f.message for f in r.laid.findings]
    grid = r.style.grid
    for f in gaps:
        m = re.search(r"page (\d+): (\d+) lines x (\d+) columns empty .*about ([\d,]+) characters", f.message)
        assert m, f.message
        lines, cols, chars = int(m.group(2)), int(m.group(3)), int(m.group(4).replace(",", ""))
        assert chars == lines * cols * grid.column_chars
        page = r.laid.pages[int(m.group(1)) - 1]
        used = sum(mod.cell.cols * mod.cell.lines for mod in page.modules)
        assert used + lines * cols <= grid.columns * (grid.lines - _top(page))
    # and the preflight carries them
    assert any(f.code == "underfull" for f in r.preflight.findings)


def test_fixed_areas_stay_and_the_rest_is_searched(tmp_path):
    data = yaml.safe_load(ISSUE.read_text(encoding="utf-8"))
    data["pages"][0]["modules"][2]["area"] = {"columns": "5-6", "lines": "10-50"}
    p = tmp_path / "issue.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    r = render(str(p), write=False)
    cells = {m.owner: m.cell for m in r.laid.pages[0].modules}
    assert cells["brief"] == Cell(4, 9, 2, 41)
    for a in cells.values():
        for b in cells.values():
            assert a is b or not a.overlaps(b)
    assert cells["lead"].line == 9                     # the lead still on top


def test_weight_orders_the_page(tmp_path):
    """`weight:` puts a story first: the brief, weighted, takes the top left."""
    data = yaml.safe_load(ISSUE.read_text(encoding="utf-8"))
    data["pages"][0]["modules"][2]["weight"] = 10
    p = tmp_path / "issue.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    r = render(str(p), write=False)
    cells = {m.owner: m.cell for m in r.laid.pages[0].modules}
    assert (cells["brief"].line, cells["brief"].col) == (9, 0)


def test_read_back_from_the_pdf(tmp_path):
    """One generated issue written and read back: every module's text lies in its cell, the
    cells tile the page without holes, the printed areas match the records."""
    import pypdfium2 as pdfium
    path = generate(tmp_path, pages=3, stories_per_page=(3, 5), photos=True, seed=7, fill=0.95)
    out = subprocess.run([sys.executable, str(ROOT / "render.py"), str(path), "-o", str(tmp_path / "g.pdf")],
                         capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    printed = re.findall(r"^\s+(\S+): columns: (\d+)(?:-(\d+))?, lines: (\d+)-(\d+) .*body copy (\d+) / capacity (\d+)",
                         out.stdout, re.M)
    r = render(str(path), write=False)
    records = [(m.owner, m.cell) for p in r.laid.pages for m in p.modules]
    assert [(o, Cell(int(a) - 1, int(l0) - 1, int(b or a) - int(a) + 1, int(l1) - int(l0) + 1))
            for o, a, b, l0, l1, _, _ in printed] == records
    grid = r.style.grid
    doc = pdfium.PdfDocument(str(tmp_path / "g.pdf"))
    for i, page in enumerate(r.laid.pages):
        pg = doc[i]
        trim = pg.get_trimbox()
        tp = pg.get_textpage()
        text_by_module = defaultdict(int)
        for k in range(tp.count_chars()):
            box = tp.get_charbox(k)
            ch = tp.get_text_range(k, 1)
            if not ch.strip():
                continue
            x = (box[0] + box[2]) / 2 - trim[0]
            y = trim[3] - (box[1] + box[3]) / 2
            for m in page.modules:
                c = m.cell
                x0, width = m.x_width(grid)         # its basic columns, or its own measure (破栏)
                if x0 - 1 <= x <= x0 + width + 1 and grid.line_top(c.line) <= y <= grid.line_top(c.line + c.lines):
                    text_by_module[m.owner] += 1
        for m in page.modules:
            if not m.reserved:
                assert text_by_module[m.owner] >= m.set_chars * 0.98, (page.number, m.owner)
        # the modules cover the free area but for reported gaps
        used = sum(m.cell.cols * m.cell.lines for m in page.modules)
        gap = sum(int(g.group(1)) * int(g.group(2)) for f in r.laid.findings if f.page == page.number
                  and f.code == "underfull" for g in [re.search(r"(\d+) lines x (\d+) columns", f.message)])
        assert used + gap >= grid.columns * (grid.lines - _top(page)) - 2 * grid.columns
        tp.close()
        pg.close()
    doc.close()


def _photo_share(page, m, grid) -> tuple[float, float]:
    """(photo width / module width, photo and caption area / module body area) read from the
    placed frame and the module's cell."""
    frame = next(it for it in page.items if isinstance(it, PhotoFrame) and it.owner == m.owner)
    width = grid.span_width(m.cell.cols)
    return frame.w / width, frame.w * frame.h / (width * m.cell.lines * grid.pitch)


def test_broadsheet_lead_photo_is_bounded_by_its_copy():
    """1640 on the eight-column broadsheet has too little copy for the page: the lead photo
    grows only so far (at most half the module, never beside a single text column) and the
    rest of the page is reported white, not filled with a seven-column photo frame."""
    r = render(str(ISSUE), style_arg="kecheng-broadsheet", write=False)
    grid = r.style.grid
    p1 = r.laid.pages[0]
    lead = p1.modules[0]
    share, area = _photo_share(p1, lead, grid)
    assert 0.4 <= share and (share <= (grid.columns - 2 + 0.5) / grid.columns or share > 0.99), share
    assert area <= 0.5, area
    assert any(f.code == "underfull" and f.page == 1 for f in r.laid.findings)


def test_a_tall_photo_beside_short_copy_stands_beside_the_headline(tmp_path, monkeypatch):
    """题图并排: a lead whose smallest photo at its width reaches lower than its short copy (a
    portrait photo in the five-column style: generated seed 230, page 4) has its photo at the
    module's top and its headline over the text columns beside it, and no column ends three
    lines or more short. Without the device (variants.py: _photo_up) the same page has that
    hole under the lead's text beside its photo."""
    from layout.place.module import PHOTO_TOP_CLEAR
    from layout.place.variants import Variants

    style = "kecheng-5col"
    path = generate(tmp_path / "lifted", pages=4, stories_per_page=(2, 6), photos=True, seed=230, style=style,
                    fill=0.95)
    r = render(str(path), style_arg=style, write=False)
    grid = r.style.grid
    page = r.laid.pages[3]
    lead = page.modules[0]
    frame = next(it for it in page.items if isinstance(it, PhotoFrame) and it.owner == lead.owner)
    assert frame.y == pytest.approx(grid.line_top(lead.cell.line) + PHOTO_TOP_CLEAR)
    heads = [it for it in page.items if isinstance(it, TextLine) and it.owner == lead.owner
             and it.role not in ("body", "caption")]
    assert heads and all(it.x >= frame.x + frame.w for it in heads)       # beside the photo, not over it
    assert all(it.baseline < frame.y + frame.h for it in heads)
    assert not holes(page, grid) and not level_faults(page, grid)

    monkeypatch.setattr(Variants, "_photo_up", lambda self, *args: False)
    before = render(str(path), style_arg=style, write=False).laid.pages[3]
    assert any(owner == before.modules[0].owner for owner, _, _ in holes(before, grid))


def _lines_under_photo(page, m) -> dict[float, int]:
    """Story column (x) -> the module's body lines under its photo, in the photo's columns."""
    frame = next((it for it in page.items if isinstance(it, PhotoFrame) and it.owner == m.owner), None)
    under: dict[float, int] = defaultdict(int)
    if frame is not None:
        for it in page.items:
            if isinstance(it, TextLine) and it.owner == m.owner and it.role == "body" \
                    and frame.x - 0.5 <= it.x < frame.x + frame.w and it.baseline > frame.y + frame.h:
                under[round(it.x, 1)] += 1
    return under


def test_no_stub_of_text_under_a_photo(generated):
    """Text under a photo, in its columns, is none or at least cost.PHOTO_STUB_LINES lines:
    never a line or two at the module's foot, where the story would open and the reader jump
    up to the next column (generated kecheng seed 4 page 2 set its lead's first lines so, one
    or two under each of three photo columns, before cost.photo_stub)."""
    modules = 0
    for style, seed, r in generated:
        for p in r.laid.pages:
            for m in p.modules:
                under = _lines_under_photo(p, m)
                modules += bool(under)
                assert all(n >= cost.PHOTO_STUB_LINES for n in under.values()), (style, seed, p.number, m.owner, dict(under))
    assert modules >= 5          # (photo modules with text under the photo were looked at)


def _opening_under_photo(page, m) -> int:
    """Lines of the module's first column of text where it opens under its photo (0: the
    story opens beside the photo or with none), read from the set lines: the first body line
    set (columns are set in reading order) and the lines of its column under the photo."""
    frame = next((it for it in page.items if isinstance(it, PhotoFrame) and it.owner == m.owner), None)
    body = [it for it in page.items if isinstance(it, TextLine) and it.owner == m.owner and it.role == "body"]
    if frame is None or not body:
        return 0
    first = body[0]
    if not (frame.x - 0.5 <= first.x < frame.x + frame.w and first.baseline > frame.y + frame.h):
        return 0
    return _lines_under_photo(page, m)[round(first.x, 1)]


def test_no_story_opens_under_its_photo_in_a_few_lines(generated, tmp_path, monkeypatch):
    """A story opens under its photo with a column's worth of text or not at all: never in a
    few lines at the module's foot, the reader climbing to the next column's top after a
    sentence (generated kecheng seed 5 page 3: three lines under the lead's photo, as in 55 of
    557 photo modules of seeds 200-240). The photo then stands in the module's last columns
    (PhotoPlan.right), the text opening at the top left under the headline, beside it."""
    checked = 0
    for style, seed, r in generated:
        for p in r.laid.pages:
            for m in p.modules:
                n = _opening_under_photo(p, m)
                checked += n > 0
                assert not 0 < n < cost.PHOTO_OPENING_LINES, (style, seed, p.number, m.owner, n)
    assert checked >= 3          # (stories opening under a photo, in full columns, were looked at)

    path = generate(tmp_path / "opening", pages=4, stories_per_page=(2, 6), photos=True, seed=5, fill=0.95)
    seen = render(str(path), write=False)
    page, grid = seen.laid.pages[2], seen.style.grid
    lead = page.modules[0]
    frame = next(it for it in page.items if isinstance(it, PhotoFrame) and it.owner == lead.owner)
    body = [it for it in page.items if isinstance(it, TextLine) and it.owner == lead.owner and it.role == "body"]
    assert frame.x + frame.w == pytest.approx(grid.col_x(lead.cell.col) + grid.span_width(lead.cell.cols))
    assert body[0].x < frame.x and body[0].baseline < frame.y + frame.h    # the text opens beside the photo
    assert not holes(page, grid) and not level_faults(page, grid)
    # the lines under the photo, at the story's end, are no stub either
    assert all(n >= cost.PHOTO_STUB_LINES for n in _lines_under_photo(page, lead).values())

    monkeypatch.setattr(cost, "photo_opening", lambda *args: 0.0)
    before = render(str(path), write=False).laid.pages[2]
    assert 0 < _opening_under_photo(before, before.modules[0]) < cost.PHOTO_OPENING_LINES


def test_a_shallow_body_across_the_page_takes_fewer_wider_columns(tmp_path, monkeypatch):
    """A short item across the page whose body is too shallow to end level in the basic
    columns (six lines as two in the first column and one in each of four more) is set in
    fewer, wider story columns (变栏: Variants._shallow_counts), level and full; without them
    the module is under 90% full (generated 5-column seed 206, page 2)."""
    from layout.place.variants import Variants

    style = "kecheng-5col"
    path = generate(tmp_path / "shallow", pages=4, stories_per_page=(2, 6), photos=True, seed=206, style=style,
                    fill=0.95)

    def band(r):
        page = r.laid.pages[1]
        return page, next(m for m in page.modules[1:] if m.cell.cols == r.style.grid.columns)

    r = render(str(path), style_arg=style, write=False)
    grid = r.style.grid
    page, m = band(r)
    xs = {round(it.x, 1) for it in page.items if isinstance(it, TextLine) and it.owner == m.owner and it.role == "body"}
    assert 1 < len(xs) < m.cell.cols
    assert max(xs) - min(xs) > (len(xs) - 1) * (grid.column_width + grid.gutter)    # wider than the basic ones
    assert fill(m, grid) >= 0.90 and not level_faults(page, grid)

    monkeypatch.setattr(Variants, "_shallow_counts", lambda self, *args: [])
    page, m = band(render(str(path), style_arg=style, write=False))
    assert fill(m, grid) < 0.90


def test_generated_photos_take_a_sensible_share(generated):
    for style, seed, r in generated:
        grid = r.style.grid
        for p in r.laid.pages:
            for m in p.modules:
                if any(isinstance(it, PhotoFrame) and it.owner == m.owner for it in p.items):
                    _, area = _photo_share(p, m, grid)
                    assert area <= 0.5, (style, seed, p.number, m.owner, area)


def test_no_subhead_stands_at_a_column_foot(generated, tmp_path):
    """A subhead (小标题) is never the last line of a column, its text in the next (孤题): the
    search costs level columns that would strand one (cost.STRANDED) and finds another shape.
    Read from the set lines: under every subhead line, in its column, the next grid line holds
    its story's text. (Seed 3's page 3 had 徐丽水指出 at the foot of its lead's first column.)"""
    seen = generate(tmp_path, pages=4, stories_per_page=(2, 6), photos=True, seed=3, fill=0.95)
    runs = list(generated) + [("kecheng", 3, render(str(seen), write=False))]
    checked = 0
    for style, seed, r in runs:
        pitch = r.style.grid.pitch
        for p in r.laid.pages:
            lines = [it for it in p.items if isinstance(it, TextLine) and it.role == "body"]
            for m in p.modules:
                story = r.issue.stories.get(m.owner)
                if story is None:
                    continue
                subheads = {b.text for b in story.body if b.kind == "subhead"}
                for ln in lines:
                    if ln.owner == m.owner and "".join(g.ch for g in ln.glyphs) in subheads:
                        checked += 1
                        below = [o for o in lines if o.owner == m.owner and abs(o.x - ln.x) < 0.5
                                 and abs(o.baseline - ln.baseline - pitch) < 0.5]
                        assert below, (style, seed, p.number, m.owner, "".join(g.ch for g in ln.glyphs))
    assert checked >= 5


def test_make_up_findings_read_in_chinese(generated, front, stacked_5col):
    """The desk's viewer shows every make-up finding in Chinese (issue 18): the white left on a
    page or at a module's foot, copy over, a stacked page with its advice, each with the same
    numbers as the English line and the stories by their headlines."""
    from layout.check.messages import finding_text
    seen = set()
    for r in [r for _, _, r in generated] + [front, stacked_5col[2]]:
        for f in r.laid.findings:
            if f.code not in ("underfull", "module-white", "overfull", "stacked"):
                continue
            zh = finding_text({"code": f.code, "message": f.message, "where": f.where}, r.issue)["zh"]["message"]
            assert "page" not in zh and "columns" not in zh and "characters" not in zh, zh
            english = f.message.split("(千层饼)")[-1] if f.code == "stacked" else f.message
            english = re.sub(r"'[^']*'", "", english)          # story ids: their headlines in Chinese
            numbers = re.findall(r"\d+(?:,\d{3})*", english)
            for n in numbers:
                assert n in zh, (f.message, zh)
            for sid in re.findall(r"'(p\d+s\d+|lead|feature|brief)'", f.message):
                assert r.issue.stories[sid].headline in zh, (sid, zh)
            seen.add(f.code)
    assert seen == {"underfull", "module-white", "overfull", "stacked"}, seen


def test_a_pages_searches_share_shapes_and_ask_the_widest_of_them(tmp_path):
    """Searches of one page with the same overset and foot white share the stories' shapes
    (Variants(shared=)): the shapes are the same as made afresh, and what differs between
    the searches (the widest story, 破栏) is asked of them at each lookup: a narrowed search
    refuses an off-grid shape wider than its lead that an earlier search made."""
    from layout.pipeline import _fonts, load
    from layout.place.module import ModuleSetter, OffGrid
    from layout.place.page import Slot
    from layout.place.textset import Setter
    from layout.place.variants import Variants

    path = generate(tmp_path / "one-page", pages=1, stories_per_page=(4, 4), photos=True, seed=2, fill=0.95)
    issue, style = load(str(path), "kecheng")
    grid = style.grid
    ms = ModuleSetter(Setter(_fonts(style), style), grid)
    slots = [Slot(sid, None, None, None, None) for sid in list(issue.stories)[:4]]
    shared = ({}, {})
    first = Variants(ms, issue, slots, 60, grid.columns, off_grid=True, shared=shared)
    fresh = Variants(ms, issue, slots, 60, grid.columns)
    for k in range(len(slots)):
        for w in range(1, grid.columns + 1):
            assert first.shapes(k, w, lead=(k == 0)) == fresh.shapes(k, w, lead=(k == 0))
    wide = OffGrid(count=4, chars=grid.column_chars)        # four columns' measure off the grid
    assert first.off_grid_shapes(1, wide)
    again = Variants(ms, issue, slots, 60, grid.columns, off_grid=True, shared=shared)
    assert again.shapes(1, 3) is first.shapes(1, 3)           # made once, for both searches
    assert again.narrowed(3).off_grid_shapes(1, wide) == {}


def test_a_module_across_the_fold_keeps_its_basic_columns(tmp_path):
    """The fewer, wider story columns of a shallow body (Variants._shallow_counts) are not
    offered to a module standing across a spread's fold, where a module keeps its basic
    columns (page._check_fold refuses others: `render.py new 1641 --from 1640` and a short
    story imported onto its spread stopped so)."""
    from layout.pipeline import _fonts, load
    from layout.place.module import ModuleSetter
    from layout.place.page import Slot
    from layout.place.textset import Setter
    from layout.place.variants import Variants

    style = "kecheng-5col"
    path = generate(tmp_path / "shallow", pages=4, stories_per_page=(2, 6), photos=True, seed=206, style=style,
                    fill=0.95)
    issue, st = load(str(path), style)
    grid = st.grid
    ms = ModuleSetter(Setter(_fonts(st), st), grid)
    short = issue.stories["p2s2"]         # the band of page 2 (test_a_shallow_body_across_the_page...)
    slots = [Slot(short.id, None, None, None, None)]
    page = Variants(ms, issue, slots, 60, grid.columns)
    assert page._shallow_counts(short, grid.columns, [grid.columns])        # on one page: offered
    spread = Variants(ms, issue, slots, 60, 2 * grid.columns, fold=grid.columns)
    assert spread._shallow_counts(short, 2 * grid.columns, [2 * grid.columns]) == []
    assert spread._shallow_counts(short, grid.columns - 1, [grid.columns - 1])   # a page's part: offered
