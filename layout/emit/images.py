"""Photos for print: read, crop or fit to the frame, convert for newsprint, encode.

One call, :func:`prepare_photo`, turns an image file (JPEG or PNG, through Pillow) and the
frame it is placed in into the bytes of a PDF image XObject and a record of what was done:

* geometry: ``fill`` scales the image to cover the frame and crops it, keeping the focal
  point (``focus``, 0..1 from the left and the top) as near the frame's centre as the image
  allows; ``fit`` scales the whole image into the frame, centred.  Only the pixels that show
  are embedded (plus less than one pixel of rounding, which the emitter clips to the frame).
* resolution: the effective resolution is the source's pixels per inch at the printed size;
  an image far above the target (more than ``DOWNSAMPLE_ABOVE`` ppi) is resampled to
  ``TARGET_PPI``, decoded at a reduced scale when it is a JPEG (``draft``) and box-reduced
  first when it is not, so that a large photo costs little more than the pixels printed.
* colour: ``grey`` (the default for newsprint) gives a DeviceGray image, ``cmyk`` a
  DeviceCMYK one.  RGB sources are converted here, without an ICC transform: grey is the
  luma (ITU-R BT.601, as Pillow computes it); CMYK is ``1 - RGB`` with full grey component
  replacement (black takes the common part, as newspaper separations do).  Tone values of
  converted images are compensated for newsprint's tone value increase (``TVI_40``, the
  ISO 12647-3 value at 40 %), so that mid tones do not print muddy.  CMYK sources are taken
  as separated for print and left alone, except that every pixel's total area coverage is
  clipped to the limit (cyan, magenta and yellow reduced together, black kept).
* line art (only black and white pixels, e.g. a QR code) is kept sharp: solid black, no tone
  compensation, nearest-neighbour resampling, lossless.
* encoding: grey images as baseline JPEG (quality ``JPEG_QUALITY``), CMYK as Flate (lossless:
  JPEG's error would push clipped pixels back over the ink limit).  Nothing variable (no
  time, no file name, no EXIF or ICC data) goes into the bytes, so the same input gives the
  same output.
"""
from __future__ import annotations

import io
import math
import warnings
import zlib
from pathlib import Path

import msgspec
import msgspec.structs

#: Resolution the print is made for, and the one images are resampled to when far above it.
TARGET_PPI = 300.0
#: Images above this effective resolution are resampled to TARGET_PPI.
DOWNSAMPLE_ABOVE = 450.0
#: Effective resolution below which a photo is reported: warning, error.
WARN_PPI = 200.0
ERROR_PPI = 120.0
#: Tone value increase at 40 % for coldset offset on newsprint (ISO 12647-3, IFRA26).
TVI_40 = 0.26
JPEG_QUALITY = 92
#: Largest share of the dot a converted tone is given (newsprint fills in above it).
MAX_DOT = 1.0

MODES = ("grey", "cmyk")
_REDUCIBLE = ("L", "LA", "RGB", "RGBA", "CMYK", "I", "F")    # modes Image.reduce takes


class ImageRecord(msgspec.Struct, frozen=True):
    """What was done to one photo, for the preflight and its report."""
    path: str
    owner: str
    page: int | None
    frame: tuple[float, float, float, float]      # x, y, w, h in pt, trim coordinates
    fit: str = "fill"
    focus: tuple[float, float] = (0.5, 0.5)
    source_size: tuple[int, int] = (0, 0)          # pixels (after EXIF orientation)
    source_mode: str = ""                          # Pillow mode of the file
    crop: tuple[int, int, int, int] = (0, 0, 0, 0)  # left, top, right, bottom in source pixels
    placed: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # where the pixels are drawn
    ppi: float = 0.0                               # effective resolution of the source at print size
    output_size: tuple[int, int] = (0, 0)          # pixels embedded
    output_ppi: float = 0.0
    output_mode: str = ""                          # grey | cmyk
    conversion: str = ""                           # e.g. "RGB -> grey", "" when none
    resampled: bool = False
    line_art: bool = False                         # only black and white: kept sharp, not tone-compensated
    tac_source_max: float = 0.0                    # percent, CMYK output only
    tac_max: float = 0.0                           # percent, after clipping
    tac_clipped: float = 0.0                       # share of pixels clipped (0..1)
    tac_limit: float = 240.0
    error: str | None = None                       # the file could not be read

    def as_dict(self) -> dict:
        d = {k: getattr(self, k) for k in self.__struct_fields__}
        for k in ("frame", "placed"):
            d[k] = [round(v, 3) for v in d[k]]
        for k in ("ppi", "output_ppi", "tac_source_max", "tac_max", "tac_clipped"):
            d[k] = round(d[k], 3)
        d["focus"] = list(d["focus"])
        for k in ("source_size", "crop", "output_size"):
            d[k] = list(d[k])
        return d


