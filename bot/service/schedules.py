"""Teachers' schedule commands: set, show, list, pause, resume and stop a channel's daily-question posts,
post now or skip the next (their rows: one_off_posts.py), and the named teachers who may (besides the
platform's admins). A little over 300 lines: every schedule command is here, found in one hop.

The time zone belongs to the community: setting it with one channel's schedule sets it for the whole
server or workspace (its other schedules, its daily question and its leaderboards), and the reply says
which other channels moved with it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import schedules as rules
from bot.core.actor import Actor
from bot.core.clock import Clock
from bot.core.errors import InvalidInput, NotAllowed
from bot.core.replies import ScheduleInfo
from bot.service import one_off_posts as one_off
from bot.service.catalogue import Catalogue
from bot.service.failures import database_trouble
from bot.service.members import Members
from bot.store.db import Database
from bot.store.members import CommunityRow
from bot.store.models import Community, Schedule, Teacher

NOT_ALLOWED = (
    "Only teachers can manage the daily-question schedule: server or workspace admins, and the teachers they name."
)
NO_SCHEDULE = "This channel has no schedule yet. Set one first, such as `schedule set 08:30`."
ALREADY_SENT = (
    "Today's question has already been posted in this channel, and it goes out once a day. "
    "`schedule show` says when the next post is."
)
NOTHING_TO_SKIP = "There is no post coming up to skip: the schedule is paused, or every posting day is."
ALL_TOPICS = {"all", "any", "everything"}
NO_BOARD = {"off", "no", "none", "never", "false"}


def rule_of(schedule: Schedule, timezone: str) -> rules.ScheduleRule:
    """The rule a stored schedule (a model object or a row with the same columns) follows in its
    community's time zone."""
    return rules.ScheduleRule(
        time_of_day=schedule.time_of_day,
        timezone=timezone,
        weekdays=frozenset(int(day) for day in schedule.weekdays.split(",") if day),
        pauses=tuple(rules.Pause(dt.date.fromisoformat(a), dt.date.fromisoformat(b)) for a, b in schedule.pauses or ()),
        leaderboard_weekday=schedule.leaderboard_weekday,
    )


