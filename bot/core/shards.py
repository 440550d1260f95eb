"""Which Discord shard a server is on, and which shards one process serves.

Discord spreads a bot's servers over `count` gateway connections (shards): a server is on shard
`(guild id >> 22) % count` (https://discord.com/developers/docs/events/gateway#sharding). Several processes
may each run some of the shards (DISCORD_SHARD_IDS); each one's scheduler posts only to the servers on its
own shards, so together they post every class channel once, and none twice.
"""

from __future__ import annotations

from dataclasses import dataclass

SNOWFLAKE_TIME_SHIFT = 22  # a snowflake's low 22 bits are worker, process and increment; the rest is its time


def shard_of(guild_id: int, count: int) -> int:
    """The shard, of `count`, that Discord puts the server `guild_id` on."""
    return (guild_id >> SNOWFLAKE_TIME_SHIFT) % count


@dataclass(frozen=True, slots=True)
class Shards:
    """The shards (`ids`) of a bot's `count` that one process runs."""

    count: int
    ids: frozenset[int]

    def __post_init__(self) -> None:
        if self.count < 1:
            raise ValueError("a bot has at least one shard")
        if not self.ids or not self.ids <= set(range(self.count)):
            raise ValueError(f"shard ids are between 0 and {self.count - 1}")

    @property
    def all(self) -> bool:
        """Every shard of the bot: this process serves every server."""
        return len(self.ids) == self.count

    def owns(self, guild_id: int) -> bool:
        """Whether the server `guild_id` is on one of these shards."""
        return shard_of(guild_id, self.count) in self.ids
