"""A small, strict reader for classic-xref PDFs: the files this engine writes (reportlab, PDF 1.3
to 1.6, xref tables, Flate streams), and other simple files built the same way.

It reads what the preflight needs and nothing else: the header version, the xref table(s) and
trailer (following /Prev), objects on demand, stream data (no filter, /FlateDecode,
/ASCII85Decode, /ASCIIHexDecode), the page tree with inherited attributes, and content streams
as (operands, operator) pairs. It imports only the standard library (pypdf costs ~50 ms to
import for ~10 ms of reading).

Strict means it refuses rather than guesses: a cross-reference stream or an object stream
(PDF 1.5), an xref offset that does not point at the object it names, a stream whose /Length
does not end at ``endstream``, a filter or predictor it does not know, or a syntax error all
raise :class:`PdfReadError`. There is no repair of broken files.

PDF objects as Python values:

=====================  ==========================================================
null                   ``None``
true / false           ``True`` / ``False``
integer / real         ``int`` / ``float``
name                   :class:`Name`, a ``str`` with its slash: ``"/Type"`` (#xx decoded)
string (literal, hex)  ``bytes`` (escapes decoded); :func:`text` decodes a text string
array                  ``list``
dictionary             ``dict`` keyed by :class:`Name`
stream                 :class:`Stream`, a ``dict`` with ``.raw`` and ``.data`` (decoded)
indirect reference     :class:`Ref`; :meth:`PdfFile.resolve` follows it
=====================  ==========================================================

In a content stream an inline image is one operation: operator ``b"BI"``, operands
``[settings dict, image bytes]``.
"""
from __future__ import annotations

import re
import zlib
from collections.abc import Iterator

__all__ = ["PdfReadError", "Name", "Ref", "Stream", "PdfFile", "content_ops", "decode_stream", "text",
           "parse_object"]


class PdfReadError(ValueError):
    """The file is not a PDF this reader can read (malformed, or a feature it refuses)."""


class Name(str):
    """A PDF name, spelt with its leading slash: ``Name("/Type") == "/Type"``."""
    __slots__ = ()


class Ref:
    """An indirect reference ``num gen R``."""
    __slots__ = ("num", "gen")

    def __init__(self, num: int, gen: int = 0):
        self.num, self.gen = num, gen

    def __eq__(self, other):
        return isinstance(other, Ref) and other.num == self.num and other.gen == self.gen

    def __hash__(self):
        return hash((Ref, self.num, self.gen))

    def __repr__(self):
        return f"Ref({self.num}, {self.gen})"


class Stream(dict):
    """A stream: its dictionary (this dict), the bytes as stored (``raw``) and decoded (``data``)."""
    __slots__ = ("raw", "_doc", "_data")

    def __init__(self, d: dict, raw: bytes, doc: "PdfFile | None" = None):
        super().__init__(d)
        self.raw, self._doc, self._data = raw, doc, None

    @property
    def data(self) -> bytes:
        if self._data is None:
            self._data = decode_stream(self, self._doc)
        return self._data


# --------------------------------------------------------------------------- tokens

_REGULAR = rb"[^\x00\t\n\x0c\r ()<>\[\]{}/%]"
_TOKEN = re.compile(                                 # one token after any white space
    rb"[\x00\t\n\x0c\r ]*+(?:"
    rb"([+-]?(?:\d+\.?\d*|\.\d+))"                  # 1 number
    rb"|(" + _REGULAR + rb"++)"                      # 2 keyword (operator, true, obj, R, ...)
    rb"|(/" + _REGULAR + rb"*+)"                     # 3 name
    rb"|<([0-9A-Fa-f\x00\t\n\x0c\r ]*+)>"            # 4 hex string
    rb"|(<<|>>|\[|\])"                               # 5 delimiter
    rb"|\(((?:[^\\()]++|\\.)*+)\)"                   # 6 literal string without nested parentheses
    rb"|(\()"                                        # 7 any other literal string (nested, or broken)
    rb"|(%[^\r\n]*+)"                                # 8 comment
    rb"|(.))",                                       # 9 anything else: an error
    re.S)
