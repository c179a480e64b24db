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
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import accumulate

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
# caches (per Metrics object): advances and built pieces
# ---------------------------------------------------------------------------
class _MetricsCache:
    __slots__ = ("adv", "pieces", "__weakref__")

    def __init__(self):
        self.adv: dict[tuple[str, str], float] = {}
        self.pieces: dict = {}


_CACHES: dict[int, tuple[object, _MetricsCache]] = {}


def _cache_for(metrics) -> _MetricsCache:
    ent = _CACHES.get(id(metrics))
    if ent is not None and ent[0] is metrics:
        return ent[1]
    if len(_CACHES) > 32:
        _CACHES.clear()
    mc = _MetricsCache()
    _CACHES[id(metrics)] = (metrics, mc)
    return mc


def clear_caches() -> None:
    """Forget cached advances and pieces (call if a Metrics object changes)."""
    _CACHES.clear()


# ---------------------------------------------------------------------------
# paragraph preparation
# ---------------------------------------------------------------------------
def _pre(lst):
    out = [0]
    out.extend(accumulate(lst))
    return out


class Para:
    """Everything the breakers need about one paragraph, as flat lists."""

    def __init__(self, spans, measure: float, metrics, settings: ComposeSettings,
                 first_indent: float | None, em: float | None = None):
        self.settings = settings
        self.measure = measure
        mc = _cache_for(metrics)
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
        EM = self.EM = em if em else (spans[0].size if spans else 1.0)
        ind = settings.indent if first_indent is None else first_indent
        self.indent = ind * EM
        self.avail_first = measure - self.indent
        self.level = settings.prohibition if settings.prohibition in cc.LEVELS else "gb"
        self.gridmode = settings.grid
        self.line_cost = float(settings.line_penalty)
        if n == 0:
            return

        classify = cc.classify
        cls = [classify(c) for c in text]
        self.cls = cls
        advc = mc.adv
        getadv = metrics.advance
        adv = []
        app = adv.append
        for c, f, sz in zip(text, font, size):
            a = advc.get((f, c))
            if a is None:
                a = float(getadv(f, c))
                advc[(f, c)] = a
            app(a * sz)
        self.adv = adv
        ismark = [c in _MARKS for c in cls]
        self.ismark = ismark
        CLASSES = cc.CLASSES
        SP, NB, ID, AL, DG = cc.SP, cc.NB, cc.ID, cc.AL, cc.DG
        hanging = settings.hanging
        hl_max = settings.han_latin_max * EM

        # Latin runs containing a letter or digit get Han-Latin gaps
        run_alnum = [False] * n
        k = 0
        while k < n:
            if cls[k] in _LATIN:
                m = k
                has = False
                while m < n and cls[m] in _LATIN:
                    if cls[m] is AL or cls[m] is DG:
                        has = True
                    m += 1
                if has:
                    run_alnum[k:m] = [True] * (m - k)
                k = m
            else:
                k += 1

        # roles, natural widths, compressible sides, bounds for the window
        role = [""] * n
        comp: list = [None] * n
        w0 = list(adv)
        lo = list(adv)
        hi = list(adv)
        for k in range(n):
            c = cls[k]
            if c is ID:
                continue
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

        # Han-Latin gap at boundary b (between b-1 and b)
        gap_at = [False] * (n + 1)
        PR, PO, LP = cc.PR, cc.PO, cc.LP
        for b in range(1, n):
            l, r = cls[b - 1], cls[b]
            if l is ID:
                if r in _LATIN and run_alnum[b]:
                    gap_at[b] = r is AL or r is DG or (r in (PR, PO, LP) and adv[b] < 0.9 * size[b])
            elif r is ID and l in _LATIN and run_alnum[b - 1]:
                gap_at[b] = l is AL or l is DG or (l in (PR, PO, LP) and adv[b - 1] < 0.9 * size[b - 1])
            if gap_at[b]:
                hi[b] += hl_max
        self.gap_at = gap_at
        self.plo = _pre(lo)
        self.phi = _pre(hi)

        # grid units and clusters
        tol = 1e-3 * EM
        unit = [(c in _GRID) and -tol < w - EM < tol for c, w in zip(cls, w0)]
        self.unit = unit
        cid = [-1] * n
        cl_start: list[int] = []
        cl_end: list[int] = []
        ncb = [0] * (n + 1)        # clusters starting before char k
        k = 0
        q = 0
        while k < n:
            if unit[k]:
                k += 1
                ncb[k] = q
                continue
            m = k
            while m < n and not unit[m]:
                cid[m] = q
                m += 1
            cl_start.append(k)
            cl_end.append(m)
            q += 1
            for t in range(k + 1, m + 1):
                ncb[t] = q
            k = m
        self.cid, self.cl_start, self.cl_end, self.ncb = cid, cl_start, cl_end, ncb
        self.pu = _pre(unit)
        self.pun = _pre(w if u else 0.0 for w, u in zip(w0, unit))

        # break opportunities (before char b), never inside a two-em unit pair;
        # spreading slots (boundaries that may take even spreading)
        nos = cc.NO_START_CLASSES[self.level]
        noe = cc.NO_END_CLASSES[self.level]
        can = [False] * (n + 1)
        can[n] = True
        slot = [0] * (n + 1)
        CN, SL = cc.CN, cc.SL
        upos = 0
        acc = 0
        for b in range(1, n):
            l, r = cls[b - 1], cls[b]
            lat = l in _LATIN and r in _LATIN
            same_unit = l is r and r in _UNITS
            upos = upos + 1 if same_unit else 0
            if not (r in nos or l in noe or r is SP or r is NB or l is NB or lat
                    or (same_unit and upos % 2 == 1)):
                can[b] = True
            if not (gap_at[b] or l is SP or r is SP or l is NB or r is NB or lat or same_unit
                    or l is CN or r is CN or l is SL or r is SL):
                acc += 1
            slot[b] = acc
        slot[n] = acc
        self.can = can
        self.slot = slot

        # characters that count for the last-line minimum (not punctuation or spaces)
        nocount = _MARKS | {SP, NB, cc.LO, cc.LC}
        self.pcount = _pre(0 if c in nocount else 1 for c in cls)

        # interior clusters: stats as prefix sums over clusters
        self._cache = mc.pieces
        self._skey = (settings, EM)
        interior = [self._piece(s0, e0, False, False) for s0, e0 in zip(cl_start, cl_end)]
        self.interior = interior
        self.cn = _pre(pc.nat for pc in interior)
        self.cg = _pre(pc.best_k or 0 for pc in interior)
        self.cgc = _pre(pc.best_cost for pc in interior)
        self.cng = _pre(pc.best_k is None for pc in interior)
        self.cup = _pre(pc.up is not None for pc in interior)
        self.cdn = _pre(pc.dn is not None for pc in interior)
        self.cupc = _pre(pc.up or 0.0 for pc in interior)
        self.cdnc = _pre(pc.dn or 0.0 for pc in interior)
        self.csh = [_pre(pc.shrink[c] for pc in interior) for c in range(6)]
        self.cst = [_pre(pc.stretch[c] for pc in interior) for c in range(2)]
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


