"""Bolt listeners, registered from one place (the shape of Slack's bolt starter template).

    commands.py   the `/study ...` slash command (the text grammar is core's: bot.core.commands)
    actions.py    button clicks
    views.py      the short-answer modal's submission
    events.py     the Events API: the app uninstalled or its token revoked (and back again)
    files.py      `my-data`'s file, uploaded to the student's direct message
    assignments.py `assign`, `assignments`, `start` and the assignments' buttons
    reports.py    the teachers' `report` (its chart) and `export` (the CSV), uploaded to their DM
    actors.py     who is asking: the member under the name the workspace directory shows
    replies.py    where a reply goes, and the one place failures become a friendly reply

Every listener acknowledges first (Slack allows three seconds) and does its work afterwards.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse

from bot.adapters.slack.listeners import actions, assignments, commands, events, views
from bot.adapters.slack.listeners.actors import Actors

if TYPE_CHECKING:
    from bot.service import StudyService

log = logging.getLogger(__name__)


def register(app: AsyncApp, service: StudyService) -> None:
    """All of the Slack front end. One `Actors` for all listeners: every one of them names the
    member as the directory does, so no click can rename anyone to their handle."""
    actors = Actors()
    app.middleware(skip_retries)
    events.register(app, service)
    commands.register(app, service, actors)
    actions.register(app, service, actors)
    views.register(app, service, actors)
    assignments.register(app, service, actors)


async def skip_retries(req, next_):  # bolt injects arguments by name
    # We ack before working, so a retry means only that Slack missed our ack while the first
    # delivery is being (or has been) handled: acknowledge it and do nothing twice.
    if req.headers.get("x-slack-retry-num"):
        log.info("slack retry ignored (attempt %s)", req.headers["x-slack-retry-num"][0])
        return BoltResponse(status=200, body="")
    return await next_()
