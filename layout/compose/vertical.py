"""Setting a headline vertically (竖排): vertical lines of characters, glyphs from the font's
vertical forms.

A vertical headline stands beside its story's body; its characters run top to bottom and
its lines (columns of characters) follow one another across the block. What this module
does, and where each rule comes from:

* Glyphs come from the face's vertical forms: HarfBuzz shapes the text with direction
  ``ttb`` and the OpenType features ``vert``/``vrt2``, script Hani, language zh-Hans (the
  Simplified Chinese ``locl`` forms). The vertical forms put the sentence marks
  (，。、；：) in the upper right of their em box and turn brackets, quotes, dashes and
  ellipses (GB/T 15834-2011 5.2: in vertical text 句号、逗号、顿号、分号、冒号 stand under
  the character to the right; 破折号、省略号 centred; brackets turned 90°).
* A mark that should have a vertical form (brackets, quotes, sentence marks, dashes,
  ellipses: the classes in ``EXPECT_VERT``) but for which the face substitutes none is
  flagged (``VerticalGlyph.missing_vert``; the preflight warns) and set as well as can be:
  brackets, dashes and ellipses turned 90° clockwise, sentence marks moved from the lower
  left to the upper right of their em box.
* Quotation marks: with ``quotes="corner"`` “” are set as 『』 and ‘’ as 「」 (GB/T
  15834-2011 5.2: 竖排文稿中双引号改用﹃﹄，单引号改用﹁﹂), through their vertical forms;
  each glyph still stands for (and reads back as) the character of the copy.
* Numbers of one to three digits stand upright in one em (纵中横, tate-chu-yoko, as W3C
  jlreq and CSS ``text-combine-upright: digits`` have it): two or three digits are scaled
  horizontally to fit the em. Other Latin runs (words, longer numbers) are turned 90°
  clockwise on the line's central axis (the middle of the ideographic em box, 0.38 em above
  the baseline in the Noto CJK and LXGW faces), as CSS ``text-orientation: mixed`` sets
  them.
* Lines break under the same prohibitions as horizontal text (``charclass``: no closing
  mark at a line's head, no opening mark at its foot, ——/…… and Latin runs never split),
  applied along the vertical line; among the breaks that fit, the most even lines win,
  preferring word boundaries when the caller gives them.

Lines are returned in reading order; which side the next line stands on (right to left,
as Chinese vertical text reads, or left to right) is the place stage's choice. Positions
are in pt, y downwards: x from the line's central axis, y from the line's top.

The shaped units of a text may be kept between runs (`shapes`: a JsonCache, keyed by the
text, its faces' sha256 and the sizes): a render whose vertical headlines were shaped before
loads no HarfBuzz (importing it alone is ~16 ms of a front page's cold render).
"""
from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import Mapping, Sequence

import msgspec
import msgspec.structs

from . import charclass as C
from .model import Span

#: classes whose marks a CJK face should give a vertical form (else: a preflight warning)
EXPECT_VERT = frozenset({C.OP, C.CL, C.FS, C.CM, C.DV, C.CO, C.DA, C.EL})
#: of those, the marks to turn 90° when the face has no vertical form
TURN_WITHOUT_VERT = frozenset({C.OP, C.CL, C.DA, C.EL, C.CN})
#: vertical-text quotation marks (GB/T 15834-2011 5.2)
CORNER_QUOTES = {"“": "『", "”": "』", "‘": "「", "’": "」"}
#: the central axis of rotated Latin: the middle of the ideographic em box (-0.12 .. 0.88 em)
AXIS_ABOVE_BASELINE = 0.38
ASCENT = 0.88                 # ideographic em box top above the baseline (Noto CJK, LXGW WenKai)
MAX_UPRIGHT_DIGITS = 3        # 纵中横: numbers of up to three digits stand upright in one em
WORD_BREAK_COST = 100.0       # a break inside a word, against the evenness of lines (em²)


class VerticalGlyph(msgspec.Struct, frozen=True):
    """One glyph of a vertical line, drawn by glyph id with its own text matrix."""
    gid: int                  # glyph id in the face
    chars: str                # the character(s) of the copy it stands for
    font: str                 # face key
    size: float               # pt
    x: float                  # drawing origin from the line's central axis, pt (right positive)
    y: float                  # drawing origin (the glyph's baseline point) from the line's top, pt (down)
    rotation: int = 0         # 0 upright, 90 turned clockwise (the glyph's baseline runs down the page)
    scale: float = 1.0        # horizontal scale of the glyph (纵中横 digits)
    index: int = 0            # position of chars in the text
    vert: bool = False        # the face's vertical form (vert/vrt2 substituted a glyph)
    missing_vert: bool = False   # a mark that should have a vertical form the face lacks


