"""Slack front end: slack-bolt's AsyncApp over the study service.

- `run(service, settings, publishers=...)`: Socket Mode when SLACK_APP_TOKEN (xapp-) is set, else HTTP
  on $PORT at /slack/events, verified with SLACK_SIGNING_SECRET. Runs until cancelled. Once connected
  it adds its `SlackPublisher` to `publishers` as "slack", so the scheduler starts posting to Slack.
- `create_app(service, settings, client=None)`: the bolt app with every listener registered.
- `build_web_app(app, routes)` / `web_runner(app, routes)`: its HTTP server (with the host's health routes,
  when given, on the same port). verify.py's `Gate` stands in front of bolt's
  handler: 413 over 1 MiB, 401 unless Slack signed it, 400 for a signed body bolt or our listeners could
  not read, each with a short rate-limited line; bolt never parses an unauthenticated body.
- `manifest_text(request_url=None, distributed=False)`: the app manifest (manifest.py).
- With SLACK_CLIENT_ID and SLACK_CLIENT_SECRET instead of SLACK_BOT_TOKEN, any workspace installs the app
  ("Add to Slack" at /slack/install, OAuth v2: installations.py); each request and each scheduled post
  is then sent with its own workspace's token.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import secrets
import weakref
from collections.abc import AsyncIterator, Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack import installations
from bot.adapters.slack.listeners import register
from bot.adapters.slack.logs import BoltLogFilter, redact
from bot.adapters.slack.manifest import EVENTS_PATH, manifest_text
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
_workspaces: weakref.WeakKeyDictionary[AsyncApp, installations.Workspaces] = weakref.WeakKeyDictionary()

_NO_BOT_TOKEN = "SLACK_BOT_TOKEN is not set."
# Seconds between Socket Mode pings, and between attempts to connect again after Slack dropped the socket
# (slack_bolt's default; tests make it short).
SOCKET_PING_INTERVAL = 10.0


class SlackSettings(Protocol):
    """The part of bot.config.Settings this adapter reads (values are pydantic SecretStr or None)."""

    slack_bot_token: Any
    slack_app_token: Any
    slack_signing_secret: Any
    slack_client_id: str | None
    slack_client_secret: Any
    slack_api_url: str
    port: int


class SlackConfigError(RuntimeError):
    """The Slack settings cannot work; the message says which variable to set (never its value)."""


def _secret(value: Any) -> str | None:
    if value is None:
        return None
    text = value.get_secret_value() if hasattr(value, "get_secret_value") else str(value)
    return text.strip() or None


def distributed(settings: SlackSettings) -> bool:
    """Installable by any workspace ("Add to Slack"): SLACK_CLIENT_ID or SLACK_CLIENT_SECRET is set."""
    return bool(settings.slack_client_id or _secret(settings.slack_client_secret))


def check_settings(settings: SlackSettings, *, need_bot_token: bool = True) -> None:
    """Raise SlackConfigError when these settings cannot work (cheap: call it before start-up)."""
    if distributed(settings):
        _check_distributed(settings)
        return
    if need_bot_token and not _secret(settings.slack_bot_token):
        raise SlackConfigError(_NO_BOT_TOKEN)
    app_token = _secret(settings.slack_app_token)
    if app_token and not app_token.startswith("xapp-"):
        raise SlackConfigError("SLACK_APP_TOKEN must be an app-level token (it starts with xapp-).")
    if not app_token and not _secret(settings.slack_signing_secret):
        raise SlackConfigError(
            "Set SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode on $PORT) for Slack."
        )


def _check_distributed(settings: SlackSettings) -> None:
    # bolt itself turns to OAuth when SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are in the environment, and
    # then ignores SLACK_BOT_TOKEN: the two ways cannot be mixed.
    if _secret(settings.slack_bot_token):
        raise SlackConfigError(
            "Set SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (any workspace), not both."
        )
    wanted = {
        "SLACK_CLIENT_ID": settings.slack_client_id,
        "SLACK_CLIENT_SECRET": _secret(settings.slack_client_secret),
        "SLACK_SIGNING_SECRET": _secret(settings.slack_signing_secret),
    }
    if missing := [name for name, value in wanted.items() if not value]:
        raise SlackConfigError(f"An app any workspace can install also needs {' and '.join(missing)}.")
    if _secret(settings.slack_app_token):
        raise SlackConfigError("An app any workspace can install runs in HTTP mode: unset SLACK_APP_TOKEN.")


def create_app(service: StudyService, settings: SlackSettings, client: AsyncWebClient | None = None) -> AsyncApp:
    """The bolt app. Pass `client` to point the Web API somewhere else (tests).

    Without `client` the bot token goes to bolt as `token=`, the way bolt expects: bolt builds its
    client itself and does not warn that "`token` will be unused" (it warns when it is given a client
    while SLACK_BOT_TOKEN is also in the environment); SLACK_API_URL is then set on that client, and
    bolt copies it into the client of every request. bolt logs through `BOLT_LOGGER`, whose filter
    keeps request bodies, tokens and response_urls out of its lines. Installable by any workspace, the
    app authorizes each request with its workspace's bot from the database (installations.py)."""
    token, oauth = None, None
    if distributed(settings):
        client = client or AsyncWebClient(base_url=settings.slack_api_url)
        secret = _secret(settings.slack_client_secret) or ""
        oauth = installations.distribution(service.slack_installations, settings.slack_client_id or "", secret, client)
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
        oauth_settings=oauth and oauth.settings,
        authorize=oauth and oauth.authorize,
    )
    if client is None:
        app.client.base_url = settings.slack_api_url
    register(app, service)
    _gates[app] = Gate(signing_secret)
    if oauth is not None:
        _workspaces[app] = oauth.workspaces
    return app


