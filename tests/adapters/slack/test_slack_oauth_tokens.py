"""Token rotation with "Add to Slack": a workspace's 12-hour token is renewed with its refresh token near
its expiry, by bolt's authorize for a request and by the publisher for a scheduled post, saved in the
database, and used from then on by both (renewed once, not once each). Also the settings that choose
the mode, and the manifest of an app any workspace installs."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest
import yaml
from pydantic import SecretStr

from bot.adapters.slack import SlackConfigError, check_settings, manifest_text
from bot.cli import main
from bot.config import Settings
from bot.core.actor import Actor, Platform
from tests.adapters.slack.fake_oauth import CLIENT_ID, CLIENT_SECRET, Workspace
from tests.adapters.slack.fake_slack import APP_TOKEN, BOT_TOKEN, all_text
from tests.adapters.slack.helpers import make_settings
from tests.adapters.slack.installing import Installable, serving_any_workspace, tokens_of

ADMIN = {"user": "UADMIN", "name": "mr_admin"}
WEDNESDAY_9AM = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
# Tokens that expire in a minute: the next use renews them (bolt renews in a token's last two hours).
ROTATING_R = Workspace("TR", "xoxe.xoxb-rotating-r", "BR", "UBOTR", refresh_token="xoxe-1-r", expires_in=60)
ROTATING_S = Workspace("TS", "xoxe.xoxb-rotating-s", "BS", "UBOTS", refresh_token="xoxe-1-s", expires_in=60)


@pytest.fixture
def service(any_service):
    """These run on SQLite, and on PostgreSQL too when TEST_DATABASE_URL is set."""
    return any_service


@pytest.fixture
async def app(service, fake_slack) -> AsyncIterator[Installable]:
    fake_slack.users.update({"UADMIN": {"is_admin": True}})
    async with serving_any_workspace(service, fake_slack) as served:
        yield served


async def test_rotating_tokens_are_renewed_once_saved_and_used_by_requests_and_posts(app, service, fake_slack, clock):
    await app.install(ROTATING_R)
    await app.install(ROTATING_S)
    clock.now = WEDNESDAY_9AM

    # A request renews R's token before bolt uses it; the publisher later posts with the renewed one.
    since = len(fake_slack.calls)
    assert "Schedule saved." in all_text(await app.slack.ask("schedule set 10:00", team="TR", channel="CR", **ADMIN))
    assert set(tokens_of(fake_slack, "users.info", since)) == {"xoxe.xoxb-rotating-r-r1"}
    bot_r = await service.slack_installations.find_bot(None, "TR")
    assert bot_r["bot_token"] == "xoxe.xoxb-rotating-r-r1" and bot_r["bot_refresh_token"] == "xoxe-1-r-r1"
    assert bot_r["bot_token_expires_at"] > dt.datetime.now(dt.UTC) + dt.timedelta(hours=11)

    # S's first use is the scheduled post: the publisher renews it, and the request after it does not.
    assert (await service.slack_installations.find_bot(None, "TS"))["bot_token"] == ROTATING_S.token
    admin_s = Actor(Platform.SLACK, "TS", "UADMIN", "mr_admin", is_admin=True)
    await service.schedules.set(admin_s, "CS", time="10:00")  # set without a request from TS
    clock.now = WEDNESDAY_9AM.replace(hour=10, minute=1)
    assert sorted(ok for _, ok in await app.scheduler.tick()) == [True, True]
    posted = {call.body["channel"]: call.headers["Authorization"] for call in fake_slack.api_calls("chat.postMessage")}
    assert posted == {"CR": "Bearer xoxe.xoxb-rotating-r-r1", "CS": "Bearer xoxe.xoxb-rotating-s-r2"}
    since = len(fake_slack.calls)
    await app.slack.ask("schedule show", team="TS", channel="CS", **ADMIN)
    assert set(tokens_of(fake_slack, "users.info", since)) == {"xoxe.xoxb-rotating-s-r2"}

    renewals = [call.body for call in fake_slack.api_calls("oauth.v2.access") if "refresh_token" in call.body]
    assert [body["refresh_token"] for body in renewals] == ["xoxe-1-r", "xoxe-1-s"]  # once each


# ---------------------------------------------------------------------- the mode the settings choose


def test_the_settings_choose_one_workspace_or_any_and_say_what_is_missing():
    any_workspace = {"slack_bot_token": None, "slack_client_id": CLIENT_ID, "slack_client_secret": SecretStr("s")}
    check_settings(make_settings(**any_workspace), need_bot_token=True)  # no SLACK_BOT_TOKEN needed
    check_settings(make_settings())  # one workspace, as before
    problems = {
        "not both": make_settings(slack_client_id=CLIENT_ID, slack_client_secret=SecretStr("s")),
        "also needs SLACK_CLIENT_SECRET": make_settings(slack_bot_token=None, slack_client_id=CLIENT_ID),
        "also needs SLACK_CLIENT_ID and SLACK_SIGNING_SECRET": make_settings(
            slack_bot_token=None, slack_client_secret=SecretStr("s"), slack_signing_secret=None
        ),
        "unset SLACK_APP_TOKEN": make_settings(**any_workspace, slack_app_token=SecretStr(APP_TOKEN)),
    }
    for expected, settings in problems.items():
        with pytest.raises(SlackConfigError, match=expected):
            check_settings(settings)


def test_the_client_secret_is_a_secret_and_turns_slack_on(monkeypatch):
    for name in ("SLACK_BOT_TOKEN", "DISCORD_TOKEN", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings(_env_file=None, slack_client_id=CLIENT_ID, slack_client_secret=CLIENT_SECRET)
    assert settings.front_ends == ["slack"]
    assert CLIENT_SECRET in settings.secret_values() and CLIENT_SECRET not in repr(settings)
    assert Settings(_env_file=None, slack_client_id=CLIENT_ID).front_ends == []  # half a pair is not an app
    assert Settings(_env_file=None, slack_bot_token=BOT_TOKEN, slack_client_id=" ").slack_client_id is None


# ---------------------------------------------------------------------- the manifest


def test_the_distributed_manifest_has_the_redirect_url_the_events_and_no_socket_mode(capsys):
    manifest = yaml.safe_load(manifest_text("https://study.example.org/", distributed=True))
    assert manifest["oauth_config"]["redirect_urls"] == ["https://study.example.org/slack/oauth_redirect"]
    settings = manifest["settings"]
    assert settings["event_subscriptions"]["bot_events"] == ["app_uninstalled", "tokens_revoked"]
    assert settings["event_subscriptions"]["request_url"] == "https://study.example.org/slack/events"
    assert settings["interactivity"]["request_url"] == "https://study.example.org/slack/events"
    assert manifest["features"]["slash_commands"][0]["url"] == "https://study.example.org/slack/events"
    assert settings["socket_mode_enabled"] is False
    assert "redirect_urls" not in yaml.safe_load(manifest_text("https://study.example.org"))["oauth_config"]

    assert main(["slack", "manifest", "--distributed", "https://study.example.org"]) == 0
    assert yaml.safe_load(capsys.readouterr().out) == manifest
    with pytest.raises(SystemExit, match="2"):
        main(["slack", "manifest", "--distributed"])
    assert "--distributed: expected one argument" in capsys.readouterr().err
