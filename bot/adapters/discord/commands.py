"""The slash commands: parse the options, call the service, render. No quiz rules here.

The teachers' /schedule group is in schedule_commands.py, /goal and /class in class_commands.py, /teacher in
teacher_commands.py, /report and /export in report_commands.py, /assign and /assignments in
assignment_commands.py, autocomplete in autocomplete.py."""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine
from typing import Any

import discord
from discord import app_commands

from bot.adapters.discord import render
from bot.adapters.discord.assignment_commands import assignment_commands
from bot.adapters.discord.autocomplete import cards, figures, topics
from bot.adapters.discord.class_commands import class_group, goal_command
from bot.adapters.discord.essay_commands import essay_group
from bot.adapters.discord.report_commands import report_commands
from bot.adapters.discord.respond import actor_from, deliver, send, service_of
from bot.adapters.discord.schedule_commands import schedule_group
from bot.adapters.discord.teacher_commands import teacher_group
from bot.core.errors import StudyError
from bot.core.replies import Leaderboard, PrivacySettings, ReferenceCard

REMINDERS = [
    app_commands.Choice(name="on", value="on"),
    app_commands.Choice(name="off", value="off"),
]
PERIODS = [
    app_commands.Choice(name="This week", value="week"),
    app_commands.Choice(name="This month", value="month"),
    app_commands.Choice(name="All time", value="all"),
]
NEW_NAME = "new-name"
PRIVACY_CHOICES = [
    app_commands.Choice(name="named \u2014 your own name", value="named"),
    app_commands.Choice(name="pseudonym \u2014 a made-up name, such as Amber Heron", value="pseudonym"),
    app_commands.Choice(name="hidden \u2014 off the public boards (you still see your rank)", value="hidden"),
    app_commands.Choice(name="new-name \u2014 a new pseudonym (once a week)", value=NEW_NAME),
]
CLASS_DEFAULTS = [choice for choice in PRIVACY_CHOICES if choice.value != NEW_NAME]
ONE_AT_A_TIME = "Change one thing at a time: your own `choice`, or (teachers) the `class_default`."


@app_commands.guild_only()
async def daily(interaction: discord.Interaction) -> None:
    actor = actor_from(interaction)
    await deliver(interaction, service_of(interaction).daily_question(actor), render.question, ephemeral=False)


@app_commands.guild_only()
@app_commands.describe(reminders="Turn on a direct message on days reviews are waiting for you, or off")
@app_commands.choices(reminders=REMINDERS)
async def review(interaction: discord.Interaction, reminders: app_commands.Choice[str] | None = None) -> None:
    actor = actor_from(interaction)
    service = service_of(interaction)
    if reminders is not None:
        setting = service.set_review_reminders(actor, reminders.value == "on")
        await deliver(interaction, setting, render.reminders_setting, ephemeral=True)
        return
    shown = functools.partial(render.review, now=service.clock())
    await deliver(interaction, service.next_review(actor), shown, ephemeral=True)


@app_commands.guild_only()
@app_commands.describe(topic="A topic to practise, or \u201cweak\u201d for your weakest (empty: any topic)")
@app_commands.autocomplete(topic=topics)
async def quiz(interaction: discord.Interaction, topic: app_commands.Range[str, 1, 100] | None = None) -> None:
    actor = actor_from(interaction)
    await deliver(interaction, service_of(interaction).practice_question(actor, topic), render.question, ephemeral=True)


@app_commands.guild_only()
@app_commands.describe(period="Which points to count (default: this week)")
@app_commands.choices(period=PERIODS)
async def leaderboard(interaction: discord.Interaction, period: app_commands.Choice[str] | None = None) -> None:
    actor = actor_from(interaction)
    service = service_of(interaction)
    chosen = period.value if period is not None else "week"

    async def board_and_privacy() -> tuple[Leaderboard, PrivacySettings | None]:
        board = await service.leaderboard(actor, chosen)
        # Only someone on the board has a rank to keep private; asking others would enrol them.
        return board, (await service.privacy(actor) if board.caller is not None else None)

    def shown(found: tuple[Leaderboard, PrivacySettings | None]) -> render.Reply:
        board, settings = found
        return render.leaderboard(board, personal=render.named(settings))

    board, settings = await deliver(interaction, board_and_privacy(), shown, ephemeral=False)
    note = render.own_rank(board, settings)
    if note is not None:
        await send(interaction, note, ephemeral=True)


@app_commands.guild_only()
@app_commands.describe(name="One of Stalin's rivals, e.g. Trotsky or Bukharin")
@app_commands.autocomplete(name=figures)
async def rival(interaction: discord.Interaction, name: app_commands.Range[str, 1, 100]) -> None:
    actor = actor_from(interaction)
    found = service_of(interaction).explain(name, kind="figure", actor=actor)
    card = await deliver(interaction, found, render.reference, ephemeral=False)
    await send_record(interaction, card)


@app_commands.guild_only()
@app_commands.describe(name_or_term="A person or a term, e.g. Bukharin, NEP or kulak")
@app_commands.autocomplete(name_or_term=cards)
async def explain(interaction: discord.Interaction, name_or_term: app_commands.Range[str, 1, 100]) -> None:
    actor = actor_from(interaction)
    found = service_of(interaction).explain(name_or_term, actor=actor)
    card = await deliver(interaction, found, render.reference, ephemeral=False)
    await send_record(interaction, card)


