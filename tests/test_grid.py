"""Any paper, any grid: issue 1640 and a generated test issue rendered under every style in
styles/ and under style variants made here (3 to 10 columns, 10 to 20 characters a column,
trims from A4 to 550 x 780 mm), checked by reading the PDFs back: every glyph inside the trim,
no geometry fault in the preflight, the page header complete on every inside page with 版次 on
the outside edge, the masthead's ear on page 1; and the preflight's geometry checks on pages
built by hand with the faults the old furniture made (a running head off the page)."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import msgspec
import pytest

from layout.check.preflight import geometry_findings, preflight
from layout.load.source import InputError
from layout.load.style import load_style
from layout.load.units import MM
from layout.pipeline import load, render
from layout.place.model import Box, Cell, LaidOutIssue, PlacedModule, PlacedPage, Rule, TextLine
from pdfglyphs import pdf_glyphs
from seed import ROOT

sys.path.insert(0, str(ROOT))
from tools.gen_issue import generate  # noqa: E402

HOUSE = ROOT / "styles" / "kecheng.yaml"
SHIPPED = sorted(p.stem for p in (ROOT / "styles").glob("*.yaml"))

# (trim width, height in mm, columns, characters a column): a sample of the space asked for,
# the issue's own cases among them (five columns on 270 x 390 mm, four of 20 characters on A3,
# eight on 550 x 780 mm); the body size follows from the trim (7.5 to 11 pt).
VARIANTS = [
    (210, 297, 3, 19),          # A4
    (210, 297, 4, 14),
    (270, 390, 5, 14),
    (297, 420, 4, 20),
    (297, 420, 7, 10),
    (390, 545, 9, 12),
    (550, 780, 8, 18),
    (550, 780, 10, 15),
]


def variant_style(tmp: Path, trim_w: float, trim_h: float, columns: int, chars: int) -> Path:
    """The house style with only its page and grid changed (and the body roles' size, which is
    the grid's em): side margins about 5 % of the trim, pitch 1.5 em."""
    type_w = trim_w * 0.9 * MM
    em = round(type_w / (columns * chars + columns - 1) - 0.005, 2)
    pitch = round(em * 1.5, 2)
    text = HOUSE.read_text(encoding="utf-8").replace("../fonts/", f"{ROOT}/fonts/")
    text = text.replace("trim: [297mm, 420mm]", f"trim: [{trim_w}mm, {trim_h}mm]")
    text = text.replace("margin_top: 14mm", f"margin_top: {trim_h * 0.035:.1f}mm")
    text = text.replace("margin_bottom: 13mm", f"margin_bottom: {trim_h * 0.035:.1f}mm")
    text = text.replace("columns: 6 ", f"columns: {columns} ").replace("column_chars: 13 ", f"column_chars: {chars} ")
    text = text.replace("body_size: 小五", f"body_size: {em}pt").replace("line_pitch: 13.5pt", f"line_pitch: {pitch}pt")
    for role in ("body", "dateline", "subhead", "caption"):
        text = re.sub(rf"(\n  {role}: +\{{font: \w+, size: )小五(, leading: 13.5pt)?",
                      lambda m: m.group(1) + f"{em}pt" + (f", leading: {pitch}pt" if m.group(2) else ""), text)
    path = tmp / f"v{trim_w}x{trim_h}-{columns}x{chars}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def glyph_boxes(pdf: Path) -> list[tuple[int, str, float, float, float, float]]:
    """Every character pdfium reads back with its box in trim space (mm, y down):
    (page, char, left, top, right, bottom)."""
    return [(g.page, g.char, g.left / MM, g.top / MM, g.right / MM, g.bottom / MM)
            for g in pdf_glyphs(pdf)]


def check_render(result, issue) -> None:
    """What every render must show: glyphs inside the trim, no geometry error, page headers
    complete and mirrored, the ear on page 1 (or reported)."""
    style = result.style
    assert result.pdf is not None and result.pdf.is_file()
    geometry = [f for f in result.preflight.findings if f.code.startswith("geometry")]
    assert geometry == [], [f.message for f in geometry]
    boxes = glyph_boxes(result.pdf)
    w, h = style.page.width / MM, style.page.height / MM
    bleed = style.page.bleed / MM
    slug = [b for b in boxes if b[3] >= h + bleed]          # the slug line, in the margin under the bleed
    assert "".join(b[1] for b in slug).startswith(issue.masthead.title)
    outside = [b for b in boxes if b not in slug and (b[2] < -0.2 or b[3] < -0.2 or b[4] > w + 0.2 or b[5] > h + 0.2)]
    assert outside == [], outside[:5]
    grid = style.grid
    centre = w / 2
    m = issue.masthead
    for page, laid in zip(issue.pages, result.laid.pages):
        head_bottom = grid.line_top(min(mod.cell.line for mod in laid.modules)) / MM    # the furniture band
        chars = [b for b in boxes if b[0] == page.number and b[3] < head_bottom]
        text = "".join(b[1] for b in chars)
        if page.number == 1:
            for e in m.ear:
                if not any(f.code == "ear" for f in result.laid.findings):
                    assert e.label.replace(" ", "") in text, (e.label, text)
            continue
        for part in (f"第{page.number}版", page.name.replace(" ", ""), m.title, "2020年3月16日"
                     if m.date.isoformat() == "2020-03-16" else f"{m.date.year}年", "星期"):
            assert part in text, (page.number, part, text)
        folio = text.index(f"第{page.number}版")
        x = chars[folio][2]
        # 版次 on the outside edge: the left half on even pages, the right half on odd
        assert (x > centre) == (page.number % 2 == 1), (page.number, x, centre)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("gen"), pages=3, stories_per_page=(2, 4), photos=True, seed=5)


