"""The pure renderers and the manifest: Block Kit limits, escaping, and what each reply shows."""

from __future__ import annotations

import datetime as dt

import yaml

from bot.adapters.slack import manifest_text, render
from bot.adapters.slack.listeners import actor_from, closest_subcommand, split_command
from bot.core.actor import Platform
from bot.core.errors import InvalidInput, UnknownName
from bot.core.replies import (
    AnswerFeedback,
    CardSection,
    FigureLink,
    Leaderboard,
    LeaderboardEntry,
    Mode,
    Option,
    Period,
    QuestionCard,
    QuestionKind,
    QuestionRef,
    ReferenceCard,
    Stats,
)

from .fake_slack import all_text, buttons, check_message, check_view

DAILY = QuestionRef("ps-001", Mode.DAILY, dt.date(2026, 11, 27))
LONG = "word " * 1200  # 6,000 characters


def test_long_question_options_and_prompt_stay_within_block_kit_limits():
    options = tuple(Option(letter, LONG) for letter in "ABCDE")
    message = render.question(QuestionCard(DAILY, "Topic " * 50, QuestionKind.MULTIPLE_CHOICE, LONG, options))
    assert check_message(message) == []
    assert [b["value"] for b in buttons(message)] == [f"d:2026-11-27:ps-001|{letter}" for letter in "ABCDE"]
    assert [render.parse_answer_value(b["value"]) for b in buttons(message)][1] == (DAILY, "B")


def test_short_answer_question_offers_the_modal_and_the_command():
    card = QuestionCard(DAILY, "Rivals", QuestionKind.SHORT_ANSWER, "Who chaired the Leningrad Soviet?")
    message = render.question(card)
    (open_button,) = buttons(message)
    assert open_button["action_id"] == render.OPEN_MODAL_ACTION
    assert render.parse_modal_value(open_button["value"]) == (DAILY, "Who chaired the Leningrad Soviet?")
    assert "/study answer" in all_text(message)
    view = render.answer_modal(LONG, DAILY, response_url="https://hooks.slack.com/x", channel_id="C1")
    assert check_view(view) == []
    assert render.parse_modal_metadata(view["private_metadata"]) == (DAILY, "https://hooks.slack.com/x", "C1")


def test_true_false_buttons_and_already_answered_note():
    options = (Option("True", "True"), Option("False", "False"))
    message = render.question(QuestionCard(DAILY, "Rivals", QuestionKind.TRUE_FALSE, "Claim.", options, already_answered=True))
    assert [b["text"]["text"] for b in buttons(message)] == ["True", "False"]
    assert "already answered today's question" in all_text(message)


def feedback(**changes) -> AnswerFeedback:
    values = dict(
        ref=DAILY, correct=False, given="B) 1923", correct_answer="A) 1922", explanation="Because.", points=0,
        streak=0, total_points=10, figure=FigureLink("stalin", "Joseph Stalin"),
    )
    return AnswerFeedback(**(values | changes))


def test_feedback_shows_verdict_answer_explanation_points_streak_and_card_button():
    text = all_text(render.feedback(feedback()))
    assert "Not quite" in text and "Correct answer: *A) 1922*" in text and "Because." in text
    assert "+0 points \u00b7 streak 0 \u00b7 total 10 points" in text
    right = render.feedback(feedback(correct=True, points=12, streak=3, total_points=22))
    assert "+12 points \u00b7 streak 3" in all_text(right) and "Correct answer" not in all_text(right)
    assert [(b["text"]["text"], b["value"]) for b in buttons(right)] == [("Show card: Joseph Stalin", "stalin")]


def test_repeated_feedback_says_so_and_shows_no_points():
    text = all_text(render.feedback(feedback(correct=True, repeated=True, note="First answer stands.")))
    assert "already answered" in text and "First answer stands." in text and "+0" not in text


