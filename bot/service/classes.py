"""A class's own data as a whole: its weekly goal, deleting it (a teacher's typed confirmation, or 30 days
after the bot was removed from its server or workspace) and keeping answers only as long as the host says.

Deletion goes through the community row: every table of the class's data refers to it (directly or by a
member or schedule) with ON DELETE CASCADE, so nothing of it is left behind.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable

from sqlalchemy import Connection, Integer, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import scoring
from bot.core.actor import Actor
from bot.core.clock import Clock
from bot.core.errors import InvalidInput, NotAllowed
from bot.core.replies import ClassDeleted, ClassGoal, GoalSetting
from bot.core.vocabulary import Mode, Period
from bot.service.failures import database_trouble
from bot.service.members import Members
from bot.store.db import Database, chunks, upsert_insert
from bot.store.models import Attempt, Community, EssayPlan, Member, Score

log = logging.getLogger(__name__)

REMOVAL_GRACE = dt.timedelta(days=30)
CONFIRMATION = "delete everything"
TEACHERS_ONLY = "Only a teacher can do that (a server or workspace admin, or a teacher they named)."
_PERCENT = re.compile(r"^\s*(\d{1,3})\s*%?\s*$")


class Classes:
    def __init__(self, db: Database, members: Members, clock: Clock, retention_days: int | None = None) -> None:
        self.db = db
        self.members = members
        self.clock = clock
        self.retention_days = retention_days

    async def _teacher(self, session: AsyncSession, actor: Actor) -> int:
        community = await self.members.community_in(session, actor)
        assert community is not None
        if not await self.members.is_teacher(session, community, actor):
            raise NotAllowed(TEACHERS_ONLY)
        return community.id

    # ------------------------------------------------------------- the class goal

    @database_trouble()
    async def set_goal(self, actor: Actor, text: str) -> GoalSetting:
        """`goal 70%` (teachers): the class's weekly target for right answers to the daily questions;
        `goal off` removes it."""
        wanted: int | None
        if text.strip().lower() in {"off", "none"}:
            wanted = None
        else:
            match = _PERCENT.match(text)
            if match is None or not 1 <= int(match.group(1)) <= 100:
                raise InvalidInput("Give the goal as a percentage from 1 to 100, e.g. `goal 70%` (or `goal off`).")
            wanted = int(match.group(1))
        async with self.db.sessions.begin() as session:
            community_id = await self._teacher(session, actor)
            await session.execute(update(Community).where(Community.id == community_id).values(goal_percent=wanted))
        return GoalSetting(wanted)

    async def goals(self, session: AsyncSession, keys: set[tuple[int, dt.date]]) -> dict[tuple, ClassGoal]:
        """(community, day) -> the class's share of right answers to that week's daily questions so far,
        and its goal: what the weekly post shows first."""
        found: dict[tuple[int, dt.date], ClassGoal] = {}
        for day in {day for _, day in keys}:
            start = scoring.period_start(Period.WEEK, day)
            for chunk in chunks(sorted(community for community, d in keys if d == day)):
                rows = await session.execute(
                    select(Community.id, Community.goal_percent).where(Community.id.in_(chunk))
                )
                goal = {community: percent for community, percent in rows}
                rows = await session.execute(
                    select(Attempt.community_id, func.count(), func.sum(Attempt.correct.cast(Integer)))
                    .where(
                        Attempt.community_id.in_(chunk),
                        Attempt.mode == Mode.DAILY.value,
                        Attempt.daily_date >= start,
                        Attempt.daily_date <= day,
                    )
                    .group_by(Attempt.community_id)
                )
                answered = {community: (count, int(right or 0)) for community, count, right in rows}
                for community in chunk:
                    count, right = answered.get(community, (0, 0))
                    found[(community, day)] = ClassGoal(goal.get(community), count, right)
        return found

    # ------------------------------------------------------------- deleting a class

    @database_trouble(not_done="nothing was deleted")
    async def delete_class(self, actor: Actor, confirmation: str) -> ClassDeleted:
        """`class delete` (teachers), confirmed by typing CONFIRMATION: the class's data, all of it."""
        if confirmation.strip().lower() != CONFIRMATION:
            raise InvalidInput(
                f"This deletes every answer, score, setting and schedule of this class. To go ahead, type "
                f"`class delete {CONFIRMATION}`."
            )
        async with self.db.sessions.begin() as session:
            community_id = await self._teacher(session, actor)
            members = await session.scalar(select(func.count()).where(Member.community_id == community_id))
            attempts = await session.scalar(select(func.count()).where(Attempt.community_id == community_id))
            await session.execute(delete(Community).where(Community.id == community_id))
        self.members.changed(community_id)
        log.info("class %d deleted by a teacher: %d members, %d answers", community_id, members, attempts)
        return ClassDeleted(members or 0, attempts or 0)

    async def removed(self, platform: str, external_id: str) -> None:
        """The bot was removed from this server or workspace: its data goes in REMOVAL_GRACE unless it returns."""
        async with self.db.sessions.begin() as session:
            result = await session.execute(
                update(Community)
                .where(
                    Community.platform == platform, Community.external_id == external_id, Community.removed_at.is_(None)
                )
                .values(removed_at=self.clock())
                .returning(Community.id)
            )
            for community_id in result.scalars():
                log.info("class %d: the bot was removed; its data will be deleted in 30 days", community_id)

    async def returned(self, platform: str, *external_ids: str) -> None:
        """The bot is back in these servers or workspaces: their deletion is called off (one statement for
        the thousands of servers a Discord bot is in when it connects)."""
        async with self.db.sessions.begin() as session:
            for chunk in chunks(sorted(set(external_ids))):
                await session.execute(
                    update(Community)
                    .where(
                        Community.platform == platform,
                        Community.external_id.in_(chunk),
                        Community.removed_at.is_not(None),
                    )
                    .values(removed_at=None)
                )

    # ------------------------------------------------------------- the daily clean-up

    async def housekeeping(self) -> tuple[int, int]:
        """Delete classes 30 days after the bot was removed, and answers older than the retention period
        (scores recomputed from what is left). Returns (classes deleted, answers deleted)."""
        now = self.clock()
        async with self.db.sessions.begin() as session:
            gone = (
                (
                    await session.execute(
                        delete(Community).where(Community.removed_at < now - REMOVAL_GRACE).returning(Community.id)
                    )
                )
                .scalars()
                .all()
            )
        for community_id in gone:
            self.members.changed(community_id)
            log.info("class %d deleted: 30 days after the bot was removed", community_id)
        old = 0
        if self.retention_days:
            cutoff = now - dt.timedelta(days=self.retention_days)
            async with self.db.sessions.begin() as session:
                affected = (
                    await session.scalars(select(Attempt.member_id).where(Attempt.created_at < cutoff).distinct())
                ).all()
                if affected:
                    # Lock the members first: an answer being written waits (its points then add onto the
                    # rebuilt rows) or is already committed (and counted in the rebuild).
                    for chunk in chunks(sorted(affected)):
                        await session.execute(select(Member.id).where(Member.id.in_(chunk)).with_for_update())
                    result = await session.execute(delete(Attempt).where(Attempt.created_at < cutoff))
                    old = result.rowcount or 0
                    await session.run_sync(lambda s: rebuild_scores(s.connection(), affected))
                # Essay plans hold a student's own words: they go at the same age as answers.
                await session.execute(delete(EssayPlan).where(EssayPlan.started_at < cutoff))
            if old:
                log.info("data retention: %d answers older than %d days deleted", old, self.retention_days)
        return len(gone), old


def rebuild_scores(connection: Connection, member_ids: Iterable[int]) -> None:
    """Recompute these members' score rows from the attempts they still have (every period)."""
    for chunk in chunks(sorted(set(member_ids))):
        totals: dict[tuple[int, str, dt.date], list[int]] = {}
        rows = connection.execute(
            select(Attempt.member_id, Attempt.community_id, Attempt.daily_date, Attempt.points).where(
                Attempt.member_id.in_(chunk), Attempt.daily_date.is_not(None), Attempt.points > 0
            )
        )
        for member_id, community_id, day, points in rows:
            for period in Period:
                key = (member_id, period.value, scoring.period_start(period, day))
                totals.setdefault(key, [community_id, 0])[1] += points
        connection.execute(delete(Score).where(Score.member_id.in_(chunk)))
        values = [
            {"member_id": m, "period": p, "period_start": start, "community_id": c, "points": points}
            for (m, p, start), (c, points) in totals.items()
        ]
        insert = upsert_insert(connection.dialect.name)(Score)
        for part in chunks(values):
            connection.execute(insert, part)
