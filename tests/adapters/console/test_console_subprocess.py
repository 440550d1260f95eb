"""The console front end end to end: `python -m bot` as a subprocess, fed through a pipe."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import FIXTURE_CONTENT

TOKENS = ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET")


def run_bot(
    args: list[str], stdin: str, *, db: Path, content: Path = FIXTURE_CONTENT, cwd: Path | None = None, **env: str
):  # noqa: ANN201
    environment = {k: v for k, v in os.environ.items() if k not in TOKENS}
    environment.update(DATABASE_URL=f"sqlite+aiosqlite:///{db}", STUDYBOT_CONTENT_DIR=str(content), **env)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        cwd=cwd,
    )


def test_a_scripted_session_scores_and_fills_the_leaderboard(tmp_path):
    db = tmp_path / "class.db"
    ann = run_bot(["console", "--user", "Ann"], "daily\nleaderboard\nquit\n", db=db)
    assert ann.returncode == 0, ann.stderr
    assert "Today's question" in ann.stdout and "Traceback" not in ann.stdout + ann.stderr
    # Find the right answer from the shipped fixture by asking for the daily question and reading its prompt.
    prompt = re.search(r"Today's question \u00b7 .*\n(.*)\n", ann.stdout).group(1)
    answers = {
        "From what date was Stalin General Secretary?": "3 April 1922",
        "Trotsky was expelled from the party in November 1927.": "true",
        "Which rival chaired the Leningrad Soviet until 1926?": "Zinovyev",
        "In which year did the Scissors Crisis peak?": "in 1923",
        'Who said "Enrich yourselves" to the peasants in 1925?': "Bukharin",
    }
    ann = run_bot(["console", "--user", "Ann"], f"daily\nanswer {answers[prompt]}\nanswer again\n", db=db)
    assert "\u2714 Correct!" in ann.stdout and "+10 points" in ann.stdout
    assert "no question waiting" in ann.stdout  # the answered question is no longer pending
    bob = run_bot(["console", "--user", "Bob"], "daily\nanswer B\nuser Cat\nleaderboard all\nstats\n", db=db)
    assert bob.returncode == 0
    board = bob.stdout.split("Leaderboard")[1]
    assert re.search(r"1\. Ann\s+10", board)
    assert "You're not on this board yet." in board
    assert "Stats for Cat" in bob.stdout


def test_plain_python_m_bot_without_tokens_opens_the_console_and_says_how_to_connect(tmp_path):
    result = run_bot([], "help\nquit\n", db=tmp_path / "x.db")
    assert result.returncode == 0
    assert "DISCORD_TOKEN" in result.stderr and "SLACK_BOT_TOKEN" in result.stderr
    assert "rival <name>" in result.stdout


def test_bad_input_gets_clear_messages_and_no_traceback(tmp_path):
    lines = [
        "dialy",
        "quiz the cold war",
        "rival Napoleon",
        "rival trotksy",
        "explain NEP",
        "answer",
        "answer " + "x" * 600,
        "leaderboard fortnight",
        "\x1b[31mdaily\x07",
        "\u0411\u0443\u0445\u0430\u0440\u0438\u043d \U0001f600",
        "forget-me",
        "no",
        "quit",
    ]
    result = run_bot(["console"], "\n".join(lines) + "\n", db=tmp_path / "x.db")
    out = result.stdout
    assert result.returncode == 0 and "Traceback" not in out + result.stderr
    assert "I don't know the command \u201cdialy\u201d. Did you mean `daily`?" in out
    assert "There is no topic \u201cthe cold war\u201d" in out
    assert "I don't have a card for \u201cNapoleon\u201d" in out
    assert "LEON TROTSKY" in out and "NEW ECONOMIC POLICY" in out
    assert "is too long" in out
    assert "is not a period" in out
    assert "Kept everything. Nothing was deleted." in out


def test_a_database_that_cannot_be_opened_is_named_and_exits_non_zero(tmp_path):
    missing = tmp_path / "no" / "such" / "dir" / "bot.db"
    result = run_bot(["console"], "quit\n", db=missing)
    assert result.returncode == 2
    assert str(missing.parent) in result.stderr and "Traceback" not in result.stderr
    unreadable = tmp_path / "notadb.db"
    unreadable.write_bytes(b"this is not a database" * 100)
    result = run_bot(["console"], "quit\n", db=unreadable)
    assert result.returncode == 2 and str(unreadable) in result.stderr and "Traceback" not in result.stderr


def test_invalid_content_refuses_to_start_with_the_report(tmp_path):
    content = tmp_path / "content"
    import shutil

    shutil.copytree(FIXTURE_CONTENT, content)
    (content / "questions" / "bad.yaml").write_text("questions:\n  - id: b-1\n    topic: rise\n")
    result = run_bot(["console"], "quit\n", db=tmp_path / "x.db", content=content)
    assert result.returncode == 1
    assert "The content is invalid" in result.stderr
    assert "content/questions/bad.yaml:2: b-1: missing key 'kind'" in result.stderr
    assert not (tmp_path / "x.db").exists()  # nothing half-written


def test_content_check_reports_problems_and_a_summary(tmp_path):
    ok = run_bot(["content", "check"], "", db=tmp_path / "x.db")
    assert (
        ok.returncode == 0
        and "Content OK: 5 questions" in ok.stdout
        and "cards: 5 figures, 2 glossary terms" in ok.stdout
    )
    bad = run_bot(["content", "check", "--dir", str(tmp_path)], "", db=tmp_path / "x.db")
    assert bad.returncode == 1 and "no questions found" in bad.stdout


@pytest.mark.parametrize("front_end", ["discord", "slack"])
def test_chat_front_ends_without_tokens_say_what_is_missing(tmp_path, front_end):
    result = run_bot([front_end], "", db=tmp_path / "x.db")
    assert result.returncode == 2 and "needs" in result.stderr and "TOKEN" in result.stderr


def test_secrets_never_reach_the_output(tmp_path):
    result = run_bot(
        ["db", "upgrade"],
        "",
        db=tmp_path / "x.db",
        DISCORD_TOKEN="dtok-Zq9xK41",
        SLACK_BOT_TOKEN="xoxb-Pw7rT22",
        LOG_LEVEL="DEBUG",
    )
    assert result.returncode == 0 and "latest schema" in result.stdout
    assert "Zq9xK41" not in result.stdout + result.stderr and "Pw7rT22" not in result.stdout + result.stderr


def test_help_on_every_command(tmp_path):
    for args in (["--help"], ["console", "--help"], ["db", "--help"], ["content", "--help"], ["slack", "--help"]):
        result = run_bot(args, "", db=tmp_path / "x.db")
        assert result.returncode == 0 and "usage:" in result.stdout


def test_schedule_commands_in_the_console(tmp_path):
    script = (
        "schedule show\nschedule set\nschedule set 08:30 Europe/Paris mon,wed topics=rivals board=off\n"
        "schedule pause 2026-12-19..2027-01-04\nschedule off\nquit\n"
    )
    out = run_bot(["console"], script, db=tmp_path / "x.db").stdout
    assert "No daily-question schedule here." in out
    assert "Give a time: `schedule set 08:30 Europe/London mon-fri`." in out
    assert "Daily question at 08:30 Europe/Paris, Mon, Wed." in out and "Topics: The rivals." in out
    assert "Weekly leaderboard" not in out
    assert "Paused 19 Dec 2026 to 04 Jan 2027." in out
