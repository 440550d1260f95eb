"""Running the chat front ends as `python -m bot` does (cli.run_front_ends), against the fakes, and
reading the health endpoints over HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest
import slack_bolt.app.async_app
from slack_sdk.web.async_client import AsyncWebClient

import bot.adapters.discord as discord_front_end
from bot.bootstrap import Bot
from bot.cli import run_front_ends
from bot.config import Settings


def quick_discord(monkeypatch: pytest.MonkeyPatch) -> None:
    """discord.py's on_ready without its wait for more guilds."""
    create_bot = discord_front_end.create_bot
    monkeypatch.setattr(
        discord_front_end, "create_bot", lambda *a, **kw: create_bot(*a, guild_ready_timeout=0.01, **kw)
    )


def slack_through(monkeypatch: pytest.MonkeyPatch, api_url: str) -> None:
    """bolt builds its Web API client from the token, as in production, here pointed at the fake Slack."""
    monkeypatch.setattr(
        slack_bolt.app.async_app,
        "create_async_web_client",
        lambda token=None, logger=None, **_: AsyncWebClient(token=token, base_url=api_url, logger=logger),
    )


@asynccontextmanager
async def running(bot: Bot, settings: Settings, names: list[str]) -> AsyncIterator[asyncio.Task]:
    task = asyncio.create_task(run_front_ends(bot, settings, names))
    try:
        yield task
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


async def get(session: aiohttp.ClientSession, url: str) -> tuple[int, str]:
    async with session.get(url) as response:
        return response.status, await response.text()


async def until(
    session: aiohttp.ClientSession, url: str, accept: Callable[[int, str], Any], timeout: float = 10
) -> tuple[int, str]:
    """GET `url` until the answer is accepted (the server may still be starting, the front end connecting)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    last: tuple[int, str] | None = None
    while loop.time() < deadline:
        try:
            last = await get(session, url)
            if accept(*last):
                return last
        except aiohttp.ClientConnectionError:
            pass
        await asyncio.sleep(0.05)
    raise AssertionError(f"{url} never gave an accepted answer; last: {last}")
