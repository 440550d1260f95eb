"""What a class has been taught so far (`topics taught`), and the Discord role whose members teach it.

Both are stored on the community. `Catalogue.taught(community)` reads the taught topics for the daily
question, practice, review and assignments (NULL: the whole bank); `Members.is_teacher` reads the role.
Members caches communities, so a change here refreshes this process's cached row at once (another
process sees it within members.CACHE_SECONDS).
"""

from __future__ import annotations

import re

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.actor import Actor
from bot.core.errors import InvalidInput, NotAllowed
from bot.core.replies import TaughtTopics, TeacherRole
from bot.service.catalogue import Catalogue
from bot.service.failures import database_trouble
from bot.service.members import Members
from bot.store.db import Database
from bot.store.members import CommunityRow
from bot.store.models import Community

ALL_TOPICS = {"all", "any", "everything"}
NOT_TEACHER = (
    "Only teachers can choose the topics taught so far: server or workspace admins, and the teachers they name."
)
NOT_ADMIN = "Only members who can manage the server can choose the teachers' role."
NOT_TEACHER_ROLE = "Only teachers can see the teachers' role."
_ROLE_ID = re.compile(r"^[0-9]{1,64}$")


class Teaching:
    def __init__(self, db: Database, catalogue: Catalogue, members: Members) -> None:
        self.db = db
        self.catalogue = catalogue
        self.members = members

    # ------------------------------------------------------------- topics taught so far

    @database_trouble()
    async def taught_topics(self, actor: Actor) -> TaughtTopics:
        """`topics taught`: what the class has been taught so far (anyone may see what they can practise)."""
        return self._taught(await self.members.community(actor))

    @database_trouble()
    async def set_taught_topics(self, actor: Actor, text: str) -> TaughtTopics:
        """`topics taught <topic, topic ...>` (teachers): only these from now on; `topics taught all`: every
        topic. A name that is no topic is refused with suggestions, and nothing changes."""
        wanted = text.strip()
        if not wanted:
            raise InvalidInput("Name the topics taught so far, such as `topics taught rise, rivals` (or `all`).")
        topic_ids = None if wanted.lower() in ALL_TOPICS else self._resolve(wanted)
        async with self.db.sessions.begin() as session:
            community = await self._teacher(session, actor, NOT_TEACHER)
            await session.execute(update(Community).where(Community.id == community.id).values(taught_topics=topic_ids))
            community = await self._refreshed(session, actor, community)
        return self._taught(community, changed=True)

    def _resolve(self, text: str) -> list[str]:
        """Topic ids, in the bank's order, from names separated by commas (or ids separated by spaces)."""
        parts = [part for part in text.split(",") if part.strip()]
        words = text.split()
        ids = {topic_id.lower() for topic_id in self.catalogue.bank.topics}
        if len(parts) == 1 and len(words) > 1 and all(word.lower() in ids for word in words):
            parts = words  # "rise rivals", as `schedule set ... topics=` takes them
        found = {self.catalogue.resolve_topic(part) for part in parts}
        chosen = [topic.topic_id for topic in self.catalogue.topics() if topic.topic_id in found]
        if not chosen:
            raise InvalidInput("There are no questions on those topics yet, so nothing was changed.")
        return chosen

    def _taught(self, community: CommunityRow, *, changed: bool = False) -> TaughtTopics:
        taught = self.catalogue.taught(community)
        topics = self.catalogue.topics()
        return TaughtTopics(
            taught=tuple(t for t in topics if taught is None or t.topic_id in taught),
            not_yet=tuple(t for t in topics if taught is not None and t.topic_id not in taught),
            whole_bank=taught is None,
            changed=changed,
        )

    # ------------------------------------------------------------- the teachers' role (Discord)

    @database_trouble()
    async def teacher_role(self, actor: Actor) -> TeacherRole:
        async with self.db.sessions.begin() as session:
            community = await self._teacher(session, actor, NOT_TEACHER_ROLE)
            return TeacherRole(community.teacher_role_id)

    @database_trouble()
    async def set_teacher_role(self, actor: Actor, role_id: str | None) -> TeacherRole:
        """`/teacher role @Role`: its members count as teachers besides the admins; None: no role. Only an
        admin may choose it (a teacher by the role could otherwise hand it to anyone)."""
        if role_id is not None and not _ROLE_ID.match(role_id):
            raise InvalidInput("Pick the role from the list Discord shows.")
        if not actor.is_admin:
            raise NotAllowed(NOT_ADMIN)
        async with self.db.sessions.begin() as session:
            community = await self.members.community_in(session, actor)
            assert community is not None
            await session.execute(update(Community).where(Community.id == community.id).values(teacher_role_id=role_id))
            community = await self._refreshed(session, actor, community)
        return TeacherRole(community.teacher_role_id, changed=True)

    async def _teacher(self, session: AsyncSession, actor: Actor, refusal: str) -> CommunityRow:
        community = await self.members.community_in(session, actor)
        assert community is not None
        if not await self.members.is_teacher(session, community, actor):
            raise NotAllowed(refusal)
        return community

    async def _refreshed(self, session: AsyncSession, actor: Actor, community: CommunityRow) -> CommunityRow:
        """The community as just changed, cached again (answers and questions read the cached row)."""
        self.members.changed(community.id)
        found = await self.members.community_in(session, actor)
        assert found is not None
        return found
