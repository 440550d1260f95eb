"""Scheduled daily posts into Slack channels (the scheduler's Publisher for platform "slack")."""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack import render
from bot.core.publishing import PublishError
from bot.core.replies import DailyPost

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


def publish_error(error: Exception) -> PublishError:
    """A failed Web API call as a PublishError: permanent for the errors in PERMANENT, else retried."""
    if isinstance(error, SlackApiError):
        response = error.response
        code = str(response.get("error") or f"http_{response.status_code}")
        if code in PERMANENT:
            detail = PERMANENT[code]
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
    """Posts a DailyPost with chat.postMessage; returns the question message's ts."""

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client

    async def publish(self, channel_id: str, post: DailyPost) -> str:
        first, *rest = render.daily_post(post)
        ts = await self._post(channel_id, first)
        for message in rest:
            # The question is out: a failed follow-up (the weekly board) must not make the
            # scheduler retry, which would post the question a second time.
            try:
                await self._post(channel_id, message)
            except PublishError as error:
                log.warning("slack: the weekly leaderboard for %s was not posted: %s", channel_id, error)
        return ts

    async def _post(self, channel_id: str, message: dict[str, Any]) -> str:
        try:
            response = await self.client.chat_postMessage(
                channel=channel_id,
                text=message["text"],
                blocks=message["blocks"],
                unfurl_links=False,
                unfurl_media=False,
            )
        except Exception as error:
            raise publish_error(error) from error
        return str(response.get("ts") or "")
