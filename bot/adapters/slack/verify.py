"""The door in front of bolt for HTTP mode: nothing reaches bolt's parser unless Slack signed it.

bolt's own aiohttp handler parses the body (JSON, `payload=`) and the timestamp *before* it checks the
signature, so a forged request with a non-numeric timestamp, a body that is not JSON or bytes that are
not UTF-8 raised there: HTTP 500 and an ERROR traceback for anyone who can reach the URL. Here, in order:

1. size: more than `MAX_BODY_BYTES` (1 MiB; Slack's requests are a few KiB, a click on a long message
   some tens of KiB) -> 413, refused from Content-Length before reading, else as soon as the limit passes;
2. authenticity, on the raw bytes, with slack_sdk's `SignatureVerifier`: exactly one well-formed
   `X-Slack-Signature` and `X-Slack-Request-Timestamp`, a timestamp within five minutes, a UTF-8 body
   and a matching HMAC -> else 401;
3. shape, only for signed requests: the content type Slack uses, a body bolt can parse (the same
   `AsyncBoltRequest` construction bolt's adapter does), and the fields our listeners read present
   with the types Slack gives them (slash commands, clicks, form submissions, and the Events API
   callbacks the manifest subscribes to) -> else 400.

Refusals log one short WARNING line (reason and peer, never the body or header values), at most one per
10 seconds per kind (unauthenticated; signed but malformed) with a count of those suppressed; the rest
go to DEBUG (logs.py: `Throttle`, and `redact` for the DEBUG lines that show a signed body). The
table of fields and types is most of its length.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web
from slack_bolt.request.async_internals import build_async_context
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.adapters.slack.logs import Throttle, redact

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024
MAX_CLOCK_SKEW = 5 * 60  # seconds; Slack's rule, and SignatureVerifier's
# After a 413 aiohttp keeps reading (and dropping) the unread body this long before closing, so the
# client sees the answer rather than a reset; its default, 10 s, holds each refused connection open.
LINGERING_TIME = 1.0
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"

_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")
_CHUNK = 64 * 1024


class Refused(Exception):
    """A request answered without bolt: `status` and a short `reason` (safe to log and to send)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason

    def response(self) -> web.Response:
        response = web.Response(status=self.status, text=self.reason)
        if self.status == 413:  # the rest of the body is unread: this connection carries nothing more
            response.force_close()
        return response


