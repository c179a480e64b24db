"""Page make-ups kept between layouts of one issue (the proof server, check/serve.py).

The page search (search.py over variants.py) is most of a layout's time, and an edit touches
one page: a page whose search input is as it was takes the cells and variants found before.
The input, digested: the page's slots (the plan's cells, reserved frames, ads, continuations
with their first line and measure), the copy of every story on it, the style sheet, the type
area its furniture leaves (top line, body grid) and the photo files its stories name (their
aspect is read from the file).  Where copy sits in the issue file (``origin``) is left out: a
line added above a story moves it but does not change its page.

The search's result is a pure function of that input (the composer's caches only make it
quicker), so a kept make-up is the one the search would find; tests/test_serve.py checks the
pages come out the same byte for byte.
"""
from __future__ import annotations

import hashlib

import msgspec

from ..compose.caches import remember

__all__ = ["PageSearches", "KeptShapes", "shapes_key"]

LIMIT = 1024        # make-ups kept (a 100-page issue, edited back and forth, fits)
SHAPES_LIMIT = 8192  # story shapes kept (a story at each width, lead or not: ~12 a story)


class PageSearches:
    """What the proof server keeps of page searches, and what the last layout did with them:
    ``searched`` the page numbers searched again, ``kept`` those that took a kept make-up."""

    def __init__(self, limit: int = LIMIT):
        self.limit = limit
        self.made: dict[str, tuple] = {}
        self.searched: list[int] = []
        self.kept: list[int] = []
        self.shapes = KeptShapes()      # the stories' shapes, for the pages searched again

    def begin(self) -> None:
        """A new layout: its own counts."""
        self.searched, self.kept = [], []

    def make_up(self, number: int, key: str, search):
        """The make-up for `key`, from the last layouts or from ``search()`` (then kept)."""
        got = self.made.get(key)
        if got is not None:
            self.kept.append(number)
            return got
        got = search()
        self.searched.append(number)
        remember(self.made, key, got, self.limit)
        return got


class KeptShapes:
    """Story shapes (variants.py: Variants.shapes, one story at one width) kept between
    layouts. A page an edit touches is searched again, and its other stories, unchanged, take
    the shapes they had: on 1640 page 1 an edit of the lead's paragraph laid out in 90 ms, 72
    of them the three stories' shapes (34 the brief's vertical headline blocks). The key
    (shapes_key) holds everything a story's shapes are computed from."""

    def __init__(self, limit: int = SHAPES_LIMIT):
        self.limit = limit
        self.made: dict[tuple, dict] = {}

    def get(self, key: tuple) -> dict | None:
        return self.made.get(key)

    def put(self, key: tuple, shapes: dict) -> None:
        remember(self.made, key, shapes, self.limit)


def shapes_key(slot, story, context: tuple) -> str:
    """The digest of what one story's shapes are computed from: its slot and copy (the copy's
    place in the issue file left out), its photo file as it is now, and `context` (the
    style's digest, the type area's lines and columns, the search's options)."""
    return _digest((slot, story, _photo_state(story), context))


def style_digest(style, grid) -> str:
    """The digest of a style sheet and a body grid (shapes_key's context)."""
    return _digest((style, grid))


def search_key(slots, stories, style, body_grid, top: int) -> str:
    """The digest of one page's search input (see the module's docstring)."""
    ids = [s.story for s in slots if s.story]
    copy = [stories[i] for i in dict.fromkeys(ids)]
    return _digest((slots, copy, style, body_grid, top, [_photo_state(story) for story in copy]))


def _photo_state(story) -> tuple:
    """A story's photo file as it is now: its path, time and size (None when there is none)."""
    f = story.photo.file if story.photo is not None else None
    try:
        st = f.stat() if f is not None else None
    except OSError:
        st = None
    return str(f), st.st_mtime_ns if st else None, st.st_size if st else None


def _digest(data) -> str:
    """Records digested as plain data, where copy sits in the issue file left out."""
    plain = _without_origin(msgspec.to_builtins(data, enc_hook=str))
    return hashlib.blake2b(msgspec.msgpack.encode(plain), digest_size=16).hexdigest()


def _without_origin(x):
    if isinstance(x, dict):
        return {k: _without_origin(v) for k, v in x.items() if k != "origin"}
    if isinstance(x, (list, tuple)):
        return [_without_origin(v) for v in x]
    return x
