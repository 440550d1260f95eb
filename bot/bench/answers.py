"""Scenario 1: answers through StudyService.submit_answer, across many communities.

- throughput: N simulated students in a closed loop (asyncio tasks), each answering again as soon
  as its answer comes back;
- latency: answers launched on a fixed schedule (open loop) at a steady rate, latency measured from
  each answer's scheduled launch, so a stalled service cannot hide its queue (no coordinated omission);
- errors: "database is locked" counted apart from every other error;
- the floor: a plain stdlib sqlite3 loop with the bot's PRAGMAs that inserts one row and updates one
  score per transaction, on the same disk, in the same run; the service's rate is given as a ratio to it;
- integrity: afterwards every answer is in the database exactly once, and every member's scores
  equal the sum of their daily attempts' points (week, month and all time).

Each simulated student answers practice questions as its own member (spread over the communities);
one answer in five (by default) is instead a daily answer from a member who has not yet answered that
day, drawn from the whole membership. A shorter extra phase draws every practice answer from a random
member of the whole membership (nothing cached about them yet). Daily assignments are created through
StudyService.daily_question before timing starts; between the phases the clock moves on a day
(streaks grow).
"""

from __future__ import annotations

import asyncio
import collections
import cProfile
import datetime as dt
import io
import os
import pstats
import random
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.bench.common import BenchClock, Bulk, Progress, Target, as_date, note, summary_ms
from bot.bootstrap import open_service
from bot.content.schema import Question
from bot.core import scoring, selection
from bot.core.actor import Actor, Platform
from bot.core.grading import normalise
from bot.core.replies import QuestionRef
from bot.core.vocabulary import Mode, Period, QuestionKind
from bot.service.catalogue import arrangement_key

# As the bot runs (FULL unless SQLITE_SYNCHRONOUS says otherwise), so the cost of durability shows here.
SYNCHRONOUS = os.environ.get("SQLITE_SYNCHRONOUS", "FULL").strip().upper()
START = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)  # a Friday morning in London


@dataclass
class AnswersConfig:
    communities: int = 100
    members_per_community: int = 1000
    students: int = 200  # closed-loop concurrency
    rate: float = 2000.0  # open-loop arrivals per second
    duration: float = 10.0  # seconds of each timed phase
    cold_duration: float = 5.0  # seconds of closed loop with answers from random members (0: skip)
    warmup: float = 1.0
    daily_share: float = 0.2
    correct_share: float = 0.7
    floor_seconds: float = 3.0
    max_in_flight: int = 2000  # open loop: arrivals beyond this many outstanding are shed (and counted)
    seed: int = 1917
    profile: Path | None = None  # write a cProfile of the throughput phase here


# ----------------------------------------------------------------------------------- what to answer


def answer_texts(question: Question) -> tuple[str, str]:
    """(a right answer, a wrong answer) as a student would type them."""
    if question.kind is QuestionKind.MULTIPLE_CHOICE:
        options = selection.option_order(question.id, question.options)
        right = next(letter for letter, text in options if normalise(text) == normalise(str(question.answer)))
        wrong = next(letter for letter, _ in options if letter != right)
        return right, wrong
    if question.kind is QuestionKind.TRUE_FALSE:
        return ("true", "false") if question.answer else ("false", "true")
    if question.kind in (QuestionKind.ORDER, QuestionKind.MATCH):
        right = arrangement_key(question).arrangement
        return " ".join(right), " ".join(reversed(right))  # 3 to 5 different items: reversed is wrong
    wrong = question.wrong[0] if question.wrong else "Nobody at all"
    return str(question.answer), wrong


def actor(community: int, member: int) -> Actor:
    return Actor(
        Platform.DISCORD,
        f"guild-{community}",
        f"user-{community}-{member}",
        f"Student {community}-{member}",
        community_name=f"School {community}",
    )


