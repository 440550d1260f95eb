"""`python -m bot bench` (or `python -m bot.bench`): the speed-at-scale benchmark.

Scenarios, each on a fresh temporary database:

1. answers through StudyService.submit_answer: closed-loop throughput, open-loop latency,
   "database is locked" and other errors, and the ratio to a plain sqlite3 writer loop;
2. leaderboards over a school year of answers (top ten plus the asker's rank), beside a plain GROUP BY;
3. the daily fan-out: every channel scheduled for the same minute, claimed and built by the scheduler;
4. start-up time of `python -m bot console` and the resident memory of a bot with both adapters;
5. scenarios 1-3 and 6 again on PostgreSQL when DATABASE_URL (or --database-url) points at one;
6. spaced review: next_review over 10,000 members x 300 review cards, and review answers.

The timings live here, never in unit tests; tests/test_bench_smoke.py only runs it tiny.
This package imports nothing heavy at import time: bot.bench.footprint measures a bot's memory
from inside a child process and must not carry the benchmark's own modules.
"""

from __future__ import annotations


def main(argv: list[str] | None = None) -> int:
    from bot.bench.cli import main as run

    return run(argv)


__all__ = ["main"]
