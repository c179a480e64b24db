"""PDF ads (广告 supplied as a one-page PDF) on a generated test issue (test copy, 测试广告 PDFs
made by tools/gen_issue.py with reportlab, never real ads): each drawn as vector content (a
form XObject, not an image) exactly over its booked frame, read back from the PDF; labelled
广告; the print file's preflight clean. A wrong aspect is an `ad-size` error, a PDF drawing
RGB or an unembedded font an `ad-pdfx` error (and the print preflight sees it too); a damaged,
encrypted or multi-page PDF is one located line, exit 2."""
from __future__ import annotations

import sys
from pathlib import Path

import pypdf
import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest
import yaml

from layout.load.style import find_style, load_style
from layout.pipeline import render
from pdfglyphs import pdf_glyphs
from cli import run_main as _main
from seed import ROOT

from test_ads import _first_ad

sys.path.insert(0, str(ROOT))
from tools.gen_issue import AD_BLEED, ad_points, ad_test_font, as_pdf_ads, draw_test_pdf_ad, generate  # noqa: E402

STYLE = load_style(find_style("kecheng", ROOT, ROOT / "styles"))
GRID = STYLE.grid
SCALE = 2.0                  # render at 144 dpi: one pixel is half a point
EDGE = 1.0                   # pt: a rendered edge within a point (pdfium snaps fills and clips to pixels)


@pytest.fixture(scope="module")
def pdf_issue(tmp_path_factory) -> Path:
    issue = generate(tmp_path_factory.mktemp("pdfads"), pages=3, stories_per_page=(2, 3), seed=5, ads=True)
    as_pdf_ads(issue)
    return issue


@pytest.fixture(scope="module")
def pdf_render(pdf_issue):
    return render(str(pdf_issue), pdf_issue.parent / "out.pdf", write=True)


def _booked_frame(r, page: int) -> tuple[str, tuple[float, float, float, float]]:
    """(ad size, the frame its booking gives: x, y, w, h in pt from the trim's top left)."""
    plan = yaml.safe_load(Path(r.issue.path).read_text(encoding="utf-8"))
    ad = plan["pages"][page - 1]["modules"][0]["ad"]
    cols, lines = STYLE.ads.sizes[ad["size"]]
    module = next(m for m in r.laid.pages[page - 1].modules if m.owner == f"ad:{ad['file']}")
    x, y = GRID.col_x(module.cell.col), GRID.line_top(module.cell.line + 1)
    return ad["size"], (x, y, GRID.span_width(cols), lines * GRID.pitch)


def _forms(pdf: Path, page: int) -> list[tuple[float, float, float, float]]:
    doc = pdfium.PdfDocument(str(pdf))
    pg = doc[page - 1]
    tl, _, _, tt = pg.get_trimbox()
    out = []
    for obj in pg.get_objects(filter=[raw.FPDF_PAGEOBJ_FORM], max_depth=0):
        left, bottom, right, top = obj.get_bounds()
        out.append((left - tl, tt - top, right - left, top - bottom))
    images = []
    for obj in pg.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE]):
        left, bottom, right, top = obj.get_bounds()
        images.append((left - tl, tt - top, right - left, top - bottom))
    doc.close()
    return out, images


