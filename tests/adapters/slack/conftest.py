"""Slack adapter fixtures: the real bolt app served on 127.0.0.1, talking to the fake Slack
(`fake_slack`, from tests/adapters/conftest.py)."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack import EVENTS_PATH, SlackPublisher, create_app, web_runner
from bot.core.publishing import Publishers
from bot.scheduler import Scheduler
from bot.service import StudyService
from tests.adapters.slack.fake_slack import (
    BOT_TOKEN,
    FakeSlack,
    block_actions_payload,
    command_form,
    form_body,
    payload_body,
    signed_headers,
    view_submission_payload,
)
from tests.adapters.slack.helpers import make_settings


@dataclass
class SlackHttp:
    """Sends signed requests to the bolt app the way Slack does, and reads the replies."""

    fake: FakeSlack
    url: str
    session: aiohttp.ClientSession

    async def post(self, body: str, headers: dict[str, str]) -> tuple[int, str, float]:
        started = time.monotonic()
        async with self.session.post(self.url, data=body.encode(), headers=headers) as response:
            return response.status, await response.text(), time.monotonic() - started

    async def send(self, body: str, *, retry: int | None = None) -> tuple[int, str]:
        headers = signed_headers(body)
        if retry is not None:
            headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        status, text, elapsed = await self.post(body, headers)
        assert elapsed < 3, f"acked after {elapsed:.1f}s; Slack gives up after 3"
        return status, text

    async def command(self, text: str, *, retry: int | None = None, **who: str) -> str:
        """Runs `/study <text>`; returns the response_url the reply goes to."""
        response_url = self.fake.response_url()
        status, body = await self.send(form_body(command_form(text, response_url=response_url, **who)), retry=retry)
        assert (status, body) == (200, ""), (status, body)
        return response_url

    async def ask(self, text: str, **who: str) -> dict[str, Any]:
        """`/study <text>` and the ephemeral reply it gets."""
        return await self.fake.reply(await self.command(text, **who))

    async def click(self, button: dict[str, Any], *, retry: int | None = None, **who: str) -> str:
        response_url = self.fake.response_url()
        payload = block_actions_payload(button, response_url=response_url, **who)
        status, body = await self.send(payload_body(payload), retry=retry)
        assert status == 200, (status, body)
        return response_url

    async def press(self, button: dict[str, Any], **who: str) -> dict[str, Any]:
        """Clicks a button and returns the ephemeral reply."""
        return await self.fake.reply(await self.click(button, **who))

    async def submit(
        self, view: dict[str, Any], answer: str | dict[str, str], **who: str
    ) -> tuple[int, dict[str, Any] | None]:
        status, body = await self.send(payload_body(view_submission_payload(view, answer, **who)))
        return status, json.loads(body) if body else None


@pytest.fixture
async def slack(service: StudyService, fake_slack: FakeSlack) -> AsyncIterator[SlackHttp]:
    async with serving(service, fake_slack) as app:
        yield app


@pytest.fixture
async def any_slack(any_service: StudyService, fake_slack: FakeSlack) -> AsyncIterator[SlackHttp]:
    """The Slack app over the service on SQLite, and on PostgreSQL too when TEST_DATABASE_URL is set."""
    async with serving(any_service, fake_slack) as app:
        yield app


@pytest.fixture
def scheduler(service: StudyService, fake_slack: FakeSlack) -> Scheduler:
    """The real scheduler over the service, posting with SlackPublisher into the fake Slack."""
    publisher = SlackPublisher(AsyncWebClient(token=BOT_TOKEN, base_url=fake_slack.api_url))
    return Scheduler(service.posts, Publishers({"slack": publisher}))


@asynccontextmanager
async def serving(service: StudyService, fake_slack: FakeSlack) -> AsyncIterator[SlackHttp]:
    client = AsyncWebClient(token=BOT_TOKEN, base_url=fake_slack.api_url)
    app = create_app(service, make_settings(), client=client)
    runner = web_runner(app)  # as _run_http serves it
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    async with aiohttp.ClientSession() as session:
        yield SlackHttp(fake_slack, f"http://127.0.0.1:{port}{EVENTS_PATH}", session)
    await runner.cleanup()