class PreparedImage(msgspec.Struct, frozen=True):
    """An image ready to embed: stream bytes, its dictionary facts, and where it goes."""
    data: bytes
    filter: str                                    # DCTDecode | FlateDecode
    colorspace: str                                # DeviceGray | DeviceCMYK
    width: int
    height: int
    placed: tuple[float, float, float, float]      # trim coordinates, pt (may overhang the clip)
    clip: tuple[float, float, float, float]        # the frame
    record: ImageRecord

    def __repr__(self) -> str:   # without the record (as the dataclass had it: field(repr=False))
        return "PreparedImage(" + ", ".join(f"{k}={getattr(self, k)!r}" for k in self.__struct_fields__
                                            if k != "record") + ")"


# --------------------------------------------------------------------------- geometry

def crop_geometry(iw: int, ih: int, frame: tuple[float, float, float, float], fit: str,
                  focus: tuple[float, float]) -> tuple[tuple[int, int, int, int], tuple[float, float, float, float], float]:
    """(crop box in source pixels, placed rectangle in pt, pt per source pixel).

    ``fill``: the image covers the frame; the crop keeps the focus point as close to the
    frame's centre as the image's edges allow.  ``fit``: the whole image, placed in the room
    left over by the focus (0.5, 0.5 centres it; 0, 0.5 sets it flush left).
    """
    fx, fy, fw, fh = frame
    if fit == "fit":
        s = min(fw / iw, fh / ih)
        w, h = iw * s, ih * s
        return (0, 0, iw, ih), (fx + (fw - w) * focus[0], fy + (fh - h) * focus[1], w, h), s
    s = max(fw / iw, fh / ih)
    cw, ch = fw / s, fh / s                 # visible part, in source pixels
    left = min(max(focus[0] * iw - cw / 2, 0.0), iw - cw)
    top = min(max(focus[1] * ih - ch / 2, 0.0), ih - ch)
    eps = 1e-6
    L, T = int(math.floor(left + eps)), int(math.floor(top + eps))
    R, B = min(iw, int(math.ceil(left + cw - eps))), min(ih, int(math.ceil(top + ch - eps)))
    R, B = max(R, L + 1), max(B, T + 1)
    placed = (fx + (L - left) * s, fy + (T - top) * s, (R - L) * s, (B - T) * s)
    return (L, T, R, B), placed, s


# --------------------------------------------------------------------------- tone and colour

def _tvi_lut(tvi40: float, max_dot: float = MAX_DOT) -> list[int]:
    """Ink (0..255, 255 = solid) wanted on paper -> ink to put in the file.

    The press adds k·a·(1-a) to a dot of area a (a parabola with the ISO value at 40 %);
    the file gets the a whose printed area is the one wanted."""
    if tvi40 <= 0:
        return [min(255, round(i * max_dot)) for i in range(256)]
    k = tvi40 / (0.4 * 0.6)
    out = []
    for i in range(256):
        t = i / 255
        a = ((1 + k) - math.sqrt((1 + k) ** 2 - 4 * k * t)) / (2 * k)
        out.append(min(255, max(0, round(a * max_dot * 255))))
    return out


def _normalise(im):
    """Any Pillow image -> 'L', 'RGB' or 'CMYK' (alpha flattened on white: no transparency)."""
    from PIL import Image

    mode = im.mode
    if mode in ("L", "RGB", "CMYK"):
        return im
    if mode == "1":
        return im.convert("L")
    if mode.startswith("I;16") or mode in ("I", "F"):
        wide = im.convert("I") if mode != "F" else im
        hi = wide.getextrema()[1]
        return (wide.point(lambda v: v / 257) if hi > 255 else wide).convert("L")
    if mode in ("LA", "La", "PA", "RGBA", "RGBa", "P"):
        if mode == "P" and "transparency" not in im.info:
            return im.convert("RGB")
        rgba = im.convert("RGBA")
        bg = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        bg.alpha_composite(rgba)
        out = bg.convert("RGB")
        return out.convert("L") if mode in ("LA", "La") else out
    return im.convert("RGB")


def _to_srgb(im):
    """An RGB image with an embedded ICC profile, converted to sRGB (lcms, in C)."""
    icc = im.info.get("icc_profile")
    if im.mode != "RGB" or not icc:
        return im, ""
    try:
        from PIL import ImageCms

        src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        desc = (ImageCms.getProfileDescription(src) or "").strip()
        if "srgb" in desc.lower():
            return im, ""
        dst = ImageCms.createProfile("sRGB")
        return ImageCms.profileToProfile(im, src, dst, outputMode="RGB"), desc
    except Exception:
        return im, ""


