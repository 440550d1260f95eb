"""The console (`python -m bot console`, a subprocess) when the database's state fails it mid-session: a
disk that fills up, a file system remounted read-only, a PostgreSQL connection that drops. Each time the
student is told the cause and that the answer was not saved, sees no traceback, and carries on once the
database is back."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.helpers import FIXTURE_CONTENT, POSTGRES_URL, Proxy, an_answer, fill, reset_postgres


def read_until(bot: subprocess.Popen, marker: str, timeout: float = 30) -> str:
    seen, deadline = "", time.monotonic() + timeout
    while marker not in seen and time.monotonic() < deadline:
        seen += bot.stdout.readline()
    assert marker in seen, seen
    return seen


def console(database_url: str, cwd: Path) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url, "STUDYBOT_CONTENT_DIR": str(FIXTURE_CONTENT)}
    return subprocess.Popen(
        [sys.executable, "-u", "-m", "bot", "console", "--user", "Ann"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=cwd,
    )


def say(bot: subprocess.Popen, *lines: str) -> None:
    bot.stdin.write("".join(line + "\n" for line in lines))
    bot.stdin.flush()


def finish(bot: subprocess.Popen, answer: str) -> str:
    """Answers again now the database is back, quits, and returns what went to stderr."""
    say(bot, answer, "stats", "quit")
    rest = read_until(bot, "Stats for Ann")
    assert "Correct!" in rest or "Not quite." in rest
    bot.stdin.close()
    assert bot.wait(timeout=30) == 0
    errors = bot.stderr.read()
    assert "Traceback" not in errors, errors
    return errors


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)], capture_output=True).returncode:
        pytest.skip("mounting a small file system needs root")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], capture_output=True)


@pytest.mark.timeout(90)
def test_a_full_disk_is_named_and_the_session_goes_on(small_disk, tmp_path):
    bot = console(f"sqlite:///{small_disk / 'class.db'}", tmp_path)
    try:
        say(bot, "daily")
        answer = an_answer(read_until(bot, "Answer with"))
        filler = fill(small_disk)
        say(bot, answer)
        refused = read_until(bot, "Please try again")
        assert "the disk is full; your answer was not saved" in refused
        filler.unlink()
        errors = finish(bot, answer)
    finally:
        if bot.poll() is None:
            bot.kill()
    assert "disk is full" in errors, errors  # one warning line, no stack


@pytest.mark.timeout(90)
def test_a_database_on_a_file_system_gone_read_only_is_named_with_the_path(small_disk, tmp_path):
    # A file system cannot be remounted read-only under an open database, so the console meets it at
    # its next start, as after a host's disk error remounted it (ext4's errors=remount-ro).
    path = small_disk / "class.db"
    bot = console(f"sqlite:///{path}", tmp_path)
    say(bot, "daily", "quit")
    assert bot.wait(timeout=30) == 0
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    try:
        bot = console(f"sqlite:///{path}", tmp_path)
        out, errors = bot.communicate("daily\nquit\n", timeout=30)
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)
    assert bot.returncode == 2, (out, errors)
    assert f"the database file is read-only: {path}" in errors, errors
    assert "Traceback" not in out + errors and "safe" not in out + errors


@pytest.mark.timeout(90)
@pytest.mark.skipif(not POSTGRES_URL, reason="TEST_DATABASE_URL is not set")
async def test_a_lost_database_connection_is_named_and_the_session_goes_on(tmp_path):
    await reset_postgres(POSTGRES_URL)
    real = make_url(POSTGRES_URL)
    proxy = Proxy(real.port or 5432)
    await proxy.start()
    bot = console(real.set(port=proxy.port).render_as_string(hide_password=False), tmp_path)
    try:
        say(bot, "daily")
        answer = an_answer(await asyncio.to_thread(read_until, bot, "Answer with"))
        await proxy.cut()
        say(bot, answer)
        refused = await asyncio.to_thread(read_until, bot, "try again")
        assert "the database is unreachable; your answer was not saved" in refused, refused
        assert "safe" not in refused
        await proxy.restore()
        await asyncio.to_thread(finish, bot, answer)
    finally:
        if bot.poll() is None:
            bot.kill()
        await proxy.close()
