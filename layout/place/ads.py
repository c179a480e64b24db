"""Ad modules (广告): where a booked ad stands on the grid, and what it draws.

An ad is booked at a size the style names (`ads.sizes`: 通栏, 半通栏, 报眼 … in basic columns x
grid lines). Its cell is fixed before the make-up search runs, so the search places the
stories around it as around any area the plan gives. The module is one grid line taller than
the booking: that line holds the label 广告, small, at the module's right edge; the ad itself
fills exactly the booked columns x lines below it, never resized against the booking and never
recomposed. A file whose shape does not match the booking, an image ad below the style's
minimum resolution at that size, or a PDF ad drawing what PDF/X-1a forbids, is an error; a file
not on file keeps its frame, marked. A PDF ad is drawn as vector content (``emit/pdfform.py``).
"""
from __future__ import annotations

from ..load.issue import Ad
from ..load.style import Grid, Style
from .model import Cell, Finding, PhotoFrame, PlacedModule, TextLine
from .module import baseline_in
from .textset import Setter

LABEL_LINES = 1          # the grid line above the ad that holds 广告


def ad_owner(ad: Ad) -> str:
    return f"ad:{ad.file_text}"


def booked(ad: Ad, style: Style) -> tuple[int, int]:
    """The booking's (columns, lines), or a located error naming the sizes the style has."""
    got = style.ads.sizes.get(ad.size)
    if got is None:
        names = ", ".join(style.ads.sizes) or "none"
        raise ad.origin.error(f"ad size '{ad.size}' is not booked by the style {style.name} (its sizes: {names})")
    return got


def ad_cell(ad: Ad, style: Style, top: int, area: Cell | None) -> Cell:
    """The ad module's cell: the plan's area (which must be the booked size plus the label
    line), else the place `at` names; the page's foot when neither is given."""
    grid = style.grid
    cols, lines = booked(ad, style)
    height = lines + LABEL_LINES
    if area is not None:
        if (area.cols, area.lines) != (cols, height):
            raise ad.origin.error(f"the area is {area.cols} columns x {area.lines} lines, but a {ad.size} ad is "
                                  f"booked at {cols} x {lines} (+{LABEL_LINES} line for the label 广告: "
                                  f"{cols} x {height})")
        return area
    if height > grid.lines - top:
        raise ad.origin.error(f"a {ad.size} ad ({cols} x {height} lines) is taller than the page's free type area "
                              f"({grid.lines - top} lines)")
    at = ad.at or "bottom"
    right = grid.columns - cols
    col = right if at in ("bottom-right", "ear") else 0
    line = top if at in ("top", "ear") else grid.lines - height
    return Cell(col, line, cols, height)


def place_ad(ad: Ad, cell: Cell, setter: Setter, style: Style, page: int,
             auto: bool) -> tuple[list, PlacedModule, list[Finding]]:
    """The label line and the ad's frame at its booked size, with the findings on its file."""
    grid = style.grid
    owner = ad_owner(ad)
    x, w = grid.col_x(cell.col), grid.span_width(cell.cols)
    y = grid.line_top(cell.line + LABEL_LINES)
    h = (cell.lines - LABEL_LINES) * grid.pitch
    items: list = []
    role = "ad_label" if "ad_label" in style.roles else "caption"
    blk = setter.block(style.ads.label, role, w, align="end", where=f"page {page}, ad {ad.file_text}")
    for off, ln in blk.lines[:1]:
        items.append(TextLine(x=x + off, baseline=baseline_in(grid, cell.line, blk.style.size), glyphs=ln.glyphs,
                              color=blk.style.color, owner=owner, role=role))
    present = ad.file is not None and ad.file.is_file()
    items.append(PhotoFrame(x=x, y=y, w=w, h=h, path=ad.file if present else None, present=present,
                            owner=owner, label=f"{style.ads.label} {ad.file_text}", fit="fill", color=True))
    where = f"{cell.label()}, ad {ad.file_text}"
    findings = ad_file_findings(ad, (w, h), style, page, where) if present else [
        Finding("warning", "missing-ad", page, f"page {page}: ad '{ad.file_text}' ({ad.size}) is not on file; "
                                               f"its frame is kept and marked", where)]
    pm = PlacedModule(owner=owner, cell=cell, auto=auto, capacity=0, copy_chars=0, set_chars=0,
                      overset_chars=0, overset_lines=0)
    return items, pm, findings


