"""Fixtures: a fake Discord on 127.0.0.1 and the real discord.py client pointed at it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import discord
import pytest

from bot.adapters.discord import StudyBot
from bot.service import StudyService
from tests.adapters.discord.fake_discord import FakeDiscord, Guild, User

MANAGE_SERVER = 0x20
TEACHERS_ROLE = "340000000000000001"
HISTORY_9B = "320000000000000011"  # a second channel in School A, for scheduled posts
SCHOOL_A = Guild(
    "310000000000000001",
    "School A",
    "320000000000000001",
    channels={HISTORY_9B: "history-9b"},
    roles={TEACHERS_ROLE: ("Teachers", 3072 | MANAGE_SERVER)},
)
SCHOOL_B = Guild("310000000000000002", "School B", "320000000000000002")
ANNA = User("330000000000000001", "Anna")
BORIS = User("330000000000000002", "Boris")
CLARA = User("330000000000000003", "Clara")  # in School B
TEACHER = User("330000000000000009", "Ms Smith", permissions=0x400 | 0x800 | MANAGE_SERVER, roles=(TEACHERS_ROLE,))


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


class Bots:
    """Starts fresh StudyBots (as `run` does) against the fake and waits until each is ready."""

    def __init__(self) -> None:
        self.running: dict[StudyBot, asyncio.Task[None]] = {}

    async def start(self, service: StudyService, **options: Any) -> StudyBot:
        bot = StudyBot(service, guild_ready_timeout=0.01, **options)
        task = asyncio.create_task(bot.start("fake-token"))
        self.running[bot] = task
        ready = asyncio.create_task(bot.wait_until_ready())
        await asyncio.wait({ready, task}, timeout=5, return_when=asyncio.FIRST_COMPLETED)
        if task.done():
            task.result()  # start-up failed: raise its error here
        assert bot.is_ready(), "the bot did not become ready"
        return bot

    async def stop(self, bot: StudyBot) -> None:
        task = self.running.pop(bot)
        await bot.close()
        await asyncio.wait_for(task, 5)

    async def stop_all(self) -> None:
        for bot in list(self.running):
            await self.stop(bot)


@pytest.fixture
async def bots(fake: FakeDiscord) -> AsyncIterator[Bots]:
    started = Bots()
    yield started
    await started.stop_all()


@pytest.fixture
async def bot(bots: Bots, service: StudyService) -> StudyBot:
    return await bots.start(service)
