"""Daily and practice questions, and the daily question each community gets on each local date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from cachetools import LRUCache
from sqlalchemy import Connection, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import selection
from bot.core.actor import Actor
from bot.core.clock import Clock
from bot.core.replies import AskedQuestion, QuestionRef
from bot.core.vocabulary import Mode
from bot.service.catalogue import Catalogue
from bot.service.failures import database_trouble
from bot.service.members import Members, display_name
from bot.store.db import Database, chunks, upsert_insert
from bot.store.members import CommunityRow, enrol_members, set_pending
from bot.store.models import Attempt, DailyAssignment

CACHE_LIMIT = 200_000


class Questions:
    def __init__(self, db: Database, catalogue: Catalogue, members: Members, clock: Clock) -> None:
        self.db = db
        self.catalogue = catalogue
        self.members = members
        self.clock = clock
        # A community's question for a day never changes once set, so it is cached for good.
        self._assigned: LRUCache[tuple[int, dt.date | None], str] = LRUCache(CACHE_LIMIT)

    @database_trouble()
    async def daily_question(self, actor: Actor) -> AskedQuestion:
        """Today's question, in one unit of work on the database (one thread hop on SQLite): enrol the member,
        choose the day's question if nobody has yet, see whether they answered it, and remember it as the
        one they were shown."""
        community = await self.members.community(actor)
        today = self.members.today(community)
        key, name = (community.id, actor.user_id), display_name(actor)

        def ask(connection: Connection) -> tuple[str, bool]:
            member = enrol_members(connection, {key: name})[key]
            question_id = self._assigned.get((community.id, today))
            if question_id is None:
                question_id = self._choose_days(connection, [(community, today)])[(community.id, today)]
            answered = connection.scalar(
                select(func.count()).where(Attempt.member_id == member.id, Attempt.daily_date == today)
            )
            set_pending(connection, member.id, question_id, Mode.DAILY.value, today)
            return question_id, bool(answered)

        question_id, answered = await self.db.direct_writes(ask)
        self._assigned[(community.id, today)] = question_id
        return self.catalogue.asked(QuestionRef(question_id, Mode.DAILY, today), already_answered=answered)

    @database_trouble()
    async def practice_question(
        self, actor: Actor, topic: str | None = None, *, figure: str | None = None
    ) -> AskedQuestion:
        """A practice question the member has met least (never today's daily), in one unit of work."""
        community = await self.members.community(actor)
        candidates = self.catalogue.practice_candidates(topic, figure, self.catalogue.taught(community))
        today = self.members.today(community)
        key, name = (community.id, actor.user_id), display_name(actor)

        def ask(connection: Connection) -> str:
            member = enrol_members(connection, {key: name})[key]
            seen = dict(
                connection.execute(
                    select(Attempt.question_id, func.count())
                    .where(Attempt.member_id == member.id)
                    .group_by(Attempt.question_id)
                ).all()
            )
            todays = self._assigned.get((community.id, today)) or connection.scalar(
                select(DailyAssignment.question_id).where(
                    DailyAssignment.community_id == community.id, DailyAssignment.local_date == today
                )
            )
            seed = f"{member.id}:{self.clock().isoformat()}"
            question_id = selection.choose_practice(candidates, seen, {todays} if todays else set(), seed)
            set_pending(connection, member.id, question_id, Mode.PRACTICE.value, None)
            return question_id

        return self.catalogue.asked(QuestionRef(await self.db.direct_writes(ask), Mode.PRACTICE))

    async def assigned(self, community_id: int, day: dt.date | None) -> str | None:
        """The daily question of a community on a day, if one was set."""
        key = (community_id, day)
        if key not in self._assigned:
            async with self.db.read_sessions() as session:
                question_id = await session.scalar(
                    select(DailyAssignment.question_id).where(
                        DailyAssignment.community_id == community_id, DailyAssignment.local_date == day
                    )
                )
            if question_id is None:
                return None
            self._assigned[key] = question_id
        return self._assigned[key]

    async def assignments(
        self, session: AsyncSession, wanted: Iterable[tuple[CommunityRow, dt.date]]
    ) -> dict[tuple[int, dt.date], str]:
        """The daily question of each (community, local date), choosing and storing the missing ones in
        bulk (the scheduler asks for thousands at once), in the session's transaction."""
        wanted = list(wanted)
        return await session.run_sync(lambda s: self._choose_days(s.connection(), wanted))

    def _choose_days(
        self, connection: Connection, wanted: Iterable[tuple[CommunityRow, dt.date]]
    ) -> dict[tuple[int, dt.date], str]:
        """`assignments` on a connection. The unique (community, date) constraint decides a race: everyone
        gets the question that was stored first."""
        unique = {(community.id, day): (community, day) for community, day in wanted}
        found = _stored(connection, set(unique))
        missing = [pair for key, pair in unique.items() if key not in found]
        if not missing:
            return found
        asked: dict[int, dict[str, int]] = {}
        for chunk in chunks(sorted({community.id for community, _ in missing})):
            rows = connection.execute(
                select(DailyAssignment.community_id, DailyAssignment.question_id, func.count())
                .where(DailyAssignment.community_id.in_(chunk))
                .group_by(DailyAssignment.community_id, DailyAssignment.question_id)
            )
            for community_id, question_id, count in rows:
                asked.setdefault(community_id, {})[question_id] = count
        chosen = []
        for community, day in missing:
            candidates = self.catalogue.daily_candidates(self.catalogue.daily_topics(community))
            seed = f"{community.platform}:{community.external_id}:{day}"
            question_id = selection.choose_daily(candidates, asked.get(community.id, {}), seed)
            chosen.append(
                {
                    "community_id": community.id,
                    "local_date": day,
                    "question_id": question_id,
                    "created_at": self.clock(),
                }
            )
        insert = upsert_insert(self.db.dialect)(DailyAssignment).on_conflict_do_nothing()
        for chunk in chunks(chosen):
            connection.execute(insert, chunk)
        return found | _stored(connection, {(community.id, day) for community, day in missing})


def _stored(connection: Connection, keys: set[tuple[int, dt.date]]) -> dict[tuple[int, dt.date], str]:
    found: dict[tuple[int, dt.date], str] = {}
    days = {day for _, day in keys}
    for chunk in chunks(sorted({community_id for community_id, _ in keys})):
        rows = connection.execute(
            select(DailyAssignment.community_id, DailyAssignment.local_date, DailyAssignment.question_id).where(
                DailyAssignment.community_id.in_(chunk), DailyAssignment.local_date.in_(days)
            )
        )
        found.update({(c, d): q for c, d, q in rows if (c, d) in keys})
    return found
