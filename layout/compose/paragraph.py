"""Paragraph composition: the entry point, and the order of work.

``compose_paragraph`` breaks a paragraph of spans into justified lines of
``measure`` pt following clreq / GB/T 15834.  The place stage calls it with this
signature.  The steps, one file each (as Typst's typst-layout/src/inline/ does):

1. prepare.py: the paragraph as flat lists (classes, advances, roles, clusters);
   charclass.py holds the character classes and their sources;
2. breaks.py: where a line may end (prohibitions, numbers with their units,
   dates, datelines) and the last-resort breaks inside runs too long to fit;
3. punctuation.py: the width of every mark and pair by the style (全角, 全角不挤压,
   开明, 半角) and what may change at a line's start and end; pieces.py the
   clusters' width options built from it;
4. linecost.py: what a candidate line costs, and the plan to set it;
   justify.py: clreq's priority order, then even spreading;
5. linebreak.py: the total-fit and first-fit breakers;
6. realize.py: the chosen lines as glyphs at their positions.

caches.py keeps what is prepared per Metrics object.
"""
from __future__ import annotations

from typing import Sequence

from array import array

from .caches import MAX_BREAKS, cache_for, clear_caches, remember, save_compositions
from .kept import entry_key, plan
from .linebreak import first_fit, total_fit, total_fit_varying, use_measure
from .prepare import Para, span_key
from .realize import _glyphs, realize
from .model import ComposeSettings, Metrics, SetGlyph, SetLine, SetParagraph, Span

__all__ = ["compose_paragraph", "count_lines", "clear_caches", "save_compositions"]


def compose_paragraph(spans: Sequence[Span], measure: float, metrics: Metrics,
                      settings: ComposeSettings = ComposeSettings(), first_indent: float | None = None,
                      em: float | None = None, line_measures: Sequence[float] | None = None) -> SetParagraph:
    """Compose one paragraph.

    spans: the paragraph's text in runs of one font and size; the first span's
        size is the em of the character grid and of the indent, unless `em` is given.
    measure: line length in pt (the column width).
    metrics: ``advance(font, ch)`` in em; advances (and prepared paragraphs and
        results) are cached per Metrics object (call ``clear_caches()`` if one
        changes its fonts).
    settings: prohibition level, punctuation style, Han-Latin gap, indent,
        hanging, grid, min_last_line, breaker ("total" or "first").
    first_indent: first-line indent in em, overriding ``settings.indent``.
    em: the grid's em in pt (e.g. the body's size when a larger dateline leads).
    line_measures: each line's own measure in pt, the last repeating (lines shortened
        beside a wrapped photo); `measure` is then unused.  The same rules set them.

    Every character of the input appears in exactly one line, once, in order.
    """
    call = _call(spans, measure, em, line_measures)
    if call is None:
        return SetParagraph(lines=(), text="")
    spans, measure, em, widths = call
    return compose(spans, measure, metrics, settings, first_indent, em=em, widths=widths)


def count_lines(spans: Sequence[Span], measure: float, metrics: Metrics,
                settings: ComposeSettings = ComposeSettings(), first_indent: float | None = None,
                em: float | None = None, line_measures: Sequence[float] | None = None) -> int:
    """How many lines ``compose_paragraph`` sets the paragraph in (same arguments), without
    setting them: the make-up measures every story at every width it tries and sets only the
    ones it chooses.  The breaks found are kept, so setting the paragraph later only realises them."""
    call = _call(spans, measure, em, line_measures)
    if call is None:
        return 0
    spans, measure, em, widths = call
    key = _key(spans, measure, settings, first_indent, em, widths)
    if key is None:
        return len(compose(spans, measure, metrics, settings, first_indent, em=em, widths=widths).lines)
    mc = cache_for(metrics)
    hit = mc.results.get(key)
    if hit is not None:
        return len(hit.lines)
    got = _known_breaks(mc, key, sum(len(sp.text) for sp in spans))
    if got is None:
        para = Para(spans, measure, metrics, settings, first_indent, em)
        if para.n == 0:
            return 0
        got = _break(para, settings, widths, mc, key)
    return len(got[1])


def _call(spans, measure, em, line_measures):
    """(spans without empty ones, measure, em, widths) as compose() takes them; None: no text."""
    if not spans:
        return None
    em = em or spans[0].size
    spans = [sp for sp in spans if sp.text]
    if not spans:
        return None
    widths = None
    if line_measures is not None and len(set(line_measures)) > 1:
        widths = tuple(float(w) for w in line_measures)
        measure = min(widths)         # the overlong-run breaks are found for the narrowest line
    elif line_measures:
        measure = float(line_measures[0])
    return spans, measure, em, widths


def _key(spans, measure, settings, first_indent, em, widths):
    """The cache key of a composition, or None where equal values could set differently."""
    if type(measure) is float and (first_indent is None or type(first_indent) is float):
        EM = em if em else (spans[0].size if spans else 1.0)
        skey = span_key(spans, EM)
        if skey is not None:
            return (skey, settings, EM, widths or measure, first_indent)
    return None


def _known_breaks(mc, key, n: int, digest: str | None = None):
    """(notes, breaks) found before for `key` (`digest`: its entry_key): in this process, or on
    disk (kept.py); None if not found, or if what was kept does not cover the paragraph's n
    characters.  Plans from the disk are lists (kept.plan makes them tuples)."""
    got = mc.breaks.get(key)
    if got is None and mc.kept is not None:
        got = mc.kept.get(digest or entry_key(key))
        if got is not None and not _chained(got[1], n):
            got = None                  # (a damaged entry: searched again, and replaced)
        if got is not None:
            mc.breaks[key] = got
    return got


