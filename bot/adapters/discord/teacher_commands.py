"""The teachers' /teacher group: `role` (the server's teachers' role) and `topics` (the topics taught so far).

Hidden from members without Manage Server (default_permissions, as /schedule), and checked again by the
service: any teacher may change the topics taught, only a member who can manage the server the role.
"""

from __future__ import annotations

import discord
from discord import app_commands

from bot.adapters.discord import render
from bot.adapters.discord.autocomplete import taught_lists
from bot.adapters.discord.respond import actor_from, deliver, service_of
from bot.core.errors import StudyError

TEACHERS_ONLY = discord.Permissions(manage_guild=True)
ONE_AT_A_TIME = "Give a `role` to name it, or `clear:True` to remove it, not both."
EVERYONE = "Pick a role some members have, not @everyone: that would make every member a teacher."


@app_commands.describe(
    role="Its members count as teachers here, besides those who can manage the server (empty: show it)",
    clear="True: no teachers' role any more",
)
async def teacher_role(interaction: discord.Interaction, role: discord.Role | None = None, clear: bool = False) -> None:
    actor = actor_from(interaction)
    service = service_of(interaction)
    if role is not None and clear:
        raise StudyError(ONE_AT_A_TIME)
    if role is not None and role.is_default():
        raise StudyError(EVERYONE)
    if role is not None or clear:
        work = service.set_teacher_role(actor, str(role.id) if role is not None else None)
    else:
        work = service.teacher_role(actor)
    await deliver(interaction, work, render.teacher_role, ephemeral=True)


@app_commands.describe(taught="The topics taught so far, comma-separated, or all (empty: show them)")
@app_commands.autocomplete(taught=taught_lists)
async def teacher_topics(
    interaction: discord.Interaction, taught: app_commands.Range[str, 1, 400] | None = None
) -> None:
    actor = actor_from(interaction)
    service = service_of(interaction)
    work = service.set_taught_topics(actor, taught) if taught else service.taught_topics(actor)
    await deliver(interaction, work, render.taught_topics, ephemeral=True)


def teacher_group() -> app_commands.Group:
    group = app_commands.Group(
        name="teacher",
        description="Teachers: who teaches here, and what the class has been taught so far",
        guild_only=True,
        allowed_contexts=app_commands.AppCommandContext(guild=True),
        default_permissions=TEACHERS_ONLY,
    )
    for name, description, callback in (
        ("role", "The role whose members count as teachers here, besides Manage Server", teacher_role),
        ("topics", "The topics taught so far: the daily question, practice and review ask only those", teacher_topics),
    ):
        group.add_command(app_commands.Command(name=name, description=description, callback=callback))
    return group
