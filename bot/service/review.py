"""Spaced review: the student's most overdue question, mastery per topic, the weakest topic, re-grading.

Cards are written by the answer writer (bot/store/review.py) with each answer; this part only reads
them, except `rate`, which re-grades a right answer ("I guessed", "Too easy") by replaying the card's
history with the new grade. A review "day" is the member's local day (the community's zone): what is
due before local midnight is due today. Only cards of the topics the class has been taught so far are
served and counted; the others are kept for when their topic is taught. (A little over 300 lines: the
bulk counts for posts and reminders belong with the queue they count.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import Connection, Integer, and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import review
from bot.core import schedules as rules
from bot.core.actor import Actor
from bot.core.clock import Clock, as_utc, day_bounds, zone
from bot.core.errors import NotFound
from bot.core.replies import (
    AskedQuestion,
    FigureRecord,
    QuestionRef,
    RatingNoted,
    RemindersSetting,
    ReviewReminder,
    ReviewsDone,
    TopicMastery,
)
from bot.core.review import Memory
from bot.core.vocabulary import Mode
from bot.service.catalogue import Catalogue
from bot.service.failures import database_trouble
from bot.service.members import Members
from bot.store import review as store
from bot.store.db import Database, chunks, upsert_insert
from bot.store.members import CommunityRow
from bot.store.models import Attempt, Community, DailyAssignment, Member, ReviewCard, ReviewReminderSent, Schedule
from bot.store.models import Question as QuestionRow
from bot.store.review import write_cards

RATINGS = {"guessed": review.Rating.HARD, "easy": review.Rating.EASY}
NOT_RATEABLE = "Only a right answer can be marked as a guess or too easy; answer a question first."
TOO_OLD_TO_RATE = (
    "That question's earlier answers are no longer kept, so this one can't be re-graded; it stands as it is."
)


class Reviews:
    def __init__(
        self,
        db: Database,
        catalogue: Catalogue,
        members: Members,
        clock: Clock,
        retention: float = review.DEFAULT_RETENTION,
    ) -> None:
        self.db = db
        self.catalogue = catalogue
        self.members = members
        self.clock = clock
        self.retention = retention

    def _day(self, community: CommunityRow, now: dt.datetime) -> store.Day:
        start, end = day_bounds(now, community.timezone)
        return store.Day(self.members.today(community), start, end)

    @database_trouble()
    async def next_review(self, actor: Actor) -> AskedQuestion | ReviewsDone:
        """The most overdue question due today, or what was done and what comes next. One unit of direct
        work (one hop on SQLite): review is asked for often and must answer fast."""
        now = self.clock()
        community = await self.members.community(actor)
        day = self._day(community, now)
        taught = self.catalogue.taught(community)
        queue = await self.db.direct_writes(
            lambda connection: store.read_queue(connection, community.id, actor.user_id, day, take=True, topics=taught)
        )
        if queue.first is not None:
            return self.catalogue.asked(QuestionRef(queue.first, Mode.REVIEW), reviews_due=queue.due_today)
        mastery = self._mastery_of(queue.memories, now)
        next_due = _local(queue.next_due, community.timezone) if queue.next_due is not None else None
        return ReviewsDone(queue.done_today, next_due, queue.due_this_week, self._weakest_topic(mastery, taught))

    async def _batches(self, session: AsyncSession, keys: set[tuple[int, dt.date]]) -> list[tuple]:
        """(day, taught topics, community ids) for a count over many classes' (community, day)s: the classes
        grouped by what they have been taught (most: None, the whole bank), so each counts only that."""
        taught: dict[int, frozenset[str] | None] = {}
        for chunk in chunks(sorted({community for community, _ in keys})):
            rows = await session.execute(select(Community.id, Community.taught_topics).where(Community.id.in_(chunk)))
            taught.update({community: self.catalogue.taught_of(stored) for community, stored in rows})
        return [
            (day, topics, chunk)
            for day in {day for _, day in keys}
            for topics in set(taught.values())
            for chunk in chunks(sorted(c for c, d in keys if d == day and c in taught and taught[c] == topics))
        ]

    async def waiting(self, session: AsyncSession, keys: set[tuple[int, dt.date]], now: dt.datetime) -> dict:
        """(community, day) -> how many of its members have reviews due now (today's daily question, which
        the post is asking, not counted): the count a scheduled post mentions."""
        counts: dict[tuple[int, dt.date], int] = {}
        for day, taught, chunk in await self._batches(session, keys):
            todays = and_(DailyAssignment.community_id == Member.community_id, DailyAssignment.local_date == day)
            rows = await session.execute(
                select(Member.community_id, func.count(ReviewCard.member_id.distinct()))
                .join(Member, Member.id == ReviewCard.member_id)
                .join(QuestionRow, and_(QuestionRow.id == ReviewCard.question_id, QuestionRow.retired.is_(False)))
                .outerjoin(DailyAssignment, todays)
                .where(
                    Member.community_id.in_(chunk),
                    ReviewCard.due <= now,
                    store.in_topics(taught),
                    (DailyAssignment.question_id.is_(None)) | (ReviewCard.question_id != DailyAssignment.question_id),
                )
                .group_by(Member.community_id)
            )
            counts.update({(community, day): count for community, count in rows})
        return counts

    # ------------------------------------------------------------- reminders

    @database_trouble()
    async def set_reminders(self, actor: Actor, on: bool) -> RemindersSetting:
        """`review reminders on|off`: a direct message at the class's post time on days reviews wait."""
        async with self.db.sessions.begin() as session:
            community, member = await self.members.enrol(session, actor)
            await session.execute(update(Member).where(Member.id == member.id).values(review_reminders=on))
            times = (
                await session.execute(
                    select(Schedule.time_of_day, Schedule.weekdays)
                    .where(Schedule.community_id == community.id, Schedule.paused.is_(False))
                    .order_by(Schedule.time_of_day)
                )
            ).all()
        if not on:
            return RemindersSetting(False, "No more reminders. Turn them back on with `review reminders on`.")
        if not times:
            return RemindersSetting(True, "They will come once your class has a daily-question schedule.")
        first = times[0]
        days = rules.describe_days(frozenset(int(day) for day in first.weekdays.split(",") if day))
        return RemindersSetting(
            True,
            f"At most one a day, at {first.time_of_day:%H:%M} ({community.timezone}) {days}, "
            "when reviews are waiting for you.",
        )

    async def claim_reminders(
        self, keys: set[tuple[int, dt.date]], now: dt.datetime
    ) -> list[tuple[int, ReviewReminder]]:
        """The reminders to send now for these (community, local date)s: members who turned them on, with
        reviews due, not yet reminded that day. Recorded before they are sent (at most one a day, even if
        two processes post for the class): a crash before the send loses that day's reminder, never doubles it."""
        reminders: list[tuple[int, ReviewReminder]] = []
        async with self.db.sessions.begin() as session:
            for day, taught, chunk in await self._batches(session, keys):
                todays = and_(DailyAssignment.community_id == Member.community_id, DailyAssignment.local_date == day)
                due = (
                    await session.execute(
                        select(Member.id, Member.external_id, Community.id, Community.external_id, func.count())
                        .join(Community, Community.id == Member.community_id)
                        .join(ReviewCard, ReviewCard.member_id == Member.id)
                        .join(
                            QuestionRow, and_(QuestionRow.id == ReviewCard.question_id, QuestionRow.retired.is_(False))
                        )
                        .outerjoin(DailyAssignment, todays)
                        .where(
                            Member.community_id.in_(chunk),
                            Member.review_reminders.is_(True),
                            ReviewCard.due <= now,
                            store.in_topics(taught),
                            DailyAssignment.question_id.is_(None)
                            | (ReviewCard.question_id != DailyAssignment.question_id),
                        )
                        .group_by(Member.id, Member.external_id, Community.id, Community.external_id)
                    )
                ).all()
                if not due:
                    continue
                insert = upsert_insert(self.db.dialect)(ReviewReminderSent).on_conflict_do_nothing()
                claimed = set()
                for rows in chunks([{"member_id": m, "local_date": day, "sent_at": now} for m, *_ in due]):
                    result = await session.execute(insert.returning(ReviewReminderSent.member_id), rows)
                    claimed.update(result.scalars())
                reminders += [
                    (community, ReviewReminder(team, user, count))
                    for m, user, community, team, count in due
                    if m in claimed
                ]
        return reminders

    # ------------------------------------------------------------- mastery

    def _mastery_of(self, memories: Iterable[tuple[str, Memory]], now: dt.datetime) -> dict[str, TopicMastery]:
        questions = self.catalogue.bank.questions
        live = [(questions[q].topic, memory) for q, memory in memories if q in questions]  # retired: kept, not counted
        recalls: dict[str, list[float]] = {}
        for (topic, _), chance in zip(live, review.recalls((m for _, m in live), now, self.retention), strict=True):
            recalls.setdefault(topic, []).append(chance)
        totals = self.catalogue.topic_sizes
        return {
            topic_id: TopicMastery(
                topic_id, self.catalogue.topic_title(topic_id), len(values), totals.get(topic_id, 0), _mean(values)
            )
            for topic_id, values in recalls.items()
        }

    async def _mastery(self, session: AsyncSession, member_id: int, now: dt.datetime) -> dict[str, TopicMastery]:
        memories = await session.run_sync(lambda s: store.member_memories(s.connection(), member_id))
        return self._mastery_of(memories, now)

    def _weakest_topic(  # noqa: ANN202 - TopicInfo | None
        self, mastery: dict[str, TopicMastery], taught: frozenset[str] | None
    ):
        """The taught topic with the lowest mean recall among those met; with none met, the first taught topic."""
        topics = {t.topic_id: t for t in self.catalogue.topics() if taught is None or t.topic_id in taught}
        met = [m for m in mastery.values() if m.topic_id in topics]
        if met:
            weakest = min(met, key=lambda m: (m.recall, m.met, m.topic))
            return topics[weakest.topic_id]
        return next(iter(topics.values()), None)

    async def mastery(self, session: AsyncSession, member_id: int, community: CommunityRow) -> tuple:
        """(mastery per topic by title, due now, due this week) for stats, in the caller's session."""
        now = self.clock()
        day = self._day(community, now)

        def read(connection: Connection) -> tuple[list, int, int]:
            hidden = store.hidden_daily(connection, community.id, member_id, day.today)
            week = store.servable(member_id, day.end + dt.timedelta(days=7), hidden, self.catalogue.taught(community))
            due_now, due_week = connection.execute(
                select(func.count().filter(ReviewCard.due <= now), func.count()).select_from(ReviewCard).where(week)
            ).one()
            return store.member_memories(connection, member_id), due_now or 0, due_week or 0

        memories, due_now, due_week = await session.run_sync(lambda s: read(s.connection()))
        mastery = self._mastery_of(memories, now)
        return tuple(sorted(mastery.values(), key=lambda m: m.topic)), due_now, due_week

    @database_trouble()
    async def weakest_topic(self, actor: Actor) -> str | None:
        """The id of the topic `quiz weak` practises."""
        async with self.db.read_sessions() as session:
            community, member = await self.members.find(session, actor)
            mastery = await self._mastery(session, member.id, self.clock()) if member is not None else {}
        topic = self._weakest_topic(mastery, self.catalogue.taught(community) if community is not None else None)
        return topic.topic_id if topic else None

    async def figure_record(self, actor: Actor, figure_id: str) -> FigureRecord:
        question_ids = self.catalogue.questions_about.get(figure_id, [])
        async with self.db.read_sessions() as session:
            _, member = await self.members.find(session, actor)
            if member is None or not question_ids:
                return FigureRecord(0, 0)
            answered = correct = 0
            for chunk in chunks(sorted(question_ids)):
                row = (
                    await session.execute(
                        select(func.count(), func.sum(Attempt.correct.cast(Integer))).where(
                            Attempt.member_id == member.id, Attempt.question_id.in_(chunk)
                        )
                    )
                ).one()
                answered += row[0] or 0
                correct += int(row[1] or 0)
        return FigureRecord(answered, correct)

    async def last_answers(self, actor: Actor, question_ids: list[str]) -> dict[str, bool]:
        """Whether the student's latest answer to each of these questions was right (those answered only)."""
        latest: dict[str, tuple[dt.datetime, int, bool]] = {}
        async with self.db.read_sessions() as session:
            _, member = await self.members.find(session, actor)
            if member is None:
                return {}
            for chunk in chunks(sorted(question_ids)):
                rows = await session.execute(
                    select(Attempt.question_id, Attempt.created_at, Attempt.id, Attempt.correct).where(
                        Attempt.member_id == member.id, Attempt.question_id.in_(chunk)
                    )
                )
                for question_id, created_at, attempt_id, correct in rows:
                    if question_id not in latest or (created_at, attempt_id) > latest[question_id][:2]:
                        latest[question_id] = (created_at, attempt_id, bool(correct))
        return {question_id: right for question_id, (_, _, right) in latest.items()}

    # ------------------------------------------------------------- re-grading a right answer

    @database_trouble()
    async def rate(self, actor: Actor, question_id: str, how: str) -> RatingNoted:
        """Re-grade the member's latest answer to a question, if it was right: "guessed" (Hard) or "easy"."""
        rating = RATINGS[how]
        async with self.db.sessions.begin() as session:
            community, member = await self.members.find(session, actor)
            if community is None or member is None:
                raise NotFound(NOT_RATEABLE)
            # Lock the card first: an answer being written now waits, or is already in the history read next.
            reviews = await session.scalar(
                select(ReviewCard.reviews)
                .where(ReviewCard.member_id == member.id, ReviewCard.question_id == question_id)
                .with_for_update()
            )
            history = (
                await session.execute(
                    select(Attempt.id, Attempt.created_at, Attempt.correct, Attempt.rating)
                    .where(Attempt.member_id == member.id, Attempt.question_id == question_id)
                    .order_by(Attempt.created_at, Attempt.id)
                )
            ).all()
            if not history or not history[-1].correct or not reviews:
                raise NotFound(NOT_RATEABLE)
            # The card is built by its last `reviews` answers (since it was made, or started again when the
            # question's answer changed); older ones, or answers data retention deleted, are not part of it.
            if reviews > len(history):
                raise NotFound(TOO_OLD_TO_RATE)
            built_by = history[-reviews:]
            latest = built_by[-1]
            await session.execute(update(Attempt).where(Attempt.id == latest.id).values(rating=int(rating)))
            answers = [(a.created_at, review.rating_of(a.correct, a.rating)) for a in built_by[:-1]]
            card = review.replay([*answers, (latest.created_at, rating)], self.retention)
            await session.run_sync(lambda s: write_cards(s.connection(), {(member.id, question_id): card}))
            return RatingNoted(question_id, how, _local(card.due, community.timezone))


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _local(moment: dt.datetime, timezone: str) -> dt.datetime:
    return as_utc(moment).astimezone(zone(timezone))
