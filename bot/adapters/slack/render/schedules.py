"""Scheduled posts in a channel and the teachers' schedule replies. Pure functions to Block Kit."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from bot.adapters.slack.ids import COMMAND
from bot.adapters.slack.render.blocks import (
    MAX_BLOCKS,
    SECTION_TEXT,
    Message,
    context,
    echo,
    escape,
    header,
    message,
    section,
    truncate,
)
from bot.adapters.slack.render.classes import class_goal_line
from bot.adapters.slack.render.messages import leaderboard, question
from bot.adapters.slack.render.review import reviews_waiting
from bot.core.replies import DailyPost, Reveal, ScheduleInfo

_USER_ID = re.compile(r"[UW][A-Z0-9]+")  # a Slack user id, safe to mention back

NOT_TEACHER = (
    "Only workspace admins and the teachers they name can see or change the daily-question schedules. "
    f"An admin can name you with `{COMMAND} schedule teachers add @you`."
)
SCHEDULE_USAGE = (
    f"Try `{COMMAND} schedule set 08:30 Europe/London mon-fri`, `{COMMAND} schedule show`, "
    f"`{COMMAND} schedule now`, `{COMMAND} schedule skip`, `{COMMAND} schedule pause 2026-12-19..2027-01-04`, "
    f"`{COMMAND} schedule resume`, `{COMMAND} schedule off`, "
    f"`{COMMAND} schedule list`, or `{COMMAND} schedule teachers add @name`."
)


# ---------------------------------------------------------------- scheduled posts


def _day(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B}"


def _reveal_blocks(r: Reveal) -> list[dict[str, Any]]:
    """The previous daily question, its answer and how the class did. Names only right answerers
    (the Reveal holds no others), as plain escaped text: nobody is pinged."""
    blocks: list[dict[str, Any]] = [
        context(f"*The last question* \u00b7 {_day(r.day)}"),
        section(f"{escape(truncate(r.prompt, 1000))}\n*Answer:* {escape(r.correct_answer)}"),
    ]
    if r.explanation:
        blocks.append(section(escape(r.explanation)))
    if r.answered:
        summary = [f"{r.answered} answered \u00b7 {r.percent_correct}% correct"]
        if r.top_streaks:
            streaks = ", ".join(f"{echo(h.name, 80)} ({h.streak} days)" for h in r.top_streaks)
            summary.append(f"Top streaks: {streaks}")
    else:
        summary = ["Nobody answered it."]
    blocks += [context(*summary), {"type": "divider"}]
    return blocks


def daily_post(post: DailyPost) -> list[Message]:
    """A scheduled post as channel messages: on the leaderboard day the class goal first, then the reveal,
    today's question (with its answer buttons, the same as `/study daily`) and how many of the class have
    reviews waiting; then on the leaderboard day the week's board as a second message (unless nobody has
    points this week: an empty board in a class channel is only noise)."""
    today = question(post.question)
    waiting = reviews_waiting(post.reviews_waiting)  # a count, once, never names
    goal = [section(class_goal_line(post.goal))] if post.goal is not None else []
    blocks = [*goal, *(_reveal_blocks(post.reveal) if post.reveal else []), *today["blocks"]]
    blocks = blocks[: MAX_BLOCKS - 1] + ([context(waiting)] if waiting else [])
    messages = [{"text": today["text"], "blocks": blocks[:MAX_BLOCKS]}]
    if post.leaderboard is not None and post.leaderboard.entries:
        messages.append(leaderboard(post.leaderboard, personal=False))
    return messages


def _when(moment: dt.datetime) -> str:
    return f"{moment:%A} {moment.day} {moment:%B} at {moment:%H:%M}"


ZONE_IS_THE_WORKSPACES = (
    "The time zone is the workspace's: every channel's schedule, the daily question and the leaderboards follow it."
)


def schedule(info: ScheduleInfo, done: str = "") -> Message:
    """A channel's schedule: when, which days, pauses, when the next post goes out (channel time), the last error."""
    intro = [f"*{escape(done)}*"] if done else []
    if not info.exists:
        failing = [
            f":warning: Another channel is failing: {escape(truncate(line, 300))}"
            for line in info.failing_elsewhere[:5]
        ]
        text = "\n".join([*intro, "There is no daily-question schedule in this channel.", *failing])
        hint = f"Teachers can set one: `{COMMAND} schedule set 08:30 Europe/London mon-fri`."
        return message(f"{done} No daily-question schedule here.".strip(), [section(text), context(hint)])
    lines = [
        *intro,
        (
            f"The daily question is posted in <#{info.channel_id}> at *{info.time_of_day:%H:%M}* "
            f"({escape(info.timezone)}), {escape(info.days)}."
        ),
    ]
    lines.append(ZONE_IS_THE_WORKSPACES)
    if info.moved_to_timezone:
        moved = ", ".join(f"#{escape(name)}" for name in info.moved_to_timezone[:10])
        lines.append(f"Moved to {escape(info.timezone)} with it: {moved}.")
    if info.topics:
        lines.append("Topics: " + escape(", ".join(info.topics)) + ".")
    if info.topics and info.untaught_topics == info.topics:
        lines.append(
            f"None of them is taught yet (`{COMMAND} topics taught`): the posts draw from the topics taught so far."
        )
    elif info.untaught_topics:
        lines.append("Not taught yet, so not asked: " + escape(", ".join(info.untaught_topics)) + ".")
    lines.append(
        f"The week's leaderboard is posted on {escape(info.weekly_leaderboard)}s."
        if info.weekly_leaderboard
        else "No weekly leaderboard post."
    )
    for start, end in info.pauses:
        lines.append(
            f"Paused {_day(start)} {start.year} to {_day(end)} {end.year}."
            if start != end
            else f"Paused on {_day(start)} {start.year}."
        )
    if info.skipped:
        days = ", ".join(_day(day) for day in info.skipped)
        lines.append(f"*Skipped:* {days} (`{COMMAND} schedule resume` brings skipped posts back).")
    if info.paused:
        lines.append(f"*Paused* until a teacher runs `{COMMAND} schedule resume`.")
    elif info.posting_now and info.next_post is not None and info.next_post.time() >= info.time_of_day:
        lines.append(
            f"Next post: *now*: today's {info.time_of_day:%H:%M} slot has passed, so today's question goes out at once."
        )
    elif info.posting_now:
        lines.append("Next post: *now*: today's question goes out at once, as today's post (none later today).")
    elif info.next_post is not None:
        lines.append(f"Next post: *{_when(info.next_post)}* ({escape(info.timezone)}).")
    else:
        lines.append("No post is coming up: every posting day is paused.")
    blocks = [header("Daily-question schedule"), section("\n".join(lines))]
    if info.last_error:
        blocks.append(section(f":warning: *The last post failed:* {escape(truncate(info.last_error, 500))}"))
    if info.failing_elsewhere:
        blocks.append(
            section(
                truncate(
                    ":warning: *Other channels failing:*\n"
                    + "\n".join(escape(line) for line in info.failing_elsewhere[:5]),
                    2900,
                )
            )
        )
    blocks.append(
        context(
            "In a private channel, invite me first (`/invite @Study Bot`). "
            f"Change it: `{COMMAND} schedule set|now|skip|pause|resume|off`."
        )
    )
    when = f" Next: {_when(info.next_post)}." if info.next_post and not info.paused else ""
    return message(f"Daily question at {info.time_of_day:%H:%M} {info.timezone}, {info.days}.{when}", blocks)


