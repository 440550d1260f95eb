"""`my-data`'s file. An ephemeral reply cannot carry a file, so the JSON goes to the student's direct message
with the app (scope files:write). files.completeUploadExternal takes a conversation id, never a user id, so a
short note goes first with chat.postMessage to the user id (as review reminders do: no im:write needed), and
Slack's answer names the DM the file then goes into."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.ids import COMMAND
from bot.core.errors import StudyError
from bot.core.replies import MyData

log = logging.getLogger(__name__)

NOTE = f"Here is everything stored about you in this workspace, as you asked (`{COMMAND} my-data`)."
NOT_SENT = "I could not send you the file (Slack said: {error}). A workspace admin may need to reinstall the app."


class FileNotSent(StudyError):
    """Slack refused the note or the upload: the student is told; the error code (never a token) is logged."""


async def send_my_data(client: AsyncWebClient, data: MyData, user_id: str) -> MyData:
    """`data` as a JSON file in the app's DM with `user_id`; returns it (for the reply that says it went)."""
    try:
        note = await client.chat_postMessage(channel=user_id, text=NOTE, unfurl_links=False, unfurl_media=False)
        channel = str(note.get("channel") or "")
        if not channel:
            raise FileNotSent(NOT_SENT.format(error="no direct message channel"))
        await client.files_upload_v2(
            channel=channel, filename=data.filename, title=data.filename, content=data.json_text.encode("utf-8")
        )
    except SlackApiError as error:
        code = str(error.response.get("error") or "unknown error")
        log.warning("slack my-data: Slack refused the file: %s", code)
        raise FileNotSent(NOT_SENT.format(error=code)) from None
    return data
