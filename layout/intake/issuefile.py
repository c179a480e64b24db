"""The issue file, edited in place: stories added, modules placed, a new issue from the last one.

The file is read and written with ruamel.yaml's round trip, so its comments, key order, quoting
and layout are kept: an import only adds lines (a story and its module), and a file read and
written with no change comes out byte for byte the same.

Story ids come from the file name (`区委会议.docx` has no Latin letters, so the id is `story`),
made unique in the issue with -2, -3 …; the same file imported into the same issue gets the
same id. Each imported story carries a comment naming its file and the file's SHA-256, so that
a second import of the same file is refused rather than doubled.

A story with no page named is kept in the issue with `held: true` (on file, not on a page: the
loader accepts it and the render does not set it); naming its page later means replacing that
line by a module `- story: id` in the page's plan.
"""
from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

_LEVEL_NOTE = re.compile(r"([一二三])级稿")
_LEVELS = "一二三"


def yaml_rt() -> YAML:
    y = YAML()
    y.preserve_quotes = True
    y.width = 100_000                  # never fold a paragraph
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def load_rt(path: Path):
    y = yaml_rt()
    return y, y.load(path.read_text(encoding="utf-8"))


def dump_rt(y: YAML, data) -> str:
    out = io.StringIO()
    y.dump(data, out)
    return out.getvalue()