_ESC = re.compile(rb"\\(?:([0-7]{1,3})|(\r\n|\r|\n)|(.))|(\r\n?)", re.S)
_ESC_MAP = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
_LIT_SPECIAL = re.compile(rb"[\\()]")
_HEX_WS = re.compile(rb"[\x00\t\n\x0c\r ]+")
_NAME_ESC = re.compile(rb"#([0-9A-Fa-f]{2})")
_KEYWORD_VALUES = {b"true": True, b"false": False, b"null": None}
_names: dict[bytes, Name] = {}


def _esc(m: re.Match) -> bytes:
    octal, eol, ch, raw_eol = m.groups()
    if octal is not None:
        return bytes((int(octal, 8) & 0xFF,))           # high-order overflow is ignored
    if eol is not None:
        return b""                                       # an escaped end of line: nothing
    if raw_eol is not None:
        return b"\n"                                    # an end of line in a string reads as \n
    return _ESC_MAP.get(ch, ch)                          # \( \) \\ are themselves; unknown: backslash dropped


def _unescape(s: bytes) -> bytes:
    if b"\\" in s or b"\r" in s:
        return _ESC.sub(_esc, s)
    return s


def _literal(data: bytes, start: int) -> tuple[bytes, int]:
    """The literal string whose body starts at `start` (after its '('), and the offset after it."""
    depth, i = 1, start
    while True:
        m = _LIT_SPECIAL.search(data, i)
        if m is None:
            raise PdfReadError(f"unterminated string at offset {start - 1}")
        c = data[m.start()]
        if c == 0x5C:           # backslash: skip the escaped byte
            i = m.start() + 2
            continue
        depth += 1 if c == 0x28 else -1
        if depth == 0:
            return _unescape(data[start:m.start()]), m.end()
        i = m.end()


def _name(raw: bytes) -> Name:
    n = _names.get(raw)
    if n is None:
        b = _NAME_ESC.sub(lambda m: bytes.fromhex(m.group(1).decode()), raw) if b"#" in raw else raw
        try:
            s = b.decode("utf-8")
        except UnicodeDecodeError:
            s = b.decode("latin-1")
        n = Name(s)
        if len(_names) < 50_000:
            _names[raw] = n
    return n


def _hex(body: bytes) -> bytes:
    try:
        return bytes.fromhex(body.decode("latin-1"))     # skips white space but NUL
    except ValueError:
        pass
    body = _HEX_WS.sub(b"", body)
    if len(body) % 2:
        body += b"0"
    return bytes.fromhex(body.decode("ascii"))


def _close_dict(items: list, at: int) -> dict:
    if len(items) % 2:
        raise PdfReadError(f"dictionary with an odd number of entries before offset {at}")
    d = {}
    for i in range(0, len(items), 2):
        k = items[i]
        if not isinstance(k, Name):
            raise PdfReadError(f"dictionary key {k!r} is not a name (before offset {at})")
        d[k] = items[i + 1]
    return d


_SPECIAL = frozenset((b"true", b"false", b"null", b"R", b"BI", b"ID"))


