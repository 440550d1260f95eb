"""The class calendar streaks follow (pure rules): days off never break a streak, a freeze forgives one
missed school day a half-term."""

from __future__ import annotations

import datetime as dt

from bot.core.calendar import ScheduleDays, SchoolCalendar, half_term, standing, step
from bot.core.schedules import Pause

MON = dt.date(2026, 11, 23)
WEEKDAYS = SchoolCalendar()  # no schedule: Monday to Friday
day = lambda n: MON + dt.timedelta(days=n)  # noqa: E731


def test_a_weekend_question_neither_extends_nor_breaks_a_streak():
    streak, last = 0, None
    for n in range(5):  # Monday to Friday
        moved = step(streak, last, day(n), WEEKDAYS, None)
        streak, last = moved.streak, day(n)
    assert streak == 5
    saturday = step(streak, last, day(5), WEEKDAYS, None)
    assert (saturday.streak, saturday.counted) == (5, False)  # answered on a day off: no change
    assert step(streak, last, day(7), WEEKDAYS, None).streak == 6  # Monday follows Friday
    weeks_ago = step(8, day(-30), day(5), WEEKDAYS, None)  # a streak broken long ago earns no weekend bonus
    assert (weeks_ago.streak, weeks_ago.counted) == (0, False)
    assert standing(streak, last, day(7), WEEKDAYS, None) == 5  # nobody's streak broke over the weekend


def test_one_missed_school_day_a_half_term_is_forgiven():
    first = step(3, day(0), day(2), WEEKDAYS, None)  # missed Tuesday
    assert (first.streak, first.freeze_used) == (4, True)
    again = step(4, day(2), day(4), WEEKDAYS, freeze_used_on=day(2))  # missed Thursday too: same half-term
    assert (again.streak, again.freeze_used) == (1, False)
    assert standing(4, day(2), day(4), WEEKDAYS, freeze_used_on=day(2)) == 0
    assert step(3, day(0), day(3), WEEKDAYS, None).streak == 1  # two school days missed: no freeze covers it
    later = dt.date(2027, 1, 5)  # a new half-term: a new freeze
    assert step(3, dt.date(2027, 1, 1) - dt.timedelta(days=0), later, WEEKDAYS, freeze_used_on=day(2)).freeze_used


def test_the_schedule_s_days_and_pauses_are_the_school_days():
    tuesdays_and_thursdays = SchoolCalendar.of(
        [ScheduleDays(frozenset({1, 3}), pauses=(Pause(day(8), day(10)),))]  # a pause over next Tue-Thu
    )
    assert step(2, day(1), day(3), tuesdays_and_thursdays, None).streak == 3  # Tue then Thu: consecutive
    assert step(3, day(3), day(15), tuesdays_and_thursdays, None).streak == 4  # the paused week never counted
    assert not step(3, day(3), day(4), tuesdays_and_thursdays, None).counted  # Friday is a day off here
    held = SchoolCalendar.of([ScheduleDays(frozenset(range(5)), paused=True)])
    assert not held.is_school_day(day(0))  # paused until resumed: a holiday


def test_half_terms():
    assert half_term(dt.date(2026, 9, 1)) == (2026, 0)
    assert half_term(dt.date(2026, 10, 31)) == (2026, 0)
    assert half_term(dt.date(2026, 11, 1)) == (2026, 1)
    assert half_term(dt.date(2027, 1, 4)) == (2026, 2)
    assert half_term(dt.date(2027, 2, 16)) == (2026, 3)
    assert half_term(dt.date(2027, 8, 31)) == (2026, 5)
