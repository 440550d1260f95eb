"""A fake Discord on 127.0.0.1: REST + gateway, enough for the real discord.py to log in,
sync commands, receive interactions and answer them, and post into channels. Every request is
recorded; payloads Discord would refuse (over its limits) get a 400 and land in `problems`, and
requests to routes the fake does not know land in `unknown_routes`. Channels can be deleted or
made to refuse posts, with Discord's own status codes and JSON error codes.

Files (a reply with attachments) come as multipart/form-data: the JSON in `payload_json`, the files
recorded on the Call (`Exchange.files`) and listed in the stored message's `attachments`. The bot can be removed
from a server and added back (`remove_bot`/`add_bot`: GUILD_DELETE / GUILD_CREATE on the gateway).

Direct messages: the bot opens a DM channel with `POST /users/@me/channels` and posts into it; a user
can close their DMs (`close_dms`: Discord's 403 50007) and clicks in a DM come without a server. Who
is in which server is known from who used the bot there (`join`/`leave` change it): the bot can ask
with `GET /guilds/{id}/members/{user}` (404 10007 Unknown Member for someone who left).

Shards: `GET /gateway/bot` recommends `recommended_shards`; a connection that IDENTIFYs as shard
[id, count] gets READY and GUILD_CREATE for the servers on that shard only ((server id >> 22) % count),
and each server's events (interactions, the bot removed or added, channels deleted) go to the connection
of its shard alone, as Discord sends them; direct messages go to shard 0."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yarl
from aiohttp import WSMsgType, web

from tests.adapters.discord.discord_limits import refused

APP_ID = "900000000000000001"
BOT_USER = {
    "id": "900000000000000002",
    "username": "studybot",
    "discriminator": "0",
    "global_name": "Study Bot",
    "avatar": None,
    "bot": True,
}
EPHEMERAL = 64
DISCORD_EPOCH_MS = 1_420_070_400_000
CHAT_INPUT_COMMAND = 20  # the message type of a slash command's response


@dataclass
class Guild:
    id: str
    name: str
    channel_id: str  # "general", where interactions come from unless told otherwise
    channels: dict[str, str] = field(default_factory=dict)  # more text channels: id -> name
    roles: dict[str, tuple[str, int]] = field(default_factory=dict)  # more roles: id -> (name, permissions)

    def channel_name(self, channel_id: str) -> str:
        return "general" if channel_id == self.channel_id else self.channels[channel_id]

    def channel(self, channel_id: str) -> dict:
        return {
            "id": channel_id,
            "type": 0,
            "guild_id": self.id,
            "name": self.channel_name(channel_id),
            "position": 0,
            "permission_overwrites": [],
            "nsfw": False,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "parent_id": None,
        }


@dataclass
class User:
    id: str
    name: str
    permissions: int = 0x400 | 0x800  # view channel, send messages (what Discord resolves for the member)
    roles: tuple[str, ...] = ()

    def user(self) -> dict:
        return {
            "id": self.id,
            "username": self.name.lower(),
            "discriminator": "0",
            "global_name": self.name,
            "avatar": None,
        }

    def member(self) -> dict:
        return {
            "user": self.user(),
            "nick": None,
            "roles": list(self.roles),
            "joined_at": "2026-09-01T09:00:00+00:00",
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "permissions": str(self.permissions),
            "avatar": None,
        }


@dataclass
class Role:
    """A role, as a slash command's role option gives it (the guild's `roles` should hold it too)."""

    id: str
    name: str
    permissions: int = 3072

    def role(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "permissions": str(self.permissions),
            "position": 1,
            "color": 0,
            "hoist": False,
            "managed": False,
            "mentionable": False,
            "flags": 0,
        }


@dataclass
class Call:
    method: str
    path: str
    body: Any
    status: int = 200
    files: dict[str, bytes] = field(default_factory=dict)  # a multipart request's files: filename -> content


@dataclass
class Exchange:
    """What the bot sent back for one interaction, in order."""

    calls: list[Call]
    seconds_to_first_reply: float
    message: dict = field(default_factory=dict)  # the message the user ends up seeing, with id

    @property
    def callback(self) -> dict:
        return next(c.body for c in self.calls if c.path.endswith("/callback"))

    @property
    def data(self) -> dict:
        """The visible payload: the callback's data, or the follow-up/edit after a defer."""
        after_defer = [c.body for c in self.calls if "/webhooks/" in c.path]
        return after_defer[-1] if after_defer else self.callback.get("data") or {}

    @property
    def ephemeral(self) -> bool:
        if self.callback["type"] == 5:
            return bool((self.callback.get("data") or {}).get("flags", 0) & EPHEMERAL)
        return bool(self.data.get("flags", 0) & EPHEMERAL)

    @property
    def text(self) -> str:
        """Everything the user reads, flattened, for assertions."""
        d = self.data
        parts = [d.get("content") or "", d.get("title") or ""]
        for e in d.get("embeds") or []:
            parts += [e.get("title", ""), e.get("description", ""), e.get("footer", {}).get("text", "")]
            parts += [f"{f['name']} {f['value']}" for f in e.get("fields", [])]
        return "\n".join(p for p in parts if p)

    @property
    def buttons(self) -> list[dict]:
        return [c for row in self.data.get("components") or [] for c in row.get("components", []) if c.get("type") == 2]

    @property
    def files(self) -> dict[str, bytes]:
        """The files the bot attached to its replies, by filename."""
        return {name: data for call in self.calls for name, data in call.files.items()}


