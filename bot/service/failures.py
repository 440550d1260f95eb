"""A use case the database could not serve ends in one friendly `DatabaseTrouble` naming the cause (a full
disk, a read-only file, a lost connection) instead of an unexpected error; anything else passes through."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import ParamSpec, TypeVar

from sqlalchemy.exc import SQLAlchemyError

from bot.core.errors import DatabaseTrouble
from bot.store.db import cause_of_failure

P = ParamSpec("P")
T = TypeVar("T")
log = logging.getLogger(__name__)


def database_trouble(
    *, not_done: str = "nothing was changed"
) -> Callable[[Callable[P, Awaitable[T]]], Callable[P, Awaitable[T]]]:
    def decorate(use_case: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
        @functools.wraps(use_case)
        async def guarded(*args: P.args, **kwargs: P.kwargs) -> T:
            try:
                return await use_case(*args, **kwargs)
            except (SQLAlchemyError, OSError) as error:
                cause = cause_of_failure(error, _url_of(args))
                if cause is None:
                    raise
                log.warning("%s: %s (%s)", use_case.__qualname__, cause, type(error).__name__)
                raise DatabaseTrouble(cause, not_done=not_done) from error

        return guarded

    return decorate


def _url_of(args: tuple) -> object:
    """The database URL of the part whose method this is (for naming a read-only file)."""
    part = args[0] if args else None
    db = getattr(part, "db", None) or getattr(getattr(part, "members", None), "db", None)
    return db.engine.url if db is not None else None
