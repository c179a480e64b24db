"""Photos: placement by fill or fit with a focal point, conversion to grey or CMYK within the
ink limit, resolution at the printed size, downsampling, the missing-photo placeholder."""
from __future__ import annotations

import io
import re
import zlib

import msgspec.structs
import numpy as np
import pypdf
import pytest
from PIL import Image

from layout.check.preflight import photo_findings, preflight
from layout.emit.images import (ERROR_PPI, TARGET_PPI, WARN_PPI, ImageRecord, PreparedImage, crop_geometry,
                                prepare_photo)
from layout.emit.pdf import EmitLog, PrintSettings, write_pdf
from layout.fonts.fontset import build_fontset
from layout.pipeline import load, render
from layout.place.model import Box, PhotoFrame
from layout.place.page import place_issue
from test_preflight import make_issue, rgb_photo
from test_print import operations, paint_states

FRAME = (50.0, 100.0, 369.0, 213.75)        # the lead photo's frame in issue 1640, pt


def ramp(w: int, h: int, mode: str = "RGB") -> Image.Image:
    a = np.zeros((h, w, 3), dtype=np.uint8)
    a[..., 0] = np.linspace(0, 255, w, dtype=np.uint8)[None, :]
    a[..., 1] = np.linspace(0, 255, h, dtype=np.uint8)[:, None]
    a[..., 2] = 128
    return Image.fromarray(a, "RGB").convert(mode)


def pixels(prep: PreparedImage) -> np.ndarray:
    """The embedded image's samples, height x width (x 4 for CMYK)."""
    if prep.filter == "DCTDecode":
        a = np.asarray(Image.open(io.BytesIO(prep.data)))
    else:
        a = np.frombuffer(zlib.decompress(prep.data), dtype=np.uint8)
    n = 4 if prep.colorspace == "DeviceCMYK" else 1
    return a.reshape(prep.height, prep.width, n) if n > 1 else a.reshape(prep.height, prep.width)


def save(im: Image.Image, path, fmt: str = "JPEG", **kw):
    im.save(path, fmt, **kw)
    return path


# --------------------------------------------------------------------------- geometry

def test_fill_crops_around_the_focus():
    frame = (10.0, 20.0, 100.0, 100.0)
    assert crop_geometry(2000, 1000, frame, "fill", (0.5, 0.5))[0] == (500, 0, 1500, 1000)
    assert crop_geometry(2000, 1000, frame, "fill", (0.0, 0.5))[0] == (0, 0, 1000, 1000)
    assert crop_geometry(2000, 1000, frame, "fill", (1.0, 0.2))[0] == (1000, 0, 2000, 1000)
    assert crop_geometry(2000, 1000, frame, "fill", (0.3, 0.5))[0] == (100, 0, 1100, 1000)
    # portrait image in a landscape frame: the focus picks the band
    crop, placed, s = crop_geometry(1000, 3000, (0, 0, 200.0, 100.0), "fill", (0.5, 0.1))
    assert crop == (0, 50, 1000, 550) and s == pytest.approx(0.2)
    crop, placed, s = crop_geometry(1000, 3000, (0, 0, 200.0, 100.0), "fill", (0.5, 0.5))
    assert crop == (0, 1250, 1000, 1750)
    assert placed == pytest.approx((0, 0, 200, 100))


def test_fit_keeps_the_whole_image_placed_by_its_focus():
    crop, placed, s = crop_geometry(2000, 1000, (10.0, 20.0, 100.0, 100.0), "fit", (0.5, 0.5))
    assert crop == (0, 0, 2000, 1000)
    assert placed == pytest.approx((10, 45, 100, 50))          # centred by default
    _, placed, _ = crop_geometry(2000, 1000, (10.0, 20.0, 100.0, 100.0), "fit", (0.0, 0.0))
    assert placed == pytest.approx((10, 20, 100, 50))          # flush top-left (a logo)
    _, placed, _ = crop_geometry(1000, 2000, (10.0, 20.0, 100.0, 100.0), "fit", (1.0, 0.5))
    assert placed == pytest.approx((60, 20, 50, 100))          # flush right


