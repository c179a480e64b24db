"""Typst source that sets an issue's page-1 copy on the same grid as the engine (issue 9).

    python -m bench.typst_source 1640 -o /tmp/t.typ              # the source
    python -m bench.typst_source 1640 -o /tmp/t.typ --pdf /tmp/t.pdf   # ... and compile it
    python -m bench.typst_source 1640 --engine-heights -o /tmp/t.typ   # module heights from our engine

    from bench.typst_source import typst_source, compile_pdf
    src = typst_source("issues/1640/issue.yaml")
    pdf_bytes = compile_pdf(src)

What is the same as the engine (all read from the issue's style sheet, not written in here):
the page (A3 trim), the type area (6 columns x 13 em at 9 pt, 1-em gutters: 747 pt, centred,
the top margin), the 13.5 pt line pitch (every body line on the baseline grid: 1-em line
boxes, leading and paragraph spacing both pitch - em), first-line indent 2 em in every
paragraph, justified body, the faces of every role (body, dateline, subhead, headline_N,
kicker, deck, caption, masthead roles) at the style's sizes and leadings, headlines stepped
down 1 pt at a time to their `min_size` to keep within `max_lines`, the masthead band
(9 grid lines) on page 1 or the page header (3 lines) on other pages, and the page's stories
in plan order, each a full-width module: headline block rounded up to whole grid lines,
then the body in Typst `columns(6)`.  Typst's own CJK settings do the composition:
`lang: "zh", region: "cn"`, `cjk-latin-spacing: auto`, `par(justify: true)`.

What differs (Typst has no equivalent, or it is not the point of the comparison):
- Typst fills columns one after another; it does not balance them. Each module's height is
  the body's line count (measured in Typst at the column measure) shared over 6 columns,
  rounded up, so the columns come out nearly level; `heights=` (or `--engine-heights`)
  pins each module to the engine's height in grid lines instead.
- A photo is a float at the top of the first column only, one column wide (Typst cannot
  float a figure across two of six columns); the engine gives it two or three columns.
- Headlines break where Typst breaks them (the engine breaks at word boundaries and
  balances the lines); plan `area:`s, jumps and reserved frames are not reproduced (a
  reserved module is skipped).

The output depends only on the issue, its style sheet and the fonts: no dates, no absolute
paths (except for photos on file, which Typst reads through root "/").
"""
from __future__ import annotations

import argparse
import sys
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:            # `python bench/typst_source.py` as well as `-m`
    sys.path.insert(0, str(ROOT))

from layout.load.issue import Issue, Story, load_issue   # noqa: E402
from layout.load.style import Style, find_style, load_style   # noqa: E402

FONT_DIR = ROOT / "fonts"
ISSUES_DIR = ROOT / "issues"
STYLES_DIR = ROOT / "styles"
MASTHEAD_LINES = 9        # as layout/place/furniture.py (read from there when it imports)
PAGE_HEADER_LINES = 3
PHOTO_ASPECT = 1.5        # as layout/place/module.py: width / height when the image cannot tell


def compile_kwargs() -> dict:
    """Keyword arguments for typst.compile: our fonts only (no system fonts, so that the
    faces are exactly the repository's), and root "/" so that photos on file are readable."""
    return {"font_paths": [str(FONT_DIR)], "ignore_system_fonts": True, "root": "/"}


def compile_pdf(source: str | Path, output: str | Path | None = None) -> bytes | None:
    """Compile Typst source (a str of source text, or a Path to a .typ file) with our fonts;
    returns the PDF bytes when `output` is None, else writes the file."""
    import typst
    if isinstance(source, Path):
        source = str(source.resolve())
    else:
        source = source.encode("utf-8")          # typst.compile takes source text as bytes
    return typst.compile(source, output=str(output) if output else None, **compile_kwargs())


def find_issue(arg: str | Path) -> Path:
    """An issue number (issues/N/issue.yaml), a folder holding issue.yaml, or a file."""
    p = Path(arg)
    if p.is_file():
        return p
    if p.is_dir() and (p / "issue.yaml").is_file():
        return p / "issue.yaml"
    s = str(arg)
    if s.isdigit():
        for cand in (ISSUES_DIR / s / "issue.yaml", ISSUES_DIR / f"{s}.yaml"):
            if cand.is_file():
                return cand
    raise SystemExit(f"typst_source: no issue {arg!r}")


