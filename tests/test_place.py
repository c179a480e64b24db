"""The place stage: grid, modules, automatic placement, level columns, jumps, furniture."""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from layout.check.accounting import story_copy
from layout.pipeline import render
from layout.diskcache import JsonCache
from layout.place.calendar import compute_lunar_line, date_line, lunar_line, weekday_name
from layout.place.headline import best_breaks, units
from layout.place.model import Cell, PhotoFrame, TextLine, VerticalText
from layout.place.module import StoryText, balance, distribute
from seed import ROOT

ISSUE = ROOT / "issues" / "1640" / "issue.yaml"
STYLES = ["kecheng", "kecheng-5col"]


@pytest.fixture(scope="module", params=STYLES)
def laid(request):
    return render(str(ISSUE), style_arg=request.param, write=False)


def _body_lines(page, owner=None):
    return [it for it in page.items if isinstance(it, TextLine) and it.role == "body"
            and (owner is None or it.owner == owner)]


def test_front_page_modules_tile_the_grid(laid):
    grid = laid.style.grid
    p1 = laid.laid.pages[0]
    cells = [m.cell for m in p1.modules]
    assert len(cells) == 3
    for i, a in enumerate(cells):
        assert a.col >= 0 and a.col + a.cols <= grid.columns
        assert a.line >= 9 and a.line + a.lines <= grid.lines      # below the masthead band
        for b in cells[i + 1:]:
            assert not a.overlaps(b)
    lead = p1.modules[0]
    assert lead.owner == "lead"
    assert lead.cell.line == min(c.line for c in cells)             # the lead is on top
    assert lead.cell.cols == max(c.cols for c in cells)             # and widest
    assert all(m.overset_chars == 0 for m in p1.modules)
    # little white space: the modules cover the free part of the page
    covered = sum(c.cols * c.lines for c in cells)
    assert covered == grid.columns * (grid.lines - 9)


def test_body_on_the_baseline_grid(laid):
    grid = laid.style.grid
    off = (grid.pitch - grid.em) / 2 + 0.88 * grid.em
    for page in laid.laid.pages:
        for ln in _body_lines(page):
            k = (ln.baseline - grid.top - off) / grid.pitch
            assert abs(k - round(k)) < 1e-6, ln.baseline
            assert 0 <= round(k) < grid.lines


def test_columns_of_a_story_end_level(laid):
    for m in laid.laid.pages[0].modules:
        lines = _body_lines(laid.laid.pages[0], m.owner)
        bottoms = Counter()
        for ln in lines:
            bottoms[round(ln.x, 2)] = max(bottoms[round(ln.x, 2)], ln.baseline)
        vals = sorted(bottoms.values())
        assert vals[-1] - vals[0] <= laid.style.grid.pitch + 1e-6, m.owner


def test_every_character_set_exactly_once(laid):
    issue = laid.issue
    for sid in issue.stories:
        got = Counter()
        for page in laid.laid.pages:
            for it in page.items:
                if isinstance(it, TextLine) and it.owner == sid:
                    got.update(g.ch for g in it.glyphs)
                elif isinstance(it, VerticalText) and it.owner == sid:    # a headline set vertically
                    got.update("".join(g.chars for g in it.glyphs))
        assert got == Counter(story_copy(issue, sid)), sid


def test_photo_frame_and_caption(laid):
    p1 = laid.laid.pages[0]
    frames = [it for it in p1.items if isinstance(it, PhotoFrame) and it.owner == "lead"]
    assert len(frames) == 1
    f = frames[0]
    cap = [it for it in p1.items if isinstance(it, TextLine) and it.role == "caption"]
    assert "".join(g.ch for ln in cap for g in ln.glyphs) == "获奖者上台领奖（卢颖摄）"
    assert all(ln.baseline > f.y + f.h for ln in cap)                # the caption is under the photo
    lead = p1.modules[0].cell
    grid = laid.style.grid
    assert grid.col_x(lead.col) - 1e-6 <= f.x and f.x + f.w <= grid.col_x(lead.col) + grid.span_width(lead.cols) + 1e-6
    # text does not run under the photo
    for ln in _body_lines(p1, "lead"):
        if f.x <= ln.x < f.x + f.w:
            assert not (f.y <= ln.baseline <= f.y + f.h)