def _spread_cost(s_em: float) -> float:
    c = _SPREAD_K * s_em * s_em
    if s_em > _SPREAD_LIMIT:
        c += pz.OVER_LIMIT + 20000.0 * (s_em - pz.SPREAD_LIMIT)
    return c


def _fallback(P: Para, i, j, A, last, lead, a, trail, b):
    """clreq priority justification of the natural line: (cost, spread_em) or None."""
    EM = P.EM
    ncb = P.ncb
    qa, qb = ncb[a], ncb[b]
    W = P.pun[b] - P.pun[a] + P.cn[qb] - P.cn[qa]
    if lead is not None:
        W += lead.nat
    if trail is not None:
        W += trail.nat
    diff = A - W
    cost = pz.OFFGRID
    if diff < -EPS:
        # a mark at the line end goes to a fixed half em first (clreq reduction a)
        cap = P.csh[0][qb] - P.csh[0][qa]
        if lead is not None:
            cap += lead.shrink[0]
        if trail is not None:
            cap += trail.shrink[0]
        if cap > 0.0:
            cost += pz.END_HALF
            diff += cap
        if diff < -EPS:
            need = -diff
            csh = P.csh
            rate = pz.SHRINK_RATE
            for c in range(1, 6):
                arr = csh[c]
                cap = arr[qb] - arr[qa]
                if lead is not None:
                    cap += lead.shrink[c]
                if trail is not None:
                    cap += trail.shrink[c]
                if cap <= 0.0:
                    continue
                take = need if need < cap else cap
                cost += rate[c] * take / EM
                need -= take
                if need <= EPS:
                    return cost, 0.0
            return None
    if diff > EPS and not last:
        rest = diff
        cst = P.cst
        for c in range(2):      # word spaces, Han-Latin gaps (pairs stay compressed)
            arr = cst[c]
            cap = arr[qb] - arr[qa]
            if lead is not None:
                cap += lead.stretch[c]
            if trail is not None:
                cap += trail.stretch[c]
            if cap <= 0.0:
                continue
            take = rest if rest < cap else cap
            cost += pz.STRETCH_RATE[c] * take / EM
            rest -= take
            if rest <= EPS:
                return cost, 0.0
        if j < P.n and rest >= P.w0[j] - EPS:
            cost += pz.PUSH_OUT * (rest / P.w0[j] if P.w0[j] > 0 else 1.0)
        slots = P.slot[j - 1] - P.slot[i] if j - 1 > i else 0
        if slots <= 0:
            # nothing to spread (one Latin word, one two-em unit): left underfull
            return cost + 3 * pz.OVER_LIMIT + 20000.0 * rest / EM, 0.0
        sp = rest / slots / EM
        return cost + _spread_cost(sp), sp
    return cost, 0.0


