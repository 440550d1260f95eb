"""Review cards in the database: updated in the answer writer's transaction, one per (member, question).

Two answers to the same card may be written at once by two processes (PostgreSQL): each batch first
makes sure the cards it touches exist, then locks them in key order (FOR UPDATE; SQLite's single writer
already serialises) and computes each new state from the locked one, so no answer's update is lost.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, and_, bindparam, func, or_, select, text, true, update

from bot.core import review
from bot.core.review import CardState, Memory, Rating
from bot.core.vocabulary import Mode
from bot.store.db import chunks, upsert_insert
from bot.store.members import set_pending
from bot.store.models import Attempt, DailyAssignment, Member, ReviewCard
from bot.store.models import Question as QuestionRow

cards = ReviewCard.__table__
NEVER = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)  # the due time of a card made but not yet reviewed

# The cards of a batch's (member, question) keys, passed as one JSON list: a single statement, compiled once,
# whatever the batch holds. CROSS JOIN keeps the keys as the outer loop, so each is one primary-key seek
# (building an OR of 200 pairs in SQLAlchemy cost more than the writer's SQL did).
_SQLITE_CARDS_BY_KEY = text(
    "SELECT review_cards.* FROM json_each(:keys) AS wanted CROSS JOIN review_cards "
    "ON review_cards.member_id = json_extract(wanted.value, '$[0]') "
    "AND review_cards.question_id = json_extract(wanted.value, '$[1]')"
).columns(*cards.c)


@dataclass(frozen=True, slots=True)
class CardAnswer:
    member_id: int
    question_id: str
    answered_at: dt.datetime
    rating: Rating


def state_of(row: object) -> CardState | None:
    if row is None or row.reviews == 0:
        return None
    return CardState(row.state, row.step, row.stability, row.difficulty, row.due, row.last_review, row.reviews)


def update_cards(connection: Connection, answers: Sequence[CardAnswer], retention: float) -> None:
    """Apply each answer to its card, in the order given."""
    if not answers:
        return
    keys = sorted({(a.member_id, a.question_id) for a in answers})
    # SQLite's writer already holds the write lock (BEGIN IMMEDIATE): read, then upsert. Elsewhere, other
    # processes write too: make every row exist, then lock them (in key order, so no deadlock) and read.
    locking = connection.dialect.name != "sqlite"
    if locking:
        insert = upsert_insert(connection.dialect.name)(ReviewCard).on_conflict_do_nothing()
        for chunk in chunks([_row(key, None) for key in keys]):
            connection.execute(insert, chunk)
    current: dict[tuple[int, str], CardState | None] = dict.fromkeys(keys)
    for chunk in chunks(keys, 200):
        if locking:
            # An OR of (member, question) pairs, each a seek of the primary key, locked in key order.
            pairs = or_(*(and_(cards.c.member_id == m, cards.c.question_id == q) for m, q in chunk))
            query = select(cards).where(pairs).order_by(cards.c.member_id, cards.c.question_id).with_for_update()
            rows = connection.execute(query)
        else:
            rows = connection.execute(_SQLITE_CARDS_BY_KEY, {"keys": json.dumps(chunk)})
        current.update({(row.member_id, row.question_id): state_of(row) for row in rows})
    for answer in answers:
        key = (answer.member_id, answer.question_id)
        current[key] = review.review(current[key], answer.rating, answer.answered_at, retention)
    if locking:
        write_cards(connection, current)
        return
    upsert = upsert_insert(connection.dialect.name)(ReviewCard)
    columns = ("state", "step", "stability", "difficulty", "due", "last_review", "reviews")
    statement = upsert.on_conflict_do_update(
        index_elements=[cards.c.member_id, cards.c.question_id],
        set_={column: upsert.excluded[column] for column in columns},
    )
    for chunk in chunks([_row(key, card) for key, card in current.items()]):
        connection.execute(statement, chunk)


def _row(key: tuple[int, str], card: CardState | None) -> dict:
    """A review_cards row: the card's state, or (None) a placeholder that is never committed as it is."""
    member_id, question_id = key
    if card is None:
        return {"member_id": member_id, "question_id": question_id, "state": 1, "step": 0, "due": NEVER, "reviews": 0}
    return {
        "member_id": member_id,
        "question_id": question_id,
        "state": card.state,
        "step": card.step,
        "stability": card.stability,
        "difficulty": card.difficulty,
        "due": card.due,
        "last_review": card.last_review,
        "reviews": card.reviews,
    }


def write_cards(connection: Connection, states: dict[tuple[int, str], CardState | None]) -> None:
    """Store these cards' states over the existing rows."""
    # The key under other names: SQLAlchemy keeps a column's own name for its SET value.
    rows = [
        {"key_member": m, "key_question": q, **_row((m, q), card)}
        for (m, q), card in states.items()
        if card is not None
    ]
    if rows:
        columns = ("state", "step", "stability", "difficulty", "due", "last_review", "reviews")
        connection.execute(
            update(cards)
            .where(cards.c.member_id == bindparam("key_member"), cards.c.question_id == bindparam("key_question"))
            .values({column: bindparam(column) for column in columns}),
            rows,
        )


# ---------------------------------------------------------------- reading the queue (one synchronous unit)


