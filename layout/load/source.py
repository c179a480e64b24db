"""Reading YAML input with the position of every value, and typed access to it.

Every error names the file, line, column and field path, e.g.
`issues/1640/issue.yaml:42:5: pages[0].stories[1]: unknown key 'titel' (did you mean 'title'?)`.
"""
from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

import yaml

from .units import UnitError, to_pt

MAX_INPUT_BYTES = 8 * 1024 * 1024   # an issue or style file larger than this is refused


_SAFE_TAGS = {f"tag:yaml.org,2002:{t}" for t in
              ("map", "seq", "str", "int", "float", "bool", "null", "timestamp")}


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
        return f"{where}: {self.field + ': ' if self.field else ''}{self.message}"


@dataclass(frozen=True)
class Where:
    line: int
    col: int


def _fmt_path(path: tuple) -> str:
    out = ""
    for p in path:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += ("." if out else "") + str(p)
    return out


class Source:
    """One YAML file: its parsed value and where each value came from."""

    def __init__(self, path: Path, display: str | None = None):
        self.path = Path(path)
        self.display = display or str(path)
        self.marks: dict[tuple, Where] = {}
        self.value = self._load()

    def error(self, path: tuple, message: str) -> InputError:
        w = self.marks.get(path)
        while w is None and path:
            path = path[:-1]
            w = self.marks.get(path)
        return InputError(self.display, w.line if w else None, w.col if w else None, _fmt_path(path), message)

    # -- parsing -------------------------------------------------------
    def _load(self) -> Any:
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            raise InputError(self.display, None, None, "", "file not found") from None
        except OSError as e:
            raise InputError(self.display, None, None, "", f"cannot read: {e.strerror}") from None
        if size > MAX_INPUT_BYTES:
            raise InputError(self.display, None, None, "", f"file is {size} bytes; the limit is {MAX_INPUT_BYTES}")
        raw = self.path.read_bytes()
        if raw.startswith(b"\xef\xbb\xbf"):
            raise InputError(self.display, 1, 1, "", "file starts with a byte-order mark (BOM); save it as UTF-8 without BOM")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            line = raw[: e.start].count(b"\n") + 1
            col = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
            raise InputError(self.display, line, col, "", f"not UTF-8 (byte 0x{raw[e.start]:02x}); save the file as UTF-8") from None
        if not text.strip():
            raise InputError(self.display, None, None, "", "file is empty")
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as e:
            m = e.problem_mark or e.context_mark
            msg = f"YAML syntax error: {e.problem or e.context}"
            raise InputError(self.display, m.line + 1 if m else None, m.column + 1 if m else None, "", msg) from None
        except yaml.YAMLError as e:
            raise InputError(self.display, None, None, "", f"YAML error: {e}") from None
        if node is None:
            raise InputError(self.display, None, None, "", "file holds no YAML document")
        self._constructor = yaml.SafeLoader("")
        return self._build(node, ())

    def _build(self, node: yaml.Node, path: tuple) -> Any:
        self.marks[path] = Where(node.start_mark.line + 1, node.start_mark.column + 1)
        if node.tag not in _SAFE_TAGS:
            raise self._err_at(node, path, f"cannot read value: tag {node.tag!r} is not allowed (plain YAML only)")
        if isinstance(node, yaml.MappingNode):
            out: dict = {}
            for knode, vnode in node.value:
                if not isinstance(knode, yaml.ScalarNode):
                    raise self._err_at(knode, path, "a key must be a plain value")
                key = str(self._scalar(knode, path))
                if key in out:
                    raise self._err_at(knode, path + (key,), f"duplicate key '{key}'")
                self.marks[path + (key,)] = Where(knode.start_mark.line + 1, knode.start_mark.column + 1)
                out[key] = self._build(vnode, path + (key,))
                # keep the key's own position (the value's is less useful for unknown/duplicate keys)
                self.marks[path + (key,)] = Where(knode.start_mark.line + 1, knode.start_mark.column + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self._build(v, path + (i,)) for i, v in enumerate(node.value)]
        return self._scalar(node, path)

    def _scalar(self, node: yaml.Node, path: tuple) -> Any:
        try:
            return self._constructor.construct_object(node, deep=True)
        except yaml.YAMLError as e:
            problem = getattr(e, "problem", None) or str(e)
            raise self._err_at(node, path, f"cannot read value: {problem}") from None
        except ValueError as e:   # e.g. a date like 2020-02-30
            raise self._err_at(node, path, f"bad value {node.value!r}: {e}") from None

    def _err_at(self, node: yaml.Node, path: tuple, msg: str) -> InputError:
        return InputError(self.display, node.start_mark.line + 1, node.start_mark.column + 1, _fmt_path(path), msg)

    def root(self) -> "Field":
        return Field(self, self.value, ())


