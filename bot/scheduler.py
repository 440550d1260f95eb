"""Posts each class channel's daily question at its slot: due posts -> service -> the owning front end.

Rebuilt from the database every time it wakes, so a restart loses nothing: a slot missed while
the bot was down is posted if it is still the same local day. It sleeps until the next slot or
retry, and wakes early when a teacher changes a schedule or a front end connects.

Exactly once: each post is claimed under a lease that is renewed while the post waits or sends, and
moved to "sending" right before the platform call (never if the lease was lost). Marking it sent is
retried through a short database outage and never stops the other posts. `stop()` finishes the sends
under way, then gives the unsent claims back so another process can post them at once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
import uuid
from collections.abc import Awaitable, Callable

from bot.core.errors import first_line
from bot.core.publishing import FindsPosts, PublishError, Publishers, SendsReminders
from bot.core.replies import DailyPost, ReviewReminder
from bot.ops import metrics
from bot.ops.logs import in_context
from bot.service.posts import Claim, ScheduledPosts
from bot.store.db import cause_of_failure

log = logging.getLogger(__name__)

MAX_SLEEP = dt.timedelta(minutes=5)  # re-read the schedules at least this often (clock changes, other processes)
SEND_CONCURRENCY = 20
MARK_ATTEMPTS = 6  # recording a sent post survives a database outage of about half a minute
MARK_BACKOFF_SECONDS = 0.5
HOUSEKEEPING_EVERY = 3600.0  # seconds: data retention and the deletion of classes that removed the bot


class Scheduler:
    def __init__(
        self,
        posts: ScheduledPosts,
        publishers: Publishers,
        *,
        wake: asyncio.Event | None = None,
        housekeeping: Callable[[], Awaitable[object]] | None = None,
    ) -> None:
        self.posts = posts
        self._housekeeping = housekeeping  # deleting what is due to go: run at most once an hour
        self._last_housekeeping = -HOUSEKEEPING_EVERY
        self.publishers = publishers
        self.owner = f"scheduler-{uuid.uuid4().hex[:12]}"
        self._wake = wake or asyncio.Event()
        self._sending = asyncio.Semaphore(SEND_CONCURRENCY)
        self._stopping = False
        self._ticks_running = 0
        self._idle = asyncio.Event()  # no tick under way
        self._idle.set()

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        """Run until cancelled or stopped. Failures are logged and retried; they never stop the loop."""
        log.info("scheduler %s started", self.owner)
        while not self._stopping:
            self._wake.clear()  # before the tick, so a change made during it still wakes the next sleep
            try:
                await self.tick()
                await self._keep_house()
                delay = await self._until_next()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                cause = cause_of_failure(error)
                if cause is None:  # a bug: the whole story, for whoever fixes it
                    log.exception("scheduler tick failed; trying again in a minute")
                else:  # the database's state (away, full, locked): one line, and the next minute tries again
                    log.warning("scheduler tick failed: %s; trying again in a minute", cause)
                delay = 60.0
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=delay)
            except TimeoutError:
                pass

    async def _keep_house(self) -> None:
        now = time.monotonic()
        if self._housekeeping is None or now - self._last_housekeeping < HOUSEKEEPING_EVERY:
            return
        self._last_housekeeping = now
        try:
            await self._housekeeping()
        except Exception as error:  # the next hour tries again; posting goes on meanwhile
            log.warning("housekeeping failed: %s", first_line(error))

    async def stop(self, grace: float) -> None:
        """Take no new work and let the sends under way finish, for up to `grace` seconds; each tick gives
        back its unsent claims as it ends. A send still under way after that is left "sending": whoever
        takes it over looks for it in the channel before sending again."""
        self._stopping = True
        self._wake.set()
        try:
            await asyncio.wait_for(self._idle.wait(), timeout=grace)
        except TimeoutError:
            log.warning("scheduler stopping with sends still under way after %.0f s", grace)

    async def tick(self) -> list[tuple[Claim, bool]]:
        """Claim everything due now and send it; returns each claim with whether it was sent."""
        self._ticks_running += 1
        self._idle.clear()
        try:
            return await self._tick()
        finally:
            self._ticks_running -= 1
            if not self._ticks_running:
                self._idle.set()

    async def _tick(self) -> list[tuple[Claim, bool]]:
        platforms = self.publishers.platforms()
        if not platforms or self._stopping:
            return []
        # Discord run as shards across processes: only the posts of this process's servers.
        shards = self.publishers.shards()
        claims = await self.posts.claim_due(self.posts.now(), platforms, self.owner, shards=shards)
        if not claims:
            return []
        for claim in claims:
            metrics.post(claim.platform, "claimed")
        finished = asyncio.Event()
        keeping = asyncio.create_task(self._keep_leases(claims, finished), name="scheduler-leases")
        try:
            try:
                posts = await self.posts.build_posts(claims)  # in bulk: thousands of channels may share a slot
            except Exception as error:
                log.exception("building %d scheduled posts failed; they will be retried", len(claims))
                for claim in claims:
                    metrics.post(claim.platform, "failed")
                    await self.posts.mark_failed(claim, f"{type(error).__name__}: {error}", permanent=False)
                return [(claim, False) for claim in claims]
            sends = (
                in_context(self._send(claim, post), platform=claim.platform, use_case="scheduled_post")
                for claim, post in zip(claims, posts, strict=True)
            )
            results = await asyncio.gather(*sends)
        finally:
            finished.set()  # never cancelled: a renewal under way completes rather than being cut off
            await asyncio.gather(keeping, return_exceptions=True)
        await self._remind([claim for claim, result in zip(claims, results, strict=True) if result])
        unsent = [claim for claim, result in zip(claims, results, strict=True) if result is None]
        if unsent:
            try:
                await self.posts.release(unsent)
                log.info("gave back %d unsent posts", len(unsent))
            except Exception as error:  # still unreachable: their leases lapse and they are taken over then
                log.warning("could not give back %d unsent posts: %s", len(unsent), first_line(error))
        return [(claim, bool(result)) for claim, result in zip(claims, results, strict=True)]

    async def _remind(self, sent: list[Claim]) -> None:
        """Review reminders for the students of the classes just posted to who turned them on. At most once
        a day each (recorded before sending); one that cannot be delivered is logged and not retried."""
        if not sent or self._stopping:
            return
        try:
            reminders = await self.posts.claim_reminders(sent)
        except Exception as error:
            log.warning("review reminders skipped: %s", first_line(error))
            return

        async def deliver(platform: str, reminder: ReviewReminder) -> None:
            publisher = self.publishers.get(platform) if platform in self.publishers else None
            if not isinstance(publisher, SendsReminders):
                return
            async with self._sending:
                try:
                    await publisher.remind(reminder)
                except Exception as error:  # DMs closed, the student gone: nothing to retry
                    log.info("review reminder not delivered on %s: %s", platform, first_line(error))

        await asyncio.gather(*(deliver(platform, reminder) for platform, reminder in reminders))

    async def _keep_leases(self, claims: list[Claim], finished: asyncio.Event) -> None:
        every = max(self.posts.lease.total_seconds() / 3, 0.05)
        while not finished.is_set():
            try:
                await asyncio.wait_for(finished.wait(), timeout=every)
                return
            except TimeoutError:
                pass
            try:
                await self.posts.renew(claims)
            except Exception as error:
                log.warning("renewing %d claims failed, trying again: %s", len(claims), first_line(error))

    async def _send(self, claim: Claim, post: DailyPost) -> bool | None:
        """True when sent, False when not (failed, or another scheduler holds it), None when left unsent
        (the scheduler is stopping, the front end went away, or the database could not record the start):
        given back."""
        async with self._sending:
            if self._stopping:
                return None
            where = f"{claim.platform}/{claim.channel_id}"
            if claim.platform not in self.publishers:  # its front end stopped since the claim: give the post back
                log.info("not posting to %s now: its front end is no longer connected", where)
                return None
            publisher = self.publishers.get(claim.platform)
            try:
                held = await self.posts.start_sending(claim)
            except Exception as error:  # the database is away: give the post back, to be tried again
                log.warning("not posting to %s now: could not record the send (%s)", where, first_line(error))
                return None
            if not held:
                log.warning("not posting to %s: another scheduler took the claim over", where)
                return False
            try:
                found = await self._already_posted(publisher, claim, post)
                reference = found or await publisher.publish(claim.channel_id, post)
            except PublishError as error:
                metrics.post(claim.platform, "failed")
                retried = await self.posts.mark_failed(claim, str(error), permanent=error.permanent)
                log.warning(
                    "post to %s failed (attempt %d%s): %s",
                    where,
                    claim.attempt,
                    ", will retry" if retried else ", giving up",
                    error,
                )
                return False
            except Exception as error:
                metrics.post(claim.platform, "failed")
                log.exception("post to %s failed unexpectedly", where)
                await self.posts.mark_failed(claim, f"{type(error).__name__}: {error}", permanent=False)
                return False
            metrics.post(claim.platform, "sent")
            await self._mark_sent(claim, reference, where)
            log.info("posted the daily question to %s for %s", where, claim.local_date)
            return True

    async def _already_posted(self, publisher: object, claim: Claim, post: DailyPost) -> str | None:
        if not claim.resumed or not isinstance(publisher, FindsPosts):
            return None
        since = self.posts.now() - dt.timedelta(days=1)
        found = await publisher.find_post(claim.channel_id, post, since)
        if found:
            log.info("the post to %s/%s was already there; not sending it again", claim.platform, claim.channel_id)
        return found

    async def _mark_sent(self, claim: Claim, reference: str, where: str) -> None:
        """Record a sent post, retrying through a short database outage; never raises."""
        for attempt in range(1, MARK_ATTEMPTS + 1):
            try:
                if not await self.posts.mark_sent(claim, reference):
                    log.warning("posted to %s, but another scheduler had taken the claim over", where)
                return
            except Exception as error:
                if attempt == MARK_ATTEMPTS:
                    log.error("posted to %s but could not record it: %s (it stays 'sending')", where, error)
                    return
                await asyncio.sleep(MARK_BACKOFF_SECONDS * 2 ** (attempt - 1))

    async def _until_next(self) -> float:
        now = self.posts.now()
        upcoming = await self.posts.next_wake(now, self.publishers.platforms(), shards=self.publishers.shards())
        wait = min(upcoming - now, MAX_SLEEP) if upcoming else MAX_SLEEP
        return max(wait.total_seconds(), 0.05)
