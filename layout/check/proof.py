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

#: What a finding's severity is called in the viewer.
_SEV_LABEL = {"error": "错误 error", "warning": "警告 warning", "info": "提示 note"}


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
                 when: dt.datetime | None = None) -> Path:
    """Write proof.pdf, page-N.png (and thumb-N.png) and index.html into `out_dir` for a
    render whose print PDF was written; returns the path of index.html.

    `dpi`: resolution of the page images (10..600).  `grid`: draw the type area's columns
    and grid lines on the proof.  `when`: the time of output shown on the proof (default:
    now, local time).  Every file is written atomically; page images of pages the issue no
    longer has (from an earlier, longer issue) are removed."""
    if getattr(result, "pdf", None) is None:
        raise ValueError("no print PDF was written (render with write=True before writing proofs)")
    dpi = int(dpi)
    if not 10 <= dpi <= 600:
        raise ValueError(f"--dpi {dpi}: expected 10 to 600")
    when = when or dt.datetime.now().astimezone()
    if when.tzinfo is None:
        when = when.astimezone()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    pdf_path = out_dir / "proof.pdf"
    _atomic_write(pdf_path, proof_pdf(result, grid=grid, when=when))
    pages = render_pngs(pdf_path, out_dir, dpi, [(p.number, p.name) for p in result.laid.pages])
    _remove_stale(out_dir, len(pages))
    index = out_dir / "index.html"
    _atomic_write(index, index_html(result, pages, when=when, dpi=dpi, grid=grid,
                                    out_dir=out_dir).encode("utf-8"))
    return index


# --------------------------------------------------------------------------- proof PDF

def _fmt_time(when: dt.datetime) -> str:
    z = when.strftime("%z")
    return when.strftime("%Y-%m-%d %H:%M:%S") + (f" {z[:3]}:{z[3:]}" if z else "")


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


def _module_mark(m) -> tuple[tuple[float, float, float], float, str]:
    if m.reserved:
        title = m.owner.split(":", 1)[1] if ":" in m.owner else m.owner
        return RESERVED_RGB, RESERVED_LINE, f"待稿 {title} · 容量 {m.capacity} 字"
    if m.overset_chars:
        return (OVERSET_RGB, OVERSET_LINE,
                f"{m.owner} · 超版 {m.overset_chars} 字 · 正文 {m.body_chars} / 容量 {m.capacity} 字")
    return STORY_RGB, STORY_LINE, f"{m.owner} · 正文 {m.body_chars} / 容量 {m.capacity} 字"


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
                 media: list[tuple[float, float]], when: dt.datetime, grid: bool) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    from ..emit.cidfont import FontEmbedder
    from ..place.model import PhotoFrame, VerticalText
    from .preflight import module_box

    pre = getattr(result, "preflight", None)
    findings = list(pre.findings) if pre is not None else []
    m = result.issue.masthead
    g = result.style.grid
    stamp = _fmt_time(when)
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=media[0], invariant=1, pageCompression=1)
    embedder = FontEmbedder(result.fonts.faces)
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
            rgb, lw, _ = _module_mark(mod)
            ov.rect(module_box(mod, g), rgb, lw)
        blocks = []
        for it in page.items:
            if isinstance(it, PhotoFrame):
                ov.rect((it.x, it.y, it.w, it.h), FRAME_RGB, FRAME_LINE, dash=(3, 2))
            elif isinstance(it, VerticalText) and it.block not in blocks:   # a vertical headline block
                blocks.append(it.block)
                ov.rect(it.block, STORY_RGB, FRAME_LINE, dash=(1, 2))
        for mod in page.modules:
            rgb, lw, label = _module_mark(mod)
            x, y, w, h = module_box(mod, g)
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


def proof_pdf(result, grid: bool = False, when: dt.datetime | None = None) -> bytes:
    """The proof PDF's bytes: the print PDF's pages, cropped to the trim, with the overlay."""
    import pypdf
    from pypdf.generic import NameObject, RectangleObject

    when = when or dt.datetime.now().astimezone()
    reader = pypdf.PdfReader(str(result.pdf))
    if len(reader.pages) != len(result.laid.pages):
        raise RuntimeError(f"{result.pdf} has {len(reader.pages)} page(s), the layout "
                           f"{len(result.laid.pages)}: render again before writing proofs")
    trims = [tuple(float(v) for v in p.trimbox) for p in reader.pages]
    media = [(float(p.mediabox.right), float(p.mediabox.top)) for p in reader.pages]
    overlay = pypdf.PdfReader(io.BytesIO(_overlay_pdf(result, trims, media, when, grid)))
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

