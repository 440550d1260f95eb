"""Private by default, over the wire: `/study privacy ...` through bolt, and what the class then sees of a
pseudonymous or hidden student on the leaderboard, the weekly board and the reveal the scheduler posts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml

from bot.adapters.slack import manifest_text, render
from bot.core.actor import Actor, Platform
from bot.core.replies import PrivacySettings
from tests.adapters.slack.fake_slack import all_text, check_message
from tests.adapters.slack.helpers import answer_post, board_rows, correct_text

ADMIN = {"user": "UADMIN", "name": "mr_admin"}
TEACHER = {"user": "UTEACH", "name": "ms_teach"}
ALICE = {"user": "U1", "name": "alice"}
BOB = {"user": "U2", "name": "bob"}
CAROL = {"user": "U3", "name": "carol"}
PSEUDONYM = re.compile(r"Your pseudonym: \*([^*]+)\*")


@pytest.fixture
def directory(fake_slack):
    fake_slack.users.update({"UADMIN": {"is_admin": True}, "UTEACH": {}, "U1": {}, "U2": {}, "U3": {}})
    return fake_slack.users


def pseudonym_in(reply: dict) -> str:
    match = PSEUDONYM.search(all_text(reply))
    assert match, all_text(reply)
    return match.group(1)


async def score(slack, service, who: dict, team: str = "T1") -> None:
    """Today's daily question, answered right."""
    question = await slack.ask("daily", team=team, **who)
    assert "Correct!" in all_text(await slack.ask(f"answer {correct_text(service, question)}", team=team, **who))


def slack_actor(user: str, name: str, team: str = "T1") -> Actor:
    return Actor(Platform.SLACK, community_id=team, user_id=user, display_name=name)


# ---------------------------------------------------------------------- the command


async def test_privacy_round_trip_show_choose_and_a_new_name_once_a_week(slack, fake_slack, clock, directory):
    shown = await slack.ask("privacy", **ALICE)
    assert shown["response_type"] == "ephemeral"
    text = all_text(shown)
    assert "How the class sees you" in text and "under your own name, *alice*" in text  # the fixtures' classes
    assert "You have not chosen, so the class's default applies: your own name." in text
    first = pseudonym_in(shown)
    assert "/study privacy hidden" in text and "/study privacy new-name" in text

    chosen = all_text(await slack.ask("privacy pseudonym", **ALICE))
    assert "Saved." in chosen and f"as *{first}*, a made-up name" in chosen
    assert "That is your own choice; the class's default is your own name." in chosen

    renamed = await slack.ask("privacy new-name", **ALICE)
    second = pseudonym_in(renamed)
    assert second != first and f"Your new pseudonym is {second}." in all_text(renamed)
    assert f"as *{second}*" in all_text(renamed)
    assert "You can ask for a new pseudonym from <!date^" in all_text(renamed)  # in the reader's time zone
    assert "|Friday 4 December at 09:00 UTC>" in all_text(renamed)  # a week after Friday 27 November, 09:00

    again = await slack.ask("privacy new-name", **ALICE)
    assert again["response_type"] == "ephemeral"
    assert "once a week" in all_text(again) and pseudonym_in(await slack.ask("privacy", **ALICE)) == second

    hidden = all_text(await slack.ask("privacy hidden", **ALICE))
    assert "You are *hidden*" in hidden and "`/study leaderboard` still shows you your own rank" in hidden
    assert "Choose one of: named" in all_text(await slack.ask("privacy loud", **ALICE))
    assert "under your own name" in all_text(await slack.ask("privacy named", **ALICE))

    clock.advance(days=7)
    third = pseudonym_in(await slack.ask("privacy new-name", **ALICE))
    assert third not in (first, second)
    assert fake_slack.limit_errors == []


async def test_only_teachers_set_the_class_default(slack, directory):
    refused = all_text(await slack.ask("privacy default hidden", **ALICE))
    assert render.NOT_TEACHER_PRIVACY in refused
    assert "default applies: your own name" in all_text(await slack.ask("privacy", **ALICE))  # unchanged
    assert render.DEFAULT_USAGE in all_text(await slack.ask("privacy default", **ADMIN))

    assert render.NOT_TEACHER_PRIVACY in all_text(await slack.ask("privacy default pseudonym", **TEACHER))
    await slack.ask("schedule teachers add <@UTEACH|ms_teach>", **ADMIN)
    set_by_teacher = all_text(await slack.ask("privacy default pseudonym", **TEACHER))
    assert "The class's default is now: pseudonym." in set_by_teacher
    assert "default applies: your pseudonym" in all_text(await slack.ask("privacy", **ALICE))

    set_by_admin = all_text(await slack.ask("privacy default hidden", **ADMIN))
    assert "The class's default is now: hidden." in set_by_admin
    assert "You are *hidden*" in all_text(await slack.ask("privacy", **BOB))


def test_help_and_the_manifest_name_privacy():
    text = all_text(render.help_message())
    assert "`/study privacy [named|pseudonym|hidden]`" in text and "`/study privacy new-name`" in text
    assert "`/study privacy default named|pseudonym|hidden` \u2014 teachers" in text
    assert check_message(render.help_message()) == []
    assert "privacy" in yaml.safe_load(manifest_text())["features"]["slash_commands"][0]["usage_hint"]


