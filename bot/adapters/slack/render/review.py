"""Spaced review: the buttons under feedback, what `review` says when nothing is due, a re-graded answer,
the reminders setting and the reminder sent as a direct message. Pure functions to Block Kit.

Dates are in the workspace's local time (the service gives them so); with `now` (also local, or UTC)
they are worded from the student's side: "today at 18:20", "tomorrow at 09:00", "on Wednesday at 09:00".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.adapters.slack import ids
from bot.adapters.slack.ids import COMMAND
from bot.adapters.slack.render.assignments import next_button
from bot.adapters.slack.render.blocks import Message, actions, button, context, escape, header, message, section
from bot.core.replies import AnswerFeedback, RatingNoted, RemindersSetting, ReviewReminder, ReviewsDone
from bot.core.vocabulary import Mode

RATED = {"guessed": "a guess", "easy": "too easy"}


def when(moment: dt.datetime, now: dt.datetime | None = None) -> str:
    """A coming moment in words: "today at 18:20", "tomorrow at 09:00", "on Wednesday at 09:00",
    "on Monday 4 January 2027 at 09:00"; without `now`, always the full date."""
    clock = f"{moment:%H:%M}"
    if now is not None:
        if moment <= now:
            return "now"
        today = now.astimezone(moment.tzinfo).date() if moment.tzinfo else now.date()
        days = (moment.date() - today).days
        if days <= 0:
            return f"today at {clock}"
        if days == 1:
            return f"tomorrow at {clock}"
        if days < 7:
            return f"on {moment:%A} at {clock}"
        year = f" {moment.year}" if moment.year != today.year else ""
        return f"on {moment:%A} {moment.day} {moment:%B}{year} at {clock}"
    return f"on {moment:%A} {moment.day} {moment:%B} {moment.year} at {clock}"


def _reviews(n: int) -> str:
    return f"{n} review" if n == 1 else f"{n} reviews"


# ---------------------------------------------------------------- under an answer


def feedback_buttons(fb: AnswerFeedback, others: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The buttons under an answer: after a review "Next review" (or "Finish review") first, after an
    assignment's question "Next question" (until the goal is reached), then `others`
    (the figure's card), then after a right answer the small "I guessed" and "Too easy"."""
    buttons: list[dict[str, Any]] = []
    if fb.ref.mode is Mode.REVIEW:
        left = fb.reviews_due or 0
        label = f"Next review ({left} left)" if left else "Finish review"
        buttons.append(button(label, ids.REVIEW_ACTION, ids.REVIEW_VALUE, style="primary"))
    if fb.assignment is not None:
        buttons += next_button(fb.assignment)
    buttons += others
    if fb.correct and not fb.repeated:
        question_id = fb.ref.question_id
        buttons.append(button("I guessed", ids.rate_action("guessed"), question_id))
        buttons.append(button("Too easy", ids.rate_action("easy"), question_id))
    return buttons


def review_note(fb: AnswerFeedback) -> str:
    """The context line of a review answer, instead of points."""
    left = fb.reviews_due or 0
    more = f"{left} more due today" if left else "that was the last one due today"
    return f"Review \u00b7 no points \u00b7 {more}"


# ---------------------------------------------------------------- review replies


def reviews_done(done: ReviewsDone, now: dt.datetime | None = None) -> Message:
    """`review` with nothing due today: what was done, when the next one is, what to practise instead."""
    if done.done_today:
        title = "Reviews done for today"
        lines = [f"You did {_reviews(done.done_today)} today. Well done."]
    else:
        title = "Nothing to review today"
        lines = []
    if done.next_due is not None:
        lines.append(f"Next review: *{when(done.next_due, now)}*.")
        lines.append(f"Due this week: *{done.due_this_week}*.")
    else:
        lines.append(
            f"Questions you answer (`{COMMAND} daily`, `{COMMAND} quiz`) come back here when it is time to "
            "recall them, the ones you got wrong soonest."
        )
    blocks: list[dict[str, Any]] = [header(title), section("\n".join(lines))]
    if done.weakest_topic is not None:
        topic = done.weakest_topic
        blocks += actions([button(f"Practise {topic.title}", ids.PRACTISE_TOPIC_ACTION, topic.topic_id)])
        blocks.append(context(f"or `{COMMAND} quiz weak`: a question from your weakest topic"))
    next_text = f" Next review {when(done.next_due, now)}." if done.next_due is not None else ""
    return message(f"{title}.{next_text}", blocks)


def rating_noted(noted: RatingNoted, now: dt.datetime | None = None) -> Message:
    """A right answer re-graded: when the question now comes back."""
    rated = RATED.get(noted.rating, noted.rating)
    text = f"Noted as {rated}: that question comes back {when(noted.next_due, now)}."
    return message(text, [section(escape(text))])


def rate_by_button() -> str:
    """`review guessed|easy` typed: the buttons under the answer say which question."""
    return "Use the *I guessed* or *Too easy* button under your answer: it says which question you mean."


def reminders_setting(setting: RemindersSetting) -> Message:
    """`review reminders on|off` (or the button in a reminder): the choice, and when reminders come."""
    if setting.on:
        text = f"Review reminders are on. {setting.when}".strip()
        hint = f"Every reminder has a button to turn them off, or use `{COMMAND} review reminders off`."
    else:
        text = "Review reminders are off: no more direct messages about reviews."
        hint = f"Turn them on again with `{COMMAND} review reminders on`."
    return message(text, [section(escape(text)), context(hint)])


def reminder(r: ReviewReminder) -> Message:
    """The direct message on a day reviews wait: a way to start, and always a way to stop them."""
    text = f"You have {_reviews(r.due)} waiting."
    buttons = [
        button("Start review", ids.REVIEW_ACTION, ids.REVIEW_VALUE, style="primary"),
        button("Turn off reminders", ids.REMINDERS_ACTION, "off"),
    ]
    blocks = [
        section(f"*{text}* A few minutes now keeps what you learnt from fading."),
        *actions(buttons),
        context(f"or `{COMMAND} review` in any channel \u00b7 `{COMMAND} review reminders off` stops these"),
    ]
    return message(text, blocks)


def reviews_waiting(count: int) -> str | None:
    """The daily post's line: how many of the class have reviews due (a count, never names)."""
    if count <= 0:
        return None
    who = "1 of you has" if count == 1 else f"{count} of you have"
    return f"{who} reviews waiting: `{COMMAND} review`"