def render_pngs(proof: Path, out_dir: Path, dpi: int, names: list[tuple[int, str]]) -> list[ProofPage]:
    """page-N.png and thumb-N.png for every page of `proof` (cropped to the trim)."""
    import pypdfium2 as pdfium
    from PIL import Image

    s = dpi / 72.0
    pages: list[ProofPage] = []
    doc = pdfium.PdfDocument(str(proof))
    try:
        for i in range(len(doc)):
            page = doc[i]
            w_pt, h_pt = page.get_size()
            want_w, want_h = round(w_pt * s), round(h_pt * s)
            # pdfium takes ceil(size × scale); crop the part pixel it adds at right and bottom
            cut_x = math.ceil(w_pt * s) - want_w
            cut_y = math.ceil(h_pt * s) - want_h
            crop = (0, cut_y * 0.999 / s, cut_x * 0.999 / s, 0)
            bitmap = page.render(scale=s, crop=crop, draw_annots=False)
            im = bitmap.to_pil().convert("RGB")
            page.close()
            if im.size != (want_w, want_h):         # never expected; keep the promise anyway
                im = im.resize((want_w, want_h), Image.LANCZOS)
            number, name = names[i] if i < len(names) else (i + 1, "")
            png, thumb = f"page-{number}.png", f"thumb-{number}.png"
            data = _png_bytes(im, 3)
            _atomic_write(out_dir / png, data)
            tw = min(THUMB_WIDTH, want_w)
            small = im.resize((tw, max(1, round(want_h * tw / want_w))), Image.LANCZOS)
            _atomic_write(out_dir / thumb, _png_bytes(small, 6))
            pages.append(ProofPage(number, name, png, thumb, want_w, want_h, w_pt, h_pt,
                                   hashlib.sha1(data, usedforsecurity=False).hexdigest()[:10]))
    finally:
        doc.close()
    return pages


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


