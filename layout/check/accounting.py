"""Nothing lost: every character of the copy is set once, or reported as overset or unsettable."""
from __future__ import annotations

import operator
from collections import Counter

import msgspec

from ..compose.dateline import normalise_dateline
from ..load.issue import Issue
from ..place.model import LaidOutIssue, TextLine, VerticalText


class AccountingError(RuntimeError):
    """The engine's own books do not balance: an internal error, never the editor's."""


class StoryBalance(msgspec.Struct, frozen=True):
    story: str
    copy: int          # characters in the issue file (headline, deck, dateline, body, caption)
    set: int           # glyph slots on pages
    overset: int


def story_copy(issue: Issue, sid: str, dateline_brackets: str = "full") -> str:
    """The story's characters as the make-up sets them: the dateline in the style's brackets
    (compose/dateline.py), the rest as the copy has it."""
    s = issue.stories[sid]
    parts = [getattr(s, "label", None) or "", s.kicker or "", s.headline, getattr(s, "byline", None) or "",
             s.deck or ""]
    if s.photo:
        parts.append(s.photo.caption + (f"（{s.photo.credit}摄）" if s.photo.credit else ""))
    body = "".join(p.text for p in s.body)
    dateline = normalise_dateline(s.dateline, dateline_brackets)[0] if s.dateline else ""
    parts.append(dateline + body)
    return "".join(parts)


_CH = operator.attrgetter("ch")
_INDEX = operator.attrgetter("index")


def check_accounting(issue: Issue, laid: LaidOutIssue, dateline_brackets: str = "full") -> list[StoryBalance]:
    """Compare, per story, the multiset of characters in the copy with what was set plus
    what was reported overset. Raises AccountingError when they differ. `dateline_brackets`:
    the style's form of a dateline's brackets (the one change the make-up makes to copy)."""
    # each story's set characters as strings, counted once a story (measured: a Counter
    # updated glyph by glyph was most of this check on 100 pages)
    texts: dict[str, list[str]] = {sid: [] for sid in issue.stories}
    for page in laid.pages:
        for it in page.items:
            if isinstance(it, TextLine) and it.owner in texts:
                glyphs = it.glyphs
                if glyphs and min(map(_INDEX, glyphs)) >= 0:
                    texts[it.owner].append("".join(map(_CH, glyphs)))
                else:
                    # (a hyphen the composer draws at a hyphenation break stands for no character: index -1)
                    texts[it.owner].append("".join(g.ch for g in glyphs if g.index >= 0))
            elif isinstance(it, VerticalText) and it.owner in texts:     # vertical headlines
                texts[it.owner].append("".join(ch for g in it.glyphs for ch in g.chars))
    set_chars = {sid: Counter("".join(parts)) for sid, parts in texts.items()}
    overset: Counter = Counter()          # a story set in two modules (a jump) sums both
    for p in laid.pages:
        for m in p.modules:
            overset[m.owner] += m.overset_chars
    out = []
    for sid in issue.stories:
        copy = Counter(story_copy(issue, sid, dateline_brackets))
        got = set_chars[sid]
        extra = got - copy
        if extra:
            raise AccountingError(f"story '{sid}': characters set that are not in the copy: "
                                  f"{''.join(sorted(extra.elements()))[:40]!r}")
        missing = sum((copy - got).values())
        if missing != overset.get(sid, 0):
            raise AccountingError(f"story '{sid}': {missing} characters of copy are neither on a page nor "
                                  f"reported overset ({overset.get(sid, 0)} reported)")
        out.append(StoryBalance(sid, sum(copy.values()), sum(got.values()), missing))
    return out
