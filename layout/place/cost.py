"""The make-up desk's rules as costs: what the page search (search.py) minimises.

Every fault a desk rejects is a named constant or function here, in one unit: a "point" of
cost is roughly one column-line of a page spoiled. A hole (white where copy should stand) is a
fault, not a score, so it costs far more than the devices that avoid it (air in a headline
block, a photo cropped taller); overset costs more than any amount of white, so the search
never sets less copy than fits. Costs that depend on neighbours (tombstones, a photo under a
photo, a second full-width band) are charged where the search joins two regions.

The search works in importance order (plan order, or `weight:`): the first story of any region
is its top-left module, so "the lead on top, importance read top to bottom, left to right" is
the order of the search itself, not a cost.

The desk's rules and where each is charged:

- unfilled lines: hole(), page_foot(), unfilled(), level_short(), and module_fill() below
  MODULE_FULL (95%) full (filled()); overset(), worse than any white; headline air at most
  MAX_HEAD_AIR lines (more reads as a hole round the headline);
- the lead at the top, widest: the search order (top left), lead_width() below two thirds of
  the page; its headline the largest: the lead's headline is fitted across its width, the
  widest, and hierarchy.py caps every other headline at the lead's size;
- importance order: the search order (above);
- at most one full-width module besides the lead: BAND, then band() charges EXTRA_BAND; a
  column of three modules or more of one span narrower than the page, stacked one under
  another (in a region or down the page's rows), costs REGION_LAYERS where its parts meet;
- no tombstones: tombstone() where two regions with top headlines of one level are joined
  side by side; hierarchy.py then steps a same-size neighbour down by TOMBSTONE_STEP;
- a photo not under a photo: photo_under_photo() where regions are stacked;
- photos of a sensible size: photo_shape() (crop, narrow, photo_stamp()), photo_allowed();
  text under a photo in a stub (photo_stub()), or the story opening under it in a few lines
  (photo_opening(): the photo then stands at the right, PHOTO_AT_RIGHT);
- one-column modules only for short items: narrow_module();
- modules on the basic columns: OFF_GRID where a pair's cut falls inside one (破栏).
"""
from __future__ import annotations

import math

# -- copy and space -------------------------------------------------------------------------
OVERSET_LINE = 1000.0      # a line of copy that does not fit: worse than any white
HOLE_LINE = 40.0           # a column-line left white at a module's foot (a hole)
HOLE_ROWS = 3              # lines of white under a column's copy the desk calls a hole (the fault) ...
HOLE_STEP = 200.0          # ... cost this more, once a module: white spread as a line or two in
                           # several modules is not a fault, one module three lines short is
PAGE_FOOT_LINE = 36.0      # a column-line left white under the last module (a gap the desk can
                           # fill with a brief); a little cheaper than holes scattered in modules
LEVEL_SHORT_LINE = 0.5     # a column ending one line above its neighbours (level, by the style)
UNFILLED_CHAR = 0.3        # a character of a module's text area left empty (short last lines
                           # of paragraphs, short columns): what "body copy / capacity" measures
AIR_LINE = (0.0, 2.0, 5.0, 9.0, 14.0, 20.0, 27.0)   # 0 .. 6 extra lines of air around a headline block
MAX_HEAD_AIR = 2           # lines of air a headline block may take beyond its nominal lines: more
                           # reads as a hole round the headline (issue 21: 8 empty lines seen)
MAX_FOOT_WHITE = 3         # rows of white a module may carry at its foot in the search ...
WIDE_FOOT_WHITE = 8        # ... and in a second search (white, costed and reported, before overset)
WIDE_SEARCH_COST = 5000.0  # when no page sets its copy with 3, or the best costs this much: more than
                           # a stacked page and a squeezed headline (a second band alone stays)
MODULE_FULL = 0.95         # a module's text area should be at least this full ...
UNDERFULL_MODULE = 3000.0  # ... each 1% short of it costs 30 (short last lines of many paragraphs)
UNDERFULL_STEP = 80.0      # and falling short at all costs this (the desk's line is a line)