def _scan(data: bytes, pos: int = 0, ends: list | None = None) -> Iterator[tuple[list, bytes]]:
    """(values, keyword) for every keyword at the top level from `pos`: the values before it
    (arrays, dictionaries and ``n g R`` built) and the keyword; the offset after each keyword is
    appended to `ends` if given. An inline image (``BI … ID data EI``) comes as
    ``([settings, data], b"BI")``."""
    top: list = []
    cur = top
    stack: list[tuple[list, bytes]] = []     # (parent, opening delimiter) of each open container
    inline = -1                              # offset after a BI whose ID is still to come
    n = len(data)
    while pos < n:
        restart = None
        for m in _TOKEN.finditer(data, pos):
            i = m.lastindex
            if i == 1:                                       # number
                t = m[1]
                cur.append(float(t) if b"." in t else int(t))
            elif i == 2:                                     # keyword
                t = m[2]
                if t not in _SPECIAL and cur is top and inline < 0:
                    if ends is not None:
                        ends.append(m.end())
                    yield top, t
                    top = cur = []
                elif t in _KEYWORD_VALUES:
                    cur.append(_KEYWORD_VALUES[t])
                elif t == b"R" and len(cur) >= 2 and type(cur[-1]) is int and type(cur[-2]) is int:
                    cur[-2:] = [Ref(cur[-2], cur[-1])]
                elif cur is not top:
                    raise PdfReadError(f"keyword {t.decode('latin-1')!r} inside an array or dictionary "
                                       f"at offset {m.start(2)}")
                elif t == b"BI" and inline < 0:
                    if top:
                        raise PdfReadError(f"operands before BI at offset {m.start(2)}")
                    inline = m.end()
                elif t == b"ID" and inline >= 0:
                    settings = _close_dict(top, m.start(2))
                    img, restart = _inline_image(data, m.end() + 1, settings)   # one white-space byte after ID
                    top = cur = []
                    inline = -1
                    if ends is not None:
                        ends.append(restart)
                    yield [settings, img], b"BI"
                    break
                else:
                    raise PdfReadError(f"unexpected {t.decode('latin-1')!r} at offset {m.start(2)}")
            elif i == 4:                                     # hex string
                cur.append(_hex(m[4]))
            elif i == 3:                                     # name
                t = m[3]
                nm = _names.get(t)
                cur.append(nm if nm is not None else _name(t))
            elif i == 5:                                     # [ ] << >>
                d = m[5]
                if d == b"[" or d == b"<<":
                    stack.append((cur, d))
                    cur = []
                else:
                    if not stack or stack[-1][1] != (b"[" if d == b"]" else b"<<"):
                        raise PdfReadError(f"unbalanced {d.decode()} at offset {m.start(5)}")
                    parent = stack.pop()[0]
                    parent.append(cur if d == b"]" else _close_dict(cur, m.start(5)))
                    cur = parent
            elif i == 6:                                     # literal string
                cur.append(_unescape(m[6]))
            elif i == 7:                                     # literal string with nested parentheses
                s, restart = _literal(data, m.end())
                cur.append(s)
                break
            elif i == 9:
                raise PdfReadError(f"unexpected byte {m[9]!r} at offset {m.start(9)}")
        if restart is None:
            break
        pos = restart
    if stack or inline >= 0:
        raise PdfReadError("unterminated array, dictionary or inline image at the end of the data")
    if top:
        raise PdfReadError(f"{len(top)} operand(s) without an operator at the end of the data")


_INLINE_COMPONENTS = {"/G": 1, "/DeviceGray": 1, "/CMYK": 4, "/DeviceCMYK": 4, "/RGB": 3, "/DeviceRGB": 3, "/I": 1,
                      "/Indexed": 1}
_EI_AFTER = re.compile(rb"[\x00\t\n\x0c\r ]*EI(?=[\x00\t\n\x0c\r ]|$)")
_EI_SEARCH = re.compile(rb"[\x00\t\n\x0c\r ]EI(?=[\x00\t\n\x0c\r ]|$)")


def _inline_image(data: bytes, start: int, s: dict) -> tuple[bytes, int]:
    """The data of an inline image starting at `start`, and the offset after its EI. Its length
    is known when it is given (/L, /Length) or the image is unfiltered with a device, indexed or
    mask colour space; otherwise the data ends at the first EI between white space."""
    length = s.get("/L", s.get("/Length"))
    if type(length) is not int and not s.get("/F", s.get("/Filter")):
        w, h = s.get("/W", s.get("/Width")), s.get("/H", s.get("/Height"))
        if s.get("/IM", s.get("/ImageMask")) is True:
            comps, bpc = 1, 1
        else:
            cs = s.get("/CS", s.get("/ColorSpace"))
            comps = _INLINE_COMPONENTS.get(cs[0] if isinstance(cs, list) and cs else cs)
            bpc = s.get("/BPC", s.get("/BitsPerComponent", 8))
        if all(type(v) is int and v > 0 for v in (w, h, comps, bpc)):
            length = (w * comps * bpc + 7) // 8 * h
    if type(length) is int:
        m = _EI_AFTER.match(data, start + length)
        if m is None:
            raise PdfReadError(f"inline image at offset {start}: no EI after its {length} bytes")
        return data[start:start + length], m.end()
    m = _EI_SEARCH.search(data, start)
    if m is None:
        raise PdfReadError(f"inline image at offset {start} without EI")
    return data[start:m.start()], m.end()


