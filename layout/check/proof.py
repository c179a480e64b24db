"""Page proofs (校样) to preview an issue: page images, a marked-up proof PDF, an HTML viewer.

``write_proofs(result, out_dir)`` takes a finished render (``layout.pipeline.Render`` with its
print PDF written) and writes into ``out_dir`` (by convention ``out/<pdf stem>-proof/``, see
``proof_dir``):

* ``proof.pdf``: the print PDF's pages cropped to the trim (MediaBox = CropBox = TrimBox), each
  with an overlay merged on top (reportlab draws one overlay page per page, pypdf merges them):
  a 校样 watermark with the issue and the real time of output, a banner naming the page, an
  outline around every module (blue: a story, with body copy / capacity; orange: space awaiting
  copy, with its capacity; red: overset, with the characters that did not fit and the
  capacity) and every photo or QR frame (green, dashed), a legend, and with ``grid=True`` the
  type area's columns and grid lines, numbered as the issue's plan counts them.  The overlay
  is RGB with transparency: the proof is for screens and office printers, never for the press
  (no output intent, no PDF/X keys).  Chinese on the overlay is set in the style's own faces
  through ``emit.cidfont.FontEmbedder``.
* ``page-1.png`` …: every page of the proof rendered by pypdfium2 at ``dpi`` (150 by default),
  exactly the trim: round(trim × dpi / 72) pixels each way (A3 at 150 dpi: 1754 × 2480);
  ``thumb-1.png`` … are small copies for the viewer's page strip.
* ``index.html``: a self-contained viewer (inline CSS and JS, images by relative path, no
  network): thumbnails of the pages, a large view of the page chosen, and the preflight
  findings (the same list as ``<pdf stem>-preflight.json``) beside it; clicking a finding
  opens its page and highlights its box (trim coordinates scaled to the image).

The print PDF is only read, never written: proofs cannot change its bytes, and their time of
output (the real clock, or ``when``) goes into the proof alone.

pypdfium2 is imported only here and only when proofs are written, so a plain render never
loads it.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
import json
import math
import os
import re
from pathlib import Path

import msgspec

from ..atomic import write_atomic
from .messages import finding_text, paper_zone, story_title

__all__ = ["write_proofs", "proof_dir", "proof_pdf", "render_pngs", "index_html", "ProofPage",
           "STORY_RGB", "RESERVED_RGB", "OVERSET_RGB", "FRAME_RGB", "GRID_RGB"]

#: Outline colours (RGB, 0..1) of the proof's overlay; the tests look for them in the PNGs.
STORY_RGB = (0.0, 0.45, 0.85)
RESERVED_RGB = (0.95, 0.5, 0.0)
OVERSET_RGB = (0.85, 0.0, 0.2)
FRAME_RGB = (0.0, 0.6, 0.3)
GRID_RGB = (0.0, 0.7, 0.8)
WATERMARK_RGB = (0.85, 0.1, 0.1)

STORY_LINE = 1.0            # pt
RESERVED_LINE = 1.5
OVERSET_LINE = 2.0
FRAME_LINE = 0.75

THUMB_WIDTH = 220           # px



def proof_dir(result) -> Path:
    """Where a render's proofs go by default: beside its PDF, ``<pdf stem>-proof/``
    (``out/1640.pdf`` -> ``out/1640-proof/``)."""
    if getattr(result, "pdf", None) is None:
        raise ValueError("no print PDF was written (render with write=True before writing proofs)")
    pdf = Path(result.pdf)
    return pdf.with_name(f"{pdf.stem}-proof")


class ProofPage(msgspec.Struct, frozen=True):
    number: int
    name: str
    png: str                 # file name in the proof folder
    thumb: str
    width_px: int
    height_px: int
    width_pt: float          # the trim
    height_pt: float
    version: str             # short digest of the PNG (cache-busting in the viewer)


# --------------------------------------------------------------------------- entry point

def write_proofs(result, out_dir: Path, dpi: int = 150, grid: bool = False,
                 when: dt.datetime | None = None, lang: str = "zh", only: set[int] | None = None,
                 programs=None) -> Path:
    """Write proof.pdf, page-N.png (and thumb-N.png) and index.html into `out_dir` for a
    render whose print PDF was written; returns the path of index.html.

    `dpi`: resolution of the page images (10..600).  `grid`: draw the type area's columns
    and grid lines on the proof.  `when`: the time of output shown on the proof (default:
    now, on the paper's clock: the style's ``timezone``).  `lang`: the viewer's language at
    opening ("zh" or "en"; it has a switch).  `only`: the page numbers whose images are
    drawn again (the proof server's changed pages); the others keep the images on disk.
    `programs`: font programs for the overlay (emit.subsets.SubsetJob), made here if None.
    Every file is written atomically; page images of pages the issue no longer has (from
    an earlier, longer issue) are removed."""
    if getattr(result, "pdf", None) is None:
        raise ValueError("no print PDF was written (render with write=True before writing proofs)")
    dpi = int(dpi)
    if not 10 <= dpi <= 600:
        raise ValueError(f"--dpi {dpi}: expected 10 to 600")
    when = paper_time(result.style, when)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    pdf_path = out_dir / "proof.pdf"
    _atomic_write(pdf_path, proof_pdf(result, grid=grid, when=when, programs=programs))
    pages = render_pngs(pdf_path, out_dir, dpi, [(p.number, p.name) for p in result.laid.pages], only=only)
    _remove_stale(out_dir, len(pages))
    spreads = sorted({p.spread for p in result.laid.pages if p.spread})
    for spread in spreads:
        if only is None or set(spread) & only:
            spread_png(out_dir, spread)
    for old in out_dir.glob("spread-*.png"):        # a spread the plan no longer has
        if old.name not in {f"spread-{a}-{b}.png" for a, b in spreads}:
            old.unlink(missing_ok=True)
    index = out_dir / "index.html"
    _atomic_write(index, index_html(result, pages, when=when, dpi=dpi, grid=grid,
                                    out_dir=out_dir, lang=lang).encode("utf-8"))
    return index


def paper_time(style, when: dt.datetime | None = None) -> dt.datetime:
    """`when` (default: now) on the paper's clock (the style's ``timezone``, Asia/Shanghai);
    a naive `when` is taken as this machine's local time."""
    zone = paper_zone(style)
    if when is None:
        return dt.datetime.now(zone)
    if when.tzinfo is None:
        when = when.astimezone()
    return when.astimezone(zone)


# --------------------------------------------------------------------------- proof PDF

def _fmt_time(when: dt.datetime) -> str:
    z = when.strftime("%z")
    return when.strftime("%Y-%m-%d %H:%M:%S") + (f" {z[:3]}:{z[3:]}" if z else "")


def _zone_label(when: dt.datetime) -> str:
    """What the desk calls the clock a time is on: 北京时间 for UTC+8, else the zone's name."""
    if when.utcoffset() == dt.timedelta(hours=8):
        return "北京时间"
    return str(getattr(when.tzinfo, "key", None) or when.tzname() or "")


def _chain(result, *roles: str) -> str:
    """The font chain of the first style role present (for the overlay's labels)."""
    chains = result.fonts.chains
    for r in roles:
        ts = result.style.roles.get(r)
        if ts is not None and ts.font in chains:
            return ts.font
        if r in chains:
            return r
    return next(iter(chains))


