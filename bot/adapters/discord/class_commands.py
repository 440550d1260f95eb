"""The teachers' commands about the class as a whole: /goal and /class delete.

Hidden from members without Manage Server (default_permissions, as /schedule), and checked again by the
service (Actor.is_admin, or a teacher it knows), since a server's admins can change who sees the commands.
"""

from __future__ import annotations

import discord
from discord import app_commands

from bot.adapters.discord import render
from bot.adapters.discord.respond import actor_from, deliver, service_of
from bot.core.errors import InvalidInput
from bot.core.replies import ClassDeleted

TEACHERS_ONLY = discord.Permissions(manage_guild=True)
TEXT_COMMAND = "`class delete "  # how the service's explanation names the command, as typed elsewhere
SLASH_COMMAND = "`/class delete confirm:"


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
@app_commands.describe(percent="The share of the week's daily answers to get right, such as 70%, or off")
async def goal(interaction: discord.Interaction, percent: app_commands.Range[str, 1, 10]) -> None:
    actor = actor_from(interaction)
    await deliver(interaction, service_of(interaction).set_goal(actor, percent), render.goal_setting, ephemeral=True)


@app_commands.describe(confirm="Type: delete everything")
async def class_delete(interaction: discord.Interaction, confirm: app_commands.Range[str, 1, 100]) -> None:
    actor = actor_from(interaction)
    service = service_of(interaction)

    async def deleting() -> ClassDeleted:
        try:
            return await service.delete_class(actor, confirm)
        except InvalidInput as error:  # the service's explanation, in this platform's words
            raise InvalidInput(error.message.replace(TEXT_COMMAND, SLASH_COMMAND)) from None

    await deliver(interaction, deleting(), render.class_deleted, ephemeral=True)


def goal_command() -> app_commands.Command:
    return app_commands.Command(
        name="goal",
        description="Teachers: the class's weekly goal of right daily answers, shown in the weekly post",
        callback=goal,
    )


def class_group() -> app_commands.Group:
    group = app_commands.Group(
        name="class",
        description="Teachers: this server's class as a whole",
        guild_only=True,
        allowed_contexts=app_commands.AppCommandContext(guild=True),
        default_permissions=TEACHERS_ONLY,
    )
    group.add_command(
        app_commands.Command(
            name="delete",
            description="Delete every answer, score, setting and schedule of this server's class",
            callback=class_delete,
        )
    )
    return group
