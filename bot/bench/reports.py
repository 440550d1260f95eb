"""Scenario 7: the teacher's class report and CSV export on a big class.

Scenario 2's school year (one class of 10,000 members, 2,000,000 attempts), stored in the order the answers
were given (as a running bot stores them; scenario 2 loads them member by member), plus review cards for
every member. Then: the report's data (StudyService.class_report without the chart) for the default
period (the last 7 days), the last 30, the term and the whole year; the chart (matplotlib, first call with
its import and then warm); and the CSV export of the whole year, in rows per second, with the process's
resident memory sampled while it runs (the export streams, so memory should stay flat whatever its length).
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.bench import boards
from bot.bench.common import ATTEMPT_COLUMNS, BenchClock, Bulk, Progress, note
from bot.bootstrap import open_service
from bot.core.actor import Actor, Platform

TEACHER = Actor(Platform.SLACK, boards.COMMUNITY, "UTEACHER", "Ms Teacher", is_admin=True)
WHOLE_YEAR = f"since {boards.YEAR_START.isoformat()}"


@dataclass
class ReportsConfig:
    members: int = 10_000
    attempts: int = 2_000_000
    cards_per_member: int = 150  # about the questions each member has met in a year of 200 answers
    runs: int = 5
    seed: int = 1953


class MemorySampler:
    """The process's resident memory every few milliseconds, in a thread, while a block runs."""

    def __init__(self, every: float = 0.005) -> None:
        self.every = every
        self.peak_kb = self.start_kb = _rss_kb()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, name="rss-sampler", daemon=True)

    def _sample(self) -> None:
        while not self._done.wait(self.every):
            self.peak_kb = max(self.peak_kb, _rss_kb())

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._done.set()
        self._thread.join()
        self.peak_kb = max(self.peak_kb, _rss_kb())


def _rss_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


async def add_cards(bulk: Bulk, cfg: ReportsConfig, community_id: int, question_ids: list[str]) -> int:
    """Review cards for each member, as their answers would have left them (reviewed in the last weeks)."""
    rng = random.Random(cfg.seed)
    members = [m for (m,) in await bulk.fetch("SELECT id FROM members WHERE community_id = ?", community_id)]
    per_member = min(cfg.cards_per_member, len(question_ids))
    asked = dt.datetime.combine(boards.YEAR_END, dt.time(8), tzinfo=dt.UTC)

    def rows():
        for member in members:
            for question_id in rng.sample(question_ids, per_member):
                last = asked - dt.timedelta(days=rng.randrange(1, 60))
                stability = rng.uniform(0.5, 40.0)
                due = last + dt.timedelta(days=stability)
                yield (member, question_id, 2, None, stability, rng.uniform(3, 8), bulk.ts(due), bulk.ts(last), 3)

    progress = Progress("scenario 7: review cards", len(members) * per_member)
    count = await bulk.insert(
        "review_cards",
        ("member_id", "question_id", "state", "step", "stability", "difficulty", "due", "last_review", "reviews"),
        rows(),
        progress=progress,
    )
    progress.finish()
    await bulk.analyze()
    return count


async def in_time_order(bulk: Bulk) -> None:
    """Rewrite the attempts oldest first, as a bot writes them: a period's answers then sit together."""
    if not bulk.target.is_sqlite:
        await bulk.execute("CLUSTER attempts USING ix_attempts_community_created")
        return
    columns = ", ".join(column for column in ATTEMPT_COLUMNS)
    await bulk.execute("BEGIN")
    await bulk.execute(f"CREATE TEMP TABLE ordered AS SELECT {columns} FROM attempts ORDER BY created_at")
    await bulk.execute("DELETE FROM attempts")
    await bulk.execute(f"INSERT INTO attempts ({columns}) SELECT {columns} FROM ordered ORDER BY rowid")
    await bulk.execute("DROP TABLE ordered")
    await bulk.execute("COMMIT")


async def timed(call, runs: int) -> tuple[list[float], Any]:  # noqa: ANN001 - an awaitable factory
    samples, result = [], None
    for _ in range(runs):
        began = time.perf_counter()
        result = await call()
        samples.append(time.perf_counter() - began)
    return samples, result


def ms(samples: list[float]) -> dict[str, float]:
    return {"median_ms": round(statistics.median(samples) * 1000, 1), "max_ms": round(max(samples) * 1000, 1)}


async def run(target, content_dir: Path, cfg: ReportsConfig) -> dict[str, Any]:  # noqa: ANN001 - a Target
    from bot.service.charts import report_chart  # timed below: the first call pays for matplotlib's import

    clock = BenchClock(boards.ASKED_AT)
    result: dict[str, Any] = {"config": {"members": cfg.members, "attempts": cfg.attempts}}
    async with open_service(target.url, content_dir, clock=clock) as service:
        bulk = await Bulk.open(target)
        try:
            started = time.perf_counter()
            board_cfg = boards.BoardsConfig(members=cfg.members, attempts=cfg.attempts)
            result["data"] = await boards.build(bulk, board_cfg, sorted(service.bank.questions))
            note(f"scenario 7 [{target.backend}]: attempts in the order they were given")
            await in_time_order(bulk)
            result["data"]["review_cards"] = await add_cards(
                bulk, cfg, result["data"]["community_id"], sorted(service.bank.questions)
            )
            result["build_s"] = round(time.perf_counter() - started, 2)
        finally:
            await bulk.close()

        for label, period in (("week", "week"), ("month", "month"), ("term", "term"), ("year", WHOLE_YEAR)):
            note(f"scenario 7 [{target.backend}]: report data, {label}")
            samples, report = await timed(lambda p=period: service.class_report(TEACHER, p, chart=False), cfg.runs)
            result[f"report_{label}"] = {
                **ms(samples),
                "answers": report.answers,
                "active": report.active,
                "students": len(report.students),
                "topics": len(report.topics),
                "hardest": len(report.hardest),
                "mastery_from_cards": all(topic.mastery is not None for topic in report.topics),
            }
        note(f"scenario 7 [{target.backend}]: chart")
        began = time.perf_counter()
        png = report_chart(report)
        first = time.perf_counter() - began
        warm = []
        for _ in range(cfg.runs):
            began = time.perf_counter()
            png = report_chart(report)
            warm.append(time.perf_counter() - began)
        result["chart"] = {"first_ms": round(first * 1000, 1), **ms(warm), "png_bytes": len(png)}

        note(f"scenario 7 [{target.backend}]: export of the whole year")
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "answers.csv"
            with MemorySampler() as memory:
                began = time.perf_counter()
                done = await service.export_answers(TEACHER, WHOLE_YEAR, out)
                elapsed = time.perf_counter() - began
            lines = sum(1 for _ in out.open("rb")) - 1
            result["export"] = {
                "rows": done.rows,
                "rows_in_file": lines,
                "seconds": round(elapsed, 2),
                "rows_per_s": round(done.rows / elapsed),
                "file_mb": round(out.stat().st_size / 1e6, 1),
                "rss_before_mb": round(memory.start_kb / 1024, 1),
                "rss_peak_mb": round(memory.peak_kb / 1024, 1),
                "rss_growth_mb": round((memory.peak_kb - memory.start_kb) / 1024, 1),
            }
    return result
