"""The report's and export's pure rules: periods, hard questions, the mastery sample, local times and rows."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.core import reports as rules
from bot.core.errors import InvalidInput

TODAY = dt.date(2026, 12, 3)  # a Thursday in the autumn term


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("", dt.date(2026, 11, 27)),
        ("week", dt.date(2026, 11, 27)),
        ("month", dt.date(2026, 11, 4)),
        ("term", dt.date(2026, 9, 1)),
        ("since 2026-10-01", dt.date(2026, 10, 1)),
    ],
)
def test_periods_end_today(text, first):
    period = rules.parse_period(text, TODAY)
    assert (period.first, period.last) == (first, TODAY)


def test_the_term_follows_the_school_year():
    assert rules.term_start(dt.date(2027, 2, 10)) == dt.date(2027, 1, 1)
    assert rules.term_start(dt.date(2027, 5, 1)) == dt.date(2027, 4, 1)
    assert rules.term_start(dt.date(2026, 8, 20)) == dt.date(2026, 4, 1)


@pytest.mark.parametrize("text", ["fortnight", "since", "since 2026-13-01", "since 2027-01-01", "since x y"])
def test_a_bad_period_says_which_forms_work(text):
    with pytest.raises(InvalidInput) as raised:
        rules.parse_period(text, TODAY)
    assert "YYYY-MM-DD" in raised.value.message


def test_period_and_topic_split():
    assert rules.split_period_and_topic("month collectivisation") == ("month", "collectivisation")
    assert rules.split_period_and_topic("since 2026-09-01 rivals") == ("since 2026-09-01", "rivals")
    assert rules.split_period_and_topic("rise to power") == ("", "rise to power")


def test_the_hardest_questions_need_three_answers():
    tallies = {"a": (2, 0), "b": (3, 1), "c": (10, 2), "d": (4, 4)}
    assert rules.hardest(tallies) == ["c", "b", "d"]  # 20%, 33%, 100%; "a" has too few answers


def test_a_big_class_mastery_comes_from_an_even_spread_of_members():
    small = list(range(1, 301))
    assert rules.mastery_sample(small) == small
    big = list(range(1, 10_001))
    sample = rules.mastery_sample(big)
    assert len(sample) == rules.MASTERY_SAMPLE == len(set(sample))
    assert sample[0] == 1 and sample[-1] > 9_900  # from the whole range, not its start


def test_local_times_follow_the_clock_change():
    london = rules.LocalTimes("Europe/London")
    assert london("2026-10-24 08:30:00.000000") == "2026-10-24 09:30:00"  # BST
    assert london("2026-10-26 08:30:00.000000") == "2026-10-26 08:30:00"  # GMT after 25 October
    aware = dt.datetime(2026, 7, 1, 23, 30, tzinfo=dt.UTC)
    assert london(aware) == "2026-07-02 00:30:00"  # the next local day


def test_export_rows_escape_formulas_and_name_each_student():
    attempts = [
        ("2026-12-03 09:00:00.123456", 1, "q1", "daily", "=HYPERLINK(1)", True, 11),
        ("2026-12-03 09:01:00.000000", 2, "gone", "practice", "Bukharin", False, 0),
    ]
    rows = rules.export_rows(
        attempts, {1: ("@Ann", "U1"), 2: ("Bob", "U2")}, {"q1": ("rise", "short_answer")}, rules.LocalTimes("UTC")
    )
    assert rows[0] == (
        "2026-12-03 09:00:00",
        "'@Ann",
        "U1",
        "q1",
        "rise",
        "short_answer",
        "daily",
        "'=HYPERLINK(1)",
        "TRUE",
        11,
    )
    assert rows[1][4:6] == ("", "") and rows[1][8] == "FALSE"  # a question no longer known: blank, not a crash
