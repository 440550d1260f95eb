"""Scheduled daily posts into Slack channels (the scheduler's Publisher for platform "slack"), and review
reminders as direct messages (`remind`: chat.postMessage to the user's id, which chat:write allows; Slack
puts it in the app's Messages tab, which the manifest turns on, read-only).

Each question message carries Slack message metadata naming its post (`POST_EVENT`, with the question's
ref), so a scheduler that took over a claim whose sender died mid-send can find the message in the
channel's history (`find_post`) instead of posting it a second time.

With one SLACK_BOT_TOKEN every post goes out with it. Installable by any workspace, each goes out with its
class's own workspace's bot (`Workspaces`, installations.py), never another workspace's.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack import render
from bot.core.publishing import PublishError
from bot.core.replies import DailyPost, ReviewReminder

if TYPE_CHECKING:
    from bot.adapters.slack.installations import Workspaces

log = logging.getLogger(__name__)

# Slack errors that no retry can fix: the teacher (or whoever installed the app) must act.
# The explanation is what `/study schedule show` shows as the last error.
PERMANENT: dict[str, str] = {
    "channel_not_found": "Slack cannot find this channel (deleted, or private and I was never invited)",
    "not_in_channel": "I am not a member of this channel: invite me with /invite @Study Bot",
    "is_archived": "the channel is archived",
    "account_inactive": "the app's bot user is deactivated (was the app uninstalled?)",
    "invalid_auth": "the bot token is not valid (check SLACK_BOT_TOKEN)",
    "not_authed": "no bot token was sent (check SLACK_BOT_TOKEN)",
    "token_revoked": "the bot token was revoked (was the app uninstalled?)",
    "missing_scope": "the app lacks a permission: reinstall it with the scopes in its manifest",
}

# Slack errors of a direct message that mean this student cannot get one (or not from us): no retry helps.
DM_PERMANENT: dict[str, str] = {
    "channel_not_found": "Slack cannot find this member (gone from the workspace?)",
    "user_not_found": "Slack cannot find this member (gone from the workspace?)",
    "user_disabled": "the member's account is deactivated",
    "messages_tab_disabled": "the app's Messages tab is off: turn it on (the manifest does)",
    "cannot_dm_bot": "the member is a bot",
    "restricted_action": "the workspace does not let this app message the member",
    "not_allowed_token_type": "the token cannot send direct messages (check SLACK_BOT_TOKEN)",
}


POST_EVENT = "studybot_daily_post"  # the metadata event_type on every scheduled question message
HISTORY_PAGE = 200  # messages per conversations.history page (Slack allows up to 999; 200 is its advice)
HISTORY_PAGES = 3  # pages read before giving up: a class channel rarely gets 600 messages within a day
LOOKUP_ERRORS = (SlackApiError, aiohttp.ClientError, OSError)  # OSError covers TimeoutError


def post_metadata(post: DailyPost) -> dict[str, Any]:
    """The message metadata that marks a message as this post (the question's ref is one per community per day)."""
    return {"event_type": POST_EVENT, "event_payload": {"ref": post.question.ref.encode()}}


def publish_error(error: Exception, permanent: dict[str, str] = PERMANENT) -> PublishError:
    """A failed Web API call as a PublishError: permanent for the errors in `permanent`, else retried."""
    if isinstance(error, SlackApiError):
        response = error.response
        code = str(response.get("error") or f"http_{response.status_code}")
        if code in permanent:
            detail = permanent[code]
            if code == "missing_scope" and response.get("needed"):
                detail += f" (needs {response.get('needed')})"
            return PublishError(f"{code}: {detail}", permanent=True)
        if code == "ratelimited" or response.status_code == 429:
            wait = (response.headers or {}).get("Retry-After") or (response.headers or {}).get("retry-after")
            return PublishError(f"ratelimited: Slack asked us to slow down (retry after {wait or '?'} s)")
        return PublishError(f"{code}: Slack refused the post")
    if isinstance(error, (aiohttp.ClientError, OSError)):  # OSError covers TimeoutError
        return PublishError(f"could not reach Slack ({type(error).__name__})")
    return PublishError(f"{type(error).__name__}: {error}")


class SlackPublisher:
    """Posts a DailyPost with chat.postMessage; returns the question message's ts. `find_post` finds it again."""

    def __init__(self, client: AsyncWebClient, workspaces: Workspaces | None = None) -> None:
        self.client = client
        self.workspaces = workspaces  # None: one workspace, `client`'s token
        self._me: tuple[str, str] | None = None  # (bot_id, user_id) from auth.test, asked once
        # In Socket Mode, whether its websocket is up now (for /readyz); HTTP mode has no connection to lose.
        self.is_connected: Callable[[], bool] = lambda: True

    @property
    def connected(self) -> bool:
        return self.is_connected()

    async def _client_for(self, community_id: str) -> AsyncWebClient:
        return self.client if self.workspaces is None else await self.workspaces.client_for(community_id)

    async def publish(self, channel_id: str, post: DailyPost) -> str:
        client = await self._client_for(post.community_id)
        first, *rest = render.daily_post(post)
        ts = await self._post(client, channel_id, {**first, "metadata": post_metadata(post)})
        for message in rest:
            # The question is out: a failed follow-up (the weekly board) must not make the
            # scheduler retry, which would post the question a second time.
            try:
                await self._post(client, channel_id, message)
            except PublishError as error:
                log.warning("slack: the weekly leaderboard for %s was not posted: %s", channel_id, error)
        return ts

    async def remind(self, reminder: ReviewReminder) -> None:
        """A direct message to the student: how many reviews wait, "Start review" and "Turn off reminders".
        PublishError (permanent when the member cannot be messaged at all) when Slack refuses it."""
        message = render.reminder(reminder)
        client = await self._client_for(reminder.community_id)
        try:
            await client.chat_postMessage(
                channel=reminder.user_id,  # a user id: Slack posts it into the app's DM with them
                text=message["text"],
                blocks=message["blocks"],
                unfurl_links=False,
                unfurl_media=False,
            )
        except Exception as error:
            raise publish_error(error, PERMANENT | DM_PERMANENT) from error

    async def find_post(self, channel_id: str, post: DailyPost, since: dt.datetime) -> str | None:
        """The ts of our own question message for this post in the channel since `since`, if it is there.

        Reads conversations.history with the messages' metadata (newest first, a few pages). When Slack
        cannot be asked (no channels:history scope, not in the channel, Slack down) it logs a warning
        and returns None: the scheduler then posts again, as it did before it could look.
        """
        ref = post.question.ref.encode()
        cursor: str | None = None
        try:
            client = await self._client_for(post.community_id)
            bot_id, user_id = await self._identity(post.community_id)
            for _ in range(HISTORY_PAGES):
                response = await client.conversations_history(
                    channel=channel_id,
                    oldest=f"{since.timestamp():.6f}",
                    include_all_metadata=True,
                    limit=HISTORY_PAGE,
                    cursor=cursor,
                )
                for message in response.get("messages") or []:
                    if _is_post(message, ref, bot_id, user_id):
                        return str(message["ts"])
                cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
                if not (response.get("has_more") and cursor):
                    return None
        except LOOKUP_ERRORS as error:
            log.warning(
                "slack: could not look in %s for the post that was being sent (%s); posting it again",
                channel_id,
                publish_error(error),
            )
            return None
        log.warning(
            "slack: %s has over %d messages since %s; posting again", channel_id, HISTORY_PAGE * HISTORY_PAGES, since
        )
        return None

    async def _identity(self, community_id: str) -> tuple[str, str]:
        if self.workspaces is not None:  # an installed workspace's bot is stored with its ids
            bot = await self.workspaces.bot(community_id)
            return bot.bot_id, bot.bot_user_id
        if self._me is None:
            response = await self.client.auth_test()
            self._me = (str(response.get("bot_id") or ""), str(response.get("user_id") or ""))
        return self._me

    async def _post(self, client: AsyncWebClient, channel_id: str, message: dict[str, Any]) -> str:
        """One chat.postMessage: the message's text and blocks, and its metadata if it has any."""
        try:
            response = await client.chat_postMessage(
                channel=channel_id,
                text=message["text"],
                blocks=message["blocks"],
                unfurl_links=False,
                unfurl_media=False,
                metadata=message.get("metadata"),
            )
        except Exception as error:
            raise publish_error(error) from error
        return str(response.get("ts") or "")


def _is_post(message: dict[str, Any], ref: str, bot_id: str, user_id: str) -> bool:
    """Whether a history message is our own one carrying the post with this ref."""
    ours = (bot_id and message.get("bot_id") == bot_id) or (user_id and message.get("user") == user_id)
    metadata = message.get("metadata") or {}
    payload = metadata.get("event_payload") or {}
    return bool(ours) and metadata.get("event_type") == POST_EVENT and payload.get("ref") == ref
