"""Dates as a Chinese newspaper prints them; the lunar date from lunar-python."""
from __future__ import annotations

import datetime as dt

from lunar_python import Solar

_WEEKDAYS = "一二三四五六日"


def date_line(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def weekday_name(d: dt.date) -> str:
    return f"星期{_WEEKDAYS[d.weekday()]}"


def lunar_line(d: dt.date) -> str:
    """`农历庚子年二月廿三`; leap months print as 闰四月, the twelfth as 腊月."""
    lunar = Solar.fromYmd(d.year, d.month, d.day).getLunar()
    return f"农历{lunar.getYearInGanZhi()}年{lunar.getMonthInChinese()}月{lunar.getDayInChinese()}"
