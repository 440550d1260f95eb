"""The scheduler's side of the service: claim the posts due now, build them, mark them sent or failed,
and say when anything is next due. The loop that drives it is bot/scheduler.py."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select, update

from bot.core import schedules as rules
from bot.core.clock import Clock, local_date
from bot.core.replies import DailyPost, QuestionRef
from bot.core.vocabulary import Mode
from bot.service.boards import Boards
from bot.service.catalogue import Catalogue
from bot.service.questions import Questions
from bot.service.schedules import rule_of
from bot.store.db import Database, chunks, upsert_insert
from bot.store.members import CommunityRow
from bot.store.models import Community, Schedule, ScheduledPost

LEASE = dt.timedelta(minutes=2)  # a claim older than this, never marked sent or failed, is taken over
INSERT_CHUNK = 5000


@dataclass(frozen=True, slots=True)
class Claim:
    """A post this scheduler has claimed and must now send."""

    post_id: int
    schedule_id: int
    platform: str
    channel_id: str
    local_date: dt.date
    attempt: int


class ScheduledPosts:
    def __init__(self, db: Database, catalogue: Catalogue, questions: Questions, boards: Boards, clock: Clock) -> None:
        self.db = db
        self.catalogue = catalogue
        self.questions = questions
        self.boards = boards
        self.now = clock

    async def claim_due(self, now: dt.datetime, platforms: Iterable[str], owner: str) -> list[Claim]:
        """Claim every post due now on these platforms: new ones, retries whose time has come, and stale
        claims a crashed scheduler left behind. The unique (schedule, local date) constraint makes the claim
        exactly-once across restarts and processes."""
        platforms = list(platforms)
        owner = f"{owner}:{uuid.uuid4().hex[:8]}"  # per call: two ticks of one scheduler never share a claim
        async with self.db.sessions.begin() as session:
            rows = await session.execute(  # plain rows: there may be ten thousand
                select(
                    Schedule.id,
                    Schedule.time_of_day,
                    Schedule.weekdays,
                    Schedule.pauses,
                    Schedule.leaderboard_weekday,
                    Community.timezone,
                )
                .join(Community, Community.id == Schedule.community_id)
                .where(Community.platform.in_(platforms), Schedule.paused.is_(False))
            )
            due = []
            for row in rows:
                day = rule_of(row, row.timezone).due_now(now)
                if day is not None:
                    due.append({"schedule_id": row.id, "local_date": day})
            if due:
                statement = upsert_insert(self.db.dialect)(ScheduledPost).values(
                    status="pending", owner=owner, attempts=0, claimed_at=now, next_try_at=now
                )
                for chunk in chunks(due, INSERT_CHUNK):
                    await session.execute(statement.on_conflict_do_nothing(), chunk)
            # Retries that are due, and claims abandoned by a scheduler that died mid-send.
            abandoned = and_(ScheduledPost.owner != owner, ScheduledPost.claimed_at < now - LEASE)
            await session.execute(
                update(ScheduledPost)
                .where(
                    ScheduledPost.status == "pending",
                    ScheduledPost.next_try_at <= now,
                    or_(ScheduledPost.owner.is_(None), abandoned),
                )
                .values(owner=owner, claimed_at=now)
            )
            claimed = await session.execute(
                select(
                    ScheduledPost.id,
                    ScheduledPost.schedule_id,
                    ScheduledPost.local_date,
                    ScheduledPost.attempts,
                    Schedule.channel_id,
                    Community.timezone,
                    Community.platform,
                )
                .join(Schedule, Schedule.id == ScheduledPost.schedule_id)
                .join(Community, Community.id == Schedule.community_id)
                .where(
                    ScheduledPost.owner == owner,
                    ScheduledPost.status == "pending",
                    ScheduledPost.claimed_at == now,
                    Community.platform.in_(platforms),
                )
            )
            claims, expired = [], []
            for post_id, schedule_id, day, attempts, channel_id, zone, platform in claimed:
                if day != local_date(now, zone):
                    expired.append(post_id)
                else:
                    claims.append(Claim(post_id, schedule_id, platform, channel_id, day, attempts + 1))
            if expired:
                await session.execute(
                    update(ScheduledPost)
                    .where(ScheduledPost.id.in_(expired))
                    .values(status="skipped", last_error="the day was over before it could be sent")
                )
            return claims

    async def build_posts(self, claims: list[Claim]) -> list[DailyPost]:
        """For each claim: the question of the day, the previous question's reveal, and on the leaderboard
        day the week's board. Done in bulk, since thousands of channels share a slot."""
        if not claims:
            return []
        async with self.db.sessions.begin() as session:
            # Plain rows, not ORM objects: there may be ten thousand of each.
            schedules = {
                row.id: row
                for chunk in chunks(sorted({claim.schedule_id for claim in claims}))
                for row in await session.execute(
                    select(Schedule.id, Schedule.community_id, Schedule.leaderboard_weekday).where(
                        Schedule.id.in_(chunk)
                    )
                )
            }
            communities = {
                row.id: CommunityRow(*row)
                for chunk in chunks(sorted({schedule.community_id for schedule in schedules.values()}))
                for row in await session.execute(
                    select(
                        Community.id,
                        Community.platform,
                        Community.external_id,
                        Community.timezone,
                        Community.daily_topics,
                    ).where(Community.id.in_(chunk))
                )
            }
            wanted = [(communities[schedules[claim.schedule_id].community_id], claim.local_date) for claim in claims]
            questions = await self.questions.assignments(session, wanted)
        keys = {(community.id, day) for community, day in wanted}
        board_keys = {
            (schedules[claim.schedule_id].community_id, claim.local_date)
            for claim in claims
            if schedules[claim.schedule_id].leaderboard_weekday == claim.local_date.weekday()
        }
        async with self.db.read_sessions() as session:
            reveals = await self.boards.reveals(session, keys)
            boards = await self.boards.weekly_boards(session, board_keys)
        posts = []
        for claim in claims:
            key = (schedules[claim.schedule_id].community_id, claim.local_date)
            question = self.catalogue.question_card(QuestionRef(questions[key], Mode.DAILY, claim.local_date))
            posts.append(DailyPost(question, reveals.get(key), boards.get(key)))
        return posts

    async def mark_sent(self, claim: Claim, message_ref: str) -> None:
        async with self.db.sessions.begin() as session:
            await session.execute(
                update(ScheduledPost)
                .where(ScheduledPost.id == claim.post_id)
                .values(
                    status="sent",
                    sent_at=self.now(),
                    message_ref=message_ref[:200],
                    attempts=claim.attempt,
                    last_error=None,
                )
            )
            await session.execute(update(Schedule).where(Schedule.id == claim.schedule_id).values(last_error=None))

    async def mark_failed(self, claim: Claim, error: str, *, permanent: bool) -> bool:
        """Record a failed send; True when it will be retried."""
        retry = not permanent and claim.attempt < rules.MAX_SEND_ATTEMPTS
        now = self.now()
        async with self.db.sessions.begin() as session:
            await session.execute(
                update(ScheduledPost)
                .where(ScheduledPost.id == claim.post_id)
                .values(
                    status="pending" if retry else "failed",
                    owner=None,
                    attempts=claim.attempt,
                    next_try_at=now + rules.retry_delay(claim.attempt),
                    last_error=error[:500],
                )
            )
            if not retry:
                await session.execute(
                    update(Schedule)
                    .where(Schedule.id == claim.schedule_id)
                    .values(last_error=f"{now:%Y-%m-%d %H:%M} UTC: {error[:300]}")
                )
        return retry

    async def next_wake(self, now: dt.datetime, platforms: Iterable[str]) -> dt.datetime | None:
        """The soonest moment anything could become due: a slot, or a retry."""
        platforms = list(platforms)
        async with self.db.read_sessions() as session:
            schedules = (
                await session.execute(
                    select(
                        Schedule.time_of_day,
                        Schedule.weekdays,
                        Schedule.pauses,
                        Schedule.leaderboard_weekday,
                        Community.timezone,
                    )
                    .join(Community, Community.id == Schedule.community_id)
                    .where(Community.platform.in_(platforms), Schedule.paused.is_(False))
                )
            ).all()
            # Only retries this scheduler could take: its platforms, and not held by a live claim elsewhere.
            retry = await session.scalar(
                select(func.min(ScheduledPost.next_try_at))
                .join(Schedule, Schedule.id == ScheduledPost.schedule_id)
                .join(Community, Community.id == Schedule.community_id)
                .where(
                    ScheduledPost.status == "pending",
                    Community.platform.in_(platforms),
                    or_(ScheduledPost.owner.is_(None), ScheduledPost.claimed_at < now - LEASE),
                )
            )
        slots = [slot for row in schedules if (slot := rule_of(row, row.timezone).next_slot(now)) is not None]
        if retry is not None:
            slots.append(retry if retry.tzinfo else retry.replace(tzinfo=dt.UTC))
        return min(slots, default=None)
