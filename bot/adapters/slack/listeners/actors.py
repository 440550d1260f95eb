"""Who is asking: the Actor behind a slash command, a click or a modal, named as Slack shows them."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.admins import AdminCache
from bot.adapters.slack.names import NameDirectory
from bot.core.actor import Actor, Platform


def community_of(body: dict[str, Any]) -> str | None:
    """The community (workspace) a payload is from: its team, else its Enterprise Grid org; None without."""
    team_id = body.get("team_id") or (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id")
    enterprise_id = body.get("enterprise_id") or (body.get("enterprise") or {}).get("id")
    return team_id or (f"enterprise:{enterprise_id}" if enterprise_id else None)


def actor_from(body: dict[str, Any]) -> Actor:
    """The member behind a payload, under their handle. Listeners use `Actors.named` instead: the
    service keeps the name it is given, and the directory's name is the one to keep."""
    if "user_id" in body:  # slash command (form fields)
        user_id, name, domain = body.get("user_id"), body.get("user_name"), body.get("team_domain")
    else:  # block_actions / view_submission (JSON payload)
        user, team = body.get("user") or {}, body.get("team") or {}
        user_id = user.get("id")
        name, domain = user.get("username") or user.get("name"), team.get("domain")
    community = community_of(body)
    if not community or not user_id:
        raise ValueError("payload without a team or a user")
    return Actor(
        Platform.SLACK,
        community_id=community,
        user_id=user_id,
        display_name=name or user_id,
        community_name=domain or "",
    )


class Actors:
    """The one way listeners learn who is asking: names from the workspace directory, admin from users.info."""

    def __init__(self, names: NameDirectory | None = None, admins: AdminCache | None = None) -> None:
        self.names = names or NameDirectory()
        self.admins = admins or AdminCache()

    async def named(self, body: dict[str, Any], client: AsyncWebClient) -> Actor:
        """The member behind the request, under the name Slack shows for them (not their handle)."""
        actor = actor_from(body)
        name = await self.names.name(client, actor.community_id, actor.user_id, actor.display_name)
        return replace(actor, display_name=name)

    async def with_admin(self, actor: Actor, client: AsyncWebClient) -> Actor:
        """The actor, marked as a workspace admin when Slack says they are one."""
        return replace(actor, is_admin=await self.admins.is_admin(client, actor.community_id, actor.user_id))
