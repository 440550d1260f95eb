"""Spaced review against a real database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set): what a
student got wrong comes back, what they got right goes days out, mastery follows their answers."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import select, update

from bot.bootstrap import open_service
from bot.core import review
from bot.core.clock import day_bounds
from bot.core.errors import NotFound
from bot.core.replies import AskedQuestion, QuestionRef, ReviewsDone
from bot.core.vocabulary import Mode
from bot.store.models import Question as QuestionRow
from bot.store.models import ReviewCard
from tests.helpers import FIXTURE_CONTENT, correct_answer, student, wrong_answer


def utc(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment  # SQLite gives naive UTC


async def answer(service, actor, question_id: str, *, right: bool, mode: Mode = Mode.PRACTICE):  # noqa: ANN001
    asked = service.catalogue.asked(QuestionRef(question_id, mode))
    given = correct_answer(service, asked) if right else wrong_answer(service, asked)
    return await service.submit_answer(actor, given, QuestionRef(question_id, mode))


async def cards(service, question_id: str | None = None) -> list[ReviewCard]:  # noqa: ANN001
    async with service.db.read_sessions() as session:
        query = select(ReviewCard)
        if question_id:
            query = query.where(ReviewCard.question_id == question_id)
        return list((await session.scalars(query)).all())


async def test_a_wrong_answer_comes_back_in_review_and_a_right_one_goes_days_out(any_service, clock):
    ann = student("Ann")
    assert isinstance(await any_service.next_review(ann), ReviewsDone)  # nothing answered, nothing to review

    await answer(any_service, ann, "t-mc-1", right=False)
    asked = await any_service.next_review(ann)
    assert isinstance(asked, AskedQuestion)
    assert asked.ref == QuestionRef("t-mc-1", Mode.REVIEW) and asked.reviews_due == 1

    feedback = await any_service.submit_answer(ann, correct_answer(any_service, asked))  # `answer <text>` works
    assert feedback.correct and feedback.points == 0 and feedback.reviews_due == 0
    done = await any_service.next_review(ann)
    assert isinstance(done, ReviewsDone) and done.done_today == 1
    assert done.next_due is not None and done.next_due.date() > clock().date()  # not due today
    assert (await any_service.leaderboard(ann, "week")).caller is None  # reviews earn no points

    clock.advance(days=3)
    again = await any_service.next_review(ann)
    assert isinstance(again, AskedQuestion) and again.ref.question_id == "t-mc-1"  # due again later


async def test_a_question_never_answered_is_never_in_review(any_service, clock):
    ann = student("Ann")
    await answer(any_service, ann, "t-tf-1", right=True)
    for _ in range(4):
        [card] = await cards(any_service)
        clock.now = utc(card.due)
        asked = await any_service.next_review(ann)
        assert isinstance(asked, AskedQuestion) and asked.ref.question_id == "t-tf-1"
        await any_service.submit_answer(ann, correct_answer(any_service, asked))
    assert {card.question_id for card in await cards(any_service)} == {"t-tf-1"}


async def test_the_most_overdue_question_comes_first(any_service, clock):
    ann = student("Ann")
    await answer(any_service, ann, "t-mc-1", right=True)
    clock.advance(hours=1)
    await answer(any_service, ann, "t-tf-1", right=True)
    clock.advance(days=60)
    first = await any_service.next_review(ann)
    assert first.ref.question_id == "t-mc-1" and first.reviews_due == 2


async def test_review_never_shows_todays_daily_question_before_it_is_answered(any_service, clock):
    ann, bob = student("Ann"), student("Bob")
    todays = (await any_service.daily_question(bob)).ref.question_id
    await answer(any_service, ann, todays, right=False)  # met before, as practice
    assert isinstance(await any_service.next_review(ann), ReviewsDone)
    daily = await any_service.daily_question(ann)
    await any_service.submit_answer(ann, wrong_answer(any_service, daily), daily.ref)
    asked = await any_service.next_review(ann)
    assert isinstance(asked, AskedQuestion) and asked.ref.question_id == todays


async def test_mastery_per_topic_follows_the_answers_and_quiz_weak_picks_the_weakest(any_service, clock):
    ann = student("Ann")
    await answer(any_service, ann, "t-mc-1", right=True)  # rise
    await answer(any_service, ann, "t-sa-2", right=False)  # nep
    await answer(any_service, ann, "t-mc-2", right=True)  # nep
    clock.advance(days=2)
    stats = await any_service.stats(ann)
    mastery = {m.topic_id: m for m in stats.mastery}
    assert set(mastery) == {"rise", "nep"}
    assert mastery["nep"].met == 2 and mastery["nep"].total == 2 and mastery["rise"].met == 1
    assert 0 < mastery["nep"].recall < mastery["rise"].recall <= 1
    assert stats.due_now >= 1 and stats.due_this_week >= stats.due_now and stats.review_answered == 0
    for _ in range(4):
        weak = await any_service.practice_question(ann, "weak")
        assert any_service.bank.questions[weak.ref.question_id].topic == "nep"

    for _ in range(3):  # nep learnt well; rise now the weaker
        await answer(any_service, ann, "t-sa-2", right=True)
        await answer(any_service, ann, "t-mc-2", right=True)
        clock.advance(days=1)
    clock.advance(days=20)
    later = {m.topic_id: m for m in (await any_service.stats(ann)).mastery}
    assert later["nep"].recall > later["rise"].recall
    assert (
        any_service.bank.questions[(await any_service.practice_question(ann, "weak")).ref.question_id].topic == "rise"
    )


async def test_i_guessed_brings_a_right_answer_back_sooner_and_too_easy_later(any_service, clock):
    ann, bob, cat = student("Ann"), student("Bob"), student("Cat")
    for who in (ann, bob, cat):
        await answer(any_service, who, "t-mc-1", right=True)
    guessed = await any_service.rate_answer(ann, "t-mc-1", "guessed")
    easy = await any_service.rate_answer(cat, "t-mc-1", "easy")
    good = review.replay([(clock(), review.Rating.GOOD)]).due  # Bob's, left as it was
    assert guessed.next_due < good < easy.next_due
    assert guessed.next_due.date() == clock().date()  # a guess is checked again today
    stored = {card.member_id: utc(card.due) for card in await cards(any_service, "t-mc-1")}
    assert sorted(stored.values()) == [guessed.next_due, good, easy.next_due]
    await answer(any_service, bob, "t-tf-1", right=False)
    try:
        await any_service.rate_answer(bob, "t-tf-1", "easy")
    except NotFound as refused:
        assert "Only a right answer" in refused.message
    else:
        raise AssertionError("a wrong answer was re-graded")


async def test_two_answers_to_one_card_at_once_from_two_processes_both_count(database_url, clock):
    async with (
        open_service(database_url, FIXTURE_CONTENT, clock=clock) as one,
        open_service(database_url, FIXTURE_CONTENT, clock=clock) as two,
    ):
        ann = student("Ann")
        await answer(one, ann, "t-mc-1", right=False)
        clock.advance(minutes=20)
        for _ in range(5):  # a double click on two devices, again and again
            await asyncio.gather(
                answer(one, ann, "t-mc-1", right=True, mode=Mode.REVIEW),
                answer(two, ann, "t-mc-1", right=True, mode=Mode.REVIEW),
            )
            clock.advance(days=1)
        [card] = await cards(one, "t-mc-1")
        assert card.reviews == 11  # every attempt moved the card on; none was lost


async def test_forget_me_deletes_the_cards_and_a_retired_question_is_kept_but_not_served(any_service, clock):
    ann, bob = student("Ann"), student("Bob")
    await answer(any_service, ann, "t-mc-1", right=False)
    await answer(any_service, bob, "t-mc-1", right=False)
    await answer(any_service, bob, "t-tf-1", right=False)
    await any_service.forget_me(ann)
    assert {card.member_id for card in await cards(any_service)} != set() and len(await cards(any_service)) == 2

    async with any_service.db.sessions.begin() as session:
        await session.execute(update(QuestionRow).where(QuestionRow.id == "t-mc-1").values(retired=True))
    asked = await any_service.next_review(bob)
    assert asked.ref.question_id == "t-tf-1" and asked.reviews_due == 1
    assert len(await cards(any_service, "t-mc-1")) == 1  # kept


def test_a_review_day_is_the_local_day_and_follows_the_clocks_changing():
    start, end = day_bounds(dt.datetime(2026, 10, 25, 12, tzinfo=dt.UTC), "Europe/London")
    assert end - start == dt.timedelta(hours=25)  # the clocks went back that morning
    start, end = day_bounds(dt.datetime(2026, 3, 29, 12, tzinfo=dt.UTC), "Europe/London")
    assert end - start == dt.timedelta(hours=23)
    start, _ = day_bounds(dt.datetime(2026, 11, 27, 23, 30, tzinfo=dt.UTC), "Asia/Tokyo")
    assert start == dt.datetime(2026, 11, 27, 15, tzinfo=dt.UTC)  # already the 28th in Tokyo


def test_replaying_a_history_gives_the_card_the_answers_built():
    now = dt.datetime(2026, 11, 27, 9, tzinfo=dt.UTC)
    history = [(now, review.Rating.AGAIN), (now + dt.timedelta(minutes=15), review.Rating.GOOD)]
    card = None
    for when, rating in history:
        card = review.review(card, rating, when)
    assert review.replay(reversed(history)) == card
    assert card.due - history[-1][0] >= dt.timedelta(days=1)
    wrong = review.replay([(now, review.Rating.AGAIN)])
    assert wrong.due - now <= dt.timedelta(minutes=10)  # a wrong answer is due again the same day


async def test_re_grading_replays_only_what_built_the_card(any_service, clock):
    """A card started again (the question's answer changed) is re-graded from the answers since, not from
    the older ones, so "too easy" never brings back a card built on the old, wrong answer."""
    ann = student("Ann")
    for _ in range(3):
        await answer(any_service, ann, "t-mc-1", right=True)
        clock.advance(days=20)
    async with any_service.db.sessions.begin() as session:  # what content sync does when the answer changes
        await session.execute(update(ReviewCard).values(state=1, step=0, stability=None, difficulty=None,
                                                        last_review=None, reviews=0))  # fmt: skip
    await answer(any_service, ann, "t-mc-1", right=True)
    easy = await any_service.rate_answer(ann, "t-mc-1", "easy")
    fresh = review.replay([(clock(), review.Rating.EASY)])
    assert utc(easy.next_due) == fresh.due  # as a first answer, easy: not a card with three old reviews
    [card] = await cards(any_service, "t-mc-1")
    assert card.reviews == 1
