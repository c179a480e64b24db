"""Paragraph preparation, line evaluation, the total-fit and first-fit line
breakers, and line realisation (glyph positions).

Order of work per clreq ("Prohibition Rules for Line Start and Line End",
"Punctuation Width Adjustment", "Line Adjustment"):

1. punctuation compression first (adjacent pairs take 1.5 em, an opening bracket
   at the line start may lose its leading half, a mark at the line end may be set
   half width), because it changes where a line can end;
2. prohibitions: a break is only a candidate where the level in
   ``settings.prohibition`` allows it; with a candidate forbidden, push in first
   (compress to take the character back) and push out second (first-fit does
   exactly this; total-fit weighs both against the whole paragraph);
3. justification: on the character grid where the clusters of the line can
   absorb the difference locally (Han-Latin gaps between 1/8 and 1/2 em, a
   compressed pair set back to full width, ...); otherwise in clreq's priority
   order (word spaces, Han-Latin gaps, interpuncts, brackets, commas) and only
   then even spreading between the remaining characters (never inside ——/……
   or a Latin word, never next to a connector or solidus).

The total-fit breaker is a dynamic programme over the candidate breaks; a line
only looks back over the candidates whose natural width lies within reach of
the measure, found by bisection on prefix sums, so the work is linear in the
paragraph length.  Line costs come from prefix sums over the interior clusters
plus the (cached) pieces at the two line ends, so evaluating a candidate line is
O(1).

Per Metrics object the module keeps advances, pieces, the measure-free part of
recently prepared paragraphs (placement sets a paragraph at several measures)
and recent results (and the same one again at the same measure); clear_caches()
forgets them all.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import accumulate, compress, repeat, starmap
from operator import add, eq, gt, ne, not_

from . import charclass as cc
from . import pieces as pz
from .model import ComposeSettings, SetGlyph, SetLine, SetParagraph
from .pieces import EPS, Piece, build_piece

INF = float("inf")

_LATIN = cc.LATIN
_MARKS = cc.MARKS
_GRID = cc.GRID
_UNITS = cc.UNITS
_SPACEROLES = ("G", "W", "C", "Z")


# ---------------------------------------------------------------------------
# caches (per Metrics object): advances, built pieces, prepared paragraphs
# ---------------------------------------------------------------------------
class _MetricsCache:
    __slots__ = ("adv", "pieces", "skeys", "paras", "results", "__weakref__")

    def __init__(self):
        self.adv: dict = {}         # font -> char -> advance (em); (font, size) -> char -> pt
        self.pieces: dict = {}
        self.skeys: dict = {}
        self.paras: dict = {}       # measure-free part of a Para (see Para.__init__)
        self.results: dict = {}     # whole compose() results (see compose)


_CACHES: dict[int, tuple[object, _MetricsCache]] = {}
# prepared paragraphs / results kept per Metrics object, the oldest dropped first (a
# prepared paragraph takes about 0.4 KB a character; placement's repeats come soon)
_MAX_PARAS = 64
_MAX_RESULTS = 128


def _cache_for(metrics) -> _MetricsCache:
    ent = _CACHES.get(id(metrics))
    if ent is not None and ent[0] is metrics:
        return ent[1]
    if len(_CACHES) > 32:
        _CACHES.clear()
    mc = _MetricsCache()
    _CACHES[id(metrics)] = (metrics, mc)
    return mc


def _remember(memo: dict, key, value, limit: int) -> None:
    if len(memo) >= limit:
        del memo[next(iter(memo))]
    memo[key] = value


def clear_caches() -> None:
    """Forget cached advances, pieces and paragraphs (call if a Metrics object changes)."""
    _CACHES.clear()


# ---------------------------------------------------------------------------
# paragraph preparation
# ---------------------------------------------------------------------------
def _pre(lst):
    out = [0]
    out.extend(accumulate(lst))
    return out


def _runs(idx):
    """Maximal runs of consecutive values in the sorted index list idx, as (start, end)."""
    out = []
    p, n = 0, len(idx)
    while p < n:
        k = idx[p]
        q = p + 1
        while q < n and idx[q] == k + (q - p):
            q += 1
        out.append((k, k + (q - p)))
        p = q
    return out


def _span_key(spans, EM):
    """Cache key of the spans, or None where equal values could still set differently
    (an int size gives int widths in the output, a float one float widths)."""
    if type(EM) is not float:
        return None
    key = []
    for sp in spans:
        sz = sp.size
        if type(sz) is not float or not sz > 0.0:
            return None
        key.append((sp.text, sp.font, sz))
    return tuple(key)


_PAIRS: dict[str, dict] = {}      # level -> (left class, right class) -> _pair_flags


def _pair_flags(level: str, l: str, r: str) -> tuple[bool, bool, bool]:
    """At a boundary between classes l and r: (no break there, no spreading slot there,
    inside a two-em unit (a break only between two of them))."""
    SP, NB = cc.SP, cc.NB
    lat = l in _LATIN and r in _LATIN
    same_unit = l is r and r in _UNITS
    cut = (r in cc.NO_START_CLASSES[level] or l in cc.NO_END_CLASSES[level] or r is SP or r is NB
           or l is NB or lat)
    noslot = (l is SP or r is SP or l is NB or r is NB or lat or same_unit
              or l is cc.CN or r is cc.CN or l is cc.SL or r is cc.SL)
    return cut, noslot, same_unit


#: Para attributes that depend on the call (measure, indent), not on the paragraph
_PER_CALL = frozenset({"settings", "measure", "EM", "indent", "avail_first", "_gridf"})
#: characters that count for the last-line minimum (not punctuation or spaces)
_COUNTS = {code: 0 if code in _MARKS or code in (cc.SP, cc.NB, cc.LO, cc.LC) else 1
           for code in cc.CLASSES}


class Para:
    """Everything the breakers need about one paragraph, as flat lists."""

    def __init__(self, spans, measure: float, metrics, settings: ComposeSettings,
                 first_indent: float | None, em: float | None = None):
        self.settings = settings
        self.measure = measure
        EM = self.EM = em if em else (spans[0].size if spans else 1.0)
        ind = settings.indent if first_indent is None else first_indent
        self.indent = ind * EM
        self.avail_first = measure - self.indent
        self._gridf = ({}, {})      # see _grid_flex: lines after the first, the first line
        mc = _cache_for(metrics)
        # placement sets the same paragraph at several measures: the rest does not
        # depend on the measure, so it is prepared once
        skey = _span_key(spans, EM)
        if skey is not None:
            key = (skey, settings, EM)
            prep = mc.paras.get(key)
            if prep is not None:
                self.__dict__.update(prep)
                return
        self._prepare(spans, mc, metrics, settings, EM)
        if skey is not None:
            prep = self.__dict__.copy()
            for k in _PER_CALL:
                del prep[k]
            _remember(mc.paras, key, prep, _MAX_PARAS)

    def _prepare(self, spans, mc: _MetricsCache, metrics, settings: ComposeSettings, EM: float) -> None:
        text_parts, font, size, spanid = [], [], [], []
        for q, sp in enumerate(spans):
            if not sp.text:
                continue
            L = len(sp.text)
            text_parts.append(sp.text)
            font.extend([sp.font] * L)
            size.extend([sp.size] * L)
            spanid.extend([q] * L)
        text = "".join(text_parts)
        self.text, self.font, self.size, self.spanid = text, font, size, spanid
        n = self.n = len(text)
        self.level = settings.prohibition if settings.prohibition in cc.LEVELS else "gb"
        self.gridmode = settings.grid
        self.justify = settings.justify
        self.line_cost = float(settings.line_penalty)
        if n == 0:
            return

        # one str object per char, so its hash is computed once for all the lookups
        chars = self.chars = list(text)
        cls = cc.classify_text(chars)
        self.cls = cls
        # advances: looked up once per (font, char), kept scaled per (font, size)
        advc = mc.adv
        getadv = metrics.advance
        adv = []
        pos = 0
        for sp in spans:
            L = len(sp.text)
            if not L:
                continue
            seg = chars[pos:pos + L]
            pos += L
            f, sz = sp.font, sp.size
            scaled = advc.get((f, sz))
            if scaled is None:
                scaled = advc[(f, sz)] = {}
            missing = set(seg).difference(scaled)
            if missing:
                fa = advc.get(f)
                if fa is None:
                    fa = advc[f] = {}
                for c in missing:
                    a = fa.get(c)
                    if a is None:
                        a = fa[c] = float(getadv(f, c))
                    scaled[c] = a * sz
            adv.extend(map(scaled.__getitem__, seg))
        self.adv = adv
        self.ismark = list(map(_MARKS.__contains__, cls))
        CLASSES = cc.CLASSES
        SP, ID, AL, DG = cc.SP, cc.ID, cc.AL, cc.DG
        hanging = settings.hanging
        hl_max = settings.han_latin_max * EM

        # most characters are ideographs, which need none of the work below:
        # it only visits the others (spec) and the Latin ones among them (lat)
        spec = list(compress(range(n), map(ne, cls, repeat(ID))))
        lat = [k for k in spec if cls[k] in _LATIN]

        # Latin runs containing a letter or digit get Han-Latin gaps
        run_alnum = [False] * n
        for k, m in _runs(lat) if lat else ():
            for t in range(k, m):
                if cls[t] is AL or cls[t] is DG:
                    run_alnum[k:m] = [True] * (m - k)
                    break

        # roles, natural widths, compressible sides, bounds for the window
        role = [""] * n
        comp: list = [None] * n
        w0 = list(adv)
        lo = list(adv)
        hi = list(adv)
        for k in spec:
            c = cls[k]
            sz = size[k]
            if c is SP:
                lo[k] = 0.0
                if k > 0 and cls[k - 1] is SP:
                    role[k] = "Z"
                    w0[k] = hi[k] = 0.0
                    continue
                m = k + 1
                while m < n and cls[m] is SP:
                    m += 1
                lc = cls[k - 1] if k > 0 else None
                rc = cls[m] if m < n else None
                llat = lc in _LATIN
                rlat = rc in _LATIN
                lhan = lc in _GRID
                rhan = rc in _GRID
                if (lhan and rlat and run_alnum[m]) or (llat and rhan and run_alnum[k - 1]):
                    role[k] = "G"
                    w0[k] = settings.han_latin_gap * EM
                    hi[k] = hl_max
                elif llat or rlat or lc is None or rc is None:
                    role[k] = "W"
                    hi[k] = max(adv[k], 0.5 * sz)
                else:
                    role[k] = "C"
                    w0[k] = hi[k] = sz
                continue
            info = CLASSES[c]
            a = adv[k]
            if info.blank and abs(a - sz) < 0.01 * sz:
                comp[k] = info.blank
                w0[k] = hi[k] = sz
                lo[k] = 0.5 * sz
            elif c in _UNITS and a < sz * 0.99:
                role[k] = "D"
                w0[k] = lo[k] = hi[k] = sz
            elif c == cc.MD and a < sz * 0.99:
                lc = cls[k - 1] if k > 0 else None
                rc = cls[k + 1] if k + 1 < n else None
                if lc not in _LATIN and rc not in _LATIN:
                    role[k] = "M"
                    comp[k] = "B"
                    w0[k] = hi[k] = sz
                    lo[k] = 0.5 * sz
            if hanging and text[k] in cc.HANGABLE:
                lo[k] = 0.0
        self.role, self.comp, self.w0 = role, comp, w0
        # for realize: natural widths (spaces take theirs from their piece), chars
        # drawn off their pen position, two-em unit chars
        wbase = self.wbase = w0.copy()
        for k in spec:
            if role[k] in _SPACEROLES:
                wbase[k] = 0.0
        self.fancy = [k for k in spec if comp[k] == "L" or comp[k] == "B" or role[k] in ("D", "M")]
        self.dpos = [k for k in spec if role[k] == "D"]

        # Han-Latin gap at boundary b (between b-1 and b): only next to a Latin run
        gap_at = [False] * (n + 1)
        PR, PO, LP = cc.PR, cc.PO, cc.LP
        for k in lat:
            if not run_alnum[k]:
                continue
            c = cls[k]
            g = c is AL or c is DG or (c in (PR, PO, LP) and adv[k] < 0.9 * size[k])
            if not g:
                continue
            if k > 0 and cls[k - 1] is ID:          # ideograph, then this run
                gap_at[k] = True
                hi[k] += hl_max
            if k + 1 < n and cls[k + 1] is ID:      # this run, then an ideograph
                gap_at[k + 1] = True
                hi[k + 1] += hl_max
        self.gap_at = gap_at
        self.plo = _pre(lo)
        self.phi = _pre(hi)

        # grid units and clusters (maximal runs of the rest)
        tol = 1e-3 * EM
        # (-tol < w - EM < tol, and a grid class): a width of exactly EM is one; the
        # few others (other sizes, Latin, marks) are tested one by one
        if tol > 0.0:
            unit = list(map(eq, w0, repeat(EM)))
            for k in compress(range(n), map(not_, unit)):
                unit[k] = -tol < w0[k] - EM < tol
        else:
            unit = [False] * n
        for k in spec:
            if unit[k] and cls[k] not in _GRID:
                unit[k] = False
        self.unit = unit
        nonunit = list(compress(range(n), map(not_, unit)))
        cid = [-1] * n
        cl_start: list[int] = []
        cl_end: list[int] = []
        starts = [0] * (n + 1)
        for k, m in _runs(nonunit):
            cid[k:m] = [len(cl_start)] * (m - k)
            cl_start.append(k)
            cl_end.append(m)
            starts[k + 1] = 1
        ncb = list(accumulate(starts))      # clusters starting before char k
        self.cid, self.cl_start, self.cl_end, self.ncb = cid, cl_start, cl_end, ncb
        self.pu = _pre(unit)
        wu = w0.copy()                      # widths of the grid units, 0.0 elsewhere
        for k in nonunit:
            wu[k] = 0.0
        self.pun = _pre(wu)

        # break opportunities (before char b), never inside a two-em unit pair;
        # spreading slots (boundaries that may take even spreading).  Between two
        # ideographs both are always allowed: only boundaries next to others are tested.
        can = [True] * (n + 1)
        can[0] = False
        inc = [1] * (n + 1)
        inc[0] = inc[n] = 0
        pairs = _PAIRS.get(self.level)
        if pairs is None:
            pairs = _PAIRS[self.level] = {}
        upos = 0            # boundaries inside a run of one two-em unit class so far
        prev = -1
        for b in sorted({b for k in spec for b in (k, k + 1) if 0 < b < n}):
            l, r = cls[b - 1], cls[b]
            flags = pairs.get((l, r))
            if flags is None:
                flags = pairs[(l, r)] = _pair_flags(self.level, l, r)
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
        self.can = can
        self.cands = list(compress(range(1, n + 1), can[1:]))    # line ends to try
        self.slot = list(accumulate(inc))

        self.pcount = _pre(map(_COUNTS.__getitem__, cls))

        # interior clusters: stats as prefix sums over clusters
        self._cache = mc.pieces
        skeys = mc.skeys        # (settings, em) as a small int: piece keys hash faster
        self._skey = skeys.setdefault((settings, EM), len(skeys))
        interior = [self._piece(s0, e0, False, False) for s0, e0 in zip(cl_start, cl_end)]
        self.interior = interior
        cols = list(zip(*[pc.sums for pc in interior])) or [()] * 16
        self.cn = _pre(cols[0])
        self.csh = [_pre(col) for col in cols[8:14]]
        self.cst = [_pre(col) for col in cols[14:16]]
        # the fallback classes that some interior cluster can use (a line without
        # end pieces skips the others)
        self.sh_classes = tuple(compress(range(1, 6), map(any, cols[9:14])))
        self.st_classes = tuple(compress(range(2), map(any, cols[14:16])))
        self.plain_grid = settings.grid and settings.justify and EM > _EM_MIN     # see _eval_plain
        if settings.grid:
            (self.cg, self.cgc, self.cng, self.cup, self.cdn, self.cupc,
             self.cdnc) = [_pre(col) for col in cols[1:8]]
            # whole ems of the grid units and interior clusters before char k (ints,
            # so G of a line is one exact subtraction)
            self.gpos = list(map(add, self.pu, map(self.cg.__getitem__, ncb)))
        else:       # (only the grid reads these)
            self.cg = self.cgc = self.cng = self.cup = self.cdn = self.cupc = self.cdnc = self.gpos = None
        if self.plain_grid:
            # line ends j (and starts) with no cluster next to them, for total_fit
            plain_at = self.plain_at = list(map(gt, repeat(0), cid))       # cid < 0
            self.plain_end = [False] + plain_at[:n - 1] + [False]
        else:
            self.plain_at = self.plain_end = [False] * (n + 1)
        self._lead: dict[int, Piece] = {}
        self._trail: dict[int, Piece] = {}
        self._whole: dict[tuple[int, int], Piece] = {}

    # -- pieces ---------------------------------------------------------------
    def _piece(self, s, e, at_start, at_end) -> Piece:
        sid = self.spanid
        if sid[s] == sid[e - 1]:
            fk = (self.font[s], self.size[s])
        else:
            fk = (tuple(self.font[s:e]), tuple(self.size[s:e]))
        key = (self._skey, self.text[s:e], at_start, at_end,
               None if at_start or s == 0 else self.cls[s - 1],
               None if at_end or e >= self.n else self.cls[e], fk)
        pc = self._cache.get(key)
        if pc is None:
            pc = build_piece(self, s, e, at_start, at_end)
            self._cache[key] = pc
        return pc

    def lead(self, i: int) -> Piece:
        pc = self._lead.get(i)
        if pc is None:
            pc = self._lead[i] = self._piece(i, self.cl_end[self.cid[i]], True, False)
        return pc

    def trail(self, j: int) -> Piece:
        pc = self._trail.get(j)
        if pc is None:
            pc = self._trail[j] = self._piece(self.cl_start[self.cid[j - 1]], j, False, True)
        return pc

    def whole(self, i: int, j: int) -> Piece:
        pc = self._whole.get((i, j))
        if pc is None:
            pc = self._whole[(i, j)] = self._piece(i, j, True, True)
        return pc


# ---------------------------------------------------------------------------
# line evaluation
# ---------------------------------------------------------------------------
_SPREAD_K = pz.SPREAD_K
_SPREAD_LIMIT = pz.SPREAD_LIMIT + 1e-9
# the costs as module globals: the functions below run once per candidate line
_OFFGRID = pz.OFFGRID
_END_HALF = pz.END_HALF
_SHRINK_RATE = pz.SHRINK_RATE
_STRETCH_RATE = pz.STRETCH_RATE
_PUSH_OUT = pz.PUSH_OUT
_OVER_LIMIT = pz.OVER_LIMIT
_ORPHAN = pz.ORPHAN
_RAGGED_K = pz.RAGGED_K


def _fallback(P: Para, i, j, A, last, lead, a, trail, b, qa, qb):
    """clreq priority justification of the natural line: (cost, spread_em) or None.
    qa, qb: the clusters before a and b (P.ncb[a], P.ncb[b])."""
    EM = P.EM
    cn = P.cn
    pun = P.pun
    W = pun[b] - pun[a] + cn[qb] - cn[qa]
    if lead is not None:
        W += lead.nat
    if trail is not None:
        W += trail.nat
    diff = A - W
    cost = _OFFGRID
    if diff < -EPS:
        # a mark at the line end goes to a fixed half em first (clreq reduction a)
        csh = P.csh
        arr = csh[0]
        cap = arr[qb] - arr[qa]
        if lead is not None:
            cap += lead.shrink[0]
        if trail is not None:
            cap += trail.shrink[0]
        if cap > 0.0:
            cost += _END_HALF
            diff += cap
        if diff < -EPS:
            need = -diff
            for c in range(1, 6) if lead is not None or trail is not None else P.sh_classes:
                arr = csh[c]
                cap = arr[qb] - arr[qa]
                if lead is not None:
                    cap += lead.shrink[c]
                if trail is not None:
                    cap += trail.shrink[c]
                if cap <= 0.0:
                    continue
                take = need if need < cap else cap
                cost += _SHRINK_RATE[c] * take / EM
                need -= take
                if need <= EPS:
                    return cost, 0.0
            return None
    if diff > EPS and not last:
        rest = diff
        cst = P.cst
        # word spaces, Han-Latin gaps (pairs stay compressed)
        for c in range(2) if lead is not None or trail is not None else P.st_classes:
            arr = cst[c]
            cap = arr[qb] - arr[qa]
            if lead is not None:
                cap += lead.stretch[c]
            if trail is not None:
                cap += trail.stretch[c]
            if cap <= 0.0:
                continue
            take = rest if rest < cap else cap
            cost += _STRETCH_RATE[c] * take / EM
            rest -= take
            if rest <= EPS:
                return cost, 0.0
        if j < P.n:
            wj = P.w0[j]
            if rest >= wj - EPS:
                cost += _PUSH_OUT * (rest / wj if wj > 0 else 1.0)
        slots = P.slot[j - 1] - P.slot[i] if j - 1 > i else 0
        if slots <= 0:
            # nothing to spread (one Latin word, one two-em unit): left underfull
            return cost + 3 * _OVER_LIMIT + 20000.0 * rest / EM, 0.0
        sp = rest / slots / EM
        c = _SPREAD_K * sp * sp         # even spreading: quadratic, and a fault past the limit
        if sp > _SPREAD_LIMIT:
            c += _OVER_LIMIT + 20000.0 * (sp - pz.SPREAD_LIMIT)
        return cost + c, sp
    return cost, 0.0


def evaluate(P: Para, i: int, j: int, last: bool):
    """Cost of the line [i, j) and the plan to set it, or (INF, None)."""
    cid = P.cid
    ci = cid[i]
    cj = cid[j - 1]
    if ci < 0 and cj < 0 and not last and P.plain_grid:
        return _eval_plain(P, i, j)
    base_cost = P.line_cost
    if i:
        A = P.measure
        if last:
            pcount = P.pcount
            mll = P.settings.min_last_line
            if pcount[P.n] - pcount[i] < mll <= pcount[P.n]:
                base_cost += _ORPHAN
    else:
        A = P.avail_first
    if ci >= 0:
        if ci == cj:
            return _eval_whole(P, i, j, A, last, base_cost)
        lead = P._lead.get(i) or P.lead(i)
        a = P.cl_end[ci]
    else:
        lead = None
        a = i
    if cj >= 0:
        trail = P._trail.get(j) or P.trail(j)
        b = P.cl_start[cj]
    else:
        trail = None
        b = j

    best = INF
    plan = None
    EM = P.EM
    ncb = P.ncb
    qa, qb = ncb[a], ncb[b]
    last = last or not P.justify      # ragged: not filled to the measure
    cng = P.cng
    if P.gridmode and cng[qb] == cng[qa]:
        lopts = lead.ints if lead is not None else _NO_LEAD
        if lopts:
            gpos = P.gpos
            G = gpos[b] - gpos[a]       # == pu[b] - pu[a] + cg[qb] - cg[qa] (ints)
            C = P.cgc[qb] - P.cgc[qa]
            nl = len(lopts) if len(lopts) < 3 else 3
            if last:
                tw = trail.nat if trail is not None else 0.0
                for li in range(nl):
                    lo = lopts[li]
                    base = (lo[0] + G) * EM
                    lc = lo[1] + C
                    w = base + tw
                    if w <= A + EPS and lc < best:
                        best = lc
                        plan = ("G", li, 0, None)
            elif trail is None and EM > _EM_MIN:
                gridf = P._gridf[i == 0]
                for li in range(nl):
                    lo = lopts[li]
                    K = lo[0] + G
                    f = gridf.get(K, _UNSET)
                    if f is _UNSET:
                        f = gridf[K] = _grid_flex(A, K, EM)
                    if f is None:
                        continue
                    if f == 0:
                        fc = 0.0
                    elif f > 0:
                        U = P.cup[qb] - P.cup[qa]
                        if U < f:
                            continue
                        uc = (P.cupc[qb] - P.cupc[qa]) / U
                        fc = uc if f == 1 else 2 * uc
                    else:
                        Dn = P.cdn[qb] - P.cdn[qa]
                        if Dn < -f:
                            continue
                        dc = (P.cdnc[qb] - P.cdnc[qa]) / Dn
                        fc = dc if f == -1 else 2 * dc
                    c = lo[1] + C + fc
                    if c < best:
                        best = c
                        plan = ("G", li, f, None)
            else:
                cup, cdn = P.cup, P.cdn
                U = cup[qb] - cup[qa]
                Dn = cdn[qb] - cdn[qa]
                if U or Dn:
                    flex = [(0, 0.0)]
                    if U:
                        uc = (P.cupc[qb] - P.cupc[qa]) / U
                        flex.append((1, uc))
                        if U > 1:
                            flex.append((2, 2 * uc))
                    if Dn:
                        dc = (P.cdnc[qb] - P.cdnc[qa]) / Dn
                        flex.append((-1, dc))
                        if Dn > 1:
                            flex.append((-2, 2 * dc))
                else:
                    flex = _NO_FLEX
                for li in range(nl):
                    lo = lopts[li]
                    base = (lo[0] + G) * EM
                    lc = lo[1] + C
                    for f, fc in flex:
                        d = A - base - f * EM
                        if trail is None:
                            if -EPS < d < EPS:
                                c = lc + fc
                                if c < best:
                                    best = c
                                    plan = ("G", li, f, None)
                        elif d > -EPS:
                            r = trail.fit(d, EM)
                            if r is not None:
                                c = lc + fc + r[0]
                                if c < best:
                                    best = c
                                    plan = ("G", li, f, r)
    if best >= _OFFGRID:
        fb = _fallback(P, i, j, A, last, lead, a, trail, b, qa, qb)
        if fb is not None and fb[0] < best:
            best = fb[0]
            plan = ("F", fb[1])
    if plan is None:
        return INF, None
    if not P.justify and j < P.n:
        # ragged lines: a little for the room left, so the lines come out even
        left = (A - _nat_width(P, i, j)) / EM
        if left > 0.0:
            best += _RAGGED_K * left * left
    return base_cost + best, plan


def _eval_plain(P: Para, i: int, j: int):
    """evaluate() for the commonest line: no cluster at either end (so no lead or trail
    piece), not the last line, justified on the grid (P.plain_grid).  The same
    arithmetic as there, without the branches that cannot apply."""
    A = P.measure if i else P.avail_first
    ncb = P.ncb
    qa, qb = ncb[i], ncb[j]
    best = INF
    plan = None
    cng = P.cng
    if cng[qb] == cng[qa]:
        gpos = P.gpos
        K = gpos[j] - gpos[i]           # lo[0] + G, lo = _NO_LEAD[0]
        gridf = P._gridf[i == 0]
        f = gridf.get(K, _UNSET)
        if f is _UNSET:
            f = gridf[K] = _grid_flex(A, K, P.EM)
        if f is not None:
            fc = None
            if f == 0:
                fc = 0.0
            elif f > 0:
                U = P.cup[qb] - P.cup[qa]
                if U >= f:
                    uc = (P.cupc[qb] - P.cupc[qa]) / U
                    fc = uc if f == 1 else 2 * uc
            else:
                Dn = P.cdn[qb] - P.cdn[qa]
                if Dn >= -f:
                    dc = (P.cdnc[qb] - P.cdnc[qa]) / Dn
                    fc = dc if f == -1 else 2 * dc
            if fc is not None:
                c = 0.0 + (P.cgc[qb] - P.cgc[qa]) + fc       # lo[1] + C + fc
                if c < best:
                    best = c
                    plan = ("G", 0, f, None)
    if best >= _OFFGRID:
        fb = _fallback(P, i, j, A, False, None, i, None, j, qa, qb)
        if fb is not None and fb[0] < best:
            best = fb[0]
            plan = ("F", fb[1])
    if plan is None:
        return INF, None
    return P.line_cost + best, plan


_NO_LEAD = ((0, 0.0, -1, 0.0),)
_NO_FLEX = ((0, 0.0),)
_EM_MIN = 1e-3      # _grid_flex needs ems far wider than EPS
_UNSET = object()


def _grid_flex(A: float, K: int, EM: float):
    """The flex f in -2..2 for which K + f ems come out at exactly A (within EPS), or
    None: what evaluate's loop over the flex options finds for a line without a
    trailing piece, computed the same way.  Ems apart, only the nearest f can fit,
    so the answer depends on K alone (memoised per measure in Para._gridf)."""
    d = A - K * EM
    if -EPS < d < EPS:
        return 0
    q = d / EM
    if not -2.5 < q < 2.5:
        return None
    f = round(q)
    d = d - f * EM
    return f if -EPS < d < EPS else None


def _eval_whole(P, i, j, A, last, base_cost):
    pc = P.whole(i, j)
    EM = P.EM
    last = last or not P.justify
    if last:
        if pc.nat <= A + EPS:
            return base_cost, ("W", None)
    else:
        r = pc.fit(A, EM)
        if r is not None:
            return base_cost + r[0], ("W", r)
    q = P.ncb[i]
    fb = _fallback(P, i, j, A, last, pc, i, None, i, q, q)
    if fb is None:
        return INF, None
    return base_cost + fb[0] - _OFFGRID, ("F", fb[1])


# ---------------------------------------------------------------------------
# breakers
# ---------------------------------------------------------------------------
def total_fit(P: Para, loose_em: float = 1.5):
    """Breaks minimising the paragraph's total cost; None if no feasible set.

    A line ending at j only looks back over starts i whose width bounds put it
    within [measure - loose_em, measure + compression] (bisection on prefix sums
    of lower / upper width bounds), so the work per break is bounded.
    """
    n = P.n
    can = P.can
    best = [INF] * (n + 1)
    back = [-1] * (n + 1)
    plans = [None] * (n + 1)
    best[0] = 0.0
    plo, phi = P.plo, P.phi
    meas = P.measure
    loose = loose_em * P.EM
    A0 = P.avail_first
    A0_hi = A0 + EPS
    A0_lo = A0 - loose
    LINE = P.line_cost
    ev = evaluate
    # lines with no cluster at either end take evaluate's short path directly
    plain_at = P.plain_at
    plain_end = P.plain_end         # (False for the last line)
    reach = 0           # the first i > 0 with a finite best[i] (0: none yet)
    for j in P.cands:
        last = j == n
        pj = plain_end[j]
        bj = INF
        bi = -1
        bp = None
        # the first line has its own (indented) measure
        if plo[j] <= A0_hi and (last or phi[j] >= A0_lo):
            bj, bp = ev(P, 0, j, last)
            if bp is not None:
                bi = 0
        if reach:
            i0 = bisect_left(plo, plo[j] - meas - EPS)
            if last:
                i1 = j - 1
            else:
                i1 = bisect_right(phi, phi[j] - meas + loose) - 1
                if i1 > j - 1:
                    i1 = j - 1
            # (below reach every best[i] is INF: nothing to evaluate)
            for i in range(i0 if i0 > reach else reach, i1 + 1):
                bc = best[i]
                if bc + LINE >= bj or not can[i]:
                    continue
                c, pl = _eval_plain(P, i, j) if pj and plain_at[i] else ev(P, i, j, last)
                c += bc
                if c < bj:
                    bj, bi, bp = c, i, pl
        if bi >= 0:
            best[j] = bj
            back[j] = bi
            plans[j] = bp
            if not reach:
                reach = j
    if best[n] == INF:
        return None
    li = back[n]
    mll = P.settings.min_last_line
    if loose_em < 6.0 and li > 0 and P.pcount[n] - P.pcount[li] < mll <= P.pcount[n]:
        # an orphan (or worse) may be avoidable with a looser line: widen the window
        wide = total_fit(P, 6.0)
        if wide is not None and _cost(P, wide) < best[n] - 1e-9:
            return wide
    out = []
    j = n
    while j > 0:
        i = back[j]
        out.append((i, j, plans[j]))
        j = i
    out.reverse()
    return out


def _cost(P: Para, breaks) -> float:
    return sum(evaluate(P, i, j, j == P.n)[0] for i, j, _ in breaks)


def _nat_width(P: Para, i: int, j: int) -> float:
    """Natural width of line [i, j), its line-end mark counted half if it can be."""
    cid = P.cid
    ci, cj = cid[i], cid[j - 1]
    if ci >= 0 and ci == cj:
        pc = P.whole(i, j)
        return pc.nat - pc.shrink[pz.S_END]
    w = 0.0
    if ci >= 0:
        w += P.lead(i).nat
        a = P.cl_end[ci]
    else:
        a = i
    if cj >= 0:
        t = P.trail(j)
        w += t.nat - t.shrink[pz.S_END]
        b = P.cl_start[cj]
    else:
        b = j
    qa, qb = P.ncb[a], P.ncb[b]
    return w + P.pun[b] - P.pun[a] + P.cn[qb] - P.cn[qa]


def first_fit(P: Para):
    """Line by line: fill, push in, push out (clreq), then the same justification."""
    n = P.n
    can = P.can
    out = []
    i = 0
    while i < n:
        A = P.avail_first if i == 0 else P.measure
        j = i + 1
        jn = i          # largest end whose natural width fits
        while j <= n:
            if _nat_width(P, i, j) <= A + EPS:
                jn = j
            elif P.plo[j] - P.plo[i] > A + EPS:
                break
            j += 1
        if jn >= n:
            chosen = n
        elif jn > i and can[jn]:
            chosen = jn
        else:
            # push in: the next candidate after jn, compressed
            k = max(jn, i) + 1
            while k < n and not can[k]:
                k += 1
            if evaluate(P, i, k, k == n)[0] < INF:
                chosen = k
            else:
                # push out: the last candidate before jn
                k = jn - 1
                while k > i and not can[k]:
                    k -= 1
                if k > i:
                    chosen = k
                else:
                    # emergency: first candidate after i whatever it costs
                    k = i + 1
                    while k < n and not can[k]:
                        k += 1
                    chosen = k
        c, plan = evaluate(P, i, chosen, chosen == n)
        out.append((i, chosen, plan))
        i = chosen
    # no one-character last line: pull one down from the line above
    mll = P.settings.min_last_line
    pcount = P.pcount
    if len(out) >= 2 and pcount[n] >= mll:
        li, lj, _ = out[-1]
        if pcount[n] - pcount[li] < mll:
            pi, pj, _ = out[-2]
            k = li - 1
            while k > pi:
                if can[k] and pcount[n] - pcount[k] >= mll:
                    c1, p1 = evaluate(P, pi, k, False)
                    c2, p2 = evaluate(P, k, n, True)
                    if c1 < INF and c2 < INF:
                        out[-2] = (pi, k, p1)
                        out[-1] = (k, n, p2)
                        break
                k -= 1
    return out


# ---------------------------------------------------------------------------
# realisation
# ---------------------------------------------------------------------------
if issubclass(SetGlyph, tuple):
    def _glyphs(rows) -> tuple:
        # a named tuple: tuple.__new__ builds each one without its Python-level __new__
        return tuple(map(tuple.__new__, repeat(SetGlyph), rows))
else:
    def _glyphs(rows) -> tuple:
        return tuple(starmap(SetGlyph, rows))


def _assign(pc: Piece, s: int, ci: int, c: float, width: list, bgap: dict, tags: dict, i: int):
    """Widths of the chars / gaps of piece pc (at s) for combo ci and continuous total c.
    width holds the line's chars from i on, already at their natural widths (P.wbase)."""
    combo = pc.combos[ci]
    for (k, states), tag in zip(pc.marks, combo[2]):
        for w, _cost, t in states:
            if t == tag:
                width[s + k - i] = w
                tags[s + k] = t
                break
    cn, cmin, cmax = pc.cnom, pc.cmin, pc.cmax
    if c >= cn:
        t = 0.0 if cmax - cn <= 1e-12 else (c - cn) / (cmax - cn)
        up = True
    else:
        t = 0.0 if cn - cmin <= 1e-12 else (cn - c) / (cn - cmin)
        up = False
    for kind, idx, nom, mn, mx, _kl in pc.conts:
        v = nom + t * (mx - nom) if up else nom - t * (nom - mn)
        if kind == "b":
            bgap[s + idx] = v
        else:
            width[s + idx - i] = v


