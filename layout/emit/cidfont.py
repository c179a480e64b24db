"""Embed font faces in a reportlab PDF as subset, CID-keyed Type0 fonts.

reportlab's TTFont refuses CFF-outline (OTF) faces and encodes text in 256-glyph
simple-font subsets.  This module embeds each face as one composite font per
document instead:

* ``/Type0`` font, ``/Encoding /Identity-H`` (2-byte codes), a ``/ToUnicode``
  CMap (text copies and searches as the original Unicode), and one descendant:
* CFF faces (Noto CJK): ``/CIDFontType0`` with ``/FontFile3 /Subtype
  /CIDFontType0C`` holding the bare, subset, desubroutinized CFF table;
* TrueType faces (LXGW WenKai): ``/CIDFontType2`` with ``/FontFile2`` and a
  ``/CIDToGIDMap`` stream.

Codes.  The 2-byte code written for a glyph is its glyph id in the *original*
face, known at draw time.  After subsetting:

* CFF: the code is a CID, mapped to a glyph through the subset's charset.
  HarfBuzz keeps the original CIDs in the charset of a CID-keyed CFF subset
  (checked on every subset: see ``_check_cff_charset``), and the Noto CJK CFFs
  have CID == GID, so code == original gid == CID.  ``RETAIN_GIDS`` is not
  needed (it would cost ~150 KB compressed per face: 65k empty charstrings).
* TrueType: ``/CIDToGIDMap`` maps each code (old gid) to the new gid.

Widths.  ``/DW`` is the commonest width of the glyphs drawn (1000 for CJK),
``/W`` lists only the others, as ``c [w ...]`` for consecutive codes and
``c1 c2 w`` for runs of three or more equal widths.

Subset tags are six letters derived from the face's sha256 and the glyph set,
so the same input gives byte-identical output.

Life cycle::

    canvas = Canvas(path, pagesize=..., invariant=1)
    emb = FontEmbedder({"song": face, ...})
    emb.attach(canvas)                 # right after creating the canvas
    canvas.setFillColorRGB(...)        # colour is the caller's business
    emb.draw_glyphs(canvas, "song", 9.0, 700.0, [("中", 72.0), ("文", 81.0)])
    canvas.save()                      # subsets and embeds here (no finish() needed)

Embedding runs inside ``canvas.save()`` (or ``getpdfdata()``) through
reportlab's own hook for subset fonts: the document calls ``addObjects`` of
every font in ``doc.delayedFonts`` before it writes the file, as it does for
``TTFont``.  The font programs come from a ``subsets.SubsetJob``: made ahead by
the subset worker when the glyph set is the one planned, else subset here.  The
print PDF is drawn on ``pdf._PageWriter``, which has the ``_doc`` and ``_code``
this module uses but is no Canvas; the proofs use a Canvas.

With a Canvas, ``attach`` also removes the Helvetica that reportlab's Canvas registers for the
page preamble (``BT /F1 12 Tf 14.4 TL ET``), so the file holds no font that is
not embedded.  ``draw_glyphs`` assumes the PDF text-state defaults (character
spacing 0, horizontal scaling 100, rise 0), which reportlab only changes inside
its own text objects.
"""
from __future__ import annotations

import hashlib
import io
import zlib
from collections import Counter
from typing import Mapping, Sequence

from reportlab.pdfbase import pdfdoc, pdfmetrics

from layout.fonts.face import Face

from .subset_worker import CFF_KEEP as _CFF_KEEP, TT_KEEP as _TT_KEEP
from .subset_worker import hb_subset as _hb_subset  # noqa: F401  (the tests cross-check it)
from .subsets import FontProgram, SubsetJob

__all__ = ["FontEmbedder", "MissingGlyph", "NO_INITIAL_FONT"]

#: Name of the placeholder font reportlab's canvas is switched to by ``attach``
#: (a dynamic font, so reportlab writes no font selection in the preamble).
NO_INITIAL_FONT = "Kecheng-NoFont"

