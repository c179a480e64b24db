"""Page furniture: the masthead and ear on page 1, page headers, reserved (awaiting-copy) frames.

Everything here is laid out from the style's grid, for any number of columns and any trim:
the furniture's type sizes are the style's roles times a scale that follows the type area's
width (the roles are drawn for the house A3 type area, REFERENCE_TYPE_WIDTH; a style may fix
the scale with `masthead.scale`), and regions are measured from what they hold, snapped to
whole columns where there is room. The masthead band holds, left to right, the title with
the publisher under it, the column of dates and numbers, the ear (QR codes) and the teaser
box (报眼) at the right edge; what does not fit is moved (the dates under the title) or left
out with a finding, never drawn off the band. Page headers set 版次 and 版名 on the outside
edge (left on even pages, right on odd) and the paper's title and date on the inside.
"""
from __future__ import annotations

import math

import msgspec

from ..load.issue import Issue, Page
from ..load.style import Grid
from .calendar import date_line, lunar_line, weekday_name
from .model import Box, Cell, Finding, PhotoFrame, PlacedModule, Rule, TextLine
from .textset import SetBlock, Setter

MASTHEAD_LINES = 9          # grid lines of the masthead band on page 1, at the reference size
PAGE_HEADER_LINES = 3       # grid lines of the page header on inside pages (at least)
REFERENCE_TYPE_WIDTH = 747.0   # pt: the type area the roles' furniture sizes are for (A3, 6 x 13 小五)
REFERENCE_PITCH = 13.5      # pt: the line pitch MASTHEAD_LINES is counted in
TEASER_MIN_EM = 7           # a teaser item line holds at least this many characters
QR_MIN = 30.0               # pt: a QR code smaller than this (about 10 mm) does not scan from newsprint
TITLE_MIN_SCALE = 0.6       # the title steps down to this share of its size before the dates move


def furniture_scale(setter: Setter, grid: Grid) -> float:
    """The style's `masthead.scale`, or the type area's width against the reference, in
    tenths (a 5 % wider grid keeps the house sizes), between 0.7 and 2."""
    given = setter.style.furniture_scale
    if given is not None:
        return given
    return max(0.7, min(2.0, round(grid.width / REFERENCE_TYPE_WIDTH * 10) / 10))


def _draw_block(items: list, blk: SetBlock, x: float, y_top: float, owner: str) -> float:
    """Lines of a block from y_top down; returns the y below the block."""
    y = y_top
    for off, ln in blk.lines:
        items.append(TextLine(x=x + off, baseline=y + (blk.leading - blk.size) / 2 + 0.88 * blk.size,
                              glyphs=ln.glyphs, color=blk.style.color, owner=owner, role=blk.style.role))
        y += blk.leading
    return y


def _cols_for(grid: Grid, width: float) -> int:
    """Fewest basic columns whose span holds `width`."""
    step = grid.column_width + grid.gutter
    return max(1, math.ceil((width + grid.gutter - 1e-6) / step))


class _Ear(msgspec.Struct, frozen=True):
    """Where the ear's items go: `across` x `down` cells of `cell_w` x `cell_h`, QR side `qr`."""
    across: int
    down: int
    cell_w: float
    cell_h: float
    qr: float


def _fit_ear(n: int, width: float, band_h: float, label_w: float, label_h: float, grid: Grid,
             col_cap: float) -> _Ear | None:
    """The ear's n items in a region `width` wide: stacked in as few columns across as hold
    them with QR codes of at least QR_MIN; None if no arrangement does."""
    if n == 0:
        return None
    for across in range(1, n + 1):
        down = math.ceil(n / across)
        cell_h = (band_h - grid.pitch * 0.5) / down
        cell_w = width / across
        qr = min(cell_h - max(grid.pitch * 1.6, grid.pitch * 0.3 + label_h + 2.0), min(cell_w, col_cap) * 0.62)
        if qr >= QR_MIN and max(qr, label_w) <= cell_w + 1e-6:
            return _Ear(across, down, cell_w, cell_h, qr)
    return None


