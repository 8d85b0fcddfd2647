"""Business hours: when a response is due, counting only the hours a team works (DIA-TBX-MOD-2).

Pure functions, no Django: an agency's monitoring hours are a time zone, working weekdays
(ISO numbers, 1 = Monday), one daily window (``day_start`` to ``day_end``, local wall-clock
time) and public holidays (dates).

```
due_at(start=Fri 16:00, hours=3)      Fri 16:00─17:00 (1 h) │ Sat, Sun skipped │ Mon 09:00─11:00 (2 h) → Mon 11:00
business_hours_between(start, end)    the working hours inside [start, end], as a float
```

Arithmetic runs in UTC and the windows are built from local wall-clock times, so a daylight-saving
change (Pacific/Auckland moves at 02:00/03:00, outside any office window) neither adds nor loses an
hour of work, and the window on the day of the change is still 09:00–17:00 local time. Windows that
cross midnight are not supported (a team that works nights has two windows; give it 00:00–23:59).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["DEFAULT_WORKDAYS", "MAX_DAYS", "business_hours_between", "due_at", "is_working_day", "windows"]

DEFAULT_WORKDAYS = (1, 2, 3, 4, 5)
#: A target is given in hours; no sensible one needs more than ten years of calendar to count down.
MAX_DAYS = 3660
_UTC = dt.UTC


def _zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {tz!r}") from None


def _dates(holidays: Iterable[dt.date | str]) -> frozenset[dt.date]:
    out = set()
    for h in holidays:
        if isinstance(h, dt.datetime):
            out.add(h.date())
        elif isinstance(h, dt.date):
            out.add(h)
        else:
            try:
                out.add(dt.date.fromisoformat(str(h).strip()))
            except ValueError:
                raise ValueError(f"holiday {h!r} is not a date (YYYY-MM-DD)") from None
    return frozenset(out)


def _check(workdays: Iterable[int], day_start: dt.time, day_end: dt.time) -> frozenset[int]:
    days = frozenset(int(d) for d in workdays)
    if not days or not days <= set(range(1, 8)):
        raise ValueError("working days must be ISO weekday numbers 1 (Monday) to 7 (Sunday), at least one")
    if day_end <= day_start:
        raise ValueError("the working day must end after it starts")
    return days


def is_working_day(day: dt.date, *, workdays: Iterable[int], holidays: Iterable[dt.date | str] = ()) -> bool:
    return day.isoweekday() in {int(d) for d in workdays} and day not in _dates(holidays)


def windows(
    *,
    start: dt.datetime,
    tz: str,
    workdays: Iterable[int] = DEFAULT_WORKDAYS,
    day_start: dt.time = dt.time(9),
    day_end: dt.time = dt.time(17),
    holidays: Iterable[dt.date | str] = (),
    days: int = MAX_DAYS,
) -> Iterable[tuple[dt.datetime, dt.datetime]]:
    """The working windows (UTC ``open, close``) from the local day of ``start`` on, ``start``
    clipped into the first one; at most ``days`` calendar days ahead."""
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    zone = _zone(tz)
    working = _check(workdays, day_start, day_end)
    off = _dates(holidays)
    cursor = start.astimezone(_UTC)
    day = start.astimezone(zone).date()
    for _ in range(days):
        if day.isoweekday() in working and day not in off:
            opens = dt.datetime.combine(day, day_start, tzinfo=zone).astimezone(_UTC)
            closes = dt.datetime.combine(day, day_end, tzinfo=zone).astimezone(_UTC)
            begin = max(cursor, opens)
            if begin < closes:
                yield begin, closes
        day += dt.timedelta(days=1)


def due_at(
    *,
    start: dt.datetime,
    hours: float,
    tz: str,
    workdays: Iterable[int] = DEFAULT_WORKDAYS,
    day_start: dt.time = dt.time(9),
    day_end: dt.time = dt.time(17),
    holidays: Iterable[dt.date | str] = (),
) -> dt.datetime:
    """``start`` plus ``hours`` working hours, in ``tz``. A message that arrives after hours starts
    its clock when the next working window opens; a target that ends exactly at closing time is due
    at closing time, not at the next opening. ``hours <= 0`` is due at ``start``."""
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    if hours <= 0:
        return start.astimezone(_zone(tz))
    remaining = dt.timedelta(hours=hours)
    for begin, closes in windows(
        start=start, tz=tz, workdays=workdays, day_start=day_start, day_end=day_end, holidays=holidays
    ):
        available = closes - begin
        if remaining <= available:
            return (begin + remaining).astimezone(_zone(tz))
        remaining -= available
    raise ValueError(f"no working time within {MAX_DAYS} days of {start.isoformat()}: check the holidays")


def business_hours_between(
    *,
    start: dt.datetime,
    end: dt.datetime,
    tz: str,
    workdays: Iterable[int] = DEFAULT_WORKDAYS,
    day_start: dt.time = dt.time(9),
    day_end: dt.time = dt.time(17),
    holidays: Iterable[dt.date | str] = (),
) -> float:
    """Working hours between two moments (negative when ``end`` is before ``start``)."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("start and end must be timezone-aware")
    if end < start:
        return -business_hours_between(
            start=end, end=start, tz=tz, workdays=workdays, day_start=day_start, day_end=day_end, holidays=holidays
        )
    total = dt.timedelta()
    end_utc = end.astimezone(_UTC)
    span_days = (end_utc - start.astimezone(_UTC)).days + 2
    for begin, closes in windows(
        start=start,
        tz=tz,
        workdays=workdays,
        day_start=day_start,
        day_end=day_end,
        holidays=holidays,
        days=min(span_days, MAX_DAYS),
    ):
        if begin >= end_utc:
            break
        total += min(closes, end_utc) - begin
    return total.total_seconds() / 3600
