"""Pure renderers: platform-neutral replies -> what a Discord message shows.

Each function returns a `Reply` (content, one embed, button specs) and does no I/O, so Discord's
limits can be checked in unit tests. Text from students (names, typed answers) is escaped so it
can neither format nor ping, and every piece of text is cut to fit before Discord would refuse it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import discord
from discord.utils import escape_markdown, escape_mentions

from bot.adapters.discord import custom_ids
from bot.core.errors import StudyError, UnknownName
from bot.core.replies import (
    AnswerFeedback,
    DailyPost,
    Forgotten,
    Leaderboard,
    QuestionCard,
    ReferenceCard,
    Reveal,
    ScheduleInfo,
    Stats,
)
from bot.core.vocabulary import Mode, QuestionKind

# Discord's limits (https://discord.com/developers/docs/resources/message).
CONTENT = 2000
EMBED_TOTAL = 6000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
FIELD_NAME = 256
FIELD_VALUE = 1024
FIELDS = 25
FOOTER = 2048
BUTTON_LABEL = 80
BUTTONS = 25  # 5 rows of 5
ECHO = 200  # how much of a student's own text is repeated back

GENERIC_ERROR = "Something went wrong on our side; your answers are safe. Please try again."
NOT_IN_SERVER = "I work inside a server: use my commands in one of your class's channels."

BLUE = discord.Colour(0x3B6EA5)
GREEN = discord.Colour(0x2E8B57)
RED = discord.Colour(0xB03A2E)
GOLD = discord.Colour(0xC9A227)


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    custom_id: str
    style: discord.ButtonStyle = discord.ButtonStyle.secondary


@dataclass(frozen=True, slots=True)
class Reply:
    content: str | None = None
    embed: discord.Embed | None = None
    buttons: tuple[Button, ...] = ()


@dataclass(frozen=True, slots=True)
class PostMessage:
    """One message of a scheduled post: several embeds (6,000 characters between them) and buttons."""

    embeds: tuple[discord.Embed, ...]
    buttons: tuple[Button, ...] = ()


# ---------------------------------------------------------------- text helpers


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, ending in an ellipsis when something was cut."""
    text = text.strip()
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "\u2026"


def user_text(text: str, limit: int = ECHO) -> str:
    """A student's own words, shown literally: no markdown, no mentions."""
    return escape_mentions(escape_markdown(clip(text, limit)))


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else many or word + 's'}"


def _embed(title: str, description: str = "", colour: discord.Colour = BLUE) -> discord.Embed:
    return discord.Embed(
        title=clip(title, EMBED_TITLE), description=clip(description, EMBED_DESCRIPTION) or None, colour=colour
    )


def _field(embed: discord.Embed, name: str, value: str, *, inline: bool = False) -> None:
    if len(embed.fields) < FIELDS and name.strip() and value.strip():
        embed.add_field(name=clip(name, FIELD_NAME), value=clip(value, FIELD_VALUE), inline=inline)


def _footer(embed: discord.Embed, *parts: str) -> None:
    text = " \u00b7 ".join(part for part in parts if part)
    if text:
        embed.set_footer(text=clip(text, FOOTER))


def fit(embed: discord.Embed, total: int = EMBED_TOTAL) -> discord.Embed:
    """Keep the embed within `total` characters (Discord's 6,000 per message): drop trailing fields,
    then shorten the description."""
    while len(embed) > total and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
    if len(embed) > total and embed.description:
        embed.description = clip(embed.description, max(len(embed.description) - (len(embed) - total), 1))
    return embed


# ---------------------------------------------------------------- questions and answers


def question(card: QuestionCard) -> Reply:
    daily = card.ref.mode is Mode.DAILY
    title = f"Question of the day \u00b7 {card.topic}" if daily else f"Practice \u00b7 {card.topic}"
    lines = [card.prompt]
    if card.kind is QuestionKind.MULTIPLE_CHOICE:
        lines += [""] + [f"**{option.letter}.** {option.text}" for option in card.options]
    embed = _embed(title, "\n".join(lines))
    if card.kind is QuestionKind.SHORT_ANSWER:
        buttons = (Button("Type your answer", custom_ids.typed(card.ref), discord.ButtonStyle.primary),)
        how = "Tap \u201cType your answer\u201d."
    else:
        buttons = tuple(
            Button(
                clip(option.letter, BUTTON_LABEL),
                custom_ids.answer(card.ref, option.letter),
                discord.ButtonStyle.primary,
            )
            for option in card.options[:BUTTONS]
        )
        how = "Tap your answer."
    if daily:
        note = (
            "You've answered this one: tap again to see your result."
            if card.already_answered
            else "Only you see your result."
        )
        _footer(embed, how, note)
    else:
        _footer(embed, how, "Practice: no leaderboard points.")
    return Reply(embed=fit(embed), buttons=buttons)


