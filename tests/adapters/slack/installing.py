"""What the "Add to Slack" tests share: the app as any workspace installs it (SLACK_CLIENT_ID and
SLACK_CLIENT_SECRET, no SLACK_BOT_TOKEN), served on 127.0.0.1 over the fake Slack, and the install a
browser goes through: GET /slack/install, Slack's consent (the fake hands out a code), GET the redirect."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import aiohttp
from aiohttp import web
from pydantic import SecretStr

from bot.adapters.slack import EVENTS_PATH, create_app, publisher_for, web_runner
from bot.core.publishing import Publishers
from bot.scheduler import Scheduler
from bot.service import StudyService
from tests.adapters.slack.conftest import SlackHttp
from tests.adapters.slack.fake_oauth import CLIENT_ID, CLIENT_SECRET, Workspace
from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.slack.helpers import make_settings

COOKIE = "slack-app-oauth-state"
SCHOOL_A = Workspace("TA", "xoxb-school-a-0001", "BA", "UBOTA")
SCHOOL_B = Workspace("TB", "xoxb-school-b-0002", "BB", "UBOTB")


@dataclass
class Installable:
    """The app served on 127.0.0.1: `slack` sends signed requests to /slack/events, `base` is its root,
    `scheduler` posts with the publisher `run()` gives the scheduler."""

    slack: SlackHttp
    base: str
    scheduler: Scheduler

    @property
    def session(self) -> aiohttp.ClientSession:
        return self.slack.session

    async def install_page(self) -> tuple[str, dict[str, list[str]], str]:
        """GET /slack/install: the "Add to Slack" link, its query, and the state cookie set."""
        async with self.session.get(self.base + "/slack/install") as page:
            assert page.status == 200, await page.text()
            text, cookie = await page.text(), page.headers["Set-Cookie"]
        url = html.unescape(re.search(r'<a href="([^"]+)"', text).group(1))
        query = parse_qs(urlsplit(url).query)
        assert cookie.startswith(f"{COOKIE}={query['state'][0]};")
        return url, query, query["state"][0]

    async def redirect(self, code: str, state: str, cookie: str | None = None) -> tuple[int, str]:
        """Slack sending the browser back: GET /slack/oauth_redirect?code=..&state=.. with its cookie."""
        headers = {"Cookie": f"{COOKIE}={cookie}"} if cookie else {}
        params = {"code": code, "state": state}
        async with self.session.get(self.base + "/slack/oauth_redirect", params=params, headers=headers) as done:
            return done.status, await done.text()

    async def install(self, workspace: Workspace) -> None:
        """The whole flow, as a workspace admin's browser goes through it."""
        _, _, state = await self.install_page()
        code = self.slack.fake.installs.code_for(workspace)
        status, text = await self.redirect(code, state, cookie=state)
        assert (status, "Thank you!" in text) == (200, True), text


def any_workspace_settings(fake_slack: FakeSlack):  # noqa: ANN201 - the adapter's settings
    return make_settings(
        slack_bot_token=None,
        slack_client_id=CLIENT_ID,
        slack_client_secret=SecretStr(CLIENT_SECRET),
        slack_api_url=fake_slack.api_url,
    )


@asynccontextmanager
async def serving_any_workspace(service: StudyService, fake_slack: FakeSlack) -> AsyncIterator[Installable]:
    app = create_app(service, any_workspace_settings(fake_slack))  # no client given: built as run() builds it
    runner = web_runner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    base = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"
    scheduler = Scheduler(service.posts, Publishers({"slack": publisher_for(app)}))
    # No cookie jar: a browser would send the state cookie back, the tests send it (or not) by hand.
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as session:
        yield Installable(SlackHttp(fake_slack, base + EVENTS_PATH, session), base, scheduler)
    await runner.cleanup()


def tokens_of(fake_slack: FakeSlack, method: str, since: int = 0) -> list[str]:
    """The bearer tokens of the Web API calls of this method since the `since`-th call."""
    return [
        call.headers.get("Authorization", "").removeprefix("Bearer ")
        for call in fake_slack.calls[since:]
        if call.path == f"/api/{method}"
    ]