def realize(P: Para, i: int, j: int, plan, measure: float) -> tuple[SetLine, list[str]]:
    last = j == P.n
    first = i == 0
    A = P.avail_first if first else P.measure
    EM = P.EM
    cid = P.cid
    ci, cj = cid[i], cid[j - 1]
    width = P.wbase[i:j]                # the line's chars, from i on
    bgap: dict[int, float] = {}
    tags: dict[int, str] = {}
    notes: list[str] = []
    pieces_in_line: list[tuple[Piece, int]] = []
    spread = 0.0
    if plan is None:
        plan = ("F", 0.0)
    mode = plan[0]

    if ci >= 0 and ci == cj:
        pc = P.whole(i, j)
        pieces_in_line.append((pc, i))
        if mode == "W" and plan[1] is not None:
            _, cix, cval = plan[1]
            _assign(pc, i, cix, cval, width, bgap, tags, i)
        else:
            _assign(pc, i, 0, pc.cnom, width, bgap, tags, i)
    else:
        lead = P.lead(i) if ci >= 0 else None
        a = P.cl_end[ci] if ci >= 0 else i
        trail = P.trail(j) if cj >= 0 else None
        b = P.cl_start[cj] if cj >= 0 else j
        interior = range(P.ncb[a], P.ncb[b])
        cl_start = P.cl_start
        if lead is not None:
            pieces_in_line.append((lead, i))
        for q in interior:
            pieces_in_line.append((P.interior[q], cl_start[q]))
        if trail is not None:
            pieces_in_line.append((trail, b))
        if mode == "G":
            _, li, f, tr = plan
            if lead is not None:
                _k, _c, cix, cval = lead.ints[li]
                _assign(lead, i, cix, cval, width, bgap, tags, i)
            choice = {}
            if f:
                cand = []
                for q in interior:
                    pc = P.interior[q]
                    alt = pc.up if f > 0 else pc.dn
                    if alt is not None:
                        cand.append((alt, q))
                cand.sort()
                for _alt, q in cand[:abs(f)]:
                    choice[q] = P.interior[q].best_k + (1 if f > 0 else -1)
            for q in interior:
                pc = P.interior[q]
                kk = choice.get(q, pc.best_k)
                ent = pc.by_k[kk]
                _assign(pc, cl_start[q], ent[2], ent[3], width, bgap, tags, i)
            if trail is not None:
                if tr is None:
                    _assign(trail, b, 0, trail.cnom, width, bgap, tags, i)
                else:
                    _assign(trail, b, tr[1], tr[2], width, bgap, tags, i)
        else:
            for pc, s0 in pieces_in_line:
                _assign(pc, s0, 0, pc.cnom, width, bgap, tags, i)

    if mode == "F":
        spread = _justify_priority(P, i, j, A, last, pieces_in_line, width, bgap, tags, notes)

    # positions: pens[k - i] is the pen before char k, xs[k - i] where its glyph is drawn
    comp, adv, role, cls = P.comp, P.adv, P.role, P.cls
    pen = P.indent if first else 0.0
    if not spread and "H" not in tags.values():
        # the pen moves by the widths, plus the gaps before chars: running sums in C
        gaps = sorted(k for k in bgap if i < k < j) if bgap else None
        if gaps:
            seq = []
            prev = i
            for k in gaps:
                seq.extend(width[prev - i:k - i])
                seq.append(bgap[k])
                prev = k
            seq.extend(width[prev - i:])
            acc = list(accumulate(seq, initial=pen))
            pen = acc[-1]
            pens = []
            off = 0                     # gaps taken so far
            prev = i
            for k in gaps:
                pens.extend(acc[prev - i + off:k - i + off])
                off += 1
                prev = k
            pens.extend(acc[prev - i + off:j - i + off])
        else:
            pens = list(accumulate(width, initial=pen))
            pen = pens.pop()
        xs = pens.copy()
        ws = width
        # marks set off-centre in their width, two-em units, interpuncts
        fancy = P.fancy
        for t in range(bisect_left(fancy, i), bisect_left(fancy, j)):
            k = fancy[t]
            w = width[k - i]
            if comp[k] == "L":
                xs[k - i] = pens[k - i] + (w - adv[k])
            else:
                xs[k - i] = pens[k - i] + (w - adv[k]) * 0.5
    else:
        slot = P.slot
        xs = []
        pens = []
        ws = []
        for k in range(i, j):
            if k > i:
                g = bgap.get(k)
                if g is not None:
                    pen += g
                if spread and slot[k] != slot[k - 1]:
                    pen += spread * EM
            w = width[k - i]
            t = tags.get(k)
            if t == "H":            # hanging past the measure: takes no room in the line
                xs.append(pen)
                pens.append(pen)
                ws.append(min(adv[k], 0.5 * P.size[k]))
                continue
            side = comp[k]
            x = pen
            if side == "L":
                x = pen + (w - adv[k])
            elif side == "B" or role[k] in ("D", "M"):
                x = pen + (w - adv[k]) * 0.5
            xs.append(x)
            pens.append(pen)
            ws.append(w)
            pen += w
    # two-em units set contiguously, centred in their cells
    dpos = P.dpos
    t = bisect_left(dpos, i) if dpos else 0
    tend = bisect_left(dpos, j) if dpos else 0
    while t < tend:
        k = dpos[t]
        m = k
        while m + 1 < j and role[m + 1] == "D" and cls[m + 1] == cls[k]:
            m += 1
        if m > k:
            tot = sum(ws[q - i] for q in range(k, m + 1))
            ink = sum(adv[q] for q in range(k, m + 1))
            x = pens[k - i] + (tot - ink) * 0.5
            for q in range(k, m + 1):
                xs[q - i] = x
                x += adv[q]
        t = bisect_right(dpos, m, t)
    glyphs = _glyphs(zip(P.chars[i:j], P.font[i:j], P.size[i:j], xs, ws, range(i, j)))
    wfill = pen
    if not last and P.justify and abs(wfill - measure) > 0.01:
        notes.append(f"line {i}-{j}: width {wfill:.3f} pt for measure {measure:.3f} pt")
    line = SetLine(glyphs=glyphs, measure=measure, width=wfill, last=last, start=i, end=j)
    return line, notes