def test_plan_with_the_engines_areas_gives_the_same_page(tmp_path):
    auto = render(str(ISSUE), write=False)
    data = yaml.safe_load(ISSUE.read_text(encoding="utf-8"))
    for mod, placed in zip(data["pages"][0]["modules"], auto.laid.pages[0].modules):
        c = placed.cell
        mod["area"] = {"columns": f"{c.col + 1}-{c.col + c.cols}", "lines": f"{c.line + 1}-{c.line + c.lines}"}
    p = tmp_path / "issue.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    planned = render(str(p), write=False)
    assert [m.cell for m in planned.laid.pages[0].modules] == [m.cell for m in auto.laid.pages[0].modules]
    assert not any(m.auto for m in planned.laid.pages[0].modules)
    a = [(it.x, it.baseline, it.owner) for it in auto.laid.pages[0].items if isinstance(it, TextLine)]
    b = [(it.x, it.baseline, it.owner) for it in planned.laid.pages[0].items if isinstance(it, TextLine)]
    assert a == b


def test_plan_with_other_areas_is_followed(tmp_path):
    data = yaml.safe_load(ISSUE.read_text(encoding="utf-8"))
    areas = [("1-4", "10-60"), ("5-6", "10-82"), ("1-4", "61-82")]
    for mod, (c, li) in zip(data["pages"][0]["modules"], areas):
        mod["area"] = {"columns": c, "lines": li}
    p = tmp_path / "issue.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    r = render(str(p), write=False)
    cells = [m.cell for m in r.laid.pages[0].modules]
    assert cells == [Cell(0, 9, 4, 51), Cell(4, 9, 2, 73), Cell(0, 60, 4, 22)]
    # whatever does not fit is reported, never dropped
    for m in r.laid.pages[0].modules:
        assert m.set_chars + m.overset_chars == m.copy_chars
        if m.overset_chars:
            assert any(f.code == "overset" and m.owner in f.message for f in r.laid.findings)


def _jump_issue(tmp_path: Path) -> Path:
    data = yaml.safe_load(ISSUE.read_text(encoding="utf-8"))
    data["pages"][0]["modules"][0]["area"] = {"columns": "1-6", "lines": "10-30"}
    data["pages"][0]["modules"][0]["jump"] = 3
    p = tmp_path / "issue.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return p


def test_jump_continues_on_the_named_page(tmp_path):
    r = render(str(_jump_issue(tmp_path)), write=False)
    pages = r.laid.pages

    def text(page, owner_prefix):
        return "".join(g.ch for it in page.items if isinstance(it, TextLine) and it.owner.startswith(owner_prefix)
                       for g in it.glyphs)
    assert "（下转第3版）" in text(pages[0], "jump:lead")
    assert "（上接第1版）" in text(pages[2], "jump:lead")
    lead_p1 = [m for m in pages[0].modules if m.owner == "lead"][0]
    lead_p3 = [m for m in pages[2].modules if m.owner == "lead"][0]
    assert lead_p1.overset_chars == 0 and lead_p3.overset_chars == 0
    body = "".join(p.text for p in r.issue.stories["lead"].body)
    # the first part ends where the continuation begins: the whole body, in order, once
    first = "".join(g.ch for it in _body_lines(pages[0], "lead") for g in it.glyphs)
    rest = "".join(g.ch for it in _body_lines(pages[2], "lead") for g in it.glyphs)
    assert (first + rest) == (r.issue.stories["lead"].dateline + body)
    assert rest and first
    # page 3's continuation does not overlap the reserved frame it shares the page with
    cells = [m.cell for m in pages[2].modules]
    assert not cells[0].overlaps(cells[1])


def test_jump_to_a_missing_page_is_bad_input(tmp_path):
    from layout.load.source import InputError
    p = _jump_issue(tmp_path)
    p.write_text(p.read_text(encoding="utf-8").replace("jump: 3", "jump: 9"), encoding="utf-8")
    with pytest.raises(InputError, match="jump"):
        render(str(p), write=False)


