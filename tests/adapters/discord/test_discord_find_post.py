"""Exactly once across a crash, over the wire: DiscordPublisher finds a scheduled post already in its
channel by the question ref its buttons carry, so a scheduler that takes over a claim left "sending"
does not post it twice (issue 18). The real discord.py against the fake Discord."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from sqlalchemy import select

from bot.adapters.discord import StudyBot
from bot.core.actor import Actor, Platform
from bot.core.publishing import FindsPosts, Publishers
from bot.core.replies import DailyPost, QuestionRef
from bot.core.vocabulary import Mode
from bot.scheduler import Scheduler
from bot.store.models import ScheduledPost
from tests.adapters.discord.fake_discord import FakeDiscord
from tests.adapters.discord.helpers import ANNA, HISTORY_9B, SCHOOL_A, TEACHER, Bots, question_of
from tests.helpers import FakeClock

FRIDAY = dt.date(2026, 11, 27)
MANAGER = Actor(Platform.DISCORD, SCHOOL_A.id, TEACHER.id, TEACHER.name, is_admin=True)


@pytest.fixture
async def bot(fake: FakeDiscord, bots: Bots, service, clock: FakeClock) -> StudyBot:  # noqa: ANN001
    fake.clock = clock  # before the bot starts: every snowflake follows the test's clock, as Discord's follow real time
    return await bots.start(service)


def daily(service, day: dt.date = FRIDAY, question: int = 0) -> DailyPost:  # noqa: ANN001
    question_id = sorted(service.bank.questions)[question]
    return DailyPost(service.catalogue.asked(QuestionRef(question_id, Mode.DAILY, day)))


def yesterday(clock: FakeClock) -> dt.datetime:
    return clock() - dt.timedelta(days=1)


def history_reads(fake: FakeDiscord, channel_id: str) -> list:
    return [c for c in fake.calls if c.method == "GET" and c.path == f"/channels/{channel_id}/messages"]


async def test_a_published_post_is_found_again_by_its_buttons(fake, bot, service, clock):
    assert isinstance(bot.publisher, FindsPosts)
    post = daily(service)
    message_id = await bot.publisher.publish(HISTORY_9B, post)
    clock.advance(minutes=3)
    assert await bot.publisher.find_post(HISTORY_9B, post, yesterday(clock)) == message_id
    assert len(history_reads(fake, HISTORY_9B)) == 1


async def test_another_days_post_another_channel_or_a_public_daily_reply_is_not_the_post(fake, bot, service, clock):
    friday = daily(service)
    # A student's /daily in the class channel: a public reply with the same question and buttons.
    reply = await fake.slash("daily", ANNA, SCHOOL_A, in_channel=HISTORY_9B)
    assert not reply.ephemeral
    ref, _ = question_of(reply, service)
    todays = DailyPost(service.catalogue.asked(ref))
    assert len(fake.history(HISTORY_9B)) == 1
    assert await bot.publisher.find_post(HISTORY_9B, todays, yesterday(clock)) is None

    posted = await bot.publisher.publish(HISTORY_9B, todays)
    assert await bot.publisher.find_post(HISTORY_9B, todays, yesterday(clock)) == posted

    await bot.publisher.publish(HISTORY_9B, friday)
    assert (
        await bot.publisher.find_post(HISTORY_9B, daily(service, FRIDAY + dt.timedelta(days=1)), yesterday(clock))
        is None
    )
    assert await bot.publisher.find_post(SCHOOL_A.channel_id, friday, yesterday(clock)) is None  # another channel

    clock.advance(days=2)  # older than `since`: not looked at
    assert await bot.publisher.find_post(HISTORY_9B, friday, yesterday(clock)) is None


async def test_the_post_is_found_behind_a_page_of_newer_messages(fake, bot, service, clock):
    post = daily(service)
    posted = await bot.publisher.publish(HISTORY_9B, post)
    for _ in range(100):  # a full page of the bot's later posts: the question is on the second page
        clock.advance(seconds=1)
        await bot.publisher.publish(HISTORY_9B, daily(service, FRIDAY - dt.timedelta(days=1)))
    assert await bot.publisher.find_post(HISTORY_9B, post, yesterday(clock)) == posted
    assert len(history_reads(fake, HISTORY_9B)) == 2


@pytest.mark.parametrize(
    ("status", "code", "message"),
    [(403, 50001, "Missing Access"), (503, 0, "Service Unavailable"), (404, 10003, "Unknown Channel")],
)
async def test_a_failed_lookup_is_not_found_and_says_so(fake, bot, service, clock, caplog, status, code, message):
    post = daily(service)
    await bot.publisher.publish(HISTORY_9B, post)
    fake.refuse(HISTORY_9B, status, code, message)
    with caplog.at_level(logging.WARNING, logger="bot.adapters.discord.publisher"):
        assert await bot.publisher.find_post(HISTORY_9B, post, yesterday(clock)) is None
    (warning,) = [r for r in caplog.records if r.name == "bot.adapters.discord.publisher"]
    assert warning.levelno == logging.WARNING and HISTORY_9B in warning.getMessage()
    assert "fake-token" not in caplog.text


async def test_a_closed_connection_is_not_found(fake, bots, bot, service, clock):
    post = daily(service)
    await bot.publisher.publish(HISTORY_9B, post)
    await bots.stop(bot)
    assert await bot.publisher.find_post(HISTORY_9B, post, yesterday(clock)) is None


# ---------------------------------------------------------------------- through the real Scheduler


async def crashed_while_sending(service, clock, publisher) -> str:  # noqa: ANN001
    """A process claims Friday's post in #history-9b, marks it "sending", sends it (if it has a
    `publisher`), and dies before recording it; the lease then runs out. Returns what it sent, or ""."""
    clock.now = dt.datetime(2026, 11, 27, 7, 0, tzinfo=dt.UTC)
    await service.schedules.set(MANAGER, HISTORY_9B, time="08:30", timezone="Europe/London")
    clock.now = dt.datetime(2026, 11, 27, 8, 31, tzinfo=dt.UTC)
    (claim,) = await service.posts.claim_due(clock(), ["discord"], "crashed-process")
    assert await service.posts.start_sending(claim)
    sent = ""
    if publisher is not None:
        (post,) = await service.posts.build_posts([claim])
        sent = await publisher.publish(HISTORY_9B, post)
    clock.advance(minutes=3)  # past the 2-minute lease
    return sent


def questions(fake: FakeDiscord) -> list[dict]:
    """The question messages in #history-9b (those with buttons; the weekly board has none)."""
    return [m for m in fake.channel_messages(HISTORY_9B) if m["components"]]


