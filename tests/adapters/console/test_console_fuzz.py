"""The console fed random bytes, as a broken pipe or a pasted binary would: it answers every line, ends
with exit 0, and never shows a traceback."""

from __future__ import annotations

import os
import random
import subprocess
import sys

import pytest

from tests.helpers import FIXTURE_CONTENT

WORDS = ["daily", "answer", "quiz", "leaderboard", "rival", "explain", "stats", "user", "schedule", "A", "true"]


def random_line(rng: random.Random) -> bytes:
    kind = rng.randrange(4)
    if kind == 0:  # any bytes at all, invalid UTF-8 included
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 80))).replace(b"\n", b"")
    if kind == 1:  # a command with strange text after it
        tail = "".join(
            chr(rng.choice([rng.randrange(32, 127), rng.randrange(0x80, 0x3000), 0x200B, 0x202E]))
            for _ in range(rng.randrange(0, 40))
        )
        return f"{rng.choice(WORDS)} {tail}".encode("utf-8", errors="surrogatepass")
    if kind == 2:  # an overlong line
        return rng.choice(WORDS).encode() + b" " + b"x" * rng.randrange(500, 5000)
    return rng.choice(WORDS).encode() + b" \xff\xfe" + bytes([rng.randrange(128, 256)])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_bytes_never_stop_the_console_or_show_a_traceback(tmp_path, seed):
    rng = random.Random(seed)
    script = b"\n".join(random_line(rng) for _ in range(60)) + b"\nforget-me\nno\nstats\nquit\n"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fuzz.db'}",
        "STUDYBOT_CONTENT_DIR": str(FIXTURE_CONTENT),
        "LANG": "C",  # a strict locale: stdin decoding must not be what stops it
        "LC_ALL": "C",
        "PYTHONIOENCODING": "",
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console"], input=script, capture_output=True, env=env, cwd=tmp_path, timeout=120
    )
    out, err = result.stdout.decode("utf-8", "replace"), result.stderr.decode("utf-8", "replace")
    assert result.returncode == 0, err
    assert "Traceback" not in err and "Traceback" not in out
    assert "Something went wrong" not in out
    assert "Stats for Student" in out  # it got to the end and still worked
