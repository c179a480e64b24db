"""Composition report from a PDF.

    python -m layout.check.quality PDF [--json] [--level gb] [--tol 0.02]

Reads the characters of every page with pypdfium2 (origin, natural advance from
the loose char box, font size), groups them into lines by baseline and into
columns by x coverage, and reports per page:

* ``lines``: lines set (a baseline within one column);
* ``forbidden_start`` / ``forbidden_end``: lines starting / ending with a
  character the prohibition level forbids there (clreq; level "gb" by default);
* ``pairs``: runs of two or more adjacent CJK punctuation marks between two
  ideographs (or a line edge) and the width they take, in em, without the line's
  even spreading (``raw_em`` with it); ``pair_faults`` pairs wider than 1.5 em
  on a line that is off the grid (a pair set back to full width to keep its line
  on the grid is fine);
* ``han_latin_gaps``: the space between an ideograph and a Latin letter / digit,
  in em; ``gap_faults`` those next to a letter outside [1/8, 1/2] em;
* ``loosest``: the line with the most extra space between two neighbouring
  ideographs (em beyond the 1-em advance);
* ``off_grid_lines``: lines with an ideograph whose x offset from its column's
  left edge is not a whole number of ems (tolerance ``tol`` em, 0.02 default);
  ``furniture_lines``: lines of the size judged that are not set in a column's measure
  (a label centred in a photo frame, a QR code's caption: neither starting a whole number
  of ems from the column's edge nor ending at its right edge), left out of the grid figure;
* ``one_char_last_lines``: short lines (ending more than 1 em before the column's
  right edge: a paragraph's last line) holding a single character (punctuation
  not counted);
* each pair's ``place`` (start, mid, end of its line): the style fixes the width of
  the mid-line ones (issue 14);
* ``han_letter_gaps`` / ``han_digit_gaps``: the Han-Latin gaps next to a letter or a digit
  (styles set them apart: numerals are often set tight);
* ``word_spaces``: the room between two characters with a space between them (dateline
  names, Latin words);
* ``kept_splits``: line breaks between two lines of a column that split a number from its
  unit, a date, or a name in a dateline (``kept_split``).

``quality_report(pdf_path) -> dict`` returns the same as the CLI's --json.
``make_typst_pdf`` sets paragraphs with Typst (a reference to compare with).
"""
from __future__ import annotations

import argparse
import ctypes
import json
import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path

import msgspec

from layout.compose import charclass as cc

# the body face the repository ships (Typst reads it directly for reference PDFs)
FONT_DIR = Path(__file__).resolve().parents[2] / "fonts"
NOTO_SERIF_TTC = str(FONT_DIR / "NotoSerifCJKsc-Regular.otf")


def typst_fonts() -> dict:
    """Typst's font options: our fonts folder only.  Typst takes folders, not files; given a
    file it silently falls back to a system face."""
    return {"font_paths": [str(FONT_DIR)], "ignore_system_fonts": True}


class PChar(msgspec.Struct):
    ch: str
    x: float          # origin x (pt, from the page's left)
    y: float          # baseline (origin y)
    size: float       # font size (pt)
    adv: float        # natural advance (loose box width)
    ink_l: float
    ink_r: float
    code: str         # charclass code
    gen: bool = False  # a space pdfium generated (no glyph in the PDF)

    @property
    def ideo(self) -> bool:
        return self.code == cc.ID


def _page_chars(page) -> list[PChar]:
    import pypdfium2.raw as raw

    tp = page.get_textpage()
    n = tp.count_chars()
    out = []
    x = ctypes.c_double()
    y = ctypes.c_double()
    for i in range(n):
        gen = bool(raw.FPDFText_IsGenerated(tp.raw, i))
        ch = tp.get_text_range(i, 1)
        if not ch or ch in "\r\n" or (gen and ch != " "):
            continue
        raw.FPDFText_GetCharOrigin(tp.raw, i, x, y)
        size = raw.FPDFText_GetFontSize(tp.raw, i)
        lb = tp.get_charbox(i, loose=True)
        tb = tp.get_charbox(i)
        code = cc.classify(ch)
        # the loose box is the union of the advance box and the ink: for an
        # ideograph the advance is the font size; else take the loose width
        adv = size if code == cc.ID else max(0.0, lb[2] - lb[0])
        if gen:
            adv = 0.0
        out.append(PChar(ch, x.value, y.value, size, adv, tb[0], tb[2], code, gen))
    tp.close()
    return out


