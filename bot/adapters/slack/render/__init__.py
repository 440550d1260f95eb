"""Pure renderers: platform-neutral replies -> Slack Block Kit payloads.

Every function returns a plain dict (a message: `text` + `blocks`, or a modal `view`) and does no
I/O, so the Block Kit limits can be checked in unit tests. Text that comes from students (their
answers, names, unknown words) is escaped, so `<!channel>` or `<@U123>` can never ping anyone,
and truncated, so a long input cannot push a block over Slack's limits.

    blocks.py      the limits, escaping and the block builders
    messages.py    replies to a student: questions, feedback, boards, cards, stats, forget-me, help, errors
    privacy.py     how the class sees a student on public boards (`privacy`)
    review.py      spaced review: the buttons under feedback, nothing due, a re-graded answer, reminders
    schedules.py   scheduled posts and the teachers' schedule replies
    teaching.py    the bank's topics, and the topics the class has been taught so far
    classes.py     the class as a whole: its goal, `class delete`, the note that `my-data` was sent
    reports.py     the teachers' `report` for their DM and the notes for `report` and `export` (imported from there)

The action ids and button values these carry are in `bot.adapters.slack.ids`.
"""

from __future__ import annotations

import datetime as dt

from bot.adapters.slack.ids import COMMAND
from bot.adapters.slack.render.blocks import (
    ACTION_VALUE,
    BUTTON_TEXT,
    ECHO,
    ECHO_NAME,
    FALLBACK_TEXT,
    HEADER_TEXT,
    MAX_ACTIONS,
    MAX_BLOCKS,
    MODAL_BUTTON,
    MODAL_TITLE,
    SECTION_TEXT,
    Message,
    echo,
    escape,
    truncate,
)
from bot.adapters.slack.render.classes import NOT_TEACHER as NOT_TEACHER_CLASS
from bot.adapters.slack.render.classes import class_deleted, class_goal_line, goal_setting, my_data_sent
from bot.adapters.slack.render.messages import (
    HELP_LINES,
    answer_modal,
    arrangement_step,
    error,
    essay_asked,
    essay_history,
    essay_modal,
    essay_step,
    feedback,
    forget_cancelled,
    forget_confirm,
    forgotten,
    help_message,
    leaderboard,
    plan_compared,
    question,
    reference_card,
    stats,
    summary,
    tapped,
    timeline,
)
from bot.adapters.slack.render.privacy import CLASSMATES_NOT_TEACHER, DEFAULT_USAGE, privacy_settings
from bot.adapters.slack.render.privacy import NOT_TEACHER as NOT_TEACHER_PRIVACY
from bot.adapters.slack.render.review import (
    rate_by_button,
    rating_noted,
    reminder,
    reminders_setting,
    reviews_done,
    reviews_waiting,
    when,
)
from bot.adapters.slack.render.schedules import (
    NOT_TEACHER,
    SCHEDULE_USAGE,
    daily_post,
    schedule,
    schedule_list,
    schedule_removed_elsewhere,
    teacher_changed,
    teachers,
)
from bot.adapters.slack.render.teaching import NOT_TEACHER as NOT_TEACHER_TOPICS
from bot.adapters.slack.render.teaching import taught_topics, topic_list
from bot.core.replies import AskedQuestion, ReviewsDone


def next_review(result: AskedQuestion | ReviewsDone, now: dt.datetime | None = None) -> Message:
    """What `review` (the command, "Start review", "Next review") shows: the question, or what comes next."""
    return question(result) if isinstance(result, AskedQuestion) else reviews_done(result, now)


__all__ = [
    "ACTION_VALUE",
    "BUTTON_TEXT",
    "CLASSMATES_NOT_TEACHER",
    "COMMAND",
    "DEFAULT_USAGE",
    "ECHO",
    "ECHO_NAME",
    "FALLBACK_TEXT",
    "HEADER_TEXT",
    "HELP_LINES",
    "MAX_ACTIONS",
    "MAX_BLOCKS",
    "MODAL_BUTTON",
    "MODAL_TITLE",
    "NOT_TEACHER",
    "NOT_TEACHER_CLASS",
    "NOT_TEACHER_PRIVACY",
    "NOT_TEACHER_TOPICS",
    "SCHEDULE_USAGE",
    "SECTION_TEXT",
    "Message",
    "answer_modal",
    "class_deleted",
    "class_goal_line",
    "daily_post",
    "echo",
    "error",
    "escape",
    "feedback",
    "forget_cancelled",
    "forget_confirm",
    "forgotten",
    "goal_setting",
    "help_message",
    "leaderboard",
    "my_data_sent",
    "next_review",
    "privacy_settings",
    "question",
    "rate_by_button",
    "rating_noted",
    "reference_card",
    "essay_asked",
    "essay_history",
    "essay_modal",
    "essay_step",
    "plan_compared",
    "arrangement_step",
    "summary",
    "tapped",
    "timeline",
    "reminder",
    "reminders_setting",
    "reviews_done",
    "reviews_waiting",
    "schedule",
    "schedule_list",
    "schedule_removed_elsewhere",
    "stats",
    "taught_topics",
    "teacher_changed",
    "teachers",
    "topic_list",
    "truncate",
    "when",
]