def schedule_list(infos: Sequence[ScheduleInfo]) -> Message:
    """Every schedule in the workspace, a line per channel: when, the next post or why none, failures."""
    if not infos:
        text = "No channel here has a daily-question schedule yet."
        return message(text, [section(text), context(f"Set one in a class channel: `{COMMAND} schedule set 08:30`.")])
    lines = []
    for info in infos:
        line = f"<#{info.channel_id}> *{info.time_of_day:%H:%M}* ({escape(info.timezone)}), {escape(info.days)}"
        if info.paused:
            line += " \u00b7 *paused*"
        elif info.next_post is not None:
            line += f" \u00b7 next {_when(info.next_post)}"
        if info.last_error:  # name it as it was: Slack cannot link a deleted channel
            line += (
                f"\n:warning: #{escape(info.channel_name or info.channel_id)}: last post failed: "
                f"{escape(truncate(info.last_error, 200))}"
            )
        lines.append(line)
    blocks = [header(f"Daily-question schedules ({len(infos)})")]
    chunk = ""
    for line in lines:
        if len(chunk) + len(line) + 1 > SECTION_TEXT - 100:
            blocks.append(section(chunk))
            chunk = ""
        chunk = f"{chunk}\n{line}" if chunk else line
    blocks.append(section(chunk))
    blocks = blocks[: MAX_BLOCKS - 1]  # a workspace with thousands of channels sees the first ~100 000 characters
    blocks.append(
        context(
            f"Change one in its channel: `{COMMAND} schedule set|pause|resume|off`. "
            f"Stop a deleted one with `{COMMAND} schedule off #its-name`."
        )
    )
    return message(f"{len(infos)} daily-question schedules.", blocks)


def teachers(user_ids: Sequence[str]) -> Message:
    """The named teachers, as mentions (ephemeral: nobody is pinged)."""
    if user_ids:
        named = ", ".join(f"<@{user_id}>" for user_id in user_ids if _USER_ID.fullmatch(user_id))
        text = f"Named teachers: {named}. Workspace admins can always manage schedules too."
    else:
        text = "No teachers are named yet; workspace admins can always manage schedules."
    return message(text, [section(text), context(f"`{COMMAND} schedule teachers add|remove @name`")])


def schedule_removed_elsewhere(channel_id: str) -> Message:
    """`channel_id` comes from Slack's own `<#C...|name>` escape."""
    text = f"Schedule removed: the daily question is no longer posted in <#{channel_id}>."
    return message(text, [section(text)])


def teacher_changed(user_id: str, *, added: bool) -> Message:
    """`user_id` comes from Slack's own `<@U...|name>` escape: safe to mention back (ephemeral: no ping)."""
    who = f"<@{user_id}>"
    if added:
        text = f"{who} is now a teacher here: they can manage daily-question schedules in this workspace."
    else:
        text = f"{who} is no longer a named teacher here (workspace admins can always manage schedules)."
    return {"text": text, "blocks": [section(text)]}
