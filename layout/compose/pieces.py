"""Clusters and their width options.

A paragraph alternates *grid units* (ideographs one em wide: they never change
width) and *clusters* (maximal runs of everything else: punctuation, Latin and
digit runs with their Han-Latin gaps, spaces, dashes).  Every adjustment the
composer can make lives in a cluster: a compressible mark is full or half width,
an adjacent pair is compressed to 1.5 em or set back to 2 em, a Han-Latin gap
takes any width between 1/8 and 1/2 em, a word space between 1/4 and 1/2 em.

A *piece* is a cluster, or the part of one that a line break cut off, seen in
its line context (at the line start, at the line end, or between two grid
units).  ``build_piece`` enumerates the piece's discrete choices (``combos``: one
state per compressible mark) and the continuous range of its spaces, and derives

* ``ints``: for each whole number of ems the piece can take (so that the grid
  units after it stay on the character grid) the cheapest way to take it;
* ``ivals``: the width intervals it can take at the line end (any real width);
* the natural width and, for clreq's priority justification, its shrink and
  stretch capacity per priority class.

Pieces are cached by content and context, so a paragraph of 5000 characters
builds only a few dozen distinct ones.
"""
from __future__ import annotations

import itertools
import math
from operator import itemgetter

from . import charclass as cc
from . import punctuation
from .punctuation import END_HALF, HANG

# ---------------------------------------------------------------------------
# Costs (the total-fit line breaker adds these up; units are arbitrary)
# ---------------------------------------------------------------------------
LINE = 120.0         # every line: default of ComposeSettings.line_penalty
OFFGRID = 80.0       # a line whose ideographs leave the character grid
RAGGED_K = 0.5       # unjustified (ragged) lines: per em^2 of room left
PUSH_OUT = 40.0      # a character carried down although it fitted (push out)
CONT = 2.0           # per em of Han-Latin gap / space deviation from nominal
SPREAD_K = 400.0     # even spreading: SPREAD_K * s^2, s in em per gap
SPREAD_LIMIT = 0.10  # em: more than this between ideographs is a fault
OVER_LIMIT = 2000.0  # ... and costs this much (plus 20000 per em beyond)
SQUEEZE_K = 1200.0   # the whole line set evenly tighter: SQUEEZE_K * s^2
SQUEEZE_LIMIT = 0.05  # em taken from each gap at most
HAN_SPACE = 1.0     # em: a space between two Han characters (本报讯（记者　方心怡）): a full one
ORPHAN = 5000.0      # a last line shorter than settings.min_last_line
EPS = 1e-6

# Fallback (clreq priority) classes.  Shrink order (clreq "Procedures for
# Inter-Character Spacing Reduction"): line-end mark (to a fixed half em), word
# spaces, interpuncts, brackets, commas, Han-Latin gaps.  Stretch order ("...Space
# Expansion"): word spaces, Han-Latin gaps, then even spreading.  (A compressed
# pair set back to full width is local absorption, used by the grid mode only.)
S_END, S_WORD, S_DOT, S_BRACKET, S_COMMA, S_GAP = range(6)
T_WORD, T_GAP = range(2)
SHRINK_RATE = (END_HALF * 2, CONT, 16.0, 16.0, 16.0, CONT)     # (no mid-line mark shrinks)
STRETCH_RATE = (CONT, CONT)

_SHRINK_CLASS = {cc.MD: S_DOT, cc.OP: S_BRACKET, cc.CL: S_BRACKET, cc.CM: S_COMMA, cc.DV: S_COMMA}


class Piece:
    __slots__ = ("n", "at_start", "at_end", "marks", "conts", "combos", "cmin", "cnom",
                 "cmax", "nat", "ints", "best_k", "best_cost", "up", "dn", "ivals",
                 "shrink", "stretch", "by_k", "sums")

    def fit(self, d: float, em: float):
        """Cheapest way to take exactly width d at the line end: (cost, combo, c) or None."""
        best = None
        for lo, hi, nom, cost, ci, fixed in self.ivals:
            if lo - EPS <= d <= hi + EPS:
                c = d - fixed
                tot = cost + CONT * abs(c - self.cnom) / em
                if best is None or tot < best[0]:
                    best = (tot, ci, c)
        return best