class _Overlay:
    """Draws one proof overlay page in PDF user space, given the page's TrimBox."""

    def __init__(self, canvas, embedder, result, trim: tuple[float, float, float, float]):
        from ..emit.pdf import draw_text, measure

        self.c = canvas
        self.emb = embedder
        self.fonts = result.fonts
        self.draw_text, self.measure = draw_text, measure
        self.left, self.top = trim[0], trim[3]
        self.bold = _chain(result, "page_header", "hei", "body")
        self.regular = _chain(result, "awaiting", "hei_regular", "body")

    # trim coordinates (y down) -> PDF user space
    def X(self, x: float) -> float:
        return self.left + x

    def Y(self, y: float) -> float:
        return self.top - y

    def rect(self, box, rgb, width: float, dash=None, fill_alpha: float | None = None) -> None:
        x, y, w, h = box
        c = self.c
        c.saveState()
        if fill_alpha is not None:
            c.setFillColorRGB(*rgb)
            c.setFillAlpha(fill_alpha)
            c.rect(self.X(x), self.Y(y + h), w, h, stroke=0, fill=1)
        else:
            c.setStrokeColorRGB(*rgb)
            c.setLineWidth(width)
            if dash:
                c.setDash(dash)
            c.rect(self.X(x), self.Y(y + h), w, h, stroke=1, fill=0)
        c.restoreState()

    def line(self, x0, y0, x1, y1, rgb, width: float, alpha: float = 1.0) -> None:
        c = self.c
        c.saveState()
        c.setStrokeColorRGB(*rgb)
        c.setStrokeAlpha(alpha)
        c.setLineWidth(width)
        c.line(self.X(x0), self.Y(y0), self.X(x1), self.Y(y1))
        c.restoreState()

    def width(self, text: str, size: float, bold: bool = True) -> float:
        return self.measure(self.fonts, self.bold if bold else self.regular, text, size)

    def text(self, text: str, x: float, baseline: float, size: float, rgb, bold: bool = True,
             alpha: float = 1.0) -> float:
        """Set `text` at trim (x, baseline); returns its width."""
        c = self.c
        c.saveState()
        c.setFillColorRGB(*rgb)
        if alpha < 1:
            c.setFillAlpha(alpha)
        w = self.draw_text(c, self.emb, self.fonts, self.bold if bold else self.regular, text,
                           self.X(x), self.Y(baseline), size)
        c.restoreState()
        return w

    def tab(self, text: str, x: float, y: float, max_w: float, rgb, size: float = 7.5,
            below: bool = True) -> None:
        """A label on a coloured tab, top-left corner at trim (x, y) (bottom-left if not
        `below`): shrunk to fit `max_w` down to 5 pt, then cut with an ellipsis."""
        pad = 2.0
        avail = max_w - 2 * pad
        if avail < 10:
            return
        w = self.width(text, size)
        if w > avail:
            size = max(5.0, math.floor(size * avail / w * 4) / 4)
            w = self.width(text, size)
        while w > avail and len(text) > 2:
            text = text[:-2] + "…"
            w = self.width(text, size)
        h = size * 1.35
        top = y if below else y - h - 2 * pad
        self.rect((x, top, w + 2 * pad, h + 2 * pad), rgb, 0, fill_alpha=0.88)
        self.text(text, x + pad, top + pad + size * 1.02, size, (1, 1, 1))

    def watermark(self, trim_w: float, trim_h: float, lines: list[str]) -> None:
        """校样 across the page's diagonal, and under it the issue and time of output."""
        c = self.c
        ang = math.degrees(math.atan2(trim_h, trim_w))
        diag = math.hypot(trim_w, trim_h)
        big = min(diag * 0.5 / 2, 420.0)
        c.saveState()
        c.translate(self.X(trim_w / 2), self.Y(trim_h / 2))
        c.rotate(ang)
        c.setFillColorRGB(*WATERMARK_RGB)
        c.setFillAlpha(0.07)
        small, gap, step = 22.0, 36.0, 30.0
        block = big + gap + step * len(lines)          # the big word, then the lines, centred
        base = block / 2 - big * 0.88
        w = self.measure(self.fonts, self.bold, "校样", big)
        self.draw_text(c, self.emb, self.fonts, self.bold, "校样", -w / 2, base, big)
        c.setFillAlpha(0.2)
        y = base - big * 0.12 - gap
        for ln in lines:
            w = self.measure(self.fonts, self.bold, ln, small)
            self.draw_text(c, self.emb, self.fonts, self.bold, ln, -w / 2, y, small)
            y -= step
        c.restoreState()


def _module_mark(m, issue=None) -> tuple[tuple[float, float, float], float, str]:
    """Colour, line width and tab label of a module; a story is named by its headline."""
    if m.reserved:
        title = m.owner.split(":", 1)[1] if ":" in m.owner else m.owner
        if m.fold_part:
            return RESERVED_RGB, RESERVED_LINE, f"待稿 {title} · 跨中缝（接左版）"
        return RESERVED_RGB, RESERVED_LINE, f"待稿 {title} · 容量 {m.capacity} 字"
    name = story_title(issue, m.owner)
    if m.fold_part:         # its copy and capacity are counted on the spread's left page
        return STORY_RGB, STORY_LINE, f"{name} · 跨中缝（接左版）"
    if m.overset_chars:
        return (OVERSET_RGB, OVERSET_LINE,
                f"{name} · 超版 {m.overset_chars} 字 · 正文 {m.body_chars} / 容量 {m.capacity} 字")
    return STORY_RGB, STORY_LINE, f"{name} · 正文 {m.body_chars} / 容量 {m.capacity} 字"


def _draw_grid(ov: _Overlay, g) -> None:
    for col in range(g.columns):
        ov.rect((g.col_x(col), g.top, g.column_width, g.height), GRID_RGB, 0, fill_alpha=0.06)
        ov.text(str(col + 1), g.col_x(col) + g.column_width / 2 - 2, g.top - 3, 6, GRID_RGB, alpha=0.9)
    x0, x1 = g.left, g.left + g.width
    for i in range(g.lines + 1):
        y = g.line_top(i)
        ov.line(x0, y, x1, y, GRID_RGB, 0.5 if i % 5 == 0 else 0.25, alpha=0.55)
        if i < g.lines and (i == 0 or (i + 1) % 5 == 0):
            label = str(i + 1)
            ov.text(label, x0 - 3 - ov.width(label, 5), y + g.pitch * 0.7, 5, GRID_RGB, alpha=0.9)


def _overlay_pdf(result, trims: list[tuple[float, float, float, float]],
                 media: list[tuple[float, float]], when: dt.datetime, grid: bool, programs=None) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    from ..emit.cidfont import FontEmbedder
    from ..place.model import PhotoFrame, VerticalText
    from .preflight import module_box

    pre = getattr(result, "preflight", None)
    findings = list(pre.findings) if pre is not None else []
    m = result.issue.masthead
    g = result.style.grid
    stamp = f"{_fmt_time(when)} {_zone_label(when)}"
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=media[0], invariant=1, pageCompression=1)
    embedder = FontEmbedder(result.fonts.faces, programs)
    embedder.attach(canvas)
    for page, trim, size in zip(result.laid.pages, trims, media):
        canvas.setPageSize(size)
        tw, th = trim[2] - trim[0], trim[3] - trim[1]
        ov = _Overlay(canvas, embedder, result, trim)
        ov.watermark(tw, th, [f"{m.title} 第{m.number}期 第{page.number}版", f"输出 {stamp}"])
        if grid:
            _draw_grid(ov, g)
        # every module, then every frame
        for mod in page.modules:
            rgb, lw, _ = _module_mark(mod, result.issue)
            ov.rect(module_box(mod, g, page), rgb, lw)
        blocks = []
        for it in page.items:
            if isinstance(it, PhotoFrame):
                ov.rect(it.clip or (it.x, it.y, it.w, it.h), FRAME_RGB, FRAME_LINE, dash=(3, 2))
                if it.clear is not None:      # wrapped in text: the rectangle kept clear, gap included
                    ov.rect(it.clear, FRAME_RGB, FRAME_LINE, dash=(1, 2))
            elif isinstance(it, VerticalText) and it.block not in blocks:   # a vertical headline block
                blocks.append(it.block)
                ov.rect(it.block, STORY_RGB, FRAME_LINE, dash=(1, 2))
        for mod in page.modules:
            rgb, lw, label = _module_mark(mod, result.issue)
            x, y, w, h = module_box(mod, g, page)
            ov.tab(label, x + lw / 2, y + lw / 2, w - lw, rgb)
            if mod.overset_chars and not mod.reserved:
                ov.tab(f"超版 {mod.overset_chars} 字 ({mod.overset_lines} 行)", x + lw / 2, y + h - lw / 2,
                       w - lw, rgb, size=9, below=False)
        # banner (top margin) and legend (bottom margin), inside the trim
        n_e = sum(f.severity == "error" and f.page == page.number for f in findings)
        n_w = sum(f.severity == "warning" and f.page == page.number for f in findings)
        banner = (f"校样 PROOF · {m.title} 第{m.number}期 {m.date.isoformat()} · 第{page.number}版 {page.name} · "
                  f"输出 {stamp} · 本版 {n_e} 错误 {n_w} 警告 · 非付印文件")
        size = 8.0
        while size > 5 and ov.width(banner, size) > g.width:
            size -= 0.5
        ov.text(banner, g.left, min(g.top * 0.55, g.top - 6), size, WATERMARK_RGB)
        x = g.left
        base = th - min(12.0, result.style.page.margin_bottom * 0.4)
        for rgb, text in ((STORY_RGB, "稿件模块 正文/容量"), (RESERVED_RGB, "待稿 容量"),
                          (OVERSET_RGB, "超版"), (FRAME_RGB, "图框")):
            ov.rect((x, base - 6, 10, 6), rgb, 1.0)
            x += 13
            x += ov.text(text, x, base, 6, (0.2, 0.2, 0.2), bold=False) + 10
        if grid:
            ov.rect((x, base - 6, 10, 6), GRID_RGB, 0, fill_alpha=0.4)
            ov.text(f"网格 {g.columns} 栏 × {g.lines} 行", x + 13, base, 6, (0.2, 0.2, 0.2), bold=False)
        canvas.showPage()
    return canvas.getpdfdata()


