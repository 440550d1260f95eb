"""The pure renderers, on their own: Discord's limits, escaping, and ids the buttons can be parsed from."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import discord
import pytest

from bot.adapters.discord import custom_ids, render
from bot.adapters.discord.publisher import publish_error
from bot.adapters.discord.views import PERSISTENT_ITEMS, AnswerButton, TypeAnswerButton, build_view
from bot.core.errors import UNEXPECTED_ERROR, NotFound, UnknownName
from bot.core.replies import (
    AnswerFeedback,
    AskedQuestion,
    CardSection,
    ClassGoal,
    DailyPost,
    FigureLink,
    Forgotten,
    Leaderboard,
    LeaderboardEntry,
    Option,
    QuestionRef,
    ReferenceCard,
    Reveal,
    ScheduleInfo,
    Stats,
    StreakHolder,
    TopicStats,
)
from bot.core.vocabulary import Mode, Period, QuestionKind
from tests.adapters.discord.discord_limits import command_problems, message_problems

DAILY = QuestionRef("rise-001", Mode.DAILY, dt.date(2026, 11, 27))
PRACTICE = QuestionRef("rise-001", Mode.PRACTICE)


def payload(reply: render.Reply) -> dict:
    """What discord.py would send for this reply (the view part needs a running loop)."""
    view = build_view(reply.buttons)
    return {
        "content": reply.content,
        "embeds": [reply.embed.to_dict()] if reply.embed else [],
        "components": view.to_components() if view else [],
    }


def refused(reply: render.Reply) -> list[str]:
    return message_problems(payload(reply))


def mc_card(prompt: str = "Why did the post matter?", option: str = "It let him appoint officials") -> AskedQuestion:
    options = tuple(Option(letter, f"{option} {letter}") for letter in "ABCDE")
    return AskedQuestion(DAILY, "Stalin's rise", QuestionKind.MULTIPLE_CHOICE, prompt, options)


async def test_multiple_choice_lists_options_in_the_embed_and_letters_on_buttons() -> None:
    reply = render.question(mc_card())
    assert "**A.** It let him appoint officials A" in reply.embed.description
    assert [b.label for b in reply.buttons] == list("ABCDE")
    assert [b.custom_id for b in reply.buttons][1] == "ans|d:2026-11-27:rise-001|B"
    assert "Question of the day" in reply.embed.title
    assert refused(reply) == []
    view = build_view(reply.buttons)
    assert all(isinstance(item, AnswerButton) for item in view.children)  # persistent, nothing per message


async def test_true_false_and_short_answer_buttons() -> None:
    tf = render.question(
        AskedQuestion(
            PRACTICE,
            "Rivals",
            QuestionKind.TRUE_FALSE,
            "Trotsky was expelled in 1927.",
            (Option("True", "True"), Option("False", "False")),
        )
    )
    assert [(b.label, b.custom_id) for b in tf.buttons] == [
        ("True", "ans|p::rise-001|True"),
        ("False", "ans|p::rise-001|False"),
    ]
    assert "no leaderboard points" in tf.embed.footer.text
    short = render.question(AskedQuestion(DAILY, "Rivals", QuestionKind.SHORT_ANSWER, "Which rival chaired Leningrad?"))
    assert [(b.label, b.custom_id) for b in short.buttons] == [("Type your answer", "typed|d:2026-11-27:rise-001")]
    assert isinstance(build_view(short.buttons).children[0], TypeAnswerButton)


async def test_overlong_content_is_cut_to_discords_limits() -> None:
    reply = render.question(mc_card(prompt="P" * 5000, option="O" * 1500))
    assert len(reply.embed.description) == 4096 and reply.embed.description.endswith("\u2026")
    assert refused(reply) == []

    sections = tuple(CardSection(f"Heading {i} " + "h" * 300, "x" * 2000) for i in range(40))
    card = render.reference(
        ReferenceCard("trotsky", "figure", "T" * 300, "s" * 5000, sections, ("Bronstein",) * 500, True)
    )
    assert len(card.embed.fields) <= 25 and len(card.embed) <= 6000
    assert all(len(f.value) <= 1024 and len(f.name) <= 256 for f in card.embed.fields)
    assert refused(card) == []


async def test_student_text_cannot_ping_or_format() -> None:
    result = AnswerFeedback(
        DAILY, False, "@everyone **shout** <@330000000000000001>", "A) The Secretariat", "Because.", 0, 1, 0
    )
    reply = render.feedback(result)
    given = reply.embed.fields[0].value
    assert "@everyone" not in given and "**" not in given and "<@330000000000000001>" not in given
    board = render.leaderboard(
        Leaderboard(Period.WEEK, "week of 23 Nov 2026", (LeaderboardEntry(1, "__Anna__ @here", 12),), None, 1)
    )
    assert "@here" not in board.embed.description and "\\_\\_Anna" in board.embed.description


async def test_feedback_shows_points_streak_and_a_card_button() -> None:
    right = AnswerFeedback(
        DAILY,
        True,
        "B) x",
        "B) x",
        "The Secretariat ran appointments.",
        12,
        3,
        40,
        figure=FigureLink("stalin", "Joseph Stalin"),
    )
    reply = render.feedback(right)
    fields = {f.name: f.value for f in reply.embed.fields}
    assert fields["Points"] == "+12 (total 40)" and fields["Streak"] == "3 days"
    assert [(b.label, b.custom_id) for b in reply.buttons] == [
        ("Card: Joseph Stalin", "card|stalin"),
        ("I guessed", "rate|g|rise-001"),
        ("Too easy", "rate|e|rise-001"),
    ]
    wrong = render.feedback(dataclasses.replace(right, correct=False))
    assert [b.custom_id for b in wrong.buttons] == ["card|stalin"]  # nothing to rate after a wrong answer
    repeated = render.feedback(
        AnswerFeedback(
            DAILY, True, "B) x", "B) x", "e", 0, 3, 40, repeated=True, note="You've already answered today's question."
        )
    )
    assert {f.name: f.value for f in repeated.embed.fields}["Points"] == "no new points (total 40)"
    assert "already answered" in repeated.embed.footer.text


def test_leaderboard_lines_and_the_callers_rank() -> None:
    entries = tuple(LeaderboardEntry(i, f"Student {i}", 100 - i, is_caller=i == 2) for i in range(1, 11))
    reply = render.leaderboard(Leaderboard(Period.MONTH, "November 2026", entries, entries[1], 14))
    lines = reply.embed.description.splitlines()
    assert len(lines) == 10 and lines[1] == "**2.** Student 2 \u2014 98 pts \u2190 you"
    assert reply.embed.footer.text == "You are #2 of 14 with 98 pts. \u00b7 Name, pseudonym or hidden: /privacy"
    empty = render.leaderboard(Leaderboard(Period.ALL, "all time", (), None, 0))
    assert "No points yet" in empty.embed.description and "no points" in empty.embed.footer.text


def test_stats_per_topic_fields_stay_within_25() -> None:
    topics = tuple(TopicStats(f"Topic {i}", 4, 3) for i in range(30))
    reply = render.stats(Stats("Anna", 120, 90, 100, 20, 300, 4, 9, topics))
    assert "75% (90 of 120 correct)" in reply.embed.description and "best 9" in reply.embed.description
    assert len(reply.embed.fields) == 25 and reply.embed.fields[-1].name == "6 more topics"
    assert "No answers yet" in render.stats(Stats("Anna", 0, 0, 0, 0, 0, 0, 0)).embed.description


def test_forget_replies() -> None:
    prompt = render.forget_prompt("School *A*")
    assert "School \\*A\\*" in prompt.content
    assert [b.custom_id for b in prompt.buttons] == ["forget|yes", "forget|no"]
    assert "deleted 3 answers" in render.forgotten(Forgotten(3, True)).content
    assert "nothing stored" in render.forgotten(Forgotten(0, False)).content


def test_errors_become_one_friendly_message() -> None:
    assert render.error(RuntimeError("secret path /var/db")).content == UNEXPECTED_ERROR
    assert render.error(NotFound("That question is gone.")).content == "That question is gone."
    unknown = render.error(UnknownName("Kam", ("Lev Kamenev", "Kamenev", "Lev Kamenev", "x" * 120)))
    assert "Did you mean" in unknown.content
    assert [b.custom_id for b in unknown.buttons] == [
        "card|Lev Kamenev",
        "card|Kamenev",
    ]  # deduplicated, too long dropped


def test_custom_ids_round_trip_through_the_templates_and_refuse_what_cannot_fit() -> None:
    templates = {item.__name__: item.__discord_ui_compiled_template__ for item in PERSISTENT_ITEMS}
    match = re.fullmatch(templates["AnswerButton"], custom_ids.answer(DAILY, "True"))
    assert QuestionRef.decode(match["ref"]) == DAILY and match["answer"] == "True"
    assert re.fullmatch(templates["CardButton"], custom_ids.card("Lev Kamenev"))["query"] == "Lev Kamenev"
    for custom_id in (custom_ids.typed(DAILY), custom_ids.quiz("trotsky"), custom_ids.forget(True)):
        assert sum(bool(t.fullmatch(custom_id)) for t in templates.values()) == 1
    with pytest.raises(ValueError):
        custom_ids.answer(QuestionRef("q" * 100, Mode.PRACTICE), "A")
    with pytest.raises(ValueError):
        custom_ids.answer(QuestionRef("a|b", Mode.PRACTICE), "A")


def test_the_limit_checker_itself_catches_what_discord_refuses() -> None:
    button = {"type": 2, "style": 1, "label": "L" * 81, "custom_id": "c" * 101}
    problems = message_problems(
        {
            "content": "x" * 2001,
            "components": [{"type": 1, "components": [button] * 6}] * 6,
            "embeds": [{"title": "t" * 257, "fields": [{"name": "n", "value": "v" * 1025}] * 26}],
        }
    )
    for expected in (
        "content is 2001",
        "title is 257",
        "value is 1025",
        "over 25 fields",
        "over 5 action rows",
        "over 5 buttons",
        "label is 81",
        "custom_id is 101",
        "duplicate custom_id",
    ):
        assert any(expected in p for p in problems), expected
    assert command_problems({"name": "Daily", "description": "d" * 101}) == [
        "bad name 'Daily'",
        "Daily: description length 101",
    ]


# ---------------------------------------------------------------- scheduled posts and schedules


def post_payloads(post: DailyPost) -> list[dict]:
    payloads = []
    for message in render.daily_post(post):
        view = build_view(message.buttons)
        payloads.append(
            {"embeds": [e.to_dict() for e in message.embeds], "components": view.to_components() if view else []}
        )
    return payloads


async def test_a_scheduled_post_puts_the_reveal_above_the_question_within_one_messages_limits() -> None:
    reveal = Reveal(
        dt.date(2026, 11, 26),
        "R" * 3000,
        "C) " + "c" * 2000,
        "E" * 5000,
        7,
        3,
        (StreakHolder("**Anna** @everyone", 4), StreakHolder("Boris", 2)),
    )
    board = Leaderboard(Period.WEEK, "week of 23 Nov 2026", (LeaderboardEntry(1, "Anna", 21),), None, 1)
    first, second = post_payloads(DailyPost(mc_card(prompt="P" * 5000, option="O" * 1500), reveal, board))
    assert message_problems(first) == [] and message_problems(second) == []
    result, question = first["embeds"]
    assert result["title"] == "Yesterday's question \u00b7 Thursday 26 November"
    fields = {f["name"]: f["value"] for f in result["fields"]}
    assert fields["How the class did"] == "7 answered, 43% correct"
    assert "@everyone" not in fields["\U0001f525 Top streaks"] and "(4 days)" in fields["\U0001f525 Top streaks"]
    assert question["title"].startswith("Question of the day") and len(first["components"][0]["components"]) == 5
    footer = second["embeds"][0]["footer"]["text"]
    assert footer == "Answer the daily question to climb the board. \u00b7 Name, pseudonym or hidden: /privacy"

    after_a_weekend = Reveal(dt.date(2026, 11, 20), "Q?", "True", "Because.", 0, 0)
    [only] = post_payloads(DailyPost(mc_card(), after_a_weekend))
    result = only["embeds"][0]
    assert result["title"] == "The last question \u00b7 Friday 20 November"
    assert result["fields"] == [{"name": "How the class did", "value": "Nobody answered it.", "inline": True}]
    [bare] = post_payloads(DailyPost(mc_card()))
    assert len(bare["embeds"]) == 1


async def test_the_class_goal_comes_first_and_the_post_still_fits() -> None:
    reveal = Reveal(dt.date(2026, 11, 26), "R" * 3000, "C) " + "c" * 2000, "E" * 5000, 7, 3)
    board = Leaderboard(Period.WEEK, "week of 23 Nov 2026", (LeaderboardEntry(1, "Anna", 21),), None, 1)
    card = mc_card(prompt="P" * 5000, option="O" * 1500)
    first, _ = post_payloads(DailyPost(card, reveal, board, goal=ClassGoal(70, 25, 16)))
    assert message_problems(first) == []
    goal, result, question = first["embeds"]
    assert goal["description"].startswith("Class goal: 64% of this week's 25 daily answers right \u00b7 goal 70%")
    assert result["title"].startswith("Yesterday's") and question["title"].startswith("Question of the day")

    [reached] = post_payloads(DailyPost(mc_card(), goal=ClassGoal(60, 5, 4)))
    assert (
        reached["embeds"][0]["title"] == "Class goal reached!"
        and "goal reached!" in reached["embeds"][0]["description"]
    )
    [share] = post_payloads(DailyPost(mc_card(), goal=ClassGoal(None, 1, 1)))
    assert share["embeds"][0]["description"] == "Class: 100% of this week's 1 daily answer right."
    [bare] = post_payloads(DailyPost(mc_card(), goal=ClassGoal(None, 0, 0)))  # no goal, no answers: nothing to say
    assert len(bare["embeds"]) == 1


def schedule_info(**changes: object) -> ScheduleInfo:
    base = ScheduleInfo(
        "1",
        "history_9b",
        dt.time(8, 30),
        "Europe/London",
        "Monday to Friday",
        (),
        False,
        (),
        "Friday",
        dt.datetime(2026, 11, 30, 8, 30, tzinfo=dt.UTC),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_schedule_shows_the_next_post_in_local_time_and_as_a_discord_timestamp() -> None:
    reply = render.schedule(schedule_info(), heading="Saved.")
    assert reply.content == "Saved." and reply.embed.title == "Daily question schedule \u00b7 #history\\_9b"
    assert (
        "**Next post:** Monday 30 November, 08:30 (Europe/London) \u00b7 <t:1796027400:F>, <t:1796027400:R>"
        in reply.embed.description
    )
    assert "**Topics:** all" in reply.embed.description and "**Weekly leaderboard:** Fridays" in reply.embed.description

    paused = render.schedule(
        schedule_info(
            paused=True,
            pauses=((dt.date(2026, 12, 19), dt.date(2027, 1, 4)),),
            weekly_leaderboard=None,
            topics=("Stalin's rise",),
        )
    )
    text = paused.embed.description
    assert "Next post" not in text and "`/schedule resume`" in text and "**Weekly leaderboard:** off" in text
    assert "**Pause:** Saturday 19 December 2026 \u2013 Monday 4 January 2027" in text

    failing = render.schedule(
        schedule_info(last_error="2026-11-27 08:31 UTC: " + "x" * 3000), warning="Give me Send Messages."
    )
    assert failing.embed.colour == render.RED
    names = [f.name for f in failing.embed.fields]
    assert names == ["\u26a0\ufe0f The last post failed", "\u26a0\ufe0f Before the first post"]
    assert refused(failing) == []
    assert render.schedule(schedule_info(), warning="").embed.fields == []
    missing = ScheduleInfo("1", "", dt.time(0), "", "", (), False, (), None, None, None, exists=False)
    assert render.schedule(missing).content == render.NO_SCHEDULE
    gone = render.schedule(dataclasses.replace(missing, failing_elsewhere=("#old-room: Unknown Channel",) * 40))
    assert gone.content.startswith(render.NO_SCHEDULE) and "#old-room: Unknown Channel" in gone.content
    assert refused(gone) == []
    elsewhere = render.schedule(schedule_info(failing_elsewhere=("#old-room: Unknown Channel",)))
    assert [f.name for f in elsewhere.embed.fields] == ["Other channels failing"]


def test_a_server_wide_schedule_list_fits_one_embed_and_says_how_many_are_left_out() -> None:
    many = [
        schedule_info(channel_id=str(10**17 + n), last_error="Unknown Channel" if n % 9 == 0 else None)
        for n in range(2000)
    ]
    reply = render.schedule_list(many)
    assert refused(reply) == [] and reply.embed.title == "Daily question schedules (2000)"
    assert (
        reply.embed.colour == render.RED
        and "\u26a0\ufe0f #history\\_9b: last post failed: Unknown Channel" in reply.embed.description
    )
    last_line = reply.embed.description.splitlines()[-1]
    shown = reply.embed.description.count("<#")
    assert last_line == f"\u2026 and {2000 - shown} more" and shown > 20
    assert "No channel in this server" in render.schedule_list([]).content


class _Response:
    def __init__(self, status: int, reason: str = "") -> None:
        self.status, self.reason = status, reason


def test_discord_errors_become_permanent_or_retried_publish_errors() -> None:
    def error(kind: type[discord.HTTPException], status: int, code: int, message: str) -> discord.HTTPException:
        return kind(_Response(status), {"code": code, "message": message})  # type: ignore[arg-type]

    cases = [
        (error(discord.NotFound, 404, 10003, "Unknown Channel"), True, "no longer exists"),
        (error(discord.Forbidden, 403, 50001, "Missing Access"), True, "can't see this channel"),
        (error(discord.Forbidden, 403, 50013, "Missing Permissions"), True, "Send Messages and Embed Links"),
        (error(discord.Forbidden, 403, 40001, "Unauthorized"), True, "403 Unauthorized"),
        (error(discord.DiscordServerError, 503, 0, "Service Unavailable"), False, "503 Service Unavailable"),
        (error(discord.HTTPException, 429, 0, "You are being rate limited."), False, "429"),
        (discord.RateLimited(120.0), False, "rate limit"),
        (TimeoutError(), False, "Could not reach Discord"),
    ]
    for exc, permanent, words in cases:
        mapped = publish_error(exc)
        assert (mapped.permanent, words in str(mapped)) == (permanent, True), (exc, str(mapped))