class FakeDiscord:
    def __init__(self, guilds: list[Guild]) -> None:
        self.guilds = guilds
        self.calls: list[Call] = []
        self.problems: list[str] = []
        self.unknown_routes: list[str] = []
        self.refusals: dict[str, tuple[int, int, str]] = {}  # channel id -> (HTTP status, JSON code, message)
        self.deleted: set[str] = set()  # channel ids
        self.identify: dict | None = None
        self.commands: dict[str, list[dict]] = {}  # "global" or guild id -> synced commands
        self.messages: dict[str, dict] = {}
        self._by_token: dict[str, str] = {}  # interaction token -> message id of its response
        self._source: dict[str, str] = {}  # interaction token -> id of the message clicked on
        self.posts: list[tuple[str, dict, str]] = []  # messages posted into channels: (channel id, body, message id)
        self._ids = itertools.count(1_000_000_000_000_000_000)
        # When set (before the bot starts), snowflakes and message timestamps come from this clock, as
        # Discord's do from its own: then a channel's history `before`/`after` a time mean what they say.
        self.clock: Callable[[], dt.datetime] | None = None
        self._last_id = 0
        self._used_in: dict[str, tuple[str, dict]] = {}  # interaction token -> (channel id, who used it)
        self.public_replies: dict[str, tuple[str, dict]] = {}  # message id -> (channel id, interaction metadata)
        self._seq = itertools.count(1)
        self._sockets: list[web.WebSocketResponse] = []
        self._shard_of: dict[web.WebSocketResponse, tuple[int, int]] = {}  # connection -> (shard id, count)
        self.identified: list[dict] = []  # every IDENTIFY's data, in order (its `shard` says which)
        self.recommended_shards = 1  # what GET /gateway/bot tells a client that was not given a shard count
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.send_delay = 0.0  # seconds before answering a post into a channel (it is stored at once)
        self.members: dict[str, dict[str, User]] = {}  # guild id -> user id -> who is in it
        self.dm_channels: dict[str, str] = {}  # DM channel id -> the user's id
        self.closed_dms: set[str] = set()  # user ids whose privacy settings refuse the bot's messages
        self.attachment_size_limit = 10_485_760  # what each interaction says the bot may upload (a bot's default)

    # -- server ---------------------------------------------------------------------------------
    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{path:.*}", self._rest)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def close(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner:
            await self._runner.cleanup()

    @property
    def connections(self) -> int:
        return len(self._sockets)

    @property
    def rest_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> yarl.URL:
        return yarl.URL(f"ws://127.0.0.1:{self.port}/gateway")

    def snowflake(self) -> str:
        if self.clock is None:
            return str(next(self._ids))
        stamp = (int(self.clock().timestamp() * 1000) - DISCORD_EPOCH_MS) << 22
        self._last_id = max(stamp, self._last_id + 1)  # unique and increasing, as Discord's are
        return str(self._last_id)

    # -- REST -----------------------------------------------------------------------------------
    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["path"]
        files: dict[str, bytes] = {}
        if request.content_type == "multipart/form-data":  # a message with files: JSON in payload_json
            form = await request.post()
            body = json.loads(str(form["payload_json"]))
            files = {f.filename: f.file.read() for f in form.values() if isinstance(f, web.FileField)}
            _attach(body, files)
        else:
            raw = await request.read()
            body = json.loads(raw) if raw and request.content_type == "application/json" else None
        call = Call(request.method, path, body, files=files)
        self.calls.append(call)
        problems = refused(path, body)
        if problems:
            self.problems += [f"{request.method} {path}: {p}" for p in problems]
            call.status = 400
            return _json({"code": 50035, "message": "Invalid Form Body", "errors": problems}, 400)
        parts = path.strip("/").split("/")
        if parts[0] == "channels" and len(parts) > 1:
            status, code, message = self._channel_refusal(parts[1])
            if status:
                call.status = status
                return _json({"code": code, "message": message}, status)
        result = self._answer(request.method, path, body, dict(request.query))
        if self.send_delay and request.method == "POST" and parts[0] == "channels" and parts[-1] == "messages":
            await asyncio.sleep(self.send_delay)  # a slow or rate-limited Discord: the post is in, the answer late
        if isinstance(result, _Refusal):
            call.status = result.status
            return _json({"code": result.code, "message": result.message}, result.status)
        if result is None:
            call.status = 404
            self.unknown_routes.append(f"{request.method} {path}")
            return _json({"code": 10000, "message": f"fake: no route {request.method} {path}"}, 404)
        return _json(result) if result != 204 else web.Response(status=204)

    def _channel_refusal(self, channel_id: str) -> tuple[int, int, str]:
        if channel_id in self.refusals:
            return self.refusals[channel_id]
        if channel_id in self.dm_channels:
            if self.dm_channels[channel_id] in self.closed_dms:
                return 403, 50007, "Cannot send messages to this user"
            return 0, 0, ""
        if self._guild_of(channel_id) is None:
            return 404, 10003, "Unknown Channel"
        return 0, 0, ""

    def _guild_of(self, channel_id: str) -> Guild | None:
        if channel_id in self.deleted:
            return None
        return next((g for g in self.guilds if channel_id == g.channel_id or channel_id in g.channels), None)

    def _answer(self, method: str, path: str, body: Any, query: dict[str, str] | None = None) -> Any:
        parts = path.strip("/").split("/")
        if path == "/users/@me":
            return BOT_USER
        if path == "/oauth2/applications/@me":
            return {
                "id": APP_ID,
                "name": "Study Bot",
                "description": "",
                "icon": None,
                "bot_public": False,
                "bot_require_code_grant": False,
                "verify_key": "00",
                "owner": BOT_USER,
                "flags": 0,
            }
        if path == "/gateway/bot":
            limit = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
            return {"url": str(self.gateway_url), "shards": self.recommended_shards, "session_start_limit": limit}
        if method == "PUT" and parts[0] == "applications" and parts[-1] == "commands":
            scope = parts[3] if "guilds" in parts else "global"
            self.commands[scope] = [dict(c, id=self.snowflake(), application_id=APP_ID) for c in body]
            return self.commands[scope]
        if method == "POST" and parts[0] == "interactions":
            return self._callback(parts[2], body)
        if parts[0] == "webhooks" and len(parts) >= 3:
            token = parts[2]
            if method == "POST":  # the first follow-up after a defer fills the "thinking" message
                pending = self._by_token.get(token)
                return self._store(pending if pending and pending not in self.messages else self.snowflake(), body)
            if method == "PATCH":
                original = self._by_token.get(token) or self._source.get(token)
                msg_id = (original if parts[-1] == "@original" else parts[-1]) or self.snowflake()
                self._by_token.setdefault(token, msg_id)
                return self._store(msg_id, {**self.messages.get(msg_id, {}), **body})
            if method == "DELETE":
                self.messages.pop(self._by_token.get(token, ""), None)
                return 204
        if method == "POST" and path == "/users/@me/channels":
            return self._open_dm(str(body.get("recipient_id", "")))
        if method == "GET" and parts[0] == "guilds" and len(parts) == 4 and parts[2] == "members":
            member = self.members.get(parts[1], {}).get(parts[3])
            return member.member() if member else _Refusal(404, 10007, "Unknown Member")
        if method == "GET" and parts[0] == "channels" and len(parts) == 2 and parts[1] in self.dm_channels:
            return self._dm_channel(parts[1])
        if method == "GET" and parts[0] == "channels" and len(parts) == 2:
            return self._guild_of(parts[1]).channel(parts[1])  # type: ignore[union-attr] - refused if unknown
        if method == "GET" and parts[0] == "channels" and len(parts) == 3 and parts[2] == "messages":
            return self._history(parts[1], query)
        if method == "POST" and parts[0] == "channels" and parts[-1] == "messages":
            stored = self._store(self.snowflake(), body, channel_id=parts[1])
            self.posts.append((parts[1], body, stored["id"]))
            return stored
        return None

    # -- members and direct messages -----------------------------------------------------------
    def join(self, guild: Guild, user: User) -> None:
        self.members.setdefault(guild.id, {})[user.id] = user

    def leave(self, guild: Guild, user: User) -> None:
        self.members.get(guild.id, {}).pop(user.id, None)

    def close_dms(self, user: User) -> None:
        """The user's privacy settings now refuse the bot's direct messages (Discord's 403 50007)."""
        self.closed_dms.add(user.id)

    def _user(self, user_id: str) -> User | None:
        return next((people[user_id] for people in self.members.values() if user_id in people), None)

    def _open_dm(self, user_id: str) -> Any:
        """POST /users/@me/channels: the user's DM channel with the bot (the same one each time)."""
        if self._user(user_id) is None:
            return _Refusal(400, 50033, "Invalid Recipient(s)")
        channel_id = next((c for c, u in self.dm_channels.items() if u == user_id), None) or self.snowflake()
        self.dm_channels[channel_id] = user_id
        return self._dm_channel(channel_id)

    def _dm_channel(self, channel_id: str) -> dict:
        user = self._user(self.dm_channels[channel_id])
        recipients = [user.user()] if user else []
        return {"id": channel_id, "type": 1, "recipients": recipients, "last_message_id": None}

    def dm_messages(self, user: User) -> list[dict]:
        """What the bot posted into its direct messages with `user`, oldest first."""
        return [self.messages[m] for channel, _, m in self.posts if self.dm_channels.get(channel) == user.id]

    # -- the bot leaving and joining servers ------------------------------------------------------
    async def remove_bot(self, guild: Guild) -> None:
        """The server removes the bot (kicked, or the server deleted): GUILD_DELETE without `unavailable`."""
        self.guilds = [g for g in self.guilds if g.id != guild.id]
        for ws in self._sockets_for(guild.id):
            await self._send(ws, "GUILD_DELETE", {"id": guild.id})

    async def add_bot(self, guild: Guild) -> None:
        """The server adds the bot (back): GUILD_CREATE for a guild it was not in, without `unavailable`
        (which would mean a guild coming back from an outage)."""
        if all(g.id != guild.id for g in self.guilds):
            self.guilds.append(guild)
        data = {k: v for k, v in _guild(guild, self.deleted).items() if k != "unavailable"}
        for ws in self._sockets_for(guild.id):
            await self._send(ws, "GUILD_CREATE", data)

    # -- channels -------------------------------------------------------------------------------
    def channel_messages(self, channel_id: str) -> list[dict]:
        """Messages posted into a channel (not interaction replies), oldest first, as stored."""
        return [self.messages[msg_id] for channel, _, msg_id in self.posts if channel == channel_id]

    def history(self, channel_id: str) -> list[dict]:
        """What a channel shows, oldest first: the messages posted into it, and the public replies to
        interactions used in it (type 20, with `interaction_metadata`, as Discord shows them)."""
        found = [self.messages[msg_id] for channel, _, msg_id in self.posts if channel == channel_id]
        for msg_id, (channel, metadata) in self.public_replies.items():
            if channel == channel_id and msg_id in self.messages:
                reply = {**self.messages[msg_id], "channel_id": channel}
                found.append(reply | {"type": CHAT_INPUT_COMMAND, "interaction_metadata": metadata})
        return sorted(found, key=lambda message: int(message["id"]))

    def _history(self, channel_id: str, query: dict[str, str]) -> list[dict]:
        """GET /channels/{id}/messages: newest first, `limit` (1-100, default 50) of those `before` or
        `after` a message id (with `after`, the ones right after it, as Discord does)."""
        limit = max(1, min(int(query.get("limit") or 50), 100))
        found = self.history(channel_id)
        if "before" in query:
            found = [m for m in found if int(m["id"]) < int(query["before"])]
        if "after" in query:
            found = [m for m in found if int(m["id"]) > int(query["after"])][:limit]
        return list(reversed(found))[:limit]

    def refuse(self, channel_id: str, status: int, code: int, message: str) -> None:
        """From now on every request about this channel gets this error (403 Missing Access, 503 ...)."""
        self.refusals[channel_id] = (status, code, message)

    async def delete_channel(self, guild: Guild, channel_id: str) -> None:
        """Delete a channel as Discord does: gone from REST (404 Unknown Channel), CHANNEL_DELETE on the gateway."""
        self.deleted.add(channel_id)
        for ws in self._sockets_for(guild.id):
            await self._send(ws, "CHANNEL_DELETE", guild.channel(channel_id))
        await asyncio.sleep(0.02)

    def _callback(self, token: str, body: dict) -> dict:
        kind, data = body["type"], body.get("data") or {}
        interaction: dict[str, Any] = {"id": self.snowflake(), "type": 2}
        result: dict[str, Any] = {"interaction": interaction}
        if kind in (4, 5):
            msg_id = self._by_token.setdefault(token, self.snowflake())
            if token in self._used_in and not data.get("flags", 0) & EPHEMERAL:
                channel_id, user = self._used_in[token]
                metadata = {"id": self.snowflake(), "type": 2, "user": user, "authorizing_integration_owners": {}}
                self.public_replies[msg_id] = (channel_id, metadata)
            interaction.update(
                response_message_id=msg_id,
                response_message_loading=kind == 5,
                response_message_ephemeral=bool(data.get("flags", 0) & EPHEMERAL),
            )
            if kind == 4:
                result["resource"] = {"type": 4, "message": self._store(msg_id, data)}
        elif kind == 7 and token in self._source:
            msg_id = self._source[token]
            result["resource"] = {"type": 7, "message": self._store(msg_id, {**self.messages.get(msg_id, {}), **data})}
        return result

    def _store(self, msg_id: str, data: dict, channel_id: str | None = None) -> dict:
        msg = {
            "id": msg_id,
            "channel_id": channel_id or self.guilds[0].channel_id,
            "type": 0,
            "author": BOT_USER,
            "content": "",
            "embeds": [],
            "components": [],
            "attachments": [],
            "mentions": [],
            "mention_roles": [],
            "mention_everyone": False,
            "pinned": False,
            "tts": False,
            "timestamp": self.clock().isoformat() if self.clock else "2026-11-27T09:00:00+00:00",
            "edited_timestamp": None,
            "flags": 0,
        }
        msg.update({k: v for k, v in data.items() if k in msg and v is not None})
        self.messages[msg_id] = msg
        return msg

    # -- gateway --------------------------------------------------------------------------------
    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 45000}}))
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            frame = json.loads(msg.data)
            if frame["op"] == 1:
                await ws.send_str(json.dumps({"op": 11}))
            elif frame["op"] == 2:
                self.identify = frame["d"]
                self.identified.append(frame["d"])
                ready = {
                    "v": 10,
                    "user": BOT_USER,
                    "session_id": "fake-session",
                    "resume_gateway_url": str(self.gateway_url),
                    "application": {"id": APP_ID, "flags": 0},
                }
                if "shard" in frame["d"]:
                    shard_id, count = frame["d"]["shard"]
                    self._shard_of[ws] = (shard_id, count)
                    ready["shard"] = [shard_id, count]
                guilds = [g for g in self.guilds if ws in self._sockets_for(g.id)]
                ready["guilds"] = [{"id": g.id, "unavailable": True} for g in guilds]
                await self._send(ws, "READY", ready)
                for g in guilds:
                    await self._send(ws, "GUILD_CREATE", _guild(g, self.deleted))
            elif frame["op"] == 6:
                await self._send(ws, "RESUMED", {})
        self._sockets.remove(ws)
        self._shard_of.pop(ws, None)
        return ws

    def _sockets_for(self, guild_id: str | None) -> list[web.WebSocketResponse]:
        """The connections a server's events go to: its shard's (a connection without a shard gets them
        all); those of a direct message, without a server, go to shard 0."""
        found = []
        for ws in self._sockets:
            shard_id, count = self._shard_of.get(ws, (0, 1))
            if (int(guild_id) >> 22 if guild_id else 0) % count == shard_id:
                found.append(ws)
        return found

    async def _send(self, ws: web.WebSocketResponse, event: str, data: dict) -> None:
        await ws.send_str(json.dumps({"op": 0, "t": event, "s": next(self._seq), "d": data}))

    # -- interactions ---------------------------------------------------------------------------
    def _interaction(
        self, kind: int, data: dict, user: User, guild: Guild | None, *, channel_id: str | None = None, **extra
    ) -> dict:
        payload = {
            "id": self.snowflake(),
            "application_id": APP_ID,
            "type": kind,
            "token": "",
            "version": 1,
            "data": data,
            "locale": "en-GB",
            "entitlements": [],
            "attachment_size_limit": self.attachment_size_limit,
            "app_permissions": "2147483647",
            **extra,
        }
        payload["token"] = f"tok{payload['id']}"
        if guild is None:  # a direct message (with the bot: context 1), in its DM channel if there is one
            channel_id = channel_id or next((c for c, u in self.dm_channels.items() if u == user.id), "7")
            payload.update(user=user.user(), channel={"id": channel_id, "type": 1}, channel_id=channel_id, context=1)
        else:
            self.join(guild, user)  # using the bot in a server: a member of it
            channel_id = channel_id or guild.channel_id
            payload.update(
                guild_id=guild.id,
                member=user.member(),
                context=0,
                guild_locale="en-GB",
                channel_id=channel_id,
                channel=guild.channel(channel_id),
            )
        return payload

    async def slash(
        self,
        command: str,
        user: User,
        guild: Guild | None,
        /,
        *,
        in_channel: str | None = None,
        bot_permissions: int | None = None,
        **options: Any,
    ) -> Exchange:
        """Run a slash command ("daily", or "schedule set" for a subcommand); options are strings, bools,
        Users for member options or Roles for role options. `in_channel` is where it is used (default: the
        guild's general), `bot_permissions` what the bot may do there (default: everything)."""
        opts = [
            {"name": k, "type": _option_type(v), "value": getattr(v, "id", v)}
            for k, v in options.items()
            if v is not None
        ]
        data = {"id": self.snowflake(), "type": 1, **_nested(command, opts)}
        members = [v for v in options.values() if isinstance(v, User)]
        roles = [v for v in options.values() if isinstance(v, Role)]
        if members or roles:
            data["resolved"] = {}
        if members:
            data["resolved"] |= {
                "users": {m.id: m.user() for m in members},
                "members": {m.id: {k: v for k, v in m.member().items() if k != "user"} for m in members},
            }
        if roles:
            data["resolved"]["roles"] = {r.id: r.role() for r in roles}
        if guild:
            data["guild_id"] = guild.id
        extra = {} if bot_permissions is None else {"app_permissions": str(bot_permissions)}
        return await self.send(self._interaction(2, data, user, guild, channel_id=in_channel, **extra))

    async def autocomplete(self, name: str, option: str, typed: str, user: User, guild: Guild) -> list[dict]:
        data = {
            "id": self.snowflake(),
            "type": 1,
            "guild_id": guild.id,
            **_nested(name, [{"name": option, "type": 3, "value": typed, "focused": True}]),
        }
        return (await self.send(self._interaction(4, data, user, guild))).data["choices"]

    async def click(self, message: dict, custom_id: str, user: User, guild: Guild | None) -> Exchange:
        """Click a button on `message`; `guild=None` for a message in a direct message."""
        data = {"custom_id": custom_id, "component_type": 2}
        in_dm = message.get("channel_id") if guild is None and message.get("channel_id") in self.dm_channels else None
        return await self.send(self._interaction(3, data, user, guild, channel_id=in_dm, message=message))

    async def submit(self, modal: dict, value: str | dict[str, str], user: User, guild: Guild | None) -> Exchange:
        """Submit a modal the bot opened (callback type 9), typing `value` in every text input (or, given a
        dict, each input's own value by its custom_id)."""

        def filled(component: dict) -> dict:
            if component.get("type") == 4:
                typed = value if isinstance(value, str) else value[component["custom_id"]]
                return {"type": 4, "custom_id": component["custom_id"], "value": typed}
            inner = {
                k: filled(v) if isinstance(v, dict) else [filled(c) for c in v]
                for k, v in component.items()
                if k in ("component", "components")
            }
            return {"type": component["type"], **inner}

        data = {"custom_id": modal["custom_id"], "components": [filled(c) for c in modal["components"]]}
        return await self.send(self._interaction(5, data, user, guild))

    async def send(self, payload: dict, timeout: float = 5.0) -> Exchange:
        """Dispatch INTERACTION_CREATE and wait until the bot's reply is complete."""
        token, start = payload["token"], len(self.calls)
        if payload.get("channel_id") and "member" in payload:  # used in a server channel
            self._used_in[token] = (payload["channel_id"], payload["member"]["user"])
        if "message" in payload:
            self._source[token] = payload["message"]["id"]
        sent_at = time.monotonic()
        first: float | None = None
        for ws in self._sockets_for(payload.get("guild_id")):
            await self._send(ws, "INTERACTION_CREATE", payload)
        while time.monotonic() - sent_at < timeout:
            mine = [c for c in self.calls[start:] if token in c.path]
            callbacks = [c for c in mine if c.path.endswith("/callback")]
            if callbacks and first is None:
                first = time.monotonic() - sent_at
            if callbacks and (callbacks[0].body["type"] not in (5, 6) or any("/webhooks/" in c.path for c in mine)):
                await asyncio.sleep(0.02)  # let a trailing request land
                mine = [c for c in self.calls[start:] if token in c.path]
                shown = self._by_token.get(token) or self._source.get(token, "")
                return Exchange(mine, first or 0.0, self.messages.get(shown, {}))
            await asyncio.sleep(0.005)
        raise AssertionError(
            f"no complete reply to interaction {payload['type']} "
            f"{payload['data'].get('name') or payload['data'].get('custom_id')} in {timeout}s"
        )


