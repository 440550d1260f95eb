"""The pure renderers and the manifest: Block Kit limits, escaping, and what each reply shows."""

from __future__ import annotations

import datetime as dt

import yaml

from bot.adapters.slack import ids, manifest_text, render
from bot.adapters.slack.listeners.actors import actor_from
from bot.core.actor import Platform
from bot.core.errors import UNEXPECTED_ERROR, InvalidInput, UnknownName
from bot.core.replies import (
    AnswerFeedback,
    AskedQuestion,
    CardSection,
    DailyPost,
    FigureLink,
    Leaderboard,
    LeaderboardEntry,
    Option,
    QuestionRef,
    ReferenceCard,
    Reveal,
    ScheduleInfo,
    Stats,
    StreakHolder,
)
from bot.core.vocabulary import Mode, Period, QuestionKind
from tests.adapters.slack.fake_slack import all_text, buttons, check_message, check_view

DAILY = QuestionRef("ps-001", Mode.DAILY, dt.date(2026, 11, 27))
LONG = "word " * 1200  # 6,000 characters


def test_long_question_options_and_prompt_stay_within_block_kit_limits():
    options = tuple(Option(letter, LONG) for letter in "ABCDE")
    message = render.question(AskedQuestion(DAILY, "Topic " * 50, QuestionKind.MULTIPLE_CHOICE, LONG, options))
    assert check_message(message) == []
    assert [b["value"] for b in buttons(message)] == [f"d:2026-11-27:ps-001|{letter}" for letter in "ABCDE"]
    assert [ids.parse_answer_value(b["value"]) for b in buttons(message)][1] == (DAILY, "B")


def test_short_answer_question_offers_the_modal_and_the_command():
    card = AskedQuestion(DAILY, "Rivals", QuestionKind.SHORT_ANSWER, "Who chaired the Leningrad Soviet?")
    message = render.question(card)
    (open_button,) = buttons(message)
    assert open_button["action_id"] == ids.OPEN_MODAL_ACTION
    assert ids.parse_modal_value(open_button["value"]) == (DAILY, "Who chaired the Leningrad Soviet?")
    assert "/study answer" in all_text(message)
    view = render.answer_modal(LONG, DAILY, response_url="https://hooks.slack.com/x", channel_id="C1")
    assert check_view(view) == []
    assert ids.parse_modal_metadata(view["private_metadata"]) == (DAILY, "https://hooks.slack.com/x", "C1")


def test_true_false_buttons_and_already_answered_note():
    options = (Option("True", "True"), Option("False", "False"))
    message = render.question(
        AskedQuestion(DAILY, "Rivals", QuestionKind.TRUE_FALSE, "Claim.", options, already_answered=True)
    )
    assert [b["text"]["text"] for b in buttons(message)] == ["True", "False"]
    assert "already answered today's question" in all_text(message)


def feedback(**changes) -> AnswerFeedback:
    values = dict(
        ref=DAILY,
        correct=False,
        given="B) 1923",
        correct_answer="A) 1922",
        explanation="Because.",
        points=0,
        streak=0,
        total_points=10,
        figure=FigureLink("stalin", "Joseph Stalin"),
    )
    return AnswerFeedback(**(values | changes))


def test_feedback_shows_verdict_answer_explanation_points_streak_and_card_button():
    text = all_text(render.feedback(feedback()))
    assert "Not quite" in text and "Correct answer: *A) 1922*" in text and "Because." in text
    assert "+0 points \u00b7 streak 0 \u00b7 total 10 points" in text
    right = render.feedback(feedback(correct=True, points=12, streak=3, total_points=22))
    assert "+12 points \u00b7 streak 3" in all_text(right) and "Correct answer" not in all_text(right)
    assert [(b["text"]["text"], b["value"]) for b in buttons(right)] == [
        ("Show card: Joseph Stalin", "stalin"),
        ("I guessed", "ps-001"),
        ("Too easy", "ps-001"),
    ]
    assert [b["text"]["text"] for b in buttons(render.feedback(feedback()))] == ["Show card: Joseph Stalin"]


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
    assert buttons(message)[0]["action_id"] == ids.QUIZ_FIGURE_ACTION


