"""The line-break cases of W3C web-platform-tests css-text/i18n/zh, rebuilt for the composer.

Each WPT case sets 文文文文文文X字字 (X one of the characters below) in a box a little over
six ems wide, so that X falls at the start of the second line, and checks against a
reference where the break falls: before X (X may start a line) or one character earlier
(文文文文文 | 文X字字: X may not).  CSS line-break levels map onto the style's
``composition.prohibition``: strict -> strict, normal -> gb (the house default), loose ->
loose.  The character lists and the expectations are those of the WPT files
css-text-line-break-zh-{cpm,in,hyphens,iteration,po}-{strict,normal,loose}.html; the
"[Exploratory]" cases (WPT: a browser *may* allow the break) are set here as the
composer's choice: loose allows every one of them, normal (gb) keeps hyphens off a line's
start (GB/T 15834: a connector never starts a line).
"""
from __future__ import annotations

import pytest

from layout.compose.model import ComposeSettings, Span
from layout.compose.paragraph import compose_paragraph
from layout.compose.testing import FakeMetrics

EM = 30.0
BOX = 185.0          # the WPT box: 185 px at 30 px

GROUPS = {
    # centred punctuation marks
    "cpm": "\u30fb\uff1a\uff1b\uff65\u203c\u2047\u2048\u2049\uff01\uff1f",
    # inseparable characters
    "in": "\u2024\u2025\u2026\u22ef\ufe19\U00010af6",
    # hyphens
    "hyphens": "\u2010\u2013\u301c\u30a0",
    # iteration marks
    "iteration": "\u3005\u303b\u309d\u309e\u30fd\u30fe",
    # postfixes of East Asian width A, F or W
    "po": "\u00b0\u2030\u2032\u2033\u2035\u2103\u2109\ufe6a\uff05\uffe0",
}

#: (group, CSS level) -> may the character start a line
MAY_START = {
    **{(g, "strict"): False for g in GROUPS},
    **{(g, "normal"): False for g in GROUPS},
    **{(g, "loose"): True for g in GROUPS},
}
LEVEL = {"strict": "strict", "normal": "gb", "loose": "loose"}

CASES = [pytest.param(group, css, ch, id=f"{group}-{css}-U+{ord(ch):04X}")
         for group, chars in GROUPS.items() for css in ("strict", "normal", "loose") for ch in chars]


def _lines(text: str, level: str) -> list[str]:
    # set like the browser's box: not justified, no indent, no last-line minimum
    st = ComposeSettings(prohibition=level, justify=False, grid=False, indent=0.0, min_last_line=1)
    par = compose_paragraph([Span(text, "song", EM)], BOX, FakeMetrics(), st, first_indent=0.0)
    return [ln.text for ln in par.lines]


@pytest.mark.parametrize("group,css,ch", CASES)
def test_wpt_zh_line_break(group, css, ch):
    lines = _lines(f"文文文文文文{ch}字字", LEVEL[css])
    if MAY_START[(group, css)]:
        assert lines == ["文文文文文文", f"{ch}字字"]
    else:
        assert lines == ["文文文文文", f"文{ch}字字"]


def test_box_holds_six_ideographs():
    """The case's premise: six ideographs fit the box, the seventh does not."""
    assert _lines("文文文文文文字字", "gb") == ["文文文文文文", "字字"]


@pytest.mark.parametrize("level", ["loose", "basic", "gb", "strict"])
def test_lone_em_dash_never_starts_a_line(level):
    """A single U+2014 is a connector (GB/T 15834 5.1.6), not half of a ——."""
    assert _lines("文文文文文文—字字", level) == ["文文文文文", "文—字字"]
    # a pair of them is the dash, which gb and looser levels let start a line
    if level != "strict":
        assert _lines("文文文文文文——字", level) == ["文文文文文文", "——字"]