def proof_pdf(result, grid: bool = False, when: dt.datetime | None = None, programs=None) -> bytes:
    """The proof PDF's bytes: the print PDF's pages, cropped to the trim, with the overlay.
    `programs`: font programs for the overlay's text (emit.subsets.SubsetJob)."""
    import pypdf
    from pypdf.generic import NameObject, RectangleObject

    when = paper_time(result.style, when)
    reader = pypdf.PdfReader(str(result.pdf))
    if len(reader.pages) != len(result.laid.pages):
        raise RuntimeError(f"{result.pdf} has {len(reader.pages)} page(s), the layout "
                           f"{len(result.laid.pages)}: render again before writing proofs")
    trims = [tuple(float(v) for v in p.trimbox) for p in reader.pages]
    media = [(float(p.mediabox.right), float(p.mediabox.top)) for p in reader.pages]
    overlay = pypdf.PdfReader(io.BytesIO(_overlay_pdf(result, trims, media, when, grid, programs)))
    writer = pypdf.PdfWriter()
    for src, over, trim in zip(reader.pages, overlay.pages, trims):
        page = writer.add_page(src)
        page.merge_page(over)
        box = RectangleObject(trim)
        page.mediabox = box
        page.cropbox = box
        page.trimbox = box
        if "/BleedBox" in page:
            del page[NameObject("/BleedBox")]
        page.compress_content_streams()
    m = result.issue.masthead
    writer.add_metadata({
        "/Title": f"校样 {m.title} 第{m.number}期 {m.date.isoformat()}",
        "/Subject": f"Proof (校样) of {Path(result.pdf).name}, output {_fmt_time(when)}: not for press",
        "/Creator": "kecheng-layout proof",
        "/Producer": "kecheng-layout (ReportLab, pypdf)",
        "/CreationDate": _pdf_date(when),
        "/ModDate": _pdf_date(when),
    })
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _pdf_date(t: dt.datetime) -> str:
    from ..emit.pdf import pdf_date
    return pdf_date(t)


# --------------------------------------------------------------------------- page images

def page_image(page, dpi: float, box: tuple[float, float, float, float] | None = None,
               transparent: bool = False, over=None):
    """One pypdfium2 page as a PIL image of exactly its size (or of `box`, PDF points
    (left, bottom, right, top) on the page, e.g. its TrimBox) at `dpi`: round(size × dpi / 72)
    pixels each way.  RGB on white; with `transparent`, RGBA on nothing (an overlay).
    `over`: a page of the same size (the proof overlay) drawn over it in the same bitmap."""
    from PIL import Image

    s = dpi / 72.0
    if box is None:
        w_pt, h_pt = page.get_size()
        want_w, want_h = round(w_pt * s), round(h_pt * s)
        # pdfium takes ceil(size × scale); crop the part pixel it adds at right and bottom
        cut_x = math.ceil(w_pt * s) - want_w
        cut_y = math.ceil(h_pt * s) - want_h
        crop = (0, cut_y * 0.999 / s, cut_x * 0.999 / s, 0)
    else:
        # pdfium takes ceil(page × scale) less ceil(margin × scale) on each side: margins of
        # whole pixels (the box's left and top edges to the nearest pixel) give the size wanted
        mx0, my0, mx1, my1 = page.get_mediabox()
        want_w, want_h = round((box[2] - box[0]) * s), round((box[3] - box[1]) * s)
        left, top = round((box[0] - mx0) * s), round((my1 - box[3]) * s)
        right = math.ceil((mx1 - mx0) * s) - left - want_w
        bottom = math.ceil((my1 - my0) * s) - top - want_h
        crop = tuple(max(0.0, (px - 1e-3) / s) for px in (left, bottom, right, top))
    if transparent:
        bitmap = page.render(scale=s, crop=crop, draw_annots=False, fill_color=(255, 255, 255, 0))
        im = bitmap.to_pil().convert("RGBA")
    else:
        bitmap = page.render(scale=s, crop=crop, draw_annots=False)
        if over is not None:
            import pypdfium2.raw as pdfium_c

            # pdfium draws on what the bitmap holds: the overlay lands on the page, as merged
            # in proof.pdf, without a transparent image of its own to convert and paste
            w_px, h_px = math.ceil(page.get_width() * s), math.ceil(page.get_height() * s)
            pdfium_c.FPDF_RenderPageBitmap(bitmap, over, -math.ceil(crop[0] * s), -math.ceil(crop[3] * s),
                                           w_px, h_px, 0, 0)
        im = bitmap.to_pil().convert("RGB")
    if im.size != (want_w, want_h):         # never expected; keep the promise anyway
        im = im.resize((want_w, want_h), Image.LANCZOS)
    return im


def screen_images(result, dpi: float, grid: bool = False, when: dt.datetime | None = None,
                  programs=None) -> list:
    """The proof's page images drawn straight from the print PDF and the overlay, without
    merging them into proof.pdf (the proof server's first, fast images): pdfium draws each
    page's trim, and the overlay on a transparent ground, which is then laid over it."""
    import pypdfium2 as pdfium

    when = paper_time(result.style, when)
    doc = pdfium.PdfDocument(str(result.pdf))
    over = None
    try:
        pages = [doc[i] for i in range(len(doc))]
        trims = [tuple(float(v) for v in pg.get_trimbox()) for pg in pages]
        media = [tuple(float(v) for v in pg.get_mediabox())[2:] for pg in pages]
        over = pdfium.PdfDocument(_overlay_pdf(result, trims, media, when, grid, programs))
        out = []
        for i, pg in enumerate(pages):
            op = over[i]
            im = page_image(pg, dpi, trims[i], over=op)
            op.close()
            pg.close()
            out.append(im)
        return out
    finally:
        if over is not None:
            over.close()
        doc.close()


def thumbnail(im, fast: bool = False):
    """The viewer's small copy of a page image (THUMB_WIDTH pixels wide at most); `fast`: a
    cheaper filter (the proof server's first images)."""
    from PIL import Image

    tw = min(THUMB_WIDTH, im.width)
    size = (tw, max(1, round(im.height * tw / im.width)))
    if fast:
        return im.resize(size, Image.BILINEAR, reducing_gap=2.0)
    return im.resize(size, Image.LANCZOS)


