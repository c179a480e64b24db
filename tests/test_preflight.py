"""The preflight on deliberately wrong input: each fault is reported (located on its page where
it has one) and converted where the print rules say so, and the PDF stays clean."""
from __future__ import annotations

import json
from pathlib import Path

import pypdf
import pytest
from PIL import Image

from layout.check.preflight import pdf_findings, preflight
from layout.check.report import summary_lines
from layout.emit.pdf import PrintSettings, clip_tac, ink, write_pdf
from layout.load.style import CMYK
from layout.pipeline import load, render
from test_print import operations, paint_states

ROOT = Path(__file__).resolve().parent.parent
ISSUE = ROOT / "issues" / "1640" / "issue.yaml"
STYLE = ROOT / "styles" / "kecheng.yaml"
NO_FONT_CHAR = "\U00017000"        # a Tangut character: no face of the style has it


def make_issue(tmp: Path, issue=(), style=(), photo: Image.Image | None = None,
               photo_name: str = "awards.jpg") -> Path:
    """Issue 1640 and the house style in `tmp`, with (old, new) text replacements applied."""
    st = STYLE.read_text(encoding="utf-8").replace("../fonts/", f"{ROOT}/fonts/")
    for old, new in style:
        assert old in st, old
        st = st.replace(old, new)
    (tmp / "style.yaml").write_text(st, encoding="utf-8")
    it = ISSUE.read_text(encoding="utf-8").replace("style: kecheng", f"style: {tmp / 'style.yaml'}")
    for old, new in issue:
        assert old in it, old
        it = it.replace(old, new)
    (tmp / "issue.yaml").write_text(it, encoding="utf-8")
    if photo is not None:
        (tmp / "photos").mkdir(exist_ok=True)
        photo.save(tmp / "photos" / photo_name)
    return tmp / "issue.yaml"


