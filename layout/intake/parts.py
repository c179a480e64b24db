"""The parts of a story in a reporter's file: kicker, headline, deck, dateline, body, subheads,
photo caption and credit.

From Word's paragraph styles where the file has them: Title (or Heading 1, or a style named
主题/标题) is the headline, Subtitle (副题, 副标题) the deck, a heading or 引题/肩题 style before
the headline the kicker, a heading in the body a subhead (小标题), Caption (图片说明, 图注) a
photo caption.

From the conventions of Chinese news copy where it has none: the short lines before the
dateline are the headline block (one line: the headline; two: kicker and headline; three:
kicker, headline, deck), a line starting with —— is a deck; the dateline is `本报讯（记者 …）`,
`本报X月X日电（…）` or a line `本报记者 某某`, and the copy after it on its line is the first
paragraph; a line ending `（某某摄）` is a photo caption with its credit; a short line in the
body with no sentence punctuation is a subhead. Nothing is reworded: every character of the
file is in exactly one part (the parentheses and 摄 of a credit excepted, which the layout
prints again as `（某某摄）`).
"""
from __future__ import annotations

import re

import msgspec

from .read import Para, RawCopy

DATELINE = re.compile(r"^(?:本报讯|本报[^\s，。（(]{0,10}电|新华社[^\s，。（(]{0,10}电)"
                      r"(?:\s*[（(][^）)]{0,60}[）)])?")
BYLINE = re.compile(r"^(?:本报)?(?:见习)?(?:记者|通讯员)[\s:：]*[^，。；！？]{2,40}$")
CREDIT = re.compile(r"^(?P<caption>.*?)\s*[（(]\s*(?P<credit>[^（）()]{1,24}?)\s*摄\s*[）)]\s*$")
DECK_MARK = re.compile(r"^(?:——|--|―|－－)")
_SENTENCE = re.compile(r"[，。；！？,;!?]")
MAX_HEAD_LINE = 40               # a headline-block line is shorter than this
MAX_SUBHEAD = 20


class Body(msgspec.Struct, frozen=True):
    kind: str                    # body | subhead
    text: str
    line: int


class Caption(msgspec.Struct, frozen=True):
    caption: str
    credit: str | None
    photo: int | None            # index into RawCopy.photos, or None (photo not in the file)
    line: int


class StoryDraft(msgspec.Struct, frozen=True):
    kicker: str | None
    headline: str
    deck: str | None
    dateline: str | None
    body: tuple[Body, ...]
    photo: Caption | None
    unlinked_photos: tuple[int, ...]     # embedded photos with no caption, or beyond the first
    notes: tuple[str, ...]


def _style_role(style: str) -> str:
    """headline | deck | kicker | heading | caption | '' from a Word style name."""
    s = style.strip().lower()
    if s in ("title", "主题", "标题") or s == "heading 1" or s == "标题 1":
        return "headline"
    if s in ("subtitle", "副题", "副标题"):
        return "deck"
    if "引题" in s or "肩题" in s:
        return "kicker"
    if s in ("caption", "图片说明", "图注", "题注"):
        return "caption"
    if s.startswith("heading") or s.startswith("标题") or "小标题" in s:
        return "heading"
    return ""


def _split_dateline(text: str) -> tuple[str, str] | None:
    m = DATELINE.match(text)
    if m:
        return m.group(0).rstrip(), text[m.end():].lstrip(" \u3000")
    if BYLINE.match(text) and len(text) <= 40:
        return text, ""
    return None


