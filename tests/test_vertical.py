"""Vertical headlines (竖排, issue 19): a generated test issue (test copy, never real news) with
one story's headline block set vertically on the right of its body and another's on the left,
read back from the PDF: glyph ids, text matrices and ActualText of every vertical glyph."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import yaml

from layout.check.pdfread import PdfFile, content_ops, text as pdf_text
from layout.compose import charclass as C
from layout.compose.model import Span
from layout.compose.vertical import CORNER_QUOTES, set_vertical, vertical_gid
from layout.fonts.face import load_face
from layout.pipeline import render
from layout.place.model import TextLine, VerticalText
from genissue import read_generated, write_generated
from seed import ROOT

sys.path.insert(0, str(ROOT))
from tools.gen_issue import MARK, generate  # noqa: E402

RIGHT, LEFT = "p1s2", "p1s3"
SERIF_BLACK = ROOT / "fonts" / "NotoSerifCJKsc-Black.otf"
KAI = ROOT / "fonts" / "LXGWWenKai-Regular.ttf"


def _quoted(stories: list[dict]) -> str:
    """A quoted phrase of the generated copy (“…”), for a kicker that carries quotes."""
    for s in stories:
        for para in s["body"]:
            text = para if isinstance(para, str) else para.get("text", "")
            m = re.search(r"“[^”]{2,8}”", text)
            if m:
                return m.group(0)
    raise AssertionError("no quoted phrase in the generated copy")


@pytest.fixture(scope="module")
def issue(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("vertical")
    path = generate(d, pages=1, stories_per_page=(4, 4), photos=False, seed=5)
    header, data = read_generated(path)
    lead, right, left, other = data["stories"]
    assert right["id"] == RIGHT and left["id"] == LEFT
    # the right story's headline block takes pieces of the generated copy (still marked 【测试稿】):
    # a quoted phrase as its kicker, a date of the copy after a comma (a two-digit number), and
    # a deck led by a dash
    copy = "".join(p if isinstance(p, str) else p.get("text", "") for s in data["stories"] for p in s["body"])
    date = re.search(r"\d+ ?月 ?\d{2} ?日[^，。、“”]{2,4}", copy).group(0).replace(" ", "")
    right["headline"] = right["headline"] + "，" + date
    right["deck"] = "——" + right["kicker"]           # the generated kicker, as a deck
    right["kicker"] = re.search(r"“[^”]{2,8}”", copy).group(0)
    right["headline_block"] = "vertical"
    left["headline_block"] = "vertical"
    left["side"] = "left"
    data["pages"][0]["modules"] = [
        {"story": lead["id"], "area": {"columns": "1-6", "lines": "10-25"}},
        {"story": RIGHT, "area": {"columns": "1-2", "lines": "26-82"}},
        {"story": LEFT, "area": {"columns": "3-4", "lines": "26-82"}},
        {"story": other["id"], "area": {"columns": "5-6", "lines": "26-82"}},
    ]
    return write_generated(path, header, data)


@pytest.fixture(scope="module")
def result(issue):
    return render(str(issue), issue.parent / "out.pdf", write=True)


@pytest.fixture(scope="module")
def pdf_glyphs(result) -> list[dict]:
    """Every glyph drawn with its own text matrix (the vertical headlines), in content order:
    face name, size, matrix (in trim coordinates, y down), glyph id and its ActualText."""
    doc = PdfFile.open(result.pdf)
    page = doc.pages()[0]
    trim = [float(v) for v in doc.resolve(page["/TrimBox"])]
    fonts = doc.resolve(doc.resolve(page["/Resources"])["/Font"])
    out, font, size, actual, matrix = [], None, None, None, None
    for args, op in content_ops(doc.contents(page)):
        if op == b"Tf":
            base = str(doc.resolve(fonts[args[0]])["/BaseFont"])
            font, size = base.split("+", 1)[1].removesuffix("-Identity-H"), float(args[1])
        elif op == b"BDC" and args[0] == "/Span":
            actual = pdf_text(doc.resolve(args[1])["/ActualText"])
        elif op == b"Tm":
            a, b, c, d, e, f = (float(v) for v in args)
            matrix = (a, b, c, d, e - trim[0], trim[3] - f)
        elif op == b"Tj" and actual is not None:
            gid = int.from_bytes(args[0], "big")
            out.append({"font": font, "size": size, "m": matrix, "gid": gid, "chars": actual})
        elif op == b"EMC":
            actual = None
    return out


def _blocks(result, owner: str) -> list[VerticalText]:
    return [it for it in result.laid.pages[0].items if isinstance(it, VerticalText) and it.owner == owner]


def _drawn(pdf_glyphs, line: VerticalText, result) -> list[dict]:
    """The PDF's glyphs of one vertical line (those within half an em of its axis)."""
    size = max(g.size for g in line.glyphs)
    em = result.style.grid.em
    top, bottom = line.y - em, line.y + max(g.y for g in line.glyphs) + size
    return [g for g in pdf_glyphs if abs(g["m"][4] + _centre_offset(g) - line.x) < size / 2
            and top <= g["m"][5] <= bottom]


