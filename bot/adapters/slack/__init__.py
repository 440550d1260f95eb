"""Slack front end: slack-bolt's AsyncApp over the study service.

- `run(service, settings, publishers=...)`: Socket Mode when SLACK_APP_TOKEN (xapp-) is set, else HTTP
  on $PORT at /slack/events, verified with SLACK_SIGNING_SECRET. Runs until cancelled. Once connected
  it adds its `SlackPublisher` to `publishers` as "slack", so the scheduler starts posting to Slack.
- `create_app(service, settings, client=None)`: the bolt app with every listener registered.
- `build_web_app(app)` / `web_runner(app)`: its HTTP server. verify.py's `Gate` stands in front of bolt's
  handler: 413 over 1 MiB, 401 unless Slack signed it, 400 for a signed body bolt or our listeners could
  not read, each with a short rate-limited line; bolt never parses an unauthenticated body.
- `manifest_text(request_url=None)`: the app manifest shipped in this package (in HTTP mode the slash command,
  interactivity and the event subscriptions, app_uninstalled and tokens_revoked, all go to the one URL).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import weakref
from collections.abc import Callable
from importlib import resources
from typing import TYPE_CHECKING, Any, Protocol

import yaml
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.listeners import register
from bot.adapters.slack.logs import BoltLogFilter, redact
from bot.adapters.slack.publisher import SlackPublisher
from bot.adapters.slack.verify import LINGERING_TIME, MAX_BODY_BYTES, Gate, Refused

if TYPE_CHECKING:
    from bot.core.publishing import Publishers
    from bot.service import StudyService

log = logging.getLogger(__name__)

# bolt's base logger: its loggers (slack_bolt.*, the app's, and the Web API client it builds) copy
# this one's filters, so none of them logs a body, a token or a response_url. slack_sdk's clients log
# their requests at DEBUG under their own names: the response_url one (every URL it logs is a
# response_url) and the Web API one get the same filter.
BOLT_LOGGER = logging.getLogger("slack_bolt.studybot")


def _filter_logger(logger: logging.Logger, **options: bool) -> None:
    if not any(isinstance(f, BoltLogFilter) for f in logger.filters):
        logger.addFilter(BoltLogFilter(**options))


_filter_logger(BOLT_LOGGER)
_filter_logger(logging.getLogger("slack_sdk.web.async_base_client"))
_filter_logger(logging.getLogger("slack_sdk.webhook.async_client"), all_urls=True)
_gates: weakref.WeakKeyDictionary[AsyncApp, Gate] = weakref.WeakKeyDictionary()

EVENTS_PATH = "/slack/events"
_NO_BOT_TOKEN = "SLACK_BOT_TOKEN is not set."


class SlackSettings(Protocol):
    """The part of bot.config.Settings this adapter reads (values are pydantic SecretStr or None)."""

    slack_bot_token: Any
    slack_app_token: Any
    slack_signing_secret: Any
    slack_api_url: str
    port: int


class SlackConfigError(RuntimeError):
    """The Slack settings cannot work; the message says which variable to set (never its value)."""


def _secret(value: Any) -> str | None:
    if value is None:
        return None
    text = value.get_secret_value() if hasattr(value, "get_secret_value") else str(value)
    return text.strip() or None


def check_settings(settings: SlackSettings, *, need_bot_token: bool = True) -> None:
    """Raise SlackConfigError when these settings cannot work (cheap: call it before start-up)."""
    if need_bot_token and not _secret(settings.slack_bot_token):
        raise SlackConfigError(_NO_BOT_TOKEN)
    app_token = _secret(settings.slack_app_token)
    if app_token and not app_token.startswith("xapp-"):
        raise SlackConfigError("SLACK_APP_TOKEN must be an app-level token (it starts with xapp-).")
    if not app_token and not _secret(settings.slack_signing_secret):
        raise SlackConfigError(
            "Set SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode on $PORT) for Slack."
        )


def create_app(service: StudyService, settings: SlackSettings, client: AsyncWebClient | None = None) -> AsyncApp:
    """The bolt app. Pass `client` to point the Web API somewhere else (tests).

    Without `client` the bot token goes to bolt as `token=`, the way bolt expects: bolt builds its
    client itself and does not warn that "`token` will be unused" (it warns when it is given a client
    while SLACK_BOT_TOKEN is also in the environment); SLACK_API_URL is then set on that client, and
    bolt copies it into the client of every request. bolt logs through `BOLT_LOGGER`, whose filter
    keeps request bodies, tokens and response_urls out of its lines."""
    token = None
    if client is None:
        token = _secret(settings.slack_bot_token)
        if not token:
            raise SlackConfigError(_NO_BOT_TOKEN)
    # Without a signing secret (Socket Mode) no HTTP request can be valid: verify against a random one.
    signing_secret = _secret(settings.slack_signing_secret) or secrets.token_hex(32)
    app = AsyncApp(
        logger=BOLT_LOGGER,
        token=token,
        client=client,
        signing_secret=signing_secret,
        process_before_response=False,  # ack() returns at once; the work runs after it
        name="studybot.slack",
    )
    if client is None:
        app.client.base_url = settings.slack_api_url
    register(app, service)
    _gates[app] = Gate(signing_secret)
    return app


def build_web_app(app: AsyncApp) -> web.Application:
    """The aiohttp app: POST /slack/events, plus GET /healthz for the host's checks.

    In front of bolt's handler (slack_bolt.adapter.aiohttp, what `app.web_app()` serves) stands the
    `Gate` of verify.py: bodies over 1 MiB get 413, requests Slack did not sign 401, signed ones
    bolt could not parse or no listener takes 400, each with one short, rate-limited log line. Only
    what passes reaches bolt, which checks the signature once more."""
    gate = _gates.get(app)
    if gate is None:
        raise ValueError("build_web_app needs an app made by create_app")

    async def events(request: web.Request) -> web.Response:
        try:
            bolt_request = await gate.admit(request)
        except Refused as refused:
            return refused.response()
        if log.isEnabledFor(logging.DEBUG):
            log.debug("slack: request body (redacted): %s", redact(bolt_request.raw_body[:2000]))
        bolt_response = await app.async_dispatch(bolt_request)
        if bolt_response.status == 404:  # bolt: no listener matched (it logged one short line)
            return gate.unhandled(request).response()
        return await to_aiohttp_response(bolt_response)

    async def healthz(_: web.Request) -> web.Response:
        return web.Response(text="ok")

    # aiohttp's own limit is a backstop; the Gate refuses at MAX_BODY_BYTES while reading.
    web_app = web.Application(client_max_size=MAX_BODY_BYTES + 1)
    web_app.router.add_post(EVENTS_PATH, events)
    web_app.router.add_get("/healthz", healthz)
    return web_app


async def run(
    service: StudyService,
    settings: SlackSettings,
    *,
    publishers: Publishers | None = None,
    client: AsyncWebClient | None = None,
) -> None:
    """Serve Slack until cancelled. Once connected, this front end's publisher is added to `publishers`
    as "slack" (which wakes the scheduler), and removed when it stops. `client` points the Web API
    elsewhere (tests only)."""
    check_settings(settings, need_bot_token=client is None)
    app_token = _secret(settings.slack_app_token)
    app = create_app(service, settings, client)
    publisher = SlackPublisher(app.client)

    def ready() -> None:
        if publishers is not None:
            publishers.add("slack", publisher)  # posts due for Slack channels go out now

    try:
        if app_token:
            await _run_socket_mode(app, app_token, ready)
        else:
            await _run_http(app, settings.port, ready)
    finally:
        if publishers is not None:
            publishers.remove("slack", publisher)


async def _run_socket_mode(app: AsyncApp, app_token: str, ready: Callable[[], None]) -> None:
    # Imported and created here: with aiohttp 3.14 the handler needs a running event loop.
    from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

    handler = AsyncSocketModeHandler(app, app_token)
    try:
        await handler.connect_async()
        log.info("slack: connected in Socket Mode")
        ready()
        await asyncio.Event().wait()
    finally:
        await handler.close_async()


def web_runner(app: AsyncApp) -> web.AppRunner:
    """The runner for build_web_app(app), lingering only briefly over refused (unread) bodies, and
    without aiohttp's access log: a line per request would let anyone who can reach the URL fill the
    log (refusals get the gate's rate-limited lines; hosts' routers log requests themselves)."""
    return web.AppRunner(build_web_app(app), lingering_time=LINGERING_TIME, access_log=None)


async def _run_http(app: AsyncApp, port: int, ready: Callable[[], None]) -> None:
    runner = web_runner(app)
    await runner.setup()
    try:
        await web.TCPSite(runner, "0.0.0.0", port).start()
        log.info("slack: listening for HTTP requests on port %d at %s", port, EVENTS_PATH)
        ready()
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


def manifest_text(request_url: str | None = None) -> str:
    """The app manifest (YAML). With `request_url` (https://host) it is set up for HTTP mode."""
    text = resources.files(__package__).joinpath("manifest.yaml").read_text(encoding="utf-8")
    if not request_url:
        return text
    manifest = yaml.safe_load(text)
    url = request_url.rstrip("/")
    if not url.endswith(EVENTS_PATH):
        url += EVENTS_PATH
    for command in manifest["features"]["slash_commands"]:
        command["url"] = url
    manifest["settings"]["interactivity"]["request_url"] = url
    manifest["settings"]["event_subscriptions"]["request_url"] = url
    manifest["settings"]["socket_mode_enabled"] = False
    return yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True, width=1000)


__all__ = [
    "EVENTS_PATH",
    "SlackConfigError",
    "SlackPublisher",
    "build_web_app",
    "check_settings",
    "create_app",
    "manifest_text",
    "run",
    "web_runner",
]