# -- shapes ---------------------------------------------------------------------------------
PHOTO_CROP_LINE = 0.6      # per grid line a photo's height departs from its natural aspect
PHOTO_NARROW = 6.0         # per story column a photo is narrower than half its module
PHOTO_MIN_SHARE = 0.4      # a photo in a module of 3+ story columns spans at least 2 of 5, 3 of 6
PHOTO_STAMP = 200.0        # per column a photo is narrower than that (a stamp): only when the page
                           # cannot be made up otherwise (copy that overfills it)
PHOTO_MAX_AREA = 0.5       # a photo takes at most half of the module's body area (image and caption):
                           # short copy enlarges it only so far, the rest is white the page reports
PHOTO_BESIDE_HEAD = 5.0    # the photo at the module's top, the headline over the text beside it
                           # (题图并排): a device for a tall photo beside short copy, not the habit
VARIABLE_COLUMNS = 4.0     # 变栏: a deliberate device, used when it helps ...
VARIABLE_COLUMNS_CHARS = 1200   # ... and offered to items of up to this many characters (3 columns as 2);
SHALLOW_BODY_LINES = 4     # a body of at most this many lines a column, two or more columns a line short,
VARIABLE_MEASURE_CHARS = 24     # is offered fewer story columns, of up to this many characters
ONE_COLUMN = 8.0           # any one-column module
SHORT_ITEM_CHARS = 450     # a one-column module is for a short item (简讯) ...
ONE_COLUMN_LONG = 10.0     # ... per line beyond what a short item takes (通天柱)
TWO_LINE_HEADLINE = 3.0   # a headline broken in two lines where one would hold it
HEADLINE_ENLARGED = 6.0    # a headline set a size level up to fill its module (more than two
                           # lines of air cost, less than white at the foot)
HEADLINE_SQUEEZED = 2000.0 # the headline does not fit its lines even at its smallest size
LEAD_NOT_WIDEST = 1000.0   # a story wider than the lead: page.py searches again without, and keeps that
                           # page unless it costs this much more (a squeezed headline, a 通天柱)
LEAD_NARROW = 300.0        # per basic column the lead is narrower than lead_min_columns()

OFF_GRID = 120.0           # two modules side by side cut inside a basic column (破栏): a device for a
                           # page whose copy sets side by side in no split of whole columns (three
                           # column-lines of hole; far less than a second band, cost.EXTRA_BAND)
OFF_GRID_MEASURE = (-3, 5) # characters a story column off the grid may lose or gain on the basic one
MIN_OFF_GRID_CHARS = 8     # and never fewer than this

# -- neighbours -----------------------------------------------------------------------------
BAND = 40.0                # a full-width module (besides the lead): bands stacked are 千层饼
EXTRA_BAND = 3000.0        # the second and later full-width module besides the lead
REGION_LAYERS = 150.0      # three modules or more of one span narrower than the page stacked one
                           # under another (the lead and two more down four columns: 千层饼 in a region);
                           # at 60 a lead over three four-column modules still won on generated pages
TOMBSTONE = 10.0           # two headlines of one level side by side at one height (碰题); the
                           # sizes are then set apart (hierarchy.py), so this only prefers others
PHOTO_UNDER_PHOTO = 60.0   # a region with a photo stacked over another region with a photo
SEARCH_BOUNDS = (500.0, 1000.0)   # search.py looks for a page under these costs in turn (exact: see search())
PRUNE_SLACK = 1500.0       # the search drops a region's heights costing this much over its best
                           # (more than an overset line): a bound, not a rule of the desk
TOMBSTONE_STEP = 3.0       # pt: how far a headline steps down to stand apart from its neighbour
TOMBSTONE_NEAR = 1.0       # pt: headlines closer than this in size are of one size


def hole(column_lines: int) -> float:
    """White at a module's foot, in column-lines."""
    return HOLE_LINE * column_lines


def hole_step(rows: int) -> float:
    """A module whose most white column has `rows` lines of white under its copy: HOLE_STEP
    from HOLE_ROWS (per column-line alone, hole() costs one module four lines short what two
    modules two lines short cost, and the search had no reason to prefer the second)."""
    return HOLE_STEP if rows >= HOLE_ROWS else 0.0