def servable(  # noqa: ANN201 - a clause
    member_id: int, before: dt.datetime, hidden: str | None, topics: frozenset[str] | None = None
):
    """A member's cards due before `before`, on questions still in the bank (and in `topics`, the class's
    taught topics, unless None), minus `hidden`. Cards of other topics are kept, only not served."""
    clause = and_(
        cards.c.member_id == member_id,
        cards.c.due < before,
        QuestionRow.id == cards.c.question_id,
        QuestionRow.retired.is_(False),
        in_topics(topics),
    )
    return and_(clause, cards.c.question_id != hidden) if hidden else clause


def in_topics(topics: frozenset[str] | None):  # noqa: ANN201 - a clause
    """Questions of these topics (None: every topic), for a statement that joins the questions table."""
    return true() if topics is None else QuestionRow.topic_id.in_(sorted(topics))


def hidden_daily(connection: Connection, community_id: int, member_id: int, today: dt.date) -> str | None:
    """Today's daily question while this member has not answered it: review must not show it early."""
    todays = connection.scalar(
        select(DailyAssignment.question_id).where(
            DailyAssignment.community_id == community_id, DailyAssignment.local_date == today
        )
    )
    if todays is None:
        return None
    answered = connection.scalar(
        select(Attempt.id).where(Attempt.member_id == member_id, Attempt.daily_date == today).limit(1)
    )
    return None if answered is not None else todays


def member_memories(connection: Connection, member_id: int) -> list[tuple[str, Memory]]:
    """(question id, memory) of each card a member has reviewed: what mastery is worked out from."""
    rows = connection.execute(
        select(cards.c.question_id, cards.c.stability, cards.c.last_review).where(
            cards.c.member_id == member_id, cards.c.reviews > 0
        )
    )
    return [(question_id, Memory(stability, last_review)) for question_id, stability, last_review in rows]


@dataclass(frozen=True, slots=True)
class Queue:
    """A member's review queue today: the next card and how many are due, or (nothing due) what was done
    today, the next due time, the week's count and the member's cards (for mastery)."""

    member_id: int | None
    first: str | None = None
    due_today: int = 0
    done_today: int = 0
    next_due: dt.datetime | None = None
    due_this_week: int = 0
    memories: tuple[tuple[str, Memory], ...] = ()


@dataclass(frozen=True, slots=True)
class Day:
    """A member's local day, in UTC."""

    today: dt.date
    start: dt.datetime
    end: dt.datetime


def read_queue(
    connection: Connection,
    community_id: int,
    user_id: str,
    day: Day,
    *,
    take: bool,
    topics: frozenset[str] | None = None,
) -> Queue:
    """The queue of member `user_id` in the class's taught `topics`; with `take`, the first card becomes
    their pending question."""
    member = connection.execute(
        select(Member.id, Member.pending_question_id, Member.pending_mode).where(
            Member.community_id == community_id, Member.external_id == user_id
        )
    ).first()
    if member is None:
        return Queue(None)
    hidden = hidden_daily(connection, community_id, member.id, day.today)
    due = servable(member.id, day.end, hidden, topics)
    first = connection.execute(
        select(cards.c.question_id, func.count().over()).where(due).order_by(cards.c.due, cards.c.question_id).limit(1)
    ).first()
    if first is not None:
        if take and (member.pending_question_id, member.pending_mode) != (first[0], Mode.REVIEW.value):
            set_pending(connection, member.id, first[0], Mode.REVIEW.value, None)
        return Queue(member.id, first[0], first[1])
    done = connection.scalar(
        select(func.count()).where(
            Attempt.member_id == member.id,
            Attempt.mode == Mode.REVIEW.value,
            Attempt.created_at >= day.start,
            Attempt.created_at < day.end,
        )
    )
    week_end = day.end + dt.timedelta(days=7)
    never = dt.datetime.max.replace(tzinfo=dt.UTC)
    next_due, week = connection.execute(
        select(func.min(cards.c.due), func.count().filter(cards.c.due < week_end)).where(
            servable(member.id, never, hidden, topics)
        )
    ).one()
    return Queue(member.id, None, 0, done or 0, next_due, week or 0, tuple(member_memories(connection, member.id)))


def due_counts(
    connection: Connection,
    member_ids: set[int],
    today: dt.date,
    end: dt.datetime,
    topics: frozenset[str] | None = None,
) -> dict[int, int]:
    """How many reviews each of these members has due before `end` (their local midnight), as `read_queue`
    counts them (today's daily question left out until they answered it, only the class's taught `topics`):
    one statement for a batch."""
    if not member_ids:
        return {}
    todays = and_(DailyAssignment.community_id == Member.community_id, DailyAssignment.local_date == today)
    answered_today = (
        select(Attempt.id).where(Attempt.member_id == cards.c.member_id, Attempt.daily_date == today).exists()
    )
    counted: dict[int, int] = dict.fromkeys(member_ids, 0)
    for chunk in chunks(sorted(member_ids)):
        rows = connection.execute(
            select(cards.c.member_id, func.count())
            .join(QuestionRow, and_(QuestionRow.id == cards.c.question_id, QuestionRow.retired.is_(False)))
            .join(Member, Member.id == cards.c.member_id)
            .outerjoin(DailyAssignment, todays)
            .where(
                cards.c.member_id.in_(chunk),
                cards.c.due < end,
                in_topics(topics),
                DailyAssignment.question_id.is_(None)
                | (cards.c.question_id != DailyAssignment.question_id)
                | answered_today,
            )
            .group_by(cards.c.member_id)
        )
        counted.update(dict(rows.all()))
    return counted