def evaluate(P: Para, i: int, j: int, last: bool):
    """Cost of the line [i, j) and the plan to set it, or (INF, None)."""
    A = P.avail_first if i == 0 else P.measure
    EM = P.EM
    cid = P.cid
    ci = cid[i]
    cj = cid[j - 1]
    base_cost = P.line_cost
    if last and i > 0:
        pcount = P.pcount
        mll = P.settings.min_last_line
        if pcount[P.n] - pcount[i] < mll <= pcount[P.n]:
            base_cost += pz.ORPHAN
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
    ncb = P.ncb
    qa, qb = ncb[a], ncb[b]
    last = last or not P.settings.justify      # ragged: not filled to the measure
    if P.gridmode and P.cng[qb] == P.cng[qa]:
        lopts = lead.ints if lead is not None else _NO_LEAD
        if lopts:
            G = P.pu[b] - P.pu[a] + P.cg[qb] - P.cg[qa]
            C = P.cgc[qb] - P.cgc[qa]
            U = P.cup[qb] - P.cup[qa]
            Dn = P.cdn[qb] - P.cdn[qa]
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
            for li in range(len(lopts) if len(lopts) < 3 else 3):
                lo = lopts[li]
                base = (lo[0] + G) * EM
                lc = lo[1] + C
                if last:
                    w = base + (trail.nat if trail is not None else 0.0)
                    if w <= A + EPS and lc < best:
                        best = lc
                        plan = ("G", li, 0, None)
                    continue
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
    if best >= pz.OFFGRID:
        fb = _fallback(P, i, j, A, last, lead, a, trail, b)
        if fb is not None and fb[0] < best:
            best = fb[0]
            plan = ("F", fb[1])
    if plan is None:
        return INF, None
    if not P.settings.justify and j < P.n:
        # ragged lines: a little for the room left, so the lines come out even
        left = (A - _nat_width(P, i, j)) / EM
        if left > 0.0:
            best += pz.RAGGED_K * left * left
    return base_cost + best, plan


_NO_LEAD = ((0, 0.0, -1, 0.0),)
_NO_FLEX = ((0, 0.0),)


def _eval_whole(P, i, j, A, last, base_cost):
    pc = P.whole(i, j)
    EM = P.EM
    last = last or not P.settings.justify
    if last:
        if pc.nat <= A + EPS:
            return base_cost, ("W", None)
    else:
        r = pc.fit(A, EM)
        if r is not None:
            return base_cost + r[0], ("W", r)
    fb = _fallback(P, i, j, A, last, pc, i, None, i)
    if fb is None:
        return INF, None
    return base_cost + fb[0] - pz.OFFGRID, ("F", fb[1])


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
    LINE = P.line_cost
    ev = evaluate
    for j in range(1, n + 1):
        if not can[j]:
            continue
        last = j == n
        i0 = bisect_left(plo, plo[j] - meas - EPS)
        if last:
            i1 = j - 1
        else:
            i1 = bisect_right(phi, phi[j] - meas + loose) - 1
            if i1 > j - 1:
                i1 = j - 1
        bj = INF
        bi = -1
        bp = None
        # the first line has its own (indented) measure
        if plo[j] <= A0 + EPS and (last or phi[j] >= A0 - loose):
            bj, bp = ev(P, 0, j, last)
            if bp is not None:
                bi = 0
        for i in range(i0 if i0 > 1 else 1, i1 + 1):
            bc = best[i]
            if bc + LINE >= bj or not can[i]:
                continue
            c, pl = ev(P, i, j, last)
            c += bc
            if c < bj:
                bj, bi, bp = c, i, pl
        if bi >= 0:
            best[j] = bj
            back[j] = bi
            plans[j] = bp
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
_glyph = SetGlyph          # positional: (ch, font, size, x, advance, index)


