"""Preflight: after each render, check the layout and the written PDF for what a press needs.

Layout (no PDF needed): the place stage's findings (overset, characters no font can set,
missing photos, frames awaiting copy, ...), each located on its page with a box; text under
6 pt; rules under 0.25 pt; style colours over the ink limit or in rich black where black must
be K only; photos too coarse at their printed size, converted or clipped (from the emitter's
log). Geometry (geometry_findings): every glyph, rule, frame and photo inside the trim and
the type area, text inside its own module, no two modules on the same cells, nothing drawn on
top of anything else; each fault an error with its page, box and place in mm.

PDF (read back with the small stdlib reader of ``layout.check.pdfread``; the tests cross-check
it with pypdf): the PDF/X identification (version, Info keys, output intent, Trapped, dates,
/ID), page boxes (MediaBox ⊇ BleedBox ⊇ TrimBox, trim and bleed as the style says), fonts
embedded, images in DeviceGray or DeviceCMYK with every pixel within the ink limit, no RGB
colour space or operator (in the page and in every form it draws, e.g. a PDF ad), no transparency, no annotations, and black text and strokes in K
only with overprint. A PDF the reader refuses (e.g. a PDF 1.5 cross-reference stream) is one
`pdf-unreadable` error: the file was not checked.

Boxes are (x, y, w, h) in pt from the trim's top-left corner, y down: the place stage's
coordinates, so a viewer can highlight a finding on its page.
"""
from __future__ import annotations

import json
import operator
import re
from collections import defaultdict
from pathlib import Path

import msgspec

from ..compose.charclass import CL, CM, DV, FS, MD, OP, classify
from ..place.model import Box as LBox, Finding, LaidOutIssue, PhotoFrame, PlacedModule, Rule, TextLine, VerticalText
from ..atomic import write_atomic
from ..fonts.fontset import IGNORABLE

SEVERITIES = ("error", "warning", "info")
MIN_TEXT_PT = 6.0
MIN_RULE_PT = 0.25

BoxT = tuple[float, float, float, float]


class PreflightFinding(msgspec.Struct, frozen=True):
    severity: str                # error | warning | info
    code: str
    message: str
    page: int | None = None
    box: BoxT | None = None      # x, y, w, h in pt, trim coordinates (y down)
    where: str = ""
    stage: str = "layout"        # layout | colour | photo | pdf

    def as_dict(self) -> dict:
        return {
            "severity": self.severity, "code": self.code, "page": self.page,
            "box": None if self.box is None else dict(zip("xywh", (round(v, 2) for v in self.box))),
            "message": self.message, "where": self.where, "stage": self.stage,
        }


class PreflightResult(msgspec.Struct, frozen=True):
    findings: tuple[PreflightFinding, ...]
    pdf: Path | None = None
    issue: int | None = None
    standard: str = ""
    output_intent: str = ""
    tac_limit: float = 240.0
    images: tuple = ()
    checks: tuple[str, ...] = ()

    def _of(self, sev: str) -> tuple[PreflightFinding, ...]:
        return tuple(f for f in self.findings if f.severity == sev)

    @property
    def errors(self) -> tuple[PreflightFinding, ...]:
        return self._of("error")

    @property
    def warnings(self) -> tuple[PreflightFinding, ...]:
        return self._of("warning")

    @property
    def infos(self) -> tuple[PreflightFinding, ...]:
        return self._of("info")

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {
            "issue": self.issue,
            "pdf": self.pdf.name if self.pdf else None,
            "standard": self.standard,
            "output_intent": self.output_intent,
            "tac_limit": self.tac_limit,
            "coordinates": "pt from the trim's top-left corner, y down",
            "summary": {"errors": len(self.errors), "warnings": len(self.warnings), "info": len(self.infos)},
            "checks": list(self.checks),
            "findings": [f.as_dict() for f in self.findings],
            "images": [r.as_dict() for r in self.images],
        }


# --------------------------------------------------------------------------- geometry

def _union(boxes) -> BoxT | None:
    boxes = [b for b in boxes if b is not None]
    if not boxes:
        return None
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[0] + b[2] for b in boxes)
    y1 = max(b[1] + b[3] for b in boxes)
    return (x0, y0, x1 - x0, y1 - y0)


def page_grid(grid, page):
    """The grid of a placed page: the style's, its type area moved where a spread's 中缝 moves it."""
    left = getattr(page, "grid_left", None)
    return grid if left is None else msgspec.structs.replace(grid, left=left)


def module_box(m: PlacedModule, grid, page=None) -> BoxT:
    """A module's rectangle on its page (`page` given: on that page's grid, and a part of a
    module across a spread's fold running on to the fold, which is that page's trim edge)."""
    c = m.cell
    if page is not None:
        grid = page_grid(grid, page)
    x, w = m.x_width(grid)
    if page is not None and m.across_fold and page.spread:
        if page.number == page.spread[0]:
            w = page.width - x
        else:
            w, x = x + w, 0.0
    return (x, grid.line_top(c.line), w, c.lines * grid.pitch)


def type_area(grid, page) -> BoxT:
    """The type area of a placed page; on a spread it runs on to the fold (the two pages' type
    areas and the 中缝 between them are one)."""
    grid = page_grid(grid, page)
    x, w = grid.left, grid.width
    if getattr(page, "spread", None):
        if page.number == page.spread[0]:
            w = page.width - x
        else:
            w, x = x + w, 0.0
    return (x, grid.top, w, grid.height)


def line_box(ln: TextLine) -> BoxT:
    if not ln.glyphs:
        return (ln.x, ln.baseline, 0.0, 0.0)
    g0, g1 = ln.glyphs[0], ln.glyphs[-1]
    size = max(g.size for g in ln.glyphs)
    return (ln.x + g0.x, ln.baseline - 0.88 * size, g1.x + g1.advance - g0.x, size)


def glyph_box(ln: TextLine, g) -> BoxT:
    """The room a set glyph takes on the page: its advance from its drawing origin, but for an
    opening bracket set narrower than its em, whose blank half is cut at its left (a line's
    first mark, 行首 half width): its origin stands that much left of the room it takes, its ink
    in the em's right part (a wrapped line's first “ beside a photo is clear of its gap)."""
    width = g.advance or g.size
    x = ln.x + g.x
    if width < g.size - 1e-6 and classify(g.ch) == OP:
        x += g.size - width
    return (x, ln.baseline - 0.88 * g.size, width, g.size)


