"""The slash commands: parse the options, call the service, render. No quiz rules here."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

import discord
from discord import app_commands

from bot.adapters.discord import render
from bot.adapters.discord.respond import actor_from, deliver, send, service_of

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


Callback = Callable[..., Coroutine[Any, Any, None]]

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
