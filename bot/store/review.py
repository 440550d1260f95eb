"""Review cards in the database: updated in the answer writer's transaction, one per (member, question).

Two answers to the same card may be written at once by two processes (PostgreSQL): each batch first
makes sure the cards it touches exist, then locks them in key order (FOR UPDATE; SQLite's single writer
already serialises) and computes each new state from the locked one, so no answer's update is lost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, select, tuple_, update

from bot.core import review
from bot.core.review import CardState, Rating
from bot.store.db import chunks, upsert_insert
from bot.store.models import ReviewCard

cards = ReviewCard.__table__
NEVER = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)  # the due time of a card made but not yet reviewed


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
    placeholders = [
        {"member_id": m, "question_id": q, "state": 1, "step": 0, "due": NEVER, "reviews": 0} for m, q in keys
    ]
    insert = upsert_insert(connection.dialect.name)(ReviewCard).on_conflict_do_nothing()
    current: dict[tuple[int, str], CardState | None] = {}
    for chunk in chunks(placeholders, 500):
        connection.execute(insert, chunk)
    for chunk in chunks(keys, 500):
        rows = connection.execute(
            select(cards)
            .where(tuple_(cards.c.member_id, cards.c.question_id).in_(chunk))
            .order_by(cards.c.member_id, cards.c.question_id)
            .with_for_update()
        )
        current.update({(row.member_id, row.question_id): state_of(row) for row in rows})
    for answer in answers:
        key = (answer.member_id, answer.question_id)
        current[key] = review.review(current[key], answer.rating, answer.answered_at, retention)
    write_cards(connection, {key: current[key] for key in keys})


def write_cards(connection: Connection, states: dict[tuple[int, str], CardState | None]) -> None:
    """Store these cards' states over the existing rows."""
    rows = [
        {
            "m": member_id,
            "q": question_id,
            "state": card.state,
            "step": card.step,
            "stability": card.stability,
            "difficulty": card.difficulty,
            "due": card.due,
            "last_review": card.last_review,
            "reviews": card.reviews,
        }
        for (member_id, question_id), card in states.items()
        if card is not None
    ]
    if rows:
        connection.execute(
            update(cards)
            .where(cards.c.member_id == bindparam("m"), cards.c.question_id == bindparam("q"))
            .values(
                state=bindparam("state"),
                step=bindparam("step"),
                stability=bindparam("stability"),
                difficulty=bindparam("difficulty"),
                due=bindparam("due"),
                last_review=bindparam("last_review"),
                reviews=bindparam("reviews"),
            ),
            rows,
        )