def rule_box(r: Rule) -> BoxT:
    x0, x1 = sorted((r.x0, r.x1))
    y0, y1 = sorted((r.y0, r.y1))
    return (x0 - r.width / 2 if x0 == x1 else x0, y0 - r.width / 2 if y0 == y1 else y0,
            max(x1 - x0, r.width), max(y1 - y0, r.width))


def line_text(ln: TextLine) -> str:
    return "".join(g.ch for g in ln.glyphs)


# --------------------------------------------------------------------------- layout

_STORY = re.compile(r"^story ([^,\s]+)")
_CP = re.compile(r"U\+([0-9A-Fa-f]{4,6})")


def _locate(findings: tuple[Finding, ...], laid: LaidOutIssue, grid, fonts) -> list[PreflightFinding]:
    pages = {p.number: p for p in laid.pages}
    module_page: dict[str, tuple[int, PlacedModule]] = {}
    for p in laid.pages:
        for m in p.modules:
            if not m.fold_part:      # a module across a fold is found on its left-hand page
                module_page.setdefault(m.owner, (p.number, m))
    qr_frames = [(p.number, it) for p in laid.pages for it in p.items
                 if isinstance(it, PhotoFrame) and it.owner == "masthead"]
    qr_i = 0
    out = []
    for f in findings:
        if f.code == "missing-glyph" and fonts is not None:
            continue            # located on the pages instead: see _missing_glyphs
        page, box = f.page, None
        sm = _STORY.match(f.where or "")
        owner = sm.group(1) if sm else None
        if f.code == "awaiting-copy" and page in pages:
            res = [m for m in pages[page].modules if m.reserved]
            hit = [m for m in res if m.cell.label() == f.where] or res
            if hit:
                box = module_box(hit[0], grid, pages[page])
        elif f.code == "missing-qr":
            if qr_i < len(qr_frames):
                page, fr = qr_frames[qr_i]
                box = (fr.x, fr.y, fr.w, fr.h)
            qr_i += 1
        elif f.code in ("lunar-date", "weekday") and page in pages:
            key = "农历" if f.code == "lunar-date" else "星期"
            box = _union(line_box(ln) for ln in pages[page].items
                         if isinstance(ln, TextLine) and ln.owner == "masthead" and key in line_text(ln))
        elif f.code in ("missing-editor", "missing-licence", "missing-imprint") and page in pages:
            # where the missing line would stand: the imprint if some of it is printed, else the
            # page's header (the masthead on page 1), which carries the editors' and licence lines
            head = "masthead" if page == 1 else f"header-{page}"
            lines = [ln for ln in pages[page].items if isinstance(ln, TextLine)]
            box = (_union(line_box(ln) for ln in lines if ln.owner == f"imprint-{page}")
                   if f.code == "missing-imprint" else None) or \
                _union(line_box(ln) for ln in lines if ln.owner == head)
        elif owner is not None:
            if page is None and owner in module_page:
                page = module_page[owner][0]
            if (f.where or "").endswith("photo") and page in pages:
                fr = [it for it in pages[page].items if isinstance(it, PhotoFrame) and it.owner == owner]
                if fr:
                    box = (fr[0].x, fr[0].y, fr[0].w, fr[0].h)
            if box is None and owner in module_page:
                box = module_box(module_page[owner][1], grid, pages.get(module_page[owner][0]))
        out.append(PreflightFinding(f.severity, f.code, f.message, page, box, f.where, "layout"))
    return out


_INVISIBLE = {" ", "\u3000", "\u00a0"}
_SIZE = operator.attrgetter("size")


def _missing_glyphs(findings: tuple[Finding, ...], laid: LaidOutIssue, fonts) -> list[PreflightFinding]:
    """One error for each place where a character no face could set stands (left blank), grouped
    by page, owner and character; and one for each such character that is on no page.

    The fonts stage records a character each time it is composed (headline fitting tries several
    sizes), so its findings are not counted: the pages are."""
    roles: dict[str, str] = {}
    for f in findings:
        if f.code == "missing-glyph":
            cm = _CP.search(f.message)
            rm = re.search(r"the '([^']+)' chain", f.message)
            if cm:
                roles.setdefault(chr(int(cm.group(1), 16)), rm.group(1) if rm else "")
    groups: dict[tuple[int, str, str, str], list[BoxT]] = {}
    good: dict[str, set[str]] = {}         # face -> characters it sets (or that need no glyph)
    for p in laid.pages:
        for ln in p.items:
            if not isinstance(ln, TextLine):
                continue
            glyphs = ln.glyphs
            face = glyphs[0].font if glyphs else None
            if all(g.font == face for g in glyphs):
                # the commonest line, one face: each character looked up once a face, and a line
                # with none missing passed over whole (measured: the per-glyph test was half
                # of this check on 100 pages)
                known = good.get(face)
                if known is None:
                    known = good[face] = set()
                new = {g.ch for g in glyphs}.difference(known)
                if new:
                    cmap = fonts.faces[face].cmap
                    known.update(ch for ch in new if ch in _INVISIBLE or ch in IGNORABLE or ord(ch) in cmap)
                if known.issuperset(new):
                    continue
            for g in glyphs:
                if g.ch in _INVISIBLE or g.ch in IGNORABLE or ord(g.ch) in fonts.faces[g.font].cmap:
                    continue
                groups.setdefault((p.number, ln.owner, ln.role, g.ch), []).append(glyph_box(ln, g))
    out = []
    placed = set()
    for (page, owner, role, ch), boxes in groups.items():
        placed.add(ch)
        chain = roles.get(ch)
        chain_txt = f"the '{chain}' chain" if chain else "the fallback chain"
        n = f"{len(boxes)} times " if len(boxes) > 1 else ""
        out.append(PreflightFinding(
            "error", "missing-glyph",
            f"no font in {chain_txt} can set {ch!r} (U+{ord(ch):04X}): left blank {n}in {owner} ({role})",
            page, _union(boxes), owner, "layout"))
    for ch, chain in roles.items():
        if ch not in placed:
            out.append(PreflightFinding(
                "error", "missing-glyph",
                f"no font in the '{chain}' chain can set {ch!r} (U+{ord(ch):04X}) (in copy not on any page)",
                None, None, "", "layout"))
    return out


