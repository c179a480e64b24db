"""Measure a composed paragraph against the issue's acceptance rules.

``analyze_paragraph`` looks only at the output (glyph x / advance, line widths)
plus the natural advances from the same Metrics, so it checks the composer
rather than repeating its bookkeeping:

* forbidden line starts / ends at the settings' prohibition level (the
  paragraph's own start and end excluded);
* split units: a break inside ——, ……, a number or a Latin word;
* adjacent punctuation pairs and their widths (> 1.5 em is a fault unless the
  line is on the grid: a pair set back to full width to keep it there);
* Han-Latin gaps and whether they are within the style's nominal +- gap_flex;
* fill: every non-last line ends within 0.01 pt of the measure;
* extra spacing between neighbouring characters (loosest line, in em);
* lines on the grid: every ideograph's x a whole number of ems;
* isolated mid-line marks set half width;
* a last line with fewer than ``min_last_line`` characters.

``summarize`` adds the per-paragraph dicts up.
"""
from __future__ import annotations

from . import charclass as cc
from .model import ComposeSettings, SetParagraph

GRID_TOL = 0.01   # em


def _pen_start(g, nat: float, code: str) -> float:
    """Start of the space a glyph occupies, from its drawing origin."""
    info = cc.CLASSES[code]
    em = g.size
    if info.blank and nat < 1.01 * em:
        if info.blank == "L":
            return g.x - (g.advance - nat)
        if info.blank == "B":
            return g.x - (g.advance - nat) * 0.5
        return g.x
    if (code in cc.UNITS or code == cc.MD) and nat < 0.99 * em:
        return None   # padded and possibly centred as a unit: handled by the caller
    return g.x