# -- headlines ---------------------------------------------------------------

def _w(t):
    return float(len(t))


@pytest.mark.parametrize("words,lines,measure,expect", [
    # a naive fill would strand 召开 / one character; balanced at word boundaries instead
    (["区委", "经济", "工作", "会议", "暨", "“", "三个", "年", "”", "活动", "动员大会", "召开"], 2, 20,
     ["区委经济工作会议暨", "“三个年”活动动员大会召开"]),
    # greedy at 8 would give 区领导挂联服务组 / 工作汇报会召开 — fine; at 12 it must not leave 开 alone
    (["区", "领导", "挂联", "服务组", "工作", "汇报会", "召开"], 2, 14, ["区领导挂联服务组", "工作汇报会召开"]),
    # quoted phrase kept whole
    (["柯城", "吹响", "“", "三个", "年", "”", "奋斗", "集结", "号"], 2, 9, ["柯城吹响“三个年”", "奋斗集结号"]),
    # a deck's leading dash stays with its word
    (["—", "—", "柯城", "年", "后", "“", "第一", "会", "”", "侧记"], 2, 8, ["——柯城年后", "“第一会”侧记"]),
])
def test_headline_breaks(words, lines, measure, expect):
    assert best_breaks(units(words), lines, measure, _w) == expect


def test_headline_break_never_leaves_one_character():
    assert best_breaks(units(["一", "二三四五六七八九"]), 2, 9, _w) is None
    assert best_breaks(units(["新闻", "发布会", "召开", "了"]), 2, 6, _w) == ["新闻发布会", "召开了"]


def test_headline_steps_down_then_reports(tmp_path):
    data = yaml.safe_load(ISSUE.read_text(encoding="utf-8"))
    data["pages"][0]["modules"][2]["area"] = {"columns": 6, "lines": "60-82"}
    data["pages"][0]["modules"][0]["area"] = {"columns": "1-5", "lines": "10-59"}
    data["pages"][0]["modules"][1]["area"] = {"columns": "1-5", "lines": "60-82"}
    data["stories"][2]["headline"] = "区领导挂联服务组工作汇报会召开区领导挂联服务组工作汇报会召开"
    p = tmp_path / "issue.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    r = render(str(p), write=False)
    assert any(f.code == "headline-fit" and "brief" in f.message for f in r.laid.findings)
    heads = [it for it in r.laid.pages[0].items if isinstance(it, TextLine) and it.role == "headline_3"]
    assert heads and heads[0].glyphs[0].size == r.style.roles["headline_3"].min_size


# -- columns: balance, widows, orphans, subheads -------------------------------

def test_balance_is_level():
    bottom, counts = balance(100, [0, 0, 0, 0], 60)
    assert bottom == 25 and counts == [25, 25, 25, 25]
    bottom, counts = balance(99, [0, 0, 0, 0], 60)
    assert bottom == 25 and sorted(counts) == [24, 25, 25, 25]
    bottom, counts = balance(50, [20, 20, 0, 0], 60)    # a photo over the first two columns
    assert bottom == 23 and counts == [3, 3, 22, 22]
    bottom, counts = balance(51, [20, 20, 0, 0], 60)    # the last column a line short
    assert bottom == 23 and counts == [3, 3, 23, 22]


def test_a_photo_at_the_right_keeps_the_lines_under_it():
    """The photo in the last columns (PhotoPlan.right): the columns beside it end a line short,
    not those under it, where three lines would become a stub of two (cost.photo_stub)."""
    bottom, counts = balance(50, [0, 0, 20, 20], 60)
    assert bottom == 23 and counts == [22, 22, 3, 3]
    t = _story_text([50])
    assert distribute(t, 0, [0, 0, 20, 20], 50, 60) == (23, [22, 22, 3, 3])
    assert distribute(t, 0, [20, 20, 0, 0], 50, 60) == (23, [3, 3, 22, 22])


