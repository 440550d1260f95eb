"""Back-pressure in the service: a bounded number of use cases at once, a bounded line waiting its turn,
and beyond it (or after waiting too long) a friendly "busy" refusal that records nothing; a use case that
calls another never waits for a turn it holds already."""

from __future__ import annotations

import asyncio

import pytest
from prometheus_client import REGISTRY

from bot.core.actor import Actor, Platform
from bot.service.admission import BUSY, Admission, Busy

ANN = Actor(Platform.SLACK, "T1", "U1", "Ann")


def shed_count(platform: str) -> float:
    return REGISTRY.get_sample_value("studybot_shed_total", {"platform": platform}) or 0.0


async def test_beyond_the_turns_and_the_line_requests_are_told_the_bot_is_busy():
    admission = Admission(in_flight=1, waiting=1, patience=5)
    gate = asyncio.Event()
    holder = asyncio.create_task(admission.run("slack", gate.wait))
    await asyncio.sleep(0)
    waiter = asyncio.create_task(admission.run("slack", lambda: asyncio.sleep(0, result="served")))
    await asyncio.sleep(0)
    before = shed_count("slack")
    with pytest.raises(Busy) as refused:
        await admission.run("slack", lambda: asyncio.sleep(0))
    assert refused.value.message == BUSY and shed_count("slack") == before + 1
    gate.set()
    assert await waiter == "served"
    await holder


async def test_a_request_that_waits_longer_than_its_patience_is_told_the_bot_is_busy():
    admission = Admission(in_flight=1, waiting=10, patience=0.05)
    gate = asyncio.Event()
    holder = asyncio.create_task(admission.run("discord", gate.wait))
    await asyncio.sleep(0)
    with pytest.raises(Busy):
        await admission.run("discord", lambda: asyncio.sleep(0))
    gate.set()
    await holder
    assert await admission.run("discord", lambda: asyncio.sleep(0, result=1)) == 1  # a turn is free again


async def test_a_use_case_calling_another_keeps_its_turn():
    admission = Admission(in_flight=1, waiting=0, patience=0.05)

    async def outer() -> str:
        return await admission.run("console", lambda: asyncio.sleep(0, result="inner ran"))

    assert await admission.run("console", outer) == "inner ran"


async def test_the_service_sheds_a_daily_question_and_an_answer_without_recording_anything(sqlite_url, clock):
    from bot.bootstrap import open_service
    from tests.helpers import FIXTURE_CONTENT, correct_answer

    admission = Admission(in_flight=1, waiting=0, patience=0.05)
    async with open_service(sqlite_url, FIXTURE_CONTENT, clock=clock, admission=admission) as service:
        asked = await service.daily_question(ANN)
        gate = asyncio.Event()
        holder = asyncio.create_task(admission.run("none", gate.wait))
        await asyncio.sleep(0)
        with pytest.raises(Busy):
            await service.daily_question(ANN)
        with pytest.raises(Busy):
            await service.submit_answer(ANN, correct_answer(service, asked), asked.ref)
        gate.set()
        await holder
        stats = await service.stats(ANN)
        assert stats.answered == 0  # the shed answer was not recorded
        scored = await service.submit_answer(ANN, correct_answer(service, asked), asked.ref)
        assert scored.correct and scored.points > 0 and not scored.repeated
