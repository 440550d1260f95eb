"""Exactly once when sends are slow, the database blinks between send and "sent", or the scheduler stops."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from bot.core.actor import Actor, Platform
from bot.core.publishing import Publishers
from bot.core.replies import DailyPost
from bot.scheduler import Scheduler
from bot.store.models import ScheduledPost
from tests.helpers import RecordingPublisher

TEACHER = Actor(Platform.CONSOLE, "class-1", "teacher", "Ms Teacher", is_admin=True)
DUE = dt.datetime(2026, 11, 27, 8, 31, tzinfo=dt.UTC)


class HeldPublisher(RecordingPublisher):
    """Sends only when the test lets go: a slow or rate-limited platform."""

    def __init__(self) -> None:
        super().__init__()
        self.release = asyncio.Event()
        self.waiting = 0

    async def publish(self, channel_id: str, post: DailyPost) -> str:
        self.waiting += 1
        await self.release.wait()
        return await super().publish(channel_id, post)


class FindingPublisher(RecordingPublisher):
    """Knows which posts are already in their channels (as Slack's history or Discord's messages would)."""

    def __init__(self, already_there: set[str]) -> None:
        super().__init__()
        self.already_there = already_there

    async def find_post(self, channel_id: str, post: DailyPost, since: dt.datetime) -> str | None:
        return f"found-{channel_id}" if channel_id in self.already_there else None


async def statuses(service) -> dict[str, int]:  # noqa: ANN001
    async with service.db.read_sessions() as session:
        rows = (await session.execute(select(ScheduledPost.status))).scalars().all()
    return {status: rows.count(status) for status in set(rows)}


async def schedule_channels(service, clock, count: int) -> None:  # noqa: ANN001
    clock.now = DUE
    for n in range(count):
        await service.schedules.set(TEACHER, f"channel-{n}", time="08:30")


async def test_slow_sends_past_the_lease_are_not_taken_over_while_their_owner_renews(any_service, clock):
    await schedule_channels(any_service, clock, 5)
    any_service.posts.lease = dt.timedelta(seconds=0.3)  # the tests' lease: renewed every 0.1 s
    slow = HeldPublisher()
    first = Scheduler(any_service.posts, Publishers({"console": slow}))
    ticking = asyncio.create_task(first.tick())
    while slow.waiting < 5:
        await asyncio.sleep(0.01)
    clock.advance(minutes=5)  # far past the lease, as a 10,000-channel morning on a slow platform
    await asyncio.sleep(0.3)  # the owner renews meanwhile
    second_publisher = RecordingPublisher()
    second = Scheduler(any_service.posts, Publishers({"console": second_publisher}))
    assert await second.tick() == []  # nothing to take over: the claims are alive
    slow.release.set()
    assert all(sent for _, sent in await ticking)
    assert len(slow.sent) == 5 and second_publisher.sent == []
    assert await statuses(any_service) == {"sent": 5}


async def test_a_scheduler_that_lost_its_lease_does_not_send(any_service, clock):
    await schedule_channels(any_service, clock, 1)
    claims = await any_service.posts.claim_due(clock(), ["console"], "hung-process")
    clock.advance(minutes=3)  # it hung: never renewed
    survivor = RecordingPublisher()
    assert len(await Scheduler(any_service.posts, Publishers({"console": survivor})).tick()) == 1
    assert not await any_service.posts.start_sending(claims[0])  # the hung one wakes up: it may not send
    assert not await any_service.posts.mark_sent(claims[0], "late")  # nor mark
    assert len(survivor.sent) == 1 and await statuses(any_service) == {"sent": 1}


async def test_a_database_blink_between_send_and_sent_neither_doubles_nor_stops_the_tick(any_service, clock):
    await schedule_channels(any_service, clock, 3)
    real_mark_sent = any_service.posts.mark_sent
    failures = {"left": 4}

    async def blinking_mark_sent(claim, reference):  # noqa: ANN001, ANN202 - the database is away twice per post
        if failures["left"] > 0:
            failures["left"] -= 1
            raise OperationalError("UPDATE scheduled_posts", {}, ConnectionResetError("server closed the connection"))
        return await real_mark_sent(claim, reference)

    any_service.posts.mark_sent = blinking_mark_sent
    publisher = RecordingPublisher()
    scheduler = Scheduler(any_service.posts, Publishers({"console": publisher}))
    results = await scheduler.tick()
    assert [sent for _, sent in results] == [True, True, True]
    clock.advance(minutes=10)
    assert await scheduler.tick() == []  # nothing left to take over and send again
    assert len(publisher.sent) == 3 and await statuses(any_service) == {"sent": 3}


async def test_a_post_taken_over_while_sending_is_looked_for_before_it_is_sent_again(any_service, clock):
    await schedule_channels(any_service, clock, 2)
    crashed = await any_service.posts.claim_due(clock(), ["console"], "crashed-process")
    for claim in crashed:  # it sent both, then died before recording either
        assert await any_service.posts.start_sending(claim)
    clock.advance(minutes=3)
    publisher = FindingPublisher(already_there={"channel-0"})  # only the first reached its channel
    results = await Scheduler(any_service.posts, Publishers({"console": publisher})).tick()
    assert sorted(sent for _, sent in results) == [True, True]
    assert [channel for channel, _ in publisher.sent] == ["channel-1"]
    async with any_service.db.read_sessions() as session:
        refs = set((await session.execute(select(ScheduledPost.message_ref))).scalars())
    assert "found-channel-0" in refs


async def test_stopping_finishes_sends_under_way_and_gives_the_rest_back_at_once(any_service, clock):
    await schedule_channels(any_service, clock, 25)  # more than the 20 sent at a time
    slow = HeldPublisher()
    stopping = Scheduler(any_service.posts, Publishers({"console": slow}))
    ticking = asyncio.create_task(stopping.tick())
    while slow.waiting < 20:
        await asyncio.sleep(0.01)
    stop = asyncio.create_task(stopping.stop(grace=5))
    await asyncio.sleep(0.05)
    slow.release.set()
    await stop
    results = await ticking
    assert sum(sent for _, sent in results) == 20
    other = RecordingPublisher()  # another process, at once: no waiting for the lease
    taken = await Scheduler(any_service.posts, Publishers({"console": other})).tick()
    assert len(taken) == 5 and len(other.sent) == 5
    assert len({channel for channel, _ in slow.sent + other.sent}) == 25
    assert await statuses(any_service) == {"sent": 25}
