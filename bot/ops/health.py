"""The host's view of a running bot, over HTTP on $PORT:

- GET /healthz: 200 "ok" while the process's event loop answers (liveness: restart it when this fails).
- GET /readyz: 200 when the database answers and every enabled front end is connected, else 503; the
  JSON body says which part is not ("database": "unavailable", "discord": "not connected").
- GET /metrics: Prometheus's text format, only with METRICS=on (404 otherwise).

`routes(...)` are added to Slack's own server in HTTP mode (one port for /slack/events and these);
otherwise `serving(port, routes)` runs a small server of their own. Nothing here says why the database
failed (it is logged once when readiness changes), so the endpoints show no path, host or name.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from bot.core.errors import first_line
from bot.core.publishing import Publishers
from bot.ops.metrics import exposition

log = logging.getLogger(__name__)

READY_TIMEOUT = 3.0  # seconds the database has to answer a readiness check


class PortUnavailable(RuntimeError):
    """The health server cannot listen on $PORT; the message says which port and what to do."""


def connected(publishers: Publishers, names: Iterable[str]) -> dict[str, bool]:
    """Whether each enabled front end is connected now: it has added its publisher (which it does once
    connected), and the publisher, when it can tell (Discord's), says its connection is up."""
    return {name: name in publishers and bool(getattr(publishers.get(name), "connected", True)) for name in names}


class Readiness:
    """Answers /readyz. At most one database check runs at a time: checks that come while one is under way
    wait for it, so a slow database does not pile up connections."""

    def __init__(
        self, database_answers: Callable[[], Awaitable[object]], front_ends: Callable[[], dict[str, bool]]
    ) -> None:
        self._database_answers = database_answers
        self._front_ends = front_ends
        self._check: asyncio.Future[object] | None = None
        self._problems: list[str] | None = None  # as of the last check, to log changes only
        self._database_error = ""  # why the last database check failed, for the log

    async def parts(self) -> dict[str, str]:
        found = {"database": "ok" if await self._database_ok() else "unavailable"}
        found |= {name: "connected" if up else "not connected" for name, up in self._front_ends().items()}
        return found

    async def _database_ok(self) -> bool:
        if self._check is None or self._check.done():
            self._check = asyncio.ensure_future(self._database_answers())
            self._check.add_done_callback(lambda check: check.cancelled() or check.exception())  # retrieved
        try:
            await asyncio.wait_for(asyncio.shield(self._check), READY_TIMEOUT)
        except Exception as error:
            self._database_error = "no answer in time" if isinstance(error, TimeoutError) else first_line(error)
            return False
        return True

    async def handle(self, _: web.Request) -> web.Response:
        parts = await self.parts()
        problems = [f"{part} {state}" for part, state in parts.items() if state not in {"ok", "connected"}]
        self._log_change(problems)
        return web.json_response(
            {"status": "not ready" if problems else "ready", **parts}, status=503 if problems else 200
        )

    def _log_change(self, problems: list[str]) -> None:
        if problems == self._problems:
            return
        if problems:
            detail = f" ({self._database_error})" if "database unavailable" in problems else ""
            log.warning("not ready: %s%s", ", ".join(problems), detail)
        elif self._problems is not None:
            log.info("ready again")
        self._problems = problems


async def healthz(_: web.Request) -> web.Response:
    return web.Response(text="ok")


async def metrics_page(_: web.Request) -> web.Response:
    return web.Response(body=exposition(), headers={"Content-Type": CONTENT_TYPE_LATEST})


def routes(readiness: Readiness, *, metrics: bool = False) -> list[web.RouteDef]:
    """The endpoints, for any aiohttp application (GET, and HEAD, which some checks use)."""
    found = [web.get("/healthz", healthz), web.get("/readyz", readiness.handle)]
    if metrics:
        found.append(web.get("/metrics", metrics_page))
    return found


@asynccontextmanager
async def serving(port: int, endpoints: list[web.RouteDef], host: str = "0.0.0.0") -> AsyncIterator[int]:
    """Serve `endpoints` on `port` (0: any free port) while inside; yields the port listened on.
    No access log: a host's checks every few seconds would be most of the log."""
    app = web.Application()
    app.add_routes(endpoints)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        try:
            await site.start()
        except OSError as error:
            raise PortUnavailable(
                f"Cannot serve the health checks on port {port}: {error.strerror or error}. "
                "Set PORT to a free port (each bot process on one machine needs its own)."
            ) from error
        listening = runner.addresses[0][1]
        paths = ", ".join(str(route.path) for route in endpoints)
        log.info("health checks on port %d: %s", listening, paths)
        yield listening
    finally:
        await runner.cleanup()
