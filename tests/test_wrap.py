"""Text wrapped around a photo (图文互斥, issue 19), with vertical headlines on both sides of
their stories, in a generated test issue (tools/gen_issue.py --wrap --vertical; test copy,
never real news), read back from the PDF: the lines beside the photo are shorter than the
column by the photo's width and the gap, every line is on the baseline grid, the text reads
in order around the photo, and no glyph stands in the photo's rectangle or its gap.
Also the composer's per-line measures (line_measures) on their own."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest

from layout.compose.model import ComposeSettings, Span
from layout.compose.paragraph import compose_paragraph
from layout.compose.testing import FakeMetrics, seed_paragraphs
from layout.pipeline import render
from layout.place.model import PhotoFrame, TextLine, VerticalText
from layout.place.module import baseline_in, story_columns
from pdfglyphs import pdf_glyphs
from genissue import read_generated, write_generated
from seed import ROOT

sys.path.insert(0, str(ROOT))
from tools.gen_issue import MARK, generate  # noqa: E402

LEAD, RIGHT, LEFT = "p1s1", "p1s2", "p1s3"
# the PDF draws an image a few hundredths of a point past its frame on each side
SLACK = 0.1
LEAD_AREA = {"columns": "1-6", "lines": "10-30"}


@pytest.fixture(scope="module")
def issue(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("wrap")
    path = generate(d, pages=1, stories_per_page=(4, 4), photos=False, seed=5, wrap=True, vertical=True)
    original = path.read_text(encoding="utf-8")
    assert "--wrap" in original.splitlines()[0] and MARK in original
    header, data = read_generated(path)
    lead, right, left, other = data["stories"]
    assert lead["photo"]["wrap"] == "center"
    assert right["headline_block"] == "vertical" and left.get("side") == "left"
    # the generated issue as the editor would fix it: the photo's place in the lead's text
    lead["photo"]["wrap"] = {"columns": 3, "lines": "3-13", "chars": 6, "side": "right"}
    left["body"] = left["body"][:-1]             # room for the lead above it
    other["headline"] = other["headline"][:12]   # short enough to be offered vertically
    data["pages"][0]["modules"] = [
        {"story": LEAD, "area": LEAD_AREA},
        {"story": RIGHT, "area": {"columns": "1-2", "lines": "31-82"}},
        {"story": LEFT, "area": {"columns": "3-4", "lines": "31-82"}},
        {"story": other["id"], "area": {"columns": "5-6", "lines": "31-82"}},
    ]
    return write_generated(path, header, data)


@pytest.fixture(scope="module")
def result(issue):
    return render(str(issue), issue.parent / "out.pdf", write=True)


@pytest.fixture(scope="module")
def glyphs(result):
    return [g for g in pdf_glyphs(result.pdf) if g.page == 1]


@pytest.fixture(scope="module")
def image_rect(result) -> tuple[float, float, float, float]:
    return _image_rect(result)


def _image_rect(result) -> tuple[float, float, float, float]:
    """The lead's photo as drawn in the PDF: (left, top, right, bottom) on the trim, y down."""
    doc = pdfium.PdfDocument(str(result.pdf))
    page = doc[0]
    trim = page.get_trimbox()
    frame = _frame(result)
    rects = []
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE]):
        x0, y0, x1, y1 = obj.get_bounds()
        rects.append((x0 - trim[0], trim[3] - y1, x1 - trim[0], trim[3] - y0))
    doc.close()
    near = [r for r in rects if abs(r[0] - frame.x) < 1 and abs(r[1] - frame.y) < 1]
    assert len(near) == 1, rects
    return near[0]


def _frame(result) -> PhotoFrame:
    frames = [it for it in result.laid.pages[0].items if isinstance(it, PhotoFrame) and it.owner == LEAD]
    assert len(frames) == 1
    return frames[0]


def _body_rows(result, glyphs):
    """The characters the PDF has in the lead's text area (under its headline block, to the
    module's foot), by baseline."""
    grid = result.style.grid
    first = min(it.baseline for it in result.laid.pages[0].items
                if isinstance(it, TextLine) and it.owner == LEAD and it.role == "body")
    top = first - grid.em
    bottom = grid.line_top(30)
    rows: dict[float, list] = {}
    for g in glyphs:
        if top <= g.baseline <= bottom:
            rows.setdefault(round(g.baseline, 2), []).append(g)
    return rows


def test_rendered_without_errors(result):
    errors = [f for f in result.preflight.findings if f.severity == "error"]
    assert errors == []
    assert not [f for f in result.preflight.findings if f.code.startswith("geometry")]


def test_vertical_headline_on_each_side(result):
    items = result.laid.pages[0].items
    for owner, side in ((RIGHT, "right"), (LEFT, "left")):
        heads = [it for it in items if isinstance(it, VerticalText) and it.owner == owner]
        body = [it for it in items if isinstance(it, TextLine) and it.owner == owner and it.role == "body"]
        assert heads and body
        if side == "right":
            assert min(h.x for h in heads) > max(b.x for b in body)
        else:
            assert max(h.x for h in heads) < min(b.x for b in body)


