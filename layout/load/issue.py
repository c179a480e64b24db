"""The issue file: masthead facts, stories, and the page plan.

Validated as it is read; every refusal names file, line, column and field path. Besides the
shape of the file: story ids unique and each story on exactly one page (a story marked
`held: true` is on file and on no page: render.py import keeps copy there until it is placed); pages numbered 1..N;
a module's `jump: N` (the story continues on page N, 转第N版) names another page of the issue;
`style:` is a name in styles/ or a path relative to the issue file; photo files lie inside the
issue's folder and, when present, are JPEG or PNG that decode, of at most 100 megapixels (30 for a
PNG or a progressive JPEG, which cannot be decoded at a reduced size); copy
is bounded (a paragraph 20,000 characters, a headline 500, the issue 2 MB) and free of control
characters. Grid areas are checked against the style's grid by the place stage.
"""
from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import msgspec

from .source import Field, InputError, Source, did_you_mean

STYLES_DIR = Path(__file__).resolve().parent.parent.parent / "styles"

# Limits: copy beyond these is refused with a message naming the field, so that a slip
# (a whole file pasted into one paragraph) cannot make a render run for minutes.
MAX_PARAGRAPH = 20_000                # characters in one paragraph
MAX_LINE_TEXT = 500                   # headline, kicker, deck, dateline, caption, labels ...
MAX_COPY_BYTES = 2 * 1024 * 1024      # all story copy of an issue, UTF-8
MAX_STORIES = 2_000
MAX_MODULES_PER_PAGE = 24
MAX_IMAGE_PIXELS = 100_000_000        # width x height, checked from the header before decoding
# A baseline JPEG is decoded at a reduced scale (1/2 to 1/8, straight from the DCT); a PNG or a
# progressive JPEG cannot be, and is decoded whole (a 100 MP one takes seconds and gigabytes).
MAX_WHOLE_DECODE_PIXELS = 30_000_000
IMAGE_FORMATS = ("JPEG", "PNG")


class Origin(msgspec.Struct, frozen=True):
    """Where a value came from, for messages in later stages."""
    file: str
    line: int | None
    col: int | None
    field: str

    def error(self, message: str) -> InputError:
        return InputError(self.file, self.line, self.col, self.field, message)


def _origin(f: Field) -> Origin:
    e = f.error("")
    return Origin(e.file, e.line, e.col, e.field)


class EarItem(msgspec.Struct, frozen=True):
    label: str
    kind: str                 # qr | text
    payload: str | None


class Masthead(msgspec.Struct, frozen=True):
    title: str
    date: dt.date
    number: int
    lunar: str | None         # as printed; checked against the computed one
    weekday: str | None
    publisher: str
    edition_note: str | None
    hotline: str | None
    ear: tuple[EarItem, ...]
    licence: str | None = None    # 准印证号 / 刊号 line, as printed on page 1
    internal: bool = False        # a 内部资料性出版物: page 1 says 内部资料 免费交流


class TeaserItem(msgspec.Struct, frozen=True):
    title: str
    ref: str | None


class Teaser(msgspec.Struct, frozen=True):
    label: str
    items: tuple[TeaserItem, ...]


class Wrap(msgspec.Struct, frozen=True):
    """A photo standing inside its story's text (图文互斥, place/wrap.py). Columns are story
    columns, lines count from the top of the module's text area, both 0-based here."""
    at: str = "center"                      # left | center | right: the engine's place
    columns: tuple[int, int] | None = None  # (first, count) story columns it stands in
    lines: tuple[int, int] | None = None    # (first, count) text-area lines, caption included
    chars: int | None = None                # width in characters, across gutters if columns > 1 (None: whole columns)
    side: str = "right"                     # which edge of its columns a narrower photo keeps, or center


WRAP_AT = ("left", "center", "right")


