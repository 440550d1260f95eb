"""The forms' submissions (the short-answer modal, the essay plan): check nothing is empty, close the form,
then answer where its button was."""

from __future__ import annotations

import json
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

    @app.view(ids.ESSAY_VIEW)
    async def on_essay_plan_submit(ack, body, view, client):
        state = (view.get("state") or {}).get("values") or {}
        parts = [
            ((state.get(block) or {}).get(ids.ANSWER_INPUT) or {}).get("value") or "" for block in ids.ESSAY_BLOCKS
        ]
        empty = {
            block: "Please fill this in."
            for block, part in zip(ids.ESSAY_BLOCKS, parts, strict=True)
            if not part.strip()
        }
        if empty:
            await ack(response_action="errors", errors=empty)
            return
        await ack()
        try:
            metadata = json.loads(view.get("private_metadata") or "{}")
            plan_id, url, channel = int(metadata["plan"]), metadata.get("url") or None, metadata.get("channel") or None
        except (ValueError, KeyError, TypeError):
            plan_id, url, channel = None, None, None
        replier = Replier(client, url, channel, (body.get("user") or {}).get("id"))

        async def work() -> render.Message:
            if plan_id is None:
                raise NotFound("That form no longer works. Start another plan with `/study essay`.")
            actor = await actors.named(body, client)
            return render.plan_compared(await service.submit_essay_plan(actor, *parts, plan_id=plan_id))

        await reply(replier, "essay plan form", work)
