"""Business hours (``govsocial.web.inbox.hours``): when a response is due, counting working time only.

Pure functions: no database. Times are Pacific/Auckland unless a case says otherwise. November 2026
is daylight time (NZDT, UTC+13); NZ daylight saving starts on Sunday 27 September 2026 (02:00 →
03:00) and ends on Sunday 4 April 2027 (03:00 → 02:00).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from govsocial.web.inbox.hours import business_hours_between, due_at

AKL = ZoneInfo("Pacific/Auckland")


def akl(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=AKL)


# 2026-11-20 is a Friday; 2026-11-23 a Monday.
CASES = [
    ("inside a day", "2026-11-18 10:00", 3, (), "2026-11-18 13:00"),
    ("exactly to closing time stays that day", "2026-11-18 09:00", 8, (), "2026-11-18 17:00"),
    ("spills into the next morning", "2026-11-18 15:00", 4, (), "2026-11-19 11:00"),
    ("friday afternoon runs over the weekend", "2026-11-20 16:00", 3, (), "2026-11-23 11:00"),
    ("arrives on saturday: the clock starts monday", "2026-11-21 11:00", 2, (), "2026-11-23 11:00"),
    ("arrives before opening", "2026-11-18 06:30", 1, (), "2026-11-18 10:00"),
    ("arrives after closing", "2026-11-18 19:45", 1, (), "2026-11-19 10:00"),
    ("arrives at closing time exactly", "2026-11-18 17:00", 1, (), "2026-11-19 10:00"),
    ("a holiday is skipped", "2026-12-24 16:00", 2, ("2026-12-25", "2026-12-28"), "2026-12-29 10:00"),
    ("forty hours is a working week", "2026-11-23 09:00", 40, (), "2026-11-27 17:00"),
    ("fractional hours", "2026-11-18 16:30", 1.5, (), "2026-11-19 10:00"),
    ("zero hours is due on arrival", "2026-11-21 11:00", 0, (), "2026-11-21 11:00"),
]


@pytest.mark.parametrize(("name", "start", "hours", "holidays", "expected"), CASES, ids=[c[0] for c in CASES])
def test_due_at_counts_only_working_hours(
    name: str, start: str, hours: float, holidays: tuple[str, ...], expected: str
) -> None:
    got = due_at(start=akl(start), hours=hours, tz="Pacific/Auckland", holidays=holidays)
    assert got == akl(expected)
    assert got.utcoffset() == akl(expected).utcoffset()


def test_when_daylight_saving_starts_over_the_weekend_then_monday_still_opens_at_nine_local() -> None:
    # Friday 25 September 2026 is NZST (UTC+12); Monday 28 September is NZDT (UTC+13).
    start = akl("2026-09-25 16:00")
    got = due_at(start=start, hours=2, tz="Pacific/Auckland")
    assert got == akl("2026-09-28 10:00")
    assert got.utcoffset() == dt.timedelta(hours=13)
    assert start.utcoffset() == dt.timedelta(hours=12)
    # Two hours of work, whatever the wall clock did in between.
    assert business_hours_between(start=start, end=got, tz="Pacific/Auckland") == pytest.approx(2.0)


def test_when_daylight_saving_ends_then_a_weekend_office_on_the_change_day_loses_no_hour() -> None:
    # Sunday 4 April 2027: clocks go back at 03:00. A seven-day team's window is still 09:00–17:00.
    every_day = range(1, 8)
    got = due_at(start=akl("2027-04-04 08:00"), hours=8, tz="Pacific/Auckland", workdays=every_day)
    assert got == akl("2027-04-04 17:00")


def test_when_the_arrival_is_given_in_utc_then_the_answer_is_in_the_agency_zone() -> None:
    start = dt.datetime(2026, 11, 17, 22, 0, tzinfo=dt.UTC)  # Wednesday 18 November 11:00 NZDT
    got = due_at(start=start, hours=1, tz="Pacific/Auckland")
    assert got == akl("2026-11-18 12:00")
    assert got.tzinfo is not None and got.tzinfo.key == "Pacific/Auckland"  # type: ignore[attr-defined]


def test_a_team_with_other_hours_and_days_in_another_zone() -> None:
    london = ZoneInfo("Europe/London")
    got = due_at(
        start=dt.datetime(2026, 11, 19, 17, 0, tzinfo=london),  # Thursday, after a 08:30–17:00 day
        hours=4,
        tz="Europe/London",
        workdays=(1, 2, 3, 4),  # no Fridays
        day_start=dt.time(8, 30),
        day_end=dt.time(17, 0),
    )
    assert got == dt.datetime(2026, 11, 23, 12, 30, tzinfo=london)


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        ("2026-11-18 10:00", "2026-11-18 12:30", 2.5),
        ("2026-11-20 16:00", "2026-11-23 10:00", 2.0),
        ("2026-11-21 10:00", "2026-11-22 18:00", 0.0),
        ("2026-11-23 12:00", "2026-11-20 16:00", -4.0),
    ],
)
def test_business_hours_between(start: str, end: str, hours: float) -> None:
    assert business_hours_between(start=akl(start), end=akl(end), tz="Pacific/Auckland") == pytest.approx(hours)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"workdays": ()}, "working days"),
        ({"workdays": (0, 8)}, "working days"),
        ({"day_start": dt.time(17), "day_end": dt.time(9)}, "end after it starts"),
        ({"tz": "Mars/Olympus_Mons"}, "unknown time zone"),
        ({"holidays": ("next tuesday",)}, "not a date"),
    ],
)
def test_when_the_settings_are_impossible_then_due_at_says_which(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"start": akl("2026-11-18 10:00"), "hours": 2, "tz": "Pacific/Auckland", **kwargs}
    with pytest.raises(ValueError, match=message):
        due_at(**args)  # type: ignore[arg-type]


def test_when_the_start_is_naive_then_it_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        due_at(start=dt.datetime(2026, 11, 18, 10), hours=1, tz="Pacific/Auckland")
