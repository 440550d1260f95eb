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
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import schedules as rules
from bot.core.actor import Actor
from bot.core.errors import InvalidInput, NotAllowed
from bot.core.replies import DailyPost, Mode, Period, QuestionRef, Reveal, ScheduleInfo, StreakHolder
from bot.service import StudyService
from bot.store.models import Attempt, Community, DailyAssignment, Member, Schedule, ScheduledPost, Teacher

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
        self, actor: Actor, channel_id: str, *, time: str, timezone: str | None = None, days: str | None = None,
        topics: str | None = None, weekly_leaderboard: str | None = None, channel_name: str = "",
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
                    Schedule.community_id == community.id, Schedule.channel_id != channel_id, Schedule.last_error.is_not(None)
                )
            )
            elsewhere = tuple(f"#{name or channel}: {error}" for channel, name, error in failing)
            return dataclasses.replace(info, failing_elsewhere=elsewhere) if elsewhere else info

    async def pause(self, actor: Actor, channel_id: str, period: str | None = None) -> ScheduleInfo:
        pause = rules.parse_pause(period) if period and period.strip() else None
        return await self._change(actor, channel_id, lambda s: _add_pause(s, pause))

    async def resume(self, actor: Actor, channel_id: str) -> ScheduleInfo:
        today = None

        def resume(schedule: Schedule) -> None:
            nonlocal today
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
            rows = (
                await session.execute(
                    select(Schedule.id, Schedule.time_of_day, Schedule.timezone, Schedule.weekdays, Schedule.pauses)
                    .join(Community, Community.id == Schedule.community_id)
                    .where(Community.platform.in_(platforms), Schedule.paused.is_(False))
                )
            ).all()
            due = []
            for schedule_id, time_of_day, zone, weekdays, pauses in rows:
                rule = rules.ScheduleRule(
                    time_of_day, zone, frozenset(int(d) for d in weekdays.split(",") if d),
                    tuple(rules.Pause(dt.date.fromisoformat(a), dt.date.fromisoformat(b)) for a, b in pauses or ()),
                )
                day = rule.due_now(now)
                if day is not None:
                    due.append({"schedule_id": schedule_id, "local_date": day})
            if due:
                dialect = postgresql if session.bind.dialect.name == "postgresql" else sqlite
                statement = dialect.insert(ScheduledPost).values(
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
                    or_(ScheduledPost.owner.is_(None), and_(ScheduledPost.owner != owner, ScheduledPost.claimed_at < now - LEASE)),
                )
                .values(owner=owner, claimed_at=now)
            )
            claimed = await session.execute(
                select(
                    ScheduledPost.id, ScheduledPost.schedule_id, ScheduledPost.local_date, ScheduledPost.attempts,
                    Schedule.channel_id, Schedule.timezone, Community.platform,
                )
                .join(Schedule, Schedule.id == ScheduledPost.schedule_id)
                .join(Community, Community.id == Schedule.community_id)
                .where(
                    ScheduledPost.owner == owner, ScheduledPost.status == "pending",
                    ScheduledPost.claimed_at == now, Community.platform.in_(platforms),
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
                    update(ScheduledPost).where(ScheduledPost.id.in_(expired)).values(
                        status="skipped", last_error="the day was over before it could be sent"
                    )
                )
            return claims

    async def build_post(self, claim: Claim) -> DailyPost:
        """The question of the day, yesterday's reveal, and on the leaderboard day the week's board."""
        async with self._sessions.begin() as session:
            schedule = await session.get(Schedule, claim.schedule_id)
            community = await session.get(Community, schedule.community_id)
            question_id = await self.study.assignment(session, community, claim.local_date)
            card = self.study.card(QuestionRef(question_id, Mode.DAILY, claim.local_date))
            reveal = await self._reveal(session, community, claim.local_date)
            board = None
            if schedule.leaderboard_weekday == claim.local_date.weekday():
                board = await self.study.board(session, community, Period.WEEK, claim.local_date)
            return DailyPost(card, reveal, board)

    async def _reveal(self, session: AsyncSession, community: Community, day: dt.date) -> Reveal | None:
        previous = (
            await session.execute(
                select(DailyAssignment.local_date, DailyAssignment.question_id)
                .where(DailyAssignment.community_id == community.id, DailyAssignment.local_date < day)
                .order_by(DailyAssignment.local_date.desc())
                .limit(1)
            )
        ).first()
        if previous is None:
            return None
        previous_day, question_id = previous
        answered, correct = (
            await session.execute(
                select(func.count(), func.coalesce(func.sum(Attempt.correct.cast(Integer)), 0)).where(
                    Attempt.community_id == community.id, Attempt.daily_date == previous_day
                )
            )
        ).one()
        # Only people who got it right are named.
        streaks = (
            await session.execute(
                select(Member.display_name, Attempt.streak)
                .join(Member, Member.id == Attempt.member_id)
                .where(Attempt.community_id == community.id, Attempt.daily_date == previous_day, Attempt.correct.is_(True))
                .order_by(Attempt.streak.desc(), Member.display_name)
                .limit(3)
            )
        ).all()
        question = self.study.question(question_id)
        return Reveal(
            previous_day, question.prompt, self.study.correct_answer(question), question.explanation, answered, int(correct),
            tuple(StreakHolder(name, streak) for name, streak in streaks if streak > 1),
        )

    async def mark_sent(self, claim: Claim, message_ref: str) -> None:
        async with self._sessions.begin() as session:
            await session.execute(
                update(ScheduledPost).where(ScheduledPost.id == claim.post_id).values(
                    status="sent", sent_at=self.now(), message_ref=message_ref[:200], attempts=claim.attempt, last_error=None
                )
            )
            await session.execute(update(Schedule).where(Schedule.id == claim.schedule_id).values(last_error=None))

    async def mark_failed(self, claim: Claim, error: str, *, permanent: bool) -> bool:
        """Record a failed send; True when it will be retried."""
        retry = not permanent and claim.attempt < rules.MAX_SEND_ATTEMPTS
        now = self.now()
        async with self._sessions.begin() as session:
            await session.execute(
                update(ScheduledPost).where(ScheduledPost.id == claim.post_id).values(
                    status="pending" if retry else "failed", owner=None, attempts=claim.attempt,
                    next_try_at=now + rules.retry_delay(claim.attempt), last_error=error[:500],
                )
            )
            if not retry:
                await session.execute(
                    update(Schedule).where(Schedule.id == claim.schedule_id).values(
                        last_error=f"{now:%Y-%m-%d %H:%M} UTC: {error[:300]}"
                    )
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
                    ScheduledPost.status == "pending", Community.platform.in_(platforms),
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
