"""The service against a real database: daily questions, answers, points, streaks, practice."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from bot.core.actor import Actor, Platform
from bot.core.errors import InvalidInput, NoQuestionPending, NotFound
from bot.core.replies import QuestionRef
from bot.core.vocabulary import Mode, QuestionKind
from tests.helpers import correct_answer, student, wrong_answer


async def test_every_member_gets_the_same_daily_question_all_day(any_service, clock):
    first = await any_service.daily_question(student("Ann"))
    clock.advance(hours=8)
    second = await any_service.daily_question(student("Bob"))
    assert first.ref == second.ref
    assert first.ref.mode is Mode.DAILY and first.ref.daily_date.isoformat() == "2026-11-27"


async def test_daily_questions_do_not_repeat_until_the_bank_is_used_up(any_service, clock):
    bank_size = len(any_service.bank.questions)
    seen = []
    for _ in range(bank_size):
        seen.append((await any_service.daily_question(student("Ann"))).ref.question_id)
        clock.advance(days=1)
    assert sorted(seen) == sorted(any_service.bank.questions)
    again = (await any_service.daily_question(student("Ann"))).ref.question_id
    assert again in seen


async def test_a_correct_daily_answer_scores_once(any_service):
    ann = student("Ann")
    card = await any_service.daily_question(ann)
    first = await any_service.submit_answer(ann, correct_answer(any_service, card))
    assert first.correct and first.points == 10 and first.streak == 1 and not first.repeated
    again = await any_service.submit_answer(ann, wrong_answer(any_service, card), card.ref)
    assert again.repeated and again.points == 0 and again.correct  # the first result stands
    board = await any_service.leaderboard(ann, "week")
    assert [(e.name, e.points) for e in board.entries] == [("Ann", 10)]


async def test_concurrent_answers_to_the_daily_question_score_exactly_once(any_service):
    ann = student("Ann")
    card = await any_service.daily_question(ann)
    answer = correct_answer(any_service, card)
    results = await asyncio.gather(*(any_service.submit_answer(ann, answer, card.ref) for _ in range(8)))
    assert sum(not r.repeated for r in results) == 1
    assert sum(r.points for r in results) == 10
    stats = await any_service.stats(ann)
    assert stats.daily_answered == 1 and stats.points == 10


MONDAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


async def test_streaks_grow_with_consecutive_school_days_and_add_a_bonus(any_service, clock):
    clock.now = MONDAY
    ann = student("Ann")
    points = []
    for _ in range(3):  # Monday to Wednesday
        card = await any_service.daily_question(ann)
        result = await any_service.submit_answer(ann, correct_answer(any_service, card))
        points.append((result.streak, result.points))
        clock.advance(days=1)
    assert points == [(1, 10), (2, 11), (3, 12)]
    clock.advance(days=1)  # Thursday missed: the half-term's streak freeze forgives it
    card = await any_service.daily_question(ann)
    result = await any_service.submit_answer(ann, wrong_answer(any_service, card))
    assert (result.streak, result.points, result.correct) == (4, 0, False)
    stats = await any_service.stats(ann)
    assert stats.streak_freeze_used_on == clock().date() and not stats.streak_freeze_available


async def test_missed_school_days_break_the_streak(any_service, clock):
    clock.now = MONDAY
    ann = student("Ann")
    card = await any_service.daily_question(ann)
    await any_service.submit_answer(ann, correct_answer(any_service, card))
    clock.advance(days=3)  # Tuesday and Wednesday missed: more than a freeze forgives
    assert (await any_service.stats(ann)).current_streak == 0
    card = await any_service.daily_question(ann)
    result = await any_service.submit_answer(ann, correct_answer(any_service, card))
    assert result.streak == 1
    assert (await any_service.stats(ann)).best_streak == 1


async def test_a_question_asked_at_the_weekend_breaks_nobody_s_streak(any_service, clock):
    """Ann and Bob answered Monday to Friday; Bob asked for Saturday's question too. On Monday both
    streaks go on (before, Saturday became a question day everyone had to answer: Ann's fell to 1)."""
    clock.now = MONDAY
    ann, bob = student("Ann"), student("Bob")
    for _ in range(5):
        for who in (ann, bob):
            card = await any_service.daily_question(who)
            await any_service.submit_answer(who, correct_answer(any_service, card))
        clock.advance(days=1)
    card = await any_service.daily_question(bob)  # Saturday
    saturday = await any_service.submit_answer(bob, correct_answer(any_service, card))
    assert saturday.points > 0 and saturday.streak == 5  # points, but the streak neither grows nor breaks
    clock.advance(days=2)  # Monday
    assert (await any_service.stats(ann)).current_streak == 5
    for who in (ann, bob):
        card = await any_service.daily_question(who)
        assert (await any_service.submit_answer(who, correct_answer(any_service, card))).streak == 6


async def test_streaks_follow_the_schedule_s_days_and_pauses(any_service, clock):
    clock.now = MONDAY
    teacher = Actor(Platform.CONSOLE, "class-1", "teacher", "Ms T", is_admin=True)
    await any_service.schedules.set(teacher, "general", time="08:00", days="tue,thu")
    ann = student("Ann")
    clock.advance(days=1)  # Tuesday
    card = await any_service.daily_question(ann)
    await any_service.submit_answer(ann, correct_answer(any_service, card))
    clock.advance(days=2)  # Thursday: Wednesday is not a school day for this class
    card = await any_service.daily_question(ann)
    assert (await any_service.submit_answer(ann, correct_answer(any_service, card))).streak == 2


async def test_yesterdays_question_counts_only_as_practice(any_service, clock):
    ann = student("Ann")
    card = await any_service.daily_question(ann)
    clock.advance(days=1)
    result = await any_service.submit_answer(ann, correct_answer(any_service, card), card.ref)
    assert result.ref.mode is Mode.PRACTICE and result.points == 0 and "practice" in result.note
    assert (await any_service.leaderboard(ann, "all")).entries == ()


async def test_practice_is_recorded_but_earns_no_points(any_service):
    ann = student("Ann")
    card = await any_service.practice_question(ann, "rivals")
    assert card.ref.mode is Mode.PRACTICE and any_service.bank.questions[card.ref.question_id].topic == "rivals"
    result = await any_service.submit_answer(ann, correct_answer(any_service, card))
    assert result.correct and result.points == 0
    stats = await any_service.stats(ann)
    assert (stats.practice_answered, stats.correct, stats.points) == (1, 1, 0)
    assert [t.topic for t in stats.per_topic] == ["The rivals"]


async def test_practice_avoids_the_daily_question_and_prefers_unseen_ones(any_service):
    ann = student("Ann")
    daily = await any_service.daily_question(ann)
    seen = set()
    for _ in range(len(any_service.bank.questions) - 1):
        card = await any_service.practice_question(ann)
        await any_service.submit_answer(ann, correct_answer(any_service, card))
        seen.add(card.ref.question_id)
    assert daily.ref.question_id not in seen
    assert len(seen) == len(any_service.bank.questions) - 1


async def test_short_answers_forgive_spelling_but_not_another_rival(any_service):
    ann = student("Ann")
    for given, expected in [
        ("zinovyev", True),
        ("  GRIGORY ZINOVIEV! ", True),
        ("Zinovev", True),
        ("Kamenev", False),
        ("Trotsky", False),
    ]:
        await any_service.practice_question(ann, figure="zinoviev")
        result = await any_service.submit_answer(ann, given)
        assert result.correct is expected, given


async def test_year_answers_accept_in_1923_but_never_a_neighbouring_year(any_service):
    ann = student("Ann")
    ref = QuestionRef("t-sa-2", Mode.PRACTICE)
    assert (await any_service.submit_answer(ann, "in 1923", ref)).correct
    assert not (await any_service.submit_answer(ann, "1926", ref)).correct


async def test_bad_answers_are_refused_without_recording_anything(any_service):
    ann = student("Ann")
    with pytest.raises(NoQuestionPending):
        await any_service.submit_answer(ann, "A")
    card = await any_service.daily_question(ann)
    bad = ["", "   ", "\x00\x07", "x" * 501]
    if card.kind is QuestionKind.MULTIPLE_CHOICE:
        bad.append("Z")
    elif card.kind is QuestionKind.TRUE_FALSE:
        bad.append("perhaps")
    for text in bad:
        with pytest.raises(InvalidInput):
            await any_service.submit_answer(ann, text, card.ref)
    assert (await any_service.stats(ann)).answered == 0


async def test_a_forged_daily_reference_is_refused(any_service):
    ann = student("Ann")
    card = await any_service.daily_question(ann)
    other = next(q for q in any_service.bank.questions if q != card.ref.question_id)
    with pytest.raises(NotFound):
        await any_service.submit_answer(ann, "A", QuestionRef(other, Mode.DAILY, card.ref.daily_date))
    assert (await any_service.stats(ann)).answered == 0


async def test_unicode_names_and_answers_are_safe(any_service):
    name = student("Zoë 🚀 O'Brien-Łukasz")
    await any_service.practice_question(name, figure="zinoviev")
    result = await any_service.submit_answer(name, "Зиновьев 🙂")
    assert result.correct is False
    assert (await any_service.stats(name)).name == "Zoë 🚀 O'Brien-Łukasz"


@pytest.mark.parametrize("choice", ["B", "b)", "(c)", "true", "False"])
async def test_a_letter_or_true_false_on_a_typed_question_is_refused_and_does_not_use_up_the_day(
    any_service, clock, choice
):
    ann = student("Ann")
    card = await any_service.daily_question(ann)
    while card.kind is not QuestionKind.SHORT_ANSWER:  # the fixture bank has a few: find a day that asks one
        clock.advance(days=1)
        card = await any_service.daily_question(ann)
    with pytest.raises(InvalidInput, match="wants a typed answer"):
        await any_service.submit_answer(ann, choice)
    assert (await any_service.stats(ann)).answered == 0  # nothing recorded
    result = await any_service.submit_answer(ann, correct_answer(any_service, card))
    assert result.correct and result.points == 10 and not result.repeated


async def test_a_name_made_only_of_invisible_marks_falls_back_to_the_platform_id(any_service):
    ghost = Actor(Platform.SLACK, "T1", "U0GHOST", "\u200b\u200f\u202e\u2066")
    card = await any_service.daily_question(ghost)  # used to be "The display name is empty" on every command
    await any_service.submit_answer(ghost, correct_answer(any_service, card), card.ref)
    board = await any_service.leaderboard(ghost, "week")
    assert [entry.name for entry in board.entries] == ["U0GHOST"] and board.caller.name == "U0GHOST"
