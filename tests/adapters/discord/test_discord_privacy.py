"""Private by default, over the wire: /privacy, and how a pseudonymous or hidden student shows on the
public /leaderboard, in the scheduled post's reveal and weekly board, and who may see a classmate's stats."""

from __future__ import annotations

import datetime as dt

from bot.adapters.discord import DiscordPublisher, StudyBot
from bot.core.actor import Actor, Platform
from bot.core.publishing import Publishers
from bot.scheduler import Scheduler
from bot.service import StudyService
from tests.adapters.discord.fake_discord import Call, Exchange, FakeDiscord, User
from tests.adapters.discord.helpers import (
    ANNA,
    BORIS,
    HISTORY_9B,
    SCHOOL_A,
    TEACHER,
    answer,
    assert_private,
    followups,
)
from tests.helpers import FakeClock

FRIDAY_0800 = dt.datetime(2026, 11, 27, 8, 0, tzinfo=dt.UTC)


def actor(user: User, *, is_admin: bool = False) -> Actor:
    return Actor(Platform.DISCORD, SCHOOL_A.id, user.id, user.name, is_admin=is_admin)


async def pseudonym_of(service: StudyService, user: User) -> str:
    return (await service.privacy(actor(user))).pseudonym


def text_of(message: dict) -> str:
    """Everything a message the bot posted into a channel shows, flattened."""
    return Exchange([Call("POST", "/posted/callback", {"type": 4, "data": message})], 0.0, message).text


def public_text(reply: Exchange) -> str:
    """What the channel sees: the interaction's (public) response alone, without private follow-ups."""
    callback = next(c for c in reply.calls if c.path.endswith("/callback"))
    return Exchange([callback], 0.0).text


async def test_privacy_is_a_command_for_everyone_with_a_choice_and_a_class_default(
    fake: FakeDiscord, bot: StudyBot
) -> None:
    synced = {c["name"]: c for c in fake.commands["global"]}
    command = synced["privacy"]
    assert command.get("default_member_permissions") is None  # students use it; the service checks teachers
    choice, default = command["options"]
    assert (choice["name"], default["name"]) == ("choice", "class_default")
    assert not choice.get("required", False) and not default.get("required", False)
    assert [c["value"] for c in choice["choices"]] == ["named", "pseudonym", "hidden", "new-name"]
    assert [c["value"] for c in default["choices"]] == ["named", "pseudonym", "hidden"]


async def test_privacy_round_trip_show_set_new_name_and_a_second_new_name_refused_kindly(
    fake: FakeDiscord, bot: StudyBot, service: StudyService, clock: FakeClock
) -> None:
    shown = await fake.slash("privacy", ANNA, SCHOOL_A)
    assert_private(shown)
    assert "you appear by your own name, **Anna** (the class default)" in shown.text
    assert "**Class default:** named" in shown.text and "/privacy choice:" in shown.text
    first = await pseudonym_of(service, ANNA)
    assert f"**Your pseudonym:** {first}" in shown.text

    chosen = await fake.slash("privacy", ANNA, SCHOOL_A, choice="pseudonym")
    assert_private(chosen)
    assert chosen.data["content"] == "Saved."
    assert f"you appear under your pseudonym, **{first}** (your own choice)" in chosen.text

    renamed = await fake.slash("privacy", ANNA, SCHOOL_A, choice="new-name")
    assert_private(renamed)
    second = await pseudonym_of(service, ANNA)
    assert second != first and f"**{second}**" in renamed.text
    next_week = clock.now + dt.timedelta(days=7)
    assert f"a new one from <t:{int(next_week.timestamp())}:D>" in renamed.text

    clock.advance(days=2)
    again = await fake.slash("privacy", ANNA, SCHOOL_A, choice="new-name")
    assert_private(again)
    assert "once a week" in again.text and len([c for c in again.calls if c.method == "POST"]) == 1
    assert await pseudonym_of(service, ANNA) == second

    hidden = await fake.slash("privacy", ANNA, SCHOOL_A, choice="hidden")
    assert "you appear nowhere: you're off the public boards (your own choice)" in hidden.text
    both = await fake.slash("privacy", ANNA, SCHOOL_A, choice="named", class_default="named")
    assert_private(both)
    assert "one thing at a time" in both.text


async def test_only_a_teacher_sets_the_class_default(fake: FakeDiscord, bot: StudyBot, service: StudyService) -> None:
    refused = await fake.slash("privacy", BORIS, SCHOOL_A, class_default="hidden")
    assert_private(refused)
    assert "Only a teacher" in refused.text
    assert (await service.privacy(actor(ANNA))).class_default == "named"

    saved = await fake.slash("privacy", TEACHER, SCHOOL_A, class_default="pseudonym")
    assert_private(saved)
    assert saved.data["content"] == "Class default saved." and "**Class default:** pseudonym" in saved.text
    anna = await fake.slash("privacy", ANNA, SCHOOL_A)
    assert "under your pseudonym" in anna.text and "(the class default)" in anna.text


