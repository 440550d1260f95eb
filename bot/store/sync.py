"""Copy the content bank into the database, idempotently, keyed by each item's stable id.

Edited items are updated; items that left the bank are retired, never deleted, so every
student's history keeps pointing at a real row. Students' review cards survive an edit, except when the
answer itself changed: then what they learnt is wrong, and each card starts again, due at once.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.schema import Bank
from bot.core.clock import utc_now
from bot.store.db import chunks
from bot.store.models import Card, Question, ReviewCard, Topic
from bot.store.review import NEVER


@dataclass(frozen=True, slots=True)
class SyncReport:
    added: int
    updated: int
    retired: int


async def sync_bank(session: AsyncSession, bank: Bank) -> SyncReport:
    added = updated = retired = 0

    known_topics = {topic.id: topic for topic in (await session.scalars(select(Topic))).all()}
    for topic in bank.topics.values():
        row = known_topics.get(topic.id)
        if row is None:
            session.add(Topic(id=topic.id, title=topic.title, area=topic.area, retired=False))
        elif (row.title, row.area, row.retired) != (topic.title, topic.area, False):
            row.title, row.area, row.retired = topic.title, topic.area, False
    for topic_id in known_topics.keys() - bank.topics.keys():
        known_topics[topic_id].retired = True
    await session.flush()

    hashes = dict((await session.execute(select(Question.id, Question.content_hash))).all())
    changed = [q.id for q in bank.questions.values() if q.id in hashes and hashes[q.id] != _digest(_body(q))]
    old_answers = {}
    for chunk in chunks(changed):
        rows = await session.execute(select(Question.id, Question.body).where(Question.id.in_(chunk)))
        old_answers.update({question_id: _answer_of(body) for question_id, body in rows})
    answers_changed = []
    for question in bank.questions.values():
        body = _body(question)
        digest = _digest(body)
        if hashes.get(question.id) == digest:
            continue
        values = dict(
            topic_id=question.topic,
            kind=question.kind.value,
            prompt=question.prompt,
            body=body,
            content_hash=digest,
            retired=False,
            updated_at=utc_now(),
        )
        if question.id in hashes:
            await session.execute(update(Question).where(Question.id == question.id).values(**values))
            updated += 1
            if old_answers.get(question.id) != _answer_of(body):
                answers_changed.append(question.id)
        else:
            session.add(Question(id=question.id, **values))
            added += 1
    gone = hashes.keys() - bank.questions.keys()
    if gone:
        result = await session.execute(
            update(Question).where(Question.id.in_(gone), Question.retired.is_(False)).values(retired=True)
        )
        retired += result.rowcount or 0

    for chunk in chunks(answers_changed):
        await session.execute(
            update(ReviewCard)
            .where(ReviewCard.question_id.in_(chunk))
            .values(state=1, step=0, stability=None, difficulty=None, due=NEVER, last_review=None, reviews=0)
        )

    card_hashes = dict((await session.execute(select(Card.id, Card.content_hash))).all())
    cards = [("figure", figure.id, figure.name, figure) for figure in bank.figures.values()]
    cards += [("term", term.id, term.term, term) for term in bank.terms.values()]
    for kind, card_id, name, model in cards:
        body = model.model_dump(mode="json")
        digest = _digest(body)
        if card_hashes.get(card_id) == digest:
            continue
        values = dict(kind=kind, name=name, body=body, content_hash=digest, retired=False)
        if card_id in card_hashes:
            await session.execute(update(Card).where(Card.id == card_id).values(**values))
        else:
            session.add(Card(id=card_id, **values))
    stale_cards = card_hashes.keys() - {card_id for _, card_id, _, _ in cards}
    if stale_cards:
        await session.execute(update(Card).where(Card.id.in_(stale_cards)).values(retired=True))
    await session.flush()
    return SyncReport(added, updated, retired)


def _body(question) -> dict:  # noqa: ANN001 - a content Question
    return question.model_dump(mode="json")


def _answer_of(body: dict) -> tuple:
    """What makes an answer right: the key, the accepted and rejected forms, and the options it is among."""
    return (
        body.get("kind"),
        body.get("answer"),
        body.get("accept"),
        body.get("wrong"),
        sorted(body.get("options", [])),
    )


def _digest(body: dict) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:16]
