"""Overload over the wire: with a tiny in-flight limit, bolt acks every request in time, the requests
beyond the line get the friendly busy reply, the ones in line are served once a turn frees, and every
answer given is recorded exactly once: nothing lost, nothing doubled, no "Something went wrong"."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from bot.bootstrap import open_service
from bot.core.errors import UNEXPECTED_ERROR
from bot.service.admission import BUSY, Admission
from bot.store.models import Attempt
from tests.adapters.slack.conftest import serving
from tests.adapters.slack.fake_slack import all_text
from tests.adapters.slack.helpers import question_of
from tests.helpers import FIXTURE_CONTENT

STUDENTS = [f"U{n}" for n in range(1, 7)]


async def test_requests_beyond_the_line_are_told_busy_and_every_answer_is_recorded_once(sqlite_url, clock, fake_slack):
    admission = Admission(in_flight=1, waiting=2, patience=2.5)
    async with open_service(sqlite_url, FIXTURE_CONTENT, clock=clock, admission=admission) as service:
        async with serving(service, fake_slack) as slack:
            gate = asyncio.Event()
            holder = asyncio.create_task(admission.run("none", gate.wait))  # the only turn, taken
            await asyncio.sleep(0)
            urls = await asyncio.gather(*(slack.command("daily", user=user, name=user) for user in STUDENTS))
            await fake_slack.wait_for(lambda: sum(bool(fake_slack.replies_to(url)) for url in urls) >= 4)
            gate.set()  # two were waiting in line: now they are served
            await holder
            first = [await fake_slack.reply(url) for url in urls]
            busy = [message for message in first if BUSY in all_text(message)]
            served = [message for message in first if BUSY not in all_text(message)]
            assert len(busy) == 4 and len(served) == 2
            assert all(question_of(service, message) for message in served)  # each is a question with buttons

            for user in STUDENTS:  # once the rush is over, everyone gets the question and answers it
                message = await slack.ask("daily", user=user, name=user)
                _, question = question_of(service, message)
                feedback = all_text(await slack.ask(f"answer {question.answer_text}", user=user, name=user))
                assert "Correct!" in feedback and UNEXPECTED_ERROR not in feedback

    async with open_service(sqlite_url, FIXTURE_CONTENT, clock=clock) as reopened:
        async with reopened.db.read_sessions() as session:
            assert await session.scalar(select(func.count()).select_from(Attempt)) == len(STUDENTS)
