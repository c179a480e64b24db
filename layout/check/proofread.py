"""Proofreading hints (校对提示) on every render: things a proofreader should look at, reported
as preflight notes with their place (story, paragraph, and the lines on the page), never
changed by the engine.

- a repeated word: `考核考核` (a word of two to four characters written twice running), or a
  doubled function character (`的的`);
- brackets and quotes that do not pair up within a paragraph (a quotation running over several
  paragraphs, each opening with “ and only the last closing, is the convention and passes);
- half- and full-width punctuation mixed in one story (ASCII `,` beside Chinese text where the
  rest of the story has `，`);
- a number written two ways in one story: `3个` and `三个`, or full- and half-width digits.
  Chinese numerals inside quotation marks are names (“三个年”, “十三五”) and are not counted.
"""
from __future__ import annotations

import re
from collections import defaultdict

from ..place.model import LaidOutIssue, TextLine
from .preflight import PreflightFinding, _union, line_box, module_box

SEVERITY = "info"
HAN = "\u3400-\u4dbf\u4e00-\u9fff"

REPEATED = re.compile(rf"([{HAN}]{{2,4}})\1|([的是在和对把被将与])\2")
PAIRS = {"（": "）", "(": ")", "《": "》", "〈": "〉", "【": "】", "[": "]", "“": "”", "‘": "’",
         "「": "」", "『": "』", "〔": "〕"}
CLOSERS = {v: k for k, v in PAIRS.items()}
ASCII_MARKS = re.compile(r"[,;:?!().]")     # a quick look, before the rule's costlier pattern
ASCII_PARENS = rf"(?<=[{HAN}])[()]|[()](?=[{HAN}])"      # compiled when ASCII marks are there
FULL_PUNCT = re.compile(r"[，。；：？！（）]")
FULL_DIGIT = re.compile(r"[\uff10-\uff19]")
HALF_DIGIT = re.compile(r"[0-9]")
UNITS = "年月日个家名人元亿万条项次天岁版位所件座台辆倍户期届"
ARABIC_NUMBER = re.compile(rf"(?<![0-9.])([0-9]+)(?:多|余)?([{UNITS}])")
# not after 数/上/几/近/约 (an estimate: 数十名) or 第 (an ordinal); 星期一 and the like have no unit after them
CHINESE_NUMBER = re.compile(rf"(?<![数上几近约第])([〇零一二两三四五六七八九十百千]+)(?:多|余)?([{UNITS}])")
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_value(s: str) -> int | None:
    """一 1, 十二 12, 二十 20, 一百零五 105; 二〇一九 2019 (digit by digit)."""
    if not any(c in _CN_UNITS for c in s):
        if all(c in _CN_DIGITS for c in s):
            return int("".join(str(_CN_DIGITS[c]) for c in s))
        return None
    total, digit = 0, None
    for c in s:
        if c in _CN_DIGITS:
            digit = _CN_DIGITS[c]
        elif c in _CN_UNITS:
            total += (1 if digit is None else digit) * _CN_UNITS[c]
            digit = None
        else:
            return None
    return total + (digit or 0)


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], None
    for i, ch in enumerate(text):
        if ch == "“" and start is None:
            start = i
        elif ch == "”" and start is not None:
            spans.append((start, i))
            start = None
    return spans


def story_fields(story) -> list[tuple[str, str]]:
    """(place, text) for every piece of copy of a story, in reading order."""
    out = [(name, getattr(story, name)) for name in ("kicker", "headline", "deck") if getattr(story, name)]
    if story.dateline:
        out.append(("dateline", story.dateline))
    for k, p in enumerate(story.body, 1):
        out.append((f"{'subhead' if p.kind == 'subhead' else 'paragraph'} {k}", p.text))
    if story.photo is not None:
        out.append(("photo caption", story.photo.caption))
    return out


def story_hints(story) -> list[tuple[str, str, str, str]]:
    """(code, place, message, needle) for one story; needle: the text to find on the page."""
    fields = story_fields(story)
    out = []
    for place, text in fields:
        for m in REPEATED.finditer(text):
            word = m.group(1) or m.group(2)
            a, b = m.start(), m.end()
            if m.group(2) and (text[a - 2:a - 1] == text[a - 1:a] != "" or text[b:b + 1] == text[b + 1:b + 2] != ""):
                continue                 # 实实在在: a reduplicated word (AABB), not a slip
            out.append(("proof-repeat", place, f"校对提示: '{m.group(0)}': the word '{word}' twice running "
                        "(not changed: check the copy)", m.group(0)))
    out += _pairing(fields)
    out += _mixed_punctuation(fields)
    out += _numbers(fields)
    return out


