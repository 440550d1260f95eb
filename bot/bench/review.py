"""Scenario 6: spaced review (FSRS) at scale: `next_review` over millions of cards, and review answers.

Data, bulk-loaded raw: 10,000 members over 100 communities (Europe/London), each with one review card
per question for min(300, bank size) questions of the shipped bank (3,000,000 `review_cards` rows at
scale 1). Dues are spread as a class's would be: most members are behind on some cards (1 hour to four
weeks overdue, each member by their own amount), some cards fall due later today (a few relearning,
ten minutes after a lapse), the rest are due from tomorrow to six months ahead. One member in ten is
caught up: nothing due before local midnight, some reviews done today, and their full answer history
in `attempts` (what the nothing-due path counts). Every community has today's daily question; half the
members have answered it (with their points and streak), so for the other half it is hidden from review.

Then, with the service built as the bot builds it:
- `next_review` for random members with cards due (the most overdue card, its count, the pending
  question set: a write), timed one call at a time, and apart from it for caught-up members (the
  ReviewsDone path); each result is checked against the generated data (first card and due count,
  or done today and due this week);
- review answers through `submit_answer` (ref mode REVIEW), closed loop like scenario 1's throughput
  phase, each student working through a member's due cards; then the whole student cycle
  (`next_review`, then answer it) closed loop;
- integrity: one review attempt per acknowledged answer, each answer moved its card on exactly once
  (the sum of the cards' review counts grew by as much), no card created or lost.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import math
import random
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.bench.answers import SYNCHRONOUS, Tally, actor, answer_texts
from bot.bench.common import ATTEMPT_COLUMNS, BenchClock, Bulk, Progress, Target, note, summary_ms
from bot.bootstrap import open_service
from bot.core import scoring
from bot.core.actor import Actor, Platform
from bot.core.clock import day_bounds, zone
from bot.core.replies import AskedQuestion, QuestionRef, ReviewsDone
from bot.core.vocabulary import Mode, Period

START = dt.datetime(2027, 3, 10, 16, 0, tzinfo=dt.UTC)  # a Wednesday after school in London (GMT)
TIMEZONE = "Europe/London"
MINUTES_PER_DAY = 1440
HISTORY_DAYS = 400  # how far back the minute grid of timestamps reaches
AHEAD_DAYS = 200


@dataclass
class ReviewConfig:
    communities: int = 100
    members_per_community: int = 100
    cards_per_member: int = 300
    caught_up_every: int = 10  # one member in this many has nothing due today
    daily_answered_share: float = 0.5
    calls: int = 2000  # next_review calls for members with cards due
    done_calls: int = 500  # next_review calls for caught-up members (ReviewsDone)
    budget: float = 30.0  # at most this many seconds for each of the two series of calls
    students: int = 200
    duration: float = 10.0  # seconds of the review-answer phase (the cycle phase: half)
    warmup: float = 1.0
    correct_share: float = 0.7
    seed: int = 1848


@dataclass
class Expected:
    """What the generated data says `next_review` must answer for one member."""

    caught_up: bool
    queue: list[str] = field(default_factory=list)  # due before local midnight, most overdue first (not hidden)
    done_today: int = 0  # caught up: review attempts today
    due_this_week: int = 0  # caught up: cards due before local midnight a week from today (not hidden)


# ----------------------------------------------------------------------------------- building


class Stamps:
    """Timestamps on a minute grid (index 0 = midnight UTC HISTORY_DAYS before START), encoded for the
    backend once per day and once per minute of the day instead of once per row."""

    def __init__(self, bulk: Bulk) -> None:
        self.base = dt.datetime.combine(START.date() - dt.timedelta(days=HISTORY_DAYS), dt.time(), tzinfo=dt.UTC)
        self.days = HISTORY_DAYS + AHEAD_DAYS + 2
        self._sqlite = bulk.target.is_sqlite
        if self._sqlite:
            self._day = [(self.base + dt.timedelta(days=d)).strftime("%Y-%m-%d ") for d in range(self.days)]
            self._minute = [f"{m // 60:02d}:{m % 60:02d}:00.000000" for m in range(MINUTES_PER_DAY)]

    def index(self, moment: dt.datetime) -> int:
        return int((moment - self.base).total_seconds() // 60)

    def __call__(self, index: int) -> Any:
        index = min(max(index, 0), self.days * MINUTES_PER_DAY - 1)
        if self._sqlite:
            return self._day[index // MINUTES_PER_DAY] + self._minute[index % MINUTES_PER_DAY]
        return self.base + dt.timedelta(minutes=index)


async def build(bulk: Bulk, cfg: ReviewConfig, question_ids: list[str]) -> tuple[dict[str, Any], list[Expected]]:
    """Communities, members (half of them with today's daily answered), review cards, and the caught-up
    members' answer history, streamed straight into the tables."""
    rng = random.Random(cfg.seed)
    stamps = Stamps(bulk)
    today = START.astimezone(zone(TIMEZONE)).date()
    start_of_day, end_of_day = day_bounds(START, TIMEZONE)
    now_i, sod_i, eod_i = stamps.index(START), stamps.index(start_of_day), stamps.index(end_of_day)
    week_i = eod_i + 7 * MINUTES_PER_DAY
    created = bulk.ts(START - dt.timedelta(days=180))
    per = min(cfg.cards_per_member, len(question_ids))
    bank = len(question_ids)

    await bulk.insert(
        "communities",
        ("platform", "external_id", "name", "timezone", "created_at"),
        ((Platform.DISCORD.value, f"guild-{c}", f"School {c}", TIMEZONE, created) for c in range(cfg.communities)),
    )
    community_ids = {external: key for key, external in await bulk.fetch("SELECT id, external_id FROM communities")}
    daily = {c: question_ids[rng.randrange(bank)] for c in range(cfg.communities)}
    await bulk.insert(
        "daily_assignments",
        ("community_id", "local_date", "question_id", "created_at"),
        (
            (community_ids[f"guild-{c}"], bulk.date(today), daily[c], bulk.ts(start_of_day + dt.timedelta(hours=7)))
            for c in range(cfg.communities)
        ),
    )
    members = cfg.communities * cfg.members_per_community
    # Who answered today's daily question, and how: (correct, minute of the answer).
    answered: dict[int, tuple[bool, int]] = {}
    for index in range(members):
        if rng.random() < cfg.daily_answered_share:
            answered[index] = (rng.random() < 0.7, rng.randrange(sod_i + 8 * 60, now_i))
    today_value = bulk.date(today)
    progress = Progress("scenario 6: members", members)
    await bulk.insert(
        "members",
        (
            "community_id",
            "external_id",
            "display_name",
            "current_streak",
            "best_streak",
            "last_daily_date",
            "created_at",
        ),
        (
            (
                community_ids[f"guild-{c}"],
                f"user-{c}-{m}",
                f"Student {c}-{m}",
                1 if c * cfg.members_per_community + m in answered else 0,
                1 if c * cfg.members_per_community + m in answered else 0,
                today_value if c * cfg.members_per_community + m in answered else None,
                created,
            )
            for c in range(cfg.communities)
            for m in range(cfg.members_per_community)
        ),
        progress=progress,
    )
    progress.finish()
    member_ids = dict(await bulk.fetch("SELECT external_id, id FROM members"))
    ids = [member_ids[f"user-{c}-{m}"] for c in range(cfg.communities) for m in range(cfg.members_per_community)]

    # Today's daily answers, and their points in the week, month and all-time scores (the service's rule).
    daily_rows, score_rows = [], []
    for index, (correct, minute) in answered.items():
        c = index // cfg.members_per_community
        points = scoring.points_for(correct, 1)
        daily_rows.append(
            (
                ids[index],
                community_ids[f"guild-{c}"],
                daily[c],
                Mode.DAILY.value,
                today_value,
                "A" if correct else "B",
                correct,
                points,
                1,
                stamps(minute),
            )
        )
        for period in Period:
            score_rows.append(
                (ids[index], period.value, bulk.date(scoring.period_start(period, today)), daily_rows[-1][1], points)
            )
    await bulk.insert("attempts", ATTEMPT_COLUMNS, daily_rows)
    await bulk.insert("scores", ("member_id", "period", "period_start", "community_id", "points"), score_rows)

    expected: list[Expected] = []
    history: list[tuple] = []  # the caught-up members' attempts (one per review of each card)
    counts = {"overdue": 0, "due_later_today": 0, "relearning": 0, "ahead": 0, "reviewed_today": 0}
    log_overdue = (math.log(60), math.log(28 * MINUTES_PER_DAY))  # 1 hour .. 4 weeks before today
    log_ahead = (math.log(6 * 60), math.log(180 * MINUTES_PER_DAY))  # 6 hours .. 6 months after midnight
    review_mode, practice_mode = Mode.REVIEW.value, Mode.PRACTICE.value

    def cards() -> Iterator[tuple]:
        random, uniform, randrange, randint, exp = rng.random, rng.uniform, rng.randrange, rng.randint, math.exp
        for index in range(members):
            c = index // cfg.members_per_community
            member_id, community_id = ids[index], community_ids[f"guild-{c}"]
            caught_up = index % cfg.caught_up_every == cfg.caught_up_every - 1
            hidden = None if index in answered else daily[c]
            lag = 0.0 if caught_up else uniform(0.02, 0.30)  # the share of this member's cards overdue
            later = 0.0 if caught_up else uniform(0.01, 0.08)  # ... and due later today
            done_today = randint(5, 30) if caught_up else 0
            offset = randrange(bank)
            due_list: list[tuple[int, str]] = []
            expect = Expected(caught_up)
            for k in range(per):
                question_id = question_ids[(offset + k) % bank]
                r = random()
                state, step = 2, None
                daily_answer = question_id == daily[c] and index in answered  # it moved this card on today
                reviewed_today = daily_answer or (caught_up and k < done_today)
                if reviewed_today:
                    last = answered[index][1] if daily_answer else randrange(sod_i + 8 * 60, now_i)
                    due = eod_i + int(exp(uniform(*log_ahead)))
                    kind = "reviewed_today"
                elif (k < 2 and not caught_up) or r < lag:
                    due = sod_i - int(exp(uniform(*log_overdue)))
                    last = due - int(uniform(1, 60) * MINUTES_PER_DAY)
                    kind = "overdue"
                elif r < lag + later:
                    due = randrange(sod_i, eod_i)
                    if due <= now_i and random() < 0.2:  # a lapse earlier today: relearning, ten minutes on
                        state, step, last, kind = 3, 0, due - 10, "relearning"
                    else:
                        last = due - int(uniform(1, 60) * MINUTES_PER_DAY)
                        kind = "due_later_today"
                else:
                    due = eod_i + int(exp(uniform(*log_ahead)))
                    last = now_i - randrange(60, 30 * MINUTES_PER_DAY)
                    kind = "ahead"
                counts[kind] += 1
                interval_days = max((due - last) / MINUTES_PER_DAY, 0.01)
                stability = uniform(0.3, 3.0) if state == 3 else min(100.0, max(1.0, interval_days * uniform(0.9, 1.1)))
                reviews = randint(1, 10)
                if due < eod_i and question_id != hidden:
                    due_list.append((due, question_id))
                if caught_up:
                    if due < week_i and question_id != hidden:
                        expect.due_this_week += 1
                    for j in range(reviews):
                        if j == 0 and daily_answer:
                            continue  # that answer is today's daily attempt, already stored
                        at = last - j * randint(1, 9) * MINUTES_PER_DAY
                        mode = review_mode if (j == 0 and reviewed_today) or random() < 0.5 else practice_mode
                        if at >= sod_i and mode == review_mode:
                            expect.done_today += 1
                        ok = random() < 0.7
                        history.append(
                            (member_id, community_id, question_id, mode, None, "A" if ok else "B", ok, 0, 0, stamps(at))
                        )
                yield (
                    member_id,
                    question_id,
                    state,
                    step,
                    round(stability, 4),
                    round(uniform(1.0, 10.0), 4),
                    stamps(due),
                    stamps(last),
                    reviews,
                )
            due_list.sort()
            expect.queue = [question_id for _, question_id in due_list]
            expected.append(expect)

    total = members * per
    progress = Progress("scenario 6: review cards", total)
    await bulk.insert(
        "review_cards",
        ("member_id", "question_id", "state", "step", "stability", "difficulty", "due", "last_review", "reviews"),
        cards(),
        progress=progress,
    )
    progress.finish()
    progress = Progress("scenario 6: caught-up members' history", len(history))
    await bulk.insert("attempts", ATTEMPT_COLUMNS, history, progress=progress)
    progress.finish()
    await bulk.analyze()
    return {
        "communities": cfg.communities,
        "members": members,
        "cards_per_member": per,
        "bank_questions": bank,
        "review_cards": total,
        "caught_up_members": sum(e.caught_up for e in expected),
        "daily_answered_members": len(answered),
        "cards_by_kind": counts,
        "due_today_per_member_with_due": round(statistics.mean(len(e.queue) for e in expected if not e.caught_up), 1)
        if any(not e.caught_up for e in expected)
        else 0,
        "history_attempts": len(history),
        "daily_attempts": len(daily_rows),
    }, expected


# ----------------------------------------------------------------------------------- next_review


@dataclass
class Calls:
    """One series of next_review calls: latencies, what came back, and whether it was what the data says."""

    samples: list[float] = field(default_factory=list)
    questions: int = 0
    done: int = 0
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    as_expected: int = 0
    mismatch_samples: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "calls": len(self.samples),
            "latency": summary_ms(self.samples),
            "median_ms": round(statistics.median(self.samples) * 1000, 3) if self.samples else None,
            "returned_question": self.questions,
            "returned_reviews_done": self.done,
            "errors": self.errors,
            "error_samples": self.error_samples[:5],
            "as_expected": self.as_expected,
            "mismatch_samples": self.mismatch_samples[:5],
        }


