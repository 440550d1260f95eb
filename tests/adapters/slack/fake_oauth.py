"""The fake Slack's side of "Add to Slack" (OAuth v2): oauth.v2.access, and each workspace's bot identity.

A test gives a code to a workspace (`FakeInstalls.code_for`) as Slack would hand it to the installer's
browser; oauth.v2.access exchanges it once, with the app's client id and secret, for that workspace's bot
token (and, with token rotation, a refresh token and an expiry; a refresh token gets a new token).
auth.test and chat.postMessage answer as the bot whose token the call carries.
"""

from __future__ import annotations

import base64
import itertools
from dataclasses import dataclass, field
from typing import Any

CLIENT_ID = "1111.2222"
CLIENT_SECRET = "test-client-secret-0000"
BOT_SCOPES = "commands,chat:write,chat:write.public,users:read,channels:history,groups:history,files:write"
ROTATED_LIFETIME = 43_200  # seconds: Slack's rotating tokens last 12 hours
DEFAULT_BOT = {"user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1", "user": "studybot", "team": "Test"}


@dataclass(frozen=True)
class Workspace:
    team: str
    token: str
    bot_id: str
    bot_user: str
    installer: str = "UADMIN"
    refresh_token: str | None = None  # with token rotation on
    expires_in: int | None = None


@dataclass
class FakeInstalls:
    codes: dict[str, Workspace] = field(default_factory=dict)
    bots: dict[str, dict[str, str]] = field(default_factory=dict)  # token -> auth.test's answer
    refresh: dict[str, Workspace] = field(default_factory=dict)
    _rotations: itertools.count = field(default_factory=lambda: itertools.count(1))
    _codes: itertools.count = field(default_factory=lambda: itertools.count(1))

    def code_for(self, workspace: Workspace) -> str:
        code = f"code-{workspace.team}-{next(self._codes)}"
        self.codes[code] = workspace
        return code

    def identity(self, authorization: str | None) -> dict[str, str]:
        """auth.test's answer for the token in an Authorization header."""
        return self.bots.get((authorization or "").removeprefix("Bearer "), DEFAULT_BOT)

    def access(self, body: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
        """oauth.v2.access: a code for its workspace's installation, or a refresh token for a new token."""
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if headers.get("Authorization") != f"Basic {expected}":
            return {"ok": False, "error": "invalid_client_id"}
        if body.get("grant_type") == "refresh_token":
            workspace = self.refresh.pop(str(body.get("refresh_token")), None)
            if workspace is None:
                return {"ok": False, "error": "invalid_refresh_token"}
            n = next(self._rotations)
            rotated = Workspace(
                workspace.team,
                f"{workspace.token}-r{n}",
                workspace.bot_id,
                workspace.bot_user,
                workspace.installer,
                f"{workspace.refresh_token}-r{n}",
                ROTATED_LIFETIME,
            )
            self._issue(rotated)
            return {"ok": True, "token_type": "bot", **self._tokens(rotated)}
        workspace = self.codes.pop(str(body.get("code")), None)
        if workspace is None:  # unknown, or used already
            return {"ok": False, "error": "invalid_code"}
        self._issue(workspace)
        return {
            "ok": True,
            "app_id": "A1",
            "authed_user": {"id": workspace.installer},
            "scope": BOT_SCOPES,
            "token_type": "bot",
            "bot_user_id": workspace.bot_user,
            "team": {"id": workspace.team, "name": f"School {workspace.team}"},
            "enterprise": None,
            "is_enterprise_install": False,
            **self._tokens(workspace),
        }

    def _issue(self, workspace: Workspace) -> None:
        self.bots[workspace.token] = {
            "user_id": workspace.bot_user,
            "bot_id": workspace.bot_id,
            "team_id": workspace.team,
            "user": "studybot",
            "team": f"School {workspace.team}",
        }
        if workspace.refresh_token:
            self.refresh[workspace.refresh_token] = workspace

    @staticmethod
    def _tokens(workspace: Workspace) -> dict[str, Any]:
        tokens: dict[str, Any] = {"access_token": workspace.token}
        if workspace.refresh_token:
            tokens |= {"refresh_token": workspace.refresh_token, "expires_in": workspace.expires_in}
        return tokens
