"""Assignments' slash commands: /assign (teachers) and /assignments (a teacher's class list, a student's own).

/assign answers the teacher privately and posts the announcement, with its "Start" button, into the
channel once; the service decides who is a teacher (/assign is hidden from members without Manage Server,
as /schedule is, and checked again there). The buttons are in views.py, the replies in render/assignments.py.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from bot.adapters.discord.autocomplete import choices
from bot.adapters.discord.publisher import TRANSPORT_ERRORS, publish_error
from bot.adapters.discord.render import assignments as render
from bot.adapters.discord.respond import NO_PINGS, actor_from, deliver, send, service_of
from bot.adapters.discord.views import build_view
from bot.core.publishing import PublishError
from bot.core.replies import AssignmentCreated

log = logging.getLogger(__name__)

ALL = ("all", "all \u2014 every topic taught so far")
HARDEST = ("hardest", "hardest \u2014 the class's most-missed questions this term")


async def assignment_topics(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """Topics for /assign: "all" first when it fits what was typed, then the bank's (the service refuses
    untaught ones)."""
    try:
        folded = current.strip().lower()
        found = [choice for choice in (ALL, HARDEST) if choice[0].startswith(folded)]
        topics = service_of(interaction).complete_topic(current, 25 - len(found))
        return choices(found + [(topic.topic_id, topic.title) for topic in topics])
    except Exception:
        log.exception("autocomplete of assignment topics failed for %r", current)
        return []


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
@app_commands.describe(
    topic="A topic, all (every topic taught so far), hardest (the class's most missed) or question ids",
    due="The last day to do it, YYYY-MM-DD, such as 2026-12-04",
    n="How many questions (default 10)",
    goal="The share to get right, in percent (default 70)",
)
@app_commands.autocomplete(topic=assignment_topics)
async def assign(
    interaction: discord.Interaction,
    topic: app_commands.Range[str, 1, 100],
    due: app_commands.Range[str, 1, 20],
    n: app_commands.Range[int, 1, 50] | None = None,
    goal: app_commands.Range[int, 1, 100] | None = None,
) -> None:
    actor = actor_from(interaction)
    channel_id = str(interaction.channel_id or "")
    work = service_of(interaction).assignments.create(actor, channel_id, topic, due, count=n, goal=goal)
    created = await deliver(interaction, work, render.created, ephemeral=True)
    await announce(interaction, created)


async def announce(interaction: discord.Interaction, created: AssignmentCreated) -> None:
    """Post the announcement into the channel (once); tell the teacher privately if Discord refuses it."""
    reply = render.announcement(created.assignment)
    channel = interaction.channel
    try:
        if not isinstance(channel, discord.abc.Messageable):
            raise PublishError("This channel can't hold messages.")
        message = await channel.send(embed=reply.embed, view=build_view(reply.buttons), allowed_mentions=NO_PINGS)
    except (*TRANSPORT_ERRORS, PublishError) as error:
        reason = str(publish_error(error))
        log.warning("assignment %s not announced in %s: %s", created.assignment.assignment_id, channel, reason)
        await send(interaction, render.not_posted(reason), ephemeral=True)
        return
    await service_of(interaction).assignments.announced(created.assignment.assignment_id, str(message.id))


@app_commands.guild_only()
@app_commands.describe(close="Teachers: the number of an assignment to close early")
async def assignments(interaction: discord.Interaction, close: app_commands.Range[int, 1] | None = None) -> None:
    actor = actor_from(interaction)
    service = service_of(interaction).assignments
    if close is not None:
        await deliver(interaction, service.close(actor, close), render.closed, ephemeral=True)
        return
    await deliver(interaction, service.overview(actor), render.overview, ephemeral=True)


def assignment_commands() -> list[app_commands.Command]:
    return [
        app_commands.Command(
            name="assign",
            description="Teachers: give the class a set of questions to do by a date, with a goal",
            callback=assign,
        ),
        app_commands.Command(
            name="assignments",
            description="Your assignments and what is left to do (teachers: who has finished)",
            callback=assignments,
        ),
    ]
