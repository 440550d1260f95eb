"""Where a reply goes, and `reply`: the one place a listener's failure becomes a friendly message."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.adapters.slack import render
from bot.core.errors import NotFound, StudyError

log = logging.getLogger(__name__)

T = TypeVar("T")
Work = Callable[[], Awaitable[render.Message | None]]


@dataclass(frozen=True, slots=True)
class Replier:
    """Where a reply goes: the interaction's response_url, else an ephemeral chat message."""

    client: AsyncWebClient
    response_url: str | None
    channel_id: str | None
    user_id: str | None

    @classmethod
    def for_body(cls, body: dict[str, Any], client: AsyncWebClient) -> Replier:
        channel = body.get("channel_id") or (body.get("channel") or {}).get("id")
        channel = channel or (body.get("container") or {}).get("channel_id")
        user = body.get("user_id") or (body.get("user") or {}).get("id")
        return cls(client, body.get("response_url"), channel, user)

    async def send(self, message: render.Message, *, replace: bool = False) -> None:
        """`replace` swaps the (ephemeral) message the button was on for this one, when the response_url works."""
        if self.response_url:
            payload = {**message, "response_type": "ephemeral", "replace_original": replace}
            # The app's one HTTP session (open while the app serves): a reply reuses its connections.
            webhook = AsyncWebhookClient(self.response_url, session=self.client.session)
            response = await webhook.send_dict(payload)
            if response.status_code == 200:
                return
            # Never log the URL itself: it is a credential for this conversation.
            log.warning("slack response_url refused the reply (status %s)", response.status_code)
        if self.channel_id and self.user_id:
            await self.client.chat_postEphemeral(
                channel=self.channel_id, user=self.user_id, text=message["text"], blocks=message.get("blocks")
            )
        else:
            log.warning("slack reply dropped: no response_url and no channel")


async def reply(replier: Replier, what: str, work: Work, *, replace: bool = False) -> None:
    """Run `work` after the ack and send its message: the ONE place errors become replies."""
    try:
        message = await work()
    except StudyError as err:
        log.info("slack %s: %s: %s", what, type(err).__name__, err.message)
        message = render.error(err)
    except Exception:
        log.exception("slack %s failed", what)
        message = render.error(None)
    if message is None:
        return
    try:
        await replier.send(message, replace=replace)
    except Exception:
        log.exception("slack %s: could not send the reply", what)


def decode(
    parse: Callable[[str], T], value: str, *, instead: str = f"Ask for a new question with `{render.COMMAND} quiz`."
) -> T:
    """Button values are ours; one that does not parse is from an old or foreign message (`instead`: what
    the student can do then)."""
    try:
        return parse(value)
    except (ValueError, KeyError):
        raise NotFound(f"That button no longer works. {instead}") from None
