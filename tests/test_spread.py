"""Spreads (通版, issue 17): two facing pages made up as one design across the fold, on a
generated test issue (`tools/gen_issue.py --spread 2`, test copy) read back from the PDF: the
lead's headline across the 中缝 split at the fold between pages 2 and 3 and reading whole, a
photo printed across the fold in two parts that meet there, each page with its own header,
editors' line and marks, no module straddling the fold but one across the spread, every
character set once; and the spread's bad input as one located line, exit 2."""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pypdf
import pypdfium2 as pdfium
import pytest

from layout.check.accounting import story_copy
from layout.load.style import find_style, load_style
from layout.load.units import MM
from layout.pipeline import render
from layout.place.model import Box, Cell, PhotoFrame, PlacedModule, Rule, TextLine
from layout.place.spread import crosses, on_paper, split, spread_frame
from genissue import read_generated, write_generated
from pdfglyphs import pdf_glyphs, spread_lines
from cli import run_main
from seed import ROOT, squash

sys.path.insert(0, str(ROOT))
from tools.gen_issue import generate  # noqa: E402

STYLE = load_style(find_style("kecheng", ROOT, ROOT / "styles"))
WIDTH = STYLE.page.width
N = STYLE.grid.columns


@pytest.fixture(scope="module")
def spread(tmp_path_factory):
    """A 4-page test issue, pages 2-3 one spread; the make-up sets its lead across the fold."""
    path = generate(tmp_path_factory.mktemp("spread"), pages=4, seed=1, fill=0.9, photos=True, spread=2,
                    editors=True)
    result = render(str(path), path.parent / "spread.pdf", write=True)
    return path, result


@pytest.fixture(scope="module")
def photo_across(tmp_path_factory):
    """The same issue with the desk's area for the lead across the spread's top and its photo
    eight columns wide: across the fold."""
    path = generate(tmp_path_factory.mktemp("photo"), pages=4, seed=1, fill=0.9, photos=True, spread=2)
    head, data = read_generated(path)
    plan = next(p for p in data["pages"] if "spread" in p)
    plan["modules"][0]["area"] = {"columns": f"1-{2 * N}", "lines": "4-50"}
    lead = next(s for s in data["stories"] if s["id"] == plan["modules"][0]["story"])
    lead["photo"]["columns"] = N + 2
    write_generated(path, head, data)
    return path, render(str(path), path.parent / "photo.pdf", write=True)


def _lead(result):
    """The spread's lead: the first story of its plan (an ad booking may come before it)."""
    return next(m.story for m in result.issue.pages[1].modules if m.story)


def test_the_plan_joins_pages_2_and_3(spread):
    path, result = spread
    pages = result.issue.pages
    assert [p.number for p in pages] == [1, 2, 3, 4]
    assert pages[1].spread == pages[2].spread == (2, 3) and pages[0].spread is None and pages[3].spread is None
    assert pages[2].modules == () and len(pages[1].modules) >= 3      # the spread's modules, on its left page
    assert [p.number for p in result.laid.pages] == [1, 2, 3, 4]
    assert len(pypdf.PdfReader(result.pdf).pages) == 4


def test_no_module_straddles_the_fold_but_the_lead_across_the_spread(spread):
    _, result = spread
    left, right = result.laid.pages[1], result.laid.pages[2]
    lead = _lead(result)
    across = [m for m in left.modules if m.across_fold]
    assert [m.owner for m in across] == [lead]
    assert [m.owner for m in right.modules if m.fold_part] == [lead]
    part_l = next(m for m in left.modules if m.owner == lead)
    part_r = next(m for m in right.modules if m.owner == lead)
    # one band across both pages: to the fold from the left page's first column and the right's last
    assert (part_l.cell.col, part_l.cell.col + part_l.cell.cols) == (0, N)
    assert (part_r.cell.col, part_r.cell.col + part_r.cell.cols) == (0, N)
    assert part_l.cell.line == part_r.cell.line and part_l.cell.lines == part_r.cell.lines
    for page in (left, right):
        for m in page.modules:
            assert 0 <= m.cell.col and m.cell.col + m.cell.cols <= N, (page.number, m.owner, m.cell)
    # its copy counted once: on the left page
    assert part_r.capacity == part_r.copy_chars == part_r.set_chars == 0 and part_l.body_chars > 1000


