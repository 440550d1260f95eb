"""The class report's and the CSV export's reads: aggregates over one class's attempts in a UTC window.

Each function takes a synchronous Connection (run through `run_sync` or DirectAccess) and returns plain
tuples; the service turns them into a ClassReport. Grouping is done by the database so a term of a big
class (millions of attempts) comes back as a few thousand rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Integer, func, literal, select, text
from sqlalchemy.exc import OperationalError

from bot.store.models import Attempt, Member, Question, ReviewCard

EXPORT_CHUNK = 5_000  # attempts fetched at a time: an export's memory stays flat however long the period


@dataclass(frozen=True, slots=True)
class Window:
    """One class's attempts between two UTC instants (end exclusive), optionally only some questions."""

    community_id: int
    start: dt.datetime
    end: dt.datetime
    question_ids: Sequence[str] | None = None

    def where(self) -> list:
        clauses = [Attempt.community_id == self.community_id, Attempt.created_at >= self.start]
        clauses.append(Attempt.created_at < self.end)
        if self.question_ids is not None:
            clauses.append(Attempt.question_id.in_(self.question_ids))
        return clauses


def _right():  # noqa: ANN202 - a SQL expression
    return func.coalesce(func.sum(Attempt.correct.cast(Integer)), 0)


def answers_per_hour(connection: Connection, window: Window) -> list[tuple[str, int]]:
    """("YYYY-MM-DD HH" in UTC, answers) per hour: the service turns hours into the class's local days."""
    if connection.dialect.name == "postgresql":
        hour = func.to_char(func.timezone("UTC", Attempt.created_at), "YYYY-MM-DD HH24")
    else:
        hour = func.strftime("%Y-%m-%d %H", Attempt.created_at)
    rows = connection.execute(select(hour, func.count()).where(*window.where()).group_by(hour))
    return [(str(moment), count) for moment, count in rows]


def per_question(connection: Connection, window: Window) -> dict[str, tuple[int, int]]:
    """question id -> (answered, right)."""
    rows = connection.execute(
        select(Attempt.question_id, func.count(), _right()).where(*window.where()).group_by(Attempt.question_id)
    )
    return {question_id: (answered, int(right)) for question_id, answered, right in rows}


def answers_given(connection: Connection, window: Window, question_ids: Sequence[str]) -> list[tuple]:
    """(question id, answer given, correct, count) for a few questions: which option each student chose."""
    if not question_ids:
        return []
    scoped = Window(window.community_id, window.start, window.end, question_ids)
    rows = connection.execute(
        select(Attempt.question_id, Attempt.answer_given, Attempt.correct, func.count())
        .where(*scoped.where())
        .group_by(Attempt.question_id, Attempt.answer_given, Attempt.correct)
    )
    return [(q, given, bool(correct), count) for q, given, correct, count in rows]


def per_member_topic(connection: Connection, window: Window) -> list[tuple[int, str, int, int]]:
    """(member id, topic id, answered, right) for every member who answered in the window."""
    rows = connection.execute(
        select(Attempt.member_id, Question.topic_id, func.count(), _right())
        .join(Question, Question.id == Attempt.question_id)
        .where(*window.where())
        .group_by(Attempt.member_id, Question.topic_id)
    )
    return [(member, topic, answered, int(right)) for member, topic, answered, right in rows]


def class_members(connection: Connection, community_id: int) -> list[tuple[int, str, str, int]]:
    """(member id, display name, platform user id, current streak) of everyone in the class."""
    rows = connection.execute(
        select(Member.id, Member.display_name, Member.external_id, Member.current_streak)
        .where(Member.community_id == community_id)
        .order_by(Member.display_name, Member.id)
    )
    return [tuple(row) for row in rows]  # type: ignore[misc]


def active_since(connection: Connection, community_id: int, start: dt.datetime) -> set[int]:
    """Members with any answer since `start`."""
    rows = connection.execute(
        select(Attempt.member_id)
        .where(Attempt.community_id == community_id, Attempt.created_at >= start)
        .group_by(Attempt.member_id)
    )
    return {member for (member,) in rows}


def mean_recall_per_question(
    connection: Connection, community_id: int, now: dt.datetime, factor: float, decay: float
) -> dict[str, tuple[int, float]] | None:
    """question id -> (cards reviewed, summed recall now) over the class's cards, FSRS's retrievability
    (1 + factor * whole days since the last review / stability) ** decay worked out by the database.
    None when the database has no power function (a SQLite built without its math functions)."""
    if connection.dialect.name == "postgresql":
        days = func.greatest(0, func.floor(func.extract("epoch", literal(now) - ReviewCard.last_review) / 86400))
        power = func.power
    else:
        if not _has_sqlite_math(connection):
            return None
        elapsed = func.julianday(literal(now.replace(tzinfo=None))) - func.julianday(ReviewCard.last_review)
        days = func.max(0, elapsed.cast(Integer))
        power = func.pow
    recall = power(1 + factor * days / ReviewCard.stability, decay)
    rows = connection.execute(
        select(ReviewCard.question_id, func.count(), func.sum(recall))
        .join(Member, Member.id == ReviewCard.member_id)
        .where(
            Member.community_id == community_id,
            ReviewCard.reviews > 0,
            ReviewCard.stability > 0,
            ReviewCard.last_review.is_not(None),
        )
        .group_by(ReviewCard.question_id)
    )
    return {question_id: (cards, float(total or 0.0)) for question_id, cards, total in rows}


def _has_sqlite_math(connection: Connection) -> bool:
    try:
        connection.execute(text("SELECT pow(2, 0.5)"))
    except OperationalError:
        return False
    return True


def attempts_for_export(connection: Connection, window: Window) -> Iterator[tuple]:
    """(created_at UTC, student, user id, question id, mode, answer, correct, points), oldest first, fetched
    EXPORT_CHUNK at a time from a server-side cursor."""
    statement = (
        select(
            Attempt.created_at,
            Member.display_name,
            Member.external_id,
            Attempt.question_id,
            Attempt.mode,
            Attempt.answer_given,
            Attempt.correct,
            Attempt.points,
        )
        .join(Member, Member.id == Attempt.member_id)
        .where(*window.where())
        .order_by(Attempt.created_at, Attempt.id)
    )
    result = connection.execution_options(yield_per=EXPORT_CHUNK).execute(statement)
    for partition in result.partitions():
        yield from partition