def render_pngs(proof: Path, out_dir: Path, dpi: int, names: list[tuple[int, str]],
                only: set[int] | None = None, before_page=None) -> list[ProofPage]:
    """page-N.png and thumb-N.png for every page of `proof` (cropped to the trim).  With
    `only`, pages not in it keep their image on disk when it is there at this size.
    `before_page()` is called before each page is drawn (it may raise to stop)."""
    import pypdfium2 as pdfium

    s = dpi / 72.0
    pages: list[ProofPage] = []
    doc = pdfium.PdfDocument(str(proof))
    try:
        for i in range(len(doc)):
            page = doc[i]
            w_pt, h_pt = page.get_size()
            want_w, want_h = round(w_pt * s), round(h_pt * s)
            number, name = names[i] if i < len(names) else (i + 1, "")
            png, thumb = f"page-{number}.png", f"thumb-{number}.png"
            data = None
            if only is not None and number not in only:
                data = _kept_png(out_dir / png, out_dir / thumb, (want_w, want_h))
            if data is None:
                if before_page is not None:
                    before_page()
                im = page_image(page, dpi)
                data = _png_bytes(im, 3)
                _atomic_write(out_dir / png, data)
                _atomic_write(out_dir / thumb, _png_bytes(thumbnail(im), 6))
            page.close()
            pages.append(ProofPage(number, name, png, thumb, want_w, want_h, w_pt, h_pt,
                                   hashlib.sha1(data, usedforsecurity=False).hexdigest()[:10]))
    finally:
        doc.close()
    return pages


def spread_png(out_dir: Path, spread: tuple[int, int]) -> Path:
    """spread-L-R.png: a spread's two page images side by side, meeting at the fold, as the
    press prints them (通版) -- the proof a desk signs for the design across the 中缝."""
    from PIL import Image

    left, right = (Image.open(out_dir / f"page-{n}.png") for n in spread)
    with left, right:
        both = Image.new(left.mode, (left.width + right.width, max(left.height, right.height)), "white")
        both.paste(left, (0, 0))
        both.paste(right, (left.width, 0))
    path = out_dir / f"spread-{spread[0]}-{spread[1]}.png"
    _atomic_write(path, _png_bytes(both, 3))
    return path


def _kept_png(png: Path, thumb: Path, size: tuple[int, int]) -> bytes | None:
    """The bytes of a page image already on disk at `size` (with its thumbnail), else None."""
    import struct

    try:
        data = png.read_bytes()
        if not thumb.is_file():
            return None
    except OSError:
        return None
    # the PNG header's IHDR: width and height, big-endian, at bytes 16..24
    if len(data) < 24 or data[:8] != b"\x89PNG\r\n\x1a\n" or struct.unpack(">II", data[16:24]) != size:
        return None
    return data


def _png_bytes(im, level: int) -> bytes:
    b = io.BytesIO()
    im.save(b, format="PNG", compress_level=level)
    return b.getvalue()


_OURS = re.compile(r"^(page|thumb)-(\d+)\.png$")


def _remove_stale(out_dir: Path, n_pages: int) -> None:
    for p in out_dir.iterdir():
        mt = _OURS.match(p.name)
        if mt and int(mt.group(2)) > n_pages:
            try:
                p.unlink()
            except OSError:
                pass


def _atomic_write(path: Path, data: bytes) -> None:
    write_atomic(path, data)


# --------------------------------------------------------------------------- the viewer

def _rel(target: Path, start: Path) -> str:
    try:
        return Path(os.path.relpath(target, start)).as_posix()
    except ValueError:          # another drive (Windows)
        return Path(target).resolve().as_uri()


def notes_path(issue) -> Path:
    """Where the correction notes (校样批注) of an issue are kept: beside its file,
    ``issues/1640/issue.yaml`` -> ``issues/1640/issue.notes.json``."""
    ipath = Path(issue.path)
    return ipath.with_name(f"{ipath.stem}.notes.json")


def read_notes(path: Path) -> list[dict]:
    """The notes saved at `path` (none when the file is missing or unreadable)."""
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    notes = doc.get("notes") if isinstance(doc, dict) else None
    return [n for n in notes if isinstance(n, dict)] if isinstance(notes, list) else []


def write_notes(path: Path, issue_number, notes: list[dict]) -> None:
    """The notes as JSON at `path`, written atomically."""
    text = json.dumps({"issue": issue_number, "coordinates": "pt from the trim's top-left corner, y down",
                       "notes": notes}, ensure_ascii=False, indent=1) + "\n"
    _atomic_write(Path(path), text.encode("utf-8"))


def index_html(result, pages: list[ProofPage], when: dt.datetime, dpi: int, grid: bool = False,
               out_dir: Path | None = None, lang: str = "zh", serve: dict | None = None,
               notes: list[dict] | None = None) -> str:
    """The viewer page.  Findings are exactly ``result.preflight.as_dict()["findings"]`` (what
    ``<pdf stem>-preflight.json`` holds), in the same order, each with its words in Chinese
    and English (``texts``, check/messages.py); the page draws thumbnails, pages and lists
    from that data, so the proof server (check/serve.py) can send new data to the same page.

    `serve`: the proof server's addresses ({"events", "notes", "pdf", "json"}); without it the
    page is a file beside the page images (notes are exported as a JSON download).
    `notes`: the correction notes to show (default: those saved beside the issue)."""
    m = result.issue.masthead
    when = paper_time(result.style, when)
    out_dir = Path(out_dir) if out_dir is not None else Path(result.pdf).parent
    if serve is None:
        links = {"proof": "proof.pdf", "pdf": _rel(Path(result.pdf), out_dir),
                 "json": _rel(Path(result.pdf).with_name(f"{Path(result.pdf).stem}-preflight.json"), out_dir)}
    else:
        links = {"proof": serve.get("proof", "proof.pdf"), "pdf": serve["pdf"], "json": serve["json"]}
    if notes is None:
        notes = read_notes(notes_path(result.issue))
    data = viewer_data(result, pages, when, dpi, grid)
    data.update({"lang": "en" if lang == "en" else "zh", "links": links, "serve": serve, "notes": notes,
                 "notes_file": notes_path(result.issue).name})
    # inside <script>: no "<" at all ("</script>", "<!--"), the JSON stays the same data
    blob = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    sub = {
        "TITLE": html.escape(f"校样 {m.title} 第{m.number}期 {m.date.isoformat()}"),
        "LANG": "en" if lang == "en" else "zh-Hans",
        "CSP": ("default-src 'self'; img-src 'self' data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
                "connect-src 'self'" if serve is not None else
                "default-src 'none'; img-src 'self' file: data:; style-src 'unsafe-inline'; "
                "script-src 'unsafe-inline'"),
        "DATA": blob,
    }
    return re.sub(r"@@([A-Z_]+)@@", lambda mt: sub[mt.group(1)], _PAGE)


def viewer_data(result, pages: list[ProofPage], when: dt.datetime, dpi: int, grid: bool = False) -> dict:
    """What the viewer draws: the pages, the findings with their words, the time of output."""
    m = result.issue.masthead
    pre = getattr(result, "preflight", None)
    report = pre.as_dict() if pre is not None else {"findings": [], "summary": {"errors": 0, "warnings": 0,
                                                                                 "info": 0}}
    zone = getattr(when.tzinfo, "key", None) or getattr(result.style, "timezone", "Asia/Shanghai")
    spreads = {p.number: list(p.spread) for p in result.laid.pages if p.spread}     # 通版: shown joined
    return {
        "issue": m.number, "title": m.title, "date": m.date.isoformat(), "dpi": dpi, "grid": grid,
        "output": f"{_fmt_time(when)} {_zone_label(when)}", "output_iso": when.isoformat(timespec="seconds"),
        "zone": zone,
        "pages": [dict(page_entry(p), spread=spreads.get(p.number)) for p in pages],
        "summary": report["summary"],
        "findings": report["findings"],
        "texts": [finding_text(f, result.issue) for f in report["findings"]],
    }


def page_entry(p: ProofPage, src: str | None = None, thumb: str | None = None, version: str | None = None) -> dict:
    """A page as the viewer's data lists it (`src`/`thumb`: other image addresses)."""
    return {"number": p.number, "name": p.name, "png": src or p.png, "thumb": thumb or p.thumb,
            "v": version or p.version, "width_px": p.width_px, "height_px": p.height_px,
            "width_pt": round(p.width_pt, 3), "height_pt": round(p.height_pt, 3)}