@dataclass
class Load:
    """Chooses each next answer: a practice answer from any member, or a daily one from a member
    who has not answered today's question yet."""

    cfg: AnswersConfig
    questions: dict[str, tuple[str, str]]
    rng: random.Random
    day: dt.date | None = None
    assigned: dict[int, str] = field(default_factory=dict)
    daily_pool: list[tuple[int, int]] = field(default_factory=list)
    daily_pool_empty: int = 0

    def __post_init__(self) -> None:
        self.question_ids = list(self.questions)

    async def new_day(self, service: Any, day: dt.date) -> float:
        """Show each community its daily question (creates the assignment); untimed set-up."""
        started = time.perf_counter()
        self.day = day
        for community in range(self.cfg.communities):
            card = await service.daily_question(actor(community, 0))
            assert card.ref.daily_date == day, (card.ref, day)
            self.assigned[community] = card.ref.question_id
        self.daily_pool = [(c, m) for c in range(self.cfg.communities) for m in range(self.cfg.members_per_community)]
        self.rng.shuffle(self.daily_pool)
        return time.perf_counter() - started

    def student(self, index: int) -> tuple[int, int]:
        """The member a simulated student answers practice questions as: spread over the communities."""
        communities, members = self.cfg.communities, self.cfg.members_per_community
        return index % communities, (index // communities) % members

    def next(self, student: int | None = None) -> tuple[Actor, str, QuestionRef, bool]:
        """The next answer: daily (from a member who has not answered today) or practice, as `student`
        (one of the simulated students), or as any member at random when `student` is None."""
        rng = self.rng
        daily = rng.random() < self.cfg.daily_share
        if daily and not self.daily_pool:
            self.daily_pool_empty += 1
            daily = False
        if daily:
            community, member = self.daily_pool.pop()
            question_id = self.assigned[community]
            ref = QuestionRef(question_id, Mode.DAILY, self.day)
        else:
            if student is None:
                community = rng.randrange(self.cfg.communities)
                member = rng.randrange(self.cfg.members_per_community)
            else:
                community, member = self.student(student)
            question_id = rng.choice(self.question_ids)
            ref = QuestionRef(question_id, Mode.PRACTICE)
        right, wrong = self.questions[question_id]
        return actor(community, member), right if rng.random() < self.cfg.correct_share else wrong, ref, daily


@dataclass
class Tally:
    """What happened to the answers of one phase."""

    submitted: int = 0
    ok: int = 0
    ok_daily: int = 0
    repeated: int = 0
    locked: int = 0
    errors: collections.Counter = field(default_factory=collections.Counter)
    samples: dict[str, str] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    points: int = 0

    def error(self, error: BaseException) -> None:
        text = str(error)
        if "database is locked" in text:
            self.locked += 1
            key = "database is locked"
        else:
            key = type(error).__name__
            self.errors[key] += 1
        self.samples.setdefault(key, text.splitlines()[0][:300] if text else key)

    def merged(self, other: Tally) -> None:
        self.submitted += other.submitted
        self.ok += other.ok
        self.ok_daily += other.ok_daily
        self.repeated += other.repeated
        self.locked += other.locked
        self.errors.update(other.errors)
        for key, value in other.samples.items():
            self.samples.setdefault(key, value)

    def as_dict(self) -> dict[str, Any]:
        return {
            "submitted": self.submitted,
            "ok": self.ok,
            "ok_daily": self.ok_daily,
            "repeated": self.repeated,
            "database_locked": self.locked,
            "other_errors": sum(self.errors.values()),
            "errors_by_type": dict(self.errors),
            "error_samples": self.samples,
        }


async def answer_once(
    service: Any, load: Load, tally: Tally, student: int | None, scheduled: float | None = None
) -> None:
    who, text, ref, daily = load.next(student)
    tally.submitted += 1
    started = time.perf_counter() if scheduled is None else scheduled
    try:
        feedback = await service.submit_answer(who, text, ref)
    except Exception as error:  # noqa: BLE001 - counted, never raised: the load goes on
        tally.error(error)
    else:
        tally.ok += 1
        if feedback.repeated:
            tally.repeated += 1
        elif daily and feedback.ref.mode is Mode.DAILY:
            tally.ok_daily += 1
        tally.points += feedback.points
    tally.latencies.append(time.perf_counter() - started)


# ----------------------------------------------------------------------------------- the two phases


async def closed_loop(
    service: Any, load: Load, students: int, duration: float, *, anyone: bool = False
) -> tuple[Tally, float]:
    """`students` tasks, each answering again as soon as answered, for `duration` seconds. Practice
    answers come from each student's own member, or with `anyone` from a random member each time."""
    tally = Tally()
    stop = time.perf_counter() + duration

    async def student(index: int) -> None:
        while time.perf_counter() < stop:
            await answer_once(service, load, tally, None if anyone else index)

    started = time.perf_counter()
    await asyncio.gather(*(student(index) for index in range(students)))
    return tally, time.perf_counter() - started


async def open_loop(
    service: Any, load: Load, rate: float, duration: float, max_in_flight: int, students: int
) -> tuple[Tally, dict]:
    """Answers launched at `rate` per second on a fixed schedule, whatever the service's pace; practice
    answers from the same simulated students as the closed loop, daily ones from the whole membership."""
    tally = Tally()
    total = int(rate * duration)
    in_flight: set[asyncio.Task] = set()
    shed = 0
    peak = 0
    started = time.perf_counter()
    for index in range(total):
        due = started + index / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        if len(in_flight) >= max_in_flight:
            shed += 1
            continue
        student = load.rng.randrange(students)
        task = asyncio.create_task(answer_once(service, load, tally, student, scheduled=due))
        in_flight.add(task)
        task.add_done_callback(in_flight.discard)
        peak = max(peak, len(in_flight))
    offered_for = time.perf_counter() - started
    await asyncio.gather(*in_flight)
    elapsed = time.perf_counter() - started
    return tally, {
        "offered_rate_per_s": rate,
        "offered": total,
        "launched": total - shed,
        "shed": shed,
        "launch_window_s": round(offered_for, 3),
        "elapsed_s": round(elapsed, 3),
        "achieved_rate_per_s": round(tally.ok / elapsed, 1) if elapsed else None,
        "peak_in_flight": peak,
    }


# ----------------------------------------------------------------------------------- the sqlite3 floor


def sqlite_floor(bot_db: Path, floor_db: Path, seconds: float) -> dict[str, Any]:
    """One writer, stdlib sqlite3, WAL + synchronous=NORMAL like the bot: per transaction insert one
    attempt row (same table and indexes as the bot's) and add to one score row."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{floor_db}{suffix}").unlink(missing_ok=True)
    source = sqlite3.connect(bot_db)
    ddl = [
        sql
        for (sql,) in source.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name IN ('attempts', 'scores') AND sql IS NOT NULL "
            "ORDER BY type DESC"  # tables before indexes
        )
    ]
    source.close()
    connection = sqlite3.connect(floor_db, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    for statement in ddl:
        connection.execute(statement)
    members = 10_000
    connection.execute("BEGIN")
    connection.executemany(
        "INSERT INTO scores (member_id, period, period_start, community_id, points) "
        "VALUES (?, 'all', '2000-01-03', 1, 0)",
        [(member,) for member in range(1, members + 1)],
    )
    connection.execute("COMMIT")
    rng = random.Random(7)
    insert = (
        "INSERT INTO attempts (member_id, community_id, question_id, mode, daily_date, answer_given, correct, "
        "points, streak, created_at) VALUES (?, 1, 'q-1', 'practice', NULL, 'B) Bukharin', 1, 0, 0, ?)"
    )
    update = (
        "UPDATE scores SET points = points + 10 WHERE member_id = ? AND period = 'all' AND period_start = '2000-01-03'"
    )
    count = 0
    started = time.perf_counter()
    stop = started + seconds
    while time.perf_counter() < stop:
        for _ in range(100):
            member = rng.randrange(1, members + 1)
            connection.execute("BEGIN")
            connection.execute(insert, (member, "2026-11-27 09:00:00.000000"))
            connection.execute(update, (member,))
            connection.execute("COMMIT")
        count += 100
    elapsed = time.perf_counter() - started
    connection.close()
    return {"transactions": count, "elapsed_s": round(elapsed, 3), "transactions_per_s": round(count / elapsed, 1)}


# ----------------------------------------------------------------------------------- integrity


async def check_integrity(bulk: Bulk, expected_attempts: int, expected_daily: int) -> dict[str, Any]:
    """Every answer stored exactly once; every score row equals the sum of its daily attempts."""
    ((attempts,),) = await bulk.fetch("SELECT COUNT(*) FROM attempts")
    ((daily,),) = await bulk.fetch("SELECT COUNT(*) FROM attempts WHERE mode = 'daily'")
    expected_scores: dict[tuple[int, str, dt.date], int] = collections.Counter()
    for member_id, day, points in await bulk.fetch(
        "SELECT member_id, daily_date, points FROM attempts WHERE mode = 'daily'"
    ):
        day = as_date(day)
        for period in Period:
            expected_scores[(member_id, period.value, scoring.period_start(period, day))] += points
    stored = {
        (m, p, as_date(s)): points
        for m, p, s, points in await bulk.fetch("SELECT member_id, period, period_start, points FROM scores")
    }
    mismatched = {key for key in expected_scores.keys() | stored.keys() if expected_scores.get(key) != stored.get(key)}
    all_time = [key for key in mismatched if key[1] == Period.ALL.value]
    return {
        "attempts_in_db": attempts,
        "answers_recorded": expected_attempts,
        "lost": max(0, expected_attempts - attempts),
        "doubled": max(0, attempts - expected_attempts),
        "daily_attempts_in_db": daily,
        "daily_answers_recorded": expected_daily,
        "score_rows": len(stored),
        "score_mismatches": len(mismatched),
        "all_time_score_mismatches": len(all_time),
        "ok": attempts == expected_attempts and daily == expected_daily and not mismatched,
    }


# ----------------------------------------------------------------------------------- the scenario


async def build_members(bulk: Bulk, cfg: AnswersConfig) -> None:
    created = bulk.ts(START - dt.timedelta(days=60))
    await bulk.insert(
        "communities",
        ("platform", "external_id", "name", "timezone", "created_at"),
        (
            (Platform.DISCORD.value, f"guild-{c}", f"School {c}", "Europe/London", created)
            for c in range(cfg.communities)
        ),
    )
    ids = {external: key for key, external in await bulk.fetch("SELECT id, external_id FROM communities")}
    total = cfg.communities * cfg.members_per_community
    progress = Progress("scenario 1: members", total)
    await bulk.insert(
        "members",
        ("community_id", "external_id", "display_name", "current_streak", "best_streak", "created_at"),
        (
            (ids[f"guild-{c}"], f"user-{c}-{m}", f"Student {c}-{m}", 0, 0, created)
            for c in range(cfg.communities)
            for m in range(cfg.members_per_community)
        ),
        progress=progress,
    )
    progress.finish()


async def run(target: Target, content_dir: Path, cfg: AnswersConfig, workdir: Path) -> dict[str, Any]:
    clock = BenchClock(START)
    rng = random.Random(cfg.seed)
    result: dict[str, Any] = {
        "config": {
            "communities": cfg.communities,
            "members_per_community": cfg.members_per_community,
            "students": cfg.students,
            "open_loop_rate_per_s": cfg.rate,
            "phase_seconds": cfg.duration,
            "daily_share": cfg.daily_share,
            "practice_answers_from": "each student's own member",
            "sqlite_synchronous": SYNCHRONOUS,
        }
    }
    async with open_service(target.url, content_dir, clock=clock, sqlite_synchronous=SYNCHRONOUS) as service:
        bulk = await Bulk.open(target)
        try:
            build_started = time.perf_counter()
            await build_members(bulk, cfg)
            await bulk.analyze()
            load = Load(cfg, {qid: answer_texts(q) for qid, q in service.bank.questions.items()}, rng)
            setup = await load.new_day(service, clock().date())
            result["build_s"] = round(time.perf_counter() - build_started, 2)
            result["daily_question_setup_ms_per_community"] = round(1000 * setup / cfg.communities, 2)
            total = Tally()

            note(f"scenario 1 [{target.backend}]: warm-up {cfg.warmup:.1f} s")
            warm, _ = await closed_loop(service, load, cfg.students, cfg.warmup)
            total.merged(warm)

            note(
                f"scenario 1 [{target.backend}]: throughput, "
                f"{cfg.students} students closed loop for {cfg.duration:.1f} s"
            )
            profiler = cProfile.Profile() if cfg.profile else None
            if profiler:
                profiler.enable()
            busy, elapsed = await closed_loop(service, load, cfg.students, cfg.duration)
            if profiler:
                profiler.disable()
                result["profile"] = write_profile(profiler, cfg.profile)
            total.merged(busy)
            throughput = {
                **busy.as_dict(),
                "elapsed_s": round(elapsed, 3),
                "answers_per_s": round(busy.ok / elapsed, 1) if elapsed else None,
                "latency": summary_ms(busy.latencies),
            }
            result["throughput"] = throughput

            if cfg.cold_duration > 0:
                note(
                    f"scenario 1 [{target.backend}]: throughput with every answer from a random member "
                    f"(cold caches) for {cfg.cold_duration:.1f} s"
                )
                cold, elapsed = await closed_loop(service, load, cfg.students, cfg.cold_duration, anyone=True)
                total.merged(cold)
                result["throughput_any_member"] = {
                    **cold.as_dict(),
                    "elapsed_s": round(elapsed, 3),
                    "answers_per_s": round(cold.ok / elapsed, 1) if elapsed else None,
                    "latency": summary_ms(cold.latencies),
                }

            if target.is_sqlite:
                note(f"scenario 1 [{target.backend}]: plain sqlite3 floor for {cfg.floor_seconds:.1f} s")
                floor = sqlite_floor(target.sqlite_path, workdir / "floor.db", cfg.floor_seconds)
                floor["service_ratio"] = round(throughput["answers_per_s"] / floor["transactions_per_s"], 4)
                result["sqlite3_floor"] = floor

            clock.advance(days=1)
            await load.new_day(service, clock().date())
            # The first answers of a new day fill the service's caches for it; time them apart.
            note(
                f"scenario 1 [{target.backend}]: a new day: "
                f"open loop at {cfg.rate:.0f}/s for {cfg.warmup:.1f} s (warm-up)"
            )
            start_of_day, shape = await open_loop(service, load, cfg.rate, cfg.warmup, cfg.max_in_flight, cfg.students)
            total.merged(start_of_day)
            result["latency_start_of_day"] = {**shape, "latency": summary_ms(start_of_day.latencies)}
            note(f"scenario 1 [{target.backend}]: latency, open loop at {cfg.rate:.0f}/s for {cfg.duration:.1f} s")
            steady, shape = await open_loop(service, load, cfg.rate, cfg.duration, cfg.max_in_flight, cfg.students)
            total.merged(steady)
            result["latency"] = {**steady.as_dict(), **shape, "latency": summary_ms(steady.latencies)}

            result["all_phases"] = total.as_dict()
            result["daily_pool_exhausted"] = load.daily_pool_empty
            note(f"scenario 1 [{target.backend}]: checking every answer was stored exactly once")
            # Each successful, non-repeated answer writes one attempt; daily_question writes none.
            result["integrity"] = await check_integrity(bulk, total.ok - total.repeated, total.ok_daily)
        finally:
            await bulk.close()
    return result


def write_profile(profiler: cProfile.Profile, path: Path) -> dict[str, Any]:
    path.parent.mkdir(parents=True, exist_ok=True)
    profiler.dump_stats(str(path))
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("cumulative").print_stats(40)
    path.with_suffix(".txt").write_text(text.getvalue())
    note(f"profile of the throughput phase written to {path} (and {path.with_suffix('.txt')})")
    return {"pstats": str(path), "text": str(path.with_suffix(".txt"))}