class Photo(msgspec.Struct, frozen=True):
    file: Path | None         # resolved inside the issue folder
    file_text: str | None     # as written in the issue
    caption: str
    credit: str | None
    columns: int | None       # width in story columns (None: the engine chooses)
    origin: Origin
    fit: str = "fill"         # fill: crop to the frame; fit: whole image inside the frame
    focus: tuple[float, float] = (0.5, 0.5)   # point (0..1 from left, top) kept when cropping
    wrap: Wrap | None = None  # set inside the text, the lines beside it shortened (issue 19)


class Paragraph(msgspec.Struct, frozen=True):
    text: str
    kind: str = "body"        # body | subhead | brief_title (an item's title in briefs)


class Story(msgspec.Struct, frozen=True):
    id: str
    level: int                # headline level 1 (lead) .. 3
    kicker: str | None
    headline: str
    deck: str | None
    dateline: str | None
    body: tuple[Paragraph, ...]
    photo: Photo | None
    origin: Origin
    weight: float | None = None   # importance on its page (higher first); None: plan order
    headline_block: str = "horizontal"   # horizontal | vertical (竖排: place/vertical.py)
    side: str = "right"                  # where a vertical headline block stands: right | left
    kind: str = "news"        # news | briefs (简讯) | photo (图片新闻) | commentary (评论): place/module.py
    label: str | None = None  # a 栏目 label over the module (今日关注)
    byline: str | None = None # commentary: the author line under the headline (本报评论员 某某)


class GridArea(msgspec.Struct, frozen=True):
    col: int                  # 0-based basic column
    line: int                 # 0-based grid line
    cols: int
    lines: int
    origin: Origin


class Ad(msgspec.Struct, frozen=True):
    """An ad module (广告): a supplied image or PDF at a size the style books (通栏, 半通栏 …),
    placed where `at` says (bottom, bottom-left, bottom-right, top, ear) or the module's area."""
    file: Path | None         # resolved inside the issue folder
    file_text: str | None     # as written in the issue
    size: str                 # a name of the style's `ads.sizes`
    at: str | None            # None: the module's area (or the page's foot when it has none)
    origin: Origin


class Module(msgspec.Struct, frozen=True):
    story: str | None         # a story id, or
    reserved: str | None      # what the space is reserved for (copy not on file)
    note: str | None
    area: GridArea | None     # None: the engine places it
    columns: int | None       # story columns when they differ from basic columns (变栏)
    origin: Origin
    continued_on: int | None = None   # `jump: N`: the story's rest continues on page N (转第N版)
    weight: float | None = None       # importance on the page (higher first); None: the story's, or plan order
    ad: Ad | None = None              # `ad: {file, size, at}`: an ad module, placed before the stories


class Page(msgspec.Struct, frozen=True):
    number: int
    name: str
    modules: tuple[Module, ...]
    editors: tuple[tuple[str, str], ...]   # (责任编辑, 某某) pairs, from the issue
    origin: Origin | None = None           # the page's entry in the plan, for located messages
    # `spread: [2, 3]` (通版): the two facing pages made up as one design across the fold; the
    # left page holds the spread's modules (on one grid of both pages' columns), the right none
    spread: tuple[int, int] | None = None


class Issue(msgspec.Struct, frozen=True):
    path: Path
    display: str
    style: str
    masthead: Masthead
    teaser: Teaser | None
    stories: dict[str, Story]
    pages: tuple[Page, ...]
    imprint: tuple[tuple[str, str], ...] = ()   # 报尾: (地址, ...) pairs, in the issue's order


def _opt_str(f: Field, key: str, max_len: int = MAX_LINE_TEXT) -> str | None:
    return f[key].str(max_len=max_len) if f.has(key) else None


