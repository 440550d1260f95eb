"""The one enrolment: communities and members found or created in bulk, with Core statements.

Used both by the use cases (inside their transaction, through `AsyncSession.run_sync`) and by the
answer writer (inside its batch), so the rules "a member is created on first contact" and "the name
the front end gives is the name shown" live here and nowhere else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, select, update

from bot.core import privacy, scoring
from bot.core.clock import utc_now
from bot.core.vocabulary import Period
from bot.store.db import chunks, upsert_insert
from bot.store.models import Community, Member, Score

communities = Community.__table__
members = Member.__table__


@dataclass(frozen=True, slots=True)
class CommunityRow:
    id: int
    platform: str
    external_id: str  # the platform's id: a Discord guild, a Slack team, the console class
    timezone: str
    daily_topics: list | None
    board_default: str = "pseudonym"  # how members show on public boards unless they chose
    taught_topics: list | None = None  # topic ids taught so far (`topics taught`); None: the whole bank
    teacher_role_id: str | None = None  # a Discord role whose members count as teachers


@dataclass(slots=True)
class MemberRow:
    """A member as the rules need them; `total_points` is their all-time score."""

    id: int
    community_id: int
    user_id: str  # the platform's user id (the `external_id` column)
    display_name: str
    current_streak: int
    best_streak: int
    last_daily_date: dt.date | None
    pending_question_id: str | None
    pending_mode: str | None
    pending_date: dt.date | None
    streak_freeze_used_on: dt.date | None
    total_points: int


COMMUNITY_COLUMNS = (
    Community.id,
    Community.platform,
    Community.external_id,
    Community.timezone,
    Community.daily_topics,
    Community.board_default,
    Community.taught_topics,
    Community.teacher_role_id,
)
_MEMBER_COLUMNS = (
    Member.id,
    Member.community_id,
    Member.external_id,
    Member.display_name,
    Member.current_streak,
    Member.best_streak,
    Member.last_daily_date,
    Member.pending_question_id,
    Member.pending_mode,
    Member.pending_date,
    Member.streak_freeze_used_on,
)


def find_community(connection: Connection, platform: str, external_id: str) -> CommunityRow | None:
    row = connection.execute(
        select(*COMMUNITY_COLUMNS).where(Community.platform == platform, Community.external_id == external_id)
    ).one_or_none()
    return CommunityRow(*row) if row else None


def enrol_community(
    connection: Connection, platform: str, external_id: str, name: str, board_default: str = "pseudonym"
) -> CommunityRow:
    """The community, created on first contact (a race between two processes creates it once), with
    `board_default` as how its members show on public boards until a teacher changes it."""
    found = find_community(connection, platform, external_id)
    if found is not None:
        return found
    insert = upsert_insert(connection.dialect.name)(communities).on_conflict_do_nothing()
    connection.execute(
        insert,
        {
            "platform": platform,
            "external_id": external_id,
            "name": name[:200],
            "board_default": board_default,
            "created_at": utc_now(),
        },
    )
    created = find_community(connection, platform, external_id)
    assert created is not None
    return created


def find_members(connection: Connection, keys: set[tuple[int, str]]) -> dict[tuple[int, str], MemberRow]:
    """Members by (community id, platform user id), with their all-time points."""
    query = select(*_MEMBER_COLUMNS, Score.points).outerjoin(
        Score,
        (Score.member_id == Member.id) & (Score.period == Period.ALL.value) & (Score.period_start == scoring.EPOCH),
    )
    found: dict[tuple[int, str], MemberRow] = {}
    for chunk in chunks(sorted({user_id for _, user_id in keys})):
        # By platform id alone (indexed), then by community here: a row-value IN would scan the table.
        for row in connection.execute(query.where(Member.external_id.in_(chunk))):
            key = (row.community_id, row.external_id)
            if key in keys:
                found[key] = MemberRow(*row[:-1], total_points=row.points or 0)
    return found


ENROL_ATTEMPTS = 5
ALIAS_CANDIDATES = 8  # a new member's first pseudonyms checked at once; a class rarely holds them all


def _free_pseudonyms(connection: Connection, keys: set[tuple[int, str]]) -> dict[tuple[int, str], str]:
    """A pseudonym for each new member, free in their class (and among the others enrolled with them)."""
    candidates = {
        key: [privacy.pseudonym(key[0], key[1], (), attempt) for attempt in range(ALIAS_CANDIDATES)] for key in keys
    }
    taken: dict[int, set[str]] = {}
    for community_id in {community_id for community_id, _ in keys}:
        wanted = sorted({alias for key, aliases in candidates.items() if key[0] == community_id for alias in aliases})
        used = taken.setdefault(community_id, set())
        for chunk in chunks(wanted):
            used.update(
                connection.scalars(
                    select(members.c.pseudonym).where(
                        members.c.community_id == community_id, members.c.pseudonym.in_(chunk)
                    )
                )
            )
    chosen = {}
    for key in sorted(keys):
        used = taken[key[0]]
        free = next((alias for alias in candidates[key] if alias not in used), None)
        if free is None:  # all eight taken: ask the class for every name (a very big class)
            used |= set(connection.scalars(select(members.c.pseudonym).where(members.c.community_id == key[0])))
            free = privacy.pseudonym(key[0], key[1], used, ALIAS_CANDIDATES)
        used.add(free)
        chosen[key] = free
    return chosen


def enrol_members(connection: Connection, names: dict[tuple[int, str], str]) -> dict[tuple[int, str], MemberRow]:
    """Find or create every member named by (community id, platform user id) -> display name, and keep
    each stored name equal to the one given: the front end decides what a member is called."""
    found = find_members(connection, set(names))
    missing = names.keys() - found.keys()
    for _ in range(ENROL_ATTEMPTS):  # another process may take a pseudonym between choosing and inserting
        if not missing:
            break
        insert = upsert_insert(connection.dialect.name)(members).on_conflict_do_nothing()
        aliases = _free_pseudonyms(connection, missing)
        rows = [
            {
                "community_id": community_id,
                "external_id": user_id,
                "display_name": names[(community_id, user_id)],
                "current_streak": 0,
                "best_streak": 0,
                "pseudonym": aliases[(community_id, user_id)],
                "created_at": utc_now(),
            }
            for community_id, user_id in sorted(missing)
        ]
        for chunk in chunks(rows):
            connection.execute(insert, chunk)
        found |= find_members(connection, set(missing))
        missing = names.keys() - found.keys()
    if missing:
        raise RuntimeError(f"could not enrol {len(missing)} members")
    renamed = [
        {"member": member.id, "name": names[key]} for key, member in found.items() if member.display_name != names[key]
    ]
    if renamed:
        connection.execute(
            update(members).where(members.c.id == bindparam("member")).values(display_name=bindparam("name")),
            renamed,
        )
        for key in names.keys() & found.keys():
            found[key].display_name = names[key]
    return found


def set_pending(
    connection: Connection, member_id: int, question_id: str | None, mode: str | None, day: dt.date | None
) -> None:
    """The question a member was shown last, so `answer <text>` knows what it answers."""
    connection.execute(
        update(members)
        .where(members.c.id == member_id)
        .values(pending_question_id=question_id, pending_mode=mode, pending_date=day)
    )
