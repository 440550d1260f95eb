"""How the console shows a reply: rich (colour, tables, panels) for a person at a terminal, plain text for
pipes, files and NO_COLOR. Both take the same replies; render.py and styled.py hold the two renderings."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TextIO

from bot.adapters.console import assignments, render
from bot.adapters.console.report_views import ExportWritten, ReportWritten, export_text, report_text
from bot.core.replies import (
    AnswerFeedback,
    AskedQuestion,
    ClassDeleted,
    DailyPost,
    EssayAsked,
    EssayHistory,
    Forgotten,
    GoalSetting,
    Leaderboard,
    PlanCompared,
    PrivacySettings,
    RatingNoted,
    ReferenceCard,
    RemindersSetting,
    ReviewsDone,
    ScheduleInfo,
    Stats,
    TaughtTopics,
    Timeline,
    TopicInfo,
    TopicSummary,
)


@dataclass(frozen=True, slots=True)
class TopicList:
    topics: list[TopicInfo]


@dataclass(frozen=True, slots=True)
class ScheduleList:
    schedules: tuple[ScheduleInfo, ...]


def _plain_schedules(replies: ScheduleList) -> str:
    return "\n\n".join(render.schedule(info) for info in replies.schedules) or "No daily-question schedule yet."


# reply type -> (its plain text, the name of its rich rendering in styled.py)
RENDERINGS: dict[type, tuple[Callable[[Any], str], str]] = {
    AskedQuestion: (render.question, "question"),
    AnswerFeedback: (render.feedback, "feedback"),
    Leaderboard: (render.leaderboard, "leaderboard"),
    ReferenceCard: (render.card, "card"),
    Stats: (render.stats, "stats"),
    Forgotten: (render.forgotten, "forgotten"),
    ScheduleInfo: (render.schedule, "schedule"),
    DailyPost: (render.daily_post, "daily_post"),
    ReviewsDone: (render.reviews_done, "reviews_done"),
    RatingNoted: (render.rating_noted, "rating_noted"),
    RemindersSetting: (render.reminders_setting, "reminders_setting"),
    PrivacySettings: (render.privacy_settings, "privacy_settings"),
    GoalSetting: (render.goal_setting, "goal_setting"),
    ClassDeleted: (render.class_deleted, "class_deleted"),
    TopicList: (lambda replies: render.topics(replies.topics), "topic_list"),
    TaughtTopics: (render.taught_topics, "taught_topics"),
    Timeline: (render.timeline, "timeline"),
    TopicSummary: (render.summary, "summary"),
    EssayAsked: (render.essay_asked, "essay_asked"),
    PlanCompared: (render.plan_compared, "plan_compared"),
    EssayHistory: (render.essay_history, "essay_history"),
    ScheduleList: (_plain_schedules, "schedule_list"),
    ReportWritten: (report_text, "report_written"),
    ExportWritten: (export_text, "export_written"),
    **{reply_type: (text, "assignment") for reply_type, text in assignments.TEXTS.items()},
}


class View(Protocol):
    """What the console shows through: a reply (a reply of the service's, or a short text), or an error's message."""

    def show(self, reply: object) -> None: ...

    def show_error(self, message: str) -> None: ...


class PlainView:
    def __init__(self, output: TextIO) -> None:
        self.output = output

    def show(self, reply: object) -> None:
        text = reply if isinstance(reply, str) else RENDERINGS[type(reply)][0](reply)
        self.output.write(text.rstrip() + "\n\n")
        self.output.flush()

    def show_error(self, message: str) -> None:
        self.show(message)


class RichView:
    """Prints through whatever sys.stdout is at the time, so output made while the prompt waits (a
    scheduled post) goes above it (prompt_toolkit's patch_stdout)."""

    def __init__(self) -> None:
        # rich is imported only for a person at a terminal: piped and scripted use starts without it.
        from rich.console import Console

        from bot.adapters.console import styled

        self.console = Console(force_terminal=True, highlight=False, soft_wrap=False)
        self.styled = styled

    def show(self, reply: object) -> None:
        if isinstance(reply, str):  # our texts and students' words: never read as rich markup
            self.console.print(reply, markup=False)
        else:
            self.console.print(getattr(self.styled, RENDERINGS[type(reply)][1])(reply))
        self.console.print()

    def show_error(self, message: str) -> None:
        self.show(message)


def wants_colour(output: TextIO) -> bool:
    """Colour only for a person: a terminal, without NO_COLOR (no-color.org) or a dumb TERM."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return output.isatty()
    except (AttributeError, ValueError):
        return False
