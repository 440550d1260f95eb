"""The discord.py client: no privileged intents, app commands synced at start-up, persistent buttons.

It is discord.py's AutoShardedClient: one gateway connection per shard, as many as Discord asks for
(one for a small bot), or the DISCORD_SHARD_IDS of DISCORD_SHARD_COUNT when the shards are spread over
several processes. Interactions reach the process whose shard holds their server; scheduled posts are
claimed per shard too (the publisher tells the scheduler its shards).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.adapters.discord.commands import add_commands
from bot.adapters.discord.publisher import DiscordPublisher
from bot.adapters.discord.respond import NO_PINGS, report_error
from bot.adapters.discord.views import PERSISTENT_ITEMS, answer_unclaimed, submit_essay_plan, submit_typed_answer
from bot.core.actor import Platform
from bot.core.errors import first_line

if TYPE_CHECKING:
    from bot.core.publishing import Publishers
    from bot.service import StudyService

log = logging.getLogger(__name__)

DEFER_AFTER = 1.5  # seconds of service time before an interaction is deferred (Discord allows 3)


def intents() -> discord.Intents:
    """Only the guilds intent (server names, channels); slash commands and buttons need nothing privileged."""
    return discord.Intents(guilds=True)


def quiet_voice_warnings() -> None:
    """This bot never joins voice: discord.py's warnings at client creation that the voice libraries
    (PyNaCl, davey) are not installed are only noise in every log, so they are switched off at their source."""
    discord.VoiceClient.warn_nacl = False
    discord.VoiceClient.warn_dave = False


class StudyTree(app_commands.CommandTree):
    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError, /) -> None:
        await report_error(interaction, error)


class StudyBot(discord.AutoShardedClient):
    def __init__(
        self,
        service: StudyService,
        *,
        guild_ids: Iterable[int] = (),
        defer_after: float = DEFER_AFTER,
        publishers: Publishers | None = None,
        **options: Any,
    ) -> None:
        """`publishers` is the scheduler's registry: once ready, the bot adds its publisher to it."""
        quiet_voice_warnings()
        super().__init__(intents=intents(), allowed_mentions=NO_PINGS, **options)
        self.service = service
        self.guild_ids = list(guild_ids)
        self.defer_after = defer_after
        self.publishers = publishers
        self.publisher = DiscordPublisher(self)
        self.tree = StudyTree(self)
        add_commands(self.tree)
        self._calling_off: asyncio.Task[None] | None = None

    async def setup_hook(self) -> None:
        self.add_dynamic_items(*PERSISTENT_ITEMS)
        await self.sync_commands()

    async def sync_commands(self) -> None:
        """To each guild in DISCORD_GUILD_IDS (instant, for testing and single schools), else globally."""
        if not self.guild_ids:
            synced = await self.tree.sync()
            log.info("Synced %d commands globally (new commands can take up to an hour to appear)", len(synced))
            return
        for guild_id in self.guild_ids:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            try:
                synced = await self.tree.sync(guild=guild)
            except discord.HTTPException as error:  # e.g. the bot is not in that server
                log.error("Could not sync commands to guild %s: %s %s", guild_id, error.status, error.text)
            else:
                log.info("Synced %d commands to guild %s", len(synced), guild_id)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        await submit_typed_answer(interaction)  # other interactions go to the tree and the buttons
        await submit_essay_plan(interaction)
        await answer_unclaimed(interaction)  # ... or, when no button of ours knows the id, a friendly answer

    async def on_guild_remove(self, guild: discord.Guild) -> None:
        """Removed from a server (kicked, or the server deleted): its class's data goes in 30 days unless
        the bot is added back."""
        log.warning("Discord: removed from server %s; its class's data will be deleted in 30 days", guild.id)
        await self.service.bot_removed(Platform.DISCORD.value, str(guild.id))

    async def on_guild_join(self, guild: discord.Guild) -> None:
        """Added to a server, perhaps back to one that removed it: the deletion is called off."""
        log.info("Discord: added to server %s (%s)", guild.id, guild)
        await self.service.bot_returned(Platform.DISCORD.value, str(guild.id))

    async def on_ready(self) -> None:
        log.info("Discord: logged in as %s in %d server(s)", self.user, len(self.guilds))
        publishers = self.publishers
        # on_ready fires again after each reconnect: add the publisher once.
        if publishers is not None and not ("discord" in publishers and publishers.get("discord") is self.publisher):
            publishers.add("discord", self.publisher)  # wakes the scheduler: posts missed while offline go out now
            log.info("Discord: scheduled posts enabled")
        if self._calling_off is None or self._calling_off.done():  # named, owned: close() ends it
            self._calling_off = asyncio.create_task(self.still_in(self.guilds), name="discord: still in servers")

    async def still_in(self, guilds: Iterable[discord.Guild]) -> None:
        """A server that added the bot back while it was offline sends no join event, only READY: the
        deletion of its class is called off here (a no-op for a class that was never marked)."""
        try:
            await self.service.bot_returned(Platform.DISCORD.value, *(str(guild.id) for guild in list(guilds)))
        except Exception as error:  # the database away: the next start tries again
            log.warning("Discord: could not call off deletions for the servers the bot is in: %s", first_line(error))

    async def close(self) -> None:
        if self._calling_off is not None and not self._calling_off.done():
            self._calling_off.cancel()
            await asyncio.gather(self._calling_off, return_exceptions=True)
        if not isinstance(self.loop, asyncio.AbstractEventLoop):
            # Never started: AutoShardedClient.close() needs the queue its start-up makes; nothing is connected.
            await discord.Client.close(self)
            return
        await super().close()

    def stop_publishing(self) -> None:
        if self.publishers is not None:
            self.publishers.remove("discord", self.publisher)  # only ours, not one that replaced it
