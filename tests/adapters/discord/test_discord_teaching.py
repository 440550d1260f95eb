"""The teachers' /teacher group (the teachers' role, the topics taught so far) and /schedule now|skip, over
the wire: the real discord.py, the fake Discord, the real service and the real Scheduler on the fake clock."""

from __future__ import annotations

import datetime as dt

from bot.adapters.discord import DiscordPublisher, StudyBot
from bot.core.publishing import Publishers
from bot.scheduler import Scheduler
from bot.service import StudyService
from tests.adapters.discord.fake_discord import FakeDiscord, Role
from tests.adapters.discord.helpers import (
    ANNA,
    BORIS,
    HISTORY_9B,
    SCHOOL_A,
    TEACHER,
    TUTOR,
    TUTORS_ROLE,
    assert_private,
    question_of,
)
from tests.helpers import FakeClock

TUTORS = Role(TUTORS_ROLE, "History tutors")


def london(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=dt.UTC)  # London is on UTC in November


async def test_the_teacher_group_is_for_managers_and_offers_roles_and_topics(fake: FakeDiscord, bot: StudyBot) -> None:
    group = {c["name"]: c for c in fake.commands["global"]}["teacher"]
    assert int(group["default_member_permissions"]) == 0x20 and group["contexts"] == [0]
    subcommands = {o["name"]: o for o in group["options"]}
    assert list(subcommands) == ["role", "topics"]
    assert [(o["name"], o["type"]) for o in subcommands["role"]["options"]] == [("role", 8), ("clear", 5)]
    [taught] = subcommands["topics"]["options"]
    assert taught["name"] == "taught" and taught["autocomplete"] is True

    offered = await fake.autocomplete("teacher topics", "taught", "", TEACHER, SCHOOL_A)
    assert offered[0] == {"name": "all \u2014 every topic", "value": "all"}
    listed = await fake.autocomplete("teacher topics", "taught", "rise, ", TEACHER, SCHOOL_A)
    assert {c["value"] for c in listed} == {"rise, rivals", "rise, nep"}


async def test_members_of_the_named_role_are_teachers_until_the_role_is_cleared(
    fake: FakeDiscord, bot: StudyBot, service: StudyService
) -> None:
    refused = await fake.slash("schedule show", TUTOR, SCHOOL_A, in_channel=HISTORY_9B)
    assert_private(refused)
    assert "Only teachers can manage the daily-question schedule" in refused.text
    not_admin = await fake.slash("teacher role", TUTOR, SCHOOL_A, role=TUTORS)
    assert_private(not_admin)
    assert "Only members who can manage the server can choose the teachers' role" in not_admin.text

    named = await fake.slash("teacher role", TEACHER, SCHOOL_A, role=TUTORS)
    assert_private(named)
    assert f"Saved. Members with <@&{TUTORS_ROLE}> are teachers here" in named.text
    assert "Server Settings \u2192 Integrations" in named.text  # Discord still hides the commands from them
    assert named.data["allowed_mentions"] == {"parse": []}  # nobody is pinged

    saved = await fake.slash("schedule set", TUTOR, SCHOOL_A, in_channel=HISTORY_9B, time="08:30")
    assert_private(saved)
    assert saved.data["content"] == "Saved."
    shown = await fake.slash("schedule show", TUTOR, SCHOOL_A, in_channel=HISTORY_9B)
    assert "Daily question schedule \u00b7 #history-9b" in shown.text
    assert "Only teachers" in (await fake.slash("schedule show", BORIS, SCHOOL_A, in_channel=HISTORY_9B)).text
    hand_on = await fake.slash("teacher role", TUTOR, SCHOOL_A, clear=True)  # a teacher by the role cannot
    assert "Only members who can manage the server" in hand_on.text
    assert f"<@&{TUTORS_ROLE}>" in (await fake.slash("teacher role", TUTOR, SCHOOL_A)).text

    everyone = await fake.slash("teacher role", TEACHER, SCHOOL_A, role=Role(SCHOOL_A.id, "@everyone"))
    assert_private(everyone)
    assert "not @everyone" in everyone.text
    both = await fake.slash("teacher role", TEACHER, SCHOOL_A, role=TUTORS, clear=True)
    assert "not both" in both.text

    cleared = await fake.slash("teacher role", TEACHER, SCHOOL_A, clear=True)
    assert_private(cleared)
    assert cleared.text.startswith("Cleared. No teachers' role")
    again = await fake.slash("schedule show", TUTOR, SCHOOL_A, in_channel=HISTORY_9B)
    assert "Only teachers can manage the daily-question schedule" in again.text


