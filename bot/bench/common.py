"""Shared pieces of the benchmark: a settable clock, timing statistics, progress on stderr,
fresh databases and raw bulk loading (for building data sets, never for the code under test)."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import sqlite3
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.config import REPO_ROOT, SHIPPED_CONTENT  # noqa: F401 - re-exported for the scenarios

# ----------------------------------------------------------------------------------- clock


# The columns of a bulk-loaded attempt row, in the order the scenarios build them.
ATTEMPT_COLUMNS = (
    "member_id",
    "community_id",
    "question_id",
    "mode",
    "daily_date",
    "answer_given",
    "correct",
    "points",
    "streak",
    "created_at",
)


class BenchClock:
    """The service's clock, moved by the benchmark (like the tests' FakeClock)."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


# ----------------------------------------------------------------------------------- statistics


def percentile(ordered: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted sequence."""
    if not ordered:
        return math.nan
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def summary_ms(samples_s: Iterable[float]) -> dict[str, float | int]:
    """count, p50, p95, p99, max and mean of durations given in seconds, reported in milliseconds."""
    ordered = sorted(samples_s)
    if not ordered:
        return {"count": 0, "p50_ms": None, "p95_ms": None, "p99_ms": None, "max_ms": None, "mean_ms": None}
    return {
        "count": len(ordered),
        "p50_ms": round(percentile(ordered, 0.50) * 1000, 3),
        "p95_ms": round(percentile(ordered, 0.95) * 1000, 3),
        "p99_ms": round(percentile(ordered, 0.99) * 1000, 3),
        "max_ms": round(ordered[-1] * 1000, 3),
        "mean_ms": round(sum(ordered) / len(ordered) * 1000, 3),
    }


# ----------------------------------------------------------------------------------- progress


def note(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


class Progress:
    """`label: done/total` on stderr: redrawn in place on a terminal, a line every few seconds otherwise."""

    def __init__(self, label: str, total: int) -> None:
        self.label = label
        self.total = max(total, 1)
        self.done = 0
        self.started = time.perf_counter()
        self._shown = 0.0
        self._tty = sys.stderr.isatty()

    def add(self, count: int) -> None:
        self.done += count
        now = time.perf_counter()
        if now - self._shown >= (0.2 if self._tty else 3.0):
            self._shown = now
            self._draw(end="\r" if self._tty else "\n")

    def finish(self) -> None:
        self._draw(end="\n", final=True)

    def _draw(self, *, end: str, final: bool = False) -> None:
        elapsed = time.perf_counter() - self.started
        tail = f" in {elapsed:.1f} s" if final else f" ({100 * self.done / self.total:.0f}%, {elapsed:.0f} s)"
        print(
            f"[bench] {self.label}: {self.done:,}/{self.total:,}{tail}\x1b[K"
            if self._tty
            else f"[bench] {self.label}: {self.done:,}/{self.total:,}{tail}",
            end=end,
            file=sys.stderr,
            flush=True,
        )


# ----------------------------------------------------------------------------------- databases


@dataclass(frozen=True, slots=True)
class Target:
    """One fresh database: its SQLAlchemy URL, and how the bulk loader reaches it."""

    backend: str  # "sqlite" or "postgresql"
    url: str
    sqlite_path: Path | None = None
    pg_dsn: str | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.backend == "sqlite"


def backend_of(url: str) -> str:
    from sqlalchemy.engine import make_url

    return "postgresql" if make_url(url).get_backend_name() == "postgresql" else "sqlite"


def _plain_dsn(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@asynccontextmanager
async def fresh_database(
    backend: str, workdir: Path, name: str, *, pg_url: str | None = None, pg_reset: bool = False
) -> AsyncIterator[Target]:
    """A new empty database for one scenario.

    SQLite: a new file in `workdir`. PostgreSQL: a new database created next to the one in `pg_url`
    and dropped afterwards (needs CREATEDB); with `pg_reset` and no CREATEDB, the public schema of
    the given database is dropped and recreated instead.
    """
    if backend == "sqlite":
        path = workdir / f"{name}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        yield Target("sqlite", f"sqlite+aiosqlite:///{path}", sqlite_path=path)
        return
    import asyncpg
    from sqlalchemy.engine import make_url

    assert pg_url is not None
    given = make_url(pg_url)
    admin = await asyncpg.connect(_plain_dsn(pg_url))
    database = f"studybot_bench_{re.sub(r'[^a-z0-9_]', '_', name.lower())}_{uuid.uuid4().hex[:8]}"
    created = False
    try:
        try:
            await admin.execute(f'CREATE DATABASE "{database}"')
            created = True
        except asyncpg.InsufficientPrivilegeError:
            if not pg_reset:
                raise SystemExit(
                    "The PostgreSQL user may not CREATE DATABASE. Use a user with CREATEDB, or pass --pg-reset "
                    "to drop and recreate the public schema of the given database (everything in it is lost)."
                ) from None
            await admin.execute("DROP SCHEMA public CASCADE")
            await admin.execute("CREATE SCHEMA public")
        url = given.set(database=database) if created else given
        rendered = url.render_as_string(hide_password=False)
        yield Target("postgresql", rendered, pg_dsn=_plain_dsn(rendered))
    finally:
        if created:
            await admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        await admin.close()


# ----------------------------------------------------------------------------------- bulk loading


class Bulk:
    """Raw inserts and queries for building data sets fast: stdlib sqlite3 on the file (one big
    transaction per chunk, synchronous=OFF for the loader only), or asyncpg COPY on PostgreSQL.

    SQL is written with `?` placeholders for both. Values must already be encoded for the backend:
    use `date()`, `ts()` and `time_of_day()` for those columns.
    """

    CHUNK = 100_000

    def __init__(self, target: Target) -> None:
        self.target = target
        self._sqlite: sqlite3.Connection | None = None
        self._pg = None

    @classmethod
    async def open(cls, target: Target) -> Bulk:
        bulk = cls(target)
        if target.is_sqlite:
            assert target.sqlite_path is not None
            connection = sqlite3.connect(target.sqlite_path, isolation_level=None, timeout=30)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=OFF")
            connection.execute("PRAGMA cache_size=-200000")
            bulk._sqlite = connection
        else:
            import asyncpg

            bulk._pg = await asyncpg.connect(target.pg_dsn)
        return bulk

    async def close(self) -> None:
        if self._sqlite is not None:
            self._sqlite.close()
        if self._pg is not None:
            await self._pg.close()

    # value encoders: SQLAlchemy stores these as text on SQLite (naive UTC for DateTime)
    def date(self, value: dt.date | None) -> Any:
        if value is None or not self.target.is_sqlite:
            return value
        return value.isoformat()

    def ts(self, value: dt.datetime | None) -> Any:
        if value is None or not self.target.is_sqlite:
            return value
        return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")

    def time_of_day(self, value: dt.time) -> Any:
        return value.strftime("%H:%M:%S.%f") if self.target.is_sqlite else value

    @staticmethod
    def json(value: Any) -> str:
        return json.dumps(value)

    async def insert(
        self, table: str, columns: Sequence[str], rows: Iterable[tuple], *, progress: Progress | None = None
    ) -> int:
        """Insert rows (tuples in `columns` order) in big batches; returns how many."""
        count = 0
        batch: list[tuple] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= self.CHUNK:
                await self._insert_batch(table, columns, batch)
                count += len(batch)
                if progress:
                    progress.add(len(batch))
                batch = []
        if batch:
            await self._insert_batch(table, columns, batch)
            count += len(batch)
            if progress:
                progress.add(len(batch))
        return count

    async def _insert_batch(self, table: str, columns: Sequence[str], batch: list[tuple]) -> None:
        if self._sqlite is not None:
            marks = ", ".join("?" for _ in columns)
            self._sqlite.execute("BEGIN")
            self._sqlite.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", batch)
            self._sqlite.execute("COMMIT")
        else:
            await self._pg.copy_records_to_table(table, records=batch, columns=list(columns))

    async def fetch(self, sql: str, *args: Any) -> list[tuple]:
        if self._sqlite is not None:
            return self._sqlite.execute(sql, args).fetchall()
        return [tuple(row) for row in await self._pg.fetch(_numbered(sql), *args)]

    async def execute(self, sql: str, *args: Any) -> None:
        if self._sqlite is not None:
            self._sqlite.execute(sql, args)
        else:
            await self._pg.execute(_numbered(sql), *args)

    async def executemany(self, sql: str, rows: Sequence[tuple]) -> None:
        if self._sqlite is not None:
            self._sqlite.execute("BEGIN")
            self._sqlite.executemany(sql, rows)
            self._sqlite.execute("COMMIT")
        else:
            await self._pg.executemany(_numbered(sql), rows)

    async def analyze(self) -> None:
        """PostgreSQL only: autovacuum would have analysed a table that grew like this. The bot never
        runs ANALYZE on SQLite, so the benchmark does not either."""
        if self._pg is not None:
            await self._pg.execute("ANALYZE")


def _numbered(sql: str) -> str:
    counter = iter(range(1, 10_000))
    return re.sub(r"\?", lambda _: f"${next(counter)}", sql)


def as_date(value: Any) -> dt.date | None:
    """A date read back raw: text on SQLite, a date on PostgreSQL."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def bot_env(database_url: str, content_dir: Path) -> dict[str, str]:
    """The environment for a `python -m bot` child: no chat tokens, this database and content."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"}
    }
    env.update(DATABASE_URL=database_url, STUDYBOT_CONTENT_DIR=str(content_dir.resolve()), LOG_LEVEL="WARNING")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p)
    return env
