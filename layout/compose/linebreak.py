"""Step 5, the line breakers.

``total_fit`` is a dynamic programme over the candidate breaks (breaks.py) that
minimises the paragraph's total line cost (linecost.py); a line only looks back
over the candidates whose natural width lies within reach of the measure, found
by bisection on prefix sums, so the work is linear in the paragraph's length.
``first_fit`` goes line by line as a compositor would: fill, push in, push out
(clreq), then the same justification.  Both avoid a one-character last line.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right

from .linecost import INF, _eval_plain, evaluate, natural_width
from .pieces import EPS
from .prepare import Para

def total_fit(para: Para, loose_em: float = 1.5):
    """Breaks minimising the paragraph's total cost; None if no feasible set.

    A line ending at j only looks back over starts i whose width bounds put it
    within [measure - loose_em, measure + compression] (bisection on prefix sums
    of lower / upper width bounds), so the work per break is bounded.
    """
    n = para.n
    can = para.can
    best = [INF] * (n + 1)
    back = [-1] * (n + 1)
    plans = [None] * (n + 1)
    best[0] = 0.0
    plo, phi = para.plo, para.phi
    meas = para.measure
    loose = loose_em * para.EM
    if para.extra_breaks:
        loose = max(loose, para.measure)     # lines ending at a last-resort break are ragged
    A0 = para.avail_first
    A0_hi = A0 + EPS
    A0_lo = A0 - loose
    LINE = para.line_cost
    ev = evaluate
    # lines with no cluster at either end take evaluate's short path directly
    plain_at = para.plain_at
    plain_end = para.plain_end         # (False for the last line)
    if para.extra_breaks:
        plain_end = [False] * (n + 1)   # evaluate() costs the last-resort breaks
    reach = 0           # the first i > 0 with a finite best[i] (0: none yet)
    for j in para.cands:
        last = j == n
        pj = plain_end[j]
        bj = INF
        bi = -1
        bp = None
        # the first line has its own (indented) measure
        if plo[j] <= A0_hi and (last or phi[j] >= A0_lo):
            bj, bp = ev(para, 0, j, last)
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
                c, pl = _eval_plain(para, i, j) if pj and plain_at[i] else ev(para, i, j, last)
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
    mll = para.settings.min_last_line
    if loose_em < 6.0 and li > 0 and para.pcount[n] - para.pcount[li] < mll <= para.pcount[n]:
        # an orphan (or worse) may be avoidable with a looser line: widen the window
        wide = total_fit(para, 6.0)
        if wide is not None and _cost(para, wide) < best[n] - 1e-9:
            return wide
    out = []
    j = n
    while j > 0:
        i = back[j]
        out.append((i, j, plans[j]))
        j = i
    out.reverse()
    return out


def _cost(para: Para, breaks) -> float:
    return sum(evaluate(para, i, j, j == para.n)[0] for i, j, _ in breaks)

def first_fit(para: Para, widths=None):
    """Line by line: fill, push in, push out (clreq), then the same justification.
    `widths`: each line's own measure (use_measure), else para's one measure."""
    memo: dict = {}
    n = para.n
    hyphen_at = para.hyphen_at
    can = para.can
    out = []
    i = 0
    while i < n:
        if widths:
            use_measure(para, widths, len(out), memo)
        A = para.avail_first if i == 0 else para.measure
        j = i + 1
        jn = i          # largest end whose natural width fits
        while j <= n:
            if natural_width(para, i, j) + hyphen_at.get(j, 0.0) <= A + EPS:
                jn = j
            elif para.plo[j] - para.plo[i] > A + EPS:
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
            if evaluate(para, i, k, k == n)[0] < INF:
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
        c, plan = evaluate(para, i, chosen, chosen == n)
        out.append((i, chosen, plan))
        i = chosen
    # no one-character last line: pull one down from the line above
    mll = para.settings.min_last_line
    pcount = para.pcount
    if len(out) >= 2 and pcount[n] >= mll:
        li, lj, _ = out[-1]
        if pcount[n] - pcount[li] < mll:
            pi, pj, _ = out[-2]
            k = li - 1
            if widths:
                use_measure(para, widths, len(out) - 2, memo)
            while k > pi:
                if can[k] and pcount[n] - pcount[k] >= mll:
                    c1, p1 = evaluate(para, pi, k, False)
                    if widths:
                        use_measure(para, widths, len(out) - 1, memo)
                    c2, p2 = evaluate(para, k, n, True)
                    if widths:
                        use_measure(para, widths, len(out) - 2, memo)
                    if c1 < INF and c2 < INF:
                        out[-2] = (pi, k, p1)
                        out[-1] = (k, n, p2)
                        break
                k -= 1
    return out


# -- lines of different measures (text wrapped around a photo: 图文互斥) -------------

def use_measure(para: Para, widths, k: int, memo: dict) -> float:
    """Give `para` the measure of its line k (widths[k], the last one repeating) for the
    cost and realize functions, which read para.measure / avail_first / _gridf."""
    w = widths[k] if k < len(widths) else widths[-1]
    para.measure = w
    para.avail_first = w - para.indent
    key = (w, k == 0)
    gridf = memo.get(key)
    if gridf is None:
        gridf = memo[key] = ({}, {})       # _grid_flex memo: it depends on the measure
    para._gridf = gridf
    return w


def total_fit_varying(para: Para, widths, loose_em: float = 1.5):
    """total_fit for lines of their own measures: line k is widths[k] wide (the last
    width repeating).  The state is (line number, end): the same end reached in another
    line number faces other measures.  Once the widths run out every line is the same, so
    states are merged by their end alone.  None if no feasible set."""
    n = para.n
    can = para.can
    plo, phi = para.plo, para.phi
    EM = para.EM
    memo: dict = {}
    layer = {0: 0.0}                 # end -> best cost, in the current line number
    back: dict = {}                  # (line number, end) -> (start, plan)
    settled: dict = {}               # beyond the widths: end -> best cost
    best_final, final_k = INF, -1
    k = 0
    while layer:
        w = use_measure(para, widths, k, memo)
        loose = max(loose_em * EM, w) if para.extra_breaks else loose_em * EM
        steady = k >= len(widths) - 1
        nxt: dict = {}
        for i, bc in layer.items():
            if bc >= best_final:
                continue
            A = para.avail_first if i == 0 else w
            j0 = max(i + 1, bisect_left(phi, phi[i] + A - loose))
            j1 = min(n, bisect_right(plo, plo[i] + A + EPS) - 1)
            js = range(j0, j1 + 1)
            if j1 < n and plo[n] - plo[i] <= A + EPS:
                js = list(js) + [n]
            for j in js:
                if not can[j] and j != n:
                    continue
                c, pl = evaluate(para, i, j, j == n)
                if pl is None or c == INF:
                    continue
                c += bc
                if j == n:
                    if c < best_final:
                        best_final, final_k = c, k
                        back[(k, j)] = (i, pl)
                elif c < nxt.get(j, INF):
                    if steady and c >= settled.get(j, INF):
                        continue
                    nxt[j] = c
                    back[(k, j)] = (i, pl)
                    if steady:
                        settled[j] = c
        layer = nxt
        k += 1
        if k > n:
            break
    if final_k < 0:
        return None
    out = []
    j, k = n, final_k
    while j > 0:
        i, pl = back[(k, j)]
        out.append((i, j, pl))
        j, k = i, k - 1
    out.reverse()
    return out