def layout_findings(laid: LaidOutIssue, style, fonts=None) -> list[PreflightFinding]:
    """Place findings located on their pages, plus text under 6 pt and rules under 0.25 pt."""
    grid = style.grid
    out = _locate(laid.findings, laid, grid, fonts)
    if fonts is not None:
        out += _missing_glyphs(laid.findings, laid, fonts)
    out += geometry_findings(laid, style)
    out += vertical_findings(laid)
    out += wrap_findings(laid)
    for p in laid.pages:
        small: dict[tuple[str, str, float], list[BoxT]] = defaultdict(list)
        thin: dict[float, list[BoxT]] = defaultdict(list)
        for it in p.items:
            if isinstance(it, TextLine) and it.glyphs:
                size = min(g.size for g in it.glyphs)
                if size < MIN_TEXT_PT - 1e-6:
                    small[(it.owner, it.role, round(size, 2))].append(line_box(it))
            elif isinstance(it, Rule) and it.width < MIN_RULE_PT - 1e-6:
                thin[round(it.width, 3)].append(rule_box(it))
            elif isinstance(it, LBox) and it.stroke and it.width < MIN_RULE_PT - 1e-6:
                thin[round(it.width, 3)].append((it.x, it.y, it.w, it.h))
        for (owner, role, size), boxes in small.items():
            out.append(PreflightFinding(
                "warning", "small-text",
                f"{len(boxes)} line(s) of {role} text ({owner}) set at {size:g} pt, under {MIN_TEXT_PT:g} pt",
                p.number, _union(boxes), owner, "layout"))
        for width, boxes in thin.items():
            out.append(PreflightFinding(
                "warning" if width > 0 else "error", "thin-rule",
                f"{len(boxes)} rule(s) or frame(s) {width:g} pt wide, under {MIN_RULE_PT:g} pt "
                "(may not print on newsprint)", p.number, _union(boxes), "", "layout"))
    return out


# --------------------------------------------------------------------------- geometry on the page

#: Slack for rounding: an element may stand this far past an edge or into a neighbour (pt).
GEOMETRY_SLACK = 0.3
_FURNITURE = ("masthead", "teaser")


def _mm(v: float) -> str:
    return f"{v / 72 * 25.4:.1f}"


def _place(box: BoxT) -> str:
    """Where a box stands, in mm from the trim's top-left corner (as a make-up editor measures)."""
    x, y, w, h = box
    return f"at x {_mm(x)}-{_mm(x + w)} mm, y {_mm(y)}-{_mm(y + h)} mm"


def _inside(inner: BoxT, outer: BoxT, slack: float = GEOMETRY_SLACK, right: float = 0.0) -> bool:
    return (inner[0] >= outer[0] - slack and inner[1] >= outer[1] - slack
            and inner[0] + inner[2] <= outer[0] + outer[2] + slack + right
            and inner[1] + inner[3] <= outer[1] + outer[3] + slack)


def _meet(a: BoxT, b: BoxT, slack: float = GEOMETRY_SLACK) -> bool:
    """The two boxes share more than the slack in both directions."""
    return (min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]) > slack
            and min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]) > slack)


def ink_box(ln: TextLine, g) -> BoxT:
    """The part of a glyph's em box its ink is in: full-width brackets and stops fill one half
    (an opening bracket the right half, a closing mark the left), a middle dot the centre; so a
    line-start bracket set into the measure's edge (its blank half outside) is no fault."""
    x, y, w, size = ln.x + g.x, ln.baseline - 0.88 * g.size, g.advance or g.size, g.size
    cls = classify(g.ch)
    if cls == OP:
        return (x + size / 2, y, size / 2, size)
    if cls in (CL, FS, CM, DV):
        return (x, y, size / 2, size)
    if cls == MD:
        return (x + size / 4, y, size / 2, size)
    return (x, y, w, size)


def ink_extent(ln: TextLine) -> BoxT | None:
    """The box of a line's ink. Glyphs advance left to right and a mark's blank half never
    reaches past its neighbour, so the first visible glyph's ink starts the line and the last's
    ends it; the height is the largest glyph's em. None if nothing shows."""
    first = next((g for g in ln.glyphs if g.ch not in _INVISIBLE), None)
    if first is None:
        return None
    last = next(g for g in reversed(ln.glyphs) if g.ch not in _INVISIBLE)
    a, b = ink_box(ln, first), ink_box(ln, last)
    size = max(map(_SIZE, ln.glyphs))
    x0, x1 = min(a[0], b[0]), max(a[0] + a[2], b[0] + b[2])
    return (x0, ln.baseline - 0.88 * size, x1 - x0, size)


def _module_of(owner: str) -> str:
    """The module a text line belongs to: continuation lines (`jump:<story>`) are the story's."""
    return owner[5:] if owner.startswith("jump:") else owner


class _Drawn(msgspec.Struct, frozen=True):
    box: BoxT
    kind: str            # text | rule | photo | solid (a filled box) | frame (a stroked box)
    owner: str           # story id, reserved:<title>, or furniture (masthead, teaser, header-N); "" unknown
    bleed: bool = False


def drawn_elements(page) -> list[_Drawn]:
    """Every item of a placed page as a box with its kind and owner."""
    out = []
    for it in page.items:
        bleed = bool(getattr(it, "bleed", False))
        if isinstance(it, TextLine):
            box = ink_extent(it)
            if box is not None:
                out.append(_Drawn(box, "text", _module_of(it.owner), bleed))
        elif isinstance(it, Rule):
            out.append(_Drawn(rule_box(it), "rule", "", bleed))
        elif isinstance(it, PhotoFrame):     # (a photo across a spread's fold: the part on this page)
            out.append(_Drawn(it.clip or (it.x, it.y, it.w, it.h), "photo", it.owner, bleed))
        elif isinstance(it, LBox):
            # a frame by its path: the half of its stroke outside an edge it stands on is no fault
            out.append(_Drawn((it.x, it.y, it.w, it.h), "frame" if it.stroke else "solid", "", bleed))
    return out


