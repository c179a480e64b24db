"""Breaking headlines and decks into balanced lines at word boundaries.

Chinese has no spaces, so word boundaries come from segmentation (jieba). Loading
jieba's dictionary costs about half a second, so segmentations are cached per text
in the user's cache directory and jieba is imported only on a miss; a miss loads only the
words of that text from jieba's dictionary (segment.py).
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Callable, Sequence

from ..compose import breaks
from ..compose import charclass as cc
from ..fonts.face import cache_dir
from ..diskcache import JsonCache

OPENING = set("（［｛《〈【〔〖「『“‘([{")
CLOSING = set("）］｝》〉】〕〗」』”’)]}，。、；：？！…—·%％")
QUOTE_PAIRS = {"“": "”", "‘": "’", "《": "》", "「": "」", "『": "』", "（": "）", "(": ")"}


class Segmenter:
    """Word segmentation with an on-disk cache (one JSON file; small)."""

    def __init__(self, path: Path | None = None):
        self.cache = JsonCache(path or cache_dir() / "segments.json")
        self._small = None      # a SmallSegmenter, made on the first cache miss

    def words(self, text: str) -> list[str]:
        key = hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
        got = self.cache.get(key)
        if not isinstance(got, list) or "".join(got) != text:
            if self._small is None:
                from .segment import SmallSegmenter
                self._small = SmallSegmenter()
            got = self._small.cut(text)
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
    return _keep_numbers(merged)


def _keep_numbers(parts: list[str]) -> list[str]:
    """Units joined where the body composer keeps text together too (breaks.kept_together): a
    number and its unit, a date (`3月13日`), a lone dash; one rule for headlines and body."""
    text = "".join(parts)
    kept = set(breaks.kept_together(text, cc.classify_text(text), datelines=False))
    if not kept:
        return parts
    out: list[str] = []
    at = 0
    for part in parts:
        if out and at in kept:
            out[-1] += part
        else:
            out.append(part)
        at += len(part)
    return out


def best_breaks(parts: Sequence[str], lines: int, measure: float,
                width: Callable[[str], float]) -> list[str] | None:
    """Split `parts` (unbreakable units) into exactly `lines` lines no wider than `measure`,
    as evenly as possible: no line of one character, the last line not much shorter than
    the rest. None when no split fits.

    The cost of a split is the squared spread of its line widths around their mean, plus a
    penalty when the last line is a stub (under half the longest). The mean is the total
    width over `lines` whatever the split, so the spread adds up line by line and a dynamic
    programme over break points finds the best split (not a search of every combination,
    which grows as n^(lines-1): a 90-character headline took 40 s). A split without a stub
    is one whose other lines are at most twice the last, so the stub-free best is the same
    programme with that cap, once per place the last line can start. Of equally good splits
    the one with the earliest breaks is taken (as the search of every combination did)."""
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
    total = pre_w[n]
    if total > lines * limit:
        return None                                      # cannot fit at any split
    mean = total / lines
    # ends[a]: where a line starting at unit a may end (it fits, two characters), nearest first
    ends: list[list[int]] = []
    for a in range(n):
        row, b = [], a + 1
        while b <= n and pre_w[b] - pre_w[a] <= limit:
            if pre_n[b] - pre_n[a] >= 2:
                row.append(b)
            b += 1
        ends.append(row)
    tie = 1e-9

    def split(count: int, end: int, cap: float) -> tuple[float, list[int]] | None:
        """The best split of parts[:end] into `count` lines each at most `cap` wide, with
        its bounds; the earliest breaks of equal ones (a programme from the end backwards,
        trying nearer breaks first)."""
        inf = float("inf")
        rest = [inf] * (end + 1)                         # rest[b]: parts[b:end] in k-1 lines
        rest[end] = 0.0
        choices: list[list[int]] = []
        for _ in range(count):
            cur, choice = [inf] * (end + 1), [-1] * (end + 1)
            for a in range(end):
                for b in ends[a]:
                    if b > end:
                        break
                    w = pre_w[b] - pre_w[a]
                    if w > cap:
                        break                            # nearest first: wider from here
                    if rest[b] == inf:
                        continue
                    c = (w - mean) ** 2 + rest[b]
                    if c < cur[a] - tie:
                        cur[a], choice[a] = c, b
            choices.append(choice)
            rest = cur
        if rest[0] == inf:
            return None
        bounds, a = [0], 0
        for k in range(count - 1, -1, -1):
            a = choices[k][a]
            bounds.append(a)
        return rest[0], bounds

    best: tuple[float, list[int]] | None = None

    def consider(cost: float, bounds: list[int]) -> None:
        nonlocal best
        if best is None or cost < best[0] - tie or (cost <= best[0] + tie and bounds < best[1]):
            best = (cost, bounds)

    for a in range(n):                                   # the last line is parts[a:]
        if n not in ends[a]:
            continue
        last = total - pre_w[a]
        got = split(lines - 1, a, min(limit, 2 * last))
        if got is not None:
            consider(got[0] + (last - mean) ** 2, got[1] + [n])
    anyway = split(lines, n, limit)                      # with a stub, if that is all there is
    if anyway is not None:
        ws = [pre_w[b] - pre_w[a] for a, b in zip(anyway[1], anyway[1][1:])]
        consider(anyway[0] + (1e4 if ws[-1] < 0.5 * max(ws) else 0.0), anyway[1])
    if best is None:
        return None
    bounds = best[1]
    return ["".join(parts[a:b]) for a, b in zip(bounds, bounds[1:])]