def _wrap(f: Field) -> Wrap | None:
    """`wrap: true`, a place keyword (left, center, right) or
    `{columns: 2, lines: 10-24, chars: 6, side: left|right}` (1-based, inclusive); `chars` with
    two or more columns stands the photo across their gutters (`side: center` centres it)."""
    v = f.value
    if v is False:
        return None
    if v is True:
        return Wrap()
    if isinstance(v, str):
        return Wrap(at=f.choice(list(WRAP_AT)))
    w = f.mapping(["at", "columns", "lines", "chars", "side"])
    return Wrap(at=w["at"].choice(list(WRAP_AT)) if w.has("at") else "center",
                columns=_span(w["columns"]) if w.has("columns") else None,
                lines=_span(w["lines"]) if w.has("lines") else None,
                chars=w["chars"].int(2, 100) if w.has("chars") else None,
                side=w["side"].choice(["left", "right", "center"]) if w.has("side") else "right")


def _span(f: Field) -> tuple[int, int]:
    """`3` or `1-6` (1-based, inclusive) -> (start0, count)."""
    v = f.value
    if isinstance(v, int) and not isinstance(v, bool):
        a = b = v
    elif isinstance(v, str) and "-" in v.strip().lstrip("-"):
        try:
            a, b = (int(x) for x in v.split("-", 1))
        except ValueError:
            raise f.error(f"expected a number or a range like 1-6, got '{v}'") from None
    else:
        raise f.error(f"expected a number or a range like 1-6, got {f.text!r}")
    if a < 1 or b < a:
        raise f.error(f"bad range {f.text!r}: counts from 1 and must not run backwards")
    if b > 10_000:
        raise f.error(f"bad range {f.text!r}: far larger than any page")
    return a - 1, b - a + 1


def _inside(issue_dir: Path, f: Field) -> Path:
    rel = f.str()
    if "\x00" in rel or len(rel) > 1024:
        raise f.error("not a usable file name")
    p = Path(rel)
    if p.is_absolute() or rel.startswith("~"):
        raise f.error(f"'{rel}': image paths are relative to the issue folder")
    try:
        full = (issue_dir / p).resolve()
    except (OSError, RuntimeError) as e:
        raise f.error(f"'{rel}': cannot resolve the path ({e})") from None
    if issue_dir.resolve() not in full.parents:
        raise f.error(f"'{rel}' points outside the issue folder")
    return full


