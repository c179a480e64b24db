"""Data that flows into and out of composition (plain records, no behaviour).

A paragraph is a sequence of spans (text in one font at one size). Composition
breaks it into lines of a given measure and returns every glyph with its x
position, so the place and emit stages never measure text themselves.
"""
from __future__ import annotations

from typing import Literal, NamedTuple, Protocol

import msgspec


class Metrics(Protocol):
    """What composition needs to know about fonts."""

    def advance(self, font: str, ch: str) -> float:
        """Advance width of `ch` in `font`, in em (1.0 for an ideograph)."""
        ...


class Span(msgspec.Struct, frozen=True):
    text: str
    font: str          # font role key, resolved by the Metrics object
    size: float        # pt


class ComposeSettings(msgspec.Struct, frozen=True):
    prohibition: Literal["loose", "basic", "gb", "strict"] = "gb"   # (none: no prohibitions, for tests)
    #: house style for marks (punctuation.py): full 全角 (adjacent pairs 1.5 em), full-uncompressed
    #: 全角不挤压 (pairs 2 em), kaiming 开明, half 半角
    punctuation: Literal["full", "full-uncompressed", "kaiming", "half"] = "full"
    han_latin_gap: float = 0.25      # em, nominal gap between a Han character and a Latin word
    han_digit_gap: float | None = None   # em, the same for a number (None: as han_latin_gap)
    gap_flex: float = 0.0625         # em: justification moves a gap by at most this (1/16 em)
    indent: float = 2.0              # first-line indent, em
    justify: bool = True             # justify all but the last line
    hanging: bool = False            # allow 、，。 to hang past the measure
    grid: bool = True                # keep ideographs on the character grid where possible
    min_last_line: int = 2           # fewest characters on a paragraph's last line
    breaker: Literal["total", "first"] = "total"   # total-fit (paragraph DP) or first-fit
    line_penalty: float = 120.0      # total-fit cost of a line: higher saves lines, lower buys grid
    vertical_quotes: Literal["keep", "corner"] = "keep"   # vertical headlines: “”‘’ set as 『』「」 (compose/vertical.py)
    dateline_brackets: Literal["full", "half"] = "full"   # a dateline's （记者 …） or (记者 …), one form (dateline.py)


    def gap_range(self, digits: bool) -> tuple[float, float, float]:
        """(nominal, min, max) in em of a Han-Latin gap next to a word (or a number).  A tight
        number (nominal 0) may close up by the flex too: the digits' side bearings keep it apart."""
        nominal = self.han_digit_gap if digits and self.han_digit_gap is not None else self.han_latin_gap
        return nominal, nominal - self.gap_flex, nominal + self.gap_flex


class SetGlyph(NamedTuple):
    """One set character. A named tuple, not a Struct: a page holds tens of thousands of
    them, and a tuple is about a third of the memory and quick to build."""
    ch: str
    font: str
    size: float
    x: float           # pt from the line's start to the glyph's drawing origin
    advance: float     # pt of line the glyph occupies (after compression)
    index: int         # position of ch in the paragraph's concatenated text


class SetLine(msgspec.Struct, frozen=True):
    glyphs: tuple[SetGlyph, ...]
    measure: float     # pt available
    width: float       # pt actually filled
    last: bool         # last line of its paragraph
    start: int         # index of the first character of the paragraph on this line
    end: int           # index one past the last character on this line

    @property
    def text(self) -> str:
        return "".join(g.ch for g in self.glyphs)


class SetParagraph(msgspec.Struct, frozen=True):
    lines: tuple[SetLine, ...]
    text: str          # the paragraph's full text (all spans concatenated)
    notes: tuple[str, ...] = msgspec.field(default_factory=tuple)   # composition warnings
