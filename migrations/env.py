"""Alembic environment: async, batch mode on SQLite, and usable from inside the running bot."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from bot.store.models import Base

config = context.config
target_metadata = Base.metadata


def run_with(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_online() -> None:
    from bot.config import Settings
    from bot.store.db import create_engine
    from bot.store.migrate import in_migration

    url = config.get_main_option("sqlalchemy.url") or Settings().database_url
    engine = create_engine(url)
    try:
        await in_migration(engine, run_with)  # on SQLite: foreign keys off, as for the bot's own upgrades
    finally:
        await engine.dispose()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
elif (connection := config.attributes.get("connection")) is not None:
    # Called by bot.store.migrate with a connection the bot already opened.
    run_with(connection)
else:
    asyncio.run(run_online())
