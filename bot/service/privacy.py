"""Each student's choice of how the class sees them on public boards and posts, and each class's default."""

from __future__ import annotations

import json

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import privacy
from bot.core.actor import Actor
from bot.core.clock import Clock, as_utc
from bot.core.errors import InvalidInput, NotAllowed
from bot.core.privacy import BoardName
from bot.core.replies import MyData, PrivacySettings
from bot.service.failures import database_trouble
from bot.service.members import Members
from bot.store.db import Database
from bot.store.members import CommunityRow, MemberRow
from bot.store.models import (
    AssignmentProgress,
    Attempt,
    Community,
    EssayPlan,
    Member,
    ReviewCard,
    ReviewReminderSent,
    Score,
)

NEW_NAME_ATTEMPTS = 3
TEACHERS_ONLY = "Only a teacher can set the class's default (a server or workspace admin, or a named teacher)."


class Privacy:
    def __init__(self, db: Database, members: Members, clock: Clock) -> None:
        self.db = db
        self.members = members
        self.clock = clock

    @database_trouble()
    async def show(self, actor: Actor) -> PrivacySettings:
        async with self.db.sessions.begin() as session:
            community, member = await self.members.enrol(session, actor)
            return await self._settings(session, community, member)

    @database_trouble()
    async def choose(self, actor: Actor, choice: str) -> PrivacySettings:
        """`privacy named|pseudonym|hidden`: how the class sees me."""
        chosen = privacy.parse_board_name(choice)
        async with self.db.sessions.begin() as session:
            community, member = await self.members.enrol(session, actor)
            await session.execute(update(Member).where(Member.id == member.id).values(board_name=chosen.value))
            return await self._settings(session, community, member)

    @database_trouble()
    async def new_pseudonym(self, actor: Actor) -> PrivacySettings:
        """A new pseudonym, at most once a week (drawn again if a classmate takes the same one meanwhile)."""
        for attempt in range(NEW_NAME_ATTEMPTS):
            try:
                return await self._new_pseudonym(actor, attempt)
            except IntegrityError:
                if attempt == NEW_NAME_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    async def _new_pseudonym(self, actor: Actor, attempt: int) -> PrivacySettings:
        now = self.clock()
        async with self.db.sessions.begin() as session:
            community, member = await self.members.enrol(session, actor)
            row = await session.get(Member, member.id)
            assert row is not None
            changed = as_utc(row.pseudonym_changed_at) if row.pseudonym_changed_at else None
            if changed is not None and now - changed < privacy.PSEUDONYM_CHANGE_EVERY:
                when = changed + privacy.PSEUDONYM_CHANGE_EVERY
                raise InvalidInput(f"You can change your pseudonym once a week; next on {when:%a %d %b}.")
            taken = set(await session.scalars(select(Member.pseudonym).where(Member.community_id == community.id)))
            salt = 1 + int(now.timestamp()) + attempt  # a fresh draw, still unique in the class
            row.pseudonym = privacy.pseudonym(community.id, actor.user_id, taken, salt)
            row.pseudonym_changed_at = now
            await session.flush()
            return await self._settings(session, community, member)

    @database_trouble()
    async def set_default(self, actor: Actor, choice: str) -> PrivacySettings:
        """`privacy default named|pseudonym|hidden` (teachers): how members show unless they chose."""
        chosen = privacy.parse_board_name(choice)
        async with self.db.sessions.begin() as session:
            community, member = await self.members.enrol(session, actor)
            if not await self.members.is_teacher(session, community, actor):
                raise NotAllowed(TEACHERS_ONLY)
            await session.execute(update(Community).where(Community.id == community.id).values(board_default=chosen))
            self.members.changed(community.id)
            community = await self.members.community_in(session, actor)
            assert community is not None
            return await self._settings(session, community, member)

    @database_trouble()
    async def my_data(self, actor: Actor) -> MyData:
        """Everything stored about the asker in this class, as one JSON document (`my-data`)."""
        async with self.db.read_sessions() as session:
            community = await self.members.community_in(session, actor, create=False)
            member = None
            if community is not None:
                member = await session.scalar(
                    select(Member).where(Member.community_id == community.id, Member.external_id == actor.user_id)
                )
            document: dict = {"exported_at": self.clock().isoformat(), "class": None, "you": None}
            if community is not None and member is not None:
                document["class"] = {"platform": community.platform, "id": community.external_id}
                document["you"] = _plain(member, ("id", "community_id"))
                for key, model in (
                    ("answers", Attempt),
                    ("review_cards", ReviewCard),
                    ("scores", Score),
                    ("review_reminders_sent", ReviewReminderSent),
                    ("assignment_progress", AssignmentProgress),
                    ("essay_plans", EssayPlan),
                ):
                    rows = await session.scalars(select(model).where(model.member_id == member.id))
                    document[key] = [_plain(row, ("id", "member_id", "community_id")) for row in rows]
        text = json.dumps(document, ensure_ascii=False, indent=2, default=str)
        return MyData(f"studybot-my-data-{actor.platform.value}.json", text)

    async def _settings(self, session: AsyncSession, community: CommunityRow, member: MemberRow) -> PrivacySettings:
        row = (
            await session.execute(
                select(Member.board_name, Member.pseudonym, Member.pseudonym_changed_at, Member.display_name).where(
                    Member.id == member.id
                )
            )
        ).one()
        default = BoardName(community.board_default)
        choice = BoardName(row.board_name) if row.board_name else default
        changed = as_utc(row.pseudonym_changed_at) if row.pseudonym_changed_at else None
        next_change = changed + privacy.PSEUDONYM_CHANGE_EVERY if changed is not None else None
        return PrivacySettings(
            choice=choice.value,
            chosen=row.board_name is not None,
            class_default=default.value,
            pseudonym=row.pseudonym or "",
            shown_as=privacy.shown_name(choice, row.display_name, row.pseudonym or ""),
            next_pseudonym_change=next_change if next_change and next_change > self.clock() else None,
        )


def _plain(row: object, leave_out: tuple[str, ...]) -> dict:
    """A stored row's columns, minus internal ids (the platform's ids stay: they are the student's)."""
    return {c.key: getattr(row, c.key) for c in row.__table__.columns if c.key not in leave_out}  # type: ignore[attr-defined]
