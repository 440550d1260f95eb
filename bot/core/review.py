"""Spaced review: when each question should come back to each student, by FSRS (the `fsrs` package).

Every answer is a review of that (member, question) card: wrong is Again, right is Good, and a student
may say afterwards that a right answer was a guess (Hard) or too easy (Easy). One short learning step
(ten minutes) brings a wrong answer back the same day; a right one goes days out. Fuzzing is off, so a
card is a pure function of its history: replaying a member's attempts (the migration, a re-rating)
gives exactly the card the answers built one by one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache

import fsrs

from bot.core.clock import as_utc

DEFAULT_RETENTION = 0.9
STEP = dt.timedelta(minutes=10)


class Rating(IntEnum):
    """FSRS's four grades, stored by number on the attempt that gave them."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


def rating_of(correct: bool, override: int | None = None) -> Rating:
    """An answer's grade: the student's own (a right answer marked a guess or too easy) or right/wrong."""
    if override is not None:
        return Rating(override)
    return Rating.GOOD if correct else Rating.AGAIN


@dataclass(frozen=True, slots=True)
class CardState:
    """One (member, question) card as stored: FSRS's memory state and when it is next due (UTC)."""

    state: int  # fsrs.State: 1 learning, 2 review, 3 relearning
    step: int | None
    stability: float | None
    difficulty: float | None
    due: dt.datetime
    last_review: dt.datetime | None
    reviews: int = 0


@lru_cache(maxsize=8)
def scheduler(retention: float = DEFAULT_RETENTION) -> fsrs.Scheduler:
    if not 0.7 <= retention <= 0.97:
        raise ValueError("desired retention must be between 0.70 and 0.97")
    return fsrs.Scheduler(
        desired_retention=retention, learning_steps=(STEP,), relearning_steps=(STEP,), enable_fuzzing=False
    )


def _to_fsrs(card: CardState | None) -> fsrs.Card:
    # Always a card_id: without one, fsrs.Card() makes an id from the clock and sleeps 1 ms to keep it unique.
    if card is None:
        return fsrs.Card(card_id=0)
    return fsrs.Card(
        card_id=0,
        state=fsrs.State(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=as_utc(card.due),
        last_review=as_utc(card.last_review) if card.last_review else None,
    )


def review(
    card: CardState | None, rating: Rating, when: dt.datetime, retention: float = DEFAULT_RETENTION
) -> CardState:
    """The card after one more answer at `when` (None: the member's first answer to this question)."""
    reviewed, _ = scheduler(retention).review_card(_to_fsrs(card), fsrs.Rating(int(rating)), as_utc(when))
    return CardState(
        state=int(reviewed.state),
        step=reviewed.step,
        stability=reviewed.stability,
        difficulty=reviewed.difficulty,
        due=reviewed.due,
        last_review=reviewed.last_review,
        reviews=(card.reviews if card else 0) + 1,
    )


def replay(answers: Iterable[tuple[dt.datetime, Rating]], retention: float = DEFAULT_RETENTION) -> CardState | None:
    """The card a history of (time, grade) answers builds, in time order."""
    card = None
    for when, rating in sorted(answers, key=lambda answer: as_utc(answer[0])):
        card = review(card, rating, when, retention)
    return card


@dataclass(frozen=True, slots=True)
class Memory:
    """What recall needs of a card: how stable the memory is, and when it was last reviewed (UTC)."""

    stability: float | None
    last_review: dt.datetime | None


def recall(card: CardState | Memory, now: dt.datetime, retention: float = DEFAULT_RETENTION) -> float:
    """The probability the student would get it right now (FSRS retrievability), 0..1."""
    return recalls([card], now, retention)[0]


def recalls(cards: Iterable[CardState | Memory], now: dt.datetime, retention: float = DEFAULT_RETENTION) -> list[float]:
    """`recall` of many cards at once. FSRS reads only a card's stability and last review, so a stored card
    is passed as it is (no fsrs.Card built for each: a student's stats read hundreds)."""
    fsrs_scheduler, moment = scheduler(retention), as_utc(now)
    found = []
    for card in cards:
        if card.last_review is None:
            found.append(0.0)
            continue
        memory = card if card.last_review.tzinfo is not None else Memory(card.stability, as_utc(card.last_review))
        found.append(fsrs_scheduler.get_card_retrievability(memory, moment))  # type: ignore[arg-type]
    return found


def recall_terms(retention: float = DEFAULT_RETENTION) -> tuple[float, float]:
    """(factor, decay) of FSRS's forgetting curve, recall = (1 + factor * days / stability) ** decay, for
    working recall out where the cards are (a class report sums it over thousands of cards in SQL)."""
    decay = -scheduler(retention).parameters[20]
    return 0.9 ** (1 / decay) - 1, decay


def due_by(card_due: dt.datetime, moment: dt.datetime) -> bool:
    return as_utc(card_due) <= as_utc(moment)