def feedback(result: AnswerFeedback) -> Reply:
    title = "\u2705 Correct!" if result.correct else "\u274c Not quite"
    embed = _embed(title, result.explanation, GREEN if result.correct else RED)
    _field(embed, "Your answer", user_text(result.given), inline=True)
    _field(embed, "Correct answer", result.correct_answer, inline=True)
    if result.ref.mode is Mode.DAILY and not result.repeated:
        _field(embed, "Points", f"+{result.points} (total {result.total_points})", inline=True)
    else:
        _field(embed, "Points", f"no new points (total {result.total_points})", inline=True)
    _field(embed, "Streak", plural(result.streak, "day"), inline=True)
    notes = [result.note] if result.note else []
    if result.ref.mode is Mode.PRACTICE and not result.note:
        notes.append("Practice questions don't change the leaderboard.")
    _footer(embed, *notes)
    buttons = ()
    if result.figure is not None:
        buttons = (Button(clip(f"Card: {result.figure.name}", BUTTON_LABEL), custom_ids.card(result.figure.card_id)),)
    return Reply(embed=fit(embed), buttons=buttons)


# ---------------------------------------------------------------- leaderboard and stats


def leaderboard(board: Leaderboard, *, personal: bool = True) -> Reply:
    """The board; `personal=False` for a public post, which has no caller to give a rank to."""
    lines = [
        f"**{entry.rank}.** {user_text(entry.name, 100)} \u2014 {plural(entry.points, 'pt')}"
        + (" \u2190 you" if entry.is_caller else "")
        for entry in board.entries
    ]
    if not lines:
        lines = ["No points yet. Answer `/daily` to get on the board!"]
    embed = _embed(f"Leaderboard \u00b7 {board.period_label}", "\n".join(lines), GOLD)
    if not personal:
        you = "Answer the daily question to climb the board."
    elif board.caller is not None:
        you = f"You are #{board.caller.rank} of {board.total_ranked} with {plural(board.caller.points, 'pt')}."
    else:
        you = "You have no points in this period yet."
    _footer(embed, you)
    return Reply(embed=fit(embed))


def stats(result: Stats) -> Reply:
    if result.answered:
        description = "\n".join(
            [
                f"**Accuracy:** {result.accuracy:.0%} ({result.correct} of {result.answered} correct)",
                f"**Answered:** {result.daily_answered} daily, {result.practice_answered} practice",
                f"**Points:** {result.points}",
                f"**Streak:** {plural(result.current_streak, 'day')} (best {result.best_streak})",
            ]
        )
    else:
        description = "No answers yet. Try `/daily` or `/quiz`."
    embed = _embed(f"Stats \u00b7 {user_text(result.name, 100)}", description)
    topics = list(result.per_topic)
    shown = topics if len(topics) <= FIELDS else topics[: FIELDS - 1]
    for topic in shown:
        _field(embed, topic.topic, f"{topic.correct}/{topic.answered} correct ({topic.accuracy:.0%})", inline=True)
    if len(shown) < len(topics):
        rest = topics[len(shown) :]
        _field(
            embed,
            f"{len(rest)} more topics",
            f"{sum(t.correct for t in rest)}/{sum(t.answered for t in rest)} correct",
            inline=True,
        )
    return Reply(embed=fit(embed))


# ---------------------------------------------------------------- reference cards


def reference(card: ReferenceCard) -> Reply:
    embed = _embed(card.name, card.summary, GOLD if card.kind == "figure" else BLUE)
    for section in card.sections:
        _field(embed, section.heading, section.text)
    if card.aliases:
        _footer(embed, "Also known as: " + ", ".join(card.aliases))
    buttons = ()
    if card.has_questions:
        buttons = (Button("Quiz me on this", custom_ids.quiz(card.card_id), discord.ButtonStyle.primary),)
    return Reply(embed=fit(embed), buttons=buttons)


# ---------------------------------------------------------------- forgetting


def forget_prompt(community_name: str) -> Reply:
    where = f"**{user_text(community_name, 100)}**" if community_name else "this server"
    return Reply(
        content=f"This deletes all your answers, points and streaks in {where}. It cannot be undone.",
        buttons=(
            Button("Delete my data", custom_ids.forget(True), discord.ButtonStyle.danger),
            Button("Cancel", custom_ids.forget(False)),
        ),
    )


def forgotten(result: Forgotten) -> Reply:
    if not result.existed:
        return Reply(content="There was nothing stored about you in this server.")
    return Reply(
        content=f"Done: I deleted {plural(result.attempts_deleted, 'answer')} and your points "
        "and streaks in this server."
    )


