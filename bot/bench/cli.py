"""The benchmark's command line: runs the scenarios, prints a table, writes the figures as JSON."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import functools
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.bench.common import REPO_ROOT, backend_of, fresh_database, note
from bot.bench.options import SCENARIOS, build_parser


@dataclass(frozen=True)
class Plan:
    scenarios: set[int]
    scale: float
    duration: float
    students: int
    rate: float
    pg_url: str | None
    pg_reset: bool
    content: Path
    profile: Path | None
    fanout_limit: float


def make_plan(args: argparse.Namespace) -> Plan:
    scale = args.scale
    if not 0 < scale <= 1:
        raise SystemExit("--scale is a fraction in (0, 1]")
    pg_url = args.database_url if args.database_url and backend_of(args.database_url) == "postgresql" else None
    if args.scenario == "all":
        chosen = {1, 2, 3, 4, 6} | ({5} if pg_url else set())
    else:
        try:
            chosen = {int(part) for part in args.scenario.replace(" ", "").split(",") if part}
        except ValueError:
            raise SystemExit(f"--scenario takes numbers such as 1,2 (got {args.scenario!r})") from None
        unknown = chosen - SCENARIOS.keys()
        if unknown:
            raise SystemExit(f"unknown scenario(s) {sorted(unknown)}: choose from 1-{max(SCENARIOS)}")
        if 5 in chosen and not pg_url:
            raise SystemExit(
                "scenario 5 needs a PostgreSQL URL: --database-url or DATABASE_URL=postgresql+asyncpg://..."
            )
    duration = args.duration if args.duration is not None else 10.0 * min(max(scale, 0.1), 1.0)
    return Plan(
        chosen,
        scale,
        duration,
        args.students,
        args.rate,
        pg_url,
        args.pg_reset,
        args.content.resolve(),
        args.profile,
        args.fanout_limit,
    )


# ----------------------------------------------------------------------------------- running


def answers_config(plan: Plan, profile: Path | None):
    from bot.bench.answers import AnswersConfig

    return AnswersConfig(
        members_per_community=max(1, round(1000 * plan.scale)),
        students=plan.students,
        rate=plan.rate,
        duration=plan.duration,
        warmup=min(1.0, plan.duration / 5),
        cold_duration=plan.duration / 2,
        floor_seconds=min(3.0, max(0.3, plan.duration * 0.3)),
        max_in_flight=max(100, int(plan.rate)),
        profile=profile,
    )


def boards_config(plan: Plan):
    from bot.bench.boards import BoardsConfig

    members = max(10, round(10_000 * plan.scale))
    return BoardsConfig(
        members=members,
        attempts=max(members, round(2_000_000 * plan.scale)),
        calls=200 if plan.scale >= 0.1 else 20,
        budget=5.0 if plan.scale >= 0.1 else 1.0,
    )


def fanout_config(plan: Plan):
    from bot.bench.fanout import FanoutConfig

    return FanoutConfig(channels=max(10, round(10_000 * plan.scale)), time_limit=plan.fanout_limit)


def review_config(plan: Plan):
    from bot.bench.review import ReviewConfig

    members = max(100, round(10_000 * plan.scale))
    communities = 100 if members >= 1000 else max(1, members // 10)
    small = plan.scale < 0.1
    return ReviewConfig(
        communities=communities,
        members_per_community=max(1, members // communities),
        calls=100 if small else 2000,
        done_calls=30 if small else 500,
        budget=2.0 if small else 30.0,
        students=plan.students,
        duration=plan.duration,
        warmup=min(1.0, plan.duration / 5),
    )


def reports_config(plan: Plan):
    from bot.bench.reports import ReportsConfig

    members = max(10, round(10_000 * plan.scale))
    return ReportsConfig(
        members=members, attempts=max(members, round(2_000_000 * plan.scale)), runs=5 if plan.scale >= 0.1 else 2
    )


# Scenarios run once per backend (SQLite, and PostgreSQL for scenario 5).
PER_BACKEND = {1, 2, 3, 6, 7}


async def run_backend(backend: str, plan: Plan, workdir: Path) -> dict[str, Any]:
    from bot.bench import answers, boards, fanout, reports, review

    results: dict[str, Any] = {}
    if 1 in plan.scenarios:
        note(f"scenario 1 [{backend}]: answers")
        async with fresh_database(backend, workdir, "answers", pg_url=plan.pg_url, pg_reset=plan.pg_reset) as target:
            profile = plan.profile if backend == "sqlite" else None
            results["answers"] = await answers.run(target, plan.content, answers_config(plan, profile), workdir)
    if 2 in plan.scenarios:
        note(f"scenario 2 [{backend}]: leaderboards")
        async with fresh_database(backend, workdir, "boards", pg_url=plan.pg_url, pg_reset=plan.pg_reset) as target:
            results["leaderboards"] = await boards.run(target, plan.content, boards_config(plan))
    if 3 in plan.scenarios:
        note(f"scenario 3 [{backend}]: daily fan-out")
        async with fresh_database(backend, workdir, "fanout", pg_url=plan.pg_url, pg_reset=plan.pg_reset) as target:
            results["fanout"] = await fanout.run(target, plan.content, fanout_config(plan))
    if 6 in plan.scenarios:
        note(f"scenario 6 [{backend}]: spaced review")
        async with fresh_database(backend, workdir, "review", pg_url=plan.pg_url, pg_reset=plan.pg_reset) as target:
            results["review"] = await review.run(target, plan.content, review_config(plan))
    if 7 in plan.scenarios:
        note(f"scenario 7 [{backend}]: class report and export")
        async with fresh_database(backend, workdir, "reports", pg_url=plan.pg_url, pg_reset=plan.pg_reset) as target:
            results["reports"] = await reports.run(target, plan.content, reports_config(plan))
    return results


def meta(plan: Plan) -> dict[str, Any]:
    import sqlalchemy

    try:
        commit = (
            subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"],
                check=False,
                cwd=REPO_ROOT,
                capture_output=True,
                text=True,
                timeout=5,
            ).stdout.strip()
            or None
        )
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", "bot", "migrations", ":!bot/bench"],
            check=False,
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=5,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit, changed = None, ""
    return {
        "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "sqlalchemy": sqlalchemy.__version__,
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "git_commit": commit,
        "uncommitted_changes": bool(changed),  # in bot/ (but bot/bench) or migrations/: figures for a working tree
        "scenarios": sorted(plan.scenarios),
        "scale": plan.scale,
        "phase_seconds": plan.duration,
        "students": plan.students,
        "open_loop_rate_per_s": plan.rate,
        "postgresql": bool(plan.pg_url),
    }


async def run_all(plan: Plan, workdir: Path) -> dict[str, Any]:
    report: dict[str, Any] = {"meta": meta(plan), "results": {}}
    if plan.scenarios & PER_BACKEND:
        report["results"]["sqlite"] = await run_backend("sqlite", plan, workdir)
    if 4 in plan.scenarios:
        from bot.bench import startup

        report["results"]["startup"] = startup.run(plan.content, workdir, runs=3 if plan.scale >= 0.1 else 1)
    if 5 in plan.scenarios:
        pg_plan = Plan(
            plan.scenarios & PER_BACKEND or PER_BACKEND,
            plan.scale,
            plan.duration,
            plan.students,
            plan.rate,
            plan.pg_url,
            plan.pg_reset,
            plan.content,
            None,
            plan.fanout_limit,
        )
        report["results"]["postgresql"] = await run_backend("postgresql", pg_plan, workdir)
    report["meta"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    report["checks"] = checks(report["results"])
    return report


# ----------------------------------------------------------------------------------- the table


def _get(tree: dict, *path: str) -> Any:
    for key in path:
        if not isinstance(tree, dict) or key not in tree:
            return None
        tree = tree[key]
    return tree


def checks(results: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per figure: what was measured, the target (if any) and whether it was met."""
    rows: list[dict[str, Any]] = []

    def row(
        backend: str, scenario: str, metric: str, value: Any, unit: str = "", target: str = "", ok: bool | None = None
    ) -> None:
        rows.append(
            {
                "backend": backend,
                "scenario": scenario,
                "metric": metric,
                "value": value,
                "unit": unit,
                "target": target if backend == "sqlite" or backend == "-" else "",
                "ok": ok if backend != "postgresql" else None,
            }
        )

    for backend in ("sqlite", "postgresql"):
        found = results.get(backend) or {}
        a = found.get("answers")
        if a:
            t, lat = a["throughput"], a["latency"]
            rate = t["answers_per_s"]
            row(
                backend,
                "1 answers",
                f"throughput, {a['config']['students']} students closed loop",
                rate,
                "answers/s",
                ">= 5000",
                rate is not None and rate >= 5000,
            )
            row(
                backend,
                "1 answers",
                "  latency under that load p50/p99",
                f"{_fmt(t['latency']['p50_ms'])} / {_fmt(t['latency']['p99_ms'])}",
                "ms",
            )
            cold = a.get("throughput_any_member")
            if cold:
                row(
                    backend,
                    "1 answers",
                    "  the same, each answer from a random member (cold)",
                    cold["answers_per_s"],
                    "answers/s",
                )
            p99 = lat["latency"]["p99_ms"]
            row(
                backend,
                "1 answers",
                f"latency p99, open loop {lat['offered_rate_per_s']:.0f}/s",
                p99,
                "ms",
                "< 25 (none shed)",
                p99 is not None and p99 < 25 and lat["shed"] == 0,
            )
            row(
                backend,
                "1 answers",
                "  p50 / p95",
                f"{_fmt(lat['latency']['p50_ms'])} / {_fmt(lat['latency']['p95_ms'])}",
                "ms",
            )
            row(
                backend,
                "1 answers",
                "  achieved rate / shed arrivals",
                f"{lat['achieved_rate_per_s']} / {lat['shed']}",
                "/s, count",
            )
            everything = a["all_phases"]
            row(
                backend,
                "1 answers",
                '"database is locked" errors',
                everything["database_locked"],
                "",
                "0",
                everything["database_locked"] == 0,
            )
            row(
                backend,
                "1 answers",
                "other errors",
                everything["other_errors"],
                "",
                "0",
                everything["other_errors"] == 0,
            )
            floor = a.get("sqlite3_floor")
            if floor:
                row(
                    backend,
                    "1 answers",
                    "plain sqlite3 loop (1 insert + 1 update per tx)",
                    floor["transactions_per_s"],
                    "tx/s",
                )
                row(
                    backend,
                    "1 answers",
                    "service / sqlite3 loop",
                    floor["service_ratio"],
                    "ratio",
                    ">= 0.25",
                    floor["service_ratio"] >= 0.25,
                )
            integrity = a["integrity"]
            row(
                backend,
                "1 answers",
                "answers lost / doubled / score mismatches",
                f"{integrity['lost']} / {integrity['doubled']} / {integrity['score_mismatches']}",
                "",
                "0 / 0 / 0",
                integrity["ok"],
            )
        b = found.get("leaderboards")
        if b:
            for period, figures in b["periods"].items():
                median = figures["service_median_ms"]
                row(
                    backend,
                    "2 leaderboards",
                    f"{period}: service median (p99)",
                    f"{_fmt(median)} ({_fmt(figures['service']['p99_ms'])})",
                    "ms",
                    "< 5",
                    median < 5,
                )
                row(backend, "2 leaderboards", f"{period}: plain GROUP BY median", figures["group_by_median_ms"], "ms")
        f = found.get("fanout")
        if f:
            if "skipped" in f:
                row(backend, "3 fan-out", "skipped", f["skipped"])
            else:
                channels = f["config"]["channels"]
                row(
                    backend,
                    "3 fan-out",
                    f"{channels:,} channels: claim + build every post",
                    f["core_s"],
                    "s",
                    "< 2",
                    f["core_s"] < 2,
                )
                row(backend, "3 fan-out", "  of which claiming", f["claim_s"], "s")
                row(
                    backend,
                    "3 fan-out",
                    "  marking posts sent (after sending), per post p50",
                    f["mark_sent"]["p50_ms"],
                    "ms",
                )
                if f["finished"]:
                    row(backend, "3 fan-out", "  whole tick incl. marking sent", f["tick_s"], "s")
                    row(
                        backend,
                        "3 fan-out",
                        "  exactly one post per channel",
                        f["exactly_once"],
                        "",
                        "yes",
                        f["exactly_once"],
                    )
                else:
                    row(
                        backend,
                        "3 fan-out",
                        f"  whole tick stopped at {f['stopped_after_s']} s, projected",
                        f["projected_tick_s"],
                        "s",
                    )
        r = found.get("review")
        if r:
            review_rows(functools.partial(row, backend), r, _get(found, "answers", "throughput", "answers_per_s"))
        t = found.get("reports")
        if t:
            report_rows(functools.partial(row, backend), t)
    s = results.get("startup")
    if s:
        for key, label in (("fresh_db", "fresh DB"), ("warm_db", "warm DB")):
            ready = s[key]["ready_median_s"]
            row(
                "-",
                "4 start-up",
                f"console ready, {label} (exit)",
                f"{ready} ({s[key]['exit_median_s']})",
                "s",
                "< 1.5",
                ready < 1.5,
            )
        memory = s["footprint"]
        if "rss_mb" in memory:
            row(
                "-",
                "4 footprint",
                "RSS: service + discord + slack adapters",
                memory["rss_mb"],
                "MB",
                "< 150",
                memory["rss_mb"] < 150,
            )
            for name, state in memory["adapters"].items():
                if state != "imported and built":
                    row("-", "4 footprint", f"  {name}", state)
        else:
            row("-", "4 footprint", "RSS", memory.get("error"), "", "< 150 MB", False)
    return rows


