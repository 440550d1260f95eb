"""Scenario 3: the daily fan-out. Every channel is scheduled for the same minute; one scheduler tick
must choose and claim every post and build it (the question, yesterday's reveal). Sending is
excluded: the publishers here return at once. The target figure is claim_due plus build_posts;
marking each post sent is timed and reported apart.

Data: one schedule per community (half Discord, half Slack) at 08:30 Europe/London on school days,
ten past daily questions per community and a few members who answered yesterday's (so each post
carries a reveal). The tick runs at 08:30 on a Wednesday (no weekly leaderboard in the posts).
Written against bot.service.posts.ScheduledPosts and bot.scheduler.Scheduler.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.bench.common import ATTEMPT_COLUMNS, BenchClock, Bulk, Progress, Target, note, summary_ms
from bot.bootstrap import open_service
from bot.core.actor import Platform
from bot.core.publishing import Publishers
from bot.core.vocabulary import Mode
from bot.scheduler import Scheduler

TICK_AT = dt.datetime(2026, 12, 2, 8, 30, tzinfo=dt.UTC)  # Wednesday 08:30 in London (GMT in December)
SLOT = dt.time(8, 30)
HISTORY_DAYS = 10
ANSWERED_YESTERDAY = 3


@dataclass
class FanoutConfig:
    channels: int = 10_000
    time_limit: float = 30.0  # stop a tick that runs longer (keeps a full run short); the rate is still reported
    seed: int = 1932


class NullPublisher:
    """Sending excluded: hands back a message reference at once."""

    def __init__(self) -> None:
        self.published = 0

    async def publish(self, channel_id: str, post: Any) -> str:
        self.published += 1
        return f"message-{channel_id}"


class _Stop(BaseException):
    """Raised (instead of cancelling anything mid-transaction) into posts not yet built once the time
    limit has passed; a BaseException so the scheduler's error handling lets it through."""


class Timed:
    """Wraps a ScheduledPosts coroutine method: records its durations, counts calls in flight and,
    with `stop_after` set, refuses to start new calls after that moment."""

    def __init__(self, method: Callable[..., Awaitable[Any]], stop_after: float | None = None) -> None:
        self.method = method
        self.stop_after = stop_after
        self.samples: list[float] = []
        self.active = 0

    async def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.stop_after is not None and time.perf_counter() > self.stop_after:
            raise _Stop()
        self.active += 1
        began = time.perf_counter()
        try:
            return await self.method(*args, **kwargs)
        finally:
            self.samples.append(time.perf_counter() - began)
            self.active -= 1


def previous_school_days(day: dt.date, count: int) -> list[dt.date]:
    days = []
    while len(days) < count:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return days


async def build_data(bulk: Bulk, cfg: FanoutConfig, question_ids: list[str]) -> dict[str, Any]:
    rng = random.Random(cfg.seed)
    created = bulk.ts(TICK_AT - dt.timedelta(days=90))

    def external(index: int) -> tuple[str, str]:
        return (Platform.DISCORD.value, f"guild-{index}") if index % 2 == 0 else (Platform.SLACK.value, f"T{index:08d}")

    await bulk.insert(
        "communities",
        ("platform", "external_id", "name", "timezone", "created_at"),
        ((*external(i), f"School {i}", "Europe/London", created) for i in range(cfg.channels)),
    )
    ids = {
        (platform, key): community_id
        for community_id, platform, key in await bulk.fetch("SELECT id, platform, external_id FROM communities")
    }
    communities = [ids[external(i)] for i in range(cfg.channels)]
    await bulk.insert(
        "schedules",
        (
            "community_id",
            "channel_id",
            "channel_name",
            "time_of_day",
            "weekdays",
            "pauses",
            "paused",
            "leaderboard_weekday",
            "updated_at",
        ),
        (
            (
                community_id,
                f"C{i:08d}",
                "daily-question",
                bulk.time_of_day(SLOT),
                "0,1,2,3,4",
                bulk.json([]),
                False,
                4,
                created,
            )
            for i, community_id in enumerate(communities)
        ),
    )
    history = previous_school_days(TICK_AT.date(), HISTORY_DAYS)
    progress = Progress("scenario 3: past daily questions", len(communities) * len(history))
    await bulk.insert(
        "daily_assignments",
        ("community_id", "local_date", "question_id", "created_at"),
        (
            (
                community_id,
                bulk.date(day),
                rng.choice(question_ids),
                bulk.ts(dt.datetime.combine(day, SLOT, tzinfo=dt.UTC)),
            )
            for community_id in communities
            for day in history
        ),
        progress=progress,
    )
    progress.finish()
    await bulk.insert(
        "members",
        ("community_id", "external_id", "display_name", "current_streak", "best_streak", "created_at"),
        (
            (community_id, f"user-{i}-{m}", f"Student {i}-{m}", m + 1, m + 1, created)
            for i, community_id in enumerate(communities)
            for m in range(ANSWERED_YESTERDAY)
        ),
    )
    yesterday = history[0]
    assigned = {
        community_id: question
        for community_id, day, question in await bulk.fetch(
            "SELECT community_id, local_date, question_id FROM daily_assignments WHERE local_date = ?",
            bulk.date(yesterday),
        )
    }
    members = await bulk.fetch("SELECT id, community_id, current_streak FROM members")
    answered_at = bulk.ts(dt.datetime.combine(yesterday, dt.time(9), tzinfo=dt.UTC))
    await bulk.insert(
        "attempts",
        ATTEMPT_COLUMNS,
        (
            (
                member_id,
                community_id,
                assigned[community_id],
                Mode.DAILY.value,
                bulk.date(yesterday),
                "A",
                True,
                10 + min(streak - 1, 5),
                streak,
                answered_at,
            )
            for member_id, community_id, streak in members
        ),
    )
    await bulk.analyze()
    return {
        "channels": len(communities),
        "past_daily_questions": len(communities) * len(history),
        "members": len(members),
    }


