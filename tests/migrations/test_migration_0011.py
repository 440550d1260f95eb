"""Migration 0011 (essay plans): a database with a class, a student and an answer upgrades with its rows
untouched; the new table starts empty, takes a plan, goes with its student, and goes again on a downgrade."""

from __future__ import annotations

from sqlalchemy import inspect, text

from bot.store import migrate
from bot.store.db import create_engine


async def test_upgrade_from_0010_with_a_student_keeps_them_and_adds_an_empty_plans_table(database_url):
    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine, "0010")
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO communities (id, platform, external_id, name, timezone, board_default, created_at) "
                    "VALUES (3, 'discord', '42', 'School', 'Europe/London', 'pseudonym', '2026-10-01 00:00:00')"
                )
            )
            await connection.execute(
                text(
                    "INSERT INTO members (id, community_id, external_id, display_name, current_streak, "
                    "best_streak, review_reminders, created_at) VALUES "
                    "(1, 3, 'U1', 'Ann', 4, 5, false, '2026-10-01 00:00:00')"
                )
            )
        await migrate.upgrade(engine)
        assert await migrate.schema_differences(engine) == []
        async with engine.begin() as connection:
            assert "essay_plans" in await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
            assert (await connection.execute(text("SELECT count(*) FROM essay_plans"))).scalar_one() == 0
            assert tuple((await connection.execute(text("SELECT display_name, best_streak FROM members"))).one()) == (
                "Ann",
                5,
            )
            await connection.execute(
                text(
                    "INSERT INTO essay_plans (member_id, essay_id, started_at, finished_at, factors, evidence, "
                    "judgement, level) VALUES (1, 'ess-001', '2026-12-04 10:00:00', '2026-12-04 10:05:00', "
                    "'[0, 2, 1]', '[0, 2, 3]', 'The machine mattered most because ...', 3)"
                )
            )
            await connection.execute(text("DELETE FROM members WHERE id = 1"))  # forget-me: the plans go too
            assert (await connection.execute(text("SELECT count(*) FROM essay_plans"))).scalar_one() == 0

        await migrate.downgrade(engine, "0010")
        async with engine.connect() as connection:
            assert "essay_plans" not in await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
            assert (await connection.execute(text("SELECT count(*) FROM communities"))).scalar_one() == 1
    finally:
        await engine.dispose()