def _rows(chars: list[PChar], tol: float = 0.6) -> list[list[PChar]]:
    chars = sorted(chars, key=lambda c: (-c.y, c.x))
    rows: list[list[PChar]] = []
    for c in chars:
        if rows and abs(rows[-1][0].y - c.y) <= tol:
            rows[-1].append(c)
        else:
            rows.append([c])
    for r in rows:
        r.sort(key=lambda c: c.x)
    return rows


def _columns(rows: list[list[PChar]]) -> list[tuple[float, float]]:
    """Column x-intervals: x ranges covered by many rows (gutters by few)."""
    boxes = [(c.x, c.x + max(c.adv, 0.1)) for r in rows for c in r if c.code != cc.SP]
    if not boxes:
        return []
    x0 = min(b[0] for b in boxes)
    x1 = max(b[1] for b in boxes)
    nb = int(x1 - x0) + 2
    cover = [0] * nb
    for r in rows:
        seen = set()
        for c in r:
            if c.code == cc.SP:
                continue
            a = int(c.x - x0)
            b = int(c.x + max(c.adv, 0.1) - x0)
            for k in range(a, min(b, nb - 1) + 1):
                seen.add(k)
        for k in seen:
            cover[k] += 1
    # a gutter: x covered by (almost) no row, at least 3/4 em wide; with few rows
    # only what no row covers at all
    thr = int(0.1 * max(cover)) if len(rows) >= 10 else 0
    sizes = [c.size for r in rows for c in r if c.ideo] or [9.0]
    em = statistics.median(sizes)
    cols = []
    k = 0
    while k < nb:
        if cover[k] > thr:
            m = k
            while m + 1 < nb and cover[m + 1] > thr:
                m += 1
            cols.append([x0 + k, x0 + m + 1])
            k = m + 1
        else:
            k += 1
    merged = []
    for a, b in cols:
        if merged and a - merged[-1][1] < 0.75 * em:
            merged[-1][1] = b
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def _assign(rows, cols) -> list[tuple[int, list[PChar]]]:
    """Split rows into lines, one per column they touch."""
    lines = []
    for r in rows:
        per: dict[int, list[PChar]] = defaultdict(list)
        for c in r:
            cx = c.x + c.adv * 0.5
            best = None
            for qi, (a, b) in enumerate(cols):
                d = 0.0 if a <= cx <= b else min(abs(cx - a), abs(cx - b))
                if best is None or d < best[0]:
                    best = (d, qi)
            per[best[1] if best else 0].append(c)
        for qi in sorted(per):
            lines.append((qi, per[qi]))
    return lines


def _mode(values: list[float], q: float = 0.05) -> float:
    cnt = Counter(round(v / q) for v in values)
    return cnt.most_common(1)[0][0] * q


def _text(line: list[PChar]) -> str:
    return "".join(c.ch for c in line if not c.gen)


