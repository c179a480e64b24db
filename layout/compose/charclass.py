"""Character classes for Chinese composition, as data.

Every entry of ``CLASSES`` names its source: the W3C clreq section (Requirements
for Chinese Text Layout, https://www.w3.org/TR/clreq/), the GB/T 15834-2011
(标点符号用法) clause, and the JIS X 4051 / W3C jlreq character class (cl-NN)
it corresponds to. ``TABLE`` lists the characters of each class.

Nothing else in the composer hard-codes a character: line-start / line-end
prohibitions per level, which marks are compressible and on which side, which
characters form unbreakable units, all derive from these two tables.

``classify(ch)`` is a cached dictionary lookup (one dict hit per character);
characters missing from the table are classified once with ``unicodedata``
and remembered.
"""
from __future__ import annotations

import unicodedata

import msgspec

# ---------------------------------------------------------------------------
# Class codes
# ---------------------------------------------------------------------------
OP = "OP"   # opening brackets and quotes
CL = "CL"   # closing brackets and quotes
FS = "FS"   # full stops
CM = "CM"   # commas
DV = "DV"   # dividing mark (slight-pause comma 、)
CO = "CO"   # colon, semicolon
EX = "EX"   # question and exclamation marks
MD = "MD"   # middle dots (interpuncts)
CN = "CN"   # connectors
SL = "SL"   # solidi (分隔号)
DA = "DA"   # dashes (破折号), set as a two-em unit
EL = "EL"   # ellipses (省略号), set as a two-em unit
IT = "IT"   # iteration marks (々 ゝ ヽ), set like ideographs
ID = "ID"   # ideographs (and kana)
IS = "IS"   # ideographic space
FW = "FW"   # full-width letters and digits
PR = "PR"   # prefixes (currency etc.)
PO = "PO"   # postfixes (percent, degree etc.)
AL = "AL"   # Latin (and other alphabetic) letters
DG = "DG"   # European digits
LP = "LP"   # Latin punctuation and symbols
LO = "LO"   # Latin opening brackets/quotes ( [ {
LC = "LC"   # Latin closing brackets ) ] }
SP = "SP"   # Western word space
NB = "NB"   # no-break space


class CharClass(msgspec.Struct, frozen=True):
    code: str
    name: str
    source: str
    #: side of the em box that is blank in Simplified Chinese fonts (GB/T 15834
    #: positions): "L" ink in the right half, "R" ink in the left half, "B" ink
    #: centred (blank both sides), None not a compressible CJK mark.  A mark is
    #: only ever compressed when its advance is really 1 em in the font used.
    blank: str | None = None
    #: may be compressed to half width inside a line to justify it (clreq
    #: "Procedures for Inter-Character Spacing Reduction" b-e); at the line end
    #: every blank-right mark may be halved (GB/T 15834 5.1.10).
    compress_mid: bool = False
    #: a CJK punctuation mark (adjacent-pair compression, no Han-Latin gap)
    mark: bool = False
    #: sentence-final mark that keeps full width in the 开明 style
    final: bool = False
    #: prohibition levels at which the class may not start / end a line
    no_start: frozenset[str] = frozenset()
    no_end: frozenset[str] = frozenset()
    #: part of a Latin run (never broken inside, Han-Latin gap at its edges)
    latin: bool = False
    #: full-size unit that sits on the character grid (1 em, no adjustment)
    grid: bool = False


_ALL = frozenset({"loose", "basic", "gb", "strict"})
#: what CSS's line-break: loose lets start a line (W3C css-text-3 "line-break", the WPT
#: css-text/i18n/zh cases): centred punctuation, inseparables, hyphens, iteration marks,
#: postfixes; every other level keeps them off a line's start
_NOT_LOOSE = frozenset({"basic", "gb", "strict"})
_GB = frozenset({"gb", "strict"})
_STRICT = frozenset({"strict"})
_NONE = frozenset()

