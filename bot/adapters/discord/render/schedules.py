"""Scheduled posts in a channel, and the teachers' /schedule replies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import discord

from bot.adapters.discord.render.base import (
    BLUE,
    EMBED_DESCRIPTION,
    EMBED_TITLE,
    EMBED_TOTAL,
    GREEN,
    RED,
    PostMessage,
    Reply,
    add_field,
    clip,
    day_name,
    fit,
    new_embed,
    plural,
    set_footer,
    user_text,
)
from bot.adapters.discord.render.classes import class_goal
from bot.adapters.discord.render.messages import leaderboard, question
from bot.core.replies import DailyPost, Reveal, ScheduleInfo

# ---------------------------------------------------------------- scheduled posts

REVEAL_SHARE = 2500  # the reveal's part of a post's 6,000 embed characters; the question gets the rest
GOAL_SHARE = 500  # the class goal's (a couple of short lines)


def daily_post(post: DailyPost) -> tuple[PostMessage, ...]:
    """A scheduled post: on the leaderboard day the class goal first, then the last question's answer and
    today's question (with its answer buttons, and how many of the class have reviews waiting) in one
    message, then on the leaderboard day the week's board as a second message."""
    question_reply = question(post.question)
    assert question_reply.embed is not None
    if post.reviews_waiting > 0:  # a count only: who has reviews waiting is their own business
        waiting = post.reviews_waiting
        add_field(
            question_reply.embed,
            "Spaced review",
            f"{waiting} of you {'has' if waiting == 1 else 'have'} reviews waiting: `/review`",
        )
    embeds: list[discord.Embed] = []
    goal = class_goal(post.goal) if post.goal is not None else None
    if goal is not None:
        embeds.append(fit(goal, GOAL_SHARE))
    if post.reveal is not None:
        embeds.append(fit(reveal(post.reveal, today=post.question.ref.daily_date), REVEAL_SHARE))
    embeds.append(fit(question_reply.embed, EMBED_TOTAL - sum(len(e) for e in embeds)))
    messages = [PostMessage(tuple(embeds), question_reply.buttons)]
    if post.leaderboard is not None:
        board = leaderboard(post.leaderboard, personal=False).embed
        assert board is not None
        board.title = clip(f"This week's leaderboard \u00b7 {post.leaderboard.period_label}", EMBED_TITLE)
        messages.append(PostMessage((board,)))
    return tuple(messages)


def reveal(result: Reveal, *, today: dt.date | None = None) -> discord.Embed:
    """The previous daily question's answer and how the class did. Only right answerers are ever named."""
    when = "Yesterday's" if today is not None and today - result.day == dt.timedelta(days=1) else "The last"
    embed = new_embed(
        f"{when} question \u00b7 {day_name(result.day)}",
        "\n".join(
            [
                clip(result.prompt, 500),
                "",
                f"**Answer:** {clip(result.correct_answer, 300)}",
                "",
                clip(result.explanation, 1000),
            ]
        ),
        GREEN,
    )
    if result.answered:
        how = f"{result.answered} answered, {result.percent_correct}% correct"
    else:
        how = "Nobody answered it."
    add_field(embed, "How the class did", how, inline=True)
    if result.top_streaks:
        streaks = ", ".join(f"{user_text(h.name, 60)} ({plural(h.streak, 'day')})" for h in result.top_streaks)
        add_field(embed, "\U0001f525 Top streaks", streaks, inline=True)
    return embed


# ---------------------------------------------------------------- teachers' schedules

NO_SCHEDULE = "No daily question is scheduled in this channel. Set one with `/schedule set time:08:30`."
SCHEDULE_REMOVED = "Done: the daily question is no longer posted in this channel."


ZONE_IS_THE_SERVERS = (
    "-# The time zone is the server's: every channel's schedule, the daily question and the leaderboards follow it."
)


