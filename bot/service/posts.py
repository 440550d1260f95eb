"""The scheduler's side of the service: claim the posts due now, build them, mark them sent or failed,
and say when anything is next due. The loop that drives it is bot/scheduler.py.

A post moves pending -> sending -> sent (or failed, or skipped when its day is over). A claim belongs to
one scheduler (its `owner`) under a lease the owner renews while its posts wait or send; every step
checks the owner, so a scheduler that lost its lease can neither send nor mark. A claim whose lease ran
out is taken over; one taken over while "sending" may already be in the channel (its sender died
between the platform's answer and "sent"), so its new owner looks there before sending again.
Where Discord runs as shards across processes, each scheduler claims the posts of its own shards' servers
only (`reachable`), so no post waits in a process that cannot send it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import BigInteger, ColumnElement, Select, and_, case, cast, false, func, or_, select, update

from bot.core import schedules as rules
from bot.core.clock import Clock, local_date
from bot.core.replies import DailyPost, QuestionRef, ReviewReminder
from bot.core.shards import SNOWFLAKE_TIME_SHIFT, Shards
from bot.core.vocabulary import Mode
from bot.service.boards import Boards
from bot.service.catalogue import Catalogue
from bot.service.classes import Classes
from bot.service.questions import Questions
from bot.service.review import Reviews
from bot.service.schedules import rule_of
from bot.store.db import Database, chunks, upsert_insert
from bot.store.members import COMMUNITY_COLUMNS, CommunityRow
from bot.store.models import Community, Schedule, ScheduledPost

LEASE = dt.timedelta(minutes=2)  # a claim not renewed for this long (its scheduler died) is taken over
INSERT_CHUNK = 5000
OPEN = ("pending", "sending")  # a claim in these states is still someone's to finish
KEEP = object()  # leave the schedule's last error as it is


def reachable(platforms: list[str], shards: Mapping[str, Shards]) -> ColumnElement[bool]:
    """The communities on these platforms that this process posts to: on a platform in `shards` (Discord run
    across processes), only the servers on this process's shards. Filtered in the query, so a post of
    another process's shard is never claimed here, where it could not be sent and would only wait."""
    conditions = []
    whole = [platform for platform in platforms if platform not in shards]
    if whole:
        conditions.append(Community.platform.in_(whole))
    for platform, some in shards.items():
        if platform in platforms:
            # The CASE keeps PostgreSQL from casting other platforms' ids (a Slack team id is not a number).
            server_id = cast(Community.external_id, BigInteger)
            # Floor division by 2**22 is the shift, written so PostgreSQL has an operator for it (bigint >> int only).
            shard = case((Community.platform == platform, (server_id // (1 << SNOWFLAKE_TIME_SHIFT)) % some.count))
            conditions.append(and_(Community.platform == platform, shard.in_(sorted(some.ids))))
    return or_(*conditions) if conditions else false()


def active_schedules(platforms: list[str], shards: Mapping[str, Shards] | None = None) -> Select:
    """The schedules not paused on these platforms (and shards), with what `rule_of` needs, in the
    community's zone."""
    return (
        select(
            Schedule.id,
            Schedule.time_of_day,
            Schedule.weekdays,
            Schedule.pauses,
            Schedule.leaderboard_weekday,
            Community.timezone,
        )
        .join(Community, Community.id == Schedule.community_id)
        .where(reachable(platforms, shards or {}), Schedule.paused.is_(False))
    )


@dataclass(frozen=True, slots=True)
class Claim:
    """A post this scheduler has claimed and must now send."""

    post_id: int
    schedule_id: int
    platform: str
    channel_id: str
    local_date: dt.date
    attempt: int
    owner: str = ""
    resumed: bool = False  # taken over while "sending": the post may already be in the channel


class ScheduledPosts:
    def __init__(
        self,
        db: Database,
        catalogue: Catalogue,
        questions: Questions,
        boards: Boards,
        reviews: Reviews,
        classes: Classes,
        clock: Clock,
        *,
        lease: dt.timedelta = LEASE,
    ) -> None:
        self.reviews = reviews
        self.classes = classes
        self.db = db
        self.catalogue = catalogue
        self.questions = questions
        self.boards = boards
        self.now = clock
        self.lease = lease

    async def claim_due(
        self, now: dt.datetime, platforms: Iterable[str], owner: str, *, shards: Mapping[str, Shards] | None = None
    ) -> list[Claim]:
        """Claim every post due now on these platforms (on a platform in `shards`, of the communities on
        those shards only): new ones, retries whose time has come, and stale claims a crashed scheduler left
        behind. The unique (schedule, local date) constraint makes the claim exactly-once across restarts
        and processes."""
        platforms, shards = list(platforms), shards or {}
        owner = f"{owner}:{uuid.uuid4().hex[:8]}"  # per call: two ticks of one scheduler never share a claim
        ours = reachable(platforms, shards)
        async with self.db.sessions.begin() as session:
            rows = await session.execute(active_schedules(platforms, shards))  # plain rows: there may be ten thousand
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
            # Retries that are due, and claims whose owner stopped renewing them (it died, or hung).
            abandoned = and_(ScheduledPost.owner != owner, ScheduledPost.claimed_at < now - self.lease)
            await session.execute(
                update(ScheduledPost)
                .where(
                    ScheduledPost.status.in_(OPEN),
                    ScheduledPost.next_try_at <= now,
                    or_(ScheduledPost.owner.is_(None), abandoned),
                    ScheduledPost.schedule_id.in_(
                        select(Schedule.id).join(Community, Community.id == Schedule.community_id).where(ours)
                    ),
                )
                .values(owner=owner, claimed_at=now)
            )
            claimed = await session.execute(
                select(
                    ScheduledPost.id,
                    ScheduledPost.schedule_id,
                    ScheduledPost.local_date,
                    ScheduledPost.attempts,
                    ScheduledPost.status,
                    Schedule.channel_id,
                    Community.timezone,
                    Community.platform,
                )
                .join(Schedule, Schedule.id == ScheduledPost.schedule_id)
                .join(Community, Community.id == Schedule.community_id)
                .where(
                    ScheduledPost.owner == owner,
                    ScheduledPost.status.in_(OPEN),
                    ScheduledPost.claimed_at == now,
                    ours,
                )
            )
            claims, expired = [], []
            for post_id, schedule_id, day, attempts, status, channel_id, zone, platform in claimed:
                if day != local_date(now, zone):
                    expired.append(post_id)
                else:
                    resumed = status == "sending"
                    claims.append(Claim(post_id, schedule_id, platform, channel_id, day, attempts + 1, owner, resumed))
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
                for row in await session.execute(select(*COMMUNITY_COLUMNS).where(Community.id.in_(chunk)))
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
            waiting = await self.reviews.waiting(session, keys, self.now())
            goals = await self.classes.goals(session, board_keys) if board_keys else {}
        posts = []
        for claim in claims:
            key = (schedules[claim.schedule_id].community_id, claim.local_date)
            question = self.catalogue.asked(QuestionRef(questions[key], Mode.DAILY, claim.local_date))
            community = communities[key[0]].external_id
            posts.append(
                DailyPost(question, reveals.get(key), boards.get(key), waiting.get(key, 0), goals.get(key), community)
            )
        return posts

    async def claim_reminders(self, sent: list[Claim]) -> list[tuple[str, ReviewReminder]]:
        """(platform, reminder) for the students of the classes just posted to who asked for reminders and
        have reviews waiting: at the class's post time, once a day."""
        if not sent:
            return []
        async with self.db.read_sessions() as session:
            communities = dict(
                (
                    await session.execute(
                        select(Schedule.id, Schedule.community_id).where(
                            Schedule.id.in_(sorted({claim.schedule_id for claim in sent}))
                        )
                    )
                ).all()
            )
        known = [claim for claim in sent if claim.schedule_id in communities]  # a schedule deleted meanwhile: none
        keys = {(communities[claim.schedule_id], claim.local_date) for claim in known}
        platform_of = {communities[claim.schedule_id]: claim.platform for claim in known}
        reminders = await self.reviews.claim_reminders(keys, self.now())
        return [(platform_of[community], reminder) for community, reminder in reminders]

    async def start_sending(self, claim: Claim) -> bool:
        """Move the post to "sending" right before the platform call; False when this scheduler no longer
        holds the claim (it lost the lease), and must not send."""
        return await self._owned_update(claim, status="sending", claimed_at=self.now())

    async def renew(self, claims: list[Claim]) -> int:
        """Keep the lease on these claims while their posts wait or send; returns how many are still held."""
        held = 0
        now = self.now()
        async with self.db.sessions.begin() as session:
            for owner in {claim.owner for claim in claims}:
                ids = [claim.post_id for claim in claims if claim.owner == owner]
                for chunk in chunks(ids):
                    result = await session.execute(
                        update(ScheduledPost)
                        .where(
                            ScheduledPost.id.in_(chunk), ScheduledPost.owner == owner, ScheduledPost.status.in_(OPEN)
                        )
                        .values(claimed_at=now)
                    )
                    held += result.rowcount or 0
        return held

    async def release(self, claims: list[Claim]) -> None:
        """Give back claims that were never sent (the scheduler is stopping), so another process posts them
        at once instead of after the lease."""
        async with self.db.sessions.begin() as session:
            for claim in claims:
                await session.execute(
                    update(ScheduledPost)
                    .where(
                        ScheduledPost.id == claim.post_id,
                        ScheduledPost.owner == claim.owner,
                        ScheduledPost.status == "pending",
                    )
                    .values(owner=None)
                )

    async def mark_sent(self, claim: Claim, message_ref: str) -> bool:
        """Record the sent post; False when this scheduler no longer held the claim."""
        return await self._owned_update(
            claim,
            schedule_error=None,
            status="sent",
            sent_at=self.now(),
            message_ref=message_ref[:200],
            attempts=claim.attempt,
            last_error=None,
        )

    async def mark_failed(self, claim: Claim, error: str, *, permanent: bool) -> bool:
        """Record a failed send; True when it will be retried."""
        retry = not permanent and claim.attempt < rules.MAX_SEND_ATTEMPTS
        now = self.now()
        marked = await self._owned_update(
            claim,
            schedule_error=KEEP if retry else f"{now:%Y-%m-%d %H:%M} UTC: {error[:300]}",
            status="pending" if retry else "failed",
            owner=None,
            attempts=claim.attempt,
            next_try_at=now + rules.retry_delay(claim.attempt),
            last_error=error[:500],
        )
        return retry and marked

    async def _owned_update(self, claim: Claim, *, schedule_error: object = KEEP, **values: object) -> bool:
        """Update the post, only while this scheduler holds its claim, and in the same transaction what its
        schedule shows as the last error (None clears it; KEEP leaves it)."""
        async with self.db.sessions.begin() as session:
            result = await session.execute(
                update(ScheduledPost)
                .where(
                    ScheduledPost.id == claim.post_id,
                    ScheduledPost.owner == claim.owner,
                    ScheduledPost.status.in_(OPEN),
                )
                .values(**values)
            )
            held = bool(result.rowcount)
            if held and schedule_error is not KEEP:
                await session.execute(
                    update(Schedule).where(Schedule.id == claim.schedule_id).values(last_error=schedule_error)
                )
        return held

    async def next_wake(
        self, now: dt.datetime, platforms: Iterable[str], *, shards: Mapping[str, Shards] | None = None
    ) -> dt.datetime | None:
        """The soonest moment anything this process may claim could become due: a slot, a retry, or a claim
        whose lease runs out."""
        platforms, shards = list(platforms), shards or {}
        open_posts = (
            select(ScheduledPost.next_try_at, ScheduledPost.claimed_at, ScheduledPost.owner)
            .join(Schedule, Schedule.id == ScheduledPost.schedule_id)
            .join(Community, Community.id == Schedule.community_id)
            .where(ScheduledPost.status.in_(OPEN), reachable(platforms, shards))
            .subquery()
        )
        async with self.db.read_sessions() as session:
            schedules = (await session.execute(active_schedules(platforms, shards))).all()
            # A retry nobody holds is due at its time; a held one only once its lease lapses (its holder died).
            retry, held_since = (
                await session.execute(
                    select(
                        func.min(open_posts.c.next_try_at).filter(open_posts.c.owner.is_(None)),
                        func.min(open_posts.c.claimed_at).filter(open_posts.c.owner.is_not(None)),
                    )
                )
            ).one()
        slots = [slot for row in schedules if (slot := rule_of(row, row.timezone).next_slot(now)) is not None]
        if retry is not None:
            slots.append(_aware(retry))
        if held_since is not None:
            slots.append(_aware(held_since) + self.lease)
        return min(slots, default=None)


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)  # SQLite hands back naive UTC