def _story_text(paras: list[int], kinds=None) -> StoryText:
    lines = [(i, None) for i, n in enumerate(paras) for _ in range(n)]
    return StoryText(paragraphs=[], lines=lines, kinds=kinds or ["body"] * len(paras), chars=0)


@pytest.mark.parametrize("paras,kinds,expect", [
    ([8, 7], None, [8, 7]),                      # the level break falls between paragraphs
    ([7, 8], None, [7, 8]),                      # [8, 7] would leave paragraph 1's first line alone
    ([9, 6], None, [7, 8]),                      # [8, 7] would carry paragraph 0's last line alone
    ([7, 1, 7], ["body", "subhead", "body"], [7, 8]),   # a subhead never ends a column
])
def test_column_breaks_strand_no_line(paras, kinds, expect):
    t = _story_text(paras, kinds)
    bottom, counts = distribute(t, 0, [0, 0], 15, 20)
    assert (bottom, counts) == (8, expect)


def test_level_columns_win_when_no_break_is_clean():
    t = _story_text([2, 2, 2, 2, 2])        # any level split of 3 columns strands a line
    bottom, counts = distribute(t, 0, [0, 0, 0], 10, 20)
    assert bottom == 4 and sorted(counts) == [3, 3, 4]


def test_strand_free_answers_what_distribute_looks_for():
    """module.strand_free (the variants' question: can these level columns break without
    stranding a line?) against distribute's own search over every choice of short columns,
    on random paragraphs, subheads and column rooms (photo columns with none), from several
    first lines."""
    import itertools
    import random

    from layout.place.module import strand_free, strands

    rng = random.Random(21)
    found = Counter()
    for _ in range(3000):
        paras, kinds = [], []
        for _ in range(rng.randint(1, 8)):
            kinds.append("subhead" if rng.random() < 0.2 else "body")
            paras.append(1 if kinds[-1] == "subhead" else rng.randint(1, 6))
        t = _story_text(paras, kinds)
        room = [rng.randint(0, 8) for _ in range(rng.randint(1, 6))]
        active = [c for c, r in enumerate(room) if r]
        spare, start = rng.randint(0, len(active)), rng.randint(0, 3)
        tried = any(not strands(t, start, [r - (c in short) for c, r in enumerate(room)])
                    for short in itertools.combinations(active, spare))
        assert strand_free(t, start, room, spare) == tried, (paras, kinds, room, spare, start)
        found[tried] += 1
    assert found[True] > 300 and found[False] > 300      # both answers exercised


# -- calendar -------------------------------------------------------------------

@pytest.mark.parametrize("day,lunar,week", [
    (dt.date(2020, 3, 16), "农历庚子年二月廿三", "星期一"),
    (dt.date(2021, 2, 11), "农历庚子年腊月三十", "星期四"),     # the last day of a lunar year
    (dt.date(2021, 2, 12), "农历辛丑年正月初一", "星期五"),     # across the year boundary
    (dt.date(2020, 5, 23), "农历庚子年闰四月初一", "星期六"),   # a leap month
    (dt.date(2019, 12, 31), "农历己亥年腊月初六", "星期二"),
])
def test_lunar_dates(day, lunar, week, tmp_path):
    assert compute_lunar_line(day) == lunar
    cache = JsonCache(tmp_path / "lunar.json")
    assert lunar_line(day, cache) == lunar                              # computed, then kept
    assert JsonCache(tmp_path / "lunar.json").get(f"1:{day.isoformat()}") == lunar
    assert lunar_line(day, JsonCache(tmp_path / "lunar.json")) == lunar  # read back
    assert weekday_name(day) == week
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", date_line(day))


def test_masthead_checks_the_stated_lunar_date(tmp_path):
    p = tmp_path / "issue.yaml"
    p.write_text(ISSUE.read_text(encoding="utf-8").replace("lunar: 农历庚子年二月廿三", "lunar: 农历庚子年二月廿四"),
                 encoding="utf-8")
    r = render(str(p), write=False)
    assert any(f.code == "lunar-date" and "农历庚子年二月廿三" in f.message for f in r.laid.findings)
    clean = render(str(ISSUE), write=False)
    assert not any(f.code in ("lunar-date", "weekday") for f in clean.laid.findings)


