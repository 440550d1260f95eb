"""Engine creation: SQLite tuned for a bot (WAL, foreign keys, busy timeout) or PostgreSQL, same code."""

from __future__ import annotations

import asyncio
import functools
import os
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import aiosqlite
import sqlalchemy
import sqlalchemy.exc
from sqlalchemy import URL, Engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

SQLITE_BUSY_TIMEOUT_MS = 10_000
SYNCHRONOUS_LEVELS = ("FULL", "NORMAL", "EXTRA")
SYNCHRONOUS_OPTION = "studybot_sqlite_synchronous"
T = TypeVar("T")


class DatabaseUnavailable(Exception):
    """The database cannot be opened; the message names it (without any password)."""


def is_foreign_key_violation(error: BaseException) -> bool:
    """A row refers to one that is gone (SQLite's and PostgreSQL's words for it)."""
    text = str(getattr(error, "orig", None) or error).lower()
    return "foreign key" in text


def cause_of_failure(error: BaseException, url: URL | str | None = None) -> str | None:
    """What stopped the database, in words a student or teacher can act on; None when it was not the
    database's state (a bug, say) and the error should be reported as unexpected."""
    found: BaseException | None = error
    texts = []
    while found is not None:
        texts.append(str(found).lower())
        if isinstance(found, (ConnectionError, TimeoutError)) or type(found).__name__ in _LOST_CONNECTION:
            return "the database is unreachable"
        found = found.__cause__ or found.__context__ or getattr(found, "orig", None)
        if found is not None and str(found).lower() in texts:
            break
    text = " ".join(texts)
    path = sqlite_path(url) if url is not None and make_url(url).get_backend_name() == "sqlite" else None
    if "database or disk is full" in text or "no space left" in text:
        return "the disk is full"
    read_only = "readonly database" in text or "read-only" in text
    if path is not None and ("unable to open database file" in text or read_only):
        # SQLite says "unable to open" when it cannot create its -wal or -shm file beside a read-only one.
        writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
        if read_only or (path.exists() and not writable):
            return f"the database file is read-only: {path}"
        return f"the database file cannot be opened: {path}"
    if read_only:
        return "the database is read-only"
    if "database is locked" in text:
        return "the database is busy"
    if "foreign key" in text:
        return "the class was deleted meanwhile"
    if isinstance(error, sqlalchemy.exc.DBAPIError) and error.connection_invalidated:
        return "the database is unreachable"
    if "connection" in text and ("closed" in text or "refused" in text or "reset" in text or "lost" in text):
        return "the database is unreachable"
    return None


# asyncpg's and the drivers' names for a connection that is gone (matched by name: no import of the driver).
_LOST_CONNECTION = {
    "ConnectionDoesNotExistError",
    "ConnectionFailureError",
    "ConnectionRejectionError",
    "PostgresConnectionError",
    "CannotConnectNowError",
    "InterfaceError",
}