_NUM = rb"[+-]?(?:\d+\.?\d*|\.\d+)"
_SP = rb"[\t\n\x0c\r ]"                               # white space between operands (NUL and comments: slow path)
_SCALAR = (rb"(?:" + _NUM + rb"|/" + _REGULAR + rb"*+|<[0-9A-Fa-f\t\n\x0c\r ]*+>|\((?:[^\\()]++|\\.)*+\)"
           rb"|(?:true|false|null)(?!" + _REGULAR + rb"))")
_FLAT_ARRAY = rb"\[" + _SP + rb"*+(?:" + _SCALAR + _SP + rb"*+)*+\]"
_OPERAND = rb"(?:" + _SCALAR + rb"|" + _FLAT_ARRAY + rb")"     # (dictionaries: the slow path)
_OPERATOR = rb"((?![+\-.0-9])" + _REGULAR + rb"++)"
_OPERATION = re.compile(                 # one operation of scalars and flat arrays
    rb"(?:[\x00\t\n\x0c\r ]++|%[^\r\n]*+)*+"
    rb"((?:" + _NUM + _SP + rb"++)*+)"      # 1 numbers
    rb"(?:" + _OPERATOR +                   # 2 operator after numbers only
    rb"|(?:" + _OPERAND + _SP + rb"*+)++" + _OPERATOR + rb")", re.S)


def content_ops(data: bytes, wanted=None) -> Iterator[tuple[list | None, bytes]]:
    """(operands, operator) of a content stream, in order; an inline image is
    ``([settings, data], b"BI")``.

    `wanted`, if given, is the set of operators whose operands the caller reads (``b"BI"`` for
    inline images): the others come with ``None`` for operands, matched by one regular expression
    (strings, flat arrays and all) without building them, and an operation of numbers only is
    converted straight from its text.
    Anything less simple (dictionaries, nested arrays, strings with parentheses, comments between
    operands, inline images) goes through the full tokenizer, as does every operation without
    `wanted`."""
    if wanted is None:
        yield from _scan(data)
        return
    pos, n = 0, len(data)
    match = _OPERATION.match
    while pos < n:
        m = match(data, pos)
        if m is not None:
            op = m[2]
            if op is not None:
                if op not in _SPECIAL:
                    pos = m.end()
                    yield ([float(t) if b"." in t else int(t) for t in m[1].split()] if op in wanted else None), op
                    continue
            else:
                op = m[3]
                if op not in wanted and op not in _SPECIAL:
                    pos = m.end()
                    yield None, op
                    continue
        ends: list[int] = []
        for values, op in _scan(data, pos, ends):       # one operation, the slow and thorough way
            yield (values if op in wanted else None), op
            break
        else:
            return
        pos = ends[0]


def parse_object(data: bytes) -> object:
    """One direct object from its text, e.g. ``parse_object(b"<</A [1 (x)]>>")`` (for tests and tools)."""
    out = []
    for values, kw in _scan(data + b" endobj"):
        if kw != b"endobj" or len(values) != 1:
            raise PdfReadError(f"not one object: {data[:40]!r}")
        out.append(values[0])
        break
    return out[0]


# --------------------------------------------------------------------------- streams

def _as_list(v) -> list:
    return [] if v is None else v if isinstance(v, list) else [v]