def test_page_headers_on_inside_pages(laid):
    for page in laid.laid.pages[1:]:
        text = "".join(g.ch for it in page.items if isinstance(it, TextLine) and it.owner.startswith("header")
                       for g in it.glyphs)
        assert f"第{page.number}版" in text and page.name in text
        assert "今日柯城" in text and "2020年3月16日" in text


def test_qr_code_from_payload(tmp_path):
    from layout.place.model import Box
    text = ISSUE.read_text(encoding="utf-8").replace(
        "    - label: 柯城发布\n      kind: qr", "    - label: 柯城发布\n      kind: qr\n      payload: TEST-PAYLOAD-1640")
    p = tmp_path / "issue.yaml"
    p.write_text(text, encoding="utf-8")
    r = render(str(p), write=False)
    boxes = [it for it in r.laid.pages[0].items if isinstance(it, Box) and it.fill == "black"]
    import segno
    dark = sum(sum(row) for row in segno.make("TEST-PAYLOAD-1640", error="m", micro=False).matrix)
    assert sum(round(b.w / b.h) for b in boxes) == dark          # every dark module drawn once
    missing = [f for f in r.laid.findings if f.code == "missing-qr"]
    assert len(missing) == 1 and "运动柯城" in missing[0].message


def test_masthead_logo_from_the_style(tmp_path):
    """A style may name the title artwork: it replaces the typeset title, kept in colour."""
    from PIL import Image, ImageDraw
    logo = tmp_path / "logo.png"
    im = Image.new("RGB", (1600, 500), "white")
    ImageDraw.Draw(im).rectangle((40, 40, 1560, 460), fill=(220, 20, 30))
    im.save(logo)
    style = (ROOT / "styles" / "kecheng.yaml").read_text(encoding="utf-8").replace("../fonts/", f"{ROOT / 'fonts'}/")
    style += f"\nmasthead:\n  logo: {logo}\n"
    sp = tmp_path / "logo-style.yaml"
    sp.write_text(style, encoding="utf-8")
    r = render(str(ISSUE), tmp_path / "x.pdf", style_arg=str(sp), write=True)
    p1 = r.laid.pages[0]
    frames = [it for it in p1.items if isinstance(it, PhotoFrame) and it.owner == "masthead" and it.present]
    assert len(frames) == 1 and frames[0].color and frames[0].path == logo
    assert not [it for it in p1.items if isinstance(it, TextLine) and it.role == "masthead_title"]
    import pypdf
    page = pypdf.PdfReader(r.pdf).pages[0]
    spaces = {str(x.get_object()["/ColorSpace"]) for x in page["/Resources"]["/XObject"].values()}
    assert spaces == {"/DeviceCMYK"}                      # in colour, and never RGB
    assert not [f for f in r.preflight.findings if f.severity == "error"]


def test_a_larger_dateline_keeps_the_body_on_its_grid(tmp_path):
    """A dateline set larger than the body leads the first paragraph; the paragraph's indent
    and grid stay the body's (2 body ems), and a long first paragraph sets in time."""
    from layout.fonts.fontset import build_fontset
    from layout.load.style import load_style
    from layout.place.textset import Setter
    text = (ROOT / "styles" / "kecheng.yaml").read_text(encoding="utf-8")
    assert "  dateline:       {font: hei, size: 小五}" in text
    text = text.replace("  dateline:       {font: hei, size: 小五}", "  dateline:       {font: hei, size: 12pt}")
    text = text.replace("../fonts/", f"{ROOT}/fonts/")
    path = tmp_path / "big-dateline.yaml"
    path.write_text(text, encoding="utf-8")
    style = load_style(path, "big-dateline.yaml")
    setter = Setter(build_fontset(style.fonts, style.fallback), style)
    em = style.roles["body"].size
    par = setter.paragraph([("本报讯（记者 严嘉慧）", "dateline"), ("区委召开经济工作会议，研究部署今年经济工作。" * 40, "body")],
                           13 * em, "test")
    assert par.lines[0].glyphs[0].x == pytest.approx(2 * em)
    assert par.lines[0].glyphs[0].size == 12.0
    on_grid = 0
    for ln in par.lines[1:-1]:
        body = [g for g in ln.glyphs if g.ch == "区"]
        on_grid += all(abs(g.x / em - round(g.x / em)) < 1e-6 for g in body)     # on the body's grid
        assert ln.width == pytest.approx(13 * em, abs=0.05)
    # (a line that pushes a mark in or out is spread evenly, off the grid: issue 14)
    assert on_grid >= 0.8 * (len(par.lines) - 2)


