"""Plain-text rendering of the service's replies for the terminal. Pure functions."""

from __future__ import annotations

import textwrap

from bot.core.replies import (
    AnswerFeedback,
    AskedQuestion,
    DailyPost,
    Forgotten,
    Leaderboard,
    ReferenceCard,
    ScheduleInfo,
    Stats,
    TopicInfo,
)
from bot.core.vocabulary import QuestionKind

WIDTH = 78


def _wrap(text: str, indent: str = "") -> str:
    return "\n".join(
        textwrap.fill(line, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ") if line else ""
        for line in text.splitlines()
    )


def question(card: AskedQuestion) -> str:
    title = "Today's question" if card.is_daily else "Practice question"
    lines = [f"{title} \u00b7 {card.topic}", _wrap(card.prompt)]
    if card.kind is QuestionKind.MULTIPLE_CHOICE:
        lines += [_wrap(f"{option.letter}) {option.text}", "  ") for option in card.options]
        hint = f"Answer with: answer <{'/'.join(option.letter for option in card.options)}>"
    elif card.kind is QuestionKind.TRUE_FALSE:
        hint = "Answer with: answer true  or  answer false"
    else:
        hint = "Answer with: answer <your answer>"
    if card.already_answered:
        hint = "You've already answered this one today (answer again to see your result)."
    return "\n".join([*lines, hint])


def feedback(result: AnswerFeedback) -> str:
    verdict = "\u2714 Correct!" if result.correct else "\u2718 Not quite."
    lines = [verdict if not result.repeated else f"{verdict} (your first answer: {result.given})"]
    if not result.correct:
        lines.append(f"The answer: {result.correct_answer}")
    lines.append(_wrap(result.explanation))
    if result.ref.mode.value == "daily":
        lines.append(f"+{result.points} points \u00b7 streak {result.streak} \u00b7 total {result.total_points}")
    else:
        lines.append("Practice: no leaderboard points.")
    if result.note:
        lines.append(_wrap(result.note))
    if result.figure:
        lines.append(f"More: rival {result.figure.name}")
    return "\n".join(lines)


def leaderboard(board: Leaderboard, *, personal: bool = True) -> str:
    lines = [f"Leaderboard \u00b7 {board.period_label}"]
    if not board.entries:
        lines.append("No points yet in this period. Answer `daily` to get on the board!")
    for entry in board.entries:
        marker = " \u2190 you" if entry.is_caller else ""
        lines.append(f"{entry.rank:>3}. {entry.name:<30} {entry.points:>5}{marker}")
    if board.caller and not any(entry.is_caller for entry in board.entries):
        lines.append(f"  \u2026 {board.caller.rank}. {board.caller.name} {board.caller.points} (you)")
    elif board.caller is None and personal:
        lines.append("You're not on this board yet.")
    return "\n".join(lines)


def card(reference: ReferenceCard) -> str:
    lines = [reference.name.upper(), _wrap(reference.summary)]
    if reference.aliases:
        lines.append(_wrap(f"Also: {', '.join(reference.aliases)}"))
    for section in reference.sections:
        lines += ["", f"{section.heading}:", _wrap(section.text, "  ")]
    if reference.has_questions:
        lines += ["", f"Quiz yourself: quiz --about {reference.card_id}"]
    return "\n".join(lines)


def stats(result: Stats) -> str:
    lines = [
        f"Stats for {result.name}",
        f"Answered {result.answered} ({result.daily_answered} daily, {result.practice_answered} practice), "
        f"{result.accuracy:.0%} correct",
        f"Points {result.points} \u00b7 streak {result.current_streak} (best {result.best_streak})",
    ]
    lines += [f"  {t.topic:<45} {t.correct}/{t.answered} ({t.accuracy:.0%})" for t in result.per_topic]
    return "\n".join(lines)


def forgotten(result: Forgotten) -> str:
    if not result.existed:
        return "There was nothing stored about you here."
    return f"Done: your {result.attempts_deleted} answers, your scores and your name are deleted from this class."


def topics(items: list[TopicInfo]) -> str:
    return "Topics:\n" + "\n".join(f"  {t.topic_id:<18} {t.title} ({t.question_count})" for t in items)


def daily_post(post: DailyPost) -> str:
    parts = []
    if post.reveal:
        r = post.reveal
        streaks = ", ".join(f"{h.name} ({h.streak} days)" for h in r.top_streaks)
        parts.append(
            f"Yesterday's answer ({r.day:%a %d %b}): {r.correct_answer}\n{_wrap(r.explanation)}\n"
            f"{r.answered} answered, {r.percent_correct}% correct." + (f" Top streaks: {streaks}." if streaks else "")
        )
    parts.append(question(post.question))
    if post.leaderboard:
        parts.append(leaderboard(post.leaderboard, personal=False))
    return "\n\n".join(parts)


def schedule(info: ScheduleInfo) -> str:
    elsewhere = "".join(f"\nAnother channel is failing: {line}" for line in info.failing_elsewhere)
    if not info.exists:
        return "No daily-question schedule here. Set one with: schedule set 08:30 [Europe/London] [mon-fri]" + elsewhere
    lines = [
        f"Daily question at {info.time_of_day:%H:%M} {info.timezone}, {info.days}.",
        f"({info.timezone} is the class's time zone: its schedules, daily question and leaderboards follow it.)",
    ]
    if info.moved_to_timezone:
        lines.append(f"Moved to {info.timezone} with it: {', '.join(info.moved_to_timezone)}.")
    if info.topics:
        lines.append(f"Topics: {', '.join(info.topics)}.")
    if info.weekly_leaderboard:
        lines.append(f"Weekly leaderboard on {info.weekly_leaderboard}s.")
    for start, end in info.pauses:
        lines.append(f"Paused {start:%d %b %Y} to {end:%d %b %Y}.")
    if info.paused:
        lines.append("Paused until you resume it.")
    elif info.next_post:
        lines.append(f"Next post: {info.next_post:%A %d %B, %H:%M} ({info.timezone}).")
    if info.last_error:
        lines.append(f"The last post failed: {info.last_error}")
    return "\n".join(lines) + elsewhere
