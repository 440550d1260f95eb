"""The Discord client as discord.py's AutoShardedClient, over the wire to the fake gateway: unset, it asks
Discord how many shards to run and runs them all; given DISCORD_SHARD_COUNT and DISCORD_SHARD_IDS, it
connects those shards only, serves only their servers, and tells the scheduler so (publisher.shards)."""

from __future__ import annotations

from bot.adapters.discord import create_bot
from bot.config import Settings
from bot.core.shards import Shards
from tests.adapters.discord.fake_discord import FakeDiscord, Guild
from tests.adapters.discord.helpers import ANNA, SCHOOL_A, SCHOOL_B, Bots

# SCHOOL_A and SCHOOL_B are on shard 1 of 2; this one is on shard 0.
SCHOOL_ON_SHARD_0 = Guild(str(((int(SCHOOL_A.id) >> 22) - 1) << 22 | 1), "School Zero", "320000000000000077")


async def test_unset_the_bot_runs_as_many_shards_as_discord_recommends(bots: Bots, fake: FakeDiscord, service):
    bot = await bots.start(service)
    assert any(call.path == "/gateway/bot" for call in fake.calls)
    assert [identify["shard"] for identify in fake.identified] == [[0, 1]]
    assert {guild.id for guild in bot.guilds} == {int(SCHOOL_A.id), int(SCHOOL_B.id)}
    assert bot.publisher.shards is None and bot.publisher.connected  # every server is this process's


async def test_given_shards_the_bot_connects_and_serves_only_those(bots: Bots, fake: FakeDiscord, service):
    fake.guilds.append(SCHOOL_ON_SHARD_0)
    bot = await bots.start(service, shard_count=2, shard_ids=[0])
    assert not any(call.path == "/gateway/bot" for call in fake.calls)  # told the count: no need to ask
    assert [identify["shard"] for identify in fake.identified] == [[0, 2]]
    assert {guild.id for guild in bot.guilds} == {int(SCHOOL_ON_SHARD_0.id)}
    assert bot.publisher.shards == Shards(2, frozenset({0})) and bot.publisher.connected

    shown = await fake.slash("daily", ANNA, SCHOOL_ON_SHARD_0)
    assert shown.callback["type"] in (4, 5) and shown.buttons


async def test_the_shard_settings_reach_the_client(service):
    settings = Settings(discord_shard_count=4, discord_shard_ids=[2, 3])
    bot = create_bot(service, settings)
    assert (bot.shard_count, bot.shard_ids) == (4, [2, 3])
    assert bot.publisher.shards == Shards(4, frozenset({2, 3}))
    await bot.close()  # never started: closing is quiet all the same
    everything = create_bot(service, Settings(discord_shard_count=2, discord_shard_ids=[1, 0]))
    assert everything.publisher.shards is None  # both of the two: nothing to leave to another process
    await everything.close()