def page_foot(column_lines: int) -> float:
    """White under the page's last modules, in column-lines."""
    return PAGE_FOOT_LINE * column_lines


def overset(lines: int) -> float:
    """Copy that does not fit its module, in text lines."""
    return OVERSET_LINE * lines


def air(lines: int) -> float:
    """Extra lines of air in a headline block (more than six is never offered)."""
    return AIR_LINE[min(lines, len(AIR_LINE) - 1)]


def air_limit(head_lines: int) -> int:
    """How much air a headline block may take: about its own lines again, but never more
    than MAX_HEAD_AIR (a tall block of white round a short headline is a hole to the desk)."""
    return min(MAX_HEAD_AIR, max(2, min(len(AIR_LINE) - 1, head_lines + 1)))


def unfilled(chars: int) -> float:
    """Characters of a module's text area its copy leaves empty."""
    return UNFILLED_CHAR * max(0, chars)


def level_short(column_lines: int) -> float:
    """Columns ending one line short of the common bottom (still level by the style's rule)."""
    return LEVEL_SHORT_LINE * column_lines


def photo_shape(img_lines: int, natural_lines: float, photo_cols: int, story_cols: int) -> float:
    """A photo cropped away from its natural aspect, or narrow in a wide module."""
    narrow = max(0, math.ceil(story_cols / 2) - photo_cols)
    return (PHOTO_CROP_LINE * abs(img_lines - natural_lines) + PHOTO_NARROW * narrow
            + photo_stamp(photo_cols, story_cols))


def filled(room_chars: int, copy_chars: int, area_chars: int) -> float:
    """How full a module is, as the desk sees it: the share of its area (in characters of
    its basic columns) not left white. White is the text area its body leaves empty (short
    last lines, a column a line short, rows at the foot); the headline block and the photo
    are set, not white. Read on the body alone, a module of level columns whose copy ends
    paragraphs in short lines can never reach 95% (issue 21: 963 / 1014 at any width)."""
    if area_chars <= 0:
        return 1.0
    return 1.0 - max(0, room_chars - copy_chars) / area_chars


def full_from(blank_chars: int) -> float:
    """The area (characters) from which a module leaving `blank_chars` of its text area empty
    is full enough (module_fill 0, with a margin for rounding): the variants test this before
    costing the fill of each height."""
    return blank_chars / (1.0 - MODULE_FULL) * (1.0 + 1e-9)


def module_fill(room_chars: int, copy_chars: int, area_chars: int) -> float:
    """A module less than MODULE_FULL full (filled(): the desk's 95%)."""
    if room_chars <= 0:
        return 0.0
    short = MODULE_FULL - filled(room_chars, copy_chars, area_chars)
    return UNDERFULL_STEP + UNDERFULL_MODULE * short if short > 0 else 0.0


def photo_stamp(photo_cols: int, story_cols: int) -> float:
    """A photo narrower than PHOTO_MIN_SHARE of a module of three or more story columns."""
    if story_cols < 3:
        return 0.0
    return PHOTO_STAMP * max(0, math.ceil(story_cols * PHOTO_MIN_SHARE) - photo_cols)


def photo_allowed(photo_cols: int, story_cols: int, photo_lines: int, body_lines: int) -> bool:
    """A photo the desk would print at all: never leaving a single text column beside it in a
    module of six or more, and at most PHOTO_MAX_AREA of the module's body area (image,
    caption and its air line), so short copy does not turn a module into a picture frame."""
    if story_cols >= 6 and photo_cols == story_cols - 1:
        return False
    return photo_cols * photo_lines <= PHOTO_MAX_AREA * story_cols * body_lines


