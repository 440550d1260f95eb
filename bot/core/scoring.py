"""Points, streaks and leaderboard periods.

Scoring (also written in the README):
- a correct daily answer earns 10 points, plus a streak bonus of 1 point per day of streak beyond
  the first, up to 5 (so 15 from a six-day streak on);
- a wrong daily answer earns nothing but keeps the streak alive: the streak counts days answered;
- practice questions earn no leaderboard points.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.core import calendar as streaks
from bot.core.calendar import SchoolCalendar
from bot.core.vocabulary import Period

BASE_POINTS = 10
MAX_STREAK_BONUS = 5
EPOCH = dt.date(2000, 1, 3)  # the "all time" period starts here: a Monday long before any answer


def points_for(correct: bool, streak: int) -> int:
    """Points for a daily answer, given the streak including today's answer."""
    if not correct:
        return 0
    return BASE_POINTS + min(max(streak - 1, 0), MAX_STREAK_BONUS)


def period_start(period: Period, day: dt.date) -> dt.date:
    if period is Period.WEEK:
        return day - dt.timedelta(days=day.weekday())
    if period is Period.MONTH:
        return day.replace(day=1)
    return EPOCH


def period_label(period: Period, day: dt.date) -> str:
    start = period_start(period, day)
    if period is Period.WEEK:
        return f"week of {start.day} {start:%b %Y}"
    if period is Period.MONTH:
        return f"{start:%B %Y}"
    return "all time"


def parse_period(text: str | Period | None) -> Period:
    if isinstance(text, Period):
        return text
    word = (text or "week").strip().lower()
    aliases = {
        "w": "week",
        "weekly": "week",
        "m": "month",
        "monthly": "month",
        "a": "all",
        "all-time": "all",
        "alltime": "all",
        "ever": "all",
    }
    word = aliases.get(word, word)
    try:
        return Period(word)
    except ValueError:
        from bot.core.errors import InvalidInput

        raise InvalidInput(f"\u201c{text[:40]}\u201d is not a period. Choose `week`, `month` or `all`.") from None


@dataclass(frozen=True, slots=True)
class Ranked:
    rank: int
    key: object
    points: int


def competition_ranks(points_desc: list[tuple[object, int]]) -> list[Ranked]:
    """Ties share a rank and the next rank skips: 1, 2, 2, 4."""
    ranked: list[Ranked] = []
    for position, (key, points) in enumerate(points_desc, start=1):
        rank = ranked[-1].rank if ranked and ranked[-1].points == points else position
        ranked.append(Ranked(rank, key, points))
    return ranked


@dataclass(frozen=True, slots=True)
class Progress:
    """A member's standing the scoring rule reads and updates."""

    streak: int = 0
    best_streak: int = 0
    last_daily: dt.date | None = None  # the last school day they answered the daily question
    total_points: int = 0
    freeze_used_on: dt.date | None = None  # the day their streak freeze was used (one a half-term)


@dataclass(frozen=True, slots=True)
class FirstAnswer:
    """The answer already recorded for a member's daily question: the one that counts."""

    correct: bool
    answer_given: str
    streak: int
    question_id: str


@dataclass(frozen=True, slots=True)
class Decision:
    """What one answer does. `record`: it is stored as an attempt; `scored`: it is a first daily answer,
    which moves the streak on and adds its points to the boards. `progress` is the member's standing
    after it; a repeat carries the first answer, which stands."""

    record: bool
    scored: bool
    points: int
    streak: int
    progress: Progress
    repeat_of: FirstAnswer | None = None


def score_answer(
    progress: Progress,
    *,
    correct: bool,
    daily_date: dt.date | None,
    calendar: SchoolCalendar | None = None,
    first: FirstAnswer | None = None,
) -> Decision:
    """The per-answer rule. Practice (no daily date) is recorded and changes nothing; a second answer
    to the same daily question is not recorded and keeps the first; a first daily answer earns
    `points_for` its streak, and on one of the class's school days (`calendar`; Monday to Friday without
    one) moves the streak on; on a day off the streak neither grows nor breaks."""
    if daily_date is None:
        return Decision(record=True, scored=False, points=0, streak=progress.streak, progress=progress)
    if first is not None:
        return Decision(record=False, scored=False, points=0, streak=first.streak, progress=progress, repeat_of=first)
    moved = streaks.step(
        progress.streak, progress.last_daily, daily_date, calendar or SchoolCalendar(), progress.freeze_used_on
    )
    points = points_for(correct, moved.streak)
    after = Progress(
        moved.streak,
        max(progress.best_streak, moved.streak),
        daily_date if moved.counted else progress.last_daily,
        progress.total_points + points,
        daily_date if moved.freeze_used else progress.freeze_used_on,
    )
    return Decision(record=True, scored=True, points=points, streak=moved.streak, progress=after)
