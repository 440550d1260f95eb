"""The class calendar streaks follow: its school days are the days its schedules post (minus pauses), or
Monday to Friday for a class with no schedule. A day off never breaks a streak, and one missed school day
a half-term is forgiven (a streak freeze, used automatically)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from bot.core.schedules import SCHOOL_DAYS, Pause

# Half-terms as most English schools keep them (the exact weeks differ by school and year): a freeze is
# per half-term, counted from these dates.
HALF_TERM_STARTS = ((1, 1), (2, 16), (4, 1), (6, 1), (9, 1), (11, 1))  # (month, day)
LOOK_BACK_DAYS = 400  # the furthest a previous school day is looked for


@dataclass(frozen=True, slots=True)
class ScheduleDays:
    """What one schedule says about school days."""

    weekdays: frozenset[int]
    pauses: tuple[Pause, ...] = ()
    paused: bool = False  # paused until resumed: it posts on no day


@dataclass(frozen=True, slots=True)
class SchoolCalendar:
    schedules: tuple[ScheduleDays, ...] = ()

    @classmethod
    def of(cls, schedules: Iterable[ScheduleDays]) -> SchoolCalendar:
        return cls(tuple(schedules))

    def is_school_day(self, day: dt.date) -> bool:
        if not self.schedules:
            return day.weekday() in SCHOOL_DAYS
        return any(
            not s.paused and day.weekday() in s.weekdays and not any(p.covers(day) for p in s.pauses)
            for s in self.schedules
        )

    def school_days_between(self, after: dt.date, before: dt.date, *, up_to: int = LOOK_BACK_DAYS) -> int:
        """School days strictly between two dates, counted up to `up_to` (the rules only need 0, 1 or more:
        a member last seen a year ago must not cost a year of days on every answer)."""
        count, day = 0, after + dt.timedelta(days=1)
        while day < before and count < up_to:
            count += self.is_school_day(day)
            day += dt.timedelta(days=1)
        return count


def half_term(day: dt.date) -> tuple[int, int]:
    """(school year, half-term 0..5) of a date: a streak freeze is one per half-term."""
    year = day.year if day.month >= 9 else day.year - 1
    starts = [dt.date(year + (month < 9), month, d) for month, d in sorted(HALF_TERM_STARTS, key=_school_order)]
    index = max(i for i, start in enumerate(starts) if start <= day)
    return year, index


def _school_order(start: tuple[int, int]) -> tuple[int, int]:
    month, day = start
    return (month - 9) % 12, day


@dataclass(frozen=True, slots=True)
class StreakStep:
    streak: int
    counted: bool  # a school day: the streak moved (or restarted); on a day off it stays as it was
    freeze_used: bool = False


def step(
    streak: int,
    last_school_day: dt.date | None,
    day: dt.date,
    calendar: SchoolCalendar,
    freeze_used_on: dt.date | None,
) -> StreakStep:
    """The streak after answering the daily question of `day`. On a day off it is the streak as it stands
    that day (one already broken is 0, not the old number), and it does not move."""
    if not calendar.is_school_day(day):
        return StreakStep(standing(streak, last_school_day, day, calendar, freeze_used_on), counted=False)
    if last_school_day is None:
        return StreakStep(1, counted=True)
    if last_school_day >= day:
        return StreakStep(streak, counted=True)
    missed = calendar.school_days_between(last_school_day, day, up_to=2)
    if missed == 0:
        return StreakStep(streak + 1, counted=True)
    if missed == 1 and freeze_available(freeze_used_on, day):
        return StreakStep(streak + 1, counted=True, freeze_used=True)
    return StreakStep(1, counted=True)


def freeze_available(freeze_used_on: dt.date | None, day: dt.date) -> bool:
    return freeze_used_on is None or half_term(freeze_used_on) != half_term(day)


def standing(
    streak: int,
    last_school_day: dt.date | None,
    today: dt.date,
    calendar: SchoolCalendar,
    freeze_used_on: dt.date | None,
) -> int:
    """The streak as it stands today (before today's answer): broken once more school days were missed
    than a freeze forgives."""
    if last_school_day is None:
        return 0
    missed = calendar.school_days_between(last_school_day, today, up_to=2)
    if missed == 0 or (missed == 1 and freeze_available(freeze_used_on, today)):
        return streak
    return 0