_TYPE_NAMES = {str: "text", int: "a whole number", float: "a number", bool: "true or false",
               list: "a list", dict: "a mapping (key: value)"}


class Field:
    """A value from a Source together with its path, for typed, located access."""

    __slots__ = ("src", "value", "path")

    def __init__(self, src: Source, value: Any, path: tuple):
        self.src, self.value, self.path = src, value, path

    def error(self, message: str) -> InputError:
        return self.src.error(self.path, message)

    @property
    def name(self) -> str:
        return _fmt_path(self.path)

    # -- structure -----------------------------------------------------
    def mapping(self, allowed: Iterable[str], required: Iterable[str] = ()) -> "Field":
        if not isinstance(self.value, dict):
            raise self.error(f"expected {_TYPE_NAMES[dict]}, got {_describe(self.value)}")
        allowed = list(allowed)
        for key in self.value:
            if key not in allowed:
                near = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
                hint = f" (did you mean '{near[0]}'?)" if near else f" (known keys: {', '.join(allowed)})"
                raise self.src.error(self.path + (key,), f"unknown key '{key}'{hint}")
        for key in required:
            if key not in self.value:
                raise self.error(f"missing key '{key}'")
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
            raise self.error(f"missing key '{key}'")
        return f

    def items(self) -> Iterator[tuple[str, "Field"]]:
        if not isinstance(self.value, dict):
            raise self.error(f"expected {_TYPE_NAMES[dict]}, got {_describe(self.value)}")
        for k, v in self.value.items():
            yield k, Field(self.src, v, self.path + (k,))

    def list(self, allow_single: bool = False) -> list["Field"]:
        if allow_single and not isinstance(self.value, list):
            return [self]
        if not isinstance(self.value, list):
            raise self.error(f"expected {_TYPE_NAMES[list]}, got {_describe(self.value)}")
        return [Field(self.src, v, self.path + (i,)) for i, v in enumerate(self.value)]

    # -- scalars -------------------------------------------------------
    def str(self, nonempty: bool = True) -> str:
        v = self.value
        if isinstance(v, bool) or isinstance(v, (dict, list)) or v is None:
            raise self.error(f"expected {_TYPE_NAMES[str]}, got {_describe(v)}")
        s = str(v) if not isinstance(v, str) else v
        if nonempty and not s.strip():
            raise self.error("must not be empty")
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
            near = difflib.get_close_matches(s, options, n=1, cutoff=0.5)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            raise self.error(f"'{s}' is not one of: {', '.join(options)}{hint}")
        return s

    def length(self, em: float | None = None, positive: bool = False) -> float:
        try:
            v = to_pt(self.value, em=em)
        except UnitError as e:
            raise self.error(str(e)) from None
        if positive and v <= 0:
            raise self.error(f"must be greater than zero, got {self.value!r}")
        if v < 0:
            raise self.error(f"must not be negative, got {self.value!r}")
        return v

    def date(self) -> dt.date:
        v = self.value
        if isinstance(v, dt.datetime):
            return v.date()
        if isinstance(v, dt.date):
            return v
        if isinstance(v, str):
            try:
                return dt.date.fromisoformat(v.strip())
            except ValueError:
                pass
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