def _tint_bounds(pdf: Path, page: int, near) -> tuple[float, float, float, float]:
    """The box (pt, from the trim's top left) of the pixels in the test ad's tint, rendered, in
    the frame `near` and twice the ad's bleed around it (where a spill would show)."""
    import numpy as np

    doc = pdfium.PdfDocument(str(pdf))
    pg = doc[page - 1]
    tl, _, _, tt = pg.get_trimbox()
    ml, _, _, mt = pg.get_mediabox()
    a = np.asarray(pg.render(scale=SCALE).to_pil().convert("RGB"), dtype=np.int16)
    doc.close()
    # the tint (C0 M6 Y20 K4): light, warm, clearly not white, grey or black
    r, g, b = a[..., 0], a[..., 1], a[..., 2]
    mask = (r > 200) & (r - b > 25) & (r - b < 90) & (r - g < 30)
    x, y, w, h = near
    m = 2 * AD_BLEED
    ox, oy = tl - ml, mt - tt                     # the trim's corner in the rendered page, pt
    window = np.zeros_like(mask)
    window[int((oy + y - m) * SCALE):int((oy + y + h + m) * SCALE),
           int((ox + x - m) * SCALE):int((ox + x + w + m) * SCALE)] = True
    mask &= window
    tint = np.median(a[mask], axis=0)             # only pixels wholly in the tint: edges to a pixel
    mask &= np.abs(a - tint).sum(axis=2) < 12
    ys, xs = np.nonzero(mask)
    x0, x1 = xs.min() / SCALE + ml - tl, (xs.max() + 1) / SCALE + ml - tl
    y0, y1 = ys.min() / SCALE + tt - mt, (ys.max() + 1) / SCALE + tt - mt
    return x0, y0, x1 - x0, y1 - y0


def _edges_match(got, want) -> bool:
    (x, y, w, h), (X, Y, W, H) = got, want
    return all(abs(a - b) <= EDGE for a, b in ((x, X), (y, Y), (x + w, X + W), (y + h, Y + H)))


def test_every_pdf_ad_is_vector_content_over_its_booked_frame(pdf_render):
    for page in (1, 2, 3):
        size, want = _booked_frame(pdf_render, page)
        forms, images = _forms(pdf_render.pdf, page)
        x, y, w, h = want                          # no image stands in the ad's frame: it is vector
        assert not [b for b in images if b[0] < x + w and x < b[0] + b[2] and b[1] < y + h and y < b[1] + b[3]]
        # the form's content is the ad at scale 1: its TrimBox on the frame, its bleed around it
        b = AD_BLEED
        drawn = (x - b, y - b, w + 2 * b, h + 2 * b)
        assert len(forms) == 1 and all(abs(u - v) < 0.01 for u, v in zip(forms[0], drawn)), (page, drawn, forms)
        # and what shows of it: the tint runs into the ad's bleed, clipped at the frame to a pixel
        got = _tint_bounds(pdf_render.pdf, page, want)
        assert _edges_match(got, want), (page, size, want, got)


def test_the_ads_text_reads_back_and_the_label_stands_over_it(pdf_render):
    glyphs = pdf_glyphs(pdf_render.pdf)
    for page in (1, 2, 3):
        _, (x, y, w, h) = _booked_frame(pdf_render, page)
        inside = [g for g in glyphs if g.page == page and x <= g.left and g.right <= x + w and y <= g.top
                  and g.bottom <= y + h]
        assert "".join(g.char for g in inside) == "测试广告"          # the embedded font, text whole
        label = [g for g in glyphs if g.page == page and y - GRID.pitch <= g.baseline <= y and x <= g.left
                 and g.right <= x + w + 0.5]
        assert "".join(g.char for g in label) == "广告" and abs(label[-1].right - (x + w)) < 1.0


def test_the_print_file_with_pdf_ads_is_clean(pdf_render):
    result = pdf_render.preflight
    assert not result.errors, [f.message for f in result.errors]
    assert not [f for f in result.findings if f.code.startswith("ad-")]
    # the ads are no photos: nothing was resampled or converted for them
    assert not [im for im in result.images if "/ads/" in str(im.path)]
    # PDF/X-1a: one PDF 1.3 file, fonts all embedded (the ad's too), read back with pypdf
    reader = pypdf.PdfReader(str(pdf_render.pdf))
    assert reader.pdf_header == "%PDF-1.3"
    forms = [x.get_object() for p in reader.pages for x in p["/Resources"]["/XObject"].values()
             if x.get_object()["/Subtype"] == "/Form"]
    assert len(forms) == 3
    for f in forms:
        for font in f["/Resources"]["/Font"].values():
            fd = font.get_object()["/FontDescriptor"].get_object()
            assert "/FontFile2" in fd


