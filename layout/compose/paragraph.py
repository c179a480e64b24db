"""Paragraph composition entry point.

First pass: greedy line filling with basic line-start / line-end prohibitions
and justification by even spreading. The print-grade composer (issue 3)
replaces the internals behind the same signature.
"""
from __future__ import annotations

from typing import Sequence

from .model import ComposeSettings, Metrics, SetGlyph, SetLine, SetParagraph, Span

NO_START = set("，。、；：？！）］｝》〉】〕〗」』”’·–—～/…%℃％")
NO_END = set("（［｛《〈【〔〖「『“‘")


def compose_paragraph(spans: Sequence[Span], measure: float, metrics: Metrics,
                      settings: ComposeSettings = ComposeSettings(), first_indent: float | None = None) -> SetParagraph:
    chars: list[tuple[str, str, float]] = []
    for sp in spans:
        for ch in sp.text:
            chars.append((ch, sp.font, sp.size))
    text = "".join(c for c, _, _ in chars)
    if not chars:
        return SetParagraph(lines=(), text="")
    em = spans[0].size
    indent = (settings.indent if first_indent is None else first_indent) * em
    widths = [metrics.advance(f, c) * s for c, f, s in chars]
    lines: list[SetLine] = []
    i = 0
    first = True
    n = len(chars)
    while i < n:
        avail = measure - (indent if first else 0.0)
        j = i
        w = 0.0
        while j < n and w + widths[j] <= avail + 1e-6:
            w += widths[j]
            j += 1
        if j == i:
            j = i + 1
        if j < n:
            # push out: never start a line with a closing mark, never end with an opening one
            k = j
            while k > i + 1 and (chars[k][0] in NO_START or chars[k - 1][0] in NO_END):
                k -= 1
            j = k
        last = j >= n
        line_w = sum(widths[i:j])
        x0 = indent if first else 0.0
        gaps = j - i - 1
        extra = 0.0 if (last or gaps <= 0 or not settings.justify) else (avail - line_w) / gaps
        glyphs = []
        x = x0
        for k in range(i, j):
            c, f, s = chars[k]
            glyphs.append(SetGlyph(ch=c, font=f, size=s, x=x, advance=widths[k], index=k))
            x += widths[k] + extra
        lines.append(SetLine(glyphs=tuple(glyphs), measure=measure,
                             width=(x - extra) if glyphs else 0.0, last=last, start=i, end=j))
        i = j
        first = False
    return SetParagraph(lines=tuple(lines), text=text)