def test_headline_never_splits_a_number_from_its_unit_or_a_date():
    """The headline breaker keeps together what the body composer keeps (breaks.kept_together):
    `3月13日`, `92条`; a headline of two lines is then broken elsewhere, never `3|月13日`."""
    from layout.place.headline import best_breaks, units

    words = ["【", "测试", "稿", "】", "3", "月", "13", "日", "上午"]
    parts = units(words)
    assert "3月13日" in parts
    assert "92条" in units(["共", "收集", "问题", "92", "条"])
    # two lines of at most 8: the evenest split (6 | 6) would be `【测试稿】3|月13日上午`
    lines = best_breaks(parts, 2, 8, len)
    assert lines == ["【测试稿】", "3月13日上午"]


@pytest.mark.parametrize("style_name", ["kecheng", "kecheng-5col"])
def test_furniture_is_measured_as_it_is_set(style_name):
    """A headline, deck or kicker is measured as composition sets it: a face's proportional
    quotes in their em box, a comma before a quote compressed, the Han-Latin gap (measured as
    their advances added up, a deck of quotes in two columns was set 18 pt past its measure
    and drawn outside its module). Every line of the block fits its measure, at the widths a
    module of one to three columns gives; the width measured is the line's as set."""
    from layout.compose.paragraph import compose_paragraph
    from layout.fonts.fontset import build_fontset
    from layout.load.style import load_style
    from layout.place.textset import Setter
    style = load_style(ROOT / "styles" / f"{style_name}.yaml", f"{style_name}.yaml")
    setter = Setter(build_fontset(style.fonts, style.fallback), style)
    texts = ["二要牢牢抓住“一体化”这条发展路子", "“三个年”活动当作最好的“练兵场”“赛马场”",
             "GDP增长6.5%，全区上下“比学赶超”", "区委召开（扩大）会议：部署“十四五”规划"]
    for text in texts:
        for role in ("deck", "kicker", "headline_2"):
            size = style.roles[role].size
            alone = compose_paragraph(setter.spans(text, role, size, record=False), 1e6, setter.fonts,
                                      setter.furniture_settings, first_indent=0.0)
            assert setter.width_em(text, role) * size == pytest.approx(alone.lines[0].width, abs=0.01)
            for cols in (1, 2, 3):
                measure = style.grid.span_width(cols) - 2 * style.grid.em
                block = (setter.deck(text, role, measure) if role != "headline_2"
                         else setter.headline(text, role, measure)[0])
                assert "".join(g.ch for _, ln in block.lines for g in ln.glyphs) == text
                assert all(ln.width <= measure + 1e-6 for _, ln in block.lines), (text, role, cols)


def test_an_orphan_across_a_photo_column_is_stranded():
    """A paragraph's first line alone at the foot of a column, the next column all photo and
    the paragraph going on in the one after: a stranded line (module.strands), as when the
    columns are next to each other (generated --photos --seed 5 page 4: a dateline alone under
    the lead's photo)."""
    from layout.place.module import StoryLines, strands
    text = StoryLines(lines=((0, None),) * 2 + ((1, None),) * 7, kinds=["text", "text"], chars=0)
    assert strands(text, 0, [3, 6])                # side by side: paragraph 1's first line alone
    assert strands(text, 0, [3, 0, 6])             # the same across a column of photo alone
    assert not strands(text, 0, [2, 0, 7])         # a paragraph break at the photo: none stranded
