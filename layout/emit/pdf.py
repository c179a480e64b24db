"""Write placed pages as a print PDF: PDF/X-1a:2001 (default) or PDF/X-4, CMYK only.

What a page of the file holds:

* the sheet (``marks.Sheet``): MediaBox large enough for the marks, BleedBox = trim + the
  style's bleed, TrimBox = the trim; items that touch the trim's edge are extended into the
  bleed;
* the page's items, non-text in their order, then text (so tints and frames never cover it);
  colours are DeviceCMYK with every colour's total area coverage clipped to the limit; text
  and strokes in black (100 % K) are set in K only and overprint (``/GSop``: ``/OP true
  /op true /OPM 1``), everything else knocks out (``/GSko``);
* photos converted for print by ``images.prepare_photo`` (DeviceGray or DeviceCMYK, no
  RGB, no transparency), clipped to their frames; a photo whose file is missing keeps its
  frame, tinted, crossed and labelled 图片缺失 with the file name;
* crop and registration marks in the ``/All`` separation outside the bleed and a slug line
  (paper, issue, page, date, output time, standard) in the bottom margin.

Document level: ``GTS_PDFX`` output intent for newsprint (``IFRA26``, the ICC registry's
characterization of ISO 12647-3 coldset offset on newsprint), ``GTS_PDFXVersion`` (and
``GTS_PDFXConformance`` for X-1a) in the Info dictionary, ``Trapped /False``, creation and
modification dates from the issue (or ``SOURCE_DATE_EPOCH``), and a document ``/ID`` that
is the MD5 of the file written with a zero ID, so the same issue and style always give the
same bytes.  PDF 1.3 for X-1a:2001; X-4 (PDF 1.6) adds XMP metadata and needs the output
condition's ICC profile (``PrintSettings.output_profile``) as ``DestOutputProfile``.

The file is written beside its destination and renamed into place only when it is
complete, so a failed render never leaves half a PDF over a good one.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import math
from pathlib import Path

import msgspec
import msgspec.structs
from reportlab.pdfbase import pdfdoc

from ..fonts.fontset import IGNORABLE, FontSet
from ..load.issue import Issue
from ..load.style import CMYK, Style
from ..place.model import Box, LaidOutIssue, PhotoFrame, Rule, TextLine, VerticalText
from . import marks as M
from .cidfont import FontEmbedder
from .settings import EmitLog, PrintSettings  # noqa: F401  (EmitLog: re-exported with write_pdf)
from .subsets import SubsetJob
from .vertical import draw_vertical
from .textplan import (PLACEHOLDER_PAD, advance as _advance, bleed_rect as _bleed_rect, document_time, measure,
                       placeholder_label, placeholder_role, placeholder_text, runs as _runs, slug_parts, slug_role)
from ..atomic import write_atomic

STANDARDS = ("x1a", "x4")
PDFX_VERSION = {"x1a": "PDF/X-1:2001", "x4": "PDF/X-4"}
PDFX_CONFORMANCE = {"x1a": "PDF/X-1a:2001"}
PDF_VERSION = {"x1a": (1, 3), "x4": (1, 6)}
PRODUCER = "kecheng-layout (ReportLab PDF Library)"

# --------------------------------------------------------------------------- colour rules

def clip_tac(c: CMYK, limit: float) -> CMYK:
    """The colour with its total area coverage at most `limit` (percent): cyan, magenta and
    yellow reduced in proportion, black kept."""
    if c.total <= limit + 1e-9:
        return c
    room = max(0.0, limit - c.k)
    s = c.c + c.m + c.y
    f = room / s if s else 0.0

    def down(v: float) -> float:          # round down to the 0.1 % the file carries
        return math.floor(v * f * 10 + 1e-9) / 10

    return CMYK(down(c.c), down(c.m), down(c.y), min(c.k, limit))


def is_black(c: CMYK) -> bool:
    """A colour whose black is solid: set as K only (no rich black for text and rules)."""
    return c.k >= 100 - 1e-9


def ink(c: CMYK, use: str, limit: float) -> tuple[float, float, float, float]:
    """Fractions to write for colour `c` used for "text", "stroke" or "fill"."""
    if use in ("text", "stroke") and is_black(c):
        return (0.0, 0.0, 0.0, 1.0)
    c = clip_tac(c, limit)
    return (c.c / 100, c.m / 100, c.y / 100, c.k / 100)


def overprints(v: tuple[float, float, float, float], use: str) -> bool:
    return use in ("text", "stroke") and v == (0.0, 0.0, 0.0, 1.0)


# --------------------------------------------------------------------------- dates

def pdf_date(t: dt.datetime) -> str:
    off = t.utcoffset() or dt.timedelta(0)
    mins = int(off.total_seconds() // 60)
    sign = "+" if mins >= 0 else "-"
    mins = abs(mins)
    return t.strftime("D:%Y%m%d%H%M%S") + f"{sign}{mins // 60:02d}'{mins % 60:02d}'"


def xmp_date(t: dt.datetime) -> str:
    return t.isoformat(timespec="seconds")


# --------------------------------------------------------------------------- writing

def write_pdf(laid: LaidOutIssue, issue: Issue, style: Style, fonts: FontSet, out: Path,
              settings: PrintSettings | None = None, log: EmitLog | None = None,
              standard: str | None = None, programs: SubsetJob | None = None) -> Path:
    """Write the print PDF to `out` (atomically).  `standard` ("x1a" or "x4") overrides
    settings.standard; `log` collects what the preflight reports on; `programs` holds font
    programs made ahead (subsets.start)."""
    settings = settings or PrintSettings()
    if standard is not None:
        settings = msgspec.structs.replace(settings, standard=standard)
    if settings.standard not in STANDARDS:
        raise ValueError(f"unknown PDF standard {settings.standard!r} (known: {', '.join(STANDARDS)})")
    profile = None
    if settings.output_profile is not None:
        profile = _read_profile(Path(settings.output_profile))
    elif settings.standard == "x4":
        raise ValueError("PDF/X-4 needs the output condition's ICC profile (PrintSettings.output_profile), "
                         "e.g. ISOnewspaper26v4.icc or WAN-IFRAnewspaper26v5.icc from WAN-IFRA")
    log = log if log is not None else EmitLog()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    # binary (Flate only) streams: reportlab's ASCII85 is pure Python and makes the file larger;
    # the switch is reportlab's module setting, so it is restored after this document
    from reportlab import rl_config
    a85 = rl_config.useA85
    rl_config.useA85 = 0
    try:
        data = _render(laid, issue, style, fonts, settings, profile, log, programs)
    finally:
        rl_config.useA85 = a85
    write_atomic(out, data)
    return out


def _read_profile(path: Path) -> bytes:
    data = path.read_bytes()
    if len(data) < 132 or data[36:40] != b"acsp":
        raise ValueError(f"{path}: not an ICC profile")
    if data[16:20] != b"CMYK" or data[12:16] != b"prtr":
        raise ValueError(f"{path}: the output intent needs a CMYK output (printer) profile, "
                         f"not {data[16:20].decode('latin1')}/{data[12:16].decode('latin1')}")
    return data


_ID_ZERO = "0" * 32


class _Info(pdfdoc.PDFInfo):
    """The document information dictionary, exactly as given (no reportlab defaults)."""

    def __init__(self, entries: dict):
        super().__init__()
        self.entries = entries

    def digest(self, md5object) -> None:     # the /ID is made from the whole file instead
        pass

    def format(self, document):
        d = pdfdoc.PDFDictionary(self.entries)
        return d.format(document)


class _Catalog(pdfdoc.PDFCatalog):
    __NoDefault__ = pdfdoc.PDFCatalog.__NoDefault__ + ["OutputIntents"]
    __Refs__ = list(pdfdoc.PDFCatalog.__Refs__)


class _PageWriter:
    """The pages of one document on reportlab's PDFDocument, without its Canvas.

    Every operator is written by this module (_Pen, marks, FontEmbedder.draw_glyphs), so
    the Canvas's drawing API is never used; not importing it (with its TrueType and
    HarfBuzz modules) saves ~12 ms a run.  What the Canvas did when a page ends is done
    here: the same page dictionary (boxes, ExtGState, colour spaces, XObjects) and the same
    preamble; the attributes keep the Canvas's names (``_doc``, ``_code``, ``_formsinuse``)
    because FontEmbedder and the image code use them."""

    _PREAMBLE = "1 0 0 1 0 0 cm "          # what Canvas writes when no font is preset

    def __init__(self, pagesize: tuple[float, float], pdf_version: tuple[int, int]):
        self._doc = pdfdoc.PDFDocument(compression=1, invariant=1, pdfVersion=pdf_version)
        self._pagesize = pagesize
        self._code: list[str] = []
        self._formsinuse: list[str] = []
        self._boxes: dict[str, tuple] = {}
        self.kc_extgstate = None                     # PDFDictionary of references
        self.kc_colorspaces: dict = {}               # internal object id -> resource name

    def setTrimBox(self, box) -> None:
        self._boxes["TrimBox"] = box

    def setBleedBox(self, box) -> None:
        self._boxes["BleedBox"] = box

    def showPage(self) -> None:
        page = pdfdoc.PDFPage()
        page.pagewidth, page.pageheight = self._pagesize
        page.Rotate = 0
        page.hasImages = 1
        page.setPageTransition(None)
        page.setCompression(1)
        for name in ("BleedBox", "TrimBox"):        # the Canvas's order
            if self._boxes.get(name):
                setattr(page, name, pdfdoc.PDFArray(self._boxes[name]))
        page.setStream([self._PREAMBLE] + self._code + [" "])
        page._colorsUsed = dict(self.kc_colorspaces)
        page.ExtGState = self.kc_extgstate
        page.XObjects = self._doc.xobjDict(self._formsinuse) if self._formsinuse else None
        page._shadingUsed = {}
        page.Annots = []
        self._doc.addPage(page)
        self._code = []
        self._formsinuse = []

    def getpdfdata(self) -> bytes:
        if self._code:
            self.showPage()
        data = self._doc.GetPDFData(self)
        return data.encode("latin1") if isinstance(data, str) else data


def _num(v: float) -> str:
    s = "%.4f" % v
    s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


class _Pen:
    """Writes colour, overprint and line state to the content stream, only when it changes."""

    def __init__(self, code: list):
        self.code = code
        self.reset()

    def reset(self) -> None:
        self.fill = self.stroke = None
        self.gs = "GSko"                    # the page starts knocking out (PDF default)
        self.lw = None
        self.dash = ()

    def _gs(self, name: str) -> None:
        if name != self.gs:
            self.code.append(f"/{name} gs")
            self.gs = name

    def knock_out(self) -> None:
        """Overprint off, e.g. before an image: a photo must never overprint (its pixels would
        mix with whatever is under it), whatever black rule or text came before it."""
        self._gs("GSko")

    def set_fill(self, v: tuple, use: str) -> None:
        self._gs("GSop" if overprints(v, use) else "GSko")
        if v != self.fill:
            self.code.append(" ".join(_num(x) for x in v) + " k")
            self.fill = v

    def set_stroke(self, v: tuple, width: float, dash) -> None:
        self._gs("GSop" if overprints(v, "stroke") else "GSko")
        if v != self.stroke:
            self.code.append(" ".join(_num(x) for x in v) + " K")
            self.stroke = v
        if width != self.lw:
            self.code.append(f"{_num(width)} w")
            self.lw = width
        d = tuple(dash or ())
        if d != self.dash:
            self.code.append(f"[{' '.join(_num(x) for x in d)}] 0 d")
            self.dash = d


def _render(laid: LaidOutIssue, issue: Issue, style: Style, fonts: FontSet, settings: PrintSettings,
            profile: bytes | None, log: EmitLog, programs: SubsetJob | None = None) -> bytes:
    geo = style.page
    sheet = M.sheet_for(geo.width, geo.height, geo.bleed)
    when = document_time(issue, settings)
    log.sheet, log.when, log.settings = sheet, when, settings
    limit = settings.tac_limit
    std = settings.standard
    m = issue.masthead

    canvas = _PageWriter((sheet.media_w, sheet.media_h), PDF_VERSION[std])
    embedder = FontEmbedder(fonts.faces, programs)
    embedder.attach(canvas)
    inked: dict = {}            # face key -> _Inked (_text_line)
    doc = canvas._doc

    # document-level objects, created once, in a fixed order
    gs_ko = doc.Reference(pdfdoc.PDFDictionary({"Type": "/ExtGState", "OP": "false", "op": "false"}),
                          "kecheng:gs:ko")
    gs_op = doc.Reference(pdfdoc.PDFDictionary({"Type": "/ExtGState", "OP": "true", "op": "true", "OPM": 1}),
                          "kecheng:gs:op")
    canvas.kc_extgstate = pdfdoc.PDFDictionary({"GSko": gs_ko, "GSop": gs_op})
    if settings.marks:
        doc.Reference(M.all_separation_cs(), "kecheng:cs:all")
        canvas.kc_colorspaces = {"kecheng:cs:all": M.ALL_CS}

    title = f"{m.title} 第{m.number}期 {m.date.isoformat()}"
    _document_objects(doc, settings, profile, when, title, m)

    colors = style.colors

    def use(name: str, how: str) -> tuple[float, float, float, float]:
        log.colors.setdefault(name, set()).add(how)
        c = colors.get(name)
        if c is None:
            raise KeyError(f"colour {name!r} is not in the style")
        return ink(c, how, limit)

    def named(name: str, fallback: CMYK) -> CMYK:
        return colors.get(name, fallback)

    W, H, b = geo.width, geo.height, geo.bleed
    px, py = sheet.pdf_x, sheet.pdf_y

    for page in laid.pages:
        canvas.setTrimBox(sheet.trim_box)
        canvas.setBleedBox(sheet.bleed_box)
        pen = _Pen(canvas._code)          # reportlab starts a new list for every page
        code = pen.code
        for it in page.items:
            if isinstance(it, Box):
                x, y, w, h = it.x, it.y, it.w, it.h
                if it.fill:
                    bx = _bleed_rect(x, y, w, h, W, H, b)
                    if bx != (x, y, w, h):
                        log.bled.append((page.number, "box", bx))
                    pen.set_fill(use(it.fill, "fill"), "fill")
                    code.append(f"{_num(px(bx[0]))} {_num(py(bx[1] + bx[3]))} {_num(bx[2])} {_num(bx[3])} re f")
                if it.stroke:
                    pen.set_stroke(use(it.stroke, "stroke"), it.width, it.dash)
                    code.append(f"{_num(px(x))} {_num(py(y + h))} {_num(w)} {_num(h)} re S")
            elif isinstance(it, Rule):
                pen.set_stroke(use(it.color, "stroke"), it.width, it.dash)
                x0, x1 = it.x0, it.x1
                if it.y0 == it.y1:           # a horizontal rule across the trim edge bleeds
                    lo, hi = (x0, x1) if x0 <= x1 else (x1, x0)
                    if lo <= 0.01 or hi >= W - 0.01:
                        log.bled.append((page.number, "rule", (lo, it.y0, hi - lo, 0.0)))
                    lo = -b if lo <= 0.01 else lo
                    hi = W + b if hi >= W - 0.01 else hi
                    x0, x1 = (lo, hi) if x0 <= x1 else (hi, lo)
                code.append(f"{_num(px(x0))} {_num(py(it.y0))} m {_num(px(x1))} {_num(py(it.y1))} l S")
            elif isinstance(it, PhotoFrame):
                _photo(canvas, embedder, fonts, style, issue, page.number, it, sheet, pen, settings, log,
                       named)
        # text last, so tints and frames never cover it
        for it in page.items:
            if isinstance(it, VerticalText):        # a vertical headline's line (emit/vertical.py)
                pen.set_fill(use(it.color, "text"), "text")
                draw_vertical(canvas, embedder, it, sheet)
                continue
            if not isinstance(it, TextLine) or not it.glyphs:
                continue
            pen.set_fill(use(it.color, "text"), "text")
            _text_line(canvas, embedder, fonts, it, sheet, inked)
        if settings.marks:
            code.extend(M.mark_ops(sheet))
            _slug(canvas, embedder, fonts, style, issue, page, sheet, pen, when, std, settings)
        canvas.showPage()
    embedder.prepare_tables()    # (measured: the file waits for the subset worker's programs)
    data = canvas.getpdfdata()
    return _stamp_id(data)


def _document_objects(doc, settings: PrintSettings, profile: bytes | None, when: dt.datetime,
                      title: str, m) -> None:
    std = settings.standard
    date = pdfdoc.PDFString(pdf_date(when))
    entries = {
        "Title": pdfdoc.PDFString(title),
        "Author": pdfdoc.PDFString(m.publisher),
        "Subject": pdfdoc.PDFString(f"{m.title} {m.date.isoformat()}"),
        "Creator": pdfdoc.PDFString("kecheng-layout"),
        "Producer": pdfdoc.PDFString(PRODUCER),
        "CreationDate": date,
        "ModDate": date,
        "Trapped": "/False",
        "GTS_PDFXVersion": pdfdoc.PDFString(PDFX_VERSION[std]),
    }
    if std in PDFX_CONFORMANCE:
        entries["GTS_PDFXConformance"] = pdfdoc.PDFString(PDFX_CONFORMANCE[std])
    doc.info = _Info(entries)

    oi = settings.output_intent
    intent = {
        "Type": "/OutputIntent",
        "S": "/GTS_PDFX",
        "OutputConditionIdentifier": pdfdoc.PDFString(oi.identifier),
        "OutputCondition": pdfdoc.PDFString(oi.condition),
        "RegistryName": pdfdoc.PDFString(oi.registry),
        "Info": pdfdoc.PDFString(oi.info or oi.condition),
    }
    if profile is not None:
        icc = pdfdoc.PDFStream(pdfdoc.PDFDictionary({"N": 4}), profile, filters=[pdfdoc.PDFZCompress])
        intent["DestOutputProfile"] = doc.Reference(icc, "kecheng:icc:output")
    intent_ref = doc.Reference(pdfdoc.PDFDictionary(intent), "kecheng:outputintent")

    old = doc.Catalog
    cat = _Catalog()
    cat.__dict__.update(old.__dict__)
    cat.OutputIntents = pdfdoc.PDFArrayCompact([intent_ref])
    if std == "x4":
        xmp = _xmp(title, m.publisher, when, PDFX_VERSION[std]).encode("utf-8")
        meta = pdfdoc.PDFStream(pdfdoc.PDFDictionary({"Type": "/Metadata", "Subtype": "/XML"}), xmp, filters=[])
        cat.Metadata = meta
    doc.Catalog = doc._catalog = cat
    # the trailer /ID: zeros now, the MD5 of the finished file afterwards (_stamp_id)
    doc._ID = f"\n[<{_ID_ZERO}><{_ID_ZERO}>]\n".encode("ascii")


def _xml(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


_UUID_ZERO = "uuid:00000000-0000-0000-0000-000000000000"


def _xmp(title: str, author: str, when: dt.datetime, version: str) -> str:
    d = xmp_date(when)
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{_xml(title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{_xml(author)}</rdf:li></rdf:Seq></dc:creator>
   <xmp:CreateDate>{d}</xmp:CreateDate>
   <xmp:ModifyDate>{d}</xmp:ModifyDate>
   <xmp:MetadataDate>{d}</xmp:MetadataDate>
   <xmp:CreatorTool>kecheng-layout</xmp:CreatorTool>
   <pdf:Producer>{_xml(PRODUCER)}</pdf:Producer>
   <pdf:Trapped>False</pdf:Trapped>
   <xmpMM:DocumentID>{_UUID_ZERO}</xmpMM:DocumentID>
   <xmpMM:InstanceID>{_UUID_ZERO}</xmpMM:InstanceID>
   <xmpMM:VersionID>1</xmpMM:VersionID>
   <xmpMM:RenditionClass>default</xmpMM:RenditionClass>
   <pdfxid:GTS_PDFXVersion>{_xml(version)}</pdfxid:GTS_PDFXVersion>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def _stamp_id(data: bytes) -> bytes:
    """Replace the zero /ID (and XMP document ids) by the MD5 of the file as written with zeros."""
    zero = f"[<{_ID_ZERO}><{_ID_ZERO}>]".encode("ascii")
    if data.count(zero) != 1:
        raise RuntimeError("document ID placeholder not found exactly once")
    digest = hashlib.md5(data, usedforsecurity=False).hexdigest().upper()
    data = data.replace(zero, f"[<{digest}><{digest}>]".encode("ascii"))
    uz = _UUID_ZERO.encode("ascii")
    if uz in data:
        h = digest.lower()
        data = data.replace(uz, f"uuid:{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}".encode("ascii"))
    return data


# --------------------------------------------------------------------------- text

class _Inked(dict):
    """Character -> whether a face draws it: spaces take room but no ink (soft hyphens and
    the like neither); missing glyphs are reported by the fonts stage.  Filled as asked."""

    def __init__(self, cmap):
        super().__init__()
        self._has = cmap.__contains__

    def __missing__(self, ch: str) -> bool:
        got = self[ch] = not (ch in (" ", "\u3000") or ch in IGNORABLE or not self._has(ord(ch)))
        return got


def _inked_in(inked: dict, fonts: FontSet, key: str) -> _Inked:
    got = inked.get(key)
    if got is None:
        got = inked[key] = _Inked(fonts.faces[key].cmap)
    return got


def _text_line(canvas, embedder: FontEmbedder, fonts: FontSet, ln: TextLine, sheet: M.Sheet,
               inked: dict[str, _Inked]) -> None:
    """`inked`: face key -> _Inked, kept for the document (one lookup a glyph: measured, the
    per-glyph tests were a tenth of writing 100 pages)."""
    y = sheet.pdf_y(ln.baseline)
    x0 = sheet.pdf_x(ln.x)
    glyphs = ln.glyphs
    g0 = glyphs[0]
    key, size = g0.font, g0.size
    if all(g.font == key and g.size == size for g in glyphs):    # the commonest line: one face, one size
        drawn = _inked_in(inked, fonts, key)
        run = [(g.ch, x0 + g.x) for g in glyphs if drawn[g.ch]]
        if run:
            embedder.draw_glyphs(canvas, key, size, y, run)
        return
    run: list[tuple[str, float]] = []
    key = size = drawn = None
    for g in glyphs:
        if g.font != key or g.size != size:
            if run:
                embedder.draw_glyphs(canvas, key, size, y, run)
            run, key, size = [], g.font, g.size
            drawn = _inked_in(inked, fonts, key)
        if drawn[g.ch]:
            run.append((g.ch, x0 + g.x))
    if run:
        embedder.draw_glyphs(canvas, key, size, y, run)


def draw_text(canvas, embedder: FontEmbedder, fonts: FontSet, font_role: str, text: str,
              x: float, y: float, size: float) -> float:
    """Set a short line (PDF coordinates) in a font role with fallback; returns its width.
    Characters no face in the chain has are left out (and take an em)."""
    pos = x
    for key, chunk in _runs(fonts, font_role, text):
        glyphs = []
        for ch in chunk:
            if key is not None and ch not in (" ", "\u3000") and ch not in IGNORABLE:
                glyphs.append((ch, pos))
            pos += _advance(fonts, key, ch, size)
        if glyphs:
            embedder.draw_glyphs(canvas, key, size, y, glyphs)
    return pos - x


# --------------------------------------------------------------------------- photos

def _photo_options(issue: Issue, frame: PhotoFrame) -> tuple[str, tuple[float, float]]:
    fit = getattr(frame, "fit", None)
    focus = getattr(frame, "focus", None)
    story = issue.stories.get(frame.owner)
    ph = story.photo if story is not None else None
    if fit is None:
        fit = ph.fit if ph is not None else "fill"
    if focus is None:
        focus = ph.focus if ph is not None else (0.5, 0.5)
    return fit, tuple(focus)


def _photo(canvas, embedder, fonts: FontSet, style: Style, issue: Issue, page_no: int, it: PhotoFrame,
           sheet: M.Sheet, pen: _Pen, settings: PrintSettings, log: EmitLog, named) -> None:
    geo = style.page
    frame = (it.x, it.y, it.w, it.h)
    if it.clip is None:     # (a photo across a spread's fold runs on to the fold, not into the bleed)
        frame = _bleed_rect(it.x, it.y, it.w, it.h, geo.width, geo.height, geo.bleed)
        if frame != (it.x, it.y, it.w, it.h):
            log.bled.append((page_no, f"photo {it.owner}", frame))
    code = pen.code
    if it.present and it.path is not None and Path(str(it.path)).suffix.lower() == ".pdf":
        if _pdf_page(canvas, it, frame, sheet, pen):     # a PDF ad: its page, vector, as supplied
            return
        lines = [("广告无法读取", 9.0, False), (Path(str(it.path)).name, 6.0, True)]
    elif it.present and it.path is not None:
        fit, focus = _photo_options(issue, it)
        from .images import PreparedImage, prepare_photo    # only when a photo is on file
        prep = prepare_photo(it.path, frame, owner=it.owner, page=page_no, fit=fit, focus=focus,
                             mode="cmyk" if it.color else settings.photos, tac_limit=settings.tac_limit)
        if isinstance(prep, PreparedImage):
            log.images.append(prep.record)
            name = _image_xobject(canvas, prep)
            cx, cy, cw, ch = prep.clip
            if it.clip is not None:         # this page's part of a photo across the fold
                kx, ky, kw, kh = it.clip
                x0, y0 = max(cx, kx), max(cy, ky)
                cx, cy, cw, ch = x0, y0, min(cx + cw, kx + kw) - x0, min(cy + ch, ky + kh) - y0
            x, y, w, h = prep.placed
            pen.knock_out()
            code.append("q")
            code.append(f"{_num(sheet.pdf_x(cx))} {_num(sheet.pdf_y(cy + ch))} {_num(cw)} {_num(ch)} re W n")
            code.append(f"{_num(w)} 0 0 {_num(h)} {_num(sheet.pdf_x(x))} {_num(sheet.pdf_y(y + h))} cm")
            code.append(f"/{name} Do")
            code.append("Q")
            return
        log.images.append(prep)          # unreadable: an ImageRecord with .error
        lines = [("图片无法读取", 9.0, False), (Path(str(it.path)).name, 6.0, True)]
    else:
        lines = placeholder_text(issue, it)
    log.placeholders.append((page_no, it.owner, frame))
    _placeholder(canvas, embedder, fonts, style, frame, lines, sheet, pen, named, settings.tac_limit)


def _pdf_page(canvas, it: PhotoFrame, frame, sheet: M.Sheet, pen: _Pen) -> bool:
    """A one-page PDF as a form XObject covering the frame (scaled alike both ways, centred,
    clipped to the frame: the aspect matches the booking within the ads' tolerance); False when
    the file can no longer be read."""
    from ..load.pdfpage import PdfPageError
    from .pdfform import form_xobject
    try:
        name, (dw, dh) = form_xobject(canvas, Path(str(it.path)))
    except (PdfPageError, OSError):
        return False
    fx, fy, fw, fh = frame
    s = max(fw / dw, fh / dh)
    w, h = dw * s, dh * s
    x, y = fx + (fw - w) / 2, fy + (fh - h) / 2
    code = pen.code
    pen.knock_out()
    code.append("q")
    code.append(f"{_num(sheet.pdf_x(fx))} {_num(sheet.pdf_y(fy + fh))} {_num(fw)} {_num(fh)} re W n")
    code.append(f"{_num(s)} 0 0 {_num(s)} {_num(sheet.pdf_x(x))} {_num(sheet.pdf_y(y + h))} cm")
    code.append(f"/{name} Do")
    code.append("Q")
    return True


def _image_xobject(canvas, prep) -> str:        # prep: images.PreparedImage
    doc = canvas._doc
    h = hashlib.sha1(prep.data)
    h.update(f"{prep.width}x{prep.height}:{prep.colorspace}:{prep.filter}".encode("ascii"))
    name = "kcimg" + h.hexdigest()[:16]
    reg = doc.getXObjectName(name)
    if reg not in doc.idToObject:
        d = pdfdoc.PDFDictionary({
            "Type": "/XObject", "Subtype": "/Image", "Width": prep.width, "Height": prep.height,
            "ColorSpace": "/" + prep.colorspace, "BitsPerComponent": 8, "Filter": "/" + prep.filter,
        })
        doc.Reference(pdfdoc.PDFStream(d, prep.data, filters=None), reg)
    if name not in canvas._formsinuse:
        canvas._formsinuse.append(name)
    return reg


def _placeholder(canvas, embedder, fonts: FontSet, style: Style, frame, lines: list[tuple[str, float, bool]],
                 sheet: M.Sheet,
                 pen: _Pen, named, limit: float) -> None:
    """A missing photo: the frame tinted and crossed, with a white label saying so."""
    code = pen.code
    x, y, w, h = frame
    X, Y = sheet.pdf_x(x), sheet.pdf_y(y + h)
    pen.set_fill(ink(named("tint", CMYK(0, 0, 0, 8)), "fill", limit), "fill")
    code.append(f"{_num(X)} {_num(Y)} {_num(w)} {_num(h)} re f")
    pen.set_stroke(ink(named("grey", CMYK(0, 0, 0, 50)), "stroke", limit), 0.5, None)
    code.append(f"{_num(X)} {_num(Y)} {_num(w)} {_num(h)} re S")
    code.append(f"{_num(X)} {_num(Y)} m {_num(X + w)} {_num(Y + h)} l S")
    code.append(f"{_num(X)} {_num(Y + h)} m {_num(X + w)} {_num(Y)} l S")
    role = placeholder_role(style, fonts)
    pad = PLACEHOLDER_PAD
    set_lines = placeholder_label(fonts, role, w, h, lines)
    if not set_lines:
        return
    block_h = sum(s * 1.3 for _, s, _ in set_lines)
    label_w = max(wd for _, _, wd in set_lines) + 2 * pad
    lx = X + (w - label_w) / 2
    ly = Y + (h - block_h - 2 * pad) / 2
    pen.set_fill((0.0, 0.0, 0.0, 0.0), "fill")
    code.append(f"{_num(lx)} {_num(ly)} {_num(label_w)} {_num(block_h + 2 * pad)} re f")
    pen.set_fill((0.0, 0.0, 0.0, 1.0), "text")
    top = ly + block_h + pad
    for text, size, width in set_lines:
        top -= size * 1.3
        draw_text(canvas, embedder, fonts, role, text, X + (w - width) / 2, top + size * 0.3, size)


# --------------------------------------------------------------------------- slug

def _slug(canvas, embedder, fonts: FontSet, style: Style, issue: Issue, page, sheet: M.Sheet, pen: _Pen,
          when: dt.datetime, standard: str, settings: PrintSettings) -> None:
    left, right = slug_parts(issue, page, when, standard, settings)
    role = slug_role(style, fonts)
    size = M.SLUG_SIZE
    y = M.slug_baseline(sheet)
    x0, x1 = M.slug_span(sheet)
    pen.set_fill((0.0, 0.0, 0.0, 1.0), "text")
    draw_text(canvas, embedder, fonts, role, left, x0, y, size)
    wr = measure(fonts, role, right, size)
    draw_text(canvas, embedder, fonts, role, right, x1 - wr, y, size)