def test_lines_beside_photo_shorter_by_photo_and_gap(result, glyphs, image_rect):
    grid = result.style.grid
    em = grid.em
    gap = result.style.wrap_gap * em
    frame = _frame(result)
    cols = story_columns(grid, 6, None)
    col = 2                                     # columns: 3 in the issue
    col_left = grid.col_x(0) + cols.xs[col]
    col_right = col_left + cols.width
    assert abs(image_rect[2] - col_right) < 0.5          # side: right
    assert abs(frame.w - 6 * em) < 1e-6                  # chars: 6
    short = cols.width - frame.w - gap
    caption = _caption_glyphs(result, glyphs, image_rect)
    beside = []
    body = [it for it in result.laid.pages[0].items
            if isinstance(it, TextLine) and it.owner == LEAD and it.role == "body"]
    rect_bottom = max([frame.y + frame.h] + [it.baseline + 0.12 * em for it in result.laid.pages[0].items
                                              if isinstance(it, TextLine) and it.role == "caption"
                                              and it.owner == LEAD])
    for ln in body:
        if not col_left - 1 <= ln.x < col_right:
            continue
        top, bottom = ln.baseline - 0.88 * em, ln.baseline + 0.12 * em
        if bottom > frame.y - gap and top < rect_bottom + gap:
            beside.append(ln)
    assert len(beside) >= 12                   # lines 3-13 and the clear line above
    for ln in beside:
        assert abs(ln.x - col_left) < 1e-6
        # read back: the line's glyphs end before the gap, and (unless a paragraph's last
        # line) fill the short measure to within a half-width mark
        got = [g for k, g in enumerate(glyphs) if abs(g.baseline - ln.baseline) < 0.5
               and col_left - 1 <= g.left < col_right and k not in caption]
        assert got
        assert max(_em_right(g, em) for g in got) <= image_rect[0] - gap + SLACK
        last = max(got, key=lambda g: g.origin_x)
        end = last.origin_x + em
        if ln.glyphs[-1].index + 1 < len(_para_text_of(ln, result)):
            assert end >= col_left + short - 0.5 * em - 0.3
        # whole characters: the short measure is the column less the photo and gap in ems
    assert abs(short / em - round(short / em)) < 1e-9


def _em_right(g, em: float) -> float:
    """A glyph's right edge as set: its em box (pdfium's box may take the ink a little past it)."""
    return min(g.right, g.origin_x + em)


def _caption_glyphs(result, glyphs, image_rect) -> set[int]:
    """Indexes in `glyphs` of the lead photo's caption: under the image, inside its width, on
    a caption line's baseline."""
    bases = [it.baseline for it in result.laid.pages[0].items
             if isinstance(it, TextLine) and it.role == "caption" and it.owner == LEAD]
    left, _top, right, bottom = image_rect
    return {k for k, g in enumerate(glyphs)
            if g.left >= left - 0.5 and g.right <= right + 0.5 and g.top >= bottom - 0.5
            and any(abs(g.baseline - b) < 0.5 for b in bases)}


def _para_text_of(ln: TextLine, result) -> str:
    """The paragraph text the line was set from (its last glyph's index runs in it)."""
    story = result.issue.stories[LEAD]
    texts = [p.text for p in story.body]
    texts[0] = (story.dateline or "") + texts[0]
    for t in texts:
        if "".join(g.ch for g in ln.glyphs) in t:
            return t
    return ""


def test_all_lines_on_the_grid(result, glyphs):
    grid = result.style.grid
    allowed = {round(baseline_in(grid, k), 2) for k in range(grid.lines)}
    rows = _body_rows(result, glyphs)
    assert len(rows) >= 10
    for baseline in rows:
        assert any(abs(baseline - a) < 0.05 for a in allowed), baseline


def test_text_reads_in_order(result, glyphs, image_rect):
    """The body read back column by column, top down, left to right is the copy."""
    grid = result.style.grid
    cols = story_columns(grid, 6, None)
    story = result.issue.stories[LEAD]
    caption = {id(glyphs[k]) for k in _caption_glyphs(result, glyphs, image_rect)}
    assert caption
    rows = _body_rows(result, glyphs)
    cells = []
    for baseline, gs in rows.items():
        for g in gs:
            if id(g) in caption:
                continue
            c = max(k for k, x in enumerate(cols.xs) if grid.col_x(0) + x <= g.left + 1)
            cells.append((c, baseline, g.left, g.char))
    cells.sort()
    read = "".join(ch for *_, ch in cells)
    copy = (story.dateline or "") + "".join(p.text for p in story.body)
    assert read.replace(" ", "") == copy.replace(" ", "")


def test_no_glyph_in_photo_rect_and_gap(result, glyphs, image_rect):
    """The photo's rectangle is its image and the caption under it; no other glyph comes
    within the gap of it."""
    em = result.style.grid.em
    gap = result.style.wrap_gap * em
    caption = _caption_glyphs(result, glyphs, image_rect)
    left, top, right, bottom = image_rect
    bottom = max([bottom] + [glyphs[k].bottom for k in caption])
    assert bottom > image_rect[3]
    for k, g in enumerate(glyphs):
        if k in caption:
            continue
        inside = (_em_right(g, em) > left - gap + SLACK and max(g.left, g.origin_x) < right + gap - SLACK
                            and g.bottom > top - gap + SLACK and g.top < bottom + gap - SLACK)
        assert not inside, (g.char, g.left, g.top)


