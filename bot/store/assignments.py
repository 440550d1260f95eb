"""Assignments in the database: the sets teachers give, each student's progress row (one per student per
assignment: its primary key), and an assignment answer recorded in one transaction.

An answer to an assignment's question is an ordinary attempt (mode "assignment", no points, as practice)
that moves the student's review card on, like any answer; here it also moves their progress row on, in the
same transaction (`record_answer`), so the attempt and the progress can never disagree. The progress row
is locked first (FOR UPDATE; SQLite's writer already holds the write lock), and an answer counts only for
the question the row says was asked: the second answer of a double click finds it answered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Connection, and_, exists, func, select, update

from bot.core import assignments as rules
from bot.core import review
from bot.core.vocabulary import Mode
from bot.store.db import upsert_insert
from bot.store.members import MemberRow, find_members, set_pending
from bot.store.models import Assignment, AssignmentProgress, Attempt, Member
from bot.store.review import CardAnswer, update_cards

progress_table = AssignmentProgress.__table__


@dataclass(frozen=True, slots=True)
class AssignmentRow:
    id: int
    community_id: int
    channel_id: str
    title: str
    topic_id: str | None
    question_ids: tuple[str, ...]
    goal_percent: int
    due_date: dt.date
    created_by: str  # the teacher's platform id
    closed_at: dt.datetime | None

    def is_open(self, today: dt.date) -> bool:
        return rules.is_open(self.due_date, self.closed_at is not None, today)


@dataclass(slots=True)
class ProgressRow:
    results: dict[str, bool] = field(default_factory=dict)  # {question id: latest answer right?}, in answer order
    answers: int = 0
    finished_at: dt.datetime | None = None
    asked_question_id: str | None = None


_ASSIGNMENT_COLUMNS = (
    Assignment.id,
    Assignment.community_id,
    Assignment.channel_id,
    Assignment.title,
    Assignment.topic_id,
    Assignment.question_ids,
    Assignment.goal_percent,
    Assignment.due_date,
    Assignment.created_by,
    Assignment.closed_at,
)
_PROGRESS_COLUMNS = (
    AssignmentProgress.results,
    AssignmentProgress.answers,
    AssignmentProgress.finished_at,
    AssignmentProgress.asked_question_id,
)


def _assignment(row: object) -> AssignmentRow:
    values = list(row)  # type: ignore[call-overload]
    values[5] = tuple(values[5] or ())
    return AssignmentRow(*values)


def _progress(row: object) -> ProgressRow:
    results, answers, finished_at, asked = row  # type: ignore[misc]
    return ProgressRow(dict(results or {}), answers or 0, finished_at, asked)


def create(connection: Connection, values: dict) -> AssignmentRow:
    new_id = connection.execute(Assignment.__table__.insert().returning(Assignment.id), values).scalar_one()
    found = find(connection, values["community_id"], new_id)
    assert found is not None
    return found


def find(connection: Connection, community_id: int, assignment_id: int) -> AssignmentRow | None:
    """An assignment of this community (another class's is never found)."""
    row = connection.execute(
        select(*_ASSIGNMENT_COLUMNS).where(Assignment.id == assignment_id, Assignment.community_id == community_id)
    ).one_or_none()
    return _assignment(row) if row else None


def latest(connection: Connection, community_id: int, limit: int) -> list[AssignmentRow]:
    """The community's latest assignments, newest first."""
    rows = connection.execute(
        select(*_ASSIGNMENT_COLUMNS)
        .where(Assignment.community_id == community_id)
        .order_by(Assignment.created_at.desc(), Assignment.id.desc())
        .limit(limit)
    )
    return [_assignment(row) for row in rows]


def open_with_progress(
    connection: Connection, community_id: int, member_id: int | None, today: dt.date
) -> list[tuple[AssignmentRow, ProgressRow | None]]:
    """The community's open assignments (not closed, not past their date), soonest due first, each with
    this member's progress (None: not started)."""
    mine = and_(AssignmentProgress.assignment_id == Assignment.id, AssignmentProgress.member_id == (member_id or 0))
    rows = connection.execute(
        select(*_ASSIGNMENT_COLUMNS, AssignmentProgress.member_id, *_PROGRESS_COLUMNS)
        .outerjoin(AssignmentProgress, mine)
        .where(Assignment.community_id == community_id, Assignment.closed_at.is_(None), Assignment.due_date >= today)
        .order_by(Assignment.due_date, Assignment.id)
    )
    width = len(_ASSIGNMENT_COLUMNS)
    return [(_assignment(row[:width]), _progress(row[width + 1 :]) if row[width] is not None else None) for row in rows]


def progress(connection: Connection, assignment_id: int, member_id: int, *, lock: bool = False) -> ProgressRow | None:
    query = select(*_PROGRESS_COLUMNS).where(
        AssignmentProgress.assignment_id == assignment_id, AssignmentProgress.member_id == member_id
    )
    locking = lock and connection.dialect.name != "sqlite"  # SQLite's writer already holds the write lock
    row = connection.execute(query.with_for_update() if locking else query).one_or_none()
    return _progress(row) if row else None


def start(connection: Connection, assignment_id: int, member_id: int, now: dt.datetime) -> ProgressRow:
    """The member's progress row, made on their first start. Two starts at once (a double click, two
    processes) make one: the primary key decides, and both go on with the row that is there."""
    insert = upsert_insert(connection.dialect.name)(AssignmentProgress).on_conflict_do_nothing()
    connection.execute(
        insert, {"assignment_id": assignment_id, "member_id": member_id, "results": {}, "answers": 0, "started_at": now}
    )
    found = progress(connection, assignment_id, member_id, lock=True)
    assert found is not None
    return found


def ask(connection: Connection, assignment_id: int, member_id: int, question_id: str, now: dt.datetime) -> None:
    """The question the member was just given: the one an answer counts for."""
    connection.execute(
        update(progress_table)
        .where(progress_table.c.assignment_id == assignment_id, progress_table.c.member_id == member_id)
        .values(asked_question_id=question_id, asked_at=now)
    )


def close(connection: Connection, assignment_id: int, now: dt.datetime) -> bool:
    """Close an assignment early; False when it was closed already."""
    result = connection.execute(
        update(Assignment.__table__)
        .where(Assignment.id == assignment_id, Assignment.closed_at.is_(None))
        .values(closed_at=now)
    )
    return result.rowcount > 0


def announced(connection: Connection, assignment_id: int, message_ref: str) -> None:
    connection.execute(
        update(Assignment.__table__).where(Assignment.id == assignment_id).values(message_ref=message_ref[:200])
    )


# ---------------------------------------------------------------- who has done what (a teacher's list)


@dataclass(frozen=True, slots=True)
class Names:
    """Some names of a group of students (sorted, at most the limit asked for) and how many there are."""

    names: tuple[str, ...] = ()
    count: int = 0


def started_by(connection: Connection, assignment_id: int, *, finished: bool, limit: int) -> Names:
    """The students who finished the assignment (or who started and have not finished)."""
    done = AssignmentProgress.finished_at.is_not(None) if finished else AssignmentProgress.finished_at.is_(None)
    where = and_(AssignmentProgress.assignment_id == assignment_id, done)
    names = connection.scalars(
        select(Member.display_name)
        .join(AssignmentProgress, AssignmentProgress.member_id == Member.id)
        .where(where)
        .order_by(Member.display_name, Member.id)
        .limit(limit)
    )
    count = connection.scalar(select(func.count()).select_from(AssignmentProgress).where(where))
    return Names(tuple(names), count or 0)


def not_started(connection: Connection, assignment: AssignmentRow, *, limit: int) -> Names:
    """The class's members (everyone who has used the bot there) with no progress row, but the teacher who set it."""
    started = exists().where(
        AssignmentProgress.assignment_id == assignment.id, AssignmentProgress.member_id == Member.id
    )
    where = and_(Member.community_id == assignment.community_id, Member.external_id != assignment.created_by, ~started)
    names = connection.scalars(
        select(Member.display_name).where(where).order_by(Member.display_name, Member.id).limit(limit)
    )
    count = connection.scalar(select(func.count()).select_from(Member).where(where))
    return Names(tuple(names), count or 0)


# ---------------------------------------------------------------- an answer (one transaction)


@dataclass(frozen=True, slots=True)
class AssignmentAnswer:
    community_id: int
    user_id: str  # the platform's id of the student
    assignment_id: int | None  # None: the assignment whose question the student was given last
    question_id: str
    answer_given: str
    correct: bool
    answered_at: dt.datetime
    today: dt.date  # the community's local date: an assignment takes answers until the end of its due date


@dataclass(frozen=True, slots=True)
class AnswerOutcome:
    """What happened to one assignment answer. `refused` says why it was not recorded ("unknown",
    "not started", "not asked", "closed"); a `repeat` (a double click) carries the answer that counted."""

    assignment: AssignmentRow | None = None
    member: MemberRow | None = None
    progress: ProgressRow | None = None
    refused: str | None = None
    repeat: tuple[bool, str] | None = None  # (right?, the answer given) of the answer that counted
    just_finished: bool = False


def asked_in(connection: Connection, community_id: int, member_id: int, question_id: str) -> int | None:
    """The assignment whose question this is, among those the member was given it in: the latest asked."""
    return connection.scalar(
        select(AssignmentProgress.assignment_id)
        .join(Assignment, Assignment.id == AssignmentProgress.assignment_id)
        .where(
            Assignment.community_id == community_id,
            AssignmentProgress.member_id == member_id,
            AssignmentProgress.asked_question_id == question_id,
        )
        .order_by(AssignmentProgress.asked_at.desc())
        .limit(1)
    )


def record_answer(connection: Connection, answer: AssignmentAnswer, retention: float) -> AnswerOutcome:
    """Record one answer to an assignment's question, with its attempt, review card and progress row."""
    key = (answer.community_id, answer.user_id)
    member = find_members(connection, {key}).get(key)
    if member is None:
        return AnswerOutcome(refused="not started")
    assignment_id = answer.assignment_id or asked_in(connection, answer.community_id, member.id, answer.question_id)
    assignment = find(connection, answer.community_id, assignment_id) if assignment_id else None
    if assignment is None:
        return AnswerOutcome(member=member, refused="unknown")
    found = progress(connection, assignment.id, member.id, lock=True)
    if found is None:
        return AnswerOutcome(assignment, member, refused="not started")
    if not assignment.is_open(answer.today):
        return AnswerOutcome(assignment, member, found, refused="closed")
    if found.asked_question_id != answer.question_id:
        if answer.question_id not in found.results:
            return AnswerOutcome(assignment, member, found, refused="not asked")
        return AnswerOutcome(assignment, member, found, repeat=_latest(connection, member.id, answer.question_id))
    results = rules.record(found.results, answer.question_id, answer.correct)
    finished = found.finished_at or (
        answer.answered_at if rules.reached_goal(assignment.question_ids, results, assignment.goal_percent) else None
    )
    after = ProgressRow(results, found.answers + 1, finished, None)
    connection.execute(
        update(progress_table)
        .where(progress_table.c.assignment_id == assignment.id, progress_table.c.member_id == member.id)
        .values(results=results, answers=after.answers, finished_at=finished, asked_question_id=None)
    )
    if member.pending_question_id == answer.question_id and member.pending_mode == Mode.ASSIGNMENT.value:
        set_pending(connection, member.id, None, None, None)  # `answer <text>` must not answer it again
    connection.execute(
        Attempt.__table__.insert(),
        {
            "member_id": member.id,
            "community_id": answer.community_id,
            "question_id": answer.question_id,
            "mode": Mode.ASSIGNMENT.value,
            "daily_date": None,
            "answer_given": answer.answer_given[:500],
            "correct": answer.correct,
            "points": 0,  # as practice: no leaderboard points
            "streak": member.current_streak,
            "created_at": answer.answered_at,
        },
    )
    rating = review.rating_of(answer.correct)
    update_cards(connection, [CardAnswer(member.id, answer.question_id, answer.answered_at, rating)], retention)
    return AnswerOutcome(assignment, member, after, just_finished=finished is not None and found.finished_at is None)


def _latest(connection: Connection, member_id: int, question_id: str) -> tuple[bool, str] | None:
    """(right?, the answer given) of the member's latest assignment answer to a question."""
    row = connection.execute(
        select(Attempt.correct, Attempt.answer_given)
        .where(
            Attempt.member_id == member_id, Attempt.question_id == question_id, Attempt.mode == Mode.ASSIGNMENT.value
        )
        .order_by(Attempt.created_at.desc(), Attempt.id.desc())
        .limit(1)
    ).one_or_none()
    return (bool(row[0]), row[1]) if row else None
