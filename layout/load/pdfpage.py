"""A supplied one-page PDF (a PDF ad): its size, and what in it a PDF/X-1a file may not hold.

Read with pypdf. :func:`open_page` refuses what cannot be placed at all (not a PDF, damaged,
encrypted, not exactly one page, no usable box): the loader turns that into one located line.
:func:`page_size` is the size the page is printed at: its TrimBox, else its CropBox, else its
MediaBox, turned by its /Rotate. :func:`x1a_faults` lists what the page draws that the print
file may not hold (RGB or ICC-based colour, transparency, fonts not embedded, ink over the
limit, JPEG 2000 or JBIG2): the place stage reports each as an error, the emitter still draws the ad as
supplied (it never recolours or rewrites a booked ad).
"""
from __future__ import annotations

import contextlib
import logging
from pathlib import Path

#: A PDF ad larger than this is refused before it is parsed.
MAX_AD_PDF_BYTES = 200 * 1024 * 1024


class PdfPageError(ValueError):
    """The file cannot be placed as a one-page PDF; the message says why."""


@contextlib.contextmanager
def _quiet():
    """pypdf logs its repairs as warnings; the loader reports one line of its own instead."""
    log = logging.getLogger("pypdf")
    was = log.disabled
    log.disabled = True
    try:
        yield
    finally:
        log.disabled = was


def open_page(path: Path, parse: bool = True):
    """(reader, page) of a readable, unencrypted one-page PDF, or PdfPageError; `parse` reads
    its content stream through too (the loader's check: a damaged stream is refused there)."""
    import pypdf

    try:
        size = path.stat().st_size
    except OSError as e:
        raise PdfPageError(f"cannot read ({e.strerror})") from None
    if size > MAX_AD_PDF_BYTES:
        raise PdfPageError(f"is {size / 2**20:.0f} MB; the limit for a PDF ad is {MAX_AD_PDF_BYTES / 2**20:.0f} MB")
    try:
        with _quiet():
            reader = pypdf.PdfReader(str(path))
            if reader.is_encrypted:
                raise PdfPageError("is an encrypted PDF (PDF/X forbids encryption): ask for it unencrypted")
            n = len(reader.pages)
            if n != 1:
                raise PdfPageError(f"has {n} pages; an ad is one page (ask for the ad alone, one page a file)")
            page = reader.pages[0]
            page_size(page)
            contents = page.get_contents()       # the content stream must decode ...
            if parse:
                _content_ops(contents, reader)   # ... and parse
    except PdfPageError:
        raise
    except Exception as e:       # pypdf raises many kinds for damaged files
        raise PdfPageError(f"is not a readable PDF (damaged or truncated: {type(e).__name__}: {e})") from None
    return reader, page


def _box(page):
    for key in ("/TrimBox", "/CropBox", "/MediaBox"):
        if key in page:
            x0, y0, x1, y1 = (float(v) for v in page[key])
            x0, x1 = sorted((x0, x1))
            y0, y1 = sorted((y0, y1))
            if x1 - x0 > 0.01 and y1 - y0 > 0.01:
                return key, (x0, y0, x1, y1)
    raise PdfPageError("has no usable TrimBox, CropBox or MediaBox")


def page_box(page) -> tuple[str, tuple[float, float, float, float]]:
    """(which box, (x0, y0, x1, y1) in the page's own space): the part of the page the ad is."""
    return _box(page)


def rotation(page) -> int:
    r = int(page.get("/Rotate", 0) or 0) % 360
    if r % 90:
        raise PdfPageError(f"has /Rotate {r}, not a multiple of 90")
    return r


def page_size(page) -> tuple[float, float]:
    """The printed (width, height) in pt: the box, turned by /Rotate."""
    _, (x0, y0, x1, y1) = _box(page)
    w, h = x1 - x0, y1 - y0
    return (h, w) if rotation(page) in (90, 270) else (w, h)


def _content_ops(contents, reader) -> list:
    from pypdf.generic import ContentStream

    if contents is None:
        return []
    return ContentStream(contents, reader).operations


_RGB = ("/DeviceRGB", "/CalRGB", "/RGB")


