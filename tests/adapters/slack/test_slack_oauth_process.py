"""Two real bot processes (`python -m bot slack` with SLACK_CLIENT_ID and SLACK_CLIENT_SECRET, no bot token)
on one database, as a black box: the install page of one and the redirect to the other complete an
install (the state is in the database), both serve both workspaces with each one's own token, and no
token or secret reaches their logs. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bot.adapters.slack import EVENTS_PATH
from tests.adapters.slack.conftest import SlackHttp
from tests.adapters.slack.fake_oauth import CLIENT_ID, CLIENT_SECRET
from tests.adapters.slack.fake_slack import SIGNING_SECRET, FakeSlack, all_text
from tests.adapters.slack.installing import SCHOOL_A, SCHOOL_B, Installable, tokens_of
from tests.helpers import FIXTURE_CONTENT, free_port

ROOT = Path(__file__).resolve().parents[3]


class BotProcess:
    def __init__(self, fake: FakeSlack, database_url: str, log_path: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        env = {
            **os.environ,
            "SLACK_CLIENT_ID": CLIENT_ID,
            "SLACK_CLIENT_SECRET": CLIENT_SECRET,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": fake.api_url,
            "PORT": str(self.port),
            "DATABASE_URL": database_url,
            "STUDYBOT_CONTENT_DIR": str(FIXTURE_CONTENT),
            "LOG_LEVEL": "INFO",
        }
        for unset in ("DISCORD_TOKEN", "SLACK_APP_TOKEN", "SLACK_BOT_TOKEN"):
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
async def two_bots(fake_slack, database_url, tmp_path) -> AsyncIterator[tuple[BotProcess, BotProcess]]:
    # The first creates the tables (`db upgrade` at start); the second starts on the upgraded database.
    first = BotProcess(fake_slack, database_url, tmp_path / "first.log")
    bots = [first]
    try:
        async with aiohttp.ClientSession() as session:
            await first.ready(session)
            bots.append(BotProcess(fake_slack, database_url, tmp_path / "second.log"))
            await bots[1].ready(session)
        yield first, bots[1]
    finally:
        for bot in bots:
            if bot.process.poll() is None:
                bot.process.kill()
                bot.process.wait()


def served_by(bot: BotProcess, fake: FakeSlack, session: aiohttp.ClientSession) -> Installable:
    return Installable(SlackHttp(fake, bot.base + EVENTS_PATH, session), bot.base, scheduler=None)


@pytest.mark.timeout(120)
async def test_an_install_started_on_one_process_ends_on_another_and_both_serve_every_workspace(two_bots, fake_slack):
    first, second = two_bots
    fake_slack.users.update({"UADMIN": {"is_admin": True}})
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as session:
        on_first, on_second = served_by(first, fake_slack, session), served_by(second, fake_slack, session)
        for school in (SCHOOL_A, SCHOOL_B):
            _, _, state = await on_first.install_page()
            status, page = await on_second.redirect(fake_slack.installs.code_for(school), state, cookie=state)
            assert status == 200 and "Thank you!" in page, page

        for served in (on_first, on_second):
            for school in (SCHOOL_A, SCHOOL_B):
                since = len(fake_slack.calls)
                reply = await served.slack.ask("schedule", team=school.team, channel="C" + school.team, user="UADMIN")
                assert "no daily-question schedule" in all_text(reply)
                assert set(tokens_of(fake_slack, "users.info", since)) == {school.token}
                assert set(tokens_of(fake_slack, "auth.test", since)) == {school.token}  # first use here

    assert await first.stop() == 0 and await second.stop() == 0
    for bot in (first, second):
        log = bot.log()
        assert "Traceback" not in log and "level=ERROR" not in log, log
        for secret in (CLIENT_SECRET, SIGNING_SECRET, SCHOOL_A.token, SCHOOL_B.token):
            assert secret not in log, secret
