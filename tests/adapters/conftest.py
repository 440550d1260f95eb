"""The fake platforms on 127.0.0.1, as fixtures for every adapter test (the Discord and Slack ones,
and the test that runs both front ends together): `fake` is the fake Discord, `fake_slack` the fake Slack."""

from __future__ import annotations

from collections.abc import AsyncIterator

import discord
import pytest

from tests.adapters.discord.fake_discord import FakeDiscord
from tests.adapters.discord.helpers import SCHOOL_A, SCHOOL_B
from tests.adapters.slack.fake_slack import FakeSlack


@pytest.fixture
async def fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord([SCHOOL_A, SCHOOL_B])
    await server.start()
    monkeypatch.setattr(discord.http.Route, "BASE", server.rest_base)
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", server.gateway_url)
    yield server
    await server.close()
    assert server.problems == [], "the bot sent payloads Discord would refuse"
    assert server.unknown_routes == [], "the bot called routes the fake does not know"


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    fake = FakeSlack()
    await fake.start()
    yield fake
    await fake.stop()
    assert fake.limit_errors == [], "Slack would refuse: " + "; ".join(fake.limit_errors)