class _Faults:
    """What the page uses that PDF/X-1a forbids: each fault once, with where it was seen."""

    def __init__(self, reader, limit: float):
        self.reader, self.limit = reader, limit
        self.out: dict[str, str] = {}
        self.seen: set[int] = set()

    def add(self, code: str, detail: str) -> None:
        self.out.setdefault(code, detail)

    def once(self, obj) -> bool:
        ref = getattr(obj, "indirect_reference", None)
        key = id(obj) if ref is None else hash((ref.idnum, ref.generation))
        if key in self.seen:
            return False
        self.seen.add(key)
        return True

    def colorspace(self, cs, what: str) -> None:
        cs = cs.get_object() if hasattr(cs, "get_object") else cs
        if isinstance(cs, list):
            family = str(cs[0].get_object()) if cs else ""
        else:
            family = str(cs)
        if family in _RGB:
            self.add("rgb", f"{what} is {family}")
        elif family == "/ICCBased":
            n = int(cs[1].get_object().get("/N", 0))
            self.add("rgb" if n == 3 else "icc", f"{what} is ICC-based ({n} components)")
        elif family in ("/Lab", "/CalGray"):
            self.add("icc", f"{what} is {family}")
        elif family in ("/Separation", "/DeviceN") and len(cs) > 2:
            self.colorspace(cs[2], what + " (alternate)")
        elif family == "/Indexed" and len(cs) > 1:
            self.colorspace(cs[1], what + " (base)")
        elif family == "/Pattern" and isinstance(cs, list) and len(cs) > 1:
            self.colorspace(cs[1], what + " (base)")

    def resources(self, res, where: str) -> None:
        res = res.get_object() if res is not None else None
        if not res:
            return
        for name, ref in (res.get("/Font") or {}).items():
            f = ref.get_object()
            if self.once(f):
                self.font(f, f"font {f.get('/BaseFont', name)} ({where})")
        for name, ref in (res.get("/ColorSpace") or {}).items():
            self.colorspace(ref, f"colour space {name} ({where})")
        for name, ref in (res.get("/ExtGState") or {}).items():
            gs = ref.get_object()
            if any(float(gs.get(k, 1)) < 1 for k in ("/CA", "/ca")) or str(gs.get("/SMask", "/None")) != "/None" \
                    or str(gs.get("/BM", "/Normal")) not in ("/Normal", "/Compatible"):
                self.add("transparency", f"graphics state {name} ({where}) uses transparency")
        for name, ref in (res.get("/Shading") or {}).items():
            sh = ref.get_object()
            self.colorspace(sh.get("/ColorSpace"), f"shading {name} ({where})")
        for name, ref in (res.get("/Pattern") or {}).items():
            pat = ref.get_object()
            if not self.once(pat):
                continue
            if int(pat.get("/PatternType", 1)) == 2:
                sh = pat.get("/Shading")
                if sh is not None:
                    self.colorspace(sh.get_object().get("/ColorSpace"), f"pattern {name} ({where})")
            else:
                self.resources(pat.get("/Resources"), f"pattern {name}")
                self.content(pat, f"pattern {name}")
        for name, ref in (res.get("/XObject") or {}).items():
            x = ref.get_object()
            if not self.once(x):
                continue
            if x.get("/Subtype") == "/Image":
                self.image(x, f"image {name} ({where})")
            elif x.get("/Subtype") == "/Form":
                if "/Group" in x:
                    self.add("transparency", f"form {name} ({where}) is a transparency group")
                self.resources(x.get("/Resources"), f"form {name}")
                self.content(x, f"form {name}")

    def font(self, f, what: str) -> None:
        sub = f.get("/Subtype")
        if sub == "/Type3":
            self.resources(f.get("/Resources"), what)
            return
        targets = [d.get_object() for d in f.get("/DescendantFonts", [])] if sub == "/Type0" else [f]
        for t in targets:
            fd = t.get("/FontDescriptor")
            fd = fd.get_object() if fd is not None else {}
            if not any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                self.add("font-not-embedded", f"{what} is not embedded")

    def image(self, x, what: str) -> None:
        filters = x.get("/Filter", x.get("/F", []))
        filters = filters if isinstance(filters, list) else [filters]
        for f in filters:
            if str(f) in ("/JPXDecode", "/JBIG2Decode"):
                self.add("filter", f"{what} is compressed with {f} (not in PDF 1.3)")
        if "/SMask" in x or int(x.get("/SMaskInData", 0) or 0):
            self.add("transparency", f"{what} has a soft mask")
        if not x.get("/ImageMask", x.get("/IM", False)):
            cs = x.get("/ColorSpace", x.get("/CS"))
            if cs is not None:
                short = {"/RGB": "/DeviceRGB", "/G": "/DeviceGray", "/CMYK": "/DeviceCMYK"}
                self.colorspace(short.get(str(cs), cs) if not isinstance(cs, list) else cs, what)

    def content(self, holder, where: str) -> None:
        for args, op in _content_ops(holder, self.reader):
            if op in (b"rg", b"RG"):
                self.add("rgb", f"the {op.decode()} operator ({where})")
            elif op in (b"cs", b"CS") and args and str(args[-1]) in _RGB:
                self.add("rgb", f"{args[-1]} set by {op.decode()} ({where})")
            elif op in (b"k", b"K") and len(args) >= 4:
                total = sum(float(v) for v in args[-4:]) * 100
                if total > self.limit + 0.05:
                    self.add("tac", f"a colour of {total:.0f}% ink ({where})")
            elif op == b"INLINE IMAGE" and args:
                self.image(args[0].get("settings", {}), f"an inline image ({where})")


FAULTS = {
    "rgb": "RGB colour", "icc": "ICC-based or CIE colour", "transparency": "transparency",
    "font-not-embedded": "a font not embedded", "tac": "ink over the limit",
    "filter": "JPEG 2000 or JBIG2 compression",
}


def x1a_faults(path: Path, limit: float) -> list[tuple[str, str]]:
    """(code, first place seen) for each kind of content PDF/X-1a forbids; [] when clean."""
    reader, page = open_page(path, parse=False)
    with _quiet():
        check = _Faults(reader, limit)
        check.resources(page.get("/Resources"), "page")
        check.content(page.get_contents(), "page")
    return list(check.out.items())