def page_report(chars: list[PChar], level: str = "gb", tol: float = 0.02,
                columns: list[tuple[float, float]] | None = None) -> dict:
    """`columns`: the grid's column edges (page x), when known; else found from the text."""
    nos = cc.NO_START_CLASSES[level]
    noe = cc.NO_END_CLASSES[level]
    rows = _rows(chars)
    body_em = statistics.median([c.size for c in chars if c.ideo] or [9.0])
    cols = list(columns) if columns else _columns(rows)
    lines = _assign(rows, cols)
    # column edges: most common start of lines beginning with an ideograph, and
    # most common end of lines ending with an ideograph
    starts: dict[int, list[float]] = defaultdict(list)
    ends: dict[int, list[float]] = defaultdict(list)
    for qi, ln in lines:
        body = [c for c in ln if c.code != cc.SP]
        if not body:
            continue
        if body[0].ideo:
            starts[qi].append(body[0].x)
        if body[-1].ideo:
            ends[qi].append(body[-1].x + body[-1].size)
    left = {qi: (_mode(v) if v else cols[qi][0]) for qi, v in starts.items()}
    right = {qi: (_mode(v) if v else cols[qi][1]) for qi, v in ends.items()}
    rep = {
        "columns": [{"left": round(left.get(q, a), 3), "right": round(right.get(q, b), 3)}
                    for q, (a, b) in enumerate(cols)],
        "lines": 0, "forbidden_start": [], "forbidden_end": [], "pairs": [], "pair_faults": [],
        "han_latin_gaps": [], "gap_faults": [], "loosest": {"extra_em": 0.0, "line": ""},
        "off_grid_lines": [], "on_grid": 0, "one_char_last_lines": [],
        "half_mark_lines": [], "unfilled_lines": [], "furniture_lines": [],
        "han_letter_gaps": [], "han_digit_gaps": [], "word_spaces": [], "kept_splits": [],
    }
    flow: dict[int, list] = defaultdict(list)      # per column: (baseline, text, short) in order
    for qi, ln in lines:
        body = [c for c in ln if c.code != cc.SP]
        if not body:
            continue
        rep["lines"] += 1
        txt = _text(ln)
        ems = [c.size for c in body if c.ideo]
        em = statistics.median(ems) if ems else statistics.median(c.size for c in body)
        L = left.get(qi, cols[qi][0] if cols else 0.0)
        R = right.get(qi, cols[qi][1] if cols else 0.0)
        if body[0].code in nos:
            rep["forbidden_start"].append({"line": txt, "char": body[0].ch})
        if body[-1].code in noe:
            rep["forbidden_end"].append({"line": txt, "char": body[-1].ch})
        # grid
        off = False
        for c in body:
            if c.ideo:
                q = (c.x - L) / em
                if abs(q - round(q)) > tol:
                    off = True
                    break
        if not _column_text(body, L, R, em, tol):
            rep["furniture_lines"].append(txt)      # a centred label, not the column's text
        elif off:
            rep["off_grid_lines"].append(txt)
        else:
            rep["on_grid"] += 1
        # extra spacing between neighbouring ideographs (not across a space
        # character, nor across a gap of 1/2 em or more where pdfium saw a space)
        prev = None
        real_sp = gen_sp = False
        extras = []
        for c in ln:
            if c.code == cc.SP:
                if c.gen:
                    gen_sp = True
                else:
                    real_sp = True
                continue
            if prev is not None and prev.ideo and c.ideo and not real_sp:
                extra = (c.x - prev.x - prev.size) / em
                if not (gen_sp and extra >= 0.5):
                    extras.append(extra)
                    if extra > rep["loosest"]["extra_em"]:
                        rep["loosest"] = {"extra_em": round(extra, 4), "line": txt}
            prev = c
            real_sp = gen_sp = False
        # word spaces: the room between two characters with a space between them
        for a, sp, b in zip(ln, ln[1:], ln[2:]):
            if sp.code == cc.SP and a.code != cc.SP and b.code != cc.SP:
                aw = a.size if a.ideo else a.adv
                rep["word_spaces"].append({"em": round((b.x - a.x - aw) / em, 4), "line": txt})
        # the line's even spreading (most common extra between ideographs)
        spread = statistics.median(extras) if extras else 0.0     # (< 0: set evenly tighter)
        # runs of adjacent CJK marks
        k = 0
        n = len(body)
        short = body[-1].x + body[-1].adv < R - em
        while k < n:
            info = cc.CLASSES[body[k].code]
            if info.blank and abs(body[k].adv - body[k].size) < 0.02 * body[k].size:
                m = k
                while m + 1 < n:
                    nx = body[m + 1]
                    ni = cc.CLASSES[nx.code]
                    if ni.blank and abs(nx.adv - nx.size) < 0.02 * nx.size:
                        m += 1
                    else:
                        break
                if m > k:
                    prev = body[k - 1] if k > 0 else None
                    nxt = body[m + 1] if m + 1 < n else None
                    if prev is None:
                        # the line's start: the column edge or the indent (whole ems)
                        a = L + em * int((body[k].x - L) / em + 0.5 + 1e-6)
                    elif prev.ideo:
                        a = prev.x + prev.size
                    elif prev.code in (cc.AL, cc.DG):
                        a = prev.x + prev.adv
                    else:
                        a = None
                    if nxt is None:
                        b = None if short else R
                    elif nxt.ideo or nxt.code in (cc.AL, cc.DG):
                        b = nxt.x
                    else:
                        b = None
                    if a is not None and b is not None:
                        raw_w = (b - a) / em
                        # without the line's even spreading around and inside the run
                        w = raw_w - spread * (m - k + 2 - (prev is None) - (nxt is None))
                        run = "".join(c.ch for c in body[k:m + 1])
                        place = "start" if prev is None else "end" if nxt is None else "mid"
                        rep["pairs"].append({"marks": run, "em": round(w, 3), "raw_em": round(raw_w, 3),
                                             "place": place})
                        limit = 1.5 + 0.5 * (m - k - 1)
                        if w > limit + 0.02 and off:
                            rep["pair_faults"].append({"marks": run, "em": round(w, 3), "line": txt})
                k = m + 1
            else:
                k += 1
        # Han-Latin gaps
        for a, b in zip(body, body[1:]):
            if a.ideo and b.code in (cc.AL, cc.DG):
                g = (b.x - (a.x + a.size)) / em
            elif a.code in (cc.AL, cc.DG) and b.ideo:
                g = (b.x - (a.x + a.adv)) / em
            else:
                continue
            rep["han_latin_gaps"].append(round(g, 4))
            digits = a.code == cc.DG or b.code == cc.DG
            rep["han_digit_gaps" if digits else "han_letter_gaps"].append(round(g, 4))
            # (numbers may be set tight, 0 +- 1/16 em: only a letter's gap has the 1/8-1/2 bounds)
            if not digits and not (0.125 - 0.01 <= g <= 0.5 + 0.01):
                rep["gap_faults"].append({"pair": a.ch + b.ch, "em": round(g, 4), "line": txt})
        # an isolated mid-line mark set half width (to push a character in): the space between
        # its neighbours, less the line's spreading, is half an em instead of a whole one
        for k in range(1, n - 1):
            c, a, b = body[k], body[k - 1], body[k + 1]
            if not cc.CLASSES[c.code].blank or not a.ideo or not b.ideo:
                continue
            took = (b.x - (a.x + a.size)) / em - 2 * spread
            if took < 0.75:
                rep["half_mark_lines"].append(txt)
                break
        # a line that is not a paragraph's last fills its measure (to 0.01 pt): it ends at the
        # column's right edge, with a last mark either full or half width (or hanging past it)
        if not short:
            last = body[-1]
            ends = [last.x + last.size]
            if cc.CLASSES[last.code].mark:
                ends += [last.x + last.size / 2, last.x]
            elif last.code in (cc.AL, cc.DG):
                ends = [last.x + last.adv]
            if min(abs(e - R) for e in ends) > 0.01:
                rep["unfilled_lines"].append({"line": txt, "short_by_pt": round(R - max(ends), 3)})
        flow[qi].append((body[0].y, "".join(c.ch for c in ln).strip(), short))
        # one-character last line
        if short:
            count = sum(1 for c in body
                        if not (cc.CLASSES[c.code].mark or c.code in (cc.LO, cc.LC)))
            if count <= 1:
                rep["one_char_last_lines"].append(txt)
    # breaks the composer must not make (a number and its unit, a date, a dateline's
    # names): each pair of consecutive lines of a column, the first not a paragraph's end
    for qi, seq in flow.items():
        seq.sort(key=lambda t: -t[0])
        for (y0, a, short), (y1, b, _s) in zip(seq, seq[1:]):
            if short or not a or not b or y0 - y1 > 2.5 * body_em:
                continue
            if kept_split(a, b):
                rep["kept_splits"].append({"end": a[-8:], "start": b[:8]})
    n = rep["lines"] - len(rep["furniture_lines"])
    rep["on_grid_pct"] = round(100.0 * rep["on_grid"] / n, 2) if n else 100.0
    return rep


