"""The teachers' /schedule group: set, show, now, skip, pause, resume, off and list for the channel it is used in.

Hidden from members without Manage Server (default_permissions on the group), and checked again by
the service (Actor.is_admin), since a server's admins can change who sees the commands.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from typing import Any

import discord
from discord import app_commands

from bot.adapters.discord import render
from bot.adapters.discord.autocomplete import scheduled_channels, timezones, topic_lists
from bot.adapters.discord.render.base import day_name
from bot.adapters.discord.respond import actor_from, deliver, service_of
from bot.core.errors import StudyError
from bot.core.schedules import WEEKDAY_NAMES

WEEKDAYS = [
    *(
        app_commands.Choice(name=name + (" (default)" if name == "Friday" else ""), value=name[:3].lower())
        for name in WEEKDAY_NAMES
    ),
    app_commands.Choice(name="No weekly leaderboard", value="off"),
]
NEEDED_TO_POST = {"view_channel": "View Channel", "send_messages": "Send Messages", "embed_links": "Embed Links"}


def _channel(interaction: discord.Interaction) -> tuple[str, str]:
    """The channel the command was used in: where the posts will go."""
    channel = interaction.channel
    channel_id = interaction.channel_id or getattr(channel, "id", None)
    if channel_id is None:
        raise StudyError("Use this command in the channel the daily question should be posted in.")
    return str(channel_id), str(getattr(channel, "name", None) or "")


def _cannot_post_here(interaction: discord.Interaction) -> str:
    """A warning when the bot lacks what a post needs in this channel (Discord tells us with each interaction)."""
    allowed = interaction.app_permissions
    missing = [label for flag, label in NEEDED_TO_POST.items() if not getattr(allowed, flag)]
    if isinstance(interaction.channel, discord.Thread) and not allowed.send_messages_in_threads:
        missing.append("Send Messages in Threads")
    if not missing:
        return ""
    listed = ", ".join(missing[:-1]) + " and " + missing[-1] if len(missing) > 1 else missing[0]
    return f"I can't post here yet: give me {listed} in this channel."


@app_commands.describe(
    time="When to post, 24-hour HH:MM, such as 08:30",
    timezone="The server's time zone, for every channel's schedule (default: keep the server's)",
    days="Days to post on: mon-fri (default), every day, or a list such as mon,wed,fri",
    topics="Only these topics, comma-separated (default: all)",
    weekly_leaderboard="The day the week's leaderboard follows the question (default Friday)",
)
@app_commands.autocomplete(timezone=timezones, topics=topic_lists)
@app_commands.choices(weekly_leaderboard=WEEKDAYS)
async def schedule_set(
    interaction: discord.Interaction,
    time: app_commands.Range[str, 1, 20],
    timezone: app_commands.Range[str, 1, 64] | None = None,
    days: app_commands.Range[str, 1, 60] | None = None,
    topics: app_commands.Range[str, 1, 100] | None = None,
    weekly_leaderboard: app_commands.Choice[str] | None = None,
) -> None:
    actor = actor_from(interaction)
    channel_id, channel_name = _channel(interaction)
    work = service_of(interaction).schedules.set(
        actor,
        channel_id,
        time=time,
        timezone=timezone,
        days=days,
        topics=topics,
        weekly_leaderboard=weekly_leaderboard.value if weekly_leaderboard else None,
        channel_name=channel_name,
    )
    warning = _cannot_post_here(interaction)
    await deliver(
        interaction, work, lambda info: render.schedule(info, heading="Saved.", warning=warning), ephemeral=True
    )


async def schedule_show(interaction: discord.Interaction) -> None:
    actor = actor_from(interaction)
    channel_id, _ = _channel(interaction)
    await deliver(
        interaction, service_of(interaction).schedules.show(actor, channel_id), render.schedule, ephemeral=True
    )


async def schedule_now(interaction: discord.Interaction) -> None:
    actor = actor_from(interaction)
    channel_id, _ = _channel(interaction)
    warning = _cannot_post_here(interaction)
    await deliver(
        interaction,
        service_of(interaction).schedules.now(actor, channel_id),
        lambda info: render.schedule(info, heading="Posting today's question now.", warning=warning),
        ephemeral=True,
    )


async def schedule_skip(interaction: discord.Interaction) -> None:
    actor = actor_from(interaction)
    channel_id, _ = _channel(interaction)
    await deliver(
        interaction,
        service_of(interaction).schedules.skip(actor, channel_id),
        # the latest skipped day is the one just skipped: skipping again skips the post after those
        lambda info: render.schedule(info, heading=f"Skipped the post of {day_name(info.skipped[-1])}."),
        ephemeral=True,
    )


@app_commands.describe(from_to="Dates as YYYY-MM-DD..YYYY-MM-DD (leave empty to pause until /schedule resume)")
async def schedule_pause(
    interaction: discord.Interaction, from_to: app_commands.Range[str, 1, 30] | None = None
) -> None:
    actor = actor_from(interaction)
    channel_id, _ = _channel(interaction)
    await deliver(
        interaction,
        service_of(interaction).schedules.pause(actor, channel_id, from_to),
        lambda info: render.schedule(info, heading="Paused."),
        ephemeral=True,
    )


async def schedule_resume(interaction: discord.Interaction) -> None:
    actor = actor_from(interaction)
    channel_id, _ = _channel(interaction)
    await deliver(
        interaction,
        service_of(interaction).schedules.resume(actor, channel_id),
        lambda info: render.schedule(info, heading="Resumed."),
        ephemeral=True,
    )


@app_commands.describe(channel="Another channel to stop posting in, such as a deleted one (default: this channel)")
@app_commands.autocomplete(channel=scheduled_channels)
async def schedule_off(interaction: discord.Interaction, channel: app_commands.Range[str, 1, 40] | None = None) -> None:
    actor = actor_from(interaction)
    here, _ = _channel(interaction)
    channel_id = _picked_channel(channel) if channel else here
    await deliver(
        interaction,
        service_of(interaction).schedules.off(actor, channel_id),
        lambda _: render.schedule_removed(None if channel_id == here else channel_id),
        ephemeral=True,
    )


def _picked_channel(picked: str) -> str:
    """A channel id from the autocomplete list, or typed as an id or a #mention."""
    found = re.fullmatch(r"<?#?(\d{15,25})>?", picked.strip())
    if found is None:
        raise StudyError("Pick the channel from the list that appears as you type.")
    return found.group(1)


