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
from pathlib import Path
from typing import Any

import msgspec

from ..atomic import write_atomic

LIMIT = 200_000          # entries kept in a file: the newest win
_SOURCES = ("compose", "fonts/fontset.py", "fonts/face.py")
_PACKAGE = Path(__file__).resolve().parent.parent

#: (notes of the breaking, [(start, end, plan)]): plans as msgpack gives them (lists)
BREAKS = dict[str, tuple[tuple[str, ...], list[tuple[int, int, Any]]]]
#: (notes, [(start, end, measure, width, hyphen, xs, advances)]): xs and advances are
#: little-endian doubles, one a glyph (and the hyphen's last where `hyphen`)
SET = dict[str, tuple[tuple[str, ...], list[tuple[int, int, float, float, bool, bytes, bytes]]]]


def _code_digest() -> str:
    """A digest of the source compositions depend on (the composer, font metrics)."""
    h = hashlib.blake2b(digest_size=8)
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
    return Kept(cache_dir() / f"breaks-{name}", BREAKS), Kept(cache_dir() / f"set-{name}", SET)


def entry_key(key) -> str:
    """The digest of a compose() cache key (spans, settings, em, measure, indent)."""
    return hashlib.blake2b(msgspec.msgpack.encode(key), digest_size=16).hexdigest()


class Kept:
    """Entries by entry_key, read from one file on first use, written back with the new ones.
    An unreadable file (or one not of `type`) counts as empty; a file that cannot be written
    only costs time."""

    def __init__(self, path: Path, type=dict[str, Any]):
        self.path = path
        self.type = type
        self._data: dict | None = None
        self._new: dict = {}

    def _load(self) -> dict:
        if self._data is None:
            try:
                self._data = msgspec.msgpack.decode(self.path.read_bytes(), type=self.type)
            except (OSError, msgspec.DecodeError, msgspec.ValidationError):
                self._data = {}
        return self._data

    def get(self, key: str):
        got = self._new.get(key)
        return got if got is not None else self._load().get(key)

    def put(self, key: str, value) -> None:
        self._new[key] = value

    def save(self) -> None:
        if not self._new:
            return
        data = self._load()
        keep = LIMIT - len(self._new)
        old = {k: v for k, v in data.items() if k not in self._new}
        if len(old) > keep:
            old = dict(list(old.items())[len(old) - max(keep, 0):])
        merged = {**old, **self._new}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, msgspec.msgpack.encode(merged), mode_from_umask=False)
        except OSError:
            return
        self._data = merged
        self._new = {}


def plan(p):
    """A plan as linecost.evaluate made it (tuples; msgpack gives lists)."""
    if p is None or type(p) is tuple:
        return p
    return tuple(tuple(x) if isinstance(x, list) else x for x in p)
