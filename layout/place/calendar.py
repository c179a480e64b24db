"""Dates as a Chinese newspaper prints them; the lunar date from lunar-python.

A lunar date costs ~10 ms (importing lunar-python, then its year tables), so the lines
are kept in the engine's cache directory by date and lunar-python is imported on a miss."""
from __future__ import annotations

import datetime as dt

from ..diskcache import JsonCache
from ..fonts.face import cache_dir

_WEEKDAYS = "一二三四五六日"
#: Part of every cache key: a change in how the line is written misses old entries.
_LUNAR_FORMAT = "1"


def date_line(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def weekday_name(d: dt.date) -> str:
    return f"星期{_WEEKDAYS[d.weekday()]}"


def compute_lunar_line(d: dt.date) -> str:
    """`农历庚子年二月廿三`; leap months print as 闰四月, the twelfth as 腊月."""
    from lunar_python import Solar

    lunar = Solar.fromYmd(d.year, d.month, d.day).getLunar()
    return f"农历{lunar.getYearInGanZhi()}年{lunar.getMonthInChinese()}月{lunar.getDayInChinese()}"


def lunar_line(d: dt.date, cache: JsonCache | None = None) -> str:
    """compute_lunar_line, looked up in the cache first."""
    cache = cache or JsonCache(cache_dir() / "lunar.json")
    key = f"{_LUNAR_FORMAT}:{d.isoformat()}"
    got = cache.get(key)
    if isinstance(got, str) and got.startswith("农历"):
        return got
    line = compute_lunar_line(d)
    cache.put(key, line)
    cache.save()
    return line
