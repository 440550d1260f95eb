"""Parsing an interaction into an Actor, answering it in time, and the one place errors are reported."""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

import discord
from discord import app_commands

from bot.adapters.discord import render
from bot.core.actor import Actor, Platform
from bot.core.errors import StudyError

if TYPE_CHECKING:
    from bot.adapters.discord.client import StudyBot
    from bot.service import StudyService

log = logging.getLogger(__name__)

T = TypeVar("T")
NO_PINGS = discord.AllowedMentions.none()
_PUBLIC_DEFER = "studybot_public_defer"
_SCOPE = "studybot_scope"  # the server a direct-message interaction acts in (see actor_for)


def actor_from(interaction: discord.Interaction) -> Actor:
    """Who is asking. Outside a server there is no community, so that is a friendly error."""
    member = interaction.user
    if interaction.guild_id is None or not isinstance(member, discord.Member):
        raise StudyError(render.NOT_IN_SERVER)
    guild = interaction.guild
    return Actor(
        Platform.DISCORD,
        community_id=str(interaction.guild_id),
        user_id=str(member.id),
        display_name=member.display_name,
        is_admin=member.guild_permissions.manage_guild or interaction.permissions.manage_guild,
        community_name=(guild.name or "") if guild is not None else "",
        role_ids=frozenset(str(role.id) for role in member.roles),  # a class may name one its teachers'
    )


async def actor_for(interaction: discord.Interaction, guild_id: str | None) -> Actor:
    """Who is asking, from a button that may name its server (custom_ids.SCOPE).

    In a server this is `actor_from` (a scope in the button is ignored: the server it is used in counts).
    In a direct message the button names the server, and Discord is asked whether the student is still
    a member there, so a forged id cannot act in a server the student is not in. Replies to the
    interaction then carry the same scope in their buttons (see `send`).
    """
    if interaction.guild_id is not None or not guild_id:
        return actor_from(interaction)
    guild = interaction.client.get_guild(int(guild_id))
    if guild is None:
        raise StudyError(render.SERVER_GONE)
    try:
        member = await guild.fetch_member(interaction.user.id)
    except discord.NotFound:
        server = render.user_text(guild.name or "that server", 100)
        raise StudyError(render.NOT_A_MEMBER.format(server=server)) from None
    interaction.extras[_SCOPE] = guild.id
    return Actor(
        Platform.DISCORD,
        community_id=str(guild.id),
        user_id=str(member.id),
        display_name=member.display_name,
        is_admin=False,  # nothing a teacher does starts from a direct message
        community_name=guild.name or "",
    )


def service_of(interaction: discord.Interaction) -> StudyService:
    client: StudyBot = interaction.client  # type: ignore[assignment]
    return client.service


async def deliver(
    interaction: discord.Interaction,
    work: Awaitable[T],
    render_reply: Callable[[T], render.Reply],
    *,
    ephemeral: bool,
    update: bool = False,
) -> T:
    """Await the service, send the rendered reply and return the result; defer first if the service is slow.

    Discord drops an interaction not answered within 3 s, so when the work takes longer than
    the bot's `defer_after` the interaction is deferred and the reply goes out as a follow-up.
    `update=True` replaces the message the clicked button sits on instead of sending a new one.
    """
    task = asyncio.ensure_future(work)
    try:
        done, _ = await asyncio.wait({task}, timeout=getattr(interaction.client, "defer_after", 1.5))
        if not done:
            if update:
                await interaction.response.defer()
            else:
                await interaction.response.defer(ephemeral=ephemeral, thinking=True)
                interaction.extras[_PUBLIC_DEFER] = not ephemeral
        result = await task
    finally:
        task.cancel()  # only has an effect if we are leaving early (cancelled, or defer failed)
    await send(interaction, render_reply(result), ephemeral=ephemeral, update=update)
    return result


async def send(interaction: discord.Interaction, reply: render.Reply, *, ephemeral: bool, update: bool = False) -> None:
    from bot.adapters.discord.views import build_view  # views import this module

    view = build_view(reply.buttons, scope=scope_of(interaction))
    if update:
        edit: dict[str, Any] = {"content": reply.content, "embed": reply.embed, "view": view}
        if interaction.response.is_done():
            await interaction.edit_original_response(**edit)
        else:
            await interaction.response.edit_message(**edit)
        return
    message: dict[str, Any] = {"ephemeral": ephemeral, "allowed_mentions": NO_PINGS}
    if reply.content:
        message["content"] = reply.content
    if reply.embed is not None:
        message["embed"] = reply.embed
    if view is not None:
        message["view"] = view
    if reply.files:
        message["files"] = [discord.File(io.BytesIO(file.data), filename=file.filename) for file in reply.files]
    if interaction.response.is_done():
        await interaction.followup.send(**message)
    else:
        await interaction.response.send_message(**message)


def scope_of(interaction: discord.Interaction) -> int | None:
    """The server a direct-message interaction acts in (set by `actor_for`); None in a server."""
    return interaction.extras.get(_SCOPE) if interaction.guild_id is None else None


async def report_error(interaction: discord.Interaction, error: BaseException) -> None:
    """The one place any failure becomes one friendly, private reply (and a log line).

    Called by the command tree's on_error, by every persistent button and by the answer modal.
    """
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    if isinstance(error, StudyError):
        log.info(
            "%s for %s in guild %s: %s", type(error).__name__, interaction.user, interaction.guild_id, error.message
        )
    else:
        log.error("Unhandled error in interaction %s (%s)", interaction.id, _what(interaction), exc_info=error)
    if interaction.type is discord.InteractionType.autocomplete:
        return
    reply = render.error(error)
    try:
        if interaction.extras.pop(_PUBLIC_DEFER, False):
            # A public "thinking..." message would turn the error public: remove it, answer privately.
            await interaction.delete_original_response()
        await send(interaction, reply, ephemeral=True)
    except discord.HTTPException:
        log.exception("Could not tell the user about an error in interaction %s", interaction.id)


def _what(interaction: discord.Interaction) -> str:
    data: dict[str, Any] = interaction.data or {}  # type: ignore[assignment]
    return str(data.get("name") or data.get("custom_id") or interaction.type.name)
