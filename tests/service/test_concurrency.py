"""Many answers at once: none lost, none doubled, none misgraded, every score equal to its attempts."""

from __future__ import annotations

import asyncio
import random

from sqlalchemy import delete, func, select

from bot.core import scoring
from bot.core.replies import QuestionRef
from bot.core.vocabulary import Mode, Period
from bot.store.models import Attempt, Member, Score
from tests.helpers import correct_answer, student, wrong_answer


async def test_concurrent_answers_keep_every_score_equal_to_its_attempts(any_service, clock):
    rng = random.Random(7)
    classes = [[student(f"S{c}-{m}", community=f"class-{c}") for m in range(15)] for c in range(4)]
    expected_correct: dict[str, int] = {}
    submitted = 0
    for _day in range(3):
        cards = {c: await any_service.daily_question(members[0]) for c, members in enumerate(classes)}
        jobs = []
        for c, members in enumerate(classes):
            for actor in members:
                right = rng.random() < 0.6
                text = correct_answer(any_service, cards[c]) if right else wrong_answer(any_service, cards[c])
                # each student answers the daily question twice at once, plus a practice question
                jobs += [any_service.submit_answer(actor, text, cards[c].ref) for _ in range(2)]
                practice = QuestionRef("t-tf-1", Mode.PRACTICE)
                jobs.append(any_service.submit_answer(actor, "true", practice))
                expected_correct[actor.user_id] = expected_correct.get(actor.user_id, 0) + int(right)
                submitted += 2
        rng.shuffle(jobs)
        results = await asyncio.gather(*jobs)
        daily = [r for r in results if r.ref.mode is Mode.DAILY]
        assert sum(not r.repeated for r in daily) == 60  # one scored answer per student per day
        assert all(r.correct for r in results if r.ref.mode is Mode.PRACTICE)
        clock.advance(days=1)

    async with any_service.db.read_sessions() as session:
        attempts = await session.scalar(select(func.count()).select_from(Attempt))
        assert attempts == submitted  # 3 days x 60 students x (1 daily + 1 practice)
        per_member = dict(
            (
                await session.execute(select(Attempt.member_id, func.sum(Attempt.points)).group_by(Attempt.member_id))
            ).all()
        )
        totals = dict(
            (await session.execute(select(Score.member_id, Score.points).where(Score.period == Period.ALL.value))).all()
        )
        assert per_member == totals
        correct_daily = dict(
            (
                await session.execute(
                    select(Member.external_id, func.count())
                    .join(Attempt, Attempt.member_id == Member.id)
                    .where(Attempt.mode == "daily", Attempt.correct.is_(True))
                    .group_by(Member.external_id)
                )
            ).all()
        )
        assert {k: v for k, v in expected_correct.items() if v} == correct_daily
        for period in (Period.WEEK, Period.MONTH):
            rows = (
                await session.execute(
                    select(Attempt.member_id, Attempt.daily_date, Attempt.points).where(Attempt.mode == "daily")
                )
            ).all()
            expected: dict[tuple, int] = {}
            for member_id, day, points in rows:
                key = (member_id, scoring.period_start(period, day))
                expected[key] = expected.get(key, 0) + points
            stored = dict(
                ((m, s), p)
                for m, s, p in (
                    await session.execute(
                        select(Score.member_id, Score.period_start, Score.points).where(Score.period == period.value)
                    )
                ).all()
            )
            assert stored == expected


async def test_an_answer_from_a_member_forgotten_meanwhile_is_not_lost(any_service):
    ann = student("Ann")
    await any_service.practice_question(ann)
    async with any_service.db.sessions.begin() as session:  # another process forgets Ann: our cache is stale
        await session.execute(delete(Member).where(Member.external_id == "ann"))
    result = await any_service.submit_answer(ann, "true", QuestionRef("t-tf-1", Mode.PRACTICE))
    assert result.correct and (await any_service.stats(ann)).answered == 1