def _clash(a: _Drawn, b: _Drawn) -> str | None:
    """What is wrong when two drawn elements meet, or None when they may (a rule meeting a rule,
    text inside a frame, a QR code's runs side by side)."""
    kinds = {a.kind, b.kind}
    if kinds <= {"rule", "frame", "solid"} and kinds != {"solid", "frame"}:
        return None
    if "frame" in kinds:
        frame, other = (a, b) if a.kind == "frame" else (b, a)
        if other.kind == "rule" or other.kind == "solid" and _inside(other.box, frame.box):
            return None
        if _inside(other.box, frame.box, -GEOMETRY_SLACK):
            return None                                   # text or a photo inside a frame
        return f"{other.kind} crosses the edge of a frame"
    if kinds == {"solid"}:
        return None
    return " and ".join(sorted((a.kind, b.kind))) + " overlap"


def geometry_findings(laid: LaidOutIssue, style) -> list[PreflightFinding]:
    """Where everything is drawn, page by page: every glyph, rule, frame and photo inside the
    trim (an element marked as bleeding may reach the bleed's edge), inside the type area, text
    inside its own module (story, continuation, reserved frame) or, for furniture, outside every
    module; no two modules on the same grid cells; no two drawn elements on top of each other
    (text on text, on a rule, on a photo or a QR code, across a frame's edge). Each fault is an
    error with its page, its box and its place in mm, grouped by what and whose."""
    grid = style.grid
    bleed = style.page.bleed
    hang = grid.em if style.composition.hanging else 0.0      # 行末悬挂 stands past the measure
    out: list[PreflightFinding] = []
    for p in laid.pages:
        trim = (0.0, 0.0, p.width, p.height)
        area = type_area(grid, p)
        modules = {m.owner: module_box(m, grid, p) for m in p.modules}
        groups: dict[tuple[str, str], list[BoxT]] = defaultdict(list)
        elements = drawn_elements(p)
        for e in elements:
            who = e.owner or e.kind
            if e.bleed:
                if not _inside(e.box, (-bleed, -bleed, p.width + 2 * bleed, p.height + 2 * bleed)):
                    groups[("outside-bleed", who)].append(e.box)
                continue
            if not _inside(e.box, trim):
                groups[("outside-trim", who)].append(e.box)
            elif not _inside(e.box, area, right=hang):
                groups[("outside-type-area", who)].append(e.box)
            if e.owner in modules:          # a story's or reserved frame's text and photos
                if not _inside(e.box, modules[e.owner], right=hang if e.kind == "text" else 0.0):
                    groups[("outside-module", who)].append(e.box)
            elif e.owner:                     # furniture: masthead, teaser, page header
                for owner, mb in modules.items():
                    if _meet(e.box, mb):
                        groups[("furniture-in-module", f"{who} in {owner}")].append(e.box)
        mods = list(p.modules)
        for i, a in enumerate(mods):
            for b in mods[i + 1:]:
                if a.cell.overlaps(b.cell):
                    groups[("module-overlap", f"{a.owner} and {b.owner}")].append(
                        _union([module_box(a, grid, p), module_box(b, grid, p)]))
        # a sweep down the page: only elements whose vertical extents meet are compared
        elements.sort(key=lambda e: e.box[1])
        active: list[_Drawn] = []
        for e in elements:
            top = e.box[1]
            active = [a for a in active if a.box[1] + a.box[3] > top + GEOMETRY_SLACK]
            for a in active:
                if _meet(a.box, e.box):
                    what = _clash(a, e)
                    if what:
                        names = " / ".join(sorted({a.owner or a.kind, e.owner or e.kind}))
                        groups[("overlap", f"{what} ({names})")].append(_union([a.box, e.box]))
            active.append(e)
        for (code, who), boxes in groups.items():
            box = _union(boxes)
            n = f"{len(boxes)} elements" if len(boxes) > 1 else "an element"
            text = {
                "outside-trim": f"{n} of {who} drawn outside the trim ({_mm(p.width)} x {_mm(p.height)} mm)",
                "outside-bleed": f"{n} of {who} drawn beyond the bleed",
                "outside-type-area": f"{n} of {who} drawn outside the type area",
                "outside-module": f"{n} of {who} drawn outside its module",
                "furniture-in-module": f"furniture text drawn on a module: {who}",
                "module-overlap": f"modules overlap: {who}",
                "overlap": f"drawn elements on top of each other: {who}, {len(boxes)} place(s)",
            }[code]
            out.append(PreflightFinding("error", "geometry-" + code if code != "overlap" else "geometry-overlap",
                                        f"page {p.number}: {text}, {_place(box)}", p.number, box, who, "layout"))
    return out


def vertical_findings(laid: LaidOutIssue) -> list[PreflightFinding]:
    """A vertical headline's mark that should have a vertical form the face lacks (set turned
    or moved instead: compose/vertical.py): a warning per character and face, with its box."""
    out = []
    for p in laid.pages:
        seen: dict[tuple[str, str, str], list[BoxT]] = defaultdict(list)
        for it in p.items:
            if isinstance(it, VerticalText):
                for g in it.glyphs:
                    if g.missing_vert and g.chars:
                        box = (it.x - g.size / 2, it.y + g.y - (0.88 * g.size if g.rotation == 0 else 0.0),
                               g.size, g.size)
                        seen[(it.owner, g.chars, g.font)].append(box)
        for (owner, chars, font), boxes in seen.items():
            cps = " ".join(f"U+{ord(ch):04X}" for ch in chars)
            out.append(PreflightFinding(
                "warning", "missing-vertical-form",
                f"vertical headline of '{owner}': {font} has no vertical form for '{chars}' ({cps}); "
                f"set {len(boxes)} time(s) as the horizontal glyph turned or moved", p.number, _union(boxes),
                f"story {owner}", "layout"))
    return out


def wrap_findings(laid: LaidOutIssue) -> list[PreflightFinding]:
    """A photo wrapped in text (issue 19): no glyph but its own caption's may stand in its
    rectangle or the gap around it (PhotoFrame.clear); an error per photo, with the boxes."""
    out = []
    for p in laid.pages:
        for fr in p.items:
            if not isinstance(fr, PhotoFrame) or fr.clear is None:
                continue
            cx, cy, cw, ch = fr.clear
            caption_bottom = cy + ch
            hits = []
            for ln in p.items:
                if not isinstance(ln, TextLine) or (ln.owner == fr.owner and ln.role == "caption"
                                                    and fr.x - 0.01 <= ln.x and ln.baseline <= caption_bottom):
                    continue
                for g in ln.glyphs:
                    x, y, w, h = glyph_box(ln, g)
                    if x + w > cx + GEOMETRY_SLACK and x < cx + cw - GEOMETRY_SLACK \
                            and y + h > cy + GEOMETRY_SLACK and y < cy + ch - GEOMETRY_SLACK:
                        hits.append((x, y, w, h))
            if hits:
                out.append(PreflightFinding(
                    "error", "wrap-clear", f"photo of '{fr.owner}' wrapped in its text: {len(hits)} glyph(s) "
                    f"inside its rectangle or the gap around it", p.number, _union(hits + [fr.clear]),
                    f"story {fr.owner}, photo", "layout"))
    return out


