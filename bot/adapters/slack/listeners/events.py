"""The Events API: the app was uninstalled from a workspace, or its bot token revoked (both mean the bot
was removed: the class's data is deleted in 30 days unless it returns). bolt acknowledges an event before
its listener runs, and skips its auth.test for these two (the token no longer works). Installable by any
workspace, the app also forgets the workspace's installation (bolt's own listeners for these events do it:
its bot for a revoked bot token, the user's installation for a revoked user token, everything on uninstall).

There is no "installed" event: a request from a workspace (a command, a click, a form) shows the app is
installed there, so the first one after start-up, and the first after a removal, calls off the deletion."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncApp

from bot.adapters.slack.listeners.actors import community_of
from bot.core.actor import Platform
from bot.core.errors import first_line

if TYPE_CHECKING:
    from bot.service import StudyService

log = logging.getLogger(__name__)

REMOVAL_EVENTS = ("app_uninstalled", "tokens_revoked")


class Presence:
    """The workspaces this process knows the app is installed in (so `bot_returned` runs once for each)."""

    def __init__(self, service: StudyService) -> None:
        self.service = service
        self._present: set[str] = set()

    async def seen(self, community: str) -> None:
        if community in self._present:
            return
        await self.service.bot_returned(Platform.SLACK.value, community)
        self._present.add(community)

    async def removed(self, community: str) -> None:
        self._present.discard(community)
        await self.service.bot_removed(Platform.SLACK.value, community)


def register(app: AsyncApp, service: StudyService) -> Presence:
    presence = Presence(service)

    async def mark_present(body, next_):  # bolt injects arguments by name
        # Only requests a member made: an event may be about the removal itself.
        if body.get("type") != "event_callback" and (community := community_of(body)) is not None:
            try:
                await presence.seen(community)
            except Exception as error:  # the database away: the next request tries again
                log.warning("slack: could not record that the app is installed in a workspace: %s", first_line(error))
        return await next_()

    async def removed(body: dict[str, Any], what: str) -> None:
        community = community_of(body)
        if community is None:
            log.warning("slack %s without a team: ignored", what)
            return
        log.info("slack %s: the class's data will be deleted in 30 days unless the app returns", what)
        await presence.removed(community)

    forget_installation = app.installation_store is not None

    @app.event("app_uninstalled")
    async def on_app_uninstalled(body, context):
        if forget_installation:
            await app.default_app_uninstalled_event_listener()(context=context)
        await removed(body, "app_uninstalled")

    @app.event("tokens_revoked")
    async def on_tokens_revoked(body, event, context):
        if forget_installation:
            await app.default_tokens_revoked_event_listener()(event=event, context=context)
        # Only the bot's token matters (the app holds no user tokens); a user's revoked token is not a removal.
        if (event.get("tokens") or {}).get("bot"):
            await removed(body, "tokens_revoked")

    app.middleware(mark_present)
    return presence
