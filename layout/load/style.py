"""The style sheet: page geometry, the grid, font roles, colours, text styles by role."""
from __future__ import annotations

from pathlib import Path

import msgspec

from ..compose.model import ComposeSettings
from .source import Field, InputError, Source, did_you_mean

REQUIRED_ROLES = (
    "body", "dateline", "subhead", "headline_1", "headline_2", "headline_3", "kicker", "deck",
    "caption", "teaser_label", "teaser_item", "teaser_ref", "masthead_title", "masthead_info",
    "masthead_strong", "page_header", "page_header_info", "awaiting", "awaiting_note",
)
# Roles the engine uses when the style gives them (else it falls back on a required role):
# known names, so no misspelling of a required role to look for.
OPTIONAL_ROLES = ("ad_label", "column_label", "headline_briefs", "brief_title", "headline_commentary", "byline")
# Colours the engine draws with itself (boxes, placeholders, rules), besides those roles name.
ENGINE_COLORS = ("black", "tint", "grey")
FONT_MAGIC = {b"OTTO": "OpenType (CFF)", b"\x00\x01\x00\x00": "TrueType", b"true": "TrueType"}
MAX_TYPE_SIZE = 400.0     # pt: anything larger is a slip (a size in the wrong unit)
# Geometry a press can print; outside these bounds a value is a slip (a unit left out, a
# digit too many), refused with its place before the engine tries to lay out a page of it.
MIN_TYPE_SIZE = 4.0       # pt: below 八号 (5 pt); the preflight warns under 6 pt
BODY_SIZE = (5.0, 36.0)   # pt: the grid's em
PITCH_FACTOR = 3.0        # the line pitch is 1 to 3 times the body size
MAX_GRID_LINES = 400      # body lines on a page (A3 at 13.5 pt has 83)
TRIM = (100 * 72 / 25.4, 1500 * 72 / 25.4)    # 100 mm to 1.5 m a side
LEADING_FACTOR = (0.8, 4.0)                   # a role's leading against its size
RULES = ("column_rule", "story_separator", "masthead_rule", "page_header_rule", "box_rule")


class CMYK(msgspec.Struct, frozen=True):
    c: float
    m: float
    y: float
    k: float

    @property
    def total(self) -> float:
        return self.c + self.m + self.y + self.k

    @property
    def fractions(self) -> tuple[float, float, float, float]:
        return (self.c / 100, self.m / 100, self.y / 100, self.k / 100)


class TextStyle(msgspec.Struct, frozen=True):
    role: str
    font: str            # font role
    size: float          # pt
    leading: float       # pt, baseline to baseline
    color: str           # colour name
    indent: float = 0.0  # em
    align: str = "justify"
    min_size: float | None = None
    max_lines: int = 1


class PageGeometry(msgspec.Struct, frozen=True):
    width: float
    height: float
    bleed: float
    margin_top: float
    margin_bottom: float
    # the 中缝 of a spread (通版): from the left page's type area to the right page's, across
    # the fold; None: the two side margins, so a spread's pages keep their type areas in place
    spread_gutter: float | None = None


class Grid(msgspec.Struct, frozen=True):
    columns: int
    column_chars: int
    gutter_chars: int
    em: float            # body size: the grid's character
    pitch: float         # baseline-to-baseline
    left: float          # x of the type area's left edge
    top: float           # y (from the page top) of the type area's top edge
    lines: int           # body lines in the type area

    @property
    def column_width(self) -> float:
        return self.column_chars * self.em

    @property
    def gutter(self) -> float:
        return self.gutter_chars * self.em

    @property
    def width(self) -> float:
        return self.columns * self.column_width + (self.columns - 1) * self.gutter

    @property
    def height(self) -> float:
        return self.lines * self.pitch

    def col_x(self, col: int) -> float:
        """Left edge of basic column `col` (0-based)."""
        return self.left + col * (self.column_width + self.gutter)

    def span_width(self, ncols: int) -> float:
        return ncols * self.column_width + (ncols - 1) * self.gutter

    def line_top(self, line: int) -> float:
        """Top of grid line `line` (0-based), measured down from the page top."""
        return self.top + line * self.pitch


class PrintSpec(msgspec.Struct, frozen=True):
    """The print file the press asks for (the emit stage turns it into its settings)."""
    standard: str = "x1a"            # x1a (PDF/X-1a:2001) | x4 (PDF/X-4)
    ink_limit: float = 240.0         # total area coverage, percent
    photos: str = "grey"             # grey | cmyk
    output_profile: Path | None = None   # CMYK ICC profile (required for x4)
    marks: bool = True               # crop and registration marks, slug line