# --------------------------------------------------------------------------- colours

def colour_findings(style, laid: LaidOutIssue, limit: float, used: dict | None = None) -> list[PreflightFinding]:
    from ..emit.pdf import clip_tac, is_black

    if used is None:
        used = defaultdict(set)
        for p in laid.pages:
            for it in p.items:
                if isinstance(it, TextLine):
                    used[it.color].add("text")
                elif isinstance(it, Rule):
                    used[it.color].add("stroke")
                elif isinstance(it, LBox):
                    if it.fill:
                        used[it.fill].add("fill")
                    if it.stroke:
                        used[it.stroke].add("stroke")
    out = []
    for name, c in style.colors.items():
        uses = sorted(used.get(name, ()))
        how = f"used for {', '.join(uses)}" if uses else "not used in this issue"
        vals = f"C{c.c:g} M{c.m:g} Y{c.y:g} K{c.k:g}"
        if c.total > limit + 1e-9:
            cc = clip_tac(c, limit)
            out.append(PreflightFinding(
                "warning" if uses else "info", "colour-tac",
                f"colour '{name}' ({vals}) covers {c.total:g}%, over the {limit:g}% limit ({how}); "
                f"printed as C{cc.c:g} M{cc.m:g} Y{cc.y:g} K{cc.k:g}", None, None, f"style colors.{name}", "colour"))
        if is_black(c) and (c.c or c.m or c.y):
            bad = [u for u in uses if u in ("text", "stroke")]
            if bad:
                out.append(PreflightFinding(
                    "warning", "rich-black",
                    f"colour '{name}' ({vals}) is a four-colour black; {' and '.join(bad)} in it "
                    "are set in K only", None, None, f"style colors.{name}", "colour"))
        if name == "black" and (c.c or c.m or c.y or c.k < 100):
            out.append(PreflightFinding(
                "warning", "black-not-k", f"colour 'black' is {vals}; black for print should be K 100 only",
                None, None, "style colors.black", "colour"))
    return out


# --------------------------------------------------------------------------- photos

def photo_findings(images) -> list[PreflightFinding]:
    from ..emit.images import ERROR_PPI, WARN_PPI

    out = []
    for r in images:
        box = r.frame
        name = Path(r.path).name
        if r.error:
            out.append(PreflightFinding("error", "photo-unreadable",
                                        f"photo '{name}' of '{r.owner}' cannot be read ({r.error}); "
                                        "a marked placeholder stands in", r.page, box, r.path, "photo"))
            continue
        if r.ppi < ERROR_PPI:
            sev = "error"
        elif r.ppi < WARN_PPI:
            sev = "warning"
        else:
            sev = None
        if sev:
            out.append(PreflightFinding(
                sev, "photo-resolution",
                f"photo '{name}' of '{r.owner}': {r.ppi:.0f} ppi at its printed size "
                f"({r.crop[2] - r.crop[0]}x{r.crop[3] - r.crop[1]} px over {r.frame[2] / 72 * 25.4:.0f}x"
                f"{r.frame[3] / 72 * 25.4:.0f} mm); at least {WARN_PPI:.0f} ppi wanted",
                r.page, box, r.path, "photo"))
        if r.conversion:
            out.append(PreflightFinding("info", "photo-converted",
                                        f"photo '{name}' converted {r.conversion} for print", r.page, box,
                                        r.path, "photo"))
        if r.resampled:
            out.append(PreflightFinding("info", "photo-downsampled",
                                        f"photo '{name}' resampled from {r.ppi:.0f} to {r.output_ppi:.0f} ppi",
                                        r.page, box, r.path, "photo"))
        if r.tac_clipped > 0:
            sev = "warning" if r.source_mode == "CMYK" else "info"
            out.append(PreflightFinding(
                sev, "photo-tac",
                f"photo '{name}': {r.tac_clipped * 100:.1f}% of its pixels covered up to {r.tac_source_max:.0f}%, "
                f"over the {r.tac_limit:g}% limit; clipped to {r.tac_max:.0f}%", r.page, box, r.path, "photo"))
    return out


# --------------------------------------------------------------------------- the PDF

_TEXT_SHOW = {b"Tj", b"TJ", b"'", b'"'}
_STROKE_PAINT = {b"S", b"s", b"B", b"B*", b"b", b"b*"}
_OPERANDS_READ = frozenset((b"k", b"K", b"rg", b"RG", b"g", b"G", b"cs", b"CS", b"gs"))   # by _content


def _str(v) -> str:
    """A PDF value as text: a string (bytes as read) decoded, anything else through str()."""
    if isinstance(v, bytes):
        from .pdfread import text

        return text(v)
    return str(v)


def _truth(v) -> bool:
    """A PDF boolean (an integer or anything else is taken by its truth value)."""
    return bool(getattr(v, "value", v))


