"""Ad modules (广告) on a generated test issue (test copy and 测试广告 images, never real ads):
each ad read back from the PDF at its booked size, labelled 广告 at its edge, placed before
the stories (which stand around it); a wrong-size ad, a low-resolution one and a missing one
are findings, errors for the press; a bad booking is one located line, exit 2."""
from __future__ import annotations

import sys
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest
import yaml

from layout.load.style import find_style, load_style
from layout.pipeline import render
from pdfglyphs import pdf_glyphs
from cli import run_main
from seed import ROOT

sys.path.insert(0, str(ROOT))
from tools.gen_issue import AD_PPI, ad_pixels, draw_test_ad, generate  # noqa: E402

PIXEL = 72 / AD_PPI + 0.01       # one pixel of a test ad, in pt

STYLE = load_style(find_style("kecheng", ROOT, ROOT / "styles"))
GRID = STYLE.grid


@pytest.fixture(scope="module")
def ad_issue(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("ads"), pages=3, stories_per_page=(2, 3), seed=5, ads=True)


@pytest.fixture(scope="module")
def ad_render(ad_issue):
    return render(str(ad_issue), ad_issue.parent / "out.pdf", write=True)


def _images(pdf: Path) -> list[tuple[int, tuple[float, float, float, float]]]:
    """Every image on every page: (page, (x, y, w, h) in pt from the trim's top left)."""
    doc = pdfium.PdfDocument(str(pdf))
    out = []
    for i in range(len(doc)):
        page = doc[i]
        tl, tb, tr, tt = page.get_trimbox()
        for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE]):
            left, bottom, right, top = obj.get_bounds()
            out.append((i + 1, (left - tl, tt - top, right - left, top - bottom)))
    return out


def _modules(ad_render, page: int):
    return {m.owner: m for m in ad_render.laid.pages[page - 1].modules}


def test_every_ad_stands_at_its_booked_size(ad_render):
    plan = yaml.safe_load(Path(ad_render.issue.path).read_text(encoding="utf-8"))
    images = _images(ad_render.pdf)
    for page in plan["pages"]:
        ad = page["modules"][0]["ad"]
        cols, lines = STYLE.ads.sizes[ad["size"]]
        module = _modules(ad_render, page["number"])[f"ad:{ad['file']}"]
        x, y = GRID.col_x(module.cell.col), GRID.line_top(module.cell.line + 1)
        want = (x, y, GRID.span_width(cols), lines * GRID.pitch)
        got = [box for n, box in images if n == page["number"]]
        # to one pixel of the ad: the image covers its frame to a whole pixel, clipped to it
        assert any(all(abs(a - b) <= PIXEL for a, b in zip(box, want)) for box in got), (page["number"], want, got)


def test_ads_sit_where_their_booking_says_and_stories_stand_around(ad_render):
    for page in ad_render.laid.pages:
        ads = [m for m in page.modules if m.owner.startswith("ad:")]
        assert len(ads) == 1
        cell = ads[0].cell
        size = next(s for s in STYLE.ads.sizes if f"-{s}." in ads[0].owner)
        cols, lines = STYLE.ads.sizes[size]
        assert (cell.cols, cell.lines) == (cols, lines + 1)       # + the label line
        if size == "通栏":
            assert (cell.col, cell.line + cell.lines) == (0, GRID.lines)           # at the foot
        elif size == "半通栏":
            assert (cell.col + cell.cols, cell.line + cell.lines) == (GRID.columns, GRID.lines)
        else:                                                                   # 报眼: top right
            assert cell.col + cell.cols == GRID.columns
            assert all(m.cell.line >= cell.line for m in page.modules)
        for m in page.modules:
            if m is not ads[0]:
                assert not m.cell.overlaps(cell) and m.auto


def test_the_label_stands_over_the_ads_right_edge_small(ad_render):
    glyphs = pdf_glyphs(ad_render.pdf)
    for page in ad_render.laid.pages:
        ad = next(m for m in page.modules if m.owner.startswith("ad:"))
        right = GRID.col_x(ad.cell.col) + GRID.span_width(ad.cell.cols)
        line_top, image_top = GRID.line_top(ad.cell.line), GRID.line_top(ad.cell.line + 1)
        label = [g for g in glyphs if g.page == page.number and line_top <= g.baseline <= image_top
                 and GRID.col_x(ad.cell.col) <= g.left <= right]
        assert "".join(g.char for g in label) == "广告"
        assert abs(label[-1].right - right) < 1.0
        assert all(g.bottom - g.top < GRID.em for g in label)       # smaller than the body