async def schedule_list(interaction: discord.Interaction) -> None:
    actor = actor_from(interaction)
    await deliver(interaction, service_of(interaction).schedules.list_all(actor), render.schedule_list, ephemeral=True)


Callback = Callable[..., Coroutine[Any, Any, None]]

SCHEDULE_COMMANDS: tuple[tuple[str, str, Callback], ...] = (
    ("set", "Post the daily question in this channel at a set time on set days", schedule_set),
    ("show", "This channel's schedule and when the next post goes out", schedule_show),
    ("now", "Post this channel's question now, once: it is today's post", schedule_now),
    ("skip", "Skip this channel's next post (/schedule resume brings skipped posts back)", schedule_skip),
    ("pause", "Pause this channel's posts, for some dates or until resumed", schedule_pause),
    ("resume", "Resume this channel's posts (clears current and future pauses and skips)", schedule_resume),
    ("off", "Stop posting the daily question in this channel", schedule_off),
    ("list", "Every channel's schedule in this server, and any that keep failing", schedule_list),
)


def schedule_group() -> app_commands.Group:
    group = app_commands.Group(
        name="schedule",
        description="Teachers: post the daily question in this channel automatically",
        guild_only=True,
        allowed_contexts=app_commands.AppCommandContext(guild=True),
        default_permissions=discord.Permissions(manage_guild=True),
    )
    for name, description, callback in SCHEDULE_COMMANDS:
        group.add_command(app_commands.Command(name=name, description=description, callback=callback))
    return group
