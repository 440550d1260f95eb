"""Pure renderers: platform-neutral replies -> what a Discord message shows.

Each function returns a `Reply` (content, one embed, button specs) and does no I/O, so Discord's
limits can be checked in unit tests. Text from students (names, typed answers) is escaped so it
can neither format nor ping, and every piece of text is cut to fit before Discord would refuse it.

    base.py        Reply, Button, PostMessage, Discord's limits, escaping and the embed builders
    classes.py     a class as a whole: /goal, /class delete, the weekly post's class goal, /mydata
    messages.py    replies to a student: questions, feedback, boards, stats, cards, forgetting, errors
    privacy.py     /privacy, and a pseudonymous or hidden student's own rank beside a public board
    review.py      spaced review: nothing due, re-grading, the reminder setting and the reminder itself
    schedules.py   scheduled posts and the teachers' /schedule replies
    teaching.py    the teachers' /teacher replies: the topics taught so far, the teachers' role
    reports.py     the teachers' /report (embed and chart) and /export (the CSV), imported from there

The custom_ids the buttons carry are in `bot.adapters.discord.custom_ids`.
"""

from __future__ import annotations

from bot.adapters.discord.render.base import (
    BLUE,
    BUTTON_LABEL,
    BUTTONS,
    CONTENT,
    ECHO,
    EMBED_DESCRIPTION,
    EMBED_TITLE,
    EMBED_TOTAL,
    FIELD_NAME,
    FIELD_VALUE,
    FIELDS,
    FOOTER,
    GOLD,
    GREEN,
    NOT_A_MEMBER,
    NOT_IN_SERVER,
    OUTDATED_BUTTON,
    RED,
    SERVER_GONE,
    Attachment,
    Button,
    PostMessage,
    Reply,
    clip,
    fit,
    plural,
    user_text,
    when,
)
from bot.adapters.discord.render.classes import GOAL_OFF, class_deleted, class_goal, goal_setting, my_data
from bot.adapters.discord.render.messages import (
    arrangement_step,
    error,
    essay_asked,
    essay_history,
    essay_step,
    feedback,
    forget_cancelled,
    forget_prompt,
    forgotten,
    leaderboard,
    mastery_lines,
    plan_compared,
    question,
    record_line,
    record_note,
    reference,
    stats,
    summary,
    tapped,
    timeline,
)
from bot.adapters.discord.render.privacy import named, own_rank, privacy_settings
from bot.adapters.discord.render.review import (
    REMINDERS_OFF,
    rating,
    reminder,
    reminders_setting,
    review,
    reviews_done,
)
from bot.adapters.discord.render.schedules import (
    NO_SCHEDULE,
    REVEAL_SHARE,
    SCHEDULE_REMOVED,
    daily_post,
    reveal,
    schedule,
    schedule_list,
    schedule_removed,
)
from bot.adapters.discord.render.teaching import taught_topics, teacher_role

__all__ = [
    "BLUE",
    "BUTTONS",
    "BUTTON_LABEL",
    "CONTENT",
    "ECHO",
    "EMBED_DESCRIPTION",
    "EMBED_TITLE",
    "EMBED_TOTAL",
    "FIELDS",
    "FIELD_NAME",
    "FIELD_VALUE",
    "FOOTER",
    "GOAL_OFF",
    "GOLD",
    "GREEN",
    "NOT_A_MEMBER",
    "NOT_IN_SERVER",
    "NO_SCHEDULE",
    "OUTDATED_BUTTON",
    "RED",
    "REMINDERS_OFF",
    "REVEAL_SHARE",
    "SCHEDULE_REMOVED",
    "SERVER_GONE",
    "Attachment",
    "Button",
    "PostMessage",
    "Reply",
    "class_deleted",
    "class_goal",
    "clip",
    "daily_post",
    "error",
    "feedback",
    "fit",
    "forget_cancelled",
    "forget_prompt",
    "forgotten",
    "goal_setting",
    "leaderboard",
    "mastery_lines",
    "my_data",
    "named",
    "own_rank",
    "plural",
    "privacy_settings",
    "question",
    "rating",
    "record_line",
    "record_note",
    "reference",
    "essay_asked",
    "essay_history",
    "essay_step",
    "plan_compared",
    "arrangement_step",
    "summary",
    "tapped",
    "timeline",
    "reminder",
    "reminders_setting",
    "reveal",
    "review",
    "reviews_done",
    "schedule",
    "schedule_list",
    "schedule_removed",
    "stats",
    "taught_topics",
    "teacher_role",
    "user_text",
    "when",
]