def agrees(result: Any, expect: Expected) -> str | None:
    """None when the result is what the generated data says; else what differs."""
    if expect.caught_up:
        if not isinstance(result, ReviewsDone):
            return f"caught up, got {type(result).__name__}"
        if (result.done_today, result.due_this_week) != (expect.done_today, expect.due_this_week):
            return (
                f"done today / due this week {result.done_today} / {result.due_this_week}, "
                f"expected {expect.done_today} / {expect.due_this_week}"
            )
        if result.next_due is None:
            return "caught up with no next due"
        return None
    if not expect.queue:  # a tiny bank: the one card due was today's daily question, hidden
        return None if isinstance(result, ReviewsDone) else f"nothing due, got {type(result).__name__}"
    if not isinstance(result, AskedQuestion):
        return f"cards due, got {type(result).__name__}"
    if result.ref != QuestionRef(expect.queue[0], Mode.REVIEW) or result.reviews_due != len(expect.queue):
        return (
            f"got {result.ref.question_id} of {result.reviews_due} due, "
            f"expected {expect.queue[0]} of {len(expect.queue)}"
        )
    return None


async def time_calls(
    service: Any, who: list[int], expected: list[Expected], cfg: ReviewConfig, calls: int, rng: random.Random
) -> Calls:
    result = Calls()
    per = cfg.members_per_community
    deadline = time.perf_counter() + cfg.budget
    for _ in range(calls):
        index = rng.choice(who)
        asker = actor(index // per, index % per)
        began = time.perf_counter()
        try:
            answer = await service.next_review(asker)
        except Exception as error:  # noqa: BLE001 - counted and shown, the series goes on
            result.samples.append(time.perf_counter() - began)
            result.errors += 1
            result.error_samples.append(f"{type(error).__name__}: {error}"[:300])
            continue
        result.samples.append(time.perf_counter() - began)
        if isinstance(answer, AskedQuestion):
            result.questions += 1
        elif isinstance(answer, ReviewsDone):
            result.done += 1
        problem = agrees(answer, expected[index])
        if problem is None:
            result.as_expected += 1
        else:
            result.mismatch_samples.append(f"member {index}: {problem}")
        if time.perf_counter() > deadline:
            break
    return result


# ----------------------------------------------------------------------------------- review answers


class Pool:
    """Hands each student a member of its own to review as (members with cards due, shuffled; round again
    when all were handed out)."""

    def __init__(self, members: list[int], rng: random.Random) -> None:
        self.members = members[:]
        rng.shuffle(self.members)
        self.position = 0
        self.rounds = 0

    def take(self) -> int:
        if self.position >= len(self.members):
            self.position, self.rounds = 0, self.rounds + 1
        self.position += 1
        return self.members[self.position - 1]


@dataclass
class Loop:
    service: Any
    cfg: ReviewConfig
    texts: dict[str, tuple[str, str]]
    expected: list[Expected]
    pool: Pool
    rng: random.Random

    def who(self, index: int) -> Actor:
        return actor(index // self.cfg.members_per_community, index % self.cfg.members_per_community)

    def text(self, question_id: str) -> str:
        right, wrong = self.texts[question_id]
        return right if self.rng.random() < self.cfg.correct_share else wrong

    async def answer(self, tally: Tally, asker: Actor, question_id: str, counted: list[int]) -> None:
        tally.submitted += 1
        began = time.perf_counter()
        try:
            feedback = await self.service.submit_answer(
                asker, self.text(question_id), QuestionRef(question_id, Mode.REVIEW)
            )
        except Exception as error:  # noqa: BLE001 - counted, never raised: the load goes on
            tally.error(error)
        else:
            tally.ok += 1
            tally.repeated += feedback.repeated
            counted[0] += feedback.reviews_due is not None and feedback.ref.mode is Mode.REVIEW
        tally.latencies.append(time.perf_counter() - began)

    async def answers(self, students: int, duration: float) -> tuple[Tally, float, int]:
        """Closed loop: each student answers its member's due cards in order, then takes another member."""
        tally, counted = Tally(), [0]
        stop = time.perf_counter() + duration

        async def student() -> None:
            while time.perf_counter() < stop:
                member = self.pool.take()
                asker = self.who(member)
                for question_id in self.expected[member].queue:
                    if time.perf_counter() >= stop:
                        break
                    await self.answer(tally, asker, question_id, counted)

        started = time.perf_counter()
        await asyncio.gather(*(student() for _ in range(students)))
        return tally, time.perf_counter() - started, counted[0]

    async def cycles(self, students: int, duration: float) -> tuple[Tally, float, dict[str, Any]]:
        """Closed loop of what a student does: `review`, answer it, again until nothing is due, then the
        next member. The tally is the answers'; the cycle latency covers both calls."""
        tally, counted = Tally(), [0]
        cycle_latencies: list[float] = []
        shown = {"questions": 0, "reviews_done": 0, "errors": 0}
        stop = time.perf_counter() + duration

        async def student() -> None:
            member = self.pool.take()
            while time.perf_counter() < stop:
                asker = self.who(member)
                began = time.perf_counter()
                try:
                    asked = await self.service.next_review(asker)
                except Exception as error:  # noqa: BLE001 - counted with the answers' errors
                    shown["errors"] += 1
                    tally.error(error)
                    continue
                if isinstance(asked, ReviewsDone):
                    shown["reviews_done"] += 1
                    member = self.pool.take()
                    continue
                shown["questions"] += 1
                await self.answer(tally, asker, asked.ref.question_id, counted)
                cycle_latencies.append(time.perf_counter() - began)

        started = time.perf_counter()
        await asyncio.gather(*(student() for _ in range(students)))
        elapsed = time.perf_counter() - started
        return tally, elapsed, {"next_review": shown, "cycle_latency": summary_ms(cycle_latencies)}


# ----------------------------------------------------------------------------------- integrity


async def card_totals(bulk: Bulk) -> tuple[int, int, int]:
    """(review attempts, cards, the sum of the cards' review counts)."""
    ((attempts,),) = await bulk.fetch("SELECT COUNT(*) FROM attempts WHERE mode = ?", Mode.REVIEW.value)
    ((cards, reviews),) = await bulk.fetch("SELECT COUNT(*), COALESCE(SUM(reviews), 0) FROM review_cards")
    return int(attempts), int(cards), int(reviews)


# ----------------------------------------------------------------------------------- the scenario


async def run(target: Target, content_dir: Path, cfg: ReviewConfig) -> dict[str, Any]:
    clock = BenchClock(START)
    rng = random.Random(cfg.seed + 1)
    result: dict[str, Any] = {
        "config": {
            "communities": cfg.communities,
            "members_per_community": cfg.members_per_community,
            "cards_per_member_wanted": cfg.cards_per_member,
            "students": cfg.students,
            "phase_seconds": cfg.duration,
            "sqlite_synchronous": SYNCHRONOUS,
        }
    }
    async with open_service(target.url, content_dir, clock=clock, sqlite_synchronous=SYNCHRONOUS) as service:
        bulk = await Bulk.open(target)
        try:
            # The questions the database holds (the bank, synced at start-up): every card names one of them.
            stored = {row[0] for row in await bulk.fetch("SELECT id FROM questions WHERE retired = ?", False)}
            question_ids = sorted(stored & service.bank.questions.keys())
            if len(question_ids) < cfg.cards_per_member:
                note(
                    f"scenario 6: the bank has {len(question_ids)} questions, so {len(question_ids)} cards per "
                    f"member instead of {cfg.cards_per_member}"
                )
            started = time.perf_counter()
            result["data"], expected = await build(bulk, cfg, question_ids)
            result["build_s"] = round(time.perf_counter() - started, 2)
            note(f"scenario 6 [{target.backend}]: {result['data']['review_cards']:,} cards in {result['build_s']} s")
            with_due = [i for i, e in enumerate(expected) if e.queue]
            caught_up = [i for i, e in enumerate(expected) if e.caught_up]
            before = await card_totals(bulk)

            note(f"scenario 6 [{target.backend}]: next_review, {cfg.calls} calls for members with cards due")
            for index in with_due[:20]:  # warm the statement caches and the page cache
                await service.next_review(actor(index // cfg.members_per_community, index % cfg.members_per_community))
            result["next_review"] = (await time_calls(service, with_due, expected, cfg, cfg.calls, rng)).as_dict()
            note(f"scenario 6 [{target.backend}]: next_review, {cfg.done_calls} calls for caught-up members")
            result["next_review_done"] = (
                await time_calls(service, caught_up, expected, cfg, cfg.done_calls, rng)
            ).as_dict()

            texts = {qid: answer_texts(q) for qid, q in service.bank.questions.items()}
            loop = Loop(service, cfg, texts, expected, Pool(with_due, rng), rng)
            students = max(1, min(cfg.students, len(with_due)))
            total = Tally()
            note(f"scenario 6 [{target.backend}]: review answers, warm-up {cfg.warmup:.1f} s")
            warm, _, _ = await loop.answers(students, cfg.warmup)
            total.merged(warm)
            note(
                f"scenario 6 [{target.backend}]: review answers, {students} students closed loop for "
                f"{cfg.duration:.1f} s"
            )
            busy, elapsed, counted = await loop.answers(students, cfg.duration)
            total.merged(busy)
            result["answers"] = {
                **busy.as_dict(),
                "students": students,
                "elapsed_s": round(elapsed, 3),
                "answers_per_s": round(busy.ok / elapsed, 1) if elapsed else None,
                "latency": summary_ms(busy.latencies),
                "feedback_with_reviews_due": counted,
            }
            note(
                f"scenario 6 [{target.backend}]: review + answer cycles, {students} students closed loop for "
                f"{cfg.duration / 2:.1f} s"
            )
            cycle, elapsed, shape = await loop.cycles(students, cfg.duration / 2)
            total.merged(cycle)
            result["cycles"] = {
                **cycle.as_dict(),
                **shape,
                "elapsed_s": round(elapsed, 3),
                "answers_per_s": round(cycle.ok / elapsed, 1) if elapsed else None,
                "answer_latency": summary_ms(cycle.latencies),
            }
            result["all_phases"] = total.as_dict()
            result["members_handed_out"] = {"rounds": loop.pool.rounds, "of": len(with_due)}

            await service.finish(10.0)
            note(f"scenario 6 [{target.backend}]: checking every review answer was stored and moved its card once")
            after = await card_totals(bulk)
            recorded = total.ok - total.repeated
            attempts, cards, reviews = (a - b for a, b in zip(after, before, strict=True))
            result["integrity"] = {
                "review_answers_acknowledged": recorded,
                "review_attempts_before": before[0],
                "review_attempts_added": attempts,
                "cards_reviews_added": reviews,
                "cards_before": before[1],
                "cards_after": after[1],
                "lost": max(0, recorded - attempts),
                "doubled": max(0, attempts - recorded),
                "cards_not_moved_once": abs(reviews - recorded),
                "ok": attempts == recorded and reviews == recorded and cards == 0,
            }
        finally:
            await bulk.close()
    return result
