"""Reading YAML input with the position of every value, and typed access to it.

Every error names the file, line, column and field path, e.g.
`issues/1640/issue.yaml:42:5: pages[0].modules[1]: unknown key 'stroy' (did you mean 'story'?)`.
Unknown and duplicate keys point at the key; every other message at the value.

Only plain YAML is read: maps, lists, text, numbers, true/false, null and dates. Tags
(`!!python/...`, `!foo`), anchors and aliases (`&a`, `*a`) and merge keys (`<<`) are refused,
so nothing is ever constructed from the file and nothing can expand beyond its size.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Iterable, Iterator

import msgspec
import yaml

from .units import CHINESE_SIZES, UnitError, to_pt

MAX_INPUT_BYTES = 8 * 1024 * 1024   # an issue or style file larger than this is refused
MAX_DEPTH = 32                      # nesting of maps and lists; the schemas need fewer than 10
MAX_VALUES = 50_000                 # keys, values and lists in one file; a 200-page issue has 23,000


_SAFE_TAGS = {f"tag:yaml.org,2002:{t}" for t in
              ("map", "seq", "str", "int", "float", "bool", "null", "timestamp")}
_KEY_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}


_FAST_LOADER = getattr(yaml, "CSafeLoader", None)     # libyaml, when PyYAML was built with it


class _TooMany(Exception):
    """More values than MAX_VALUES: where the first one past the limit starts, and its field."""

    def __init__(self, mark, path: tuple):
        self.mark, self.path = mark, path


def _count_values(text: str, loader) -> None:
    """Walk the parser's events (no tree is built) and stop at the first value past
    MAX_VALUES, so that a file of 200,000 stray keys is refused in milliseconds instead of
    being built, node by node, before the first of them is named.  The field path is kept
    as the events go by, to name where the limit was passed."""
    count = 0
    stack: list[list] = []        # [is_mapping, key or index, awaiting a key]

    def step() -> None:           # a value ended: its mapping now awaits a key, its list the next item
        if stack:
            top = stack[-1]
            if top[0]:
                top[2] = True
            else:
                top[1] += 1
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            count += 1
            is_key = isinstance(event, yaml.ScalarEvent) and bool(stack) and stack[-1][0] and stack[-1][2]
            if is_key:
                stack[-1][1:] = [event.value, False]          # a key: its value comes next
            if count > MAX_VALUES:
                raise _TooMany(event.start_mark, tuple(e[1] for e in stack if e[1] is not None))
            if is_key:
                continue
            if isinstance(event, yaml.ScalarEvent):
                step()
            else:
                stack.append([isinstance(event, yaml.MappingStartEvent),
                              None if isinstance(event, yaml.MappingStartEvent) else 0, True])
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            stack.pop()
            step()


def _compose(text: str):
    """The node tree, parsed by libyaml when available (several times faster); a file it
    refuses is parsed again by the pure-Python loader, whose messages we word ours from.
    Either way the values are counted first (see _count_values): the work is bounded."""
    if _FAST_LOADER is not None:
        try:
            _count_values(text, _FAST_LOADER)
            return yaml.compose(text, Loader=_FAST_LOADER)
        except (yaml.YAMLError, RecursionError):
            pass
    _count_values(text, yaml.SafeLoader)
    return yaml.compose(text, Loader=yaml.SafeLoader)


class InputError(Exception):
    """Bad input: reported as `file:line:col: field: message`, exit code 2."""

    def __init__(self, file: str, line: int | None, col: int | None, field: str, message: str):
        self.file, self.line, self.col, self.field, self.message = file, line, col, field, message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        return _printable(f"{where}: {self.field + ': ' if self.field else ''}{self.message}")


_CONTROL = {i: f"\\x{i:02x}" for i in range(32)} | {10: "\\n", 13: "\\r", 9: "\\t", 0x7f: "\\x7f",
                                                  0x85: "\\x85", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def _printable(s: str) -> str:
    """One line, whatever the file held: control characters shown as escapes."""
    return s.translate(_CONTROL)


class Where(msgspec.Struct, frozen=True):
    line: int
    col: int


def fmt_path(path: tuple) -> str:
    """('pages', 0, 'modules', 1, 'story') -> 'pages[0].modules[1].story'."""
    out = ""
    for p in path:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += ("." if out else "") + str(p)
    return out


_fmt_path = fmt_path     # the old private name


def did_you_mean(word: str, known: Iterable[str], cutoff: float = 0.6) -> str:
    """' (did you mean 'x'?)' for the nearest known word, else '' ."""
    import difflib        # only when there is a mistake to name

    near = difflib.get_close_matches(str(word), list(known), n=1, cutoff=cutoff)
    if not near:   # also catch a change of case or of - and _
        norm = str(word).lower().replace("-", "_")
        near = [k for k in known if k.lower().replace("-", "_") == norm][:1]
    return f" (did you mean '{near[0]}'?)" if near else ""


def _syntax_message(e: yaml.MarkedYAMLError) -> tuple[yaml.Mark | None, str]:
    """A YAML parser error as (where, message), with a hint for the usual editing slips."""
    problem = e.problem or e.context or "cannot parse"
    context = e.context or ""
    pm, cm = e.problem_mark, e.context_mark
    if "'\\t'" in problem:
        return pm, "YAML syntax error: a tab character; indent with spaces, not tabs"
    if "could not find expected ':'" in problem and cm is not None:
        return cm, "YAML syntax error: missing ':' after the key on this line"
    if "mapping values are not allowed here" in problem:
        return pm, ("YAML syntax error: unexpected ':' (a missing ':' on a line above, an indentation "
                    "slip, or a value containing ': ' that needs quotes)")
    if problem.startswith("expected <block end>") or "did not find expected '-' indicator" in problem:
        return pm, "YAML syntax error: the indentation of this line does not match the lines above"
    if "quoted scalar" in context and cm is not None:
        return cm, "YAML syntax error: a quoted value is not closed"
    if "flow sequence" in context and cm is not None:
        return cm, f"YAML syntax error: a '[' list is not closed ({problem})"
    if "flow mapping" in context and cm is not None:
        return cm, f"YAML syntax error: a '{{' mapping is not closed ({problem})"
    if "undefined alias" in problem:
        return pm, "YAML syntax error: '*' starts an alias, which is not allowed here; quote the value"
    if "found character" in problem and "cannot start any token" in problem:
        return pm, f"YAML syntax error: {problem}; quote the value"
    return pm or cm, f"YAML syntax error: {problem}"


class Source:
    """One YAML file: its parsed value and where each value came from."""

    def __init__(self, path: Path, display: str | None = None):
        self.path = Path(path)
        self.display = display or str(path)
        self.marks: dict[tuple, Where] = {}       # where each value starts
        self.key_marks: dict[tuple, Where] = {}   # where the key of each mapping entry stands
        self.raw: dict[tuple, str] = {}           # scalars read as numbers/dates/null: the text as written
        self.value = self._load()

    def error(self, path: tuple, message: str, at_key: bool = False) -> InputError:
        """An error at the value (or, `at_key`, the key) of `path`, or its nearest located parent."""
        p = path
        w = None
        while w is None:
            w = (self.key_marks.get(p) if at_key else None) or self.marks.get(p)
            if w is None:
                if not p:
                    break
                p = p[:-1]
        return InputError(self.display, w.line if w else None, w.col if w else None, fmt_path(path), message)

    # -- parsing -------------------------------------------------------
    def _load(self) -> Any:
        try:
            if self.path.is_dir():
                raise InputError(self.display, None, None, "", "is a folder, not a file")
            size = self.path.stat().st_size
        except FileNotFoundError:
            raise InputError(self.display, None, None, "", "file not found") from None
        except OSError as e:
            raise InputError(self.display, None, None, "", f"cannot read: {e.strerror}") from None
        if size > MAX_INPUT_BYTES:
            raise InputError(self.display, None, None, "", f"file is {size} bytes; the limit is {MAX_INPUT_BYTES}")
        try:
            raw = self.path.read_bytes()
        except OSError as e:
            raise InputError(self.display, None, None, "", f"cannot read: {e.strerror}") from None
        if raw.startswith(b"\xef\xbb\xbf"):
            raise InputError(self.display, 1, 1, "", "file starts with a byte-order mark (BOM); save it as UTF-8 without BOM")
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise InputError(self.display, 1, 1, "", "file is UTF-16; save it as UTF-8 without BOM")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            line = raw[: e.start].count(b"\n") + 1
            col = len(raw[raw.rfind(b"\n", 0, e.start) + 1: e.start].decode("utf-8", "replace")) + 1
            hint = " (GBK/GB18030?)" if _looks_gb(raw) else ""
            raise InputError(self.display, line, col, "",
                             f"not UTF-8 (byte 0x{raw[e.start]:02x}){hint}; save the file as UTF-8") from None
        if not text.strip():
            raise InputError(self.display, None, None, "", "file is empty")
        bad = next((i for i, ch in enumerate(text) if ch == "\x00"), None)
        if bad is not None:
            line = text.count("\n", 0, bad) + 1
            raise InputError(self.display, line, bad - (text.rfind("\n", 0, bad) + 1) + 1, "",
                             "a NUL byte: this is not a text file")
        try:
            node = _compose(text)
        except yaml.MarkedYAMLError as e:
            m, msg = _syntax_message(e)
            raise InputError(self.display, m.line + 1 if m else None, m.column + 1 if m else None, "", msg) from None
        except yaml.reader.ReaderError as e:       # a control character: PyYAML names only its offset
            at = e.position if isinstance(e.position, int) and 0 <= e.position <= len(text) else 0
            line = text.count("\n", 0, at) + 1
            code = e.character if isinstance(e.character, int) else ord(text[at]) if at < len(text) else 0
            raise InputError(self.display, line, at - (text.rfind("\n", 0, at) + 1) + 1, "",
                             f"unprintable character U+{code:04X} (a control code) is not allowed in YAML; "
                             f"delete it") from None
        except yaml.YAMLError as e:
            raise InputError(self.display, None, None, "", f"YAML error: {e}") from None
        except RecursionError:
            raise InputError(self.display, None, None, "", f"nested too deeply (the limit is {MAX_DEPTH} levels)") from None
        except _TooMany as e:
            raise InputError(self.display, e.mark.line + 1, e.mark.column + 1, fmt_path(e.path),
                             f"more than {MAX_VALUES} keys and values in one file, the limit "
                             f"(a 200-page issue has about 23,000)") from None
        if node is None:
            raise InputError(self.display, None, None, "", "file holds no YAML document (only comments?)")
        self._constructor = yaml.SafeLoader("")
        self._seen: set[int] = set()
        return self._build(node, ())

    def _build(self, node: yaml.Node, path: tuple) -> Any:
        self.marks[path] = Where(node.start_mark.line + 1, node.start_mark.column + 1)
        if id(node) in self._seen:
            # an alias is the anchored node itself: name the place of its key (or its parent)
            w = self.key_marks.get(path) or self.marks.get(path[:-1]) or Where(node.start_mark.line + 1,
                                                                             node.start_mark.column + 1)
            self.marks[path] = w
            raise InputError(self.display, w.line, w.col, fmt_path(path),
                             "anchors and aliases (&name, *name) are not allowed; write the value out")
        self._seen.add(id(node))
        if node.tag not in _SAFE_TAGS:
            raise self._err_at(node, path, f"cannot read value: tag {node.tag!r} is not allowed (plain YAML only)")
        if len(path) > MAX_DEPTH:
            raise self._err_at(node, path, f"nested too deeply (the limit is {MAX_DEPTH} levels)")
        if isinstance(node, yaml.MappingNode):
            out: dict = {}
            for knode, vnode in node.value:
                if not isinstance(knode, yaml.ScalarNode):
                    raise self._err_at(knode, path, "a key must be a plain value")
                if knode.tag == "tag:yaml.org,2002:merge":
                    raise self._err_at(knode, path, "merge keys ('<<') are not allowed; write the values out")
                if knode.tag not in _KEY_TAGS:
                    raise self._err_at(knode, path, f"cannot read key: tag {knode.tag!r} is not allowed")
                key = knode.value          # as written: `yes:` is the key 'yes', `1:` the key '1'
                kw = Where(knode.start_mark.line + 1, knode.start_mark.column + 1)
                if key in out:
                    raise InputError(self.display, kw.line, kw.col, fmt_path(path + (key,)), f"duplicate key '{key}'")
                self.key_marks[path + (key,)] = kw
                out[key] = self._build(vnode, path + (key,))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self._build(v, path + (i,)) for i, v in enumerate(node.value)]
        return self._scalar(node, path)

    def _scalar(self, node: yaml.Node, path: tuple) -> Any:
        if node.tag == "tag:yaml.org,2002:str":
            return node.value
        try:
            v = self._constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError):
            # e.g. a date like 2020-02-30: keep the text; a field that wants a date says what is wrong
            v = node.value
        if not isinstance(v, str):
            self.raw[path] = node.value
        return v

    def _err_at(self, node: yaml.Node, path: tuple, msg: str) -> InputError:
        return InputError(self.display, node.start_mark.line + 1, node.start_mark.column + 1, fmt_path(path), msg)

    def root(self) -> "Field":
        return Field(self, self.value, ())


def _looks_gb(raw: bytes) -> bool:
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return any(b >= 0x80 for b in raw)


_BAD_CHAR = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")

_TYPE_NAMES = {str: "text", int: "a whole number", float: "a number", bool: "true or false",
               list: "a list", dict: "a mapping (key: value)"}


class Field:
    """A value from a Source together with its path, for typed, located access."""

    __slots__ = ("src", "value", "path")

    def __init__(self, src: Source, value: Any, path: tuple):
        self.src, self.value, self.path = src, value, path

    def error(self, message: str) -> InputError:
        """An error located at this value."""
        return self.src.error(self.path, message)

    def key_error(self, message: str) -> InputError:
        """An error located at this value's key (or the value, in a list)."""
        return self.src.error(self.path, message, at_key=True)

    @property
    def name(self) -> str:
        return fmt_path(self.path)

    @property
    def where(self) -> Where | None:
        return self.src.marks.get(self.path)

    @property
    def text(self) -> str:
        """The value as written in the file (for scalars)."""
        return self.src.raw.get(self.path, self.value if isinstance(self.value, str) else str(self.value))

    # -- structure -----------------------------------------------------
    def mapping(self, allowed: Iterable[str], required: Iterable[str] = ()) -> "Field":
        if not isinstance(self.value, dict):
            # a whole file that is not a mapping is the wrong file: say what it holds, never its text
            got = _describe(self.value) if self.path or not isinstance(self.value, str) else "plain text"
            raise self.error(f"expected {_TYPE_NAMES[dict]}, got {got}")
        allowed = list(allowed)
        for key in self.value:
            if key not in allowed:
                hint = did_you_mean(key, allowed) or f" (known keys: {', '.join(allowed)})"
                raise self.src.error(self.path + (key,), f"unknown key '{key}'{hint}", at_key=True)
        for key in required:
            if key not in self.value:
                raise self.key_error(f"missing key '{key}'")
        return self

    def has(self, key: str) -> bool:
        return isinstance(self.value, dict) and key in self.value and self.value[key] is not None

    def get(self, key: str) -> "Field | None":
        if not self.has(key):
            return None
        return Field(self.src, self.value[key], self.path + (key,))

    def __getitem__(self, key: str) -> "Field":
        f = self.get(key)
        if f is None:
            if isinstance(self.value, dict) and key in self.value:
                raise self.src.error(self.path + (key,), "no value given")
            raise self.key_error(f"missing key '{key}'")
        return f

    def items(self) -> Iterator[tuple[str, "Field"]]:
        if not isinstance(self.value, dict):
            raise self.error(f"expected {_TYPE_NAMES[dict]}, got {_describe(self.value)}")
        for k, v in self.value.items():
            yield k, Field(self.src, v, self.path + (k,))

    def list(self, allow_single: bool = False, max_items: int | None = None) -> list["Field"]:
        if allow_single and not isinstance(self.value, list):
            return [self]
        if not isinstance(self.value, list):
            raise self.error(f"expected {_TYPE_NAMES[list]}, got {_describe(self.value)}")
        if max_items is not None and len(self.value) > max_items:
            raise self.error(f"{len(self.value)} items; the limit is {max_items}")
        return [Field(self.src, v, self.path + (i,)) for i, v in enumerate(self.value)]

    # -- scalars -------------------------------------------------------
    def str(self, nonempty: bool = True, max_len: int | None = None) -> str:
        """Text. A number or date in text position is taken as written (`3.10` stays `3.10`)."""
        v = self.value
        if isinstance(v, bool) or isinstance(v, (dict, list)) or v is None:
            raise self.error(f"expected {_TYPE_NAMES[str]}, got {_describe(v)}")
        s = v if isinstance(v, str) else self.text
        if s.endswith("\n"):
            s = s.rstrip("\n")      # the line end a block scalar (| or >) keeps: not copy
        bad = _BAD_CHAR.search(s)
        if bad:
            ch = bad.group()
            what = {"\n": "a line break", "\t": "a tab", "\r": "a carriage return"}.get(ch, "a control character")
            if "\ud800" <= ch <= "\udfff":
                what = "an invalid character (a lone surrogate)"
            hint = "; write each paragraph as its own list item" if ch in "\n\r" else ""
            raise self.error(f"{what} (U+{ord(ch):04X}) at character {bad.start() + 1}{hint}")
        if nonempty and not s.strip():
            raise self.error("must not be empty")
        if max_len is not None and len(s) > max_len:
            raise self.error(f"{len(s)} characters; the limit is {max_len}")
        return s

    def int(self, lo: int | None = None, hi: int | None = None) -> int:
        v = self.value
        if isinstance(v, bool) or not isinstance(v, int):
            raise self.error(f"expected {_TYPE_NAMES[int]}, got {_describe(v)}")
        if lo is not None and v < lo or hi is not None and v > hi:
            raise self.error(f"{v} is out of range ({lo}..{hi})")
        return v

    def number(self, lo: float | None = None, hi: float | None = None) -> float:
        v = self.value
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise self.error(f"expected {_TYPE_NAMES[float]}, got {_describe(v)}")
        if v != v or v in (float("inf"), float("-inf")):
            raise self.error(f"expected a number, got {self.text!r}")
        if lo is not None and v < lo or hi is not None and v > hi:
            raise self.error(f"{v} is out of range ({lo}..{hi})")
        return float(v)

    def bool(self) -> bool:
        if not isinstance(self.value, bool):
            raise self.error(f"expected {_TYPE_NAMES[bool]}, got {_describe(self.value)}")
        return self.value

    def choice(self, options: Iterable[str]) -> str:
        options = list(options)
        s = self.str()
        if s not in options:
            hint = did_you_mean(s, options, cutoff=0.5)
            raise self.error(f"'{s}' is not one of: {', '.join(options)}{hint}")
        return s

    def length(self, em: float | None = None, positive: bool = False, hi: float | None = None) -> float:
        """A length or type size in points; `hi` caps it (in points)."""
        v = self.value
        if isinstance(v, str) and v.strip() and v.strip()[0] not in "+-.0123456789" \
                and v.strip() not in CHINESE_SIZES:
            raise self.error(f"not a length: '{v}' (use pt, mm, cm, in, Q, H{', em' if em is not None else ''} "
                             f"or a Chinese size: {' '.join(CHINESE_SIZES)})")
        try:
            pt = to_pt(v, em=em)
        except UnitError as e:
            raise self.error(str(e)) from None
        if pt != pt or pt in (float("inf"), float("-inf")):
            raise self.error(f"not a length: {self.text!r}")
        if positive and pt <= 0:
            raise self.error(f"must be greater than zero, got {self.text!r}")
        if pt < 0:
            raise self.error(f"must not be negative, got {self.text!r}")
        if hi is not None and pt > hi:
            raise self.error(f"{self.text!r} is too large (the limit is {hi:g}pt)")
        return pt

    def date(self) -> dt.date:
        v = self.value
        if isinstance(v, dt.datetime):
            return v.date()
        if isinstance(v, dt.date):
            return v
        if isinstance(v, str):
            s = v.strip()
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
                try:
                    return dt.date.fromisoformat(s)
                except ValueError as e:
                    raise self.error(f"not a date: '{s}' ({e})") from None
        raise self.error(f"expected a date as YYYY-MM-DD, got {_describe(v)}")


def _describe(v: Any) -> str:
    if v is None:
        return "nothing"
    if isinstance(v, bool):
        return f"{str(v).lower()}"
    if isinstance(v, dict):
        return "a mapping"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, (int, float)):
        return f"the number {v}"
    if isinstance(v, (dt.date,)):
        return f"the date {v}"
    s = str(v)
    return f"'{s[:40]}…'" if len(s) > 40 else f"'{s}'"