def publisher_for(app: AsyncApp) -> SlackPublisher:
    """What the scheduler posts with: the app's one token, or each class's own workspace's."""
    return SlackPublisher(app.client, _workspaces.get(app))


def build_web_app(app: AsyncApp, routes: Sequence[web.RouteDef] = ()) -> web.Application:
    """The aiohttp app: POST /slack/events, plus `routes` (the host's /healthz, /readyz, /metrics), or
    a bare GET /healthz without them; installable by any workspace, GET /slack/install and the redirect.

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
    web_app.router.add_routes(routes or [web.get("/healthz", healthz)])
    web_app.cleanup_ctx.append(functools.partial(_shared_session, app))
    if app.oauth_flow is not None:
        web_app.router.add_routes(installations.oauth_routes(app.oauth_flow))
    return web_app


async def run(
    service: StudyService,
    settings: SlackSettings,
    *,
    publishers: Publishers | None = None,
    client: AsyncWebClient | None = None,
    routes: Sequence[web.RouteDef] = (),
) -> None:
    """Serve Slack until cancelled. Once connected, this front end's publisher is added to `publishers`
    as "slack" (which wakes the scheduler), and removed when it stops. In HTTP mode `routes` are served
    beside /slack/events. `client` points the Web API elsewhere (tests only)."""
    check_settings(settings, need_bot_token=client is None)
    app_token = _secret(settings.slack_app_token)
    app = create_app(service, settings, client)
    publisher = publisher_for(app)

    def ready(is_connected: Callable[[], bool] | None = None) -> None:
        if is_connected is not None:
            publisher.is_connected = is_connected
        if publishers is not None:
            publishers.add("slack", publisher)  # posts due for Slack channels go out now

    try:
        if app_token:
            await _run_socket_mode(app, app_token, ready)
        else:
            await _run_http(app, settings.port, ready, routes)
    finally:
        if publishers is not None:
            publishers.remove("slack", publisher)


async def _run_socket_mode(app: AsyncApp, app_token: str, ready: Callable[[Callable[[], bool]], None]) -> None:
    # Imported and created here: with aiohttp 3.14 the handler needs a running event loop.
    from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

    handler = AsyncSocketModeHandler(app, app_token, ping_interval=SOCKET_PING_INTERVAL)
    sharing = _shared_session(app)
    await anext(sharing)
    try:
        await handler.connect_async()
        log.info("slack: connected in Socket Mode")
        ready(lambda: _socket_up(handler.client))
        await asyncio.Event().wait()
    finally:
        await handler.close_async()
        await anext(sharing, None)


async def _shared_session(app: AsyncApp, _: web.Application | None = None) -> AsyncIterator[None]:
    """One aiohttp session for all of the app's Web API calls and response_url replies while it serves (bolt
    and slack_sdk otherwise open a session, and a TCP and TLS connection, per reply); closed when it stops."""
    session = aiohttp.ClientSession()
    app.client.session = session  # bolt gives each request's client this session too
    try:
        yield
    finally:
        app.client.session = None
        await session.close()


def _socket_up(client: Any) -> bool:
    """Whether the Socket Mode websocket is up now: slack_sdk's `is_connected()` without its awaited
    ping-pong check, as /readyz asks synchronously (the SDK itself reconnects a stale socket)."""
    session = client.current_session
    return not client.closed and not client.stale and session is not None and not session.closed


def serves_http(settings: SlackSettings) -> bool:
    """HTTP mode (a server on $PORT), rather than Socket Mode."""
    return not _secret(settings.slack_app_token)


def web_runner(app: AsyncApp, routes: Sequence[web.RouteDef] = ()) -> web.AppRunner:
    """The runner for build_web_app(app), lingering only briefly over refused (unread) bodies, and
    without aiohttp's access log: a line per request would let anyone who can reach the URL fill the
    log (refusals get the gate's rate-limited lines; hosts' routers log requests themselves)."""
    return web.AppRunner(build_web_app(app, routes), lingering_time=LINGERING_TIME, access_log=None)


async def _run_http(app: AsyncApp, port: int, ready: Callable[[], None], routes: Sequence[web.RouteDef]) -> None:
    runner = web_runner(app, routes)
    await runner.setup()
    try:
        await web.TCPSite(runner, "0.0.0.0", port).start()
        log.info("slack: listening for HTTP requests on port %d at %s", port, EVENTS_PATH)
        ready()
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


__all__ = [
    "EVENTS_PATH",
    "SlackConfigError",
    "SlackPublisher",
    "build_web_app",
    "check_settings",
    "create_app",
    "distributed",
    "manifest_text",
    "publisher_for",
    "run",
    "serves_http",
    "web_runner",
]
