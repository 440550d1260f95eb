"""A class as a whole, over the wire: the teachers' /goal and the weekly post's class goal, /class delete
with its typed confirmation, a student's /mydata file, the bot being removed from a server and added back,
and streaks over a weekend."""

from __future__ import annotations

import asyncio
import datetime as dt
import json

from sqlalchemy import select

from bot.adapters.discord import DiscordPublisher, StudyBot
from bot.core.actor import Actor, Platform
from bot.core.publishing import Publishers
from bot.scheduler import Scheduler
from bot.service import StudyService
from bot.store.models import Community
from tests.adapters.discord.fake_discord import Call, Exchange, FakeDiscord, Guild
from tests.adapters.discord.helpers import (
    ANNA,
    BORIS,
    HISTORY_9B,
    MANAGE_SERVER,
    SCHOOL_A,
    SCHOOL_B,
    TEACHER,
    Bots,
    answer,
    assert_private,
    question_of,
)
from tests.helpers import FakeClock

MONDAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
FRIDAY_0800 = dt.datetime(2026, 11, 27, 8, 0, tzinfo=dt.UTC)


def text_of(message: dict) -> str:
    """Everything a message the bot posted into a channel shows, flattened."""
    return Exchange([Call("POST", "/posted/callback", {"type": 4, "data": message})], 0.0, message).text


async def removed_at(service: StudyService, guild: Guild) -> dt.datetime | None:
    async with service.db.read_sessions() as session:
        return await session.scalar(
            select(Community.removed_at).where(Community.platform == "discord", Community.external_id == guild.id)
        )


async def until_removed_at(service: StudyService, guild: Guild, *, is_set: bool) -> dt.datetime | None:
    """The community's removed_at once the gateway event has been handled (it arrives asynchronously)."""
    for _ in range(200):
        found = await removed_at(service, guild)
        if (found is not None) is is_set:
            return found
        await asyncio.sleep(0.01)
    raise AssertionError(f"removed_at of {guild.name} never became {'set' if is_set else 'empty'}")


# ---------------------------------------------------------------- the commands


async def test_goal_and_class_delete_are_hidden_from_students_and_mydata_is_for_everyone(
    fake: FakeDiscord, bot: StudyBot
) -> None:
    synced = {c["name"]: c for c in fake.commands["global"]}
    goal, group, mydata = synced["goal"], synced["class"], synced["mydata"]
    for teachers_only in (goal, group):
        assert int(teachers_only["default_member_permissions"]) == MANAGE_SERVER
        assert teachers_only["contexts"] == [0] and teachers_only["dm_permission"] is False
    [percent] = goal["options"]
    assert (percent["name"], percent["required"], percent["type"]) == ("percent", True, 3)
    [delete] = group["options"]
    assert (delete["name"], delete["type"]) == ("delete", 1)
    [confirm] = delete["options"]
    assert (confirm["name"], confirm["required"]) == ("confirm", True) and "delete everything" in confirm["description"]
    assert mydata.get("default_member_permissions") is None and not mydata["options"]


async def test_only_a_teacher_sets_the_goal_and_a_bad_value_is_explained(
    fake: FakeDiscord, bot: StudyBot, service: StudyService
) -> None:
    refused = await fake.slash("goal", BORIS, SCHOOL_A, percent="70%")
    assert_private(refused)
    assert "Only a teacher" in refused.text
    assert len([c for c in refused.calls if c.method == "POST"]) == 1

    bad = await fake.slash("goal", TEACHER, SCHOOL_A, percent="lots")
    assert_private(bad)
    assert "percentage from 1 to 100" in bad.text

    saved = await fake.slash("goal", TEACHER, SCHOOL_A, percent="70%")
    assert_private(saved)
    assert "the class's goal is 70% of the week's daily answers right" in saved.text
    off = await fake.slash("goal", TEACHER, SCHOOL_A, percent="off")
    assert off.data["content"].startswith("No class goal now")


async def test_the_weekly_post_shows_the_class_goal_before_the_question_and_the_board(
    fake: FakeDiscord, bot: StudyBot, service: StudyService, clock: FakeClock
) -> None:
    for day in (25, 26):  # Wednesday and Thursday: Anna right, Boris wrong: 2 of 4 right
        clock.now = dt.datetime(2026, 11, day, 9, 0, tzinfo=dt.UTC)
        daily = await fake.slash("daily", ANNA, SCHOOL_A)
        await answer(fake, service, daily, ANNA, SCHOOL_A)
        await answer(fake, service, daily, BORIS, SCHOOL_A, correct=False)

    clock.now = FRIDAY_0800
    assert "70%" in (await fake.slash("goal", TEACHER, SCHOOL_A, percent="70")).text
    saved = await fake.slash("schedule set", TEACHER, SCHOOL_A, in_channel=HISTORY_9B, time="08:30")
    assert saved.data["content"] == "Saved."
    scheduler = Scheduler(service.posts, Publishers({"discord": DiscordPublisher(bot)}))
    clock.advance(minutes=31)
    [(_, sent)] = await scheduler.tick()
    assert sent

    question_message, board_message = fake.channel_messages(HISTORY_9B)  # Friday: the weekly board follows
    first = question_message["embeds"][0]
    assert "Class goal: 50% of this week's 4 daily answers right \u00b7 goal 70%" in first["description"]
    shown = text_of(question_message)
    assert shown.index("Class goal") < shown.index("Question of the day")
    assert "Class goal" not in text_of(board_message) and "This week's leaderboard" in text_of(board_message)
    assert question_message["components"]  # the answer buttons are still on the question's message