def _pairing(fields) -> list[tuple[str, str, str, str]]:
    out = []
    for n, (place, text) in enumerate(fields):
        stack: list[tuple[str, int]] = []
        for i, ch in enumerate(text):
            if ch in PAIRS:
                stack.append((ch, i))
            elif ch in CLOSERS:
                if stack and stack[-1][0] == CLOSERS[ch]:
                    stack.pop()
                else:
                    out.append(("proof-unmatched", place, f"校对提示: '{ch}' closes nothing opened before it "
                                f"in {place}: …{text[max(0, i - 8):i + 1]}", text[max(0, i - 3):i + 1]))
                    break
        nxt = fields[n + 1][1] if n + 1 < len(fields) else ""
        if len(stack) == 1 and stack[0][0] == "“" and nxt.startswith("“") and place.startswith("paragraph"):
            continue                     # a quotation running on into the next paragraph
        for ch, i in stack:
            out.append(("proof-unmatched", place, f"校对提示: '{ch}' is not closed in {place}: "
                        f"{text[i:i + 12]}…", text[i:i + 4]))
        if text.count('"') % 2:
            out.append(("proof-unmatched", place, f"校对提示: an odd number of straight quotes (\") in {place}",
                        ""))
    return out


def _mixed_punctuation(fields) -> list[tuple[str, str, str, str]]:
    # ASCII marks in Chinese context: what the cleanup's rule finds (layout/intake/clean.py)
    from ..intake.clean import compiled
    ascii_hits = [(place, m) for place, text in fields if ASCII_MARKS.search(text)
                  for pattern in (compiled("ascii-punctuation"), re.compile(ASCII_PARENS)) for m in pattern.finditer(text)]
    full = sum(len(FULL_PUNCT.findall(text)) for _, text in fields)
    if not ascii_hits or not full:
        return []
    place, m = ascii_hits[0]
    text = dict(fields)[place]
    return [("proof-mixed-punct", place,
             f"校对提示: half- and full-width punctuation mixed in the story: {len(ascii_hits)} ASCII mark(s) "
             f"beside Chinese text (first '{m.group(0)}' in {place}: …{text[max(0, m.start() - 6):m.end() + 2]}), "
             f"{full} full-width", text[max(0, m.start() - 2):m.end()])]


def _numbers(fields) -> list[tuple[str, str, str, str]]:
    out = []
    full = [(place, m) for place, text in fields for m in FULL_DIGIT.finditer(text)]
    half = [(place, m) for place, text in fields for m in HALF_DIGIT.finditer(text)]
    if full and half:
        out.append(("proof-number", full[0][0], f"校对提示: digits in both full width ('{full[0][1].group(0)}' in "
                    f"{full[0][0]}) and half width ('{half[0][1].group(0)}' in {half[0][0]}) in one story",
                    full[0][1].group(0)))
    arabic: dict[tuple[int, str], tuple[str, str]] = {}
    chinese: dict[tuple[int, str], tuple[str, str]] = {}
    for place, text in fields:
        quoted = _quoted_spans(text)
        for m in ARABIC_NUMBER.finditer(text):
            arabic.setdefault((int(m.group(1)), m.group(2)), (place, m.group(0)))
        for m in CHINESE_NUMBER.finditer(text):
            if any(a < m.start() < b for a, b in quoted):
                continue                 # “三个年”: a name, not a count
            value = chinese_value(m.group(1))
            if value is None or (value == 1 and m.group(1) == "一"):
                continue                 # 一个, 一批: idiom more than number
            chinese.setdefault((value, m.group(2)), (place, m.group(0)))
    for key in sorted(set(arabic) & set(chinese)):
        (pa, wa), (pc, wc) = arabic[key], chinese[key]
        out.append(("proof-number", pc, f"校对提示: the number {key[0]} written two ways: '{wa}' ({pa}) and "
                    f"'{wc}' ({pc}); GB/T 15835 asks for one form", wc))
    return out


def proofread_findings(issue, laid: LaidOutIssue, style) -> list[PreflightFinding]:
    """The hints of every story on a page, located on the page by the lines that hold them."""
    grid = style.grid
    lines: dict[str, list[tuple[int, TextLine]]] = defaultdict(list)
    modules: dict[str, tuple[int, object]] = {}
    for p in laid.pages:
        for it in p.items:
            if isinstance(it, TextLine):
                lines[it.owner].append((p.number, it))
        for m in p.modules:
            if not m.fold_part:
                modules.setdefault(m.owner, (p.number, m, p))
    out = []
    for sid, story in issue.stories.items():
        hints = story_hints(story)
        if not hints:
            continue
        stream, index = _stream(lines.get(sid, []))
        for code, place, message, needle in hints:
            page, box = None, None
            at = stream.find(needle) if needle else -1
            if at >= 0:
                hit = index[at:at + len(needle)]
                page = hit[0][0]
                boxes = [line_box(ln) for pg, ln in {id(ln): (pg, ln) for pg, ln in hit}.values() if pg == page]
                box = _union(boxes)
            elif sid in modules:
                page, m, on = modules[sid]
                box = module_box(m, grid, on)
            out.append(PreflightFinding(SEVERITY, code, f"{message} (story {sid}, {place})", page, box,
                                        f"story {sid}, {place}", "proofread"))
    return out


def _stream(story_lines):
    """The characters a story has on its pages, in setting order, with the line of each."""
    chars, index = [], []
    for page, ln in story_lines:          # a line at a time (measured: a glyph at a time was slower)
        chars.extend([g.ch for g in ln.glyphs])
        index.extend([(page, ln)] * len(ln.glyphs))
    return "".join(chars), index

