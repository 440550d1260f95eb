"""The teachers' `report` and `export`, delivered to the teacher's DM with the app: an ephemeral message cannot
carry a file. As for `my-data` (listeners/files.py), the message goes first with chat.postMessage to the user
id, which needs no im:write, and Slack's answer names the DM that files_upload_v2 then shares the file in
(files.completeUploadExternal takes a conversation id, never a user id). The channel gets only a note."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.listeners.files import NOT_SENT, FileNotSent
from bot.adapters.slack.render import reports as render
from bot.adapters.slack.render.blocks import Message
from bot.core.actor import Actor
from bot.core.errors import NotAllowed

if TYPE_CHECKING:
    from bot.service import StudyService

log = logging.getLogger(__name__)


async def send_report(service: StudyService, client: AsyncWebClient, teacher: Actor, args: str) -> Message:
    """`report [period] [topic]`: the report and its chart in the teacher's DM; the note for the channel."""
    try:
        report = await service.class_report(teacher, args)
    except NotAllowed:
        raise NotAllowed(render.NOT_TEACHER) from None  # the service's wording is not Slack's
    with _delivery("report"):
        channel = await _dm(client, teacher.user_id, render.class_report(report))
        if report.chart_png:
            await client.files_upload_v2(
                channel=channel,
                filename=f"{report.file_stem}.png",
                title=f"Class report: {report.period.label}",
                content=report.chart_png,
                alt_txt="Answers per day, and each topic's share right, weakest first",
                initial_comment=render.CHART_COMMENT,
            )
    return render.report_sent(report)


async def send_export(service: StudyService, client: AsyncWebClient, teacher: Actor, period: str) -> Message:
    """`export [period]`: the CSV of every attempt in the teacher's DM; the note for the channel."""
    with tempfile.TemporaryDirectory(prefix="studybot-export-") as folder:
        path = Path(folder) / "answers.csv"
        try:
            done = await service.export_answers(teacher, period, path)
        except NotAllowed:
            raise NotAllowed(render.NOT_TEACHER) from None
        with _delivery("export"):
            channel = await _dm(client, teacher.user_id, render.export_note(done))
            await client.files_upload_v2(channel=channel, filename=done.filename, title=done.filename, file=str(path))
    return render.export_sent(done)


async def _dm(client: AsyncWebClient, user_id: str, note: Message) -> str:
    """Post `note` to the user's DM with the app; the DM's id, for the file."""
    posted = await client.chat_postMessage(
        channel=user_id, text=note["text"], blocks=note["blocks"], unfurl_links=False, unfurl_media=False
    )
    channel = str(posted.get("channel") or "")
    if not channel:
        raise FileNotSent(NOT_SENT.format(error="no direct message channel"))
    return channel


@contextmanager
def _delivery(what: str) -> Iterator[None]:
    """Slack refusing the DM or the upload becomes FileNotSent, with Slack's error code (never a token) logged."""
    try:
        yield
    except SlackApiError as error:
        code = str(error.response.get("error") or "unknown error")
        log.warning("slack %s: Slack refused the DM or the file: %s", what, code)
        raise FileNotSent(NOT_SENT.format(error=code)) from None