def recognise(copy: RawCopy) -> StoryDraft:
    paras = [p for p in copy.paras if p.text or p.photos]
    notes: list[str] = []
    # the dateline, among the first paragraphs
    date_at = next((i for i, p in enumerate(paras[:8]) if p.text and _split_dateline(p.text)), None)
    titled = next((i for i, p in enumerate(paras[:5]) if _style_role(p.style) == "headline"), None)
    if titled is not None:                        # Word styles: the head ends after the headline and its deck
        head_end = titled + 1
        while head_end < len(paras) and (date_at is None or head_end < date_at) and paras[head_end].text and \
                (_style_role(paras[head_end].style) in ("deck", "heading", "kicker")
                 or DECK_MARK.match(paras[head_end].text)):
            head_end += 1
    elif date_at is not None:
        head_end = date_at
    else:                                         # no dateline: the short lines the file starts with
        head_end = 0
        while head_end < min(len(paras) - 1, 4) and _head_like(paras[head_end]):
            head_end += 1
    head = paras[:head_end]
    kicker, headline, deck = _head_block([p for p in head if p.text], titled is not None)
    for name, text in (("kicker", kicker), ("deck", deck)):
        if text and "　" in text and not any(p.text == text for p in head):
            notes.append(f"the {name} is {text.count('　') + 1} lines of the file joined with a full-width space")
    if headline is None:                          # the file starts with copy: its first line heads it
        first = next(i for i, p in enumerate(paras) if p.text)
        if first == date_at:
            raise ValueError(f"line {paras[first].line}: the file starts with the dateline: no headline "
                             "(put the headline on the first line)")
        headline = paras[first].text
        notes.append(f"line {paras[first].line}: no headline found; the first line is taken as the headline")
        head, head_end = paras[:first + 1], first + 1
    rest = paras[head_end:]
    dateline = None
    if rest and rest[0].text and _split_dateline(rest[0].text):
        dateline, first_copy = _split_dateline(rest[0].text)
        rest[0] = Para(first_copy, rest[0].style, rest[0].line, rest[0].photos)
    head_photos = [i for p in head for i in p.photos]
    body, photo, unlinked = _body(rest, head_photos, titled is not None, notes)
    if not body:
        raise ValueError("no body copy: the file holds only a headline block")
    return StoryDraft(kicker, headline, deck, dateline, tuple(body), photo, tuple(unlinked), tuple(notes))


def _head_like(p: Para) -> bool:
    return bool(p.text) and len(p.text) <= MAX_HEAD_LINE and not p.text.endswith(("。", "：", ":")) \
        and not CREDIT.match(p.text)


def _head_block(lines: list[Para], styled: bool):
    kicker = headline = deck = None
    if styled:
        before_headline: list[str] = []
        after_headline: list[str] = []
        for p in lines:
            role = _style_role(p.style)
            if role == "headline" and headline is None:
                headline = p.text
            elif role == "deck" or (headline is not None and (role in ("heading", "") or DECK_MARK.match(p.text))):
                after_headline.append(p.text)
            else:
                before_headline.append(p.text)
        if headline is None and before_headline:
            headline = before_headline.pop()
        kicker = "　".join(before_headline) or None
        deck = "　".join(after_headline) or None
        return kicker, headline, deck
    decks = [p.text for p in lines if DECK_MARK.match(p.text)]
    mains = [p.text for p in lines if not DECK_MARK.match(p.text)]
    if len(mains) == 1:
        headline = mains[0]
    elif len(mains) == 2:
        kicker, headline = mains
    elif len(mains) >= 3:
        kicker, headline = mains[0], mains[1]
        decks = mains[2:] + decks
    elif decks:
        headline = decks.pop(0)
    deck = "　".join(decks) or None
    return kicker, headline, deck


def _body(rest: list[Para], head_photos: list[int], styled: bool, notes: list[str]):
    body: list[Body] = []
    photo: Caption | None = None
    unlinked: list[int] = list(head_photos)
    pending: list[int] = list(head_photos)      # photos waiting for their caption
    for k, p in enumerate(rest):
        role = _style_role(p.style)
        pending += p.photos
        if not p.text:
            continue
        m = CREDIT.match(p.text)
        is_caption = role == "caption" or (m is not None and (m.group("caption") or pending))
        if is_caption:
            caption = m.group("caption").strip() if m else p.text
            credit = m.group("credit").strip() if m else None
            index = pending.pop(0) if pending else None
            if index is not None and index in unlinked:
                unlinked.remove(index)
            if photo is None and caption:
                photo = Caption(caption, credit, index, p.line)
            else:
                if index is not None:
                    unlinked.append(index)
                notes.append(f"line {p.line}: a second photo caption, kept in the body (a story holds one photo)")
                body.append(Body("body", p.text, p.line))
            continue
        if role == "heading" or (not styled and _subhead_like(p, k, rest, body)):
            body.append(Body("subhead", p.text, p.line))
        else:
            body.append(Body("body", p.text, p.line))
    for index in pending:
        if index not in unlinked:
            unlinked.append(index)
    return body, photo, unlinked


def _subhead_like(p: Para, k: int, rest: list[Para], body: list[Body]) -> bool:
    """A short line between paragraphs, with no sentence punctuation in it."""
    nxt = next((q for q in rest[k + 1:] if q.text), None)
    return bool(body) and nxt is not None and len(p.text) <= MAX_SUBHEAD and not _SENTENCE.search(p.text) \
        and not p.text.endswith(("。", "”", "…", "）", ")")) and len(nxt.text) > len(p.text)
