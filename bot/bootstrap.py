"""The one place that wires content, database, service and front ends together."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError, OperationalError

from bot.content import Question, load_bank
from bot.schedule_service import ScheduleService
from bot.service import Clock, StudyService, utc_now
from bot.store import migrate
from bot.store.db import DatabaseUnavailable, create_engine, redact, session_factory
from bot.store.models import Question as QuestionRow
from bot.store.sync import sync_bank

log = logging.getLogger(__name__)


@asynccontextmanager
async def open_service(database_url: str, content_dir: Path, *, clock: Clock = utc_now) -> AsyncIterator[StudyService]:
    """Load and validate the content, open and upgrade the database, sync the bank, and yield the service.

    Raises ContentError for invalid content and DatabaseUnavailable when the database cannot be opened.
    """
    bank = load_bank(content_dir)
    engine = create_engine(database_url)
    try:
        try:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except (OperationalError, DBAPIError, OSError) as error:
            raise DatabaseUnavailable(f"Cannot open the database {redact(database_url)}: {_reason(error)}") from error
        await migrate.upgrade(engine)
        async with session_factory(engine).begin() as session:
            report = await sync_bank(session, bank)
            retired_rows = (await session.scalars(select(QuestionRow).where(QuestionRow.retired.is_(True)))).all()
        if report.added or report.updated or report.retired:
            log.info("content synced: %d added, %d updated, %d retired", report.added, report.updated, report.retired)
        service = StudyService(bank, engine, clock=clock)
        service.remember_retired({row.id: Question.model_validate(row.body) for row in retired_rows})
        service.schedules = ScheduleService(service)
        # Everything loaded so far (the bank, the ORM's metadata) lives as long as the process: keep it
        # out of the garbage collector's full passes, which otherwise stall answers by tens of ms.
        gc.freeze()
        try:
            yield service
        finally:
            await service.close()
    finally:
        await engine.dispose()


def _reason(error: BaseException) -> str:
    original = getattr(error, "orig", None) or error
    return str(original).splitlines()[0][:200]