class _PdfCheck:
    """The PDF checks, on the file as written, read back with the small reader of
    :mod:`layout.check.pdfread` (the standard library only; pypdf is for the tests)."""

    def __init__(self, path: Path, style, settings, limit: float):
        self.path = path
        self.style = style
        self.settings = settings
        self.limit = limit
        self.out: list[PreflightFinding] = []
        self.margin = 0.0

    def add(self, sev: str, code: str, msg: str, page: int | None = None, box: BoxT | None = None,
            where: str = "") -> None:
        self.out.append(PreflightFinding(sev, code, msg, page, box, where, "pdf"))

    def get(self, d, key: str, default=None):
        """d[key] with an indirect reference followed (default if absent)."""
        return self.doc.resolve(d.get(key, default))

    def run(self) -> list[PreflightFinding]:
        from ..emit.pdf import PDF_VERSION, PDFX_CONFORMANCE, PDFX_VERSION
        from .pdfread import PdfFile

        std = self.settings.standard
        raw = self.path.read_bytes()
        want = "%%PDF-%d.%d" % PDF_VERSION[std]
        if not raw.startswith(want.encode("ascii")):
            self.add("error", "pdf-version", f"file header is {raw[:8]!r}, {want} expected for {std}")
        self.doc = doc = PdfFile(raw)
        R, get = doc.resolve, self.get
        if doc.encrypted:
            self.add("error", "pdf-encrypted", "the file is encrypted (not allowed in PDF/X)")
            return self.out
        info = {}
        for k, v in doc.info.items():
            v = R(v)
            info[k] = _str(v) if isinstance(v, bytes) else v        # text strings as str, names as they are
        if info.get("/GTS_PDFXVersion") != PDFX_VERSION[std]:
            self.add("error", "pdfx-version", f"Info /GTS_PDFXVersion is {info.get('/GTS_PDFXVersion')!r}, "
                                              f"{PDFX_VERSION[std]!r} expected")
        if std in PDFX_CONFORMANCE and info.get("/GTS_PDFXConformance") != PDFX_CONFORMANCE[std]:
            self.add("error", "pdfx-conformance", f"Info /GTS_PDFXConformance is "
                                                  f"{info.get('/GTS_PDFXConformance')!r}")
        if not _str(info.get("/Title", "")).strip():
            self.add("error", "pdfx-title", "Info has no /Title")
        if info.get("/Trapped") not in ("/True", "/False"):
            self.add("error", "pdfx-trapped", f"Info /Trapped is {info.get('/Trapped')!r}, /True or /False expected")
        for k in ("/CreationDate", "/ModDate"):
            if not re.match(r"^D:\d{14}", str(info.get(k, ""))):
                self.add("error", "pdfx-dates", f"Info {k} missing or malformed")
        ids = get(doc.trailer, "/ID")
        if not ids or len(ids) != 2:
            self.add("error", "pdfx-id", "the trailer has no document /ID")
        root = doc.root
        intents = get(root, "/OutputIntents")
        gts = [oi for oi in map(R, intents or []) if oi.get("/S") == "/GTS_PDFX"]
        if len(gts) != 1:
            self.add("error", "pdfx-output-intent", f"{len(gts)} GTS_PDFX output intents; exactly one expected")
        else:
            oi = gts[0]
            if not _str(get(oi, "/OutputConditionIdentifier", "")).strip():
                self.add("error", "pdfx-output-intent", "output intent without /OutputConditionIdentifier")
            prof = get(oi, "/DestOutputProfile")
            if std == "x4" and prof is None:
                self.add("error", "pdfx-output-intent", "PDF/X-4 needs a /DestOutputProfile")
            if prof is None and not get(oi, "/RegistryName"):
                self.add("error", "pdfx-output-intent",
                         "no /DestOutputProfile and no /RegistryName for a registered condition")
            if prof is not None and int(get(prof, "/N", 0)) != 4:
                self.add("error", "pdfx-output-intent", "the output profile is not CMYK")
        if std == "x4" and "/Metadata" not in root:
            self.add("error", "pdfx-metadata", "PDF/X-4 needs XMP metadata in the catalog")
        for k in ("/AcroForm", "/JavaScript"):
            if k in root:
                self.add("error", "pdf-forbidden", f"catalog has {k}")

        geo = self.style.page
        for n, page in enumerate(doc.pages(), start=1):
            self._page(n, page, geo)
        return self.out

    # -- one page ------------------------------------------------------
    def _page(self, n: int, page, geo) -> None:
        from .pdfread import content_ops

        R = self.doc.resolve

        def box(key):
            v = R(page.get(key))
            return None if v is None else tuple(float(R(x)) for x in v)

        media, bleed, trim = box("/MediaBox"), box("/BleedBox"), box("/TrimBox")
        if trim is None:
            self.add("error", "pdf-boxes", "page has no /TrimBox", n)
            trim = box("/ArtBox") or media
        bleed = bleed or box("/CropBox") or media
        eps = 0.01
        if not (media[0] <= bleed[0] + eps and media[1] <= bleed[1] + eps and bleed[2] <= media[2] + eps
                and bleed[3] <= media[3] + eps):
            self.add("error", "pdf-boxes", f"BleedBox {bleed} is not inside the MediaBox {media}", n)
        if not (bleed[0] <= trim[0] + eps and bleed[1] <= trim[1] + eps and trim[2] <= bleed[2] + eps
                and trim[3] <= bleed[3] + eps):
            self.add("error", "pdf-boxes", f"TrimBox {trim} is not inside the BleedBox {bleed}", n)
        tw, th = trim[2] - trim[0], trim[3] - trim[1]
        if abs(tw - geo.width) > 0.05 or abs(th - geo.height) > 0.05:
            self.add("error", "pdf-boxes", f"trim is {tw:.2f} x {th:.2f} pt, the style says "
                                           f"{geo.width:.2f} x {geo.height:.2f}", n)
        for i, side in enumerate((trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3])):
            if abs(side - geo.bleed) > 0.05:
                self.add("error", "pdf-boxes", f"bleed is {side:.2f} pt on one side, the style says "
                                               f"{geo.bleed:.2f}", n)
                break
        if (trim[0] - media[0]) < geo.bleed + 2.0 or (trim[1] - media[1]) < geo.bleed + 2.0:
            self.add("warning", "pdf-boxes", "no room for marks outside the bleed", n)
        self.trim = trim
        if R(page.get("/Annots")):
            self.add("error", "pdf-annotations", "page has annotations", n)
        res = R(page.get("/Resources"))
        res = res if res is not None else {}
        self._resources(n, res, set())
        try:
            ops = list(content_ops(self.doc.contents(page), _OPERANDS_READ))
        except Exception as e:
            self.add("error", "pdf-content", f"content stream unreadable: {e}", n)
            return
        self._content(n, ops, res)

    def _resources(self, n: int, res, seen: set) -> None:
        from .pdfread import content_ops

        R, get = self.doc.resolve, self.get
        fonts = get(res, "/Font")
        for name, ref in (fonts.items() if fonts is not None else ()):
            f = R(ref)
            if id(f) in seen:
                continue
            seen.add(id(f))
            base = str(get(f, "/BaseFont", name))
            targets = [R(d) for d in get(f, "/DescendantFonts", [])] if f.get("/Subtype") == "/Type0" else [f]
            for t in targets:
                fd = get(t, "/FontDescriptor")
                fd = fd if fd is not None else {}
                if not any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    self.add("error", "font-not-embedded", f"font {base} is not embedded", n)
        css = get(res, "/ColorSpace")
        for name, ref in (css.items() if css is not None else ()):
            self._colorspace(n, R(ref), f"colour space {name}")
        gss = get(res, "/ExtGState")
        for name, ref in (gss.items() if gss is not None else ()):
            gs = R(ref)
            if any(float(get(gs, k, 1)) < 1 for k in ("/CA", "/ca")) or get(gs, "/SMask", "/None") != "/None" \
                    or get(gs, "/BM", "/Normal") not in ("/Normal", "/Compatible"):
                self.add("error", "transparency", f"ExtGState {name} uses transparency", n)
            if "/TR" in gs or ("/TR2" in gs and get(gs, "/TR2") != "/Default"):
                self.add("error", "pdf-forbidden", f"ExtGState {name} sets a transfer function", n)
        xo = get(res, "/XObject")
        for name, ref in (xo.items() if xo is not None else ()):
            x = R(ref)
            if id(x) in seen:
                continue
            seen.add(id(x))
            if x.get("/Subtype") == "/Image":
                self._image(n, name, x)
            elif x.get("/Subtype") == "/Form":
                if "/Group" in x:
                    self.add("error", "transparency", f"form {name} has a transparency group", n)
                fres = get(x, "/Resources") or {}
                self._resources(n, fres, seen)
                try:             # a form is a supplied PDF (an ad): its colour and ink too, not its black
                    self._content(n, list(content_ops(x.data, _OPERANDS_READ)), fres, house=False)
                except Exception as e:
                    self.add("error", "pdf-content", f"form {name}: content stream unreadable: {e}", n)

    def _colorspace(self, n: int, cs, what: str) -> None:
        R = self.doc.resolve
        if isinstance(cs, list) or hasattr(cs, "__getitem__") and not isinstance(cs, str):
            try:
                family = str(R(cs[0]))
            except Exception:
                family = str(cs)
        else:
            family = str(cs)
        if family in ("/DeviceRGB", "/CalRGB", "/RGB"):
            self.add("error", "rgb", f"{what} is {family}", n)
        elif family in ("/ICCBased",):
            icc = R(cs[1])
            if int(self.get(icc, "/N", 0)) == 3:
                self.add("error", "rgb", f"{what} is an RGB ICC colour space", n)
            elif self.settings.standard == "x1a":
                self.add("error", "pdf-forbidden", f"{what}: ICC-based colour is not allowed in PDF/X-1a", n)
        elif family in ("/Lab", "/CalGray") and self.settings.standard == "x1a":
            self.add("error", "pdf-forbidden", f"{what} is {family} (not allowed in PDF/X-1a)", n)
        elif family in ("/Separation", "/DeviceN"):
            self._colorspace(n, R(cs[2]), what + " alternate")
        elif family == "/Indexed":
            self._colorspace(n, R(cs[1]), what + " base")

    def _image(self, n: int, name: str, x) -> None:
        cs = self.get(x, "/ColorSpace")
        if self.get(x, "/ImageMask"):
            return
        self._colorspace(n, cs, f"image {name}")
        if "/SMask" in x:
            self.add("error", "transparency", f"image {name} has a soft mask", n)
        if str(cs) == "/DeviceCMYK":
            try:
                w, h = int(self.get(x, "/Width")), int(self.get(x, "/Height"))
                if int(self.get(x, "/BitsPerComponent", 8)) != 8:
                    return
                data = x.data
                if len(data) >= w * h * 4:
                    import numpy as np

                    a = np.frombuffer(data[:w * h * 4], dtype=np.uint8).reshape(-1, 4).astype(np.int32)
                    mx = float(a.sum(axis=1).max()) * 100 / 255
                    if mx > self.limit + 0.5:
                        self.add("error", "tac", f"image {name}: pixels cover up to {mx:.0f}%, over the "
                                                 f"{self.limit:g}% limit", n)
            except Exception:
                pass  # a filter the reader does not decode (DCT CMYK): the emitter's log covers our own images

    def _content(self, n: int, ops: list, res, house: bool = True) -> None:
        """Walk the operators: no RGB, ink within the limit, K-only black text/strokes overprinting
        (the last only in the engine's own content, `house`: a supplied ad's black is its own)."""
        R, get = self.doc.resolve, self.get
        gsres = get(res, "/ExtGState")
        gsres = gsres if gsres is not None else {}
        csres = get(res, "/ColorSpace")
        csres = csres if csres is not None else {}
        st = {"fill": ("g", (0.0,)), "stroke": ("g", (0.0,)), "op": False, "OP": False, "OPM": 0}
        stack = []
        issues: dict[str, int] = defaultdict(int)
        first: dict[str, str] = {}

        def flag(code: str, detail: str) -> None:
            issues[code] += 1
            first.setdefault(code, detail)

        for args, op in ops:
            if op == b"BI":
                flag("inline-image", "inline image")
            elif op == b"q":
                stack.append(dict(st))
            elif op == b"Q":
                if stack:
                    st = stack.pop()
            elif op in (b"k", b"K"):
                v = tuple(float(x) for x in args[-4:])
                if sum(v) * 100 > self.limit + 0.05:
                    flag("tac", f"{op.decode()} {' '.join(f'{x:g}' for x in v)} covers {sum(v) * 100:.0f}%")
                st["fill" if op == b"k" else "stroke"] = ("k", v)
            elif op in (b"rg", b"RG"):
                flag("rgb", f"{op.decode()} operator")
                st["fill" if op == b"rg" else "stroke"] = ("rg", tuple(float(x) for x in args[-3:]))
            elif op in (b"g", b"G"):
                st["fill" if op == b"g" else "stroke"] = ("g", (float(args[-1]),))
            elif op in (b"cs", b"CS"):
                nm = str(args[-1]) if args else ""
                if nm in ("/DeviceRGB", "/CalRGB"):
                    flag("rgb", f"{nm} set with {op.decode()}")
                if nm not in ("/DeviceGray", "/DeviceCMYK", "/DeviceRGB", "/Pattern") and nm not in csres:
                    flag("pdf-content", f"colour space {nm} not in the resources")
                st["fill" if op == b"cs" else "stroke"] = ("cs:" + nm, ())
            elif op == b"gs":
                nm = str(args[-1])[1:] if args else ""
                g = gsres.get("/" + nm)
                if g is None:
                    flag("pdf-content", f"ExtGState {nm} not in the resources")
                else:
                    g = R(g)
                    for k in ("OP", "op", "OPM"):
                        if "/" + k in g:
                            st[k] = int(get(g, "/" + k)) if k == "OPM" else _truth(get(g, "/" + k))
                    if "/OP" in g and "/op" not in g:
                        st["op"] = _truth(get(g, "/OP"))
            elif not house:
                continue
            elif op in _TEXT_SHOW:
                self._check_black(st["fill"], st["op"], st["OPM"], "text", flag)
            elif op in _STROKE_PAINT:
                self._check_black(st["stroke"], st["OP"], st["OPM"], "stroke", flag)
        sev = {"rgb": "error", "tac": "error", "rich-black-text": "error", "rich-black-stroke": "error",
               "black-no-overprint": "error", "pdf-content": "error", "inline-image": "warning"}
        for code, count in issues.items():
            self.add(sev.get(code, "error"), code, f"{count} occurrence(s) in the {'page' if house else 'form'} "
                                                   f"content; first: {first[code]}", n)

    @staticmethod
    def _check_black(color, overprint: bool, opm: int, what: str, flag) -> None:
        kind, v = color
        if kind != "k":
            return
        c, m, y, k = v
        if k >= 1 - 1e-6:
            if c or m or y:
                flag("rich-black-text" if what == "text" else "rich-black-stroke",
                     f"{what} in C{c * 100:g} M{m * 100:g} Y{y * 100:g} K100 (black must be K only)")
            elif not overprint or opm != 1:
                flag("black-no-overprint", f"black {what} knocks out (overprint with /OPM 1 expected)")


