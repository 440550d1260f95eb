"""Fixtures: a fake Discord on 127.0.0.1 and the real discord.py client pointed at it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import discord
import pytest

from bot.adapters.discord import StudyBot
from bot.service import StudyService
from tests.adapters.discord.fake_discord import FakeDiscord, Guild, User

SCHOOL_A = Guild("310000000000000001", "School A", "320000000000000001")
SCHOOL_B = Guild("310000000000000002", "School B", "320000000000000002")
ANNA = User("330000000000000001", "Anna")
BORIS = User("330000000000000002", "Boris")
CLARA = User("330000000000000003", "Clara")  # in School B

StartBot = Callable[..., Awaitable[StudyBot]]


@pytest.fixture
async def fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord([SCHOOL_A, SCHOOL_B])
    await server.start()
    monkeypatch.setattr(discord.http.Route, "BASE", server.rest_base)
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", server.gateway_url)
    yield server
    await server.close()
    assert server.problems == [], "the bot sent payloads Discord would refuse"


@pytest.fixture
async def start_bot(fake: FakeDiscord) -> AsyncIterator[StartBot]:
    """Start a fresh StudyBot (the same as `run` does) and wait until it is ready; all closed at teardown."""
    running: list[tuple[StudyBot, asyncio.Task[None]]] = []

    async def start(service: StudyService, **options: object) -> StudyBot:
        bot = StudyBot(service, guild_ready_timeout=0.01, **options)  # type: ignore[arg-type]
        task = asyncio.create_task(bot.start("fake-token"))
        running.append((bot, task))
        ready = asyncio.create_task(bot.wait_until_ready())
        await asyncio.wait({ready, task}, timeout=5, return_when=asyncio.FIRST_COMPLETED)
        if task.done():
            task.result()  # start-up failed: raise its error here
        assert bot.is_ready(), "the bot did not become ready"
        return bot

    yield start
    for bot, task in running:
        await stop(bot, task)


async def stop(bot: StudyBot, task: asyncio.Task[None]) -> None:
    if not bot.is_closed():
        await bot.close()
    await asyncio.wait_for(task, 5)


@pytest.fixture
async def bot(start_bot: StartBot, service: StudyService) -> StudyBot:
    return await start_bot(service)
