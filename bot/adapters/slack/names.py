"""Members' names as Slack shows them, from the workspace directory (`users.list`).

Slash commands and clicks carry only the username (a handle such as "sam.smith"); leaderboards should
show the name the class knows. One walk of `users.list` per workspace an hour serves every student, so
the morning rush, when a whole school answers within minutes, never asks Slack once per student (which
`users.info`'s rate limit would refuse). A failed walk keeps the last good directory, or the usernames
if there never was one, so a name never flips back to the handle.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.grading import visible

log = logging.getLogger(__name__)

REFRESH_SECONDS = 3600.0
RETRY_SECONDS = 300.0  # after a failed walk
PAGE_SIZE = 1000
MAX_PAGES = 20  # workspaces beyond 20,000 members keep usernames for the rest
NAME_LIMIT = 100


class NameDirectory:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._names: dict[str, dict[str, str]] = {}  # team -> user id -> name
        self._next_walk: dict[str, float] = {}
        self._walking: dict[str, asyncio.Lock] = {}

    async def name(self, client: AsyncWebClient, team_id: str, user_id: str, username: str) -> str:
        if self.clock() >= self._next_walk.get(team_id, 0.0):
            async with self._walking.setdefault(team_id, asyncio.Lock()):  # one walk at a time per team
                if self.clock() >= self._next_walk.get(team_id, 0.0):
                    await self._walk(client, team_id)
        return self._names.get(team_id, {}).get(user_id) or username

    async def _walk(self, client: AsyncWebClient, team_id: str) -> None:
        names: dict[str, str] = {}
        cursor = None
        try:
            for _ in range(MAX_PAGES):
                response = await client.users_list(limit=PAGE_SIZE, cursor=cursor)
                for member in response.get("members") or []:
                    if shown := _shown_name(member):
                        names[member["id"]] = shown
                cursor = (response.get("response_metadata") or {}).get("next_cursor")
                if not cursor:
                    break
        except SlackApiError as error:
            code = error.response.get("error")
            hint = " (add the users:read scope and reinstall the app)" if code == "missing_scope" else ""
            log.warning("slack users.list failed: %s%s; keeping the names known so far", code, hint)
            self._next_walk[team_id] = self.clock() + RETRY_SECONDS
            return
        except Exception:
            log.warning("slack users.list failed; keeping the names known so far", exc_info=True)
            self._next_walk[team_id] = self.clock() + RETRY_SECONDS
            return
        self._names[team_id] = names
        self._next_walk[team_id] = self.clock() + REFRESH_SECONDS


def _shown_name(member: dict[str, Any]) -> str:
    """The name Slack shows for a person: their display name, else their full name."""
    if member.get("deleted") or member.get("is_bot") or not member.get("id"):
        return ""
    profile = member.get("profile") or {}
    candidates = (profile.get("display_name"), profile.get("real_name"), member.get("real_name"))
    # A display name made only of zero-width or bidi marks looks empty: the full name stands in.
    return next((shown for name in candidates if (shown := visible(str(name or "")))), "")[:NAME_LIMIT]