_PDF_NAME_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.+")


class MissingGlyph(KeyError):
    """The face ``key`` has no glyph for ``ch``."""

    def __init__(self, key: str, ch: str):
        super().__init__(key, ch)
        self.key = key
        self.ch = ch

    def __str__(self) -> str:
        cp = f"U+{ord(self.ch):04X}" if isinstance(self.ch, str) and len(self.ch) == 1 else "?"
        return f"face {self.key!r} has no glyph for {self.ch!r} ({cp})"


def _num(v: float) -> str:
    """Compact PDF number, 3 decimals."""
    s = "%.3f" % v
    s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


# --------------------------------------------------------------------------- placeholder font

class _NoFontFace:
    name = NO_INITIAL_FONT


class _NoFont:
    """Stands in as the canvas's current font so that reportlab's page preamble
    selects no font.  Any attempt to draw text through reportlab with it fails
    loudly: text goes through FontEmbedder.draw_glyphs."""

    fontName = NO_INITIAL_FONT
    face = _NoFontFace()
    _dynamicFont = 1
    _multiByte = 0

    def _refuse(self, *a, **k):
        raise TypeError(
            "no reportlab font is set on this canvas: draw text with FontEmbedder.draw_glyphs")

    splitString = stringWidth = getSubsetInternalName = _refuse

    def addObjects(self, doc):  # never in delayedFonts; nothing to add
        pass


def _ensure_no_font_registered() -> None:
    if NO_INITIAL_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(_NoFont())


def _drop_initial_font(canvas) -> None:
    """Undo the font registration reportlab's Canvas made for its page preamble
    and switch the canvas to the placeholder font."""
    doc = canvas._doc
    name = canvas._initialFontName
    if name != NO_INITIAL_FONT:
        font = pdfmetrics.getFont(name)
        internal = doc.fontMapping.get(name)
        if not font._dynamicFont and internal is not None:
            oid = internal[1:]
            number = doc.idToObjectNumberAndVersion.get(oid, (None,))[0]
            if (len(doc.fontMapping) != 1 or number != doc.objectcounter
                    or canvas._code or doc.pageCounter != 1):
                raise RuntimeError(
                    "FontEmbedder.attach() must be called right after creating the canvas "
                    f"(the canvas already uses font {name!r}); or create it with "
                    f"initialFontName={NO_INITIAL_FONT!r} after FontEmbedder.prepare()")
            del doc.fontMapping[name]
            del doc.idToObject[pdfdoc.BasicFonts].dict[oid]
            del doc.idToObject[oid]
            del doc.idToObjectNumberAndVersion[oid]
            del doc.numberToId[number]
            doc.objectcounter -= 1
    canvas._initialFontName = NO_INITIAL_FONT
    canvas._fontname = NO_INITIAL_FONT
    canvas._make_preamble()


# --------------------------------------------------------------------------- subsetting

def _ft_subset(path, gids: Sequence[int], is_cff: bool):
    """Same as _hb_subset with fontTools' subsetter: not used for output (40-70x
    slower); kept so the tests can cross-check HarfBuzz's glyph mapping."""
    from fontTools import subset as ftsub
    from fontTools.ttLib import TTFont

    opts = ftsub.Options()
    opts.layout_features = []
    opts.notdef_outline = True
    opts.name_IDs = []
    opts.glyph_names = False
    opts.desubroutinize = is_cff
    font = TTFont(str(path), lazy=True)
    keep = _CFF_KEEP if is_cff else _TT_KEEP
    opts.drop_tables = sorted(set(font.keys()) - keep - {"GlyphOrder"})
    order = font.getGlyphOrder()
    sub = ftsub.Subsetter(opts)
    sub.populate(gids=list(gids))
    sub.subset(font)
    new_order = font.getGlyphOrder()
    old_index = {n: i for i, n in enumerate(order)}
    old_to_new = {old_index[n]: i for i, n in enumerate(new_order)}
    buf = io.BytesIO()
    font.save(buf)
    data = buf.getvalue()
    if is_cff:
        data = TTFont(io.BytesIO(data)).getTableData("CFF ")
    return data, old_to_new