class Gate:
    """Reads, authenticates and checks one request for bolt; raises `Refused` for anything else."""

    def __init__(self, signing_secret: str, *, max_body: int = MAX_BODY_BYTES, clock: Callable[[], float] = time.time):
        self.max_body = max_body
        self.clock = clock
        self._verifier = SignatureVerifier(signing_secret, clock=_Clock(clock))
        self._unauthenticated = Throttle(log)
        self._malformed = Throttle(log)

    async def admit(self, request: web.Request) -> AsyncBoltRequest:
        """The bolt request for a signed, well-formed `request`."""
        try:
            text = self.authenticate(await self.read(request), request.headers)
        except Refused as refused:
            self._unauthenticated.warning("slack: refused a request from %s: %s", request.remote, refused.reason)
            raise
        try:
            bolt_request = self.parse(text, request)
        except Refused as refused:
            self._malformed.warning("slack: refused a signed request from %s: %s", request.remote, refused.reason)
            if log.isEnabledFor(logging.DEBUG):
                log.debug("slack: the refused body (redacted): %s", redact(text[:2000]))
            raise
        return bolt_request

    def unhandled(self, request: web.Request) -> Refused:
        """A signed, well-formed request no listener took (bolt's 404): the sender's mistake, 400."""
        refused = Refused(400, "no handler for this request")
        self._malformed.warning("slack: refused a signed request from %s: %s", request.remote, refused.reason)
        return refused

    async def read(self, request: web.Request) -> bytes:
        if request.content_length is not None and request.content_length > self.max_body:
            raise Refused(413, "request body too large")
        chunks, size = [], 0
        while chunk := await request.content.read(_CHUNK):
            size += len(chunk)
            if size > self.max_body:
                raise Refused(413, "request body too large")
            chunks.append(chunk)
        return b"".join(chunks)

    def authenticate(self, raw: bytes, headers: Any) -> str:
        """The body as text when Slack signed it; never parses anything but the two headers."""
        timestamp = _one(headers, "X-Slack-Request-Timestamp")
        signature = _one(headers, "X-Slack-Signature")
        if timestamp is None or signature is None:
            raise Refused(401, "missing or repeated signature headers")
        if not _TIMESTAMP.fullmatch(timestamp):
            raise Refused(401, "timestamp is not a number")
        if abs(self.clock() - int(timestamp)) > MAX_CLOCK_SKEW:
            raise Refused(401, "stale timestamp")
        if not _SIGNATURE.fullmatch(signature):
            raise Refused(401, "malformed signature")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise Refused(401, "body is not UTF-8") from None  # Slack signs UTF-8 text; this cannot be its
        if not self._verifier.is_valid(text, timestamp, signature):
            raise Refused(401, "bad signature")
        return text

    def parse(self, text: str, request: web.Request) -> AsyncBoltRequest:
        """bolt's own parse of a signed body, refused when it would fail or our listeners could not use it."""
        if request.content_type not in (FORM, JSON):
            raise Refused(400, "unsupported content type")
        if (request.charset or "utf-8").lower() != "utf-8":
            raise Refused(400, "unsupported charset")
        try:
            bolt_request = AsyncBoltRequest(body=text, query=request.query_string, headers=request.headers)
        except Exception as error:  # bolt's json.loads / extractors on a body it cannot read
            raise Refused(400, f"unreadable body ({type(error).__name__})") from None
        if not bolt_request.body and request.content_type == FORM and not text.startswith("{"):
            # bolt takes any form body with "payload" in it for an interactive payload, so
            # `/study explain payload` arrives empty: read the form's fields as Slack sent them.
            fields = dict(parse_qsl(text, keep_blank_values=True))
            if "payload" not in fields:
                bolt_request.body = fields
                build_async_context(bolt_request.context, fields)
        check_body(bolt_request.body)
        return bolt_request


class _Clock:
    """slack_sdk's Clock interface over our clock (tests move it)."""

    def __init__(self, now: Callable[[], float]) -> None:
        self._now = now

    def now(self) -> float:
        return self._now()


def _one(headers: Any, name: str) -> str | None:
    values = headers.getall(name, [])
    return values[0] if len(values) == 1 else None


# ---------------------------------------------------------------------- shape of a signed body

_Str = (str, type(None))
_Dict = (dict, type(None))
_List = (list, type(None))
_Flag = (bool, str, type(None))

# Every field bolt's extractors and matchers or our listeners read, with the types Slack sends.
_TOP: dict[str, tuple[type, ...]] = {
    "type": _Str,
    "command": _Str,
    "text": _Str,
    "team_id": _Str,
    "user_id": _Str,
    "user_name": _Str,
    "team_domain": _Str,
    "channel_id": _Str,
    "channel_name": _Str,
    "enterprise_id": _Str,
    "api_app_id": _Str,
    "response_url": _Str,
    "trigger_id": _Str,
    "callback_id": _Str,
    "thread_ts": _Str,
    "function_execution_id": _Str,
    "bot_access_token": _Str,
    "is_enterprise_install": _Flag,
    "is_ext_shared_channel": _Flag,
    "user": _Dict,
    "team": _Dict,
    "enterprise": _Dict,
    "channel": _Dict,
    "container": _Dict,
    "message": _Dict,
    "previous_message": _Dict,
    "item": _Dict,
    "assistant_thread": _Dict,
    "function_data": _Dict,
    "view": _Dict,
    "state": _Dict,
    "event": _Dict,
    "actions": _List,
    "authorizations": _List,
    "response_urls": _List,
}
_INNER_STR = (
    "id",
    "team_id",
    "user_id",
    "enterprise_id",
    "name",
    "username",
    "domain",
    "channel_id",
    "message_ts",
    "thread_ts",
    "callback_id",
    "private_metadata",
    "app_installed_team_id",
    "action_id",
    "block_id",
    "value",
    "response_url",
    "execution_id",
    "user",
    "channel",
    "team",
    "user_team",
    "source_team",
    "type",
    "subtype",
    "bot_id",
)
_INNER_DICT = ("state", "inputs")
_URL_SHAPE = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:/[!-~]*)?")  # printable ASCII, no spaces
_NESTED = tuple(key for key, types in _TOP.items() if types is _Dict)


