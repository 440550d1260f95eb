"""/healthz and /readyz over HTTP, in every mode `python -m bot` runs chat front ends in: Discord only,
Slack in Socket Mode (both on a server of their own on $PORT) and Slack in HTTP mode (on Slack's server,
beside /slack/events); and /readyz's 503 when the database cannot answer or a front end is not connected."""

from __future__ import annotations

import json
import logging

import aiohttp
import pytest
from pydantic import SecretStr

from bot.adapters import slack as slack_adapter
from bot.bootstrap import open_bot
from bot.config import Settings
from bot.core.publishing import Publishers
from bot.ops import health
from bot.store.db import Database, create_engine
from tests.adapters.discord.helpers import ANNA, SCHOOL_A
from tests.adapters.slack.fake_slack import (
    APP_TOKEN,
    BOT_TOKEN,
    SIGNING_SECRET,
    all_text,
    command_form,
    form_body,
    signed_headers,
)
from tests.helpers import FIXTURE_CONTENT, free_port
from tests.ops.helpers import get, quick_discord, running, slack_through, until

READY = {"status": "ready", "database": "ok"}


async def test_discord_only_serves_health_and_readiness_on_port(fake, database_url, clock, monkeypatch):
    quick_discord(monkeypatch)
    port = free_port()
    settings = Settings(_env_file=None, discord_token="fake-token", port=port)
    base = f"http://127.0.0.1:{port}"
    async with open_bot(database_url, FIXTURE_CONTENT, clock=clock) as bot, running(bot, settings, ["discord"]):
        async with aiohttp.ClientSession() as session:
            assert await until(session, base + "/healthz", lambda status, _: status == 200) == (200, "ok")
            status, body = await until(session, base + "/readyz", lambda status, _: status == 200)
            assert json.loads(body) == READY | {"discord": "connected"}
            daily = await fake.slash("daily", ANNA, SCHOOL_A)  # the front end really serves meanwhile
            assert "Question of the day" in daily.text
            assert (await get(session, base + "/metrics"))[0] == 404  # METRICS is off by default
            async with session.head(base + "/healthz") as head:
                assert head.status == 200


async def test_socket_mode_serves_health_and_readiness_on_port(fake_slack, sqlite_url, clock, monkeypatch):
    slack_through(monkeypatch, fake_slack.api_url)
    monkeypatch.setattr(slack_adapter, "SOCKET_PING_INTERVAL", 0.2)  # reconnect attempts 0.2 s apart, not 10
    port = free_port()
    settings = Settings(
        _env_file=None,
        slack_bot_token=SecretStr(BOT_TOKEN),
        slack_app_token=SecretStr(APP_TOKEN),
        slack_api_url=fake_slack.api_url,
        port=port,
    )
    base = f"http://127.0.0.1:{port}"
    async with open_bot(sqlite_url, FIXTURE_CONTENT, clock=clock) as bot, running(bot, settings, ["slack"]):
        async with aiohttp.ClientSession() as session:
            assert await until(session, base + "/healthz", lambda status, _: status == 200) == (200, "ok")
            status, body = await until(session, base + "/readyz", lambda status, _: status == 200)
            assert json.loads(body) == READY | {"slack": "connected"}
            assert fake_slack.api_calls("apps.connections.open")  # in Socket Mode: nothing listens for Slack

            # Slack drops the websocket: not ready until the SDK has reconnected by itself.
            opened = len(fake_slack.api_calls("apps.connections.open"))
            fake_slack.refuse_sockets = True
            await fake_slack.drop_sockets()
            status, body = await until(session, base + "/readyz", lambda status, _: status == 503)
            assert json.loads(body) == {"status": "not ready", "database": "ok", "slack": "not connected"}
            fake_slack.refuse_sockets = False
            status, body = await until(session, base + "/readyz", lambda status, _: status == 200)
            assert json.loads(body) == READY | {"slack": "connected"}
            assert len(fake_slack.api_calls("apps.connections.open")) > opened


