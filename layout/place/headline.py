"""Breaking headlines and decks into balanced lines at word boundaries.

Chinese has no spaces, so word boundaries come from segmentation (jieba). Loading
jieba's dictionary costs about half a second, so segmentations are cached per text
in the user's cache directory and jieba is imported only on a miss.
"""
from __future__ import annotations

import hashlib
import itertools
from pathlib import Path
from typing import Callable, Sequence

from ..fonts.face import cache_dir
from ..diskcache import JsonCache

OPENING = set("（［｛《〈【〔〖「『“‘([{")
CLOSING = set("）］｝》〉】〕〗」』”’)]}，。、；：？！…—·%％")
QUOTE_PAIRS = {"“": "”", "‘": "’", "《": "》", "「": "」", "『": "』", "（": "）", "(": ")"}


def _segment_raw(text: str) -> list[str]:
    import jieba   # imported only when the cache misses
    jieba.setLogLevel(60)
    return [t for t in jieba.cut(text, HMM=True) if t]


class Segmenter:
    """Word segmentation with an on-disk cache (one JSON file; small)."""

    def __init__(self, path: Path | None = None):
        self.cache = JsonCache(path or cache_dir() / "segments.json")

    def words(self, text: str) -> list[str]:
        key = hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
        got = self.cache.get(key)
        if not isinstance(got, list) or "".join(got) != text:
            got = _segment_raw(text)
            self.cache.put(key, got)
        return got

    def save(self) -> None:
        self.cache.save()


def units(words: Sequence[str]) -> list[str]:
    """Words merged into unbreakable units: closing marks stick to the word before, opening
    marks to the word after, and a quoted or bracketed phrase stays whole when short."""
    out: list[str] = []
    pending_open = ""
    for w in words:
        # a leading dash (a deck's ——) opens the line it stands on
        if all(ch in OPENING for ch in w) or (not out and all(ch in "—" for ch in pending_open + w)):
            pending_open += w
            continue
        w = pending_open + w
        pending_open = ""
        if out and all(ch in CLOSING for ch in w.lstrip("".join(OPENING))) and not w[0] in OPENING:
            out[-1] += w
        else:
            out.append(w)
    if pending_open:
        out.append(pending_open)
    # keep short quoted phrases whole: “三个年” is one unit
    merged: list[str] = []
    depth_close: list[str] = []
    buf = ""
    for u in out:
        if depth_close:
            buf += u
        else:
            buf = u
        for ch in u:
            if ch in QUOTE_PAIRS:
                depth_close.append(QUOTE_PAIRS[ch])
            elif depth_close and ch == depth_close[-1]:
                depth_close.pop()
        if not depth_close:
            merged.append(buf)
            buf = ""
        elif len(buf) > 12:          # a long quotation may break inside
            merged.append(buf)
            buf = ""
            depth_close = []
    if buf:
        merged.append(buf)
    return merged


def best_breaks(parts: Sequence[str], lines: int, measure: float,
                width: Callable[[str], float]) -> list[str] | None:
    """Split `parts` (unbreakable units) into exactly `lines` lines no wider than `measure`,
    as evenly as possible: no line of one character, the last line not much shorter than
    the rest. None when no split fits. Each unit is measured once; a line's width is a
    difference of prefix sums."""
    n = len(parts)
    if lines == 1:
        text = "".join(parts)
        return [text] if width(text) <= measure + 1e-6 else None
    if n < lines:
        return None
    pre_w, pre_n = [0.0], [0]
    for p in parts:
        pre_w.append(pre_w[-1] + width(p))
        pre_n.append(pre_n[-1] + len(p))
    limit = measure + 1e-6
    best, best_cost = None, None
    for cuts in itertools.combinations(range(1, n), lines - 1):
        bounds = (0,) + cuts + (n,)
        ws = []
        ok = True
        for a, b in zip(bounds, bounds[1:]):
            w = pre_w[b] - pre_w[a]
            if w > limit or pre_n[b] - pre_n[a] < 2:      # too wide, or a lone character
                ok = False
                break
            ws.append(w)
        if not ok:
            continue
        mean = sum(ws) / len(ws)
        cost = sum((w - mean) ** 2 for w in ws)
        if ws[-1] < 0.5 * max(ws):
            cost += 1e4                                  # a stub of a last line
        if best_cost is None or cost < best_cost:
            best, best_cost = bounds, cost
    if best is None:
        return None
    return ["".join(parts[a:b]) for a, b in zip(best, best[1:])]