def report_rows(row: Any, r: dict[str, Any]) -> None:
    """Scenario 7's rows (`row` is checks()'s, with the backend already given)."""
    data, name = r["data"], "7 reports"
    row(
        name,
        f"class of {r['config']['members']:,} members, {r['config']['attempts']:,} attempts, "
        f"{data['review_cards']:,} cards: built",
        r["build_s"],
        "s",
    )
    periods = (
        ("report_week", "the last 7 days (the default)", True),
        ("report_month", "the last 30 days", True),
        ("report_term", "the term", False),
        ("report_year", "the whole year", False),
    )
    for key, label, targeted in periods:
        figures = r[key]
        row(
            name,
            f"report data, {label}: {figures['answers']:,} answers, median (max)",
            f"{_fmt(figures['median_ms'])} ({_fmt(figures['max_ms'])})",
            "ms",
            "< 1000" if targeted else "",
            (figures["max_ms"] < 1000 and figures["mastery_from_cards"]) if targeted else None,
        )
    c = r["chart"]
    row(
        name,
        "chart PNG: median (max) warm",
        f"{_fmt(c['median_ms'])} ({_fmt(c['max_ms'])})",
        "ms",
        "< 300",
        c["max_ms"] < 300,
    )
    row(name, "  first chart, with matplotlib's import", c["first_ms"], "ms")
    e = r["export"]
    row(
        name,
        f"CSV export of the whole year ({e['rows']:,} rows, {e['file_mb']} MB)",
        e["rows_per_s"],
        "rows/s",
        ">= 100000",
        e["rows_per_s"] >= 100_000 and e["rows"] == e["rows_in_file"],
    )
    row(
        name,
        "  resident memory before / peak during the export",
        f"{e['rss_before_mb']} / {e['rss_peak_mb']}",
        "MB",
        "flat (< +50)",
        e["rss_growth_mb"] < 50,
    )


