"""校对提示: the proofreading pass the preflight runs on every render (layout/check/proofread.py).

Notes with their place, never a change: issue 1640 prints 考核考核 twice, and still does."""
from __future__ import annotations

import pytest

from layout.check.preflight import line_box, line_text
from layout.check.proofread import chinese_value, proofread_findings, story_hints
from layout.load.issue import Origin, Paragraph, Story
from layout.pipeline import render
from layout.place.model import TextLine


def story(*body: str, headline: str = "【测试稿】标题", sid: str = "t") -> Story:
    return Story(id=sid, level=2, kicker=None, headline=headline, deck=None, dateline=None,
                 body=tuple(Paragraph(b) for b in body), photo=None, origin=Origin("t.yaml", 1, 1, "stories[0]"))


def codes(st: Story) -> list[tuple[str, str]]:
    return [(code, place) for code, place, _, _ in story_hints(st)]


@pytest.fixture(scope="module")
def rendered_1640():
    return render("1640", write=False)


def test_1640_repeated_word_reported_twice_with_its_place(rendered_1640):
    pre = rendered_1640.preflight
    assert "proofread" in pre.checks
    hits = [f for f in pre.findings if f.code == "proof-repeat"]
    assert [f.where for f in hits] == ["story lead, paragraph 3", "story feature, paragraph 4"]
    page1 = rendered_1640.laid.pages[0]
    for f in hits:
        assert f.severity == "info" and f.page == 1 and "考核考核" in f.message
        x, y, w, h = f.box
        owner = f.where.split(",")[0].split()[1]
        inside = [ln for ln in page1.items if isinstance(ln, TextLine) and ln.owner == owner
                  and x - 0.1 <= line_box(ln)[0] and line_box(ln)[0] + line_box(ln)[2] <= x + w + 0.1
                  and y - 0.1 <= line_box(ln)[1] and line_box(ln)[1] + line_box(ln)[3] <= y + h + 0.1]
        assert inside and "考核考核" in "".join(line_text(ln) for ln in inside)
        assert h < 3 * 13.5                        # the lines that hold it, not the whole module


def test_the_engine_changes_nothing(rendered_1640):
    """The words reported are still set as the copy has them."""
    page1 = rendered_1640.laid.pages[0]
    for sid in ("lead", "feature"):
        text = "".join(line_text(ln) for ln in page1.items if isinstance(ln, TextLine) and ln.owner == sid)
        assert text.count("考核考核") == 1
    assert rendered_1640.issue.stories["lead"].body[2].text.count("考核考核") == 1


def test_repeated_words():
    assert codes(story("【测试稿】全区目标考核考核先进单位。")) == [("proof-repeat", "paragraph 1")]
    assert codes(story("【测试稿】我们的的目标。")) == [("proof-repeat", "paragraph 1")]
    assert codes(story("【测试稿】用实实在在的行动，高高兴兴地回家。")) == []     # AABB: not a slip
    assert codes(story("【测试稿】一切正常。", headline="【测试稿】柯城柯城")) == [("proof-repeat", "headline")]


def test_unmatched_brackets_and_quotes():
    assert codes(story("【测试稿】各乡镇（街道、部门参加。")) == [("proof-unmatched", "paragraph 1")]
    assert codes(story("【测试稿】他说：“好。")) == [("proof-unmatched", "paragraph 1")]
    assert codes(story("【测试稿】书名》在此。")) == [("proof-unmatched", "paragraph 1")]
    assert codes(story("【测试稿】他说：“我们（一起）去‘看看’。”")) == []
    # a quotation over two paragraphs: the first does not close it, the next opens again
    assert codes(story("【测试稿】他说：“第一段。", "“第二段。”")) == []
    assert codes(story("【测试稿】他说：“第一段。", "第二段。")) == [("proof-unmatched", "paragraph 1")]


def test_mixed_punctuation():
    hints = story_hints(story("【测试稿】会议指出，要抓项目。", "会议强调,要促发展。"))
    assert [(c, p) for c, p, _, _ in hints] == [("proof-mixed-punct", "paragraph 2")]
    assert "1 ASCII mark" in hints[0][2]
    assert codes(story("【测试稿】会议指出，要抓项目。", "共1,000人参加。")) == []
    assert codes(story("【测试稿】会议指出，各乡镇(街道)参加。")) == [("proof-mixed-punct", "paragraph 1")]


def test_number_written_two_ways():
    assert codes(story("【测试稿】在短短3个月内完成。", "用了三个月。")) == [("proof-number", "paragraph 2")]
    assert codes(story("【测试稿】共２０人参加。", "另有30人。")) == [("proof-number", "paragraph 1")]
    # a name in quotation marks is not a count; 一个 is idiom
    assert codes(story("【测试稿】“三个年”活动在3个月内开展。", "一个目标，1个方向。")) == []
    assert codes(story("【测试稿】20多家企业参加。", "二十多家企业。")) == [("proof-number", "paragraph 2")]


@pytest.mark.parametrize("text, value", [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("一百零五", 105),
                                         ("二〇一九", 2019), ("两", 2), ("三千", 3000)])
def test_chinese_numerals(text, value):
    assert chinese_value(text) == value


def test_a_story_not_on_a_page_is_still_read(rendered_1640):
    """Placed or not, every story of the issue is read; a hint of a story on no page has no box."""
    import msgspec
    issue = rendered_1640.issue
    extra = story("【测试稿】考核考核。", sid="nowhere")
    issue2 = msgspec.structs.replace(issue, stories={**issue.stories, "nowhere": extra})
    found = proofread_findings(issue2, rendered_1640.laid, rendered_1640.style)
    mine = [f for f in found if f.where.startswith("story nowhere")]
    assert len(mine) == 1 and mine[0].page is None and mine[0].box is None
