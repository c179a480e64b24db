"""An eight-page generated test issue (test copy, never real news): automatic placement of
3 to 8 stories a page, photos, variable columns (变栏), a jump across pages and overset copy,
checked by reading the PDF back."""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from layout.check.accounting import story_copy
from layout.pipeline import render
from layout.place.model import TextLine
from genissue import read_generated, write_generated
from seed import ROOT

sys.path.insert(0, str(ROOT))
from tools.gen_issue import generate  # noqa: E402

JUMP_FROM, JUMP_TO = 1, 4


@pytest.fixture(scope="module")
def issue8(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("gen8")
    path = generate(d, pages=8, stories_per_page=(3, 8), photos=True, seed=11)
    header, data = read_generated(path)
    pages = data["pages"]
    # the lead of page 1 gets a short module and continues on page 4
    lead = pages[0]["modules"][0]
    lead["area"] = {"columns": "1-6", "lines": "10-20"}
    lead["jump"] = JUMP_TO
    # a story on page 2 set in two story columns across its basic columns (变栏)
    pages[1]["modules"][1]["columns"] = 2
    # a story on page 3 squeezed into a module too small for it, with no jump: overset
    pages[2]["modules"][0]["area"] = {"columns": "1-2", "lines": "4-12"}
    return write_generated(path, header, data)


@pytest.fixture(scope="module")
def result(issue8):
    return render(str(issue8), issue8.parent / "out.pdf", write=True)


@pytest.fixture(scope="module")
def pdf_chars(result):
    """Every character pdfium reads back: (page, char, x, baseline y in trim space, size)."""
    doc = pdfium.PdfDocument(str(result.pdf))
    out = []
    import ctypes

    import pypdfium2.raw as raw
    for i in range(len(doc)):
        page = doc[i]
        trim = page.get_trimbox()            # (left, bottom, right, top)
        tp = page.get_textpage()
        x, y = ctypes.c_double(), ctypes.c_double()
        for k in range(tp.count_chars()):
            if raw.FPDFText_IsGenerated(tp.raw, k):
                continue
            ch = tp.get_text_range(k, 1)
            if not ch or ch in "\r\n":
                continue
            raw.FPDFText_GetCharOrigin(tp.raw, k, x, y)
            out.append((i + 1, ch, x.value - trim[0], trim[3] - y.value, raw.FPDFText_GetFontSize(tp.raw, k)))
        tp.close()
        page.close()
    doc.close()
    return out


def test_the_issue_is_test_copy(issue8):
    text = issue8.read_text(encoding="utf-8")
    assert text.startswith("# 【测试稿】")
    assert not str(issue8.resolve()).startswith(str((ROOT / "issues").resolve()))


def test_three_to_eight_stories_placed_a_page(result):
    pages = result.laid.pages
    assert len(pages) == 8
    for p in pages:
        stories = [m for m in p.modules if not m.reserved]
        assert 3 <= len({m.owner for m in stories}) <= 9       # page 4 also holds the continuation
        assert any(m.auto for m in stories)


def test_modules_inside_the_type_area_without_overlap(result):
    grid = result.style.grid
    for p in result.laid.pages:
        cells = [m.cell for m in p.modules]
        top = 9 if p.number == 1 else 3
        for i, a in enumerate(cells):
            assert a.col >= 0 and a.cols >= 1 and a.col + a.cols <= grid.columns
            assert a.line >= top and a.line + a.lines <= grid.lines
            for b in cells[i + 1:]:
                assert not a.overlaps(b), (p.number, a, b)


def _module_chars(result, pdf_chars, page_no, cell) -> Counter:
    grid = result.style.grid
    x0, x1 = grid.col_x(cell.col) - 0.5, grid.col_x(cell.col) + grid.span_width(cell.cols) + 0.5
    y0, y1 = grid.line_top(cell.line), grid.line_top(cell.line + cell.lines) + 0.5
    return Counter(ch for p, ch, x, y, _ in pdf_chars if p == page_no and x0 <= x <= x1 and y0 < y <= y1
                   and not ch.isspace())


def test_every_character_set_once_or_reported_overset(result, pdf_chars):
    """Read back from the PDF, module by module: each story's characters are exactly its copy
    less what the run reports as overset (jump lines and a continuation's repeated headline
    are furniture, taken out first)."""
    issue = result.issue
    found: dict[str, Counter] = {sid: Counter() for sid in issue.stories}
    overset: Counter = Counter()
    for p in result.laid.pages:
        for m in p.modules:
            if m.reserved:
                continue
            got = _module_chars(result, pdf_chars, p.number, m.cell)
            furniture = Counter(ch for it in p.items if isinstance(it, TextLine) and it.owner == f"jump:{m.owner}"
                                for ch in (g.ch for g in it.glyphs) if not ch.isspace())
            found[m.owner] += got - furniture
            overset[m.owner] += m.overset_chars
    for sid in issue.stories:
        copy = Counter(ch for ch in story_copy(issue, sid) if not ch.isspace())
        extra = found[sid] - copy
        assert not extra, f"{sid}: set but not in the copy: {''.join(extra.elements())[:30]}"
        missing = sum((copy - found[sid]).values())
        assert missing == overset[sid], f"{sid}: {missing} characters missing, {overset[sid]} reported"
    squeezed = result.laid.pages[2].modules[0]
    assert squeezed.overset_chars > 0
    assert any(f.code == "overset" and squeezed.owner in f.message for f in result.preflight.findings)


def test_jump_lines_name_the_right_pages(result, pdf_chars):
    def page_text(n):
        return "".join(ch for p, ch, *_ in pdf_chars if p == n)
    assert f"（下转第{JUMP_TO}版）" in page_text(JUMP_FROM)
    assert f"（上接第{JUMP_FROM}版）" in page_text(JUMP_TO)
    for n in range(1, 9):
        if n != JUMP_FROM:
            assert "下转第" not in page_text(n)
        if n != JUMP_TO:
            assert "上接第" not in page_text(n)


def test_variable_columns(result):
    grid = result.style.grid
    p2 = result.laid.pages[1]
    m = p2.modules[1]
    xs = sorted({round(it.x, 2) for it in p2.items if isinstance(it, TextLine) and it.owner == m.owner
                 and it.role == "body"})
    assert len(xs) == 2 != m.cell.cols
    width = grid.span_width(m.cell.cols)
    chars = (m.cell.cols * grid.column_chars + (m.cell.cols - 1) * grid.gutter_chars - grid.gutter_chars) // 2
    assert xs[0] == pytest.approx(grid.col_x(m.cell.col), abs=0.01)
    assert xs[1] + chars * grid.em == pytest.approx(grid.col_x(m.cell.col) + width, abs=grid.em)


def test_body_baselines_on_one_grid(result, pdf_chars):
    grid = result.style.grid
    off = (grid.pitch - grid.em) / 2 + 0.88 * grid.em
    # body-size text inside the type area, below the masthead band or page header
    body = [(p, y) for p, ch, x, y, size in pdf_chars if abs(size - grid.em) < 0.01
            and grid.line_top(9 if p == 1 else 3) < y < grid.line_top(grid.lines)]
    assert len(body) > 10000
    for p, y in body:
        k = (y - grid.top - off) / grid.pitch
        assert abs(k - round(k)) < 0.01, (p, y)
