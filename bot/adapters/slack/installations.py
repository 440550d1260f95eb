"""Installable by any workspace ("Add to Slack", OAuth v2): bolt's OAuth flow over the bot's database.

- `DatabaseInstallationStore`: slack_sdk's AsyncInstallationStore on the service's SlackInstallations: one
  bot per team and enterprise, and its installers. bolt's authorize reads it for every request (so each
  is served with its own workspace's token) and saves refreshed tokens through it when rotation is on.
- `DatabaseStateStore`: the OAuth states, one-time and expiring, in the database too, so the redirect may
  reach another process than the install page did.
- `distribution(...)`: what AsyncApp is built with for all this, and the `Workspaces`: a workspace's own
  bot client for what no request carries a token for (the scheduler's posts and review reminders).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.error import BoltError
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackTokenRotationError
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.manifest import INSTALL_PATH, REDIRECT_PATH, bot_scopes
from bot.core.errors import first_line
from bot.core.publishing import PublishError

if TYPE_CHECKING:
    from bot.service.installations import SlackInstallations

log = logging.getLogger(__name__)

STATE_LIFETIME = dt.timedelta(minutes=10)  # from the install page to Slack's redirect back
ROTATE_BEFORE_MINUTES = 120  # a rotating token (12 hours) is refreshed in its last two hours, as bolt does
UNAVAILABLE = "Adding the app to Slack is not possible just now. Please try again in a few minutes."
NOT_INSTALLED = "the app is not installed in this workspace (any more): a workspace admin can add it again"


class DatabaseInstallationStore(AsyncInstallationStore):
    """Installations and bots, kept by the service (bot/service/installations.py) as records of the same fields."""

    def __init__(self, installations: SlackInstallations) -> None:
        self.installations = installations

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_save(self, installation: Installation) -> None:
        try:
            await self.installations.save(installation.to_dict())
        except Exception as error:  # bolt shows its "storage_error" page; the error's text may hold a token
            log.warning("slack: could not store an installation (%s)", type(error).__name__)
            raise BoltError("the installation could not be stored") from error

    async def async_save_bot(self, bot: Bot) -> None:
        await self.installations.save_bot(bot.to_dict())

    async def async_find_bot(
        self, *, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None = False
    ) -> Bot | None:
        found = await self.installations.find_bot(enterprise_id, None if is_enterprise_install else team_id)
        return Bot(**found) if found else None

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        team = None if is_enterprise_install else team_id
        found = await self.installations.find_installation(enterprise_id, team, user_id)
        return Installation(**found) if found else None

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self.installations.delete_bot(enterprise_id, team_id)

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        await self.installations.delete_installation(enterprise_id, team_id, user_id)

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self.installations.delete_all(enterprise_id, team_id)

    async def bot_of(self, community_id: str) -> Bot | None:
        """The bot of a class's workspace, by the community id the service knows it by."""
        found = await self.installations.bot_of(community_id)
        return Bot(**found) if found else None


class DatabaseStateStore(AsyncOAuthStateStore):
    def __init__(self, installations: SlackInstallations, lifetime: dt.timedelta = STATE_LIFETIME) -> None:
        self.installations = installations
        self.lifetime = lifetime

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        return await self.installations.new_state(self.lifetime)

    async def async_consume(self, state: str) -> bool:
        return await self.installations.consume_state(state)


@dataclass(frozen=True, slots=True)
class Distribution:
    """What an app installable by any workspace is built with: AsyncApp's `oauth_settings` and `authorize`,
    and the `workspaces` its publisher posts with."""

    settings: AsyncOAuthSettings
    authorize: AsyncInstallationStoreAuthorize
    workspaces: Workspaces


