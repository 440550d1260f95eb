"""The per-answer scoring rule, without a database."""

from __future__ import annotations

import datetime as dt

from bot.core.scoring import FirstAnswer, Progress, points_for, score_answer

THU, FRI, MON = dt.date(2026, 11, 26), dt.date(2026, 11, 27), dt.date(2026, 11, 30)


def test_practice_is_recorded_and_changes_nothing():
    before = Progress(streak=3, best_streak=5, last_daily=THU, total_points=42)
    decision = score_answer(before, correct=True, daily_date=None)
    assert decision.record and not decision.scored
    assert (decision.points, decision.streak, decision.progress) == (0, 3, before)


def test_a_first_correct_daily_answer_earns_ten_and_starts_a_streak():
    decision = score_answer(Progress(), correct=True, daily_date=FRI)
    assert decision.record and decision.scored and decision.repeat_of is None
    assert (decision.points, decision.streak) == (10, 1)
    assert decision.progress == Progress(streak=1, best_streak=1, last_daily=FRI, total_points=10)


def test_a_wrong_daily_answer_earns_nothing_but_keeps_the_streak_going():
    decision = score_answer(Progress(2, 2, THU, 21), correct=False, daily_date=FRI)
    assert decision.scored and (decision.points, decision.streak) == (0, 3)
    assert decision.progress == Progress(3, 3, FRI, 21)


def test_the_streak_bonus_grows_by_one_a_day_up_to_five():
    assert score_answer(Progress(1, 1, THU, 10), correct=True, daily_date=FRI).points == 11
    long_run = score_answer(Progress(9, 9, THU, 200), correct=True, daily_date=FRI)
    assert (long_run.streak, long_run.points) == (10, 15)


def test_a_weekend_does_not_break_the_streak():
    decision = score_answer(Progress(4, 4, FRI, 50), correct=True, daily_date=MON)
    assert decision.streak == 5


def test_a_question_answered_on_a_day_off_scores_but_neither_extends_nor_breaks_the_streak():
    saturday = FRI + dt.timedelta(days=1)
    decision = score_answer(Progress(4, 4, FRI, 50), correct=True, daily_date=saturday)
    assert decision.scored and decision.points == points_for(True, 4) and decision.streak == 4
    assert decision.progress.last_daily == FRI  # Monday still follows Friday


def test_missed_school_days_start_the_streak_again_but_keep_the_best():
    forgiven = score_answer(Progress(4, 6, THU, 50), correct=True, daily_date=MON)  # missed Friday: the freeze
    assert forgiven.streak == 5 and forgiven.progress.freeze_used_on == MON
    used = Progress(4, 6, THU, 50, freeze_used_on=dt.date(2026, 11, 10))  # this half-term's freeze is gone
    decision = score_answer(used, correct=True, daily_date=MON)
    assert decision.streak == 1 and decision.progress.best_streak == 6 and decision.points == 10


def test_a_second_answer_to_the_same_daily_question_is_not_recorded_and_the_first_stands():
    first = FirstAnswer(correct=True, answer_given="B) 1928", streak=2, question_id="eco-001")
    before = Progress(2, 2, FRI, 21)
    decision = score_answer(before, correct=False, daily_date=FRI, first=first)
    assert not decision.record and not decision.scored
    assert decision.repeat_of == first and decision.points == 0 and decision.streak == 2
    assert decision.progress == before