def _check_image(path: Path, f: Field) -> None:
    """A photo on file must be a readable JPEG or PNG of sane size. The size comes from the
    header (Pillow reads lazily), so a huge image is refused before it is decoded. A photo
    not on file is not an error here: the engine keeps its frame and reports it."""
    rel = f.text
    try:
        if not path.exists():
            return
        if not path.is_file():
            raise f.error(f"'{rel}' is a folder, not an image file")
    except OSError as e:
        raise f.error(f"'{rel}': cannot read ({e.strerror})") from None
    from PIL import Image, UnidentifiedImageError
    bomb_limit = Image.MAX_IMAGE_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")          # DecompressionBombWarning: we judge the size ourselves
            Image.MAX_IMAGE_PIXELS = None            # ... and say how large it is (restored below)
            with Image.open(path) as im:
                Image.MAX_IMAGE_PIXELS = bomb_limit
                w, h = im.size
                if im.format not in IMAGE_FORMATS:
                    raise f.error(f"'{rel}' is a {im.format} image; use JPEG or PNG")
                if w * h > MAX_IMAGE_PIXELS:
                    raise f.error(f"'{rel}' is {w}×{h} pixels ({w * h / 1e6:.0f} megapixels); "
                                  f"the limit is {MAX_IMAGE_PIXELS / 1e6:.0f} megapixels")
                if w < 1 or h < 1:
                    raise f.error(f"'{rel}' has no pixels")
                whole = "a PNG" if im.format == "PNG" else "a progressive JPEG" if im.info.get("progressive") else ""
                if whole and w * h > MAX_WHOLE_DECODE_PIXELS:
                    raise f.error(f"'{rel}' is {whole} of {w}×{h} pixels ({w * h / 1e6:.0f} megapixels); "
                                  f"{whole} is decoded whole, and the limit for it is "
                                  f"{MAX_WHOLE_DECODE_PIXELS / 1e6:.0f} megapixels (save it as a baseline JPEG, "
                                  f"or smaller)")
                if im.format == "JPEG":
                    im.draft("RGB", (max(1, w // 8), max(1, h // 8)))   # decode at 1/8 scale: fast
                    im.load()
                else:
                    im.verify()                      # chunk checksums
            if im.format == "PNG":                   # and the pixel data (bounded by the limit above)
                with Image.open(path) as im2:
                    im2.load()
    except InputError:
        raise
    except Image.DecompressionBombError:
        raise f.error(f"'{rel}' is larger than the limit of {MAX_IMAGE_PIXELS / 1e6:.0f} megapixels") from None
    except UnidentifiedImageError:
        raise f.error(f"'{rel}' is not a readable JPEG or PNG image") from None
    except Exception as e:       # truncated or corrupt data: Pillow raises many kinds
        raise f.error(f"'{rel}' is not a readable JPEG or PNG image (truncated or damaged: {e})") from None
    finally:
        Image.MAX_IMAGE_PIXELS = bomb_limit


STORY_KINDS = ("news", "briefs", "photo", "commentary")


def _check_kind(s: Field, kind: str) -> None:
    """Each kind has the parts its form needs: briefs their items (no body), photo news a
    headline and a photo and no body, a byline only on commentary; every other story a headline
    and body."""
    given = s.value
    if kind == "briefs":
        if "items" not in given or "body" in given:
            raise s.error("briefs (kind: briefs) hold 'items' (each {title, text}), not 'body'")
    elif "items" in given:
        raise s["items"].error("'items' are the items of briefs: they need kind: briefs")
    if kind == "photo":
        if "photo" not in given or "body" in given:
            raise s.error("photo news (kind: photo) is a 'photo' with its caption, and no 'body'")
        s.mapping(given, required=["headline"])
    elif kind != "briefs":
        s.mapping(given, required=["headline", "body"])
    if "byline" in given and kind != "commentary":
        raise s["byline"].error("a byline is the author line of commentary: it needs kind: commentary")


def _brief_items(f: Field, budget: list[int]) -> list[Paragraph]:
    """Briefs' items as paragraphs: each its title (a bold lead-in line) and its text."""
    out = []
    for it in f.list(max_items=40):
        it.mapping(["title", "text"], required=["text"])
        if it.has("title"):
            out.append(Paragraph(_text(it["title"], budget, MAX_LINE_TEXT), "brief_title"))
        out.append(Paragraph(_text(it["text"], budget), "body"))
    if not out:
        raise f.error("briefs need at least one item")
    return out


AD_PLACES = ("bottom", "bottom-left", "bottom-right", "top", "ear")


def _ad(f: Field, issue_dir: Path) -> Ad:
    """`ad: {file: ads/x.png, size: 半通栏, at: bottom}`. The size is checked against the style
    by the place stage; a file not on file is kept as a marked frame there."""
    af = f.mapping(["file", "size", "at"], required=["file", "size"])
    file = _inside(issue_dir, af["file"])
    if file.suffix.lower() == ".pdf":
        _check_pdf(file, af["file"])
    else:
        _check_image(file, af["file"])
    return Ad(file=file, file_text=af["file"].str(max_len=1024), size=af["size"].str(max_len=40),
              at=af["at"].choice(list(AD_PLACES)) if af.has("at") else None, origin=_origin(af))


def _check_pdf(path: Path, f: Field) -> None:
    """A PDF ad on file must be a readable, unencrypted PDF of one page (its content is judged
    against PDF/X-1a by the place stage); not on file, its frame is kept as for an image."""
    from .pdfpage import PdfPageError, open_page
    try:
        if not path.exists():
            return
        if not path.is_file():
            raise f.error(f"'{f.text}' is a folder, not a PDF file")
    except OSError as e:
        raise f.error(f"'{f.text}': cannot read ({e.strerror})") from None
    try:
        open_page(path)
    except PdfPageError as e:
        raise f.error(f"'{f.text}' {e}") from None


def _check_qr(payload: str, f: Field) -> None:
    """The payload must fit a QR code at the error correction the masthead prints (M)."""
    import segno
    try:
        segno.make(payload, error="m", micro=False)
    except segno.DataOverflowError:
        raise f.error(f"{len(payload)} characters ({len(payload.encode('utf-8'))} bytes) are too many for "
                      f"any QR code at error correction M (a URL of a few dozen characters is usual)") from None
    except ValueError as e:
        raise f.error(f"cannot be made into a QR code: {e}") from None


def _style(f: Field, issue_dir: Path) -> str:
    """The style the issue names: a name in styles/, or a path relative to the issue file
    (returned absolute, so that it does not depend on the working directory)."""
    s = f.str(max_len=1024)
    p = Path(s)
    if p.suffix in (".yaml", ".yml") or "/" in s or "\\" in s:
        if p.suffix not in (".yaml", ".yml"):     # never read (and echo) some other file as a style
            raise f.error(f"'{s}' is not a style sheet: a style is a name in styles/ or a .yaml file")
        cand = p if p.is_absolute() else issue_dir / p
        try:
            ok = cand.is_file()
        except OSError:
            ok = False
        if not ok:
            raise f.error(f"style sheet '{s}' not found (a path is relative to the issue file)")
        return str(cand.resolve())
    if not (STYLES_DIR / f"{s}.yaml").is_file():
        known = sorted(x.stem for x in STYLES_DIR.glob("*.yaml"))
        hint = did_you_mean(s, known)
        raise f.error(f"unknown style '{s}'" + (hint or f" (known: {', '.join(known)})"))
    return s


def _spread(pf: Field) -> tuple[int, int]:
    """`spread: [2, 3]`: a left-hand (even) page and the right-hand page facing it. The front
    page stands alone; a 通版 is made up on the inside pages."""
    f = pf["spread"]
    items = f.list()
    if len(items) != 2:
        raise f.error("expected [left, right]: two facing pages, e.g. [2, 3]")
    left, right = items[0].int(2, 998), items[1].int(3, 999)
    if right != left + 1 or left % 2:
        raise f.error(f"pages {left} and {right} do not face each other: a spread is an even page and the "
                      f"odd page after it ([2, 3], [4, 5] …)")
    return left, right


def _text(f: Field, budget: list[int], max_len: int = MAX_PARAGRAPH) -> str:
    """Copy text, counted against the issue's copy budget."""
    s = f.str(max_len=max_len)
    budget[0] -= len(s.encode("utf-8"))
    if budget[0] < 0:
        raise f.error(f"the issue's copy passes {MAX_COPY_BYTES // (1024 * 1024)} MB here "
                      f"(the limit is {MAX_COPY_BYTES} bytes of text)")
    return s


def load_issue(path: Path, display: str | None = None) -> Issue:
    src = Source(path, display)
    root = src.root().mapping(["style", "masthead", "teaser", "stories", "pages", "imprint"],
                              required=["masthead", "stories", "pages"])
    issue_dir = Path(path).resolve().parent
    style = _style(root["style"], issue_dir) if root.has("style") else "kecheng"

    m = root["masthead"].mapping(
        ["title", "date", "number", "lunar", "weekday", "publisher", "edition_note", "hotline", "ear",
         "licence", "internal"],
        required=["title", "date", "number", "publisher"])
    ear = []
    if m.has("ear"):
        for e in m["ear"].list(max_items=10):
            e.mapping(["label", "kind", "payload"], required=["label"])
            item = EarItem(label=e["label"].str(max_len=MAX_LINE_TEXT),
                           kind=e["kind"].choice(["qr", "text"]) if e.has("kind") else "text",
                           payload=_opt_str(e, "payload", 4000))
            if item.kind == "qr" and item.payload is not None:
                _check_qr(item.payload, e["payload"])
            ear.append(item)
    date = m["date"].date()
    if not 1900 <= date.year <= 2199:
        raise m["date"].error(f"{date.isoformat()} is not a plausible issue date (years 1900-2199)")
    masthead = Masthead(title=m["title"].str(max_len=100), date=date, number=m["number"].int(1, 10**6),
                        lunar=_opt_str(m, "lunar"), weekday=_opt_str(m, "weekday"),
                        publisher=m["publisher"].str(max_len=MAX_LINE_TEXT), edition_note=_opt_str(m, "edition_note"),
                        hotline=_opt_str(m, "hotline"), ear=tuple(ear), licence=_opt_str(m, "licence"),
                        internal=m["internal"].bool() if m.has("internal") else False)
    imprint = tuple((k, v.str(max_len=MAX_LINE_TEXT)) for k, v in root["imprint"].items()) \
        if root.has("imprint") else ()

    teaser = None
    if root.has("teaser"):
        t = root["teaser"].mapping(["label", "items"], required=["items"])
        items = []
        for it in t["items"].list(max_items=50):
            it.mapping(["title", "ref"], required=["title"])
            items.append(TeaserItem(title=it["title"].str(max_len=MAX_LINE_TEXT), ref=_opt_str(it, "ref")))
        teaser = Teaser(label=t["label"].str(max_len=MAX_LINE_TEXT) if t.has("label") else "本期导读",
                        items=tuple(items))

    budget = [MAX_COPY_BYTES]
    stories: dict[str, Story] = {}
    held: dict[str, Field] = {}           # `held: true`: on file, on no page yet (render.py import)
    for s in root["stories"].list(max_items=MAX_STORIES):
        s.mapping(["id", "level", "held", "kicker", "headline", "deck", "dateline", "body", "photo", "weight",
                   "headline_block", "side", "kind", "label", "byline", "items"],
                  required=["id"])
        kind = s["kind"].choice(list(STORY_KINDS)) if s.has("kind") else "news"
        _check_kind(s, kind)
        sid = s["id"].str(max_len=100)
        if sid in stories or sid in held:
            first = stories[sid].origin if sid in stories else _origin(held[sid])
            raise s["id"].error(f"duplicate story id '{sid}' (also {first.field}, line {first.line})")
        if s.has("held") and s["held"].bool():
            held[sid] = s
            continue
        kicker = _text(s["kicker"], budget, MAX_LINE_TEXT) if s.has("kicker") else None
        # briefs may leave their label to the default; every other story names its headline
        headline = "简讯" if kind == "briefs" and "headline" not in s.value else _text(s["headline"], budget,
                                                                                        MAX_LINE_TEXT)
        label = _text(s["label"], budget, MAX_LINE_TEXT) if s.has("label") else None
        byline = _text(s["byline"], budget, MAX_LINE_TEXT) if s.has("byline") else None
        deck = _text(s["deck"], budget, MAX_LINE_TEXT) if s.has("deck") else None
        dateline = _text(s["dateline"], budget, MAX_LINE_TEXT) if s.has("dateline") else None
        body = _brief_items(s["items"], budget) if kind == "briefs" else []
        for para in (s["body"].list() if s.has("body") else []):
            if isinstance(para.value, dict):
                para.mapping(["subhead", "text"])
                if para.has("subhead") == para.has("text"):
                    raise para.error("a paragraph mapping holds either 'subhead' or 'text'")
                if para.has("subhead"):
                    body.append(Paragraph(_text(para["subhead"], budget, MAX_LINE_TEXT), "subhead"))
                else:
                    body.append(Paragraph(_text(para["text"], budget), "body"))
            else:
                body.append(Paragraph(_text(para, budget), "body"))
        if not body and kind != "photo":
            raise s["body"].error("a story needs at least one paragraph")
        if body and all(para.kind == "subhead" for para in body):
            raise s["body"].error("the body holds only subheads: a story needs at least one paragraph of text")
        photo = None
        if s.has("photo"):
            ph = s["photo"].mapping(["file", "caption", "credit", "columns", "fit", "focus", "wrap"],
                                    required=["caption"])
            focus = (0.5, 0.5)
            if ph.has("focus"):
                fl = ph["focus"].list()
                if len(fl) != 2:
                    raise ph["focus"].error("expected [x, y], each from 0 (left/top) to 1 (right/bottom)")
                focus = (fl[0].number(0, 1), fl[1].number(0, 1))
            file = None
            if ph.has("file"):
                file = _inside(issue_dir, ph["file"])
                _check_image(file, ph["file"])
            photo = Photo(file=file, file_text=_opt_str(ph, "file", 1024),
                          caption=_text(ph["caption"], budget, MAX_LINE_TEXT),
                          credit=_text(ph["credit"], budget, 100) if ph.has("credit") else None,
                          columns=ph["columns"].int(1, 20) if ph.has("columns") else None,
                          origin=_origin(ph), fit=ph["fit"].choice(["fill", "fit"]) if ph.has("fit") else "fill",
                          focus=focus, wrap=_wrap(ph["wrap"]) if ph.has("wrap") else None)
        stories[sid] = Story(id=sid, level=s["level"].int(1, 3) if s.has("level") else 2,
                             kicker=kicker, headline=headline, deck=deck, dateline=dateline,
                             body=tuple(body), photo=photo, origin=_origin(s),
                             weight=s["weight"].number(0, 10**6) if s.has("weight") else None,
                             headline_block=(s["headline_block"].choice(["horizontal", "vertical"])
                                             if s.has("headline_block") else "horizontal"),
                             side=s["side"].choice(["right", "left"]) if s.has("side") else "right",
                             kind=kind, label=label, byline=byline)
        if s.has("side") and stories[sid].headline_block != "vertical":
            raise s["side"].error("'side' places a vertical headline block: it needs headline_block: vertical")

    pages = []
    placed: dict[str, Field] = {}
    numbers: dict[int, Field] = {}
    jumps: list[tuple[Field, int]] = []
    for pf in root["pages"].list(max_items=999):
        pf.mapping(["number", "spread", "name", "modules", "editors"], required=["modules"])
        spread = _spread(pf) if pf.has("spread") else None
        if spread and pf.has("number"):
            raise pf["number"].error("a spread's entry names its pages in 'spread: [left, right]', not 'number'")
        if spread is None and not pf.has("number"):
            raise pf.key_error("missing key 'number' (or 'spread: [left, right]' for two facing pages)")
        num = spread[0] if spread else pf["number"].int(1, 999)
        for n in spread or (num,):
            if n in numbers:
                raise (pf["spread"] if spread else pf["number"]).error(
                    f"duplicate page number {n} (also {numbers[n].name})")
            numbers[n] = pf
        modules = []
        mlist = pf["modules"].list(max_items=MAX_MODULES_PER_PAGE)
        if not mlist:
            raise pf["modules"].error("a page needs at least one module (use 'reserved:' for space awaiting copy)")
        for mf in mlist:
            mf.mapping(["story", "reserved", "note", "area", "columns", "jump", "weight", "ad"])
            if mf.has("ad") and (mf.has("story") or mf.has("reserved")):
                raise mf.error("an ad module holds only its 'ad' (no 'story' or 'reserved')")
            if not mf.has("ad") and mf.has("story") == mf.has("reserved"):
                raise mf.error("a module holds either 'story' (an id) or 'reserved' (copy not on file)")
            sid = None
            if mf.has("story"):
                sid = mf["story"].str()
                if sid in held:
                    raise mf["story"].error(f"story '{sid}' is held (held: true at {held[sid].name}): "
                                            "delete that line to place it")
                if sid not in stories:
                    known = list(stories)
                    raise mf["story"].error(f"no story with id '{sid}'{did_you_mean(sid, known)}"
                                            f" (known: {', '.join(known[:20])}{' …' if len(known) > 20 else ''})")
                if sid in placed:
                    raise mf["story"].error(f"story '{sid}' is already placed at {placed[sid].name}")
                placed[sid] = mf
            jump = None
            if mf.has("jump"):
                if sid is None:
                    raise mf["jump"].error("only a story can jump to another page (this module is reserved space)")
                jump = mf["jump"].int(1, 999)
                if jump == num or spread and jump in spread:
                    raise mf["jump"].error(f"a story cannot jump to its own page ({jump})"
                                           + (f": pages {spread[0]}-{spread[1]} are one spread" if spread else ""))
                ph = stories[sid].photo
                if ph is not None and ph.wrap is not None:     # issue 19: a jump's parts are cut by full-measure lines
                    at = f" (its photo at line {ph.origin.line})" if ph.origin.line else ""
                    raise mf["jump"].error(f"story '{sid}' has its photo wrapped in its text{at}: a story that "
                                           "jumps cannot wrap its photo; delete the photo's 'wrap' (it then "
                                           "stands across the top of the first part) or the jump")
                jumps.append((mf["jump"], jump))
            area = None
            if mf.has("area"):
                af = mf["area"].mapping(["columns", "lines"], required=["columns", "lines"])
                c0, nc = _span(af["columns"])
                l0, nl = _span(af["lines"])
                area = GridArea(col=c0, line=l0, cols=nc, lines=nl, origin=_origin(af))
            ad = _ad(mf["ad"], issue_dir) if mf.has("ad") else None
            if ad is not None and (mf.has("jump") or mf.has("columns")):
                raise mf.error("an ad module takes no 'jump' or 'columns': it is placed at its booked size")
            modules.append(Module(story=sid, reserved=_opt_str(mf, "reserved"), note=_opt_str(mf, "note"),
                                  area=area, columns=mf["columns"].int(1, 20) if mf.has("columns") else None,
                                  origin=_origin(mf), continued_on=jump,
                                  weight=mf["weight"].number(0, 10**6) if mf.has("weight") else None,
                                  ad=ad))
        editors = []
        if pf.has("editors"):
            for k, v in pf["editors"].items():
                editors.append((k, v.str(max_len=100)))
        name = pf["name"].str(max_len=100) if pf.has("name") else None
        pages.append(Page(number=num, name=name or f"第{num}版", modules=tuple(modules), editors=tuple(editors),
                          origin=_origin(pf), spread=spread))
        if spread:      # the right-hand page: its own header and marks, the spread's modules on the left
            pages.append(Page(number=spread[1], name=name or f"第{spread[1]}版", modules=(),
                              editors=tuple(editors), origin=_origin(pf), spread=spread))
    if not pages:
        raise root["pages"].error("the page plan has no pages")
    expected = list(range(1, len(pages) + 1))
    if sorted(numbers) != expected:
        gap = next(n for n in expected if n not in numbers)
        extra = min(n for n in numbers if n > len(pages))
        ef = numbers[extra]
        raise (ef["spread"] if ef.has("spread") else ef["number"]).error(f"page {extra}, but there is no page {gap}: the {len(pages)} "
                                             f"pages of the plan are numbered 1..{len(pages)}")
    for jf, target in jumps:
        if target not in numbers:
            raise jf.error(f"jump to page {target}, but the issue has pages 1..{len(pages)}")
    unplaced = [sid for sid in stories if sid not in placed]
    if unplaced:
        first = stories[unplaced[0]].origin
        raise InputError(first.file, first.line, first.col, first.field,
                         f"story '{unplaced[0]}' is not on any page"
                         + (f" (nor are: {', '.join(unplaced[1:])})" if len(unplaced) > 1 else "")
                         + "; add it to a page's modules")

    return Issue(path=Path(path), display=display or str(path), style=style,
                 masthead=masthead, teaser=teaser, stories=stories,
                 pages=tuple(sorted(pages, key=lambda p: p.number)), imprint=imprint)