def pdf_findings(path: Path, style, settings, limit: float) -> list[PreflightFinding]:
    """The PDF checks; a file the reader cannot read (malformed, or a structure it refuses, such as
    a PDF 1.5 cross-reference stream) is itself one error finding: the file was not checked."""
    try:
        return _PdfCheck(Path(path), style, settings, limit).run()
    except Exception as e:
        return [PreflightFinding("error", "pdf-unreadable", f"the PDF cannot be read back: {type(e).__name__}: {e}",
                                 None, None, str(path), "pdf")]


# --------------------------------------------------------------------------- all together

_RANK = {s: i for i, s in enumerate(SEVERITIES)}


class StaticFindings(msgspec.Struct, frozen=True):
    """The checks that need neither the PDF nor the emitter's log (static_findings): the
    pipeline makes them while the font-subset worker works, and hands them to preflight."""
    laid: LaidOutIssue
    layout: tuple[PreflightFinding, ...]
    proofread: tuple[PreflightFinding, ...] | None      # None: the issue has no stories to read


def static_findings(issue, style, fonts, laid: LaidOutIssue) -> StaticFindings:
    layout = tuple(layout_findings(laid, style, fonts))
    proofread = None
    if getattr(issue, "stories", None) is not None:      # 校对提示: notes, never changes (check/proofread.py)
        from .proofread import proofread_findings
        proofread = tuple(proofread_findings(issue, laid, style))
    return StaticFindings(laid, layout, proofread)