def rgb_photo(w: int = 1800, h: int = 1200) -> Image.Image:
    """A colourful RGB test image: red, green and blue ramps."""
    im = Image.new("RGB", (w, h))
    px = im.load()
    for y in range(0, h):
        for x in range(0, w, 1):
            px[x, y] = (x * 255 // w, y * 255 // h, 255 - x * 255 // w)
    return im


def _lead_body_times(n: int) -> tuple[str, str]:
    """Issue replacement that repeats the lead story's first paragraph n times (too long)."""
    text = ISSUE.read_text(encoding="utf-8")
    start = text.index("      - 3月13日上午")
    end = text.index("\n", start)
    para = text[start:end]
    return para, "\n".join([para] * n)


@pytest.fixture(scope="module")
def wrong(tmp_path_factory):
    """One issue with every fault at once: an RGB photo, a colour over 240 %, a rich black,
    a character in no font, a story too long for its module."""
    tmp = tmp_path_factory.mktemp("wrong")
    path = make_issue(
        tmp,
        issue=[("headline: 区领导挂联服务组工作汇报会召开", f"headline: 区领导挂联服务组工作汇报会召开{NO_FONT_CHAR}"),
               _lead_body_times(6)],
        style=[("red: [0, 100, 100, 0]", "red: [80, 100, 100, 0]"),
               ("black: [0, 0, 0, 100]", "black: [60, 40, 40, 100]")],
        photo=rgb_photo(),
    )
    out = tmp / "wrong.pdf"
    result = render(str(path), out)
    return result, out


def _codes(result) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in result.preflight.findings:
        out.setdefault(f.code, []).append(f)
    return out


def test_overset_story_is_an_error_with_its_module(wrong):
    result, _ = wrong
    fs = _codes(result)["overset"]
    assert fs and all(f.severity == "error" and f.page == 1 for f in fs)
    g = result.style.grid
    for f in fs:
        mod = next(m for m in result.laid.pages[0].modules if m.owner == f.where.split()[1])
        assert mod.overset_chars > 0 and f"'{mod.owner}'" in f.message
        assert f.box == pytest.approx((g.col_x(mod.cell.col), g.line_top(mod.cell.line),
                                       g.span_width(mod.cell.cols), mod.cell.lines * g.pitch))


def test_character_in_no_font_is_an_error_at_the_glyph(wrong):
    result, _ = wrong
    fs = _codes(result)["missing-glyph"]
    assert len(fs) == 1 and fs[0].severity == "error"       # one place on the page, one finding
    f = fs[0]
    assert "U+17000" in f.message and f.page == 1 and f.box is not None
    # the box is where the character sits: on the brief's headline
    heads = [ln for ln in result.laid.pages[0].items if getattr(ln, "owner", None) == "brief"
             and any(gl.ch == NO_FONT_CHAR for gl in ln.glyphs)]
    assert heads
    ln = heads[0]
    g = next(gl for gl in ln.glyphs if gl.ch == NO_FONT_CHAR)
    assert f.box[0] == pytest.approx(ln.x + g.x)


def test_colour_over_the_limit_is_reported_and_clipped(wrong):
    result, out = wrong
    f = _codes(result)["colour-tac"][0]
    assert f.severity == "warning" and "'red'" in f.message and "280%" in f.message
    r = pypdf.PdfReader(out)
    seen_red = False
    for page in r.pages:
        for ops, op in operations(r, page):
            if op in (b"k", b"K"):
                v = [float(x) for x in ops]
                assert sum(v) <= 2.4 + 1e-9, v
                if v[1] > 0.8 and v[0] > 0.5:
                    seen_red = True
    assert seen_red     # the masthead title, in the clipped red
    c = clip_tac(CMYK(80, 100, 100, 0), 240)
    assert c.total <= 240 and c.k == 0 and c.c < c.m == c.y


def test_rich_black_is_reported_and_text_set_k_only(wrong):
    result, out = wrong
    codes = _codes(result)
    assert codes["rich-black"][0].severity == "warning"
    assert "black-not-k" in codes
    r = pypdf.PdfReader(out)
    for page in r.pages:
        for s in paint_states(r, page):
            if s["what"] == "text" and s["color"][1][3] == 1:
                assert s["color"][1][:3] == (0, 0, 0) and s["overprint"] is True


def test_rgb_photo_is_converted_and_reported(wrong):
    result, out = wrong
    f = _codes(result)["photo-converted"][0]
    assert f.severity == "info" and "RGB -> grey" in f.message and f.page == 1 and f.box
    r = pypdf.PdfReader(out)
    images = [x.get_object() for p in r.pages for x in p["/Resources"].get("/XObject", {}).values()
              if x.get_object()["/Subtype"] == "/Image"]
    assert len(images) == 1 and images[0]["/ColorSpace"] == "/DeviceGray"


def test_the_engine_itself_stays_clean(wrong):
    """However wrong the input, the file the engine writes passes its own PDF checks."""
    result, _ = wrong
    assert [f for f in result.preflight.findings if f.stage == "pdf"] == []


def test_errors_and_warnings_in_the_table_and_json(wrong):
    result, out = wrong
    lines = summary_lines(result)
    head = next(ln for ln in lines if ln.startswith("preflight"))
    n_err = len(result.preflight.errors)
    assert n_err >= 2 and f"{n_err} error(s)" in head
    assert any(ln.lstrip().startswith("ERROR") and "overset" in ln for ln in lines)
    assert any(ln.lstrip().startswith("warning") and "colour-tac" in ln for ln in lines)
    data = json.loads(out.with_name("wrong-preflight.json").read_text(encoding="utf-8"))
    assert data["summary"]["errors"] == n_err
    sev = {f["code"]: f["severity"] for f in data["findings"]}
    assert sev["overset"] == "error" and sev["missing-glyph"] == "error" and sev["colour-tac"] == "warning"
    assert data["images"][0]["conversion"] == "RGB -> grey"


def test_small_text_and_thin_rules(tmp_path):
    path = make_issue(tmp_path, style=[("column_rule: 0.3pt", "column_rule: 0.2pt"),
                                       ("caption:        {font: kai, size: 小五,",
                                        "caption:        {font: kai, size: 5.5pt,")])
    issue, style = load(str(path))
    result = render(str(path), write=False)
    codes = _codes(result)
    thin = codes["thin-rule"]
    assert all(f.severity == "warning" and f.page and f.box for f in thin)
    assert "0.2 pt" in thin[0].message
    small = codes["small-text"]
    assert small[0].page == 1 and "caption" in small[0].message and "5.5 pt" in small[0].message


def test_pdf_checks_catch_a_foreign_file(tmp_path):
    """A PDF made without any of the print rules: RGB, no PDF/X keys, no boxes, a font not embedded."""
    from reportlab.pdfgen.canvas import Canvas

    bad = tmp_path / "bad.pdf"
    c = Canvas(str(bad), pagesize=(200, 200))
    c.setFillColorRGB(1, 0, 0)
    c.setFont("Helvetica", 5)
    c.drawString(10, 10, "rgb")
    c.setFillColorCMYK(0.8, 0.8, 0.8, 1)
    c.drawString(10, 30, "rich black")
    c.rect(10, 50, 50, 50, fill=1)
    c.save()
    _, style = load("1640")
    codes = {f.code for f in pdf_findings(bad, style, PrintSettings(), 240)}
    assert {"rgb", "pdfx-version", "pdfx-output-intent", "pdf-boxes", "font-not-embedded",
            "tac", "rich-black-text"} <= codes, codes


def test_knocked_out_black_text_is_caught(tmp_path):
    """The same engine output with black text knocking out is flagged."""
    issue, style = load("1640")
    from layout.fonts.fontset import build_fontset
    from layout.place.page import place_issue
    import layout.emit.pdf as P

    fonts = build_fontset(style.fonts, style.fallback)
    laid = place_issue(issue, style, fonts)
    out = tmp_path / "ko.pdf"
    orig = P.overprints
    try:
        P.overprints = lambda v, use: False
        write_pdf(laid, issue, style, fonts, out)
    finally:
        P.overprints = orig
    fs = pdf_findings(out, style, PrintSettings(), 240)
    assert {"black-no-overprint"} == {f.code for f in fs}
    assert {f.page for f in fs} == {1, 2, 3, 4}


def test_ink_rules():
    assert ink(CMYK(60, 40, 40, 100), "text", 240) == (0, 0, 0, 1)       # black text: K only
    assert ink(CMYK(60, 40, 40, 100), "fill", 240) == (0.6, 0.4, 0.4, 1)  # a rich black area stays
    assert 2.39 <= sum(ink(CMYK(100, 100, 100, 100), "fill", 240)) <= 2.4


def test_preflight_without_a_pdf(tmp_path):
    result = render("1640", write=False)
    pre = result.preflight
    assert "pdf" not in pre.checks and pre.errors == ()
    assert {f.code for f in pre.findings} <= {"awaiting-copy", "missing-photo", "missing-qr", "proof-repeat", "composition",
                                             "missing-editor", "missing-imprint", "missing-licence",
                                             "module-white"}    # page 1's brief: its copy is short (issue 21)
    issue, style = load("1640")
    again = preflight(issue, style, result.fonts, result.laid)
    assert again.findings == pre.findings
