"""The slash commands: parse the options, call the service, render. No quiz rules here."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Coroutine
from typing import Any
from zoneinfo import available_timezones

import discord
from discord import app_commands

from bot.adapters.discord import render
from bot.adapters.discord.respond import actor_from, deliver, send, service_of
from bot.core.errors import StudyError

log = logging.getLogger(__name__)

CHOICES = 25  # Discord shows at most 25 autocomplete choices
CHOICE_TEXT = 100

PERIODS = [
    app_commands.Choice(name="This week", value="week"),
    app_commands.Choice(name="This month", value="month"),
    app_commands.Choice(name="All time", value="all"),
]


# ---------------------------------------------------------------- autocomplete


def _choices(pairs: list[tuple[str, str]]) -> list[app_commands.Choice[str]]:
    return [
        app_commands.Choice(name=render.clip(name, CHOICE_TEXT), value=value)
        for value, name in pairs[:CHOICES]
        if 0 < len(value) <= CHOICE_TEXT and name.strip()
    ]


Completer = Callable[[discord.Interaction, str], Coroutine[Any, Any, list[app_commands.Choice[str]]]]


def _autocomplete(source: Callable[[discord.Interaction, str], list[tuple[str, str]]]) -> Completer:
    """Wrap a (value, name) source: fast, never raises (a failure shows no suggestions and is logged)."""

    async def complete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        try:
            return _choices(source(interaction, current))
        except Exception:
            log.exception("autocomplete failed for %r", current)
            return []

    return complete


@functools.cache
def _zones() -> tuple[str, ...]:
    """Computed once: reading the time zone database takes a while."""
    skip = ("posix/", "right/", "Etc/", "SystemV/")
    return tuple(sorted(z for z in available_timezones() if "/" in z and not z.startswith(skip))) + ("UTC",)


COMMON_ZONES = (
    "Europe/London",
    "Europe/Dublin",
    "Europe/Paris",
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Toronto",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Hong_Kong",
    "Australia/Sydney",
    "Pacific/Auckland",
    "UTC",
)


def timezone_choices(typed: str) -> list[tuple[str, str]]:
    """IANA zones matching what was typed: the whole name, a city's start, another part's start, then
    anywhere; the zones most schools use first among equals."""
    folded = typed.strip().lower().replace(" ", "_")
    zones = _zones()
    if not folded:
        return [(zone, zone.replace("_", " ")) for zone in COMMON_ZONES if zone in zones]

    def rank(zone: str) -> int:
        lowered = zone.lower()
        if lowered == folded:
            return 0
        if lowered.rsplit("/", 1)[-1].startswith(folded):  # the city: "lon" -> Europe/London
            return 1
        if any(part.startswith(folded) for part in [lowered, *lowered.split("/")]):
            return 2
        return 3 if folded in lowered else 4

    ranked = sorted((r, zone not in COMMON_ZONES, zone) for zone in zones if (r := rank(zone)) < 4)
    return [(zone, zone.replace("_", " ")) for _, _, zone in ranked[:CHOICES]]


def topic_list_choices(service: Any, typed: str) -> list[tuple[str, str]]:
    """Complete the last of comma-separated topics: 'rise, ne' -> 'rise, nep'."""
    done, _, last = typed.rpartition(",")
    chosen = [part.strip() for part in done.split(",") if part.strip()]
    prefix = ", ".join(chosen)
    pairs = []
    for topic in service.complete_topic(last.strip(), CHOICES):
        if topic.topic_id in chosen:
            continue
        value = f"{prefix}, {topic.topic_id}" if prefix else topic.topic_id
        pairs.append((value, f"{value} ({topic.title})"))
    return pairs


timezones = _autocomplete(lambda i, typed: timezone_choices(typed))
topic_lists = _autocomplete(lambda i, typed: topic_list_choices(service_of(i), typed))
topics = _autocomplete(lambda i, typed: [(t.topic_id, t.title) for t in service_of(i).complete_topic(typed, CHOICES)])
figures = _autocomplete(lambda i, typed: service_of(i).complete_name(typed, kind="figure", limit=CHOICES))
cards = _autocomplete(lambda i, typed: service_of(i).complete_name(typed, limit=CHOICES))


# ---------------------------------------------------------------- commands


@app_commands.guild_only()
async def daily(interaction: discord.Interaction) -> None:
    actor = actor_from(interaction)
    await deliver(interaction, service_of(interaction).daily_question(actor), render.question, ephemeral=False)


@app_commands.guild_only()
@app_commands.describe(topic="A topic to practise (leave empty for any topic)")
@app_commands.autocomplete(topic=topics)
async def quiz(interaction: discord.Interaction, topic: app_commands.Range[str, 1, 100] | None = None) -> None:
    actor = actor_from(interaction)
    await deliver(interaction, service_of(interaction).practice_question(actor, topic), render.question, ephemeral=True)


@app_commands.guild_only()
@app_commands.describe(period="Which points to count (default: this week)")
@app_commands.choices(period=PERIODS)
async def leaderboard(interaction: discord.Interaction, period: app_commands.Choice[str] | None = None) -> None:
    actor = actor_from(interaction)
    chosen = period.value if period is not None else "week"
    await deliver(interaction, service_of(interaction).leaderboard(actor, chosen), render.leaderboard, ephemeral=False)


@app_commands.guild_only()
@app_commands.describe(name="One of Stalin's rivals, e.g. Trotsky or Bukharin")
@app_commands.autocomplete(name=figures)
async def rival(interaction: discord.Interaction, name: app_commands.Range[str, 1, 100]) -> None:
    actor_from(interaction)
    await deliver(interaction, service_of(interaction).explain(name, kind="figure"), render.reference, ephemeral=False)


@app_commands.guild_only()
@app_commands.describe(name_or_term="A person or a term, e.g. Bukharin, NEP or kulak")
@app_commands.autocomplete(name_or_term=cards)
async def explain(interaction: discord.Interaction, name_or_term: app_commands.Range[str, 1, 100]) -> None:
    actor_from(interaction)
    await deliver(interaction, service_of(interaction).explain(name_or_term), render.reference, ephemeral=False)


@app_commands.guild_only()
@app_commands.describe(member="Whose stats to show (default: yours)")
async def stats(interaction: discord.Interaction, member: discord.User | None = None) -> None:
    # discord.User also accepts someone who has left the server (the service says they have no answers here)
    actor = actor_from(interaction)
    who = str(member.id) if member is not None else None
    await deliver(interaction, service_of(interaction).stats(actor, member_user_id=who), render.stats, ephemeral=True)


@app_commands.guild_only()
async def forgetme(interaction: discord.Interaction) -> None:
    actor = actor_from(interaction)
    await send(interaction, render.forget_prompt(actor.community_name), ephemeral=True)


# ---------------------------------------------------------------- /schedule (teachers)
#
# Hidden from members without Manage Server (default_permissions on the group), and checked again by
# the service (Actor.is_admin), since a server's admins can change who sees the commands.

WEEKDAYS = [
    *(
        app_commands.Choice(name=name + (" (default)" if name == "Friday" else ""), value=name[:3].lower())
        for name in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
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
    timezone="The class's time zone (default Europe/London)",
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


async def scheduled_channels(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """The server's scheduled channels, deleted ones included (by the name they had), for teachers."""
    try:
        infos = await service_of(interaction).schedules.list_all(actor_from(interaction))
    except StudyError:  # not a teacher: nothing to offer
        return []
    except Exception:
        log.exception("autocomplete of scheduled channels failed")
        return []
    typed = current.strip().lstrip("#").lower()
    return _choices(
        [
            (info.channel_id, f"#{info.channel_name or info.channel_id}" + (" (failing)" if info.last_error else ""))
            for info in infos
            if typed in info.channel_name.lower() or typed in info.channel_id
        ]
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
    ("pause", "Pause this channel's posts, for some dates or until resumed", schedule_pause),
    ("resume", "Resume this channel's posts (clears current and future pauses)", schedule_resume),
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


COMMANDS: tuple[tuple[str, str, Callback], ...] = (
    ("daily", "Today's question for this server: answer it for points", daily),
    ("quiz", "A practice question, from any topic or the one you pick (no points)", quiz),
    ("leaderboard", "The top ten in this server and your own rank", leaderboard),
    ("rival", "A card on one of Stalin's rivals", rival),
    ("explain", "A card on a person or a term from the unit", explain),
    ("stats", "Accuracy overall and per topic, and streaks", stats),
    ("forgetme", "Delete everything stored about you in this server", forgetme),
)


def add_commands(tree: app_commands.CommandTree) -> None:
    """Add fresh Command objects (one set per tree, so several clients can live in one process)."""
    for name, description, callback in COMMANDS:
        tree.add_command(app_commands.Command(name=name, description=description, callback=callback))
    tree.add_command(schedule_group())
