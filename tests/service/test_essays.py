"""Essay plans in the service: begun, built by taps or sent whole, finished once, and private to the student."""

from __future__ import annotations

import shutil

import pytest

from bot.bootstrap import open_service
from bot.core.errors import InvalidInput, NotFound
from tests.helpers import FIXTURE_CONTENT, student

JUDGEMENT = "The party machine mattered most because it turned his rivals' mistakes into votes"


async def test_taps_choose_factors_then_evidence_then_ask_for_the_judgement(any_service):
    ann = student("Ann")
    asked = await any_service.start_essay(ann)
    step = await any_service.essay_step(ann, asked.plan_id, "", "", "2")
    assert (step.stage, step.factors, step.can_stop_choosing) == ("factors", "2", False)
    step = await any_service.essay_step(ann, asked.plan_id, "21", "", "4")
    assert step.stage == "factors" and step.can_stop_choosing  # three: may stop, or take a fourth
    step = await any_service.essay_step(ann, asked.plan_id, "214", "", ".")
    assert step.stage == "evidence" and step.next_step.startswith("Tap the evidence for")
    step = await any_service.essay_step(ann, asked.plan_id, "214", "BC", "A")
    assert step.stage == "judgement" and [e for _, e in step.chosen] == [
        dict(zip(asked.letters, asked.evidence, strict=True))[letter] for letter in "BCA"
    ]
    four = await any_service.essay_step(ann, asked.plan_id, "214", "", "3")
    assert four.stage == "evidence" and four.factors == "2143"  # a fourth factor ends the choosing
    again = await any_service.essay_step(ann, asked.plan_id, "214", "BC", "0")
    assert (again.stage, again.factors, again.evidence) == ("factors", "", "")


@pytest.mark.parametrize(
    ("factors", "evidence", "tap"),
    [("11", "", "2"), ("12", "", "."), ("12", "", "A"), ("123", "ABCD", "E"), ("1239", "", "A"), ("2143", "", "5")],
)
async def test_a_tap_no_student_could_have_made_is_refused(any_service, factors, evidence, tap):
    ann = student("Ann")
    asked = await any_service.start_essay(ann)
    with pytest.raises(InvalidInput, match="another plan"):
        await any_service.essay_step(ann, asked.plan_id, factors, evidence, tap)


async def test_a_plan_is_finished_once_and_only_by_its_student(any_service):
    ann, bob = student("Ann"), student("Bob")
    asked = await any_service.start_essay(ann)
    with pytest.raises(NotFound):  # Bob cannot tap or finish Ann's plan
        await any_service.essay_step(bob, asked.plan_id, "", "", "1")
    with pytest.raises(NotFound):
        await any_service.submit_essay_plan(bob, "1 2 3", "A B C", JUDGEMENT, plan_id=asked.plan_id)
    compared = await any_service.submit_essay_plan(ann, "1 2 3", "A B C", JUDGEMENT, plan_id=asked.plan_id)
    assert 1 <= compared.level <= 4
    with pytest.raises(NotFound, match="no essay plan under way"):  # finished: nothing more to send
        await any_service.submit_essay_plan(ann, "1 2 3", "A B C", JUDGEMENT, plan_id=asked.plan_id)
    assert [plan.level for plan in (await any_service.essay_history(ann)).plans] == [compared.level]
    assert (await any_service.essay_history(bob)).plans == ()


async def test_each_essay_comes_round_before_any_comes_twice_and_a_topic_without_questions_has_a_summary(
    tmp_path, clock
):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    second = (content / "essays.yaml").read_text().split("essays:\n", 1)[1].replace("ess-f1", "ess-f2")
    (content / "more-essays.yaml").write_text("essays:\n" + second.replace("How important", "How far"))
    topics = (content / "topics.yaml").read_text()
    (content / "topics.yaml").write_text(
        topics.replace("topics:\n", "topics:\n  - {id: later, title: Later, area: economy}\n")
    )
    async with open_service(f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}", content, clock=clock) as service:
        ann = student("Ann")
        shown = [(await service.start_essay(ann, "rise")).essay_id for _ in range(6)]
        assert sorted(shown[:2]) == ["ess-f1", "ess-f2"] and sorted(shown[2:4]) == ["ess-f1", "ess-f2"]
        assert sorted(shown[4:]) == ["ess-f1", "ess-f2"]  # round and round, never one forever
        empty = await service.summary("later", ann)
        assert empty.topic.question_count == 0 and empty.dates == () and "any of its 0 questions" in empty.record
