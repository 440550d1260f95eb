"""Migration 0010 (Slack installations): a bot with one SLACK_BOT_TOKEN and classes in its database upgrades
with its rows untouched; the new tables start empty, keep one bot per team and enterprise, and go again
on a downgrade, leaving the classes as they were."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from bot.store import migrate
from bot.store.db import create_engine

NEW_TABLES = {"slack_bots", "slack_installations", "slack_oauth_states"}
BOT_ROW = (
    "INSERT INTO slack_bots (enterprise_id, team_id, app_id, team_name, bot_token, bot_id, bot_user_id, "
    "bot_scopes, bot_refresh_token, bot_token_expires_at, is_enterprise_install, installed_at) VALUES "
    "('', 'TA', 'A1', 'School A', :token, 'BA', 'UBOTA', 'commands,chat:write', 'xoxe-1-r', "
    "'2026-12-10 22:00:00', false, '2026-12-10 10:00:00')"
)


async def test_upgrade_from_0009_with_a_class_keeps_it_and_adds_empty_installation_tables(database_url):
    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine, "0009")
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO communities (id, platform, external_id, name, timezone, board_default, created_at) "
                    "VALUES (3, 'slack', 'T1', 'School', 'Europe/London', 'pseudonym', '2026-10-01 00:00:00')"
                )
            )
            await connection.execute(
                text(
                    "INSERT INTO members (id, community_id, external_id, display_name, current_streak, "
                    "best_streak, review_reminders, created_at) VALUES "
                    "(1, 3, 'U1', 'Ann', 4, 5, false, '2026-10-01 00:00:00')"
                )
            )
            await connection.execute(
                text(
                    "INSERT INTO schedules (id, community_id, channel_id, channel_name, time_of_day, weekdays, "
                    "pauses, paused, leaderboard_weekday, updated_at) VALUES "
                    "(1, 3, 'C1', 'history', '08:30:00', '0,1,2,3,4', '[]', false, 4, '2026-11-20 09:00:00')"
                )
            )
        await migrate.upgrade(engine)
        assert await migrate.schema_differences(engine) == []
        async with engine.begin() as connection:
            tables = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
            assert NEW_TABLES <= tables
            for table in sorted(NEW_TABLES):
                assert (await connection.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one() == 0
            member = (await connection.execute(text("SELECT display_name, best_streak FROM members"))).one()
            schedule = (await connection.execute(text("SELECT channel_id, channel_name FROM schedules"))).one()
            assert tuple(member) == ("Ann", 5) and tuple(schedule) == ("C1", "history")

            await connection.execute(text(BOT_ROW), {"token": "xoxe.xoxb-a"})
            await connection.execute(
                text(
                    "INSERT INTO slack_installations (enterprise_id, team_id, user_id, user_scopes, installed_at) "
                    "VALUES ('', 'TA', 'UADMIN', '', '2026-12-10 10:00:00')"
                )
            )
            await connection.execute(
                text("INSERT INTO slack_oauth_states (state, expires_at) VALUES ('s1', '2026-12-10 10:10:00')")
            )
        with pytest.raises(IntegrityError):  # one bot per team and enterprise: a reinstall replaces it
            async with engine.begin() as connection:
                await connection.execute(text(BOT_ROW), {"token": "xoxe.xoxb-again"})

        await migrate.downgrade(engine, "0009")
        async with engine.connect() as connection:
            tables = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
            assert not NEW_TABLES & tables
            assert (await connection.execute(text("SELECT count(*) FROM members"))).scalar_one() == 1
    finally:
        await engine.dispose()
