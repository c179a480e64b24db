"""Drawing a vertical headline's lines (place.model.VerticalText) in the print PDF.

Every glyph is drawn by its glyph id (the face's vertical form where HarfBuzz substituted
one, which no character maps to) with its own text matrix: upright glyphs as they are,
纵中横 digits scaled horizontally, turned glyphs (Latin, marks without a vertical form)
rotated 90° clockwise. The font stays Identity-H: the positions come from the compose
stage, so no vertical writing mode (Identity-V, /W2) is needed in the file.

Each glyph sits in a marked-content span whose /ActualText is the character(s) of the copy
it stands for, so that text copied or extracted from the PDF reads as the copy (a corner
quote read as the “ it stands for, a two-em dash ligature as ——).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..place.model import VerticalText

if TYPE_CHECKING:        # no reportlab import here: textplan (run before the PDF writer loads) uses glyph_ids
    from . import marks as M
    from .cidfont import FontEmbedder

_BLANK = frozenset(" \u3000\u00a0")


def _num(v: float) -> str:
    """Compact PDF number, 3 decimals (as cidfont writes them)."""
    s = ("%.3f" % v).rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def glyph_ids(item: VerticalText) -> dict[str, set[int]]:
    """Face key -> the glyph ids drawing `item` takes (for the subset plan, textplan.py)."""
    out: dict[str, set[int]] = {}
    for g in item.glyphs:
        if g.gid and not set(g.chars) <= _BLANK:
            out.setdefault(g.font, set()).add(g.gid)
    return out


def _code(embedder: "FontEmbedder", key: str, gid: int, chars: str) -> tuple[str, str]:
    """(font resource name, 4-hex-digit code) for drawing glyph `gid` of face `key`.

    The embedder encodes characters through the cmap; a vertical form has no character, so
    the glyph is entered in the document font here (its width for /W, `chars` for the
    ToUnicode CMap if no character drew it before), as encode() does for a character."""
    font = embedder._fonts.get(key) or embedder._font(key)
    if gid not in font.width:
        if font.frozen:
            raise RuntimeError(f"document already written; cannot add glyph {gid} to {key!r}")
        font.width[gid] = round(font.face.advances[gid] * font.scale, 3)
        font.chars_of[gid] = [chars]      # layer 0 reads it as the copy (ActualText too)
    if font.resname is None:
        embedder._register(font)
    return font.resname, "%04X" % gid


def _actual_text(chars: str) -> str:
    return "<FEFF" + chars.encode("utf-16-be").hex().upper() + ">"


def draw_vertical(canvas, embedder: "FontEmbedder", item: VerticalText, sheet: "M.Sheet") -> None:
    """Append the line's glyphs to the page's content (the fill colour is set by the caller)."""
    if canvas._doc is not embedder._doc:
        raise RuntimeError("draw_vertical on a canvas the FontEmbedder is not attached to")
    out = ["BT"]
    current = None
    for g in item.glyphs:
        if not g.gid or set(g.chars) <= _BLANK:
            continue            # spaces take room but no ink
        res, code = _code(embedder, g.font, g.gid, g.chars)
        if (res, g.size) != current:
            out.append(f"/{res} {_num(g.size)} Tf")
            current = (res, g.size)
        x, y = sheet.pdf_x(item.x + g.x), sheet.pdf_y(item.y + g.y)
        if g.rotation == 90:    # the glyph's baseline runs down the page, its top to the right
            matrix = f"0 {_num(-g.scale)} 1 0 {_num(x)} {_num(y)}"
        else:
            matrix = f"{_num(g.scale)} 0 0 1 {_num(x)} {_num(y)}"
        out.append(f"/Span <</ActualText {_actual_text(g.chars)}>> BDC {matrix} Tm <{code}> Tj EMC")
    if len(out) == 1:
        return
    out.append("ET")
    canvas._code.append("\n".join(out))
