"""A class as a whole, on a real database: its weekly goal in the weekly post, deleting it (teachers, with a
typed confirmation), the 30-day clock after the bot is removed, and data retention with scores kept true."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from bot.bootstrap import open_service
from bot.core.actor import Actor, Platform
from bot.core.errors import InvalidInput, NotAllowed
from bot.core.vocabulary import Period
from bot.store.models import Attempt, Community, EssayPlan, Member, Score
from tests.helpers import FIXTURE_CONTENT, correct_answer, student, wrong_answer

TEACHER = Actor(Platform.CONSOLE, "class-1", "teacher", "Ms T", is_admin=True)


async def answer(service, actor, *, right: bool = True) -> None:  # noqa: ANN001
    card = await service.daily_question(actor)
    given = correct_answer(service, card) if right else wrong_answer(service, card)
    await service.submit_answer(actor, given, card.ref)


async def count(service, model, *where) -> int:  # noqa: ANN001
    async with service.db.read_sessions() as session:
        return await session.scalar(select(func.count()).select_from(model).where(*where))


async def test_the_weekly_post_shows_the_class_goal_first(any_service, clock):
    clock.now = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)  # Thursday
    ann, bob = student("Ann"), student("Bob")
    await answer(any_service, ann)
    await answer(any_service, bob, right=False)
    with pytest.raises(NotAllowed):
        await any_service.set_goal(ann, "70%")
    with pytest.raises(InvalidInput):
        await any_service.set_goal(TEACHER, "seventy")
    assert (await any_service.set_goal(TEACHER, "70%")).goal_percent == 70
    await any_service.schedules.set(TEACHER, "general", time="08:00")  # Friday's post carries the board
    clock.now = dt.datetime(2026, 11, 27, 8, 0, tzinfo=dt.UTC)
    [claim] = await any_service.posts.claim_due(clock(), ["console"], "test")
    [post] = await any_service.posts.build_posts([claim])
    assert post.leaderboard is not None and post.goal is not None
    assert (post.goal.goal_percent, post.goal.answered, post.goal.right, post.goal.percent_right) == (70, 2, 1, 50)
    assert not post.goal.reached


async def test_deleting_a_class_takes_all_of_its_data_and_only_its_own(any_service):
    ann, zed = student("Ann", "class-1"), student("Zed", "class-2")
    await answer(any_service, zed)
    await answer(any_service, ann)  # Ann's class is the newest: its id the highest
    with pytest.raises(InvalidInput, match="delete everything"):
        await any_service.delete_class(TEACHER, "yes")
    with pytest.raises(NotAllowed):
        await any_service.delete_class(ann, "delete everything")
    before = (await any_service.members.community(ann)).id
    zeds = (await any_service.members.community(zed)).id
    deleted = await any_service.delete_class(TEACHER, "Delete everything")
    assert (deleted.members, deleted.answers) == (1, 1)
    assert await count(any_service, Community, Community.external_id == "class-1") == 0
    assert await count(any_service, Member) == 1 and await count(any_service, Attempt) == 1  # Zed's class stays
    assert (await any_service.stats(zed)).answered == 1
    await answer(any_service, student("Ann", "class-1"))  # the class can start again from nothing
    assert (await any_service.stats(ann)).answered == 1
    again = (await any_service.members.community(ann)).id
    assert again not in {before, zeds}  # a deleted class's id is never given to another (AUTOINCREMENT)


async def test_a_removed_bot_s_class_is_deleted_after_30_days_unless_it_returns(any_service, clock):
    await answer(any_service, student("Ann", "class-1"))
    await answer(any_service, student("Zed", "class-2"))
    await any_service.classes.removed("console", "class-1")
    await any_service.classes.removed("console", "class-2")
    clock.advance(days=10)
    await any_service.classes.returned("console", "class-2")  # re-added: no deletion
    clock.advance(days=19)
    assert await any_service.classes.housekeeping() == (0, 0)
    clock.advance(days=2)
    assert await any_service.classes.housekeeping() == (1, 0)
    assert await count(any_service, Community, Community.external_id == "class-1") == 0
    assert await count(any_service, Community, Community.external_id == "class-2") == 1


async def test_retention_deletes_old_answers_and_the_scores_still_add_up(sqlite_url, clock):
    clock.now = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)  # a Monday
    async with open_service(sqlite_url, FIXTURE_CONTENT, clock=clock, retention_days=14) as service:
        ann = student("Ann")
        await service.start_essay(ann)  # an essay plan as old as the oldest answer: it goes with them
        for _ in range(25):  # almost four weeks of daily answers
            await answer(service, ann)
            clock.advance(days=1)
        recent = await service.start_essay(ann)
        assert await service.classes.housekeeping() == (0, 11)  # those older than 14 days
        assert [plan.id for plan in await all_rows(service, EssayPlan)] == [recent.plan_id]
        async with service.db.read_sessions() as session:
            remaining = await session.scalar(select(func.sum(Attempt.points)))
            all_time = await session.scalar(select(Score.points).where(Score.period == Period.ALL.value))
            oldest = await session.scalar(select(func.min(Attempt.created_at)))
        assert all_time == remaining  # recomputed, not left counting deleted answers
        assert oldest.replace(tzinfo=dt.UTC) >= clock() - dt.timedelta(days=14)
        board = await service.leaderboard(ann, "all")
        assert board.caller is not None and board.caller.points == remaining


async def test_an_answer_after_another_process_deleted_the_class_is_kept_in_the_class_anew(sqlite_url, clock):
    async with (
        open_service(sqlite_url, FIXTURE_CONTENT, clock=clock) as one,
        open_service(sqlite_url, FIXTURE_CONTENT, clock=clock) as two,
    ):
        ann = student("Ann")
        card = await two.practice_question(ann)  # `two` now has the class cached
        await one.delete_class(TEACHER, "delete everything")
        feedback = await two.submit_answer(ann, correct_answer(two, card), card.ref)
        assert feedback.correct  # no IntegrityError: the class was made again and the answer kept
        assert await count(two, Attempt) == 1 and await count(two, Community) == 1


async def all_rows(service, model) -> list:  # noqa: ANN001
    async with service.db.read_sessions() as session:
        return list(await session.scalars(select(model)))
