"""Step 6, realisation: a chosen line as glyphs at their x positions.

``realize`` takes a line's plan from linecost.evaluate and gives every character its
width (each piece's chosen state, Han-Latin gaps, spaces), runs the priority
justification and even spreading where the plan says so (justify.py), draws marks
off-centre in their box, two-em units contiguously, and a hyphen where the line ends
at a hyphenation break.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import accumulate, repeat, starmap

from .justify import justify_priority
from .model import SetGlyph, SetLine
from .pieces import Piece
from .prepare import Para

if issubclass(SetGlyph, tuple):
    def _glyphs(rows) -> tuple:
        # a named tuple: tuple.__new__ builds each one without its Python-level __new__
        return tuple(map(tuple.__new__, repeat(SetGlyph), rows))
else:
    def _glyphs(rows) -> tuple:
        return tuple(starmap(SetGlyph, rows))


def _assign(pc: Piece, s: int, ci: int, c: float, width: list, bgap: dict, tags: dict, i: int):
    """Widths of the chars / gaps of piece pc (at s) for combo ci and continuous total c.
    width holds the line's chars from i on, already at their natural widths (para.wbase)."""
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


def realize(para: Para, i: int, j: int, plan, measure: float) -> tuple[SetLine, list[str]]:
    last = j == para.n
    # a line ending at a last-resort break is set flush left, like a last line (linecost)
    flush = last or (bool(para.extra_breaks) and j in para.extra_breaks)
    first = i == 0
    A = para.avail_first if first else para.measure
    hyphen = para.hyphen_at.get(j) if para.hyphen_at else None
    if hyphen:
        A -= hyphen
    EM = para.EM
    cid = para.cid
    ci, cj = cid[i], cid[j - 1]
    width = para.wbase[i:j]                # the line's chars, from i on
    bgap: dict[int, float] = {}
    tags: dict[int, str] = {}
    notes: list[str] = []
    pieces_in_line: list[tuple[Piece, int]] = []
    spread = 0.0
    if plan is None:
        plan = ("F", 0.0)
    mode = plan[0]

    if ci >= 0 and ci == cj:
        pc = para.whole(i, j)
        pieces_in_line.append((pc, i))
        if mode == "W" and plan[1] is not None:
            _, cix, cval = plan[1]
            _assign(pc, i, cix, cval, width, bgap, tags, i)
        else:
            _assign(pc, i, 0, pc.cnom, width, bgap, tags, i)
    else:
        lead = para.lead(i) if ci >= 0 else None
        a = para.cl_end[ci] if ci >= 0 else i
        trail = para.trail(j) if cj >= 0 else None
        b = para.cl_start[cj] if cj >= 0 else j
        interior = range(para.ncb[a], para.ncb[b])
        cl_start = para.cl_start
        if lead is not None:
            pieces_in_line.append((lead, i))
        for q in interior:
            pieces_in_line.append((para.interior[q], cl_start[q]))
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
                    pc = para.interior[q]
                    alt = pc.up if f > 0 else pc.dn
                    if alt is not None:
                        cand.append((alt, q))
                cand.sort()
                for _alt, q in cand[:abs(f)]:
                    choice[q] = para.interior[q].best_k + (1 if f > 0 else -1)
            for q in interior:
                pc = para.interior[q]
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
        spread = justify_priority(para, i, j, A, flush, pieces_in_line, width, bgap, tags, notes)

    # positions: pens[k - i] is the pen before char k, xs[k - i] where its glyph is drawn
    comp, adv, role, cls = para.comp, para.adv, para.role, para.cls
    pen = para.indent if first else 0.0
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
        fancy = para.fancy
        for t in range(bisect_left(fancy, i), bisect_left(fancy, j)):
            k = fancy[t]
            w = width[k - i]
            if comp[k] == "L":
                xs[k - i] = pens[k - i] + (w - adv[k])
            else:
                xs[k - i] = pens[k - i] + (w - adv[k]) * 0.5
    else:
        slot = para.slot
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
                ws.append(min(adv[k], 0.5 * para.size[k]))
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
    dpos = para.dpos
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
    glyphs = _glyphs(zip(para.chars[i:j], para.font[i:j], para.size[i:j], xs, ws, range(i, j)))
    wfill = pen
    if hyphen:
        # a hyphenation break: a hyphen drawn after the last letter, standing for no
        # character of the copy (index -1)
        glyphs += (SetGlyph("-", para.font[j - 1], para.size[j - 1], pen, hyphen, -1),)
        wfill += hyphen
    if flush and not last and para.justify and measure - wfill > 0.01:
        notes.append(f"line {i}-{j}: broken inside a run too long for the measure, set flush left "
                     f"(underfull by {measure - wfill:.3f} pt)")
    if not flush and para.justify and abs(wfill - measure) > 0.01 and not notes:
        # (a line justification already told of, a dateline set ragged, is not told twice)
        notes.append(f"line {i}-{j}: width {wfill:.3f} pt for measure {measure:.3f} pt")
    line = SetLine(glyphs=glyphs, measure=measure, width=wfill, last=last, start=i, end=j)
    return line, notes