def _slug(stem: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    return s[:40].strip("-") or "story"


def story_id(stem: str, taken: set[str]) -> str:
    base = _slug(stem)
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def existing_ids(data) -> set[str]:
    return {str(s.get("id")) for s in (data.get("stories") or []) if isinstance(s, dict)}


def _last(node):
    """(container, key, slot) of the last scalar in `node`, where ruamel keeps the comment (and
    the blank lines) that follow it: slot 2 of a mapping's key, slot 0 of a list's index."""
    while True:
        if isinstance(node, dict) and node:
            key = list(node.keys())[-1]
            if not isinstance(node[key], (dict, list)) or not node[key]:
                return node, key, 2
            node = node[key]
        elif isinstance(node, list) and node:
            if not isinstance(node[-1], (dict, list)) or not node[-1]:
                return node, len(node) - 1, 0
            node = node[-1]
        else:
            return None


def keep_trailing_blank(previous, new) -> None:
    """The blank lines that followed the list's last item follow the item appended after it too
    (ruamel keeps them on the old item's last scalar)."""
    old, new_at = _last(previous), _last(new)
    if old is None or new_at is None:
        return
    container, key, slot = old
    entry = container.ca.items.get(key) if hasattr(container, "ca") else None
    token = entry[slot] if entry and len(entry) > slot else None
    if token is None or not str(getattr(token, "value", "")).strip("\n") == "":
        return
    from ruamel.yaml.tokens import CommentToken
    ncontainer, nkey, nslot = new_at
    slots = [None, None, None, None]
    slots[nslot] = CommentToken(token.value, token.start_mark, None)
    ncontainer.ca.items[nkey] = slots


def story_map(sid: str, level: int, draft, texts: dict[str, str], photo_file: str | None,
              held: bool) -> CommentedMap:
    """The story as the issue file writes it, from the recognised parts and their cleaned texts
    (`texts`: field -> text, fields named as in clean.Change)."""
    m = CommentedMap()
    m["id"] = sid
    m["level"] = level
    if held:
        m["held"] = True
    for key in ("kicker", "headline", "deck", "dateline"):
        if key in texts:
            m[key] = texts[key]
    body = CommentedSeq()
    for k, part in enumerate(draft.body):
        text = texts[f"body[{k}]"]
        if not text:
            continue
        body.append(CommentedMap([("subhead", text)]) if part.kind == "subhead" else text)
    m["body"] = body
    if draft.photo is not None:
        ph = CommentedMap()
        if photo_file:
            ph["file"] = photo_file
        ph["caption"] = texts["photo.caption"]
        if "photo.credit" in texts:
            ph["credit"] = texts["photo.credit"]
        m["photo"] = ph
    return m


def page_map(data, number: int):
    """The plan's entry of page `number` (a spread's entry for either of its pages)."""
    for p in data.get("pages") or []:
        if isinstance(p, dict) and (p.get("number") == number or number in (p.get("spread") or ())):
            return p
    return None


def page_label(p) -> str:
    """A plan entry's page number as the desk writes it: 2, or 2-3 for a spread (通版)."""
    if "spread" in p:
        return "-".join(str(n) for n in p["spread"])
    return str(p["number"])


def reserved_level(module) -> int | None:
    note = str(module.get("note") or "")
    m = _LEVEL_NOTE.search(note)
    return _LEVELS.index(m.group(1)) + 1 if m else None


def place_story(page, sid: str) -> tuple[str, int | None]:
    """Put story `sid` on `page` (a plan entry): into its first frame reserved for copy, keeping
    the frame's area and columns, else as a new module the engine places. Returns how it was
    placed and the level the frame asked for (or None)."""
    modules = page["modules"]
    for k, mod in enumerate(modules):
        if isinstance(mod, dict) and "reserved" in mod:
            level = reserved_level(mod)
            new = CommentedMap([("story", sid)])
            for key in ("area", "columns"):
                if key in mod:
                    new[key] = mod[key]
            what = f"into the frame reserved for '{mod['reserved']}'"
            modules[k] = new
            return what, level
    modules.append(CommentedMap([("story", sid)]))
    return "as a new module placed by the engine", None


# --------------------------------------------------------------------------- new issue

def next_date(prev: dt.date, before: dt.date | None, steps: int) -> tuple[dt.date, str]:
    """The date of the issue `steps` numbers after one of date `prev`: the previous interval
    (prev - before) when the issue before is on file and the interval is 1-14 days, else one day."""
    if before is not None and 1 <= (prev - before).days <= 14:
        days = (prev - before).days
        how = f"{days} day(s) after it, the interval between the two issues before"
    else:
        days = 1
        how = "the next day (no earlier issue on file to take the interval from)"
    return prev + dt.timedelta(days=days * max(steps, 1)), how


def new_issue_map(data, number: int, date: dt.date, lunar: str, weekday: str, source_number: int):
    """The issue `number` from the data of the last issue: masthead facts carried over with
    number, date, lunar date and weekday new; no stories, no teaser (its items were the last
    issue's copy); every module of the plan a frame reserved for copy, keeping its area and
    columns, its note naming the headline level the story there had."""
    old_stories = {str(s.get("id")): s for s in (data.get("stories") or []) if isinstance(s, dict)}
    out = CommentedMap()
    if "style" in data:
        out["style"] = data["style"]
    mast = data["masthead"]
    new_mast = CommentedMap()
    for key, value in mast.items():
        new_mast[key] = value
    new_mast["date"] = date
    new_mast["number"] = number
    new_mast["lunar"] = lunar
    new_mast["weekday"] = weekday
    out["masthead"] = new_mast
    out["stories"] = CommentedSeq()
    pages = CommentedSeq()
    for p in data["pages"]:
        np_ = CommentedMap()
        if "spread" in p:           # a spread (通版) stays one: its entry names both pages
            np_["spread"] = p["spread"]
        else:
            np_["number"] = p["number"]
        if "name" in p:
            np_["name"] = p["name"]
        mods = CommentedSeq()
        for k, mod in enumerate(p["modules"], 1):
            if "ad" in mod:        # an ad booking stays (its file, not in the new folder, shows as missing)
                mods.append(mod)
                continue
            nm = CommentedMap()
            nm["reserved"] = f"第{page_label(p)}版第{k}篇稿件"
            level = None
            if "story" in mod and str(mod["story"]) in old_stories:
                level = old_stories[str(mod["story"])].get("level", 2)
            nm["note"] = f"{_LEVELS[level - 1]}级稿，稿件未到" if level in (1, 2, 3) else "稿件未到"
            for key in ("area", "columns"):
                if key in mod:
                    nm[key] = mod[key]
            mods.append(nm)
        np_["modules"] = mods
        if "editors" in p:
            np_["editors"] = p["editors"]
        pages.append(np_)
    out["pages"] = pages
    out.yaml_set_comment_before_after_key("stories", before="Stories: `render.py import FILE --into N --page P` adds them.")
    out.yaml_set_comment_before_after_key("pages", before="\nThe page plan of the last issue, every module a frame reserved for copy.")
    return out