def test_wrap_keyword_from_the_generator(tmp_path):
    """The generated issue as it comes (`wrap: center`, the engine places and sizes the photo)."""
    path = generate(tmp_path, pages=1, stories_per_page=(4, 4), seed=5, wrap=True, vertical=True)
    res = render(str(path), tmp_path / "out.pdf", write=True)
    frame = [it for it in res.laid.pages[0].items if isinstance(it, PhotoFrame) and it.owner == LEAD]
    assert len(frame) == 1
    body = [it for it in res.laid.pages[0].items if isinstance(it, TextLine) and it.owner == LEAD
            and it.role == "body"]
    f = frame[0]
    em = res.style.grid.em
    for ln in body:
        top, bottom = ln.baseline - 0.88 * em, ln.baseline + 0.12 * em
        width = sum(g.advance for g in ln.glyphs)
        assert not (ln.x < f.x + f.w + em and ln.x + width > f.x - em and bottom > f.y and top < f.y + f.h)


def test_a_wrapped_story_with_more_copy_than_the_page_is_set_and_reported_over(tmp_path):
    """One story a page, its photo wrapped in its text, copy more than the page holds
    (generated --stories-per-page 1-1 --fill 1.0 --wrap): the page is made up, the story set
    as deep as the type area lets it round its photo and the rest reported over with the lines
    to cut and the jump to offer (exit 0; at 2d1cfd7 exit 2, 'no room on the page')."""
    from cli import run_main

    path = generate(tmp_path, pages=2, stories_per_page=(1, 1), seed=1, fill=1.0, wrap=True)
    code, out, err = run_main([str(path), "-o", str(tmp_path / "out.pdf")])
    assert code == 0 and not err, err
    res = render(str(path), write=False)
    page = res.laid.pages[0]
    lead = next(m for m in page.modules if m.owner == "p1s1")
    grid = res.style.grid
    assert lead.cell.cols == grid.columns and lead.cell.line + lead.cell.lines == grid.lines    # the whole type area
    assert lead.overset_lines > 0 and 0 < lead.capacity < lead.body_chars
    assert lead.set_chars + lead.overset_chars == lead.copy_chars                          # nothing lost unreported
    frame = [it for it in page.items if isinstance(it, PhotoFrame) and it.owner == "p1s1"]
    assert len(frame) == 1
    over = [f for f in res.laid.findings if f.code == "overset" and f.page == 1]
    assert over and "p1s1" in over[0].message and "wrapped photo" in over[0].message
    assert any(f.code == "overfull" and "jump 'p1s1'" in f.message for f in res.laid.findings)


def test_a_wrapped_story_that_cannot_end_level_is_still_set_and_reported(tmp_path):
    """One story across the broadsheet's eight columns, its photo wrapped, copy a page full
    (generated --fill 1.0 --wrap seed 5): no shape of its columns ends level round the photo, the
    last-resort search takes the one that holds all the copy and the page says so (wrap-level),
    where it had found no make-up (exit 2)."""
    from cli import run_main

    path = generate(tmp_path, pages=2, stories_per_page=(1, 1), seed=5, fill=1.0, wrap=True,
                    style="kecheng-broadsheet")
    code, _, err = run_main([str(path), "--style", "kecheng-broadsheet", "-o", str(tmp_path / "out.pdf")])
    assert code == 0 and not err, err
    res = render(str(path), style_arg="kecheng-broadsheet", write=False)
    lead = next(m for m in res.laid.pages[0].modules if m.owner == "p1s1")
    assert lead.overset_lines == 0 and lead.set_chars == lead.copy_chars
    assert any(f.code == "wrap-level" and f.page == 1 for f in res.laid.findings)


def _style_with(tmp_path: Path, **composition) -> Path:
    """kecheng.yaml with composition settings changed, its faces found where the project keeps them."""
    text = (ROOT / "styles" / "kecheng.yaml").read_text(encoding="utf-8").replace("../fonts/", f"{ROOT / 'fonts'}/")
    for key, value in composition.items():
        text, n = re.subn(rf"^(\s+){key}: \S+", rf"\g<1>{key}: {value}", text, count=1, flags=re.M)
        assert n == 1, key
    path = tmp_path / "style.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("seed", [1, 4])