class VerticalLine(msgspec.Struct, frozen=True):
    glyphs: tuple[VerticalGlyph, ...]
    length: float             # pt along the line
    start: int                # index of the line's first character
    end: int                  # one past its last

    @property
    def text(self) -> str:
        return "".join(g.chars for g in self.glyphs)


class VerticalSetting(msgspec.Struct, frozen=True):
    lines: tuple[VerticalLine, ...]
    text: str
    size: float
    fits: bool                # every line within the height asked for

    @property
    def missing_vert(self) -> tuple[VerticalGlyph, ...]:
        return tuple(g for ln in self.lines for g in ln.glyphs if g.missing_vert)


class _Unit(msgspec.Struct):
    """An unbreakable piece of a vertical line: one character, a ——/…… pair, a number set
    upright, or a Latin run turned on its side."""
    start: int
    end: int
    font: str
    size: float
    kind: str                 # upright | digits | turned
    length: float = 0.0       # pt
    glyphs: list[VerticalGlyph] = msgspec.field(default_factory=list)


# --------------------------------------------------------------------------- shaping

@functools.lru_cache(maxsize=8)
def _hb_font(path: str):
    import uharfbuzz as hb
    face = hb.Face(hb.Blob.from_file_path(path))
    font = hb.Font(face)
    font.scale = (face.upem, face.upem)
    return font, face.upem


def _shape(path: Path, text: str, vertical: bool) -> list[tuple[int, int, int, int, int, int]]:
    """(gid, cluster, x_advance, y_advance, x_offset, y_offset) in font units."""
    import uharfbuzz as hb
    font, _ = _hb_font(str(path))
    buf = hb.Buffer()
    buf.add_str(text)
    buf.direction = "ttb" if vertical else "ltr"
    buf.script = "Hani"
    buf.language = "zh-Hans"
    hb.shape(font, buf, {"vert": True, "vrt2": True} if vertical else {"kern": True})
    return [(i.codepoint, i.cluster, p.x_advance, p.y_advance, p.x_offset, p.y_offset)
            for i, p in zip(buf.glyph_infos, buf.glyph_positions)]


def vertical_gid(path: Path, ch: str) -> int:
    """The glyph HarfBuzz's vert/vrt2 substitution gives `ch` in the face at `path` (its
    nominal glyph when there is none); the tests compare the PDF's glyphs with it."""
    return _shape(path, ch, True)[0][0]


def _nominal(path: Path, ch: str) -> int | None:
    font, _ = _hb_font(str(path))
    return font.get_nominal_glyph(ord(ch))


def _units(text: str, spans: Sequence[Span]) -> list[_Unit]:
    """The text cut into unbreakable units, each in one face."""
    owner: list[tuple[str, float]] = []
    for sp in spans:
        owner.extend([(sp.font, sp.size)] * len(sp.text))
    classes = C.classify_text(text)
    units: list[_Unit] = []
    i, n = 0, len(text)
    while i < n:
        cls = classes[i]
        font, size = owner[i]
        j = i + 1
        if cls in C.LATIN and cls != C.SP:
            while j < n and owner[j] == owner[i] and (classes[j] in C.LATIN and classes[j] != C.SP
                                                       or classes[j] == C.SP and j + 1 < n
                                                       and classes[j + 1] in C.LATIN and classes[j + 1] != C.SP):
                j += 1
            run = classes[i:j]
            kind = "digits" if all(c == C.DG for c in run) and j - i <= MAX_UPRIGHT_DIGITS else "turned"
        elif cls in C.UNITS:
            while j < n and classes[j] == cls and owner[j] == owner[i] and j - i < 2:
                j += 1
            kind = "upright"
        else:
            kind = "upright"
        units.append(_Unit(i, j, font, size, kind))
        i = j
    return units