async def test_the_topics_taught_narrow_what_students_practise(
    fake: FakeDiscord, bot: StudyBot, service: StudyService
) -> None:
    refused = await fake.slash("teacher topics", ANNA, SCHOOL_A, taught="rise")
    assert_private(refused)
    assert "Only teachers can choose the topics taught so far" in refused.text

    saved = await fake.slash("teacher topics", TEACHER, SCHOOL_A, taught="rise, rivals")
    assert_private(saved)
    assert saved.data["content"] == "Saved."
    assert "ask only the topics taught so far" in saved.text and "The rivals (`rivals`, 2)" in saved.text
    assert "Not taught yet" in saved.text and "NEP and the economy" in saved.text

    unknown = await fake.slash("teacher topics", TEACHER, SCHOOL_A, taught="rise, astrology")
    assert_private(unknown)
    assert "There is no topic \u201castrology\u201d" in unknown.text
    shown = await fake.slash("teacher topics", TEACHER, SCHOOL_A)
    assert "Stalin's rise to power (`rise`, 1)" in shown.text and "NEP and the economy (`nep`" not in shown.text

    untaught = await fake.slash("quiz", ANNA, SCHOOL_A, topic="nep")
    assert_private(untaught)
    assert "Your class hasn't been taught \u201cNEP and the economy\u201d yet" in untaught.text
    assert "Stalin's rise to power, The rivals" in untaught.text
    asked = await fake.slash("quiz", ANNA, SCHOOL_A)
    assert question_of(asked, service)[1].topic in {"rise", "rivals"}

    narrowed = await fake.slash("schedule set", TEACHER, SCHOOL_A, in_channel=HISTORY_9B, time="08:30", topics="nep")
    assert "None of them is taught yet (`/teacher topics`): the posts draw from the topics taught so far." in (
        narrowed.text
    )

    everything = await fake.slash("teacher topics", TEACHER, SCHOOL_A, taught="all")
    assert "Taught so far: **every topic**" in everything.text
    assert question_of(await fake.slash("quiz", ANNA, SCHOOL_A, topic="nep"), service)[1].topic == "nep"


async def test_schedule_now_posts_once_as_todays_post_and_skip_passes_over_the_next(
    fake: FakeDiscord, bot: StudyBot, service: StudyService, clock: FakeClock
) -> None:
    clock.now = london(27, 7)  # Friday before the 08:30 slot
    await fake.slash("schedule set", TEACHER, SCHOOL_A, in_channel=HISTORY_9B, time="08:30")
    scheduler = Scheduler(service.posts, Publishers({"discord": DiscordPublisher(bot)}))
    assert "Only teachers" in (await fake.slash("schedule now", BORIS, SCHOOL_A, in_channel=HISTORY_9B)).text

    now = await fake.slash("schedule now", TEACHER, SCHOOL_A, in_channel=HISTORY_9B)
    assert_private(now)
    assert now.data["content"] == "Posting today's question now."
    assert "**Next post:** now: today's question goes out at once, as today's post" in now.text
    [(claim, sent)] = await scheduler.tick()
    assert sent and claim.local_date == dt.date(2026, 11, 27)
    posts = fake.channel_messages(HISTORY_9B)
    assert posts and posts[0]["embeds"][-1]["title"].startswith("Question of the day")

    again = await fake.slash("schedule now", TEACHER, SCHOOL_A, in_channel=HISTORY_9B)
    assert_private(again)
    assert "Today's question has already been posted in this channel" in again.text
    clock.now = london(27, 8, 31)  # the slot: today's post is already made
    assert await scheduler.tick() == []
    assert fake.channel_messages(HISTORY_9B) == posts

    skipped = await fake.slash("schedule skip", TEACHER, SCHOOL_A, in_channel=HISTORY_9B)
    assert_private(skipped)
    assert skipped.data["content"] == "Skipped the post of Monday 30 November."
    assert "**Skipped:** Monday 30 November (`/schedule resume` brings skipped posts back)" in skipped.text
    assert "**Next post:** Tuesday 1 December, 08:30" in skipped.text
    assert "Only teachers" in (await fake.slash("schedule skip", BORIS, SCHOOL_A, in_channel=HISTORY_9B)).text
    clock.now = london(30, 8, 31)
    assert await scheduler.tick() == []
    clock.now = dt.datetime(2026, 12, 1, 8, 31, tzinfo=dt.UTC)
    [(_, sent)] = await scheduler.tick()
    assert sent and len(fake.channel_messages(HISTORY_9B)) == len(posts) + 1