def _column_text(body: list[PChar], left: float, right: float, em: float, tol: float) -> bool:
    """Whether a line is set in its column's measure: it starts a whole number of ems from
    the column's left edge (an indent; an opening bracket may have lost its leading half) or
    ends at its right edge. A label centred in a photo frame, a QR code's caption or a jump
    reference starts anywhere: the character grid does not apply to it."""
    first, last = body[0], body[-1]
    start = (first.x - left) / em
    if abs(start - round(start)) <= tol:
        return True
    if first.code == cc.OP and abs(start + 0.5 - round(start + 0.5)) <= tol:
        return True
    end = last.x + (last.size if last.ideo or cc.CLASSES[last.code].mark else last.adv)
    return abs(end - right) <= tol * em or abs(last.x + last.size / 2 - right) <= tol * em


def kept_split(before: str, after: str) -> bool:
    """Whether a line break between these two lines' texts (spaces where the PDF shows a
    gap) splits what the composer keeps together (layout/compose/breaks.py): a number and
    its unit, a date, or a name in a dateline (a name: a run of at most 4 characters
    between the gaps, the brackets or the line's ends of the dateline)."""
    from layout.compose import breaks

    a, b = before.replace(" ", "")[-24:], after.replace(" ", "")[:24]
    text = a + b
    if len(a) in breaks.kept_together(text, cc.classify_text(text), datelines=False):
        return True
    tail, head = before[-40:], after[:40]
    joined = tail + head
    for found in breaks.DATELINE.finditer(joined):
        if not found.start() < len(tail) < found.end():
            continue
        left = tail[found.start():].replace("（", " ").replace("(", " ").split(" ")[-1]
        right = head.replace("）", " ").replace(")", " ").split(" ")[0]
        if left and right and len(left) + len(right) <= 4 and "记者" not in left + right:
            return True
    return False


