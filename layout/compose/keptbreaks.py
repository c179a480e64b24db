"""Line breaks kept between runs, on disk, keyed by the paragraph's content.

The make-up sets every story at every measure it tries, and the total-fit search
(linebreak.py) is most of that work; its answer, the breaks and each line's plan, is a few
numbers a line.  They are kept in the engine's cache directory (fonts/face.py's
``cache_dir``) under a key of everything the breaks depend on: the spans (text, face, size),
the settings, the grid's em, the measure or line measures, the first line's indent.  The
file's name carries a digest of the composer's source and of the font files (their sha256),
so a changed composer or font starts an empty file.  A paragraph whose breaks are on file
is prepared and realised as before; only the search is skipped, so it sets identically.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import msgspec

from ..atomic import write_atomic

LIMIT = 200_000          # paragraphs kept (about 100 bytes each): the newest win
_SOURCES = ("compose", "fonts/fontset.py", "fonts/face.py")
_PACKAGE = Path(__file__).resolve().parent.parent


def _code_digest() -> str:
    """A digest of the source the breaks depend on (the composer, font metrics)."""
    h = hashlib.blake2b(digest_size=8)
    for name in _SOURCES:
        p = _PACKAGE / name
        for f in sorted(p.glob("*.py")) if p.is_dir() else [p]:
            h.update(f.name.encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def store_for(metrics) -> "KeptBreaks | None":
    """The store for a font set (a Metrics with ``faces``, each with its file's sha256);
    None for other Metrics objects (tests' own), whose advances cannot be told apart."""
    faces = getattr(metrics, "faces", None)
    if not isinstance(faces, dict):
        return None
    try:
        fonts = sorted((k, f.sha256) for k, f in faces.items())
    except AttributeError:
        return None
    from ..fonts.face import cache_dir
    h = hashlib.blake2b(repr(fonts).encode(), digest_size=8)
    return KeptBreaks(cache_dir() / f"breaks-{_code_digest()}-{h.hexdigest()}.msgpack")


def entry_key(key) -> str:
    """The digest of a compose() cache key (spans, settings, em, measure, indent)."""
    return hashlib.blake2b(msgspec.msgpack.encode(key), digest_size=16).hexdigest()


class KeptBreaks:
    """Breaks by entry_key: (notes of the breaking, [(start, end, plan), ...]).  An unreadable
    file counts as empty; a file that cannot be written only costs time."""

    def __init__(self, path: Path):
        self.path = path
        self._data: dict | None = None
        self._new: dict = {}

    def _load(self) -> dict:
        if self._data is None:
            try:
                got = msgspec.msgpack.decode(self.path.read_bytes())
                self._data = got if isinstance(got, dict) else {}
            except (OSError, msgspec.DecodeError):
                self._data = {}
        return self._data

    def get(self, key: str):
        got = self._new.get(key)
        if got is None:
            got = self._load().get(key)
            if got is not None:
                try:
                    notes, rows = got
                    got = (tuple(notes), [(i, j, _plan(plan)) for i, j, plan in rows])
                except (TypeError, ValueError):
                    return None
        return got

    def put(self, key: str, notes, breaks) -> None:
        self._new[key] = (tuple(notes), breaks)

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


def _plan(plan):
    """A plan as linecost.evaluate made it (tuples; msgpack gives lists)."""
    if plan is None:
        return None
    return tuple(tuple(x) if isinstance(x, list) else x for x in plan)
