"""Step 3, candidate lines and their costs.

``evaluate(para, i, j, last)`` costs the line [i, j) of a prepared paragraph and
returns the plan to set it: "G" (on the character grid: whole ems from the grid
units plus the cheapest whole-em option of each cluster, linecost's fast path), "W"
(the line is one cluster) or "F" (justified in clreq's priority order, then even
spreading: justify.py).  Lines cost O(1) from the prefix sums prepared in
prepare.py, plus the cached pieces at the two line ends.
"""
from __future__ import annotations

from . import pieces as pz
from .justify import priority_cost
from .pieces import EPS
from .prepare import EM_MIN, Para

INF = float("inf")
# the costs as module globals: the functions below run once per candidate line
_OFFGRID = pz.OFFGRID
_ORPHAN = pz.ORPHAN
_RAGGED_K = pz.RAGGED_K
_RAGGED_BREAK_K = 20.0     # per em left on a line ending at a last-resort break


def evaluate(para: Para, i: int, j: int, last: bool):
    """Cost of the line [i, j) and the plan to set it, or (INF, None)."""
    cid = para.cid
    ci = cid[i]
    cj = cid[j - 1]
    extra = para.extra_breaks
    if ci < 0 and cj < 0 and not last and para.plain_grid and not extra:
        return _eval_plain(para, i, j)
    base_cost = para.line_cost
    if i:
        A = para.measure
        if last:
            pcount = para.pcount
            mll = para.settings.min_last_line
            if pcount[para.n] - pcount[i] < mll <= pcount[para.n]:
                base_cost += _ORPHAN
    else:
        A = para.avail_first
    ragged_break = bool(extra) and j in extra
    if ragged_break:
        # a last-resort break inside a run too long for the measure (breaks.py): the line
        # is set flush left like a last line (a run of letters or digits has nothing to
        # spread), a little for the room it leaves
        base_cost += extra[j]
        A -= para.hyphen_at.get(j, 0.0)
        left = (A - natural_width(para, i, j)) / para.EM
        if left > 0.0:
            base_cost += _RAGGED_BREAK_K * left
        last = True
    if ci >= 0:
        if ci == cj:
            return _eval_whole(para, i, j, A, last, base_cost)
        lead = para._lead.get(i) or para.lead(i)
        a = para.cl_end[ci]
    else:
        lead = None
        a = i
    if cj >= 0:
        trail = para._trail.get(j) or para.trail(j)
        b = para.cl_start[cj]
    else:
        trail = None
        b = j

    best = INF
    plan = None
    EM = para.EM
    ncb = para.ncb
    clu_a, clu_b = ncb[a], ncb[b]
    last = last or not para.justify      # ragged: not filled to the measure
    cng = para.cng
    if para.gridmode and cng[clu_b] == cng[clu_a]:
        lopts = lead.ints if lead is not None else _NO_LEAD
        if lopts:
            gpos = para.gpos
            G = gpos[b] - gpos[a]       # == pu[b] - pu[a] + cg[clu_b] - cg[clu_a] (ints)
            C = para.cgc[clu_b] - para.cgc[clu_a]
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
                gridf = para._gridf[i == 0]
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
                        U = para.cup[clu_b] - para.cup[clu_a]
                        if U < f:
                            continue
                        uc = (para.cupc[clu_b] - para.cupc[clu_a]) / U
                        fc = uc if f == 1 else 2 * uc
                    else:
                        Dn = para.cdn[clu_b] - para.cdn[clu_a]
                        if Dn < -f:
                            continue
                        dc = (para.cdnc[clu_b] - para.cdnc[clu_a]) / Dn
                        fc = dc if f == -1 else 2 * dc
                    c = lo[1] + C + fc
                    if c < best:
                        best = c
                        plan = ("G", li, f, None)
            else:
                cup, cdn = para.cup, para.cdn
                U = cup[clu_b] - cup[clu_a]
                Dn = cdn[clu_b] - cdn[clu_a]
                if U or Dn:
                    flex = [(0, 0.0)]
                    if U:
                        uc = (para.cupc[clu_b] - para.cupc[clu_a]) / U
                        flex.append((1, uc))
                        if U > 1:
                            flex.append((2, 2 * uc))
                    if Dn:
                        dc = (para.cdnc[clu_b] - para.cdnc[clu_a]) / Dn
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
        fb = priority_cost(para, i, j, A, last, lead, a, trail, b, clu_a, clu_b)
        if fb is not None and fb[0] < best:
            best = fb[0]
            plan = ("F", fb[1])
    if plan is None:
        return INF, None
    if not para.justify and j < para.n:
        # ragged lines: a little for the room left, so the lines come out even
        left = (A - natural_width(para, i, j)) / EM
        if left > 0.0:
            best += _RAGGED_K * left * left
    return base_cost + best, plan


