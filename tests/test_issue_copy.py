"""issues/1640 holds every word of the seed, repaired, and nothing that is not in it."""
from __future__ import annotations

from collections import Counter

from layout.load.issue import load_issue
from seed import CAPTION_BLOCK, ROOT, seed_blocks, squash

ISSUE = ROOT / "issues" / "1640" / "issue.yaml"


def _issue_strings(issue) -> list[str]:
    m = issue.masthead
    out = [m.title, m.publisher, m.edition_note, m.hotline, m.lunar, m.weekday, *(e.label for e in m.ear)]
    out += [issue.teaser.label] + [x for it in issue.teaser.items for x in (it.title, it.ref)]
    for s in issue.stories.values():
        out += [s.headline, s.deck or "", s.kicker or "", s.dateline or ""]
        out += [p.text for p in s.body]
        if s.photo:
            out.append(s.photo.caption + f"（{s.photo.credit}摄）")
    return [x for x in out if x]


def test_same_characters_as_the_seed():
    """As multisets of characters (white space aside) the issue's copy equals the seed's,
    except the date, issue number and lunar line, which the issue holds as data."""
    issue = load_issue(ISSUE)
    seed = Counter(squash("".join(seed_blocks()[3:])))      # from the title on
    got = Counter(squash("".join(_issue_strings(issue))))
    # the lunar date and weekday sit in the seed's third block; the issue holds them as fields
    got -= Counter(squash(issue.masthead.lunar + issue.masthead.weekday))
    assert got == seed


def test_paragraphs_repaired():
    issue = load_issue(ISSUE)
    body = {sid: [p.text for p in s.body] for sid, s in issue.stories.items()}
    lead = "".join(body["lead"])
    for joined in ("共同战“疫”，取得了阶段性胜利", "必须打好打赢的持久战", "山海协作朋友圈、服务借力"):
        assert joined in lead
    feature = "".join(body["feature"])
    assert "区发改局、区协作中心等部门" in feature
    assert "“衢州是个好地方！柯城政府办事效率高" in feature
    assert CAPTION_BLOCK not in lead and "获奖者上台领奖" not in lead
    # a paragraph never starts in the middle of a word the extraction split
    for paras in body.values():
        for p in paras:
            assert not p.startswith(("取得了", "久战", "圈、", "作中心", "府办事"))
    assert [len(v) for v in body.values()] == [7, 7, 5]


def test_seed_blocks_in_order():
    """Each story's paragraphs follow the seed's order (after repair)."""
    issue = load_issue(ISSUE)
    seed = squash("".join(b for b in seed_blocks() if b != CAPTION_BLOCK))
    pos = 0
    for s in issue.stories.values():
        for piece in [s.headline, s.deck or "", (s.dateline or "") + s.body[0].text] + [p.text for p in s.body[1:]]:
            if not piece:
                continue
            i = seed.find(squash(piece), pos)
            assert i >= pos, piece[:20]
            pos = i + len(squash(piece))