class _Plan(msgspec.Struct, frozen=True):
    """How the masthead band is divided (x in pt from the trim's left)."""
    stacked: bool            # the dates under the title rather than in a column beside it
    title_factor: float      # the title's size against its scaled role size
    title_cols: int
    info_x: float
    teaser_w: float          # 0: no teaser box
    ear_x: float
    ear_w: float
    ear: _Ear | None


def _masthead_plan(grid: Grid, n_ear: int, teaser: bool, title_w: float, pub_w: float, info_w: float,
                   teaser_min: float, label_w: float, label_h: float, band_h: float) -> _Plan | None:
    """The first division of the band that holds everything, trying in order of preference: the
    dates beside the title, then under it; the title at full size, then smaller; the title over
    half the columns, then as few as it needs; the teaser in whole columns, then as narrow as its
    lines allow. If no division holds the ear, the first that holds the rest (the ear is then
    reported); None if not even that fits."""
    right = grid.left + grid.width
    teaser_widths = [grid.span_width(_cols_for(grid, teaser_min)), teaser_min] if teaser else [0.0]
    fallback = None
    for stacked in (False, True):
        for factor in (1.0, 0.85, 0.7, TITLE_MIN_SCALE):
            t_min = _cols_for(grid, max(title_w * factor, 0.0 if stacked else pub_w))
            for t_cols in sorted({max(t_min, grid.columns // 2), t_min}, reverse=True):
                if t_cols > grid.columns or (not stacked and t_cols >= grid.columns):
                    continue
                title_end = grid.left + grid.span_width(t_cols)
                info_x = grid.left if stacked else grid.col_x(t_cols)
                used_end = title_end if stacked else info_x + info_w
                if stacked and info_w > grid.span_width(t_cols) + 1e-6:
                    continue
                for tw in teaser_widths:
                    teaser_x = right - tw
                    if teaser and teaser_x < used_end + grid.em - 1e-6:
                        continue
                    if not teaser and used_end > right + 1e-6:
                        continue
                    # the ear in the whole columns left free, if any, else in what is left over
                    c0 = t_cols + (0 if stacked else _cols_for(grid, info_w))
                    c1 = grid.columns - (_cols_for(grid, tw) if teaser else 0)
                    whole = not teaser or abs(tw - grid.span_width(grid.columns - c1)) < 1e-6
                    if c1 > c0 and whole:
                        ear_x, ear_w = grid.col_x(c0), grid.span_width(c1 - c0)
                    else:
                        ear_x = used_end + grid.em
                        ear_w = (teaser_x if teaser else right) - grid.em - ear_x
                    ear = _fit_ear(n_ear, ear_w, band_h, label_w, label_h, grid, grid.column_width) \
                        if ear_w > 0 else None
                    plan = _Plan(stacked, factor, t_cols, info_x, tw, ear_x, max(0.0, ear_w), ear)
                    if ear is not None or n_ear == 0:
                        return plan
                    fallback = fallback or plan
    return fallback


def masthead(issue: Issue, setter: Setter, grid: Grid) -> tuple[list, list[Finding], int]:
    """Masthead band across the top of page 1. Returns items, findings, grid lines used."""
    m = issue.masthead
    items: list = []
    findings: list[Finding] = []
    scale = furniture_scale(setter, grid)

    def size(role: str) -> float:
        return setter.role(role).size * scale

    def natural(text: str, role: str) -> float:
        """The width the line takes when set on its own (as the composer spaces it)."""
        blk = setter.block(text, role, grid.width * 20, size=size(role), where="masthead")
        return max((ln.width for _, ln in blk.lines), default=0.0)

    lunar_text = lunar_line(m.date)
    weekday = weekday_name(m.date)
    if m.lunar and m.lunar != lunar_text:
        findings.append(Finding("warning", "lunar-date", 1,
                                f"the issue says '{m.lunar}' but {m.date.isoformat()} is '{lunar_text}'", "masthead.lunar"))
    if m.weekday and m.weekday != weekday:
        findings.append(Finding("warning", "weekday", 1,
                                f"the issue says '{m.weekday}' but {m.date.isoformat()} is a {weekday}", "masthead.weekday"))
    info = [(date_line(m.date), "masthead_strong"), (f"{lunar_text} {weekday}", "masthead_info"),
            (f"第{m.number}期", "masthead_strong")]
    if m.edition_note:
        info.append((m.edition_note, "masthead_info"))
    if m.hotline:
        info.append((m.hotline, "masthead_info"))
    # page 1 has no page header: its editors' line (责任编辑 ...) stands in the masthead's dates column
    front = next((p for p in issue.pages if p.number == 1), None)
    if front is not None and front.editors:
        info.append((editors_line(front), "masthead_info"))
    if m.licence:        # 准印证号 / 刊号, and for a 内部资料性出版物 the notice beside it
        info.append((m.licence, "masthead_info"))
    if m.internal:
        info.append(("内部资料　免费交流", "masthead_info"))
    if setter.style.licence and not m.licence:
        findings.append(Finding("warning", "missing-licence", 1, "the style prints the 准印证号 on page 1 but "
                                "the issue gives no masthead.licence", "masthead.licence"))
    info_w = min(grid.width, max(natural(t, r) for t, r in info))
    info_h = sum(setter.role(r).leading * scale for _, r in info)
    logo = setter.style.logo
    title_w = grid.span_width(max(1, grid.columns // 2)) if logo is not None else natural(m.title, "masthead_title")
    title_h = size("masthead_title") * 1.2
    pub_w = min(grid.width, natural(m.publisher, "masthead_info"))
    pub_h = setter.role("masthead_info").leading * scale

    # the teaser box: whole columns at the right edge, or only as wide as its lines need
    pad = grid.em * 0.5
    teaser_min = TEASER_MIN_EM * size("teaser_item") + 2 * pad if issue.teaser else 0.0
    label_w = max((natural(e.label, "masthead_info") for e in m.ear), default=0.0)
    label_h = setter.role("masthead_info").leading * scale

    lines = setter.style.masthead_lines or max(
        4, math.ceil(MASTHEAD_LINES * scale * REFERENCE_PITCH / grid.pitch - 1e-6))
    # the band holds the title over the publisher and, beside them, the column of dates
    needed = math.ceil(max(title_h + pub_h, info_h) / grid.pitch + 1 - 1e-6)
    if setter.style.masthead_lines and needed > lines:
        findings.append(Finding("warning", "masthead-lines", 1, f"the style's masthead.lines ({lines}) cannot hold "
                                f"the masthead at its sizes: {needed} lines used", "style masthead.lines"))
    lines = max(lines, needed)
    band_h = lines * grid.pitch

    plan = _masthead_plan(grid, len(m.ear), bool(issue.teaser), title_w, pub_w, info_w, teaser_min,
                          label_w, label_h, band_h)
    if plan is None:
        # not even the title and the dates beside a teaser: the dates under the title, no teaser
        plan = _Plan(True, TITLE_MIN_SCALE, grid.columns, grid.left, 0.0, 0.0, 0.0, None)
        if issue.teaser:
            findings.append(Finding("error", "teaser", 1, f"no room in the masthead band for the teaser box on a "
                                    f"{grid.columns}-column grid {grid.width / 72 * 25.4:.0f} mm wide", "teaser"))
    stacked, title_factor, t_cols = plan.stacked, plan.title_factor, plan.title_cols
    info_x, teaser_w, ear_x, ear_w = plan.info_x, plan.teaser_w, plan.ear_x, plan.ear_w
    w_title = grid.span_width(t_cols)
    right = grid.left + grid.width
    if stacked:      # the dates under the title: the band grows to hold them
        lines = max(lines, math.ceil((title_h * title_factor + pub_h + info_h) / grid.pitch + 1 - 1e-6))
    band_h = lines * grid.pitch
    top = grid.line_top(0)

    title_size = size("masthead_title") * title_factor
    title_zone = band_h * 0.62 if not stacked else title_h * title_factor + grid.pitch * 0.3
    if logo is not None:     # the paper's own title artwork, fitted into the title area
        items.append(PhotoFrame(x=grid.col_x(0), y=top, w=w_title, h=title_zone * 0.7 / 0.62 if not stacked
                                else title_zone, path=logo, present=True, owner="masthead", label=logo.name,
                                fit="fit", focus=(0.0, 0.5), color=True))
    else:
        title = setter.block(m.title, "masthead_title", w_title, align="start", size=title_size,
                             where="masthead, title")
        _draw_block(items, title, grid.col_x(0), top + (title_zone - title.height) / 2, "masthead")
    pub = setter.block(m.publisher, "masthead_info", w_title, align="start", size=size("masthead_info"),
                       where="masthead, publisher")
    if stacked:
        y = top + title_zone
        for text, role in info:
            blk = setter.block(text, role, max(info_w, 1.0), align="start", size=size(role), where="masthead")
            y = _draw_block(items, blk, grid.left, y, "masthead")
        _draw_block(items, pub, grid.col_x(0), y, "masthead")
    else:
        _draw_block(items, pub, grid.col_x(0), top + band_h - pub.height - grid.pitch * 0.6, "masthead")
        y = top + grid.pitch * 0.3
        info_measure = grid.span_width(min(_cols_for(grid, info_w), grid.columns - t_cols))
        for text, role in info:
            blk = setter.block(text, role, info_measure, align="start", size=size(role), where="masthead")
            y = _draw_block(items, blk, info_x, y, "masthead")

    ear = _fit_ear(len(m.ear), ear_w, band_h, label_w, label_h, grid, grid.column_width) if ear_w > 0 else None
    if m.ear and ear is None:
        findings.append(Finding("warning", "ear", 1, f"no room in the masthead band for {len(m.ear)} ear item(s) "
                                f"on a {grid.columns}-column grid {grid.width / 72 * 25.4:.0f} mm wide", "masthead.ear"))
    elif m.ear:
        # items fill down, then across, each centred in its cell
        for i, e in enumerate(m.ear):
            cx = ear_x + (i // ear.down) * ear.cell_w
            y0 = top + (i % ear.down) * ear.cell_h
            q = ear.qr
            qx = cx + (ear.cell_w - q) / 2
            if e.kind == "qr" and e.payload:
                items.extend(qr_code(e.payload, qx, y0 + grid.pitch * 0.3, q))
            elif e.kind == "qr":
                items.append(PhotoFrame(x=qx, y=y0 + grid.pitch * 0.3, w=q, h=q,
                                        path=None, present=False, owner="masthead", label="二维码"))
                if not e.payload:
                    findings.append(Finding("warning", "missing-qr", 1,
                                            f"ear item '{e.label}': QR payload not on file; a marked frame stands in",
                                            "masthead.ear"))
            lab = setter.block(e.label, "masthead_info", ear.cell_w, align="center", size=size("masthead_info"),
                               where="masthead, ear")
            _draw_block(items, lab, cx, y0 + grid.pitch * 0.3 + q + 1.0, "masthead")
    if issue.teaser and teaser_w > 0:
        teaser_box(items, issue, setter, right - teaser_w, top, teaser_w, band_h - grid.pitch * 0.5, scale)

    # a thick-thin double rule closes the masthead band
    heavy = setter.style.rules["masthead_rule"]
    rule_y = top + band_h - grid.pitch * 0.35
    items.append(Rule(grid.left, rule_y, grid.left + grid.width, rule_y, heavy, "black"))
    thin_y = rule_y + heavy / 2 + 1.5
    items.append(Rule(grid.left, thin_y, grid.left + grid.width, thin_y, max(0.3, heavy / 4), "black"))
    return items, findings, lines


def qr_code(payload: str, x: float, y: float, size: float) -> list[Box]:
    """A QR code as black modules (K only), one box per horizontal run of dark modules,
    with the standard four-module quiet zone inside `size`."""
    import segno
    matrix = [list(row) for row in segno.make(payload, error="m", micro=False).matrix]
    n = len(matrix) + 8
    cell = size / n
    out: list[Box] = []
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                out.append(Box(x + (start + 4) * cell, y + (r + 4) * cell, (c - start) * cell, cell, fill="black"))
            else:
                c += 1
    return out


def teaser_box(items: list, issue: Issue, setter: Setter, x: float, y: float, w: float, h: float,
               scale: float = 1.0) -> None:
    """The teaser box (报眼, 导读): a tinted frame with its label and the items with their page
    references; the sizes step down (to 60 %) until the items fit the frame's height."""
    t = issue.teaser
    pad = setter.style.grid.em * 0.5
    items.append(Box(x, y, w, h, fill="tint", stroke="black", width=setter.style.rules["box_rule"]))
    inner = w - 2 * pad
    for step in range(9):
        factor = scale * (1.0 - 0.05 * step)
        drawn: list = []
        cy = _teaser_lines(drawn, t, setter, x + pad, y + pad, inner, factor)
        if cy <= y + h - pad * 0.5 or step == 8:
            break
    items.extend(drawn)


def _teaser_lines(items: list, t, setter: Setter, x: float, y: float, inner: float, factor: float) -> float:
    def size(role: str) -> float:
        return setter.role(role).size * factor

    label = setter.block(t.label, "teaser_label", inner, align="center", size=size("teaser_label"),
                         where="teaser, label")
    cy = _draw_block(items, label, x, y, "teaser")
    items.append(Rule(x, cy + 1.5, x + inner, cy + 1.5, setter.style.rules["column_rule"], "black"))
    cy += 4.0
    for i, it in enumerate(t.items):
        where = f"teaser, item {i + 1}"
        blk = (setter.balanced(it.title, "teaser_item", inner, size("teaser_item"), 4, where)
               or setter.block(it.title, "teaser_item", inner, size=size("teaser_item"), where=where))
        cy = _draw_block(items, blk, x, cy, "teaser")
        if it.ref:
            ref = setter.block(it.ref, "teaser_ref", inner, align="end", size=size("teaser_ref"), where=where)
            cy = _draw_block(items, ref, x, cy, "teaser")
    return cy


def editors_line(page: Page) -> str:
    """The page's editors as printed: "责任编辑：某某  校对：某某", in the issue's order."""
    return "\u3000".join(f"{role}：{name}" for role, name in page.editors)   # an em of white between roles


def missing_editors(page: Page, roles: tuple[str, ...]) -> list[Finding]:
    """A warning when the page's plan lacks editor roles the style prints on every page: the
    line is printed with the roles given, never with a made-up name."""
    given = {role for role, _ in page.editors}
    lacking = [role for role in roles if role not in given]
    if not lacking:
        return []
    return [Finding("warning", "missing-editor", page.number,
                    f"page {page.number}: the style prints {'、'.join(lacking)} on every page but the plan "
                    f"gives no name", f"page {page.number} editors")]


def imprint_page(issue: Issue, style_page: str) -> int | None:
    """The page number that carries the 报尾: the style's page, or the last page of the plan."""
    numbers = [p.number for p in issue.pages]
    target = numbers[-1] if style_page == "last" else int(style_page)
    return target if target in numbers else None


def imprint(issue: Issue, setter: Setter, grid: Grid, page: int) -> tuple[list, list[Finding], int]:
    """The imprint (报尾) at the foot of the type area, above a thin rule: the style's fields in its
    order, then any others the issue gives. Returns items, findings (a field the style places but
    the issue lacks is a warning) and the grid lines it takes from the foot of the page."""
    given = dict(issue.imprint)
    lacking = [name for name in setter.style.imprint_fields if name not in given]
    findings = [Finding("warning", "missing-imprint", page, f"the style prints the imprint's {'、'.join(lacking)} "
                        f"on page {page} but the issue lacks them", "imprint")] if lacking else []
    order = [n for n in setter.style.imprint_fields if n in given] + \
        [n for n, _ in issue.imprint if n not in setter.style.imprint_fields]
    if not order:
        return [], findings, 0
    items: list = []
    scale = furniture_scale(setter, grid)
    text = "\u3000".join(f"{name}：{given[name]}" for name in order)
    blk = setter.block(text, "page_header_info", grid.width, align="center",
                       size=setter.role("page_header_info").size * scale, where=f"page {page} imprint")
    lines = max(2, math.ceil(blk.height / grid.pitch + 1 - 1e-6))
    top = grid.line_top(grid.lines - lines)
    rule_y = top + grid.pitch * 0.4
    items.append(Rule(grid.left, rule_y, grid.left + grid.width, rule_y, setter.style.rules["page_header_rule"],
                      "black"))
    _draw_block(items, blk, grid.left, rule_y + grid.pitch * 0.3, f"imprint-{page}")
    return items, findings, lines


def page_header(issue: Issue, page: Page, setter: Setter, grid: Grid) -> tuple[list, int]:
    """The page header (报眉) above a rule: 版次 and 版名 on the outside edge (left on even pages,
    right on odd), the paper's title, date and weekday on the inside edge of the same line if
    both fit (else on the next line), the editors' line under it on the inside edge. Returns the
    items and the grid lines used (at least PAGE_HEADER_LINES)."""
    items: list = []
    top = grid.line_top(0)
    m = issue.masthead
    scale = furniture_scale(setter, grid)
    owner = f"header-{page.number}"
    outside_end = page.number % 2 == 1          # odd pages: the outside edge is the right

    def block(text: str, role: str, align_outside: bool, where: str) -> SetBlock:
        align = ("end" if outside_end else "start") if align_outside else ("start" if outside_end else "end")
        return setter.block(text, role, grid.width, align=align, size=setter.role(role).size * scale,
                            where=f"page {page.number} {where}")

    def natural(blk: SetBlock) -> float:
        return max((ln.width for _, ln in blk.lines), default=0.0)

    folio = block(f"第{page.number}版  {page.name}", "page_header", True, "header")
    dateline = block(f"{m.title}  {date_line(m.date)}  {weekday_name(m.date)}", "page_header_info", False, "header")
    y = top + grid.pitch * 0.5
    one_line = len(folio.lines) == 1 and len(dateline.lines) == 1 and \
        natural(folio) + natural(dateline) + 2 * grid.em <= grid.width
    below = _draw_block(items, folio, grid.left, y, owner)
    if one_line:       # the two parts share the folio's bottom
        _draw_block(items, dateline, grid.left, y + (folio.height - dateline.height), owner)
        y = top + grid.pitch * 1.6
    else:
        y = _draw_block(items, dateline, grid.left, below, owner) + grid.pitch * 0.2
    if page.editors:
        y = _draw_block(items, block(editors_line(page), "page_header_info", False, "editors"), grid.left, y, owner)
    lines = max(PAGE_HEADER_LINES, math.ceil((y - top + grid.pitch * 0.5) / grid.pitch - 1e-6))
    rule_y = top + lines * grid.pitch - grid.pitch * 0.4
    items.append(Rule(grid.left, rule_y, grid.left + grid.width, rule_y, setter.style.rules["page_header_rule"], "black"))
    return items, lines


def reserved_frame(title: str, note: str | None, cell: Cell, setter: Setter, grid: Grid, page: int,
                   auto: bool) -> tuple[list, PlacedModule, Finding]:
    """Space the plan reserves for copy not on file: a marked frame with its capacity."""
    items: list = []
    x, y = grid.col_x(cell.col), grid.line_top(cell.line)
    w, h = grid.span_width(cell.cols), cell.lines * grid.pitch
    items.append(Box(x, y, w, h, fill=None, stroke="grey", width=0.75, dash=(6, 4)))
    capacity = cell.cols * grid.column_chars * cell.lines
    cy = y + h * 0.4
    for text, role in (("待稿", "awaiting"), (title, "awaiting"), (note or "", "awaiting_note"),
                       (f"本栏可排正文约 {capacity} 字（{cell.cols} 栏 × {cell.lines} 行）", "awaiting_note")):
        if not text:
            continue
        blk = setter.block(text, role, w - 4 * grid.em, align="center", where=f"page {page}, reserved frame")
        cy = _draw_block(items, blk, x + 2 * grid.em, cy, f"reserved:{title}") + 4
    pm = PlacedModule(owner=f"reserved:{title}", cell=cell, auto=auto, capacity=capacity, copy_chars=0,
                      set_chars=0, overset_chars=0, overset_lines=0, reserved=True)
    f = Finding("warning", "awaiting-copy", page,
                f"page {page}: space reserved for '{title}' awaits copy (capacity about {capacity} characters)",
                cell.label())
    return items, pm, f
