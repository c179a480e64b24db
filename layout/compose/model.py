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
    prohibition: Literal["basic", "gb", "strict"] = "gb"
    punctuation: Literal["full", "kaiming", "half"] = "full"   # house style for marks
    han_latin_gap: float = 0.25      # em, nominal
    han_latin_min: float = 0.125     # em
    han_latin_max: float = 0.5       # em
    indent: float = 2.0              # first-line indent, em
    justify: bool = True             # justify all but the last line
    hanging: bool = False            # allow 、，。 to hang past the measure
    grid: bool = True                # keep ideographs on the character grid where possible
    min_last_line: int = 2           # fewest characters on a paragraph's last line
    breaker: Literal["total", "first"] = "total"   # total-fit (paragraph DP) or first-fit
    line_penalty: float = 120.0      # total-fit cost of a line: higher saves lines, lower buys grid
    vertical_quotes: Literal["keep", "corner"] = "keep"   # vertical headlines: “”‘’ set as 『』「」 (compose/vertical.py)


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
