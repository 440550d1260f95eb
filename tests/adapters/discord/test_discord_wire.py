"""The real discord.py, driven over its wire protocol by the fake Discord, over a real service."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.adapters.discord import StudyBot, render
from bot.bootstrap import open_service
from bot.core.actor import Actor
from bot.core.errors import UNEXPECTED_ERROR
from bot.core.replies import AskedQuestion
from bot.service import StudyService
from tests.adapters.discord.fake_discord import EPHEMERAL, FakeDiscord
from tests.adapters.discord.helpers import (
    ANNA,
    BORIS,
    CLARA,
    SCHOOL_A,
    SCHOOL_B,
    TEACHER,
    Bots,
    answer,
    assert_private,
    question_of,
)
from tests.helpers import FIXTURE_CONTENT, FakeClock

PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15)  # members, presences, message content
COMMANDS = {
    "daily", "review", "quiz", "leaderboard", "rival", "explain", "timeline", "summary", "stats", "privacy",
    "mydata", "forgetme", "essay", "schedule", "goal", "class", "assign", "assignments", "teacher", "report", "export",
}  # fmt: skip
# hidden from members without Manage Server
TEACHERS_ONLY = {"schedule", "goal", "class", "assign", "teacher", "report", "export"}


# ---------------------------------------------------------------- start-up


async def test_start_up_identifies_without_privileged_intents_and_syncs_commands_globally(
    fake: FakeDiscord, bot: StudyBot
) -> None:
    assert fake.identify is not None and fake.identify["token"] == "fake-token"
    assert fake.identify["intents"] & PRIVILEGED_INTENTS == 0
    assert fake.identify["intents"] & 1  # guilds
    assert set(fake.commands) == {"global"}
    synced = {c["name"]: c for c in fake.commands["global"]}
    assert set(synced) == COMMANDS
    for command in synced.values():
        assert 1 <= len(command["description"]) <= 100
        assert command["contexts"] == [0] and command["dm_permission"] is False  # servers only
    quiz_topic = synced["quiz"]["options"][0]
    assert (quiz_topic["name"], quiz_topic["autocomplete"], quiz_topic.get("required", False)) == ("topic", True, False)
    rival_name = synced["rival"]["options"][0]
    assert rival_name.items() >= {"name": "name", "required": True, "autocomplete": True, "max_length": 100}.items()
    assert synced["explain"]["options"][0]["name"] == "name_or_term"
    years = [(o["name"], o["type"], o.get("required", False), o["min_value"]) for o in synced["timeline"]["options"]]
    assert years == [("from", 4, False, 1900), ("to", 4, False, 1900)]  # integers, both optional
    assert [c["value"] for c in synced["leaderboard"]["options"][0]["choices"]] == ["week", "month", "all"]
    assert synced["stats"]["options"][0]["type"] == 6  # a member
    assert not synced["daily"]["options"] and not synced["forgetme"]["options"] and not synced["mydata"]["options"]
    hidden = {name for name, command in synced.items() if command.get("default_member_permissions") is not None}
    assert hidden == TEACHERS_ONLY
    [reminders] = synced["review"]["options"]
    assert reminders["name"] == "reminders" and not reminders.get("required", False)
    assert [c["value"] for c in reminders["choices"]] == ["on", "off"]
    assert len(bot.guilds) == 2


async def test_commands_sync_to_each_configured_guild_instead_of_globally(
    fake: FakeDiscord, bots: Bots, service: StudyService
) -> None:
    await bots.start(service, guild_ids=[int(SCHOOL_A.id), int(SCHOOL_B.id)])
    assert set(fake.commands) == {SCHOOL_A.id, SCHOOL_B.id}
    assert {c["name"] for c in fake.commands[SCHOOL_A.id]} == COMMANDS
    shown = await fake.slash("daily", ANNA, SCHOOL_A)  # guild copies of the commands answer
    assert shown.buttons


# ---------------------------------------------------------------- daily question and answers


async def test_daily_click_gives_private_feedback_and_points_once(
    fake: FakeDiscord, bot: StudyBot, service: StudyService
) -> None:
    shown = await fake.slash("daily", ANNA, SCHOOL_A)
    assert not shown.ephemeral and shown.callback["type"] == 4
    assert "Question of the day" in shown.text
    assert all(len(b["custom_id"]) <= 100 and len(b["label"]) <= 80 for b in shown.buttons)

    first = await answer(fake, service, shown, ANNA, SCHOOL_A)
    assert_private(first)
    _, question = question_of(shown, service)
    assert "Correct" in first.text and question.explanation in first.text
    assert "+10 (total 10)" in first.text and "1 day" in first.text
    if question.figures:  # a button to the related figure card
        assert any(b["custom_id"] == f"card|{question.figures[0]}" for b in first.buttons)

    board = await fake.slash("leaderboard", BORIS, SCHOOL_A)
    assert not board.ephemeral
    assert "**1.** Anna \u2014 10 pts" in board.text
    assert board.data["allowed_mentions"] == {"parse": []}
    assert "You have no points" in board.text  # Boris's own line

    again = await answer(fake, service, shown, ANNA, SCHOOL_A, correct=False)  # a second click, even a different answer
    assert_private(again)
    assert "Correct" in again.text and "no new points (total 10)" in again.text and "already answered" in again.text
    board = await fake.slash("leaderboard", ANNA, SCHOOL_A, period="all")
    assert "**1.** Anna \u2014 10 pts \u2190 you" in board.text and "You are #1 of 1 with 10 pts" in board.text

    repeat = await fake.slash("daily", ANNA, SCHOOL_A)
    assert "You've answered this one" in repeat.text


async def test_a_wrong_answer_shows_the_right_one_and_scores_nothing(
    fake: FakeDiscord, bot: StudyBot, service: StudyService
) -> None:
    shown = await fake.slash("daily", BORIS, SCHOOL_A)
    result = await answer(fake, service, shown, BORIS, SCHOOL_A, correct=False)
    assert_private(result)
    _, question = question_of(shown, service)
    assert "Not quite" in result.text and question.answer_text in result.text and "+0" in result.text


async def test_short_answer_through_the_modal_from_a_figure_card(
    fake: FakeDiscord, bot: StudyBot, service: StudyService
) -> None:
    card = await fake.slash("rival", ANNA, SCHOOL_A, name="zinoviev")
    assert card.data["embeds"][0]["title"] == "Grigory Zinoviev"
    quiz_button = next(b for b in card.buttons if b["label"] == "Quiz me on this")

    practice = await fake.click(card.message, quiz_button["custom_id"], ANNA, SCHOOL_A)
    assert_private(practice)
    assert "Practice" in practice.text and "Leningrad Soviet" in practice.text
    [typed] = practice.buttons
    assert typed["label"] == "Type your answer"

    opened = await fake.click(practice.message, typed["custom_id"], ANNA, SCHOOL_A)
    modal = opened.callback["data"]
    assert opened.callback["type"] == 9 and len(modal["title"]) <= 45
    result = await fake.submit(modal, "grigory zinoviev", ANNA, SCHOOL_A)
    assert result.ephemeral and "Correct" in result.text and "Your answer grigory zinoviev" in result.text
    assert "no new points" in result.text  # practice
    assert [b["label"] for b in result.buttons] == ["Card: Grigory Zinoviev", "I guessed", "Too easy"]

    board = await fake.slash("leaderboard", ANNA, SCHOOL_A)
    assert "No points yet" in board.text


async def test_buttons_still_work_after_a_restart(
    fake: FakeDiscord, bots: Bots, service: StudyService, sqlite_url: str, clock: FakeClock
) -> None:
    first_bot = await bots.start(service)
    shown = await fake.slash("daily", ANNA, SCHOOL_A)
    await bots.stop(first_bot)

    async with open_service(sqlite_url, FIXTURE_CONTENT, clock=clock) as reopened:  # a new process, in effect
        await bots.start(reopened)
        assert fake.connections == 1  # only the new client hears the click
        result = await answer(fake, reopened, shown, ANNA, SCHOOL_A)
        assert_private(result)
        assert "+10 (total 10)" in result.text
        board = await fake.slash("leaderboard", ANNA, SCHOOL_A)
        assert "**1.** Anna \u2014 10 pts" in board.text


async def test_a_modal_opened_before_a_restart_still_scores_when_submitted_after_it(
    fake: FakeDiscord, bots: Bots, service: StudyService, sqlite_url: str, clock: FakeClock
) -> None:
    first_bot = await bots.start(service)
    card = await fake.slash("rival", ANNA, SCHOOL_A, name="zinoviev")
    quiz_button = next(b for b in card.buttons if b["label"] == "Quiz me on this")
    practice = await fake.click(card.message, quiz_button["custom_id"], ANNA, SCHOOL_A)
    [typed] = practice.buttons
    opened = await fake.click(practice.message, typed["custom_id"], ANNA, SCHOOL_A)
    await bots.stop(first_bot)  # the student is still typing

    async with open_service(sqlite_url, FIXTURE_CONTENT, clock=clock) as reopened:
        await bots.start(reopened)
        result = await fake.submit(opened.callback["data"], "grigory zinoviev", ANNA, SCHOOL_A)
        assert_private(result)
        assert "Correct" in result.text and "Your answer grigory zinoviev" in result.text
        wrong = await fake.submit(opened.callback["data"], "Kamenev", BORIS, SCHOOL_A)
        assert_private(wrong)
        assert "Not quite" in wrong.text and "Your answer Kamenev" in wrong.text


# ---------------------------------------------------------------- cards


async def test_rival_finds_names_aliases_and_misspellings_and_suggests_for_unknown(
    fake: FakeDiscord, bot: StudyBot
) -> None:
    for typed in ("Trotsky", "Bronstein", "Trotksy"):
        card = await fake.slash("rival", BORIS, SCHOOL_A, name=typed)
        assert not card.ephemeral
        assert card.data["embeds"][0]["title"] == "Leon Trotsky", typed
    fields = card.data["embeds"][0]["fields"]
    assert fields and all(len(f["value"]) <= 1024 for f in fields)

    unknown = await fake.slash("rival", BORIS, SCHOOL_A, name="Kam")
    assert_private(unknown)
    assert "Did you mean \u201cLev Kamenev\u201d" in unknown.text
    [suggestion] = unknown.buttons
    shown = await fake.click(unknown.message, suggestion["custom_id"], BORIS, SCHOOL_A)
    assert shown.data["embeds"][0]["title"] == "Lev Kamenev"

    nothing = await fake.slash("rival", BORIS, SCHOOL_A, name="NEP")  # a term, not a figure
    assert nothing.ephemeral and "I don't have a card" in nothing.text
    term = await fake.slash("explain", BORIS, SCHOOL_A, name_or_term="NEP")
    assert term.data["embeds"][0]["title"] == "New Economic Policy"


async def test_autocomplete_offers_figures_terms_and_topics(fake: FakeDiscord, bot: StudyBot) -> None:
    assert await fake.autocomplete("rival", "name", "tro", BORIS, SCHOOL_A) == [
        {"name": "Leon Trotsky", "value": "trotsky"}
    ]
    assert await fake.autocomplete("rival", "name", "ne", BORIS, SCHOOL_A) == []  # figures only
    assert {"name": "New Economic Policy", "value": "nep"} in await fake.autocomplete(
        "explain", "name_or_term", "ne", BORIS, SCHOOL_A
    )
    topics = await fake.autocomplete("quiz", "topic", "", BORIS, SCHOOL_A)
    assert {c["value"] for c in topics} == {"weak", "rise", "rivals", "nep"} and len(topics) <= 25
    assert topics[0] == {"name": "weak \u2014 your weakest topic", "value": "weak"}
    assert [c["value"] for c in await fake.autocomplete("quiz", "topic", "ne", BORIS, SCHOOL_A)] == ["nep"]
    chosen = await fake.slash("quiz", BORIS, SCHOOL_A, topic="nep")
    assert_private(chosen)
    assert "NEP and the economy" in chosen.text


# ---------------------------------------------------------------- stats and forgetting


async def test_forgetme_confirms_then_deletes_the_callers_data(
    fake: FakeDiscord, bot: StudyBot, service: StudyService
) -> None:
    await answer(fake, service, await fake.slash("daily", ANNA, SCHOOL_A), ANNA, SCHOOL_A)
    stats = await fake.slash("stats", ANNA, SCHOOL_A)
    assert_private(stats)
    assert "100% (1 of 1 correct)" in stats.text and "**Points:** 10" in stats.text

    prompt = await fake.slash("forgetme", ANNA, SCHOOL_A)
    assert_private(prompt)
    assert "School A" in prompt.text
    labels = {b["label"]: b["custom_id"] for b in prompt.buttons}
    cancelled = await fake.click(prompt.message, labels["Cancel"], ANNA, SCHOOL_A)
    assert cancelled.callback["type"] == 7 and cancelled.data["content"] == "Nothing was deleted."
    assert "Anna" in (await fake.slash("leaderboard", BORIS, SCHOOL_A)).text

    done = await fake.click(prompt.message, labels["Delete my data"], ANNA, SCHOOL_A)
    assert done.callback["type"] == 7  # the confirmation message is replaced, buttons gone
    assert "deleted 1 answer" in done.data["content"] and done.data["components"] == []
    assert "Anna" not in (await fake.slash("leaderboard", BORIS, SCHOOL_A)).text
    assert "hasn't answered" in (await fake.slash("stats", TEACHER, SCHOOL_A, member=ANNA)).text
    assert "Only a teacher" in (await fake.slash("stats", BORIS, SCHOOL_A, member=ANNA)).text
    assert "No answers yet" in (await fake.slash("stats", ANNA, SCHOOL_A)).text


async def test_two_servers_never_see_each_others_scores(
    fake: FakeDiscord, bot: StudyBot, service: StudyService
) -> None:
    await answer(fake, service, await fake.slash("daily", ANNA, SCHOOL_A), ANNA, SCHOOL_A)
    await answer(fake, service, await fake.slash("daily", CLARA, SCHOOL_B), CLARA, SCHOOL_B)

    in_a = await fake.slash("leaderboard", ANNA, SCHOOL_A, period="all")
    in_b = await fake.slash("leaderboard", CLARA, SCHOOL_B, period="all")
    assert "Anna" in in_a.text and "Clara" not in in_a.text
    assert "Clara" in in_b.text and "Anna" not in in_b.text
    assert "**1.** Clara \u2014 10 pts" in in_b.text  # School B's daily is a short answer: typed in the modal
    assert "hasn't answered" in (await fake.slash("stats", TEACHER, SCHOOL_B, member=ANNA)).text
    anna_in_b = await fake.slash("stats", ANNA, SCHOOL_B)  # the same Discord user, another server
    assert "No answers yet" in anna_in_b.text


# ---------------------------------------------------------------- errors and timing


class _Broken:
    """The real service, except that some use cases fail or are slow."""

    def __init__(self, service: StudyService, *, delay: float = 0.0, fail: bool = True) -> None:
        self._service, self._delay, self._fail = service, delay, fail

    def __getattr__(self, name: str) -> Any:
        return getattr(self._service, name)

    async def daily_question(self, actor: Actor) -> AskedQuestion:
        await asyncio.sleep(self._delay)
        if self._fail:
            raise RuntimeError("disk I/O error at /var/secret/studybot.db")
        return await self._service.daily_question(actor)


async def test_a_handler_that_raises_still_answers_once_privately_without_the_traceback(
    fake: FakeDiscord, bots: Bots, service: StudyService, caplog
) -> None:
    await bots.start(_Broken(service))  # type: ignore[arg-type]
    failed = await fake.slash("daily", ANNA, SCHOOL_A)
    assert_private(failed)
    assert failed.data["content"] == UNEXPECTED_ERROR
    assert len([c for c in failed.calls if c.method == "POST"]) == 1  # one reply, from one place
    assert "secret" not in str(failed.calls) and "Traceback" not in str(failed.calls)
    assert "disk I/O error" in caplog.text  # ... but the log has it

    forged = await fake.click(
        failed.message
        | {
            "components": [
                {
                    "type": 1,
                    "components": [
                        {"type": 2, "style": 1, "label": "A", "custom_id": "ans|d:2026-11-27:no-such-question|A"}
                    ],
                }
            ]
        },
        "ans|d:2026-11-27:no-such-question|A",
        ANNA,
        SCHOOL_A,
    )
    assert_private(forged)
    assert "no longer in the bank" in forged.text

    unknown_topic = await fake.slash("quiz", ANNA, SCHOOL_A, topic="astrology")
    assert_private(unknown_topic)
    assert "There is no topic \u201castrology\u201d" in unknown_topic.text


async def test_slow_work_is_deferred_then_followed_up(fake: FakeDiscord, bots: Bots, service: StudyService) -> None:
    await bots.start(_Broken(service, delay=0.3, fail=False), defer_after=0.05)  # type: ignore[arg-type]
    shown = await fake.slash("daily", ANNA, SCHOOL_A)
    assert shown.callback["type"] == 5 and shown.seconds_to_first_reply < 0.3
    assert "Question of the day" in shown.text and not shown.ephemeral


async def test_slow_failure_after_a_public_defer_stays_private(
    fake: FakeDiscord, bots: Bots, service: StudyService
) -> None:
    await bots.start(_Broken(service, delay=0.3), defer_after=0.05)  # type: ignore[arg-type]
    failed = await fake.slash("daily", ANNA, SCHOOL_A)
    assert failed.callback["type"] == 5
    await asyncio.sleep(0.1)
    token = failed.calls[0].path.split("/")[3]
    calls = [c for c in fake.calls if token in c.path and "/webhooks/" in c.path]
    assert [c.method for c in calls][-2:] == ["DELETE", "POST"]  # the public "thinking" message goes
    assert calls[-1].body["flags"] & EPHEMERAL and calls[-1].body["content"] == UNEXPECTED_ERROR


async def test_commands_in_a_direct_message_say_the_bot_works_in_a_server(fake: FakeDiscord, bot: StudyBot) -> None:
    reply = await fake.slash("daily", ANNA, None)
    assert_private(reply)
    assert reply.data["content"] == render.NOT_IN_SERVER


async def test_run_serves_from_settings_until_cancelled(fake: FakeDiscord, service: StudyService) -> None:
    from bot.adapters.discord import run
    from bot.config import Settings

    settings = Settings(_env_file=None, discord_token="fake-token", discord_guild_ids=f"{SCHOOL_A.id},{SCHOOL_B.id}")
    runner = asyncio.create_task(run(service, settings))
    for _ in range(200):
        if fake.connections and fake.identify:
            break
        await asyncio.sleep(0.01)
    assert set(fake.commands) == {SCHOOL_A.id, SCHOOL_B.id}
    await asyncio.sleep(0.05)  # READY and GUILD_CREATE
    assert (await fake.slash("daily", ANNA, SCHOOL_A)).buttons
    runner.cancel()
    with pytest.raises(asyncio.CancelledError):
        await runner
    await asyncio.sleep(0.05)
    assert fake.connections == 0  # the client closed its connection
