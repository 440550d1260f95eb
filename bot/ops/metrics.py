"""Prometheus metrics for a host: what the front ends ask, how it ends and how long it takes, what the
scheduler posts, and the database connections in use.

Labels are only platforms, use-case names and outcomes, a small fixed set: never a name, a user id, a
community id or a channel. Counting is always on (a few microseconds a call); METRICS=on decides only
whether /metrics serves them (health.py). They live in prometheus_client's default registry, beside its
process and Python collectors.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import ParamSpec, TypeVar

from prometheus_client import REGISTRY, Counter, Gauge, Histogram, generate_latest

from bot.core.actor import Actor
from bot.core.errors import StudyError
from bot.core.replies import AnswerFeedback
from bot.ops.logs import current, enter, leave

P = ParamSpec("P")
T = TypeVar("T")

PLATFORMS = ("discord", "slack", "console")
NO_PLATFORM = "none"  # a use case called without an Actor (the host's, the scheduler's)
POST_EVENTS = ("claimed", "sent", "failed")
OUTCOMES = ("ok", "refused", "failed")
ANSWER_OUTCOMES = ("correct", "wrong", "repeated")

REQUESTS = Counter(
    "studybot_requests",
    "Use cases called, by platform, use case and outcome (ok; refused: the student got a friendly "
    "message; failed: an unexpected error)",
    ["platform", "use_case", "outcome"],
)
ANSWERS = Counter("studybot_answers", "Answers handed in, by platform and outcome", ["platform", "outcome"])
LATENCY = Histogram(
    "studybot_use_case_seconds",
    "How long each use case took, by use case",
    ["use_case"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
IN_FLIGHT = Gauge("studybot_in_flight", "Use cases under way now, by platform", ["platform"])
SHED = Counter("studybot_shed", "Requests turned away because the bot was overloaded, by platform", ["platform"])
POSTS = Counter("studybot_scheduled_posts", "Scheduled posts claimed, sent and failed", ["platform", "event"])
POOL_IN_USE = Gauge("studybot_db_pool_in_use", "Database connections checked out of the pool now")

for _platform in PLATFORMS:  # every series exists from the start, at 0, so rates and alerts work at once
    IN_FLIGHT.labels(_platform)
    SHED.labels(_platform)
    for _outcome in ANSWER_OUTCOMES:
        ANSWERS.labels(_platform, _outcome)
    for _event in POST_EVENTS:
        POSTS.labels(_platform, _event)

_pools: dict[object, Callable[[], int]] = {}


def _connections_in_use() -> float:
    return float(sum(checked_out() for checked_out in list(_pools.values())))


POOL_IN_USE.set_function(_connections_in_use)


def watch_pool(checked_out: Callable[[], int]) -> Callable[[], None]:
    """Count this pool's connections in `studybot_db_pool_in_use`; returns what stops counting them."""
    key = object()
    _pools[key] = checked_out

    def stop() -> None:
        _pools.pop(key, None)

    return stop


def shed(platform: str) -> None:
    """A request was turned away with the busy reply (bot/service/admission.py)."""
    SHED.labels(platform).inc()


def post(platform: str, event: str) -> None:
    """A scheduled post was claimed, sent or failed."""
    POSTS.labels(platform, event).inc()


class _Series:
    """One use case's series on one platform, looked up once (prometheus_client's labels() takes a lock)."""

    def __init__(self, platform: str, use_case: str) -> None:
        self.in_flight = IN_FLIGHT.labels(platform)
        self.latency = LATENCY.labels(use_case)
        self.outcomes = {outcome: REQUESTS.labels(platform, use_case, outcome) for outcome in OUTCOMES}
        self.answers = {outcome: ANSWERS.labels(platform, outcome) for outcome in ANSWER_OUTCOMES}


def observed(use_case: str, call: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
    """`call`, counted by outcome, timed, tracked while in flight, and with its platform, community and
    use case bound for the log lines written meanwhile."""
    series: dict[str, _Series] = {}

    @functools.wraps(call)
    async def measured(*args: P.args, **kwargs: P.kwargs) -> T:
        if "use_case" in current():  # called by another use case (overview -> class_list): counted there
            return await call(*args, **kwargs)
        actor = args[0] if args and isinstance(args[0], Actor) else None
        platform = actor.platform.value if actor is not None else NO_PLATFORM
        found = series.get(platform) or series.setdefault(platform, _Series(platform, use_case))
        outcome = "failed"
        started = time.perf_counter()
        found.in_flight.inc()
        token = enter(
            platform=None if actor is None else platform,
            community=None if actor is None else actor.community_id,
            use_case=use_case,
        )
        try:
            result = await call(*args, **kwargs)
            outcome = "ok"
            if isinstance(result, AnswerFeedback):
                found.answers["repeated" if result.repeated else "correct" if result.correct else "wrong"].inc()
            return result
        except StudyError:
            outcome = "refused"
            raise
        finally:
            leave(token)
            found.in_flight.dec()
            found.latency.observe(time.perf_counter() - started)
            found.outcomes[outcome].inc()

    return measured


def instrument(part: object, names: Iterable[str], *, prefix: str = "") -> None:
    """Replace each named use case of `part` (the service facade, or a group of it) by `observed` of it."""
    for name in names:
        setattr(part, name, observed(prefix + name, getattr(part, name)))


def exposition() -> bytes:
    """Every metric in Prometheus's text format."""
    return generate_latest(REGISTRY)
