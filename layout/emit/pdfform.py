"""A supplied one-page PDF (a PDF ad) as a form XObject of the print file: vector, as supplied.

The page is read with pypdf (``load.pdfpage``); its content streams become the form's stream
and its resources are copied object by object into the reportlab document, every indirect
object once (a font or image the ad uses twice is written once; the same file on two pages is
one form). The form's BBox is the page's TrimBox (else CropBox, else MediaBox) and its Matrix
turns the page by its /Rotate and puts the box's lower left corner at the origin, so drawing
the form with ``w 0 0 h x y cm`` (w, h the printed size) places exactly the ad. Nothing of
the file's document level (its Info, output intent, annotations, page /Group) comes along:
the print file's own PDF/X identification stands for the whole page.
"""
from __future__ import annotations

import hashlib
import io
import zlib
from pathlib import Path

from reportlab.pdfbase import pdfdoc

from ..load.pdfpage import _quiet, open_page, page_box, page_size, rotation

_SKIP = ("/Parent", "/Annots", "/PieceInfo", "/Metadata")   # not drawn, or the page tree


class _Tokens(pdfdoc.PDFObject):
    """A direct PDF value, already serialised, with the references it holds formatted late."""

    def __init__(self, parts: list):
        self.parts = parts

    def format(self, document):
        return b"".join(p if isinstance(p, bytes) else p.format(document) for p in self.parts)


class _Stream(pdfdoc.PDFObject):
    __RefOnly__ = 1

    def __init__(self, head: list, data: bytes):
        self.head, self.data = head, data

    def format(self, document):
        data = document.encrypt.encode(self.data)
        head = _Tokens(self.head + [b"/Length %d>>" % len(data)]).format(document)
        return head + b"\nstream\n" + data + b"\nendstream\n"


class _Copier:
    """pypdf objects -> reportlab objects, each indirect object registered once under a name
    made from the file's digest and its object number (the same file gives the same names)."""

    def __init__(self, doc, prefix: str):
        self.doc, self.prefix = doc, prefix

    def leaf(self, v) -> bytes:
        buf = io.BytesIO()
        v.write_to_stream(buf)
        return buf.getvalue()

    def ref(self, ind) -> pdfdoc.PDFObjectReference:
        name = f"{self.prefix}o{ind.idnum}g{ind.generation}"
        if name not in self.doc.idToObject:
            self.doc.idToObject[name] = None                    # taken: a cycle ends here
            obj = ind.get_object()
            value = self.stream(obj) if _is_stream(obj) else _Tokens(self.parts(obj))
            del self.doc.idToObject[name]
            self.doc.Reference(value, name)
        return pdfdoc.PDFObjectReference(name)

    def parts(self, v) -> list:
        from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

        if isinstance(v, IndirectObject):
            return [b" ", self.ref(v), b" "]
        if _is_stream(v):               # a direct stream cannot be: PDF streams are indirect
            raise ValueError("a stream inside another object")
        if isinstance(v, DictionaryObject):
            out = [b"<<"]
            for k in sorted(v):
                if k in _SKIP:
                    continue
                out += [self.leaf(k), b" "] + self.parts(v.raw_get(k)) + [b"\n"]
            return out + [b">>"]
        if isinstance(v, ArrayObject):
            out = [b"["]
            for x in v:
                out += self.parts(x) + [b" "]
            return out + [b"]"]
        return [self.leaf(v)]

    def dict_parts(self, d, drop=()) -> list:
        out = [b"<<"]
        for k in sorted(d):
            if k in _SKIP or k in drop:
                continue
            out += [self.leaf(k), b" "] + self.parts(d.raw_get(k)) + [b"\n"]
        return out

    def stream(self, s) -> _Stream:
        from pypdf.generic import EncodedStreamObject

        if isinstance(s, EncodedStreamObject):          # kept as encoded, with its filters
            return _Stream(self.dict_parts(s, ("/Length",)), s._data)
        return _Stream(self.dict_parts(s, ("/Length", "/Filter", "/DecodeParms")), s.get_data())


def _is_stream(v) -> bool:
    from pypdf.generic import StreamObject

    return isinstance(v, StreamObject)


def _matrix(rot: int, box: tuple[float, float, float, float]) -> tuple[float, ...]:
    """Form space (the page's) -> the printed ad, its lower left corner at 0 0, turned clockwise
    by /Rotate as a viewer shows it."""
    x0, y0, x1, y1 = box
    return {0: (1, 0, 0, 1, -x0, -y0), 90: (0, -1, 1, 0, -y0, x1),
            180: (-1, 0, 0, -1, x1, y1), 270: (0, 1, -1, 0, y1, -x0)}[rot]


def _num(v: float) -> bytes:
    return (f"{v:.4f}".rstrip("0").rstrip(".") or "0").encode("ascii")


def form_xobject(canvas, path: Path) -> tuple[str, tuple[float, float]]:
    """The form XObject for the PDF at ``path`` (registered once per file content) and its
    printed size in pt. Raises PdfPageError (load.pdfpage) when the file cannot be read."""
    data = Path(path).read_bytes()
    digest = hashlib.sha1(data).hexdigest()[:16]
    doc = canvas._doc
    name = "kcpdf" + digest
    reg = doc.getXObjectName(name)
    _, page = open_page(Path(path), parse=False)      # the page keeps its reader
    size = page_size(page)
    if reg not in doc.idToObject:
        with _quiet():
            _, box = page_box(page)
            copier = _Copier(doc, "kcpdf" + digest)
            contents = page.get_contents()
            body = contents.get_data() if contents is not None else b""
            head = [b"<</Type /XObject /Subtype /Form /FormType 1 /BBox [",
                    b" ".join(_num(v) for v in box), b"] /Matrix [",
                    b" ".join(_num(v) for v in _matrix(rotation(page), box)), b"] /Filter /FlateDecode"]
            res = page.get("/Resources")
            if res is not None:
                head += [b" /Resources "] + copier.parts(page.raw_get("/Resources"))
            doc.Reference(_Stream(head + [b"\n"], zlib.compress(body, 6)), reg)
    if name not in canvas._formsinuse:
        canvas._formsinuse.append(name)
    return reg, size
