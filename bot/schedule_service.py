"""Teachers' schedules and the claiming of scheduled posts. The loop that drives it is bot/scheduler.py."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import schedules as rules
from bot.core import scoring
from bot.core.actor import Actor
from bot.core.errors import InvalidInput, NotAllowed
from bot.core.replies import DailyPost, Leaderboard, LeaderboardEntry, QuestionRef, Reveal, ScheduleInfo, StreakHolder
from bot.core.vocabulary import Mode, Period
from bot.service import StudyService
from bot.store.db import chunks, upsert_insert
from bot.store.models import (
    Attempt,
    Community,
    DailyAssignment,
    Member,
    Schedule,
    ScheduledPost,
    Score,
    Teacher,
)

log = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=2)  # a claim older than this, never marked sent or failed, is taken over
NOT_ALLOWED = (
    "Only teachers can manage the daily-question schedule: server or workspace admins, and the teachers they name."
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


def rule_of(schedule: Schedule) -> rules.ScheduleRule:
    """The rule a stored schedule (a model object or a row with the same columns) follows."""
    return rules.ScheduleRule(
        time_of_day=schedule.time_of_day,
        timezone=schedule.timezone,
        weekdays=frozenset(int(day) for day in schedule.weekdays.split(",") if day),
        pauses=tuple(rules.Pause(dt.date.fromisoformat(a), dt.date.fromisoformat(b)) for a, b in schedule.pauses or ()),
        leaderboard_weekday=schedule.leaderboard_weekday,
    )


class ScheduleService:
    def __init__(self, study: StudyService) -> None:
        self.study = study
        self._sessions = study.sessions
        self.now = study.clock
        self.on_change: Callable[[], None] = lambda: None  # the scheduler's wake-up

    # ----------------------------------------------------------------- teachers' commands

    async def set(
        self,
        actor: Actor,
        channel_id: str,
        *,
        time: str,
        timezone: str | None = None,
        days: str | None = None,
        topics: str | None = None,
        weekly_leaderboard: str | None = None,
        channel_name: str = "",
    ) -> ScheduleInfo:
        time_of_day = rules.parse_time(time)
        zone = rules.parse_timezone(timezone)
        weekdays = rules.parse_days(days)
        board_day = _parse_board_day(weekly_leaderboard)
        if topics is not None and topics.strip().lower() in {"all", "any", "everything"}:
            topics = ""  # back to the whole bank
        topic_ids = [self.study.resolve_topic(t) for t in (topics or "").replace(",", " ").split()] if topics else None
        async with self._sessions.begin() as session:
            community = await self._authorised(session, actor)
            schedule = await self._schedule(session, community, channel_id)
            if schedule is None:
                schedule = Schedule(community_id=community.id, channel_id=channel_id, pauses=[], paused=False)
                session.add(schedule)
            schedule.channel_name = channel_name[:200]
            schedule.time_of_day = time_of_day
            schedule.timezone = zone
            schedule.weekdays = ",".join(str(day) for day in sorted(weekdays))
            schedule.leaderboard_weekday = board_day
            schedule.updated_at = self.now()
            schedule.last_error = None
            community.timezone = zone
            self.study.community_changed(community.id)
            if topics is not None:
                community.daily_topics = topic_ids or None
            await session.flush()
            info = self._info(schedule, community)
        self.on_change()
        return info

    async def show(self, actor: Actor, channel_id: str) -> ScheduleInfo:
        async with self._sessions.begin() as session:
            community = await self._authorised(session, actor)
            schedule = await self._schedule(session, community, channel_id)
            info = self._info(schedule, community) if schedule else _none(channel_id)
            failing = await session.execute(
                select(Schedule.channel_id, Schedule.channel_name, Schedule.last_error).where(
                    Schedule.community_id == community.id,
                    Schedule.channel_id != channel_id,
                    Schedule.last_error.is_not(None),
                )
            )
            elsewhere = tuple(f"#{name or channel}: {error}" for channel, name, error in failing)
            return dataclasses.replace(info, failing_elsewhere=elsewhere) if elsewhere else info

    async def list_all(self, actor: Actor) -> tuple[ScheduleInfo, ...]:
        """Every channel's schedule in the teacher's server or workspace, failing ones included."""
        async with self._sessions.begin() as session:
            community = await self._authorised(session, actor)
            schedules = await session.scalars(
                select(Schedule)
                .where(Schedule.community_id == community.id)
                .order_by(Schedule.channel_name, Schedule.channel_id)
            )
            return tuple(self._info(schedule, community) for schedule in schedules)

    async def pause(self, actor: Actor, channel_id: str, period: str | None = None) -> ScheduleInfo:
        pause = rules.parse_pause(period) if period and period.strip() else None
        return await self._change(actor, channel_id, lambda s: _add_pause(s, pause))

    async def resume(self, actor: Actor, channel_id: str) -> ScheduleInfo:
        """Lift an open-ended pause and any holiday pause still running or to come."""

        def resume(schedule: Schedule) -> None:
            today = rule_of(schedule).local_date(self.now())
            schedule.paused = False
            schedule.pauses = [[a, b] for a, b in schedule.pauses if dt.date.fromisoformat(b) < today]

        return await self._change(actor, channel_id, resume)

    async def off(self, actor: Actor, channel_id: str) -> ScheduleInfo:
        async with self._sessions.begin() as session:
            community = await self._authorised(session, actor)
            await session.execute(
                delete(Schedule).where(Schedule.community_id == community.id, Schedule.channel_id == channel_id)
            )
        self.on_change()
        return _none(channel_id)

    async def add_teacher(self, actor: Actor, user_id: str) -> None:
        """Workspace admins name the teachers who may manage schedules (Slack has no Manage Server)."""
        if not actor.is_admin:
            raise NotAllowed("Only workspace admins can name teachers.")
        async with self._sessions.begin() as session:
            community = await self.study.community_of(session, actor)
            if await session.get(Teacher, (community.id, user_id)) is None:
                session.add(Teacher(community_id=community.id, external_id=user_id, added_by=actor.user_id))

    async def teachers(self, actor: Actor) -> tuple[str, ...]:
        """The user ids of the named teachers (admins and teachers may see who they are)."""
        async with self._sessions.begin() as session:
            community = await self._authorised(session, actor)
            named = await session.scalars(
                select(Teacher.external_id).where(Teacher.community_id == community.id).order_by(Teacher.external_id)
            )
            return tuple(named)

    async def remove_teacher(self, actor: Actor, user_id: str) -> None:
        if not actor.is_admin:
            raise NotAllowed("Only workspace admins can name teachers.")
        async with self._sessions.begin() as session:
            community = await self.study.community_of(session, actor)
            await session.execute(
                delete(Teacher).where(Teacher.community_id == community.id, Teacher.external_id == user_id)
            )

    async def _change(self, actor: Actor, channel_id: str, change: Callable[[Schedule], None]) -> ScheduleInfo:
        async with self._sessions.begin() as session:
            community = await self._authorised(session, actor)
            schedule = await self._schedule(session, community, channel_id)
            if schedule is None:
                raise InvalidInput("This channel has no schedule yet. Set one first, such as `schedule set 08:30`.")
            change(schedule)
            schedule.updated_at = self.now()
            info = self._info(schedule, community)
        self.on_change()
        return info

    async def _authorised(self, session: AsyncSession, actor: Actor) -> Community:
        community = await self.study.community_of(session, actor)
        if not actor.is_admin and await session.get(Teacher, (community.id, actor.user_id)) is None:
            raise NotAllowed(NOT_ALLOWED)
        return community

    async def _schedule(self, session: AsyncSession, community: Community, channel_id: str) -> Schedule | None:
        return await session.scalar(
            select(Schedule).where(Schedule.community_id == community.id, Schedule.channel_id == channel_id)
        )

    def _info(self, schedule: Schedule, community: Community) -> ScheduleInfo:
        rule = rule_of(schedule)
        upcoming = None if schedule.paused else rule.next_slot(self.now())
        board_day = schedule.leaderboard_weekday
        return ScheduleInfo(
            channel_id=schedule.channel_id,
            channel_name=schedule.channel_name,
            time_of_day=schedule.time_of_day,
            timezone=schedule.timezone,
            days=rules.describe_days(rule.weekdays),
            pauses=tuple((p.start, p.end) for p in rule.pauses),
            paused=schedule.paused,
            topics=tuple(self.study.topic_title(t) for t in community.daily_topics or ()),
            weekly_leaderboard=_day_name(board_day) if board_day is not None else None,
            next_post=upcoming.astimezone(rule.zone) if upcoming else None,
            last_error=schedule.last_error,
        )

    # ----------------------------------------------------------------- the scheduler's side

    async def claim_due(self, now: dt.datetime, platforms: Iterable[str], owner: str) -> list[Claim]:
        """Claim every post due now on these platforms: new ones, retries whose time has come, and
        stale claims a crashed scheduler left behind. The unique (schedule, local date) constraint
        makes the claim exactly-once across restarts and processes."""
        platforms = list(platforms)
        owner = f"{owner}:{uuid.uuid4().hex[:8]}"  # per call: two ticks of one scheduler never share a claim
        async with self._sessions.begin() as session:
            rows = await session.execute(  # plain rows: there may be ten thousand
                select(
                    Schedule.id,
                    Schedule.time_of_day,
                    Schedule.timezone,
                    Schedule.weekdays,
                    Schedule.pauses,
                    Schedule.leaderboard_weekday,
                )
                .join(Community, Community.id == Schedule.community_id)
                .where(Community.platform.in_(platforms), Schedule.paused.is_(False))
            )
            due = []
            for row in rows:
                day = rule_of(row).due_now(now)
                if day is not None:
                    due.append({"schedule_id": row.id, "local_date": day})
            if due:
                statement = upsert_insert(session.bind.dialect.name)(ScheduledPost).values(
                    status="pending", owner=owner, attempts=0, claimed_at=now, next_try_at=now
                )
                for start in range(0, len(due), 5000):
                    await session.execute(statement.on_conflict_do_nothing(), due[start : start + 5000])
            # Retries that are due, and claims abandoned by a scheduler that died mid-send.
            await session.execute(
                update(ScheduledPost)
                .where(
                    ScheduledPost.status == "pending",
                    ScheduledPost.next_try_at <= now,
                    or_(
                        ScheduledPost.owner.is_(None),
                        and_(ScheduledPost.owner != owner, ScheduledPost.claimed_at < now - LEASE),
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
                    Schedule.channel_id,
                    Schedule.timezone,
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
            for post_id, schedule_id, local_date, attempts, channel_id, zone, platform in claimed:
                if local_date != now.astimezone(ZoneInfo(zone)).date():
                    expired.append(post_id)
                else:
                    claims.append(Claim(post_id, schedule_id, platform, channel_id, local_date, attempts + 1))
            if expired:
                await session.execute(
                    update(ScheduledPost)
                    .where(ScheduledPost.id.in_(expired))
                    .values(status="skipped", last_error="the day was over before it could be sent")
                )
            return claims

    async def build_post(self, claim: Claim) -> DailyPost:
        return (await self.build_posts([claim]))[0]

    async def build_posts(self, claims: list[Claim]) -> list[DailyPost]:
        """For each claim: the question of the day, the previous question's reveal, and on the
        leaderboard day the week's board. Done in bulk, since thousands of channels share a slot."""
        if not claims:
            return []
        async with self._sessions.begin() as session:
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
                row.id: row
                for chunk in chunks(sorted({schedule.community_id for schedule in schedules.values()}))
                for row in await session.execute(
                    select(Community.id, Community.platform, Community.external_id, Community.daily_topics).where(
                        Community.id.in_(chunk)
                    )
                )
            }
            wanted = [(communities[schedules[claim.schedule_id].community_id], claim.local_date) for claim in claims]
            questions = await self.study.assignments(session, wanted)
        keys = {(community.id, day) for community, day in wanted}
        board_keys = {
            (schedules[claim.schedule_id].community_id, claim.local_date)
            for claim in claims
            if schedules[claim.schedule_id].leaderboard_weekday == claim.local_date.weekday()
        }
        async with self.study.read_sessions() as session:
            reveals = await self._reveals(session, keys)
            boards = await self._boards(session, board_keys)
        posts = []
        for claim in claims:
            key = (schedules[claim.schedule_id].community_id, claim.local_date)
            card = self.study.card(QuestionRef(questions[key], Mode.DAILY, claim.local_date))
            posts.append(DailyPost(card, reveals.get(key), boards.get(key)))
        return posts

    async def _reveals(
        self, session: AsyncSession, keys: set[tuple[int, dt.date]]
    ) -> dict[tuple[int, dt.date], Reveal]:
        """The previous daily question before each (community, day), with how the class did. Only
        people who got it right are named (the top streaks)."""
        previous: dict[tuple[int, dt.date], tuple[dt.date, str]] = {}
        for day in {day for _, day in keys}:
            communities = sorted(community for community, d in keys if d == day)
            for chunk in chunks(communities):
                latest = (
                    select(DailyAssignment.community_id, func.max(DailyAssignment.local_date).label("day"))
                    .where(DailyAssignment.community_id.in_(chunk), DailyAssignment.local_date < day)
                    .group_by(DailyAssignment.community_id)
                    .subquery()
                )
                rows = await session.execute(
                    select(DailyAssignment.community_id, DailyAssignment.local_date, DailyAssignment.question_id).join(
                        latest,
                        (latest.c.community_id == DailyAssignment.community_id)
                        & (latest.c.day == DailyAssignment.local_date),
                    )
                )
                previous.update({(community, day): (before, question) for community, before, question in rows})
        if not previous:
            return {}
        results: dict[tuple[int, dt.date], list] = {}
        streaks: dict[tuple[int, dt.date], list[StreakHolder]] = {}
        before_days = {before for before, _ in previous.values()}
        for chunk in chunks(sorted({community for community, _ in previous})):
            rows = await session.execute(
                select(Attempt.community_id, Attempt.daily_date, func.count(), func.sum(Attempt.correct.cast(Integer)))
                .where(Attempt.community_id.in_(chunk), Attempt.daily_date.in_(before_days))
                .group_by(Attempt.community_id, Attempt.daily_date)
            )
            for community, before, answered, correct in rows:
                results[(community, before)] = [answered, int(correct or 0)]
            ranked = (
                select(
                    Attempt.community_id,
                    Attempt.daily_date,
                    Member.display_name,
                    Attempt.streak,
                    func.row_number()
                    .over(
                        partition_by=(Attempt.community_id, Attempt.daily_date),
                        order_by=(Attempt.streak.desc(), Member.display_name),
                    )
                    .label("place"),
                )
                .join(Member, Member.id == Attempt.member_id)
                .where(
                    Attempt.community_id.in_(chunk),
                    Attempt.daily_date.in_(before_days),
                    Attempt.correct.is_(True),
                    Attempt.streak > 1,
                )
                .subquery()
            )
            rows = await session.execute(
                select(ranked.c.community_id, ranked.c.daily_date, ranked.c.display_name, ranked.c.streak)
                .where(ranked.c.place <= 3)
                .order_by(ranked.c.community_id, ranked.c.daily_date, ranked.c.place)
            )
            for community, before, name, streak in rows:
                streaks.setdefault((community, before), []).append(StreakHolder(name, streak))
        reveals = {}
        for key, (before, question_id) in previous.items():
            question = self.study.question(question_id)
            answered, correct = results.get((key[0], before), (0, 0))
            reveals[key] = Reveal(
                before,
                question.prompt,
                self.study.correct_answer(question),
                question.explanation,
                answered,
                correct,
                tuple(streaks.get((key[0], before), ())),
            )
        return reveals

    async def _boards(
        self, session: AsyncSession, keys: set[tuple[int, dt.date]]
    ) -> dict[tuple[int, dt.date], Leaderboard]:
        """Each community's weekly board (top ten), for the posts that carry one."""
        boards: dict[tuple[int, dt.date], Leaderboard] = {}
        for day in {day for _, day in keys}:
            start = scoring.period_start(Period.WEEK, day)
            label = scoring.period_label(Period.WEEK, day)
            communities = sorted(community for community, d in keys if d == day)
            for chunk in chunks(communities):
                ranked = (
                    select(
                        Score.community_id,
                        Member.display_name,
                        Score.points,
                        func.row_number()
                        .over(
                            partition_by=Score.community_id,
                            order_by=(Score.points.desc(), Member.display_name, Member.id),
                        )
                        .label("place"),
                        func.count().over(partition_by=Score.community_id).label("total"),
                    )
                    .join(Member, Member.id == Score.member_id)
                    .where(
                        Score.community_id.in_(chunk), Score.period == Period.WEEK.value, Score.period_start == start
                    )
                    .subquery()
                )
                rows = await session.execute(
                    select(ranked.c.community_id, ranked.c.display_name, ranked.c.points, ranked.c.total)
                    .where(ranked.c.place <= 10)
                    .order_by(ranked.c.community_id, ranked.c.place)
                )
                tops: dict[int, list] = {}
                totals: dict[int, int] = {}
                for community, name, points, total in rows:
                    tops.setdefault(community, []).append((name, points))
                    totals[community] = total
                for community in chunk:
                    ranked_rows = scoring.competition_ranks(tops.get(community, []))
                    entries = tuple(LeaderboardEntry(r.rank, r.member_key, r.points) for r in ranked_rows)
                    boards[(community, day)] = Leaderboard(Period.WEEK, label, entries, None, totals.get(community, 0))
        return boards

    async def mark_sent(self, claim: Claim, message_ref: str) -> None:
        async with self._sessions.begin() as session:
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
        async with self._sessions.begin() as session:
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
        async with self._sessions.begin() as session:
            schedules = (
                await session.scalars(
                    select(Schedule)
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
        slots = [slot for schedule in schedules if (slot := rule_of(schedule).next_slot(now)) is not None]
        if retry is not None:
            slots.append(retry if retry.tzinfo else retry.replace(tzinfo=dt.UTC))
        return min(slots, default=None)


def _none(channel_id: str) -> ScheduleInfo:
    return ScheduleInfo(channel_id, "", dt.time(0), "", "", (), False, (), None, None, None, exists=False)


def _add_pause(schedule: Schedule, pause: rules.Pause | None) -> None:
    if pause is None:
        schedule.paused = True
    else:
        schedule.pauses = [*schedule.pauses, [pause.start.isoformat(), pause.end.isoformat()]]


def _parse_board_day(text: str | None) -> int | None:
    if text is None:
        return 4
    word = text.strip().lower()
    if word in {"off", "no", "none", "never", "false"}:
        return None
    if word[:3] in rules.DAY_NAMES:
        return rules.DAY_NAMES.index(word[:3])
    raise InvalidInput("The weekly leaderboard day is a weekday (such as fri) or `off`.")


def _day_name(day: int) -> str:
    return ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")[day]