def test_stats_and_errors():
    stats = Stats("alice", 4, 3, 2, 2, 25, 2, 5)
    assert "*Correct*\n3 (75%)" in all_text(render.stats(stats))
    unknown = render.error(UnknownName("Kam" * 100, ("Lev Kamenev", "Kirov")))
    assert [b["value"] for b in buttons(unknown)] == ["Lev Kamenev", "Kirov"]
    assert "Kam" * 30 not in all_text(unknown)
    assert all_text(render.error(InvalidInput("Answer <True> or False."))).startswith("Answer &lt;True&gt;")
    assert render.error(None)["text"] == UNEXPECTED_ERROR


def test_parsing_actors():  # the text grammar's own tests are in tests/unit/test_commands.py
    command = {"team_id": "T1", "user_id": "U1", "user_name": "alice", "team_domain": "school"}
    assert actor_from(command).community_id == "T1" and actor_from(command).display_name == "alice"
    click = {"user": {"id": "U2", "username": "bob", "team_id": "T2"}, "team": {"id": "T2", "domain": "d"}}
    actor = actor_from(click)
    assert (actor.platform, actor.community_id, actor.user_id, actor.display_name) == (
        Platform.SLACK,
        "T2",
        "U2",
        "bob",
    )
    org = {"user": {"id": "U3", "name": "cy"}, "team": None, "enterprise": {"id": "E1"}}
    assert actor_from(org).community_id == "enterprise:E1"


def test_manifest_ships_the_command_scopes_and_socket_mode():
    manifest = yaml.safe_load(manifest_text())
    (command,) = manifest["features"]["slash_commands"]
    assert command["command"] == "/study"
    assert {"commands", "chat:write", "chat:write.public", "users:read", "channels:history", "groups:history"} <= set(
        manifest["oauth_config"]["scopes"]["bot"]
    )
    assert command["should_escape"] is True  # so @mentions arrive as <@U123|name>
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert "url" not in command

    http = yaml.safe_load(manifest_text("https://study.example.org/"))
    assert http["features"]["slash_commands"][0]["url"] == "https://study.example.org/slack/events"
    assert http["settings"]["interactivity"]["request_url"] == "https://study.example.org/slack/events"
    assert http["settings"]["socket_mode_enabled"] is False


# ---------------------------------------------------------------------- scheduled posts and schedules


def test_daily_post_reveals_yesterday_then_asks_and_names_only_streak_holders():
    options = (Option("A", "1922"), Option("B", "1924"))
    card = AskedQuestion(DAILY, "Rivals", QuestionKind.MULTIPLE_CHOICE, "When?", options)
    reveal = Reveal(
        dt.date(2026, 11, 26),
        LONG,
        "A) 3 April 1922",
        LONG,
        3,
        2,
        (StreakHolder("<!channel>", 4), StreakHolder("bea", 2)),
    )
    board = Leaderboard(Period.WEEK, "week of 23 Nov 2026", (LeaderboardEntry(1, "<@U1>", 30),), None, 5)
    post, weekly = render.daily_post(DailyPost(card, reveal, board))
    assert check_message(post) == [] and check_message(weekly) == []
    text = all_text(post)
    assert "*The last question* \u00b7 Thursday 26 November" in text and "*Answer:* A) 3 April 1922" in text
    assert "3 answered \u00b7 67% correct" in text and "Top streaks: &lt;!channel&gt; (4 days), bea (2 days)" in text
    assert "<!" not in text
    blocks = all_text({"blocks": post["blocks"]})
    assert blocks.index("Answer:") < blocks.index("*When?*")  # the reveal first, then today's question
    assert [b["value"] for b in buttons(post)] == ["d:2026-11-27:ps-001|A", "d:2026-11-27:ps-001|B"]
    assert post["text"].startswith("Daily question: When?")
    board_text = all_text(weekly)
    assert "This week's leaderboard \u00b7 week of 23 Nov 2026" in board_text and "&lt;@U1&gt;" in board_text
    assert "Your rank" not in board_text and "You have no points" not in board_text

    quiet = Reveal(dt.date(2026, 11, 26), "Who?", "Zinoviev", "", 0, 0)
    empty_board = Leaderboard(Period.WEEK, "week of 23 Nov 2026", (), None, 0)
    (only,) = render.daily_post(DailyPost(card, quiet, empty_board))  # an empty board is not posted
    assert "Nobody answered it." in all_text(only)
    (first_day,) = render.daily_post(DailyPost(card))
    assert "The last question" not in all_text(first_day)


