"""Shared fixtures: a real service over a real database (SQLite file; PostgreSQL when TEST_DATABASE_URL is set).

The shared fixtures' classes show members by name on their boards (`board_default` "named"), as a class
that chose it does: most tests are about scoring and rendering names. The bot's own default for a new
class, pseudonyms, is tested where privacy is (tests/service/test_privacy.py and the adapters' tests).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.bootstrap import Bot, open_bot, open_service
from bot.service import StudyService
from tests.helpers import FIXTURE_CONTENT, POSTGRES_URL, FakeClock, reset_postgres

NAMED = "named"
os.environ["BOARD_DEFAULT"] = NAMED  # for the bot processes tests start (they inherit the environment)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'studybot.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, sqlite_url: str) -> str:
    """Each test using this runs on SQLite, and on PostgreSQL too when TEST_DATABASE_URL is set."""
    if request.param == "sqlite":
        return sqlite_url
    if not POSTGRES_URL:
        pytest.skip("TEST_DATABASE_URL is not set")
    await reset_postgres(POSTGRES_URL)
    return POSTGRES_URL


@pytest.fixture
async def service(sqlite_url: str, clock: FakeClock) -> AsyncIterator[StudyService]:
    async with open_service(sqlite_url, FIXTURE_CONTENT, clock=clock, new_class_board=NAMED) as study:
        yield study


@pytest.fixture
async def any_bot(database_url: str, clock: FakeClock) -> AsyncIterator[Bot]:
    """The service with the scheduler and publishers bootstrap wires to it."""
    async with open_bot(database_url, FIXTURE_CONTENT, clock=clock, new_class_board=NAMED) as bot:
        yield bot


@pytest.fixture
def any_service(any_bot: Bot) -> StudyService:
    return any_bot.service
