"""The few facts a face's cache entry needs from its CFF table, read straight from the bytes.

When a face's cache entry is built (the first render on a new machine) we need three things
from the 'CFF ' table: how many outlines it has (the CharStrings INDEX's count), its ROS
(Registry-Ordering-Supplement of a CID-keyed font) and the StdVW of its commonest font dict
(the PDF font descriptor's StemV).  fontTools' CFF reader parses every dictionary, charset
and INDEX to give these and took ~0.65 s of a 2.3 s cold render of 1640 for the four Noto
faces; walking the header, the top DICT and at most one Private DICT here takes well under a
millisecond each.  The result is the same as :func:`layout.fonts.face.cff_top_facts` on
fontTools' top dict (tests/test_cffinfo.py compares them on every face in fonts/).

Layout of the table (Adobe Technical Note #5176): header, Name INDEX, Top DICT INDEX,
String INDEX, ...; offsets in the top DICT are from the table's start.  Anything malformed
raises :class:`CffFormatError` (a ValueError), which the face reader reports as a damaged font.
"""
from __future__ import annotations

import struct

#: Strings 0..390 are CFF's standard strings; a font's own strings follow in its String INDEX.
_N_STANDARD_STRINGS = 391

# Top DICT and Private DICT operators used here (two-byte ones as 1200 + second byte).
_OP_CHARSTRINGS = 17
_OP_PRIVATE = 18
_OP_STD_VW = 11
_OP_ROS = 1230
_OP_FDARRAY = 1236
_OP_FDSELECT = 1237

_REAL_NIBBLES = "0123456789.EE?-"   # 0xb is 'E', 0xc is 'E-' (handled below), 0xd reserved


class CffFormatError(ValueError):
    """The CFF table is not laid out as the specification says."""


def _card(data: bytes, pos: int, size: int) -> int:
    if pos + size > len(data) or size < 1 or size > 4:
        raise CffFormatError(f"offset {pos}: runs past the end of the CFF table")
    return int.from_bytes(data[pos:pos + size], "big")


def _index(data: bytes, pos: int) -> tuple[list[tuple[int, int]], int]:
    """An INDEX at pos: ([(start, end)] of its items, the position just after it)."""
    count = _card(data, pos, 2)
    if count == 0:
        return [], pos + 2
    off_size = _card(data, pos + 2, 1)
    offsets_at = pos + 3
    base = offsets_at + (count + 1) * off_size - 1   # offsets count from 1
    offsets = [_card(data, offsets_at + i * off_size, off_size) for i in range(count + 1)]
    end = base + offsets[-1]
    if end > len(data) or any(b < a for a, b in zip(offsets, offsets[1:])):
        raise CffFormatError(f"offset {pos}: INDEX runs past the end of the CFF table")
    return [(base + a, base + b) for a, b in zip(offsets, offsets[1:])], end


def _index_count(data: bytes, pos: int) -> int:
    """The item count of an INDEX, without reading its offsets (CharStrings: 65k items)."""
    return _card(data, pos, 2)


def _real(data: bytes, pos: int) -> tuple[float, int]:
    text = ""
    while True:
        if pos >= len(data):
            raise CffFormatError("real number runs past the end of the CFF table")
        byte = data[pos]
        pos += 1
        for nibble in (byte >> 4, byte & 0xF):
            if nibble == 0xF:
                return float(text or 0), pos
            text += "E-" if nibble == 0xC else _REAL_NIBBLES[nibble]


def _dict(data: bytes, start: int, end: int) -> dict[int, list]:
    """Decode a DICT: operator -> its operands (numbers)."""
    result: dict[int, list] = {}
    operands: list = []
    pos = start
    while pos < end:
        b0 = data[pos]
        if b0 <= 21:                                   # an operator
            if b0 == 12:
                op = 1200 + _card(data, pos + 1, 1)
                pos += 2
            else:
                op = b0
                pos += 1
            result[op] = operands
            operands = []
        elif b0 == 28:
            operands.append(struct.unpack(">h", data[pos + 1:pos + 3])[0])
            pos += 3
        elif b0 == 29:
            operands.append(struct.unpack(">i", data[pos + 1:pos + 5])[0])
            pos += 5
        elif b0 == 30:
            value, pos = _real(data, pos + 1)
            operands.append(value)
        elif 32 <= b0 <= 246:
            operands.append(b0 - 139)
            pos += 1
        elif 247 <= b0 <= 250:
            operands.append((b0 - 247) * 256 + _card(data, pos + 1, 1) + 108)
            pos += 2
        elif 251 <= b0 <= 254:
            operands.append(-(b0 - 251) * 256 - _card(data, pos + 1, 1) - 108)
            pos += 2
        else:
            raise CffFormatError(f"offset {pos}: byte {b0} is not allowed in a DICT")
    return result