def _centre_offset(g: dict) -> float:
    """From a glyph's drawing origin to the line's axis: half its (scaled) width when upright,
    0.38 em (the em box's middle above the baseline) when turned."""
    a, b = g["m"][0], g["m"][1]
    if b:                                      # turned: the glyph's top faces right
        return 0.38 * g["size"]
    face = load_face(SERIF_BLACK if "Serif" in g["font"] else KAI)
    return face.advances[g["gid"]] / face.units_per_em * g["size"] * a / 2


def test_the_issue_is_test_copy(issue):
    text = issue.read_text(encoding="utf-8")
    assert text.startswith("# 【测试稿】")
    data = yaml.safe_load(text)
    assert all(s["headline"].startswith(MARK) for s in data["stories"])


def test_a_block_on_each_side_of_its_body(result):
    grid = result.style.grid
    for owner, side in ((RIGHT, "right"), (LEFT, "left")):
        lines = _blocks(result, owner)
        assert lines, owner
        body = [it for it in result.laid.pages[0].items if isinstance(it, TextLine) and it.owner == owner
                and it.role == "body"]
        bx, by, bw, bh = lines[0].block
        # the block is whole basic columns and grid lines
        cols = [c for c in range(grid.columns) if abs(grid.col_x(c) - bx) < 0.01]
        assert cols and any(abs(grid.span_width(k) - bw) < 0.01 for k in range(1, grid.columns))
        assert abs((by - grid.top) / grid.pitch - round((by - grid.top) / grid.pitch)) < 1e-6
        assert abs(bh / grid.pitch - round(bh / grid.pitch)) < 1e-6
        if side == "right":
            assert max(ln.x + ln.glyphs[-1].x + ln.glyphs[-1].advance for ln in body) <= bx + 0.01
        else:
            assert min(ln.x for ln in body) >= bx + bw - 0.01
        for ln in lines:
            assert bx < ln.x < bx + bw and by <= ln.y and ln.y + max(g.y for g in ln.glyphs) <= by + bh


def test_lines_read_from_the_outer_edge(result):
    """Right of the body the lines follow right to left, left of it left to right; their text
    in that order is kicker, headline and deck."""
    story = result.issue.stories[RIGHT]
    lines = _blocks(result, RIGHT)
    xs = [ln.x for ln in lines]
    assert xs == sorted(xs, reverse=True) and len(set(xs)) == len(xs)
    assert "".join(g.chars for ln in lines for g in ln.glyphs) == story.kicker + story.headline + story.deck
    assert [ln.role for ln in lines][0] == "kicker" and lines[-1].role == "deck"
    left = _blocks(result, LEFT)
    assert [ln.x for ln in left] == sorted(ln.x for ln in left)
    assert "".join(g.chars for ln in left for g in ln.glyphs) == result.issue.stories[LEFT].headline