def test_fill_rounding_never_leaves_the_frame_uncovered():
    for iw, ih in ((997, 661), (1201, 799), (640, 480)):
        for fx in (0.0, 0.37, 1.0):
            crop, (x, y, w, h), _ = crop_geometry(iw, ih, FRAME, "fill", (fx, 0.5))
            assert x <= FRAME[0] + 1e-6 and y <= FRAME[1] + 1e-6
            assert x + w >= FRAME[0] + FRAME[2] - 1e-6 and y + h >= FRAME[1] + FRAME[3] - 1e-6


# --------------------------------------------------------------------------- conversion

def test_rgb_to_grey(tmp_path):
    p = save(ramp(1800, 1200), tmp_path / "a.jpg")
    prep = prepare_photo(p, FRAME, owner="lead", page=1)
    assert isinstance(prep, PreparedImage)
    assert prep.colorspace == "DeviceGray" and prep.filter == "DCTDecode"
    im = Image.open(io.BytesIO(prep.data))
    assert im.mode == "L" and im.size == (prep.width, prep.height) == prep.record.output_size
    assert prep.record.conversion == "RGB -> grey" and prep.record.output_mode == "grey"
    # white stays paper white; near-black ink is compensated for newsprint's dot gain
    white = Image.new("RGB", (600, 400), "white")
    dark = Image.new("RGB", (600, 400), (12, 12, 12))
    pw = prepare_photo(save(white, tmp_path / "w.png", "PNG"), FRAME)
    pd = prepare_photo(save(dark, tmp_path / "d.png", "PNG"), FRAME)
    assert pixels(pw).min() >= 253
    assert 55 <= pixels(pd).min() <= pixels(pd).max() <= 72     # ~75 % K in the file prints ~95 %


def test_same_photo_same_bytes(tmp_path):
    p = save(ramp(1800, 1200), tmp_path / "a.jpg")
    a = prepare_photo(p, FRAME)
    b = prepare_photo(p, FRAME)
    assert a.data == b.data
    c = prepare_photo(p, FRAME, mode="cmyk")
    d = prepare_photo(p, FRAME, mode="cmyk")
    assert c.data == d.data


def test_rgb_to_cmyk_within_the_ink_limit(tmp_path):
    p = save(rgb_photo(900, 600), tmp_path / "c.png", "PNG")
    prep = prepare_photo(p, FRAME, mode="cmyk", tac_limit=240)
    assert prep.colorspace == "DeviceCMYK" and prep.filter == "FlateDecode"
    a = np.frombuffer(zlib.decompress(prep.data), dtype=np.uint8).reshape(prep.height, prep.width, 4)
    assert a.astype(int).sum(axis=2).max() <= 240 * 255 / 100
    assert prep.record.conversion == "RGB -> CMYK"
    # a neutral grey separates to black only (full grey component replacement)
    g = prepare_photo(save(Image.new("RGB", (600, 400), (128, 128, 128)), tmp_path / "g.png", "PNG"),
                      FRAME, mode="cmyk")
    ga = np.frombuffer(zlib.decompress(g.data), dtype=np.uint8).reshape(-1, 4)
    # 50 % wanted on paper: about 28 % in the file, which prints at 50 % with 26 % dot gain at 40 %
    assert ga[:, :3].max() == 0 and 65 < ga[:, 3].min() <= ga[:, 3].max() < 78


def test_cmyk_source_over_the_limit_is_clipped_and_reported(tmp_path):
    a = np.full((400, 600, 4), 255, dtype=np.uint8)          # 400 % everywhere ...
    a[:200] = (0, 0, 0, 128)                                  # ... but the top half: K 50 %
    p = save(Image.fromarray(a, "CMYK"), tmp_path / "k.jpg", quality=95)
    prep = prepare_photo(p, FRAME, mode="cmyk", tac_limit=240, page=1, owner="lead")
    out = np.frombuffer(zlib.decompress(prep.data), dtype=np.uint8).reshape(prep.height, prep.width, 4).astype(int)
    assert out.sum(axis=2).max() <= 240 * 255 / 100
    r = prep.record
    assert r.tac_source_max > 390 and r.tac_max <= 240 and 0.3 < r.tac_clipped < 0.7
    assert r.conversion == ""                                 # CMYK stays CMYK
    # black is kept, cyan/magenta/yellow give way
    assert out[-1, 0, 3] >= 250
    fs = [f for f in photo_findings([r]) if f.code == "photo-tac"]
    assert [f.severity for f in fs] == ["warning"] and "clipped" in fs[0].message
    grey = prepare_photo(p, FRAME, mode="grey")
    assert grey.colorspace == "DeviceGray" and grey.record.conversion == "CMYK -> grey"