def _cff_facts(cff: bytes):
    """(ROS, new gid -> CID, StdVW) of a subset's CFF table (the tests check subsets with it)."""
    from fontTools.cffLib import CFFFontSet

    from ..fonts.face import cff_top_facts
    fs = CFFFontSet()
    fs.decompile(io.BytesIO(cff), None)
    top = fs.topDictIndex[0]
    ros, stem = cff_top_facts(top)
    cids = [0 if n == ".notdef" else int(n[3:]) if n.startswith("cid") else None
            for n in top.charset]
    return (tuple(ros) if ros else None), cids, stem


# --------------------------------------------------------------------------- PDF pieces

def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def _to_unicode_cmap(code_to_text: Sequence[tuple[int, str]]) -> bytes:
    """A ToUnicode CMap for 2-byte codes (bfrange for runs, bfchar otherwise)."""
    ranges: list[tuple[int, int, str]] = []
    chars: list[tuple[int, str]] = []
    i, n = 0, len(code_to_text)
    while i < n:
        code, text = code_to_text[i]
        j = i
        if len(text) == 1 and ord(text) < 0xFFFF:
            u = ord(text)
            # extend while codes and BMP scalars both step by one, within one
            # low-byte page on both sides (bfrange only increments the last byte)
            while (j + 1 < n and code_to_text[j + 1][0] == code + (j + 1 - i)
                   and len(code_to_text[j + 1][1]) == 1
                   and ord(code_to_text[j + 1][1]) == u + (j + 1 - i)
                   and (code + (j + 1 - i)) >> 8 == code >> 8
                   and (u + (j + 1 - i)) >> 8 == u >> 8):
                j += 1
        if j > i:
            ranges.append((code, code_to_text[j][0], _utf16_hex(text)))
        else:
            chars.append((code, _utf16_hex(text)))
        i = j + 1
    out = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <FFFF>",
        "endcodespacerange",
    ]
    for k in range(0, len(chars), 100):
        block = chars[k:k + 100]
        out.append(f"{len(block)} beginbfchar")
        out.extend(f"<{c:04X}> <{u}>" for c, u in block)
        out.append("endbfchar")
    for k in range(0, len(ranges), 100):
        block = ranges[k:k + 100]
        out.append(f"{len(block)} beginbfrange")
        out.extend(f"<{a:04X}> <{b:04X}> <{u}>" for a, b, u in block)
        out.append("endbfrange")
    out += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end", ""]
    return "\n".join(out).encode("ascii")


def _widths(code_widths: Sequence[tuple[int, float]]) -> tuple[float, str]:
    """(/DW, /W array text) for sorted (code, width) pairs."""
    if not code_widths:
        return 1000.0, "[]"
    counts = Counter(w for _, w in code_widths)
    dw = min(counts, key=lambda w: (-counts[w], w))
    rest = [(c, w) for c, w in code_widths if w != dw]
    items: list[str] = []
    i, n = 0, len(rest)
    while i < n:
        # maximal run of consecutive codes
        j = i
        while j + 1 < n and rest[j + 1][0] == rest[j][0] + 1:
            j += 1
        run = rest[i:j + 1]
        k = 0
        pending: list[tuple[int, float]] = []
        while k < len(run):
            m = k
            while m + 1 < len(run) and run[m + 1][1] == run[k][1]:
                m += 1
            if m - k + 1 >= 3:
                if pending:
                    items.append(f"{pending[0][0]} [{' '.join(_num(w) for _, w in pending)}]")
                    pending = []
                items.append(f"{run[k][0]} {run[m][0]} {_num(run[k][1])}")
            else:
                pending.extend(run[k:m + 1])
            k = m + 1
        if pending:
            items.append(f"{pending[0][0]} [{' '.join(_num(w) for _, w in pending)}]")
        i = j + 1
    lines = [" ".join(items[k:k + 8]) for k in range(0, len(items), 8)]
    return dw, "[" + "\n".join(lines) + "]"