def preflight(issue, style, fonts, laid: LaidOutIssue, pdf: Path | None = None, log=None,
              settings=None, static: StaticFindings | None = None) -> PreflightResult:
    """Every check, in a fixed order.  `static`: static_findings of the same pages, made
    earlier."""
    from ..emit.settings import PrintSettings
    from ..emit.textplan import STANDARD_LABEL

    if settings is None:
        settings = (log.settings if log is not None and log.settings is not None else PrintSettings())
    if static is None or static.laid is not laid:
        static = static_findings(issue, style, fonts, laid)
    limit = settings.tac_limit
    findings: list[PreflightFinding] = []
    checks = ["layout", "colours"]
    findings += static.layout
    findings += colour_findings(style, laid, limit, log.colors if log is not None and log.colors else None)
    if static.proofread is not None:
        checks.append("proofread")
        findings += static.proofread
    images = tuple(log.images) if log is not None else ()
    if log is not None:
        checks.append("photos")
        findings += photo_findings(images)
    if pdf is not None:
        checks.append("pdf")
        findings += pdf_findings(pdf, style, settings, limit)
    order = sorted(range(len(findings)),
                   key=lambda i: (_RANK.get(findings[i].severity, 9), findings[i].page or 0, i))
    return PreflightResult(findings=tuple(findings[i] for i in order), pdf=pdf,
                           issue=getattr(getattr(issue, "masthead", None), "number", None),
                           standard=STANDARD_LABEL[settings.standard],
                           output_intent=settings.output_intent.identifier, tac_limit=limit,
                           images=images, checks=tuple(checks))


#: Stand-ins the layout draws for what is not on file.  A proof shows them (the desk must
#: see what is missing); a file for the press (付印: --strict, --final) carries none.
PLACEHOLDERS = frozenset({"missing-photo", "missing-qr", "awaiting-copy", "missing-ad"})     # awaiting-copy: 待稿


def for_press(result: PreflightResult) -> PreflightResult:
    """The result with every placeholder finding raised to an error, each saying so."""
    import msgspec.structs

    findings = [msgspec.structs.replace(f, severity="error", message=f"{f.message}; a placeholder, not for the press")
                if f.code in PLACEHOLDERS and f.severity != "error" else f for f in result.findings]
    order = sorted(range(len(findings)), key=lambda i: (_RANK.get(findings[i].severity, 9), findings[i].page or 0, i))
    return msgspec.structs.replace(result, findings=tuple(findings[i] for i in order))


def report_json(result: PreflightResult) -> bytes:
    """The result as the JSON of the preflight report."""
    return (json.dumps(result.as_dict(), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def write_report(result: PreflightResult, path: Path) -> Path:
    """The result as JSON at `path`, written atomically."""
    return write_atomic(path, report_json(result))


__all__ = ["PreflightFinding", "PreflightResult", "StaticFindings", "static_findings", "preflight", "for_press", "write_report", "report_json", "layout_findings",
           "vertical_findings", "wrap_findings", "colour_findings", "photo_findings", "pdf_findings", "geometry_findings", "drawn_elements"]
