"""Forecast sentences in Chinese and English, and the crossing arithmetic behind them.

"Huangpu Park tide station reaches 4.80 m at 16:40, above warning (4.55 m) for 3 h 10 min" /
"黄浦公园潮位站 16:40 达 4.80 m，超警戒水位（4.55 m）3 小时 10 分钟".  Times are shown in the
scene's local time (Shanghai, UTC+8) and rounded, with durations, to :data:`ROUND_MIN` minutes:
a forecast is not better than that.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
from numpy.typing import NDArray

SHANGHAI = timezone(timedelta(hours=8), "CST")
ROUND_MIN = 10


def seconds_above(times_s: NDArray[np.float64], values: NDArray[np.float64],
                  level: float) -> float:
    """Return how long a piecewise-linear series stays above ``level`` (crossings interpolated)."""
    if len(times_s) < 2:
        return 0.0
    v0, v1 = values[:-1] - level, values[1:] - level
    widths = np.diff(times_s)
    both = (v0 > 0) & (v1 > 0)
    partial = (v0 > 0) != (v1 > 0)
    above = np.where(v0 > 0, v0, v1)
    fraction = np.divide(np.abs(above), np.abs(v1 - v0), out=np.zeros_like(widths),
                         where=partial)
    return float(np.sum(widths * both) + np.sum(widths * fraction * partial))


def first_crossing_s(times_s: NDArray[np.float64], values: NDArray[np.float64],
                     level: float) -> float | None:
    """Return the first time a series is above ``level`` (interpolated), or ``None``."""
    above = np.flatnonzero(values > level)
    if above.size == 0:
        return None
    index = int(above[0])
    if index == 0:
        return float(times_s[0])
    v0, v1 = values[index - 1], values[index]
    t0, t1 = times_s[index - 1], times_s[index]
    return float(t0 + (level - v0) / (v1 - v0) * (t1 - t0))


def round_time(moment: datetime, minutes: int = ROUND_MIN) -> datetime:
    """Round a time to the nearest ``minutes`` (in its own zone)."""
    step = timedelta(minutes=minutes)
    base = moment.replace(second=0, microsecond=0, minute=0)
    return base + round((moment - base) / step) * step


def clock_text(moment: datetime, reference: datetime, tz: timezone = SHANGHAI) -> str:
    """Return ``"16:40"``, or ``"09-16 16:40"`` when it is not on ``reference``'s local day."""
    local = round_time(moment.astimezone(tz))
    if local.date() == reference.astimezone(tz).date():
        return local.strftime("%H:%M")
    return local.strftime("%m-%d %H:%M")


def duration_text(seconds: float, language: str) -> str:
    """Return ``"3 h 10 min"`` / ``"3 小时 10 分钟"``, rounded to :data:`ROUND_MIN` minutes."""
    minutes = int(round(seconds / 60.0 / ROUND_MIN) * ROUND_MIN)
    hours, rest = divmod(minutes, 60)
    if language.startswith("zh"):
        parts = ([f"{hours} 小时"] if hours else []) + ([f"{rest} 分钟"] if rest or not hours
                                                          else [])
        return " ".join(parts)
    parts = ([f"{hours} h"] if hours else []) + ([f"{rest} min"] if rest or not hours else [])
    return " ".join(parts)


def gauge_sentence(*, language: str, name: str, peak_m: float, peak_time: datetime,
                   issued: datetime, warning_m: float | None, warning_name: str,
                   seconds_over: float, above_now: bool, tz: timezone = SHANGHAI) -> str:
    """Return the one-line outlook of a gauge.

    Parameters
    ----------
    language : str
        ``"zh..."`` for Chinese, anything else English.
    name : str
        The gauge's name in that language.
    peak_m, peak_time : float, datetime
        The forecast maximum and when.
    issued : datetime
        The forecast's start (decides whether the date is shown).
    warning_m : float or None
        The warning level (``None``: the gauge has none).
    warning_name : str
        The threshold's name in that language ("警戒水位"; English says "warning").
    seconds_over : float
        Time above the warning level within the forecast.
    above_now : bool
        Whether the level is above warning at the start.
    """
    when = clock_text(peak_time, issued, tz)
    zh = language.startswith("zh")
    if warning_m is None:
        return (f"{name} 预计 {when} 达最高 {peak_m:.2f} m（无警戒水位）" if zh else
                f"{name} peaks at {peak_m:.2f} m at {when} (no warning level)")
    if peak_m <= warning_m:
        below = warning_m - peak_m
        return (f"{name} 预计 {when} 达最高 {peak_m:.2f} m，低于{warning_name}"
                f"（{warning_m:.2f} m）{below:.2f} m" if zh else
                f"{name} peaks at {peak_m:.2f} m at {when}, {below:.2f} m below warning "
                f"({warning_m:.2f} m)")
    span = duration_text(seconds_over, language)
    if zh:
        now_zh = "，目前已超" if above_now else ""
        return (f"{name} {when} 达 {peak_m:.2f} m，超{warning_name}（{warning_m:.2f} m）"
                f"{span}{now_zh}")
    now_text = ", already above now" if above_now else ""
    return (f"{name} reaches {peak_m:.2f} m at {when}, above warning ({warning_m:.2f} m) "
            f"for {span}{now_text}")