def test_headline_across_the_fold_is_split_there_and_reads_whole(spread):
    _, result = spread
    story = result.issue.stories[_lead(result)]
    glyphs = pdf_glyphs(result.pdf)
    gutter = STYLE.grid.gutter
    # the main headline's line: its characters on both pages at one baseline
    rows = spread_lines(glyphs, 2, WIDTH)
    hit = [(b, t) for b, t in rows if squash(story.headline) in squash(t)]
    assert hit, story.headline
    base = hit[0][0]
    on_left = [g for g in glyphs if g.page == 2 and abs(g.baseline - base) < 0.5]
    on_right = [g for g in glyphs if g.page == 3 and abs(g.baseline - base) < 0.5]
    assert on_left and on_right
    text_l = "".join(g.char for g in sorted(on_left, key=lambda g: g.left))
    text_r = "".join(g.char for g in sorted(on_right, key=lambda g: g.left))
    assert text_l + text_r == squash(story.headline)      # split once, at the fold, nothing repeated
    # each part inside its own trim, the fold at least half a gutter clear of both
    assert max(g.right for g in on_left) <= WIDTH - gutter / 2 + 0.5
    assert min(g.left for g in on_right) >= gutter / 2 - 0.5
    assert min(g.left for g in on_left) > 0 and max(g.right for g in on_right) < WIDTH
    # set on paper as one line: centred on the fold, within a character
    size = max(g.bottom - g.top for g in on_left)
    left_span = WIDTH - min(g.left for g in on_left)
    right_span = max(g.right for g in on_right)
    assert abs(left_span - right_span) < 1.5 * size


def test_each_page_of_the_spread_has_its_own_header_editors_and_marks(spread):
    path, result = spread
    reader = pypdf.PdfReader(result.pdf)
    for n in (2, 3):
        text = squash(reader.pages[n - 1].extract_text())
        assert f"第{n}版" in text
        assert "责任编辑：测试编辑2-3" in text and "校对：测试校对2-3" in text
        trim = reader.pages[n - 1].trimbox
        media = reader.pages[n - 1].mediabox
        assert float(trim.width) == pytest.approx(WIDTH, abs=0.01)
        assert float(media.width) > float(trim.width)          # bleed and crop marks round each page


def test_every_character_of_the_spread_is_set_once(spread):
    _, result = spread
    glyphs = pdf_glyphs(result.pdf)
    on_spread = Counter(g.char for g in glyphs if g.page in (2, 3))
    for m in result.issue.pages[1].modules:
        copy = Counter(ch for ch in story_copy(result.issue, m.story) if not ch.isspace())
        assert not copy - on_spread, m.story
    for b in result.balance:
        assert b.overset == 0 or b.story.startswith("p4"), b


def test_photo_across_the_fold_is_printed_in_two_parts_that_meet_there(photo_across):
    _, result = photo_across
    lead = _lead(result)
    frames = {p.number: [it for it in p.items if isinstance(it, PhotoFrame) and it.owner == lead]
              for p in result.laid.pages[1:3]}
    (left,), (right,) = frames[2], frames[3]
    assert left.clip is not None and right.clip is not None
    # one frame on paper: the same width, the right page's copy moved by a page's width
    assert left.w == pytest.approx(right.w) and right.x == pytest.approx(left.x - WIDTH)
    lx, ly, lw, lh = left.clip
    rx, ry, rw, rh = right.clip
    assert lx + lw == pytest.approx(WIDTH) and rx == 0.0 and ly == ry and lh == rh
    # in the PDF: the image drawn on both pages, and ink on both sides of the fold
    doc = pdfium.PdfDocument(str(result.pdf))
    scale = 2.0
    for index, column in ((1, -2), (2, 1)):
        page = doc[index]
        assert list(page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE]))
        w, h = page.get_size()
        tl, tb, tr, tt = page.get_trimbox()
        im = page.render(scale=scale, crop=(tl, tb, w - tr, h - tt), grayscale=True).to_pil()
        x = column if column > 0 else im.width + column
        ys = [round((ly + lh * k / 20) * scale) for k in range(2, 19)]
        dark = sum(1 for y in ys if im.getpixel((x, y)) < 235)
        assert dark >= len(ys) // 2, (index + 1, dark)      # the photo reaches the trim at the fold


def test_a_frame_across_the_fold_is_one_frame(tmp_path):
    """Issue 1640's pages 2-3: one reserved frame across the fold, its rules run on to it."""
    result = render("1640", tmp_path / "1640.pdf", write=False)
    left, right = result.laid.pages[1], result.laid.pages[2]
    assert [m.across_fold for m in left.modules] == [True] and [m.fold_part for m in right.modules] == [True]
    top = min(r.y0 for r in left.items if isinstance(r, Rule) and r.y0 == r.y1 and r.dash)
    assert any(isinstance(r, Rule) and r.dash and r.y0 == top and r.x1 == pytest.approx(WIDTH) for r in left.items)
    assert any(isinstance(r, Rule) and r.dash and r.y0 == top and r.x0 == 0.0 for r in right.items)
    # no frame edge at the fold on either page
    assert not any(isinstance(r, Rule) and r.dash and r.x0 == r.x1 and r.x0 > WIDTH - 20 * MM for r in left.items)
    assert not any(isinstance(r, Rule) and r.dash and r.x0 == r.x1 and r.x0 < 20 * MM for r in right.items)
    codes = [(f.code, f.page) for f in result.preflight.findings]
    assert ("awaiting-copy", 2) in codes and ("awaiting-copy", 3) in codes and not result.preflight.errors


