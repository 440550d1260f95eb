"""The one small interface through which the scheduler hands a post to the front end owning the channel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Protocol, runtime_checkable

from bot.core.replies import DailyPost, ReviewReminder
from bot.core.shards import Shards


class PublishError(Exception):
    """A post could not be sent. `permanent` (channel deleted, bot removed) stops retries at once."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class Publisher(Protocol):
    async def publish(self, channel_id: str, post: DailyPost) -> str:
        """Send the post into the channel; return a reference to the sent message."""
        ...


@runtime_checkable
class FindsPosts(Protocol):
    """A publisher that can tell whether a post already reached its channel (its sender died between the
    platform's answer and recording it), so a scheduler taking the claim over does not post it twice."""

    async def find_post(self, channel_id: str, post: DailyPost, since: dt.datetime) -> str | None:
        """The reference of the bot's own message carrying this post, sent since `since`, if there is one."""
        ...


@runtime_checkable
class SendsReminders(Protocol):
    """A publisher that can message one student directly (a Discord DM, a Slack DM)."""

    async def remind(self, reminder: ReviewReminder) -> None:
        """Tell the student how many reviews wait, with a way to start and a way to turn reminders off.
        Raise PublishError when the message cannot be delivered (DMs closed, the user gone)."""
        ...


@runtime_checkable
class Sharded(Protocol):
    """A publisher whose connection reaches only some of its platform's communities: Discord run as shards
    across processes. The scheduler claims only the posts of those communities."""

    @property
    def shards(self) -> Shards | None:
        """The shards this process serves; None when it serves them all."""
        ...


class Publishers:
    """The front ends that can post right now, by platform name.

    A front end adds its publisher once connected and removes it when it stops; adding one calls
    `on_change` (the scheduler's wake-up), so posts that fell due while it was offline go out at once.
    """

    def __init__(
        self, initial: Mapping[str, Publisher] | None = None, *, on_change: Callable[[], None] | None = None
    ) -> None:
        self._by_platform: dict[str, Publisher] = dict(initial or {})
        self._on_change = on_change or (lambda: None)

    def add(self, platform: str, publisher: Publisher) -> None:
        self._by_platform[platform] = publisher
        self._on_change()

    def remove(self, platform: str, publisher: Publisher) -> None:
        """Remove this publisher (and not one that replaced it since)."""
        if self._by_platform.get(platform) is publisher:
            del self._by_platform[platform]

    def get(self, platform: str) -> Publisher:
        return self._by_platform[platform]

    def platforms(self) -> list[str]:
        return list(self._by_platform)

    def shards(self) -> dict[str, Shards]:
        """The platforms whose publisher reaches only some communities, with the shards it serves."""
        found = {}
        for platform, publisher in self._by_platform.items():
            some = publisher.shards if isinstance(publisher, Sharded) else None
            if some is not None:
                found[platform] = some
        return found

    def __contains__(self, platform: object) -> bool:
        return platform in self._by_platform
