"""Fonts stage: face metrics and their cache; CID-keyed font embedding in PDFs."""
from __future__ import annotations

import hashlib
import io
import os
import re
import time
from pathlib import Path

import pytest

from layout.fonts import face as face_mod
from layout.fonts.face import Face, load_face, read_face

ROOT = Path(__file__).resolve().parents[1]
FONTS = ROOT / "fonts"
ROLES = {
    "song": "NotoSerifCJKsc-Regular.otf",
    "song_heavy": "NotoSerifCJKsc-Black.otf",
    "hei": "NotoSansCJKsc-Bold.otf",
    "hei_regular": "NotoSansCJKsc-Regular.otf",
    "kai": "LXGWWenKai-Regular.ttf",
}
# 51 distinct characters: ideographs, Chinese punctuation, Latin, digits.
SAMPLE = "今日柯城区委经济工作会议召开，“三个年”《动员》：全面小康！（2020年3月16日）、ABCxyz—…；？丨一"
LINES = [SAMPLE[:28], SAMPLE[28:]]


@pytest.fixture(scope="session")
def cache_env(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    d = tmp_path_factory.mktemp("kecheng-cache")
    mp.setenv("KECHENG_CACHE_DIR", str(d))
    yield d
    mp.undo()


@pytest.fixture(scope="session")
def faces(cache_env) -> dict[str, Face]:
    return {role: read_face(FONTS / name) for role, name in ROLES.items()}


# =========================================================================== faces

def test_shipped_files_match_readme(faces):
    readme = (FONTS / "README.md").read_text(encoding="utf-8")
    for role, name in ROLES.items():
        f = faces[role]
        row = next(line for line in readme.splitlines() if line.startswith(f"| `{name}`"))
        assert f.sha256 in row, name
        assert f"{f.path.stat().st_size:,}" in row
        assert ("CFF" in row) == f.is_cff
    assert (FONTS / "LICENSE-NotoCJK.txt").read_text(encoding="utf-8").count("SIL OPEN FONT LICENSE") == 1
    assert "LXGW" in (FONTS / "LICENSE-LXGWWenKai.txt").read_text(encoding="utf-8")


def test_face_fields(faces):
    for role, name in ROLES.items():
        f = faces[role]
        assert f.key == Path(name).stem
        assert f.postscript_name == Path(name).stem
        assert f.units_per_em == 1000
        assert f.is_cff == name.endswith(".otf")
        assert (f.ascender, f.descender) == (880, -120)  # ideographic em box (OS/2 typo)
        assert 600 < f.cap_height < 800
        assert f.bbox[0] < 0 < f.bbox[2] and f.bbox[1] < 0 < f.bbox[3]
        assert f.italic_angle == 0.0
        assert len(f.advances) > 29000 and len(f.cmap) > 28000
        hash(f)  # usable as a dict key despite the big tables


def test_ideographs_one_em_latin_proportional(faces):
    for role, f in faces.items():
        for ch in "中国柯城一丨，。《》":
            assert f.advance(ch) == 1.0, (role, ch)
        assert f.has("A") and not f.has("\U0001F600")
        widths = {ch: f.advance(ch) for ch in "ilmW"}
        assert widths["i"] <= widths["l"] < widths["m"] and widths["i"] < widths["W"]
        assert 0.2 < widths["i"] < 0.45 and 0.7 < widths["W"] < 1.2, (role, widths)
        assert f.gid("中") == f.cmap[0x4E2D] > 0
        with pytest.raises(KeyError):
            f.gid("\U0001F600")


def _fonttools_metrics(path: Path):
    from fontTools.ttLib import TTFont

    tt = TTFont(str(path), lazy=True)
    rev = tt.getReverseGlyphMap()
    cmap = {u: rev[g] for u, g in tt.getBestCmap().items()}
    hm = tt["hmtx"].metrics
    adv = [hm[g][0] for g in tt.getGlyphOrder()]
    return cmap, adv


@pytest.mark.parametrize("role", ["hei_regular", "kai"])
def test_cache_round_trip_equals_fonttools(faces, role, cache_env):
    path = FONTS / ROLES[role]
    entry = face_mod._entry_path(path.resolve(), path.stat())
    assert entry.is_file() and cache_env in entry.parents  # written by the fixture
    cached = read_face(path)  # from the cache entry
    cmap, adv = _fonttools_metrics(path)
    assert dict(cached.cmap) == cmap
    assert list(cached.advances) == adv
    assert cached == faces[role]
    assert cached.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_cache_is_keyed_by_the_fonts_checksums(tmp_path, monkeypatch):
    """The same font elsewhere shares its entry; a font changed in place (same size, mtime and
    inode) misses it, because its own checksums changed."""
    import os
    import shutil
    monkeypatch.setenv("KECHENG_CACHE_DIR", str(tmp_path / "cache"))
    src = FONTS / ROLES["kai"]
    copy = tmp_path / "elsewhere" / src.name
    copy.parent.mkdir()
    shutil.copyfile(src, copy)
    assert face_mod._entry_path(copy.resolve(), copy.stat()) == face_mod._entry_path(src.resolve(), src.stat())
    read_face(copy)
    assert len(list((tmp_path / "cache" / "faces").glob("*.face"))) == 1
    before = copy.stat()
    entry_before = face_mod._entry_path(copy.resolve(), before)
    # change the checksum recorded for the first table, in place; keep the mtime
    with open(copy, "r+b") as f:
        f.seek(12 + 4)
        word = f.read(4)
        f.seek(12 + 4)
        f.write(bytes(b ^ 0x5A for b in word))
    os.utime(copy, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = copy.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)
    assert face_mod._entry_path(copy.resolve(), after) != entry_before
    # the changed checksum no longer matches its table: the face is refused, not cached
    with pytest.raises(face_mod.FontFileError, match="does not match its checksum"):
        read_face(copy)
    assert len(list((tmp_path / "cache" / "faces").glob("*.face"))) == 1
    # a real change in place (a table and its checksum rewritten): a new entry, with its sha256
    with open(copy, "r+b") as f:
        f.seek(12 + 4)
        f.write(word)
    _rewrite_a_name_string(copy)
    os.utime(copy, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert face_mod._entry_path(copy.resolve(), copy.stat()) != entry_before
    again = read_face(copy)
    assert again.sha256 == hashlib.sha256(copy.read_bytes()).hexdigest()
    assert len(list((tmp_path / "cache" / "faces").glob("*.face"))) == 2


def _rewrite_a_name_string(path):
    """Change one byte of the name table's strings in place and fix its checksum."""
    import struct
    data = bytearray(path.read_bytes())
    count = struct.unpack(">H", data[4:6])[0]
    entry = next(12 + 16 * i for i in range(count) if data[12 + 16 * i:16 + 16 * i] == b"name")
    _, offset, length = struct.unpack(">III", data[entry + 4:entry + 16])
    data[offset + length - 1] ^= 0x01
    chunk = bytes(data[offset:offset + length]) + bytes(-length % 4)
    total = sum(struct.unpack(f">{len(chunk) // 4}I", chunk)) & 0xFFFFFFFF
    data[entry + 4:entry + 8] = struct.pack(">I", total)
    path.write_bytes(bytes(data))


def test_a_file_that_is_no_font_gets_an_entry_name_and_fails_when_read(tmp_path):
    bad = tmp_path / "x.otf"
    bad.write_bytes(b"OTTO")
    assert face_mod._entry_path(bad, bad.stat()).suffix == ".face"
    with pytest.raises(Exception):
        read_face(bad, use_cache=False)


def test_corrupt_cache_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("KECHENG_CACHE_DIR", str(tmp_path))
    path = FONTS / ROLES["kai"]
    fresh = read_face(path, use_cache=False)
    first = read_face(path)
    (entry,) = (tmp_path / "faces").glob("*.face")
    good = entry.read_bytes()
    corruptions = [
        b"",                                             # empty
        good[: len(good) // 2],                          # truncated
        good[:5000] + bytes([good[5000] ^ 0xFF]) + good[5001:],  # one flipped byte
        b"not a cache file at all" * 10,
    ]
    for bad in corruptions:
        entry.write_bytes(bad)
        again = read_face(path)
        assert again == fresh == first
        assert dict(again.cmap) == dict(fresh.cmap) and list(again.advances) == list(fresh.advances)
        assert entry.read_bytes() == good  # rewritten
    assert not [p for p in entry.parent.iterdir() if p.suffix == ".tmp"]


def test_cache_location(monkeypatch, tmp_path):
    monkeypatch.setenv("KECHENG_CACHE_DIR", str(tmp_path / "a"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert face_mod.cache_dir() == tmp_path / "a"
    monkeypatch.delenv("KECHENG_CACHE_DIR")
    assert face_mod.cache_dir() == tmp_path / "x" / "kecheng-layout"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert face_mod.cache_dir() == Path.home() / ".cache" / "kecheng-layout"
    assert ROOT not in face_mod.cache_dir().parents


def test_cached_load_is_fast(faces):
    path = FONTS / ROLES["song"]
    best = min(_timed(lambda: read_face(path)) for _ in range(3))
    assert best < 0.05  # measured ~4 ms; generous for slow CI
    assert load_face(path) is load_face(str(path))
    import copy
    import pickle

    f = faces["song"]
    assert pickle.loads(pickle.dumps(f)) == f and copy.deepcopy(f) == f


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


# =========================================================================== embedding

from layout.emit.cidfont import FontEmbedder, MissingGlyph  # noqa: E402

SIZE = 12.0


def _layout(face: Face, text: str, x0: float, size: float) -> list[tuple[str, float]]:
    """Glyph origins with awkward fractional gaps, to exercise the TJ adjustments."""
    out, x = [], x0
    for i, ch in enumerate(text):
        out.append((ch, x))
        x += face.advance(ch) * size + (0.37 + 0.0137 * i if ord(ch) > 0x2E80 else 0.0)
    return out


def _build_pdf(faces) -> tuple[bytes, dict, FontEmbedder]:
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=(480, 400), invariant=1)
    emb = FontEmbedder(faces)
    emb.attach(canvas)
    drawn = {}  # (key, y) -> glyphs
    y = 370.0
    for key in ROLES:
        for line in LINES:
            glyphs = _layout(faces[key], line, 20.25, SIZE)
            emb.draw_glyphs(canvas, key, SIZE, y, glyphs)
            drawn[(key, y)] = glyphs
            y -= 18.0
    canvas.save()
    return buf.getvalue(), drawn, emb


@pytest.fixture(scope="module")
def pdf(faces):
    return _build_pdf(faces)


def _fonts_in(data: bytes):
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    out = {}
    for page in reader.pages:
        for name, ref in page["/Resources"]["/Font"].items():
            out[name] = ref.get_object()
    return reader, out


def test_text_extracts_exactly(pdf):
    data, drawn, _ = pdf
    reader, _ = _fonts_in(data)
    text = reader.pages[0].extract_text()
    expected = [line for _ in ROLES for line in LINES]
    assert text.splitlines() == expected


def test_text_extracts_exactly_pdfium(pdf):
    import pypdfium2 as pdfium

    data, drawn, _ = pdf
    doc = pdfium.PdfDocument(data)
    got = doc[0].get_textpage().get_text_range().replace("\r\n", "\n").split("\n")
    assert [g for g in got if g] == [line for _ in ROLES for line in LINES]


def test_every_font_embedded_subset_tagged(pdf, faces):
    data, _, _ = pdf
    _, fonts = _fonts_in(data)
    assert len(fonts) == 5
    by_ps = {}
    for font in fonts.values():
        assert font["/Subtype"] == "/Type0" and font["/Encoding"] == "/Identity-H"
        assert "/ToUnicode" in font
        (cid,) = font["/DescendantFonts"]
        cid = cid.get_object()
        desc = cid["/FontDescriptor"].get_object()
        m = re.fullmatch(r"/([A-Z]{6})\+(.+)", cid["/BaseFont"])
        assert m, cid["/BaseFont"]
        assert desc["/FontName"] == cid["/BaseFont"]
        assert font["/BaseFont"].startswith(cid["/BaseFont"])
        ps = m.group(2)
        by_ps[ps] = (font, cid, desc)
        for k in ("/Flags", "/FontBBox", "/ItalicAngle", "/Ascent", "/Descent", "/CapHeight", "/StemV"):
            assert k in desc, k
        assert desc["/Flags"] & 4  # symbolic
        if cid["/Subtype"] == "/CIDFontType0":
            prog = desc["/FontFile3"].get_object()
            assert prog["/Subtype"] == "/CIDFontType0C"
            assert "/FontFile2" not in desc
        else:
            assert cid["/Subtype"] == "/CIDFontType2"
            prog = desc["/FontFile2"].get_object()
            assert "/CIDToGIDMap" in cid
            assert prog["/Length1"] == len(prog.get_data())
    assert sorted(by_ps) == sorted(f.postscript_name for f in faces.values())
    for f in faces.values():
        assert (by_ps[f.postscript_name][1]["/Subtype"] == "/CIDFontType0") == f.is_cff


def test_no_unembedded_font(pdf):
    data, _, _ = pdf
    assert b"Helvetica" not in data
    reader, fonts = _fonts_in(data)
    assert all(f["/Subtype"] == "/Type0" for f in fonts.values())
    content = reader.pages[0].get_contents().get_data()
    assert b"14.4 TL" not in content


def _parse_w(dw, w) -> dict[int, float]:
    out, i, w = {}, 0, list(w)
    while i < len(w):
        first = int(w[i])
        if isinstance(w[i + 1], list):
            for k, v in enumerate(w[i + 1]):
                out[first + k] = float(v)
            i += 2
        else:
            for c in range(first, int(w[i + 1]) + 1):
                out[c] = float(w[i + 2])
            i += 3
    return out


def _widths_by_ps(fonts) -> dict[str, tuple[float, dict[int, float]]]:
    res = {}
    for font in fonts.values():
        cid = font["/DescendantFonts"][0].get_object()
        ps = cid["/BaseFont"].split("+", 1)[1]
        res[ps] = (float(cid.get("/DW", 1000)), _parse_w(cid.get("/DW", 1000), cid.get("/W", [])))
    return res


def test_widths_equal_font_advances(pdf, faces):
    data, _, _ = pdf
    _, fonts = _fonts_in(data)
    widths = _widths_by_ps(fonts)
    for f in faces.values():
        dw, w = widths[f.postscript_name]
        assert dw == 1000.0
        for ch in set(SAMPLE):
            g = f.gid(ch)
            assert w.get(g, dw) == f.advances[g] * 1000 / f.units_per_em, (f.key, ch)
        # only the exceptions to /DW are listed, and only drawn glyphs
        assert set(w) <= {f.gid(ch) for ch in SAMPLE}
        assert all(v != dw for v in w.values())


_BT = re.compile(rb"BT /(F\d+) ([\d.]+) Tf ([-\d.]+) ([-\d.]+) Td \[(.*?)\] TJ ET")
_TJ = re.compile(rb"<([0-9A-F]*)>|(-?[\d.]+)")


def test_glyphs_land_exactly(pdf, faces):
    """Replay every TJ with the /W widths: each glyph's origin is at the requested
    x to 0.001 pt, the codes are the glyphs of the characters, one BT/TJ per line."""
    data, drawn, _ = pdf
    reader, fonts = _fonts_in(data)
    widths = _widths_by_ps(fonts)
    res_to_ps = {n[1:]: f["/DescendantFonts"][0].get_object()["/BaseFont"].split("+", 1)[1]
                 for n, f in fonts.items()}
    content = reader.pages[0].get_contents().get_data()
    shows = _BT.findall(content)
    assert len(shows) == len(drawn) == content.count(b"BT") == content.count(b" TJ")
    for (res, size, x0, y, arr), ((key, yy), glyphs) in zip(shows, drawn.items()):
        face = faces[key]
        assert res_to_ps[res.decode()] == face.postscript_name
        assert float(y) == yy and float(size) == SIZE
        dw, w = widths[face.postscript_name]
        size = float(size)
        pen, placed = float(x0), []
        for hexs, num in _TJ.findall(arr):
            if num:
                pen -= float(num) * size / 1000
                continue
            for k in range(0, len(hexs), 4):
                code = int(hexs[k:k + 4], 16)
                placed.append((code, pen))
                pen += w.get(code, dw) * size / 1000
        assert [c for c, _ in placed] == [face.gid(ch) for ch, _ in glyphs]
        err = max(abs(px - x) for (_, px), (_, x) in zip(placed, glyphs))
        assert err < 0.001, err


def test_subsets_are_small(pdf, faces):
    from fontTools.cffLib import CFFFontSet
    from fontTools.ttLib import TTFont

    data, _, _ = pdf
    assert len(data) < 300_000
    _, fonts = _fonts_in(data)
    n = len(set(SAMPLE))
    for font in fonts.values():
        cid = font["/DescendantFonts"][0].get_object()
        desc = cid["/FontDescriptor"].get_object()
        if "/FontFile3" in desc:
            cff = CFFFontSet()
            cff.decompile(io.BytesIO(desc["/FontFile3"].get_object().get_data()), None)
            assert len(cff.topDictIndex[0].charset) == n + 1  # + .notdef
        else:
            tt = TTFont(io.BytesIO(desc["/FontFile2"].get_object().get_data()))
            assert n + 1 <= tt["maxp"].numGlyphs <= n + 10  # composites may add components


def test_output_is_deterministic(pdf, faces):
    data, _, _ = pdf
    again, _, _ = _build_pdf(faces)
    assert again == data


def test_used_counts(pdf):
    _, _, emb = pdf
    assert emb.used() == {k: len(set(SAMPLE)) for k in ROLES}


def _ink_bbox(img, box):
    """Bounding box (w, h) of dark pixels inside box=(l, t, r, b) of a greyscale image."""
    crop = img.crop(box).point(lambda v: 255 if v < 128 else 0)
    bb = crop.getbbox()
    return None if bb is None else (bb[2] - bb[0], bb[3] - bb[1])


def test_pdfium_renders_the_right_glyphs(faces):
    """一 must render as a wide flat stroke and 丨 as a tall thin one in every face
    (a .notdef box or a wrong glyph fails); nothing is drawn elsewhere."""
    import pypdfium2 as pdfium
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=(300, 60 * len(faces)), invariant=1)
    emb = FontEmbedder(faces)
    emb.attach(canvas)
    size, cells = 40.0, []
    for i, key in enumerate(ROLES):
        y = 60 * i + 15
        emb.draw_glyphs(canvas, key, size, y, [("一", 20.0), ("丨", 120.0)])
        cells.append((key, y))
    canvas.save()
    page = pdfium.PdfDocument(buf.getvalue())[0]
    scale = 2
    img = page.render(scale=scale).to_pil().convert("L")
    height = 60 * len(faces)
    for key, y in cells:
        top = (height - (y + size * 0.9)) * scale
        bottom = (height - (y - size * 0.15)) * scale
        flat = _ink_bbox(img, (20 * scale, top, 60 * scale, bottom))
        tall = _ink_bbox(img, (120 * scale, top, 160 * scale, bottom))
        assert flat and flat[0] > 4 * flat[1] and flat[0] > 0.6 * size * scale, (key, flat)
        assert tall and tall[1] > 4 * tall[0] and tall[1] > 0.6 * size * scale, (key, tall)
    blank = _ink_bbox(img, (200 * scale, 0, 300 * scale, height * scale))
    assert blank is None


def test_missing_glyph_raises_and_writes_nothing(faces):
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(io.BytesIO(), invariant=1)
    emb = FontEmbedder(faces)
    emb.attach(canvas)
    before = list(canvas._code)
    with pytest.raises(MissingGlyph) as exc:
        emb.draw_glyphs(canvas, "kai", 10, 100, [("好", 10.0), ("\U0001F600", 20.0)])
    assert isinstance(exc.value, KeyError)
    assert (exc.value.key, exc.value.ch) == ("kai", "\U0001F600")
    assert canvas._code == before
    assert emb.used()["kai"] == 0  # 好 was not drawn either
    emb.draw_glyphs(canvas, "kai", 10, 100, [("好", 10.0)])
    assert emb.used()["kai"] == 1 and len(canvas._code) == len(before) + 1
    with pytest.raises(KeyError):
        emb.draw_glyphs(canvas, "no-such-face", 10, 100, [("好", 10.0)])


def test_multipage_and_initial_font_option(faces):
    """Two pages, a page-size change, and a canvas created with the placeholder
    initial font: text on both pages, still no Helvetica."""
    import pypdf
    from reportlab.pdfgen.canvas import Canvas

    from layout.emit.cidfont import NO_INITIAL_FONT

    FontEmbedder.prepare()
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=(200, 100), initialFontName=NO_INITIAL_FONT, invariant=1)
    emb = FontEmbedder(faces)
    emb.attach(canvas)
    emb.draw_glyphs(canvas, "song", 10, 50, _layout(faces["song"], "第一版", 10, 10))
    canvas.showPage()
    canvas.setPageSize((300, 100))
    emb.draw_glyphs(canvas, "hei", 10, 50, _layout(faces["hei"], "第二版A1", 10, 10))
    emb.draw_glyphs(canvas, "song", 10, 30, _layout(faces["song"], "一版", 10, 10))
    canvas.save()
    data = buf.getvalue()
    assert b"Helvetica" not in data
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    assert [p.extract_text().splitlines() for p in pages] == [["第一版"], ["第二版A1", "一版"]]
    assert emb.used() == {"song": 3, "song_heavy": 0, "hei": 5, "hei_regular": 0, "kai": 0}


def test_attach_late_is_refused(faces):
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(io.BytesIO())
    canvas.drawString(10, 10, "x")  # reportlab already used Helvetica
    with pytest.raises(RuntimeError):
        FontEmbedder(faces).attach(canvas)


def test_hb_subset_maps_glyphs_like_fonttools(faces):
    from layout.emit.cidfont import _ft_subset, _hb_subset

    for key in ("hei_regular", "kai"):
        f = faces[key]
        gids = sorted({f.gid(ch) for ch in "柯城ABC，。"})
        _, hb_map = _hb_subset(f.path, gids, f.is_cff)
        _, ft_map = _ft_subset(f.path, gids, f.is_cff)
        assert {g: hb_map[g] for g in gids} == {g: ft_map[g] for g in gids}


def test_draw_is_cheap(faces):
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(io.BytesIO(), invariant=1)
    emb = FontEmbedder(faces)
    emb.attach(canvas)
    text = (SAMPLE * 120)[:6000]
    lines = [_layout(faces["song"], text[i:i + 40], 30.0, 9.0) for i in range(0, 6000, 40)]
    emb.draw_glyphs(canvas, "song", 9.0, 700, lines[0])  # warm the per-face encoding
    t = time.perf_counter()
    for n, gl in enumerate(lines):
        emb.draw_glyphs(canvas, "song", 9.0, 700 - n * 4, gl)
    assert time.perf_counter() - t < 0.1  # measured ~5 ms for 6000 glyphs


def test_subsets_keep_cid_equal_to_gid_and_cached_cff_facts(faces):
    """The embedder writes original glyph ids as CIDs and relies on HarfBuzz keeping each
    subset's CFF charset CID == original GID; it reads ROS and StdVW from the face cache.
    Both checked here on every shipped CFF face (this used to run on every save)."""
    from layout.emit.cidfont import _cff_facts, _check_cff_charset, _hb_subset
    for face in faces.values():
        if not face.is_cff:
            continue
        gids = sorted({face.gid(ch) for ch in SAMPLE})
        data, old_to_new = _hb_subset(face.path, gids, True)
        ros, cids, stem = _cff_facts(data)
        _check_cff_charset(face, gids, old_to_new, cids)          # raises if a CID moved
        assert face.cff_ros == tuple(ros) and face.cff_ros[:2] == ("Adobe", "Identity")
        assert face.cff_stem_v == stem
