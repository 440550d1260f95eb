"""Scenario 4: start-up and footprint.

- `python -m bot console` as a child process with stdin "quit\\n" and the full bank: the time until
  its first line of output (the console is ready and reading commands; it prints no "> " prompt on a
  pipe) and until it has exited, on a fresh database (migrations + content sync) and on a warm one.
- the resident memory of a process that opened the service and imported (and built) the Discord and
  Slack adapters: bot.bench.footprint in a child process reports VmRSS/VmHWM from /proc/self/status.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bot.bench.common import bot_env, note


def time_console(database: Path, content_dir: Path, workdir: Path) -> dict[str, float]:
    env = bot_env(f"sqlite+aiosqlite:///{database}", content_dir)
    with tempfile.TemporaryFile("w+") as errors:
        began = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-m", "bot", "console"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            env=env,
            cwd=workdir,
            text=True,
        )
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write("quit\n")
        child.stdin.close()
        first = child.stdout.readline()  # the console's greeting: it is reading commands now
        ready = time.perf_counter() - began
        rest = child.stdout.read()
        child.wait(timeout=120)
        exited = time.perf_counter() - began
        if child.returncode != 0 or not first:
            errors.seek(0)
            raise RuntimeError(f"`python -m bot console` failed ({child.returncode}): {(errors.read() or rest)[-500:]}")
    return {"ready_s": round(ready, 3), "exit_s": round(exited, 3)}


def footprint(database: Path, content_dir: Path, workdir: Path) -> dict[str, Any]:
    env = bot_env(f"sqlite+aiosqlite:///{database}", content_dir)
    child = subprocess.run(
        [sys.executable, "-m", "bot.bench.footprint"],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        cwd=workdir,
        timeout=120,
    )
    if child.returncode != 0:
        return {"error": child.stderr.strip().splitlines()[-1] if child.stderr.strip() else f"exit {child.returncode}"}
    return json.loads(child.stdout.strip().splitlines()[-1])


def run(content_dir: Path, workdir: Path, runs: int = 3) -> dict[str, Any]:
    home = workdir / "startup"
    home.mkdir(exist_ok=True)
    note(f"scenario 4: `python -m bot console` start-up, {runs} fresh and {runs} warm runs")
    fresh = []
    for index in range(runs):
        database = home / f"fresh-{index}.db"
        fresh.append(time_console(database, content_dir, home))
    warm_db = home / "fresh-0.db"
    warm = [time_console(warm_db, content_dir, home) for _ in range(runs)]
    note("scenario 4: resident memory with the service open and both adapters imported")
    memory = footprint(warm_db, content_dir, home)
    return {
        "fresh_db": _sum(fresh),
        "warm_db": _sum(warm),
        "footprint": memory,
    }


def _sum(samples: list[dict[str, float]]) -> dict[str, Any]:
    return {
        "ready_median_s": round(statistics.median(s["ready_s"] for s in samples), 3),
        "exit_median_s": round(statistics.median(s["exit_s"] for s in samples), 3),
        "runs": samples,
    }
