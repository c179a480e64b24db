"""Font faces: the plain metrics the pipeline needs, read once and cached on disk.

A :class:`Face` holds what composition and emission need from a font file:
the cmap (codepoint -> glyph id), the advance of every glyph, and the handful
of global metrics a PDF font descriptor wants.  Nothing here draws or embeds;
see :mod:`layout.emit.cidfont` for that.

Reading a 25 MB CJK face is done with HarfBuzz (about 20 ms cold; fontTools
takes about 150 ms for the same cmap and hmtx).  The result is cached per font
file in the user's cache directory (never in the repository):

    $KECHENG_CACHE_DIR            if set, else
    $XDG_CACHE_HOME/kecheng-layout, else
    ~/.cache/kecheng-layout

A cache entry is named after the file's stem and a hash of its size and the
font's own checksums (its table directory with a checksum per table, and
head.checkSumAdjustment, the whole file's): a font changed in place misses the
cache, a copy of it elsewhere hits, and no run hashes 25 MB (sha256 of such a
file costs about 16 ms; reading the checksums, one small read).  The entry
records the file's sha256, computed when the entry was built.  Entries carry a CRC32 of their payload; an unreadable, short
or corrupt entry is ignored and silently rebuilt.  Writes go to a temporary
file in the same directory followed by ``os.replace``, so readers never see a
half-written entry.  Loading a cached face costs about 5 ms (building the cmap
dict dominates).

Before an entry is built the file is checked whole (:func:`check_font_file`): every table
the pipeline needs present, outlines (CFF or glyf), each table inside the file and matching
its checksum, and as many outlines as glyphs. A damaged face raises :class:`FontFileError`
(the fonts stage names its role) and gets no entry.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import struct
import sys
import zlib
from pathlib import Path
from typing import Mapping, Sequence

import msgspec

from ..atomic import write_atomic

__all__ = ["Face", "FontFileError", "check_font_file", "load_face", "read_face", "cache_dir"]

#: Bump when the cache layout or the meaning of a field changes.
CACHE_FORMAT = 4                    # 4: faces checked whole (check_font_file), with table CRCs
_MAGIC = b"KCFACE%02d" % CACHE_FORMAT
_HEADER = struct.Struct("<8sII")  # magic, json length, crc32 of everything after the header

#: Face fields left out of equality, hashing and repr (the sha256 identifies the contents).
_BIG = ("cmap", "advances")


class Face(msgspec.Struct, frozen=True):
    """Metrics of one font file (font units unless stated otherwise).

    ``ascender``/``descender`` are the OS/2 typographic values (for the Noto
    CJK and LXGW faces the ideographic em box, 880/-120), falling back to hhea
    when OS/2 is absent.  ``bbox`` is head's (xMin, yMin, xMax, yMax).
    ``cmap`` is read-only; ``advances`` is an immutable sequence indexed by
    glyph id.  Equality and hashing ignore the two big tables (the sha256
    already identifies the contents).
    """

    key: str
    path: Path
    sha256: str
    postscript_name: str
    units_per_em: int
    is_cff: bool
    ascender: int
    descender: int
    cap_height: int
    bbox: tuple[int, int, int, int]
    italic_angle: float
    cmap: Mapping[int, int]                         # not compared, hashed or shown (see _BIG)
    advances: Sequence[int]
    cff_ros: tuple[str, str, int] | None = None    # CID-keyed CFF: (Registry, Ordering, Supplement)
    cff_stem_v: float | None = None                 # StdVW of the commonest font dict, for the descriptor
    table_crc: tuple[tuple[str, int], ...] = ()     # CRC32 of each emitted table, as checked

    # msgspec has no per-field compare/repr switch: equality, hash and repr are written out
    # here, over every field but the big tables, as the dataclass's field(repr=False,
    # compare=False) had them.
    def _small(self) -> tuple:
        return tuple(getattr(self, k) for k in self.__struct_fields__ if k not in _BIG)

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return self._small() == other._small()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._small())

    def __repr__(self) -> str:
        return "Face(" + ", ".join(f"{k}={getattr(self, k)!r}" for k in self.__struct_fields__
                                   if k not in _BIG) + ")"

    def __reduce__(self):
        # memoryview and mappingproxy do not pickle: a Face pickles (and
        # deep-copies) as its path and is loaded again, from the cache.
        return (load_face, (self.path,))

    def has(self, ch: str) -> bool:
        return ord(ch) in self.cmap

    def gid(self, ch: str) -> int:
        """Glyph id of ``ch``; KeyError if the face lacks it."""
        return self.cmap[ord(ch)]

    def advance(self, ch: str) -> float:
        """Advance width of ``ch`` in em (1.0 for an ideograph); KeyError if missing."""
        return self.advances[self.cmap[ord(ch)]] / self.units_per_em


class CmapTable(Mapping):
    """A face's cmap as a dense table for the Basic Multilingual Plane (a glyph id per code
    point, 0 for none: read straight from the cache, no per-entry work on load) and a small
    dict for the few code points beyond it."""

    __slots__ = ("_bmp", "_astral", "_cps")

    def __init__(self, bmp, astral: dict[int, int], cps):
        self._bmp, self._astral, self._cps = bmp, astral, cps

    def __getitem__(self, cp: int) -> int:
        if 0 <= cp < 0x10000:
            g = self._bmp[cp]
            if g:
                return g
            raise KeyError(cp)
        return self._astral[cp]

    def __contains__(self, cp: object) -> bool:
        if isinstance(cp, int) and 0 <= cp < 0x10000:
            return self._bmp[cp] != 0
        return cp in self._astral

    def glyph(self, cp: int) -> int | None:
        """Glyph id of code point cp, None if the face has none: ``self[cp] if cp in self``
        in one call (FontSet.advance runs once per character it measures)."""
        if 0 <= cp < 0x10000:
            return self._bmp[cp] or None
        return self._astral.get(cp)

    def get(self, cp, default=None):
        return self[cp] if cp in self else default

    def __len__(self) -> int:
        return len(self._cps)

    def __iter__(self):
        return iter(self._cps)


def _dense_bmp(cps, gids) -> bytes:
    """The BMP part of the cmap as one array indexed by codepoint (in numpy: the loop in
    Python took 18 ms a CJK face; `cps` are sorted, so the BMP ones come first)."""
    import bisect

    import numpy as np
    first_astral = bisect.bisect_left(cps, 0x10000)
    table = np.zeros(0x10000, dtype=np.uint16)
    table[np.frombuffer(cps, dtype=np.uint32)[:first_astral]] = np.frombuffer(gids, dtype=np.uint16)[:first_astral]
    return table.tobytes()


# --------------------------------------------------------------------------- cache location

def cache_dir() -> Path:
    """The cache directory (not created here)."""
    env = os.environ.get("KECHENG_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "kecheng-layout"


def font_checksums(path: Path) -> str:
    """A digest of the font's own checksums: its table directory (a checksum, offset and
    length for every table) and head.checkSumAdjustment (the whole file's checksum), for
    each font of a collection.  Any change to a font's content changes them, and reading
    them costs one small read instead of hashing 25 MB (sha256: ~16 ms a face)."""
    h = hashlib.sha1()
    with open(path, "rb") as f:
        first = f.read(12)
        h.update(first)
        starts = [0]
        if first[:4] == b"ttcf" and len(first) == 12:
            n = min(struct.unpack(">I", first[8:12])[0], 256)
            offs = f.read(4 * n)
            h.update(offs)
            starts = list(struct.unpack(f">{len(offs) // 4}I", offs))
        for start in starts:
            f.seek(start)
            hdr = f.read(12)
            if len(hdr) < 12:
                raise ValueError("not an OpenType/TrueType font (no table directory)")
            count = struct.unpack(">H", hdr[4:6])[0]
            table_dir = f.read(16 * count)
            h.update(hdr)
            h.update(table_dir)
            for i in range(0, len(table_dir) - 15, 16):
                if table_dir[i:i + 4] == b"head":
                    f.seek(struct.unpack(">I", table_dir[i + 8:i + 12])[0] + 8)
                    h.update(f.read(4))
    return h.hexdigest()


def _entry_path(path: Path, st: os.stat_result) -> Path:
    """The cache entry of a font file: keyed by the font's own checksums and its size (the
    same font anywhere shares one entry; a font changed in place misses)."""
    try:
        sums = font_checksums(path)
    except (OSError, ValueError, struct.error):
        # not a readable font: keyed by the file's identity (reading it will fail and say why)
        sums = f"{path}|{st.st_mtime_ns}|{st.st_ino}"
    ident = f"{CACHE_FORMAT}|{sys.byteorder}|{st.st_size}|{sums}"
    digest = hashlib.sha1(ident.encode("utf-8", "surrogateescape")).hexdigest()[:20]
    return cache_dir() / "faces" / f"{path.stem}-{digest}.face"


# --------------------------------------------------------------------------- reading fonts

class FontFileError(ValueError):
    """A font file that is not a whole, readable font (damaged, truncated, not a font)."""

    def __init__(self, path: Path, message: str, role: str | None = None):
        self.path, self.message = Path(path), message
        self.role = role          # the style's font role that names the file, once known
        super().__init__(f"{path}: {message}")


#: Tables every face needs (metrics and cmap for composition, head and maxp for the subsetter),
#: and the outlines: CFF for an OpenType/CFF face, glyf with loca for a TrueType one.
NEEDED_TABLES = ("head", "hhea", "hmtx", "maxp", "cmap")
#: Tables of the face that go into the PDF or its font descriptor (emit/subset_worker.py).
EMITTED_TABLES = ("CFF ", "glyf", "loca", "head", "hhea", "hmtx", "maxp", "cvt ", "fpgm", "prep", "OS/2", "post")


def check_font_file(path: Path, data: bytes | None = None) -> dict[str, tuple[int, int, int]]:
    """Check a font file whole before its cache entry is built: a table directory that
    stays inside the file, the tables the pipeline needs, outlines, and every table's
    checksum (head's with checkSumAdjustment taken out, as the spec defines it). A face
    damaged in any of these would otherwise print random glyphs with a clean preflight.
    Raises FontFileError saying what is wrong; returns the table directory, tag -> (checksum,
    offset, length). `data`: the file's bytes, when the caller has read them. Costs ~10 ms
    for a 25 MB face, once per file."""
    import numpy as np

    if data is None:
        with open(path, "rb") as f:
            data = f.read()
    view = memoryview(data)
    if len(data) < 12:
        raise FontFileError(path, "not a font file (too short)")
    start = 0
    if data[:4] == b"ttcf":
        if len(data) < 16:
            raise FontFileError(path, "font collection without fonts")
        start = struct.unpack(">I", data[12:16])[0]
    version = data[start:start + 4]
    if version not in (b"OTTO", b"\x00\x01\x00\x00", b"true"):
        raise FontFileError(path, "not an OpenType or TrueType font")
    count = struct.unpack(">H", data[start + 4:start + 6])[0]
    if start + 12 + 16 * count > len(data):
        raise FontFileError(path, "damaged font: the table directory runs past the end of the file")
    tables: dict[str, tuple[int, int, int]] = {}
    for i in range(count):
        tag, checksum, offset, length = struct.unpack_from(">4sIII", data, start + 12 + 16 * i)
        name = tag.decode("latin-1")
        if offset + length > len(data):
            raise FontFileError(path, f"damaged font: table '{name}' runs past the end of the file")
        tables[name] = (checksum, offset, length)
    missing = [f"'{t}' table" for t in NEEDED_TABLES if t not in tables]
    if not ("CFF " in tables or "CFF2" in tables or ("glyf" in tables and "loca" in tables)):
        missing.append("outlines (a 'CFF ' or 'glyf' table)")
    if missing:
        raise FontFileError(path, f"damaged font: no {', '.join(missing)}")
    for name, (checksum, offset, length) in tables.items():
        if name == "DSIG":
            continue                     # a signature is not needed to print
        # the table's whole words read in place (a copy of a 15 MB CFF table took 20 ms), its
        # last bytes, if the length is off the 4-byte boundary, as one word padded with zeros
        whole = length - length % 4
        words = np.frombuffer(view[offset:offset + whole], dtype=">u4")
        tail = bytes(view[offset + whole:offset + length]).ljust(4, b"\0") if whole < length else b"\0" * 4
        if name == "head" and len(words) >= 3:
            words = words.copy()
            words[2] = 0                 # checkSumAdjustment is not part of head's checksum
        if (int(words.sum(dtype=np.uint64)) + struct.unpack(">I", tail)[0]) & 0xFFFFFFFF != checksum:
            raise FontFileError(path, f"damaged font: table '{name}' does not match its checksum")
    return tables


def _read_font(path: Path, data: bytes | None = None) -> tuple[dict, bytes, bytes, bytes]:
    """Read a font file: (meta, codepoints u32, gids u16, advances u16) as raw arrays.
    The file is checked whole first (check_font_file); a table that still cannot be read
    is a FontFileError too. `data`: the file's bytes, when the caller has read them."""
    if data is None:
        data = path.read_bytes()
    tables = check_font_file(path, data)
    try:
        meta, cps, gids, advs = _read_tables(path, data)
    except FontFileError:
        raise
    except Exception as e:       # fontTools and HarfBuzz raise many kinds for a damaged table
        raise FontFileError(path, f"damaged font: {type(e).__name__}: {e}") from None
    # the tables the subsetter and the font descriptor read, as checked: a file seen again
    # after a change is compared with them (_confirm_unchanged), so that one damaged in place
    # after this entry was made is not embedded
    view = memoryview(data)
    meta["table_crc"] = [[tag, zlib.crc32(view[off:off + length])] for tag, (_, off, length) in sorted(tables.items())
                         if tag in EMITTED_TABLES]
    return meta, cps, gids, advs


def _read_tables(path: Path, data: bytes | None = None) -> tuple[dict, bytes, bytes, bytes]:
    import array

    import uharfbuzz as hb
    from fontTools.ttLib import TTFont

    from .cffinfo import cff_facts

    # Global metrics: small tables only, fontTools lazily (a few ms).
    tt = TTFont(str(path), lazy=True, fontNumber=0)
    head, hhea = tt["head"], tt["hhea"]
    os2 = tt["OS/2"] if "OS/2" in tt else None
    # post and name from their bytes: fontTools' readers for them import its glyph list and
    # OpenType table modules (~100 ms of a first render on a new machine) for one number and
    # one string
    post = tt.reader["post"] if "post" in tt.reader else b""
    italic = struct.unpack(">i", post[4:8])[0] / 65536 if len(post) >= 8 else 0.0
    ps_name = (_debug_name(tt.reader["name"], 6) if "name" in tt.reader else None) or path.stem
    if os2 is not None and (os2.sTypoAscender or os2.sTypoDescender):
        asc, desc = int(os2.sTypoAscender), int(os2.sTypoDescender)
    else:
        asc, desc = int(hhea.ascent), int(hhea.descent)
    cap = int(getattr(os2, "sCapHeight", 0) or 0) if os2 is not None else 0
    if not cap:
        cap = asc
    meta = {
        "postscript_name": ps_name,
        "units_per_em": int(head.unitsPerEm),
        "is_cff": "CFF " in tt or "CFF2" in tt,
        "ascender": asc,
        "descender": desc,
        "cap_height": cap,
        "bbox": [int(head.xMin), int(head.yMin), int(head.xMax), int(head.yMax)],
        "italic_angle": float(italic),
    }
    meta["cff_ros"], meta["cff_stem_v"] = None, None
    # the outlines are read here, not first by the subsetter: their glyph count is the face's
    if "CFF " in tt:
        # straight from the table's bytes: fontTools' CFF reader took ~0.65 s of a cold render
        # (from the file's bytes in hand: fontTools' reader reads the 15 MB table again)
        where = tt.reader.tables["CFF "] if data is not None else None
        cff = data[where.offset:where.offset + where.length] if where is not None else tt.reader["CFF "]
        meta["glyphs"], meta["cff_ros"], meta["cff_stem_v"] = cff_facts(cff)
    elif "glyf" in tt:
        meta["glyphs"] = len(tt["loca"]) - 1 if len(tt["loca"]) else 0
    else:
        meta["glyphs"] = int(tt["maxp"].numGlyphs)
    advs = _hmtx_advances(path, tt.reader["hmtx"], int(hhea.numberOfHMetrics), int(tt["maxp"].numGlyphs))
    plain = _plain_format12(tt.reader["cmap"] if "cmap" in tt.reader else b"", int(tt["maxp"].numGlyphs))
    tt.close()

    # cmap: HarfBuzz (C) is ~8x faster than fontTools here, and a plain format-12 subtable
    # read as whole ranges faster still (a HarfBuzz call a codepoint took 17 ms a CJK face)
    face = hb.Face(hb.Blob.from_file_path(str(path)))
    if plain is not None:
        cps, gids = plain
    else:
        font = hb.Font(face)
        nominal = font.get_nominal_glyph
        cps = array.array("I", sorted(face.unicodes))
        gids = array.array("H", [nominal(u) for u in cps])
    if not cps or not any(gids):
        raise FontFileError(path, "damaged font: its cmap maps no character to a glyph")
    if face.glyph_count != meta["glyphs"]:
        raise FontFileError(path, f"damaged font: {meta['glyphs']} glyph outlines for {face.glyph_count} glyphs")
    del meta["glyphs"]
    return meta, cps.tobytes(), gids.tobytes(), advs.tobytes()


def _plain_format12(cmap: bytes, num_glyphs: int):
    """The cmap HarfBuzz reads (its first choice, the Windows full-Unicode (3, 10) subtable)
    when that is format 12 and plain: groups in order, not overlapping, none starting at
    glyph 0 and none running past the last glyph. Then HarfBuzz's codepoints are the groups'
    ranges and its nominal glyphs run on from each group's first, so both come from the
    ranges at once (arrays of codepoints u32 and glyph ids u16). None for any other cmap:
    HarfBuzz reads it (tests/test_cffinfo.py compares the two on every face in fonts/)."""
    import array

    import numpy as np

    if len(cmap) < 4:
        return None
    count = struct.unpack_from(">H", cmap, 2)[0]
    for k in range(count):
        if 4 + 8 * (k + 1) > len(cmap):
            return None
        platform, encoding, offset = struct.unpack_from(">HHI", cmap, 4 + 8 * k)
        if (platform, encoding) == (3, 10):
            break
    else:
        return None
    if offset + 16 > len(cmap) or struct.unpack_from(">H", cmap, offset)[0] != 12:
        return None
    groups = struct.unpack_from(">I", cmap, offset + 12)[0]
    if groups == 0 or offset + 16 + 12 * groups > len(cmap):
        return None
    table = np.frombuffer(cmap, dtype=">u4", count=3 * groups, offset=offset + 16).reshape(groups, 3).astype(np.int64)
    start, end, first_glyph = table[:, 0], table[:, 1], table[:, 2]
    if ((end < start).any() or (start[1:] <= end[:-1]).any() or (first_glyph == 0).any()
            or (first_glyph + end - start >= num_glyphs).any() or end[-1] > 0x10FFFF):
        return None
    lengths = end - start + 1
    step = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    cps = array.array("I", (np.repeat(start, lengths) + step).astype(np.uint32).tobytes())
    gids = array.array("H", (np.repeat(first_glyph, lengths) + step).astype(np.uint16).tobytes())
    return cps, gids


def _debug_name(data: bytes, name_id: int) -> str | None:
    """A name record's text as fontTools' getDebugName reads it from the 'name' table's bytes:
    the first English record (Macintosh Roman, or Windows US English), else the first that
    decodes. Unicode and Windows records are UTF-16BE, Macintosh ones Mac Roman."""
    if len(data) < 6:
        return None
    count, strings = struct.unpack(">2H", data[2:6])
    some = None
    for k in range(count):
        at = 6 + 12 * k
        if at + 12 > len(data):
            break
        platform, encoding, language, nid, length, offset = struct.unpack(">6H", data[at:at + 12])
        if nid != name_id:
            continue
        raw = data[strings + offset:strings + offset + length]
        try:
            if platform in (0, 3):
                text = raw.decode("utf-16-be")
            elif platform == 1 and encoding == 0:
                text = raw.decode("mac_roman")
            else:
                continue
        except UnicodeDecodeError:
            continue
        if (platform, language) in ((1, 0), (3, 0x409)):
            return text
        some = some if some is not None else text
    return some


def _hmtx_advances(path: Path, hmtx: bytes, n_metrics: int, n_glyphs: int):
    """Every glyph's advance straight from hmtx (advance, lsb pairs; glyphs past the last
    pair take its advance): one C-level copy instead of 65k HarfBuzz calls from Python,
    the same numbers for a face without variations (tests/test_cffinfo.py checks)."""
    import array

    if not 0 < n_metrics <= n_glyphs or len(hmtx) < 4 * n_metrics:
        raise FontFileError(path, f"damaged font: hmtx holds fewer than {n_metrics} metrics")
    pairs = array.array("H", hmtx[:4 * n_metrics])
    if sys.byteorder == "little":
        pairs.byteswap()                 # the font's numbers are big-endian
    advances = pairs[0::2]
    advances.extend([advances[-1]] * (n_glyphs - n_metrics))
    return advances


def cff_top_facts(top) -> tuple[list | None, float | None]:
    """(ROS, StdVW of the commonest font dict) of a fontTools CFF top dict."""
    ros = getattr(top, "ROS", None)
    stem = None
    fdarray = getattr(top, "FDArray", None)
    if fdarray is not None:
        sel = getattr(top, "FDSelect", None)
        from collections import Counter
        counts = Counter(sel.gidArray[1:] if sel is not None else [0])
        if counts:
            stem = getattr(fdarray[counts.most_common(1)[0][0]].Private, "StdVW", None)
    elif hasattr(top, "Private"):
        stem = getattr(top.Private, "StdVW", None)
    return (list(ros) if ros else None), (float(stem) if stem else None)


def _build_face(path: Path, sha: str, meta: dict, cps: bytes, gids: bytes, advs: bytes,
                bmp: bytes | None = None) -> Face:
    cp_view = memoryview(cps).cast("I")
    gid_view = memoryview(gids).cast("H")
    if len(cp_view) != len(gid_view):
        raise ValueError("cmap arrays differ in length")
    if bmp is None:
        bmp = _dense_bmp(cp_view, gid_view)
    bmp_view = memoryview(bmp).cast("H").toreadonly()
    if len(bmp_view) != 0x10000:
        raise ValueError("cmap table has the wrong size")
    import bisect
    first_astral = bisect.bisect_left(cp_view, 0x10000)
    astral = dict(zip(cp_view[first_astral:], gid_view[first_astral:]))
    return Face(
        key=path.stem,
        path=path,
        sha256=sha,
        postscript_name=meta["postscript_name"],
        units_per_em=meta["units_per_em"],
        is_cff=meta["is_cff"],
        ascender=meta["ascender"],
        descender=meta["descender"],
        cap_height=meta["cap_height"],
        bbox=tuple(meta["bbox"]),
        italic_angle=meta["italic_angle"],
        cmap=CmapTable(bmp_view, astral, cp_view.toreadonly()),
        cff_ros=tuple(meta["cff_ros"]) if meta.get("cff_ros") else None,
        cff_stem_v=meta.get("cff_stem_v"),
        table_crc=tuple((tag, int(crc)) for tag, crc in meta.get("table_crc", ())),
        advances=memoryview(advs).cast("H").toreadonly(),
    )


# --------------------------------------------------------------------------- cache entries

def _pack(sha: str, meta: dict, cps: bytes, gids: bytes, advs: bytes, bmp: bytes) -> bytes:
    head = dict(meta, sha256=sha, n_cmap=len(cps) // 4, n_glyphs=len(advs) // 2)
    js = json.dumps(head, sort_keys=True, separators=(",", ":")).encode()
    js += b" " * (-len(js) % 4)  # keep the arrays aligned
    body = js + cps + gids + advs + bmp
    return _HEADER.pack(_MAGIC, len(js), zlib.crc32(body)) + body


def _unpack(data: bytes):
    magic, jlen, crc = _HEADER.unpack_from(data)
    if magic != _MAGIC:
        raise ValueError("bad magic")
    body = memoryview(data)[_HEADER.size:]
    if zlib.crc32(body) != crc:
        raise ValueError("crc mismatch")
    head = json.loads(bytes(body[:jlen]))
    n_cmap, n_glyphs = head["n_cmap"], head["n_glyphs"]
    p = jlen
    cps = body[p:p + 4 * n_cmap]
    p += 4 * n_cmap
    gids = body[p:p + 2 * n_cmap]
    p += 2 * n_cmap
    advs = body[p:p + 2 * n_glyphs]
    p += 2 * n_glyphs
    bmp = body[p:p + 2 * 0x10000]
    p += 2 * 0x10000
    if p != len(body):
        raise ValueError("length mismatch")
    return head["sha256"], head, cps, gids, advs, bmp


def _write_atomic(dest: Path, data: bytes) -> None:
    write_atomic(dest, data, mode_from_umask=False)


def read_face(path: Path | str, *, use_cache: bool = True) -> Face:
    """Read a face, from the on-disk cache when possible (no in-process caching)."""
    path = Path(path).resolve()
    st = path.stat()
    entry = _entry_path(path, st) if use_cache else None
    if entry is not None:
        face = None
        try:
            face = _build_face(path, *_unpack(entry.read_bytes()))
        except Exception:  # missing, unreadable, corrupt: rebuild below
            pass
        if face is not None:
            _confirm_unchanged(path, st, face)
            return face
    data = path.read_bytes()          # (read once: hashed, checked and read from these bytes)
    sha = hashlib.sha256(data).hexdigest()
    meta, cps, gids, advs = _read_font(path, data)
    del data
    bmp = _dense_bmp(memoryview(cps).cast("I"), memoryview(gids).cast("H"))
    if entry is not None:
        try:
            _write_atomic(entry, _pack(sha, meta, cps, gids, advs, bmp))
            _write_atomic(_checked_stamp(path, st), b"")
        except OSError:  # read-only or full cache dir: work without it
            pass
    return _build_face(path, sha, meta, cps, gids, advs, bmp)


def _checked_stamp(path: Path, st: os.stat_result) -> Path:
    """An empty file saying "this file, as it is now, has been checked": keyed by the file's
    place and its status change time (which every write moves, and no utime can set back)."""
    ident = f"{CACHE_FORMAT}|{path}|{st.st_dev}|{st.st_ino}|{st.st_size}|{st.st_mtime_ns}|{st.st_ctime_ns}"
    digest = hashlib.sha1(ident.encode("utf-8", "surrogateescape")).hexdigest()[:24]
    return cache_dir() / "faces" / "checked" / digest


def _confirm_unchanged(path: Path, st: os.stat_result, face: Face) -> None:
    """A cache entry is keyed by the table directory (one small read), so a file whose table
    bytes changed in place, directory untouched, would hit the entry of the good file. The
    first time a file is seen as it is now (see _checked_stamp), its emitted tables are
    compared with the CRCs the entry recorded when the face was checked (~40 ms a face, once);
    a mismatch is a FontFileError."""
    stamp = _checked_stamp(path, st)
    if stamp.exists():
        return
    with open(path, "rb") as f:
        data = f.read()
    count = struct.unpack(">H", data[4:6])[0] if len(data) >= 6 else 0
    where = {}
    for i in range(count):
        if len(data) >= 28 + 16 * i:
            tag, _, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
            where[tag.decode("latin-1")] = (offset, length)
    for tag, crc in face.table_crc:
        offset, length = where.get(tag, (0, -1))
        if length < 0 or zlib.crc32(data[offset:offset + length]) != crc:
            raise FontFileError(path, f"damaged font: table '{tag}' changed since the face was checked "
                                      f"(the file was modified in place)")
    try:
        _write_atomic(stamp, b"")
    except OSError:
        pass


@functools.lru_cache(maxsize=32)
def _load_face_cached(path: Path, size: int, mtime_ns: int, ino: int) -> Face:
    return read_face(path)


def load_face(path: Path | str) -> Face:
    """Load a face (per-process memo on top of the on-disk cache)."""
    p = Path(path).resolve()
    st = p.stat()
    return _load_face_cached(p, st.st_size, st.st_mtime_ns, st.st_ino)
