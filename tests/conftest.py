"""Shared fixtures: a real service over a real database (SQLite file; PostgreSQL when TEST_DATABASE_URL is set)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.bootstrap import open_service
from bot.core.actor import Actor, Platform
from bot.service import StudyService

FIXTURE_CONTENT = Path(__file__).parent / "fixtures" / "content"
SHIPPED_CONTENT = Path(__file__).parent.parent / "content"
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")


class FakeClock:
    """A clock the tests move by hand. Starts on a Friday morning in London."""

    def __init__(self, start: dt.datetime = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


async def reset_postgres(url: str) -> None:
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


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
    async with open_service(sqlite_url, FIXTURE_CONTENT, clock=clock) as study:
        yield study


@pytest.fixture
async def any_service(database_url: str, clock: FakeClock) -> AsyncIterator[StudyService]:
    async with open_service(database_url, FIXTURE_CONTENT, clock=clock) as study:
        yield study


def student(name: str, community: str = "class-1", platform: Platform = Platform.CONSOLE) -> Actor:
    return Actor(platform, community, name.lower(), name)