def test_png_with_alpha_is_flattened_on_white(tmp_path):
    im = Image.new("RGBA", (600, 400), (0, 0, 0, 0))
    im.paste((0, 0, 0, 255), (0, 0, 300, 400))
    prep = prepare_photo(save(im, tmp_path / "t.png", "PNG"), FRAME)
    g = pixels(prep)
    assert g[10, -5] >= 250 and g[10, 5] <= 30


def test_exif_orientation_is_applied(tmp_path):
    im = ramp(1200, 800)
    exif = Image.Exif()
    exif[0x0112] = 6                          # rotate 90° clockwise when shown
    p = tmp_path / "o.jpg"
    im.save(p, "JPEG", exif=exif)
    prep = prepare_photo(p, FRAME)
    assert prep.record.source_size == (800, 1200)


# --------------------------------------------------------------------------- resolution

@pytest.mark.parametrize("px,severity", [(300, "error"), (900, "warning"), (1800, None)])
def test_resolution_at_printed_size(tmp_path, px, severity):
    p = save(ramp(px, px * 2 // 3), tmp_path / "r.jpg")
    prep = prepare_photo(p, FRAME, owner="lead", page=1)
    r = prep.record
    # the frame is 369 pt wide: px / (369 / 72) pixels per inch (the height crops)
    assert r.ppi == pytest.approx(px / (FRAME[2] / 72), rel=0.01)
    fs = [f for f in photo_findings([r]) if f.code == "photo-resolution"]
    if severity is None:
        assert fs == [] and r.ppi >= WARN_PPI
    else:
        assert [f.severity for f in fs] == [severity] and fs[0].page == 1 and fs[0].box == FRAME
        assert f"{r.ppi:.0f} ppi" in fs[0].message
    assert (r.ppi < ERROR_PPI) == (severity == "error")


def test_far_above_300_ppi_is_downsampled(tmp_path):
    p = save(ramp(6000, 4000), tmp_path / "big.jpg")
    frame = (0.0, 0.0, 144.0, 96.0)           # 2 x 4/3 inches: 3000 ppi
    prep = prepare_photo(p, frame)
    r = prep.record
    assert r.resampled and r.ppi == pytest.approx(3000, rel=0.01)
    assert prep.width == pytest.approx(2 * TARGET_PPI, abs=2) and prep.height == pytest.approx(400, abs=2)
    assert r.output_ppi == pytest.approx(TARGET_PPI, rel=0.01)
    assert [f.code for f in photo_findings([r])] == ["photo-converted", "photo-downsampled"]
    # not far above: kept as it is
    prep2 = prepare_photo(save(ramp(800, 534), tmp_path / "ok.jpg"), frame)
    assert not prep2.record.resampled and prep2.width == 800


# --------------------------------------------------------------------------- in the PDF

def _images(reader: pypdf.PdfReader, page) -> dict:
    xo = page["/Resources"].get("/XObject", {})
    return {name: ref.get_object() for name, ref in xo.items() if ref.get_object()["/Subtype"] == "/Image"}


def _draws(reader, page) -> list[dict]:
    """Each image drawn: its clip rectangle and its cm matrix."""
    out, clip, cm = [], None, None
    ops = operations(reader, page)
    for i, (args, op) in enumerate(ops):
        if op == b"re" and i + 1 < len(ops) and ops[i + 1][1] == b"W":
            clip = tuple(float(v) for v in args)
        elif op == b"cm":
            cm = tuple(float(v) for v in args)
        elif op == b"Do":
            out.append({"name": args[0], "clip": clip, "cm": cm})
        elif op == b"Q":
            clip = cm = None
    return out


def test_photo_placed_with_focus_in_the_pdf(tmp_path):
    # a panorama: far wider than any frame the place stage gives it, so fill must crop
    path = make_issue(tmp_path, issue=[("      caption: 获奖者上台领奖\n",
                                        "      caption: 获奖者上台领奖\n      focus: [0.0, 0.5]\n")],
                      photo=rgb_photo(6000, 400))
    out = tmp_path / "p.pdf"
    result = render(str(path), out)
    rec = result.preflight.images[0]
    assert rec.focus == (0.0, 0.5) and rec.fit == "fill"
    assert rec.crop[0] == 0 and rec.crop[2] < 6000 and rec.crop[1] == 0 and rec.crop[3] == 400
    r = pypdf.PdfReader(out)
    imgs = _images(r, r.pages[0])
    assert len(imgs) == 1
    (name, x), = imgs.items()
    assert (int(x["/Width"]), int(x["/Height"])) == rec.output_size
    assert (rec.crop[2] - rec.crop[0], rec.crop[3] - rec.crop[1]) == rec.output_size
    assert x["/ColorSpace"] == "/DeviceGray" and int(x["/BitsPerComponent"]) == 8
    frame = next(it for it in result.laid.pages[0].items if isinstance(it, PhotoFrame) and it.owner == "lead")
    trim = [float(v) for v in r.pages[0]["/TrimBox"]]
    draw, = _draws(r, r.pages[0])
    assert draw["name"] == name
    # clipped to the frame (PDF space: y up from the media's bottom)
    assert draw["clip"] == pytest.approx((trim[0] + frame.x, trim[3] - frame.y - frame.h, frame.w, frame.h), abs=0.01)
    a, b, c, d, e, f = draw["cm"]
    px, py, pw, ph = rec.placed
    assert (a, b, c, d) == pytest.approx((pw, 0, 0, ph), abs=0.01)
    assert (e, f) == pytest.approx((trim[0] + px, trim[3] - py - ph), abs=0.01)
    # 400 pixels over the frame's height: under 200 ppi, a warning located on the frame
    res = [f for f in result.preflight.findings if f.code == "photo-resolution"]
    assert rec.ppi < 200 and [f.severity for f in res] == ["warning"] and res[0].box == rec.frame


def test_photos_knock_out(tmp_path):
    """A photo drawn after black rules and text (which overprint) is drawn with overprint off:
    the ExtGState in force at the image's Do, read back from the content stream."""
    path = make_issue(tmp_path, photo=rgb_photo(1800, 1200))
    out = tmp_path / "k.pdf"
    render(str(path), out)
    r = pypdf.PdfReader(out)
    states = paint_states(r, r.pages[0])
    images = [i for i, s in enumerate(states) if s["what"] == "image"]
    assert images, "no image drawn"
    # black strokes overprint before the photo: the test would see a left-over overprint
    assert any(s["what"] == "stroke" and s["overprint"] for s in states[:images[0]])
    for i in images:
        assert states[i]["overprint"] is False and states[i]["stroke_overprint"] is False, states[i]


def test_photo_fit_and_cmyk(tmp_path):
    path = make_issue(tmp_path, issue=[("      caption: 获奖者上台领奖\n",
                                        "      caption: 获奖者上台领奖\n      fit: fit\n")],
                      photo=rgb_photo(6000, 400))
    out = tmp_path / "f.pdf"
    result = render(str(path), out, settings=PrintSettings(photos="cmyk"))
    rec = result.preflight.images[0]
    assert rec.crop == (0, 0, 6000, 400) and rec.output_mode == "cmyk"
    fx, fy, fw, fh = rec.frame
    x, y, w, h = rec.placed
    # the whole image, as wide as the frame, centred in its height
    assert w == pytest.approx(fw) and h < fh and w / h == pytest.approx(15)
    assert x == pytest.approx(fx) and y == pytest.approx(fy + (fh - h) / 2)
    r = pypdf.PdfReader(out)
    (name, img), = _images(r, r.pages[0]).items()
    assert img["/ColorSpace"] == "/DeviceCMYK"
    a = np.frombuffer(img.get_data(), dtype=np.uint8).reshape(-1, 4).astype(int)
    assert a.sum(axis=1).max() <= 240 * 255 / 100
    assert [f for f in result.preflight.findings if f.stage == "pdf"] == []


def test_missing_photo_keeps_a_marked_frame(tmp_path):
    out = tmp_path / "m.pdf"
    result = render("1640", out)
    r = pypdf.PdfReader(out)
    assert _images(r, r.pages[0]) == {}
    text = re.sub(r"\s+", "", r.pages[0].extract_text())
    assert "图片缺失" in text and "photos/awards.jpg" in text
    frame = next(it for it in result.laid.pages[0].items if isinstance(it, PhotoFrame) and it.owner == "lead")
    f = next(f for f in result.preflight.findings if f.code == "missing-photo")
    assert f.page == 1 and f.box == (frame.x, frame.y, frame.w, frame.h)


@pytest.fixture(scope="module")
def laid_1640():
    issue, style = load("1640")
    fonts = build_fontset(style.fonts, style.fallback)
    return issue, style, fonts, place_issue(issue, style, fonts)


def _with_items(laid, page_no: int, change):
    pages = tuple(msgspec.structs.replace(p, items=tuple(change(list(p.items)))) if p.number == page_no else p
                  for p in laid.pages)
    return msgspec.structs.replace(laid, pages=pages)


def test_unreadable_photo_is_an_error_with_a_placeholder(tmp_path, laid_1640):
    issue, style, fonts, laid = laid_1640
    junk = tmp_path / "junk.jpg"
    junk.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg" * 10)

    def swap(items):
        return [msgspec.structs.replace(it, present=True, path=junk)
                if isinstance(it, PhotoFrame) and it.owner == "lead" else it for it in items]

    bad = _with_items(laid, 1, swap)
    log = EmitLog()
    out = write_pdf(bad, issue, style, fonts, tmp_path / "u.pdf", log=log)
    assert isinstance(log.images[0], ImageRecord) and log.images[0].error
    text = re.sub(r"\s+", "", pypdf.PdfReader(out).pages[0].extract_text())
    assert "图片无法读取" in text and "junk.jpg" in text
    pre = preflight(issue, style, fonts, bad, pdf=out, log=log)
    f = next(f for f in pre.findings if f.code == "photo-unreadable")
    assert f.severity == "error" and f.page == 1 and f.box is not None


def test_what_touches_the_trim_edge_bleeds(tmp_path, laid_1640):
    issue, style, fonts, laid = laid_1640
    photo = save(ramp(900, 600), tmp_path / "edge.jpg")
    W = style.page.width

    def add(items):
        return items + [Box(0.0, 300.0, 200.0, 50.0, fill="tint"),
                        PhotoFrame(x=W - 150.0, y=0.0, w=150.0, h=100.0, path=photo, present=True,
                                   owner="edge", label="edge.jpg")]

    edged = _with_items(laid, 2, add)
    log = EmitLog()
    out = write_pdf(edged, issue, style, fonts, tmp_path / "e.pdf", log=log)
    r = pypdf.PdfReader(out)
    page = r.pages[1]
    bleed = [float(v) for v in page["/BleedBox"]]
    trim = [float(v) for v in page["/TrimBox"]]
    ops = operations(r, page)
    fills = [tuple(float(v) for v in a) for i, (a, op) in enumerate(ops)
             if op == b"re" and i + 1 < len(ops) and ops[i + 1][1] == b"f"]
    assert any(abs(x - bleed[0]) < 0.01 and abs(w - (200 + (trim[0] - bleed[0]))) < 0.01 for x, _, w, _ in fills)
    draw, = _draws(r, page)
    cx, cy, cw, ch = draw["clip"]
    assert cx + cw == pytest.approx(bleed[2], abs=0.01) and cy + ch == pytest.approx(bleed[3], abs=0.01)
    assert {k for _, k, _ in log.bled} >= {"box", "photo edge"}


def test_line_art_stays_sharp_and_solid(tmp_path):
    """A black-and-white image (a QR code): solid black, lossless, no tone compensation."""
    rng = np.random.default_rng(7)
    modules = (rng.random((25, 25)) < 0.5)
    a = np.where(np.kron(modules, np.ones((12, 12))) > 0, 0, 255).astype(np.uint8)
    p = save(Image.fromarray(a, "L").convert("RGB"), tmp_path / "qr.png", "PNG")
    frame = (0.0, 0.0, 72.0, 72.0)
    prep = prepare_photo(p, frame, fit="fit")
    assert prep.record.line_art and prep.filter == "FlateDecode" and prep.colorspace == "DeviceGray"
    g = np.frombuffer(zlib.decompress(prep.data), dtype=np.uint8)
    assert set(np.unique(g)) == {0, 255}
    assert (g.reshape(prep.height, prep.width) == a).all()
    k = prepare_photo(p, frame, fit="fit", mode="cmyk")
    c = np.frombuffer(zlib.decompress(k.data), dtype=np.uint8).reshape(-1, 4)
    assert c[:, :3].max() == 0 and set(np.unique(c[:, 3])) == {0, 255}