def analyze_paragraph(par: SetParagraph, metrics, settings: ComposeSettings = ComposeSettings(),
                      em: float | None = None) -> dict:
    level = settings.prohibition if settings.prohibition in cc.LEVELS else "gb"
    nos = cc.NO_START_CLASSES[level]
    noe = cc.NO_END_CLASSES[level]
    lines = par.lines
    res = {
        "lines": len(lines), "chars": len(par.text), "chars_set": 0, "index_ok": True,
        "forbidden_start": [], "forbidden_end": [], "split_units": [],
        "pairs": [], "pair_faults": [], "gaps": [], "gap_faults": [],
        "fill_faults": [], "max_extra_em": 0.0, "extra_faults": [],
        "on_grid": 0, "off_grid_lines": [], "half_isolated": 0, "half_isolated_lines": [],
        "orphan": False,
    }
    if not lines:
        return res
    if em is None:
        em = lines[0].glyphs[0].size if lines[0].glyphs else 1.0
    # (a hyphen drawn at a hyphenation break stands for no character: index -1)
    idx = [g.index for ln in lines for g in ln.glyphs if g.index >= 0]
    res["chars_set"] = len(idx)
    res["index_ok"] = (idx == list(range(len(par.text)))
                       and "".join(g.ch for ln in lines for g in ln.glyphs if g.index >= 0) == par.text)
    letter_range = settings.gap_range(False)
    digit_range = settings.gap_range(True)
    latin = cc.LATIN
    for li, ln in enumerate(lines):
        gl = ln.glyphs
        if not gl:
            continue
        codes = [cc.classify(g.ch) for g in gl]
        nats = [metrics.advance(g.font, g.ch) * g.size for g in gl]
        # prohibitions
        if li > 0 and codes[0] in nos:
            res["forbidden_start"].append((li, gl[0].ch))
        if li < len(lines) - 1 and codes[-1] in noe:
            res["forbidden_end"].append((li, gl[-1].ch))
        if li < len(lines) - 1:
            nxt = lines[li + 1].glyphs
            if nxt:
                a, b = codes[-1], cc.classify(nxt[0].ch)
                if a in latin and b in latin:
                    res["split_units"].append((li, gl[-1].ch + nxt[0].ch))
                elif a in cc.UNITS and a == b:
                    # a run of two-em units may break between whole pairs only
                    k = gl[-1].index
                    run = 1
                    while k - run >= 0 and cc.classify(par.text[k - run]) == a:
                        run += 1
                    if run % 2 == 1:
                        res["split_units"].append((li, gl[-1].ch + nxt[0].ch))
        # occupied boxes
        starts = [_pen_start(g, nats[k], codes[k]) for k, g in enumerate(gl)]
        k = 0
        while k < len(gl):
            if starts[k] is None:
                m = k
                while m + 1 < len(gl) and starts[m + 1] is None and codes[m + 1] == codes[k] \
                        and codes[k] in cc.UNITS:
                    m += 1
                tot = sum(gl[q].advance for q in range(k, m + 1))
                ink = sum(nats[q] for q in range(k, m + 1))
                pen = gl[k].x - (tot - ink) * 0.5
                for q in range(k, m + 1):
                    starts[q] = pen
                    pen += gl[q].advance
                k = m + 1
            else:
                k += 1
        # fill
        hanging = [k for k, g in enumerate(gl) if g.x >= ln.measure - 1e-6 and k == len(gl) - 1
                   and g.ch in cc.HANGABLE]
        kend = len(gl) - 1 - (1 if hanging else 0)
        end = starts[kend] + gl[kend].advance if kend >= 0 else 0.0
        if not ln.last and settings.justify and abs(end - ln.measure) > 0.01:
            res["fill_faults"].append((li, round(end - ln.measure, 3)))
        # neighbours
        on_grid = True
        for k, g in enumerate(gl):
            if codes[k] == cc.ID:
                q = g.x / em
                if abs(q - round(q)) > GRID_TOL:
                    on_grid = False
        extra_max = 0.0
        for k in range(1, kend + 1):
            a, b = codes[k - 1], codes[k]
            gap = starts[k] - (starts[k - 1] + gl[k - 1].advance)
            if a == cc.SP or b == cc.SP:
                continue
            if (a == cc.ID and b in latin) or (a in latin and b == cc.ID):
                continue
            if a in latin and b in latin:
                continue
            if gap > extra_max:
                extra_max = gap
        # Han-Latin gaps (with or without a space character in between)
        for k in range(1, kend + 1):
            a, b = codes[k - 1], codes[k]
            if a == cc.ID and b in (cc.AL, cc.DG):
                gap = gl[k].x - (gl[k - 1].x + gl[k - 1].advance)
            elif a in (cc.AL, cc.DG) and b == cc.ID:
                gap = gl[k].x - (gl[k - 1].x + gl[k - 1].advance)
            elif (k >= 2 and a == cc.SP and codes[k - 2] == cc.ID and b in (cc.AL, cc.DG)) or \
                    (k >= 2 and a == cc.SP and codes[k - 2] in (cc.AL, cc.DG) and b == cc.ID):
                gap = gl[k].x - (gl[k - 2].x + gl[k - 2].advance)
            else:
                continue
            res["gaps"].append(round(gap / em, 4))
            digits = cc.DG in (a, b) or (a == cc.SP and cc.DG in (codes[k - 2], b))
            _nom, lo_em, hi_em = digit_range if digits else letter_range
            if not (lo_em * em - 1e-6 <= gap <= hi_em * em + 1e-6):
                res["gap_faults"].append((li, gl[k - 1].ch + gl[k].ch, round(gap / em, 4)))
        # adjacent pairs and isolated halves
        pair_fault_here = []
        for k in range(len(gl)):
            info = cc.CLASSES[codes[k]]
            full = info.blank and nats[k] < 1.01 * gl[k].size
            if k + 1 < len(gl):
                info2 = cc.CLASSES[codes[k + 1]]
                full2 = info2.blank and nats[k + 1] < 1.01 * gl[k + 1].size
                if full and full2:
                    w = (gl[k].advance + gl[k + 1].advance) / em
                    res["pairs"].append((gl[k].ch + gl[k + 1].ch, round(w, 3)))
                    if w > 1.5 + 1e-6:
                        pair_fault_here.append((li, gl[k].ch + gl[k + 1].ch, round(w, 3)))
            if full and gl[k].advance <= 0.5 * gl[k].size + 1e-6 and 0 < k < len(gl) - 1:
                if not (cc.CLASSES[codes[k - 1]].mark or cc.CLASSES[codes[k + 1]].mark):
                    if gl[k].x < ln.measure - 1e-6:
                        res["half_isolated"] += 1
                        res["half_isolated_lines"].append(li)
        if pair_fault_here and not on_grid:
            res["pair_faults"].extend(pair_fault_here)
        if on_grid:
            res["on_grid"] += 1
        else:
            res["off_grid_lines"].append(li)
        res["max_extra_em"] = max(res["max_extra_em"], extra_max / em)
        if extra_max / em > 0.10 + 1e-6:
            res["extra_faults"].append((li, round(extra_max / em, 4)))
    # one-character last line
    lastln = lines[-1]
    count = sum(1 for g in lastln.glyphs
                if not (cc.CLASSES[cc.classify(g.ch)].mark or cc.classify(g.ch) in (cc.SP, cc.NB, cc.LO, cc.LC)))
    total = sum(1 for ch in par.text
                if not (cc.CLASSES[cc.classify(ch)].mark or cc.classify(ch) in (cc.SP, cc.NB, cc.LO, cc.LC)))
    if len(lines) > 1 and total >= settings.min_last_line and count < settings.min_last_line:
        res["orphan"] = True
    res["half_isolated_lines"] = sorted(set(res["half_isolated_lines"]))
    return res


def summarize(results: list[dict]) -> dict:
    """Totals over many paragraphs."""
    lines = sum(r["lines"] for r in results)
    out = {
        "paragraphs": len(results),
        "lines": lines,
        "chars": sum(r["chars"] for r in results),
        "index_ok": all(r["index_ok"] for r in results),
        "forbidden_start": sum(len(r["forbidden_start"]) for r in results),
        "forbidden_end": sum(len(r["forbidden_end"]) for r in results),
        "split_units": sum(len(r["split_units"]) for r in results),
        "pairs": sum(len(r["pairs"]) for r in results),
        "pair_faults": sum(len(r["pair_faults"]) for r in results),
        "gaps": sum(len(r["gaps"]) for r in results),
        "gap_faults": sum(len(r["gap_faults"]) for r in results),
        "fill_faults": sum(len(r["fill_faults"]) for r in results),
        "extra_faults": sum(len(r["extra_faults"]) for r in results),
        "max_extra_em": max((r["max_extra_em"] for r in results), default=0.0),
        "on_grid": sum(r["on_grid"] for r in results),
        "half_isolated_lines": sum(len(r["half_isolated_lines"]) for r in results),
        "orphans": sum(1 for r in results if r["orphan"]),
    }
    out["on_grid_pct"] = 100.0 * out["on_grid"] / lines if lines else 100.0
    out["half_isolated_pct"] = 100.0 * out["half_isolated_lines"] / lines if lines else 0.0
    return out