def test_split_cuts_each_kind_of_item_at_the_fold():
    """The cutting itself, item by item, on a spread of the house grid."""
    frame = spread_frame(STYLE.grid, STYLE.page, 60)
    g = frame.grid
    band = Cell(0, 5, 2 * N, 10)
    assert crosses(band, frame) and not crosses(Cell(N, 5, N, 10), frame) and not crosses(Cell(0, 5, N, 10), frame)
    x0, x1 = g.col_x(0), g.col_x(2 * N - 1) + g.column_width
    rule = Rule(x0, 100.0, x1, 100.0, 0.5, "black")
    fold_rule = Rule(frame.fold, 100.0, frame.fold, 200.0, 0.5, "black")
    box = Box(x0, 100.0, x1 - x0, 50.0, stroke="grey", dash=(6, 4))
    left, right, _, _ = split(frame, [(band, [rule, box]), (None, [fold_rule])], [])
    rules_l = [r for r in left if isinstance(r, Rule)]
    rules_r = [r for r in right if isinstance(r, Rule)]
    assert any(r.x0 == pytest.approx(frame.to_left(x0)) and r.x1 == pytest.approx(WIDTH) for r in rules_l)
    assert any(r.x0 == 0.0 and r.x1 == pytest.approx(on_paper(frame, x1) - WIDTH) for r in rules_r)
    assert all(not (r.x0 == r.x1 and abs(r.x0 - frame.to_left(frame.fold)) < 1) for r in rules_l)   # fold rule dropped
    # the box: three sides a page, open at the fold (no vertical edge within 1 pt of it)
    assert sum(1 for r in rules_l if r.x0 == r.x1) == 1 and sum(1 for r in rules_r if r.x0 == r.x1) == 1
    assert all(r.x0 < WIDTH - 1 for r in rules_l if r.x0 == r.x1)
    assert all(r.x0 > 1 for r in rules_r if r.x0 == r.x1)
    # modules: left, right, across
    mods = [PlacedModule("a", Cell(0, 5, N, 10), True, 100, 90, 90, 0, 0, body_chars=90),
            PlacedModule("b", Cell(N + 1, 5, 2, 10), True, 50, 40, 40, 0, 0, body_chars=40),
            PlacedModule("c", band, True, 300, 280, 280, 0, 0, body_chars=280)]
    _, _, ml, mr = split(frame, [], mods)
    assert [(m.owner, m.cell.col, m.cell.cols, m.across_fold) for m in ml] == [("a", 0, N, False), ("c", 0, N, True)]
    assert [(m.owner, m.cell.col, m.cell.cols, m.fold_part) for m in mr] == [("b", 1, 2, False), ("c", 0, N, True)]
    assert next(m for m in mr if m.owner == "c").body_chars == 0


def test_a_spread_gutter_moves_the_type_areas_to_the_fold(tmp_path):
    """`page.spread_gutter` (中缝): the two type areas stand that far apart across the fold."""
    text = (ROOT / "styles" / "kecheng.yaml").read_text(encoding="utf-8")
    (tmp_path / "styles").mkdir()
    (tmp_path / "fonts").symlink_to(ROOT / "fonts")         # the style's paths are relative to it
    style = tmp_path / "styles" / "narrow.yaml"
    style.write_text(text.replace("  margin_top: 14mm", "  margin_top: 14mm\n  spread_gutter: 10mm", 1), encoding="utf-8")
    result = render("1640", tmp_path / "narrow.pdf", style_arg=str(style), write=True)
    left, right = result.laid.pages[1], result.laid.pages[2]
    grid = result.style.grid
    assert left.grid_left == pytest.approx(WIDTH - 5 * MM - grid.width)
    assert right.grid_left == pytest.approx(5 * MM)
    assert result.laid.pages[3].grid_left is None           # page 4 stands alone
    assert not result.preflight.errors
    # each page's header stands in its moved type area (the right page's inside edge is its left)
    glyphs = pdf_glyphs(result.pdf)
    header = [g for g in glyphs if g.page == 3 and g.bottom < grid.top + 3 * grid.pitch]
    assert header and min(g.left for g in header) == pytest.approx(5 * MM, abs=1.0)
    header = [g for g in glyphs if g.page == 2 and g.bottom < grid.top + 3 * grid.pitch]
    assert header and max(g.right for g in header) == pytest.approx(WIDTH - 5 * MM, abs=1.0)


