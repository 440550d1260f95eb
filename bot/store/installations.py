"""Slack's "Add to Slack" installations and the installs under way, in SQLAlchemy Core (the same statements
on SQLite and PostgreSQL).

Records are plain dicts keyed by the field names slack_sdk's Installation and Bot use (bot_token,
team_id, installed_at, ...), so the Slack adapter's installation store builds its objects from them
without this layer knowing Slack's library. A key Slack leaves out (enterprise, team) is stored as "" and
given back as None. Datetimes are given back aware, in UTC (SQLite hands them back naive).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, and_, delete, desc, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.store.db import upsert_insert
from bot.store.models import SlackBot, SlackInstaller, SlackOAuthState

Record = dict[str, Any]

KEY = ("enterprise_id", "team_id")
BOT_COLUMNS = [column for column in SlackBot.__table__.columns if column.name != "id"]
INSTALLER_COLUMNS = [column for column in SlackInstaller.__table__.columns if column.name not in {"id", *KEY}]
_DATETIMES = {"bot_token_expires_at", "user_token_expires_at", "installed_at"}
_SCOPES = {"bot_scopes", "user_scopes"}  # "" for none (Slack's objects give None)


async def _upsert(connection: AsyncConnection, table: type, record: Record, columns: list, unique: list[str]) -> None:
    """Insert the record's values for these columns, or update the row with the same `unique` key."""
    values = {column.name: record.get(column.name) for column in columns}
    values |= {key: record.get(key) or "" for key in KEY}
    values |= {name: "" for name in _SCOPES & values.keys() if values[name] is None}
    if values.get("installed_at") is None:
        values.pop("installed_at", None)  # the column's default: now
    statement = upsert_insert(connection.dialect.name)(table).values(values)
    updated = {name: statement.excluded[name] for name in values if name not in unique}
    await connection.execute(statement.on_conflict_do_update(index_elements=unique, set_=updated))


def _record(row: Any) -> Record:
    found = dict(row._mapping)
    for name in set(KEY) & found.keys():
        found[name] = found[name] or None
    for name in _DATETIMES & found.keys():
        moment = found[name]
        if moment is not None and moment.tzinfo is None:
            found[name] = moment.replace(tzinfo=dt.UTC)
    return found


def _where_key(table: type, enterprise_id: str | None, team_id: str | None) -> Any:
    return and_(table.enterprise_id == (enterprise_id or ""), table.team_id == (team_id or ""))


async def save_bot(connection: AsyncConnection, record: Record) -> None:
    """The workspace's bot, replacing the one an earlier install (or an older token) left."""
    await _upsert(connection, SlackBot, record, BOT_COLUMNS, list(KEY))


async def save_installer(connection: AsyncConnection, record: Record) -> None:
    """The installer's part of an installation (their user token, if any), one row per installer."""
    await _upsert(connection, SlackInstaller, record, INSTALLER_COLUMNS, [*KEY, "user_id"])


async def find_bot(connection: AsyncConnection, enterprise_id: str | None, team_id: str | None) -> Record | None:
    row = (await connection.execute(select(*BOT_COLUMNS).where(_where_key(SlackBot, enterprise_id, team_id)))).first()
    return _record(row) if row else None


async def find_bot_of_team(connection: AsyncConnection, team_id: str) -> Record | None:
    """The bot of a workspace known by its team id alone (in an Enterprise Grid too): the latest installed."""
    query = select(*BOT_COLUMNS).where(SlackBot.team_id == team_id).order_by(desc(SlackBot.installed_at)).limit(1)
    row = (await connection.execute(query)).first()
    return _record(row) if row else None


def _installations(enterprise_id: str | None, team_id: str | None) -> Select:
    """Installers with their workspace's bot (if it still has one) joined on."""
    bot_columns = [column for column in BOT_COLUMNS if column.name not in {*KEY, "installed_at"}]
    return (
        select(SlackInstaller.enterprise_id, SlackInstaller.team_id, *INSTALLER_COLUMNS, *bot_columns)
        .outerjoin(
            SlackBot,
            and_(SlackBot.enterprise_id == SlackInstaller.enterprise_id, SlackBot.team_id == SlackInstaller.team_id),
        )
        .where(_where_key(SlackInstaller, enterprise_id, team_id))
    )


async def find_installation(
    connection: AsyncConnection, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
) -> Record | None:
    """This user's installation in the workspace, or (no user) its latest installer's, with the workspace's bot."""
    query = _installations(enterprise_id, team_id)
    if user_id is not None:
        query = query.where(SlackInstaller.user_id == user_id)
    row = (await connection.execute(query.order_by(desc(SlackInstaller.installed_at)).limit(1))).first()
    if row is None:
        return None
    found = _record(row)
    found["is_enterprise_install"] = bool(found.get("is_enterprise_install"))
    return found


async def delete_bot(connection: AsyncConnection, enterprise_id: str | None, team_id: str | None) -> None:
    await connection.execute(delete(SlackBot).where(_where_key(SlackBot, enterprise_id, team_id)))


async def delete_installers(
    connection: AsyncConnection, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
) -> None:
    """This user's installation in the workspace, or (no user) every installer's."""
    statement = delete(SlackInstaller).where(_where_key(SlackInstaller, enterprise_id, team_id))
    if user_id is not None:
        statement = statement.where(SlackInstaller.user_id == user_id)
    await connection.execute(statement)


async def issue_state(connection: AsyncConnection, state: str, expires_at: dt.datetime, now: dt.datetime) -> None:
    """Keep a new state until `expires_at`; states that expired unused go at the same time."""
    await connection.execute(delete(SlackOAuthState).where(SlackOAuthState.expires_at <= now))
    await connection.execute(SlackOAuthState.__table__.insert().values(state=state, expires_at=expires_at))


async def consume_state(connection: AsyncConnection, state: str, now: dt.datetime) -> bool:
    """True once for a state issued and not yet expired: the DELETE is what makes it good only once, even
    when two redirects bring it back at the same moment."""
    statement = delete(SlackOAuthState).where(SlackOAuthState.state == state, SlackOAuthState.expires_at > now)
    return (await connection.execute(statement)).rowcount == 1
