"""Slot arithmetic with a controllable clock: time zones, weekdays, pauses and both DST changes."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.core.errors import InvalidInput
from bot.core.schedules import (
    Pause,
    ScheduleRule,
    parse_days,
    parse_pause,
    parse_time,
    parse_timezone,
)

LONDON = ScheduleRule(dt.time(8, 30))


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("day", "expected_utc"),
    [
        ("2027-03-26", utc(2027, 3, 26, 8, 30)),  # Friday before the spring change: GMT
        ("2027-03-29", utc(2027, 3, 29, 7, 30)),  # Monday after: BST, still 08:30 local
        ("2026-10-23", utc(2026, 10, 23, 7, 30)),  # Friday before the autumn change: BST
        ("2026-10-26", utc(2026, 10, 26, 8, 30)),  # Monday after: GMT
    ],
)
def test_local_time_survives_daylight_saving(day, expected_utc):
    slot = LONDON.slot_on(dt.date.fromisoformat(day))
    assert slot == expected_utc
    assert slot.astimezone(LONDON.zone).time() == dt.time(8, 30)


def test_next_slot_skips_the_weekend():
    friday_after = utc(2026, 11, 27, 9, 0)
    assert LONDON.next_slot(friday_after) == utc(2026, 11, 30, 8, 30)


def test_other_time_zones_and_days():
    rule = ScheduleRule(dt.time(7, 45), "America/New_York", parse_days("sat,sun"))
    assert rule.next_slot(utc(2026, 11, 27, 12)) == utc(2026, 11, 28, 12, 45)


def test_pauses_skip_holidays():
    rule = ScheduleRule(dt.time(8, 30), pauses=(parse_pause("2026-12-19..2027-01-04"),))
    assert rule.next_slot(utc(2026, 12, 18, 9)) == utc(2027, 1, 5, 8, 30)
    assert not rule.posts_on(dt.date(2027, 1, 4)) and rule.posts_on(dt.date(2027, 1, 5))


def test_due_now_only_on_the_same_local_day():
    assert LONDON.due_now(utc(2026, 11, 27, 8, 29)) is None
    assert LONDON.due_now(utc(2026, 11, 27, 8, 30)) == dt.date(2026, 11, 27)
    assert LONDON.due_now(utc(2026, 11, 27, 23, 59)) == dt.date(2026, 11, 27)
    assert LONDON.due_now(utc(2026, 11, 28, 0, 1)) is None  # Saturday: yesterday's slot is not posted late


def test_a_fully_paused_rule_has_no_next_slot():
    rule = ScheduleRule(dt.time(8), pauses=(Pause(dt.date(2026, 1, 1), dt.date(2030, 1, 1)),))
    assert rule.next_slot(utc(2026, 11, 27)) is None


def test_parsers():
    assert parse_time("8:30am") == dt.time(8, 30) and parse_time("17.05") == dt.time(17, 5)
    assert parse_timezone("europe/paris") == "Europe/Paris"
    assert parse_days("mon,wed-fri") == frozenset({0, 2, 3, 4})
    assert parse_days("fri-mon") == frozenset({4, 5, 6, 0})
    for bad in (
        lambda: parse_time("25:00"),
        lambda: parse_timezone("Mars/Olympus"),
        lambda: parse_days("funday"),
        lambda: parse_pause("2027-01-04..2026-12-19"),
    ):
        with pytest.raises(InvalidInput):
            bad()
