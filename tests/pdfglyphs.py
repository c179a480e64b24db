"""Characters read back from a rendered PDF by pdfium, with their places on the trim.

Tests that check where text landed (inside its module, on the grid, split at a fold) read it
here once: every drawn character (pdfium's generated spaces and line breaks left out) with its
box and its origin, in points from the trim's top-left corner, y down.
"""
from __future__ import annotations

import ctypes
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw


@dataclass(frozen=True)
class Glyph:
    page: int          # 1-based
    char: str
    left: float        # box, pt from the trim's left edge
    top: float         # box, pt from the trim's top edge (y down)
    right: float
    bottom: float
    origin_x: float    # the glyph's origin (pen position), same space
    baseline: float


def pdf_glyphs(pdf: Path | str) -> list[Glyph]:
    doc = pdfium.PdfDocument(str(pdf))
    out: list[Glyph] = []
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    try:
        for index in range(len(doc)):
            page = doc[index]
            trim = page.get_trimbox()
            textpage = page.get_textpage()
            for k in range(textpage.count_chars()):
                if raw.FPDFText_IsGenerated(textpage.raw, k):
                    continue
                char = textpage.get_text_range(k, 1)
                if not char or char.isspace():
                    continue
                raw.FPDFText_GetCharBox(textpage.raw, k, left, right, bottom, top)
                raw.FPDFText_GetCharOrigin(textpage.raw, k, origin_x, origin_y)
                out.append(Glyph(index + 1, char, left.value - trim[0], trim[3] - top.value,
                                 right.value - trim[0], trim[3] - bottom.value,
                                 origin_x.value - trim[0], trim[3] - origin_y.value))
            textpage.close()
            page.close()
    finally:
        doc.close()
    return out


def spread_lines(glyphs: list[Glyph], left: int, width: float) -> list[tuple[float, str]]:
    """The text of a spread (pages `left` and `left` + 1, each `width` pt wide) read as the
    press sees it, the two pages side by side: for each baseline, its characters left to right
    across the fold. Returns (baseline, text) from the top."""
    rows: dict[float, list[tuple[float, str]]] = {}
    for g in glyphs:
        if g.page not in (left, left + 1):
            continue
        x = g.left + (width if g.page == left + 1 else 0.0)
        key = next((b for b in rows if abs(b - g.baseline) < 0.5), g.baseline)
        rows.setdefault(key, []).append((x, g.char))
    return [(b, "".join(ch for _, ch in sorted(rows[b]))) for b in sorted(rows)]