def quality_report(pdf_path, level: str = "gb", tol: float = 0.02, body_size: float | None = None,
                   columns: list[tuple[float, float]] | None = None) -> dict:
    """Composition report of every page of a PDF (see the module docstring). With
    `body_size`, only text of that size is judged (a newspaper page's body, not its
    headlines and furniture). `columns`: the grid's column edges in trim coordinates (x from
    the trim's left edge), so that lines straying into a gutter are still judged per column."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(pdf_path))
    pages = []
    try:
        for pi in range(len(pdf)):
            page = pdf[pi]
            chars = _page_chars(page)
            if body_size:
                chars = [c for c in chars if abs(c.size - body_size) < 0.05]
            cols = None
            if columns:
                left = page.get_trimbox()[0]
                cols = [(left + a, left + b) for a, b in columns]
            rep = page_report(chars, level, tol, cols)
            rep["page"] = pi + 1
            pages.append(rep)
            page.close()
    finally:
        pdf.close()
    counted = ("forbidden_start", "forbidden_end", "pairs", "pair_faults", "han_latin_gaps", "gap_faults",
               "off_grid_lines", "one_char_last_lines", "half_mark_lines", "unfilled_lines")
    tot = {"lines": sum(p["lines"] for p in pages)}
    tot.update({k: sum(len(p[k]) for p in pages) for k in counted})
    tot["loosest_extra_em"] = max((p["loosest"]["extra_em"] for p in pages), default=0.0)
    tot["furniture_lines"] = sum(len(p["furniture_lines"]) for p in pages)
    judged = tot["lines"] - tot["furniture_lines"]
    tot["on_grid_pct"] = round(100.0 * (judged - tot["off_grid_lines"]) / judged, 2) if judged else 100.0
    return {"file": str(pdf_path), "level": level, "tol_em": tol, "pages": pages, "totals": tot}


# ---------------------------------------------------------------------------
# reference PDFs set by Typst
# ---------------------------------------------------------------------------
def _typst_escape(s: str) -> str:
    out = []
    for ch in s:
        if ch in "\\#*_`$<>@[]=-+/~\"'":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def typst_source(paragraphs, size: float = 9.0, em_per_line: int = 13, columns: int = 1,
                 font: str = "Noto Serif CJK SC", indent_em: float = 2.0,
                 page_height: float | None = None) -> str:
    """Typst source setting paragraphs (str, or (text, indent_em)) in columns of
    em_per_line ems at size pt, justified, with first-line indents."""
    col = size * em_per_line
    width = columns * col + (columns - 1) * size
    height = f"{page_height}pt" if page_height else "auto"
    body = []
    for p in paragraphs:
        if isinstance(p, tuple):
            text, ind = p
        else:
            text, ind = p, indent_em
        body.append(f"#par(first-line-indent: (amount: {ind}em, all: true))[{_typst_escape(text)}]")
    inner = "\n\n".join(body)
    if columns > 1:
        inner = f"#columns({columns}, gutter: {size}pt)[\n{inner}\n]"
    return (f'#set page(width: {width + 2 * size}pt, height: {height}, margin: {size}pt)\n'
            f'#set text(font: "{font}", size: {size}pt, lang: "zh", region: "cn")\n'
            f'#set par(justify: true, leading: {0.6 * size}pt, spacing: {0.6 * size}pt)\n'
            f'{inner}\n')


def typst_placed_source(pars, measure: float, size: float = 9.0, fonts: dict | None = None,
                        leading: float = 1.6) -> str:
    """Typst source drawing already composed paragraphs (layout.compose SetParagraph)
    glyph by glyph at their x positions, one line every leading*size pt: a PDF of
    our own composition to compare with Typst's."""
    fonts = fonts or {}
    default = fonts.get(None, "Noto Serif CJK SC")
    out = [f'#set page(width: {measure + 2 * size}pt, height: auto, margin: {size}pt)',
           f'#set text(font: "{default}", size: {size}pt, top-edge: "baseline", bottom-edge: "baseline")',
           '#let g(x, y, c) = place(top + left, dx: x * 1pt, dy: y * 1pt, c)']
    y = size
    for par in pars:
        for ln in par.lines:
            for gl in ln.glyphs:
                if gl.ch.isspace():
                    if gl.advance <= 0.0:
                        continue
                    ch = "\u00a0"       # keep the space visible to text extraction
                else:
                    ch = _typst_escape(gl.ch)
                fam = fonts.get(gl.font, default)
                if fam != default or gl.size != size:
                    c = f'text(font: "{fam}", size: {gl.size}pt)[{ch}]'
                else:
                    c = f"[{ch}]"
                out.append(f"#g({gl.x:.4f}, {y:.3f}, {c})")
            y += leading * size
    out.append(f"#v({y:.3f}pt)")
    return "\n".join(out) + "\n"


