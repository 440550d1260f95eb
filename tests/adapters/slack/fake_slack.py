"""A fake Slack on 127.0.0.1: the Web API, response_url receivers and the Socket Mode websocket.

The real slack-bolt / slack-sdk talk to it over HTTP and websockets exactly as they would talk to
slack.com, and everything they send is recorded. Every message and view that reaches it is also
checked against Block Kit's limits, as Slack itself would refuse it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from aiohttp import WSMsgType, web

from tests.adapters.slack.fake_oauth import FakeInstalls

BOT_TOKEN = "xoxb-test-bot-token-0000"
APP_TOKEN = "xapp-1-test-app-token-0000"
SIGNING_SECRET = "test-signing-secret-0000"
SECRETS = (BOT_TOKEN, APP_TOKEN, SIGNING_SECRET)


@dataclass
class Call:
    path: str
    body: dict[str, Any]
    headers: dict[str, str]
    peer: tuple | None = None  # the client's (host, port): one TCP connection, one peer


@dataclass
class FakeSlack:
    calls: list[Call] = field(default_factory=list)
    limit_errors: list[str] = field(default_factory=list)
    acks: list[dict[str, Any]] = field(default_factory=list)  # what the app sent on the websocket
    base: str = ""
    _runner: web.AppRunner | None = None
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    _outbox: asyncio.Queue = field(default_factory=asyncio.Queue)  # envelopes for the websocket
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    refuse_sockets: bool = False  # while True, a websocket upgrade gets 503 (Slack unreachable)
    # users.info and users.list answers: user id -> fields of its `user` object (is_admin, profile, ...)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    # (method, channel or None) -> the Slack error code that call gets
    failures: dict[tuple[str, str | None], str] = field(default_factory=dict)
    # "Add to Slack": oauth.v2.access, and the bot each installed workspace's token belongs to
    installs: FakeInstalls = field(default_factory=FakeInstalls)
    channel_messages: list[dict[str, Any]] = field(default_factory=list)
    _ts: itertools.count = field(default_factory=lambda: itertools.count(1))
    # When set, messages get their `ts` from this clock (as Slack's own time), so conversations.history's
    # `oldest`/`latest` mean what they mean at that time; else the fixed 1700000NNN.000200 of before.
    clock: Callable[[], dt.datetime] | None = None
    # files_upload_v2: file id -> {filename, length, content (bytes, once uploaded)}; shared ones in `files`
    _uploads: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: list[dict[str, Any]] = field(default_factory=list)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)  # slack-sdk sends a few methods (users.info) as GET
        app.router.add_post("/response/{id}", self._response)
        app.router.add_post("/expired/{id}", self._expired)
        app.router.add_post("/upload/{file_id}", self._upload)  # files.getUploadURLExternal's upload_url
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        self.base = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        await self.drop_sockets()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return self.base + "/api/"  # the trailing slash matters: slack-sdk joins with urljoin

    def response_url(self) -> str:
        return f"{self.base}/response/{next(self._ids)}"

    def expired_response_url(self) -> str:
        """A response_url past its 30 minutes: Slack answers 404 (expired_url)."""
        return f"{self.base}/expired/{next(self._ids)}"

    # ------------------------------------------------------------------ recording

    async def _record(self, call: Call) -> None:
        self.calls.append(call)
        async with self._changed:
            self._changed.notify_all()

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 5.0) -> Any:
        async def until() -> Any:
            async with self._changed:
                while not (result := predicate()):
                    await self._changed.wait()
                return result

        return await asyncio.wait_for(until(), timeout)

    def replies_to(self, response_url: str) -> list[dict[str, Any]]:
        path = response_url.removeprefix(self.base)
        return [call.body for call in self.calls if call.path == path]

    async def reply(self, response_url: str, timeout: float = 5.0) -> dict[str, Any]:
        """The first message the app posted to this response_url."""
        return (await self.wait_for(lambda: self.replies_to(response_url), timeout))[0]

    def api_calls(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.path == f"/api/{method}"]

    def posted(self, channel: str) -> list[dict[str, Any]]:
        """Messages chat.postMessage put into a channel, as Slack stores them (with `ts`); refused ones are not here."""
        return [message for message in self.channel_messages if message["channel"] == channel]

    def dms(self, user_id: str) -> list[dict[str, Any]]:
        """Direct messages the app sent to a user (chat.postMessage with the user's id as the channel)."""
        return self.posted(dm_channel(user_id))

    def fail(self, method: str, error: str, *, channel: str | None = None) -> None:
        """From now on `method` (into `channel`, or anywhere) answers with this Slack error."""
        self.failures[(method, channel)] = error

    def _failure(self, method: str, body: dict[str, Any]) -> str | None:
        return self.failures.get((method, body.get("channel"))) or self.failures.get((method, None))

    # ------------------------------------------------------------------ handlers

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        raw = await request.read()
        if request.content_type == "application/json":
            body = json.loads(raw or b"{}")
        else:
            body = dict((await request.post()).items()) if raw else {}
        body |= dict(request.query)  # GET methods carry their arguments in the query string
        headers = dict(request.headers)
        if method == "views.open" and isinstance(body.get("view"), dict):
            self.limit_errors += check_view(body["view"])
        if method in {"chat.postEphemeral", "chat.postMessage"}:
            self.limit_errors += check_message(body)
        await self._record(Call(f"/api/{method}", body, headers))
        if (error := self._failure(method, body)) is not None:
            if error == "ratelimited":
                return web.json_response({"ok": False, "error": error}, status=429, headers={"Retry-After": "30"})
            extra = {"needed": "chat:write", "provided": "commands"} if error == "missing_scope" else {}
            return web.json_response({"ok": False, "error": error, **extra})
        answer: dict[str, Any] = {"ok": True}
        if method == "oauth.v2.access":
            return web.json_response(self.installs.access(body, headers))
        bot = self.installs.identity(headers.get("Authorization"))
        if method == "auth.test":
            answer |= bot
        elif method == "apps.connections.open":
            answer |= {"url": self.base.replace("http://", "ws://") + "/socket"}
        elif method == "views.open":
            answer |= {"view": {"id": "V1", **(body.get("view") or {})}}
        elif method == "chat.postEphemeral":
            answer |= {"message_ts": "1700000000.000100"}
        elif method == "chat.postMessage":
            # To a user id (a direct message): Slack posts into the app's DM with them and answers with its id.
            channel = dm_channel(str(body.get("channel") or ""))
            ts = self._next_ts()
            message = {
                "type": "message",
                "text": body.get("text", ""),
                "blocks": body.get("blocks", []),
                "ts": ts,
                "bot_id": bot["bot_id"],
                "user": bot["user_id"],
            }
            if isinstance(body.get("metadata"), dict):
                message["metadata"] = body["metadata"]
            answer |= {"channel": channel, "ts": ts, "message": message}
            self.channel_messages.append({"channel": channel, **message})
        elif method == "files.getUploadURLExternal":
            if not body.get("filename") or not str(body.get("length") or "").isdigit():
                return web.json_response({"ok": False, "error": "invalid_arguments"})
            file_id = f"F{next(self._ids):08d}"
            self._uploads[file_id] = {"filename": body["filename"], "length": int(body["length"])}
            answer |= {"upload_url": f"{self.base}/upload/{file_id}", "file_id": file_id}
        elif method == "files.completeUploadExternal":
            return await self._complete_upload(body)
        elif method == "conversations.history":
            answer |= self._history(body)
        elif method == "users.list":  # the directory, a page at a time (`limit`, `cursor`)
            ids = sorted(self.users)
            start, size = int(body.get("cursor") or 0), int(body.get("limit") or 100)
            page = ids[start : start + size]
            answer |= {
                "members": [
                    {"id": user_id, "name": user_id.lower(), "deleted": False, **self.users[user_id]}
                    for user_id in page
                ],
                "response_metadata": {"next_cursor": str(start + size) if start + size < len(ids) else ""},
            }
        elif method == "users.info":
            user_id = body.get("user", "")
            if user_id not in self.users:
                return web.json_response({"ok": False, "error": "user_not_found"})
            fields = {"is_admin": False, "is_owner": False, "is_primary_owner": False} | self.users[user_id]
            answer |= {"user": {"id": user_id, "team_id": "T1", "name": user_id.lower(), "deleted": False, **fields}}
        return web.json_response(answer)

    async def _upload(self, request: web.Request) -> web.Response:
        upload = self._uploads.get(request.match_info["file_id"])
        data = await request.read()
        await self._record(Call(request.path, {"bytes": len(data)}, dict(request.headers)))
        if upload is None or len(data) != upload["length"]:
            return web.Response(status=400, text="bad upload")
        upload["content"] = data
        return web.Response(text=f"OK - {len(data)}")

    async def _complete_upload(self, body: dict[str, Any]) -> web.Response:
        """files.completeUploadExternal: shares the uploaded files in `channel_id`, which must be a conversation
        id (C/G/D/Z...): Slack refuses a user id there, unlike chat.postMessage's `channel`."""
        channel = str(body.get("channel_id") or "")
        if channel and not re.fullmatch(r"[CGDZ][A-Z0-9]+", channel):
            error = "invalid_arguments"
            return web.json_response({"ok": False, "error": error, "response_metadata": {"messages": [channel]}})
        shared = []
        for item in json.loads(body.get("files") or "[]"):
            upload = self._uploads.get(item.get("id"))
            if upload is None or "content" not in upload:
                return web.json_response({"ok": False, "error": "file_not_found"})
            file = {"id": item["id"], "name": upload["filename"], "title": item.get("title") or upload["filename"]}
            self.files.append(
                {**file, "channel": channel, "content": upload["content"], "comment": body.get("initial_comment")}
            )
            shared.append(file)
        async with self._changed:
            self._changed.notify_all()
        return web.json_response({"ok": True, "files": shared})

    def files_in(self, channel: str) -> list[dict[str, Any]]:
        """Files shared into a conversation with files_upload_v2: id, name, title, channel, content (bytes), comment."""
        return [file for file in self.files if file["channel"] == channel]

    def _next_ts(self) -> str:
        if self.clock is None:
            return f"1700000{next(self._ts):03d}.000200"
        return f"{int(self.clock().timestamp())}.{next(self._ts):06d}"  # unique, and in time order

    def add_message(self, channel: str, message: dict[str, Any]) -> dict[str, Any]:
        """Put a message into a channel as someone else (or another app) would have sent it; returns it with its ts."""
        stored = {"channel": channel, "type": "message", "text": "", "ts": self._next_ts(), **message}
        self.channel_messages.append(stored)
        return stored

    def _history(self, body: dict[str, Any]) -> dict[str, Any]:
        """conversations.history: the channel's messages newest first, between `oldest` and `latest`
        (exclusive), a page of `limit` at a time; `metadata` only with include_all_metadata."""
        oldest, latest = float(body.get("oldest") or 0), float(body.get("latest") or "inf")
        with_metadata = str(body.get("include_all_metadata", "")).lower() in {"1", "true"}
        found = [
            {k: v for k, v in m.items() if k != "channel" and (with_metadata or k != "metadata")}
            for m in reversed(self.posted(str(body.get("channel"))))
            if oldest < float(m["ts"]) < latest
        ]
        start, size = int(body.get("cursor") or 0), min(int(body.get("limit") or 100), 999)
        more = start + size < len(found)
        return {
            "messages": found[start : start + size],
            "has_more": more,
            "pin_count": 0,
            "response_metadata": {"next_cursor": str(start + size) if more else ""},
        }

    async def _response(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.limit_errors += check_message(body)
        peer = request.transport.get_extra_info("peername") if request.transport else None
        await self._record(Call(request.path, body, dict(request.headers), tuple(peer) if peer else None))
        return web.Response(text="ok")

    async def _expired(self, request: web.Request) -> web.Response:
        await self._record(Call(request.path, await request.json(), dict(request.headers)))
        return web.Response(status=404, text="expired_url")

    async def drop_sockets(self) -> None:
        """Close every Socket Mode websocket, as Slack does now and then (the SDK connects again)."""
        sockets, self._sockets = self._sockets, []
        for ws in sockets:
            await ws.close()

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        if self.refuse_sockets:
            raise web.HTTPServiceUnavailable()
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_str(json.dumps({"type": "hello", "num_connections": 1, "debug_info": {"host": "fake"}}))

        async def pump() -> None:
            while True:
                await ws.send_str(json.dumps(await self._outbox.get()))

        sender = asyncio.create_task(pump(), name="fake-slack-socket-sender")
        try:
            async for message in ws:
                if message.type == WSMsgType.TEXT:
                    self.acks.append(json.loads(message.data))
                    async with self._changed:
                        self._changed.notify_all()
        finally:
            sender.cancel()
        return ws

    async def send_envelope(self, envelope: dict[str, Any]) -> None:
        await self._outbox.put(envelope)

    async def ack_for(self, envelope_id: str, timeout: float = 5.0) -> dict[str, Any]:
        return await self.wait_for(
            lambda: next((ack for ack in self.acks if ack.get("envelope_id") == envelope_id), None), timeout
        )


def dm_channel(channel: str) -> str:
    """The id of the app's DM with a user when `channel` is a user id (U..., W...), else `channel`."""
    return "D" + channel if re.fullmatch(r"[UW][A-Z0-9]+", channel) else channel


# ---------------------------------------------------------------------- signed requests


def sign(body: str, timestamp: int, secret: str = SIGNING_SECRET) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signed_headers(body: str, *, timestamp: int | None = None, secret: str = SIGNING_SECRET) -> dict[str, str]:
    ts = int(time.time()) if timestamp is None else timestamp
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": str(ts),
        "X-Slack-Signature": sign(body, ts, secret),
    }


def command_form(
    text: str, *, response_url: str, team: str = "T1", user: str = "U1", name: str = "alice", channel: str = "C1"
) -> dict[str, str]:
    return {
        "token": "legacy-verification-token",
        "team_id": team,
        "team_domain": f"school-{team.lower()}",
        "channel_id": channel,
        "channel_name": "history",
        "user_id": user,
        "user_name": name,
        "command": "/study",
        "text": text,
        "api_app_id": "A1",
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": f"trigger-{user}-{int(time.time() * 1000)}",
    }


def block_actions_payload(
    button: dict[str, Any],
    *,
    response_url: str,
    team: str = "T1",
    user: str = "U1",
    name: str = "alice",
    channel: str = "C1",
    message: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A click on `button`; pass the channel `message` it sits on for a public message (else ephemeral)."""
    ts = (message or {}).get("ts", "1700000000.000100")
    payload = {
        "type": "block_actions",
        "user": {"id": user, "username": name, "name": name, "team_id": team},
        "api_app_id": "A1",
        "token": "legacy-verification-token",
        "container": {"type": "message", "message_ts": ts, "channel_id": channel, "is_ephemeral": message is None},
        "trigger_id": f"trigger-{user}-{int(time.time() * 1000)}",
        "team": {"id": team, "domain": f"school-{team.lower()}"},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": channel, "name": "history"},
        "state": {"values": {}},
        "response_url": response_url,
        "actions": [
            {
                "type": "button",
                "action_id": button["action_id"],
                "block_id": "b1",
                "text": button["text"],
                "value": button.get("value", ""),
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }
    if message is not None:
        payload["message"] = message
    return payload


def view_submission_payload(
    view: dict[str, Any], answer: str | dict[str, str], *, team: str = "T1", user: str = "U1", name: str = "alice"
) -> dict[str, Any]:
    """Slack's view_submission for `view`: `answer` typed in its answer input, or (a dict) each input's value
    by its block id."""
    typed = {"answer": answer} if isinstance(answer, str) else answer
    values = {block: {"text": {"type": "plain_text_input", "value": value}} for block, value in typed.items()}
    submitted = {**view, "id": "V1", "team_id": team, "state": {"values": values}}
    return {
        "type": "view_submission",
        "team": {"id": team, "domain": f"school-{team.lower()}"},
        "user": {"id": user, "username": name, "name": name, "team_id": team},
        "api_app_id": "A1",
        "token": "legacy-verification-token",
        "trigger_id": f"trigger-{user}-{int(time.time() * 1000)}",
        "view": submitted,
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }


def form_body(fields: dict[str, str]) -> str:
    return urlencode(fields)


def payload_body(payload: dict[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload)})


# ---------------------------------------------------------------------- Block Kit limits


def _text_len(obj: dict[str, Any] | None) -> int:
    return len((obj or {}).get("text", ""))


def check_blocks(blocks: list[dict[str, Any]], where: str) -> list[str]:
    errors = []
    if len(blocks) > 50:
        errors.append(f"{where}: {len(blocks)} blocks (limit 50)")
    for i, block in enumerate(blocks):
        kind = block.get("type")
        if kind == "section":
            if "text" in block and _text_len(block["text"]) > 3000:
                errors.append(f"{where}[{i}]: section text {_text_len(block['text'])} > 3000")
            if "text" in block and _text_len(block["text"]) == 0:
                errors.append(f"{where}[{i}]: empty section text")
            for f in block.get("fields", []):
                if _text_len(f) > 2000:
                    errors.append(f"{where}[{i}]: field {_text_len(f)} > 2000")
            if len(block.get("fields", [])) > 10:
                errors.append(f"{where}[{i}]: more than 10 fields")
        elif kind == "header" and _text_len(block["text"]) > 150:
            errors.append(f"{where}[{i}]: header {_text_len(block['text'])} > 150")
        elif kind == "context":
            if len(block["elements"]) > 10:
                errors.append(f"{where}[{i}]: context with {len(block['elements'])} elements")
            errors += [f"{where}[{i}]: context text > 3000" for e in block["elements"] if _text_len(e) > 3000]
        elif kind == "actions":
            elements = block["elements"]
            if len(elements) > 25:
                errors.append(f"{where}[{i}]: {len(elements)} actions (limit 25)")
            ids = [e.get("action_id") for e in elements]
            if len(ids) != len(set(ids)):
                errors.append(f"{where}[{i}]: repeated action_id in one block")
            for e in elements:
                if _text_len(e.get("text")) > 75:
                    errors.append(f"{where}[{i}]: button text {_text_len(e['text'])} > 75")
                if len(e.get("value", "")) > 2000:
                    errors.append(f"{where}[{i}]: button value {len(e['value'])} > 2000")
                if len(e.get("action_id", "")) > 255:
                    errors.append(f"{where}[{i}]: action_id > 255")
        elif kind == "input":
            if _text_len(block["label"]) > 2000:
                errors.append(f"{where}[{i}]: input label > 2000")
            placeholder = block["element"].get("placeholder")
            if placeholder and _text_len(placeholder) > 150:
                errors.append(f"{where}[{i}]: placeholder > 150")
    return errors


def check_message(message: dict[str, Any]) -> list[str]:
    errors = check_blocks(message.get("blocks") or [], "message")
    if not message.get("text") and not message.get("blocks"):
        errors.append("message without text or blocks")
    return errors


def check_view(view: dict[str, Any]) -> list[str]:
    errors = check_blocks(view.get("blocks") or [], "view")
    for key in ("title", "submit", "close"):
        if key in view and _text_len(view[key]) > 24:
            errors.append(f"view {key} {_text_len(view[key])} > 24")
    if len(view.get("private_metadata", "")) > 3000:
        errors.append("view private_metadata > 3000")
    if len(view.get("callback_id", "")) > 255:
        errors.append("view callback_id > 255")
    return errors


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for b in message.get("blocks", []) if b["type"] == "actions" for e in b["elements"]]


def button(message: dict[str, Any], label_or_action: str) -> dict[str, Any]:
    for e in buttons(message):
        if label_or_action in (e["text"]["text"], e["action_id"]) or e["text"]["text"].startswith(label_or_action):
            return e
    raise AssertionError(f"no button {label_or_action!r} in {[e['text']['text'] for e in buttons(message)]}")


def all_text(message: dict[str, Any]) -> str:
    """Every piece of visible text in a message, joined: for assertions."""
    parts = [message.get("text", "")]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") in {"mrkdwn", "plain_text"} and "text" in node:
                parts.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(message.get("blocks", []))
    return "\n".join(parts)
