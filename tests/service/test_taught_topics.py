"""`topics taught`: a teacher names the topics taught so far, and the daily question, practice (any topic,
a topic, `weak`, about a figure) and review draw only from those, with the schedule's `topics=` on top."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from bot.core.actor import Actor, Platform
from bot.core.errors import InvalidInput, NoQuestionsAvailable, NotAllowed, UnknownTopic
from bot.core.replies import AskedQuestion, QuestionRef, ReviewsDone
from bot.core.vocabulary import Mode
from bot.store.models import Community
from tests.helpers import correct_answer, student, wrong_answer

TEACHER = Actor(Platform.CONSOLE, "class-1", "teacher", "Ms Teacher", is_admin=True)
RIVALS = {"t-tf-1", "t-sa-1"}  # the fixture bank: rise 1 question, rivals 2, nep 2
NEP = {"t-sa-2", "t-mc-2"}


async def answer(service, actor, question_id: str, *, right: bool):  # noqa: ANN001
    asked = service.catalogue.asked(QuestionRef(question_id, Mode.PRACTICE))
    given = correct_answer(service, asked) if right else wrong_answer(service, asked)
    return await service.submit_answer(actor, given, QuestionRef(question_id, Mode.PRACTICE))


async def stored_taught(service) -> list | None:  # noqa: ANN001
    async with service.db.read_sessions() as session:
        return await session.scalar(select(Community.taught_topics))


async def test_a_teacher_names_the_topics_taught_and_can_go_back_to_the_whole_bank(any_service):
    shown = await any_service.taught_topics(TEACHER)
    assert shown.whole_bank and [t.topic_id for t in shown.taught] == ["rise", "rivals", "nep"] and not shown.not_yet

    taught = await any_service.set_taught_topics(TEACHER, "The rivals, rise")  # titles or ids, any order
    assert taught.changed and not taught.whole_bank
    assert [t.topic_id for t in taught.taught] == ["rise", "rivals"] and [t.topic_id for t in taught.not_yet] == ["nep"]
    assert await stored_taught(any_service) == ["rise", "rivals"]
    assert [t.topic_id for t in (await any_service.taught_topics(student("Ann"))).taught] == ["rise", "rivals"]

    spaced = await any_service.set_taught_topics(TEACHER, "rivals nep")  # ids separated by spaces
    assert [t.topic_id for t in spaced.taught] == ["rivals", "nep"]

    everything = await any_service.set_taught_topics(TEACHER, "all")
    assert everything.whole_bank and await stored_taught(any_service) is None


async def test_an_unknown_topic_gets_suggestions_and_changes_nothing(any_service):
    await any_service.set_taught_topics(TEACHER, "rise")
    with pytest.raises(UnknownTopic) as refused:
        await any_service.set_taught_topics(TEACHER, "rise, rivels, astrology")
    assert "no topic \u201crivels\u201d. Did you mean \u201crivals\u201d" in refused.value.message
    with pytest.raises(UnknownTopic) as unknown:
        await any_service.set_taught_topics(TEACHER, "astrology")
    assert "Topics: rise, rivals, nep" in unknown.value.message
    with pytest.raises(InvalidInput):
        await any_service.set_taught_topics(TEACHER, "  ")
    assert await stored_taught(any_service) == ["rise"]


async def test_only_teachers_change_the_topics_taught(any_service):
    with pytest.raises(NotAllowed) as refused:
        await any_service.set_taught_topics(student("Ann"), "rise")
    assert "Only teachers" in refused.value.message
    assert await stored_taught(any_service) is None
    await any_service.schedules.add_teacher(TEACHER, "ann")  # a named teacher may
    assert (await any_service.set_taught_topics(student("Ann"), "rise")).changed


async def test_practice_draws_only_from_taught_topics(any_service, clock):
    ann = student("Ann")
    await any_service.set_taught_topics(TEACHER, "rivals")
    drawn = set()
    for _ in range(12):
        clock.advance(seconds=7)
        drawn.add((await any_service.practice_question(ann)).ref.question_id)
    assert drawn == RIVALS

    with pytest.raises(InvalidInput) as untaught:
        await any_service.practice_question(ann, "nep")
    assert "hasn't been taught \u201cNEP and the economy\u201d yet" in untaught.value.message
    assert "The rivals" in untaught.value.message  # names what can be practised
    with pytest.raises(UnknownTopic):
        await any_service.practice_question(ann, "astrology")
    assert (await any_service.practice_question(ann, "the rivals")).ref.question_id in RIVALS

    with pytest.raises(NoQuestionsAvailable) as about:
        await any_service.practice_question(ann, figure="bukharin")  # his question is on NEP
    assert "in the topics taught so far" in about.value.message
    assert (await any_service.practice_question(ann, figure="trotsky")).ref.question_id == "t-tf-1"


async def test_quiz_weak_picks_the_weakest_taught_topic(any_service):
    ann = student("Ann")
    await answer(any_service, ann, "t-mc-2", right=False)  # NEP: her weakest by far
    await answer(any_service, ann, "t-tf-1", right=True)
    assert (await any_service.practice_question(ann, "weak")).ref.question_id in NEP
    await any_service.set_taught_topics(TEACHER, "rise, rivals")
    assert (await any_service.practice_question(ann, "weak")).ref.question_id in RIVALS


async def test_the_daily_question_comes_from_taught_topics_and_the_schedule_filter_applies_on_top(any_service, clock):
    ann = student("Ann")
    await any_service.set_taught_topics(TEACHER, "rivals, nep")
    info = await any_service.schedules.set(TEACHER, "general", time="08:30", topics="rivals, rise")
    assert info.topics == ("The rivals", "Stalin's rise to power")
    assert info.untaught_topics == ("Stalin's rise to power",)
    days = set()
    for day in range(7):
        clock.now = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC) + dt.timedelta(days=day)
        days.add((await any_service.daily_question(ann)).ref.question_id)
    assert days <= RIVALS  # the schedule's taught topic only

    # No topic of the schedule's is taught: the taught topics instead, and the reply says which are not.
    info = await any_service.schedules.set(TEACHER, "general", time="08:30", topics="rise")
    assert info.untaught_topics == info.topics == ("Stalin's rise to power",)
    for day in range(7, 14):
        clock.now = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC) + dt.timedelta(days=day)
        assert (await any_service.daily_question(ann)).ref.question_id in RIVALS | NEP


async def test_review_serves_only_taught_topics_and_keeps_the_other_cards(any_service, clock):
    ann = student("Ann")
    await answer(any_service, ann, "t-mc-2", right=False)  # NEP: due again today
    await any_service.set_taught_topics(TEACHER, "rise")
    done = await any_service.next_review(ann)
    assert isinstance(done, ReviewsDone) and done.due_this_week == 0
    assert done.weakest_topic is not None and done.weakest_topic.topic_id == "rise"

    await answer(any_service, ann, "t-mc-1", right=False)  # a taught topic's card: served, and counted
    asked = await any_service.next_review(ann)
    assert isinstance(asked, AskedQuestion) and asked.ref.question_id == "t-mc-1" and asked.reviews_due == 1
    feedback = await any_service.submit_answer(ann, wrong_answer(any_service, asked))
    assert feedback.reviews_due == 1  # t-mc-1 again; not the NEP card

    await any_service.set_taught_topics(TEACHER, "rise, nep")  # NEP taught now: its card was kept
    assert {(await any_service.next_review(ann)).ref.question_id} <= {"t-mc-1", "t-mc-2"}
    asked = await any_service.next_review(ann)
    assert isinstance(asked, AskedQuestion) and asked.reviews_due == 2


async def test_a_scheduled_post_counts_only_reviews_of_taught_topics(any_service, clock):
    ann = student("Ann")
    clock.now = dt.datetime(2026, 11, 27, 8, 0, tzinfo=dt.UTC)
    await answer(any_service, ann, "t-mc-2", right=False)
    await any_service.set_taught_topics(TEACHER, "rise, rivals")
    await any_service.schedules.set(TEACHER, "general", time="08:30")
    clock.now = dt.datetime(2026, 11, 27, 8, 31, tzinfo=dt.UTC)
    claims = await any_service.posts.claim_due(clock(), ["console"], "test")
    [post] = await any_service.posts.build_posts(claims)
    assert post.reviews_waiting == 0 and post.question.ref.question_id not in NEP
    await any_service.set_taught_topics(TEACHER, "all")
    [post] = await any_service.posts.build_posts(claims)
    assert post.reviews_waiting == 1
