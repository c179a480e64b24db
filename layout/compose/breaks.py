"""Step 2, candidate breaks: where a line may end, and what a break there costs.

A break before character b is allowed unless one of these says no:

* the prohibitions of the style's level (charclass: no line start / no line end);
* inside a Latin word or number, before a space, next to a no-break space, inside
  a two-em dash or ellipsis (a break only between two whole units);
* between a number and its unit or measure word (``3|月``, ``24|条``, ``12|亿元``),
  inside a date (``3月|15日``), inside the personal names and units of a dateline
  (``本报讯（记者 方心怡）`` breaks only at its spaces), before a lone em dash (a
  connector, GB/T 15834 5.1.6, at every level).

``overlong_breaks`` is the last resort for a run that cannot fit its measure at all
(a URL, a 200-letter word, a 101-digit number, a run of ``、``): it opens breaks
inside the run, best first (a URL after ``/ . -``, a word at its hyphenation points,
a number between digit groups, then anywhere), each with a cost so that the breaker
uses them only where it must, and a hyphen drawn at a hyphenation break.
"""
from __future__ import annotations

import re
from functools import lru_cache

from . import charclass as cc

#: characters that follow a number as its unit or measure word and stay with it
UNIT_CHARS = frozenset("年月日时分秒点元角万亿千百十条个项家人名岁位次件户台辆座栋套篇批期届周天倍"
                       "吨米克斤亩公里平方余多%％‰℃度")
#: after a number, the date parts that may be followed by another number of the same date
DATE_CHARS = frozenset("年月")
#: unit characters that begin a word of their own after a date part, not a second unit:
#: 2019年度 (annual), 10月度: the line may break before them (issue 21's generated pages had
#: 会议表彰了一批 spread to 0.667 em rather than 2019年|度)
AFTER_DATE_WORDS = frozenset("度")
#: a dateline at the paragraph's start: the agency or paper, then its reporters in brackets
DATELINE = re.compile(r"[^（(，。\s]{0,12}[（(][^）)]{0,40}?(?:记者|通讯员|实习生|特约|编辑|摄)[^）)]{0,40}[）)]")

#: costs of the last-resort breaks (added to the line's cost by linecost.evaluate)
COST_KEEP = 150.0       # between a number and its unit, inside a date or a dateline
COST_URL = 200.0        # after / . - in a URL-like run
COST_HYPHEN = 400.0     # at a hyphenation point (a hyphen is drawn)
COST_DIGITS = 400.0     # between digit groups of a long number
COST_ANY = 4000.0       # against a prohibition (a run of 、 or （）)
COST_INSIDE = 6000.0    # inside a word or number at any letter or digit

_LATIN = cc.LATIN
_UNITS = cc.UNITS
_PAIRS: dict[str, dict] = {}      # level -> (left class, right class) -> _pair_flags


def _pair_flags(level: str, left: str, right: str) -> tuple[bool, bool, bool]:
    """At a boundary between classes left and right: (no break there, no spreading slot
    there, inside a two-em unit (a break only between two of them))."""
    SP, NB = cc.SP, cc.NB
    lat = left in _LATIN and right in _LATIN
    same_unit = left is right and right in _UNITS
    cut = (right in cc.NO_START_CLASSES[level] or left in cc.NO_END_CLASSES[level] or right is SP
           or right is NB or left is NB or lat)
    noslot = (left is SP or right is SP or left is NB or right is NB or lat or same_unit
              or left is cc.CN or right is cc.CN or left is cc.SL or right is cc.SL)
    return cut, noslot, same_unit


def break_opportunities(text: str, cls: list, spec: list, gap_at: list, level: str):
    """(can, inc): can[b] a line may end before char b; inc[b] 1 where boundary b is a
    slot for even spreading.  Between two ideographs both are always allowed, so only
    the boundaries next to the others (spec: their indices) are tested."""
    n = len(text)
    can = [True] * (n + 1)
    can[0] = False
    inc = [1] * (n + 1)
    inc[0] = inc[n] = 0
    pairs = _PAIRS.get(level)
    if pairs is None:
        pairs = _PAIRS[level] = {}
    upos = 0            # boundaries inside a run of one two-em unit class so far
    prev = -1
    for b in sorted({b for k in spec for b in (k, k + 1) if 0 < b < n}):
        left, right = cls[b - 1], cls[b]
        flags = pairs.get((left, right))
        if flags is None:
            flags = pairs[(left, right)] = _pair_flags(level, left, right)
        cut, noslot, same_unit = flags
        if same_unit:
            # (the boundary before, if not tested, was between ideographs)
            upos = upos + 1 if prev == b - 1 else 1
            if upos % 2 == 1:
                cut = True
        else:
            upos = 0
        prev = b
        if cut:
            can[b] = False
        if noslot or gap_at[b]:
            inc[b] = 0
    return can, inc


def _unit(text: str, m: int) -> bool:
    """Whether text[m] is a unit kept to the number before it (not 度 of 年度, 月度)."""
    return text[m] in UNIT_CHARS and not (text[m] in AFTER_DATE_WORDS and m > 0 and text[m - 1] in "年月日")


