"""Exactly once across a crash, over the wire: SlackPublisher marks each scheduled question message with
its post's metadata and finds it again in conversations.history, so a scheduler that takes over a claim
left "sending" does not post it twice (issue 18). The real slack_sdk against the fake Slack."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select

from bot.adapters.slack import SlackPublisher
from bot.adapters.slack.publisher import POST_EVENT
from bot.core.actor import Actor, Platform
from bot.core.publishing import FindsPosts, Publishers
from bot.core.replies import DailyPost, QuestionRef
from bot.core.vocabulary import Mode
from bot.scheduler import Scheduler
from bot.store.models import ScheduledPost
from tests.adapters.slack.fake_slack import BOT_TOKEN, FakeSlack
from tests.helpers import FakeClock

TEACHER = Actor(Platform.SLACK, "T1", "UADMIN", "mr_admin", is_admin=True)
FRIDAY = dt.date(2026, 11, 27)


def new_publisher(fake_slack: FakeSlack) -> SlackPublisher:
    """A publisher as a (re)started process builds it: its own Web API client."""
    return SlackPublisher(AsyncWebClient(token=BOT_TOKEN, base_url=fake_slack.api_url))


@pytest.fixture
def publisher(fake_slack: FakeSlack, clock: FakeClock) -> SlackPublisher:
    fake_slack.clock = clock  # the fake's ts follow the test's clock, as Slack's follow real time
    return new_publisher(fake_slack)


def daily(service, day: dt.date = FRIDAY, question: int = 0) -> DailyPost:  # noqa: ANN001
    question_id = sorted(service.bank.questions)[question]
    return DailyPost(service.catalogue.asked(QuestionRef(question_id, Mode.DAILY, day)))


def yesterday(clock: FakeClock) -> dt.datetime:
    return clock() - dt.timedelta(days=1)


async def test_a_published_post_is_found_again_by_its_metadata(fake_slack, service, clock, publisher):
    assert isinstance(publisher, FindsPosts)
    post = daily(service)
    ts = await publisher.publish("C7", post)
    sent = fake_slack.api_calls("chat.postMessage")[-1].body
    assert sent["metadata"] == {"event_type": POST_EVENT, "event_payload": {"ref": post.question.ref.encode()}}

    clock.advance(minutes=3)
    assert await new_publisher(fake_slack).find_post("C7", post, yesterday(clock)) == ts
    (history,) = fake_slack.api_calls("conversations.history")
    assert history.body["channel"] == "C7" and history.body["include_all_metadata"] in {"1", "true"}
    assert float(history.body["oldest"]) == pytest.approx(yesterday(clock).timestamp())
    assert history.headers["Authorization"] == f"Bearer {BOT_TOKEN}"


async def test_another_days_post_another_channel_or_someone_elses_message_is_not_the_post(
    fake_slack, service, clock, publisher
):
    friday = daily(service)
    await publisher.publish("C7", friday)
    saturday = daily(service, FRIDAY + dt.timedelta(days=1))
    assert await publisher.find_post("C7", saturday, yesterday(clock)) is None  # another day's ref
    assert await publisher.find_post("C8", friday, yesterday(clock)) is None  # another channel

    # The same metadata on another app's (or a person's) message is not ours.
    fake_slack.add_message(
        "C9", {"bot_id": "BOTHER", "user": "UOTHER", "metadata": fake_slack.posted("C7")[0]["metadata"]}
    )
    assert await publisher.find_post("C9", friday, yesterday(clock)) is None

    # A post older than `since` is out of the window looked at.
    clock.advance(days=2)
    assert await publisher.find_post("C7", friday, yesterday(clock)) is None


async def test_the_post_is_found_past_a_page_of_newer_messages(fake_slack, service, clock, publisher, monkeypatch):
    monkeypatch.setattr("bot.adapters.slack.publisher.HISTORY_PAGE", 5)
    post = daily(service)
    ts = await publisher.publish("C7", post)
    for n in range(7):  # the class chats after the post: it is on the second page
        fake_slack.add_message("C7", {"user": f"U{n}", "text": f"message {n}"})
    assert await publisher.find_post("C7", post, yesterday(clock)) == ts
    pages = fake_slack.api_calls("conversations.history")
    assert len(pages) == 2 and pages[1].body["cursor"] == "5"


@pytest.mark.parametrize("error", ["missing_scope", "not_in_channel", "ratelimited", "internal_error"])
async def test_a_failed_lookup_is_not_found_and_says_so(fake_slack, service, clock, publisher, caplog, error):
    post = daily(service)
    await publisher.publish("C7", post)
    fake_slack.fail("conversations.history", error)
    with caplog.at_level(logging.WARNING, logger="bot.adapters.slack.publisher"):
        assert await publisher.find_post("C7", post, yesterday(clock)) is None
    (warning,) = [r for r in caplog.records if r.name == "bot.adapters.slack.publisher"]
    assert warning.levelno == logging.WARNING and error in warning.getMessage() and "C7" in warning.getMessage()
    assert BOT_TOKEN not in caplog.text


async def test_a_failed_identity_lookup_is_not_found(fake_slack, service, clock, publisher):
    post = daily(service)
    await publisher.publish("C7", post)
    fake_slack.fail("auth.test", "invalid_auth")
    assert await new_publisher(fake_slack).find_post("C7", post, yesterday(clock)) is None


# ---------------------------------------------------------------------- through the real Scheduler


async def crashed_while_sending(service, clock, *, published: SlackPublisher | None) -> str:  # noqa: ANN001
    """A process claims Friday's post in C7, marks it "sending", sends it (if `published`), and dies
    before recording it; the lease then runs out. Returns the ts it sent, or ""."""
    clock.now = dt.datetime(2026, 11, 27, 7, 0, tzinfo=dt.UTC)
    await service.schedules.set(TEACHER, "C7", time="08:30", timezone="Europe/London")
    clock.now = dt.datetime(2026, 11, 27, 8, 31, tzinfo=dt.UTC)
    (claim,) = await service.posts.claim_due(clock(), ["slack"], "crashed-process")
    assert await service.posts.start_sending(claim)
    ts = ""
    if published is not None:
        (post,) = await service.posts.build_posts([claim])
        ts = await published.publish("C7", post)
    clock.advance(minutes=3)  # past the 2-minute lease
    return ts


async def message_refs(service) -> list[tuple[str, str | None]]:  # noqa: ANN001
    async with service.db.read_sessions() as session:
        rows = await session.execute(select(ScheduledPost.status, ScheduledPost.message_ref))
        return [tuple(row) for row in rows]


async def test_a_post_sent_before_a_crash_is_not_sent_again_by_the_scheduler_taking_over(
    fake_slack, service, clock, publisher
):
    ts = await crashed_while_sending(service, clock, published=publisher)
    assert len(fake_slack.posted("C7")) == 1

    restarted = Scheduler(service.posts, Publishers({"slack": new_publisher(fake_slack)}))
    assert [sent for _, sent in await restarted.tick()] == [True]
    assert len(fake_slack.posted("C7")) == 1  # looked for, found, not posted again
    assert await message_refs(service) == [("sent", ts)]
    assert await restarted.tick() == []


async def test_a_post_the_crash_stopped_before_slack_is_sent_once_by_the_scheduler_taking_over(
    fake_slack, service, clock, publisher
):
    await crashed_while_sending(service, clock, published=None)
    assert fake_slack.posted("C7") == []

    restarted = Scheduler(service.posts, Publishers({"slack": new_publisher(fake_slack)}))
    assert [sent for _, sent in await restarted.tick()] == [True]
    (message,) = fake_slack.posted("C7")
    assert len(fake_slack.api_calls("conversations.history")) == 1  # looked first
    assert await message_refs(service) == [("sent", message["ts"])]
