"""What tests share: a clock they move, the content they load, who answers, and the right or wrong answer.

Fixtures live in conftest.py; everything a test file imports comes from here.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import socket
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.core.actor import Actor, Platform
from bot.core.publishing import PublishError
from bot.core.replies import DailyPost
from bot.core.vocabulary import QuestionKind

FIXTURE_CONTENT = Path(__file__).parent / "fixtures" / "content"
EXAM_SHAPES_CONTENT = Path(__file__).parent / "fixtures" / "exam-shapes"  # an order, a match and a source item
SHIPPED_CONTENT = Path(__file__).parent.parent / "content"
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")


class FakeClock:
    """A clock the tests move by hand. Starts on a Friday morning in London."""

    def __init__(self, start: dt.datetime = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


def student(name: str, community: str = "class-1", platform: Platform = Platform.CONSOLE) -> Actor:
    return Actor(platform, community, name.lower(), name)


def correct_answer(service, card) -> str:  # noqa: ANN001
    question = service.bank.questions[card.ref.question_id]
    if card.kind is QuestionKind.MULTIPLE_CHOICE:
        return next(o.letter for o in card.options if o.text == question.answer)
    return question.answer_text


def wrong_answer(service, card) -> str:  # noqa: ANN001
    question = service.bank.questions[card.ref.question_id]
    if card.kind is QuestionKind.MULTIPLE_CHOICE:
        return next(o.letter for o in card.options if o.text != question.answer)
    if card.kind is QuestionKind.TRUE_FALSE:
        return "false" if question.answer else "true"
    return "something else entirely"


def an_answer(shown: str) -> str:
    """An answer (right or wrong) the question the console showed takes: a console subprocess asks the real
    date's daily question, which may be of any kind."""
    if "Answer with: answer <" in shown and "your answer>" not in shown:
        return "answer A"  # multiple choice
    if "answer true" in shown:
        return "answer true"
    return "answer Stalin"


class RecordingPublisher:
    """A fake of our own Publisher interface, recording what it was asked to send."""

    def __init__(self, failures: list[PublishError] | None = None) -> None:
        self.sent: list[tuple[str, DailyPost]] = []
        self.failures = list(failures or [])

    async def publish(self, channel_id: str, post: DailyPost) -> str:
        await asyncio.sleep(0)
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append((channel_id, post))
        return f"msg-{len(self.sent)}"


async def reset_postgres(url: str) -> None:
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


class Proxy:
    """A TCP relay on 127.0.0.1 in front of the real PostgreSQL server: `cut()` drops every connection
    and refuses new ones, as a host's database failover or a network blip would; `restore()` ends it."""

    def __init__(self, port: int) -> None:
        self.target_port = port
        self.server: asyncio.Server | None = None
        self.port = 0
        self.pipes: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._relay, "127.0.0.1", self.port)
        self.port = self.server.sockets[0].getsockname()[1]

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        self.pipes |= {writer, upstream_writer}

        async def pump(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                sink.close()

        await asyncio.gather(pump(reader, upstream_writer), pump(upstream_reader, writer))

    async def cut(self) -> None:
        assert self.server is not None
        self.server.close()
        for pipe in self.pipes:
            pipe.transport.abort()
        self.pipes.clear()
        await self.server.wait_closed()

    async def restore(self) -> None:
        await self.start()

    async def close(self) -> None:
        if self.server is not None and self.server.is_serving():
            await self.cut()


def fill(disk: Path) -> Path:
    """Fill a (small) file system to the last byte; remove the file it returns to make room again."""
    filler = disk / "filler"
    with filler.open("wb", buffering=0) as out:  # unbuffered: nothing left to fail on close
        try:
            while True:
                out.write(b"\0" * 65536)
        except OSError:
            pass
    return filler


def free_port() -> int:
    """A TCP port nothing listens on now, for a server a test starts."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def model_plan(essay, factors: Sequence[str], evidence: Sequence[str], count: int = 3) -> tuple[str, str]:  # noqa: ANN001
    """The numbers and letters, as a student would type them, of the model plan's first `count` factors,
    each with its own evidence: `factors` and `evidence` as the student was shown them."""
    letters = "ABCDEFGHIJKL"
    names = [factor.name for factor in essay.factors[:count]]
    numbers = " ".join(str(factors.index(name) + 1) for name in names)
    picked = " ".join(letters[evidence.index(factor.evidence[0])] for factor in essay.factors[:count])
    return numbers, picked
