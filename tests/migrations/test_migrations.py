"""Migrations: an empty database upgrades to head and then matches the models exactly."""

from __future__ import annotations

from sqlalchemy import inspect, text

from bot.store import migrate
from bot.store.db import create_engine


async def test_upgrade_from_empty_matches_the_models(database_url):
    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine)
        assert await migrate.schema_differences(engine) == []
        async with engine.connect() as connection:
            tables = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
            version = (await connection.execute(text("SELECT version_num FROM alembic_version"))).scalar_one()
        assert {"communities", "members", "questions", "attempts", "daily_assignments", "scores"} <= tables
        assert version == migrate.head_revision()
        await migrate.upgrade(engine)  # a second upgrade is a no-op
    finally:
        await engine.dispose()


async def test_sqlite_is_tuned_for_a_bot(sqlite_url):
    engine = create_engine(sqlite_url)
    try:
        async with engine.connect() as connection:
            pragmas = {
                name: (await connection.execute(text(f"PRAGMA {name}"))).scalar_one()
                for name in ("journal_mode", "foreign_keys", "busy_timeout")
            }
        assert pragmas == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 10_000}
    finally:
        await engine.dispose()