def test_characters_stand_in_one_column_top_to_bottom(result, pdf_glyphs):
    for owner in (RIGHT, LEFT):
        for line in _blocks(result, owner):
            drawn = _drawn(pdf_glyphs, line, result)
            text = "".join(g.chars for g in line.glyphs if g.chars.strip())
            assert "".join(g["chars"] for g in drawn) == text        # the text reads in order
            upright = [g for g in drawn if not g["m"][1] and g["m"][0] == 1.0]
            centres = [g["m"][4] + _centre_offset(g) for g in upright]
            assert max(centres) - min(centres) < 0.05 * line.glyphs[0].size, (owner, text)
            tops = [g["m"][5] for g in drawn]
            assert all(b > a for a, b in zip(tops, tops[1:]) if b != a) and tops == sorted(tops)


def test_punctuation_uses_the_faces_vertical_forms(result, pdf_glyphs):
    """Every mark of the headline is drawn with the glyph HarfBuzz's vert substitution gives it
    in its face (not the horizontal glyph its character maps to)."""
    checked = 0
    for line in _blocks(result, RIGHT) + _blocks(result, LEFT):
        for g in _drawn(pdf_glyphs, line, result):
            ch = g["chars"]
            if C.classify(ch[0]) in (C.OP, C.CL, C.FS, C.CM, C.DV) and len(ch) == 1:
                path = SERIF_BLACK if "Serif" in g["font"] else KAI
                shown = CORNER_QUOTES.get(ch, ch) if result.style.composition.vertical_quotes == "corner" else ch
                assert g["gid"] == vertical_gid(path, shown), (ch, g)
                assert g["gid"] != load_face(path).gid(ch)
                assert not g["m"][1]                      # upright: the vertical form is already turned
                checked += 1
    assert checked >= 5          # 【】 twice, the comma and the kicker's quotes


def test_a_two_digit_number_stands_upright_in_one_em(result, pdf_glyphs):
    line = next(ln for ln in _blocks(result, RIGHT) if ln.role.startswith("headline"))
    drawn = _drawn(pdf_glyphs, line, result)
    text = "".join(g["chars"] for g in drawn)
    m = re.search(r"(?<!\d)\d{2}(?!\d)", text)
    assert m, text
    pair = drawn[m.start():m.end()]
    size = pair[0]["size"]
    assert all(g["m"][1] == 0 and g["m"][2] == 0 for g in pair)          # upright, not turned
    assert pair[0]["m"][5] == pair[1]["m"][5]                          # side by side on one baseline
    face = load_face(SERIF_BLACK)
    left = pair[0]["m"][4]
    right = pair[1]["m"][4] + face.advances[pair[1]["gid"]] / face.units_per_em * size * pair[1]["m"][0]
    assert right - left <= size + 1e-3                                   # within one em
    axis = line.x
    assert abs((left + right) / 2 - axis) < 0.01 * size
    # one em along the line: the next character starts an em below
    after = drawn[m.end()]
    assert abs((after["m"][5] - pair[0]["m"][5]) - size) < 0.01 * size


def test_the_deck_dash_without_a_vertical_form_is_turned_and_reported(result, pdf_glyphs):
    """LXGW WenKai (the deck's face) has no vertical form for — : it is drawn turned 90°
    clockwise and the preflight warns, with its box on the block."""
    deck = next(ln for ln in _blocks(result, RIGHT) if ln.role == "deck")
    dashes = [g for g in _drawn(pdf_glyphs, deck, result) if g["chars"] == "—"]
    assert len(dashes) == 2 and all(g["m"][:4] == (0.0, -1.0, 1.0, 0.0) for g in dashes)
    found = [f for f in result.preflight.findings if f.code == "missing-vertical-form"]
    assert len(found) == 1 and found[0].severity == "warning" and "U+2014" in found[0].message
    x, y, w, h = found[0].box
    bx, by, bw, bh = deck.block
    assert bx <= x and x + w <= bx + bw and by <= y and y + h <= by + bh


def test_text_extraction_reads_the_copy(result):
    """pdfium reads the vertical glyphs through their ActualText: the headline comes back as
    the copy, the marks as the characters of the copy."""
    doc = pdfium.PdfDocument(str(result.pdf))
    text = re.sub(r"\s+", "", doc[0].get_textpage().get_text_range())
    doc.close()
    story = result.issue.stories[RIGHT]
    for part in (story.kicker, story.headline, story.deck, result.issue.stories[LEFT].headline):
        assert part in text, part