def _subset_tag(face: Face, gids: Sequence[int]) -> str:
    h = hashlib.sha256(face.sha256.encode("ascii"))
    h.update(b"".join(g.to_bytes(2, "big") for g in gids))
    return "".join(chr(65 + b % 26) for b in h.digest()[:6])


def _pdf_name_part(s: str) -> str:
    return "".join(c if c in _PDF_NAME_CHARS else "-" for c in s)


def _flags(face: Face, program: FontProgram) -> int:
    """The FontDescriptor's /Flags."""
    flags = 4  # Symbolic: glyphs outside the standard Latin set
    if program.fixed:
        flags |= 1
    if program.serif:
        flags |= 2
    if face.italic_angle:
        flags |= 64
    return flags


# --------------------------------------------------------------------------- per-document font

class _DocFont:
    """One face in one document: the glyphs drawn, and the PDF objects at save time."""

    _dynamicFont = 1

    def __init__(self, key: str, face: Face, programs: SubsetJob):
        self.key = key
        self.face = face
        self.programs = programs
        self.fontName = f"kecheng:{key}"  # key in doc.fontMapping
        self.resname: str | None = None  # /F<n> in the page resources
        self.scale = 1000.0 / face.units_per_em
        # char -> (hex code, width in 1/1000 em, layer): the layer is the Type0 font it is
        # drawn in, one per character a glyph stands for (see _DocFont.layers)
        self.enc: dict[str, tuple[str, float, int]] = {}
        self.chars_of: dict[int, list[str]] = {}  # gid -> the characters drawn with it, in order
        self.width: dict[int, float] = {}  # gid -> /W width
        self.layer_names: list[str] = []  # /F<n> of layers 1, 2 ...
        self.frozen = False
        self._prepared = None  # (glyph, character and layer counts, _tables()) from prepare_tables

    def encode(self, ch: str) -> tuple[str, float, int]:
        try:
            gid = self.face.cmap[ord(ch)]
        except (KeyError, TypeError):
            raise MissingGlyph(self.key, ch) from None
        if not gid:
            raise MissingGlyph(self.key, ch)
        if self.frozen:
            raise RuntimeError(f"document already written; cannot add {ch!r} to {self.key!r}")
        if gid not in self.width:
            self.width[gid] = round(self.face.advances[gid] * self.scale, 3)
            self.chars_of[gid] = []
        chars = self.chars_of[gid]
        chars.append(ch)
        e = self.enc[ch] = ("%04X" % gid, self.width[gid], len(chars) - 1)
        return e

    def rollback(self, n_width: int, n_enc: int) -> None:
        """Forget glyphs and characters added after the given counts (dicts keep order)."""
        for ch in reversed(list(self.enc)[n_enc:]):
            code, _, _ = self.enc.pop(ch)
            self.chars_of[int(code, 16)].pop()      # added last, so it stands last
        for gid in list(self.width)[n_width:]:
            del self.width[gid]
            del self.chars_of[gid]

    # Layers. A glyph several characters are drawn with (一 U+4E00 and the Kangxi radical
    # ⼀ U+2F00 are one glyph in Noto CJK) cannot map back to each of them through one
    # ToUnicode CMap. Layer k is a Type0 font of its own, sharing the descendant CIDFont and
    # font program, whose ToUnicode maps each glyph to the k-th character drawn with it; a
    # character is drawn in its layer, so every one reads back as itself. Most documents
    # need layer 0 only.
    def layers(self) -> int:
        return max((len(c) for c in self.chars_of.values()), default=1)

    def layer_name(self, doc, layer: int) -> str:
        """The resource name of a layer (layer 0: the font's own), allocated on first use."""
        if layer == 0:
            return self.resname
        while len(self.layer_names) < layer:
            name = f"{self.fontName}:layer{len(self.layer_names) + 1}"
            doc.fontMapping[name] = "/F%d" % (len(doc.fontMapping) + 1)
            self.layer_names.append(doc.fontMapping[name][1:])
        return self.layer_names[layer - 1]

    def _tables(self) -> tuple[tuple[float, str], list[bytes]]:
        """What the font's objects hold besides the program: (/DW, /W) and each layer's
        ToUnicode CMap, compressed (what a Flate filter makes of it when the file is written)."""
        gids = sorted(self.width)
        cmaps = [zlib.compress(_to_unicode_cmap([(g, self.chars_of[g][layer]) for g in gids
                                                 if len(self.chars_of[g]) > layer]))
                 for layer in range(len(self.layer_names) + 1)]
        return _widths([(g, self.width[g]) for g in gids]), cmaps

    def prepare_tables(self) -> None:
        """Make the tables now, once every glyph is drawn: the print file does it while the
        subset worker still works, so that the file waits for the programs only."""
        self._prepared = ((len(self.width), len(self.enc), len(self.layer_names)), self._tables())

    # reportlab calls this from PDFDocument.GetPDFData (doc.delayedFonts)
    def addObjects(self, doc) -> None:
        self.frozen = True
        if not self.width or self.resname is None:
            return
        face = self.face
        gids = sorted(self.width)
        tag = _subset_tag(face, gids)
        psname = _pdf_name_part(face.postscript_name)
        base = f"{tag}+{psname}"
        program: FontProgram = self.programs.program(self.key, gids)
        if program.glyph_count != len(face.advances):
            raise RuntimeError(f"{face.path} changed since its metrics were read")
        old_to_new = program.old_to_new
        flags, weight = _flags(face, program), program.weight
        ids = f"kecheng:{self.resname}:{tag}"

        stem_v = None
        if face.is_cff:
            # read from the face's cache entry; that HarfBuzz's subsets keep CID == GID (so the
            # content stream's codes are the original gids) is asserted by the tests with
            # _cff_facts / _check_cff_charset on the shipped faces
            ros, stem_v = face.cff_ros, face.cff_stem_v
            if ros is None:
                raise NotImplementedError(
                    f"{face.path.name}: name-keyed CFF is not supported (need a CID-keyed CFF)")
            registry, ordering, supplement = ros
        else:
            registry, ordering, supplement = "Adobe", "Identity", 0
        if not stem_v:
            # the usual estimate from the weight class (no stem hints in glyf)
            stem_v = 50 + int((weight / 65.0) ** 2)

        # compressed already (subsets.make_program): reportlab applies no filter to a
        # stream whose dictionary names one
        prog = pdfdoc.PDFStream(pdfdoc.PDFDictionary({"Filter": "/FlateDecode"}), program.flate, filters=None)
        if face.is_cff:
            prog.dictionary["Subtype"] = "/CIDFontType0C"
        else:
            prog.dictionary["Length1"] = program.length
        prog_ref = doc.Reference(prog, ids + ":fontfile")

        s = self.scale
        bbox = face.bbox
        descriptor = pdfdoc.PDFDictionary({
            "Type": "/FontDescriptor",
            "FontName": "/" + base,
            "Flags": flags,
            "FontBBox": pdfdoc.PDFArrayCompact([round(v * s) for v in bbox]),
            "ItalicAngle": face.italic_angle,
            "Ascent": round(face.ascender * s),
            "Descent": round(face.descender * s),
            "CapHeight": round(face.cap_height * s),
            "StemV": int(stem_v),
            ("FontFile3" if face.is_cff else "FontFile2"): prog_ref,
        })
        desc_ref = doc.Reference(descriptor, ids + ":descriptor")

        state, tables = self._prepared or (None, None)
        if tables is None or state != (len(self.width), len(self.enc), len(self.layer_names)):
            tables = self._tables()
        (dw, w), cmaps = tables
        cid_font = pdfdoc.PDFDictionary({
            "Type": "/Font",
            "Subtype": "/CIDFontType0" if face.is_cff else "/CIDFontType2",
            "BaseFont": "/" + base,
            "CIDSystemInfo": pdfdoc.PDFDictionary({
                "Registry": pdfdoc.PDFString(registry),
                "Ordering": pdfdoc.PDFString(ordering),
                "Supplement": int(supplement),
            }),
            "FontDescriptor": desc_ref,
            "DW": dw,
            "W": w,
        })
        cid_font.multiline = False
        if not face.is_cff:
            top = gids[-1]
            table = bytearray(2 * (top + 1))
            for g in gids:
                table[2 * g:2 * g + 2] = old_to_new[g].to_bytes(2, "big")
            cmap = pdfdoc.PDFStream(content=bytes(table), filters=[pdfdoc.PDFZCompress])
            cid_font["CIDToGIDMap"] = doc.Reference(cmap, ids + ":cidtogid")
        cid_ref = doc.Reference(cid_font, ids + ":cidfont")

        for layer in range(len(self.layer_names) + 1):
            resname = self.layer_name(doc, layer)
            suffix = f":layer{layer}" if layer else ""
            to_unicode = pdfdoc.PDFStream(pdfdoc.PDFDictionary({"Filter": pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])}),
                                          cmaps[layer], filters=None)
            tu_ref = doc.Reference(to_unicode, ids + ":tounicode" + suffix)

            type0 = pdfdoc.PDFDictionary({
                "Type": "/Font",
                "Subtype": "/Type0",
                # PDF 32000 9.7.6.1: for a CIDFontType0 descendant, BaseFont is
                # the CIDFont name, a hyphen and the CMap name.
                "BaseFont": "/" + (base + "-Identity-H" if face.is_cff else base),
                "Encoding": "/Identity-H",
                "DescendantFonts": pdfdoc.PDFArrayCompact([cid_ref]),
                "ToUnicode": tu_ref,
            })
            type0_ref = doc.Reference(type0, ids + ":type0" + suffix)
            doc.idToObject[pdfdoc.BasicFonts].dict[resname] = type0_ref


