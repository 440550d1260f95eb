"""The console as a person uses it, in a pseudo-terminal: arrow keys edit the line, Up brings back the last
command (kept between sessions), Tab completes, and replies come in colour with tables and panels."""

from __future__ import annotations

import os
import sys
import time

import pexpect
import pytest

from tests.helpers import FIXTURE_CONTENT

LEFT, UP = "\x1b[D", "\x1b[A"


def start(tmp_path, **extra: str) -> pexpect.spawn:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'tty.db'}",
        "STUDYBOT_CONTENT_DIR": str(FIXTURE_CONTENT),
        "XDG_DATA_HOME": str(tmp_path / "data"),  # the history file goes here
        "TERM": "xterm-256color",
        "PROMPT_TOOLKIT_NO_CPR": "1",  # pexpect is no terminal that answers cursor-position requests
        **extra,
    }
    if "NO_COLOR" not in extra:
        env.pop("NO_COLOR", None)
    bot = pexpect.spawn(
        sys.executable,
        ["-m", "bot", "console"],
        env=env,
        cwd=str(tmp_path),
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 120),
    )
    bot.expect("Studying as Student")
    return bot


def type_line(bot: pexpect.spawn, *keys: str) -> None:
    """Type once the prompt is up (keys sent while prompt_toolkit switches the terminal to raw mode are
    flushed away, as they would be for a person typing before the prompt appeared), a key at a time."""
    bot.expect(">")  # the prompt (drawn with cursor moves, so only its first character is literal)
    time.sleep(0.5)
    for key in keys:
        bot.send(key)
        time.sleep(0.1)


def quit_with_ctrl_d(bot: pexpect.spawn) -> None:
    bot.expect(">")
    time.sleep(0.4)
    bot.sendcontrol("d")
    bot.expect(pexpect.EOF)


@pytest.mark.timeout(90)
def test_arrow_keys_edit_the_line_and_history_survives_a_restart(tmp_path):
    bot = start(tmp_path)
    type_line(bot, "aily", *[LEFT] * 4, "d", "\r")  # typed 'aily', went back to its start, added the 'd'
    bot.expect("Today's question")
    type_line(bot, "topics\r")
    bot.expect("Questions")  # a table's column heading, not the plain list
    quit_with_ctrl_d(bot)

    again = start(tmp_path)
    type_line(again, UP, UP, "\r")  # two commands back, from the last session: `daily`
    again.expect("Today's question")
    type_line(again, "leader", "\t", "\r")  # Tab completes the command
    again.expect("Leaderboard")
    quit_with_ctrl_d(again)
    history = (tmp_path / "data" / "studybot" / "console-history").read_text()
    assert "+daily" in history and "+topics" in history and "+leaderboard" in history


@pytest.mark.timeout(60)
def test_replies_are_coloured_at_a_terminal_and_plain_with_no_color(tmp_path):
    coloured = start(tmp_path)
    type_line(coloured, "rival trotsky\r")
    coloured.expect("Trotsky")
    coloured.expect("Posts held")
    assert "\x1b[1;35m" in coloured.before or "\x1b[35m" in coloured.before  # the styled section headings
    quit_with_ctrl_d(coloured)

    plain = start(tmp_path, NO_COLOR="1")
    type_line(plain, "rival trotsky\r")
    plain.expect("TROTSKY")  # the plain rendering's heading
    quit_with_ctrl_d(plain)
