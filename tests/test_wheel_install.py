"""A wheel install (pip install ., pipx, a Dockerfile) is a whole bot: the bank and the migrations come with it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(
    *args: str | Path, cwd: Path, env: dict[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(arg) for arg in args], capture_output=True, text=True, cwd=cwd, env=env, input=stdin, timeout=240
    )


@pytest.mark.timeout(300)
@pytest.mark.skipif(shutil.which("uv") is None, reason="uv (in the test extra) builds and installs the wheel")
def test_a_wheel_installed_into_a_fresh_venv_runs_from_any_directory(tmp_path):
    built = run("uv", "build", "--wheel", "-q", "-o", tmp_path / "dist", ROOT, cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    [wheel] = (tmp_path / "dist").glob("studybot-*.whl")
    venv = tmp_path / "venv"
    assert run("uv", "venv", "-q", "-p", sys.executable, venv, cwd=tmp_path).returncode == 0
    python = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
    installed = run("uv", "pip", "install", "-q", "-p", python, wheel, cwd=tmp_path)
    assert installed.returncode == 0, installed.stderr

    elsewhere = tmp_path / "somewhere-else"
    elsewhere.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "STUDYBOT_CONTENT_DIR", "DISCORD_TOKEN", "SLACK_BOT_TOKEN"}
    }
    env["DATABASE_URL"] = f"sqlite:///{elsewhere / 'school.db'}"
    checked = run(python, "-m", "bot", "content", "check", cwd=elsewhere, env=env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Content OK" in checked.stdout and "site-packages" in checked.stdout  # the bank inside the wheel
    upgraded = run(python, "-m", "bot", "db", "upgrade", cwd=elsewhere, env=env)
    assert upgraded.returncode == 0 and "latest schema" in upgraded.stdout, upgraded.stderr
    console = run(python, "-m", "bot", "console", cwd=elsewhere, env=env, stdin="daily\nrival trotsky\nquit\n")
    assert console.returncode == 0, console.stderr
    assert "Today's question" in console.stdout and "Trotsky" in console.stdout
    assert "Traceback" not in console.stderr
