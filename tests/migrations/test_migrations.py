"""Migrations: an empty database upgrades to head and then matches the models exactly."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import inspect, text

from bot.config import Settings
from bot.core import review
from bot.store import migrate
from bot.store.db import DirectAccess, create_engine


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


@pytest.mark.parametrize(("level", "expected"), [("FULL", 2), ("NORMAL", 1)])
async def test_sqlite_is_tuned_for_a_bot(sqlite_url, level, expected):
    """FULL by default: an acknowledged answer survives a power cut. Every connection is tuned alike,
    the direct ones that write answers and read boards included."""
    engine = create_engine(sqlite_url, sqlite_synchronous=level)
    direct = DirectAccess(engine, writes=True)
    try:
        async with engine.connect() as connection:
            pragmas = {
                name: (await connection.execute(text(f"PRAGMA {name}"))).scalar_one()
                for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
            }
        assert pragmas == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 10_000, "synchronous": expected}
        assert await direct(lambda connection: connection.exec_driver_sql("PRAGMA synchronous").scalar()) == expected
    finally:
        await direct.close()
        await engine.dispose()


def test_the_default_synchronous_level_is_full():
    assert Settings().sqlite_synchronous == "FULL"
    assert Settings(sqlite_synchronous="normal").sqlite_synchronous == "NORMAL"


async def test_upgrade_from_0003_with_data_gives_each_community_one_time_zone(database_url):
    """0004 moves the time zone onto the community alone, losing no row: the zone of the community's most
    recently changed schedule wins (the old code had written it to the community too)."""
    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine, "0003")
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO communities (id, platform, external_id, name, timezone, created_at) VALUES "
                    "(1, 'discord', 'g1', 'School', 'Europe/London', '2026-11-01 00:00:00'), "
                    "(2, 'slack', 'T2', 'Other', 'Asia/Tokyo', '2026-11-01 00:00:00')"
                )
            )
            await connection.execute(
                text(
                    "INSERT INTO schedules (id, community_id, channel_id, channel_name, time_of_day, timezone, "
                    "weekdays, pauses, paused, leaderboard_weekday, last_error, updated_at) VALUES "
                    "(1, 1, 'C1', 'london', '08:00:00', 'Europe/London', '0,1,2,3,4', '[]', false, 4, NULL, "
                    "'2026-11-20 09:00:00'), "
                    "(2, 1, 'C2', 'la', '08:00:00', 'America/Los_Angeles', '0,1,2,3,4', '[]', false, 4, NULL, "
                    "'2026-11-25 09:00:00')"
                )
            )
            await connection.execute(
                text(
                    "INSERT INTO members (id, community_id, external_id, display_name, current_streak, best_streak, "
                    "created_at) VALUES (1, 1, 'u1', 'Anna', 2, 3, '2026-11-01 00:00:00')"
                )
            )
            # Rows in tables whose parents the migrations rebuild (schedules, members): on SQLite a rebuild
            # with foreign keys on used to delete them through ON DELETE CASCADE (a sent post forgotten is
            # a post sent twice; a member's scores gone).
            await connection.execute(
                text(
                    "INSERT INTO scheduled_posts (id, schedule_id, local_date, status, attempts, claimed_at, "
                    "next_try_at) VALUES (1, 1, '2026-11-25', 'sent', 1, '2026-11-25 08:00:00', '2026-11-25 08:00:00')"
                )
            )
            await connection.execute(
                text(
                    "INSERT INTO scores (member_id, period, period_start, community_id, points) "
                    "VALUES (1, 'all', '2000-01-01', 1, 40)"
                )
            )
        await migrate.upgrade(engine)
        assert await migrate.schema_differences(engine) == []
        async with engine.connect() as connection:
            zones = (await connection.execute(text("SELECT id, timezone FROM communities ORDER BY id"))).all()
            schedules = (await connection.execute(text("SELECT id, channel_name, time_of_day FROM schedules"))).all()
            members = (await connection.execute(text("SELECT display_name, best_streak FROM members"))).all()
        assert [tuple(row) for row in zones] == [(1, "America/Los_Angeles"), (2, "Asia/Tokyo")]
        assert sorted((row[0], row[1]) for row in schedules) == [(1, "london"), (2, "la")]
        assert [tuple(row) for row in members] == [("Anna", 3)]
        async with engine.connect() as connection:
            posts = (await connection.execute(text("SELECT schedule_id, status FROM scheduled_posts"))).all()
            scores = (await connection.execute(text("SELECT member_id, points FROM scores"))).all()
        assert [tuple(row) for row in posts] == [(1, "sent")] and [tuple(row) for row in scores] == [(1, 40)]

        await migrate.downgrade(engine, "0003")  # and back: every schedule gets its community's zone
        async with engine.connect() as connection:
            restored = (await connection.execute(text("SELECT id, timezone FROM schedules ORDER BY id"))).all()
        assert [tuple(row) for row in restored] == [(1, "America/Los_Angeles"), (2, "America/Los_Angeles")]
    finally:
        await engine.dispose()


async def test_upgrade_from_0004_with_history_builds_review_cards_by_replaying_it(database_url):
    """0005 gives a class that has used the bot a review queue on its first day: each member's attempts,
    replayed in time order through FSRS, make the card the bot would have built answer by answer."""
    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine, "0004")
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO communities (id, platform, external_id, name, timezone, created_at) VALUES "
                    "(1, 'discord', 'g1', 'School', 'Europe/London', '2026-10-01 00:00:00')"
                )
            )
            await connection.execute(
                text(
                    "INSERT INTO members (id, community_id, external_id, display_name, current_streak, best_streak, "
                    "created_at) VALUES (1, 1, 'u1', 'Anna', 0, 0, '2026-10-01 00:00:00'), "
                    "(2, 1, 'u2', 'Ben', 0, 0, '2026-10-01 00:00:00')"
                )
            )
            await connection.execute(
                text("INSERT INTO topics (id, title, area, retired) VALUES ('t', 'T', 'a', false)")
            )
            await connection.execute(
                text(
                    "INSERT INTO questions (id, topic_id, kind, prompt, body, content_hash, retired, updated_at) "
                    "VALUES ('q1', 't', 'true_false', 'p', '{}', 'h', false, '2026-10-01 00:00:00'), "
                    "('q2', 't', 'true_false', 'p', '{}', 'h', false, '2026-10-01 00:00:00')"
                )
            )
            history = [  # (id, member, question, correct, when): inserted out of time order on purpose
                (1, 1, "q1", True, "2026-10-05 09:00:00"),
                (2, 1, "q1", False, "2026-10-02 09:00:00"),
                (3, 1, "q2", False, "2026-11-30 09:00:00"),
                (4, 2, "q1", True, "2026-11-01 09:00:00"),
            ]
            for attempt_id, member, question, correct, when in history:
                await connection.execute(
                    text(
                        "INSERT INTO attempts (id, member_id, community_id, question_id, mode, daily_date, "
                        "answer_given, correct, points, streak, created_at) VALUES "
                        "(:id, :member, 1, :question, 'practice', NULL, 'x', :correct, 0, 0, :when)"
                    ),
                    {
                        "id": attempt_id,
                        "member": member,
                        "question": question,
                        "correct": correct,
                        "when": dt.datetime.fromisoformat(when).replace(tzinfo=dt.UTC),
                    },
                )
        await migrate.upgrade(engine)
        assert await migrate.schema_differences(engine) == []
        async with engine.connect() as connection:
            rows = (
                await connection.execute(
                    text(
                        "SELECT member_id, question_id, reviews, due FROM review_cards ORDER BY member_id, question_id"
                    )
                )
            ).all()
            attempts = (await connection.execute(text("SELECT count(*), count(rating) FROM attempts"))).one()
        assert [(m, q, n) for m, q, n, _ in rows] == [(1, "q1", 2), (1, "q2", 1), (2, "q1", 1)]
        when = lambda text_: dt.datetime.fromisoformat(text_).replace(tzinfo=dt.UTC)  # noqa: E731
        expected = review.replay(
            [(when("2026-10-05 09:00:00"), review.Rating.GOOD), (when("2026-10-02 09:00:00"), review.Rating.AGAIN)]
        )
        due = rows[0][3] if isinstance(rows[0][3], dt.datetime) else dt.datetime.fromisoformat(rows[0][3])
        assert due.replace(tzinfo=None) == expected.due.replace(tzinfo=None)
        wrong_last = rows[1][3] if isinstance(rows[1][3], dt.datetime) else dt.datetime.fromisoformat(rows[1][3])
        assert wrong_last.replace(tzinfo=None) - dt.datetime(2026, 11, 30, 9) <= dt.timedelta(minutes=10)
        assert tuple(attempts) == (4, 0)  # kept, with no student grades yet

        await migrate.downgrade(engine, "0004")
        async with engine.connect() as connection:
            assert (await connection.execute(text("SELECT count(*) FROM attempts"))).scalar_one() == 4
    finally:
        await engine.dispose()


async def test_upgrade_from_0005_with_members_gives_each_a_pseudonym_unique_in_their_class(database_url):
    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine, "0005")
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO communities (id, platform, external_id, name, timezone, created_at) VALUES "
                    "(1, 'discord', 'g1', 'School', 'Europe/London', '2026-10-01 00:00:00'), "
                    "(2, 'slack', 'T2', 'Other', 'Europe/London', '2026-10-01 00:00:00')"
                )
            )
            for member_id in range(1, 81):
                await connection.execute(
                    text(
                        "INSERT INTO members (id, community_id, external_id, display_name, current_streak, "
                        "best_streak, review_reminders, created_at) VALUES "
                        "(:id, :community, :user, :name, 0, 0, false, '2026-10-01 00:00:00')"
                    ),
                    {"id": member_id, "community": 1 + member_id % 2, "user": f"u{member_id}", "name": f"N{member_id}"},
                )
        await migrate.upgrade(engine)
        assert await migrate.schema_differences(engine) == []
        async with engine.connect() as connection:
            rows = (await connection.execute(text("SELECT community_id, pseudonym, display_name FROM members"))).all()
            defaults = (await connection.execute(text("SELECT board_default FROM communities"))).scalars().all()
        assert len(rows) == 80 and all(alias and " " in alias for _, alias, _ in rows)
        assert len({(community, alias) for community, alias, _ in rows}) == 80  # unique within each class
        assert {name for _, _, name in rows} == {f"N{n}" for n in range(1, 81)}  # names kept
        assert defaults == ["pseudonym", "pseudonym"]
        await migrate.downgrade(engine, "0005")
        async with engine.connect() as connection:
            assert (await connection.execute(text("SELECT count(*) FROM members"))).scalar_one() == 80
    finally:
        await engine.dispose()


async def test_upgrade_from_0006_recomputes_streaks_with_the_class_calendar(database_url):
    """Ann and Bob answered Monday to Friday, Bob also on Saturday, and Ann on Monday: under the old rule
    Saturday broke Ann's streak (1); with the class calendar it runs on (6). Bob's best stands."""
    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine, "0006")
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO communities (id, platform, external_id, name, timezone, board_default, created_at) "
                    "VALUES (1, 'discord', 'g1', 'School', 'Europe/London', 'pseudonym', '2026-10-01 00:00:00')"
                )
            )
            await connection.execute(
                text("INSERT INTO topics (id, title, area, retired) VALUES ('t', 'T', 'a', false)")
            )
            await connection.execute(
                text(
                    "INSERT INTO questions (id, topic_id, kind, prompt, body, content_hash, retired, updated_at) "
                    "VALUES ('q', 't', 'true_false', 'p', '{}', 'h', false, '2026-10-01 00:00:00')"
                )
            )
            for member_id, name, streak, best in ((1, "Ann", 1, 5), (2, "Bob", 6, 9)):
                await connection.execute(
                    text(
                        "INSERT INTO members (id, community_id, external_id, display_name, current_streak, "
                        "best_streak, review_reminders, pseudonym, created_at) VALUES "
                        "(:id, 1, :user, :name, :streak, :best, false, :alias, '2026-10-01 00:00:00')"
                    ),
                    {
                        "id": member_id,
                        "user": name.lower(),
                        "name": name,
                        "streak": streak,
                        "best": best,
                        "alias": f"Alias {name}",
                    },  # fmt: skip
                )
            monday = dt.date(2026, 11, 23)
            days = {1: [0, 1, 2, 3, 4, 7], 2: [0, 1, 2, 3, 4, 5, 7]}  # days after the first Monday
            attempt = 0
            for member_id, offsets in days.items():
                for offset in offsets:
                    attempt += 1
                    day = monday + dt.timedelta(days=offset)
                    await connection.execute(
                        text(
                            "INSERT INTO attempts (id, member_id, community_id, question_id, mode, daily_date, "
                            "answer_given, correct, points, streak, created_at) VALUES "
                            "(:id, :member, 1, 'q', 'daily', :day, 'x', true, 10, 1, :when)"
                        ),
                        {
                            "id": attempt,
                            "member": member_id,
                            "day": day,
                            "when": dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC),
                        },  # fmt: skip
                    )
        await migrate.upgrade(engine)
        assert await migrate.schema_differences(engine) == []
        async with engine.connect() as connection:
            rows = (
                await connection.execute(
                    text("SELECT display_name, current_streak, best_streak, last_daily_date FROM members ORDER BY id")
                )
            ).all()
            points = (await connection.execute(text("SELECT sum(points) FROM attempts"))).scalar_one()
        [(ann, ann_streak, ann_best, ann_last), (bob, bob_streak, bob_best, _)] = rows
        assert (ann, ann_streak, ann_best) == ("Ann", 6, 6) and str(ann_last) == "2026-11-30"
        assert (bob, bob_streak, bob_best) == ("Bob", 6, 9)  # Saturday neither grew nor broke it; best stands
        assert points == 130  # history untouched
    finally:
        await engine.dispose()


async def test_upgrade_from_0008_with_a_class_keeps_it_teaching_the_whole_bank(database_url):
    """A class from before "taught so far" keeps drawing from every topic, with no teacher role, and its
    answers stand; the assignment tables start empty and take rows."""
    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine, "0008")
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO communities (id, platform, external_id, name, timezone, board_default, created_at) "
                    "VALUES (7, 'discord', 'g7', 'School', 'Europe/London', 'pseudonym', '2026-10-01 00:00:00')"
                )
            )
            await connection.execute(
                text(
                    "INSERT INTO members (id, community_id, external_id, display_name, current_streak, "
                    "best_streak, review_reminders, pseudonym, created_at) VALUES "
                    "(1, 7, 'ann', 'Ann', 2, 2, false, 'Alias', '2026-10-01 00:00:00')"
                )
            )
        await migrate.upgrade(engine)
        assert await migrate.schema_differences(engine) == []
        async with engine.begin() as connection:
            row = (await connection.execute(text("SELECT name, taught_topics, teacher_role_id FROM communities"))).one()
            assert tuple(row) == ("School", None, None)
            await connection.execute(
                text(
                    "INSERT INTO assignments (id, community_id, channel_id, title, question_ids, goal_percent, "
                    "due_date, created_by, created_at) VALUES "
                    "(1, 7, 'c', 'Purges', '[\"q1\"]', 70, '2026-12-10', 't', '2026-12-03 10:00:00')"
                )
            )
            await connection.execute(
                text(
                    "INSERT INTO assignment_progress (assignment_id, member_id, results, answers, started_at) "
                    "VALUES (1, 1, '{}', 0, '2026-12-03 10:00:00')"
                )
            )
            members = (await connection.execute(text("SELECT display_name, current_streak FROM members"))).all()
        assert [tuple(m) for m in members] == [("Ann", 2)]
    finally:
        await engine.dispose()
