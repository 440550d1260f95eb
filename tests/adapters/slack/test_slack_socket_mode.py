"""Socket Mode and `run()`: apps.connections.open, hello, envelopes and their acks, over a fake websocket."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest
from pydantic import SecretStr
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack import EVENTS_PATH, SlackConfigError, SlackPublisher, create_app, run
from bot.core.publishing import Publishers
from tests.adapters.slack.fake_slack import (
    APP_TOKEN,
    BOT_TOKEN,
    SECRETS,
    all_text,
    block_actions_payload,
    button,
    command_form,
    form_body,
    signed_headers,
)
from tests.adapters.slack.helpers import make_settings
from tests.helpers import free_port


def fake_client(fake_slack) -> AsyncWebClient:
    return AsyncWebClient(token=BOT_TOKEN, base_url=fake_slack.api_url)


def slash_envelope(envelope_id: str, payload: dict) -> dict:
    return {"envelope_id": envelope_id, "type": "slash_commands", "accepts_response_payload": True, "payload": payload}


async def test_socket_mode_slash_command_and_button(service, fake_slack):
    app = create_app(service, make_settings(slack_signing_secret=None), client=fake_client(fake_slack))
    handler = AsyncSocketModeHandler(app, APP_TOKEN)  # inside the running loop, as aiohttp 3.14 requires
    try:
        await handler.connect_async()
        opened = fake_slack.api_calls("apps.connections.open")
        assert [call.headers["Authorization"] for call in opened] == [f"Bearer {APP_TOKEN}"]

        response_url = fake_slack.response_url()
        await fake_slack.send_envelope(
            slash_envelope("env-1", command_form("rival trotsky", response_url=response_url))
        )
        assert await fake_slack.ack_for("env-1") == {"envelope_id": "env-1"}  # an empty ack: the reply comes later
        card = await fake_slack.reply(response_url)
        assert card["blocks"][0]["text"]["text"] == "Leon Trotsky" and card["response_type"] == "ephemeral"

        click_url = fake_slack.response_url()
        click = block_actions_payload(button(card, "Quiz me on this"), response_url=click_url)
        await fake_slack.send_envelope(
            {"envelope_id": "env-2", "type": "interactive", "accepts_response_payload": False, "payload": click}
        )
        assert (await fake_slack.ack_for("env-2"))["envelope_id"] == "env-2"
        question = await fake_slack.reply(click_url)
        assert "Trotsky was expelled" in all_text(question)
    finally:
        await handler.close_async()


async def test_run_in_socket_mode_until_cancelled(service, fake_slack):
    settings = make_settings(slack_app_token=SecretStr(APP_TOKEN), slack_signing_secret=None)
    woken = []
    publishers = Publishers(on_change=lambda: woken.append(True))  # the scheduler's wake-up
    task = asyncio.create_task(
        run(service, settings, publishers=publishers, client=fake_client(fake_slack)), name="slack-under-test"
    )
    try:
        await fake_slack.wait_for(lambda: fake_slack.api_calls("apps.connections.open"))
        for _ in range(100):  # connected -> the publisher is there, and the scheduler was woken
            if "slack" in publishers:
                break
            await asyncio.sleep(0.02)
        assert isinstance(publishers.get("slack"), SlackPublisher) and woken
        response_url = fake_slack.response_url()
        await fake_slack.send_envelope(slash_envelope("env-9", command_form("daily", response_url=response_url)))
        await fake_slack.ack_for("env-9")
        assert "Daily question" in all_text(await fake_slack.reply(response_url))
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert publishers.platforms() == []  # a stopped front end takes its publisher away


async def test_run_in_http_mode_on_port(service, fake_slack):
    port = free_port()
    publishers = Publishers()
    task = asyncio.create_task(
        run(service, make_settings(port=port), publishers=publishers, client=fake_client(fake_slack))
    )
    base = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as session:
            for _ in range(100):
                try:
                    async with session.get(base + "/healthz") as health:
                        assert await health.text() == "ok"
                        break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.05)
            else:
                raise AssertionError("the HTTP server never came up")
            response_url = fake_slack.response_url()
            body = form_body(command_form("help", response_url=response_url))
            async with session.post(base + EVENTS_PATH, data=body, headers=signed_headers(body)) as response:
                assert response.status == 200
            assert "/study daily" in all_text(await fake_slack.reply(response_url))
            assert isinstance(publishers.get("slack"), SlackPublisher)
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"slack_signing_secret": None}, "SLACK_SIGNING_SECRET"),
        ({"slack_app_token": SecretStr(BOT_TOKEN)}, "xapp-"),
        ({"slack_bot_token": None, "slack_app_token": SecretStr(APP_TOKEN)}, "SLACK_BOT_TOKEN"),
    ],
)
async def test_run_refuses_settings_that_cannot_work(service, overrides, expected):
    with pytest.raises(SlackConfigError) as refused:
        await run(service, make_settings(**overrides))
    assert expected in str(refused.value)
    assert not any(secret in str(refused.value) for secret in SECRETS)
