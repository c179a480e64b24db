"""Step 4, justification: clreq's priority order, then even spreading.

What a line cannot take up within the style's fixed widths is absorbed in this order
(clreq "Line Adjustment"):

* shrinking: a mark at the line end set half width (GB/T 15834 5.1.10), an opening
  bracket at the line start losing its leading half, word spaces down to 1/4 em,
  Han-Latin gaps by at most their flex (1/16 em); then the whole line evenly, at
  most ``SQUEEZE_LIMIT`` em between two characters;
* stretching: word spaces up to 1/2 em, Han-Latin gaps by at most their flex;
  then even spreading over every inter-character gap (never inside ——/…… or a
  Latin word, never next to a connector or solidus), a fault past 0.10 em; a line of
  the dateline (broken between its names) spreads to 0.10 em and leaves the rest at its end.

No punctuation mark inside the line changes width here: the punctuation style
(punctuation.py) fixes every mid-line mark and pair.

``priority_cost`` is the cost of doing so, for the breakers (linecost.py);
``justify_priority`` does it to a line being realised (realize.py).
"""
from __future__ import annotations

from . import pieces as pz
from .breaks import DATELINE
from .pieces import EPS

INF = float("inf")
_SPREAD_K = pz.SPREAD_K
_SPREAD_LIMIT = pz.SPREAD_LIMIT + 1e-9
_OFFGRID = pz.OFFGRID
_END_HALF = pz.END_HALF
_SHRINK_RATE = pz.SHRINK_RATE
_STRETCH_RATE = pz.STRETCH_RATE
_PUSH_OUT = pz.PUSH_OUT
_OVER_LIMIT = pz.OVER_LIMIT
_SQUEEZE_K = pz.SQUEEZE_K
_SQUEEZE_LIMIT = pz.SQUEEZE_LIMIT + 1e-9


def priority_cost(para, i, j, A, last, lead, a, trail, b, clu_a, clu_b):
    """clreq priority justification of the natural line: (cost, spread_em) or None.
    clu_a, clu_b: the clusters before a and b (para.ncb[a], para.ncb[b])."""
    EM = para.EM
    cn = para.cn
    pun = para.pun
    W = pun[b] - pun[a] + cn[clu_b] - cn[clu_a]
    if lead is not None:
        W += lead.nat
    if trail is not None:
        W += trail.nat
    diff = A - W
    cost = _OFFGRID
    if diff < -EPS:
        # a mark at the line end goes to a fixed half em first (clreq reduction a)
        csh = para.csh
        arr = csh[0]
        cap = arr[clu_b] - arr[clu_a]
        if lead is not None:
            cap += lead.shrink[0]
        if trail is not None:
            cap += trail.shrink[0]
        if cap > 0.0:
            cost += _END_HALF
            diff += cap
        if diff < -EPS:
            need = -diff
            for c in range(1, 6) if lead is not None or trail is not None else para.sh_classes:
                arr = csh[c]
                cap = arr[clu_b] - arr[clu_a]
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
            # the rest from the whole line, evenly
            slots = para.slot[j - 1] - para.slot[i] if j - 1 > i else 0
            if slots <= 0:
                return None
            squeeze = need / slots / EM
            if squeeze > _SQUEEZE_LIMIT:
                return None
            return cost + _SQUEEZE_K * squeeze * squeeze, -squeeze
    if diff > EPS and not last:
        rest = diff
        cst = para.cst
        # word spaces, Han-Latin gaps (pairs stay compressed)
        for c in range(2) if lead is not None or trail is not None else para.st_classes:
            arr = cst[c]
            cap = arr[clu_b] - arr[clu_a]
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
        if j < para.n:
            wj = para.w0[j]
            if rest >= wj - EPS:
                cost += _PUSH_OUT * (rest / wj if wj > 0 else 1.0)
        slots = para.slot[j - 1] - para.slot[i] if j - 1 > i else 0
        if slots <= 0:
            # nothing to spread (one Latin word, one two-em unit): left underfull
            return cost + 3 * _OVER_LIMIT + 20000.0 * rest / EM, 0.0
        sp = rest / slots / EM
        c = _SPREAD_K * sp * sp         # even spreading: quadratic, and a fault past the limit
        if sp > _SPREAD_LIMIT:
            c += _OVER_LIMIT + 20000.0 * (sp - pz.SPREAD_LIMIT)
        return cost + c, sp
    return cost, 0.0


def justify_priority(para, i, j, A, last, pieces_in_line, width, bgap, tags, notes) -> float:
    """clreq priority justification of the natural widths; returns even spread (em)."""
    EM = para.EM
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
                        groups[pz._SHRINK_CLASS.get(para.cls[s0 + k], pz.S_COMMA)].append(("m", s0 + k, n0[0] - w, t))
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
            # the rest from the whole line, evenly (at most SQUEEZE_LIMIT em a gap)
            slots = para.slot[j - 1] - para.slot[i] if j - 1 > i else 0
            squeeze = need / slots / EM if slots > 0 else INF
            if squeeze > _SQUEEZE_LIMIT:
                notes.append(f"line {i}-{j}: overfull by {need:.3f} pt")
                return 0.0
            return -squeeze
        if need > -EPS:
            return 0.0
        diff = -need       # the half-width line-end mark left room: stretch
    if last or not para.settings.justify:
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
    slots = para.slot[j - 1] - para.slot[i] if j - 1 > i else 0
    if slots <= 0:
        notes.append(f"line {i}-{j}: underfull by {rest:.3f} pt (nothing to spread)")
        return 0.0
    s = rest / slots / EM
    if s > pz.SPREAD_LIMIT + 1e-9:
        if _in_dateline(para, j):
            # a line of the dateline (its names never split, so its breaks are few): its gaps
            # stop at the limit like every other line's, and what it cannot take up stays at its end
            notes.append(f"line {i}-{j}: dateline set ragged: {s:.3f} em between characters needed, set at "
                         f"{pz.SPREAD_LIMIT:.2f} em, {(s - pz.SPREAD_LIMIT) * slots:.2f} em left at the end")
            return pz.SPREAD_LIMIT
        notes.append(f"line {i}-{j}: loose, {s:.3f} em between characters")
    return s


def _in_dateline(para, j: int) -> bool:
    """Whether the line ending before character j ends inside the dateline the paragraph
    starts with, or just after it (breaks.DATELINE: 本报讯（记者 …）)."""
    found = DATELINE.match(para.text)
    return found is not None and j <= found.end()
