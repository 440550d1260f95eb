"""`schedule now` and `schedule skip` with the real scheduler on a real database: a post made now is today's
post (sent once; the slot later that day posts nothing), and a skipped day is passed over."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import select

from bot.core.actor import Actor, Platform
from bot.core.errors import InvalidInput, NotAllowed
from bot.core.publishing import PublishError, Publishers
from bot.scheduler import Scheduler
from bot.store.models import ScheduledPost
from tests.helpers import RecordingPublisher, student

TEACHER = Actor(Platform.CONSOLE, "class-1", "teacher", "Ms Teacher", is_admin=True)
FRIDAY = dt.date(2026, 11, 27)
MONDAY = dt.date(2026, 11, 30)


def at(clock, day: int, hour: int, minute: int = 0) -> None:  # noqa: ANN001
    clock.now = dt.datetime(2026, 11, day, hour, minute, tzinfo=dt.UTC)  # London is on UTC in November


async def rows(service) -> list[tuple]:  # noqa: ANN001
    async with service.db.read_sessions() as session:
        found = await session.execute(
            select(ScheduledPost.local_date, ScheduledPost.status).order_by(ScheduledPost.local_date)
        )
        return [tuple(row) for row in found]


async def test_now_posts_once_as_todays_post_and_the_slot_later_posts_nothing(any_service, clock):
    at(clock, 27, 7)  # Friday, before the 08:30 slot
    await any_service.schedules.set(TEACHER, "general", time="08:30")
    publisher = RecordingPublisher()
    scheduler = Scheduler(any_service.posts, Publishers({"console": publisher}))
    assert await scheduler.tick() == []

    info = await any_service.schedules.now(TEACHER, "general")
    assert info.posting_now and info.next_post == clock().astimezone(info.next_post.tzinfo)
    [(claim, sent)] = await scheduler.tick()
    assert sent and claim.local_date == FRIDAY and [c for c, _ in publisher.sent] == ["general"]
    assert publisher.sent[0][1].question.ref == (await any_service.daily_question(student("Ann"))).ref
    assert await scheduler.tick() == []

    at(clock, 27, 8, 31)  # the normal slot: today's post is made already
    assert await scheduler.tick() == []
    at(clock, 27, 15)
    assert await scheduler.tick() == []
    assert len(publisher.sent) == 1 and await rows(any_service) == [(FRIDAY, "sent")]

    shown = await any_service.schedules.show(TEACHER, "general")
    assert not shown.posting_now and shown.next_post.date() == MONDAY
    with pytest.raises(InvalidInput) as again:
        await any_service.schedules.now(TEACHER, "general")
    assert "already been posted" in again.value.message
    assert len(publisher.sent) == 1

    at(clock, 30, 8, 31)  # Monday's slot posts as usual
    assert len(await scheduler.tick()) == 1 and len(publisher.sent) == 2


async def test_now_after_the_slot_posted_says_so_and_sends_nothing_more(any_service, clock):
    at(clock, 27, 8, 31)
    await any_service.schedules.set(TEACHER, "general", time="08:30")
    publisher = RecordingPublisher()
    scheduler = Scheduler(any_service.posts, Publishers({"console": publisher}))
    assert len(await scheduler.tick()) == 1
    with pytest.raises(InvalidInput):
        await any_service.schedules.now(TEACHER, "general")
    assert await scheduler.tick() == [] and len(publisher.sent) == 1


async def test_now_wakes_the_sleeping_loop_and_posts_at_once(any_bot, clock):
    at(clock, 27, 7)
    publisher = RecordingPublisher()
    any_bot.publishers.add("console", publisher)
    await any_bot.service.schedules.set(TEACHER, "general", time="08:30")
    task = asyncio.create_task(any_bot.scheduler.run())
    try:
        await asyncio.sleep(0.2)  # asleep until 08:30
        assert publisher.sent == []
        await any_bot.service.schedules.now(TEACHER, "general")
        for _ in range(50):
            if publisher.sent:
                break
            await asyncio.sleep(0.05)
        assert [c for c, _ in publisher.sent] == ["general"]
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


async def test_two_teachers_asking_at_once_get_one_post(any_service, clock):
    at(clock, 27, 7)
    await any_service.schedules.set(TEACHER, "general", time="08:30")
    await asyncio.gather(*(any_service.schedules.now(TEACHER, "general") for _ in range(4)))
    publisher = RecordingPublisher()
    scheduler = Scheduler(any_service.posts, Publishers({"console": publisher}))
    await asyncio.gather(scheduler.tick(), scheduler.tick())
    assert len(publisher.sent) == 1


async def test_now_tries_a_failed_post_again(any_service, clock):
    at(clock, 27, 8, 31)
    await any_service.schedules.set(TEACHER, "general", time="08:30")
    failing = RecordingPublisher([PublishError("Missing Access", permanent=True)])
    scheduler = Scheduler(any_service.posts, Publishers({"console": failing}))
    [(_, sent)] = await scheduler.tick()
    assert not sent and await rows(any_service) == [(FRIDAY, "failed")]
    assert (await any_service.schedules.now(TEACHER, "general")).posting_now  # the teacher fixed the access
    [(claim, sent)] = await scheduler.tick()
    assert sent and claim.attempt == 1 and await rows(any_service) == [(FRIDAY, "sent")]


async def test_now_posts_on_a_paused_schedule_too_and_it_stays_paused(any_service, clock):
    at(clock, 28, 10)  # Saturday: no post day, and the schedule paused
    await any_service.schedules.set(TEACHER, "general", time="08:30")
    await any_service.schedules.pause(TEACHER, "general")
    info = await any_service.schedules.now(TEACHER, "general")  # the teacher asked: a revision session
    assert info.posting_now and info.paused
    publisher = RecordingPublisher()
    assert len(await Scheduler(any_service.posts, Publishers({"console": publisher})).tick()) == 1
    at(clock, 30, 8, 31)
    assert await Scheduler(any_service.posts, Publishers({"console": publisher})).tick() == []  # still paused
    assert len(publisher.sent) == 1


async def test_skip_passes_over_the_next_post_and_resume_brings_it_back(any_service, clock):
    at(clock, 27, 7)  # Friday before the slot: the next post is today's
    await any_service.schedules.set(TEACHER, "general", time="08:30")
    skipped = await any_service.schedules.skip(TEACHER, "general")
    assert skipped.skipped == (FRIDAY,) and skipped.next_post.date() == MONDAY
    again = await any_service.schedules.skip(TEACHER, "general")  # skip again: the one after, too
    assert again.skipped == (FRIDAY, MONDAY) and again.next_post.date() == dt.date(2026, 12, 1)

    publisher = RecordingPublisher()
    scheduler = Scheduler(any_service.posts, Publishers({"console": publisher}))
    at(clock, 27, 8, 31)
    assert await scheduler.tick() == []
    resumed = await any_service.schedules.resume(TEACHER, "general")  # takes both skips back
    assert resumed.skipped == () and resumed.posting_now  # Friday's slot has passed: it goes out now
    assert len(await scheduler.tick()) == 1

    skipped = await any_service.schedules.skip(TEACHER, "general")  # Friday posted: Monday's is next
    assert skipped.skipped == (MONDAY,)
    at(clock, 30, 8, 31)
    assert await scheduler.tick() == []
    at(clock, 30, 15)
    assert await scheduler.tick() == []
    clock.now = dt.datetime(2026, 12, 1, 8, 31, tzinfo=dt.UTC)  # Tuesday posts as usual
    assert len(await scheduler.tick()) == 1
    assert await rows(any_service) == [(FRIDAY, "sent"), (MONDAY, "skipped"), (dt.date(2026, 12, 1), "sent")]
    assert len(publisher.sent) == 2


async def test_skip_after_the_slot_today_skips_the_post_going_out_now(any_service, clock):
    at(clock, 27, 9)  # set after today's slot: today's post would go out at once
    info = await any_service.schedules.set(TEACHER, "general", time="08:30")
    assert info.posting_now
    skipped = await any_service.schedules.skip(TEACHER, "general")
    assert skipped.skipped == (FRIDAY,) and not skipped.posting_now and skipped.next_post.date() == MONDAY
    assert await Scheduler(any_service.posts, Publishers({"console": RecordingPublisher()})).tick() == []


async def test_nothing_to_skip_and_only_teachers(any_service, clock):
    at(clock, 27, 7)
    with pytest.raises(InvalidInput):
        await any_service.schedules.now(TEACHER, "general")  # no schedule here
    await any_service.schedules.set(TEACHER, "general", time="08:30")
    await any_service.schedules.pause(TEACHER, "general")
    with pytest.raises(InvalidInput) as paused:
        await any_service.schedules.skip(TEACHER, "general")
    assert "no post coming up" in paused.value.message
    for command in (any_service.schedules.now, any_service.schedules.skip):
        with pytest.raises(NotAllowed):
            await command(student("Ann"), "general")
    assert await rows(any_service) == []
