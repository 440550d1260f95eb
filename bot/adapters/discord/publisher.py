"""Scheduled posts into Discord channels, and review reminders by direct message: the scheduler's
Publisher for the "discord" platform.

A post's question message carries the question's ref in its buttons' custom_ids (one ref per community
per day), so a scheduler that took over a claim whose sender died mid-send can find the message in the
channel (`find_post`) instead of posting it a second time.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable, Iterator
from typing import Any

import aiohttp
import discord

from bot.adapters.discord import custom_ids, render
from bot.adapters.discord.respond import NO_PINGS
from bot.adapters.discord.views import build_view
from bot.core.publishing import PublishError
from bot.core.replies import DailyPost, ReviewReminder
from bot.core.shards import Shards

log = logging.getLogger(__name__)

# Discord's JSON error codes (https://discord.com/developers/docs/topics/opcodes-and-status-codes)
UNKNOWN_CHANNEL = 10003
MISSING_ACCESS = 50001
MISSING_PERMISSIONS = 50013
UNKNOWN_MEMBER = 10007
UNKNOWN_USER = 10013
CANNOT_MESSAGE_USER = 50007  # the user blocks direct messages from the bot or from server members
INVALID_RECIPIENT = 50033

TRANSPORT_ERRORS = (discord.HTTPException, discord.RateLimited, aiohttp.ClientError, OSError)  # OSError: timeouts too
HISTORY_LIMIT = 200  # recent messages read by find_post, newest first (two requests)
REF_TEMPLATES = tuple(re.compile(template) for template in (custom_ids.ANSWER, custom_ids.TYPED))


class DiscordPublisher:
    """Posts a DailyPost into a channel with the client's REST connection.

    Refusals that will not go away by waiting (the channel is gone, the bot was removed or lost its
    permissions) are permanent; anything else (Discord 5xx, rate limits, the network) is retried by
    the scheduler. The question message's id is the reference returned.
    """

    def __init__(self, client: discord.Client) -> None:
        self.client = client

    @property
    def connected(self) -> bool:
        """Whether the gateway connection is up now (the host's readiness check): false while reconnecting.
        A sharded client has one connection per shard, and is connected when each of them is."""
        if not self.client.is_ready() or self.client.is_closed():
            return False
        if isinstance(self.client, discord.AutoShardedClient):
            shards = self.client.shards.values()
            return bool(shards) and not any(shard.is_closed() for shard in shards)
        return self.client.ws is not None and self.client.ws.open

    @property
    def shards(self) -> Shards | None:
        """The shards this process runs when they are some of the bot's (DISCORD_SHARD_IDS); None for all."""
        count, ids = self.client.shard_count, getattr(self.client, "shard_ids", None)
        if count is None or not ids:
            return None
        some = Shards(count, frozenset(ids))
        return None if some.all else some

    async def find_post(self, channel_id: str, post: DailyPost, since: dt.datetime) -> str | None:
        """The id of our own question message for this post in the channel since `since`, if it is there.

        Reads the channel's recent messages, newest first. Only the bot's own channel posts count: a
        public /daily reply carries the same buttons but is an interaction's response, not the post.
        When Discord cannot be asked it logs a warning and returns None: the scheduler then posts again.
        """
        ref = post.question.ref.encode()
        try:
            channel = await self._channel(channel_id)
            async for message in channel.history(limit=HISTORY_LIMIT):
                if message.created_at < since:
                    return None
                if self._is_post(message, ref):
                    return str(message.id)
        except (PublishError, *TRANSPORT_ERRORS) as error:
            log.warning(
                "could not look in channel %s for the post that was being sent (%s); posting it again",
                channel_id,
                publish_error(error),
            )
            return None
        return None

    def _is_post(self, message: discord.Message, ref: str) -> bool:
        me = self.client.user
        if me is None or message.author.id != me.id or message.webhook_id is not None:
            return False
        if message.type is not discord.MessageType.default or message.interaction_metadata is not None:
            return False
        return ref in _refs(_custom_ids(message.components))

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

    async def remind(self, reminder: ReviewReminder) -> None:
        """A direct message to one student: how many reviews wait in which server, "Start review", and
        "Turn off reminders" (both buttons name the server, since a direct message has none).

        Only to a student still in that server. A student who left, a user Discord no longer knows and
        one whose privacy settings refuse the bot's messages are permanent failures; anything else
        (Discord 5xx, rate limits, the network) is not.
        """
        if self.client.is_closed():
            raise PublishError("The Discord connection is closed.")
        try:
            guild = self.client.get_guild(int(reminder.community_id))
            user_id = int(reminder.user_id)
        except ValueError:
            raise PublishError("Not a Discord server or user id.", permanent=True) from None
        if guild is None:
            raise PublishError("I'm no longer in that server.", permanent=True)
        message = render.reminder(reminder.due, guild.name or "")
        try:
            await guild.fetch_member(user_id)  # also: Discord lets a bot message only people it shares a server with
            channel = await self.client.create_dm(discord.Object(id=user_id))
            await channel.send(
                content=message.content,
                view=build_view(message.buttons, scope=guild.id),
                allowed_mentions=NO_PINGS,
            )
        except TRANSPORT_ERRORS as error:
            raise reminder_error(error) from error

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


def _custom_ids(components: Iterable[Any]) -> Iterator[str]:
    """Every custom_id in a message's components, however deeply nested (action rows, sections)."""
    for component in components:
        custom_id = getattr(component, "custom_id", None)
        if custom_id:
            yield custom_id
        for attribute in ("children", "components"):
            yield from _custom_ids(getattr(component, attribute, None) or ())


def _refs(found: Iterable[str]) -> set[str]:
    """The question refs that answer and typed-answer buttons carry."""
    refs = set()
    for custom_id in found:
        for template in REF_TEMPLATES:
            if match := template.fullmatch(custom_id):
                refs.add(match["ref"])
    return refs


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


def reminder_error(error: BaseException) -> PublishError:
    """What a failed direct message means: permanent when the student is out of reach for good."""
    if isinstance(error, discord.NotFound):
        if error.code == UNKNOWN_MEMBER:
            return PublishError("The student is no longer in the server.", permanent=True)
        return PublishError(f"Discord does not know the student ({_detail(error)}).", permanent=True)
    if isinstance(error, discord.Forbidden):
        if error.code == CANNOT_MESSAGE_USER:
            return PublishError("The student does not accept direct messages from me.", permanent=True)
        return PublishError(f"Discord refused the direct message ({_detail(error)}).", permanent=True)
    if isinstance(error, discord.HTTPException) and error.code == INVALID_RECIPIENT:
        return PublishError(f"Discord cannot message the student ({_detail(error)}).", permanent=True)
    return publish_error(error)


def _detail(error: discord.HTTPException) -> str:
    text = f"{error.status} {error.text}".strip()
    return render.clip(text, 200)