def _justify_priority(P: Para, i, j, A, last, pieces_in_line, width, bgap, tags, notes) -> float:
    """clreq priority justification of the natural widths; returns even spread (em)."""
    EM = P.EM
    W = 0.0
    for w in width:
        W += w
    for b in sorted(bgap):      # (no gap: adding 0.0 would leave W as it is)
        if i < b < j:
            W += bgap[b]
    diff = A - W
    if abs(diff) <= EPS:
        return 0.0
    # collect adjustable elements: (class, kind, index, amount)
    if diff < 0:
        groups: list[list[tuple[str, int, float, str]]] = [[] for _ in range(6)]
        for pc, s0 in pieces_in_line:
            for k, states in pc.marks:
                n0 = states[0]
                for w, _c, t in states[1:]:
                    if t == "E":
                        groups[pz.S_END].append(("m", s0 + k, n0[0] - w, t))
                    elif t in ("A", "T", "I"):
                        groups[pz._SHRINK_CLASS.get(P.cls[s0 + k], pz.S_COMMA)].append(("m", s0 + k, n0[0] - w, t))
            for kind, idx, nom, mn, mx, kl in pc.conts:
                groups[kl].append((kind, s0 + idx, nom - mn, ""))
        need = -diff
        for gi, grp in enumerate(groups):
            cap = sum(g[2] for g in grp)
            if cap <= 0:
                continue
            r = 1.0 if gi == pz.S_END else min(1.0, need / cap)
            for kind, idx, amt, t in grp:
                if kind == "b":
                    bgap[idx] = bgap.get(idx, 0.0) - amt * r
                else:
                    width[idx - i] -= amt * r
                    if kind == "m" and r > 0.999:
                        tags[idx] = t
            need -= cap * r
            if need <= EPS:
                break
        if need > EPS:
            notes.append(f"line {i}-{j}: overfull by {need:.3f} pt")
            return 0.0
        if need > -EPS:
            return 0.0
        diff = -need       # the half-width line-end mark left room: stretch
    if last or not P.settings.justify:
        return 0.0
    groups2: list[list[tuple[str, int, float]]] = [[] for _ in range(2)]
    for pc, s0 in pieces_in_line:
        for kind, idx, nom, mn, mx, kl in pc.conts:
            groups2[pz.T_WORD if kl == pz.S_WORD else pz.T_GAP].append((kind, s0 + idx, mx - nom))
    rest = diff
    for grp in groups2:
        cap = sum(g[2] for g in grp)
        if cap <= 0:
            continue
        r = min(1.0, rest / cap)
        for kind, idx, amt in grp:
            if kind == "b":
                bgap[idx] = bgap.get(idx, 0.0) + amt * r
            else:
                width[idx - i] += amt * r
        rest -= cap * r
        if rest <= EPS:
            return 0.0
    slots = P.slot[j - 1] - P.slot[i] if j - 1 > i else 0
    if slots <= 0:
        notes.append(f"line {i}-{j}: underfull by {rest:.3f} pt (nothing to spread)")
        return 0.0
    s = rest / slots / EM
    if s > pz.SPREAD_LIMIT + 1e-9:
        notes.append(f"line {i}-{j}: loose, {s:.3f} em between characters")
    return s


