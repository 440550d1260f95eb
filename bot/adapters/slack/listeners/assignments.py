"""Assignments on Slack: `/study assign ...` (teachers: the announcement goes into the channel with
chat.postMessage, the teacher's confirmation is ephemeral), `/study assignments [mine | close N]`,
`/study start N`, and the buttons: "Start" / "Continue" / "Next question" and a teacher's "Close #N".

The service decides who is a teacher (admins and the teachers they name); here we only find out who is an
admin, and word a refusal in Slack's terms."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack import ids
from bot.adapters.slack.listeners.actors import Actors
from bot.adapters.slack.listeners.replies import Replier, decode, reply
from bot.adapters.slack.publisher import LOOKUP_ERRORS, publish_error
from bot.adapters.slack.render import Message
from bot.adapters.slack.render import assignments as render
from bot.core import commands as grammar
from bot.core.actor import Actor
from bot.core.errors import InvalidInput, NotAllowed

if TYPE_CHECKING:
    from bot.service import StudyService

log = logging.getLogger(__name__)

AssignmentCommand = grammar.Assign | grammar.ShowAssignments | grammar.StartAssignment


async def run(
    service: StudyService,
    actors: Actors,
    command: AssignmentCommand,
    actor: Actor,
    body: dict[str, Any],
    client: AsyncWebClient,
) -> Message:
    """One `/study` assignments command."""
    assignments = service.assignments
    if isinstance(command, grammar.StartAssignment):
        return render.step(await assignments.start(actor, command.number))
    actor = await actors.with_admin(actor, client)
    try:
        if isinstance(command, grammar.Assign):
            return await assign(service, command, actor, body, client)
        if command.close is not None:
            return render.closed(await assignments.close(actor, command.close))
        return render.overview(await assignments.overview(actor, mine=command.mine))
    except NotAllowed:
        raise NotAllowed(render.NOT_TEACHER) from None  # the service's wording is not Slack's


async def assign(
    service: StudyService, command: grammar.Assign, actor: Actor, body: dict[str, Any], client: AsyncWebClient
) -> Message:
    """Set the assignment, announce it once in the command's channel, and confirm to the teacher alone."""
    channel_id = body.get("channel_id") or ""
    if not channel_id:
        raise InvalidInput("Use `assign` in the channel the class should see the assignment in.")
    args = command.args
    created = await service.assignments.create(
        actor, channel_id, args.topic, args.due or "", count=args.count, goal=args.goal
    )
    announcement = render.announcement(created.assignment)
    try:
        posted = await client.chat_postMessage(
            channel=channel_id, text=announcement["text"], blocks=announcement["blocks"]
        )
    except LOOKUP_ERRORS as error:
        reason = str(publish_error(error))
        log.warning("slack: assignment %s not announced: %s", created.assignment.assignment_id, reason)
        return render.created(created, not_posted=reason)
    await service.assignments.announced(created.assignment.assignment_id, f"{posted.get('channel')}:{posted.get('ts')}")
    return render.created(created)


def register(app: AsyncApp, service: StudyService, actors: Actors) -> None:
    @app.action(ids.ASSIGNMENT_ACTION)
    async def assignment_button(ack, body, action, client):
        # "Start" on the announcement (a channel message: the reply is ephemeral all the same), "Continue"
        # on a student's list, "Next question" under an answer.
        await ack()
        replier = Replier.for_body(body, client)

        async def work() -> Message:
            number = decode(ids.parse_assignment_value, action.get("value", ""))
            return render.step(await service.assignments.start(await actors.named(body, client), number))

        await reply(replier, "assignment button", work)

    @app.action(ids.CLOSE_ASSIGNMENT_ACTION)
    async def close_assignment_button(ack, body, action, client):
        await ack()
        replier = Replier.for_body(body, client)

        async def work() -> Message:
            number = decode(ids.parse_assignment_value, action.get("value", ""))
            actor = await actors.with_admin(await actors.named(body, client), client)
            try:
                return render.closed(await service.assignments.close(actor, number))
            except NotAllowed:
                raise NotAllowed(render.NOT_TEACHER) from None

        await reply(replier, "close assignment button", work)
