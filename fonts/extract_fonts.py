#!/usr/bin/env python3
"""Extract the typefaces shipped in this folder from the Debian font packages.

Maintainer tool, not used at run time.  Needs the Debian packages
fonts-noto-cjk, fonts-noto-cjk-extra and fonts-lxgw-wenkai installed.

    python fonts/extract_fonts.py            # writes next to this script
    python fonts/extract_fonts.py --check    # verify the shipped files instead

The Noto CJK faces are taken from the OpenType Collections (font index 2 is
the Simplified Chinese "sc" face) and saved as standalone OTF files; tables
are copied byte for byte and the head timestamp is kept, so the output is
reproducible.  LXGW WenKai is a plain TrueType file and is copied as is.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import shutil
import sys
from pathlib import Path

NOTO = Path("/usr/share/fonts/opentype/noto")
WENKAI = Path("/usr/share/fonts/truetype/lxgw-wenkai")
SC_INDEX = 2

# output name -> (source file, TTC index or None for a plain copy)
FACES: dict[str, tuple[Path, int | None]] = {
    "NotoSerifCJKsc-Regular.otf": (NOTO / "NotoSerifCJK-Regular.ttc", SC_INDEX),
    "NotoSerifCJKsc-Black.otf": (NOTO / "NotoSerifCJK-Black.ttc", SC_INDEX),
    "NotoSansCJKsc-Bold.otf": (NOTO / "NotoSansCJK-Bold.ttc", SC_INDEX),
    "NotoSansCJKsc-Regular.otf": (NOTO / "NotoSansCJK-Regular.ttc", SC_INDEX),
    "LXGWWenKai-Regular.ttf": (WENKAI / "LXGWWenKai-Regular.ttf", None),
}


def extract(src: Path, index: int | None) -> bytes:
    if index is None:
        return src.read_bytes()
    from fontTools.ttLib import TTCollection

    coll = TTCollection(str(src), lazy=True)
    font = coll.fonts[index]
    expected = font["name"].getDebugName(6) or ""
    if not expected.endswith(("sc-Regular", "sc-Black", "sc-Bold")):
        raise SystemExit(f"{src}[{index}] is {expected!r}, not an SC face")
    buf = io.BytesIO()
    # recalcTimestamp=False keeps head.modified: byte-identical output on every run
    font.recalcTimestamp = False
    font.recalcBBoxes = False
    font.save(buf, reorderTables=True)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    ap.add_argument("--check", action="store_true", help="compare with existing files, write nothing")
    args = ap.parse_args(argv)
    bad = 0
    for name, (src, index) in FACES.items():
        data = extract(src, index)
        digest = hashlib.sha256(data).hexdigest()
        dest = args.out / name
        if args.check:
            ok = dest.exists() and hashlib.sha256(dest.read_bytes()).hexdigest() == digest
            bad += not ok
            print(f"{'ok  ' if ok else 'DIFF'} {name} {digest}")
            continue
        tmp = dest.with_suffix(dest.suffix + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(dest)
        print(f"{name}: {len(data):,} bytes sha256 {digest}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
