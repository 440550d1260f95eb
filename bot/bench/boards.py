"""Scenario 2: leaderboards of a big community over a school year.

One community of 10,000 members with 2,000,000 attempts (daily and practice) over the school year
2026-27, bulk-loaded raw, with the `scores` aggregate rows the service maintains (week, month, all
time) and the members' streaks. Then StudyService.leaderboard (the top ten plus the asker's own
rank) for each period, asked by random members, beside a plain GROUP BY over the attempts for the
same period measured in the same run.
"""

from __future__ import annotations

import collections
import datetime as dt
import random
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Date, Integer, bindparam, text

from bot.bench.common import ATTEMPT_COLUMNS, BenchClock, Bulk, Progress, Target, note, summary_ms
from bot.bootstrap import open_service
from bot.core import scoring
from bot.core.actor import Actor, Platform
from bot.core.vocabulary import Mode, Period
from bot.store.db import create_engine

YEAR_START = dt.date(2026, 9, 1)
YEAR_END = dt.date(2027, 7, 16)  # a Friday: the week and the month boards are both well filled
ASKED_AT = dt.datetime(2027, 7, 16, 14, 0, tzinfo=dt.UTC)
COMMUNITY = "T-BIGSCHOOL"


@dataclass
class BoardsConfig:
    members: int = 10_000
    attempts: int = 2_000_000
    calls: int = 200  # leaderboard calls per period (at most `budget` seconds each)
    group_by_runs: int = 5
    budget: float = 5.0
    seed: int = 1936


def school_days() -> list[dt.date]:
    days, day = [], YEAR_START
    while day <= YEAR_END:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def name_of(index: int) -> str:
    return f"Pupil {index:05d}"


def student(index: int) -> Actor:
    return Actor(Platform.SLACK, COMMUNITY, f"U{index:07d}", name_of(index), community_name="Big School")


async def build(bulk: Bulk, cfg: BoardsConfig, question_ids: list[str]) -> dict[str, Any]:
    """The school year, streamed member by member straight into the tables."""
    rng = random.Random(cfg.seed)
    days = school_days()
    created = bulk.ts(dt.datetime.combine(YEAR_START, dt.time(7), tzinfo=dt.UTC) - dt.timedelta(days=7))
    await bulk.insert(
        "communities",
        ("platform", "external_id", "name", "timezone", "created_at"),
        [(Platform.SLACK.value, COMMUNITY, "Big School", "Europe/London", created)],
    )
    ((community_id,),) = await bulk.fetch("SELECT id FROM communities WHERE external_id = ?", COMMUNITY)
    daily_question = [question_ids[i % len(question_ids)] for i in range(len(days))]
    await bulk.insert(
        "daily_assignments",
        ("community_id", "local_date", "question_id", "created_at"),
        (
            (
                community_id,
                bulk.date(day),
                daily_question[i],
                bulk.ts(dt.datetime.combine(day, dt.time(7), tzinfo=dt.UTC)),
            )
            for i, day in enumerate(days)
        ),
    )
    await bulk.insert(
        "members",
        ("community_id", "external_id", "display_name", "current_streak", "best_streak", "created_at"),
        ((community_id, student(i).user_id, name_of(i), 0, 0, created) for i in range(cfg.members)),
    )
    member_ids = dict(await bulk.fetch("SELECT external_id, id FROM members WHERE community_id = ?", community_id))
    # Pre-encoded values: a handful of answer times per day, the dates as the backend stores them.
    day_values = [bulk.date(day) for day in days]
    times = [
        [bulk.ts(dt.datetime.combine(day, dt.time(8), tzinfo=dt.UTC) + dt.timedelta(seconds=37 * k)) for k in range(64)]
        for day in days
    ]
    per_member = cfg.attempts // cfg.members
    extra = cfg.attempts - per_member * cfg.members
    # Score periods by day index: the service keeps one row per member per week, month and all time.
    weeks = sorted({scoring.period_start(Period.WEEK, day) for day in days})
    months = sorted({scoring.period_start(Period.MONTH, day) for day in days})
    week_of = [weeks.index(scoring.period_start(Period.WEEK, day)) for day in days]
    month_of = [months.index(scoring.period_start(Period.MONTH, day)) for day in days]
    week_values, month_values, epoch = (
        [bulk.date(w) for w in weeks],
        [bulk.date(m) for m in months],
        bulk.date(scoring.EPOCH),
    )
    score_rows: list[tuple] = []
    streaks: list[tuple[int, int, Any, int]] = []
    counts = collections.Counter()
    points_for = scoring.points_for
    daily, practice = Mode.DAILY.value, Mode.PRACTICE.value

    def rows():
        random, randrange, choice = rng.random, rng.randrange, rng.choice
        for index in range(cfg.members):
            member_id = member_ids[student(index).user_id]
            wanted = per_member + (1 if index < extra else 0)
            keen = rng.uniform(0.45, 0.85)
            accuracy = rng.uniform(0.45, 0.95)
            streak = best = daily_total = 0
            last = None  # index of the last school day answered
            week_points: list[int | None] = [None] * len(weeks)
            month_points: list[int | None] = [None] * len(months)
            for d in range(len(days)):
                if daily_total >= wanted or random() >= keen:
                    continue
                streak = streak + 1 if last == d - 1 else 1
                best = max(best, streak)
                last = d
                correct = random() < accuracy
                points = points_for(correct, streak)
                daily_total += 1
                week_points[week_of[d]] = (week_points[week_of[d]] or 0) + points
                month_points[month_of[d]] = (month_points[month_of[d]] or 0) + points
                yield (
                    member_id,
                    community_id,
                    daily_question[d],
                    daily,
                    day_values[d],
                    "A" if correct else "B",
                    correct,
                    points,
                    streak,
                    times[d][randrange(64)],
                )
            counts["daily"] += daily_total
            for _ in range(wanted - daily_total):
                d = randrange(len(days))
                yield (
                    member_id,
                    community_id,
                    choice(question_ids),
                    practice,
                    None,
                    "C",
                    random() < accuracy,
                    0,
                    0,
                    times[d][randrange(64)],
                )
            counts["practice"] += wanted - daily_total
            total = 0
            for w, points in enumerate(week_points):
                if points is not None:
                    score_rows.append((member_id, Period.WEEK.value, week_values[w], community_id, points))
                    total += points
            for m, points in enumerate(month_points):
                if points is not None:
                    score_rows.append((member_id, Period.MONTH.value, month_values[m], community_id, points))
            if daily_total:
                score_rows.append((member_id, Period.ALL.value, epoch, community_id, total))
            alive = streak if last == len(days) - 1 else 0
            streaks.append((alive, best, day_values[last] if last is not None else None, member_id))

    progress = Progress("scenario 2: attempts", cfg.attempts)
    await bulk.insert(
        "attempts",
        ATTEMPT_COLUMNS,
        rows(),
        progress=progress,
    )
    progress.finish()
    progress = Progress("scenario 2: scores", len(score_rows))
    await bulk.insert(
        "scores", ("member_id", "period", "period_start", "community_id", "points"), score_rows, progress=progress
    )
    progress.finish()
    await bulk.executemany(
        "UPDATE members SET current_streak = ?, best_streak = ?, last_daily_date = ? WHERE id = ?", streaks
    )
    await bulk.analyze()
    return {
        "community_id": community_id,
        "school_days": len(days),
        "daily_attempts": counts["daily"],
        "practice_attempts": counts["practice"],
        "score_rows": len(score_rows),
    }


