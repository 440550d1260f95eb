"""One time zone per server or workspace: its posts and the answers to them agree on what day it is."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from bot.core.actor import Actor, Platform
from bot.core.publishing import Publishers
from bot.scheduler import Scheduler
from tests.helpers import RecordingPublisher, correct_answer

SCHOOL = "guild-1"
TEACHER = Actor(Platform.DISCORD, SCHOOL, "teacher", "Ms Teacher", is_admin=True)
ANNA = Actor(Platform.DISCORD, SCHOOL, "anna", "Anna")


async def test_an_answer_on_the_posts_own_day_is_scored_in_every_channel(any_service, clock):
    """Regression: a Los Angeles and a London channel in one server. Each post, answered before its day
    is over in the zone its schedule shows, scores as the daily question (it used to be told "answers
    to past days count as practice")."""
    clock.now = dt.datetime(2026, 11, 26, 0, 30, tzinfo=dt.UTC)  # Thursday in London, Wednesday in LA
    await any_service.schedules.set(TEACHER, "la", time="08:00", timezone="America/Los_Angeles", channel_name="la")
    await any_service.schedules.set(TEACHER, "london", time="08:00", timezone="Europe/London", channel_name="london")
    publisher = RecordingPublisher()
    scheduler = Scheduler(any_service.posts, Publishers({"discord": publisher}))
    for _ in range(24 * 4):  # every quarter of an hour for a day
        clock.advance(minutes=15)
        await scheduler.tick()
    assert {channel for channel, _ in publisher.sent} == {"la", "london"}

    for channel, post in publisher.sent:
        zone = (await any_service.schedules.show(TEACHER, channel)).timezone
        day = post.question.ref.daily_date
        clock.now = dt.datetime.combine(day, dt.time(23, 0), tzinfo=ZoneInfo(zone)).astimezone(dt.UTC)
        student = Actor(Platform.DISCORD, SCHOOL, f"student-{channel}", f"Student {channel}")
        feedback = await any_service.submit_answer(
            student, correct_answer(any_service, post.question), post.question.ref
        )
        assert feedback.note == "" and feedback.points == 10, (channel, zone, feedback.note)


async def test_setting_a_zone_sets_it_for_the_whole_server_and_says_which_channels_moved(any_service, clock):
    await any_service.schedules.set(TEACHER, "la", time="08:00", timezone="America/Los_Angeles", channel_name="la")
    info = await any_service.schedules.set(
        TEACHER, "london", time="09:00", timezone="Europe/London", channel_name="ldn"
    )
    assert info.timezone == "Europe/London" and info.moved_to_timezone == ("la",)
    moved = await any_service.schedules.show(TEACHER, "la")
    assert moved.timezone == "Europe/London" and moved.time_of_day == dt.time(8, 0)
    assert moved.next_post is not None and moved.next_post.utcoffset() == dt.timedelta(0)

    again = await any_service.schedules.set(TEACHER, "la", time="07:30")  # no zone given: the server's stays
    assert again.timezone == "Europe/London" and again.moved_to_timezone == ()


async def test_the_daily_question_follows_the_servers_zone(any_service, clock):
    await any_service.schedules.set(TEACHER, "tokyo", time="08:00", timezone="Asia/Tokyo")
    clock.now = dt.datetime(2026, 11, 27, 16, 0, tzinfo=dt.UTC)  # Friday in London, already Saturday in Tokyo
    card = await any_service.daily_question(ANNA)
    assert card.ref.daily_date == dt.date(2026, 11, 28)
