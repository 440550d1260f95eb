"""Spaced review: what `/review` shows when nothing is due, re-grading a right answer, the reminder
setting and the reminder a student gets by direct message. The review questions themselves, and the
feedback with its "Next review" button, are the ordinary question renderers (messages.py)."""

from __future__ import annotations

import datetime as dt

import discord

from bot.adapters.discord import custom_ids
from bot.adapters.discord.render.base import (
    BUTTON_LABEL,
    GREEN,
    Button,
    Reply,
    clip,
    fit,
    new_embed,
    plural,
    set_footer,
    user_text,
    when,
)
from bot.adapters.discord.render.messages import question
from bot.core.replies import AskedQuestion, RatingNoted, RemindersSetting, ReviewsDone

REMINDERS_OFF = "Review reminders are **off**. Turn them back on with `/review reminders:on`."
DMS_NEEDED = "-# I can only reach you if your privacy settings allow direct messages from this server's members."


def review(result: AskedQuestion | ReviewsDone, *, now: dt.datetime | None = None) -> Reply:
    """`/review` and "Next review": the question due, or what was done and what comes next."""
    if isinstance(result, ReviewsDone):
        return reviews_done(result, now=now)
    return question(result)


def reviews_done(result: ReviewsDone, *, now: dt.datetime | None = None) -> Reply:
    if not result.done_today and result.next_due is None:
        embed = new_embed(
            "Nothing to review yet",
            "Questions you answer come back here when it's time to see them again: the ones you got wrong "
            "soonest. Try `/daily` or `/quiz` first.",
        )
    else:
        title = "Reviews done for today" if result.done_today else "No reviews due today"
        next_line = when(result.next_due, now) if result.next_due is not None else "none waiting"
        lines = [
            f"**Done today:** {result.done_today}",
            f"**Next review:** {next_line}",
            f"**Due this week:** {result.due_this_week}",
        ]
        embed = new_embed(title, "\n".join(lines), GREEN)
    buttons: tuple[Button, ...] = ()
    if result.weakest_topic is not None:
        set_footer(embed, f"Your weakest topic now: {result.weakest_topic.title}. Practice earns no points.")
        buttons = (
            Button(
                clip(f"Practise {result.weakest_topic.title}", BUTTON_LABEL),
                custom_ids.topic(result.weakest_topic.topic_id),
                discord.ButtonStyle.primary,
            ),
        )
    return Reply(embed=fit(embed), buttons=buttons)


def rating(result: RatingNoted, *, now: dt.datetime | None = None) -> Reply:
    """After "I guessed" / "Too easy": noted, and when the question comes back."""
    what = "a guess" if result.rating == "guessed" else "too easy"
    return Reply(content=f"Noted: {what}. That question comes back {when(result.next_due, now)}.")


def reminders_setting(result: RemindersSetting) -> Reply:
    if not result.on:
        return Reply(
            content=REMINDERS_OFF,
            buttons=(Button("Turn reminders back on", custom_ids.reminders(True)),),
        )
    return Reply(
        content=f"Review reminders are **on**. {result.when}\n{DMS_NEEDED}",
        buttons=(Button("Turn off reminders", custom_ids.reminders(False)),),
    )


def reminder(due: int, server_name: str) -> Reply:
    """The direct message on a day reviews wait: how many, a way to start, and always a way to stop."""
    where = f" in **{user_text(server_name, 100)}**" if server_name else ""
    return Reply(
        content=f"You have {plural(due, 'review')} waiting{where}. A few minutes now keeps them fresh.",
        buttons=(
            Button("Start review", custom_ids.next_review(), discord.ButtonStyle.primary),
            Button("Turn off reminders", custom_ids.reminders(False)),
        ),
    )
