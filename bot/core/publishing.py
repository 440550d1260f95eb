"""The one small interface through which the scheduler hands a post to the front end owning the channel."""

from __future__ import annotations

from typing import Protocol

from bot.core.replies import DailyPost


class PublishError(Exception):
    """A post could not be sent. `permanent` (channel deleted, bot removed) stops retries at once."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class Publisher(Protocol):
    async def publish(self, channel_id: str, post: DailyPost) -> str:
        """Send the post into the channel; return a reference to the sent message."""
        ...