class _Shape(Exception):
    pass


def check_body(body: Any) -> None:
    """Raise Refused(400) unless `body` (as bolt parsed it) is something our listeners can read."""
    try:
        _check(body)
    except _Shape as problem:
        raise Refused(400, f"malformed payload: {problem}") from None


def _check(body: Any) -> None:
    if not isinstance(body, dict) or not body:
        raise _Shape("not an object")
    for key, types in _TOP.items():
        if key in body and not isinstance(body[key], types):
            raise _Shape(f"{key} has the wrong type")
    for key in _NESTED:
        _check_inner(body.get(key), key)
    for key in ("actions", "authorizations", "response_urls"):
        for item in body.get(key) or []:
            if not isinstance(item, dict):
                raise _Shape(f"{key} holds a non-object")
            _check_inner(item, key)
    for url in [body.get("response_url")] + [item.get("response_url") for item in body.get("response_urls") or []]:
        if url is not None and not _URL_SHAPE.fullmatch(url):
            raise _Shape("response_url is not a URL")
    if "ssl_check" in body or body.get("type") == "url_verification":
        return  # bolt answers these itself
    if "command" in body:
        _require(body, "command", "team_id", "user_id")
        if not body["command"].startswith("/"):
            raise _Shape("command does not start with /")
        return
    if body.get("type") == "event_callback" or "event" in body:
        _check_event(body)
        return
    _require(body, "type")
    if body["type"] in ("block_actions", "view_submission"):
        user = body.get("user") or {}
        if not user.get("id"):
            raise _Shape("user.id is missing")
        if not ((body.get("team") or {}).get("id") or user.get("team_id") or body.get("enterprise")):
            raise _Shape("team is missing")
    if body["type"] == "block_actions":
        actions = body.get("actions") or []
        if not actions or not actions[0].get("action_id"):
            raise _Shape("actions[0].action_id is missing")
        if not isinstance(actions[0].get("value", ""), str):
            raise _Shape("actions[0].value is not text")
        _require(body, "trigger_id")
    if body["type"] == "view_submission":
        view = body.get("view") or {}
        if not view.get("callback_id"):
            raise _Shape("view.callback_id is missing")
        values = (view.get("state") or {}).get("values") or {}
        if not isinstance(values, dict) or not all(
            isinstance(block, dict)
            and all(isinstance(element, dict) and isinstance(element.get("value"), _Str) for element in block.values())
            for block in values.values()
        ):
            raise _Shape("view.state.values is malformed")


def _check_event(body: dict[str, Any]) -> None:
    """An Events API callback (the manifest subscribes to app_uninstalled and tokens_revoked): bolt reads its
    team and event type, our listeners the team and `event.tokens`."""
    if body.get("type") != "event_callback":
        raise _Shape("an event outside an event_callback")
    _require(body, "event")
    if not (body.get("team_id") or body.get("enterprise_id")):
        raise _Shape("team_id is missing")
    event = body["event"]
    if not isinstance(event.get("type"), str) or not event["type"]:
        raise _Shape("event.type is missing")
    tokens = event.get("tokens")
    if tokens is not None and not (
        isinstance(tokens, dict)
        and all(isinstance(ids, list) and all(isinstance(i, str) for i in ids) for ids in tokens.values())
    ):
        raise _Shape("event.tokens is malformed")


def _check_inner(value: Any, where: str) -> None:
    if not isinstance(value, dict):
        return
    for key in _INNER_STR:
        if key in value and not isinstance(value[key], _Str):
            raise _Shape(f"{where}.{key} has the wrong type")
    for key in _INNER_DICT:
        if key in value and not isinstance(value[key], (dict, type(None))):
            raise _Shape(f"{where}.{key} has the wrong type")


def _require(body: dict[str, Any], *keys: str) -> None:
    for key in keys:
        if not body.get(key):
            raise _Shape(f"{key} is missing")
