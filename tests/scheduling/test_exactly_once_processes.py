"""Exactly once across real bot processes (`python -m bot discord`, over the wire to a fake Discord on
127.0.0.1): stopped with SIGTERM mid-send, racing a second process while sends are slower than the
lease, and losing the database between a send and recording it. Short leases keep these to seconds."""

from __future__ import annotations

import asyncio
import collections
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from bot.bootstrap import open_service
from bot.core.actor import Actor, Platform
from bot.store.models import ScheduledPost
from tests.adapters.discord.fake_discord import FakeDiscord, Guild
from tests.helpers import FIXTURE_CONTENT, POSTGRES_URL, Proxy, reset_postgres

ROOT = Path(__file__).resolve().parent.parent.parent
CHANNELS = {f"4200000000000000{n:02d}": f"class-{n}" for n in range(1, 9)}
SCHOOL = Guild("410000000000000001", "Big School", "420000000000000000", channels=CHANNELS)
TEACHER = Actor(Platform.DISCORD, SCHOOL.id, "teacher", "Ms T", is_admin=True)
LEASE = 1.0  # seconds


@pytest.fixture
async def discord_fake() -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord([SCHOOL])
    await fake.start()
    yield fake
    await fake.close()


async def schedule_every_channel(url: str) -> None:
    """Every channel due now: 00:00 every day has always passed today."""
    async with open_service(url, FIXTURE_CONTENT) as service:
        for channel, name in CHANNELS.items():
            await service.schedules.set(TEACHER, channel, time="00:00", days="every day", channel_name=name)


def start_bot(url: str, fake: FakeDiscord, tmp_path: Path, name: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DISCORD_TOKEN": "fake-token",
        "DATABASE_URL": url,
        "STUDYBOT_CONTENT_DIR": str(FIXTURE_CONTENT),
        "STUDYBOT_POST_LEASE": str(LEASE),
        "LOG_LEVEL": "INFO",
        "PORT": "0",  # each process's health checks on a port of its own
    }
    for unset in ("SLACK_BOT_TOKEN", "DISCORD_GUILD_IDS"):
        env.pop(unset, None)
    log = (tmp_path / f"{name}.log").open("w")
    return subprocess.Popen(
        [sys.executable, "-m", "tests.scheduling.run_discord_bot", fake.rest_base, str(fake.gateway_url)],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )


async def wait_for(condition: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def stop(bot: subprocess.Popen) -> int:
    bot.send_signal(signal.SIGTERM)
    return await asyncio.to_thread(bot.wait, 40)


def posts_per_channel(fake: FakeDiscord) -> collections.Counter:
    """The day's questions posted into each class channel (on the leaderboard's day the board follows as a
    second message: the processes run on the real date, which may be that day)."""
    return collections.Counter(channel for channel, body, _ in fake.posts if channel in CHANNELS and is_question(body))


async def statuses(url: str) -> collections.Counter:
    async with open_service(url, FIXTURE_CONTENT) as service, service.db.read_sessions() as session:
        return collections.Counter((await session.execute(select(ScheduledPost.status))).scalars())


def logs(tmp_path: Path) -> str:
    return "\n".join(path.read_text() for path in sorted(tmp_path.glob("*.log")))


@pytest.mark.timeout(120)
async def test_sigterm_mid_send_finishes_the_sends_and_a_restart_posts_nothing_twice(
    database_url, discord_fake, tmp_path
):
    await schedule_every_channel(database_url)
    discord_fake.send_delay = 1.5  # each post is in the channel at once, its answer comes 1.5 s later
    first = start_bot(database_url, discord_fake, tmp_path, "first")
    await wait_for(lambda: len(posts_per_channel(discord_fake)) >= 1)  # sends under way
    assert await stop(first) == 0, logs(tmp_path)
    assert "stopping: finishing the posts and answers under way" in logs(tmp_path)

    discord_fake.send_delay = 0
    second = start_bot(database_url, discord_fake, tmp_path, "second")  # the redeployed bot
    await asyncio.sleep(LEASE * 4 + 3)  # long past the lease of anything the first one left
    assert await stop(second) == 0, logs(tmp_path)
    assert posts_per_channel(discord_fake) == {channel: 1 for channel in CHANNELS}, logs(tmp_path)
    assert await statuses(database_url) == {"sent": len(CHANNELS)}
    assert "Traceback" not in logs(tmp_path)


@pytest.mark.timeout(120)
async def test_sends_slower_than_the_lease_are_not_taken_over_by_a_second_process(database_url, discord_fake, tmp_path):
    await schedule_every_channel(database_url)
    discord_fake.send_delay = LEASE * 4  # a rate-limited morning: every send outlasts the lease
    first = start_bot(database_url, discord_fake, tmp_path, "first")
    await wait_for(lambda: len(posts_per_channel(discord_fake)) >= 1)
    second = start_bot(database_url, discord_fake, tmp_path, "second")  # starts while the sends wait
    await asyncio.sleep(LEASE * 4 + 4)
    assert await stop(first) == 0 and await stop(second) == 0, logs(tmp_path)
    assert posts_per_channel(discord_fake) == {channel: 1 for channel in CHANNELS}, logs(tmp_path)
    assert await statuses(database_url) == {"sent": len(CHANNELS)}


@pytest.mark.timeout(120)
@pytest.mark.skipif(not POSTGRES_URL, reason="TEST_DATABASE_URL is not set (a SQLite file cannot go away)")
async def test_losing_the_database_between_send_and_recording_it_posts_nothing_twice(discord_fake, tmp_path):
    await reset_postgres(POSTGRES_URL)
    real = make_url(POSTGRES_URL)
    proxy = Proxy(real.port or 5432)
    await proxy.start()
    url = real.set(port=proxy.port).render_as_string(hide_password=False)
    await schedule_every_channel(url)
    discord_fake.send_delay = 1.0
    bot = start_bot(url, discord_fake, tmp_path, "bot")
    try:
        await wait_for(lambda: len(posts_per_channel(discord_fake)) >= 1)
        await proxy.cut()  # the posts are in the channels; their answers arrive while the database is away
        await asyncio.sleep(2.5)
        await proxy.restore()
        await asyncio.sleep(LEASE * 4 + 8)  # the marks' retries, then long past the lease
        assert await stop(bot) == 0, logs(tmp_path)
    finally:
        if bot.poll() is None:
            bot.kill()
    assert posts_per_channel(discord_fake) == {channel: 1 for channel in CHANNELS}, logs(tmp_path)
    assert await statuses(url) == {"sent": len(CHANNELS)}
    await proxy.cut()


@pytest.mark.timeout(120)
async def test_a_sqlite_database_locked_between_send_and_recording_it_posts_nothing_twice(
    sqlite_url, discord_fake, tmp_path
):
    """SQLite's way of going away for a moment: another process holds its write lock for longer than the
    busy timeout, so recording the sends fails, and is retried until the lock is gone."""
    await schedule_every_channel(sqlite_url)
    discord_fake.send_delay = 1.0
    bot = start_bot(sqlite_url, discord_fake, tmp_path, "bot")
    try:
        await wait_for(lambda: len(posts_per_channel(discord_fake)) >= 1)
        holder = sqlite3.connect(make_url(sqlite_url).database, timeout=30, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")  # the posts are in the channels; their answers meet a locked file
        await asyncio.sleep(12)  # longer than the bot's 10-second busy timeout
        holder.execute("ROLLBACK")
        holder.close()
        await asyncio.sleep(LEASE * 4 + 8)
        assert await stop(bot) == 0, logs(tmp_path)
    finally:
        if bot.poll() is None:
            bot.kill()
    assert posts_per_channel(discord_fake) == {channel: 1 for channel in CHANNELS}, logs(tmp_path)
    assert await statuses(sqlite_url) == {"sent": len(CHANNELS)}


def is_question(body: dict) -> bool:
    return any(str(embed.get("title", "")).startswith("Question of the day") for embed in body.get("embeds") or [])
