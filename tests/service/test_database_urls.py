"""DATABASE_URL in the forms hosts hand out: each reaches the right async driver, or gets one clear line."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.bootstrap import open_service
from bot.store.db import DatabaseUnavailable, async_url, create_engine
from tests.helpers import FIXTURE_CONTENT, POSTGRES_URL, student


@pytest.mark.parametrize(
    ("given", "driver"),
    [
        ("postgres://u:secret@db.example.com:5432/school", "postgresql+asyncpg"),
        ("postgresql://u:secret@db.example.com/school", "postgresql+asyncpg"),
        ("postgresql+psycopg://u:secret@db.example.com/school", "postgresql+asyncpg"),
        ("postgresql+psycopg2://u:secret@db.example.com/school", "postgresql+asyncpg"),
        ("postgresql+asyncpg://u:secret@db.example.com/school", "postgresql+asyncpg"),
        ("sqlite:///studybot.db", "sqlite+aiosqlite"),
        ("sqlite+aiosqlite:///studybot.db", "sqlite+aiosqlite"),
    ],
)
def test_each_url_form_maps_to_the_async_driver_keeping_everything_else(given, driver):
    url = async_url(given)
    original = make_url(given)
    assert url.drivername == driver
    assert (url.username, url.password, url.host, url.port, url.database) == (
        original.username,
        original.password,
        original.host,
        original.port,
        original.database,
    )


def test_libpq_query_parameters_become_asyncpgs():
    url = async_url("postgres://u:p@host/db?sslmode=require&connect_timeout=10&application_name=bot")
    assert dict(url.query) == {"ssl": "require", "timeout": "10", "application_name": "bot"}


@pytest.mark.parametrize("given", ["mysql://u:p@host/db", "mongodb://host/db", "redis://localhost"])
def test_a_url_the_bot_cannot_use_gets_one_line_naming_its_scheme(given):
    with pytest.raises(DatabaseUnavailable) as raised:
        create_engine(given)
    message = str(raised.value)
    assert given.split(":")[0] in message and "\n" not in message and "p@" not in message


async def test_a_plain_sqlite_url_runs_the_service(tmp_path):
    async with open_service(f"sqlite:///{tmp_path / 'plain.db'}", FIXTURE_CONTENT) as service:
        card = await service.daily_question(student("Ann"))
    assert card.prompt and (tmp_path / "plain.db").exists()


@pytest.mark.skipif(not POSTGRES_URL, reason="TEST_DATABASE_URL is not set")
async def test_a_hosts_postgres_url_with_sslmode_connects_to_the_real_server():
    real = make_url(POSTGRES_URL)
    hosts_form = real.set(drivername="postgres", query={"sslmode": "disable"}).render_as_string(hide_password=False)
    engine = create_engine(hosts_form)
    try:
        async with engine.connect() as connection:
            assert (await connection.execute(text("SELECT 1"))).scalar_one() == 1
    finally:
        await engine.dispose()
