"""How the console shows a reply: rich (colour, tables, panels) for a person at a terminal, plain text for
pipes, files and NO_COLOR. Both take the same replies; render.py and styled.py hold the two renderings."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TextIO

from rich.console import Console as RichConsole

from bot.adapters.console import render, styled
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


@dataclass(frozen=True, slots=True)
class TopicList:
    topics: list[TopicInfo]


@dataclass(frozen=True, slots=True)
class ScheduleList:
    schedules: tuple[ScheduleInfo, ...]


def _plain_schedules(replies: ScheduleList) -> str:
    return "\n\n".join(render.schedule(info) for info in replies.schedules) or "No daily-question schedule yet."


# reply type -> (plain text, rich renderable)
RENDERINGS: dict[type, tuple[Callable[[Any], str], Callable[[Any], Any]]] = {
    AskedQuestion: (render.question, styled.question),
    AnswerFeedback: (render.feedback, styled.feedback),
    Leaderboard: (render.leaderboard, styled.leaderboard),
    ReferenceCard: (render.card, styled.card),
    Stats: (render.stats, styled.stats),
    Forgotten: (render.forgotten, render.forgotten),
    ScheduleInfo: (render.schedule, styled.schedule),
    DailyPost: (render.daily_post, styled.daily_post),
    TopicList: (lambda replies: render.topics(replies.topics), lambda replies: styled.topics(replies.topics)),
    ScheduleList: (_plain_schedules, _plain_schedules),
}


class PlainView:
    def __init__(self, output: TextIO) -> None:
        self.output = output

    def show(self, reply: object) -> None:
        text = reply if isinstance(reply, str) else RENDERINGS[type(reply)][0](reply)
        self.output.write(text.rstrip() + "\n\n")
        self.output.flush()


class RichView:
    """Prints through whatever sys.stdout is at the time, so output made while the prompt waits (a
    scheduled post) goes above it (prompt_toolkit's patch_stdout)."""

    def __init__(self) -> None:
        self.console = RichConsole(force_terminal=True, highlight=False, soft_wrap=False)

    def show(self, reply: object) -> None:
        if isinstance(reply, str):  # our texts and students' words: never read as rich markup
            self.console.print(reply, markup=False)
        else:
            self.console.print(RENDERINGS[type(reply)][1](reply))
        self.console.print()


def wants_colour(output: TextIO) -> bool:
    """Colour only for a person: a terminal, without NO_COLOR (no-color.org) or a dumb TERM."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return output.isatty()
    except (AttributeError, ValueError):
        return False
