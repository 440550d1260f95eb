"""`/study topics taught ...` and `/study schedule now|skip` over the wire: bolt, users.info for who is an
admin, the real Scheduler posting with SlackPublisher into the fake Slack. Every teacher's reply is
ephemeral."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.adapters.slack import render
from bot.scheduler import Scheduler
from tests.adapters.slack.fake_slack import all_text
from tests.adapters.slack.helpers import question_of

ADMIN = {"user": "UADMIN", "name": "mr_admin"}
TEACHER = {"user": "UTEACH", "name": "ms_teach"}
STUDENT = {"user": "USTUD", "name": "sam"}


def london(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=dt.UTC)  # London is on UTC in November


@pytest.fixture
def directory(fake_slack):
    fake_slack.users.update({"UADMIN": {"is_admin": True}, "UTEACH": {}, "USTUD": {}})
    return fake_slack.users


async def sent(scheduler: Scheduler) -> list[bool]:
    return [ok for _, ok in await scheduler.tick()]


async def test_topics_taught_is_for_teachers_and_narrows_what_students_practise(slack, service, directory):
    listed = await slack.ask("topics", **STUDENT)
    assert listed["response_type"] == "ephemeral"
    assert "`nep` NEP and the economy (2)" in all_text(listed)

    refused = await slack.ask("topics taught rise, rivals", **STUDENT)
    assert refused["response_type"] == "ephemeral" and render.NOT_TEACHER_TOPICS in all_text(refused)
    assert "every topic" in all_text(await slack.ask("topics taught", **STUDENT))  # nothing changed

    saved = await slack.ask("topics taught rise, The rivals", **ADMIN)
    text = all_text(saved)
    assert saved["response_type"] == "ephemeral" and "*Saved.*" in text
    assert "`rivals` The rivals (2)" in text and "*Not taught yet:* NEP and the economy" in text

    named = await slack.ask("schedule teachers add <@UTEACH|ms_teach>", **ADMIN)
    assert "is now a teacher here" in all_text(named)
    unknown = all_text(await slack.ask("topics taught rise, astrolgy", **TEACHER))
    assert "There is no topic \u201castrolgy\u201d" in unknown
    shown = all_text(await slack.ask("topics taught", **STUDENT))
    assert "`rise`" in shown and "`nep`" not in shown.split("Not taught yet")[0]  # the bad name changed nothing

    untaught = all_text(await slack.ask("quiz nep", **STUDENT))
    assert "Your class hasn't been taught \u201cNEP and the economy\u201d yet" in untaught
    assert "Stalin's rise to power, The rivals" in untaught
    for _ in range(4):
        _, question = question_of(service, await slack.ask("quiz", **STUDENT))
        assert question.topic in {"rise", "rivals"}

    back = all_text(await slack.ask("topics taught all", **TEACHER))
    assert "Taught so far: *every topic*" in back
    assert "Practice question" in all_text(await slack.ask("quiz nep", **STUDENT))
    assert "topics taught" in all_text(await slack.ask("help", **STUDENT))


async def test_schedule_now_posts_once_as_todays_post_and_skip_passes_over_the_next(
    slack, fake_slack, service, clock, scheduler, directory
):
    clock.now = london(27, 7)  # Friday before the 08:30 slot
    await slack.ask("schedule set 08:30", channel="C7", **ADMIN)
    refused = await slack.ask("schedule now", channel="C7", **STUDENT)
    assert render.NOT_TEACHER in all_text(refused)

    now = await slack.ask("schedule now", channel="C7", **ADMIN)
    assert now["response_type"] == "ephemeral"
    text = all_text(now)
    assert "*Posting today's question now.*" in text and "Next post: *now*: today's question goes out at once" in text
    assert await sent(scheduler) == [True]
    [posted] = fake_slack.posted("C7")
    ref, _ = question_of(service, posted)
    assert ref.daily_date == dt.date(2026, 11, 27)

    again = all_text(await slack.ask("schedule now", channel="C7", **ADMIN))
    assert "Today's question has already been posted in this channel" in again
    clock.now = london(27, 8, 31)  # the slot: today's post is made
    assert await sent(scheduler) == []
    assert len(fake_slack.posted("C7")) == 1

    skipped = await slack.ask("schedule skip", channel="C7", **ADMIN)
    text = all_text(skipped)
    assert skipped["response_type"] == "ephemeral" and "*Skipped the post of Monday 30 November.*" in text
    assert "*Skipped:* Monday 30 November" in text and "Next post: *Tuesday 1 December at 08:30*" in text
    assert render.NOT_TEACHER in all_text(await slack.ask("schedule skip", channel="C7", **STUDENT))
    clock.now = london(30, 8, 31)
    assert await sent(scheduler) == []
    clock.now = dt.datetime(2026, 12, 1, 8, 31, tzinfo=dt.UTC)
    assert await sent(scheduler) == [True]
    assert len(fake_slack.posted("C7")) == 2
