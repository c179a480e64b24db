"""What a render prints: one line per page, then the findings."""
from __future__ import annotations

from ..place.model import TextLine


def summary_lines(result) -> list[str]:
    laid = result.laid
    out = []
    for page in laid.pages:
        stories = [m for m in page.modules if not m.reserved]
        reserved = [m for m in page.modules if m.reserved]
        chars = sum(len(it.glyphs) for it in page.items if isinstance(it, TextLine))
        warns = [f for f in laid.findings if f.page == page.number]
        parts = [f"page {page.number} ({page.name}): {len(stories)} stories placed",
                 f"{chars} characters set"]
        if reserved:
            parts.append(f"{len(reserved)} frame(s) awaiting copy")
        parts.append(f"{len(warns)} warning(s)" if warns else "no warnings")
        out.append(", ".join(parts))
        for m in page.modules:
            how = "placed by the engine" if m.auto else "from the plan"
            if m.reserved:
                out.append(f"    {m.owner[9:]}: {m.cell.label()} ({how}); capacity {m.capacity} characters, awaiting copy")
            else:
                out.append(f"    {m.owner}: {m.cell.label()} ({how}); copy {m.copy_chars} / capacity {m.capacity} "
                           f"characters" + (f", OVERSET {m.overset_chars}" if m.overset_chars else ""))
    general = [f for f in laid.findings if f.page is None]
    findings = list(laid.findings)
    if findings:
        out.append(f"preflight: {sum(f.severity == 'error' for f in findings)} error(s), "
                   f"{sum(f.severity == 'warning' for f in findings)} warning(s)")
        for f in findings:
            page = f"p{f.page}" if f.page else "--"
            out.append(f"  {f.severity:7} {page:4} {f.code:14} {f.message}")
    del general
    if result.pdf:
        out.append(f"wrote {result.pdf}")
    return out
