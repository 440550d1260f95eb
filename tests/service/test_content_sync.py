"""Content sync: idempotent, keyed by stable ids; edits update, removals retire and keep history."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import func, select

from bot.bootstrap import open_service
from bot.core.replies import QuestionRef, ReviewsDone
from bot.core.vocabulary import Mode
from bot.store.models import Attempt, Question, ReviewCard
from tests.helpers import FIXTURE_CONTENT, correct_answer, student


async def test_sync_updates_edits_and_retires_removals_without_losing_history(tmp_path: Path, database_url, clock):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    sample = content / "questions" / "sample.yaml"
    ann = student("Ann")
    ref = QuestionRef("t-tf-1", Mode.PRACTICE)

    async with open_service(database_url, content, clock=clock) as service:
        await service.submit_answer(ann, "true", ref)

    async with open_service(database_url, content, clock=clock) as service:  # unchanged: nothing rewritten
        async with service.db.read_sessions() as session:
            stamps = dict((await session.execute(select(Question.id, Question.updated_at))).all())

    text = sample.read_text()
    text = text.replace(
        "Trotsky was expelled from the party in November 1927.", "Trotsky was expelled on 14 November 1927."
    )
    start = text.index("  - id: t-sa-2")
    end = text.index("  - id: t-mc-2")
    sample.write_text(text[:start] + text[end:])  # t-sa-2 removed from the bank

    async with open_service(database_url, content, clock=clock) as service:
        async with service.db.read_sessions() as session:
            rows = {row.id: row for row in (await session.scalars(select(Question))).all()}
            assert rows["t-tf-1"].prompt == "Trotsky was expelled on 14 November 1927."
            assert rows["t-sa-2"].retired and not rows["t-tf-1"].retired
            assert rows["t-mc-1"].updated_at == stamps["t-mc-1"]  # untouched questions are not rewritten
            assert await session.scalar(select(func.count()).select_from(Attempt)) == 1
        assert "t-sa-2" not in service.bank.questions
        stats = await service.stats(ann)
        assert stats.answered == 1 and stats.correct == 1  # history kept
        # An old button pointing at the retired question still gets an answer.
        feedback = await service.submit_answer(ann, "1923", QuestionRef("t-sa-2", Mode.PRACTICE))
        assert feedback.correct
        for _ in range(6):
            assert (await service.practice_question(ann)).ref.question_id != "t-sa-2"


async def test_an_edit_keeps_review_cards_but_a_changed_answer_starts_them_again(tmp_path: Path, database_url, clock):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    sample = content / "questions" / "sample.yaml"
    ann = student("Ann")
    async with open_service(database_url, content, clock=clock) as service:
        await service.submit_answer(ann, "true", QuestionRef("t-tf-1", Mode.PRACTICE))  # right: days out
        mc = QuestionRef("t-mc-1", Mode.PRACTICE)
        await service.submit_answer(ann, correct_answer(service, service.catalogue.asked(mc)), mc)
        assert isinstance(await service.next_review(ann), ReviewsDone)  # both right: nothing due today
        async with service.db.read_sessions() as session:
            before = {card.question_id: card.reviews for card in await session.scalars(select(ReviewCard))}

    text = sample.read_text()
    text = text.replace("Trotsky was expelled from the party in November 1927.", "Trotsky was expelled in 1927.")
    # The key of t-mc-1 moved to another of its options (a teacher's correction, say).
    text = text.replace("    answer: 3 April 1922", "    answer: 18 December 1922")
    sample.write_text(text)

    async with open_service(database_url, content, clock=clock) as service:
        async with service.db.read_sessions() as session:
            after = {card.question_id: card for card in await session.scalars(select(ReviewCard))}
        assert after["t-tf-1"].reviews == before["t-tf-1"] == 1  # the prompt was edited: the card stands
        assert after["t-mc-1"].reviews == 0  # the answer changed: learnt again from the start
        asked = await service.next_review(ann)
        assert asked.ref.question_id == "t-mc-1"  # and it is due at once


async def test_a_retired_question_stored_in_an_older_format_does_not_stop_the_bot(database_url, clock, caplog):
    async with open_service(database_url, FIXTURE_CONTENT, clock=clock) as service:
        async with service.db.sessions.begin() as session:
            session.add(
                Question(
                    id="old-format",
                    topic_id="rise",
                    kind="multiple_choice",
                    prompt="p",
                    body={"question": "p"},
                    content_hash="0",
                    retired=True,
                )
            )
    async with open_service(database_url, FIXTURE_CONTENT, clock=clock) as service:  # starts all the same
        assert (await service.daily_question(student("Ann"))).ref.question_id in service.bank.questions
    assert "retired question old-format is no longer readable" in caplog.text
