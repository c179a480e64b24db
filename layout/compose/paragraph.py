"""Paragraph composition entry point (issue 3: the print-grade composer).

``compose_paragraph`` breaks a paragraph of spans into justified lines of
``measure`` pt following clreq / GB/T 15834 (see ``breaker`` for the order of
work and ``charclass`` for the character classes and their sources).  The place
stage calls it with this signature.
"""
from __future__ import annotations

from typing import Sequence

from .breaker import clear_caches, compose
from .model import ComposeSettings, Metrics, SetParagraph, Span

__all__ = ["compose_paragraph", "clear_caches"]


def compose_paragraph(spans: Sequence[Span], measure: float, metrics: Metrics,
                      settings: ComposeSettings = ComposeSettings(), first_indent: float | None = None,
                      em: float | None = None) -> SetParagraph:
    """Compose one paragraph.

    spans: the paragraph's text in runs of one font and size; the first span's
        size is the em of the character grid and of the indent, unless `em` is given.
    measure: line length in pt (the column width).
    metrics: ``advance(font, ch)`` in em; advances (and prepared paragraphs and
        results) are cached per Metrics object (call ``clear_caches()`` if one
        changes its fonts).
    settings: prohibition level, punctuation style, Han-Latin gap, indent,
        hanging, grid, min_last_line, breaker ("total" or "first").
    first_indent: first-line indent in em, overriding ``settings.indent``.
    em: the grid's em in pt (e.g. the body's size when a larger dateline leads).

    Every character of the input appears in exactly one line, once, in order.
    """
    if not spans:
        return SetParagraph(lines=(), text="")
    em = em or spans[0].size
    spans = [sp for sp in spans if sp.text]
    if not spans:
        return SetParagraph(lines=(), text="")
    return compose(spans, measure, metrics, settings, first_indent, em=em)
