"""layout/fonts/cffinfo.py: the CFF facts of a face's cache entry, read from the table's bytes,
are those fontTools' full CFF reader gives, and a damaged table is a located error."""
from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from layout.fonts.cffinfo import CffFormatError, cff_facts
from layout.fonts.face import FontFileError, _debug_name, _read_tables, cff_top_facts

FONTS = Path(__file__).resolve().parent.parent / "fonts"
CFF_FACES = sorted(FONTS.glob("*.otf"))
FACES = sorted(FONTS.glob("*.[ot]tf"))      # CFF and TrueType


def test_the_repository_ships_cff_faces():
    assert len(CFF_FACES) >= 4


@pytest.mark.parametrize("path", CFF_FACES, ids=lambda p: p.stem)
def test_facts_match_fonttools(path):
    tt = TTFont(str(path), lazy=True)
    top = tt["CFF "].cff.topDictIndex[0]
    expected = (len(top.CharStrings),) + cff_top_facts(top)
    assert cff_facts(tt.reader["CFF "]) == expected
    count, ros, stem = expected
    assert count == tt["maxp"].numGlyphs and ros[:2] == ["Adobe", "Identity"] and stem > 0


def test_truncated_table_is_a_format_error():
    raw = TTFont(str(CFF_FACES[0]), lazy=True).reader["CFF "]
    with pytest.raises(CffFormatError):
        cff_facts(raw[:40])
    with pytest.raises(CffFormatError):
        cff_facts(b"\x01\x00")


def test_face_reader_reports_a_damaged_cff_as_a_font_error(tmp_path, monkeypatch):
    # the face reader turns any reading failure into FontFileError naming the file
    import layout.fonts.cffinfo as cffinfo

    def broken(_data):
        raise CffFormatError("CFF table too short")
    monkeypatch.setattr(cffinfo, "cff_facts", broken)
    with pytest.raises(CffFormatError):
        _read_tables(CFF_FACES[0])
    from layout.fonts.face import _read_font
    with pytest.raises(FontFileError, match="damaged font: CffFormatError"):
        _read_font(CFF_FACES[0])


@pytest.mark.parametrize("path", sorted(FONTS.glob("*.[ot]tf")), ids=lambda p: p.stem)
def test_hmtx_advances_match_harfbuzz(path):
    import uharfbuzz as hb

    from layout.fonts.face import _hmtx_advances
    tt = TTFont(str(path), lazy=True)
    ours = _hmtx_advances(path, tt.reader["hmtx"], tt["hhea"].numberOfHMetrics, tt["maxp"].numGlyphs)
    face = hb.Face(hb.Blob.from_file_path(str(path)))
    font = hb.Font(face)
    font.scale = (face.upem, face.upem)
    assert list(ours) == [font.get_glyph_h_advance(g) for g in range(face.glyph_count)]


@pytest.mark.parametrize("path", FACES, ids=lambda p: p.stem)
def test_plain_format12_cmap_is_harfbuzzs(path):
    """Every face in fonts/ has a plain (3, 10) format-12 cmap, read as ranges: the same
    codepoints as HarfBuzz's and, for each, HarfBuzz's nominal glyph."""
    import uharfbuzz as hb

    from layout.fonts.face import _plain_format12
    tt = TTFont(str(path), lazy=True)
    got = _plain_format12(tt.reader["cmap"], tt["maxp"].numGlyphs)
    assert got is not None
    cps, gids = got
    face = hb.Face(hb.Blob.from_file_path(str(path)))
    nominal = hb.Font(face).get_nominal_glyph
    assert list(cps) == sorted(face.unicodes)
    assert list(gids) == [nominal(u) for u in cps]


def _format12(groups, platform=(3, 10)) -> bytes:
    import struct
    body = struct.pack(">HHIII", 12, 0, 16 + 12 * len(groups), 0, len(groups))
    body += b"".join(struct.pack(">III", *g) for g in groups)
    return struct.pack(">HHHHI", 0, 1, *platform, 12) + body


def test_other_format12_cmaps_are_left_to_harfbuzz():
    """Groups HarfBuzz reads otherwise (out of order, overlapping, from glyph 0, past the
    last glyph) or no (3, 10) subtable: None, and HarfBuzz reads the cmap."""
    from layout.fonts.face import _plain_format12
    cps, gids = _plain_format12(_format12([(0x41, 0x43, 5), (0x4E00, 0x4E01, 9)]), 20)
    assert list(cps) == [0x41, 0x42, 0x43, 0x4E00, 0x4E01] and list(gids) == [5, 6, 7, 9, 10]
    for groups, glyphs in (([(0x50, 0x51, 1), (0x41, 0x42, 3)], 20), ([(0x41, 0x45, 1), (0x44, 0x46, 8)], 20),
                           ([(0x41, 0x42, 0)], 20), ([(0x41, 0x45, 18)], 20), ([], 20)):
        assert _plain_format12(_format12(groups), glyphs) is None
    assert _plain_format12(_format12([(0x41, 0x43, 5)], platform=(0, 4)), 20) is None
    assert _plain_format12(b"\0\0\0\1", 20) is None


def test_short_hmtx_is_a_font_error():
    from layout.fonts.face import _hmtx_advances
    with pytest.raises(FontFileError, match="hmtx"):
        _hmtx_advances(CFF_FACES[0], b"\0" * 6, 2, 10)


@pytest.mark.parametrize("path", FACES, ids=lambda p: p.name)
def test_names_and_italic_angle_match_fonttools(path):
    """The face reader takes the PostScript name and the italic angle from the name and post
    tables' bytes (fontTools' readers for them cost ~100 ms of imports on a new machine): the
    same text as fontTools' getDebugName for every name id, the same angle."""
    tt = TTFont(str(path), lazy=True)
    for name_id in range(26):
        assert _debug_name(tt.reader["name"], name_id) == tt["name"].getDebugName(name_id), name_id
    meta = _read_tables(path)[0]
    assert meta["postscript_name"] == tt["name"].getDebugName(6)
    assert meta["italic_angle"] == float(tt["post"].italicAngle)


def test_debug_name_prefers_english_and_skips_what_does_not_decode():
    """A Windows US-English record wins over an earlier one in another language; a record
    that is not UTF-16 is passed over; a table too short to hold a header names nothing."""
    import struct

    def table(records):
        strings, heads = b"", []
        for platform, encoding, language, name_id, text in records:
            heads.append(struct.pack(">6H", platform, encoding, language, name_id, len(text), len(strings)))
            strings += text
        return struct.pack(">3H", 0, len(records), 6 + 12 * len(records)) + b"".join(heads) + strings

    data = table([(3, 1, 0x804, 6, "字体".encode("utf-16-be")), (3, 1, 0x409, 6, "Face-Bold".encode("utf-16-be"))])
    assert _debug_name(data, 6) == "Face-Bold"
    assert _debug_name(table([(3, 1, 0x804, 6, b"\xd8\x00")]), 6) is None      # a lone surrogate
    assert _debug_name(table([(3, 1, 0x804, 1, "体".encode("utf-16-be"))]), 1) == "体"
    assert _debug_name(b"\0\0", 6) is None
