"""Communities and their members: who is asking, enrolled on first contact, and what "today" is for them.

A community's time zone belongs to the community (a Discord server, a Slack workspace, the console
class): its daily question, its posts and its leaderboards all follow that one zone.
"""

from __future__ import annotations

import datetime as dt

from cachetools import TTLCache
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.actor import Actor
from bot.core.clock import Clock, local_date
from bot.core.errors import InvalidInput, NoQuestionPending
from bot.core.grading import clean_input
from bot.core.privacy import CLASS_DEFAULT
from bot.core.replies import QuestionRef
from bot.core.vocabulary import Mode
from bot.store import members as store
from bot.store.db import Database
from bot.store.members import CommunityRow, MemberRow
from bot.store.models import Teacher

CACHE_SECONDS = 300  # how long another process's change to a community (its time zone) may go unseen
CACHE_LIMIT = 200_000


def display_name(actor: Actor) -> str:
    """The name a member is shown under: what the front end gives, else their platform id (a name made
    only of invisible characters would otherwise leave them nameless)."""
    try:
        return clean_input(actor.display_name or actor.user_id, what="The display name", limit=10_000)[:100]
    except InvalidInput:
        return actor.user_id[:100]


class Members:
    def __init__(self, db: Database, clock: Clock, new_class_board: str = CLASS_DEFAULT) -> None:
        self.db = db
        self.clock = clock
        self.new_class_board = new_class_board  # a new class's default way of showing members on its boards
        self._communities: TTLCache[tuple[str, str], CommunityRow] = TTLCache(CACHE_LIMIT, CACHE_SECONDS)

    def today(self, community: CommunityRow) -> dt.date:
        """Today where the community is: the day its daily question and its answers belong to."""
        return local_date(self.clock(), community.timezone)

    async def community(self, actor: Actor) -> CommunityRow:
        """The actor's community, created on first contact; cached so answers need no lookups."""
        key = (actor.platform.value, actor.community_id)
        found = self._communities.get(key)
        if found is None:
            async with self.db.sessions.begin() as session:
                found = await self.community_in(session, actor)
        return found

    async def community_in(self, session: AsyncSession, actor: Actor, *, create: bool = True) -> CommunityRow | None:
        """The actor's community inside a use case's transaction (created unless `create=False`)."""
        platform, external_id = actor.platform.value, actor.community_id
        if create:
            name = actor.community_name
            board = self.new_class_board
            found = await session.run_sync(
                lambda s: store.enrol_community(s.connection(), platform, external_id, name, board)
            )
        else:
            found = await session.run_sync(lambda s: store.find_community(s.connection(), platform, external_id))
        if found is not None:
            self._communities[(platform, external_id)] = found
        return found

    async def enrol(self, session: AsyncSession, actor: Actor) -> tuple[CommunityRow, MemberRow]:
        """The actor's community and membership, created on first contact, with the name they give."""
        community = await self.community_in(session, actor)
        assert community is not None
        key = (community.id, actor.user_id)
        name = display_name(actor)
        enrolled = await session.run_sync(lambda s: store.enrol_members(s.connection(), {key: name}))
        return community, enrolled[key]

    async def find(
        self, session: AsyncSession, actor: Actor, user_id: str | None = None
    ) -> tuple[CommunityRow | None, MemberRow | None]:
        """The actor's community and a member of it (the actor, or `user_id`), creating neither."""
        community = await self.community_in(session, actor, create=False)
        if community is None:
            return None, None
        key = (community.id, user_id or actor.user_id)
        found = await session.run_sync(lambda s: store.find_members(s.connection(), {key}))
        return community, found.get(key)

    async def is_teacher(self, session: AsyncSession, community: CommunityRow | None, actor: Actor) -> bool:
        """A teacher of the class: the platform's admins, the members of the role a class names (Discord's
        `/teacher role`), and the teachers a class names (Slack's)."""
        if actor.is_admin:
            return True
        if community is None:
            return False
        if community.teacher_role_id is not None and community.teacher_role_id in actor.role_ids:
            return True
        return await session.get(Teacher, (community.id, actor.user_id)) is not None

    async def set_pending(self, session: AsyncSession, member: MemberRow, ref: QuestionRef) -> None:
        await session.run_sync(
            lambda s: store.set_pending(s.connection(), member.id, ref.question_id, ref.mode.value, ref.daily_date)
        )

    async def pending(self, community_id: int, user_id: str) -> QuestionRef:
        """The question a member was shown last."""
        key = (community_id, user_id)
        async with self.db.read_sessions() as session:
            found = await session.run_sync(lambda s: store.find_members(s.connection(), {key}))
        member = found.get(key)
        if member is None or not member.pending_question_id:
            raise NoQuestionPending()
        return QuestionRef(member.pending_question_id, Mode(member.pending_mode), member.pending_date)

    def changed(self, community_id: int) -> None:
        """A community's settings (its time zone, its topics) changed: forget what was cached about it."""
        for key in [key for key, row in self._communities.items() if row.id == community_id]:
            self._communities.pop(key, None)