def rgb_to_cmyk(rgb, lut: list[int]):
    """RGB -> CMYK with full grey component replacement, tone-compensated through lut."""
    import numpy as np

    a = np.asarray(rgb, dtype=np.int16)
    cmy = 255 - a
    k = cmy.min(axis=2)
    cmy = cmy - k[..., None]
    lut_a = np.asarray(lut, dtype=np.uint8)
    out = np.empty(a.shape[:2] + (4,), dtype=np.uint8)
    out[..., :3] = lut_a[cmy]
    out[..., 3] = lut_a[k]
    return out


def clip_tac(cmyk, limit: float):
    """Clip every pixel's total area coverage to limit (percent): cyan, magenta and yellow are
    reduced together, black is kept.  Returns (array, max before %, max after %, share clipped)."""
    import numpy as np

    a = np.asarray(cmyk, dtype=np.int32)
    total = a.sum(axis=2)
    cap = int(math.floor(limit * 255 / 100 + 1e-9))
    before = float(total.max()) * 100 / 255 if total.size else 0.0
    over = total > cap
    n_over = int(over.sum())
    if n_over:
        sub = a[over]
        k = sub[:, 3]
        cmy = sub[:, :3]
        room = np.maximum(cap - k, 0)
        s = cmy.sum(axis=1)
        scaled = (cmy * room[:, None]) // np.maximum(s, 1)[:, None]
        sub[:, :3] = scaled
        sub[:, 3] = np.minimum(k, cap)
        a[over] = sub
    out = a.astype(np.uint8)
    after = float(a.sum(axis=2).max()) * 100 / 255 if total.size else 0.0
    return out, before, after, n_over / max(1, total.size)


# --------------------------------------------------------------------------- the photo

