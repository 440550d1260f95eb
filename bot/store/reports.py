"""The class report's and the CSV export's reads: aggregates over one class's attempts in a UTC window.

Each function takes a synchronous Connection (run through `run_sync` or DirectAccess) and returns plain
tuples; the service turns them into a ClassReport. Grouping is done by the database so a term of a big
class (millions of attempts) comes back as a few thousand rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Integer, String, func, literal, select, text, type_coerce
from sqlalchemy.exc import OperationalError

from bot.store.db import chunks
from bot.store.models import Attempt, EssayPlan, Member, Question, ReviewCard

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
    else:  # stored as text, "YYYY-MM-DD HH:MM:SS.ffffff" in UTC: its first 13 characters are the hour
        hour = func.substr(Attempt.created_at, 1, 13)
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


def essay_plans(connection: Connection, window: Window, essay_ids: Sequence[str] | None) -> tuple[int, int]:
    """(essay plans finished in the window by the class's members, how many members finished one); only
    the plans for `essay_ids` when given."""
    query = (
        select(func.count(), func.count(EssayPlan.member_id.distinct()))
        .join(Member, Member.id == EssayPlan.member_id)
        .where(
            Member.community_id == window.community_id,
            EssayPlan.finished_at >= window.start,
            EssayPlan.finished_at < window.end,
        )
    )
    if essay_ids is not None:
        query = query.where(EssayPlan.essay_id.in_(essay_ids))
    plans, planners = connection.execute(query).one()
    return int(plans), int(planners)


def mean_recall_per_question(
    connection: Connection, member_ids: Sequence[int], now: dt.datetime, factor: float, decay: float
) -> dict[str, tuple[int, float]] | None:
    """question id -> (cards reviewed, summed recall now) over these members' cards, FSRS's retrievability
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
    found: dict[str, tuple[int, float]] = {}
    for chunk in chunks(list(member_ids)):
        rows = connection.execute(
            select(ReviewCard.question_id, func.count(), func.sum(recall))
            .where(
                ReviewCard.member_id.in_(chunk),
                ReviewCard.reviews > 0,
                ReviewCard.stability > 0,
                ReviewCard.last_review.is_not(None),
            )
            .group_by(ReviewCard.question_id)
        )
        for question_id, cards, total in rows:
            before = found.get(question_id, (0, 0.0))
            found[question_id] = (before[0] + cards, before[1] + float(total or 0.0))
    return found


def _has_sqlite_math(connection: Connection) -> bool:
    try:
        connection.execute(text("SELECT pow(2, 0.5)"))
    except OperationalError:
        return False
    return True


def attempts_for_export(connection: Connection, window: Window) -> Iterator[Sequence[tuple]]:
    """(created_at UTC, member id, question id, mode, answer, correct, points), oldest first, in lists of
    EXPORT_CHUNK rows from a server-side cursor. SQLite's instants come as their stored text (parsing them
    into datetimes is most of an export's time there); PostgreSQL's as datetimes."""
    created = type_coerce(Attempt.created_at, String) if connection.dialect.name == "sqlite" else Attempt.created_at
    statement = (
        select(
            created,
            Attempt.member_id,
            Attempt.question_id,
            Attempt.mode,
            Attempt.answer_given,
            Attempt.correct,
            Attempt.points,
        )
        .where(*window.where())
        .order_by(Attempt.created_at, Attempt.id)
    )
    result = connection.execution_options(yield_per=EXPORT_CHUNK).execute(statement)
    yield from result.partitions()