class ScheduleCommands:
    def __init__(
        self, db: Database, catalogue: Catalogue, members: Members, clock: Clock, on_change: Callable[[], None]
    ) -> None:
        self.db = db
        self.catalogue = catalogue
        self.members = members
        self.clock = clock
        self._on_change = on_change  # wakes the scheduler: a slot may now be sooner

    @database_trouble()
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
        zone = rules.parse_timezone(timezone) if timezone else None
        weekdays = rules.parse_days(days)
        board_day = _parse_board_day(weekly_leaderboard)
        if topics is not None and topics.strip().lower() in ALL_TOPICS:
            topics = ""  # back to the whole bank
        topic_ids = [self.catalogue.resolve_topic(t) for t in (topics or "").replace(",", " ").split()]
        async with self.db.sessions.begin() as session:
            community = await self._authorised(session, actor)
            schedule = await _schedule(session, community, channel_id)
            if schedule is None:
                schedule = Schedule(community_id=community.id, channel_id=channel_id, pauses=[], paused=False)
                session.add(schedule)
            schedule.channel_name = channel_name[:200]
            schedule.time_of_day = time_of_day
            schedule.weekdays = ",".join(str(day) for day in sorted(weekdays))
            schedule.leaderboard_weekday = board_day
            schedule.updated_at = self.clock()
            schedule.last_error = None
            changes: dict = {}
            moved: tuple[str, ...] = ()
            if zone is not None and zone != community.timezone:
                changes["timezone"] = zone
                others = await session.scalars(
                    select(Schedule.channel_name).where(
                        Schedule.community_id == community.id, Schedule.channel_id != channel_id
                    )
                )
                moved = tuple(name or "a channel" for name in others)
            if topics is not None:
                changes["daily_topics"] = topic_ids or None
            if changes:
                await session.execute(update(Community).where(Community.id == community.id).values(**changes))
                community = dataclasses.replace(community, **changes)
                self.members.changed(community.id)
            await session.flush()
            info = dataclasses.replace(await self._info(session, schedule, community), moved_to_timezone=moved)
        self._on_change()
        return info

    @database_trouble()
    async def show(self, actor: Actor, channel_id: str) -> ScheduleInfo:
        async with self.db.sessions.begin() as session:
            community = await self._authorised(session, actor)
            schedule = await _schedule(session, community, channel_id)
            info = await self._info(session, schedule, community) if schedule else _none(channel_id)
            failing = await session.execute(
                select(Schedule.channel_id, Schedule.channel_name, Schedule.last_error).where(
                    Schedule.community_id == community.id,
                    Schedule.channel_id != channel_id,
                    Schedule.last_error.is_not(None),
                )
            )
            elsewhere = tuple(f"#{name or channel}: {error}" for channel, name, error in failing)
            return dataclasses.replace(info, failing_elsewhere=elsewhere) if elsewhere else info

    @database_trouble()
    async def list_all(self, actor: Actor) -> tuple[ScheduleInfo, ...]:
        """Every channel's schedule in the teacher's server or workspace, failing ones included."""
        async with self.db.sessions.begin() as session:
            community = await self._authorised(session, actor)
            schedules = await session.scalars(
                select(Schedule)
                .where(Schedule.community_id == community.id)
                .order_by(Schedule.channel_name, Schedule.channel_id)
            )
            return tuple(await self._infos(session, list(schedules), community))

    @database_trouble()
    async def pause(self, actor: Actor, channel_id: str, period: str | None = None) -> ScheduleInfo:
        pause = rules.parse_pause(period) if period and period.strip() else None
        return await self._change(actor, channel_id, lambda schedule, _: _add_pause(schedule, pause))

    @database_trouble()
    async def resume(self, actor: Actor, channel_id: str) -> ScheduleInfo:
        """Lift an open-ended pause, any holiday pause still running or to come, and the skipped posts."""
        async with self.db.sessions.begin() as session:
            community, schedule = await self._existing(session, actor, channel_id)
            today = self.members.today(community)
            schedule.paused = False
            schedule.pauses = [[a, b] for a, b in schedule.pauses if dt.date.fromisoformat(b) < today]
            schedule.updated_at = self.clock()
            await one_off.unskip(session, schedule.id, today)
            info = await self._info(session, schedule, community)
        self._on_change()
        return info

    @database_trouble()
    async def now(self, actor: Actor, channel_id: str) -> ScheduleInfo:
        """Post this channel's question at once, as today's post: the scheduler sends it (once) and does not
        post again at today's slot. Today's post already sent: said so, and nothing is sent."""
        async with self.db.sessions.begin() as session:
            community, schedule = await self._existing(session, actor, channel_id)
            today = self.members.today(community)
            if await one_off.post_today(session, self.db.dialect, schedule.id, today, self.clock()) == "sent":
                raise InvalidInput(ALREADY_SENT)
            info = await self._info(session, schedule, community)
        self._on_change()  # wakes the scheduler: today's post is due now
        return info

    @database_trouble()
    async def skip(self, actor: Actor, channel_id: str) -> ScheduleInfo:
        """Leave out the next post (again: the one after). `resume` brings skipped posts back."""
        async with self.db.sessions.begin() as session:
            community, schedule = await self._existing(session, actor, channel_id)
            now = self.clock()
            taken = await one_off.days_taken(session, [schedule.id], self.members.today(community))
            day = one_off.next_free_day(rule_of(schedule, community.timezone), now, taken.get(schedule.id, {}))
            if schedule.paused or day is None:
                raise InvalidInput(NOTHING_TO_SKIP)
            await one_off.skip_day(session, self.db.dialect, schedule.id, day, now)
            info = await self._info(session, schedule, community)
        self._on_change()
        return info

    @database_trouble()
    async def off(self, actor: Actor, channel_id: str) -> ScheduleInfo:
        async with self.db.sessions.begin() as session:
            community = await self._authorised(session, actor)
            await session.execute(
                delete(Schedule).where(Schedule.community_id == community.id, Schedule.channel_id == channel_id)
            )
        self._on_change()
        return _none(channel_id)

    @database_trouble()
    async def add_teacher(self, actor: Actor, user_id: str) -> None:
        """Workspace admins name the teachers who may manage schedules (Slack has no Manage Server)."""
        async with self.db.sessions.begin() as session:
            community = await self._admin(session, actor)
            if await session.get(Teacher, (community.id, user_id)) is None:
                session.add(Teacher(community_id=community.id, external_id=user_id, added_by=actor.user_id))

    @database_trouble()
    async def teachers(self, actor: Actor) -> tuple[str, ...]:
        """The user ids of the named teachers (admins and teachers may see who they are)."""
        async with self.db.sessions.begin() as session:
            community = await self._authorised(session, actor)
            named = await session.scalars(
                select(Teacher.external_id).where(Teacher.community_id == community.id).order_by(Teacher.external_id)
            )
            return tuple(named)

    @database_trouble()
    async def remove_teacher(self, actor: Actor, user_id: str) -> None:
        async with self.db.sessions.begin() as session:
            community = await self._admin(session, actor)
            await session.execute(
                delete(Teacher).where(Teacher.community_id == community.id, Teacher.external_id == user_id)
            )

    async def _existing(self, session: AsyncSession, actor: Actor, channel_id: str) -> tuple[CommunityRow, Schedule]:
        community = await self._authorised(session, actor)
        schedule = await _schedule(session, community, channel_id)
        if schedule is None:
            raise InvalidInput(NO_SCHEDULE)
        return community, schedule

    async def _change(
        self, actor: Actor, channel_id: str, change: Callable[[Schedule, CommunityRow], None]
    ) -> ScheduleInfo:
        async with self.db.sessions.begin() as session:
            community, schedule = await self._existing(session, actor, channel_id)
            change(schedule, community)
            schedule.updated_at = self.clock()
            info = await self._info(session, schedule, community)
        self._on_change()
        return info

    async def _admin(self, session: AsyncSession, actor: Actor) -> CommunityRow:
        if not actor.is_admin:
            raise NotAllowed("Only workspace admins can name teachers.")
        community = await self.members.community_in(session, actor)
        assert community is not None
        return community

    async def _authorised(self, session: AsyncSession, actor: Actor) -> CommunityRow:
        community = await self.members.community_in(session, actor)
        assert community is not None
        if not await self.members.is_teacher(session, community, actor):
            raise NotAllowed(NOT_ALLOWED)
        return community

    async def _info(self, session: AsyncSession, schedule: Schedule, community: CommunityRow) -> ScheduleInfo:
        return (await self._infos(session, [schedule], community))[0]

    async def _infos(
        self, session: AsyncSession, schedules: list[Schedule], community: CommunityRow
    ) -> list[ScheduleInfo]:
        """What each schedule does next. A schedule whose slot today has passed but whose post for today has
        not been made (just set, or resumed) posts at once, and says so (the scheduler catches up a missed
        slot while it is still the same local day); so does one whose post today is claimed and not yet sent
        (`schedule now`). Days with a post already (sent, skipped) are passed over."""
        await session.flush()
        now = self.clock()
        today = self.members.today(community)
        taken = await one_off.days_taken(session, [s.id for s in schedules], today)
        return [self._describe(schedule, community, now, taken.get(schedule.id, {})) for schedule in schedules]

    def _describe(
        self, schedule: Schedule, community: CommunityRow, now: dt.datetime, taken: dict[dt.date, str]
    ) -> ScheduleInfo:
        rule = rule_of(schedule, community.timezone)
        todays = taken.get(rule.local_date(now))  # the status of today's post, if it has one
        due_today = not schedule.paused and todays is None and rule.due_now(now) is not None
        posting_now = todays in one_off.OPEN or due_today
        upcoming = None if schedule.paused else now if posting_now else one_off.next_free_slot(rule, now, taken)
        taught = self.catalogue.taught(community)
        board_day = schedule.leaderboard_weekday
        return ScheduleInfo(
            channel_id=schedule.channel_id,
            channel_name=schedule.channel_name,
            time_of_day=schedule.time_of_day,
            timezone=community.timezone,
            days=rules.describe_days(rule.weekdays),
            pauses=tuple((p.start, p.end) for p in rule.pauses),
            paused=schedule.paused,
            topics=tuple(self.catalogue.topic_title(t) for t in community.daily_topics or ()),
            weekly_leaderboard=rules.WEEKDAY_NAMES[board_day] if board_day is not None else None,
            next_post=upcoming.astimezone(rule.zone) if upcoming else None,
            last_error=schedule.last_error,
            posting_now=posting_now,
            skipped=tuple(sorted(day for day, status in taken.items() if status == "skipped")),
            untaught_topics=tuple(
                self.catalogue.topic_title(t) for t in community.daily_topics or () if taught and t not in taught
            ),
        )


async def _schedule(session: AsyncSession, community: CommunityRow, channel_id: str) -> Schedule | None:
    return await session.scalar(
        select(Schedule).where(Schedule.community_id == community.id, Schedule.channel_id == channel_id)
    )


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
    if word in NO_BOARD:
        return None
    if word[:3] in rules.DAY_NAMES:
        return rules.DAY_NAMES.index(word[:3])
    raise InvalidInput("The weekly leaderboard day is a weekday (such as fri) or `off`.")
