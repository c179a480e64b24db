"""The issue file: masthead facts, stories, and the page plan."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .source import Field, InputError, Source


@dataclass(frozen=True)
class Origin:
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


@dataclass(frozen=True)
class EarItem:
    label: str
    kind: str                 # qr | text
    payload: str | None


@dataclass(frozen=True)
class Masthead:
    title: str
    date: dt.date
    number: int
    lunar: str | None         # as printed; checked against the computed one
    weekday: str | None
    publisher: str
    edition_note: str | None
    hotline: str | None
    ear: tuple[EarItem, ...]


@dataclass(frozen=True)
class TeaserItem:
    title: str
    ref: str | None


@dataclass(frozen=True)
class Teaser:
    label: str
    items: tuple[TeaserItem, ...]


@dataclass(frozen=True)
class Photo:
    file: Path | None         # resolved inside the issue folder
    file_text: str | None     # as written in the issue
    caption: str
    credit: str | None
    columns: int | None       # width in story columns (None: the engine chooses)
    origin: Origin
    fit: str = "fill"         # fill: crop to the frame; fit: whole image inside the frame
    focus: tuple[float, float] = (0.5, 0.5)   # point (0..1 from left, top) kept when cropping


@dataclass(frozen=True)
class Paragraph:
    text: str
    kind: str = "body"        # body | subhead


@dataclass(frozen=True)
class Story:
    id: str
    level: int                # headline level 1 (lead) .. 3
    kicker: str | None
    headline: str
    deck: str | None
    dateline: str | None
    body: tuple[Paragraph, ...]
    photo: Photo | None
    origin: Origin


@dataclass(frozen=True)
class GridArea:
    col: int                  # 0-based basic column
    line: int                 # 0-based grid line
    cols: int
    lines: int
    origin: Origin


@dataclass(frozen=True)
class Module:
    story: str | None         # a story id, or
    reserved: str | None      # what the space is reserved for (copy not on file)
    note: str | None
    area: GridArea | None     # None: the engine places it
    columns: int | None       # story columns when they differ from basic columns (变栏)
    origin: Origin


@dataclass(frozen=True)
class Page:
    number: int
    name: str
    modules: tuple[Module, ...]
    editors: tuple[tuple[str, str], ...]   # (责任编辑, 某某) pairs, from the issue


@dataclass(frozen=True)
class Issue:
    path: Path
    display: str
    style: str
    masthead: Masthead
    teaser: Teaser | None
    stories: dict[str, Story]
    pages: tuple[Page, ...]


def _opt_str(f: Field, key: str) -> str | None:
    return f[key].str() if f.has(key) else None


def _span(f: Field) -> tuple[int, int]:
    """`3` or `1-6` (1-based, inclusive) -> (start0, count)."""
    v = f.value
    if isinstance(v, int) and not isinstance(v, bool):
        a = b = v
    elif isinstance(v, str) and "-" in v:
        try:
            a, b = (int(x) for x in v.split("-", 1))
        except ValueError:
            raise f.error(f"expected a number or a range like 1-6, got '{v}'") from None
    else:
        raise f.error(f"expected a number or a range like 1-6, got {v!r}")
    if a < 1 or b < a:
        raise f.error(f"bad range {v!r}: counts from 1 and must not run backwards")
    return a - 1, b - a + 1


def _inside(issue_dir: Path, f: Field) -> Path:
    rel = f.str()
    p = Path(rel)
    if p.is_absolute():
        raise f.error(f"'{rel}': image paths are relative to the issue folder")
    full = (issue_dir / p).resolve()
    if issue_dir.resolve() not in full.parents:
        raise f.error(f"'{rel}' points outside the issue folder")
    return full


def load_issue(path: Path, display: str | None = None) -> Issue:
    src = Source(path, display)
    root = src.root().mapping(["style", "masthead", "teaser", "stories", "pages"],
                              required=["masthead", "stories", "pages"])
    issue_dir = Path(path).resolve().parent

    m = root["masthead"].mapping(
        ["title", "date", "number", "lunar", "weekday", "publisher", "edition_note", "hotline", "ear"],
        required=["title", "date", "number", "publisher"])
    ear = []
    if m.has("ear"):
        for e in m["ear"].list():
            e.mapping(["label", "kind", "payload"], required=["label"])
            ear.append(EarItem(label=e["label"].str(),
                               kind=e["kind"].choice(["qr", "text"]) if e.has("kind") else "text",
                               payload=_opt_str(e, "payload")))
    masthead = Masthead(title=m["title"].str(), date=m["date"].date(), number=m["number"].int(1, 10**6),
                        lunar=_opt_str(m, "lunar"), weekday=_opt_str(m, "weekday"),
                        publisher=m["publisher"].str(), edition_note=_opt_str(m, "edition_note"),
                        hotline=_opt_str(m, "hotline"), ear=tuple(ear))

    teaser = None
    if root.has("teaser"):
        t = root["teaser"].mapping(["label", "items"], required=["items"])
        items = []
        for it in t["items"].list():
            it.mapping(["title", "ref"], required=["title"])
            items.append(TeaserItem(title=it["title"].str(), ref=_opt_str(it, "ref")))
        teaser = Teaser(label=t["label"].str() if t.has("label") else "本期导读", items=tuple(items))

    stories: dict[str, Story] = {}
    for s in root["stories"].list():
        s.mapping(["id", "level", "kicker", "headline", "deck", "dateline", "body", "photo"],
                  required=["id", "headline", "body"])
        sid = s["id"].str()
        if sid in stories:
            raise s["id"].error(f"duplicate story id '{sid}'")
        body = []
        for para in s["body"].list():
            if isinstance(para.value, dict):
                para.mapping(["subhead", "text"])
                if para.has("subhead"):
                    body.append(Paragraph(para["subhead"].str(), "subhead"))
                else:
                    body.append(Paragraph(para["text"].str(), "body"))
            else:
                body.append(Paragraph(para.str(), "body"))
        if not body:
            raise s["body"].error("a story needs at least one paragraph")
        photo = None
        if s.has("photo"):
            ph = s["photo"].mapping(["file", "caption", "credit", "columns", "fit", "focus"], required=["caption"])
            focus = (0.5, 0.5)
            if ph.has("focus"):
                fl = ph["focus"].list()
                if len(fl) != 2:
                    raise ph["focus"].error("expected [x, y], each from 0 (left/top) to 1 (right/bottom)")
                focus = (fl[0].number(0, 1), fl[1].number(0, 1))
            photo = Photo(file=_inside(issue_dir, ph["file"]) if ph.has("file") else None,
                          file_text=_opt_str(ph, "file"), caption=ph["caption"].str(),
                          credit=_opt_str(ph, "credit"),
                          columns=ph["columns"].int(1, 20) if ph.has("columns") else None,
                          origin=_origin(ph), fit=ph["fit"].choice(["fill", "fit"]) if ph.has("fit") else "fill",
                          focus=focus)
        stories[sid] = Story(id=sid, level=s["level"].int(1, 3) if s.has("level") else 2,
                             kicker=_opt_str(s, "kicker"), headline=s["headline"].str(),
                             deck=_opt_str(s, "deck"), dateline=_opt_str(s, "dateline"),
                             body=tuple(body), photo=photo, origin=_origin(s))

    pages = []
    placed: dict[str, Field] = {}
    numbers: set[int] = set()
    for pf in root["pages"].list():
        pf.mapping(["number", "name", "modules", "editors"], required=["number", "modules"])
        num = pf["number"].int(1, 999)
        if num in numbers:
            raise pf["number"].error(f"duplicate page number {num}")
        numbers.add(num)
        modules = []
        for mf in pf["modules"].list():
            mf.mapping(["story", "reserved", "note", "area", "columns"])
            if mf.has("story") == mf.has("reserved"):
                raise mf.error("a module holds either 'story' (an id) or 'reserved' (copy not on file)")
            sid = None
            if mf.has("story"):
                sid = mf["story"].str()
                if sid not in stories:
                    raise mf["story"].error(f"no story with id '{sid}' (known: {', '.join(stories)})")
                if sid in placed:
                    raise mf["story"].error(f"story '{sid}' is already placed at {placed[sid].name}")
                placed[sid] = mf
            area = None
            if mf.has("area"):
                af = mf["area"].mapping(["columns", "lines"], required=["columns", "lines"])
                c0, nc = _span(af["columns"])
                l0, nl = _span(af["lines"])
                area = GridArea(col=c0, line=l0, cols=nc, lines=nl, origin=_origin(af))
            modules.append(Module(story=sid, reserved=_opt_str(mf, "reserved"), note=_opt_str(mf, "note"),
                                  area=area, columns=mf["columns"].int(1, 20) if mf.has("columns") else None,
                                  origin=_origin(mf)))
        editors = []
        if pf.has("editors"):
            for k, v in pf["editors"].items():
                editors.append((k, v.str()))
        pages.append(Page(number=num, name=pf["name"].str() if pf.has("name") else f"第{num}版",
                          modules=tuple(modules), editors=tuple(editors)))
    if not pages:
        raise root["pages"].error("the page plan has no pages")
    expected = list(range(1, len(pages) + 1))
    if sorted(numbers) != expected:
        raise root["pages"].error(f"pages must be numbered 1..{len(pages)}, got {sorted(numbers)}")
    unplaced = [sid for sid in stories if sid not in placed]
    if unplaced:
        raise root["stories"].error(f"stories not on any page: {', '.join(unplaced)}")

    return Issue(path=Path(path), display=display or str(path),
                 style=root["style"].str() if root.has("style") else "kecheng",
                 masthead=masthead, teaser=teaser, stories=stories,
                 pages=tuple(sorted(pages, key=lambda p: p.number)))
