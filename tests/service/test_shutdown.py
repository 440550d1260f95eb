"""Stopping the bot while database work is in flight (Ctrl-C, a front end failing, a redeploy)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

from tests.helpers import FIXTURE_CONTENT, an_answer

# Run in its own process: a hang here must fail this test, not freeze the whole suite.
STOP_MID_QUERY = textwrap.dedent(
    """
    import asyncio, sys
    from sqlalchemy import text
    from bot.store.db import create_engine

    SLOW_QUERY = text(
        "SELECT pg_sleep(2)" if sys.argv[1].startswith("postgresql") else
        "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 3000000) "
        "SELECT count(*) FROM n"
    )

    async def main(url):
        engine = create_engine(url)

        async def query():
            async with engine.connect() as connection:
                await connection.execute(SLOW_QUERY)

        queries = [asyncio.create_task(query()) for _ in range(3)]
        await asyncio.sleep(0.2)
        for task in queries:
            task.cancel()
        await asyncio.sleep(0)
        # Return with the connections still being torn down, as the process does on a signal.

    asyncio.run(main(sys.argv[1]))
    print("stopped")
    """
)


def test_the_process_stops_when_queries_are_cancelled_mid_flight(database_url: str) -> None:
    try:
        finished = subprocess.run(
            [sys.executable, "-c", STOP_MID_QUERY, database_url], capture_output=True, text=True, timeout=30
        )
    except subprocess.TimeoutExpired:
        raise AssertionError("the event loop never finished closing its database connections") from None
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.strip() == "stopped"
    assert "Traceback" not in finished.stderr


def test_sigterm_lets_answers_finish_and_exits_cleanly(database_url: str, tmp_path) -> None:
    """A deploy stops the bot with SIGTERM while a student is mid-session (stdin still open): it says it is
    stopping, keeps the answer it acknowledged, and exits 0 within the grace period."""
    env = {**os.environ, "DATABASE_URL": database_url, "STUDYBOT_CONTENT_DIR": str(FIXTURE_CONTENT)}
    bot = subprocess.Popen(
        [sys.executable, "-u", "-m", "bot", "console", "--user", "Ann"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    try:
        bot.stdin.write("daily\n")
        bot.stdin.flush()
        seen = ""
        deadline = time.monotonic() + 30
        while "Answer with" not in seen and time.monotonic() < deadline:
            seen += bot.stdout.readline()
        bot.stdin.write(an_answer(seen) + "\n")
        bot.stdin.flush()
        while "Correct!" not in seen and "Not quite." not in seen and time.monotonic() < deadline:
            seen += bot.stdout.readline()
        assert "Correct!" in seen or "Not quite." in seen, seen
        bot.send_signal(signal.SIGTERM)
        returncode = bot.wait(timeout=15)
    finally:
        if bot.poll() is None:
            bot.kill()
    stderr = bot.stderr.read()
    assert returncode == 0, stderr
    assert "stopping" in stderr and "Traceback" not in stderr
    check = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--user", "Ann"],
        input="stats\nquit\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=30,
    )
    assert "Answered 1 (1 daily, 0 practice, 0 review)" in check.stdout, check.stdout
