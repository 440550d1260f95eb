"""Names as Slack shows them, from the workspace directory (users.list), not the username handle."""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack import names as names_module
from bot.adapters.slack.names import NameDirectory, _shown_name
from tests.adapters.slack.fake_slack import BOT_TOKEN, all_text, button
from tests.adapters.slack.helpers import board_rows, daily_with_buttons, right_and_wrong_buttons

DIRECTORY = {
    "U1": {"profile": {"display_name": "Alice A.", "real_name": "Alice Adams"}},
    "U2": {"profile": {"display_name": "", "real_name": "Bob   Brown"}},  # no display name: the full name
    "U9": {"deleted": True, "profile": {"display_name": "Gone"}},
    "UBOT": {"is_bot": True, "profile": {"real_name": "Study Bot"}},
}


async def test_leaderboards_show_the_names_slack_shows(slack, service, fake_slack):
    fake_slack.users.update(DIRECTORY)
    team, question = await daily_with_buttons(slack)
    walks = len(fake_slack.api_calls("users.list"))
    right, wrong = right_and_wrong_buttons(service, question)
    await slack.press(right, team=team, user="U1", name="alice")
    await slack.press(wrong, team=team, user="U2", name="bob")
    board = await slack.ask("leaderboard", team=team, user="U3", name="carol")  # not in the directory
    rows = board_rows(board)
    assert rows[0].startswith("1. Alice A. \u2014") and rows[1].startswith("2. Bob Brown \u2014"), rows
    assert len(fake_slack.api_calls("users.list")) == walks  # the workspace's directory was walked once


async def test_a_failing_directory_leaves_the_usernames_and_answers_still_work(slack, service, fake_slack):
    fake_slack.users.update(DIRECTORY)
    fake_slack.fail("users.list", "ratelimited")
    team, question = await daily_with_buttons(slack)
    right, _ = right_and_wrong_buttons(service, question)
    assert "Correct!" in str(await slack.press(right, team=team, user="U1", name="alice"))
    assert board_rows(await slack.ask("leaderboard", team=team, user="U1", name="alice"))[0].startswith("1. alice")


async def test_the_directory_is_walked_page_by_page_refreshed_hourly_and_kept_on_failure(fake_slack, monkeypatch):
    monkeypatch.setattr(names_module, "PAGE_SIZE", 2)
    fake_slack.users.update(DIRECTORY | {"U3": {"profile": {"display_name": "Carol"}}})
    client = AsyncWebClient(token=BOT_TOKEN, base_url=fake_slack.api_url)
    now = [0.0]
    directory = NameDirectory(clock=lambda: now[0])

    assert await directory.name(client, "T1", "U3", "carol") == "Carol"  # on the second of three pages
    assert await directory.name(client, "T1", "U9", "gone") == "gone"  # deleted people keep their handle
    assert await directory.name(client, "T1", "UBOT", "bot") == "bot"
    assert len(fake_slack.api_calls("users.list")) == 3

    fake_slack.users["U3"] = {"profile": {"display_name": "Carol C."}}
    now[0] += names_module.REFRESH_SECONDS - 1
    assert await directory.name(client, "T1", "U3", "carol") == "Carol"  # still fresh
    now[0] += 2
    assert await directory.name(client, "T1", "U3", "carol") == "Carol C."  # walked again after an hour

    fake_slack.fail("users.list", "ratelimited")
    now[0] += names_module.REFRESH_SECONDS
    assert await directory.name(client, "T1", "U3", "carol") == "Carol C."  # the last good directory stays
    calls = len(fake_slack.api_calls("users.list"))
    assert await directory.name(client, "T1", "U1", "alice") == "Alice A."
    assert len(fake_slack.api_calls("users.list")) == calls  # no new walk until the retry time


async def test_quiz_me_on_this_keeps_the_directory_name_on_the_leaderboard(any_slack, any_service, fake_slack):
    """Regression: the "Quiz me on this" click named the student by their handle, and the leaderboard
    then showed `alice` instead of `Alice A.` from the workspace directory."""
    fake_slack.users.update(DIRECTORY)
    team, question = await daily_with_buttons(any_slack)
    right, _ = right_and_wrong_buttons(any_service, question)
    await any_slack.press(right, team=team, user="U1", name="alice")
    assert board_rows(await any_slack.ask("leaderboard", team=team, user="U2", name="bob"))[0].startswith(
        "1. Alice A. \u2014"
    )

    card = await any_slack.ask("rival trotsky", team=team, user="U1", name="alice")
    practice = await any_slack.press(button(card, "Quiz me on this"), team=team, user="U1", name="alice")
    assert "Practice question" in all_text(practice)

    rows = board_rows(await any_slack.ask("leaderboard", team=team, user="U2", name="bob"))  # asked by someone else
    assert rows[0].startswith("1. Alice A. \u2014"), rows


def test_a_display_name_of_invisible_marks_gives_way_to_the_full_name():
    member = {"id": "U9", "profile": {"display_name": "\u200b\u202e\u2066", "real_name": "Zoya Z."}}
    assert _shown_name(member) == "Zoya Z."
    assert _shown_name({"id": "U8", "profile": {"display_name": "\u200b"}}) == ""  # then the service's fallback
