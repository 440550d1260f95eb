"""Discord front end: slash commands and persistent buttons over the study service.

`run(service, settings, publishers=...)` is what `python -m bot discord` (and `python -m bot` with
DISCORD_TOKEN set) awaits; `create_bot` builds the client without connecting, for tests and embedding.
`DiscordPublisher` sends the scheduler's daily posts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.adapters.discord.client import StudyBot
from bot.adapters.discord.publisher import DiscordPublisher

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.core.publishing import Publishers
    from bot.service import StudyService

__all__ = ["DiscordPublisher", "StudyBot", "create_bot", "run"]


def create_bot(service: StudyService, settings: Settings, **options: Any) -> StudyBot:
    """Unless DISCORD_SHARD_COUNT is set, discord.py asks Discord how many shards to run (and runs them all)."""
    shards = {"shard_count": settings.discord_shard_count, "shard_ids": settings.discord_shard_ids or None}
    return StudyBot(service, guild_ids=settings.discord_guild_ids, **shards, **options)


async def run(service: StudyService, settings: Settings, *, publishers: Publishers | None = None) -> None:
    """Connect and serve until cancelled (or until Discord refuses the token).

    With `publishers` (the scheduler's registry) the bot adds its DiscordPublisher under "discord" once
    ready (which wakes the scheduler), and removes it again when it stops.
    """
    if settings.discord_token is None:
        raise RuntimeError("DISCORD_TOKEN is not set")
    bot = create_bot(service, settings, publishers=publishers)
    try:
        async with bot:
            await bot.start(settings.discord_token.get_secret_value())
    finally:
        bot.stop_publishing()
