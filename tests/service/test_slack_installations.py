"""The Slack installations the service keeps (bot/service/installations.py over bot/store/installations.py),
on SQLite and PostgreSQL: one bot per team and enterprise that a reinstall or a rotated token replaces,
installers per user, Enterprise Grid keys, and one-time expiring states."""

from __future__ import annotations

import asyncio
import datetime as dt

INSTALLED = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def installation(team: str | None, token: str, *, enterprise: str | None = None, user: str = "UADMIN") -> dict:
    """An installation as slack_sdk's Installation.to_dict() gives it."""
    return {
        "app_id": "A1",
        "enterprise_id": enterprise,
        "enterprise_name": "Trust" if enterprise else None,
        "enterprise_url": None,
        "team_id": team,
        "team_name": f"School {team}",
        "bot_token": token,
        "bot_id": "B" + (team or "ORG"),
        "bot_user_id": "UBOT",
        "bot_scopes": "commands,chat:write",
        "bot_refresh_token": None,
        "bot_token_expires_at": None,
        "user_id": user,
        "user_token": None,
        "user_scopes": None,
        "user_refresh_token": None,
        "user_token_expires_at": None,
        "incoming_webhook_url": None,  # fields the app never asks for are not kept
        "is_enterprise_install": team is None,
        "token_type": "bot",
        "installed_at": INSTALLED,
    }


async def test_a_reinstall_replaces_the_bot_and_each_installer_is_kept(any_service):
    installs = any_service.slack_installations
    await installs.save(installation("TA", "xoxb-a-1"))
    await installs.save(installation("TA", "xoxb-a-2", user="UOTHER") | {"installed_at": INSTALLED.replace(hour=10)})
    await installs.save(installation("TB", "xoxb-b-1"))

    bot = await installs.find_bot(None, "TA")
    assert bot["bot_token"] == "xoxb-a-2" and bot["enterprise_id"] is None and bot["team_id"] == "TA"
    assert bot["installed_at"] == INSTALLED.replace(hour=10)  # aware, in UTC, on SQLite too
    latest = await installs.find_installation(None, "TA")
    assert (latest["user_id"], latest["bot_token"]) == ("UOTHER", "xoxb-a-2")
    first = await installs.find_installation(None, "TA", "UADMIN")
    assert first["bot_token"] == "xoxb-a-2"  # the workspace's one bot, whoever installed it
    assert (await installs.bot_of("TB"))["bot_token"] == "xoxb-b-1"

    await installs.delete_installation(None, "TA", "UOTHER")  # a user's token revoked: their row only
    assert (await installs.find_installation(None, "TA"))["user_id"] == "UADMIN"
    await installs.delete_all(None, "TA")
    assert await installs.find_bot(None, "TA") is None and await installs.find_installation(None, "TA") is None
    assert await installs.bot_of("TB") is not None


async def test_a_rotated_token_is_saved_with_its_expiry(any_service):
    installs = any_service.slack_installations
    await installs.save(installation("TA", "xoxe.xoxb-a") | {"bot_refresh_token": "xoxe-1"})
    expires = dt.datetime(2026, 12, 1, 21, 0, tzinfo=dt.UTC)
    bot = await installs.find_bot(None, "TA")
    await installs.save_bot(
        bot | {"bot_token": "xoxe.xoxb-a2", "bot_refresh_token": "xoxe-2", "bot_token_expires_at": expires}
    )
    again = await installs.find_bot(None, "TA")
    assert (again["bot_token"], again["bot_refresh_token"], again["bot_token_expires_at"]) == (
        "xoxe.xoxb-a2",
        "xoxe-2",
        expires,
    )


async def test_enterprise_grid_workspaces_and_orgs_are_told_apart(any_service):
    installs = any_service.slack_installations
    await installs.save(installation("TA", "xoxb-grid-workspace", enterprise="E1"))
    await installs.save(installation(None, "xoxb-whole-org", enterprise="E1"))
    assert (await installs.find_bot("E1", "TA"))["bot_token"] == "xoxb-grid-workspace"
    assert (await installs.find_bot("E1", None))["bot_token"] == "xoxb-whole-org"
    assert await installs.find_bot(None, "TA") is None  # not the same key as a workspace outside a grid
    assert (await installs.bot_of("TA"))["bot_token"] == "xoxb-grid-workspace"  # a class knows its team only
    assert (await installs.bot_of("enterprise:E1"))["bot_token"] == "xoxb-whole-org"
    assert (await installs.find_installation("E1", None))["is_enterprise_install"] is True


async def test_a_state_is_good_once_and_only_until_it_expires(any_service, clock):
    installs = any_service.slack_installations
    state = await installs.new_state(dt.timedelta(minutes=10))
    twice = await asyncio.gather(installs.consume_state(state), installs.consume_state(state))
    assert sorted(twice) == [False, True]  # two redirects at once: one wins
    stale = await installs.new_state(dt.timedelta(minutes=10))
    clock.advance(minutes=10, seconds=1)
    assert await installs.consume_state(stale) is False
    assert await installs.consume_state("never-issued") is False
    assert await installs.consume_state("x" * 500) is False
    assert await installs.consume_state("") is False
