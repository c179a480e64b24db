"""Kinds of story on a generated test issue (test copy, never real news), read back from the
PDF: briefs (简讯) with every item in order, photo news (图片新闻) with its caption and no body,
a 栏目 label (今日关注) over its module, a commentary (评论) with its byline, all placed by the
make-up search beside an ad; every character set once or reported; a kind missing its parts
is one located line, exit 2."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from layout.load.style import find_style, load_style
from layout.pipeline import render
from layout.place.model import PhotoFrame
from pdfglyphs import pdf_glyphs
from cli import run_main
from seed import ROOT

sys.path.insert(0, str(ROOT))
from tools.gen_issue import generate  # noqa: E402

GRID = load_style(find_style("kecheng", ROOT, ROOT / "styles")).grid
PAGE = 2


@pytest.fixture(scope="module")
def kinds(tmp_path_factory):
    path = generate(tmp_path_factory.mktemp("kinds"), pages=2, stories_per_page=(1, 3), photos=True, seed=4,
                    ads=True, kinds=PAGE)
    r = render(str(path), path.parent / "out.pdf", write=True)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    stories = {s["id"]: s for s in data["stories"]}
    return r, stories, pdf_glyphs(r.pdf)


def _module(r, sid):
    return next(m for m in r.laid.pages[PAGE - 1].modules if m.owner == sid)


def _inside(r, glyphs, sid):
    """The glyphs inside the story's module, in reading order (story column, line, across)."""
    c = _module(r, sid).cell
    x0, x1 = GRID.col_x(c.col), GRID.col_x(c.col) + GRID.span_width(c.cols)
    y0, y1 = GRID.line_top(c.line), GRID.line_top(c.line + c.lines)
    return [g for g in glyphs if g.page == PAGE and x0 - 1 <= g.left and g.right <= x1 + 1
            and y0 - 1 <= g.top and g.bottom <= y1 + 1]


def _reading(gs) -> str:
    def column(g) -> int:
        return max(k for k in range(GRID.columns) if GRID.col_x(k) <= g.left + 0.5)
    return "".join(g.char for g in sorted(gs, key=lambda g: (column(g), round(g.baseline, 1), g.left)))


def _plain(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace())


def test_every_kind_is_placed_by_the_search(kinds):
    r, stories, _ = kinds
    for sid in ("p2briefs", "p2photo", "p2comment", "p2focus"):
        assert _module(r, sid).auto
        assert not _module(r, sid).overset_chars


def test_briefs_items_all_present_in_order(kinds):
    r, stories, glyphs = kinds
    body = [g for g in _inside(r, glyphs, "p2briefs") if g.bottom - g.top < 1.2 * GRID.em]   # not the label
    want = "".join(it["title"] + it["text"] for it in stories["p2briefs"]["items"])
    assert _plain(_reading(body)) == _plain(want)
    assert "简讯" in "".join(g.char for g in _inside(r, glyphs, "p2briefs") if g.bottom - g.top > 1.2 * GRID.em)


def test_photo_news_has_its_caption_and_no_body(kinds):
    r, stories, glyphs = kinds
    st = stories["p2photo"]
    m = _module(r, "p2photo")
    assert m.body_chars == 0 and m.copy_chars == len(_plain(st["headline"] + st["photo"]["caption"] + "（测试摄）"))
    frames = [it for it in r.laid.pages[PAGE - 1].items if isinstance(it, PhotoFrame) and it.owner == "p2photo"]
    assert len(frames) == 1 and frames[0].present
    assert abs(frames[0].w - GRID.span_width(m.cell.cols)) < 1    # across the module
    small = [g for g in _inside(r, glyphs, "p2photo") if g.bottom - g.top < 1.2 * GRID.em]
    caption = "".join(g.char for g in sorted(small, key=lambda g: (round(g.baseline, 1), g.left)))   # lines across
    assert _plain(caption) == _plain(st["photo"]["caption"] + "（测试摄）")
    assert all(g.top > frames[0].y + frames[0].h for g in small)    # under the photo


def test_the_label_stands_over_its_module(kinds):
    r, stories, glyphs = kinds
    gs = _inside(r, glyphs, "p2focus")
    label = [g for g in gs if g.char in "今日关注"][:4]
    assert "".join(g.char for g in label) == "今日关注"
    rest = [g for g in gs if g not in label]
    assert max(g.bottom for g in label) <= min(g.top for g in rest) + 0.5
    # at the module's left edge, within the headline block's one-em pad
    assert label[0].left - GRID.col_x(_module(r, "p2focus").cell.col) <= GRID.em + 0.5


def test_commentary_has_its_byline_under_its_headline(kinds):
    r, stories, glyphs = kinds
    gs = _inside(r, glyphs, "p2comment")
    line = sorted((g for g in gs if g.char in "本报评论员测试"), key=lambda g: (g.baseline, g.left))
    text = "".join(g.char for g in line)
    assert "本报评论员测试" in text
    by = line[text.index("本报评论员")]
    head = [g for g in gs if g.bottom - g.top > 1.5 * GRID.em]          # the headline, at 二号
    body = [g for g in gs if g.baseline > by.baseline + 1]
    assert head and max(g.baseline for g in head) < by.baseline < min(g.baseline for g in body)


def test_nothing_is_dropped(kinds):
    r, stories, _ = kinds
    for b in r.balance:
        assert b.copy == b.set + b.overset, b


def _main(argv):
    code, _, err = run_main(argv)
    return code, err


@pytest.mark.parametrize("story, words", [
    ({"id": "x", "kind": "briefs", "body": ["测试。"]}, "hold 'items'"),
    ({"id": "x", "kind": "photo", "headline": "测试", "body": ["测试。"]}, "no 'body'"),
    ({"id": "x", "headline": "测试", "byline": "某某", "body": ["测试。"]}, "needs kind: commentary"),
    ({"id": "x", "headline": "测试", "items": [{"text": "测试。"}], "body": ["测试。"]}, "need kind: briefs"),
])
def test_a_kind_missing_its_parts_is_one_located_line(tmp_path, story, words):
    issue = {"masthead": {"title": "今日柯城", "date": "2020-03-16", "number": 1, "publisher": "测试"},
             "stories": [story], "pages": [{"number": 1, "modules": [{"story": "x"}]}]}
    path = tmp_path / "issue.yaml"
    path.write_text("# 【测试稿】\n" + yaml.safe_dump(issue, allow_unicode=True), encoding="utf-8")
    code, err = _main([str(path), "-o", str(tmp_path / "o.pdf")])
    assert code == 2 and len(err.strip().splitlines()) == 1 and "issue.yaml:" in err and words in err, err