async def test_class_delete_needs_a_teacher_and_the_typed_confirmation_then_deletes_everything(
    fake: FakeDiscord, bot: StudyBot, service: StudyService
) -> None:
    daily = await fake.slash("daily", ANNA, SCHOOL_A)
    await answer(fake, service, daily, ANNA, SCHOOL_A)
    await answer(fake, service, daily, BORIS, SCHOOL_A)

    refused = await fake.slash("class delete", BORIS, SCHOOL_A, confirm="delete everything")
    assert_private(refused)
    assert "Only a teacher" in refused.text

    wrong = await fake.slash("class delete", TEACHER, SCHOOL_A, confirm="yes")
    assert_private(wrong)
    assert "To go ahead, type `/class delete confirm:delete everything`" in wrong.text
    assert "Anna \u2014 10 pts" in (await fake.slash("leaderboard", ANNA, SCHOOL_A)).text  # nothing deleted

    deleted = await fake.slash("class delete", TEACHER, SCHOOL_A, confirm="Delete everything")
    assert_private(deleted)
    assert "Deleted: this server's class, with its 2 members, 2 answers" in deleted.text
    board = await fake.slash("leaderboard", BORIS, SCHOOL_A, period="all")
    assert "No points yet" in board.text and "Anna" not in board.text


async def test_mydata_sends_the_student_a_private_json_file_of_their_answers(
    fake: FakeDiscord, bot: StudyBot, service: StudyService
) -> None:
    daily = await fake.slash("daily", ANNA, SCHOOL_A)
    await answer(fake, service, daily, ANNA, SCHOOL_A)
    await answer(fake, service, daily, BORIS, SCHOOL_A, correct=False)

    exported = await fake.slash("mydata", ANNA, SCHOOL_A)
    assert_private(exported)
    assert "everything stored about you in this server" in exported.text
    [(name, raw)] = exported.files.items()
    assert name == "studybot-my-data-discord.json"
    [attachment] = exported.data["attachments"]
    assert attachment["filename"] == name and attachment["size"] == len(raw)
    document = json.loads(raw)
    assert document["class"] == {"platform": "discord", "id": SCHOOL_A.id}
    assert document["you"]["external_id"] == ANNA.id
    [given] = document["answers"]
    ref, _ = question_of(daily, service)
    assert (given["question_id"], given["correct"]) == (ref.question_id, True)
    assert BORIS.id not in raw.decode()  # only her own


# ---------------------------------------------------------------- removal


async def test_removing_the_bot_marks_the_class_for_deletion_and_adding_it_back_calls_that_off(
    fake: FakeDiscord, bot: StudyBot, service: StudyService, clock: FakeClock
) -> None:
    await fake.slash("daily", ANNA, SCHOOL_A)  # the class exists
    await fake.slash("daily", ANNA, SCHOOL_B)
    assert await removed_at(service, SCHOOL_A) is None

    await fake.remove_bot(SCHOOL_A)
    when = await until_removed_at(service, SCHOOL_A, is_set=True)
    assert when is not None and when.replace(tzinfo=dt.UTC) == clock.now
    assert bot.get_guild(int(SCHOOL_A.id)) is None
    assert await removed_at(service, SCHOOL_B) is None  # only that server

    await fake.add_bot(SCHOOL_A)
    assert await until_removed_at(service, SCHOOL_A, is_set=False) is None
    assert bot.get_guild(int(SCHOOL_A.id)) is not None


async def test_a_server_that_added_the_bot_back_while_it_was_offline_keeps_its_class(
    fake: FakeDiscord, bots: Bots, service: StudyService
) -> None:
    await service.daily_question(Actor(Platform.DISCORD, SCHOOL_A.id, ANNA.id, ANNA.name))
    await service.bot_removed("discord", SCHOOL_A.id)  # removed while the bot was running elsewhere
    assert await removed_at(service, SCHOOL_A) is not None
    await bots.start(service)  # READY lists the server again: no join event, the deletion is called off
    assert await until_removed_at(service, SCHOOL_A, is_set=False) is None


# ---------------------------------------------------------------- streaks over a weekend


async def test_a_question_answered_at_the_weekend_breaks_nobody_s_streak(
    fake: FakeDiscord, bot: StudyBot, service: StudyService, clock: FakeClock
) -> None:
    clock.now = MONDAY
    for _ in range(5):  # Monday to Friday, both
        daily = await fake.slash("daily", ANNA, SCHOOL_A)
        for who in (ANNA, BORIS):
            await answer(fake, service, daily, who, SCHOOL_A)
        clock.advance(days=1)
    saturday = await answer(fake, service, await fake.slash("daily", BORIS, SCHOOL_A), BORIS, SCHOOL_A)
    assert "Points +" in saturday.text and "Streak 5 days" in saturday.text  # points, the streak as it was

    clock.advance(days=2)  # Monday
    assert "**Streak:** 5 days" in (await fake.slash("stats", ANNA, SCHOOL_A)).text
    daily = await fake.slash("daily", ANNA, SCHOOL_A)
    for who in (ANNA, BORIS):
        assert "Streak 6 days" in (await answer(fake, service, daily, who, SCHOOL_A)).text
