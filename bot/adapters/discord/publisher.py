"""Scheduled posts into Discord channels: the scheduler's Publisher for the "discord" platform."""

from __future__ import annotations

import logging

import aiohttp
import discord

from bot.adapters.discord import render
from bot.adapters.discord.respond import NO_PINGS
from bot.adapters.discord.views import build_view
from bot.core.publishing import PublishError
from bot.core.replies import DailyPost

log = logging.getLogger(__name__)

# Discord's JSON error codes (https://discord.com/developers/docs/topics/opcodes-and-status-codes)
UNKNOWN_CHANNEL = 10003
MISSING_ACCESS = 50001
MISSING_PERMISSIONS = 50013

TRANSPORT_ERRORS = (discord.HTTPException, discord.RateLimited, aiohttp.ClientError, OSError)  # OSError: timeouts too


class DiscordPublisher:
    """Posts a DailyPost into a channel with the client's REST connection.

    Refusals that will not go away by waiting (the channel is gone, the bot was removed or lost its
    permissions) are permanent; anything else (Discord 5xx, rate limits, the network) is retried by
    the scheduler. The question message's id is the reference returned.
    """

    def __init__(self, client: discord.Client) -> None:
        self.client = client

    async def publish(self, channel_id: str, post: DailyPost) -> str:
        messages = render.daily_post(post)  # before any I/O: a rendering bug must not half-send a post
        try:
            channel = await self._channel(channel_id)
            first = await self._send(channel, messages[0])
        except TRANSPORT_ERRORS as error:
            raise publish_error(error) from error
        # Anything else is a bug: the scheduler logs it with its traceback and retries.
        for extra in messages[1:]:
            try:
                await self._send(channel, extra)
            except TRANSPORT_ERRORS as error:  # the question is out: a retry would post it twice
                log.warning("the weekly leaderboard for channel %s was not sent: %s", channel_id, publish_error(error))
        return str(first.id)

    async def _channel(self, channel_id: str) -> discord.abc.Messageable:
        if self.client.is_closed():
            raise PublishError("The Discord connection is closed.")
        try:
            snowflake = int(channel_id)
        except ValueError:
            raise PublishError(f"{channel_id[:40]!r} is not a Discord channel id.", permanent=True) from None
        channel = self.client.get_channel(snowflake) or await self.client.fetch_channel(snowflake)
        if not isinstance(channel, discord.abc.Messageable):
            raise PublishError("This channel can't hold messages (is it a category or a forum?).", permanent=True)
        return channel

    async def _send(self, channel: discord.abc.Messageable, message: render.PostMessage) -> discord.Message:
        view = build_view(message.buttons)
        if view is None:
            return await channel.send(embeds=list(message.embeds), allowed_mentions=NO_PINGS)
        return await channel.send(embeds=list(message.embeds), view=view, allowed_mentions=NO_PINGS)


def publish_error(error: BaseException) -> PublishError:
    """What a failed Discord call means for the schedule, worded for the teacher who reads `/schedule show`."""
    if isinstance(error, PublishError):
        return error
    if isinstance(error, discord.NotFound):
        if error.code == UNKNOWN_CHANNEL:
            return PublishError("The channel no longer exists (Discord: Unknown Channel).", permanent=True)
        return PublishError(f"Discord could not find the channel ({_detail(error)}).", permanent=True)
    if isinstance(error, discord.Forbidden):
        if error.code == MISSING_PERMISSIONS:
            return PublishError(
                "I'm not allowed to post in this channel: give me Send Messages and Embed Links "
                "(Discord: Missing Permissions).",
                permanent=True,
            )
        if error.code == MISSING_ACCESS:
            return PublishError(
                "I can't see this channel any more: was I removed from the server or the "
                "channel? (Discord: Missing Access)",
                permanent=True,
            )
        return PublishError(f"Discord refused the post ({_detail(error)}).", permanent=True)
    if isinstance(error, discord.RateLimited):
        return PublishError(f"Discord rate limit: try again in {error.retry_after:.0f} s.")
    if isinstance(error, discord.HTTPException):
        return PublishError(f"Discord error ({_detail(error)}).")
    if isinstance(error, (OSError, aiohttp.ClientError)):
        return PublishError(f"Could not reach Discord ({type(error).__name__}).")
    return PublishError(f"{type(error).__name__}: {str(error)[:200]}")


def _detail(error: discord.HTTPException) -> str:
    text = f"{error.status} {error.text}".strip()
    return render.clip(text, 200)
