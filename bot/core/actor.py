"""Who is asking: the one input every use case takes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Platform(StrEnum):
    DISCORD = "discord"
    SLACK = "slack"
    CONSOLE = "console"


@dataclass(frozen=True, slots=True)
class Actor:
    """A student or teacher in one community (Discord guild, Slack team, console class)."""

    platform: Platform
    community_id: str
    user_id: str
    display_name: str
    is_admin: bool = False
    community_name: str = ""
    # The member's roles in the community (Discord's role ids): a class may name one as its teachers'.
    role_ids: frozenset[str] = frozenset()