@pytest.mark.parametrize("style_name", SHIPPED)
def test_shipped_styles_render_1640_and_a_generated_issue(style_name, generated, tmp_path):
    for issue_arg in ("1640", str(generated)):
        issue, _ = load(issue_arg, style_name)
        result = render(issue_arg, tmp_path / "out.pdf", style_arg=style_name)
        check_render(result, issue)
        assert not [f for f in result.laid.findings if f.code in ("ear", "teaser")]


@pytest.mark.parametrize("trim_w,trim_h,columns,chars", VARIANTS)
def test_style_variants(trim_w, trim_h, columns, chars, generated, tmp_path):
    style = variant_style(tmp_path, trim_w, trim_h, columns, chars)
    assert load_style(style).grid.columns == columns
    for issue_arg in ("1640", str(generated)):
        issue, _ = load(issue_arg, str(style))
        result = render(issue_arg, tmp_path / "out.pdf", style_arg=str(style))
        check_render(result, issue)
        # the ear and the teaser fit on every grid of the sample
        assert not [f for f in result.laid.findings if f.code in ("ear", "teaser")], result.laid.findings


def test_masthead_scales_with_the_type_area(tmp_path):
    """On a broadsheet the title is set larger than on A3 (the roles are for the A3 type area);
    `masthead.scale: 1` keeps the sizes the roles give."""
    def title_size(style_arg):
        result = render("1640", tmp_path / "x.pdf", style_arg=style_arg, write=False)
        return max(g.size for it in result.laid.pages[0].items if isinstance(it, TextLine)
                   and it.role == "masthead_title" for g in it.glyphs)

    a3 = title_size("kecheng")
    wide = title_size(str(variant_style(tmp_path, 550, 780, 8, 18)))
    assert a3 == pytest.approx(60.0)
    assert wide > 1.5 * a3
    fixed = tmp_path / "fixed.yaml"
    fixed.write_text(variant_style(tmp_path, 550, 780, 8, 18).read_text(encoding="utf-8")
                     + "\nmasthead:\n  scale: 1\n", encoding="utf-8")
    assert title_size(str(fixed)) == pytest.approx(60.0)


def test_an_ear_that_cannot_fit_is_reported(tmp_path):
    """Ten ear items on a three-column A4 page leave no room: a warning names the ear, and no
    ear item is drawn over anything (the geometry stays clean)."""
    style = variant_style(tmp_path, 210, 297, 3, 19)
    text = (ROOT / "issues" / "1640" / "issue.yaml").read_text(encoding="utf-8")
    ear = "  ear:\n" + "".join(f"    - {{label: 第{k}个二维码项目名称较长, kind: qr}}\n" for k in range(10))
    text = re.sub(r"  ear:\n(    - .*\n|      .*\n)+", ear, text)
    assert "第9个二维码" in text
    text = text.replace("style: kecheng", f"style: {style}")
    (tmp_path / "issue.yaml").write_text(text, encoding="utf-8")
    result = render(str(tmp_path / "issue.yaml"), tmp_path / "x.pdf", write=False)
    assert [f.code for f in result.laid.findings if f.code == "ear"] == ["ear"]
    assert not [f for f in result.preflight.findings if f.code.startswith("geometry")]