async def test_slack_http_mode_serves_events_and_health_on_one_port(fake_slack, sqlite_url, clock, monkeypatch):
    slack_through(monkeypatch, fake_slack.api_url)
    port = free_port()
    settings = Settings(
        _env_file=None,
        slack_bot_token=SecretStr(BOT_TOKEN),
        slack_signing_secret=SecretStr(SIGNING_SECRET),
        slack_api_url=fake_slack.api_url,
        port=port,
        metrics=True,
    )
    base = f"http://127.0.0.1:{port}"
    async with open_bot(sqlite_url, FIXTURE_CONTENT, clock=clock) as bot, running(bot, settings, ["slack"]):
        async with aiohttp.ClientSession() as session:
            status, body = await until(session, base + "/readyz", lambda status, _: status == 200)
            assert json.loads(body) == READY | {"slack": "connected"}
            assert await get(session, base + "/healthz") == (200, "ok")
            response_url = fake_slack.response_url()
            command = form_body(command_form("daily", response_url=response_url))
            async with session.post(base + "/slack/events", data=command, headers=signed_headers(command)) as answer:
                assert answer.status == 200
            assert "Daily question" in all_text(await fake_slack.reply(response_url))
            status, text = await get(session, base + "/metrics")
            assert status == 200 and 'use_case="daily_question"' in text and 'platform="slack"' in text


async def test_readiness_is_503_while_the_database_cannot_answer(tmp_path, caplog):
    folder = tmp_path / "gone"
    folder.mkdir()
    engine = create_engine(f"sqlite+aiosqlite:///{folder / 'studybot.db'}")
    folder.rmdir()  # the file can no longer be opened
    readiness = health.Readiness(Database(engine).ping, lambda: {"discord": True})
    try:
        async with health.serving(0, health.routes(readiness)) as port, aiohttp.ClientSession() as session:
            base = f"http://127.0.0.1:{port}"
            with caplog.at_level(logging.WARNING, logger="bot.ops.health"):
                for _ in range(3):
                    status, body = await get(session, base + "/readyz")
                    assert status == 503
                    assert json.loads(body) == {
                        "status": "not ready",
                        "database": "unavailable",
                        "discord": "connected",
                    }
            assert str(folder) not in body  # the reason goes to the log, not to whoever asks
            assert await get(session, base + "/healthz") == (200, "ok")  # alive: restarting it would not help
    finally:
        await engine.dispose()
    not_ready = [record for record in caplog.records if record.getMessage().startswith("not ready")]
    assert len(not_ready) == 1, "logged once, when readiness changed, not on every check"
    assert "database unavailable" in not_ready[0].getMessage()


async def test_readiness_is_503_until_every_enabled_front_end_is_connected(any_bot):
    publishers = Publishers()

    class Disconnected:  # a publisher that can tell its connection is down (as Discord's does)
        connected = False

    readiness = health.Readiness(any_bot.service.db.ping, lambda: health.connected(publishers, ["discord", "slack"]))
    async with health.serving(0, health.routes(readiness)) as port, aiohttp.ClientSession() as session:
        url = f"http://127.0.0.1:{port}/readyz"
        status, body = await get(session, url)
        assert status == 503 and json.loads(body)["discord"] == "not connected"
        publishers.add("discord", Disconnected())
        publishers.add("slack", object())
        status, body = await get(session, url)
        assert status == 503 and json.loads(body) == {
            "status": "not ready",
            "database": "ok",
            "discord": "not connected",
            "slack": "connected",
        }
        Disconnected.connected = True
        assert (await get(session, url))[0] == 200


async def test_a_port_in_use_stops_the_bot_with_a_message():
    async with health.serving(0, []) as port:
        with pytest.raises(health.PortUnavailable, match=f"port {port}: .*Set PORT to a free port"):
            async with health.serving(port, []):
                pass
