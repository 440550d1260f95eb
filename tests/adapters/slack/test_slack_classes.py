"""A class as a whole, over the wire through bolt: the class goal on the weekly post, the teachers' `goal` and
`class delete`, `my-data` as a JSON file in the student's DM (files_upload_v2 against the fake Slack), the
Events API telling us the app was removed (and a request from the workspace when it is back), and streaks
that a weekend answer neither extends nor breaks."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
from typing import Any

import pytest
from sqlalchemy import select

from bot.adapters.slack import render
from bot.adapters.slack.listeners.files import NOT_SENT
from bot.store.models import Community
from tests.adapters.slack.fake_slack import all_text, dm_channel, signed_headers
from tests.adapters.slack.helpers import answer_post, correct_text

ADMIN = {"user": "UADMIN", "name": "mr_admin"}
STUDENT = {"user": "USTUD", "name": "sam"}


def london(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=dt.UTC)  # London is on UTC in November


@pytest.fixture
def directory(fake_slack):
    fake_slack.users.update({"UADMIN": {"is_admin": True}, "USTUD": {}, "U1": {}, "U2": {}})
    return fake_slack.users


# ---------------------------------------------------------------------- the class goal


async def test_the_weekly_post_shows_the_class_goal_first_and_only_teachers_set_it(
    slack, fake_slack, service, clock, scheduler, directory
):
    clock.now = london(25, 9)  # Wednesday
    await slack.ask("schedule set 10:00 Europe/London mon-fri board=fri", channel="C7", **ADMIN)
    refused = all_text(await slack.ask("goal 70%", **STUDENT))
    assert render.NOT_TEACHER_CLASS in refused
    assert "from 1 to 100" in all_text(await slack.ask("goal 170%", **ADMIN))
    assert "*70%*" in all_text(await slack.ask("goal 70%", **ADMIN))

    clock.now = london(25, 10, 1)
    assert [ok for _, ok in await scheduler.tick()] == [True]
    (wednesday,) = fake_slack.posted("C7")
    assert "Class goal" not in all_text(wednesday)  # only on the weekly board's day
    await answer_post(slack, fake_slack, service, wednesday, "C7", right=True, user="U1", name="alice")
    await answer_post(slack, fake_slack, service, wednesday, "C7", right=False, user="U2", name="bob")

    clock.now = london(27, 10, 1)  # Friday: the goal, then the reveal and the question; the board after
    assert [ok for _, ok in await scheduler.tick()] == [True]
    friday, board = fake_slack.posted("C7")[1:]
    first = friday["blocks"][0]["text"]["text"]
    assert first == "*Class goal:* 50% of this week's 2 daily answers right \u00b7 goal 70%"
    text = all_text({"blocks": friday["blocks"]})  # what the channel shows, top to bottom
    assert text.index("Class goal") < text.index("The last question") < text.index("Daily question")
    assert "This week's leaderboard" in all_text(board) and "Class goal" not in all_text(board)

    # Off: the share is still shown, without a target.
    assert "The class goal is off" in all_text(await slack.ask("goal off", **ADMIN))


def test_the_goal_line_says_when_the_goal_is_reached():
    from bot.core.replies import ClassGoal

    assert render.class_goal_line(ClassGoal(70, 25, 20)) == (
        "*Class goal:* 80% of this week's 25 daily answers right \u00b7 goal 70% reached! :tada:"
    )
    assert render.class_goal_line(ClassGoal(None, 4, 1)) == "*This week:* 25% of this week's 4 daily answers right"
    assert "no daily answers yet" in render.class_goal_line(ClassGoal(70, 0, 0))


# ---------------------------------------------------------------------- class delete


async def test_only_teachers_delete_the_class_and_only_with_the_typed_confirmation(slack, service, clock, directory):
    for who in (STUDENT, ADMIN):
        message = await slack.ask("daily", **who)
        await slack.ask(f"answer {correct_text(service, message)}", **who)
    assert "sam" in all_text(await slack.ask("leaderboard", **ADMIN))

    assert render.NOT_TEACHER_CLASS in all_text(await slack.ask("class delete delete everything", **STUDENT))
    wrong = all_text(await slack.ask("class delete yes please", **ADMIN))
    assert "To go ahead, type `class delete delete everything`" in wrong
    assert "sam" in all_text(await slack.ask("leaderboard", **ADMIN))  # nothing was deleted

    done = all_text(await slack.ask("class delete delete everything", **ADMIN))
    assert "2 member(s) and 2 answer(s)" in done
    after = all_text(await slack.ask("leaderboard", **ADMIN))
    assert "No points yet" in after and "sam" not in after and "mr_admin" not in after


# ---------------------------------------------------------------------- my-data


async def test_my_data_arrives_as_a_json_file_in_the_students_dm(slack, fake_slack, service, directory):
    message = await slack.ask("daily", **STUDENT)
    await slack.ask(f"answer {correct_text(service, message)}", **STUDENT)

    reply = await slack.ask("my-data", **STUDENT)
    assert reply["response_type"] == "ephemeral" and "direct message" in all_text(reply)
    (file,) = await fake_slack.wait_for(lambda: fake_slack.files_in(dm_channel("USTUD")))
    assert file["name"] == "studybot-my-data-slack.json"
    data = json.loads(file["content"].decode("utf-8"))
    assert data["class"] == {"platform": "slack", "id": "T1"}
    assert [answer["correct"] for answer in data["answers"]] == [True]
    assert "my-data" in all_text(fake_slack.dms("USTUD")[0])  # the note the file follows
    assert fake_slack.files_in(dm_channel("UADMIN")) == []  # nobody else's DM

    fake_slack.fail("files.completeUploadExternal", "missing_scope")
    refused = all_text(await slack.ask("my-data", **STUDENT))
    assert NOT_SENT.format(error="missing_scope") in refused


# ---------------------------------------------------------------------- the app removed, and back


def event_body(event: dict[str, Any], *, team: str = "T1") -> str:
    return json.dumps(
        {
            "token": "legacy-verification-token",
            "team_id": team,
            "api_app_id": "A1",
            "event": {**event, "event_ts": f"{time.time():.6f}"},
            "type": "event_callback",
            "event_id": f"Ev{time.time_ns()}",
            "event_time": int(time.time()),
            "authorizations": [{"enterprise_id": None, "team_id": team, "user_id": "UBOT", "is_bot": True}],
            "is_ext_shared_channel": False,
        }
    )


async def post_json(slack, body: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    headers = (headers or signed_headers(body)) | {"Content-Type": "application/json"}
    status, text, elapsed = await slack.post(body, headers)
    assert elapsed < 3
    return status, text


async def removed_at(service, team: str = "T1") -> dt.datetime | None:
    async with service.db.read_sessions() as session:
        return await session.scalar(
            select(Community.removed_at).where(Community.platform == "slack", Community.external_id == team)
        )


async def until(predicate, timeout: float = 5.0):  # noqa: ANN001, ANN201
    deadline = time.monotonic() + timeout
    while not (result := await predicate()):
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)
    return result


async def test_uninstalling_the_app_marks_the_class_and_a_request_after_reinstalling_calls_it_off(
    slack, fake_slack, service, clock
):
    await slack.ask("daily")
    assert await removed_at(service) is None
    fake_slack.fail("auth.test", "invalid_auth")  # the token died with the install: bolt must not need it

    status, text = await post_json(slack, event_body({"type": "app_uninstalled"}))
    assert (status, text) == (200, "")  # bolt acked it
    assert await until(lambda: removed_at(service)) is not None

    del fake_slack.failures[("auth.test", None)]
    await slack.ask("daily")  # reinstalled: a member's command shows the app is back
    assert await until(lambda: _is_none(removed_at(service)))


async def _is_none(value) -> bool:  # noqa: ANN001
    return await value is None


async def test_a_revoked_bot_token_is_a_removal_and_a_user_token_is_not(slack, service):
    await slack.ask("daily")
    status, _ = await post_json(slack, event_body({"type": "tokens_revoked", "tokens": {"oauth": ["U1"]}}))
    assert status == 200
    await asyncio.sleep(0.2)
    assert await removed_at(service) is None

    status, _ = await post_json(slack, event_body({"type": "tokens_revoked", "tokens": {"bot": ["UBOT"]}}))
    assert status == 200
    assert await until(lambda: removed_at(service)) is not None


async def test_forged_or_malformed_events_never_reach_bolt_and_url_verification_is_answered(slack, service):
    await slack.ask("daily")
    body = event_body({"type": "app_uninstalled"})
    forged = signed_headers(body, secret="not-the-secret")
    assert (await post_json(slack, body, forged))[0] == 401
    assert (await post_json(slack, body, signed_headers(body, timestamp=int(time.time()) - 3600)))[0] == 401
    no_team = json.dumps({**json.loads(body), "team_id": None})
    assert await post_json(slack, no_team) == (400, "malformed payload: team_id is missing")
    bad_tokens = event_body({"type": "tokens_revoked", "tokens": {"bot": "UBOT"}})
    assert await post_json(slack, bad_tokens) == (400, "malformed payload: event.tokens is malformed")
    unsubscribed = event_body({"type": "member_joined_channel", "user": "U1", "channel": "C1"})
    assert (await post_json(slack, unsubscribed))[0] == 400  # no listener takes it
    await asyncio.sleep(0.2)
    assert await removed_at(service) is None

    challenge = json.dumps({"token": "t", "challenge": "c-123", "type": "url_verification"})
    status, text = await post_json(slack, challenge)
    assert status == 200 and "c-123" in text


# ---------------------------------------------------------------------- streaks and the weekend


async def test_a_saturday_answer_neither_extends_nor_breaks_a_streak(slack, service, clock):
    students = ({"user": "U1", "name": "alice"}, {"user": "U2", "name": "bob"})

    async def answer(who: dict[str, str]) -> str:
        message = await slack.ask("daily", **who)
        return all_text(await slack.ask(f"answer {correct_text(service, message)}", **who))

    for day in range(23, 28):  # Monday 23 to Friday 27 November
        clock.now = london(day, 9)
        for n, who in enumerate(students):
            assert f"streak {day - 22}" in await answer(who), (day, n)
    clock.now = london(28, 9)  # Saturday: alice answers, it scores, her streak stays
    saturday = await answer(students[0])
    assert "Correct!" in saturday and "streak 5" in saturday
    clock.now = london(30, 9)  # Monday: both streaks go on
    for who in students:
        assert "streak 6" in await answer(who), who


def test_the_manifest_subscribes_to_the_removal_events_and_may_upload_files():
    import yaml

    from bot.adapters.slack import manifest_text

    manifest = yaml.safe_load(manifest_text())
    assert manifest["settings"]["event_subscriptions"]["bot_events"] == ["app_uninstalled", "tokens_revoked"]
    assert "request_url" not in manifest["settings"]["event_subscriptions"]  # Socket Mode: no URL
    assert "files:write" in manifest["oauth_config"]["scopes"]["bot"]
    assert "my-data" in manifest["features"]["slash_commands"][0]["usage_hint"]
    http = yaml.safe_load(manifest_text("https://study.example.org"))
    assert http["settings"]["event_subscriptions"]["request_url"] == "https://study.example.org/slack/events"
