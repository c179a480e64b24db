"""Write placed pages as a PDF with reportlab: CMYK colours, CID-keyed embedded fonts.

The file is written beside its destination and renamed into place only when it is
complete, so a failed render never leaves half a PDF over a good one.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from ..fonts.fontset import FontSet
from ..load.issue import Issue
from ..load.style import Style
from ..place.model import Box, LaidOutIssue, PhotoFrame, Rule, TextLine
from .cidfont import FontEmbedder


def write_pdf(laid: LaidOutIssue, issue: Issue, style: Style, fonts: FontSet, out: Path) -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    try:
        _draw(laid, issue, style, fonts, Path(tmp))
        os.replace(tmp, out)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return out


def _draw(laid: LaidOutIssue, issue: Issue, style: Style, fonts: FontSet, path: Path) -> None:
    geo = style.page
    bleed = geo.bleed
    media_w, media_h = geo.width + 2 * bleed, geo.height + 2 * bleed
    embedder = FontEmbedder(fonts.faces)
    m = issue.masthead
    canvas = Canvas(str(path), pagesize=(media_w, media_h), invariant=1, pageCompression=1)
    embedder.attach(canvas)
    canvas.setTitle(f"{m.title} 第{m.number}期 {m.date.isoformat()}")
    canvas.setAuthor(m.publisher)
    canvas.setSubject(f"{m.title} {m.date.isoformat()}")
    canvas.setCreator("kecheng-layout")
    colors = style.colors

    def fill(name: str) -> None:
        canvas.setFillColorCMYK(*colors[name].fractions)

    def stroke(name: str) -> None:
        canvas.setStrokeColorCMYK(*colors[name].fractions)

    def Y(y: float) -> float:               # trim-space y (down) -> PDF y (up)
        return media_h - bleed - y

    for page in laid.pages:
        canvas.setTrimBox((bleed, bleed, bleed + geo.width, bleed + geo.height))
        canvas.setBleedBox((0, 0, media_w, media_h))
        for it in page.items:
            if isinstance(it, Box):
                if it.fill:
                    fill(it.fill)
                if it.stroke:
                    stroke(it.stroke)
                    canvas.setLineWidth(it.width)
                canvas.setDash(list(it.dash) if it.dash else [])
                canvas.rect(bleed + it.x, Y(it.y + it.h), it.w, it.h,
                            stroke=1 if it.stroke else 0, fill=1 if it.fill else 0)
                canvas.setDash([])
            elif isinstance(it, Rule):
                stroke(it.color)
                canvas.setLineWidth(it.width)
                canvas.setDash(list(it.dash) if it.dash else [])
                canvas.line(bleed + it.x0, Y(it.y0), bleed + it.x1, Y(it.y1))
                canvas.setDash([])
            elif isinstance(it, PhotoFrame):
                _photo(canvas, it, bleed, Y, fill, stroke)
        # text last, so tints and frames never cover it
        current = None
        for it in page.items:
            if not isinstance(it, TextLine) or not it.glyphs:
                continue
            if it.color != current:
                fill(it.color)
                current = it.color
            _text_line(canvas, embedder, fonts, it, bleed, Y)
        canvas.showPage()
    if hasattr(embedder, "finish"):
        embedder.finish(canvas)
    canvas.save()


def _text_line(canvas, embedder: FontEmbedder, fonts: FontSet, ln: TextLine, bleed: float, Y) -> None:
    run: list[tuple[str, float]] = []
    key = size = None
    y = Y(ln.baseline)
    for g in ln.glyphs:
        if g.font != key or g.size != size:
            if run:
                embedder.draw_glyphs(canvas, key, size, y, run)
            run, key, size = [], g.font, g.size
        if g.ch in (" ", "\u3000") or ord(g.ch) not in fonts.faces[g.font].cmap:
            continue        # spaces take room but no ink; missing glyphs are reported by the fonts stage
        run.append((g.ch, bleed + ln.x + g.x))
    if run:
        embedder.draw_glyphs(canvas, key, size, y, run)


def _photo(canvas, it: PhotoFrame, bleed: float, Y, fill, stroke) -> None:
    x, y, w, h = bleed + it.x, Y(it.y + it.h), it.w, it.h
    if it.present and it.path is not None:
        canvas.drawImage(str(it.path), x, y, w, h, preserveAspectRatio=True, anchor="c")
        return
    # placeholder: a tinted frame crossed through, so nobody mistakes it for a photo
    fill("tint")
    stroke("grey")
    canvas.setLineWidth(0.5)
    canvas.rect(x, y, w, h, stroke=1, fill=1)
    canvas.line(x, y, x + w, y + h)
    canvas.line(x, y + h, x + w, y)
