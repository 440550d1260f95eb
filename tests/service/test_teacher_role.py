"""A class's teachers' role (Discord's `/teacher role`): its members are teachers besides the admins, and
only an admin chooses it."""

from __future__ import annotations

import pytest

from bot.core.actor import Actor, Platform
from bot.core.errors import InvalidInput, NotAllowed

GUILD = "310000000000000001"
ROLE = "340000000000000002"
ADMIN = Actor(Platform.DISCORD, GUILD, "1", "Ms Admin", is_admin=True)
TUTOR = Actor(Platform.DISCORD, GUILD, "2", "Mr Tutor", role_ids=frozenset({ROLE, GUILD}))
STUDENT = Actor(Platform.DISCORD, GUILD, "3", "Ann", role_ids=frozenset({GUILD}))


async def test_members_of_the_named_role_are_teachers_until_it_is_cleared(any_service):
    with pytest.raises(NotAllowed):
        await any_service.schedules.set(TUTOR, "c1", time="08:30")

    chosen = await any_service.set_teacher_role(ADMIN, ROLE)
    assert chosen.role_id == ROLE and chosen.changed
    assert (await any_service.schedules.set(TUTOR, "c1", time="08:30")).exists  # cached row refreshed at once
    assert (await any_service.teacher_role(TUTOR)).role_id == ROLE
    assert (await any_service.set_taught_topics(TUTOR, "rise")).changed
    with pytest.raises(NotAllowed):
        await any_service.schedules.show(STUDENT, "c1")

    cleared = await any_service.set_teacher_role(ADMIN, None)
    assert cleared.role_id is None
    with pytest.raises(NotAllowed):
        await any_service.schedules.show(TUTOR, "c1")


async def test_only_an_admin_chooses_the_role(any_service):
    await any_service.set_teacher_role(ADMIN, ROLE)
    with pytest.raises(NotAllowed) as refused:
        await any_service.set_teacher_role(TUTOR, None)  # a teacher by the role cannot hand it on, or drop it
    assert "manage the server" in refused.value.message
    assert (await any_service.teacher_role(ADMIN)).role_id == ROLE
    with pytest.raises(NotAllowed):
        await any_service.teacher_role(STUDENT)
    with pytest.raises(InvalidInput):
        await any_service.set_teacher_role(ADMIN, "<@&not-a-role>")


async def test_a_role_of_one_server_counts_in_that_server_only(any_service):
    await any_service.set_teacher_role(ADMIN, ROLE)
    elsewhere = Actor(Platform.DISCORD, "310000000000000002", "2", "Mr Tutor", role_ids=frozenset({ROLE}))
    with pytest.raises(NotAllowed):
        await any_service.schedules.show(elsewhere, "c1")
