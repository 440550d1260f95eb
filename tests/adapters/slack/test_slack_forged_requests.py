"""Forged, stale and malformed requests to POST /slack/events, over the wire to the real bolt app
(the `slack` fixture: build_web_app(create_app(...)) on 127.0.0.1, the fake Slack behind it).

Whatever arrives, the answer is 401 (not signed by Slack), 413 (too big) or 400 (signed, but not
something Slack sends us), never a 500; the log has no ERROR, no traceback and no body text; and
correctly signed requests still work."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import os
import random
import string
import time
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlencode

import pytest

from bot.adapters.slack import create_app, ids, logs, verify
from tests.adapters.slack.fake_slack import (
    BOT_TOKEN,
    SECRETS,
    SIGNING_SECRET,
    all_text,
    block_actions_payload,
    command_form,
    form_body,
    payload_body,
    signed_headers,
    view_submission_payload,
)
from tests.adapters.slack.helpers import make_settings

FORM = "application/x-www-form-urlencoded"
MARK = "FUZZMARK"  # in every refused body: it must never reach the log
MUTANT = "FUZZMUTANT"  # in the random parts of signed, real-looking clicks
SEED = int(os.environ.get("STUDYBOT_FUZZ_SEED", "20240518"))
REQUESTS = 200


def sign_bytes(raw: bytes, timestamp: str, secret: str = SIGNING_SECRET) -> str:
    return "v0=" + hmac.new(secret.encode(), f"v0:{timestamp}:".encode() + raw, hashlib.sha256).hexdigest()


def signed(raw: bytes, content_type: str | None = FORM, timestamp: int | None = None) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    headers = {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sign_bytes(raw, ts)}
    if content_type is not None:
        headers["Content-Type"] = content_type
    return headers


async def post(slack, raw: bytes | Any, headers: dict[str, str] | list[tuple[str, str]]) -> tuple[int, str]:
    async with slack.session.post(slack.url, data=raw, headers=headers) as response:
        return response.status, await response.text()


def a_button(action_id: str = ids.SHOW_CARD_ACTION, value: str = "trotsky") -> dict[str, Any]:
    return {"action_id": action_id, "text": {"type": "plain_text", "text": "Show card"}, "value": value}


def a_view() -> dict[str, Any]:
    return {"id": "V1", "type": "modal", "callback_id": ids.ANSWER_VIEW, "private_metadata": "", "blocks": []}


@pytest.fixture
def log_at_info(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO)  # the level the bot runs at
    return caplog


def assert_clean(caplog: pytest.LogCaptureFixture, *texts: str) -> None:
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [r.getMessage()[:300] for r in errors]
    assert "Traceback" not in caplog.text
    for text in (MARK, *SECRETS, *texts):
        assert text not in caplog.text


# ---------------------------------------------------------------------- the fuzz


class Forger:
    """A seeded generator of requests, each with the statuses it may get."""

    def __init__(self, rng: random.Random, response_url: str) -> None:
        self.rng = rng
        self.response_url = response_url

    def junk_text(self, mark: str = MARK) -> str:
        alphabet = string.printable + "{}[]\"'=&%\u00e9\u200b\u202e\U0001f600\x00"
        return mark + "".join(self.rng.choice(alphabet) for _ in range(self.rng.randint(0, 80)))

    def junk_json(self, depth: int = 0) -> Any:
        choice = self.rng.randint(0, 7 if depth < 2 else 4)
        if choice == 0:
            return None
        if choice == 1:
            return self.rng.choice([True, False])
        if choice == 2:
            return self.rng.choice([0, -1, 10**30, 1.5])
        if choice in (3, 4):
            return self.junk_text(MUTANT)
        if choice in (5, 6):
            return {self.rng.choice(["id", "type", "value", MUTANT]): self.junk_json(depth + 1)}
        return [self.junk_json(depth + 1) for _ in range(self.rng.randint(0, 3))]

    def valid_body(self) -> tuple[bytes, str]:
        """A body Slack could send (with a marker in it), and its content type."""
        kind = self.rng.randint(0, 2)
        if kind == 0:
            return form_body(command_form(f"explain {MARK}", response_url=self.response_url)).encode(), FORM
        if kind == 1:
            payload = block_actions_payload(a_button(value=MARK), response_url=self.response_url)
            return payload_body(payload).encode(), FORM
        return payload_body(view_submission_payload(a_view(), MARK)).encode(), FORM

    def forged(self) -> tuple[bytes | Any, Any, set[int]]:
        """Not signed by Slack: 401 (413 if too big)."""
        raw, content_type = self.valid_body() if self.rng.random() < 0.6 else (self.junk_text().encode(), FORM)
        now = int(time.time())
        ts = str(now)
        variant = self.rng.randint(0, 11)
        good = sign_bytes(raw, ts)
        headers: Any = {"Content-Type": content_type}
        if variant == 0:
            pass  # no signature at all
        elif variant == 1:
            headers |= {"X-Slack-Signature": good}  # no timestamp
        elif variant == 2:
            bad_ts = self.rng.choice(["abc", "", " ", "1e9", "-5", "\u0661\u0662\u0663", "9" * 5000, f" {now}", "0x10"])
            headers |= {"X-Slack-Request-Timestamp": bad_ts, "X-Slack-Signature": sign_bytes(raw, bad_ts or "0")}
        elif variant == 3:
            old = now - self.rng.randint(301, 10**6) * self.rng.choice([1, -1])
            headers |= {"X-Slack-Request-Timestamp": str(old), "X-Slack-Signature": sign_bytes(raw, str(old))}
        elif variant == 4:
            headers |= {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sign_bytes(raw, ts, "not-the-secret")}
        elif variant == 5:
            sig = self.rng.choice(["v0=" + "0" * 64, "v1=" + good[3:], good.upper(), good[:-1], "", "v0=", MARK])
            headers |= {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sig}
        elif variant == 6:  # signed, then the body changed on the way
            headers |= {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": good}
            raw = raw + b"&x=1"
        elif variant == 7:  # the signature of another timestamp
            headers |= {"X-Slack-Request-Timestamp": str(now - 1), "X-Slack-Signature": good}
        elif variant == 8:  # repeated headers: which one would bolt read?
            headers = [
                ("Content-Type", content_type),
                ("X-Slack-Request-Timestamp", ts),
                ("X-Slack-Request-Timestamp", str(now - 100)),
                ("X-Slack-Signature", good),
            ]
        elif variant == 9:  # bytes that are not UTF-8, "signed" over the raw bytes
            raw = b"\xff\xfe" + MARK.encode() + bytes(self.rng.randrange(256) for _ in range(40))
            headers |= {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sign_bytes(raw, ts)}
        elif variant == 10:  # too big, forged: refused before it is authenticated
            raw = MARK.encode() * (verify.MAX_BODY_BYTES // len(MARK) + 10)
            headers |= {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": "v0=" + "1" * 64}
            return raw, headers, {413}
        else:  # a signature made of strange characters
            headers |= {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": "v0=" + "\u00e9" * 64}
        return raw, headers, {401}

    def malformed(self) -> tuple[bytes, dict[str, str], set[int]]:
        """Signed with the right secret, but not something Slack sends us: 400."""
        variant = self.rng.randint(0, 9)
        content_type: str | None = FORM
        if variant == 0:  # payload= that is not JSON
            raw = urlencode({"payload": self.junk_text()}).encode()
        elif variant == 1:  # payload= JSON that is not an object
            raw = urlencode({"payload": json.dumps(self.rng.choice([[MARK], MARK, 5, None, []]))}).encode()
        elif variant == 2:  # a JSON body that is not JSON (or not an object)
            raw = self.rng.choice(["{" + MARK, "[1,", json.dumps([MARK]), "nul"]).encode()
            content_type = "application/json"
        elif variant == 3:  # a form body starting with "{" (bolt then reads it as JSON)
            raw = ("{" + MARK + "=1").encode()
        elif variant == 4:  # the wrong content type
            raw, _ = self.valid_body()
            content_type = self.rng.choice(
                ["text/plain", "multipart/form-data; boundary=x", None, f"{FORM}; charset=latin-1"]
            )
        elif variant == 5:  # neither a command nor a payload
            raw = urlencode({"hello": MARK, "team_id": "T1"}).encode()
        elif variant == 6:  # a command without the user or team
            fields = command_form(f"help {MARK}", response_url=self.response_url)
            del fields[self.rng.choice(["user_id", "team_id", "command"])]
            raw = form_body(fields).encode()
        elif variant == 7:  # a known field with the wrong type
            payload = block_actions_payload(a_button(value=MARK), response_url=self.response_url)
            key = self.rng.choice(["user", "team", "actions", "channel", "container", "enterprise", "trigger_id"])
            wrong = {"actions": [[MARK], MARK, [{}], []], "trigger_id": [7, [MARK], {"id": MARK}, True]}
            payload[key] = self.rng.choice(wrong.get(key, [MARK, 7, [MARK], {"id": [MARK]}, True]))
            raw = payload_body(payload).encode()
        elif variant == 8:  # an unknown payload type, command or button: no listener
            choice = self.rng.randint(0, 2)
            if choice == 0:
                payload = block_actions_payload(a_button(), response_url=self.response_url) | {
                    "type": "x_" + MARK.lower()
                }
                raw = payload_body(payload).encode()
            elif choice == 1:
                raw = form_body(command_form("help", response_url=self.response_url) | {"command": "/" + MARK}).encode()
            else:
                payload = block_actions_payload(a_button(action_id=MARK), response_url=self.response_url)
                raw = payload_body(payload).encode()
        else:  # a modal whose answer is not text
            payload = view_submission_payload(a_view(), "x")
            payload["view"]["state"]["values"] = self.rng.choice(
                [{ids.ANSWER_BLOCK: {ids.ANSWER_INPUT: {"value": [MARK]}}}, {ids.ANSWER_BLOCK: MARK}, [MARK]]
            )
            raw = payload_body(payload).encode()
        return raw, signed(raw, content_type), {400}

    def mutated(self) -> tuple[bytes, dict[str, str], set[int]]:
        """A real click with one field replaced by random JSON: refused (400) or handled (200), never more.
        What such a click says may reach the log as what it asked for ("no card for ..."), never as a body."""
        payload = block_actions_payload(a_button(value="trotsky"), response_url=self.response_url)
        target = payload
        path = self.rng.choice([("user",), ("team",), ("channel",), ("container",), ("actions", 0), ("state",), ()])
        for step in path:
            target = target[step]
        key = self.rng.choice(list(target) + [MUTANT])
        target[key] = self.junk_json()
        raw = payload_body(payload).encode()
        return raw, signed(raw), {200, 400}


async def test_fuzz_forged_stale_and_malformed_requests(slack, fake_slack, log_at_info):
    rng = random.Random(SEED)
    forger = Forger(rng, fake_slack.response_url())
    started = time.monotonic()
    statuses: dict[int, int] = {}
    valid_urls = []
    for n in range(REQUESTS):
        roll = rng.random()
        if n % 40 == 0:  # a real command now and then: it still works among the forgeries
            url = fake_slack.response_url()
            raw = form_body(command_form("help", response_url=url)).encode()
            headers, expected = signed(raw), {200}
            valid_urls.append(url)
        elif roll < 0.5:
            raw, headers, expected = forger.forged()
        elif roll < 0.85:
            raw, headers, expected = forger.malformed()
        else:
            raw, headers, expected = forger.mutated()
        status, text = await post(slack, raw, headers)
        assert status in expected, (SEED, n, status, text, raw[:200])
        assert len(text) < 100 and MARK not in text
        statuses[status] = statuses.get(status, 0) + 1
    for url in valid_urls:
        assert "/study quiz [topic]" in all_text(await fake_slack.reply(url))
    await asyncio.sleep(0.5)  # listeners run after the ack: let them finish and log
    assert time.monotonic() - started < 20
    assert {401, 400, 413} <= set(statuses), statuses
    assert_clean(log_at_info, BOT_TOKEN)
    ours = [r.getMessage() for r in log_at_info.records if r.name in (verify.log.name, "bot.adapters.slack")]
    assert not [line for line in ours if MUTANT in line]
    warnings = [r for r in log_at_info.records if r.name == verify.log.name and r.levelno == logging.WARNING]
    assert 1 <= len(warnings) <= 4, [r.getMessage() for r in warnings]  # rate-limited: one per kind per 10 s


# ---------------------------------------------------------------------- specific cases


def command_bytes(response_url: str = "http://127.0.0.1:9/response/x", text: str = "help") -> bytes:
    return form_body(command_form(text, response_url=response_url)).encode()


def with_body(raw: bytes, headers: Any, status: int) -> tuple[bytes, Any, int]:
    return raw, headers(raw) if callable(headers) else headers, status


NOW = lambda: int(time.time())  # noqa: E731
CASES = {
    "no signature headers": lambda: with_body(command_bytes(), {"Content-Type": FORM}, 401),
    "non-numeric timestamp": lambda: with_body(
        command_bytes(),
        {"Content-Type": FORM, "X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": "v0=" + "a" * 64},
        401,
    ),
    "stale timestamp": lambda: with_body(command_bytes(), lambda raw: signed(raw, timestamp=NOW() - 6 * 60), 401),
    "future timestamp": lambda: with_body(command_bytes(), lambda raw: signed(raw, timestamp=NOW() + 6 * 60), 401),
    "bad signature": lambda: with_body(
        command_bytes(), lambda raw: signed_headers(raw.decode(), secret="not-the-secret"), 401
    ),
    "non-UTF-8 bytes": lambda: with_body(b"payload=\xff\xfe" + MARK.encode(), signed, 401),
    "non-JSON payload=": lambda: with_body(urlencode({"payload": "{not json " + MARK}).encode(), signed, 400),
    "payload= missing": lambda: with_body(urlencode({"type": "block_actions", "note": MARK}).encode(), signed, 400),
    "JSON body that is not JSON": lambda: with_body(
        b"{" + MARK.encode(), lambda raw: signed(raw, "application/json"), 400
    ),
    "wrong content type": lambda: with_body(command_bytes(), lambda raw: signed(raw, "text/plain"), 400),
    "huge body": lambda: with_body(MARK.encode() * (2 * 1024 * 1024 // len(MARK)), {"Content-Type": FORM}, 413),
}


@pytest.mark.parametrize("case", list(CASES))
async def test_refused_with_a_short_answer_and_a_clean_log(slack, log_at_info, case):
    raw, headers, expected = CASES[case]()
    status, text = await post(slack, raw, headers)
    assert status == expected, text
    assert 0 < len(text) < 100 and MARK not in text
    assert_clean(log_at_info)
    lines = [r for r in log_at_info.records if r.name == verify.log.name]
    assert len(lines) == 1 and lines[0].levelno == logging.WARNING, [r.getMessage() for r in lines]


async def test_a_huge_body_without_a_length_is_refused_while_reading(slack, log_at_info):
    sent = 0

    async def chunks() -> AsyncIterator[bytes]:
        nonlocal sent
        for _ in range(64):  # 4 MiB in all, chunked: no Content-Length to refuse it from
            sent += 1
            yield MARK.encode() * 8192

    status, text = await post(slack, chunks(), {"Content-Type": FORM, "X-Slack-Signature": "v0=" + "a" * 64})
    assert status == 413 and "too large" in text
    assert_clean(log_at_info)


async def test_a_signed_command_naming_a_payload_still_works(slack, fake_slack):
    # bolt reads any form body containing "payload" as an interactive payload, and finds none:
    # by itself it answers 404 to `/study help payload`.
    url = fake_slack.response_url()
    raw = command_bytes(url, text="help payload")
    assert await post(slack, raw, signed(raw)) == (200, "")
    assert "/study quiz [topic]" in all_text(await fake_slack.reply(url))


async def test_refusals_are_rate_limited_with_a_count(slack, log_at_info):
    for _ in range(30):
        status, _ = await post(slack, command_bytes(), {"Content-Type": FORM})
        assert status == 401
    warnings = [r for r in log_at_info.records if r.name == verify.log.name and r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "missing or repeated signature headers" in warnings[0].getMessage()


def test_the_throttle_counts_what_it_suppressed(caplog):
    now = [100.0]
    throttle = logs.Throttle(logging.getLogger("tests.throttle"), interval=10, clock=lambda: now[0])
    caplog.set_level(logging.INFO, logger="tests.throttle")
    for _ in range(5):
        throttle.warning("refused: %s", "bad signature")
    now[0] += 10
    throttle.warning("refused: %s", "stale timestamp")
    assert [r.getMessage() for r in caplog.records] == [
        "refused: bad signature",
        "refused: stale timestamp (4 more like it in the last 10s)",
    ]


async def test_a_correctly_signed_command_still_works_end_to_end(slack, fake_slack, log_at_info):
    url = fake_slack.response_url()
    raw = command_bytes(url)
    assert await post(slack, raw, signed(raw)) == (200, "")
    assert "/study quiz [topic]" in all_text(await fake_slack.reply(url))
    assert_clean(log_at_info, url)


# ---------------------------------------------------------------------- logs


async def test_bodies_reach_the_log_only_at_debug_and_redacted(slack, fake_slack, caplog):
    caplog.set_level(logging.DEBUG)
    url = fake_slack.response_url()
    raw = form_body(command_form("help", response_url=url) | {"token": "xoxp-1-user-token"}).encode()
    assert (await post(slack, raw, signed(raw)))[0] == 200
    await fake_slack.reply(url)
    bodies = [r for r in caplog.records if "request body" in r.getMessage()]
    assert bodies and all(r.levelno == logging.DEBUG for r in bodies)
    assert "[response_url]" in bodies[0].getMessage() and "team_id=T1" in bodies[0].getMessage()
    assert url not in caplog.text and "xoxp-1-user-token" not in caplog.text and BOT_TOKEN not in caplog.text


def test_redact_removes_tokens_hooks_and_response_urls():
    text = (
        'token xoxb-123-abc xapp-1-A1-2 {"response_url": "https://example.test/r/1"} '
        "response_url=https%3A%2F%2Fhooks.slack.com%2Factions%2FT1%2F2 https://hooks.slack.com/services/T/B/x"
    )
    clean = logs.redact(text)
    for secret in ("xoxb-123", "xapp-1", "example.test", "hooks.slack.com"):
        assert secret not in clean, clean


async def test_bolt_never_logs_a_rejected_body(service, fake_slack, caplog):
    # Behind the gate this happens only at the five-minute edge; bolt's own check must not log the body.
    from slack_bolt.request.async_request import AsyncBoltRequest

    caplog.set_level(logging.DEBUG)
    app = create_app(service, make_settings(), client=None)
    body = form_body(command_form(MARK, response_url=fake_slack.response_url()))
    request = AsyncBoltRequest(body=body, headers=signed_headers(body, secret="not-the-secret"))
    assert (await app.async_dispatch(request)).status == 401
    assert MARK not in caplog.text and "response" not in caplog.text


def test_create_app_does_not_warn_that_the_token_will_be_unused(service, monkeypatch, caplog):
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)  # as on a host: the settings come from the environment
    caplog.set_level(logging.DEBUG)
    app = create_app(service, make_settings())
    assert app.client.token == BOT_TOKEN
    assert "will be unused" not in caplog.text
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


async def test_slacks_own_checks_still_get_through(slack):
    raw = urlencode({"ssl_check": "1", "token": "legacy-verification-token"}).encode()
    assert (await post(slack, raw, signed(raw)))[0] == 200
    raw = json.dumps({"type": "url_verification", "token": "t", "challenge": "c-123"}).encode()
    status, text = await post(slack, raw, signed(raw, "application/json"))
    assert status == 200 and "c-123" in text
