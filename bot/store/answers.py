"""Group commit for answers: one writer task records every answer waiting for it in one transaction.

Under load hundreds of students answer within the same second. Giving each answer its own
transaction makes SQLite's single writer the bottleneck; here every answer that arrives while a
batch is being written joins the next batch, so one commit carries many answers. Each answer
still gets its own, correct outcome: the rules (streaks, points, first answer wins) run per answer
in arrival order (`bot.core.scoring.score_answer`), and the unique constraint on (member, daily date)
stays the last word.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import functools
import logging
import threading
import time
from dataclasses import dataclass

from cachetools import TTLCache
from sqlalchemy import bindparam, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core import review, scoring
from bot.core.calendar import SchoolCalendar
from bot.core.scoring import FirstAnswer, Progress
from bot.core.vocabulary import Mode, Period
from bot.store.calendars import calendars
from bot.store.db import DirectAccess, cause_of_failure, checkpoint, upsert_insert
from bot.store.members import enrol_members, members
from bot.store.models import Attempt, Score
from bot.store.review import CardAnswer, due_counts, update_cards

log = logging.getLogger(__name__)

MAX_BATCH = 1000
CALENDAR_SECONDS = 60
CHECKPOINT_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    """One answer. The member is named by their platform id: the writer finds or enrols them in the
    same batch, so a student's first answer (the usual case after a scheduled post) costs no extra
    transaction."""

    user_id: str  # the platform's user id
    display_name: str
    community_id: int
    question_id: str
    daily_date: dt.date | None  # None for practice
    answer_given: str
    correct: bool
    answered_at: dt.datetime
    review: bool = False  # asked by `review` (recorded as a review, for no points)
    # For a review: the member's local date, its end (UTC) and the class's taught topics (None: all), to count
    # the reviews still due today.
    review_day: tuple[dt.date, dt.datetime, frozenset[str] | None] | None = None
    member_id: int = 0  # filled in by the writer


@dataclass(frozen=True, slots=True)
class Recorded:
    """What happened to one answer."""

    points: int
    streak: int
    total_points: int
    repeated: bool = False  # a daily question answered before: `correct`/`answer_given` are the first answer's
    correct: bool = False
    answer_given: str = ""
    question_id: str = ""
    reviews_due: int | None = None  # after a review: how many are still due today


class AnswerWriter:
    """Each recorded answer also moves its (member, question) review card on, in the same transaction."""

    def __init__(
        self, engine: AsyncEngine, *, max_batch: int = MAX_BATCH, retention: float = review.DEFAULT_RETENTION
    ) -> None:
        self._retention = retention
        self._sqlite = engine.dialect.name == "sqlite"
        # A whole batch in one unit of direct work (on SQLite, a thread of its own), one writer at a time; its commits
        # never stop to checkpoint the WAL: a side task does that.
        self._write_batch = DirectAccess(engine, writes=True, threads=1, checkpoints=False, name="answer-writer")
        self._checkpoint_engine = engine
        self._checkpointing: asyncio.Task[None] | None = None
        self._last_checkpoint = 0.0
        self._queue: asyncio.Queue[tuple[AnswerRecord, asyncio.Future[Recorded]]] = asyncio.Queue()
        self._max_batch = max_batch
        self._task: asyncio.Task[None] | None = None
        self._school_days: TTLCache[int, SchoolCalendar] = TTLCache(100_000, CALENDAR_SECONDS)
        self._calendar_lock = threading.Lock()
        self._insert = upsert_insert(engine.dialect.name)

    async def record(self, answer: AnswerRecord) -> Recorded:
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run(), name="answer-writer")
        future: asyncio.Future[Recorded] = asyncio.get_running_loop().create_future()
        await self._queue.put((answer, future))
        return await future

    async def drain(self, grace: float) -> bool:
        """Wait (up to `grace` seconds) until every answer handed in so far is written; True when they were."""
        if self._task is None or self._task.done():
            return self._queue.empty()
        try:
            await asyncio.wait_for(self._queue.join(), timeout=grace)
        except TimeoutError:
            return False
        return True

    async def close(self) -> None:
        for task in (self._task, self._checkpointing):
            if task is not None:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        self._task = self._checkpointing = None
        while not self._queue.empty():  # nobody will write these now: tell their callers
            _, future = self._queue.get_nowait()
            if not future.done():
                future.set_exception(RuntimeError("the answer writer was closed"))
        await self._write_batch.close()

    def _maybe_checkpoint(self) -> None:
        """At most once a second, and never two at once, checkpoint the WAL on another connection."""
        now = time.monotonic()
        if not self._sqlite or now - self._last_checkpoint < CHECKPOINT_SECONDS:
            return
        if self._checkpointing is not None and not self._checkpointing.done():
            return
        self._last_checkpoint = now
        self._checkpointing = asyncio.get_running_loop().create_task(self._checkpoint(), name="wal-checkpoint")

    async def _checkpoint(self) -> None:
        try:
            await checkpoint(self._checkpoint_engine)
        except Exception:
            log.warning("WAL checkpoint failed; will try again", exc_info=True)

    async def _run(self) -> None:
        while True:
            batch = [await self._queue.get()]
            while len(batch) < self._max_batch and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            try:
                await self._write(batch)
                self._maybe_checkpoint()
            except Exception:
                # One bad answer must not fail the others: write each alone, so only it fails.
                for item in batch:
                    if not item[1].done():
                        await self._write_alone(item)
            finally:
                for _ in batch:
                    self._queue.task_done()

    async def _write_alone(self, item: tuple[AnswerRecord, asyncio.Future[Recorded]]) -> None:
        try:
            await self._write([item])
        except Exception as error:
            cause = cause_of_failure(error, self._checkpoint_engine.url)
            if cause is None:  # a bug: the whole story, for whoever fixes it
                log.exception("recording an answer failed")
            else:  # the database's state (a full disk, say): one line, the student is told why
                log.warning("recording an answer failed: %s", cause)
            if not item[1].done():
                item[1].set_exception(error)

    async def _write(self, batch: list[tuple[AnswerRecord, asyncio.Future[Recorded]]]) -> None:
        answers = [answer for answer, _ in batch]
        outcomes = await self._write_batch(functools.partial(self._apply, answers=answers))
        for (_, future), outcome in zip(batch, outcomes, strict=True):
            if not future.done():
                future.set_result(outcome)

    def _apply(self, connection: Connection, answers: list[AnswerRecord]) -> list[Recorded]:
        """Record one batch in the caller's transaction (synchronous: one thread hop per batch on SQLite)."""
        enrolled = enrol_members(connection, {(a.community_id, a.user_id): a.display_name for a in answers})
        answers = [dataclasses.replace(a, member_id=enrolled[(a.community_id, a.user_id)].id) for a in answers]
        firsts = self._first_answers(connection, [a for a in answers if a.daily_date is not None])
        progress = {
            m.id: Progress(m.current_streak, m.best_streak, m.last_daily_date, m.total_points, m.streak_freeze_used_on)
            for m in enrolled.values()
        }
        school_days = self._calendars(connection, {a.community_id for a in answers if a.daily_date is not None})
        pending = {m.id: m.pending_question_id for m in enrolled.values()}
        card_answers: list[CardAnswer] = []

        # The rule runs per answer, in arrival order; `progress` holds each member's standing as it goes.
        attempts: list[dict] = []
        scored: set[int] = set()
        points_by_key: dict[tuple, list] = {}
        answered_pending: list[dict] = []
        outcomes: list[Recorded] = []
        for answer in answers:
            member = answer.member_id
            if pending[member] == answer.question_id:
                pending[member] = None  # `answer <text>` must not answer it again
                answered_pending.append({"member": member})
            key = (member, answer.daily_date)
            decision = scoring.score_answer(
                progress[member],
                correct=answer.correct,
                daily_date=answer.daily_date,
                calendar=school_days.get(answer.community_id),
                first=firsts.get(key),
            )
            progress[member] = decision.progress
            if decision.repeat_of is not None:
                first = decision.repeat_of
                outcomes.append(
                    Recorded(
                        0,
                        first.streak,
                        decision.progress.total_points,
                        True,
                        first.correct,
                        first.answer_given,
                        first.question_id,
                    )
                )
                continue
            attempts.append(_attempt_row(answer, points=decision.points, streak=decision.streak))
            card_answers.append(
                CardAnswer(member, answer.question_id, answer.answered_at, review.rating_of(answer.correct))
            )
            if decision.scored:
                scored.add(member)
                firsts[key] = FirstAnswer(answer.correct, answer.answer_given, decision.streak, answer.question_id)
                for period in Period:
                    start = scoring.period_start(period, answer.daily_date)
                    points_by_key.setdefault((member, period.value, start), [answer.community_id, 0])[1] += (
                        decision.points
                    )
            outcomes.append(
                Recorded(
                    decision.points,
                    decision.streak,
                    decision.progress.total_points,
                    False,
                    answer.correct,
                    answer.answer_given,
                    answer.question_id,
                )
            )
        if attempts:
            connection.execute(Attempt.__table__.insert(), attempts)
        if scored:
            connection.execute(
                update(members)
                .where(members.c.id == bindparam("member"))
                .values(
                    current_streak=bindparam("streak"),
                    best_streak=bindparam("best"),
                    last_daily_date=bindparam("last"),
                    streak_freeze_used_on=bindparam("freeze"),
                ),
                [
                    {
                        "member": m,
                        "streak": progress[m].streak,
                        "best": progress[m].best_streak,
                        "last": progress[m].last_daily,
                        "freeze": progress[m].freeze_used_on,
                    }
                    for m in sorted(scored)  # in key order, as every writer locks them: no deadlock between two
                ],
            )
        if points_by_key:
            statement = self._insert(Score)
            connection.execute(
                statement.on_conflict_do_update(
                    index_elements=[Score.member_id, Score.period, Score.period_start],
                    set_={"points": Score.points + statement.excluded.points},
                ),
                [
                    {"member_id": m, "period": p, "period_start": start, "community_id": c, "points": points}
                    for (m, p, start), (c, points) in sorted(points_by_key.items())
                ],
            )
        update_cards(connection, card_answers, self._retention)
        reviews_due = self._reviews_due(connection, answers)
        outcomes = [
            dataclasses.replace(outcome, reviews_due=reviews_due.get((answer.member_id, answer.review_day)))
            if answer.review_day is not None
            else outcome
            for answer, outcome in zip(answers, outcomes, strict=True)
        ]
        if answered_pending:
            connection.execute(
                update(members)
                .where(members.c.id == bindparam("member"))
                .values(pending_question_id=None, pending_mode=None, pending_date=None),
                answered_pending,
            )
        return outcomes

    def _reviews_due(self, connection: Connection, answers: list[AnswerRecord]) -> dict[tuple, int]:
        """(member, review day) -> reviews still due that day, after this batch's card updates."""
        counts: dict[tuple, int] = {}
        for day in {a.review_day for a in answers if a.review_day is not None}:
            members = {a.member_id for a in answers if a.review_day == day}
            for member, count in due_counts(connection, members, *day).items():
                counts[(member, day)] = count
        return counts

    def _first_answers(self, connection: Connection, daily: list[AnswerRecord]) -> dict[tuple, FirstAnswer]:
        """Daily answers already recorded for these members and days."""
        if not daily:
            return {}
        rows = connection.execute(
            select(
                Attempt.member_id,
                Attempt.daily_date,
                Attempt.correct,
                Attempt.answer_given,
                Attempt.streak,
                Attempt.question_id,
            ).where(
                Attempt.member_id.in_({a.member_id for a in daily}),
                Attempt.daily_date.in_({a.daily_date for a in daily}),
            )
        )
        return {(m, d): FirstAnswer(c, g, s, q) for m, d, c, g, s, q in rows}

    def _calendars(self, connection: Connection, community_ids: set[int]) -> dict[int, SchoolCalendar]:
        """The school calendars streaks follow, cached briefly: a schedule changed in another process is
        followed within CALENDAR_SECONDS (`forget_calendar` drops them at once, for this process's changes).
        The writer's thread reads the cache and the event loop clears it: a lock keeps them apart."""
        with self._calendar_lock:
            found = {c: cached for c in community_ids if (cached := self._school_days.get(c)) is not None}
        missing = community_ids - found.keys()
        if missing:
            loaded = calendars(connection, missing)
            with self._calendar_lock:
                self._school_days.update(loaded)
            found |= loaded
        return found

    def forget_calendar(self, community_id: int | None = None) -> None:
        with self._calendar_lock:
            if community_id is None:
                self._school_days.clear()
            else:
                self._school_days.pop(community_id, None)


def _attempt_row(answer: AnswerRecord, *, points: int, streak: int) -> dict:
    return {
        "member_id": answer.member_id,
        "community_id": answer.community_id,
        "question_id": answer.question_id,
        "mode": (Mode.DAILY if answer.daily_date else Mode.REVIEW if answer.review else Mode.PRACTICE).value,
        "daily_date": answer.daily_date,
        "answer_given": answer.answer_given[:500],
        "correct": answer.correct,
        "points": points,
        "streak": streak,
        "created_at": answer.answered_at,
    }
