"""Page furniture across a whole issue: the editors' line (责任编辑, 校对, 美编) on every page,
page 1 included, read back from the PDF; a role the style prints but the plan lacks is a
warning, not a silent gap. The issue is generated test copy (tools/gen_issue.py --editors)."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml

from layout.pipeline import render
from pdfglyphs import pdf_glyphs
from genissue import read_generated, write_generated
from seed import ROOT

sys.path.insert(0, str(ROOT))
from tools.gen_issue import generate  # noqa: E402

PAGES = 3
DROPPED = (2, "校对")        # the plan of page 2 lacks its proof-reader
IMPRINT_DROPPED = "邮编"     # the issue's imprint lacks a field the style prints


@pytest.fixture(scope="module")
def issue(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("editors")
    path = generate(d, pages=PAGES, stories_per_page=(2, 2), seed=5, editors=True, imprint=True)
    header, data = read_generated(path)
    del data["pages"][DROPPED[0] - 1]["editors"][DROPPED[1]]
    del data["imprint"][IMPRINT_DROPPED]
    return write_generated(path, header, data)


@pytest.fixture(scope="module")
def result(issue):
    return render(str(issue), issue.parent / "out.pdf", write=True)


@pytest.fixture(scope="module")
def page_text(result) -> dict[int, str]:
    text: dict[int, str] = {}
    for g in pdf_glyphs(result.pdf):
        text[g.page] = text.get(g.page, "") + g.char
    return text


def expected_line(number: int) -> str:
    roles = [r for r in ("责任编辑", "校对", "美编") if (number, r) != DROPPED]
    return "".join(f"{r}：测试{r[-2:] if r != '责任编辑' else '编辑'}{number}" for r in roles)


@pytest.mark.parametrize("number", range(1, PAGES + 1))
def test_every_editor_line_on_its_page(page_text, number):
    assert expected_line(number) in page_text[number]
    for other in range(1, PAGES + 1):         # and on no other page
        if other != number:
            assert f"测试编辑{number}" not in page_text[other]


def test_page_one_editors_stand_in_the_masthead(result):
    glyphs = [g for g in pdf_glyphs(result.pdf) if g.page == 1]
    text = "".join(g.char for g in glyphs)
    at = text.index("责任编辑")
    title = text.index("今日柯城")
    # the line is in the masthead band: above the first story's headline (【测试稿】...)
    assert glyphs[at].top < glyphs[text.index("【测试稿】")].top
    assert title < at


def test_a_missing_editor_is_a_warning(result):
    found = [f for f in result.preflight.findings if f.code == "missing-editor"]
    assert [(f.page, f.severity) for f in found] == [(DROPPED[0], "warning")]
    assert DROPPED[1] in found[0].message


def test_the_line_prints_only_the_names_given(page_text):
    assert f"{DROPPED[1]}：" not in page_text[DROPPED[0]]


def test_imprint_at_the_foot_of_the_last_page(result):
    glyphs = pdf_glyphs(result.pdf)
    last = [g for g in glyphs if g.page == PAGES]
    text = "".join(g.char for g in last)
    line = "地址：测试地址印刷：测试印刷厂热线：测试热线"
    assert line in text
    at = text.index(line)
    imprint_top = last[at].top
    body = [g for g in last[:at] if g.top < imprint_top - 1]
    assert body and all(g.bottom <= imprint_top for g in body)    # nothing of the page's copy below it
    for other in range(1, PAGES):
        assert "测试印刷厂" not in "".join(g.char for g in glyphs if g.page == other)


def test_licence_and_internal_notice_on_page_one(page_text):
    assert "准印证号：测试（内部资料）" in page_text[1]
    assert "内部资料免费交流" in page_text[1]
    assert all("准印证号" not in page_text[n] for n in range(2, PAGES + 1))


def test_a_missing_imprint_field_is_a_warning(result):
    found = [f for f in result.preflight.findings if f.code == "missing-imprint"]
    assert [(f.page, f.severity) for f in found] == [(PAGES, "warning")]
    assert IMPRINT_DROPPED in found[0].message and "地址" not in found[0].message


def test_the_licence_the_style_wants_is_a_warning_when_absent(result, issue, tmp_path):
    data = yaml.safe_load(issue.read_text(encoding="utf-8"))
    del data["masthead"]["licence"]
    bare = tmp_path / "issue.yaml"
    bare.write_text("# 【测试稿】 TEST ISSUE\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    again = render(str(bare), tmp_path / "out.pdf", write=True)
    assert [f.page for f in again.preflight.findings if f.code == "missing-licence"] == [1]


def test_1640_lacks_its_furniture_and_each_warning_is_located_in_chinese():
    """Issue 1640's seed gives no editors, imprint or 准印证号: each is a warning on its page,
    placed where the line would stand (the masthead or page header), with a Chinese message."""
    from layout.check.messages import message_zh

    result = render("1640", write=False)
    got = [f for f in result.preflight.findings if f.code in ("missing-editor", "missing-imprint", "missing-licence")]
    assert sorted((f.code, f.page) for f in got) == [("missing-editor", p) for p in (1, 2, 3, 4)] + \
        [("missing-imprint", 4), ("missing-licence", 1)]
    for f in got:
        x, y, w, h = f.box
        assert w > 0 and h > 0 and y < 40 * 72 / 25.4       # in the header band at the page's top
        assert message_zh(f.code, f.message, None)


def test_every_finding_reads_in_chinese(tmp_path):
    """Every finding of 1640 and of a generated issue (test copy) has its Chinese message for
    the desk's viewer: composition notes, 校对提示 and make-up white included, none falling back
    to the English line."""
    import sys

    from layout.check.messages import message_zh
    from seed import ROOT
    sys.path.insert(0, str(ROOT))
    from tools.gen_issue import generate

    path = generate(tmp_path, pages=4, stories_per_page=(2, 6), photos=True, seed=2, fill=0.95)
    codes = set()
    for issue in ("1640", str(path)):
        result = render(issue, tmp_path / "x.pdf", write=True)
        for f in result.preflight.findings:
            zh = message_zh(f.code, f.message, result.issue)
            assert zh is not None, (f.code, f.message)
            assert not re.search(r"\b(story|paragraph|line|page|columns|characters)\b", zh), (f.code, zh)
            codes.add(f.code)
    assert {"composition", "proof-repeat", "proof-unmatched", "module-white"} <= codes, codes
