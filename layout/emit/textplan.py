"""What text the emitter sets besides the placed lines, and with which glyphs.

The placed pages carry every story's lines; the emitter adds a few short lines of its own:
the label of a photo frame whose file is missing, and the slug line under each page.  They
are laid out here, without reportlab, so that the emitter draws them and ``glyph_plan``
can tell before drawing which glyphs each face will need (the font subsets are then made
in parallel with the drawing: emit/subsets.py).
"""
from __future__ import annotations

import datetime as dt
import math
import os

from ..fonts.fontset import IGNORABLE, FontSet
from ..load.issue import Issue
from ..load.style import Style
from ..place.model import LaidOutIssue, PhotoFrame, TextLine, VerticalText
from .vertical import glyph_ids

STANDARD_LABEL = {"x1a": "PDF/X-1a:2001", "x4": "PDF/X-4"}
#: Where the document is produced: dates without a zone are read in China Standard Time.
CST = dt.timezone(dt.timedelta(hours=8))
_SPACES = (" ", "\u3000")


def output_time(issue: Issue) -> dt.datetime:
    """The document's creation time: SOURCE_DATE_EPOCH when set, else the issue's output
    time if it carries one, else 00:00 China Standard Time on the issue's date."""
    sde = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if sde:
        try:
            return dt.datetime.fromtimestamp(int(sde), tz=dt.timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise ValueError(f"SOURCE_DATE_EPOCH={sde!r} is not a number of seconds") from None
    for obj in (issue, issue.masthead):
        t = getattr(obj, "output_time", None)
        if isinstance(t, dt.datetime):
            return t if t.tzinfo else t.replace(tzinfo=CST)
    return dt.datetime.combine(issue.masthead.date, dt.time(0, 0), tzinfo=CST)


def document_time(issue: Issue, settings) -> dt.datetime:
    """The output time the file carries (settings.when, else output_time), with a zone."""
    when = settings.when or output_time(issue)
    return when if when.tzinfo is not None else when.replace(tzinfo=CST)


# --------------------------------------------------------------------------- short lines

def runs(fonts: FontSet, font_role: str, text: str) -> list[tuple[str | None, str]]:
    """Text split into (face key, characters) by the role's fallback chain; None: no face."""
    out: list[tuple[str | None, str]] = []
    for ch in text:
        key = None if ch in _SPACES else fonts.face_for(font_role, ch)
        if ch in _SPACES or ch in IGNORABLE:
            key = out[-1][0] if out else fonts.chains[font_role][0]
        if out and out[-1][0] == key:
            out[-1] = (key, out[-1][1] + ch)
        else:
            out.append((key, ch))
    return out


def advance(fonts: FontSet, key: str | None, ch: str, size: float) -> float:
    if ch in IGNORABLE:
        return 0.0
    if key is None:
        return size
    face = fonts.faces[key]
    if ch == " ":
        return face.advance(ch) * size if ord(ch) in face.cmap else size / 4
    if ch == "\u3000":
        return size
    return face.advance(ch) * size


def measure(fonts: FontSet, font_role: str, text: str, size: float) -> float:
    return sum(advance(fonts, k, ch, size) for k, s in runs(fonts, font_role, text) for ch in s)


def role_font(style: Style, fonts: FontSet, *roles: str) -> str:
    for r in roles:
        ts = style.roles.get(r)
        if ts is not None and ts.font in fonts.chains:
            return ts.font
    return next(iter(fonts.chains))


def bleed_rect(x: float, y: float, w: float, h: float, W: float, H: float, b: float, eps: float = 0.01):
    """Extend a rectangle that touches the trim's edge into the bleed."""
    x1, y1 = x + w, y + h
    if x <= eps:
        x = -b
    if y <= eps:
        y = -b
    if x1 >= W - eps:
        x1 = W + b
    if y1 >= H - eps:
        y1 = H + b
    return x, y, x1 - x, y1 - y


# --------------------------------------------------------------------------- photo labels

PLACEHOLDER_PAD = 2.0


def placeholder_text(issue: Issue, it: PhotoFrame) -> list[tuple[str, float, bool]] | None:
    """The label of a frame without a photo: (text, size, may be cut) lines; None when the
    frame has a file to read (it is labelled only if the file turns out unreadable)."""
    if it.present and it.path is not None:
        return None
    if it.owner in issue.stories:
        return [("图片缺失", 9.0, False), (it.label, 6.0, True)]
    return [(it.label, 9.0, False), ("缺失", 9.0, False)]


def placeholder_role(style: Style, fonts: FontSet) -> str:
    return role_font(style, fonts, "awaiting", "caption", "body")


def placeholder_label(fonts: FontSet, role: str, w: float, h: float,
                      lines: list[tuple[str, float, bool]]) -> list[tuple[str, float, float]]:
    """The label's lines as set in a frame w x h: (text, size, width); smaller type down to
    6 pt, long file names cut at the front, lines that cannot fit left out."""
    pad = PLACEHOLDER_PAD
    avail = w - 2 * pad - 2
    set_lines: list[tuple[str, float, float]] = []
    for text, size, cut in lines:
        text = text.strip()
        if not text:
            continue
        width = measure(fonts, role, text, size)
        if width > avail:                               # smaller, down to 6 pt
            size = max(6.0, math.floor(size * avail / width * 4) / 4)
            width = measure(fonts, role, text, size)
        while cut and width > avail and len(text) > 4:  # long file names: keep the end
            text = "…" + text[2:]
            width = measure(fonts, role, text, size)
        if width > avail or size * 1.3 > h - 2 * pad:
            continue
        set_lines.append((text, size, width))
    if set_lines and sum(s * 1.3 for _, s, _ in set_lines) > h - 2 * pad:
        set_lines = set_lines[:1]
    return set_lines


# --------------------------------------------------------------------------- slug

def slug_parts(issue: Issue, page, when: dt.datetime, standard: str, settings) -> tuple[str, str]:
    m = issue.masthead
    left = f"{m.title}  第{m.number}期  第{page.number}版 {page.name}  {m.date.isoformat()}"
    right = (f"输出 {when.strftime('%Y-%m-%d %H:%M')} {when.strftime('%z')[:3]}:{when.strftime('%z')[3:]}  "
             f"{STANDARD_LABEL[standard]}  {settings.output_intent.identifier}  "
             f"TAC {settings.tac_limit:g}%")
    return left, right


def slug_role(style: Style, fonts: FontSet) -> str:
    return role_font(style, fonts, "page_header_info", "body")


# --------------------------------------------------------------------------- glyph plan

def glyph_plan(laid: LaidOutIssue, issue: Issue, style: Style, fonts: FontSet, settings) -> dict[str, list[int]]:
    """Face key -> the sorted glyph ids the emitter will draw in it, as far as it can be
    known before drawing (a photo file that turns out unreadable adds a label).  The
    emitter checks its real glyph sets against this plan before using subsets made from it."""
    chars: dict[str, set[str]] = {}

    def add_runs(role: str, text: str) -> None:
        for key, chunk in runs(fonts, role, text):
            if key is not None:
                chars.setdefault(key, set()).update(ch for ch in chunk if ch not in _SPACES)

    geo = style.page
    when = document_time(issue, settings)
    ph_role = None
    by_gid: dict[str, set[int]] = {}      # vertical headlines are drawn by glyph id
    for page in laid.pages:
        for it in page.items:
            if isinstance(it, TextLine):
                glyphs = it.glyphs
                face = glyphs[0].font if glyphs else None
                if all(g.font == face for g in glyphs):    # the commonest line: one face
                    chars.setdefault(face, set()).update([g.ch for g in glyphs])
                else:
                    for g in glyphs:
                        chars.setdefault(g.font, set()).add(g.ch)
            elif isinstance(it, VerticalText):
                for key, gids in glyph_ids(it).items():
                    by_gid.setdefault(key, set()).update(gids)
            elif isinstance(it, PhotoFrame):
                lines = placeholder_text(issue, it)
                if lines is None:
                    continue
                ph_role = ph_role or placeholder_role(style, fonts)
                _, _, w, h = bleed_rect(it.x, it.y, it.w, it.h, geo.width, geo.height, geo.bleed)
                for text, _, _ in placeholder_label(fonts, ph_role, w, h, lines):
                    add_runs(ph_role, text)
        if settings.marks:
            role = slug_role(style, fonts)
            for text in slug_parts(issue, page, when, settings.standard, settings):
                add_runs(role, text)
    plan: dict[str, list[int]] = {}
    for key, cs in chars.items():
        cmap = fonts.faces[key].cmap
        gids = set()
        for ch in cs:
            if ch in _SPACES or ch in IGNORABLE:       # never drawn (pdf._text_line)
                continue
            try:
                gid = cmap[ord(ch)]
            except (KeyError, TypeError):
                continue
            if gid:
                gids.add(gid)
        if gids:
            plan[key] = sorted(gids)
    for key, gids in by_gid.items():
        plan[key] = sorted(set(plan.get(key, ())) | gids)
    return plan