def prepare_photo(path: Path, frame: tuple[float, float, float, float], *, owner: str = "",
                  page: int | None = None, fit: str = "fill", focus: tuple[float, float] = (0.5, 0.5),
                  mode: str = "grey", tac_limit: float = 240.0, tvi40: float = TVI_40) -> PreparedImage | ImageRecord:
    """The image at ``path`` for ``frame`` (x, y, w, h in pt).  Returns a PreparedImage, or
    an ImageRecord with ``error`` set when the file cannot be read as an image."""
    from PIL import Image, ImageOps

    if mode not in MODES:
        raise ValueError(f"photo mode must be one of {MODES}, not {mode!r}")
    if fit not in ("fill", "fit"):
        raise ValueError(f"fit must be 'fill' or 'fit', not {fit!r}")
    base = ImageRecord(path=str(path), owner=owner, page=page, frame=tuple(frame), fit=fit,
                       focus=tuple(focus), output_mode=mode, tac_limit=tac_limit)
    fw, fh = frame[2], frame[3]
    try:
        with warnings.catch_warnings():
            # the loader has judged the size already; Pillow's own bomb warning is noise here
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as src:
                src_mode = src.mode
                orient = src.getexif().get(0x0112, 1)
                sw, sh = src.size
                iw, ih = (sh, sw) if orient in (5, 6, 7, 8) else (sw, sh)
                if fw <= 0 or fh <= 0 or iw <= 0 or ih <= 0:
                    return _replace(base, source_size=(iw, ih), source_mode=src_mode, error="empty frame or image")
                crop, placed, s = crop_geometry(iw, ih, tuple(frame), fit, focus)
                ppi = 72.0 / s
                L, T, R, B = crop
                cw, ch = R - L, B - T
                resampled = ppi > DOWNSAMPLE_ABOVE
                if resampled:
                    f = TARGET_PPI / ppi
                    size = (max(1, round(cw * f)), max(1, round(ch * f)))
                    if src.format == "JPEG" and f <= 0.5:
                        # decode at 1/2, 1/4 or 1/8 scale straight from the DCT: far faster for
                        # camera files, and still at least the size the resampling needs
                        src.draft(src_mode, (max(1, math.ceil(sw * f)), max(1, math.ceil(sh * f))))
                else:
                    size = (cw, ch)
                icc = src.info.get("icc_profile")
                im = ImageOps.exif_transpose(src)
                im.load()
    except Exception as e:  # unreadable, truncated, not an image
        return _replace(base, error=f"{type(e).__name__}: {e}")
    if resampled and im.size == (iw, ih):
        # not drafted (a PNG, whole in memory): a box reduction first, in C, so that flattening
        # and resampling work on the pixels needed, not the source's; never for line art
        k = min(cw // size[0], ch // size[1])
        if k >= 2 and im.mode in _REDUCIBLE and not im.getcolors(2):
            im = im.reduce(k)
    sx, sy = im.size[0] / iw, im.size[1] / ih      # 1 unless drafted or reduced
    box = (L * sx, T * sy, R * sx, B * sy)

    im = _normalise(im)
    line_art = _is_line_art(im)
    if resampled:
        im = im.resize(size, Image.Resampling.NEAREST if line_art else Image.Resampling.LANCZOS, box=box)
    elif (L, T, R, B) != (0, 0, iw, ih):
        im = im.crop((L, T, R, B))
    conversion = ""
    icc_note = ""
    if im.mode == "RGB":
        if icc:
            im.info["icc_profile"] = icc
        im, icc_note = _to_srgb(im)
    from_mode = {"L": "grey", "RGB": "RGB", "CMYK": "CMYK"}[im.mode]

    lut = _tvi_lut(tvi40)
    tac_before = tac_after = clipped = 0.0
    if mode == "grey":
        if im.mode == "RGB":
            im = im.convert("L")
            conversion = "RGB -> grey"
        elif im.mode == "CMYK":
            im = im.convert("RGB").convert("L")
            conversion = "CMYK -> grey"
        if line_art:
            # black and white (a QR code, a chart): solid black, sharp edges, lossless
            im = im.point(lambda v: 0 if v < 128 else 255)
            conversion = conversion and conversion + " (line art)"
            data, filt = zlib.compress(im.tobytes(), 6), "FlateDecode"
        else:
            if from_mode != "CMYK":
                # ink = 255 - L, compensated; back to DeviceGray (1 = white).  A CMYK source is
                # separated for print already: no second compensation.
                im = im.point([255 - lut[255 - v] for v in range(256)])
            data, filt = _jpeg(im), "DCTDecode"
        tac_before = tac_after = (255 - im.getextrema()[0]) * 100 / 255
        cs = "DeviceGray"
    else:
        import numpy as np
        from PIL import Image as _I

        if line_art and im.mode in ("L", "RGB"):
            ink = np.where(np.asarray(im.convert("L")) < 128, 255, 0).astype(np.uint8)
            arr = np.zeros(ink.shape + (4,), dtype=np.uint8)
            arr[..., 3] = ink
            conversion = f"{'grey' if im.mode == 'L' else 'RGB'} -> K (line art)"
        elif im.mode == "L":
            ink = np.asarray(lut, dtype=np.uint8)[255 - np.asarray(im, dtype=np.int16)]
            arr = np.zeros(ink.shape + (4,), dtype=np.uint8)
            arr[..., 3] = ink
            conversion = "grey -> K"
        elif im.mode == "RGB":
            arr = rgb_to_cmyk(im, lut)
            conversion = "RGB -> CMYK"
        else:
            arr = np.asarray(im, dtype=np.uint8)
        arr, tac_before, tac_after, clipped = clip_tac(arr, tac_limit)
        im = _I.fromarray(arr, "CMYK")
        data = zlib.compress(im.tobytes(), 6)
        filt, cs = "FlateDecode", "DeviceCMYK"
    if icc_note and conversion:
        conversion += f" (from {icc_note} via sRGB)"
    ow, oh = im.size
    rec = _replace(base, source_size=(iw, ih), source_mode=src_mode, crop=crop, placed=placed, ppi=ppi,
                   output_size=(ow, oh), output_ppi=ow * 72.0 / placed[2] if placed[2] else 0.0,
                   conversion=conversion, resampled=resampled, line_art=line_art, tac_source_max=tac_before,
                   tac_max=tac_after, tac_clipped=clipped)
    return PreparedImage(data=data, filter=filt, colorspace=cs, width=ow, height=oh, placed=placed,
                         clip=tuple(frame), record=rec)


def _is_line_art(im) -> bool:
    """Only pure black and pure white pixels (grey or RGB)."""
    if im.mode not in ("L", "RGB"):
        return False
    colors = im.getcolors(3)
    if not colors:
        return False
    ok = {0, 255} if im.mode == "L" else {(0, 0, 0), (255, 255, 255)}
    return all(c in ok for _, c in colors)


def _jpeg(im) -> bytes:
    buf = io.BytesIO()
    # baseline, no EXIF/ICC/comment, fixed quality: the same pixels give the same bytes
    im.save(buf, "JPEG", quality=JPEG_QUALITY, optimize=False, progressive=False, dpi=(72, 72))
    return buf.getvalue()


def _replace(rec: ImageRecord, **kw) -> ImageRecord:
    return msgspec.structs.replace(rec, **kw)