def forget_cancelled() -> Reply:
    return Reply(content="Nothing was deleted.")


# ---------------------------------------------------------------- scheduled posts

REVEAL_SHARE = 2500  # the reveal's part of a post's 6,000 embed characters; the question gets the rest


def daily_post(post: DailyPost) -> tuple[PostMessage, ...]:
    """A scheduled post: the last question's answer and today's question (with its answer buttons) in
    one message, then on the leaderboard day the week's board as a second message."""
    question_reply = question(post.question)
    embeds: list[discord.Embed] = []
    if post.reveal is not None:
        embeds.append(fit(reveal(post.reveal, today=post.question.ref.daily_date), REVEAL_SHARE))
    assert question_reply.embed is not None
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
    embed = _embed(
        f"{when} question \u00b7 {_day(result.day)}",
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
    _field(embed, "How the class did", how, inline=True)
    if result.top_streaks:
        streaks = ", ".join(f"{user_text(h.name, 60)} ({plural(h.streak, 'day')})" for h in result.top_streaks)
        _field(embed, "\U0001f525 Top streaks", streaks, inline=True)
    return embed


# ---------------------------------------------------------------- teachers' schedules

NO_SCHEDULE = "No daily question is scheduled in this channel. Set one with `/schedule set time:08:30`."
SCHEDULE_REMOVED = "Done: the daily question is no longer posted in this channel."


def schedule(info: ScheduleInfo, *, heading: str = "", warning: str = "") -> Reply:
    """A channel's schedule, for the teacher who asked (ephemeral). The next post is given in the
    channel's local time, and as Discord timestamps that each reader sees in their own time."""
    elsewhere = "\n".join(f"\u26a0\ufe0f {user_text(line, 300)}" for line in info.failing_elsewhere[:5])
    if not info.exists:
        return Reply(
            content=clip(NO_SCHEDULE + (f"\n**Other channels failing:**\n{elsewhere}" if elsewhere else ""), 2000)
        )
    title = "Daily question schedule" + (f" \u00b7 #{user_text(info.channel_name, 100)}" if info.channel_name else "")
    lines = [f"**When:** {info.time_of_day:%H:%M} {info.timezone}, {info.days}"]
    lines.append(f"**Topics:** {', '.join(info.topics)}" if info.topics else "**Topics:** all")
    weekly = f"{info.weekly_leaderboard}s" if info.weekly_leaderboard else "off"
    lines.append(f"**Weekly leaderboard:** {weekly}")
    for start, end in info.pauses:
        lines.append(f"**Pause:** {_day(start)} {start.year} \u2013 {_day(end)} {end.year}")
    if info.paused:
        lines.append("**Paused** until you use `/schedule resume`.")
    elif info.next_post is not None:
        stamp = int(info.next_post.timestamp())
        lines.append(
            f"**Next post:** {_day(info.next_post)}, {info.next_post:%H:%M} ({info.timezone}) "
            f"\u00b7 <t:{stamp}:F>, <t:{stamp}:R>"
        )
    else:
        lines.append("**Next post:** none (no day left to post on)")
    embed = _embed(title, "\n".join(lines), RED if info.last_error else BLUE)
    if info.last_error:
        _field(
            embed,
            "\u26a0\ufe0f The last post failed",
            clip(info.last_error, 600) + "\nCheck that I can see this channel and send messages and embeds in it. "
            "I'll try again at the next post.",
        )
    if warning:
        _field(embed, "\u26a0\ufe0f Before the first post", warning)
    if elsewhere:
        _field(
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
    embed = _embed(
        f"Daily question schedules ({len(infos)})", "\n".join(shown), RED if any(i.last_error for i in infos) else BLUE
    )
    _footer(embed, "Change one with /schedule in its channel; stop a deleted one with /schedule off channel:")
    return Reply(embed=fit(embed))


def schedule_removed(other_channel_id: str | None = None) -> Reply:
    if other_channel_id is None:
        return Reply(content=SCHEDULE_REMOVED)
    return Reply(content=f"Done: the daily question is no longer posted in <#{other_channel_id}>.")


def _day(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B}"


# ---------------------------------------------------------------- errors


def error(exc: BaseException) -> Reply:
    """The one friendly reply for any failure: a StudyError's message, or a generic apology."""
    if not isinstance(exc, StudyError):
        return Reply(content=GENERIC_ERROR)
    buttons: tuple[Button, ...] = ()
    if isinstance(exc, UnknownName):
        buttons = tuple(
            Button(clip(name, BUTTON_LABEL), custom_ids.card(name))
            for name in dict.fromkeys(exc.suggestions)
            if custom_ids.fits(name)
        )[:5]
    return Reply(content=clip(exc.message, CONTENT), buttons=buttons)