async def run(target: Target, content_dir: Path, cfg: FanoutConfig) -> dict[str, Any]:
    clock = BenchClock(TICK_AT)
    result: dict[str, Any] = {"config": {"channels": cfg.channels, "tick_at": TICK_AT.isoformat()}}
    async with open_service(target.url, content_dir, clock=clock) as service:
        bulk = await Bulk.open(target)
        try:
            started = time.perf_counter()
            result["data"] = await build_data(bulk, cfg, sorted(service.bank.questions))
            result["build_s"] = round(time.perf_counter() - started, 2)
            scheduled = service.posts  # timed in place: the scheduler calls these three
            claim = scheduled.claim_due = Timed(scheduled.claim_due)
            build = scheduled.build_posts = Timed(scheduled.build_posts)
            mark = scheduled.mark_sent = Timed(scheduled.mark_sent)
            publisher = NullPublisher()
            publishers = Publishers({Platform.DISCORD.value: publisher, Platform.SLACK.value: publisher})
            scheduler = Scheduler(scheduled, publishers)
            note(
                f"scenario 3 [{target.backend}]: one scheduler tick "
                f"for {cfg.channels:,} channels due at the same minute"
            )
            began = time.perf_counter()
            mark.stop_after = began + cfg.time_limit
            finished = True
            try:
                outcomes = await scheduler.tick()
            except _Stop:
                finished, outcomes = False, []
                while build.active or mark.active:  # let the transactions under way finish
                    await asyncio.sleep(0.01)
                note(f"scenario 3 [{target.backend}]: the tick was stopped after {cfg.time_limit:.0f} s")
            tick = time.perf_counter() - began
            # Everything is claimed and sent: nothing more is due.
            again = await scheduler.tick() if finished else []
            status = dict(await bulk.fetch("SELECT status, COUNT(*) FROM scheduled_posts GROUP BY status"))
            ((posts, schedules_posted),) = await bulk.fetch(
                "SELECT COUNT(*), COUNT(DISTINCT schedule_id) FROM scheduled_posts"
            )
        finally:
            await bulk.close()
    marked = len(mark.samples)
    claim_s = claim.samples[0] if claim.samples else 0.0
    # Choosing and claiming: claim_due, then every post built in one go; sending (and marking sent) excluded.
    core = claim_s + (build.samples[0] if build.samples else 0.0)
    result.update(
        {
            "core_s": round(core, 3),
            "claim_s": round(claim_s, 3),
            "build": summary_ms(build.samples),
            "build_total_s": round(sum(build.samples), 3),
            "mark_sent": summary_ms(mark.samples),
            "mark_sent_total_s": round(sum(mark.samples), 3),
            "finished": finished,
            "tick_s": round(tick, 3) if finished else None,
            "stopped_after_s": None if finished else round(tick, 3),
            "posts_marked_sent_per_s": round(marked / tick, 1) if tick else None,
            "projected_tick_s": round(tick if finished else cfg.channels / max(marked, 1) * tick, 3),
            "posts_claimed": len(outcomes),
            "posts_sent": sum(1 for _, sent in outcomes if sent),
            "published": publisher.published,
            "second_tick_claimed": len(again),
            "scheduled_posts_rows": posts,
            "schedules_posted": schedules_posted,
            "status_counts": {str(k): int(v) for k, v in status.items()},
            "exactly_once": (
                posts == schedules_posted == cfg.channels and not again and publisher.published == cfg.channels
            )
            if finished
            else None,
        }
    )
    return result