def review_rows(row: Any, r: dict[str, Any], scenario_1_rate: float | None) -> None:
    """Scenario 6's rows (`row` is checks()'s, with the backend already given)."""
    data, name = r["data"], "6 review"
    row(
        name,
        f"build {data['review_cards']:,} cards ({data['members']:,} members x {data['cards_per_member']})",
        r["build_s"],
        "s",
        "< 60",
        r["build_s"] < 60,
    )
    if data["cards_per_member"] < r["config"]["cards_per_member_wanted"]:
        row(
            name,
            f"  only {data['cards_per_member']} cards per member: the bank has {data['bank_questions']} questions",
            data["cards_per_member"],
        )
    for key, label in (("next_review", "cards due"), ("next_review_done", "nothing due (ReviewsDone)")):
        calls = r[key]
        median = calls["median_ms"]
        row(
            name,
            f"next_review, {label}: median (p95)",
            f"{_fmt(median)} ({_fmt(calls['latency']['p95_ms'])})",
            "ms",
            "< 5 median",
            median is not None and median < 5,
        )
    both = (r["next_review"], r["next_review_done"])
    asked = sum(c["calls"] for c in both)
    agreed = sum(c["as_expected"] for c in both)
    row(
        name,
        "  calls answered as the data says (question / ReviewsDone)",
        f"{agreed:,} / {asked:,}",
        "",
        "all",
        agreed == asked and not any(c["errors"] for c in both),
    )
    a = r["answers"]
    row(name, f"review answers, {a['students']} students closed loop", a["answers_per_s"], "answers/s")
    if scenario_1_rate and a["answers_per_s"] is not None:
        row(
            name,
            f"  beside scenario 1's throughput ({_fmt(scenario_1_rate)} answers/s)",
            round(a["answers_per_s"] / scenario_1_rate, 3),
            "ratio",
        )
    row(
        name,
        "  latency under that load p50/p99",
        f"{_fmt(a['latency']['p50_ms'])} / {_fmt(a['latency']['p99_ms'])}",
        "ms",
    )
    c = r["cycles"]
    row(name, "review + answer cycles (next_review, then submit_answer)", c["answers_per_s"], "cycles/s")
    row(
        name,
        "  cycle latency p50/p99",
        f"{_fmt(c['cycle_latency']['p50_ms'])} / {_fmt(c['cycle_latency']['p99_ms'])}",
        "ms",
    )
    e = r["all_phases"]
    row(
        name,
        '"database is locked" / other errors',
        f"{e['database_locked']} / {e['other_errors']}",
        "",
        "0 / 0",
        e["database_locked"] == 0 and e["other_errors"] == 0,
    )
    i = r["integrity"]
    row(
        name,
        "review answers lost / doubled / cards not moved on once",
        f"{i['lost']} / {i['doubled']} / {i['cards_not_moved_once']}",
        "",
        "0 / 0 / 0",
        i["ok"],
    )


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) >= 100 else f"{value:.3g}" if abs(value) < 1 else f"{value:.2f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def table(rows: list[dict[str, Any]]) -> str:
    header = ("backend", "scenario", "metric", "value", "unit", "target", "")
    body = [
        (
            r["backend"],
            r["scenario"],
            r["metric"],
            _fmt(r["value"]),
            r["unit"],
            r["target"],
            "" if r["ok"] is None else "ok" if r["ok"] else "MISSED",
        )
        for r in rows
    ]
    widths = [max(len(str(line[i])) for line in [header, *body]) for i in range(len(header))]
    lines = [
        "  ".join(
            str(cell).ljust(width) if i != 3 else str(cell).rjust(width)
            for i, (cell, width) in enumerate(zip(line, widths, strict=True))
        ).rstrip()
        for line in [header, *body]
    ]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


