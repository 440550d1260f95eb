"""Points, streaks, periods and question choice: pure rules, no database."""

from __future__ import annotations

import datetime as dt

from bot.core import scoring, selection
from bot.core.replies import QuestionRef
from bot.core.vocabulary import Mode, Period

FRI = dt.date(2026, 11, 27)


def test_points_and_streak_bonus():
    assert [scoring.points_for(True, s) for s in (1, 2, 6, 30)] == [10, 11, 15, 15]
    assert scoring.points_for(False, 9) == 0


def test_periods():
    assert scoring.period_start(Period.WEEK, FRI) == dt.date(2026, 11, 23)
    assert scoring.period_start(Period.MONTH, FRI) == dt.date(2026, 11, 1)
    assert scoring.period_label(Period.WEEK, FRI) == "week of 23 Nov 2026"
    assert scoring.parse_period("Monthly") is Period.MONTH


def test_competition_ranks():
    ranked = scoring.competition_ranks([("a", 30), ("b", 20), ("c", 20), ("d", 10)])
    assert [r.rank for r in ranked] == [1, 2, 2, 4]


def test_daily_choice_is_stable_and_prefers_the_least_asked():
    candidates = ["q1", "q2", "q3"]
    assert selection.choose_daily(candidates, {}, "x") == selection.choose_daily(candidates, {}, "x")
    assert selection.choose_daily(candidates, {"q1": 1, "q3": 1}, "x") == "q2"


def test_option_order_is_fixed_per_question_and_keeps_every_option():
    options = ["w", "x", "y", "z"]
    first = selection.option_order("ps-001", options)
    assert first == selection.option_order("ps-001", options)
    assert sorted(text for _, text in first) == options
    assert [letter for letter, _ in first] == ["A", "B", "C", "D"]
    orders = {tuple(t for _, t in selection.option_order(f"q-{i}", options)) for i in range(20)}
    assert len(orders) > 5  # the answer is not always in the same place


def test_question_refs_round_trip():
    for ref in (QuestionRef("ps-001", Mode.DAILY, FRI), QuestionRef("eco-010", Mode.PRACTICE)):
        assert QuestionRef.decode(ref.encode()) == ref


def test_daily_choice_never_repeats_while_unasked_questions_remain():
    candidates = [f"q{i:03d}" for i in range(100)]
    for asked_count in (10, 49, 50, 99):
        asked = {q: 1 for q in candidates[:asked_count]}
        for day in range(50):
            assert selection.choose_daily(candidates, asked, f"class:{day}") not in asked
