"""The real bot process (`python -m bot slack`, HTTP mode) as a black box, over the wire: Slack's
signed requests go to its port, its Web API calls go to the fake Slack (SLACK_API_URL), on SQLite
and PostgreSQL.

Forged, stale and malformed requests get 400, 401 or 413 and leave no ERROR line, traceback, body or
secret in the process's log; among them real students still answer, SIGTERM stops it with exit 0,
and every answer it acknowledged is in the database."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import func, select

from bot.adapters.slack import EVENTS_PATH
from bot.bootstrap import open_service
from bot.store.models import Attempt
from tests.adapters.slack.conftest import SlackHttp
from tests.adapters.slack.fake_slack import BOT_TOKEN, SECRETS, SIGNING_SECRET, FakeSlack, all_text
from tests.adapters.slack.helpers import correct_text
from tests.adapters.slack.test_slack_forged_requests import MARK, MUTANT, SEED, Forger
from tests.helpers import FIXTURE_CONTENT, free_port

ROOT = Path(__file__).resolve().parents[3]
REQUESTS = 150
# Two of them with names that normalise to nothing: they fall back to the directory's full name, or the id.
STUDENTS = [("U000", "\u200b\u202e"), ("U001", "\u2066\u200f")] + [(f"U{n:03d}", f"student{n}") for n in range(2, 6)]
DIRECTORY = {
    "U000": {"profile": {"display_name": "\u200b"}},
    "U001": {"profile": {"display_name": "\u200b", "real_name": "Zoya Z."}},
}


class SlackProcess:
    def __init__(self, fake: FakeSlack, database_url: str, log_path: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        env = {
            **os.environ,
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": fake.api_url,
            "PORT": str(self.port),
            "DATABASE_URL": database_url,
            "STUDYBOT_CONTENT_DIR": str(FIXTURE_CONTENT),
            "LOG_LEVEL": "INFO",
        }
        for unset in ("DISCORD_TOKEN", "SLACK_APP_TOKEN"):
            env.pop(unset, None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "slack"],
            env=env,
            cwd=ROOT,
            stdout=log_path.open("w"),
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )

    def log(self) -> str:
        return self.log_path.read_text()

    async def ready(self, session: aiohttp.ClientSession) -> None:
        for _ in range(400):
            assert self.process.poll() is None, self.log()
            try:
                async with session.get(self.base + "/healthz") as health:
                    if health.status == 200:
                        return
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.05)
        raise AssertionError("the bot never listened:\n" + self.log())

    async def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return await asyncio.to_thread(self.process.wait, 40)


@pytest.fixture
async def slack_process(fake_slack, database_url, tmp_path) -> AsyncIterator[tuple[SlackProcess, SlackHttp]]:
    bot = SlackProcess(fake_slack, database_url, tmp_path / "slack.log")
    try:
        async with aiohttp.ClientSession() as session:
            await bot.ready(session)
            yield bot, SlackHttp(fake_slack, bot.base + EVENTS_PATH, session)
    finally:
        if bot.process.poll() is None:
            bot.process.kill()
            bot.process.wait()


async def answered(database_url: str) -> int:
    async with open_service(database_url, FIXTURE_CONTENT) as service, service.db.read_sessions() as session:
        return (await session.execute(select(func.count()).select_from(Attempt))).scalar_one()


@pytest.mark.timeout(120)
async def test_the_bot_process_refuses_forgeries_cleanly_and_keeps_every_answer(
    slack_process, fake_slack, database_url
):
    bot, slack = slack_process
    fake_slack.users.update(DIRECTORY)
    rng = random.Random(SEED)
    forger = Forger(rng, fake_slack.response_url())
    statuses: dict[int, int] = {}
    async with open_service(database_url, FIXTURE_CONTENT) as reader:
        students = iter(STUDENTS)
        for n in range(REQUESTS):
            if n % 25 == 0:  # a real student among the forgeries: the daily question, answered right
                user, name = next(students)
                question = await slack.ask("daily", user=user, name=name)
                feedback = await slack.ask(f"answer {correct_text(reader, question)}", user=user, name=name)
                assert "Correct!" in all_text(feedback), all_text(feedback)
                continue
            roll = rng.random()
            if roll < 0.5:
                raw, headers, expected = forger.forged()
            elif roll < 0.85:
                raw, headers, expected = forger.malformed()
            else:
                raw, headers, expected = forger.mutated()
            async with slack.session.post(slack.url, data=raw, headers=headers) as response:
                status, text = response.status, await response.text()
            assert status in expected, (SEED, n, status, text, raw[:200])
            assert len(text) < 100 and MARK not in text
            statuses[status] = statuses.get(status, 0) + 1
    assert {400, 401, 413} <= set(statuses), statuses
    board = all_text(await slack.ask("leaderboard", user="U002", name="student2"))
    assert "Zoya Z." in board and "U000" in board, board

    assert await bot.stop() == 0, bot.log()
    log = bot.log()
    assert "level=ERROR" not in log and "Traceback" not in log, log
    for text in (MARK, MUTANT, *SECRETS, "/response/"):
        assert text not in log, text
    assert "refused" in log  # the gate's rate-limited WARNING lines ...
    assert len(log.splitlines()) < 40, log  # ... not a line for each of the forgeries
    assert await answered(database_url) == len(STUDENTS)