class AdSpec(msgspec.Struct, frozen=True):
    """Ad modules (广告): the booked sizes in basic columns x grid lines, what an ad file must
    meet, and the 广告 label's line above the ad."""
    sizes: dict[str, tuple[int, int]] = msgspec.field(default_factory=dict)   # name -> (columns, lines)
    min_ppi: float = 200.0           # an image ad below this at its booked size is an error
    tolerance: float = 0.02          # the file's aspect may differ from the booking's by this fraction
    label: str = "广告"


class Style(msgspec.Struct, frozen=True):
    name: str
    path: Path
    page: PageGeometry
    grid: Grid
    fonts: dict[str, Path]
    fallback: dict[str, tuple[str, ...]]
    colors: dict[str, CMYK]
    roles: dict[str, TextStyle]
    composition: ComposeSettings
    rules: dict[str, float] = msgspec.field(default_factory=dict)
    print: PrintSpec = msgspec.field(default_factory=PrintSpec)
    logo: Path | None = None         # the paper's title as an image (PNG/JPEG), instead of type
    font_where: dict[str, tuple[int, int]] = msgspec.field(default_factory=dict)   # role -> (line, col) of its file
    furniture_scale: float | None = None   # masthead and header sizes x this; None: from the type area
    masthead_lines: int | None = None      # grid lines of the masthead band; None: from the type area
    timezone: str = "Asia/Shanghai"  # the paper's clock (IANA name): times on proofs and notes
    wrap_gap: int = 1                # characters between a wrapped photo and the text (composition.wrap_gap)
    ads: AdSpec = msgspec.field(default_factory=AdSpec)   # booked ad sizes (`ads:`)
    # editor roles every page's editors' line should name (furniture.editors); a page lacking one is a warning
    editor_roles: tuple[str, ...] = ()
    imprint_fields: tuple[str, ...] = ()   # furniture.imprint: the 报尾's fields, in print order
    imprint_page: str = "last"             # furniture.imprint_page: "last" or a page number
    licence: bool = False                  # furniture.licence: page 1 prints 准印证号 and 内部资料 免费交流