def compose(spans, measure, metrics, settings: ComposeSettings, first_indent=None,
            em: float | None = None) -> SetParagraph:
    # page placement sets the same paragraph at the same measure more than once;
    # the result is immutable, so a repeat returns the one already set
    key = None
    if type(measure) is float and (first_indent is None or type(first_indent) is float):
        EM = em if em else (spans[0].size if spans else 1.0)
        skey = _span_key(spans, EM)
        if skey is not None:
            key = (skey, settings, EM, measure, first_indent)
            results = _cache_for(metrics).results
            hit = results.get(key)
            if hit is not None:
                return hit
    P = Para(spans, measure, metrics, settings, first_indent, em)
    if P.n == 0:
        return SetParagraph(lines=(), text="")
    notes: list[str] = []
    breaks = None
    if settings.breaker != "first":
        breaks = total_fit(P)
        if breaks is None:
            breaks = total_fit(P, loose_em=6.0)
        if breaks is None:
            notes.append("total-fit found no feasible breaks; first-fit used")
    if breaks is None:
        breaks = first_fit(P)
    lines = []
    for i, j, plan in breaks:
        line, ln = realize(P, i, j, plan, measure)
        lines.append(line)
        notes.extend(ln)
    par = SetParagraph(lines=tuple(lines), text=P.text, notes=tuple(notes))
    if key is not None:
        _remember(results, key, par, _MAX_RESULTS)
    return par