def test_ads_are_cmyk_and_clean(ad_render):
    result = ad_render.preflight
    assert not result.errors, [f.message for f in result.errors]
    ads = [im for im in result.images if "/ads/" in str(im.path)]
    assert len(ads) == 3 and all(im.output_mode == "cmyk" for im in ads)


def _edited(tmp_path: Path, ad_issue: Path, change) -> Path:
    data = yaml.safe_load(ad_issue.read_text(encoding="utf-8"))
    change(data, tmp_path)
    (tmp_path / "ads").mkdir(exist_ok=True)
    for f in (ad_issue.parent / "ads").iterdir():
        target = tmp_path / "ads" / f.name
        if not target.exists():
            target.write_bytes(f.read_bytes())
    path = tmp_path / "issue.yaml"
    path.write_text("# 【测试稿】\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _first_ad(data) -> dict:
    return data["pages"][0]["modules"][0]["ad"]


def test_a_wrong_size_ad_is_an_error(tmp_path, ad_issue):
    def change(data, d):
        w, h = ad_pixels("kecheng", "通栏")
        draw_test_ad(d / "ads" / "wrong.png", (w, int(h * 1.2)))      # 20 % too tall
        _first_ad(data)["file"] = "ads/wrong.png"
    issue = _edited(tmp_path, ad_issue, change)
    r = render(str(issue), tmp_path / "o.pdf", write=True)
    errs = [f for f in r.preflight.errors if f.code == "ad-size"]
    assert len(errs) == 1 and "wrong.png" in errs[0].message and errs[0].page == 1
    code, _, err = run_main([str(issue), "-o", str(tmp_path / "s.pdf"), "--strict"])
    assert code == 1 and "ad-size" in err and not (tmp_path / "s.pdf").exists()


def test_a_low_resolution_ad_is_an_error(tmp_path, ad_issue):
    def change(data, d):
        draw_test_ad(d / "ads" / "low.png", ad_pixels("kecheng", "通栏", ppi=100))
        _first_ad(data)["file"] = "ads/low.png"
    issue = _edited(tmp_path, ad_issue, change)
    r = render(str(issue), tmp_path / "o.pdf", write=True)
    errs = [f for f in r.preflight.errors if f.code == "ad-resolution"]
    assert len(errs) == 1 and "100 ppi" in errs[0].message
    code, _, err = run_main([str(issue), "-o", str(tmp_path / "s.pdf"), "--final"])
    assert code == 1 and "ad-resolution" in err


def test_a_missing_ad_keeps_its_frame_marked(tmp_path, ad_issue):
    def change(data, d):
        _first_ad(data)["file"] = "ads/not-here.png"
    issue = _edited(tmp_path, ad_issue, change)
    r = render(str(issue), tmp_path / "o.pdf", write=True)
    missing = [f for f in r.preflight.findings if f.code == "missing-ad"]
    assert len(missing) == 1 and missing[0].severity == "warning" and "not-here.png" in missing[0].message
    assert "ad:ads/not-here.png" in {m.owner for m in r.laid.pages[0].modules}
    text = "".join(g.char for g in pdf_glyphs(r.pdf) if g.page == 1)
    assert "广告" in text and "缺失" in text
    code, _, err = run_main([str(issue), "-o", str(tmp_path / "s.pdf"), "--strict"])
    assert code == 1 and "missing-ad" in err


@pytest.mark.parametrize("change, words", [
    (lambda ad: ad.update(size="整版"), ["ad size '整版' is not booked", "通栏"]),
    (lambda ad: ad.update(at="middle"), ["middle"]),
])
def test_a_bad_booking_is_one_located_line(tmp_path, ad_issue, change, words):
    issue = _edited(tmp_path, ad_issue, lambda data, d: change(_first_ad(data)))
    code, out, err = run_main([str(issue), "-o", str(tmp_path / "s.pdf")])
    assert code == 2 and len(err.strip().splitlines()) == 1 and "issue.yaml:" in err
    assert all(w in err for w in words), err


def test_an_area_must_be_the_booked_size(tmp_path, ad_issue):
    def change(data, d):
        data["pages"][0]["modules"][0]["area"] = {"columns": "1-6", "lines": "60-70"}
    issue = _edited(tmp_path, ad_issue, change)
    code, _, err = run_main([str(issue), "-o", str(tmp_path / "s.pdf")])
    assert code == 2 and "booked at 6 x 16" in err and "issue.yaml:" in err


def test_the_free_space_around_an_ad_is_cut_every_way_a_desk_would():
    """报眼 in the top right corner: the strip beside it and the page under it (across), the
    columns beside it from the top and those under it (down), and those two over a band
    across the page (search.band_partitions); the first way is the one searched before."""
    from layout.place.model import Cell
    from layout.place.search import band_partitions, free_partitions, free_rectangles

    area, ad = Cell(0, 3, 6, 79), Cell(4, 3, 2, 13)
    across, down = free_partitions(area, [ad])
    assert across == free_rectangles(area, [ad]) == [Cell(0, 3, 4, 13), Cell(0, 16, 6, 66)]
    assert down == [Cell(0, 3, 4, 79), Cell(4, 16, 2, 66)]
    bands = band_partitions(area, [ad])
    assert bands and all(len(p) == 3 and p[2].cols == 6 and p[2].line + p[2].lines == 82
                         and p[0].line == 3 and p[1].line == 16 and p[0].lines == p[1].lines + 13 for p in bands)
    assert band_partitions(area, [Cell(0, 65, 6, 17)]) == []          # a 通栏 at the foot: one way only


@pytest.mark.parametrize("style,seeds", [("kecheng", (2, 4)), ("kecheng-broadsheet", (2,)), ("kecheng-5col", (3,)),
                                         ("kecheng-tabloid", (2,))])
def test_the_lead_stands_beside_a_top_corner_ad_and_nothing_is_lost(tmp_path, style, seeds):
    """Generated --ads issues (page 3 books a 报眼): the lead starts at the type area's top beside
    the ad, not under it with the strip beside the ad left white at the page's head (at
    d581130 13 lines x 4 columns on every such page, with copy over on some; on five columns
    the lead, at least 4 wide, could not stand beside a 2-column ad until its least width
    became the columns free at the top); no page of the issue sets its copy short of the
    module nor leaves white at its head."""
    for seed in seeds:
        issue = generate(tmp_path / f"{style}{seed}", pages=4, stories_per_page=(2, 6), photos=seed % 2 == 0,
                         seed=seed, style=style, fill=0.95, ads=True)
        r = render(str(issue), style_arg=style, write=False)
        for page in r.laid.pages:
            ad = next(m for m in page.modules if m.owner.startswith("ad:"))
            stories = [m for m in page.modules if m is not ad]
            head = min(m.cell.line for m in page.modules)
            assert not any(m.overset_lines for m in stories), (style, seed, page.number)
            if "报眼" in ad.owner:
                lead = next(m for m in stories if m.cell.line == head and m.cell.col == 0)
                assert lead.cell.col + lead.cell.cols == ad.cell.col, (style, seed, lead.cell)
            white_at_head = [f for f in r.laid.findings if f.page == page.number and f.code == "underfull"
                             and f"lines: {head + 1}-" in f.message]
            assert not white_at_head, [f.message for f in white_at_head]


def test_a_page_found_only_with_copy_over_is_searched_again_with_off_grid_pairs(tmp_path):
    """Generated kecheng --ads seed 1, page 2 (a 半通栏): no page of whole-column modules sets
    all its copy (the cheapest sets 2 lines over); 破栏 pairs set it all (page.py: a page
    with copy over is searched once more, as a stacked one is)."""
    issue = generate(tmp_path, pages=4, stories_per_page=(2, 6), photos=False, seed=1, fill=0.95, ads=True)
    page = render(str(issue), write=False).laid.pages[1]
    assert not any(m.overset_lines for m in page.modules)
    assert any(m.span is not None for m in page.modules if m.auto)        # a pair off the basic columns
