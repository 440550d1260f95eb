"""Discord sharded across two real bot processes (`python -m bot discord`, DISCORD_SHARD_COUNT=4, shards
0,1 in one and 2,3 in the other) on one SQLite file, over the wire to the fake Discord's gateway and REST.
Each server's scheduled post is sent exactly once, by the process running its shard, and a server's
slash command is answered by that process alone."""

from __future__ import annotations

import asyncio
import collections
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.bootstrap import open_service
from bot.core.actor import Actor, Platform
from bot.store.models import Schedule, ScheduledPost
from tests.adapters.discord.fake_discord import FakeDiscord, Guild
from tests.adapters.discord.helpers import ANNA
from tests.helpers import FIXTURE_CONTENT
from tests.scheduling.test_exactly_once_processes import start_bot, stop, wait_for
from tests.scheduling.test_shards import COUNT, server_on

SERVERS = [
    Guild(server_on(shard), f"School {shard}", f"61000000000000000{shard}", {f"62000000000000000{shard}": "history"})
    for shard in range(COUNT)
]
CLASS_CHANNEL = {guild.id: next(iter(guild.channels)) for guild in SERVERS}
FIRST, SECOND = SERVERS[:2], SERVERS[2:]  # shards 0,1 and shards 2,3


@pytest.fixture
async def discord_fake() -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord(list(SERVERS))
    await fake.start()
    yield fake
    await fake.close()


async def schedule_every_server(url: str) -> None:
    """Each server's class channel due now: 00:00 every day has always passed today."""
    async with open_service(url, FIXTURE_CONTENT) as service:
        for guild in SERVERS:
            teacher = Actor(Platform.DISCORD, guild.id, "teacher", "Ms T", is_admin=True)
            await service.schedules.set(teacher, CLASS_CHANNEL[guild.id], time="00:00", days="every day")


async def claimed_channels(url: str) -> collections.Counter:
    async with open_service(url, FIXTURE_CONTENT) as service, service.db.read_sessions() as session:
        rows = await session.execute(select(Schedule.channel_id, ScheduledPost.status).join(ScheduledPost))
        return collections.Counter(channel for channel, _ in rows)


def posts_per_channel(fake: FakeDiscord) -> collections.Counter:
    """The day's questions posted into each class channel (on the leaderboard's day the board follows as a
    second message: the processes run on the real date, which may be that day)."""
    return collections.Counter(
        channel for channel, body, _ in fake.posts if channel in CLASS_CHANNEL.values() and is_question(body)
    )


def channels_of(guilds: list[Guild]) -> set[str]:
    return {CLASS_CHANNEL[guild.id] for guild in guilds}


def posted_by(log: Path) -> set[str]:
    """The class channels a process says it posted to."""
    text = log.read_text()
    return {channel for channel in CLASS_CHANNEL.values() if f"posted the daily question to discord/{channel}" in text}


@pytest.mark.timeout(120)
async def test_two_processes_on_different_shards_post_each_server_once(sqlite_url, discord_fake, tmp_path, monkeypatch):
    await schedule_every_server(sqlite_url)
    monkeypatch.setenv("DISCORD_SHARD_COUNT", str(COUNT))
    monkeypatch.setenv("DISCORD_SHARD_IDS", "0,1")
    first = start_bot(sqlite_url, discord_fake, tmp_path, "first")
    second = None
    try:
        await wait_for(lambda: set(posts_per_channel(discord_fake)) == channels_of(FIRST), timeout=60)
        await asyncio.sleep(1.5)  # time for its scheduler to wake again: the other shards' posts stay unclaimed
        assert set(posts_per_channel(discord_fake)) == channels_of(FIRST)
        assert set(await claimed_channels(sqlite_url)) == channels_of(FIRST)

        monkeypatch.setenv("DISCORD_SHARD_IDS", "2,3")
        second = start_bot(sqlite_url, discord_fake, tmp_path, "second")
        await wait_for(lambda: set(posts_per_channel(discord_fake)) == set(CLASS_CHANNEL.values()), timeout=60)
        answered = await discord_fake.slash("daily", ANNA, SECOND[1])  # a server on shard 3
        await asyncio.sleep(1.5)
    finally:
        codes = [await stop(bot) for bot in (first, second) if bot is not None]
    logs = {name: (tmp_path / f"{name}.log").read_text() for name in ("first", "second")}
    assert codes == [0, 0], logs
    assert posts_per_channel(discord_fake) == {channel: 1 for channel in CLASS_CHANNEL.values()}, logs
    assert posted_by(tmp_path / "first.log") == channels_of(FIRST)
    assert posted_by(tmp_path / "second.log") == channels_of(SECOND)
    assert sorted(tuple(identify["shard"]) for identify in discord_fake.identified) == [(n, COUNT) for n in range(4)]
    callbacks = [call for call in answered.calls if call.path.endswith("/callback")]
    assert len(callbacks) == 1  # one process answered: the other does not run shard 3
    assert "Traceback" not in logs["first"] + logs["second"]


def is_question(body: dict) -> bool:
    return any(str(embed.get("title", "")).startswith("Question of the day") for embed in body.get("embeds") or [])