@pytest.mark.parametrize("plan, message", [
    ("  - spread: [3, 4]\n", "pages 3 and 4 do not face each other"),
    ("  - spread: [2, 4]\n", "pages 2 and 4 do not face each other"),
    ("  - spread: [2]\n", "expected [left, right]"),
    ("  - spread: [2, 3]\n    number: 2\n", "not 'number'"),
])
def test_a_bad_spread_is_one_located_line(tmp_path, plan, message):
    text = (ROOT / "issues" / "1640" / "issue.yaml").read_text(encoding="utf-8")
    text = text.replace("  - spread: [2, 3]", plan.rstrip("\n"), 1)
    (tmp_path / "issue.yaml").write_text(text, encoding="utf-8")
    code, out, err = run_main([str(tmp_path / "issue.yaml"), "-o", str(tmp_path / "x.pdf")])
    assert code == 2, (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "issue.yaml:" in lines[0], err
    assert not (tmp_path / "x.pdf").exists()


def test_a_story_cannot_jump_within_its_spread(tmp_path):
    path = generate(tmp_path, pages=4, seed=1, fill=0.9, spread=2)
    head, data = read_generated(path)
    plan = next(p for p in data["pages"] if "spread" in p)
    plan["modules"][0]["jump"] = 3
    write_generated(path, head, data)
    code, _, err = run_main([str(path), "-o", str(tmp_path / "x.pdf")])
    assert code == 2 and "pages 2-3 are one spread" in err and len(err.strip().splitlines()) == 1


def test_an_ad_on_a_spread_stands_on_its_page_and_only_the_lead_crosses_the_fold(tmp_path):
    """With a booked ad fixed before the search (半通栏 at the spread's bottom right), the free
    space parts at the fold: no story straddles it but the spread's lead, across the whole spread."""
    path = generate(tmp_path, pages=4, seed=1, fill=0.9, photos=True, spread=2, ads=True)
    result = render(str(path), tmp_path / "ad.pdf", write=False)
    left, right = result.laid.pages[1], result.laid.pages[2]
    lead = _lead(result)
    assert {m.owner for m in left.modules + right.modules if m.across_fold} <= {lead}
    ads = [m for m in right.modules if m.owner.startswith("ad:")]
    assert len(ads) == 1 and (ads[0].cell.col, ads[0].cell.cols) == (N - 3, 3)     # the right page's foot
    assert ads[0].cell.line + ads[0].cell.lines == result.style.grid.lines
    assert not any(m.owner.startswith("ad:") for m in left.modules)


def test_an_issue_with_a_spread_ads_briefs_photo_news_and_editors(tmp_path):
    """Issue 17's whole case on one generated issue: the spread's headline across the fold read
    whole, each ad at its booked size, every editors' line on its page, the other kinds of story
    set, every character accounted for (nothing dropped silently)."""
    path = generate(tmp_path, pages=4, seed=1, fill=0.8, photos=True, spread=2, ads=True, kinds=4, editors=True)
    result = render(str(path), tmp_path / "all.pdf", write=True)
    assert not result.preflight.errors, result.preflight.errors
    lead = result.issue.stories[_lead(result)]
    assert [m.owner for m in result.laid.pages[1].modules if m.across_fold] == [lead.id]
    glyphs = pdf_glyphs(result.pdf)
    across = [t for _, t in spread_lines(glyphs, 2, WIDTH)]
    assert squash(lead.headline) in [squash(t) for t in across]
    base = next(b for b, t in spread_lines(glyphs, 2, WIDTH) if squash(t) == squash(lead.headline))
    assert {g.page for g in glyphs if abs(g.baseline - base) < 0.5} == {2, 3}      # on both pages
    reader = pypdf.PdfReader(result.pdf)
    texts = [squash(p.extract_text()) for p in reader.pages]
    for n, label in ((1, "1"), (2, "2-3"), (3, "2-3"), (4, "4")):
        assert f"责任编辑：测试编辑{label}" in texts[n - 1], n
    grid = result.style.grid
    doc = pdfium.PdfDocument(str(result.pdf))
    for page in result.laid.pages:
        for m in page.modules:
            if not m.owner.startswith("ad:"):
                continue
            size = next(s for s, spec in result.style.ads.sizes.items() if m.owner.endswith(f"-{s}.png"))
            cols, lines = result.style.ads.sizes[size]
            pdf_page = doc[page.number - 1]
            boxes = [obj.get_bounds() for obj in pdf_page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE])]
            want = (grid.span_width(cols), lines * grid.pitch)
            assert any(abs((r - l) - want[0]) < 0.5 and abs((t - b) - want[1]) < 0.5 for l, b, r, t in boxes), \
                (page.number, size, boxes)
    for kind in ("briefs", "photo", "commentary"):
        assert any(s.kind == kind for s in result.issue.stories.values()), kind
    assert all(b.overset == 0 and b.set == b.copy for b in result.balance), result.balance