def make_placed_pdf(pars, measure: float, out, **kw) -> Path:
    import typst

    src = typst_placed_source(pars, measure, **kw)
    data = typst.compile(src.encode("utf-8"), **typst_fonts())
    out = Path(out)
    out.write_bytes(data)
    return out


def make_typst_pdf(paragraphs, out, **kw) -> Path:
    """Compile paragraphs with Typst into the PDF `out` (see typst_source)."""
    import typst

    src = typst_source(paragraphs, **kw)
    data = typst.compile(src.encode("utf-8"), **typst_fonts())
    out = Path(out)
    out.write_bytes(data)
    return out


# ---------------------------------------------------------------------------
# CLI
# ---------------------------------------------------------------------------
def _print_human(rep: dict, out=None) -> None:
    out = out or sys.stdout
    print(f"{rep['file']}  (prohibition level {rep['level']}, grid tolerance {rep['tol_em']} em)", file=out)
    for p in rep["pages"]:
        print(f"page {p['page']}: {p['lines']} lines in {len(p['columns'])} column(s); "
              f"on grid {p['on_grid_pct']}%", file=out)
        print(f"  forbidden starts {len(p['forbidden_start'])}, ends {len(p['forbidden_end'])}", file=out)
        for f in p["forbidden_start"]:
            print(f"    start {f['char']!r}: {f['line']}", file=out)
        for f in p["forbidden_end"]:
            print(f"    end {f['char']!r}: {f['line']}", file=out)
        widths = Counter(x["em"] for x in p["pairs"])
        print(f"  adjacent punctuation runs {len(p['pairs'])}: "
              + ", ".join(f"{w} em x{n}" for w, n in sorted(widths.items())), file=out)
        mid = Counter(round(x["em"] * 4) / 4 for x in p["pairs"] if x["place"] == "mid")
        print("  mid-line pairs (to 1/4 em): " + (", ".join(f"{w} em x{n}" for w, n in sorted(mid.items()))
                                                  or "none"), file=out)
        for kind in ("letter", "digit"):
            g = p[f"han_{kind}_gaps"]
            if g:
                print(f"  Han-{kind} gaps {len(g)}: {min(g)}-{max(g)} em (spread {max(g) - min(g):.3f})", file=out)
        if p["word_spaces"]:
            w = max(p["word_spaces"], key=lambda x: x["em"])
            print(f"  widest word space {w['em']} em: {w['line']}", file=out)
        print(f"  numbers, dates, dateline names split {len(p['kept_splits'])}", file=out)
        for f in p["kept_splits"]:
            print(f"    {f['end']} | {f['start']}", file=out)
        for f in p["pair_faults"]:
            print(f"    {f['marks']} {f['em']} em (off-grid line): {f['line']}", file=out)
        g = p["han_latin_gaps"]
        if g:
            print(f"  Han-Latin gaps {len(g)}: min {min(g)} max {max(g)} em; "
                  f"out of [1/8, 1/2]: {len(p['gap_faults'])}", file=out)
        else:
            print("  Han-Latin gaps 0", file=out)
        print(f"  loosest line: {p['loosest']['extra_em']} em extra: {p['loosest']['line']}", file=out)
        print(f"  off-grid lines {len(p['off_grid_lines'])}"
              f" (not judged for the grid: {len(p['furniture_lines'])} line(s) outside a column's measure)", file=out)
        print(f"  one-character last lines {len(p['one_char_last_lines'])}", file=out)
        for t in p["one_char_last_lines"]:
            print(f"    {t}", file=out)
    t = rep["totals"]
    print(f"total: {t['lines']} lines, on grid {t['on_grid_pct']}%, forbidden {t['forbidden_start']}+"
          f"{t['forbidden_end']}, pair faults {t['pair_faults']}, gap faults {t['gap_faults']}, "
          f"loosest {t['loosest_extra_em']} em, one-char last lines {t['one_char_last_lines']}", file=out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Composition report from a PDF")
    ap.add_argument("pdf")
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    ap.add_argument("--level", default="gb", choices=cc.LEVELS, help="prohibition level")
    ap.add_argument("--tol", type=float, default=0.02, help="grid tolerance in em")
    ap.add_argument("--body-size", type=float, default=None,
                    help="judge only text of this size in pt (the body), e.g. 9 for 小五")
    a = ap.parse_args(argv)
    rep = quality_report(a.pdf, a.level, a.tol, a.body_size)
    if a.json:
        print(json.dumps(rep, ensure_ascii=False, indent=1))
    else:
        _print_human(rep)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
