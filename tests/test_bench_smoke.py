"""The benchmark (bot/bench) run tiny: it must produce its figures and lose or double no answer.

No timing is asserted here; the timings are the benchmark's business (`python -m bot bench`).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")
TOKENS = ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET")


def run_bench(tmp_path: Path, *args: str) -> dict:
    out = tmp_path / "bench.json"
    env = {k: v for k, v in os.environ.items() if k not in TOKENS and k != "DATABASE_URL"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.bench",
            "--scale",
            "0.001",
            "--duration",
            "0.5",
            "--workdir",
            str(tmp_path / "work"),
            "--json",
            str(out),
            *args,
        ],
        check=False,
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert "metric" in result.stdout  # the table
    return json.loads(out.read_text())


def test_answers_boards_and_fanout_run_tiny_and_no_answer_is_lost_or_doubled(tmp_path):
    report = run_bench(tmp_path, "--scenario", "1,2,3")
    assert {"meta", "results", "checks"} <= report.keys()
    sqlite_results = report["results"]["sqlite"]

    answers = sqlite_results["answers"]
    for key in ("throughput", "throughput_any_member", "latency", "sqlite3_floor", "all_phases", "integrity"):
        assert key in answers, key
    assert answers["throughput"]["answers_per_s"] > 0
    assert answers["throughput"]["latency"]["p99_ms"] is not None
    assert answers["latency"]["latency"]["p99_ms"] is not None
    assert {"database_locked", "other_errors"} <= answers["all_phases"].keys()
    assert answers["sqlite3_floor"]["transactions_per_s"] > 0 and "service_ratio" in answers["sqlite3_floor"]
    assert answers["all_phases"]["other_errors"] == 0, answers["all_phases"]["error_samples"]
    integrity = answers["integrity"]
    assert integrity["lost"] == 0 and integrity["doubled"] == 0 and integrity["score_mismatches"] == 0, integrity
    assert integrity["ok"] is True

    # The same, checked independently on the database the benchmark left behind.
    recorded = answers["all_phases"]["ok"] - answers["all_phases"]["repeated"]
    with sqlite3.connect(tmp_path / "work" / "answers.db") as db:
        (attempts,) = db.execute("SELECT COUNT(*) FROM attempts").fetchone()
        assert attempts == recorded > 0
        (daily,) = db.execute("SELECT COUNT(*) FROM attempts WHERE mode = 'daily'").fetchone()
        assert daily == answers["all_phases"]["ok_daily"] > 0
        (doubled,) = db.execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM attempts WHERE daily_date IS NOT NULL "
            "GROUP BY member_id, daily_date HAVING COUNT(*) > 1)"
        ).fetchone()
        assert doubled == 0
        wrong = db.execute(
            """SELECT m.id, COALESCE(s.points, 0), COALESCE(a.points, 0) FROM members m
               LEFT JOIN scores s ON s.member_id = m.id AND s.period = 'all'
               LEFT JOIN (SELECT member_id, SUM(points) AS points FROM attempts WHERE mode = 'daily'
                          GROUP BY member_id) a ON a.member_id = m.id
               WHERE COALESCE(s.points, 0) != COALESCE(a.points, 0)"""
        ).fetchall()
        assert wrong == []

    boards = sqlite_results["leaderboards"]
    assert set(boards["periods"]) == {"week", "month", "all"}
    for figures in boards["periods"].values():
        assert figures["service_median_ms"] > 0 and figures["group_by_median_ms"] > 0
        assert figures["boards_well_formed"]
        # The aggregate rows agree with a plain sum over the attempts.
        assert figures["top_points_service"] == figures["top_points_group_by"]

    fanout = sqlite_results["fanout"]
    if "skipped" not in fanout:
        assert fanout["finished"] and fanout["exactly_once"], fanout
        assert fanout["posts_sent"] == fanout["config"]["channels"]

    assert {row["scenario"].split()[0] for row in report["checks"]} == {"1", "2", "3"}


def test_spaced_review_runs_tiny_and_every_review_answer_is_recorded_once(tmp_path):
    report = run_bench(tmp_path, "--scenario", "6")
    review = report["results"]["sqlite"]["review"]
    for key in ("data", "build_s", "next_review", "next_review_done", "answers", "cycles", "all_phases", "integrity"):
        assert key in review, key
    data = review["data"]
    assert data["cards_per_member"] == min(300, data["bank_questions"])
    assert data["review_cards"] == data["members"] * data["cards_per_member"] > 0
    assert 0 < data["caught_up_members"] < data["members"]

    # Every next_review call came back with a question (members with cards due) or a ReviewsDone (caught-up
    # members), and the one the generated data says: the most overdue card and the due count, or done today
    # and due this week.
    due, done = review["next_review"], review["next_review_done"]
    assert due["calls"] > 0 and done["calls"] > 0
    assert due["errors"] == 0 and done["errors"] == 0, (due["error_samples"], done["error_samples"])
    assert due["returned_question"] == due["calls"] and done["returned_reviews_done"] == done["calls"]
    assert due["as_expected"] == due["calls"], due["mismatch_samples"]
    assert done["as_expected"] == done["calls"], done["mismatch_samples"]
    assert due["median_ms"] > 0 and done["median_ms"] > 0 and due["latency"]["p95_ms"] >= due["median_ms"]

    answers = review["answers"]
    assert answers["ok"] > 0 and answers["answers_per_s"] > 0
    assert answers["feedback_with_reviews_due"] == answers["ok"]  # each review answer says how many are left
    assert review["cycles"]["next_review"]["questions"] > 0 and review["cycles"]["ok"] > 0
    everything = review["all_phases"]
    assert everything["other_errors"] == 0, everything["error_samples"]
    assert everything["repeated"] == 0
    integrity = review["integrity"]
    assert integrity["ok"] is True, integrity
    assert integrity["review_answers_acknowledged"] == everything["ok"] > 0

    # The same, checked independently on the database the benchmark left behind: one review attempt per
    # acknowledged answer, each answer moved its card on once, and no card appeared or went.
    with sqlite3.connect(tmp_path / "work" / "review.db") as db:
        (attempts,) = db.execute("SELECT COUNT(*) FROM attempts WHERE mode = 'review'").fetchone()
        assert attempts - integrity["review_attempts_before"] == everything["ok"]
        (cards, orphans) = db.execute(
            "SELECT COUNT(*), SUM(question_id NOT IN (SELECT id FROM questions)) FROM review_cards"
        ).fetchone()
        assert cards == data["review_cards"] and orphans == 0
        (doubled,) = db.execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM review_cards GROUP BY member_id, question_id HAVING COUNT(*) > 1)"
        ).fetchone()
        assert doubled == 0

    rows = [row for row in report["checks"] if row["scenario"] == "6 review"]
    assert {row["scenario"].split()[0] for row in report["checks"]} == {"6"}
    medians = [row for row in rows if row["metric"].startswith("next_review")]
    assert len(medians) == 2 and all(row["target"] == "< 5 median" and row["ok"] is not None for row in medians)
    assert any(row["metric"].startswith("review answers,") and row["unit"] == "answers/s" for row in rows)
    assert any(row["metric"].startswith("build ") and row["target"] == "< 60" for row in rows)
    lost = next(row for row in rows if row["metric"].startswith("review answers lost"))
    assert lost["value"] == "0 / 0 / 0" and lost["ok"] is True


def test_startup_and_footprint_report_their_figures(tmp_path):
    report = run_bench(tmp_path, "--scenario", "4")
    startup = report["results"]["startup"]
    for key in ("fresh_db", "warm_db"):
        assert startup[key]["ready_median_s"] > 0 and startup[key]["exit_median_s"] >= startup[key]["ready_median_s"]
    assert startup["footprint"]["rss_mb"] > 0, startup["footprint"]


@pytest.mark.skipif(not POSTGRES_URL, reason="TEST_DATABASE_URL is not set")
def test_the_same_scenarios_run_on_postgresql(tmp_path):
    report = run_bench(tmp_path, "--scenario", "5", "--database-url", POSTGRES_URL)
    results = report["results"]["postgresql"]
    integrity = results["answers"]["integrity"]
    assert integrity["ok"] is True, integrity
    assert results["review"]["integrity"]["ok"] is True, results["review"]["integrity"]
    assert results["review"]["next_review"]["as_expected"] == results["review"]["next_review"]["calls"]
    for figures in results["leaderboards"]["periods"].values():
        assert figures["top_points_service"] == figures["top_points_group_by"]
    if "skipped" not in results["fanout"]:
        assert results["fanout"]["exactly_once"], results["fanout"]