def ad_file_findings(ad: Ad, size: tuple[float, float], style: Style, page: int, where: str) -> list[Finding]:
    """A wrong-size ad (its aspect off the booking's by more than the style's tolerance) and a
    low-resolution image ad (under `ads.min_ppi` at the booked size) are errors; so is a PDF ad
    drawing what PDF/X-1a forbids (RGB, transparency, fonts not embedded, ink over the limit)."""
    if ad.file.suffix.lower() == ".pdf":
        return pdf_ad_findings(ad, size, style, page, where)
    from PIL import Image
    with Image.open(ad.file) as im:
        pw, ph = im.size
    out = _aspect_findings(ad, (pw, ph), f"{pw}×{ph} pixels", size, style, page, where)
    w, h = size
    ppi = min(pw / (w / 72), ph / (h / 72))
    if ppi < style.ads.min_ppi:
        out.append(Finding("error", "ad-resolution", page,
                           f"page {page}: ad '{ad.file_text}' is {ppi:.0f} ppi at its booked size, under the "
                           f"{style.ads.min_ppi:g} ppi the style asks for", where))
    return out


def _aspect_findings(ad: Ad, got: tuple[float, float], what: str, size: tuple[float, float], style: Style,
                     page: int, where: str) -> list[Finding]:
    pw, ph = got
    w, h = size
    off = (pw / ph) / (w / h) - 1
    if abs(off) <= style.ads.tolerance:
        return []
    return [Finding("error", "ad-size", page,
                    f"page {page}: ad '{ad.file_text}' is {what} (aspect {pw / ph:.3f}), but a "
                    f"{ad.size} is booked at {w / 72 * 25.4:.1f} x {h / 72 * 25.4:.1f} mm (aspect {w / h:.3f}): "
                    f"{abs(off) * 100:.1f}% off, more than {style.ads.tolerance * 100:g}%; the ad is never "
                    f"resized, ask for it at its booked size", where)]


def pdf_ad_findings(ad: Ad, size: tuple[float, float], style: Style, page: int, where: str) -> list[Finding]:
    """A PDF ad: its page's size (TrimBox, else CropBox, else MediaBox) against the booking, and
    each kind of content the print file may not hold, an error naming where it was first seen.
    The ad is still drawn as supplied: it is never recoloured or rewritten."""
    from ..load.pdfpage import FAULTS, PdfPageError, open_page, page_size, x1a_faults
    try:
        _, pg = open_page(ad.file, parse=False)
        pw, ph = page_size(pg)
        faults = x1a_faults(ad.file, style.print.ink_limit)
    except PdfPageError as e:     # changed since it was loaded
        return [Finding("error", "ad-unreadable", page, f"page {page}: ad '{ad.file_text}' {e}", where)]
    except Exception as e:        # a resource pypdf cannot follow: the file was not checked
        return [Finding("error", "ad-unreadable", page, f"page {page}: ad '{ad.file_text}' could not be checked "
                                                        f"for PDF/X-1a ({type(e).__name__}: {e})", where)]
    out = _aspect_findings(ad, (pw, ph), f"a page of {pw / 72 * 25.4:.1f} x {ph / 72 * 25.4:.1f} mm", size,
                           style, page, where)
    for code, first in faults:
        out.append(Finding("error", "ad-pdfx", page,
                           f"page {page}: PDF ad '{ad.file_text}' uses {FAULTS[code]}, which PDF/X-1a does not "
                           f"allow (first: {first}); ask for a PDF/X-1a file", where))
    return out