def test_the_settings_render_within_limits_and_escaped():
    later = dt.datetime(2026, 12, 4, 9, 30, tzinfo=dt.UTC)
    settings = PrivacySettings("named", True, "pseudonym", "Amber Heron", "<!channel>", later)
    message = render.privacy_settings(settings, "Saved.")
    text = all_text(message)
    assert check_message(message) == []
    assert "&lt;!channel&gt;" in text and "<!channel>" not in text
    assert f"<!date^{int(later.timestamp())}^{{date_long_pretty}} at {{time}}|Friday 4 December at 09:30 UTC>" in text
    hidden = render.privacy_settings(PrivacySettings("hidden", False, "hidden", "Amber Heron", None))
    assert "You are *hidden*" in all_text(hidden) and "hidden from the class's boards" in hidden["text"]


# ---------------------------------------------------------------------- what the class sees


async def test_a_pseudonymous_student_shows_only_under_the_pseudonym(slack, service, directory):
    await slack.ask("privacy default pseudonym", **ADMIN)
    alias = pseudonym_in(await slack.ask("privacy", **ALICE))
    await score(slack, service, ALICE)
    await score(slack, service, BOB)
    await service.set_privacy(slack_actor("U2", "bob"), "named")  # bob chose his own name

    seen_by_bob = await slack.ask("leaderboard", **BOB)
    rows = board_rows(seen_by_bob)
    assert any(alias in row for row in rows) and any("bob" in row for row in rows)
    assert "alice" not in all_text(seen_by_bob)
    own = await slack.ask("leaderboard", **ALICE)
    assert f"*1. {alias}" in all_text(own) or f"*2. {alias}" in all_text(own)  # her row, marked as hers
    assert "\u2190 you" in all_text(own) and "Your rank" in all_text(own)


async def test_a_hidden_student_is_on_no_public_board_but_sees_their_own_rank(slack, service, directory):
    await service.set_privacy(slack_actor("U1", "alice"), "hidden")
    await score(slack, service, ALICE)
    await score(slack, service, BOB)

    seen_by_bob = await slack.ask("leaderboard", **BOB)
    assert "alice" not in all_text(seen_by_bob) and len(board_rows(seen_by_bob)) == 1
    assert "Your rank: *1* of 1" in all_text(seen_by_bob)
    own = all_text(await slack.ask("leaderboard", **ALICE))
    assert "alice" not in own.split("Your rank")[0]
    assert re.search(r"Your rank: \*1\* of 1 with \d+ points", own)  # ranked among those on the board


async def test_a_classmates_stats_are_for_teachers_only(slack, service, directory):
    await score(slack, service, ALICE)
    refused = all_text(await slack.ask("stats <@U1|alice>", **BOB))
    assert render.CLASSMATES_NOT_TEACHER in refused and "*Answered*" not in refused
    assert "*Answered*\n1" in all_text(await slack.ask("stats", **ALICE))  # her own, always
    assert "*Answered*\n1" in all_text(await slack.ask("stats <@U1|alice>", **ALICE))
    assert "*Answered*\n1" in all_text(await slack.ask("stats <@U1|alice>", **ADMIN))

    assert render.CLASSMATES_NOT_TEACHER in all_text(await slack.ask("stats <@U1|alice>", **TEACHER))
    await slack.ask("schedule teachers add <@UTEACH|ms_teach>", **ADMIN)
    assert "*Answered*\n1" in all_text(await slack.ask("stats <@U1|alice>", **TEACHER))


def london(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=dt.UTC)  # London is on UTC in November


@pytest.mark.parametrize("other_workspaces", [0, 1])
async def test_the_scheduled_post_shows_pseudonyms_and_leaves_the_hidden_out(
    slack, fake_slack, service, clock, scheduler, directory, other_workspaces
):
    """Alice under her pseudonym, bob hidden, carol by her name: in the reveal's top streaks and the
    week's board the scheduler posts (with other workspaces on the bot as well, or not)."""
    for n in range(other_workspaces):  # another class with its own scores, on its own default
        await score(slack, service, {"user": "U9", "name": "zed"}, team=f"TOTHER{n}")
    clock.now = london(25, 9)  # Wednesday
    await slack.ask("schedule set 10:00 Europe/London mon-fri", channel="C7", **ADMIN)
    await slack.ask("privacy default pseudonym", **ADMIN)
    await slack.ask("privacy hidden", **BOB)
    await slack.ask("privacy named", **CAROL)
    alias = pseudonym_in(await slack.ask("privacy", **ALICE))

    posts = []
    for day in (25, 26):
        clock.now = london(day, 10, 1)
        assert [ok for _, ok in await scheduler.tick()] == [True]
        posts.append(fake_slack.posted("C7")[-1])
        for who in (ALICE, BOB, CAROL):
            await answer_post(slack, fake_slack, service, posts[-1], "C7", right=True, **who)

    clock.now = london(27, 10, 1)  # Friday: the reveal of Thursday, and the week's board
    assert [ok for _, ok in await scheduler.tick()] == [True]
    friday, board = fake_slack.posted("C7")[2:]
    reveal = all_text(friday)
    assert "3 answered \u00b7 100% correct" in reveal  # bob's answer counts, unnamed
    streaks = reveal.split("Top streaks: ", 1)[1].splitlines()[0]
    assert alias in streaks and "carol (2 days)" in streaks
    assert "alice" not in streaks and "bob" not in streaks
    rows = board_rows(board)
    assert len(rows) == 2, rows  # bob is off the board; nobody from another class is on it
    assert any(alias in row for row in rows) and any("carol" in row for row in rows)
    assert "alice" not in all_text(board) and "bob" not in all_text(board) and "zed" not in all_text(board)
    assert "2 on the board" in all_text(board)
    for message in fake_slack.posted("C7"):
        assert "alice" not in all_text(message) and "bob" not in all_text(message)
