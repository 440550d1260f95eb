"""Leaderboards, stats, lookups and forgetting, against a real database."""

from __future__ import annotations

import pytest

from bot.core.actor import Actor, Platform
from bot.core.errors import InvalidInput, NotAllowed, UnknownName, UnknownTopic
from bot.core.vocabulary import Period
from tests.helpers import correct_answer, student, wrong_answer


async def answer_daily(service, actor, right: bool = True):  # noqa: ANN001, ANN201
    card = await service.daily_question(actor)
    text = correct_answer(service, card) if right else wrong_answer(service, card)
    return await service.submit_answer(actor, text)


async def test_ties_share_a_rank_and_the_caller_sees_their_own_rank(any_service):
    names = [f"S{i:02d}" for i in range(14)]
    for index, name in enumerate(names):
        await answer_daily(any_service, student(name), right=index not in (2, 13))
    board = await any_service.leaderboard(student("S13"), "week")
    assert len(board.entries) == 10 and board.total_ranked == 14
    assert [e.rank for e in board.entries] == [1] * 10  # twelve students tied on 10 points
    assert board.caller is not None and board.caller.rank == 13 and board.caller.points == 0


async def test_ranks_skip_after_a_tie(any_service, clock):
    ann, bob, cat, dan = (student(n) for n in ("Ann", "Bob", "Cat", "Dan"))
    for actor in (ann, bob, cat, dan):
        await answer_daily(any_service, actor, right=actor is not dan)
    clock.advance(days=1)
    await answer_daily(any_service, ann)  # Saturday: a day off, so 10 more at the same streak
    board = await any_service.leaderboard(dan)
    assert [(e.name, e.rank, e.points) for e in board.entries] == [
        ("Ann", 1, 20),
        ("Bob", 2, 10),
        ("Cat", 2, 10),
        ("Dan", 4, 0),
    ]
    assert board.entries[3].is_caller


async def test_week_month_and_all_time_boards(any_service, clock):
    ann = student("Ann")
    await answer_daily(any_service, ann)  # Friday 27 November
    clock.advance(days=3)  # Monday 30 November: a new week, same month
    await answer_daily(any_service, ann)
    clock.advance(days=1)  # Tuesday 1 December: a new month
    await answer_daily(any_service, ann)
    week = await any_service.leaderboard(ann, Period.WEEK)
    month = await any_service.leaderboard(ann, "month")
    ever = await any_service.leaderboard(ann, "all")
    assert week.caller.points == 10 + 11 + 12 - 10  # Monday's and Tuesday's answers
    assert month.caller.points == 12 and month.period_label == "December 2026"
    assert ever.caller.points == 33
    with pytest.raises(InvalidInput):
        await any_service.leaderboard(ann, "fortnight")


def teacher(community: str = "class-1") -> Actor:
    return Actor(Platform.CONSOLE, community, "teacher", "Ms T", is_admin=True)


async def test_communities_never_see_each_others_scores(any_service):
    await answer_daily(any_service, student("Ann", community="school-a"))
    board = await any_service.leaderboard(student("Bob", community="school-b"), "all")
    assert board.entries == () and board.caller is None
    with pytest.raises(Exception, match="hasn't answered"):
        await any_service.stats(teacher("school-b"), member_user_id="ann")


async def test_a_classmates_stats_are_for_teachers_only(any_service):
    await answer_daily(any_service, student("Ann"))
    with pytest.raises(NotAllowed, match="Only a teacher"):
        await any_service.stats(student("Bob"), member_user_id="ann")
    assert (await any_service.stats(student("Ann"), member_user_id="ann")).answered == 1  # one's own: fine
    stats = await any_service.stats(teacher(), member_user_id="ann")
    assert (stats.name, stats.answered, stats.correct, stats.accuracy) == ("Ann", 1, 1, 1.0)
    named = student("Bob")
    await any_service.schedules.add_teacher(teacher(), named.user_id)  # a teacher the class named
    assert (await any_service.stats(named, member_user_id="ann")).answered == 1


async def test_forget_me_deletes_only_that_member(any_service):
    ann, bob = student("Ann"), student("Bob")
    await answer_daily(any_service, ann)
    await answer_daily(any_service, bob)
    gone = await any_service.forget_me(ann)
    assert gone.existed and gone.attempts_deleted == 1
    board = await any_service.leaderboard(bob, "all")
    assert [e.name for e in board.entries] == ["Bob"]
    assert (await any_service.forget_me(ann)).existed is False
    assert (await any_service.stats(ann)).answered == 0  # a fresh start


@pytest.mark.parametrize("query", ["Trotsky", "trotsky", "Leon Trotsky", "Bronstein", "Trotksy", "  TROTSKY "])
async def test_explain_a_rival_by_name_alias_or_misspelling(service, query):
    card = await service.explain(query, kind="figure")
    assert card.card_id == "trotsky" and card.kind == "figure" and card.has_questions


async def test_unknown_names_get_suggestions(service):
    with pytest.raises(UnknownName) as raised:
        await service.explain("Kamenov Zinovief")
    assert set(raised.value.suggestions) & {"Lev Kamenev", "Grigory Zinoviev"}
    with pytest.raises(UnknownName):
        await service.explain("Napoleon")
    with pytest.raises(UnknownName):  # a glossary term is not a rival
        await service.explain("NEP", kind="figure")


async def test_explain_finds_glossary_terms(service):
    card = await service.explain("nep")
    assert card.kind == "term" and card.name == "New Economic Policy"
    assert any(section.text == "Nikolai Bukharin" for section in card.sections)


async def test_unknown_topic_lists_the_topics(service):
    with pytest.raises(UnknownTopic) as raised:
        await service.practice_question(student("Ann"), "Cold War")
    assert "rivals" in raised.value.known and "Topics:" in raised.value.message
    assert (await service.practice_question(student("Ann"), "the rivls")).topic == "The rivals"
    assert (await service.practice_question(student("Ann"), "The Rivals")).topic == "The rivals"


async def test_autocomplete(service):
    assert ("kamenev", "Lev Kamenev") in service.complete_name("kam", kind="figure")
    assert all(card_id != "nep" for card_id, _ in service.complete_name("n", kind="figure"))
    assert [t.topic_id for t in service.complete_topic("riv")] == ["rivals"]