def test_hanging_punctuation_never_hangs_into_a_wrapped_photo(tmp_path, seed):
    """A style that hangs 、，。 past the measure (行末悬挂): a paragraph running beside a wrapped
    photo hangs none, where one would stand in the gap round the picture (generated --wrap
    seeds 1 and 4: wrap-clear errors at 2d1cfd7); the other paragraphs hang as the style says."""
    from layout.check.preflight import wrap_findings

    style = _style_with(tmp_path, hanging="true")
    path = generate(tmp_path / "issue", pages=2, stories_per_page=(2, 4), seed=seed, fill=0.8, wrap=True,
                    style=str(style))
    res = render(str(path), style_arg=str(style), write=False)
    assert res.style.composition.hanging
    assert not wrap_findings(res.laid)
    # a column's measure: where its lines ending in an ideograph end; a mark hangs at or past it
    columns: dict[tuple, list] = {}
    for p in res.laid.pages:
        for ln in p.items:
            if isinstance(ln, TextLine) and ln.role == "body" and ln.glyphs:
                columns.setdefault((p.number, ln.owner, round(ln.x, 1)), []).append(ln)
    hung = 0
    for lines in columns.values():
        ends = [ln.glyphs[-1].x + ln.glyphs[-1].advance for ln in lines if "\u4e00" <= ln.glyphs[-1].ch <= "\u9fff"]
        if ends:
            hung += sum(1 for ln in lines if ln.glyphs[-1].ch in "、，。" and ln.glyphs[-1].x >= max(ends) - 0.01)
    assert hung             # (elsewhere on the pages marks do hang)


def test_an_opening_mark_cut_at_its_left_takes_the_room_its_ink_stands_in():
    """glyph_box: a line's first “ set half width has its origin half an em left of the line and
    takes the half from the line's start (a wrapped line beside a photo starts clear of its gap)."""
    from layout.check.preflight import glyph_box
    from layout.compose.model import SetGlyph

    quote = SetGlyph("“", "song", 9.0, -4.5, 4.5, 0)
    han = SetGlyph("中", "song", 9.0, 4.5, 9.0, 1)
    ln = TextLine(x=100.0, baseline=200.0, glyphs=(quote, han), color="black", owner="s", role="body")
    assert glyph_box(ln, quote)[:3] == (100.0, 200.0 - 0.88 * 9.0, 4.5)
    assert glyph_box(ln, han)[:3] == (104.5, 200.0 - 0.88 * 9.0, 9.0)


