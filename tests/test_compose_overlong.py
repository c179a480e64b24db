"""Runs that cannot fit their measure (issue 20, item 1): a long URL, a 200-letter word, a
101-digit number, a long run of 、 or （）.  The composer breaks them (a URL after / . -,
a word at its hyphenation points with a hyphen drawn, a number between digit groups, any
boundary as the last resort), and every glyph is drawn inside its module: checked on the
composer's lines and by rendering test issues and reading the PDF back."""
from __future__ import annotations

import sys

import pytest
import yaml

from layout.compose import charclass as cc
from layout.compose.analysis import analyze_paragraph
from layout.compose.model import ComposeSettings, Span
from layout.compose.paragraph import compose_paragraph
from layout.compose.testing import FakeMetrics
from layout.pipeline import render
from pdfglyphs import pdf_glyphs
from seed import ROOT

sys.path.insert(0, str(ROOT))
from tools.gen_issue import generate  # noqa: E402

EM = 9.0
FAKE = FakeMetrics()
URL = "https://www.example.com/kecheng/news/2020/03/16/a-very-long-path-name/index.html?id=1640"
WORD = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 4 + "abcdefghijklmnopqrst"
NUMBER = "1" + "0" * 100
COMMAS = "、" * 60
BRACKETS = "（）" * 30
OVERLONG = {"url": URL, "word": WORD, "number": NUMBER, "commas": COMMAS, "brackets": BRACKETS}


def _set(text: str, measure_em: float = 13, settings: ComposeSettings = ComposeSettings()):
    return compose_paragraph([Span(text, "song", EM)], measure_em * EM, FAKE, settings, first_indent=2.0)


@pytest.mark.parametrize("kind", sorted(OVERLONG))
def test_every_line_within_its_measure(kind):
    text = "测试稿：" + OVERLONG[kind] + "，完。"
    par = _set(text)
    assert len(par.lines) > 2
    for ln in par.lines:
        for g in ln.glyphs:
            # the room a glyph takes: an opening bracket set half width is drawn half an em
            # left of it (its blank half), the ink in the room
            nat = FAKE.advance(g.font, g.ch) * g.size
            left = g.x + (nat - g.advance) if cc.info(g.ch).blank == "L" else g.x
            assert left >= -1e-6 and left + g.advance <= ln.measure + 1e-6, (kind, ln.text, g)
    # every character once, in order (a drawn hyphen stands for none: index -1)
    assert [g.index for ln in par.lines for g in ln.glyphs if g.index >= 0] == list(range(len(text)))
    assert not any("overfull" in n for n in par.notes), par.notes


def test_url_broken_after_its_separators():
    par = _set("网址：" + URL + "。")
    for ln in par.lines[:-1]:
        tail = ln.text[-1]
        assert tail in "/.-_?&=#：" or cc.classify(tail) == cc.ID, ln.text


def test_long_word_hyphenated_with_a_drawn_hyphen():
    par = _set("词：" + WORD + "。")
    hyphens = [ln.glyphs[-1] for ln in par.lines if ln.glyphs[-1].index == -1]
    assert hyphens, [ln.text for ln in par.lines]
    for g in hyphens:
        assert g.ch == "-" and g.advance == pytest.approx(FAKE.advance("song", "-") * EM)
    # the hyphen stands where pyphen allows a break in the word
    import pyphen

    allowed = set(pyphen.Pyphen(lang="en_US").positions(WORD))
    base = len("词：")
    for ln in par.lines:
        if ln.glyphs[-1].index == -1:
            assert ln.end - base in allowed, ln.text


def test_number_broken_between_groups_of_three():
    par = _set("数：" + NUMBER + "。")
    base = len("数：")
    end = base + len(NUMBER)
    for ln in par.lines[:-1]:
        if base < ln.end < end:
            assert (end - ln.end) % 3 == 0, ln.text


def test_a_run_that_fits_is_never_broken():
    """The last resort is for runs wider than the measure only."""
    par = _set("投资1,000万元建设示范区，带动就业200余人，" * 3, 13)
    rep = analyze_paragraph(par, FAKE, ComposeSettings(), em=EM)
    assert rep["split_units"] == []
    text = [ln.text for ln in par.lines]
    assert not any(t.endswith(("1,", "1,0", "200", "20")) for t in text), text


# ---------------------------------------------------------------------------
# rendered issues, read back from the PDF
# ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    d = tmp_path_factory.mktemp("overlong")
    path = generate(d, pages=1, stories_per_page=(3, 3), photos=False, seed=5)
    original = path.read_text(encoding="utf-8")
    header = "".join(ln + "\n" for ln in original.splitlines() if ln.startswith("#"))
    data = yaml.safe_load(original)
    for story, kinds in zip(data["stories"], (("url", "word"), ("number", "commas"), ("brackets",))):
        story["body"] = ["【测试稿】" + "，".join(OVERLONG[k] for k in kinds) + "。"] + list(story["body"])[:2]
    path.write_text(header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = render(str(path), d / "out.pdf", write=True)
    return result


def test_rendered_copy_stays_inside_its_modules(rendered):
    grid = rendered.style.grid
    page = rendered.laid.pages[0]
    boxes = []
    for m in page.modules:
        c = m.cell
        boxes.append((grid.col_x(c.col), grid.col_x(c.col) + grid.span_width(c.cols),
                      grid.line_top(c.line), grid.line_top(c.line + c.lines) + 0.5))
    top = min(b[2] for b in boxes)
    bottom = max(b[3] for b in boxes)
    glyphs = [(g.page, g.char, g.left, g.right, g.baseline) for g in pdf_glyphs(rendered.pdf)
              if top < g.baseline <= bottom]
    assert len(glyphs) > 500
    for story in ("https", "Pneumono", "10000", "、、、", "（）（）"):
        text = "".join(g[1] for g in glyphs)
        assert story in text
    outside = []
    for _p, ch, left, right, base in glyphs:
        home = [b for b in boxes if b[0] - 0.5 <= left and b[2] < base <= b[3]]
        if not any(right <= b[1] + 0.5 for b in home):
            outside.append((ch, round(left, 1), round(right, 1), round(base, 1)))
    assert outside == []


def test_rendered_copy_accounted_for(rendered):
    """Whatever does not fit is overset and reported, never drawn off the module."""
    findings = rendered.preflight.findings
    for m in rendered.laid.pages[0].modules:
        if m.overset_chars:
            assert any(f.code == "overset" and m.owner in f.message for f in findings)
        assert m.set_chars + m.overset_chars >= m.body_chars