def _edited(tmp_path: Path, issue: Path, change) -> Path:
    data = yaml.safe_load(issue.read_text(encoding="utf-8"))
    (tmp_path / "ads").mkdir(exist_ok=True)
    for f in (issue.parent / "ads").iterdir():
        (tmp_path / "ads" / f.name).write_bytes(f.read_bytes())
    change(data, tmp_path)
    path = tmp_path / "issue.yaml"
    path.write_text("# 【测试稿】\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _with_ad(tmp_path: Path, pdf_issue: Path, draw) -> Path:
    def change(data, d):
        draw(d / "ads" / "supplied.pdf")
        _first_ad(data)["file"] = "ads/supplied.pdf"
    return _edited(tmp_path, pdf_issue, change)


def test_a_wrong_aspect_pdf_ad_is_an_error(tmp_path, pdf_issue):
    w, h = ad_points("kecheng", "通栏")
    issue = _with_ad(tmp_path, pdf_issue, lambda p: draw_test_pdf_ad(p, (w, h * 1.1)))      # 10 % too tall
    r = render(str(issue), tmp_path / "o.pdf", write=True)
    errs = [f for f in r.preflight.errors if f.code == "ad-size"]
    assert len(errs) == 1 and "supplied.pdf" in errs[0].message and errs[0].page == 1 and "9.1% off" in errs[0].message
    code, _, err = _main([str(issue), "-o", str(tmp_path / "s.pdf"), "--strict"])
    assert code == 1 and "ad-size" in err and not (tmp_path / "s.pdf").exists()


def test_an_aspect_within_the_tolerance_is_drawn_at_the_booked_size(tmp_path, pdf_issue):
    w, h = ad_points("kecheng", "通栏")
    issue = _with_ad(tmp_path, pdf_issue, lambda p: draw_test_pdf_ad(p, (w / 2, h / 2 * 1.01)))  # half size, 1 % tall
    r = render(str(issue), tmp_path / "o.pdf", write=True)
    assert not [f for f in r.preflight.findings if f.code.startswith("ad-")]
    _, want = _booked_frame(r, 1)
    got = _tint_bounds(r.pdf, 1, want)                  # covers the frame, clipped to it: never under or over
    assert _edges_match(got, want), (want, got)


def test_a_turned_page_is_sized_as_it_is_shown(tmp_path, pdf_issue):
    w, h = ad_points("kecheng", "通栏")

    def draw(p):
        draw_test_pdf_ad(p, (h, w))              # drawn upright, shown turned a quarter (/Rotate 90)
        writer = pypdf.PdfWriter(clone_from=str(p))
        writer.pages[0].rotate(90)
        writer.write(str(p))
    issue = _with_ad(tmp_path, pdf_issue, draw)
    r = render(str(issue), tmp_path / "o.pdf", write=True)
    assert not [f for f in r.preflight.findings if f.code.startswith("ad-")]
    _, want = _booked_frame(r, 1)
    got = _tint_bounds(r.pdf, 1, want)
    assert _edges_match(got, want), (want, got)
    x, y, w, h = want                    # the content turned with the page: its bleed around the frame
    (fx, fy, fw, fh), = _forms(r.pdf, 1)[0]
    assert abs(fw - (w + 2 * AD_BLEED)) < 0.01 and abs(fh - (h + 2 * AD_BLEED)) < 0.01, (want, (fw, fh))


@pytest.mark.parametrize("kw, fault, pdf_code", [
    ({"rgb": True}, "RGB colour", "rgb"),
    ({"font": "helvetica"}, "a font not embedded", "font-not-embedded"),
])
def test_a_pdf_ad_against_pdfx_is_an_error_never_passed(tmp_path, pdf_issue, kw, fault, pdf_code):
    issue = _with_ad(tmp_path, pdf_issue, lambda p: draw_test_pdf_ad(p, ad_points("kecheng", "通栏"), **kw))
    r = render(str(issue), tmp_path / "o.pdf", write=True)
    errs = [f for f in r.preflight.errors if f.code == "ad-pdfx"]
    assert len(errs) == 1 and fault in errs[0].message and "supplied.pdf" in errs[0].message and errs[0].page == 1
    assert [f for f in r.preflight.errors if f.code == pdf_code and f.page == 1 and f.stage == "pdf"]
    code, _, err = _main([str(issue), "-o", str(tmp_path / "s.pdf"), "--strict"])
    assert code == 1 and "ad-pdfx" in err


def _truncated(p: Path) -> None:
    draw_test_pdf_ad(p, ad_points("kecheng", "通栏"))
    p.write_bytes(p.read_bytes()[:3000])


def _two_pages(p: Path) -> None:
    draw_test_pdf_ad(p, ad_points("kecheng", "通栏"))
    writer = pypdf.PdfWriter(clone_from=str(p))
    writer.add_blank_page()
    writer.write(str(p))


def _encrypted(p: Path) -> None:
    draw_test_pdf_ad(p, ad_points("kecheng", "通栏"))
    writer = pypdf.PdfWriter(clone_from=str(p))
    writer.encrypt("", "owner", algorithm="RC4-128")
    writer.write(str(p))


@pytest.mark.parametrize("draw, words", [
    (_truncated, ["not a readable PDF"]),
    (lambda p: p.write_bytes(b"%PDF-1.4\nnot really\n"), ["not a readable PDF"]),
    (_two_pages, ["has 2 pages"]),
    (_encrypted, ["encrypted"]),
])
def test_a_broken_pdf_ad_is_one_located_line(tmp_path, pdf_issue, draw, words):
    issue = _with_ad(tmp_path, pdf_issue, draw)
    code, out, err = _main([str(issue), "-o", str(tmp_path / "s.pdf")])
    assert code == 2 and len(err.strip().splitlines()) == 1 and "issue.yaml:" in err and "supplied.pdf" in err, err
    assert all(w in err for w in words), err
    assert not (tmp_path / "s.pdf").exists()


def test_the_test_ad_has_a_bleed_beyond_its_trimbox(tmp_path):
    p = tmp_path / "ad.pdf"
    draw_test_pdf_ad(p, (200.0, 100.0))
    page = pypdf.PdfReader(str(p)).pages[0]
    assert [float(v) for v in page.trimbox] == [AD_BLEED, AD_BLEED, AD_BLEED + 200, AD_BLEED + 100]
    assert [float(v) for v in page.mediabox] == [0, 0, 200 + 2 * AD_BLEED, 100 + 2 * AD_BLEED]


def _drawn(p: Path, draw) -> Path:
    """A one-page test PDF drawn by `draw(canvas)`, its one font embedded."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(p), pagesize=(200, 100), invariant=1, initialFontName=ad_test_font())
    draw(c)
    c.showPage()
    c.save()
    return p


@pytest.mark.parametrize("draw, code", [
    (lambda c: (c.setFillColorCMYK(1, 1, 1, 1), c.rect(0, 0, 50, 50, fill=1)), "tac"),           # 400 % ink
    (lambda c: (c.setFillColorCMYK(0, 0, 0, 1), c.setFillAlpha(0.5), c.rect(0, 0, 50, 50, fill=1)), "transparency"),
    (lambda c: (c.setStrokeColorRGB(1, 0, 0), c.line(0, 0, 50, 50)), "rgb"),
])
def test_each_kind_of_pdfx_fault_is_found(tmp_path, draw, code):
    from layout.load.pdfpage import x1a_faults

    assert [k for k, _ in x1a_faults(_drawn(tmp_path / "f.pdf", draw), 240.0)] == [code]


def test_a_clean_drawing_has_no_fault(tmp_path):
    from layout.load.pdfpage import x1a_faults

    pdf = _drawn(tmp_path / "ok.pdf", lambda c: (c.setFillColorCMYK(0.6, 0.6, 0.6, 0.6), c.rect(0, 0, 50, 50, fill=1)))
    assert x1a_faults(pdf, 240.0) == []