@app_commands.guild_only()
@app_commands.rename(from_year="from", to_year="to")
@app_commands.describe(from_year="The first year, e.g. 1928", to_year="The last year, e.g. 1932")
async def timeline(
    interaction: discord.Interaction,
    from_year: app_commands.Range[int, 1900, 2030] | None = None,
    to_year: app_commands.Range[int, 1900, 2030] | None = None,
) -> None:
    if from_year is not None and to_year is not None and from_year > to_year:
        from_year, to_year = to_year, from_year
    found = service_of(interaction).timeline(from_year, to_year if to_year is not None else from_year)
    await deliver(interaction, found, render.timeline, ephemeral=True)


@app_commands.guild_only()
@app_commands.describe(topic="A topic of the unit, e.g. collectivisation")
@app_commands.autocomplete(topic=topics)
async def summary(interaction: discord.Interaction, topic: app_commands.Range[str, 1, 100]) -> None:
    actor = actor_from(interaction)
    await deliver(interaction, service_of(interaction).summary(topic, actor), render.summary, ephemeral=True)


async def send_record(interaction: discord.Interaction, card: ReferenceCard) -> None:
    """The card went to the whole channel; the asker's own record on its questions goes to them alone."""
    note = render.record_note(card)
    if note is not None:
        await send(interaction, note, ephemeral=True)


@app_commands.guild_only()
@app_commands.describe(member="Teachers: a student whose stats to show (default: yours)")
async def stats(interaction: discord.Interaction, member: discord.User | None = None) -> None:
    # discord.User also accepts someone who has left the server (the service says they have no answers here)
    actor = actor_from(interaction)
    who = str(member.id) if member is not None else None
    own = who is None or who == actor.user_id
    shown = functools.partial(render.stats, own=own)
    await deliver(interaction, service_of(interaction).stats(actor, member_user_id=who), shown, ephemeral=True)


@app_commands.guild_only()
@app_commands.describe(
    choice="How the class sees you on its boards and posts (empty: show your settings)",
    class_default="Teachers: how members show unless they choose for themselves",
)
@app_commands.choices(choice=PRIVACY_CHOICES, class_default=CLASS_DEFAULTS)
async def privacy(
    interaction: discord.Interaction,
    choice: app_commands.Choice[str] | None = None,
    class_default: app_commands.Choice[str] | None = None,
) -> None:
    actor = actor_from(interaction)  # is_admin (Manage Server) lets a teacher set the default
    service = service_of(interaction)
    if choice is not None and class_default is not None:
        raise StudyError(ONE_AT_A_TIME)
    if class_default is not None:
        work, heading = service.set_privacy_default(actor, class_default.value), "Class default saved."
    elif choice is None:
        work, heading = service.privacy(actor), ""
    elif choice.value == NEW_NAME:
        work, heading = service.new_pseudonym(actor), "Here's your new pseudonym."
    else:
        work, heading = service.set_privacy(actor, choice.value), "Saved."
    shown = functools.partial(render.privacy_settings, heading=heading)
    await deliver(interaction, work, shown, ephemeral=True)


@app_commands.guild_only()
async def forgetme(interaction: discord.Interaction) -> None:
    actor = actor_from(interaction)
    await send(interaction, render.forget_prompt(actor.community_name), ephemeral=True)


@app_commands.guild_only()
async def mydata(interaction: discord.Interaction) -> None:
    actor = actor_from(interaction)
    await deliver(interaction, service_of(interaction).my_data(actor), render.my_data, ephemeral=True)


Callback = Callable[..., Coroutine[Any, Any, None]]

COMMANDS: tuple[tuple[str, str, Callback], ...] = (
    ("daily", "Today's question for this server: answer it for points", daily),
    ("review", "Spaced review: the questions you're due to see again, just for you (no points)", review),
    ("quiz", "A practice question: any topic, the one you pick, or weak for your weakest (no points)", quiz),
    ("leaderboard", "The top ten in this server and your own rank", leaderboard),
    ("rival", "A card on one of Stalin's rivals", rival),
    ("explain", "A card on a person or a term from the unit", explain),
    ("timeline", "The key dated events of the unit, in order: all of them, or from one year to another", timeline),
    ("summary", "A topic on one screen: key dates, people, terms and the questions you missed", summary),
    ("stats", "Accuracy, streaks, mastery per topic and reviews due", stats),
    ("privacy", "How the class sees you on its boards: your name, a pseudonym or hidden", privacy),
    ("mydata", "Everything stored about you in this server, as a file only you get", mydata),
    ("forgetme", "Delete everything stored about you in this server", forgetme),
)


def add_commands(tree: app_commands.CommandTree) -> None:
    """Add fresh Command objects (one set per tree, so several clients can live in one process)."""
    for name, description, callback in COMMANDS:
        tree.add_command(app_commands.Command(name=name, description=description, callback=callback))
    tree.add_command(schedule_group())
    tree.add_command(goal_command())
    tree.add_command(class_group())
    tree.add_command(essay_group())
    tree.add_command(teacher_group())
    for command in assignment_commands():
        tree.add_command(command)
    for command in report_commands():
        tree.add_command(command)