def index_html(result, pages: list[ProofPage], when: dt.datetime, dpi: int, grid: bool = False,
               out_dir: Path | None = None) -> str:
    """The viewer page.  Findings are exactly ``result.preflight.as_dict()["findings"]`` (what
    ``<pdf stem>-preflight.json`` holds), in the same order; each list item carries its index
    in that list (``data-index``) and its box in trim points (``data-x`` …)."""
    e = html.escape
    m = result.issue.masthead
    pre = getattr(result, "preflight", None)
    report = pre.as_dict() if pre is not None else {"findings": [], "summary": {"errors": 0, "warnings": 0,
                                                                                 "info": 0}}
    findings = report["findings"]
    summary = report["summary"]
    out_dir = Path(out_dir) if out_dir is not None else Path(result.pdf).parent
    pdf_rel = _rel(Path(result.pdf), out_dir)
    json_rel = _rel(Path(result.pdf).with_name(f"{Path(result.pdf).stem}-preflight.json"), out_dir)
    page_nums = {p.number for p in pages}
    stamp = _fmt_time(when)

    data = {
        "issue": m.number, "title": m.title, "date": m.date.isoformat(), "output": stamp, "dpi": dpi,
        "grid": grid,
        "pages": [{"number": p.number, "name": p.name, "png": p.png, "thumb": p.thumb, "v": p.version,
                   "width_px": p.width_px, "height_px": p.height_px,
                   "width_pt": round(p.width_pt, 3), "height_pt": round(p.height_pt, 3)} for p in pages],
        "summary": summary,
        "findings": findings,
    }

    thumbs = []
    for p in pages:
        n = sum(1 for f in findings if f["page"] == p.number)
        worst = next((s for s in ("error", "warning", "info")
                      if any(f["page"] == p.number and f["severity"] == s for f in findings)), "")
        thumbs.append(
            f'<li><button type="button" class="thumb" data-page="{p.number}" aria-label="第{p.number}版 {e(p.name)}">'
            f'<img src="{e(p.thumb)}?v={p.version}" width="{THUMB_WIDTH}" alt="第{p.number}版 缩略图" loading="eager">'
            f'<span class="tlabel">{p.number} {e(p.name)}</span>'
            f'<span class="badge sev-{worst}" title="{n} finding(s)">{n}</span></button></li>')

    groups: list[tuple[str, str, list[int]]] = []
    for p in pages:
        groups.append((str(p.number), f"第{p.number}版 {p.name}", [i for i, f in enumerate(findings)
                                                                  if f["page"] == p.number]))
    other = [i for i, f in enumerate(findings) if f["page"] not in page_nums]
    if other:
        groups.append(("doc", "文档 document", other))
    items = []
    for key, title, idx in groups:
        rows = []
        for i in idx:
            f = findings[i]
            b = f.get("box")
            attrs = f'data-index="{i}" data-page="{f["page"] if f["page"] is not None else ""}"'
            if b:
                attrs += "".join(f' data-{k}="{b[k]}"' for k in "xywh")
            cls = f"finding sev-{e(f['severity'])}" + ("" if b else " nobox")
            where = f["where"] or ""
            pos = (f"{b['x'] / 2.8346:.0f},{b['y'] / 2.8346:.0f} mm" if b else "没有位置 no position")
            rows.append(
                f'<li class="{cls}" {attrs} tabindex="0" role="button">'
                f'<span class="sev">{e(_SEV_LABEL.get(f["severity"], f["severity"]))}</span> '
                f'<code>{e(f["code"])}</code> <span class="pos">{e(pos)}</span>'
                f'<div class="msg">{e(f["message"])}</div>'
                + (f'<div class="where">{e(where)}</div>' if where else "") + "</li>")
        items.append(f'<section class="group" data-group="{key}"><h3>{e(title)} '
                     f'<span class="count">{len(idx)}</span></h3>'
                     f'<ol class="findings">{"".join(rows) if rows else ""}</ol>'
                     + ("" if rows else '<p class="none">无 nothing to report</p>') + "</section>")

    first = pages[0] if pages else None
    # inside <script>: no "<" at all ("</script>", "<!--"), the JSON stays the same data
    blob = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    sub = {
        "TITLE": e(f"校样 {m.title} 第{m.number}期 {m.date.isoformat()}"),
        "HEAD": e(f"{m.title} 第{m.number}期 · {m.date.isoformat()}"),
        "OUTPUT": e(stamp),
        "DPI": str(dpi),
        "N_ERR": str(summary.get("errors", 0)),
        "N_WARN": str(summary.get("warnings", 0)),
        "N_INFO": str(summary.get("info", 0)),
        "N_ALL": str(len(findings)),
        "PDF": e(pdf_rel),
        "JSON": e(json_rel),
        "THUMBS": "".join(thumbs),
        "FINDINGS": "".join(items),
        "FIRST_SRC": e(f"{first.png}?v={first.version}") if first else "",
        "FIRST_W": str(first.width_px if first else 0),
        "FIRST_H": str(first.height_px if first else 0),
        "DATA": blob,
    }
    return re.sub(r"@@([A-Z_]+)@@", lambda mt: sub[mt.group(1)], _PAGE)