def kept_together(text: str, cls: list, datelines: bool = True) -> list[int]:
    """Boundaries that are no break: a number and its unit, a date, a dateline's names
    (a dateline: at the paragraph's start, breaks only at its spaces)."""
    DG = cc.DG
    out = []
    n = len(text)
    k = 0
    while k < n:
        if cls[k] is not DG:
            k += 1
            continue
        # a number (digits and what a Latin run holds inside it: . , :) ...
        m = k
        while m < n and cls[m] in _LATIN:
            m += 1
        # ... then its units, and a date's next number with its unit (2020年3月15日)
        while m < n and _unit(text, m):
            out.append(m)
            date = text[m] in DATE_CHARS
            m += 1
            while m < n and _unit(text, m):
                out.append(m)
                m += 1
            if date and m < n and cls[m] is DG:
                out.append(m)
                while m < n and cls[m] in _LATIN:
                    m += 1
        k = m if m > k else k + 1
    # a lone em dash is a connector (GB/T 15834 5.1.6): at every level, never a line start
    for k in range(1, n):
        if text[k] in "—―" and text[k - 1] not in "—―" and (k + 1 >= n or text[k + 1] not in "—―"):
            out.append(k)
    found = DATELINE.match(text) if datelines else None
    if found:
        for b in range(1, found.end()):
            if not text[b - 1].isspace():
                out.append(b)
    return out


# ---------------------------------------------------------------------------
# the last resort: runs longer than the measure
# ---------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _hyphenator():
    import pyphen

    return pyphen.Pyphen(lang="en_US")


def _hyphen_points(word: str) -> list[int]:
    """Offsets inside a Latin word (letters only) where it may be hyphenated."""
    if len(word) < 5:
        return []
    return [p for p in _hyphenator().positions(word) if 2 <= p <= len(word) - 2]


def overlong_breaks(text: str, cls: list, can: list, lo: list, measure: float, avail_first: float,
                    kept: frozenset):
    """For every stretch between two allowed breaks whose narrowest setting (lo: prefix
    sums of the minimal widths) is wider than its line can be (avail_first where the
    first line may reach it, else measure): the extra breaks inside it as
    {boundary: (cost, draws a hyphen)}; kept: the boundaries kept_together forbade."""
    n = len(text)
    extra: dict[int, tuple[float, bool]] = {}
    prev = 0
    for b in range(1, n + 1):
        if not can[b] and b < n:
            continue
        avail = avail_first if lo[prev] <= avail_first else measure
        if lo[b] - lo[prev] > avail:
            _open_run(text, cls, prev, b, extra, kept)
        prev = b
    return extra


def _open_run(text: str, cls: list, start: int, end: int, extra: dict, kept: frozenset) -> None:
    DG, AL = cc.DG, cc.AL
    for b in range(start + 1, end):
        if b in kept:
            extra[b] = (COST_KEEP, False)
        elif cls[b - 1] in _LATIN and cls[b] in _LATIN:
            extra[b] = (COST_INSIDE, False)
        else:
            extra[b] = (COST_ANY, False)
    # Latin runs inside the stretch: URL points, hyphenation points, digit groups (a URL
    # breaks only after its separators: no hyphen, no digit groups inside it)
    stretch = text[start:end]
    url = "://" in stretch or "www." in stretch or ("/" in stretch and "." in stretch)
    if url:
        for b in range(start + 1, end):
            if text[b - 1] in "/.-_?&=#":
                extra[b] = (COST_URL, False)
    k = start
    while k < end:
        if cls[k] not in _LATIN:
            k += 1
            continue
        m = k
        while m < end and cls[m] in _LATIN:
            m += 1
        run = text[k:m]
        urlish = url or "@" in run
        for t in range(k + 1, m):
            if text[t - 1] == "-" or (urlish and text[t - 1] in "/.-_?&=#@"):
                extra[t] = (COST_URL, False)
        # words of letters: hyphenation points
        for t, u in ([] if urlish else _class_runs(cls, k, m, AL)):
            for p in _hyphen_points(text[t:u]):
                if extra.get(t + p, (COST_INSIDE,))[0] > COST_HYPHEN:
                    extra[t + p] = (COST_HYPHEN, True)
        # numbers (not a URL's): between groups of three, counted from the number's end
        for t, u in ([] if urlish else _class_runs(cls, k, m, DG)):
            for b in range(t + 1, u):
                if (u - b) % 3 == 0 and extra.get(b, (COST_INSIDE,))[0] > COST_DIGITS:
                    extra[b] = (COST_DIGITS, False)
        k = m


def _class_runs(cls: list, start: int, end: int, code: str) -> list[tuple[int, int]]:
    """Maximal runs [t, u) of class code within [start, end)."""
    out = []
    t = start
    while t < end:
        if cls[t] is not code:
            t += 1
            continue
        u = t
        while u < end and cls[u] is code:
            u += 1
        out.append((t, u))
        t = u
    return out