def _set_unit(u: _Unit, text: str, shown: str, path: Path, upem: int) -> None:
    """Shape one unit: its glyphs (positions from the unit's top) and its length."""
    k = u.size / upem
    piece = shown[u.start:u.end]
    if u.kind == "upright":
        shaped = _shape(path, piece, True)
        y = 0.0
        for pos, (gid, cl, _, yadv, xoff, yoff) in enumerate(shaped):
            nxt = shaped[pos + 1][1] if pos + 1 < len(shaped) else len(piece)
            chars = text[u.start + cl:u.start + nxt]
            ch = piece[cl]
            cls = C.classify(ch)
            nominal = _nominal(path, ch)
            vert = nominal is not None and gid != nominal
            missing = cls in EXPECT_VERT and not vert
            if missing and cls in TURN_WITHOUT_VERT:
                # no vertical form: the horizontal glyph turned clockwise, centred on the axis
                hs = _shape(path, piece[cl:nxt], False)
                off = 0.0
                for hpos, (hgid, hcl, xadv, _, _, _) in enumerate(hs):
                    hnxt = hs[hpos + 1][1] if hpos + 1 < len(hs) else nxt - cl
                    u.glyphs.append(VerticalGlyph(hgid, text[u.start + cl + hcl:u.start + cl + hnxt], u.font,
                                                  u.size, -AXIS_ABOVE_BASELINE * u.size, y + off, 90, 1.0,
                                                  u.start + cl + hcl, False, True))
                    off += xadv * k
                y += max(off, -yadv * k)
                continue
            gx, gy = xoff * k, -yoff * k
            if missing:       # a sentence mark without its vertical form: lower left -> upper right
                gx += 0.5 * u.size
                gy -= 0.5 * u.size
            u.glyphs.append(VerticalGlyph(gid, chars, u.font, u.size, gx, y + gy, 0, 1.0, u.start + cl,
                                          vert, missing))
            y += -yadv * k
        u.length = y
    elif u.kind == "digits":
        shaped = _shape(path, piece, False)
        width = sum(s[2] for s in shaped) * k
        scale = min(1.0, u.size / width) if width > 0 else 1.0
        x = -width * scale / 2
        for pos, (gid, cl, xadv, _, _, _) in enumerate(shaped):
            nxt = shaped[pos + 1][1] if pos + 1 < len(shaped) else len(piece)
            u.glyphs.append(VerticalGlyph(gid, text[u.start + cl:u.start + nxt], u.font, u.size, x,
                                          ASCENT * u.size, 0, scale, u.start + cl))
            x += xadv * k * scale
        u.length = u.size
    else:                     # turned Latin: its baseline runs down the page, tops to the right
        shaped = _shape(path, piece, False)
        y = 0.0
        for pos, (gid, cl, xadv, _, _, _) in enumerate(shaped):
            nxt = shaped[pos + 1][1] if pos + 1 < len(shaped) else len(piece)
            u.glyphs.append(VerticalGlyph(gid, text[u.start + cl:u.start + nxt], u.font, u.size,
                                          -AXIS_ABOVE_BASELINE * u.size, y, 90, 1.0, u.start + cl))
            y += xadv * k
        u.length = y


# --------------------------------------------------------------------------- breaking

def _break_allowed(units: list[_Unit], text: str, at: int, level: str) -> bool:
    """May a line end after units[at - 1] and the next begin with units[at]?"""
    before, after = text[units[at - 1].end - 1], text[units[at].start]
    return not C.no_end(before, level) and not C.no_start(after, level)


def _best_breaks(units: list[_Unit], text: str, height: float, level: str,
                 word_starts: frozenset[int] | None, max_lines: int) -> tuple[list[int], bool]:
    """Unit indices where lines start (the first is 0): the fewest lines that fit `height`,
    as even as possible; a break inside a word costs WORD_BREAK_COST. (breaks, fits)."""
    n = len(units)
    pre = [0.0]
    for u in units:
        pre.append(pre[-1] + u.length)
    em = max((u.size for u in units), default=1.0)
    ok = [False] + [_break_allowed(units, text, i, level) for i in range(1, n)] + [True]
    limit = height + 1e-6
    for lines in range(1, max(1, max_lines) + 1):
        target = pre[n] / lines
        inf = float("inf")
        # cost[j][i]: the first i units in j lines
        cost = [[inf] * (n + 1) for _ in range(lines + 1)]
        back = [[0] * (n + 1) for _ in range(lines + 1)]
        cost[0][0] = 0.0
        for j in range(1, lines + 1):
            for i in range(1, n + 1):
                if not ok[i] and i != n:
                    continue
                for a in range(j - 1, i):
                    if cost[j - 1][a] == inf or (a and not ok[a]):
                        continue
                    length = pre[i] - pre[a]
                    if length > limit:
                        continue
                    c = cost[j - 1][a] + ((length - target) / em) ** 2
                    if i < n and word_starts is not None and units[i].start not in word_starts:
                        c += WORD_BREAK_COST
                    if c < cost[j][i]:
                        cost[j][i], back[j][i] = c, a
        if cost[lines][n] < inf:
            starts, i = [], n
            for j in range(lines, 0, -1):
                i = back[j][i]
                starts.append(i)
            return starts[::-1], True
    # does not fit: cut where the height runs out, at allowed breaks where possible
    starts, used = [0], 0.0
    for i, u in enumerate(units):
        if i and used + u.length > limit and ok[i]:
            starts.append(i)
            used = 0.0
        used += u.length
    return starts, False


