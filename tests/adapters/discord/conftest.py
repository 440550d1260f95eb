"""Fixtures: the real discord.py client pointed at the fake Discord (tests/adapters/conftest.py starts it)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.adapters.discord import StudyBot
from bot.service import StudyService
from tests.adapters.discord.fake_discord import FakeDiscord
from tests.adapters.discord.helpers import Bots


@pytest.fixture
async def bots(fake: FakeDiscord) -> AsyncIterator[Bots]:
    started = Bots()
    yield started
    await started.stop_all()


@pytest.fixture
async def bot(bots: Bots, service: StudyService) -> StudyBot:
    return await bots.start(service)
