"""The text-command grammar Slack and the console share (bot.core.commands), without any chat library."""

from __future__ import annotations

import pytest

from bot.core import commands as c
from bot.core.errors import InvalidInput
from bot.core.vocabulary import Period


@pytest.mark.parametrize(
    ("line", "command"),
    [
        ("daily", c.Daily()),
        ("  DAILY  ", c.Daily()),
        ("quiz", c.Quiz()),
        ("Quiz   collectivisation ", c.Quiz(topic="collectivisation")),
        ("quiz the rivals", c.Quiz(topic="the rivals")),
        ("quiz --about trotsky", c.Quiz(figure="trotsky")),
        ("answer B", c.Answer("B")),
        ("answer   grigory zinoviev ", c.Answer("grigory zinoviev")),
        ("leaderboard", c.ShowLeaderboard(Period.WEEK)),
        ("leaderboard month", c.ShowLeaderboard(Period.MONTH)),
        ("leaderboard ALL", c.ShowLeaderboard(Period.ALL)),
        ("leaderboard monthly", c.ShowLeaderboard(Period.MONTH)),
        ("rival trotsky", c.Rival("trotsky")),
        ("explain NEP", c.Explain("NEP")),
        ("explain war communism", c.Explain("war communism")),
        ("stats", c.ShowStats("")),
        ("stats <@U123|alice>", c.ShowStats("<@U123|alice>")),
        ("forget-me", c.ForgetMe()),
        ("help", c.Help()),
        ("", c.Help()),
        (None, c.Help()),
        ("   ", c.Help()),
    ],
)
def test_commands_parse_into_their_dataclasses(line, command):
    assert c.parse_command(line) == command


def test_unknown_words_get_the_closest_command_if_one_is_close():
    assert c.parse_command("leaderbord month") == c.Unknown("leaderbord", "leaderboard")
    assert c.parse_command("forget") == c.Unknown("forget", "forget-me")
    assert c.parse_command("schedul show") == c.Unknown("schedul", "schedule")
    assert c.parse_command("dialy") == c.Unknown("dialy", "daily")
    assert c.parse_command("xyzzy") == c.Unknown("xyzzy", None)
    assert c.parse_command("Xyzzy plugh") == c.Unknown("xyzzy", None)  # the word lower-cased, the rest dropped


def test_a_front_ends_own_words_are_suggested_too():
    assert c.parse_command("usre") == c.Unknown("usre", None)
    assert c.parse_command("usre", also=("user", "quit")) == c.Unknown("usre", "user")
    assert c.parse_command("topcs") == c.Unknown("topcs", "topics")  # a command of the grammar now


@pytest.mark.parametrize(
    ("line", "usage"),
    [
        ("answer", "Try `/study answer <your answer>`."),
        ("answer    ", "Try `/study answer <your answer>`."),
        ("rival", "Try `/study rival <name>, e.g. rival Trotsky`."),
        ("explain", "Try `/study explain <name or term>`."),
        ("quiz --about", "Try `/study quiz --about <card>`."),
        ("schedule set", "Give a time: `/study schedule set 08:30 Europe/London mon-fri`."),
        ("schedule teachers promote <@U1>", "Try `/study schedule teachers add @name` (or `remove @name`)."),
        ("schedule teachers add", "Try `/study schedule teachers add @name` (or `remove @name`)."),
        (
            "topics rivals",
            "Try `/study topics` for the list, or (teachers) `/study topics taught <topic, topic ...>`, "
            "`/study topics taught all` or `/study topics taught` to see what the class has been taught so far.",
        ),
    ],
)
def test_missing_arguments_say_how_to_use_the_command(line, usage):
    with pytest.raises(InvalidInput) as raised:
        c.parse_command(line, prefix="/study ")
    assert raised.value.message == usage


def test_a_bad_period_names_the_choices_and_an_example():
    with pytest.raises(InvalidInput) as raised:
        c.parse_command("leaderboard fortnight", prefix="/study ")
    message = raised.value.message
    assert "\u201cfortnight\u201d is not a period" in message and "Choose `week`, `month` or `all`" in message
    assert message.endswith("For example: `/study leaderboard month`.")
    with pytest.raises(InvalidInput, match="For example: `leaderboard month`"):
        c.parse_command("leaderboard fortnight")  # the console's, with no prefix