# ----------------------------------------------------------------------------------- entry point


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return run(args)


def run(args: argparse.Namespace) -> int:
    """Run from parsed options (what `python -m bot bench` calls). 0 when it ran, whatever the figures."""
    plan = make_plan(args)
    started = time.perf_counter()
    if args.workdir is not None:
        workdir = args.workdir.resolve()
        workdir.mkdir(parents=True, exist_ok=True)
        cleanup = False
    else:
        workdir = Path(tempfile.mkdtemp(prefix="studybot-bench-"))
        cleanup = True
    note(
        f"scenarios {sorted(plan.scenarios)} at scale {plan.scale} in {workdir}"
        + (f"; PostgreSQL at {_redact(plan.pg_url)}" if plan.pg_url else "")
    )
    try:
        report = asyncio.run(run_all(plan, workdir))
    finally:
        if cleanup:
            shutil.rmtree(workdir, ignore_errors=True)
    report["meta"]["elapsed_s"] = round(time.perf_counter() - started, 1)
    print(table(report["checks"]))
    meta_line = report["meta"]
    print(
        f"\n{meta_line['cpus']} CPUs, Python {meta_line['python']}, SQLAlchemy {meta_line['sqlalchemy']}, "
        f"SQLite {meta_line['sqlite']}; commit {meta_line['git_commit']}"
        f"{' with uncommitted changes' if meta_line['uncommitted_changes'] else ''}; "
        f"load average {meta_line['load_average_at_start']} at start; {meta_line['elapsed_s']} s in all."
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2, default=str) + "\n")
        note(f"figures written to {args.json}")
    return 0


def _redact(url: str | None) -> str:
    from bot.store.db import redact

    return redact(url or "")


if __name__ == "__main__":
    sys.exit(main())