def _break(para: Para, settings: ComposeSettings, widths, mc, key, digest: str | None = None):
    """The paragraph's breaks searched (total-fit, else first-fit): (notes, breaks), kept
    for `key` in this process and on disk."""
    notes: list[str] = []
    breaks = None
    if settings.breaker != "first":
        if widths:
            breaks = total_fit_varying(para, widths) or total_fit_varying(para, widths, loose_em=6.0)
        else:
            breaks = total_fit(para)
            if breaks is None:
                breaks = total_fit(para, loose_em=6.0)
        if breaks is None:
            notes.append("total-fit found no feasible breaks; first-fit used")
    if breaks is None:
        breaks = first_fit(para, widths)
    got = (tuple(notes), breaks)
    if key is not None:
        remember(mc.breaks, key, got, MAX_BREAKS)
        if mc.kept is not None:
            mc.kept.put(digest or entry_key(key), got)
    return got


def compose(spans, measure, metrics, settings: ComposeSettings, first_indent=None,
            em: float | None = None, widths: tuple[float, ...] | None = None) -> SetParagraph:
    """`widths`: each line's own measure (linebreak.total_fit_varying); None: one measure,
    the fast path as it always was."""
    # page placement sets the same paragraph at the same measure more than once;
    # the result is immutable, so a repeat returns the one already set
    key = _key(spans, measure, settings, first_indent, em, widths)
    mc = cache_for(metrics)
    digest = None
    if key is not None:
        hit = mc.results.get(key)
        if hit is not None:
            return hit
        if mc.kept is not None:
            digest = entry_key(key)
            hit = _kept_lines(mc.kept_set.get(digest), spans)
            if hit is not None:          # set in an earlier run (kept.py)
                remember(mc.results, key, hit, mc.max_results)
                return hit
    para = Para(spans, measure, metrics, settings, first_indent, em)
    if para.n == 0:
        return SetParagraph(lines=(), text="")
    got = _known_breaks(mc, key, para.n, digest) if key is not None else None
    if got is None:
        got = _break(para, settings, widths, mc, key, digest)
    notes = list(got[0])
    lines = []
    memo: dict = {}
    for k, (i, j, p) in enumerate(got[1]):
        w = use_measure(para, widths, k, memo) if widths else measure
        line, ln = realize(para, i, j, plan(p), w)
        lines.append(line)
        notes.extend(ln)
    par = SetParagraph(lines=tuple(lines), text=para.text, notes=tuple(notes))
    if key is not None:
        remember(mc.results, key, par, mc.max_results)
        if digest is not None:
            _keep_lines(mc.kept_set, digest, par)
    return par


def _keep_lines(store, digest: str, par: SetParagraph) -> None:
    """Keep a set paragraph's lines for the next run (kept.py SET): each line's bounds,
    measure, width and its glyphs' x and advance (the rest are the paragraph's own)."""
    rows = []
    for ln in par.lines:
        gs = ln.glyphs
        xs = [g.x for g in gs]
        ws = [g.advance for g in gs]
        hyphen = bool(gs) and gs[-1].index == -1
        if len(gs) != ln.end - ln.start + hyphen or not all(type(v) is float for v in (*xs, *ws)) \
                or type(ln.measure) is not float or type(ln.width) is not float:
            return                      # (not what _kept_lines rebuilds exactly: not kept)
        rows.append((ln.start, ln.end, ln.measure, ln.width, hyphen,
                     array("d", xs).tobytes(), array("d", ws).tobytes()))
    store.put(digest, (par.notes, rows))


def _kept_lines(entry, spans) -> SetParagraph | None:
    """A paragraph set in an earlier run, rebuilt from its kept lines and its spans; None if
    not kept, or if what was kept does not fit the paragraph."""
    if entry is None:
        return None
    notes, rows = entry
    text = "".join(sp.text for sp in spans)
    n = len(text)
    faces: list[str] = []
    sizes: list[float] = []
    for sp in spans:
        faces.extend([sp.font] * len(sp.text))
        sizes.extend([sp.size] * len(sp.text))
    lines = []
    at = 0
    for i, j, measure, width, hyphen, xb, wb in rows:
        xs, ws = array("d"), array("d")
        xs.frombytes(xb)
        ws.frombytes(wb)
        if i != at or not i < j <= n or len(xs) != j - i + hyphen or len(ws) != len(xs):
            return None
        glyphs = _glyphs(zip(text[i:j], faces[i:j], sizes[i:j], xs, ws, range(i, j)))
        if hyphen:
            glyphs += (SetGlyph("-", faces[j - 1], sizes[j - 1], xs[-1], ws[-1], -1),)
        lines.append(SetLine(glyphs=glyphs, measure=measure, width=width, last=j == n, start=i, end=j))
        at = j
    if at != n:
        return None
    return SetParagraph(lines=tuple(lines), text=text, notes=tuple(notes))


def _chained(breaks, n: int) -> bool:
    """Whether kept breaks cover the paragraph's n characters: lines end to end from 0 to n."""
    at = 0
    for i, j, _plan in breaks:
        if i != at or not isinstance(j, int) or j <= i:
            return False
        at = j
    return at == n