def test_plan_area_beyond_the_grid_is_a_located_error(tmp_path):
    """A plan written for six columns, given to a five-column style: a located error at plan time."""
    text = (ROOT / "issues" / "1640" / "issue.yaml").read_text(encoding="utf-8")
    text = text.replace("style: kecheng", "style: kecheng-5col")
    text = text.replace("      - story: brief\n", "      - story: brief\n        area: {columns: 5-6, lines: 70-82}\n")
    assert "columns: 5-6" in text
    path = tmp_path / "issue.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as e:
        render(str(path), tmp_path / "x.pdf", write=False)
    msg = str(e.value)
    line = text.splitlines().index("        area: {columns: 5-6, lines: 70-82}") + 1
    assert f"issue.yaml:{line}:" in msg and "outside the page grid" in msg and "5 columns" in msg


# --------------------------------------------------------------------------- the checks alone

def _laid(items, modules=(), width=297 * MM, height=420 * MM) -> LaidOutIssue:
    return LaidOutIssue(pages=(PlacedPage(number=2, name="专题", width=width, height=height,
                                          items=tuple(items), modules=tuple(modules)),), findings=())


def _line(setter_line, x: float, baseline: float, owner: str, role: str = "page_header_info") -> TextLine:
    return TextLine(x=x, baseline=baseline, glyphs=setter_line.glyphs, color="black", owner=owner, role=role)


@pytest.fixture(scope="module")
def five_col():
    from layout.pipeline import _fonts
    from layout.place.textset import Setter

    style = load_style(ROOT / "styles" / "kecheng-5col.yaml")
    return style, Setter(_fonts(style), style)


def test_the_old_running_head_is_an_error_with_its_place(five_col):
    """The running head as the old furniture set it under kecheng-5col (the date block at
    column 4 with a three-column measure, so it starts at 289 mm on a 297 mm page): an error
    located on its page, in mm; `--strict` would refuse it."""
    style, setter = five_col
    grid = style.grid
    blk = setter.block("今日柯城  2020年3月16日  星期一", "page_header_info", grid.span_width(3), align="end")
    off, ln = blk.lines[0]
    old = _line(ln, grid.col_x(3) + off, grid.top + 10, "header-2")
    found = geometry_findings(_laid([old]), style)
    trim = [f for f in found if f.code == "geometry-outside-trim"]
    assert len(trim) == 1 and trim[0].severity == "error" and trim[0].page == 2
    start = (old.x + ln.glyphs[0].x) / MM                 # where its first glyph's ink starts
    assert start > 285 and trim[0].box[0] / MM == pytest.approx(start, abs=0.1)
    assert f"{trim[0].box[0] / MM:.1f}" in trim[0].message and "header-2" in trim[0].message
    # the same line where the new furniture sets it (ending at the type area's right edge)
    new = _line(ln, grid.left + grid.width - ln.width, grid.top + 10, "header-2")
    assert geometry_findings(_laid([new]), style) == []


def test_a_line_across_other_columns_and_off_the_page(five_col):
    """A body line set past its module (a long URL run across the next columns and beyond the
    page edge): outside the module, outside the trim, and on top of the next column's line."""
    style, setter = five_col
    grid = style.grid
    cell = Cell(3, 10, 1, 20)
    module = PlacedModule(owner="s", cell=cell, auto=False, capacity=0, copy_chars=0, set_chars=0,
                          overset_chars=0, overset_lines=0)
    other = PlacedModule(owner="t", cell=Cell(4, 10, 1, 20), auto=False, capacity=0, copy_chars=0,
                         set_chars=0, overset_chars=0, overset_lines=0)
    long = setter.block("https://example.com/" + "a" * 120, "body", grid.width * 3).lines[0][1]
    short = setter.block("本报讯相邻栏的一行正文", "body", grid.column_width).lines[0][1]
    y = grid.line_top(12) + 10
    items = [_line(long, grid.col_x(3), y, "s", "body"), _line(short, grid.col_x(4), y, "t", "body")]
    codes = {f.code for f in geometry_findings(_laid(items, [module, other]), style)}
    assert {"geometry-outside-module", "geometry-outside-trim", "geometry-overlap"} <= codes


