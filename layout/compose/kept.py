"""Compositions kept between runs, on disk, keyed by the paragraph's content.

The make-up sets every story at every measure it tries; the total-fit search (linebreak.py)
is most of that work, and preparing and realising the measures chosen most of the rest.
Both answers are kept in the engine's cache directory (fonts/face.py's ``cache_dir``), each
under a digest of everything a composition depends on: the spans (text, face, size), the
settings, the grid's em, the measure or line measures, the first line's indent:

* ``breaks-*``: each paragraph's breaks and each line's plan, a few numbers a line, for
  every measure tried (paragraph.count_lines needs no more);
* ``set-*``: the lines of the paragraphs realised, each glyph's x and advance as doubles
  (the other fields of a glyph are the paragraph's own characters, faces and sizes).

The files' names carry a digest of the composer's source and of the font files (their
sha256), so a changed composer or font starts empty files.  What is read back is what was
computed (floats exactly), so a paragraph sets the same from the file as afresh.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
import unicodedata
from pathlib import Path
from typing import Any

import msgspec

from ..atomic import write_atomic

# entries kept in a file (a 100-page issue sets about 4000 paragraphs at 1.7 KB each)
LIMIT_BREAKS = 40_000
LIMIT_SET = 15_000
_SOURCES = ("compose", "fonts/fontset.py", "fonts/face.py")
_PACKAGE = Path(__file__).resolve().parent.parent

#: (notes of the breaking, [(start, end, plan)]): plans as msgpack gives them (lists)
BREAKS_ENTRY = tuple[tuple[str, ...], list[tuple[int, int, Any]]]
#: (notes, [(start, end, measure, width, hyphen, xs, advances)]): xs and advances are
#: doubles in the machine's order (the file's name tells it), one a glyph and the hyphen's last
SET_ENTRY = tuple[tuple[str, ...], list[tuple[int, int, float, float, bool, bytes, bytes]]]


def _code_digest() -> str:
    """A digest of what compositions depend on besides their input: the composer's and the
    font metrics' source, Python (its Unicode tables), the hyphenation dictionaries
    (pyphen's files), the machine's byte order."""
    h = hashlib.blake2b(digest_size=8)
    h.update(f"{sys.version} {unicodedata.unidata_version} {sys.byteorder}".encode())
    spec = importlib.util.find_spec("pyphen")
    if spec is not None and spec.origin:
        st = os.stat(spec.origin)
        h.update(f"{spec.origin} {st.st_mtime_ns} {st.st_size}".encode())
    for name in _SOURCES:
        p = _PACKAGE / name
        for f in sorted(p.glob("*.py")) if p.is_dir() else [p]:
            h.update(f.name.encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def stores_for(metrics) -> "tuple[Kept, Kept] | None":
    """(breaks, set lines) for a font set (a Metrics with ``faces``, each with its file's
    sha256); None for other Metrics objects (tests' own), whose advances cannot be told apart."""
    faces = getattr(metrics, "faces", None)
    if not isinstance(faces, dict):
        return None
    try:
        fonts = sorted((k, f.sha256) for k, f in faces.items())
    except AttributeError:
        return None
    from ..fonts.face import cache_dir
    name = f"{_code_digest()}-{hashlib.blake2b(repr(fonts).encode(), digest_size=8).hexdigest()}.msgpack"
    return (Kept(cache_dir() / f"breaks-{name}", BREAKS_ENTRY, LIMIT_BREAKS),
            Kept(cache_dir() / f"set-{name}", SET_ENTRY, LIMIT_SET))


def entry_key(key) -> str:
    """The digest of a compose() cache key (spans, settings, em, measure, indent)."""
    return hashlib.blake2b(msgspec.msgpack.encode(key), digest_size=16).hexdigest()


class Kept:
    """Entries by entry_key, read from one file on first use (each entry decoded only when
    looked up: a file of a few issues splits in milliseconds), written back with the new ones,
    at most `limit`: the entries this run found or used are kept first.  An unreadable file
    counts as empty, an entry not of `type` as absent; a file that cannot be written only
    costs time."""

    def __init__(self, path: Path, type=Any, limit: int = 40_000):
        self.path = path
        self.limit = limit
        self._decoder = msgspec.msgpack.Decoder(type)
        self._data: dict[str, msgspec.Raw] | None = None
        self._used: set[str] = set()
        self._new: dict = {}

    def _load(self) -> dict:
        if self._data is None:
            try:
                self._data = msgspec.msgpack.decode(self.path.read_bytes(), type=dict[str, msgspec.Raw])
            except (OSError, msgspec.DecodeError, msgspec.ValidationError):
                self._data = {}
        return self._data

    def get(self, key: str):
        got = self._new.get(key)
        if got is not None:
            return got
        raw = self._load().get(key)
        if raw is None:
            return None
        try:
            got = self._decoder.decode(raw)
        except (msgspec.DecodeError, msgspec.ValidationError):
            return None
        self._used.add(key)
        return got

    def put(self, key: str, value) -> None:
        self._new[key] = value

    def save(self) -> None:
        if not self._new:
            return
        data = self._load()
        old = [k for k in data if k not in self._new and k not in self._used]
        used = [k for k in data if k in self._used and k not in self._new]
        room = max(0, self.limit - len(self._new) - len(used))
        merged: dict = {k: data[k] for k in old[len(old) - room:]} if room else {}
        merged.update((k, data[k]) for k in used[max(0, len(used) - (self.limit - len(self._new))):])
        merged.update(self._new)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            encoded = msgspec.msgpack.encode(merged)
            write_atomic(self.path, encoded, mode_from_umask=False)
        except OSError:
            return
        self._data = msgspec.msgpack.decode(encoded, type=dict[str, msgspec.Raw])
        # files of another composer (its digest the name's second part) are not read again
        parts = self.path.name.split("-", 2)
        if len(parts) != 3:
            return
        for stale in self.path.parent.glob(f"{parts[0]}-*-*.msgpack"):
            if stale.name.split("-", 2)[1] != parts[1]:
                try:
                    stale.unlink()
                except OSError:
                    pass
        self._used = set()
        self._new = {}


def plan(p):
    """A plan as linecost.evaluate made it (tuples; msgpack gives lists)."""
    if p is None or type(p) is tuple:
        return p
    return tuple(tuple(x) if isinstance(x, list) else x for x in p)