@pytest.mark.parametrize(
    ("line", "command"),
    [
        ("schedule", c.ScheduleShow()),
        ("schedule show", c.ScheduleShow()),
        ("schedule SHOW", c.ScheduleShow()),
        ("schedule pause", c.SchedulePause(None)),
        ("schedule pause 2026-12-19..2027-01-04", c.SchedulePause("2026-12-19..2027-01-04")),
        ("schedule resume", c.ScheduleResume()),
        ("schedule off", c.ScheduleOff(None)),
        ("schedule off <#C8|history>", c.ScheduleOff("<#C8|history>")),
        ("schedule off #old-room", c.ScheduleOff("#old-room")),
        ("schedule list", c.ScheduleList()),
        ("schedule teachers", c.Teachers("list")),
        ("schedule teachers list", c.Teachers("list")),
        ("schedule teacher", c.Teachers("list")),
        ("schedule teachers add <@U9|ms>", c.Teachers("add", "<@U9|ms>")),
        ("schedule teachers remove <@U9>", c.Teachers("remove", "<@U9>")),
        ("schedule help", c.ScheduleHelp()),
        ("schedule now", c.ScheduleNow()),
        ("schedule skip", c.ScheduleSkip()),
        ("schedule skp", c.ScheduleHelp("skp", "skip")),
        ("topics", c.ShowTopics()),
        ("topics taught", c.Taught("")),
        ("Topics TAUGHT The rivals, NEP", c.Taught("The rivals, NEP")),
        ("topics taught all", c.Taught("all")),
        ("schedule sett 08:30", c.ScheduleHelp("sett", "set")),
        ("schedule frobnicate", c.ScheduleHelp("frobnicate", None)),
    ],
)
def test_schedule_commands(line, command):
    assert c.parse_command(line) == command


@pytest.mark.parametrize(
    ("text", "args"),
    [
        ("08:30", c.ScheduleArgs("08:30")),
        ("08:30 Europe/Paris", c.ScheduleArgs("08:30", "Europe/Paris")),
        ("8:30 mon,wed", c.ScheduleArgs("8:30", None, "mon,wed")),
        ("8:30 every day", c.ScheduleArgs("8:30", None, "every day")),
        ("7:45 pm America/New_York mon - fri", c.ScheduleArgs("7:45pm", "America/New_York", "mon - fri")),
        ("08:30 UTC weekdays", c.ScheduleArgs("08:30", "UTC", "weekdays")),
        ("08:30 topics=rivals,terror board=off", c.ScheduleArgs("08:30", None, None, "rivals,terror", "off")),
        ("08:30 Europe/London mon-fri Board=thu", c.ScheduleArgs("08:30", "Europe/London", "mon-fri", None, "thu")),
        ("08:30 leaderboard=fri topic=nep", c.ScheduleArgs("08:30", None, None, "nep", "fri")),
    ],
)
def test_schedule_set_arguments(text, args):
    assert c.parse_command(f"schedule set {text}") == c.ScheduleSet(args)
    assert c.parse_schedule_text(text, "schedule set 08:30") == args


def test_schedule_set_without_a_time_shows_the_usage_given():
    with pytest.raises(InvalidInput) as raised:
        c.parse_schedule_text("topics=rivals", "schedule set 08:30")
    assert raised.value.message == "Give a time: `schedule set 08:30`."


def test_commands_are_frozen_values():
    command = c.parse_command("quiz nep")
    with pytest.raises(AttributeError):
        command.topic = "other"  # type: ignore[misc]
    assert hash(command) == hash(c.Quiz(topic="nep"))


def test_split_word():
    assert c.split_word("  Quiz   the rivals ") == ("quiz", "the rivals")
    assert c.split_word("") == ("", "")
    assert c.split_word(None) == ("", "")


@pytest.mark.parametrize(
    ("line", "command"),
    [
        ("report", c.Report()),
        ("report month rise", c.Report("month rise")),
        (
            "report since 2026-11-02 the rivals --out my charts/rivals.png",
            c.Report("since 2026-11-02 the rivals", "my charts/rivals.png"),
        ),
        ("report --out=week.png", c.Report("", "week.png")),
        ("report topic--outside", c.Report("topic--outside")),  # only a word of its own is the option
        ("export", c.Export()),
        ("export term --out answers.csv", c.Export("term", "answers.csv")),
    ],
)
def test_report_and_export_take_the_period_topic_and_out_file(line, command):
    assert c.parse_command(line) == command


def test_out_without_a_file_shows_an_example():
    with pytest.raises(InvalidInput) as raised:
        c.parse_command("export month --out", prefix="/study ")
    assert raised.value.message == "Give a file after --out, as in `/study export month --out answers.csv`."
    assert c.parse_command("reprot") == c.Unknown("reprot", "report")