_PAGE = r"""<!doctype html>
<html lang="@@LANG@@">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="@@CSP@@">
<title>@@TITLE@@</title>
<style>
*{box-sizing:border-box}
html,body{margin:0;height:100%}
body{font:14px/1.45 system-ui,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;color:#222;background:#e9e9ec;display:flex;flex-direction:column}
header{display:flex;flex-wrap:wrap;gap:.4em 1.2em;align-items:baseline;padding:.5em 1em;background:#7a1010;color:#fff}
header h1{font-size:1.1em;margin:0}
header a{color:#ffd9d9}
header .counts span{margin-right:.8em}
header button{font:inherit;font-size:12px}
#status{font-size:12px;color:#ffd9d9}
#status.live{color:#c9f5c9}
main{flex:1;display:flex;min-height:0}
#thumbs{list-style:none;margin:0;padding:.6em;overflow:auto;background:#d6d6db;flex:0 0 auto}
#thumbs li{margin:0 0 .6em}
.thumb{position:relative;display:block;padding:4px;border:2px solid transparent;background:#fff;cursor:pointer;width:132px}
.thumb img{display:block;width:120px;height:auto}
.thumb[aria-current="true"]{border-color:#c00}
.tlabel{display:block;font-size:12px;text-align:center}
.badge{position:absolute;top:6px;right:6px;min-width:1.6em;padding:0 .3em;border-radius:.8em;background:#888;color:#fff;font-size:12px;text-align:center}
.badge.sev-error{background:#c00}.badge.sev-warning{background:#d98200}.badge.sev-info{background:#3a78c2}
#center{flex:1;display:flex;flex-direction:column;min-width:0}
#tools{padding:.5em 1em;display:flex;flex-wrap:wrap;gap:.4em;align-items:center;background:#f2f2f4;border-bottom:1px solid #ccc}
#tools button{font:inherit;font-size:13px}
#tools button[aria-pressed="true"]{background:#7a1010;color:#fff;border-color:#7a1010}
#tools .hint{color:#666;font-size:12px}
#failed{margin:0;padding:.5em 1em;background:#ffe1e1;color:#900;border-bottom:2px solid #c00;font-size:13px}
#failed[hidden]{display:none}
#viewer{flex:1;overflow:auto;padding:12px;min-height:0}
#sheets{display:flex;gap:6px;align-items:flex-start;width:max-content;margin:0 auto}
#sheets.joined{gap:0}
#sheets.joined .sheet + .sheet{box-shadow:inset 1px 0 0 rgba(0,0,0,.25),0 2px 10px rgba(0,0,0,.35)}
.sheet{position:relative;box-shadow:0 2px 10px rgba(0,0,0,.35);background:#fff;overflow:hidden;line-height:0;cursor:crosshair}
.sheet img{display:block;max-width:none}
#highlight{position:absolute;pointer-events:none;outline:3px solid #e00;outline-offset:0;background:rgba(255,230,0,.28);box-shadow:0 0 0 100000px rgba(0,0,0,.18)}
#highlight.sev-warning{outline-color:#e08a00}#highlight.sev-info{outline-color:#2a6fc2}
#highlight[hidden]{display:none}
.pin{position:absolute;width:22px;height:22px;margin:-11px 0 0 -11px;border-radius:50%;background:#d4145a;color:#fff;font:bold 12px/22px sans-serif;text-align:center;box-shadow:0 1px 4px rgba(0,0,0,.5);cursor:pointer}
.pin.flash{outline:4px solid #ffd400}
#note-form{position:absolute;z-index:5;line-height:1.4;background:#fffbe6;border:1px solid #d4a800;padding:6px;box-shadow:0 2px 8px rgba(0,0,0,.3);width:16em;cursor:auto}
#note-form[hidden]{display:none}
#note-form textarea{width:100%;height:5em;font:inherit}
#side{flex:0 0 30em;max-width:40vw;overflow:auto;background:#fafafa;border-left:1px solid #ccc;padding:.6em 1em}
#side h2{font-size:1.05em;margin:.2em 0 .6em}
.group h3{font-size:.95em;margin:.9em 0 .3em;color:#555}
.group.current h3{color:#7a1010}
.group .count{font-weight:normal;color:#888}
ol.findings,#notes-list{list-style:none;margin:0;padding:0}
.finding,.note{margin:0 0 .4em;padding:.35em .5em;border-left:4px solid #999;background:#fff;cursor:pointer;border-radius:2px}
.finding:hover,.finding:focus,.note:hover{background:#fff6d6;outline:none}
.finding.active{background:#ffeaa0}
.finding.sev-error{border-left-color:#c00}.finding.sev-warning{border-left-color:#d98200}.finding.sev-info{border-left-color:#3a78c2}
.note{border-left-color:#d4145a}
.finding .sev,.note .meta{font-size:12px;color:#666}
.finding .pos{font-size:12px;color:#888;float:right}
.finding.nobox .pos{font-style:italic}
.finding .msg,.note .text{margin-top:.15em;white-space:pre-wrap}
.finding .where{font-size:12px;color:#777}
.note-del{float:right;font-size:12px}
.none{color:#888;margin:.2em 0}
</style>
</head>
<body>
<header>
<h1 id="head"></h1>
<span id="output"></span>
<span class="counts" id="summary"></span>
<span id="links"></span>
<span id="status"></span>
<button type="button" id="lang"></button>
</header>
<main>
<ol id="thumbs" aria-label="pages"></ol>
<section id="center">
<div id="tools"><b id="page-title"></b>
<button type="button" id="zoom-fit" data-zoom="fit"></button><button type="button" id="zoom-width" data-zoom="width"></button><button type="button" id="zoom" data-zoom="1"></button><button type="button" id="zoom-out">−</button><button type="button" id="zoom-in">+</button><span id="zoom-level" class="hint"></span>
<button type="button" id="spread"></button><span class="hint" id="keys"></span></div>
<p id="failed" role="alert" hidden></p>
<div id="viewer"><div id="sheets"></div><div id="highlight" hidden></div>
<form id="note-form" hidden><textarea id="note-text"></textarea><button type="submit" id="note-save"></button> <button type="button" id="note-cancel"></button></form></div>
</section>
<aside id="side">
<h2><span id="preflight-title"></span> <span id="shown-count"></span> <span id="shown-unit"></span></h2>
<div id="findings"></div>
<h2 id="notes-title"></h2>
<p class="none" id="notes-hint"></p>
<ol id="notes-list"></ol>
<button type="button" id="notes-export"></button>
</aside>
</main>
<script type="application/json" id="proof-data">@@DATA@@</script>
<script>
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("proof-data").textContent);
  var WORDS = {
    zh: {proof: "校样", issue: function (d) { return d.title + " 第" + d.issue + "期 · " + d.date; },
         output: "输出", errors: "错误", warnings: "警告", info: "提示", print_pdf: "付印 PDF",
         page: function (p) { return "第" + p.number + "版 " + p.name; },
         pages: function (a, b) { return "第" + a.number + "–" + b.number + "版 " + (a.name === b.name ? a.name : a.name + " · " + b.name); },
         thumb: function (p) { return "第" + p.number + "版 缩略图"; },
         sev: {error: "错误", warning: "警告", info: "提示"}, document: "文档",
         preflight: "预检", items: "项", nothing: "无",
         nopos: "没有位置", mm: "毫米", fit: "整版", width: "适合宽度", actual: "实际大小 100%",
         spread: "对页", keys: "←/→ 翻版 · Esc 取消 · +/− 缩放 · 单击版面加批注",
         notes: "校样批注", notes_n: function (n) { return n + " 条"; },
         notes_hint: "在版面上单击，写下批注。", save: "保存", cancel: "取消", del: "删除",
         export_: "导出批注 JSON", placeholder: "批注内容", saved_to: function (f) { return "批注保存在稿件旁的 " + f; },
         live: "实时校样：保存稿件即更新", offline: "与校样服务器的连接中断，正在重连…",
         failed: "稿件有误，校样未更新（仍显示上一稿）：", lang: "English", note_at: "批注"},
    en: {proof: "Proof", issue: function (d) { return d.title + " no. " + d.issue + " · " + d.date; },
         output: "output", errors: "errors", warnings: "warnings", info: "notes", print_pdf: "print PDF",
         page: function (p) { return "page " + p.number + " " + p.name; },
         pages: function (a, b) { return "pages " + a.number + "–" + b.number + " " + a.name; },
         thumb: function (p) { return "page " + p.number + " thumbnail"; },
         sev: {error: "error", warning: "warning", info: "note"}, document: "document",
         preflight: "Preflight", items: "item(s)", nothing: "nothing to report",
         nopos: "no position", mm: "mm", fit: "whole page", width: "fit width", actual: "actual size 100%",
         spread: "spread", keys: "←/→ pages · Esc clears · +/− zoom · click the page to add a note",
         notes: "Correction notes", notes_n: function (n) { return n + " note(s)"; },
         notes_hint: "Click a place on the page and type a note.", save: "Save", cancel: "Cancel", del: "delete",
         export_: "Export notes (JSON)", placeholder: "note", saved_to: function (f) { return "notes are saved beside the issue in " + f; },
         live: "live proof: a save of the issue shows here", offline: "lost the proof server; reconnecting…",
         failed: "the issue has an error; the proof shows the last good version: ", lang: "中文", note_at: "note"}
  };
  var lang = data.lang === "en" ? "en" : "zh";
  var W = WORDS[lang];
  var pages = {};
  var viewer = document.getElementById("viewer");
  var sheets = document.getElementById("sheets");
  var img = document.getElementById("page-img");
  var hl = document.getElementById("highlight");
  var form = document.getElementById("note-form");
  var current = null, zoom = "fit", spread = true, activeFinding = null, pendingNote = null;
  var shown = window.__shown = [];

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text != null) e.textContent = text;
    return e;
  }
  function indexPages() { pages = {}; data.pages.forEach(function (p) { pages[p.number] = p; }); }
  function nums() { return data.pages.map(function (p) { return p.number; }); }
  function src(p) { return p.png + "?v=" + p.v; }
  // the facing page of a spread: 2-3, 4-5 … (the front page stands alone); a 通版 the plan
  // declares is shown joined at the fold
  function partner(n) {
    if (!spread || n === 1) return null;
    var p = pages[n];
    if (p && p.spread) return p.spread[0] === n ? p.spread[1] : p.spread[0];
    var other = n % 2 === 0 ? n + 1 : n - 1;
    return pages[other] && other !== 1 ? other : null;
  }
  function joined(want) {
    return want.length === 2 && pages[want[0]].spread != null && pages[want[0]].spread[1] === want[1];
  }
  function visible() {
    if (current == null) return [];
    var o = partner(current);
    return o == null ? [current] : [Math.min(current, o), Math.max(current, o)];
  }

  // ---------------------------------------------------------------- words
  function drawHeader() {
    document.documentElement.lang = lang === "en" ? "en" : "zh-Hans";
    document.getElementById("head").textContent = W.proof + " PROOF · " + W.issue(data);
    document.getElementById("output").textContent = W.output + " " + data.output + " · " + data.dpi + " dpi";
    var s = data.summary, sm = document.getElementById("summary");
    sm.setAttribute("data-errors", s.errors); sm.setAttribute("data-warnings", s.warnings);
    sm.setAttribute("data-info", s.info); sm.setAttribute("data-total", data.findings.length);
    sm.textContent = "";
    [["errors", s.errors], ["warnings", s.warnings], ["info", s.info]].forEach(function (kv) {
      var sp = el("span", {}, W[kv[0]] + " "); sp.appendChild(el("b", {}, String(kv[1]))); sm.appendChild(sp);
    });
    var ln = document.getElementById("links"); ln.textContent = "";
    [["proof.pdf", data.links.proof], [W.print_pdf, data.links.pdf], ["preflight.json", data.links.json]].forEach(function (l, i) {
      if (i) ln.appendChild(document.createTextNode(" · "));
      ln.appendChild(el("a", {href: l[1]}, l[0]));
    });
    document.getElementById("lang").textContent = W.lang;
    document.getElementById("zoom-fit").textContent = W.fit;
    document.getElementById("zoom-width").textContent = W.width;
    document.getElementById("zoom").textContent = W.actual;
    document.getElementById("spread").textContent = W.spread;
    document.getElementById("keys").textContent = W.keys;
    document.getElementById("preflight-title").textContent = W.preflight;
    document.getElementById("shown-count").textContent = String(data.findings.length);
    document.getElementById("shown-unit").textContent = W.items;
    document.getElementById("note-save").textContent = W.save;
    document.getElementById("note-cancel").textContent = W.cancel;
    document.getElementById("note-text").placeholder = W.placeholder;
    document.getElementById("notes-export").textContent = W.export_;
    document.getElementById("notes-export").hidden = !!data.serve;
    document.getElementById("notes-hint").textContent = W.notes_hint + (data.serve ? " " + W.saved_to(data.notes_file) : "");
    drawStatus();
  }
  var status = data.serve ? "live" : "";
  function drawStatus() {
    var st = document.getElementById("status");
    st.className = status; st.textContent = status ? W[status] : "";
  }

  function drawThumbs() {
    var ol = document.getElementById("thumbs"); ol.textContent = "";
    data.pages.forEach(function (p) {
      var n = 0, worst = "";
      data.findings.forEach(function (f) { if (f.page === p.number) n++; });
      ["info", "warning", "error"].forEach(function (s) {
        if (data.findings.some(function (f) { return f.page === p.number && f.severity === s; })) worst = s;
      });
      var b = el("button", {type: "button", "class": "thumb", "data-page": p.number, "aria-label": W.page(p)});
      b.appendChild(el("img", {src: p.thumb + "?v=" + p.v, width: "220", alt: W.thumb(p)}));
      b.appendChild(el("span", {"class": "tlabel"}, p.number + " " + p.name));
      b.appendChild(el("span", {"class": "badge sev-" + worst}, String(n)));
      b.addEventListener("click", function () { showPage(p.number); });
      var li = el("li"); li.appendChild(b); ol.appendChild(li);
    });
    markCurrent();
  }

  function mm(v) { return Math.round(v / 2.8346); }
  function drawFindings() {
    var box = document.getElementById("findings"); box.textContent = "";
    var groups = data.pages.map(function (p) { return [String(p.number), W.page(p), []]; });
    var other = [String("doc"), W.document, []];
    data.findings.forEach(function (f, i) {
      var g = groups.filter(function (gr) { return gr[0] === String(f.page); })[0] || other;
      g[2].push(i);
    });
    if (other[2].length) groups.push(other);
    groups.forEach(function (g) {
      var sec = el("section", {"class": "group", "data-group": g[0]});
      var h = el("h3", {}, g[1] + " "); h.appendChild(el("span", {"class": "count"}, String(g[2].length)));
      sec.appendChild(h);
      var ol = el("ol", {"class": "findings"});
      g[2].forEach(function (i) {
        var f = data.findings[i], t = (data.texts[i] || {})[lang] || {title: f.code, message: f.message, where: f.where};
        var li = el("li", {"class": "finding sev-" + f.severity + (f.box ? "" : " nobox"), "data-index": i,
                           "data-page": f.page == null ? "" : f.page, "data-code": f.code, tabindex: "0", role: "button",
                           title: f.code + ": " + f.message});
        li.appendChild(el("span", {"class": "sev"}, W.sev[f.severity] || f.severity));
        li.appendChild(document.createTextNode(" "));
        li.appendChild(el("b", {"class": "check"}, t.title));
        li.appendChild(el("span", {"class": "pos"}, f.box ? mm(f.box.x) + "," + mm(f.box.y) + " " + W.mm : W.nopos));
        li.appendChild(el("div", {"class": "msg"}, t.message));
        if (t.where) li.appendChild(el("div", {"class": "where"}, t.where));
        li.addEventListener("click", function () { showFinding(li); });
        li.addEventListener("keydown", function (ev) {
          if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); showFinding(li); }
        });
        ol.appendChild(li);
      });
      sec.appendChild(ol);
      if (!g[2].length) sec.appendChild(el("p", {"class": "none"}, W.nothing));
      box.appendChild(sec);
    });
    markCurrent();
  }

  function drawNotes() {
    var ol = document.getElementById("notes-list"); ol.textContent = "";
    document.getElementById("notes-title").textContent = W.notes + " " + W.notes_n(data.notes.length);
    data.notes.forEach(function (n, k) {
      var p = pages[n.page];
      var li = el("li", {"class": "note", "data-id": n.id, "data-page": n.page});
      var del = el("button", {type: "button", "class": "note-del"}, W.del);
      del.addEventListener("click", function (ev) { ev.stopPropagation(); removeNote(n.id); });
      li.appendChild(del);
      li.appendChild(el("div", {"class": "meta"}, (k + 1) + " · " + (p ? W.page(p) : n.page) + " · " +
                        mm(n.x) + "," + mm(n.y) + " " + W.mm + " · " + String(n.time || "").replace("T", " ")));
      li.appendChild(el("div", {"class": "text"}, n.text));
      li.addEventListener("click", function () {
        showPage(n.page);
        var pin = document.querySelector('.pin[data-id="' + n.id + '"]');
        if (pin) { pin.classList.add("flash"); pin.scrollIntoView({block: "center", inline: "center"}); }
      });
      ol.appendChild(li);
    });
    drawPins();
  }

  // ---------------------------------------------------------------- pages
  function sheetFor(n) { return sheets.querySelector('.sheet[data-page="' + n + '"]'); }
  function drawSheets() {
    var want = visible();
    var have = Array.prototype.map.call(sheets.children, function (s) { return Number(s.getAttribute("data-page")); });
    if (want.join() !== have.join()) {
      // the current page's sheet keeps id="sheet" / id="page-img"; a facing page gets its own
      var old = {};
      Array.prototype.forEach.call(sheets.children, function (s) { old[s.getAttribute("data-page")] = s; });
      sheets.textContent = "";
      want.forEach(function (n) {
        var s = old[n] || el("div", {"class": "sheet"});
        if (!s.querySelector("img")) s.appendChild(el("img", {"class": "page-img", alt: "page"}));
        s.setAttribute("data-page", n);
        sheets.appendChild(s);
      });
    }
    sheets.classList.toggle("joined", joined(want));
    Array.prototype.forEach.call(sheets.children, function (s) {
      var n = Number(s.getAttribute("data-page")), p = pages[n], im = s.querySelector("img");
      s.id = n === current ? "sheet" : "sheet-" + n;
      im.id = n === current ? "page-img" : "page-img-" + n;
      im.setAttribute("data-page", n);
      im.alt = W.page(p);
      if (im.getAttribute("data-src") !== src(p)) { im.setAttribute("data-src", src(p)); im.src = src(p); }
    });
    img = document.getElementById("page-img");
    if (hl.parentNode !== sheetFor(current) && activeFinding == null) sheetFor(current).appendChild(hl);
    applyZoom();
    drawPins();
  }

  function markCurrent() {
    document.querySelectorAll(".thumb").forEach(function (b) {
      var n = Number(b.getAttribute("data-page"));
      b.setAttribute("aria-current", visible().indexOf(n) >= 0 ? "true" : "false");
    });
    document.querySelectorAll(".group").forEach(function (g) {
      g.classList.toggle("current", visible().map(String).indexOf(g.getAttribute("data-group")) >= 0);
    });
  }

  function clearHighlight() {
    hl.hidden = true; activeFinding = null;
    document.querySelectorAll(".finding.active").forEach(function (e) { e.classList.remove("active"); });
  }

  function showPage(n, keepHash) {
    var p = pages[n];
    if (!p) return false;
    if (current !== n) { current = n; clearHighlight(); closeForm(); }
    drawSheets();
    document.body.setAttribute("data-page", String(n));
    var v = visible();
    document.getElementById("page-title").textContent = v.length === 2 ? W.pages(pages[v[0]], pages[v[1]]) : W.page(p);
    markCurrent();
    if (!keepHash) writeHash();
    return true;
  }
  function writeHash() {
    var h = "#page=" + current + (activeFinding != null ? "&finding=" + activeFinding : "") + (lang === "en" ? "&lang=en" : "");
    history.replaceState(null, "", h);
  }

  // ---------------------------------------------------------------- zoom: whole page, width, a factor of 100 %
  function applyZoom() {
    var v = visible(), gap = 6 * (v.length - 1);
    var bw = v.map(function (n) { return pages[n].width_pt * data.dpi / 72; });
    var bh = v.map(function (n) { return pages[n].height_pt * data.dpi / 72; });
    var sumw = bw.reduce(function (a, b) { return a + b; }, 0), maxh = Math.max.apply(null, bh);
    var availW = viewer.clientWidth - 24 - gap, availH = viewer.clientHeight - 24;
    var scale = zoom === "fit" ? Math.min(availW / sumw, availH / maxh) : zoom === "width" ? availW / sumw : zoom;
    scale = Math.max(scale, 0.02);
    Array.prototype.forEach.call(sheets.children, function (s, k) {
      var im = s.querySelector("img");
      im.style.width = (bw[k] * scale) + "px"; im.style.height = (bh[k] * scale) + "px";
    });
    viewer.setAttribute("data-zoom", String(zoom));
    viewer.setAttribute("data-scale", scale.toFixed(4));
    document.getElementById("zoom-level").textContent = Math.round(scale * 100) + "%";
    document.querySelectorAll("#tools [data-zoom]").forEach(function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-zoom") === String(zoom) ? "true" : "false");
    });
    document.getElementById("spread").setAttribute("aria-pressed", spread ? "true" : "false");
  }
  function setZoom(z) {
    zoom = z; applyZoom();
    if (!hl.hidden) hl.scrollIntoView({block: "center", inline: "center"});
  }
  function step(f) { setZoom(Math.min(8, Math.max(0.05, Number(viewer.getAttribute("data-scale")) * f))); }

  // ---------------------------------------------------------------- findings on the page
  function place(e, box, p) {
    e.style.left = (100 * box.x / p.width_pt) + "%";
    e.style.top = (100 * box.y / p.height_pt) + "%";
    e.style.width = (100 * Math.max(box.w, 0.5) / p.width_pt) + "%";
    e.style.height = (100 * Math.max(box.h, 0.5) / p.height_pt) + "%";
  }
  function showFinding(li) {
    var i = Number(li.getAttribute("data-index"));
    var f = data.findings[i];
    if (f.page != null && pages[f.page] && f.page !== current) showPage(f.page, true);
    clearHighlight();
    li.classList.add("active");
    activeFinding = i;
    writeHash();
    if (!f.box || f.page == null || !pages[f.page]) return;
    var s = sheetFor(f.page);
    s.appendChild(hl);
    place(hl, f.box, pages[f.page]);
    hl.className = "sev-" + f.severity;
    hl.hidden = false;
    hl.scrollIntoView({block: "center", inline: "center"});
  }

  // ---------------------------------------------------------------- correction notes (校样批注)
  function drawPins() {
    document.querySelectorAll(".pin").forEach(function (e) { e.remove(); });
    data.notes.forEach(function (n, k) {
      var s = sheetFor(n.page), p = pages[n.page];
      if (!s || !p) return;
      var pin = el("div", {"class": "pin", "data-id": n.id, title: n.text}, String(k + 1));
      pin.style.left = (100 * n.x / p.width_pt) + "%"; pin.style.top = (100 * n.y / p.height_pt) + "%";
      pin.addEventListener("click", function (ev) { ev.stopPropagation(); });
      s.appendChild(pin);
    });
  }
  function closeForm() { form.hidden = true; pendingNote = null; }
  sheets.addEventListener("click", function (ev) {
    var s = ev.target.closest(".sheet");
    if (!s || ev.target.closest(".pin")) return;
    var n = Number(s.getAttribute("data-page")), p = pages[n], r = s.getBoundingClientRect();
    pendingNote = {page: n, x: Math.round(10 * (ev.clientX - r.left) / r.width * p.width_pt) / 10,
                   y: Math.round(10 * (ev.clientY - r.top) / r.height * p.height_pt) / 10};
    var vr = viewer.getBoundingClientRect();
    form.style.left = (ev.clientX - vr.left + viewer.scrollLeft + 8) + "px";
    form.style.top = (ev.clientY - vr.top + viewer.scrollTop + 8) + "px";
    form.hidden = false;
    document.getElementById("note-text").value = "";
    document.getElementById("note-text").focus();
  });
  document.getElementById("note-cancel").addEventListener("click", closeForm);
  function nowInZone() {
    // the paper's clock, e.g. 2024-05-06T07:08:09+08:00
    var d = new Date(), parts = {};
    new Intl.DateTimeFormat("en-CA", {timeZone: data.zone, hourCycle: "h23", year: "numeric", month: "2-digit",
      day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "longOffset"})
      .formatToParts(d).forEach(function (x) { parts[x.type] = x.value; });
    var off = (parts.timeZoneName || "GMT").replace("GMT", "") || "+00:00";
    return parts.year + "-" + parts.month + "-" + parts.day + "T" + parts.hour + ":" + parts.minute + ":" + parts.second + off;
  }
  function storageKey() { return "kecheng-notes-" + data.issue; }
  function notesChanged(list) { data.notes = list; drawNotes(); document.documentElement.setAttribute("data-notes", String(list.length)); }
  function send(body) {
    return fetch(data.serve.notes, {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)})
      .then(function (r) { return r.json(); }).then(function (d) { if (d.notes) notesChanged(d.notes); });
  }
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var text = document.getElementById("note-text").value.trim();
    if (!text || !pendingNote) { closeForm(); return; }
    var note = {page: pendingNote.page, x: pendingNote.x, y: pendingNote.y, text: text};
    closeForm();
    if (data.serve) { send({add: note}); return; }
    note.id = "n" + Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
    note.time = nowInZone();
    var list = data.notes.concat([note]);
    try { localStorage.setItem(storageKey(), JSON.stringify(list)); } catch (e) { /* a file: page may have none */ }
    notesChanged(list);
  });
  function removeNote(id) {
    if (data.serve) { send({remove: id}); return; }
    var list = data.notes.filter(function (n) { return n.id !== id; });
    try { localStorage.setItem(storageKey(), JSON.stringify(list)); } catch (e) { /* none */ }
    notesChanged(list);
  }
  document.getElementById("notes-export").addEventListener("click", function () {
    var blob = new Blob([JSON.stringify({issue: data.issue, coordinates: "pt from the trim's top-left corner, y down",
                                         notes: data.notes}, null, 1) + "\n"], {type: "application/json"});
    var a = el("a", {href: URL.createObjectURL(blob), download: data.notes_file});
    document.body.appendChild(a); a.click(); a.remove();
  });

  // ---------------------------------------------------------------- the proof server's news
  function loaded(im) {
    return new Promise(function (ok) {
      if (im.complete && im.naturalWidth > 0) ok(); else { im.addEventListener("load", ok, {once: true}); im.addEventListener("error", ok, {once: true}); }
    });
  }
  function news(d) {
    var before = nums().join();
    data.pages = d.pages; indexPages();
    if (d.output) data.output = d.output;
    if (d.report) { data.findings = d.report.findings; data.texts = d.report.texts; data.summary = d.report.summary; }
    document.getElementById("failed").hidden = true;      // (showPage below fits the page again)
    if (!pages[current]) current = data.pages.length ? data.pages[0].number : null;
    if (nums().join() !== before || d.report) { drawThumbs(); drawFindings(); }
    else d.changed.forEach(function (n) {
      var t = document.querySelector('.thumb[data-page="' + n + '"] img');
      if (t && pages[n]) t.src = pages[n].thumb + "?v=" + pages[n].v;
    });
    drawHeader();
    if (current != null) showPage(current, true);
    var waits = Array.prototype.map.call(sheets.querySelectorAll("img"), loaded);
    Promise.all(waits).then(function () {
      shown.push({generation: d.generation, stage: d.stage, time: Date.now(), changed: d.changed});
      document.documentElement.setAttribute("data-generation", String(d.generation));
      document.documentElement.setAttribute("data-stage", d.stage);
    });
  }
  if (data.serve) {
    var es = new EventSource(data.serve.events);
    es.addEventListener("pages", function (e) { news(JSON.parse(e.data)); });
    es.addEventListener("failed", function (e) {
      var d = JSON.parse(e.data), box = document.getElementById("failed");
      box.textContent = W.failed + d.message; box.hidden = false;
      if (zoom === "fit" || zoom === "width") applyZoom();      // the banner took some of the room
      document.documentElement.setAttribute("data-failed", String(d.generation));
    });
    es.addEventListener("notes", function (e) { notesChanged(JSON.parse(e.data).notes); });
    es.onopen = function () { status = "live"; drawStatus(); document.documentElement.setAttribute("data-live", "1"); };
    es.onerror = function () { status = "offline"; drawStatus(); };
  } else {
    try {
      // notes made in this browser on an earlier proof of the issue, beside those on file
      var kept = JSON.parse(localStorage.getItem(storageKey()) || "null");
      if (Array.isArray(kept)) {
        var ids = data.notes.map(function (n) { return n.id; });
        data.notes = data.notes.concat(kept.filter(function (n) { return ids.indexOf(n.id) < 0; }));
      }
    } catch (e) { /* a file: page may have no storage */ }
  }

  // ---------------------------------------------------------------- controls
  document.querySelectorAll("#tools [data-zoom]").forEach(function (b) {
    b.addEventListener("click", function () {
      var z = b.getAttribute("data-zoom"); setZoom(z === "fit" || z === "width" ? z : Number(z));
    });
  });
  document.getElementById("zoom-in").addEventListener("click", function () { step(1.25); });
  document.getElementById("zoom-out").addEventListener("click", function () { step(0.8); });
  document.getElementById("spread").addEventListener("click", function () { spread = !spread; showPage(current, true); });
  document.getElementById("lang").addEventListener("click", function () {
    lang = lang === "zh" ? "en" : "zh"; W = WORDS[lang];
    drawHeader(); drawThumbs(); drawFindings(); drawNotes(); showPage(current);
  });
  window.addEventListener("resize", function () { if (zoom === "fit" || zoom === "width") applyZoom(); });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { clearHighlight(); closeForm(); return; }
    if (ev.altKey || ev.ctrlKey || ev.metaKey || ev.target.closest("textarea")) return;
    var ns = nums(), v = visible();
    var k = ns.indexOf(v[v.length - 1]), j = ns.indexOf(v[0]);
    if (ev.key === "ArrowRight" && k + 1 < ns.length) showPage(ns[k + 1]);
    else if (ev.key === "ArrowLeft" && j > 0) showPage(ns[j - 1]);
    else if (ev.key === "+" || ev.key === "=") step(1.25);
    else if (ev.key === "-") step(0.8);
  });

  // #page=N&finding=I&lang=en (kept across reloads)
  var h = {};
  location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
    var a = kv.split("="); if (a.length === 2) h[a[0]] = decodeURIComponent(a[1]);
  });
  if (h.lang === "en" || h.lang === "zh") { lang = h.lang; W = WORDS[lang]; }
  indexPages();
  drawHeader(); drawThumbs(); drawFindings();
  var start = pages[Number(h.page)] ? Number(h.page) : (data.pages.length ? data.pages[0].number : null);
  if (start != null) showPage(start, true);
  drawNotes();
  if (h.finding != null) {
    var li = document.querySelector('.finding[data-index="' + Number(h.finding) + '"]');
    if (li) showFinding(li);
  }
  document.documentElement.setAttribute("data-notes", String(data.notes.length));
  document.documentElement.setAttribute("data-ready", "1");
})();
</script>
</body>
</html>
"""