def distribution(
    installations: SlackInstallations, client_id: str, client_secret: str, client: AsyncWebClient
) -> Distribution:
    """bolt's OAuth flow over our stores, with our own authorize (bolt's, over our store) rather than the
    one AsyncOAuthSettings builds: that one rotates tokens through a client of its own on slack.com, where
    ours uses `client` (SLACK_API_URL). It caches auth.test's answer per token, so a request costs one
    database read, not a Web API call as well."""
    store = DatabaseInstallationStore(installations)
    settings = AsyncOAuthSettings(
        client_id=client_id,
        client_secret=client_secret,
        scopes=bot_scopes(),
        user_scopes=[],  # the app acts as its bot only
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        authorization_url=_site(client.base_url) + "oauth/v2/authorize",
        installation_store=store,
        state_store=DatabaseStateStore(installations),
        state_expiration_seconds=int(STATE_LIFETIME.total_seconds()),
        token_rotation_expiration_minutes=ROTATE_BEFORE_MINUTES,
        logger=log,
    )
    authorize = AsyncInstallationStoreAuthorize(
        logger=log,
        installation_store=store,
        client_id=client_id,
        client_secret=client_secret,
        token_rotation_expiration_minutes=ROTATE_BEFORE_MINUTES,
        cache_enabled=True,
        client=client,
    )
    rotator = AsyncTokenRotator(client_id=client_id, client_secret=client_secret, client=client)
    return Distribution(settings, authorize, Workspaces(store, client, rotator))


def oauth_routes(flow: AsyncOAuthFlow) -> list[web.RouteDef]:
    """GET /slack/install (the "Add to Slack" page; it sets the state's cookie) and /slack/oauth_redirect
    (where Slack sends the installer back with a code and the state), answered by bolt's flow. A refused
    redirect gets bolt's "Something went wrong" page; a database away, a line of text and 503."""

    def serve(handle: Callable[[AsyncBoltRequest], Awaitable[BoltResponse]]) -> Callable:
        async def handler(request: web.Request) -> web.Response:
            try:
                response = await handle(await to_bolt_request(request))
            except Exception as error:
                log.warning("slack: %s could not be answered: %s", request.path, type(error).__name__)
                return web.Response(status=503, text=UNAVAILABLE)
            return await to_aiohttp_response(response)

        return handler

    return [
        web.get(flow.install_path, serve(flow.handle_installation)),
        web.get(flow.redirect_uri_path, serve(flow.handle_callback)),
    ]


def _site(api_url: str) -> str:
    """https://slack.com/ for https://slack.com/api/ (GovSlack's and a test's fake alike)."""
    return api_url.rstrip("/").removesuffix("/api") + "/"


class Workspaces:
    """Each installed workspace's bot, for the publisher: found by the class's community id, its token
    refreshed first when rotation is on and it is about to expire (and saved, for every process)."""

    def __init__(self, store: DatabaseInstallationStore, client: AsyncWebClient, rotator: AsyncTokenRotator) -> None:
        self.store = store
        self.client = client
        self.rotator = rotator

    async def bot(self, community_id: str) -> Bot:
        """The workspace's bot; PublishError (permanent when the app is not installed there) otherwise."""
        bot = await self.store.bot_of(community_id)
        if bot is None:
            raise PublishError(f"not_installed: {NOT_INSTALLED}", permanent=True)
        try:
            refreshed = await self.rotator.perform_bot_token_rotation(
                bot=bot, minutes_before_expiration=ROTATE_BEFORE_MINUTES
            )
        except SlackTokenRotationError as error:
            raise PublishError(
                f"token_rotation: Slack did not renew the token ({first_line(error.api_error)})"
            ) from error
        if refreshed is not None:
            await self.store.async_save_bot(refreshed)
            bot = refreshed
        return bot

    async def client_for(self, community_id: str) -> AsyncWebClient:
        """A Web API client with the workspace's own bot token (the same base URL and timeout as the app's)."""
        bot = await self.bot(community_id)
        return AsyncWebClient(
            token=bot.bot_token,
            base_url=self.client.base_url,
            timeout=self.client.timeout,
            logger=self.client.logger,
            session=self.client.session,
        )
