"""Assignments on Discord, over the wire: the real discord.py against the fake Discord, over the real service.
A teacher's /assign answers privately and announces the assignment once in the channel with a "Start"
button; a student starts it (after a restart of the bot: the button is persistent), gets a question wrong,
meets it again after the others, reaches the goal; the teacher's /assignments shows who has finished, and
"Close" stops it. Students cannot assign, and see only their own list."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from bot.adapters.discord import StudyBot
from bot.core.vocabulary import Mode
from bot.service import StudyService
from bot.store.models import Assignment
from tests.adapters.discord.fake_discord import Exchange, FakeDiscord
from tests.adapters.discord.helpers import (
    ANNA,
    BORIS,
    SCHOOL_A,
    TEACHER,
    Bots,
    answer,
    assert_private,
    button,
    question_of,
)


async def announcements(fake: FakeDiscord, count: int = 1) -> list[dict]:
    """The messages the bot posted into School A's general channel, once `count` are there."""
    for _ in range(200):
        found = fake.channel_messages(SCHOOL_A.channel_id)
        if len(found) >= count:
            return found
        await asyncio.sleep(0.01)
    raise AssertionError(f"{count} announcement(s) expected, got {fake.channel_messages(SCHOOL_A.channel_id)}")


def field(shown: Exchange, name: str) -> str:
    fields = [f for e in shown.data.get("embeds") or [] for f in e.get("fields", [])]
    found = [f["value"] for f in fields if f["name"].startswith(name)]
    assert found, f"no field {name!r} in {[f['name'] for f in fields]}"
    return found[0]


async def test_an_assignment_runs_from_start_to_the_goal_with_a_retake_and_the_teacher_sees_who_finished(
    fake: FakeDiscord, bots: Bots, service: StudyService
) -> None:
    bot = await bots.start(service)
    await fake.slash("daily", BORIS, SCHOOL_A)  # Boris is in the class, and never starts the assignment
    set_it = await fake.slash("assign", TEACHER, SCHOOL_A, topic="rivals", due="2026-12-04", n=5, goal=100)
    assert_private(set_it)
    assert "Assignment #1 set: **The rivals**, 2 questions" in set_it.text and "so that is all of them" in set_it.text

    [posted] = await announcements(fake)
    assert not posted["flags"] & 64  # in the channel, for everyone
    embed = posted["embeds"][0]
    assert embed["title"] == "New assignment \u00b7 The rivals"
    assert "2 questions \u00b7 goal 100% \u00b7 due Friday 4 December" in embed["description"]
    [start] = [c for row in posted["components"] for c in row["components"]]
    assert (start["label"], start["custom_id"]) == ("Start", "asg|1")
    async with service.db.read_sessions() as session:
        assert await session.scalar(select(Assignment.message_ref)) == posted["id"]

    await bots.stop(bot)  # the Start button outlives the process that posted it
    await bots.start(service)

    first = await fake.click(posted, "asg|1", ANNA, SCHOOL_A)
    assert_private(first)
    ref, _ = question_of(first, service)
    assert ref.mode is Mode.ASSIGNMENT and ref.assignment_id == 1
    assert first.data["embeds"][0]["title"].startswith("Assignment \u00b7 The rivals")
    assert "Assignment #1: 0/2 right, goal 100%" in first.text

    missed = await answer(fake, service, first, ANNA, SCHOOL_A, correct=False)
    assert_private(missed)
    assert "Not quite" in missed.text and field(missed, "Assignment") == "So far 0/2 right, goal 100%"
    assert "no new points" in missed.text

    second = await fake.click(missed.message, button(missed, "Next question"), ANNA, SCHOOL_A)
    assert question_of(second, service)[0].question_id != ref.question_id  # the one not met yet comes first
    right = await answer(fake, service, second, ANNA, SCHOOL_A)
    assert field(right, "Assignment") == "So far 1/2 right, goal 100%"

    retake = await fake.click(right.message, button(right, "Next question"), ANNA, SCHOOL_A)
    assert question_of(retake, service)[0] == ref  # the wrong one, again
    done = await answer(fake, service, retake, ANNA, SCHOOL_A)
    assert field(done, "Assignment") == "\u2705 Goal reached! 2/2 right, goal 100%"
    assert not [b for b in done.buttons if b["label"] == "Next question"]
    again = await fake.click(posted, "asg|1", ANNA, SCHOOL_A)  # Start once more: the standing, no question
    assert_private(again)
    assert again.data["embeds"][0]["title"] == "\u2705 Goal reached \u00b7 The rivals" and not again.buttons

    listed = await fake.slash("assignments", TEACHER, SCHOOL_A)
    assert_private(listed)
    value = field(listed, "#1 The rivals")
    assert "**Finished (1):** Anna" in value and "**Not started (1):** Boris" in value
    assert "**In progress (0):** \u2014" in value

    mine = await fake.slash("assignments", BORIS, SCHOOL_A)
    assert_private(mine)
    assert field(mine, "#1 The rivals").endswith("Not started") and button(mine, "Start #1") == "asg|1"

    closed = await fake.click(listed.message, button(listed, "Close #1"), TEACHER, SCHOOL_A)
    assert_private(closed)
    assert "Closed assignment #1" in closed.text
    late = await fake.click(posted, "asg|1", BORIS, SCHOOL_A)
    assert_private(late)
    assert "is closed" in late.text and not late.buttons


async def test_students_cannot_assign_or_close_and_bad_terms_are_explained(
    fake: FakeDiscord, bot: StudyBot, service: StudyService
) -> None:
    refused = await fake.slash("assign", ANNA, SCHOOL_A, topic="rivals", due="2026-12-04")
    assert_private(refused)
    assert "Only a teacher" in refused.text
    bad_date = await fake.slash("assign", TEACHER, SCHOOL_A, topic="rivals", due="next friday")
    assert_private(bad_date)
    assert "not a date" in bad_date.text and "due:2026-12-04" in bad_date.text
    unknown = await fake.slash("assign", TEACHER, SCHOOL_A, topic="stalinism", due="2026-12-04")
    assert "There is no topic" in unknown.text
    assert fake.channel_messages(SCHOOL_A.channel_id) == []  # nothing was announced

    await fake.slash("assign", TEACHER, SCHOOL_A, topic="all", due="2026-12-04")
    not_yours = await fake.slash("assignments", ANNA, SCHOOL_A, close=1)
    assert_private(not_yours)
    assert "Only a teacher" in not_yours.text
    choices = await fake.autocomplete("assign", "topic", "", TEACHER, SCHOOL_A)
    assert choices[0]["value"] == "all" and {"rise", "rivals", "nep"} <= {c["value"] for c in choices}


async def test_an_announcement_the_channel_refuses_is_reported_to_the_teacher_privately(
    fake: FakeDiscord, bot: StudyBot, service: StudyService
) -> None:
    fake.refuse(SCHOOL_A.channel_id, 403, 50013, "Missing Permissions")
    set_it = await fake.slash("assign", TEACHER, SCHOOL_A, topic="rise", due="2026-12-04")
    assert_private(set_it)
    for _ in range(200):
        warnings = [c.body for c in fake.calls if "/webhooks/" in c.path and c.method == "POST"]
        if warnings:
            break
        await asyncio.sleep(0.01)
    [warning] = warnings
    assert warning["flags"] & 64 and "couldn't post the announcement" in warning["content"]
    assert "Send Messages" in warning["content"]
    fake.refusals.clear()
    mine = await fake.slash("assignments", ANNA, SCHOOL_A)  # the assignment is there all the same
    assert button(mine, "Start #1") == "asg|1"