SHAPES_VERSION = 1            # of the kept units' form: a change here makes old entries misses


@functools.lru_cache(maxsize=256)
def _shaped_units(spans: tuple[Span, ...], fonts: tuple[tuple[str, str, int, str], ...],
                  quotes: str, shapes=None) -> tuple[_Unit, ...]:
    """The text's units, shaped: the same at every height, so the place stage may try many
    heights (make-up candidates) for the price of one shaping. Units are not changed after.
    `shapes`: units kept between runs (see the module's docstring)."""
    key = None
    if shapes is not None:
        ident = repr((SHAPES_VERSION, quotes, [(sp.text, sp.font, sp.size) for sp in spans],
                      sorted((k, sha) for k, _, _, sha in fonts)))
        key = hashlib.sha1(ident.encode("utf-8")).hexdigest()
        kept = shapes.get(key)
        if kept is not None:
            try:
                return tuple(msgspec.convert(kept, list[_Unit]))
            except msgspec.ValidationError:
                pass                # an entry of another form: shaped again below
    text = "".join(sp.text for sp in spans)
    shown = "".join(CORNER_QUOTES.get(ch, ch) for ch in text) if quotes == "corner" else text
    where = {k: (Path(path), upem) for k, path, upem, _ in fonts}
    units = _units(text, spans)
    for u in units:
        _set_unit(u, text, shown, *where[u.font])
    if key is not None:
        shapes.put(key, msgspec.to_builtins(units))
    return tuple(units)


def set_vertical(spans: Sequence[Span], height: float, faces: Mapping, level: str = "gb",
                 quotes: str = "keep", word_starts: Sequence[int] | None = None,
                 max_lines: int = 4, shapes=None) -> VerticalSetting:
    """Set `spans` (one text, split by face) in vertical lines no longer than `height` pt.

    faces: face key -> fonts.face.Face (its path is shaped with HarfBuzz).
    level: prohibition level (charclass.LEVELS). quotes: "keep" or "corner" (“”‘’ as 『』「」).
    word_starts: character indices where a word begins (preferred breaks), if known.
    max_lines: the most lines tried before the text is cut where the height runs out.
    shapes: shaped units kept between runs (diskcache.JsonCache), or None."""
    text = "".join(sp.text for sp in spans)
    size = max((sp.size for sp in spans), default=0.0)
    if not text:
        return VerticalSetting(lines=(), text="", size=size, fits=True)
    spans = tuple(sp for sp in spans if sp.text)
    fonts = tuple(sorted({(sp.font, str(faces[sp.font].path), faces[sp.font].units_per_em, faces[sp.font].sha256)
                          for sp in spans}))
    ws = frozenset(word_starts) if word_starts is not None else None
    return _set(spans, fonts, quotes, round(height, 3), level, ws, max_lines, shapes)


@functools.lru_cache(maxsize=1024)
def _set(spans: tuple[Span, ...], fonts: tuple[tuple[str, str, int, str], ...], quotes: str, height: float,
         level: str, ws: frozenset[int] | None, max_lines: int, shapes=None) -> VerticalSetting:
    text = "".join(sp.text for sp in spans)
    size = max(sp.size for sp in spans)
    units = list(_shaped_units(spans, fonts, quotes, shapes))
    starts, fits = _best_breaks(units, text, height, level, ws, max_lines)
    lines = []
    for a, b in zip(starts, starts[1:] + [len(units)]):
        glyphs, y = [], 0.0
        for u in units[a:b]:
            glyphs.extend(msgspec.structs.replace(g, y=g.y + y) for g in u.glyphs)
            y += u.length
        lines.append(VerticalLine(glyphs=tuple(glyphs), length=y, start=units[a].start, end=units[b - 1].end))
    return VerticalSetting(lines=tuple(lines), text=text, size=size, fits=fits)
