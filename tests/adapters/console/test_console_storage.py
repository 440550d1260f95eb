"""The console on a disk that fills up mid-session: the student is told the disk is full and that the
answer was not saved, sees no traceback, and carries on once there is room again."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from tests.helpers import FIXTURE_CONTENT, fill


def read_until(bot: subprocess.Popen, marker: str, timeout: float = 30) -> str:
    seen, deadline = "", time.monotonic() + timeout
    while marker not in seen and time.monotonic() < deadline:
        seen += bot.stdout.readline()
    assert marker in seen, seen
    return seen


@pytest.mark.timeout(90)
def test_a_full_disk_is_named_and_the_session_goes_on(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)], capture_output=True).returncode:
        pytest.skip("mounting a small file system needs root")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{disk / 'class.db'}", "STUDYBOT_CONTENT_DIR": str(FIXTURE_CONTENT)}
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
        read_until(bot, "Answer with")
        filler = fill(disk)
        bot.stdin.write("answer A\n")
        bot.stdin.flush()
        refused = read_until(bot, "Please try again")
        assert "the disk is full; your answer was not saved" in refused
        filler.unlink()
        bot.stdin.write("answer A\nstats\nquit\n")
        bot.stdin.flush()
        rest = read_until(bot, "Stats for Ann")
        assert "Correct!" in rest or "Not quite." in rest
        bot.stdin.close()
        assert bot.wait(timeout=30) == 0
        errors = bot.stderr.read()
    finally:
        if bot.poll() is None:
            bot.kill()
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)
    assert "Traceback" not in errors and "disk is full" in errors, errors  # one warning line, no stack
