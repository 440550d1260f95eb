"""/metrics over HTTP with METRICS=on: Prometheus's text format (parsed by prometheus_client's own
parser), counters that move when use cases run and the scheduler posts, and no name or id in it."""

from __future__ import annotations

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.core.actor import Actor, Platform
from bot.core.errors import StudyError
from bot.core.publishing import PublishError, Publishers
from bot.ops import health
from bot.scheduler import Scheduler
from tests.helpers import RecordingPublisher, correct_answer, wrong_answer

SCHOOL = "771122334455667788"  # ids and names that must never show in the metrics
TEACHER = Actor(Platform.DISCORD, SCHOOL, "661122334455667788", "Ms Ottoline Quarrie", is_admin=True)
ZELDA = Actor(Platform.DISCORD, SCHOOL, "551122334455667788", "Zelda Pemberton-Quist")
YURI = Actor(Platform.DISCORD, SCHOOL, "441122334455667788", "Yuri Vashtenko")
PERSONAL = [SCHOOL, *(a.user_id for a in (TEACHER, ZELDA, YURI)), "Ottoline", "Zelda", "Vashtenko"]
CHANNELS = ("881122334455667701", "881122334455667702")


def samples(text: str) -> dict[tuple[str, frozenset], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


def value(found: dict, name: str, **labels: str) -> float:
    return found.get((name, frozenset(labels.items())), 0.0)


async def metrics_text(session: aiohttp.ClientSession, base: str) -> str:
    async with session.get(base + "/metrics") as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain; version=")  # the exposition format
        return await response.text()


async def test_metrics_count_use_cases_answers_and_posts_and_show_no_names_or_ids(any_bot):
    service = any_bot.service
    readiness = health.Readiness(service.db.ping, lambda: {})
    async with health.serving(0, health.routes(readiness, metrics=True)) as port, aiohttp.ClientSession() as session:
        base = f"http://127.0.0.1:{port}"
        before = samples(await metrics_text(session, base))

        card = await service.daily_question(ZELDA)
        await service.submit_answer(ZELDA, correct_answer(service, card), card.ref)
        await service.submit_answer(ZELDA, wrong_answer(service, card), card.ref)  # the same daily: repeated
        other = await service.daily_question(YURI)
        await service.submit_answer(YURI, wrong_answer(service, other), other.ref)
        with pytest.raises(StudyError):  # a friendly refusal, not a failure
            await service.practice_question(ZELDA, "no such topic at all")
        await service.leaderboard(ZELDA)

        for channel in CHANNELS:
            await service.schedules.set(TEACHER, channel, time="08:30", channel_name="history")
        failing = RecordingPublisher(failures=[PublishError("the channel is gone", permanent=True)])
        sent = await Scheduler(service.posts, Publishers({"discord": failing})).tick()
        assert sorted(result for _, result in sent) == [False, True]

        text = await metrics_text(session, base)
    after = samples(text)

    def moved(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    ok = {"platform": "discord", "outcome": "ok"}
    assert moved("studybot_requests_total", use_case="daily_question", **ok) == 2
    assert moved("studybot_requests_total", use_case="submit_answer", **ok) == 3
    assert moved("studybot_requests_total", use_case="schedule_set", **ok) == 2
    refused = {"platform": "discord", "use_case": "practice_question", "outcome": "refused"}
    assert moved("studybot_requests_total", **refused) == 1
    assert moved("studybot_answers_total", platform="discord", outcome="correct") == 1
    assert moved("studybot_answers_total", platform="discord", outcome="repeated") == 1
    assert moved("studybot_answers_total", platform="discord", outcome="wrong") == 1
    assert moved("studybot_use_case_seconds_count", use_case="submit_answer") == 3
    assert moved("studybot_use_case_seconds_bucket", use_case="leaderboard", le="+Inf") == 1
    for event, count in (("claimed", 2), ("sent", 1), ("failed", 1)):
        assert moved("studybot_scheduled_posts_total", platform="discord", event=event) == count, event
    assert value(after, "studybot_in_flight", platform="discord") == 0  # none under way now
    assert ("studybot_shed_total", frozenset({("platform", "slack")})) in after  # defined, at 0: no shedding yet
    assert ("studybot_db_pool_in_use", frozenset()) in after
    leaked = [text_ for text_ in PERSONAL if text_ in text]
    assert leaked == [], f"personal data in /metrics: {leaked}"


async def test_metrics_are_a_404_unless_turned_on(any_bot):
    readiness = health.Readiness(any_bot.service.db.ping, lambda: {})
    async with health.serving(0, health.routes(readiness)) as port, aiohttp.ClientSession() as session:
        async with session.get(f"http://127.0.0.1:{port}/metrics") as response:
            assert response.status == 404
