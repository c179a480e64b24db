"""Step 1, preparation of a paragraph: everything the line breakers need, as flat lists.

``Para`` concatenates the spans, classifies every character (charclass), looks up its
advance, gives spaces their role (Han-Latin gap, word space, dateline space), finds
the grid units (ideographs one em wide) and the clusters between them (pieces.py),
the break opportunities (breaks.py) and the even-spreading slots, and keeps prefix
sums over all of it so that a candidate line is costed in O(1) (linecost.py).

The measure-free part of a prepared paragraph is cached per Metrics object
(caches.py): placement sets the same paragraph at several measures.
"""
from __future__ import annotations

from itertools import accumulate, compress, repeat
from operator import add, eq, gt, ne, not_, sub

from . import breaks
from . import charclass as cc
from .caches import MAX_PARAS, MetricsCache, cache_for, remember
from .model import ComposeSettings
from .pieces import EPS, HAN_SPACE, Piece, build_piece

_LATIN = cc.LATIN
_MARKS = cc.MARKS
_GRID = cc.GRID
_UNITS = cc.UNITS
SPACE_ROLES = ("G", "W", "C", "Z")
LONE_DASHES = "—―"
EM_MIN = 1e-3      # the grid arithmetic (linecost._grid_flex) needs ems far wider than EPS


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


def span_key(spans, EM):
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


#: Para attributes that depend on the call (measure, indent), not on the paragraph
_PER_CALL = frozenset({"settings", "measure", "EM", "indent", "avail_first", "_gridf", "extra_breaks",
                       "hyphen_at"})
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
        mc = cache_for(metrics)
        # placement sets the same paragraph at several measures: the rest does not
        # depend on the measure, so it is prepared once
        skey = span_key(spans, EM)
        if skey is not None:
            key = (skey, settings, EM)
            prep = mc.paras.get(key)
            if prep is not None:
                self.__dict__.update(prep)
                self._open_overlong(metrics)
                return
        self._prepare(spans, mc, metrics, settings, EM)
        if skey is not None:
            prep = self.__dict__.copy()
            for k in _PER_CALL:
                prep.pop(k, None)
            remember(mc.paras, key, prep, MAX_PARAS)
        self._open_overlong(metrics)

    def _open_overlong(self, metrics) -> None:
        """A stretch with no allowed break that is wider than the measure (a URL, a long
        word or number, a run of marks) gets breaks inside it (breaks.overlong_breaks),
        for this call only: extra_breaks {b: cost}, hyphen_at {b: hyphen width}."""
        self.extra_breaks = {}
        self.hyphen_at = {}
        if not self.n or self.longest_stretch <= min(self.measure, self.avail_first) + EPS:
            return
        extra = breaks.overlong_breaks(self.text, self.cls, self.can, self.plo, max(self.measure, 0.0),
                                       max(self.avail_first, 0.0), self.kept)
        if not extra:
            return
        can = self.can = self.can.copy()
        for b, (cost, hyphen) in extra.items():
            can[b] = True
            self.extra_breaks[b] = cost
            if hyphen:
                self.hyphen_at[b] = metrics.advance(self.font[b - 1], "-") * self.size[b - 1]
        self.cands = [b for b in range(1, self.n + 1) if can[b]]

    def _prepare(self, spans, mc: MetricsCache, metrics, settings: ComposeSettings, EM: float) -> None:
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
        # a lone em dash (not one of a ——) is a connector (GB/T 15834 5.1.6): never a line start
        if "—" in text or "―" in text:
            DA = cc.DA
            for k in range(n):
                if cls[k] is DA and text[k] in LONE_DASHES and not (k > 0 and cls[k - 1] is DA) \
                        and not (k + 1 < n and cls[k + 1] is DA):
                    cls[k] = cc.CN
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
        # (bounds only: the widest Han-Latin gap, letters or digits)
        hl_max = max(settings.gap_range(False)[2], settings.gap_range(True)[2]) * EM
        space_digits: dict[int, bool] = {}      # a space set as a Han-Latin gap: next to a number?

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
                    digits = space_digits[k] = (rc if rlat else lc) is DG
                    w0[k] = settings.gap_range(digits)[0] * EM
                    hi[k] = hl_max
                elif llat or rlat or lc is None or rc is None:
                    role[k] = "W"
                    hi[k] = max(adv[k], 0.5 * sz)
                else:
                    # a space between two Han characters (a dateline's names): a full em
                    role[k] = "C"
                    w0[k] = HAN_SPACE * sz
                    hi[k] = (HAN_SPACE + settings.gap_flex) * sz
                continue
            info = CLASSES[c]
            a = adv[k]
            if info.blank and a < 1.01 * sz:
                # a mark with a blank side takes one em whatever its face's advance
                # (LXGW WenKai's “” are 0.35 em): one width for a mark in one style;
                # realize draws a narrow glyph on its ink side of the em
                comp[k] = info.blank
                w0[k] = hi[k] = sz
                lo[k] = 0.5 * sz if a > 0.99 * sz else max(0.5 * sz, a)
            elif (c in _UNITS or (c is cc.CN and text[k] in LONE_DASHES)) and a < sz * 0.99:
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
            if role[k] in SPACE_ROLES:
                wbase[k] = 0.0
        self.fancy = [k for k in spec if comp[k] == "L" or comp[k] == "B" or role[k] in ("D", "M")]
        self.dpos = [k for k in spec if role[k] == "D"]

        # Han-Latin gap at boundary b (between b-1 and b): only next to a Latin run
        gap_at = [False] * (n + 1)
        gap_digits: dict[int, bool] = {}        # boundary -> the gap is next to a digit
        PR, PO, LP = cc.PR, cc.PO, cc.LP
        # a tight gap (nominal 0) may close up by its flex: the lower bounds count that too
        shut = (min(settings.gap_range(False)[1], 0.0) * EM, min(settings.gap_range(True)[1], 0.0) * EM)
        for k in lat:
            if not run_alnum[k]:
                continue
            c = cls[k]
            g = c is AL or c is DG or (c in (PR, PO, LP) and adv[k] < 0.9 * size[k])
            if not g:
                continue
            if k > 0 and cls[k - 1] is ID:          # ideograph, then this run
                gap_at[k] = True
                gap_digits[k] = c is DG
                hi[k] += hl_max
                lo[k] += shut[c is DG]
            if k + 1 < n and cls[k + 1] is ID:      # this run, then an ideograph
                gap_at[k + 1] = True
                gap_digits[k + 1] = c is DG
                hi[k + 1] += hl_max
                lo[k + 1] += shut[c is DG]
        self.gap_at = gap_at
        self.gap_digits = gap_digits
        self.space_digits = space_digits
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

        # break opportunities and spreading slots (breaks.py)
        can, inc = breaks.break_opportunities(text, cls, spec, gap_at, self.level)
        self.kept = frozenset(breaks.kept_together(text, cls))
        for b in self.kept:
            can[b] = False
        self.can = can
        self.cands = list(compress(range(1, n + 1), can[1:]))    # line ends to try
        # the widest stretch between two allowed breaks, at its narrowest (_open_overlong)
        plo = self.plo
        at_breaks = [*map(plo.__getitem__, self.cands), plo[n]]
        self.longest_stretch = max(map(sub, at_breaks, [0.0, *at_breaks[:-1]]))
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
        self.plain_grid = settings.grid and settings.justify and EM > EM_MIN     # see _eval_plain
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
