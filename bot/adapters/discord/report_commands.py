"""The teachers' /report (the class report, its chart attached) and /export (every attempt as a CSV file).

Both answer privately, and both defer at once: drawing the chart or writing a long export can take longer
than the 3 s Discord waits for an answer, and a file sent as the first answer would have to be uploaded
within them too. Hidden from members without Manage Server (default_permissions, as /schedule), and
checked again by the service, which also knows the teachers' role.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import discord
from discord import app_commands

from bot.adapters.discord.autocomplete import class_topics, report_periods
from bot.adapters.discord.render.reports import class_report, export_file, export_too_big
from bot.adapters.discord.respond import actor_from, send, service_of
from bot.core.errors import InvalidInput
from bot.core.reports import PERIOD_HELP, split_period_and_topic

UPLOAD_LIMIT = 10 * 1024 * 1024  # a bot's default; each interaction says what its server allows


def _period(typed: str | None) -> str:
    """The period option as the service reads it; a topic or a stray word in it is refused here, so the
    teacher is not told of an unknown topic they never typed."""
    if not typed:
        return ""
    period, rest = split_period_and_topic(typed)
    if not period or rest:
        raise InvalidInput(f"I don't know the period \u201c{typed[:60]}\u201d. {PERIOD_HELP}")
    return period


def _upload_limit(interaction: discord.Interaction) -> int:
    return getattr(interaction, "filesize_limit", None) or UPLOAD_LIMIT


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
@app_commands.describe(
    period="week (default), month, term, or since YYYY-MM-DD", topic="Only this topic (default: every topic)"
)
@app_commands.autocomplete(period=report_periods, topic=class_topics)
async def report(
    interaction: discord.Interaction,
    period: app_commands.Range[str, 1, 40] | None = None,
    topic: app_commands.Range[str, 1, 100] | None = None,
) -> None:
    actor = actor_from(interaction)
    args = " ".join(part for part in (_period(period), topic or "") if part)
    await interaction.response.defer(ephemeral=True, thinking=True)
    found = await service_of(interaction).class_report(actor, args)
    await send(interaction, class_report(found, chart_limit=_upload_limit(interaction)), ephemeral=True)


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
@app_commands.describe(period="week (default), month, term, or since YYYY-MM-DD")
@app_commands.autocomplete(period=report_periods)
async def export(interaction: discord.Interaction, period: app_commands.Range[str, 1, 40] | None = None) -> None:
    actor = actor_from(interaction)
    chosen = _period(period)
    await interaction.response.defer(ephemeral=True, thinking=True)
    with tempfile.TemporaryDirectory(prefix="studybot-export-") as folder:
        path = Path(folder) / "answers.csv"
        done = await service_of(interaction).export_answers(actor, chosen, path)
        size, limit = path.stat().st_size, _upload_limit(interaction)
        if size > limit:  # said, not failed: the host can still make the file
            await send(interaction, export_too_big(done, size, limit), ephemeral=True)
            return
        await send(interaction, export_file(done, path.read_bytes()), ephemeral=True)


def report_commands() -> list[app_commands.Command]:
    return [
        app_commands.Command(
            name="report",
            description="Teachers: the class's report (who practises, weakest topics, hardest questions) and chart",
            callback=report,
        ),
        app_commands.Command(
            name="export",
            description="Teachers: every answer of the class in a period, as a spreadsheet (CSV)",
            callback=export,
        ),
    ]
