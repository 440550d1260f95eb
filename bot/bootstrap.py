"""The one place that wires content, database, service, scheduler and front ends' publishers together."""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError, OperationalError

from bot.content import Question, load_bank
from bot.core.clock import Clock, utc_now
from bot.core.errors import first_line
from bot.core.privacy import CLASS_DEFAULT
from bot.core.publishing import Publishers
from bot.core.review import DEFAULT_RETENTION
from bot.ops import metrics
from bot.scheduler import Scheduler
from bot.service import StudyService
from bot.service.admission import Admission
from bot.service.posts import LEASE
from bot.store import migrate
from bot.store.db import DatabaseUnavailable, cause_of_failure, create_engine, redact, session_factory
from bot.store.models import Question as QuestionRow
from bot.store.sync import sync_bank

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Bot:
    """A running bot's parts: the service front ends call, the scheduler, and the publishers it posts
    through (each front end adds its own once connected)."""

    service: StudyService
    scheduler: Scheduler
    publishers: Publishers


@asynccontextmanager
async def open_bot(
    database_url: str,
    content_dir: Path,
    *,
    clock: Clock = utc_now,
    sqlite_synchronous: str = "FULL",
    post_lease: dt.timedelta = LEASE,
    review_retention: float = DEFAULT_RETENTION,
    new_class_board: str = CLASS_DEFAULT,
    retention_days: int | None = None,
    admission: Admission | None = None,
) -> AsyncIterator[Bot]:
    """Load and validate the content, open and upgrade the database, sync the bank, and build the parts.

    Raises ContentError for invalid content and DatabaseUnavailable when the database cannot be opened.
    """
    bank = load_bank(content_dir)
    engine = create_engine(database_url, sqlite_synchronous=sqlite_synchronous)
    # /metrics' studybot_db_pool_in_use (a pool without the count, such as SQLite's in memory, shows 0).
    stop_counting = metrics.watch_pool(lambda: getattr(engine.pool, "checkedout", int)())
    try:
        try:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
            await migrate.upgrade(engine)
        except (OperationalError, DBAPIError, OSError) as error:
            reason = cause_of_failure(error, engine.url) or first_line(getattr(error, "orig", None) or error, 200)
            raise DatabaseUnavailable(f"Cannot open the database {redact(database_url)}: {reason}") from error
        async with session_factory(engine).begin() as session:
            report = await sync_bank(session, bank)
            retired_rows = (await session.scalars(select(QuestionRow).where(QuestionRow.retired.is_(True)))).all()
        if report.added or report.updated or report.retired:
            log.info("content synced: %d added, %d updated, %d retired", report.added, report.updated, report.retired)
        retired = _answerable(retired_rows)
        schedule_changed = asyncio.Event()  # the scheduler sleeps on it; schedule changes and new front ends set it
        service = StudyService(
            bank,
            engine,
            clock=clock,
            retired=retired,
            on_schedule_change=schedule_changed.set,
            post_lease=post_lease,
            review_retention=review_retention,
            new_class_board=new_class_board,
            retention_days=retention_days,
            admission=admission,
        )
        publishers = Publishers(on_change=schedule_changed.set)
        scheduler = Scheduler(
            service.posts, publishers, wake=schedule_changed, housekeeping=service.classes.housekeeping
        )
        # Everything loaded so far (the bank, the ORM's metadata) lives as long as the process: keep it
        # out of the garbage collector's full passes, which otherwise stall answers by tens of ms.
        gc.freeze()
        try:
            yield Bot(service, scheduler, publishers)
        finally:
            await service.close()
    finally:
        stop_counting()
        await engine.dispose()


@asynccontextmanager
async def open_service(
    database_url: str,
    content_dir: Path,
    *,
    clock: Clock = utc_now,
    sqlite_synchronous: str = "FULL",
    new_class_board: str = CLASS_DEFAULT,
    retention_days: int | None = None,
    admission: Admission | None = None,
) -> AsyncIterator[StudyService]:
    """The service alone (tests, the benchmark), built exactly as `open_bot` builds it."""
    async with open_bot(
        database_url,
        content_dir,
        clock=clock,
        sqlite_synchronous=sqlite_synchronous,
        new_class_board=new_class_board,
        retention_days=retention_days,
        admission=admission,
    ) as bot:
        yield bot.service


def _answerable(retired_rows: list[QuestionRow]) -> dict[str, Question]:
    """Retired questions, kept answerable for old buttons. One stored under an older content format that
    no longer validates is left out (its buttons get "no longer in the bank"); it must not stop the bot."""
    retired = {}
    for row in retired_rows:
        try:
            retired[row.id] = Question.model_validate(row.body)
        except ValidationError as error:
            log.warning(
                "retired question %s is no longer readable (%d problems); its old buttons will not work",
                row.id,
                error.error_count(),
            )
    return retired