def build_piece(P, s: int, e: int, at_start: bool, at_end: bool) -> Piece:
    """Options of chars [s, e) of the paragraph prepared in P (see breaker.Para).

    Indices stored in the piece (``marks``, ``conts``) are relative to s, so the
    piece can be shared by every occurrence of the same content and context.
    """
    EM = P.EM
    st = P.settings
    cls, comp, w0, role, gap_at, text = P.cls, P.comp, P.w0, P.role, P.gap_at, P.text
    style = st.punctuation
    pc = Piece()
    pc.n, pc.at_start, pc.at_end = e - s, at_start, at_end

    # natural states of compressible marks, then each mark's states (punctuation.py)
    nat = punctuation.natural_states(comp, cls, s, e, style)
    ismark = P.ismark
    hanging = st.hanging

    fixed0 = 0.0
    marks: list[tuple[int, list[tuple[float, float, str]]]] = []
    for k in range(s, e):
        side = comp[k]
        last = at_end and k == e - 1
        if role[k] in ("G", "W", "C", "Z"):
            continue                      # spaces: continuous, handled below
        hangable = (last and hanging and text[k] in cc.HANGABLE and not (k > s and ismark[k - 1]))
        if not side:
            fixed0 += w0[k]
            if hangable:
                marks.append((k - s, [(w0[k], 0.0, "N"), (0.0, HANG, "H")]))
                fixed0 -= w0[k]
            continue
        marks.append((k - s, punctuation.mark_states(side, nat[k], w0[k], last, hangable)))

    # continuous elements: (kind, index, nominal, min, max, fallback class)
    conts: list[tuple[str, int, float, float, float, int]] = []
    letters, digits = st.gap_range(False), st.gap_range(True)
    flex = st.gap_flex
    gap_digits, space_digits = P.gap_digits, P.space_digits
    bstart = s + 1 if at_start else s
    bend = e if at_end else e + 1
    for b in range(bstart, bend):
        if 0 < b < P.n and gap_at[b]:
            g0, gmin, gmax = digits if gap_digits.get(b) else letters
            conts.append(("b", b - s, g0 * EM, gmin * EM, gmax * EM, S_GAP))
    for k in range(s, e):
        r = role[k]
        if r in ("G", "W", "C"):
            if (at_start and k == s) or (at_end and k == e - 1):
                continue
            em_k = P.size[k]
            if r == "G":
                g0, gmin, gmax = digits if space_digits.get(k) else letters
                conts.append(("c", k - s, g0 * EM, gmin * EM, gmax * EM, S_GAP))
            elif r == "W":
                a = P.adv[k]
                conts.append(("c", k - s, a, min(a, 0.25 * em_k), max(a, 0.5 * em_k), S_WORD))
            else:
                conts.append(("c", k - s, HAN_SPACE * em_k, (HAN_SPACE - flex) * em_k,
                              (HAN_SPACE + flex) * em_k, S_GAP))
    if conts:
        cnom = sum(c[2] for c in conts)
        cmin = sum(c[3] for c in conts)
        cmax = sum(c[4] for c in conts)
    else:
        cnom = cmin = cmax = 0          # (the sums of nothing)

    # enumerate discrete combinations (bounded)
    lists = [m[1] for m in marks]
    total = 1
    for lst in lists:
        total *= len(lst)
    if total > 256:
        # keep only the two cheapest states of each mark
        lists = [sorted(lst, key=lambda t: t[1])[:2] for lst in lists]
        if len(lists) > 8:
            # a long run with no grid unit (Latin copy with Chinese punctuation, text in
            # another size than the grid's): 2**marks would never end.  The marks nearest
            # the ends keep their choices (line-start and line-end adjustments live
            # there); the others stay in their natural state.
            lists = lists[:4] + [lst[:1] for lst in lists[4:-4]] + lists[-4:]
    combos = []
    for prod in itertools.product(*lists) if lists else [()]:
        widths, costs, tags = zip(*prod) if prod else ((), (), ())
        combos.append((fixed0 + sum(widths), sum(costs), tags))
    # the natural combo is the first one (every list starts with its natural state)
    pc.marks = marks
    pc.conts = conts
    pc.combos = combos
    pc.cmin, pc.cnom, pc.cmax = cmin, cnom, cmax
    pc.nat = combos[0][0] + cnom

    # whole-em options
    ints: dict[int, tuple[float, int, float]] = {}
    ivals = []
    for ci, (fx, cost, _tags) in enumerate(combos):
        lo, hi = fx + cmin, fx + cmax
        ivals.append((lo, hi, fx + cnom, cost, ci, fx))
        k0 = math.ceil(lo / EM - EPS)
        k1 = math.floor(hi / EM + EPS)
        for k in range(k0, k1 + 1):
            c = k * EM - fx
            tot = cost + CONT * abs(c - cnom) / EM
            cur = ints.get(k)
            if cur is None or tot < cur[0] - 1e-9:
                ints[k] = (tot, ci, c)
    ivals.sort(key=itemgetter(3))
    pc.ivals = ivals
    pc.ints = sorted(((k, v[0], v[1], v[2]) for k, v in ints.items()), key=lambda t: (t[1], abs(t[0] * EM - pc.nat)))
    if pc.ints:
        bk, bc = pc.ints[0][0], pc.ints[0][1]
        pc.best_k, pc.best_cost = bk, bc
        up = ints.get(bk + 1)
        dn = ints.get(bk - 1)
        pc.up = None if up is None else up[0] - bc
        pc.dn = None if dn is None else dn[0] - bc
    else:
        pc.best_k, pc.best_cost, pc.up, pc.dn = None, 0.0, None, None

    # priority capacities from the natural state
    shrink = [0.0] * 6
    stretch = [0.0] * 2
    for (k, states) in marks:
        n0 = states[0]
        for w, _c, tag in states[1:]:
            if tag == "E":
                shrink[S_END] += n0[0] - w
            elif tag in ("A", "T", "I"):
                shrink[_SHRINK_CLASS.get(cls[s + k], S_COMMA)] += n0[0] - w
    for kind, idx, nom, mn, mx, klass in conts:
        shrink[klass] += nom - mn
        stretch[T_WORD if klass == S_WORD else T_GAP] += mx - nom
    pc.shrink = shrink
    pc.stretch = stretch
    pc.by_k = {t[0]: t for t in pc.ints}
    # what breaker.Para adds up over the interior clusters of a line
    pc.sums = (pc.nat, pc.best_k or 0, pc.best_cost, pc.best_k is None, pc.up is not None,
               pc.dn is not None, pc.up or 0.0, pc.dn or 0.0, *shrink, *stretch[:2])
    return pc
