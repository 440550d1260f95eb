"""Is this member a workspace admin or owner? `users.info`, cached per (team, user) for a few minutes.

Only the schedule commands ask, so students' commands never wait for it. A failed lookup counts as
"not an admin" and is not cached: named teachers still work, and the next command asks again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)

TTL_SECONDS = 300.0
MAX_ENTRIES = 5000


class AdminCache:
    def __init__(self, ttl: float = TTL_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.clock = clock
        self._known: dict[tuple[str, str], tuple[float, bool]] = {}

    async def is_admin(self, client: AsyncWebClient, team_id: str, user_id: str) -> bool:
        key = (team_id, user_id)
        now = self.clock()
        cached = self._known.get(key)
        if cached is not None and cached[0] > now:
            return cached[1]
        try:
            response = await client.users_info(user=user_id)
        except SlackApiError as error:
            code = error.response.get("error")
            hint = " (add the users:read scope and reinstall the app)" if code == "missing_scope" else ""
            log.warning("slack users.info failed: %s%s; treating the member as not an admin", code, hint)
            return False
        except Exception:
            log.warning("slack users.info failed; treating the member as not an admin", exc_info=True)
            return False
        user = response.get("user") or {}
        admin = bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
        if len(self._known) >= MAX_ENTRIES:
            self._known = {k: v for k, v in self._known.items() if v[0] > now}
            if len(self._known) >= MAX_ENTRIES:
                self._known.clear()
        self._known[key] = (now + self.ttl, admin)
        return admin
