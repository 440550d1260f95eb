"""Private by default on a real database: pseudonyms for a new class, a student's own choice, hidden
students off every public board but still told their rank, and the class default for teachers only."""

from __future__ import annotations

import asyncio
import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from bot.bootstrap import open_service
from bot.core.actor import Actor, Platform
from bot.core.errors import InvalidInput, NotAllowed
from bot.core.privacy import ADJECTIVES, ANIMALS
from bot.store.models import Member
from tests.helpers import FIXTURE_CONTENT, correct_answer, student, wrong_answer

TWO_WORDS = re.compile(r"^[A-Z][a-z]+ [A-Z][a-z]+$")
TEACHER = Actor(Platform.CONSOLE, "class-1", "teacher", "Ms T", is_admin=True)


@pytest.fixture
async def fresh(database_url, clock):
    """A service as deployed: new classes get the bot's own default (pseudonyms)."""
    async with open_service(database_url, FIXTURE_CONTENT, clock=clock) as service:
        yield service


async def score(service, actor) -> None:  # noqa: ANN001
    card = await service.daily_question(actor)
    await service.submit_answer(actor, correct_answer(service, card), card.ref)


async def test_a_new_class_shows_pseudonyms_never_names(fresh):
    ann, bob = student("Ann"), student("Bob")
    await score(fresh, ann)
    await score(fresh, bob)
    board = await fresh.leaderboard(bob, "week")
    names = [entry.name for entry in board.entries]
    assert len(names) == 2 and not {"Ann", "Bob"} & set(names)
    assert all(TWO_WORDS.match(name) and name.split()[0] in ADJECTIVES and name.split()[1] in ANIMALS for name in names)
    mine = await fresh.privacy(bob)
    assert mine.choice == "pseudonym" and not mine.chosen and mine.shown_as == mine.pseudonym
    assert board.caller is not None and board.caller.name == mine.pseudonym
    again = await fresh.privacy(bob)
    assert again.pseudonym == mine.pseudonym  # stable


async def test_pseudonyms_are_unique_in_a_class_even_when_many_join_at_once(fresh):
    students = [student(f"S{n}") for n in range(120)]
    await asyncio.gather(*(score(fresh, who) for who in students))
    async with fresh.db.read_sessions() as session:
        aliases = (await session.scalars(select(Member.pseudonym))).all()
    assert len(aliases) == 120 and len(set(aliases)) == 120 and None not in aliases


async def test_choices_named_and_hidden(fresh):
    ann, bob, cat = student("Ann"), student("Bob"), student("Cat")
    for who in (ann, bob, cat):
        await score(fresh, who)
    await fresh.set_privacy(ann, "named")
    hidden = await fresh.set_privacy(bob, "hidden")
    assert hidden.shown_as is None and hidden.chosen
    board = await fresh.leaderboard(cat, "week")
    names = [entry.name for entry in board.entries]
    assert "Ann" in names and hidden.pseudonym not in names and "Bob" not in names and len(names) == 2
    assert board.total_ranked == 2
    own = await fresh.leaderboard(bob, "week")  # Bob still sees where he stands
    assert own.caller is not None and own.caller.points == 10 and own.caller.rank == 1
    assert [entry.is_caller for entry in own.entries] == [False, False]


async def test_a_new_pseudonym_once_a_week(fresh, clock):
    ann = student("Ann")
    first = await fresh.privacy(ann)
    second = await fresh.new_pseudonym(ann)
    assert second.pseudonym != first.pseudonym and second.next_pseudonym_change is not None
    with pytest.raises(InvalidInput, match="once a week"):
        await fresh.new_pseudonym(ann)
    clock.advance(days=7, minutes=1)
    assert (await fresh.new_pseudonym(ann)).pseudonym != second.pseudonym


async def test_the_class_default_is_for_teachers(fresh):
    ann = student("Ann")
    await score(fresh, ann)
    with pytest.raises(NotAllowed):
        await fresh.set_privacy_default(ann, "named")
    await fresh.set_privacy_default(TEACHER, "named")
    assert [e.name for e in (await fresh.leaderboard(ann, "week")).entries] == ["Ann"]
    await fresh.set_privacy(ann, "pseudonym")  # her own choice beats the class's
    assert [e.name for e in (await fresh.leaderboard(ann, "week")).entries] != ["Ann"]
    await fresh.set_privacy_default(TEACHER, "hidden")
    assert (await fresh.leaderboard(TEACHER, "week")).entries != ()  # Ann chose pseudonym: still shown
    with pytest.raises(InvalidInput):
        await fresh.set_privacy(ann, "famous")


async def test_reveals_and_weekly_boards_follow_the_choices(fresh, clock):
    clock.now = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)  # a Monday
    ann, bob = student("Ann"), student("Bob")
    for _ in range(3):  # streaks of 3 on consecutive school days
        for who in (ann, bob):
            await score(fresh, who)
        clock.advance(days=1)
    await fresh.set_privacy(bob, "hidden")
    community = await fresh.members.community(ann)
    day = fresh.members.today(community)
    async with fresh.db.read_sessions() as session:
        reveal = (await fresh.posts.boards.reveals(session, {(community.id, day)}))[(community.id, day)]
        weekly = (await fresh.posts.boards.weekly_boards(session, {(community.id, day)}))[(community.id, day)]
    ann_alias = (await fresh.privacy(ann)).pseudonym
    assert [holder.name for holder in reveal.top_streaks] == [ann_alias]
    assert [entry.name for entry in weekly.entries] == [ann_alias]


