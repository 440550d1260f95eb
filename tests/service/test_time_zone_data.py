"""Time zones work on a machine without system time-zone data (Windows, slim containers): tzdata stands in."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.helpers import FIXTURE_CONTENT


def test_daily_and_leaderboard_answer_without_system_time_zone_data(tmp_path):
    env = {
        **os.environ,
        "PYTHONTZPATH": str(tmp_path / "no-zoneinfo-here"),  # zoneinfo finds nothing on the system
        "DATABASE_URL": f"sqlite:///{tmp_path / 'tz.db'}",
        "STUDYBOT_CONTENT_DIR": str(FIXTURE_CONTENT),
    }
    script = "schedule set 08:30 America/New_York\ndaily\nleaderboard\nquit\n"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console"],
        input=script,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "America/New_York" in result.stdout
    assert "Today's question" in result.stdout and "week of" in result.stdout
    assert "Something went wrong" not in result.stdout and "Traceback" not in result.stderr