def test_bad_wrap_is_one_located_line(tmp_path, issue):
    text = issue.read_text(encoding="utf-8").replace("chars: 6\n", "chars: 1\n", 1)   # narrower than a photo
    bad = tmp_path / "issue.yaml"
    bad.write_text(text, encoding="utf-8")
    run = subprocess.run([sys.executable, str(ROOT / "render.py"), str(bad), "-o", str(tmp_path / "x.pdf")],
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "chars" in lines[0] and "issue.yaml:" in lines[0]


# -- the composer's per-line measures ---------------------------------------------------

def _longest() -> str:
    return max(seed_paragraphs(), key=len)


def test_line_measures_justify_every_line_to_its_measure():
    em = 9.0
    widths = [13 * em] * 3 + [6 * em] * 8 + [13 * em]
    text = _longest()
    par = compose_paragraph([Span(text=text, font="serif", size=em)], 13 * em, FakeMetrics(),
                            ComposeSettings(), line_measures=widths)
    assert "".join(g.ch for ln in par.lines for g in ln.glyphs) == text
    for k, ln in enumerate(par.lines):
        want = widths[min(k, len(widths) - 1)]
        assert ln.measure == want
        if not ln.last:
            assert abs(ln.width - want) < 0.01
        # prohibitions hold on the short lines as on the full ones
        assert ln.glyphs[0].ch not in "，。、；：？！）》」』”’"
        assert ln.glyphs[-1].ch not in "（《「『“‘"


def test_line_measures_all_equal_is_the_one_measure_path():
    em = 9.0
    spans = [Span(text=_longest(), font="serif", size=em)]
    one = compose_paragraph(spans, 13 * em, FakeMetrics(), ComposeSettings())
    same = compose_paragraph(spans, 99.0, FakeMetrics(), ComposeSettings(), line_measures=[13 * em] * 4)
    assert [(ln.start, ln.end, ln.width) for ln in one.lines] == [(ln.start, ln.end, ln.width) for ln in same.lines]


def test_line_measures_first_fit_breaker():
    em = 9.0
    widths = [13 * em] * 2 + [7 * em] * 6 + [13 * em]
    text = _longest()
    par = compose_paragraph([Span(text=text, font="serif", size=em)], 13 * em, FakeMetrics(),
                            ComposeSettings(breaker="first"), line_measures=widths)
    assert "".join(g.ch for ln in par.lines for g in ln.glyphs) == text
    for k, ln in enumerate(par.lines[:-1]):
        assert abs(ln.width - widths[min(k, len(widths) - 1)]) < 0.01


# -- the make-up search's vertical-headline variants ------------------------------------

def _variants(result, slot_story: str, lead: bool = False):
    from layout.place import cost
    from layout.place.module import ModuleSetter
    from layout.place.page import Slot
    from layout.place.textset import Setter
    from layout.place.variants import Variants

    ms = ModuleSetter(Setter(result.fonts, result.style), result.style.grid)
    slots = [Slot(slot_story, None, None, None, None)]
    return Variants(ms, result.issue, slots, 60, result.style.grid.columns), cost


def test_short_headline_gets_vertical_variants_at_a_cost(result):
    """The fourth story's headline is short: the search may set it vertically, at a cost."""
    story = result.issue.stories["p1s4"]
    assert story.headline_block == "horizontal" and not story.deck
    assert len(story.headline) <= 16
    variants, cost = _variants(result, "p1s4")
    vertical = [(h, c) for w in (2, 3, 4) for h, (c, v) in variants._vertical(story, w, False, None).items()]
    assert vertical
    assert all(c >= cost.VERTICAL_HEADLINE for _, c in vertical)
    # the lead keeps its headline across
    assert variants._vertical(story, 3, True, None) == {}
    # in the shapes the search reads, a vertical one stands only where it is the cheapest
    for w in (2, 3, 4):
        shapes = variants.shapes(0, w)
        for h, (c, v) in shapes.items():
            if v.vertical:
                others = [cc for hh, (cc, vv) in shapes.items() if hh == h and not vv.vertical]
                assert not others
        assert any(not v.vertical for _, v in shapes.values())


def test_long_headline_has_no_vertical_variant(result):
    import msgspec.structs
    story = msgspec.structs.replace(result.issue.stories["p1s4"], headline="测" * 17)
    variants, _ = _variants(result, "p1s4")
    assert variants._vertical(story, 3, False, None) == {}


def test_editor_vertical_story_has_only_vertical_shapes(result):
    variants, cost = _variants(result, RIGHT)
    shapes = variants.shapes(0, 2)
    assert shapes and all(v.vertical for _, v in shapes.values())


def test_generated_issue_placed_by_the_engine(tmp_path):
    """`gen_issue --wrap --vertical` as generated, every module placed by the engine: no overset,
    both vertical headline blocks and the wrapped photo set."""
    path = generate(tmp_path, pages=1, stories_per_page=(4, 4), seed=5, wrap=True, vertical=True)
    res = render(str(path), tmp_path / "auto.pdf", write=True)
    assert not [f for f in res.preflight.findings if f.code in ("overset", "headline-fit", "photo-fit")]
    items = res.laid.pages[0].items
    assert {it.owner for it in items if isinstance(it, VerticalText)} == {RIGHT, LEFT}
    assert [it for it in items if isinstance(it, PhotoFrame) and it.owner == LEAD]


def test_preflight_finds_a_glyph_in_the_clear_rectangle(result):
    """wrap_findings: the rendered lead is clean; a line moved into the gap is an error."""
    import msgspec.structs

    from layout.check.preflight import wrap_findings
    from layout.place.model import LaidOutIssue, PlacedPage

    assert wrap_findings(result.laid) == []
    page = result.laid.pages[0]
    frame = _frame(result)
    assert frame.clear is not None and frame.clear[0] < frame.x
    body = next(it for it in page.items if isinstance(it, TextLine) and it.owner == LEAD and it.role == "body"
                and frame.y < it.baseline < frame.y + frame.h and it.x < frame.x < it.x + frame.w * 3)
    moved = msgspec.structs.replace(body, x=body.x + result.style.grid.em)   # one character into the gap
    items = tuple(moved if it is body else it for it in page.items)
    laid = LaidOutIssue(pages=(msgspec.structs.replace(page, items=items),), findings=())
    found = wrap_findings(laid)
    assert [f.code for f in found] == ["wrap-clear"] and found[0].severity == "error"



# -- columns level (齐底) and the module's exact height ----------------------------------

def _column_ends_from_pdf(res, owner: str) -> tuple[list[float], float, float]:
    """Per story column of `owner`'s module, the last baseline the PDF has in it (the body
    and, in the photo's column, its caption), with the module's first body baseline and the
    baseline of the module's last grid line."""
    grid = res.style.grid
    page = res.laid.pages[0]
    pm = next(m for m in page.modules if m.owner == owner)
    cell = pm.cell
    cols = story_columns(grid, cell.cols, None)
    x0 = grid.col_x(cell.col)
    first = min(it.baseline for it in page.items if isinstance(it, TextLine) and it.owner == owner
                and it.role == "body")
    foot = baseline_in(grid, cell.line + cell.lines - 1)
    ends = []
    glyphs = [g for g in pdf_glyphs(res.pdf) if g.page == 1 and first - 0.5 <= g.baseline <= foot + 0.5]
    for x in cols.xs:
        inside = [g.baseline for g in glyphs if x0 + x - 0.5 <= g.left and g.origin_x < x0 + x + cols.width - 1]
        assert inside, f"story column at {x0 + x:.1f} pt is empty"
        ends.append(max(inside))
    return ends, first, foot


@pytest.mark.parametrize("seed,style", [(5, None), (3, None), (7, None), (5, "kecheng-5col"),
                                        (11, "kecheng-tabloid"), (11, "kecheng-broadsheet")])
def test_wrapped_columns_end_level_and_module_exact(tmp_path, seed, style):
    """The engine's make-up sizes the wrapped lead from its copy set around the photo (the lines
    lost beside it counted): read back from the PDF, every story column's last baseline is
    within one grid line of the others', and the deepest is the module's last grid line (the
    variant is exact: no white at its foot, no overset)."""
    path = generate(tmp_path, pages=1, stories_per_page=(4, 4), seed=seed, wrap=True, vertical=True)
    res = render(str(path), tmp_path / "out.pdf", style_arg=style, write=True)
    assert [it for it in res.laid.pages[0].items if isinstance(it, PhotoFrame) and it.owner == LEAD]
    assert not [f for f in res.preflight.findings if f.code in ("overset", "wrap-level", "wrap-clear")]
    pitch = res.style.grid.pitch
    ends, _first, foot = _column_ends_from_pdf(res, LEAD)
    assert max(ends) - min(ends) <= pitch + 0.05, ends
    assert abs(max(ends) - foot) < 0.05, (ends, foot)


def test_copy_short_for_the_plans_photo_place_is_reported(result):
    """The fixture's plan puts the photo at lines 3-13 of the lead's text, deeper than its copy
    reaches over six columns: the columns cannot end level, and the page says so (a warning
    naming the story and its columns' ends) instead of leaving it silently ragged."""
    found = [f for f in result.preflight.findings if f.code == "wrap-level"]
    assert len(found) == 1 and f"'{LEAD}'" in found[0].message and found[0].severity == "warning"
    ends = [int(x) for x in found[0].message.split("(lines per column ")[1].split(")")[0].split(", ")]
    assert len(ends) == 6 and max(ends) - min(ends) > 1


def test_jumped_story_with_wrap_is_refused_located(tmp_path):
    """A story that jumps (转版) is cut into parts by its full-measure lines, so its photo cannot
    stand inside its text: the render refuses the plan with one line at the module's `jump:`
    (exit 2) instead of setting the photo across the top without a word."""
    path = generate(tmp_path, pages=2, stories_per_page=(3, 3), seed=5, wrap=True)
    header, data = read_generated(path)
    assert data["stories"][0]["photo"]["wrap"]
    data["pages"][0]["modules"][0]["jump"] = 2
    write_generated(path, header, data)
    jump_line = next(k for k, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                     if ln.strip() == "jump: 2")
    run = subprocess.run([sys.executable, str(ROOT / "render.py"), str(path), "-o", str(tmp_path / "x.pdf")],
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert run.returncode == 2, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert f"issue.yaml:{jump_line}:" in lines[0] and "wrap" in lines[0] and "p1s1" in lines[0]
    assert not (tmp_path / "x.pdf").exists()
    # without the wrap the same plan renders, the photo across the top of the first part
    del data["stories"][0]["photo"]["wrap"]
    write_generated(path, header, data)
    ok = subprocess.run([sys.executable, str(ROOT / "render.py"), str(path), "-o", str(tmp_path / "x.pdf")],
                        capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert ok.returncode == 0, ok.stderr


# -- a photo across the gutter between two story columns (wrap: center, or the plan's columns) ----

GUTTER_PLANS = {
    "center": "center",                                          # the generator's keyword, engine-sized
    "plan": {"columns": "2-3", "chars": 16, "side": "center"},   # the plan's columns, its width across them
}


@pytest.fixture(scope="module", params=sorted(GUTTER_PLANS))
def across(request, tmp_path_factory):
    """The generated issue, every module placed by the engine, the lead's photo standing across a
    gutter; with its PDF's glyphs, the lead's module, its story columns and the image as drawn."""
    d = tmp_path_factory.mktemp(f"across-{request.param}")
    path = generate(d, pages=1, stories_per_page=(4, 4), seed=5, wrap=True, vertical=True)
    header, data = read_generated(path)
    data["stories"][0]["photo"]["wrap"] = GUTTER_PLANS[request.param]
    write_generated(path, header, data)
    res = render(str(path), d / "out.pdf", write=True)
    page = res.laid.pages[0]
    pm = next(m for m in page.modules if m.owner == LEAD)
    cols = story_columns(res.style.grid, pm.cell.cols, None)
    glyphs = [g for g in pdf_glyphs(res.pdf) if g.page == 1]
    return request.param, res, glyphs, pm, cols, _image_rect(res)


def _across_columns(res, pm, cols, rect) -> tuple[int, float, float]:
    """The story column the image's left edge stands in, with that column's and the next one's
    left edges on the page."""
    x0 = res.style.grid.col_x(pm.cell.col)
    c = max(k for k, x in enumerate(cols.xs) if x0 + x <= rect[0])
    return c, x0 + cols.xs[c], x0 + cols.xs[c + 1]


def _rows_beside(res, glyphs, rect, caption, left: float, right: float) -> dict[float, list]:
    """The lead's glyphs between `left` and `right` on the baselines whose em box comes within the
    gap of the photo's rectangle (image and caption), by baseline."""
    em = res.style.grid.em
    gap = res.style.wrap_gap * em
    bottom = max([rect[3]] + [glyphs[k].bottom for k in caption])
    rows: dict[float, list] = {}
    for k, g in enumerate(glyphs):
        if k in caption or not left - 0.5 <= g.left < right:
            continue
        if g.baseline + 0.12 * em > rect[1] - gap and g.baseline - 0.88 * em < bottom + gap:
            rows.setdefault(round(g.baseline, 2), []).append(g)
    return rows


def test_photo_stands_across_a_gutter_a_column_and_more_wide(across):
    """Not a stamp in one column: the image reaches into two story columns, whole characters
    into each, at least a column wide and at most a column and a half."""
    _name, res, _glyphs, pm, cols, rect = across
    em = res.style.grid.em
    c, left, nxt = _across_columns(res, pm, cols, rect)
    assert left < rect[0] < left + cols.width and nxt < rect[2] < nxt + cols.width, (rect, left, nxt)
    width = rect[2] - rect[0] - 2 * SLACK
    assert cols.width - 0.5 <= width <= 1.5 * cols.width + (nxt - left - cols.width) + 0.5
    for edge in (rect[0] - left, rect[2] - nxt):
        assert abs(edge / em - round(edge / em)) < 0.02, edge


def test_lines_in_both_columns_beside_photo_shorter_by_overlap_and_gap(across):
    """Read back from the PDF: beside the photo, the left column's lines start at its left edge
    and end a gap before the image; the right column's start a gap after it and end at the
    column's right edge; each is the column less the photo's overlap and the gap, in whole
    characters (a line not ending its paragraph fills it to within a half-width mark)."""
    _name, res, glyphs, pm, cols, rect = across
    em = res.style.grid.em
    gap = res.style.wrap_gap * em
    c, left, nxt = _across_columns(res, pm, cols, rect)
    caption = _caption_glyphs(res, glyphs, rect)
    over_left = round((left + cols.width - rect[0] - SLACK) / em)
    over_right = round((rect[2] - SLACK - nxt) / em)
    short_left = cols.chars - over_left - res.style.wrap_gap
    short_right = cols.chars - over_right - res.style.wrap_gap
    assert min(short_left, short_right) >= 4
    lefts = _rows_beside(res, glyphs, rect, caption, left, left + cols.width)
    rights = _rows_beside(res, glyphs, rect, caption, nxt, nxt + cols.width)
    img_lines = (rect[3] - rect[1]) / res.style.grid.pitch
    assert len(lefts) >= img_lines and len(rights) >= img_lines, (len(lefts), len(rights), img_lines)
    body = [it for it in res.laid.pages[0].items if isinstance(it, TextLine) and it.owner == LEAD and it.role == "body"]
    for rows, start, short, limit in ((lefts, left, short_left, rect[0] - gap),
                                      (rights, rect[2] - SLACK + gap, short_right, nxt + cols.width)):
        for baseline, gs in rows.items():
            assert min(g.left for g in gs) >= start - SLACK - 0.5 * em   # a paragraph's opening mark may sit left in its em
            assert max(_em_right(g, em) for g in gs) <= limit + SLACK
            line = next((ln for ln in body if abs(ln.baseline - baseline) < 0.05 and start - 1 <= ln.x < start + 3 * em),
                        None)
            assert line is not None, baseline
            assert abs(line.x - start) < 2 * em + 0.01                   # at the edge (or its indent)
            if line.glyphs[-1].index + 1 < len(_para_text_of(line, res)):
                assert max(g.origin_x for g in gs) + em >= start + short * em - 0.5 * em - 0.3


def test_across_no_glyph_in_rect_and_gap_and_lines_on_grid(across):
    """No glyph but the caption's within the gap of the image and caption; every glyph of the
    lead's text area on a grid line's baseline."""
    _name, res, glyphs, pm, cols, rect = across
    grid = res.style.grid
    em, gap = grid.em, res.style.wrap_gap * grid.em
    caption = _caption_glyphs(res, glyphs, rect)
    assert caption
    bottom = max(glyphs[k].bottom for k in caption)
    allowed = [baseline_in(grid, k) for k in range(grid.lines)]
    top_y = min(it.baseline for it in res.laid.pages[0].items          # under the headline block
                if isinstance(it, TextLine) and it.owner == LEAD and it.role == "body") - 0.5
    foot = grid.line_top(pm.cell.line + pm.cell.lines)
    for k, g in enumerate(glyphs):
        if k in caption:
            continue
        inside = (_em_right(g, em) > rect[0] - gap + SLACK and max(g.left, g.origin_x) < rect[2] + gap - SLACK
                  and g.bottom > rect[1] - gap + SLACK and g.top < bottom + gap - SLACK)
        assert not inside, (g.char, g.left, g.top)
        if top_y <= g.baseline <= foot:
            assert min(abs(g.baseline - a) for a in allowed) < 0.05, g


def test_across_text_reads_in_order_and_columns_end_level(across):
    """The lead's body read back column by column, top down, left to right is its copy; every
    column's last baseline is within a line of the others' and the deepest is the module's foot;
    no overset, no wrap finding."""
    _name, res, glyphs, pm, cols, rect = across
    grid = res.style.grid
    assert not [f for f in res.preflight.findings if f.code in ("overset", "wrap-level", "wrap-clear")]
    caption = _caption_glyphs(res, glyphs, rect)
    x0 = grid.col_x(pm.cell.col)
    first = min(it.baseline for it in res.laid.pages[0].items
                if isinstance(it, TextLine) and it.owner == LEAD and it.role == "body")
    foot = baseline_in(grid, pm.cell.line + pm.cell.lines - 1)
    cells = []
    for k, g in enumerate(glyphs):
        if k in caption or not first - 0.5 <= g.baseline <= foot + 0.5 or not x0 - 1 <= g.left < x0 + pm.cell.cols * 999:
            continue
        if g.left > x0 + cols.xs[-1] + cols.width:
            continue
        c = max(j for j, x in enumerate(cols.xs) if x0 + x <= g.left + 1)
        cells.append((c, round(g.baseline, 2), g.left, g.char))
    cells.sort()
    story = res.issue.stories[LEAD]
    copy = (story.dateline or "") + "".join(p.text for p in story.body)
    assert "".join(ch for *_, ch in cells).replace(" ", "") == copy.replace(" ", "")
    ends, _first, foot = _column_ends_from_pdf(res, LEAD)
    assert max(ends) - min(ends) <= grid.pitch + 0.05, ends
    assert abs(max(ends) - foot) < 0.05, (ends, foot)


def test_no_stub_line_beside_a_photo():
    """A photo's edge that would leave a line under 4 characters in a column takes that whole
    column; `wrap: center`'s width leaves readable lines, or whole columns where it cannot."""
    from layout.place.module import StoryColumns
    from layout.place.wrap import MIN_SHORT_CHARS, WrapPlace, _snap, beside, default_chars

    em = 9.0
    cols = StoryColumns(count=3, chars=13, xs=(0.0, 14 * em, 28 * em), width=13 * em)
    w = default_chars(cols, 1, 1)
    assert cols.chars + 1 <= w <= 1.5 * cols.chars + 1                      # a column and more, not a stamp
    assert cols.chars - (w - 1) // 2 - 1 >= MIN_SHORT_CHARS
    assert default_chars(StoryColumns(count=3, chars=8, xs=(0.0, 9 * em, 18 * em), width=8 * em), 1, 1) is None
    # 2 characters + the gap left of the photo in column 1: the photo takes column 1 from its edge
    x, width = _snap(cols, 3 * em, 18 * em, 1, em)
    assert x == 0.0 and width == 21 * em
    # the gap and 5 characters right of it in column 2: kept, its lines start after the gap
    place = WrapPlace(column=0, columns=2, line=2, lines=5, img_lines=4, x=x, width=width, chars=21,
                      side="left", cap=None, gap=1)
    assert beside(cols, 0, place, em) is None
    assert beside(cols, 1, place, em) == (8 * em, 5 * em)
    assert beside(cols, 2, place, em) == (0.0, 13 * em)
    # its right edge leaving 3 characters: the photo takes column 2 to its edge as well
    assert _snap(cols, 0.0, 23 * em, 1, em) == (0.0, 27 * em)


def test_vertical_fills_are_each_heights_level_photo_size(result):
    """vertical.vertical_fills balances each photo size once per body width and reads its level
    heights from it; asked height by height (the body balanced into each height with every photo
    size the module setter may choose, kept where every column ends at the foot or a line above
    it, the fewest short column-lines first), the heights and fills are the same, for every
    story of the page, with its photo or without, at two to four columns."""
    import math

    import msgspec

    from layout.place.module import ModuleSetter, balance, story_columns
    from layout.place.textset import Setter
    from layout.place.vertical import _needs_at, vertical_fill_range, vertical_fills

    ms = ModuleSetter(Setter(result.fonts, result.style), result.style.grid)
    asked = 0
    for story in result.issue.stories.values():
        vstory = msgspec.structs.replace(story, headline_block="vertical")
        for cols in (2, 3, 4):
            got = vertical_fills(ms, vstory, cols, None)
            span = vertical_fill_range(ms, vstory, cols, None)
            want = []
            for h in range(span[0], span[1] + 2) if span else ():
                head, k = _needs_at(ms, vstory, h)
                if k >= cols or math.ceil((head.longest + 2 * ms.grid.em) / ms.grid.pitch) > h:
                    continue
                sc = story_columns(ms.grid, cols - k, None)
                text = ms.body_lines(vstory, sc.width)
                n, best = len(text.lines), None
                for plan in ms.photo_plans(vstory, sc):
                    starts = [plan.lines if c < plan.cols else 0 for c in range(sc.count)]
                    bottom, per_column = balance(n, starts, h)
                    foot = plan.lines - 1 if plan.cols else 0
                    if max(bottom, foot) > h or sum(per_column) < n:
                        continue
                    ends = [foot if per_column[c] == 0 and c < plan.cols else starts[c] + per_column[c]
                            for c in range(sc.count)]
                    if max(h - e for e in ends) <= 1 and (best is None or sum(h - e for e in ends) < best[1]):
                        best = (h, sum(h - e for e in ends), sum(max(0, h - s) for s in starts) * sc.chars,
                                text.chars, head.fits)
                if best is not None:
                    want.append(best)
            assert [(f.lines, f.short, f.room_chars, f.copy_chars, f.fits) for f in got] == want, (story.id, cols)
            asked += len(want)
    assert asked > 10