async def test_a_weekly_board_among_many_classes_shows_each_student_once(fresh):
    ann, zed = student("Ann", "class-1"), student("Zed", "class-2")
    await score(fresh, ann)
    await score(fresh, zed)
    community = await fresh.members.community(ann)
    key = (community.id, fresh.members.today(community))
    async with fresh.db.read_sessions() as session:
        board = (await fresh.posts.boards.weekly_boards(session, {key}))[key]
    assert [entry.name for entry in board.entries] == [(await fresh.privacy(ann)).pseudonym]
    assert board.total_ranked == 1


async def test_forget_me_leaves_nothing_in_any_table_that_points_at_the_member(fresh, clock):
    """Every table with a foreign key to members, found from the schema itself: a table added later
    without being handled by forget-me fails this test."""
    from bot.core.publishing import Publishers
    from bot.scheduler import Scheduler
    from bot.store.models import Base
    from tests.helpers import RecordingPublisher

    ann = student("Ann")
    card = await fresh.daily_question(ann)
    await fresh.submit_answer(ann, wrong_answer(fresh, card), card.ref)  # wrong: a review card, due soon
    await fresh.set_review_reminders(ann, True)
    await fresh.set_privacy(ann, "named")
    await fresh.schedules.set(TEACHER, "general", time="08:30")
    assigned = await fresh.assignments.create(TEACHER, "general", "all", "2026-12-04")
    await fresh.assignments.start(ann, assigned.assignment.assignment_id)  # her progress row
    await fresh.start_essay(ann)  # an essay plan begun

    class Reminding(RecordingPublisher):
        async def remind(self, reminder) -> None:  # noqa: ANN001
            pass

    clock.advance(days=3)  # Monday 08:30 is past: the post goes, and Ann's reminder is recorded
    await Scheduler(fresh.posts, Publishers({"console": Reminding()})).tick()
    async with fresh.db.read_sessions() as session:
        member_id = await session.scalar(select(Member.id).where(Member.external_id == ann.user_id))
    pointing = [
        (table, fk.parent)
        for table in Base.metadata.sorted_tables
        for fk in table.foreign_keys
        if fk.column.table.name == "members"
    ]
    assert {table.name for table, _ in pointing} >= {
        "attempts",
        "scores",
        "review_cards",
        "review_reminders_sent",
        "assignment_progress",
        "essay_plans",
    }

    async def rows_left() -> dict[str, int]:
        async with fresh.db.read_sessions() as session:
            counts = {}
            for table, column in pointing:
                counts[table.name] = await session.scalar(
                    select(func.count()).select_from(table).where(column == member_id)
                )
            return counts

    assert all((await rows_left()).values())  # the test made a row in every one of them
    await fresh.forget_me(ann)
    assert set((await rows_left()).values()) == {0}


async def test_my_data_holds_every_row_made_for_the_student_and_no_one_elses(fresh):
    import json

    ann, bob = student("Ann"), student("Bob")
    await score(fresh, ann)
    await score(fresh, bob)
    practice = await fresh.practice_question(ann)
    await fresh.submit_answer(ann, wrong_answer(fresh, practice), practice.ref)
    await fresh.set_privacy(ann, "hidden")
    assigned = await fresh.assignments.create(TEACHER, "general", "all", "2026-12-04")
    await fresh.assignments.start(ann, assigned.assignment.assignment_id)
    asked = await fresh.start_essay(ann)
    exported = await fresh.my_data(ann)
    document = json.loads(exported.json_text)
    assert exported.filename.endswith(".json")
    assert document["you"]["external_id"] == ann.user_id and document["you"]["board_name"] == "hidden"
    assert len(document["answers"]) == 2 and {a["mode"] for a in document["answers"]} == {"daily", "practice"}
    assert len(document["review_cards"]) == 2 and len(document["scores"]) == 3  # week, month, all time
    [progress] = document["assignment_progress"]
    assert progress["assignment_id"] == assigned.assignment.assignment_id and progress["answers"] == 0
    [plan] = document["essay_plans"]
    assert plan["essay_id"] == asked.essay_id and plan["finished_at"] is None
    assert "bob" not in exported.json_text.lower()
    nobody = json.loads((await fresh.my_data(student("Cat"))).json_text)
    assert nobody["you"] is None


async def test_ranks_count_only_those_above_on_the_board(fresh, clock):
    """The asker's rank: those with more points who are on the board, whatever their choices."""
    names = ["Ann", "Bob", "Cat", "Dan", "Eve"]
    for day in range(3):  # different totals: Ann answers three days, Bob two, the rest one
        for name in names[: 3 - day if day else 5]:
            await score(fresh, student(name))
        clock.advance(days=1)
    await fresh.set_privacy(student("Ann"), "hidden")
    boards = {name: await fresh.leaderboard(student(name), "all") for name in names}
    assert [e.points for e in boards["Cat"].entries] == sorted((e.points for e in boards["Cat"].entries), reverse=True)
    assert boards["Ann"].caller.rank == 1  # hidden, still told where she stands
    assert boards["Bob"].caller.rank == 1 and boards["Bob"].caller.points == 20  # Ann, above him, is off the board
    assert [boards[name].caller.rank for name in ("Cat", "Dan", "Eve")] == [2, 2, 2]  # tied on 10, below Bob
    assert boards["Cat"].total_ranked == 4
