"""Cleanup of reporters' copy to GB/T 15834-2011 (标点符号用法) and GB/T 15835-2011 (出版物上数字用法).

Each rule is one row of RULES (data: name, citation, the fields it applies to, a pattern and
what a match becomes), applied in the table's order to one field of one story. Every change
is recorded (rule, offset, before, after) so that the import can print and keep a diff of all
of them; replaying the changes in order on the original gives the cleaned text exactly.

Only punctuation, spaces and the width of digits and Latin letters ever change: `clean_text`
checks, for every field, that the text with punctuation and spaces taken out and widths folded
(NFKC) is the same before and after, so a rule can never change a word.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from typing import Callable

import msgspec

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
# Chinese context: Han characters and the full-width punctuation that only Chinese copy uses
CJK_PUNCT = "，。、；：？！（）《》〈〉【】〔〕「」『』“”‘’—…～·"
CJK = HAN + CJK_PUNCT
SPACES = " \u3000\u00a0\t"

# Fields of a story, as the rules name them
HEAD_FIELDS = ("kicker", "headline", "deck")
ALL_FIELDS = ("kicker", "headline", "deck", "dateline", "body", "subhead", "caption", "credit")
# Where a space between Han characters is copy, not a slip: a headline's phrase break
# (抓项目 促发展) and the names in a dateline or credit (记者 陈蓉蓉 方心怡)
RUNNING_TEXT = ("body", "subhead", "caption")

_ASCII_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", ".": "。"}

# Units after a number range: time (一字线, 4.13.3.2) and everything else counted (浪纹线, 4.13.3.3)
_TIME_UNITS = "年月日时点"
_COUNT_UNITS = "版页期章节课届次个名家人元万亿%％千百米克岁天周层栋户条项所件座位台辆倍度号"


class Change(msgspec.Struct, frozen=True):
    rule: str
    field: str           # e.g. body[3], headline, photo.caption
    offset: int          # in the text as it was when the rule ran (0-based)
    before: str
    after: str


class Rule(msgspec.Struct, frozen=True):
    name: str
    citation: str
    what: str
    fields: tuple[str, ...]
    pattern: str
    replace: Callable[[re.Match], str] | str


def _full_width_alnum(m: re.Match) -> str:
    return unicodedata.normalize("NFKC", m.group(0))


def _range(m: re.Match) -> str:
    unit = m.group(4)
    dash = "—" if unit in _TIME_UNITS else "～"
    return f"{m.group(1)}{dash}{m.group(3)}"


def _ascii_punct(m: re.Match) -> str:
    return _ASCII_TO_FULL[m.group(0)]


RULES: tuple[Rule, ...] = (
    Rule("full-width-digits-latin", "GB/T 15835-2011 (阿拉伯数字); 西文字母与数字用半角",
         "full-width digits and Latin letters (１２ＡＢ) to half width (12AB), the point between digits too",
         ALL_FIELDS, r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+(?:\uff0e[\uff10-\uff19]+)?",
         _full_width_alnum),
    Rule("dash", "GB/T 15834-2011 4.10 (破折号 ——, two em widths)",
         "`--`, `―` (U+2015) and mixes of them to ——",
         ALL_FIELDS, r"(?:-{2,}|－{2,}|[―—]*―[―—]*)", "——"),
    Rule("ellipsis", "GB/T 15834-2011 4.11 (省略号 ……, six dots in two em widths)",
         "`...`, `。。。`, a single `…` to ……",
         ALL_FIELDS, rf"(?:\.{{3,}}|。{{3,}}|·{{3,}}|(?<!…)…(?!…))", "……"),
    Rule("number-range", "GB/T 15834-2011 4.13 (连接号: 一字线标时间的起止, 浪纹线标数值范围)",
         "`2-3版` to `2～3版`, `3-5月` to `3—5月` (a range of numbers before a unit)",
         ALL_FIELDS, rf"(?<![A-Za-z0-9./\-—～])(\d{{1,4}})\s*([-－~〜])\s*(\d{{1,4}})(?=([{_TIME_UNITS}{_COUNT_UNITS}]))",
         _range),
    Rule("quotes", "GB/T 15834-2011 4.8 (引号里面还要用引号时，外面一层用双引号，里面一层用单引号)",
         "straight quotes \" and ' in Chinese text to “” outside and ‘’ inside",
         ALL_FIELDS, r"[\"']", ""),           # by nesting: see _quotes
    Rule("parentheses", "GB/T 15834-2011 4.9 (括号: 中文用全角)",
         "ASCII ( ) to （ ）, both of a pair when either is beside Chinese text or holds it",
         ALL_FIELDS, r"[()]", ""),            # by pairs: see _parens
    Rule("ascii-punctuation", "GB/T 15834-2011 4.1-4.8 (中文标点用全角)",
         "ASCII `, . ; : ? !` next to Chinese text to ，。；：？！",
         ALL_FIELDS,
         rf"(?:(?<=[{CJK}])[,;:?!]|[,;:?!](?=[{CJK}])|(?<=[{HAN}])[.](?=[{CJK}]|$))",
         _ascii_punct),
    Rule("space-at-punctuation", "GB/T 15834-2011 (标点符号的书写位置: 全角标号前后不留空)",
         "spaces before or after full-width punctuation removed",
         ALL_FIELDS, rf"[{SPACES}]+(?=[，。、；：？！）》〉】〕」』”’])|(?<=[，。、；：？！（《〈【〔「『“‘])[{SPACES}]+", ""),
    Rule("space-between-han", "GB/T 15834-2011 (汉字之间不留空); layout sets the spacing",
         "spaces between two Chinese characters removed (not in headlines, datelines or credits)",
         RUNNING_TEXT, rf"(?<=[{CJK}])[{SPACES}]+(?=[{CJK}])", ""),
    Rule("space-han-latin", "style sheet: Han-Latin spacing (the layout sets it, as clreq asks; a typed space would double it)",
         "a typed space between a Chinese character and a digit or Latin letter removed",
         RUNNING_TEXT, rf"(?<=[{HAN}])[{SPACES}]+(?=[0-9A-Za-z])|(?<=[0-9A-Za-z%])[{SPACES}]+(?=[{HAN}])", ""),
)


def _quotes(text: str, field: str, record: list[Change]) -> str:
    """Straight quotes to curly ones by nesting: a straight quote closes the innermost quote
    a straight quote of its kind opened, else it opens one: “ at even depth, ‘ at odd depth.
    An apostrophe inside a Latin word (don't) stays."""
    stack: list[tuple[str, str]] = []            # (source kind, printed opener)
    out = []
    for i, ch in enumerate(text):
        if ch in "“‘":
            stack.append(("curly", ch))
        elif ch in "”’":
            if stack and stack[-1][0] == "curly":
                stack.pop()
        elif ch in "\"'":
            prev, nxt = text[i - 1:i], text[i + 1:i + 2]
            if ch == "'" and prev.isascii() and prev.isalpha() and nxt.isascii() and nxt.isalpha():
                out.append(ch)
                continue
            if stack and stack[-1][0] == ch:
                _, opener = stack.pop()
                new = "”" if opener == "“" else "’"
            else:
                new = "“" if len(stack) % 2 == 0 else "‘"
                stack.append((ch, new))
            record.append(Change("quotes", field, i, ch, new))
            out.append(new)
            continue
        out.append(ch)
    return "".join(out)


def _parens(text: str, field: str, record: list[Change]) -> str:
    """ASCII parentheses to full width by pairs: a pair goes when either mark stands beside
    Chinese text or the pair holds some, so `(1)加快` becomes `（1）加快`, never `(1）`; a mark
    with no partner goes by its own neighbours."""
    han = compiled("_han")
    pairs: list[tuple[int, int | None]] = []
    stack: list[int] = []
    for i, ch in enumerate(text):
        if ch == "(":
            stack.append(i)
        elif ch == ")":
            pairs.append((stack.pop(), i) if stack else (i, None))
    pairs += [(i, None) for i in stack]
    convert: set[int] = set()
    for a, b in pairs:
        marks = (a,) if b is None else (a, b)
        near = "".join(text[max(0, m - 1):m] + text[m + 1:m + 2] for m in marks)
        inside = text[a + 1:b] if b is not None else ""
        if han.search(near) or han.search(inside) or any(c in CJK_PUNCT for c in near):
            convert.update(marks)
    out = list(text)
    for i in sorted(convert):
        out[i] = "（" if text[i] == "(" else "）"
        record.append(Change("parentheses", field, i, text[i], out[i]))
    return "".join(out)


@functools.cache
def compiled(name: str) -> re.Pattern:
    """A rule's pattern, compiled on first use (a class of all ideographs costs milliseconds to
    compile, and the proofreading pass of every render needs only a quick look first)."""
    if name == "_han":
        return re.compile(f"[{HAN}]")
    return re.compile(next(r.pattern for r in RULES if r.name == name))


def _apply(rule: Rule, text: str, field: str, record: list[Change]) -> str:
    out, last, shift = [], 0, 0
    for m in compiled(rule.name).finditer(text):
        new = rule.replace(m) if callable(rule.replace) else rule.replace
        if new == m.group(0):
            continue
        out.append(text[last:m.start()])
        out.append(new)
        record.append(Change(rule.name, field, m.start() + shift, m.group(0), new))
        shift += len(new) - len(m.group(0))
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def _field_kind(field: str) -> str:
    """body[3] -> body; photo.caption -> caption."""
    return field.split("[", 1)[0].rsplit(".", 1)[-1]


_NOT_WORDS = re.compile(rf"[\s{re.escape(CJK_PUNCT)},.;:?!()\"'\-－―~〜．]+")


def word_content(text: str) -> str:
    """The text with punctuation and spaces taken out and widths folded: what no rule may change."""
    return _NOT_WORDS.sub("", unicodedata.normalize("NFKC", text).replace("…", "").replace("—", ""))


def clean_text(text: str, field: str, record: list[Change]) -> str:
    """`text` cleaned by every rule that applies to `field`; the changes appended to `record`."""
    kind = _field_kind(field)
    start = len(record)
    out = text
    for rule in RULES:
        if kind not in rule.fields:
            continue
        special = {"quotes": _quotes, "parentheses": _parens}.get(rule.name)
        out = special(out, field, record) if special else _apply(rule, out, field, record)
    if word_content(out) != word_content(text):       # the promise: never a word changed
        del record[start:]
        raise AssertionError(f"cleanup would change the words of {field}: {text!r} -> {out!r}")
    return out


def replay(text: str, changes: list[Change]) -> str:
    """Apply recorded changes, in order, to the original text (for checking a diff)."""
    for c in changes:
        if text[c.offset:c.offset + len(c.before)] != c.before:
            raise ValueError(f"change {c} does not match the text at {c.offset}")
        text = text[:c.offset] + c.after + text[c.offset + len(c.before):]
    return text


def rules_table() -> list[str]:
    """The rules as a printable table (render.py import --rules)."""
    return [f"{r.name:24} {r.citation}\n{'':24} {r.what}; fields: {', '.join(r.fields)}" for r in RULES]