def load_style(path: Path, display: str | None = None) -> Style:
    src = Source(path, display)
    top = src.root()
    if isinstance(top.value, dict) and not {"page", "grid", "fonts", "roles"} & set(top.value):
        raise top.error("not a style sheet: it has none of the keys page, grid, fonts, roles")
    root = top.mapping(
        ["name", "page", "grid", "fonts", "fallback", "colors", "composition", "roles", "rules", "print", "masthead",
         "timezone", "ads", "furniture"],
        required=["page", "grid", "fonts", "colors", "roles"])
    base = Path(path).resolve().parent

    p = root["page"].mapping(["trim", "bleed", "margin_top", "margin_bottom", "spread_gutter"], required=["trim"])
    trim = p["trim"].list()
    if len(trim) != 2:
        raise p["trim"].error("expected [width, height]")
    width, height = (_bounded(t, *TRIM, "a page side") for t in trim)
    page = PageGeometry(width=width, height=height,
                        bleed=p["bleed"].length(hi=72.0) if p.has("bleed") else 0.0,
                        margin_top=p["margin_top"].length(hi=height) if p.has("margin_top") else 36.0,
                        margin_bottom=p["margin_bottom"].length(hi=height) if p.has("margin_bottom") else 36.0)

    g = root["grid"].mapping(["columns", "column_chars", "gutter_chars", "body_size", "line_pitch"],
                             required=["columns", "column_chars", "body_size", "line_pitch"])
    columns = g["columns"].int(1, 20)
    column_chars = g["column_chars"].int(4, 200)
    gutter_chars = g["gutter_chars"].int(0, 10) if g.has("gutter_chars") else 1
    em = _bounded(g["body_size"], *BODY_SIZE, "the body size")
    pitch = g["line_pitch"].length(em=em, positive=True, hi=10 * MAX_TYPE_SIZE)
    if pitch < em:
        raise g["line_pitch"].error(f"line pitch {pitch:.2f}pt is smaller than the body size {em:.2f}pt")
    if pitch > PITCH_FACTOR * em + 1e-9:
        raise g["line_pitch"].error(f"line pitch {pitch:.2f}pt is more than {PITCH_FACTOR:g} times the body "
                                    f"size {em:.2f}pt")
    width = (columns * column_chars + (columns - 1) * gutter_chars) * em
    if width > page.width + 1e-6:
        bare = any(not isinstance(t.value, str) for t in trim)
        raise g.key_error(f"the grid does not fit the page: {columns} columns of {column_chars} characters "
                          f"(+ gutters) at {em:g}pt are {width:.1f}pt wide, the page only {page.width:.1f}pt"
                          + (" (page.trim has bare numbers, which are points: write 297mm?)" if bare else ""))
    avail = page.height - page.margin_top - page.margin_bottom
    if avail <= 0:
        raise p.key_error(f"the margins ({page.margin_top:.1f}pt + {page.margin_bottom:.1f}pt) leave no room "
                          f"on a page {page.height:.1f}pt high")
    lines = int(avail // pitch + 1e-9)
    if lines < 10:
        raise g["line_pitch"].error(f"only {lines} grid lines fit between the margins (at least 10 are needed)")
    if lines > MAX_GRID_LINES:
        raise g["line_pitch"].error(f"{lines} grid lines on a page {page.height:.1f}pt high; the limit is "
                                    f"{MAX_GRID_LINES} (A3 at 13.5pt has 83)")
    grid = Grid(columns=columns, column_chars=column_chars, gutter_chars=gutter_chars, em=em,
                pitch=pitch, left=(page.width - width) / 2, top=page.margin_top, lines=lines)
    if p.has("spread_gutter"):
        # at least a column gutter (the grid runs on across the fold), at most what leaves each
        # page's outer margin at zero
        z = p["spread_gutter"].length(em=em, hi=2 * page.width)
        if z < grid.gutter - 1e-6 or z > 2 * (page.width - width) + 1e-6:
            raise p["spread_gutter"].error(
                f"a 中缝 of {z:.1f}pt: it must be at least the column gutter ({grid.gutter:.1f}pt) and at most "
                f"{2 * (page.width - width):.1f}pt (the page's width less its type area, twice)")
        page = msgspec.structs.replace(page, spread_gutter=z)

    fonts: dict[str, Path] = {}
    font_where: dict[str, tuple[int, int]] = {}
    for name, f in root["fonts"].items():
        fonts[name] = _font_file(base, f)
        if f.where is not None:
            font_where[name] = (f.where.line, f.where.col)
    if not fonts:
        raise root["fonts"].error("no fonts: name at least one font role and its file")
    fallback: dict[str, tuple[str, ...]] = {}
    if root.has("fallback"):
        for name, f in root["fallback"].items():
            if name not in fonts:
                raise f.key_error(f"unknown font role '{name}'{did_you_mean(name, fonts)} (known: {', '.join(fonts)})")
            chain = []
            for item in f.list(allow_single=True):
                role = item.str()
                if role not in fonts:
                    raise item.error(f"unknown font role '{role}'{did_you_mean(role, fonts)} (known: {', '.join(fonts)})")
                chain.append(role)
            fallback[name] = tuple(chain)

    colors: dict[str, CMYK] = {}
    for name, f in root["colors"].items():
        vals = f.list() if isinstance(f.value, list) else None
        if vals is None or len(vals) != 4:
            raise f.error("a colour is [C, M, Y, K] in percent (only CMYK is allowed in print)")
        c = CMYK(*(v.number(0, 100) for v in vals))
        colors[name] = c
    for need in ENGINE_COLORS:
        if need not in colors:
            raise root["colors"].key_error(f"missing colour '{need}' (the engine draws with "
                                           f"{', '.join(ENGINE_COLORS)})")

    comp = ComposeSettings()
    wrap_gap = 1
    if root.has("composition"):
        c = root["composition"].mapping(["prohibition", "punctuation", "han_latin_gap", "han_digit_gap",
                                         "hanging", "min_last_line", "vertical_quotes", "wrap_gap",
                                         "dateline_brackets"])
        comp = ComposeSettings(
            prohibition=c["prohibition"].choice(["loose", "basic", "gb", "strict"]) if c.has("prohibition") else "gb",
            punctuation=(c["punctuation"].choice(["full", "full-uncompressed", "kaiming", "half"])
                         if c.has("punctuation") else "full"),
            han_latin_gap=c["han_latin_gap"].number(0.0, 1.0) if c.has("han_latin_gap") else 0.25,
            han_digit_gap=c["han_digit_gap"].number(0.0, 1.0) if c.has("han_digit_gap") else None,
            hanging=c["hanging"].bool() if c.has("hanging") else False,
            min_last_line=c["min_last_line"].int(1, 10) if c.has("min_last_line") else 2,
            vertical_quotes=c["vertical_quotes"].choice(["keep", "corner"]) if c.has("vertical_quotes") else "keep",
            dateline_brackets=(c["dateline_brackets"].choice(["full", "half"])
                               if c.has("dateline_brackets") else "full"),
        )
        if c.has("wrap_gap"):
            wrap_gap = c["wrap_gap"].int(0, 4)

    roles: dict[str, TextStyle] = {}
    for name, f in root["roles"].items():
        if name not in REQUIRED_ROLES and name not in OPTIONAL_ROLES:
            hint = did_you_mean(name, REQUIRED_ROLES, cutoff=0.8)
            if hint:     # a misspelt role: say so here, not as a missing role further down
                raise f.key_error(f"unknown role '{name}'{hint}")
        f.mapping(["font", "size", "leading", "color", "indent", "align", "min_size", "max_lines"],
                  required=["font", "size"])
        font = f["font"].str()
        if font not in fonts:
            raise f["font"].error(f"unknown font role '{font}'{did_you_mean(font, fonts)} (known: {', '.join(fonts)})")
        size = _bounded(f["size"], MIN_TYPE_SIZE, MAX_TYPE_SIZE, "a type size")
        lead_f = f.get("leading")
        if lead_f is None:
            leading = size * 1.2
        elif isinstance(lead_f.value, (int, float)) and not isinstance(lead_f.value, bool) and lead_f.value < 4:
            leading = size * lead_f.number(*LEADING_FACTOR)          # a factor of the size
        else:
            leading = lead_f.length(em=size, positive=True, hi=10 * MAX_TYPE_SIZE)
            lo, hi = (k * size for k in LEADING_FACTOR)
            if not lo - 1e-9 <= leading <= hi + 1e-9:
                raise lead_f.error(f"leading {leading:.2f}pt for a size of {size:g}pt; expected "
                                   f"{LEADING_FACTOR[0]:g} to {LEADING_FACTOR[1]:g} times the size "
                                   f"({lo:.2f}pt to {hi:.2f}pt)")
        color = f["color"].str() if f.has("color") else "black"
        if color not in colors:
            raise f["color"].error(f"unknown colour '{color}'{did_you_mean(color, colors)} (known: {', '.join(colors)})")
        min_size = _bounded(f["min_size"], MIN_TYPE_SIZE, MAX_TYPE_SIZE, "a type size") if f.has("min_size") else None
        if min_size is not None and min_size > size + 1e-9:
            raise f["min_size"].error(f"min_size {min_size:g}pt is larger than the size {size:g}pt")
        roles[name] = TextStyle(
            role=name, font=font, size=size, leading=leading, color=color,
            indent=f["indent"].number(0, 10) if f.has("indent") else 0.0,
            align=f["align"].choice(["justify", "start", "center", "end"]) if f.has("align") else "justify",
            min_size=min_size,
            max_lines=f["max_lines"].int(1, 10) if f.has("max_lines") else 1,
        )
    missing = [r for r in REQUIRED_ROLES if r not in roles]
    if missing:
        raise root["roles"].key_error(f"missing role(s): {', '.join(missing)}")

    rules = {r: 0.5 for r in RULES}
    if root.has("rules"):
        rf = root["rules"].mapping(RULES)
        for name, f in rf.items():
            rules[name] = f.length(hi=72.0)

    spec = PrintSpec()
    if root.has("print"):
        pf = root["print"].mapping(["standard", "ink_limit", "photos", "output_profile", "marks"])
        profile = _output_profile(base, pf["output_profile"]) if pf.has("output_profile") else None
        spec = PrintSpec(standard=pf["standard"].choice(["x1a", "x4"]) if pf.has("standard") else "x1a",
                         ink_limit=pf["ink_limit"].number(100, 400) if pf.has("ink_limit") else 240.0,
                         photos=pf["photos"].choice(["grey", "cmyk"]) if pf.has("photos") else "grey",
                         output_profile=profile,
                         marks=pf["marks"].bool() if pf.has("marks") else True)
        if spec.standard == "x4" and profile is None:
            raise pf["standard"].error("PDF/X-4 needs the press's output profile: add print.output_profile "
                                       "(e.g. ISOnewspaper26v4.icc)")

    logo = None
    furniture_scale = masthead_lines = None
    if root.has("masthead"):
        mf = root["masthead"].mapping(["logo", "scale", "lines"])
        if mf.has("scale"):       # the furniture's sizes as the roles give them (1) or scaled
            furniture_scale = mf["scale"].number(0.5, 3.0)
        if mf.has("lines"):
            masthead_lines = mf["lines"].int(4, max(4, lines - 10))
        if mf.has("logo"):
            logo = _resolve(base, mf["logo"])
            if not _is_file(logo):
                raise mf["logo"].error(f"logo file not found: {logo}")
            if logo.suffix.lower() not in (".png", ".jpg", ".jpeg"):
                raise mf["logo"].error("the logo must be a PNG or JPEG file")

    editor_roles: tuple[str, ...] = ()
    imprint_fields: tuple[str, ...] = ()
    imprint_page, licence = "last", False
    if root.has("furniture"):
        ff = root["furniture"].mapping(["editors", "imprint", "imprint_page", "licence"])
        if ff.has("editors"):
            editor_roles = tuple(f.str(max_len=20) for f in ff["editors"].list(max_items=8))
        if ff.has("imprint"):
            imprint_fields = tuple(f.str(max_len=20) for f in ff["imprint"].list(max_items=12))
        if ff.has("imprint_page"):
            imprint_page = "last" if ff["imprint_page"].value == "last" else str(ff["imprint_page"].int(1, 999))
        if ff.has("licence"):
            licence = ff["licence"].bool()

    return Style(name=root["name"].str() if root.has("name") else Path(path).stem, path=Path(path),
                 page=page, grid=grid, fonts=fonts, fallback=fallback, colors=colors, roles=roles,
                 composition=comp, rules=rules, print=spec, logo=logo, font_where=font_where,
                 furniture_scale=furniture_scale, masthead_lines=masthead_lines,
                 timezone=_timezone(root["timezone"]) if root.has("timezone") else "Asia/Shanghai",
                 wrap_gap=wrap_gap, editor_roles=editor_roles,
                 imprint_fields=imprint_fields, imprint_page=imprint_page, licence=licence,
                 ads=_ads(root["ads"], grid) if root.has("ads") else _default_ads(grid))


def _default_ads(grid: Grid) -> AdSpec:
    """Sizes a style that names none still has: 通栏 the full width, 半通栏 half of it, 报眼 two
    columns, each a sixth of the grid's lines high (the ear a little less)."""
    band = max(4, grid.lines // 6)
    return AdSpec(sizes={"通栏": (grid.columns, band), "半通栏": (max(1, grid.columns // 2), band),
                         "报眼": (min(2, grid.columns), max(4, band * 3 // 4))})


def _ads(f: Field, grid: Grid) -> AdSpec:
    af = f.mapping(["sizes", "min_ppi", "tolerance", "label"])
    sizes = dict(_default_ads(grid).sizes)
    if af.has("sizes"):
        for name, sf in af["sizes"].items():
            sf.mapping(["columns", "lines"], required=["columns", "lines"])
            # `all` and `half` follow the grid (通栏 is the full width whatever the columns)
            word = {"all": grid.columns, "half": max(1, grid.columns // 2)}.get(sf["columns"].value)
            cols = word if word is not None else sf["columns"].int(1, grid.columns)
            sizes[name] = (cols, sf["lines"].int(1, grid.lines))
    return AdSpec(sizes=sizes, min_ppi=af["min_ppi"].number(50, 2400) if af.has("min_ppi") else 200.0,
                  tolerance=af["tolerance"].number(0, 0.2) if af.has("tolerance") else 0.02,
                  label=af["label"].str(max_len=20) if af.has("label") else "广告")


def _bounded(f: Field, lo: float, hi: float, what: str) -> float:
    """A length within [lo, hi] points, refused with both bounds named (in mm for page sides)."""
    v = f.length(positive=True)
    if lo - 1e-9 <= v <= hi + 1e-9:
        return v
    if what == "a page side":
        mm = 25.4 / 72
        bounds = f"{lo * mm:.0f}mm to {hi * mm:.0f}mm"
        bare = "; a bare number is points: write 297mm?" if not isinstance(f.value, str) else ""
    else:
        bounds, bare = f"{lo:g}pt to {hi:g}pt", ""
    raise f.error(f"{f.text!r} is too {'small' if v < lo else 'large'} for {what} ({v:.2f}pt; "
                  f"the bounds are {bounds}){bare}")


MAX_PROFILE_BYTES = 16 * 1024 * 1024     # ICC profiles for presses are well under 4 MB


def _resolve(base: Path, f: Field) -> Path:
    """A path the style names, relative to the style file; a symlink loop or an unusable
    name is refused at the field."""
    rel = f.str(max_len=1024)
    try:
        return (base / rel).resolve()
    except (OSError, RuntimeError, ValueError) as e:      # RuntimeError: a symlink loop (Python < 3.13)
        why = "a symbolic link that points back to itself" if "loop" in str(e).lower() else str(e)
        raise f.error(f"'{rel}': cannot resolve the path ({why})") from None


def _is_file(p: Path) -> bool:
    try:
        return p.is_file()
    except OSError:
        return False


def _output_profile(base: Path, f: Field) -> Path:
    """The press's ICC profile: it must read as one (lcms, through Pillow's ImageCms) and be
    a CMYK output (printer) profile, as the PDF/X output intent requires."""
    path = _resolve(base, f)
    if not _is_file(path):
        raise f.error(f"ICC profile not found: {path}")
    try:
        size = path.stat().st_size
        if size > MAX_PROFILE_BYTES:
            raise f.error(f"'{f.text}' is {size} bytes: not an ICC profile (the limit is {MAX_PROFILE_BYTES})")
        data = path.read_bytes()
    except OSError as e:
        raise f.error(f"cannot read the ICC profile {path}: {e.strerror}") from None
    import io
    from PIL import ImageCms
    try:
        header = ImageCms.ImageCmsProfile(io.BytesIO(data)).profile
    except (OSError, ValueError, TypeError):
        raise f.error(f"'{f.text}' is not an ICC profile (lcms cannot read it)") from None
    space, device = header.xcolor_space.strip(), header.device_class.strip()
    if space != "CMYK" or device != "prtr" or data[36:40] != b"acsp":
        raise f.error(f"'{f.text}' is an ICC profile for {space or '?'} ({device or '?'}); the output intent "
                      f"needs a CMYK output (printer, 'prtr') profile such as ISOnewspaper26v4.icc")
    return path


def _timezone(f: Field) -> str:
    """An IANA time zone name (Asia/Shanghai), checked against the zone database."""
    import zoneinfo

    name = f.str(max_len=64)
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise f.error(f"unknown time zone '{name}' (an IANA name such as Asia/Shanghai)") from None
    return name


def _font_file(base: Path, f: Field) -> Path:
    """A font file named relative to the style file: it must exist and be an OpenType/TrueType font."""
    rel = f.str()
    fp = _resolve(base, f)
    try:
        ok = fp.is_file()
        head = b""
        if ok:
            with fp.open("rb") as fh:
                head = fh.read(4)
    except OSError as e:
        raise f.error(f"cannot read font file {fp}: {e.strerror}") from None
    if not ok:
        near = ""
        if fp.parent.is_dir():
            near = did_you_mean(fp.name, [x.name for x in fp.parent.iterdir() if x.is_file()], cutoff=0.5)
        raise f.error(f"font file '{rel}' not found{near} (a path is relative to the style file)")
    if head not in FONT_MAGIC:
        what = {b"ttcf": "a font collection (.ttc/.otc); name a single .otf or .ttf",
                b"wOFF": "a web font (WOFF); use the .otf or .ttf", b"wOF2": "a web font (WOFF2); use the .otf or .ttf"}
        raise f.error(f"'{rel}' is not an OpenType or TrueType font"
                      + (f": {what[head]}" if head in what else ""))
    return fp


def find_style(name_or_path: str, relative_to: Path, styles_dir: Path) -> Path:
    """A style given by name (styles/NAME.yaml) or by path (absolute, as is, or under `relative_to`)."""
    p = Path(name_or_path)
    if "/" in name_or_path and p.suffix not in (".yaml", ".yml"):
        raise InputError(str(p), None, None, "", "not a style sheet: a style is a name in styles/ or a .yaml file")
    if p.suffix in (".yaml", ".yml") or "/" in name_or_path:
        for cand in (p, relative_to / p):
            if cand.is_file():
                return cand
        raise InputError(str(p), None, None, "", "style sheet not found")
    cand = styles_dir / f"{name_or_path}.yaml"
    if cand.is_file():
        return cand
    known = sorted(x.stem for x in styles_dir.glob("*.yaml"))
    try:
        shown = str(cand.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        shown = str(cand)
    hint = did_you_mean(name_or_path, known)
    raise InputError(shown, None, None, "", f"no style named '{name_or_path}'" + (hint or f" (known: {', '.join(known)})"))