def test_every_character_accounted_for(result):
    for bal in result.balance:
        assert bal.overset == 0 and bal.set == bal.copy, bal


def test_glyph_plan_holds_the_vertical_forms(result):
    from layout.emit.settings import PrintSettings
    from layout.emit.textplan import glyph_plan
    plan = glyph_plan(result.laid, result.issue, result.style, result.fonts, PrintSettings())
    for line in _blocks(result, RIGHT):
        for g in line.glyphs:
            if g.vert:
                assert g.gid in plan[g.font]


def test_proof_outlines_the_block(result, tmp_path):
    from layout.check.proof import proof_pdf
    data = proof_pdf(result)
    doc = PdfFile(data)
    page = doc.pages()[0]
    trim = [float(v) for v in doc.resolve(page["/TrimBox"])]
    rects = set()
    for args, op in content_ops(doc.contents(page)):
        if op == b"re":
            x, y, w, h = (float(v) for v in args)
            rects.add((round(x - trim[0], 1), round(trim[3] - y - h, 1), round(w, 1), round(h, 1)))
    for owner in (RIGHT, LEFT):
        bx, by, bw, bh = _blocks(result, owner)[0].block
        assert (round(bx, 1), round(by, 1), round(bw, 1), round(bh, 1)) in rects


# --------------------------------------------------------------------------- the composer alone

def _faces():
    out = {}
    for p in (SERIF_BLACK, KAI):
        f = load_face(p)
        out[f.key] = f
    return out


def test_prohibitions_hold_along_the_vertical_line():
    faces = _faces()
    key = load_face(SERIF_BLACK).key
    text = "测试稿件，测试稿件。（测试）测试"
    # 5 em lines: a break before ， or after （ would be the natural cut
    got = set_vertical([Span(text, key, 10.0)], 50.0, faces, max_lines=8)
    assert "".join(ln.text for ln in got.lines) == text
    for ln in got.lines:
        assert not C.no_start(ln.text[0], "gb") and not C.no_end(ln.text[-1], "gb")
        assert ln.length <= 50.0 + 1e-6 or not got.fits


def test_latin_is_turned_and_corner_quotes_keep_the_copy():
    faces = _faces()
    key = load_face(SERIF_BLACK).key
    got = set_vertical([Span("“AI”2020年", key, 20.0)], 400.0, faces, quotes="corner")
    glyphs = got.lines[0].glyphs
    assert [g.chars for g in glyphs] == ["“", "A", "I", "”", "2", "0", "2", "0", "年"]
    assert glyphs[0].gid == vertical_gid(SERIF_BLACK, "『") and glyphs[3].gid == vertical_gid(SERIF_BLACK, "』")
    assert all(g.rotation == 90 for g in glyphs[1:3])       # a Latin word turned
    assert all(g.rotation == 90 for g in glyphs[4:8])       # four digits: turned, not 纵中横
    assert glyphs[8].rotation == 0


def test_a_one_column_module_sets_the_headline_across(issue, tmp_path):
    """No column is left for a block beside the body: the headline goes across the top, and
    the run says so."""
    data = yaml.safe_load(issue.read_text(encoding="utf-8"))
    mods = data["pages"][0]["modules"]
    mods[1]["area"] = {"columns": 1, "lines": "26-82"}
    mods[2]["area"] = {"columns": "2-3", "lines": "26-82"}
    mods[3]["area"] = {"columns": "4-6", "lines": "26-82"}
    path = tmp_path / "issue.yaml"
    path.write_text("# 【测试稿】\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    got = render(str(path), write=False)
    items = got.laid.pages[0].items
    assert not [it for it in items if isinstance(it, VerticalText) and it.owner == RIGHT]
    assert [it for it in items if isinstance(it, TextLine) and it.owner == RIGHT and it.role == "headline_3"]
    assert [it for it in items if isinstance(it, VerticalText) and it.owner == LEFT]
    warn = [f for f in got.laid.findings if f.code == "vertical-headline"]
    assert len(warn) == 1 and RIGHT in warn[0].message and warn[0].severity == "warning"