CLASSES: dict[str, CharClass] = {c.code: c for c in (
    CharClass(OP, "opening brackets and quotes",
              "clreq 3.1.4 夹注符号 (brackets), prohibition basic: not at line end; "
              "GB/T 15834-2011 4.8 引号, 4.9 括号, 4.15 书名号; JIS X 4051 cl-01",
              blank="L", compress_mid=True, mark=True, no_end=_ALL),
    CharClass(CL, "closing brackets and quotes",
              "clreq 3.1.4 夹注符号, prohibition basic: not at line start; "
              "GB/T 15834-2011 4.8, 4.9, 4.15; JIS X 4051 cl-02",
              blank="R", compress_mid=True, mark=True, no_start=_ALL),
    CharClass(FS, "full stops",
              "clreq 3.1.4 点号 (句号), not at line start; GB/T 15834-2011 4.1 句号, "
              "5.1.10 half width at line end; JIS X 4051 cl-06",
              blank="R", compress_mid=False, mark=True, final=True, no_start=_ALL),
    CharClass(CM, "commas",
              "clreq 3.1.4 点号 (逗号), not at line start; clreq line adjustment "
              "reduction e (commas to 1/2 em); GB/T 15834-2011 4.4 逗号; JIS X 4051 cl-07",
              blank="R", compress_mid=True, mark=True, no_start=_ALL),
    CharClass(DV, "dividing mark (slight-pause comma)",
              "clreq 3.1.4 点号 (顿号), not at line start; clreq reduction e; "
              "GB/T 15834-2011 4.5 顿号; JIS X 4051 cl-07",
              blank="R", compress_mid=True, mark=True, no_start=_ALL),
    CharClass(CO, "colon and semicolon",
              "clreq 3.1.4 点号 (冒号, 分号), not at line start; left-positioned in SC "
              "fonts, not compressed mid-line by default; GB/T 15834-2011 4.6 分号, "
              "4.7 冒号; JIS X 4051 cl-05",
              blank="R", compress_mid=False, mark=True, no_start=_NOT_LOOSE),
    CharClass(EX, "question and exclamation marks",
              "clreq 3.1.4 点号 (问号, 叹号), not at line start; clreq reduction f "
              "(last resort, off by default); GB/T 15834-2011 4.2 问号, 4.3 叹号; "
              "JIS X 4051 cl-04 dividing punctuation",
              blank="R", compress_mid=False, mark=True, final=True, no_start=_NOT_LOOSE),
    CharClass(MD, "middle dots",
              "clreq 3.1.4 间隔号, not at line start; clreq reduction c (interpuncts, "
              "both sides equally, down to 1/2 em); GB/T 15834-2011 4.14 间隔号; "
              "JIS X 4051 cl-05",
              blank="B", compress_mid=True, mark=True, no_start=_NOT_LOOSE),
    CharClass(CN, "connectors",
              "clreq 3.1.4 连接号, not at line start, no stretching next to them; "
              "GB/T 15834-2011 4.13 连接号; JIS X 4051 cl-03 hyphens",
              mark=True, no_start=_NOT_LOOSE),
    CharClass(SL, "solidi",
              "clreq 3.1.4 分隔号, not at line start (basic), not at line end (GB); "
              "GB/T 15834-2011 4.17 分隔号",
              mark=True, no_start=_ALL, no_end=_GB),
    CharClass(DA, "dashes (two-em unit)",
              "clreq 3.1.x 符号分离禁则: —— is one 2-em unit, never split or stretched; "
              "not at line start (strict); GB/T 15834-2011 4.10 破折号; JIS X 4051 cl-08",
              mark=True, no_start=_STRICT),
    CharClass(EL, "ellipses (two-em unit)",
              "clreq 3.1.x 符号分离禁则: …… is one 2-em unit, never split or stretched; "
              "not at line start (gb, strict: GB/T 15834 and CSS line-break normal keep inseparables off it); GB/T 15834-2011 4.11 省略号; JIS X 4051 cl-08",
              mark=True, no_start=_GB),
    CharClass(IT, "iteration marks",
              "CSS line-break (strict and normal: no break before an iteration mark); "
              "々 in Chinese text; JIS X 4051 cl-03",
              no_start=_NOT_LOOSE, grid=True),
    CharClass(ID, "ideographs",
              "clreq 2 Han characters (set solid on the character grid); "
              "JIS X 4051 cl-19 (and cl-15/16 kana)",
              grid=True),
    CharClass(IS, "ideographic space",
              "JIS X 4051 cl-14 full-width ideographic space (1 em, on the grid)",
              grid=True),
    CharClass(FW, "full-width letters and digits",
              "clreq 3.2 (full-width ASCII, legacy); 1 em on the grid",
              grid=True),
    CharClass(PR, "prefixes",
              "clreq 符号分离禁则 (digits and their prefix); JIS X 4051 cl-12 "
              "prefixed abbreviations: never separated from the following number",
              latin=True, no_end=_ALL),
    CharClass(PO, "postfixes",
              "clreq 符号分离禁则 (digits and their suffix); JIS X 4051 cl-13 "
              "postfixed abbreviations / cl-25 units: never separated from the number",
              latin=True, no_start=_NOT_LOOSE),
    CharClass(AL, "Latin letters",
              "clreq 3.2 中西文混排: proportional Western letters, 1/4 em Han-Latin "
              "gap, words not broken; JIS X 4051 cl-27 Western characters",
              latin=True),
    CharClass(DG, "European digits",
              "clreq 3.2 阿拉伯数字: proportional, 1/4 em Han-Latin gap, a number "
              "(with its decimal point / thousands separators) is never broken; "
              "JIS X 4051 cl-27 (cl-24 grouped numerals)",
              latin=True),
    CharClass(LP, "Latin punctuation and symbols",
              "JIS X 4051 cl-27 Western characters (part of the Latin run)",
              latin=True),
    CharClass(LO, "Latin opening brackets",
              "JIS X 4051 cl-27 / UAX #14 OP; not at line end",
              latin=True, no_end=_ALL),
    CharClass(LC, "Latin closing brackets",
              "JIS X 4051 cl-27 / UAX #14 CL; not at line start",
              latin=True, no_start=_ALL),
    CharClass(SP, "space",
              "JIS X 4051 cl-26 Western word space: stretch to 1/2 em, shrink to 1/4 em "
              "(clreq line adjustment); between Han and Latin it is the Han-Latin gap; "
              "none at line start or end",
              ),
    CharClass(NB, "no-break space",
              "UAX #14 GL: no break on either side", ),
)}