async def message_refs(service) -> list[tuple[str, str | None]]:  # noqa: ANN001
    async with service.db.read_sessions() as session:
        rows = await session.execute(select(ScheduledPost.status, ScheduledPost.message_ref))
        return [tuple(row) for row in rows]


async def test_a_post_sent_before_a_crash_is_not_sent_again_by_the_scheduler_taking_over(
    fake, bots, bot, service, clock
):
    sent = await crashed_while_sending(service, clock, bot.publisher)
    assert len(questions(fake)) == 1
    before = len(fake.channel_messages(HISTORY_9B))  # the question, and Friday's weekly board
    await bots.stop(bot)

    restarted = await bots.start(service)
    scheduler = Scheduler(service.posts, Publishers({"discord": restarted.publisher}))
    assert [ok for _, ok in await scheduler.tick()] == [True]
    assert len(fake.channel_messages(HISTORY_9B)) == before  # looked for, found, nothing posted again
    assert len(questions(fake)) == 1
    assert await message_refs(service) == [("sent", sent)]
    assert await scheduler.tick() == []


async def test_a_post_the_crash_stopped_before_discord_is_sent_once_by_the_scheduler_taking_over(
    fake, bot, service, clock
):
    await crashed_while_sending(service, clock, None)
    scheduler = Scheduler(service.posts, Publishers({"discord": bot.publisher}))
    assert [ok for _, ok in await scheduler.tick()] == [True]
    (message,) = questions(fake)
    assert len(history_reads(fake, HISTORY_9B)) == 1  # looked first
    assert await message_refs(service) == [("sent", message["id"])]