def decode_stream(st: Stream, doc: "PdfFile | None" = None) -> bytes:
    """The stream's data through its filters (`doc` resolves indirect /Filter and /DecodeParms)."""
    R = doc.resolve if doc is not None else (lambda v: v)
    filters = [R(f) for f in _as_list(R(st.get("/Filter")))]
    parms = [R(p) for p in _as_list(R(st.get("/DecodeParms")))]
    data = st.raw
    for i, f in enumerate(filters):
        p = parms[i] if i < len(parms) and isinstance(parms[i], dict) else {}
        if f in ("/FlateDecode", "/Fl"):
            try:
                data = zlib.decompress(data)
            except zlib.error as e:
                raise PdfReadError(f"Flate data cannot be decompressed: {e}") from None
            if R(p.get("/Predictor", 1)) not in (1, None):
                raise PdfReadError(f"Flate predictor {R(p.get('/Predictor'))} is not supported")
        elif f in ("/ASCII85Decode", "/A85"):
            d = _HEX_WS.sub(b"", data)
            if d.startswith(b"<~"):
                d = d[2:]
            end = d.find(b"~>")
            if end < 0:
                raise PdfReadError("ASCII85 data without its ~> end")
            import base64

            try:
                data = base64.a85decode(d[:end])
            except ValueError as e:
                raise PdfReadError(f"bad ASCII85 data: {e}") from None
        elif f in ("/ASCIIHexDecode", "/AHx"):
            end = data.find(b">")
            try:
                data = _hex(data if end < 0 else data[:end])
            except ValueError as e:
                raise PdfReadError(f"bad ASCIIHex data: {e}") from None
        else:
            raise PdfReadError(f"stream filter {f} is not supported")
    return data


# --------------------------------------------------------------------------- text strings

_PDFDOC = {0x16: "\ufffd", 0x18: "\u02d8", 0x19: "\u02c7", 0x1A: "\u02c6", 0x1B: "\u02d9", 0x1C: "\u02dd",
           0x1D: "\u02db", 0x1E: "\u02da", 0x1F: "\u02dc", 0x7F: "\ufffd", 0x9F: "\ufffd", 0xA0: "\u20ac",
           0xAD: "\ufffd"}
_PDFDOC.update(zip(range(0x80, 0x9F), "\u2022\u2020\u2021\u2026\u2014\u2013\u0192\u2044\u2039\u203a\u2212\u2030"
                                      "\u201e\u201c\u201d\u2018\u2019\u201a\u2122\ufb01\ufb02\u0141\u0152\u0160"
                                      "\u0178\u017d\u0131\u0142\u0153\u0161\u017e"))


def text(v) -> str:
    """A text string as ``str`` (UTF-16 with its byte-order mark, UTF-8 with its mark, else
    PDFDocEncoding); None as ""; anything else through ``str``."""
    if not isinstance(v, bytes):
        return "" if v is None else str(v)
    if v[:2] == b"\xfe\xff":
        return v[2:].decode("utf-16-be", "replace")
    if v[:2] == b"\xff\xfe":
        return v[2:].decode("utf-16-le", "replace")
    if v[:3] == b"\xef\xbb\xbf":
        return v[3:].decode("utf-8", "replace")
    return v.decode("latin-1").translate(_PDFDOC)


# --------------------------------------------------------------------------- the file

_STARTXREF = re.compile(rb"startxref[\x00\t\n\x0c\r ]+(\d+)")
_XREF_SUB = re.compile(rb"[\x00\t\n\x0c\r ]*(\d+)[ ]+(\d+)[ ]*(?:\r\n|\r|\n)")
_XREF_ENTRY = re.compile(rb"(\d{10})[ ](\d{5})[ ]([nf])[ ]?(?:\r\n|\r|\n)")
_TRAILER = re.compile(rb"[\x00\t\n\x0c\r ]*trailer")
_OBJ_HEAD = re.compile(rb"(\d+)[\x00\t\n\x0c\r ]+(\d+)[\x00\t\n\x0c\r ]+obj")
_STREAM_EOL = re.compile(rb"\r\n|\n|\r")
_ENDSTREAM = re.compile(rb"[\x00\t\n\x0c\r ]*endstream")
_ENDOBJ = re.compile(rb"[\x00\t\n\x0c\r ]*endobj")
_HEADER = re.compile(rb"%PDF-(\d)\.(\d)")
_MISSING, _PARSING = object(), object()