_PAGE = r"""<!doctype html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self' file: data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>@@TITLE@@</title>
<style>
*{box-sizing:border-box}
html,body{margin:0;height:100%}
body{font:14px/1.45 system-ui,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;color:#222;background:#e9e9ec;display:flex;flex-direction:column}
header{display:flex;flex-wrap:wrap;gap:.4em 1.2em;align-items:baseline;padding:.5em 1em;background:#7a1010;color:#fff}
header h1{font-size:1.1em;margin:0}
header a{color:#ffd9d9}
header .counts span{margin-right:.8em}
main{flex:1;display:flex;min-height:0}
#thumbs{list-style:none;margin:0;padding:.6em;overflow:auto;background:#d6d6db;flex:0 0 auto}
#thumbs li{margin:0 0 .6em}
.thumb{position:relative;display:block;padding:4px;border:2px solid transparent;background:#fff;cursor:pointer;width:132px}
.thumb img{display:block;width:120px;height:auto}
.thumb[aria-current="true"]{border-color:#c00}
.tlabel{display:block;font-size:12px;text-align:center}
.badge{position:absolute;top:6px;right:6px;min-width:1.6em;padding:0 .3em;border-radius:.8em;background:#888;color:#fff;font-size:12px;text-align:center}
.badge.sev-error{background:#c00}.badge.sev-warning{background:#d98200}.badge.sev-info{background:#3a78c2}
#viewer{flex:1;overflow:auto;padding:1em;min-width:0}
#tools{margin:0 0 .6em;display:flex;gap:.6em;align-items:center}
#sheet{position:relative;display:inline-block;box-shadow:0 2px 10px rgba(0,0,0,.35);background:#fff;overflow:hidden;line-height:0}
#page-img{display:block;width:100%;height:auto}
#viewer.fit #sheet{width:100%}
#viewer.actual #sheet{width:auto}
#viewer.actual #page-img{width:auto;max-width:none}
#highlight{position:absolute;pointer-events:none;outline:3px solid #e00;outline-offset:0;background:rgba(255,230,0,.28);box-shadow:0 0 0 100000px rgba(0,0,0,.18)}
#highlight.sev-warning{outline-color:#e08a00}#highlight.sev-info{outline-color:#2a6fc2}
#highlight[hidden]{display:none}
#side{flex:0 0 30em;max-width:40vw;overflow:auto;background:#fafafa;border-left:1px solid #ccc;padding:.6em 1em}
#side h2{font-size:1.05em;margin:.2em 0 .6em}
.group h3{font-size:.95em;margin:.9em 0 .3em;color:#555}
.group.current h3{color:#7a1010}
.group .count{font-weight:normal;color:#888}
ol.findings{list-style:none;margin:0;padding:0}
.finding{margin:0 0 .4em;padding:.35em .5em;border-left:4px solid #999;background:#fff;cursor:pointer;border-radius:2px}
.finding:hover,.finding:focus{background:#fff6d6;outline:none}
.finding.active{background:#ffeaa0}
.finding.sev-error{border-left-color:#c00}.finding.sev-warning{border-left-color:#d98200}.finding.sev-info{border-left-color:#3a78c2}
.finding .sev{font-size:12px;color:#666}
.finding .pos{font-size:12px;color:#888;float:right}
.finding.nobox .pos{font-style:italic}
.finding .msg{margin-top:.15em}
.finding .where{font-size:12px;color:#777}
.none{color:#888;margin:.2em 0}
kbd{font:12px monospace;background:#eee;border:1px solid #bbb;border-radius:3px;padding:0 .3em;color:#333}
</style>
</head>
<body>
<header>
<h1>校样 PROOF · @@HEAD@@</h1>
<span>输出 @@OUTPUT@@ · @@DPI@@ dpi</span>
<span class="counts" id="summary" data-errors="@@N_ERR@@" data-warnings="@@N_WARN@@" data-info="@@N_INFO@@" data-total="@@N_ALL@@"><span>错误 errors <b>@@N_ERR@@</b></span><span>警告 warnings <b>@@N_WARN@@</b></span><span>提示 notes <b>@@N_INFO@@</b></span></span>
<span><a href="proof.pdf">proof.pdf</a> · <a href="@@PDF@@">付印 PDF</a> · <a href="@@JSON@@">preflight.json</a></span>
</header>
<main>
<ol id="thumbs" aria-label="pages">@@THUMBS@@</ol>
<section id="viewer" class="fit">
<div id="tools"><b id="page-title"></b><button type="button" id="zoom">实际大小 100%</button><span style="color:#666;font-size:12px"><kbd>←</kbd><kbd>→</kbd> 翻版 · <kbd>Esc</kbd> 取消高亮 · 单击图片缩放</span></div>
<div id="sheet"><img id="page-img" src="@@FIRST_SRC@@" width="@@FIRST_W@@" height="@@FIRST_H@@" alt="page"><div id="highlight" hidden></div></div>
</section>
<aside id="side">
<h2>预检 preflight <span id="shown-count">@@N_ALL@@</span> 项</h2>
@@FINDINGS@@
</aside>
</main>
<script type="application/json" id="proof-data">@@DATA@@</script>
<script>
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("proof-data").textContent);
  var pages = {};
  data.pages.forEach(function (p) { pages[p.number] = p; });
  var viewer = document.getElementById("viewer");
  var img = document.getElementById("page-img");
  var hl = document.getElementById("highlight");
  var title = document.getElementById("page-title");
  var current = null;

  function clearHighlight() {
    hl.hidden = true;
    document.querySelectorAll(".finding.active").forEach(function (el) { el.classList.remove("active"); });
  }

  function showPage(n, keepHash) {
    var p = pages[n];
    if (!p) return false;
    if (current !== n) {
      img.src = p.png + "?v=" + p.v;
      img.width = p.width_px; img.height = p.height_px;
      img.alt = "第" + p.number + "版 " + p.name;
      current = n;
      clearHighlight();
    }
    document.body.setAttribute("data-page", String(n));
    title.textContent = "第" + p.number + "版 " + p.name;
    document.querySelectorAll(".thumb").forEach(function (b) {
      b.setAttribute("aria-current", b.getAttribute("data-page") === String(n) ? "true" : "false");
    });
    document.querySelectorAll(".group").forEach(function (g) {
      g.classList.toggle("current", g.getAttribute("data-group") === String(n));
    });
    if (!keepHash) history.replaceState(null, "", "#page=" + n);
    return true;
  }

  // the box (trim pt, y down) as percentages of the page image, which is exactly the trim
  function place(el, box, p) {
    el.style.left = (100 * box.x / p.width_pt) + "%";
    el.style.top = (100 * box.y / p.height_pt) + "%";
    el.style.width = (100 * Math.max(box.w, 0.5) / p.width_pt) + "%";
    el.style.height = (100 * Math.max(box.h, 0.5) / p.height_pt) + "%";
  }

  function showFinding(li) {
    var i = Number(li.getAttribute("data-index"));
    var f = data.findings[i];
    if (f.page != null && pages[f.page]) showPage(f.page, true);
    clearHighlight();
    li.classList.add("active");
    history.replaceState(null, "", "#page=" + current + "&finding=" + i);
    if (!f.box || f.page == null || !pages[f.page]) return;
    place(hl, f.box, pages[f.page]);
    hl.className = "sev-" + f.severity;
    hl.hidden = false;
    hl.scrollIntoView({block: "center", inline: "center"});
  }

  document.querySelectorAll(".thumb").forEach(function (b) {
    b.addEventListener("click", function () { showPage(Number(b.getAttribute("data-page"))); });
  });
  document.querySelectorAll(".finding").forEach(function (li) {
    li.addEventListener("click", function () { showFinding(li); });
    li.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); showFinding(li); }
    });
  });
  function toggleZoom() {
    var actual = viewer.classList.toggle("actual");
    viewer.classList.toggle("fit", !actual);
    document.getElementById("zoom").textContent = actual ? "适合宽度 fit" : "实际大小 100%";
    if (!hl.hidden) hl.scrollIntoView({block: "center", inline: "center"});
  }
  document.getElementById("zoom").addEventListener("click", toggleZoom);
  img.addEventListener("click", toggleZoom);
  document.addEventListener("keydown", function (ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    var nums = data.pages.map(function (p) { return p.number; });
    var k = nums.indexOf(current);
    if (ev.key === "ArrowRight" && k + 1 < nums.length) showPage(nums[k + 1]);
    else if (ev.key === "ArrowLeft" && k > 0) showPage(nums[k - 1]);
    else if (ev.key === "Escape") clearHighlight();
  });

  // #page=N&finding=I (kept across reloads, e.g. while render.py --watch writes new proofs)
  var h = {};
  location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
    var a = kv.split("="); if (a.length === 2) h[a[0]] = a[1];
  });
  var start = pages[Number(h.page)] ? Number(h.page) : (data.pages.length ? data.pages[0].number : null);
  if (start != null) showPage(start, true);
  if (h.finding != null) {
    var li = document.querySelector('.finding[data-index="' + Number(h.finding) + '"]');
    if (li) showFinding(li);
  }
  document.documentElement.setAttribute("data-ready", "1");
})();
</script>
</body>
</html>
"""
