"""Starting the bot as a host or a new contributor would: honest about what it needs and what it uses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.store import migrate
from tests.helpers import FIXTURE_CONTENT, POSTGRES_URL

ROOT = Path(__file__).resolve().parent.parent
TOKENS = ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "DYNO", "LOG_LEVEL")


def bot(*args: str, env: dict[str, str] | None = None, cwd: Path, **options) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if key not in TOKENS and key != "DATABASE_URL"}
    clean |= {"STUDYBOT_CONTENT_DIR": str(FIXTURE_CONTENT)} | (env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=clean, cwd=cwd, timeout=60, **options
    )


def test_a_worker_with_no_tokens_and_nothing_to_read_says_what_to_set_and_fails(tmp_path):
    result = bot(env={"DATABASE_URL": f"sqlite:///{tmp_path / 'a.db'}"}, cwd=tmp_path, stdin=subprocess.DEVNULL)
    assert result.returncode == 2
    assert "DISCORD_TOKEN" in result.stderr and "SLACK_BOT_TOKEN" in result.stderr
    assert "Traceback" not in result.stderr


def test_piped_commands_still_run_the_console(tmp_path):
    result = bot(env={"DATABASE_URL": f"sqlite:///{tmp_path / 'a.db'}"}, cwd=tmp_path, input="topics\nquit\n")
    assert result.returncode == 0 and "Topics" in result.stdout


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("PORT", "abc", "PORT should be a port number"),
        ("DISCORD_GUILD_IDS", "one,two", "DISCORD_GUILD_IDS should be"),
        ("DISCORD_SHARD_IDS", "0,1", "DISCORD_SHARD_IDS should be the shards this process runs"),  # no count
        ("DISCORD_SHARD_COUNT", "0", "DISCORD_SHARD_COUNT should be the number of shards"),
    ],
)
def test_a_bad_setting_is_named_with_the_form_it_takes(tmp_path, variable, value, expected):
    result = bot("console", env={variable: value}, cwd=tmp_path, input="quit\n")
    assert result.returncode == 2 and expected in result.stderr
    assert "validation error" not in result.stderr and "Traceback" not in result.stderr


def test_sqlite_on_a_host_with_an_ephemeral_disk_is_warned_about(tmp_path):
    env = {"DYNO": "worker.1", "DATABASE_URL": "sqlite:///studybot.db"}
    result = bot("console", env=env, cwd=tmp_path, input="quit\n")
    assert result.returncode == 0
    assert "Heroku" in result.stderr and "PostgreSQL" in result.stderr


@pytest.mark.skipif(not POSTGRES_URL, reason="TEST_DATABASE_URL is not set")
def test_the_database_in_use_is_logged_once_with_its_password_masked(tmp_path):
    with_password = make_url(POSTGRES_URL).set(drivername="postgres", password="hunter2-secret")  # trust auth
    url = with_password.render_as_string(hide_password=False)
    result = bot("console", env={"DATABASE_URL": url, "LOG_LEVEL": "INFO"}, cwd=tmp_path, input="quit\n")
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("database: postgresql+asyncpg://") == 1
    assert "hunter2-secret" not in result.stderr + result.stdout


def test_alembic_works_from_the_repository_root(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'alembic.db'}"}
    run = lambda *args: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "alembic", *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60
    )
    upgraded = run("upgrade", "head")
    assert upgraded.returncode == 0, upgraded.stderr
    current = run("current")
    assert current.returncode == 0 and f"{migrate.head_revision()} (head)" in current.stdout
    before = set((ROOT / "migrations" / "versions").iterdir())
    try:
        generated = run("revision", "--autogenerate", "-m", "nothing changed")
        assert generated.returncode == 0, generated.stderr
        [new] = set((ROOT / "migrations" / "versions").iterdir()) - before
        assert "def upgrade" in new.read_text()
    finally:
        for path in set((ROOT / "migrations" / "versions").iterdir()) - before:
            path.unlink()


def test_the_alembic_command_keeps_every_answer_of_a_database_with_data(tmp_path):
    """`alembic upgrade head` (as the README's contributors run it) rebuilds tables on SQLite like the bot's
    own start-up does: with foreign keys off, so no cascade deletes the rows that point at them."""
    import sqlite3

    path = tmp_path / "old.db"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}"}
    run = lambda *args: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "alembic", *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60
    )
    assert run("upgrade", "0004").returncode == 0
    with sqlite3.connect(path) as db:
        db.executescript(
            "INSERT INTO communities (id, platform, external_id, name, timezone, created_at) "
            "VALUES (1, 'discord', 'g', 'S', 'Europe/London', '2026-10-01');"
            "INSERT INTO members (id, community_id, external_id, display_name, current_streak, best_streak, "
            "created_at) VALUES (1, 1, 'u', 'Ann', 0, 0, '2026-10-01');"
            "INSERT INTO topics (id, title, area, retired) VALUES ('t', 'T', 'a', 0);"
            "INSERT INTO questions (id, topic_id, kind, prompt, body, content_hash, retired, updated_at) "
            "VALUES ('q', 't', 'true_false', 'p', '{}', 'h', 0, '2026-10-01');"
            "INSERT INTO attempts (id, member_id, community_id, question_id, mode, daily_date, answer_given, correct, "
            "points, streak, created_at) VALUES (1, 1, 1, 'q', 'daily', '2026-10-05', 'x', 1, 10, 1, '2026-10-05');"
            "INSERT INTO scores (member_id, period, period_start, community_id, points) "
            "VALUES (1, 'all', '2000-01-01', 1, 10);"
        )
    upgraded = run("upgrade", "head")
    assert upgraded.returncode == 0, upgraded.stderr
    with sqlite3.connect(path) as db:
        counts = [
            db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in ("attempts", "scores", "members")
        ]
        cards = db.execute("SELECT count(*) FROM review_cards").fetchone()[0]
    assert counts == [1, 1, 1] and cards == 1


def test_a_host_writes_a_class_report_chart_summary_and_csv(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'a.db'}"}
    typed = "quiz rise\nanswer A\nquiz rise\nanswer B\nquiz rise\nanswer C\nquit\n"  # one question, 3 answers
    assert bot("console", "--user", "Ann", env=env, cwd=tmp_path, input=typed).returncode == 0
    out = tmp_path / "reports"
    out.mkdir()
    result = bot(
        "report", "--platform", "console", "--community", "local-class", "--out", str(out), env=env, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    [png] = out.glob("*.png")
    [summary] = out.glob("*.md")
    [answers] = out.glob("*.csv")
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") and png.stat().st_size > 5_000
    text = summary.read_text(encoding="utf-8")
    assert "1 of 1 members answered; 3 answers" in text and "| Ann | 3 |" in text
    assert len(answers.read_text(encoding="utf-8-sig").splitlines()) == 4  # the header and three answers
    assert "3 answers" in result.stdout


def test_a_report_for_a_class_that_does_not_exist_says_so(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'a.db'}"}
    result = bot("report", "--platform", "discord", "--community", "123", "--out", str(tmp_path), env=env, cwd=tmp_path)
    assert result.returncode == 2 and "no class here" in result.stderr and "Traceback" not in result.stderr
    bad = bot("report", "--platform", "discord", "--community", "1", "--period", "fortnight", env=env, cwd=tmp_path)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