# ---------------------------------------------------------------------------
# The characters of each class
# ---------------------------------------------------------------------------
TABLE: dict[str, str] = {
    OP: "“‘（〔［｛〈《「『【〖〘〚｟",
    CL: "”’）〕］｝〉》」』】〗〙〛｠",
    FS: "。．｡",
    CM: "，",
    DV: "、､",
    CO: "：；",
    EX: "？！‼⁇⁈⁉",
    MD: "·・‧•･",
    CN: "～〜–‐‑﹣－゠",
    SL: "／/",
    DA: "—⸺―⸻",
    EL: "…⋯‥․︙\U00010AF6",
    IS: "\u3000",
    PR: "¥￥$＄£￡€#＃№",
    PO: "％%‰‱℃℉°′″‵﹪¢￠",
    IT: "々〻ゝゞヽヾ",
    DG: "0123456789",
    LP: ".,:;!?'\"&@*+=<>_|\\^`-",
    LO: "([{",
    LC: ")]}",
    SP: " \t\u2002\u2003\u2009\u200a",
    NB: "\u00a0\u202f\u2007",
}

_CACHE: dict[str, str] = {}
for _code, _chars in TABLE.items():
    for _ch in _chars:
        _CACHE[_ch] = _code


def _classify_slow(ch: str) -> str:
    o = ord(ch)
    if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF:
        # CJK Unified Ideographs (and Extension A): Lo, or unassigned in an older
        # Unicode, and wide either way, so ID below; most of a text, so decided first
        return ID
    if 0xFF10 <= o <= 0xFF19 or 0xFF21 <= o <= 0xFF3A or 0xFF41 <= o <= 0xFF5A:
        return FW
    cat = unicodedata.category(ch)
    eaw = unicodedata.east_asian_width(ch)
    if cat.startswith("L") or cat == "Mn":
        if eaw in ("W", "F"):
            return ID
        return AL
    if cat == "Nd":
        return DG if eaw not in ("W", "F") else FW
    if cat.startswith("N"):
        return ID if eaw in ("W", "F") else AL
    if cat == "Zs":
        return SP
    if eaw in ("W", "F"):
        return ID          # other wide symbols: set like ideographs
    return LP


def classify(ch: str) -> str:
    """Class code of one character (cached)."""
    c = _CACHE.get(ch)
    if c is None:
        c = _classify_slow(ch)
        _CACHE[ch] = c
    return c


def classify_text(text) -> list[str]:
    """Class codes of the characters of text (a str or a list of chars)."""
    out = list(map(_CACHE.get, text))
    if None in out:
        out = [c if c is not None else classify(ch) for c, ch in zip(out, text)]
    return out


def info(ch: str) -> CharClass:
    return CLASSES[classify(ch)]


# ---------------------------------------------------------------------------
# Derived sets, per prohibition level
# ---------------------------------------------------------------------------
LEVELS = ("none", "loose", "basic", "gb", "strict")


def _class_set(attr: str, level: str) -> frozenset[str]:
    return frozenset(code for code, c in CLASSES.items() if level in getattr(c, attr))


NO_START_CLASSES: dict[str, frozenset[str]] = {lv: _class_set("no_start", lv) for lv in LEVELS}
NO_END_CLASSES: dict[str, frozenset[str]] = {lv: _class_set("no_end", lv) for lv in LEVELS}

#: classes forming a Latin run (never broken inside)
LATIN = frozenset(code for code, c in CLASSES.items() if c.latin)
#: classes that sit on the character grid when they are one em wide
GRID = frozenset(code for code, c in CLASSES.items() if c.grid)
#: CJK punctuation marks
MARKS = frozenset(code for code, c in CLASSES.items() if c.mark)
#: two-em units
UNITS = frozenset({DA, EL})
#: classes whose Latin run gets a Han-Latin gap at its edges (letters, digits and
#: the number's prefix/postfix; a bare Latin bracket next to a Han does not)
GAP_LATIN = frozenset({AL, DG, PR, PO, LP})
#: characters that may hang at the line end (clreq "Hanging Punctuation at Line End")
HANGABLE = frozenset("、，。")


def no_start(ch: str, level: str) -> bool:
    return classify(ch) in NO_START_CLASSES[level]


def no_end(ch: str, level: str) -> bool:
    return classify(ch) in NO_END_CLASSES[level]


def chars_of(code: str) -> str:
    return TABLE.get(code, "")
