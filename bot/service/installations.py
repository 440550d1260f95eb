"""The Slack workspaces that installed the app through "Add to Slack" (OAuth v2), and the installs under way.

Kept in the database, so every process and every restart sees every installation. The Slack adapter's
installation store and state store (bot/adapters/slack/installations.py) are this, in slack_sdk's
terms; records are dicts of slack_sdk's field names (bot/store/installations.py).

A state is unguessable, good once, and only for `lifetime`: a redirect that brings back a forged, reused
or stale one is refused before any code is exchanged, so nothing is stored.
"""

from __future__ import annotations

import datetime as dt
import secrets

from bot.core.clock import Clock
from bot.store import installations as rows
from bot.store.db import Database
from bot.store.installations import Record

ENTERPRISE = "enterprise:"  # a community that is a whole Enterprise Grid org (listeners' community_of)


class SlackInstallations:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def new_state(self, lifetime: dt.timedelta) -> str:
        state = secrets.token_urlsafe(32)
        now = self.clock()
        async with self.db.engine.begin() as connection:
            await rows.issue_state(connection, state, now + lifetime, now)
        return state

    async def consume_state(self, state: str) -> bool:
        """True once for a state this bot issued that has not expired; False for anything else."""
        if not state or len(state) > 64:
            return False
        async with self.db.engine.begin() as connection:
            return await rows.consume_state(connection, state, self.clock())

    async def save(self, installation: Record) -> None:
        """An install: the workspace's bot and its installer, in one transaction."""
        async with self.db.engine.begin() as connection:
            if installation.get("bot_token"):
                await rows.save_bot(connection, installation)
            await rows.save_installer(connection, installation)

    async def save_bot(self, bot: Record) -> None:
        """The workspace's bot alone (a token rotated)."""
        async with self.db.engine.begin() as connection:
            await rows.save_bot(connection, bot)

    async def find_bot(self, enterprise_id: str | None, team_id: str | None) -> Record | None:
        async with self.db.engine.connect() as connection:
            return await rows.find_bot(connection, enterprise_id, team_id)

    async def bot_of(self, community_id: str) -> Record | None:
        """The bot of a Slack community as the service names it: a team id, or `enterprise:E...` for an org."""
        async with self.db.engine.connect() as connection:
            if community_id.startswith(ENTERPRISE):
                return await rows.find_bot(connection, community_id.removeprefix(ENTERPRISE), None)
            return await rows.find_bot_of_team(connection, community_id)

    async def find_installation(
        self, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> Record | None:
        async with self.db.engine.connect() as connection:
            return await rows.find_installation(connection, enterprise_id, team_id, user_id)

    async def delete_bot(self, enterprise_id: str | None, team_id: str | None) -> None:
        async with self.db.engine.begin() as connection:
            await rows.delete_bot(connection, enterprise_id, team_id)

    async def delete_installation(self, enterprise_id: str | None, team_id: str | None, user_id: str | None) -> None:
        async with self.db.engine.begin() as connection:
            await rows.delete_installers(connection, enterprise_id, team_id, user_id)

    async def delete_all(self, enterprise_id: str | None, team_id: str | None) -> None:
        """The app uninstalled: the workspace's bot and every installer, in one transaction."""
        async with self.db.engine.begin() as connection:
            await rows.delete_bot(connection, enterprise_id, team_id)
            await rows.delete_installers(connection, enterprise_id, team_id)
