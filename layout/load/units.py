"""Lengths and type sizes as a style sheet writes them, converted to points.

Accepted: `12pt`, `3mm`, `1.2cm`, `1in`, `13Q` / `13H` (phototypesetting quarter
millimetres), bare numbers (points), and Chinese type sizes (五号, 小五, …).
"""
from __future__ import annotations

import re

MM = 72.0 / 25.4
Q = MM / 4.0          # 1 Q (級) = 1 H (歯) = 0.25 mm

# Chinese type sizes in pt (GB/T 15835 practice; the reference notes the rounded forms).
CHINESE_SIZES: dict[str, float] = {
    "初号": 42.0, "小初": 36.0, "一号": 26.0, "小一": 24.0, "二号": 22.0, "小二": 18.0,
    "三号": 16.0, "小三": 15.0, "四号": 14.0, "小四": 12.0, "五号": 10.5, "小五": 9.0,
    "六号": 7.5, "小六": 6.5, "七号": 5.5, "八号": 5.0,
}

_UNITS = {"pt": 1.0, "mm": MM, "cm": 10 * MM, "in": 72.0, "q": Q, "h": Q, "px": 0.75}
_LENGTH = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$")


class UnitError(ValueError):
    pass


def to_pt(value: object, *, em: float | None = None) -> float:
    """Convert a length or type size to points. `em` allows values like `2em`."""
    if isinstance(value, bool):
        raise UnitError(f"expected a length, got {value!r}")
    if isinstance(value, (int, float)):
        return float(value)
    if not isinstance(value, str):
        raise UnitError(f"expected a length, got {value!r}")
    s = value.strip()
    if s in CHINESE_SIZES:
        return CHINESE_SIZES[s]
    m = _LENGTH.match(s)
    if not m:
        raise UnitError(f"not a length: {value!r} (use pt, mm, cm, in, Q, H, em or a size such as 小五)")
    number, unit = float(m.group(1)), m.group(2).lower()
    if unit == "":
        return number
    if unit == "em":
        if em is None:
            raise UnitError(f"{value!r}: em is not allowed here")
        return number * em
    if unit not in _UNITS:
        raise UnitError(f"unknown unit {m.group(2)!r} in {value!r} (use pt, mm, cm, in, Q, H or em)")
    return number * _UNITS[unit]
