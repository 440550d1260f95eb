"""`python -m bot` with both tokens: Discord, Slack and the scheduler in one process over one service,
each front end speaking its real protocol to its fake on 127.0.0.1."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
import slack_bolt.app.async_app
from pydantic import SecretStr
from slack_sdk.web.async_client import AsyncWebClient

import bot.adapters.discord as discord_front_end
from bot.bootstrap import Bot, open_bot
from bot.cli import run_front_ends
from bot.config import Settings
from bot.core.actor import Actor, Platform
from tests.adapters.discord.helpers import ANNA, HISTORY_9B, SCHOOL_A
from tests.adapters.slack.fake_slack import APP_TOKEN, BOT_TOKEN, all_text, command_form
from tests.helpers import FIXTURE_CONTENT


async def test_discord_slack_and_the_scheduler_run_together(fake, fake_slack, sqlite_url, clock, monkeypatch):
    create_bot = discord_front_end.create_bot
    monkeypatch.setattr(
        discord_front_end, "create_bot", lambda *a, **kw: create_bot(*a, guild_ready_timeout=0.01, **kw)
    )
    # Slack's Web API is reached through the fake, as Discord's REST is through Route.BASE: bolt builds
    # its client from the token (so it never warns that a token goes unused), here pointed at the fake.
    monkeypatch.setattr(
        slack_bolt.app.async_app,
        "create_async_web_client",
        lambda token=None, logger=None, **_: AsyncWebClient(token=token, base_url=fake_slack.api_url, logger=logger),
    )
    settings = Settings(
        _env_file=None,
        discord_token="fake-token",
        slack_bot_token=SecretStr(BOT_TOKEN),
        slack_app_token=SecretStr(APP_TOKEN),
        slack_api_url=fake_slack.api_url,
        port=0,  # the health checks' server: any free port
    )
    clock.now = dt.datetime(2026, 11, 27, 8, 0, tzinfo=dt.UTC)
    async with open_bot(sqlite_url, FIXTURE_CONTENT, clock=clock) as bot:
        await _run_together(bot, settings, fake, fake_slack)


async def _run_together(bot: Bot, settings: Settings, fake, fake_slack) -> None:
    service = bot.service
    running = asyncio.create_task(run_front_ends(bot, settings, ["discord", "slack"]))
    try:
        await fake_slack.wait_for(lambda: fake_slack.api_calls("apps.connections.open"))
        for _ in range(300):
            if fake.connections:
                break
            await asyncio.sleep(0.01)

        # A student on each platform, one service, one database.
        discord_daily = await fake.slash("daily", ANNA, SCHOOL_A)
        assert "Question of the day" in discord_daily.text and discord_daily.buttons
        response_url = fake_slack.response_url()
        await fake_slack.send_envelope(
            {
                "envelope_id": "env-1",
                "type": "slash_commands",
                "accepts_response_payload": True,
                "payload": command_form("daily", response_url=response_url, channel="C9"),
            }
        )
        await fake_slack.ack_for("env-1")
        assert "Daily question" in all_text(await fake_slack.reply(response_url))

        # One scheduler serves both: schedules already due post into each platform's channel.
        for actor, channel in (
            (Actor(Platform.DISCORD, SCHOOL_A.id, "t", "Teacher", is_admin=True), HISTORY_9B),
            (Actor(Platform.SLACK, "T1", "t", "Teacher", is_admin=True), "C9"),
        ):
            await service.schedules.set(actor, channel, time="07:30")
        for _ in range(300):
            if fake.channel_messages(HISTORY_9B) and fake_slack.posted("C9"):
                break
            await asyncio.sleep(0.02)
        assert fake.channel_messages(HISTORY_9B), "no scheduled post reached Discord"
        assert fake_slack.posted("C9"), "no scheduled post reached Slack"
    finally:
        running.cancel()
        with pytest.raises(asyncio.CancelledError):
            await running
