"""The short-answer modal's submission: check it is not empty, close it, then answer where the button was."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt.async_app import AsyncApp

from bot.adapters.slack import ids, render
from bot.adapters.slack.listeners.actors import Actors
from bot.adapters.slack.listeners.replies import Replier, reply
from bot.core.errors import NotFound

if TYPE_CHECKING:
    from bot.service import StudyService


def register(app: AsyncApp, service: StudyService, actors: Actors) -> None:
    @app.view(ids.ANSWER_VIEW)
    async def on_modal_submit(ack, body, view, client):
        value = ((view.get("state") or {}).get("values") or {}).get(ids.ANSWER_BLOCK, {})
        text = (value.get(ids.ANSWER_INPUT) or {}).get("value") or ""
        if not text.strip():
            await ack(response_action="errors", errors={ids.ANSWER_BLOCK: "Please type an answer."})
            return
        await ack()
        try:
            ref, url, channel = ids.parse_modal_metadata(view.get("private_metadata", ""))
        except (ValueError, KeyError):
            ref, url, channel = None, None, None
        replier = Replier(client, url, channel, (body.get("user") or {}).get("id"))

        async def work() -> render.Message:
            if ref is None:
                raise NotFound("That form no longer works. Ask for a new question.")
            return render.feedback(await service.submit_answer(await actors.named(body, client), text, ref))

        await reply(replier, "answer modal", work)