def _check_cff_charset(face: Face, gids, old_to_new, cids) -> None:
    """The content stream's codes are the original gids; for a CIDFontType0 they
    are read as CIDs through the subset's charset.  Make sure they agree."""
    for g in gids:
        new = old_to_new.get(g)
        if new is None or new >= len(cids) or cids[new] != g:
            raise RuntimeError(
                f"{face.path.name}: subset charset maps glyph {g} to CID "
                f"{None if new is None or new >= len(cids) else cids[new]}; this embedder "
                "needs CID == GID in the original CFF (true for Noto CJK)")


# --------------------------------------------------------------------------- public API

class FontEmbedder:
    """Draws text in the given faces on one reportlab canvas and embeds subsets.

    One embedder serves one canvas (one document); ``attach`` it right after
    creating the canvas.
    """

    def __init__(self, faces: Mapping[str, Face], programs: SubsetJob | None = None):
        """`programs`: font programs made ahead (subsets.start); without it each face is
        subset when the document is written."""
        self._faces = dict(faces)
        self._programs = programs if programs is not None else SubsetJob(self._faces)
        self._fonts: dict[str, _DocFont] = {}
        self._doc = None

    @staticmethod
    def prepare() -> None:
        """Register the placeholder font with reportlab, for callers that prefer
        ``Canvas(..., initialFontName=NO_INITIAL_FONT)`` (attach does it too)."""
        _ensure_no_font_registered()

    def attach(self, canvas) -> None:
        doc = canvas._doc
        if self._doc is not None and self._doc is not doc:
            raise RuntimeError("this FontEmbedder is already attached to another canvas")
        other = getattr(doc, "_kecheng_embedder", None)
        if other is not None and other is not self:
            raise RuntimeError("another FontEmbedder is already attached to this canvas")
        if hasattr(canvas, "_make_preamble"):     # a reportlab Canvas (the proofs use one)
            _ensure_no_font_registered()
            _drop_initial_font(canvas)
        doc._kecheng_embedder = self
        self._doc = doc

    def _font(self, key: str) -> _DocFont:
        font = self._fonts.get(key)
        if font is None:
            try:
                face = self._faces[key]
            except KeyError:
                raise KeyError(f"unknown face key {key!r}; known: {sorted(self._faces)}") from None
            font = self._fonts[key] = _DocFont(key, face, self._programs)
        return font

    def _register(self, font: _DocFont) -> None:
        doc = self._doc
        font.resname = "F%d" % (len(doc.fontMapping) + 1)
        doc.fontMapping[font.fontName] = "/" + font.resname
        doc.delayedFonts.append(font)

    def draw_glyphs(self, canvas, key: str, size: float, y: float,
                    glyphs: Sequence[tuple[str, float]]) -> None:
        """Draw one line: (character, x of its origin in pt) pairs on baseline ``y``.

        One ``BT /Fn size Tf x0 y Td [...] TJ ET``; the TJ numbers put every
        glyph at its x to well under 0.001 pt (rounding does not accumulate).
        Raises MissingGlyph before writing anything if a character is missing.
        """
        if canvas._doc is not self._doc:
            raise RuntimeError("draw_glyphs on a canvas this FontEmbedder is not attached to")
        if not glyphs:
            return
        font = self._fonts.get(key) or self._font(key)
        enc = font.enc
        sz = _num(size)
        k = 1000.0 / float(sz)  # TJ units per pt
        out: list[str] = []
        run: list[str] = []
        marks = (len(font.width), len(enc))
        switches: list[tuple[int, int]] = []      # (index in out, layer) where the layer changes
        try:
            it = iter(glyphs)
            ch, x = next(it)
            e = enc.get(ch) or font.encode(ch)
            x0 = _num(x)
            first = layer = e[2]
            run.append(e[0])
            pen = float(x0) + e[1] / k
            for ch, x in it:
                e = enc.get(ch) or font.encode(ch)
                if e[2] != layer:                 # another layer: end this TJ, set its font
                    if run:
                        out.append("<" + "".join(run) + ">")
                        run.clear()
                    layer = e[2]
                    switches.append((len(out), layer))
                    out.append("")
                d = (pen - x) * k
                if -0.0004 < d < 0.0004:      # rounds to 0.000: the common case, no formatting
                    run.append(e[0])
                    pen += e[1] / k
                    continue
                s = "%.3f" % d
                adj = float(s)
                if adj:
                    if run:
                        out.append("<" + "".join(run) + ">")
                        run.clear()
                    out.append(s.rstrip("0").rstrip("."))
                    pen -= adj / k
                run.append(e[0])
                pen += e[1] / k
        except MissingGlyph:
            font.rollback(*marks)  # the line is not drawn: forget its new glyphs
            raise
        out.append("<" + "".join(run) + ">")
        if font.resname is None:
            self._register(font)
        for at, layer in switches:
            out[at] = f"] TJ /{font.layer_name(self._doc, layer)} {sz} Tf ["
        canvas._code.append(f"BT /{font.layer_name(self._doc, first)} {sz} Tf {x0} {_num(y)} Td "
                            f"[{''.join(out)}] TJ ET")

    def prepare_tables(self) -> None:
        """Each font's tables made ahead of the file (_DocFont.prepare_tables)."""
        for font in self._fonts.values():
            font.prepare_tables()

    def used(self) -> Mapping[str, int]:
        """Face key -> number of distinct glyphs drawn (0 for faces not used)."""
        return {k: (len(self._fonts[k].width) if k in self._fonts else 0) for k in self._faces}