# -- Typst literals -------------------------------------------------------------------

def tstr(s: str) -> str:
    """A Typst string literal: text in a string is never read as markup."""
    out = ['"']
    for ch in s:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ch in "\u2028\u2029\x7f":
            out.append(f"\\u{{{ord(ch):x}}}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def pt(x: float) -> str:
    s = f"{x:.4f}".rstrip("0").rstrip(".")
    return f"{s if s not in ('', '-0') else '0'}pt"


@lru_cache(maxsize=None)
def font_face(path: Path) -> tuple[str, int]:
    """(typographic family, weight) of a font file, as Typst groups faces."""
    from fontTools.ttLib import TTFont
    f = TTFont(str(path), lazy=True, fontNumber=0)
    try:
        name = f["name"]
        fam = name.getDebugName(16) or name.getDebugName(1)
        weight = f["OS/2"].usWeightClass
    finally:
        f.close()
    return fam, weight


class _Roles:
    """Typst text arguments for the style's roles."""

    def __init__(self, style: Style):
        self.style = style

    def family(self, role: str) -> tuple[str, int]:
        return font_face(self.style.fonts[self.style.roles[role].font])

    def fonts(self, role: str) -> str:
        """The role's family, then its fallback chain's (as the engine falls back)."""
        fr = self.style.roles[role].font
        fams: list[str] = []
        for r in (fr, *self.style.fallback.get(fr, ())):
            fam = font_face(self.style.fonts[r])[0]
            if fam not in fams:
                fams.append(fam)
        return "(" + ", ".join(tstr(f) for f in fams) + ("," if len(fams) == 1 else "") + ")"

    def color(self, role: str) -> str:
        return self.cmyk(self.style.roles[role].color)

    def cmyk(self, name: str) -> str:
        c = self.style.colors[name]
        return f"cmyk({c.c:g}%, {c.m:g}%, {c.y:g}%, {c.k:g}%)"

    def text(self, role: str, size: float | None = None) -> str:
        """`text(...)` arguments (without the body) for a role."""
        ts = self.style.roles[role]
        _, weight = self.family(role)
        return (f"font: {self.fonts(role)}, weight: {weight}, size: {pt(size or ts.size)}, "
                f"fill: {self.color(role)}")


# -- the source --------------------------------------------------------------------------

PRELUDE = r"""
// helpers -----------------------------------------------------------------------------
// A block of furniture text in a role: unjustified, no indent, its lines `lead` apart
// (1-em line boxes), with half the leading above and below (the engine's block height).
#let tblock(body, size, lead, align-to: left) = block(width: 100%, inset: (y: (lead - size) / 2), {
  set par(justify: false, first-line-indent: 0pt, leading: lead - size, spacing: lead - size)
  align(align-to, body)
})

// The largest size (1 pt steps down to min-size) at which body-at(size) keeps within
// max-lines lines of `lead-factor` x size.  Call inside context.
#let fit-size(body-at, size, min-size, max-lines, lead-factor, width) = {
  let s = size
  while s > min-size {
    let h = measure(body-at(s), width: width).height
    if calc.round(h / (lead-factor * s)) <= max-lines { break }
    s = calc.max(min-size, s - 1pt)
  }
  s
}

// A photo frame with its caption for the first column: frame, caption lines on the grid,
// a line of air.  `img`: an image or none (a marked placeholder, as the engine draws it).
// Returns (lines: grid lines taken, body: content).  Call inside context.
#let photo-parts(img: none, caption: none, aspect: 1.5) = {
  let img-lines = calc.max(3, calc.round(col-width / aspect / pitch))
  let cap-h = measure(block(width: col-width, caption)).height
  let cap-lines = calc.round((cap-h + pitch - em) / pitch)
  let h = img-lines * pitch - (pitch - em) / 2
  (lines: img-lines + cap-lines + 1, body: {
    block(width: 100%, height: img-lines * pitch, {
      if img != none { block(width: 100%, height: h, clip: true, img) } else {
        rect(width: 100%, height: h, stroke: 0.5pt + placeholder)
        place(top + left, line(start: (0pt, 0pt), end: (col-width, h), stroke: 0.5pt + placeholder))
        place(top + left, line(start: (0pt, h), end: (col-width, 0pt), stroke: 0.5pt + placeholder))
      }
    })
    block(width: 100%, inset: (top: (pitch - em) / 2), caption)
  })
}

// A story module across the type area: headline block in whole grid lines, then the body
// in `ncols` columns, on the baseline grid.  `photo` is none or the arguments of
// photo-parts, set as a float at the top of the first column.  `lines`: the module's height in grid
// lines (auto: the body shared out over the columns, rounded up).
#let story-module(head, body, photo: none, lines: auto, rule: false) = context {
  let hh = measure(head, width: type-width - 2 * em).height
  let head-lines = calc.ceil((hh + pitch) / pitch - 1e-6)
  let n = calc.round((measure(block(width: col-width, body)).height + (pitch - em)) / pitch)
  let photo = if photo == none { none } else { photo-parts(..photo) }
  let p = if photo == none { 0 } else { photo.lines }
  let body-lines = if lines == auto { calc.ceil((n + p) / ncols) } else { lines - head-lines }
  block(width: 100%, height: (head-lines + body-lines) * pitch, {
    if rule { place(top + left, dy: 1pt, line(length: 100%, stroke: separator + black)) }
    block(width: 100%, height: head-lines * pitch, inset: (x: em), align(center + horizon, head))
    block(width: 100%, height: body-lines * pitch,
          inset: (top: (pitch - em) / 2, bottom: (pitch - em) / 2 - 0.01pt),
          columns(ncols, gutter: gutter, {
            if photo != none {
              place(top, float: true, clearance: 0pt, block(height: photo.lines * pitch, photo.body))
            }
            body
          }))
  })
}

"""


def _date_line(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _weekday(d) -> str:
    return "星期" + "一二三四五六日"[d.weekday()]


def _lunar(issue: Issue) -> str:
    m = issue.masthead
    if m.lunar:
        return m.lunar
    try:
        from layout.place.calendar import lunar_line
        return lunar_line(m.date)
    except Exception:            # noqa: BLE001 - the masthead is furniture; leave it out
        return ""


def _masthead(issue: Issue, style: Style, R: _Roles, lines: int) -> list[str]:
    """The masthead band, placed absolutely as layout/place/furniture.py places it."""
    g, m = style.grid, issue.masthead
    band = lines * g.pitch
    colx = [c * (g.column_width + g.gutter) for c in range(g.columns)]
    t_cols = max(1, g.columns // 2)
    w_title = g.span_width(t_cols)
    title_ts = style.roles["masthead_title"]
    info_ts = style.roles["masthead_info"]
    out = [f"#block(width: 100%, height: {pt(band)}, {{"]

    def at(x: float, y: float, w: float, body: str) -> None:
        out.append(f"  place(top + left, dx: {pt(x)}, dy: {pt(y)}, box(width: {pt(w)}, {body}))")

    title_h = title_ts.leading
    at(0, (band * 0.62 - title_h) / 2, w_title,
       f"tblock(text({R.text('masthead_title')}, {tstr(m.title)}), {pt(title_ts.size)}, {pt(title_ts.leading)})")
    at(0, band - info_ts.leading - g.pitch * 0.6, w_title,
       f"tblock(text({R.text('masthead_info')}, {tstr(m.publisher)}), {pt(info_ts.size)}, {pt(info_ts.leading)})")
    info = [(_date_line(m.date), "masthead_strong"), (f"{_lunar(issue)} {m.weekday or _weekday(m.date)}".strip(),
                                                      "masthead_info"),
            (f"第{m.number}期", "masthead_strong")]
    if m.edition_note:
        info.append((m.edition_note, "masthead_info"))
    if m.hotline:
        info.append((m.hotline, "masthead_info"))
    y = g.pitch * 0.3
    x_info = colx[t_cols] if t_cols < g.columns else 0.0
    for txt, role in info:
        ts = style.roles[role]
        at(x_info, y, g.column_width, f"tblock(text({R.text(role)}, {tstr(txt)}), {pt(ts.size)}, {pt(ts.leading)})")
        y += ts.leading
    ear_cols = list(range(t_cols + 1, g.columns))
    if m.ear and len(ear_cols) >= 2:
        cell_h = (band - g.pitch * 0.5) / len(m.ear)
        ex = colx[ear_cols[0]]
        for i, e in enumerate(m.ear):
            y0 = i * cell_h
            size = min(cell_h - g.pitch * 1.6, g.column_width * 0.62)
            if e.kind == "qr":
                at(ex + (g.column_width - size) / 2, y0 + g.pitch * 0.3, size,
                   f"rect(width: {pt(size)}, height: {pt(size)}, stroke: 0.5pt + placeholder)")
            at(ex, y0 + g.pitch * 0.3 + size + 1.0, g.column_width,
               f"tblock(text({R.text('masthead_info')}, {tstr(e.label)}), {pt(info_ts.size)}, "
               f"{pt(info_ts.leading)}, align-to: center)")
    if issue.teaser and ear_cols:
        t = issue.teaser
        tx, tw, th = colx[ear_cols[-1]], g.column_width, band - g.pitch * 0.5
        pad = g.em * 0.5
        lab, item, ref = (style.roles[r] for r in ("teaser_label", "teaser_item", "teaser_ref"))
        parts = [f"tblock(text({R.text('teaser_label')}, {tstr(t.label)}), {pt(lab.size)}, {pt(lab.leading)}, "
                 f"align-to: center)",
                 f"line(length: 100%, stroke: {pt(style.rules['column_rule'])} + black)", "v(2.5pt)"]
        for it in t.items:
            parts.append(f"tblock(text({R.text('teaser_item')}, {tstr(it.title)}), {pt(item.size)}, "
                         f"{pt(item.leading)})")
            if it.ref:
                parts.append(f"tblock(text({R.text('teaser_ref')}, {tstr(it.ref)}), {pt(ref.size)}, "
                             f"{pt(ref.leading)}, align-to: right)")
        at(tx, 0, tw, f"rect(width: {pt(tw)}, height: {pt(th)}, inset: {pt(pad)}, fill: {R.cmyk('tint')}, "
                      f"stroke: {pt(style.rules['box_rule'])} + black, {{ {'; '.join(parts)} }})")
    heavy = style.rules["masthead_rule"]
    ry = band - g.pitch * 0.35
    out.append(f"  place(top + left, dy: {pt(ry)}, line(length: 100%, stroke: {pt(heavy)} + black))")
    out.append(f"  place(top + left, dy: {pt(ry + heavy / 2 + 1.5)}, "
               f"line(length: 100%, stroke: {pt(max(0.3, heavy / 4))} + black))")
    out.append("})")
    return out


def _page_header(issue: Issue, page, style: Style, R: _Roles, lines: int) -> list[str]:
    g, m = style.grid, issue.masthead
    ph, phi = style.roles["page_header"], style.roles["page_header_info"]
    left = f"第{page.number}版  {page.name}"
    right = f"{m.title}  {_date_line(m.date)}  {_weekday(m.date)}"
    y = lines * g.pitch - g.pitch * 0.4
    return [f"#block(width: 100%, height: {pt(lines * g.pitch)}, {{",
            f"  place(top + left, dy: {pt(g.pitch * 0.5)}, box(width: 50%, tblock(text({R.text('page_header')}, "
            f"{tstr(left)}), {pt(ph.size)}, {pt(ph.leading)})))",
            f"  place(top + right, dy: {pt(g.pitch * 0.5)}, box(width: 50%, tblock(text({R.text('page_header_info')}, "
            f"{tstr(right)}), {pt(phi.size)}, {pt(phi.leading)}, align-to: right)))",
            f"  place(top + left, dy: {pt(y)}, line(length: 100%, stroke: {pt(style.rules['page_header_rule'])} + black))",
            "})"]


def _head(story: Story, style: Style, R: _Roles, width: float) -> str:
    """The headline block: kicker, headline (fitted), deck; each a block `leading` per line."""
    parts = []
    for txt, role in ((story.kicker, "kicker"),):
        if txt:
            ts = style.roles[role]
            parts.append(f"tblock(text({R.text(role)}, {tstr(txt)}), {pt(ts.size)}, {pt(ts.leading)}, "
                         f"align-to: center)")
    role = f"headline_{story.level}"
    ts = style.roles[role]
    factor = ts.leading / ts.size
    fonts, weight = R.fonts(role), R.family(role)[1]
    at = (f"s => text(font: {fonts}, weight: {weight}, size: s, fill: {R.color(role)}, {tstr(story.headline)})")
    parts.append(f"{{ let at = {at}; let s = fit-size(at, {pt(ts.size)}, {pt(ts.min_size or ts.size)}, "
                 f"{ts.max_lines}, {factor:.6g}, {pt(width)}); tblock(at(s), s, {factor:.6g} * s, align-to: center) }}")
    if story.deck:
        ts = style.roles["deck"]
        parts.append(f"tblock(text({R.text('deck')}, {tstr(story.deck)}), {pt(ts.size)}, {pt(ts.leading)}, "
                     f"align-to: center)")
    return "context { " + "; ".join(parts) + " }"


def _body(story: Story, R: _Roles) -> str:
    """The body: every paragraph a `par` (first-line indent 2 em from the set rule), the
    dateline run in at the start of the first, subheads in their face without indent."""
    out = []
    for i, p in enumerate(story.body):
        if p.kind == "subhead":
            out.append(f"  par(first-line-indent: 0pt, text({R.text('subhead')}, {tstr(p.text)}))")
        elif i == 0 and story.dateline:
            out.append(f"  par({{ text({R.text('dateline')}, {tstr(story.dateline)}); {tstr(p.text)} }})")
        else:
            out.append(f"  par({tstr(p.text)})")
    return "{\n" + "\n".join(out) + "\n}"


def _photo(story: Story, style: Style, R: _Roles) -> str | None:
    ph = story.photo
    if ph is None:
        return None
    cap = ph.caption + (f"（{ph.credit}摄）" if ph.credit else "")
    ts = style.roles["caption"]
    caption = f"tblock(text({R.text('caption')}, {tstr(cap)}), {pt(ts.size)}, {pt(ts.leading)})"
    img, aspect = "none", PHOTO_ASPECT
    if ph.file is not None and ph.file.is_file():
        try:
            from PIL import Image
            with Image.open(ph.file) as im:
                aspect = im.width / im.height
            img = f'image({tstr(str(ph.file.resolve()))}, width: 100%, height: 100%, fit: "cover")'
        except Exception:        # noqa: BLE001 - unreadable: the placeholder, as the engine does
            img = "none"
    aspect = min(2.2, max(0.75, aspect))
    return f"(img: {img}, caption: {caption}, aspect: {aspect:.6g})"


def typst_source(issue_path: str | Path, *, page: int | None = 1, style: str | Path | None = None,
                 heights: dict[str, int] | None = None, photos: bool = True) -> str:
    """Typst source setting page `page` of the issue (its stories, in plan order) on the
    style's grid; `page=None`: every page of the issue, one after another (the benchmark's
    100 generated pages).  `heights`: module height in grid lines per story id (e.g. the
    engine's, see `engine_heights`); stories not in it get Typst-balanced heights."""
    ipath = find_issue(issue_path)
    issue = load_issue(ipath, str(ipath))
    spath = find_style(str(style) if style else issue.style, Path.cwd(), STYLES_DIR)
    st = load_style(spath, str(spath))
    R = _Roles(st)
    g, pg = st.grid, st.page
    the_pages = [p for p in issue.pages if page is None or p.number == page]
    if not the_pages:
        raise SystemExit(f"typst_source: the issue has no page {page}")
    body = st.roles["body"]
    tops = {True: MASTHEAD_LINES, False: PAGE_HEADER_LINES}
    try:
        from layout.place import furniture
        tops = {True: furniture.MASTHEAD_LINES, False: furniture.PAGE_HEADER_LINES}
    except Exception:            # noqa: BLE001 - the engine mid-edit: the constants above
        pass
    right = pg.width - g.left - g.width
    bottom = pg.height - g.top - g.lines * g.pitch
    indent = body.indent
    lines = [
        f"// Generated by bench/typst_source.py from {ipath.name} of issue {issue.masthead.number}, "
        f"{'every page' if page is None else f'page {page}'},",
        f"// style {st.name!s} ({spath.name}). Same copy, same grid as the engine; see that module's docstring.",
        f"#set document(title: {tstr(f'{issue.masthead.title} {issue.masthead.number} ' + ('' if page is None else f'page {page} ') + '(Typst)')}, "
        f"date: none)",
        f"#set page(width: {pt(pg.width)}, height: {pt(pg.height)}, margin: (left: {pt(g.left)}, right: {pt(right)}, "
        f"top: {pt(g.top)}, bottom: {pt(bottom)}))",
        "#set block(spacing: 0pt)",
        f"#set text(font: {R.fonts('body')}, weight: {R.family('body')[1]}, size: {pt(body.size)}, "
        f"fill: {R.color('body')}, lang: \"zh\", region: \"cn\", cjk-latin-spacing: auto, "
        "top-edge: 0.88em, bottom-edge: -0.12em)",
        f"#set par(justify: true, first-line-indent: (amount: {indent:g}em, all: true), "
        f"leading: {pt(body.leading - body.size)}, spacing: {pt(body.leading - body.size)})",
        f"#let em = {pt(g.em)}",
        f"#let pitch = {pt(g.pitch)}",
        f"#let ncols = {g.columns}",
        f"#let col-width = {pt(g.column_width)}",
        f"#let gutter = {pt(g.gutter)}",
        f"#let type-width = {pt(g.width)}",
        f"#let separator = {pt(st.rules['story_separator'])}",
        f"#let placeholder = {R.cmyk('grey')}",
        PRELUDE,
    ]
    for k, the_page in enumerate(the_pages):
        if k:
            lines.append("#pagebreak()")
        front = the_page.number == 1
        if front:
            lines += _masthead(issue, st, R, tops[True])
        else:
            lines += _page_header(issue, the_page, st, R, tops[False])
        first = True
        for mod in the_page.modules:
            if not mod.story:
                lines.append(f"// reserved space not reproduced: {mod.reserved}")
                continue
            story = issue.stories[mod.story]
            h = (heights or {}).get(story.id)
            photo = _photo(story, st, R) if photos else None
            lines.append(f"// story {story.id}")
            lines.append(f"#let body = {_body(story, R)}")
            lines.append(f"#story-module({_head(story, st, R, g.width - 2 * g.em)}, body, "
                         f"photo: {photo or 'none'}, lines: {h if h else 'auto'}, rule: {'false' if first else 'true'})")
            first = False
    return "\n".join(lines) + "\n"


def engine_heights(issue_path: str | Path, page: int = 1) -> dict[str, int]:
    """Module heights (grid lines) the engine gives the page's stories (runs its layout)."""
    from layout.pipeline import render
    r = render(str(find_issue(issue_path)), None, None, write=False)
    pp = next(p for p in r.laid.pages if p.number == page)
    return {m.owner: m.cell.lines for m in pp.modules if not m.reserved}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.typst_source", description=__doc__.split("\n\n")[0])
    ap.add_argument("issue", help="issue number (issues/N/issue.yaml), folder or YAML file")
    ap.add_argument("-o", "--output", help="write the source here (default: stdout)")
    ap.add_argument("--page", type=int, default=1, help="page to set (default 1)")
    ap.add_argument("--all-pages", action="store_true", help="set every page of the issue, one after another")
    ap.add_argument("--style", help="style name or path instead of the issue's")
    ap.add_argument("--engine-heights", action="store_true",
                    help="pin each module to the height our engine gives it (runs the engine's layout)")
    ap.add_argument("--no-photos", action="store_true", help="leave photos (and captions) out")
    ap.add_argument("--pdf", help="also compile the source to this PDF")
    a = ap.parse_args(argv)
    heights = engine_heights(a.issue, a.page) if a.engine_heights else None
    src = typst_source(a.issue, page=None if a.all_pages else a.page, style=a.style, heights=heights,
                       photos=not a.no_photos)
    if a.output:
        Path(a.output).write_text(src, encoding="utf-8")
    else:
        sys.stdout.write(src)
    if a.pdf:
        if a.output:
            compile_pdf(Path(a.output), a.pdf)
        else:
            Path(a.pdf).write_bytes(compile_pdf(src))
        print(f"wrote {a.pdf}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