class PdfFile:
    """A classic-xref PDF held in memory; objects are parsed when first asked for."""

    def __init__(self, data: bytes):
        self.data = data = bytes(data)
        m = _HEADER.match(data)
        if m is None:
            raise PdfReadError(f"not a PDF: the file starts with {data[:8]!r}")
        self.version = (int(m.group(1)), int(m.group(2)))
        self.xref: dict[int, tuple[int, int] | None] = {}   # num -> (offset, gen), None if free
        self.trailer: dict = {}
        self._cache: dict[int, object] = {}
        self._read_xref()

    @classmethod
    def open(cls, path) -> "PdfFile":
        with open(path, "rb") as f:
            return cls(f.read())

    # -- structure --------------------------------------------------------
    def _read_xref(self) -> None:
        data = self.data
        at = data.rfind(b"startxref", max(0, len(data) - 1100))
        m = _STARTXREF.match(data, at) if at >= 0 else None
        if m is None:
            raise PdfReadError("no startxref at the end of the file")
        off: int | None = int(m.group(1))
        seen: set[int] = set()
        while off is not None:
            if off in seen or off >= len(data):
                raise PdfReadError(f"bad xref offset {off}")
            seen.add(off)
            if not data.startswith(b"xref", off):
                if _OBJ_HEAD.match(data, off):
                    raise PdfReadError("the file uses a cross-reference stream (PDF 1.5 and later); "
                                       "this reader reads xref tables only")
                raise PdfReadError(f"no xref table at offset {off}")
            pos = off + 4
            while True:
                m = _XREF_SUB.match(data, pos)
                if m is None:
                    break
                start, count = int(m.group(1)), int(m.group(2))
                pos = m.end()
                for num in range(start, start + count):
                    e = _XREF_ENTRY.match(data, pos)
                    if e is None:
                        raise PdfReadError(f"bad xref entry at offset {pos}")
                    pos = e.end()
                    if num not in self.xref:           # a later update wins
                        self.xref[num] = (int(e.group(1)), int(e.group(2))) if e.group(3) == b"n" else None
            t = _TRAILER.match(data, pos)
            if t is None:
                raise PdfReadError(f"no trailer after the xref table at offset {off}")
            values, kw = next(_scan(data, t.end()), ([], None))
            if kw != b"startxref" or len(values) != 1 or not isinstance(values[0], dict):
                raise PdfReadError(f"bad trailer at offset {t.start()}")
            trailer = values[0]
            if "/XRefStm" in trailer:
                raise PdfReadError("the file is a hybrid with a cross-reference stream (/XRefStm); "
                                   "this reader reads xref tables only")
            for k, v in trailer.items():               # a later update wins
                self.trailer.setdefault(k, v)
            prev = trailer.get("/Prev")
            off = prev if type(prev) is int else None

    # -- objects ----------------------------------------------------------
    def get(self, num: int, gen: int = 0) -> object:
        """The object `num gen` (None if it is free)."""
        obj = self._cache.get(num, _MISSING)
        if obj is _PARSING:
            raise PdfReadError(f"object {num} {gen} refers to itself (its stream /Length?)")
        if obj is not _MISSING:
            return obj if self.xref[num][1] == gen else None
        if num not in self.xref:
            raise PdfReadError(f"object {num} {gen} R is not in the xref table")
        entry = self.xref[num]
        if entry is None or entry[1] != gen:
            return None
        self._cache[num] = _PARSING
        try:
            obj = self._parse_at(num, *entry)
        finally:
            del self._cache[num]
        self._cache[num] = obj
        return obj

    def _parse_at(self, num: int, off: int, gen: int) -> object:
        data = self.data
        m = _OBJ_HEAD.match(data, off)
        if m is None or int(m.group(1)) != num or int(m.group(2)) != gen:
            raise PdfReadError(f"the xref offset {off} of object {num} {gen} does not point at it")
        ends: list[int] = []
        values, kw = next(_scan(data, m.end(), ends), ([], None))
        end = ends[0] if ends else len(data)
        if kw not in (b"endobj", b"stream") or len(values) != 1:
            raise PdfReadError(f"object {num} {gen} is malformed ({len(values)} values, then {kw!r})")
        obj = values[0]
        if kw == b"endobj":
            return obj
        if not isinstance(obj, dict):
            raise PdfReadError(f"object {num} {gen}: stream without a dictionary")
        e = _STREAM_EOL.match(data, end)
        if e is None:
            raise PdfReadError(f"object {num} {gen}: no end of line after 'stream'")
        start = e.end()
        length = self.resolve(obj.get("/Length"))
        if type(length) is not int or length < 0:
            raise PdfReadError(f"object {num} {gen}: stream /Length is {length!r}")
        stop = start + length
        t = _ENDSTREAM.match(data, stop)
        if t is None or _ENDOBJ.match(data, t.end()) is None:
            raise PdfReadError(f"object {num} {gen}: /Length {length} does not end at 'endstream'")
        if obj.get("/Type") in ("/ObjStm", "/XRef"):
            raise PdfReadError(f"object {num} {gen} is {obj['/Type'][1:]} stream (PDF 1.5 and later); "
                               "this reader does not read them")
        return Stream(obj, data[start:stop], self)

    def resolve(self, v):
        """`v`, with an indirect reference (or a chain of them) followed."""
        hops = 0
        while type(v) is Ref:
            v = self.get(v.num, v.gen)
            hops += 1
            if hops > 32:
                raise PdfReadError("a loop of indirect references")
        return v

    def objects(self) -> Iterator[tuple[int, int, object]]:
        """(num, gen, object) of every object in use, by number."""
        for num in sorted(self.xref):
            entry = self.xref[num]
            if entry is not None:
                yield num, entry[1], self.get(num, entry[1])

    # -- document ---------------------------------------------------------
    @property
    def encrypted(self) -> bool:
        return "/Encrypt" in self.trailer

    @property
    def root(self) -> dict:
        root = self.resolve(self.trailer.get("/Root"))
        if not isinstance(root, dict):
            raise PdfReadError("the trailer has no /Root catalog")
        return root

    @property
    def info(self) -> dict:
        info = self.resolve(self.trailer.get("/Info"))
        return info if isinstance(info, dict) else {}

    _INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")

    def pages(self) -> list[dict]:
        """The page dictionaries in order, with the inheritable attributes (/Resources, /MediaBox,
        /CropBox, /Rotate) of their ancestors filled in (on a copy)."""
        out: list[dict] = []
        seen: set[int] = set()

        def walk(node, inherited: dict) -> None:
            node = self.resolve(node)
            if not isinstance(node, dict) or id(node) in seen:
                raise PdfReadError("the page tree is malformed (not a dictionary, or a loop)")
            seen.add(id(node))
            kids = self.resolve(node.get("/Kids"))
            if kids is not None and node.get("/Type") != "/Page":
                inh = dict(inherited)
                inh.update((k, node[k]) for k in self._INHERITED if k in node)
                for kid in kids:
                    walk(kid, inh)
            else:
                missing = [k for k in inherited if k not in node]
                if missing:
                    node = dict(node)
                    node.update((k, inherited[k]) for k in missing)
                out.append(node)

        walk(self.root.get("/Pages"), {})
        return out

    def contents(self, page: dict) -> bytes:
        """The page's content stream(s), decoded (and joined by a newline if several)."""
        c = self.resolve(page.get("/Contents"))
        if c is None:
            return b""
        if isinstance(c, Stream):
            return c.data
        if isinstance(c, list):
            parts = []
            for s in c:
                s = self.resolve(s)
                if s is None:
                    continue
                if not isinstance(s, Stream):
                    raise PdfReadError("page /Contents holds something other than streams")
                d = s.data
                parts.append(d if d.endswith(b"\n") else d + b"\n")
            return b"".join(parts)
        raise PdfReadError("page /Contents is neither a stream nor an array")