async def test_a_pseudonymous_student_is_on_the_leaderboard_only_under_the_pseudonym(
    fake: FakeDiscord, bot: StudyBot, service: StudyService
) -> None:
    await service.set_privacy_default(actor(TEACHER, is_admin=True), "pseudonym")
    await service.set_privacy(actor(BORIS), "named")
    daily = await fake.slash("daily", ANNA, SCHOOL_A)
    await answer(fake, service, daily, ANNA, SCHOOL_A)
    await answer(fake, service, daily, BORIS, SCHOOL_A)
    alias = await pseudonym_of(service, ANNA)

    seen_by_boris = await fake.slash("leaderboard", BORIS, SCHOOL_A)
    assert f"{alias} \u2014 10 pts" in seen_by_boris.text and "Anna" not in seen_by_boris.text
    assert "Boris \u2014 10 pts \u2190 you" in seen_by_boris.text  # a named student keeps the public "you"
    assert await followups(fake, seen_by_boris, timeout=0.2) == []

    own = await fake.slash("leaderboard", ANNA, SCHOOL_A)
    assert not own.callback["data"].get("flags", 0) & 64  # the board itself is public
    public = public_text(own)
    assert alias in public and "Anna" not in public and "\u2190 you" not in public and "You are" not in public
    [note] = await followups(fake, own)
    assert note["flags"] & 64  # ephemeral: only Anna learns which name is hers
    assert f"You are #1 of 2 with 10 pts, shown to the class as **{alias}**" in note["content"]


async def test_a_hidden_student_is_on_no_public_board_but_sees_their_own_rank(
    fake: FakeDiscord, bot: StudyBot, service: StudyService
) -> None:
    await service.set_privacy(actor(ANNA), "hidden")
    daily = await fake.slash("daily", ANNA, SCHOOL_A)
    await answer(fake, service, daily, ANNA, SCHOOL_A)
    await answer(fake, service, daily, BORIS, SCHOOL_A, correct=False)
    alias = await pseudonym_of(service, ANNA)

    seen_by_boris = await fake.slash("leaderboard", BORIS, SCHOOL_A)
    assert "Anna" not in seen_by_boris.text and alias not in seen_by_boris.text

    own = await fake.slash("leaderboard", ANNA, SCHOOL_A)
    public = public_text(own)
    assert "Anna" not in public and alias not in public and "**1.** Boris \u2014 0 pts" in public
    [note] = await followups(fake, own)
    assert note["flags"] & 64
    assert "You're hidden from the class's boards; you'd be #1 with 10 pts." in note["content"]


async def test_the_scheduled_post_shows_a_pseudonym_and_leaves_a_hidden_student_out(
    fake: FakeDiscord, bot: StudyBot, service: StudyService, clock: FakeClock
) -> None:
    await service.set_privacy_default(actor(TEACHER, is_admin=True), "pseudonym")
    await service.set_privacy(actor(BORIS), "hidden")
    for day in (25, 26):  # two right answers each: both have a two-day streak for the reveal
        clock.now = dt.datetime(2026, 11, day, 9, 0, tzinfo=dt.UTC)
        daily = await fake.slash("daily", ANNA, SCHOOL_A)
        await answer(fake, service, daily, ANNA, SCHOOL_A)
        await answer(fake, service, daily, BORIS, SCHOOL_A)
    alias = await pseudonym_of(service, ANNA)

    clock.now = FRIDAY_0800
    saved = await fake.slash("schedule set", TEACHER, SCHOOL_A, in_channel=HISTORY_9B, time="08:30")
    assert saved.data["content"] == "Saved."
    scheduler = Scheduler(service.posts, Publishers({"discord": DiscordPublisher(bot)}))
    clock.advance(minutes=31)
    [(_, sent)] = await scheduler.tick()
    assert sent

    question_message, board_message = fake.channel_messages(HISTORY_9B)  # Friday: the weekly board follows
    reveal = text_of({"embeds": [e for e in question_message["embeds"] if e["title"].startswith("Yesterday's")]})
    assert f"{alias} (2 days)" in reveal and "Anna" not in reveal and "Boris" not in reveal
    board = text_of(board_message)
    assert f"{alias} \u2014 21 pts" in board and "Anna" not in board and "Boris" not in board


async def test_a_classmates_stats_are_for_teachers_only(
    fake: FakeDiscord, bot: StudyBot, service: StudyService
) -> None:
    await answer(fake, service, await fake.slash("daily", ANNA, SCHOOL_A), ANNA, SCHOOL_A)
    refused = await fake.slash("stats", BORIS, SCHOOL_A, member=ANNA)
    assert_private(refused)
    assert "Only a teacher can see a classmate's stats" in refused.text and "Accuracy" not in refused.text
    own = await fake.slash("stats", ANNA, SCHOOL_A, member=ANNA)  # naming oneself is one's own stats
    assert "**Accuracy:** 100%" in own.text
    seen = await fake.slash("stats", TEACHER, SCHOOL_A, member=ANNA)  # Manage Server: a teacher
    assert_private(seen)
    assert "Stats \u00b7 Anna" in seen.text and "**Accuracy:** 100%" in seen.text
