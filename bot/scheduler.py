"""Posts each class channel's daily question at its slot: due posts -> service -> the owning front end.

Rebuilt from the database every time it wakes, so a restart loses nothing: a slot missed while
the bot was down is posted if it is still the same local day. It sleeps until the next slot or
retry, and wakes early when a teacher changes a schedule or a front end connects.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import uuid

from bot.core.publishing import PublishError, Publishers
from bot.core.replies import DailyPost
from bot.service.posts import Claim, ScheduledPosts

log = logging.getLogger(__name__)

MAX_SLEEP = dt.timedelta(minutes=5)  # re-read the schedules at least this often (clock changes, other processes)
SEND_CONCURRENCY = 20


class Scheduler:
    def __init__(self, posts: ScheduledPosts, publishers: Publishers, *, wake: asyncio.Event | None = None) -> None:
        self.posts = posts
        self.publishers = publishers
        self.owner = f"scheduler-{uuid.uuid4().hex[:12]}"
        self._wake = wake or asyncio.Event()
        self._sending = asyncio.Semaphore(SEND_CONCURRENCY)

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        """Run until cancelled. Failures are logged and retried; they never stop the loop."""
        log.info("scheduler %s started", self.owner)
        while True:
            self._wake.clear()  # before the tick, so a change made during it still wakes the next sleep
            try:
                await self.tick()
                delay = await self._until_next()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("scheduler tick failed; trying again in a minute")
                delay = 60.0
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=delay)
            except TimeoutError:
                pass

    async def tick(self) -> list[tuple[Claim, bool]]:
        """Claim everything due now and send it; returns each claim with whether it was sent."""
        platforms = self.publishers.platforms()
        if not platforms:
            return []
        claims = await self.posts.claim_due(self.posts.now(), platforms, self.owner)
        if not claims:
            return []
        try:
            posts = await self.posts.build_posts(claims)  # in bulk: thousands of channels may share a slot
        except Exception as error:
            log.exception("building %d scheduled posts failed; they will be retried", len(claims))
            for claim in claims:
                await self.posts.mark_failed(claim, f"{type(error).__name__}: {error}", permanent=False)
            return [(claim, False) for claim in claims]
        results = await asyncio.gather(*(self._send(claim, post) for claim, post in zip(claims, posts, strict=True)))
        return list(zip(claims, results, strict=True))

    async def _send(self, claim: Claim, post: DailyPost) -> bool:
        async with self._sending:
            try:
                reference = await self.publishers.get(claim.platform).publish(claim.channel_id, post)
            except PublishError as error:
                retried = await self.posts.mark_failed(claim, str(error), permanent=error.permanent)
                log.warning(
                    "post to %s/%s failed (attempt %d%s): %s",
                    claim.platform,
                    claim.channel_id,
                    claim.attempt,
                    ", will retry" if retried else ", giving up",
                    error,
                )
                return False
            except Exception as error:
                log.exception("post to %s/%s failed unexpectedly", claim.platform, claim.channel_id)
                await self.posts.mark_failed(claim, f"{type(error).__name__}: {error}", permanent=False)
                return False
            await self.posts.mark_sent(claim, reference)
            log.info("posted the daily question to %s/%s for %s", claim.platform, claim.channel_id, claim.local_date)
            return True

    async def _until_next(self) -> float:
        now = self.posts.now()
        upcoming = await self.posts.next_wake(now, self.publishers.platforms())
        wait = min(upcoming - now, MAX_SLEEP) if upcoming else MAX_SLEEP
        return max(wait.total_seconds(), 0.05)
