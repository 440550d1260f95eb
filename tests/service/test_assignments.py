"""Assignments on a real database: a teacher sets a topic's questions with a date and a goal, a student works
through them with a wrong answer coming back until the goal, the teacher's list shows who finished; one
progress row per student however often Start is pressed, a double answer counted once, nothing taken after
the date or once closed, and only teachers set, list and close them."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from bot.core.actor import Actor, Platform
from bot.core.errors import InvalidInput, NotAllowed, NotFound, UnknownTopic
from bot.core.replies import AskedQuestion, AssignmentStanding, QuestionRef
from bot.core.vocabulary import AssignmentStatus, Mode
from bot.store.models import Assignment, AssignmentProgress, Attempt, Community, ReviewCard
from tests.helpers import correct_answer, student, wrong_answer

TEACHER = Actor(Platform.CONSOLE, "class-1", "teacher", "Ms T", is_admin=True)
FRIDAY = "2026-12-04"  # a week after the test clock's Friday 27 November


async def count(service, model, *where) -> int:  # noqa: ANN001
    async with service.db.read_sessions() as session:
        return await session.scalar(select(func.count()).select_from(model).where(*where))


async def assign(service, topic: str = "rivals", **options: str):  # noqa: ANN001, ANN201
    created = await service.assignments.create(TEACHER, "room-1", topic, options.pop("due", FRIDAY), **options)
    return created.assignment.assignment_id


async def start(service, actor: Actor, number: int) -> AskedQuestion:  # noqa: ANN001
    asked = await service.assignments.start(actor, number)
    assert isinstance(asked, AskedQuestion), asked
    return asked


async def test_a_wrong_answer_comes_back_until_the_goal_and_the_teacher_sees_who_finished(any_service, clock):
    number = await assign(any_service, goal="100%")
    ann, bob, cid = student("Ann"), student("Bob"), student("Cid")
    await any_service.daily_question(bob)  # Bob has used the bot, never the assignment
    await start(any_service, cid, number)  # Cid starts and stops

    first = await start(any_service, ann, number)
    assert first.ref.mode is Mode.ASSIGNMENT and first.ref.assignment_id == number
    assert (
        first.assignment.progress == "0/2 right, goal 100%" and first.assignment.status is AssignmentStatus.IN_PROGRESS
    )
    missed = await any_service.submit_answer(ann, wrong_answer(any_service, first), first.ref)
    assert not missed.correct and missed.points == 0 and missed.assignment.progress == "0/2 right, goal 100%"
    assert not missed.assignment.finished

    second = await start(any_service, ann, number)  # the one not yet met comes before the retake
    assert second.ref.question_id != first.ref.question_id
    right = await any_service.submit_answer(ann, correct_answer(any_service, second), second.ref)
    assert right.correct and right.assignment.progress == "1/2 right, goal 100%" and not right.assignment.finished

    retake = await start(any_service, ann, number)
    assert retake.ref == first.ref  # the wrong one, again
    done = await any_service.submit_answer(ann, correct_answer(any_service, retake), retake.ref)
    assert done.assignment.finished and done.assignment.progress == "2/2 right, goal 100%"
    standing = await any_service.assignments.start(ann, number)  # "Next question" after the goal: the standing
    assert isinstance(standing, AssignmentStanding) and standing.finished

    # Every answer is an ordinary attempt, for no points; the wrong one's review card is there.
    assert await count(any_service, Attempt, Attempt.mode == "assignment", Attempt.points == 0) == 3
    assert await count(any_service, ReviewCard, ReviewCard.question_id == first.ref.question_id) == 1
    assert (await any_service.leaderboard(ann, "week")).entries == ()
    stats = await any_service.stats(ann)
    assert (stats.assignment_answered, stats.answered, stats.correct, stats.points) == (3, 3, 2, 0)

    [listed] = (await any_service.assignments.class_list(TEACHER)).assignments
    assert listed.finished == ("Ann",) and listed.in_progress == ("Cid",) and listed.not_started == ("Bob",)
    assert (listed.finished_count, listed.in_progress_count, listed.not_started_count) == (1, 1, 1)
    mine = await any_service.assignments.my_list(bob)
    assert [s.assignment.assignment_id for s in mine.to_do] == [number]
    assert (await any_service.assignments.my_list(ann)).to_do == ()


async def test_the_goal_needs_every_question_answered_and_the_share_right(any_service):
    number = await assign(any_service, "all", count="5", goal="60%")
    ann = student("Ann")
    for index in range(5):
        asked = await start(any_service, ann, number)
        given = correct_answer(any_service, asked) if index < 3 else wrong_answer(any_service, asked)
        feedback = await any_service.submit_answer(ann, given, asked.ref)
    assert feedback.assignment.finished and feedback.assignment.progress == "3/5 right, goal 60%"


async def test_a_double_start_makes_one_progress_row_and_a_double_answer_counts_once(any_service):
    number = await assign(any_service)
    ann = student("Ann")
    both = await asyncio.gather(*(any_service.assignments.start(ann, number) for _ in range(4)))
    assert len({asked.ref for asked in both}) == 1
    assert await count(any_service, AssignmentProgress) == 1

    asked = both[0]
    answer = correct_answer(any_service, asked)
    results = await asyncio.gather(*(any_service.submit_answer(ann, answer, asked.ref) for _ in range(3)))
    assert sum(not r.repeated for r in results) == 1 and all(r.correct for r in results)
    assert await count(any_service, Attempt) == 1
    async with any_service.db.read_sessions() as session:
        assert await session.scalar(select(AssignmentProgress.answers)) == 1
    with pytest.raises(IntegrityError):  # the one row per student per assignment is the database's rule
        async with any_service.db.sessions.begin() as session:
            member_id = await session.scalar(select(AssignmentProgress.member_id))
            session.add(AssignmentProgress(assignment_id=number, member_id=member_id, results={}, answers=0))


async def test_a_typed_answer_answers_the_assignment_question_shown_last(any_service):
    number = await assign(any_service, "rise")
    ann = student("Ann")
    asked = await start(any_service, ann, number)
    feedback = await any_service.submit_answer(ann, correct_answer(any_service, asked))  # no ref: `answer B`
    assert feedback.ref == QuestionRef(asked.ref.question_id, Mode.ASSIGNMENT, assignment_id=number)
    assert feedback.assignment.finished


async def test_answers_stop_at_the_end_of_the_due_date(any_service, clock):
    number = await assign(any_service, due="2026-11-28")
    ann = student("Ann")
    asked = await start(any_service, ann, number)
    clock.advance(days=1, hours=14)  # Saturday 23:00 in London: still the due date
    still = await any_service.submit_answer(ann, correct_answer(any_service, asked), asked.ref)
    assert not still.repeated
    later = await start(any_service, ann, number)
    clock.advance(hours=2)  # Sunday
    with pytest.raises(NotFound, match="closed.*not recorded"):
        await any_service.submit_answer(ann, correct_answer(any_service, later), later.ref)
    with pytest.raises(NotFound, match="closed"):
        await any_service.assignments.start(ann, number)
    assert (await any_service.assignments.my_list(ann)).assignments == ()
    [listed] = (await any_service.assignments.class_list(TEACHER)).assignments
    assert listed.assignment.past_due and not listed.assignment.is_open and listed.in_progress == ("Ann",)


async def test_a_teacher_closes_an_assignment_early(any_service):
    number = await assign(any_service)
    ann = student("Ann")
    asked = await start(any_service, ann, number)
    closed = await any_service.assignments.close(TEACHER, number)
    assert closed.assignment.closed_early and not closed.already
    assert (await any_service.assignments.close(TEACHER, number)).already
    with pytest.raises(NotFound, match="not recorded"):
        await any_service.submit_answer(ann, correct_answer(any_service, asked), asked.ref)
    with pytest.raises(NotFound, match="closed"):
        await any_service.assignments.start(student("Bob"), number)
    assert await count(any_service, Attempt) == 0
    with pytest.raises(NotFound, match="no assignment #99"):
        await any_service.assignments.close(TEACHER, 99)


async def test_only_teachers_set_list_and_close_assignments(any_service):
    number = await assign(any_service)
    ann = student("Ann")
    with pytest.raises(NotAllowed, match="Only a teacher"):
        await any_service.assignments.create(ann, "room-1", "rivals", FRIDAY)
    with pytest.raises(NotAllowed):
        await any_service.assignments.class_list(ann)
    with pytest.raises(NotAllowed):
        await any_service.assignments.close(ann, number)
    other_class = Actor(Platform.CONSOLE, "class-2", "zed", "Zed")
    with pytest.raises(NotFound):  # another class's assignment is not found, let alone started
        await any_service.assignments.start(other_class, number)


@pytest.mark.parametrize(
    ("topic", "options", "error", "says"),
    [
        ("stalinism", {}, UnknownTopic, "There is no topic"),
        ("rivals", {"due": "4/12"}, InvalidInput, "not a date"),
        ("rivals", {"due": "2026-11-26"}, InvalidInput, "has passed"),
        ("rivals", {"due": "2028-01-01"}, InvalidInput, "within a year"),
        ("rivals", {"count": "0"}, InvalidInput, "from 1 to 50"),
        ("rivals", {"goal": "150%"}, InvalidInput, "from 1% to 100%"),
    ],
)
async def test_bad_terms_get_a_friendly_message(service, topic, options, error, says):
    with pytest.raises(error, match=says):
        await assign(service, topic, **options)


async def test_a_set_has_at_most_the_topic_s_questions_and_only_taught_topics(any_service):
    created = await any_service.assignments.create(TEACHER, "room-1", "rivals", FRIDAY, count=10)
    assert (created.asked_for, created.assignment.questions) == (10, 2)
    async with any_service.db.sessions.begin() as session:
        await session.execute(update(Community).values(taught_topics=["rise"]))
    any_service.members.changed((await any_service.members.community(TEACHER)).id)
    with pytest.raises(InvalidInput, match="hasn't been taught yet"):
        await any_service.assignments.create(TEACHER, "room-1", "rivals", FRIDAY)
    everything = await any_service.assignments.create(TEACHER, "room-1", "all", FRIDAY)
    assert everything.assignment.title == "All taught topics" and everything.assignment.questions == 1


async def test_a_teacher_assigns_the_questions_they_list_in_their_order(any_service):
    created = await any_service.assignments.create(TEACHER, "room-1", "t-sa-2, t-mc-1", FRIDAY)
    assert created.assignment.title == "2 chosen questions" and created.assignment.questions == 2
    ann = student("Ann")
    first = await start(any_service, ann, created.assignment.assignment_id)
    assert first.ref.question_id == "t-sa-2"
    await any_service.submit_answer(ann, correct_answer(any_service, first), first.ref)
    assert (await start(any_service, ann, created.assignment.assignment_id)).ref.question_id == "t-mc-1"
    with pytest.raises(InvalidInput, match="no question `t-zz-9`"):
        await any_service.assignments.create(TEACHER, "room-1", "t-sa-2 t-zz-9", FRIDAY)


async def test_hardest_assigns_what_the_class_missed_most_this_term_and_needs_three_answers(any_service):
    with pytest.raises(InvalidInput, match="hasn't missed any question often enough"):
        await any_service.assignments.create(TEACHER, "room-1", "hardest", FRIDAY)
    practice = await any_service.assignments.create(TEACHER, "room-1", "t-mc-1 t-tf-1 t-sa-1", FRIDAY, goal="1%")
    number = practice.assignment.assignment_id
    for name in ("Ann", "Bob", "Cid"):
        pupil = student(name)
        for wrong in (True, False, name == "Ann"):  # t-mc-1 always missed, t-tf-1 never, t-sa-1 by one in three
            asked = await start(any_service, pupil, number)
            answer = wrong_answer(any_service, asked) if wrong else correct_answer(any_service, asked)
            await any_service.submit_answer(pupil, answer, asked.ref)

    hardest = await any_service.assignments.create(TEACHER, "room-1", "hardest", FRIDAY, count=2)
    assert hardest.assignment.title == "The class's most-missed questions this term"
    async with any_service.db.read_sessions() as session:
        row = await session.get(Assignment, hardest.assignment.assignment_id)
    assert sorted(row.question_ids) == ["t-mc-1", "t-sa-1"]
