"""The print sheet around a page: media, bleed and trim boxes, crop and registration marks, slug.

Coordinates here are PDF points with the origin at the media's lower-left corner (y up);
``Sheet.pdf_x`` / ``Sheet.pdf_y`` convert from trim coordinates (origin at the trim's top
left, y down), the place stage's system.

Layout of the margin outside the trim, on every side::

    trim | bleed (style, 3 mm) | gap | crop mark (MARK_LEN) | rest of the margin | media edge

Crop marks start ``MARK_GAP`` beyond the bleed, so no mark prints in the bleed; registration
targets sit at the middle of each side, centred on the crop marks' band; the slug line runs
in the bottom margin, its left part after the lower-left crop marks, its right part ending
before the lower-right ones.  Marks are in the ``/All`` separation (they print on every
plate), 0.25 pt.
"""
from __future__ import annotations

import msgspec

from ..load.units import MM

MARK_GAP = 1.0 * MM          # between the bleed's edge and a crop mark
MARK_LEN = 6.0 * MM
MARK_WIDTH = 0.25            # pt
REG_RADIUS = 2.2 * MM        # registration target
REG_ARM = 3.2 * MM           # half length of its cross hair
MARGIN_REST = 3.0 * MM       # beyond the marks, to the media's edge
SLUG_SIZE = 6.0              # pt
SLUG_INSET = 12.0 * MM       # slug text starts this far in from the trim's left (and ends from its right)

#: Resource name of the /Separation /All colour space on every page.
ALL_CS = "CSAll"


def _num(v: float) -> str:
    s = "%.3f" % v
    s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


class Sheet(msgspec.Struct, frozen=True):
    trim_w: float
    trim_h: float
    bleed: float
    margin: float            # trim edge to media edge, every side

    @property
    def media_w(self) -> float:
        return self.trim_w + 2 * self.margin

    @property
    def media_h(self) -> float:
        return self.trim_h + 2 * self.margin

    @property
    def media_box(self) -> tuple[float, float, float, float]:
        return (0.0, 0.0, self.media_w, self.media_h)

    @property
    def trim_box(self) -> tuple[float, float, float, float]:
        m = self.margin
        return (m, m, m + self.trim_w, m + self.trim_h)

    @property
    def bleed_box(self) -> tuple[float, float, float, float]:
        m, b = self.margin, self.bleed
        return (m - b, m - b, m + self.trim_w + b, m + self.trim_h + b)

    def pdf_x(self, x: float) -> float:
        return self.margin + x

    def pdf_y(self, y: float) -> float:
        """Trim y (down from the trim's top) -> PDF y (up from the media's bottom)."""
        return self.margin + self.trim_h - y

    @property
    def mark_start(self) -> float:
        """Distance from the trim edge at which crop marks begin."""
        return self.bleed + MARK_GAP


def sheet_for(trim_w: float, trim_h: float, bleed: float) -> Sheet:
    margin = bleed + MARK_GAP + MARK_LEN + MARGIN_REST
    return Sheet(trim_w=trim_w, trim_h=trim_h, bleed=bleed, margin=margin)


def all_separation_cs():
    """The ``/All`` separation as a reportlab PDF object (alternate: all four process inks)."""
    from reportlab.pdfbase import pdfdoc

    fn = pdfdoc.PDFDictionary({"FunctionType": 2, "Domain": pdfdoc.PDFArrayCompact([0, 1]),
                               "C0": pdfdoc.PDFArrayCompact([0, 0, 0, 0]),
                               "C1": pdfdoc.PDFArrayCompact([1, 1, 1, 1]), "N": 1})
    fn.multiline = False
    return pdfdoc.PDFArrayCompact(["/Separation", "/All", "/DeviceCMYK", fn])


def _circle(cx: float, cy: float, r: float) -> str:
    k = 0.5523 * r
    p = _num
    return (f"{p(cx + r)} {p(cy)} m "
            f"{p(cx + r)} {p(cy + k)} {p(cx + k)} {p(cy + r)} {p(cx)} {p(cy + r)} c "
            f"{p(cx - k)} {p(cy + r)} {p(cx - r)} {p(cy + k)} {p(cx - r)} {p(cy)} c "
            f"{p(cx - r)} {p(cy - k)} {p(cx - k)} {p(cy - r)} {p(cx)} {p(cy - r)} c "
            f"{p(cx + k)} {p(cy - r)} {p(cx + r)} {p(cy - k)} {p(cx + r)} {p(cy)} c h S")


def crop_mark_segments(sheet: Sheet) -> list[tuple[float, float, float, float]]:
    """The eight crop marks as (x0, y0, x1, y1) in PDF coordinates."""
    x0, y0, x1, y1 = sheet.trim_box
    a, b = sheet.mark_start, sheet.mark_start + MARK_LEN
    segs = []
    for x in (x0, x1):
        segs.append((x, y0 - a, x, y0 - b))      # below
        segs.append((x, y1 + a, x, y1 + b))      # above
    for y in (y0, y1):
        segs.append((x0 - a, y, x0 - b, y))      # left
        segs.append((x1 + a, y, x1 + b, y))      # right
    return segs


def registration_centres(sheet: Sheet) -> list[tuple[float, float]]:
    x0, y0, x1, y1 = sheet.trim_box
    d = sheet.mark_start + MARK_LEN / 2
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return [(cx, y1 + d), (cx, y0 - d), (x0 - d, cy), (x1 + d, cy)]


def mark_ops(sheet: Sheet) -> list[str]:
    """Content operators for crop and registration marks (inside q ... Q, in /All)."""
    p = _num
    ops = ["q", f"/{ALL_CS} CS 1 SCN", f"{p(MARK_WIDTH)} w", "[] 0 d", "0 J"]
    for (ax, ay, bx, by) in crop_mark_segments(sheet):
        ops.append(f"{p(ax)} {p(ay)} m {p(bx)} {p(by)} l S")
    for cx, cy in registration_centres(sheet):
        ops.append(_circle(cx, cy, REG_RADIUS))
        ops.append(_circle(cx, cy, REG_RADIUS / 2))
        ops.append(f"{p(cx - REG_ARM)} {p(cy)} m {p(cx + REG_ARM)} {p(cy)} l S")
        ops.append(f"{p(cx)} {p(cy - REG_ARM)} m {p(cx)} {p(cy + REG_ARM)} l S")
    ops.append("Q")
    return ops


def slug_baseline(sheet: Sheet) -> float:
    """PDF y of the slug line's baseline: in the bottom margin, level with the crop marks."""
    return sheet.trim_box[1] - sheet.mark_start - MARK_LEN / 2 - SLUG_SIZE * 0.35


def slug_span(sheet: Sheet) -> tuple[float, float]:
    """(left x, right x) the slug's two parts are set against."""
    x0, _, x1, _ = sheet.trim_box
    return x0 + SLUG_INSET, x1 - SLUG_INSET


def registration_clear(sheet: Sheet) -> tuple[float, float]:
    """x range around the bottom registration target that slug text must not enter."""
    cx = (sheet.trim_box[0] + sheet.trim_box[2]) / 2
    return cx - REG_ARM - 2 * MM, cx + REG_ARM + 2 * MM


def within(inner: tuple[float, ...], outer: tuple[float, ...], eps: float = 1e-3) -> bool:
    return (inner[0] >= outer[0] - eps and inner[1] >= outer[1] - eps
            and inner[2] <= outer[2] + eps and inner[3] <= outer[3] + eps)