def schedule(info: ScheduleInfo, *, heading: str = "", warning: str = "") -> Reply:
    """A channel's schedule, for the teacher who asked (ephemeral). The next post is given in the
    channel's local time, and as Discord timestamps that each reader sees in their own time."""
    elsewhere = "\n".join(f"\u26a0\ufe0f {user_text(line, 300)}" for line in info.failing_elsewhere[:5])
    if not info.exists:
        return Reply(
            content=clip(NO_SCHEDULE + (f"\n**Other channels failing:**\n{elsewhere}" if elsewhere else ""), 2000)
        )
    title = "Daily question schedule" + (f" \u00b7 #{user_text(info.channel_name, 100)}" if info.channel_name else "")
    lines = [f"**When:** {info.time_of_day:%H:%M} {info.timezone}, {info.days}", ZONE_IS_THE_SERVERS]
    if info.moved_to_timezone:
        moved = ", ".join(f"#{user_text(name, 100)}" for name in info.moved_to_timezone[:10])
        lines.append(f"**Moved to {info.timezone} with it:** {moved}")
    lines.append(f"**Topics:** {', '.join(info.topics)}" if info.topics else "**Topics:** all")
    if info.topics and info.untaught_topics == info.topics:
        lines.append("None of them is taught yet (`/teacher topics`): the posts draw from the topics taught so far.")
    elif info.untaught_topics:
        lines.append(f"**Not taught yet, so not asked:** {', '.join(info.untaught_topics)}")
    weekly = f"{info.weekly_leaderboard}s" if info.weekly_leaderboard else "off"
    lines.append(f"**Weekly leaderboard:** {weekly}")
    for start, end in info.pauses:
        lines.append(f"**Pause:** {day_name(start)} {start.year} \u2013 {day_name(end)} {end.year}")
    if info.skipped:
        days = ", ".join(day_name(day) for day in info.skipped)
        lines.append(f"**Skipped:** {days} (`/schedule resume` brings skipped posts back)")
    if info.paused:
        lines.append("**Paused** until you use `/schedule resume`.")
    elif info.posting_now and info.next_post is not None and info.next_post.time() >= info.time_of_day:
        lines.append(
            f"**Next post:** now: today's {info.time_of_day:%H:%M} slot has passed, so today's question goes out"
        )
    elif info.posting_now:
        lines.append("**Next post:** now: today's question goes out at once, as today's post (none later today)")
    elif info.next_post is not None:
        stamp = int(info.next_post.timestamp())
        lines.append(
            f"**Next post:** {day_name(info.next_post)}, {info.next_post:%H:%M} ({info.timezone}) "
            f"\u00b7 <t:{stamp}:F>, <t:{stamp}:R>"
        )
    else:
        lines.append("**Next post:** none (no day left to post on)")
    embed = new_embed(title, "\n".join(lines), RED if info.last_error else BLUE)
    if info.last_error:
        add_field(
            embed,
            "\u26a0\ufe0f The last post failed",
            clip(info.last_error, 600) + "\nCheck that I can see this channel and send messages and embeds in it. "
            "I'll try again at the next post.",
        )
    if warning:
        add_field(embed, "\u26a0\ufe0f Before the first post", warning)
    if elsewhere:
        add_field(
            embed,
            "Other channels failing",
            clip(elsewhere, 1000) + "\nUse `/schedule off` there, or fix the bot's access.",
        )
    return Reply(content=heading or None, embed=fit(embed))


def schedule_list(infos: Sequence[ScheduleInfo]) -> Reply:
    """Every schedule in the server, a line per channel, for the teacher who asked (ephemeral)."""
    if not infos:
        return Reply(
            content="No channel in this server has a daily question scheduled yet. "
            "Set one in a class channel with `/schedule set time:08:30`."
        )
    lines = []
    for info in infos:
        line = f"<#{info.channel_id}> \u00b7 {info.time_of_day:%H:%M} {info.timezone}, {info.days}"
        if info.paused:
            line += " \u00b7 **paused**"
        elif info.next_post is not None:
            line += f" \u00b7 next <t:{int(info.next_post.timestamp())}:R>"
        if info.last_error:  # named as it was, since Discord cannot show a deleted channel
            name = user_text(info.channel_name or info.channel_id, 100)
            line += f"\n\u2003\u26a0\ufe0f #{name}: last post failed: {user_text(info.last_error, 150)}"
        lines.append(line)
    shown, length = [], 0
    for line in lines:
        if length + len(line) + 1 > EMBED_DESCRIPTION - 100:  # room for the "and N more" line
            shown.append(f"\u2026 and {len(lines) - len(shown)} more")
            break
        shown.append(line)
        length += len(line) + 1
    embed = new_embed(
        f"Daily question schedules ({len(infos)})", "\n".join(shown), RED if any(i.last_error for i in infos) else BLUE
    )
    set_footer(embed, "Change one with /schedule in its channel; stop a deleted one with /schedule off channel:")
    return Reply(embed=fit(embed))


def schedule_removed(other_channel_id: str | None = None) -> Reply:
    if other_channel_id is None:
        return Reply(content=SCHEDULE_REMOVED)
    return Reply(content=f"Done: the daily question is no longer posted in <#{other_channel_id}>.")
