"""What a render prints: one line per page, the modules, then the preflight table."""
from __future__ import annotations

from ..place.model import TextLine, VerticalText

_LABEL = {"error": "ERROR", "warning": "warning", "info": "note"}


def _where(f) -> str:
    if f.box is None:
        return ""
    x, y, w, h = f.box
    return f"{x / 2.8346:.0f},{y / 2.8346:.0f} mm"


def preflight_lines(pre) -> list[str]:
    """The preflight as a table: severity, page, check, position (mm from the trim's top left), message."""
    out = []
    n_e, n_w, n_i = len(pre.errors), len(pre.warnings), len(pre.infos)
    head = f"preflight ({pre.standard}, output intent {pre.output_intent}, ink limit {pre.tac_limit:g}%): " \
           f"{n_e} error(s), {n_w} warning(s)"
    if n_i:
        head += f", {n_i} note(s)"
    out.append(head)
    if not pre.findings:
        out.append("  nothing to report")
        return out
    rows = [(_LABEL.get(f.severity, f.severity), f"p{f.page}" if f.page else "--", f.code, _where(f), f.message)
            for f in pre.findings]
    widths = [max(len(r[i]) for r in rows + [("SEVERITY", "PAGE", "CHECK", "AT", "")]) for i in range(4)]
    hdr = ("SEVERITY", "PAGE", "CHECK", "AT")
    out.append("  " + "  ".join(h.ljust(w) for h, w in zip(hdr, widths)) + "  MESSAGE")
    for r in rows:
        out.append("  " + "  ".join(c.ljust(w) for c, w in zip(r[:4], widths)) + "  " + r[4])
    return out


def summary_lines(result) -> list[str]:
    laid = result.laid
    pre = getattr(result, "preflight", None)
    grid = result.style.grid
    out = []
    for page in laid.pages:
        stories = [m for m in page.modules if not m.reserved]
        reserved = [m for m in page.modules if m.reserved]
        chars = sum(len(it.glyphs) for it in page.items if isinstance(it, TextLine))
        chars += sum(len(g.chars) for it in page.items if isinstance(it, VerticalText) for g in it.glyphs)
        if pre is not None:
            errs = [f for f in pre.errors if f.page == page.number]
            warns = [f for f in pre.warnings if f.page == page.number]
        else:
            errs = [f for f in laid.findings if f.page == page.number and f.severity == "error"]
            warns = [f for f in laid.findings if f.page == page.number and f.severity == "warning"]
        parts = [f"page {page.number} ({page.name}): {len(stories)} stories placed",
                 f"{chars} characters set"]
        if reserved:
            parts.append(f"{len(reserved)} frame(s) awaiting copy")
        if errs:
            parts.append(f"{len(errs)} error(s)")
        parts.append(f"{len(warns)} warning(s)" if warns else ("no warnings" if not errs else "0 warnings"))
        out.append(", ".join(parts))
        for m in page.modules:
            how = "placed by the engine" if m.auto else "from the plan"
            if m.fold_part:     # counted on the spread's left-hand page
                what = m.owner[9:] if m.reserved else m.owner
                out.append(f"    {what}: {m.cell.label()} (across the fold from page {page.spread[0]}, "
                           f"counted there)")
            elif m.reserved:
                across = f", across the fold into page {page.spread[1]}" if m.across_fold else ""
                out.append(f"    {m.owner[9:]}: {m.cell.label()} ({how}){across}; capacity {m.capacity} characters, "
                           f"awaiting copy")
            else:
                across = f", across the fold into page {page.spread[1]}" if m.across_fold else ""
                if m.span is not None:      # 破栏: its own measure (search.off_grid_splits)
                    across += f", off the basic columns: {m.span[1] / grid.em:g} characters wide"
                out.append(f"    {m.owner}: {m.cell.label()} ({how}){across}; body copy {m.body_chars} / capacity {m.capacity} "
                           f"characters" + (f", OVERSET {m.overset_chars}" if m.overset_chars else ""))
    if pre is not None:
        out.extend(preflight_lines(pre))
    elif laid.findings:
        findings = list(laid.findings)
        out.append(f"preflight: {sum(f.severity == 'error' for f in findings)} error(s), "
                   f"{sum(f.severity == 'warning' for f in findings)} warning(s)")
        for f in findings:
            page = f"p{f.page}" if f.page else "--"
            out.append(f"  {f.severity:7} {page:4} {f.code:14} {f.message}")
    if result.pdf:
        out.append(f"wrote {result.pdf}")
        out.append(f"wrote {result.pdf.with_name(result.pdf.stem + '-preflight.json')}")
    return out