def _eval_plain(para: Para, i: int, j: int):
    """evaluate() for the commonest line: no cluster at either end (so no lead or trail
    piece), not the last line, justified on the grid (para.plain_grid).  The same
    arithmetic as there, without the branches that cannot apply."""
    A = para.measure if i else para.avail_first
    ncb = para.ncb
    clu_a, clu_b = ncb[i], ncb[j]
    best = INF
    plan = None
    cng = para.cng
    if cng[clu_b] == cng[clu_a]:
        gpos = para.gpos
        K = gpos[j] - gpos[i]           # lo[0] + G, lo = _NO_LEAD[0]
        gridf = para._gridf[i == 0]
        f = gridf.get(K, _UNSET)
        if f is _UNSET:
            f = gridf[K] = _grid_flex(A, K, para.EM)
        if f is not None:
            fc = None
            if f == 0:
                fc = 0.0
            elif f > 0:
                U = para.cup[clu_b] - para.cup[clu_a]
                if U >= f:
                    uc = (para.cupc[clu_b] - para.cupc[clu_a]) / U
                    fc = uc if f == 1 else 2 * uc
            else:
                Dn = para.cdn[clu_b] - para.cdn[clu_a]
                if Dn >= -f:
                    dc = (para.cdnc[clu_b] - para.cdnc[clu_a]) / Dn
                    fc = dc if f == -1 else 2 * dc
            if fc is not None:
                c = 0.0 + (para.cgc[clu_b] - para.cgc[clu_a]) + fc       # lo[1] + C + fc
                if c < best:
                    best = c
                    plan = ("G", 0, f, None)
    if best >= _OFFGRID:
        fb = priority_cost(para, i, j, A, False, None, i, None, j, clu_a, clu_b)
        if fb is not None and fb[0] < best:
            best = fb[0]
            plan = ("F", fb[1])
    if plan is None:
        return INF, None
    return para.line_cost + best, plan


_NO_LEAD = ((0, 0.0, -1, 0.0),)
_NO_FLEX = ((0, 0.0),)
_EM_MIN = EM_MIN
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


def _eval_whole(para, i, j, A, last, base_cost):
    pc = para.whole(i, j)
    EM = para.EM
    last = last or not para.justify
    if last:
        if pc.nat <= A + EPS:
            return base_cost, ("W", None)
    else:
        r = pc.fit(A, EM)
        if r is not None:
            return base_cost + r[0], ("W", r)
    q = para.ncb[i]
    fb = priority_cost(para, i, j, A, last, pc, i, None, i, q, q)
    if fb is None:
        return INF, None
    return base_cost + fb[0] - _OFFGRID, ("F", fb[1])

def natural_width(para: Para, i: int, j: int) -> float:
    """Natural width of line [i, j), its line-end mark counted half if it can be."""
    cid = para.cid
    ci, cj = cid[i], cid[j - 1]
    if ci >= 0 and ci == cj:
        pc = para.whole(i, j)
        return pc.nat - pc.shrink[pz.S_END]
    w = 0.0
    if ci >= 0:
        w += para.lead(i).nat
        a = para.cl_end[ci]
    else:
        a = i
    if cj >= 0:
        t = para.trail(j)
        w += t.nat - t.shrink[pz.S_END]
        b = para.cl_start[cj]
    else:
        b = j
    clu_a, clu_b = para.ncb[a], para.ncb[b]
    return w + para.pun[b] - para.pun[a] + para.cn[clu_b] - para.cn[clu_a]