GROUP_BY = {
    Period.WEEK: "SELECT member_id, SUM(points) FROM attempts WHERE community_id = :community "
    "AND daily_date >= :start AND daily_date <= :today GROUP BY member_id ORDER BY 2 DESC LIMIT 10",
    Period.MONTH: "SELECT member_id, SUM(points) FROM attempts WHERE community_id = :community "
    "AND daily_date >= :start AND daily_date <= :today GROUP BY member_id ORDER BY 2 DESC LIMIT 10",
    Period.ALL: "SELECT member_id, SUM(points) FROM attempts WHERE community_id = :community "
    "GROUP BY member_id ORDER BY 2 DESC LIMIT 10",
}


async def run(target: Target, content_dir: Path, cfg: BoardsConfig) -> dict[str, Any]:
    clock = BenchClock(ASKED_AT)
    rng = random.Random(cfg.seed + 1)
    result: dict[str, Any] = {"config": {"members": cfg.members, "attempts": cfg.attempts}}
    async with open_service(target.url, content_dir, clock=clock) as service:
        bulk = await Bulk.open(target)
        try:
            started = time.perf_counter()
            result["data"] = await build(bulk, cfg, sorted(service.bank.questions))
            result["build_s"] = round(time.perf_counter() - started, 2)
            community_id = result["data"]["community_id"]
        finally:
            await bulk.close()
        today = clock().date()
        periods: dict[str, Any] = {}
        engine = create_engine(target.url)  # the plain query goes through the same driver and settings
        for period in Period:
            note(f"scenario 2 [{target.backend}]: leaderboard {period.value}")
            for index in range(5):  # warm the statement caches and the page cache
                await service.leaderboard(student(index), period)
            samples, checks = [], 0
            deadline = time.perf_counter() + cfg.budget
            for _ in range(cfg.calls):
                asker = rng.randrange(cfg.members)
                began = time.perf_counter()
                board = await service.leaderboard(student(asker), period)
                samples.append(time.perf_counter() - began)
                checks += len(board.entries) == min(10, board.total_ranked) and board.total_ranked > 0
                if time.perf_counter() > deadline:
                    break
            statement = text(GROUP_BY[period]).bindparams(
                bindparam("community", type_=Integer),
                *([bindparam("start", type_=Date), bindparam("today", type_=Date)] if period is not Period.ALL else []),
            )
            params = {"community": community_id}
            if period is not Period.ALL:
                params.update(start=scoring.period_start(period, today), today=today)
            plain = []
            deadline = time.perf_counter() + cfg.budget
            top = None
            async with engine.connect() as connection:
                for _ in range(cfg.group_by_runs):
                    began = time.perf_counter()
                    top = (await connection.execute(statement, params)).all()
                    plain.append(time.perf_counter() - began)
                    if time.perf_counter() > deadline:  # a slow plain query is timed once or twice
                        break
            board = await service.leaderboard(student(0), period)
            periods[period.value] = {
                "service": summary_ms(samples),
                "service_median_ms": round(statistics.median(samples) * 1000, 3),
                "group_by": summary_ms(plain),
                "group_by_median_ms": round(statistics.median(plain) * 1000, 3),
                "board_members": board.total_ranked,
                "top_points_service": [entry.points for entry in board.entries],
                "top_points_group_by": [int(points) for _, points in top or ()],
                "boards_well_formed": checks == len(samples),
            }
        await engine.dispose()
    result["periods"] = periods
    return result
