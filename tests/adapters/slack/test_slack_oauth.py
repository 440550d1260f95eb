"""Installable by any workspace ("Add to Slack", OAuth v2), over the wire: bolt's install page and redirect
served by our app, the fake Slack's oauth.v2.access, installations and states in the real database, and
every request and scheduled post sent with its own workspace's token."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from bot.store.models import Community, Schedule, ScheduledPost, SlackBot, SlackInstaller, SlackOAuthState
from tests.adapters.slack.fake_oauth import BOT_SCOPES, CLIENT_ID
from tests.adapters.slack.fake_slack import all_text
from tests.adapters.slack.helpers import correct_text, question_of
from tests.adapters.slack.installing import SCHOOL_A, SCHOOL_B, Installable, serving_any_workspace
from tests.adapters.slack.test_slack_classes import event_body, post_json

ADMIN = {"user": "UADMIN", "name": "mr_admin"}
WEDNESDAY_9AM = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)  # London is on UTC in November


@pytest.fixture
def service(any_service):
    """These run on SQLite, and on PostgreSQL too when TEST_DATABASE_URL is set."""
    return any_service


@pytest.fixture
async def app(service, fake_slack) -> AsyncIterator[Installable]:
    fake_slack.users.update({"UADMIN": {"is_admin": True}, "U1": {}, "U2": {}})
    async with serving_any_workspace(service, fake_slack) as served:
        yield served


async def stored(service) -> dict[str, int]:
    async with service.db.engine.connect() as connection:
        return {
            model.__tablename__: (await connection.execute(select(func.count()).select_from(model))).scalar_one()
            for model in (SlackBot, SlackInstaller, SlackOAuthState)
        }


async def test_the_install_page_sends_the_admin_to_slack_with_a_state_kept_in_the_database(app, service, fake_slack):
    url, query, state = await app.install_page()
    assert url.startswith(fake_slack.base + "/oauth/v2/authorize?")  # SLACK_API_URL's site, as GovSlack needs
    assert query["client_id"] == [CLIENT_ID] and query["scope"] == [BOT_SCOPES]
    assert len(state) >= 32
    assert await stored(service) == {"slack_bots": 0, "slack_installations": 0, "slack_oauth_states": 1}


async def test_two_workspaces_install_and_each_is_served_and_posted_to_with_its_own_token(
    app, service, fake_slack, clock
):
    await app.install(SCHOOL_A)
    await app.install(SCHOOL_B)
    assert await stored(service) == {"slack_bots": 2, "slack_installations": 2, "slack_oauth_states": 0}
    assert [call.body["code"] for call in fake_slack.api_calls("oauth.v2.access")] == ["code-TA-1", "code-TB-2"]

    clock.now = WEDNESDAY_9AM
    for school, channel in ((SCHOOL_A, "CA"), (SCHOOL_B, "CB")):
        since = len(fake_slack.calls)
        saved = all_text(await app.slack.ask("schedule set 10:00", team=school.team, channel=channel, **ADMIN))
        assert "Schedule saved." in saved
        used = {call.headers.get("Authorization") for call in fake_slack.calls[since:] if call.path.startswith("/api/")}
        assert used == {f"Bearer {school.token}"}  # auth.test and users.info: this workspace's bot only

    clock.now = WEDNESDAY_9AM.replace(hour=10, minute=1)
    assert sorted(ok for _, ok in await app.scheduler.tick()) == [True, True]
    posted = {call.body["channel"]: call.headers["Authorization"] for call in fake_slack.api_calls("chat.postMessage")}
    assert posted == {"CA": f"Bearer {SCHOOL_A.token}", "CB": f"Bearer {SCHOOL_B.token}"}
    assert fake_slack.posted("CA")[0]["bot_id"] == "BA" and fake_slack.posted("CB")[0]["bot_id"] == "BB"

    # Each workspace's own daily question (the one posted in its channel) and its own leaderboard.
    for school, channel, student in ((SCHOOL_A, "CA", "U1"), (SCHOOL_B, "CB", "U2")):
        asked = await app.slack.ask("daily", team=school.team, channel=channel, user=student, name=student.lower())
        assert question_of(service, asked)[0] == question_of(service, fake_slack.posted(channel)[0])[0]
        answer = f"answer {correct_text(service, asked)}"
        reply = await app.slack.ask(answer, team=school.team, channel=channel, user=student, name=student.lower())
        assert "Correct!" in all_text(reply)
    board_a = all_text(await app.slack.ask("leaderboard", team="TA", channel="CA", user="U1", name="u1"))
    board_b = all_text(await app.slack.ask("leaderboard", team="TB", channel="CB", user="U2", name="u2"))
    assert "u1" in board_a and "u2" not in board_a
    assert "u2" in board_b and "u1" not in board_b


async def test_a_forged_reused_or_stale_state_is_refused_and_nothing_is_stored(app, service, fake_slack, clock):
    code = fake_slack.installs.code_for(SCHOOL_A)
    status, page = await app.redirect(code, "made-up-state", cookie="made-up-state")
    assert status == 401 and "invalid_state" in page
    _, _, state = await app.install_page()
    assert (await app.redirect(code, state))[0] == 400  # another browser: no state cookie
    assert (await app.redirect(code, state, cookie="another-state"))[0] == 400
    assert fake_slack.api_calls("oauth.v2.access") == []  # no code was exchanged for a token
    assert (await stored(service))["slack_bots"] == 0

    assert (await app.redirect(code, state, cookie=state))[0] == 200  # the real one, once
    second = fake_slack.installs.code_for(SCHOOL_B)
    status, page = await app.redirect(second, state, cookie=state)  # the same state again
    assert status == 401 and "invalid_state" in page
    _, _, stale = await app.install_page()
    clock.advance(minutes=11)  # a state lasts ten minutes
    assert (await app.redirect(second, stale, cookie=stale))[0] == 401
    assert len(fake_slack.api_calls("oauth.v2.access")) == 1
    assert await service.slack_installations.find_bot(None, "TB") is None
    assert (await stored(service))["slack_bots"] == 1


async def test_a_code_slack_refuses_stores_nothing(app, service, fake_slack):
    _, _, state = await app.install_page()
    status, page = await app.redirect("code-nobody-issued", state, cookie=state)
    assert status == 401 and "invalid_code" in page
    assert (await stored(service))["slack_bots"] == 0


async def test_uninstalling_removes_the_installation_and_only_that_workspace_s(app, service, fake_slack, clock):
    await app.install(SCHOOL_A)
    await app.install(SCHOOL_B)
    clock.now = WEDNESDAY_9AM
    await app.slack.ask("schedule set 10:00", team="TA", channel="CA", **ADMIN)
    await app.slack.ask("schedule set 10:00", team="TB", channel="CB", **ADMIN)

    status, _ = await post_json(app.slack, event_body({"type": "app_uninstalled"}, team="TA"))
    assert status == 200
    await until_gone(service, "TA")
    assert await service.slack_installations.find_installation(None, "TA") is None
    assert await service.slack_installations.find_bot(None, "TB") is not None

    gone = await app.slack.ask("daily", team="TA", channel="CA", user="U1", name="u1")
    assert "no longer available" in all_text(gone)  # bolt's word for a workspace without an installation
    clock.now = WEDNESDAY_9AM.replace(hour=10, minute=1)
    results = {claim.channel_id: ok for claim, ok in await app.scheduler.tick()}
    assert results == {"CA": False, "CB": True}
    assert [call.body["channel"] for call in fake_slack.api_calls("chat.postMessage")] == ["CB"]
    async with service.db.engine.connect() as connection:
        status, error, removed_at = (
            await connection.execute(
                select(ScheduledPost.status, ScheduledPost.last_error, Community.removed_at)
                .join(Schedule, Schedule.id == ScheduledPost.schedule_id)
                .join(Community, Community.id == Schedule.community_id)
                .where(Schedule.channel_id == "CA")
            )
        ).one()
    assert status == "failed" and error.startswith("not_installed")  # given up at once: no retry can post it
    assert removed_at is not None  # and the class's data-deletion clock started

    # A revoked bot token is a removal too: the workspace's bot goes.
    revoked = event_body({"type": "tokens_revoked", "tokens": {"bot": [SCHOOL_B.bot_user]}}, team="TB")
    assert (await post_json(app.slack, revoked))[0] == 200
    await until_gone(service, "TB")


async def until_gone(service, team: str) -> None:
    for _ in range(100):
        if await service.slack_installations.find_bot(None, team) is None:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"the installation of {team} is still there")
