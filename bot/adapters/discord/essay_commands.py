"""Essay practice on Discord: /essay plan [topic] shows a question to plan with a "Write your plan" button
(its form and the form's submission are in views.py, with the other persistent items); /essay history
lists the student's plans. Everything private to the student."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.adapters.discord import render
from bot.adapters.discord.autocomplete import topics
from bot.adapters.discord.respond import actor_from, deliver, service_of


@app_commands.describe(topic="A topic of the unit (empty: any)")
async def essay_plan(interaction: discord.Interaction, topic: app_commands.Range[str, 1, 100] | None = None) -> None:
    actor = actor_from(interaction)
    await deliver(interaction, service_of(interaction).start_essay(actor, topic), render.essay_asked, ephemeral=True)


async def essay_history(interaction: discord.Interaction) -> None:
    actor = actor_from(interaction)
    await deliver(interaction, service_of(interaction).essay_history(actor), render.essay_history, ephemeral=True)


def essay_group() -> app_commands.Group:
    group = app_commands.Group(
        name="essay",
        description="Plan exam-style essays and compare your plan with the model's",
        guild_only=True,
        allowed_contexts=app_commands.AppCommandContext(guild=True),
    )
    plan = app_commands.Command(
        name="plan", description="An exam-style essay question to plan (just for you)", callback=essay_plan
    )
    plan.autocomplete("topic")(topics)
    group.add_command(plan)
    group.add_command(
        app_commands.Command(name="history", description="Your essay plans so far", callback=essay_history)
    )
    return group