def narrow_module(cols: int, body_lines: int, column_chars: int) -> float:
    """One-column modules only for short items: a long story in one column is a 通天柱."""
    if cols != 1:
        return 0.0
    return ONE_COLUMN + ONE_COLUMN_LONG * max(0, body_lines - SHORT_ITEM_CHARS // column_chars)


def lead_min_columns(page_columns: int, free_at_top: int | None = None) -> int:
    """The lead spans at least about two thirds of the page (4 of 6, 4 of 5, 6 of 8), or all the
    columns free at the type area's top where fixed areas leave fewer (a 报眼 of 2 columns on a
    five-column page leaves 3: a lead of 4 could only stand under it, the strip beside the ad
    white at the page's head)."""
    least = max(1, min(page_columns, math.ceil(page_columns * 2 / 3)))
    return least if free_at_top is None else max(1, min(least, free_at_top))


def lead_width(cols: int, least: int) -> float:
    """The lead at the top with the widest headline: narrower than `least` (lead_min_columns)
    is a fault."""
    return LEAD_NARROW * max(0, least - cols)


PHOTO_STUB = 60.0          # text under a photo, in its columns, of fewer than PHOTO_STUB_LINES: the
PHOTO_STUB_LINES = 3       # story would open (or run on) in a stub at the module's foot, under its photo
STRANDED = 60.0            # level columns that must strand a line at a break (a subhead at a column's
                           # foot, an orphan or widow): worth about a line and a half of white
LEAD_WIDE_OVERSET = 5        # text lines over the page a wide lead may cost before a narrower one is taken
SPREAD_LEAD_ONE_PAGE = 2000.0   # a spread (通版) whose lead keeps to one page: two pages, not one design


PHOTO_OPENING = 30.0       # a story opening under its photo (at the left) in fewer than PHOTO_OPENING_LINES
PHOTO_OPENING_LINES = 5    # lines at the module's foot before the reader climbs to the next column's top
PHOTO_AT_RIGHT = 4.0       # the photo in the module's last columns, the text opening at its top left: how
                           # a desk closes that, but the photo at the left under the headline is the habit


def photo_stub(per_column: list[int], first: int, photo_cols: int) -> float:
    """Text lines under a photo (its story columns from `first`): none, or enough to read as
    the start of a column, never a line or two at the foot."""
    return PHOTO_STUB if any(0 < per_column[c] < PHOTO_STUB_LINES for c in range(first, first + photo_cols)) else 0.0


def photo_opening(per_column: list[int], first: int, photo_cols: int) -> float:
    """The story opening under its photo (the photo in its first columns) in a few lines at the
    module's foot: the reader starts low, under the picture, and climbs to the next column's
    top after a sentence (generated kecheng seed 5 page 3: three lines under a lead's photo).
    The variants then offer the photo at the right (PHOTO_AT_RIGHT), the text opening at the top."""
    if first or not photo_cols:
        return 0.0
    return PHOTO_OPENING if 0 < per_column[0] < PHOTO_OPENING_LINES else 0.0


def spread_lead(across: bool) -> float:
    """On a spread the lead stands across the fold, its headline and photo over the 中缝; a
    spread made up as two pages side by side is a fault the desk would send back."""
    return 0.0 if across else SPREAD_LEAD_ONE_PAGE


def band(count_before: int) -> float:
    """A full-width module besides the lead: the first is allowed, the next ones are 千层饼."""
    return BAND if count_before == 0 else EXTRA_BAND


def tombstone(level_left: int, level_right: int) -> float:
    """Two modules side by side, their top headlines of one level at one height."""
    return TOMBSTONE if level_left == level_right else 0.0


def photo_under_photo(top_has_photo: bool, bottom_has_photo: bool) -> float:
    return PHOTO_UNDER_PHOTO if top_has_photo and bottom_has_photo else 0.0


# -- vertical headlines (issue 19) ------------------------------------------------------------
VERTICAL_HEADLINE = 30.0   # a headline block the make-up turns vertical (竖排): a device for
                           # when it fits better, not a habit (about a column-line of hole)
VERTICAL_HEADLINE_CHARS = 16   # offered for main headlines of at most this many characters
VERTICAL_REFUSED = 300.0   # a story the editor asked a vertical block of set with its headline across: at a
                           # width where no vertical block lets its body fit (page.py reports it)


def vertical_headline(asked: bool) -> float:
    """A module with its headline block vertical: free when the editor asked for it, else a
    device the search takes only where it saves more than it costs. Its white is costed as
    any module's (the body's exact heights: vertical.vertical_fills)."""
    return 0.0 if asked else VERTICAL_HEADLINE
