"""Run Alembic migrations from inside the bot (every start upgrades to head)."""

from __future__ import annotations

from collections.abc import Callable

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.config import shipped
from bot.store.models import Base


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(shipped("migrations")))
    return config


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    await _migrate(engine, command.upgrade, revision)


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    await _migrate(engine, command.downgrade, revision)


async def _migrate(engine: AsyncEngine, action: Callable[[Config, str], None], revision: str) -> None:
    def run(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        action(config, revision)

    await in_migration(engine, run)


async def in_migration(engine: AsyncEngine, work: Callable[[Connection], None]) -> None:
    """Run migration work in one transaction. On SQLite, foreign keys are off while it runs: batch mode
    rebuilds a table by copying it and dropping the old one, and with foreign keys on that drop deletes
    every row that refers to it through ON DELETE CASCADE (a member's attempts and scores, a schedule's
    posts). SQLite ignores the pragma inside a transaction, so it is set before; the keys are checked
    before the commit. Both ways in use this: the bot's start-up and the `alembic` command (migrations/env.py)."""
    async with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            await _sqlite_foreign_keys(connection, on=False)
        try:
            async with connection.begin():
                await connection.run_sync(work)
                if sqlite and (broken := (await connection.exec_driver_sql("PRAGMA foreign_key_check")).all()):
                    raise RuntimeError(f"the migration left rows pointing at nothing: {broken[:5]}")
        finally:
            if sqlite:
                await _sqlite_foreign_keys(connection, on=True)


async def _sqlite_foreign_keys(connection: AsyncConnection, *, on: bool) -> None:
    raw = await connection.get_raw_connection()
    await raw.driver_connection.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


async def schema_differences(engine: AsyncEngine) -> list:
    """What autogenerate would change: empty when the models and the migrations agree."""

    def compare(connection: Connection) -> list:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)

    async with engine.connect() as connection:
        return await connection.run_sync(compare)


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()
