"""Page furniture: the masthead and ear on page 1, page headers, reserved (awaiting-copy) frames."""
from __future__ import annotations

from ..load.issue import Issue, Page
from ..load.style import Grid
from .calendar import date_line, lunar_line, weekday_name
from .model import Box, Cell, Finding, PhotoFrame, PlacedModule, Rule, TextLine
from .textset import SetBlock, Setter

MASTHEAD_LINES = 9          # grid lines of the masthead band on page 1
PAGE_HEADER_LINES = 3       # grid lines of the page header on inside pages


def _draw_block(items: list, blk: SetBlock, x: float, y_top: float, owner: str) -> float:
    """Lines of a block from y_top down; returns the y below the block."""
    y = y_top
    for off, ln in blk.lines:
        items.append(TextLine(x=x + off, baseline=y + (blk.leading - blk.size) / 2 + 0.88 * blk.size,
                              glyphs=ln.glyphs, color=blk.style.color, owner=owner, role=blk.style.role))
        y += blk.leading
    return y


def masthead(issue: Issue, setter: Setter, grid: Grid) -> tuple[list, list[Finding], int]:
    """Masthead band across the top of page 1. Returns items, findings, grid lines used."""
    m = issue.masthead
    items: list = []
    findings: list[Finding] = []
    top = grid.line_top(0)
    band_h = MASTHEAD_LINES * grid.pitch
    # the band: title over the first half of the columns, then a column of dates and
    # numbers, then the ear (QR codes and the teaser box) in what is left
    t_cols = max(1, grid.columns // 2)
    w_title = grid.span_width(t_cols)
    logo = setter.style.logo
    if logo is not None:     # the paper's own title artwork, fitted into the title area
        items.append(PhotoFrame(x=grid.col_x(0), y=top, w=w_title, h=band_h * 0.7, path=logo, present=True,
                                owner="masthead", label=logo.name, fit="fit", focus=(0.0, 0.5), color=True))
    else:
        title = setter.block(m.title, "masthead_title", w_title, align="start", where="masthead, title")
        _draw_block(items, title, grid.col_x(0), top + (band_h * 0.62 - title.height) / 2, "masthead")
    pub = setter.block(m.publisher, "masthead_info", w_title, align="start", where="masthead, publisher")
    _draw_block(items, pub, grid.col_x(0), top + band_h - pub.height - grid.pitch * 0.6, "masthead")

    lunar_text = lunar_line(m.date)
    weekday = weekday_name(m.date)
    if m.lunar and m.lunar != lunar_text:
        findings.append(Finding("warning", "lunar-date", 1,
                                f"the issue says '{m.lunar}' but {m.date.isoformat()} is '{lunar_text}'", "masthead.lunar"))
    if m.weekday and m.weekday != weekday:
        findings.append(Finding("warning", "weekday", 1,
                                f"the issue says '{m.weekday}' but {m.date.isoformat()} is a {weekday}", "masthead.weekday"))
    info_x = grid.col_x(t_cols) if t_cols < grid.columns else grid.col_x(0)
    info_w = grid.span_width(1)
    y = top + grid.pitch * 0.3
    lines = [(date_line(m.date), "masthead_strong"), (f"{lunar_text} {weekday}", "masthead_info"),
             (f"第{m.number}期", "masthead_strong")]
    if m.edition_note:
        lines.append((m.edition_note, "masthead_info"))
    if m.hotline:
        lines.append((m.hotline, "masthead_info"))
    for text, role in lines:
        blk = setter.block(text, role, info_w, align="start", where="masthead")
        y = _draw_block(items, blk, info_x, y, "masthead")

    ear_cols = list(range(t_cols + 1, grid.columns))
    qr = [e for e in m.ear]
    if qr and len(ear_cols) < 2:
        findings.append(Finding("warning", "ear", 1, f"no room in the masthead band for {len(qr)} ear item(s) "
                                f"on a {grid.columns}-column grid", "masthead.ear"))
        qr = []
    if qr:
        ear_x = grid.col_x(ear_cols[0])
        ear_w = grid.span_width(1)
        cell_h = (band_h - grid.pitch * 0.5) / len(qr)
        for i, e in enumerate(qr):
            y0 = top + i * cell_h
            size = min(cell_h - grid.pitch * 1.6, ear_w * 0.62)
            if e.kind == "qr" and e.payload:
                items.extend(qr_code(e.payload, ear_x + (ear_w - size) / 2, y0 + grid.pitch * 0.3, size))
            elif e.kind == "qr":
                items.append(PhotoFrame(x=ear_x + (ear_w - size) / 2, y=y0 + grid.pitch * 0.3, w=size, h=size,
                                        path=None, present=False, owner="masthead", label="二维码"))
                if not e.payload:
                    findings.append(Finding("warning", "missing-qr", 1,
                                            f"ear item '{e.label}': QR payload not on file; a marked frame stands in",
                                            "masthead.ear"))
            lab = setter.block(e.label, "masthead_info", ear_w, align="center", where="masthead, ear")
            _draw_block(items, lab, ear_x, y0 + grid.pitch * 0.3 + size + 1.0, "masthead")
    if issue.teaser and ear_cols:
        teaser_box(items, issue, setter, grid.col_x(ear_cols[-1]), top, grid.span_width(1), band_h - grid.pitch * 0.5)
    elif issue.teaser:
        findings.append(Finding("error", "teaser", 1, "no room in the masthead band for the teaser box", "teaser"))

    # a thick-thin double rule closes the masthead band
    heavy = setter.style.rules["masthead_rule"]
    rule_y = top + band_h - grid.pitch * 0.35
    items.append(Rule(grid.left, rule_y, grid.left + grid.width, rule_y, heavy, "black"))
    thin_y = rule_y + heavy / 2 + 1.5
    items.append(Rule(grid.left, thin_y, grid.left + grid.width, thin_y, max(0.3, heavy / 4), "black"))
    return items, findings, MASTHEAD_LINES


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


def teaser_box(items: list, issue: Issue, setter: Setter, x: float, y: float, w: float, h: float) -> None:
    t = issue.teaser
    pad = setter.style.grid.em * 0.5
    items.append(Box(x, y, w, h, fill="tint", stroke="black", width=setter.style.rules["box_rule"]))
    inner = w - 2 * pad
    cy = y + pad
    label = setter.block(t.label, "teaser_label", inner, align="center", where="teaser, label")
    cy = _draw_block(items, label, x + pad, cy, "teaser")
    items.append(Rule(x + pad, cy + 1.5, x + w - pad, cy + 1.5, setter.style.rules["column_rule"], "black"))
    cy += 4.0
    for i, it in enumerate(t.items):
        blk = setter.deck(it.title, "teaser_item", inner, where=f"teaser, item {i + 1}")
        cy = _draw_block(items, blk, x + pad, cy, "teaser")
        if it.ref:
            ref = setter.block(it.ref, "teaser_ref", inner, align="end", where=f"teaser, item {i + 1}")
            cy = _draw_block(items, ref, x + pad, cy, "teaser")


def page_header(issue: Issue, page: Page, setter: Setter, grid: Grid) -> tuple[list, int]:
    items: list = []
    top = grid.line_top(0)
    m = issue.masthead
    left = setter.block(f"第{page.number}版  {page.name}", "page_header", grid.span_width(3), align="start",
                        where=f"page {page.number} header")
    _draw_block(items, left, grid.left, top + grid.pitch * 0.5, f"header-{page.number}")
    right_text = f"{m.title}  {date_line(m.date)}  {weekday_name(m.date)}"
    right = setter.block(right_text, "page_header_info", grid.span_width(3), align="end",
                         where=f"page {page.number} header")
    _draw_block(items, right, grid.col_x(3), top + grid.pitch * 0.5 + (left.height - right.height), f"header-{page.number}")
    if page.editors:
        ed = "  ".join(f"{k}：{v}" for k, v in page.editors)
        blk = setter.block(ed, "page_header_info", grid.width, align="end", where=f"page {page.number} editors")
        _draw_block(items, blk, grid.left, top + grid.pitch * 1.6, f"header-{page.number}")
    y = top + PAGE_HEADER_LINES * grid.pitch - grid.pitch * 0.4
    items.append(Rule(grid.left, y, grid.left + grid.width, y, setter.style.rules["page_header_rule"], "black"))
    return items, PAGE_HEADER_LINES


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