def _assign(P: Para, pc: Piece, s: int, ci: int, c: float, width: dict, bgap: dict, tags: dict):
    """Widths of the chars / gaps of piece pc (at s) for combo ci and continuous total c."""
    e = s + pc.n
    role, w0 = P.role, P.w0
    for k in range(s, e):
        r = role[k]
        if r in _SPACEROLES:
            width[k] = 0.0
        else:
            width[k] = w0[k]
    combo = pc.combos[ci]
    for (k, states), tag in zip(pc.marks, combo[2]):
        for w, _cost, t in states:
            if t == tag:
                width[s + k] = w
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
            width[s + idx] = v


def realize(P: Para, i: int, j: int, plan, measure: float) -> tuple[SetLine, list[str]]:
    last = j == P.n
    first = i == 0
    A = P.avail_first if first else P.measure
    EM = P.EM
    cid = P.cid
    ci, cj = cid[i], cid[j - 1]
    width: dict[int, float] = {}
    bgap: dict[int, float] = {}
    tags: dict[int, str] = {}
    notes: list[str] = []
    w0 = P.w0
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
            _assign(P, pc, i, cix, cval, width, bgap, tags)
        else:
            _assign(P, pc, i, 0, pc.cnom, width, bgap, tags)
    else:
        lead = P.lead(i) if ci >= 0 else None
        a = P.cl_end[ci] if ci >= 0 else i
        trail = P.trail(j) if cj >= 0 else None
        b = P.cl_start[cj] if cj >= 0 else j
        interior = range(P.ncb[a], P.ncb[b])
        for k in range(a, b):
            if P.unit[k]:
                width[k] = w0[k]
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
                _assign(P, lead, i, cix, cval, width, bgap, tags)
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
                ent = next(x for x in pc.ints if x[0] == kk)
                _assign(P, pc, cl_start[q], ent[2], ent[3], width, bgap, tags)
            if trail is not None:
                if tr is None:
                    _assign(P, trail, b, 0, trail.cnom, width, bgap, tags)
                else:
                    _assign(P, trail, b, tr[1], tr[2], width, bgap, tags)
        else:
            for pc, s0 in pieces_in_line:
                _assign(P, pc, s0, 0, pc.cnom, width, bgap, tags)

    if mode == "F":
        spread = _justify_priority(P, i, j, A, last, pieces_in_line, width, bgap, tags, notes)

    # positions
    slot = P.slot
    comp, adv, role, cls = P.comp, P.adv, P.role, P.cls
    pen = P.indent if first else 0.0
    xs: list[float] = []
    pens: list[float] = []
    ws: list[float] = []
    for k in range(i, j):
        if k > i:
            g = bgap.get(k)
            if g is not None:
                pen += g
            if spread and slot[k] != slot[k - 1]:
                pen += spread * EM
        w = width[k]
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
    k = i
    while k < j:
        if role[k] == "D":
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
            k = m + 1
        else:
            k += 1
    text, font, size = P.text, P.font, P.size
    glyphs = tuple(_glyph(text[k], font[k], size[k], xs[k - i], ws[k - i], k) for k in range(i, j))
    wfill = pen
    if not last and P.settings.justify and abs(wfill - measure) > 0.01:
        notes.append(f"line {i}-{j}: width {wfill:.3f} pt for measure {measure:.3f} pt")
    line = SetLine(glyphs=glyphs, measure=measure, width=wfill, last=last, start=i, end=j)
    return line, notes


def _justify_priority(P: Para, i, j, A, last, pieces_in_line, width, bgap, tags, notes) -> float:
    """clreq priority justification of the natural widths; returns even spread (em)."""
    EM = P.EM
    W = 0.0
    for k in range(i, j):
        W += width[k]
    for b in range(i + 1, j):
        W += bgap.get(b, 0.0)
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
                    width[idx] -= amt * r
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
                width[idx] += amt * r
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
    return SetParagraph(lines=tuple(lines), text=P.text, notes=tuple(notes))