def _string(data: bytes, strings: list[tuple[int, int]], sid: int) -> str:
    if sid < _N_STANDARD_STRINGS:
        from fontTools.cffLib import cffStandardStrings   # rare: a ROS naming a standard string
        return cffStandardStrings[sid]
    if sid - _N_STANDARD_STRINGS >= len(strings):
        raise CffFormatError(f"string id {sid} is not in the String INDEX")
    a, b = strings[sid - _N_STANDARD_STRINGS]
    return data[a:b].decode("latin-1")


def _commonest_fd(data: bytes, pos: int, n_glyphs: int) -> int:
    """The font dict used by most glyphs after .notdef (FDSelect formats 0 and 3); on a tie,
    the one met first in glyph order (as collections.Counter.most_common(1) picks)."""
    counts: dict[int, int] = {}
    fmt = _card(data, pos, 1)
    if fmt == 0:
        for fd in data[pos + 2:pos + 1 + n_glyphs]:    # glyph 0 left out
            counts[fd] = counts.get(fd, 0) + 1
    elif fmt == 3:
        n_ranges = _card(data, pos + 1, 2)
        ranges = [(_card(data, pos + 3 + 3 * i, 2), _card(data, pos + 5 + 3 * i, 1)) for i in range(n_ranges)]
        sentinel = _card(data, pos + 3 + 3 * n_ranges, 2)
        for i, (first, fd) in enumerate(ranges):
            last = ranges[i + 1][0] if i + 1 < n_ranges else sentinel
            glyphs = last - max(first, 1)
            if glyphs > 0:
                counts[fd] = counts.get(fd, 0) + glyphs
    else:
        raise CffFormatError(f"FDSelect format {fmt} is not supported")
    if not counts:
        return 0
    return max(counts, key=counts.__getitem__)        # max keeps the first of equals


def _std_vw(data: bytes, private: list) -> float | None:
    if len(private) != 2:
        return None
    size, offset = int(private[0]), int(private[1])
    values = _dict(data, offset, offset + size).get(_OP_STD_VW)
    return values[0] if values else None


def cff_facts(data: bytes) -> tuple[int, list | None, float | None]:
    """(outline count, ROS as [registry, ordering, supplement] or None, StdVW or None) of a
    'CFF ' table's bytes."""
    if len(data) < 4:
        raise CffFormatError("CFF table too short")
    header_size = data[2]
    _names, pos = _index(data, header_size)
    top_dicts, pos = _index(data, pos)
    strings, _pos = _index(data, pos)
    if not top_dicts:
        raise CffFormatError("CFF table without a top DICT")
    top = _dict(data, *top_dicts[0])
    if _OP_CHARSTRINGS not in top or not top[_OP_CHARSTRINGS]:
        raise CffFormatError("CFF top DICT without CharStrings")
    n_glyphs = _index_count(data, int(top[_OP_CHARSTRINGS][0]))

    ros = None
    if _OP_ROS in top and len(top[_OP_ROS]) == 3:
        registry, ordering, supplement = top[_OP_ROS]
        ros = [_string(data, strings, int(registry)), _string(data, strings, int(ordering)), supplement]

    stem = None
    if _OP_FDARRAY in top:
        font_dicts, _end = _index(data, int(top[_OP_FDARRAY][0]))
        fd = _commonest_fd(data, int(top[_OP_FDSELECT][0]), n_glyphs) if _OP_FDSELECT in top else 0
        if fd >= len(font_dicts):
            raise CffFormatError(f"FDSelect names font dict {fd} of {len(font_dicts)}")
        private = _dict(data, *font_dicts[fd]).get(_OP_PRIVATE)
        stem = _std_vw(data, private) if private else None
    elif _OP_PRIVATE in top:
        stem = _std_vw(data, top[_OP_PRIVATE])
    return n_glyphs, ros, (float(stem) if stem else None)
