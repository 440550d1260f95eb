"""The benchmark's options and scenario names, in a module of their own that imports only argparse and
the settings, so they can be read (and documented) without loading any scenario."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from bot.config import SHIPPED_CONTENT

SCENARIOS = {
    1: "answers",
    2: "leaderboards",
    3: "daily fan-out",
    4: "start-up and footprint",
    5: "scenarios 1-3 and 6 on PostgreSQL",
    6: "spaced review",
    7: "class report and CSV export",
}


DESCRIPTION = (
    "Speed at scale: answers, leaderboards, daily fan-out, start-up and memory, spaced review, the teacher's "
    "report and export, each on a fresh "
    "temporary database. Progress goes to stderr, the table to stdout."
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="studybot bench", description=DESCRIPTION)
    add_arguments(parser)
    return parser


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options, also for `python -m bot bench` (bot/cli.py adds them to its sub-command)."""
    parser.add_argument(
        "--scenario",
        default="all",
        metavar="LIST",
        help="which scenarios, such as 1,2 (default: all; 5 needs a PostgreSQL URL). "
        + "; ".join(f"{k}: {v}" for k, v in SCENARIOS.items()),
    )
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="shrink the data sets, such as 0.1 for a quick run (default 1: 100x1,000 members, "
        "2,000,000 attempts, 10,000 channels, 10,000 members x 300 review cards)",
    )
    parser.add_argument(
        "--duration",
        type=float,
        default=None,
        help="seconds of each timed answer phase (default 10, less at --scale below 1)",
    )
    parser.add_argument("--students", type=int, default=200, help="closed-loop students for the throughput phase")
    parser.add_argument("--rate", type=float, default=2000.0, help="open-loop answers per second for the latency phase")
    parser.add_argument("--json", type=Path, default=None, metavar="FILE", help="write every figure to this JSON file")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL"),
        help="a PostgreSQL URL runs scenario 5 in a new database created next to it (and dropped "
        "after); SQLite URLs are ignored: SQLite always runs on a fresh temporary file "
        "(default: $DATABASE_URL)",
    )
    parser.add_argument(
        "--pg-reset",
        action="store_true",
        help="if the PostgreSQL user may not CREATE DATABASE, drop and recreate the public schema "
        "of the given database instead (destroys its data)",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="keep the databases in this directory (default: a temporary one, removed)",
    )
    parser.add_argument(
        "--content", type=Path, default=SHIPPED_CONTENT, help="question bank (default: the shipped one)"
    )
    parser.add_argument(
        "--profile",
        type=Path,
        default=None,
        metavar="FILE",
        help="cProfile the SQLite throughput phase into FILE (and FILE.txt, top functions)",
    )
    parser.add_argument(
        "--fanout-limit",
        type=float,
        default=30.0,
        help="stop a fan-out tick after this many seconds and report its rate (default 30)",
    )