def test_echoed_answers_are_escaped_and_cut_short():
    message = render.feedback(feedback(given="<!channel> " + "y" * 5000))
    text = all_text(message)
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text and "y" * 300 not in text
    assert check_message(message) == []


def test_leaderboard_is_plain_names_with_the_callers_rank():
    entries = tuple(LeaderboardEntry(i, f"<@U{i}> " + "n" * 200, 100 - i, is_caller=i == 2) for i in range(1, 11))
    board = Leaderboard(Period.WEEK, "week of 23 Nov 2026", entries, entries[1], 14)
    message = render.leaderboard(board)
    text = all_text(message)
    assert "<@" not in text and "&lt;@U1&gt;" in text
    assert "*2. &lt;@U2&gt;" in text and "Your rank: *2* of 14 with 98 points." in text
    assert check_message(message) == []
    empty = all_text(render.leaderboard(Leaderboard(Period.ALL, "all time", (), None, 0)))
    assert "No points yet" in empty and "You have no points in this period yet" in empty


def test_big_card_fits_in_fifty_blocks_and_keeps_its_button():
    sections = tuple(CardSection(f"Heading {i}", LONG) for i in range(80))
    card = ReferenceCard("trotsky", "figure", "Leon Trotsky " * 20, LONG, sections, ("Bronstein",), has_questions=True)
    message = render.reference_card(card)
    assert check_message(message) == []
    assert len(message["blocks"]) == render.MAX_BLOCKS and message["blocks"][-1]["type"] == "actions"
    assert buttons(message)[0]["action_id"] == render.QUIZ_FIGURE_ACTION


def test_stats_and_errors():
    stats = Stats("alice", 4, 3, 2, 2, 25, 2, 5)
    assert "*Correct*\n3 (75%)" in all_text(render.stats(stats))
    unknown = render.error(UnknownName("Kam" * 100, ("Lev Kamenev", "Kirov")))
    assert [b["value"] for b in buttons(unknown)] == ["Lev Kamenev", "Kirov"]
    assert "Kam" * 30 not in all_text(unknown)
    assert all_text(render.error(InvalidInput("Answer <True> or False."))).startswith("Answer &lt;True&gt;")
    assert render.error(None)["text"] == render.GENERIC_ERROR


def test_parsing_commands_and_actors():
    assert split_command("  Quiz   the rivals ") == ("quiz", "the rivals")
    assert split_command("") == ("help", "")
    assert closest_subcommand("leaderbord") == "leaderboard"
    assert closest_subcommand("forget") == "forget-me"
    assert closest_subcommand("xyzzy") is None
    command = {"team_id": "T1", "user_id": "U1", "user_name": "alice", "team_domain": "school"}
    assert actor_from(command).community_id == "T1" and actor_from(command).display_name == "alice"
    click = {"user": {"id": "U2", "username": "bob", "team_id": "T2"}, "team": {"id": "T2", "domain": "d"}}
    actor = actor_from(click)
    assert (actor.platform, actor.community_id, actor.user_id, actor.display_name) == (Platform.SLACK, "T2", "U2", "bob")
    org = {"user": {"id": "U3", "name": "cy"}, "team": None, "enterprise": {"id": "E1"}}
    assert actor_from(org).community_id == "enterprise:E1"


def test_manifest_ships_the_command_scopes_and_socket_mode():
    manifest = yaml.safe_load(manifest_text())
    (command,) = manifest["features"]["slash_commands"]
    assert command["command"] == "/study"
    assert {"commands", "chat:write"} <= set(manifest["oauth_config"]["scopes"]["bot"])
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert "url" not in command

    http = yaml.safe_load(manifest_text("https://study.example.org/"))
    assert http["features"]["slash_commands"][0]["url"] == "https://study.example.org/slack/events"
    assert http["settings"]["interactivity"]["request_url"] == "https://study.example.org/slack/events"
    assert http["settings"]["socket_mode_enabled"] is False