def redact(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL is shown only by its scheme
        return url.split(":", 1)[0] + ":..."


def sqlite_path(url: str | URL) -> Path | None:
    database = make_url(url).database
    return Path(database) if database and database != ":memory:" else None


# Query parameters hosts put in PostgreSQL URLs (libpq's names) -> asyncpg's names for them.
LIBPQ_TO_ASYNCPG = {"sslmode": "ssl", "connect_timeout": "timeout"}


def async_url(url: str) -> URL:
    """The URL as the bot's async drivers take it. Hosts hand out `postgres://` and `postgresql://`
    (Heroku, Render, Railway, Fly, Supabase), sometimes for another driver (`postgresql+psycopg://`):
    all of them mean PostgreSQL through asyncpg here, and `sqlite:///file` means aiosqlite."""
    try:
        parsed = make_url(url.strip())
    except Exception as error:
        raise DatabaseUnavailable(f"DATABASE_URL is not a database URL: {redact(url)}") from error
    backend = parsed.get_backend_name()
    if backend in {"postgres", "postgresql"}:
        query = {LIBPQ_TO_ASYNCPG.get(key, key): value for key, value in parsed.query.items()}
        return parsed.set(drivername="postgresql+asyncpg", query=query)
    if backend == "sqlite":
        return parsed.set(drivername="sqlite+aiosqlite")
    raise DatabaseUnavailable(
        f"DATABASE_URL uses the scheme “{parsed.drivername}”, which the bot cannot use: give "
        "sqlite:///path/to/file.db or postgresql://user:password@host/database."
    )


def create_engine(url: str, *, sqlite_synchronous: str = "FULL") -> AsyncEngine:
    """`sqlite_synchronous` FULL (the default) makes every acknowledged answer survive a power cut; NORMAL is
    faster and can lose the last ones when the machine (not the process) crashes."""
    parsed = async_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if path is not None and not path.parent.exists():
            raise DatabaseUnavailable(f"Cannot open the database {path}: the folder {path.parent} does not exist.")
        if sqlite_synchronous not in SYNCHRONOUS_LEVELS:
            raise DatabaseUnavailable(f"SQLITE_SYNCHRONOUS is one of {', '.join(SYNCHRONOUS_LEVELS)}.")
        engine = create_async_engine(
            parsed,
            async_creator=lambda: _open_aiosqlite(engine, parsed),
            execution_options={SYNCHRONOUS_OPTION: sqlite_synchronous},  # the direct connections read it too
        )
        event.listen(engine.sync_engine, "connect", functools.partial(_tune_sqlite, synchronous=sqlite_synchronous))
        event.listen(engine.sync_engine, "begin", _begin_sqlite)
        return engine
    return create_async_engine(parsed, pool_pre_ping=True)


class _AiosqliteConnection(aiosqlite.Connection):
    """An aiosqlite connection whose `stop()` only acts once.

    When a task is cancelled mid-query, SQLAlchemy closes its connection gracefully under a shield and,
    if cancelled again, stops it by force. aiosqlite's close then asks its worker thread to stop a
    second time, but the thread has already exited after the first request, so the close (and the
    event loop's shutdown, which waits for it) hangs forever (as reported in wapiti-scanner/wapiti#802).
    """

    _stop_requested = False

    def stop(self) -> asyncio.Future | None:
        if self._stop_requested:
            return None
        self._stop_requested = True
        return super().stop()


def _open_aiosqlite(engine: AsyncEngine, url: URL) -> aiosqlite.Connection:
    args, options = engine.dialect.create_connect_args(url)
    options["timeout"] = SQLITE_BUSY_TIMEOUT_MS / 1000
    connection = _AiosqliteConnection(functools.partial(sqlite3.connect, *args, **options), iter_chunk_size=64)
    # As SQLAlchemy's own aiosqlite connect does: a connection left open never keeps the process alive.
    connection._thread.daemon = True
    return connection


def _tune_sqlite(dbapi_connection, _record, *, synchronous: str, checkpoints: bool = True) -> None:  # noqa: ANN001
    # We issue BEGIN ourselves (below), so the driver must not.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA synchronous={synchronous}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    if not checkpoints:
        cursor.execute("PRAGMA wal_autocheckpoint=0")
    cursor.close()


def create_sync_sqlite_engine(url: URL, *, checkpoints: bool = True, synchronous: str = "FULL") -> Engine:
    """A synchronous engine on the same SQLite file, tuned the same way (for work done in a thread).
    `checkpoints=False` leaves WAL checkpoints to `checkpoint()`, off this engine's commits."""
    engine = sqlalchemy.create_engine(
        url.set(drivername="sqlite+pysqlite"),
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )
    event.listen(engine, "connect", functools.partial(_tune_sqlite, synchronous=synchronous, checkpoints=checkpoints))
    event.listen(engine, "begin", _begin_sqlite)
    return engine


async def checkpoint(engine: AsyncEngine) -> None:
    """Copy the WAL back into the database without blocking readers or writers (SQLite only)."""
    async with engine.connect() as connection:
        await connection.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")


def _begin_sqlite(connection) -> None:  # noqa: ANN001 - a sync Connection
    """Writing transactions take SQLite's write lock up front (BEGIN IMMEDIATE), so they wait on
    the busy timeout instead of failing with "database is locked" when a read must become a write."""
    immediate = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


WRITE_OPTION = "studybot_writes"


def session_factory(engine: AsyncEngine) -> async_sessionmaker:
    """Sessions for use cases that write (BEGIN IMMEDIATE on SQLite; plain transactions elsewhere)."""
    return async_sessionmaker(writing(engine), expire_on_commit=False)


def read_session_factory(engine: AsyncEngine) -> async_sessionmaker:
    """Sessions for use cases that only read: they never hold the write lock."""
    return async_sessionmaker(engine, expire_on_commit=False)


def writing(engine: AsyncEngine | Engine) -> AsyncEngine | Engine:
    return engine.execution_options(**{WRITE_OPTION: True})


def upsert_insert(dialect_name: str):  # noqa: ANN201 - the dialect's insert() construct
    """INSERT with ON CONFLICT support, for the database in use (PostgreSQL or SQLite)."""
    return postgresql.insert if dialect_name == "postgresql" else sqlite.insert


def chunks(items: list, size: int = 500) -> list[list]:
    """Split long IN lists and bulk inserts into pieces every database accepts."""
    return [items[start : start + size] for start in range(0, len(items), size)]


class DirectAccess:
    """Runs a short synchronous unit of database work straight on a connection, without the async driver.

    On SQLite that is one hop to a thread of its own holding a plain sqlite3 connection: through aiosqlite
    every statement costs several hops between the event loop and a connection's thread (begin, cursor,
    execute, fetch, commit), which is most of a small read's or write's time. Elsewhere the work runs
    through `run_sync` on the async engine.

    `writes=True` runs the work in a writing transaction (committed when it returns); otherwise on a
    plain connection, for reads. `checkpoints=False` leaves WAL checkpoints to `checkpoint()`.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        writes: bool = False,
        threads: int = 2,
        checkpoints: bool = True,
        name: str = "db-direct",
    ) -> None:
        self._writes = writes
        self._engine = writing(engine) if writes else engine
        self._sync_engine: Engine | None = None
        self._threads: ThreadPoolExecutor | None = None
        if engine.dialect.name == "sqlite":
            synchronous = engine.get_execution_options().get(SYNCHRONOUS_OPTION, "FULL")
            sync_engine = create_sync_sqlite_engine(engine.url, checkpoints=checkpoints, synchronous=synchronous)
            self._sync_engine = writing(sync_engine) if writes else sync_engine
            self._threads = ThreadPoolExecutor(max_workers=threads, thread_name_prefix=name)

    async def __call__(self, work: Callable[[sqlalchemy.Connection], T]) -> T:
        if self._threads is None:
            async with self._engine.begin() if self._writes else self._engine.connect() as connection:
                return await connection.run_sync(work)
        return await asyncio.get_running_loop().run_in_executor(self._threads, self._in_thread, work)

    def _in_thread(self, work: Callable[[sqlalchemy.Connection], T]) -> T:
        assert self._sync_engine is not None
        with self._sync_engine.begin() if self._writes else self._sync_engine.connect() as connection:
            return work(connection)

    async def close(self) -> None:
        if self._threads is not None and self._sync_engine is not None:
            await asyncio.get_running_loop().run_in_executor(self._threads, self._sync_engine.dispose)
            self._threads.shutdown()
            self._threads = None


class Database:
    """The ways the use cases reach the database: writing sessions, reading sessions, and direct reads."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.sessions = session_factory(engine)  # use cases that write
        self.read_sessions = read_session_factory(engine)  # use cases that only read
        self.direct_reads = DirectAccess(engine, name="reader")  # small, frequent reads: the leaderboard
        self.direct_writes = DirectAccess(engine, writes=True, threads=1, name="small-writes")  # review's next card

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    async def ping(self) -> None:
        """Return once the database answers a trivial query; raise when it cannot (readiness checks)."""
        async with self.engine.connect() as connection:
            await connection.execute(sqlalchemy.text("SELECT 1"))

    async def close(self) -> None:
        await self.direct_reads.close()
        await self.direct_writes.close()