def test_overlaps_between_modules_and_furniture(five_col):
    style, setter = five_col
    grid = style.grid
    a = PlacedModule(owner="a", cell=Cell(0, 5, 3, 20), auto=False, capacity=0, copy_chars=0, set_chars=0,
                     overset_chars=0, overset_lines=0)
    b = msgspec.structs.replace(a, owner="b", cell=Cell(2, 15, 3, 20))
    ln = setter.block("第2版  专题", "page_header", grid.width).lines[0][1]
    header_in_module = _line(ln, grid.left, grid.line_top(7), "header-2", "page_header")
    rule_through_text = Rule(grid.left, grid.line_top(7) - 3, grid.left + 100, grid.line_top(7) - 3, 0.5, "black")
    photo_on_text = Box(grid.left, grid.line_top(7) - 8, 30, 10, fill="black")
    found = geometry_findings(_laid([header_in_module, rule_through_text, photo_on_text], [a, b]), style)
    messages = " | ".join(f.message for f in found)
    assert {f.code for f in found} >= {"geometry-module-overlap", "geometry-furniture-in-module", "geometry-overlap"}
    assert "a and b" in messages and "rule and text overlap" in messages and "solid and text overlap" in messages
    assert all(f.severity == "error" and f.page == 2 and " mm" in f.message for f in found)


def test_strict_refuses_a_page_with_a_geometry_error(five_col, monkeypatch, tmp_path):
    """The old page header put back (monkeypatched furniture): preflight errors, --strict exits 1."""
    import layout.place.furniture as furniture

    real = furniture.page_header

    def old_page_header(issue, page, setter, grid):
        items, lines = real(issue, page, setter, grid)
        moved = [msgspec.structs.replace(it, x=grid.col_x(3) + grid.span_width(3) - (it.glyphs[-1].x
                                         + it.glyphs[-1].advance))
                 if isinstance(it, TextLine) and it.role == "page_header_info" and it.x > grid.left + 1 else it
                 for it in items]
        return moved, lines

    monkeypatch.setattr(furniture, "page_header", old_page_header)
    result = render("1640", tmp_path / "x.pdf", style_arg="kecheng-5col", strict=True)
    codes = [(f.page, f.code) for f in result.preflight.errors]
    assert (2, "geometry-outside-trim") in codes and (4, "geometry-outside-trim") in codes
    assert result.pdf is None and not (tmp_path / "x.pdf").exists()


def test_photos_inside_their_module_and_bleeds_only_where_meant(five_col):
    """A story's photo past its module is an error; a photo reaching into the bleed is an error
    unless it is marked as bleeding, and then only beyond the bleed's edge."""
    from layout.place.model import PhotoFrame

    class BleedFrame(PhotoFrame, frozen=True):
        bleed: bool = True

    style, _ = five_col
    grid = style.grid
    module = PlacedModule(owner="s", cell=Cell(0, 10, 2, 20), auto=False, capacity=0, copy_chars=0,
                          set_chars=0, overset_chars=0, overset_lines=0)
    x, y = grid.col_x(0), grid.line_top(10)
    wide = PhotoFrame(x=x, y=y, w=grid.span_width(3), h=50, path=None, present=False, owner="s", label="")
    codes = [f.code for f in geometry_findings(_laid([wide], [module]), style)]
    assert codes == ["geometry-outside-module"]
    bleed = style.page.bleed
    into_bleed = dict(x=-bleed, y=-bleed, w=100, h=100, path=None, present=False, owner="", label="")
    assert [f.code for f in geometry_findings(_laid([PhotoFrame(**into_bleed)]), style)] == ["geometry-outside-trim"]
    assert geometry_findings(_laid([BleedFrame(**into_bleed)]), style) == []
    beyond = dict(into_bleed, x=-bleed - 5)
    assert [f.code for f in geometry_findings(_laid([BleedFrame(**beyond)]), style)] == ["geometry-outside-bleed"]


def test_a_masthead_band_too_low_for_its_sizes_grows_and_says_so(tmp_path):
    style = tmp_path / "low.yaml"
    style.write_text(HOUSE.read_text(encoding="utf-8").replace("../fonts/", f"{ROOT}/fonts/")
                     + "\nmasthead:\n  scale: 1.5\n  lines: 5\n", encoding="utf-8")
    result = render("1640", tmp_path / "x.pdf", style_arg=str(style), write=False)
    warned = [f for f in result.laid.findings if f.code == "masthead-lines"]
    assert len(warned) == 1 and "(5)" in warned[0].message
    first = min(m.cell.line for m in result.laid.pages[0].modules)
    assert first > 5
    assert not [f for f in result.preflight.findings if f.code.startswith("geometry")]
