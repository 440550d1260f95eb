"""The log lines: one per event, key=value (or JSON), with the platform, community and use case where
known, no student's name, and never a token, whoever logged it (our code, discord.py, bolt, slack_sdk)."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from pydantic import SecretStr

from bot.bootstrap import open_bot
from bot.config import Settings
from bot.core.actor import Actor, Platform
from bot.ops import logs
from bot.service.classes import CONFIRMATION
from tests.adapters.discord.helpers import ANNA, SCHOOL_A
from tests.adapters.slack.fake_slack import APP_TOKEN, BOT_TOKEN, all_text, command_form
from tests.helpers import FIXTURE_CONTENT, free_port
from tests.ops.helpers import quick_discord, running, slack_through

DISCORD_TOKEN = "fake-discord-token-Q7w3"
DB_PASSWORD = "pg-password-Hh81x"


@contextmanager
def captured(level: int, style: str = "keyvalue", secrets: tuple[str, ...] = ()) -> Iterator[io.StringIO]:
    """Every record in the process, formatted as the bot formats them, into a string."""
    stream = io.StringIO()
    writer = logs.handler(style, secrets, stream)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(writer)
    root.setLevel(level)
    try:
        yield stream
    finally:
        root.removeHandler(writer)
        root.setLevel(old_level)


def record(message: str, *args: object, name: str = "bot.test", exc_info: object = None) -> logging.LogRecord:
    return logging.LogRecord(name, logging.WARNING, __file__, 1, message, args, exc_info)


def test_a_record_is_one_key_value_line_with_quoted_values_and_the_secrets_masked():
    formatter = logs.KeyValueFormatter(secrets=["s3cret-token-value"])
    try:
        raise ValueError('bad "thing"\nwith s3cret-token-value inside')
    except ValueError as error:
        line = formatter.format(
            record(
                'said "%s" = %s', "hi there", "s3cret-token-value", exc_info=(type(error), error, error.__traceback__)
            )
        )
    assert "\n" not in line and "s3cret-token-value" not in line and "[secret]" in line
    assert line.startswith("time=") and " level=WARNING logger=bot.test " in line
    assert 'msg="said \\"hi there\\" = [secret]"' in line
    assert 'traceback="Traceback (most recent call last):\\n' in line


def test_json_lines_carry_the_same_fields():
    with logs.bound(platform="slack", community="T042", use_case="leaderboard"):
        line = logs.JsonFormatter().format(record("shown %d rows", 3))
    fields = json.loads(line)
    assert fields["msg"] == "shown 3 rows" and fields["level"] == "WARNING"
    assert (fields["platform"], fields["community"], fields["use_case"]) == ("slack", "T042", "leaderboard")
    outside = json.loads(logs.JsonFormatter().format(record("after", name="discord.gateway")))
    assert outside["platform"] == "discord" and "use_case" not in outside  # from the logger's name only


async def test_a_use_case_s_lines_name_its_platform_community_and_use_case_and_no_student(sqlite_url, clock):
    teacher = Actor(Platform.DISCORD, "771100000000000001", "661100000000000001", "Ms Ottoline Quarrie", True)
    pupil = Actor(Platform.DISCORD, teacher.community_id, "551100000000000001", "Zelda Pemberton-Quist")
    async with open_bot(sqlite_url, FIXTURE_CONTENT, clock=clock) as bot:
        await bot.service.daily_question(pupil)
        with captured(logging.INFO) as stream:
            await bot.service.delete_class(teacher, CONFIRMATION)
    lines = [line for line in stream.getvalue().splitlines() if "deleted by a teacher" in line]
    assert len(lines) == 1, stream.getvalue()
    assert " platform=discord community=771100000000000001 use_case=delete_class " in lines[0]
    assert "Zelda" not in stream.getvalue() and "Ottoline" not in stream.getvalue()


async def test_no_token_reaches_the_log_even_at_debug(fake, fake_slack, sqlite_url, clock, monkeypatch):
    quick_discord(monkeypatch)
    slack_through(monkeypatch, fake_slack.api_url)
    settings = Settings(
        _env_file=None,
        database_url=f"postgresql://studybot:{DB_PASSWORD}@127.0.0.1:1/studybot",  # only its password is used
        discord_token=DISCORD_TOKEN,
        slack_bot_token=SecretStr(BOT_TOKEN),
        slack_app_token=SecretStr(APP_TOKEN),
        slack_api_url=fake_slack.api_url,
        port=free_port(),
    )
    with captured(logging.DEBUG, secrets=tuple(settings.secret_values())) as stream:
        async with (
            open_bot(sqlite_url, FIXTURE_CONTENT, clock=clock) as bot,
            running(bot, settings, ["discord", "slack"]),
        ):
            await fake_slack.wait_for(lambda: fake_slack.api_calls("apps.connections.open"))
            for _ in range(300):
                if fake.connections:
                    break
                await asyncio.sleep(0.01)
            logging.getLogger("bot.test").debug("a careless line with %s and %s", DISCORD_TOKEN, DB_PASSWORD)
            assert "Question of the day" in (await fake.slash("daily", ANNA, SCHOOL_A)).text
            response_url = fake_slack.response_url()
            await fake_slack.send_envelope(
                {
                    "envelope_id": "env-logs",
                    "type": "slash_commands",
                    "accepts_response_payload": True,
                    "payload": command_form("daily", response_url=response_url),
                }
            )
            await fake_slack.ack_for("env-logs")
            assert "Daily question" in all_text(await fake_slack.reply(response_url))
    text = stream.getvalue()
    assert "a careless line with [secret] and [secret]" in text
    for secret in (DISCORD_TOKEN, BOT_TOKEN, APP_TOKEN, DB_PASSWORD):
        assert secret not in text, secret
    lines = text.splitlines()
    assert all(line.startswith("time=") for line in lines), "one line per event"
    assert any(" platform=discord " in line for line in lines) and any(" platform=slack " in line for line in lines)