def _attach(body: dict, files: dict[str, bytes]) -> None:
    """Fill a multipart message's `attachments` as Discord stores them (id, filename, size, url)."""
    message = body.get("data", body) if "type" in body and "data" in body else body
    for attachment in message.get("attachments") or []:
        name = attachment.get("filename", "")
        if name not in files:
            continue
        attachment.update(
            id=str(attachment.get("id", 0)),
            size=len(files[name]),
            url=f"https://cdn.discordapp.com/attachments/0/0/{name}",
            proxy_url=f"https://media.discordapp.net/attachments/0/0/{name}",
        )


@dataclass(frozen=True)
class _Refusal:
    """An error answer from a route: HTTP status, Discord's JSON error code and message."""

    status: int
    code: int
    message: str


def _option_type(value: Any) -> int:
    """An option's type: 6 user, 8 role, 5 boolean, else 3 string."""
    return 6 if isinstance(value, User) else 8 if isinstance(value, Role) else 5 if isinstance(value, bool) else 3


def _nested(command: str, options: list[dict]) -> dict:
    """`name` and `options` of a command's data: "schedule set" puts the options under subcommand set."""
    name, _, sub = command.partition(" ")
    if sub:
        options = [{"name": sub, "type": 1, "options": options}]
    return {"name": name, "options": options}


def _guild(g: Guild, deleted: set[str]) -> dict:
    return {
        "id": g.id,
        "name": g.name,
        "owner_id": "1",
        "unavailable": False,
        "member_count": 3,
        "large": False,
        "features": [],
        "emojis": [],
        "stickers": [],
        "members": [],
        "presences": [],
        "voice_states": [],
        "threads": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "joined_at": "2026-09-01T09:00:00+00:00",
        "roles": [
            {
                "id": role_id,
                "name": name,
                "permissions": str(permissions),
                "position": position,
                "color": 0,
                "hoist": False,
                "managed": False,
                "mentionable": False,
                "flags": 0,
            }
            for position, (role_id, (name, permissions)) in enumerate({g.id: ("@everyone", 3072), **g.roles}.items())
        ],
        "channels": [g.channel(c) for c in [g.channel_id, *g.channels] if c not in deleted],
    }


def _json(data: Any, status: int = 200) -> web.Response:
    # exactly "application/json": discord.py ignores bodies with a charset suffix
    return web.Response(body=json.dumps(data).encode(), status=status, content_type="application/json")
