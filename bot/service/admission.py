"""Back-pressure: at most so many use cases run at once in a process; more wait their turn in a bounded
line, and beyond it (or after waiting too long) the student is told the bot is busy.

Slack and Discord give a front end 3 seconds to answer, so waiting is capped below that: a busy reply in
time beats a timeout, a "database is locked" or a pool that gives up after 30 s. The use cases wait here,
where it costs nothing, instead of in the database's pool or lock.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from contextvars import ContextVar
from typing import ParamSpec, TypeVar

from bot.core.actor import Actor
from bot.core.errors import StudyError
from bot.ops.metrics import shed

P = ParamSpec("P")
T = TypeVar("T")

log = logging.getLogger(__name__)

BUSY = "The bot is busy right now: try again in a few seconds. Nothing was lost."
IN_FLIGHT = 256  # enough that the answer writer's batches stay full under a class's rush
WAITING = 2048
PATIENCE = 2.0  # seconds a use case may wait for its turn: under the platforms' 3 s, with time to reply
LOG_EVERY = 10.0  # seconds between two "shedding" log lines

_inside: ContextVar[bool] = ContextVar("admitted", default=False)


class Busy(StudyError):
    def __init__(self) -> None:
        super().__init__(BUSY)


class Admission:
    """The process's turnstile for use cases (one per service)."""

    def __init__(self, in_flight: int = IN_FLIGHT, waiting: int = WAITING, patience: float = PATIENCE) -> None:
        self.in_flight = in_flight
        self.waiting = waiting
        self.patience = patience
        self._turns = asyncio.Semaphore(in_flight)
        self._queued = 0
        self._shed_since_log = 0
        self._last_log = 0.0

    async def run(self, platform: str, call: Callable[[], Awaitable[T]]) -> T:
        if _inside.get():  # a use case calling another holds its turn already
            return await call()
        await self._take_turn(platform)
        token = _inside.set(True)
        try:
            return await call()
        finally:
            _inside.reset(token)
            self._turns.release()

    async def _take_turn(self, platform: str) -> None:
        if not self._turns.locked():
            await self._turns.acquire()
            return
        if self._queued >= self.waiting:
            self._shed(platform, "the waiting line is full")
        self._queued += 1
        try:
            await asyncio.wait_for(self._turns.acquire(), self.patience)
        except TimeoutError:
            self._shed(platform, f"waited {self.patience:.1f}s")
        finally:
            self._queued -= 1

    def _shed(self, platform: str, why: str) -> None:
        shed(platform)
        self._shed_since_log += 1
        now = time.monotonic()
        if now - self._last_log >= LOG_EVERY:
            log.warning(
                "overloaded: %d request(s) told to try again (%s; %d in flight at most, %d waiting)",
                self._shed_since_log,
                why,
                self.in_flight,
                self.waiting,
            )
            self._shed_since_log, self._last_log = 0, now
        raise Busy()

    def admit(self, part: object, names: Iterable[str]) -> None:
        """Replace each named use case of `part` by one that waits for its turn first."""
        for name in names:
            setattr(part, name, self._admitted(getattr(part, name)))

    def _admitted(self, call: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
        @functools.wraps(call)
        async def admitted(*args: P.args, **kwargs: P.kwargs) -> T:
            platform = args[0].platform.value if args and isinstance(args[0], Actor) else "none"
            return await self.run(platform, lambda: call(*args, **kwargs))

        return admitted