def schedule_info(**changes) -> ScheduleInfo:
    zone = dt.timezone(dt.timedelta(hours=-5))
    values = {
        "channel_id": "C7",
        "channel_name": "history",
        "time_of_day": dt.time(7, 45),
        "timezone": "America/New_York",
        "days": "Mon, Wed, Fri",
        "pauses": ((dt.date(2026, 12, 21), dt.date(2027, 1, 4)),),
        "paused": False,
        "topics": ("The rivals",),
        "weekly_leaderboard": "Friday",
        "next_post": dt.datetime(2026, 11, 30, 7, 45, tzinfo=zone),
        "last_error": None,
    }
    return ScheduleInfo(**(values | changes))


def test_schedule_shows_when_the_next_post_goes_out_and_the_last_error():
    message = render.schedule(schedule_info(), "Schedule saved.")
    text = all_text(message)
    assert check_message(message) == []
    assert "*Schedule saved.*" in text and "<#C7> at *07:45* (America/New_York), Mon, Wed, Fri." in text
    assert "Next post: *Monday 30 November at 07:45* (America/New_York)." in text
    assert "Topics: The rivals." in text and "posted on Fridays" in text
    assert "Paused Monday 21 December 2026 to Monday 4 January 2027." in text
    assert "failed" not in text

    failing = all_text(
        render.schedule(schedule_info(last_error="2026-11-27 08:01 UTC: not_in_channel: <invite> me" + "x" * 900))
    )
    assert ":warning: *The last post failed:* 2026-11-27 08:01 UTC: not_in_channel: &lt;invite&gt; me" in failing
    assert "x" * 600 not in failing
    held = all_text(render.schedule(schedule_info(paused=True)))
    assert "*Paused* until a teacher runs `/study schedule resume`" in held and "Next post" not in held
    stuck = all_text(render.schedule(schedule_info(next_post=None, weekly_leaderboard=None)))
    assert "No post is coming up" in stuck and "No weekly leaderboard post." in stuck
    none = render.schedule(schedule_info(exists=False), "Schedule removed.")
    assert "no daily-question schedule in this channel" in all_text(none) and check_message(none) == []
    gone = render.schedule(schedule_info(exists=False, failing_elsewhere=("#old-room: channel_not_found <x>",) * 20))
    assert "Another channel is failing: #old-room: channel_not_found &lt;x&gt;" in all_text(gone)
    assert check_message(gone) == []
    elsewhere = render.schedule(schedule_info(failing_elsewhere=("#old-room: channel_not_found",)))
    assert ":warning: *Other channels failing:*\n#old-room: channel_not_found" in all_text(elsewhere)


def test_a_workspace_wide_schedule_list_stays_within_block_kit_limits():
    many = [
        schedule_info(channel_id=f"C{n:05d}", last_error="channel_not_found <gone>" if n % 7 == 0 else None)
        for n in range(2000)
    ]
    message = render.schedule_list(many)
    text = all_text(message)
    assert check_message(message) == []
    assert "Daily-question schedules (2000)" in text and "<#C00001> *07:45* (America/New_York)" in text
    assert ":warning: #history: last post failed: channel_not_found &lt;gone&gt;" in text
    assert "schedule set|pause|resume|off" in text  # the closing hint survives the cut
    assert "No channel here has" in all_text(render.schedule_list([]))


def test_named_teachers_are_mentioned_only_by_a_real_user_id():
    text = all_text(render.teachers(["UTEACH", "W0ENTERPRISE", "<!channel>"]))
    assert "<@UTEACH>, <@W0ENTERPRISE>." in text and "<!channel>" not in text
    assert "No teachers are named yet" in all_text(render.teachers([]))


def test_forget_me_asks_first_and_teacher_changes_mention_the_teacher():
    confirm = render.forget_confirm()
    assert [(b["text"]["text"], b["action_id"], b.get("style")) for b in buttons(confirm)] == [
        ("Yes, delete my data", ids.FORGET_CONFIRM_ACTION, "danger"),
        ("Cancel", ids.FORGET_CANCEL_ACTION, None),
    ]
    assert render.teacher_changed("U9", added=True)["text"].startswith("<@U9> is now a teacher")
